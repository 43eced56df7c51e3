//! Every saved-document format this app ever wrote still opens, and opens as the same system.
//!
//! `data/documents/v1/` holds version-1 files written by the last version-1 build (one per device preset, the
//! demo, and one with a custom model, a seeded cell spread, every draw and every role); `data/documents/v2/`
//! holds the same systems written by the first version-2 build. When they were generated, each version-1 file
//! was also checked to read back as the exact system the version-1 build had written.
use smallbms_core::document::{Document, DocumentError, DOCUMENT_VERSION};
use std::collections::BTreeSet;
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/documents");

fn files(version: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(Path::new(DIR).join(version))
        .unwrap_or_else(|e| panic!("{DIR}/{version}: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            (name, text)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_older_file_opens_as_the_same_system_as_its_newest_twin() {
    let newest = format!("v{DOCUMENT_VERSION}");
    let current = files(&newest);
    assert!(current.len() >= 19, "{} files", current.len());
    for old_version in 1..DOCUMENT_VERSION {
        let old = files(&format!("v{old_version}"));
        assert_eq!(
            old.iter().map(|f| &f.0).collect::<Vec<_>>(),
            current.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        for ((name, old), (_, new)) in old.iter().zip(&current) {
            assert!(
                old.contains(&format!("\"version\": {old_version}")),
                "v{old_version}/{name}"
            );
            let from_old =
                Document::from_json(old).unwrap_or_else(|e| panic!("v{old_version}/{name}: {e}"));
            let from_new =
                Document::from_json(new).unwrap_or_else(|e| panic!("{newest}/{name}: {e}"));
            assert_eq!(from_old, from_new, "v{old_version}/{name}");
            assert_eq!(from_old.version, DOCUMENT_VERSION);
            // Written again, it is the newest file byte for byte.
            assert_eq!(
                from_old.to_json_pretty() + "\n",
                *new,
                "v{old_version}/{name}"
            );
        }
    }
}

/// Writes `tests/data/documents/vN/` for the current version from the previous version's files (run once when a
/// version is added: `WRITE_DOCUMENT_FIXTURES=1 cargo test --test document_versions`).
#[test]
fn write_fixtures_of_the_current_version_when_asked() {
    if std::env::var_os("WRITE_DOCUMENT_FIXTURES").is_none() {
        return;
    }
    let dir = Path::new(DIR).join(format!("v{DOCUMENT_VERSION}"));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files(&format!("v{}", DOCUMENT_VERSION - 1)) {
        let doc = Document::from_json(&text).unwrap();
        std::fs::write(dir.join(name), doc.to_json_pretty() + "\n").unwrap();
    }
}

#[test]
fn the_version_1_files_cover_every_device_kind_draw_role_and_spread() {
    let mut tags = BTreeSet::new();
    for (_, text) in files("v1") {
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        collect_tags(&v, &mut tags);
    }
    for want in [
        "type=battery_protect",
        "type=cyrix_li_ct",
        "type=cyrix_li_charge",
        "type=remote",
        "type=dc_load",
        "type=relay",
        "type=buzzer",
        "type=led",
        "type=ve_bus_multi_plus",
        "type=current",
        "type=power",
        "role=load",
        "role=charger",
        "kind=identical",
        "kind=seeded",
    ] {
        assert!(
            tags.contains(want),
            "no version-1 file has {want}: {tags:?}"
        );
    }
}

fn collect_tags(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if let ("type" | "role" | "kind", Some(s)) = (k.as_str(), x.as_str()) {
                    out.insert(format!("{k}={s}"));
                }
                collect_tags(x, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_tags(x, out)),
        _ => {}
    }
}

#[test]
fn a_version_1_file_that_was_wrong_is_still_reported_in_plain_words() {
    // An unknown device type and a missing field stay "a field this app cannot read", not a panic or a silent drop.
    let v1 = &files("v1")[0].1;
    let unknown = v1.replacen("\"type\": \"", "\"type\": \"teleporter_", 1);
    if unknown != *v1 {
        assert!(matches!(
            Document::from_json(&unknown),
            Err(DocumentError::Shape { .. })
        ));
    }
    let no_bank = r#"{"version": 1, "system": {"supply_fuse": 1000}}"#;
    assert!(matches!(
        Document::from_json(no_bank),
        Err(DocumentError::Shape { .. })
    ));
    // Version 0 (never written, but not newer) reads like version 1.
    let v0 = files("v1")[0]
        .1
        .replacen("\"version\": 1", "\"version\": 0", 1);
    assert!(Document::from_json(&v0).is_ok());
    assert_eq!(
        Document::from_json(r#"{"version": 4}"#),
        Err(DocumentError::Newer { found: 4 })
    );
}
