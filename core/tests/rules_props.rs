//! Arbitrary configurations never make validation or the device runtime panic.
#![cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use smallbms_core::bms::{Bms, BmsInputs, BmsOutput, BmsSettings};
use smallbms_core::devices::*;
use smallbms_core::system::*;
use smallbms_core::units::{DeciCelsius, Milliamps, Millis, Millivolts, Permille, SimTime};

fn kind() -> impl Strategy<Value = DeviceKind> {
    let ma = any::<i32>().prop_map(Milliamps);
    prop_oneof![
        (any::<u8>(), prop::bool::ANY).prop_map(|(code, c)| DeviceKind::BatteryProtect(
            BatteryProtectParams {
                code,
                mode: if c { BpMode::C } else { BpMode::A },
                ..BatteryProtectParams::default()
            }
        )),
        Just(DeviceKind::CyrixLiCt(CyrixCtParams::default())),
        any::<i32>().prop_map(|v| DeviceKind::CyrixLiCharge(CyrixChargeParams {
            engage_at: Millivolts(v),
            ..CyrixChargeParams::default()
        })),
        (ma.clone(), any::<i32>(), 0u8..4).prop_map(|(current, cv, logic)| DeviceKind::Remote(
            RemoteDeviceParams {
                device: RemoteDeviceType::Charger,
                input: RemoteInput::new(match logic {
                    0 => RemoteLogic::ActiveHigh,
                    1 => RemoteLogic::OnWhenOpen,
                    2 => RemoteLogic::OnWhenPulledLow,
                    _ => RemoteLogic::VeDirectRx,
                }),
                power: PowerRole::Charger {
                    output: ChargeOutput {
                        max_current: current,
                        charge_voltage: Millivolts(cv),
                        cv_band: Millivolts(cv / 7),
                    },
                },
                standby: Microamps(0),
            }
        )),
        any::<u32>().prop_map(|watts| DeviceKind::DcLoad {
            draw: Draw::Power { watts }
        }),
        ma.clone()
            .prop_map(|m| DeviceKind::Relay(RelayParams::relay(m))),
        ma.prop_map(|current| DeviceKind::Buzzer(IndicatorParams {
            current,
            inductive: true
        })),
        Just(DeviceKind::VeBusMultiPlus {
            model: String::new()
        }),
    ]
}

fn device() -> impl Strategy<Value = DeviceConfig> {
    (
        kind(),
        prop::option::of((0u8..3, prop::option::of(0u8..3))),
        prop::option::of(0usize..12),
    )
        .prop_map(|(kind, control, behind)| {
            let mut d = DeviceConfig::new("x", kind);
            d.control = control.map(|(o, c)| Control {
                output: BmsOutput::ALL[usize::from(o)],
                cable: c.map(|c| CableKind::ALL[usize::from(c)]),
            });
            d.power_path.behind = behind;
            d
        })
}

proptest! {
    #[test]
    fn any_config_validates_and_runs(
        devices in prop::collection::vec(device(), 0..10),
        fuse in any::<i32>(),
        nominal in any::<i32>(),
        pre in any::<i32>(),
        floor in any::<u16>(),
        temp in any::<i16>(),
        volts in prop::collection::vec(any::<i32>(), 1..8),
    ) {
        let config = SystemConfig {
            supply_fuse: Milliamps(fuse),
            bms: BmsSettings {
                pre_alarm_cell: Millivolts(pre),
                discharge_floor: Permille(floor),
                discharge_floor_band: Permille(floor),
                charge_temp_min: DeciCelsius(temp),
                pre_alarm_lead: Millis(u64::MAX),
                ..BmsSettings::default()
            },
            devices,
            ..SystemConfig::default()
        };
        let findings = validate(&config, Millivolts(nominal));
        for f in &findings {
            prop_assert!(RULES.iter().any(|r| r.id == f.id));
        }
        let mut bms = Bms::new(config.bms.clone());
        let mut devices = Devices::new(&config, Millivolts(nominal));
        let demand = output_demand(&config);
        for (i, v) in volts.iter().enumerate() {
            let now = SimTime(i as u64 * 7_000);
            let inputs = BmsInputs { supply: Millivolts(*v), demand, ..BmsInputs::default() };
            bms.update(now, &inputs);
            devices.update(now, bms.outputs(), &Environment::bank(Millivolts(*v)));
            let _ = devices.next_deadline();
            let _ = total_bank_current(bms.outputs(), &demand, &devices, Millivolts(*v));
            for k in 0..devices.len() {
                let _ = devices.get(k).map(|d| d.to_string());
            }
        }
    }
}
