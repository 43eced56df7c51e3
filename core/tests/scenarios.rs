//! Golden timelines: every built-in scenario, run on the demo system, against the expected timeline stored as data
//! in `core/tests/scenarios/<name>.json`. A built-in scenario without a golden file fails, and so does a golden
//! file without a built-in scenario.
//!
//! # Golden file format
//! ```json
//! {
//!   "scenario": "name",                  // the built-in scenario
//!   "why": "...",                        // how the expected figures were derived
//!   "reference_step_s": 1,               // optional: also run with fixed steps of this length (an accuracy check
//!                                        // of the adaptive step policy); the timeline must hold for both runs
//!   "complete": true,                    // every BMS event (pre_alarm, load_disconnect, charge_disconnect,
//!                                        // alarm, battery) in the log must be one of "events"
//!   "events": [ { "event": "signal level[ subject]", "at_s": 60, "tol_s": 0,
//!                 "cause_contains": ["..."], "why": "..." } ],
//!   "relations": [ { "after": "signal level[ subject]", "event": "signal level[ subject]",
//!                    "min_gap_s": 30, "max_gap_s": 40, "why": "..." } ],
//!   "never": [ { "state": "load|charger|pre_alarm", "is": "high|floating", "from_s": 0, "to_s": 100,
//!                "why": "..." },                       // checked after every engine step
//!              { "event": "signal level[ subject]", "from_s": 0, "to_s": 100, "why": "..." } ],
//!   "probes": [ { "at_s": 120, "expect": { ... }, "why": "..." } ],   // the state at that instant
//!   "final": { ... }                     // the state at the end
//! }
//! ```
//! State checks (`expect`, `final`) take `load`, `charger`, `pre_alarm` (`"high"`/`"floating"`) and numbers
//! `{"value": v, "tol": t}` for `soc_percent`, `min_cell_soc_percent`, `min_cell_v`, `max_cell_v`,
//! `bank_voltage_v`, `current_a`, `bms_consumption_ma`.
#![cfg(not(target_arch = "wasm32"))]
use serde_json::Value;
use smallbms_core::document::Document;
use smallbms_core::engine::{Event, Simulation};
use smallbms_core::scenario::{builtin, Scenario, BUILTINS};
use smallbms_core::units::{Millis, SimTime};
use std::path::PathBuf;

const BMS_SIGNALS: [&str; 5] = [
    "pre_alarm",
    "load_disconnect",
    "charge_disconnect",
    "alarm",
    "battery",
];

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

fn load_golden(name: &str) -> Value {
    let path = golden_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "built-in scenario \"{name}\" has no golden timeline at {}: {e}",
            path.display()
        )
    });
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not valid JSON: {e}", path.display()));
    assert_eq!(
        v["scenario"].as_str(),
        Some(name),
        "{}: \"scenario\" must name the file",
        path.display()
    );
    v
}

/// "signal level[ subject]".
#[derive(Debug)]
struct EventRef {
    signal: String,
    level: String,
    subject: Option<String>,
}

impl EventRef {
    fn parse(s: &str) -> EventRef {
        let mut it = s.splitn(3, ' ');
        let signal = it.next().unwrap_or_default().to_string();
        let level = it
            .next()
            .unwrap_or_else(|| panic!("event reference \"{s}\" needs \"signal level\""))
            .to_string();
        let subject = it.next().map(str::to_string);
        EventRef {
            signal,
            level,
            subject,
        }
    }
    fn matches(&self, e: &Event) -> bool {
        e.signal == self.signal
            && e.level == self.level
            && self
                .subject
                .as_ref()
                .is_none_or(|s| e.subject.as_deref() == Some(s.as_str()))
    }
}

