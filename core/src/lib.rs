//! smallBMS NG Studio core: everything the product claims about a Victron smallBMS NG system.
//!
//! `no_std` + `alloc`; the `std` feature only adds what tests, benchmarks and the `smallbms` command line need.
//! Every device rule (threshold, delay, state transition) lives in exactly one place in this crate, with a doc
//! comment naming its source: the smallBMS NG datasheet (`shared/seed`), or a key of
//! `shared/reference/victron-behaviour.md`.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod battery;
pub mod bms;
pub mod capture;
pub mod catalogue;
pub mod check;
pub mod devices;
pub mod diagram;
pub mod document;
pub mod engine;
pub mod finding;
pub mod lang;
pub mod plan;
pub mod power;
pub mod prediction;
pub mod preflight;
pub mod readout;
pub mod scenario;
pub mod share;
pub mod signal;
#[cfg(feature = "std")]
pub mod simcli;
pub mod system;
pub mod units;
