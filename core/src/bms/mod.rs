//! The smallBMS NG as a state machine.
//!
//! Drive it with [`Bms::update`] at every step the engine takes (and at least at every [`Bms::next_deadline`]);
//! read [`Bms::outputs`]. Inputs are plain values ([`BmsInputs`]), so this module knows nothing about the battery
//! model.
//!
//! Behaviour (datasheet authoritative; thresholds in [`BmsSettings`]):
//! - supply < 8 V or > 70 V (datasheet range 8–70 V) ⇒ off: every output floats, LEDs off, no consumption, all
//!   memory lost except the under-voltage latch (assumed), so power coming back never raises LOAD onto a cell that
//!   has not recovered;
//! - BMS-cable chain broken ⇒ LOAD and CHARGER float, BMS-cable alarm, error #32 (LSBNG-COM, assumed for NG);
//! - remote OFF ⇒ LOAD and CHARGER float at once (datasheet); PRE-ALARM is not governed by the remote input
//!   (the datasheet says the remote controls the load and charger outputs) and keeps reporting;
//! - PRE-ALARM high while a cell is below the pre-alarm level, a cell is below under-voltage, LOAD is latched off
//!   for under-voltage, or SoC is within the warning band above the discharge floor (datasheet);
//! - LOAD floats for cell under-voltage only once PRE-ALARM has been high for the lead time (datasheet: at least
//!   30 s), then stays off until every cell reaches the recovery level (assumed 3.20 V, LSB-SEQ);
//! - SoC at or below the discharge floor ⇒ LOAD floats at once, low-SoC alarm (datasheet); back above floor + band
//!   (assumed);
//! - a cell at or above over-voltage ⇒ CHARGER floats until every cell is below the recovery level (assumed);
//! - temperature outside the charge window ⇒ CHARGER floats; outside the discharge window ⇒ LOAD floats (assumed
//!   windows from NG technical data, with a release hysteresis).
pub mod alerts;
pub mod inputs;
pub mod led;
pub mod outputs;
pub mod product;
pub mod settings;
pub mod text;

pub use alerts::{AlarmLevel, Alerts, BmsError};
pub use inputs::{
    BmsInputs, BmsOutput, CellReading, Extremes, OutputCurrents, RemoteMode, RemoteTerminals,
    TempReading, REMOTE_H_ON_ABOVE, REMOTE_L_ON_BELOW,
};
pub use led::{LedPattern, LedState};
pub use outputs::{
    BmsOutputs, CellTrip, ChargerOff, LoadOff, OutputFlags, PreAlarmOn, PreAlarmOutput,
    SwitchedOutput, SystemOff, TempSide, TempTrip,
};
pub use product::{OPERATING_TEMP_MAX, OPERATING_TEMP_MIN};
pub use settings::{
    BmsSettings, ParamInfo, ParamUnit, BMS_PARAMETERS, MIN_PRE_ALARM_LEAD, SUPPLY_MAX,
};

use crate::devices::Microamps;
use crate::signal::Level;
use crate::units::{DeciCelsius, Millivolts, Permille, SimTime};

/// The smallBMS NG. Construct with [`Bms::new`], then call [`Bms::update`] for every step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bms {
    /// Settings clamped into their parameter ranges.
    settings: BmsSettings,
    memory: Memory,
    outputs: BmsOutputs,
    /// The time of the last update (the clock never runs backwards).
    last: SimTime,
}

/// What the BMS remembers between updates (all of it lost when unpowered).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Memory {
    /// The cell cause of the pre-alarm is active (with its release hysteresis).
    cell_pre_alarm: bool,
    /// When the PRE-ALARM output went high; `None` while it floats.
    pre_alarm_since: Option<SimTime>,
    /// The lowest cell is below under-voltage right now.
    below_uv: bool,
    under_voltage: Option<(CellTrip, SimTime)>,
    over_voltage: Option<CellTrip>,
    floor: Option<(Permille, SimTime)>,
    charge_temp: Option<TempTrip>,
    discharge_temp: Option<TempTrip>,
}

