//! Daily profiles: what each load draws and each charge source offers, by time of day, duty cycle and day of the
//! week; and the inverter that AC loads go through.
//!
//! Time is local clock time in whole minutes (0…1440). A window from 18:00 to 23:00 is on at 18:00 and off at
//! 23:00; a window from 22:00 to 06:00 wraps round midnight (on from 22:00 to 24:00 and from 00:00 to 06:00 of the
//! same calendar day, so a day filter applies to both parts of that day).
use super::PlanError;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Minutes in a day.
pub const DAY_MIN: u16 = 1440;

/// A local clock time, "HH:MM" in the files, 00:00 … 24:00.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(pub u16);

impl ClockTime {
    /// Parses "HH:MM" (24:00 allowed as the end of the day).
    pub fn parse(s: &str) -> Option<ClockTime> {
        let (h, m) = s.trim().split_once(':')?;
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        if m >= 60 || h > 24 || (h == 24 && m > 0) || h.checked_mul(60).is_none() {
            return None;
        }
        Some(ClockTime(h * 60 + m))
    }
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ClockTime::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(alloc::format!(
                "\"{s}\" is not a clock time; write HH:MM, 00:00 … 24:00"
            ))
        })
    }
}

/// An on-period of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: ClockTime,
    pub to: ClockTime,
}

impl Window {
    /// Whether minute `m` of the day (0…1439) is inside.
    pub fn contains(self, m: u16) -> bool {
        let (a, b) = (self.from.0, self.to.0);
        if a <= b {
            a <= m && m < b
        } else {
            m >= a || m < b
        }
    }
    /// Minutes on per day.
    pub fn minutes(self) -> u16 {
        let (a, b) = (self.from.0, self.to.0);
        if a <= b {
            b - a
        } else {
            DAY_MIN - a + b
        }
    }
}

/// When a profile is on: windows of the day (none = all day), days of the week (none = every day; 0 = Monday …
/// 6 = Sunday), and a duty cycle inside the windows (a fridge compressor: 40 % of each 30 minutes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<Window>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<u8>,
    /// Percent of each period it runs (absent: 100 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty_percent: Option<f64>,
    /// The duty cycle's period, minutes (default 30).
    #[serde(default = "default_period", skip_serializing_if = "is_default_period")]
    pub period_min: u16,
    /// Where in each period the on-part starts, minutes (spreads several cycling loads apart).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub phase_min: u16,
}

fn default_period() -> u16 {
    30
}
fn is_default_period(p: &u16) -> bool {
    *p == 30
}
fn is_zero(p: &u16) -> bool {
    *p == 0
}

impl Default for Schedule {
    /// On all day, every day.
    fn default() -> Self {
        Schedule {
            windows: Vec::new(),
            days: Vec::new(),
            duty_percent: None,
            period_min: default_period(),
            phase_min: 0,
        }
    }
}

impl Schedule {
    /// On all day, every day.
    pub fn always() -> Schedule {
        Schedule::default()
    }
    /// On inside `windows` ("HH:MM" pairs; a bad time gives no window).
    pub fn between(windows: &[(&str, &str)]) -> Schedule {
        Schedule {
            windows: windows
                .iter()
                .filter_map(|(a, b)| {
                    Some(Window {
                        from: ClockTime::parse(a)?,
                        to: ClockTime::parse(b)?,
                    })
                })
                .collect(),
            ..Schedule::always()
        }
    }
    pub fn duty(mut self, percent: f64, period_min: u16) -> Schedule {
        self.duty_percent = Some(percent);
        self.period_min = period_min;
        self
    }
    pub fn on_days(mut self, days: &[u8]) -> Schedule {
        self.days = days.to_vec();
        self
    }

    /// Minutes on in each duty period.
    fn on_minutes(&self) -> u16 {
        let period = self.period_min.max(1);
        match self.duty_percent {
            None => period,
            Some(p) => {
                let on = libm::round(f64::from(period) * p.clamp(0.0, 100.0) / 100.0);
                (on as u16).min(period)
            }
        }
    }

    /// Whether it is on at minute `m` (0…1439) of a day that is weekday `weekday` (0 = Monday).
    pub fn is_on(&self, weekday: u8, m: u16) -> bool {
        if !self.days.is_empty() && !self.days.contains(&weekday) {
            return false;
        }
        if !self.windows.is_empty() && !self.windows.iter().any(|w| w.contains(m)) {
            return false;
        }
        if self.duty_percent.is_none() {
            return true;
        }
        let period = self.period_min.max(1);
        let pos = (m % period + period - self.phase_min % period) % period;
        pos < self.on_minutes()
    }

