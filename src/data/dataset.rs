//! The [`Dataset`]: built once at ingest, read by every analysis.
//!
//! Customers are numbered `0..n` across all tables. Events and orders are stored grouped
//! by customer and sorted by time within a customer (ties keep input order), with
//! `offsets[c]..offsets[c + 1]` the rows of customer `c`. Building it is a counting sort
//! by customer plus a (usually already sorted) per-customer sort by time.

use std::ops::Range;

use crate::data::ids::{CustomerIds, CustomerIndexBuilder, IdMode, NULL_CUSTOMER};
use crate::data::ipc::{self, DecodedTable};
use crate::data::mapping::{self, DatasetMapping, TableKind};
use crate::data::properties::{Interner, Property, PropertyValues, NULL_TIME};
use crate::data::summary::{SkippedRows, TableColumns};
use crate::data::tables::{self, RawTable, SkipReason};
use crate::error::{InsituError, Result};

/// IPC bytes of the input tables plus the column mapping.
#[derive(Debug, Default)]
pub struct DatasetInput {
    /// Events table (IPC stream or file bytes).
    pub events: Option<Vec<u8>>,
    /// Orders table.
    pub orders: Option<Vec<u8>>,
    /// Customers table.
    pub customers: Option<Vec<u8>>,
    /// Enrich table: extra per-customer columns keyed by customer id, joined onto the
    /// customer attributes (see [`crate::data::enrich`]).
    pub enrich: Option<Vec<u8>>,
    /// Which columns play which role.
    pub mapping: DatasetMapping,
}

/// Events grouped by customer and sorted by time.
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// `offsets[c]..offsets[c + 1]` are the rows of customer `c` (length `n + 1`).
    pub offsets: Vec<u32>,
    /// Event time, epoch microseconds.
    pub time: Vec<i64>,
    /// Event name code, an index into [`Dataset::event_names`].
    pub event: Vec<u32>,
    /// Other columns of the events table, rows in the same order.
    pub properties: Vec<Property>,
}

/// Orders grouped by customer and sorted by time.
#[derive(Debug, Clone, Default)]
pub struct Orders {
    /// `offsets[c]..offsets[c + 1]` are the rows of customer `c` (length `n + 1`).
    pub offsets: Vec<u32>,
    /// Order time, epoch microseconds.
    pub time: Vec<i64>,
    /// Order amount.
    pub amount: Vec<f64>,
    /// Other columns of the orders table, rows in the same order.
    pub properties: Vec<Property>,
    /// Per customer: the total amount of all their orders. Kept from ingest so that
    /// RFM and rule segments at an asOf after the data never re-read every order.
    pub spend: Vec<f64>,
    /// Per customer: the time of their last order ([`NULL_TIME`] without orders).
    pub last: Vec<i64>,
}

/// Per-customer attributes from the customers table, indexed by customer number.
#[derive(Debug, Clone, Default)]
pub struct Customers {
    /// Whether the customer has a row in the customers table.
    pub listed: Vec<bool>,
    /// Signup time (epoch microseconds, [`NULL_TIME`] if unknown), when the table has one.
    pub signup: Option<Vec<i64>>,
    /// The other columns of the customers table.
    pub attributes: Vec<Property>,
}

macro_rules! grouped_rows {
    ($t:ty) => {
        impl $t {
            /// The rows of customer `customer`.
            pub fn rows(&self, customer: usize) -> Range<usize> {
                match (self.offsets.get(customer), self.offsets.get(customer + 1)) {
                    (Some(&a), Some(&b)) => a as usize..b as usize,
                    _ => 0..0,
                }
            }
            /// Total number of rows.
            pub fn len(&self) -> usize {
                self.time.len()
            }
            /// True when there are no rows.
            pub fn is_empty(&self) -> bool {
                self.time.is_empty()
            }
            /// The property column called `name`.
            pub fn property(&self, name: &str) -> Option<&Property> {
                self.properties.iter().find(|p| p.name == name)
            }
        }
    };
}
grouped_rows!(Events);
grouped_rows!(Orders);

