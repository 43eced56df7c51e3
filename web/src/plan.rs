//! The Plan view (issue 11): a trip's daily profiles on a day timeline, place, month and length, Run (computed
//! a few days per animation frame with a progress bar and Cancel), SoC and PV plots, the daily table, CSV export.
//! Every figure comes from `smallbms_core::plan`; this file only shows and edits.
use crate::configure::trim_number;
use crate::i18n::{use_lang, Lang};
use leptos::prelude::*;
use smallbms_core::document::Document;
use smallbms_core::plan::{self, climate, Plan, PlanOptions, PlanResult, PlanRun};

/// Work per animation frame before yielding to the page, ms.
const FRAME_BUDGET_MS: f64 = 8.0;

fn pick(lang: Lang, en: &'static str, fr: &'static str) -> &'static str {
    lang.pick(en, fr)
}

/// One timeline row: the profile's name, its figure ("45 W"), and its on-periods (minutes from, to).
type Row = (String, String, Vec<(u16, u16)>);

/// The plan's appliances and charge sources as one day's on/off strips (a 24 h timeline each).
fn timeline(plan: &Plan, weekday: u8) -> impl IntoView {
    let rows: Vec<Row> = plan
        .loads
        .iter()
        .map(|l| {
            (
                l.name.clone(),
                format!("{} W", trim_number(l.watts, 0)),
                &l.schedule,
            )
        })
        .chain(plan.charges.iter().map(|c| {
            (
                c.name.clone(),
                format!("{} A", trim_number(c.amps, 0)),
                &c.schedule,
            )
        }))
        .map(|(name, figure, s)| {
            // Runs of minutes on.
            let mut runs = Vec::new();
            let mut start = None;
            for m in 0..=1440u16 {
                let on = m < 1440 && s.is_on(weekday, m);
                match (on, start) {
                    (true, None) => start = Some(m),
                    (false, Some(a)) => {
                        runs.push((a, m));
                        start = None;
                    }
                    _ => {}
                }
            }
            (name, figure, runs)
        })
        .collect();
    let h = 18.0;
    let height = h * rows.len().max(1) as f64 + 14.0;
    view! {
        <svg class="plot plan-timeline" id="plan-timeline" viewBox=format!("0 0 1440 {height}") preserveAspectRatio="none" role="img">
            {(0..=24).step_by(3).map(|hr| {
                let x = (hr * 60).to_string();
                view! {
                    <line x1=x.clone() x2=x.clone() y1="0" y2=height.to_string() stroke="#ccc" />
                    <text x=x y=(height - 2.0).to_string() font-size="10">{format!("{hr:02}h")}</text>
                }
            }).collect_view()}
            {rows.into_iter().enumerate().map(|(i, (name, figure, runs))| {
                let y = i as f64 * h;
                view! {
                    {runs.into_iter().map(|(a, b)| view! {
                        <rect x=a.to_string() width=(b - a).to_string() y=(y + 2.0).to_string() height=(h - 4.0).to_string() fill="#2e86c1" opacity="0.6" />
                    }).collect_view()}
                    <text x="4" y=(y + h - 5.0).to_string() font-size="11">{format!("{name} — {figure}")}</text>
                }
            }).collect_view()}
        </svg>
    }
}

fn polyline(values: &[f64], w: f64, h: f64, lo: f64, hi: f64) -> String {
    let n = values.len().max(2) as f64 - 1.0;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = h - ((v - lo) / (hi - lo)).clamp(0.0, 1.0) * h;
            format!("{:.1},{:.1} ", i as f64 / n * w, y)
        })
        .collect()
}

/// The daily balance as CSV.
pub fn csv(r: &PlanResult) -> String {
    let mut s = String::from(
        "day,date,wh_in,wh_out,min_soc_percent,end_soc_percent,pv_available_wh,inverter_loss_wh,standby_wh,self_discharge_wh,battery_loss_wh\n",
    );
    for d in &r.days {
        s.push_str(&format!(
            "{},{},{:.1},{:.1},{:.1},{:.1},{:.1},{:.1},{:.2},{:.2},{:.2}\n",
            d.day,
            d.date,
            d.wh_in,
            d.wh_out,
            d.min_soc_percent,
            d.end_soc_percent,
            d.pv_available_wh,
            d.losses.inverter_wh,
            d.losses.standby_wh,
            d.losses.self_discharge_wh,
            d.losses.battery_wh
        ));
    }
    s
}