impl Bms {
    /// A BMS that has not been updated yet: everything floating, as if unpowered.
    pub fn new(settings: BmsSettings) -> Bms {
        let settings = settings.clamped();
        let reason = SystemOff::SupplyLow {
            supply: Millivolts(0),
            minimum: settings.supply_min,
        };
        let outputs = unpowered_outputs(reason, SimTime::ZERO, None);
        Bms {
            settings,
            memory: Memory::default(),
            outputs,
            last: SimTime::ZERO,
        }
    }

    /// The settings in force (clamped into their ranges).
    pub fn settings(&self) -> &BmsSettings {
        &self.settings
    }

    /// Replaces the settings (clamped); takes effect at the next update. Latched trips are kept.
    pub fn set_settings(&mut self, settings: BmsSettings) {
        self.settings = settings.clamped();
    }

    /// The outputs as of the last update.
    pub fn outputs(&self) -> &BmsOutputs {
        &self.outputs
    }

    /// The next instant at which the BMS would change state with unchanged inputs: the pre-alarm lead expiring
    /// while a cell is below under-voltage, or the pre-alarm's release after an under-voltage shutdown. Always after the last update. The engine must call [`Bms::update`] at
    /// that time.
    pub fn next_deadline(&self) -> Option<SimTime> {
        let m = &self.memory;
        let soon = self.last.after(crate::units::Millis(1));
        match (m.below_uv, m.under_voltage, m.pre_alarm_since) {
            (true, None, Some(since)) => Some(since.after(self.settings.pre_alarm_lead).max(soon)),
            // The pre-alarm's release after an under-voltage shutdown, when set.
            (_, Some((trip, _)), Some(_)) if self.settings.pre_alarm_after_shutdown.0 > 0 => Some(
                trip.at
                    .after(self.settings.pre_alarm_after_shutdown)
                    .max(soon),
            ),
            _ => None,
        }
    }

    /// Applies the inputs as they are at `now`. Times earlier than the previous update are treated as that update
    /// (the clock never runs backwards).
    pub fn update(&mut self, now: SimTime, inputs: &BmsInputs) {
        let now = now.max(self.last);
        self.last = now;
        let prev = self.outputs.clone();
        if let Some(reason) = supply_out_of_range(inputs.supply, self.settings.supply_min) {
            // Everything is forgotten but the under-voltage latch: an interruption of the supply must not bring
            // the loads back onto a cell that has not recovered (issue 14 audit; assumed — the NG manual is not
            // public). Once powered again, the latch releases only when every cell reaches the recovery level.
            self.memory = Memory {
                under_voltage: self.memory.under_voltage,
                ..Memory::default()
            };
            self.outputs = unpowered_outputs(reason, now, Some(&prev));
            return;
        }
        let cable_ok = inputs.bms_cable_ok;
        let cells = if cable_ok { inputs.cells } else { None };

        let mut alerts = Alerts::default();
        match cells {
            Some(cells) => self.evaluate_batteries(now, inputs, cells, &mut alerts),
            None => {
                // Without battery data there is nothing to pre-alarm on; trips stay latched.
                self.memory.cell_pre_alarm = false;
                self.memory.below_uv = false;
                self.memory.pre_alarm_since = None;
            }
        }

        let s = &self.settings;
        let m = &self.memory;
        let remote = inputs.remote.mode(inputs.supply);
        let system_off = if !cable_ok {
            alerts.bms_cable = AlarmLevel::Alarm;
            Some(SystemOff::BmsCable)
        } else if cells.is_none() {
            Some(SystemOff::NoBatteryData)
        } else if remote.is_none() {
            Some(SystemOff::RemoteOff)
        } else {
            None
        };

        let load_off = system_off.map(LoadOff::System).or_else(|| {
            m.under_voltage
                .map(|(trip, pre_alarm_since)| LoadOff::CellUnderVoltage {
                    trip,
                    pre_alarm_since,
                })
                .or_else(|| {
                    m.floor.map(|(soc, at)| LoadOff::DischargeFloor {
                        soc,
                        floor: s.discharge_floor,
                        resume: floor_resume(s),
                        at,
                    })
                })
                .or_else(|| m.discharge_temp.map(LoadOff::Temperature))
        });
        let charger_off = system_off.map(ChargerOff::System).or_else(|| {
            m.over_voltage
                .map(ChargerOff::CellOverVoltage)
                .or_else(|| m.charge_temp.map(ChargerOff::Temperature))
        });
        let pre_alarm_cause = match (cells, m.pre_alarm_since) {
            (Some(c), Some(_)) => self.pre_alarm_cause(inputs, c.min),
            _ => None,
        };

        let high = Level::Driven(Millivolts(
            inputs.supply.0.saturating_sub(s.output_drop.0).max(0),
        ));
        let load = switched(high, load_off, now, &prev.load);
        let charger = switched(high, charger_off, now, &prev.charger);
        let pre_level = if pre_alarm_cause.is_some() {
            high
        } else {
            Level::Floating
        };
        let pre_alarm = PreAlarmOutput {
            level: pre_level,
            cause: pre_alarm_cause,
            since: changed_since(prev.pre_alarm.level, pre_level, prev.pre_alarm.since, now),
        };

        for (o, limit) in [
            (BmsOutput::Load, s.load_limit),
            (BmsOutput::Charger, s.charger_limit),
            (BmsOutput::PreAlarm, s.pre_alarm_limit),
        ] {
            let high = match o {
                BmsOutput::Load => load.level.is_high(),
                BmsOutput::Charger => charger.level.is_high(),
                BmsOutput::PreAlarm => pre_level.is_high(),
            };
            let over = high && inputs.demand.get(o) > limit;
            match o {
                BmsOutput::Load => alerts.overload.load = over,
                BmsOutput::Charger => alerts.overload.charger = over,
                BmsOutput::PreAlarm => alerts.overload.pre_alarm = over,
            }
        }

        let error = if !cable_ok {
            Some(BmsError::BmsCable)
        } else if cells.is_none() {
            Some(BmsError::NoBatteries)
        } else {
            None
        };
        let own_consumption = if remote.is_none() {
            s.consumption_remote_off
        } else if m.under_voltage.is_some() {
            s.consumption_low_cell
        } else {
            s.consumption_on
        };

        self.outputs = BmsOutputs {
            powered: true,
            remote,
            load,
            charger,
            pre_alarm,
            blue_led: blue_led(inputs.bluetooth_connected),
            red_led: red_led(&alerts),
            alerts,
            error,
            own_consumption,
        };
    }

