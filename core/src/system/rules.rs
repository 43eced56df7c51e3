//! Validation rules for a wired smallBMS NG system. Each rule has a stable id, a severity and a source, listed once
//! in [`RULES`]; [`validate`] returns one [`Finding`] per violation, with the figures that make it wrong and a fix.
//!
//! Sources: "datasheet" = the smallBMS NG datasheet (authoritative); other keys resolve in
//! `shared/reference/victron-behaviour.md` §0.
use super::wiring::{devices_on, switch_chain, switched_by};
use super::{DeviceConfig, RemoteWiring, SystemConfig};
use crate::bms::text::Volts;
use crate::bms::{BmsOutput, BmsSettings, BMS_PARAMETERS};
use crate::devices::{BpMode, DeviceKind, Direction, PowerRole, SystemVoltage};
use crate::finding::{Finding, Severity, Subject};
use crate::units::{Milliamps, Millivolts};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// One validation rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier (appears in findings, tests and the UI).
    pub id: &'static str,
    pub severity: Severity,
    /// "datasheet" or a source key.
    pub source: &'static str,
    /// What the rule checks, in one line.
    pub summary: &'static str,
}

macro_rules! rule {
    ($name:ident, $id:expr, $sev:ident, $source:expr, $summary:expr) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = concat!("Source: ", $source, ".")]
        pub const $name: Rule = Rule {
            id: $id,
            severity: Severity::$sev,
            source: $source,
            summary: $summary,
        };
    };
}

rule!(
    INDUCTIVE_ON_CHARGER,
    "output.inductive_on_charger",
    Error,
    "datasheet",
    "No relay coil or other inductive load on the CHARGER output."
);
rule!(OUTPUT_OVER_LIMIT, "output.over_limit", Error, "datasheet",
    "What an output drives stays within its source limit: LOAD 1 A, CHARGER 500 mA, PRE-ALARM 500 mA.");
rule!(
    VEBUS_REFUSED,
    "device.vebus_refused",
    Error,
    "datasheet",
    "VE.Bus MultiPlus / Quattro cannot be controlled by the smallBMS NG: use the VE.Bus BMS NG."
);
rule!(INVERTER_BEHIND_BP, "power.inverter_behind_bp", Error, "SBP-INV",
    "An inverter's DC input is never wired through a BatteryProtect; switch it with its remote input.");
rule!(
    CABLE_MISSING,
    "control.cable_missing",
    Error,
    "SB-INTRO",
    "A remote input that needs an interface cable has one."
);
rule!(
    CABLE_NOT_NEEDED,
    "control.cable_not_needed",
    Error,
    "SB-INTRO",
    "No interface cable on a remote input that must be wired directly."
);
rule!(
    CABLE_WRONG,
    "control.cable_wrong",
    Error,
    "SB-INTRO",
    "The interface cable matches the remote input's logic."
);
rule!(
    CABLE_NOT_APPLICABLE,
    "control.cable_not_applicable",
    Warning,
    "SB-INTRO",
    "Remote cables only go to remote inputs, not to coils, buzzers, LEDs or plain loads."
);
rule!(
    NO_CONTROL_INPUT,
    "control.no_input",
    Warning,
    "SB-INTRO",
    "A BMS output is only wired to a device that has a control, remote or coil terminal."
);
rule!(ON_PRE_ALARM, "control.on_pre_alarm", Error, "datasheet",
    "PRE-ALARM drives a relay, LED or buzzer, not a charger, load or switch (it is high only in alarm).");
rule!(
    BP_NOT_MODE_C,
    "bp.not_mode_c",
    Error,
    "BP-OP",
    "A BatteryProtect driven by the BMS is programmed to mode C (Li-ion)."
);
rule!(
    FUSE_RANGE,
    "bms.fuse_range",
    Error,
    "datasheet",
    "The BMS supply fuse is 0.3–2.5 A."
);
rule!(FUSE_TOO_SMALL, "bms.fuse_too_small", Error, "datasheet",
    "The BMS supply fuse carries what LOAD and PRE-ALARM (and CHARGER) drive plus the BMS's own 3 mA.");