/// Everything ingested, indexed for linear passes over customers.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// External customer ids by customer number.
    pub ids: CustomerIds,
    /// Events, grouped and sorted.
    pub events: Events,
    /// Orders, grouped and sorted.
    pub orders: Orders,
    /// Customer attributes.
    pub customers: Customers,
    /// Event names by code.
    pub event_names: Vec<String>,
    /// Rows left out, by table and reason.
    pub skipped: Vec<SkippedRows>,
    /// Which column of each table played which role, and what was ignored.
    pub columns: Vec<TableColumns>,
    /// The earliest and latest event or order time (epoch microseconds), found once at
    /// ingest; `None` without rows.
    pub time_span: Option<(i64, i64)>,
    /// Which tables were given.
    pub has_events: bool,
    /// Whether an orders table was given.
    pub has_orders: bool,
    /// Whether a customers table was given.
    pub has_customers: bool,
}

impl Default for CustomerIds {
    fn default() -> Self {
        CustomerIds::Int(Vec::new())
    }
}

impl Dataset {
    /// Decodes the IPC bytes and builds the dataset.
    pub fn from_ipc(input: DatasetInput) -> Result<Dataset> {
        let m = &input.mapping;
        let decode =
            |kind: TableKind, bytes: Option<Vec<u8>>, format: Option<mapping::IpcFormat>| {
                bytes
                    .map(|b| ipc::decode(kind.name(), b, format.unwrap_or_default()))
                    .transpose()
            };
        let events = decode(TableKind::Events, input.events, m.events.format)?;
        let orders = decode(TableKind::Orders, input.orders, m.orders.format)?;
        let customers = decode(TableKind::Customers, input.customers, m.customers.format)?;
        let enrich = input
            .enrich
            .map(|b| ipc::decode("enrich", b, m.enrich.format.unwrap_or_default()))
            .transpose()?;
        let mut dataset = Dataset::from_tables(events, orders, customers, m)?;
        if let Some(table) = enrich {
            crate::data::enrich::attach(&mut dataset, table, &m.enrich)?;
        }
        Ok(dataset)
    }

