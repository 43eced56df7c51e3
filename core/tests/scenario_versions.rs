//! Every scenario format this app ever read still loads, as the same scenario.
//!
//! `data/scenarios/v1/` holds the built-in scenarios as they were written in format 1 (no `version` field, the
//! action's name beside its fields); the built-ins under `core/scenarios/` are now format 2.
use smallbms_core::scenario::{builtin, upgrade, Action, Scenario, ScenarioError, BUILTINS};
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/scenarios/v1");

#[test]
fn every_version_1_builtin_loads_as_the_version_2_builtin() {
    let mut seen = 0;
    for (name, text) in BUILTINS {
        let path = Path::new(DIR).join(format!("{name}.json"));
        let old = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        assert!(
            !old.contains("\"version\""),
            "{name}: the copy is version 1"
        );
        let from_old = Scenario::from_json(&old).unwrap_or_else(|e| panic!("v1 {name}: {e}"));
        let from_new = Scenario::from_json(text).unwrap_or_else(|e| panic!("v2 {name}: {e}"));
        assert_eq!(from_old, from_new, "{name}");
        assert_eq!(builtin(name).as_ref(), Ok(&from_new));
        assert!(!from_new.events.is_empty());
        seen += 1;
    }
    assert_eq!(seen, BUILTINS.len());
    assert!(std::fs::read_dir(DIR).map(|d| d.count()).unwrap_or(0) >= BUILTINS.len());
}

#[test]
fn a_version_1_event_of_every_action_reads_the_same_as_in_version_2() {
    let v1 = r#"{"name":"all","duration_s":100,"events":[
        {"at_s":1,"action":"demand","device":"Inverter","amps":3.5},
        {"action":"parasitic","milliamps":40,"at_s":2},
        {"at_s":3,"action":"external_charge","amps":10},
        {"at_s":4,"action":"temperature","celsius":-5},
        {"at_s":5,"action":"temperature","celsius":7,"battery":1},
        {"at_s":6,"action":"bms_cable","connected":false},
        {"at_s":7,"action":"remote","on":true},
        {"at_s":8,"action":"cell_drift","battery":0,"cell":2,"permille":-30},
        {"at_s":9,"action":"bms_supply","connected":false}]}"#;
    let v2 = r#"{"version":2,"name":"all","duration_s":100,"events":[
        {"at_s":1,"action":{"demand":{"device":"Inverter","amps":3.5}}},
        {"at_s":2,"action":{"parasitic":{"milliamps":40}}},
        {"at_s":3,"action":{"external_charge":{"amps":10}}},
        {"at_s":4,"action":{"temperature":{"celsius":-5}}},
        {"at_s":5,"action":{"temperature":{"celsius":7,"battery":1}}},
        {"at_s":6,"action":{"bms_cable":{"connected":false}}},
        {"at_s":7,"action":{"remote":{"on":true}}},
        {"at_s":8,"action":{"cell_drift":{"battery":0,"cell":2,"permille":-30}}},
        {"at_s":9,"action":{"bms_supply":{"connected":false}}}]}"#;
    let a = Scenario::from_json(v1).unwrap_or_else(|e| panic!("{e}"));
    let b = Scenario::from_json(v2).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, b);
    assert_eq!(a.events.len(), 9);
    assert_eq!(
        a.events[7].action,
        Action::CellDrift {
            battery: 0,
            cell: 2,
            permille: -30
        }
    );
    // The upgrade is a rewrite of the JSON: version 1 without "version" becomes the version-2 tree.
    let mut tree: serde_json::Value = serde_json::from_str(v1).unwrap_or_default();
    upgrade(&mut tree, 1);
    let mut want: serde_json::Value = serde_json::from_str(v2).unwrap_or_default();
    if let Some(m) = want.as_object_mut() {
        m.remove("version");
    }
    assert_eq!(tree, want);
}

#[test]
fn bad_versions_are_typed_errors() {
    assert_eq!(
        Scenario::from_json(r#"{"version":3,"name":"x","duration_s":1}"#),
        Err(ScenarioError::Newer { found: 3 })
    );
    assert!(matches!(
        Scenario::from_json(r#"{"version":"two","name":"x","duration_s":1}"#),
        Err(ScenarioError::Json(_))
    ));
    // An unknown action stays a plain error in either version.
    for text in [
        r#"{"name":"x","duration_s":9,"events":[{"at_s":1,"action":"teleport"}]}"#,
        r#"{"version":2,"name":"x","duration_s":9,"events":[{"at_s":1,"action":{"teleport":{}}}]}"#,
        r#"{"version":2,"name":"x","duration_s":9,"events":[{"at_s":1,"action":"remote","on":true}]}"#,
    ] {
        assert!(
            matches!(Scenario::from_json(text), Err(ScenarioError::Json(_))),
            "{text}"
        );
    }
}
