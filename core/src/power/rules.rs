//! Rules of the power side: voltage drop, cable ampacity against its fuse, fuse sizing, voltage rating and
//! breaking capacity, the bank's continuous ratings, parallel-string balance and inverter size. Each rule is listed
//! once in [`POWER_RULES`] with its id, severity and source; [`check_in`] returns one finding per violation with
//! the figures and the fix, in English or French.
//!
//! Sources: WU-DC (Wiring Unlimited, DC wiring chapter), "updates.md §4" (Wiring Unlimited's theory chapter and the
//! fuse and ampacity notes gathered there), NG12-TD (Lithium NG technical data), LSBNG-COM (Lynx Smart BMS NG
//! commissioning).
use super::analysis::{self, CableId, CableReport, PowerReport};
use super::tables::{self, FUSE_MARGIN};
use crate::battery::BankConfig;
use crate::devices::DeviceKind;
use crate::finding::{Finding, Severity, Subject};
use crate::lang::{format_in, Lang};
use crate::system::rules::{finding, named, rule_def, Rule};
use crate::system::SystemConfig;
use alloc::string::String;
use alloc::vec::Vec;

rule_def!(
    NOT_ENTERED,
    "power.not_entered",
    Info,
    "WU-DC",
    "Every power cable has its cross-section and length entered, so its drop and fuse can be checked.",
    "Chaque câble de puissance a sa section et sa longueur renseignées, pour vérifier sa chute de tension et son fusible."
);
rule_def!(
    VOLTAGE_DROP,
    "power.voltage_drop",
    Warning,
    "updates.md §4 (Wiring Unlimited)",
    "The voltage drop from the bank to each device stays within 2.5 % of the system voltage at its maximum current.",
    "La chute de tension du parc jusqu'à chaque appareil reste sous 2,5 % de la tension du système à son courant maximal."
);
rule_def!(
    VOLTAGE_DROP_EXCESSIVE,
    "power.voltage_drop_excessive",
    Error,
    "updates.md §4 (Wiring Unlimited)",
    "No voltage drop above twice the 2.5 % target (5 %): devices see too low a voltage and fuses blow early.",
    "Aucune chute de tension au-delà du double de l'objectif de 2,5 % (5 %) : les appareils voient une tension trop basse et les fusibles sautent trop tôt."
);
rule_def!(
    CABLE_AMPACITY,
    "power.cable_ampacity",
    Error,
    "updates.md §4 (ampacity table)",
    "A cable's ampacity is at least its fuse rating (or its current where it has no fuse).",
    "Le courant admissible d'un câble est au moins le calibre de son fusible (ou son courant s'il n'a pas de fusible)."
);
rule_def!(
    FUSE_MISSING,
    "power.fuse_missing",
    Warning,
    "updates.md §4 (Lynx Smart BMS manual)",
    "Every device circuit is fused where it leaves the bank side.",
    "Chaque circuit d'appareil est protégé par un fusible à son départ."
);
rule_def!(
    MAIN_FUSE_MISSING,
    "power.main_fuse_missing",
    Error,
    "updates.md §1.2 b (Lynx Smart BMS: fusing is done externally)",
    "The bank has a main fuse in its positive cable.",
    "Le parc a un fusible principal dans son câble positif."
);
rule_def!(
    FUSE_TOO_SMALL,
    "power.fuse_too_small",
    Warning,
    "updates.md §4 (fuse = current × 125 %)",
    "A fuse is rated at least 1.25 × the circuit's continuous current, so it does not blow in normal use.",
    "Un fusible a un calibre d'au moins 1,25 × le courant permanent du circuit, pour ne pas sauter en usage normal."
);
rule_def!(
    FUSE_VOLTAGE,
    "power.fuse_voltage",
    Error,
    "updates.md §4 (Lynx Smart BMS manual)",
    "A fuse's DC voltage rating is at least the bank's highest (charge) voltage.",
    "La tension nominale CC d'un fusible est au moins la tension la plus haute (de charge) du parc."
);
rule_def!(
    FUSE_BREAKING,
    "power.fuse_breaking",
    Error,
    "updates.md §4; NG12-TD (internal resistance)",
    "The bank's fuses can break the lithium bank's short-circuit current.",
    "Les fusibles du parc peuvent couper le courant de court-circuit du parc lithium."
);
rule_def!(
    STRING_FUSE_MISSING,
    "power.string_fuse_missing",
    Warning,
    "LSBNG-COM",
    "Each paralleled battery or series string is fused.",
    "Chaque batterie ou chaîne série en parallèle a son fusible."
);
rule_def!(
    PARALLEL_IMBALANCE,
    "power.parallel_imbalance",
    Warning,
    "WU-DC",
    "Parallel strings are wired so each sees the same resistance (busbar or diagonal wiring).",
    "Les chaînes en parallèle sont câblées pour voir la même résistance (barre omnibus ou câblage en diagonale)."
);
rule_def!(
    DISCHARGE_OVER_RATING,
    "bank.discharge_over_rating",
    Error,
    "NG12-TD",
    "What the loads draw together stays within the bank's continuous discharge rating (1C per battery; 2C for 10 s).",
    "Ce que les consommateurs tirent ensemble reste dans le courant de décharge permanent du parc (1C par batterie ; 2C pendant 10 s)."
);
rule_def!(
    CHARGE_OVER_RATING,
    "bank.charge_over_rating",
    Error,
    "NG12-TD",
    "What the chargers push together stays within the bank's continuous charge rating.",
    "Ce que les chargeurs fournissent ensemble reste dans le courant de charge permanent du parc."
);
rule_def!(
    INVERTER_SIZE,
    "power.inverter_size",
    Warning,
    "WU-DC",
    "Inverter size suits the system voltage: 12 V up to 3000 VA, 24 V up to 5000 VA, 48 V above.",
    "La puissance du convertisseur convient à la tension du système : 12 V jusqu'à 3000 VA, 24 V jusqu'à 5000 VA, 48 V au-delà."
);

