//! Customer segments over time: the lifecycle counts per period ([`lifecycle()`]) and each
//! customer's CRM stage at an as-of date ([`stages()`]). See SEMANTICS.md, "Lifecycle", and
//! `docs/retention-lifecycle.md` for the rules and the choices made where SEMANTICS is
//! silent.

pub mod lifecycle;
pub mod stages;

pub use lifecycle::{lifecycle, Lifecycle, LifecycleOptions, LifecyclePeriod};
pub use stages::{stages, CustomerStage, Stage, StageCounts, Stages, StagesOptions};
