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
use crate::lang::{format_in, Lang};
use crate::units::Milliamps;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// One entry of the "add a device" palette.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub id: &'static str,
    /// What the entry adds, in English ([`Preset::label_in`] for another language).
    pub label: &'static str,
    label_fr: &'static str,
    /// The French default name of the new device, where it is not a product name.
    name_fr: Option<&'static str>,
    build: fn() -> DeviceConfig,
}

impl Preset {
    /// A new device of this kind, wired the way the smallBMS NG documentation shows it, with an English name.
    pub fn build(&self) -> DeviceConfig {
        (self.build)()
    }

    /// [`Preset::build`] with the device named in `lang` (product names stay as they are).
    pub fn build_in(&self, lang: Lang) -> DeviceConfig {
        let mut d = self.build();
        if let (Lang::Fr, Some(name)) = (lang, self.name_fr) {
            d.name = name.into();
        }
        d
    }

    /// What the entry adds, in `lang`.
    pub fn label_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.label, self.label_fr)
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
        label_fr: "Smart BatteryProtect 100 A (coupure des consommateurs, mode C Li-ion)",
        name_fr: None,
        build: || {
            DeviceConfig::new("Smart BatteryProtect 100 A", bp(BpModel::SmartBp100))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "smart_bp_48v_100",
        label: "Smart BatteryProtect 48V-100A (48 V load switch, Li-ion mode C)",
        label_fr: "Smart BatteryProtect 48V-100A (coupure des consommateurs 48 V, mode C Li-ion)",
        name_fr: None,
        build: || {
            DeviceConfig::new("Smart BatteryProtect 48V-100A", bp(BpModel::SmartBp48V100))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "bp_65",
        label: "BatteryProtect 65 A (load switch, mode C)",
        label_fr: "BatteryProtect 65 A (coupure des consommateurs, mode C)",
        name_fr: None,
        build: || {
            DeviceConfig::new("BatteryProtect 65 A", bp(BpModel::Bp65))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "bp_220",
        label: "BatteryProtect 220 A (load switch, mode C)",
        label_fr: "BatteryProtect 220 A (coupure des consommateurs, mode C)",
        name_fr: None,
        build: || {
            DeviceConfig::new("BatteryProtect 220 A", bp(BpModel::Bp220))
                .controlled_by(Control::direct(BmsOutput::Load))
        },
    },
    Preset {
        id: "dc_load",
        label: "DC load (lights, pump, fridge)",
        label_fr: "Consommateur CC (éclairage, pompe, réfrigérateur)",
        name_fr: Some("Consommateur CC"),
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
        label_fr: "Convertisseur avec allumage/arrêt à distance (Phoenix)",
        name_fr: Some("Convertisseur"),
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
        label_fr: "Chargeur secteur avec allumage/arrêt à distance (Phoenix Smart IP43)",
        name_fr: Some("Chargeur secteur"),
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
        label_fr:
            "Chargeur arrêté par mise à la masse de son entrée (Skylla-TG) + câble non inverseur",
        name_fr: Some("Chargeur Skylla-TG"),
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
        label_fr: "Chargeur CC-CC depuis l'alternateur (Orion)",
        name_fr: Some("Chargeur CC-CC"),
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
        label_fr: "MPPT solaire avec borne Remote H",
        name_fr: Some("MPPT solaire"),
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
        label_fr: "MPPT solaire avec VE.Direct uniquement + câble non inverseur VE.Direct",
        name_fr: Some("MPPT solaire (VE.Direct)"),
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
        label_fr: "Cyrix-Li-ct 120 A (coupleur de batterie de démarrage)",
        name_fr: None,
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
        label_fr: "Cyrix-Li-Charge 120 A (coupleur de chargeur)",
        name_fr: None,
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
        label_fr: "Relais (bobine 150 mA)",
        name_fr: Some("Relais"),
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
        label_fr: "Contacteur (bobine 800 mA)",
        name_fr: Some("Contacteur"),
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
        label_fr: "Avertisseur sonore (20 mA) sur la préalarme",
        name_fr: Some("Avertisseur sonore"),
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
        label_fr: "Voyant (10 mA) sur la préalarme",
        name_fr: Some("Voyant d'alarme"),
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
        label_fr: "MultiPlus / Quattro VE.Bus (non pris en charge : voir le constat)",
        name_fr: None,
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

/// Everything to order for the system (victron-behaviour.md §3.1, §4, §5.2, CAT for the part numbers), in English.
pub fn parts_list(doc: &Document) -> Vec<PartLine> {
    parts_list_in(doc, Lang::En)
}

/// [`parts_list`] with the names and sources in `lang` (product names and part numbers stay as they are).
pub fn parts_list_in(doc: &Document, lang: Lang) -> Vec<PartLine> {
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
        source: lang.pick(
            "NG12-TD / NG51-TD (part numbers not public)",
            "NG12-TD / NG51-TD (références non publiques)",
        ),
    });
    add(
        &mut out,
        "smallBMS NG".into(),
        None,
        lang.pick(
            "datasheet (part number not public)",
            "fiche technique (référence non publique)",
        ),
    );
    add(
        &mut out,
        format_in!(
            lang,
            "Fuse {:.1} A for the BMS supply",
            "Fusible {:.1} A pour l'alimentation du BMS",
            doc.system.supply_fuse.si()
        ),
        None,
        lang.pick("datasheet", "fiche technique"),
    );
    // The M8 chain: one cable between neighbouring batteries comes with each battery; the two ends reach the BMS.
    out.push(PartLine {
        quantity: 1,
        name: lang
            .pick(
                "M8 BMS extension cable 1 m (bag of 2), to reach the BMS",
                "Rallonge de câble BMS M8 1 m (sachet de 2), pour atteindre le BMS",
            )
            .into(),
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
            other => (format!("{} ({})", d.name, other.label_in(lang)), None),
        };
        add(&mut out, name, pn, "victron-behaviour.md §3–§5");
        if let Some(cable) = d.control.and_then(|c| c.cable) {
            add(
                &mut out,
                cable.name_in(lang).into(),
                Some(cable.part_number()),
                cable.source(),
            );
        }
    }
    for p in crate::power::parts::parts_in(doc, lang) {
        out.push(PartLine {
            quantity: p.quantity,
            name: p.name,
            part_number: None,
            source: lang.pick(
                "power side (Wiring Unlimited)",
                "câblage de puissance (Wiring Unlimited)",
            ),
        });
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

/// Settings and checks for `doc` (datasheet; LSBNG-COM for the cable-pull check; BP-OP for mode C), in English.
pub fn commissioning(doc: &Document) -> Commissioning {
    commissioning_in(doc, Lang::En)
}

/// [`commissioning`] in `lang`.
pub fn commissioning_in(doc: &Document, lang: Lang) -> Commissioning {
    let mut c = Commissioning::default();
    let s = &doc.system.bms;
    c.settings.push((
        "smallBMS NG (VictronConnect)".into(),
        format_in!(
            lang,
            "discharge floor {:.0} % (low-SoC warning from {:.0} %); battery capacity and batteries in parallel as installed",
            "seuil de décharge {:.0} % (avertissement d'état de charge bas à partir de {:.0} %) ; capacité des batteries et nombre de batteries en parallèle selon l'installation",
            s.discharge_floor.percent(),
            s.discharge_floor.percent() + s.discharge_floor_band.percent()
        ),
    ));
    for d in &doc.system.devices {
        let text = match &d.kind {
            DeviceKind::BatteryProtect(p) => Some(format_in!(
                lang,
                "program mode C (Li-ion): remote H to the BMS {} output; it then ignores its own voltage levels",
                "programmer le mode C (Li-ion) : Remote H sur la sortie {} du BMS ; il ignore alors ses propres seuils de tension",
                d.control.map(|c| c.output.label()).unwrap_or("LOAD")
            ))
            .filter(|_| p.mode == BpMode::C)
            .or(Some(lang.pick(
                "program mode C (Li-ion) so the BMS output controls it",
                "programmer le mode C (Li-ion) pour que la sortie du BMS le commande",
            ).into())),
            DeviceKind::CyrixLiCt(_) => Some(lang.pick(
                "control terminal to the BMS CHARGER output; no setting",
                "borne de contrôle sur la sortie CHARGER du BMS ; aucun réglage",
            ).into()),
            DeviceKind::CyrixLiCharge(p) => Some(format_in!(
                lang,
                "control terminal to the BMS CHARGER output; engages at {:.1} V on the charger side",
                "borne de contrôle sur la sortie CHARGER du BMS ; s'enclenche à {:.1} V côté chargeur",
                p.engage_at.si()
            )),
            DeviceKind::Remote(p) => Some(match p.input.logic {
                RemoteLogic::VeDirectRx => lang.pick(
                    "VictronConnect → settings → VE.Direct port: RX pin function = remote on/off",
                    "VictronConnect → paramètres → port VE.Direct : fonction de la broche RX = allumage/arrêt à distance",
                ),
                RemoteLogic::ActiveHigh => lang.pick(
                    "remote on/off: remove the L–H bridge, wire H to the BMS output",
                    "allumage/arrêt à distance : retirer le pont L–H, raccorder H à la sortie du BMS",
                ),
                RemoteLogic::OnWhenOpen | RemoteLogic::OnWhenPulledLow => lang.pick(
                    "remote on/off through the interface cable listed",
                    "allumage/arrêt à distance via le câble d'interface de la liste",
                ),
            }.into()),
            _ => None,
        };
        if let Some(t) = text {
            c.settings.push((d.name.clone(), t));
        }
    }
    // Where the unit may go (datasheet "Général"): the product information as a check.
    let info = crate::bms::product::info_lines(lang);
    if let Some(environment) = info.first() {
        c.checks.push(format_in!(
            lang,
            "Mount the smallBMS NG where its conditions hold — {} (no protection against water).",
            "Installer le smallBMS NG là où ses conditions sont respectées — {} (aucune protection contre l'eau).",
            environment
        ));
    }
    let mut check = |en: &'static str, fr: &'static str| c.checks.push(lang.pick(en, fr).into());
    check(
        "Measure the BMS supply: 8–70 V, fused 0.3–2.5 A.",
        "Mesurer l'alimentation du BMS : 8–70 V, protégée par un fusible de 0.3–2.5 A.",
    );
    check(
        "Pull one BMS cable: every load and every charger must switch off; plug it back: they return.",
        "Débrancher un câble BMS : tous les consommateurs et tous les chargeurs doivent se couper ; le rebrancher : ils se remettent en marche.",
    );
    if doc.system.remote.has_switch() {
        check(
            "Open the remote on/off switch: every load and charger must switch off.",
            "Ouvrir l'interrupteur marche/arrêt à distance : tous les consommateurs et chargeurs doivent se couper.",
        );
    }
    if matches!(doc.system.remote, RemoteWiring::Open) {
        check(
            "Remote L/H is open: the BMS stays OFF. Bridge L and H or fit a switch.",
            "Remote L/H est ouvert : le BMS reste sur OFF. Ponter L et H ou installer un interrupteur.",
        );
    }
    if doc
        .system
        .devices
        .iter()
        .any(|d| d.control.is_some_and(|c| c.output == BmsOutput::PreAlarm))
    {
        check(
            "Let the pre-alarm sound (e.g. with VictronConnect's test, or a low cell): the buzzer/LED must work.",
            "Déclencher la préalarme (p. ex. avec le test de VictronConnect, ou une cellule basse) : l'avertisseur sonore ou le voyant doit fonctionner.",
        );
    }
    check(
        "Check every battery and BMS-cable connector is screwed tight; each string is fused.",
        "Vérifier que chaque connecteur de batterie et de câble BMS est bien serré ; chaque chaîne est protégée par un fusible.",
    );
    c.checks.extend(crate::power::parts::checks_in(doc, lang));
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
