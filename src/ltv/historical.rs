//! Historical LTV: what each customer has been worth to date (revenue, and margin when
//! asked), averaged per group (an attribute such as the acquisition channel, or an
//! acquisition cohort), with LTV/CAC when the acquisition cost per customer is given.

use crate::json::ToJson;

use crate::data::output::{ResultColumn, ResultTable};
use crate::data::properties::{NULL_CODE, NULL_TIME};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{format_iso, MICROS_PER_MS};

use super::groups::{acquisition_times, check_acquisition, group, Acquisition, GroupBy};
use super::margin::Margin;
use super::{require_orders, MISSING_LABEL};

/// Options of [`historical_ltv`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistoricalOptions {
    /// Count orders up to this time (epoch microseconds); default the data's last timestamp.
    pub as_of: Option<i64>,
    /// Also compute margin (a rate or an orders column).
    pub margin: Option<Margin>,
    /// Group customers; `None` gives the total only.
    pub by: Option<GroupBy>,
    /// Acquisition cost per customer, by group label (needs `by`).
    pub cac: Vec<(String, f64)>,
    /// Who counts as a customer and from when.
    pub acquisition: Acquisition,
    /// Fixed UTC offset for cohort periods, microseconds.
    pub offset: i64,
}

/// Figures of one group (or of all customers).
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct LtvGroup {
    /// The group label (attribute value, or cohort such as `2024-03`); `"all"` for the total.
    pub group: String,
    /// Cohort start, epoch milliseconds (cohort groups only).
    #[json(skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// Customers acquired by `asOf`.
    pub customers: usize,
    /// Of those, customers with an order by `asOf`.
    pub buyers: usize,
    /// Orders by `asOf`.
    pub orders: usize,
    /// Revenue (sum of order amounts) by `asOf`.
    pub revenue: f64,
    /// Revenue per customer: the historical LTV.
    pub revenue_per_customer: Option<f64>,
    /// Revenue per buyer.
    pub revenue_per_buyer: Option<f64>,
    /// Margin by `asOf` (when `margin` is given).
    pub margin: Option<f64>,
    /// Margin per customer (when `margin` is given).
    pub margin_per_customer: Option<f64>,
    /// Acquisition cost per customer of this group (when given in `cac`).
    pub cac: Option<f64>,
    /// LTV / CAC: margin per customer (revenue per customer without `margin`) over `cac`.
    pub ltv_cac: Option<f64>,
}

/// Historical LTV per customer and per group.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct HistoricalLtv {
    /// The as-of time used, epoch milliseconds.
    pub as_of: i64,
    /// Who counted as a customer.
    pub acquisition: Acquisition,
    /// All customers together.
    pub total: LtvGroup,
    /// Per group of `by` (empty without `by`): attribute values alphabetically (missing
    /// values last), cohorts in time order.
    pub groups: Vec<LtvGroup>,
    /// Orders whose margin column is null (counted as 0 margin).
    pub margin_missing: usize,
    /// Per customer: `customer_id`, `group` (with `by`), `acquired`, `orders`, `revenue`,
    /// `margin` (with `margin`).
    #[json(skip)]
    pub table: ResultTable,
}

#[derive(Default, Clone)]
struct Acc {
    customers: usize,
    buyers: usize,
    orders: usize,
    revenue: f64,
    margin: f64,
}

impl Acc {
    fn finish(&self, group: String, with_margin: bool, cac: Option<f64>) -> LtvGroup {
        let per = |v: f64, n: usize| (n > 0).then(|| v / n as f64);
        let revenue_per_customer = per(self.revenue, self.customers);
        let margin_per_customer = with_margin
            .then(|| per(self.margin, self.customers))
            .flatten();
        let value = if with_margin {
            margin_per_customer
        } else {
            revenue_per_customer
        };
        LtvGroup {
            group,
            start: None,
            customers: self.customers,
            buyers: self.buyers,
            orders: self.orders,
            revenue: self.revenue,
            revenue_per_customer,
            revenue_per_buyer: per(self.revenue, self.buyers),
            margin: with_margin.then_some(self.margin),
            margin_per_customer,
            cac,
            ltv_cac: match (value, cac) {
                (Some(v), Some(c)) if c > 0.0 => Some(v / c),
                _ => None,
            },
        }
    }
}

