//! The smallBMS NG as a state machine.
