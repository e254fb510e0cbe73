//! `ds.segment(definition)`: a rule segment's members, size, revenue and spread of
//! spend and order count.

use crate::json::ToJson;

use super::definition::{evaluate, SegmentDefinition};
use super::population::{orders_summary, AllOrders, OrdersBefore};
use super::summary::Spread;
use crate::data::{Dataset, ResultColumn, ResultTable};
use crate::error::Result;
use crate::time::MICROS_PER_MS;

/// What [`segment`] returns (members as a table from [`SegmentReport::table`]).
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct SegmentReport {
    /// The segment's name.
    pub name: String,
    /// The as-of date, epoch ms.
    pub as_of: f64,
    /// Customers that exist at asOf.
    pub population: usize,
    /// Members.
    pub count: usize,
    /// `count / population`.
    pub share: Option<f64>,
    /// Members' total order amount before asOf.
    pub revenue: f64,
    /// `revenue` over all customers' revenue before asOf.
    pub revenue_share: Option<f64>,
    /// Members' orders before asOf.
    pub orders: usize,
    /// Spend (total order amount) per member: mean, median, sample variance, min, max.
    pub spend: Spread,
    /// Orders per member: mean, median, sample variance, min, max.
    pub order_count: Spread,
    /// Canonical names of the fields the rule reads.
    pub fields: Vec<String>,
    /// Notes, e.g. a text value that occurs in no customer.
    pub warnings: Vec<String>,
    /// Members by dense number.
    #[json(skip)]
    pub members: Vec<u32>,
    #[json(skip)]
    member_spend: Vec<f64>,
    #[json(skip)]
    member_orders: Vec<u32>,
    #[json(skip)]
    member_last: Vec<i64>,
}

impl SegmentReport {
    /// The members: customer_id, orders, revenue, last_order (before asOf).
    pub fn table(&self) -> ResultTable {
        ResultTable::default()
            .with("customer_id", ResultColumn::Customers(self.members.clone()))
            .with("orders", ResultColumn::UInt32(self.member_orders.clone()))
            .with("revenue", ResultColumn::Float64(self.member_spend.clone()))
            .with("last_order", ResultColumn::Time(self.member_last.clone()))
    }
}

/// Evaluates a rule segment at its `asOf` and summarises its members.
///
/// ```
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// use insitu::segments::{segment, SegmentDefinition};
/// let r = segment(ds, &SegmentDefinition::text("vip", "revenue > 500 and country = \"KR\""))?;
/// println!("{} members, {} revenue", r.count, r.revenue);
/// # Ok(()) }
/// ```
pub fn segment(ds: &Dataset, def: &SegmentDefinition) -> Result<SegmentReport> {
    let e = evaluate(ds, def, "")?;
    let mut r = SegmentReport {
        name: if def.name.trim().is_empty() {
            "segment".into()
        } else {
            def.name.trim().to_owned()
        },
        as_of: e.as_of as f64 / MICROS_PER_MS as f64,
        population: e.known.iter().filter(|&&k| k).count(),
        count: 0,
        share: None,
        revenue: 0.0,
        revenue_share: None,
        orders: 0,
        spend: Spread::default(),
        order_count: Spread::default(),
        fields: e.fields,
        warnings: e.warnings,
        members: Vec::new(),
        member_spend: Vec::new(),
        member_orders: Vec::new(),
        member_last: Vec::new(),
    };
    // Revenue of everyone known at asOf, and each member's figures.
    let mut all_revenue = 0.0;
    if let Some(all) = AllOrders::at(ds, e.as_of) {
        // Every order counts: the totals are ingest's, and only members are visited.
        for (&spend, &known) in all.spend.iter().zip(&e.known) {
            all_revenue += if known { spend } else { 0.0 };
        }
        let figures = all.spend.iter().zip(all.counts()).zip(all.last);
        for (c, ((&spend, orders), &last)) in e
            .members
            .iter()
            .zip(figures)
            .enumerate()
            .filter_map(|(c, (&member, figures))| member.then_some((c, figures)))
        {
            r.members.push(c as u32);
            r.member_spend.push(spend);
            r.member_orders.push(orders);
            r.member_last.push(last);
        }
    } else {
        for c in 0..ds.num_customers() {
            if !e.known[c] {
                continue;
            }
            let OrdersBefore {
                rows,
                total: spend,
                last,
            } = orders_summary(ds, c, e.as_of);
            all_revenue += spend;
            if !e.members[c] {
                continue;
            }
            r.members.push(c as u32);
            r.member_spend.push(spend);
            r.member_orders
                .push(u32::try_from(rows.len()).unwrap_or(u32::MAX));
            r.member_last.push(last);
        }
    }
    r.count = r.members.len();
    r.share = (r.population > 0).then(|| r.count as f64 / r.population as f64);
    r.revenue = r.member_spend.iter().sum();
    r.revenue_share = (all_revenue != 0.0).then(|| r.revenue / all_revenue);
    r.orders = r.member_orders.iter().map(|&o| o as usize).sum();
    r.spend = Spread::of(r.member_spend.iter().copied());
    r.order_count = Spread::of(r.member_orders.iter().map(|&o| f64::from(o)));
    Ok(r)
}
