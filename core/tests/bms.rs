//! smallBMS NG state machine: scenario tests of each datasheet behaviour.
use smallbms_core::bms::*;
use smallbms_core::devices::Microamps;
use smallbms_core::signal::Level;
use smallbms_core::units::{DeciCelsius, Milliamps, Millis, Millivolts, Permille, SimTime};

fn t(s: u64) -> SimTime {
    SimTime(s * 1000)
}

fn cell(mv: i32, battery: u16, cell: u16) -> CellReading {
    CellReading {
        voltage: Millivolts(mv),
        battery,
        cell,
    }
}

/// Lowest cell = cell 3 of battery 2 at `min`, highest = cell 1 of battery 1 at `max`.
fn with_cells(min: i32, max: i32) -> BmsInputs {
    BmsInputs {
        cells: Some(Extremes {
            min: cell(min, 1, 2),
            max: cell(max, 0, 0),
        }),
        ..BmsInputs::default()
    }
}

fn with_temps(min: i16, max: i16) -> BmsInputs {
    BmsInputs {
        temperatures: Some(Extremes {
            min: TempReading {
                temperature: DeciCelsius(min),
                battery: 0,
            },
            max: TempReading {
                temperature: DeciCelsius(max),
                battery: 1,
            },
        }),
        ..BmsInputs::default()
    }
}

fn with_soc(permille: u16) -> BmsInputs {
    BmsInputs {
        soc: Some(Permille(permille)),
        ..BmsInputs::default()
    }
}

fn bms() -> Bms {
    Bms::new(BmsSettings::default())
}

fn run(b: &mut Bms, at: SimTime, i: &BmsInputs) -> BmsOutputs {
    b.update(at, i);
    b.outputs().clone()
}

#[test]
fn healthy_bank_outputs_high_at_supply_minus_drop() {
    let mut b = bms();
    let o = run(&mut b, t(0), &BmsInputs::default());
    assert!(o.powered);
    assert_eq!(o.load.level, Level::Driven(Millivolts(13_100)));
    assert_eq!(o.charger.level, Level::Driven(Millivolts(13_100)));
    assert_eq!(o.pre_alarm.level, Level::Floating);
    assert_eq!(o.load.off, None);
    assert_eq!(o.error, None);
    assert_eq!(o.own_consumption, Microamps(3000));
    assert_eq!(o.red_led.pattern, LedPattern::Off);
    assert!(o.blue_led.assumed && o.red_led.assumed);
    assert_eq!(o.remote, Some(RemoteMode::Bridged));
    assert_eq!(b.next_deadline(), None);
    assert_eq!(o.alerts.worst(), AlarmLevel::Ok);
}

#[test]
fn new_bms_floats_everything_until_updated() {
    let b = bms();
    assert!(!b.outputs().powered);
    assert_eq!(b.outputs().load.level, Level::Floating);
}

#[test]
fn pre_alarm_below_3_10_v_with_release_hysteresis() {
    let mut b = bms();
    let o = run(&mut b, t(0), &with_cells(3090, 3300));
    assert!(o.pre_alarm.level.is_high());
    assert!(o.load.level.is_high());
    assert_eq!(o.alerts.low_cell_voltage, AlarmLevel::Warning);
    assert_eq!(o.red_led.pattern, LedPattern::code(1));
    let text = o.pre_alarm.to_string();
    assert!(text.contains("cell 3 of battery 2 is at 3.09 V"), "{text}");
    // Above 3.10 but below the 3.15 V release: still high.
    assert!(run(&mut b, t(5), &with_cells(3120, 3300))
        .pre_alarm
        .level
        .is_high());
    let o = run(&mut b, t(6), &with_cells(3150, 3300));
    assert_eq!(o.pre_alarm.level, Level::Floating);
    assert_eq!(o.pre_alarm.since, t(6));
}

