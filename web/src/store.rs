//! Keeping work: autosave to `localStorage`, share links, import/export, undo/redo. The format and every way it
//! can fail are the core's (`smallbms_core::document`); this module only moves text in and out of the browser.
//! Nothing is ever silently dropped: a saved system that cannot be read is kept aside under its own key.
use crate::i18n::{Lang, T};
use smallbms_core::document::{Document, DocumentError};
use smallbms_core::lang::Localized;
use smallbms_core::share;

/// Where autosave keeps the current system.
pub const AUTOSAVE_KEY: &str = "smallbms.system";
/// Prefix of the keys where unreadable saved systems are kept aside.
pub const KEPT_ASIDE_PREFIX: &str = "smallbms.system.unreadable.";
/// The URL fragment that carries a shared system (the link's format is the core's: `smallbms_core::share`).
pub use smallbms_core::share::SHARE_PREFIX;
/// How many steps undo remembers.
pub const UNDO_DEPTH: usize = 100;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Where the system the app opens on came from, and what the user must be told about it.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Nothing saved: the demo system.
    Demo,
    /// The autosaved system.
    Restored,
    /// A share link.
    Shared,
    /// The saved system could not be read; it was kept aside under `kept_as` and the demo opened instead.
    Unreadable {
        error: DocumentError,
        kept_as: String,
    },
    /// The share link could not be read; the autosaved (or demo) system opened instead.
    BadShareLink { error: DocumentError },
}

impl Origin {
    /// What to tell the user, if anything, in `lang`.
    pub fn notice(&self, lang: Lang) -> Option<String> {
        match self {
            Origin::Demo | Origin::Restored => None,
            Origin::Shared => Some(T::OpenedShared.get(lang).into()),
            Origin::Unreadable { error, kept_as } => Some(match lang {
                Lang::En => format!(
                    "Your saved system could not be opened: {}. It was kept unchanged in this browser's storage \
                     under \"{kept_as}\" (nothing was deleted), and the demo system opened instead.",
                    error.in_lang(lang)
                ),
                Lang::Fr => format!(
                    "Votre système enregistré n'a pas pu être ouvert : {}. Il a été conservé tel quel dans le \
                     stockage de ce navigateur sous « {kept_as} » (rien n'a été supprimé), et le système de \
                     démonstration s'est ouvert à la place.",
                    error.in_lang(lang)
                ),
            }),
            Origin::BadShareLink { error } => Some(format!(
                "{} {}.",
                T::BadShareLink.get(lang),
                error.in_lang(lang)
            )),
        }
    }
}

/// The system to open: a share link first, then the autosave, then the demo.
pub fn load_initial() -> (Document, Origin) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let mut shared_error = None;
    match share::from_fragment(&hash) {
        Some(Ok(doc)) => return (doc, Origin::Shared),
        Some(Err(e)) => shared_error = Some(e),
        None => {}
    }
    let (doc, origin) = load_autosave();
    match shared_error {
        Some(error) => (doc, Origin::BadShareLink { error }),
        None => (doc, origin),
    }
}

fn load_autosave() -> (Document, Origin) {
    let Some(text) = storage().and_then(|s| s.get_item(AUTOSAVE_KEY).ok().flatten()) else {
        return (Document::default(), Origin::Demo);
    };
    match Document::from_json(&text) {
        Ok(doc) => (doc, Origin::Restored),
        Err(error) => {
            let kept_as = format!("{KEPT_ASIDE_PREFIX}{}", js_sys::Date::now() as u64);
            if let Some(s) = storage() {
                let _ = s.set_item(&kept_as, &text);
            }
            (Document::default(), Origin::Unreadable { error, kept_as })
        }
    }
}

/// Saves the system; returns a message if the browser refused (private mode, storage full).
pub fn autosave(doc: &Document) -> Result<(), String> {
    let s = storage().ok_or("this browser offers no local storage, so the system is not saved")?;
    s.set_item(AUTOSAVE_KEY, &doc.to_json()).map_err(|_| {
        "the browser refused to save the system (storage full or disabled)".to_string()
    })
}

/// The share link of a system: the page URL with the system in the fragment (never sent to any server).
pub fn share_url(doc: &Document) -> String {
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    format!("{base}{}", share::fragment(doc))
}

/// Undo/redo as whole snapshots (a system is a few kilobytes).
#[derive(Clone, Debug, Default)]
pub struct History {
    past: Vec<Document>,
    future: Vec<Document>,
}

impl History {
    /// Remembers `before` as the state to return to.
    pub fn record(&mut self, before: Document) {
        if self.past.last() != Some(&before) {
            self.past.push(before);
            if self.past.len() > UNDO_DEPTH {
                self.past.remove(0);
            }
        }
        self.future.clear();
    }
    pub fn undo(&mut self, current: Document) -> Option<Document> {
        let prev = self.past.pop()?;
        self.future.push(current);
        Some(prev)
    }
    pub fn redo(&mut self, current: Document) -> Option<Document> {
        let next = self.future.pop()?;
        self.past.push(current);
        Some(next)
    }
    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

#[cfg(test)]
mod notice_tests {
    use super::*;

    #[test]
    fn the_kept_aside_notice_names_the_key_in_both_languages() {
        let o = Origin::Unreadable {
            error: DocumentError::NotADocument,
            kept_as: "smallbms.system.unreadable.1".into(),
        };
        for lang in Lang::ALL {
            let text = o.notice(lang).unwrap_or_default();
            assert!(text.contains("smallbms.system.unreadable.1"), "{text}");
        }
        assert!(o
            .notice(Lang::En)
            .unwrap_or_default()
            .contains("kept unchanged"));
        assert!(o
            .notice(Lang::Fr)
            .unwrap_or_default()
            .contains("conservé tel quel"));
        assert_eq!(Origin::Demo.notice(Lang::Fr), None);
    }
}
