//! The bank's electrical model: every cell an equivalent circuit (OCV(SoC) + R0 + one R1‖C1 branch, τ = 30 s,
//! optional one-state hysteresis), batteries in series in each string, strings in parallel sharing the current by
//! their voltage and resistance.
//!
//! Structure and default split of the resistance (R0 = 40 %, R1 = 60 % of the DC resistance, τ = 30 s, Arrhenius
//! temperature dependence with Ea = 20 kJ/mol) follow PyBaMM's Thevenin ECM parameter set (anchors.md §4.1,
//! [PB-ECMSET]); the resistance itself is the battery's published internal resistance (NG12-TD, NG51-TD).
//!
//! A step holds the bank current constant over its interval and integrates exactly: coulombs and self-discharge
//! are linear, and the RC branch has the closed form v(t) = R1·I + (v0 − R1·I)·e^(−t/τ). Parallel strings are a
//! stiff system (milliohms between large capacities), so the split between strings is implicit: each string's
//! EMF and resistance are averaged over the interval — the RC branch charging up, and the OCV moving along its
//! slope with the string's own charge (implicit midpoint) — so a long step cannot overshoot the equalisation
//! between strings, and one step of an hour and 3600 steps of a second agree. Floats only with + − × ÷ and `libm`, so native and wasm agree to the
//! bit.
use super::ocv::{ocv, slope};
use super::{check_model, figures, BankConfig, BankError, CellSpread, MAX_CELLS};
use crate::catalogue::BatteryModel;
use crate::units::{DeciCelsius, MilliampHours, Milliamps, Millis, Millivolts, Permille};
use alloc::vec;
use alloc::vec::Vec;

/// Time constant of the RC branch, seconds (PyBaMM ECM, anchors.md §4.1).
pub const TAU_S: f64 = 30.0;
/// Share of the DC resistance in R0 (the rest is R1) (PyBaMM ECM, anchors.md §4.1).
pub const R0_SHARE: f64 = 0.4;
/// Activation energy of the resistance's temperature dependence, J/mol (PyBaMM ECM, anchors.md §4.1).
pub const ACTIVATION_ENERGY: f64 = 20_000.0;
/// Amplitude of the one-state hysteresis, volts per cell (assumed; LFP plateau hysteresis is tens of mV).
pub const HYSTERESIS_V: f64 = 0.015;
/// Rate of the hysteresis state per unit of charge throughput (assumed: settles within about 2 % SoC).
pub const HYSTERESIS_RATE: f64 = 50.0;
/// A cell can be pushed this far past full (its voltage then climbs steeply, see `ocv`).
const SOC_CEILING: f64 = 1.05;
const GAS_CONSTANT: f64 = 8.314;
const SECONDS_PER_MONTH: f64 = 30.44 * 24.0 * 3600.0;

/// A cell and where it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellRef {
    /// Battery index: string × series + position, from 0.
    pub battery: usize,
    /// Cell index inside the battery, from 0.
    pub cell: usize,
    pub voltage: Millivolts,
}

/// What the bank looks like after the last step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BankState {
    /// Terminal voltage at the present current.
    pub voltage: Millivolts,
    pub current: Milliamps,
    /// Capacity-weighted state of charge of all cells.
    pub soc: Permille,
    pub min_cell: CellRef,
    pub max_cell: CellRef,
    /// The emptiest cell's own state of charge.
    pub min_cell_soc: Permille,
    pub max_cell_soc: Permille,
    /// Coldest and hottest battery: (battery index, temperature).
    pub min_temperature: (usize, DeciCelsius),
    pub max_temperature: (usize, DeciCelsius),
    /// Charge taken out since full, zero or negative (as Victron shows it).
    pub consumed: MilliampHours,
    /// Time until empty at the present discharge current; `None` when not discharging.
    pub time_to_go: Option<Millis>,
    pub capacity: MilliampHours,
}

#[derive(Clone, Debug, PartialEq)]
struct Cell {
    soc: f64,
    /// Capacity in ampere-seconds.
    capacity_as: f64,
    v_rc: f64,
    /// Hysteresis state in −1…1.
    h: f64,
}

#[derive(Clone, Debug, PartialEq)]
struct Battery {
    temperature: DeciCelsius,
    /// Per-cell R0 and R1 at 25 °C, ohms.
    r0_25: f64,
    r1_25: f64,
    /// At the battery's temperature.
    r0: f64,
    r1: f64,
}

/// The simulated bank.
#[derive(Clone, Debug, PartialEq)]
pub struct Bank {
    series: usize,
    parallel: usize,
    cells_per_battery: usize,
    cells: Vec<Cell>,
    batteries: Vec<Battery>,
    string_factor: Vec<f64>,
    /// Per string: the current over the last step, amps (+ charges).
    string_current: Vec<f64>,
    self_discharge_per_s: f64,
    hysteresis: bool,
    nominal: Millivolts,
    capacity: MilliampHours,
    current: Milliamps,
    state: BankState,
}