    /// Updates trips, the pre-alarm timer and the battery alert channels from fresh battery data.
    fn evaluate_batteries(
        &mut self,
        now: SimTime,
        inputs: &BmsInputs,
        cells: Extremes<CellReading>,
        alerts: &mut Alerts,
    ) {
        let s = &self.settings;
        let m = &mut self.memory;
        let (min, max) = (cells.min, cells.max);
        // Recovery levels never sit on the wrong side of their trip level, whatever the settings say.
        let uv_recovery = s.under_voltage_recovery_cell.max(s.under_voltage_cell);
        let ov_recovery = s.over_voltage_recovery_cell.min(s.over_voltage_cell);
        let pre_release = s.pre_alarm_recovery_cell.max(s.pre_alarm_cell);

        // Over-voltage: CHARGER off at or above the limit, back when every cell is below recovery.
        if m.over_voltage.is_some() && max.voltage < ov_recovery {
            m.over_voltage = None;
        }
        if m.over_voltage.is_none() && max.voltage >= s.over_voltage_cell {
            m.over_voltage = Some(CellTrip {
                battery: max.battery,
                cell: max.cell,
                voltage: max.voltage,
                threshold: s.over_voltage_cell,
                recovery: ov_recovery,
                at: now,
            });
        }

        // Discharge floor (0 = disabled); SoC unknown keeps the current state.
        let floor_on = s.discharge_floor.0 > 0;
        if let Some(soc) = inputs.soc {
            if !floor_on || (m.floor.is_some() && soc >= floor_resume(s)) {
                m.floor = None;
            }
            if floor_on && m.floor.is_none() && soc <= s.discharge_floor {
                m.floor = Some((soc, now));
            }
        }
        let soc_warning = floor_on && inputs.soc.is_some_and(|soc| soc <= floor_resume(s));

        // Temperatures: unknown keeps the current state.
        if let Some(t) = inputs.temperatures {
            let h = s.temperature_hysteresis.0.max(0);
            update_temp(
                &mut m.charge_temp,
                t,
                s.charge_temp_min,
                s.charge_temp_max,
                h,
                now,
            );
            update_temp(
                &mut m.discharge_temp,
                t,
                s.discharge_temp_min,
                s.discharge_temp_max,
                h,
                now,
            );
        }

        // Under-voltage latch release, then the pre-alarm, then a new trip if the lead has run out.
        if m.under_voltage.is_some() && min.voltage >= uv_recovery {
            m.under_voltage = None;
        }
        let below_uv = min.voltage < s.under_voltage_cell;
        m.below_uv = below_uv;
        m.cell_pre_alarm = if m.cell_pre_alarm {
            min.voltage < pre_release
        } else {
            min.voltage < s.pre_alarm_cell
        };
        // After an under-voltage shutdown the pre-alarm may release after a set time (assumed setting; 0 = never).
        let hold = s.pre_alarm_after_shutdown;
        let released = hold.0 > 0
            && m.under_voltage
                .is_some_and(|(trip, _)| now.since(trip.at) >= hold);
        let pre_alarm =
            !released && (m.cell_pre_alarm || below_uv || m.under_voltage.is_some() || soc_warning);
        m.pre_alarm_since = match (pre_alarm, m.pre_alarm_since) {
            (false, _) => None,
            (true, None) => Some(now),
            (true, since) => since,
        };
        if let (true, None, Some(since)) = (below_uv, m.under_voltage, m.pre_alarm_since) {
            if now.since(since) >= s.pre_alarm_lead {
                let trip = CellTrip {
                    battery: min.battery,
                    cell: min.cell,
                    voltage: min.voltage,
                    threshold: s.under_voltage_cell,
                    recovery: uv_recovery,
                    at: now,
                };
                m.under_voltage = Some((trip, since));
            }
        }

        alerts.low_cell_voltage = if below_uv || m.under_voltage.is_some() {
            AlarmLevel::Alarm
        } else if m.cell_pre_alarm {
            AlarmLevel::Warning
        } else {
            AlarmLevel::Ok
        };
        alerts.high_cell_voltage = if m.over_voltage.is_some() {
            AlarmLevel::Alarm
        } else {
            AlarmLevel::Ok
        };
        alerts.low_soc = if m.floor.is_some() {
            AlarmLevel::Alarm
        } else if soc_warning {
            AlarmLevel::Warning
        } else {
            AlarmLevel::Ok
        };
        let side_alarm = |side: TempSide| {
            let hit = |t: &Option<TempTrip>| t.is_some_and(|t| t.side == side);
            if hit(&m.charge_temp) || hit(&m.discharge_temp) {
                AlarmLevel::Alarm
            } else {
                AlarmLevel::Ok
            }
        };
        alerts.low_temperature = side_alarm(TempSide::TooCold);
        alerts.high_temperature = side_alarm(TempSide::TooHot);
    }

