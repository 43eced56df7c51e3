//! The wiring diagram as data: parts with their terminals, and wires between terminals, laid out on a grid.
//! No drawing code: the web draws it as SVG, tests check it. Derived from the configuration only, so the same
//! system always gives the same diagram; live state (levels, currents, switch positions) is laid over it by the
//! web from the simulation, keyed by the ids here.
use crate::bms::BmsOutput;
use crate::document::Document;
use crate::lang::{format_in, Lang};
use crate::system::{DeviceConfig, RemoteWiring};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde::Serialize;

/// What a part is, for the drawing's style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Battery,
    Bms,
    Fuse,
    RemoteSwitch,
    Cable,
    /// A downstream device (index into the system's device list).
    Device(usize),
    /// Stands for batteries not drawn one by one in a large bank.
    MoreBatteries,
}

/// A connection point on a part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Terminal {
    /// Unique in the diagram, e.g. `bms.load`, `dev3.remote`, `bat0.plus`.
    pub id: String,
    pub label: &'static str,
    pub x: i32,
    pub y: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Part {
    pub id: String,
    pub kind: PartKind,
    pub label: String,
    pub sublabel: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub terminals: Vec<Terminal>,
}

/// What a wire carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireKind {
    /// Battery plus / power path (the arrows of current).
    Power,
    /// Battery minus.
    Negative,
    /// The M8 BMS-cable chain between the batteries and the BMS.
    BmsCable,
    /// A control wire from a BMS output (through a cable, if any) to a device's remote/control terminal.
    Control(BmsOutput),
    /// The BMS supply, through its fuse.
    Supply,
    /// Remote L/H wiring.
    Remote,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Wire {
    pub id: String,
    pub kind: WireKind,
    /// A terminal id, or `bus`: the positive bus from the bank (the `bus` wire), which feeds every device that is
    /// not behind a switch.
    pub from: String,
    /// A terminal id.
    pub to: String,
    /// The device this wire feeds, when it belongs to one (for live state).
    pub device: Option<usize>,
    /// Poly-line through these points (first = `from` terminal, last = `to` terminal).
    pub points: Vec<(i32, i32)>,
    /// The power cable this wire stands for, where one is entered (main cable on `bus`, device circuits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cable: Option<WireCable>,
}

/// A power cable as drawn: its size, length and fuse in words, and its resistance for the live drop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WireCable {
    /// "25 mm² · 3 m · MEGA 250 A".
    pub text: String,
    /// Circuit resistance (both conductors, fuse, connections), µΩ.
    pub uohm: u64,
}

