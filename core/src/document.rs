//! The saved system: what autosave, share links, import/export and the command line read and write.
//!
//! A versioned JSON envelope. Reading never panics and never silently drops anything: every way a text can fail
//! is a [`DocumentError`] the UI shows in plain words, and the caller keeps the original text aside.
use crate::battery::BankConfig;
use crate::lang::{write_in, Lang, Localized};
use crate::system::SystemConfig;
use alloc::string::{String, ToString};
use core::fmt;
use serde::{Deserialize, Serialize};

/// The format version this build writes. Older versions are upgraded on reading ([`upgrade`]); newer ones are
/// refused (kept aside) rather than half-read.
///
/// - 1: the first format; enums carried their variant in a field of the object (`{"type": "dc_load", …}`).
/// - 2: the same data with every enum of the configuration written as `{"dc_load": {…}}` (or `"identical"` for a
///   variant without data). Reading that shape needs no buffering of the object, which keeps the app smaller.
pub const DOCUMENT_VERSION: u32 = 3;

/// A whole configured system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Always [`DOCUMENT_VERSION`] when written by this build.
    pub version: u32,
    /// A name the user gives the system.
    #[serde(default)]
    pub name: String,
    pub bank: BankConfig,
    pub system: SystemConfig,
}

impl Default for Document {
    /// The demo system the app opens on.
    /// Its power cables and fuses are sized by [`crate::power::size_everything`] (lengths assumed), so the demo
    /// passes every rule and shows its drops.
    fn default() -> Self {
        let bank = BankConfig::default();
        let mut system = SystemConfig::default();
        crate::power::size_everything(&bank, &mut system);
        Document {
            version: DOCUMENT_VERSION,
            name: "Demo: 4 × Lithium NG 12.8 V 200 Ah".into(),
            bank,
            system,
        }
    }
}

/// Why a text is not a system this build can open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentError {
    /// Nothing at all.
    Empty,
    /// Not JSON, or cut off.
    Syntax {
        line: usize,
        column: usize,
        detail: String,
    },
    /// JSON, but not a smallBMS NG Studio system (no version field).
    NotADocument,
    /// Written by a newer version of the app.
    Newer { found: u32 },
    /// The right kind of file, but a field is missing or has the wrong type.
    Shape { detail: String },
    /// A share link whose `%` escapes are broken (cut off, or edited), at this character of the link's system part.
    DamagedLink { at: usize },
}

impl Localized for DocumentError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            DocumentError::Empty => f.write_str(lang.pick("the file is empty", "le fichier est vide")),
            DocumentError::Syntax { line, column, detail } => write_in!(
                f,
                lang,
                "this is not valid JSON (line {}, column {}: {}); the file may be cut off or edited by hand",
                "ce n'est pas du JSON valide (ligne {}, colonne {} : {}) ; le fichier est peut-être tronqué ou \
                 modifié à la main",
                line,
                column,
                detail
            ),
            DocumentError::NotADocument => f.write_str(lang.pick(
                "this JSON is not a smallBMS NG Studio system (it has no \"version\" field); export a system \
                 from the app to see the expected shape",
                "ce JSON n'est pas un système smallBMS NG Studio (il n'a pas de champ « version ») ; exportez un \
                 système depuis l'application pour voir la forme attendue",
            )),
            DocumentError::Newer { found } => write_in!(
                f,
                lang,
                "this system was saved by a newer version of the app (format {}, this one reads up to {}); it \
                 was kept unchanged — open it with the newer app",
                "ce système a été enregistré par une version plus récente de l'application (format {}, celle-ci \
                 lit jusqu'au format {}) ; il a été conservé tel quel — ouvrez-le avec l'application plus récente",
                found,
                DOCUMENT_VERSION
            ),
            DocumentError::DamagedLink { at } => write_in!(
                f,
                lang,
                "the link is damaged (a broken %-escape at character {} of its system part); copy the whole \
                 link again",
                "le lien est abîmé (un échappement % cassé au caractère {} de sa partie système) ; copiez à \
                 nouveau le lien en entier",
                at
            ),
            DocumentError::Shape { detail } => write_in!(
                f,
                lang,
                "this system file has a field this app cannot read: {}",
                "ce fichier système a un champ que cette application ne sait pas lire : {}",
                detail
            ),
        }
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

impl Document {
    /// Reads a document; never panics on any text.
    pub fn from_json(text: &str) -> Result<Document, DocumentError> {
        if text.trim().is_empty() {
            return Err(DocumentError::Empty);
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| DocumentError::Syntax {
                line: e.line(),
                column: e.column(),
                detail: e.to_string(),
            })?;
        let version = value
            .get("version")
            .and_then(|v| v.as_u64())
            .ok_or(DocumentError::NotADocument)?;
        if version > DOCUMENT_VERSION as u64 {
            return Err(DocumentError::Newer {
                found: u32::try_from(version).unwrap_or(u32::MAX),
            });
        }
        let mut value = value;
        upgrade(&mut value, version);
        let mut doc: Document =
            serde_json::from_value(value).map_err(|e| DocumentError::Shape {
                detail: e.to_string(),
            })?;
        doc.version = DOCUMENT_VERSION;
        Ok(doc)
    }

    /// Compact JSON (for storage and share links).
    pub fn to_json(&self) -> String {
        // Serialising plain data to a String cannot fail; fall back to an empty object rather than panic.
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Indented JSON (for export).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }
}

