//! The smallBMS NG as a product: what the datasheet states about the unit itself rather than its behaviour
//! (datasheet sections "Général", "Boîtier", "Normes", and the output table). Shown as product information and
//! used by the checks that concern the unit: the operating temperature range (scenario findings and events) and
//! the housing's proportions on the wiring diagram.
use super::inputs::BmsOutput;
use crate::lang::Lang;
use crate::units::{DeciCelsius, Milliamps};

/// Operating temperature range, low end. Datasheet: −20 to 50 °C.
pub const OPERATING_TEMP_MIN: DeciCelsius = DeciCelsius(-200);
/// Operating temperature range, high end. Datasheet: −20 to 50 °C.
pub const OPERATING_TEMP_MAX: DeciCelsius = DeciCelsius(500);
/// Maximum relative humidity, non-condensing. Datasheet: 95 %.
pub const MAX_HUMIDITY_PERCENT: u8 = 95;
/// Protection rating. Datasheet: IP20 (indoors, dry: no protection against water).
pub const PROTECTION: &str = "IP20";
/// Housing, height × width × depth in mm. Datasheet: 106 × 42 × 23 mm ("h x l x p").
pub const HOUSING_MM: (u16, u16, u16) = (106, 42, 23);
/// Weight in grams. Datasheet: 0.1 kg.
pub const WEIGHT_G: u16 = 100;

/// The housing's material and colour in `lang`. Datasheet: ABS, matt black.
pub fn material(lang: Lang) -> &'static str {
    lang.pick("ABS, matt black", "ABS, noir mat")
}

/// One family of standards the datasheet lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standards {
    pub what: &'static str,
    what_fr: &'static str,
    pub standards: &'static [&'static str],
}

impl Standards {
    /// What the family covers, in `lang`.
    pub fn what_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.what, self.what_fr)
    }
}

/// The standards list. Datasheet "Normes".
pub const STANDARDS: [Standards; 4] = [
    Standards {
        what: "Safety",
        what_fr: "Sécurité",
        standards: &["EN 60950"],
    },
    Standards {
        what: "Emission",
        what_fr: "Émissions",
        standards: &["EN 61000-6-3", "EN 55014-1"],
    },
    Standards {
        what: "Immunity",
        what_fr: "Immunité",
        standards: &["EN 61000-6-2", "EN 61000-6-1", "EN 55014-2"],
    },
    Standards {
        what: "Automotive",
        what_fr: "Automobile",
        standards: &["UN/ECE-R10 Rev.4 (pending)"],
    },
];

/// What the datasheet's output table says about one output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputSpec {
    pub output: BmsOutput,
    /// Normally high (LOAD, CHARGER) or normally floating (PRE-ALARM).
    pub normally_high: bool,
    /// Maximum source current (datasheet table; the feature list's 1 A for PRE-ALARM is not the limit).
    pub source_max: Milliamps,
    /// Datasheet: none of the three outputs is short-circuit protected.
    pub short_circuit_protected: bool,
}

/// The three outputs as the datasheet's table gives them.
pub const OUTPUTS: [OutputSpec; 3] = [
    OutputSpec {
        output: BmsOutput::Load,
        normally_high: true,
        source_max: Milliamps(1000),
        short_circuit_protected: false,
    },
    OutputSpec {
        output: BmsOutput::Charger,
        normally_high: true,
        source_max: Milliamps(500),
        short_circuit_protected: false,
    },
    OutputSpec {
        output: BmsOutput::PreAlarm,
        normally_high: false,
        source_max: Milliamps(500),
        short_circuit_protected: false,
    },
];

/// The product information in lines of text, in `lang`: environment, housing, standards, outputs.
pub fn info_lines(lang: Lang) -> alloc::vec::Vec<alloc::string::String> {
    use crate::lang::format_in;
    let (h, w, d) = HOUSING_MM;
    let mut out = alloc::vec![
        format_in!(
            lang,
            "Operating temperature {} … {}; humidity max. {} % (non-condensing); {}",
            "Température de fonctionnement {} … {} ; humidité max. {} % (sans condensation) ; {}",
            super::text::Celsius(OPERATING_TEMP_MIN),
            super::text::Celsius(OPERATING_TEMP_MAX),
            MAX_HUMIDITY_PERCENT,
            PROTECTION
        ),
        format_in!(
            lang,
            "Housing {} × {} × {} mm (h × w × d), {} g, {}",
            "Boîtier {} × {} × {} mm (h × l × p), {} g, {}",
            h,
            w,
            d,
            WEIGHT_G,
            material(lang)
        ),
    ];
    for s in STANDARDS {
        out.push(alloc::format!(
            "{}: {}",
            s.what_in(lang),
            s.standards.join(", ")
        ));
    }
    for o in OUTPUTS {
        out.push(format_in!(
            lang,
            "{}: source max. {} mA, {}",
            "{} : courant source max. {} mA, {}",
            o.output.label(),
            o.source_max.0,
            if o.short_circuit_protected {
                lang.pick(
                    "short-circuit protected",
                    "protégée contre les courts-circuits",
                )
            } else {
                lang.pick(
                    "not short-circuit protected",
                    "non protégée contre les courts-circuits",
                )
            }
        ));
    }
    out
}
