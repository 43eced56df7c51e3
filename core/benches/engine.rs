//! Engine benchmarks (criterion), native only.
//!
//! - `day_largest_bank`: 24 h simulated with the largest bank the smallBMS NG manages (50 × Lithium NG 25.6 V
//!   300 Ah, 2 in series × 25 strings, 384 kWh) and every device type of the demo system plus a relay, an LED and a
//!   Cyrix-Li-ct, with a varying load profile (new inverter, DC-load, solar and shore figures every 10 min).
//!   Target ≤ 20 ms per simulated day.
//! - `year_standby`: the standby-drain scenario on the demo system, run for 365 days. Target ≤ 100 ms.
//!
//! `cargo bench -p smallbms-core --features std --bench engine -- --quick --noplot`
#![cfg_attr(target_arch = "wasm32", allow(unused))]

mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::Criterion;
    use smallbms_core::bms::BmsOutput;
    use smallbms_core::devices::{CyrixCtParams, DeviceKind, Draw, IndicatorParams, RelayParams};
    use smallbms_core::document::Document;
    use smallbms_core::engine::Simulation;
    use smallbms_core::scenario::{builtin, Action, Scenario, ScenarioEvent};
    use smallbms_core::system::{Control, DeviceConfig};
    use smallbms_core::units::{Milliamps, Millis};
    use std::hint::black_box;

    const DAY_S: u64 = 24 * 3600;

    /// The shared largest bank with a contactor with a DC load behind it, an LED and a Cyrix-Li-ct added.
    pub fn largest_bank() -> Document {
        let mut doc = crate::common::largest_bank();
        let contactor = doc.system.devices.len();
        doc.system.devices.extend([
            DeviceConfig::new(
                "Contactor",
                DeviceKind::Relay(RelayParams {
                    contactor: true,
                    ..RelayParams::relay(Milliamps(400))
                }),
            )
            .controlled_by(Control::direct(BmsOutput::Load)),
            DeviceConfig::new(
                "Workshop loads",
                DeviceKind::DcLoad {
                    draw: Draw::Current {
                        current: Milliamps(20_000),
                    },
                },
            )
            .behind(contactor),
            DeviceConfig::new(
                "Alarm LED",
                DeviceKind::Led(IndicatorParams {
                    current: Milliamps(10),
                    inductive: false,
                }),
            )
            .controlled_by(Control::direct(BmsOutput::PreAlarm)),
            DeviceConfig::new(
                "Starter battery combiner",
                DeviceKind::CyrixLiCt(CyrixCtParams::default()),
            )
            .controlled_by(Control::direct(BmsOutput::Charger)),
        ]);
        doc
    }

    /// A day of demand every 10 min: inverter and DC loads from a fixed pseudo-random sequence, solar as a
    /// daylight curve, shore power in the evening.
    pub fn day_profile() -> Scenario {
        let mut rng: u64 = 0x5EED;
        let mut next = |max: u64| {
            rng = rng
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (rng >> 33) % max
        };
        let demand = |device: &str, amps: f64| Action::Demand {
            device: device.into(),
            amps,
        };
        let mut events = Vec::new();
        for k in 0..(DAY_S / 600) {
            let at_s = k * 600;
            let hour = at_s as f64 / 3600.0;
            let sun = (1.0 - ((hour - 13.0) / 6.0).powi(2)).max(0.0);
            for action in [
                demand("Inverter 1200 VA", next(120) as f64),
                demand("DC loads (lights, water pump)", next(30) as f64),
                demand(
                    "Workshop loads",
                    if (8.0..17.0).contains(&hour) {
                        next(60) as f64
                    } else {
                        0.0
                    },
                ),
                demand("Solar MPPT 100/30 (VE.Direct)", (sun * 30.0).round()),
                demand(
                    "Shore charger (Smart IP43 12/30)",
                    if (18.0..23.0).contains(&hour) {
                        30.0
                    } else {
                        0.0
                    },
                ),
            ] {
                events.push(ScenarioEvent { at_s, action });
            }
        }
        Scenario {
            name: "bench-day".into(),
            description: String::new(),
            duration_s: DAY_S,
            initial_soc_percent: Some(60.0),
            initial_celsius: Some(20.0),
            discharge_floor_percent: None,
            events,
        }
    }

    /// The standby-drain scenario, 365 days long.
    pub fn year_standby() -> Scenario {
        let mut sc = builtin("standby-drain").expect("built-in scenario");
        sc.duration_s = 365 * DAY_S;
        sc
    }

    fn run(doc: &Document, sc: &Scenario) -> Simulation {
        let mut sim = Simulation::new(doc, Some(sc)).expect("the benchmark system runs");
        sim.run_to_end(Millis(0));
        sim
    }

    fn benches(c: &mut Criterion) {
        let doc = largest_bank();
        let day = day_profile();
        let sim = run(&doc, &day);
        let load_off = sim
            .events()
            .filter(|e| e.signal == "load_disconnect" && e.level == "floating")
            .count();
        eprintln!(
            "day_largest_bank: {} steps, {} events, SoC 60 % -> {} %, LOAD floated {load_off}×",
            sim.steps(),
            sim.events().count(),
            sim.bank_state().soc.percent()
        );
        assert!(sim.finished());
        c.bench_function("day_largest_bank", |b| {
            b.iter(|| run(black_box(&doc), black_box(&day)))
        });

        let demo = Document::default();
        let year = year_standby();
        let sim = run(&demo, &year);
        eprintln!("year_standby: {} steps", sim.steps());
        assert!(sim.finished());
        c.bench_function("year_standby", |b| {
            b.iter(|| run(black_box(&demo), black_box(&year)))
        });
    }

    pub fn main() {
        let mut c = Criterion::default().configure_from_args();
        benches(&mut c);
        c.final_summary();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
