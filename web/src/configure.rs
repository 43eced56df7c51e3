//! Configure view: the bank editor with its figures and verdict, the BMS settings (assumed values labelled), the
//! remote input and supply fuse, the device list, the findings panel, the parts list and the commissioning sheet.
//! Every figure, finding, preset and sheet line is computed by `smallbms_core`; this module only shows them and
//! sends edits back through `edit`.
use crate::i18n::{tr, use_lang, Lang, T};
use leptos::prelude::*;
use smallbms_core::battery::{self, BankConfig};
use smallbms_core::bms::{BmsOutput, BMS_PARAMETERS};
use smallbms_core::catalogue::{self, ModelRef};
use smallbms_core::devices::CableKind;
use smallbms_core::document::Document;
use smallbms_core::finding::{Finding, Severity, Subject};
use smallbms_core::lang::Localized;
use smallbms_core::system::presets::{self, PRESETS};
use smallbms_core::system::{Control, RemoteWiring};
use smallbms_core::units::Milliamps;

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

/// Every finding about `doc`: the bank against the datasheet, then the wired system (`core::preflight`, what the
/// simulator checks before it runs).
pub fn all_findings(doc: &Document, lang: Lang) -> Vec<Finding> {
    smallbms_core::preflight::findings_in(doc, None, lang)
}

/// Applies `f` to a copy of the document and hands it to `edit` (which records undo and saves).
pub(crate) fn change(
    doc: Signal<Document>,
    edit: Callback<Document>,
    f: impl FnOnce(&mut Document),
) {
    let mut d = doc.get_untracked();
    f(&mut d);
    edit.run(d);
}

