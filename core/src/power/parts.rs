//! The power side on the parts list and the commissioning sheet: each cable pair with its size, length and
//! colours, each fuse with its type and rating, and the checks an installer makes on them.
use super::analysis::{analyse_in, CableId};
use super::tables::awg;
use super::{Distribution, Fuse};
use crate::document::Document;
use crate::lang::{format_in, Lang};
use alloc::string::String;
use alloc::vec::Vec;

/// One line to order: how many, what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowerPart {
    pub quantity: u32,
    pub name: String,
}

fn fuse_name(f: &Fuse, lang: Lang) -> String {
    format_in!(
        lang,
        "{} fuse {} A, {} V DC, breaks {} A",
        "Fusible {} {} A, {} V CC, pouvoir de coupure {} A",
        f.kind.name_in(lang),
        f.rating_a,
        f.voltage_rating(),
        f.breaking_capacity()
    )
}

fn add(list: &mut Vec<PowerPart>, name: String, quantity: u32) {
    match list.iter_mut().find(|p| p.name == name) {
        Some(p) => p.quantity += quantity,
        None => list.push(PowerPart { quantity, name }),
    }
}

/// The cables, fuses and parts of the power side that are entered (nothing for what is not).
pub fn parts_in(doc: &Document, lang: Lang) -> Vec<PowerPart> {
    let r = analyse_in(&doc.bank, &doc.system, lang);
    let w = &doc.system.power;
    let mut out = Vec::new();
    for c in &r.cables {
        let Some(cable) = c.cable else { continue };
        let size = match awg(cable.cross_section_mm2) {
            Some(a) => format_in!(
                lang,
                "{} (≈ AWG {})",
                "{} (≈ AWG {})",
                cable.cross_section_mm2,
                a
            ),
            None => format_in!(lang, "{}", "{}", cable.cross_section_mm2),
        };
        match c.id {
            CableId::Interconnect => {
                let batteries = u32::from(doc.bank.series) * u32::from(doc.bank.parallel);
                add(
                    &mut out,
                    format_in!(
                        lang,
                        "Battery interconnect {}, {} each",
                        "Liaison entre batteries {}, {} chacune",
                        size,
                        cable.length_m
                    ),
                    2 * batteries.saturating_sub(1),
                );
            }
            _ => add(
                &mut out,
                format_in!(
                    lang,
                    "Cable pair {}, red (+) and black (−), {} each: {} → {}",
                    "Paire de câbles {}, rouge (+) et noir (−), {} chacun : {} → {}",
                    size,
                    cable.length_m,
                    c.from,
                    c.to
                ),
                1,
            ),
        }
        if let Some(f) = c.fuse {
            add(&mut out, fuse_name(&f, lang), 1);
        }
    }
    if let Some(f) = w.string_fuse {
        add(&mut out, fuse_name(&f, lang), u32::from(doc.bank.parallel));
    }
    match w.distribution {
        Distribution::None => {}
        Distribution::Busbar => add(
            &mut out,
            String::from(lang.pick(
                "Positive and negative busbar",
                "Barres omnibus positive et négative",
            )),
            1,
        ),
        Distribution::LynxDistributor => add(&mut out, String::from("Lynx Distributor"), 1),
    }
    if w.shunt {
        add(&mut out, String::from("SmartShunt"), 1);
    }
    if w.main_switch {
        add(
            &mut out,
            String::from(lang.pick("Main battery switch", "Coupe-batterie principal")),
            1,
        );
    }
    out
}

/// The installer's checks of the power side.
pub fn checks_in(doc: &Document, lang: Lang) -> Vec<String> {
    let r = analyse_in(&doc.bank, &doc.system, lang);
    let mut out = Vec::new();
    if r.cables.iter().any(|c| c.cable.is_some()) {
        let worst = r
            .cables
            .iter()
            .filter(|c| c.id != CableId::Interconnect && c.cable.is_some())
            .max_by(|a, b| a.path_drop_v.total_cmp(&b.path_drop_v));
        if let Some(c) = worst {
            out.push(format_in!(
                lang,
                "Under full load, measure the voltage at {}: at most {:.2} V below the bank terminals (computed drop)",
                "En pleine charge, mesurez la tension à {} : au plus {:.2} V sous celle des bornes du parc (chute calculée)",
                c.to,
                c.path_drop_v
            ));
        }
        out.push(String::from(lang.pick(
            "Torque every cable lug to its terminal's figure; no washer between lug and terminal",
            "Serrez chaque cosse au couple de sa borne ; aucune rondelle entre cosse et borne",
        )));
        out.push(String::from(lang.pick(
            "Check each fuse's type and rating against the parts list before closing the main fuse",
            "Vérifiez le type et le calibre de chaque fusible d'après la liste des pièces avant de fermer le fusible principal",
        )));
    }
    out
}
