//! The wired system: configuration, validation rules and wiring evaluation.
