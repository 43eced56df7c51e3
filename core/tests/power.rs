//! The power side: cables, fuses, drops, ratings and sizing, against figures worked out by hand here.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use common::*;
use proptest::prelude::*;
use smallbms_core::battery::BankConfig;
use smallbms_core::bms::BmsOutput;
use smallbms_core::catalogue::ModelRef;
use smallbms_core::devices::*;
use smallbms_core::document::Document;
use smallbms_core::finding::Severity;
use smallbms_core::lang::Lang;
use smallbms_core::power::analysis::{analyse, string_shares};
use smallbms_core::power::rules::cable_findings;
use smallbms_core::power::suggest::{apply, size_everything};
use smallbms_core::power::*;
use smallbms_core::system::*;
use smallbms_core::units::Milliamps;

fn bank(model: &str, series: u8, parallel: u8) -> BankConfig {
    BankConfig {
        model: ModelRef::Builtin(model.into()),
        series,
        parallel,
        ..BankConfig::default()
    }
}

fn inverter(watts: u32) -> DeviceConfig {
    DeviceConfig::new(
        "Inverter",
        remote_kind(
            RemoteDeviceType::Inverter,
            RemoteLogic::ActiveHigh,
            PowerRole::Load {
                draw: Draw::Power { watts },
            },
        ),
    )
    .controlled_by(Control::direct(BmsOutput::Load))
}

fn only(device: DeviceConfig) -> SystemConfig {
    SystemConfig {
        devices: vec![device],
        ..SystemConfig::default()
    }
}

fn cable(mm2: u32, dm: u32) -> Cable {
    Cable::new(CrossSection::mm2(mm2, 0), Length::dm(dm))
}

fn ids(findings: &[smallbms_core::finding::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.id).collect()
}

/// Resistance of a circuit worked out here, independently of the crate: ρ20 = 1/58 Ω·mm²/m, +0.393 %/K to
/// 30 °C, both conductors, four 0.06 mΩ connections, a fuse of 0.35 mΩ × 150 A / rating.
fn by_hand_ohms(mm2: f64, one_way_m: f64, fuse_a: Option<f64>) -> f64 {
    let rho = (1.0 / 58.0) * (1.0 + 0.00393 * 10.0);
    rho * 2.0 * one_way_m / mm2 + 4.0 * 0.06e-3 + fuse_a.map_or(0.0, |a| 0.35e-3 * 150.0 / a)
}

#[test]
fn a_2400_w_inverter_on_3_m_of_25_mm2_is_flagged_and_the_suggestion_clears_it() {
    let b = bank("ng-12v8-200", 1, 1);
    let mut sys = only(inverter(2400));
    sys.devices[0].circuit = Circuit {
        cable: Some(cable(25, 30)),
        fuse: Some(Fuse::new(FuseKind::Mega, 250)),
        current_a: None,
    };
    let report = analyse(&b, &sys);
    let c = report.cable(CableId::Device(0)).unwrap();
    // 2400 W at 12.8 V.
    assert!((c.current_a - 187.5).abs() < 1e-9);
    let expect_drop = 187.5 * by_hand_ohms(25.0, 3.0, Some(250.0));
    assert!((c.drop_v.unwrap() - expect_drop).abs() < 1e-9, "{c:?}");
    assert!(expect_drop > 0.8 && expect_drop < 0.95, "{expect_drop}"); // ≈ 0.89 V, 7 % of 12.8 V

    let findings = check_in(&b, &sys, Lang::En);
    let drop = findings
        .iter()
        .find(|f| f.id == "power.voltage_drop_excessive")
        .expect("drop above 5 % is an error");
    assert_eq!(drop.severity, Severity::Error);
    assert_eq!(
        drop.subject,
        smallbms_core::finding::Subject::Device { index: 0 }
    );
    assert!(
        drop.message.contains(&format!("{expect_drop:.2} V")),
        "{}",
        drop.message
    );
    assert!(drop.fix.contains("95 mm²"), "{}", drop.fix);
    // The same finding in French.
    let fr = check_in(&b, &sys, Lang::Fr);
    assert_eq!(ids(&fr), ids(&findings));
    let drop_fr = fr
        .iter()
        .find(|f| f.id == "power.voltage_drop_excessive")
        .unwrap();
    assert!(drop_fr.message.contains("chute de"), "{}", drop_fr.message);

    let s = suggest::suggest(&b, &sys, CableId::Device(0)).unwrap();
    assert_eq!(s.cable.cross_section_mm2, CrossSection::mm2(95, 0));
    assert_eq!(
        s.cable.length_m,
        Length::dm(30),
        "the entered length is kept"
    );
    apply(&mut sys, &s);
    let after = check_in(&b, &sys, Lang::En);
    assert!(
        !after
            .iter()
            .any(|f| f.subject == drop.subject && f.severity >= Severity::Warning),
        "{after:#?}"
    );
    let c = analyse(&b, &sys)
        .cable(CableId::Device(0))
        .cloned()
        .unwrap();
    assert!(c.path_drop_percent <= 2.5, "{c:?}");
}

