//! The simulation engine: fixed rules, variable steps.
//!
//! Every state machine (the BMS, each device) reports its next deadline; the engine advances to the earliest of
//! (next deadline, next scenario event, an adaptive maximum step), integrates the bank exactly over that interval
//! at constant current, then applies the transitions at the new instant. A step is as long as the cell voltages
//! allow: it is chosen so that no cell can cross a BMS threshold by more than a small margin inside one step
//! (from the voltage slope of the previous step), and is between [`MIN_STEP`] and [`MAX_STEP`]. So two weeks of
//! standby drain cost about as much as ten seconds of a fault, and 1× real time is the same code as 100 000×.
//!
//! Integer simulated time; the same inputs give the same trace, native and wasm.
use crate::battery::{Bank, BankError, BankState};
use crate::bms::{
    AlarmLevel, Bms, BmsInputs, BmsOutputs, CellReading, Extremes, OutputCurrents, TempReading,
};
use crate::devices::Microamps;
use crate::document::Document;
use crate::lang::{format_in, write_in, Lang, Localized};
use crate::readout::{AlarmLevel as RoAlarm, BmsAlarms, BmsError as RoError, BmsRecord};
use crate::scenario::{Action, Scenario};
use crate::signal::Level;
use crate::system::{output_demand, Devices, Environment};
use crate::units::{DeciCelsius, Milliamps, Millis, Millivolts, SimTime};
use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::Serialize;

/// The shortest step the engine takes near a threshold.
pub const MIN_STEP: Millis = Millis(1000);
/// The longest step: long enough for a year of standby in a few thousand steps, short enough for plots.
pub const MAX_STEP: Millis = Millis::hours(1);
/// A step may let the lowest or highest cell move by at most this much, so no threshold is overshot by more.
pub const MAX_CELL_DELTA_PER_STEP: Millivolts = Millivolts(5);
/// Bank state of charge one step may cover on the plateau (a fraction of a string's capacity).
pub const SOC_STEP_PLATEAU: f64 = 0.01;
/// … and near the knees, where a cell's voltage moves ~100 mV per percent (`battery::ocv`).
pub const SOC_STEP_KNEE: f64 = 0.0005;
/// Below this cell state of charge (or above [`KNEE_HIGH`]) the finer step applies.
pub const KNEE_LOW: crate::units::Permille = crate::units::Permille(80);
pub const KNEE_HIGH: crate::units::Permille = crate::units::Permille(920);
/// Events kept in the log; older ones are dropped and counted.
pub const EVENT_LOG_CAPACITY: usize = 2000;
/// Points kept per trace; older ones are dropped.
pub const TRACE_CAPACITY: usize = 4096;

/// Why a simulation cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    Bank(BankError),
    /// A scenario names a device the system does not have (a misspelt name would otherwise be ignored and the
    /// run would answer another question).
    UnknownDevice {
        name: String,
        /// Every device name of the system, in its order.
        known: Vec<String>,
    },
}

impl Localized for SimError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            SimError::Bank(e) => write_in!(
                f,
                lang,
                "the battery bank cannot be simulated: {}",
                "le parc de batteries ne peut pas être simulé : {}",
                e.in_lang(lang)
            ),
            SimError::UnknownDevice { name, known } => {
                write_in!(
                    f,
                    lang,
                    "the scenario names a device \"{}\" the system does not have; its devices are: ",
                    "le scénario nomme un appareil « {} » que le système n'a pas ; ses appareils sont : ",
                    name
                )?;
                if known.is_empty() {
                    f.write_str(lang.pick("(none)", "(aucun)"))?;
                }
                for (i, k) in known.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match lang {
                        Lang::En => write!(f, "\"{k}\"")?,
                        Lang::Fr => write!(f, "« {k} »")?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// What changed, when, and why. The words are in the simulation's language ([`Simulation::lang`]) when the event
/// was logged; `signal`, and `level` except for inputs, are identifiers in every language ([`Event::signal_label`]
/// and [`Event::level_label`] name them in words).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    pub t_ms: u64,
    /// `pre_alarm`, `load_disconnect`, `charge_disconnect`, `alarm`, `bms` (the BMS itself: powered on or off),
    /// `device`, `input`, `battery`.
    pub signal: &'static str,
    /// `high` / `floating` for BMS outputs, `on` / `off` for devices and the BMS, `ok` / `warning` / `alarm` for alarms
    /// and for the BMS's operating temperature range,
    /// `empty` for a battery cell, the new value (in words) for inputs.
    pub level: String,
    /// The part concerned, for devices, alarms, inputs and battery cells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The cause chain in plain words.
    pub cause: String,
}

impl Event {
    /// What changed, in words: `pre-alarm`, `load disconnect`, …
    pub fn signal_label(&self, lang: Lang) -> &'static str {
        match self.signal {
            "pre_alarm" => lang.pick("pre-alarm", "préalarme"),
            "load_disconnect" => lang.pick("load disconnect", "déconnexion des consommateurs"),
            "charge_disconnect" => lang.pick("charge disconnect", "déconnexion du chargeur"),
            "alarm" => lang.pick("alarm", "alarme"),
            "bms" => lang.pick("BMS power", "alimentation du BMS"),
            "device" => lang.pick("device", "appareil"),
            "input" => lang.pick("input", "entrée"),
            "battery" => lang.pick("battery", "batterie"),
            "fuse" => lang.pick("fuse", "fusible"),
            other => other,
        }
    }

    /// The new level in words; an input's value is already in words and comes back as it is.
    pub fn level_label(&self, lang: Lang) -> &str {
        match self.level.as_str() {
            "high" => lang.pick("high", "haute"),
            "floating" => lang.pick("floating", "flottante"),
            "on" if matches!(self.signal, "device" | "bms") => lang.pick("on", "en marche"),
            "off" if matches!(self.signal, "device" | "bms") => lang.pick("off", "à l'arrêt"),
            "ok" => lang.pick("ok", "OK"),
            "warning" => lang.pick("warning", "avertissement"),
            "alarm" => lang.pick("alarm", "alarme"),
            "empty" => lang.pick("empty", "vide"),
            other => other,
        }
    }
}

