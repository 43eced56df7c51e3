//! Device state machines: BatteryProtect, Cyrix-Li-ct, Cyrix-Li-Charge, remote inputs, cables, coils, power.
use smallbms_core::devices::cable::through;
use smallbms_core::devices::*;
use smallbms_core::signal::Level;
use smallbms_core::units::{Milliamps, Millis, Millivolts, SimTime};

fn t(s: u64) -> SimTime {
    SimTime(s * 1000)
}
fn mv(v: i32) -> Millivolts {
    Millivolts(v)
}
const HIGH: Option<Level> = Some(Level::Driven(Millivolts(13_100)));
const FLOAT: Option<Level> = Some(Level::Floating);

fn bp(mode: BpMode, model: BpModel) -> BatteryProtect {
    BatteryProtect::new(
        BatteryProtectParams {
            model,
            mode,
            ..BatteryProtectParams::default()
        },
        SystemVoltage::V12,
    )
}

// ---- BatteryProtect -------------------------------------------------------------------------------------------

#[test]
fn bp_codes_table() {
    assert_eq!(BP_CODES.len(), 10);
    assert_eq!(bp_code_row(0).shutdown, mv(10_500));
    assert_eq!(bp_code_row(9).restart, mv(13_200));
    assert_eq!(bp_code_row(200).code, 9, "out-of-range codes saturate");
    for (i, c) in BP_CODES.iter().enumerate() {
        assert_eq!(usize::from(c.code), i);
        assert!(c.restart > c.shutdown);
    }
}

#[test]
fn bp_mode_c_connects_1_s_after_remote_and_drops_at_once() {
    let mut b = bp(BpMode::C, BpModel::SmartBp100);
    b.update(t(0), mv(13_200), HIGH);
    assert!(!b.is_connected());
    assert_eq!(b.next_deadline(), Some(t(1)));
    b.update(t(1), mv(13_200), HIGH);
    assert!(b.is_connected());
    b.update(t(10), mv(13_200), FLOAT);
    assert!(
        !b.is_connected(),
        "disconnects immediately when Remote H floats"
    );
    assert!(matches!(b.reason(), BpReason::RemoteOff { since } if *since == t(10)));
}

#[test]
fn bp_mode_c_stays_off_30_s_after_the_bms_output_floated() {
    let mut b = bp(BpMode::C, BpModel::Bp65);
    b.update(t(0), mv(13_200), HIGH);
    b.update(t(1), mv(13_200), HIGH);
    b.update(t(10), mv(13_200), FLOAT);
    b.update(t(15), mv(13_200), HIGH);
    assert!(!b.is_connected());
    assert!(matches!(b.reason(), BpReason::HoldOff { until } if *until == t(40)));
    assert!(b.to_string().contains("0:00:40"));
    assert_eq!(b.next_deadline(), Some(t(40)));
    b.update(t(40), mv(13_200), HIGH);
    assert!(!b.is_connected());
    assert_eq!(b.next_deadline(), Some(t(41)));
    b.update(t(41), mv(13_200), HIGH);
    assert!(b.is_connected());
}

#[test]
fn bp_mode_c_locks_out_after_3_attempts_until_13_v_for_30_s() {
    let mut b = bp(BpMode::C, BpModel::SmartBp100);
    let low = mv(12_600);
    let mut now = 0;
    b.update(t(now), low, HIGH);
    now += 1;
    b.update(t(now), low, HIGH);
    assert!(b.is_connected());
    for attempt in 1..=3u8 {
        now += 10;
        b.update(t(now), low, FLOAT);
        now += 30;
        b.update(t(now), low, HIGH);
        now += 1;
        b.update(t(now), low, HIGH);
        assert!(b.is_connected(), "attempt {attempt} re-engages");
        assert_eq!(b.attempts(), attempt);
    }
    now += 10;
    b.update(t(now), low, FLOAT);
    assert!(b.is_locked_out());
    now += 60;
    b.update(t(now), low, HIGH);
    assert!(!b.is_connected());
    assert!(matches!(
        b.reason(),
        BpReason::LockedOut { attempts: 3, .. }
    ));
    assert!(b.to_string().contains("13.00 V"));
    // Above 13.0 V, but only for 29 s: still locked.
    now += 1;
    b.update(t(now), mv(13_100), HIGH);
    b.update(t(now + 29), mv(13_100), HIGH);
    assert!(b.is_locked_out());
    assert_eq!(b.next_deadline(), Some(t(now + 30)));
    b.update(t(now + 30), mv(13_100), HIGH);
    assert!(!b.is_locked_out());
    b.update(t(now + 31), mv(13_100), HIGH);
    assert!(b.is_connected());
    assert_eq!(b.attempts(), 0);
}

