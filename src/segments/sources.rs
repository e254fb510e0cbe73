//! Fields computed by other modules: RFM scores ([`rfm`](mod@super::rfm)), the CRM stage
//! (`crate::segments::stages`), the furthest funnel step (`crate::funnel`) and the
//! predicted CLV (`crate::ltv`). Each is computed once per [`Context`].

use std::borrow::Cow;

use super::context::Context;
use super::expr::FieldRef;
use super::fields::Column;
use super::rfm::{score, RfmConfig, RfmScores};
use super::when::DurationValue;
use crate::data::properties::NULL_CODE;
use crate::data::ResultColumn;
use crate::error::{InsituError, Result};
use crate::funnel::path::Outcome;
use crate::funnel::run::for_each_outcome;
use crate::funnel::FunnelSpec;
use crate::ltv::clv::{predictions, ClvOptions};
use crate::ltv::Margin;
use crate::retention::{DurationArg, TimeArg};
use crate::segments::stages::{stages, Stage, StagesOptions};
use crate::time::MICROS_PER_MS;

impl<'a> Context<'a> {
    fn rfm_scores(&mut self) -> Result<&RfmScores> {
        let scores = match self.rfm.take() {
            Some(s) => s,
            None => {
                let config = RfmConfig::resolve(&self.settings.rfm, "rfm.")?;
                let empty = || RfmScores {
                    labels: config.rules.labels(),
                    bins: config.bins,
                    ..RfmScores::default()
                };
                if self.ds.orders.is_empty() {
                    // No orders: every RFM field is null rather than an error, so that
                    // `rfm_segment = "Champions" or stage = "prospect"` still works.
                    empty()
                } else {
                    match score(self.ds, self.as_of, &config, "asOf") {
                        Ok(s) => s,
                        // Nobody has ordered yet at this date: all null.
                        Err(InsituError::BadOption { .. }) => empty(),
                        Err(e) => return Err(e),
                    }
                }
            }
        };
        Ok(self.rfm.insert(scores))
    }

    pub(super) fn rfm_column(&mut self, name: &str) -> Result<Column<'a>> {
        let n = self.ds.num_customers();
        let s = self.rfm_scores()?;
        if name == "rfm_segment" {
            let mut codes = vec![NULL_CODE; n];
            for (i, &c) in s.customers.iter().enumerate() {
                codes[c as usize] = u32::from(s.segment[i]);
            }
            return Ok(Column::Category {
                codes: Cow::Owned(codes),
                labels: Cow::Owned(s.labels.clone()),
                closed: true,
            });
        }
        let mut v = vec![f64::NAN; n];
        for (i, &c) in s.customers.iter().enumerate() {
            v[c as usize] = match name {
                "recency" => s.recency[i],
                "frequency" => f64::from(s.frequency[i]),
                "monetary" => s.monetary[i],
                "r_score" => f64::from(s.r[i]),
                "f_score" => f64::from(s.f[i]),
                "m_score" => f64::from(s.m[i]),
                _ => s.score_number(i),
            };
        }
        Ok(Column::Number(Cow::Owned(v)))
    }

    pub(super) fn stage_column(&self) -> Result<Column<'a>> {
        let st = &self.settings.stages;
        let prefix = format!("{}.stages", self.option);
        let ms = |d: &Option<DurationValue>, name: &str| -> Result<Option<DurationArg>> {
            d.as_ref()
                .map(|d| {
                    d.micros(&format!("{prefix}.{name}"))
                        .map(|us| DurationArg::Ms(us as f64 / MICROS_PER_MS as f64))
                })
                .transpose()
        };
        // The stages module counts data at or before its asOf; ours is "before asOf",
        // so hand it the last microsecond before ours.
        let options = StagesOptions {
            as_of: Some(TimeArg::Ms((self.as_of - 1) as f64 / MICROS_PER_MS as f64)),
            dormant_after: ms(&st.dormant_after, "dormantAfter")?,
            churn_after: ms(&st.churn_after, "churnAfter")?,
            new_within: ms(&st.new_within, "newWithin")?,
        };
        let result = stages(self.ds, &options)?;
        let mut codes = vec![NULL_CODE; self.ds.num_customers()];
        for cs in &result.customers {
            codes[cs.customer as usize] =
                Stage::ALL.iter().position(|&s| s == cs.stage).unwrap_or(0) as u32;
        }
        Ok(Column::Category {
            codes: Cow::Owned(codes),
            labels: Cow::Owned(Stage::ALL.iter().map(|s| s.name().to_owned()).collect()),
            closed: true,
        })
    }

    pub(super) fn funnel_column(&self, field: &FieldRef) -> Result<Column<'a>> {
        let Some(query) = &self.settings.funnel else {
            return Err(self.bad(
                &field.loc,
                "funnel_step needs a funnel: add funnel: { steps: [...] } to the segment definition".into(),
            ));
        };
        let mut spec = FunnelSpec::resolve(self.ds, query).map_err(|e| match e {
            InsituError::BadOption { option, detail } => {
                InsituError::bad_option(format!("funnel.{option}"), detail)
            }
            e => e,
        })?;
        // Only events before asOf.
        spec.to = spec.to.min(self.as_of - 1);
        let mut v = vec![0.0; self.ds.num_customers()];
        for_each_outcome(self.ds, &spec, |c, outcome, _| {
            v[c] = match outcome {
                Outcome::Reported(p) => p.reached as f64,
                Outcome::NotEntered => 0.0,
                Outcome::Excluded => f64::NAN,
            };
        });
        Ok(Column::Number(Cow::Owned(v)))
    }
}

impl Context<'_> {
    pub(super) fn ltv_column(&self, name: &str, field: &FieldRef) -> Result<Column<'static>> {
        let Some(s) = &self.settings.clv else {
            return Err(self.bad(
                &field.loc,
                format!("{name} needs a fitted LTV model: add clv: {{ model }} (the result of ds.fitLtv()) to the segment definition"),
            ));
        };
        let defaults = ClvOptions::default();
        let options = ClvOptions {
            horizon: s.horizon.unwrap_or(defaults.horizon),
            discount_rate: s.discount_rate.unwrap_or(defaults.discount_rate),
            margin: s.margin.map(Margin::Rate),
            t: None,
        };
        let table = predictions(self.ds, &s.model, &options).map_err(|e| match e {
            InsituError::BadOption { option, detail } => {
                InsituError::bad_option(format!("clv.{option}"), detail)
            }
            e => e,
        })?;
        let column = |want: &str| {
            table
                .columns
                .iter()
                .find(|(n, _)| n == want)
                .map(|(_, c)| c)
        };
        let (Some(ResultColumn::Customers(customers)), Some(ResultColumn::Float64(values))) =
            (column("customer_id"), column(name))
        else {
            return Err(self.bad(
                &field.loc,
                format!("the LTV model predicts no {name}: it was fitted without a spend model (spend: \"none\")"),
            ));
        };
        let mut v = vec![f64::NAN; self.ds.num_customers()];
        for (&c, &x) in customers.iter().zip(values) {
            if let Some(slot) = v.get_mut(c as usize) {
                *slot = x;
            }
        }
        Ok(Column::Number(Cow::Owned(v)))
    }
}
