//! Timing on the page's event loop: callbacks paced to the screen while they have work and to
//! a slow timer while they have none, and a sleep that yields to the browser instead of
//! blocking.
//!
//! An idle page should leave the cores to the workers: asking for every animation frame keeps
//! the browser producing frames (its main thread, compositor and GPU process wake sixty times a
//! second) for a page that shows nothing new. Headless Chromium measured 1.1% of a core for an
//! idle page polling every frame and 0.2% paced (`bench-pi.mjs`); a visible tab, which really
//! composites, costs more.

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// What a paced callback found to do this time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    /// It had something to show, or may have soon: call it again next frame.
    Busy,
    /// Nothing changed.
    Idle,
}

/// Idle frames in a row before a loop drops from every frame to the slow timer: a quarter of a
/// second, so a burst of activity with short pauses keeps its frame rate.
const IDLE_FRAMES: u32 = 15;

/// How often an idle loop looks again, in milliseconds: what the kernel or a worker did in the
/// meantime shows at most this late (the user's own input wakes loops at once).
pub const IDLE_POLL_MS: i32 = 100;

/// When a loop should run next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Next {
    Frame,
    Timer,
}

/// The pacing rule, apart from the browser: every frame until `IDLE_FRAMES` idle ticks in a
/// row, then the timer until a busy tick or a wake.
#[derive(Debug, Default)]
struct Pace {
    idle_ticks: Cell<u32>,
}

impl Pace {
    fn after(&self, tick: Tick) -> Next {
        let idle = match tick {
            Tick::Busy => 0,
            Tick::Idle => self.idle_ticks.get().saturating_add(1),
        };
        self.idle_ticks.set(idle);
        if idle >= IDLE_FRAMES {
            Next::Timer
        } else {
            Next::Frame
        }
    }

    fn wake(&self) {
        self.idle_ticks.set(0);
    }
}

/// A pending browser callback of a loop, by its handle (to cancel a timer on wake).
#[derive(Clone, Copy)]
enum Scheduled {
    Frame,
    Timer(i32),
}

/// One paced loop. Only `run` borrows the callback, so a callback may wake loops (its own
/// included) without a double borrow.
struct Loop {
    callback: RefCell<Box<dyn FnMut() -> Tick>>,
    pace: Pace,
    scheduled: Cell<Option<Scheduled>>,
    /// The browser-facing callback; set once, after the `Rc` exists.
    trampoline: OnceCell<Closure<dyn FnMut()>>,
}

impl Loop {
    fn run(&self) {
        self.scheduled.set(None);
        let tick = (self.callback.borrow_mut())();
        let next = self.pace.after(tick);
        self.schedule(next);
    }

    fn schedule(&self, next: Next) {
        let (Some(window), Some(trampoline)) = (web_sys::window(), self.trampoline.get()) else {
            return;
        };
        let function = trampoline.as_ref().unchecked_ref();
        let scheduled = match next {
            Next::Frame => window
                .request_animation_frame(function)
                .ok()
                .map(|_| Scheduled::Frame),
            Next::Timer => window
                .set_timeout_with_callback_and_timeout_and_arguments_0(function, IDLE_POLL_MS)
                .ok()
                .map(Scheduled::Timer),
        };
        self.scheduled.set(scheduled);
    }

    /// Back to every frame: a loop waiting on its timer gets the next frame instead.
    fn wake(&self) {
        self.pace.wake();
        if let Some(Scheduled::Timer(handle)) = self.scheduled.get() {
            if let Some(window) = web_sys::window() {
                window.clear_timeout_with_handle(handle);
            }
            self.schedule(Next::Frame);
        }
    }
}

thread_local! {
    /// Every paced loop of the page; they live as long as the page.
    static LOOPS: RefCell<Vec<Rc<Loop>>> = const { RefCell::new(Vec::new()) };
}

/// Calls `f` before each repaint while it reports [`Tick::Busy`] (and for a quarter of a
/// second after), then every [`IDLE_POLL_MS`] until it is busy again or [`wake_all`] is
/// called. The loop lives as long as the page.
pub fn paced(f: impl FnMut() -> Tick + 'static) {
    let first = LOOPS.with_borrow(Vec::is_empty);
    let pacer = Rc::new(Loop {
        callback: RefCell::new(Box::new(f)),
        pace: Pace::default(),
        scheduled: Cell::new(None),
        trampoline: OnceCell::new(),
    });
    let weak = Rc::downgrade(&pacer);
    let _ = pacer.trampoline.set(Closure::new(move || {
        if let Some(pacer) = weak.upgrade() {
            pacer.run();
        }
    }));
    pacer.schedule(Next::Frame);
    LOOPS.with_borrow_mut(|loops| loops.push(pacer));
    if first {
        wake_on_input();
    }
}

/// Puts every paced loop back on every frame: something will happen soon (cells went to the
/// kernel, the user typed or zoomed).
pub fn wake_all() {
    // Cloned out first: a woken loop schedules through the browser, never back in here, but
    // the registry must not be borrowed while loops run code.
    let loops = LOOPS.with_borrow(Clone::clone);
    for pacer in loops {
        pacer.wake();
    }
}

/// The user's keys, wheel and window size wake the loops, so the dashboard's zoom and canvases
/// answer within a frame even on an idle page. Clicks do not: a button that starts work sends
/// a request, which wakes what it needs (`Kernel::send`), and the rest update the page through
/// their signals without the loops.
fn wake_on_input() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener = Closure::<dyn FnMut()>::new(wake_all);
    for event in ["keydown", "wheel", "resize"] {
        let _ = window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    listener.forget();
}

/// Resolves after `ms` milliseconds; the page runs meanwhile.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_loop_keeps_every_frame_until_a_run_of_idle_ticks() {
        let pace = Pace::default();
        for _ in 1..IDLE_FRAMES {
            assert_eq!(pace.after(Tick::Idle), Next::Frame);
        }
        assert_eq!(pace.after(Tick::Idle), Next::Timer);
        assert_eq!(pace.after(Tick::Idle), Next::Timer);
    }

    #[wasm_bindgen_test]
    fn a_busy_tick_or_a_wake_restarts_the_count() {
        let pace = Pace::default();
        for _ in 0..IDLE_FRAMES {
            pace.after(Tick::Idle);
        }
        assert_eq!(pace.after(Tick::Busy), Next::Frame);
        for _ in 1..IDLE_FRAMES {
            assert_eq!(pace.after(Tick::Idle), Next::Frame);
        }
        pace.wake();
        assert_eq!(pace.after(Tick::Idle), Next::Frame);
    }
}
