//! What a cell shows: a value by its repr (`_skein_show`), a task graph (`_skein_show_graph`)
//! and pyplot's figure (`_skein_plt`), which is shown before any later output, as Jupyter
//! orders it.

use monty_types::{MontyObject, ObjectRef};

use super::{Host, HostResult};
use crate::output::Output;

impl Host {
    /// Shows the current figure (before other output, as Jupyter orders it).
    pub(crate) fn flush_figure(&self) {
        let shown = self.session.tables().figure.take();
        shown.into_iter().for_each(|o| self.session.outbox.emit(o));
    }

    /// A value the cell shows, by its repr and its type's name.
    pub(super) fn show(&mut self, display: &str, type_name: &str) -> HostResult {
        self.flush_figure();
        self.session.outbox.emit(Output::Value {
            display: display.to_owned(),
            type_name: type_name.to_owned(),
        });
        Ok(MontyObject::none())
    }

    /// A task graph the cell shows (`visualize()`'s), as Graphviz text and its picture.
    pub(super) fn show_graph(&mut self, dot: &str, svg: &str) -> HostResult {
        self.flush_figure();
        self.session.outbox.emit(Output::Graph {
            dot: dot.to_owned(),
            svg: svg.to_owned(),
        });
        Ok(MontyObject::none())
    }

    /// One pyplot command (`plots.rs`); what it shows is emitted now.
    pub(super) fn plt(&mut self, command: &str, payload: ObjectRef<'_>) -> HostResult {
        let (value, shown) = self.session.tables().figure.command(command, payload)?;
        shown.into_iter().for_each(|o| self.session.outbox.emit(o));
        Ok(value)
    }
}
