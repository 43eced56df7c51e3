//! Structured: the bytes build a system — a bank of any catalogue model (or a custom one with bent figures), any
//! BMS settings, any remote wiring, devices from the palette with any control wire, cable and power path (switch
//! chains, loops and dangling indices included) — and a short scenario of any actions, then run the engine on
//! it. Nothing may panic, time must only move forward and stop at the end, and the state of charge stay in range.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use smallbms_core::battery::CellSpread;
use smallbms_core::bms::{BmsOutput, BmsSettings};
use smallbms_core::catalogue::{builtin_models, ModelRef};
use smallbms_core::devices::CableKind;
use smallbms_core::document::Document;
use smallbms_core::engine::Simulation;
use smallbms_core::scenario::{Action, Scenario, ScenarioEvent};
use smallbms_core::system::presets::PRESETS;
use smallbms_core::system::{Control, RemoteWiring};
use smallbms_core::units::{DeciCelsius, Milliamps, Millis, Permille, SimTime};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((doc, sc)) = system_and_scenario(&mut u) else {
        return;
    };
    run(&doc, &sc, &mut u);
});

/// Any integer field of `value` (a serialised struct) replaced, now and then, by a nearby or an absurd number.
fn bend(value: &mut Value, u: &mut Unstructured) -> Result<()> {
    match value {
        Value::Number(n) if u.ratio(1, 4)? => {
            let base = n.as_i64().unwrap_or(0);
            let new = match u.int_in_range(0..=3)? {
                0 => base.saturating_add(i64::from(u.int_in_range(-200i16..=200)?)),
                1 => base.saturating_mul(i64::from(u.int_in_range(0u8..=4)?)),
                2 => i64::from(u.arbitrary::<i32>()?),
                _ => 0,
            };
            *value = new.into();
        }
        Value::Object(m) => {
            for v in m.values_mut() {
                bend(v, u)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn system_and_scenario(u: &mut Unstructured) -> Result<(Document, Scenario)> {
    let mut doc = Document::default();
    let models = builtin_models();
    let model = u.choose(&models)?.clone();
    doc.bank.model = if u.ratio(1, 6)? {
        let mut v = serde_json::to_value(&model).unwrap_or(Value::Null);
        bend(&mut v, u)?;
        serde_json::from_value(v)
            .map(|m| ModelRef::Custom(Box::new(m)))
            .unwrap_or(ModelRef::Builtin(model.id.clone()))
    } else {
        ModelRef::Builtin(model.id.clone())
    };
    doc.bank.series = if u.ratio(1, 20)? {
        u.arbitrary()?
    } else {
        u.int_in_range(1..=4)?
    };
    doc.bank.parallel = if u.ratio(1, 20)? {
        u.arbitrary()?
    } else {
        u.int_in_range(1..=4)?
    };
    doc.bank.initial_soc = Permille(u.int_in_range(0..=1000)?);
    doc.bank.ambient = DeciCelsius(u.int_in_range(-300..=650)?);
    doc.bank.hysteresis = u.arbitrary()?;
    if u.ratio(1, 3)? {
        doc.bank.spread = CellSpread::Seeded {
            seed: u.arbitrary()?,
            capacity_pct: f64::from(u.int_in_range(0u8..=30)?) / 2.0,
            soc_pct: f64::from(u.int_in_range(0u8..=30)?) / 2.0,
        };
    }
    if u.ratio(1, 3)? {
        let mut v = serde_json::to_value(BmsSettings::default()).unwrap_or(Value::Null);
        bend(&mut v, u)?;
        doc.system.bms = serde_json::from_value(v).unwrap_or_default();
    }
    doc.system.remote = *u.choose(&[
        RemoteWiring::Bridged,
        RemoteWiring::SwitchLToH,
        RemoteWiring::SwitchHToPlus,
        RemoteWiring::SwitchLToMinus,
        RemoteWiring::Open,
    ])?;
    doc.system.supply_fuse = Milliamps(*u.choose(&[300, 500, 1000, 2500, 0, -1, 40_000])?);
    if u.ratio(1, 2)? {
        doc.system.devices.clear();
    }
    let n = u.int_in_range(0..=8)?;
    for _ in 0..n {
        let mut d = u.choose(PRESETS)?.build();
        if u.ratio(1, 3)? {
            d.control = if u.ratio(1, 4)? {
                None
            } else {
                Some(Control {
                    output: *u.choose(&BmsOutput::ALL)?,
                    cable: if u.arbitrary()? {
                        Some(*u.choose(&CableKind::ALL)?)
                    } else {
                        None
                    },
                })
            };
        }
        if u.ratio(1, 3)? {
            d.power_path.behind = if u.ratio(1, 8)? {
                Some(u.arbitrary()?)
            } else {
                Some(u.int_in_range(0..=10)?)
            };
        }
        doc.system.devices.push(d);
    }
    let duration_s = u.int_in_range(1..=2 * 86_400)?;
    let names: Vec<String> = doc.system.devices.iter().map(|d| d.name.clone()).collect();
    let mut events = Vec::new();
    for _ in 0..u.int_in_range(0..=10)? {
        events.push(ScenarioEvent {
            at_s: u.int_in_range(0..=duration_s)?,
            action: action(u, &names)?,
        });
    }
    events.sort_by_key(|e| e.at_s);
    let sc = Scenario {
        name: "fuzz".into(),
        description: String::new(),
        duration_s,
        initial_soc_percent: if u.arbitrary()? {
            Some(f64::from(u.int_in_range(0u8..=100)?))
        } else {
            None
        },
        initial_celsius: if u.arbitrary()? {
            Some(f64::from(u.int_in_range(-40i8..=70)?))
        } else {
            None
        },
        discharge_floor_percent: if u.arbitrary()? {
            Some(f64::from(u.int_in_range(0u8..=99)?))
        } else {
            None
        },
        events,
    };
    Ok((doc, sc))
}

fn action(u: &mut Unstructured, names: &[String]) -> Result<Action> {
    Ok(match u.int_in_range(0..=7)? {
        0 => Action::Demand {
            device: if names.is_empty() || u.ratio(1, 10)? {
                "nobody".into()
            } else {
                u.choose(names)?.clone()
            },
            amps: f64::from(u.int_in_range(0u16..=400)?) / 2.0,
        },
        1 => Action::Parasitic {
            milliamps: f64::from(u.int_in_range(0u16..=5000)?),
        },
        2 => Action::ExternalCharge {
            amps: f64::from(u.int_in_range(0u16..=300)?),
        },
        3 => Action::Temperature {
            celsius: f64::from(u.int_in_range(-40i8..=80)?),
            battery: if u.arbitrary()? {
                Some(u.int_in_range(0..=20)?)
            } else {
                None
            },
        },
        4 => Action::BmsCable {
            connected: u.arbitrary()?,
        },
        5 => Action::Remote { on: u.arbitrary()? },
        6 => Action::CellDrift {
            battery: u.int_in_range(0..=20)?,
            cell: u.int_in_range(0..=20)?,
            permille: u.int_in_range(-1000..=1000)?,
        },
        _ => Action::BmsSupply {
            connected: u.arbitrary()?,
        },
    })
}

fn run(doc: &Document, sc: &Scenario, u: &mut Unstructured) {
    let _ = smallbms_core::system::validate(&doc.system, smallbms_core::units::Millivolts(12_800));
    let Ok(mut sim) = Simulation::new(doc, Some(sc)) else {
        return;
    };
    let end = sim.end().unwrap_or(SimTime(3_600_000));
    let mut before = sim.now();
    for _ in 0..64 {
        if sim.now() >= end {
            break;
        }
        // Now and then the user acts between steps, as the Simulate view's controls do.
        if u.ratio(1, 8).unwrap_or(false) {
            if let Ok(a) = action(u, &[]) {
                sim.act(a);
            }
        }
        let target = match u.int_in_range(0u8..=3).unwrap_or(0) {
            0 => end,
            n => sim.now().after(Millis::secs(u64::from(n) * 600)).min(end),
        };
        sim.step_to(target);
        assert!(
            sim.now() >= before,
            "time went back: {:?} -> {:?}",
            before,
            sim.now()
        );
        assert!(
            sim.now() <= end,
            "ran past the end: {:?} > {:?}",
            sim.now(),
            end
        );
        before = sim.now();
        assert!(
            sim.bank_state().soc.0 <= 1000,
            "SoC {:?}",
            sim.bank_state().soc
        );
    }
    let _ = sim.readout_record();
    let _ = sim.events().map(|e| e.cause.len()).sum::<usize>();
}
