//! pandas' side of the host: a `DataFrame` shown as a table (`_skein_show_table`, `table.rs`)
//! and `Series.plot()` (`_skein_plot_series`).

use monty_types::{MontyObject, ObjectRef};

use super::{Host, HostResult};
use crate::output::Output;

impl Host {
    /// A `DataFrame` the cell shows: its repr, column names, first rows and their labels.
    pub(super) fn show_table(
        &mut self,
        text: ObjectRef<'_>,
        columns: ObjectRef<'_>,
        rows: ObjectRef<'_>,
        index: ObjectRef<'_>,
    ) -> HostResult {
        self.flush_figure();
        let table = crate::table::from_display(text, columns, rows, index);
        self.session.outbox.emit(Output::Table(table));
        Ok(MontyObject::none())
    }

    /// `Series.plot()`: a line of the values against their positions, labelled `name`.
    pub(super) fn plot_series(
        &mut self,
        ys: ObjectRef<'_>,
        name: Option<ObjectRef<'_>>,
    ) -> HostResult {
        let xs = MontyObject::list(
            (0..ys.items().map_or(0, |i| i.len())).map(|i| MontyObject::float(i as f64)),
        );
        let payload = MontyObject::tuple([
            xs,
            ys.to_owned(),
            name.map_or_else(MontyObject::none, |n| n.to_owned()),
        ]);
        self.session
            .tables()
            .figure
            .command("plot", payload.as_ref())?;
        Ok(MontyObject::none())
    }
}
