//! Validation rules: for every rule, a configuration that triggers it and one that does not.
mod common;
use common::*;
use smallbms_core::bms::{BmsOutput, BmsSettings};
use smallbms_core::devices::*;
use smallbms_core::finding::{Finding, Severity, Subject};
use smallbms_core::system::rules::*;
use smallbms_core::system::*;
use smallbms_core::units::{DeciCelsius, Milliamps, Millivolts, Permille};

fn findings(c: &SystemConfig, rule: &Rule) -> Vec<Finding> {
    validate(c, BANK_12)
        .into_iter()
        .filter(|f| f.id == rule.id)
        .collect()
}

fn fires(c: &SystemConfig, rule: &Rule) -> bool {
    !findings(c, rule).is_empty()
}

fn last(c: &SystemConfig) -> usize {
    c.devices.len() - 1
}

fn bp(mode: BpMode, model: BpModel) -> DeviceKind {
    DeviceKind::BatteryProtect(BatteryProtectParams {
        model,
        mode,
        ..BatteryProtectParams::default()
    })
}

// ---- the rule table and the demo --------------------------------------------------------------------------------

#[test]
fn demo_system_passes_every_rule() {
    let f = validate(&demo(), BANK_12);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn rule_ids_are_unique_and_every_finding_comes_from_the_table() {
    let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
    for r in RULES {
        assert!(r.id.contains('.') && !r.source.is_empty() && !r.summary.is_empty());
    }
    // A configuration that breaks many rules at once.
    let mut c = demo();
    c.supply_fuse = Milliamps(100);
    c.remote = RemoteWiring::Open;
    c.devices
        .push(DeviceConfig::new("Coil", relay(600)).controlled_by(on(BmsOutput::Charger)));
    c.devices.push(DeviceConfig::new(
        "Multi",
        DeviceKind::VeBusMultiPlus {
            model: "MultiPlus-II 12/3000".into(),
        },
    ));
    let all = validate(&c, BANK_12);
    assert!(all.len() >= 5);
    for f in &all {
        let rule = RULES
            .iter()
            .find(|r| r.id == f.id)
            .expect("finding id in RULES");
        assert_eq!(f.severity, rule.severity);
        assert_eq!(f.source, rule.source);
        assert!(!f.message.is_empty() && !f.fix.is_empty());
    }
}

// ---- bms.* -------------------------------------------------------------------------------------------------------

#[test]
fn supply_voltage() {
    let f = validate(&demo(), Millivolts(6_000));
    assert!(f.iter().any(|f| f.id == SUPPLY_VOLTAGE.id));
    let f = validate(&demo(), Millivolts(51_200));
    assert!(!f.iter().any(|f| f.id == SUPPLY_VOLTAGE.id));
}

#[test]
fn setting_range() {
    let mut c = demo();
    c.bms.pre_alarm_cell = Millivolts(3300);
    let f = findings(&c, &SETTING_RANGE);
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("3.3 V"), "{}", f[0].message);
    assert!(f[0].message.contains("uses 3.15 V"), "{}", f[0].message);
    c.bms.pre_alarm_cell = Millivolts(3150);
    assert!(!fires(&c, &SETTING_RANGE));
}

#[test]
fn setting_order() {
    let mut c = demo();
    c.bms = BmsSettings {
        pre_alarm_cell: Millivolts(2850),
        under_voltage_cell: Millivolts(2900),
        ..BmsSettings::default()
    };
    assert!(fires(&c, &SETTING_ORDER));
    c.bms = BmsSettings {
        over_voltage_recovery_cell: Millivolts(3700),
        ..BmsSettings::default()
    };
    assert!(fires(&c, &SETTING_ORDER));
    c.bms = BmsSettings {
        charge_temp_min: DeciCelsius(400),
        charge_temp_max: DeciCelsius(300),
        ..BmsSettings::default()
    };
    assert!(fires(&c, &SETTING_ORDER));
    c.bms = BmsSettings {
        discharge_floor: Permille(990),
        discharge_floor_band: Permille(50),
        ..BmsSettings::default()
    };
    assert!(fires(&c, &SETTING_ORDER));
    c.bms = BmsSettings::default();
    assert!(!fires(&c, &SETTING_ORDER));
}

#[test]
fn fuse_range() {
    let mut c = demo();
    c.supply_fuse = Milliamps(200);
    assert!(fires(&c, &FUSE_RANGE));
    c.supply_fuse = Milliamps(3000);
    assert!(fires(&c, &FUSE_RANGE));
    c.supply_fuse = Milliamps(300);
    assert!(!fires(&c, &FUSE_RANGE));
    c.supply_fuse = Milliamps(2500);
    assert!(!fires(&c, &FUSE_RANGE));
}

