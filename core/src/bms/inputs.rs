//! What the smallBMS NG sees, filled by the engine before each [`Bms::update`](super::Bms::update).
use crate::bms::text::Volts;
use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{DeciCelsius, Milliamps, Millivolts, Permille};
use core::fmt;
use serde::{Deserialize, Serialize};

/// One cell's voltage and where it sits. Indices are 0-based; messages show them 1-based ("cell 3 of battery 2").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellReading {
    pub voltage: Millivolts,
    /// Battery index in the bank (0-based).
    pub battery: u16,
    /// Cell index inside that battery (0-based).
    pub cell: u16,
}

/// One battery temperature and which battery reported it (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TempReading {
    pub temperature: DeciCelsius,
    pub battery: u16,
}

/// The lowest and highest of a set of readings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extremes<T> {
    pub min: T,
    pub max: T,
}

impl Extremes<CellReading> {
    /// The lowest and highest cell of `cells` (first one wins a tie); `None` when there are none.
    pub fn of_cells(cells: impl IntoIterator<Item = CellReading>) -> Option<Self> {
        cells.into_iter().fold(None, |acc, c| match acc {
            None => Some(Extremes { min: c, max: c }),
            Some(e) => Some(Extremes {
                min: if c.voltage < e.min.voltage { c } else { e.min },
                max: if c.voltage > e.max.voltage { c } else { e.max },
            }),
        })
    }
}

impl Extremes<TempReading> {
    /// The coldest and hottest of `temps` (first one wins a tie); `None` when there are none.
    pub fn of_temperatures(temps: impl IntoIterator<Item = TempReading>) -> Option<Self> {
        temps.into_iter().fold(None, |acc, t| match acc {
            None => Some(Extremes { min: t, max: t }),
            Some(e) => Some(Extremes {
                min: if t.temperature < e.min.temperature {
                    t
                } else {
                    e.min
                },
                max: if t.temperature > e.max.temperature {
                    t
                } else {
                    e.max
                },
            }),
        })
    }
}

/// One of the three BMS outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BmsOutput {
    /// Load disconnect ("ATD", allowed to discharge).
    Load,
    /// Charge disconnect ("ATC", allowed to charge).
    Charger,
    /// Pre-alarm.
    PreAlarm,
}

impl BmsOutput {
    pub const ALL: [BmsOutput; 3] = [BmsOutput::Load, BmsOutput::Charger, BmsOutput::PreAlarm];
    /// The terminal's name as printed on the BMS ("LOAD", "CHARGER", "PRE-ALARM").
    pub fn label(self) -> &'static str {
        match self {
            BmsOutput::Load => "LOAD",
            BmsOutput::Charger => "CHARGER",
            BmsOutput::PreAlarm => "PRE-ALARM",
        }
    }
    /// The terminal name used in [`crate::finding::Subject::Terminal`].
    pub fn terminal(self) -> &'static str {
        match self {
            BmsOutput::Load => "load",
            BmsOutput::Charger => "charger",
            BmsOutput::PreAlarm => "pre_alarm",
        }
    }
}

impl fmt::Display for BmsOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A current per BMS output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputCurrents {
    pub load: Milliamps,
    pub charger: Milliamps,
    pub pre_alarm: Milliamps,
}

impl OutputCurrents {
    pub fn get(&self, output: BmsOutput) -> Milliamps {
        match output {
            BmsOutput::Load => self.load,
            BmsOutput::Charger => self.charger,
            BmsOutput::PreAlarm => self.pre_alarm,
        }
    }
    pub fn get_mut(&mut self, output: BmsOutput) -> &mut Milliamps {
        match output {
            BmsOutput::Load => &mut self.load,
            BmsOutput::Charger => &mut self.charger,
            BmsOutput::PreAlarm => &mut self.pre_alarm,
        }
    }
    /// The sum of the three, saturating.
    pub fn total(&self) -> Milliamps {
        Milliamps(
            self.load
                .0
                .saturating_add(self.charger.0)
                .saturating_add(self.pre_alarm.0),
        )
    }
}

/// Remote L pulled below this counts as "L to battery minus" (datasheet: V < 3.5 V).
pub const REMOTE_L_ON_BELOW: Millivolts = Millivolts(3500);
/// Remote H above this (and not above Vbat) counts as "H high" (datasheet: 2.9 V < VH < Vbat).
pub const REMOTE_H_ON_ABOVE: Millivolts = Millivolts(2900);

/// What is connected to the Remote L and H terminals right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteTerminals {
    /// L and H are connected to each other (wire bridge, closed switch or relay contact).
    pub l_h_bridged: bool,
    /// The level on L (`Floating` when nothing drives it).
    pub l: Level,
    /// The level on H (`Floating` when nothing drives it).
    pub h: Level,
}

