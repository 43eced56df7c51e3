//! Validation rules for a wired smallBMS NG system. Each rule has a stable id, a severity and a source, listed once
//! in [`RULES`]; [`validate`] returns one [`Finding`] per violation, with the figures that make it wrong and a fix
//! ([`validate_in`]: the same findings told in another language).
//!
//! Sources: "datasheet" = the smallBMS NG datasheet (authoritative); other keys resolve in
//! `shared/reference/victron-behaviour.md` §0.
use super::wiring::{devices_on, switch_chain, switched_by};
use super::{DeviceConfig, RemoteWiring, SystemConfig};
use crate::bms::text::Volts;
use crate::bms::{BmsOutput, BmsSettings, BMS_PARAMETERS};
use crate::devices::{BpMode, DeviceKind, Direction, PowerRole, SystemVoltage};
use crate::finding::{Finding, Severity, Subject};
use crate::lang::{format_in, Lang, Localized};
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
    /// What the rule checks, in one line (English; [`Rule::summary_in`] for another language).
    pub summary: &'static str,
    pub(crate) summary_fr: &'static str,
}

impl Rule {
    /// What the rule checks, in one line, in `lang`.
    pub fn summary_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.summary, self.summary_fr)
    }
}

macro_rules! rule_def {
    ($name:ident, $id:expr, $sev:ident, $source:expr, $summary:expr, $summary_fr:expr) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = concat!("Source: ", $source, ".")]
        pub const $name: Rule = Rule {
            id: $id,
            severity: Severity::$sev,
            source: $source,
            summary: $summary,
            summary_fr: $summary_fr,
        };
    };
}

pub(crate) use rule_def;

