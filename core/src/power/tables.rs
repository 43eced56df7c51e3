//! The numbers of the power side, each with its source: copper, the standard cross-sections, AWG, ampacity and the
//! fuse types.
use super::CrossSection;
use crate::lang::Lang;
use crate::units::DeciCelsius;
use serde::{Deserialize, Serialize};

/// Resistivity of annealed copper at 20 °C, Ω·mm²/m (IEC 60028: 1/58).
pub const COPPER_RHO_20C: f64 = 1.0 / 58.0;
/// Temperature coefficient of copper's resistance near 20 °C, per kelvin (IEC 60028: 0.00393).
pub const COPPER_ALPHA: f64 = 0.00393;

/// Resistance of `length_m` of one copper conductor of `mm2` at `temperature`, in ohms.
pub fn copper_ohms(mm2: f64, length_m: f64, temperature: DeciCelsius) -> f64 {
    if mm2 <= 0.0 {
        return f64::INFINITY;
    }
    let t = f64::from(temperature.0) / 10.0;
    COPPER_RHO_20C * (1.0 + COPPER_ALPHA * (t - 20.0)) * length_m / mm2
}

/// Metric cross-sections sold for battery and distribution cable (IEC 60228 series).
pub const STANDARD_SIZES: [CrossSection; 17] = [
    CrossSection::mm2(0, 75),
    CrossSection::mm2(1, 0),
    CrossSection::mm2(1, 50),
    CrossSection::mm2(2, 50),
    CrossSection::mm2(4, 0),
    CrossSection::mm2(6, 0),
    CrossSection::mm2(10, 0),
    CrossSection::mm2(16, 0),
    CrossSection::mm2(25, 0),
    CrossSection::mm2(35, 0),
    CrossSection::mm2(50, 0),
    CrossSection::mm2(70, 0),
    CrossSection::mm2(95, 0),
    CrossSection::mm2(120, 0),
    CrossSection::mm2(150, 0),
    CrossSection::mm2(185, 0),
    CrossSection::mm2(240, 0),
];

/// The nearest American Wire Gauge to a metric cross-section, as printed ("4", "1/0", "4/0"); `None` outside
/// AWG 4/0 … 40 (larger cables are given in kcmil, which the app does not show).
///
/// ASTM B258: the diameter of gauge n is 0.127 mm × 92^((36 − n)/39), so its area is 0.012668 mm² ×
/// 92^((36 − n)/19.5).
pub fn awg(cs: CrossSection) -> Option<&'static str> {
    const NAMES: [&str; 44] = [
        "4/0", "3/0", "2/0", "1/0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
        "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27",
        "28", "29", "30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40",
    ];
    let a = cs.si();
    if a <= 0.0 {
        return None;
    }
    let n = 36.0 - 19.5 * libm::log(a / 0.012_668) / libm::log(92.0);
    let n = libm::round(n);
    if !(-3.0..=40.0).contains(&n) {
        return None;
    }
    NAMES.get((n + 3.0) as usize).copied()
}

/// Where an ampacity figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmpacityBasis {
    /// A row of the published table.
    Table,
    /// Between two rows (log-log interpolation): assumed.
    Interpolated,
    /// Beyond the table (∝ area^0.75, the slope of the larger rows): assumed.
    Extrapolated,
}

impl AmpacityBasis {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AmpacityBasis::Table => lang.pick("table", "tableau"),
            AmpacityBasis::Interpolated => {
                lang.pick("interpolated (assumed)", "interpolé (supposé)")
            }
            AmpacityBasis::Extrapolated => {
                lang.pick("extrapolated (assumed)", "extrapolé (supposé)")
            }
        }
    }
}

/// A cable's continuous current-carrying capacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ampacity {
    pub amps: f64,
    pub basis: AmpacityBasis,
}

/// The published ampacity table: single-core flexible copper in free air at ≤ 30 °C (updates.md §4, the
/// victron4less cable and fuse sizing guide: "derate 20–30 % when bundled or hot"). mm² → A.
pub const AMPACITY_TABLE: [(f64, f64); 8] = [
    (1.5, 10.0),
    (6.0, 30.0),
    (10.0, 50.0),
    (16.0, 70.0),
    (25.0, 100.0),
    (35.0, 150.0),
    (50.0, 200.0),
    (70.0, 300.0),
];