rule!(
    LOAD_NOT_SWITCHED,
    "protection.load_not_switched",
    Error,
    "SB-INTRO",
    "Every load is switched off by the LOAD output (its remote input, or a switch it sits behind)."
);
rule!(CHARGER_NOT_SWITCHED, "protection.charger_not_switched", Error, "SB-INTRO",
    "Every charger is switched off by the CHARGER output (its remote input, or a switch it sits behind).");
rule!(
    CYRIX_NOT_ON_CHARGER,
    "cyrix.not_on_charger",
    Error,
    "datasheet",
    "A Cyrix-Li-Charge or Cyrix-Li-ct control terminal is wired to the CHARGER output."
);
rule!(
    SYSTEM_VOLTAGE,
    "device.system_voltage",
    Error,
    "BP-R",
    "Each device is made for the bank's system voltage (BatteryProtect and Cyrix-Li-ct: 12/24 V)."
);
rule!(
    BEHIND_INVALID,
    "power.behind_invalid",
    Error,
    "configuration",
    "A device's power path names an existing switch and does not loop."
);
rule!(WRONG_DIRECTION, "power.wrong_direction", Error, "BP-INTRO",
    "Current flows the way each switch allows: BatteryProtect IN → OUT only, Cyrix-Li-Charge charger → battery.");
rule!(
    SWITCH_OVERLOADED,
    "power.switch_overloaded",
    Warning,
    "BP-R",
    "What a BatteryProtect or Cyrix carries stays within its continuous rating."
);
rule!(REMOTE_OPEN, "bms.remote_open", Warning, "datasheet",
    "Something is wired to Remote L/H; with nothing there the BMS stays OFF and every load and charger is off.");
rule!(
    SETTING_RANGE,
    "bms.setting_range",
    Warning,
    "datasheet",
    "Each BMS setting is within its allowed range (out-of-range values are clamped)."
);
rule!(SETTING_ORDER, "bms.setting_order", Error, "datasheet",
    "BMS thresholds are in a working order (pre-alarm above under-voltage, recoveries past their trips, …).");
rule!(
    SUPPLY_VOLTAGE,
    "bms.supply_voltage",
    Error,
    "datasheet",
    "The bank voltage is within the BMS supply range 8–70 V."
);

/// Every rule, in the order [`validate`] applies them.
pub static RULES: &[Rule] = &[
    SUPPLY_VOLTAGE,
    SETTING_RANGE,
    SETTING_ORDER,
    FUSE_RANGE,
    FUSE_TOO_SMALL,
    REMOTE_OPEN,
    OUTPUT_OVER_LIMIT,
    INDUCTIVE_ON_CHARGER,
    VEBUS_REFUSED,
    SYSTEM_VOLTAGE,
    BEHIND_INVALID,
    WRONG_DIRECTION,
    INVERTER_BEHIND_BP,
    SWITCH_OVERLOADED,
    CABLE_MISSING,
    CABLE_NOT_NEEDED,
    CABLE_WRONG,
    CABLE_NOT_APPLICABLE,
    NO_CONTROL_INPUT,
    ON_PRE_ALARM,
    BP_NOT_MODE_C,
    CYRIX_NOT_ON_CHARGER,
    LOAD_NOT_SWITCHED,
    CHARGER_NOT_SWITCHED,
];

/// Datasheet supply fuse range.
pub const FUSE_MIN: Milliamps = Milliamps(300);
pub const FUSE_MAX: Milliamps = Milliamps(2500);
/// Datasheet supply voltage range.
pub const SUPPLY_MIN: Millivolts = Millivolts(8000);
pub const SUPPLY_MAX: Millivolts = Millivolts(70_000);

fn finding(rule: &Rule, subject: Subject, message: String, fix: String) -> Finding {
    Finding {
        id: rule.id,
        severity: rule.severity,
        subject,
        message,
        fix,
        source: rule.source,
    }
}

fn device(index: usize) -> Subject {
    Subject::Device { index }
}

fn terminal(output: BmsOutput) -> Subject {
    Subject::Terminal {
        name: output.terminal().to_string(),
    }
}

/// Names a device in a message: `"Inverter 1200 VA" (inverter, device 3)`.
fn named(index: usize, d: &DeviceConfig) -> String {
    format!("\"{}\" ({}, device {})", d.name, d.kind.label(), index + 1)
}

