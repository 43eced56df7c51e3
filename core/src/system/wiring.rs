//! Wiring evaluation: what each device's control terminal sees, what each BMS output must source, and which
//! switches each device's power passes through.
use super::SystemConfig;
use crate::bms::{BmsOutput, BmsOutputs, OutputCurrents};
use crate::lang::{write_in, Lang, Localized};
use crate::signal::Level;
use crate::units::Milliamps;
use alloc::vec::Vec;
use core::fmt;

/// The level on each device's control terminal (after its cable) for the BMS outputs `bms`; `None` where the device
/// is not wired to the BMS. Same order as `config.devices`. The engine calls this every step (or uses
/// [`super::Devices::update`], which does).
pub fn control_inputs(config: &SystemConfig, bms: &BmsOutputs) -> Vec<Option<Level>> {
    config
        .devices
        .iter()
        .map(|d| d.control_level(|o| bms.level(o)))
        .collect()
}

/// The current each BMS output sources while high: the sum of the control currents (coils, buzzers, LEDs, remote
/// inputs) of the devices wired to it. Feed it to `BmsInputs::demand`; `BmsOutputs::sourced` gives what actually
/// flows.
pub fn output_demand(config: &SystemConfig) -> OutputCurrents {
    let mut demand = OutputCurrents::default();
    for d in &config.devices {
        if let Some(c) = d.control {
            let slot = demand.get_mut(c.output);
            *slot = Milliamps(slot.0.saturating_add(d.kind.control_current().0));
        }
    }
    demand
}

/// The devices wired to one output, with the current each draws from it.
pub fn devices_on(config: &SystemConfig, output: BmsOutput) -> Vec<(usize, Milliamps)> {
    config
        .devices
        .iter()
        .enumerate()
        .filter(|(_, d)| d.control.is_some_and(|c| c.output == output))
        .map(|(i, d)| (i, d.kind.control_current()))
        .collect()
}

/// Why a device's `power_path.behind` chain is unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainError {
    /// `behind` names a device index that does not exist.
    OutOfRange { index: usize },
    /// `behind` names a device that is not a switch.
    NotASwitch { index: usize },
    /// Following `behind` comes back to a device already on the chain.
    Loop { index: usize },
}

impl Localized for ChainError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        match self {
            ChainError::OutOfRange { index } => write_in!(
                f,
                lang,
                "there is no device number {}",
                "il n'y a pas d'appareil numéro {}",
                index.saturating_add(1)
            ),
            ChainError::NotASwitch { index } => write_in!(
                f,
                lang,
                "device {} is not a switch (only a BatteryProtect, Cyrix or relay/contactor can be)",
                "l'appareil {} n'est pas un interrupteur (seul un BatteryProtect, un Cyrix ou un \
                 relais/contacteur peut l'être)",
                index.saturating_add(1)
            ),
            ChainError::Loop { index } => write_in!(
                f,
                lang,
                "the chain of switches loops back to device {}",
                "la chaîne d'interrupteurs revient sur l'appareil {}",
                index.saturating_add(1)
            ),
        }
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

/// The switches `device`'s power passes through, nearest first.
pub fn switch_chain(config: &SystemConfig, device: usize) -> Result<Vec<usize>, ChainError> {
    let mut chain = Vec::new();
    let mut next = config.device(device).and_then(|d| d.power_path.behind);
    while let Some(j) = next {
        let Some(sw) = config.device(j) else {
            return Err(ChainError::OutOfRange { index: j });
        };
        if j == device || chain.contains(&j) {
            return Err(ChainError::Loop { index: j });
        }
        if !sw.kind.is_switch() {
            return Err(ChainError::NotASwitch { index: j });
        }
        chain.push(j);
        next = sw.power_path.behind;
    }
    Ok(chain)
}

/// The BMS outputs that can switch `device` off: its own control (if it has a remote input) and the control of
/// every switch on its power path.
pub fn switched_by(config: &SystemConfig, device: usize) -> Vec<BmsOutput> {
    let mut outputs = Vec::new();
    let Some(d) = config.device(device) else {
        return outputs;
    };
    if let (Some(c), Some(_)) = (d.control, d.kind.remote_input()) {
        outputs.push(c.output);
    }
    for j in switch_chain(config, device).unwrap_or_default() {
        if let Some(c) = config.device(j).and_then(|s| s.control) {
            if !outputs.contains(&c.output) {
                outputs.push(c.output);
            }
        }
    }
    outputs
}