/// What the table says of the insulation and bundling it assumes (shown next to the rule).
pub fn ampacity_assumptions(lang: Lang) -> &'static str {
    lang.pick(
        "single-core flexible copper in free air at up to 30 °C; derate 20–30 % when bundled or hot",
        "cuivre souple monoconducteur à l'air libre jusqu'à 30 °C ; réduire de 20 à 30 % en faisceau ou au chaud",
    )
}

/// The ampacity of `cs` from [`AMPACITY_TABLE`], before any derating.
pub fn ampacity(cs: CrossSection) -> Ampacity {
    let a = cs.si();
    let t = &AMPACITY_TABLE;
    if let Some(&(_, amps)) = t.iter().find(|(mm2, _)| (mm2 - a).abs() < 1e-9) {
        return Ampacity {
            amps,
            basis: AmpacityBasis::Table,
        };
    }
    let power = |(a0, i0): (f64, f64), exponent: f64| i0 * libm::pow(a / a0, exponent);
    let slope =
        |(a0, i0): (f64, f64), (a1, i1): (f64, f64)| libm::log(i1 / i0) / libm::log(a1 / a0);
    let (first, last) = (t[0], t[t.len() - 1]);
    if a < first.0 {
        return Ampacity {
            amps: power(first, slope(t[0], t[1])),
            basis: AmpacityBasis::Extrapolated,
        };
    }
    if a > last.0 {
        return Ampacity {
            amps: power(last, 0.75),
            basis: AmpacityBasis::Extrapolated,
        };
    }
    let i = t
        .iter()
        .position(|(mm2, _)| *mm2 > a)
        .unwrap_or(t.len() - 1);
    Ampacity {
        amps: power(t[i - 1], slope(t[i - 1], t[i])),
        basis: AmpacityBasis::Interpolated,
    }
}

/// The fuse and breaker types of DC battery systems.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FuseKind {
    Mega,
    Anl,
    ClassT,
    Midi,
    Blade,
    Breaker,
}

impl FuseKind {
    pub const ALL: [FuseKind; 6] = [
        FuseKind::Mega,
        FuseKind::Anl,
        FuseKind::ClassT,
        FuseKind::Midi,
        FuseKind::Blade,
        FuseKind::Breaker,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FuseKind::Mega => "MEGA",
            FuseKind::Anl => "ANL",
            FuseKind::ClassT => "Class T",
            FuseKind::Midi => "MIDI",
            FuseKind::Blade => "blade",
            FuseKind::Breaker => "breaker",
        }
    }

    pub fn name_in(self, lang: Lang) -> &'static str {
        match self {
            FuseKind::Blade => lang.pick("blade fuse", "fusible à lame"),
            FuseKind::Breaker => lang.pick("DC breaker", "disjoncteur CC"),
            other => other.name(),
        }
    }

    /// The id used in the saved format.
    pub fn id(self) -> &'static str {
        match self {
            FuseKind::Mega => "mega",
            FuseKind::Anl => "anl",
            FuseKind::ClassT => "class_t",
            FuseKind::Midi => "midi",
            FuseKind::Blade => "blade",
            FuseKind::Breaker => "breaker",
        }
    }

    pub fn from_id(id: &str) -> Option<FuseKind> {
        FuseKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Typical DC voltage rating of the type, V. Assumed from common manufacturer ratings (MEGA, ANL, MIDI and
    /// blade fuses 32 V DC, Class T 125 V DC, DC thermal breakers 48 V DC); a fuse's own rating overrides it.
    pub fn typical_voltage_v(self) -> u32 {
        match self {
            FuseKind::Mega | FuseKind::Anl | FuseKind::Midi | FuseKind::Blade => 32,
            FuseKind::ClassT => 125,
            FuseKind::Breaker => 48,
        }
    }

    /// Typical DC breaking capacity of the type, A. Assumed from common manufacturer ratings (Class T 20 kA,
    /// ANL 6 kA, MEGA and MIDI 2 kA, blade 1 kA, DC thermal breakers 3 kA); a fuse's own rating overrides it.
    pub fn typical_breaking_capacity_a(self) -> u32 {
        match self {
            FuseKind::ClassT => 20_000,
            FuseKind::Anl => 6_000,
            FuseKind::Mega | FuseKind::Midi => 2_000,
            FuseKind::Blade => 1_000,
            FuseKind::Breaker => 3_000,
        }
    }

    /// The ratings the type is sold in, A (the usual ranges of each type).
    pub fn ratings(self) -> &'static [u32] {
        match self {
            FuseKind::Blade => &[1, 2, 3, 5, 10, 15, 20, 25, 30, 40],
            FuseKind::Midi => &[30, 40, 50, 60, 70, 80, 100, 125, 150, 175, 200],
            FuseKind::Mega => &[100, 125, 150, 175, 200, 225, 250, 300, 400, 500],
            FuseKind::Anl => &[
                35, 50, 60, 80, 100, 125, 150, 175, 200, 225, 250, 300, 325, 350, 400, 500,
            ],
            FuseKind::ClassT => &[110, 125, 150, 175, 200, 225, 250, 300, 350, 400],
            FuseKind::Breaker => &[5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150],
        }
    }
}