#[test]
fn bp_mode_c_ignores_its_own_under_voltage_thresholds() {
    let mut b = bp(BpMode::C, BpModel::SmartBp100);
    b.update(t(0), mv(9_000), HIGH);
    b.update(t(1), mv(9_000), HIGH);
    b.update(t(500), mv(9_000), HIGH);
    assert!(b.is_connected());
    assert_eq!(b.alarm(), BpAlarm::Off);
}

#[test]
fn bp_mode_a_alarm_at_12_s_disconnect_at_90_s_reconnect_30_s_after_restart() {
    let mut b = bp(BpMode::A, BpModel::Bp100); // code 0: 10.5 V / 12.0 V
    b.update(t(0), mv(12_500), None);
    b.update(t(1), mv(12_500), None);
    assert!(b.is_connected(), "no remote wire: bridged");
    b.update(t(100), mv(10_400), None);
    assert_eq!(b.alarm(), BpAlarm::Off);
    assert_eq!(b.next_deadline(), Some(t(112)));
    b.update(t(112), mv(10_400), None);
    assert_eq!(b.alarm(), BpAlarm::Continuous);
    assert!(b.is_connected());
    assert_eq!(b.next_deadline(), Some(t(190)));
    b.update(t(190), mv(10_600), None);
    assert!(
        !b.is_connected(),
        "still below the 12.0 V restart level after 90 s"
    );
    assert_eq!(b.alarm(), BpAlarm::Off, "alarm stops on disconnect");
    assert!(matches!(b.reason(), BpReason::UnderVoltage { code: 0, .. }));
    b.update(t(200), mv(12_000), None);
    assert!(!b.is_connected());
    assert_eq!(b.next_deadline(), Some(t(230)));
    b.update(t(230), mv(12_000), None);
    assert!(b.is_connected());
}

#[test]
fn bp_recovery_within_the_90_s_window_cancels_the_disconnect() {
    let mut b = bp(BpMode::B, BpModel::Bp220);
    b.update(t(0), mv(12_500), None);
    b.update(t(1), mv(12_500), None);
    b.update(t(10), mv(10_000), None);
    b.update(t(22), mv(10_000), None);
    assert_eq!(b.alarm(), BpAlarm::RelayEngaged);
    b.update(t(50), mv(12_100), None);
    b.update(t(100), mv(12_100), None);
    assert!(b.is_connected());
    assert_eq!(b.alarm(), BpAlarm::Off);
}

#[test]
fn bp_over_voltage_trips_at_once_and_reconnects_without_delay() {
    let mut s = bp(BpMode::C, BpModel::SmartBp100);
    s.update(t(0), mv(14_000), HIGH);
    s.update(t(1), mv(14_000), HIGH);
    s.update(t(2), mv(16_300), HIGH);
    assert!(s.is_connected(), "Smart BP trips above 16.3 V");
    s.update(t(3), mv(16_301), HIGH);
    assert!(!s.is_connected());
    assert!(s.to_string().contains("over-voltage 16.30 V above 16.30 V"));
    s.update(t(4), mv(16_150), HIGH);
    assert!(!s.is_connected(), "hysteresis");
    s.update(t(5), mv(16_100), HIGH);
    assert!(s.is_connected(), "no reconnect delay");

    let mut b = bp(BpMode::A, BpModel::Bp65);
    b.update(t(0), mv(14_000), None);
    b.update(t(1), mv(14_000), None);
    b.update(t(2), mv(16_100), None);
    assert!(!b.is_connected(), "BP trips above 16 V");
    assert_eq!(b.alarm(), BpAlarm::Intermittent);
}

