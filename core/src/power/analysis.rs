//! The power side worked out: every cable's design current, resistance and voltage drop, the drop from the bank to
//! each device, the bank's continuous ratings and short-circuit current, and how current shares between parallel
//! strings.
//!
//! Design currents are the worst case a cable must carry continuously: a load's configured draw at the nominal
//! voltage (a constant-power load at nominal, as Wiring Unlimited's 2400 W / 12 V = 200 A example), a charger's
//! maximum current, a switch the larger of what its loads draw together and its chargers push together, the main
//! cable the same over the whole system; a circuit's `current_a` replaces the device's figure.
use super::tables::{self, Ampacity};
use super::{Cable, Circuit, Distribution, Fuse, ParallelLayout, PowerParams};
use crate::battery::{self, BankConfig};
use crate::lang::Lang;
use crate::system::{switch_chain, SystemConfig};
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde::Serialize;

/// Which cable a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CableId {
    /// Bank terminals to the distribution point.
    Main,
    /// One battery-to-battery lead.
    Interconnect,
    /// The circuit feeding the device at this index.
    Device(usize),
}

/// One cable, worked out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CableReport {
    pub id: CableId,
    /// Where it starts and ends, in words.
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub cable: Option<Cable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fuse: Option<Fuse>,
    /// The fuse's rating, A (the CLI's `fuse_a`), `None` without fuse.
    pub fuse_a: Option<u32>,
    /// Design current, A.
    pub current_a: f64,
    /// Resistance of the circuit: both conductors, its fuse and connections (and shunt, main switch), mΩ.
    pub resistance_mohm: Option<f64>,
    /// Drop across this circuit at the design current, V and % of the nominal system voltage.
    pub drop_v: Option<f64>,
    pub drop_percent: Option<f64>,
    /// Drop from the bank terminals to the far end of this circuit (every cable on the way at its own design
    /// current), counting only the cables entered.
    pub path_drop_v: f64,
    pub path_drop_percent: f64,
    /// Every cable on the way is entered (otherwise the path drop is a lower bound).
    pub path_complete: bool,
    /// Power lost in the circuit at the design current, W.
    pub loss_w: Option<f64>,
    /// Continuous ampacity after derating, A.
    #[serde(skip)]
    pub ampacity: Option<Ampacity>,
    pub ampacity_a: Option<f64>,
    /// Indices of the switches between the bank and this circuit, nearest first (device circuits only).
    #[serde(skip)]
    pub upstream: Vec<usize>,
}

/// The whole power side, worked out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PowerReport {
    /// Nominal system voltage, V (what drops are a percentage of).
    pub system_v: f64,
    /// Highest voltage of the bank (charge voltage), V: what fuses must be rated for.
    pub max_v: f64,
    pub cables: Vec<CableReport>,
    /// What every load draws together and every charger pushes together, A.
    pub discharge_a: f64,
    pub charge_a: f64,
    /// The bank's continuous and 10 s ratings (catalogue × strings), A.
    pub continuous_discharge_a: f64,
    pub pulse_discharge_a: f64,
    pub continuous_charge_a: f64,
    /// Prospective short-circuit current at the bank terminals, A: charge voltage over the bank's internal
    /// resistance (plus interconnects where entered).
    pub short_circuit_a: Option<f64>,
    /// Each parallel string's share of the main design current, A (only with 2 or more strings and the
    /// interconnect entered).
    pub string_currents_a: Vec<f64>,
    /// (largest − smallest) / mean of those, %.
    pub imbalance_percent: Option<f64>,
}

impl PowerReport {
    pub fn cable(&self, id: CableId) -> Option<&CableReport> {
        self.cables.iter().find(|c| c.id == id)
    }
}

/// Whether a device kind has a power circuit of its own (loads, chargers, switches); coils, buzzers and LEDs are
/// fed from a BMS output.
pub fn has_circuit(kind: &crate::devices::DeviceKind) -> bool {
    kind.power_role().is_some()
        || kind.is_switch()
        || matches!(kind, crate::devices::DeviceKind::VeBusMultiPlus { .. })
}

