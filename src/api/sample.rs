//! Sample data generation (filled in when the generator lands).
