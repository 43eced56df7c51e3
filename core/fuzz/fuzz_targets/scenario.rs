//! Scenario files: any text through `Scenario::from_json` (format 1 without a version, format 2, and the same
//! JSON claimed as each version); what reads is checked, saved and read back the same, and run for a few engine
//! steps on the demo system.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use smallbms_core::document::Document;
use smallbms_core::engine::Simulation;
use smallbms_core::scenario::{Scenario, SCENARIO_VERSION};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    read(text);
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    for version in 1..=u64::from(SCENARIO_VERSION) {
        fields.insert("version".into(), version.into());
        read(&Value::Object(fields.clone()).to_string());
    }
});

fn read(text: &str) {
    let Ok(sc) = Scenario::from_json(text) else {
        return;
    };
    assert!(sc.check().is_ok());
    assert!(sc.events.windows(2).all(|w| w[0].at_s <= w[1].at_s));
    let saved = serde_json::to_string(&sc).unwrap_or_default();
    assert_eq!(
        Scenario::from_json(&saved).as_ref(),
        Ok(&sc),
        "saved as {saved}"
    );
    let Ok(mut sim) = Simulation::new(&Document::default(), Some(&sc)) else {
        return;
    };
    let end = sim.end().unwrap_or(sim.now());
    for _ in 0..8 {
        if sim.now() >= end {
            break;
        }
        sim.step_to(end);
    }
    assert!(sim.bank_state().soc.0 <= 1000);
}
