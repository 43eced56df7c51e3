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
    let findings = Signal::derive(move || {
        smallbms_web::configure::all_findings(&d, smallbms_web::i18n::Lang::En)
    });
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

fn class_of(host: &web_sys::HtmlElement, sel: &str) -> String {
    host.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("{sel} missing"))
        .get_attribute("class")
        .unwrap_or_default()
}

/// A bubbling click, as a finger or mouse gives (also on SVG elements, which have no `click()`).
fn click(host: &web_sys::HtmlElement, sel: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("click", &init).unwrap();
    host.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("{sel} missing"))
        .dispatch_event(&ev)
        .unwrap();
}

/// The diagram follows the simulation: currents on the power paths, levels on the control wires, the
/// BatteryProtect opening, and a terminal's voltage and current on tap.
#[wasm_bindgen_test]
async fn diagram_lays_the_simulation_over_the_wiring() {
    use smallbms_core::engine::Simulation;
    use smallbms_core::units::SimTime;
    use smallbms_web::diagram_view::{DiagramView, Overlay};
    let host = host();
    let doc = Document::default();
    let scenario = smallbms_core::scenario::builtin("cell-undervoltage").unwrap();
    let sim = RwSignal::new(Simulation::new(&doc, Some(&scenario)).unwrap());
    sim.update(|s| {
        s.run_until(SimTime(60_000));
    });
    let overlay = Signal::derive(move || Some(sim.with(Overlay::from_simulation)));
    let doc = Signal::stored(doc);
    let handle =
        leptos::mount::mount_to(host.clone(), move || view! { <DiagramView doc overlay /> });
    // Running: LOAD high, the inverter draws its 72 A, the BatteryProtect feeds the 8 A DC loads.
    assert_eq!(
        class_of(&host, "polyline[data-id=\"dev2.control\"]"),
        "wire control high"
    );
    assert_eq!(text(&host, "text.amps[data-wire=\"dev2.power\"]"), "72.0 A");
    assert_eq!(text(&host, "text.amps[data-wire=\"dev0.power\"]"), "8.0 A");
    assert!(class_of(&host, "polyline[data-id=\"dev0.power\"]").contains("flow"));
    assert!(class_of(&host, "g[data-id=\"dev0\"]").ends_with(" on"));
    click(&host, "circle[data-id=\"bms.load\"]");
    tick().await;
    let info = text(&host, "#terminal-info");
    assert!(
        info.contains("high") && info.contains(" V") && info.contains("mA"),
        "{info}"
    );

    // Until the weak cell trips LOAD: everything on LOAD stops, the charger side is untouched.
    sim.update(|s| {
        while s.bms().load.level.is_high() && !s.finished() {
            let t = s.now().after(smallbms_core::units::Millis(10_000));
            s.run_until(t);
        }
    });
    tick().await;
    assert_eq!(
        class_of(&host, "polyline[data-id=\"dev2.control\"]"),
        "wire control"
    );
    assert_eq!(
        class_of(&host, "polyline[data-id=\"dev3.control\"]"),
        "wire control high"
    );
    assert!(class_of(&host, "g[data-id=\"dev0\"]").ends_with(" off"));
    // The DC loads behind the open BatteryProtect are off too, though nothing switched them directly.
    assert!(class_of(&host, "g[data-id=\"dev1\"]").ends_with(" off"));
    assert_eq!(text(&host, "text.amps[data-wire=\"dev0.power\"]"), "");
    assert!(!class_of(&host, "polyline[data-id=\"dev0.power\"]").contains("flow"));
    click(&host, "circle[data-id=\"bms.load\"]");
    tick().await;
    let info = text(&host, "#terminal-info");
    assert!(info.contains("floating") && info.contains("0 mA"), "{info}");
    // The red LED flashes its alarm code: an SVG animation built from the core's pattern.
    assert!(class_of(&host, "#led-red").contains("flashing"));
    assert!(host.query_selector("#led-red animate").unwrap().is_some());
    std::mem::forget(handle);
}

/// The Simulate view drives the core from its buttons: a step shows the outputs, pulling the BMS cable floats
/// LOAD and CHARGER and logs why.
#[wasm_bindgen_test]
async fn simulate_view_runs_the_core_from_its_controls() {
    let host = host();
    let doc = Signal::stored(Document::default());
    let handle = leptos::mount::mount_to(
        host.clone(),
        move || view! { <smallbms_web::simulate_basic::SimulateView doc /> },
    );
    tick().await;
    let select = host
        .query_selector("#sim-scenario")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlSelectElement>();
    select.set_value("");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    click(&host, "#sim-step");
    tick().await;
    let level = |id: &str| {
        host.query_selector(id)
            .unwrap()
            .unwrap()
            .get_attribute("data-level")
            .unwrap_or_default()
    };
    assert_eq!(level("#out-load"), "high");
    assert_eq!(level("#out-charger"), "high");
    click(&host, "#fault-pull-cable");
    click(&host, "#sim-step");
    tick().await;
    assert_eq!(level("#out-load"), "floating");
    assert_eq!(level("#out-charger"), "floating");
    let log = text(&host, "#event-log");
    assert!(log.contains("BMS-cable chain is broken"), "{log}");
    // The panel names the alarm and the error code the BMS raises.
    assert!(host
        .query_selector("#bms-alerts li[data-alert=\"alarm\"]")
        .unwrap()
        .is_some());
    let error = text(&host, "#bms-error");
    assert!(error.contains("#32"), "{error}");
    // The red LED flashes its code; the same element keeps animating across later steps (no restart per frame).
    let red = host.query_selector("#panel-led-red").unwrap().unwrap();
    assert!(red
        .get_attribute("class")
        .unwrap_or_default()
        .contains("flashing"));
    assert!(host
        .query_selector("#panel-led-red animate")
        .unwrap()
        .is_some());
    click(&host, "#sim-step");
    tick().await;
    let again = host.query_selector("#panel-led-red").unwrap().unwrap();
    assert!(
        red.is_same_node(Some(&again)),
        "the LED was re-created by a step"
    );
    std::mem::forget(handle);
}
