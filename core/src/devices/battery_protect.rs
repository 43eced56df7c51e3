//! BatteryProtect (BP-65 / BP-100 / BP-220), Smart BatteryProtect 12/24 V and Smart BatteryProtect 48V-100A
//! (victron-behaviour.md §3).
//!
//! - Voltage: the 12/24 V models detect 12 or 24 V (range 6–35 V, SBP-R) and cannot serve a 48 V bank; the Smart
//!   BatteryProtect 48V-100A (BPR110048000, SBP-R; manual SBP48-OP) serves 48 V only. Its levels are the 12 V table
//!   ×4 (assumed: the SBP48-OP table is not quoted in the notes), so code 0 is 42.0 V shutdown / 48.0 V restart and
//!   its over-voltage trip 65.2 V.
//! - Modes (BP-OP): **A** buzzer/LED and **B** relay use the BP's own under-voltage thresholds (programming code
//!   0–9): alarm after 12 s below the shutdown level, disconnect after 90 s, reconnect 30 s after the restart level
//!   is reached; recovering to the restart level within the 90 s cancels the disconnect (BP-R). **C** Li-ion: the BMS
//!   output drives Remote H; disconnect at once when it floats, stay off at least 30 s (BP-OP, SBP-REM); the BP's
//!   under-voltage thresholds and alarm output are inactive.
//! - Remote: connect 1 s after the remote input turns on, disconnect at once when it turns off (SBP-REM; assumed
//!   for the non-smart BP). After 3 re-engage attempts in mode C it stays off until the battery is above 13.0 V
//!   (26.0 V) for 30 s (SBP-REM); the attempt counter also clears after 30 s above that level (assumed).
//! - Over-voltage (all modes): disconnect at once above 16 V / 32 V (BP) or 16.3 V / 32.6 V (Smart BP, SBP-R;
//!   contradiction §8.7); reconnect without delay (BP-OP) once 0.2 V (0.4 V) below (hysteresis assumed).
//! - One direction only, IN → OUT (BP-INTRO): either loads or a charger, never both; never an inverter (SBP-INV).
//! - The BP measures the bank voltage (simplification: in the charger orientation, too).
use super::power::{Direction, Microamps, SystemVoltage};
use super::remote::RemoteInput;
use crate::bms::text::{Clock, Duration, Volts};
use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::{Millis, Millivolts, SimTime};
use core::fmt;
use serde::{Deserialize, Serialize};

/// BatteryProtect models.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BpModel {
    Bp65,
    Bp100,
    Bp220,
    SmartBp65,
    #[default]
    SmartBp100,
    SmartBp220,
    /// Smart BatteryProtect 48V-100A (SBP-R), for 48 V systems only.
    #[serde(rename = "smart_bp_48v_100")]
    SmartBp48V100,
}

impl BpModel {
    /// Continuous current rating, A.
    pub fn rating_amps(self) -> u32 {
        match self {
            BpModel::Bp65 | BpModel::SmartBp65 => 65,
            BpModel::Bp100 | BpModel::SmartBp100 | BpModel::SmartBp48V100 => 100,
            BpModel::Bp220 | BpModel::SmartBp220 => 220,
        }
    }
    pub fn is_smart(self) -> bool {
        matches!(
            self,
            BpModel::SmartBp65 | BpModel::SmartBp100 | BpModel::SmartBp220 | BpModel::SmartBp48V100
        )
    }
    /// The system voltages it is made for: 12 and 24 V, or 48 V for the 48V-100A (SBP-R).
    pub fn supports(self, system: SystemVoltage) -> bool {
        match self {
            BpModel::SmartBp48V100 => system == SystemVoltage::V48,
            _ => system != SystemVoltage::V48,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            BpModel::Bp65 => "BatteryProtect 12/24V-65A",
            BpModel::Bp100 => "BatteryProtect 12/24V-100A",
            BpModel::Bp220 => "BatteryProtect 12/24V-220A",
            BpModel::SmartBp65 => "Smart BatteryProtect 12/24V-65A",
            BpModel::SmartBp100 => "Smart BatteryProtect 12/24V-100A",
            BpModel::SmartBp220 => "Smart BatteryProtect 12/24V-220A",
            BpModel::SmartBp48V100 => "Smart BatteryProtect 48V-100A",
        }
    }
    /// Part number where a source gives one (BP-R, SB-SEC, SBP-R); the others are UNCONFIRMED.
    pub fn part_number(self) -> Option<&'static str> {
        match self {
            BpModel::Bp220 => Some("BPR000220400"),
            BpModel::SmartBp65 => Some("BPR065022000"),
            BpModel::SmartBp100 => Some("BPR110022000"),
            BpModel::SmartBp48V100 => Some("BPR110048000"),
            _ => None,
        }
    }
    /// Over-voltage trip at 12 V: 16.0 V (BP-OP, BP-R) or 16.3 V (Smart, SBP-R; ×4 = 65.2 V on the 48 V model,
    /// assumed).
    pub fn over_voltage_12v(self) -> Millivolts {
        if self.is_smart() {
            Millivolts(16_300)
        } else {
            Millivolts(16_000)
        }
    }
    /// Own consumption: BP-220 max 1.5 mA (BP-R), Smart BP-65 1.4 mA (SB-SEC); other ratings assumed the same.
    pub fn own_consumption(self) -> Microamps {
        if self.is_smart() {
            Microamps(1400)
        } else {
            Microamps(1500)
        }
    }
}

