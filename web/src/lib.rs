//! smallBMS NG Studio, the browser shell: thin Leptos components over `smallbms_core`.
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! { <h1>"smallBMS NG Studio"</h1> }
}
