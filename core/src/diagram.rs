//! The wiring diagram as data: parts with their terminals, and wires between terminals, laid out on a grid.
//! No drawing code: the web draws it as SVG, tests check it. Derived from the configuration only, so the same
//! system always gives the same diagram; live state (levels, currents, switch positions) is laid over it by the
//! web from the simulation, keyed by the ids here.
use crate::bms::BmsOutput;
use crate::document::Document;
use crate::system::DeviceConfig;
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
    pub from: String,
    pub to: String,
    /// The device this wire feeds, when it belongs to one (for live state).
    pub device: Option<usize>,
    /// Poly-line through these points (first = `from` terminal, last = `to` terminal).
    pub points: Vec<(i32, i32)>,
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
const BMS_W: i32 = 170;
const BMS_H: i32 = 200;
const DEV_X: i32 = 560;
const DEV_W: i32 = 200;
const DEV_H: i32 = 62;
const DEV_GAP: i32 = 22;
const BUS_X: i32 = 470;

fn terminal(id: String, label: &'static str, x: i32, y: i32) -> Terminal {
    Terminal { id, label, x, y }
}

/// The terminals of the smallBMS NG and where they are on its box (datasheet: LOAD, CHARGER, PRE-ALARM,
/// Remote L/H, supply, two BMS-cable sockets).
fn bms_part() -> Part {
    let right = BMS_X + BMS_W;
    let t =
        |id: &str, label: &'static str, x: i32, y: i32| terminal(format!("bms.{id}"), label, x, y);
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
            t("load", "LOAD", right, BMS_Y + 40),
            t("charger", "CHARGER", right, BMS_Y + 80),
            t("pre_alarm", "PRE-ALARM", right, BMS_Y + 120),
            t("remote_h", "Remote H", right, BMS_Y + 155),
            t("remote_l", "Remote L", right, BMS_Y + 180),
            t("supply", "+ supply", BMS_X + 40, BMS_Y),
            t("minus", "−", BMS_X + 90, BMS_Y),
            t("bms_in", "BMS cable", BMS_X + 40, BMS_Y + BMS_H),
            t("bms_out", "BMS cable", BMS_X + 130, BMS_Y + BMS_H),
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

fn device_part(index: usize, d: &DeviceConfig, y: i32) -> Part {
    let id = format!("dev{index}");
    let mut terminals = vec![
        terminal(format!("{id}.plus"), "+", DEV_X, y + DEV_H / 2 - 12),
        terminal(format!("{id}.minus"), "−", DEV_X, y + DEV_H / 2 + 12),
    ];
    if d.kind.remote_input().is_some() || d.control.is_some() {
        terminals.push(terminal(
            format!("{id}.remote"),
            "remote",
            DEV_X + DEV_W / 2,
            y,
        ));
    }
    if d.kind.is_switch() {
        terminals.push(terminal(
            format!("{id}.out"),
            "OUT",
            DEV_X + DEV_W,
            y + DEV_H / 2,
        ));
    }
    Part {
        id,
        kind: PartKind::Device(index),
        label: d.name.clone(),
        sublabel: String::from(d.kind.label()),
        x: DEV_X,
        y,
        w: DEV_W,
        h: DEV_H,
        terminals,
    }
}

/// Lays out the whole system.
pub fn build(doc: &Document) -> Diagram {
    let mut parts = Vec::new();
    let mut wires = Vec::new();
    let series = usize::from(doc.bank.series.max(1));
    let strings = usize::from(doc.bank.parallel.max(1));
    let drawn_series = series.min(MAX_DRAWN_SERIES);
    let drawn_strings = strings.min(MAX_DRAWN_STRINGS);

    // The BMS with its fuse and remote switch.
    parts.push(bms_part());
    parts.push(Part {
        id: "fuse".into(),
        kind: PartKind::Fuse,
        label: "fuse".into(),
        sublabel: format!("{:.1} A", doc.system.supply_fuse.si()),
        x: BMS_X + 20,
        y: MARGIN - 4,
        w: 44,
        h: 22,
        terminals: vec![
            terminal("fuse.a".into(), "", BMS_X + 42, MARGIN + 18),
            terminal("fuse.b".into(), "", BMS_X + 64, MARGIN + 7),
        ],
    });
    wires.push(Wire {
        id: "supply".into(),
        kind: WireKind::Supply,
        from: "fuse.a".into(),
        to: "bms.supply".into(),
        device: None,
        points: vec![(BMS_X + 42, MARGIN + 18), (BMS_X + 40, BMS_Y)],
    });
    if doc.system.remote.has_switch()
        || matches!(doc.system.remote, crate::system::RemoteWiring::Bridged)
    {
        let sx = BMS_X + BMS_W + 40;
        parts.push(Part {
            id: "remote_switch".into(),
            kind: PartKind::RemoteSwitch,
            label: "on/off".into(),
            sublabel: String::new(),
            x: sx,
            y: BMS_Y + 150,
            w: 60,
            h: 36,
            terminals: vec![
                terminal("remote_switch.a".into(), "", sx, BMS_Y + 155),
                terminal("remote_switch.b".into(), "", sx, BMS_Y + 180),
            ],
        });
        for (t, y) in [("h", 155), ("l", 180)] {
            let end = if t == "h" {
                "remote_switch.a"
            } else {
                "remote_switch.b"
            };
            wires.push(Wire {
                id: format!("remote_{t}"),
                kind: WireKind::Remote,
                from: format!("bms.remote_{t}"),
                to: end.into(),
                device: None,
                points: vec![(BMS_X + BMS_W, BMS_Y + y), (sx, BMS_Y + y)],
            });
        }
    }

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
            label: format!("+{hidden} more"),
            sublabel: format!("{series} in series × {strings}"),
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
    // The chain runs BMS socket → each battery → back to the second BMS socket (victron-behaviour.md §1.4).
    let chain_y = bank_bottom + 10;
    let mut prev = ("bms.bms_in".to_string(), (BMS_X + 40, BMS_Y + BMS_H));
    for (i, (cx, _, bottom)) in chain.iter().enumerate() {
        let to = if i < drawn_strings * drawn_series {
            format!("bat{}.bms", index_of(i, drawn_series, series))
        } else {
            "more.bms".into()
        };
        wires.push(Wire {
            id: format!("bmscable{i}"),
            kind: WireKind::BmsCable,
            from: prev.0.clone(),
            to: to.clone(),
            device: None,
            points: vec![
                prev.1,
                (prev.1 .0, chain_y),
                (*cx, chain_y),
                (*cx, *bottom),
            ],
        });
        prev = (to, (*cx, *bottom));
    }
    wires.push(Wire {
        id: format!("bmscable{}", chain.len()),
        kind: WireKind::BmsCable,
        from: prev.0,
        to: "bms.bms_out".into(),
        device: None,
        points: vec![
            prev.1,
            (prev.1 .0, chain_y + 14),
            (BMS_X + 130, chain_y + 14),
            (BMS_X + 130, BMS_Y + BMS_H),
        ],
    });

    // The positive bus from the bank to the devices.
    let bus_top = MARGIN + 30;
    if let Some((x, top, _)) = chain.first() {
        wires.push(Wire {
            id: "bus".into(),
            kind: WireKind::Power,
            from: "bat0.plus".into(),
            to: "fuse.b".into(),
            device: None,
            points: vec![
                (x + BAT_W / 2 - 14, *top),
                (x + BAT_W / 2 - 14, top - 20),
                (BUS_X, top - 20),
                (BUS_X, bus_top),
                (BMS_X + 64, bus_top),
                (BMS_X + 64, MARGIN + 7),
            ],
        });
    }

    // Devices in a column, each with its power path and control wire.
    let mut y = MARGIN + 40;
    for (i, d) in doc.system.devices.iter().enumerate() {
        let part = device_part(i, d, y);
        let plus = (DEV_X, y + DEV_H / 2 - 12);
        let feed = match d.power_path.behind {
            Some(sw) if sw < doc.system.devices.len() && sw != i => format!("dev{sw}.out"),
            _ => "bus".into(),
        };
        let start = if feed == "bus" {
            (BUS_X, plus.1)
        } else {
            (DEV_X + DEV_W + 20, plus.1)
        };
        wires.push(Wire {
            id: format!("dev{i}.power"),
            kind: WireKind::Power,
            from: feed,
            to: format!("dev{i}.plus"),
            device: Some(i),
            points: vec![start, plus],
        });
        if let Some(c) = d.control {
            let from = output_terminal(c.output);
            let (fx, fy) = match c.output {
                BmsOutput::Load => (BMS_X + BMS_W, BMS_Y + 40),
                BmsOutput::Charger => (BMS_X + BMS_W, BMS_Y + 80),
                BmsOutput::PreAlarm => (BMS_X + BMS_W, BMS_Y + 120),
            };
            // Each control wire gets its own vertical lane so they do not overlap.
            let lane = BMS_X + BMS_W + 16 + (i as i32 % 12) * 10;
            let mut points = vec![
                (fx, fy),
                (lane, fy),
                (lane, y - 10),
                (DEV_X + DEV_W / 2, y - 10),
                (DEV_X + DEV_W / 2, y),
            ];
            if let Some(cable) = c.cable {
                let cx = (lane + DEV_X) / 2 - 30;
                parts.push(Part {
                    id: format!("cable{i}"),
                    kind: PartKind::Cable,
                    label: String::from(cable.part_number()),
                    sublabel: String::from(cable.name()),
                    x: cx,
                    y: y - 22,
                    w: 60,
                    h: 22,
                    terminals: vec![],
                });
                points.insert(3, (cx, y - 10));
            }
            wires.push(Wire {
                id: format!("dev{i}.control"),
                kind: WireKind::Control(c.output),
                from: from.into(),
                to: format!("dev{i}.remote"),
                device: Some(i),
                points,
            });
        }
        parts.push(part);
        y += DEV_H + DEV_GAP;
    }

    let width =
        (DEV_X + DEV_W + 40).max(MARGIN * 2 + (drawn_strings as i32 + 1) * (BAT_W + BAT_GAP_X));
    let height = (y + MARGIN).max(chain_y + 40);
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
