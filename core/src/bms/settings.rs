//! smallBMS NG settings: every threshold, delay, limit and consumption the state machine uses, and one table
//! ([`BMS_PARAMETERS`]) describing each of them for the UI (name, unit, range, source, *assumed* or datasheet).
//!
//! "Datasheet" means `shared/seed/smallBMS-NG-datasheet.fr.txt` (authoritative). "Assumed" means the datasheet is
//! silent and the default comes from a sibling product (source key of `shared/reference/victron-behaviour.md`);
//! the UI labels those "assumed from sibling products".
use crate::devices::Microamps;
use crate::lang::Lang;
use crate::units::{DeciCelsius, Milliamps, Millis, Millivolts, Permille};
use alloc::format;
use alloc::string::String;
use serde::{Deserialize, Serialize};

/// Everything about the smallBMS NG a user may edit. `Default` gives the values of SPEC §1–§2.
///
/// Deserialising fills missing fields from `Default`, so older saved systems keep loading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BmsSettings {
    /// Cell voltage below which the pre-alarm output goes high. *Assumed* 3.10 V: smallBMS / Smart battery default,
    /// adjustable 2.85–3.15 V (SB-R1).
    pub pre_alarm_cell: Millivolts,
    /// The pre-alarm (cell cause) releases once every cell is at least this. *Assumed* 3.15 V: simulator
    /// hysteresis so a cell hovering at 3.10 V under load does not chatter (no source).
    pub pre_alarm_recovery_cell: Millivolts,
    /// Cell under-voltage: LOAD floats (after the pre-alarm lead). *Assumed* 2.80 V: Lithium NG end of
    /// discharge 11.2 V = 2.8 V/cell (NG12-TD); Smart range 2.6–2.8 V (SB-R1).
    pub under_voltage_cell: Millivolts,
    /// After an under-voltage trip LOAD stays off until every cell is at least this. *Assumed* 3.20 V
    /// (LSB-SEQ p44, Lynx Smart BMS).
    pub under_voltage_recovery_cell: Millivolts,
    /// Cell over-voltage: CHARGER floats. *Assumed* 3.65 V: common LFP limit; NG charge 3.50–3.55 V/cell
    /// (NG12-TD); Smart batteries used 3.75 V (LSB-P24).
    pub over_voltage_cell: Millivolts,
    /// CHARGER comes back once every cell is below this. *Assumed* 3.50 V: the Smart battery's 0.15 V
    /// hysteresis (3.75 V off, < 3.6 V on, LSB-SEQ p37) applied to 3.65 V.
    pub over_voltage_recovery_cell: Millivolts,
    /// Charging allowed from this temperature (below: CHARGER floats). *Assumed* +5 °C (NG51-TD).
    pub charge_temp_min: DeciCelsius,
    /// Charging allowed up to this temperature (above: CHARGER floats). *Assumed* +50 °C (NG51-TD).
    pub charge_temp_max: DeciCelsius,
    /// Discharging allowed from this temperature (below: LOAD floats). *Assumed* −20 °C (NG12-TD, NG51-TD).
    pub discharge_temp_min: DeciCelsius,
    /// Discharging allowed up to this temperature (above: LOAD floats). *Assumed* +50 °C (NG12-TD, NG51-TD).
    pub discharge_temp_max: DeciCelsius,
    /// A temperature block releases only this far back inside its window. *Assumed* 2.0 °C (simulator
    /// hysteresis, no source).
    pub temperature_hysteresis: DeciCelsius,
    /// Discharge floor: at or below this SoC LOAD floats immediately (low-SoC alarm). Behaviour: datasheet;
    /// default *assumed* 10 % (SPEC §2, unconfirmed). 0 disables the floor.
    pub discharge_floor: Permille,
    /// Warning band above the floor: low-SoC warning + pre-alarm; LOAD comes back once SoC is above the band
    /// again. Behaviour: datasheet ("approaching the floor"); width *assumed* 5 % (SPEC §2).
    pub discharge_floor_band: Permille,
    /// Minimum time the pre-alarm is high before LOAD floats for cell under-voltage. Datasheet: "at least 30 s".
    pub pre_alarm_lead: Millis,
    /// How long PRE-ALARM stays high after LOAD floated for cell under-voltage; 0 = until every cell has recovered.
    /// *Assumed* 0: the datasheet says when the pre-alarm starts (at least 30 s before the shutdown), not when it
    /// ends. It matters for standby drain: a 20 mA buzzer on PRE-ALARM drains the bank for as long as it sounds.
    /// Missing in saved systems = 0, the behaviour before this setting existed.
    pub pre_alarm_after_shutdown: Millis,
    /// Below this supply voltage the BMS is unpowered: every output floats. Datasheet: 8–70 V.
    pub supply_min: Millivolts,
    /// A high output sits this far below the supply. Datasheet: Vbat − 0.1 V.
    pub output_drop: Millivolts,
    /// LOAD source limit. Datasheet: 1 A, not short-circuit protected.
    pub load_limit: Milliamps,
    /// CHARGER source limit. Datasheet: 500 mA, not short-circuit protected (siblings: 10 mA, VBNG-SPEC).
    pub charger_limit: Milliamps,
    /// PRE-ALARM source limit. Datasheet table: 500 mA (its feature list says 1 A; the lower value rules).
    pub pre_alarm_limit: Milliamps,
    /// Own consumption, remote on (outputs' current excluded). Datasheet: 3 mA.
    pub consumption_on: Microamps,
    /// Own consumption after a low-cell-voltage shutdown. Datasheet: 1.2 mA.
    pub consumption_low_cell: Microamps,
    /// Own consumption with remote off. Datasheet: 1.2 mA.
    pub consumption_remote_off: Microamps,
}

