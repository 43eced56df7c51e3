//! Hex text ↔ bytes, and the 32-digit advertisement key users paste from VictronConnect.
//!
//! Written here rather than pulled in as a crate: twenty lines, and the messages can tell a user what to fix.
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why hex text could not be read as bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HexError {
    /// A character that is neither a hex digit nor an allowed separator (space, `:`, `-`).
    InvalidCharacter { ch: char, position: usize },
    /// An odd number of hex digits: one is missing or one too many.
    OddDigits { digits: usize },
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HexError::InvalidCharacter { ch, position } => write!(
                f,
                "'{}' at position {} is not a hex digit (0-9, a-f)",
                ch.escape_default(),
                position + 1
            ),
            HexError::OddDigits { digits } => write!(
                f,
                "{digits} hex digits is an odd number: every byte needs two digits"
            ),
        }
    }
}

/// Why a key could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing but separators.
    Empty,
    /// Not hex.
    Hex(HexError),
    /// Hex, but not 16 bytes.
    WrongLength { digits: usize },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const WHERE: &str = "Copy it from VictronConnect → Product info → Instant readout details.";
        match self {
            KeyError::Empty => write!(f, "no key given: it is 32 hex digits. {WHERE}"),
            KeyError::Hex(e) => write!(f, "the key is not valid hex: {e}. {WHERE}"),
            KeyError::WrongLength { digits } => write!(
                f,
                "the key has {digits} hex digits; it needs exactly 32. {WHERE}"
            ),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for HexError {}
#[cfg(feature = "std")]
impl std::error::Error for KeyError {}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ':' || c == '-'
}

fn digit(c: char) -> Option<u8> {
    c.to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Bytes from hex text. Spaces, colons and dashes between digits are ignored (tools print all three), as is
/// one leading `0x`.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let trimmed = text.trim_start();
    let offset = text.len() - trimmed.len();
    let (body, offset) = match trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
    {
        Some(rest) => (rest, offset + 2),
        None => (trimmed, offset),
    };
    let mut out = Vec::with_capacity(body.len() / 2);
    let mut high: Option<u8> = None;
    let mut digits = 0usize;
    for (i, c) in body.chars().enumerate() {
        if is_separator(c) {
            continue;
        }
        let d = digit(c).ok_or(HexError::InvalidCharacter {
            ch: c,
            position: offset + i,
        })?;
        digits += 1;
        match high.take() {
            None => high = Some(d),
            Some(h) => out.push(h << 4 | d),
        }
    }
    if high.is_some() {
        return Err(HexError::OddDigits { digits });
    }
    Ok(out)
}

/// Lower-case hex without separators.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    s
}

/// The 16-byte AES key from the 32 hex digits VictronConnect shows (ble.md §1.3).
pub fn parse_key(text: &str) -> Result<[u8; 16], KeyError> {
    let bytes = parse_hex(text).map_err(|e| match e {
        HexError::OddDigits { digits } => KeyError::WrongLength { digits },
        other => KeyError::Hex(other),
    })?;
    if bytes.is_empty() {
        return Err(KeyError::Empty);
    }
    <[u8; 16]>::try_from(bytes.as_slice()).map_err(|_| KeyError::WrongLength {
        digits: bytes.len() * 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_accepts_separators_and_prefix() {
        assert_eq!(
            parse_hex("0x10 02:89-a3"),
            Ok(alloc::vec![0x10, 0x02, 0x89, 0xA3])
        );
        assert_eq!(parse_hex(""), Ok(Vec::new()));
        assert_eq!(to_hex(&[0x10, 0xAB]), "10ab");
    }

    #[test]
    fn hex_errors_point_at_the_problem() {
        assert_eq!(
            parse_hex("10 0g"),
            Err(HexError::InvalidCharacter {
                ch: 'g',
                position: 4
            })
        );
        assert_eq!(parse_hex("100"), Err(HexError::OddDigits { digits: 3 }));
    }

    #[test]
    fn keys() {
        let k = parse_key("af f4 d0 99 5b 7d 1e 17 6c 0c 33 ec b9 e7 0d cd").unwrap();
        assert_eq!(k[0], 0xAF);
        assert_eq!(k[15], 0xCD);
        assert_eq!(parse_key("  "), Err(KeyError::Empty));
        assert_eq!(parse_key("aff4"), Err(KeyError::WrongLength { digits: 4 }));
        assert_eq!(parse_key("aff"), Err(KeyError::WrongLength { digits: 3 }));
        assert!(matches!(parse_key("zz"), Err(KeyError::Hex(_))));
        let msg = alloc::format!("{}", KeyError::WrongLength { digits: 30 });
        assert!(msg.contains("30 hex digits") && msg.contains("VictronConnect"));
    }
}