impl RemoteTerminals {
    /// L and H bridged: on.
    pub const BRIDGED: RemoteTerminals = RemoteTerminals {
        l_h_bridged: true,
        l: Level::Floating,
        h: Level::Floating,
    };
    /// Nothing connected: off.
    pub const OPEN: RemoteTerminals = RemoteTerminals {
        l_h_bridged: false,
        l: Level::Floating,
        h: Level::Floating,
    };
    /// L connected to battery minus: on.
    pub const L_TO_MINUS: RemoteTerminals = RemoteTerminals {
        l_h_bridged: false,
        l: Level::Driven(Millivolts(0)),
        h: Level::Floating,
    };
    /// H driven to `voltage` (on when 2.9 V < voltage ≤ Vbat).
    pub fn h_driven(voltage: Millivolts) -> RemoteTerminals {
        RemoteTerminals {
            l_h_bridged: false,
            l: Level::Floating,
            h: Level::Driven(voltage),
        }
    }

    /// Which of the datasheet's ON modes applies, given the BMS supply voltage; `None` = OFF ("every other
    /// condition"). The datasheet writes `VH < Vbat`; H tied to battery plus reads exactly Vbat, so the upper
    /// bound is taken as inclusive.
    pub fn mode(&self, supply: Millivolts) -> Option<RemoteMode> {
        if self.l_h_bridged {
            return Some(RemoteMode::Bridged);
        }
        if let Level::Driven(v) = self.l {
            if v < REMOTE_L_ON_BELOW {
                return Some(RemoteMode::LLow(v));
            }
        }
        if let Level::Driven(v) = self.h {
            if v > REMOTE_H_ON_ABOVE && v <= supply {
                return Some(RemoteMode::HHigh(v));
            }
        }
        None
    }
}

impl Default for RemoteTerminals {
    fn default() -> Self {
        RemoteTerminals::BRIDGED
    }
}

/// Why the remote input reads ON (datasheet modes 1–3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", content = "voltage", rename_all = "snake_case")]
pub enum RemoteMode {
    /// Mode 1: L and H connected together.
    Bridged,
    /// Mode 2: L pulled to battery minus (V < 3.5 V).
    LLow(Millivolts),
    /// Mode 3: H high (2.9 V < VH < Vbat).
    HHigh(Millivolts),
}

impl Localized for RemoteMode {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            RemoteMode::Bridged => f.write_str(lang.pick(
                "remote L and H connected together",
                "Remote L et Remote H reliées entre elles",
            )),
            RemoteMode::LLow(v) => write_in!(
                f,
                lang,
                "remote L at {}, below 3.50 V",
                "Remote L à {}, sous 3.50 V",
                Volts(*v)
            ),
            RemoteMode::HHigh(v) => write_in!(
                f,
                lang,
                "remote H at {}, above 2.90 V",
                "Remote H à {}, au-dessus de 2.90 V",
                Volts(*v)
            ),
        }
    }
}

impl fmt::Display for RemoteMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// Everything the BMS reads in one step. Plain values: the engine fills it from its bank model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BmsInputs {
    /// Voltage on the BMS supply terminals (Vbat).
    pub supply: Millivolts,
    /// Lowest and highest cell over the whole bank; `None` when no battery answers (no batteries on the chain).
    pub cells: Option<Extremes<CellReading>>,
    /// Coldest and hottest battery; `None` when unknown (temperature checks are then skipped).
    pub temperatures: Option<Extremes<TempReading>>,
    /// Bank state of charge; `None` when unknown (the discharge floor is then not evaluated).
    pub soc: Option<Permille>,
    /// What is on Remote L and H.
    pub remote: RemoteTerminals,
    /// The BMS-cable chain through every battery is intact.
    pub bms_cable_ok: bool,
    /// The current each output would source while high (what is wired to it; see
    /// `system::wiring::output_demand`). Compared against the output limits.
    pub demand: OutputCurrents,
    /// A phone is connected over Bluetooth (only changes the blue LED).
    pub bluetooth_connected: bool,
}

impl Default for BmsInputs {
    /// A healthy 12.8 V bank at rest: 13.2 V, cells 3.30 V, 20 °C, 80 % SoC, remote bridged, cable intact.
    fn default() -> Self {
        let cell = CellReading {
            voltage: Millivolts(3300),
            battery: 0,
            cell: 0,
        };
        let temp = TempReading {
            temperature: DeciCelsius(200),
            battery: 0,
        };
        BmsInputs {
            supply: Millivolts(13_200),
            cells: Some(Extremes {
                min: cell,
                max: cell,
            }),
            temperatures: Some(Extremes {
                min: temp,
                max: temp,
            }),
            soc: Some(Permille(800)),
            remote: RemoteTerminals::BRIDGED,
            bms_cable_ok: true,
            demand: OutputCurrents::default(),
            bluetooth_connected: false,
        }
    }
}
