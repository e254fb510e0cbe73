//! Which column plays which role in each table, with defaults for common spellings.

use crate::json::FromJson;
use arrow_schema::{DataType, Schema, TimeUnit};

use crate::data::columns::{
    is_amount_type, is_id_type, is_name_type, is_time_type, AMOUNT_TYPES, ID_TYPES, NAME_TYPES,
    TIME_TYPES,
};
use crate::error::{InsituError, Result};

/// The IPC container format of a table's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, FromJson)]
#[json(rename_all = "camelCase")]
pub enum IpcFormat {
    /// Detect from the bytes (the file format starts with `ARROW1`).
    #[default]
    Auto,
    /// The IPC streaming format (what `tableToIPC(t, "stream")` writes).
    Stream,
    /// The IPC file format (`.arrow` / `.feather` v2 files).
    File,
}

/// The unit of plain integer timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, FromJson)]
#[json(rename_all = "camelCase")]
pub enum IntTimeUnit {
    /// Seconds since the epoch.
    S,
    /// Milliseconds since the epoch (the default, what JavaScript uses).
    #[default]
    Ms,
    /// Microseconds since the epoch.
    Us,
    /// Nanoseconds since the epoch.
    Ns,
}

impl IntTimeUnit {
    fn arrow(self) -> TimeUnit {
        match self {
            IntTimeUnit::S => TimeUnit::Second,
            IntTimeUnit::Ms => TimeUnit::Millisecond,
            IntTimeUnit::Us => TimeUnit::Microsecond,
            IntTimeUnit::Ns => TimeUnit::Nanosecond,
        }
    }
}

/// Column names for one table; `None` means "find it by its usual names".
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct TableMapping {
    /// The customer id column.
    pub customer: Option<String>,
    /// The timestamp column (events and orders).
    pub time: Option<String>,
    /// The event name column (events).
    pub event: Option<String>,
    /// The amount column (orders).
    pub amount: Option<String>,
    /// The signup time column (customers; optional).
    pub signup: Option<String>,
    /// What plain int64 timestamps count (default milliseconds).
    pub time_unit: Option<IntTimeUnit>,
    /// The IPC format of the bytes (default: detect).
    pub format: Option<IpcFormat>,
}

/// Column mappings for the tables.
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct DatasetMapping {
    /// Mapping of the events table.
    #[json(default)]
    pub events: TableMapping,
    /// Mapping of the orders table.
    #[json(default)]
    pub orders: TableMapping,
    /// Mapping of the customers table.
    #[json(default)]
    pub customers: TableMapping,
    /// Mapping of the enrich table (only `customer` and `format` apply).
    #[json(default)]
    pub enrich: TableMapping,
}

/// The three input tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Events,
    Orders,
    Customers,
}

impl TableKind {
    /// The table's name as users write it.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Events => "events",
            TableKind::Orders => "orders",
            TableKind::Customers => "customers",
        }
    }
}

/// Usual spellings, in order of preference, matched case-insensitively.
pub const CUSTOMER_NAMES: &[&str] = &[
    "customer_id",
    "user_id",
    "customerId",
    "userId",
    "customer",
    "user",
    "client_id",
    "member_id",
    "distinct_id",
    "person_id",
    "id",
];
/// Usual spellings of the timestamp column.
pub const TIME_NAMES: &[&str] = &[
    "timestamp",
    "ts",
    "time",
    "date",
    "event_time",
    "event_timestamp",
    "created_at",
    "order_date",
    "order_time",
    "datetime",
    "occurred_at",
];
/// Usual spellings of the event name column.
pub const EVENT_NAMES: &[&str] = &["event", "event_name", "event_type", "name", "action"];
/// Usual spellings of the amount column.
pub const AMOUNT_NAMES: &[&str] = &[
    "amount",
    "revenue",
    "value",
    "total",
    "price",
    "order_total",
    "sales",
];
/// Usual spellings of the signup time column.
pub const SIGNUP_NAMES: &[&str] = &[
    "signup_time",
    "signup",
    "signed_up_at",
    "signup_date",
    "signup_at",
    "registered_at",
    "created_at",
    "first_seen",
];

/// The resolved column indexes of one table's roles.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedColumns {
    /// Index of the customer id column.
    pub customer: usize,
    /// Index of the time column (events, orders) or signup column (customers, optional).
    pub time: Option<usize>,
    /// Index of the event name column (events).
    pub event: Option<usize>,
    /// Index of the amount column (orders).
    pub amount: Option<usize>,
    /// Unit of plain integer times.
    pub int_time_unit: TimeUnit,
}

impl ResolvedColumns {
    /// Whether column `i` is mapped to a role (so it is not a property).
    pub fn is_role(&self, i: usize) -> bool {
        i == self.customer
            || self.time == Some(i)
            || self.event == Some(i)
            || self.amount == Some(i)
    }
}

struct Role<'a> {
    role: &'a str,
    given: Option<&'a str>,
    defaults: &'a [&'a str],
    accepts: fn(&DataType) -> bool,
    expected: &'a str,
}