/// Resistance of a fuse of `rating_a`, µΩ: Wiring Unlimited gives 0.35 mΩ for a 150 A fuse (updates.md §4); other
/// ratings scale inversely with the rating (assumed: a fuse element dissipates about the same at its rating).
pub fn fuse_uohm(rating_a: u32) -> f64 {
    350.0 * 150.0 / f64::from(rating_a.max(1))
}

/// The fuse rating needed above a circuit's continuous current: "product amps × 125 % = minimum fuse"
/// (updates.md §4, enerdrive fuse selection).
pub const FUSE_MARGIN: f64 = 1.25;

/// Wiring Unlimited's preferred inverter sizes per system voltage (WU-DC): 12 V up to 3000 VA, 24 V up to
/// 5000 VA, 48 V 5000 VA and up (no upper limit).
pub fn preferred_inverter_max_va(system_factor: i32) -> Option<u32> {
    match system_factor {
        1 => Some(3000),
        2 => Some(5000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copper_at_20c_is_one_fifty_eighth() {
        // 1 m of 1 mm² at 20 °C = 17.24 mΩ; at 30 °C 3.93 % more.
        let r20 = copper_ohms(1.0, 1.0, DeciCelsius(200));
        assert!((r20 - 0.017_241).abs() < 1e-6);
        let r30 = copper_ohms(1.0, 1.0, DeciCelsius(300));
        assert!((r30 / r20 - 1.0393).abs() < 1e-9);
        // Wiring Unlimited's example: 2 m of 35 mm² = 1.08 mΩ (they round copper a little higher).
        let r = copper_ohms(35.0, 2.0, DeciCelsius(200)) * 1000.0;
        assert!((r - 1.0).abs() < 0.1, "{r}");
    }

    #[test]
    fn awg_equivalents() {
        // Nearest by area: AWG 3 is 26.7 mm², AWG 4 21.2 mm² (charts that print "25 mm² = AWG 4" round down).
        assert_eq!(awg(CrossSection::mm2(25, 0)), Some("3"));
        assert_eq!(awg(CrossSection::mm2(35, 0)), Some("2"));
        assert_eq!(awg(CrossSection::mm2(50, 0)), Some("1/0"));
        assert_eq!(awg(CrossSection::mm2(95, 0)), Some("3/0"));
        assert_eq!(awg(CrossSection::mm2(1, 50)), Some("15"));
        assert_eq!(awg(CrossSection::mm2(2, 50)), Some("13"));
        assert_eq!(awg(CrossSection::mm2(240, 0)), None);
    }

    #[test]
    fn ampacity_follows_the_table_and_says_when_it_does_not() {
        let a = ampacity(CrossSection::mm2(25, 0));
        assert_eq!((a.amps, a.basis), (100.0, AmpacityBasis::Table));
        let a4 = ampacity(CrossSection::mm2(4, 0));
        assert_eq!(a4.basis, AmpacityBasis::Interpolated);
        assert!(a4.amps > 10.0 && a4.amps < 30.0);
        let a95 = ampacity(CrossSection::mm2(95, 0));
        assert_eq!(a95.basis, AmpacityBasis::Extrapolated);
        assert!(a95.amps > 300.0);
        // Monotonic over every standard size.
        let amps: alloc::vec::Vec<f64> = STANDARD_SIZES.iter().map(|s| ampacity(*s).amps).collect();
        assert!(amps.windows(2).all(|w| w[0] < w[1]), "{amps:?}");
    }

    #[test]
    fn fuse_resistance_matches_wiring_unlimited_at_150a() {
        assert!((fuse_uohm(150) - 350.0).abs() < 1e-9);
        assert!(fuse_uohm(0).is_finite());
        for k in FuseKind::ALL {
            assert_eq!(FuseKind::from_id(k.id()), Some(k));
            assert!(k.ratings().windows(2).all(|w| w[0] < w[1]));
        }
    }
}