impl Default for BmsSettings {
    fn default() -> Self {
        BmsSettings {
            pre_alarm_cell: Millivolts(3100),
            pre_alarm_recovery_cell: Millivolts(3150),
            under_voltage_cell: Millivolts(2800),
            under_voltage_recovery_cell: Millivolts(3200),
            over_voltage_cell: Millivolts(3650),
            over_voltage_recovery_cell: Millivolts(3500),
            charge_temp_min: DeciCelsius(50),
            charge_temp_max: DeciCelsius(500),
            discharge_temp_min: DeciCelsius(-200),
            discharge_temp_max: DeciCelsius(500),
            temperature_hysteresis: DeciCelsius(20),
            discharge_floor: Permille(100),
            discharge_floor_band: Permille(50),
            pre_alarm_lead: Millis::secs(30),
            pre_alarm_after_shutdown: Millis(0),
            supply_min: Millivolts(8000),
            output_drop: Millivolts(100),
            load_limit: Milliamps(1000),
            charger_limit: Milliamps(500),
            pre_alarm_limit: Milliamps(500),
            consumption_on: Microamps(3000),
            consumption_low_cell: Microamps(1200),
            consumption_remote_off: Microamps(1200),
        }
    }
}

/// The top of the supply range. Datasheet: operating voltage 8–70 V DC. Above it the BMS is taken as off.
pub const SUPPLY_MAX: Millivolts = Millivolts(70_000);

/// The datasheet's minimum pre-alarm lead ("at least 30 s"); the state machine never uses less.
pub const MIN_PRE_ALARM_LEAD: Millis = Millis::secs(30);

/// The unit of a parameter's raw integer value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamUnit {
    Millivolts,
    DeciCelsius,
    Permille,
    Millis,
    Milliamps,
    Microamps,
}

impl ParamUnit {
    /// Raw steps per display unit (V, °C, %, s, A, mA).
    pub fn scale(self) -> i64 {
        match self {
            ParamUnit::Millivolts
            | ParamUnit::Millis
            | ParamUnit::Milliamps
            | ParamUnit::Microamps => 1000,
            ParamUnit::DeciCelsius | ParamUnit::Permille => 10,
        }
    }
    /// A raw value in display units: `3.1 V`, `-20 °C`, `10 %`, `30 s`, `0.5 A`, `1.2 mA`.
    pub fn format(self, raw: i64) -> String {
        let scale = self.scale().unsigned_abs();
        let sign = if raw < 0 { "-" } else { "" };
        let abs = raw.unsigned_abs();
        let frac = abs % scale;
        if frac == 0 {
            format!("{sign}{} {}", abs / scale, self.suffix())
        } else {
            let width = if scale >= 1000 { 3 } else { 1 };
            let digits = format!("{frac:0width$}");
            format!(
                "{sign}{}.{} {}",
                abs / scale,
                digits.trim_end_matches('0'),
                self.suffix()
            )
        }
    }

