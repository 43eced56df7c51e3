//! The wiring diagram as SVG, drawn from `smallbms_core::diagram` (layout and ids come from the core), with live
//! state laid over it: output levels on control wires, currents on power paths, switches open or closed, the
//! BMS LEDs blinking their patterns, the BMS-cable chain, and each terminal's voltage and current on hover or tap.
//!
//! The SVG elements are created once per layout; only their classes and texts follow the live state, so the
//! LED animations keep their phase and a frame costs a few attribute updates.
use crate::i18n::{tr, use_lang, Lang, T};
use leptos::prelude::*;
use smallbms_core::bms::{BmsOutput, LedPattern, OutputCurrents};
use smallbms_core::diagram::{self, Part, PartKind, Terminal, Wire, WireKind};
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
    /// Per device: for a switch, do its power contacts conduct? (A normally-closed relay conducts while off.)
    pub conducts: Vec<Option<bool>>,
    /// Per device: is every switch between the bank and it closed? (`None`: unknown or no valid chain.)
    pub upstream: Vec<Option<bool>>,
    /// Per device: its control terminal sees a high level?
    pub controls: Vec<Option<bool>>,
    /// Per device: the current on its feed wire in amps, negative = drawn from the bank (a switch carries what
    /// it feeds).
    pub feeds: Vec<Option<f64>>,
    /// The bank current on the positive bus, amps (negative = discharge).
    pub bus: Option<f64>,
    /// Battery voltage, volts.
    pub volts: Option<f64>,
    /// What the control inputs draw from each output while it is high.
    pub output_demand: Option<OutputCurrents>,
    /// The remote on/off switch is closed (`None`: there is none, or unknown).
    pub remote_closed: Option<bool>,
    /// The BMS supply is connected.
    pub supply_ok: Option<bool>,
    /// The blue (Bluetooth) and red (warnings, alarms) LEDs.
    pub blue: Option<LedPattern>,
    pub red: Option<LedPattern>,
    pub bms_cable_ok: Option<bool>,
    /// A short status line on the BMS ("87.5 % · 13.21 V · 23 °C").
    pub badge: String,
    /// The values come from a real BMS heard over Bluetooth (else from the simulation).
    pub live: bool,
}

impl Overlay {
    pub fn from_simulation(sim: &Simulation) -> Overlay {
        let o = sim.bms();
        let s = sim.bank_state();
        let devs = sim.devices();
        let n = devs.len();
        Overlay {
            load: Some(o.load.level.is_high()),
            charger: Some(o.charger.level.is_high()),
            pre_alarm: Some(o.pre_alarm.level.is_high()),
            // On: running (or conducting) and not cut off upstream by an open switch.
            devices: (0..n)
                .map(|i| {
                    let upstream_ok = devs.upstream_closed(i).unwrap_or(true);
                    devs.get(i)
                        .map(|d| (d.is_active() || d.conducts()) && upstream_ok)
                })
                .collect(),
            upstream: (0..n).map(|i| devs.upstream_closed(i)).collect(),
            conducts: (0..n).map(|i| devs.get(i).map(|d| d.conducts())).collect(),
            controls: (0..n)
                .map(|i| devs.control_level(i).map(|l| l.is_high()))
                .collect(),
            feeds: (0..n)
                .map(|i| Some(devs.feed_current(i, s.voltage).si()))
                .collect(),
            // Everything the bank exchanges: the devices, an external charger, the BMS's own draw.
            bus: Some(s.current.si()),
            volts: Some(s.voltage.si()),
            output_demand: Some(*sim.output_demand()),
            remote_closed: sim
                .document()
                .system
                .remote
                .has_switch()
                .then_some(sim.conditions().remote_switch_closed),
            supply_ok: Some(sim.conditions().bms_supply_connected),
            blue: Some(o.blue_led.pattern),
            red: Some(o.red_led.pattern),
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
            live: false,
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
            volts: r.battery_voltage.map(|v| v.si()),
            bus: r.battery_current.map(|a| a.si()),
            bms_cable_ok: r
                .alarms
                .bms_cable
                .map(|a| a == smallbms_core::readout::AlarmLevel::Ok),
            badge: badge.join(" · "),
            live: true,
            ..Overlay::default()
        }
    }

