//! Victron remote on/off interface cables as transfer functions from the BMS output level to the level the device's
//! remote terminal sees (victron-behaviour.md §5.2).
//!
//! What is documented: the non-inverting cable ASS030550220 "translates free floating into pulling the product's
//! remote terminal low" (CAB-NI); the VE.Direct non-inverting cable ASS030550320 switches an MPPT on when its source
//! is high (≈ 6 V needed), off when low (< 1 V) or floating (CAB-VED). The inverting cable ASS030550120 is
//! UNCONFIRMED beyond its name (CAT): modelled as the mirror of the non-inverting one — a high input pulls the
//! device terminal low, a floating input leaves it open — for devices whose remote input is "on when pulled low".
use crate::lang::{Lang, Localized};
use crate::signal::Level;
use crate::units::Millivolts;
use core::fmt;
use serde::{Deserialize, Serialize};

/// An input above this counts as "high" for the two pull-down cables. UNCONFIRMED: the BMS remote-input threshold
/// (datasheet 2.9 V) is reused.
pub const CABLE_INPUT_HIGH_ABOVE: Millivolts = Millivolts(2900);
/// The VE.Direct cable needs about this much to switch on (CAB-VED "≈ 6 V").
pub const VE_DIRECT_ON_FROM: Millivolts = Millivolts(6000);
/// The logic level the VE.Direct cable presents to the RX pin when on. UNCONFIRMED (3.3 V logic assumed).
pub const VE_DIRECT_LOGIC_HIGH: Millivolts = Millivolts(3300);

/// A remote on/off interface cable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CableKind {
    /// ASS030550220: BMS high ⇒ device terminal left open; BMS floating ⇒ terminal pulled low (~30 mA).
    NonInverting,
    /// ASS030550120: BMS high ⇒ terminal pulled low; BMS floating ⇒ terminal open. UNCONFIRMED behaviour.
    Inverting,
    /// ASS030550320: BMS ≥ ≈6 V ⇒ VE.Direct RX "on"; lower or floating ⇒ "off".
    VeDirectNonInverting,
}

impl CableKind {
    pub const ALL: [CableKind; 3] = [
        CableKind::NonInverting,
        CableKind::Inverting,
        CableKind::VeDirectNonInverting,
    ];

    /// Victron part number.
    pub fn part_number(self) -> &'static str {
        match self {
            CableKind::NonInverting => "ASS030550220",
            CableKind::Inverting => "ASS030550120",
            CableKind::VeDirectNonInverting => "ASS030550320",
        }
    }

    /// Product name.
    pub fn name(self) -> &'static str {
        self.name_in(Lang::En)
    }

    /// Product name in `lang`.
    pub fn name_in(self, lang: Lang) -> &'static str {
        match self {
            CableKind::NonInverting => lang.pick(
                "non-inverting remote on-off cable",
                "câble d'allumage/arrêt à distance non inverseur",
            ),
            CableKind::Inverting => lang.pick(
                "inverting remote on-off cable",
                "câble d'allumage/arrêt à distance inverseur",
            ),
            CableKind::VeDirectNonInverting => lang.pick(
                "VE.Direct non-inverting remote on-off cable",
                "câble d'allumage/arrêt à distance non inverseur VE.Direct",
            ),
        }
    }

    /// Whether the behaviour is documented (only the inverting cable's is a best estimate).
    pub fn confirmed(self) -> bool {
        !matches!(self, CableKind::Inverting)
    }

    /// Source key for the behaviour.
    pub fn source(self) -> &'static str {
        match self {
            CableKind::NonInverting => "CAB-NI",
            CableKind::Inverting => "CAT",
            CableKind::VeDirectNonInverting => "CAB-VED",
        }
    }

    /// The level at the device end for `input` at the BMS end.
    pub fn transfer(self, input: Level) -> Level {
        let high = |from: Millivolts| matches!(input, Level::Driven(v) if v > from);
        match self {
            CableKind::NonInverting => {
                if high(CABLE_INPUT_HIGH_ABOVE) {
                    Level::Floating
                } else {
                    Level::Driven(Millivolts(0))
                }
            }
            CableKind::Inverting => {
                if high(CABLE_INPUT_HIGH_ABOVE) {
                    Level::Driven(Millivolts(0))
                } else {
                    Level::Floating
                }
            }
            CableKind::VeDirectNonInverting => {
                if matches!(input, Level::Driven(v) if v >= VE_DIRECT_ON_FROM) {
                    Level::Driven(VE_DIRECT_LOGIC_HIGH)
                } else {
                    Level::Driven(Millivolts(0))
                }
            }
        }
    }
}

impl Localized for CableKind {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        write!(f, "{} ({})", self.name_in(lang), self.part_number())
    }
}

impl fmt::Display for CableKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// The level at the device end of an optional cable.
pub fn through(cable: Option<CableKind>, input: Level) -> Level {
    match cable {
        Some(c) => c.transfer(input),
        None => input,
    }
}
