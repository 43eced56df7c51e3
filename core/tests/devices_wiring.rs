//! The wired system at run time: control levels through cables, output demand, power paths through switches, and
//! one engine-style step loop driving BMS + devices.
use smallbms_core::bms::*;
use smallbms_core::devices::*;
use smallbms_core::signal::Level;
use smallbms_core::system::wiring::{devices_on, switched_by};
use smallbms_core::system::*;
use smallbms_core::units::{Milliamps, Millivolts, SimTime};

const BANK: Millivolts = Millivolts(12_800);

fn t(s: u64) -> SimTime {
    SimTime(s * 1000)
}

fn bms_at(now: SimTime, inputs: &BmsInputs) -> Bms {
    let mut b = Bms::new(BmsSettings::default());
    b.update(now, inputs);
    b
}

#[test]
fn demo_demand_per_output() {
    let c = SystemConfig::default();
    let d = output_demand(&c);
    assert_eq!(
        d.load,
        Milliamps(2),
        "BatteryProtect and inverter remote inputs"
    );
    assert_eq!(d.charger, Milliamps(3), "charger, MPPT, Cyrix-Li-Charge");
    assert_eq!(d.pre_alarm, Milliamps(20), "buzzer");
    assert_eq!(
        devices_on(&c, BmsOutput::PreAlarm),
        vec![(7, Milliamps(20))]
    );
}

#[test]
fn control_inputs_pass_through_cables() {
    let c = SystemConfig::default();
    let b = bms_at(t(0), &BmsInputs::default());
    let levels = control_inputs(&c, b.outputs());
    assert_eq!(levels.len(), c.devices.len());
    assert_eq!(
        levels[0],
        Some(Level::Driven(Millivolts(13_100))),
        "BP on LOAD"
    );
    assert_eq!(levels[1], None, "DC loads have no BMS wire");
    assert_eq!(
        levels[4],
        Some(Level::Driven(Millivolts(3300))),
        "MPPT through the VE.Direct cable"
    );
    let off = bms_at(
        t(0),
        &BmsInputs {
            remote: RemoteTerminals::OPEN,
            ..BmsInputs::default()
        },
    );
    let levels = control_inputs(&c, off.outputs());
    assert_eq!(levels[0], Some(Level::Floating));
    assert_eq!(levels[4], Some(Level::Driven(Millivolts(0))));
}

#[test]
fn switch_chains_and_what_switches_each_device() {
    let mut c = SystemConfig::default();
    assert_eq!(switch_chain(&c, 1), Ok(vec![0]));
    assert_eq!(switch_chain(&c, 0), Ok(vec![]));
    assert_eq!(switched_by(&c, 1), vec![BmsOutput::Load]);
    assert_eq!(switched_by(&c, 6), vec![BmsOutput::Charger]);
    c.devices[1].power_path.behind = Some(99);
    assert_eq!(
        switch_chain(&c, 1),
        Err(ChainError::OutOfRange { index: 99 })
    );
    c.devices[1].power_path.behind = Some(2);
    assert_eq!(
        switch_chain(&c, 1),
        Err(ChainError::NotASwitch { index: 2 })
    );
    c.devices[0].power_path.behind = Some(5);
    c.devices[5].power_path.behind = Some(0);
    assert_eq!(switch_chain(&c, 0), Err(ChainError::Loop { index: 0 }));
    assert!(ChainError::Loop { index: 0 }
        .to_string()
        .contains("device 1"));
}

#[test]
fn remote_wiring_terminals() {
    let v = Millivolts(13_200);
    assert_eq!(
        RemoteWiring::Bridged.terminals(v, false).mode(v),
        Some(RemoteMode::Bridged)
    );
    assert!(RemoteWiring::SwitchLToH
        .terminals(v, true)
        .mode(v)
        .is_some());
    assert!(RemoteWiring::SwitchLToH
        .terminals(v, false)
        .mode(v)
        .is_none());
    assert_eq!(
        RemoteWiring::SwitchHToPlus.terminals(v, true).mode(v),
        Some(RemoteMode::HHigh(v))
    );
    assert!(RemoteWiring::SwitchLToMinus
        .terminals(v, true)
        .mode(v)
        .is_some());
    assert!(RemoteWiring::Open.terminals(v, true).mode(v).is_none());
    assert!(!RemoteWiring::Bridged.has_switch());
}

