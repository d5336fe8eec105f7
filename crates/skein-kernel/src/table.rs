//! A pandas `DataFrame` shown as a cell's value: the prelude's `_skein_show_table(text,
//! columns, rows, index)` turned into an [`Output::Table`] that keeps both the grid the page
//! draws and the text Jupyter's `text/plain` shows (the frame's pandas repr).

use monty_types::ObjectRef;

use crate::output::{Cell, Table};

/// The table of a `_skein_show_table` call: `text` is the frame's repr, `columns` its column
/// names, `rows` its first rows as displayed strings, `index` their labels.
pub(crate) fn from_display(
    text: ObjectRef<'_>,
    columns: ObjectRef<'_>,
    rows: ObjectRef<'_>,
    index: ObjectRef<'_>,
) -> Table {
    let string = |o: &ObjectRef<'_>| o.as_str().unwrap_or_default().to_owned();
    let labels: Vec<String> = index
        .items()
        .unwrap_or_default()
        .iter()
        .map(string)
        .collect();
    let rows = rows
        .items()
        .unwrap_or_default()
        .iter()
        .zip(labels)
        .map(|(row, label)| {
            std::iter::once(Cell::Text(label))
                .chain(
                    row.items()
                        .unwrap_or_default()
                        .iter()
                        .map(|c| Cell::Text(string(c))),
                )
                .collect()
        })
        .collect();
    // The index column comes first and has no name, as in pandas' repr.
    let columns = std::iter::once(String::new())
        .chain(
            columns
                .items()
                .unwrap_or_default()
                .iter()
                .map(|c| c.as_str().map_or_else(|| c.py_repr(), str::to_owned)),
        )
        .collect();
    Table {
        columns,
        rows,
        text: string(&text),
    }
}
