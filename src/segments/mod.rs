//! Customer segments: RFM, rule segments, transitions between segments, and lookalike
//! audiences (SEMANTICS.md, "RFM" and "Rule segments and transitions").
//!
//! - [`rfm()`]: recency / frequency / monetary, scores 1..bins and the named segment
//!   ([`rfm`](mod@rfm), [`rfm_rules`], [`rfm_report`]).
//! - [`segment()`] and [`members()`]: a named predicate over per-customer fields
//!   ([`definition`]); written as text ([`parse`]) or a JSON tree ([`tree`]), resolved
//!   against the field registry ([`fields`]) and evaluated with three-valued logic
//!   ([`compile`]).
//! - [`transitions`](mod@transitions): the matrix of customers moving between segments from one as-of
//!   date to another.
//! - [`lookalike`](mod@lookalike): an L2 logistic regression of seed membership, its holdout AUC and
//!   lift, and the best-scoring audience.
//! - [`enrich`]: joins an extra table of per-customer columns onto the attributes.
//!
//! Choices where SEMANTICS.md is silent:
//! - **As-of date.** Every figure counts data strictly before `asOf` ("orders before the
//!   as-of date"). Default: UTC midnight after the last event or order, so all data
//!   counts and recency is measured from a day boundary. A customer *exists* at asOf if
//!   they have an event, order or signup before it (a customers-table row with no dated
//!   activity at all exists at every date); only existing customers can be members, and
//!   they are a rule segment's population. An asOf with no data before it is an error.
//! - **RFM.** Recency in fractional days. Thresholds use numpy's interpolation arithmetic
//!   operation for operation (`(n-1)·p` and its `_lerp`), so a value exactly on a
//!   threshold scores as numpy (and DuckDB's `quantile_cont`) say. `bins` 2 to 10; the
//!   standard table is defined on 1..5, so other scales are mapped onto it with
//!   `1 + round((s-1)·4/(bins-1))` (custom `segments` use the native scale). The
//!   combined score is `"545"`, or `"10-9-3"` with 10 bins. As SEMANTICS.md orders the
//!   table, "New Customers", "Promising" (both inside "Potential Loyalist"), "Can't Lose
//!   Them" (inside "At Risk") and "Lost" (same ranges as "Hibernating") can never match;
//!   the result lists them in `warnings`. Per-segment figures: revenue is the total of
//!   orders before asOf whatever `monetary` is; mean order value = revenue / orders;
//!   median order value over the segment's orders.
//! - **Rules.** Logic is SQL's three-valued logic: a comparison with null is unknown,
//!   `not unknown` is unknown, members are the customers for whom the predicate is true.
//!   So a null never satisfies a comparison (`!=`, `not in` included); `is null` tests it.
//!   Customers without orders have 0 orders and revenue but a null average spend, first /
//!   last order and `days_since_*`. `days_since_*` are fractional days. Time windows are
//!   half-open: `orders(30d)` counts `[asOf - 30d, asOf)`; `in last 30 days` on a time
//!   field is `[asOf - 30d, asOf]`; `between` is inclusive. A built-in name wins over an
//!   attribute of the same name (backquote it: `` `orders` ``); attribute names match
//!   exactly, else case-insensitively when unambiguous. A text value that occurs in no
//!   customer is a warning (the data may simply not hold it), except for closed sets
//!   (`stage`, `rfm_segment`) where it is an error. Numbers never compare with text
//!   (`country = 3` is a type mismatch). `percentile(f)` is 100 × the share of existing
//!   customers with a non-null value ≤ the customer's.
//! - **Stage** comes from `crate::segments::stages` at the last microsecond before asOf,
//!   so it too sees only data before asOf. `funnel_step` runs the definition's funnel on
//!   events before asOf (0 = not entered, null = excluded).
//! - **Segment statistics**: variance is the sample variance (n - 1), as SQL's `variance`.
//! - **Transitions**: the population is everyone who exists at `to`; those who did not
//!   exist yet at `from` are in the "none" row and counted in `entered`. Rates are row
//!   shares. Definitions may not carry their own `asOf`.
//! - **Lookalike**: see [`lookalike`].

pub mod compile;
pub mod context;
pub mod definition;
pub mod enrich;
pub mod expr;
pub mod fields;
pub mod lifecycle;
pub mod lookalike;
pub mod medians;
pub mod parse;
pub mod population;
pub mod report;
pub mod rfm;
pub mod rfm_report;
pub mod rfm_rules;
pub mod sources;
pub mod stages;
pub mod summary;
pub mod transitions;
pub mod tree;
pub mod when;

pub use definition::{assign, breakdown, members, SegmentDefinition};
pub use lifecycle::{lifecycle, Lifecycle, LifecycleOptions, LifecyclePeriod};
pub use report::{segment, SegmentReport};
pub use rfm_report::{rfm, RfmOptions, RfmReport};
pub use stages::{stages, CustomerStage, Stage, StageCounts, Stages, StagesOptions};