/// One engine-style step: BMS first, then devices, as documented in the report.
fn step(
    bms: &mut Bms,
    devices: &mut Devices,
    config: &SystemConfig,
    now: SimTime,
    mut inputs: BmsInputs,
    env: &Environment,
) {
    inputs.demand = output_demand(config);
    bms.update(now, &inputs);
    devices.update(now, bms.outputs(), env);
}

#[test]
fn demo_system_runs_and_follows_the_bms() {
    let config = SystemConfig::default();
    let mut bms = Bms::new(config.bms.clone());
    let mut devices = Devices::new(&config, BANK);
    let env = Environment::bank(Millivolts(13_200));
    let healthy = BmsInputs::default();

    step(&mut bms, &mut devices, &config, t(0), healthy.clone(), &env);
    assert_eq!(devices.next_deadline(), Some(t(1)), "BP connect delay");
    assert!(
        !devices.is_powered(1),
        "DC loads wait for the BatteryProtect"
    );
    step(&mut bms, &mut devices, &config, t(1), healthy.clone(), &env);
    assert!(devices.is_powered(1));
    assert_eq!(devices.current(1, env.bank_voltage), Milliamps(-8000));
    assert!(
        devices.get(2).is_some_and(DeviceSim::is_active),
        "inverter on"
    );
    assert!(
        devices.get(7).is_some_and(|d| !d.is_active()),
        "buzzer silent"
    );
    // The alternator (no remote) sits behind the Cyrix-Li-Charge, which engages 3 s after seeing 14.2 V.
    assert!(!devices.is_powered(6));
    step(&mut bms, &mut devices, &config, t(3), healthy.clone(), &env);
    assert!(devices.get(5).is_some_and(DeviceSim::is_active));
    assert!(devices.is_powered(6));
    assert!(devices.current(6, Millivolts(13_200)).0 > 0);

    // Remote off: LOAD and CHARGER float, everything downstream stops at once.
    let off = BmsInputs {
        remote: RemoteTerminals::OPEN,
        ..healthy.clone()
    };
    step(&mut bms, &mut devices, &config, t(10), off, &env);
    for i in [0, 2, 3, 4, 5] {
        assert!(devices.get(i).is_some_and(|d| !d.is_active()), "device {i}");
    }
    assert_eq!(devices.bank_current(env.bank_voltage), Milliamps(0));
    let text = devices.get(0).map(|d| d.to_string()).unwrap_or_default();
    assert!(text.contains("remote input off"), "{text}");

    // Back on: the BatteryProtect holds off 30 s (mode C), the rest follow at once.
    step(
        &mut bms,
        &mut devices,
        &config,
        t(12),
        healthy.clone(),
        &env,
    );
    assert!(devices.get(3).is_some_and(DeviceSim::is_active));
    assert!(!devices.is_powered(1));
    assert_eq!(devices.next_deadline(), Some(t(15)), "Cyrix re-engage 3 s");
    step(
        &mut bms,
        &mut devices,
        &config,
        t(40),
        healthy.clone(),
        &env,
    );
    step(&mut bms, &mut devices, &config, t(41), healthy, &env);
    assert!(devices.is_powered(1));
}

#[test]
fn under_voltage_cascade_reaches_the_loads_after_the_lead() {
    let config = SystemConfig::default();
    let mut bms = Bms::new(config.bms.clone());
    let mut devices = Devices::new(&config, BANK);
    let env = Environment::bank(Millivolts(11_000));
    let low = BmsInputs {
        supply: Millivolts(11_000),
        cells: Some(Extremes {
            min: CellReading {
                voltage: Millivolts(2_700),
                battery: 0,
                cell: 1,
            },
            max: CellReading {
                voltage: Millivolts(2_800),
                battery: 0,
                cell: 0,
            },
        }),
        ..BmsInputs::default()
    };
    step(&mut bms, &mut devices, &config, t(0), low.clone(), &env);
    step(&mut bms, &mut devices, &config, t(1), low.clone(), &env);
    assert!(devices.is_powered(1));
    assert!(
        devices.get(7).is_some_and(DeviceSim::is_active),
        "buzzer sounds at once"
    );
    assert_eq!(bms.next_deadline(), Some(t(30)), "pre-alarm lead");
    assert_eq!(
        devices.next_deadline(),
        Some(t(3)),
        "Cyrix-Li-Charge engage delay comes first"
    );
    step(&mut bms, &mut devices, &config, t(30), low, &env);
    assert!(!devices.is_powered(1));
    assert!(
        devices.get(2).is_some_and(|d| !d.is_active()),
        "inverter off"
    );
    assert!(
        devices.get(3).is_some_and(DeviceSim::is_active),
        "charger still allowed"
    );
}