    /// The most important reason the pre-alarm is high (called only while it is).
    fn pre_alarm_cause(&self, inputs: &BmsInputs, min: CellReading) -> Option<PreAlarmOn> {
        let s = &self.settings;
        let m = &self.memory;
        if m.under_voltage.is_some() {
            Some(PreAlarmOn::UnderVoltageShutdown)
        } else if m.cell_pre_alarm || min.voltage < s.under_voltage_cell {
            Some(PreAlarmOn::LowCell {
                battery: min.battery,
                cell: min.cell,
                voltage: min.voltage,
                threshold: s.pre_alarm_cell,
            })
        } else {
            inputs.soc.map(|soc| PreAlarmOn::LowSoc {
                soc,
                warn_at: floor_resume(s),
            })
        }
    }
}

/// Floor + warning band: the SoC at which the low-SoC warning starts and LOAD comes back (assumed).
fn floor_resume(s: &BmsSettings) -> Permille {
    Permille(
        s.discharge_floor
            .0
            .saturating_add(s.discharge_floor_band.0)
            .min(1000),
    )
}

/// Sets or releases a temperature block for one window.
fn update_temp(
    trip: &mut Option<TempTrip>,
    t: Extremes<TempReading>,
    min: DeciCelsius,
    max: DeciCelsius,
    hysteresis: i16,
    now: SimTime,
) {
    let inside_with_margin = t.min.temperature.0 >= min.0.saturating_add(hysteresis)
        && t.max.temperature.0 <= max.0.saturating_sub(hysteresis);
    if trip.is_some() && inside_with_margin {
        *trip = None;
    }
    if trip.is_none() {
        let out = if t.min.temperature < min {
            Some((t.min, TempSide::TooCold))
        } else if t.max.temperature > max {
            Some((t.max, TempSide::TooHot))
        } else {
            None
        };
        *trip = out.map(|(r, side)| TempTrip {
            battery: r.battery,
            temperature: r.temperature,
            side,
            min,
            max,
            at: now,
        });
    }
}

