//! The browser benchmark page (`?bench`): the largest bank (50 × Lithium NG 25.6 V 300 Ah, 400 cells) with the
//! demo devices, run at 10 000× for 200 animation frames; reports the first render time of the app and the
//! per-frame work. The test command prints these figures; nothing asserts on them.
use leptos::prelude::*;
use smallbms_core::catalogue::ModelRef;
use smallbms_core::document::Document;
use smallbms_core::engine::Simulation;
use smallbms_core::scenario::Action;
use smallbms_core::units::Millis;

pub const SPEED: f64 = 10_000.0;
pub const FRAMES: usize = 200;

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs the benchmark synchronously, one simulated animation frame (16.7 ms × speed) at a time.
pub fn run(first_render_ms: f64) -> String {
    let mut doc = Document::default();
    doc.bank.model = ModelRef::Builtin("ng-25v6-300".into());
    doc.bank.series = 2;
    doc.bank.parallel = 25;
    let Ok(mut sim) = Simulation::new(&doc, None) else {
        return "{\"error\": \"the bank could not be built\"}".into();
    };
    sim.act(Action::Demand {
        device: "Inverter 1200 VA".into(),
        amps: 120.0,
    });
    let mut work = Vec::with_capacity(FRAMES);
    for f in 0..FRAMES {
        if f % 20 == 10 {
            sim.act(Action::Demand {
                device: "Inverter 1200 VA".into(),
                amps: (f % 60) as f64 * 3.0,
            });
        }
        let start = now();
        let target = sim.now().after(Millis((1000.0 / 60.0 * SPEED) as u64));
        sim.run_until(target);
        work.push(now() - start);
    }
    let mean = work.iter().sum::<f64>() / work.len() as f64;
    let mut sorted = work.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let p95 = sorted[(sorted.len() * 95 / 100).min(sorted.len() - 1)];
    format!(
        "{{\"first_render_ms\": {first_render_ms:.1}, \"frame_work_ms_mean\": {mean:.3}, \"frame_work_ms_p95\": {p95:.3}, \"sim_seconds_per_frame\": {:.1}, \"cells\": 400, \"steps\": {}}}",
        1000.0 / 60.0 * SPEED / 1000.0,
        sim.steps()
    )
}

#[component]
pub fn BenchView(first_render_ms: f64) -> impl IntoView {
    let result = RwSignal::new(None::<String>);
    // Let the page paint first, then measure.
    set_timeout(
        move || result.set(Some(run(first_render_ms))),
        core::time::Duration::from_millis(50),
    );
    view! {
        <main><section class="panel">
            <h2>"Browser benchmark"</h2>
            <p class="muted">"Largest bank (400 cells) with the demo devices at 10 000× for 200 frames."</p>
            <pre id="bench-result">{move || result.get().unwrap_or_else(|| "running…".into())}</pre>
        </section></main>
    }
}
