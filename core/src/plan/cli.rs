//! `smallbms plan …`: run a system's energy plan and print the answer as JSON.
use super::{demo, run, Plan, PlanError, PlanOptions};
use crate::document::Document;
use crate::lang::{Lang, Localized};
use alloc::format;
use alloc::string::{String, ToString};

pub const USAGE: &str = "\
usage:
  smallbms plan --system SYSTEM.json [--plan PLAN.json] [--days N] [--month M] [--lat X --lon Y]
      run the plan saved in the system (or PLAN.json) through the simulator: per day wh_in, wh_out,
      min_soc_percent; first_load_disconnect_s (null if none); pv_w_hourly for day 1; days of autonomy;
      the sizing answer (batteries and Wp that keep LOAD connected), found by re-running the engine.
  smallbms plan --demo
      the demo system with the demo van plan (core/plans/van-demo.json).
options:
  --days N         1 … 366 days (default: the plan's)
  --month M        start on the 1st of month M (1 … 12)
  --lat X --lon Y  the site (degrees, north and east +); the weather of the nearest table place
  --no-sizing      skip the sizing re-runs;  --no-autonomy  skip the no-charge run
  --soc            add the hourly state of charge
  --as-scenario    print the plan as an ordinary scenario (for smallbms sim --scenario) instead
  --lang fr        event causes and messages in French";

fn read(path: &str, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read the {what} file {path}: {e}"))
}

fn number<T: core::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag} needs a number, not \"{v}\"\n\n{USAGE}"))
}

/// Runs `plan` with the arguments after the subcommand name. `Ok` is the text for stdout; `Err` the message for
/// stderr (the caller exits non-zero).
pub fn run_cli(args: &[String]) -> Result<String, String> {
    let mut system = None;
    let mut plan_file = None;
    let mut demo_run = false;
    let mut o = PlanOptions::default();
    let mut soc = false;
    let mut as_scenario = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "-h" | "--help" => return Ok(USAGE.to_string()),
            "--system" => system = Some(value("--system")?),
            "--plan" => plan_file = Some(value("--plan")?),
            "--demo" => demo_run = true,
            "--days" => o.days = Some(number("--days", &value("--days")?)?),
            "--month" => o.month = Some(number("--month", &value("--month")?)?),
            "--lat" => o.lat = Some(number("--lat", &value("--lat")?)?),
            "--lon" => o.lon = Some(number("--lon", &value("--lon")?)?),
            "--no-sizing" => o.sizing = false,
            "--no-autonomy" => o.autonomy = false,
            "--soc" => soc = true,
            "--as-scenario" => as_scenario = true,
            "--lang" => {
                let v = value("--lang")?;
                o.lang = Lang::from_code(&v)
                    .ok_or_else(|| format!("--lang is en or fr, not \"{v}\"\n\n{USAGE}"))?;
            }
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
    }
    if o.lat.is_some() != o.lon.is_some() {
        return Err(format!("give --lat and --lon together\n\n{USAGE}"));
    }
    let lang = o.lang;
    let doc = match &system {
        Some(path) => Document::from_json(&read(path, "system")?)
            .map_err(|e| format!("{path}: {}", e.in_lang(lang)))?,
        None if demo_run || plan_file.is_some() => Document::default(),
        None => {
            return Err(format!(
                "no system given: --system FILE or --demo\n\n{USAGE}"
            ))
        }
    };
    // The plan is its own file (the saved system has no plan section yet: its reader would put the page over
    // its bundle budget).
    let plan: Plan = match &plan_file {
        Some(path) => Plan::from_json(&read(path, "plan")?)
            .map_err(|e| format!("{path}: {}", e.in_lang(lang)))?,
        None if demo_run => demo(),
        None => return Err(PlanError::NoPlan.in_lang(lang).to_string()),
    };
    if as_scenario {
        let sc =
            super::run::to_scenario(&doc, &plan, &o).map_err(|e| e.in_lang(lang).to_string())?;
        return serde_json::to_string_pretty(&sc).map_err(|e| e.to_string());
    }
    let mut r = run::run_with(&doc, &plan, &o).map_err(|e| e.in_lang(lang).to_string())?;
    if !soc {
        r.soc_hourly_percent.clear();
    }
    let mut v = serde_json::to_value(&r).map_err(|e| e.to_string())?;
    if !soc {
        if let Some(m) = v.as_object_mut() {
            m.remove("soc_hourly_percent");
        }
    }
    serde_json::to_string_pretty(&v).map_err(|e| e.to_string())
}
