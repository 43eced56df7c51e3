//! Running a plan through the engine, and what comes out: SoC over time, the first PRE-ALARM and LOAD
//! disconnect and why, the daily energy balance, days of autonomy, and a sizing answer found by re-running.
//!
//! The day is cut into segments at every profile edge, every [`Plan::step_min`] minutes and every hour. At the
//! start of a segment the plan sets each planned device's demand with the engine's own scenario action
//! (`Action::Demand`): a load's watts ÷ the bank voltage at that instant (so a constant-power load draws more as
//! the bank sinks), a charge source's available amps, an MPPT's PV watts × its efficiency ÷ the bank voltage,
//! clipped at its rated current. The engine then does the rest — the BMS reads the cells, floats LOAD at the
//! discharge floor, floats CHARGER on a full cell, the BatteryProtect, Cyrix and remote inputs follow — and the
//! planner only watches: each step it reads every device's actual current (after its switches) and the standby
//! draw, as the engine integrates them, and adds up watt-hours.
//!
//! Energy bookkeeping (all at the bank's terminals unless said): `wh_in` (chargers), `wh_out` (loads, the
//! inverter's DC input included), and losses: `standby` (the BMS and every device's own consumption, control
//! outputs included), `self_discharge` (the bank's configured rate), `battery` (internal: terminal voltage − EMF
//! times current), `inverter` (inside `wh_out`: its DC input − the AC delivered). Stored energy is
//! Σ cells ∫ OCV dSoC (assuming cells of equal capacity), so `wh_in − wh_out − standby − self_discharge − battery`
//! equals the change of stored energy up to the integration error (`conservation_error_wh`).
//! `cables_wh` is what the engine counts as lost in the power wiring entered (cables, fuses, connections, of
//! loads and chargers alike; the loads' share is inside `wh_out`, the chargers' is before `wh_in`).
use super::climate::{self};
use super::profile::DAY_MIN;
use super::solar::{day_of_year, month_of, sun_position};
use super::{InverterModel, Plan, PlanError, Site, MAX_DAYS};
use crate::battery::ocv::{ocv, OCV_TABLE};
use crate::document::Document;
use crate::engine::Simulation;
use crate::lang::Lang;
use crate::scenario::{Action, Scenario, ScenarioEvent};
use crate::units::SimTime;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde::Serialize;

/// What the command line or the UI overrides, and what to compute besides the run itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlanOptions {
    pub days: Option<u32>,
    pub month: Option<u8>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Re-run for the sizing answer.
    pub sizing: bool,
    /// Re-run with no charging for the days of autonomy.
    pub autonomy: bool,
    /// Language of the event causes.
    pub lang: Lang,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            days: None,
            month: None,
            lat: None,
            lon: None,
            sizing: true,
            autonomy: true,
            lang: Lang::En,
        }
    }
}

/// The longest run for days of autonomy, days.
pub const AUTONOMY_MAX_DAYS: u32 = 365;
/// The most batteries a smallBMS NG manages (datasheet).
pub const MAX_BATTERIES: u32 = 50;
/// The sizing answer's PV step, W.
pub const WP_STEP: f64 = 50.0;

/// A first occurrence, with the reason the BMS gave.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Milestone {
    pub t_s: u64,
    /// Day of the plan, from 1.
    pub day: u32,
    /// Local clock time.
    pub clock: String,
    pub cause: String,
}

/// Energy of one device over a period, Wh at the bank's terminals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviceEnergy {
    pub device: String,
    pub wh_in: f64,
    pub wh_out: f64,
}

/// Energy of one appliance, charge source or PV array over the whole run, Wh at the bank's terminals (an AC
/// appliance: its share of the inverter's DC input).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProfileEnergy {
    pub name: String,
    pub device: String,
    pub wh: f64,
}

/// Where energy went that neither a load nor the bank got, Wh.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Losses {
    /// Inside the inverter (part of `wh_out`).
    pub inverter_wh: f64,
    /// The BMS's and the devices' own consumption.
    pub standby_wh: f64,
    pub self_discharge_wh: f64,
    /// In the batteries' internal resistance.
    pub battery_wh: f64,
    /// In the power wiring (the engine's figure; `None` while no cable is entered).
    pub cables_wh: Option<f64>,
}

/// One day of the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayBalance {
    /// From 1.
    pub day: u32,
    /// "MM-DD".
    pub date: String,
    pub wh_in: f64,
    pub wh_out: f64,
    pub min_soc_percent: f64,
    pub end_soc_percent: f64,
    /// What the PV arrays offered (before the MPPT's clipping and the BMS), Wh.
    pub pv_available_wh: f64,
    pub stored_wh: f64,
    pub losses: Losses,
    pub devices: Vec<DeviceEnergy>,
}

/// The weather used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeatherUsed {
    /// `plan`, a place key, or `clear sky`.
    pub source: String,
    pub factors: [f64; 12],
}

/// Sizing answer for one quantity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SizingAnswer {
    pub current: f64,
    /// The least that keeps LOAD connected for the whole plan; `None` if even `max_tried` does not.
    pub needed: Option<f64>,
    pub max_tried: f64,
    /// Engine runs it took.
    pub runs: u32,
}

/// Batteries (the other figures kept) and PV peak power (the other figures kept) that keep the bank above the
/// discharge floor (LOAD never floats) for the whole plan, each found by bisection over re-runs of the engine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sizing {
    pub criterion: String,
    /// Batteries in the bank (strings × batteries in series; strings are added).
    pub batteries: SizingAnswer,
    /// Total PV peak power, W (every array scaled alike); `None` without an array.
    pub wp: Option<SizingAnswer>,
}

