//! French texts: every finding, event and fixed text the core shows a user exists in French too, says something
//! different from the English, and comes with exactly the same data (ids, severities, subjects, times, levels). The
//! English texts themselves are pinned by the other tests and the golden scenarios.
#![cfg(not(target_arch = "wasm32"))]
mod common;
use common::*;
use smallbms_core::battery::{self, BankConfig, BatteryOverride};
use smallbms_core::bms::{BmsOutput, BmsSettings, BMS_PARAMETERS};
use smallbms_core::catalogue::{self, ModelRef};
use smallbms_core::devices::*;
use smallbms_core::diagram;
use smallbms_core::document::{Document, DocumentError};
use smallbms_core::engine::{Event, Simulation};
use smallbms_core::finding::Finding;
use smallbms_core::lang::{Lang, Localized};
use smallbms_core::scenario::{builtin, Action, BUILTINS};
use smallbms_core::system::presets::{self, PRESETS};
use smallbms_core::system::*;
use smallbms_core::units::*;
use std::collections::BTreeSet;

// ---- configurations --------------------------------------------------------------------------------------------

/// Systems that together break every rule of `RULES`, most of them in more than one way (each branch of a message).
fn broken_systems() -> Vec<(SystemConfig, Millivolts)> {
    let demo = SystemConfig::default;
    let mut v = vec![(demo(), Millivolts(6_000)), (demo(), Millivolts(51_200))];
    let mut c = demo();
    c.bms.pre_alarm_cell = Millivolts(3300);
    c.bms.pre_alarm_lead = Millis(1000);
    v.push((c, BANK_12));
    for s in [
        BmsSettings {
            pre_alarm_cell: Millivolts(2850),
            under_voltage_cell: Millivolts(2900),
            ..BmsSettings::default()
        },
        BmsSettings {
            over_voltage_recovery_cell: Millivolts(3700),
            ..BmsSettings::default()
        },
        BmsSettings {
            charge_temp_min: DeciCelsius(400),
            charge_temp_max: DeciCelsius(300),
            discharge_floor: Permille(990),
            discharge_floor_band: Permille(50),
            ..BmsSettings::default()
        },
        BmsSettings {
            under_voltage_cell: Millivolts(2900),
            under_voltage_recovery_cell: Millivolts(2900),
            over_voltage_cell: Millivolts(3500),
            over_voltage_recovery_cell: Millivolts(3500),
            ..BmsSettings::default()
        },
    ] {
        let mut c = demo();
        c.bms = s;
        v.push((c, BANK_12));
    }
    let mut c =
        with(DeviceConfig::new("Load relay", relay(500)).controlled_by(on(BmsOutput::Load)));
    c.supply_fuse = Milliamps(200);
    v.push((c, BANK_12));
    let mut c = demo();
    c.remote = RemoteWiring::Open;
    v.push((c, BANK_12));
    let devices = [
        DeviceConfig::new("Contactor", relay(1_200)).controlled_by(on(BmsOutput::Load)),
        DeviceConfig::new("Siren", buzzer(600, false)).controlled_by(on(BmsOutput::PreAlarm)),
        DeviceConfig::new("Horn", buzzer(50, true)).controlled_by(on(BmsOutput::Charger)),
        DeviceConfig::new(
            "Multi",
            DeviceKind::VeBusMultiPlus {
                model: "Quattro 12/5000".into(),
            },
        )
        .controlled_by(on(BmsOutput::Load)),
        DeviceConfig::new("Lights", dc_load(2)).behind(99),
        DeviceConfig::new("Lights", dc_load(2)).behind(2),
        DeviceConfig::new("Charger", charger(RemoteLogic::ActiveHigh)).behind(0),
        DeviceConfig::new("Lights", dc_load(2)).behind(5),
        DeviceConfig::new("Inverter", inverter())
            .controlled_by(on(BmsOutput::Load))
            .behind(0),
        DeviceConfig::new("Skylla-TG", charger(RemoteLogic::OnWhenOpen))
            .controlled_by(on(BmsOutput::Charger)),
        DeviceConfig::new("IP43", charger(RemoteLogic::ActiveHigh))
            .controlled_by(Control::via(BmsOutput::Charger, CableKind::NonInverting)),
        DeviceConfig::new("Buzzer", buzzer(20, false))
            .controlled_by(Control::via(BmsOutput::PreAlarm, CableKind::Inverting)),
        DeviceConfig::new("Inverter", inverter()).controlled_by(on(BmsOutput::PreAlarm)),
        DeviceConfig::new("Inverter", inverter()).controlled_by(on(BmsOutput::Charger)),
        DeviceConfig::new("Fridge", dc_load(3)),
        DeviceConfig::new("Charger", charger(RemoteLogic::ActiveHigh)),
        DeviceConfig::new("Combiner", DeviceKind::CyrixLiCt(CyrixCtParams::default()))
            .controlled_by(on(BmsOutput::Load)),
    ];
    v.extend(devices.into_iter().map(|d| (with(d), BANK_12)));
    let mut c = with(DeviceConfig::new("Lights", dc_load(2)).behind(8));
    c.devices[8].power_path.behind = Some(8);
    v.push((c, BANK_12));
    let mut c = demo();
    c.devices[0].kind = DeviceKind::BatteryProtect(BatteryProtectParams {
        model: BpModel::SmartBp65,
        mode: BpMode::A,
        ..BatteryProtectParams::default()
    });
    c.devices[1].kind = dc_load(70);
    c.devices[5].control = None;
    if let Some(ctl) = c.devices[4].control.as_mut() {
        ctl.cable = Some(CableKind::NonInverting);
    }
    v.push((c, BANK_12));
    let mut c = demo();
    c.devices[5].control = Some(on(BmsOutput::Load));
    if let Some(ctl) = c.devices[4].control.as_mut() {
        ctl.cable = None;
    }
    c.devices.push(
        DeviceConfig::new("Charger", charger(RemoteLogic::ActiveHigh))
            .controlled_by(on(BmsOutput::Load))
            .behind(0),
    );
    v.push((c, BANK_12));
    v
}

