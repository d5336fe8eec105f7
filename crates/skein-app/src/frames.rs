//! Timing on the page's event loop: a callback on every animation frame, for as long as the
//! page lives, and a sleep that yields to the browser instead of blocking.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The frame callback, kept alive by the callback itself (it schedules the next frame).
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

/// Calls `f` before each repaint; the loop lives as long as the page.
pub fn every_frame(mut f: impl FnMut() + 'static) {
    let slot: FrameSlot = Rc::new(RefCell::new(None));
    let again = slot.clone();
    *slot.borrow_mut() = Some(Closure::new(move || {
        f();
        request(&again);
    }));
    request(&slot);
}

fn request(slot: &FrameSlot) {
    if let (Some(window), Some(callback)) = (web_sys::window(), slot.borrow().as_ref()) {
        let _ = window.request_animation_frame(callback.as_ref().unchecked_ref());
    }
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
