//! Capture files: what a Live view received over Bluetooth, as text a user can save, share for support and
//! replay. The format is line based UTF-8 (documented in the README, "Capture files"):
//!
//! ```text
//! smallbms-capture 1
//! # a comment; blank lines are ignored
//! name <address> <device name, to the end of the line>
//! key <address> <32 hex digits>          (optional: only when the user chose to share the key)
//! <t_ms> <address> <manufacturer data hex> [<rssi dBm>]
//! ```
//!
//! - The first line that is not blank or a comment is the header `smallbms-capture 1`.
//! - `t_ms` is milliseconds since the capture started (0 … 2^53), in any order; a replay plays records in time
//!   order, records of equal time in file order.
//! - `address` is the device's identifier as the browser gave it (a MAC address or Web Bluetooth's opaque id):
//!   1 … [`MAX_ADDRESS_LEN`] characters, no spaces, not starting with `#`.
//! - The hex is the manufacturer data of company 0x02E1 after the company id (what `readout::decode` takes),
//!   1 … [`MAX_PAYLOAD_LEN`] bytes.
//! - `rssi` is a whole number of dBm, −128 … 127.
//!
//! Parsing never panics: any bytes give a [`Capture`] or a [`CaptureError`] naming the line, in English or French.
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::lang::{write_in, Lang, Localized};
use crate::readout::{parse_hex, parse_key, to_hex};

/// The first line of every capture file.
pub const HEADER: &str = "smallbms-capture 1";
/// The longest device address accepted.
pub const MAX_ADDRESS_LEN: usize = 64;
/// The longest manufacturer data accepted (a Bluetooth 5 extended advertisement holds at most 255 bytes).
pub const MAX_PAYLOAD_LEN: usize = 255;
/// The longest device name accepted, in characters.
pub const MAX_NAME_LEN: usize = 100;
/// Times above this are refused: they would not survive a round trip through a JavaScript number.
pub const MAX_TIME_MS: u64 = 1 << 53;
/// A capture larger than this is refused before parsing (about 1.5 million records): a browser would struggle.
pub const MAX_FILE_LEN: usize = 100 * 1024 * 1024;

/// One received advertisement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureRecord {
    /// Milliseconds since the capture started.
    pub t_ms: u64,
    pub address: String,
    /// Manufacturer data after the company id.
    pub payload: Vec<u8>,
    pub rssi: Option<i8>,
}

/// A whole capture: device names, optional keys, and the records in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capture {
    pub names: BTreeMap<String, String>,
    /// Keys as 32 lowercase hex digits, only for devices whose owner chose to share them.
    pub keys: BTreeMap<String, String>,
    pub records: Vec<CaptureRecord>,
}

/// What is wrong with a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureProblem {
    /// The file is not UTF-8 text.
    NotText,
    /// Larger than [`MAX_FILE_LEN`].
    TooLarge { len: usize },
    /// No header line, or another header.
    Header,
    /// A record line without the three fields.
    MissingField,
    /// The time is not a whole number of milliseconds within range.
    Time,
    /// The address is empty, too long or contains a character other than printable ASCII.
    Address,
    /// The hex is not hex, has an odd number of digits, is empty or too long.
    Payload(String),
    /// The signal strength is not a whole number −128 … 127.
    Rssi,
    /// A `key` line whose key is not 32 hex digits.
    Key(String),
    /// A `name` line without a name, or a name too long.
    Name,
    /// A fifth field on a record line.
    TrailingField,
}

/// Why a capture could not be read: the line (from 1; 0 for the whole file) and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureError {
    pub line: usize,
    pub problem: CaptureProblem,
}

