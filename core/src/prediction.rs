//! "How long until my loads switch off?": the engine started at a live state (the BMS's SoC, the present current
//! and temperature from Instant Readout) and run at that current until the BMS raises PRE-ALARM and disconnects
//! LOAD. The answer is an estimate, and [`Prediction::assumptions`] says on what it rests; the rules that decide
//! the times are the engine's and the BMS's own (discharge floor, cell thresholds, delays), nothing is repeated
//! here.
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::document::Document;
use crate::engine::{SimError, Simulation};
use crate::lang::{write_in, Lang, Localized};
use crate::scenario::{Action, Scenario, ScenarioEvent};
use crate::units::SimTime;

/// How far ahead the prediction looks (30 days): beyond it, "not within 30 days".
pub const HORIZON_S: u64 = 30 * 24 * 3600;
/// A live state is refused outside these bounds: no smallBMS NG system moves more current.
pub const MAX_ABS_CURRENT_A: f64 = 5000.0;

/// What the live records say now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LiveState {
    /// The BMS's state of charge, 0 … 100 %.
    pub soc_percent: f64,
    /// The present battery current; negative discharges.
    pub current_a: f64,
    /// The battery temperature, when the record has one (often "not available", updates.md (p)).
    pub temperature_c: Option<f64>,
}

/// Why no prediction can be made.
#[derive(Clone, Debug, PartialEq)]
pub enum PredictionError {
    /// SoC outside 0 … 100 % or not a number.
    Soc(f64),
    /// Current not a number or beyond ±[`MAX_ABS_CURRENT_A`].
    Current(f64),
    /// Temperature outside −60 … 100 °C.
    Temperature(f64),
    /// The configured system cannot be simulated.
    Sim(SimError),
}

impl Localized for PredictionError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            PredictionError::Soc(v) => write_in!(
                f,
                lang,
                "no prediction: the state of charge {} % is not 0 … 100 %",
                "pas de prévision : l'état de charge {} % n'est pas entre 0 et 100 %",
                v
            ),
            PredictionError::Current(v) => write_in!(
                f,
                lang,
                "no prediction: the current {} A is out of range",
                "pas de prévision : le courant {} A est hors limites",
                v
            ),
            PredictionError::Temperature(v) => write_in!(
                f,
                lang,
                "no prediction: the temperature {} °C is out of range",
                "pas de prévision : la température {} °C est hors limites",
                v
            ),
            PredictionError::Sim(e) => {
                f.write_str(lang.pick("no prediction: ", "pas de prévision : "))?;
                e.fmt_in(f, lang)
            }
        }
    }
}

impl fmt::Display for PredictionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// One thing the estimate takes for granted.
#[derive(Clone, Debug, PartialEq)]
pub enum Assumption {
    /// The present current stays the same until the disconnect.
    ConstantCurrent { amps: f64 },
    /// Every cell starts at the BMS's state of charge (the configured bank model and spread).
    CellsAtSoc { percent: f64 },
    /// The temperature stays the same; `measured` = false when the record had none and the system's ambient
    /// setting is used instead.
    Temperature { celsius: f64, measured: bool },
    /// The BMS settings are the configured system's, among them this discharge floor (0 = off).
    ConfiguredSettings { floor_percent: f64 },
}

impl Localized for Assumption {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            Assumption::ConstantCurrent { amps } => write_in!(
                f,
                lang,
                "the current stays at {:.1} A",
                "le courant reste à {:.1} A",
                amps
            ),
            Assumption::CellsAtSoc { percent } => write_in!(
                f,
                lang,
                "every cell is at the BMS's {:.1} % state of charge (configured bank model)",
                "chaque cellule est à l'état de charge du BMS, {:.1} % (modèle de parc configuré)",
                percent
            ),
            Assumption::Temperature {
                celsius,
                measured: true,
            } => write_in!(
                f,
                lang,
                "the temperature stays at {:.0} °C",
                "la température reste à {:.0} °C",
                celsius
            ),
            Assumption::Temperature {
                celsius,
                measured: false,
            } => write_in!(
                f,
                lang,
                "temperature not available in the record: {:.0} °C assumed (the system's setting)",
                "température non disponible dans l'enregistrement : {:.0} °C supposés (réglage du système)",
                celsius
            ),
            Assumption::ConfiguredSettings { floor_percent } => write_in!(
                f,
                lang,
                "the BMS settings are those of the configured system (discharge floor {:.0} %)",
                "les réglages du BMS sont ceux du système configuré (seuil de décharge {:.0} %)",
                floor_percent
            ),
        }
    }
}

