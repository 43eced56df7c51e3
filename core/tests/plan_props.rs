//! Property tests of the energy planner: no profile, however odd, panics; the same plan gives the same result.
#![cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use smallbms_core::document::Document;
use smallbms_core::plan::{self, ClockTime, LoadProfile, Plan, PlanOptions, Schedule, Window};

const DEVICES: [&str; 5] = [
    "DC loads (lights, water pump)",
    "Inverter 1200 VA",
    "Alternator",
    "Shore charger (Smart IP43 12/30)",
    "Nope",
];

fn schedule() -> impl Strategy<Value = Schedule> {
    (
        prop::collection::vec((0u16..=1440, 0u16..=1440), 0..3),
        prop::collection::vec(0u8..8, 0..3),
        prop::option::of(-2.0f64..105.0),
        0u16..120,
        0u16..100,
    )
        .prop_map(|(w, days, duty, period, phase)| Schedule {
            windows: w
                .into_iter()
                .map(|(a, b)| Window {
                    from: ClockTime(a),
                    to: ClockTime(b),
                })
                .collect(),
            days,
            duty_percent: duty,
            period_min: period,
            phase_min: phase,
        })
}

fn any_plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec(
            (0usize..5, -10.0f64..3000.0, any::<bool>(), schedule()),
            0..4,
        ),
        1u32..3,
        1u8..14,
        prop::option::of(-10.0f64..110.0),
        1u16..70,
        any::<bool>(),
    )
        .prop_map(|(loads, days, month, soc, step, keep)| {
            let mut p = plan::demo();
            p.days = days;
            p.month = month;
            p.day = 1;
            p.initial_soc_percent = soc;
            p.step_min = step;
            p.keep_unplanned_loads = keep;
            p.loads.extend(
                loads
                    .into_iter()
                    .enumerate()
                    .map(|(k, (d, w, ac, s))| LoadProfile {
                        name: format!("load {k}"),
                        device: DEVICES[d].to_string(),
                        watts: w,
                        ac,
                        schedule: s,
                    }),
            );
            p
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_plan_panics_and_runs_are_deterministic(p in any_plan()) {
        let o = PlanOptions { sizing: false, autonomy: false, ..PlanOptions::default() };
        let doc = Document::default();
        let a = plan::run_with(&doc, &p, &o);
        let b = plan::run_with(&doc, &p, &o);
        prop_assert_eq!(&a, &b);
        if let Ok(r) = &a {
            prop_assert_eq!(r.days.len() as u32, p.days);
            for d in &r.days {
                prop_assert!(d.wh_in.is_finite() && d.wh_out.is_finite());
                prop_assert!((0.0..=100.0).contains(&d.min_soc_percent));
            }
        }
    }

    #[test]
    fn any_text_is_a_plan_or_an_error(s in ".{0,200}") {
        let _ = Plan::from_json(&s);
    }
}

/// The generator reaches the engine often enough for the property to mean something.
#[test]
fn generated_plans_often_run() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let o = PlanOptions {
        sizing: false,
        autonomy: false,
        ..PlanOptions::default()
    };
    let ok = (0..20)
        .filter(|_| {
            let p = any_plan().new_tree(&mut runner).unwrap().current();
            plan::run_with(&Document::default(), &p, &o).is_ok()
        })
        .count();
    assert!(ok >= 4, "only {ok} of 20 generated plans ran");
}
