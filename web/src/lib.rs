//! smallBMS NG Studio, the browser shell: thin Leptos components over `smallbms_core`. No device rule lives
//! here; every figure, finding and state shown comes from the core.
pub mod bench;
pub mod configure;
pub mod diagram_view;
pub mod i18n;
pub mod live;
/// The Plan view (issue 11), built only with the `plan-view` feature until the release bundle has room for it
/// (wired, it is ≈ 43 KB gzip over the 400 KB budget); `scripts/test.sh` still lints it.
#[cfg(feature = "plan-view")]
pub mod plan;
pub mod power_view;
pub mod simulate_basic;
pub mod store;

use i18n::{tr, I18n, Lang, T};
use leptos::prelude::*;
use smallbms_core::document::Document;
use smallbms_core::lang::Localized;
use wasm_bindgen::JsCast;

/// The three views of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Configure,
    Simulate,
    Live,
}

const LANG_KEY: &str = "smallbms.lang";

fn saved_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|c| Lang::from_code(&c))
        .or_else(|| {
            let nav = web_sys::window()?.navigator().language()?;
            nav.starts_with("fr").then_some(Lang::Fr)
        })
        .unwrap_or_default()
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
pub fn App() -> impl IntoView {
    // `?bench`: the browser benchmark page instead of the app.
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if search.contains("bench") {
        let first = web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now());
        return view! { <div id="app" data-ready="true"><bench::BenchView first_render_ms=first /></div> }.into_any();
    }
    let lang = RwSignal::new(saved_lang());
    provide_context(I18n(lang));
    let view = RwSignal::new(View::Configure);
    // Devices found over Bluetooth outlive a switch of tab.
    let live_devices = RwSignal::new(Vec::<live::LiveDevice>::new());

    let (initial, origin) = store::load_initial();
    let doc = RwSignal::new(initial);
    let history = RwSignal::new(store::History::default());
    let notice = RwSignal::new(origin.notice(lang.get_untracked()));
    let share = RwSignal::new(None::<String>);
    let edit = Callback::new(move |new: Document| {
        let before = doc.get_untracked();
        if before != new {
            history.update(|h| h.record(before));
            doc.set(new);
        }
    });
    // Autosave on every change (a system is a few kB). What the user must know (a system kept aside, a save the
    // browser refused) is added to the notice of the first save (which may say where the system came from) and
    // replaces it later.
    Effect::new(move |first: Option<()>| {
        let d = doc.get();
        if let Some(note) = store::autosave(&d) {
            let text = note.notice(lang.get_untracked());
            match notice.get_untracked() {
                Some(before) if first.is_none() => notice.set(Some(format!("{before} {text}"))),
                _ => notice.set(Some(text)),
            }
        }
    });
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(w) = web_sys::window() {
            if let Some(el) = w.document().and_then(|d| d.document_element()) {
                let _ = el.set_attribute("lang", l.code());
            }
            if let Ok(Some(s)) = w.local_storage() {
                let _ = s.set_item(LANG_KEY, l.code());
            }
        }
    });
    let undo = move || {
        let cur = doc.get_untracked();
        if let Some(prev) = history.try_update(|h| h.undo(cur)).flatten() {
            doc.set(prev);
        }
    };
    let redo = move || {
        let cur = doc.get_untracked();
        if let Some(next) = history.try_update(|h| h.redo(cur)).flatten() {
            doc.set(next);
        }
    };
    // Ctrl/Cmd+Z, Ctrl+Shift+Z / Ctrl+Y (not while typing in a field, where the browser's own undo applies).
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing || !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        match ev.key().as_str() {
            "z" if !ev.shift_key() => undo(),
            "Z" | "y" => redo(),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || keys.remove());

    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text.map(|t| Document::from_json(&t)) {
                Some(Ok(d)) => {
                    edit.run(d);
                    notice.set(Some(format!(
                        "{} {}.",
                        T::Imported.get(lang.get_untracked()),
                        file.name()
                    )));
                }
                Some(Err(e)) => notice.set(Some(format!(
                    "{} {}{}{}.",
                    T::ImportFailed.get(lang.get_untracked()),
                    file.name(),
                    T::Colon.get(lang.get_untracked()),
                    e.in_lang(lang.get_untracked())
                ))),
                None => notice.set(Some(format!(
                    "{} {}{}{}.",
                    T::ImportFailed.get(lang.get_untracked()),
                    file.name(),
                    T::Colon.get(lang.get_untracked()),
                    T::FileUnreadable.get(lang.get_untracked())
                ))),
            }
        });
    };

    let tab = move |v: View, key: T| {
        view! {
            <button role="tab" aria-selected=move || (view.get() == v).to_string() on:click=move |_| view.set(v)>
                {tr(key)}
            </button>
        }
    };
    let lang_button = move |l: Lang, label: &'static str| {
        view! {
            <button aria-pressed=move || (lang.get() == l).to_string() on:click=move |_| lang.set(l)>{label}</button>
        }
    };
    let doc_signal: Signal<Document> = doc.into();
    // A smallBMS NG heard over Bluetooth drives the diagram of the Configure view.
    let live_overlay = Signal::derive(move || {
        live_devices.with(|l| {
            l.iter()
                .find_map(|d| match d.decoded.as_ref().map(|r| &r.record) {
                    Some(smallbms_core::readout::Record::Bms(b)) => {
                        Some(diagram_view::Overlay::from_readout(b))
                    }
                    _ => None,
                })
        })
    });
    let first_render = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    view! {
        <div id="app" data-ready="true" data-first-render-ms=format!("{first_render:.1}")>
            <header class="topbar">
                <h1>{tr(T::AppName)}</h1>
                <nav class="tabs" role="tablist">
                    {tab(View::Configure, T::TabConfigure)}
                    {tab(View::Simulate, T::TabSimulate)}
                    {tab(View::Live, T::TabLive)}
                </nav>
                <span class="spacer"></span>
                <div class="lang" role="group" aria-label=move || T::Language.get(lang.get())>
                    {lang_button(Lang::En, "EN")}
                    {lang_button(Lang::Fr, "FR")}
                </div>
            </header>
            <div class="toolbar no-print">
                <button class="secondary" id="undo" disabled=move || !history.with(|h| h.can_undo()) on:click=move |_| undo()>{tr(T::Undo)}</button>
                <button class="secondary" id="redo" disabled=move || !history.with(|h| h.can_redo()) on:click=move |_| redo()>{tr(T::Redo)}</button>
                <button class="secondary" id="share" on:click=move |_| share.set(Some(store::share_url(&doc.get_untracked())))>{tr(T::Share)}</button>
                <button class="secondary" id="export" on:click=move |_| download("smallbms-system.json", "application/json", &doc.get_untracked().to_json_pretty())>{tr(T::Export)}</button>
                <label class="button secondary" id="import-label">{tr(T::Import)}
                    <input id="import" type="file" accept="application/json,.json" class="sr-only" on:change=import />
                </label>
            </div>
            {move || notice.get().map(|n| view! {
                <p class="notice warning" id="notice" role="status">{n} " "
                    <button class="secondary" on:click=move |_| notice.set(None) aria-label=move || T::Dismiss.get(lang.get())>"✕"</button></p>
            })}
            {move || share.get().map(|url| view! {
                <p class="notice" id="share-box">{tr(T::LinkCopied)} " "
                    <input type="text" id="share-url" readonly prop:value=url style="width: 100%" on:focus=move |ev| {
                        if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                    } />
                </p>
            })}
            {move || match view.get() {
                View::Configure => view! {
                    <configure::ConfigureView doc=doc_signal edit diagram=ViewFn::from(move || view! {
                        <diagram_view::DiagramView doc=doc_signal overlay=live_overlay />
                    }) />
                }.into_any(),
                View::Simulate => view! { <main class="simulate"><simulate_basic::SimulateView doc=doc_signal /></main> }.into_any(),
                View::Live => view! {
                    <main class="live">
                        <live::LiveView devices=live_devices config=doc_signal />
                        <section class="panel wide"><diagram_view::DiagramView doc=doc_signal overlay=live_overlay /></section>
                    </main>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}
