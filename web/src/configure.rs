//! Configure view: the bank editor with its figures and verdict, and the findings panel. Every figure and
//! finding is computed by `smallbms_core`; this module only shows them and sends edits back.
use crate::i18n::{tr, T};
use leptos::prelude::*;
use smallbms_core::battery::{self, BankConfig};
use smallbms_core::catalogue::{self, ModelRef};
use smallbms_core::finding::{Finding, Severity};

/// Formats a number with at most `decimals` decimals and no trailing zeros ("10.24", "800", "12.8").
pub fn trim_number(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Model, series and parallel of the bank, with the figures and the datasheet verdict under them.
#[component]
pub fn BankEditor(bank: Signal<BankConfig>, set_bank: Callback<BankConfig>) -> impl IntoView {
    let models = catalogue::builtin_models();
    let model_id = move || bank.with(|b| b.model.id().to_string());
    let edit = move |f: &dyn Fn(&mut BankConfig)| {
        let mut b = bank.get_untracked();
        f(&mut b);
        set_bank.run(b);
    };
    let figures = Memo::new(move |_| bank.with(battery::figures));
    let verdict = Memo::new(move |_| {
        let findings = bank.with(battery::validate);
        findings.into_iter().filter(|f| f.severity >= Severity::Warning).collect::<Vec<_>>()
    });
    let number = |v: u8| v.to_string();
    view! {
        <section class="panel" aria-labelledby="bank-title">
            <h2 id="bank-title">{tr(T::BankTitle)}</h2>
            <div class="row">
                <label>{tr(T::Model)}
                    <select id="bank-model" on:change=move |ev| {
                        let id = event_target_value(&ev);
                        edit(&|b| b.model = ModelRef::Builtin(id.clone()));
                    }>
                        {models.iter().map(|m| {
                            let id = m.id.to_string();
                            let selected = { let id = id.clone(); move || model_id() == id };
                            view! { <option value=id.clone() selected=selected>{m.name.to_string()}{m.assumed.then_some(" (assumed)")}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{tr(T::InSeries)}
                    <input id="bank-series" type="number" min="1" max="16" inputmode="numeric"
                        prop:value=move || bank.with(|b| number(b.series))
                        on:input=move |ev| if let Ok(n) = event_target_value(&ev).parse::<u8>() { edit(&|b| b.series = n) } />
                </label>
                <label>{tr(T::InParallel)}
                    <input id="bank-parallel" type="number" min="1" max="60" inputmode="numeric"
                        prop:value=move || bank.with(|b| number(b.parallel))
                        on:input=move |ev| if let Ok(n) = event_target_value(&ev).parse::<u8>() { edit(&|b| b.parallel = n) } />
                </label>
            </div>
            {move || match figures.get() {
                Ok(f) => view! {
                    <dl class="figures">
                        <div><dt>{tr(T::SystemVoltage)}</dt><dd id="fig-voltage">{format!("{} V", trim_number(f.nominal_voltage.si(), 1))}</dd></div>
                        <div><dt>{tr(T::Capacity)}</dt><dd id="fig-capacity">{format!("{} Ah", trim_number(f.capacity.si(), 0))}</dd></div>
                        <div><dt>{tr(T::Energy)}</dt><dd id="fig-energy">{format!("{} kWh", trim_number(f.energy_wh as f64 / 1000.0, 2))}</dd></div>
                        <div><dt>{tr(T::Batteries)}</dt><dd id="fig-batteries">{f.batteries.to_string()}</dd></div>
                        <div><dt>{tr(T::Cells)}</dt><dd id="fig-cells">{f.cells.to_string()}</dd></div>
                    </dl>
                }.into_any(),
                Err(e) => view! { <p class="notice error">{e.to_string()}</p> }.into_any(),
            }}
            {move || {
                let v = verdict.get();
                let worst = v.iter().map(|f| f.severity).max();
                match worst {
                    None => view! { <p id="bank-verdict" class="verdict ok">{tr(T::WithinLimits)}</p> }.into_any(),
                    Some(s) => view! {
                        <div id="bank-verdict" class=format!("verdict {}", severity_class(s)) role="alert">
                            {v.into_iter().map(|f| view! { <p>{f.message}</p> }).collect_view()}
                        </div>
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// Every finding, worst first, each with its fix and source, linked to the part it concerns.
#[component]
pub fn FindingsPanel(findings: Signal<Vec<Finding>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="findings-title" id="findings">
            <h2 id="findings-title">{tr(T::FindingsTitle)} " " <span class="muted">{move || format!("({})", findings.with(Vec::len))}</span></h2>
            {move || {
                let mut list = findings.get();
                list.sort_by(|a, b| b.severity.cmp(&a.severity));
                if list.is_empty() {
                    view! { <p class="verdict ok">{tr(T::NoFindings)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="findings">
                            {list.into_iter().map(|f| {
                                let class = severity_class(f.severity);
                                view! {
                                    <li class=class data-rule=f.id>
                                        <span class=format!("badge {class}")>{class}</span>
                                        {f.message}
                                        <p class="fix"><strong>{tr(T::Fix)}</strong> " " {f.fix}</p>
                                        <span class="source">{tr(T::Source)} " " {f.source}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