/// splitmix64: a tiny, well-known deterministic generator, enough for a reproducible cell spread.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in −1…1.
fn symmetric(state: &mut u64) -> f64 {
    (splitmix(state) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

fn finite_or(x: f64, default: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        default
    }
}

/// Resistance multiplier at `t` relative to 25 °C (Arrhenius; clamped to the cell's survivable range).
fn arrhenius(t: DeciCelsius) -> f64 {
    let kelvin = (t.si()).clamp(-40.0, 80.0) + 273.15;
    libm::exp(ACTIVATION_ENERGY / GAS_CONSTANT * (1.0 / kelvin - 1.0 / 298.15))
}

impl Battery {
    fn new(model: &BatteryModel, temperature: DeciCelsius) -> Battery {
        let cells = f64::from(model.cells_in_series.max(1));
        let r_cell = f64::from(model.internal_resistance_uohm.max(1)) * 1e-6 / cells;
        let mut b = Battery {
            temperature,
            r0_25: r_cell * R0_SHARE,
            r1_25: r_cell * (1.0 - R0_SHARE),
            r0: 0.0,
            r1: 0.0,
        };
        b.set_temperature(temperature);
        b
    }
    fn set_temperature(&mut self, t: DeciCelsius) {
        self.temperature = t;
        let k = arrhenius(t);
        self.r0 = self.r0_25 * k;
        self.r1 = self.r1_25 * k;
    }
}

impl Bank {
    /// Builds the bank; never panics on any configuration.
    pub fn new(cfg: &BankConfig) -> Result<Bank, BankError> {
        let f = figures(cfg)?;
        let model = f.model;
        let series = usize::from(cfg.series);
        let parallel = usize::from(cfg.parallel);
        let cpb = usize::from(model.cells_in_series);
        let n_batteries = series * parallel;
        let n_cells = n_batteries * cpb;
        if n_cells > MAX_CELLS {
            return Err(BankError::TooLarge { cells: n_cells });
        }
        let mut batteries = Vec::with_capacity(n_batteries);
        let mut cells = Vec::with_capacity(n_cells);
        let (mut rng, cap_spread, soc_spread) = match cfg.spread {
            CellSpread::Identical => (0, 0.0, 0.0),
            CellSpread::Seeded {
                seed,
                capacity_pct,
                soc_pct,
            } => (
                seed,
                finite_or(capacity_pct, 0.0).clamp(0.0, 50.0) / 100.0,
                finite_or(soc_pct, 0.0).clamp(0.0, 50.0) / 100.0,
            ),
        };
        let soc0 = f64::from(cfg.initial_soc.0.min(1000)) / 1000.0;
        for b in 0..n_batteries {
            let own = cfg
                .overrides
                .iter()
                .find(|o| o.battery == b)
                .and_then(|o| o.model.resolve());
            let m = match own {
                Some(m) if check_model(&m).is_ok() => m,
                _ => model.clone(),
            };
            batteries.push(Battery::new(&m, cfg.ambient));
            let cap_as = m.capacity.si() * 3600.0;
            for _ in 0..cpb {
                let c = if cap_spread > 0.0 || soc_spread > 0.0 {
                    (
                        symmetric(&mut rng) * cap_spread,
                        symmetric(&mut rng) * soc_spread,
                    )
                } else {
                    (0.0, 0.0)
                };
                cells.push(Cell {
                    soc: (soc0 + c.1).clamp(0.0, 1.0),
                    capacity_as: cap_as * (1.0 + c.0),
                    v_rc: 0.0,
                    h: 0.0,
                });
            }
        }
        let mut bank = Bank {
            series,
            parallel,
            cells_per_battery: cpb,
            cells,
            batteries,
            string_factor: vec![1.0; parallel],
            string_current: vec![0.0; parallel],
            self_discharge_per_s: f64::from(cfg.self_discharge_permille_per_month)
                / 1000.0
                / SECONDS_PER_MONTH,
            hysteresis: cfg.hysteresis,
            nominal: f.nominal_voltage,
            capacity: f.capacity,
            current: Milliamps(0),
            state: BankState::default(),
        };
        bank.refresh_state();
        Ok(bank)
    }

    pub fn nominal_voltage(&self) -> Millivolts {
        self.nominal
    }
    pub fn capacity(&self) -> MilliampHours {
        self.capacity
    }
    pub fn batteries(&self) -> usize {
        self.batteries.len()
    }
    pub fn cells_per_battery(&self) -> usize {
        self.cells_per_battery
    }
    pub fn series(&self) -> usize {
        self.series
    }
    pub fn strings(&self) -> usize {
        self.parallel
    }
    /// The state after the last step (cheap: computed once per step).
    pub fn state(&self) -> BankState {
        self.state.clone()
    }
    /// Each string's current over the last step (+ charges).
    pub fn string_currents(&self) -> impl Iterator<Item = Milliamps> + '_ {
        self.string_current.iter().map(|a| Milliamps::from_si(*a))
    }
    /// A cell's state of charge, 0…1 (None for an index outside the bank).
    pub fn cell_soc(&self, battery: usize, cell: usize) -> Option<f64> {
        self.index(battery, cell)
            .map(|i| self.cells[i].soc.min(1.0))
    }
    /// A cell's state of charge as the model holds it, above 1 for a cell pushed past full (up to the model's
    /// ceiling): what an energy balance needs (`plan::run`).
    pub fn cell_soc_unclamped(&self, battery: usize, cell: usize) -> Option<f64> {
        self.index(battery, cell).map(|i| self.cells[i].soc)
    }
    /// Every cell's terminal voltage at the present current, battery by battery.
    pub fn cell_voltages(&self) -> Vec<Millivolts> {
        (0..self.cells.len())
            .map(|i| {
                let b = i / self.cells_per_battery;
                let s = b / self.series;
                Millivolts::from_si(self.cell_voltage(i, self.string_current[s]))
            })
            .collect()
    }
    /// Battery temperatures.
    pub fn temperatures(&self) -> impl Iterator<Item = DeciCelsius> + '_ {
        self.batteries.iter().map(|b| b.temperature)
    }

    fn index(&self, battery: usize, cell: usize) -> Option<usize> {
        (battery < self.batteries.len() && cell < self.cells_per_battery)
            .then(|| battery * self.cells_per_battery + cell)
    }

    pub fn set_temperature(&mut self, battery: usize, t: DeciCelsius) {
        if let Some(b) = self.batteries.get_mut(battery) {
            b.set_temperature(t);
        }
        self.refresh_state();
    }
    pub fn set_ambient(&mut self, t: DeciCelsius) {
        for b in &mut self.batteries {
            b.set_temperature(t);
        }
        self.refresh_state();
    }
    /// Moves one cell's state of charge by `delta_permille` (a cell drifting out of balance).
    pub fn nudge_cell_soc(&mut self, battery: usize, cell: usize, delta_permille: i32) {
        if let Some(i) = self.index(battery, cell) {
            let c = &mut self.cells[i];
            c.soc = (c.soc + f64::from(delta_permille.clamp(-1000, 1000)) / 1000.0).clamp(0.0, 1.0);
        }
        self.refresh_state();
    }
    /// Multiplies one string's resistance (a weaker string: corroded lug, long cable).
    pub fn set_string_resistance_factor(&mut self, string: usize, factor: f64) {
        if let Some(f) = self.string_factor.get_mut(string) {
            *f = finite_or(factor, 1.0).clamp(0.01, 1000.0);
        }
        self.refresh_state();
    }

    /// The open-circuit part of a cell's voltage (OCV + hysteresis).
    fn cell_emf(&self, c: &Cell) -> f64 {
        let h = if self.hysteresis {
            HYSTERESIS_V * c.h
        } else {
            0.0
        };
        ocv(c.soc) + h
    }

    fn cell_voltage(&self, i: usize, string_amps: f64) -> f64 {
        let c = &self.cells[i];
        let b = &self.batteries[i / self.cells_per_battery];
        let s = (i / self.cells_per_battery) / self.series;
        self.cell_emf(c) + c.v_rc + b.r0 * self.string_factor[s] * string_amps
    }

    /// Per string: (EMF, resistance) averaged over an interval of `dt_s` (dt = 0: instantaneous). Over an
    /// interval the RC branch charges up (its average adds R1·(1 − f)), and the OCV moves with the string's own
    /// charge: ΔOCV = slope·I·t/C, whose average over the interval is an extra resistance slope·dt/(2C).
    fn thevenin(&self, dt_s: f64, out: &mut Vec<(f64, f64)>) {
        let f = if dt_s <= 1e-9 {
            1.0
        } else {
            TAU_S / dt_s * (1.0 - libm::exp(-dt_s / TAU_S))
        };
        let per_string = self.series * self.cells_per_battery;
        out.clear();
        for s in 0..self.parallel {
            let mut e = 0.0;
            let mut r = 0.0;
            for i in s * per_string..(s + 1) * per_string {
                let c = &self.cells[i];
                let b = &self.batteries[i / self.cells_per_battery];
                e += self.cell_emf(c) + c.v_rc * f;
                r += (b.r0 + b.r1 * (1.0 - f)) * self.string_factor[s];
                if dt_s > 0.0 {
                    r += slope(c.soc) * dt_s / (2.0 * c.capacity_as);
                }
            }
            out.push((e, r));
        }
    }

    /// Splits `amps` between the strings: every string sees the same terminal voltage.
    fn split(strings: &[(f64, f64)], amps: f64, out: &mut [f64]) -> f64 {
        let g: f64 = strings.iter().map(|(_, r)| 1.0 / r).sum();
        let v = (amps + strings.iter().map(|(e, r)| e / r).sum::<f64>()) / g;
        for (o, (e, r)) in out.iter_mut().zip(strings) {
            *o = (v - e) / r;
        }
        v
    }

    /// Integrates the bank over `dt` with the bank current held at `current` (+ charges).
    pub fn step(&mut self, current: Milliamps, dt: Millis) {
        let dt_s = dt.si();
        if dt_s > 0.0 {
            let mut strings = Vec::with_capacity(self.parallel);
            self.thevenin(dt_s, &mut strings);
            let mut amps = vec![0.0; self.parallel];
            Self::split(&strings, current.si(), &mut amps);
            let decay = libm::exp(-dt_s / TAU_S);
            let per_string = self.series * self.cells_per_battery;
            let sd = self.self_discharge_per_s * dt_s;
            for (s, &i_s) in amps.iter().enumerate() {
                for i in s * per_string..(s + 1) * per_string {
                    let r1 = self.batteries[i / self.cells_per_battery].r1 * self.string_factor[s];
                    let c = &mut self.cells[i];
                    c.soc = (c.soc + i_s * dt_s / c.capacity_as - sd).clamp(0.0, SOC_CEILING);
                    c.v_rc = r1 * i_s + (c.v_rc - r1 * i_s) * decay;
                    if self.hysteresis && i_s != 0.0 {
                        let target = if i_s > 0.0 { 1.0 } else { -1.0 };
                        let k =
                            libm::exp(-libm::fabs(i_s) * HYSTERESIS_RATE * dt_s / c.capacity_as);
                        c.h = target + (c.h - target) * k;
                    }
                }
            }
        }
        self.current = current;
        self.refresh_state();
    }

    /// Recomputes the cached state (terminal and cell voltages at the present current).
    fn refresh_state(&mut self) {
        let mut strings = Vec::with_capacity(self.parallel);
        self.thevenin(0.0, &mut strings);
        let mut amps = vec![0.0; self.parallel];
        let v = Self::split(&strings, self.current.si(), &mut amps);
        self.string_current = amps;
        let mut min = (f64::MAX, 0usize);
        let mut max = (f64::MIN, 0usize);
        let mut soc_min = f64::MAX;
        let mut soc_max = f64::MIN;
        let mut charge = 0.0;
        let mut cap = 0.0;
        for i in 0..self.cells.len() {
            let s = (i / self.cells_per_battery) / self.series;
            let cv = self.cell_voltage(i, self.string_current[s]);
            if cv < min.0 {
                min = (cv, i);
            }
            if cv > max.0 {
                max = (cv, i);
            }
            let c = &self.cells[i];
            soc_min = soc_min.min(c.soc);
            soc_max = soc_max.max(c.soc);
            charge += c.soc.min(1.0) * c.capacity_as;
            cap += c.capacity_as;
        }
        let soc = if cap > 0.0 { charge / cap } else { 0.0 };
        let at = |(v, i): (f64, usize)| CellRef {
            battery: i / self.cells_per_battery,
            cell: i % self.cells_per_battery,
            voltage: Millivolts::from_si(v),
        };
        let temps = self.batteries.iter().map(|b| b.temperature).enumerate();
        let tmin = temps
            .clone()
            .min_by_key(|(_, t)| *t)
            .unwrap_or((0, DeciCelsius(0)));
        let tmax = temps.max_by_key(|(_, t)| *t).unwrap_or((0, DeciCelsius(0)));
        let capacity_ah = self.capacity.si();
        let ttg = (self.current.0 < 0).then(|| {
            let secs = soc * capacity_ah * 3600.0 / (-self.current.si());
            Millis((secs.clamp(0.0, 1e12) * 1000.0) as u64)
        });
        self.state = BankState {
            voltage: Millivolts::from_si(v),
            current: self.current,
            soc: Permille::from_fraction(soc),
            min_cell: if self.cells.is_empty() {
                CellRef::default()
            } else {
                at(min)
            },
            max_cell: if self.cells.is_empty() {
                CellRef::default()
            } else {
                at(max)
            },
            min_cell_soc: Permille::from_fraction(soc_min),
            max_cell_soc: Permille::from_fraction(soc_max),
            min_temperature: tmin,
            max_temperature: tmax,
            consumed: MilliampHours::from_si(-(1.0 - soc) * capacity_ah),
            time_to_go: ttg,
            capacity: self.capacity,
        };
    }
}
