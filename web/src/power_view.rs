//! Configure → Power wiring: every power cable with its size (mm² and AWG), one-way length, fuse, design current,
//! drop and ampacity, a "Suggest" per cable and "Size everything"; the bank side (layout, distribution,
//! SmartShunt, main switch, string fuses) and the assumed parameters. Every figure comes from
//! `smallbms_core::power`; this view only shows it and sends edits back.
use crate::configure::{change, trim_number};
use crate::i18n::{tr, use_lang, T};
use leptos::prelude::*;
use smallbms_core::document::Document;
use smallbms_core::lang::Localized;
use smallbms_core::power::analysis::{analyse_in, CableId, CableReport};
use smallbms_core::power::suggest::{apply, size_everything, suggest, ASSUMED_LENGTH_DEVICE};
use smallbms_core::power::tables::{
    ampacity_assumptions, awg, AmpacityBasis, FuseKind, STANDARD_SIZES,
};
use smallbms_core::power::{Cable, Circuit, CrossSection, Fuse, Length, ParallelLayout};

/// The `data-cable` name of a row: `main`, `interconnect`, `device-3`.
pub fn cable_key(id: CableId) -> String {
    match id {
        CableId::Main => "main".into(),
        CableId::Interconnect => "interconnect".into(),
        CableId::Device(i) => format!("device-{i}"),
    }
}

/// A size as the select shows it: "25 mm² (AWG 3)".
pub fn size_label(cs: CrossSection) -> String {
    match awg(cs) {
        Some(a) => format!("{cs} (AWG {a})"),
        None => cs.to_string(),
    }
}

/// The circuit of `id` in `doc`, for editing; the interconnect has only a cable.
fn circuit(doc: &Document, id: CableId) -> Circuit {
    smallbms_core::power::suggest::circuit_of(&doc.system, id).unwrap_or_default()
}

fn set_circuit(doc: &mut Document, id: CableId, c: Circuit) {
    match id {
        CableId::Main => doc.system.power.main = c,
        CableId::Interconnect => doc.system.power.interconnect = c.cable,
        CableId::Device(i) => {
            if let Some(d) = doc.system.devices.get_mut(i) {
                d.circuit = c;
            }
        }
    }
}

/// Parses a positive decimal as typed ("2.5", "2,5").
fn parse_positive(s: &str) -> Option<f64> {
    let v: f64 = s.trim().replace(',', ".").parse().ok()?;
    (v.is_finite() && v > 0.0).then_some(v)
}

/// What choosing a fuse type does on circuit `id`: the type changes, the rating is kept.
fn on_fuse(
    doc: Signal<Document>,
    edit: Callback<Document>,
    id: CableId,
) -> impl Fn(Option<FuseKind>) + 'static {
    move |k| {
        change(doc, edit, |d| {
            let mut cir = circuit(d, id);
            cir.fuse = k.map(|k| Fuse::new(k, cir.fuse.map_or(k.ratings()[0], |f| f.rating_a)));
            set_circuit(d, id, cir);
        })
    }
}

fn fuse_kind_select(
    current: Option<Fuse>,
    on: impl Fn(Option<FuseKind>) + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select class="fuse-kind" aria-label=move || T::PowerFuse.get(lang()) on:change=move |ev| on(FuseKind::from_id(&event_target_value(&ev)))>
            <option value="" selected=current.is_none()>{tr(T::PowerNoFuse)}</option>
            {FuseKind::ALL.into_iter().map(|k| view! {
                <option value=k.id() selected=current.map(|f| f.kind) == Some(k)>{move || k.name_in(lang())}</option>
            }).collect_view()}
        </select>
    }
}

