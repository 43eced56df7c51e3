//! The wiring diagram as SVG, drawn from `smallbms_core::diagram` (layout and ids come from the core), with live
//! state laid over it: output levels on control wires, devices on/off, the BMS-cable chain, SoC and voltage.
use crate::i18n::{tr, T};
use leptos::prelude::*;
use smallbms_core::bms::BmsOutput;
use smallbms_core::diagram::{self, PartKind, WireKind};
use smallbms_core::document::Document;
use smallbms_core::engine::Simulation;
use smallbms_core::readout::BmsRecord;

/// Live state to draw over the diagram (from the simulation or from a real BMS heard over Bluetooth).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    /// LOAD, CHARGER, PRE-ALARM high? (`None`: unknown)
    pub load: Option<bool>,
    pub charger: Option<bool>,
    pub pre_alarm: Option<bool>,
    /// Per device: on (conducting / running)?
    pub devices: Vec<Option<bool>>,
    pub bms_cable_ok: Option<bool>,
    /// A short status line on the BMS ("87.5 % · 13.21 V · 23 °C").
    pub badge: String,
    /// Where the values come from ("simulation", "live: smallBMS NG").
    pub source: String,
}

impl Overlay {
    pub fn from_simulation(sim: &Simulation) -> Overlay {
        let o = sim.bms();
        let s = sim.bank_state();
        let devices = (0..sim.devices().len())
            .map(|i| sim.devices().get(i).map(|d| d.is_active() || d.conducts()))
            .collect();
        Overlay {
            load: Some(o.load.level.is_high()),
            charger: Some(o.charger.level.is_high()),
            pre_alarm: Some(o.pre_alarm.level.is_high()),
            devices,
            bms_cable_ok: Some(!matches!(
                o.alerts.bms_cable,
                smallbms_core::bms::AlarmLevel::Alarm
            )),
            badge: format!(
                "{:.1} % · {:.2} V · {:.1} A",
                s.soc.percent(),
                s.voltage.si(),
                s.current.si()
            ),
            source: "simulation".into(),
        }
    }

    /// A real smallBMS NG's Instant Readout: allowed-to-discharge is LOAD, allowed-to-charge is CHARGER.
    pub fn from_readout(r: &BmsRecord) -> Overlay {
        let mut badge = Vec::new();
        badge.push(
            r.soc
                .map_or("SoC n/a".to_string(), |s| format!("{:.1} %", s.percent())),
        );
        if let Some(v) = r.battery_voltage {
            badge.push(format!("{:.2} V", v.si()));
        }
        if let Some(t) = r.battery_temperature {
            badge.push(format!("{:.0} °C", t.si()));
        }
        Overlay {
            load: r.allowed_to_discharge,
            charger: r.allowed_to_charge,
            pre_alarm: None,
            devices: Vec::new(),
            bms_cable_ok: r
                .alarms
                .bms_cable
                .map(|a| a == smallbms_core::readout::AlarmLevel::Ok),
            badge: badge.join(" · "),
            source: "live: smallBMS NG".into(),
        }
    }

    fn output(&self, o: BmsOutput) -> Option<bool> {
        match o {
            BmsOutput::Load => self.load,
            BmsOutput::Charger => self.charger,
            BmsOutput::PreAlarm => self.pre_alarm,
        }
    }
}

fn points(p: &[(i32, i32)]) -> String {
    p.iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Serialises the diagram's SVG and offers it as a download.
fn export_svg() {
    let Some(svg) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("svg.diagram").ok().flatten())
    else {
        return;
    };
    let css = "<style>.part rect{fill:#f6f8fa;stroke:#44515e}.part.bms rect{fill:#1d3b66}.part.bms text{fill:#fff}\
               .wire{fill:none;stroke-width:2}.power{stroke:#c0392b;stroke-width:4}.bmscable{stroke:#2f6fb3;stroke-dasharray:6 3}\
               .control{stroke:#8a97a5;stroke-dasharray:4 4}.control.high{stroke:#e67e22;stroke-dasharray:none}</style>";
    let text = svg.outer_html().replacen('>', &format!(">{css}"), 1);
    crate::download("smallbms-wiring.svg", "image/svg+xml", &text);
}

