//! A lean Simulate view: scenario runner, BMS panel, event log and plots, all over `smallbms_core::engine`.
use crate::configure::trim_number;
use crate::i18n::{tr, use_lang, Lang, T};
use leptos::prelude::*;
use smallbms_core::bms::AlarmLevel;
use smallbms_core::document::Document;
use smallbms_core::engine::{Simulation, TracePoint};
use smallbms_core::lang::Localized;
use smallbms_core::scenario::{self, Action, BUILTINS};
use smallbms_core::units::Millis;

/// Simulated time as h:mm:ss (with days when long).
pub fn clock(t_ms: u64) -> String {
    let s = t_ms / 1000;
    let (d, h, m, sec) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    if d > 0 {
        format!("{d} d {h:02}:{m:02}:{sec:02}")
    } else {
        format!("{h}:{m:02}:{sec:02}")
    }
}

fn build(doc: &Document, name: &str, lang: Lang) -> Result<Simulation, String> {
    let sc = if name.is_empty() {
        None
    } else {
        Some(scenario::builtin(name).map_err(|e| e.to_string())?)
    };
    Simulation::new_in(doc, sc.as_ref(), lang).map_err(|e| e.in_lang(lang).to_string())
}

/// A polyline plot of one trace quantity, with optional dashed threshold lines.
fn plot(
    points: &[TracePoint],
    value: fn(&TracePoint) -> f64,
    second: Option<fn(&TracePoint) -> f64>,
    lo: f64,
    hi: f64,
    thresholds: &[(f64, &'static str)],
    color: &'static str,
) -> impl IntoView {
    let (w, h) = (600.0, 140.0);
    let t0 = points.first().map_or(0, |p| p.t_ms) as f64;
    let t1 = points.last().map_or(1, |p| p.t_ms).max(1) as f64;
    let span = (t1 - t0).max(1.0);
    let y = move |v: f64| h - ((v - lo) / (hi - lo)).clamp(0.0, 1.0) * h;
    let path: String = points
        .iter()
        .map(|p| format!("{:.1},{:.1} ", (p.t_ms as f64 - t0) / span * w, y(value(p))))
        .collect();
    let path2: Option<String> = second.map(|f| {
        points
            .iter()
            .map(|p| format!("{:.1},{:.1} ", (p.t_ms as f64 - t0) / span * w, y(f(p))))
            .collect()
    });
    view! {
        <svg class="plot" viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img">
            {thresholds.iter().map(|(v, label)| view! {
                <line class="threshold" x1="0" x2=w.to_string() y1=y(*v).to_string() y2=y(*v).to_string() stroke="#c0392b" />
                <text x="4" y=(y(*v) - 2.0).to_string()>{*label}</text>
            }).collect_view()}
            <polyline class="trace" points=path stroke=color />
            {path2.map(|p| view! { <polyline class="trace" points=p stroke="#8e44ad" /> })}
        </svg>
    }
}

/// LOAD, CHARGER and PRE-ALARM over time: one strip each, up = high.
fn outputs_plot(points: &[TracePoint]) -> impl IntoView {
    let (w, h) = (600.0, 66.0);
    let t0 = points.first().map_or(0, |p| p.t_ms) as f64;
    let span = (points.last().map_or(1, |p| p.t_ms) as f64 - t0).max(1.0);
    let strip = |row: f64, f: fn(&TracePoint) -> bool| -> String {
        points
            .iter()
            .map(|p| {
                format!(
                    "{:.1},{:.1} ",
                    (p.t_ms as f64 - t0) / span * w,
                    row * 22.0 + if f(p) { 4.0 } else { 18.0 }
                )
            })
            .collect()
    };
    view! {
        <svg class="plot" viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img" style="height: 70px">
            <polyline class="trace" points=strip(0.0, |p| p.load) stroke="#e67e22" />
            <polyline class="trace" points=strip(1.0, |p| p.charger) stroke="#2f6fb3" />
            <polyline class="trace" points=strip(2.0, |p| p.pre_alarm) stroke="#c0392b" />
            <text x="4" y="12">"LOAD"</text><text x="4" y="34">"CHARGER"</text><text x="4" y="56">"PRE-ALARM"</text>
        </svg>
    }
}

#[component]
pub fn SimulateView(doc: Signal<Document>) -> impl IntoView {
    let scenario_name = RwSignal::new("cell-undervoltage".to_string());
    let vkey = RwSignal::new("0df4d0395b7d1a876c0c33ff0b8ab0f1".to_string());
    let error = RwSignal::new(None::<String>);
    let sim = RwSignal::new(None::<Simulation>);
    let playing = RwSignal::new(false);
    let speed = RwSignal::new(1000.0_f64);
    let achieved = RwSignal::new(0.0_f64);
    let lang = use_lang();
    let reset = move || match build(
        &doc.get_untracked(),
        &scenario_name.get_untracked(),
        untrack(lang),
    ) {
        Ok(s) => {
            sim.set(Some(s));
            error.set(None);
        }
        Err(e) => error.set(Some(e)),
    };
    Effect::new(move |_| {
        doc.track();
        scenario_name.track();
        playing.set(false);
        reset();
    });
    // A language switch tells the running simulation: the events from now on are logged in the new language.
    Effect::new(move |_| {
        let l = lang();
        sim.update(|s| {
            if let Some(s) = s {
                s.set_lang(l)
            }
        });
    });
    // The run loop: each animation frame advances the core by speed × elapsed, within a compute budget.
    let last = StoredValue::new(None::<f64>);
    let frame = StoredValue::new_local(None::<wasm_bindgen::closure::Closure<dyn FnMut(f64)>>);
    let tick = move |now_ms: f64| {
        if !playing.get_untracked() {
            last.set_value(None);
            return;
        }
        let elapsed = last
            .get_value()
            .map_or(0.0, |l| (now_ms - l).clamp(0.0, 100.0));
        last.set_value(Some(now_ms));
        let perf = web_sys::window().and_then(|w| w.performance());
        let start = perf.as_ref().map_or(0.0, |p| p.now());
        sim.update(|s| {
            if let Some(s) = s {
                let before = s.now();
                let target = s
                    .now()
                    .after(Millis((elapsed * speed.get_untracked()) as u64));
                // Budget: stop stepping after ~8 ms of work in this frame.
                while s.now() < target && !s.finished() {
                    s.step_to(target);
                    if perf.as_ref().is_some_and(|p| p.now() - start > 8.0) {
                        break;
                    }
                }
                if elapsed > 0.0 {
                    achieved.set(s.now().since(before).0 as f64 / elapsed);
                }
                if s.finished() {
                    playing.set(false);
                }
            }
        });
    };
    let schedule = move || {
        frame.with_value(|f| {
            if let (Some(f), Some(w)) = (f, web_sys::window()) {
                use wasm_bindgen::JsCast;
                let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
            }
        });
    };
    frame.set_value(Some(wasm_bindgen::closure::Closure::new(move |t: f64| {
        tick(t);
        if playing.get_untracked() {
            schedule();
        }
    })));
    let play = move |_| {
        playing.update(|p| *p = !*p);
        if playing.get_untracked() {
            schedule();
        }
    };
    let act = move |a: Action| {
        sim.update(|s| {
            if let Some(s) = s {
                s.act(a)
            }
        })
    };
    let view_of = move || {
        sim.with(|s| {
            s.as_ref().map(|s| {
                (
                    s.events().cloned().collect::<Vec<_>>(),
                    s.trace().copied().collect::<Vec<_>>(),
                )
            })
        })
    };
    // The LEDs animate on the wall clock from their pattern; the memos keep the animation running between frames.
    let blue = Memo::new(move |_| sim.with(|s| s.as_ref().map(|s| s.bms().blue_led.pattern)));
    let red = Memo::new(move |_| sim.with(|s| s.as_ref().map(|s| s.bms().red_led.pattern)));
    let red_meaning = Memo::new(move |_| {
        let lang = lang();
        sim.with(|s| {
            s.as_ref()
                .map(|s| s.bms().red_led.meaning_in(lang))
                .unwrap_or_default()
        })
    });
    let settings = Signal::derive(move || doc.with(|d| d.system.bms.clone()));
    // The sliders drive the first load and the first charge source of the system.
    let role_device = move |charger: bool| {
        doc.with(|d| {
            d.system
                .devices
                .iter()
                .find(|x| {
                    x.kind
                        .power_role()
                        .is_some_and(|r| r.is_charger() == charger)
                })
                .map(|x| x.name.clone())
        })
    };
    let load_device = Signal::derive(move || role_device(false));
    let charge_device = Signal::derive(move || role_device(true));
    let overlay = Signal::derive(move || {
        sim.with(|s| {
            s.as_ref()
                .map(crate::diagram_view::Overlay::from_simulation)
        })
    });
    view! {
        <section class="panel wide">
            <div class="controls">
                <label>{tr(T::Scenario)}
                    <select id="sim-scenario" on:change=move |ev| scenario_name.set(event_target_value(&ev))>
                        <option value="">{tr(T::FreeRun)}</option>
                        {BUILTINS.iter().map(|(n, _)| view! { <option value=*n selected=move || scenario_name.get() == *n>{*n}</option> }).collect_view()}
                    </select>
                </label>
                <button id="sim-play" on:click=play>{move || if playing.get() { tr(T::Pause)() } else { tr(T::Play)() }}</button>
                <button id="sim-step" class="secondary" on:click=move |_| sim.update(|s| if let Some(s) = s { let t = s.now().after(Millis::hours(24 * 366)); s.step_to(t); })>{tr(T::Step)}</button>
                <button id="sim-reset" class="secondary" on:click=move |_| { playing.set(false); reset(); }>{tr(T::Reset)}</button>
                <label>{tr(T::Speed)}
                    <select id="sim-speed" on:change=move |ev| speed.set(event_target_value(&ev).parse().unwrap_or(1.0))>
                        {[1.0, 10.0, 100.0, 1000.0, 10_000.0, 100_000.0].into_iter().map(|s| view! {
                            <option value=s.to_string() selected=move || speed.get() == s>{format!("{s}×")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <span class="muted">{tr(T::Achieved)} " " <span id="sim-achieved">{move || format!("{:.0}×", achieved.get())}</span></span>
                <strong id="sim-time">{move || sim.with(|s| s.as_ref().map(|s| clock(s.now().0)).unwrap_or_default())}</strong>
            </div>
            <div class="controls" role="group" aria-label=move || T::Faults.get(lang())>
                <button class="secondary" id="fault-pull-cable" on:click=move |_| act(Action::BmsCable { connected: false })>{tr(T::PullCable)}</button>
                <button class="secondary" id="fault-plug-cable" on:click=move |_| act(Action::BmsCable { connected: true })>{tr(T::PlugCable)}</button>
                <button class="secondary" id="fault-remote-off" on:click=move |_| act(Action::Remote { on: false })>{tr(T::RemoteOff)}</button>
                <button class="secondary" id="fault-remote-on" on:click=move |_| act(Action::Remote { on: true })>{tr(T::RemoteOn)}</button>
                <button class="secondary" on:click=move |_| act(Action::Temperature { celsius: 0.0, battery: None })>{tr(T::Cold)}</button>
                <button class="secondary" on:click=move |_| act(Action::Temperature { celsius: 55.0, battery: None })>{tr(T::Hot)}</button>
                <button class="secondary" on:click=move |_| act(Action::Temperature { celsius: 20.0, battery: None })>{tr(T::Mild)}</button>
                <button class="secondary" on:click=move |_| act(Action::CellDrift { battery: 0, cell: 0, permille: -100 })>{tr(T::CellDrift)}</button>
                <button class="secondary" on:click=move |_| act(Action::Parasitic { milliamps: 10.0 })>{tr(T::Parasitic)}</button>
            </div>
            <div class="controls" role="group" aria-label=move || T::Demand.get(lang())>
                {move || load_device.get().map(|name| { let n = name.clone(); view! {
                    <label>{move || format!("{} {name} (A)", tr(T::LoadSlider)())}
                        <input type="range" id="sim-load" min="0" max="200" step="1" value="0"
                            on:change=move |ev| { if let Ok(a) = event_target_value(&ev).parse::<f64>() { act(Action::Demand { device: n.clone(), amps: a }) } } />
                    </label>
                }})}
                {move || charge_device.get().map(|name| { let n = name.clone(); view! {
                    <label>{move || format!("{} {name} (A)", tr(T::ChargeSlider)())}
                        <input type="range" id="sim-charge" min="0" max="100" step="1" value="0"
                            on:change=move |ev| { if let Ok(a) = event_target_value(&ev).parse::<f64>() { act(Action::Demand { device: n.clone(), amps: a }) } } />
                    </label>
                }})}
            </div>
            {move || error.get().map(|e| view! { <p class="notice error">{e}</p> })}
            {move || {
                let lang = lang();
                doc.with(|d| smallbms_core::preflight::run_notice_in(&smallbms_core::preflight::findings_in(d, None, lang), lang))
                    .map(|n| view! { <p class="notice error" id="sim-findings">{n}</p> })
            }}
        </section>
        <section class="panel" id="bms-panel">
            <h2>"smallBMS NG"</h2>
            <div class="leds">
                <span>{crate::diagram_view::led_icon("panel-led-blue", "blue", blue)}"Bluetooth"</span>
                <span>{crate::diagram_view::led_icon("panel-led-red", "red", red)}{move || red_meaning.get()}</span>
            </div>
            {move || sim.with(|sim| sim.as_ref().map(|sim| {
                let (o, s) = (sim.bms(), sim.bank_state());
                let level = |high: bool| if high { "high" } else { "floating" };
                let shown = |high: bool| tr(if high { T::LevelHigh } else { T::LevelFloating });
                view! {
                    <div class="outputs">
                        <div id="out-load" data-level=level(o.load.level.is_high()) class=format!("out {}", level(o.load.level.is_high()))>"LOAD"<small>{shown(o.load.level.is_high())}</small></div>
                        <div id="out-charger" data-level=level(o.charger.level.is_high()) class=format!("out {}", level(o.charger.level.is_high()))>"CHARGER"<small>{shown(o.charger.level.is_high())}</small></div>
                        <div id="out-prealarm" data-level=level(o.pre_alarm.level.is_high()) class=format!("out {}", level(o.pre_alarm.level.is_high()))>"PRE-ALARM"<small>{shown(o.pre_alarm.level.is_high())}</small></div>
                    </div>
                    <dl class="figures">
                        <div><dt>{tr(T::Soc)}</dt><dd>{format!("{} %", trim_number(s.soc.percent(), 1))}</dd></div>
                        <div><dt>{tr(T::BankVoltage)}</dt><dd>{format!("{} V", trim_number(s.voltage.si(), 2))}</dd></div>
                        <div><dt>{tr(T::Current)}</dt><dd>{format!("{} A", trim_number(s.current.si(), 1))}</dd></div>
                        <div><dt>{tr(T::Cells)}</dt><dd>{format!("{:.3}–{:.3} V", s.min_cell.voltage.si(), s.max_cell.voltage.si())}</dd></div>
                        <div><dt>{tr(T::BmsDraws)}</dt><dd>{format!("{} mA", trim_number(o.own_consumption.si() * 1000.0, 1))}</dd></div>
                    </dl>
                    <ul class="alerts" id="bms-alerts">
                        {o.alerts.channels_in(lang()).into_iter().filter(|(_, l)| !l.is_ok()).map(|(name, l)| {
                            let (class, word) = match l {
                                AlarmLevel::Alarm => ("alarm", T::Alarm),
                                _ => ("warning", T::Warning),
                            };
                            view! { <li class=class data-alert=class>{tr(word)} {tr(T::Colon)} {name}</li> }
                        }).collect_view()}
                    </ul>
                    <p class="muted" id="bms-error">{o.error.map(|e| format!("{} #{} · {}", T::ErrorCode.get(lang()), e.number(), e.in_lang(lang()))).unwrap_or_default()}</p>
                }
            }))}
        </section>
        {move || view_of().map(|(events, trace)| {
            let set = settings.get();
            let th = [(set.pre_alarm_cell.si(), T::PlotPreAlarm.get(lang())), (set.under_voltage_cell.si(), T::PlotUnderVoltage.get(lang())), (set.over_voltage_cell.si(), T::PlotOverVoltage.get(lang()))];
            view! {
                <section class="panel">
                    <h2>{tr(T::Plots)}</h2>
                    <h3 class="muted">{tr(T::PlotSoc)}</h3>
                    {plot(&trace, |p| p.soc_permille as f64 / 10.0, None, 0.0, 100.0, &[], "#2f6fb3")}
                    <h3 class="muted">{tr(T::PlotCells)}</h3>
                    {plot(&trace, |p| p.min_cell_mv as f64 / 1000.0, Some(|p| p.max_cell_mv as f64 / 1000.0), 2.5, 3.8, &th, "#c0392b")}
                    <h3 class="muted">{tr(T::PlotCurrent)}</h3>
                    {plot(&trace, |p| p.current_ma as f64 / 1000.0, None, -150.0, 150.0, &[(0.0, "0 A")], "#1f8a4c")}
                    <h3 class="muted">{tr(T::PlotOutputs)}</h3>
                    {outputs_plot(&trace)}
                </section>
                <section class="panel wide">
                    <h2>{tr(T::EventLog)}</h2>
                    <ol class="log" id="event-log" reversed>
                        {events.into_iter().rev().filter(|e| e.signal != "input" || !e.cause.is_empty() || e.subject.is_some()).map(|e| view! {
                            <li data-signal=e.signal data-level=e.level.clone() data-t=e.t_ms.to_string()>
                                <time>{clock(e.t_ms)}</time>
                                <strong>{e.signal_label(lang())}</strong> " " {e.level_label(lang()).to_string()} " " {e.subject.clone().unwrap_or_default()}
                                <span class="why">{e.cause.clone()}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            }
        })}
        <section class="panel wide">
            <crate::diagram_view::DiagramView doc overlay />
        </section>
        <section class="panel wide" id="virtual-device">
            <h2>{tr(T::VirtualTitle)}</h2>
            <p class="muted">{tr(T::VirtualText)}</p>
            <label>{tr(T::VirtualKey)}
                <input type="text" id="virtual-key" spellcheck="false" prop:value=move || vkey.get()
                    on:change=move |ev| vkey.set(event_target_value(&ev)) />
            </label>
            <code class="hex" id="virtual-adv">{move || {
                let key = match smallbms_core::readout::parse_key(&vkey.get()) {
                    Ok(k) => k,
                    Err(e) => return format!("{} {e}", T::KeyInvalid.get(lang())),
                };
                sim.with(|s| s.as_ref().map(|s| {
                    // The nonce counts simulated seconds, as a device's counter advances with each new record.
                    let nonce = (s.now().0 / 1000) as u16;
                    smallbms_core::readout::to_hex(&smallbms_core::readout::encode_bms(&s.readout_record(), 0xA3E7, nonce, &key))
                }).unwrap_or_default())
            }}</code>
        </section>
    }
}