#[test]
fn cell_dropping_straight_below_2_80_v_floats_load_30_s_after_pre_alarm() {
    let mut b = bms();
    run(&mut b, t(100), &BmsInputs::default());
    let low = with_cells(2750, 3300);
    let o = run(&mut b, t(200), &low);
    assert!(o.pre_alarm.level.is_high(), "pre-alarm rises at once");
    assert!(o.load.level.is_high(), "load waits for the lead");
    assert_eq!(o.alerts.low_cell_voltage, AlarmLevel::Alarm);
    assert_eq!(b.next_deadline(), Some(t(230)));

    let o = run(&mut b, SimTime(229_999), &low);
    assert!(o.load.level.is_high());
    let o = run(&mut b, t(230), &low);
    assert_eq!(o.load.level, Level::Floating);
    assert!(
        o.charger.level.is_high(),
        "charger unaffected by under-voltage"
    );
    assert_eq!(o.load.since, t(230));
    match o.load.off {
        Some(LoadOff::CellUnderVoltage {
            trip,
            pre_alarm_since,
        }) => {
            assert_eq!(
                (trip.battery, trip.cell, trip.voltage),
                (1, 2, Millivolts(2750))
            );
            assert_eq!(pre_alarm_since, t(200));
            assert_eq!(trip.at, t(230));
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = o.load.to_string();
    assert!(
        text.contains("cell 3 of battery 2 stayed below 2.80 V"),
        "{text}"
    );
    assert!(text.contains("pre-alarm had been high for 30 s"), "{text}");
    assert!(text.contains("3.20 V"), "{text}");
    assert_eq!(b.next_deadline(), None);
    assert_eq!(
        o.own_consumption,
        Microamps(1200),
        "datasheet: 1.2 mA after low cell voltage"
    );
    assert_eq!(o.red_led.pattern, LedPattern::code(3));
}

#[test]
fn long_pre_alarm_lets_under_voltage_float_load_at_once() {
    let mut b = bms();
    run(&mut b, t(0), &with_cells(3050, 3300));
    run(&mut b, t(60), &with_cells(2950, 3300));
    let o = run(&mut b, t(61), &with_cells(2790, 3300));
    assert_eq!(o.load.level, Level::Floating);
}

#[test]
fn brief_dip_below_under_voltage_that_recovers_before_the_lead_does_not_trip() {
    let mut b = bms();
    run(&mut b, t(0), &with_cells(2790, 3300));
    let o = run(&mut b, t(30), &with_cells(2850, 3300));
    assert!(o.load.level.is_high());
    assert!(o.pre_alarm.level.is_high());
}

#[test]
fn under_voltage_latch_needs_every_cell_at_3_20_v() {
    let mut b = bms();
    run(&mut b, t(0), &with_cells(2700, 3300));
    assert_eq!(
        run(&mut b, t(30), &with_cells(2700, 3300)).load.level,
        Level::Floating
    );
    // Relaxed above the trip and the pre-alarm levels, but not all cells at 3.20 V.
    let o = run(&mut b, t(100), &with_cells(3190, 3300));
    assert_eq!(o.load.level, Level::Floating);
    assert!(o.pre_alarm.level.is_high(), "pre-alarm stays while latched");
    assert_eq!(o.pre_alarm.cause, Some(PreAlarmOn::UnderVoltageShutdown));
    let o = run(&mut b, t(101), &with_cells(3200, 3300));
    assert!(o.load.level.is_high());
    assert_eq!(o.pre_alarm.level, Level::Floating);
    assert_eq!(o.own_consumption, Microamps(3000));
}

#[test]
fn discharge_floor_warning_band_then_immediate_load_off() {
    let mut b = bms();
    let o = run(&mut b, t(0), &with_soc(150));
    assert!(
        o.pre_alarm.level.is_high(),
        "15 % is inside the 10 % + 5 % band"
    );
    assert_eq!(o.alerts.low_soc, AlarmLevel::Warning);
    assert!(matches!(o.pre_alarm.cause, Some(PreAlarmOn::LowSoc { .. })));
    assert!(o.load.level.is_high());

    let o = run(&mut b, t(1), &with_soc(100));
    assert_eq!(
        o.load.level,
        Level::Floating,
        "floor reached: load off immediately"
    );
    assert_eq!(o.alerts.low_soc, AlarmLevel::Alarm);
    assert!(matches!(o.load.off, Some(LoadOff::DischargeFloor { .. })));
    assert!(
        o.load.to_string().contains("10.0 % discharge floor"),
        "{}",
        o.load
    );
    // Charging back into the band is not enough; above it is.
    assert_eq!(
        run(&mut b, t(2), &with_soc(140)).load.level,
        Level::Floating
    );
    let o = run(&mut b, t(3), &with_soc(151));
    assert!(o.load.level.is_high());
    assert_eq!(o.alerts.low_soc, AlarmLevel::Ok);
    assert_eq!(o.pre_alarm.level, Level::Floating);
}

#[test]
fn discharge_floor_zero_disables_it_and_unknown_soc_is_ignored() {
    let settings = BmsSettings {
        discharge_floor: Permille(0),
        ..BmsSettings::default()
    };
    let mut b = Bms::new(settings);
    let o = run(&mut b, t(0), &with_soc(0));
    assert!(o.load.level.is_high());
    assert_eq!(o.pre_alarm.level, Level::Floating);

    let mut b = bms();
    let unknown = BmsInputs {
        soc: None,
        ..BmsInputs::default()
    };
    assert!(run(&mut b, t(0), &unknown).load.level.is_high());
}

#[test]
fn cell_over_voltage_floats_charger_until_below_recovery() {
    let mut b = bms();
    let o = run(&mut b, t(0), &with_cells(3400, 3650));
    assert_eq!(o.charger.level, Level::Floating);
    assert!(o.load.level.is_high());
    assert_eq!(o.alerts.high_cell_voltage, AlarmLevel::Alarm);
    assert!(
        o.charger
            .to_string()
            .contains("cell 1 of battery 1 reached 3.65 V"),
        "{}",
        o.charger
    );
    assert_eq!(
        run(&mut b, t(10), &with_cells(3400, 3550)).charger.level,
        Level::Floating
    );
    assert!(run(&mut b, t(20), &with_cells(3400, 3499))
        .charger
        .level
        .is_high());
}

#[test]
fn temperature_windows() {
    let mut b = bms();
    let o = run(&mut b, t(0), &with_temps(49, 200));
    assert_eq!(o.charger.level, Level::Floating, "below +5 °C: no charging");
    assert!(o.load.level.is_high());
    assert_eq!(o.alerts.low_temperature, AlarmLevel::Alarm);
    assert!(o
        .charger
        .to_string()
        .contains("battery 1 is at 4.9 °C, below the charging window"));
    // Release needs the 2 °C margin.
    assert_eq!(
        run(&mut b, t(1), &with_temps(69, 200)).charger.level,
        Level::Floating
    );
    assert!(run(&mut b, t(2), &with_temps(70, 200))
        .charger
        .level
        .is_high());

    let o = run(&mut b, t(3), &with_temps(-201, 0));
    assert_eq!(
        o.load.level,
        Level::Floating,
        "below −20 °C: no discharging"
    );
    assert_eq!(o.charger.level, Level::Floating);
    assert!(matches!(o.load.off, Some(LoadOff::Temperature(_))));

    let mut b = bms();
    let o = run(&mut b, t(0), &with_temps(200, 501));
    assert_eq!(o.load.level, Level::Floating);
    assert_eq!(o.charger.level, Level::Floating);
    assert_eq!(o.alerts.high_temperature, AlarmLevel::Alarm);
}

#[test]
fn remote_off_floats_load_and_charger_at_once() {
    let mut b = bms();
    run(&mut b, t(0), &with_cells(3050, 3300));
    let off = BmsInputs {
        remote: RemoteTerminals::OPEN,
        ..with_cells(3050, 3300)
    };
    let o = run(&mut b, t(1), &off);
    assert_eq!(o.load.level, Level::Floating);
    assert_eq!(o.charger.level, Level::Floating);
    assert_eq!(o.load.off, Some(LoadOff::System(SystemOff::RemoteOff)));
    assert!(
        o.pre_alarm.level.is_high(),
        "pre-alarm is not governed by the remote input"
    );
    assert_eq!(o.own_consumption, Microamps(1200));
    assert_eq!(o.remote, None);
}

#[test]
fn remote_modes_follow_the_datasheet_voltages() {
    let supply = Millivolts(13_200);
    let on = |r: RemoteTerminals| r.mode(supply).is_some();
    assert!(on(RemoteTerminals::BRIDGED));
    assert!(on(RemoteTerminals::L_TO_MINUS));
    assert!(!on(RemoteTerminals::OPEN));
    let l = |mv| RemoteTerminals {
        l_h_bridged: false,
        l: Level::Driven(Millivolts(mv)),
        h: Level::Floating,
    };
    assert!(on(l(3499)));
    assert!(!on(l(3500)));
    assert!(!on(RemoteTerminals::h_driven(Millivolts(2900))));
    assert!(on(RemoteTerminals::h_driven(Millivolts(2901))));
    assert!(
        on(RemoteTerminals::h_driven(supply)),
        "H tied to battery plus"
    );
    assert!(!on(RemoteTerminals::h_driven(Millivolts(13_201))));
}

#[test]
fn bms_cable_break_floats_both_and_raises_error_32() {
    let mut b = bms();
    run(&mut b, t(0), &with_cells(3050, 3300));
    let broken = BmsInputs {
        bms_cable_ok: false,
        ..with_cells(3050, 3300)
    };
    let o = run(&mut b, t(1), &broken);
    assert_eq!(o.load.level, Level::Floating);
    assert_eq!(o.charger.level, Level::Floating);
    assert_eq!(
        o.pre_alarm.level,
        Level::Floating,
        "no battery data to pre-alarm on"
    );
    assert_eq!(o.alerts.bms_cable, AlarmLevel::Alarm);
    assert_eq!(o.error, Some(BmsError::BmsCable));
    assert_eq!(o.error.map(BmsError::number), Some(32));
    assert_eq!(o.red_led.pattern, LedPattern::code(2));
    assert!(o.load.to_string().contains("error #32"));
    assert!(run(&mut b, t(2), &BmsInputs::default())
        .load
        .level
        .is_high());
}

#[test]
fn no_battery_data_is_error_2() {
    let mut b = bms();
    let none = BmsInputs {
        cells: None,
        ..BmsInputs::default()
    };
    let o = run(&mut b, t(0), &none);
    assert_eq!(o.error, Some(BmsError::NoBatteries));
    assert!(!BmsError::NoBatteries.confirmed());
    assert_eq!(o.load.level, Level::Floating);
}

#[test]
fn supply_below_8_v_is_unpowered_and_forgets_everything_but_the_under_voltage_latch() {
    let mut b = bms();
    run(&mut b, t(0), &with_cells(2700, 3300));
    run(&mut b, t(30), &with_cells(2700, 3300));
    let low = BmsInputs {
        supply: Millivolts(7999),
        ..with_cells(2700, 3300)
    };
    let o = run(&mut b, t(40), &low);
    assert!(!o.powered);
    assert_eq!(o.load.level, Level::Floating);
    assert_eq!(o.pre_alarm.level, Level::Floating);
    assert_eq!(o.own_consumption, Microamps(0));
    assert_eq!(o.blue_led.pattern, LedPattern::Off);
    assert_eq!(o.red_led.pattern, LedPattern::Off);
    assert!(o.load.to_string().contains("below its 8.00 V minimum"));
    // Powered again, the latch still holds until every cell is back at 3.20 V (issue 14.7).
    assert!(!run(&mut b, t(50), &with_cells(3000, 3300))
        .load
        .level
        .is_high());
    assert!(run(&mut b, t(60), &with_cells(3200, 3300))
        .load
        .level
        .is_high());
}

#[test]
fn overload_flags_only_high_outputs_above_their_limit() {
    let mut b = bms();
    let i = BmsInputs {
        demand: OutputCurrents {
            load: Milliamps(1000),
            charger: Milliamps(501),
            pre_alarm: Milliamps(600),
        },
        ..BmsInputs::default()
    };
    let o = run(&mut b, t(0), &i);
    assert!(!o.alerts.overload.load, "1 A is the limit, not over it");
    assert!(o.alerts.overload.charger);
    assert!(
        !o.alerts.overload.pre_alarm,
        "pre-alarm floats: sources nothing"
    );
    assert_eq!(o.red_led.pattern, LedPattern::code(1));
    assert_eq!(o.sourced(&i.demand).pre_alarm, Milliamps(0));
    assert_eq!(o.sourced(&i.demand).load, Milliamps(1000));
    assert_eq!(o.supply_current(&i.demand), Microamps(3000 + 1_501_000));
}

#[test]
fn bluetooth_connection_lights_blue_steadily() {
    let mut b = bms();
    let i = BmsInputs {
        bluetooth_connected: true,
        ..BmsInputs::default()
    };
    assert_eq!(run(&mut b, t(0), &i).blue_led.pattern, LedPattern::On);
}

#[test]
fn led_patterns_light_at_the_right_phase() {
    let p = LedPattern::code(2);
    assert!(p.is_lit(SimTime(0)));
    assert!(!p.is_lit(SimTime(250)));
    assert!(p.is_lit(SimTime(500)));
    assert!(!p.is_lit(SimTime(1000)));
    assert!(p.is_lit(SimTime(4100)));
    assert!(!LedPattern::Off.is_lit(SimTime(0)));
}

#[test]
fn time_going_backwards_is_harmless() {
    let mut b = bms();
    run(&mut b, t(100), &with_cells(2700, 3300));
    run(&mut b, t(50), &with_cells(2700, 3300));
    assert!(b.outputs().load.level.is_high());
}

#[test]
fn parameter_table_matches_settings() {
    let d = BmsSettings::default();
    let json = serde_json::to_value(&d).unwrap();
    let obj = json.as_object().unwrap();
    assert_eq!(
        obj.len(),
        BMS_PARAMETERS.len(),
        "every field is in the table"
    );
    for p in BMS_PARAMETERS {
        let v = obj.get(p.key).and_then(|v| v.as_i64());
        assert_eq!(v, Some(p.default_value()), "{}", p.key);
        assert!(p.in_range(p.default_value()), "{} default in range", p.key);
    }
    let assumed: Vec<_> = BMS_PARAMETERS
        .iter()
        .filter(|p| p.assumed)
        .map(|p| p.key)
        .collect();
    assert!(assumed.contains(&"pre_alarm_cell"));
    assert!(!assumed.contains(&"charger_limit"));
    assert_eq!(
        BmsSettings::parameter("charger_limit").map(|p| p.default_value()),
        Some(500)
    );
}

#[test]
fn parameter_set_clamps_and_serde_fills_missing_fields() {
    let mut s = BmsSettings::default();
    let p = BmsSettings::parameter("pre_alarm_lead").unwrap();
    assert_eq!(p.set(&mut s, 5_000), 30_000, "datasheet: at least 30 s");
    assert_eq!(s.pre_alarm_lead, Millis::secs(30));
    let s: BmsSettings = serde_json::from_str(r#"{"under_voltage_cell": 2700}"#).unwrap();
    assert_eq!(s.under_voltage_cell, Millivolts(2700));
    assert_eq!(s.over_voltage_cell, Millivolts(3650));
    let wild = BmsSettings {
        pre_alarm_lead: Millis(0),
        ..BmsSettings::default()
    };
    assert_eq!(Bms::new(wild).settings().pre_alarm_lead, MIN_PRE_ALARM_LEAD);
}

#[test]
fn extremes_pick_lowest_and_highest() {
    let e = Extremes::of_cells([cell(3300, 0, 0), cell(3100, 1, 3), cell(3400, 2, 1)]).unwrap();
    assert_eq!((e.min.battery, e.min.cell), (1, 3));
    assert_eq!((e.max.battery, e.max.cell), (2, 1));
    assert_eq!(Extremes::of_cells([]), None);
}

#[test]
fn param_units_format_for_display() {
    assert_eq!(ParamUnit::Millivolts.format(3100), "3.1 V");
    assert_eq!(ParamUnit::DeciCelsius.format(-200), "-20 °C");
    assert_eq!(ParamUnit::Permille.format(105), "10.5 %");
    assert_eq!(ParamUnit::Millis.format(30_000), "30 s");
    assert_eq!(ParamUnit::Microamps.format(1200), "1.2 mA");
    assert_eq!(ParamUnit::Milliamps.format(500), "0.5 A");
}

#[test]
fn deadline_is_never_in_the_past_after_a_settings_change() {
    let mut b = bms();
    let low = with_cells(2750, 3300);
    run(&mut b, t(0), &low);
    b.set_settings(BmsSettings {
        pre_alarm_lead: Millis::secs(120),
        ..BmsSettings::default()
    });
    assert!(run(&mut b, t(100), &low).load.level.is_high());
    assert_eq!(b.next_deadline(), Some(t(120)));
    b.set_settings(BmsSettings::default());
    assert_eq!(
        b.next_deadline(),
        Some(SimTime(100_001)),
        "lead already over: due right away"
    );
    assert_eq!(
        run(&mut b, SimTime(100_001), &low).load.level,
        Level::Floating
    );
}
