//! Bank model benchmark (criterion), native only: 24 h of a varying load profile on the largest bank (50 ×
//! Lithium NG 25.6 V 300 Ah = 400 cells), with 10 s and with 60 s steps — the cost of the cell model alone,
//! without the BMS and devices. `cargo bench -p smallbms-core --features std --bench bank -- --quick --noplot`
#![cfg_attr(target_arch = "wasm32", allow(unused))]

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use criterion::Criterion;
    use smallbms_core::battery::{Bank, BankConfig, CellSpread};
    use smallbms_core::catalogue::ModelRef;
    use smallbms_core::units::{Milliamps, Millis, Permille};
    use std::hint::black_box;

    fn day(step_s: u64) -> Bank {
        let cfg = BankConfig {
            model: ModelRef::Builtin("ng-25v6-300".into()),
            series: 2,
            parallel: 25,
            initial_soc: Permille(900),
            spread: CellSpread::Seeded {
                seed: 7,
                capacity_pct: 2.0,
                soc_pct: 1.0,
            },
            ..BankConfig::default()
        };
        let mut bank = Bank::new(&cfg).expect("the largest bank builds");
        let mut t = 0;
        while t < 24 * 3600 {
            // A day of a house: night base load, morning peak, solar charge at noon, evening peak.
            let amps = match t / 3600 {
                0..=5 => -40,
                6..=8 => -300,
                9..=15 => 250,
                16..=21 => -200,
                _ => -60,
            } + ((t / 600) % 7) as i32 * 10;
            bank.step(Milliamps(amps * 1000), Millis::secs(step_s));
            t += step_s;
        }
        bank
    }

    pub fn benches(c: &mut Criterion) {
        c.bench_function("bank_day_400_cells_10s_steps", |b| {
            b.iter(|| black_box(day(10)))
        });
        c.bench_function("bank_day_400_cells_60s_steps", |b| {
            b.iter(|| black_box(day(60)))
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::benches);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