fn secs(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

fn ms(s: f64) -> u64 {
    (s * 1000.0).round() as u64
}

fn describe(e: &Event) -> String {
    format!(
        "{:.3} s {} {} {}",
        e.t_ms as f64 / 1000.0,
        e.signal,
        e.level,
        e.subject.as_deref().unwrap_or("")
    )
}

fn timeline(events: &[Event]) -> String {
    events
        .iter()
        .filter(|e| e.signal != "input")
        .map(describe)
        .collect::<Vec<_>>()
        .join("\n  ")
}

fn level_word(high: bool) -> &'static str {
    if high {
        "high"
    } else {
        "floating"
    }
}

/// A state value by name, as the golden files name them.
fn state_value(sim: &Simulation, key: &str) -> Value {
    let s = sim.bank_state();
    let o = sim.bms();
    match key {
        "load" => Value::from(level_word(o.load.level.is_high())),
        "charger" => Value::from(level_word(o.charger.level.is_high())),
        "pre_alarm" => Value::from(level_word(o.pre_alarm.level.is_high())),
        "soc_percent" => Value::from(s.soc.percent()),
        "min_cell_soc_percent" => Value::from(s.min_cell_soc.percent()),
        "min_cell_v" => Value::from(s.min_cell.voltage.si()),
        "max_cell_v" => Value::from(s.max_cell.voltage.si()),
        "bank_voltage_v" => Value::from(s.voltage.si()),
        "current_a" => Value::from(s.current.si()),
        "bms_consumption_ma" => Value::from(o.own_consumption.0 as f64 / 1000.0),
        other => panic!("unknown state key \"{other}\""),
    }
}

fn check_state(sim: &Simulation, expect: &Value, what: &str, errors: &mut Vec<String>) {
    let Some(map) = expect.as_object() else {
        panic!("{what}: expected an object");
    };
    for (key, want) in map {
        let got = state_value(sim, key);
        let ok = match want {
            Value::String(_) => &got == want,
            Value::Object(o) => {
                let v = o["value"].as_f64().expect("value");
                let tol = o.get("tol").and_then(Value::as_f64).unwrap_or(0.0);
                got.as_f64().is_some_and(|g| (g - v).abs() <= tol + 1e-9)
            }
            other => panic!("{what}: {key}: cannot check against {other}"),
        };
        if !ok {
            errors.push(format!(
                "{what} at {:.3} s: {key} is {got}, expected {want}",
                sim.now().0 as f64 / 1000.0
            ));
        }
    }
}

/// Runs the scenario to its end (adaptive steps, or steps of at most `fixed` ms), checking the state-form "never"
/// constraints after every step. Returns the simulation and the log.
fn run(
    sc: &Scenario,
    golden: &Value,
    fixed: Option<u64>,
    errors: &mut Vec<String>,
) -> (Simulation, Vec<Event>) {
    let mut sim = Simulation::new(&Document::default(), Some(sc)).expect("demo system runs");
    let end = sim.end().expect("a scenario has an end");
    let never: Vec<&Value> = golden["never"]
        .as_array()
        .map(|a| a.iter().filter(|n| n.get("state").is_some()).collect())
        .unwrap_or_default();
    let check = |sim: &Simulation, errors: &mut Vec<String>| {
        let t = sim.now().0;
        for n in &never {
            let from = secs(n, "from_s").map_or(0, ms);
            let to = secs(n, "to_s").map_or(u64::MAX, ms);
            if t < from || t > to {
                continue;
            }
            let key = n["state"].as_str().expect("state");
            let bad = n["is"].as_str().expect("is");
            if state_value(sim, key) == bad {
                errors.push(format!(
                    "never: {key} is {bad} at {:.3} s ({})",
                    t as f64 / 1000.0,
                    n["why"].as_str().unwrap_or("")
                ));
            }
        }
    };
    check(&sim, errors);
    while sim.now() < end {
        let limit = match fixed {
            Some(step) => sim.now().after(Millis(step)).min(end),
            None => end,
        };
        sim.step_to(limit);
        check(&sim, errors);
    }
    let log: Vec<Event> = sim.events().cloned().collect();
    (sim, log)
}