#[test]
fn path_drop_adds_the_main_cable_and_switches_upstream() {
    let b = bank("ng-12v8-200", 1, 1);
    let mut sys = SystemConfig::default();
    sys.power.main = Circuit {
        cable: Some(cable(50, 15)),
        fuse: Some(Fuse::new(FuseKind::ClassT, 300)),
        current_a: None,
    };
    // DC loads (8 A) behind the Load BatteryProtect (device 0).
    sys.devices[0].circuit.cable = Some(cable(10, 10));
    sys.devices[1].circuit.cable = Some(cable(4, 40));
    let r = analyse(&b, &sys);
    let main = r.cable(CableId::Main).unwrap();
    let bp = r.cable(CableId::Device(0)).unwrap();
    let loads = r.cable(CableId::Device(1)).unwrap();
    // The DC loads' circuit is designed for 30 A (the demo's `current_a`), the inverter's for 100 A.
    assert_eq!(bp.current_a, 30.0, "a switch carries what is behind it");
    assert_eq!(loads.upstream, vec![0]);
    // Loads see the main cable at what the loads draw together (30 A + 100 A), not at the chargers' current.
    assert!((r.discharge_a - 130.0).abs() < 1e-9, "{}", r.discharge_a);
    let main_for_loads = main.resistance_mohm.unwrap() / 1000.0 * r.discharge_a;
    let expect = main_for_loads + bp.drop_v.unwrap() + loads.drop_v.unwrap();
    assert!(
        (loads.path_drop_v - expect).abs() < 1e-12,
        "{} vs {expect}",
        loads.path_drop_v
    );
    assert!(loads.path_complete);
    // Main cable: the larger of what every load draws together (130 A) and the chargers push (30 + 30 + 50 A).
    assert!((main.current_a - 130.0).abs() < 1e-9, "{}", main.current_a);
}

#[test]
fn files_saved_before_the_power_side_open_with_nothing_entered() {
    let mut v = serde_json::to_value(Document::default()).unwrap();
    let sys = v["system"].as_object_mut().unwrap();
    sys.remove("power");
    for d in sys["devices"].as_array_mut().unwrap() {
        d.as_object_mut().unwrap().remove("circuit");
    }
    let doc = Document::from_json(&v.to_string()).unwrap();
    assert_eq!(doc.system.power, PowerWiring::default());
    assert!(doc
        .system
        .devices
        .iter()
        .all(|d| d.circuit == Circuit::default()));
    let f = check(&doc.bank, &doc.system);
    assert_eq!(ids(&f), ["power.not_entered"], "{f:#?}");
    assert_eq!(f[0].severity, Severity::Info);
}

