//! What a dataset holds, in the shape `ds.summary()` returns.

use std::collections::BTreeMap;

use crate::json::ToJson;

use crate::data::dataset::Dataset;
use crate::data::tables::RawTable;

/// Rows of one table left out for one reason.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct SkippedRows {
    /// `"events"`, `"orders"`, `"customers"` or `"enrich"`.
    pub table: String,
    /// The column at fault.
    pub column: String,
    /// The reason in words.
    pub reason: String,
    /// A stable code for the reason (`null_customer`, `null_time`, `bad_time`, ...).
    pub code: String,
    /// How many rows.
    pub rows: usize,
}

/// Which column of a table played which role.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct TableColumns {
    /// The table.
    pub table: String,
    /// Role name -> column name (`customer`, `time`, `event`, `amount`, `signup`).
    pub roles: BTreeMap<String, String>,
    /// The other columns kept as properties, with their kind (category, number, time).
    pub properties: Vec<ColumnInfo>,
    /// Columns ignored because their type is not supported, with the type.
    pub ignored: Vec<ColumnInfo>,
}

/// A column name with its kind or type.
#[derive(Debug, Clone, PartialEq, ToJson)]
pub struct ColumnInfo {
    /// Column name.
    pub name: String,
    /// `category`, `number` or `time` for properties; the Arrow type for ignored columns.
    pub kind: String,
}

impl TableColumns {
    /// The columns of a read table.
    pub fn from_raw(raw: &RawTable) -> Self {
        TableColumns {
            table: raw.kind.name().to_owned(),
            roles: raw
                .role_columns
                .iter()
                .map(|(r, c)| ((*r).to_owned(), c.clone()))
                .collect(),
            properties: raw
                .properties
                .iter()
                .map(|p| ColumnInfo {
                    name: p.name.clone(),
                    kind: p.values.kind().to_owned(),
                })
                .collect(),
            ignored: raw
                .ignored_columns
                .iter()
                .map(|(name, kind)| ColumnInfo {
                    name: name.clone(),
                    kind: kind.clone(),
                })
                .collect(),
        }
    }
}

/// Counts and ranges of a dataset.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Summary {
    /// Events kept.
    pub events: usize,
    /// Orders kept.
    pub orders: usize,
    /// Distinct customers over all tables.
    pub customers: usize,
    /// Rows skipped over all tables.
    pub skipped: usize,
    /// Skipped rows by table, column and reason.
    pub skipped_rows: Vec<SkippedRows>,
    /// Earliest and latest event or order time, epoch milliseconds.
    pub time_range: Option<(i64, i64)>,
    /// Distinct event names, sorted.
    pub event_names: Vec<String>,
    /// Number of events per name, in the order of `event_names`.
    pub event_counts: Vec<usize>,
    /// Sum of order amounts.
    pub revenue: f64,
    /// Customers with at least one order.
    pub buyers: usize,
    /// Which column played which role in each table.
    pub columns: Vec<TableColumns>,
}

impl Dataset {
    /// The dataset's counts, time range and event names.
    pub fn summary(&self) -> Summary {
        let mut counts = vec![0usize; self.event_names.len()];
        for &code in &self.events.event {
            if let Some(c) = counts.get_mut(code as usize) {
                *c += 1;
            }
        }
        let mut named: Vec<(String, usize)> = self
            .event_names
            .iter()
            .cloned()
            .zip(counts)
            .filter(|(_, c)| *c > 0)
            .collect();
        crate::sorting::sort_by(&mut named, &|a, b| a.cmp(b));
        let buyers = (0..self.num_customers())
            .filter(|&c| !self.orders.rows(c).is_empty())
            .count();
        Summary {
            events: self.events.len(),
            orders: self.orders.len(),
            customers: self.num_customers(),
            skipped: self.skipped.iter().map(|s| s.rows).sum(),
            skipped_rows: self.skipped.clone(),
            time_range: self
                .time_span
                .map(|(lo, hi)| (lo.div_euclid(1000), hi.div_euclid(1000))),
            event_names: named.iter().map(|(n, _)| n.clone()).collect(),
            event_counts: named.iter().map(|(_, c)| *c).collect(),
            revenue: self.orders.amount.iter().sum(),
            buyers,
            columns: self.columns.clone(),
        }
    }
}