/// Every power-side rule, in the order findings are given.
pub const POWER_RULES: &[Rule] = &[
    NOT_ENTERED,
    MAIN_FUSE_MISSING,
    FUSE_BREAKING,
    STRING_FUSE_MISSING,
    PARALLEL_IMBALANCE,
    DISCHARGE_OVER_RATING,
    CHARGE_OVER_RATING,
    VOLTAGE_DROP_EXCESSIVE,
    VOLTAGE_DROP,
    CABLE_AMPACITY,
    FUSE_MISSING,
    FUSE_TOO_SMALL,
    FUSE_VOLTAGE,
    INVERTER_SIZE,
];

/// The power-side findings in English.
pub fn check(bank: &BankConfig, system: &SystemConfig) -> Vec<Finding> {
    check_in(bank, system, Lang::En)
}

/// The power-side findings in `lang`: same ids, severities, subjects and order in every language.
pub fn check_in(bank: &BankConfig, system: &SystemConfig, lang: Lang) -> Vec<Finding> {
    let report = analysis::analyse_in(bank, system, lang);
    check_report(&report, bank, system, lang)
}

/// The findings of an already computed report.
pub fn check_report(
    r: &PowerReport,
    bank: &BankConfig,
    system: &SystemConfig,
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let w = &system.power;
    let missing: Vec<&CableReport> = r
        .cables
        .iter()
        .filter(|c| c.cable.is_none() && c.id != CableId::Interconnect)
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|c| cable_name(c, lang)).collect();
        out.push(finding(
            &NOT_ENTERED,
            Subject::Bank,
            format_in!(
                lang,
                "{} power cable(s) have no size or length entered, so their voltage drop and fuses are not checked: {}",
                "{} câble(s) de puissance n'ont ni section ni longueur renseignées : leur chute de tension et leurs fusibles ne sont pas vérifiés : {}",
                missing.len(),
                names.join(", ")
            ),
            lang.pick(
                "Enter each cable's cross-section and one-way length, or press \"Size everything\" for a suggestion.",
                "Renseignez la section et la longueur aller de chaque câble, ou appuyez sur « Tout dimensionner » pour une proposition.",
            ),
        ));
    }
    let bank_entered = w.is_entered();
    if bank_entered && w.main.fuse.is_none() {
        out.push(finding(
            &MAIN_FUSE_MISSING,
            Subject::Bank,
            String::from(lang.pick(
                "The main cable from the bank has no fuse: a short circuit on it is limited only by the batteries.",
                "Le câble principal du parc n'a pas de fusible : un court-circuit n'y est limité que par les batteries.",
            )),
            lang.pick(
                "Put a fuse (Class T for a lithium bank) in the positive cable, as close to the battery as possible.",
                "Placez un fusible (classe T pour un parc lithium) dans le câble positif, au plus près de la batterie.",
            ),
        ));
    }
    check_breaking(r, bank, system, lang, &mut out);
    if bank.parallel >= 2 && bank_entered && w.string_fuse.is_none() {
        out.push(finding(
            &STRING_FUSE_MISSING,
            Subject::Bank,
            format_in!(
                lang,
                "{} strings are in parallel without a fuse each: a fault in one battery is fed by all the others.",
                "{} chaînes sont en parallèle sans fusible chacune : un défaut dans une batterie est alimenté par toutes les autres.",
                bank.parallel
            ),
            lang.pick(
                "Fuse each paralleled battery or series string (a Class T or MEGA fuse at each battery's positive).",
                "Protégez chaque batterie ou chaîne en parallèle par un fusible (classe T ou MEGA au positif de chaque batterie).",
            ),
        ));
    }
    if let Some(imb) = r.imbalance_percent {
        if imb > f64::from(w.params.imbalance_percent) {
            let max = r.string_currents_a.iter().cloned().fold(f64::MIN, f64::max);
            let min = r.string_currents_a.iter().cloned().fold(f64::MAX, f64::min);
            out.push(finding(
                &PARALLEL_IMBALANCE,
                Subject::Bank,
                format_in!(
                    lang,
                    "With the strings daisy-chained this way, at {:.0} A the most loaded string carries {:.1} A and the least {:.1} A ({:.0} % apart, limit {} %, assumed): the busiest batteries age faster.",
                    "Avec les chaînes reliées ainsi en cascade, à {:.0} A la chaîne la plus chargée porte {:.1} A et la moins chargée {:.1} A ({:.0} % d'écart, limite {} %, supposée) : les batteries les plus sollicitées vieillissent plus vite.",
                    r.cables.first().map_or(0.0, |c| c.current_a),
                    max,
                    min,
                    imb,
                    w.params.imbalance_percent
                ),
                lang.pick(
                    "Take the positive at the first battery and the negative at the last (diagonal), or give each string an equal-length lead to a busbar.",
                    "Prenez le positif sur la première batterie et le négatif sur la dernière (diagonale), ou donnez à chaque chaîne un câble de même longueur vers une barre omnibus.",
                ),
            ));
        }
    }
    if r.continuous_discharge_a > 0.0 && r.discharge_a > r.continuous_discharge_a {
        out.push(finding(
            &DISCHARGE_OVER_RATING,
            Subject::Bank,
            format_in!(
                lang,
                "The loads can draw {:.0} A together; the bank is rated {:.0} A continuous ({:.0} A for 10 s).",
                "Les consommateurs peuvent tirer {:.0} A ensemble ; le parc admet {:.0} A en permanence ({:.0} A pendant 10 s).",
                r.discharge_a,
                r.continuous_discharge_a,
                r.pulse_discharge_a
            ),
            lang.pick(
                "Add batteries in parallel, or make sure the big loads never run together.",
                "Ajoutez des batteries en parallèle, ou faites en sorte que les gros consommateurs ne fonctionnent jamais ensemble.",
            ),
        ));
    }
    if r.continuous_charge_a > 0.0 && r.charge_a > r.continuous_charge_a {
        out.push(finding(
            &CHARGE_OVER_RATING,
            Subject::Bank,
            format_in!(
                lang,
                "The chargers can push {:.0} A together; the bank is rated {:.0} A continuous charge.",
                "Les chargeurs peuvent fournir {:.0} A ensemble ; le parc admet {:.0} A de charge en permanence.",
                r.charge_a,
                r.continuous_charge_a
            ),
            lang.pick(
                "Limit the chargers' current, or add batteries in parallel.",
                "Limitez le courant des chargeurs, ou ajoutez des batteries en parallèle.",
            ),
        ));
    }
    for c in &r.cables {
        check_cable(c, r, system, lang, &mut out);
        if let CableId::Device(i) = c.id {
            if let Some(d) = system.devices.get(i) {
                check_inverter(i, d, c, r, lang, &mut out);
            }
        }
    }
    out
}

