//! Funnels (SEMANTICS.md, Funnels): ordered, strict and unordered engines over each
//! customer's time-sorted events, one linear pass over customers.
//!
//! Choices where SEMANTICS.md is silent:
//! - Steps are numbered from 0 in options (`exclusions[].fromStep/toStep`, breakdown
//!   `{ step: n }`, `customers(step)`), as in PostHog.
//! - A step that repeats the previous step's event needs a strictly later timestamp
//!   (an equal-time duplicate restarts the path instead).
//! - At equal timestamps events are taken in step order; events matching no step come last.
//! - An event that can advance the path does so rather than restart it (so `[A, A]` works).
//! - In strict mode a repeat of the step-1 event at step 1 restarts the path (later start).
//! - Exclusions taint a path when the excluded event falls after it entered `fromStep`,
//!   before it reached `toStep`, and within the window of the path's start; a path that
//!   never reaches `toStep` is tainted too. Exclusions apply to ordered and strict funnels.
//! - Unordered: steps are counted in the order they were first reached inside the window.
//! - Breakdown first/last touch look at every in-range event matching any step.

pub mod aarrr;
pub mod customers;
pub mod interval;
pub mod ordered;
pub mod path;
pub mod query;
pub mod report;
pub mod run;
pub mod scratch;
pub mod spec;
pub mod timing;
pub mod unordered;

pub use query::{FunnelMode, FunnelQuery};
pub use report::{funnel, FunnelResult};
pub use spec::FunnelSpec;
