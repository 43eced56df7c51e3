//! A validation finding: one problem (or hint) about a configuration, in words a user can act on.
use alloc::string::String;
use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the system works.
    Info,
    /// Works, but against a recommendation or near a limit.
    Warning,
    /// Outside what the manufacturer allows, or it will not work.
    Error,
}

/// What a finding is about, so the UI can link it to the part on the diagram.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// The battery bank as a whole.
    Bank,
    /// The smallBMS NG itself (settings, supply, fuse).
    Bms,
    /// One BMS terminal, by name ("load", "charger", "pre_alarm", "remote").
    Terminal { name: String },
    /// One downstream device, by its index in the system's device list.
    Device { index: usize },
}

/// One validation finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable identifier of the rule, e.g. `bank.too_many_batteries`.
    pub id: &'static str,
    pub severity: Severity,
    pub subject: Subject,
    /// What is wrong, in plain words, with the figures that make it wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// Where the rule comes from: "datasheet" or a key of `victron-behaviour.md` (e.g. "SB-INTRO").
    pub source: &'static str,
}