/// The findings about one cable alone (drop, ampacity, its fuse): what a suggestion for it must clear.
pub fn cable_findings(
    r: &PowerReport,
    system: &SystemConfig,
    id: CableId,
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(c) = r.cable(id) {
        check_cable(c, r, system, lang, &mut out);
    }
    out
}

/// The cable and where it goes, in words.
pub fn cable_name(c: &CableReport, lang: Lang) -> String {
    match c.id {
        CableId::Main => format_in!(
            lang,
            "main cable ({} → {})",
            "câble principal ({} → {})",
            c.from,
            c.to
        ),
        CableId::Interconnect => {
            String::from(lang.pick("battery interconnect", "liaison entre batteries"))
        }
        CableId::Device(_) => format_in!(lang, "cable {} → {}", "câble {} → {}", c.from, c.to),
    }
}

fn subject(id: CableId) -> Subject {
    match id {
        CableId::Device(index) => Subject::Device { index },
        _ => Subject::Bank,
    }
}

fn who(c: &CableReport, system: &SystemConfig, lang: Lang) -> String {
    match c.id {
        CableId::Device(i) => match system.devices.get(i) {
            Some(d) => format_in!(
                lang,
                "The cable to {}",
                "Le câble vers {}",
                named(i, d, lang)
            ),
            None => cable_name(c, lang),
        },
        CableId::Main => String::from(lang.pick("The main cable", "Le câble principal")),
        CableId::Interconnect => {
            String::from(lang.pick("A battery interconnect", "Une liaison entre batteries"))
        }
    }
}