impl Localized for CaptureError {
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        if self.line > 0 {
            write_in!(f, lang, "line {}: ", "ligne {} : ", self.line)?;
        }
        match &self.problem {
            CaptureProblem::NotText => f.write_str(lang.pick(
                "this is not a capture file: it is not text",
                "ce n'est pas un fichier de capture : ce n'est pas du texte",
            )),
            CaptureProblem::TooLarge { len } => write_in!(
                f,
                lang,
                "the file is {} MB, more than the 100 MB a capture may have",
                "le fichier fait {} Mo, plus que les 100 Mo qu'une capture peut avoir",
                len / (1024 * 1024)
            ),
            CaptureProblem::Header => write_in!(
                f,
                lang,
                "this is not a capture file: it must start with the line \"{}\"",
                "ce n'est pas un fichier de capture : il doit commencer par la ligne « {} »",
                HEADER
            ),
            CaptureProblem::MissingField => f.write_str(lang.pick(
                "a record needs a time (ms), a device address and the manufacturer data in hex",
                "un enregistrement demande une heure (ms), une adresse d'appareil et les données fabricant en hexadécimal",
            )),
            CaptureProblem::Time => f.write_str(lang.pick(
                "the time must be a whole number of milliseconds since the capture started",
                "l'heure doit être un nombre entier de millisecondes depuis le début de la capture",
            )),
            CaptureProblem::Address => write_in!(
                f,
                lang,
                "the device address must be 1 to {} characters without spaces",
                "l'adresse de l'appareil doit faire de 1 à {} caractères sans espace",
                MAX_ADDRESS_LEN
            ),
            CaptureProblem::Payload(e) => write_in!(
                f,
                lang,
                "the manufacturer data is not 1 to {} bytes of hex: {}",
                "les données fabricant ne sont pas 1 à {} octets en hexadécimal : {}",
                MAX_PAYLOAD_LEN,
                e
            ),
            CaptureProblem::Rssi => f.write_str(lang.pick(
                "the signal strength must be a whole number of dBm, -128 to 127",
                "la force du signal doit être un nombre entier de dBm, de -128 à 127",
            )),
            CaptureProblem::Key(e) => write_in!(
                f,
                lang,
                "the key is not valid: {}",
                "la clé n'est pas valide : {}",
                e
            ),
            CaptureProblem::Name => write_in!(
                f,
                lang,
                "a name line needs an address and a name of at most {} characters",
                "une ligne de nom demande une adresse et un nom d'au plus {} caractères",
                MAX_NAME_LEN
            ),
            CaptureProblem::TrailingField => f.write_str(lang.pick(
                "too many fields: a record is time, address, hex and an optional signal strength",
                "trop de champs : un enregistrement comporte heure, adresse, hexadécimal et une force de signal facultative",
            )),
        }
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_in(f, Lang::En)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CaptureError {}

fn valid_address(a: &str) -> bool {
    !a.is_empty()
        && a.len() <= MAX_ADDRESS_LEN
        && !a.starts_with('#')
        && a.bytes().all(|b| b.is_ascii_graphic())
}

impl Capture {
    /// Reads a capture from the file's bytes.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Capture, CaptureError> {
        if bytes.len() > MAX_FILE_LEN {
            return Err(CaptureError {
                line: 0,
                problem: CaptureProblem::TooLarge { len: bytes.len() },
            });
        }
        let text = core::str::from_utf8(bytes).map_err(|_| CaptureError {
            line: 0,
            problem: CaptureProblem::NotText,
        })?;
        Capture::parse(text)
    }