fn amps(ma: Milliamps) -> String {
    let abs = ma.0.unsigned_abs();
    let sign = if ma.0 < 0 { "-" } else { "" };
    if abs < 1000 {
        return format!("{sign}{abs} mA");
    }
    let frac = abs % 1000;
    if frac == 0 {
        format!("{sign}{} A", abs / 1000)
    } else {
        let digits = format!("{frac:03}");
        format!("{sign}{}.{} A", abs / 1000, digits.trim_end_matches('0'))
    }
}

/// Checks `config` for a bank of nominal voltage `bank_nominal`; every violated rule gives one finding per place.
pub fn validate(config: &SystemConfig, bank_nominal: Millivolts) -> Vec<Finding> {
    let mut out = Vec::new();
    check_supply(config, bank_nominal, &mut out);
    check_settings(&config.bms, &mut out);
    check_fuse(config, &mut out);
    check_outputs(config, &mut out);
    let system = SystemVoltage::from_nominal(bank_nominal);
    for (i, d) in config.devices.iter().enumerate() {
        check_device(config, i, d, system, bank_nominal, &mut out);
    }
    out
}

fn check_supply(config: &SystemConfig, bank_nominal: Millivolts, out: &mut Vec<Finding>) {
    if bank_nominal < SUPPLY_MIN || bank_nominal > SUPPLY_MAX {
        out.push(finding(
            &SUPPLY_VOLTAGE,
            Subject::Bms,
            format!(
                "The bank's nominal voltage {} is outside the BMS supply range 8–70 V.",
                Volts(bank_nominal)
            ),
            "Use a 12, 24 or 48 V Lithium NG bank.".to_string(),
        ));
    }
    if config.remote == RemoteWiring::Open {
        out.push(finding(
            &REMOTE_OPEN,
            Subject::Terminal {
                name: "remote".to_string(),
            },
            "Nothing is wired to Remote L/H, so the BMS reads OFF: LOAD and CHARGER float and every load and \
             charger stays off."
                .to_string(),
            "Bridge L and H, or fit a system on/off switch between them.".to_string(),
        ));
    }
}

fn check_settings(s: &BmsSettings, out: &mut Vec<Finding>) {
    for p in BMS_PARAMETERS {
        let v = p.get(s);
        if !p.in_range(v) {
            let show = |raw: i64| p.unit.format(raw);
            out.push(finding(
                &SETTING_RANGE,
                Subject::Bms,
                format!(
                    "{} is {}, outside its range {} … {}; the BMS uses {}.",
                    p.name,
                    show(v),
                    show(p.min),
                    show(p.max),
                    show(v.clamp(p.min, p.max))
                ),
                format!(
                    "Set {} between {} and {}.",
                    p.name,
                    show(p.min),
                    show(p.max)
                ),
            ));
        }
    }
    let mut order = |ok: bool, message: String, fix: &str| {
        if !ok {
            out.push(finding(
                &SETTING_ORDER,
                Subject::Bms,
                message,
                fix.to_string(),
            ));
        }
    };
    order(
        s.pre_alarm_cell > s.under_voltage_cell,
        format!(
            "The pre-alarm level {} is not above the under-voltage level {}: the pre-alarm cannot warn before the \
             loads go off.",
            Volts(s.pre_alarm_cell),
            Volts(s.under_voltage_cell)
        ),
        "Set the pre-alarm level above the under-voltage level.",
    );
    order(
        s.under_voltage_recovery_cell > s.under_voltage_cell,
        format!(
            "The under-voltage recovery level {} is not above the under-voltage level {}: loads would switch \
             straight back on.",
            Volts(s.under_voltage_recovery_cell),
            Volts(s.under_voltage_cell)
        ),
        "Set the recovery level above the under-voltage level (default 3.20 V).",
    );
    order(
        s.over_voltage_recovery_cell < s.over_voltage_cell,
        format!(
            "The over-voltage recovery level {} is not below the over-voltage level {}: chargers would switch \
             straight back on.",
            Volts(s.over_voltage_recovery_cell),
            Volts(s.over_voltage_cell)
        ),
        "Set the over-voltage recovery level below the over-voltage level.",
    );
    order(
        s.over_voltage_cell > s.under_voltage_recovery_cell,
        format!(
            "The over-voltage level {} is not above the under-voltage recovery level {}.",
            Volts(s.over_voltage_cell),
            Volts(s.under_voltage_recovery_cell)
        ),
        "Set the over-voltage level above the under-voltage recovery level.",
    );
    order(
        s.charge_temp_min < s.charge_temp_max && s.discharge_temp_min < s.discharge_temp_max,
        "A temperature window's minimum is not below its maximum, so that output can never be on."
            .to_string(),
        "Set each temperature window's minimum below its maximum.",
    );
    order(
        u32::from(s.discharge_floor.0) + u32::from(s.discharge_floor_band.0) <= 1000,
        "The discharge floor plus its warning band is above 100 %.".to_string(),
        "Lower the discharge floor or its warning band.",
    );
}

