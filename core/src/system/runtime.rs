//! The downstream devices at run time: one state machine per configured device, updated from the BMS outputs, with
//! the power paths evaluated through their switches.
use super::wiring::switch_chain;
use super::{Control, SystemConfig};
use crate::bms::{BmsOutputs, OutputCurrents};
use crate::devices::{DeviceInputs, DeviceKind, DeviceSim, Direction, Microamps, SystemVoltage};
use crate::signal::Level;
use crate::units::{Milliamps, Millivolts, SimTime};
use alloc::vec::Vec;

/// What the devices read besides the BMS outputs, filled by the engine each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Environment {
    /// Bank voltage.
    pub bank_voltage: Millivolts,
    /// The other battery on a Cyrix-Li-ct (starter battery), if modelled.
    pub starter_voltage: Option<Millivolts>,
    /// A Cyrix-Li-ct start-assist pulse at this step.
    pub start_assist: bool,
}

impl Environment {
    pub fn bank(bank_voltage: Millivolts) -> Environment {
        Environment {
            bank_voltage,
            starter_voltage: None,
            start_assist: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Slot {
    control: Option<Control>,
    behind: Option<usize>,
    /// The switches its power passes through; `None` if the chain is invalid (never powered).
    chain: Option<Vec<usize>>,
    direction: Option<Direction>,
    kind: DeviceKind,
    sim: DeviceSim,
    level: Option<Level>,
    /// What the outside world lets it exchange while it runs, when not its configured figure: the amps a load
    /// draws, the amps a charge source can deliver (0 = no shore power, sun or running engine).
    demand: Option<Milliamps>,
    /// Cyrix-Li-ct: a start-assist pulse is waiting for the next update.
    assist: bool,
    /// Resistance of its own power circuit (cable pair, fuse, connections), µΩ; 0 when not entered.
    r_uohm: u64,
    /// The voltage at its power terminals at the last update (bank voltage minus the drops on the way).
    terminal: Option<Millivolts>,
    /// The fuse of its circuit, if one is entered.
    fuse: Option<FuseState>,
}

/// A fuse heating up while its current is above its rating ([`FUSE_CURVE_MS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FuseState {
    pub rating: Milliamps,
    /// How far it is towards blowing, millionths (1 000 000 = blown).
    heat_ppm: u64,
    pub blown: bool,
    /// When it blew, and the current then.
    pub blew_at: Option<(SimTime, Milliamps)>,
}

/// Time-current curve of a fuse, assumed (no fuse data in the sources; the usual shape of DC fuses): below 1.1 ×
/// its rating it never blows; above, it blows after `FUSE_CURVE_MS / ((I / In)² − 1)` — 4 min at 1.5 ×, 100 s at
/// 2 ×, 3 s at 10 × — and cools back over [`FUSE_COOL_MS`] when the current drops.
pub const FUSE_CURVE_MS: f64 = 300_000.0;
pub const FUSE_COOL_MS: f64 = 600_000.0;
const FUSE_NEVER_BELOW: f64 = 1.1;

impl FuseState {
    fn new(rating_a: u32) -> FuseState {
        FuseState {
            rating: Milliamps(i32::try_from(rating_a.saturating_mul(1000)).unwrap_or(i32::MAX)),
            heat_ppm: 0,
            blown: false,
            blew_at: None,
        }
    }

    /// Milliseconds to blow from cold at `current`, `None` if it never does.
    fn time_to_blow_ms(&self, current: Milliamps) -> Option<f64> {
        let ratio = f64::from(current.0.unsigned_abs()) / f64::from(self.rating.0.max(1));
        (ratio > FUSE_NEVER_BELOW).then(|| FUSE_CURVE_MS / (ratio * ratio - 1.0))
    }

    /// Heats (or cools) over `dt_ms` at `current`; true when it blows now.
    fn advance(&mut self, now: SimTime, dt_ms: u64, current: Milliamps) -> bool {
        if self.blown || dt_ms == 0 {
            return false;
        }
        let dt = dt_ms as f64;
        self.heat_ppm = match self.time_to_blow_ms(current) {
            Some(t) => self
                .heat_ppm
                .saturating_add(libm::round(dt / t * 1e6).min(2e6) as u64),
            None => self
                .heat_ppm
                .saturating_sub(libm::round(dt / FUSE_COOL_MS * 1e6) as u64),
        };
        if self.heat_ppm >= 1_000_000 {
            self.blown = true;
            self.blew_at = Some((now, current));
        }
        self.blown
    }

    /// When it would blow at `current` if nothing changes.
    fn deadline(&self, now: SimTime, current: Milliamps) -> Option<SimTime> {
        if self.blown {
            return None;
        }
        let t = self.time_to_blow_ms(current)?;
        let left = (1_000_000u64.saturating_sub(self.heat_ppm)) as f64 / 1e6 * t;
        Some(now.after(crate::units::Millis(libm::ceil(left).max(1.0) as u64)))
    }
}

/// A circuit's resistance in whole µΩ (0 when its cable is not entered), so the engine's sums stay integers.
fn circuit_uohm(
    c: &crate::power::Circuit,
    params: &crate::power::PowerParams,
    extra_uohm: f64,
) -> u64 {
    crate::power::analysis::circuit_ohms(c, params, extra_uohm)
        .map_or(0, |r| libm::round((r * 1e6).clamp(0.0, 1e12)) as u64)
}

fn clamp_ma(x: i64) -> Milliamps {
    Milliamps(x.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
}

/// The voltage change, mV, of `ma` (positive = towards the bank) through `uohm`: mA × µΩ = nV.
fn ir_mv(ma: i64, uohm: u64) -> i64 {
    (i128::from(ma) * i128::from(uohm) / 1_000_000) as i64
}

/// Every configured device's runtime state. Rebuild with [`Devices::new`] when the configuration changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Devices {
    slots: Vec<Slot>,
    /// Resistance of the main circuit (bank to distribution), µΩ; 0 when not entered.
    main_uohm: u64,
    /// Whether any cable is entered (otherwise every device sees the bank voltage, at no cost).
    wired: bool,
    /// The main fuse, if entered: blown, nothing is powered.
    main_fuse: Option<FuseState>,
    /// When the fuses were last advanced, and the bank voltage then.
    fuses_at: Option<SimTime>,
    fuses_bank: Millivolts,
}

impl Devices {
    /// State machines for `config`'s devices in a bank of nominal voltage `bank_nominal`.
    pub fn new(config: &SystemConfig, bank_nominal: Millivolts) -> Devices {
        let system = SystemVoltage::from_nominal(bank_nominal);
        let slots = config
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| Slot {
                control: d.control,
                behind: d.power_path.behind,
                chain: switch_chain(config, i).ok(),
                direction: d.kind.direction(),
                kind: d.kind.clone(),
                sim: DeviceSim::new(&d.kind, system),
                level: None,
                demand: None,
                assist: false,
                r_uohm: circuit_uohm(&d.circuit, &config.power.params, 0.0),
                terminal: None,
                fuse: d.circuit.fuse.map(|f| FuseState::new(f.rating_a)),
            })
            .collect::<Vec<_>>();
        let w = &config.power;
        let main_uohm = circuit_uohm(&w.main, &w.params, w.main_extra_uohm());
        let wired = main_uohm > 0 || slots.iter().any(|s| s.r_uohm > 0);
        Devices {
            slots,
            main_uohm,
            wired,
            main_fuse: w.main.fuse.map(|f| FuseState::new(f.rating_a)),
            fuses_at: None,
            fuses_bank: bank_nominal,
        }
    }

    /// Heats every fuse with what flowed since the last update; returns the devices whose fuse blew now
    /// (`usize::MAX` for the main fuse).
    fn advance_fuses(&mut self, now: SimTime, bank_voltage: Millivolts) -> Vec<usize> {
        let dt = self.fuses_at.map_or(0, |t| now.since(t).0);
        self.fuses_at = Some(now);
        self.fuses_bank = bank_voltage;
        let mut blew = Vec::new();
        if dt == 0 || (self.main_fuse.is_none() && self.slots.iter().all(|s| s.fuse.is_none())) {
            return blew;
        }
        let (feeds, net) = self.flows(bank_voltage);
        let feeds: Vec<Milliamps> = feeds.into_iter().map(clamp_ma).collect();
        let net = clamp_ma(net);
        for (i, s) in self.slots.iter_mut().enumerate() {
            if let Some(f) = s.fuse.as_mut() {
                if f.advance(now, dt, feeds[i]) {
                    blew.push(i);
                }
            }
        }
        if let Some(f) = self.main_fuse.as_mut() {
            if f.advance(now, dt, net) {
                blew.push(usize::MAX);
            }
        }
        blew
    }

    /// The fuse of device `index`'s circuit (`usize::MAX`: the main fuse), if entered.
    pub fn fuse(&self, index: usize) -> Option<&FuseState> {
        if index == usize::MAX {
            return self.main_fuse.as_ref();
        }
        self.slots.get(index).and_then(|s| s.fuse.as_ref())
    }

    /// Whether a blown fuse cuts `index` off: its own, one of the switches it sits behind, or the main fuse.
    fn fuse_open(&self, index: usize) -> bool {
        let blown = |i: usize| {
            self.slots
                .get(i)
                .and_then(|s| s.fuse)
                .is_some_and(|f| f.blown)
        };
        self.main_fuse.is_some_and(|f| f.blown)
            || blown(index)
            || self
                .slots
                .get(index)
                .and_then(|s| s.chain.as_ref())
                .is_some_and(|c| c.iter().any(|&j| blown(j)))
    }

    /// The voltage at every device's power terminals for a bank at `bank_voltage`, from the currents flowing now:
    /// the bank voltage, plus I·R of the main circuit at the net bank current, of each switch's circuit at what it
    /// feeds, and of the device's own circuit (a load sees less than the bank, a charger pushes more).
    pub fn terminal_voltages(&self, bank_voltage: Millivolts) -> Vec<Millivolts> {
        let n = self.slots.len();
        if !self.wired {
            return alloc::vec![bank_voltage; n];
        }
        let (feed, net) = self.flows(bank_voltage);
        let dist = i64::from(bank_voltage.0) + ir_mv(net, self.main_uohm);
        self.slots
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut v = dist;
                for &j in s.chain.iter().flatten().rev() {
                    if let Some(sw) = self.slots.get(j) {
                        v += ir_mv(feed[j], sw.r_uohm);
                    }
                }
                v += ir_mv(feed[i], s.r_uohm);
                Millivolts(v.clamp(0, i64::from(i32::MAX)) as i32)
            })
            .collect()
    }

    /// Every circuit's current at once, mA (+ = towards the bank): each device's feed (a switch carries what it
    /// feeds) and the net bank current. One pass, so the engine's per-step work stays linear in the devices.
    fn flows(&self, bank_voltage: Millivolts) -> (Vec<i64>, i64) {
        let n = self.slots.len();
        let current: Vec<i64> = (0..n)
            .map(|i| i64::from(self.current(i, bank_voltage).0))
            .collect();
        let mut feed = current.clone();
        for (i, s) in self.slots.iter().enumerate() {
            for &j in s.chain.iter().flatten() {
                if j != i && j < n {
                    feed[j] += current[i];
                }
            }
        }
        let net = current.iter().sum();
        (feed, net)
    }

    /// The voltage at device `index`'s power terminals at the last update (the bank voltage before any).
    pub fn terminal_voltage(&self, index: usize) -> Option<Millivolts> {
        self.slots.get(index).and_then(|s| s.terminal)
    }

    /// Power lost in the cables, fuses and connections now, µW (I²·R of every circuit entered).
    pub fn wiring_loss_uw(&self, bank_voltage: Millivolts) -> u128 {
        if !self.wired {
            return 0;
        }
        let sq = |ma: i64, uohm: u64| {
            (i128::from(ma) * i128::from(ma)) as u128 * u128::from(uohm) / 1_000_000
        };
        let (feed, net) = self.flows(bank_voltage);
        let sum: u128 = self
            .slots
            .iter()
            .zip(&feed)
            .map(|(s, &f)| sq(f, s.r_uohm))
            .sum();
        sum + sq(net, self.main_uohm)
    }

    /// Applies the BMS outputs and the environment at `now` to every device. Couplers (Cyrix-Li-Charge and
    /// Cyrix-Li-ct) go last, so they see the chargers behind them as they are now.
    pub fn update(&mut self, now: SimTime, bms: &BmsOutputs, env: &Environment) {
        self.update_fuses(now, bms, env);
    }

    /// [`Devices::update`], returning the fuses that blew in the interval (device indices, `usize::MAX` for the
    /// main fuse).
    pub fn update_fuses(
        &mut self,
        now: SimTime,
        bms: &BmsOutputs,
        env: &Environment,
    ) -> Vec<usize> {
        let blew = self.advance_fuses(now, env.bank_voltage);
        self.update_machines(now, bms, env);
        blew
    }

    fn update_machines(&mut self, now: SimTime, bms: &BmsOutputs, env: &Environment) {
        let terminals = self.terminal_voltages(env.bank_voltage);
        for (slot, v) in self.slots.iter_mut().zip(terminals) {
            slot.level = slot
                .control
                .map(|c| crate::devices::cable::through(c.cable, bms.level(c.output)));
            slot.terminal = Some(v);
        }
        let is_coupler =
            |s: &DeviceSim| matches!(s, DeviceSim::CyrixLiCharge(_) | DeviceSim::CyrixLiCt(_));
        for slot in &mut self.slots {
            if is_coupler(&slot.sim) {
                continue;
            }
            let inputs = DeviceInputs {
                control: slot.level,
                bank_voltage: slot.terminal.unwrap_or(env.bank_voltage),
                other_side: None,
                start_assist: false,
            };
            slot.sim.update(now, &inputs);
        }
        for k in 0..self.slots.len() {
            if !is_coupler(&self.slots[k].sim) {
                continue;
            }
            let ct = matches!(self.slots[k].sim, DeviceSim::CyrixLiCt(_));
            let far_side = self.far_side_voltage(k, env.bank_voltage);
            // A Cyrix-Li-ct sees both batteries: the bank on one terminal, the starter battery (or what charges it)
            // on the other (CYR-CT "either power terminal").
            let other_side = if ct {
                far_side.max(env.starter_voltage.unwrap_or(Millivolts(0)))
            } else {
                far_side
            };
            let assist = ct && (env.start_assist || self.slots[k].assist);
            self.slots[k].assist = false;
            let inputs = DeviceInputs {
                control: self.slots[k].level,
                bank_voltage: self.slots[k].terminal.unwrap_or(env.bank_voltage),
                other_side: Some(other_side),
                start_assist: assist,
            };
            self.slots[k].sim.update(now, &inputs);
        }
    }

    /// The voltage on coupler `k`'s far terminal: the bank's while it conducts (one node then), otherwise the
    /// highest open-circuit voltage of the running charge sources wired behind it (0 V when there is none).
    fn far_side_voltage(&self, k: usize, bank_voltage: Millivolts) -> Millivolts {
        if self.slots.get(k).is_some_and(|s| s.sim.conducts()) {
            return bank_voltage;
        }
        self.slots
            .iter()
            .filter(|s| s.behind == Some(k))
            .filter(|s| s.demand.is_none_or(|d| d.0 > 0))
            .filter_map(|s| s.sim.source_voltage())
            .max()
            .unwrap_or(Millivolts(0))
    }

    /// A start-assist pulse on device `index` (a Cyrix-Li-ct; anything else ignores it), taken at the next
    /// [`Devices::update`] (CYR-CT: closes for 30 s).
    pub fn start_assist(&mut self, index: usize) {
        if let Some(s) = self.slots.get_mut(index) {
            s.assist = matches!(s.sim, DeviceSim::CyrixLiCt(_));
        }
    }

    /// Sets what device `index` exchanges while it runs (see [`Slot::demand`]); `None` restores its configuration.
    pub fn set_demand(&mut self, index: usize, demand: Option<Milliamps>) {
        if let Some(s) = self.slots.get_mut(index) {
            s.demand = demand;
        }
    }

    /// The demand set for device `index`, if any.
    pub fn demand(&self, index: usize) -> Option<Milliamps> {
        self.slots.get(index).and_then(|s| s.demand)
    }

    /// The earliest timer over all devices.
    pub fn next_deadline(&self) -> Option<SimTime> {
        let machines = self
            .slots
            .iter()
            .filter_map(|s| s.sim.next_deadline())
            .min();
        machines.into_iter().chain(self.fuse_deadline()).min()
    }

    /// When the first fuse would blow at the present currents.
    fn fuse_deadline(&self) -> Option<SimTime> {
        let now = self.fuses_at?;
        if self.main_fuse.is_none() && self.slots.iter().all(|s| s.fuse.is_none()) {
            return None;
        }
        let (feeds, net) = self.flows(self.fuses_bank);
        let own = self
            .slots
            .iter()
            .zip(feeds)
            .filter_map(|(s, f)| s.fuse.as_ref().and_then(|fu| fu.deadline(now, clamp_ma(f))));
        let main = self
            .main_fuse
            .as_ref()
            .and_then(|f| f.deadline(now, clamp_ma(net)));
        own.chain(main).min()
    }

    /// Number of devices.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// One device's state machine.
    pub fn get(&self, index: usize) -> Option<&DeviceSim> {
        self.slots.get(index).map(|s| &s.sim)
    }

    /// The level its control terminal saw at the last update.
    pub fn control_level(&self, index: usize) -> Option<Level> {
        self.slots.get(index).and_then(|s| s.level)
    }

    /// Whether `index`'s power path is closed: every switch on it conducts and lets its current's direction pass.
    /// Devices without a power path read `false`.
    pub fn is_powered(&self, index: usize) -> bool {
        let Some(direction) = self.slots.get(index).and_then(|s| s.direction) else {
            return false;
        };
        !self.fuse_open(index)
            && self
                .every_switch_upstream(index, |s| {
                    s.sim.conducts() && s.kind.switch_allows(direction)
                })
                .unwrap_or(false)
    }

    /// Whether every switch between the bank and `index` has its contacts closed, whatever the direction of the
    /// current (what the wiring diagram shows). `None` when `index` has no valid chain of switches.
    pub fn upstream_closed(&self, index: usize) -> Option<bool> {
        self.every_switch_upstream(index, |s| s.sim.conducts())
    }

    fn every_switch_upstream(&self, index: usize, ok: impl Fn(&Slot) -> bool) -> Option<bool> {
        let chain = self.slots.get(index)?.chain.as_ref()?;
        Some(chain.iter().all(|&j| self.slots.get(j).is_some_and(&ok)))
    }

    /// The current `index` actually exchanges with the bank (negative = draws), after its switches.
    pub fn current(&self, index: usize, bank_voltage: Millivolts) -> Milliamps {
        match self.slots.get(index) {
            Some(s) if self.is_powered(index) => {
                // A constant-power load draws more at the lower voltage its terminals see. A charger's taper is
                // taken at the bank voltage: evaluated at its own terminal (raised by its own current through the
                // cable) with one step's delay, a steep CV taper would swing from step to step.
                let is_charger = s.kind.power_role().is_some_and(|r| r.is_charger());
                let v = if is_charger {
                    bank_voltage
                } else {
                    s.terminal.unwrap_or(bank_voltage)
                };
                let own = s.sim.bank_current(v);
                match (s.demand, s.kind.power_role()) {
                    // A charger delivers what is available, never more than its own output allows (CV taper).
                    (Some(d), Some(r)) if r.is_charger() => Milliamps(d.0.max(0).min(own.0.max(0))),
                    // A running load draws the demanded current.
                    (Some(d), Some(_)) if own.0 != 0 || s.sim.is_active() => Milliamps(-d.0.max(0)),
                    _ => own,
                }
            }
            _ => Milliamps(0),
        }
    }

    /// The current on `index`'s feed wire: its own and that of every device powered through it (a switch
    /// carries what it feeds). Negative = drawn from the bank.
    pub fn feed_current(&self, index: usize, bank_voltage: Millivolts) -> Milliamps {
        let fed: i64 = self
            .slots
            .iter()
            .enumerate()
            .filter(|(j, s)| *j == index || s.chain.as_ref().is_some_and(|c| c.contains(&index)))
            .map(|(j, _)| i64::from(self.current(j, bank_voltage).0))
            .sum();
        Milliamps(fed.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }

    /// The sum of all power-path currents (negative = net discharge).
    pub fn bank_current(&self, bank_voltage: Millivolts) -> Milliamps {
        let sum: i64 = (0..self.slots.len())
            .map(|i| i64::from(self.current(i, bank_voltage).0))
            .sum();
        Milliamps(sum.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
    }

    /// The devices' quiescent consumption.
    pub fn own_consumption(&self) -> Microamps {
        Microamps(
            self.slots
                .iter()
                .fold(0i64, |sum, s| sum.saturating_add(s.sim.own_consumption().0)),
        )
    }
}

/// Everything the bank exchanges, in µA (positive = charges the bank): device power paths, minus device quiescent
/// consumption, minus the BMS's own consumption and what its outputs source.
pub fn total_bank_current(
    bms: &BmsOutputs,
    demand: &OutputCurrents,
    devices: &Devices,
    bank_voltage: Millivolts,
) -> Microamps {
    let paths = Microamps::from_milliamps(devices.bank_current(bank_voltage)).0;
    Microamps(
        paths
            .saturating_sub(devices.own_consumption().0)
            .saturating_sub(bms.supply_current(demand).0),
    )
}