fn check_cable(
    c: &CableReport,
    r: &PowerReport,
    system: &SystemConfig,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let p = &system.power.params;
    let limit = f64::from(p.max_drop_permille) / 10.0;
    let Some(cable) = c.cable else {
        return;
    };
    if c.id != CableId::Interconnect && c.current_a > 0.0 {
        let pct = c.path_drop_percent;
        let rule = if pct > 2.0 * limit {
            Some(&VOLTAGE_DROP_EXCESSIVE)
        } else if pct > limit {
            Some(&VOLTAGE_DROP)
        } else {
            None
        };
        if let Some(rule) = rule {
            let suggested = super::suggest::suggest_in_report(r, system, c.id);
            let fix = match suggested {
                Ok(s) => format_in!(
                    lang,
                    "Use {} (≈ AWG {}) or shorten the run; a thicker main cable or a higher system voltage also helps. Press \"Suggest\" to apply it.",
                    "Utilisez du {} (≈ AWG {}) ou raccourcissez la liaison ; un câble principal plus gros ou une tension de système plus haute aident aussi. Appuyez sur « Proposer » pour l'appliquer.",
                    s.cable.cross_section_mm2,
                    tables::awg(s.cable.cross_section_mm2).unwrap_or("—")
                ),
                Err(_) => String::from(lang.pick(
                    "No standard cable size is enough on its own: shorten the run, thicken the cables upstream, or raise the system voltage (Wiring Unlimited).",
                    "Aucune section standard ne suffit seule : raccourcissez la liaison, grossissez les câbles en amont ou augmentez la tension du système (Wiring Unlimited).",
                )),
            };
            out.push(finding(
                rule,
                subject(c.id),
                format_in!(
                    lang,
                    "{} ({}, {} one way) drops {:.2} V at {:.0} A; from the bank that is {:.2} V = {:.1} % of {:.1} V (limit {:.1} %).",
                    "{} ({}, {} aller) chute de {:.2} V à {:.0} A ; depuis le parc cela fait {:.2} V = {:.1} % de {:.1} V (limite {:.1} %).",
                    who(c, system, lang),
                    cable.cross_section_mm2,
                    cable.length_m,
                    c.drop_v.unwrap_or(0.0),
                    c.current_a,
                    c.path_drop_v,
                    pct,
                    r.system_v,
                    limit
                ),
                fix,
            ));
        }
    }
    if let Some(amp) = c.ampacity {
        let need = c.fuse.map_or(c.current_a, |f| f64::from(f.rating_a));
        if need > amp.amps + 1e-9 {
            out.push(finding(
                &CABLE_AMPACITY,
                subject(c.id),
                format_in!(
                    lang,
                    "{} ({}) carries {:.0} A continuously ({}, {}), less than {} ({:.0} A): the cable can overheat before the fuse blows.",
                    "{} ({}) admet {:.0} A en permanence ({}, {}), moins que {} ({:.0} A) : le câble peut chauffer avant que le fusible ne saute.",
                    who(c, system, lang),
                    cable.cross_section_mm2,
                    amp.amps,
                    amp.basis.label(lang),
                    tables::ampacity_assumptions(lang),
                    match c.fuse {
                        Some(_) => lang.pick("its fuse", "son fusible"),
                        None => lang.pick("its current", "son courant"),
                    },
                    need
                ),
                lang.pick(
                    "Use a thicker cable, or a smaller fuse that still carries the current.",
                    "Utilisez un câble plus gros, ou un fusible plus petit qui passe encore le courant.",
                ),
            ));
        }
    }
    let is_device = matches!(c.id, CableId::Device(_));
    match c.fuse {
        None if is_device && c.current_a > 0.0 && c.upstream.is_empty() => out.push(finding(
            &FUSE_MISSING,
            subject(c.id),
            format_in!(
                lang,
                "{} ({}) has no fuse.",
                "{} ({}) n'a pas de fusible.",
                who(c, system, lang),
                cable.cross_section_mm2
            ),
            lang.pick(
                "Fuse it where it leaves the busbar or battery (press \"Suggest\" for a rating).",
                "Mettez-lui un fusible à son départ de la barre omnibus ou de la batterie (« Proposer » donne un calibre).",
            ),
        )),
        None => {}
        Some(f) => {
            let min = c.current_a * FUSE_MARGIN;
            if f64::from(f.rating_a) + 1e-9 < min {
                out.push(finding(
                    &FUSE_TOO_SMALL,
                    subject(c.id),
                    format_in!(
                        lang,
                        "{}: its {} fuse is below 1.25 × {:.0} A = {:.0} A and will blow in normal use.",
                        "{} : son fusible {} est sous 1,25 × {:.0} A = {:.0} A et sautera en usage normal.",
                        who(c, system, lang),
                        f,
                        c.current_a,
                        min
                    ),
                    lang.pick(
                        "Use the next fuse rating up, with a cable that carries it.",
                        "Prenez le calibre de fusible supérieur, avec un câble qui le supporte.",
                    ),
                ));
            }
            if f64::from(f.voltage_rating()) + 1e-9 < r.max_v {
                out.push(finding(
                    &FUSE_VOLTAGE,
                    subject(c.id),
                    format_in!(
                        lang,
                        "{}: its {} fuse is rated {} V DC{}, below the bank's {:.1} V: it may not break the arc.",
                        "{} : son fusible {} est prévu pour {} V CC{}, moins que les {:.1} V du parc : il risque de ne pas couper l'arc.",
                        who(c, system, lang),
                        f,
                        f.voltage_rating(),
                        if f.voltage_rating_v.is_none() {
                            lang.pick(" (typical of the type, assumed)", " (valeur typique du type, supposée)")
                        } else {
                            ""
                        },
                        r.max_v
                    ),
                    lang.pick(
                        "Use a fuse rated for the system voltage (58 V types for 48 V, or Class T).",
                        "Utilisez un fusible prévu pour la tension du système (types 58 V en 48 V, ou classe T).",
                    ),
                ));
            }
        }
    }
}