    /// Builds the dataset from decoded tables. Each table is dropped as soon as it has
    /// been read, and each unsorted column as soon as its sorted copy exists, to keep
    /// peak memory low (the IPC bytes are the tables' buffers).
    pub fn from_tables(
        events: Option<DecodedTable>,
        orders: Option<DecodedTable>,
        customers: Option<DecodedTable>,
        mapping: &DatasetMapping,
    ) -> Result<Dataset> {
        if events.is_none() && orders.is_none() {
            return Err(InsituError::EmptyInput(if customers.is_some() {
                "a customers table alone is not a dataset: pass events, orders, or both".into()
            } else {
                "no tables given: pass events, orders, or both (and optionally customers)".into()
            }));
        }
        let has = (events.is_some(), orders.is_some(), customers.is_some());
        let given = [
            (TableKind::Events, events, &mapping.events),
            (TableKind::Orders, orders, &mapping.orders),
            (TableKind::Customers, customers, &mapping.customers),
        ];
        let mut resolved = Vec::new();
        for (kind, table, table_mapping) in given {
            if let Some(table) = table {
                let cols = mapping::resolve(&table.schema, kind, table_mapping)?;
                resolved.push((kind, table, cols));
            }
        }
        let pairs: Vec<_> = resolved.iter().map(|(_, t, c)| (t, c)).collect();
        let mode = tables::id_mode(&pairs);
        // Compact integer ids (auto-increment keys) get a direct-address table no larger
        // than one u32 per input row, instead of a hash table.
        let mut ids = match tables::int_id_range(&pairs) {
            Some((lo, hi, rows)) if mode == IdMode::Int => {
                CustomerIndexBuilder::with_int_range(lo, hi, rows.min(1 << 26))
            }
            _ => CustomerIndexBuilder::new(mode),
        };
        let mut names = Interner::default();
        // Each decoded table (and with it the IPC bytes) is dropped once read.
        let raws: Vec<RawTable> = resolved
            .into_iter()
            .map(|(kind, table, cols)| {
                tables::read_table(kind, &table, &cols, &mut ids, &mut names)
            })
            .collect();
        let ids = ids.finish()?;
        let n = ids.len();

        let mut dataset = Dataset {
            has_events: has.0,
            has_orders: has.1,
            has_customers: has.2,
            ..Dataset::default()
        };
        for mut raw in raws {
            dataset.columns.push(TableColumns::from_raw(&raw));
            match raw.kind {
                TableKind::Events => {
                    let (mut grouped, skipped) = group_by_customer(&raw, n)?;
                    raw.customer = Vec::new();
                    let mut time = scatter(&raw.time, &grouped.dest, grouped.total(), 0);
                    raw.time = Vec::new();
                    grouped.sort_by_time(&mut time);
                    dataset.events = Events {
                        time,
                        event: grouped.arrange(std::mem::take(&mut raw.event)),
                        properties: arrange_properties(
                            std::mem::take(&mut raw.properties),
                            &grouped,
                        ),
                        offsets: grouped.offsets,
                    };
                    dataset.skipped.extend(skipped);
                }
                TableKind::Orders => {
                    let (mut grouped, skipped) = group_by_customer(&raw, n)?;
                    raw.customer = Vec::new();
                    let mut time = scatter(&raw.time, &grouped.dest, grouped.total(), 0);
                    raw.time = Vec::new();
                    grouped.sort_by_time(&mut time);
                    dataset.orders = Orders {
                        time,
                        amount: grouped.arrange(std::mem::take(&mut raw.amount)),
                        properties: arrange_properties(
                            std::mem::take(&mut raw.properties),
                            &grouped,
                        ),
                        offsets: grouped.offsets,
                        ..Orders::default()
                    };
                    dataset.skipped.extend(skipped);
                }
                TableKind::Customers => {
                    let (customers, skipped) = customer_attributes(&raw, n);
                    dataset.customers = customers;
                    dataset.skipped.extend(skipped);
                }
            }
        }
        if dataset.events.offsets.is_empty() {
            dataset.events.offsets = vec![0; n + 1];
        }
        if dataset.orders.offsets.is_empty() {
            dataset.orders.offsets = vec![0; n + 1];
        }
        dataset.orders.summarise_customers();
        if dataset.customers.listed.is_empty() {
            dataset.customers.listed = vec![false; n];
        }
        dataset.ids = ids;
        dataset.event_names = names.into_labels();
        dataset.time_span = time_span(&dataset.events, &dataset.orders);
        if dataset.events.is_empty() && dataset.orders.is_empty() {
            return Err(InsituError::EmptyInput(no_rows_message(&dataset.skipped)));
        }
        Ok(dataset)
    }

    /// Number of customers (across all tables).
    pub fn num_customers(&self) -> usize {
        self.ids.len()
    }

    /// The code of event name `name`, if it occurs.
    pub fn event_code(&self, name: &str) -> Option<u32> {
        self.event_names
            .iter()
            .position(|n| n == name)
            .map(|i| i as u32)
    }
}

impl Orders {
    /// Fills [`Orders::spend`] and [`Orders::last`] from the grouped rows (one pass).
    fn summarise_customers(&mut self) {
        let customers = self.offsets.len().saturating_sub(1);
        self.spend = Vec::with_capacity(customers);
        self.last = Vec::with_capacity(customers);
        for c in 0..customers {
            let rows = self.rows(c);
            self.spend.push(self.amount[rows.clone()].iter().sum());
            self.last.push(if rows.is_empty() {
                NULL_TIME
            } else {
                self.time[rows.end - 1]
            });
        }
    }
}

