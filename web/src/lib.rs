//! smallBMS NG Studio, the browser shell: thin Leptos components over `smallbms_core`. No device rule lives
//! here; every figure, finding and state shown comes from the core.
pub mod i18n;
pub mod live;

use i18n::{tr, I18n, Lang, T};
use leptos::prelude::*;

/// The three views of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Configure,
    Simulate,
    Live,
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::En);
    provide_context(I18n(lang));
    let view = RwSignal::new(View::Configure);
    // Devices found over Bluetooth outlive a switch of tab.
    let live_devices = RwSignal::new(Vec::<live::LiveDevice>::new());
    Effect::new(move |_| {
        if let Some(doc) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = doc.set_attribute("lang", lang.get().code());
        }
    });
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
    view! {
        <div id="app" data-ready="true">
            <header class="topbar">
                <h1>{tr(T::AppName)}</h1>
                <nav class="tabs" role="tablist">
                    {tab(View::Configure, T::TabConfigure)}
                    {tab(View::Simulate, T::TabSimulate)}
                    {tab(View::Live, T::TabLive)}
                </nav>
                <span class="spacer"></span>
                <div class="lang" role="group" aria-label="Language">
                    {lang_button(Lang::En, "EN")}
                    {lang_button(Lang::Fr, "FR")}
                </div>
            </header>
            {move || match view.get() {
                View::Configure => view! {
                    <main class="configure">
                        <section class="panel"><h2>{tr(T::BankTitle)}</h2></section>
                    </main>
                }.into_any(),
                View::Simulate => view! { <main class="simulate"></main> }.into_any(),
                View::Live => view! { <main class="live"><live::LiveView devices=live_devices /></main> }.into_any(),
            }}
        </div>
    }
}
