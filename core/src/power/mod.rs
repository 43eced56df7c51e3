//! The power side of the system: the cables, fuses and parts between the bank and every device, checked against
//! Wiring Unlimited and the Lithium NG documentation, sized on request, and used by the engine for the voltage each
//! device really sees.
//!
//! - [`PowerWiring`] (in [`SystemConfig::power`](crate::system::SystemConfig)): the bank side — main fuse and main
//!   cable pair, battery interconnects, per-string fuses, how parallel strings are wired, distribution busbar or
//!   Lynx Distributor, SmartShunt, main switch — and the assumed parameters of the calculation ([`PowerParams`]).
//! - [`Circuit`] (in each [`DeviceConfig::circuit`](crate::system::DeviceConfig)): the device's own cable pair, its
//!   fuse, and optionally the current to size it for.
//! - [`tables`]: copper, standard sizes, AWG, ampacity, fuse types — each with its source.
//! - [`analysis::analyse`]: every cable's design current, resistance and drop; the bank's short-circuit current,
//!   continuous ratings and parallel-string imbalance.
//! - [`rules::check_in`]: findings like the system rules (id, severity, fix, source; English and French).
//! - [`suggest`]: the smallest standard cross-section and fuse that pass every rule, per cable or all at once.
//!
//! A cable or fuse that is not entered is `None`: old saved files open with nothing entered, and the checks say so
//! instead of guessing.
pub mod analysis;
pub mod parts;
pub mod rules;
pub mod suggest;
pub mod tables;

pub use analysis::{analyse, CableId, CableReport, PowerReport};
pub use rules::{check, check_in, POWER_RULES};
pub use suggest::{size_everything, suggest, SuggestError, Suggestion};
pub use tables::{Ampacity, AmpacityBasis, FuseKind, STANDARD_SIZES};

use crate::units::DeciCelsius;
use core::fmt;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// Whether `v` is its type's default (saved files leave such fields out: shorter share links).
pub fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A conductor cross-section, in hundredths of a mm² (saved as `cross_section_mm2`, a decimal number of mm²).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CrossSection(pub u32);

impl CrossSection {
    /// From whole and hundredths of mm² (`mm2(25, 0)` = 25 mm², `mm2(1, 50)` = 1.5 mm²).
    pub const fn mm2(whole: u32, hundredths: u32) -> CrossSection {
        CrossSection(whole * 100 + hundredths)
    }
    /// The value in mm².
    pub fn si(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl fmt::Display for CrossSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, h) = (self.0 / 100, self.0 % 100);
        match h {
            0 => write!(f, "{w} mm²"),
            h if h % 10 == 0 => write!(f, "{w}.{} mm²", h / 10),
            h => write!(f, "{w}.{h:02} mm²"),
        }
    }
}

/// A cable length, in millimetres (saved as `length_m`, a decimal number of metres): one way, from end to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Length(pub u32);

impl Length {
    /// From decimetres (`dm(30)` = 3 m).
    pub const fn dm(dm: u32) -> Length {
        Length(dm * 100)
    }
    /// The value in metres.
    pub fn si(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cm = (self.0 + 5) / 10;
        match cm % 100 {
            0 => write!(f, "{} m", cm / 100),
            r if r % 10 == 0 => write!(f, "{}.{} m", cm / 100, r / 10),
            r => write!(f, "{}.{r:02} m", cm / 100),
        }
    }
}

/// Largest values the saved format accepts (beyond any real installation, small enough that no sum overflows).
const MAX_CROSS_SECTION_MM2: f64 = 1000.0;
const MAX_LENGTH_M: f64 = 1000.0;

fn decimal_in<'de, D: Deserializer<'de>>(
    d: D,
    scale: f64,
    max: f64,
    what: &str,
) -> Result<u32, D::Error> {
    let v = f64::deserialize(d)?;
    if !v.is_finite() || v <= 0.0 || v > max {
        return Err(de::Error::custom(alloc::format!(
            "{what} must be a number above 0 and at most {max}"
        )));
    }
    // Rounded to the unit of the newtype; at least one unit, so a positive value never becomes zero.
    Ok((libm::round(v * scale) as u32).max(1))
}

impl Serialize for CrossSection {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.si())
    }
}
impl<'de> Deserialize<'de> for CrossSection {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decimal_in(d, 100.0, MAX_CROSS_SECTION_MM2, "cross_section_mm2").map(CrossSection)
    }
}
impl Serialize for Length {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.si())
    }
}
impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decimal_in(d, 1000.0, MAX_LENGTH_M, "length_m").map(Length)
    }
}

/// A copper cable pair (positive and negative conductor of the same size, side by side).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cable {
    pub cross_section_mm2: CrossSection,
    /// One way: the circuit's conductor length is twice this (out on the positive, back on the negative).
    pub length_m: Length,
}

impl Cable {
    pub fn new(cross_section: CrossSection, length: Length) -> Cable {
        Cable {
            cross_section_mm2: cross_section,
            length_m: length,
        }
    }
}

