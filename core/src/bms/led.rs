//! LED states as blink patterns (data, so the web can animate them with its own timer).
//!
//! The smallBMS NG LED codes are UNCONFIRMED (manual not public, victron-behaviour.md §1.11). The datasheet only
//! says blue = Bluetooth status, red = warnings and alarm errors. The patterns below borrow the Lynx Smart BMS
//! grammar (LSB-APX): blue flashing = Bluetooth on, nothing connected; blue on = connected; red N flashes every 4 s
//! (1 = warning, 2 = battery communication / BMS cable, 3 = cell voltage or temperature alarm). Every state is
//! marked `assumed`.
use crate::lang::Lang;
use crate::units::{Millis, SimTime};
use serde::{Deserialize, Serialize};

/// How an LED lights over time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LedPattern {
    Off,
    On,
    /// `count` flashes of `on` separated by `off`, the group starting every `period`.
    Flashes {
        count: u8,
        on: Millis,
        off: Millis,
        period: Millis,
    },
}

impl LedPattern {
    /// Blinking evenly: `on`, then `off`, repeating.
    pub const fn blink(on: Millis, off: Millis) -> LedPattern {
        LedPattern::Flashes {
            count: 1,
            on,
            off,
            period: Millis(on.0 + off.0),
        }
    }
    /// Lynx-style code: `count` short flashes every 4 s.
    pub const fn code(count: u8) -> LedPattern {
        LedPattern::Flashes {
            count,
            on: Millis(200),
            off: Millis(300),
            period: Millis(4000),
        }
    }

    /// Whether the LED is lit at `t` (pattern phase taken from time zero).
    pub fn is_lit(&self, t: SimTime) -> bool {
        match *self {
            LedPattern::Off => false,
            LedPattern::On => true,
            LedPattern::Flashes {
                count,
                on,
                off,
                period,
            } => {
                let period = period.0.max(1);
                let phase = t.0 % period;
                let step = on.0.saturating_add(off.0).max(1);
                let n = phase / step;
                n < u64::from(count) && phase % step < on.0
            }
        }
    }
}

/// One LED: its pattern and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LedState {
    pub pattern: LedPattern,
    /// What the pattern means, in words (English; [`LedState::meaning_in`] for another language).
    pub meaning: &'static str,
    /// The pattern is a best estimate (§1.11), not from the smallBMS NG documentation.
    pub assumed: bool,
    #[serde(skip)]
    meaning_fr: &'static str,
}

impl LedState {
    /// A state with its meaning in English and in French.
    pub(crate) const fn new(
        pattern: LedPattern,
        meaning: &'static str,
        meaning_fr: &'static str,
    ) -> LedState {
        LedState {
            pattern,
            meaning,
            assumed: true,
            meaning_fr,
        }
    }
    pub(crate) const OFF_UNPOWERED: LedState =
        LedState::new(LedPattern::Off, "no power", "hors tension");

    /// What the pattern means, in `lang`.
    pub fn meaning_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.meaning, self.meaning_fr)
    }
}
