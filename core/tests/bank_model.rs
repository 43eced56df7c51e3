//! The bank model against the datasheet and against itself: a 1C discharge ends at 2.8 V/cell at the right
//! time, charge is conserved, one long step equals many short ones, and a weaker string carries less current.
#![cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use smallbms_core::battery::{Bank, BankConfig};
use smallbms_core::catalogue::ModelRef;
use smallbms_core::units::{DeciCelsius, Milliamps, Millis, Permille};

fn bank(model: &str, series: u8, parallel: u8, soc: u16) -> Bank {
    let cfg = BankConfig {
        model: ModelRef::Builtin(model.into()),
        series,
        parallel,
        initial_soc: Permille(soc),
        ambient: DeciCelsius(250),
        self_discharge_permille_per_month: 0,
        ..BankConfig::default()
    };
    Bank::new(&cfg).expect("valid bank")
}

#[test]
fn one_c_discharge_of_a_100_ah_battery_reaches_2_8_v_per_cell_after_about_an_hour() {
    // 100 A from full. The OCV table puts 2.80 V at 3 % SoC (LBS-M30) and the battery's 2 mΩ (NG12-TD) drops
    // 50 mV per cell at 100 A, so the cell reaches 2.80 V under load a little before 3 % is left: about
    // 0.97–0.985 of an hour. Window: 55–60 min.
    let mut b = bank("ng-12v8-100", 1, 1, 1000);
    let mut t = 0u64;
    while b.state().min_cell.voltage.0 > 2800 && t < 7200 {
        b.step(Milliamps(-100_000), Millis(1000));
        t += 1;
    }
    assert!(
        (55 * 60..=60 * 60).contains(&t),
        "reached 2.80 V/cell after {t} s"
    );
    // …and the battery is then at the datasheet's end-of-discharge voltage, 11.2 V = 4 × 2.8 V (NG12-TD).
    assert!(
        (11_150..=11_250).contains(&b.state().voltage.0),
        "{}",
        b.state().voltage.0
    );
}

#[test]
fn one_hour_step_equals_3600_one_second_steps() {
    // Tolerance: 0.1 % SoC and 5 mV per cell — the implicit current split over a long step is exact for the
    // RC branch and linear in the OCV slope, so only the curvature of the OCV table within the hour differs.
    for (amps, soc) in [(-80_000, 700), (40_000, 300), (-150_000, 500)] {
        let mut long = bank("ng-12v8-200", 2, 3, soc);
        let mut short = bank("ng-12v8-200", 2, 3, soc);
        long.set_string_resistance_factor(1, 2.0);
        short.set_string_resistance_factor(1, 2.0);
        long.step(Milliamps(amps), Millis::hours(1));
        for _ in 0..3600 {
            short.step(Milliamps(amps), Millis(1000));
        }
        let (l, s) = (long.state(), short.state());
        assert!(
            (i32::from(l.soc.0) - i32::from(s.soc.0)).abs() <= 1,
            "SoC {:?} vs {:?}",
            l.soc,
            s.soc
        );
        for (a, b) in long.cell_voltages().iter().zip(short.cell_voltages()) {
            assert!((a.0 - b.0).abs() <= 5, "cell {a:?} vs {b:?} at {amps} mA");
        }
    }
}

#[test]
fn a_weaker_string_carries_less_and_the_strings_add_up() {
    let mut b = bank("ng-12v8-200", 1, 3, 600);
    b.set_string_resistance_factor(2, 3.0);
    b.step(Milliamps(-90_000), Millis(1000));
    let i: Vec<i32> = b.string_currents().map(|c| c.0).collect();
    assert!(
        (i.iter().sum::<i32>() + 90_000).abs() <= 3,
        "{i:?} must add up to −90 A"
    );
    assert!(
        i[2] > i[0] && i[2] > i[1],
        "the weaker string discharges less: {i:?}"
    );
    assert!(
        (i[0] - i[1]).abs() <= 2,
        "equal strings share equally: {i:?}"
    );
    // Ohm's law at the first instant: the split follows the conductances (1 : 1 : 1/3 → 3/7, 3/7, 1/7).
    assert!((i[2] + 90_000 / 7).abs() < 1500, "{i:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Ah in = ΔSoC × capacity (+ self-discharge, here set to 0 so the ledger is exact), for any profile that
    /// stays away from the empty and full clamps.
    #[test]
    fn charge_is_conserved(profile in prop::collection::vec((-60_000i32..60_000, 1u64..600), 1..40)) {
        let mut b = bank("ng-12v8-100", 1, 2, 500);
        let before = b.state().soc.0;
        let mut ah = 0.0;
        for (ma, s) in &profile {
            b.step(Milliamps(*ma), Millis(s * 1000));
            ah += f64::from(*ma) / 1000.0 * (*s as f64) / 3600.0;
        }
        let after = b.state();
        prop_assume!(after.min_cell_soc.0 > 0 && after.max_cell_soc.0 < 1000);
        let delta_ah = (f64::from(after.soc.0) - f64::from(before)) / 1000.0 * 200.0;
        // SoC is reported in 0.1 % steps of 200 Ah: 0.2 Ah resolution.
        prop_assert!((delta_ah - ah).abs() <= 0.15, "ΔSoC×C = {delta_ah} Ah, ∫I dt = {ah} Ah");
    }

    /// No configuration panics; SoC stays within 0…100 % through any current.
    #[test]
    fn no_panic_and_soc_in_range(series in 0u8..20, parallel in 0u8..70, soc in 0u16..2000, ma in -2_000_000i32..2_000_000, t in 0i16..900) {
        let cfg = BankConfig { series, parallel, initial_soc: Permille(soc), ambient: DeciCelsius(t - 400), ..BankConfig::default() };
        if let Ok(mut b) = Bank::new(&cfg) {
            b.step(Milliamps(ma), Millis::hours(2));
            prop_assert!(b.state().soc.0 <= 1000);
        }
    }
}
