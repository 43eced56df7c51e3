//! Product (model) ids seen in our research, for display only: decoding never depends on them (ble.md §3).
//! The smallBMS NG's own id is not public (ble.md §9); an unlisted id shows as "unknown product 0x….".

/// `(model id, product name, where the pairing comes from)`.
pub const MODELS: &[(u16, &str, &str)] = &[
    (
        0x2708,
        "MultiPlus Compact 12/2000/80 120V",
        "vectors: ESPH#37",
    ),
    (
        0x2780,
        "MultiPlus-II 12/3000/120-50 2x120V",
        "vectors: KESH test_vebus",
    ),
    (
        0xA042,
        "BlueSolar Charger MPPT 75/15",
        "vectors: KESH test_solar_charger",
    ),
    (
        0xA057,
        "SmartSolar MPPT 100/50",
        "vectors: CHRISJ Jake Baldwin post",
    ),
    (
        0xA076,
        "SmartSolar MPPT 100/30",
        "vectors: CHRISJ Chris Jackson post",
    ),
    (0xA231, "Phoenix Inverter 12V 250VA", "vectors: MP#26"),
    (
        0xA330,
        "Blue Smart IP22 Charger 12/30 (1)",
        "vectors: KESH test_ac_charger",
    ),
    (0xA381, "BMV-712 Smart", "vectors: CHRISJ Ad Data Structure"),
    (
        0xA389,
        "SmartShunt 500A/50mV",
        "vectors: KESH test_battery_monitor; ble.md §1.2",
    ),
    (
        0xA3A4,
        "Smart Battery Sense",
        "vectors: KESH test_battery_sense",
    ),
    (
        0xA3A5,
        "Smart Battery Sense",
        "vectors: KESH test_battery_sense (id assumed, 'new model')",
    ),
    (
        0xA3B0,
        "Smart BatteryProtect",
        "vectors: KESH test_smart_battery_protect (record 0x09)",
    ),
    (
        0xA3C0,
        "Orion Smart 12V/12V-18A DC-DC Converter",
        "vectors: KESH test_dcdc_converter",
    ),
    (
        0xA3E6,
        "Lynx Smart BMS 1000",
        "victron-behaviour.md §1.1 (BTS VictronConstants.js)",
    ),
    (
        0xA3E7,
        "Lynx Smart BMS NG",
        "victron-behaviour.md §1.1 (GUI-MOCK)",
    ),
    (0xA3EC, "smallBMS", "ble.md §0 (the original, non-NG model)"),
    (0xA3F0, "Orion XS", "ble.md §9; vectors: KESH#53, MP#26"),
    (
        0xA443,
        "Multi RS Solar 48V/6000VA/100A",
        "vectors: KESH test_multirs",
    ),
];

/// The product name for a model id, if known.
pub fn model_name(model_id: u16) -> Option<&'static str> {
    MODELS
        .iter()
        .find(|(id, _, _)| *id == model_id)
        .map(|(_, name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_and_ids_are_unique() {
        assert_eq!(model_name(0xA389), Some("SmartShunt 500A/50mV"));
        assert_eq!(model_name(0x1234), None);
        for (i, (a, _, _)) in MODELS.iter().enumerate() {
            assert!(
                MODELS.iter().skip(i + 1).all(|(b, _, _)| a != b),
                "duplicate id 0x{a:04X}"
            );
        }
    }
}