/// One sample of the run, for plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TracePoint {
    pub t_ms: u64,
    pub soc_permille: u16,
    pub min_cell_mv: i32,
    pub max_cell_mv: i32,
    pub bank_mv: i32,
    pub current_ma: i32,
    pub load: bool,
    pub charger: bool,
    pub pre_alarm: bool,
}

/// What the outside world does to the system right now (set by scenarios and the UI).
#[derive(Clone, Debug, PartialEq)]
pub struct Conditions {
    /// The remote on/off switch is closed (meaningless when L/H are bridged or open).
    pub remote_switch_closed: bool,
    pub bms_cable_connected: bool,
    pub bms_supply_connected: bool,
    /// An unswitched drain straight on the battery.
    pub parasitic: Microamps,
    /// A charge source straight on the battery.
    pub external_charge: Milliamps,
}

/// A running simulation of one configured system.
#[derive(Clone, Debug)]
pub struct Simulation {
    now: SimTime,
    doc: Document,
    bank: Bank,
    bms: Bms,
    devices: Devices,
    demand: OutputCurrents,
    conditions: Conditions,
    events: Vec<(SimTime, Action)>,
    next_event: usize,
    end: Option<SimTime>,
    /// Sub-milliamp charge not yet given to the bank (µA·ms), so standby drains of 1.2 mA stay exact.
    carry_ua_ms: i128,
    /// Energy lost in the power cables, fuses and connections so far, µWh (I²R of every entered circuit).
    wiring_loss_uwh: u128,
    last_state: BankState,
    slope_min_mv_per_s: f64,
    slope_max_mv_per_s: f64,
    log: VecDeque<Event>,
    dropped_events: u64,
    trace: VecDeque<TracePoint>,
    trace_every: Millis,
    last_trace: Option<SimTime>,
    steps: u64,
    /// The language of the event log's words.
    lang: Lang,
    /// The state at the first update has been logged (what is off from power-up, and why).
    initial_logged: bool,
}

/// Seconds until `value`, moving at `rate` per second, reaches `target`; `None` when it is moving away, standing
/// still, or already there.
fn time_to_reach(value: f64, rate: f64, target: f64) -> Option<f64> {
    let gap = target - value;
    if rate == 0.0 || gap == 0.0 || !rate.is_finite() || (gap > 0.0) != (rate > 0.0) {
        return None;
    }
    Some(gap / rate)
}

fn level_word(l: Level) -> &'static str {
    if l.is_high() {
        "high"
    } else {
        "floating"
    }
}

/// A control input's level, in words, for a device event's cause.
fn input_level_words(l: Level, lang: Lang) -> &'static str {
    if l.is_high() {
        lang.pick("high", "haute")
    } else {
        lang.pick("floating", "flottante")
    }
}

fn alarm_word(a: AlarmLevel) -> &'static str {
    match a {
        AlarmLevel::Ok => "ok",
        AlarmLevel::Warning => "warning",
        AlarmLevel::Alarm => "alarm",
    }
}

/// "cell 3 of battery 2", from 0-based indices.
fn cell_words(cell: usize, battery: usize, lang: Lang) -> String {
    format_in!(
        lang,
        "cell {} of battery {}",
        "cellule {} de la batterie {}",
        cell.saturating_add(1),
        battery.saturating_add(1)
    )
}

/// Every device the scenario names exists in `doc`.
fn check_names(s: &Scenario, doc: &Document) -> Result<(), SimError> {
    for e in &s.events {
        if let Action::Demand { device, .. } | Action::StartAssist { device } = &e.action {
            if !doc.system.devices.iter().any(|d| &d.name == device) {
                return Err(SimError::UnknownDevice {
                    name: device.clone(),
                    known: doc.system.devices.iter().map(|d| d.name.clone()).collect(),
                });
            }
        }
    }
    Ok(())
}

impl Simulation {
    /// A simulation of `doc`, with `scenario`'s starting state and events (none: a free run under UI control); the
    /// event log is in English.
    pub fn new(doc: &Document, scenario: Option<&Scenario>) -> Result<Simulation, SimError> {
        Simulation::new_in(doc, scenario, Lang::En)
    }

