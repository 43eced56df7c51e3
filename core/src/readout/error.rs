//! What can go wrong between Bluetooth bytes and a decoded readout, in words a user can act on.
use core::fmt;

use super::record::RecordType;

/// Which part of an advertisement was too short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The 8-byte Victron header (ble.md §1.2).
    Header,
    /// The record after the header; nothing to decode.
    Record(RecordType),
}

/// Why an advertisement or record could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadoutError {
    /// No bytes at all.
    Empty,
    /// The bytes start with the company id `E1 02`; the decoder wants what follows it (ble.md §1.1).
    CompanyIdIncluded,
    /// Byte 0 is not 0x10 ("Product Advertisement"), so this is not an Instant Readout (ble.md §1.2).
    NotProductAdvertisement { first_byte: u8 },
    /// Fewer bytes than the part needs.
    Truncated {
        part: Part,
        needed: usize,
        got: usize,
    },
    /// Byte 7 is not the first byte of the key: the key is wrong, or the device made a new one when its PIN
    /// changed (ble.md §1.3; [EMD] "the stored key should be discarded").
    KeyMismatch { advertised: u8, yours: u8 },
    /// The record is encrypted and no key was given.
    KeyRequired { record_type: RecordType },
    /// The AES-CTR keystream ran out; only possible for inputs far beyond any Bluetooth packet.
    TooLong { len: usize },
}

impl fmt::Display for ReadoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadoutError::Empty => f.write_str(
                "no data: the advertisement has no Victron manufacturer data (company id 0x02E1)",
            ),
            ReadoutError::CompanyIdIncluded => f.write_str(
                "the data starts with the company id E1 02: pass only the manufacturer data after it \
                 (drop the first two bytes; it should start with 10)",
            ),
            ReadoutError::NotProductAdvertisement { first_byte } => write!(
                f,
                "not a Victron Instant Readout: the first byte is 0x{first_byte:02X}, expected 0x10 \
                 (pass the manufacturer data of company 0x02E1, after the company id)"
            ),
            ReadoutError::Truncated { part: Part::Header, needed, got } => write!(
                f,
                "advertisement too short: {got} bytes, the Victron header alone needs {needed}; \
                 the capture was probably cut off"
            ),
            ReadoutError::Truncated { part: Part::Record(rt), needed, got } => write!(
                f,
                "the {} record (type {rt}) is too short: {got} bytes, at least {needed} needed",
                rt.title()
            ),
            ReadoutError::KeyMismatch { advertised, yours } => write!(
                f,
                "wrong or changed key: the advertisement was made with a key starting 0x{advertised:02X}, \
                 yours starts 0x{yours:02X}. Copy the key again from VictronConnect → Product info → \
                 Instant readout details."
            ),
            ReadoutError::KeyRequired { record_type } => write!(
                f,
                "this {} advertisement (type {record_type}) is encrypted: enter its key (32 hex digits) \
                 from VictronConnect → Product info → Instant readout details",
                record_type.title()
            ),
            ReadoutError::TooLong { len } => write!(
                f,
                "{len} bytes is far longer than any Bluetooth advertisement; refusing to decrypt"
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ReadoutError {}