/// Totals over the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub wh_in: f64,
    pub wh_out: f64,
    pub losses: Losses,
    pub stored_start_wh: f64,
    pub stored_end_wh: f64,
    /// (in − out − standby − self-discharge − battery) − Δ stored.
    pub conservation_error_wh: f64,
    pub pv_available_wh: f64,
}

/// Everything a plan run answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanResult {
    pub plan: String,
    pub system: String,
    pub days_run: u32,
    /// "MM-DD" of day 1.
    pub start: String,
    pub site: Site,
    pub weather: WeatherUsed,
    pub days: Vec<DayBalance>,
    /// SoC at the end of every hour, percent.
    pub soc_hourly_percent: Vec<f64>,
    pub lowest_soc_percent: f64,
    pub lowest_soc_s: u64,
    pub first_pre_alarm: Option<Milestone>,
    pub first_load_disconnect: Option<Milestone>,
    pub first_load_disconnect_s: Option<u64>,
    /// PV power offered on day 1, hour by hour (mean of each hour), W.
    pub pv_w_hourly: Vec<f64>,
    pub totals: Totals,
    pub devices: Vec<DeviceEnergy>,
    pub profiles: Vec<ProfileEnergy>,
    /// Days until LOAD floats with every charge source off (`None`: not within [`AUTONOMY_MAX_DAYS`]).
    pub autonomy_days: Option<f64>,
    pub sizing: Option<Sizing>,
    /// Engine steps of the main run.
    pub steps: u64,
}

/// A plan checked against its system: every name resolved to a device index.
#[derive(Clone, Debug)]
struct Resolved {
    days: u32,
    doy0: u16,
    weekday0: u8,
    site: Site,
    weather: WeatherUsed,
    load_dev: Vec<usize>,
    charge_dev: Vec<usize>,
    pv_dev: Vec<usize>,
    inverter: Option<(usize, InverterModel)>,
    /// Devices whose demand the plan sets.
    planned: Vec<usize>,
    /// Per device: rated MPPT current if an array gives one.
    rated_a: Vec<Option<f64>>,
}

fn find(doc: &Document, name: &str) -> Option<usize> {
    doc.system.devices.iter().position(|d| d.name == name)
}

fn role(doc: &Document, i: usize) -> Option<crate::devices::PowerRole> {
    doc.system.devices.get(i).and_then(|d| d.kind.power_role())
}

