//! LSB-first bit fields, packed continuously across byte boundaries (ble.md §1.4, [EMD]).
//!
//! Reads are positional (start bit, width) so each decoder reads like the layout table it implements, and a
//! field that runs past the end of the data is simply absent: the spec forbids an upper-bound length check
//! but asks that every field be checked for presence.

/// A read-only view of a decrypted record.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bits<'a>(&'a [u8]);

impl<'a> Bits<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Bits(data)
    }

    /// The unsigned field at `start` of `width` bits (at most 32), or `None` if the data ends before it does.
    pub(crate) fn u(&self, start: usize, width: u32) -> Option<u32> {
        let mut value: u64 = 0;
        for i in 0..width.min(32) {
            let bit = start.checked_add(i as usize)?;
            let byte = *self.0.get(bit / 8)?;
            value |= u64::from((byte >> (bit % 8)) & 1) << i;
        }
        u32::try_from(value).ok()
    }

    /// The unsigned field, `None` when absent or equal to its "not available" code.
    pub(crate) fn u_na(&self, start: usize, width: u32, na: u32) -> Option<u32> {
        self.u(start, width).filter(|&v| v != na)
    }

    /// The two's-complement field, `None` when absent or when its raw bits equal `na` (the spec gives NA codes
    /// as raw patterns, e.g. 0x7FFF for s16).
    pub(crate) fn s_na(&self, start: usize, width: u32, na: u32) -> Option<i32> {
        let raw = self.u_na(start, width, na)?;
        Some(sign_extend(raw, width))
    }
}

/// Interprets the low `width` bits of `raw` as two's complement.
pub(crate) fn sign_extend(raw: u32, width: u32) -> i32 {
    if width == 0 || width >= 32 {
        return raw as i32;
    }
    let shift = 32 - width;
    ((raw << shift) as i32) >> shift
}

/// Writes the low `width` bits of `value` at `start`; bits outside `buf` are dropped (the encoder sizes `buf`).
pub(crate) fn put(buf: &mut [u8], start: usize, width: u32, value: u32) {
    for i in 0..width.min(32) {
        let Some(bit) = start.checked_add(i as usize) else {
            return;
        };
        if let Some(byte) = buf.get_mut(bit / 8) {
            let mask = 1u8 << (bit % 8);
            if (value >> i) & 1 == 1 {
                *byte |= mask;
            } else {
                *byte &= !mask;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_across_byte_boundaries_lsb_first() {
        // 0x1595 little-endian, then a field straddling bytes 1 and 2.
        let b = Bits::new(&[0x95, 0x15, 0xF0]);
        assert_eq!(b.u(0, 16), Some(0x1595));
        assert_eq!(b.u(2, 2), Some(1));
        assert_eq!(b.u(6, 2), Some(2));
        assert_eq!(
            b.u(12, 8),
            Some(0x01),
            "high nibble of 0x15, low nibble of 0xF0"
        );
        assert_eq!(b.u(0, 32), None, "never reads past the end");
        assert_eq!(b.u(usize::MAX, 8), None, "never overflows the bit index");
    }

    #[test]
    fn signed_fields_and_na_codes() {
        let b = Bits::new(&[0xFA, 0xFF, 0xFF, 0x7F]);
        assert_eq!(b.s_na(0, 16, 0x7FFF), Some(-6));
        assert_eq!(b.s_na(16, 16, 0x7FFF), None);
        assert_eq!(sign_extend(0x3FFFF, 19), 0x3FFFF);
        assert_eq!(sign_extend(0x40000, 19), -262_144);
        assert_eq!(sign_extend(0x3F_FFFF, 22), -1);
    }

    #[test]
    fn put_round_trips_and_drops_out_of_range_bits() {
        let mut buf = [0xFFu8; 3];
        put(&mut buf, 3, 13, 0x1234);
        assert_eq!(Bits::new(&buf).u(3, 13), Some(0x1234 & 0x1FFF));
        assert_eq!(Bits::new(&buf).u(0, 3), Some(0b111), "neighbours untouched");
        put(&mut buf, 20, 8, 0xAB);
        assert_eq!(buf[2] >> 4, 0xB);
    }
}