#[component]
pub fn DiagramView(doc: Signal<Document>, overlay: Signal<Option<Overlay>>) -> impl IntoView {
    let layout = Memo::new(move |_| doc.with(diagram::build));
    let pinned = RwSignal::new(None::<String>);
    view! {
        <div class="diagram-head row">
            <h2>{tr(T::Diagram)}</h2>
            <span class="muted" id="diagram-source">{move || overlay.with(|o| o.as_ref().map(|o| o.source.clone()).unwrap_or_default())}</span>
            <button class="secondary no-print" id="export-svg" on:click=move |_| export_svg()>{tr(T::ExportSvg)}</button>
        </div>
        <div class="diagram-wrap">
            {move || {
                let d = layout.get();
                let ov = overlay.get();
                let wires = d.wires.iter().map(|w| {
                    let (kind, high) = match w.kind {
                        WireKind::Power => ("power", w.device.and_then(|i| ov.as_ref().and_then(|o| o.devices.get(i).copied().flatten())).unwrap_or(false)),
                        WireKind::Negative => ("negative", false),
                        WireKind::BmsCable => ("bmscable", false),
                        WireKind::Control(o) => ("control", ov.as_ref().and_then(|ov| ov.output(o)).unwrap_or(false)),
                        WireKind::Supply => ("power", false),
                        WireKind::Remote => ("control", true),
                    };
                    let broken = matches!(w.kind, WireKind::BmsCable) && ov.as_ref().and_then(|o| o.bms_cable_ok) == Some(false);
                    let class = format!("wire {kind}{}{}", if high && kind == "control" { " high" } else { "" }, if broken { " broken" } else { "" });
                    view! { <polyline class=class data-id=w.id.clone() points=points(&w.points) /> }
                }).collect_view();
                let parts = d.parts.iter().map(|p| {
                    let kind = match p.kind {
                        PartKind::Bms => "bms",
                        PartKind::Battery | PartKind::MoreBatteries => "battery",
                        PartKind::Device(_) => "device",
                        PartKind::Cable => "cable",
                        PartKind::Fuse => "fuse",
                        PartKind::RemoteSwitch => "switch",
                    };
                    let state = match p.kind {
                        PartKind::Device(i) => ov.as_ref().and_then(|o| o.devices.get(i).copied().flatten()).map(|on| if on { " on" } else { " off" }).unwrap_or(""),
                        _ => "",
                    };
                    let badge = (p.kind == PartKind::Bms).then(|| ov.as_ref().map(|o| o.badge.clone()).unwrap_or_default());
                    let terminals = p.terminals.iter().map(|t| {
                        let id = t.id.clone();
                        let high = match t.id.as_str() {
                            "bms.load" => ov.as_ref().and_then(|o| o.load),
                            "bms.charger" => ov.as_ref().and_then(|o| o.charger),
                            "bms.pre_alarm" => ov.as_ref().and_then(|o| o.pre_alarm),
                            _ => None,
                        };
                        let info = format!("{} ({}){}", t.label, t.id, match high { Some(true) => ": high (Vbat − 0.1 V)", Some(false) => ": floating", None => "" });
                        let info2 = info.clone();
                        view! {
                            <circle class=if high == Some(true) { "terminal high" } else { "terminal" } data-id=id cx=t.x.to_string() cy=t.y.to_string() r="4"
                                tabindex="0" on:click=move |_| pinned.set(Some(info2.clone()))><title>{info}</title></circle>
                        }
                    }).collect_view();
                    view! {
                        <g class=format!("part {kind}{state}") data-id=p.id.clone()>
                            <rect x=p.x.to_string() y=p.y.to_string() width=p.w.to_string() height=p.h.to_string() />
                            <text class="label" x=(p.x + 6).to_string() y=(p.y + 16).to_string()>{p.label.clone()}</text>
                            <text class="sub" x=(p.x + 6).to_string() y=(p.y + 30).to_string()>{p.sublabel.clone()}</text>
                            {badge.map(|b| view! { <text class="sub" id="diagram-badge" x=(p.x + 6).to_string() y=(p.y + 48).to_string()>{b}</text> })}
                            {p.terminals.iter().filter(|t| !t.label.is_empty()).map(|t| view! {
                                <text class="sub" x=(t.x - 4).to_string() y=(t.y - 6).to_string() text-anchor="end">{t.label}</text>
                            }).collect_view()}
                            {terminals}
                        </g>
                    }
                }).collect_view();
                view! {
                    <svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {} {}", d.width, d.height)
                        role="img" aria-label="Wiring diagram">
                        {wires}
                        {parts}
                    </svg>
                }
            }}
        </div>
        <p class="muted" id="terminal-info" aria-live="polite">{move || pinned.get().unwrap_or_else(|| "Tap a terminal for its state.".into())}</p>
    }
}
