//! Properties of the smallBMS NG state machine over random input sequences.
#![cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use smallbms_core::bms::*;
use smallbms_core::signal::Level;
use smallbms_core::units::{DeciCelsius, Millis, Millivolts, Permille, SimTime};

#[derive(Clone, Debug)]
struct Step {
    dt_ms: u64,
    min_cell: i32,
    spread: i32,
    supply: i32,
    remote_on: bool,
    cable_ok: bool,
    soc: Option<u16>,
    temp: i16,
}

fn step() -> impl Strategy<Value = Step> {
    (
        prop_oneof![0u64..2_000, 2_000u64..40_000, 40_000u64..200_000],
        prop_oneof![2_500i32..2_900, 2_900i32..3_250, 3_250i32..3_700],
        0i32..400,
        prop_oneof![1 => 6_000i32..8_000, 12 => 10_000i32..15_000],
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.9),
        prop::option::weighted(0.8, 0u16..400),
        -250i16..560,
    )
        .prop_map(
            |(dt_ms, min_cell, spread, supply, remote_on, cable_ok, soc, temp)| Step {
                dt_ms,
                min_cell,
                spread,
                supply,
                remote_on,
                cable_ok,
                soc,
                temp,
            },
        )
}

fn inputs(s: &Step) -> BmsInputs {
    let cell = |mv, c| CellReading {
        voltage: Millivolts(mv),
        battery: 0,
        cell: c,
    };
    let temp = TempReading {
        temperature: DeciCelsius(s.temp),
        battery: 0,
    };
    BmsInputs {
        supply: Millivolts(s.supply),
        cells: Some(Extremes {
            min: cell(s.min_cell, 0),
            max: cell(s.min_cell + s.spread, 1),
        }),
        temperatures: Some(Extremes {
            min: temp,
            max: temp,
        }),
        soc: s.soc.map(Permille),
        remote: if s.remote_on {
            RemoteTerminals::BRIDGED
        } else {
            RemoteTerminals::OPEN
        },
        bms_cable_ok: s.cable_ok,
        ..BmsInputs::default()
    }
}

/// Runs the steps, calling `check(previous outputs, inputs, outputs, now)` after each; honours deadlines by
/// inserting an update at every deadline that falls inside a step (as the engine must).
fn run(steps: &[Step], mut check: impl FnMut(&BmsOutputs, &BmsInputs, &BmsOutputs, SimTime)) {
    let settings = BmsSettings::default();
    let mut bms = Bms::new(settings);
    let mut now = SimTime::ZERO;
    let mut current = inputs(&steps[0]);
    for s in steps {
        let target = now.after(Millis(s.dt_ms));
        while let Some(d) = bms.next_deadline().filter(|&d| d < target) {
            assert!(
                d > now || now == SimTime::ZERO,
                "deadline {d:?} not after {now:?}"
            );
            let prev = bms.outputs().clone();
            bms.update(d, &current);
            check(&prev, &current, bms.outputs(), d);
            now = d;
        }
        now = target;
        current = inputs(s);
        let prev = bms.outputs().clone();
        bms.update(now, &current);
        check(&prev, &current, bms.outputs(), now);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Datasheet: the pre-alarm activates at least 30 s before LOAD switches off for cell under-voltage.
    #[test]
    fn pre_alarm_leads_load_by_at_least_30_s(steps in prop::collection::vec(step(), 1..60)) {
        run(&steps, |prev, _, o, now| {
            if let Some(LoadOff::CellUnderVoltage { trip, pre_alarm_since }) = o.load.off {
                if trip.at == now {
                    assert!(now.since(pre_alarm_since) >= Millis::secs(30));
                    assert!(prev.pre_alarm.level.is_high(), "pre-alarm was already high before the trip");
                    assert!(o.pre_alarm.level.is_high());
                    assert!(o.pre_alarm.since <= pre_alarm_since);
                    assert!(now.since(o.pre_alarm.since) >= Millis::secs(30));
                }
            }
        });
    }

    /// Datasheet: remote OFF ⇒ both LOAD and CHARGER float, at that very update.
    #[test]
    fn remote_off_floats_both_at_once(steps in prop::collection::vec(step(), 1..40)) {
        run(&steps, |_, i, o, _| {
            if i.remote.mode(i.supply).is_none() {
                assert_eq!(o.load.level, Level::Floating);
                assert_eq!(o.charger.level, Level::Floating);
            }
        });
    }

    /// A broken BMS-cable chain floats both outputs and raises the BMS-cable alarm (when powered).
    #[test]
    fn cable_fault_floats_both(steps in prop::collection::vec(step(), 1..40)) {
        run(&steps, |_, i, o, _| {
            if !i.bms_cable_ok {
                assert_eq!(o.load.level, Level::Floating);
                assert_eq!(o.charger.level, Level::Floating);
                if o.powered {
                    assert_eq!(o.alerts.bms_cable, AlarmLevel::Alarm);
                    assert_eq!(o.error.map(BmsError::number), Some(32));
                }
            }
        });
    }

    /// CHARGER is never high while any cell is at or above the over-voltage level.
    #[test]
    fn charger_never_high_with_a_cell_over_voltage(steps in prop::collection::vec(step(), 1..60)) {
        run(&steps, |_, i, o, _| {
            let max = i.cells.map(|c| c.max.voltage);
            if max.is_some_and(|v| v >= Millivolts(3650)) {
                assert_eq!(o.charger.level, Level::Floating);
            }
        });
    }

    /// After an under-voltage shutdown LOAD stays off until every cell is at least 3.20 V (or the BMS loses power).
    #[test]
    fn recovery_needs_all_cells_at_3_20_v(steps in prop::collection::vec(step(), 1..60)) {
        let mut latched = false;
        run(&steps, |_, i, o, _| {
            let min = i.cells.map(|c| c.min.voltage);
            let recovered = i.bms_cable_ok && min.is_some_and(|v| v >= Millivolts(3200));
            if !o.powered || recovered {
                latched = false;
            }
            if latched {
                assert_eq!(o.load.level, Level::Floating);
            }
            if matches!(o.load.off, Some(LoadOff::CellUnderVoltage { .. })) {
                latched = true;
            }
        });
    }

    /// An unpowered BMS drives nothing and consumes nothing; a powered one consumes 3 or 1.2 mA.
    #[test]
    fn consumption_matches_the_datasheet_states(steps in prop::collection::vec(step(), 1..40)) {
        run(&steps, |_, i, o, _| {
            let ua = o.own_consumption.0;
            if i.supply < Millivolts(8000) {
                assert_eq!(ua, 0);
                assert!(!o.load.level.is_high() && !o.charger.level.is_high() && !o.pre_alarm.level.is_high());
            } else if i.remote.mode(i.supply).is_none() {
                assert_eq!(ua, 1200);
            } else {
                assert!(ua == 3000 || ua == 1200);
            }
        });
    }

    /// Any high output sits exactly 0.1 V below the supply.
    #[test]
    fn high_outputs_sit_at_supply_minus_0_1_v(steps in prop::collection::vec(step(), 1..30)) {
        run(&steps, |_, i, o, _| {
            for level in [o.load.level, o.charger.level, o.pre_alarm.level] {
                if let Level::Driven(v) = level {
                    assert_eq!(v.0, i.supply.0 - 100);
                }
            }
        });
    }
}