fn wire_cable(
    c: &crate::power::Circuit,
    params: &crate::power::PowerParams,
    extra_uohm: f64,
    lang: Lang,
) -> Option<WireCable> {
    let cable = c.cable?;
    let r = crate::power::analysis::circuit_ohms(c, params, extra_uohm)?;
    let mut text = format!("{} · {}", cable.cross_section_mm2, cable.length_m);
    if let Some(f) = c.fuse {
        text.push_str(&format!(" · {} {} A", f.kind.name_in(lang), f.rating_a));
    }
    Some(WireCable {
        text,
        uohm: libm::round((r * 1e6).clamp(0.0, 1e12)) as u64,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagram {
    pub width: i32,
    pub height: i32,
    pub parts: Vec<Part>,
    pub wires: Vec<Wire>,
}

impl Diagram {
    pub fn part(&self, id: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.id == id)
    }
    pub fn terminal(&self, id: &str) -> Option<&Terminal> {
        self.parts
            .iter()
            .flat_map(|p| p.terminals.iter())
            .find(|t| t.id == id)
    }
}

/// Batteries drawn one by one; a larger bank shows the first strings and a "+N more" part.
pub const MAX_DRAWN_STRINGS: usize = 6;
pub const MAX_DRAWN_SERIES: usize = 4;

const BAT_W: i32 = 96;
const BAT_H: i32 = 46;
const BAT_GAP_X: i32 = 18;
const BAT_GAP_Y: i32 = 26;
const MARGIN: i32 = 20;
const BMS_X: i32 = MARGIN;
const BMS_Y: i32 = MARGIN + 40;
/// The smallBMS NG box keeps the unit's proportions: 106 × 42 mm (datasheet "Boîtier"), ≈ 2.5 : 1, drawn lying.
const BMS_W: i32 = 270;
const BMS_H: i32 = 108;
/// Where the right-edge terminals sit below the box's top edge.
const LOAD_DY: i32 = 24;
const CHARGER_DY: i32 = 40;
const PRE_ALARM_DY: i32 = 56;
const REMOTE_H_DY: i32 = 76;
const REMOTE_L_DY: i32 = 94;
const DEV_W: i32 = 200;
const DEV_H: i32 = 62;
const DEV_GAP: i32 = 22;
/// Right of the BMS, the bank and the remote switch, in this order: the control-wire lanes (12 × 10 px), the
/// interface cables, the positive bus, the device column.
const LANES_W: i32 = 120;
const CABLE_OFFSET: i32 = LANES_W + 10;
const BUS_OFFSET: i32 = 210;
const DEV_OFFSET: i32 = 300;

/// Where the columns right of the bank sit (they move right as the bank grows, so nothing overlaps it).
#[derive(Clone, Copy)]
struct Columns {
    lanes: i32,
    cable: i32,
    bus: i32,
    dev: i32,
}

impl Columns {
    fn right_of(x: i32) -> Columns {
        let lanes = (BMS_X + BMS_W + 16).max(x + 20);
        Columns {
            lanes,
            cable: lanes + CABLE_OFFSET,
            bus: lanes + BUS_OFFSET,
            dev: lanes + DEV_OFFSET,
        }
    }
}

fn terminal(id: String, label: &'static str, x: i32, y: i32) -> Terminal {
    Terminal { id, label, x, y }
}

/// The terminals of the smallBMS NG and where they are on its box (datasheet: LOAD, CHARGER, PRE-ALARM,
/// Remote L/H, supply, two BMS-cable sockets).
fn bms_part(lang: Lang) -> Part {
    let right = BMS_X + BMS_W;
    let t =
        |id: &str, label: &'static str, x: i32, y: i32| terminal(format!("bms.{id}"), label, x, y);
    let bms_cable = lang.pick("BMS cable", "câble BMS");
    Part {
        id: "bms".into(),
        kind: PartKind::Bms,
        label: "smallBMS NG".into(),
        sublabel: "8–70 V".into(),
        x: BMS_X,
        y: BMS_Y,
        w: BMS_W,
        h: BMS_H,
        terminals: vec![
            t("load", "LOAD", right, BMS_Y + LOAD_DY),
            t("charger", "CHARGER", right, BMS_Y + CHARGER_DY),
            t("pre_alarm", "PRE-ALARM", right, BMS_Y + PRE_ALARM_DY),
            t("remote_h", "Remote H", right, BMS_Y + REMOTE_H_DY),
            t("remote_l", "Remote L", right, BMS_Y + REMOTE_L_DY),
            t(
                "supply",
                lang.pick("+ supply", "+ alim."),
                BMS_X + 40,
                BMS_Y,
            ),
            t("minus", "−", BMS_X + 90, BMS_Y),
            t("bms_in", bms_cable, BMS_X + 40, BMS_Y + BMS_H),
            t("bms_out", bms_cable, BMS_X + 130, BMS_Y + BMS_H),
        ],
    }
}

fn output_terminal(o: BmsOutput) -> &'static str {
    match o {
        BmsOutput::Load => "bms.load",
        BmsOutput::Charger => "bms.charger",
        BmsOutput::PreAlarm => "bms.pre_alarm",
    }
}

fn device_part(index: usize, d: &DeviceConfig, dev_x: i32, y: i32, lang: Lang) -> Part {
    let id = format!("dev{index}");
    let mut terminals = vec![
        terminal(format!("{id}.plus"), "+", dev_x, y + DEV_H / 2 - 12),
        terminal(format!("{id}.minus"), "−", dev_x, y + DEV_H / 2 + 12),
    ];
    if d.kind.remote_input().is_some() || d.control.is_some() {
        terminals.push(terminal(
            format!("{id}.remote"),
            lang.pick("remote", "à distance"),
            dev_x + DEV_W / 2,
            y,
        ));
    }
    if d.kind.is_switch() {
        terminals.push(terminal(
            format!("{id}.out"),
            "OUT",
            dev_x + DEV_W,
            y + DEV_H / 2,
        ));
    }
    Part {
        id,
        kind: PartKind::Device(index),
        label: d.name.clone(),
        sublabel: String::from(d.kind.label_in(lang)),
        x: dev_x,
        y,
        w: DEV_W,
        h: DEV_H,
        terminals,
    }
}

/// Remote L/H as wired (datasheet remote modes): a jumper for a permanent bridge, a switch between L and H, or
/// a switch from H to battery plus or from L to battery minus; nothing when left open.
fn draw_remote(remote: RemoteWiring, lang: Lang, parts: &mut Vec<Part>, wires: &mut Vec<Wire>) {
    let right = BMS_X + BMS_W;
    let (h, l) = (BMS_Y + REMOTE_H_DY, BMS_Y + REMOTE_L_DY);
    let sx = right + 40;
    let remote_wire = |t: &str, to: &str, points: Vec<(i32, i32)>| Wire {
        id: format!("remote_{t}"),
        kind: WireKind::Remote,
        from: format!("bms.remote_{t}"),
        to: to.into(),
        device: None,
        points,
        cable: None,
    };
    // The switch's BMS side faces the BMS; where its other side goes to battery plus or minus, that terminal sits
    // on the far edge, marked. Wide enough for « marche/arrêt ».
    const SWITCH_W: i32 = 80;
    let switch = |sublabel: &str, far: Option<(&'static str, i32)>| {
        let mut terminals = vec![
            terminal("remote_switch.a".into(), "", sx, h),
            terminal("remote_switch.b".into(), "", sx, l),
        ];
        if let Some((mark, y)) = far {
            terminals.push(terminal("remote_switch.c".into(), mark, sx + SWITCH_W, y));
        }
        Part {
            id: "remote_switch".into(),
            kind: PartKind::RemoteSwitch,
            label: lang.pick("on/off", "marche/arrêt").into(),
            sublabel: sublabel.into(),
            x: sx,
            y: h - 5,
            w: SWITCH_W,
            h: 36,
            terminals,
        }
    };
    match remote {
        RemoteWiring::Open => {}
        RemoteWiring::Bridged => wires.push(remote_wire(
            "h",
            "bms.remote_l",
            vec![(right, h), (right + 16, h), (right + 16, l), (right, l)],
        )),
        RemoteWiring::SwitchLToH => {
            parts.push(switch("L–H", None));
            wires.push(remote_wire(
                "h",
                "remote_switch.a",
                vec![(right, h), (sx, h)],
            ));
            wires.push(remote_wire(
                "l",
                "remote_switch.b",
                vec![(right, l), (sx, l)],
            ));
        }
        RemoteWiring::SwitchHToPlus => {
            parts.push(switch("H → +", Some(("+", h))));
            wires.push(remote_wire(
                "h",
                "remote_switch.a",
                vec![(right, h), (sx, h)],
            ));
        }
        RemoteWiring::SwitchLToMinus => {
            parts.push(switch("L → −", Some(("−", l))));
            wires.push(remote_wire(
                "l",
                "remote_switch.b",
                vec![(right, l), (sx, l)],
            ));
        }
    }
}

/// Lays out the whole system, with its words in English.
pub fn build(doc: &Document) -> Diagram {
    build_in(doc, Lang::En)
}

/// [`build`] with its words in `lang`: the same parts, terminals and wires at the same places.
pub fn build_in(doc: &Document, lang: Lang) -> Diagram {
    let mut parts = Vec::new();
    let mut wires = Vec::new();
    let series = usize::from(doc.bank.series.max(1));
    let strings = usize::from(doc.bank.parallel.max(1));
    let drawn_series = series.min(MAX_DRAWN_SERIES);
    let drawn_strings = strings.min(MAX_DRAWN_STRINGS);

    // The BMS with its fuse and remote switch.
    parts.push(bms_part(lang));
    parts.push(Part {
        id: "fuse".into(),
        kind: PartKind::Fuse,
        label: lang.pick("fuse", "fusible").into(),
        sublabel: format!("{:.1} A", doc.system.supply_fuse.si()),
        x: BMS_X + 20,
        y: MARGIN - 4,
        w: 44,
        h: 22,
        terminals: vec![
            terminal("fuse.a".into(), "", BMS_X + 40, MARGIN + 18),
            terminal("fuse.b".into(), "", BMS_X + 64, MARGIN + 7),
        ],
    });
    wires.push(Wire {
        id: "supply".into(),
        kind: WireKind::Supply,
        from: "fuse.a".into(),
        to: "bms.supply".into(),
        device: None,
        points: vec![(BMS_X + 40, MARGIN + 18), (BMS_X + 40, BMS_Y)],
        cable: None,
    });
    draw_remote(doc.system.remote, lang, &mut parts, &mut wires);

    // The bank: strings as columns, batteries in series as rows, chained by BMS cables.
    let bank_y = BMS_Y + BMS_H + 60;
    let mut chain: Vec<(i32, i32, i32)> = Vec::new(); // (x, top y, bottom y) of each drawn battery, chain order
    for s in 0..drawn_strings {
        for r in 0..drawn_series {
            let b = s * series + r;
            let x = MARGIN + s as i32 * (BAT_W + BAT_GAP_X);
            let y = bank_y + r as i32 * (BAT_H + BAT_GAP_Y);
            let id = format!("bat{b}");
            parts.push(Part {
                id: id.clone(),
                kind: PartKind::Battery,
                label: format!("#{}", b + 1),
                sublabel: String::from(doc.bank.model.id()),
                x,
                y,
                w: BAT_W,
                h: BAT_H,
                terminals: vec![
                    terminal(format!("{id}.plus"), "+", x + BAT_W - 14, y),
                    terminal(format!("{id}.minus"), "−", x + 14, y),
                    terminal(format!("{id}.bms"), "BMS", x + BAT_W / 2, y + BAT_H),
                ],
            });
            chain.push((x + BAT_W / 2, y, y + BAT_H));
        }
    }
    let hidden = strings * series - drawn_strings * drawn_series;
    let bank_bottom = bank_y + drawn_series as i32 * (BAT_H + BAT_GAP_Y);
    if hidden > 0 {
        let x = MARGIN + drawn_strings as i32 * (BAT_W + BAT_GAP_X);
        parts.push(Part {
            id: "more".into(),
            kind: PartKind::MoreBatteries,
            label: format_in!(lang, "+{} more", "+{} autres", hidden),
            sublabel: format_in!(
                lang,
                "{} in series × {}",
                "{} en série × {}",
                series,
                strings
            ),
            x,
            y: bank_y,
            w: BAT_W,
            h: BAT_H,
            terminals: vec![terminal(
                "more.bms".into(),
                "BMS",
                x + BAT_W / 2,
                bank_y + BAT_H,
            )],
        });
        chain.push((x + BAT_W / 2, bank_y, bank_y + BAT_H));
    }
    // The chain runs BMS socket → each battery → back to the second BMS socket (victron-behaviour.md §1.4). Links
    // run in the gaps between the rows and columns of batteries, never across one: down from a socket into the gap
    // below its battery, along it to the gap left of the next battery's column, down that to the gap below the
    // next battery, and up into its socket.
    let bank_right = {
        let columns = drawn_strings as i32 + i32::from(hidden > 0);
        MARGIN + columns * (BAT_W + BAT_GAP_X) - BAT_GAP_X
    };
    let below = |bottom: i32| bottom + BAT_GAP_Y / 2;
    let above_bank = bank_y - BAT_GAP_Y / 2 - 20;
    let mut prev = ("bms.bms_in".to_string(), (BMS_X + 40, BMS_Y + BMS_H));
    for (i, (cx, _, bottom)) in chain.iter().enumerate() {
        let to = if i < drawn_strings * drawn_series {
            format!("bat{}.bms", index_of(i, drawn_series, series))
        } else {
            "more.bms".into()
        };
        let column_gap = cx - BAT_W / 2 - BAT_GAP_X / 2;
        let (px, py) = prev.1;
        let leave = if i == 0 {
            // From the BMS: into the space between the BMS and the bank.
            vec![(px, py), (px, above_bank - 10)]
        } else {
            vec![(px, py), (px, below(py))]
        };
        let turn_y = leave[leave.len() - 1].1;
        let mut points = leave;
        points.extend([
            (column_gap, turn_y),
            (column_gap, below(*bottom)),
            (*cx, below(*bottom)),
            (*cx, *bottom),
        ]);
        wires.push(Wire {
            id: format!("bmscable{i}"),
            kind: WireKind::BmsCable,
            from: prev.0.clone(),
            to: to.clone(),
            device: None,
            points,
            cable: None,
        });
        prev = (to, (*cx, *bottom));
    }
    // Back to the BMS round the right of the bank.
    let (px, py) = prev.1;
    let right = bank_right + BAT_GAP_X / 2;
    wires.push(Wire {
        id: format!("bmscable{}", chain.len()),
        kind: WireKind::BmsCable,
        from: prev.0,
        to: "bms.bms_out".into(),
        device: None,
        points: vec![
            (px, py),
            (px, below(py)),
            (right, below(py)),
            (right, above_bank + 10),
            (BMS_X + 130, above_bank + 10),
            (BMS_X + 130, BMS_Y + BMS_H),
        ],
        cable: None,
    });

    // Everything else sits right of the bank and the remote switch.
    let left_right = parts
        .iter()
        .filter(|p| matches!(p.kind, PartKind::RemoteSwitch | PartKind::Bms))
        .map(|p| p.x + p.w)
        .fold(bank_right, i32::max);
    let col = Columns::right_of(left_right);

    // The positive bus from the bank to the devices, above the chain's return, and up to the fuse.
    let bus_top = MARGIN + 7;
    if let Some((x, top, _)) = chain.first() {
        wires.push(Wire {
            id: "bus".into(),
            kind: WireKind::Power,
            from: "bat0.plus".into(),
            to: "fuse.b".into(),
            device: None,
            points: vec![
                (x + BAT_W / 2 - 14, *top),
                (x + BAT_W / 2 - 14, above_bank),
                (col.bus, above_bank),
                (col.bus, bus_top),
                (BMS_X + 64, bus_top),
            ],
            cable: {
                let w = &doc.system.power;
                wire_cable(&w.main, &w.params, w.main_extra_uohm(), lang)
            },
        });
    }
    // The parallel strings' links between the first batteries of neighbouring strings (plus to plus above
    // minus to minus), and the bank's negative to the negative bus beside the positive one.
    if !chain.is_empty() && drawn_strings >= 2 {
        for s in 0..drawn_strings - 1 {
            let a = MARGIN + s as i32 * (BAT_W + BAT_GAP_X);
            let b = a + BAT_W + BAT_GAP_X;
            for (polarity, dx, up, kind) in [
                ("plus", BAT_W - 14, 8, WireKind::Power),
                ("minus", 14, 14, WireKind::Negative),
            ] {
                wires.push(Wire {
                    id: format!("link{s}.{polarity}"),
                    kind,
                    from: format!("bat{}.{polarity}", s * series),
                    to: format!("bat{}.{polarity}", (s + 1) * series),
                    device: None,
                    points: vec![
                        (a + dx, bank_y),
                        (a + dx, bank_y - up),
                        (b + dx, bank_y - up),
                        (b + dx, bank_y),
                    ],
                    cable: None,
                });
            }
        }
    }
    let nbus = col.bus + 10;
    let negative_y = above_bank + 4;
    let mut negative_span = (negative_y, negative_y);
    if !chain.is_empty() {
        wires.push(Wire {
            id: "negative".into(),
            kind: WireKind::Negative,
            from: "bat0.minus".into(),
            to: "nbus".into(),
            device: None,
            points: vec![
                (MARGIN + 14, bank_y),
                (MARGIN + 14, negative_y),
                (nbus, negative_y),
            ],
            cable: None,
        });
    }

    // Devices in a column, each with its power path and control wire.
    let mut y = MARGIN + 40;
    let mut lowest_stub = above_bank;
    let tops: Vec<i32> = (0..doc.system.devices.len())
        .map(|i| MARGIN + 40 + i as i32 * (DEV_H + DEV_GAP))
        .collect();
    for (i, d) in doc.system.devices.iter().enumerate() {
        let part = device_part(i, d, col.dev, y, lang);
        let plus = (col.dev, y + DEV_H / 2 - 12);
        // Fed through a switch only if `behind` names another device that is one; otherwise from the bus.
        let switch = d.power_path.behind.filter(|&sw| {
            sw != i
                && doc
                    .system
                    .devices
                    .get(sw)
                    .is_some_and(|s| s.kind.is_switch())
        });
        let (feed, points) = match switch {
            Some(sw) => {
                // From the switch's OUT round the right of the column, down the gap above this device, and in
                // from the left; each device its own lane on the right.
                let out = (col.dev + DEV_W, tops[sw] + DEV_H / 2);
                let lane = col.dev + DEV_W + 12 + (i as i32 % 4) * 7;
                let above = y - 16;
                let left = col.dev - 20;
                (
                    format!("dev{sw}.out"),
                    vec![
                        out,
                        (lane, out.1),
                        (lane, above),
                        (left, above),
                        (left, plus.1),
                        plus,
                    ],
                )
            }
            None => {
                lowest_stub = lowest_stub.max(plus.1);
                ("bus".into(), vec![(col.bus, plus.1), plus])
            }
        };
        wires.push(Wire {
            id: format!("dev{i}.power"),
            kind: WireKind::Power,
            from: feed,
            to: format!("dev{i}.plus"),
            device: Some(i),
            points,
            cable: wire_cable(&d.circuit, &doc.system.power.params, 0.0, lang),
        });
        if crate::power::analysis::has_circuit(&d.kind) && !chain.is_empty() {
            let minus = (col.dev, y + DEV_H / 2 + 12);
            negative_span = (negative_span.0.min(minus.1), negative_span.1.max(minus.1));
            wires.push(Wire {
                id: format!("dev{i}.negative"),
                kind: WireKind::Negative,
                from: "nbus".into(),
                to: format!("dev{i}.minus"),
                device: Some(i),
                points: vec![(nbus, minus.1), minus],
                cable: None,
            });
        }
        if let Some(c) = d.control {
            let from = output_terminal(c.output);
            let (fx, fy) = match c.output {
                BmsOutput::Load => (BMS_X + BMS_W, BMS_Y + LOAD_DY),
                BmsOutput::Charger => (BMS_X + BMS_W, BMS_Y + CHARGER_DY),
                BmsOutput::PreAlarm => (BMS_X + BMS_W, BMS_Y + PRE_ALARM_DY),
            };
            // Each control wire gets its own vertical lane so they do not overlap.
            let lane = col.lanes + (i as i32 % 12) * 10;
            let mut points = vec![
                (fx, fy),
                (lane, fy),
                (lane, y - 10),
                (col.dev + DEV_W / 2, y - 10),
                (col.dev + DEV_W / 2, y),
            ];
            if let Some(cable) = c.cable {
                parts.push(Part {
                    id: format!("cable{i}"),
                    kind: PartKind::Cable,
                    label: String::from(cable.part_number()),
                    sublabel: String::from(cable.name_in(lang)),
                    x: col.cable,
                    y: y - 22,
                    w: 72,
                    h: 22,
                    terminals: vec![],
                });
                points.insert(3, (col.cable, y - 10));
            }
            wires.push(Wire {
                id: format!("dev{i}.control"),
                kind: WireKind::Control(c.output),
                from: from.into(),
                to: format!("dev{i}.remote"),
                device: Some(i),
                points,
                cable: None,
            });
        }
        parts.push(part);
        y += DEV_H + DEV_GAP;
    }

    // Devices listed below the bank's top still hang on the bus: carry it down to the lowest one.
    if lowest_stub > above_bank && !chain.is_empty() {
        wires.push(Wire {
            id: "bus.tail".into(),
            kind: WireKind::Power,
            from: "bus".into(),
            to: "bus".into(),
            device: None,
            points: vec![(col.bus, above_bank), (col.bus, lowest_stub)],
            cable: None,
        });
    }

    if negative_span.0 < negative_span.1 {
        wires.push(Wire {
            id: "nbus.line".into(),
            kind: WireKind::Negative,
            from: "nbus".into(),
            to: "nbus".into(),
            device: None,
            points: vec![(nbus, negative_span.0), (nbus, negative_span.1)],
            cable: None,
        });
    }

    let width = (col.dev + DEV_W + 40).max(bank_right + MARGIN);
    let height = (y + MARGIN).max(bank_bottom + 40);
    Diagram {
        width,
        height,
        parts,
        wires,
    }
}

/// Battery index of the `i`-th drawn battery (drawn strings × drawn rows, in chain order).
fn index_of(i: usize, drawn_series: usize, series: usize) -> usize {
    (i / drawn_series) * series + i % drawn_series
}