#[test]
fn size_everything_on_the_demo_passes_every_power_rule() {
    let doc = Document::default();
    let mut sys = SystemConfig::default();
    let done = size_everything(&doc.bank, &mut sys);
    assert!(
        !done.is_empty() && done.iter().all(|s| s.result.is_ok()),
        "{done:#?}"
    );
    // The app's demo document is this very sizing, and passes every rule of every kind.
    assert_eq!(doc.system, sys);
    let all = smallbms_core::check::findings_in(&doc, Lang::En);
    assert!(all.is_empty(), "{all:#?}");
    assert!(sys.power.main.cable.is_some() && sys.power.main.fuse.is_some());
    assert!(
        sys.power.string_fuse.is_some(),
        "a parallel bank gets a fuse per string"
    );
    let f = check(&doc.bank, &sys);
    let bad: Vec<_> = f
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    // Sizing again changes nothing.
    let again = sys.clone();
    assert!(size_everything(&doc.bank, &mut sys).is_empty());
    assert_eq!(sys, again);
}

#[test]
fn string_imbalance_same_end_versus_diagonal() {
    // Two batteries: diagonal wiring is exactly balanced, same-end is not.
    let b = bank("ng-12v8-200", 1, 2);
    let mut sys = SystemConfig::default();
    size_everything(&b, &mut sys);
    sys.power.interconnect = Some(cable(35, 10));
    sys.power.layout = ParallelLayout::SameEnd;
    let f = check(&b, &sys);
    assert!(ids(&f).contains(&"power.parallel_imbalance"), "{f:#?}");
    sys.power.layout = ParallelLayout::Diagonal;
    let r = analyse(&b, &sys);
    assert!(r.imbalance_percent.unwrap() < 1e-9, "{r:?}");
    assert!(!ids(&check(&b, &sys)).contains(&"power.parallel_imbalance"));
    // Four batteries: diagonal is better than same-end but not perfect (the end batteries work more); a busbar
    // with equal leads is even.
    let b4 = bank("ng-12v8-200", 1, 4);
    sys.power.layout = ParallelLayout::SameEnd;
    let same = analyse(&b4, &sys).imbalance_percent.unwrap();
    sys.power.layout = ParallelLayout::Diagonal;
    let diag = analyse(&b4, &sys).imbalance_percent.unwrap();
    assert!(diag > 0.0 && diag < same / 2.0, "{diag} vs {same}");
    sys.power.layout = ParallelLayout::Busbar;
    let r = analyse(&b4, &sys);
    assert_eq!(r.imbalance_percent, Some(0.0));
    // Shares always add up to the total.
    let s = string_shares(4, 1e-3, 3e-4, ParallelLayout::SameEnd, 100.0);
    assert!((s.iter().sum::<f64>() - 100.0).abs() < 1e-9);
}

#[test]
fn fuse_voltage_and_breaking_capacity() {
    // 48 V bank (51.2 V, charge 56.8 V): a 32 V MEGA cannot break the arc; the suggestion gives a 58 V one.
    let b = bank("ng-51v2-100", 1, 1);
    let mut sys = only(inverter(3000));
    sys.devices[0].circuit = Circuit {
        cable: Some(cable(25, 20)),
        fuse: Some(Fuse::new(FuseKind::Mega, 100)),
        current_a: None,
    };
    let f = check(&b, &sys);
    assert!(ids(&f).contains(&"power.fuse_voltage"), "{f:#?}");
    sys.devices[0].circuit.fuse = None;
    let s = suggest::suggest(&b, &sys, CableId::Device(0)).unwrap();
    let fuse = s.fuse.unwrap();
    assert!(fuse.voltage_rating() >= 57, "{fuse:?}");

    // 4 × 12.8 V 200 Ah at 1 mΩ each: 14.2 V / 0.25 mΩ = 56.8 kA prospective: a MEGA (2 kA) main fuse is not
    // enough, nor a Class T (20 kA) alone; Class T in each string (14.2 kA each) is.
    let b = bank("ng-12v8-200", 1, 4);
    let mut sys = SystemConfig::default();
    size_everything(&b, &mut sys);
    let r = analyse(&b, &sys);
    assert!((r.short_circuit_a.unwrap() - 56_800.0).abs() < 1.0);
    sys.power.main.fuse = Some(Fuse::new(FuseKind::Mega, 300));
    sys.power.string_fuse = None;
    assert!(ids(&check(&b, &sys)).contains(&"power.fuse_breaking"));
    sys.power.main.fuse = Some(Fuse::new(FuseKind::ClassT, 300));
    assert!(ids(&check(&b, &sys)).contains(&"power.fuse_breaking"));
    sys.power.string_fuse = Some(Fuse::new(FuseKind::ClassT, 110));
    assert!(!ids(&check(&b, &sys)).contains(&"power.fuse_breaking"));
}