fn check_inverter(
    i: usize,
    d: &crate::system::DeviceConfig,
    c: &CableReport,
    r: &PowerReport,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    if !matches!(&d.kind, DeviceKind::Remote(_)) || !d.kind.is_inverter() {
        return;
    }
    let factor = crate::devices::SystemVoltage::from_nominal(crate::units::Millivolts(
        (r.system_v * 1000.0) as i32,
    ))
    .factor();
    let va = c.current_a * r.system_v;
    if let Some(max) = tables::preferred_inverter_max_va(factor) {
        if va > f64::from(max) {
            out.push(finding(
                &INVERTER_SIZE,
                Subject::Device { index: i },
                format_in!(
                    lang,
                    "{} draws about {:.0} W at {:.1} V; Wiring Unlimited prefers at most {} VA on this system voltage.",
                    "{} tire environ {:.0} W sous {:.1} V ; Wiring Unlimited préfère au plus {} VA à cette tension de système.",
                    named(i, d, lang),
                    va,
                    r.system_v,
                    max
                ),
                lang.pick(
                    "Consider a higher system voltage (24 V or 48 V) and DC-DC converters for the 12 V loads.",
                    "Envisagez une tension de système plus haute (24 V ou 48 V) et des convertisseurs CC-CC pour les consommateurs 12 V.",
                ),
            ));
        }
    }
}

