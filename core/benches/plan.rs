//! Energy-planner benchmark (criterion), native only.
//!
//! - `plan_year_largest_bank`: a 365-day plan on the largest bank the smallBMS NG manages (50 × Lithium NG 25.6 V
//!   300 Ah, 2 in series × 25 strings, 384 kWh) with the demo van plan, a workshop load whose power changes every
//!   hour, 2 kWp of solar at Marseille, the alternator and shore power: one engine run, no sizing re-runs.
//!   Target ≤ 1 s (issue 11).
//!
//! `cargo bench -p smallbms-core --features std --bench plan -- --quick --noplot`
#![cfg_attr(target_arch = "wasm32", allow(unused))]

mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::Criterion;
    use smallbms_core::plan::{self, LoadProfile, Plan, PlanOptions, Schedule};
    use std::hint::black_box;
    use std::time::Duration;

    pub use crate::common::largest_bank;

    /// The demo plan for a year from 1 January, with a workshop load of a new power every hour and 2 kWp.
    pub fn year_plan() -> Plan {
        let mut p = plan::demo();
        p.days = 365;
        p.month = 1;
        p.day = 1;
        p.initial_soc_percent = Some(60.0);
        for h in 0..24u16 {
            let from = format!("{h:02}:00");
            let to = format!("{:02}:00", h + 1);
            p.loads.push(LoadProfile {
                name: format!("Workshop {from}"),
                device: "DC loads (lights, water pump)".into(),
                watts: f64::from((h * 37) % 300),
                ac: false,
                schedule: Schedule::between(&[(from.as_str(), to.as_str())]),
            });
        }
        p.solar[0].wp = 2000.0;
        p
    }

    /// This thread's CPU time, s (Linux /proc schedstat: nanoseconds on a CPU; 0 elsewhere).
    fn cpu_seconds() -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| {
                s.split_whitespace()
                    .next()
                    .and_then(|x| x.parse::<f64>().ok())
            })
            .map_or(0.0, |ns| ns / 1e9)
    }

    fn benches(c: &mut Criterion) {
        let doc = largest_bank();
        let plan = year_plan();
        let o = PlanOptions {
            sizing: false,
            autonomy: false,
            ..PlanOptions::default()
        };
        let r = plan::run_with(&doc, &plan, &o).expect("the benchmark plan runs");
        eprintln!(
            "plan_year_largest_bank: {} days, {} steps, lowest SoC {} %, {:.0} kWh in, {:.0} kWh out",
            r.days.len(),
            r.steps,
            r.lowest_soc_percent,
            r.totals.wh_in / 1000.0,
            r.totals.wh_out / 1000.0
        );
        assert_eq!(r.days.len(), 365);
        // CPU time of one run (the machine may be shared: wall time alone overstates it).
        let (cpu0, wall0) = (cpu_seconds(), std::time::Instant::now());
        let _ = black_box(plan::run_with(&doc, &plan, &o));
        eprintln!(
            "plan_year_largest_bank: one run {:.2} s CPU, {:.2} s wall",
            cpu_seconds() - cpu0,
            wall0.elapsed().as_secs_f64()
        );
        let mut g = c.benchmark_group("plan");
        g.sample_size(10).measurement_time(Duration::from_secs(5));
        g.bench_function("plan_year_largest_bank", |b| {
            b.iter(|| plan::run_with(black_box(&doc), black_box(&plan), &o))
        });
        g.finish();
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
