//! Keeping work: autosave to `localStorage`, share links, import/export, undo/redo. The format and every way it
//! can fail are the core's (`smallbms_core::document`, `smallbms_core::share`); this module only moves text in and
//! out of the browser, and makes sure nothing is ever silently lost:
//!
//! - a saved system that cannot be read (damaged, or written by a newer version) is kept aside under its own key;
//!   when even that copy cannot be written (storage full), it stays where it is and autosave does not write over it;
//! - before autosave writes over a saved system that is not the one this tab opened or last wrote (another tab
//!   saved since, or the page opened a share link over the user's own system), that system is kept aside;
//! - a save the browser refuses (storage full, disabled) is reported, and the previous save stays intact.
//!
//! Every case is told to the user, in their language. The decisions are plain code over [`Kv`], tested natively
//! with a map that can run out of room; the browser end-to-end test `tests/e2e/06-stored-data.test.mjs` fills
//! the real storage and opens two tabs.
use crate::i18n::{Lang, T};
use smallbms_core::document::{Document, DocumentError};
use smallbms_core::lang::Localized;
use smallbms_core::share;
use std::cell::RefCell;

/// Where autosave keeps the current system.
pub const AUTOSAVE_KEY: &str = "smallbms.system";
/// Prefix of the keys where unreadable saved systems are kept aside.
pub const KEPT_ASIDE_PREFIX: &str = "smallbms.system.unreadable.";
/// Prefix of the keys where a readable saved system is kept aside before this tab saves over it (another tab's
/// version, or the user's own system when a share link opened).
pub const REPLACED_PREFIX: &str = "smallbms.system.replaced.";
/// The URL fragment that carries a shared system (the link's format is the core's: `smallbms_core::share`).
pub use smallbms_core::share::SHARE_PREFIX;
/// How many steps undo remembers.
pub const UNDO_DEPTH: usize = 100;

/// The key-value storage the keeping logic needs: the page's `localStorage`, or a map in the tests.
pub trait Kv {
    fn get(&self, key: &str) -> Option<String>;
    /// `false` when the storage refused (full, or disabled).
    fn set(&self, key: &str, value: &str) -> bool;
    fn keys(&self) -> Vec<String>;
}

