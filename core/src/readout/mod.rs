//! Victron Instant Readout (Bluetooth advertisements): header, key check, AES-128-CTR, records, encoder.
//!
//! Input is the manufacturer data of company 0x02E1 *after* the company id (Web Bluetooth's
//! `manufacturerData.get(0x02E1)`), starting with 0x10 (ble.md §1.1). Sources are named by the keys of
//! `shared/reference/ble.md` §10 ([EMD] = Victron's "Extra manufacturer data" spec, [DBS] = Victron's Venus OS
//! parser, …).
//!
//! Conventions, where the public decoders disagree (ble.md §4), follow the Victron spec:
//! - "not available" codes decode to `None`, never to a number (0x3FF SoC is not 102.3 %);
//! - consumed Ah is −raw (victron-ble's Lynx decoder and some fixtures use +raw);
//! - the 22-bit current's NA is 0x3FFFFF per spec and 0x1FFFFF in practice: both are `None`;
//! - aux temperatures are kept in 0.01 K and shown in °C; yields in Wh, shown in kWh.
//!
//! Every public function is total: any bytes give `Ok` or a [`ReadoutError`], never a panic.
use alloc::vec::Vec;
use serde_json::{json, Value};

mod battery;
mod bits;
mod bms;
#[cfg(feature = "std")]
pub mod cli;
mod crypto;
mod encode;
mod enums;
mod error;
mod fields;
mod header;
mod hex;
mod misc;
mod models;
mod power;
mod record;

pub use battery::{
    AuxInput, BatteryMonitorRecord, CellVoltage, Centikelvin, DcEnergyMeterRecord,
    SmartBatteryProtectRecord, SmartLithiumRecord,
};
pub use bms::{AlarmLevel, BmsAlarms, BmsError, BmsRecord, BMS_ERROR_TEXTS, IO_OTHER_MASK};
pub use encode::{encode_bms, encode_bms_plaintext, BMS_RECORD_LEN, ENCODER_BYTE1};
pub use enums::{
    ActiveAcIn, AlarmReason, BalancerStatus, ChargerError, DeviceState, MeterType, OffReason,
    OutputState, SmartLithiumFlags, VeBusAlarm,
};
pub use error::{Part, ReadoutError};
pub use header::{
    identify, parse_header, Header, Identity, COMPANY_ID, HEADER_LEN, PRODUCT_ADVERTISEMENT,
};
pub use hex::{parse_hex, parse_key, to_hex, HexError, KeyError};
pub use misc::{GxDeviceRecord, SolarSenseRecord, TestRecord};
pub use models::{model_name, MODELS};
pub use power::{
    AcChargerRecord, ChargerOutput, DcDcRecord, InverterRecord, InverterRsRecord, MultiRsRecord,
    OrionXsRecord, SolarChargerRecord, VeBusRecord,
};
pub use record::{decode_record, Record, RecordType};

/// A header with its decrypted (or plaintext) record bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decrypted {
    pub header: Header,
    pub plaintext: Vec<u8>,
}

/// A fully decoded advertisement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readout {
    pub header: Header,
    /// The record bytes after decryption, for a raw view (the only view of 0x0E).
    pub plaintext: Vec<u8>,
    pub record: Record,
}

/// Checks the key and decrypts the record (ble.md §1.3). Plaintext records (byte 4 = 0xFF) need no key.
/// The key check comes first: on a mismatch the spec says to stop, not to decode garbage.
pub fn decrypt(payload: &[u8], key: Option<&[u8; 16]>) -> Result<Decrypted, ReadoutError> {
    let (header, data) = header::split(payload)?;
    let Some(advertised) = header.key_byte0 else {
        return Ok(Decrypted {
            header,
            plaintext: data.to_vec(),
        });
    };
    let key = key.ok_or(ReadoutError::KeyRequired {
        record_type: header.record_type,
    })?;
    let [yours, ..] = *key;
    if advertised != yours {
        return Err(ReadoutError::KeyMismatch { advertised, yours });
    }
    let mut plaintext = data.to_vec();
    crypto::apply_keystream(key, header.nonce, &mut plaintext)?;
    Ok(Decrypted { header, plaintext })
}

/// Header, key check, decryption and record decoding in one call.
pub fn decode(payload: &[u8], key: Option<&[u8; 16]>) -> Result<Readout, ReadoutError> {
    let Decrypted { header, plaintext } = decrypt(payload, key)?;
    let record = decode_record(header.record_type, &plaintext)?;
    Ok(Readout {
        header,
        plaintext,
        record,
    })
}

impl Readout {
    /// Header fields (model id and name, record type and name, nonce) and the record in SI units.
    pub fn to_json(&self) -> Value {
        let h = &self.header;
        json!({
            "model_id": alloc::format!("0x{:04X}", h.model_id),
            "model_name": model_name(h.model_id),
            "record_type": alloc::format!("{}", h.record_type),
            "record_name": h.record_type.name(),
            "nonce": h.nonce,
            "encrypted": h.is_encrypted(),
            "byte1": alloc::format!("0x{:02X}", h.byte1),
            "record": self.record.to_json(),
        })
    }
}
