//! LFP cell open-circuit voltage versus state of charge.
//!
//! From 5 % to 100 %: the published LFP cell OCV table of the LibreSolar BMS firmware (Apache-2.0), 5 % steps
//! (anchors.md §4.2, [LS-OCV]). Below 5 % that table jumps straight to 2.833 V at 0 %, which would keep a cell
//! above the 2.80 V under-voltage level at any load; Victron's own figures for LFP are used there instead: "at
//! 2.8 V cell voltage ≈ 3 % remaining capacity, at 2.6 V ≈ 1 %" (victron-behaviour.md §1.3, LBS-M30), and 2.50 V
//! at 0 %, the usual LFP discharge cut-off (assumed).

/// (state of charge 0…1, open-circuit volts), ascending.
pub const OCV_TABLE: [(f64, f64); 23] = [
    (0.00, 2.500),
    (0.01, 2.600),
    (0.03, 2.800),
    (0.05, 3.132),
    (0.10, 3.177),
    (0.15, 3.190),
    (0.20, 3.213),
    (0.25, 3.226),
    (0.30, 3.240),
    (0.35, 3.252),
    (0.40, 3.262),
    (0.45, 3.264),
    (0.50, 3.265),
    (0.55, 3.268),
    (0.60, 3.271),
    (0.65, 3.275),
    (0.70, 3.283),
    (0.75, 3.296),
    (0.80, 3.304),
    (0.85, 3.308),
    (0.90, 3.309),
    (0.95, 3.314),
    (1.00, 3.392),
];

/// Above full the voltage climbs steeply (the charge curve's end): this many volts per unit of SoC past 100 %
/// is used for a cell pushed beyond its capacity (assumed, so over-voltage is reachable in simulation).
const OVERCHARGE_SLOPE: f64 = 8.0;

/// The table segment `soc` (in 0…1) lies in: direct index on the evenly spaced 5 % rows, a scan below 5 %.
/// Called for every cell at every step, so no search.
fn segment(soc: f64) -> usize {
    if soc >= 0.05 {
        // Rows 3.. are 0.05, 0.10, … 1.00.
        (3 + ((soc - 0.05) / 0.05) as usize).min(OCV_TABLE.len() - 2)
    } else if soc >= 0.03 {
        2
    } else if soc >= 0.01 {
        1
    } else {
        0
    }
}

/// Open-circuit voltage of one cell at state of charge `soc` (piecewise linear; clamped below 0).
pub fn ocv(soc: f64) -> f64 {
    if soc.is_nan() || soc <= 0.0 {
        return OCV_TABLE[0].1;
    }
    if soc >= 1.0 {
        return OCV_TABLE[OCV_TABLE.len() - 1].1 + (soc - 1.0) * OVERCHARGE_SLOPE;
    }
    let i = segment(soc);
    let (lo, hi) = (OCV_TABLE[i], OCV_TABLE[i + 1]);
    lo.1 + (soc - lo.0) / (hi.0 - lo.0) * (hi.1 - lo.1)
}

/// The slope dOCV/dSoC at `soc` (volts per unit of SoC), from the table segment `soc` lies in.
pub fn slope(soc: f64) -> f64 {
    if soc.is_nan() || soc < 0.0 {
        return 0.0;
    }
    if soc >= 1.0 {
        return OVERCHARGE_SLOPE;
    }
    let i = segment(soc);
    let (lo, hi) = (OCV_TABLE[i], OCV_TABLE[i + 1]);
    (hi.1 - lo.1) / (hi.0 - lo.0)
}

/// The state of charge whose OCV is `volts` (inverse of [`ocv`] on 0…1), for starting a cell from a voltage.
pub fn soc_at(volts: f64) -> f64 {
    if volts <= OCV_TABLE[0].1 {
        return 0.0;
    }
    let mut lo = OCV_TABLE[0];
    for &hi in &OCV_TABLE[1..] {
        if volts <= hi.1 {
            let f = (volts - lo.1) / (hi.1 - lo.1);
            return lo.0 + f * (hi.0 - lo.0);
        }
        lo = hi;
    }
    1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_monotonic_and_matches_sources() {
        for w in OCV_TABLE.windows(2) {
            assert!(w[1].0 > w[0].0 && w[1].1 > w[0].1, "{w:?}");
        }
        assert_eq!(ocv(0.03), 2.8); // LBS-M30
        assert_eq!(ocv(0.5), 3.265); // LS-OCV
        assert!((ocv(0.525) - 3.2665).abs() < 1e-12);
        assert!(ocv(1.01) > 3.39 && ocv(-1.0) == 2.5 && ocv(f64::NAN) == 2.5);
    }

    #[test]
    fn direct_segment_matches_a_scan() {
        for i in 0..=10_000 {
            let soc = i as f64 / 10_000.0;
            let scan = OCV_TABLE
                .windows(2)
                .position(|w| soc >= w[0].0 && soc <= w[1].0)
                .unwrap();
            let (lo, hi) = (OCV_TABLE[scan], OCV_TABLE[scan + 1]);
            let expect = lo.1 + (soc - lo.0) / (hi.0 - lo.0) * (hi.1 - lo.1);
            assert!((ocv(soc) - expect).abs() < 1e-12, "{soc}");
        }
    }

    #[test]
    fn inverse() {
        for i in 0..=100 {
            let s = i as f64 / 100.0;
            assert!((soc_at(ocv(s)) - s).abs() < 1e-9, "{s}");
        }
    }
}