fn check_fuse(config: &SystemConfig, out: &mut Vec<Finding>) {
    let fuse = config.supply_fuse;
    if fuse < FUSE_MIN || fuse > FUSE_MAX {
        out.push(finding(
            &FUSE_RANGE,
            Subject::Bms,
            format!(
                "The BMS supply fuse is {}; the datasheet asks for 0.3–2.5 A.",
                amps(fuse)
            ),
            "Fit a fuse between 0.3 A and 2.5 A, sized from what LOAD and PRE-ALARM drive."
                .to_string(),
        ));
    }
    let demand = super::output_demand(config);
    let own = config.bms.consumption_on.to_milliamps();
    let need = Milliamps(demand.total().0.saturating_add(own.0));
    if fuse < need {
        out.push(finding(
            &FUSE_TOO_SMALL,
            Subject::Bms,
            format!(
                "The BMS supply fuse is {} but the outputs drive {} (LOAD {}, PRE-ALARM {}, CHARGER {}) plus {} \
                 for the BMS itself.",
                amps(fuse),
                amps(demand.total()),
                amps(demand.load),
                amps(demand.pre_alarm),
                amps(demand.charger),
                amps(own)
            ),
            format!(
                "Fit a supply fuse of at least {} (and at most 2.5 A), or drive less from the outputs.",
                amps(need)
            ),
        ));
    }
}

fn check_outputs(config: &SystemConfig, out: &mut Vec<Finding>) {
    let s = &config.bms;
    for (output, limit) in [
        (BmsOutput::Load, s.load_limit),
        (BmsOutput::Charger, s.charger_limit),
        (BmsOutput::PreAlarm, s.pre_alarm_limit),
    ] {
        let on = devices_on(config, output);
        let total = Milliamps(
            on.iter()
                .map(|(_, ma)| ma.0)
                .fold(0i32, i32::saturating_add),
        );
        if total > limit {
            let list: Vec<String> = on
                .iter()
                .filter(|(_, ma)| ma.0 > 0)
                .filter_map(|(i, ma)| {
                    config
                        .device(*i)
                        .map(|d| format!("{} {}", d.name, amps(*ma)))
                })
                .collect();
            let note = if output == BmsOutput::PreAlarm {
                " (datasheet table: 500 mA; its feature list says 1 A — the lower value applies)"
            } else {
                ""
            };
            out.push(finding(
                &OUTPUT_OVER_LIMIT,
                terminal(output),
                format!(
                    "{} drives {} ({}) but can source at most {}{}; the output is not short-circuit protected.",
                    output.label(),
                    amps(total),
                    list.join(", "),
                    amps(limit),
                    note
                ),
                format!(
                    "Drive less from {}: use a relay with a smaller coil, or move a device to another output.",
                    output.label()
                ),
            ));
        }
    }
}

