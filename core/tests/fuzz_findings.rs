//! Every input the fuzz targets of `core/fuzz` found to crash the core, kept as a unit test after the fix (the
//! fuzzers run with debug assertions, so an arithmetic overflow is a crash there, as in any debug build).
use smallbms_core::battery::{self, BatteryOverride};
use smallbms_core::catalogue::ModelRef;
use smallbms_core::document::Document;
use smallbms_core::engine::Simulation;
use smallbms_core::lang::{Lang, Localized};
use smallbms_core::system::{self, switch_chain, ChainError};
use smallbms_core::units::Millivolts;

/// fuzz target `engine`, 2026-12-08: a power path `behind` the last possible device index overflowed `index + 1`
/// while the finding was worded ("there is no device number …").
#[test]
fn a_power_path_behind_the_largest_index_is_a_finding_not_an_overflow() {
    let mut doc = Document::default();
    doc.system.devices[0].power_path.behind = Some(usize::MAX);
    assert_eq!(
        switch_chain(&doc.system, 0),
        Err(ChainError::OutOfRange { index: usize::MAX })
    );
    for lang in Lang::ALL {
        let findings = system::validate_in(&doc.system, Millivolts(12_800), lang);
        assert!(
            findings
                .iter()
                .any(|f| f.message.contains(&usize::MAX.to_string())),
            "{lang:?}: {:?}",
            findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
    }
    for e in [
        ChainError::OutOfRange { index: usize::MAX },
        ChainError::NotASwitch { index: usize::MAX },
        ChainError::Loop { index: usize::MAX },
    ] {
        assert!(e
            .in_lang(Lang::Fr)
            .to_string()
            .contains(&usize::MAX.to_string()));
        assert!(e.to_string().contains(&usize::MAX.to_string()));
    }
    // And the engine runs the system (the device is simply not powered).
    let mut sim = Simulation::new(&doc, None).expect("the demo bank is valid");
    sim.step_to(smallbms_core::units::SimTime(60_000));
}

/// Found while fixing the one above (same pattern): a battery override at the largest index overflowed
/// `battery + 1` in the bank's findings.
#[test]
fn a_battery_override_at_the_largest_index_is_worded_without_overflow() {
    let mut doc = Document::default();
    doc.bank.overrides.push(BatteryOverride {
        battery: usize::MAX,
        model: ModelRef::Builtin("no-such-model".into()),
    });
    doc.bank.overrides.push(BatteryOverride {
        battery: usize::MAX,
        model: ModelRef::Builtin("ng-12v8-100".into()),
    });
    for lang in Lang::ALL {
        let findings = battery::validate_in(&doc.bank, lang);
        assert!(
            findings
                .iter()
                .any(|f| f.message.contains(&usize::MAX.to_string())),
            "{lang:?}: {:?}",
            findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
    }
}
