//! `smallbms readout`: the library entry point and the built binary's exit codes.
#![cfg(all(feature = "std", not(target_arch = "wasm32")))]

use serde_json::Value;
use smallbms_core::readout::cli::run;
use std::process::Command;

fn args(s: &[&str]) -> Vec<String> {
    s.iter().map(|a| a.to_string()).collect()
}

const AC_KEY: &str = "c129cf8f75c3fe5a1655b481e205fb7d";
const AC_PAYLOAD: &str = "100030a308f926c1b5170a0d2280335bf12d5ed083";

#[test]
fn run_decodes_an_advertisement_to_si_json() {
    // keshavdv test_ac_charger (ble.md §5).
    let out = run(&args(&["--key", AC_KEY, AC_PAYLOAD])).unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["model_id"], "0xA330");
    assert_eq!(v["model_name"], "Blue Smart IP22 Charger 12/30 (1)");
    assert_eq!(v["record_type"], "0x08");
    assert_eq!(v["record_name"], "ac_charger");
    assert_eq!(v["nonce"], 0x26F9);
    let r = &v["record"];
    assert_eq!(r["device_state"], "storage");
    assert_eq!(r["output_voltage_1_v"], 13.49);
    assert_eq!(r["output_current_1_a"], 0.4);
    assert_eq!(r["temperature_c"], 21.0);
    assert!(r["ac_current_a"].is_null());
}

#[test]
fn run_decodes_a_decrypted_bms_record() {
    let out = run(&args(&[
        "--record-type",
        "0x0A",
        "--decrypted",
        "0040388b0afaff951555148ccf0200ff",
    ]))
    .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["record_name"], "lynx_smart_bms");
    let r = &v["record"];
    assert_eq!(r["soc_percent"], 99.5);
    assert_eq!(r["consumed_ah"], -4.4);
    assert_eq!(r["battery_current_a"], -0.6);
    assert_eq!(r["allowed_to_charge"], true);
    assert_eq!(r["external_relay"], false);
    assert_eq!(r["alarms"]["low_cell_voltage"], "ok");
    assert!(r["alarms"]["bms_cable"].is_null());
    assert!(r["battery_temperature_c"].is_null());
    assert_eq!(r["error"]["text"], "No error");
}

#[test]
fn run_explains_bad_input() {
    let wrong_key = run(&args(&["--key", &"3f".repeat(16), AC_PAYLOAD])).unwrap_err();
    assert!(
        wrong_key.contains("wrong or changed key") && wrong_key.contains("0xC1"),
        "{wrong_key}"
    );
    let short_key = run(&args(&["--key", "c129", AC_PAYLOAD])).unwrap_err();
    assert!(short_key.contains("4 hex digits"), "{short_key}");
    let bad_hex = run(&args(&["--key", AC_KEY, "10zz"])).unwrap_err();
    assert!(bad_hex.starts_with("payload:"), "{bad_hex}");
    let no_key = run(&args(&[AC_PAYLOAD])).unwrap_err();
    assert!(no_key.contains("encrypted"), "{no_key}");
    let with_company = run(&args(&["--key", AC_KEY, &format!("e102{AC_PAYLOAD}")])).unwrap_err();
    assert!(with_company.contains("company id"), "{with_company}");
}

fn smallbms(a: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_smallbms"))
        .args(a)
        .output()
        .expect("run smallbms")
}

#[test]
fn binary_exit_codes() {
    let ok = smallbms(&["readout", "--key", AC_KEY, AC_PAYLOAD]);
    assert_eq!(ok.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(v["record_name"], "ac_charger");

    let bad = smallbms(&["readout", "--key", &"3f".repeat(16), AC_PAYLOAD]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(bad.stdout.is_empty());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("wrong or changed key"));

    for unknown in [&["frobnicate"][..], &[][..]] {
        let usage = smallbms(unknown);
        assert_eq!(usage.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&usage.stderr).contains("usage: smallbms"));
    }
}