fn check_device(
    config: &SystemConfig,
    i: usize,
    d: &DeviceConfig,
    system: SystemVoltage,
    bank_nominal: Millivolts,
    out: &mut Vec<Finding>,
) {
    let who = named(i, d);
    let control = d.control;

    if matches!(d.kind, DeviceKind::VeBusMultiPlus { .. }) {
        out.push(finding(
            &VEBUS_REFUSED,
            device(i),
            format!(
                "{who}: the smallBMS NG has no VE.Bus port and cannot control a VE.Bus MultiPlus or Quattro."
            ),
            "Use the VE.Bus BMS NG for systems with a VE.Bus inverter/charger.".to_string(),
        ));
    }

    if !d.kind.supports(system) {
        out.push(finding(
            &SYSTEM_VOLTAGE,
            device(i),
            format!(
                "{who} is not made for a {} system (bank {}).",
                system.label(),
                Volts(bank_nominal)
            ),
            "Choose the device variant for this system voltage.".to_string(),
        ));
    }

    if let Some(c) = control {
        if c.output == BmsOutput::Charger && d.kind.is_inductive() {
            out.push(finding(
                &INDUCTIVE_ON_CHARGER,
                device(i),
                format!("{who} is an inductive load on the CHARGER output, which is not suitable for a relay coil."),
                "Drive the relay or contactor from LOAD, or let CHARGER drive a Cyrix-Li-Charge or a \
                 BatteryProtect instead."
                    .to_string(),
            ));
        }
        check_cable(i, d, &who, out);
        if c.output == BmsOutput::PreAlarm
            && (d.kind.is_switch() || d.kind.power_role().is_some())
            && !matches!(d.kind, DeviceKind::Relay(_))
        {
            out.push(finding(
                &ON_PRE_ALARM,
                device(i),
                format!(
                    "{who} is driven by PRE-ALARM, which is high only during an alarm: it would run only when \
                     the battery is low."
                ),
                "Drive loads and switches from LOAD, chargers from CHARGER; keep PRE-ALARM for a buzzer, LED \
                 or signalling relay."
                    .to_string(),
            ));
        }
    }

    if let (DeviceKind::BatteryProtect(p), Some(_)) = (&d.kind, control) {
        if p.mode != BpMode::C {
            out.push(finding(
                &BP_NOT_MODE_C,
                device(i),
                format!(
                    "{who} is driven by the BMS but programmed to mode {:?}; with a BMS it must be in mode C \
                     (Li-ion), where it follows Remote H and stays off 30 s after the BMS output floats.",
                    p.mode
                ),
                "Program the BatteryProtect to mode C.".to_string(),
            ));
        }
    }

    if matches!(
        d.kind,
        DeviceKind::CyrixLiCharge(_) | DeviceKind::CyrixLiCt(_)
    ) && control.map(|c| c.output) != Some(BmsOutput::Charger)
    {
        let now = match control {
            Some(c) => format!("is wired to {}", c.output.label()),
            None => "has no BMS wire".to_string(),
        };
        out.push(finding(
            &CYRIX_NOT_ON_CHARGER,
            device(i),
            format!("{who}'s control terminal {now}; it belongs on the CHARGER (charge disconnect) output."),
            "Wire the Cyrix control terminal to CHARGER.".to_string(),
        ));
    }

    check_power_path(config, i, d, &who, bank_nominal, out);
}

fn check_cable(i: usize, d: &DeviceConfig, who: &str, out: &mut Vec<Finding>) {
    let Some(c) = d.control else {
        return;
    };
    let Some(input) = d.kind.remote_input() else {
        if let Some(cable) = c.cable {
            out.push(finding(
                &CABLE_NOT_APPLICABLE,
                device(i),
                format!("{who} has no remote input, yet a {cable} is fitted."),
                "Remove the cable: coils, buzzers and LEDs connect straight to the output."
                    .to_string(),
            ));
        }
        if matches!(
            d.kind,
            DeviceKind::DcLoad { .. } | DeviceKind::VeBusMultiPlus { .. }
        ) {
            out.push(finding(
                &NO_CONTROL_INPUT,
                device(i),
                format!(
                    "{who} is wired to {} but has no remote, control or coil terminal.",
                    c.output.label()
                ),
                "Remove that wire; switch the device's supply through a BatteryProtect or relay instead."
                    .to_string(),
            ));
        }
        return;
    };
    let needed = input.logic.cable();
    if c.cable == needed {
        return;
    }
    match (c.cable, needed) {
        (None, Some(need)) => out.push(finding(
            &CABLE_MISSING,
            device(i),
            format!(
                "{who}'s remote input needs the {need} between it and {}; wired directly the BMS cannot switch it \
                 correctly.",
                c.output.label()
            ),
            format!("Fit the {need}."),
        )),
        (Some(have), None) => out.push(finding(
            &CABLE_NOT_NEEDED,
            device(i),
            format!(
                "{who}'s remote input takes the BMS output directly; the {have} would keep it from switching \
                 correctly."
            ),
            "Remove the cable and wire the output straight to the remote input (H).".to_string(),
        )),
        (Some(have), Some(need)) => out.push(finding(
            &CABLE_WRONG,
            device(i),
            format!("{who} has the {have}, but its remote input needs the {need}."),
            format!("Replace it with the {need}."),
        )),
        (None, None) => {}
    }
}