fn changed_since(old: Level, new: Level, old_since: SimTime, now: SimTime) -> SimTime {
    if old == new || (old.is_high() && new.is_high()) {
        old_since
    } else {
        now
    }
}

fn switched<R: Copy>(
    high: Level,
    off: Option<R>,
    now: SimTime,
    prev: &SwitchedOutput<R>,
) -> SwitchedOutput<R> {
    let level = if off.is_some() { Level::Floating } else { high };
    SwitchedOutput {
        level,
        off,
        since: changed_since(prev.level, level, prev.since, now),
    }
}

/// Why a supply at `supply` leaves the BMS off (`None`: inside the datasheet range, 8–70 V).
fn supply_out_of_range(supply: Millivolts, minimum: Millivolts) -> Option<SystemOff> {
    if supply < minimum {
        Some(SystemOff::SupplyLow { supply, minimum })
    } else if supply > SUPPLY_MAX {
        Some(SystemOff::SupplyHigh {
            supply,
            maximum: SUPPLY_MAX,
        })
    } else {
        None
    }
}

fn unpowered_outputs(reason: SystemOff, now: SimTime, prev: Option<&BmsOutputs>) -> BmsOutputs {
    let since = |level: Option<(Level, SimTime)>| match level {
        Some((l, s)) => changed_since(l, Level::Floating, s, now),
        None => now,
    };
    BmsOutputs {
        powered: false,
        remote: None,
        load: SwitchedOutput {
            level: Level::Floating,
            off: Some(LoadOff::System(reason)),
            since: since(prev.map(|p| (p.load.level, p.load.since))),
        },
        charger: SwitchedOutput {
            level: Level::Floating,
            off: Some(ChargerOff::System(reason)),
            since: since(prev.map(|p| (p.charger.level, p.charger.since))),
        },
        pre_alarm: PreAlarmOutput {
            level: Level::Floating,
            cause: None,
            since: since(prev.map(|p| (p.pre_alarm.level, p.pre_alarm.since))),
        },
        alerts: Alerts::default(),
        error: None,
        blue_led: LedState::OFF_UNPOWERED,
        red_led: LedState::OFF_UNPOWERED,
        own_consumption: Microamps(0),
    }
}

fn blue_led(connected: bool) -> LedState {
    if connected {
        LedState::new(
            LedPattern::On,
            "Bluetooth: a phone is connected",
            "Bluetooth : un téléphone est connecté",
        )
    } else {
        LedState::new(
            LedPattern::blink(crate::units::Millis(500), crate::units::Millis(500)),
            "Bluetooth on, nothing connected",
            "Bluetooth actif, rien de connecté",
        )
    }
}

fn red_led(a: &Alerts) -> LedState {
    let alarm = [
        a.low_cell_voltage,
        a.high_cell_voltage,
        a.low_soc,
        a.low_temperature,
        a.high_temperature,
    ]
    .contains(&AlarmLevel::Alarm);
    if a.bms_cable != AlarmLevel::Ok {
        LedState::new(
            LedPattern::code(2),
            "BMS cable / battery communication error",
            "erreur de câble BMS / de communication avec les batteries",
        )
    } else if alarm {
        LedState::new(
            LedPattern::code(3),
            "alarm: cell voltage, state of charge or temperature",
            "alarme : tension de cellule, état de charge ou température",
        )
    } else if a.worst() == AlarmLevel::Warning {
        LedState::new(LedPattern::code(1), "warning", "avertissement")
    } else {
        LedState::new(
            LedPattern::Off,
            "no warning or alarm",
            "ni avertissement ni alarme",
        )
    }
}