fn check_events(golden: &Value, log: &[Event], errors: &mut Vec<String>) {
    let mut used = vec![false; log.len()];
    for exp in golden["events"].as_array().into_iter().flatten() {
        let r = EventRef::parse(exp["event"].as_str().expect("event"));
        let at = ms(secs(exp, "at_s").expect("at_s"));
        let tol = ms(secs(exp, "tol_s").expect("tol_s"));
        let best = log
            .iter()
            .enumerate()
            .filter(|(i, e)| !used[*i] && r.matches(e))
            .min_by_key(|(_, e)| e.t_ms.abs_diff(at));
        match best {
            Some((i, e)) if e.t_ms.abs_diff(at) <= tol => {
                used[i] = true;
                for needle in exp["cause_contains"].as_array().into_iter().flatten() {
                    let needle = needle.as_str().expect("cause_contains: strings");
                    if !e.cause.contains(needle) {
                        errors.push(format!(
                            "{}: cause \"{}\" does not contain \"{needle}\"",
                            describe(e),
                            e.cause
                        ));
                    }
                }
            }
            Some((_, e)) => errors.push(format!(
                "{r:?} expected at {:.3} ± {:.3} s, nearest is at {:.3} s",
                at as f64 / 1000.0,
                tol as f64 / 1000.0,
                e.t_ms as f64 / 1000.0
            )),
            None => errors.push(format!("{r:?} never happened")),
        }
    }
    if golden["complete"].as_bool() == Some(true) {
        for (e, u) in log.iter().zip(&used) {
            if !u && BMS_SIGNALS.contains(&e.signal) {
                errors.push(format!("unexpected event {}", describe(e)));
            }
        }
    }
}

fn check_relations(golden: &Value, log: &[Event], errors: &mut Vec<String>) {
    for rel in golden["relations"].as_array().into_iter().flatten() {
        let a = EventRef::parse(rel["after"].as_str().expect("after"));
        let b = EventRef::parse(rel["event"].as_str().expect("event"));
        let Some(ta) = log.iter().find(|e| a.matches(e)).map(|e| e.t_ms) else {
            errors.push(format!("relation: {a:?} never happened"));
            continue;
        };
        let Some(tb) = log
            .iter()
            .find(|e| e.t_ms >= ta && b.matches(e))
            .map(|e| e.t_ms)
        else {
            errors.push(format!("relation: {b:?} never happened after {a:?}"));
            continue;
        };
        let gap = (tb - ta) as f64 / 1000.0;
        let min = secs(rel, "min_gap_s").unwrap_or(0.0);
        let max = secs(rel, "max_gap_s").unwrap_or(f64::MAX);
        if gap < min || gap > max {
            errors.push(format!(
                "relation: {b:?} came {gap:.3} s after {a:?}, expected {min} … {max} s ({})",
                rel["why"].as_str().unwrap_or("")
            ));
        }
    }
}

fn check_never_events(golden: &Value, log: &[Event], errors: &mut Vec<String>) {
    for n in golden["never"].as_array().into_iter().flatten() {
        let Some(ev) = n.get("event").and_then(Value::as_str) else {
            continue;
        };
        let r = EventRef::parse(ev);
        let from = secs(n, "from_s").map_or(0, ms);
        let to = secs(n, "to_s").map_or(u64::MAX, ms);
        for e in log
            .iter()
            .filter(|e| r.matches(e) && e.t_ms >= from && e.t_ms <= to)
        {
            errors.push(format!(
                "never: {} ({})",
                describe(e),
                n["why"].as_str().unwrap_or("")
            ));
        }
    }
}