fn row(
    doc: Signal<Document>,
    edit: Callback<Document>,
    c: CableReport,
    limit: f64,
    message: RwSignal<String>,
) -> impl IntoView {
    let lang = use_lang();
    let id = c.id;
    let cir = doc.with_untracked(|d| circuit(d, id));
    let size = cir.cable.map(|k| k.cross_section_mm2);
    let name = match id {
        CableId::Interconnect => T::PowerInterconnect.get(lang()).to_string(),
        _ => format!("{} → {}", c.from, c.to),
    };
    let drop = match (c.drop_v, c.drop_percent) {
        (Some(v), Some(p)) => format!("{} V · {} %", trim_number(v, 2), trim_number(p, 1)),
        _ => "—".into(),
    };
    let path = if id == CableId::Interconnect {
        String::new()
    } else {
        format!(
            "{}{} %",
            if c.path_complete { "" } else { "≥ " },
            trim_number(c.path_drop_percent, 1)
        )
    };
    let path_class = if c.path_drop_percent > 2.0 * limit {
        "error"
    } else if c.path_drop_percent > limit {
        "warning"
    } else {
        ""
    };
    let ampacity = c
        .ampacity
        // "≈": between or beyond the table's rows (assumed; the finding says so in words).
        .map(|a| {
            format!(
                "{}{} A",
                if a.basis == AmpacityBasis::Table {
                    ""
                } else {
                    "≈ "
                },
                trim_number(a.amps, 0)
            )
        })
        .unwrap_or_else(|| "—".into());
    let fuse = cir.fuse;
    view! {
        <tr data-cable=cable_key(id)>
            <th scope="row">{name}</th>
            <td>
                <select class="cable-size" aria-label=move || T::PowerSize.get(lang()) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    change(doc, edit, |d| {
                        let mut cir = circuit(d, id);
                        cir.cable = STANDARD_SIZES.iter().find(|s| s.0.to_string() == v).map(|s| Cable::new(*s,
                            cir.cable.map_or(ASSUMED_LENGTH_DEVICE, |k| k.length_m)));
                        set_circuit(d, id, cir);
                    });
                }>
                    <option value="" selected=size.is_none()>{tr(T::PowerNotEntered)}</option>
                    {STANDARD_SIZES.iter().map(|s| view! { <option value=s.0.to_string() selected=size == Some(*s)>{size_label(*s)}</option> }).collect_view()}
                </select>
            </td>
            <td>
                <input class="cable-length" type="number" min="0.1" step="0.1" inputmode="decimal" disabled=cir.cable.is_none()
                    aria-label=move || T::PowerLength.get(lang())
                    prop:value=cir.cable.map(|k| trim_number(k.length_m.si(), 2)).unwrap_or_default()
                    on:change=move |ev| if let Some(m) = parse_positive(&event_target_value(&ev)) {
                        change(doc, edit, |d| {
                            let mut cir = circuit(d, id);
                            if let Some(k) = cir.cable.as_mut() { k.length_m = Length((m.min(1000.0) * 1000.0).round() as u32); }
                            set_circuit(d, id, cir);
                        });
                    } />
            </td>
            <td class="fuse">
                {(id != CableId::Interconnect).then(|| view! {
                    {fuse_kind_select(fuse, on_fuse(doc, edit, id))}
                    <input class="fuse-rating" type="number" min="1" step="1" disabled=fuse.is_none()
                        aria-label=move || T::PowerFuseRating.get(lang())
                        prop:value=fuse.map(|f| f.rating_a.to_string()).unwrap_or_default()
                        on:change=move |ev| if let Some(a) = parse_positive(&event_target_value(&ev)) {
                            change(doc, edit, |d| {
                                let mut cir = circuit(d, id);
                                if let Some(f) = cir.fuse.as_mut() { f.rating_a = a.min(10_000.0).round() as u32; }
                                set_circuit(d, id, cir);
                            });
                        } />
                    " A"
                })}
            </td>
            <td class="num">{format!("{} A", trim_number(c.current_a, 1))}</td>
            <td class="num cable-drop">{drop}</td>
            <td class=format!("num path-drop {path_class}")>{path}</td>
            <td class="muted">{ampacity}</td>
            <td>
                <button class="secondary suggest" on:click=move |_| {
                    let lang = lang();
                    let d = doc.get_untracked();
                    match suggest(&d.bank, &d.system, id) {
                        Ok(s) => {
                            let note = if s.length_assumed { T::PowerLengthAssumed.get(lang) } else { "" };
                            message.set(format!("{}: {}{note}", T::PowerSuggested.get(lang), size_label(s.cable.cross_section_mm2)));
                            change(doc, edit, |d| apply(&mut d.system, &s));
                        }
                        Err(e) => message.set(e.in_lang(lang).to_string()),
                    }
                }>{tr(T::PowerSuggest)}</button>
            </td>
        </tr>
    }
}

