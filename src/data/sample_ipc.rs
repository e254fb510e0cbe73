//! Sample data as Arrow (being written).