#[test]
fn fuse_too_small() {
    let mut c =
        with(DeviceConfig::new("Load relay", relay(500)).controlled_by(on(BmsOutput::Load)));
    c.supply_fuse = Milliamps(500);
    let f = findings(&c, &FUSE_TOO_SMALL);
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("LOAD 502 mA"), "{}", f[0].message);
    assert!(f[0].fix.contains("528 mA"), "{}", f[0].fix);
    c.supply_fuse = Milliamps(600);
    assert!(!fires(&c, &FUSE_TOO_SMALL));
}

#[test]
fn remote_open() {
    let mut c = demo();
    c.remote = RemoteWiring::Open;
    assert!(fires(&c, &REMOTE_OPEN));
    c.remote = RemoteWiring::Bridged;
    assert!(!fires(&c, &REMOTE_OPEN));
}

// ---- output.* ----------------------------------------------------------------------------------------------------

#[test]
fn output_over_limit() {
    let c = with(DeviceConfig::new("Contactor", relay(1_200)).controlled_by(on(BmsOutput::Load)));
    let f = findings(&c, &OUTPUT_OVER_LIMIT);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].subject,
        Subject::Terminal {
            name: "load".into()
        }
    );
    assert!(
        f[0].message.contains("LOAD drives 1.202 A"),
        "{}",
        f[0].message
    );
    let ok = with(DeviceConfig::new("Contactor", relay(998)).controlled_by(on(BmsOutput::Load)));
    assert!(
        !fires(&ok, &OUTPUT_OVER_LIMIT),
        "2 mA already on LOAD + 998 mA = 1 A"
    );

    let c =
        with(DeviceConfig::new("Siren", buzzer(600, false)).controlled_by(on(BmsOutput::PreAlarm)));
    let f = findings(&c, &OUTPUT_OVER_LIMIT);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("feature list says 1 A"),
        "{}",
        f[0].message
    );

    let mut c = demo();
    c.devices.push(
        DeviceConfig::new(
            "Lamp",
            DeviceKind::Led(IndicatorParams {
                current: Milliamps(497),
                inductive: false,
            }),
        )
        .controlled_by(on(BmsOutput::Charger)),
    );
    assert!(!fires(&c, &OUTPUT_OVER_LIMIT), "exactly 500 mA on CHARGER");
    let k = last(&c);
    c.devices[k].kind = DeviceKind::Led(IndicatorParams {
        current: Milliamps(498),
        inductive: false,
    });
    assert!(fires(&c, &OUTPUT_OVER_LIMIT));
}

#[test]
fn inductive_on_charger() {
    let c = with(DeviceConfig::new("Relay", relay(100)).controlled_by(on(BmsOutput::Charger)));
    let f = findings(&c, &INDUCTIVE_ON_CHARGER);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject, Subject::Device { index: last(&c) });
    assert!(f[0].severity == Severity::Error);
    let c = with(DeviceConfig::new("Relay", relay(100)).controlled_by(on(BmsOutput::Load)));
    assert!(!fires(&c, &INDUCTIVE_ON_CHARGER));
    let c = with(DeviceConfig::new("Horn", buzzer(50, true)).controlled_by(on(BmsOutput::Charger)));
    assert!(fires(&c, &INDUCTIVE_ON_CHARGER));
    let c =
        with(DeviceConfig::new("Piezo", buzzer(50, false)).controlled_by(on(BmsOutput::Charger)));
    assert!(!fires(&c, &INDUCTIVE_ON_CHARGER));
}

// ---- device.* ----------------------------------------------------------------------------------------------------

#[test]
fn vebus_refused() {
    let c = with(DeviceConfig::new(
        "Multi",
        DeviceKind::VeBusMultiPlus {
            model: "Quattro 12/5000".into(),
        },
    ));
    let f = findings(&c, &VEBUS_REFUSED);
    assert_eq!(f.len(), 1);
    assert!(f[0].fix.contains("VE.Bus BMS NG"));
    assert!(!fires(&demo(), &VEBUS_REFUSED));
}

#[test]
fn system_voltage() {
    let f = validate(&demo(), Millivolts(51_200));
    let idx: Vec<_> = f
        .iter()
        .filter(|f| f.id == SYSTEM_VOLTAGE.id)
        .map(|f| f.subject.clone())
        .collect();
    assert!(
        idx.contains(&Subject::Device { index: 0 }),
        "BatteryProtect 12/24 V on 48 V"
    );
    assert!(
        idx.contains(&Subject::Device { index: 5 }),
        "Cyrix-Li-Charge 12/24 V on 48 V"
    );
    let mut c = demo();
    c.devices[5].kind = DeviceKind::CyrixLiCharge(CyrixChargeParams {
        class: CyrixVoltageClass::V24_48,
        ..CyrixChargeParams::default()
    });
    let f = validate(&c, Millivolts(51_200));
    assert!(!f
        .iter()
        .any(|f| f.id == SYSTEM_VOLTAGE.id && f.subject == Subject::Device { index: 5 }));
    assert!(!fires(&demo(), &SYSTEM_VOLTAGE));
}

