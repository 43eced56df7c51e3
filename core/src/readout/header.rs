//! The 8-byte Victron header in front of every Instant Readout record (ble.md §1.2, [EMD] p1, [DBS] victron.c).
use super::error::{Part, ReadoutError};
use super::record::RecordType;

/// Byte 0 of every Instant Readout: Victron manufacturer-data record "Product Advertisement" (ble.md §1.2).
pub const PRODUCT_ADVERTISEMENT: u8 = 0x10;
/// Byte 4 value that marks a plaintext record whose type is `0xFF00 | byte 7` ([DBS] victron.c).
pub const PLAINTEXT_MARKER: u8 = 0xFF;
/// Header length in bytes; the record starts after it.
pub const HEADER_LEN: usize = 8;
/// Victron's Bluetooth company identifier (ble.md §1.1).
pub const COMPANY_ID: u16 = 0x02E1;

/// Product and record type: the first five bytes, enough to tell what a device is before any key is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Product id (bytes 2–3, LE). Display only: decoding dispatches on the record type (ble.md §3).
    pub model_id: u16,
    pub record_type: RecordType,
}

/// The parsed header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Byte 1. Its meaning is unknown and Victron's own parser ignores it (ble.md §1.2); kept for display.
    pub byte1: u8,
    pub model_id: u16,
    pub record_type: RecordType,
    /// Bytes 5–6, LE: the AES-CTR nonce, also a data counter.
    pub nonce: u16,
    /// Byte 7 = key byte 0 for encrypted records; `None` for plaintext ones, where byte 7 is the record subtype.
    pub key_byte0: Option<u8>,
    /// Bytes after the header (the ciphertext or plaintext record).
    pub data_len: usize,
}

impl Header {
    pub fn is_encrypted(&self) -> bool {
        self.key_byte0.is_some()
    }
}

fn check_prefix(payload: &[u8]) -> Result<(), ReadoutError> {
    match payload {
        [] => Err(ReadoutError::Empty),
        [PRODUCT_ADVERTISEMENT, ..] => Ok(()),
        [0xE1, 0x02, ..] => Err(ReadoutError::CompanyIdIncluded),
        [first, ..] => Err(ReadoutError::NotProductAdvertisement { first_byte: *first }),
    }
}

fn truncated(needed: usize, got: usize) -> ReadoutError {
    ReadoutError::Truncated {
        part: Part::Header,
        needed,
        got,
    }
}

/// Model id and record type from the first five bytes (eight for a plaintext record, whose type needs byte 7).
pub fn identify(payload: &[u8]) -> Result<Identity, ReadoutError> {
    check_prefix(payload)?;
    match payload {
        [_, _, m0, m1, PLAINTEXT_MARKER, _, _, sub, ..] => Ok(Identity {
            model_id: u16::from_le_bytes([*m0, *m1]),
            record_type: RecordType(0xFF00 | u16::from(*sub)),
        }),
        [_, _, _, _, PLAINTEXT_MARKER, ..] => Err(truncated(HEADER_LEN, payload.len())),
        [_, _, m0, m1, rt, ..] => Ok(Identity {
            model_id: u16::from_le_bytes([*m0, *m1]),
            record_type: RecordType(u16::from(*rt)),
        }),
        _ => Err(truncated(5, payload.len())),
    }
}

/// The header and the bytes after it.
pub(crate) fn split(payload: &[u8]) -> Result<(Header, &[u8]), ReadoutError> {
    check_prefix(payload)?;
    let Some(([_, byte1, m0, m1, rt, n0, n1, b7], data)) =
        payload.split_first_chunk::<HEADER_LEN>()
    else {
        return Err(truncated(HEADER_LEN, payload.len()));
    };
    let plaintext = *rt == PLAINTEXT_MARKER;
    let header = Header {
        byte1: *byte1,
        model_id: u16::from_le_bytes([*m0, *m1]),
        record_type: if plaintext {
            RecordType(0xFF00 | u16::from(*b7))
        } else {
            RecordType(u16::from(*rt))
        },
        nonce: u16::from_le_bytes([*n0, *n1]),
        key_byte0: (!plaintext).then_some(*b7),
        data_len: data.len(),
    };
    Ok((header, data))
}

/// The header alone (needs all 8 bytes).
pub fn parse_header(payload: &[u8]) -> Result<Header, ReadoutError> {
    split(payload).map(|(h, _)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_smartshunt_header() {
        // keshavdv README dump (ble.md §5, header_only).
        let p = [
            0x10, 0x02, 0x89, 0xa3, 0x02, 0x41, 0x3b, 0xaf, 0xd0, 0x3b, 0xb2, 0x45, 0xe1, 0x31,
            0xae, 0x92, 0x62, 0x67, 0xf6, 0xfd, 0x0b, 0x59, 0xe0,
        ];
        let h = parse_header(&p).unwrap();
        assert_eq!(h.byte1, 0x02);
        assert_eq!(h.model_id, 0xA389);
        assert_eq!(h.record_type, RecordType::BATTERY_MONITOR);
        assert_eq!(h.nonce, 0x3B41);
        assert_eq!(h.key_byte0, Some(0xAF));
        assert_eq!(h.data_len, 15);
    }

    #[test]
    fn plaintext_record_type_comes_from_byte_7() {
        let p = [0x10, 0x00, 0x00, 0x00, 0xFF, 0x01, 0x00, 0x01, 0xAA];
        let h = parse_header(&p).unwrap();
        assert_eq!(h.record_type, RecordType::SOLAR_SENSE);
        assert!(!h.is_encrypted());
        assert_eq!(identify(&p).unwrap().record_type, RecordType::SOLAR_SENSE);
        assert!(identify(&p[..6]).is_err());
    }

    #[test]
    fn identify_needs_five_bytes() {
        let id = identify(&[0x10, 0x02, 0x89, 0xa3, 0x0d]).unwrap();
        assert_eq!(id.model_id, 0xA389);
        assert_eq!(id.record_type, RecordType::DC_ENERGY_METER);
        assert_eq!(
            identify(&[0x10, 0x02, 0x89, 0xa3]),
            Err(ReadoutError::Truncated {
                part: Part::Header,
                needed: 5,
                got: 4
            })
        );
    }

    #[test]
    fn rejects_wrong_prefixes() {
        assert_eq!(parse_header(&[]), Err(ReadoutError::Empty));
        assert_eq!(
            parse_header(&[0xE1, 0x02, 0x10]),
            Err(ReadoutError::CompanyIdIncluded)
        );
        assert_eq!(
            parse_header(&[0x11, 0, 0, 0, 0, 0, 0, 0]),
            Err(ReadoutError::NotProductAdvertisement { first_byte: 0x11 })
        );
    }
}