/// When a BMS output would switch.
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    /// Seconds from now; 0 = already.
    pub after_s: u64,
    /// Why, in the language asked for (the engine's cause chain).
    pub cause: String,
}

/// The estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// When PRE-ALARM goes high; `None` = not within [`HORIZON_S`].
    pub pre_alarm: Option<Moment>,
    /// When LOAD stops (load disconnect); `None` = not within [`HORIZON_S`].
    pub load_disconnect: Option<Moment>,
    /// The configured discharge floor (0 = off).
    pub discharge_floor_percent: f64,
    pub horizon_s: u64,
    pub assumptions: Vec<Assumption>,
}

/// Starts the engine on `doc` at `state` and runs it at the present current until LOAD disconnects (or for
/// [`HORIZON_S`]). Every device's own demand is set to zero and the present current is applied straight to the
/// battery, so the current the BMS measured is the current simulated. Causes are told in `lang`.
pub fn predict(
    doc: &Document,
    state: LiveState,
    lang: Lang,
) -> Result<Prediction, PredictionError> {
    if !state.soc_percent.is_finite() || !(0.0..=100.0).contains(&state.soc_percent) {
        return Err(PredictionError::Soc(state.soc_percent));
    }
    if !state.current_a.is_finite() || state.current_a.abs() > MAX_ABS_CURRENT_A {
        return Err(PredictionError::Current(state.current_a));
    }
    if let Some(t) = state.temperature_c {
        if !t.is_finite() || !(-60.0..=100.0).contains(&t) {
            return Err(PredictionError::Temperature(t));
        }
    }
    let ambient = doc.bank.ambient.0 as f64 / 10.0;
    let celsius = state.temperature_c.unwrap_or(ambient);
    let floor_percent = doc.system.bms.discharge_floor.0 as f64 / 10.0;

    let mut events: Vec<ScenarioEvent> = doc
        .system
        .devices
        .iter()
        .map(|d| ScenarioEvent {
            at_s: 0,
            action: Action::Demand {
                device: d.name.clone(),
                amps: 0.0,
            },
        })
        .collect();
    events.push(ScenarioEvent {
        at_s: 0,
        action: if state.current_a < 0.0 {
            Action::Parasitic {
                milliamps: -state.current_a * 1000.0,
            }
        } else {
            Action::ExternalCharge {
                amps: state.current_a,
            }
        },
    });
    let scenario = Scenario {
        name: String::from("prediction"),
        description: String::new(),
        duration_s: HORIZON_S,
        initial_soc_percent: Some(state.soc_percent),
        initial_celsius: Some(celsius),
        discharge_floor_percent: None,
        events,
    };
    let mut sim = Simulation::new_in(doc, Some(&scenario), lang).map_err(PredictionError::Sim)?;
    let end = SimTime(HORIZON_S.saturating_mul(1000));
    let mut pre_alarm = None;
    let mut load_disconnect = None;
    let mut seen = 0usize;
    // The LOAD output is high once the BMS has started; a disconnect is it going floating afterwards. A system
    // whose LOAD never came up is "disconnected already".
    let mut load_was_high = sim.bms().load.level.is_high();
    loop {
        for e in sim.events().skip(seen) {
            let after_s = e.t_ms / 1000;
            match (e.signal, e.level.as_str()) {
                ("pre_alarm", "high") if pre_alarm.is_none() => {
                    pre_alarm = Some(Moment {
                        after_s,
                        cause: e.cause.clone(),
                    })
                }
                ("load_disconnect", "high") => load_was_high = true,
                ("load_disconnect", "floating") if load_was_high && load_disconnect.is_none() => {
                    load_disconnect = Some(Moment {
                        after_s,
                        cause: e.cause.clone(),
                    })
                }
                _ => {}
            }
        }
        seen = sim.events().count();
        if load_disconnect.is_some() || sim.now() >= end {
            break;
        }
        if !load_was_high && sim.now().0 >= 600_000 {
            let cause = sim
                .bms()
                .load
                .off
                .as_ref()
                .map(|r| r.in_lang(lang).to_string())
                .unwrap_or_default();
            load_disconnect = Some(Moment { after_s: 0, cause });
            break;
        }
        sim.step_to(end);
    }
    if pre_alarm.is_none() && sim.bms().pre_alarm.level.is_high() {
        pre_alarm = Some(Moment {
            after_s: 0,
            cause: String::new(),
        });
    }
    Ok(Prediction {
        pre_alarm,
        load_disconnect,
        discharge_floor_percent: floor_percent,
        horizon_s: HORIZON_S,
        assumptions: alloc::vec![
            Assumption::ConstantCurrent {
                amps: state.current_a
            },
            Assumption::CellsAtSoc {
                percent: state.soc_percent
            },
            Assumption::Temperature {
                celsius,
                measured: state.temperature_c.is_some(),
            },
            Assumption::ConfiguredSettings { floor_percent },
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(soc: f64, amps: f64) -> Prediction {
        predict(
            &Document::default(),
            LiveState {
                soc_percent: soc,
                current_a: amps,
                temperature_c: Some(20.0),
            },
            Lang::En,
        )
        .unwrap()
    }

    #[test]
    fn a_discharge_reaches_pre_alarm_then_load_disconnect() {
        let p = at(50.0, -40.0);
        let pre = p.pre_alarm.clone().expect("pre-alarm within the horizon");
        let load = p.load_disconnect.clone().expect("load disconnect");
        assert!(pre.after_s > 0 && pre.after_s <= load.after_s, "{p:?}");
        // The demo bank is 200 Ah × 2 strings … the exact figure is the engine's; here only its order of
        // magnitude: at 40 A from 50 % the floor is hours away, not minutes or weeks.
        assert!(load.after_s > 3600 && load.after_s < 48 * 3600, "{p:?}");
        assert!(!load.cause.is_empty());
    }

    #[test]
    fn more_current_disconnects_sooner_and_charging_never() {
        let slow = at(60.0, -20.0).load_disconnect.unwrap().after_s;
        let fast = at(60.0, -80.0).load_disconnect.unwrap().after_s;
        assert!(fast < slow, "{fast} < {slow}");
        let charging = at(60.0, 10.0);
        assert_eq!(charging.load_disconnect, None);
        assert_eq!(charging.pre_alarm, None);
    }

    #[test]
    fn bad_inputs_are_errors_in_words() {
        let doc = Document::default();
        for (soc, amps, t) in [
            (f64::NAN, 0.0, None),
            (101.0, 0.0, None),
            (50.0, f64::INFINITY, None),
            (50.0, 1e9, None),
            (50.0, 1.0, Some(500.0)),
        ] {
            let e = predict(
                &doc,
                LiveState {
                    soc_percent: soc,
                    current_a: amps,
                    temperature_c: t,
                },
                Lang::Fr,
            )
            .unwrap_err();
            assert!(e
                .in_lang(Lang::Fr)
                .to_string()
                .starts_with("pas de prévision"));
        }
    }

    #[test]
    fn a_missing_temperature_is_an_assumption() {
        let p = predict(
            &Document::default(),
            LiveState {
                soc_percent: 80.0,
                current_a: -5.0,
                temperature_c: None,
            },
            Lang::En,
        )
        .unwrap();
        let words: Vec<String> = p
            .assumptions
            .iter()
            .map(|a| a.in_lang(Lang::En).to_string())
            .collect();
        assert!(
            words
                .iter()
                .any(|w| w.starts_with("temperature not available")),
            "{words:?}"
        );
    }
}
