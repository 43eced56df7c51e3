//! Properties of the simulation engine over random systems and scenarios: the smallBMS NG's safety invariants hold
//! after every step, runs are deterministic, and no document or scenario text makes the engine panic.
//!
//! Case counts are set per property below: ≈ 10 700 random scenarios are simulated per run (7 000 + 1 000 checked
//! step by step, ≈ 2 700 random documents and scenario texts that read), plus ≈ 3 000 texts that are only parsed.
//! The banks are small (1–4 batteries, a few absurd ones run only two steps) and the runs short (≤ 4 h, ≈ 35
//! steps on average), so the file takes ≈ 16 s of CPU in debug (≈ 9 s on two cores).
#![cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use smallbms_core::battery::{BankConfig, BatteryOverride, CellSpread};
use smallbms_core::bms::{BmsOutput, BmsSettings};
use smallbms_core::catalogue::{builtin_models, BatteryModel, ModelRef};
use smallbms_core::devices::*;
use smallbms_core::diagram;
use smallbms_core::document::Document;
use smallbms_core::engine::Simulation;
use smallbms_core::scenario::{Action, Scenario, ScenarioEvent};
use smallbms_core::system::{validate, Control, DeviceConfig, RemoteWiring, SystemConfig};
use smallbms_core::units::{
    DeciCelsius, MilliampHours, Milliamps, Millis, Millivolts, Permille, SimTime,
};

/// A generated cell spread: seeded with its capacity and SoC percentages, or none.
fn spread_of(spread: Option<(u64, f64, f64)>) -> CellSpread {
    match spread {
        Some((seed, capacity_pct, soc_pct)) => CellSpread::Seeded {
            seed,
            capacity_pct,
            soc_pct,
        },
        None => CellSpread::Identical,
    }
}

/// `cases` per property, with the fast XorShift generator (ChaCha costs a fifth of the run time in debug).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Strategies

fn device_names() -> Vec<String> {
    SystemConfig::default()
        .devices
        .iter()
        .map(|d| d.name.clone())
        .collect()
}

fn model_ids() -> Vec<String> {
    builtin_models().into_iter().map(|m| m.id).collect()
}

fn remote_wiring() -> impl Strategy<Value = RemoteWiring> {
    prop_oneof![
        Just(RemoteWiring::Bridged),
        Just(RemoteWiring::SwitchLToH),
        Just(RemoteWiring::SwitchHToPlus),
        Just(RemoteWiring::SwitchLToMinus),
        Just(RemoteWiring::Open),
    ]
}

/// A small bank: 1–4 batteries of any catalogue model, any starting state.
fn small_bank() -> impl Strategy<Value = BankConfig> {
    let shapes = prop_oneof![
        (1u8..=4, Just(1u8)),
        (Just(1u8), 1u8..=4),
        (Just(2u8), Just(2u8))
    ];
    (
        prop::sample::select(model_ids()),
        shapes,
        0u16..=1000,
        -150i16..450,
        prop::option::weighted(0.3, (any::<u64>(), 0.0f64..10.0, 0.0f64..10.0)),
        any::<bool>(),
    )
        .prop_map(
            |(id, (series, parallel), soc, t, spread, hysteresis)| BankConfig {
                model: ModelRef::Builtin(id),
                series,
                parallel,
                initial_soc: Permille(soc),
                ambient: DeciCelsius(t),
                spread: spread_of(spread),
                hysteresis,
                ..BankConfig::default()
            },
        )
}

/// BMS settings around their defaults (the BMS clamps them into their ranges).
fn settings() -> impl Strategy<Value = BmsSettings> {
    (
        2_850i32..3_150,
        2_600i32..2_900,
        3_450i32..3_750,
        0u16..300,
        0u16..100,
        30_000u64..120_000,
    )
        .prop_map(|(pre, uv, ov, floor, band, lead)| BmsSettings {
            pre_alarm_cell: Millivolts(pre),
            under_voltage_cell: Millivolts(uv),
            over_voltage_cell: Millivolts(ov),
            discharge_floor: Permille(floor),
            discharge_floor_band: Permille(band),
            pre_alarm_lead: Millis(lead),
            ..BmsSettings::default()
        })
}

