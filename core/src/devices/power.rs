//! Power-path vocabulary shared by the devices: quiescent currents, system voltage, what a load draws and what a
//! charger pushes.
use crate::bms::text::Volts;
use crate::lang::{write_in, Lang, Localized};
use crate::units::{Milliamps, Millivolts};
use core::fmt;
use serde::{Deserialize, Serialize};

/// A small current in microamps: quiescent (own) consumption of the BMS and devices, where whole milliamps would
/// lose the datasheet's 1.2 mA and make a two-week standby drain wrong by a sixth.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Microamps(pub i64);

impl Microamps {
    /// From whole milliamps.
    pub fn from_milliamps(ma: Milliamps) -> Microamps {
        Microamps(i64::from(ma.0) * 1000)
    }
    /// Rounded to the nearest milliamp, saturated at the `Milliamps` range.
    pub fn to_milliamps(self) -> Milliamps {
        let ma = self.0.saturating_add(if self.0 >= 0 { 500 } else { -500 }) / 1000;
        Milliamps(ma.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }
    /// The value in amps.
    pub fn si(self) -> f64 {
        self.0 as f64 / 1_000_000.0
    }
}

impl fmt::Display for Microamps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{} mA", abs / 1000, (abs % 1000) / 100)
    }
}

/// The nominal system voltage a device is installed in. Victron's 12/24 V devices scale their 12 V thresholds
/// by 2 on a 24 V system (BP-OP, CYR-CT, CYR-CH); 48 V is ×4.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SystemVoltage {
    #[default]
    #[serde(rename = "12v")]
    V12,
    #[serde(rename = "24v")]
    V24,
    #[serde(rename = "48v")]
    V48,
}

impl SystemVoltage {
    /// From a bank's nominal voltage (12.8 V → 12 V, 25.6 V → 24 V, 51.2 V → 48 V).
    pub fn from_nominal(nominal: Millivolts) -> SystemVoltage {
        match nominal.0 {
            i32::MIN..=17_999 => SystemVoltage::V12,
            18_000..=35_999 => SystemVoltage::V24,
            _ => SystemVoltage::V48,
        }
    }
    /// How many 12 V "units" this system is.
    pub fn factor(self) -> i32 {
        match self {
            SystemVoltage::V12 => 1,
            SystemVoltage::V24 => 2,
            SystemVoltage::V48 => 4,
        }
    }
    /// A threshold documented for 12 V, scaled to this system (saturating).
    pub fn scale(self, at_12v: Millivolts) -> Millivolts {
        Millivolts(at_12v.0.saturating_mul(self.factor()))
    }
    /// The nominal voltage in words ("12 V").
    pub fn label(self) -> &'static str {
        match self {
            SystemVoltage::V12 => "12 V",
            SystemVoltage::V24 => "24 V",
            SystemVoltage::V48 => "48 V",
        }
    }
}

/// What a load draws from the bank while it is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Draw {
    /// A constant current.
    Current { current: Milliamps },
    /// A constant power (an inverter, a DC-DC converter): current = power / bank voltage.
    Power { watts: u32 },
}

impl Draw {
    /// The current drawn at this bank voltage, as a positive magnitude. Zero at or below 1 V, where the
    /// constant-power model has no meaning.
    pub fn current_at(self, bank: Millivolts) -> Milliamps {
        match self {
            Draw::Current { current } => Milliamps(current.0.max(0)),
            Draw::Power { watts } => {
                if bank.0 <= 1000 {
                    return Milliamps(0);
                }
                // W / V = A; ×1e6 for mW / mV → mA.
                let ma = i64::from(watts).saturating_mul(1_000_000) / i64::from(bank.0);
                Milliamps(ma.min(i64::from(i32::MAX)) as i32)
            }
        }
    }
}

impl fmt::Display for Draw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Draw::Current { current } => write!(f, "{current}"),
            Draw::Power { watts } => write!(f, "{watts} W"),
        }
    }
}

/// What a charger pushes into the bank while it is on: constant current up to its charge voltage, tapering
/// linearly to zero over the last `cv_band` below it. A simulator simplification of a CC/CV charger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeOutput {
    /// Maximum (bulk) charge current.
    pub max_current: Milliamps,
    /// Absorption voltage; also the open-circuit voltage on its output terminal, which is what a
    /// Cyrix-Li-Charge senses. Lithium NG: 14.0–14.2 V per 12.8 V battery (NG12-TD).
    pub charge_voltage: Millivolts,
    /// Width of the constant-voltage taper below `charge_voltage` (simulator parameter, assumed 0.2 V).
    #[serde(default = "default_cv_band")]
    pub cv_band: Millivolts,
}

fn default_cv_band() -> Millivolts {
    Millivolts(200)
}

impl ChargeOutput {
    /// A charger for a 12.8 V NG bank: `max_current`, 14.2 V absorption (NG12-TD).
    pub fn lithium_ng_12v(max_current: Milliamps) -> ChargeOutput {
        ChargeOutput {
            max_current,
            charge_voltage: Millivolts(14_200),
            cv_band: default_cv_band(),
        }
    }

    /// The current pushed into a bank at `bank` volts (never negative).
    pub fn current_at(self, bank: Millivolts) -> Milliamps {
        let max = i64::from(self.max_current.0.max(0));
        let headroom = i64::from(self.charge_voltage.0) - i64::from(bank.0);
        if headroom <= 0 {
            return Milliamps(0);
        }
        let band = i64::from(self.cv_band.0.max(1));
        let ma = if headroom >= band {
            max
        } else {
            max * headroom / band
        };
        Milliamps(ma.min(i64::from(i32::MAX)) as i32)
    }
}

impl Localized for ChargeOutput {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        write_in!(
            f,
            lang,
            "{} up to {}",
            "{} jusqu'à {}",
            self.max_current,
            Volts(self.charge_voltage)
        )
    }
}

impl fmt::Display for ChargeOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// A device's own part in the power path: a load (draws from the bank) or a charger (pushes into it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerRole {
    Load { draw: Draw },
    Charger { output: ChargeOutput },
}

impl PowerRole {
    pub fn is_charger(self) -> bool {
        matches!(self, PowerRole::Charger { .. })
    }
    /// Signed bank current while on: negative for a load, positive for a charger.
    pub fn bank_current(self, bank: Millivolts) -> Milliamps {
        match self {
            PowerRole::Load { draw } => Milliamps(-draw.current_at(bank).0),
            PowerRole::Charger { output } => output.current_at(bank),
        }
    }
}

/// The direction current flows through a device's power path, seen from the bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the bank to a load.
    ToLoad,
    /// From a charger into the bank.
    ToBank,
}