/// First and last time over both tables: each customer's rows are time-sorted, so only
/// the ends of each customer's range are looked at.
fn time_span(events: &Events, orders: &Orders) -> Option<(i64, i64)> {
    let mut span: Option<(i64, i64)> = None;
    for (offsets, time) in [
        (&events.offsets, &events.time),
        (&orders.offsets, &orders.time),
    ] {
        for w in offsets.windows(2).filter(|w| w[1] > w[0]) {
            let (first, last) = (time[w[0] as usize], time[w[1] as usize - 1]);
            span = Some(span.map_or((first, last), |(a, b)| (a.min(first), b.max(last))));
        }
    }
    span
}

fn no_rows_message(skipped: &[SkippedRows]) -> String {
    if skipped.is_empty() {
        return "the tables have no rows".into();
    }
    let reasons: Vec<String> = skipped
        .iter()
        .map(|s| {
            format!(
                "{} {} rows: {} (column \"{}\")",
                s.rows, s.table, s.reason, s.column
            )
        })
        .collect();
    format!(
        "no usable rows: every row was skipped: {}",
        reasons.join("; ")
    )
}

/// Where each kept input row goes in customer-then-time order, and the offsets.
///
/// Columns are moved with one sequential pass each (`out[dest[row]] = value[row]`):
/// random writes are cheaper than the random reads of a gather through a permutation.
/// Customers whose rows are not already in time order get a stable per-segment sort,
/// recorded once (`fixups`) and applied to every column.
struct Grouped {
    dest: Vec<u32>,
    offsets: Vec<u32>,
    fixups: Vec<(usize, Vec<u32>)>,
}

impl Grouped {
    fn total(&self) -> usize {
        self.offsets.last().map_or(0, |&t| t as usize)
    }

    /// `values` in output order, with the per-customer time sort applied.
    fn arrange<T: Copy + Default>(&self, values: Vec<T>) -> Vec<T> {
        let mut out = scatter(&values, &self.dest, self.total(), T::default());
        drop(values);
        self.fix(&mut out);
        out
    }

    fn fix<T: Copy>(&self, out: &mut [T]) {
        let mut scratch = Vec::new();
        for (start, order) in &self.fixups {
            let segment = &mut out[*start..*start + order.len()];
            scratch.clear();
            scratch.extend_from_slice(segment);
            for (slot, &from) in segment.iter_mut().zip(order) {
                *slot = scratch[from as usize];
            }
        }
    }

    /// Finds the segments whose times are out of order and sorts `time` itself.
    fn sort_by_time(&mut self, time: &mut [i64]) {
        let n = self.offsets.len() - 1;
        for c in 0..n {
            let (a, b) = (self.offsets[c] as usize, self.offsets[c + 1] as usize);
            if time[a..b].windows(2).any(|w| w[0] > w[1]) {
                let mut order: Vec<u32> = (0..(b - a) as u32).collect();
                // Stable: ties keep input order, which scattering preserved.
                order.sort_by_key(|&i| time[a + i as usize]);
                self.fixups.push((a, order));
            }
        }
        self.fix(time);
    }
}

/// `out[dest[row]] = values[row]` for kept rows (`dest != u32::MAX`).
pub(crate) fn scatter<T: Copy>(values: &[T], dest: &[u32], total: usize, fill: T) -> Vec<T> {
    let mut out = vec![fill; total];
    for (&d, &v) in dest.iter().zip(values) {
        if let Some(slot) = out.get_mut(d as usize) {
            *slot = v;
        }
    }
    out
}

fn count_skips(
    raw: &RawTable,
    column_of: impl Fn(SkipReason) -> String,
    counts: &[(SkipReason, usize)],
) -> Vec<SkippedRows> {
    counts
        .iter()
        .filter(|(_, c)| *c > 0)
        .map(|(reason, c)| SkippedRows {
            table: raw.kind.name().to_owned(),
            column: column_of(*reason),
            reason: reason.describe().to_owned(),
            code: reason.code().to_owned(),
            rows: *c,
        })
        .collect()
}

