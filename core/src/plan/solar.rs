//! The sun and a PV array: sun position from date, time and place, a clear-sky irradiance model, and the power
//! of a tilted array.
//!
//! Sun position: the NOAA Global Monitoring Laboratory's "General Solar Position Calculations", which use
//! J. W. Spencer's Fourier series (1971, "Fourier series representation of the position of the sun", Search 2(5))
//! for the equation of time and the declination; about ±0.5° of the precise algorithms (NREL SPA, Meeus), which
//! `core/tests/plan.rs` checks against published values. Clear sky: air mass after Kasten & Young (1989, Applied
//! Optics 28(22)), direct normal irradiance after Meinel & Meinel (1976, "Applied Solar Energy"), diffuse light
//! 10 % of the direct beam, an isotropic sky and a ground reflectance of 0.2 (assumed, the usual defaults).
//! Every function is plain arithmetic on `libm`, so native and wasm give the same bits.
use alloc::string::String;
use core::f64::consts::PI;
use serde::{Deserialize, Serialize};

const DEG: f64 = PI / 180.0;

/// Where the sun is, seen from a place at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SunPosition {
    /// Angle from the vertical, degrees (above 90: below the horizon).
    pub zenith_deg: f64,
    /// Compass direction, degrees clockwise from north (180 = south).
    pub azimuth_deg: f64,
    /// Solar declination, degrees.
    pub declination_deg: f64,
    /// Equation of time, minutes (true solar time − mean solar time).
    pub equation_of_time_min: f64,
}

impl SunPosition {
    /// Height above the horizon, degrees.
    pub fn elevation_deg(&self) -> f64 {
        90.0 - self.zenith_deg
    }
}

/// Days in the months of a common year.
const MONTH_DAYS: [u16; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Days in `month` (1…12) of a common year; 0 for no month.
pub fn days_in_month(month: u8) -> u16 {
    MONTH_DAYS
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or(0)
}

/// Day of the year (1…365) of `month`/`day` in a common year; `None` for a date that does not exist.
pub fn day_of_year(month: u8, day: u8) -> Option<u16> {
    let dim = days_in_month(month);
    if dim == 0 || day == 0 || u16::from(day) > dim {
        return None;
    }
    let before: u16 = MONTH_DAYS[..usize::from(month) - 1].iter().sum();
    Some(before + u16::from(day))
}

/// The month (1…12) that day of year `doy` (1…365, wrapping) falls in, in a common year.
pub fn month_of(doy: u16) -> u8 {
    let mut d = (doy.max(1) - 1) % 365;
    for (i, n) in MONTH_DAYS.iter().enumerate() {
        if d < *n {
            return i as u8 + 1;
        }
        d -= n;
    }
    12
}

/// The sun at `utc_hours` (0…24, fractional) on day `doy` of a year of `year_days` days (365 or 366), seen from
/// `lat_deg` (north +) and `lon_deg` (east +). NOAA / Spencer (module doc).
pub fn sun_position(
    doy: u16,
    utc_hours: f64,
    year_days: u16,
    lat_deg: f64,
    lon_deg: f64,
) -> SunPosition {
    let year = f64::from(year_days.max(1));
    // Fractional year, radians.
    let g = 2.0 * PI / year * (f64::from(doy) - 1.0 + (utc_hours - 12.0) / 24.0);
    let (s1, c1) = (libm::sin(g), libm::cos(g));
    let (s2, c2) = (libm::sin(2.0 * g), libm::cos(2.0 * g));
    let (s3, c3) = (libm::sin(3.0 * g), libm::cos(3.0 * g));
    let eot = 229.18 * (0.000075 + 0.001868 * c1 - 0.032077 * s1 - 0.014615 * c2 - 0.040849 * s2);
    let decl = 0.006918 - 0.399912 * c1 + 0.070257 * s1 - 0.006758 * c2 + 0.000907 * s2
        - 0.002697 * c3
        + 0.00148 * s3;
    // True solar time, minutes; the hour angle is 0 at solar noon, positive in the afternoon.
    let tst = utc_hours * 60.0 + eot + 4.0 * lon_deg;
    let ha = (tst / 4.0 - 180.0) * DEG;
    let lat = lat_deg * DEG;
    let cos_z = (libm::sin(lat) * libm::sin(decl)
        + libm::cos(lat) * libm::cos(decl) * libm::cos(ha))
    .clamp(-1.0, 1.0);
    let zenith = libm::acos(cos_z);
    // Azimuth from south, positive towards the west, then from north.
    let from_south = libm::atan2(
        libm::sin(ha),
        libm::cos(ha) * libm::sin(lat) - libm::tan(decl) * libm::cos(lat),
    );
    let mut az = from_south / DEG + 180.0;
    if az >= 360.0 {
        az -= 360.0;
    }
    SunPosition {
        zenith_deg: zenith / DEG,
        azimuth_deg: az,
        declination_deg: decl / DEG,
        equation_of_time_min: eot,
    }
}

/// Clear-sky irradiance, W/m².
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ClearSky {
    /// Direct normal.
    pub dni: f64,
    /// Diffuse on a horizontal plane.
    pub dhi: f64,
    /// Global on a horizontal plane.
    pub ghi: f64,
}

/// Solar constant used by Meinel & Meinel, W/m².
pub const SOLAR_CONSTANT: f64 = 1353.0;
/// Diffuse share of the direct beam on a clear day (assumed, the usual 10 %).
pub const DIFFUSE_SHARE: f64 = 0.1;
/// Ground reflectance (albedo) in front of a tilted array (assumed, grass/road 0.2).
pub const GROUND_ALBEDO: f64 = 0.2;

/// Clear-sky irradiance for the sun at `zenith_deg` on day `doy` (module doc); zero below the horizon.
pub fn clear_sky(zenith_deg: f64, doy: u16) -> ClearSky {
    if !zenith_deg.is_finite() || zenith_deg >= 90.0 {
        return ClearSky::default();
    }
    let cos_z = libm::cos(zenith_deg * DEG);
    // Kasten & Young 1989 relative air mass.
    let am = 1.0 / (cos_z + 0.50572 * libm::pow(96.07995 - zenith_deg, -1.6364));
    // The Earth–Sun distance varies ±3.3 % over the year.
    let distance = 1.0 + 0.033 * libm::cos(2.0 * PI * f64::from(doy) / 365.0);
    let dni = SOLAR_CONSTANT * distance * libm::pow(0.7, libm::pow(am, 0.678));
    let dhi = DIFFUSE_SHARE * dni;
    ClearSky {
        dni,
        dhi,
        ghi: dni * cos_z + dhi,
    }
}

/// A PV array on an MPPT.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PvArray {
    /// A name for the tables ("Roof panels").
    #[serde(default)]
    pub name: String,
    /// The MPPT (a charger device of the system) it feeds.
    pub device: String,
    /// Peak power at standard test conditions (1000 W/m², 25 °C), W.
    pub wp: f64,
    /// Tilt from horizontal, degrees (0 = flat on a van roof).
    #[serde(default)]
    pub tilt_deg: f64,
    /// Direction it faces, degrees clockwise from north (180 = south).
    #[serde(default = "south")]
    pub azimuth_deg: f64,
    /// Losses between the panel's rating and the MPPT input: heat, dirt, wiring, mismatch, percent (assumed 14 %,
    /// the usual PVGIS default for a typical installation).
    #[serde(default = "default_losses")]
    pub losses_percent: f64,
    /// Conversion efficiency of the MPPT, percent (assumed 97 %, typical of Victron SmartSolar data sheets).
    #[serde(default = "default_mppt_efficiency")]
    pub mppt_efficiency_percent: f64,
    /// The MPPT's rated output current, A; when absent, the charger's own configured maximum (it clips there).
    #[serde(default)]
    pub rated_a: Option<f64>,
}

