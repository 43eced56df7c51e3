//! Plain-language number formatting shared by the `Display` impls of the BMS, the devices and the rules.
//!
//! Integer arithmetic only, so a message reads the same on every platform ("2.80 V", not "2.8 V").
use crate::units::{DeciCelsius, Millis, Millivolts, Permille, SimTime};
use core::fmt;

/// A voltage with two decimals: `2.80 V`.
#[derive(Clone, Copy, Debug)]
pub struct Volts(pub Millivolts);

impl fmt::Display for Volts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mv = i64::from(self.0 .0);
        let sign = if mv < 0 { "-" } else { "" };
        let abs = mv.unsigned_abs();
        let centi = (abs + 5) / 10; // round half up to 10 mV
        write!(f, "{sign}{}.{:02} V", centi / 100, centi % 100)
    }
}

/// A temperature with one decimal: `-20.0 °C`.
#[derive(Clone, Copy, Debug)]
pub struct Celsius(pub DeciCelsius);

impl fmt::Display for Celsius {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = i32::from(self.0 .0);
        let sign = if d < 0 { "-" } else { "" };
        let abs = d.unsigned_abs();
        write!(f, "{sign}{}.{} °C", abs / 10, abs % 10)
    }
}

/// A state of charge with one decimal: `10.0 %`.
#[derive(Clone, Copy, Debug)]
pub struct Percent(pub Permille);

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} %", self.0 .0 / 10, self.0 .0 % 10)
    }
}

/// A duration in the largest sensible units: `31 s`, `1.5 s`, `10 min`, `2 h 05 min`.
#[derive(Clone, Copy, Debug)]
pub struct Duration(pub Millis);

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0 .0;
        let s = ms / 1000;
        if s < 60 {
            let tenths = (ms % 1000) / 100;
            if tenths == 0 {
                write!(f, "{s} s")
            } else {
                write!(f, "{s}.{tenths} s")
            }
        } else if s < 3600 {
            if s.is_multiple_of(60) {
                write!(f, "{} min", s / 60)
            } else {
                write!(f, "{} min {:02} s", s / 60, s % 60)
            }
        } else {
            write!(f, "{} h {:02} min", s / 3600, (s % 3600) / 60)
        }
    }
}

/// A point on the simulated clock as `h:mm:ss` (`0:20:31`), with tenths when not on a whole second.
#[derive(Clone, Copy, Debug)]
pub struct Clock(pub SimTime);

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0 .0;
        let s = ms / 1000;
        write!(f, "{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)?;
        let tenths = (ms % 1000) / 100;
        if tenths != 0 {
            write!(f, ".{tenths}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn formats() {
        assert_eq!(format!("{}", Volts(Millivolts(2800))), "2.80 V");
        assert_eq!(format!("{}", Volts(Millivolts(-1234))), "-1.23 V");
        assert_eq!(format!("{}", Celsius(DeciCelsius(-205))), "-20.5 °C");
        assert_eq!(format!("{}", Percent(Permille(105))), "10.5 %");
        assert_eq!(format!("{}", Duration(Millis(31_000))), "31 s");
        assert_eq!(format!("{}", Duration(Millis(600_000))), "10 min");
        assert_eq!(format!("{}", Duration(Millis(7_500_000))), "2 h 05 min");
        assert_eq!(format!("{}", Clock(SimTime(1_231_500))), "0:20:31.5");
    }
}