/// A fuse or circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Fuse {
    pub kind: FuseKind,
    pub rating_a: u32,
    /// The fuse's DC voltage rating, when not the type's typical one ([`FuseKind::typical_voltage_v`], assumed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voltage_rating_v: Option<u32>,
    /// Its DC breaking (interrupting) capacity, when not the type's typical one
    /// ([`FuseKind::typical_breaking_capacity_a`], assumed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaking_capacity_a: Option<u32>,
}

impl Fuse {
    pub fn new(kind: FuseKind, rating_a: u32) -> Fuse {
        Fuse {
            kind,
            rating_a,
            voltage_rating_v: None,
            breaking_capacity_a: None,
        }
    }
    /// The voltage rating in use: entered, or the type's typical one.
    pub fn voltage_rating(&self) -> u32 {
        self.voltage_rating_v
            .unwrap_or_else(|| self.kind.typical_voltage_v())
    }
    /// The breaking capacity in use: entered, or the type's typical one.
    pub fn breaking_capacity(&self) -> u32 {
        self.breaking_capacity_a
            .unwrap_or_else(|| self.kind.typical_breaking_capacity_a())
    }
}

impl fmt::Display for Fuse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} A", self.kind.name(), self.rating_a)
    }
}

/// One power circuit: a cable pair and what protects it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Circuit {
    /// `None`: not entered yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cable: Option<Cable>,
    /// `None`: no fuse (or not entered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuse: Option<Fuse>,
    /// The current to size the circuit for, when more than the device's configured figure (an inverter's rated
    /// power rather than today's load, a charger's maximum); `None` = from the device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_a: Option<u32>,
}

/// How the strings of a parallel bank are connected to the system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParallelLayout {
    /// Each string on its own equal-length lead to a busbar: every string sees the same resistance.
    #[default]
    Busbar,
    /// Daisy-chained, positive taken at the first battery and negative at the last ("diagonal", WU-DC).
    Diagonal,
    /// Daisy-chained, positive and negative both taken at the first battery: the far batteries work less.
    SameEnd,
}

/// What the main cable lands on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Every device cable straight on the battery or main cable terminals.
    #[default]
    None,
    /// A positive and a negative busbar.
    Busbar,
    /// A Victron Lynx Distributor (fused busbar).
    LynxDistributor,
}

/// Assumed values of the calculation; each is shown to the user as assumed and can be changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PowerParams {
    /// Highest voltage drop from the bank terminals to a device, in tenths of a percent of the system voltage.
    /// Wiring Unlimited: "aim for voltage drop no bigger than 2.5 %" (updates.md §4; a third party says 2 %).
    pub max_drop_permille: u16,
    /// Resistance of one cable connection (lug on a terminal), µΩ. Wiring Unlimited: 0.06 mΩ (updates.md §4).
    pub connection_uohm: u32,
    /// Resistance of a SmartShunt, µΩ. Wiring Unlimited: 500 A shunt 0.10 mΩ (updates.md §4).
    pub shunt_uohm: u32,
    /// Resistance of a main switch, µΩ. No source gives one: assumed 0.10 mΩ.
    pub switch_uohm: u32,
    /// Conductor temperature the resistance is taken at (copper +0.393 %/K, IEC 60028); assumed 30 °C.
    pub conductor_temperature: DeciCelsius,
    /// Ampacity kept when cables are bundled or hot, percent of the free-air table (the table's source: derate
    /// 20–30 % when bundled or hot). Assumed 100 % (free air, ≤ 30 °C).
    pub ampacity_percent: u16,
    /// Current spread between parallel strings above which a warning is given, percent of the mean. Assumed 10 %.
    pub imbalance_percent: u16,
}

impl Default for PowerParams {
    fn default() -> Self {
        PowerParams {
            max_drop_permille: 25,
            connection_uohm: 60,
            shunt_uohm: 100,
            switch_uohm: 100,
            conductor_temperature: DeciCelsius(300),
            ampacity_percent: 100,
            imbalance_percent: 10,
        }
    }
}

/// The bank side of the power wiring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PowerWiring {
    /// Bank terminals to the distribution point: the main fuse and the main cable pair.
    pub main: Circuit,
    /// One battery-to-battery lead (series and parallel interconnects), `None` = not entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interconnect: Option<Cable>,
    /// The fuse in each parallel battery or string, `None` = none. LSBNG-COM: "Check if each paralleled battery
    /// is fused or that each paralleled battery series string is fused".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string_fuse: Option<Fuse>,
    pub layout: ParallelLayout,
    pub distribution: Distribution,
    /// A SmartShunt in the negative of the main cable.
    pub shunt: bool,
    /// A main (battery) switch in the positive of the main cable.
    pub main_switch: bool,
    pub params: PowerParams,
}

impl PowerWiring {
    /// Resistance the main circuit has besides its cable, fuse and connections: the SmartShunt and the main
    /// switch where fitted, µΩ.
    pub fn main_extra_uohm(&self) -> f64 {
        let part = |fitted: bool, uohm: u32| if fitted { f64::from(uohm) } else { 0.0 };
        part(self.shunt, self.params.shunt_uohm) + part(self.main_switch, self.params.switch_uohm)
    }

    /// Whether anything of the bank side has been entered.
    pub fn is_entered(&self) -> bool {
        self.main.cable.is_some() || self.main.fuse.is_some() || self.interconnect.is_some()
    }
}
