//! English and French (the datasheet's language), switchable at run time. Every text has both languages: the
//! table is one `match`, so a missing translation does not compile.
use leptos::prelude::*;

/// The language type is the core's, so the interface and the core's texts (findings, causes, device states)
/// switch together.
pub use smallbms_core::lang::Lang;

macro_rules! texts {
    ($($key:ident => $en:expr, $fr:expr;)*) => {
        /// A text of the interface.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum T { $($key),* }
        impl T {
            pub const ALL: &'static [T] = &[$(T::$key),*];
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::En) => $en, (T::$key, Lang::Fr) => $fr,)*
                }
            }
        }
    };
}

texts! {
    AppName => "smallBMS NG Studio", "smallBMS NG Studio";
    TabConfigure => "Configure", "Configurer";
    TabSimulate => "Simulate", "Simuler";
    TabLive => "Live", "En direct";
    BankTitle => "Battery bank", "Parc de batteries";
    Model => "Battery model", "Modèle de batterie";
    InSeries => "In series", "En série";
    InParallel => "Strings in parallel", "Chaînes en parallèle";
    SystemVoltage => "System voltage", "Tension système";
    Capacity => "Capacity", "Capacité";
    Energy => "Energy", "Énergie";
    Batteries => "Batteries", "Batteries";
    Cells => "Cells", "Cellules";
    WithinLimits => "Within the smallBMS NG datasheet limits", "Dans les limites de la fiche technique du smallBMS NG";
    FindingsTitle => "Findings", "Constats";
    NoFindings => "No problems found: every rule passes.", "Aucun problème : toutes les règles sont respectées.";
    Fix => "Fix:", "Correction :";
    Source => "Source:", "Source :";
    Assumed => "assumed from sibling products", "supposé d'après des produits proches";
    BmsTitle => "smallBMS NG settings", "Réglages du smallBMS NG";
    RemoteInput => "Remote on/off (L/H)", "Allumage/arrêt à distance (L/H)";
    SupplyFuse => "Supply fuse (A)", "Fusible d'alimentation (A)";
    DevicesTitle => "Devices", "Appareils";
    AddDevice => "Add a device", "Ajouter un appareil";
    Add => "Add", "Ajouter";
    DrivenBy => "Driven by", "Commandé par";
    Cable => "Interface cable", "Câble d'interface";
    Behind => "Power through", "Alimenté via";
    OnTheBank => "the bank directly", "le parc directement";
    PartsTitle => "Parts list and commissioning sheet", "Liste des pièces et fiche de mise en service";
    Print => "Print", "Imprimer";
    Part => "Part", "Pièce";
    PartNumber => "Victron part number", "Référence Victron";
    CommissioningTitle => "Settings to enter", "Réglages à saisir";
    ChecksTitle => "Checks to perform", "Vérifications à effectuer";
    PowerTitle => "Power wiring: cables and fuses", "Câblage de puissance : câbles et fusibles";
    PowerSizeEverything => "Size everything", "Tout dimensionner";
    PowerSuggest => "Suggest", "Proposer";
    PowerSuggested => "Suggested", "Proposé";
    PowerSized => "cable(s) sized", "câble(s) dimensionné(s)";
    PowerLengthAssumed => " (length assumed: enter yours)", " (longueur supposée : saisissez la vôtre)";
    PowerCable => "Cable", "Câble";
    PowerSize => "Cross-section", "Section";
    PowerLength => "Length one way (m)", "Longueur aller (m)";
    PowerFuse => "Fuse", "Fusible";
    PowerFuseRating => "Fuse rating (A)", "Calibre du fusible (A)";
    PowerNoFuse => "none", "aucun";
    PowerNotEntered => "not entered", "non renseigné";
    PowerCurrent => "Design current", "Courant de calcul";
    PowerDrop => "Drop", "Chute";
    PowerFromBank => "From the bank", "Depuis le parc";
    PowerAmpacity => "Ampacity", "Courant admissible";
    PowerInterconnect => "Battery interconnect (each)", "Liaison entre batteries (chacune)";
    PowerLayout => "Parallel strings wired", "Chaînes parallèles câblées";
    PowerLayoutBusbar => "to a busbar, equal leads", "sur barre omnibus, câbles égaux";
    PowerLayoutDiagonal => "diagonally (+ first, − last)", "en diagonale (+ première, − dernière)";
    PowerLayoutSameEnd => "both at the first battery", "les deux sur la première batterie";
    PowerStringFuse => "Fuse per string", "Fusible par chaîne";
    PowerDropLimit => "Drop limit", "Chute maximale";
    PowerCopperAt => "copper at", "cuivre à";
    PowerAmpacityKept => "ampacity kept", "courant admissible retenu";
    Undo => "Undo", "Annuler";
    Redo => "Redo", "Rétablir";
    Share => "Share link", "Lien de partage";
    Export => "Export JSON", "Exporter JSON";
    Import => "Import JSON", "Importer JSON";
    ExportSvg => "Export SVG", "Exporter SVG";
    Diagram => "Wiring diagram", "Schéma de câblage";
    TapTerminal => "Tap or hover a terminal for its voltage and current.", "Touchez ou survolez une borne pour afficher sa tension et son courant.";
    LevelHigh => "high", "haute";
    Alarm => "Alarm", "Alarme";
    DeviceName => "Device name", "Nom de l'appareil";
    Remove => "Remove", "Retirer";
    Faults => "Faults", "Défauts";
    Demand => "Demand", "Demande";
    OpenedShared => "Opened the system from the share link.", "Système ouvert depuis le lien de partage.";
    BadShareLink => "The share link could not be opened:", "Le lien de partage n'a pas pu être ouvert :";
    Imported => "Imported", "Importé :";
    FileUnreadable => "the file could not be read", "le fichier n'a pas pu être lu";
    Language => "Language", "Langue";
    Dismiss => "Dismiss", "Fermer";
    PlotPreAlarm => "pre-alarm", "préalarme";
    PlotUnderVoltage => "under-voltage", "sous-tension";
    PlotOverVoltage => "over-voltage", "surtension";
    RemoteLToH => "On/off switch between L and H", "Interrupteur marche/arrêt entre L et H";
    RemoteHToPlus => "H switched to battery plus", "H commutée vers le plus batterie";
    RemoteLToMinus => "L switched to battery minus", "L commutée vers le moins batterie";
    RemoteBridged => "L and H bridged (always on)", "L et H pontées (toujours en marche)";
    RemoteOpen => "Nothing connected (BMS stays off)", "Rien de raccordé (le BMS reste à l'arrêt)";
    AssumedWord => "assumed", "supposé";
    CustomFrom => "Custom (from", "Personnalisé (d'après";
    SourceSimulation => "simulation", "simulation";
    SourceLive => "live: smallBMS NG", "en direct : smallBMS NG";
    KeyInvalid => "The key is not valid:", "La clé n'est pas valide :";
    KeyRequired => "Enter this device's Instant Readout key (32 hex digits): VictronConnect → the device → ⚙ → Product info → Instant readout details → Show.", "Saisissez la clé Instant Readout de cet appareil (32 chiffres hexadécimaux) : VictronConnect → l'appareil → ⚙ → Product info → Instant readout details → Show.";
    Terminal => "terminal", "borne";
    Device => "device", "appareil";
    SeverityError => "error", "erreur";
    SeverityWarning => "warning", "avertissement";
    SeverityInfo => "info", "info";
    Colon => ": ", " : ";
    Warning => "Warning", "Avertissement";
    ErrorCode => "Error", "Erreur";
    Qty => "Qty", "Qté";
    NotPublic => "— (not public)", "— (non publié)";
    LiveIntro => "Reads the Instant Readout that a smallBMS NG (and other Victron devices) broadcast: state of charge, voltage, current, temperature, allowed-to-charge / -discharge, warnings and alarms. Read-only: the app never writes to a device. The key decrypts the data in this page and never leaves it.", "Lit l'Instant Readout que diffusent un smallBMS NG (et d'autres appareils Victron) : état de charge, tension, courant, température, autorisation de charger / décharger, avertissements et alarmes. En lecture seule : l'application n'écrit jamais dans un appareil. La clé déchiffre les données dans cette page et ne la quitte jamais.";
    Connect => "Connect a Victron device", "Connecter un appareil Victron";
    BtNone => "This browser has no Web Bluetooth. Use Chrome or Edge on desktop (Windows, macOS, Linux, ChromeOS) or Chrome on Android; Firefox and Safari (and every iOS browser but Bluefy) do not support it. On Linux, also enable chrome://flags/#enable-experimental-web-platform-features.", "Ce navigateur n'a pas Web Bluetooth. Utilisez Chrome ou Edge sur ordinateur (Windows, macOS, Linux, ChromeOS) ou Chrome sur Android ; Firefox et Safari (et tout navigateur iOS sauf Bluefy) ne le prennent pas en charge. Sous Linux, activez aussi chrome://flags/#enable-experimental-web-platform-features.";
    BtNoAdvertisements => "This browser can pick a Bluetooth device but cannot watch its advertisements, which is how Instant Readout arrives. In Chrome or Edge open chrome://flags/#enable-experimental-web-platform-features, set it to Enabled and restart the browser.", "Ce navigateur peut choisir un appareil Bluetooth mais pas écouter ses annonces, par lesquelles arrive l'Instant Readout. Dans Chrome ou Edge, ouvrez chrome://flags/#enable-experimental-web-platform-features, réglez-le sur Enabled et redémarrez le navigateur.";
    BtInsecure => "Bluetooth only works on a secure page: open the app over https, or from http://127.0.0.1 / http://localhost.", "Le Bluetooth ne fonctionne que sur une page sécurisée : ouvrez l'application en https, ou depuis http://127.0.0.1 / http://localhost.";
    BtChoose => "Choose your Victron device in the browser's list…", "Choisissez votre appareil Victron dans la liste du navigateur…";
    BtNoneChosen => "No device chosen.", "Aucun appareil choisi.";
    BtCouldNotGet => "Could not get a device:", "Impossible d'obtenir un appareil :";
    BtListening => "Listening to", "À l'écoute de";
    BtCannotWatch => "chosen, but its advertisements cannot be watched:", "choisi, mais ses annonces ne peuvent pas être écoutées :";
    MirrorBms => "Mirrors the smallBMS NG of your configured system (see the diagram).", "Reflète le smallBMS NG de votre système configuré (voir le schéma).";
    MirrorBank => "Mirrors the battery bank of your configured system.", "Reflète le parc de batteries de votre système configuré.";
    MirrorDevices => "Counterpart in your system:", "Correspondant dans votre système :";
    MirrorNone => "No counterpart in your configured system.", "Aucun correspondant dans votre système configuré.";
    Advertisements => "advertisements", "annonces";
    RepeatsSkipped => "repeats skipped", "répétitions ignorées";
    LastSeen => "last seen", "vu il y a";
    Stale => "No advertisement for over 30 s: these values are stale (out of range, or VictronConnect is connected to it, which pauses Instant Readout).", "Aucune annonce depuis plus de 30 s : ces valeurs sont périmées (hors de portée, ou VictronConnect y est connecté, ce qui suspend l'Instant Readout).";
    ReadoutKey => "Instant Readout key", "Clé Instant Readout";
    HexDigits => "32 hex digits", "32 chiffres hexadécimaux";
    RememberKey => "Remember in this browser", "Mémoriser dans ce navigateur";
    RawAdvertisement => "Raw advertisement", "Annonce brute";
    Achieved => "achieved", "vitesse atteinte";
    Cold => "Cold 0 °C", "Froid 0 °C";
    Hot => "Hot 55 °C", "Chaud 55 °C";
    Mild => "20 °C", "20 °C";
    CellDrift => "Cell drift −10 %", "Dérive d'une cellule −10 %";
    Parasitic => "Parasitic 10 mA", "Consommation parasite 10 mA";
    LoadSlider => "Load:", "Consommateur :";
    ChargeSlider => "Charge:", "Recharge :";
    Soc => "SoC", "État de charge";
    BankVoltage => "Bank", "Parc";
    Current => "Current", "Courant";
    BmsDraws => "BMS draws", "Consommation du BMS";
    VirtualTitle => "Virtual device: what this BMS would broadcast", "Appareil virtuel : ce que ce BMS diffuserait";
    VirtualKey => "Key (32 hex digits)", "Clé (32 chiffres hexadécimaux)";
    VirtualText => "The Instant Readout record 0x0A (\"(Lynx Smart) BMS\") the simulated smallBMS NG would send right now, encrypted with this key: the exact manufacturer data (after the company id 0x02E1) a real one sends. Decode it with `smallbms readout --key …` or any Instant Readout decoder.", "L'enregistrement Instant Readout 0x0A (« (Lynx Smart) BMS ») que le smallBMS NG simulé enverrait maintenant, chiffré avec cette clé : exactement les données fabricant (après l'identifiant 0x02E1) qu'envoie un vrai. Décodez-le avec `smallbms readout --key …` ou tout décodeur Instant Readout.";
    LevelFloating => "floating", "flottante";
    SwitchClosed => "closed", "fermé";
    SwitchOpen => "open", "ouvert";
    LinkCopied => "Share link (the system travels in the link; nothing is uploaded):", "Lien de partage (le système voyage dans le lien ; rien n'est envoyé) :";
    CustomModel => "Custom model…", "Modèle personnalisé…";
    CustomCapacity => "Capacity (Ah)", "Capacité (Ah)";
    CustomResistance => "Internal resistance (mΩ)", "Résistance interne (mΩ)";
    Scenario => "Scenario", "Scénario";
    FreeRun => "Free run (use the buttons)", "Libre (utilisez les boutons)";
    Play => "Play", "Lancer";
    Pause => "Pause", "Pause";
    Step => "Step", "Avancer";
    Reset => "Reset", "Réinitialiser";
    Speed => "Speed", "Vitesse";
    PullCable => "Pull BMS cable", "Débrancher le câble BMS";
    PlugCable => "Plug BMS cable", "Rebrancher le câble BMS";
    RemoteOff => "Remote off", "Arrêt à distance";
    RemoteOn => "Remote on", "Marche à distance";
    Plots => "Plots", "Courbes";
    PlotSoc => "State of charge (%)", "État de charge (%)";
    PlotCells => "Lowest and highest cell (V)", "Cellule la plus basse et la plus haute (V)";
    PlotCurrent => "Bank current (A, + charging)", "Courant du parc (A, + en charge)";
    PlotOutputs => "BMS outputs (up = high)", "Sorties du BMS (haut = active)";
    EventLog => "Event log: why did it switch?", "Journal : pourquoi a-t-il basculé ?";
    ImportFailed => "Import failed:", "Échec de l'importation :";
}

/// The current language, shared through Leptos context.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

/// The current language, reactively (English outside an app, e.g. in a component test without context).
pub fn use_lang() -> impl Fn() -> Lang + Copy + Send + Sync + 'static {
    let lang = use_context::<I18n>().map(|i| i.0);
    move || lang.map(|l| l.get()).unwrap_or_default()
}

/// The reactive text for `key` in the current language.
pub fn tr(key: T) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_context::<I18n>().map(|i| i.0);
    move || key.get(lang.map(|l| l.get()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_translated_and_not_empty() {
        for t in T::ALL {
            assert!(!t.get(Lang::En).is_empty(), "{t:?} en");
            assert!(!t.get(Lang::Fr).is_empty(), "{t:?} fr");
        }
        assert_eq!(Lang::from_code(Lang::Fr.code()), Some(Lang::Fr));
    }
}