fn check_breaking(
    r: &PowerReport,
    bank: &BankConfig,
    system: &SystemConfig,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    let w = &system.power;
    let (Some(total), Some(per_string)) = (r.short_circuit_a, string_short_circuit_a(r, bank))
    else {
        return;
    };
    // Fuses in every string each break only their own string's current, and clear a fault between them.
    let strings_ok = w
        .string_fuse
        .is_some_and(|f| f64::from(f.breaking_capacity()) >= per_string);
    if let Some(f) = w.string_fuse {
        if f64::from(f.breaking_capacity()) < per_string {
            out.push(breaking_finding(lang, f, per_string, true));
        }
    }
    if let Some(f) = w.main.fuse {
        if !strings_ok && f64::from(f.breaking_capacity()) < total {
            out.push(breaking_finding(lang, f, total, false));
        }
    }
}

fn breaking_finding(lang: Lang, f: super::Fuse, isc: f64, string: bool) -> Finding {
    finding(
        &FUSE_BREAKING,
        Subject::Bank,
        format_in!(
            lang,
            "The {} ({}) breaks {} A{}; the {} can deliver about {:.0} A into a short circuit (from the batteries' internal resistance).",
            "Le {} ({}) coupe {} A{} ; {} peut débiter environ {:.0} A dans un court-circuit (d'après la résistance interne des batteries).",
            if string { lang.pick("string fuse", "fusible de chaîne") } else { lang.pick("main fuse", "fusible principal") },
            f,
            f.breaking_capacity(),
            if f.breaking_capacity_a.is_none() {
                lang.pick(" (typical of the type, assumed)", " (valeur typique du type, supposée)")
            } else {
                ""
            },
            if string { lang.pick("string", "la chaîne") } else { lang.pick("bank", "le parc") },
            isc
        ),
        lang.pick(
            "Use a Class T fuse (20 kA or more), or fuse each battery so each fuse only sees its own battery's current.",
            "Utilisez un fusible de classe T (20 kA ou plus), ou un fusible par batterie pour que chacun ne voie que le courant de sa batterie.",
        ),
    )
}

/// Prospective short-circuit current of one string, A (with its interconnects where entered).
pub fn string_short_circuit_a(r: &PowerReport, bank: &BankConfig) -> Option<f64> {
    let total = r.short_circuit_a?;
    Some(total / f64::from(bank.parallel.max(1)))
}

/// Whether a finding is one of the power side's.
pub fn is_power_rule(id: &str) -> bool {
    POWER_RULES.iter().any(|r| r.id == id)
}