/// Resistance of a circuit, Ω: two conductors of the cable, four connections (both ends of both), its fuse, and
/// `extra_uohm`. `None` when the cable is not entered.
pub fn circuit_ohms(circuit: &Circuit, params: &PowerParams, extra_uohm: f64) -> Option<f64> {
    let cable = circuit.cable?;
    let copper = tables::copper_ohms(
        cable.cross_section_mm2.si(),
        2.0 * cable.length_m.si(),
        params.conductor_temperature,
    );
    let fuse = circuit.fuse.map_or(0.0, |f| tables::fuse_uohm(f.rating_a));
    Some(copper + (4.0 * f64::from(params.connection_uohm) + fuse + extra_uohm) * 1e-6)
}

/// The ampacity of a cable after the derating of `params`.
pub fn derated_ampacity(cable: &Cable, params: &PowerParams) -> Ampacity {
    let a = tables::ampacity(cable.cross_section_mm2);
    Ampacity {
        amps: a.amps * f64::from(params.ampacity_percent) / 100.0,
        basis: a.basis,
    }
}

/// Design current of every device's circuit, A (0 for devices without one), and whether it flows towards the
/// bank (a charger, or a switch that passes more charge than load).
pub fn design_currents(system: &SystemConfig, nominal_mv: i32) -> Vec<(f64, bool)> {
    let n = system.devices.len();
    let nominal = crate::units::Millivolts(nominal_mv);
    // (load, charge) each device adds to every switch on its way.
    let mut load = vec![0.0f64; n];
    let mut charge = vec![0.0f64; n];
    let own: Vec<f64> = system
        .devices
        .iter()
        .map(|d| {
            let configured = match d.kind.power_role() {
                Some(crate::devices::PowerRole::Load { draw }) => {
                    f64::from(draw.current_at(nominal).0) / 1000.0
                }
                Some(crate::devices::PowerRole::Charger { output }) => {
                    f64::from(output.max_current.0.max(0)) / 1000.0
                }
                None => 0.0,
            };
            d.circuit.current_a.map_or(configured, f64::from)
        })
        .collect();
    for (i, d) in system.devices.iter().enumerate() {
        if d.kind.is_switch() {
            continue;
        }
        let Ok(chain) = switch_chain(system, i) else {
            continue;
        };
        let is_charger = d.kind.direction() == Some(crate::devices::Direction::ToBank);
        for j in chain {
            if is_charger {
                charge[j] += own[i];
            } else {
                load[j] += own[i];
            }
        }
    }
    system
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if d.kind.is_switch() {
                let through = load[i].max(charge[i]);
                (
                    d.circuit.current_a.map_or(through, f64::from),
                    charge[i] > load[i],
                )
            } else {
                (
                    own[i],
                    d.kind.direction() == Some(crate::devices::Direction::ToBank),
                )
            }
        })
        .collect()
}

/// Works out the power side in English words.
pub fn analyse(bank: &BankConfig, system: &SystemConfig) -> PowerReport {
    analyse_in(bank, system, Lang::En)
}