// ---- power.* -----------------------------------------------------------------------------------------------------

#[test]
fn behind_invalid() {
    let c = with(DeviceConfig::new("Lights", dc_load(2)).behind(99));
    let f = findings(&c, &BEHIND_INVALID);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("no device number 100"),
        "{}",
        f[0].message
    );
    let c = with(DeviceConfig::new("Lights", dc_load(2)).behind(2));
    assert!(fires(&c, &BEHIND_INVALID), "the inverter is not a switch");
    let c = with(DeviceConfig::new("Lights", dc_load(2)).behind(0));
    assert!(!fires(&c, &BEHIND_INVALID));
}

#[test]
fn wrong_direction() {
    let c = with(DeviceConfig::new("Charger", charger(RemoteLogic::ActiveHigh)).behind(0));
    assert!(
        fires(&c, &WRONG_DIRECTION),
        "charger behind a battery-to-load BatteryProtect"
    );

    let mut c = demo();
    c.devices.push(
        DeviceConfig::new(
            "Charge BP",
            DeviceKind::BatteryProtect(BatteryProtectParams {
                orientation: BpOrientation::ChargerToBattery,
                ..BatteryProtectParams::default()
            }),
        )
        .controlled_by(on(BmsOutput::Charger)),
    );
    let bp_index = last(&c);
    c.devices
        .push(DeviceConfig::new("Charger", charger(RemoteLogic::ActiveHigh)).behind(bp_index));
    assert!(!fires(&c, &WRONG_DIRECTION));

    let c = with(DeviceConfig::new("Lights", dc_load(2)).behind(5));
    assert!(
        fires(&c, &WRONG_DIRECTION),
        "load behind the unidirectional Cyrix-Li-Charge"
    );
}

#[test]
fn inverter_behind_bp() {
    let c = with(
        DeviceConfig::new("Inverter", inverter())
            .controlled_by(on(BmsOutput::Load))
            .behind(0),
    );
    let f = findings(&c, &INVERTER_BEHIND_BP);
    assert_eq!(f.len(), 1);
    assert!(f[0].fix.contains("remote input"));
    let mut c = with(
        DeviceConfig::new(
            "Contactor",
            DeviceKind::Relay(RelayParams {
                contactor: true,
                ..RelayParams::relay(Milliamps(300))
            }),
        )
        .controlled_by(on(BmsOutput::Load)),
    );
    let k = last(&c);
    c.devices.push(
        DeviceConfig::new("Inverter", inverter())
            .controlled_by(on(BmsOutput::Load))
            .behind(k),
    );
    assert!(!fires(&c, &INVERTER_BEHIND_BP));
}

#[test]
fn switch_overloaded() {
    let mut c = demo();
    c.devices[0].kind = bp(BpMode::C, BpModel::SmartBp65);
    c.devices[1].kind = dc_load(70);
    let f = findings(&c, &SWITCH_OVERLOADED);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject, Subject::Device { index: 0 });
    c.devices[1].kind = dc_load(60);
    assert!(!fires(&c, &SWITCH_OVERLOADED));
}

// ---- control.* ---------------------------------------------------------------------------------------------------

#[test]
fn cable_missing() {
    let c = with(
        DeviceConfig::new("Skylla-TG", charger(RemoteLogic::OnWhenOpen))
            .controlled_by(on(BmsOutput::Charger)),
    );
    let f = findings(&c, &CABLE_MISSING);
    assert_eq!(f.len(), 1);
    assert!(f[0].fix.contains("ASS030550220"), "{}", f[0].fix);
    let c = with(
        DeviceConfig::new("Skylla-TG", charger(RemoteLogic::OnWhenOpen))
            .controlled_by(Control::via(BmsOutput::Charger, CableKind::NonInverting)),
    );
    assert!(!fires(&c, &CABLE_MISSING));
    let mut c = demo();
    if let Some(ctl) = c.devices[4].control.as_mut() {
        ctl.cable = None;
    }
    assert!(
        fires(&c, &CABLE_MISSING),
        "VE.Direct-only MPPT without ASS030550320"
    );
}

#[test]
fn cable_not_needed() {
    let c = with(
        DeviceConfig::new("IP43", charger(RemoteLogic::ActiveHigh))
            .controlled_by(Control::via(BmsOutput::Charger, CableKind::NonInverting)),
    );
    assert!(fires(&c, &CABLE_NOT_NEEDED));
    let c = with(
        DeviceConfig::new("IP43", charger(RemoteLogic::ActiveHigh))
            .controlled_by(on(BmsOutput::Charger)),
    );
    assert!(!fires(&c, &CABLE_NOT_NEEDED));
}