    /// [`Simulation::new`] with the event log in `lang` from the first event on. The language changes only the
    /// words: the same inputs give the same events at the same times.
    pub fn new_in(
        doc: &Document,
        scenario: Option<&Scenario>,
        lang: Lang,
    ) -> Result<Simulation, SimError> {
        let mut bank_cfg = doc.bank.clone();
        if let Some(s) = scenario {
            if let Some(soc) = s.initial_soc() {
                bank_cfg.initial_soc = soc;
            }
            if let Some(t) = s.initial_temperature() {
                bank_cfg.ambient = t;
            }
        }
        let bank = Bank::new(&bank_cfg).map_err(SimError::Bank)?;
        if let Some(s) = scenario {
            check_names(s, doc)?;
        }
        let mut settings = doc.system.bms.clone();
        if let Some(f) = scenario.and_then(|s| s.discharge_floor_percent) {
            settings.discharge_floor = crate::units::Permille::from_fraction(f / 100.0);
        }
        let nominal = bank.nominal_voltage();
        let mut events: Vec<(SimTime, Action)> = scenario
            .map(|s| {
                s.events
                    .iter()
                    .map(|e| (SimTime(e.at_s.saturating_mul(1000)), e.action.clone()))
                    .collect()
            })
            .unwrap_or_default();
        events.sort_by_key(|e| e.0);
        let end = scenario.map(|s| SimTime::ZERO.after(s.duration()));
        let trace_every = match end {
            Some(e) => Millis((e.0 / (TRACE_CAPACITY as u64 / 2)).max(1000)),
            None => Millis(1000),
        };
        let last_state = bank.state();
        let mut sim = Simulation {
            now: SimTime::ZERO,
            doc: doc.clone(),
            bank,
            bms: Bms::new(settings),
            devices: Devices::new(&doc.system, nominal),
            demand: output_demand(&doc.system),
            conditions: Conditions {
                remote_switch_closed: true,
                bms_cable_connected: true,
                bms_supply_connected: true,
                parasitic: Microamps(0),
                external_charge: Milliamps(0),
            },
            events,
            next_event: 0,
            end,
            carry_ua_ms: 0,
            wiring_loss_uwh: 0,
            last_state,
            slope_min_mv_per_s: 0.0,
            slope_max_mv_per_s: 0.0,
            log: VecDeque::new(),
            dropped_events: 0,
            trace: VecDeque::new(),
            trace_every,
            last_trace: None,
            steps: 0,
            lang,
            initial_logged: false,
        };
        // Charge sources start unavailable (no shore power, sun or running engine) until a scenario or the user
        // makes them available; loads start at their configured draw.
        for (i, d) in doc.system.devices.iter().enumerate() {
            if d.kind.power_role().is_some_and(|r| r.is_charger()) {
                sim.devices.set_demand(i, Some(Milliamps(0)));
            }
        }
        sim.apply_due_events();
        sim.update_machines(None);
        sim.record_trace(true);
        Ok(sim)
    }