rule_def!(
    INDUCTIVE_ON_CHARGER,
    "output.inductive_on_charger",
    Error,
    "datasheet",
    "No relay coil or other inductive load on the CHARGER output.",
    "Aucune bobine de relais ni autre charge inductive sur la sortie CHARGER."
);
rule_def!(
    OUTPUT_OVER_LIMIT,
    "output.over_limit",
    Error,
    "datasheet",
    "What an output drives stays within its source limit: LOAD 1 A, CHARGER 500 mA, PRE-ALARM 500 mA.",
    "Ce que commande une sortie reste dans sa limite de courant source : LOAD 1 A, CHARGER 500 mA, PRE-ALARM 500 mA."
);
rule_def!(
    VEBUS_REFUSED,
    "device.vebus_refused",
    Error,
    "datasheet",
    "VE.Bus MultiPlus / Quattro cannot be controlled by the smallBMS NG: use the VE.Bus BMS NG.",
    "Un MultiPlus / Quattro VE.Bus ne peut pas être commandé par le smallBMS NG : utilisez le VE.Bus BMS NG."
);
rule_def!(
    INVERTER_BEHIND_BP,
    "power.inverter_behind_bp",
    Error,
    "SBP-INV",
    "An inverter's DC input is never wired through a BatteryProtect; switch it with its remote input.",
    "L'entrée CC d'un convertisseur n'est jamais raccordée via un BatteryProtect ; il se commande par son entrée à distance."
);
rule_def!(
    CABLE_MISSING,
    "control.cable_missing",
    Error,
    "SB-INTRO",
    "A remote input that needs an interface cable has one.",
    "Une entrée à distance qui nécessite un câble d'interface en a un."
);
rule_def!(
    CABLE_NOT_NEEDED,
    "control.cable_not_needed",
    Error,
    "SB-INTRO",
    "No interface cable on a remote input that must be wired directly.",
    "Pas de câble d'interface sur une entrée à distance qui doit être raccordée directement."
);
rule_def!(
    CABLE_WRONG,
    "control.cable_wrong",
    Error,
    "SB-INTRO",
    "The interface cable matches the remote input's logic.",
    "Le câble d'interface correspond à la logique de l'entrée à distance."
);
rule_def!(
    CABLE_NOT_APPLICABLE,
    "control.cable_not_applicable",
    Warning,
    "SB-INTRO",
    "Remote cables only go to remote inputs, not to coils, buzzers, LEDs or plain loads.",
    "Les câbles d'interface ne vont qu'aux entrées à distance, pas aux bobines, avertisseurs sonores, voyants ou simples consommateurs."
);
rule_def!(
    NO_CONTROL_INPUT,
    "control.no_input",
    Warning,
    "SB-INTRO",
    "A BMS output is only wired to a device that has a control, remote or coil terminal.",
    "Une sortie du BMS n'est raccordée qu'à un appareil doté d'une entrée à distance, d'une borne de contrôle ou d'une bobine."
);
rule_def!(
    ON_PRE_ALARM,
    "control.on_pre_alarm",
    Error,
    "datasheet",
    "PRE-ALARM drives a relay, LED or buzzer, not a charger, load or switch (it is high only in alarm).",
    "PRE-ALARM commande un relais, un voyant ou un avertisseur sonore, pas un chargeur, un consommateur ni un interrupteur (elle n'est haute qu'en alarme)."
);
rule_def!(
    BP_NOT_MODE_C,
    "bp.not_mode_c",
    Error,
    "BP-OP",
    "A BatteryProtect driven by the BMS is programmed to mode C (Li-ion).",
    "Un BatteryProtect commandé par le BMS est programmé en mode C (Li-ion)."
);
rule_def!(
    FUSE_RANGE,
    "bms.fuse_range",
    Error,
    "datasheet",
    "The BMS supply fuse is 0.3–2.5 A.",
    "Le fusible d'alimentation du BMS fait 0.3–2.5 A."
);
rule_def!(
    FUSE_TOO_SMALL,
    "bms.fuse_too_small",
    Error,
    "datasheet",
    "The BMS supply fuse carries what LOAD and PRE-ALARM (and CHARGER) drive plus the BMS's own 3 mA.",
    "Le fusible d'alimentation du BMS supporte ce que commandent LOAD et PRE-ALARM (et CHARGER), plus les 3 mA du BMS lui-même."
);
rule_def!(
    LOAD_NOT_SWITCHED,
    "protection.load_not_switched",
    Error,
    "SB-INTRO",
    "Every load is switched off by the LOAD output (its remote input, or a switch it sits behind).",
    "Chaque consommateur est coupé par la sortie LOAD (par son entrée à distance, ou par un interrupteur placé sur son circuit de puissance)."
);
rule_def!(
    CHARGER_NOT_SWITCHED,
    "protection.charger_not_switched",
    Error,
    "SB-INTRO",
    "Every charger is switched off by the CHARGER output (its remote input, or a switch it sits behind).",
    "Chaque chargeur est coupé par la sortie CHARGER (par son entrée à distance, ou par un interrupteur placé sur son circuit de puissance)."
);
rule_def!(
    CYRIX_NOT_ON_CHARGER,
    "cyrix.not_on_charger",
    Error,
    "datasheet",
    "A Cyrix-Li-Charge or Cyrix-Li-ct control terminal is wired to the CHARGER output.",
    "La borne de contrôle d'un Cyrix-Li-Charge ou d'un Cyrix-Li-ct est raccordée à la sortie CHARGER."
);
rule_def!(
    SYSTEM_VOLTAGE,
    "device.system_voltage",
    Error,
    "BP-R",
    "Each device is made for the bank's system voltage (BatteryProtect and Cyrix-Li-ct: 12/24 V).",
    "Chaque appareil est conçu pour la tension système du parc (BatteryProtect et Cyrix-Li-ct : 12/24 V)."
);
rule_def!(
    BEHIND_INVALID,
    "power.behind_invalid",
    Error,
    "configuration",
    "A device's power path names an existing switch and does not loop.",
    "Le circuit de puissance d'un appareil désigne un interrupteur existant et ne forme pas de boucle."
);
rule_def!(
    WRONG_DIRECTION,
    "power.wrong_direction",
    Error,
    "BP-INTRO",
    "Current flows the way each switch allows: BatteryProtect IN → OUT only, Cyrix-Li-Charge charger → battery.",
    "Le courant circule dans le sens permis par chaque interrupteur : BatteryProtect uniquement IN → OUT, Cyrix-Li-Charge chargeur → batterie."
);
rule_def!(
    SWITCH_OVERLOADED,
    "power.switch_overloaded",
    Warning,
    "BP-R",
    "What a BatteryProtect or Cyrix carries stays within its continuous rating.",
    "Le courant qui traverse un BatteryProtect ou un Cyrix reste dans son calibre continu."
);
rule_def!(
    REMOTE_OPEN,
    "bms.remote_open",
    Warning,
    "datasheet",
    "Something is wired to Remote L/H; with nothing there the BMS stays OFF and every load and charger is off.",
    "Quelque chose est raccordé à Remote L/H ; sans rien, le BMS reste sur OFF et tous les consommateurs et chargeurs sont coupés."
);
rule_def!(
    SETTING_RANGE,
    "bms.setting_range",
    Warning,
    "datasheet",
    "Each BMS setting is within its allowed range (out-of-range values are clamped).",
    "Chaque réglage du BMS est dans sa plage autorisée (une valeur hors plage est ramenée à la limite)."
);
rule_def!(
    SETTING_ORDER,
    "bms.setting_order",
    Error,
    "datasheet",
    "BMS thresholds are in a working order (pre-alarm above under-voltage, recoveries past their trips, …).",
    "Les seuils du BMS sont dans un ordre cohérent (préalarme au-dessus de la sous-tension, seuils de retour au-delà des seuils de déclenchement, …)."
);
rule_def!(
    SUPPLY_VOLTAGE,
    "bms.supply_voltage",
    Error,
    "datasheet",
    "The bank voltage is within the BMS supply range 8–70 V.",
    "La tension du parc est dans la plage d'alimentation du BMS, 8–70 V."
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

pub(crate) fn finding(
    rule: &Rule,
    subject: Subject,
    message: String,
    fix: impl Into<String>,
) -> Finding {
    Finding {
        id: rule.id,
        severity: rule.severity,
        subject,
        message,
        fix: fix.into(),
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
pub(crate) fn named(index: usize, d: &DeviceConfig, lang: Lang) -> String {
    format_in!(
        lang,
        "\"{}\" ({}, device {})",
        "« {} » ({}, appareil {})",
        d.name,
        d.kind.label_in(lang),
        index + 1
    )
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
/// Messages and fixes are in English.
pub fn validate(config: &SystemConfig, bank_nominal: Millivolts) -> Vec<Finding> {
    validate_in(config, bank_nominal, Lang::En)
}

/// [`validate`] with messages and fixes in `lang`: the same findings (ids, severities, subjects, order) in every
/// language.
pub fn validate_in(config: &SystemConfig, bank_nominal: Millivolts, lang: Lang) -> Vec<Finding> {
    let mut out = Vec::new();
    check_supply(config, bank_nominal, lang, &mut out);
    check_settings(&config.bms, lang, &mut out);
    check_fuse(config, lang, &mut out);
    check_outputs(config, lang, &mut out);
    let system = SystemVoltage::from_nominal(bank_nominal);
    for (i, d) in config.devices.iter().enumerate() {
        check_device(config, i, d, system, bank_nominal, lang, &mut out);
    }
    out
}

fn check_supply(
    config: &SystemConfig,
    bank_nominal: Millivolts,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    if bank_nominal < SUPPLY_MIN || bank_nominal > SUPPLY_MAX {
        out.push(finding(
            &SUPPLY_VOLTAGE,
            Subject::Bms,
            format_in!(
                lang,
                "The bank's nominal voltage {} is outside the BMS supply range 8–70 V.",
                "La tension nominale du parc, {}, est hors de la plage d'alimentation du BMS, 8–70 V.",
                Volts(bank_nominal)
            ),
            lang.pick(
                "Use a 12, 24 or 48 V Lithium NG bank.",
                "Utilisez un parc Lithium NG de 12, 24 ou 48 V.",
            ),
        ));
    }
    if config.remote == RemoteWiring::Open {
        out.push(finding(
            &REMOTE_OPEN,
            Subject::Terminal {
                name: "remote".to_string(),
            },
            lang.pick(
                "Nothing is wired to Remote L/H, so the BMS reads OFF: LOAD and CHARGER float and every load and \
                 charger stays off.",
                "Rien n'est raccordé à Remote L/H, le BMS lit donc OFF : LOAD et CHARGER sont flottantes et tous \
                 les consommateurs et chargeurs restent coupés.",
            )
            .to_string(),
            lang.pick(
                "Bridge L and H, or fit a system on/off switch between them.",
                "Pontez L et H, ou installez entre elles un interrupteur marche/arrêt du système.",
            ),
        ));
    }
}

fn check_settings(s: &BmsSettings, lang: Lang, out: &mut Vec<Finding>) {
    for p in BMS_PARAMETERS {
        let v = p.get(s);
        if !p.in_range(v) {
            let show = |raw: i64| p.unit.format(raw);
            let name = p.name_in(lang);
            out.push(finding(
                &SETTING_RANGE,
                Subject::Bms,
                format_in!(
                    lang,
                    "{} is {}, outside its range {} … {}; the BMS uses {}.",
                    "« {} » vaut {}, hors de sa plage {} … {} ; le BMS utilise {}.",
                    name,
                    show(v),
                    show(p.min),
                    show(p.max),
                    show(v.clamp(p.min, p.max))
                ),
                format_in!(
                    lang,
                    "Set {} between {} and {}.",
                    "Réglez « {} » entre {} et {}.",
                    name,
                    show(p.min),
                    show(p.max)
                ),
            ));
        }
    }
    let mut order = |ok: bool, message: String, fix: &str| {
        if !ok {
            out.push(finding(&SETTING_ORDER, Subject::Bms, message, fix));
        }
    };
    order(
        s.pre_alarm_cell > s.under_voltage_cell,
        format_in!(
            lang,
            "The pre-alarm level {} is not above the under-voltage level {}: the pre-alarm cannot warn before the \
             loads go off.",
            "Le seuil de préalarme {} n'est pas au-dessus du seuil de sous-tension {} : la préalarme ne peut pas \
             avertir avant la coupure des consommateurs.",
            Volts(s.pre_alarm_cell),
            Volts(s.under_voltage_cell)
        ),
        lang.pick(
            "Set the pre-alarm level above the under-voltage level.",
            "Réglez le seuil de préalarme au-dessus du seuil de sous-tension.",
        ),
    );
    order(
        s.under_voltage_recovery_cell > s.under_voltage_cell,
        format_in!(
            lang,
            "The under-voltage recovery level {} is not above the under-voltage level {}: loads would switch \
             straight back on.",
            "Le seuil de retour après sous-tension {} n'est pas au-dessus du seuil de sous-tension {} : les \
             consommateurs se rallumeraient aussitôt.",
            Volts(s.under_voltage_recovery_cell),
            Volts(s.under_voltage_cell)
        ),
        lang.pick(
            "Set the recovery level above the under-voltage level (default 3.20 V).",
            "Réglez le seuil de retour au-dessus du seuil de sous-tension (3.20 V par défaut).",
        ),
    );
    order(
        s.over_voltage_recovery_cell < s.over_voltage_cell,
        format_in!(
            lang,
            "The over-voltage recovery level {} is not below the over-voltage level {}: chargers would switch \
             straight back on.",
            "Le seuil de retour après surtension {} n'est pas sous le seuil de surtension {} : les chargeurs se \
             rallumeraient aussitôt.",
            Volts(s.over_voltage_recovery_cell),
            Volts(s.over_voltage_cell)
        ),
        lang.pick(
            "Set the over-voltage recovery level below the over-voltage level.",
            "Réglez le seuil de retour après surtension sous le seuil de surtension.",
        ),
    );
    order(
        s.over_voltage_cell > s.under_voltage_recovery_cell,
        format_in!(
            lang,
            "The over-voltage level {} is not above the under-voltage recovery level {}.",
            "Le seuil de surtension {} n'est pas au-dessus du seuil de retour après sous-tension {}.",
            Volts(s.over_voltage_cell),
            Volts(s.under_voltage_recovery_cell)
        ),
        lang.pick(
            "Set the over-voltage level above the under-voltage recovery level.",
            "Réglez le seuil de surtension au-dessus du seuil de retour après sous-tension.",
        ),
    );
    order(
        s.charge_temp_min < s.charge_temp_max && s.discharge_temp_min < s.discharge_temp_max,
        lang.pick(
            "A temperature window's minimum is not below its maximum, so that output can never be on.",
            "Le minimum d'une plage de température n'est pas sous son maximum : la sortie concernée ne peut \
             jamais être active.",
        )
        .to_string(),
        lang.pick(
            "Set each temperature window's minimum below its maximum.",
            "Réglez le minimum de chaque plage de température sous son maximum.",
        ),
    );
    order(
        u32::from(s.discharge_floor.0) + u32::from(s.discharge_floor_band.0) <= 1000,
        lang.pick(
            "The discharge floor plus its warning band is above 100 %.",
            "Le seuil de décharge plus sa bande d'avertissement dépasse 100 %.",
        )
        .to_string(),
        lang.pick(
            "Lower the discharge floor or its warning band.",
            "Abaissez le seuil de décharge ou sa bande d'avertissement.",
        ),
    );
}

fn check_fuse(config: &SystemConfig, lang: Lang, out: &mut Vec<Finding>) {
    let fuse = config.supply_fuse;
    if fuse < FUSE_MIN || fuse > FUSE_MAX {
        out.push(finding(
            &FUSE_RANGE,
            Subject::Bms,
            format_in!(
                lang,
                "The BMS supply fuse is {}; the datasheet asks for 0.3–2.5 A.",
                "Le fusible d'alimentation du BMS fait {} ; la fiche technique demande 0.3–2.5 A.",
                amps(fuse)
            ),
            lang.pick(
                "Fit a fuse between 0.3 A and 2.5 A, sized from what LOAD and PRE-ALARM drive.",
                "Installez un fusible entre 0.3 A et 2.5 A, dimensionné selon ce que commandent LOAD et PRE-ALARM.",
            ),
        ));
    }
    let demand = super::output_demand(config);
    let own = config.bms.consumption_on.to_milliamps();
    let need = Milliamps(demand.total().0.saturating_add(own.0));
    if fuse < need {
        out.push(finding(
            &FUSE_TOO_SMALL,
            Subject::Bms,
            format_in!(
                lang,
                "The BMS supply fuse is {} but the outputs drive {} (LOAD {}, PRE-ALARM {}, CHARGER {}) plus {} \
                 for the BMS itself.",
                "Le fusible d'alimentation du BMS fait {} mais les sorties commandent {} (LOAD {}, PRE-ALARM {}, \
                 CHARGER {}), plus {} pour le BMS lui-même.",
                amps(fuse),
                amps(demand.total()),
                amps(demand.load),
                amps(demand.pre_alarm),
                amps(demand.charger),
                amps(own)
            ),
            format_in!(
                lang,
                "Fit a supply fuse of at least {} (and at most 2.5 A), or drive less from the outputs.",
                "Installez un fusible d'alimentation d'au moins {} (et d'au plus 2.5 A), ou commandez moins depuis \
                 les sorties.",
                amps(need)
            ),
        ));
    }
}

fn check_outputs(config: &SystemConfig, lang: Lang, out: &mut Vec<Finding>) {
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
                lang.pick(
                    " (datasheet table: 500 mA; its feature list says 1 A — the lower value applies)",
                    " (tableau de la fiche technique : 500 mA ; sa liste de fonctions indique 1 A — la valeur la \
                     plus basse s'applique)",
                )
            } else {
                ""
            };
            out.push(finding(
                &OUTPUT_OVER_LIMIT,
                terminal(output),
                format_in!(
                    lang,
                    "{} drives {} ({}) but can source at most {}{}; the output is not short-circuit protected.",
                    "{} commande {} ({}) mais ne peut pas fournir plus de {}{} ; la sortie n'est pas protégée contre \
                     les courts-circuits.",
                    output.label(),
                    amps(total),
                    list.join(", "),
                    amps(limit),
                    note
                ),
                format_in!(
                    lang,
                    "Drive less from {}: use a relay with a smaller coil, or move a device to another output.",
                    "Commandez moins depuis {} : utilisez un relais dont la bobine consomme moins, ou déplacez un \
                     appareil sur une autre sortie.",
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
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let who = named(i, d, lang);
    let control = d.control;

    if matches!(d.kind, DeviceKind::VeBusMultiPlus { .. }) {
        out.push(finding(
            &VEBUS_REFUSED,
            device(i),
            format_in!(
                lang,
                "{}: the smallBMS NG has no VE.Bus port and cannot control a VE.Bus MultiPlus or Quattro.",
                "{} : le smallBMS NG n'a pas de port VE.Bus et ne peut pas commander un MultiPlus ou un Quattro \
                 VE.Bus.",
                who
            ),
            lang.pick(
                "Use the VE.Bus BMS NG for systems with a VE.Bus inverter/charger.",
                "Utilisez le VE.Bus BMS NG pour les systèmes avec un convertisseur/chargeur VE.Bus.",
            ),
        ));
    }

    if !d.kind.supports(system) {
        out.push(finding(
            &SYSTEM_VOLTAGE,
            device(i),
            format_in!(
                lang,
                "{} is not made for a {} system (bank {}).",
                "{} n'est pas conçu pour un système {} (parc {}).",
                who,
                system.label(),
                Volts(bank_nominal)
            ),
            lang.pick(
                "Choose the device variant for this system voltage.",
                "Choisissez la variante de l'appareil pour cette tension système.",
            ),
        ));
    }

    if let Some(c) = control {
        if c.output == BmsOutput::Charger && d.kind.is_inductive() {
            out.push(finding(
                &INDUCTIVE_ON_CHARGER,
                device(i),
                format_in!(
                    lang,
                    "{} is an inductive load on the CHARGER output, which is not suitable for a relay coil.",
                    "{} est une charge inductive sur la sortie CHARGER, qui ne convient pas pour une bobine de \
                     relais.",
                    who
                ),
                lang.pick(
                    "Drive the relay or contactor from LOAD, or let CHARGER drive a Cyrix-Li-Charge or a \
                     BatteryProtect instead.",
                    "Commandez le relais ou le contacteur depuis LOAD, ou faites plutôt commander par CHARGER un \
                     Cyrix-Li-Charge ou un BatteryProtect.",
                ),
            ));
        }
        check_cable(i, d, &who, lang, out);
        if c.output == BmsOutput::PreAlarm
            && (d.kind.is_switch() || d.kind.power_role().is_some())
            && !matches!(d.kind, DeviceKind::Relay(_))
        {
            out.push(finding(
                &ON_PRE_ALARM,
                device(i),
                format_in!(
                    lang,
                    "{} is driven by PRE-ALARM, which is high only during an alarm: it would run only when the \
                     battery is low.",
                    "{} est commandé par PRE-ALARM, qui n'est haute que pendant une alarme : il ne fonctionnerait \
                     que lorsque la batterie est faible.",
                    who
                ),
                lang.pick(
                    "Drive loads and switches from LOAD, chargers from CHARGER; keep PRE-ALARM for a buzzer, LED \
                     or signalling relay.",
                    "Commandez les consommateurs et les interrupteurs depuis LOAD, les chargeurs depuis CHARGER ; \
                     réservez PRE-ALARM à un avertisseur sonore, un voyant ou un relais de signalisation.",
                ),
            ));
        }
    }

    if let (DeviceKind::BatteryProtect(p), Some(_)) = (&d.kind, control) {
        if p.mode != BpMode::C {
            out.push(finding(
                &BP_NOT_MODE_C,
                device(i),
                format_in!(
                    lang,
                    "{} is driven by the BMS but programmed to mode {:?}; with a BMS it must be in mode C \
                     (Li-ion), where it follows Remote H and stays off 30 s after the BMS output floats.",
                    "{} est commandé par le BMS mais programmé en mode {:?} ; avec un BMS il doit être en mode C \
                     (Li-ion), où il suit Remote H et reste coupé 30 s après que la sortie du BMS devient \
                     flottante.",
                    who,
                    p.mode
                ),
                lang.pick(
                    "Program the BatteryProtect to mode C.",
                    "Programmez le BatteryProtect en mode C.",
                ),
            ));
        }
    }

    if matches!(
        d.kind,
        DeviceKind::CyrixLiCharge(_) | DeviceKind::CyrixLiCt(_)
    ) && control.map(|c| c.output) != Some(BmsOutput::Charger)
    {
        let now = match control {
            Some(c) => format_in!(
                lang,
                "is wired to {}",
                "est raccordée à {}",
                c.output.label()
            ),
            None => lang
                .pick("has no BMS wire", "n'est raccordée à aucune sortie du BMS")
                .to_string(),
        };
        out.push(finding(
            &CYRIX_NOT_ON_CHARGER,
            device(i),
            format_in!(
                lang,
                "{}'s control terminal {}; it belongs on the CHARGER (charge disconnect) output.",
                "La borne de contrôle de {} {} ; elle doit aller sur la sortie CHARGER (déconnexion de chargeur).",
                who,
                now
            ),
            lang.pick(
                "Wire the Cyrix control terminal to CHARGER.",
                "Raccordez la borne de contrôle du Cyrix à CHARGER.",
            ),
        ));
    }

    check_power_path(config, i, d, &who, bank_nominal, lang, out);
}

fn check_cable(i: usize, d: &DeviceConfig, who: &str, lang: Lang, out: &mut Vec<Finding>) {
    let Some(c) = d.control else {
        return;
    };
    let Some(input) = d.kind.remote_input() else {
        if let Some(cable) = c.cable {
            out.push(finding(
                &CABLE_NOT_APPLICABLE,
                device(i),
                format_in!(
                    lang,
                    "{} has no remote input, yet a {} is fitted.",
                    "{} n'a pas d'entrée à distance, mais un {} est monté.",
                    who,
                    cable.in_lang(lang)
                ),
                lang.pick(
                    "Remove the cable: coils, buzzers and LEDs connect straight to the output.",
                    "Retirez le câble : bobines, avertisseurs sonores et voyants se raccordent directement à la \
                     sortie.",
                ),
            ));
        }
        if matches!(
            d.kind,
            DeviceKind::DcLoad { .. } | DeviceKind::VeBusMultiPlus { .. }
        ) {
            out.push(finding(
                &NO_CONTROL_INPUT,
                device(i),
                format_in!(
                    lang,
                    "{} is wired to {} but has no remote, control or coil terminal.",
                    "{} est raccordé à {} mais n'a ni entrée à distance, ni borne de contrôle, ni bobine.",
                    who,
                    c.output.label()
                ),
                lang.pick(
                    "Remove that wire; switch the device's supply through a BatteryProtect or relay instead.",
                    "Retirez ce fil ; coupez plutôt l'alimentation de l'appareil avec un BatteryProtect ou un \
                     relais.",
                ),
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
            format_in!(
                lang,
                "{}'s remote input needs the {} between it and {}; wired directly the BMS cannot switch it \
                 correctly.",
                "L'entrée à distance de {} nécessite le {} entre elle et {} ; raccordée directement, le BMS ne peut \
                 pas la commander correctement.",
                who,
                need.in_lang(lang),
                c.output.label()
            ),
            format_in!(lang, "Fit the {}.", "Montez le {}.", need.in_lang(lang)),
        )),
        (Some(have), None) => out.push(finding(
            &CABLE_NOT_NEEDED,
            device(i),
            format_in!(
                lang,
                "{}'s remote input takes the BMS output directly; the {} would keep it from switching \
                 correctly.",
                "L'entrée à distance de {} se raccorde directement à la sortie du BMS ; le {} l'empêcherait de \
                 commuter correctement.",
                who,
                have.in_lang(lang)
            ),
            lang.pick(
                "Remove the cable and wire the output straight to the remote input (H).",
                "Retirez le câble et raccordez la sortie directement à l'entrée à distance (H).",
            ),
        )),
        (Some(have), Some(need)) => out.push(finding(
            &CABLE_WRONG,
            device(i),
            format_in!(
                lang,
                "{} has the {}, but its remote input needs the {}.",
                "{} a le {}, mais son entrée à distance nécessite le {}.",
                who,
                have.in_lang(lang),
                need.in_lang(lang)
            ),
            format_in!(
                lang,
                "Replace it with the {}.",
                "Remplacez-le par le {}.",
                need.in_lang(lang)
            ),
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
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let chain = match switch_chain(config, i) {
        Ok(chain) => chain,
        Err(e) => {
            out.push(finding(
                &BEHIND_INVALID,
                device(i),
                format_in!(
                    lang,
                    "{}'s power path is not valid: {}.",
                    "Le circuit de puissance de {} n'est pas valide : {}.",
                    who,
                    e.in_lang(lang)
                ),
                lang.pick(
                    "Wire it straight to the bank, or through an existing BatteryProtect, Cyrix or relay.",
                    "Raccordez-le directement au parc, ou via un BatteryProtect, un Cyrix ou un relais existant.",
                ),
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
                        format_in!(
                            lang,
                            "{}'s DC input is wired through {}: a BatteryProtect must never feed an inverter \
                             (inrush and reverse current can damage it).",
                            "L'entrée CC de {} passe par {} : un BatteryProtect ne doit jamais alimenter un \
                             convertisseur (le courant d'appel et le courant inverse peuvent l'endommager).",
                            who,
                            named(j, sw, lang)
                        ),
                        lang.pick(
                            "Connect the inverter straight to the battery and switch it with its remote input from \
                             LOAD.",
                            "Raccordez le convertisseur directement à la batterie et commandez-le par son entrée à \
                             distance depuis LOAD.",
                        ),
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
                    Direction::ToLoad => (
                        lang.pick("a load", "un consommateur"),
                        lang.pick("from the bank to the load", "du parc vers le consommateur"),
                    ),
                    Direction::ToBank => (
                        lang.pick("a charger", "un chargeur"),
                        lang.pick("from the charger into the bank", "du chargeur vers le parc"),
                    ),
                };
                out.push(finding(
                    &WRONG_DIRECTION,
                    device(i),
                    format_in!(
                        lang,
                        "{} is {} behind {}, which does not let current flow {}.",
                        "{} est {} placé derrière {}, qui ne laisse pas passer le courant {}.",
                        who,
                        what,
                        named(j, sw, lang),
                        way
                    ),
                    lang.pick(
                        "Turn the BatteryProtect round (IN to the source), or use a switch that conducts this way.",
                        "Retournez le BatteryProtect (IN côté source), ou utilisez un interrupteur qui conduit dans \
                         ce sens.",
                    ),
                ));
            }
        }
    }

    if d.kind.power_role().is_some() {
        let by = switched_by(config, i);
        let (rule, output, what) = match d.kind.direction() {
            Some(Direction::ToBank) => (
                &CHARGER_NOT_SWITCHED,
                BmsOutput::Charger,
                lang.pick("charger", "chargeur"),
            ),
            _ => (
                &LOAD_NOT_SWITCHED,
                BmsOutput::Load,
                lang.pick("load", "consommateur"),
            ),
        };
        if !by.contains(&output) {
            let now = if by.is_empty() {
                lang.pick(
                    "nothing on the BMS switches it",
                    "rien sur le BMS ne le coupe",
                )
                .to_string()
            } else {
                let names: Vec<&str> = by.iter().map(|o| o.label()).collect();
                let names = names.join(lang.pick(" and ", " et "));
                match (lang, by.len()) {
                    (Lang::En, _) => format!("only {names} switches it"),
                    (Lang::Fr, 1) => format!("seule {names} le coupe"),
                    (Lang::Fr, _) => format!("seules {names} le coupent"),
                }
            };
            out.push(finding(
                rule,
                device(i),
                format_in!(
                    lang,
                    "{} is a {} but the BMS {} output cannot switch it off ({}).",
                    "{} est un {} mais la sortie {} du BMS ne peut pas le couper ({}).",
                    who,
                    what,
                    output.label(),
                    now
                ),
                format_in!(
                    lang,
                    "Wire its remote input to {}, or put it behind a BatteryProtect/Cyrix/relay driven by {}.",
                    "Raccordez son entrée à distance à {}, ou placez-le derrière un BatteryProtect/Cyrix/relais \
                     commandé par {}.",
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
                format_in!(
                    lang,
                    "{} is rated {} A continuous but carries up to {} A.",
                    "{} a un calibre de {} A en continu mais conduit jusqu'à {} A.",
                    who,
                    rating,
                    worst / 1000
                ),
                lang.pick(
                    "Use a bigger model, or split the devices over two switches.",
                    "Utilisez un modèle plus gros, ou répartissez les appareils sur deux interrupteurs.",
                ),
            ));
        }
    }
}
