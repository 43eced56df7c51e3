//! Codes shared by several records: device state, charger error, alarm/off-reason bitmasks and small enums.
//! Every enum keeps codes it does not know as `Unknown(code)`, so a newer device never fails to decode.
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident: $repr:ty {
            $($(#[$vmeta:meta])* $variant:ident = $code:expr => $label:expr,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A code this decoder does not know (kept, so nothing is lost).
            Unknown($repr),
        }

        impl $name {
            pub fn from_code(code: $repr) -> Self {
                match code {
                    $($code => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }

            pub fn code(self) -> $repr {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Unknown(code) => code,
                }
            }

            /// Stable snake_case label (used in JSON); `None` for unknown codes.
            pub fn name(self) -> Option<&'static str> {
                match self {
                    $(Self::$variant => Some($label),)*
                    Self::Unknown(_) => None,
                }
            }

            /// The label, or `unknown_<code>`.
            pub fn label(self) -> String {
                match self.name() {
                    Some(n) => String::from(n),
                    None => format!("unknown_{}", self.code()),
                }
            }

            pub(crate) fn to_json(self) -> Value {
                Value::String(self.label())
            }
        }
    };
}

code_enum! {
    /// VE_REG_DEVICE_STATE (ble.md §2 "Shared enums", [ESPH][KESH]). NA 0xFF is mapped to `None` by the records.
    DeviceState: u8 {
        Off = 0 => "off",
        LowPower = 1 => "low_power",
        Fault = 2 => "fault",
        Bulk = 3 => "bulk",
        Absorption = 4 => "absorption",
        Float = 5 => "float",
        Storage = 6 => "storage",
        ManualEqualize = 7 => "manual_equalize",
        Passthru = 8 => "passthru",
        Inverting = 9 => "inverting",
        Assisting = 10 => "assisting",
        PowerSupply = 11 => "power_supply",
        Sustain = 0xF4 => "sustain",
        StartingUp = 0xF5 => "starting_up",
        RepeatedAbsorption = 0xF6 => "repeated_absorption",
        AutoEqualize = 0xF7 => "auto_equalize",
        BatterySafe = 0xF8 => "battery_safe",
        /// Sources disagree (ble.md §2): victron-ble "active" (a Smart BatteryProtect with its output on, the
        /// only vector with this code), ESPHome "load detect". We follow the vector.
        Active = 0xF9 => "active",
        Blocked = 0xFA => "blocked",
        Test = 0xFB => "test",
        ExternalControl = 0xFC => "external_control",
    }
}

code_enum! {
    /// VE_REG_CHR_ERROR_CODE: the VE.Direct charger error list (ble.md §2 "Charger error codes", [KESH] base.py).
    /// NA 0xFF is mapped to `None` by the records.
    ChargerError: u8 {
        NoError = 0 => "no_error",
        BatteryVoltageTooHigh = 2 => "battery_voltage_too_high",
        ChargerTemperatureTooHigh = 17 => "charger_temperature_too_high",
        ChargerOverCurrent = 18 => "charger_over_current",
        ChargerCurrentReversed = 19 => "charger_current_reversed",
        BulkTimeLimitExceeded = 20 => "bulk_time_limit_exceeded",
        CurrentSensorIssue = 21 => "current_sensor_issue",
        TerminalsOverheated = 26 => "terminals_overheated",
        ConverterIssue = 28 => "converter_issue",
        InputVoltageTooHigh = 33 => "input_voltage_too_high",
        InputCurrentTooHigh = 34 => "input_current_too_high",
        InputShutdownBatteryVoltage = 38 => "input_shutdown_battery_voltage",
        InputShutdownCurrentWhileOff = 39 => "input_shutdown_current_while_off",
        LostCommunication = 65 => "lost_communication",
        SynchronisedChargingConfiguration = 66 => "synchronised_charging_configuration",
        BmsConnectionLost = 67 => "bms_connection_lost",
        NetworkMisconfigured = 68 => "network_misconfigured",
        FactoryCalibrationLost = 116 => "factory_calibration_lost",
        InvalidFirmware = 117 => "invalid_firmware",
        UserSettingsInvalid = 119 => "user_settings_invalid",
    }
}

code_enum! {
    /// VE_REG_AC_IN_ACTIVE, 2 bits; 3 = unknown/NA and is mapped to `None` ([EMD] Multi RS, VE.Bus).
    ActiveAcIn: u8 {
        AcIn1 = 0 => "ac_in_1",
        AcIn2 = 1 => "ac_in_2",
        NotConnected = 2 => "not_connected",
    }
}

code_enum! {
    /// VE_REG_BMV_MONITOR_MODE of the DC energy meter (ble.md §2 0x0D, [KESH] dc_energy_meter.py).
    MeterType: i16 {
        SolarCharger = -9 => "solar_charger",
        WindCharger = -8 => "wind_charger",
        ShaftGenerator = -7 => "shaft_generator",
        Alternator = -6 => "alternator",
        FuelCell = -5 => "fuel_cell",
        WaterGenerator = -4 => "water_generator",
        DcDcCharger = -3 => "dc_dc_charger",
        AcCharger = -2 => "ac_charger",
        GenericSource = -1 => "generic_source",
        GenericLoad = 1 => "generic_load",
        ElectricDrive = 2 => "electric_drive",
        Fridge = 3 => "fridge",
        WaterPump = 4 => "water_pump",
        BilgePump = 5 => "bilge_pump",
        DcSystem = 6 => "dc_system",
        Inverter = 7 => "inverter",
        WaterHeater = 8 => "water_heater",
    }
}