fn check_power_path(
    config: &SystemConfig,
    i: usize,
    d: &DeviceConfig,
    who: &str,
    bank_nominal: Millivolts,
    out: &mut Vec<Finding>,
) {
    let chain = match switch_chain(config, i) {
        Ok(chain) => chain,
        Err(e) => {
            out.push(finding(
                &BEHIND_INVALID,
                device(i),
                format!("{who}'s power path is not valid: {e}."),
                "Wire it straight to the bank, or through an existing BatteryProtect, Cyrix or relay.".to_string(),
            ));
            return;
        }
    };

    if d.kind.is_inverter() {
        for &j in &chain {
            if let Some(sw) = config.device(j) {
                if matches!(sw.kind, DeviceKind::BatteryProtect(_)) {
                    out.push(finding(
                        &INVERTER_BEHIND_BP,
                        device(i),
                        format!(
                            "{who}'s DC input is wired through {}: a BatteryProtect must never feed an \
                             inverter (inrush and reverse current can damage it).",
                            named(j, sw)
                        ),
                        "Connect the inverter straight to the battery and switch it with its remote input from \
                         LOAD."
                            .to_string(),
                    ));
                }
            }
        }
    }

    if let Some(direction) = d.kind.direction() {
        for &j in &chain {
            let Some(sw) = config.device(j) else { continue };
            if !sw.kind.switch_allows(direction) {
                let (what, way) = match direction {
                    Direction::ToLoad => ("a load", "from the bank to the load"),
                    Direction::ToBank => ("a charger", "from the charger into the bank"),
                };
                out.push(finding(
                    &WRONG_DIRECTION,
                    device(i),
                    format!(
                        "{who} is {what} behind {}, which does not let current flow {way}.",
                        named(j, sw)
                    ),
                    "Turn the BatteryProtect round (IN to the source), or use a switch that conducts this way."
                        .to_string(),
                ));
            }
        }
    }

    if d.kind.power_role().is_some() {
        let by = switched_by(config, i);
        let (rule, output, what) = match d.kind.direction() {
            Some(Direction::ToBank) => (&CHARGER_NOT_SWITCHED, BmsOutput::Charger, "charger"),
            _ => (&LOAD_NOT_SWITCHED, BmsOutput::Load, "load"),
        };
        if !by.contains(&output) {
            let now = if by.is_empty() {
                "nothing on the BMS switches it".to_string()
            } else {
                let names: Vec<&str> = by.iter().map(|o| o.label()).collect();
                format!("only {} switches it", names.join(" and "))
            };
            out.push(finding(
                rule,
                device(i),
                format!(
                    "{who} is a {what} but the BMS {} output cannot switch it off ({now}).",
                    output.label()
                ),
                format!(
                    "Wire its remote input to {}, or put it behind a BatteryProtect/Cyrix/relay driven by {}.",
                    output.label(),
                    output.label()
                ),
            ));
        }
    }

    if let Some(rating) = d.kind.switch_rating_amps() {
        let (mut to_load, mut to_bank) = (0i64, 0i64);
        for (k, other) in config.devices.iter().enumerate() {
            if k == i || !switch_chain(config, k).is_ok_and(|c| c.contains(&i)) {
                continue;
            }
            match other.kind.power_role() {
                Some(PowerRole::Load { draw }) => {
                    to_load += i64::from(draw.current_at(bank_nominal).0)
                }
                Some(PowerRole::Charger { output }) => {
                    to_bank += i64::from(output.max_current.0.max(0))
                }
                None => {}
            }
        }
        let worst = to_load.max(to_bank);
        if worst > i64::from(rating) * 1000 {
            out.push(finding(
                &SWITCH_OVERLOADED,
                device(i),
                format!(
                    "{who} is rated {rating} A continuous but carries up to {} A.",
                    worst / 1000
                ),
                "Use a bigger model, or split the devices over two switches.".to_string(),
            ));
        }
    }
}
