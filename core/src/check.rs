//! Every finding about a saved system in one place — the bank against the datasheet, the wired system, the power
//! side — and the `smallbms check` command line that prints them with the cable list.
use crate::battery;
use crate::document::Document;
use crate::finding::Finding;
use crate::lang::Lang;
use crate::power;
use crate::system;
use alloc::vec::Vec;

/// Every finding about `doc`, in `lang`: the bank, then the wired system, then the power side.
pub fn findings_in(doc: &Document, lang: Lang) -> Vec<Finding> {
    let mut out = battery::validate_in(&doc.bank, lang);
    out.extend(system::validate_in(
        &doc.system,
        crate::preflight::bank_nominal(doc),
        lang,
    ));
    out.extend(power::check_in(&doc.bank, &doc.system, lang));
    out
}

#[cfg(feature = "std")]
pub mod cli {
    //! `smallbms check --system FILE [--lang fr]`.
    use super::findings_in;
    use crate::document::Document;
    use crate::finding::Severity;
    use crate::lang::{Lang, Localized};
    use crate::power::analysis::analyse_in;
    use crate::power::tables::awg;
    use alloc::format;
    use alloc::string::{String, ToString};
    use serde_json::json;

    pub const USAGE: &str = "\
usage:
  smallbms check --system SYSTEM.json [--lang en|fr]
      every finding about a system exported from the app (bank, wiring, power side) and its power cables.
Output: JSON {\"findings\": [{\"id\", \"severity\", \"subject\", \"message\", \"fix\", \"source\"}], \"errors\", \"warnings\",
\"cables\": [{\"id\", \"from\", \"to\", \"cross_section_mm2\", \"awg\", \"length_m\", \"current_a\", \"resistance_mohm\",
\"drop_v\", \"drop_percent\", \"path_drop_v\", \"path_drop_percent\", \"fuse_a\", \"fuse\", \"ampacity_a\", \"loss_w\"}],
\"bank\": {…}}; null where a cable is not entered.";

    /// The JSON report of `doc`.
    pub fn report(doc: &Document, lang: Lang) -> serde_json::Value {
        let findings = findings_in(doc, lang);
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let r = analyse_in(&doc.bank, &doc.system, lang);
        let cables: alloc::vec::Vec<_> = r
            .cables
            .iter()
            .map(|c| {
                let mut v = serde_json::to_value(c).unwrap_or(serde_json::Value::Null);
                if let Some(o) = v.as_object_mut() {
                    let cable = c.cable;
                    o.insert(
                        "cross_section_mm2".into(),
                        json!(cable.map(|c| c.cross_section_mm2.si())),
                    );
                    o.insert("length_m".into(), json!(cable.map(|c| c.length_m.si())));
                    o.insert(
                        "awg".into(),
                        json!(cable.and_then(|c| awg(c.cross_section_mm2))),
                    );
                    o.insert("fuse".into(), json!(c.fuse.map(|f| f.to_string())));
                }
                v
            })
            .collect();
        json!({
            "system": doc.name,
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "findings": findings,
            "cables": cables,
            "bank": {
                "system_v": r.system_v,
                "max_v": r.max_v,
                "discharge_a": r.discharge_a,
                "charge_a": r.charge_a,
                "continuous_discharge_a": r.continuous_discharge_a,
                "pulse_discharge_a": r.pulse_discharge_a,
                "continuous_charge_a": r.continuous_charge_a,
                "short_circuit_a": r.short_circuit_a,
                "string_currents_a": r.string_currents_a,
                "imbalance_percent": r.imbalance_percent,
            },
        })
    }

    /// Runs `check` with the arguments after the subcommand name.
    pub fn run(args: &[String]) -> Result<String, String> {
        let mut system = None;
        let mut lang = Lang::En;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--system" => {
                    system = Some(
                        it.next()
                            .ok_or_else(|| format!("--system needs a file\n\n{USAGE}"))?,
                    )
                }
                "--lang" => {
                    let code = it
                        .next()
                        .ok_or_else(|| format!("--lang needs en or fr\n\n{USAGE}"))?;
                    lang = Lang::from_code(code)
                        .ok_or_else(|| format!("unknown language {code:?}: en or fr"))?;
                }
                "--help" | "-h" => return Ok(USAGE.to_string()),
                other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            }
        }
        let path = system.ok_or_else(|| format!("--system is required\n\n{USAGE}"))?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the system file {path}: {e}"))?;
        let doc = Document::from_json(&text).map_err(|e| format!("{path}: {}", e.in_lang(lang)))?;
        serde_json::to_string_pretty(&report(&doc, lang)).map_err(|e| e.to_string())
    }
}
