//! Devices the smallBMS NG drives, one module each.
