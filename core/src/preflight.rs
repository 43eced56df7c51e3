//! What the simulator checks before it runs: the same findings the configurator shows (the bank against the
//! datasheet, then the wired system, [`crate::battery::validate_in`] and [`crate::system::validate_in`]).
//!
//! A system with an [`Severity::Error`] finding is outside what the manufacturer allows or will not work; the
//! command line refuses to simulate it unless asked to (`--force`), so a timeline never looks normal for a system
//! that cannot exist.
use crate::battery;
use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::lang::Lang;
use crate::scenario::Scenario;
use crate::system;
use crate::units::Millivolts;
use alloc::vec::Vec;

/// The bank's nominal voltage as the configurator takes it (12.8 V when the bank cannot be built).
pub fn bank_nominal(doc: &Document) -> Millivolts {
    battery::figures(&doc.bank)
        .map(|f| f.nominal_voltage)
        .unwrap_or(Millivolts(12_800))
}

/// Every finding about `doc`, in `lang`: the bank, then the wired system (what the configurator shows).
pub fn findings_in(doc: &Document, scenario: Option<&Scenario>, lang: Lang) -> Vec<Finding> {
    let mut out = battery::validate_in(&doc.bank, lang);
    out.extend(system::validate_in(&doc.system, bank_nominal(doc), lang));
    let _ = scenario;
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