    fn output(&self, o: BmsOutput) -> Option<bool> {
        match o {
            BmsOutput::Load => self.load,
            BmsOutput::Charger => self.charger,
            BmsOutput::PreAlarm => self.pre_alarm,
        }
    }

    fn device<T: Copy>(v: &[Option<T>], i: usize) -> Option<T> {
        v.get(i).copied().flatten()
    }

    /// The current on a power wire, amps, when known.
    fn wire_current(&self, w: &Wire) -> Option<f64> {
        match (w.kind, w.device) {
            (WireKind::Power, Some(i)) => Overlay::device(&self.feeds, i),
            (WireKind::Power, None) if w.id == "bus" || w.id == "bus.tail" => self.bus,
            _ => None,
        }
    }
}

/// "12.3 A" from 1 A up, "350 mA" below.
pub fn amps(a: f64) -> String {
    if (a * 1000.0).abs().round() >= 1000.0 {
        format!("{:.1} A", a.abs())
    } else {
        format!("{:.0} mA", (a * 1000.0).abs())
    }
}

fn points(p: &[(i32, i32)]) -> String {
    p.iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a wire's label goes: a device's feed is labelled just before the device (clear of its "+"), the bus
/// where it leaves the bank (its first corner); nudged above the wire.
fn label_spot(p: &[(i32, i32)], feeds_device: bool) -> (i32, i32, &'static str) {
    match (feeds_device, p) {
        (true, [.., (x, y)]) => (x - 16, y - 4, "end"),
        (false, [_, (x, y), ..]) => (x + 4, y - 4, "start"),
        _ => (0, 0, "start"),
    }
}

/// The CSS classes of a wire under the live state. Power paths with a current get a moving dash in the
/// direction the current flows (drawn from the bank outward, so a charge current runs backwards).
fn wire_class(w: &Wire, ov: Option<&Overlay>) -> String {
    let broken =
        matches!(w.kind, WireKind::BmsCable) && ov.and_then(|o| o.bms_cable_ok) == Some(false);
    let mut class = String::from(match w.kind {
        WireKind::Power | WireKind::Supply => "wire power",
        WireKind::Negative => "wire negative",
        WireKind::BmsCable => "wire bmscable",
        WireKind::Control(_) => "wire control",
        WireKind::Remote => "wire remote",
    });
    if let WireKind::Control(out) = w.kind {
        if ov.and_then(|o| o.output(out)) == Some(true) {
            class.push_str(" high");
        }
    }
    if let Some(a) = ov.and_then(|o| o.wire_current(w)) {
        if a.abs() >= 0.05 {
            class.push_str(if a < 0.0 { " flow" } else { " flow rev" });
        }
    }
    if broken {
        class.push_str(" broken");
    }
    class
}

/// The SVG animation of a flashing pattern: `values` and `keyTimes` over one period, so any pattern in the core's
/// data blinks exactly as described, on the wall clock, whatever the simulation speed.
fn led_animation(p: LedPattern) -> Option<(String, String, String)> {
    let LedPattern::Flashes {
        count,
        on,
        off,
        period,
    } = p
    else {
        return None;
    };
    let period = period.0.max(1) as f64;
    let step = (on.0 + off.0) as f64;
    let (mut values, mut times) = (Vec::new(), Vec::new());
    for k in 0..u64::from(count) {
        let start = k as f64 * step;
        if start >= period {
            break;
        }
        values.extend(["1", "0.15"]);
        times.push(start / period);
        times.push(((start + on.0 as f64) / period).min(1.0));
    }
    if times.first() != Some(&0.0) {
        values.insert(0, "0.15");
        times.insert(0, 0.0);
    }
    let times: Vec<String> = times.iter().map(|t| format!("{t:.4}")).collect();
    Some((
        values.join(";"),
        times.join(";"),
        format!("{}ms", period as u64),
    ))
}

fn led(
    id: &'static str,
    colour: &'static str,
    x: i32,
    y: i32,
    pattern: Memo<Option<LedPattern>>,
) -> impl IntoView {
    let class = move || {
        let state = match pattern.get() {
            Some(LedPattern::On) => " on",
            Some(LedPattern::Flashes { .. }) => " flashing",
            _ => "",
        };
        format!("led {colour}{state}")
    };
    view! {
        <circle id=id class=class cx=x.to_string() cy=y.to_string() r="6">
            {move || pattern.get().and_then(led_animation).map(|(values, times, dur)| view! {
                <animate attributeName="fill-opacity" values=values keyTimes=times dur=dur
                    calcMode="discrete" repeatCount="indefinite" />
            })}
        </circle>
    }
}

/// An LED on its own (the Simulate view's BMS panel), blinking like the one on the diagram.
pub fn led_icon(
    id: &'static str,
    colour: &'static str,
    pattern: Memo<Option<LedPattern>>,
) -> impl IntoView {
    view! {
        <svg class="led-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
            {led(id, colour, 8, 8, pattern)}
        </svg>
    }
}

/// A terminal's state in words: level, voltage and current where the overlay knows them.
/// A terminal with the name of its part, for its words.
#[derive(Clone, Debug, PartialEq)]
struct TerminalCtx {
    t: Terminal,
    part: String,
}

/// Level, voltage and current of a terminal, where the overlay knows them.
fn terminal_info(ctx: &TerminalCtx, ov: Option<&Overlay>, lang: Lang) -> String {
    let t = &ctx.t;
    let name = if t.label.is_empty() {
        ctx.part.clone()
    } else {
        format!("{} {}", ctx.part, t.label)
    };
    let Some(ov) = ov else {
        return name;
    };
    let volts = |v: f64| format!("{v:.2} V");
    let level = |high: bool| {
        if high {
            T::LevelHigh.get(lang)
        } else {
            T::LevelFloating.get(lang)
        }
    };
    let output = match t.id.as_str() {
        "bms.load" => Some(BmsOutput::Load),
        "bms.charger" => Some(BmsOutput::Charger),
        "bms.pre_alarm" => Some(BmsOutput::PreAlarm),
        _ => None,
    };
    let mut parts = vec![name];
    if let Some(o) = output {
        if let Some(high) = ov.output(o) {
            parts.push(level(high).into());
            if high {
                // A high output sits about 0.1 V under the battery (datasheet: "Vbat − 0.1 V").
                if let Some(v) = ov.volts {
                    parts.push(volts(v - 0.1));
                }
                if let Some(demand) = ov.output_demand {
                    parts.push(amps(demand.get(o).si()));
                }
            } else {
                parts.push(amps(0.0));
            }
        }
        return parts.join(" · ");
    }
    let device =
        t.id.strip_prefix("dev")
            .and_then(|r| r.split_once('.'))
            .and_then(|(i, end)| i.parse::<usize>().ok().map(|i| (i, end)));
    match device {
        Some((i, "remote")) => {
            if let Some(high) = Overlay::device(&ov.controls, i) {
                parts.push(level(high).into());
            }
        }
        Some((i, end @ ("plus" | "out"))) => {
            // Live while every switch on the way from the bank conducts (and, for a switch's OUT, itself);
            // unknown when the overlay does not know (a real BMS tells nothing of the switches).
            let fed = Overlay::device(&ov.upstream, i);
            let live = if end == "out" {
                fed.zip(Overlay::device(&ov.conducts, i))
                    .map(|(a, b)| a && b)
            } else {
                fed
            };
            if let (Some(v), Some(live)) = (ov.volts, live) {
                parts.push(volts(if live { v } else { 0.0 }));
            }
            if let Some(a) = Overlay::device(&ov.feeds, i) {
                parts.push(amps(a));
            }
        }
        _ => {
            if t.id == "bms.supply" {
                if let (Some(v), Some(ok)) = (ov.volts, ov.supply_ok) {
                    parts.push(volts(if ok { v } else { 0.0 }));
                }
            }
            if t.id.starts_with("remote_switch") || t.id.starts_with("bms.remote") {
                if let Some(closed) = ov.remote_closed {
                    parts.push(
                        if closed {
                            T::SwitchClosed
                        } else {
                            T::SwitchOpen
                        }
                        .get(lang)
                        .into(),
                    );
                }
            }
        }
    }
    parts.join(" · ")
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
               .control{stroke:#8a97a5;stroke-dasharray:4 4}.control.high{stroke:#e67e22;stroke-dasharray:none}\
               .amps{fill:#c0392b;font-size:10px}.cable-tag{fill:#556;font-size:9px}.led{fill:#3a4450}.led.blue{fill:#2e86ff}.led.red{fill:#ff3b30}</style>";
    let text = svg.outer_html().replacen('>', &format!(">{css}"), 1);
    crate::download("smallbms-wiring.svg", "image/svg+xml", &text);
}

fn part_kind(p: &Part) -> &'static str {
    match p.kind {
        PartKind::Bms => "bms",
        PartKind::Battery | PartKind::MoreBatteries => "battery",
        PartKind::Device(_) => "device",
        PartKind::Cable => "cable",
        PartKind::Fuse => "fuse",
        PartKind::RemoteSwitch => "switch",
    }
}

#[component]
pub fn DiagramView(doc: Signal<Document>, overlay: Signal<Option<Overlay>>) -> impl IntoView {
    let lang = use_lang();
    let layout = Memo::new(move |_| {
        let lang = lang();
        doc.with(|d| diagram::build_in(d, lang))
    });
    // Every element below reads the overlay; the memo computes it once per change.
    let ov = Memo::new(move |_| overlay.get());
    let blue = Memo::new(move |_| ov.with(|o| o.as_ref().and_then(|o| o.blue)));
    let red = Memo::new(move |_| ov.with(|o| o.as_ref().and_then(|o| o.red)));
    // The tapped terminal; its words follow the live state and the language.
    let pinned = RwSignal::new(None::<TerminalCtx>);
    view! {
        <div class="diagram-head row">
            <h2>{tr(T::Diagram)}</h2>
            <span class="muted" id="diagram-source">{move || ov.with(|o| o.as_ref().map(|o| if o.live { T::SourceLive } else { T::SourceSimulation }.get(lang())).unwrap_or_default())}</span>
            <button class="secondary no-print" id="export-svg" on:click=move |_| export_svg()>{tr(T::ExportSvg)}</button>
        </div>
        <div class="diagram-wrap">
            {move || {
                let d = layout.get();
                let wires = d.wires.iter().map(|w| {
                    let wc = w.clone();
                    let class = move || ov.with(|o| wire_class(&wc, o.as_ref()));
                    let label = (w.kind == WireKind::Power && (w.device.is_some() || w.id == "bus")).then(|| {
                        let (x, y, anchor) = label_spot(&w.points, w.device.is_some());
                        let wc = w.clone();
                        let text = move || ov.with(|o| o.as_ref().and_then(|o| o.wire_current(&wc)).filter(|a| a.abs() >= 0.0005).map(amps).unwrap_or_default());
                        view! { <text class="amps" data-wire=w.id.clone() x=x.to_string() y=y.to_string() text-anchor=anchor>{text}</text> }
                    });
                    // A power cable's size, length and fuse; while a current flows, its drop (I × R) too.
                    let tag = w.cable.clone().filter(|_| w.kind == WireKind::Power).map(|c| {
                        // A device's cable is told inside the device's box (clear of the buses), the main cable
                        // above the bus where it leaves the bank.
                        let (x, y, anchor) = match w.device.and_then(|i| d.part(&format!("dev{i}"))) {
                            Some(p) => (p.x + 6, p.y + p.h - 8, "start"),
                            None => {
                                let (x, y, a) = label_spot(&w.points, false);
                                (x, y - 16, a)
                            }
                        };
                        let wc = w.clone();
                        let text = move || {
                            let live = ov.with(|o| o.as_ref().and_then(|o| o.wire_current(&wc).map(|a| (a, o.volts))));
                            match live {
                                Some((a, volts)) if a.abs() >= 0.0005 => {
                                    let drop = a.abs() * c.uohm as f64 / 1e6;
                                    let pct = drop / volts.unwrap_or(f64::INFINITY).max(1.0) * 100.0;
                                    format!("{} · {:.2} V {:.1} %", c.text, drop, pct)
                                }
                                _ => c.text.clone(),
                            }
                        };
                        view! { <text class="cable-tag" data-wire=w.id.clone() x=x.to_string() y=y.to_string() text-anchor=anchor>{text}</text> }
                    });
                    (view! {
                        <polyline class=class data-id=w.id.clone() points=points(&w.points) />
                        {label}
                    }, tag)
                }).collect::<Vec<_>>();
                // Cable tags go over the parts (a device's tag sits inside its box).
                let (wires, tags): (Vec<_>, Vec<_>) = wires.into_iter().unzip();
                let parts = d.parts.iter().map(|p| {
                    let kind = part_kind(p);
                    let pk = p.kind;
                    let class = move || {
                        let state = ov.with(|o| match (pk, o) {
                            (PartKind::Device(i), Some(o)) => Overlay::device(&o.devices, i).map(|on| if on { " on" } else { " off" }),
                            (PartKind::RemoteSwitch, Some(o)) => o.remote_closed.map(|c| if c { " closed" } else { " open" }),
                            _ => None,
                        });
                        format!("part {kind}{}", state.unwrap_or(""))
                    };
                    let is_bms = p.kind == PartKind::Bms;
                    let badge = is_bms.then(|| view! {
                        <text class="sub" id="diagram-badge" x=(p.x + 6).to_string() y=(p.y + 48).to_string()>
                            {move || ov.with(|o| o.as_ref().map(|o| o.badge.clone()).unwrap_or_default())}
                        </text>
                    });
                    let leds = is_bms.then(|| view! {
                        {led("led-blue", "blue", p.x + p.w / 2 - 20, p.y + 16, blue)}
                        {led("led-red", "red", p.x + p.w / 2 - 2, p.y + 16, red)}
                    });
                    // A switch says whether it is open or closed (BatteryProtect, Cyrix, relay, remote switch).
                    let switch_state = match p.kind {
                        PartKind::Device(i) if doc.with_untracked(|d| d.system.devices.get(i).is_some_and(|d| d.kind.is_switch())) => Some(i),
                        _ => None,
                    }.map(|i| view! {
                        <text class="sub state" x=(p.x + 6).to_string() y=(p.y + 46).to_string()>
                            {move || ov.with(|o| o.as_ref().and_then(|o| Overlay::device(&o.conducts, i)).map(|on| if on { T::SwitchClosed } else { T::SwitchOpen }.get(lang())).unwrap_or_default())}
                        </text>
                    });
                    let terminals = p.terminals.iter().map(|t| {
                        let ctx = TerminalCtx { t: t.clone(), part: p.label.clone() };
                        let (on_click, on_key) = (ctx.clone(), ctx.clone());
                        let info = move || ov.with(|o| terminal_info(&ctx, o.as_ref(), lang()));
                        let output = match t.id.as_str() {
                            "bms.load" => Some(BmsOutput::Load),
                            "bms.charger" => Some(BmsOutput::Charger),
                            "bms.pre_alarm" => Some(BmsOutput::PreAlarm),
                            _ => None,
                        };
                        let class = move || {
                            let high = output.and_then(|o| ov.with(|ov| ov.as_ref().and_then(|ov| ov.output(o))));
                            if high == Some(true) { "terminal high" } else { "terminal" }
                        };
                        view! {
                            <circle class=class data-id=t.id.clone() cx=t.x.to_string() cy=t.y.to_string() r="4"
                                tabindex="0" role="button"
                                on:click=move |_| pinned.set(Some(on_click.clone()))
                                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); pinned.set(Some(on_key.clone())) }>
                                <title>{info}</title>
                            </circle>
                        }
                    }).collect_view();
                    view! {
                        <g class=class data-id=p.id.clone()>
                            <rect x=p.x.to_string() y=p.y.to_string() width=p.w.to_string() height=p.h.to_string() />
                            <text class="label" x=(p.x + 6).to_string() y=(p.y + 16).to_string()>{p.label.clone()}</text>
                            // An interface cable is a small tag: its name goes in the tooltip.
                            {if p.kind == PartKind::Cable {
                                leptos::svg::title().child(format!("{} {}", p.label, p.sublabel)).into_any()
                            } else {
                                view! { <text class="sub" x=(p.x + 6).to_string() y=(p.y + 30).to_string()>{p.sublabel.clone()}</text> }.into_any()
                            }}
                            {badge}
                            {leds}
                            {switch_state}
                            {p.terminals.iter().filter(|t| !t.label.is_empty()).map(|t| {
                                // On the bottom edge the label sits inside the part above the terminal; elsewhere
                                // up and left of it.
                                let (x, y, anchor) = if t.y == p.y + p.h { (t.x, t.y - 8, "middle") } else { (t.x - 4, t.y - 6, "end") };
                                view! { <text class="sub" x=x.to_string() y=y.to_string() text-anchor=anchor>{t.label}</text> }
                            }).collect_view()}
                            {terminals}
                        </g>
                    }
                }).collect_view();
                view! {
                    <svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox=format!("0 0 {} {}", d.width, d.height)
                        role="group" aria-label=move || T::Diagram.get(lang())>
                        {wires}
                        {parts}
                        {tags}
                    </svg>
                }
            }}
        </div>
        <p class="muted" id="terminal-info" aria-live="polite">{move || pinned.with(|p| match p {
            Some(ctx) => ov.with(|o| terminal_info(ctx, o.as_ref(), lang())),
            None => T::TapTerminal.get(lang()).into(),
        })}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smallbms_core::units::Millis;

    #[test]
    fn a_flash_code_animates_its_flashes_within_the_period() {
        let (values, times, dur) = led_animation(LedPattern::code(2)).unwrap();
        assert_eq!(values, "1;0.15;1;0.15");
        assert_eq!(times, "0.0000;0.0500;0.1250;0.1750");
        assert_eq!(dur, "4000ms");
        assert!(led_animation(LedPattern::On).is_none());
        assert!(led_animation(LedPattern::Off).is_none());
        let (values, times, _) =
            led_animation(LedPattern::blink(Millis(500), Millis(500))).unwrap();
        assert_eq!(
            (values.as_str(), times.as_str()),
            ("1;0.15", "0.0000;0.5000")
        );
    }

    #[test]
    fn a_terminal_behind_an_open_switch_is_dead_and_unknown_stays_unknown() {
        let ctx = TerminalCtx {
            t: Terminal {
                id: "dev1.plus".into(),
                label: "+",
                x: 0,
                y: 0,
            },
            part: "DC loads".into(),
        };
        let mut ov = Overlay {
            volts: Some(13.2),
            upstream: vec![Some(true), Some(false)],
            feeds: vec![Some(0.0), Some(0.0)],
            ..Overlay::default()
        };
        assert_eq!(
            terminal_info(&ctx, Some(&ov), Lang::En),
            "DC loads + · 0.00 V · 0 mA"
        );
        ov.upstream[1] = Some(true);
        assert!(terminal_info(&ctx, Some(&ov), Lang::En).contains("13.20 V"));
        // A real BMS says nothing of the switches: no voltage is made up.
        let live = Overlay {
            volts: Some(13.2),
            live: true,
            ..Overlay::default()
        };
        assert_eq!(terminal_info(&ctx, Some(&live), Lang::En), "DC loads +");
    }

    #[test]
    fn amps_are_written_as_a_user_reads_them() {
        assert_eq!(amps(-12.34), "12.3 A");
        assert_eq!(amps(0.35), "350 mA");
        assert_eq!(amps(0.0), "0 mA");
        assert_eq!(amps(0.9996), "1.0 A");
    }
}
