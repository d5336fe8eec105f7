//! Entry point of the browser app: mounts the notebook page and nothing else.

fn main() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(skein_app::App);
}

/// Routes Rust panics to the browser console so a failure is visible in devtools.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}
