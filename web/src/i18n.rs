//! English and French (the datasheet's language), switchable at run time. Every text has both languages: the
//! table is one `match`, so a missing translation does not compile.
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }
}

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
    Undo => "Undo", "Annuler";
    Redo => "Redo", "Rétablir";
    Share => "Share link", "Lien de partage";
    Export => "Export JSON", "Exporter JSON";
    Import => "Import JSON", "Importer JSON";
    ExportSvg => "Export SVG", "Exporter SVG";
    Diagram => "Wiring diagram", "Schéma de câblage";
    TapTerminal => "Tap or hover a terminal for its voltage and current.", "Touchez ou survolez une borne pour sa tension et son courant.";
    LevelHigh => "high", "haut";
    Achieved => "achieved", "atteinte";
    Cold => "Cold 0 °C", "Froid 0 °C";
    Hot => "Hot 55 °C", "Chaud 55 °C";
    Mild => "20 °C", "20 °C";
    CellDrift => "Cell drift −10 %", "Dérive d'une cellule −10 %";
    Parasitic => "Parasitic 10 mA", "Consommation parasite 10 mA";
    LoadSlider => "Load:", "Consommation :";
    ChargeSlider => "Charge:", "Recharge :";
    Soc => "SoC", "État de charge";
    BankVoltage => "Bank", "Parc";
    Current => "Current", "Courant";
    BmsDraws => "BMS draws", "Consommation du BMS";
    VirtualTitle => "Virtual device: what this BMS would broadcast", "Appareil virtuel : ce que ce BMS diffuserait";
    VirtualKey => "Key (32 hex digits)", "Clé (32 chiffres hexadécimaux)";
    VirtualText => "The Instant Readout record 0x0A (\"(Lynx Smart) BMS\") the simulated smallBMS NG would send right now, encrypted with this key: the exact manufacturer data (after the company id 0x02E1) a real one sends. Decode it with `smallbms readout --key …` or any Instant Readout decoder.", "L'enregistrement Instant Readout 0x0A (« (Lynx Smart) BMS ») que le smallBMS NG simulé enverrait maintenant, chiffré avec cette clé : exactement les données fabricant (après l'identifiant 0x02E1) qu'envoie un vrai. Décodez-le avec `smallbms readout --key …` ou tout décodeur Instant Readout.";
    LevelFloating => "floating", "flottant";
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
    Step => "Step", "Pas";
    Reset => "Reset", "Réinitialiser";
    Speed => "Speed", "Vitesse";
    PullCable => "Pull BMS cable", "Débrancher un câble BMS";
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