fn bank(model: &str, series: u8, parallel: u8) -> BankConfig {
    BankConfig {
        model: ModelRef::Builtin(model.into()),
        series,
        parallel,
        ..BankConfig::default()
    }
}

/// Banks that together give every finding `battery::validate` can give.
fn broken_banks() -> Vec<BankConfig> {
    let mut v = vec![
        bank("ng-12v8-100", 0, 1),
        bank("nope", 1, 1),
        bank("smart-12v8-200", 1, 1),
        bank("ng-12v8-100", 5, 1),
        bank("ng-51v2-100", 2, 1),
        bank("ng-12v8-300", 1, 51),
        bank("ng-25v6-300", 2, 25),
    ];
    let mut mixed = bank("ng-12v8-200", 1, 3);
    for (battery, model) in [(1, "ng-12v8-100"), (2, "no-such-model")] {
        mixed.overrides.push(BatteryOverride {
            battery,
            model: ModelRef::Builtin(model.into()),
        });
    }
    v.push(mixed);
    for fault in 0..3 {
        let mut m = catalogue::builtin("ng-12v8-300").expect("built-in model");
        match fault {
            0 => m.cells_in_series = 0,
            1 => m.capacity = MilliampHours(0),
            _ => m.nominal_voltage = Millivolts(0),
        }
        v.push(BankConfig {
            model: ModelRef::Custom(Box::new(m.clone())),
            ..BankConfig::default()
        });
        let mut odd = bank("ng-12v8-300", 1, 2);
        odd.overrides.push(BatteryOverride {
            battery: 1,
            model: ModelRef::Custom(Box::new(m)),
        });
        v.push(odd);
    }
    v
}

// ---- checks ------------------------------------------------------------------------------------------------------

