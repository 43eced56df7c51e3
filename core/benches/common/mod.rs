//! What the benchmarks share: the largest bank the smallBMS NG manages, with the demo system on it.
#![cfg(not(target_arch = "wasm32"))]
use smallbms_core::battery::BankConfig;
use smallbms_core::catalogue::ModelRef;
use smallbms_core::devices::{ChargeOutput, CyrixVoltageClass, DeviceKind, PowerRole};
use smallbms_core::document::Document;
use smallbms_core::units::{Millivolts, Permille};

/// The demo system on 50 × 25.6 V 300 Ah (a 48 V bank, 2 in series × 25 strings, 384 kWh): chargers set to
/// 4 × 14.2 V, the Cyrix-Li-Charge to its 24/48 V class.
pub fn largest_bank() -> Document {
    let mut doc = Document {
        name: "Bench: 50 × Lithium NG 25.6 V 300 Ah".into(),
        bank: BankConfig {
            model: ModelRef::Builtin("ng-25v6-300".into()),
            series: 2,
            parallel: 25,
            initial_soc: Permille(600),
            ..BankConfig::default()
        },
        ..Document::default()
    };
    for d in &mut doc.system.devices {
        match &mut d.kind {
            DeviceKind::Remote(p) => {
                if let PowerRole::Charger { output } = &mut p.power {
                    *output = ChargeOutput {
                        charge_voltage: Millivolts(56_800),
                        ..ChargeOutput::lithium_ng_12v(output.max_current)
                    };
                }
            }
            DeviceKind::CyrixLiCharge(p) => p.class = CyrixVoltageClass::V24_48,
            _ => {}
        }
    }
    doc
}
