//! Options of `campaigns`, `kpiTrend` and `experiment`, as JS passes them (camelCase;
//! unknown names are errors).

use std::collections::BTreeMap;

use crate::json::{FromJson, ToJson};

use super::duration::{explicit, DurationValue};
use crate::stats::AbMethod;

/// Which message event starts the attribution window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, FromJson, ToJson)]
#[json(rename_all = "camelCase")]
pub enum Touch {
    /// The send.
    Sent,
    /// The delivery (the send when there is no delivery event). The default.
    #[default]
    Delivered,
    /// The open.
    Opened,
    /// The click.
    Clicked,
}

/// Which events and properties describe messages, and how conversions are attributed.
/// Shared by `campaigns` and `kpiTrend`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageOptions {
    /// Send event, default `message_sent`.
    pub sent: Option<String>,
    /// Delivery event; default `message_delivered` if the data has it, else the send.
    pub delivered: Option<String>,
    /// Open event, default `message_opened`; `Some(None)` (null) when not tracked.
    pub opened: Option<Option<String>>,
    /// Click event, default `message_clicked`; `Some(None)` (null) when not tracked.
    pub clicked: Option<Option<String>>,
    /// `"orders"` (default with an orders table) or a conversion event name.
    pub conversion: Option<String>,
    /// Window after a message in which a conversion is attributed to it, default 7 days.
    pub attribution_window: Option<DurationValue>,
    /// Which message event starts the window, default the delivery.
    pub attribute_to: Option<Touch>,
    /// The event property naming the campaign, default `campaign`.
    pub campaign: Option<String>,
    /// Total cost per campaign name.
    pub costs: Option<BTreeMap<String, f64>>,
    /// Level of the rate intervals, default 0.95.
    pub confidence: Option<f64>,
}

/// Options of [`super::campaigns`].
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct CampaignOptions {
    /// See [`MessageOptions::sent`].
    pub sent: Option<String>,
    /// See [`MessageOptions::delivered`].
    pub delivered: Option<String>,
    /// See [`MessageOptions::opened`].
    #[json(default, deserialize_with = "explicit")]
    pub opened: Option<Option<String>>,
    /// See [`MessageOptions::clicked`].
    #[json(default, deserialize_with = "explicit")]
    pub clicked: Option<Option<String>>,
    /// See [`MessageOptions::conversion`].
    pub conversion: Option<String>,
    /// See [`MessageOptions::attribution_window`].
    pub attribution_window: Option<DurationValue>,
    /// See [`MessageOptions::attribute_to`].
    pub attribute_to: Option<Touch>,
    /// See [`MessageOptions::campaign`].
    pub campaign: Option<String>,
    /// Breakdowns besides the campaign: message event properties (e.g. `channel`) or
    /// customer attributes (e.g. `country`).
    pub by: Option<Vec<String>>,
    /// See [`MessageOptions::costs`].
    pub costs: Option<BTreeMap<String, f64>>,
    /// Goals per metric, e.g. `{ conversionRate: 0.03, roi: 2 }`.
    pub targets: Option<BTreeMap<String, f64>>,
    /// See [`MessageOptions::confidence`].
    pub confidence: Option<f64>,
}

impl CampaignOptions {
    /// The message part.
    pub fn messages(&self) -> MessageOptions {
        MessageOptions {
            sent: self.sent.clone(),
            delivered: self.delivered.clone(),
            opened: self.opened.clone(),
            clicked: self.clicked.clone(),
            conversion: self.conversion.clone(),
            attribution_window: self.attribution_window.clone(),
            attribute_to: self.attribute_to,
            campaign: self.campaign.clone(),
            costs: self.costs.clone(),
            confidence: self.confidence,
        }
    }
}

/// Options of [`super::kpi_trend`].
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct KpiTrendOptions {
    /// The figure to follow, e.g. `conversionRate` (default), `openRate`, `revenue`, `roi`.
    pub metric: Option<String>,
    /// `day`, `week` (default) or `month`, of the message's send.
    pub period: Option<String>,
    /// Fixed UTC offset of the periods, e.g. `+09:00`; default UTC.
    pub timezone: Option<String>,
    /// One series per value of this campaign property, event property or customer
    /// attribute; default one series, `all`.
    pub by: Option<String>,
    /// See [`MessageOptions::sent`].
    pub sent: Option<String>,
    /// See [`MessageOptions::delivered`].
    pub delivered: Option<String>,
    /// See [`MessageOptions::opened`].
    #[json(default, deserialize_with = "explicit")]
    pub opened: Option<Option<String>>,
    /// See [`MessageOptions::clicked`].
    #[json(default, deserialize_with = "explicit")]
    pub clicked: Option<Option<String>>,
    /// See [`MessageOptions::conversion`].
    pub conversion: Option<String>,
    /// See [`MessageOptions::attribution_window`].
    pub attribution_window: Option<DurationValue>,
    /// See [`MessageOptions::attribute_to`].
    pub attribute_to: Option<Touch>,
    /// See [`MessageOptions::campaign`].
    pub campaign: Option<String>,
    /// See [`MessageOptions::costs`].
    pub costs: Option<BTreeMap<String, f64>>,
    /// See [`MessageOptions::confidence`].
    pub confidence: Option<f64>,
}

impl KpiTrendOptions {
    /// The message part.
    pub fn messages(&self) -> MessageOptions {
        MessageOptions {
            sent: self.sent.clone(),
            delivered: self.delivered.clone(),
            opened: self.opened.clone(),
            clicked: self.clicked.clone(),
            conversion: self.conversion.clone(),
            attribution_window: self.attribution_window.clone(),
            attribute_to: self.attribute_to,
            campaign: self.campaign.clone(),
            costs: self.costs.clone(),
            confidence: self.confidence,
        }
    }
}

/// Options of [`super::experiment`].
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExperimentOptions {
    /// The event property holding the variant, default `variant`.
    pub assignment: Option<String>,
    /// Only events with this name expose (assign) customers; default any event.
    pub exposure: Option<String>,
    /// `"orders"` (default with an orders table) or a conversion event name.
    pub conversion: Option<String>,
    /// Window after the first exposure in which a conversion counts, default 7 days.
    pub window: Option<DurationValue>,
    /// The control variant; default `control` if present, else the first value seen.
    pub control: Option<String>,
    /// Significance level, default 0.05.
    pub alpha: Option<f64>,
    /// Headline test, as for `abTest`.
    pub method: Option<AbMethod>,
    /// Seed of the sampling for the probability to be best.
    pub seed: Option<f64>,
}
