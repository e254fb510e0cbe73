//! Reads the `enrich` table (extra per-customer columns keyed by customer id) and joins
//! it onto the customer attributes with [`crate::segments::enrich::join`]: rows whose id
//! is not a customer of the other tables are skipped and counted (enrichment adds
//! columns, not customers), a repeated id keeps its first row, and every other column
//! (a time column too) becomes an attribute.

use crate::data::columns::BAD_TIME;
use crate::data::dataset::Dataset;
use crate::data::ids::CustomerIndexBuilder;
use crate::data::ipc::DecodedTable;
use crate::data::mapping::{self, TableKind, TableMapping};
use crate::data::properties::{Interner, Property, PropertyValues, NULL_TIME};
use crate::data::summary::TableColumns;
use crate::data::tables;
use crate::error::{InsituError, Result};

/// Errors about the customers table reader, renamed to the enrich table.
fn as_enrich(e: InsituError) -> InsituError {
    match e {
        InsituError::MissingColumn {
            column, available, ..
        } => InsituError::MissingColumn {
            table: "enrich".into(),
            column,
            available,
        },
        InsituError::BadType {
            column,
            found,
            expected,
            ..
        } => InsituError::BadType {
            table: "enrich".into(),
            column,
            found,
            expected,
        },
        e => e,
    }
}

/// Joins the enrich table's columns onto `ds.customers.attributes`, recording its
/// columns and skipped rows in the summary.
pub fn attach(ds: &mut Dataset, table: DecodedTable, mapping: &TableMapping) -> Result<()> {
    // Read like a customers table (same id and column handling), but keep every
    // non-id column: a time column the reader took as a signup time is an attribute.
    let only_id = TableMapping {
        customer: mapping.customer.clone(),
        time_unit: mapping.time_unit,
        format: mapping.format,
        ..TableMapping::default()
    };
    let cols =
        mapping::resolve(&table.schema, TableKind::Customers, &only_id).map_err(as_enrich)?;
    let mut ids = CustomerIndexBuilder::new(tables::id_mode(&[(&table, &cols)]));
    let mut names = Interner::default();
    let mut raw = tables::read_table(TableKind::Customers, &table, &cols, &mut ids, &mut names);
    drop(table);
    let keys = ids.finish()?;
    if let Some(i) = raw.role_columns.iter().position(|(r, _)| *r == "signup") {
        let (_, name) = raw.role_columns.remove(i);
        let mut times = std::mem::take(&mut raw.time);
        for t in &mut times {
            if *t == BAD_TIME {
                *t = NULL_TIME;
            }
        }
        raw.properties.push(Property {
            name,
            values: PropertyValues::Time(times),
        });
    }
    let mut columns = TableColumns::from_raw(&raw);
    columns.table = "enrich".into();
    let id_column = columns.roles.get("customer").cloned().unwrap_or_default();
    let properties = std::mem::take(&mut raw.properties);
    let skipped = crate::segments::enrich::join(ds, &keys, &raw.customer, properties, &id_column)?;
    ds.columns.push(columns);
    ds.skipped.extend(skipped);
    Ok(())
}