fn resolve(doc: &Document, plan: &Plan, o: &PlanOptions) -> Result<Resolved, PlanError> {
    use super::profile::range;
    let days = o.days.unwrap_or(plan.days);
    range("plan", "days", f64::from(days), 1.0, f64::from(MAX_DAYS))?;
    let month = o.month.unwrap_or(plan.month);
    range("plan", "month", f64::from(month), 1.0, 12.0)?;
    let day = if o.month.is_some() { 1 } else { plan.day };
    let doy0 = day_of_year(month, day).ok_or(PlanError::BadDate { month, day })?;
    if plan.start_weekday > 6 {
        return Err(PlanError::BadWeekday {
            profile: "plan".into(),
            day: plan.start_weekday,
        });
    }
    range("plan", "step_min", f64::from(plan.step_min), 1.0, 60.0)?;
    if let Some(s) = plan.initial_soc_percent {
        range("plan", "initial_soc_percent", s, 0.0, 100.0)?;
    }
    let place = match &plan.place {
        Some(k) => {
            Some(climate::place(k).ok_or_else(|| PlanError::UnknownPlace { key: k.clone() })?)
        }
        None => None,
    };
    let mut site = match (plan.site, place) {
        (Some(s), _) => s,
        (None, Some(p)) => Site {
            lat_deg: p.lat_deg,
            lon_deg: p.lon_deg,
            utc_offset_h: p.utc_offset_h,
        },
        (None, None) if plan.solar.is_empty() && o.lat.is_none() && o.lon.is_none() => Site {
            lat_deg: 0.0,
            lon_deg: 0.0,
            utc_offset_h: 0.0,
        },
        (None, None) if o.lat.is_some() && o.lon.is_some() => Site {
            lat_deg: 0.0,
            lon_deg: 0.0,
            utc_offset_h: 0.0,
        },
        (None, None) => return Err(PlanError::NoSite),
    };
    let moved = o.lat.is_some() || o.lon.is_some();
    if let Some(lat) = o.lat {
        site.lat_deg = lat;
    }
    if let Some(lon) = o.lon {
        site.lon_deg = lon;
        if plan.site.is_none() && place.is_none() {
            site.utc_offset_h = libm::round(lon / 15.0);
        }
    }
    range("site", "lat_deg", site.lat_deg, -90.0, 90.0)?;
    range("site", "lon_deg", site.lon_deg, -180.0, 180.0)?;
    range("site", "utc_offset_h", site.utc_offset_h, -12.0, 14.0)?;
    let weather = match &plan.weather_factor {
        Some(f) => {
            if f.len() != 12 {
                return Err(PlanError::WeatherFactors { found: f.len() });
            }
            let mut factors = [1.0; 12];
            for (k, v) in f.iter().enumerate() {
                range("plan", "weather_factor", *v, 0.0, 1.0)?;
                factors[k] = *v;
            }
            WeatherUsed {
                source: "plan".into(),
                factors,
            }
        }
        None => {
            // A named place gives its weather unless the command line moved the site away from it.
            let p = match place {
                Some(p) if !moved => Some(p),
                _ => climate::nearest(site.lat_deg, site.lon_deg),
            };
            match p {
                Some(p) => {
                    let mut factors = [1.0; 12];
                    for (k, f) in factors.iter_mut().enumerate() {
                        *f = p.weather_factor(k as u8 + 1);
                    }
                    WeatherUsed {
                        source: p.key.into(),
                        factors,
                    }
                }
                None => WeatherUsed {
                    source: "clear sky".into(),
                    factors: [1.0; 12],
                },
            }
        }
    };
    let n = doc.system.devices.len();
    let inverter = match &plan.inverter {
        Some(inv) => {
            inv.check()?;
            let i = find(doc, &inv.device).ok_or_else(|| PlanError::UnknownDevice {
                profile: "inverter".into(),
                device: inv.device.clone(),
            })?;
            let is_inv = doc.system.devices[i].kind.is_inverter()
                && role(doc, i).is_some_and(|r| !r.is_charger());
            if !is_inv {
                return Err(PlanError::NotAnInverter {
                    device: inv.device.clone(),
                });
            }
            Some((i, inv.clone()))
        }
        None => None,
    };
    let mut load_dev = Vec::with_capacity(plan.loads.len());
    for l in &plan.loads {
        l.schedule.check(&l.name)?;
        range(&l.name, "watts", l.watts, 0.0, 100_000.0)?;
        let i = find(doc, &l.device).ok_or_else(|| PlanError::UnknownDevice {
            profile: l.name.clone(),
            device: l.device.clone(),
        })?;
        if role(doc, i).is_none_or(|r| r.is_charger()) {
            return Err(PlanError::NotALoad {
                profile: l.name.clone(),
                device: l.device.clone(),
            });
        }
        if l.ac {
            match &inverter {
                None => {
                    return Err(PlanError::NoInverter {
                        profile: l.name.clone(),
                    })
                }
                Some((k, _)) if *k != i => {
                    return Err(PlanError::AcElsewhere {
                        profile: l.name.clone(),
                        device: l.device.clone(),
                    })
                }
                _ => {}
            }
        }
        load_dev.push(i);
    }
    let charger = |name: &str, device: &str| -> Result<usize, PlanError> {
        let i = find(doc, device).ok_or_else(|| PlanError::UnknownDevice {
            profile: name.into(),
            device: device.into(),
        })?;
        if !role(doc, i).is_some_and(|r| r.is_charger()) {
            return Err(PlanError::NotACharger {
                profile: name.into(),
                device: device.into(),
            });
        }
        Ok(i)
    };
    let mut charge_dev = Vec::with_capacity(plan.charges.len());
    for c in &plan.charges {
        c.schedule.check(&c.name)?;
        range(&c.name, "amps", c.amps, 0.0, 10_000.0)?;
        charge_dev.push(charger(&c.name, &c.device)?);
    }
    let mut pv_dev = Vec::with_capacity(plan.solar.len());
    let mut rated_a = vec![None; n];
    for a in &plan.solar {
        let name = if a.name.is_empty() {
            &a.device
        } else {
            &a.name
        };
        range(name, "wp", a.wp, 0.0, 100_000.0)?;
        range(name, "tilt_deg", a.tilt_deg, 0.0, 90.0)?;
        range(name, "azimuth_deg", a.azimuth_deg, 0.0, 360.0)?;
        range(name, "losses_percent", a.losses_percent, 0.0, 100.0)?;
        range(
            name,
            "mppt_efficiency_percent",
            a.mppt_efficiency_percent,
            1.0,
            100.0,
        )?;
        let i = charger(name, &a.device)?;
        if let Some(r) = a.rated_a {
            range(name, "rated_a", r, 0.0, 10_000.0)?;
            rated_a[i] = Some(r);
        }
        pv_dev.push(i);
    }
    let mut planned: Vec<usize> = load_dev
        .iter()
        .chain(&charge_dev)
        .chain(&pv_dev)
        .copied()
        .chain(inverter.as_ref().map(|(i, _)| *i))
        .collect();
    if !plan.keep_unplanned_loads {
        planned.extend((0..n).filter(|i| role(doc, *i).is_some_and(|r| !r.is_charger())));
    }
    planned.sort_unstable();
    planned.dedup();
    Ok(Resolved {
        days,
        doy0,
        weekday0: plan.start_weekday,
        site,
        weather,
        load_dev,
        charge_dev,
        pv_dev,
        inverter,
        planned,
        rated_a,
    })
}

/// What one segment asks of the devices, in watts and amps (the bank voltage turns watts into amps).
#[derive(Clone, Debug, Default)]
struct Demand {
    /// Per device: DC watts drawn (loads).
    load_w: Vec<f64>,
    /// Per device: amps available (charge profiles).
    charge_a: Vec<f64>,
    /// Per device: PV watts into the MPPT's output side (after its efficiency).
    pv_w: Vec<f64>,
    /// What the arrays offer, W (before the MPPT).
    pv_offered_w: f64,
    /// Per load profile: its DC watts now; per charge profile: amps; per array: W out of the MPPT.
    load_share: Vec<f64>,
    charge_share: Vec<f64>,
    pv_share: Vec<f64>,
    /// The inverter: (AC watts, DC watts).
    inverter: (f64, f64),
}

impl Resolved {
    fn weekday(&self, day: u32) -> u8 {
        ((u32::from(self.weekday0) + day) % 7) as u8
    }
    fn doy(&self, day: u32) -> u16 {
        ((u32::from(self.doy0) - 1 + day) % 365 + 1) as u16
    }
    fn date(&self, day: u32) -> String {
        let doy = self.doy(day);
        let m = month_of(doy);
        let before: u16 = (1..m).map(super::solar::days_in_month).sum();
        format!("{:02}-{:02}", m, doy - before)
    }