/// Brings the JSON of a document written in format `version` to the shape of [`DOCUMENT_VERSION`], one step at
/// a time, on the JSON tree (so each step is a plain rewrite that never needs the old Rust types). Anything a step
/// does not recognise is left as it is, for the reading that follows to report in plain words.
pub fn upgrade(doc: &mut serde_json::Value, version: u64) {
    if version <= 1 {
        v1_to_v2(doc);
    }
    // Version 2 → 3 adds fields only, each read with a default that is what version 2 meant: the power side
    // (`system.power`, `system.devices[].circuit`: not entered), `bms.pre_alarm_after_shutdown` (0 = until the
    // cells recover) and the Cyrix-Li-ct `reclose_delay`. Nothing to rewrite.
}

/// Version 1 → 2: the four enums of the configuration change from internally to externally tagged.
///
/// Where they sit in a version-1 document: `bank.spread` (tag `kind`), `system.devices[].kind` (tag `type`),
/// inside it `dc_load.draw` (tag `type`), `remote.power` (tag `role`) and `remote.power.draw` of a load (tag
/// `type`). No other object of a version-1 document is rewritten.
fn v1_to_v2(doc: &mut serde_json::Value) {
    use serde_json::Value;
    if let Some(spread) = doc.pointer_mut("/bank/spread") {
        external_tag(spread, "kind", &["identical"]);
    }
    let Some(devices) = doc
        .pointer_mut("/system/devices")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for device in devices {
        let Some(kind) = device.get_mut("kind") else {
            continue;
        };
        match kind.get("type").and_then(Value::as_str) {
            Some("dc_load") => {
                if let Some(draw) = kind.get_mut("draw") {
                    external_tag(draw, "type", &[]);
                }
            }
            Some("remote") => {
                if let Some(power) = kind.get_mut("power") {
                    if power.get("role").and_then(Value::as_str) == Some("load") {
                        if let Some(draw) = power.get_mut("draw") {
                            external_tag(draw, "type", &[]);
                        }
                    }
                    external_tag(power, "role", &[]);
                }
            }
            _ => {}
        }
        external_tag(kind, "type", &[]);
    }
}

/// `{tag: "name", fields…}` → `{"name": {fields…}}`, or `"name"` for a variant in `unit` (a variant without data,
/// whose other fields version 1 ignored). Left as it is when `tag` is missing or not a string.
fn external_tag(value: &mut serde_json::Value, tag: &str, unit: &[&str]) {
    use serde_json::{Map, Value};
    let Value::Object(fields) = value else {
        return;
    };
    let Some(Value::String(name)) = fields.get(tag) else {
        return;
    };
    let name = name.clone();
    fields.remove(tag);
    *value = if unit.contains(&name.as_str()) {
        Value::String(name)
    } else {
        let mut outer = Map::new();
        outer.insert(name, Value::Object(core::mem::take(fields)));
        Value::Object(outer)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_of_the_demo() {
        let d = Document::default();
        assert_eq!(Document::from_json(&d.to_json()), Ok(d.clone()));
        assert_eq!(Document::from_json(&d.to_json_pretty()), Ok(d));
    }

    #[test]
    fn version_1_enums_become_externally_tagged() {
        let mut v: serde_json::Value = serde_json::from_str(
            r#"{"version":1,"bank":{"spread":{"kind":"identical","junk":1}},"system":{"devices":[
                {"kind":{"type":"dc_load","draw":{"type":"power","watts":5}}},
                {"kind":{"type":"remote","power":{"role":"load","draw":{"type":"current","current":7}}}},
                {"kind":{"type":"remote","power":{"role":"charger","output":{"type":"kept"}}}},
                {"kind":{"type":"relay"}},
                {"kind":{"no_tag":true}}, {"kind":{"type":3}}, 5]}}"#,
        )
        .unwrap_or_default();
        upgrade(&mut v, 1);
        let want: serde_json::Value = serde_json::from_str(
            r#"{"version":1,"bank":{"spread":"identical"},"system":{"devices":[
                {"kind":{"dc_load":{"draw":{"power":{"watts":5}}}}},
                {"kind":{"remote":{"power":{"load":{"draw":{"current":{"current":7}}}}}}},
                {"kind":{"remote":{"power":{"charger":{"output":{"type":"kept"}}}}}},
                {"kind":{"relay":{}}},
                {"kind":{"no_tag":true}}, {"kind":{"type":3}}, 5]}}"#,
        )
        .unwrap_or_default();
        assert_eq!(v, want);
        // A version-2 document is left alone.
        let before = want.clone();
        let mut again = want;
        upgrade(&mut again, 2);
        assert_eq!(again, before);
    }

    #[test]
    fn every_failure_is_typed() {
        assert_eq!(Document::from_json("  "), Err(DocumentError::Empty));
        assert!(matches!(
            Document::from_json("{\"version\": 1,"),
            Err(DocumentError::Syntax { line: 1, .. })
        ));
        assert_eq!(
            Document::from_json("[1,2]"),
            Err(DocumentError::NotADocument)
        );
        assert_eq!(
            Document::from_json("{\"version\": 99}"),
            Err(DocumentError::Newer { found: 99 })
        );
        assert!(matches!(
            Document::from_json("{\"version\": 2, \"bank\": 3}"),
            Err(DocumentError::Shape { .. })
        ));
    }
}
