//! Saved systems: any text through `Document::from_json` (import, autosave, the command line), then the same
//! JSON claimed as every format version this build reads, so each upgrade step meets every shape. What reads must
//! save and read back as the same system (autosave must not drift), and validation and the diagram must take it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use smallbms_core::document::{Document, DOCUMENT_VERSION};
use smallbms_core::lang::Lang;
use smallbms_core::units::Millivolts;
use smallbms_core::{battery, system};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    read(text);
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    for version in 0..=u64::from(DOCUMENT_VERSION) {
        fields.insert("version".into(), version.into());
        read(&Value::Object(fields.clone()).to_string());
    }
});

fn read(text: &str) {
    let Ok(doc) = Document::from_json(text) else {
        return;
    };
    assert_eq!(doc.version, DOCUMENT_VERSION);
    let saved = doc.to_json();
    assert_eq!(
        Document::from_json(&saved).as_ref(),
        Ok(&doc),
        "saved as {saved}"
    );
    assert_eq!(
        Document::from_json(&doc.to_json_pretty()).as_ref(),
        Ok(&doc)
    );
    // What the Configure view does with a system it opened, in both languages: findings about the bank and the
    // wired system, the diagram, the parts list and the commissioning sheet.
    for lang in Lang::ALL {
        let _ = battery::validate_in(&doc.bank, lang);
        let nominal = battery::figures(&doc.bank)
            .map(|f| f.nominal_voltage)
            .unwrap_or(Millivolts(12_800));
        let _ = system::validate_in(&doc.system, nominal, lang);
        let _ = system::presets::parts_list_in(&doc, lang);
        let _ = system::presets::commissioning_in(&doc, lang);
        if usize::from(doc.bank.series) * usize::from(doc.bank.parallel) <= 64 {
            let _ = smallbms_core::diagram::build_in(&doc, lang);
        }
    }
}
