//! Lithium NG battery models as data, each row with its source. User-extensible: a custom model travels in the
//! saved configuration ([`ModelRef::Custom`]).
//!
//! Sources (keys of `shared/reference/victron-behaviour.md` §0): NG12-TD (Lithium NG 12.8 V technical data),
//! NG51-TD (51.2 V technical data), SPEC §2 (25.6 V models: not published, assumed), LBS-TD (Lithium Battery
//! Smart, the non-NG generation the smallBMS NG cannot manage).
use crate::units::{DeciCelsius, MilliampHours, Milliamps, Millivolts};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// One battery model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatteryModel {
    /// Stable identifier, e.g. `ng-12v8-200`.
    pub id: String,
    /// What the user reads, e.g. "Lithium NG 12.8 V 200 Ah".
    pub name: String,
    pub nominal_voltage: Millivolts,
    /// LFP cells in series inside one battery (3.2 V nominal each).
    pub cells_in_series: u8,
    pub capacity: MilliampHours,
    /// Absorption voltage (upper end of the published range).
    pub charge_voltage: Millivolts,
    pub float_voltage: Millivolts,
    pub end_of_discharge_voltage: Millivolts,
    pub max_continuous_discharge: Milliamps,
    pub max_pulse_discharge_10s: Milliamps,
    pub max_continuous_charge: Milliamps,
    pub max_pulse_charge_10s: Milliamps,
    /// Internal resistance of the whole battery, in micro-ohms.
    pub internal_resistance_uohm: u32,
    pub charge_min: DeciCelsius,
    pub charge_max: DeciCelsius,
    pub discharge_min: DeciCelsius,
    pub discharge_max: DeciCelsius,
    /// How many of these may be put in series.
    pub max_in_series: u8,
    /// Values not published by Victron (estimated from siblings).
    pub assumed: bool,
    /// A Lithium NG battery (the smallBMS NG manages nothing else; datasheet).
    pub smallbms_ng_compatible: bool,
    /// Where the figures come from.
    pub source: String,
}

/// A bank's model: one of the catalogue, or the user's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelRef {
    Builtin(String),
    Custom(alloc::boxed::Box<BatteryModel>),
}

impl ModelRef {
    pub fn id(&self) -> &str {
        match self {
            ModelRef::Builtin(id) => id,
            ModelRef::Custom(m) => &m.id,
        }
    }
    /// The model's data, if the id is known.
    pub fn resolve(&self) -> Option<BatteryModel> {
        match self {
            ModelRef::Builtin(id) => builtin(id),
            ModelRef::Custom(m) => Some((**m).clone()),
        }
    }
}

const fn dc(c: i16) -> DeciCelsius {
    DeciCelsius(c * 10)
}

#[allow(clippy::too_many_arguments)]
fn ng(
    id: &str,
    name: &str,
    nominal_mv: i32,
    cells: u8,
    ah: i64,
    pulse_charge_c10: i32,
    r_uohm: u32,
    max_in_series: u8,
    assumed: bool,
    source: &str,
) -> BatteryModel {
    // Per-cell figures of the NG technical data, scaled by the cells in series: charge 3.50–3.55 V (upper end
    // taken), float 3.375 V, end of discharge 2.80 V (NG12-TD: 14.2 / 13.5 / 11.2 V for 4S; NG51-TD 16S).
    let per = |mv: i32| Millivolts(mv * i32::from(cells));
    let a = (ah * 1000) as i32;
    BatteryModel {
        id: id.to_string(),
        name: name.to_string(),
        nominal_voltage: Millivolts(nominal_mv),
        cells_in_series: cells,
        capacity: MilliampHours(ah * 1000),
        charge_voltage: per(3550),
        float_voltage: per(3375),
        end_of_discharge_voltage: per(2800),
        max_continuous_discharge: Milliamps(a),
        max_pulse_discharge_10s: Milliamps(2 * a),
        max_continuous_charge: Milliamps(a),
        max_pulse_charge_10s: Milliamps(a * pulse_charge_c10 / 10),
        internal_resistance_uohm: r_uohm,
        charge_min: dc(5),
        charge_max: dc(50),
        discharge_min: dc(-20),
        discharge_max: dc(50),
        max_in_series,
        assumed,
        smallbms_ng_compatible: true,
        source: source.to_string(),
    }
}