/// Model, series and parallel of the bank, with the figures and the datasheet verdict under them.
#[component]
pub fn BankEditor(doc: Signal<Document>, edit: Callback<Document>) -> impl IntoView {
    let lang = use_lang();
    let models = catalogue::builtin_models();
    let bank = Signal::derive(move || doc.with(|d| d.bank.clone()));
    let model_id = move || bank.with(|b| b.model.id().to_string());
    let set_bank = move |f: &dyn Fn(&mut BankConfig)| change(doc, edit, |d| f(&mut d.bank));
    let figures = Memo::new(move |_| bank.with(battery::figures));
    let verdict = Memo::new(move |_| {
        let lang = lang();
        bank.with(|b| battery::validate_in(b, lang))
            .into_iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect::<Vec<_>>()
    });
    view! {
        <section class="panel" aria-labelledby="bank-title" id="bank">
            <h2 id="bank-title">{tr(T::BankTitle)}</h2>
            <div class="row">
                <label>{tr(T::Model)}
                    <select id="bank-model" on:change=move |ev| {
                        let id = event_target_value(&ev);
                        if id == "custom" {
                            // Start the custom model from the current one, so only what differs needs entering.
                            set_bank(&|b| {
                                if let Some(mut m) = b.model.resolve() {
                                    m.id = "custom".into();
                                    m.name = format!("{} {})", T::CustomFrom.get(untrack(lang)), m.name);
                                    m.assumed = true;
                                    m.source = "user".into();
                                    b.model = ModelRef::Custom(Box::new(m));
                                }
                            });
                        } else {
                            set_bank(&|b| b.model = ModelRef::Builtin(id.clone()));
                        }
                    }>
                        {models.into_iter().map(|m| {
                            let id = m.id.clone();
                            let selected = { let id = id.clone(); move || model_id() == id };
                            let name = m.name.clone();
                            let label = move || if m.assumed { format!("{name} ({})", T::AssumedWord.get(lang())) } else { name.clone() };
                            view! { <option value=id selected=selected>{label}</option> }
                        }).collect_view()}
                        <option value="custom" selected=move || bank.with(|b| matches!(b.model, ModelRef::Custom(_)))>{tr(T::CustomModel)}</option>
                    </select>
                </label>
                <label>{tr(T::InSeries)}
                    <input id="bank-series" type="number" min="1" max="16" inputmode="numeric"
                        prop:value=move || bank.with(|b| b.series.to_string())
                        on:input=move |ev| { if let Ok(n) = event_target_value(&ev).trim().parse::<u8>() { set_bank(&|b| b.series = n) } } />
                </label>
                <label>{tr(T::InParallel)}
                    <input id="bank-parallel" type="number" min="1" max="60" inputmode="numeric"
                        prop:value=move || bank.with(|b| b.parallel.to_string())
                        on:input=move |ev| { if let Ok(n) = event_target_value(&ev).trim().parse::<u8>() { set_bank(&|b| b.parallel = n) } } />
                </label>
            </div>
            {move || bank.with(|b| match &b.model {
                ModelRef::Custom(m) => {
                    let (ah, mohm) = (m.capacity.si(), f64::from(m.internal_resistance_uohm) / 1000.0);
                    Some(view! {
                        <div class="row" id="custom-model">
                            <label>{tr(T::CustomCapacity)}
                                <input id="custom-capacity" type="number" min="1" step="any" prop:value=trim_number(ah, 1)
                                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                                        if v.is_finite() { set_bank(&|b| if let ModelRef::Custom(m) = &mut b.model { m.capacity = smallbms_core::units::MilliampHours::from_si(v.clamp(0.0, 100_000.0)) }) } } } />
                            </label>
                            <label>{tr(T::CustomResistance)}
                                <input id="custom-resistance" type="number" min="0.1" step="any" prop:value=trim_number(mohm, 2)
                                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                                        if v.is_finite() { set_bank(&|b| if let ModelRef::Custom(m) = &mut b.model { m.internal_resistance_uohm = (v.clamp(0.0, 1000.0) * 1000.0) as u32 }) } } } />
                            </label>
                        </div>
                    })
                }
                ModelRef::Builtin(_) => None,
            })}
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
                Err(e) => view! { <p class="notice error">{e.in_lang(lang()).to_string()}</p> }.into_any(),
            }}
            {move || {
                let v = verdict.get();
                match v.iter().map(|f| f.severity).max() {
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

/// The smallBMS NG's settings from the core's parameter table; values the datasheet does not give are labelled
/// "assumed from sibling products", with their source.
#[component]
pub fn BmsSettingsPanel(doc: Signal<Document>, edit: Callback<Document>) -> impl IntoView {
    let lang = use_lang();
    let remote_options = [
        (RemoteWiring::SwitchLToH, T::RemoteLToH),
        (RemoteWiring::SwitchHToPlus, T::RemoteHToPlus),
        (RemoteWiring::SwitchLToMinus, T::RemoteLToMinus),
        (RemoteWiring::Bridged, T::RemoteBridged),
        (RemoteWiring::Open, T::RemoteOpen),
    ];
    view! {
        <section class="panel" aria-labelledby="bms-title" id="bms-settings">
            <h2 id="bms-title">{tr(T::BmsTitle)}</h2>
            <div class="row">
                <label>{tr(T::RemoteInput)}
                    <select id="remote-wiring" on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        if let Some((w, _)) = remote_options.get(i) {
                            let w = *w;
                            change(doc, edit, |d| d.system.remote = w);
                        }
                    }>
                        {remote_options.iter().enumerate().map(|(i, (w, label))| {
                            let w = *w;
                            view! { <option value=i.to_string() selected=move || doc.with(|d| d.system.remote == w)>{tr(*label)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{tr(T::SupplyFuse)}
                    <input id="supply-fuse" type="number" min="0.1" max="5" step="0.1"
                        prop:value=move || doc.with(|d| trim_number(d.system.supply_fuse.si(), 2))
                        on:change=move |ev| {
                            if let Ok(a) = event_target_value(&ev).trim().parse::<f64>() {
                                if a.is_finite() { change(doc, edit, |d| d.system.supply_fuse = Milliamps::from_si(a.clamp(0.0, 100.0))) }
                            }
                        } />
                </label>
            </div>
            <table class="params">
                <tbody>
                    {BMS_PARAMETERS.iter().map(|p| {
                        let scale = p.unit.scale() as f64;
                        let key = p.key;
                        view! {
                            <tr data-param=key>
                                <th scope="row">{move || p.name_in(lang())}
                                    {p.assumed.then(|| view! { " " <span class="assumed" title=move || format!("{} — {}", p.source, p.note_in(lang()))>{tr(T::Assumed)}</span> })}
                                </th>
                                <td>
                                    <input type="number" step="any" aria-label=move || p.name_in(lang())
                                        prop:value=move || doc.with(|d| trim_number(p.get(&d.system.bms) as f64 / scale, 3))
                                        on:change=move |ev| {
                                            if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                                                if v.is_finite() {
                                                    change(doc, edit, |d| { p.set(&mut d.system.bms, (v * scale).round() as i64); });
                                                }
                                            }
                                        } />
                                    " " {p.unit.suffix()}
                                </td>
                                <td class="muted">{p.source}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn output_value(o: Option<BmsOutput>) -> &'static str {
    match o {
        None => "none",
        Some(BmsOutput::Load) => "load",
        Some(BmsOutput::Charger) => "charger",
        Some(BmsOutput::PreAlarm) => "pre_alarm",
    }
}

fn parse_output(v: &str) -> Option<BmsOutput> {
    match v {
        "load" => Some(BmsOutput::Load),
        "charger" => Some(BmsOutput::Charger),
        "pre_alarm" => Some(BmsOutput::PreAlarm),
        _ => None,
    }
}

/// The downstream devices: add from the palette, choose which BMS output drives each and through which cable,
/// and which switch each sits behind.
#[component]
pub fn DevicesPanel(doc: Signal<Document>, edit: Callback<Document>) -> impl IntoView {
    let lang = use_lang();
    let to_add = RwSignal::new(PRESETS[0].id.to_string());
    let count = move || doc.with(|d| d.system.devices.len());
    let device_row = move |i: usize| {
        let dev = move || doc.with(|d| d.system.devices.get(i).cloned());
        view! {
            {move || dev().map(|d| {
                let output = d.control.map(|c| c.output);
                let cable = d.control.and_then(|c| c.cable);
                let behind = d.power_path.behind;
                let switches: Vec<(usize, String)> = doc.with(|doc| doc.system.devices.iter().enumerate()
                    .filter(|(j, o)| *j != i && o.kind.is_switch()).map(|(j, o)| (j, o.name.clone())).collect());
                view! {
                    <li data-device=i.to_string()>
                        <div class="head">
                            <input type="text" class="device-name" aria-label=move || T::DeviceName.get(lang()) prop:value=d.name.clone()
                                on:change=move |ev| { let n = event_target_value(&ev); change(doc, edit, |doc| if let Some(x) = doc.system.devices.get_mut(i) { x.name = n }); } />
                            <span class="muted">{d.kind.label_in(lang())}</span>
                            <button class="secondary remove" aria-label={ let n = d.name.clone(); move || format!("{} {n}", T::Remove.get(lang())) } on:click=move |_| change(doc, edit, |doc| {
                                if i < doc.system.devices.len() {
                                    doc.system.devices.remove(i);
                                    // Keep "behind" indices pointing at the same switches.
                                    for x in &mut doc.system.devices {
                                        x.power_path.behind = match x.power_path.behind {
                                            Some(j) if j == i => None,
                                            Some(j) if j > i => Some(j - 1),
                                            other => other,
                                        };
                                    }
                                }
                            })>"✕"</button>
                        </div>
                        <div class="row">
                            <label>{tr(T::DrivenBy)}
                                <select class="device-output" on:change=move |ev| {
                                    let o = parse_output(&event_target_value(&ev));
                                    change(doc, edit, |doc| if let Some(x) = doc.system.devices.get_mut(i) {
                                        x.control = o.map(|o| Control { output: o, cable: x.control.and_then(|c| c.cable) });
                                    });
                                }>
                                    {["none", "load", "charger", "pre_alarm"].into_iter().map(|v| {
                                        let label = match v { "none" => "—", "load" => "LOAD", "charger" => "CHARGER", _ => "PRE-ALARM" };
                                        view! { <option value=v selected=output_value(output) == v>{label}</option> }
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{tr(T::Cable)}
                                <select class="device-cable" disabled=output.is_none() on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    let c = CableKind::ALL.into_iter().find(|c| c.part_number() == v);
                                    change(doc, edit, |doc| if let Some(x) = doc.system.devices.get_mut(i) {
                                        if let Some(ctl) = x.control.as_mut() { ctl.cable = c; }
                                    });
                                }>
                                    <option value="" selected=cable.is_none()>"—"</option>
                                    {CableKind::ALL.into_iter().map(|c| view! {
                                        <option value=c.part_number() selected=cable == Some(c)>{format!("{} {}", c.part_number(), c.name_in(lang()))}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label>{tr(T::Behind)}
                                <select class="device-behind" on:change=move |ev| {
                                    let j = event_target_value(&ev).parse::<usize>().ok();
                                    change(doc, edit, |doc| if let Some(x) = doc.system.devices.get_mut(i) { x.power_path.behind = j });
                                }>
                                    <option value="" selected=behind.is_none()>{tr(T::OnTheBank)}</option>
                                    {switches.into_iter().map(|(j, name)| view! {
                                        <option value=j.to_string() selected=behind == Some(j)>{name}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                        </div>
                    </li>
                }
            })}
        }
    };
    view! {
        <section class="panel" aria-labelledby="devices-title" id="devices">
            <h2 id="devices-title">{tr(T::DevicesTitle)} " " <span class="muted">{move || format!("({})", count())}</span></h2>
            <div class="row">
                <label>{tr(T::AddDevice)}
                    <select id="device-preset" on:change=move |ev| to_add.set(event_target_value(&ev))>
                        {move || PRESETS.iter().map(|p| view! { <option value=p.id selected=to_add.get_untracked() == p.id>{p.label_in(lang())}</option> }).collect_view()}
                    </select>
                </label>
                <button id="device-add" on:click=move |_| {
                    if let Some(p) = presets::preset(&to_add.get_untracked()) {
                        let d = p.build_in(lang());
                        change(doc, edit, |doc| doc.system.devices.push(d));
                    }
                }>{tr(T::Add)}</button>
            </div>
            <ul class="devices">
                {move || (0..count()).map(device_row).collect_view()}
            </ul>
        </section>
    }
}

/// Where a finding points, for the link under it.
fn subject_anchor(s: &Subject, lang: Lang) -> (String, String) {
    match s {
        Subject::Bank => ("#bank".into(), T::BankTitle.get(lang).into()),
        Subject::Bms => ("#bms-settings".into(), "smallBMS NG".into()),
        Subject::Terminal { name } => (
            "#bms-settings".into(),
            format!("{} {name}", T::Terminal.get(lang)),
        ),
        Subject::Device { index } => (
            format!("#devices li[data-device=\"{index}\"]"),
            format!("{} {}", T::Device.get(lang), index + 1),
        ),
    }
}

/// Every finding, worst first, each with its fix and source, linked to the part it concerns.
#[component]
pub fn FindingsPanel(findings: Signal<Vec<Finding>>) -> impl IntoView {
    let lang = use_lang();
    let focus = |selector: String| {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
        {
            el.scroll_into_view();
        }
    };
    view! {
        <section class="panel" aria-labelledby="findings-title" id="findings" aria-live="polite">
            <h2 id="findings-title">{tr(T::FindingsTitle)} " " <span class="muted" id="findings-count">{move || format!("({})", findings.with(Vec::len))}</span></h2>
            {move || {
                let mut list = findings.get();
                list.sort_by_key(|f| core::cmp::Reverse(f.severity));
                if list.is_empty() {
                    view! { <p class="verdict ok">{tr(T::NoFindings)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="findings">
                            {list.into_iter().map(|f| {
                                let class = severity_class(f.severity);
                                let (anchor, what) = subject_anchor(&f.subject, lang());
                                let word = match f.severity {
                                    Severity::Error => T::SeverityError,
                                    Severity::Warning => T::SeverityWarning,
                                    Severity::Info => T::SeverityInfo,
                                };
                                view! {
                                    <li class=class data-rule=f.id>
                                        <span class=format!("badge {class}")>{tr(word)}</span>
                                        {f.message}
                                        <p class="fix"><strong>{tr(T::Fix)}</strong> " " {f.fix}</p>
                                        <span class="source">{tr(T::Source)} " " {f.source} " · "
                                            <a href="#" on:click=move |ev| { ev.prevent_default(); focus(anchor.clone()); }>{what}</a>
                                        </span>
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

/// The parts list with Victron part numbers and the printable commissioning sheet.
#[component]
pub fn PartsPanel(doc: Signal<Document>) -> impl IntoView {
    let lang = use_lang();
    let parts = Memo::new(move |_| {
        let lang = lang();
        doc.with(|d| presets::parts_list_in(d, lang))
    });
    let sheet = Memo::new(move |_| {
        let lang = lang();
        doc.with(|d| presets::commissioning_in(d, lang))
    });
    view! {
        <section class="panel wide" aria-labelledby="parts-title" id="parts">
            <div class="row no-print" style="justify-content: space-between">
                <h2 id="parts-title">{tr(T::PartsTitle)}</h2>
                <button class="secondary" id="print-sheet" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{tr(T::Print)}</button>
            </div>
            <table id="parts-list">
                <thead><tr><th>{tr(T::Qty)}</th><th>{tr(T::Part)}</th><th>{tr(T::PartNumber)}</th><th>{tr(T::Source)}</th></tr></thead>
                <tbody>
                    {move || parts.get().into_iter().map(|l| view! {
                        <tr><td>{l.quantity}</td><td>{l.name}</td><td>{l.part_number.unwrap_or_else(|| T::NotPublic.get(lang()))}</td><td class="muted">{l.source}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{tr(T::CommissioningTitle)}</h3>
            <table id="commissioning-settings">
                <tbody>
                    {move || sheet.get().settings.into_iter().map(|(part, text)| view! { <tr><th>{part}</th><td>{text}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <h3>{tr(T::ChecksTitle)}</h3>
            <ol id="commissioning-checks">
                {move || sheet.get().checks.into_iter().map(|c| view! { <li>"☐ " {c}</li> }).collect_view()}
            </ol>
        </section>
    }
}

/// The whole Configure view.
#[component]
pub fn ConfigureView(
    doc: Signal<Document>,
    edit: Callback<Document>,
    diagram: ViewFn,
) -> impl IntoView {
    let lang = use_lang();
    let findings = Signal::derive(move || {
        let lang = lang();
        doc.with(|d| all_findings(d, lang))
    });
    view! {
        <main class="configure">
            <div class="stack">
                <BankEditor doc edit />
                <DevicesPanel doc edit />
                <BmsSettingsPanel doc edit />
            </div>
            <div class="stack">
                <FindingsPanel findings />
                <section class="panel" aria-label=move || T::Diagram.get(lang())>{diagram.run()}</section>
            </div>
            <crate::power_view::PowerPanel doc edit />
            <PartsPanel doc />
        </main>
    }
}
