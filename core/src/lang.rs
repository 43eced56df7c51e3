//! The languages of the user-facing texts: English (the default, and the language of every `Display`) and French
//! (the language of the smallBMS NG datasheet).
//!
//! Texts built from data (findings, event causes, device states) are told in a language through
//! [`Localized::in_lang`]; their `Display` is the English text, byte for byte. Fixed texts pair the two languages in
//! one place with [`Lang::pick`]. French follows Victron's own French documents: « parc de batteries », « pré-alarme »,
//! « câble d'interface », « entrée à distance »; terminal names (LOAD, CHARGER, PRE-ALARM, Remote L/H), product names
//! and part numbers stay as printed on the products, and numbers keep the English formatting ("2.80 V").
use core::fmt;
use serde::{Deserialize, Serialize};

/// A language of the user-facing texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The ISO 639-1 code: `en`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language with ISO 639-1 code `code`, if it is one of ours.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The text for this language out of an English / French pair.
    pub fn pick(self, en: &'static str, fr: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

/// A value that can be told in words in any [`Lang`]. Its `Display`, where it has one, is the English text.
pub trait Localized {
    /// Writes the text in `lang`.
    fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result;

    /// The text in `lang`, for `format!` and `to_string`.
    fn in_lang(&self, lang: Lang) -> InLang<'_, Self> {
        InLang { value: self, lang }
    }
}

/// A [`Localized`] value bound to a language: `Display`s in that language.
pub struct InLang<'a, T: ?Sized> {
    value: &'a T,
    lang: Lang,
}

impl<T: Localized + ?Sized> fmt::Display for InLang<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt_in(f, self.lang)
    }
}

/// `write!` with an English and a French format string over the same arguments (reorder with `{0}`, `{1}`, …).
macro_rules! write_in {
    ($f:expr, $lang:expr, $en:literal, $fr:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::En => write!($f, $en $(, $arg)*),
            $crate::lang::Lang::Fr => write!($f, $fr $(, $arg)*),
        }
    };
}

/// `format!` with an English and a French format string over the same arguments (reorder with `{0}`, `{1}`, …).
macro_rules! format_in {
    ($lang:expr, $en:literal, $fr:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::lang::Lang::En => alloc::format!($en $(, $arg)*),
            $crate::lang::Lang::Fr => alloc::format!($fr $(, $arg)*),
        }
    };
}

pub(crate) use {format_in, write_in};

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    struct Door(bool);
    impl Localized for Door {
        fn fmt_in(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
            let state = lang.pick("open", "ouverte");
            write_in!(f, lang, "the door is {state}", "la porte est {state}")?;
            if self.0 {
                f.write_str(&format_in!(lang, " ({} s)", " ({} s)", 3))?;
            }
            Ok(())
        }
    }

    #[test]
    fn codes_round_trip_and_texts_follow_the_language() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::default(), Lang::En);
        assert_eq!(
            Door(true).in_lang(Lang::En).to_string(),
            "the door is open (3 s)"
        );
        assert_eq!(
            Door(false).in_lang(Lang::Fr).to_string(),
            "la porte est ouverte"
        );
        assert_eq!(serde_json::to_string(&Lang::Fr).unwrap(), "\"fr\"");
    }
}