/// The Power wiring panel.
#[component]
pub fn PowerPanel(doc: Signal<Document>, edit: Callback<Document>) -> impl IntoView {
    let lang = use_lang();
    let message = RwSignal::new(String::new());
    let report = Memo::new(move |_| {
        let lang = lang();
        doc.with(|d| analyse_in(&d.bank, &d.system, lang))
    });
    let limit = move || doc.with(|d| f64::from(d.system.power.params.max_drop_permille) / 10.0);
    let layouts = [
        (ParallelLayout::Busbar, T::PowerLayoutBusbar),
        (ParallelLayout::Diagonal, T::PowerLayoutDiagonal),
        (ParallelLayout::SameEnd, T::PowerLayoutSameEnd),
    ];
    view! {
        <section class="panel wide" aria-labelledby="power-title" id="power">
            <div class="row" style="justify-content: space-between">
                <h2 id="power-title">{tr(T::PowerTitle)}</h2>
                <button id="size-everything" on:click=move |_| {
                    let mut d = doc.get_untracked();
                    let done = size_everything(&d.bank, &mut d.system);
                    // What could not be sized shows in the findings.
                    let sized = done.iter().filter(|s| s.result.is_ok()).count();
                    message.set(format!("{sized} {}", T::PowerSized.get(lang())));
                    edit.run(d);
                }>{tr(T::PowerSizeEverything)}</button>
            </div>
            <div class="row">
                <label>{tr(T::PowerLayout)}
                    <select id="power-layout" on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        if let Some((l, _)) = layouts.get(i) { let l = *l; change(doc, edit, |d| d.system.power.layout = l); }
                    }>
                        {layouts.iter().enumerate().map(|(i, (l, t))| { let l = *l; view! {
                            <option value=i.to_string() selected=move || doc.with(|d| d.system.power.layout == l)>{tr(*t)}</option>
                        }}).collect_view()}
                    </select>
                </label>
                // Set by "Size everything" (or in the saved file); shown here, the rules check it.
                <p id="string-fuse" class="muted">{tr(T::PowerStringFuse)} ": "
                    {move || doc.with(|d| d.system.power.string_fuse.map(|f| format!("{} {} A", f.kind.name_in(lang()), f.rating_a))).unwrap_or_else(|| "—".into())}</p>
            </div>
            <div class="table-scroll">
                <table id="power-cables">
                    <thead><tr>
                        <th>{tr(T::PowerCable)}</th><th>{tr(T::PowerSize)}</th><th>{tr(T::PowerLength)}</th><th>{tr(T::PowerFuse)}</th>
                        <th>{tr(T::PowerCurrent)}</th><th>{tr(T::PowerDrop)}</th><th>{tr(T::PowerFromBank)}</th><th>{tr(T::PowerAmpacity)}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {move || report.get().cables.into_iter().map(|c| row(doc, edit, c, limit(), message)).collect_view()}
                    </tbody>
                </table>
            </div>
            <p id="power-message" class="muted" aria-live="polite">{move || message.get()}</p>
            <p class="muted" id="power-assumptions">
                {move || {
                    let p = doc.with(|d| d.system.power.params);
                    let lang = lang();
                    format!("{} {} % · {} {} °C, {} {} % ({}) · {}",
                        T::PowerDropLimit.get(lang), f64::from(p.max_drop_permille) / 10.0,
                        T::PowerCopperAt.get(lang), f64::from(p.conductor_temperature.0) / 10.0,
                        T::PowerAmpacityKept.get(lang), p.ampacity_percent, T::AssumedWord.get(lang),
                        ampacity_assumptions(lang))
                }}
            </p>
        </section>
    }
}
