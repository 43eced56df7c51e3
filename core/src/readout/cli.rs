//! `smallbms readout …`: decode one advertisement or one decrypted record and print it as JSON.

use serde_json::json;

use super::{decode, decode_record, parse_hex, parse_key, RecordType};

pub const USAGE: &str = "\
usage:
  smallbms readout --key KEY PAYLOAD_HEX
      decode an Instant Readout advertisement. PAYLOAD_HEX is the manufacturer data after the
      company id 0x02E1 (it starts with 10). KEY is the 32-hex-digit key from VictronConnect →
      Product info → Instant readout details; not needed for plaintext records.
  smallbms readout --record-type TYPE --decrypted HEX
      decode an already decrypted record. TYPE is 0x0A, 10, 0xFF01 or a name such as lynx_smart_bms.
  smallbms readout --encode-bms RECORD_JSON --key KEY [--nonce N] [--model-id 0xNNNN]
      encode a (Lynx Smart) BMS record 0x0A, as a smallBMS NG broadcasts it, and print the manufacturer
      data as hex. RECORD_JSON uses the keys the decoder prints (soc_percent, battery_voltage_v, …).
Hex may contain spaces, colons or dashes. Output: JSON in SI units, null = not available.";

struct Args {
    key: Option<String>,
    record_type: Option<String>,
    decrypted: Option<String>,
    encode_bms: Option<String>,
    nonce: Option<String>,
    model_id: Option<String>,
    payload: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut out = Args {
        key: None,
        record_type: None,
        decrypted: None,
        encode_bms: None,
        nonce: None,
        model_id: None,
        payload: Vec::new(),
    };
    // Accept the subcommand name too, so `run` works on either `argv[1..]` or `argv[2..]`.
    let args = match args.split_first() {
        Some((first, rest)) if first == "readout" => rest,
        _ => args,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--key" => out.key = Some(value("--key")?),
            "--record-type" => out.record_type = Some(value("--record-type")?),
            "--decrypted" => out.decrypted = Some(value("--decrypted")?),
            "--encode-bms" => out.encode_bms = Some(value("--encode-bms")?),
            "--nonce" => out.nonce = Some(value("--nonce")?),
            "--model-id" => out.model_id = Some(value("--model-id")?),
            f if f.starts_with("--") => return Err(format!("unknown option {f}\n\n{USAGE}")),
            _ => out.payload.push(arg.clone()),
        }
    }
    Ok(Some(out))
}

fn parse_record_type(text: &str) -> Result<RecordType, String> {
    let t = text.trim();
    let parsed = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u16::from_str_radix(hex, 16).ok()
    } else if t.chars().all(|c| c.is_ascii_digit()) {
        t.parse::<u16>().ok()
    } else {
        RecordType::from_name(t).map(|r| r.0)
    };
    parsed.map(RecordType).ok_or_else(|| {
        format!("--record-type {text:?} is not a record type: use hex like 0x0A, decimal, or a name like lynx_smart_bms")
    })
}

fn pretty(value: &serde_json::Value) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| format!("cannot print JSON: {e}"))
}

fn parse_u16(flag: &str, text: &str) -> Result<u16, String> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16).ok(),
        None => t.parse::<u16>().ok(),
    };
    parsed.ok_or_else(|| format!("{flag} {text:?} must be 0 … 65535 (decimal or 0x hex)"))
}

/// `--encode-bms`: the manufacturer data a smallBMS NG would broadcast for this record.
fn encode(args: &Args, record: &str) -> Result<String, String> {
    let value: serde_json::Value =
        serde_json::from_str(record).map_err(|e| format!("--encode-bms: not JSON: {e}"))?;
    let record = super::BmsRecord::from_json(&value).map_err(|e| format!("--encode-bms: {e}"))?;
    let key = parse_key(
        args.key
            .as_deref()
            .ok_or_else(|| format!("--encode-bms needs --key\n\n{USAGE}"))?,
    )
    .map_err(|e| format!("--key: {e}"))?;
    let nonce = args
        .nonce
        .as_deref()
        .map(|n| parse_u16("--nonce", n))
        .transpose()?
        .unwrap_or(0);
    let model = args
        .model_id
        .as_deref()
        .map(|m| parse_u16("--model-id", m))
        .transpose()?
        .unwrap_or(0xA3E7);
    Ok(super::to_hex(&super::encode_bms(
        &record, model, nonce, &key,
    )))
}

