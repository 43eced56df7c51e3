//! The bank against the smallBMS NG datasheet: every problem at once, each a [`Finding`] with its fix and source.
use super::{check_model, figures, BankConfig, BankError};
use crate::finding::{Finding, Severity, Subject};
use crate::lang::{format_in, Lang, Localized};
use alloc::string::ToString;
use alloc::vec::Vec;

fn finding(
    id: &'static str,
    severity: Severity,
    message: alloc::string::String,
    fix: &str,
    source: &'static str,
) -> Finding {
    Finding {
        id,
        severity,
        subject: Subject::Bank,
        message,
        fix: fix.to_string(),
        source,
    }
}

/// Most batteries one smallBMS NG manages, by battery voltage (datasheet: 50 with 12.8 V or 25.6 V batteries,
/// 25 with 51.2 V).
pub fn max_batteries(battery_nominal_mv: i32) -> u32 {
    if battery_nominal_mv >= 51_200 {
        25
    } else {
        50
    }
}

/// Most energy one smallBMS NG manages, in Wh, by battery voltage (datasheet: 192 kWh with 12.8 V batteries, 384 kWh
/// with 25.6 V, 128 kWh with 51.2 V).
pub fn max_energy_wh(battery_nominal_mv: i32) -> u64 {
    match battery_nominal_mv {
        v if v >= 51_200 => 128_000,
        v if v >= 25_600 => 384_000,
        _ => 192_000,
    }
}

/// Every problem with the bank, in English.
pub fn validate(cfg: &BankConfig) -> Vec<Finding> {
    validate_in(cfg, Lang::En)
}

