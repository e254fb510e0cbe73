//! Turns [`MessageOptions`] into event codes, columns and numbers, checking each name
//! against the data.

use crate::json::ToJson;

use super::options::{MessageOptions, Touch};
use super::resolve::{conversion, event_code, event_property, Categories, Conversion};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::stats::check::open_unit;
use crate::time::{MICROS_PER_DAY, MICROS_PER_MS};

/// Default event names (those of the sample data and common trackers).
pub const DEFAULT_SENT: &str = "message_sent";
/// Used as the delivery event when the data has it.
pub const DEFAULT_DELIVERED: &str = "message_delivered";
/// Default open event.
pub const DEFAULT_OPENED: &str = "message_opened";
/// Default click event.
pub const DEFAULT_CLICKED: &str = "message_clicked";
/// Default campaign property.
pub const DEFAULT_CAMPAIGN: &str = "campaign";
/// Default attribution window.
pub const DEFAULT_WINDOW: i64 = 7 * MICROS_PER_DAY;

/// What the analysis used, echoed in results so defaults are visible.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Settings {
    /// Send event.
    pub sent: String,
    /// Delivery event (the send event when there is none).
    pub delivered: String,
    /// Open event, null when not tracked.
    pub opened: Option<String>,
    /// Click event, null when not tracked.
    pub clicked: Option<String>,
    /// `"orders"` or the conversion event.
    pub conversion: String,
    /// Attribution window in milliseconds.
    pub attribution_window_ms: f64,
    /// Which message event starts the window.
    pub attribute_to: Touch,
    /// The campaign property.
    pub campaign: String,
    /// Level of the rate intervals.
    pub confidence: f64,
}

/// Resolved message options.
#[derive(Debug, Clone)]
pub struct Setup<'a> {
    /// Send event code.
    pub sent: u32,
    /// Delivery event code (may equal `sent`).
    pub delivered: u32,
    /// Open event code, if tracked.
    pub opened: Option<u32>,
    /// Click event code, if tracked.
    pub clicked: Option<u32>,
    /// The event that starts the attribution window.
    pub touch: u32,
    /// What counts as a conversion.
    pub conversion: Conversion,
    /// Attribution window, microseconds.
    pub window: i64,
    /// The campaign column.
    pub campaign: Categories<'a>,
    /// `1 - confidence`.
    pub alpha: f64,
    /// Echo of the above.
    pub settings: Settings,
}

/// Resolves `o` against `ds`.
pub fn setup<'a>(ds: &'a Dataset, o: &MessageOptions) -> Result<Setup<'a>> {
    let sent_name = o.sent.clone().unwrap_or_else(|| DEFAULT_SENT.into());
    let sent = event_code(ds, "sent", &sent_name)?;
    let (delivered_name, delivered) = match &o.delivered {
        Some(name) => (name.clone(), event_code(ds, "delivered", name)?),
        None => match ds.event_code(DEFAULT_DELIVERED) {
            Some(code) => (DEFAULT_DELIVERED.to_owned(), code),
            None => (sent_name.clone(), sent),
        },
    };
    let tracked = |option: &str, given: &Option<Option<String>>, default: &str| match given {
        Some(None) => Ok(None),
        Some(Some(name)) => event_code(ds, option, name).map(|c| Some((name.clone(), c))),
        None => event_code(ds, option, default).map(|c| Some((default.to_owned(), c))),
    };
    let opened = tracked("opened", &o.opened, DEFAULT_OPENED)?;
    let clicked = tracked("clicked", &o.clicked, DEFAULT_CLICKED)?;
    let attribute_to = o.attribute_to.unwrap_or_default();
    let untracked = |what: &str| {
        InsituError::bad_option(
            "attributeTo",
            format!("\"{what}\" needs the {what} event, which was set to null (not tracked)"),
        )
    };
    let touch = match attribute_to {
        Touch::Sent => sent,
        Touch::Delivered => delivered,
        Touch::Opened => opened.as_ref().ok_or_else(|| untracked("opened"))?.1,
        Touch::Clicked => clicked.as_ref().ok_or_else(|| untracked("clicked"))?.1,
    };
    let conversion = conversion(ds, "conversion", o.conversion.as_deref())?;
    let conversion_name = match conversion {
        Conversion::Orders => "orders".to_owned(),
        Conversion::Event(code) => ds.event_names[code as usize].clone(),
    };
    let window = match &o.attribution_window {
        Some(w) => w.micros("attributionWindow")?,
        None => DEFAULT_WINDOW,
    };
    let campaign_name = o
        .campaign
        .clone()
        .unwrap_or_else(|| DEFAULT_CAMPAIGN.into());
    let campaign = event_property(ds, "campaign", &campaign_name)?;
    let confidence = open_unit("confidence", o.confidence.unwrap_or(0.95))?;
    Ok(Setup {
        sent,
        delivered,
        opened: opened.as_ref().map(|o| o.1),
        clicked: clicked.as_ref().map(|c| c.1),
        touch,
        conversion,
        window,
        campaign,
        alpha: 1.0 - confidence,
        settings: Settings {
            sent: sent_name,
            delivered: delivered_name,
            opened: opened.map(|o| o.0),
            clicked: clicked.map(|c| c.0),
            conversion: conversion_name,
            attribution_window_ms: window as f64 / MICROS_PER_MS as f64,
            attribute_to,
            campaign: campaign_name,
            confidence,
        },
    })
}
