//! The `enrich` table: extra per-customer columns (e.g. demographics from a CRM) keyed
//! by customer id, joined onto the customer attributes at dataset creation so rules and
//! lookalike features can use them like customers-table columns.
//!
//! Choices: an enrich row whose id is not a customer of the events, orders or customers
//! tables is skipped and counted (enrichment does not create customers); a repeated id
//! keeps its first row (later ones counted); a column whose name is already an attribute
//! is an error (rename one of them). Integer ids match text ids by their decimal text, as
//! in ingest.

use hashbrown::HashMap;

use crate::data::ids::{CustomerIds, NULL_CUSTOMER};
use crate::data::properties::Property;
use crate::data::{Dataset, SkippedRows};
use crate::error::{InsituError, Result};

/// Dense customer numbers of the dataset, by id.
enum Lookup<'a> {
    Int(HashMap<i64, u32>),
    Text(HashMap<&'a str, u32>),
}

impl<'a> Lookup<'a> {
    fn new(ids: &'a CustomerIds) -> Self {
        match ids {
            CustomerIds::Int(v) => Lookup::Int(
                v.iter()
                    .enumerate()
                    .map(|(i, &id)| (id, i as u32))
                    .collect(),
            ),
            CustomerIds::Text(t) => Lookup::Text(
                (0..t.len())
                    .filter_map(|i| t.get(i).map(|s| (s, i as u32)))
                    .collect(),
            ),
        }
    }

    /// The dataset customer of enrich key `k`.
    fn find(&self, keys: &CustomerIds, k: usize) -> Option<u32> {
        match (self, keys) {
            (Lookup::Int(m), CustomerIds::Int(v)) => v.get(k).and_then(|id| m.get(id).copied()),
            (Lookup::Text(m), CustomerIds::Int(v)) => v
                .get(k)
                .and_then(|id| m.get(id.to_string().as_str()).copied()),
            (Lookup::Text(m), CustomerIds::Text(t)) => t.get(k).and_then(|s| m.get(s).copied()),
            (Lookup::Int(m), CustomerIds::Text(t)) => {
                // Only canonical decimal text can equal an integer id.
                let s = t.get(k)?;
                let id: i64 = s.parse().ok()?;
                (id.to_string() == s).then(|| m.get(&id).copied()).flatten()
            }
        }
    }
}

/// Joins enrich columns onto `ds.customers.attributes`.
///
/// `keys` are the distinct ids of the enrich table and `rows[r]` the index into `keys`
/// of row `r` ([`NULL_CUSTOMER`] for a null id), as a fresh `CustomerIndexBuilder` gives
/// them; `columns` are the table's other columns in row order; `id_column` names the id
/// column in the skipped-row counts. Returns those counts (table `"enrich"`).
pub fn join(
    ds: &mut Dataset,
    keys: &CustomerIds,
    rows: &[u32],
    columns: Vec<Property>,
    id_column: &str,
) -> Result<Vec<SkippedRows>> {
    for c in &columns {
        if ds.customers.attributes.iter().any(|a| a.name == c.name) {
            return Err(InsituError::bad_option(
                "enrich",
                format!(
                    "column \"{}\" is also a column of the customers table; rename one of them",
                    c.name
                ),
            ));
        }
        if c.values.len() != rows.len() {
            return Err(InsituError::Limit(format!(
                "enrich column \"{}\" has {} rows, the id column {}",
                c.name,
                c.values.len(),
                rows.len()
            )));
        }
    }
    let n = ds.num_customers();
    let mut row_of = vec![u32::MAX; n];
    let (mut nulls, mut unknown, mut duplicates) = (0, 0, 0);
    {
        let lookup = Lookup::new(&ds.ids);
        for (r, &k) in rows.iter().enumerate() {
            if k == NULL_CUSTOMER {
                nulls += 1;
                continue;
            }
            match lookup.find(keys, k as usize) {
                None => unknown += 1,
                Some(c) if row_of[c as usize] == u32::MAX => row_of[c as usize] = r as u32,
                Some(_) => duplicates += 1,
            }
        }
    }
    for c in columns {
        ds.customers.attributes.push(Property {
            values: c.values.gather(&row_of),
            name: c.name,
        });
    }
    let skipped = [
        (nulls, "customer id is null", "null_customer"),
        (
            unknown,
            "customer id is not in the events, orders or customers tables",
            "unknown_customer",
        ),
        (
            duplicates,
            "customer id appears again (the first row is kept)",
            "duplicate_customer",
        ),
    ]
    .into_iter()
    .filter(|(rows, _, _)| *rows > 0)
    .map(|(rows, reason, code)| SkippedRows {
        table: "enrich".into(),
        column: id_column.to_owned(),
        reason: reason.into(),
        code: code.into(),
        rows,
    })
    .collect();
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::properties::{PropertyValues, NULL_CODE};

    #[test]
    fn joins_by_id_and_counts_what_it_skips() {
        let mut ds = Dataset {
            ids: CustomerIds::Int(vec![10, 20, 30]),
            ..Dataset::default()
        };
        // Rows: id 20, id 99 (unknown), null, id 20 again, "10" as text-equal int.
        let keys = CustomerIds::Int(vec![20, 99, 10]);
        let rows = [0, 1, NULL_CUSTOMER, 0, 2];
        let tier = Property {
            name: "tier".into(),
            values: PropertyValues::Categorical {
                codes: vec![0, 1, 1, 1, 1],
                labels: vec!["gold".into(), "silver".into()],
            },
        };
        let skipped = join(&mut ds, &keys, &rows, vec![tier], "customer_id").unwrap();
        let PropertyValues::Categorical { codes, .. } = &ds.customers.attributes[0].values else {
            panic!()
        };
        assert_eq!(codes, &vec![1, 0, NULL_CODE]);
        let counts: Vec<(&str, usize)> =
            skipped.iter().map(|s| (s.code.as_str(), s.rows)).collect();
        assert_eq!(
            counts,
            vec![
                ("null_customer", 1),
                ("unknown_customer", 1),
                ("duplicate_customer", 1)
            ]
        );
        let again = Property {
            name: "tier".into(),
            values: PropertyValues::Numeric(vec![]),
        };
        assert_eq!(
            join(&mut ds, &keys, &[], vec![again], "id")
                .unwrap_err()
                .code(),
            "bad_option"
        );
    }
}