/// Operating mode (BP-OP).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BpMode {
    /// Buzzer/LED alarm mode (factory default).
    A,
    /// Relay alarm mode.
    B,
    /// Li-ion mode: follows the BMS on Remote H.
    #[default]
    C,
}

/// Which way the BP is wired: current flows only IN → OUT (BP-INTRO).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BpOrientation {
    /// IN = battery, OUT = loads.
    #[default]
    BatteryToLoad,
    /// IN = charger, OUT = battery (BP as charge interrupter, SBP-R).
    ChargerToBattery,
}

impl BpOrientation {
    pub fn direction(self) -> Direction {
        match self {
            BpOrientation::BatteryToLoad => Direction::ToLoad,
            BpOrientation::ChargerToBattery => Direction::ToBank,
        }
    }
}

/// One programming code: under-voltage shutdown and restart levels at 12 V (×2 at 24 V).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BpCode {
    pub code: u8,
    pub shutdown: Millivolts,
    pub restart: Millivolts,
}

/// Programming codes 0–9 (SBP-PROG; the non-smart BP table is assumed identical).
pub const BP_CODES: [BpCode; 10] = [
    bp_code(0, 10_500, 12_000),
    bp_code(1, 10_000, 11_500),
    bp_code(2, 9_500, 11_500),
    bp_code(3, 11_250, 13_250),
    bp_code(4, 11_500, 13_800),
    bp_code(5, 10_500, 12_800),
    bp_code(6, 11_500, 12_800),
    bp_code(7, 11_800, 12_800),
    bp_code(8, 12_000, 13_000),
    bp_code(9, 10_000, 13_200),
];

const fn bp_code(code: u8, shutdown: i32, restart: i32) -> BpCode {
    BpCode {
        code,
        shutdown: Millivolts(shutdown),
        restart: Millivolts(restart),
    }
}

/// The code's row; codes above 9 read as 9.
pub fn bp_code_row(code: u8) -> BpCode {
    BP_CODES[usize::from(code.min(9))]
}

/// The code's shutdown and restart levels in a `system`-volt installation (the 12 V table scaled: ×2 at 24 V as
/// SBP-PROG gives it, ×4 at 48 V assumed for the 48V-100A).
pub fn bp_code_levels(code: u8, system: SystemVoltage) -> BpCode {
    let row = bp_code_row(code);
    BpCode {
        code: row.code,
        shutdown: system.scale(row.shutdown),
        restart: system.scale(row.restart),
    }
}

/// Delays and levels (defaults from BP-OP / SBP-REM; editable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BpTiming {
    /// Modes A/B: alarm this long after the voltage falls below shutdown (BP-OP: 12 s).
    pub alarm_delay: Millis,
    /// Modes A/B: disconnect this long after the voltage falls below shutdown (BP-OP: 90 s).
    pub disconnect_delay: Millis,
    /// Modes A/B: reconnect this long after the voltage is back at restart (BP-OP: 30 s).
    pub reconnect_delay: Millis,
    /// Mode C: stays off this long after Remote H floats (BP-OP, SBP-REM: 30 s).
    pub li_ion_hold_off: Millis,
    /// Connect this long after the remote input turns on (SBP-REM: 1 s; assumed for the non-smart BP).
    pub remote_connect_delay: Millis,
    /// Mode C: after this many re-engage attempts it locks out (SBP-REM: 3).
    pub lockout_attempts: u8,
    /// Lockout releases above this (12 V value; SBP-REM: 13.0 V / 26.0 V).
    pub lockout_release: Millivolts,
    /// …held for this long (SBP-REM: 30 s).
    pub lockout_release_hold: Millis,
    /// Over-voltage reconnect hysteresis at 12 V (assumed 0.2 V).
    pub over_voltage_hysteresis: Millivolts,
}

