//! Sizing: the smallest standard cross-section and the matching fuse that pass every rule of a cable
//! ([`suggest`]), and the same for every cable not entered yet ([`size_everything`]).
//!
//! A suggestion keeps the cable's entered length (or takes an assumed one, said so), picks the smallest fuse of at
//! least 1.25 × the design current that is rated for the bank's voltage, then the smallest standard size whose
//! ampacity covers that fuse and whose drop keeps the path from the bank within its share of the drop budget: the
//! main cable 40 %, a switch feeding other devices 70 %, a device the rest (assumed split, so that sizing cables
//! one after the other leaves room downstream).
use super::analysis::{self, CableId, PowerReport};
use super::tables::{self, FuseKind, FUSE_MARGIN, STANDARD_SIZES};
use super::{Cable, Circuit, Fuse, Length, PowerParams};
use crate::battery::BankConfig;
use crate::lang::{write_in, Lang, Localized};
use crate::system::SystemConfig;
use alloc::vec::Vec;
use core::fmt;

/// Lengths taken when none is entered (assumed; the user is told and can enter the real one).
pub const ASSUMED_LENGTH_MAIN: Length = Length::dm(15);
pub const ASSUMED_LENGTH_DEVICE: Length = Length::dm(20);
pub const ASSUMED_LENGTH_INTERCONNECT: Length = Length::dm(5);

/// Share of the drop budget a cable feeding others may use, in percent (assumed).
pub const MAIN_SHARE_PERCENT: f64 = 40.0;
pub const SWITCH_SHARE_PERCENT: f64 = 70.0;

/// A cable and fuse that pass the cable's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub id: CableId,
    pub cable: Cable,
    /// `None` only for a circuit that carries no current, or an interconnect (fused at the string).
    pub fuse: Option<Fuse>,
    /// The length was not entered: the assumed one was used.
    pub length_assumed: bool,
}

/// Why no suggestion can be made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SuggestError {
    /// No such cable in this system (a device without a power circuit).
    NoCircuit,
    /// No standard size keeps the drop within the budget: the cables upstream already drop `upstream_percent`.
    NoSizeFits { upstream_percent: f64 },
    /// No fuse type of this system's voltage is sold at the rating the current needs.
    NoFuseFits { current_a: f64 },
}

impl Localized for SuggestError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            SuggestError::NoCircuit => f.write_str(lang.pick(
                "this device has no power cable of its own",
                "cet appareil n'a pas de câble de puissance propre",
            )),
            SuggestError::NoSizeFits { upstream_percent } => write_in!(
                f,
                lang,
                "no standard size up to 240 mm² keeps the drop within the limit (the cables upstream already drop \
                 {:.1} %): shorten the run, thicken the cables upstream or raise the system voltage",
                "aucune section standard jusqu'à 240 mm² ne garde la chute sous la limite (les câbles en amont \
                 chutent déjà de {:.1} %) : raccourcissez la liaison, grossissez les câbles en amont ou augmentez la \
                 tension du système",
                upstream_percent
            ),
            SuggestError::NoFuseFits { current_a } => write_in!(
                f,
                lang,
                "no standard fuse covers {:.0} A × 1.25 at this voltage: split the circuit",
                "aucun fusible standard ne couvre {:.0} A × 1,25 à cette tension : divisez le circuit",
                current_a
            ),
        }
    }
}

impl fmt::Display for SuggestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// The circuit configured for `id`, if it exists.
pub fn circuit_of(system: &SystemConfig, id: CableId) -> Option<Circuit> {
    match id {
        CableId::Main => Some(system.power.main),
        CableId::Interconnect => Some(Circuit {
            cable: system.power.interconnect,
            fuse: None,
            current_a: None,
        }),
        CableId::Device(i) => system
            .devices
            .get(i)
            .filter(|d| analysis::has_circuit(&d.kind))
            .map(|d| d.circuit),
    }
}

