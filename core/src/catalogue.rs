//! Lithium NG battery models as data, each row with its source.