#[test]
fn bp_scales_to_24_v() {
    let mut b = BatteryProtect::new(
        BatteryProtectParams {
            mode: BpMode::A,
            ..BatteryProtectParams::default()
        },
        SystemVoltage::V24,
    );
    b.update(t(0), mv(25_000), None);
    b.update(t(1), mv(25_000), None);
    b.update(t(2), mv(21_100), None);
    b.update(t(200), mv(21_100), None);
    assert!(
        b.is_connected(),
        "21.1 V is above the 21.0 V shutdown at 24 V"
    );
    b.update(t(201), mv(20_900), None);
    b.update(t(291), mv(20_900), None);
    assert!(!b.is_connected());
}

#[test]
fn bp_direction_and_consumption() {
    let b = bp(BpMode::C, BpModel::Bp220);
    assert_eq!(b.direction(), Direction::ToLoad);
    assert_eq!(b.own_consumption(), Microamps(1500));
    assert_eq!(BpModel::SmartBp65.own_consumption(), Microamps(1400));
    assert_eq!(BpModel::Bp220.part_number(), Some("BPR000220400"));
}

// ---- Cyrix-Li-ct ----------------------------------------------------------------------------------------------

#[test]
fn cyrix_ct_closes_at_13_4_v_on_either_side_and_opens_below_13_2_v() {
    let mut c = CyrixLiCt::new(CyrixCtParams::default(), SystemVoltage::V12);
    c.update(t(0), HIGH, mv(13_300), None, false);
    assert!(!c.is_closed());
    c.update(t(1), HIGH, mv(13_300), Some(mv(13_400)), false);
    assert!(c.is_closed(), "starter side at 13.4 V");
    c.update(t(2), HIGH, mv(13_250), Some(mv(13_250)), false);
    assert!(c.is_closed());
    c.update(t(3), HIGH, mv(13_190), Some(mv(13_100)), false);
    assert!(!c.is_closed());
    assert!(matches!(c.reason(), CyrixCtReason::LowVoltage { .. }));
    c.update(t(4), HIGH, mv(14_000), None, false);
    assert!(
        !c.is_closed(),
        "waits 30 s before closing again after a low-voltage opening"
    );
    assert_eq!(c.next_deadline(), Some(t(33)));
    c.update(t(33), HIGH, mv(14_000), None, false);
    assert!(c.is_closed());
    c.update(t(35), FLOAT, mv(14_000), None, false);
    assert!(!c.is_closed(), "control floating opens at once");
    c.update(t(36), None, mv(14_000), None, false);
    assert!(!c.is_closed(), "unwired control = floating");
}

#[test]
fn cyrix_ct_doubles_thresholds_at_24_v_and_start_assist_lasts_30_s() {
    let mut c = CyrixLiCt::new(CyrixCtParams::default(), SystemVoltage::V24);
    c.update(t(0), HIGH, mv(26_700), None, false);
    assert!(!c.is_closed());
    c.update(t(1), HIGH, mv(26_800), None, false);
    assert!(c.is_closed());

    let mut c = CyrixLiCt::new(CyrixCtParams::default(), SystemVoltage::V12);
    c.update(t(0), HIGH, mv(12_800), Some(mv(12_000)), true);
    assert!(c.is_closed());
    assert_eq!(c.next_deadline(), Some(t(30)));
    c.update(t(29), HIGH, mv(12_800), Some(mv(12_000)), false);
    assert!(c.is_closed());
    c.update(t(30), HIGH, mv(12_800), Some(mv(12_000)), false);
    assert!(!c.is_closed());
}

// ---- Cyrix-Li-Charge ------------------------------------------------------------------------------------------

fn charge() -> CyrixLiCharge {
    CyrixLiCharge::new(CyrixChargeParams::default(), SystemVoltage::V12)
}

#[test]
fn cyrix_charge_engages_3_s_after_charge_voltage_and_control() {
    let mut c = charge();
    c.update(t(0), HIGH, mv(13_000), mv(13_600));
    assert!(!c.is_closed());
    assert!(matches!(
        c.reason(),
        CyrixChargeReason::NoChargeVoltage { .. }
    ));
    c.update(t(1), HIGH, mv(13_000), mv(14_200));
    assert_eq!(c.next_deadline(), Some(t(4)));
    c.update(t(3), HIGH, mv(13_000), mv(14_200));
    assert!(!c.is_closed());
    c.update(t(4), HIGH, mv(13_000), mv(14_200));
    assert!(c.is_closed());
    c.update(t(5), HIGH, mv(13_600), mv(13_600));
    assert!(
        c.is_closed(),
        "engaged: the charger side now equals the battery"
    );
    c.update(t(6), FLOAT, mv(13_600), mv(13_600));
    assert!(!c.is_closed(), "control floating: open at once");
}

