//! Campaign KPIs and experiments on a [`crate::Dataset`]:
//!
//! - [`campaigns`]: per campaign (and per channel, segment or any property) recipients,
//!   deliveries, unique opens and clicks, converters within an attribution window (last
//!   touch), revenue, rates with Wilson intervals, cost, ROI and goal achievement.
//! - [`kpi_trend`]: one of those figures per day, week or month.
//! - [`experiment`]: an A/B test with variants, conversions and revenue from the data.
//!
//! The counting and attribution rules are in [`recipients`].

pub mod duration;
pub mod experiment;
pub mod kpis;
pub mod options;
pub mod recipients;
pub mod report;
pub mod resolve;
pub mod setup;
pub mod trend;

pub use experiment::{experiment, ExperimentReport, RevenueVariant};
pub use kpis::{Goal, KpiRow, METRICS};
pub use options::{CampaignOptions, ExperimentOptions, KpiTrendOptions, Touch};
pub use report::{campaigns, Breakdown, CampaignReport};
pub use setup::Settings;
pub use trend::{kpi_trend, KpiTrend, TrendPoint};