/// Works out the power side; endpoint names in `lang`. Never panics: a bank that cannot be resolved is taken as
/// one 12.8 V battery with no ratings.
pub fn analyse_in(bank: &BankConfig, system: &SystemConfig, lang: Lang) -> PowerReport {
    let fig = battery::figures(bank).ok();
    let nominal_mv = fig.as_ref().map_or(12_800, |f| f.nominal_voltage.0);
    let system_v = f64::from(nominal_mv) / 1000.0;
    let strings = f64::from(bank.parallel.max(1));
    let series = f64::from(bank.series.max(1));
    let max_v = fig.as_ref().map_or(14.2, |f| {
        f64::from(f.model.charge_voltage.0) / 1000.0 * series
    });
    let rating = |ma: Option<i32>| ma.map_or(0.0, |m| f64::from(m.max(0)) / 1000.0 * strings);
    let continuous_discharge_a = rating(fig.as_ref().map(|f| f.model.max_continuous_discharge.0));
    let pulse_discharge_a = rating(fig.as_ref().map(|f| f.model.max_pulse_discharge_10s.0));
    let continuous_charge_a = rating(fig.as_ref().map(|f| f.model.max_continuous_charge.0));

    let w = &system.power;
    let p = &w.params;
    let currents = design_currents(system, nominal_mv);
    let mut discharge_a = 0.0;
    let mut charge_a = 0.0;
    for (i, d) in system.devices.iter().enumerate() {
        if d.kind.is_switch() || !has_circuit(&d.kind) {
            continue;
        }
        if currents[i].1 {
            charge_a += currents[i].0;
        } else {
            discharge_a += currents[i].0;
        }
    }
    let main_current = w
        .main
        .current_a
        .map_or(discharge_a.max(charge_a), f64::from);
    let pct = |v: f64| v / system_v * 100.0;

    let mut cables = Vec::new();
    let main_r = circuit_ohms(&w.main, p, w.main_extra_uohm());
    let main_drop = main_r.map(|r| r * main_current);
    // What the main cable drops for a device depends on which way its current flows: loads see it at what the
    // loads draw together, chargers at what the chargers push together.
    let main_drop_towards = |charging: bool| {
        main_r.map(|r| {
            r * match w.main.current_a {
                Some(a) => f64::from(a),
                None if charging => charge_a,
                None => discharge_a,
            }
        })
    };
    cables.push(report(
        CableId::Main,
        lang.pick("bank", "parc de batteries").to_string(),
        distribution_name(w.distribution, lang).to_string(),
        &w.main,
        main_current,
        main_r,
        main_drop.unwrap_or(0.0),
        main_r.is_some(),
        p,
        system_v,
        Vec::new(),
    ));
    if u32::from(bank.parallel) * u32::from(bank.series) >= 2 {
        let ic = w.interconnect;
        let circuit = Circuit {
            cable: ic,
            fuse: None,
            current_a: None,
        };
        // One lead, one conductor: half of the pair resistance, two connections.
        let r = ic.map(|ic| {
            tables::copper_ohms(
                ic.cross_section_mm2.si(),
                ic.length_m.si(),
                p.conductor_temperature,
            ) + 2.0 * f64::from(p.connection_uohm) * 1e-6
        });
        let per_string = main_current / strings;
        let mut rep = report(
            CableId::Interconnect,
            lang.pick("battery", "batterie").to_string(),
            lang.pick("battery", "batterie").to_string(),
            &circuit,
            per_string,
            r,
            0.0,
            ic.is_some(),
            p,
            system_v,
            Vec::new(),
        );
        rep.path_drop_v = rep.drop_v.unwrap_or(0.0);
        rep.path_drop_percent = pct(rep.path_drop_v);
        cables.push(rep);
    }
    // Drop at the far end of each device circuit: its own, then each switch upstream, then the main cable.
    let own_drop: Vec<Option<f64>> = system
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| circuit_ohms(&d.circuit, p, 0.0).map(|r| r * currents[i].0))
        .collect();
    for (i, d) in system.devices.iter().enumerate() {
        if !has_circuit(&d.kind) {
            continue;
        }
        let chain = switch_chain(system, i).unwrap_or_default();
        let main_part = main_drop_towards(currents[i].1);
        let mut path = main_part.unwrap_or(0.0) + own_drop[i].unwrap_or(0.0);
        let mut complete = main_part.is_some() && own_drop[i].is_some();
        for &j in &chain {
            path += own_drop[j].unwrap_or(0.0);
            complete &= own_drop[j].is_some();
        }
        let from = match chain.first() {
            Some(&j) => system.devices[j].name.clone(),
            None => distribution_name(w.distribution, lang).to_string(),
        };
        let r = circuit_ohms(&d.circuit, p, 0.0);
        cables.push(report(
            CableId::Device(i),
            from,
            d.name.clone(),
            &d.circuit,
            currents[i].0,
            r,
            path,
            complete,
            p,
            system_v,
            chain,
        ));
    }

    let bank_r = fig
        .as_ref()
        .map(|f| f64::from(f.model.internal_resistance_uohm) * 1e-6 * series / strings);
    let short_circuit_a = bank_r.filter(|r| *r > 0.0).map(|r| max_v / r);
    let (string_currents_a, imbalance_percent) = match (w.interconnect, fig.as_ref()) {
        (Some(ic), Some(f)) if bank.parallel >= 2 && main_current > 0.0 => {
            let r_string = f64::from(f.model.internal_resistance_uohm) * 1e-6 * series;
            let r_link = tables::copper_ohms(
                ic.cross_section_mm2.si(),
                ic.length_m.si(),
                p.conductor_temperature,
            ) + 2.0 * f64::from(p.connection_uohm) * 1e-6;
            let shares = string_shares(
                usize::from(bank.parallel),
                r_string,
                r_link,
                w.layout,
                main_current,
            );
            let imbalance = imbalance(&shares);
            (shares, imbalance)
        }
        _ => (Vec::new(), None),
    };
    PowerReport {
        system_v,
        max_v,
        cables,
        discharge_a,
        charge_a,
        continuous_discharge_a,
        pulse_discharge_a,
        continuous_charge_a,
        short_circuit_a,
        string_currents_a,
        imbalance_percent,
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    id: CableId,
    from: String,
    to: String,
    circuit: &Circuit,
    current_a: f64,
    r: Option<f64>,
    path_drop_v: f64,
    path_complete: bool,
    p: &PowerParams,
    system_v: f64,
    upstream: Vec<usize>,
) -> CableReport {
    let drop_v = r.map(|r| r * current_a);
    let ampacity = circuit.cable.map(|c| derated_ampacity(&c, p));
    CableReport {
        id,
        from,
        to,
        cable: circuit.cable,
        fuse: circuit.fuse,
        fuse_a: circuit.fuse.map(|f| f.rating_a),
        current_a,
        resistance_mohm: r.map(|r| r * 1000.0),
        drop_v,
        drop_percent: drop_v.map(|v| v / system_v * 100.0),
        path_drop_v,
        path_drop_percent: path_drop_v / system_v * 100.0,
        path_complete,
        loss_w: r.map(|r| r * current_a * current_a),
        ampacity,
        ampacity_a: ampacity.map(|a| a.amps),
        upstream,
    }
}