#[test]
fn bank_ratings_and_inverter_size() {
    // One 12.8 V 100 Ah: 100 A continuous, 200 A for 10 s. A 2000 W inverter draws 156 A.
    let b = bank("ng-12v8-100", 1, 1);
    let sys = only(inverter(2000));
    let f = check(&b, &sys);
    let over = f
        .iter()
        .find(|f| f.id == "bank.discharge_over_rating")
        .expect("over 1C");
    assert!(
        over.message.contains("156 A") && over.message.contains("100 A"),
        "{}",
        over.message
    );
    assert!(!ids(&check(&bank("ng-12v8-200", 1, 1), &sys)).contains(&"bank.discharge_over_rating"));
    // 3500 W on 12 V is above Wiring Unlimited's 3000 VA; fine on 24 V.
    let big = only(inverter(3500));
    assert!(ids(&check(&bank("ng-12v8-300", 1, 2), &big)).contains(&"power.inverter_size"));
    assert!(!ids(&check(&bank("ng-12v8-200", 2, 1), &big)).contains(&"power.inverter_size"));
    // Chargers above the charge rating.
    let mut chargers = SystemConfig::default();
    chargers.devices[3].circuit.current_a = Some(250);
    assert!(ids(&check(&bank("ng-12v8-200", 1, 1), &chargers)).contains(&"bank.charge_over_rating"));
}

#[test]
fn ampacity_against_the_fuse_and_fuse_against_the_current() {
    let b = bank("ng-12v8-200", 1, 1);
    let mut sys = only(DeviceConfig::new(
        "Pump",
        DeviceKind::DcLoad {
            draw: Draw::Current {
                current: Milliamps(20_000),
            },
        },
    ));
    sys.devices[0].circuit = Circuit {
        cable: Some(cable(6, 10)),
        fuse: Some(Fuse::new(FuseKind::Midi, 60)),
        current_a: None,
    };
    // 6 mm² carries 30 A (table): a 60 A fuse does not protect it.
    assert!(ids(&check(&b, &sys)).contains(&"power.cable_ampacity"));
    sys.devices[0].circuit.fuse = Some(Fuse::new(FuseKind::Blade, 20));
    let f = check(&b, &sys);
    assert!(
        ids(&f).contains(&"power.fuse_too_small"),
        "20 A < 1.25 × 20 A: {f:#?}"
    );
    assert!(!ids(&f).contains(&"power.cable_ampacity"));
    sys.devices[0].circuit.fuse = Some(Fuse::new(FuseKind::Blade, 25));
    assert!(check(&b, &sys)
        .iter()
        .all(|f| f.severity < Severity::Warning));
    sys.devices[0].circuit.fuse = None;
    assert!(ids(&check(&b, &sys)).contains(&"power.fuse_missing"));
}

#[test]
fn saved_power_wiring_round_trips_with_its_key_names() {
    let mut doc = Document::default();
    size_everything(&doc.bank, &mut doc.system);
    let text = doc.to_json();
    assert!(
        text.contains("\"cross_section_mm2\"")
            && text.contains("\"length_m\"")
            && text.contains("\"rating_a\"")
    );
    assert_eq!(Document::from_json(&text).unwrap(), doc);
    // Nonsense values are refused in words, not panics.
    let bad = text.replacen("\"length_m\":", "\"length_m\":-", 1);
    let err = Document::from_json(&bad).unwrap_err().to_string();
    assert!(err.contains("length_m"), "{err}");
}

fn arb_cable() -> impl Strategy<Value = Option<Cable>> {
    prop::option::of(
        (0usize..STANDARD_SIZES.len(), 1u32..200)
            .prop_map(|(i, dm)| Cable::new(STANDARD_SIZES[i], Length::dm(dm))),
    )
}