#[test]
fn cyrix_charge_alternative_13_0_v_level_and_2_v_battery_minimum() {
    let p = CyrixChargeParams {
        engage_at: mv(13_000),
        ..CyrixChargeParams::default()
    };
    let mut c = CyrixLiCharge::new(p, SystemVoltage::V12);
    c.update(t(0), HIGH, mv(12_800), mv(13_100));
    c.update(t(3), HIGH, mv(12_800), mv(13_100));
    assert!(c.is_closed());

    let mut c = charge();
    c.update(t(0), HIGH, mv(1_900), mv(14_200));
    c.update(t(3), HIGH, mv(1_900), mv(14_200));
    assert!(!c.is_closed());
    assert!(matches!(
        c.reason(),
        CyrixChargeReason::BatteryMissing { .. }
    ));
}

#[test]
fn cyrix_charge_retry_delay_becomes_10_min_after_two_attempts() {
    let mut c = charge();
    let (bat, chg) = (mv(13_400), mv(14_200));
    c.update(t(0), HIGH, bat, chg);
    c.update(t(3), HIGH, bat, chg);
    assert!(c.is_closed());
    let mut now = 3;
    for attempt in 1..=2u8 {
        now += 5;
        c.update(t(now), FLOAT, bat, chg);
        now += 1;
        c.update(t(now), HIGH, bat, chg);
        assert_eq!(
            c.next_deadline(),
            Some(t(now + 3)),
            "attempt {attempt}: 3 s"
        );
        now += 3;
        c.update(t(now), HIGH, bat, chg);
        assert!(c.is_closed());
        assert_eq!(c.attempts(), attempt);
    }
    now += 5;
    c.update(t(now), FLOAT, bat, chg);
    now += 1;
    c.update(t(now), HIGH, bat, chg);
    assert_eq!(
        c.next_deadline(),
        Some(t(now + 600)),
        "third retry waits 10 min"
    );
    c.update(t(now + 599), HIGH, bat, chg);
    assert!(!c.is_closed());
    c.update(t(now + 600), HIGH, bat, chg);
    assert!(c.is_closed());
}

#[test]
fn cyrix_charge_checks_for_the_charger_after_1_h_below_13_5_v() {
    let mut c = charge();
    c.update(t(0), HIGH, mv(13_300), mv(14_200));
    c.update(t(3), HIGH, mv(13_300), mv(14_200));
    assert!(c.is_closed());
    c.update(t(4), HIGH, mv(13_300), mv(13_300));
    assert_eq!(c.next_deadline(), Some(t(3604)));
    c.update(t(3604), HIGH, mv(13_300), mv(13_300));
    assert!(!c.is_closed());
    assert!(matches!(c.reason(), CyrixChargeReason::ChargerCheck { .. }));
    // Charger still there: re-engages 3 s later.
    c.update(t(3605), HIGH, mv(13_300), mv(14_200));
    c.update(t(3608), HIGH, mv(13_300), mv(14_200));
    assert!(c.is_closed());
}

#[test]
fn cyrix_voltage_classes() {
    assert!(CyrixVoltageClass::V12_24.supports(SystemVoltage::V24));
    assert!(!CyrixVoltageClass::V12_24.supports(SystemVoltage::V48));
    assert!(CyrixVoltageClass::V24_48.supports(SystemVoltage::V48));
    assert!(!CyrixVoltageClass::V24_48.supports(SystemVoltage::V12));
}

// ---- Remote inputs and cables ---------------------------------------------------------------------------------

#[test]
fn active_high_remote_input_with_hysteresis() {
    let i = RemoteInput::default();
    assert!(!i.response(Level::Floating, true));
    assert!(i.response(Level::Driven(mv(2_901)), false));
    assert!(!i.response(Level::Driven(mv(2_900)), false));
    assert!(
        i.response(Level::Driven(mv(2_500)), true),
        "between 2.0 and 2.9 V: keeps state"
    );
    assert!(!i.response(Level::Driven(mv(1_900)), true));
}