    /// Why it cannot be used, if it cannot; `owner` names the profile in the message.
    pub fn check(&self, owner: &str) -> Result<(), PlanError> {
        if let Some(d) = self.days.iter().find(|d| **d > 6) {
            return Err(PlanError::BadWeekday {
                profile: owner.to_string(),
                day: *d,
            });
        }
        if let Some(p) = self.duty_percent {
            range(owner, "duty_percent", p, 0.0, 100.0)?;
        }
        range(
            owner,
            "period_min",
            f64::from(self.period_min),
            1.0,
            f64::from(DAY_MIN),
        )?;
        for w in &self.windows {
            range(
                owner,
                "window end",
                f64::from(w.to.0.max(w.from.0)),
                0.0,
                f64::from(DAY_MIN),
            )?;
        }
        Ok(())
    }
}

/// `Ok` when `value` is a finite number in `min ..= max`.
pub(crate) fn range(
    owner: &str,
    field: &str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<(), PlanError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(PlanError::Range {
            owner: owner.to_string(),
            field: field.to_string(),
            min,
            max,
            found: value,
        })
    }
}

/// One appliance on a load device: its power while on and when it is on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadProfile {
    /// The appliance ("Fridge").
    pub name: String,
    /// The system device it is connected through: a DC load, or the inverter for an AC appliance.
    pub device: String,
    /// Power while on, W: at the DC terminals for a DC appliance (current = W ÷ the bank voltage it sees), at the
    /// socket for an AC appliance (the inverter adds its losses).
    pub watts: f64,
    /// An AC appliance behind the plan's inverter.
    #[serde(default)]
    pub ac: bool,
    /// When it is on (absent: all day, every day).
    #[serde(default)]
    pub schedule: Schedule,
}

/// A charge source's availability: shore power hours, the alternator while driving.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChargeProfile {
    /// "Shore power at the campsite", "Driving".
    pub name: String,
    /// The system charger it feeds (a charger device; the alternator behind its Cyrix-Li-Charge).
    pub device: String,
    /// What the source can deliver into the bank while available, A (the charger's own limit still applies).
    pub amps: f64,
    /// When it is on (absent: all day, every day).
    #[serde(default)]
    pub schedule: Schedule,
}

/// The inverter AC appliances go through: efficiency by load and idle draw. Every default is assumed (typical of
/// a 12 V 1200 VA Victron Phoenix data sheet: peak efficiency about 91 %, zero-load power about 8 W) and editable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InverterModel {
    /// The system device (an inverter with a remote input).
    pub device: String,
    /// Continuous rating, VA (treated as W for a resistive load).
    #[serde(default = "default_rated")]
    pub rated_va: f64,
    /// DC draw while on with no AC load, W.
    #[serde(default = "default_idle")]
    pub idle_w: f64,
    /// Efficiency curve: (AC output ÷ rating, efficiency 0…1), ascending; linear in between, flat beyond.
    #[serde(default = "default_curve")]
    pub efficiency: Vec<(f64, f64)>,
    /// On all day (idle draw when nothing runs); `false`: switched on only while an AC appliance runs.
    #[serde(default = "yes")]
    pub always_on: bool,
}

fn default_rated() -> f64 {
    1200.0
}
fn default_idle() -> f64 {
    8.0
}
fn yes() -> bool {
    true
}
fn default_curve() -> Vec<(f64, f64)> {
    alloc::vec![
        (0.05, 0.75),
        (0.1, 0.84),
        (0.25, 0.90),
        (0.5, 0.91),
        (1.0, 0.88)
    ]
}

impl InverterModel {
    pub fn new(device: &str) -> InverterModel {
        InverterModel {
            device: device.to_string(),
            rated_va: default_rated(),
            idle_w: default_idle(),
            efficiency: default_curve(),
            always_on: true,
        }
    }

    /// Efficiency at `ac_w` of output (0…1).
    pub fn efficiency_at(&self, ac_w: f64) -> f64 {
        let x = ac_w / self.rated_va.max(1.0);
        let c = &self.efficiency;
        let Some(first) = c.first() else {
            return 1.0;
        };
        if x <= first.0 {
            return first.1;
        }
        for w in c.windows(2) {
            let (a, b) = (w[0], w[1]);
            if x <= b.0 {
                let span = b.0 - a.0;
                if span <= 0.0 {
                    return b.1;
                }
                return a.1 + (x - a.0) / span * (b.1 - a.1);
            }
        }
        c.last().map_or(1.0, |l| l.1)
    }

    /// The DC power drawn for `ac_w` of AC output, W (0 when off: no appliance runs and not always on).
    pub fn dc_power(&self, ac_w: f64) -> f64 {
        if ac_w <= 0.0 {
            return if self.always_on { self.idle_w } else { 0.0 };
        }
        ac_w / self.efficiency_at(ac_w).max(0.01) + self.idle_w
    }

    pub fn check(&self) -> Result<(), PlanError> {
        let owner = self.device.as_str();
        range(owner, "rated_va", self.rated_va, 1.0, 100_000.0)?;
        range(owner, "idle_w", self.idle_w, 0.0, 1000.0)?;
        let mut last = 0.0;
        for &(x, e) in &self.efficiency {
            range(owner, "efficiency load fraction", x, last, 10.0)?;
            range(owner, "efficiency", e, 0.05, 1.0)?;
            last = x;
        }
        Ok(())
    }
}