/// The French findings are the English ones, word for word different.
fn same_findings_in_other_words(en: &[Finding], fr: &[Finding], what: &str) {
    assert_eq!(en.len(), fr.len(), "{what}: {en:#?}\n{fr:#?}");
    for (e, f) in en.iter().zip(fr) {
        assert_eq!(
            (e.id, e.severity, &e.subject, e.source),
            (f.id, f.severity, &f.subject, f.source),
            "{what}"
        );
        for (en_text, fr_text) in [(&e.message, &f.message), (&e.fix, &f.fix)] {
            assert!(!fr_text.is_empty(), "{what}: {}: empty French text", e.id);
            assert_ne!(en_text, fr_text, "{what}: {}: not translated", e.id);
        }
    }
}

#[test]
fn every_rule_speaks_french() {
    let mut seen = BTreeSet::new();
    for (i, (c, v)) in broken_systems().iter().enumerate() {
        let en = validate(c, *v);
        let fr = validate_in(c, *v, Lang::Fr);
        assert_eq!(validate_in(c, *v, Lang::En), en, "system {i}");
        same_findings_in_other_words(&en, &fr, &format!("system {i}"));
        seen.extend(en.iter().map(|f| f.id));
    }
    let missing: Vec<_> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(missing.is_empty(), "no system breaks {missing:?}");
    for r in RULES {
        assert_eq!(r.summary_in(Lang::En), r.summary);
        assert!(!r.summary_in(Lang::Fr).is_empty());
        assert_ne!(r.summary_in(Lang::Fr), r.summary, "{}", r.id);
    }
}

#[test]
fn every_bank_finding_speaks_french() {
    let mut seen = BTreeSet::new();
    for (i, b) in broken_banks().iter().enumerate() {
        let en = battery::validate(b);
        let fr = battery::validate_in(b, Lang::Fr);
        assert_eq!(battery::validate_in(b, Lang::En), en, "bank {i}");
        same_findings_in_other_words(&en, &fr, &format!("bank {i}"));
        seen.extend(en.iter().map(|f| f.id));
    }
    // `bank.too_large` comes from building the bank (the simulator's limit), not from the datasheet limits.
    let all = [
        "bank.empty",
        "bank.unknown_model",
        "bank.invalid_model",
        "bank.not_ng",
        "bank.too_many_batteries",
        "bank.series_limit",
        "bank.system_voltage",
        "bank.energy_limit",
        "bank.mixed_models",
        "bank.assumed_model",
    ];
    let missing: Vec<_> = all.iter().filter(|id| !seen.contains(*id)).collect();
    assert!(missing.is_empty(), "no bank gives {missing:?}");
    let doc = Document {
        bank: bank("ng-12v8-100", 200, 200),
        ..Document::default()
    };
    let e = Simulation::new(&doc, None).expect_err("too large to simulate");
    assert!(e.to_string().contains("more than this simulator builds"));
    assert_ne!(e.in_lang(Lang::Fr).to_string(), e.to_string());
}

/// Runs `doc` through `scenario` (or, with none, through every kind of action) in `lang`.
fn run(doc: &Document, scenario: Option<&str>, lang: Lang) -> Simulation {
    let sc = scenario.map(|n| builtin(n).expect("built-in scenario"));
    let mut sim = Simulation::new_in(doc, sc.as_ref(), lang).expect("the system runs");
    assert_eq!(sim.lang(), lang);
    if sc.is_some() {
        sim.run_to_end(Millis(0));
        return sim;
    }
    for a in [
        Action::Parasitic { milliamps: 12.5 },
        Action::ExternalCharge { amps: 3.0 },
        Action::Temperature {
            celsius: -25.0,
            battery: Some(1),
        },
        Action::Temperature {
            celsius: 60.0,
            battery: None,
        },
        Action::BmsCable { connected: false },
        Action::BmsCable { connected: true },
        Action::Remote { on: false },
        Action::Remote { on: true },
        Action::CellDrift {
            battery: 0,
            cell: 2,
            permille: -15,
        },
        Action::BmsSupply { connected: false },
        Action::BmsSupply { connected: true },
        Action::Demand {
            device: "Inverter 1200 VA".into(),
            amps: 80.5,
        },
        Action::Temperature {
            celsius: 20.0,
            battery: None,
        },
    ] {
        sim.act(a);
        sim.run_until(sim.now().after(Millis(45_000)));
    }
    sim.run_until(sim.now().after(Millis::hours(24 * 30)));
    sim
}