fn check_probes(sc: &Scenario, golden: &Value, errors: &mut Vec<String>) {
    let probes = golden["probes"].as_array().cloned().unwrap_or_default();
    if probes.is_empty() {
        return;
    }
    let mut sim = Simulation::new(&Document::default(), Some(sc)).expect("demo system runs");
    for p in &probes {
        let at = SimTime(ms(secs(p, "at_s").expect("at_s")));
        sim.run_until(at);
        assert_eq!(sim.now(), at, "a probe lies within the scenario");
        check_state(&sim, &p["expect"], "probe", errors);
    }
}

fn check_scenario(name: &str) -> Vec<String> {
    let golden = load_golden(name);
    let sc = builtin(name).expect("built-in scenarios parse");
    let mut errors = Vec::new();
    let mut runs = vec![(None, "adaptive steps")];
    if let Some(step) = secs(&golden, "reference_step_s") {
        runs.push((Some(ms(step)), "fixed reference steps"));
    }
    for (fixed, label) in runs {
        let mut errs = Vec::new();
        let (sim, log) = run(&sc, &golden, fixed, &mut errs);
        check_events(&golden, &log, &mut errs);
        check_relations(&golden, &log, &mut errs);
        check_never_events(&golden, &log, &mut errs);
        check_state(&sim, &golden["final"], "final", &mut errs);
        assert_eq!(sim.dropped_events(), 0, "{name}: the log overflowed");
        if !errs.is_empty() {
            errors.push(format!(
                "{name} ({label}):\n    {}\n  timeline:\n  {}",
                errs.join("\n    "),
                timeline(&log)
            ));
        }
    }
    let mut errs = Vec::new();
    check_probes(&sc, &golden, &mut errs);
    if !errs.is_empty() {
        errors.push(format!("{name} (probes):\n    {}", errs.join("\n    ")));
    }
    errors
}

#[test]
fn every_builtin_scenario_matches_its_golden_timeline() {
    let errors: Vec<String> = BUILTINS
        .iter()
        .flat_map(|(name, _)| check_scenario(name))
        .collect();
    assert!(errors.is_empty(), "\n{}", errors.join("\n\n"));
}

#[test]
fn every_golden_file_names_a_builtin_scenario() {
    let mut found = 0;
    for entry in std::fs::read_dir(golden_dir()).expect("core/tests/scenarios exists") {
        let path = entry.expect("readable").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        assert!(
            BUILTINS.iter().any(|(n, _)| *n == stem),
            "{} has no built-in scenario",
            path.display()
        );
        found += 1;
    }
    assert_eq!(found, BUILTINS.len());
}

/// The runner itself can fail: a shifted time, a wrong level and a missing event are each reported.
#[test]
fn the_runner_rejects_a_wrong_timeline() {
    let sc = builtin("remote-off").expect("built-in");
    let wrong: Value = serde_json::from_str(
        r#"{ "events": [
              { "event": "load_disconnect floating", "at_s": 61, "tol_s": 0.5 },
              { "event": "charge_disconnect high", "at_s": 60, "tol_s": 0 },
              { "event": "battery empty", "at_s": 0, "tol_s": 1e9 } ],
             "relations": [ { "after": "load_disconnect floating", "event": "load_disconnect high",
                              "min_gap_s": 300 } ],
             "never": [ { "state": "charger", "is": "floating" } ],
             "final": { "load": "floating", "soc_percent": { "value": 50, "tol": 1 } } }"#,
    )
    .expect("JSON");
    let mut errors = Vec::new();
    let (sim, log) = run(&sc, &wrong, None, &mut errors);
    check_events(&wrong, &log, &mut errors);
    check_relations(&wrong, &log, &mut errors);
    check_state(&sim, &wrong["final"], "final", &mut errors);
    let all = errors.join("\n");
    for needle in [
        "expected at 61.000",
        "level: \"high\"",
        "signal: \"battery\"",
        "came 240.000 s",
        "never: charger is floating",
        "load is \"high\"",
        "soc_percent",
    ] {
        assert!(all.contains(needle), "missing \"{needle}\" in:\n{all}");
    }
}
