//! Victron Instant Readout (Bluetooth advertisements): header, key check, AES-128-CTR, records, encoder.