/// The French log is the English one event for event, with the words (not the identifiers) in French.
fn same_log_in_other_words(en: &Simulation, fr: &Simulation, what: &str) {
    let (en_log, fr_log): (Vec<&Event>, Vec<&Event>) =
        (en.events().collect(), fr.events().collect());
    assert_eq!(en_log.len(), fr_log.len(), "{what}: event count");
    assert!(
        en.trace().eq(fr.trace()),
        "{what}: the language changed the run"
    );
    for (e, f) in en_log.iter().zip(&fr_log) {
        let at = format!("{what} at {} ms, {} {}", e.t_ms, e.signal, e.level);
        assert_eq!((e.t_ms, e.signal), (f.t_ms, f.signal), "{at}");
        if e.signal != "input" {
            assert_eq!(e.level, f.level, "{at}: levels are identifiers");
        }
        if !e.cause.is_empty() {
            assert!(!f.cause.is_empty(), "{at}: no French cause");
            assert_ne!(e.cause, f.cause, "{at}: cause not translated");
        }
        match e.signal {
            // Device names are the user's own words.
            "device" => assert_eq!(e.subject, f.subject, "{at}"),
            _ => {
                if let Some(s) = &e.subject {
                    assert_ne!(Some(s), f.subject.as_ref(), "{at}: subject not translated");
                }
            }
        }
        assert_ne!(e.signal_label(Lang::En), f.signal_label(Lang::Fr), "{at}");
        if e.signal != "input" {
            assert_ne!(e.level_label(Lang::En), f.level_label(Lang::Fr), "{at}");
        }
    }
}

fn all_presets() -> Document {
    let mut doc = Document::default();
    doc.system.devices.extend(PRESETS.iter().map(|p| p.build()));
    doc
}

#[test]
fn every_builtin_scenario_logs_in_french() {
    for doc in [Document::default(), all_presets()] {
        for (name, _) in BUILTINS {
            let en = run(&doc, Some(name), Lang::En);
            let fr = run(&doc, Some(name), Lang::Fr);
            assert!(en.events().any(|e| !e.cause.is_empty()), "{name}");
            same_log_in_other_words(&en, &fr, name);
        }
        let en = run(&doc, None, Lang::En);
        let fr = run(&doc, None, Lang::Fr);
        same_log_in_other_words(&en, &fr, "every action");
        // The BMS panel's texts follow the same language.
        let (o_en, o_fr) = (en.bms(), fr.bms());
        assert_ne!(o_en.red_led.meaning, o_fr.red_led.meaning_in(Lang::Fr));
        assert_ne!(o_en.blue_led.meaning, o_fr.blue_led.meaning_in(Lang::Fr));
        assert_ne!(
            o_en.pre_alarm.to_string(),
            o_fr.pre_alarm.in_lang(Lang::Fr).to_string()
        );
        assert_ne!(
            o_en.load.to_string(),
            o_fr.load.in_lang(Lang::Fr).to_string()
        );
    }
}

#[test]
fn switching_language_changes_only_later_events() {
    let sc = builtin("remote-off").expect("built-in");
    let mut sim = Simulation::new(&Document::default(), Some(&sc)).expect("runs");
    sim.run_until(SimTime(30_000));
    let before: Vec<Event> = sim.events().cloned().collect();
    sim.set_lang(Lang::Fr);
    sim.run_to_end(Millis(0));
    let all: Vec<Event> = sim.events().cloned().collect();
    assert_eq!(all[..before.len()], before[..]);
    let english = run(&Document::default(), Some("remote-off"), Lang::En);
    let later: Vec<&Event> = english.events().skip(before.len()).collect();
    for (e, f) in later.iter().zip(&all[before.len()..]) {
        if !e.cause.is_empty() {
            assert_ne!(e.cause, f.cause);
        }
    }
}