#[test]
fn cable_wrong() {
    let mut c = demo();
    if let Some(ctl) = c.devices[4].control.as_mut() {
        ctl.cable = Some(CableKind::NonInverting);
    }
    let f = findings(&c, &CABLE_WRONG);
    assert_eq!(f.len(), 1);
    assert!(f[0].fix.contains("ASS030550320"));
    assert!(!fires(&demo(), &CABLE_WRONG));
}

#[test]
fn cable_not_applicable() {
    let c = with(
        DeviceConfig::new("Buzzer", buzzer(20, false))
            .controlled_by(Control::via(BmsOutput::PreAlarm, CableKind::Inverting)),
    );
    assert!(fires(&c, &CABLE_NOT_APPLICABLE));
    let c =
        with(DeviceConfig::new("Buzzer", buzzer(20, false)).controlled_by(on(BmsOutput::PreAlarm)));
    assert!(!fires(&c, &CABLE_NOT_APPLICABLE));
}

#[test]
fn no_control_input() {
    let c = with(DeviceConfig::new("Lights", dc_load(2)).controlled_by(on(BmsOutput::Load)));
    assert!(fires(&c, &NO_CONTROL_INPUT));
    let c = with(DeviceConfig::new("Lights", dc_load(2)).behind(0));
    assert!(!fires(&c, &NO_CONTROL_INPUT));
}

#[test]
fn on_pre_alarm() {
    let c = with(DeviceConfig::new("Inverter", inverter()).controlled_by(on(BmsOutput::PreAlarm)));
    assert!(fires(&c, &ON_PRE_ALARM));
    let c =
        with(DeviceConfig::new("Signal relay", relay(100)).controlled_by(on(BmsOutput::PreAlarm)));
    assert!(!fires(&c, &ON_PRE_ALARM));
}

#[test]
fn bp_not_mode_c() {
    let mut c = demo();
    c.devices[0].kind = bp(BpMode::A, BpModel::Bp100);
    let f = findings(&c, &BP_NOT_MODE_C);
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("mode A"), "{}", f[0].message);
    c.devices[0].control = None;
    assert!(!fires(&c, &BP_NOT_MODE_C), "not driven by the BMS");
    assert!(!fires(&demo(), &BP_NOT_MODE_C));
}

#[test]
fn cyrix_not_on_charger() {
    let mut c = demo();
    c.devices[5].control = Some(on(BmsOutput::Load));
    assert!(fires(&c, &CYRIX_NOT_ON_CHARGER));
    c.devices[5].control = None;
    assert!(fires(&c, &CYRIX_NOT_ON_CHARGER));
    let c = with(
        DeviceConfig::new("Combiner", DeviceKind::CyrixLiCt(CyrixCtParams::default()))
            .controlled_by(on(BmsOutput::Load)),
    );
    assert!(
        fires(&c, &CYRIX_NOT_ON_CHARGER),
        "Cyrix-Li-ct too (datasheet; contradiction §8.10)"
    );
    let c = with(
        DeviceConfig::new("Combiner", DeviceKind::CyrixLiCt(CyrixCtParams::default()))
            .controlled_by(on(BmsOutput::Charger)),
    );
    assert!(!fires(&c, &CYRIX_NOT_ON_CHARGER));
}

// ---- protection.* ------------------------------------------------------------------------------------------------

#[test]
fn load_not_switched() {
    let c = with(DeviceConfig::new("Fridge", dc_load(3)));
    let f = findings(&c, &LOAD_NOT_SWITCHED);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("nothing on the BMS switches it"),
        "{}",
        f[0].message
    );
    let c = with(DeviceConfig::new("Inverter", inverter()).controlled_by(on(BmsOutput::Charger)));
    let f = findings(&c, &LOAD_NOT_SWITCHED);
    assert!(
        f[0].message.contains("only CHARGER switches it"),
        "{}",
        f[0].message
    );
    let c = with(DeviceConfig::new("Fridge", dc_load(3)).behind(0));
    assert!(!fires(&c, &LOAD_NOT_SWITCHED));
}

#[test]
fn charger_not_switched() {
    let c = with(DeviceConfig::new(
        "Charger",
        charger(RemoteLogic::ActiveHigh),
    ));
    assert!(fires(&c, &CHARGER_NOT_SWITCHED));
    let c = with(
        DeviceConfig::new("Charger", charger(RemoteLogic::ActiveHigh))
            .controlled_by(on(BmsOutput::Load)),
    );
    assert!(fires(&c, &CHARGER_NOT_SWITCHED));
    // The demo's alternator has no remote but sits behind a Cyrix-Li-Charge on CHARGER.
    assert!(!fires(&demo(), &CHARGER_NOT_SWITCHED));
}
