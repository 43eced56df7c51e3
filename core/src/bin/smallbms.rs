//! The `smallbms` command line: one subcommand per tool, each a thin wrapper around a `cli` module of the core.
use std::process::ExitCode;

const USAGE: &str = "usage: smallbms <command> [args]\n\ncommands:\n  check     every finding and the power cables of a system (smallbms check --help)\n  sim       run a scenario on a system, print the timeline (smallbms sim --help)\n  plan      run a system's energy plan: days, lowest SoC, first disconnect, sizing (smallbms plan --help)\n  readout   decode or encode a Victron Instant Readout advertisement (smallbms readout --help)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("check") => smallbms_core::check::cli::run(args.get(2..).unwrap_or_default()),
        Some("sim") => smallbms_core::simcli::run(args.get(2..).unwrap_or_default()),
        Some("plan") => smallbms_core::plan::cli::run_cli(args.get(2..).unwrap_or_default()),
        Some("readout") => smallbms_core::readout::cli::run(args.get(2..).unwrap_or_default()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