impl Default for BpTiming {
    fn default() -> Self {
        BpTiming {
            alarm_delay: Millis::secs(12),
            disconnect_delay: Millis::secs(90),
            reconnect_delay: Millis::secs(30),
            li_ion_hold_off: Millis::secs(30),
            remote_connect_delay: Millis::secs(1),
            lockout_attempts: 3,
            lockout_release: Millivolts(13_000),
            lockout_release_hold: Millis::secs(30),
            over_voltage_hysteresis: Millivolts(200),
        }
    }
}

/// Configuration of one BatteryProtect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatteryProtectParams {
    pub model: BpModel,
    pub mode: BpMode,
    /// Programming code 0–9 (modes A/B).
    #[serde(default)]
    pub code: u8,
    #[serde(default)]
    pub orientation: BpOrientation,
    #[serde(default)]
    pub timing: BpTiming,
    /// The Remote H input (2.9 V threshold assumed as for other Victron remote inputs).
    #[serde(default)]
    pub remote: RemoteInput,
}

/// The alarm output (open collector, max 50 mA; BP-R).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BpAlarm {
    #[default]
    Off,
    /// Mode A, under-voltage between 12 s and the disconnect.
    Continuous,
    /// Mode A, over-voltage.
    Intermittent,
    /// Mode B, under-voltage between 12 s and the disconnect.
    RelayEngaged,
}

/// Why the BatteryProtect is in its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BpReason {
    /// Not updated yet.
    Idle,
    Connected {
        since: SimTime,
    },
    /// Will connect at `at` (remote connect delay).
    Connecting {
        at: SimTime,
    },
    /// The remote input reads off (mode C: the BMS output floats).
    RemoteOff {
        since: SimTime,
    },
    /// Mode C dead period after the remote floated.
    HoldOff {
        until: SimTime,
    },
    /// Mode C lockout after too many attempts.
    LockedOut {
        attempts: u8,
        release: Millivolts,
        hold: Millis,
    },
    /// Modes A/B own under-voltage disconnect.
    UnderVoltage {
        code: u8,
        shutdown: Millivolts,
        restart: Millivolts,
        at: SimTime,
    },
    OverVoltage {
        voltage: Millivolts,
        trip: Millivolts,
        at: SimTime,
    },
}

impl Localized for BpReason {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            BpReason::Idle => f.write_str(lang.pick(
                "disconnected (not started)",
                "déconnecté (pas encore démarré)",
            )),
            BpReason::Connected { since } => {
                write_in!(f, lang, "connected since {}", "connecté depuis {}", Clock(*since))
            }
            BpReason::Connecting { at } => write_in!(
                f,
                lang,
                "remote on: connecting at {}",
                "entrée à distance active : connexion à {}",
                Clock(*at)
            ),
            BpReason::RemoteOff { since } => write_in!(
                f,
                lang,
                "disconnected: remote input off (BMS output floating) since {}",
                "déconnecté : entrée à distance inactive (sortie du BMS flottante) depuis {}",
                Clock(*since)
            ),
            BpReason::HoldOff { until } => write_in!(
                f,
                lang,
                "disconnected: Li-ion mode keeps the output off after the BMS output floated, until {}",
                "déconnecté : le mode Li-ion maintient la sortie coupée après le passage à l'état flottant de la \
                 sortie du BMS, jusqu'à {}",
                Clock(*until)
            ),
            BpReason::LockedOut {
                attempts,
                release,
                hold,
            } => write_in!(
                f,
                lang,
                "locked out after {} attempts to re-engage: waits for the battery to stay above {} for {}",
                "verrouillé après {} tentatives de reconnexion : attend que la batterie reste au-dessus de {} \
                 pendant {}",
                attempts,
                Volts(*release),
                Duration(*hold)
            ),
            BpReason::UnderVoltage {
                code,
                shutdown,
                restart,
                at,
            } => write_in!(
                f,
                lang,
                "disconnected at {} after 90 s below {} (code {}); reconnects 30 s after reaching {}",
                "déconnecté à {} après 90 s sous {} (code {}) ; se reconnecte 30 s après avoir atteint {}",
                Clock(*at),
                Volts(*shutdown),
                code,
                Volts(*restart)
            ),
            BpReason::OverVoltage { voltage, trip, at } => write_in!(
                f,
                lang,
                "disconnected at {}: over-voltage {} above {}",
                "déconnecté à {} : surtension {} au-dessus de {}",
                Clock(*at),
                Volts(*voltage),
                Volts(*trip)
            ),
        }
    }
}