/// Every problem with the bank, with messages and fixes in `lang`; the same findings in the same order whatever the
/// language.
pub fn validate_in(cfg: &BankConfig, lang: Lang) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = match figures(cfg) {
        Ok(f) => f,
        Err(e) => {
            let (id, fix) = match e {
                BankError::NoBatteries => (
                    "bank.empty",
                    lang.pick(
                        "Set at least 1 battery in series and 1 string.",
                        "Réglez au moins 1 batterie en série et 1 chaîne.",
                    ),
                ),
                BankError::UnknownModel(_) => ("bank.unknown_model", pick_model(lang)),
                BankError::InvalidModel(_) => ("bank.invalid_model", correct_model(lang)),
                BankError::TooLarge { .. } => (
                    "bank.too_large",
                    lang.pick("Make the bank smaller.", "Réduisez la taille du parc."),
                ),
            };
            out.push(finding(
                id,
                Severity::Error,
                e.in_lang(lang).to_string(),
                fix,
                "datasheet",
            ));
            return out;
        }
    };
    let m = &f.model;
    if !m.smallbms_ng_compatible {
        out.push(finding(
            "bank.not_ng",
            Severity::Error,
            format_in!(
                lang,
                "{} is not a Lithium NG battery: the smallBMS NG is not compatible with Lithium Battery Smart (non-NG) batteries.",
                "{} n'est pas une batterie Lithium NG : le smallBMS NG n'est pas compatible avec les batteries Lithium Battery Smart (non NG).",
                m.name
            ),
            lang.pick(
                "Use Lithium NG batteries, or the smallBMS (with pre-alarm) made for Lithium Battery Smart.",
                "Utilisez des batteries Lithium NG, ou le smallBMS (avec préalarme) conçu pour les Lithium Battery Smart.",
            ),
            "datasheet",
        ));
    }
    let max = max_batteries(m.nominal_voltage.0);
    if f.batteries > max {
        out.push(finding(
            "bank.too_many_batteries",
            Severity::Error,
            format_in!(
                lang,
                "{} batteries is more than one smallBMS NG manages: at most {} with {} V batteries.",
                "{} batteries, c'est plus qu'un smallBMS NG ne peut gérer : au plus {} avec des batteries de {} V.",
                f.batteries,
                max,
                m.nominal_voltage.si()
            ),
            lang.pick(
                "Use fewer, larger batteries, or split the installation into banks with a BMS each.",
                "Utilisez moins de batteries, de plus grande capacité, ou répartissez l'installation en plusieurs parcs ayant chacun leur BMS.",
            ),
            "datasheet",
        ));
    }
    if cfg.series > m.max_in_series {
        let rule = if m.max_in_series <= 1 {
            format_in!(
                lang,
                "{} batteries are used in parallel only",
                "les batteries {} s'utilisent uniquement en parallèle",
                m.name
            )
        } else {
            format_in!(
                lang,
                "at most {} of them go in series",
                "au plus {} d'entre elles peuvent être montées en série",
                m.max_in_series
            )
        };
        out.push(finding(
            "bank.series_limit",
            Severity::Error,
            format_in!(lang, "{} × {} in series: {}.", "{} × {} en série : {}.", cfg.series, m.name, rule),
            lang.pick(
                "Reduce the batteries in series; for a higher system voltage use higher-voltage batteries (48 V = 2 × 25.6 V).",
                "Réduisez le nombre de batteries en série ; pour une tension système plus élevée, utilisez des batteries de tension plus élevée (48 V = 2 × 25.6 V).",
            ),
            "victron-behaviour.md §2.3 (Smart-family rule, assumed for NG)",
        ));
    }
    if f.system_voltage_class.is_none() {
        out.push(finding(
            "bank.system_voltage",
            Severity::Error,
            format_in!(
                lang,
                "A {} V bank is not a 12, 24 or 48 V system, the only ones the smallBMS NG is made for.",
                "Un parc de {} V n'est pas un système 12, 24 ou 48 V, les seuls pour lesquels le smallBMS NG est conçu.",
                f.nominal_voltage.si()
            ),
            lang.pick(
                "Choose the batteries in series so the bank is 12.8, 25.6 or 51.2 V nominal.",
                "Choisissez le nombre de batteries en série pour que le parc soit à 12.8, 25.6 ou 51.2 V nominal.",
            ),
            "datasheet",
        ));
    }
    let max_wh = max_energy_wh(m.nominal_voltage.0);
    if f.energy_wh > max_wh {
        out.push(finding(
            "bank.energy_limit",
            Severity::Error,
            format_in!(
                lang,
                "{:.2} kWh is more than one smallBMS NG manages with {} V batteries ({} kWh).",
                "{:.2} kWh, c'est plus qu'un smallBMS NG ne peut gérer avec des batteries de {} V ({} kWh).",
                f.energy_wh as f64 / 1000.0,
                m.nominal_voltage.si(),
                max_wh / 1000
            ),
            lang.pick(
                "Use a smaller bank, or split it into banks with a BMS each.",
                "Utilisez un parc plus petit, ou répartissez-le en plusieurs parcs ayant chacun leur BMS.",
            ),
            "datasheet",
        ));
    }
    let mixed: Vec<_> = cfg
        .overrides
        .iter()
        .filter(|o| o.model.id() != cfg.model.id())
        .collect();
    if !mixed.is_empty() {
        let list: Vec<_> = mixed
            .iter()
            .map(|o| {
                format_in!(
                    lang,
                    "battery {} is {}",
                    "la batterie {} est {}",
                    o.battery.saturating_add(1),
                    o.model.id()
                )
            })
            .collect();
        out.push(finding(
            "bank.mixed_models",
            Severity::Error,
            format_in!(
                lang,
                "The bank mixes battery models ({}); a bank must be one model only.",
                "Le parc mélange des modèles de batterie ({}) ; un parc ne doit comporter qu'un seul modèle.",
                list.join(", ")
            ),
            lang.pick(
                "Replace the odd batteries with the bank's model.",
                "Remplacez les batteries différentes par le modèle du parc.",
            ),
            "SPEC §2",
        ));
    }
    for o in &cfg.overrides {
        if let Some(om) = o.model.resolve() {
            if let Err(e) = check_model(&om) {
                out.push(finding(
                    "bank.invalid_model",
                    Severity::Error,
                    e.in_lang(lang).to_string(),
                    correct_model(lang),
                    "datasheet",
                ));
            }
        } else {
            out.push(finding(
                "bank.unknown_model",
                Severity::Error,
                format_in!(
                    lang,
                    "Battery {} refers to an unknown model \"{}\".",
                    "La batterie {} fait référence à un modèle inconnu « {} ».",
                    o.battery.saturating_add(1),
                    o.model.id()
                ),
                pick_model(lang),
                "datasheet",
            ));
        }
    }
    if m.assumed {
        out.push(finding(
            "bank.assumed_model",
            Severity::Info,
            format_in!(
                lang,
                "{}: Victron has not published this model's data; its figures are assumed from the 12.8 V models.",
                "{} : Victron n'a pas publié les données de ce modèle ; ses caractéristiques sont supposées d'après les modèles 12.8 V.",
                m.name
            ),
            lang.pick(
                "Check the figures against the battery's own datasheet.",
                "Vérifiez ces caractéristiques avec la fiche technique de la batterie.",
            ),
            "SPEC §2",
        ));
    }
    out
}

