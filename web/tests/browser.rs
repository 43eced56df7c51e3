//! Component tests in headless Chromium (wasm-bindgen-test, run_in_browser): the components render what the
//! core computes, compiled to wasm.
#![cfg(target_arch = "wasm32")]
use leptos::prelude::*;
use smallbms_core::document::Document;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    host
}

fn text(host: &web_sys::HtmlElement, sel: &str) -> String {
    host.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("{sel} missing"))
        .text_content()
        .unwrap_or_default()
}

async fn tick() {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::from(0)))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn bank_editor_shows_the_cores_figures_and_verdict() {
    let host = host();
    let doc = RwSignal::new(Document::default());
    let edit = Callback::new(move |d: Document| doc.set(d));
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! { <smallbms_web::configure::BankEditor doc=doc.into() edit /> }
    });
    assert_eq!(text(&host, "#fig-voltage"), "12.8 V");
    assert_eq!(text(&host, "#fig-capacity"), "800 Ah");
    assert_eq!(text(&host, "#fig-energy"), "10.24 kWh");
    assert_eq!(text(&host, "#fig-batteries"), "4");
    assert!(text(&host, "#bank-verdict").contains("Within the smallBMS NG datasheet limits"));
    // 51 batteries of 12.8 V 100 Ah: over the datasheet's 50.
    doc.update(|d| {
        d.bank.model = smallbms_core::catalogue::ModelRef::Builtin("ng-12v8-100".into());
        d.bank.parallel = 51;
    });
    tick().await;
    assert_eq!(text(&host, "#fig-batteries"), "51");
    let verdict = host
        .query_selector("#bank-verdict.error")
        .unwrap()
        .expect("an error verdict");
    let words = verdict.text_content().unwrap_or_default();
    assert!(words.contains("51") && words.contains("50"), "{words}");
    std::mem::forget(handle);
}

#[wasm_bindgen_test]
async fn findings_panel_lists_a_rule_with_fix_and_source() {
    let host = host();
    let mut d = Document::default();
    d.system.devices.push(
        smallbms_core::system::presets::preset("multiplus")
            .unwrap()
            .build(),
    );
    let findings = Signal::derive(move || smallbms_web::configure::all_findings(&d));
    let handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <smallbms_web::configure::FindingsPanel findings /> },
    );
    let li = host
        .query_selector("li[data-rule=\"device.vebus_refused\"]")
        .unwrap()
        .expect("the VE.Bus rule");
    let words = li.text_content().unwrap_or_default();
    assert!(words.contains("VE.Bus BMS NG"), "{words}");
    assert!(words.contains("datasheet"), "{words}");
    std::mem::forget(handle);
}

#[wasm_bindgen_test]
fn app_mounts_on_the_demo() {
    let host = host();
    let handle = leptos::mount::mount_to(host.clone(), smallbms_web::App);
    assert!(host
        .query_selector("#app[data-ready=\"true\"]")
        .unwrap()
        .is_some());
    std::mem::forget(handle);
}