impl fmt::Display for BpReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// A BatteryProtect's runtime state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatteryProtect {
    params: BatteryProtectParams,
    system: SystemVoltage,
    started: bool,
    last: SimTime,
    connected: bool,
    connected_since: SimTime,
    remote_on: bool,
    remote_off_since: SimTime,
    /// The next connection waits the remote connect delay (at start and after a remote off).
    needs_connect_delay: bool,
    /// The next connection is a re-engage attempt (mode C, after a remote off).
    counts_as_attempt: bool,
    connect_at: Option<SimTime>,
    hold_off_until: Option<SimTime>,
    attempts: u8,
    locked_out: bool,
    release_since: Option<SimTime>,
    uv_since: Option<SimTime>,
    uv_trip_at: Option<SimTime>,
    restart_since: Option<SimTime>,
    over_voltage: Option<(Millivolts, SimTime)>,
    alarm: BpAlarm,
    reason: BpReason,
}

impl BatteryProtect {
    pub fn new(params: BatteryProtectParams, system: SystemVoltage) -> BatteryProtect {
        BatteryProtect {
            params,
            system,
            started: false,
            last: SimTime::ZERO,
            connected: false,
            connected_since: SimTime::ZERO,
            remote_on: false,
            remote_off_since: SimTime::ZERO,
            needs_connect_delay: true,
            counts_as_attempt: false,
            connect_at: None,
            hold_off_until: None,
            attempts: 0,
            locked_out: false,
            release_since: None,
            uv_since: None,
            uv_trip_at: None,
            restart_since: None,
            over_voltage: None,
            alarm: BpAlarm::Off,
            reason: BpReason::Idle,
        }
    }

    pub fn params(&self) -> &BatteryProtectParams {
        &self.params
    }

    /// `voltage`: the bank voltage it measures; `remote`: the level on Remote H after any cable (`None` = no BMS
    /// wire: remote bridged, on).
    pub fn update(&mut self, now: SimTime, voltage: Millivolts, remote: Option<Level>) {
        let now = now.max(self.last);
        let t = self.params.timing;
        let sv = self.system;
        let mode_c = self.params.mode == BpMode::C;

        // Over-voltage: immediate, every mode.
        let trip = sv.scale(self.params.model.over_voltage_12v());
        let clear = Millivolts(trip.0.saturating_sub(sv.scale(t.over_voltage_hysteresis).0));
        if voltage > trip {
            if self.over_voltage.is_none() {
                self.over_voltage = Some((voltage, now));
            }
        } else if voltage <= clear {
            self.over_voltage = None;
        }

        // Lockout release / attempt reset after a healthy voltage held long enough.
        let release = sv.scale(t.lockout_release);
        if voltage > release {
            let since = *self.release_since.get_or_insert(now);
            if now.since(since) >= t.lockout_release_hold {
                self.attempts = 0;
                self.locked_out = false;
                self.counts_as_attempt = false;
            }
        } else {
            self.release_since = None;
        }

        // Remote input edges.
        let remote_on = match remote {
            None => true,
            Some(level) => self.params.remote.response(level, self.remote_on),
        };
        if self.started && self.remote_on && !remote_on {
            self.remote_off_since = now;
            self.needs_connect_delay = true;
            if mode_c {
                self.hold_off_until = Some(now.after(t.li_ion_hold_off));
                self.counts_as_attempt = true;
                if self.attempts >= t.lockout_attempts {
                    self.locked_out = true;
                }
            }
        }
        if !self.started && !remote_on {
            self.remote_off_since = now;
        }
        self.remote_on = remote_on;

        // Own under-voltage protection, modes A/B only.
        if mode_c {
            self.uv_since = None;
            self.uv_trip_at = None;
            self.restart_since = None;
        } else {
            self.under_voltage(now, voltage);
        }

        // Decide.
        let hold_off = self.hold_off_until.is_some_and(|until| now < until);
        let blocked = self.over_voltage.is_some()
            || !remote_on
            || self.uv_trip_at.is_some()
            || (mode_c && (self.locked_out || hold_off));
        if blocked {
            if self.connected {
                self.connected = false;
            }
            self.connect_at = None;
        } else if !self.connected {
            let at = *self.connect_at.get_or_insert(if self.needs_connect_delay {
                now.after(t.remote_connect_delay)
            } else {
                now
            });
            if now >= at {
                self.connected = true;
                self.connected_since = now;
                self.connect_at = None;
                self.needs_connect_delay = false;
                if self.counts_as_attempt {
                    self.attempts = self.attempts.saturating_add(1);
                    self.counts_as_attempt = false;
                }
            }
        }

        self.alarm = self.alarm_state(now);
        self.reason = self.reason_now(hold_off);
        self.started = true;
        self.last = now;
    }