fn pick_model(lang: Lang) -> &'static str {
    lang.pick(
        "Pick a model from the catalogue.",
        "Choisissez un modèle dans le catalogue.",
    )
}

fn correct_model(lang: Lang) -> &'static str {
    lang.pick(
        "Correct the custom model's figures.",
        "Corrigez les caractéristiques du modèle personnalisé.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::ModelRef;

    fn bank(model: &str, series: u8, parallel: u8) -> BankConfig {
        BankConfig {
            model: ModelRef::Builtin(model.into()),
            series,
            parallel,
            ..BankConfig::default()
        }
    }
    fn ids(cfg: &BankConfig) -> Vec<&'static str> {
        validate(cfg).into_iter().map(|f| f.id).collect()
    }

    #[test]
    fn datasheet_limits_at_the_edge() {
        assert!(ids(&bank("ng-12v8-300", 1, 50)).is_empty()); // 192 kWh exactly
        assert!(ids(&bank("ng-51v2-100", 1, 25)).is_empty()); // 128 kWh exactly
        assert_eq!(ids(&bank("ng-25v6-300", 2, 25)), ["bank.assumed_model"]); // 384 kWh exactly
        assert_eq!(
            figures(&bank("ng-12v8-300", 1, 50)).unwrap().energy_wh,
            192_000
        );
        assert_eq!(
            figures(&bank("ng-25v6-300", 2, 25)).unwrap().energy_wh,
            384_000
        );
        assert_eq!(
            figures(&bank("ng-51v2-100", 1, 25)).unwrap().energy_wh,
            128_000
        );
        // One battery more breaks both limits at once (51 × 3.84 kWh = 195.8 kWh; 26 × 5.12 kWh = 133.1 kWh).
        assert_eq!(
            ids(&bank("ng-12v8-300", 1, 51)),
            ["bank.too_many_batteries", "bank.energy_limit"]
        );
        assert_eq!(
            ids(&bank("ng-12v8-100", 1, 51)),
            ["bank.too_many_batteries"]
        );
        assert_eq!(
            ids(&bank("ng-51v2-100", 1, 26)),
            ["bank.too_many_batteries", "bank.energy_limit"]
        );
    }

    #[test]
    fn every_rule_triggers_and_stays_quiet() {
        assert_eq!(ids(&bank("ng-12v8-100", 0, 1)), ["bank.empty"]);
        assert_eq!(ids(&bank("nope", 1, 1)), ["bank.unknown_model"]);
        assert_eq!(ids(&bank("smart-12v8-200", 1, 1)), ["bank.not_ng"]);
        assert_eq!(
            ids(&bank("ng-12v8-100", 5, 1)),
            ["bank.series_limit", "bank.system_voltage"]
        );
        assert_eq!(ids(&bank("ng-12v8-100", 3, 1)), ["bank.system_voltage"]);
        assert_eq!(
            ids(&bank("ng-51v2-100", 2, 1)),
            ["bank.series_limit", "bank.system_voltage"]
        );
        assert!(ids(&bank("ng-12v8-100", 4, 12)).is_empty());
        let mut mixed = bank("ng-12v8-200", 1, 2);
        mixed.overrides.push(super::super::BatteryOverride {
            battery: 1,
            model: ModelRef::Builtin("ng-12v8-100".into()),
        });
        assert_eq!(ids(&mixed), ["bank.mixed_models"]);
        mixed.overrides[0].model = ModelRef::Builtin("ng-12v8-200".into());
        assert!(ids(&mixed).is_empty());
        let mut big = crate::catalogue::builtin("ng-12v8-300").unwrap();
        big.capacity = crate::units::MilliampHours(400_000);
        let custom = BankConfig {
            model: ModelRef::Custom(alloc::boxed::Box::new(big)),
            series: 1,
            parallel: 40,
            ..BankConfig::default()
        };
        assert_eq!(ids(&custom), ["bank.energy_limit"]); // 40 × 5.12 kWh = 204.8 kWh > 192
        let mut bad = crate::catalogue::builtin("ng-12v8-300").unwrap();
        bad.cells_in_series = 0;
        assert_eq!(
            ids(&BankConfig {
                model: ModelRef::Custom(alloc::boxed::Box::new(bad)),
                ..BankConfig::default()
            }),
            ["bank.invalid_model"]
        );
    }

    #[test]
    fn messages_carry_the_figures() {
        let v = validate(&bank("ng-51v2-100", 1, 26));
        assert!(
            v[0].message.contains("26") && v[0].message.contains("25"),
            "{}",
            v[0].message
        );
    }
}