/// The built-in models.
///
/// - 12.8 V 100/150/200/300 Ah: NG12-TD — 1C continuous, 2C 10 s discharge; pulse charge 2C (100, 200 Ah) or
///   1.5C (150, 300 Ah); internal resistance "2 mΩ / 1 mΩ" in a merged table cell, read as 2 mΩ for 100 Ah and
///   1 mΩ for the larger ones (assumed split). Up to 4 in series (Smart-family rule, assumed for NG, §2.3).
/// - 51.2 V 100 Ah: NG51-TD, 8 mΩ; parallel only (assumed, as for Smart batteries).
/// - 25.6 V 100/200/300 Ah: not published (SPEC §2, assumed): twice the 12.8 V figures; 50 × 25.6 V × 300 Ah is
///   exactly the datasheet's 384 kWh. Up to 2 in series (assumed).
/// - Lithium Battery Smart 12.8 V 200 Ah: LBS-TD, the previous generation, listed so the configurator can refuse
///   it in the datasheet's words.
pub fn builtin_models() -> Vec<BatteryModel> {
    let mut v = alloc::vec![
        ng(
            "ng-12v8-100",
            "Lithium NG 12.8 V 100 Ah",
            12_800,
            4,
            100,
            20,
            2000,
            4,
            false,
            "NG12-TD"
        ),
        ng(
            "ng-12v8-150",
            "Lithium NG 12.8 V 150 Ah",
            12_800,
            4,
            150,
            15,
            1000,
            4,
            false,
            "NG12-TD"
        ),
        ng(
            "ng-12v8-200",
            "Lithium NG 12.8 V 200 Ah",
            12_800,
            4,
            200,
            20,
            1000,
            4,
            false,
            "NG12-TD"
        ),
        ng(
            "ng-12v8-300",
            "Lithium NG 12.8 V 300 Ah",
            12_800,
            4,
            300,
            15,
            1000,
            4,
            false,
            "NG12-TD"
        ),
        ng(
            "ng-25v6-100",
            "Lithium NG 25.6 V 100 Ah",
            25_600,
            8,
            100,
            20,
            4000,
            2,
            true,
            "SPEC §2 (assumed)"
        ),
        ng(
            "ng-25v6-200",
            "Lithium NG 25.6 V 200 Ah",
            25_600,
            8,
            200,
            20,
            2000,
            2,
            true,
            "SPEC §2 (assumed)"
        ),
        ng(
            "ng-25v6-300",
            "Lithium NG 25.6 V 300 Ah",
            25_600,
            8,
            300,
            15,
            2000,
            2,
            true,
            "SPEC §2 (assumed)"
        ),
        ng(
            "ng-51v2-100",
            "Lithium NG 51.2 V 100 Ah",
            51_200,
            16,
            100,
            20,
            8000,
            1,
            false,
            "NG51-TD"
        ),
    ];
    let mut smart = ng(
        "smart-12v8-200",
        "Lithium Battery Smart 12.8 V 200 Ah (not NG)",
        12_800,
        4,
        200,
        20,
        1000,
        4,
        false,
        "LBS-TD",
    );
    smart.smallbms_ng_compatible = false;
    v.push(smart);
    v
}

/// A built-in model by id.
pub fn builtin(id: &str) -> Option<BatteryModel> {
    builtin_models().into_iter().find(|m| m.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_cell_voltages_match_the_ng_datasheet() {
        let m = builtin("ng-12v8-200").unwrap();
        assert_eq!(m.end_of_discharge_voltage, Millivolts(11_200)); // NG12-TD: 11.2 V = 2.8 V/cell
        assert_eq!(m.charge_voltage, Millivolts(14_200));
        assert_eq!(m.float_voltage, Millivolts(13_500));
        assert_eq!(
            builtin("ng-51v2-100").unwrap().end_of_discharge_voltage,
            Millivolts(44_800)
        );
        assert_eq!(
            builtin("ng-12v8-300").unwrap().max_pulse_charge_10s,
            Milliamps(450_000)
        );
    }

    #[test]
    fn ids_are_unique_and_resolve() {
        let all = builtin_models();
        for (i, m) in all.iter().enumerate() {
            assert!(all.iter().skip(i + 1).all(|o| o.id != m.id), "{}", m.id);
            assert_eq!(ModelRef::Builtin(m.id.clone()).resolve().as_ref(), Some(m));
        }
        assert!(ModelRef::Builtin("nope".into()).resolve().is_none());
    }
}