#[test]
fn wrong_direction_blocks_current_at_run_time() {
    let mut config = SystemConfig::default();
    config.devices[3].power_path.behind = Some(0); // shore charger behind the load BatteryProtect
    let mut bms = Bms::new(config.bms.clone());
    let mut devices = Devices::new(&config, BANK);
    let env = Environment::bank(Millivolts(13_200));
    step(
        &mut bms,
        &mut devices,
        &config,
        t(0),
        BmsInputs::default(),
        &env,
    );
    step(
        &mut bms,
        &mut devices,
        &config,
        t(1),
        BmsInputs::default(),
        &env,
    );
    assert!(devices.get(3).is_some_and(DeviceSim::is_active));
    assert!(!devices.is_powered(3));
    assert_eq!(devices.current(3, env.bank_voltage), Milliamps(0));
}

#[test]
fn total_bank_current_counts_every_consumer() {
    let config = SystemConfig {
        devices: vec![],
        ..SystemConfig::default()
    };
    let mut bms = Bms::new(config.bms.clone());
    let devices = Devices::new(&config, BANK);
    assert!(devices.is_empty());
    bms.update(t(0), &BmsInputs::default());
    let demand = OutputCurrents {
        load: Milliamps(100),
        ..OutputCurrents::default()
    };
    let total = total_bank_current(bms.outputs(), &demand, &devices, BANK);
    assert_eq!(total, Microamps(-(3_000 + 100_000)));
}

#[test]
fn config_round_trips_through_json_and_fills_defaults() {
    let c = SystemConfig::default();
    let json = serde_json::to_string(&c).unwrap();
    let back: SystemConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let minimal: SystemConfig = serde_json::from_str(r#"{"supply_fuse": 1000}"#).unwrap();
    assert_eq!(minimal.version, CONFIG_VERSION);
    assert_eq!(minimal.bms, BmsSettings::default());
    assert!(minimal.devices.is_empty());
    let dev: DeviceConfig = serde_json::from_str(
        r#"{"name":"Lights","kind":{"dc_load":{"draw":{"current":{"current":5000}}}},
            "power_path":{"behind":0}}"#,
    )
    .unwrap();
    assert_eq!(dev.power_path.behind, Some(0));
    assert_eq!(dev.control, None);
}

/// What the diagram labels on each power path: a switch's feed carries everything behind it, and the feeds off
/// the bus add up to the bank current (nothing is created or lost between the bank and the devices).
#[test]
fn feed_currents_add_up_to_the_bank_current() {
    use smallbms_core::document::Document;
    use smallbms_core::engine::Simulation;
    use smallbms_core::scenario::builtin;
    use smallbms_core::system::wiring::switch_chain;
    let doc = Document::default();
    let mut checked_nonzero = false;
    for name in ["cell-undervoltage", "remote-off", "high-cell"] {
        let scenario = builtin(name).unwrap();
        let mut sim = Simulation::new(&doc, Some(&scenario)).unwrap();
        for k in 1..=40 {
            sim.run_until(SimTime(k * 15 * 60 * 1000));
            let v = sim.bank_state().voltage;
            let devices = sim.devices();
            let mut from_bus = 0i64;
            for i in 0..doc.system.devices.len() {
                let behind: i64 = (0..doc.system.devices.len())
                    .filter(|&j| switch_chain(&doc.system, j).is_ok_and(|c| c.contains(&i)))
                    .map(|j| i64::from(devices.current(j, v).0))
                    .sum();
                let feed = devices.feed_current(i, v);
                assert_eq!(
                    i64::from(feed.0),
                    i64::from(devices.current(i, v).0) + behind,
                    "{name}: device {i}"
                );
                if switch_chain(&doc.system, i).is_ok_and(|c| c.is_empty()) {
                    from_bus += i64::from(feed.0);
                }
                checked_nonzero |= behind != 0;
            }
            assert_eq!(
                from_bus,
                i64::from(devices.bank_current(v).0),
                "{name} at {k}"
            );
            // The DC loads hang behind the BatteryProtect: their path is closed exactly while it conducts.
            let bp = devices.get(0).is_some_and(|d| d.conducts());
            assert_eq!(devices.upstream_closed(1), Some(bp), "{name} at {k}");
            assert_eq!(
                devices.upstream_closed(0),
                Some(true),
                "the BatteryProtect hangs on the bus"
            );
        }
    }
    assert!(checked_nonzero, "some switch carried a current");
}
