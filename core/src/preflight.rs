//! What the simulator checks before it runs: the same findings the configurator shows (the bank against the
//! datasheet, the wired system and the power side, [`crate::check::findings_in`]), plus what a
//! scenario does to the smallBMS NG's own operating range (datasheet "Général": −20 to 50 °C).
//!
//! A system with an [`Severity::Error`] finding is outside what the manufacturer allows or will not work; the
//! command line refuses to simulate it unless asked to (`--force`), so a timeline never looks normal for a system
//! that cannot exist.
use crate::battery;
use crate::bms::text::Celsius;
use crate::bms::{OPERATING_TEMP_MAX, OPERATING_TEMP_MIN};
use crate::document::Document;
use crate::finding::{Finding, Severity, Subject};
use crate::lang::{format_in, Lang};
use crate::scenario::{Action, Scenario};
use crate::units::{DeciCelsius, Millivolts};
use alloc::vec::Vec;

/// Id of the finding for a scenario that takes the BMS outside its operating temperature range.
pub const OPERATING_TEMPERATURE: &str = "scenario.operating_temperature";

/// The bank's nominal voltage as the configurator takes it (12.8 V when the bank cannot be built).
pub fn bank_nominal(doc: &Document) -> Millivolts {
    battery::figures(&doc.bank)
        .map(|f| f.nominal_voltage)
        .unwrap_or(Millivolts(12_800))
}

/// Every finding about `doc`, in `lang`: the bank, then the wired system (what the configurator shows), then, with
/// a scenario, the temperatures it sets outside the BMS's operating range.
pub fn findings_in(doc: &Document, scenario: Option<&Scenario>, lang: Lang) -> Vec<Finding> {
    let mut out = crate::check::findings_in(doc, lang);
    if let Some(s) = scenario {
        let start = s.initial_temperature().unwrap_or(doc.bank.ambient);
        let temps =
            core::iter::once((0, start)).chain(s.events.iter().filter_map(|e| match e.action {
                Action::Temperature { celsius, .. } => {
                    Some((e.at_s, DeciCelsius::from_si(celsius)))
                }
                _ => None,
            }));
        if let Some((at_s, t)) = temps
            .into_iter()
            .find(|(_, t)| *t < OPERATING_TEMP_MIN || *t > OPERATING_TEMP_MAX)
        {
            out.push(Finding {
                id: OPERATING_TEMPERATURE,
                severity: Severity::Warning,
                subject: Subject::Bms,
                message: format_in!(
                    lang,
                    "The scenario takes the batteries and the BMS beside them to {} at {} s, outside the smallBMS \
                     NG's operating range {} … {}.",
                    "Le scénario porte les batteries et le BMS à côté d'elles à {} à {} s, hors de la plage de \
                     fonctionnement du smallBMS NG, {} … {}.",
                    Celsius(t),
                    at_s,
                    Celsius(OPERATING_TEMP_MIN),
                    Celsius(OPERATING_TEMP_MAX)
                ),
                fix: lang
                    .pick(
                        "Install the BMS where it stays between −20 and 50 °C; the simulation shows the batteries' \
                         response only.",
                        "Installez le BMS là où il reste entre −20 et 50 °C ; la simulation ne montre que la \
                         réaction des batteries.",
                    )
                    .into(),
                source: "datasheet",
            });
        }
    }
    out
}

/// [`findings_in`] in English.
pub fn findings(doc: &Document, scenario: Option<&Scenario>) -> Vec<Finding> {
    findings_in(doc, scenario, Lang::En)
}

/// Whether any finding forbids the run (an [`Severity::Error`]).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// One sentence for a run started on a system with error findings (the web's Simulate view), in `lang`: how many,
/// what they are, and that the run shows a system the manufacturer does not allow. `None` without errors.
pub fn run_notice_in(findings: &[Finding], lang: Lang) -> Option<alloc::string::String> {
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return None;
    }
    let mut out = crate::lang::format_in!(
        lang,
        "This system has {} error finding(s) (see Configure); the simulation runs anyway but shows a system the \
         manufacturer does not allow:",
        "Ce système a {} constat(s) d'erreur (voir Configurer) ; la simulation tourne quand même mais montre un \
         système que le fabricant n'autorise pas :",
        errors.len()
    );
    for f in errors {
        out.push(' ');
        out.push_str(&f.message);
    }
    Some(out)
}