/// Writes a cable (and fuse) into the configuration.
pub fn apply(system: &mut SystemConfig, s: &Suggestion) {
    match s.id {
        CableId::Main => {
            system.power.main.cable = Some(s.cable);
            if s.fuse.is_some() {
                system.power.main.fuse = s.fuse;
            }
        }
        CableId::Interconnect => system.power.interconnect = Some(s.cable),
        CableId::Device(i) => {
            if let Some(d) = system.devices.get_mut(i) {
                d.circuit.cable = Some(s.cable);
                if s.fuse.is_some() {
                    d.circuit.fuse = s.fuse;
                }
            }
        }
    }
}

/// The suggestion for cable `id`.
pub fn suggest(
    bank: &BankConfig,
    system: &SystemConfig,
    id: CableId,
) -> Result<Suggestion, SuggestError> {
    suggest_in_report(&analysis::analyse(bank, system), system, id)
}

/// The smallest fuse of `kinds` (in order) of at least 1.25 × `current`, rated for `max_v` (a 58 V version of a
/// 32 V type where one is sold: MEGA, MIDI and blade fuses; assumed).
pub fn pick_fuse(kinds: &[FuseKind], current: f64, max_v: f64) -> Option<Fuse> {
    let min = current * FUSE_MARGIN;
    kinds.iter().find_map(|&kind| {
        let rating = *kind
            .ratings()
            .iter()
            .find(|&&r| f64::from(r) + 1e-9 >= min)?;
        let mut fuse = Fuse::new(kind, rating);
        if f64::from(kind.typical_voltage_v()) < max_v {
            let has_58v = matches!(kind, FuseKind::Mega | FuseKind::Midi | FuseKind::Blade);
            if !has_58v || max_v > 58.0 {
                return None;
            }
            fuse.voltage_rating_v = Some(58);
        }
        Some(fuse)
    })
}

fn fuse_kinds(id: CableId, existing: Option<Fuse>) -> Vec<FuseKind> {
    let mut kinds = Vec::new();
    if let Some(f) = existing {
        kinds.push(f.kind);
    }
    let order: &[FuseKind] = match id {
        CableId::Main => &[FuseKind::ClassT, FuseKind::Anl, FuseKind::Mega],
        _ => &[
            FuseKind::Blade,
            FuseKind::Midi,
            FuseKind::Mega,
            FuseKind::ClassT,
            FuseKind::Anl,
        ],
    };
    kinds.extend(
        order
            .iter()
            .copied()
            .filter(|k| Some(*k) != existing.map(|f| f.kind)),
    );
    kinds
}

/// The suggestion for cable `id` given an analysis of the system as it is.
pub fn suggest_in_report(
    r: &PowerReport,
    system: &SystemConfig,
    id: CableId,
) -> Result<Suggestion, SuggestError> {
    let circuit = circuit_of(system, id).ok_or(SuggestError::NoCircuit)?;
    let c = r.cable(id).ok_or(SuggestError::NoCircuit)?;
    let p = &system.power.params;
    let (length, length_assumed) = match circuit.cable {
        Some(cable) => (cable.length_m, false),
        None => (
            match id {
                CableId::Main => ASSUMED_LENGTH_MAIN,
                CableId::Interconnect => ASSUMED_LENGTH_INTERCONNECT,
                CableId::Device(_) => ASSUMED_LENGTH_DEVICE,
            },
            true,
        ),
    };
    let current = c.current_a;
    let fuse = if id == CableId::Interconnect || current <= 0.0 {
        circuit.fuse
    } else {
        let keep = circuit.fuse.filter(|f| {
            f64::from(f.rating_a) + 1e-9 >= current * FUSE_MARGIN
                && f64::from(f.voltage_rating()) >= r.max_v
        });
        match keep {
            Some(f) => Some(f),
            None => Some(
                pick_fuse(&fuse_kinds(id, circuit.fuse), current, r.max_v)
                    .ok_or(SuggestError::NoFuseFits { current_a: current })?,
            ),
        }
    };
    let needs = if id == CableId::Interconnect {
        system
            .power
            .string_fuse
            .map_or(current, |f| f64::from(f.rating_a).max(current))
    } else {
        fuse.map_or(current, |f| f64::from(f.rating_a))
    };
    let limit_v = f64::from(p.max_drop_permille) / 1000.0 * r.system_v;
    let share = match id {
        CableId::Main => MAIN_SHARE_PERCENT,
        CableId::Device(i) if feeds_others(system, i) => SWITCH_SHARE_PERCENT,
        _ => 100.0,
    } / 100.0;
    let upstream = (c.path_drop_v - c.drop_v.unwrap_or(0.0)).max(0.0);
    let extra = if id == CableId::Main {
        system.power.main_extra_uohm()
    } else {
        0.0
    };
    for &size in STANDARD_SIZES.iter() {
        let cable = Cable::new(size, length);
        if analysis::derated_ampacity(&cable, p).amps + 1e-9 < needs {
            continue;
        }
        let drop = drop_of(id, &cable, fuse, p, extra, current);
        // The share limits how much of the budget a feeder takes; a cable never makes the path worse than the
        // limit itself.
        let budget = if id == CableId::Interconnect {
            f64::INFINITY
        } else {
            limit_v * share
        };
        if id != CableId::Interconnect
            && (upstream + drop > budget + 1e-12 || upstream + drop > limit_v)
        {
            continue;
        }
        return Ok(Suggestion {
            id,
            cable,
            fuse,
            length_assumed,
        });
    }
    Err(SuggestError::NoSizeFits {
        upstream_percent: upstream / r.system_v * 100.0,
    })
}