    /// The display unit.
    pub fn suffix(self) -> &'static str {
        match self {
            ParamUnit::Millivolts => "V",
            ParamUnit::DeciCelsius => "°C",
            ParamUnit::Permille => "%",
            ParamUnit::Millis => "s",
            ParamUnit::Milliamps => "A",
            ParamUnit::Microamps => "mA",
        }
    }
}

/// One editable BMS parameter, described for the UI. Values are raw integers in `unit` (e.g. 3100 mV).
#[derive(Clone, Copy, Debug)]
pub struct ParamInfo {
    /// The field name in [`BmsSettings`] and its JSON.
    pub key: &'static str,
    /// Label for the UI (English; [`ParamInfo::name_in`] for another language).
    pub name: &'static str,
    pub unit: ParamUnit,
    /// Allowed range (inclusive), raw.
    pub min: i64,
    pub max: i64,
    /// `true`: the datasheet is silent; the default comes from a sibling product ("assumed" in the UI).
    pub assumed: bool,
    /// "datasheet" or a key of `victron-behaviour.md`.
    pub source: &'static str,
    /// One line on where the value comes from (English; [`ParamInfo::note_in`] for another language).
    pub note: &'static str,
    name_fr: &'static str,
    note_fr: &'static str,
    get: fn(&BmsSettings) -> i64,
    set: fn(&mut BmsSettings, i64),
}

impl ParamInfo {
    /// The label in `lang`.
    pub fn name_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.name, self.name_fr)
    }
    /// Where the value comes from, in `lang`.
    pub fn note_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.note, self.note_fr)
    }
    /// This parameter's value in `settings`, raw.
    pub fn get(&self, settings: &BmsSettings) -> i64 {
        (self.get)(settings)
    }
    /// The default value, raw (from `BmsSettings::default()`, so the table cannot disagree with it).
    pub fn default_value(&self) -> i64 {
        (self.get)(&BmsSettings::default())
    }
    /// Sets the value, clamped into `min..=max`; returns the value actually stored.
    pub fn set(&self, settings: &mut BmsSettings, value: i64) -> i64 {
        let v = value.clamp(self.min, self.max);
        (self.set)(settings, v);
        v
    }
    /// Whether `value` is inside the allowed range.
    pub fn in_range(&self, value: i64) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

// Setters receive a value already clamped to the parameter's range, so the narrowing casts cannot wrap.
macro_rules! param {
    ($key:ident, $name:expr, $name_fr:expr, $unit:ident, $min:expr, $max:expr, $assumed:expr, $source:expr,
     $note:expr, $note_fr:expr) => {
        ParamInfo {
            key: stringify!($key),
            name: $name,
            name_fr: $name_fr,
            note_fr: $note_fr,
            unit: ParamUnit::$unit,
            min: $min,
            max: $max,
            assumed: $assumed,
            source: $source,
            note: $note,
            get: |s| s.$key.0 as i64,
            set: |s, v| s.$key.0 = v as _,
        }
    };
}

