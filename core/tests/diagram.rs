//! The wiring diagram as data: every configured thing is drawn, wired from the right terminal, and laid out
//! without overlaps, for the demo system, small and large banks, and random systems.
//!
//! Wire endpoints are terminal ids, except `bus`: the positive bus from the bank, which a device straight on the
//! bank is fed from (documented in `diagram::build`).
#![cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use smallbms_core::bms::BmsOutput;
use smallbms_core::devices::{CableKind, DeviceKind, Draw, IndicatorParams};
use smallbms_core::diagram::{build, Diagram, Part, PartKind, WireKind};
use smallbms_core::document::Document;
use smallbms_core::system::{Control, DeviceConfig, RemoteWiring, SystemConfig};
use smallbms_core::units::Milliamps;
use std::collections::HashSet;

fn doc_with_bank(model: &str, series: u8, parallel: u8) -> Document {
    let mut doc = Document::default();
    doc.bank.model = smallbms_core::catalogue::ModelRef::Builtin(model.into());
    doc.bank.series = series;
    doc.bank.parallel = parallel;
    doc
}

fn terminal_of<'a>(d: &'a Diagram, id: &str) -> Option<&'a Part> {
    d.parts
        .iter()
        .find(|p| p.terminals.iter().any(|t| t.id == id))
}

