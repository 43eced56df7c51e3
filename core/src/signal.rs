//! Electrical levels on control wires between the smallBMS NG, cables and device remote inputs.
use crate::units::Millivolts;
use serde::{Deserialize, Serialize};

/// The level a terminal presents: driven to a voltage, or left floating (open, no drive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Actively driven to this voltage (a BMS output "high" is Vbat − 0.1 V).
    Driven(Millivolts),
    /// Not driven: an input on this wire is pulled down by its own bias and reads as off.
    Floating,
}

impl Level {
    pub fn is_high(self) -> bool {
        matches!(self, Level::Driven(v) if v.0 > 0)
    }
    /// The voltage a remote input sees on this wire (a floating wire reads 0 V through the input's pull-down).
    pub fn volts(self) -> Millivolts {
        match self {
            Level::Driven(v) => v,
            Level::Floating => Millivolts(0),
        }
    }
}