#[component]
pub fn PlanView(doc: Signal<Document>) -> impl IntoView {
    let lang = use_lang();
    // The demo plan (a saved system has no plan section yet).
    let plan = RwSignal::new(plan::demo());
    let place = RwSignal::new(plan.get_untracked().place.unwrap_or_default());
    let month = RwSignal::new(plan.get_untracked().month);
    let days = RwSignal::new(plan.get_untracked().days);
    let run = RwSignal::new(None::<PlanRun>);
    let result = RwSignal::new(None::<PlanResult>);
    let error = RwSignal::new(None::<String>);
    let progress = RwSignal::new((0u32, 0u32));
    let running = RwSignal::new(false);

    let frame = StoredValue::new_local(None::<wasm_bindgen::closure::Closure<dyn FnMut(f64)>>);
    let schedule = move || {
        frame.with_value(|f| {
            if let (Some(f), Some(w)) = (f, web_sys::window()) {
                use wasm_bindgen::JsCast;
                let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
            }
        });
    };
    let tick = move || {
        if !running.get_untracked() {
            return;
        }
        let perf = web_sys::window().and_then(|w| w.performance());
        let start = perf.as_ref().map_or(0.0, |p| p.now());
        let mut finished = None;
        run.update_untracked(|r| {
            if let Some(r) = r {
                while !r.advance(1) {
                    if perf
                        .as_ref()
                        .is_none_or(|p| p.now() - start > FRAME_BUDGET_MS)
                    {
                        break;
                    }
                }
                progress.set(r.progress());
                if r.is_done() {
                    finished = Some(r.result());
                }
            }
        });
        if let Some(res) = finished {
            result.set(Some(res));
            running.set(false);
            run.set(None);
        }
    };
    frame.set_value(Some(wasm_bindgen::closure::Closure::new(move |_t: f64| {
        tick();
        if running.get_untracked() {
            schedule();
        }
    })));
    let start = move |_| {
        let mut p = plan.get_untracked();
        let key = place.get_untracked();
        p.place = (!key.is_empty()).then_some(key.clone());
        if let Some(pl) = climate::place(&key) {
            // A place picked here brings its own site (its standard clock offset).
            if p.site.is_none_or(|s| {
                climate::distance_km(s.lat_deg, s.lon_deg, pl.lat_deg, pl.lon_deg) > 50.0
            }) {
                p.site = None;
            }
        }
        p.month = month.get_untracked();
        p.day = 1;
        p.days = days.get_untracked();
        let o = PlanOptions {
            sizing: false,
            autonomy: false,
            lang: untrack(lang),
            ..PlanOptions::default()
        };
        match PlanRun::new(&doc.get_untracked(), &p, &o) {
            Ok(r) => {
                progress.set(r.progress());
                run.set(Some(r));
                result.set(None);
                error.set(None);
                running.set(true);
                schedule();
            }
            Err(e) => {
                use smallbms_core::lang::Localized;
                error.set(Some(e.in_lang(untrack(lang)).to_string()));
            }
        }
    };
    let cancel = move |_| {
        running.set(false);
        run.set(None);
    };
    let export = move |_| {
        if let Some(r) = result.get_untracked() {
            crate::download("smallbms-plan.csv", "text/csv", &csv(&r));
        }
    };
    let set_watts = move |k: usize, v: f64| {
        plan.update(|p| {
            if let Some(l) = p.loads.get_mut(k) {
                l.watts = v;
            }
        })
    };

    view! {
        <section class="panel wide" id="plan-view">
            <h2>{move || pick(lang(), "Energy plan", "Plan énergétique")}</h2>
            <p>{move || plan.with(|p| p.name.clone())}</p>
            {move || plan.with(|p| timeline(p, p.start_weekday))}
            <table class="plan-loads">
                <tbody>
                {move || plan.with(|p| p.loads.iter().enumerate().map(|(k, l)| {
                    let name = l.name.clone();
                    let watts = l.watts;
                    view! {
                        <tr>
                            <td>{name}</td>
                            <td><input type="number" min="0" step="1" class="plan-watts" prop:value=trim_number(watts, 1)
                                on:change=move |ev| {
                                    if let Ok(v) = event_target_value(&ev).parse::<f64>() { set_watts(k, v) }
                                } /> " W"</td>
                        </tr>
                    }
                }).collect_view())}
                </tbody>
            </table>
            <div class="controls">
                <label>{move || pick(lang(), "Place", "Lieu")} " "
                    <select id="plan-place" on:change=move |ev| place.set(event_target_value(&ev))>
                        <option value="" selected=move || place.get().is_empty()>{move || pick(lang(), "the plan's site", "le lieu du plan")}</option>
                        {climate::PLACES.iter().map(|p| view! {
                            <option value=p.key selected=move || place.get() == p.key>{p.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                " "
                <label>{move || pick(lang(), "Month", "Mois")} " "
                    <input id="plan-month" type="number" min="1" max="12" prop:value=move || month.get().to_string()
                        on:change=move |ev| if let Ok(m) = event_target_value(&ev).parse() { month.set(m) } />
                </label>
                " "
                <label>{move || pick(lang(), "Days", "Jours")} " "
                    <input id="plan-days" type="number" min="1" max="366" prop:value=move || days.get().to_string()
                        on:change=move |ev| if let Ok(d) = event_target_value(&ev).parse() { days.set(d) } />
                </label>
                " "
                <button id="plan-run" disabled=move || running.get() on:click=start>{move || pick(lang(), "Run", "Lancer")}</button>
                <button id="plan-cancel" class="secondary" disabled=move || !running.get() on:click=cancel>{move || pick(lang(), "Cancel", "Annuler")}</button>
                <button id="plan-csv" class="secondary" disabled=move || result.with(|r| r.is_none()) on:click=export>{move || pick(lang(), "Export CSV", "Exporter en CSV")}</button>
            </div>
            {move || running.get().then(|| {
                let (d, n) = progress.get();
                view! { <progress id="plan-progress" max=n.to_string() value=d.to_string()></progress> " " {format!("{d} / {n}")} }
            })}
            {move || error.get().map(|e| view! { <p class="notice warning" id="plan-error">{e}</p> })}
            {move || result.get().map(|r| {
                let l = lang();
                let first = |m: &Option<smallbms_core::plan::run::Milestone>| match m {
                    Some(m) => format!("{} {} {}: {}", pick(l, "day", "jour"), m.day, m.clock, m.cause),
                    None => pick(l, "never", "jamais").to_string(),
                };
                let soc = polyline(&r.soc_hourly_percent, 600.0, 140.0, 0.0, 100.0);
                let pv_max = r.pv_w_hourly.iter().copied().fold(1.0, f64::max);
                let pv = polyline(&r.pv_w_hourly, 600.0, 80.0, 0.0, pv_max);
                view! {
                    <div id="plan-result">
                        <p id="plan-lowest">{pick(l, "Lowest state of charge: ", "État de charge le plus bas : ")}{format!("{:.1} %", r.lowest_soc_percent)}</p>
                        <p id="plan-pre-alarm">{pick(l, "First pre-alarm: ", "Première préalarme : ")}{first(&r.first_pre_alarm)}</p>
                        <p id="plan-load-off">{pick(l, "First load disconnect: ", "Première déconnexion des consommateurs : ")}{first(&r.first_load_disconnect)}</p>
                        <h3>{pick(l, "State of charge, hour by hour", "État de charge, heure par heure")}</h3>
                        <svg class="plot" id="plan-soc" viewBox="0 0 600 140" preserveAspectRatio="none" role="img"><polyline class="trace" points=soc stroke="#27ae60" /></svg>
                        <h3>{pick(l, "PV power offered on day 1", "Puissance PV disponible le jour 1")}{format!(" (max {:.0} W)", pv_max)}</h3>
                        <svg class="plot" id="plan-pv" viewBox="0 0 600 80" preserveAspectRatio="none" role="img"><polyline class="trace" points=pv stroke="#f39c12" /></svg>
                        <table id="plan-days-table">
                            <thead><tr>
                                <th>{pick(l, "Day", "Jour")}</th><th>{pick(l, "Date", "Date")}</th>
                                <th>{pick(l, "In (Wh)", "Entrée (Wh)")}</th><th>{pick(l, "Out (Wh)", "Sortie (Wh)")}</th>
                                <th>{pick(l, "Lowest SoC", "SoC min.")}</th><th>{pick(l, "PV offered (Wh)", "PV disponible (Wh)")}</th>
                            </tr></thead>
                            <tbody>
                            {r.days.iter().map(|d| view! {
                                <tr><td>{d.day}</td><td>{d.date.clone()}</td><td>{format!("{:.0}", d.wh_in)}</td><td>{format!("{:.0}", d.wh_out)}</td>
                                <td>{format!("{:.1} %", d.min_soc_percent)}</td><td>{format!("{:.0}", d.pv_available_wh)}</td></tr>
                            }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        </section>
    }
}