#[test]
fn each_logic_needs_exactly_the_cable_it_names() {
    let bms_high = Level::Driven(mv(13_100));
    let switches_right = |logic: RemoteLogic, cable: Option<CableKind>| {
        let i = RemoteInput::new(logic);
        i.response(through(cable, bms_high), false)
            && !i.response(through(cable, Level::Floating), true)
    };
    for logic in [
        RemoteLogic::ActiveHigh,
        RemoteLogic::OnWhenOpen,
        RemoteLogic::OnWhenPulledLow,
        RemoteLogic::VeDirectRx,
    ] {
        assert!(
            switches_right(logic, logic.cable()),
            "{logic:?} with {:?}",
            logic.cable()
        );
    }
    // Directly wired, the pull-down logics cannot be switched by the BMS.
    assert!(!switches_right(RemoteLogic::OnWhenOpen, None));
    assert!(!switches_right(RemoteLogic::OnWhenPulledLow, None));
    // A pull-down cable on a plain H input never turns it on.
    assert!(!switches_right(
        RemoteLogic::ActiveHigh,
        Some(CableKind::NonInverting)
    ));
    assert!(!switches_right(
        RemoteLogic::ActiveHigh,
        Some(CableKind::Inverting)
    ));
}

#[test]
fn cable_transfer_functions() {
    let hi = Level::Driven(mv(13_100));
    assert_eq!(CableKind::NonInverting.transfer(hi), Level::Floating);
    assert_eq!(
        CableKind::NonInverting.transfer(Level::Floating),
        Level::Driven(mv(0))
    );
    assert_eq!(CableKind::Inverting.transfer(hi), Level::Driven(mv(0)));
    assert_eq!(
        CableKind::Inverting.transfer(Level::Floating),
        Level::Floating
    );
    assert!(CableKind::VeDirectNonInverting.transfer(hi).is_high());
    assert!(
        !CableKind::VeDirectNonInverting
            .transfer(Level::Driven(mv(5_900)))
            .is_high(),
        "≈6 V needed"
    );
    assert!(!CableKind::VeDirectNonInverting
        .transfer(Level::Floating)
        .is_high());
    assert!(!CableKind::Inverting.confirmed());
    assert_eq!(CableKind::NonInverting.part_number(), "ASS030550220");
    assert_eq!(CableKind::Inverting.part_number(), "ASS030550120");
    assert_eq!(
        CableKind::VeDirectNonInverting.part_number(),
        "ASS030550320"
    );
    assert_eq!(through(None, hi), hi);
}

fn inverter(watts: u32) -> RemoteDeviceParams {
    RemoteDeviceParams {
        device: RemoteDeviceType::Inverter,
        input: RemoteInput::default(),
        power: PowerRole::Load {
            draw: Draw::Power { watts },
        },
        standby: Microamps(0),
    }
}

#[test]
fn remote_device_follows_its_input_and_draws_power() {
    let mut d = RemoteDevice::new(inverter(300));
    d.update(t(0), HIGH);
    assert!(d.is_on());
    assert_eq!(d.bank_current(mv(12_000)), Milliamps(-25_000));
    assert!(d.to_string().contains("on: remote input at 13.10 V"));
    d.update(t(1), FLOAT);
    assert!(!d.is_on());
    assert_eq!(d.bank_current(mv(12_000)), Milliamps(0));
    assert_eq!(d.since(), t(1));
    d.update(t(2), None);
    assert!(d.is_on(), "no BMS wire: factory bridge");
    assert_eq!(d.next_deadline(), None);
}

#[test]
fn charger_output_tapers_near_its_charge_voltage() {
    let c = ChargeOutput::lithium_ng_12v(Milliamps(30_000));
    assert_eq!(c.current_at(mv(13_000)), Milliamps(30_000));
    assert_eq!(c.current_at(mv(14_100)), Milliamps(15_000));
    assert_eq!(c.current_at(mv(14_200)), Milliamps(0));
    assert_eq!(c.current_at(mv(15_000)), Milliamps(0));
    let d = RemoteDevice::new(RemoteDeviceParams {
        device: RemoteDeviceType::Charger,
        input: RemoteInput::default(),
        power: PowerRole::Charger { output: c },
        standby: Microamps(0),
    });
    assert_eq!(d.source_voltage(), None, "off: no voltage on its output");
}