    fn under_voltage(&mut self, now: SimTime, voltage: Millivolts) {
        let t = self.params.timing;
        let BpCode {
            shutdown, restart, ..
        } = bp_code_levels(self.params.code, self.system);
        if voltage >= restart {
            self.uv_since = None;
        } else if voltage < shutdown && self.uv_since.is_none() {
            self.uv_since = Some(now);
        }
        if self.uv_trip_at.is_none() {
            if let Some(since) = self.uv_since {
                if now.since(since) >= t.disconnect_delay {
                    self.uv_trip_at = Some(now);
                    self.restart_since = None;
                }
            }
        } else if voltage >= restart {
            let since = *self.restart_since.get_or_insert(now);
            if now.since(since) >= t.reconnect_delay {
                self.uv_trip_at = None;
                self.restart_since = None;
                self.uv_since = None;
            }
        } else {
            self.restart_since = None;
        }
    }

    fn alarm_state(&self, now: SimTime) -> BpAlarm {
        let t = self.params.timing;
        let uv_alarm = self.connected
            && self
                .uv_since
                .is_some_and(|since| now.since(since) >= t.alarm_delay);
        match self.params.mode {
            BpMode::A if self.over_voltage.is_some() => BpAlarm::Intermittent,
            BpMode::A if uv_alarm => BpAlarm::Continuous,
            BpMode::B if uv_alarm => BpAlarm::RelayEngaged,
            _ => BpAlarm::Off,
        }
    }

    fn reason_now(&self, hold_off: bool) -> BpReason {
        let t = self.params.timing;
        if self.connected {
            return BpReason::Connected {
                since: self.connected_since,
            };
        }
        if let Some((voltage, at)) = self.over_voltage {
            return BpReason::OverVoltage {
                voltage,
                trip: self.system.scale(self.params.model.over_voltage_12v()),
                at,
            };
        }
        if !self.remote_on {
            return BpReason::RemoteOff {
                since: self.remote_off_since,
            };
        }
        if self.params.mode == BpMode::C && self.locked_out {
            return BpReason::LockedOut {
                attempts: self.attempts,
                release: self.system.scale(t.lockout_release),
                hold: t.lockout_release_hold,
            };
        }
        if let (true, Some(until)) = (hold_off, self.hold_off_until) {
            return BpReason::HoldOff { until };
        }
        if let Some(at) = self.uv_trip_at {
            let row = bp_code_levels(self.params.code, self.system);
            return BpReason::UnderVoltage {
                code: row.code,
                shutdown: row.shutdown,
                restart: row.restart,
                at,
            };
        }
        match self.connect_at {
            Some(at) => BpReason::Connecting { at },
            None => BpReason::Idle,
        }
    }

    /// The next instant a timer expires (connect delay, hold-off, 12 s / 90 s / 30 s, lockout release).
    pub fn next_deadline(&self) -> Option<SimTime> {
        let t = self.params.timing;
        let mut candidates = [None; 7];
        candidates[0] = self.connect_at;
        candidates[1] = self.hold_off_until;
        if self.uv_trip_at.is_none() {
            candidates[2] = self.uv_since.map(|s| s.after(t.alarm_delay));
            candidates[3] = self.uv_since.map(|s| s.after(t.disconnect_delay));
        }
        candidates[4] = self.restart_since.map(|s| s.after(t.reconnect_delay));
        if self.attempts > 0 || self.locked_out {
            candidates[5] = self.release_since.map(|s| s.after(t.lockout_release_hold));
        }
        candidates
            .into_iter()
            .flatten()
            .filter(|&d| d > self.last)
            .min()
    }

    /// Whether current flows IN → OUT.
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    pub fn alarm(&self) -> BpAlarm {
        self.alarm
    }

    /// Re-engage attempts counted since the last release (mode C).
    pub fn attempts(&self) -> u8 {
        self.attempts
    }

    pub fn is_locked_out(&self) -> bool {
        self.locked_out
    }

    pub fn reason(&self) -> &BpReason {
        &self.reason
    }

    /// Which way current may flow through it.
    pub fn direction(&self) -> Direction {
        self.params.orientation.direction()
    }

    pub fn own_consumption(&self) -> Microamps {
        self.params.model.own_consumption()
    }
}

impl Localized for BatteryProtect {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        self.reason.fmt_in(f, lang)
    }
}

impl fmt::Display for BatteryProtect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}