fn south() -> f64 {
    180.0
}
fn default_losses() -> f64 {
    14.0
}
fn default_mppt_efficiency() -> f64 {
    97.0
}

impl PvArray {
    /// Irradiance on the array's plane, W/m², for the sun at `sun` on day `doy` under a clear sky.
    pub fn plane_irradiance(&self, sun: &SunPosition, doy: u16) -> f64 {
        let sky = clear_sky(sun.zenith_deg, doy);
        if sky.ghi <= 0.0 {
            return 0.0;
        }
        let tilt = self.tilt_deg * DEG;
        let z = sun.zenith_deg * DEG;
        let cos_aoi = libm::cos(z) * libm::cos(tilt)
            + libm::sin(z)
                * libm::sin(tilt)
                * libm::cos((sun.azimuth_deg - self.azimuth_deg) * DEG);
        let beam = sky.dni * cos_aoi.max(0.0);
        let diffuse = sky.dhi * (1.0 + libm::cos(tilt)) / 2.0;
        let ground = sky.ghi * GROUND_ALBEDO * (1.0 - libm::cos(tilt)) / 2.0;
        beam + diffuse + ground
    }

    /// DC power the array delivers to the MPPT input, W, under a clear sky scaled by `weather` (0…1).
    pub fn power(&self, sun: &SunPosition, doy: u16, weather: f64) -> f64 {
        let poa = self.plane_irradiance(sun, doy);
        let w = self.wp * poa / 1000.0 * (1.0 - self.losses_percent / 100.0) * weather;
        if w.is_finite() {
            w.max(0.0)
        } else {
            0.0
        }
    }
}

/// Clear-sky irradiation on a horizontal plane over day `doy` at a place, kWh/m² (10-minute sums).
pub fn clear_sky_daily_ghi(doy: u16, lat_deg: f64, lon_deg: f64) -> f64 {
    let mut wh = 0.0;
    for k in 0..144u32 {
        let utc = (f64::from(k) + 0.5) / 6.0;
        let sun = sun_position(doy, utc, 365, lat_deg, lon_deg);
        wh += clear_sky(sun.zenith_deg, doy).ghi / 6.0;
    }
    wh / 1000.0
}
