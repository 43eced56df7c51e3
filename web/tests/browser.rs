//! Component tests in headless Chromium (wasm-bindgen-test, run_in_browser).
#![cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), smallbms_web::App);
    std::mem::forget(handle);
    host
}

#[wasm_bindgen_test]
fn app_mounts() {
    let host = mount();
    assert!(host.query_selector("#app").unwrap().is_some());
}
