//! # Insitu
//!
//! Customer analytics that stays where the data is. The core (everything here except
//! [`api`]) is plain Rust over slices and Arrow arrays: ingest Arrow IPC tables once into a
//! [`data::Dataset`] (dense customer index, events and orders grouped by customer and
//! sorted by time), then every analysis is a linear pass over customers.
//!
//! `src/api/` is the only place that knows about JavaScript; it is compiled for wasm32.

pub mod campaign;
pub mod data;
pub mod error;
pub mod funnel;
pub mod json;
pub mod ltv;
pub mod retention;
pub mod sample;
pub mod segments;
pub mod sorting;
pub mod stats;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod api;

pub use data::Dataset;
pub use error::{InsituError, Result};