fn role_column(raw: &RawTable, reason: SkipReason) -> String {
    let role = reason.role();
    raw.role_columns
        .iter()
        .find(|(r, _)| *r == role || (role == "time" && *r == "signup"))
        .map(|(_, c)| c.clone())
        .unwrap_or_default()
}

fn group_by_customer(raw: &RawTable, n: usize) -> Result<(Grouped, Vec<SkippedRows>)> {
    if raw.len() >= u32::MAX as usize {
        return Err(InsituError::Limit(format!(
            "{} has {} rows; at most {} are supported",
            raw.kind.name(),
            raw.len(),
            u32::MAX - 1
        )));
    }
    let mut counts = vec![0u32; n + 1];
    let mut reasons: Vec<(SkipReason, usize)> = Vec::new();
    let mut keep = vec![true; raw.len()];
    for row in 0..raw.len() {
        match raw.skip_reason(row) {
            None => counts[raw.customer[row] as usize + 1] += 1,
            Some(reason) => {
                keep[row] = false;
                match reasons.iter_mut().find(|(r, _)| *r == reason) {
                    Some((_, c)) => *c += 1,
                    None => reasons.push((reason, 1)),
                }
            }
        }
    }
    crate::sorting::sort_by(&mut reasons, &|a, b| a.cmp(b));
    // Prefix sums: counts becomes the offsets.
    for c in 1..=n {
        counts[c] += counts[c - 1];
    }
    let offsets = counts;
    let mut next: Vec<u32> = offsets[..n].to_vec();
    let dest: Vec<u32> = raw
        .customer
        .iter()
        .zip(&keep)
        .map(|(&customer, &kept)| {
            if !kept {
                return u32::MAX;
            }
            let slot = &mut next[customer as usize];
            *slot += 1;
            *slot - 1
        })
        .collect();
    let skipped = count_skips(raw, |r| role_column(raw, r), &reasons);
    Ok((
        Grouped {
            dest,
            offsets,
            fixups: Vec::new(),
        },
        skipped,
    ))
}

fn arrange_properties(properties: Vec<Property>, g: &Grouped) -> Vec<Property> {
    properties
        .into_iter()
        .map(|p| {
            let mut values = p.values.scatter(&g.dest, g.total());
            match &mut values {
                PropertyValues::Categorical { codes, .. } => g.fix(codes),
                PropertyValues::Numeric(v) => g.fix(v),
                PropertyValues::Time(v) => g.fix(v),
            }
            Property {
                values,
                name: p.name,
            }
        })
        .collect()
}

fn customer_attributes(raw: &RawTable, n: usize) -> (Customers, Vec<SkippedRows>) {
    let mut row_of = vec![u32::MAX; n];
    let mut nulls = 0;
    let mut duplicates = 0;
    for (row, &customer) in raw.customer.iter().enumerate() {
        if customer == NULL_CUSTOMER {
            nulls += 1;
        } else if row_of[customer as usize] == u32::MAX {
            row_of[customer as usize] = row as u32;
        } else {
            duplicates += 1;
        }
    }
    let listed = row_of.iter().map(|&r| r != u32::MAX).collect();
    let signup = (!raw.time.is_empty()).then(|| {
        row_of
            .iter()
            .map(|&r| match raw.time.get(r as usize) {
                Some(&t) if t > crate::data::columns::BAD_TIME => t,
                _ => NULL_TIME,
            })
            .collect()
    });
    let attributes = raw
        .properties
        .iter()
        .map(|p| Property {
            name: p.name.clone(),
            values: p.values.gather(&row_of),
        })
        .collect();
    let skipped = count_skips(
        raw,
        |r| role_column(raw, r),
        &[
            (SkipReason::NullCustomer, nulls),
            (SkipReason::DuplicateCustomer, duplicates),
        ],
    );
    (
        Customers {
            listed,
            signup,
            attributes,
        },
        skipped,
    )
}
