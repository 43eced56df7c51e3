//! The device palette of the configurator, the parts list and the installer's commissioning sheet — as data
//! derived from the configuration, so the web shows them and tests check them.
use super::{Control, DeviceConfig, RemoteWiring};
use crate::bms::BmsOutput;
use crate::devices::{
    BatteryProtectParams, BpMode, BpModel, CableKind, ChargeOutput, CyrixChargeParams,
    CyrixCtParams, CyrixRating, DeviceKind, Draw, IndicatorParams, Microamps, PowerRole,
    RelayParams, RemoteDeviceParams, RemoteDeviceType, RemoteInput, RemoteLogic,
};
use crate::document::Document;
use crate::units::Milliamps;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// One entry of the "add a device" palette.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub id: &'static str,
    pub label: &'static str,
    build: fn() -> DeviceConfig,
}

impl Preset {
    /// A new device of this kind, wired the way the smallBMS NG documentation shows it.
    pub fn build(&self) -> DeviceConfig {
        (self.build)()
    }
}

fn remote(device: RemoteDeviceType, logic: RemoteLogic, power: PowerRole) -> DeviceKind {
    DeviceKind::Remote(RemoteDeviceParams {
        device,
        input: RemoteInput::new(logic),
        power,
        standby: Microamps(0),
    })
}
fn charger(amps: i32) -> PowerRole {
    PowerRole::Charger {
        output: ChargeOutput::lithium_ng_12v(Milliamps(amps * 1000)),
    }
}
fn bp(model: BpModel) -> DeviceKind {
    DeviceKind::BatteryProtect(BatteryProtectParams {
        model,
        mode: BpMode::C,
        ..BatteryProtectParams::default()
    })
}