#[test]
fn draw_handles_nonsense_values() {
    assert_eq!(
        Draw::Power { watts: u32::MAX }.current_at(mv(12_000)).0,
        i32::MAX
    );
    assert_eq!(Draw::Power { watts: 100 }.current_at(mv(0)), Milliamps(0));
    assert_eq!(
        Draw::Current {
            current: Milliamps(-5)
        }
        .current_at(mv(12_000)),
        Milliamps(0)
    );
    assert_eq!(Microamps(1_499).to_milliamps(), Milliamps(1));
    assert_eq!(Microamps(1_500).to_milliamps(), Milliamps(2));
    assert_eq!(Microamps(1200).to_string(), "1.2 mA");
}

// ---- Coils and indicators -------------------------------------------------------------------------------------

#[test]
fn relay_pulls_in_and_drops_out() {
    let mut r = Relay::new(RelayParams::relay(Milliamps(150)), SystemVoltage::V12);
    r.update(t(0), HIGH);
    assert!(r.is_energised() && r.is_closed());
    r.update(t(1), Some(Level::Driven(mv(5_000))));
    assert!(r.is_energised(), "between drop-out and pull-in: holds");
    r.update(t(2), FLOAT);
    assert!(!r.is_energised() && !r.is_closed());
    let mut nc = Relay::new(
        RelayParams {
            contacts: Contacts::NormallyClosed,
            ..RelayParams::relay(Milliamps(150))
        },
        SystemVoltage::V12,
    );
    nc.update(t(0), HIGH);
    assert!(!nc.is_closed());
}

#[test]
fn device_kind_properties() {
    let relay = DeviceKind::Relay(RelayParams::relay(Milliamps(150)));
    assert!(relay.is_inductive() && relay.is_switch());
    assert_eq!(relay.control_current(), Milliamps(150));
    let led = DeviceKind::Led(IndicatorParams {
        current: Milliamps(10),
        inductive: false,
    });
    assert!(!led.is_inductive());
    let inv = DeviceKind::Remote(inverter(300));
    assert_eq!(inv.control_current(), Milliamps(1));
    assert!(inv.is_inverter());
    assert_eq!(inv.direction(), Some(Direction::ToLoad));
    let bp = DeviceKind::BatteryProtect(BatteryProtectParams::default());
    assert!(bp.switch_allows(Direction::ToLoad) && !bp.switch_allows(Direction::ToBank));
    assert!(!bp.supports(SystemVoltage::V48));
    let cc = DeviceKind::CyrixLiCharge(CyrixChargeParams::default());
    assert!(!cc.switch_allows(Direction::ToLoad));
}

#[test]
fn device_sim_dispatches_to_each_machine() {
    let inputs = DeviceInputs {
        control: HIGH,
        bank_voltage: mv(13_200),
        other_side: Some(mv(14_200)),
        start_assist: false,
    };
    let kinds = [
        DeviceKind::BatteryProtect(BatteryProtectParams::default()),
        DeviceKind::CyrixLiCt(CyrixCtParams::default()),
        DeviceKind::CyrixLiCharge(CyrixChargeParams::default()),
        DeviceKind::Remote(inverter(100)),
        DeviceKind::DcLoad {
            draw: Draw::Current {
                current: Milliamps(2000),
            },
        },
        DeviceKind::Relay(RelayParams::relay(Milliamps(100))),
        DeviceKind::Buzzer(IndicatorParams {
            current: Milliamps(20),
            inductive: false,
        }),
        DeviceKind::VeBusMultiPlus {
            model: "MultiPlus-II".into(),
        },
    ];
    let active_after_5s = [true, true, true, true, true, true, true, false];
    for (kind, expect) in kinds.iter().zip(active_after_5s) {
        let mut sim = DeviceSim::new(kind, SystemVoltage::V12);
        for s in 0..=5 {
            sim.update(t(s), &inputs);
        }
        assert_eq!(sim.is_active(), expect, "{kind:?}: {sim}");
        assert!(!sim.to_string().is_empty());
    }
    let load = DeviceSim::new(&kinds[4], SystemVoltage::V12);
    assert_eq!(load.bank_current(mv(12_000)), Milliamps(-2000));
    assert!(!DeviceSim::new(&kinds[3], SystemVoltage::V12).conducts());
    assert_eq!(Millis::secs(30), BpTiming::default().li_ion_hold_off);
}
