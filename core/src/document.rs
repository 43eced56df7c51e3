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

/// The format version this build writes. Older versions are upgraded on reading; newer ones are refused (kept
/// aside) rather than half-read.
pub const DOCUMENT_VERSION: u32 = 1;

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
            Document::from_json("{\"version\": 1, \"bank\": 3}"),
            Err(DocumentError::Shape { .. })
        ));
    }
}