fn arb_fuse() -> impl Strategy<Value = Option<Fuse>> {
    prop::option::of(
        (0usize..FuseKind::ALL.len(), 0u32..600).prop_map(|(k, a)| Fuse::new(FuseKind::ALL[k], a)),
    )
}

fn arb_circuit() -> impl Strategy<Value = Circuit> {
    (arb_cable(), arb_fuse(), prop::option::of(0u32..2000)).prop_map(|(cable, fuse, current_a)| {
        Circuit {
            cable,
            fuse,
            current_a,
        }
    })
}

fn arb_system() -> impl Strategy<Value = (BankConfig, SystemConfig)> {
    let models = [
        "ng-12v8-100",
        "ng-12v8-200",
        "ng-12v8-300",
        "ng-25v6-200",
        "ng-51v2-100",
        "nope",
    ];
    (
        0usize..models.len(),
        0u8..5,
        0u8..8,
        prop::collection::vec(arb_circuit(), 8),
        arb_circuit(),
        arb_cable(),
        arb_fuse(),
        0usize..3,
        any::<bool>(),
        0u32..5000,
    )
        .prop_map(
            move |(m, s, p, circuits, main, ic, sf, layout, shunt, watts)| {
                let mut sys = SystemConfig::default();
                sys.devices.push(inverter(watts));
                for (d, c) in sys.devices.iter_mut().zip(circuits) {
                    d.circuit = c;
                }
                sys.power.main = main;
                sys.power.interconnect = ic;
                sys.power.string_fuse = sf;
                sys.power.layout = [
                    ParallelLayout::Busbar,
                    ParallelLayout::Diagonal,
                    ParallelLayout::SameEnd,
                ][layout];
                sys.power.shunt = shunt;
                (bank(models[m], s, p), sys)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// No configuration panics the analysis or the rules, in either language, and every figure is finite.
    #[test]
    fn rules_never_panic((b, sys) in arb_system()) {
        let r = analyse(&b, &sys);
        for c in &r.cables {
            prop_assert!(c.current_a.is_finite() && c.path_drop_v.is_finite());
            if let Some(d) = c.drop_v { prop_assert!(d.is_finite() && d >= 0.0); }
        }
        let en = check_in(&b, &sys, Lang::En);
        let fr = check_in(&b, &sys, Lang::Fr);
        prop_assert_eq!(ids(&en), ids(&fr));
    }

    /// Every suggestion passes the rules of its own cable, and a cable's drop is its current × its resistance.
    #[test]
    fn every_suggestion_passes_its_own_rules((b, sys) in arb_system()) {
        let r = analyse(&b, &sys);
        for c in &r.cables {
            if let (Some(rm), Some(d)) = (c.resistance_mohm, c.drop_v) {
                prop_assert!((rm / 1000.0 * c.current_a - d).abs() <= 1e-9 * d.max(1.0));
            }
            let Ok(s) = suggest::suggest_in_report(&r, &sys, c.id) else { continue };
            let mut fixed = sys.clone();
            apply(&mut fixed, &s);
            let r2 = analyse(&b, &fixed);
            let left: Vec<_> = cable_findings(&r2, &fixed, c.id, Lang::En)
                .into_iter()
                .filter(|f| f.severity >= Severity::Warning)
                .collect();
            prop_assert!(left.is_empty(), "{:?} after {:?}: {:#?}", c.id, s, left);
        }
    }

    /// A cable's reported drop equals current × its resistance, computed here from the cable alone.
    #[test]
    fn drop_is_current_times_resistance(i in 0usize..STANDARD_SIZES.len(), dm in 1u32..300, amps in 1u32..400, fuse in prop::option::of(1u32..500)) {
        let b = bank("ng-12v8-300", 1, 2);
        let mut sys = only(DeviceConfig::new("Load", DeviceKind::DcLoad { draw: Draw::Current { current: Milliamps(1000) } }));
        sys.devices[0].circuit = Circuit {
            cable: Some(Cable::new(STANDARD_SIZES[i], Length::dm(dm))),
            fuse: fuse.map(|a| Fuse::new(FuseKind::Anl, a)),
            current_a: Some(amps),
        };
        let c = analyse(&b, &sys).cable(CableId::Device(0)).cloned().unwrap();
        let expect = f64::from(amps) * by_hand_ohms(STANDARD_SIZES[i].si(), f64::from(dm) / 10.0, fuse.map(f64::from));
        prop_assert!((c.drop_v.unwrap() - expect).abs() <= 1e-9 * expect.max(1.0), "{} vs {}", c.drop_v.unwrap(), expect);
    }
}

mod command_line {
    use super::*;
    use smallbms_core::check::cli::run;

    fn write(name: &str, text: &str) -> String {
        let path =
            std::env::temp_dir().join(format!("smallbms-power-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn check_prints_findings_and_cables_with_the_saved_key_names() {
        let mut doc = Document::default();
        doc.bank.parallel = 1;
        doc.system = only(inverter(2400));
        doc.system.devices[0].circuit = Circuit {
            cable: Some(cable(25, 30)),
            fuse: Some(Fuse::new(FuseKind::Mega, 250)),
            current_a: None,
        };
        let path = write("inverter.json", &doc.to_json_pretty());
        let out = run(&[String::from("--system"), path]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let f = v["findings"].as_array().unwrap();
        let drop = f
            .iter()
            .find(|f| f["id"] == "power.voltage_drop_excessive")
            .unwrap();
        assert_eq!(drop["severity"], "error");
        assert_eq!(drop["subject"]["kind"], "device");
        assert!(
            drop["message"].as_str().unwrap().contains(" V at 188 A"),
            "{drop}"
        );
        assert!(v["errors"].as_u64().unwrap() >= 1);
        let cables = v["cables"].as_array().unwrap();
        let c = cables.iter().find(|c| c["id"]["device"] == 0).unwrap();
        assert_eq!(c["cross_section_mm2"], 25.0);
        assert_eq!(c["length_m"], 3.0);
        assert_eq!(c["current_a"], 187.5);
        assert_eq!(c["fuse_a"], 250);
        assert_eq!(c["to"], "Inverter");
        let expect = 187.5 * by_hand_ohms(25.0, 3.0, Some(250.0));
        assert!((c["drop_v"].as_f64().unwrap() - expect).abs() < 1e-9);
        assert!((c["drop_percent"].as_f64().unwrap() - expect / 12.8 * 100.0).abs() < 1e-9);
        // Not entered: null, never a guess.
        let main = cables.iter().find(|c| c["id"] == "main").unwrap();
        assert!(
            main["cross_section_mm2"].is_null() && main["drop_v"].is_null(),
            "{main}"
        );
    }

    #[test]
    fn check_in_french_and_bad_files() {
        let path = write("demo.json", &Document::default().to_json());
        let out = run(&[
            String::from("--system"),
            path,
            String::from("--lang"),
            String::from("fr"),
        ])
        .unwrap();
        assert!(out.contains("câble"), "{out}");
        let bad = write("bad.json", "{\"version\": 1, \"bank\": 3}");
        let err = run(&[String::from("--system"), bad]).unwrap_err();
        assert!(err.contains("field"), "{err}");
        assert!(run(&[
            String::from("--system"),
            String::from("/nonexistent/x.json")
        ])
        .unwrap_err()
        .contains("cannot read"));
        assert!(run(&[]).unwrap_err().contains("--system is required"));
        // The built binary exits non-zero on a bad file.
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_smallbms"))
            .args(["check", "--system", "/nonexistent/x.json"])
            .output()
            .unwrap();
        assert!(!status.status.success());
        assert!(String::from_utf8_lossy(&status.stderr).contains("cannot read"));
    }
}

#[test]
fn parts_list_and_commissioning_sheet_carry_the_cables_and_fuses() {
    use smallbms_core::system::presets::{commissioning_in, parts_list_in};
    let doc = Document::default();
    let parts = parts_list_in(&doc, Lang::En);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    let main = parts
        .iter()
        .find(|p| p.name.starts_with("Cable pair") && p.name.ends_with("bank → main cable end"));
    assert!(main.is_some(), "{names:#?}");
    let m = doc.system.power.main.cable.unwrap();
    assert!(
        main.unwrap()
            .name
            .contains(&format!("{}", m.cross_section_mm2))
            && main.unwrap().name.contains("red (+)")
    );
    // One Class T per string (4) plus the main one.
    let class_t: u32 = parts
        .iter()
        .filter(|p| p.name.starts_with("Class T fuse"))
        .map(|p| p.quantity)
        .sum();
    assert_eq!(class_t, 5, "{names:#?}");
    let interconnects = parts
        .iter()
        .find(|p| p.name.starts_with("Battery interconnect"))
        .unwrap();
    assert_eq!(interconnects.quantity, 6);
    let fr = parts_list_in(&doc, Lang::Fr);
    assert!(fr.iter().any(|p| p.name.starts_with("Paire de câbles")));
    let sheet = commissioning_in(&doc, Lang::En);
    assert!(
        sheet
            .checks
            .iter()
            .any(|c| c.contains("measure the voltage at")),
        "{:#?}",
        sheet.checks
    );
    // Nothing entered: no power lines at all.
    let mut bare = doc.clone();
    bare.system.power = PowerWiring::default();
    bare.system
        .devices
        .iter_mut()
        .for_each(|d| d.circuit = Circuit::default());
    assert!(!parts_list_in(&bare, Lang::En)
        .iter()
        .any(|p| p.name.contains("fuse ") || p.name.starts_with("Cable pair")));
}

mod engine {
    use super::*;
    use smallbms_core::engine::Simulation;
    use smallbms_core::units::SimTime;

    fn one_load(amps: i32, circuit: Circuit) -> Document {
        let mut doc = Document {
            bank: bank("ng-12v8-200", 1, 1),
            system: only(DeviceConfig::new(
                "Heater",
                DeviceKind::DcLoad {
                    draw: Draw::Current {
                        current: Milliamps(amps * 1000),
                    },
                },
            )),
            ..Document::default()
        };
        doc.bank.initial_soc = smallbms_core::units::Permille(800);
        doc.system.devices[0].circuit = circuit;
        doc
    }

    #[test]
    fn a_device_sees_the_bank_voltage_minus_its_cables_and_the_loss_is_counted() {
        let circuit = Circuit {
            cable: Some(cable(6, 50)),
            fuse: Some(Fuse::new(FuseKind::Midi, 60)),
            current_a: None,
        };
        let doc = one_load(40, circuit);
        let mut sim = Simulation::new(&doc, None).unwrap();
        sim.run_until(SimTime(3_600_000));
        let bank_v = sim.bank_state().voltage.0;
        let seen = sim.devices().terminal_voltage(0).unwrap().0;
        let r = by_hand_ohms(6.0, 5.0, Some(60.0));
        let expect_drop_mv = 40.0 * r * 1000.0;
        assert!(expect_drop_mv > 500.0, "{expect_drop_mv}"); // ≈ 0.66 V
        let drop = f64::from(bank_v - seen);
        assert!(
            (drop - expect_drop_mv).abs() <= 15.0,
            "drop {drop} mV, by hand {expect_drop_mv} mV"
        );
        // I²R over the hour: 40² × R × 1 h.
        let expect_wh = 40.0 * 40.0 * r;
        assert!(
            (sim.wiring_loss_wh() - expect_wh).abs() / expect_wh < 0.01,
            "{} vs {expect_wh}",
            sim.wiring_loss_wh()
        );
        // Nothing entered: the device sees the bank, nothing is lost.
        let mut bare = Simulation::new(&one_load(40, Circuit::default()), None).unwrap();
        bare.run_until(SimTime(3_600_000));
        assert_eq!(
            bare.devices().terminal_voltage(0),
            Some(bare.bank_state().voltage)
        );
        assert_eq!(bare.wiring_loss_wh(), 0.0);
    }

    #[test]
    fn a_constant_power_load_draws_more_behind_a_thin_cable() {
        let mut doc = Document {
            bank: bank("ng-12v8-200", 1, 1),
            system: only(inverter(1500)),
            ..Document::default()
        };
        let thick = Simulation::new(&doc, None).map(|mut s| {
            s.run_until(SimTime(60_000));
            s.bank_state().current.0
        });
        doc.system.devices[0].circuit.cable = Some(cable(16, 40));
        let thin = Simulation::new(&doc, None).map(|mut s| {
            s.run_until(SimTime(60_000));
            s.bank_state().current.0
        });
        let (thick, thin) = (thick.unwrap(), thin.unwrap());
        assert!(
            thin < thick - 3000,
            "thin cable {thin} mA vs none {thick} mA"
        );
    }

    /// Chargers in their CV taper behind entered cables settle: the demo van week (solar and shore charging up
    /// to a full bank) takes about as many engine steps with the demo's cables as without (a taper taken at the
    /// charger's own raised terminal, a step late, swung from step to step: 80 388 steps instead of 1 951).
    #[test]
    fn chargers_in_their_taper_do_not_swing_behind_cables() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/plans/van-demo.json"))
                .unwrap();
        let plan = smallbms_core::plan::Plan::from_json(&text).unwrap();
        let steps = |sized: bool| {
            let mut doc = Document::default();
            if !sized {
                doc.system.power = PowerWiring::default();
                doc.system
                    .devices
                    .iter_mut()
                    .for_each(|d| d.circuit = Circuit::default());
            }
            let o = smallbms_core::plan::PlanOptions {
                sizing: false,
                autonomy: false,
                ..Default::default()
            };
            smallbms_core::plan::run_with(&doc, &plan, &o)
                .unwrap()
                .steps
        };
        let (sized, bare) = (steps(true), steps(false));
        assert!(
            sized <= bare + bare / 5,
            "{sized} steps with cables, {bare} without"
        );
    }

    #[test]
    fn a_fuse_carrying_more_than_its_rating_long_enough_blows_and_the_log_says_why() {
        // 40 A through a 25 A fuse: 1.6 × its rating, 300 s / (1.6² − 1) = 192 s on the assumed curve.
        let circuit = |rating| Circuit {
            cable: Some(cable(10, 20)),
            fuse: Some(Fuse::new(FuseKind::Blade, rating)),
            current_a: None,
        };
        let mut sim = Simulation::new(&one_load(40, circuit(25)), None).unwrap();
        sim.run_until(SimTime(3_600_000));
        let blown: Vec<_> = sim
            .events()
            .filter(|e| e.signal == "fuse")
            .cloned()
            .collect();
        assert_eq!(blown.len(), 1, "{blown:?}");
        let expect_ms = 300_000.0 / (1.6f64 * 1.6 - 1.0);
        assert!(
            (blown[0].t_ms as f64 - expect_ms).abs() <= 2000.0,
            "blew at {} ms",
            blown[0].t_ms
        );
        assert_eq!(blown[0].subject.as_deref(), Some("Heater"));
        assert!(
            blown[0].cause.contains("40 A through a 25 A fuse"),
            "{}",
            blown[0].cause
        );
        // Cut off: the heater no longer draws; the bank only feeds the BMS.
        assert!(
            sim.bank_state().current.0.abs() < 100,
            "{:?}",
            sim.bank_state().current
        );
        // The same load on a 50 A fuse, or 20 A on the 25 A one, never blows.
        for (amps, rating) in [(40, 50), (20, 25)] {
            let mut sim = Simulation::new(&one_load(amps, circuit(rating)), None).unwrap();
            sim.run_until(SimTime(3_600_000));
            assert_eq!(sim.events().filter(|e| e.signal == "fuse").count(), 0);
        }
        // In French.
        let mut sim = Simulation::new(&one_load(40, circuit(25)), None).unwrap();
        sim.set_lang(Lang::Fr);
        sim.run_until(SimTime(600_000));
        let e = sim.events().find(|e| e.signal == "fuse").unwrap();
        assert!(e.cause.contains("dans un fusible de 25 A"), "{}", e.cause);
    }
}
