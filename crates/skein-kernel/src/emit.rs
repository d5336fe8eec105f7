//! Streaming outputs to the caller's sink while a cell runs.
//!
//! Script functions that show something (`print`, `hist`, `table`, `d.visualize()`) are
//! registered once with the engine, but the sink belongs to one `run_cell` call. While a cell
//! runs, its sink is installed in a thread-local of the kernel thread ([`with_sink`]), so an
//! output reaches the UI the moment it is made. Outputs made elsewhere — `print` inside a task
//! on a worker thread — wait in the kernel's [`Outbox`] until the kernel thread next emits or
//! the cell ends.

use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::Mutex;

use crate::output::Output;

type SinkPtr = NonNull<dyn FnMut(Output)>;

thread_local! {
    /// The running cell's sink, if this is the kernel thread and a cell is running.
    static SINK: Cell<Option<SinkPtr>> = const { Cell::new(None) };
}

/// Outputs made off the kernel thread, in arrival order.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    pending: Mutex<Vec<Output>>,
}

impl Outbox {
    /// Shows `output`: at once on the kernel thread, else when the kernel thread next can.
    pub(crate) fn emit(&self, output: Output) {
        let mut output = Some(output);
        with_installed(|sink| {
            self.flush_into(sink);
            output.take().into_iter().for_each(&mut *sink);
        });
        if let Some(output) = output {
            self.lock().push(output);
        }
    }

    /// Sends the waiting outputs to the running cell's sink (no-op off the kernel thread).
    pub(crate) fn flush(&self) {
        with_installed(|sink| self.flush_into(sink));
    }

    fn flush_into(&self, sink: &mut dyn FnMut(Output)) {
        let pending = std::mem::take(&mut *self.lock());
        pending.into_iter().for_each(sink);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Output>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs `f` with `sink` installed as this thread's output sink.
pub(crate) fn with_sink<R>(sink: &mut dyn FnMut(Output), f: impl FnOnce() -> R) -> R {
    struct Restore(Option<SinkPtr>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SINK.with(|s| s.set(self.0));
        }
    }
    let ptr: NonNull<dyn FnMut(Output) + '_> = NonNull::from(sink);
    // SAFETY: the transmute only erases the trait object's lifetime (same fat-pointer layout),
    // which is what lets a `'static` thread-local hold it. That is sound because the pointer is
    // only reachable through the thread-local while `f` runs — `Restore` takes it out again on
    // return and on unwind — and `sink` is exclusively borrowed for that whole time, so every
    // later dereference (in `with_installed`) sees a live pointee that nothing else uses.
    let ptr: SinkPtr = unsafe { std::mem::transmute(ptr) };
    let _restore = Restore(SINK.with(|s| s.replace(Some(ptr))));
    f()
}

/// Calls `f` with the installed sink, if one is installed on this thread.
fn with_installed(f: impl FnOnce(&mut dyn FnMut(Output))) {
    // Taken out while in use, so a sink that (indirectly) emits again cannot alias it.
    let Some(mut ptr) = SINK.with(Cell::take) else {
        return;
    };
    struct PutBack(SinkPtr);
    impl Drop for PutBack {
        fn drop(&mut self) {
            SINK.with(|s| s.set(Some(self.0)));
        }
    }
    let _put_back = PutBack(ptr);
    // SAFETY: see `with_sink`; the pointer was installed by a `with_sink` still on the stack.
    f(unsafe { ptr.as_mut() });
}

#[cfg(test)]
mod test {
    use super::*;

    fn text(s: &str) -> Output {
        Output::Text { text: s.into() }
    }

    #[test]
    fn outputs_stream_on_the_sink_thread_and_wait_elsewhere() {
        let outbox = std::sync::Arc::new(Outbox::default());
        let mut seen = Vec::new();
        with_sink(&mut |o| seen.push(o), || {
            let o = outbox.clone();
            std::thread::spawn(move || o.emit(text("from a worker")))
                .join()
                .unwrap();
            outbox.emit(text("here"));
        });
        assert_eq!(seen, [text("from a worker"), text("here")]);
        outbox.emit(text("after"));
        let mut late = Vec::new();
        with_sink(&mut |o| late.push(o), || outbox.flush());
        assert_eq!(late, [text("after")]);
    }
}
