//! What a cell shows: a value by its repr (`_skein_show`), a task graph (`_skein_show_graph`)
//! and pyplot's figure (`_skein_plt`), which is shown before any later output, as Jupyter
//! orders it.

use monty_types::{MontyObject, ObjectRef};

use super::args::{Args, host_args};
use super::{Host, HostResult};
use crate::output::Output;

host_args! {
    /// `_skein_show(display, type_name)`: a value by its repr and its type's name.
    pub(super) struct Show<'a> { display: &'a str, type_name: &'a str }
}

host_args! {
    /// `_skein_show_graph(dot, svg)`: a task graph (`visualize()`'s) as Graphviz text and
    /// its picture.
    pub(super) struct ShowGraph<'a> { dot: &'a str, svg: &'a str }
}

host_args! {
    /// `_skein_plt(command, payload)`: one pyplot command (`plots.rs`).
    pub(super) struct Plt<'a> { command: &'a str, payload: ObjectRef<'a> }
}

impl Host {
    /// Shows the current figure (before other output, as Jupyter orders it).
    pub(crate) fn flush_figure(&self) {
        let shown = self.session.tables().figure.take();
        shown.into_iter().for_each(|o| self.session.outbox.emit(o));
    }
}

/// `_skein_show`: a value the cell shows.
pub(super) fn show(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Show { display, type_name } = args.parse()?;
    host.flush_figure();
    host.session.outbox.emit(Output::Value {
        display: display.to_owned(),
        type_name: type_name.to_owned(),
    });
    Ok(MontyObject::none())
}

/// `_skein_show_graph`: a task graph the cell shows.
pub(super) fn show_graph(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let ShowGraph { dot, svg } = args.parse()?;
    host.flush_figure();
    host.session.outbox.emit(Output::Graph {
        dot: dot.to_owned(),
        svg: svg.to_owned(),
    });
    Ok(MontyObject::none())
}

/// `_skein_plt`: one pyplot command; what it shows is emitted now, what it returns goes
/// back to Python.
pub(super) fn plt(host: &mut Host, args: Args<'_, '_>) -> HostResult {
    let Plt { command, payload } = args.parse()?;
    let (value, shown) = host.session.tables().figure.command(command, payload)?;
    shown.into_iter().for_each(|o| host.session.outbox.emit(o));
    Ok(value)
}