    /// The segment edges of day `day` (minutes, ascending, from 0, without 1440).
    fn edges(&self, plan: &Plan, day: u32, step: u16, out: &mut Vec<u16>) {
        out.clear();
        let wd = self.weekday(day);
        let mut m = 0;
        while m < DAY_MIN {
            out.push(m);
            m += step;
        }
        let mut h = 0;
        while h < DAY_MIN {
            out.push(h);
            h += 60;
        }
        let scheds = plan
            .loads
            .iter()
            .map(|l| &l.schedule)
            .chain(plan.charges.iter().map(|c| &c.schedule));
        for s in scheds {
            let mut was = s.is_on(wd, 0);
            for m in 1..DAY_MIN {
                let is = s.is_on(wd, m);
                if is != was {
                    out.push(m);
                }
                was = is;
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    fn demand(&self, plan: &Plan, n: usize, day: u32, m0: u16, m1: u16, v: Variant) -> Demand {
        let wd = self.weekday(day);
        let mut d = Demand {
            load_w: vec![0.0; n],
            charge_a: vec![0.0; n],
            pv_w: vec![0.0; n],
            load_share: vec![0.0; plan.loads.len()],
            charge_share: vec![0.0; plan.charges.len()],
            pv_share: vec![0.0; plan.solar.len()],
            ..Demand::default()
        };
        let mut ac = 0.0;
        for (k, l) in plan.loads.iter().enumerate() {
            if l.schedule.is_on(wd, m0) {
                if l.ac {
                    ac += l.watts;
                } else {
                    d.load_w[self.load_dev[k]] += l.watts;
                    d.load_share[k] = l.watts;
                }
            }
        }
        if let Some((i, inv)) = &self.inverter {
            let dc = inv.dc_power(ac);
            d.load_w[*i] += dc;
            d.inverter = (ac, dc);
            // An AC appliance's share of the DC input: its part of the AC output, through the efficiency.
            let eff = inv.efficiency_at(ac).max(0.01);
            for (k, l) in plan.loads.iter().enumerate() {
                if l.ac && l.schedule.is_on(wd, m0) {
                    d.load_share[k] = l.watts / eff;
                }
            }
        }
        if !v.charging {
            return d;
        }
        for (k, c) in plan.charges.iter().enumerate() {
            if c.schedule.is_on(wd, m0) {
                d.charge_a[self.charge_dev[k]] += c.amps;
                d.charge_share[k] = c.amps;
            }
        }
        if !plan.solar.is_empty() {
            let mid = (f64::from(m0) + f64::from(m1)) / 2.0 / 60.0;
            let doy = self.doy(day);
            let utc = mid - self.site.utc_offset_h;
            let sun = sun_position(doy, utc, 365, self.site.lat_deg, self.site.lon_deg);
            let weather = self.weather.factors[usize::from(month_of(doy) - 1)];
            for (k, a) in plan.solar.iter().enumerate() {
                let w = a.power(&sun, doy, weather) * v.wp_scale;
                d.pv_offered_w += w;
                let out = w * a.mppt_efficiency_percent / 100.0;
                d.pv_w[self.pv_dev[k]] += out;
                d.pv_share[k] = out;
            }
        }
        d
    }
}

/// Stored energy of the bank, Wh: Σ cells capacity × ∫₀^SoC OCV (equal cell capacities assumed).
fn stored_wh(sim: &Simulation) -> f64 {
    let bank = sim.bank();
    let cells = bank.cells_per_battery();
    let strings = bank.strings().max(1) as f64;
    let cell_ah = bank.capacity().si() / strings;
    let mut wh = 0.0;
    for b in 0..bank.batteries() {
        for c in 0..cells {
            if let Some(soc) = bank.cell_soc_unclamped(b, c) {
                wh += cell_ah * ocv_integral(soc);
            }
        }
    }
    wh
}

/// ∫₀^soc OCV(s) ds, volts × unit SoC, exact on the piecewise-linear OCV curve, including its straight
/// continuation past full (`battery::ocv`).
pub fn ocv_integral(soc: f64) -> f64 {
    let soc = if soc.is_finite() {
        soc.clamp(0.0, 2.0)
    } else {
        0.0
    };
    let mut sum = 0.0;
    for w in OCV_TABLE.windows(2) {
        let (a, b) = (w[0], w[1]);
        if soc <= a.0 {
            break;
        }
        let hi = soc.min(b.0);
        let vhi = a.1 + (hi - a.0) / (b.0 - a.0) * (b.1 - a.1);
        sum += (hi - a.0) * (a.1 + vhi) / 2.0;
    }
    if soc > 1.0 {
        // ocv() is linear past full: average of its ends times the width.
        sum += (soc - 1.0) * (ocv(1.0) + ocv(soc)) / 2.0;
    }
    sum
}

/// EMF of the bank at its SoC: cells in series × OCV.
fn emf(sim: &Simulation) -> f64 {
    let b = sim.bank();
    (b.series() * b.cells_per_battery()) as f64 * ocv(sim.bank_state().soc.0 as f64 / 1000.0)
}

/// What a run varies for sizing and autonomy.
#[derive(Clone, Copy, Debug)]
struct Variant {
    charging: bool,
    wp_scale: f64,
    stop_on_disconnect: bool,
}

/// A plan run in progress: one engine, driven day by day (so a page can compute a long run in slices, one or a few
/// days per frame, and stay responsive), segment by segment within the day.
#[derive(Clone, Debug)]
pub struct PlanRun {
    doc: Document,
    plan: Plan,
    r: Resolved,
    v: Variant,
    days: u32,
    day: u32,
    sim: Simulation,
    sd_per_s: f64,
    capacity_ah: f64,
    names: Vec<String>,
    set_amps: Vec<Option<f64>>,
    edges: Vec<u16>,
    out: PlanResult,
    prof_wh: Vec<f64>,
    load_was_high: bool,
    dev_in: Vec<f64>,
    dev_out: Vec<f64>,
    cur: Vec<i32>,
    stopped: bool,
}

impl PlanRun {
    /// The main run of `plan` on `doc` with `o`'s overrides (no sizing, no autonomy: [`run_with`] adds those).
    pub fn new(doc: &Document, plan: &Plan, o: &PlanOptions) -> Result<PlanRun, PlanError> {
        let r = resolve(doc, plan, o)?;
        let days = r.days;
        PlanRun::start(doc, plan, r, days, MAIN, o.lang)
    }

    fn start(
        doc: &Document,
        plan: &Plan,
        r: Resolved,
        days: u32,
        v: Variant,
        lang: Lang,
    ) -> Result<PlanRun, PlanError> {
        let n = doc.system.devices.len();
        let scenario = Scenario {
            name: plan.name.clone(),
            description: String::new(),
            duration_s: u64::from(days) * 86_400,
            initial_soc_percent: plan.initial_soc_percent,
            initial_celsius: None,
            discharge_floor_percent: None,
            events: Vec::new(),
        };
        let sim = Simulation::new_in(doc, Some(&scenario), lang).map_err(PlanError::Sim)?;
        let sd_per_s =
            f64::from(doc.bank.self_discharge_permille_per_month) / 1000.0 / (30.44 * 86_400.0);
        let capacity_ah = sim.bank().capacity().si();
        let names: Vec<String> = doc.system.devices.iter().map(|d| d.name.clone()).collect();
        let set_amps: Vec<Option<f64>> = vec![None; n];
        let edges = Vec::new();
        let mut out = PlanResult {
            plan: plan.name.clone(),
            system: doc.name.clone(),
            days_run: days,
            start: r.date(0),
            site: r.site,
            weather: r.weather.clone(),
            days: Vec::new(),
            soc_hourly_percent: Vec::new(),
            lowest_soc_percent: sim.bank_state().soc.percent(),
            lowest_soc_s: 0,
            first_pre_alarm: None,
            first_load_disconnect: None,
            first_load_disconnect_s: None,
            pv_w_hourly: vec![0.0; 24],
            totals: Totals::default(),
            devices: names
                .iter()
                .map(|d| DeviceEnergy {
                    device: d.clone(),
                    wh_in: 0.0,
                    wh_out: 0.0,
                })
                .collect(),
            profiles: Vec::new(),
            autonomy_days: None,
            sizing: None,
            steps: 0,
        };
        let prof_wh = vec![0.0; plan.loads.len() + plan.charges.len() + plan.solar.len()];
        out.totals.stored_start_wh = stored_wh(&sim);
        let load_was_high = sim.bms().load.level.is_high();
        let dev_in = vec![0.0; n];
        let dev_out = vec![0.0; n];
        let cur = vec![0i32; n];
        Ok(PlanRun {
            doc: doc.clone(),
            plan: plan.clone(),
            r,
            v,
            days,
            day: 0,
            sim,
            sd_per_s,
            capacity_ah,
            names,
            set_amps,
            edges,
            out,
            prof_wh,
            load_was_high,
            dev_in,
            dev_out,
            cur,
            stopped: false,
        })
    }

    /// Days done and days in all.
    pub fn progress(&self) -> (u32, u32) {
        (self.day, self.days)
    }

    /// Whether every day is done (or the run stopped at a LOAD disconnect it was asked to stop at).
    pub fn is_done(&self) -> bool {
        self.stopped || self.day >= self.days
    }

    /// Runs the next `days` days (fewer at the end). Returns whether the run is done.
    pub fn advance(&mut self, days: u32) -> bool {
        for _ in 0..days {
            if self.is_done() {
                break;
            }
            self.run_day();
        }
        self.is_done()
    }

    /// Runs to the end and gives the result.
    pub fn finish(mut self) -> PlanResult {
        while !self.is_done() {
            self.run_day();
        }
        self.result()
    }

    fn run_day(&mut self) {
        let PlanRun {
            doc,
            plan,
            r,
            v,
            day: next_day,
            sim,
            sd_per_s,
            capacity_ah,
            names,
            set_amps,
            edges,
            out,
            prof_wh,
            load_was_high,
            dev_in,
            dev_out,
            cur,
            stopped,
            ..
        } = self;
        let (doc, plan, r, v) = (&*doc, &*plan, &*r, *v);
        let (sd_per_s, capacity_ah) = (*sd_per_s, *capacity_ah);
        let n = doc.system.devices.len();
        let day = *next_day;
        *next_day += 1;
        r.edges(plan, day, plan.step_min, edges);
        let wiring_at_start = sim.wiring_loss_wh();
        let mut bal = DayBalance {
            day: day + 1,
            date: r.date(day),
            wh_in: 0.0,
            wh_out: 0.0,
            min_soc_percent: sim.bank_state().soc.percent(),
            end_soc_percent: 0.0,
            pv_available_wh: 0.0,
            stored_wh: 0.0,
            losses: Losses::default(),
            devices: Vec::new(),
        };
        dev_in.iter_mut().for_each(|x| *x = 0.0);
        dev_out.iter_mut().for_each(|x| *x = 0.0);
        // Segments whose demand stays within the deadband of the one before run as one (no engine event), up to
        // the next hour.
        let seg_end = |j: usize| edges.get(j + 1).copied().unwrap_or(DAY_MIN);
        let mut k = 0;
        'seg: while k < edges.len() {
            let m0 = edges[k];
            let dem = r.demand(plan, n, day, m0, seg_end(k), v);
            let mut offered = |m: u16, m_end: u16, w: f64, bal: &mut DayBalance| {
                bal.pv_available_wh += w * f64::from(m_end - m) / 60.0;
                if day == 0 {
                    out.pv_w_hourly[usize::from(m / 60).min(23)] += w * f64::from(m_end - m) / 60.0;
                }
            };
            offered(m0, seg_end(k), dem.pv_offered_w, &mut bal);
            // Set the demands at the present bank voltage.
            // Each device at the voltage its terminals see (the bank's, less the drops of the wiring entered).
            let bank_v = sim.bank_state().voltage.si().max(1.0);
            let vt: Vec<f64> = (0..n)
                .map(|i| {
                    sim.devices()
                        .terminal_voltage(i)
                        .map_or(bank_v, |m| m.si())
                        .max(1.0)
                })
                .collect();
            for &i in &r.planned {
                let amps = demand_amps(doc, r, &dem, i, vt[i]);
                if needs_update(set_amps[i], amps) {
                    set_amps[i] = Some(amps);
                    sim.act(Action::Demand {
                        device: names[i].clone(),
                        amps,
                    });
                }
            }
            let mut j = k + 1;
            while j < edges.len() && edges[j] % 60 != 0 {
                let next = r.demand(plan, n, day, edges[j], seg_end(j), v);
                if r.planned
                    .iter()
                    .any(|&i| needs_update(set_amps[i], demand_amps(doc, r, &next, i, vt[i])))
                {
                    break;
                }
                offered(edges[j], seg_end(j), next.pv_offered_w, &mut bal);
                j += 1;
            }
            let m1 = edges.get(j).copied().unwrap_or(DAY_MIN);
            k = j;
            // Run the segment, watching every step.
            let t1 = SimTime(u64::from(day) * 86_400_000 + u64::from(m1) * 60_000);
            let mut seg_dev = vec![0.0; n];
            while sim.now() < t1 {
                let st = sim.bank_state();
                let volts = st.voltage.si();
                let vmv = st.voltage;
                for (i, c) in cur.iter_mut().enumerate() {
                    *c = sim.devices().current(i, vmv).0;
                }
                let standby_ua = sim
                    .devices()
                    .own_consumption()
                    .0
                    .saturating_add(sim.bms().supply_current(sim.output_demand()).0);
                let t0 = sim.now();
                sim.step_to(t1);
                let dt_h = sim.now().since(t0).0 as f64 / 3_600_000.0;
                for i in 0..n {
                    let wh = volts * f64::from(cur[i]) / 1000.0 * dt_h;
                    seg_dev[i] += wh;
                    if wh >= 0.0 {
                        dev_in[i] += wh;
                    } else {
                        dev_out[i] -= wh;
                    }
                }
                bal.losses.standby_wh += volts * standby_ua as f64 / 1e6 * dt_h;
                let e = emf(sim);
                let after = sim.bank_state();
                bal.losses.self_discharge_wh += sd_per_s * dt_h * 3600.0 * capacity_ah * e;
                bal.losses.battery_wh += (after.voltage.si() - e) * after.current.si() * dt_h;
                let soc = after.soc.percent();
                if soc < bal.min_soc_percent {
                    bal.min_soc_percent = soc;
                }
                if soc < out.lowest_soc_percent {
                    out.lowest_soc_percent = soc;
                    out.lowest_soc_s = sim.now().0 / 1000;
                }
                let o = sim.bms();
                if out.first_pre_alarm.is_none() && o.pre_alarm.level.is_high() {
                    out.first_pre_alarm = Some(milestone(sim, "pre_alarm", "high"));
                }
                let load_high = o.load.level.is_high();
                if *load_was_high && !load_high && out.first_load_disconnect.is_none() {
                    let m = milestone(sim, "load_disconnect", "floating");
                    out.first_load_disconnect_s = Some(m.t_s);
                    out.first_load_disconnect = Some(m);
                    if v.stop_on_disconnect {
                        *stopped = true;
                        break 'seg;
                    }
                }
                *load_was_high = load_high;
            }
            // Share the devices' energy among the profiles on them, by their part of the device's demand.
            share(
                &dem.load_share,
                &r.load_dev,
                &dem.load_w,
                &seg_dev,
                -1.0,
                &mut prof_wh[..plan.loads.len()],
            );
            let charge_total: Vec<f64> = (0..n)
                .map(|i| dem.charge_a[i] + dem.pv_w[i] / vt[i])
                .collect();
            let charge_shares: Vec<f64> = dem.charge_share.to_vec();
            let (a, b) = prof_wh[plan.loads.len()..].split_at_mut(plan.charges.len());
            share(
                &charge_shares,
                &r.charge_dev,
                &charge_total,
                &seg_dev,
                1.0,
                a,
            );
            let pv_amps: Vec<f64> = dem
                .pv_share
                .iter()
                .zip(&r.pv_dev)
                .map(|(w, &i)| w / vt[i])
                .collect();
            share(&pv_amps, &r.pv_dev, &charge_total, &seg_dev, 1.0, b);
            if let Some((i, _)) = &r.inverter {
                let (ac, dc) = dem.inverter;
                let total = dem.load_w[*i];
                if dc > 0.0 && total > 0.0 {
                    bal.losses.inverter_wh += -seg_dev[*i] * (dc / total) * (1.0 - ac / dc);
                }
            }
            if m1 % 60 == 0 {
                out.soc_hourly_percent.push(sim.bank_state().soc.percent());
            }
        }
        bal.wh_in = dev_in.iter().sum();
        bal.wh_out = dev_out.iter().sum();
        bal.end_soc_percent = sim.bank_state().soc.percent();
        bal.stored_wh = stored_wh(sim);
        let wired = sim.wiring_loss_wh();
        bal.losses.cables_wh = (wired > 0.0).then_some(wired - wiring_at_start);
        bal.devices = names
            .iter()
            .enumerate()
            .map(|(i, d)| DeviceEnergy {
                device: d.clone(),
                wh_in: dev_in[i],
                wh_out: dev_out[i],
            })
            .collect();
        out.days.push(bal);
    }

    /// The result so far (every day run; totals over them).
    pub fn result(&self) -> PlanResult {
        let mut out = self.out.clone();
        let (plan, sim, prof_wh) = (&self.plan, &self.sim, &self.prof_wh);
        let t = &mut out.totals;
        for d in &out.days {
            t.wh_in += d.wh_in;
            t.wh_out += d.wh_out;
            t.pv_available_wh += d.pv_available_wh;
            t.losses.inverter_wh += d.losses.inverter_wh;
            t.losses.standby_wh += d.losses.standby_wh;
            t.losses.self_discharge_wh += d.losses.self_discharge_wh;
            t.losses.battery_wh += d.losses.battery_wh;
            if let Some(c) = d.losses.cables_wh {
                *t.losses.cables_wh.get_or_insert(0.0) += c;
            }
            for (total, e) in out.devices.iter_mut().zip(&d.devices) {
                total.wh_in += e.wh_in;
                total.wh_out += e.wh_out;
            }
        }
        t.stored_end_wh = stored_wh(sim);
        t.conservation_error_wh = t.wh_in
            - t.wh_out
            - t.losses.standby_wh
            - t.losses.self_discharge_wh
            - t.losses.battery_wh
            - (t.stored_end_wh - t.stored_start_wh);
        let mut k = 0;
        for l in &plan.loads {
            out.profiles.push(ProfileEnergy {
                name: l.name.clone(),
                device: l.device.clone(),
                wh: prof_wh[k],
            });
            k += 1;
        }
        for c in &plan.charges {
            out.profiles.push(ProfileEnergy {
                name: c.name.clone(),
                device: c.device.clone(),
                wh: prof_wh[k],
            });
            k += 1;
        }
        for a in &plan.solar {
            out.profiles.push(ProfileEnergy {
                name: if a.name.is_empty() {
                    a.device.clone()
                } else {
                    a.name.clone()
                },
                device: a.device.clone(),
                wh: prof_wh[k],
            });
            k += 1;
        }
        out.steps = sim.steps();
        out
    }
}

/// The main run: every charge source as planned, arrays as sized, all days.
const MAIN: Variant = Variant {
    charging: true,
    wp_scale: 1.0,
    stop_on_disconnect: false,
};

fn simulate(
    doc: &Document,
    plan: &Plan,
    r: &Resolved,
    days: u32,
    v: Variant,
    lang: Lang,
) -> Result<PlanResult, PlanError> {
    Ok(PlanRun::start(doc, plan, r.clone(), days, v, lang)?.finish())
}

/// The amps device `i` is asked for under `dem` at `volts`: a charger's available amps plus its PV watts ÷ the
/// voltage, clipped at the MPPT's rating; a load's watts ÷ the voltage. Rounded to the milliamp.
fn demand_amps(doc: &Document, r: &Resolved, dem: &Demand, i: usize, volts: f64) -> f64 {
    let amps = if role(doc, i).is_some_and(|x| x.is_charger()) {
        let a = dem.charge_a[i] + dem.pv_w[i] / volts;
        r.rated_a[i].map_or(a, |m| a.min(m))
    } else {
        dem.load_w[i] / volts
    };
    libm::round(amps.clamp(0.0, 10_000.0) * 1000.0) / 1000.0
}

/// Whether a demand of `amps` differs enough from the one set (`set`) to tell the engine: any change to or from
/// zero, else more than [`DEMAND_DEADBAND`] of it (a constant-power load's current drifting with the voltage by a
/// few milliamps is not worth a new engine event).
fn needs_update(set: Option<f64>, amps: f64) -> bool {
    match set {
        None => true,
        Some(a) => {
            (a == 0.0) != (amps == 0.0)
                || libm::fabs(a - amps) > DEMAND_DEADBAND * libm::fabs(a).max(libm::fabs(amps))
        }
    }
}

/// The relative change of a device's current that makes the planner set it anew (0.2 %: the error it allows on
/// a constant-power load's energy).
pub const DEMAND_DEADBAND: f64 = 0.002;

/// Adds to each profile `k` its share `part[k] / total[dev[k]]` of its device's segment energy (`sign` turns a
/// load's negative energy positive).
fn share(part: &[f64], dev: &[usize], total: &[f64], seg: &[f64], sign: f64, out: &mut [f64]) {
    for (k, p) in part.iter().enumerate() {
        let (Some(&i), Some(o)) = (dev.get(k), out.get_mut(k)) else {
            continue;
        };
        let t = total.get(i).copied().unwrap_or(0.0);
        if *p > 0.0 && t > 0.0 {
            *o += sign * seg.get(i).copied().unwrap_or(0.0) * (p / t).min(1.0);
        }
    }
}

fn milestone(sim: &Simulation, signal: &str, level: &str) -> Milestone {
    let t_ms = sim.now().0;
    let cause = sim
        .events()
        .filter(|e| e.signal == signal && e.level == level)
        .last()
        .map(|e| e.cause.clone())
        .unwrap_or_default();
    let in_day = (t_ms / 60_000) % u64::from(DAY_MIN);
    Milestone {
        t_s: t_ms / 1000,
        day: (t_ms / 86_400_000) as u32 + 1,
        clock: format!("{:02}:{:02}", in_day / 60, in_day % 60),
        cause,
    }
}

/// Runs `plan` on `doc` with the plan's own figures (sizing and autonomy included).
pub fn run(doc: &Document, plan: &Plan) -> Result<PlanResult, PlanError> {
    run_with(doc, plan, &PlanOptions::default())
}

/// Runs `plan` on `doc` with `o`'s overrides; never panics on any plan.
pub fn run_with(doc: &Document, plan: &Plan, o: &PlanOptions) -> Result<PlanResult, PlanError> {
    let r = resolve(doc, plan, o)?;
    let main = Variant {
        charging: true,
        wp_scale: 1.0,
        stop_on_disconnect: false,
    };
    let mut result = simulate(doc, plan, &r, r.days, main, o.lang)?;
    if o.autonomy {
        let a = simulate(
            doc,
            plan,
            &r,
            AUTONOMY_MAX_DAYS,
            Variant {
                charging: false,
                wp_scale: 1.0,
                stop_on_disconnect: true,
            },
            o.lang,
        )?;
        result.autonomy_days = a.first_load_disconnect_s.map(|s| s as f64 / 86_400.0);
    }
    if o.sizing {
        result.sizing = Some(size(doc, plan, &r, o.lang)?);
    }
    Ok(result)
}

/// Whether the plan keeps LOAD connected on `doc` with the arrays scaled by `wp_scale`.
fn passes(
    doc: &Document,
    plan: &Plan,
    r: &Resolved,
    wp_scale: f64,
    lang: Lang,
) -> Result<bool, PlanError> {
    let v = Variant {
        charging: true,
        wp_scale,
        stop_on_disconnect: true,
    };
    Ok(simulate(doc, plan, r, r.days, v, lang)?
        .first_load_disconnect_s
        .is_none())
}

/// The least `k` in `lo..=hi` for which `ok(k)` holds, assuming it holds from some `k` on; `None` if not even at
/// `hi`. Counts the calls in `runs`.
fn least(
    lo: u32,
    hi: u32,
    runs: &mut u32,
    mut ok: impl FnMut(u32) -> Result<bool, PlanError>,
) -> Result<Option<u32>, PlanError> {
    *runs += 1;
    if !ok(hi)? {
        return Ok(None);
    }
    let (mut lo, mut hi) = (lo, hi);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        *runs += 1;
        if ok(mid)? {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(Some(hi))
}

fn size(doc: &Document, plan: &Plan, r: &Resolved, lang: Lang) -> Result<Sizing, PlanError> {
    let series = u32::from(doc.bank.series.max(1));
    let strings0 = u32::from(doc.bank.parallel);
    let max_strings = (MAX_BATTERIES / series).clamp(1, 255);
    let hi = (strings0.saturating_mul(4)).max(8).min(max_strings);
    let mut runs = 0;
    let strings = least(1, hi, &mut runs, |s| {
        let mut d = doc.clone();
        d.bank.parallel = s as u8;
        passes(&d, plan, r, 1.0, lang)
    })?;
    let batteries = SizingAnswer {
        current: f64::from(strings0 * series),
        needed: strings.map(|s| f64::from(s * series)),
        max_tried: f64::from(hi * series),
        runs,
    };
    let wp0: f64 = plan.solar.iter().map(|a| a.wp).sum();
    let wp = if plan.solar.is_empty() || wp0 <= 0.0 {
        None
    } else {
        let max_w = (wp0 * 4.0).max(2000.0);
        let steps = libm::ceil(max_w / WP_STEP) as u32;
        let mut runs = 0;
        let k = least(0, steps, &mut runs, |k| {
            passes(doc, plan, r, f64::from(k) * WP_STEP / wp0, lang)
        })?;
        Some(SizingAnswer {
            current: wp0,
            needed: k.map(|k| f64::from(k) * WP_STEP),
            max_tried: f64::from(steps) * WP_STEP,
            runs,
        })
    };
    Ok(Sizing {
        criterion: crate::lang::format_in!(
            lang,
            "LOAD stays connected (the bank stays above the discharge floor) for all {} days",
            "LOAD reste connectée (le parc reste au-dessus du seuil de décharge) pendant les {} jours",
            r.days
        ),
        batteries,
        wp,
    })
}

/// The plan as an ordinary scenario: the same demand changes, with watts turned into amps at the bank's nominal
/// voltage (the planner itself uses the live voltage), for `smallbms sim` and the scenario player.
pub fn to_scenario(doc: &Document, plan: &Plan, o: &PlanOptions) -> Result<Scenario, PlanError> {
    let r = resolve(doc, plan, o)?;
    let n = doc.system.devices.len();
    let volts = crate::battery::figures(&doc.bank)
        .map_err(|e| PlanError::Sim(crate::engine::SimError::Bank(e)))?
        .nominal_voltage
        .si()
        .max(1.0);
    let mut events = Vec::new();
    let mut set: Vec<Option<f64>> = vec![None; n];
    let mut edges = Vec::new();
    for day in 0..r.days {
        r.edges(plan, day, plan.step_min, &mut edges);
        for (k, &m0) in edges.iter().enumerate() {
            let m1 = edges.get(k + 1).copied().unwrap_or(DAY_MIN);
            let dem = r.demand(
                plan,
                n,
                day,
                m0,
                m1,
                Variant {
                    charging: true,
                    wp_scale: 1.0,
                    stop_on_disconnect: false,
                },
            );
            for &i in &r.planned {
                let amps = demand_amps(doc, &r, &dem, i, volts);
                if needs_update(set[i], amps) {
                    set[i] = Some(amps);
                    events.push(ScenarioEvent {
                        at_s: u64::from(day) * 86_400 + u64::from(m0) * 60,
                        action: Action::Demand {
                            device: doc.system.devices[i].name.clone(),
                            amps,
                        },
                    });
                }
            }
        }
    }
    Ok(Scenario {
        name: if plan.name.is_empty() { "plan".to_string() } else { plan.name.clone() },
        description: format!(
            "compiled from the plan at the nominal {volts:.1} V (the planner uses the live bank voltage)"
        ),
        duration_s: u64::from(r.days) * 86_400,
        initial_soc_percent: plan.initial_soc_percent,
        initial_celsius: None,
        discharge_floor_percent: None,
        events,
    })
}
