//! Issue 14: what the simulator says must be true of the real system. One section per defect of the audit; each
//! test fails on the code before its fix.
#![cfg(all(feature = "std", not(target_arch = "wasm32")))]

mod common;

use common::*;
use serde_json::Value;
use smallbms_core::bms::BmsOutput;
use smallbms_core::document::Document;
use smallbms_core::engine::{Event, Simulation};
use smallbms_core::scenario::Scenario;
use smallbms_core::simcli;
use smallbms_core::system::DeviceConfig;
use std::process::Command;

fn scenario(json: &str) -> Scenario {
    Scenario::from_json(json).expect("test scenario parses")
}

fn events(sim: &Simulation) -> Vec<Event> {
    sim.events().cloned().collect()
}

fn doc_with(device: DeviceConfig) -> Document {
    Document {
        system: with(device),
        ..Document::default()
    }
}

const SHORT: &str = r#"{"name": "short", "duration_s": 60}"#;

// ---- 1. `smallbms sim` validates first -------------------------------------------------------------------------

#[test]
fn sim_refuses_a_system_with_error_findings_and_lists_them() {
    let doc = doc_with(
        DeviceConfig::new("Coil on CHARGER", relay(150)).controlled_by(on(BmsOutput::Charger)),
    );
    let err = simcli::checked_report(&doc, &scenario(SHORT), false, false).unwrap_err();
    assert!(err.contains("output.inductive_on_charger"), "{err}");
    assert!(err.contains("--force"), "{err}");
    // Forced, it runs and the findings are in the JSON.
    let out = simcli::checked_report(&doc, &scenario(SHORT), false, true).unwrap();
    let ids: Vec<&str> = out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"output.inductive_on_charger"), "{ids:?}");
    assert_eq!(out["forced"], true);
}

#[test]
fn sim_refuses_an_oversized_bank_and_a_vebus_multiplus() {
    let mut doc = Document::default();
    doc.bank.parallel = 51;
    let err = simcli::checked_report(&doc, &scenario(SHORT), false, false).unwrap_err();
    assert!(err.contains("error"), "{err}");
    let doc = doc_with(DeviceConfig::new(
        "MultiPlus",
        smallbms_core::devices::DeviceKind::VeBusMultiPlus {
            model: "MultiPlus 12/3000".into(),
        },
    ));
    assert!(simcli::checked_report(&doc, &scenario(SHORT), false, false).is_err());
}

#[test]
fn sim_on_the_demo_lists_no_error_and_runs() {
    let out = simcli::checked_report(&Document::default(), &scenario(SHORT), false, false).unwrap();
    assert!(out["findings"].is_array());
    assert_eq!(out["forced"], false);
}

#[test]
fn the_binary_exits_non_zero_on_an_invalid_system_and_prints_its_findings() {
    let doc = doc_with(
        DeviceConfig::new("Coil on CHARGER", relay(150)).controlled_by(on(BmsOutput::Charger)),
    );
    let dir = std::env::temp_dir().join(format!("smallbms-fidelity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("invalid-system.json");
    std::fs::write(&path, doc.to_json()).unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_smallbms"))
            .args([
                "sim",
                "--system",
                path.to_str().unwrap(),
                "--builtin",
                "remote-off",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let refused = run(&[]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("output.inductive_on_charger"), "{stderr}");
    let forced = run(&["--force"]);
    assert!(forced.status.success());
    let v: Value = serde_json::from_slice(&forced.stdout).unwrap();
    assert!(v["findings"].as_array().is_some_and(|f| !f.is_empty()));
    let _ = std::fs::remove_dir_all(&dir);
}