    /// Reads a capture from text.
    pub fn parse(text: &str) -> Result<Capture, CaptureError> {
        if text.len() > MAX_FILE_LEN {
            return Err(CaptureError {
                line: 0,
                problem: CaptureProblem::TooLarge { len: text.len() },
            });
        }
        let mut capture = Capture::default();
        let mut header_seen = false;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i.saturating_add(1);
            let err = |problem| CaptureError {
                line: line_no,
                problem,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen {
                let words: Vec<&str> = line.split_whitespace().collect();
                if words != ["smallbms-capture", "1"] {
                    return Err(err(CaptureProblem::Header));
                }
                header_seen = true;
                continue;
            }
            let mut fields = line.split_whitespace();
            let first = fields.next().unwrap_or_default();
            match first {
                "name" => {
                    let rest = line["name".len()..].trim_start();
                    let (address, name) =
                        rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                    let name = name.trim();
                    if !valid_address(address) {
                        return Err(err(CaptureProblem::Address));
                    }
                    if name.is_empty() || name.chars().count() > MAX_NAME_LEN {
                        return Err(err(CaptureProblem::Name));
                    }
                    capture.names.insert(address.to_string(), name.to_string());
                }
                "key" => {
                    let address = fields.next().unwrap_or_default();
                    if !valid_address(address) {
                        return Err(err(CaptureProblem::Address));
                    }
                    let key_text = fields.next().unwrap_or_default();
                    if fields.next().is_some() {
                        return Err(err(CaptureProblem::TrailingField));
                    }
                    let key =
                        parse_key(key_text).map_err(|e| err(CaptureProblem::Key(e.to_string())))?;
                    capture.keys.insert(address.to_string(), to_hex(&key));
                }
                time => {
                    let t_ms = time
                        .parse::<u64>()
                        .ok()
                        .filter(|t| *t <= MAX_TIME_MS)
                        .ok_or_else(|| err(CaptureProblem::Time))?;
                    let address = fields
                        .next()
                        .ok_or_else(|| err(CaptureProblem::MissingField))?;
                    if !valid_address(address) {
                        return Err(err(CaptureProblem::Address));
                    }
                    let hex = fields
                        .next()
                        .ok_or_else(|| err(CaptureProblem::MissingField))?;
                    let payload =
                        parse_hex(hex).map_err(|e| err(CaptureProblem::Payload(e.to_string())))?;
                    if payload.is_empty() || payload.len() > MAX_PAYLOAD_LEN {
                        return Err(err(CaptureProblem::Payload(alloc::format!(
                            "{} bytes",
                            payload.len()
                        ))));
                    }
                    let rssi = match fields.next() {
                        None => None,
                        Some(r) => Some(r.parse::<i8>().map_err(|_| err(CaptureProblem::Rssi))?),
                    };
                    if fields.next().is_some() {
                        return Err(err(CaptureProblem::TrailingField));
                    }
                    capture.records.push(CaptureRecord {
                        t_ms,
                        address: address.to_string(),
                        payload,
                        rssi,
                    });
                }
            }
        }
        if !header_seen {
            return Err(CaptureError {
                line: 0,
                problem: CaptureProblem::Header,
            });
        }
        Ok(capture)
    }

    /// The capture as text; [`Capture::parse`] reads it back to an equal capture, provided every address,
    /// name and record is within the limits the parser checks.
    pub fn to_text(&self) -> String {
        use core::fmt::Write;
        let mut out = String::new();
        out.push_str(HEADER);
        out.push('\n');
        out.push_str(
            "# t_ms address manufacturer-data-hex [rssi-dBm]; format: README \"Capture files\"\n",
        );
        for (address, name) in &self.names {
            // A name is one line: line breaks would start a new record.
            let one_line: String = name
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            let one_line: String = one_line.trim().chars().take(MAX_NAME_LEN).collect();
            let one_line = one_line.trim();
            // A name of nothing but spaces says nothing: it is left out rather than written unreadable.
            if !one_line.is_empty() {
                let _ = writeln!(out, "name {address} {one_line}");
            }
        }
        for (address, key) in &self.keys {
            let _ = writeln!(out, "key {address} {key}");
        }
        for r in &self.records {
            let _ = write!(out, "{} {} {}", r.t_ms, r.address, to_hex(&r.payload));
            if let Some(rssi) = r.rssi {
                let _ = write!(out, " {rssi}");
            }
            out.push('\n');
        }
        out
    }