/// Runs `readout` with the arguments after the subcommand name (a leading `readout` is also accepted).
/// `Ok` is the text for stdout; `Err` the message for stderr.
pub fn run(args: &[String]) -> Result<String, String> {
    let Some(args) = parse_args(args)? else {
        return Ok(USAGE.to_string());
    };
    if let Some(record) = &args.encode_bms {
        return encode(&args, record);
    }
    if let Some(decrypted) = &args.decrypted {
        if !args.payload.is_empty() || args.key.is_some() {
            return Err(format!(
                "--decrypted takes no payload and no key\n\n{USAGE}"
            ));
        }
        let rt = parse_record_type(
            args.record_type
                .as_deref()
                .ok_or_else(|| format!("--decrypted needs --record-type\n\n{USAGE}"))?,
        )?;
        let bytes = parse_hex(decrypted).map_err(|e| format!("--decrypted: {e}"))?;
        let record = decode_record(rt, &bytes).map_err(|e| e.to_string())?;
        return pretty(&json!({
            "record_type": rt.to_string(),
            "record_name": rt.name(),
            "record": record.to_json(),
        }));
    }
    if args.record_type.is_some() {
        return Err(format!("--record-type goes with --decrypted\n\n{USAGE}"));
    }
    if args.payload.is_empty() {
        return Err(format!("no payload given\n\n{USAGE}"));
    }
    let payload = parse_hex(&args.payload.join(" ")).map_err(|e| format!("payload: {e}"))?;
    let key = args
        .key
        .as_deref()
        .map(parse_key)
        .transpose()
        .map_err(|e| format!("--key: {e}"))?;
    let readout = decode(&payload, key.as_ref()).map_err(|e| e.to_string())?;
    pretty(&readout.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn record_types() {
        assert_eq!(parse_record_type("0x0A"), Ok(RecordType::BMS));
        assert_eq!(parse_record_type("10"), Ok(RecordType::BMS));
        assert_eq!(parse_record_type("0xFF01"), Ok(RecordType::SOLAR_SENSE));
        assert_eq!(parse_record_type("lynx_smart_bms"), Ok(RecordType::BMS));
        assert!(parse_record_type("0x10000").is_err());
        assert!(parse_record_type("bogus").is_err());
    }

    #[test]
    fn encode_bms_round_trips_through_decode() {
        let key = "0df4d0395b7d1a876c0c33ff0b8ab0f1";
        let record = r#"{"soc_percent": 87.5, "battery_voltage_v": 13.21, "allowed_to_charge": true,
            "alarms": {"low_cell_voltage": "warning"}}"#;
        let a = vec![
            "--encode-bms".to_string(),
            record.to_string(),
            "--key".into(),
            key.into(),
            "--nonce".into(),
            "0x0102".into(),
        ];
        let hex = run(&a).unwrap();
        let decoded = run(&["--key".to_string(), key.to_string(), hex]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(v["nonce"], 0x0102);
        assert_eq!(v["record"]["soc_percent"], 87.5);
        assert_eq!(v["record"]["battery_voltage_v"], 13.21);
        assert_eq!(v["record"]["allowed_to_charge"], true);
        assert_eq!(v["record"]["allowed_to_discharge"], serde_json::Value::Null);
        assert_eq!(v["record"]["alarms"]["low_cell_voltage"], "warning");
        let typo = vec![
            "--encode-bms".to_string(),
            r#"{"soc": 5}"#.into(),
            "--key".into(),
            key.into(),
        ];
        assert!(run(&typo).unwrap_err().contains("unknown field"));
    }

    #[test]
    fn help_and_bad_options() {
        assert_eq!(run(&args("--help")), Ok(USAGE.to_string()));
        assert!(run(&args("--frobnicate"))
            .unwrap_err()
            .contains("unknown option"));
        assert!(run(&args("--key")).unwrap_err().contains("needs a value"));
        assert!(run(&args("")).unwrap_err().contains("no payload"));
        assert!(run(&args("--decrypted 00"))
            .unwrap_err()
            .contains("--record-type"));
    }

    #[test]
    fn inline_values_and_split_payload() {
        let out = run(&args(
            "readout --record-type=0x0A --decrypted=0040388b0afaff951555148ccf0200ff",
        ))
        .unwrap();
        assert!(out.contains("\"soc_percent\": 99.5"), "{out}");
        let out = run(&args(
            "--key aff4d0995b7d1e176c0c33ecb9e70dcd 10 02 89 a3 02 b0 40 af 92 5d 09 a4 d8 9a a0 12 8b de f4 8c 62 98 a9",
        ))
        .unwrap();
        assert!(out.contains("\"consumed_ah\": -50.0"), "{out}");
    }
}