fn find(schema: &Schema, table: TableKind, role: Role) -> Result<Option<usize>> {
    let names = || {
        schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let index = match role.given {
        Some(name) => match schema.index_of(name) {
            Ok(i) => Some(i),
            Err(_) => {
                return Err(InsituError::MissingColumn {
                    table: table.name().into(),
                    column: name.into(),
                    available: names(),
                })
            }
        },
        None => role.defaults.iter().find_map(|want| {
            schema
                .fields()
                .iter()
                .position(|f| f.name().eq_ignore_ascii_case(want))
        }),
    };
    if let Some(i) = index {
        let field = &schema.fields()[i];
        if !(role.accepts)(field.data_type()) {
            // A guessed column of the wrong type is reported like a mapped one: the user
            // learns which column we picked and can map another.
            return Err(InsituError::BadType {
                table: table.name().into(),
                column: field.name().clone(),
                found: field.data_type().to_string(),
                expected: format!("{} for the {}", role.expected, role.role),
            });
        }
    }
    Ok(index)
}

fn required(schema: &Schema, table: TableKind, role: Role, option: &str) -> Result<usize> {
    let what = role.role.to_owned();
    let defaults = role.defaults.join(", ");
    find(schema, table, role)?.ok_or_else(|| InsituError::MissingColumn {
        table: table.name().into(),
        column: format!(
            "{what} (none of {defaults}; map it with {{ {}: {{ {option}: \"...\" }} }})",
            table.name()
        ),
        available: schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// Finds the role columns of `table` in `schema`, checking their types.
pub fn resolve(
    schema: &Schema,
    table: TableKind,
    mapping: &TableMapping,
) -> Result<ResolvedColumns> {
    let customer = required(
        schema,
        table,
        Role {
            role: "customer id",
            given: mapping.customer.as_deref(),
            defaults: CUSTOMER_NAMES,
            accepts: is_id_type,
            expected: ID_TYPES,
        },
        "customer",
    )?;
    let time_role = |given, defaults| Role {
        role: "time",
        given,
        defaults,
        accepts: is_time_type,
        expected: TIME_TYPES,
    };
    let int_time_unit = mapping.time_unit.unwrap_or_default().arrow();
    let mut resolved = ResolvedColumns {
        customer,
        time: None,
        event: None,
        amount: None,
        int_time_unit,
    };
    match table {
        TableKind::Events | TableKind::Orders => {
            resolved.time = Some(required(
                schema,
                table,
                time_role(mapping.time.as_deref(), TIME_NAMES),
                "time",
            )?);
        }
        TableKind::Customers => {
            resolved.time = find(
                schema,
                table,
                time_role(
                    mapping.signup.as_deref().or(mapping.time.as_deref()),
                    SIGNUP_NAMES,
                ),
            )?;
        }
    }
    if table == TableKind::Events {
        resolved.event = Some(required(
            schema,
            table,
            Role {
                role: "event name",
                given: mapping.event.as_deref(),
                defaults: EVENT_NAMES,
                accepts: is_name_type,
                expected: NAME_TYPES,
            },
            "event",
        )?);
    }
    if table == TableKind::Orders {
        resolved.amount = Some(required(
            schema,
            table,
            Role {
                role: "amount",
                given: mapping.amount.as_deref(),
                defaults: AMOUNT_NAMES,
                accepts: is_amount_type,
                expected: AMOUNT_TYPES,
            },
            "amount",
        )?);
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::Field;

    fn schema(fields: &[(&str, DataType)]) -> Schema {
        Schema::new(
            fields
                .iter()
                .map(|(n, t)| Field::new(*n, t.clone(), true))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn finds_common_spellings_case_insensitively() {
        let s = schema(&[
            ("USER_ID", DataType::Utf8),
            ("Ts", DataType::Timestamp(TimeUnit::Millisecond, None)),
            ("event_name", DataType::Utf8),
        ]);
        let r = resolve(&s, TableKind::Events, &TableMapping::default()).unwrap();
        assert_eq!((r.customer, r.time, r.event), (0, Some(1), Some(2)));
    }

    #[test]
    fn missing_mapped_column_lists_existing_columns() {
        let s = schema(&[
            ("uid", DataType::Int64),
            ("ts", DataType::Int64),
            ("e", DataType::Utf8),
        ]);
        let m = TableMapping {
            customer: Some("user_id".into()),
            ..Default::default()
        };
        let err = resolve(&s, TableKind::Events, &m).unwrap_err();
        assert_eq!(err.code(), "missing_column");
        let msg = err.to_string();
        assert!(
            msg.contains("\"user_id\"") && msg.contains("uid, ts, e"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_names_found_and_accepted_types() {
        let s = schema(&[
            ("customer_id", DataType::Int64),
            ("ts", DataType::Float64),
            ("event", DataType::Utf8),
        ]);
        let err = resolve(&s, TableKind::Events, &TableMapping::default()).unwrap_err();
        assert_eq!(err.code(), "bad_type");
        let msg = err.to_string();
        assert!(
            msg.contains("\"ts\"") && msg.contains("Float64") && msg.contains("timestamp"),
            "{msg}"
        );
    }

    #[test]
    fn orders_need_an_amount_and_customers_signup_is_optional() {
        let s = schema(&[("customer_id", DataType::Int64), ("ts", DataType::Date32)]);
        let err = resolve(&s, TableKind::Orders, &TableMapping::default()).unwrap_err();
        assert_eq!(err.code(), "missing_column");
        assert!(err.to_string().contains("amount"));
        let r = resolve(&s, TableKind::Customers, &TableMapping::default()).unwrap();
        assert_eq!(r.time, None);
    }
}
