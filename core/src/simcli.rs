//! `smallbms sim …`: run a scenario on a system and print the timeline as JSON.
use crate::document::Document;
use crate::engine::Simulation;
use crate::finding::{Finding, Severity};
use crate::preflight;
use crate::scenario::{self, Scenario, BUILTINS};
use crate::units::Millis;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::json;

pub const USAGE: &str = "\
usage:
  smallbms sim --builtin NAME
      run a built-in scenario on the demo system (4 × Lithium NG 12.8 V 200 Ah + smallBMS NG).
  smallbms sim --system SYSTEM.json --scenario SCENARIO.json
      run any scenario on any system (a system exported from the app; a scenario as in core/scenarios/).
  smallbms sim --system SYSTEM.json --builtin NAME
      a built-in scenario on your own system.
  smallbms sim --list
      the built-in scenarios.
  --trace adds the sampled trace (SoC, min/max cell, bank voltage, current, output levels) for plotting.
  --force runs a system the configurator rejects (a finding of severity error); without it such a system is
      refused: its findings go to stderr and the exit status is non-zero.
Before it runs, sim checks the system as the configurator does (the bank against the datasheet, the wiring, the
devices, the fuse and output currents) and lists every finding in the JSON.
Output: JSON {\"scenario\", \"findings\": [{\"id\", \"severity\", \"message\", \"fix\", \"source\"}],
  \"events\": [{\"t_ms\", \"signal\", \"level\", \"subject\", \"cause\"}], \"final\": {…}}.";

/// The refusal for a system with error findings: every finding, one a line, and how to run it anyway.
pub fn refusal(findings: &[Finding]) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let mut out = format!(
        "the system has {errors} error finding(s); the simulator refuses to run it (--force runs it anyway):"
    );
    for f in findings {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        out.push_str(&format!(
            "\n  {sev} [{}] {} Fix: {} (source: {})",
            f.id, f.message, f.fix, f.source
        ));
    }
    out
}

/// Checks the system (as the configurator does) and runs the scenario on it; returns the JSON report with the
/// findings. A system with an error finding is refused ([`refusal`]) unless `force`.
pub fn checked_report(
    doc: &Document,
    sc: &Scenario,
    with_trace: bool,
    force: bool,
) -> Result<serde_json::Value, String> {
    let findings = preflight::findings(doc, Some(sc));
    if preflight::has_errors(&findings) && !force {
        return Err(refusal(&findings));
    }
    let mut out = report(doc, sc, with_trace)?;
    if let Some(map) = out.as_object_mut() {
        map.insert("findings".into(), json!(findings));
        map.insert(
            "forced".into(),
            json!(force && preflight::has_errors(&findings)),
        );
    }
    Ok(out)
}

/// Runs a scenario on a system and returns the JSON report, without checking the system first.
pub fn report(
    doc: &Document,
    sc: &Scenario,
    with_trace: bool,
) -> Result<serde_json::Value, String> {
    let mut sim = Simulation::new(doc, Some(sc)).map_err(|e| e.to_string())?;
    sim.run_to_end(Millis(0));
    let s = sim.bank_state();
    let o = sim.bms();
    let events: Vec<_> = sim.events().collect();
    let trace: Vec<_> = if with_trace {
        sim.trace().collect()
    } else {
        Vec::new()
    };
    Ok(json!({
        "scenario": sc.name,
        "trace": trace,
        "system": doc.name,
        "events": events,
        "dropped_events": sim.dropped_events(),
        "final": {
            "t_ms": sim.now().0,
            "steps": sim.steps(),
            "soc_percent": s.soc.percent(),
            "bank_voltage_v": s.voltage.si(),
            "current_a": s.current.si(),
            "min_cell_v": s.min_cell.voltage.si(),
            "max_cell_v": s.max_cell.voltage.si(),
            "min_cell_soc_percent": s.min_cell_soc.percent(),
            "load": if o.load.level.is_high() { "high" } else { "floating" },
            "charger": if o.charger.level.is_high() { "high" } else { "floating" },
            "pre_alarm": if o.pre_alarm.level.is_high() { "high" } else { "floating" },
            "bms_consumption_ma": o.own_consumption.si() * 1000.0,
            "wiring_loss_wh": sim.wiring_loss_wh(),
        }
    }))
}

fn read(path: &str, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read the {what} file {path}: {e}"))
}

/// Runs `sim` with the arguments after the subcommand name. `Ok` is the text for stdout; `Err` the message for
/// stderr.
pub fn run(args: &[String]) -> Result<String, String> {
    let mut system = None;
    let mut scenario_file = None;
    let mut builtin = None;
    let mut with_trace = false;
    let mut force = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "-h" | "--help" => return Ok(USAGE.to_string()),
            "--list" => {
                let list: Vec<_> = BUILTINS
                    .iter()
                    .filter_map(|(n, _)| {
                        scenario::builtin(n)
                            .ok()
                            .map(|s| json!({"name": n, "description": s.description}))
                    })
                    .collect();
                return serde_json::to_string_pretty(&list).map_err(|e| e.to_string());
            }
            "--trace" => with_trace = true,
            "--force" => force = true,
            "--system" => system = Some(value("--system")?),
            "--scenario" => scenario_file = Some(value("--scenario")?),
            "--builtin" => builtin = Some(value("--builtin")?),
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
    }
    let doc = match system {
        Some(path) => {
            Document::from_json(&read(&path, "system")?).map_err(|e| format!("{path}: {e}"))?
        }
        None => Document::default(),
    };
    let sc = match (builtin, scenario_file) {
        (Some(name), None) => scenario::builtin(&name).map_err(|e| e.to_string())?,
        (None, Some(path)) => {
            Scenario::from_json(&read(&path, "scenario")?).map_err(|e| format!("{path}: {e}"))?
        }
        (Some(_), Some(_)) => {
            return Err(format!("give --builtin or --scenario, not both\n\n{USAGE}"))
        }
        (None, None) => return Err(format!("no scenario given\n\n{USAGE}")),
    };
    let out = checked_report(&doc, &sc, with_trace, force)?;
    serde_json::to_string_pretty(&out).map_err(|e| e.to_string())
}
