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
}

/// Every configured device's runtime state. Rebuild with [`Devices::new`] when the configuration changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Devices {
    slots: Vec<Slot>,
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
            })
            .collect();
        Devices { slots }
    }

    /// Applies the BMS outputs and the environment at `now` to every device. Couplers (Cyrix-Li-Charge and
    /// Cyrix-Li-ct) go last, so they see the chargers behind them as they are now.
    pub fn update(&mut self, now: SimTime, bms: &BmsOutputs, env: &Environment) {
        for slot in &mut self.slots {
            slot.level = slot
                .control
                .map(|c| crate::devices::cable::through(c.cable, bms.level(c.output)));
        }
        let is_coupler =
            |s: &DeviceSim| matches!(s, DeviceSim::CyrixLiCharge(_) | DeviceSim::CyrixLiCt(_));
        for slot in &mut self.slots {
            if is_coupler(&slot.sim) {
                continue;
            }
            let inputs = DeviceInputs {
                control: slot.level,
                bank_voltage: env.bank_voltage,
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
                bank_voltage: env.bank_voltage,
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
        self.slots
            .iter()
            .filter_map(|s| s.sim.next_deadline())
            .min()
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
        self.every_switch_upstream(index, |s| {
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
                let own = s.sim.bank_current(bank_voltage);
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