/// Revenue (and margin) per customer to `asOf`, and per group. Errors (`bad_option`): an
/// `asOf` before the first order, a bad margin, an unknown `by` attribute (listing those
/// that exist), `cac` without `by`, for a group that does not exist, or not a
/// non-negative number; `empty_input` without orders.
pub fn historical_ltv(ds: &Dataset, options: &HistoricalOptions) -> Result<HistoricalLtv> {
    require_orders(ds)?;
    check_acquisition(ds, options.acquisition)?;
    let last = ds.time_span.map(|(_, last)| last).unwrap_or(0);
    let as_of = options.as_of.unwrap_or(last);
    let first_order = (0..ds.num_customers())
        .filter_map(|c| ds.orders.rows(c).next().map(|r| ds.orders.time[r]))
        .min()
        .unwrap_or(last);
    if as_of < first_order {
        return Err(InsituError::bad_option(
            "asOf",
            format!(
                "{} is before the first order ({}): there is no revenue to date",
                format_iso(as_of),
                format_iso(first_order)
            ),
        ));
    }
    let margin = options
        .margin
        .as_ref()
        .map(|m| m.resolve(ds, "margin"))
        .transpose()?;
    if !options.cac.is_empty() && options.by.is_none() {
        return Err(InsituError::bad_option(
            "cac",
            "acquisition costs are per group: give `by` too, e.g. by: \"acquisition_channel\"",
        ));
    }
    for (label, cost) in &options.cac {
        if !(cost.is_finite() && *cost >= 0.0) {
            return Err(InsituError::bad_option(
                "cac",
                format!("cost of \"{label}\" is {cost}; use a cost per customer >= 0"),
            ));
        }
    }
    let acquired = acquisition_times(ds, options.acquisition, as_of);
    let groups = options
        .by
        .as_ref()
        .map(|by| group(ds, by, &acquired, options.offset))
        .transpose()?;
    if let Some(g) = &groups {
        for (label, _) in &options.cac {
            if !g.labels.iter().any(|l| l == label) {
                return Err(InsituError::bad_option(
                    "cac",
                    format!(
                        "no group \"{label}\"; the groups are: {}",
                        g.labels.join(", ")
                    ),
                ));
            }
        }
    }

    let n_groups = groups.as_ref().map_or(0, |g| g.labels.len());
    let mut accs = vec![Acc::default(); n_groups];
    let mut total = Acc::default();
    let mut margin_missing = 0;
    let mut customers = Vec::new();
    let mut group_col = Vec::new();
    let mut acquired_col = Vec::new();
    let mut orders_col = Vec::new();
    let mut revenue_col = Vec::new();
    let mut margin_col = Vec::new();
    for (c, &acquired_at) in acquired.iter().enumerate() {
        if acquired_at == NULL_TIME {
            continue;
        }
        let mut orders = 0u32;
        let mut revenue = 0.0;
        let mut margin_sum = 0.0;
        for r in ds.orders.rows(c) {
            if ds.orders.time[r] > as_of {
                break;
            }
            orders += 1;
            let amount = ds.orders.amount[r];
            revenue += amount;
            if let Some(m) = &margin {
                margin_sum += m.of(r, amount);
                margin_missing += usize::from(m.is_missing(r));
            }
        }
        let code = groups.as_ref().map_or(NULL_CODE, |g| g.codes[c]);
        for acc in std::iter::once(&mut total).chain(accs.get_mut(code as usize)) {
            acc.customers += 1;
            acc.buyers += usize::from(orders > 0);
            acc.orders += orders as usize;
            acc.revenue += revenue;
            acc.margin += margin_sum;
        }
        customers.push(c as u32);
        group_col.push(code);
        acquired_col.push(acquired_at);
        orders_col.push(orders);
        revenue_col.push(revenue);
        margin_col.push(margin_sum);
    }

    let with_margin = margin.is_some();
    let mut out_groups: Vec<LtvGroup> = Vec::with_capacity(n_groups);
    if let Some(g) = &groups {
        for (code, acc) in accs.iter().enumerate() {
            if acc.customers == 0 {
                continue;
            }
            let label = g.labels[code].clone();
            let cac = options
                .cac
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, c)| *c);
            let mut row = acc.finish(label, with_margin, cac);
            row.start = g.starts.as_ref().map(|s| s[code].div_euclid(MICROS_PER_MS));
            out_groups.push(row);
        }
        if g.starts.is_none() {
            // Attribute values alphabetically, missing values last.
            crate::sorting::sort_by(&mut out_groups, &|a, b| {
                (a.group == MISSING_LABEL, &a.group).cmp(&(b.group == MISSING_LABEL, &b.group))
            });
        }
    }

    let mut table = ResultTable::default().with("customer_id", ResultColumn::Customers(customers));
    if let Some(g) = &groups {
        table = table.with(
            "group",
            ResultColumn::Category {
                codes: group_col,
                labels: g.labels.clone(),
            },
        );
    }
    table = table
        .with("acquired", ResultColumn::Time(acquired_col))
        .with("orders", ResultColumn::UInt32(orders_col))
        .with("revenue", ResultColumn::Float64(revenue_col));
    if with_margin {
        table = table.with("margin", ResultColumn::Float64(margin_col));
    }
    Ok(HistoricalLtv {
        as_of: as_of.div_euclid(MICROS_PER_MS),
        acquisition: options.acquisition,
        total: total.finish("all".into(), with_margin, None),
        groups: out_groups,
        margin_missing,
        table,
    })
}
