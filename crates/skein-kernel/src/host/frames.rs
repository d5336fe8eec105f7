//! pandas' side of the host: a `DataFrame` shown as a table (`_skein_show_table`, `table.rs`)
//! and `Series.plot()` (`_skein_plot_series`).

use monty_types::{MontyObject, ObjectRef};

use super::args::{Args, host_args};
use super::{Host, HostResult};
use crate::output::Output;

host_args! {
    /// `_skein_show_table(text, columns, rows, index)`: a `DataFrame`'s repr, its column
    /// names, its first rows as displayed strings and their labels.
    pub(super) struct ShowTable<'a> {
        text: ObjectRef<'a>,
        columns: ObjectRef<'a>,
        rows: ObjectRef<'a>,
        index: ObjectRef<'a>,
    }
}

host_args! {
    /// `_skein_plot_series(values[, name])`.
    pub(super) struct PlotSeries<'a> { values: ObjectRef<'a>, name: Option<ObjectRef<'a>> }
}

/// `_skein_show_table`: a `DataFrame` the cell shows.
pub(super) fn show_table(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let ShowTable {
        text,
        columns,
        rows,
        index,
    } = args.parse()?;
    host.flush_figure();
    let table = crate::table::from_display(text, columns, rows, index);
    host.session.outbox.emit(Output::Table(table));
    Ok(MontyObject::none())
}

/// `_skein_plot_series` (`Series.plot()`): a line of the values against their positions,
/// labelled `name`.
pub(super) fn plot_series(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let PlotSeries { values, name } = args.parse()?;
    let xs = MontyObject::list(
        (0..values.items().map_or(0, |i| i.len())).map(|i| MontyObject::float(i as f64)),
    );
    let payload = MontyObject::tuple([
        xs,
        values.to_owned(),
        name.map_or_else(MontyObject::none, |n| n.to_owned()),
    ]);
    host.session
        .tables()
        .figure
        .command("plot", payload.as_ref())?;
    Ok(MontyObject::none())
}