    /// The records in play order: by time, equal times in file order.
    pub fn in_play_order(&self) -> Vec<&CaptureRecord> {
        let mut v: Vec<&CaptureRecord> = self.records.iter().collect();
        v.sort_by_key(|r| r.t_ms);
        v
    }

    /// Time from the first to the last record, in ms.
    pub fn duration_ms(&self) -> u64 {
        let min = self.records.iter().map(|r| r.t_ms).min().unwrap_or(0);
        let max = self.records.iter().map(|r| r.t_ms).max().unwrap_or(0);
        max - min
    }

    /// The distinct addresses, in order of first appearance.
    pub fn addresses(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.records {
            if !seen.contains(&r.address.as_str()) {
                seen.push(&r.address);
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const SAMPLE: &str = "# saved by hand\n\nsmallbms-capture 1\nname AA:BB smallBMS NG (bench)\n\
        key AA:BB 0DF4D0395B7D1A876C0C33FF0B8AB0F1\n0 AA:BB 10a1b2 -48\n1000 CC:DD 10c3\n500 AA:BB 1001\n";

    #[test]
    fn parses_names_keys_and_records() {
        let c = Capture::parse(SAMPLE).unwrap();
        assert_eq!(c.names["AA:BB"], "smallBMS NG (bench)");
        assert_eq!(c.keys["AA:BB"], "0df4d0395b7d1a876c0c33ff0b8ab0f1");
        assert_eq!(c.records.len(), 3);
        assert_eq!(
            c.records[0],
            CaptureRecord {
                t_ms: 0,
                address: "AA:BB".into(),
                payload: vec![0x10, 0xa1, 0xb2],
                rssi: Some(-48)
            }
        );
        assert_eq!(c.records[1].rssi, None);
        let order: Vec<u64> = c.in_play_order().iter().map(|r| r.t_ms).collect();
        assert_eq!(order, [0, 500, 1000]);
        assert_eq!(c.duration_ms(), 1000);
        assert_eq!(c.addresses(), ["AA:BB", "CC:DD"]);
        assert_eq!(Capture::parse(&c.to_text()).unwrap(), c);
    }

    #[test]
    fn errors_name_the_line_in_both_languages() {
        let e = Capture::parse("smallbms-capture 1\n12 AA:BB 1zz\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(matches!(e.problem, CaptureProblem::Payload(_)));
        assert!(e.to_string().starts_with("line 2: the manufacturer data"));
        assert!(e
            .in_lang(Lang::Fr)
            .to_string()
            .starts_with("ligne 2 : les données fabricant"));
        let cases = [
            ("", CaptureProblem::Header),
            ("hello\n", CaptureProblem::Header),
            ("smallbms-capture 2\n", CaptureProblem::Header),
            ("smallbms-capture 1\n-1 A 10\n", CaptureProblem::Time),
            ("smallbms-capture 1\n1 A\n", CaptureProblem::MissingField),
            ("smallbms-capture 1\n1 A 10 -200\n", CaptureProblem::Rssi),
            (
                "smallbms-capture 1\n1 A 10 -20 x\n",
                CaptureProblem::TrailingField,
            ),
            ("smallbms-capture 1\nname A\n", CaptureProblem::Name),
        ];
        for (text, problem) in cases {
            assert_eq!(
                Capture::parse(text).unwrap_err().problem,
                problem,
                "{text:?}"
            );
        }
        assert!(matches!(
            Capture::parse("smallbms-capture 1\nkey A 0011\n")
                .unwrap_err()
                .problem,
            CaptureProblem::Key(_)
        ));
        assert_eq!(
            Capture::parse_bytes(&[0xff, 0xfe]).unwrap_err().problem,
            CaptureProblem::NotText
        );
        let long = alloc::format!("smallbms-capture 1\n1 {} 10\n", "a".repeat(65));
        assert_eq!(
            Capture::parse(&long).unwrap_err().problem,
            CaptureProblem::Address
        );
    }
}