/// Every [`BmsSettings`] field, in UI order.
pub static BMS_PARAMETERS: &[ParamInfo] = &[
    param!(
        pre_alarm_cell,
        "Cell pre-alarm level",
        "Seuil de préalarme de cellule",
        Millivolts,
        2850,
        3150,
        true,
        "SB-R1",
        "smallBMS / Smart battery default 3.10 V, adjustable 2.85–3.15 V",
        "valeur par défaut du smallBMS / des batteries Smart 3.10 V, réglable 2.85–3.15 V"
    ),
    param!(
        pre_alarm_recovery_cell,
        "Pre-alarm release level",
        "Seuil de fin de préalarme",
        Millivolts,
        2850,
        3400,
        true,
        "simulator",
        "hysteresis so the pre-alarm does not chatter; no source",
        "hystérésis pour éviter que la préalarme ne bascule sans cesse ; sans source"
    ),
    param!(
        under_voltage_cell,
        "Cell under-voltage (load off)",
        "Sous-tension de cellule (coupure des consommateurs)",
        Millivolts,
        2600,
        2900,
        true,
        "NG12-TD",
        "Lithium NG end of discharge 11.2 V = 2.80 V/cell; Smart range 2.6–2.8 V (SB-R1)",
        "fin de décharge Lithium NG 11.2 V = 2.80 V/cellule ; plage Smart 2.6–2.8 V (SB-R1)"
    ),
    param!(
        under_voltage_recovery_cell,
        "Under-voltage recovery (all cells)",
        "Retour après sous-tension (toutes les cellules)",
        Millivolts,
        2900,
        3400,
        true,
        "LSB-SEQ",
        "Lynx Smart BMS: loads back on when every cell is ≥ 3.20 V",
        "Lynx Smart BMS : consommateurs rétablis quand chaque cellule est ≥ 3.20 V"
    ),
    param!(
        over_voltage_cell,
        "Cell over-voltage (charge off)",
        "Surtension de cellule (arrêt de la charge)",
        Millivolts,
        3500,
        3800,
        true,
        "NG12-TD",
        "common LFP limit 3.65 V; NG charge 3.50–3.55 V/cell; Smart batteries 3.75 V (LSB-P24)",
        "limite LFP courante 3.65 V ; charge NG 3.50–3.55 V/cellule ; batteries Smart 3.75 V (LSB-P24)"
    ),
    param!(
        over_voltage_recovery_cell,
        "Over-voltage recovery (all cells)",
        "Retour après surtension (toutes les cellules)",
        Millivolts,
        3300,
        3700,
        true,
        "LSB-SEQ",
        "Smart battery hysteresis 0.15 V (3.75 V off, < 3.6 V on) applied to 3.65 V",
        "hystérésis des batteries Smart 0.15 V (arrêt à 3.75 V, marche < 3.6 V) appliquée à 3.65 V"
    ),
    param!(
        charge_temp_min,
        "Charge allowed from",
        "Charge autorisée à partir de",
        DeciCelsius,
        -100,
        150,
        true,
        "NG51-TD",
        "Lithium NG charge temperature +5…+50 °C",
        "température de charge Lithium NG +5…+50 °C"
    ),
    param!(
        charge_temp_max,
        "Charge allowed up to",
        "Charge autorisée jusqu'à",
        DeciCelsius,
        300,
        600,
        true,
        "NG51-TD",
        "Lithium NG charge temperature +5…+50 °C",
        "température de charge Lithium NG +5…+50 °C"
    ),
    param!(
        discharge_temp_min,
        "Discharge allowed from",
        "Décharge autorisée à partir de",
        DeciCelsius,
        -300,
        0,
        true,
        "NG12-TD",
        "Lithium NG discharge temperature −20…+50 °C",
        "température de décharge Lithium NG −20…+50 °C"
    ),
    param!(
        discharge_temp_max,
        "Discharge allowed up to",
        "Décharge autorisée jusqu'à",
        DeciCelsius,
        300,
        650,
        true,
        "NG12-TD",
        "Lithium NG discharge temperature −20…+50 °C",
        "température de décharge Lithium NG −20…+50 °C"
    ),
    param!(
        temperature_hysteresis,
        "Temperature release margin",
        "Marge de retour en température",
        DeciCelsius,
        0,
        100,
        true,
        "simulator",
        "hysteresis so a temperature block does not chatter; no source",
        "hystérésis pour éviter qu'un blocage en température ne bascule sans cesse ; sans source"
    ),
    param!(
        discharge_floor,
        "Discharge floor (0 = off)",
        "Seuil de décharge (0 = désactivé)",
        Permille,
        0,
        990,
        true,
        "datasheet",
        "behaviour from the datasheet; default 10 % assumed (typical Victron default, unconfirmed)",
        "comportement selon la fiche technique ; 10 % par défaut supposé (valeur Victron habituelle, non confirmée)"
    ),
    param!(
        discharge_floor_band,
        "Low-SoC warning band above the floor",
        "Bande d'avertissement d'état de charge bas au-dessus du seuil",
        Permille,
        0,
        500,
        true,
        "datasheet",
        "the datasheet warns when approaching the floor; 5 % band assumed",
        "la fiche technique avertit à l'approche du seuil ; bande de 5 % supposée"
    ),
    param!(
        pre_alarm_lead,
        "Pre-alarm lead before load off",
        "Avance de la préalarme avant coupure des consommateurs",
        Millis,
        30_000,
        600_000,
        false,
        "datasheet",
        "pre-alarm active at least 30 s before the load output switches off",
        "préalarme active au moins 30 s avant la coupure de la sortie LOAD"
    ),
    param!(
        pre_alarm_after_shutdown,
        "Pre-alarm after an under-voltage shutdown (0 = until the cells recover)",
        "Préalarme après une coupure pour sous-tension (0 = jusqu'au retour des cellules)",
        Millis,
        0,
        86_400_000,
        true,
        "simulator",
        "the datasheet says when the pre-alarm starts, not when it ends; 0 keeps it high until every cell recovers \
         (a buzzer on it drains the bank meanwhile)",
        "la fiche technique dit quand la préalarme commence, pas quand elle cesse ; 0 la maintient jusqu'au retour \
         de chaque cellule (un avertisseur branché dessus décharge le parc pendant ce temps)"
    ),
    param!(
        supply_min,
        "Minimum supply voltage",
        "Tension d'alimentation minimale",
        Millivolts,
        8000,
        9000,
        false,
        "datasheet",
        "operating range 8–70 V DC (VE.Bus BMS NG: 9 V)",
        "plage de fonctionnement 8–70 V CC (VE.Bus BMS NG : 9 V)"
    ),
    param!(
        output_drop,
        "Output drop below supply",
        "Chute de tension d'une sortie sous l'alimentation",
        Millivolts,
        0,
        1000,
        false,
        "datasheet",
        "a high output is Vbat − 0.1 V",
        "une sortie haute est à Vbat − 0.1 V"
    ),
    param!(
        load_limit,
        "LOAD output limit",
        "Limite de la sortie LOAD",
        Milliamps,
        0,
        2000,
        false,
        "datasheet",
        "source max 1 A, not short-circuit protected",
        "courant source max. 1 A, non protégée contre les courts-circuits"
    ),
    param!(
        charger_limit,
        "CHARGER output limit",
        "Limite de la sortie CHARGER",
        Milliamps,
        0,
        2000,
        false,
        "datasheet",
        "source max 500 mA, not short-circuit protected (siblings: 10 mA)",
        "courant source max. 500 mA, non protégée contre les courts-circuits (produits proches : 10 mA)"
    ),
    param!(
        pre_alarm_limit,
        "PRE-ALARM output limit",
        "Limite de la sortie PRE-ALARM",
        Milliamps,
        0,
        2000,
        false,
        "datasheet",
        "datasheet table 500 mA, not short-circuit protected; its feature list says 1 A",
        "tableau de la fiche technique 500 mA, non protégée contre les courts-circuits ; sa liste de fonctions \
         indique 1 A"
    ),
    param!(
        consumption_on,
        "Own consumption, remote on",
        "Consommation propre, entrée à distance sur ON",
        Microamps,
        0,
        20_000,
        false,
        "datasheet",
        "3 mA, outputs' current excluded",
        "3 mA, hors courant des sorties"
    ),
    param!(
        consumption_low_cell,
        "Own consumption after low cell voltage",
        "Consommation propre après tension de cellule faible",
        Microamps,
        0,
        20_000,
        false,
        "datasheet",
        "1.2 mA",
        "1.2 mA"
    ),
    param!(
        consumption_remote_off,
        "Own consumption, remote off",
        "Consommation propre, entrée à distance sur OFF",
        Microamps,
        0,
        20_000,
        false,
        "datasheet",
        "1.2 mA",
        "1.2 mA"
    ),
];

impl BmsSettings {
    /// The table entry for `key`.
    pub fn parameter(key: &str) -> Option<&'static ParamInfo> {
        BMS_PARAMETERS.iter().find(|p| p.key == key)
    }

    /// A copy with every value clamped into its parameter range (what the state machine runs on).
    pub fn clamped(&self) -> BmsSettings {
        let mut s = self.clone();
        for p in BMS_PARAMETERS {
            p.set(&mut s, p.get(self));
        }
        s
    }
}