/// Everything that must hold for any diagram.
/// Whether `(x, y)` lies on one of the wires `ids`.
fn on_line(d: &Diagram, ids: &[&str], (x, y): (i32, i32)) -> bool {
    d.wires
        .iter()
        .filter(|w| ids.contains(&w.id.as_str()))
        .flat_map(|w| w.points.windows(2))
        .any(|s| {
            let (x0, x1) = (s[0].0.min(s[1].0), s[0].0.max(s[1].0));
            let (y0, y1) = (s[0].1.min(s[1].1), s[0].1.max(s[1].1));
            (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
        })
}

fn check_structure(doc: &Document, d: &Diagram) -> Result<(), String> {
    // Unique part ids, unique terminal ids.
    let mut ids = HashSet::new();
    for p in &d.parts {
        if !ids.insert(p.id.clone()) {
            return Err(format!("part id {} twice", p.id));
        }
    }
    let mut terminals = HashSet::new();
    for t in d.parts.iter().flat_map(|p| &p.terminals) {
        if !terminals.insert(t.id.clone()) {
            return Err(format!("terminal id {} twice", t.id));
        }
    }
    // Every terminal sits on its part's outline.
    for p in &d.parts {
        for t in &p.terminals {
            let on_x = (t.x == p.x || t.x == p.x + p.w) && (p.y..=p.y + p.h).contains(&t.y);
            let on_y = (t.y == p.y || t.y == p.y + p.h) && (p.x..=p.x + p.w).contains(&t.x);
            if !(on_x || on_y) {
                return Err(format!(
                    "terminal {} at ({}, {}) is not on {}'s outline",
                    t.id, t.x, t.y, p.id
                ));
            }
        }
    }
    // Every part inside the drawing; no two parts overlap.
    for p in &d.parts {
        if p.x < 0 || p.y < 0 || p.x + p.w > d.width || p.y + p.h > d.height {
            return Err(format!(
                "part {} sticks out of the {}×{} drawing",
                p.id, d.width, d.height
            ));
        }
    }
    for (i, a) in d.parts.iter().enumerate() {
        for b in &d.parts[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            if !apart {
                return Err(format!(
                    "parts {} ({}, {}, {}×{}) and {} ({}, {}, {}×{}) overlap",
                    a.id, a.x, a.y, a.w, a.h, b.id, b.x, b.y, b.w, b.h
                ));
            }
        }
    }
    // Wires: unique ids, real endpoints, drawn from the endpoint to the endpoint, square corners.
    let mut wire_ids = HashSet::new();
    for w in &d.wires {
        if !wire_ids.insert(w.id.clone()) {
            return Err(format!("wire id {} twice", w.id));
        }
        if w.points.len() < 2 {
            return Err(format!("wire {} has fewer than two points", w.id));
        }
        for (end, point) in [
            (&w.from, w.points[0]),
            (&w.to, w.points[w.points.len() - 1]),
        ] {
            if end == "bus" || end == "nbus" {
                continue;
            }
            let t = d
                .terminal(end)
                .ok_or_else(|| format!("wire {} ends at {end}, which is no terminal", w.id))?;
            if (t.x, t.y) != point {
                return Err(format!(
                    "wire {} is drawn from/to {point:?}, but {end} is at ({}, {})",
                    w.id, t.x, t.y
                ));
            }
        }
        for s in w.points.windows(2) {
            if s[0].0 != s[1].0 && s[0].1 != s[1].1 {
                return Err(format!(
                    "wire {} has a slanted segment {:?} → {:?}",
                    w.id, s[0], s[1]
                ));
            }
            // No wire runs across a part, except a control wire through its own interface cable.
            let own_cable =
                w.id.strip_suffix(".control")
                    .and_then(|dev| dev.strip_prefix("dev"))
                    .map(|i| format!("cable{i}"));
            let (x0, x1) = (s[0].0.min(s[1].0), s[0].0.max(s[1].0));
            let (y0, y1) = (s[0].1.min(s[1].1), s[0].1.max(s[1].1));
            for p in &d.parts {
                if own_cable.as_deref() == Some(p.id.as_str()) {
                    continue;
                }
                let across = x0 < p.x + p.w && x1 > p.x && y0 < p.y + p.h && y1 > p.y;
                if across {
                    return Err(format!(
                        "wire {} runs across part {} ({:?} → {:?})",
                        w.id, p.id, s[0], s[1]
                    ));
                }
            }
        }
    }
    // Every wire fed from the bus starts on the bus line.
    let on_bus = |p: (i32, i32)| on_line(d, &["bus", "bus.tail"], p);
    for w in d
        .wires
        .iter()
        .filter(|w| w.from == "bus" && w.id != "bus.tail")
    {
        if !on_bus(w.points[0]) {
            return Err(format!(
                "wire {} starts at {:?}, off the bus line",
                w.id, w.points[0]
            ));
        }
    }
    // The negative return: every wire off the negative bus starts on its line, which the bank's negative reaches.
    let on_nbus = |p: (i32, i32)| on_line(d, &["nbus.line", "negative"], p);
    for w in d
        .wires
        .iter()
        .filter(|w| w.from == "nbus" && w.id != "nbus.line")
    {
        if !on_nbus(w.points[0]) {
            return Err(format!(
                "wire {} starts at {:?}, off the negative bus",
                w.id, w.points[0]
            ));
        }
        if w.kind != WireKind::Negative {
            return Err(format!(
                "wire {} leaves the negative bus but is not negative",
                w.id
            ));
        }
    }
    // Every device with a power circuit has its negative drawn.
    for (i, dev) in doc.system.devices.iter().enumerate() {
        let has = smallbms_core::power::analysis::has_circuit(&dev.kind);
        let drawn = d.wires.iter().any(|w| w.id == format!("dev{i}.negative"));
        if has && !drawn && d.parts.iter().any(|p| p.kind == PartKind::Battery) {
            return Err(format!("device {i} has no negative return drawn"));
        }
    }
    // Every device is a part; every control wire comes from the right BMS terminal; cables are drawn.
    for (i, dev) in doc.system.devices.iter().enumerate() {
        let id = format!("dev{i}");
        let part = d
            .part(&id)
            .ok_or_else(|| format!("device {i} ({}) is not drawn", dev.name))?;
        if part.kind != PartKind::Device(i) || part.label != dev.name {
            return Err(format!("part {id} is {:?} \"{}\"", part.kind, part.label));
        }
        let control = d.wires.iter().find(|w| w.id == format!("{id}.control"));
        match (dev.control, control) {
            (Some(c), Some(w)) => {
                let from = format!("bms.{}", c.output.terminal());
                if w.from != from
                    || w.to != format!("{id}.remote")
                    || w.kind != WireKind::Control(c.output)
                {
                    return Err(format!(
                        "control wire of {id}: {} → {} ({:?}), expected {from}",
                        w.from, w.to, w.kind
                    ));
                }
                if w.device != Some(i) {
                    return Err(format!("control wire of {id} names device {:?}", w.device));
                }
            }
            (Some(_), None) => {
                return Err(format!(
                    "{id} has a control wire in the system but not in the drawing"
                ))
            }
            (None, Some(_)) => {
                return Err(format!(
                    "{id} is drawn with a control wire it does not have"
                ))
            }
            (None, None) => {}
        }
        let cable = d.part(&format!("cable{i}"));
        match (dev.control.and_then(|c| c.cable), cable) {
            (Some(k), Some(p)) => {
                if p.kind != PartKind::Cable || p.label != k.part_number() {
                    return Err(format!("cable{i} is {:?} \"{}\"", p.kind, p.label));
                }
            }
            (Some(_), None) => return Err(format!("the cable of {id} is not drawn")),
            (None, Some(_)) => return Err(format!("{id} is drawn with a cable it does not have")),
            (None, None) => {}
        }
        // Its power comes from the bus or from the OUT terminal of the switch it sits behind.
        let power = d
            .wires
            .iter()
            .find(|w| w.id == format!("{id}.power"))
            .ok_or_else(|| format!("{id} has no power wire"))?;
        let switch = dev.power_path.behind.filter(|&s| {
            s != i
                && doc
                    .system
                    .devices
                    .get(s)
                    .is_some_and(|sw| sw.kind.is_switch())
        });
        let feed = match switch {
            Some(s) => format!("dev{s}.out"),
            None => "bus".into(),
        };
        if power.from != feed || power.to != format!("{id}.plus") {
            return Err(format!(
                "{id} is fed from {} to {}, expected {feed}",
                power.from, power.to
            ));
        }
    }
    // The BMS-cable chain: BMS → every drawn battery (and "+N more") → BMS, each link starting where the last ended.
    let chain: Vec<_> = d
        .wires
        .iter()
        .filter(|w| w.kind == WireKind::BmsCable)
        .collect();
    let drawn: Vec<&Part> = d
        .parts
        .iter()
        .filter(|p| p.kind == PartKind::Battery)
        .collect();
    let more = d.part("more");
    let expected_links = drawn.len() + usize::from(more.is_some()) + 1;
    if chain.len() != expected_links {
        return Err(format!(
            "{} BMS-cable links for {} drawn batteries",
            chain.len(),
            drawn.len()
        ));
    }
    if chain[0].from != "bms.bms_in" || chain[chain.len() - 1].to != "bms.bms_out" {
        return Err("the BMS-cable chain does not start and end at the BMS".into());
    }
    for pair in chain.windows(2) {
        if pair[0].to != pair[1].from {
            return Err(format!(
                "the chain breaks between {} and {}",
                pair[0].id, pair[1].id
            ));
        }
    }
    let visited: HashSet<_> = chain.iter().map(|w| w.to.clone()).collect();
    for b in &drawn {
        if !visited.contains(&format!("{}.bms", b.id)) {
            return Err(format!("battery {} is not on the BMS-cable chain", b.id));
        }
    }
    // Supply through the fuse; the bus from the first battery.
    if !d
        .wires
        .iter()
        .any(|w| w.kind == WireKind::Supply && w.from == "fuse.a" && w.to == "bms.supply")
    {
        return Err("no supply wire through the fuse".into());
    }
    if terminal_of(d, "bat0.plus").is_none() {
        return Err("battery 1 is not drawn".into());
    }
    Ok(())
}

#[test]
fn the_demo_diagram_is_complete() {
    let doc = Document::default();
    let d = build(&doc);
    check_structure(&doc, &d).unwrap();
    // 4 batteries in parallel: 4 drawn, 5 chain links, no "+N more".
    assert_eq!(
        d.parts
            .iter()
            .filter(|p| p.kind == PartKind::Battery)
            .count(),
        4
    );
    assert_eq!(
        d.wires
            .iter()
            .filter(|w| w.kind == WireKind::BmsCable)
            .count(),
        5
    );
    assert!(d.part("more").is_none());
    // The MPPT's VE.Direct cable is drawn, named by its part number.
    let mppt = doc
        .system
        .devices
        .iter()
        .position(|x| x.name.starts_with("Solar MPPT"))
        .expect("demo MPPT");
    assert_eq!(
        d.part(&format!("cable{mppt}")).map(|p| p.label.as_str()),
        Some("ASS030550320")
    );
    // Control wires per terminal: LOAD → BatteryProtect and inverter; CHARGER → shore charger, MPPT, coupler;
    // PRE-ALARM → buzzer.
    let count = |o: BmsOutput| {
        d.wires
            .iter()
            .filter(|w| w.kind == WireKind::Control(o))
            .count()
    };
    assert_eq!(
        (
            count(BmsOutput::Load),
            count(BmsOutput::Charger),
            count(BmsOutput::PreAlarm)
        ),
        (2, 3, 1)
    );
    // The DC loads are fed from the BatteryProtect's OUT, the alternator from the coupler's.
    assert_eq!(
        d.wires
            .iter()
            .find(|w| w.id == "dev1.power")
            .map(|w| w.from.as_str()),
        Some("dev0.out")
    );
    assert_eq!(
        d.wires
            .iter()
            .find(|w| w.id == "dev6.power")
            .map(|w| w.from.as_str()),
        Some("dev5.out")
    );
    assert!(d.part("remote_switch").is_some());
}

#[test]
fn small_banks_draw_every_battery_on_the_chain() {
    for (model, max_series) in [("ng-12v8-200", 4u8), ("ng-25v6-200", 2), ("ng-51v2-100", 1)] {
        for series in 1..=max_series {
            for parallel in 1..=6u8 {
                let doc = doc_with_bank(model, series, parallel);
                let d = build(&doc);
                check_structure(&doc, &d)
                    .unwrap_or_else(|e| panic!("{model} {series}s{parallel}p: {e}"));
                let n = usize::from(series) * usize::from(parallel);
                let chain = d
                    .wires
                    .iter()
                    .filter(|w| w.kind == WireKind::BmsCable)
                    .count();
                assert_eq!(chain, n + 1, "{model} {series}s{parallel}p");
                assert!(d.part("more").is_none());
                for b in 0..n {
                    assert!(
                        d.part(&format!("bat{b}")).is_some(),
                        "{model} {series}s{parallel}p: bat{b}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_bank_of_fifty_shows_the_rest_as_more() {
    for (model, series, parallel, hidden) in [
        ("ng-25v6-300", 2u8, 25u8, 38usize), // 6 strings × 2 drawn
        ("ng-12v8-300", 1, 50, 44),          // 6 drawn
        ("ng-12v8-300", 2, 25, 38),
        ("ng-51v2-100", 1, 25, 19),
    ] {
        let doc = doc_with_bank(model, series, parallel);
        let d = build(&doc);
        check_structure(&doc, &d).unwrap_or_else(|e| panic!("{model} {series}s{parallel}p: {e}"));
        let more = d.part("more").expect("a \"+N more\" part");
        assert_eq!(more.kind, PartKind::MoreBatteries);
        assert_eq!(more.label, format!("+{hidden} more"));
        let drawn = d
            .parts
            .iter()
            .filter(|p| p.kind == PartKind::Battery)
            .count();
        assert_eq!(drawn + hidden, usize::from(series) * usize::from(parallel));
        assert_eq!(
            d.wires
                .iter()
                .filter(|w| w.kind == WireKind::BmsCable)
                .count(),
            drawn + 2
        );
    }
}

#[test]
fn many_devices_and_cables_do_not_collide() {
    let mut doc = doc_with_bank("ng-12v8-300", 1, 50);
    let extra: Vec<DeviceConfig> = (0..14)
        .map(|k| {
            let (output, cable) = match k % 4 {
                0 => (BmsOutput::Load, Some(CableKind::NonInverting)),
                1 => (BmsOutput::Charger, Some(CableKind::Inverting)),
                2 => (BmsOutput::PreAlarm, None),
                _ => (BmsOutput::Load, Some(CableKind::VeDirectNonInverting)),
            };
            let kind = if k % 4 == 2 {
                DeviceKind::Led(IndicatorParams {
                    current: Milliamps(10),
                    inductive: false,
                })
            } else {
                DeviceKind::DcLoad {
                    draw: Draw::Current {
                        current: Milliamps(1000),
                    },
                }
            };
            DeviceConfig::new(&format!("extra {k}"), kind).controlled_by(Control { output, cable })
        })
        .collect();
    doc.system.devices.extend(extra);
    let d = build(&doc);
    check_structure(&doc, &d).unwrap();
}

#[test]
fn a_device_behind_something_that_is_not_a_switch_is_fed_from_the_bus() {
    let mut doc = Document::default();
    // Behind the inverter (not a switch), behind itself, behind a device that does not exist.
    doc.system.devices[3].power_path.behind = Some(2);
    doc.system.devices[4].power_path.behind = Some(4);
    doc.system.devices[7].power_path.behind = Some(99);
    let d = build(&doc);
    check_structure(&doc, &d).unwrap();
}

#[test]
fn every_remote_wiring_is_drawn_from_the_remote_terminals() {
    for remote in [
        RemoteWiring::Bridged,
        RemoteWiring::SwitchLToH,
        RemoteWiring::SwitchHToPlus,
        RemoteWiring::SwitchLToMinus,
        RemoteWiring::Open,
    ] {
        let mut doc = Document::default();
        doc.system.remote = remote;
        let d = build(&doc);
        check_structure(&doc, &d).unwrap_or_else(|e| panic!("{remote:?}: {e}"));
        let remote_wires: Vec<_> = d
            .wires
            .iter()
            .filter(|w| w.kind == WireKind::Remote)
            .collect();
        assert_eq!(
            remote_wires.is_empty(),
            remote == RemoteWiring::Open,
            "{remote:?}"
        );
        for w in &remote_wires {
            assert!(w.from.starts_with("bms.remote_"), "{remote:?}: {}", w.from);
        }
        // Which BMS terminals are wired, and whether a switch is drawn, follow the wiring.
        let mut wired: Vec<&str> = remote_wires.iter().map(|w| w.from.as_str()).collect();
        wired.sort_unstable();
        let (expected, switch): (&[&str], Option<&str>) = match remote {
            RemoteWiring::Bridged => (&["bms.remote_h"], None),
            RemoteWiring::SwitchLToH => (&["bms.remote_h", "bms.remote_l"], Some("L–H")),
            RemoteWiring::SwitchHToPlus => (&["bms.remote_h"], Some("H → +")),
            RemoteWiring::SwitchLToMinus => (&["bms.remote_l"], Some("L → −")),
            RemoteWiring::Open => (&[], None),
        };
        assert_eq!(wired, expected, "{remote:?}");
        assert_eq!(
            d.part("remote_switch").map(|p| p.sublabel.as_str()),
            switch,
            "{remote:?}"
        );
        if remote == RemoteWiring::Bridged {
            assert_eq!(
                remote_wires[0].to, "bms.remote_l",
                "the bridge joins H to L"
            );
        }
    }
}

#[test]
fn the_same_system_gives_the_same_diagram() {
    let doc = doc_with_bank("ng-25v6-300", 2, 25);
    assert_eq!(build(&doc), build(&doc));
}

fn random_device(n: usize) -> impl Strategy<Value = DeviceConfig> {
    let names: Vec<DeviceConfig> = SystemConfig::default().devices;
    (
        prop::sample::select(names),
        prop::option::of((0usize..3, prop::option::of(0usize..3))),
        prop::option::of(0usize..n + 2),
    )
        .prop_map(|(mut d, control, behind)| {
            d.control = control.map(|(o, c)| Control {
                output: BmsOutput::ALL[o],
                cable: c.map(|c| CableKind::ALL[c]),
            });
            d.power_path.behind = behind;
            d
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Random banks (up to 255 × 255) and device lists (any controls, cables, switches, even nonsense): the
    /// structure holds.
    #[test]
    fn any_system_gives_a_sound_diagram(
        series in prop_oneof![1u8..=4, any::<u8>()],
        parallel in prop_oneof![1u8..=50, any::<u8>()],
        devices in prop::collection::vec(random_device(12), 0..12),
        remote in prop::sample::select(vec![
            RemoteWiring::Bridged, RemoteWiring::SwitchLToH, RemoteWiring::SwitchHToPlus,
            RemoteWiring::SwitchLToMinus, RemoteWiring::Open,
        ]),
    ) {
        let mut doc = doc_with_bank("ng-12v8-200", series, parallel);
        doc.system.devices = devices;
        doc.system.remote = remote;
        let d = build(&doc);
        if let Err(e) = check_structure(&doc, &d) {
            prop_assert!(false, "{}", e);
        }
    }
}

#[test]
fn power_cables_are_labelled_and_the_negative_side_and_links_are_drawn() {
    let doc = Document::default();
    let d = build(&doc);
    let bus = d.wires.iter().find(|w| w.id == "bus").unwrap();
    let main = doc.system.power.main;
    let tag = bus.cable.as_ref().expect("the main cable is labelled");
    assert!(
        tag.text.starts_with(&format!(
            "{} · {}",
            main.cable.unwrap().cross_section_mm2,
            main.cable.unwrap().length_m
        )),
        "{}",
        tag.text
    );
    assert!(
        tag.text
            .contains(&format!("Class T {} A", main.fuse.unwrap().rating_a)),
        "{}",
        tag.text
    );
    let r = smallbms_core::power::analysis::analyse(&doc.bank, &doc.system);
    let expect = r
        .cable(smallbms_core::power::CableId::Main)
        .unwrap()
        .resistance_mohm
        .unwrap()
        * 1000.0;
    assert!((tag.uohm as f64 - expect).abs() <= 1.0);
    let inverter = d.wires.iter().find(|w| w.id == "dev2.power").unwrap();
    assert!(inverter.cable.as_ref().unwrap().text.contains("mm²"));
    // Four strings: three plus links and three minus links; every device with a power circuit has a negative.
    assert_eq!(
        d.wires.iter().filter(|w| w.id.starts_with("link")).count(),
        6
    );
    assert!(d
        .wires
        .iter()
        .any(|w| w.id == "negative" && w.kind == WireKind::Negative));
    assert!(d.wires.iter().any(|w| w.id == "dev2.negative"));
    assert!(
        !d.wires.iter().any(|w| w.id == "dev7.negative"),
        "the buzzer is fed from PRE-ALARM"
    );
    check_structure(&doc, &d).unwrap();
    // Nothing entered: no labels.
    let mut bare = doc.clone();
    bare.system.power = Default::default();
    bare.system
        .devices
        .iter_mut()
        .for_each(|x| x.circuit = Default::default());
    assert!(build(&bare)
        .wires
        .iter()
        .all(|w| w.cable.is_none() || w.id.starts_with("link")));
}
