//! AES-128-CTR as Victron uses it (ble.md §1.3; [EMD] p2; [DBS] victron_decode).
//!
//! The counter block is `[nonce_lo, nonce_hi, 0 × 14]`. Records fit one AES block, so the counter's
//! endianness past block 0 never matters; `Ctr128LE` matches what every known decoder does. CTR is a stream
//! cipher, so encryption and decryption are the same operation and exactly `len` bytes are processed.
use aes::Aes128;
use ctr::cipher::{KeyIvInit, StreamCipher};

use super::error::ReadoutError;

type Cipher = ctr::Ctr128LE<Aes128>;

/// XORs `data` in place with the keystream for `nonce`.
pub(crate) fn apply_keystream(
    key: &[u8; 16],
    nonce: u16,
    data: &mut [u8],
) -> Result<(), ReadoutError> {
    let [lo, hi] = nonce.to_le_bytes();
    let iv = [lo, hi, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut cipher = Cipher::new(key.into(), &iv.into());
    cipher
        .try_apply_keystream(data)
        .map_err(|_| ReadoutError::TooLong { len: data.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decrypts_a_known_smartshunt_record() {
        // keshavdv test_battery_monitor: key aff4…, nonce 0x40B0 (ble.md §5).
        let key = [
            0xaf, 0xf4, 0xd0, 0x99, 0x5b, 0x7d, 0x1e, 0x17, 0x6c, 0x0c, 0x33, 0xec, 0xb9, 0xe7,
            0x0d, 0xcd,
        ];
        let mut data = [
            0x92, 0x5d, 0x09, 0xa4, 0xd8, 0x9a, 0xa0, 0x12, 0x8b, 0xde, 0xf4, 0x8c, 0x62, 0x98,
            0xa9,
        ];
        apply_keystream(&key, 0x40B0, &mut data).unwrap();
        assert_eq!(
            data,
            [
                0xff, 0xff, 0xe5, 0x04, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0xf4, 0x01, 0x40,
                0xdf
            ]
        );
    }
}