    pub fn now(&self) -> SimTime {
        self.now
    }
    pub fn end(&self) -> Option<SimTime> {
        self.end
    }
    pub fn finished(&self) -> bool {
        self.end.is_some_and(|e| self.now >= e)
    }
    pub fn document(&self) -> &Document {
        &self.doc
    }
    pub fn bank(&self) -> &Bank {
        &self.bank
    }
    pub fn bank_state(&self) -> &BankState {
        &self.last_state
    }
    pub fn bms(&self) -> &BmsOutputs {
        self.bms.outputs()
    }
    /// What the devices' control inputs draw from each BMS output while it is high.
    pub fn output_demand(&self) -> &OutputCurrents {
        &self.demand
    }
    pub fn devices(&self) -> &Devices {
        &self.devices
    }
    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.log.iter()
    }
    pub fn dropped_events(&self) -> u64 {
        self.dropped_events
    }
    pub fn trace(&self) -> impl Iterator<Item = &TracePoint> {
        self.trace.iter()
    }
    /// Steps taken so far (for the achieved-speed readout and benchmarks).
    /// Energy lost in the power wiring so far, Wh (0 while no cable is entered).
    pub fn wiring_loss_wh(&self) -> f64 {
        self.wiring_loss_uwh as f64 / 1e6
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }
    /// The language of the event log's words.
    pub fn lang(&self) -> Lang {
        self.lang
    }
    /// Logs the events from now on in `lang`; events already logged keep their words.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// Applies an action now (from the UI), as a scenario event would.
    pub fn act(&mut self, action: Action) {
        self.apply(action);
        self.update_machines(None);
        self.record_trace(true);
    }

    /// Runs until `t` (or the scenario's end, whichever is first). Returns the number of steps taken.
    pub fn run_until(&mut self, t: SimTime) -> u64 {
        let target = match self.end {
            Some(e) => t.min(e),
            None => t,
        };
        let before = self.steps;
        while self.now < target {
            self.step_to(target);
        }
        self.steps - before
    }

    /// Runs to the scenario's end (a free run stops after `fallback`).
    pub fn run_to_end(&mut self, fallback: Millis) {
        let end = self.end.unwrap_or(SimTime::ZERO.after(fallback));
        self.run_until(end);
    }

    /// Takes one step towards `limit`.
    pub fn step_to(&mut self, limit: SimTime) {
        let present_ua = self.present_current_ua();
        let mut next = limit.min(self.now.after(self.max_step(present_ua)));
        for d in [self.bms.next_deadline(), self.devices.next_deadline()]
            .into_iter()
            .flatten()
        {
            if d > self.now {
                next = next.min(d);
            }
        }
        if let Some((t, _)) = self.events.get(self.next_event) {
            if *t > self.now {
                next = next.min(*t);
            }
        }
        if next <= self.now {
            next = self.now.after(Millis(1));
        }
        let dt = next.since(self.now);
        let loss_uw = self.devices.wiring_loss_uw(self.last_state.voltage);
        self.wiring_loss_uwh = self
            .wiring_loss_uwh
            .saturating_add(loss_uw.saturating_mul(u128::from(dt.0)) / 3_600_000);
        let current = self.bank_current(present_ua, dt);
        let before = self.last_state.clone();
        self.bank.step(current, dt);
        self.now = next;
        self.steps += 1;
        self.last_state = self.bank.state();
        let secs = dt.0 as f64 / 1000.0;
        let change =
            |now: Millivolts, was: Millivolts| (i64::from(now.0) - i64::from(was.0)) as f64;
        self.slope_min_mv_per_s =
            change(self.last_state.min_cell.voltage, before.min_cell.voltage) / secs;
        self.slope_max_mv_per_s =
            change(self.last_state.max_cell.voltage, before.max_cell.voltage) / secs;
        self.log_cell_empty(&before);
        self.apply_due_events();
        self.update_machines(Some(&before));
        self.record_trace(false);
    }

    /// The longest step the cells allow, for a step at `present_ua` (µA, + charges). Three limits: the previous
    /// step's voltage slope must not carry the lowest or highest cell more than [`MAX_CELL_DELTA_PER_STEP`] further,
    /// nor past the next cell-voltage level the BMS acts on; a string's state of charge may move by at most
    /// [`SOC_STEP_PLATEAU`] per step on the flat LFP plateau and [`SOC_STEP_KNEE`] near either end, where the
    /// voltage turns steeply; and the bank's state of charge may not pass the next SoC level the BMS acts on (the
    /// discharge floor and the end of its warning band). So a step lands on a threshold instead of jumping past it.
    /// When the current has just changed (a load or charger switched), the last slope says nothing about the next
    /// step: it restarts from [`MIN_STEP`].
    fn max_step(&self, present_ua: i64) -> Millis {
        let slope = self
            .slope_min_mv_per_s
            .abs()
            .max(self.slope_max_mv_per_s.abs());
        let s = &self.last_state;
        let amps = present_ua as f64 / 1e6;
        let last_amps = s.current.si();
        let changed = (amps - last_amps).abs() > 0.5 + 0.1 * last_amps.abs();
        if !slope.is_finite() || self.steps == 0 || changed {
            return MIN_STEP;
        }
        let by_voltage = if slope <= 1e-9 {
            f64::MAX
        } else {
            MAX_CELL_DELTA_PER_STEP.0 as f64 / slope
        };
        // An empty or full cell is past the knee: its voltage is then a straight line of SoC (`battery::ocv`), or
        // pinned at the model's limit, and the voltage limit alone follows it.
        let near_knee = (s.min_cell_soc.0 > 0 && s.min_cell_soc < KNEE_LOW)
            || (s.max_cell_soc > KNEE_HIGH && s.max_cell_soc < crate::units::Permille::FULL);
        let frac = if near_knee {
            SOC_STEP_KNEE
        } else {
            SOC_STEP_PLATEAU
        };
        // The busiest string carries at most the whole current; a string holds capacity / strings.
        let magnitude = amps.abs().max(1e-6);
        let strings = self.bank.strings().max(1) as f64;
        let capacity_as = self.bank.capacity().si() * 3600.0;
        let by_soc = frac * (capacity_as / strings) / (magnitude / strings);
        let secs = by_voltage
            .min(by_soc)
            .min(self.time_to_cell_threshold())
            .min(self.time_to_soc_threshold(amps, capacity_as));
        let ms = (secs * 1000.0).clamp(MIN_STEP.0 as f64, MAX_STEP.0 as f64);
        Millis(ms as u64)
    }

    /// Seconds until the lowest or highest cell, moving at the last step's slope, reaches the next level the BMS
    /// acts on (pre-alarm, under-voltage, over-voltage and their recovery levels); `f64::MAX` if none is ahead.
    fn time_to_cell_threshold(&self) -> f64 {
        let b = self.bms.settings();
        let s = &self.last_state;
        // The BMS compares whole millivolts: "below 2.80 V" is 2.799 V, "at 3.65 V" is 3.650 V.
        let below = |mv: Millivolts| f64::from(mv.0) - 0.5;
        let at = |mv: Millivolts| f64::from(mv.0);
        let min_targets = [
            below(b.pre_alarm_cell),
            below(b.under_voltage_cell),
            at(b.pre_alarm_recovery_cell.max(b.pre_alarm_cell)),
            at(b.under_voltage_recovery_cell.max(b.under_voltage_cell)),
        ];
        let max_targets = [
            at(b.over_voltage_cell),
            below(b.over_voltage_recovery_cell.min(b.over_voltage_cell)),
        ];
        let min_v = f64::from(s.min_cell.voltage.0);
        let max_v = f64::from(s.max_cell.voltage.0);
        let soonest = |v: f64, rate: f64, targets: &[f64]| {
            targets
                .iter()
                .filter_map(|&t| time_to_reach(v, rate, t))
                .fold(f64::MAX, f64::min)
        };
        soonest(min_v, self.slope_min_mv_per_s, &min_targets).min(soonest(
            max_v,
            self.slope_max_mv_per_s,
            &max_targets,
        ))
    }

    /// Seconds until the bank's state of charge, at `amps` (+ charges), reaches the next SoC level the BMS acts
    /// on: the discharge floor or the end of its warning band. The BMS reads SoC in whole tenths of a percent
    /// (rounded), so "at or below 10.0 %" begins at 10.05 %. `f64::MAX` if none is ahead.
    fn time_to_soc_threshold(&self, amps: f64, capacity_as: f64) -> f64 {
        let b = self.bms.settings();
        let s = &self.last_state;
        if b.discharge_floor.0 == 0 || capacity_as <= 0.0 || amps == 0.0 {
            return f64::MAX;
        }
        // The charge left, from the consumed figure (mAh resolution), as a fraction of the capacity.
        let capacity_mah = s.capacity.0.max(1) as f64;
        let soc = (capacity_mah + s.consumed.0 as f64) / capacity_mah;
        let floor = f64::from(b.discharge_floor.0);
        let resume = (floor + f64::from(b.discharge_floor_band.0)).min(1000.0);
        let rate = amps / capacity_as; // fraction per second
        let targets: [f64; 2] = if amps < 0.0 {
            [(floor + 0.5) / 1000.0, (resume + 0.5) / 1000.0]
        } else {
            [(floor - 0.5) / 1000.0, (resume - 0.5) / 1000.0]
        };
        targets
            .iter()
            .filter_map(|&t| time_to_reach(soc, rate, t))
            .fold(f64::MAX, f64::min)
    }

    /// Everything the bank exchanges right now, in µA (+ charges).
    fn present_current_ua(&self) -> i64 {
        let v = self.last_state.voltage;
        // Saturating: a hand-edited system may give a device an absurd standby current.
        (i64::from(self.devices.bank_current(v).0) * 1000)
            .saturating_sub(self.devices.own_consumption().0)
            .saturating_sub(self.bms.outputs().supply_current(&self.demand).0)
            .saturating_sub(self.conditions.parasitic.0)
            .saturating_add(i64::from(self.conditions.external_charge.0) * 1000)
    }

    /// The bank current over the next `dt` for `ua` µA (+ charges), with sub-milliamp parts carried over so the
    /// charge the bank sees is exact over many steps.
    fn bank_current(&mut self, ua: i64, dt: Millis) -> Milliamps {
        let dt_ms = i128::from(dt.0.max(1));
        let q = i128::from(ua) * dt_ms + self.carry_ua_ms;
        let ma = (q / (1000 * dt_ms)).clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32;
        self.carry_ua_ms = q - i128::from(ma) * 1000 * dt_ms;
        Milliamps(ma)
    }

    fn apply_due_events(&mut self) {
        while let Some((t, action)) = self.events.get(self.next_event).cloned() {
            if t > self.now {
                break;
            }
            self.next_event += 1;
            self.apply(action);
        }
    }

    fn device_index(&self, name: &str) -> Option<usize> {
        self.doc.system.devices.iter().position(|d| d.name == name)
    }

    fn apply(&mut self, action: Action) {
        let lang = self.lang;
        let (what, value) = match &action {
            Action::Demand { device, amps } => (
                format_in!(lang, "demand of {}", "demande de « {} »", device),
                format!("{amps} A"),
            ),
            Action::Parasitic { milliamps } => (
                lang.pick("parasitic drain", "consommation parasite")
                    .to_string(),
                format!("{milliamps} mA"),
            ),
            Action::ExternalCharge { amps } => (
                lang.pick("external charge", "charge externe").to_string(),
                format!("{amps} A"),
            ),
            Action::Temperature { celsius, battery } => (
                match battery {
                    Some(b) => format_in!(
                        lang,
                        "temperature of battery {}",
                        "température de la batterie {}",
                        b.saturating_add(1)
                    ),
                    None => lang
                        .pick("battery temperature", "température des batteries")
                        .to_string(),
                },
                format!("{celsius} °C"),
            ),
            Action::BmsCable { connected } => (
                lang.pick("BMS cable", "câble BMS").to_string(),
                if *connected {
                    lang.pick("plugged in", "branché")
                } else {
                    lang.pick("pulled", "débranché")
                }
                .to_string(),
            ),
            Action::Remote { on } => (
                lang.pick(
                    "remote on/off switch",
                    "interrupteur marche/arrêt à distance",
                )
                .to_string(),
                if *on {
                    lang.pick("on", "marche")
                } else {
                    lang.pick("off", "arrêt")
                }
                .to_string(),
            ),
            Action::CellDrift {
                battery,
                cell,
                permille,
            } => (
                cell_words(*cell, *battery, lang),
                format_in!(
                    lang,
                    "drifts by {:+.1} % SoC",
                    "dérive de {:+.1} % d'état de charge",
                    *permille as f64 / 10.0
                ),
            ),
            Action::BmsSupply { connected } => (
                lang.pick("BMS supply", "alimentation du BMS").to_string(),
                if *connected {
                    lang.pick("connected", "connectée")
                } else {
                    lang.pick("disconnected", "déconnectée")
                }
                .to_string(),
            ),
            Action::StartAssist { device } => (
                device.clone(),
                lang.pick("start-assist pulse", "impulsion d'aide au démarrage")
                    .to_string(),
            ),
        };
        let was_outside = self.outside_operating_range();
        match action {
            Action::Demand { device, amps } => {
                if let Some(i) = self.device_index(&device) {
                    self.devices.set_demand(i, Some(Milliamps::from_si(amps)));
                }
            }
            Action::Parasitic { milliamps } => {
                self.conditions.parasitic = Microamps((milliamps * 1000.0) as i64);
            }
            Action::ExternalCharge { amps } => {
                self.conditions.external_charge = Milliamps::from_si(amps)
            }
            Action::Temperature { celsius, battery } => {
                let t = DeciCelsius::from_si(celsius);
                match battery {
                    Some(b) => self.bank.set_temperature(b, t),
                    None => self.bank.set_ambient(t),
                }
                self.last_state = self.bank.state();
            }
            Action::BmsCable { connected } => self.conditions.bms_cable_connected = connected,
            Action::Remote { on } => self.conditions.remote_switch_closed = on,
            Action::CellDrift {
                battery,
                cell,
                permille,
            } => {
                self.bank.nudge_cell_soc(battery, cell, permille);
                self.last_state = self.bank.state();
            }
            Action::BmsSupply { connected } => self.conditions.bms_supply_connected = connected,
            Action::StartAssist { device } => {
                if let Some(i) = self.device_index(&device) {
                    self.devices.start_assist(i);
                }
            }
        }
        self.push(Event {
            t_ms: self.now.0,
            signal: "input",
            level: value,
            subject: Some(what),
            cause: String::new(),
        });
        // Before the first update, the initial state is logged as a whole (`log_initial_state`).
        if self.initial_logged && was_outside != self.outside_operating_range() {
            self.log_operating_range();
        }
    }

    /// The batteries — and the BMS mounted beside them — are outside the BMS's operating temperature range
    /// (datasheet: −20 to 50 °C).
    fn outside_operating_range(&self) -> bool {
        let s = &self.last_state;
        s.min_temperature.1 < crate::bms::OPERATING_TEMP_MIN
            || s.max_temperature.1 > crate::bms::OPERATING_TEMP_MAX
    }

    /// A warning when the temperature leaves the BMS's operating range, an all-clear when it is back. The BMS
    /// keeps working in the simulation; the datasheet does not say what a real one does out there.
    fn log_operating_range(&mut self) {
        let lang = self.lang;
        let s = &self.last_state;
        let (lo, hi) = (
            crate::bms::OPERATING_TEMP_MIN,
            crate::bms::OPERATING_TEMP_MAX,
        );
        let outside = self.outside_operating_range();
        let t = if s.min_temperature.1 < lo {
            s.min_temperature.1
        } else {
            s.max_temperature.1
        };
        let cause = if outside {
            format_in!(
                lang,
                "the batteries, and the BMS beside them, are at {}, outside the smallBMS NG's operating range {} … {} \
                 (datasheet): what the unit does there is not documented",
                "les batteries, et le BMS à côté d'elles, sont à {}, hors de la plage de fonctionnement du smallBMS \
                 NG, {} … {} (fiche technique) : ce que fait l'appareil dans ces conditions n'est pas documenté",
                crate::bms::text::Celsius(t),
                crate::bms::text::Celsius(lo),
                crate::bms::text::Celsius(hi)
            )
        } else {
            format_in!(
                lang,
                "back inside the operating range {} … {}",
                "de retour dans la plage de fonctionnement {} … {}",
                crate::bms::text::Celsius(lo),
                crate::bms::text::Celsius(hi)
            )
        };
        self.push(Event {
            t_ms: self.now.0,
            signal: "bms",
            level: if outside { "warning" } else { "ok" }.into(),
            subject: Some(
                lang.pick("operating temperature", "température de fonctionnement")
                    .into(),
            ),
            cause,
        });
    }

    fn bms_inputs(&self) -> BmsInputs {
        let s = &self.last_state;
        let supply = if self.conditions.bms_supply_connected {
            s.voltage
        } else {
            Millivolts(0)
        };
        let cell = |c: &crate::battery::CellRef| CellReading {
            voltage: c.voltage,
            battery: u16::try_from(c.battery).unwrap_or(u16::MAX),
            cell: u16::try_from(c.cell).unwrap_or(u16::MAX),
        };
        let temp = |(b, t): (usize, DeciCelsius)| TempReading {
            temperature: t,
            battery: u16::try_from(b).unwrap_or(u16::MAX),
        };
        BmsInputs {
            supply,
            cells: Some(Extremes {
                min: cell(&s.min_cell),
                max: cell(&s.max_cell),
            }),
            temperatures: Some(Extremes {
                min: temp(s.min_temperature),
                max: temp(s.max_temperature),
            }),
            soc: Some(s.soc),
            remote: self
                .doc
                .system
                .remote
                .terminals(supply, self.conditions.remote_switch_closed),
            bms_cable_ok: self.conditions.bms_cable_connected,
            demand: self.demand,
            bluetooth_connected: false,
        }
    }

    /// Updates the BMS and the devices at `now`, and logs what changed.
    fn update_machines(&mut self, _before: Option<&BankState>) {
        let prev_bms = self.bms.outputs().clone();
        let first = !self.initial_logged;
        self.initial_logged = true;
        let prev_devices: Vec<bool> = (0..self.devices.len())
            .map(|i| self.devices.get(i).is_some_and(|d| d.is_active()))
            .collect();
        let inputs = self.bms_inputs();
        self.bms.update(self.now, &inputs);
        let env = Environment::bank(self.last_state.voltage);
        let blew = self
            .devices
            .update_fuses(self.now, self.bms.outputs(), &env);
        self.log_bms_changes(&prev_bms, first);
        for i in blew {
            self.log_fuse(i);
        }
        for (i, was) in prev_devices.into_iter().enumerate() {
            let Some(d) = self.devices.get(i) else {
                continue;
            };
            let is = d.is_active();
            if is != was {
                let name = self
                    .doc
                    .system
                    .devices
                    .get(i)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                let lang = self.lang;
                let cause = match self.devices.control_level(i) {
                    Some(l) => format_in!(
                        lang,
                        "{}; its control input is {}",
                        "{} ; son entrée de commande est {}",
                        d.in_lang(lang),
                        input_level_words(l, lang)
                    ),
                    None => d.in_lang(lang).to_string(),
                };
                self.push(Event {
                    t_ms: self.now.0,
                    signal: "device",
                    level: if is { "on" } else { "off" }.to_string(),
                    subject: Some(name),
                    cause,
                });
            }
        }
    }

    /// A fuse that blew: which, at what current, and what it cut off.
    fn log_fuse(&mut self, i: usize) {
        let Some(f) = self.devices.fuse(i).copied() else {
            return;
        };
        let (name, what) = if i == usize::MAX {
            (
                String::from(self.lang.pick("main fuse", "fusible principal")),
                self.lang
                    .pick("every device on the bank", "tous les appareils du parc"),
            )
        } else {
            (
                self.doc
                    .system
                    .devices
                    .get(i)
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
                self.lang.pick("this circuit", "ce circuit"),
            )
        };
        let amps = f
            .blew_at
            .map_or(0.0, |(_, a)| f64::from(a.0.unsigned_abs()) / 1000.0);
        let rating = f64::from(f.rating.0) / 1000.0;
        let lang = self.lang;
        self.push(Event {
            t_ms: self.now.0,
            signal: "fuse",
            level: "blown".to_string(),
            subject: Some(name),
            cause: format_in!(
                lang,
                "{:.0} A through a {:.0} A fuse for long enough to blow it (assumed time-current curve); it cut off {}",
                "{:.0} A dans un fusible de {:.0} A assez longtemps pour le faire fondre (courbe temps-courant supposée) ; il a coupé {}",
                amps,
                rating,
                what
            ),
        });
    }

    /// A cell reaching 0 % is where damage begins: after a low-voltage shutdown about 1 Ah per 100 Ah is left,
    /// and "a residual current of just 10 mA can damage a 200 Ah battery if the system is left discharged for more
    /// than 8 days" (victron-behaviour.md §1.3, VBNG-MON, SB-INST).
    fn log_cell_empty(&mut self, before: &BankState) {
        let s = &self.last_state;
        if before.min_cell_soc.0 > 0 && s.min_cell_soc.0 == 0 {
            let since = self
                .log
                .iter()
                .rev()
                .find(|e| e.signal == "load_disconnect" && e.level == "floating")
                .map(|e| self.now.0.saturating_sub(e.t_ms));
            let lang = self.lang;
            let after = match since {
                Some(ms) => format_in!(
                    lang,
                    " {:.1} days after the loads were disconnected",
                    " {:.1} jours après la déconnexion des consommateurs",
                    ms as f64 / 86_400_000.0
                ),
                None => String::new(),
            };
            let cause = format_in!(
                lang,
                "a cell is empty (0 % state of charge, {:.2} V){}: the remaining drain ({} mA) now damages it: disconnect every drain or recharge",
                "une cellule est vide (état de charge 0 %, {:.2} V){} : la consommation restante ({} mA) l'endommage désormais : débranchez toute consommation ou rechargez",
                s.min_cell.voltage.si(),
                after,
                -i64::from(s.current.0)
            );
            let subject = cell_words(s.min_cell.cell, s.min_cell.battery, lang);
            self.push(Event {
                t_ms: self.now.0,
                signal: "battery",
                level: "empty".into(),
                subject: Some(subject),
                cause,
            });
        }
    }

    fn log_bms_changes(&mut self, prev: &BmsOutputs, first: bool) {
        let lang = self.lang;
        let power_up = first || (!prev.powered && self.bms.outputs().powered);
        // `fr` carries its own preposition ("de déclencher", "d'arrêter").
        let cleared = |en: &'static str, fr: &'static str| {
            let what = lang.pick(en, fr);
            if power_up {
                format_in!(
                    lang,
                    "the BMS powered up with no reason to {}",
                    "le BMS a démarré sans raison {}",
                    what
                )
            } else {
                format_in!(
                    lang,
                    "every reason to {} cleared",
                    "plus aucune raison {}",
                    what
                )
            }
        };
        let now = self.bms.outputs().clone();
        if prev.powered != now.powered && !first {
            self.log_power_change(&now);
        }
        if first {
            self.log_initial_state(&now);
        }
        // An unpowered BMS has no reasons: nothing it does while off is "cleared"; its outputs float because it is
        // off, and its alarm channels go quiet without any news about the batteries.
        let off_reason = match (&now.load.off, now.powered) {
            (Some(r), false) => Some(r.in_lang(lang).to_string()),
            _ => None,
        };
        if prev.pre_alarm.level.is_high() != now.pre_alarm.level.is_high() {
            let hold = self.bms.settings().pre_alarm_after_shutdown;
            let latched = matches!(
                now.load.off,
                Some(crate::bms::LoadOff::CellUnderVoltage { .. })
            );
            let cause = match (&now.pre_alarm.cause, &off_reason) {
                (Some(c), _) => c.in_lang(lang).to_string(),
                (None, Some(off)) => off.clone(),
                (None, None) if latched && hold.0 > 0 => format_in!(
                    lang,
                    "the pre-alarm stops {} after the under-voltage shutdown (setting, assumed); the loads stay off",
                    "la préalarme cesse {} après la coupure pour sous-tension (réglage supposé) ; les consommateurs \
                     restent coupés",
                    crate::bms::text::Duration(hold)
                ),
                (None, None) => cleared("raise the pre-alarm", "de déclencher la préalarme"),
            };
            self.push(Event {
                t_ms: self.now.0,
                signal: "pre_alarm",
                level: level_word(now.pre_alarm.level).into(),
                subject: None,
                cause,
            });
        }
        if prev.load.level.is_high() != now.load.level.is_high() {
            let cause = match &now.load.off {
                Some(r) => r.in_lang(lang).to_string(),
                None => cleared("disconnect the loads", "de déconnecter les consommateurs"),
            };
            self.push(Event {
                t_ms: self.now.0,
                signal: "load_disconnect",
                level: level_word(now.load.level).into(),
                subject: None,
                cause,
            });
        }
        if prev.charger.level.is_high() != now.charger.level.is_high() {
            let cause = match &now.charger.off {
                Some(r) => r.in_lang(lang).to_string(),
                None => cleared("stop charging", "d'arrêter la charge"),
            };
            self.push(Event {
                t_ms: self.now.0,
                signal: "charge_disconnect",
                level: level_word(now.charger.level).into(),
                subject: None,
                cause,
            });
        }
        for ((name, was), (_, is)) in prev
            .alerts
            .channels_in(lang)
            .into_iter()
            .zip(now.alerts.channels())
        {
            if was != is && now.powered {
                self.push(Event {
                    t_ms: self.now.0,
                    signal: "alarm",
                    level: alarm_word(is).into(),
                    subject: Some(name.to_string()),
                    cause: String::new(),
                });
            }
        }
    }

    /// At the first update, what is already off and why: a BMS that cannot start, and LOAD or CHARGER floating
    /// from the start (remote open, start below the floor, cold), which no change would ever explain.
    fn log_initial_state(&mut self, now: &BmsOutputs) {
        let lang = self.lang;
        let from_start = |reason: String| {
            format_in!(
                lang,
                "from power-up: {}",
                "dès la mise sous tension : {}",
                reason
            )
        };
        if self.outside_operating_range() {
            self.log_operating_range();
        }
        let mut initial = Vec::new();
        if !now.powered {
            if let Some(r) = &now.load.off {
                initial.push(("bms", "off", from_start(r.in_lang(lang).to_string())));
            }
        } else {
            if let (false, Some(r)) = (now.load.level.is_high(), &now.load.off) {
                initial.push((
                    "load_disconnect",
                    "floating",
                    from_start(r.in_lang(lang).to_string()),
                ));
            }
            if let (false, Some(r)) = (now.charger.level.is_high(), &now.charger.off) {
                initial.push((
                    "charge_disconnect",
                    "floating",
                    from_start(r.in_lang(lang).to_string()),
                ));
            }
        }
        for (signal, level, cause) in initial {
            self.push(Event {
                t_ms: self.now.0,
                signal,
                level: level.into(),
                subject: None,
                cause,
            });
        }
    }

    /// The BMS switched itself on or off: its supply left or re-entered the datasheet range (8–70 V).
    fn log_power_change(&mut self, now: &BmsOutputs) {
        let lang = self.lang;
        let cause = match &now.load.off {
            Some(crate::bms::LoadOff::System(reason)) if !now.powered => {
                reason.in_lang(lang).to_string()
            }
            _ => format_in!(
                lang,
                "the BMS supply is back inside its 8–70 V range ({}): the BMS starts and evaluates the batteries",
                "l'alimentation du BMS est revenue dans sa plage de 8–70 V ({}) : le BMS démarre et évalue les \
                 batteries",
                crate::bms::text::Volts(self.bms_inputs().supply)
            ),
        };
        self.push(Event {
            t_ms: self.now.0,
            signal: "bms",
            level: if now.powered { "on" } else { "off" }.into(),
            subject: None,
            cause,
        });
    }

    /// Appends to the bounded log. When full, the oldest device or input event goes first, so the BMS's own
    /// output and alarm changes (the answer to "why did it switch off?") are the last to be dropped.
    fn push(&mut self, e: Event) {
        if self.log.len() >= EVENT_LOG_CAPACITY {
            let minor = self
                .log
                .iter()
                .position(|x| matches!(x.signal, "device" | "input"));
            match minor {
                Some(i) => {
                    self.log.remove(i);
                }
                None => {
                    self.log.pop_front();
                }
            }
            self.dropped_events += 1;
        }
        self.log.push_back(e);
    }

    fn record_trace(&mut self, force: bool) {
        let due = match self.last_trace {
            None => true,
            Some(t) => force || self.now.since(t) >= self.trace_every,
        };
        if !due {
            return;
        }
        let s = &self.last_state;
        let o = self.bms.outputs();
        let p = TracePoint {
            t_ms: self.now.0,
            soc_permille: s.soc.0,
            min_cell_mv: s.min_cell.voltage.0,
            max_cell_mv: s.max_cell.voltage.0,
            bank_mv: s.voltage.0,
            current_ma: s.current.0,
            load: o.load.level.is_high(),
            charger: o.charger.level.is_high(),
            pre_alarm: o.pre_alarm.level.is_high(),
        };
        if self.trace.len() >= TRACE_CAPACITY {
            self.trace.pop_front();
        }
        self.trace.push_back(p);
        self.last_trace = Some(self.now);
    }

    /// The Instant Readout record this BMS would broadcast right now (record 0x0A, ble.md §2), so the simulator
    /// can show — and encode — exactly the bytes a real one would send. Each channel carries only what its name
    /// says:
    /// - `high_temperature`: a battery above a temperature window; a cold block has no channel of its own in 0x0A
    ///   and shows only as "not allowed to charge / discharge";
    /// - `load_disconnect`: warning while the pre-alarm warns that the loads will go ("W-B06 load will
    ///   disconnect"), alarm while LOAD is off for a battery reason ("A-B06 load disconnected", updates.md j) —
    ///   never for the remote switch, which is the user's own decision, nor for a BMS-cable fault (own channel);
    /// - with no battery data (BMS cable broken, no batteries) SoC, time-to-go, consumed Ah and the battery
    ///   temperature are "not available": the BMS cannot know them.
    pub fn readout_record(&self) -> BmsRecord {
        let s = &self.last_state;
        let o = self.bms.outputs();
        if !o.powered {
            return BmsRecord::not_available();
        }
        let lvl = |a: AlarmLevel| {
            Some(match a {
                AlarmLevel::Ok => RoAlarm::Ok,
                AlarmLevel::Warning => RoAlarm::Warning,
                AlarmLevel::Alarm => RoAlarm::Alarm,
            })
        };
        let a = &o.alerts;
        let load_for_battery = matches!(
            o.load.off,
            Some(
                crate::bms::LoadOff::CellUnderVoltage { .. }
                    | crate::bms::LoadOff::DischargeFloor { .. }
                    | crate::bms::LoadOff::Temperature(_)
            )
        );
        let load_disconnect = if load_for_battery {
            AlarmLevel::Alarm
        } else if o.pre_alarm.level.is_high() && o.load.level.is_high() {
            AlarmLevel::Warning
        } else {
            AlarmLevel::Ok
        };
        let knows_batteries = o.error.is_none();
        let alarms = BmsAlarms {
            low_cell_voltage: lvl(a.low_cell_voltage),
            high_current: lvl(if a.overload.any() {
                AlarmLevel::Warning
            } else {
                AlarmLevel::Ok
            }),
            high_internal_temperature: None,
            contactor: None,
            bms_cable: lvl(a.bms_cable),
            load_disconnect: lvl(load_disconnect),
            low_soc: lvl(a.low_soc),
            bits_14_15: 0,
            high_temperature: lvl(a.high_temperature),
        };
        BmsRecord {
            error: RoError(o.error.map(|e| e.number()).unwrap_or(0)),
            time_to_go_min: s.time_to_go.filter(|_| knows_batteries).map(|t| {
                u16::try_from(t.0 / 60_000)
                    .unwrap_or(u16::MAX - 1)
                    .min(u16::MAX - 1)
            }),
            battery_voltage: Some(s.voltage),
            battery_current: Some(s.current),
            allowed_to_charge: Some(o.charger.level.is_high()),
            allowed_to_discharge: Some(o.load.level.is_high()),
            external_relay: None,
            io_other_bits: 0,
            alarms,
            soc: Some(s.soc).filter(|_| knows_batteries),
            consumed: Some(s.consumed).filter(|_| knows_batteries),
            battery_temperature: Some(s.max_temperature.1).filter(|_| knows_batteries),
        }
    }
}