/// Anything a scenario or the UI can do, aimed at the demo devices and small banks (with some misses).
fn action() -> impl Strategy<Value = Action> {
    let mut names = device_names();
    names.push("no such device".into());
    prop_oneof![
        3 => (prop::sample::select(names), 0.0f64..250.0)
            .prop_map(|(device, amps)| Action::Demand { device, amps }),
        1 => (0.0f64..3_000.0).prop_map(|milliamps| Action::Parasitic { milliamps }),
        1 => (0.0f64..150.0).prop_map(|amps| Action::ExternalCharge { amps }),
        1 => (-30.0f64..60.0, prop::option::of(0usize..6))
            .prop_map(|(celsius, battery)| Action::Temperature { celsius, battery }),
        1 => any::<bool>().prop_map(|connected| Action::BmsCable { connected }),
        2 => any::<bool>().prop_map(|on| Action::Remote { on }),
        1 => (0usize..6, 0usize..20, -400i32..400)
            .prop_map(|(battery, cell, permille)| Action::CellDrift { battery, cell, permille }),
        1 => any::<bool>().prop_map(|connected| Action::BmsSupply { connected }),
    ]
}

/// A system and a short scenario, plus actions applied from the UI (`Simulation::act`) at given times.
#[derive(Clone, Debug)]
struct Case {
    doc: Document,
    scenario: Scenario,
    ui: Vec<(u64, Action)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        small_bank(),
        settings(),
        remote_wiring(),
        prop_oneof![30u64..600, 600u64..4 * 3600],
        prop::option::of(0.0f64..=100.0),
        prop::option::of(-20.0f64..55.0),
        prop::option::of(0.0f64..40.0),
        prop::collection::vec((0.0f64..=1.0, action()), 0..6),
        prop::collection::vec((0.0f64..=1.0, action()), 0..3),
    )
        .prop_map(
            |(bank, bms, remote, duration_s, soc, celsius, floor, events, ui)| {
                let mut doc = Document {
                    bank,
                    ..Document::default()
                };
                doc.system.bms = bms;
                doc.system.remote = remote;
                let at = |f: f64| ((duration_s as f64) * f) as u64;
                let mut events: Vec<ScenarioEvent> = events
                    .into_iter()
                    .map(|(f, action)| ScenarioEvent {
                        at_s: at(f),
                        action,
                    })
                    .collect();
                events.sort_by_key(|e| e.at_s);
                let mut ui: Vec<(u64, Action)> =
                    ui.into_iter().map(|(f, a)| (at(f) * 1000, a)).collect();
                ui.sort_by_key(|u| u.0);
                Case {
                    doc,
                    scenario: Scenario {
                        name: "random".into(),
                        description: String::new(),
                        duration_s,
                        initial_soc_percent: soc,
                        initial_celsius: celsius,
                        discharge_floor_percent: floor,
                        events,
                    },
                    ui,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------------------------
// The invariants, checked after every engine step

struct Watch {
    settings: BmsSettings,
    remote: RemoteWiring,
    /// Since when the lowest cell has been seen below under-voltage, continuously, by a powered BMS with its
    /// BMS cable in.
    below_uv_since: Option<SimTime>,
}

impl Watch {
    fn new(doc: &Document) -> Watch {
        Watch {
            settings: doc.system.bms.clamped(),
            remote: doc.system.remote,
            below_uv_since: None,
        }
    }

    fn check(&mut self, sim: &Simulation) -> Result<(), TestCaseError> {
        let t = sim.now();
        let s = sim.bank_state();
        let o = sim.bms();
        let c = sim.conditions();
        let load = o.load.level.is_high();
        let charger = o.charger.level.is_high();

        // SoC always in [0, 100 %].
        prop_assert!(s.soc.0 <= 1000, "SoC {} at {t:?}", s.soc);
        prop_assert!(s.min_cell_soc <= s.max_cell_soc && s.max_cell_soc.0 <= 1000);
        prop_assert!(s.consumed.0 <= 0 && s.consumed.0 >= -s.capacity.0);

        // Remote OFF ⇒ LOAD and CHARGER float at once.
        let remote_off = match self.remote {
            RemoteWiring::Open => true,
            RemoteWiring::Bridged => false,
            _ => !c.remote_switch_closed,
        };
        if remote_off || o.remote.is_none() {
            prop_assert!(
                !load && !charger,
                "remote off but LOAD {load} CHARGER {charger} at {t:?}"
            );
        }

        // BMS cable pulled ⇒ both float.
        if !c.bms_cable_connected {
            prop_assert!(
                !load && !charger,
                "cable pulled but LOAD {load} CHARGER {charger} at {t:?}"
            );
        }

        // CHARGER never high with a cell at or above the over-voltage limit (from the step that reveals it on).
        if s.max_cell.voltage >= self.settings.over_voltage_cell {
            prop_assert!(
                !charger,
                "CHARGER high with a cell at {} at {t:?}",
                s.max_cell.voltage
            );
        }

        // LOAD never high once a cell has been below under-voltage for the pre-alarm lead (datasheet ≥ 30 s).
        let seen_below = o.powered
            && c.bms_cable_connected
            && s.min_cell.voltage < self.settings.under_voltage_cell;
        self.below_uv_since = if seen_below {
            Some(self.below_uv_since.unwrap_or(t))
        } else {
            None
        };
        if let Some(since) = self.below_uv_since {
            if t.since(since) >= self.settings.pre_alarm_lead {
                prop_assert!(
                    !load,
                    "LOAD high at {t:?}: a cell has been at or below {} since {since:?}",
                    s.min_cell.voltage
                );
            }
            // …and the pre-alarm is up the whole time.
            prop_assert!(
                o.pre_alarm.level.is_high(),
                "a cell below under-voltage without pre-alarm at {t:?}"
            );
        }
        Ok(())
    }
}

fn run_checked(case: &Case) -> Result<Simulation, TestCaseError> {
    // A scenario naming a device the system lacks is refused with the name (issue 14.5); the UI's actions (`act`)
    // may still miss.
    let mut scenario = case.scenario.clone();
    let unknown = |a: &Action| {
        matches!(a, Action::Demand { device, .. }
            if !case.doc.system.devices.iter().any(|d| &d.name == device))
    };
    if scenario.events.iter().any(|e| unknown(&e.action)) {
        match Simulation::new(&case.doc, Some(&scenario)) {
            Err(e) => prop_assert!(e.to_string().contains("\"no such device\""), "{e}"),
            Ok(_) => {
                return Err(TestCaseError::fail(
                    "a scenario naming an unknown device ran",
                ))
            }
        }
        scenario.events.retain(|e| !unknown(&e.action));
    }
    let mut sim = Simulation::new(&case.doc, Some(&scenario))
        .map_err(|e| TestCaseError::fail(format!("a catalogue bank must simulate: {e}")))?;
    let end = sim.end().expect("scenario end");
    let mut watch = Watch::new(&case.doc);
    watch.check(&sim)?;
    for (at, action) in &case.ui {
        while sim.now() < SimTime(*at) {
            sim.step_to(SimTime(*at));
            watch.check(&sim)?;
        }
        sim.act(action.clone());
        watch.check(&sim)?;
    }
    let mut guard = 0u32;
    while sim.now() < end {
        sim.step_to(end);
        watch.check(&sim)?;
        guard += 1;
        prop_assert!(guard < 100_000, "runaway step count");
    }
    Ok(sim)
}

proptest! {
    #![proptest_config(config(7_000))]

    /// The safety invariants after every step of random scenarios on random small banks.
    #[test]
    fn safety_invariants_hold_after_every_step(c in case()) {
        run_checked(&c)?;
    }
}

proptest! {
    #![proptest_config(config(1_000))]

    /// The same inputs twice give identical event logs, traces and final states.
    #[test]
    fn runs_are_deterministic(c in case()) {
        let a = run_checked(&c)?;
        let b = run_checked(&c)?;
        prop_assert_eq!(a.events().collect::<Vec<_>>(), b.events().collect::<Vec<_>>());
        prop_assert_eq!(a.trace().collect::<Vec<_>>(), b.trace().collect::<Vec<_>>());
        prop_assert_eq!(a.bank_state(), b.bank_state());
        prop_assert_eq!(a.steps(), b.steps());
        prop_assert_eq!(a.readout_record(), b.readout_record());
    }
}

// ---------------------------------------------------------------------------------------------------------------
// No panic for any document or scenario

fn any_kind() -> impl Strategy<Value = DeviceKind> {
    let ma = any::<i32>().prop_map(Milliamps);
    let logic = prop_oneof![
        Just(RemoteLogic::ActiveHigh),
        Just(RemoteLogic::OnWhenOpen),
        Just(RemoteLogic::OnWhenPulledLow),
        Just(RemoteLogic::VeDirectRx),
    ];
    let device = prop_oneof![
        Just(RemoteDeviceType::Charger),
        Just(RemoteDeviceType::Inverter),
        Just(RemoteDeviceType::DcDc),
        Just(RemoteDeviceType::Mppt),
    ];
    let draw = prop_oneof![
        ma.clone().prop_map(|current| Draw::Current { current }),
        any::<u32>().prop_map(|watts| Draw::Power { watts }),
    ];
    let power = prop_oneof![
        draw.clone().prop_map(|draw| PowerRole::Load { draw }),
        (ma.clone(), any::<i32>(), any::<i32>()).prop_map(|(m, v, band)| PowerRole::Charger {
            output: ChargeOutput {
                max_current: m,
                charge_voltage: Millivolts(v),
                cv_band: Millivolts(band),
            }
        }),
    ];
    prop_oneof![
        (any::<u8>(), 0u8..3, any::<bool>()).prop_map(|(code, mode, smart)| {
            DeviceKind::BatteryProtect(BatteryProtectParams {
                code,
                mode: [BpMode::A, BpMode::B, BpMode::C][usize::from(mode)],
                model: if smart {
                    BpModel::SmartBp220
                } else {
                    BpModel::Bp65
                },
                ..BatteryProtectParams::default()
            })
        }),
        (any::<i32>(), any::<i32>()).prop_map(|(a, b)| DeviceKind::CyrixLiCt(CyrixCtParams {
            close_at: Millivolts(a),
            open_below: Millivolts(b),
            ..CyrixCtParams::default()
        })),
        (any::<i32>(), any::<u64>(), any::<u8>()).prop_map(|(v, d, n)| {
            DeviceKind::CyrixLiCharge(CyrixChargeParams {
                engage_at: Millivolts(v),
                engage_delay: Millis(d),
                short_attempts: n,
                ..CyrixChargeParams::default()
            })
        }),
        (device, logic, power, any::<i64>()).prop_map(|(device, logic, power, s)| {
            DeviceKind::Remote(RemoteDeviceParams {
                device,
                input: RemoteInput::new(logic),
                power,
                standby: Microamps(s),
            })
        }),
        draw.prop_map(|draw| DeviceKind::DcLoad { draw }),
        ma.clone()
            .prop_map(|m| DeviceKind::Relay(RelayParams::relay(m))),
        (ma.clone(), any::<bool>()).prop_map(|(current, inductive)| DeviceKind::Buzzer(
            IndicatorParams { current, inductive }
        )),
        (ma, any::<bool>()).prop_map(|(current, inductive)| DeviceKind::Led(IndicatorParams {
            current,
            inductive
        })),
        ".{0,8}".prop_map(|model| DeviceKind::VeBusMultiPlus { model }),
    ]
}

fn any_device() -> impl Strategy<Value = DeviceConfig> {
    let names = prop_oneof![prop::sample::select(device_names()), ".{0,12}"];
    (
        names,
        any_kind(),
        prop::option::of((0usize..3, prop::option::of(0usize..3))),
        prop::option::of(prop_oneof![0usize..12, any::<usize>()]),
    )
        .prop_map(|(name, kind, control, behind)| {
            let mut d = DeviceConfig::new(&name, kind);
            d.control = control.map(|(o, c)| Control {
                output: BmsOutput::ALL[o],
                cable: c.map(|c| CableKind::ALL[c]),
            });
            d.power_path.behind = behind;
            d
        })
}

fn any_model() -> impl Strategy<Value = ModelRef> {
    prop_oneof![
        4 => prop::sample::select(model_ids()).prop_map(ModelRef::Builtin),
        1 => ".{0,10}".prop_map(ModelRef::Builtin),
        1 => (any::<u8>(), any::<i64>(), any::<i32>(), any::<u32>()).prop_map(|(cells, mah, mv, r)| {
            let mut m: BatteryModel = builtin_models().remove(0);
            m.id = "custom".into();
            m.cells_in_series = cells;
            m.capacity = MilliampHours(mah);
            m.nominal_voltage = Millivolts(mv);
            m.internal_resistance_uohm = r;
            ModelRef::Custom(Box::new(m))
        }),
    ]
}

/// Any bank, including absurd ones (zero batteries, 255 × 255, unknown or impossible models).
fn any_bank() -> impl Strategy<Value = BankConfig> {
    let count = prop_oneof![20 => 1u8..5, 1 => any::<u8>()];
    (
        any_model(),
        count.clone(),
        count,
        any::<u16>(),
        any::<i16>(),
        prop::option::of((any::<u64>(), any::<f64>(), any::<f64>())),
        any::<u16>(),
        any::<bool>(),
        prop::collection::vec((any::<usize>(), any_model()), 0..3),
    )
        .prop_map(
            |(model, series, parallel, soc, t, spread, sd, hysteresis, overrides)| BankConfig {
                model,
                series,
                parallel,
                overrides: overrides
                    .into_iter()
                    .map(|(battery, model)| BatteryOverride {
                        battery: battery % 8,
                        model,
                    })
                    .collect(),
                initial_soc: Permille(soc),
                ambient: DeciCelsius(t),
                spread: spread_of(spread),
                self_discharge_permille_per_month: sd,
                hysteresis,
            },
        )
}

fn any_settings() -> impl Strategy<Value = BmsSettings> {
    (
        prop::collection::vec(any::<i32>(), 6),
        prop::collection::vec(any::<i16>(), 4),
        any::<u16>(),
        any::<u16>(),
        any::<u64>(),
    )
        .prop_map(|(mv, t, floor, band, lead)| BmsSettings {
            pre_alarm_cell: Millivolts(mv[0]),
            under_voltage_cell: Millivolts(mv[1]),
            over_voltage_cell: Millivolts(mv[2]),
            under_voltage_recovery_cell: Millivolts(mv[3]),
            supply_min: Millivolts(mv[4]),
            output_drop: Millivolts(mv[5]),
            charge_temp_min: DeciCelsius(t[0]),
            charge_temp_max: DeciCelsius(t[1]),
            discharge_temp_min: DeciCelsius(t[2]),
            temperature_hysteresis: DeciCelsius(t[3]),
            discharge_floor: Permille(floor),
            discharge_floor_band: Permille(band),
            pre_alarm_lead: Millis(lead),
            ..BmsSettings::default()
        })
}

fn any_document() -> impl Strategy<Value = Document> {
    (
        any_bank(),
        prop_oneof![3 => Just(BmsSettings::default()), 1 => any_settings()],
        remote_wiring(),
        any::<i32>(),
        prop::collection::vec(any_device(), 0..12),
    )
        .prop_map(|(bank, bms, remote, fuse, devices)| {
            let mut doc = Document {
                bank,
                ..Document::default()
            };
            doc.system.bms = bms;
            doc.system.remote = remote;
            doc.system.supply_fuse = Milliamps(fuse);
            doc.system.devices = devices;
            doc
        })
}

/// Any scenario value, in range or not (the checks in `Scenario::from_json` decide).
fn any_scenario() -> impl Strategy<Value = Scenario> {
    let any_action = prop_oneof![
        40 => action(),
        1 => (".{0,6}", any::<f64>()).prop_map(|(device, amps)| Action::Demand { device, amps }),
        1 => any::<f64>().prop_map(|milliamps| Action::Parasitic { milliamps }),
        1 => (any::<f64>(), prop::option::of(any::<usize>()))
            .prop_map(|(celsius, battery)| Action::Temperature { celsius, battery }),
        1 => (any::<usize>(), any::<usize>(), any::<i32>())
            .prop_map(|(battery, cell, permille)| Action::CellDrift { battery, cell, permille }),
    ];
    (
        prop_oneof![12 => 1u64..100_000, 1 => any::<u64>()],
        prop::option::of(prop_oneof![12 => 0.0f64..=100.0, 1 => any::<f64>()]),
        prop::option::of(prop_oneof![12 => -20.0f64..60.0, 1 => any::<f64>()]),
        prop::option::of(prop_oneof![12 => 0.0f64..99.0, 1 => any::<f64>()]),
        prop::collection::vec(
            (
                0.0f64..=1.0,
                prop::option::weighted(0.08, any::<u64>()),
                any_action,
            ),
            0..6,
        ),
    )
        .prop_map(|(duration_s, soc, celsius, floor, events)| Scenario {
            name: "any".into(),
            description: String::new(),
            duration_s,
            initial_soc_percent: soc,
            initial_celsius: celsius,
            discharge_floor_percent: floor,
            events: events
                .into_iter()
                .map(|(f, any_at, action)| ScenarioEvent {
                    at_s: any_at.unwrap_or((duration_s as f64 * f) as u64),
                    action,
                })
                .collect(),
        })
}

/// Damages a text: cuts it, drops, replaces or inserts a few bytes.
fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(pos, op, b) in edits {
        if bytes.is_empty() {
            break;
        }
        let i = pos % bytes.len();
        match op % 4 {
            0 => bytes.truncate(i),
            1 => {
                bytes.remove(i);
            }
            2 => bytes[i] = b,
            _ => bytes.insert(i, b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs a few steps (bounded: an absurd bank or a ten-year scenario must not make the test slow) and reads every
/// output the UI reads.
fn poke(doc: &Document, sc: Option<&Scenario>, steps: u32) {
    let _ = validate(&doc.system, Millivolts(12_800));
    let _ = diagram::build(doc);
    let Ok(mut sim) = Simulation::new(doc, sc) else {
        return;
    };
    let end = sim.end().unwrap_or(SimTime(3_600_000));
    for _ in 0..steps {
        if sim.now() >= end {
            break;
        }
        sim.step_to(end);
    }
    sim.act(Action::Remote { on: false });
    sim.act(Action::CellDrift {
        battery: usize::MAX,
        cell: usize::MAX,
        permille: i32::MIN,
    });
    sim.step_to(sim.now().after(Millis(1)));
    let _ = sim.readout_record();
    let _ = sim.events().map(|e| e.cause.len()).sum::<usize>();
    let _ = sim.trace().count();
    let s = sim.bank_state();
    assert!(s.soc.0 <= 1000, "SoC {}", s.soc);
}

proptest! {
    #![proptest_config(config(1_500))]

    /// Any document (absurd banks, any device list, any settings) with any scenario: no panic.
    #[test]
    fn no_panic_for_any_document(doc in any_document(), sc in prop::option::of(any_scenario())) {
        let small = doc.bank.series <= 4 && doc.bank.parallel <= 4;
        let checked = sc.filter(|s| s.check().is_ok());
        poke(&doc, checked.as_ref(), if small { 20 } else { 2 });
    }

    /// A document saved as JSON and then damaged: read it, and if it still reads, run it.
    #[test]
    fn no_panic_for_damaged_document_json(
        doc in any_document(),
        edits in prop_oneof![
            1 => Just(Vec::new()),
            2 => prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
        ],
    ) {
        let text = mutate(&doc.to_json(), &edits);
        if let Ok(read) = Document::from_json(&text) {
            let small = read.bank.series <= 4 && read.bank.parallel <= 4;
            poke(&read, None, if small { 10 } else { 2 });
        }
    }
}

proptest! {
    #![proptest_config(config(2_500))]

    /// Any scenario text, whole or damaged, through `Scenario::from_json`; what reads is run on the demo system.
    #[test]
    fn no_panic_for_any_scenario_json(
        sc in any_scenario(),
        edits in prop_oneof![
            2 => Just(Vec::new()),
            1 => prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..3),
        ],
    ) {
        let text = mutate(&serde_json::to_string(&sc).unwrap_or_default(), &edits);
        if let Ok(read) = Scenario::from_json(&text) {
            poke(&Document::default(), Some(&read), 20);
        }
    }

    /// Garbage text: neither reader panics.
    #[test]
    fn no_panic_for_garbage_text(text in prop_oneof![".*", "[{}\\[\\]\":,0-9a-z .eE+-]*"]) {
        let _ = Scenario::from_json(&text);
        let _ = Document::from_json(&text);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Step policy

/// After a long rest the steps are an hour long; a big load switched on must not ride one such step past the
/// discharge floor: the first step after a change of current starts small again.
#[test]
fn a_load_switched_on_after_a_long_rest_stops_at_the_floor() {
    let mut doc = Document::default();
    doc.bank.initial_soc = Permille(200);
    // 200 A through the demo's inverter cable would blow its 30 A fuse within seconds: this test is about the
    // step policy, so the power wiring is left out (nothing entered: no drops, no fuses).
    doc.system.power = Default::default();
    doc.system
        .devices
        .iter_mut()
        .for_each(|d| d.circuit = Default::default());
    let quiet = Scenario {
        name: "rest then load".into(),
        description: String::new(),
        duration_s: 30 * 3600,
        initial_soc_percent: None,
        initial_celsius: None,
        discharge_floor_percent: None,
        events: vec![
            ScenarioEvent {
                at_s: 0,
                action: Action::Demand {
                    device: "Inverter 1200 VA".into(),
                    amps: 0.0,
                },
            },
            ScenarioEvent {
                at_s: 0,
                action: Action::Demand {
                    device: "DC loads (lights, water pump)".into(),
                    amps: 0.0,
                },
            },
        ],
    };
    let mut sim = Simulation::new(&doc, Some(&quiet)).expect("demo");
    sim.run_until(SimTime(20 * 3_600_000));
    let before = sim.steps();
    sim.step_to(SimTime(21 * 3_600_000));
    assert_eq!(
        sim.steps() - before,
        1,
        "at rest, one step covers the hour ({:?})",
        sim.now()
    );
    sim.act(Action::Demand {
        device: "Inverter 1200 VA".into(),
        amps: 200.0,
    });
    let start = sim.now();
    let s = sim.bank_state().clone();
    let soc = 1.0 + s.consumed.si() / s.capacity.si();
    sim.run_to_end(Millis(0));
    let trip = sim
        .events()
        .find(|e| e.signal == "load_disconnect" && e.level == "floating")
        .expect("the floor stops the load");
    // From ≈ 19.9 % (20 % less 20 h of self-discharge and standing drain) to 10.05 % (the BMS reads "10.0 %")
    // of 800 Ah at 200 A + 9.4 mA ≈ 1421 s.
    let expected = (soc - 0.1005) * 800.0 * 3600.0 / 200.0094;
    let took = (trip.t_ms - start.0) as f64 / 1000.0;
    assert!(
        (took - expected).abs() < 3.0,
        "floor reached after {took} s, expected {expected:.1} s"
    );
    assert!(trip.cause.contains("10.0 %"), "{}", trip.cause);
}

/// The longest scenario the format allows runs to its end (on one demo battery) with a sane step count.
#[test]
fn ten_years_of_standby_run_to_the_end() {
    let mut sc = smallbms_core::scenario::builtin("standby-drain").expect("built-in");
    sc.duration_s = smallbms_core::scenario::MAX_DURATION_S;
    let mut doc = Document::default();
    doc.bank.parallel = 1;
    let mut sim = Simulation::new(&doc, Some(&sc)).expect("demo");
    sim.run_to_end(Millis(0));
    assert!(sim.finished());
    assert!(sim.steps() < 100_000, "{} steps", sim.steps());
    assert_eq!(sim.bank_state().soc, Permille(0));
    assert!(sim.trace().count() <= smallbms_core::engine::TRACE_CAPACITY);
}