code_enum! {
    /// VE_REG_BALANCER_STATUS of SmartLithium, 4 bits; NA 0xF is mapped to `None` (ble.md §2 0x05).
    BalancerStatus: u8 {
        /// The device itself reports "unknown" (code 0), as opposed to a code we do not know.
        Undetermined = 0 => "unknown",
        Balanced = 1 => "balanced",
        Balancing = 2 => "balancing",
        Imbalance = 3 => "imbalance",
    }
}

code_enum! {
    /// VE.Bus record alarm, 2 bits; 3 = NA is mapped to `None` ([EMD] VE.Bus "0 = no alarm, 1 = warning,
    /// 2 = alarm").
    VeBusAlarm: u8 {
        NoAlarm = 0 => "no_alarm",
        Warning = 1 => "warning",
        Alarm = 2 => "alarm",
    }
}

code_enum! {
    /// VE_REG_DC_OUTPUT_STATUS of the Smart BatteryProtect; NA 0xFF is mapped to `None`. The codes are not in
    /// the spec; 1 = on and 4 = off are from [KESH] smart_battery_protect.py.
    OutputState: u8 {
        On = 1 => "on",
        Off = 4 => "off",
    }
}

/// A bitmask whose bits have names; unnamed set bits show as `bit_<n>`.
macro_rules! bit_flags {
    (
        $(#[$meta:meta])*
        $name:ident: $repr:ty { $($bit:expr => $label:expr,)* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name(pub $repr);

        impl $name {
            const NAMES: &'static [(u32, &'static str)] = &[$(($bit, $label),)*];

            /// Whether bit `bit` is set.
            pub fn has(self, bit: u32) -> bool {
                bit < <$repr>::BITS && (self.0 >> bit) & 1 == 1
            }

            /// Labels of the set bits, lowest first.
            pub fn labels(self) -> Vec<String> {
                (0..<$repr>::BITS)
                    .filter(|&b| self.has(b))
                    .map(|b| match Self::NAMES.iter().find(|(n, _)| *n == b) {
                        Some((_, label)) => String::from(*label),
                        None => format!("bit_{b}"),
                    })
                    .collect()
            }

            pub(crate) fn to_json(self) -> Value {
                serde_json::json!({ "raw": self.0, "flags": self.labels() })
            }
        }
    };
}

bit_flags! {
    /// VE_REG_ALARM_REASON (ble.md §2 0x02 "Alarm reason bits", [KESH] base.py). The spec gives no NA code.
    AlarmReason: u16 {
        0 => "low_voltage",
        1 => "high_voltage",
        2 => "low_soc",
        3 => "low_starter_voltage",
        4 => "high_starter_voltage",
        5 => "low_temperature",
        6 => "high_temperature",
        7 => "mid_voltage",
        8 => "overload",
        9 => "dc_ripple",
        10 => "low_v_ac_out",
        11 => "high_v_ac_out",
        12 => "short_circuit",
        13 => "bms_lockout",
        14 => "bms_cable",
    }
}

bit_flags! {
    /// VE_REG_DEVICE_OFF_REASON_2 (ble.md §2 0x04 "Off-reason bits", [ESPH]). The spec gives no NA code.
    OffReason: u32 {
        0 => "no_input_power",
        1 => "switched_off_power_switch",
        2 => "switched_off_device_mode",
        3 => "remote_input",
        4 => "protection_active",
        5 => "pay_as_you_go_out_of_credit",
        6 => "bms",
        7 => "engine_shutdown",
        8 => "analysing_input_voltage",
        9 => "battery_temperature_too_low",
    }
}

bit_flags! {
    /// VE_REG_BMS_FLAGS of SmartLithium (ble.md §2 0x05, from VE.Can registers via [ESPH]).
    SmartLithiumFlags: u32 {
        0 => "charged",
        1 => "almost_charged",
        2 => "discharged",
        3 => "almost_discharged",
        4 => "charging",
        5 => "discharging",
        6 => "balancing",
        7 => "safety_contactor",
        9 => "over_voltage_alarm",
        10 => "over_voltage_warning",
        11 => "under_voltage_alarm",
        12 => "under_voltage_warning",
        13 => "over_current_charge_warning",
        14 => "over_current_discharge_warning",
        15 => "over_temperature_alarm",
        16 => "over_temperature_warning",
        17 => "under_temperature_charge_warning",
        18 => "under_temperature_charge_alarm",
        19 => "under_temperature_discharge_warning",
        20 => "under_temperature_discharge_alarm",
        22 => "under_temperature_alarm",
        24 => "hardware_failure",
        25 => "allowed_to_charge",
        26 => "allowed_to_discharge",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_is_kept() {
        for c in 0..=u8::MAX {
            assert_eq!(DeviceState::from_code(c).code(), c);
            assert_eq!(ChargerError::from_code(c).code(), c);
        }
        assert_eq!(DeviceState::from_code(4), DeviceState::Absorption);
        assert_eq!(DeviceState::from_code(0x42).label(), "unknown_66");
        assert_eq!(MeterType::from_code(-3).name(), Some("dc_dc_charger"));
    }

    #[test]
    fn flags_list_named_and_unnamed_bits() {
        assert_eq!(OffReason(0x80).labels(), ["engine_shutdown"]);
        assert_eq!(AlarmReason(0x8001).labels(), ["low_voltage", "bit_15"]);
        assert!(SmartLithiumFlags(0x0600_0000).has(25));
        assert!(!SmartLithiumFlags(0x0600_0000).has(99));
    }
}