/// The palette (datasheet and victron-behaviour.md §3–§5 for how each is wired to the BMS).
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "smart_bp_100",
        label: "Smart BatteryProtect 100 A (load switch, Li-ion mode C)",
        build: || {
            DeviceConfig::new("Smart BatteryProtect 100 A", bp(BpModel::SmartBp100))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "bp_65",
        label: "BatteryProtect 65 A (load switch, mode C)",
        build: || {
            DeviceConfig::new("BatteryProtect 65 A", bp(BpModel::Bp65))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "bp_220",
        label: "BatteryProtect 220 A (load switch, mode C)",
        build: || {
            DeviceConfig::new("BatteryProtect 220 A", bp(BpModel::Bp220))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "dc_load",
        label: "DC load (lights, pump, fridge)",
        build: || {
            DeviceConfig::new(
                "DC load",
                DeviceKind::DcLoad {
                    draw: Draw::Current {
                        current: Milliamps(5000),
                    },
                },
            )
        },
    },
    Preset {
        id: "inverter",
        label: "Inverter with remote on/off (Phoenix)",
        build: || {
            DeviceConfig::new(
                "Inverter",
                remote(
                    RemoteDeviceType::Inverter,
                    RemoteLogic::ActiveHigh,
                    PowerRole::Load {
                        draw: Draw::Power { watts: 500 },
                    },
                ),
            )
            .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "ac_charger",
        label: "AC charger with remote on/off (Phoenix Smart IP43)",
        build: || {
            DeviceConfig::new(
                "AC charger",
                remote(
                    RemoteDeviceType::Charger,
                    RemoteLogic::ActiveHigh,
                    charger(30),
                ),
            )
            .controlled_by(Control::direct(BmsOutput::Charger))
        },
    },
    Preset {
        id: "skylla",
        label: "Charger that needs a pull-down to stop (Skylla-TG) + non-inverting cable",
        build: || {
            DeviceConfig::new(
                "Skylla-TG charger",
                remote(
                    RemoteDeviceType::Charger,
                    RemoteLogic::OnWhenOpen,
                    charger(50),
                ),
            )
            .controlled_by(Control::via(BmsOutput::Charger, CableKind::NonInverting))
        },
    },
    Preset {
        id: "dcdc",
        label: "DC-DC charger from the alternator (Orion)",
        build: || {
            DeviceConfig::new(
                "DC-DC charger",
                remote(RemoteDeviceType::DcDc, RemoteLogic::ActiveHigh, charger(30)),
            )
            .controlled_by(Control::direct(BmsOutput::Charger))
        },
    },
    Preset {
        id: "mppt",
        label: "Solar MPPT with remote H terminal",
        build: || {
            DeviceConfig::new(
                "Solar MPPT",
                remote(RemoteDeviceType::Mppt, RemoteLogic::ActiveHigh, charger(30)),
            )
            .controlled_by(Control::direct(BmsOutput::Charger))
        },
    },
    Preset {
        id: "mppt_vedirect",
        label: "Solar MPPT with VE.Direct only + VE.Direct non-inverting cable",
        build: || {
            DeviceConfig::new(
                "Solar MPPT (VE.Direct)",
                remote(RemoteDeviceType::Mppt, RemoteLogic::VeDirectRx, charger(30)),
            )
            .controlled_by(Control::via(
                BmsOutput::Charger,
                CableKind::VeDirectNonInverting,
            ))
        },
    },
    Preset {
        id: "cyrix_li_ct",
        label: "Cyrix-Li-ct 120 A (starter battery combiner)",
        build: || {
            DeviceConfig::new(
                "Cyrix-Li-ct",
                DeviceKind::CyrixLiCt(CyrixCtParams {
                    rating: CyrixRating::A120,
                    ..CyrixCtParams::default()
                }),
            )
            .controlled_by(Control::direct(BmsOutput::Charger))
        },
    },
    Preset {
        id: "cyrix_li_charge",
        label: "Cyrix-Li-Charge 120 A (charger coupler)",
        build: || {
            DeviceConfig::new(
                "Cyrix-Li-Charge",
                DeviceKind::CyrixLiCharge(CyrixChargeParams::default()),
            )
            .controlled_by(Control::direct(BmsOutput::Charger))
        },
    },
    Preset {
        id: "relay",
        label: "Relay (coil 150 mA)",
        build: || {
            DeviceConfig::new(
                "Relay",
                DeviceKind::Relay(RelayParams::relay(Milliamps(150))),
            )
            .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "contactor",
        label: "Contactor (coil 800 mA)",
        build: || {
            let mut p = RelayParams::relay(Milliamps(800));
            p.contactor = true;
            DeviceConfig::new("Contactor", DeviceKind::Relay(p))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "buzzer",
        label: "Buzzer (20 mA) on the pre-alarm",
        build: || {
            DeviceConfig::new(
                "Buzzer",
                DeviceKind::Buzzer(IndicatorParams {
                    current: Milliamps(20),
                    inductive: false,
                }),
            )
            .controlled_by(Control::direct(BmsOutput::PreAlarm))
        },
    },
    Preset {
        id: "led",
        label: "LED (10 mA) on the pre-alarm",
        build: || {
            DeviceConfig::new(
                "Alarm LED",
                DeviceKind::Led(IndicatorParams {
                    current: Milliamps(10),
                    inductive: false,
                }),
            )
            .controlled_by(Control::direct(BmsOutput::PreAlarm))
        },
    },
    Preset {
        id: "multiplus",
        label: "VE.Bus MultiPlus / Quattro (not supported: see the finding)",
        build: || {
            DeviceConfig::new(
                "MultiPlus",
                DeviceKind::VeBusMultiPlus {
                    model: "MultiPlus 12/3000".into(),
                },
            )
        },
    },
];

/// A palette entry by id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// One line of the parts list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartLine {
    pub quantity: u32,
    pub name: String,
    /// Victron part number where a source gives one; `None` where it is not public (UNCONFIRMED).
    pub part_number: Option<&'static str>,
    pub source: &'static str,
}

fn add(
    list: &mut Vec<PartLine>,
    name: String,
    part_number: Option<&'static str>,
    source: &'static str,
) {
    match list
        .iter_mut()
        .find(|l| l.name == name && l.part_number == part_number)
    {
        Some(l) => l.quantity += 1,
        None => list.push(PartLine {
            quantity: 1,
            name,
            part_number,
            source,
        }),
    }
}

/// Everything to order for the system (victron-behaviour.md §3.1, §4, §5.2, CAT for the part numbers).
pub fn parts_list(doc: &Document) -> Vec<PartLine> {
    let mut out = Vec::new();
    let batteries = u32::from(doc.bank.series) * u32::from(doc.bank.parallel);
    let model = doc
        .bank
        .model
        .resolve()
        .map(|m| m.name)
        .unwrap_or_else(|| doc.bank.model.id().to_string());
    out.push(PartLine {
        quantity: batteries,
        name: model,
        part_number: None,
        source: "NG12-TD / NG51-TD (part numbers not public)",
    });
    add(
        &mut out,
        "smallBMS NG".into(),
        None,
        "datasheet (part number not public)",
    );
    add(
        &mut out,
        format!(
            "Fuse {:.1} A for the BMS supply",
            doc.system.supply_fuse.si()
        ),
        None,
        "datasheet",
    );
    // The M8 chain: one cable between neighbouring batteries comes with each battery; the two ends reach the BMS.
    out.push(PartLine {
        quantity: 1,
        name: "M8 BMS extension cable 1 m (bag of 2), to reach the BMS".into(),
        part_number: Some("ASS030560100"),
        source: "CAT",
    });
    for d in &doc.system.devices {
        let (name, pn): (String, Option<&'static str>) = match &d.kind {
            DeviceKind::BatteryProtect(p) => (p.model.name().into(), p.model.part_number()),
            DeviceKind::CyrixLiCt(p) => match p.rating {
                CyrixRating::A120 => ("Cyrix-Li-ct 12/24V-120A".into(), Some("CYR010120412")),
                CyrixRating::A230 => ("Cyrix-Li-ct 12/24V-230A".into(), Some("CYR010230412")),
            },
            DeviceKind::CyrixLiCharge(p) => match p.rating {
                CyrixRating::A120 => ("Cyrix-Li-Charge 12/24V-120A".into(), Some("CYR010120430")),
                CyrixRating::A230 => ("Cyrix-Li-Charge 12/24V-230A".into(), Some("CYR010230430")),
            },
            other => (format!("{} ({})", d.name, other.label()), None),
        };
        add(&mut out, name, pn, "victron-behaviour.md §3–§5");
        if let Some(cable) = d.control.and_then(|c| c.cable) {
            add(
                &mut out,
                cable.name().into(),
                Some(cable.part_number()),
                cable.source(),
            );
        }
    }
    out
}

/// The installer's sheet: what to set on each device, and the checks to perform.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Commissioning {
    /// (part, setting to enter).
    pub settings: Vec<(String, String)>,
    pub checks: Vec<String>,
}

/// Settings and checks for `doc` (datasheet; LSBNG-COM for the cable-pull check; BP-OP for mode C).
pub fn commissioning(doc: &Document) -> Commissioning {
    let mut c = Commissioning::default();
    let s = &doc.system.bms;
    c.settings.push((
        "smallBMS NG (VictronConnect)".into(),
        format!(
            "discharge floor {:.0} % (low-SoC warning from {:.0} %); battery capacity and batteries in parallel as installed",
            s.discharge_floor.percent(),
            s.discharge_floor.percent() + s.discharge_floor_band.percent()
        ),
    ));
    for d in &doc.system.devices {
        let text = match &d.kind {
            DeviceKind::BatteryProtect(p) => Some(format!(
                "program mode C (Li-ion): remote H to the BMS {} output; it then ignores its own voltage levels",
                d.control.map(|c| c.output.label()).unwrap_or("LOAD")
            ))
            .filter(|_| p.mode == BpMode::C)
            .or(Some("program mode C (Li-ion) so the BMS output controls it".into())),
            DeviceKind::CyrixLiCt(_) => Some("control terminal to the BMS CHARGER output; no setting".into()),
            DeviceKind::CyrixLiCharge(p) => Some(format!(
                "control terminal to the BMS CHARGER output; engages at {:.1} V on the charger side",
                p.engage_at.si()
            )),
            DeviceKind::Remote(p) => Some(match p.input.logic {
                RemoteLogic::VeDirectRx => "VictronConnect → settings → VE.Direct port: RX pin function = remote on/off".into(),
                RemoteLogic::ActiveHigh => "remote on/off: remove the L–H bridge, wire H to the BMS output".into(),
                RemoteLogic::OnWhenOpen | RemoteLogic::OnWhenPulledLow => "remote on/off through the interface cable listed".into(),
            }),
            _ => None,
        };
        if let Some(t) = text {
            c.settings.push((d.name.clone(), t));
        }
    }
    c.checks
        .push("Measure the BMS supply: 8–70 V, fused 0.3–2.5 A.".into());
    c.checks.push("Pull one BMS cable: every load and every charger must switch off; plug it back: they return.".into());
    if doc.system.remote.has_switch() {
        c.checks
            .push("Open the remote on/off switch: every load and charger must switch off.".into());
    }
    if matches!(doc.system.remote, RemoteWiring::Open) {
        c.checks
            .push("Remote L/H is open: the BMS stays OFF. Bridge L and H or fit a switch.".into());
    }
    if doc
        .system
        .devices
        .iter()
        .any(|d| d.control.is_some_and(|c| c.output == BmsOutput::PreAlarm))
    {
        c.checks.push("Let the pre-alarm sound (e.g. with VictronConnect's test, or a low cell): the buzzer/LED must work.".into());
    }
    c.checks.push(
        "Check every battery and BMS-cable connector is screwed tight; each string is fused."
            .into(),
    );
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_builds_and_ids_are_unique() {
        for (i, p) in PRESETS.iter().enumerate() {
            assert!(PRESETS.iter().skip(i + 1).all(|o| o.id != p.id));
            assert_eq!(preset(p.id).map(|q| q.label), Some(p.label));
            let _ = p.build();
        }
    }

    #[test]
    fn demo_parts_and_checks() {
        let doc = Document::default();
        let parts = parts_list(&doc);
        assert_eq!(parts[0].quantity, 4);
        assert!(
            parts.iter().any(|l| l.part_number == Some("ASS030550320")),
            "VE.Direct cable of the demo MPPT"
        );
        let c = commissioning(&doc);
        assert!(c.checks.iter().any(|t| t.contains("Pull one BMS cable")));
        assert!(c
            .settings
            .iter()
            .any(|(d, t)| d.contains("BatteryProtect") && t.contains("mode C")));
    }
}