fn drop_of(
    id: CableId,
    cable: &Cable,
    fuse: Option<Fuse>,
    p: &PowerParams,
    extra: f64,
    current: f64,
) -> f64 {
    if id == CableId::Interconnect {
        let r = tables::copper_ohms(
            cable.cross_section_mm2.si(),
            cable.length_m.si(),
            p.conductor_temperature,
        ) + 2.0 * f64::from(p.connection_uohm) * 1e-6;
        return r * current;
    }
    let circuit = Circuit {
        cable: Some(*cable),
        fuse,
        current_a: None,
    };
    analysis::circuit_ohms(&circuit, p, extra).unwrap_or(f64::INFINITY) * current
}

/// Whether device `i` is a switch with other devices behind it.
fn feeds_others(system: &SystemConfig, i: usize) -> bool {
    system.devices[i].kind.is_switch()
        && system
            .devices
            .iter()
            .any(|d| d.power_path.behind == Some(i))
}

/// What [`size_everything`] did for one cable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sized {
    pub id: CableId,
    pub result: Result<Suggestion, SuggestError>,
}

/// Fills every cable (and fuse) not entered yet, from the bank outwards, and a fuse per string on a parallel bank
/// without one. Cables already entered are left as they are.
pub fn size_everything(bank: &BankConfig, system: &mut SystemConfig) -> Vec<Sized> {
    let mut done = Vec::new();
    let mut order = Vec::new();
    order.push(CableId::Main);
    // Switches nearest the bank first, then everything behind them.
    let depth = |i: usize| crate::system::switch_chain(system, i).map_or(usize::MAX, |c| c.len());
    let mut devices: Vec<usize> = (0..system.devices.len())
        .filter(|&i| analysis::has_circuit(&system.devices[i].kind))
        .collect();
    devices.sort_by_key(|&i| (depth(i), !system.devices[i].kind.is_switch(), i));
    order.extend(devices.into_iter().map(CableId::Device));
    if bank.parallel >= 2 || bank.series >= 2 {
        order.push(CableId::Interconnect);
    }
    if bank.parallel >= 2 && system.power.string_fuse.is_none() {
        let r = analysis::analyse(bank, system);
        let per_string =
            r.cable(CableId::Main).map_or(0.0, |c| c.current_a) / f64::from(bank.parallel);
        system.power.string_fuse = pick_fuse(
            &[FuseKind::ClassT, FuseKind::Mega, FuseKind::Anl],
            per_string,
            r.max_v,
        );
    }
    for id in order {
        let Some(circuit) = circuit_of(system, id) else {
            continue;
        };
        if circuit.cable.is_some() {
            continue;
        }
        let result = suggest(bank, system, id);
        if let Ok(s) = &result {
            apply(system, s);
        }
        done.push(Sized { id, result });
    }
    done
}
