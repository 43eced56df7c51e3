//! Identical results native and wasm32: a deterministic 24 h run of a varying profile on a seeded-spread bank,
//! checked against the same golden values on both targets (`cargo test --test wasm_parity` natively, and with
//! `--target wasm32-unknown-unknown` under wasm-bindgen-test in node). The cell model uses only + − × ÷ and
//! `libm`, so the bits must agree.
use smallbms_core::battery::{Bank, BankConfig, CellSpread};
use smallbms_core::catalogue::ModelRef;
use smallbms_core::units::{DeciCelsius, Milliamps, Millis, Permille};

/// FNV-1a over the bits of every cell's state of charge and every cell voltage.
fn fingerprint(bank: &Bank) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u64| {
        for b in x.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for b in 0..bank.batteries() {
        for c in 0..bank.cells_per_battery() {
            eat(bank.cell_soc(b, c).unwrap_or(f64::NAN).to_bits());
        }
    }
    for v in bank.cell_voltages() {
        eat(v.0 as u64);
    }
    h
}

fn run() -> (u64, i32, u16) {
    let cfg = BankConfig {
        model: ModelRef::Builtin("ng-12v8-200".into()),
        series: 2,
        parallel: 3,
        initial_soc: Permille(900),
        ambient: DeciCelsius(150),
        spread: CellSpread::Seeded {
            seed: 42,
            capacity_pct: 3.0,
            soc_pct: 2.0,
        },
        hysteresis: true,
        ..BankConfig::default()
    };
    let mut bank = Bank::new(&cfg).expect("a valid bank");
    bank.set_temperature(3, DeciCelsius(50));
    bank.set_string_resistance_factor(1, 1.7);
    // 24 h: discharge at a varying load, a midday charge, variable step lengths.
    for minute in 0..(24 * 60) {
        let amps = match minute {
            0..=479 => -20 - (minute % 37),
            480..=899 => 30 + (minute % 11) * 2,
            _ => -12 - (minute % 13),
        };
        let dt = if minute % 10 == 0 {
            Millis(1_000)
        } else {
            Millis(59_000)
        };
        bank.step(Milliamps(amps * 1000), dt);
        if minute % 10 == 0 {
            bank.step(Milliamps(amps * 1000), Millis(59_000));
        }
    }
    let s = bank.state();
    (fingerprint(&bank), s.voltage.0, s.soc.0)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_same_bits_native_and_wasm() {
    let (hash, mv, soc) = run();
    assert_eq!((hash, mv, soc), GOLDEN, "fingerprint, bank mV, SoC ‰");
}

/// Recorded natively (x86_64) on 2026-11-23; wasm32 must give the very same values.
const GOLDEN: (u64, i32, u16) = (4_289_191_318_509_098_881, 26_021, 593);

/// FNV-1a over the bits of a plan run's figures: every day's energies and lowest SoC, the hourly SoC and the
/// day-1 PV power (sun position, clear sky, weather table and the engine all in the loop).
fn plan_fingerprint() -> (u64, u64) {
    use smallbms_core::plan::{self, PlanOptions};
    let o = PlanOptions {
        days: Some(2),
        sizing: false,
        autonomy: false,
        ..PlanOptions::default()
    };
    let r = plan::run_with(
        &smallbms_core::document::Document::default(),
        &plan::demo(),
        &o,
    )
    .expect("the demo plan runs");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: f64| {
        for b in x.to_bits().to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for d in &r.days {
        eat(d.wh_in);
        eat(d.wh_out);
        eat(d.min_soc_percent);
        eat(d.stored_wh);
    }
    r.soc_hourly_percent.iter().copied().for_each(&mut eat);
    r.pv_w_hourly.iter().copied().for_each(&mut eat);
    (h, r.steps)
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_plan_gives_the_same_bits_native_and_wasm() {
    assert_eq!(
        plan_fingerprint(),
        PLAN_GOLDEN,
        "plan fingerprint, engine steps"
    );
}

/// Recorded natively (x86_64) on 2026-12-08; wasm32 must give the very same values.
const PLAN_GOLDEN: (u64, u64) = (13_234_715_181_417_229_001, 512);