impl Kv for web_sys::Storage {
    fn get(&self, key: &str) -> Option<String> {
        self.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) -> bool {
        self.set_item(key, value).is_ok()
    }
    fn keys(&self) -> Vec<String> {
        let n = self.length().unwrap_or(0);
        (0..n).filter_map(|i| self.key(i).ok().flatten()).collect()
    }
}

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
    /// The saved system could not be read; it was kept aside under `kept_as` (or, when the storage had no room
    /// for a copy, left in place and protected from autosave: `None`) and the demo opened instead.
    Unreadable {
        error: DocumentError,
        kept_as: Option<String>,
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
            Origin::Unreadable {
                error,
                kept_as: Some(kept_as),
            } => Some(match lang {
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
            Origin::Unreadable {
                error,
                kept_as: None,
            } => Some(match lang {
                Lang::En => format!(
                    "Your saved system could not be opened: {}. The browser's storage is full, so no copy of it \
                     could be made: it was kept unchanged where it is, under \"{AUTOSAVE_KEY}\", and this tab \
                     will not save over it until there is room (nothing was deleted). The demo system opened \
                     instead; use Export JSON to keep what you change.",
                    error.in_lang(lang)
                ),
                Lang::Fr => format!(
                    "Votre système enregistré n'a pas pu être ouvert : {}. Le stockage du navigateur est plein, \
                     aucune copie n'a donc pu être faite : il a été conservé tel quel à sa place, sous \
                     « {AUTOSAVE_KEY} », et cet onglet ne l'écrasera pas tant qu'il n'y aura pas de place (rien \
                     n'a été supprimé). Le système de démonstration s'est ouvert à la place ; utilisez Exporter \
                     JSON pour garder vos modifications.",
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

/// Why a saved system was about to be replaced by one this tab never saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Replaced {
    /// Another tab saved it (or nothing was saved when this tab opened).
    #[default]
    OtherTab,
    /// It is the user's own system and this tab opened a share link.
    SharedLink,
    /// It could not be read when this tab opened (and no copy could be made then).
    Unreadable,
}

/// What the user must know about an autosave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveNote {
    /// Saved; the different system that was saved before was first kept aside under `kept_as`.
    KeptAside { kept_as: String, why: Replaced },
    /// Not saved: the system in storage is not this tab's and there is no room to keep it aside first, so it is
    /// not written over.
    Blocked { why: Replaced },
    /// Not saved: the browser refused (storage full or disabled); the previous save is intact.
    Refused,
    /// Not saved: this browser offers no local storage.
    NoStorage,
}

impl SaveNote {
    /// What to tell the user, in `lang`.
    pub fn notice(&self, lang: Lang) -> String {
        match (self, lang) {
            (SaveNote::KeptAside { kept_as, why: Replaced::OtherTab }, Lang::En) => format!(
                "This system was changed in another tab since this tab opened it. That version was kept unchanged \
                 in this browser's storage under \"{kept_as}\" (nothing was deleted); this tab's system is now \
                 the saved one."
            ),
            (SaveNote::KeptAside { kept_as, why: Replaced::OtherTab }, Lang::Fr) => format!(
                "Ce système a été modifié dans un autre onglet depuis que cet onglet l'a ouvert. Cette version a \
                 été conservée telle quelle dans le stockage de ce navigateur sous « {kept_as} » (rien n'a été \
                 supprimé) ; le système de cet onglet est maintenant celui qui est enregistré."
            ),
            (SaveNote::KeptAside { kept_as, why: Replaced::SharedLink }, Lang::En) => format!(
                "The system you had saved in this browser was kept unchanged under \"{kept_as}\" (nothing was \
                 deleted); the system of the share link is now the saved one."
            ),
            (SaveNote::KeptAside { kept_as, why: Replaced::SharedLink }, Lang::Fr) => format!(
                "Le système que vous aviez enregistré dans ce navigateur a été conservé tel quel sous \
                 « {kept_as} » (rien n'a été supprimé) ; le système du lien de partage est maintenant celui qui \
                 est enregistré."
            ),
            (SaveNote::KeptAside { kept_as, why: Replaced::Unreadable }, Lang::En) => format!(
                "The saved system that could not be opened was kept unchanged under \"{kept_as}\" (nothing was \
                 deleted); this system is now the saved one."
            ),
            (SaveNote::KeptAside { kept_as, why: Replaced::Unreadable }, Lang::Fr) => format!(
                "Le système enregistré qui n'a pas pu être ouvert a été conservé tel quel sous « {kept_as} » \
                 (rien n'a été supprimé) ; ce système est maintenant celui qui est enregistré."
            ),
            (SaveNote::Blocked { why }, Lang::En) => format!(
                "Not saved: the browser's storage is full and the system saved there ({}) could not be kept \
                 aside first, so it was not written over. Free some space, or use Export JSON to keep this system.",
                match why {
                    Replaced::OtherTab => "changed in another tab",
                    Replaced::SharedLink => "the one you had before opening the share link",
                    Replaced::Unreadable => "the one this version cannot open",
                }
            ),
            (SaveNote::Blocked { why }, Lang::Fr) => format!(
                "Non enregistré : le stockage du navigateur est plein et le système qui y est enregistré ({}) n'a \
                 pas pu être mis de côté d'abord ; il n'a donc pas été écrasé. Libérez de la place, ou utilisez \
                 Exporter JSON pour garder ce système.",
                match why {
                    Replaced::OtherTab => "modifié dans un autre onglet",
                    Replaced::SharedLink => "celui que vous aviez avant d'ouvrir le lien de partage",
                    Replaced::Unreadable => "celui que cette version ne sait pas ouvrir",
                }
            ),
            (SaveNote::Refused, Lang::En) => "Not saved: the browser refused to store the system (storage full \
                 or disabled). The last save is intact and your changes are kept in this tab; use Export JSON to \
                 keep them."
                .into(),
            (SaveNote::Refused, Lang::Fr) => "Non enregistré : le navigateur a refusé de stocker le système \
                 (stockage plein ou désactivé). Le dernier enregistrement est intact et vos modifications restent \
                 dans cet onglet ; utilisez Exporter JSON pour les garder."
                .into(),
            (SaveNote::NoStorage, Lang::En) => "This browser offers no local storage, so the system is not \
                 saved; use Export JSON to keep it."
                .into(),
            (SaveNote::NoStorage, Lang::Fr) => "Ce navigateur n'offre pas de stockage local : le système n'est \
                 pas enregistré ; utilisez Exporter JSON pour le garder."
                .into(),
        }
    }
}

/// What this tab knows of the saved system, so it never writes over one it did not see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Saver {
    /// The text under [`AUTOSAVE_KEY`] this tab opened or last wrote, which it may write over. Anything else found
    /// there is kept aside first.
    owned: Option<String>,
    /// Why something else would be found there (for the message).
    why: Replaced,
}

impl Saver {
    /// Saves `json` under [`AUTOSAVE_KEY`], keeping aside first whatever different system is there that this tab
    /// does not own. `now` (ms) names the kept-aside key.
    pub fn save(&mut self, kv: &impl Kv, json: &str, now: u64) -> Option<SaveNote> {
        let mut note = None;
        if let Some(current) = kv.get(AUTOSAVE_KEY) {
            if self.owned.as_deref() != Some(current.as_str()) && current != json {
                let prefix = match self.why {
                    Replaced::Unreadable => KEPT_ASIDE_PREFIX,
                    Replaced::OtherTab | Replaced::SharedLink => REPLACED_PREFIX,
                };
                match keep_aside(kv, prefix, &current, now) {
                    Some(kept_as) => {
                        note = Some(SaveNote::KeptAside {
                            kept_as,
                            why: self.why,
                        })
                    }
                    None => return Some(SaveNote::Blocked { why: self.why }),
                }
            }
        }
        if !kv.set(AUTOSAVE_KEY, json) {
            return Some(SaveNote::Refused);
        }
        self.owned = Some(json.to_string());
        self.why = Replaced::OtherTab;
        note
    }
}

/// Copies `text` to a new key `prefix` + `now` (or returns the kept-aside key that already holds exactly this
/// text, so going back and forth between two tabs does not fill the storage). `None` when the storage refused.
pub fn keep_aside(kv: &impl Kv, prefix: &str, text: &str, now: u64) -> Option<String> {
    let mut keys = kv.keys();
    keys.sort();
    let kept = |k: &String| k.starts_with(KEPT_ASIDE_PREFIX) || k.starts_with(REPLACED_PREFIX);
    if let Some(k) = keys
        .iter()
        .filter(|k| kept(k))
        .find(|k| kv.get(k).as_deref() == Some(text))
    {
        return Some(k.clone());
    }
    let key = (0..)
        .map(|n| match n {
            0 => format!("{prefix}{now}"),
            n => format!("{prefix}{now}-{n}"),
        })
        .find(|k| !keys.contains(k))?;
    kv.set(&key, text).then_some(key)
}

/// Opens the system: a share link in `hash` first, then the autosave in `kv`, then the demo; with what this tab
/// owns of the storage. `now` (ms) names a kept-aside key.
pub fn open(kv: Option<&impl Kv>, hash: &str, now: u64) -> (Document, Origin, Saver) {
    let mut shared_error = None;
    match share::from_fragment(hash) {
        Some(Ok(doc)) => {
            let saver = Saver {
                owned: None,
                why: Replaced::SharedLink,
            };
            return (doc, Origin::Shared, saver);
        }
        Some(Err(e)) => shared_error = Some(e),
        None => {}
    }
    let (doc, origin, saver) = open_autosave(kv, now);
    match shared_error {
        Some(error) => (doc, Origin::BadShareLink { error }, saver),
        None => (doc, origin, saver),
    }
}

fn open_autosave(kv: Option<&impl Kv>, now: u64) -> (Document, Origin, Saver) {
    let Some(text) = kv.and_then(|kv| kv.get(AUTOSAVE_KEY)) else {
        return (Document::default(), Origin::Demo, Saver::default());
    };
    match Document::from_json(&text) {
        Ok(doc) => {
            let saver = Saver {
                owned: Some(text),
                why: Replaced::OtherTab,
            };
            (doc, Origin::Restored, saver)
        }
        Err(error) => {
            let kept_as = kv.and_then(|kv| keep_aside(kv, KEPT_ASIDE_PREFIX, &text, now));
            // With a copy, the original may be written over; without one, it must not be.
            let saver = match kept_as {
                Some(_) => Saver {
                    owned: Some(text),
                    why: Replaced::OtherTab,
                },
                None => Saver {
                    owned: None,
                    why: Replaced::Unreadable,
                },
            };
            (
                Document::default(),
                Origin::Unreadable { error, kept_as },
                saver,
            )
        }
    }
}

thread_local! {
    /// This tab's [`Saver`], set by [`load_initial`].
    static SAVER: RefCell<Saver> = RefCell::new(Saver::default());
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The system to open: a share link first, then the autosave, then the demo.
pub fn load_initial() -> (Document, Origin) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let (doc, origin, saver) = open(storage().as_ref(), &hash, now_ms());
    SAVER.with(|s| *s.borrow_mut() = saver);
    (doc, origin)
}

/// Saves the system; returns what the user must be told, if anything (a system kept aside, or not saved).
pub fn autosave(doc: &Document) -> Option<SaveNote> {
    let Some(s) = storage() else {
        return Some(SaveNote::NoStorage);
    };
    let json = doc.to_json();
    SAVER.with(|saver| saver.borrow_mut().save(&s, &json, now_ms()))
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
            kept_as: Some("smallbms.system.unreadable.1".into()),
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

    #[test]
    fn every_save_notice_has_both_languages() {
        let whys = [
            Replaced::OtherTab,
            Replaced::SharedLink,
            Replaced::Unreadable,
        ];
        let mut notes: Vec<SaveNote> = whys
            .iter()
            .map(|&why| SaveNote::KeptAside {
                kept_as: "smallbms.system.replaced.7".into(),
                why,
            })
            .collect();
        notes.extend(whys.iter().map(|&why| SaveNote::Blocked { why }));
        notes.extend([SaveNote::Refused, SaveNote::NoStorage]);
        for n in &notes {
            let (en, fr) = (n.notice(Lang::En), n.notice(Lang::Fr));
            assert_ne!(en, fr);
            if let SaveNote::KeptAside { kept_as, .. } = n {
                assert!(en.contains(kept_as.as_str()) && fr.contains(kept_as.as_str()));
            }
        }
        let full = Origin::Unreadable {
            error: DocumentError::Newer { found: 9 },
            kept_as: None,
        };
        assert!(full
            .notice(Lang::En)
            .unwrap_or_default()
            .contains("will not save over it"));
        assert!(full
            .notice(Lang::Fr)
            .unwrap_or_default()
            .contains("ne l'écrasera pas"));
    }
}

/// The keeping rules against a storage that can run out of room.
#[cfg(test)]
mod keeping_tests {
    use super::*;
    use std::collections::BTreeMap;

    /// `localStorage` in miniature: refuses a write that would take it over `room` bytes.
    struct Map {
        items: RefCell<BTreeMap<String, String>>,
        room: std::cell::Cell<usize>,
    }
    impl Map {
        fn new(room: usize) -> Map {
            Map {
                items: RefCell::new(BTreeMap::new()),
                room: std::cell::Cell::new(room),
            }
        }
        fn used_without(&self, key: &str) -> usize {
            self.items
                .borrow()
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .map(|(k, v)| k.len() + v.len())
                .sum()
        }
        fn kept(&self) -> Vec<(String, String)> {
            self.items
                .borrow()
                .iter()
                .filter(|(k, _)| k.as_str() != AUTOSAVE_KEY)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        }
    }
    impl Kv for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.items.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> bool {
            if self.used_without(key) + key.len() + value.len() > self.room.get() {
                return false;
            }
            self.items.borrow_mut().insert(key.into(), value.into());
            true
        }
        fn keys(&self) -> Vec<String> {
            self.items.borrow().keys().cloned().collect()
        }
    }

    fn doc(parallel: u8) -> Document {
        let mut d = Document::default();
        d.bank.parallel = parallel;
        d
    }

    const ROOMY: usize = 1 << 20;

    #[test]
    fn a_restored_system_is_saved_over_without_a_copy() {
        let kv = Map::new(ROOMY);
        kv.set(AUTOSAVE_KEY, &doc(2).to_json());
        let (d, origin, mut saver) = open(Some(&kv), "", 1);
        assert_eq!((d, origin), (doc(2), Origin::Restored));
        assert_eq!(saver.save(&kv, &doc(3).to_json(), 2), None);
        assert_eq!(saver.save(&kv, &doc(4).to_json(), 3), None);
        assert_eq!(kv.get(AUTOSAVE_KEY), Some(doc(4).to_json()));
        assert!(kv.kept().is_empty());
    }

    #[test]
    fn two_tabs_never_write_over_each_other_unseen() {
        let kv = Map::new(ROOMY);
        kv.set(AUTOSAVE_KEY, &doc(1).to_json());
        let (_, _, mut a) = open(Some(&kv), "", 1);
        let (_, _, mut b) = open(Some(&kv), "", 1);
        assert_eq!(a.save(&kv, &doc(6).to_json(), 10), None);
        // B never saw A's 6: it is kept aside before B's 3 is written.
        assert_eq!(
            b.save(&kv, &doc(3).to_json(), 20),
            Some(SaveNote::KeptAside {
                kept_as: format!("{REPLACED_PREFIX}20"),
                why: Replaced::OtherTab
            })
        );
        assert_eq!(
            kv.get(&format!("{REPLACED_PREFIX}20")),
            Some(doc(6).to_json())
        );
        assert_eq!(kv.get(AUTOSAVE_KEY), Some(doc(3).to_json()));
        // B goes on without further copies; then A, which never saw B's 3, keeps it aside in turn.
        assert_eq!(b.save(&kv, &doc(5).to_json(), 30), None);
        assert!(matches!(
            a.save(&kv, &doc(7).to_json(), 40),
            Some(SaveNote::KeptAside { .. })
        ));
        assert_eq!(
            kv.get(&format!("{REPLACED_PREFIX}40")),
            Some(doc(5).to_json())
        );
        // Back to B, whose last write was 5: A's 7 is kept aside; back and forth reuses the copies it made.
        assert!(matches!(
            b.save(&kv, &doc(5).to_json(), 50),
            Some(SaveNote::KeptAside { .. })
        ));
        assert!(
            matches!(a.save(&kv, &doc(7).to_json(), 60), Some(SaveNote::KeptAside { kept_as, .. }) if kept_as == format!("{REPLACED_PREFIX}40"))
        );
        assert_eq!(kv.kept().len(), 3, "{:?}", kv.kept());
    }

    #[test]
    fn a_share_link_keeps_the_users_own_system_aside() {
        let kv = Map::new(ROOMY);
        kv.set(AUTOSAVE_KEY, &doc(2).to_json());
        let hash = share::fragment(&doc(9));
        let (d, origin, mut saver) = open(Some(&kv), &hash, 5);
        assert_eq!((d, origin), (doc(9), Origin::Shared));
        assert_eq!(
            saver.save(&kv, &doc(9).to_json(), 6),
            Some(SaveNote::KeptAside {
                kept_as: format!("{REPLACED_PREFIX}6"),
                why: Replaced::SharedLink
            })
        );
        assert_eq!(
            kv.get(&format!("{REPLACED_PREFIX}6")),
            Some(doc(2).to_json())
        );
        // The same link opened over the same system: nothing to keep.
        let (_, _, mut again) = open(Some(&kv), &hash, 7);
        assert_eq!(again.save(&kv, &doc(9).to_json(), 8), None);
    }

    #[test]
    fn an_unreadable_or_newer_system_is_kept_aside_then_saved_over() {
        for text in ["{\"version\": 99}", "{\"version\": 1, \"bank\": "] {
            let kv = Map::new(ROOMY);
            kv.set(AUTOSAVE_KEY, text);
            let (d, origin, mut saver) = open(Some(&kv), "", 42);
            assert_eq!(d, Document::default());
            let Origin::Unreadable {
                kept_as: Some(key), ..
            } = origin
            else {
                panic!("{origin:?}");
            };
            assert_eq!(key, format!("{KEPT_ASIDE_PREFIX}42"));
            assert_eq!(kv.get(&key).as_deref(), Some(text));
            assert_eq!(saver.save(&kv, &doc(3).to_json(), 43), None);
            assert_eq!(kv.kept(), vec![(key, text.to_string())]);
        }
    }

    #[test]
    fn with_no_room_for_a_copy_the_unreadable_system_stays_and_is_not_written_over() {
        let unreadable = format!("{{\"version\": 99, \"pad\": \"{}\"}}", "x".repeat(2000));
        let kv = Map::new(AUTOSAVE_KEY.len() + unreadable.len() + 100);
        assert!(kv.set(AUTOSAVE_KEY, &unreadable));
        let (_, origin, mut saver) = open(Some(&kv), "", 1);
        assert!(matches!(origin, Origin::Unreadable { kept_as: None, .. }));
        assert_eq!(
            saver.save(&kv, &doc(3).to_json(), 2),
            Some(SaveNote::Blocked {
                why: Replaced::Unreadable
            })
        );
        assert_eq!(kv.get(AUTOSAVE_KEY), Some(unreadable.clone()));
        // Room is made (the user cleared other data): the next save keeps it aside, then saves.
        kv.room.set(ROOMY);
        assert_eq!(
            saver.save(&kv, &doc(3).to_json(), 3),
            Some(SaveNote::KeptAside {
                kept_as: format!("{KEPT_ASIDE_PREFIX}3"),
                why: Replaced::Unreadable
            })
        );
        assert_eq!(kv.get(&format!("{KEPT_ASIDE_PREFIX}3")), Some(unreadable));
        assert_eq!(kv.get(AUTOSAVE_KEY), Some(doc(3).to_json()));
    }

    #[test]
    fn a_full_storage_refuses_the_save_and_keeps_the_last_one() {
        let first = doc(2).to_json();
        let kv = Map::new(AUTOSAVE_KEY.len() + first.len() + 10);
        let (_, _, mut saver) = open(Some(&kv), "", 1);
        assert_eq!(saver.save(&kv, &first, 1), None);
        let mut big = doc(3);
        big.name = "a long name ".repeat(10);
        assert_eq!(saver.save(&kv, &big.to_json(), 2), Some(SaveNote::Refused));
        assert_eq!(kv.get(AUTOSAVE_KEY), Some(first.clone()));
        // Another tab's version with no room to keep it: not written over.
        let (_, _, mut other) = open(Some(&kv), "", 3);
        let mut mine = Saver::default();
        assert_eq!(other.save(&kv, &first, 3), None);
        assert_eq!(
            mine.save(&kv, &doc(4).to_json(), 4),
            Some(SaveNote::Blocked {
                why: Replaced::OtherTab
            })
        );
        assert_eq!(kv.get(AUTOSAVE_KEY), Some(first));
    }

    #[test]
    fn no_storage_opens_the_demo() {
        let (d, origin, _) = open(None::<&Map>, "", 1);
        assert_eq!((d, origin), (Document::default(), Origin::Demo));
    }
}
