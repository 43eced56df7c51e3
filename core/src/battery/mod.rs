//! The LFP cell model and the bank of Lithium NG batteries.