/// What the main cable lands on, in words.
pub fn distribution_name(d: Distribution, lang: Lang) -> &'static str {
    match d {
        Distribution::None => lang.pick("main cable end", "extrémité du câble principal"),
        Distribution::Busbar => lang.pick("busbar", "barre omnibus"),
        Distribution::LynxDistributor => "Lynx Distributor",
    }
}

/// (largest − smallest) / mean, %.
fn imbalance(shares: &[f64]) -> Option<f64> {
    let n = shares.len();
    if n < 2 {
        return None;
    }
    let mean = shares.iter().sum::<f64>() / n as f64;
    if mean.abs() < 1e-12 {
        return None;
    }
    let max = shares.iter().cloned().fold(f64::MIN, f64::max);
    let min = shares.iter().cloned().fold(f64::MAX, f64::min);
    Some((max - min) / mean * 100.0)
}

/// How a current `total` drawn from a bank of `n` strings splits between them, A.
///
/// Busbar: every string has its own equal lead, so equal shares. Daisy chains are solved exactly as a ladder:
/// each string a resistance `r_string` between its positive and negative node (equal open-circuit voltages cancel
/// out of the shares), `r_link` between neighbouring nodes on each rail, the load leaving the positive rail at the
/// first battery and returning on the negative rail at the first (same end) or last (diagonal) battery.
pub fn string_shares(
    n: usize,
    r_string: f64,
    r_link: f64,
    layout: ParallelLayout,
    total: f64,
) -> Vec<f64> {
    let n = n.clamp(1, 64);
    if n == 1 || layout == ParallelLayout::Busbar || r_link <= 0.0 || r_string <= 0.0 {
        return vec![total / n as f64; n];
    }
    let back = if layout == ParallelLayout::Diagonal {
        n - 1
    } else {
        0
    };
    // Unknowns: positive nodes 0..n, negative nodes 0..n except `back` (held at 0 V).
    let neg = |k: usize| -> Option<usize> {
        match k.cmp(&back) {
            core::cmp::Ordering::Less => Some(n + k),
            core::cmp::Ordering::Equal => None,
            core::cmp::Ordering::Greater => Some(n + k - 1),
        }
    };
    let m = 2 * n - 1;
    let mut a = vec![vec![0.0f64; m + 1]; m];
    let gs = 1.0 / r_string;
    let gl = 1.0 / r_link;
    // Conductance stamp between two nodes (None = the reference node).
    let mut stamp = |x: Option<usize>, y: Option<usize>, g: f64| {
        if let Some(x) = x {
            a[x][x] += g;
        }
        if let Some(y) = y {
            a[y][y] += g;
        }
        if let (Some(x), Some(y)) = (x, y) {
            a[x][y] -= g;
            a[y][x] -= g;
        }
    };
    for k in 0..n {
        stamp(Some(k), neg(k), gs);
        if k + 1 < n {
            stamp(Some(k), Some(k + 1), gl);
            stamp(neg(k), neg(k + 1), gl);
        }
    }
    // The load takes `total` out of positive node 0 (and returns it into the reference node).
    a[0][m] = -total;
    let Some(v) = solve(a) else {
        return vec![total / n as f64; n];
    };
    let volt = |idx: Option<usize>| idx.map_or(0.0, |i| v[i]);
    (0..n)
        .map(|k| (volt(neg(k)) - volt(Some(k))) * gs)
        .collect()
}