#[test]
fn settings_devices_parts_and_sheet_speak_french() {
    for p in BMS_PARAMETERS {
        assert_eq!(p.name_in(Lang::En), p.name);
        assert_eq!(p.note_in(Lang::En), p.note);
        assert_ne!(p.name_in(Lang::Fr), p.name, "{}", p.key);
        assert!(!p.note_in(Lang::Fr).is_empty(), "{}", p.key);
    }
    for p in PRESETS {
        assert_ne!(p.label_in(Lang::Fr), p.label, "{}", p.id);
        let (en, fr) = (p.build(), p.build_in(Lang::Fr));
        assert_eq!((&en.kind, en.control), (&fr.kind, fr.control), "{}", p.id);
        // Product names (BatteryProtect, Cyrix) stay; so does the product-name kind label.
        if en.kind.label() != en.kind.label_in(Lang::Fr) {
            assert_ne!(en.name, fr.name, "{}", p.id);
        }
    }
    for c in CableKind::ALL {
        assert_ne!(c.name_in(Lang::Fr), c.name());
        assert!(c.in_lang(Lang::Fr).to_string().contains(c.part_number()));
    }

    for doc in [Document::default(), all_presets()] {
        let (en, fr) = (
            presets::parts_list(&doc),
            presets::parts_list_in(&doc, Lang::Fr),
        );
        assert_eq!(en.len(), fr.len());
        for (e, f) in en.iter().zip(&fr) {
            assert_eq!((e.quantity, e.part_number), (f.quantity, f.part_number));
        }
        assert!(en.iter().zip(&fr).any(|(e, f)| e.name != f.name));

        let (en, fr) = (
            presets::commissioning(&doc),
            presets::commissioning_in(&doc, Lang::Fr),
        );
        assert_eq!(en.settings.len(), fr.settings.len());
        for ((part_en, set_en), (part_fr, set_fr)) in en.settings.iter().zip(&fr.settings) {
            assert_eq!(part_en, part_fr);
            assert_ne!(set_en, set_fr, "{part_en}");
        }
        assert_eq!(en.checks.len(), fr.checks.len());
        for (e, f) in en.checks.iter().zip(&fr.checks) {
            assert_ne!(e, f);
        }

        // The same drawing, with other words.
        let (en, fr) = (diagram::build(&doc), diagram::build_in(&doc, Lang::Fr));
        // Wires identical but for the words of their cable tags (fuse types are named in French).
        let geometry = |d: &diagram::Diagram| {
            d.wires
                .iter()
                .map(|w| {
                    (
                        w.id.clone(),
                        w.kind,
                        w.points.clone(),
                        w.cable.as_ref().map(|c| c.uohm),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(geometry(&en), geometry(&fr));
        assert_eq!(en.parts.len(), fr.parts.len());
        for (e, f) in en.parts.iter().zip(&fr.parts) {
            assert_eq!((&e.id, e.kind, e.x, e.y), (&f.id, f.kind, f.x, f.y));
            let at = |p: &diagram::Part| {
                p.terminals
                    .iter()
                    .map(|t| (t.id.clone(), t.x, t.y))
                    .collect::<Vec<_>>()
            };
            assert_eq!(at(e), at(f));
        }
        assert!(en
            .parts
            .iter()
            .zip(&fr.parts)
            .any(|(e, f)| e.sublabel != f.sublabel));
    }
}

#[test]
fn errors_speak_french() {
    for e in [
        DocumentError::Empty,
        DocumentError::Syntax {
            line: 1,
            column: 2,
            detail: "EOF".into(),
        },
        DocumentError::NotADocument,
        DocumentError::Newer { found: 9 },
        DocumentError::Shape { detail: "x".into() },
        DocumentError::DamagedLink { at: 3 },
    ] {
        assert_ne!(e.in_lang(Lang::Fr).to_string(), e.to_string());
        assert_eq!(e.in_lang(Lang::En).to_string(), e.to_string());
    }
    for code in ["en", "fr"] {
        let lang = Lang::from_code(code).expect("known code");
        assert_eq!(lang.code(), code);
        assert_eq!(serde_json::to_string(&lang).unwrap(), format!("\"{code}\""));
    }
}
