//! Integer units of the domain. State that must be reproducible holds these, never floats; floats appear only
//! inside the cell model's maths (with `libm`, so native and wasm give the same bits).
use core::fmt;
use serde::{Deserialize, Serialize};

macro_rules! unit {
    ($(#[$doc:meta])* $name:ident($inner:ty), $scale:expr, $suffix:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl $name {
            /// The value in the base SI unit (V, A, Ah, °C, s).
            pub fn si(self) -> f64 {
                self.0 as f64 / $scale
            }
            /// From the base SI unit, rounded to the nearest step and saturated at the integer range.
            pub fn from_si(v: f64) -> Self {
                let scaled = libm::round(v * $scale);
                Self(if scaled.is_nan() { 0 } else { scaled as $inner })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.si())?;
                f.write_str($suffix)
            }
        }
    };
}

unit!(
    /// Electric potential in millivolts.
    Millivolts(i32), 1000.0, " V"
);
unit!(
    /// Current in milliamps; positive charges the bank, negative discharges it.
    Milliamps(i32), 1000.0, " A"
);
unit!(
    /// Charge in milliamp-hours.
    MilliampHours(i64), 1000.0, " Ah"
);
unit!(
    /// Temperature in tenths of a degree Celsius.
    DeciCelsius(i16), 10.0, " °C"
);
unit!(
    /// A duration of simulated time in milliseconds.
    Millis(u64), 1000.0, " s"
);

/// A point on the simulated clock, in milliseconds since the start of the run.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    /// The instant `d` later, saturating at the end of time.
    pub fn after(self, d: Millis) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
    /// The time elapsed since `earlier` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> Millis {
        Millis(self.0.saturating_sub(earlier.0))
    }
}

impl Millis {
    pub const fn secs(s: u64) -> Millis {
        Millis(s * 1000)
    }
    pub const fn mins(m: u64) -> Millis {
        Millis(m * 60_000)
    }
    pub const fn hours(h: u64) -> Millis {
        Millis(h * 3_600_000)
    }
}

/// State of charge in tenths of a percent (0 ..= 1000).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Permille(pub u16);

impl Permille {
    pub const FULL: Permille = Permille(1000);
    /// From a fraction 0.0 ..= 1.0, clamped.
    pub fn from_fraction(x: f64) -> Permille {
        let v = libm::round(x.clamp(0.0, 1.0) * 1000.0);
        Permille(if v.is_nan() { 0 } else { v as u16 })
    }
    pub fn percent(self) -> f64 {
        self.0 as f64 / 10.0
    }
}

impl fmt::Display for Permille {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", self.percent())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_round_trip_rounds_to_nearest_step() {
        assert_eq!(Millivolts::from_si(3.2004), Millivolts(3200));
        assert_eq!(Millivolts::from_si(-0.0006), Millivolts(-1));
        assert_eq!(Milliamps(-12_500).si(), -12.5);
        assert_eq!(DeciCelsius::from_si(f64::NAN), DeciCelsius(0));
        assert_eq!(DeciCelsius::from_si(1e9), DeciCelsius(i16::MAX));
    }

    #[test]
    fn time_saturates() {
        assert_eq!(SimTime(u64::MAX).after(Millis(5)), SimTime(u64::MAX));
        assert_eq!(SimTime(5).since(SimTime(9)), Millis(0));
        assert_eq!(Permille::from_fraction(1.7), Permille::FULL);
    }
}