/// Gaussian elimination with partial pivoting on an augmented matrix; `None` if singular.
fn solve(mut a: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let m = a.len();
    for col in 0..m {
        let pivot = (col..m).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        let (top, rest) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for row in rest.iter_mut() {
            let f = row[col] / pivot_row[col];
            if f != 0.0 {
                for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                    *x -= f * p;
                }
            }
        }
    }
    let mut x = vec![0.0; m];
    for row in (0..m).rev() {
        let s: f64 = (row + 1..m).map(|c| a[row][c] * x[c]).sum();
        x[row] = (a[row][m] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_favour_the_near_battery_on_a_same_end_chain() {
        let s = string_shares(4, 0.004, 0.0005, ParallelLayout::SameEnd, 200.0);
        assert!((s.iter().sum::<f64>() - 200.0).abs() < 1e-6, "{s:?}");
        assert!(s.windows(2).all(|w| w[0] > w[1]), "{s:?}");
        let d = string_shares(4, 0.004, 0.0005, ParallelLayout::Diagonal, 200.0);
        assert!((d.iter().sum::<f64>() - 200.0).abs() < 1e-6, "{d:?}");
        // Diagonal: symmetric and far more even than the same-end chain.
        assert!(
            (d[0] - d[3]).abs() < 1e-6 && (d[1] - d[2]).abs() < 1e-6,
            "{d:?}"
        );
        assert!(imbalance(&d).unwrap() < imbalance(&s).unwrap() / 3.0);
        let b = string_shares(4, 0.004, 0.0005, ParallelLayout::Busbar, 200.0);
        assert_eq!(b, vec![50.0; 4]);
    }

    #[test]
    fn two_strings_same_end_by_hand() {
        // String 0 sees r; string 1 sees r + 2 links. Shares inverse to the path resistance.
        let (r, l) = (0.004, 0.001);
        let s = string_shares(2, r, l, ParallelLayout::SameEnd, 100.0);
        let expect0 = 100.0 * (r + 2.0 * l) / (2.0 * r + 2.0 * l);
        assert!((s[0] - expect0).abs() < 1e-9, "{s:?} vs {expect0}");
    }
}
