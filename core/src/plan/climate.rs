//! A small climate table: for a few places, the long-term monthly mean of the daily global irradiation on a
//! horizontal plane (kWh/m²/day). The planner turns it into a monthly weather factor: table value ÷ the clear-sky
//! model's value for the same place and month (`solar::clear_sky_daily_ghi` on the 15th), so cloud is an average
//! derating of the clear-sky day.
//!
//! Source: the long-term monthly averages of the EU JRC's PVGIS (Photovoltaic Geographical Information System,
//! <https://re.jrc.ec.europa.eu/pvg_tools/>, "monthly irradiation data", global horizontal), rounded to 0.1 kWh/m²
//! and transcribed for this table; ASSUMED accurate to about ±10 %: for a real trip, look your place up there and
//! type the twelve factors into the plan (`weather_factor`), which then win over this table.
use super::solar::{clear_sky_daily_ghi, day_of_year};
use serde::Serialize;

/// One place of the table.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Place {
    /// The key plans use (`"place": "marseille"`).
    pub key: &'static str,
    pub name: &'static str,
    pub lat_deg: f64,
    pub lon_deg: f64,
    /// Standard (winter) offset from UTC, hours.
    pub utc_offset_h: f64,
    /// Monthly mean daily global horizontal irradiation, January … December, kWh/m²/day.
    pub ghi_kwh_m2_day: [f64; 12],
}

/// The places (module doc for the source).
pub const PLACES: &[Place] = &[
    Place {
        key: "marseille",
        name: "Marseille (FR)",
        lat_deg: 43.30,
        lon_deg: 5.37,
        utc_offset_h: 1.0,
        ghi_kwh_m2_day: [2.0, 2.9, 4.3, 5.5, 6.5, 7.3, 7.4, 6.4, 4.9, 3.3, 2.2, 1.7],
    },
    Place {
        key: "paris",
        name: "Paris (FR)",
        lat_deg: 48.86,
        lon_deg: 2.35,
        utc_offset_h: 1.0,
        ghi_kwh_m2_day: [0.9, 1.6, 2.7, 4.0, 4.9, 5.5, 5.4, 4.7, 3.4, 2.1, 1.1, 0.7],
    },
    Place {
        key: "lisbon",
        name: "Lisbon (PT)",
        lat_deg: 38.72,
        lon_deg: -9.14,
        utc_offset_h: 0.0,
        ghi_kwh_m2_day: [2.3, 3.2, 4.6, 5.9, 7.0, 7.6, 7.8, 7.0, 5.4, 3.7, 2.5, 2.0],
    },
    Place {
        key: "london",
        name: "London (UK)",
        lat_deg: 51.51,
        lon_deg: -0.13,
        utc_offset_h: 0.0,
        ghi_kwh_m2_day: [0.7, 1.3, 2.3, 3.6, 4.6, 5.0, 4.9, 4.2, 3.0, 1.7, 0.9, 0.6],
    },
    Place {
        key: "oslo",
        name: "Oslo (NO)",
        lat_deg: 59.91,
        lon_deg: 10.75,
        utc_offset_h: 1.0,
        ghi_kwh_m2_day: [0.3, 1.0, 2.2, 3.7, 5.0, 5.6, 5.3, 4.1, 2.5, 1.2, 0.4, 0.2],
    },
];

/// The place with this key (case-insensitive).
pub fn place(key: &str) -> Option<&'static Place> {
    PLACES.iter().find(|p| p.key.eq_ignore_ascii_case(key))
}

/// Great-circle distance between two points, km (haversine, mean Earth radius 6371 km).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = core::f64::consts::PI / 180.0;
    let dlat = (lat2 - lat1) * r;
    let dlon = (lon2 - lon1) * r;
    let a = libm::pow(libm::sin(dlat / 2.0), 2.0)
        + libm::cos(lat1 * r) * libm::cos(lat2 * r) * libm::pow(libm::sin(dlon / 2.0), 2.0);
    2.0 * 6371.0 * libm::asin(libm::sqrt(a.clamp(0.0, 1.0)))
}

/// A table place within this distance stands in for a site with no place named (km).
pub const NEAREST_PLACE_KM: f64 = 600.0;

/// The nearest table place to a site, if one is within [`NEAREST_PLACE_KM`].
pub fn nearest(lat_deg: f64, lon_deg: f64) -> Option<&'static Place> {
    PLACES
        .iter()
        .map(|p| (distance_km(lat_deg, lon_deg, p.lat_deg, p.lon_deg), p))
        .filter(|(d, _)| *d <= NEAREST_PLACE_KM)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p)
}

/// The smallest and largest weather factor the table yields (a month is never pitch dark nor clearer than the
/// clear-sky model).
pub const FACTOR_RANGE: (f64, f64) = (0.05, 1.0);

impl Place {
    /// The weather factor of `month` (1…12): table irradiation ÷ clear-sky irradiation on the 15th.
    pub fn weather_factor(&self, month: u8) -> f64 {
        let Some(doy) = day_of_year(month, 15) else {
            return 1.0;
        };
        let clear = clear_sky_daily_ghi(doy, self.lat_deg, self.lon_deg);
        let table = self.ghi_kwh_m2_day[usize::from(month - 1)];
        if clear <= 0.0 {
            return FACTOR_RANGE.0;
        }
        (table / clear).clamp(FACTOR_RANGE.0, FACTOR_RANGE.1)
    }
}
