//! Generated sample data ([`crate::sample::SampleData`]) as Arrow record batches and
//! Arrow IPC *stream* bytes: ids `Int64`, times `Timestamp(ms, "UTC")`, categorical
//! columns `Dictionary(Int32, Utf8)` (one dictionary per column, shared by all
//! batches, so the stream carries it once), money `Float64`.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, DictionaryArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use arrow_buffer::{NullBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};

use crate::data::ipc_write::{BatchWriter, StreamWriter};
use crate::error::{InsituError, Result};
use crate::sample::{SampleData, NULL_CODE};

/// Rows per record batch unless the caller says otherwise.
pub const DEFAULT_BATCH_ROWS: usize = 65_536;

/// The three sample tables as record batches, with their schemas.
#[derive(Debug, Clone)]
pub struct SampleTables {
    /// Schema of the events batches.
    pub events_schema: SchemaRef,
    /// Events: customer_id, timestamp, event, source, campaign, channel, variant.
    pub events: Vec<RecordBatch>,
    /// Schema of the orders batches.
    pub orders_schema: SchemaRef,
    /// Orders: order_id, customer_id, timestamp, amount, channel, margin.
    pub orders: Vec<RecordBatch>,
    /// Schema of the customers batches.
    pub customers_schema: SchemaRef,
    /// Customers: customer_id, signup_time, country, acquisition_channel.
    pub customers: Vec<RecordBatch>,
}

/// The three sample tables as Arrow IPC stream bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SampleIpc {
    /// The events table.
    pub events: Vec<u8>,
    /// The orders table.
    pub orders: Vec<u8>,
    /// The customers table.
    pub customers: Vec<u8>,
}

fn timestamp_type() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

fn dictionary_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// Schema of the sample events table.
pub fn events_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("customer_id", DataType::Int64, false),
        Field::new("timestamp", timestamp_type(), false),
        Field::new("event", dictionary_type(), false),
        Field::new("source", dictionary_type(), true),
        Field::new("campaign", dictionary_type(), true),
        Field::new("channel", dictionary_type(), true),
        Field::new("variant", dictionary_type(), true),
    ]))
}

/// Schema of the sample orders table.
pub fn orders_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("order_id", DataType::Int64, false),
        Field::new("customer_id", DataType::Int64, false),
        Field::new("timestamp", timestamp_type(), false),
        Field::new("amount", DataType::Float64, false),
        Field::new("channel", dictionary_type(), false),
        Field::new("margin", DataType::Float64, false),
    ]))
}

/// Schema of the sample customers table.
pub fn customers_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("customer_id", DataType::Int64, false),
        Field::new("signup_time", timestamp_type(), false),
        Field::new("country", dictionary_type(), false),
        Field::new("acquisition_channel", dictionary_type(), false),
    ]))
}

fn arrow_error(table: &str) -> impl Fn(ArrowError) -> InsituError + '_ {
    move |e| InsituError::Limit(format!("sample {table}: cannot build Arrow data: {e}"))
}

/// The dictionary values of one categorical column (built once, shared by batches).
fn labels<S: AsRef<str>>(labels: &[S]) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(
        labels.iter().map(AsRef::as_ref),
    ))
}

fn int64(values: &[i64]) -> ArrayRef {
    Arc::new(Int64Array::new(ScalarBuffer::from(values.to_vec()), None))
}

fn float64(values: &[f64]) -> ArrayRef {
    Arc::new(Float64Array::new(ScalarBuffer::from(values.to_vec()), None))
}

fn timestamps(values: &[i64]) -> ArrayRef {
    Arc::new(
        TimestampMillisecondArray::new(ScalarBuffer::from(values.to_vec()), None)
            .with_timezone("UTC"),
    )
}

/// A dictionary column from codes ([`NULL_CODE`] = null); checks codes against labels.
fn dictionary(codes: &[u32], values: &ArrayRef) -> std::result::Result<ArrayRef, ArrowError> {
    let keys: Vec<i32> = codes
        .iter()
        .map(|&c| if c == NULL_CODE { 0 } else { c as i32 })
        .collect();
    let nulls = if codes.contains(&NULL_CODE) {
        Some(NullBuffer::from_iter(codes.iter().map(|&c| c != NULL_CODE)))
    } else {
        None
    };
    let keys = Int32Array::new(ScalarBuffer::from(keys), nulls);
    Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
        keys,
        Arc::clone(values),
    )?))
}

/// Builds the batches of one table, calling `sink` with each.
fn batches_of(
    data: &SampleData,
    table: Table,
    batch_rows: usize,
    sink: &mut dyn FnMut(RecordBatch) -> Result<()>,
) -> Result<()> {
    let err = arrow_error(table.name());
    let schema = table.schema();
    match table {
        Table::Events => {
            let e = &data.events;
            let dicts = [
                labels(&data.event_names),
                labels(&data.sources),
                labels(&data.campaigns),
                labels(&data.message_channels),
                labels(&data.variants),
            ];
            let rows = e.customer_id.len();
            for start in (0..rows).step_by(batch_rows) {
                let r = start..(start + batch_rows).min(rows);
                let columns = vec![
                    int64(&e.customer_id[r.clone()]),
                    timestamps(&e.timestamp[r.clone()]),
                    dictionary(&e.event[r.clone()], &dicts[0]).map_err(&err)?,
                    dictionary(&e.source[r.clone()], &dicts[1]).map_err(&err)?,
                    dictionary(&e.campaign[r.clone()], &dicts[2]).map_err(&err)?,
                    dictionary(&e.channel[r.clone()], &dicts[3]).map_err(&err)?,
                    dictionary(&e.variant[r], &dicts[4]).map_err(&err)?,
                ];
                sink(RecordBatch::try_new(Arc::clone(&schema), columns).map_err(&err)?)?;
            }
        }
        Table::Orders => {
            let o = &data.orders;
            let channels = labels(&data.order_channels);
            let rows = o.order_id.len();
            for start in (0..rows).step_by(batch_rows) {
                let r = start..(start + batch_rows).min(rows);
                let columns = vec![
                    int64(&o.order_id[r.clone()]),
                    int64(&o.customer_id[r.clone()]),
                    timestamps(&o.timestamp[r.clone()]),
                    float64(&o.amount[r.clone()]),
                    dictionary(&o.channel[r.clone()], &channels).map_err(&err)?,
                    float64(&o.margin[r]),
                ];
                sink(RecordBatch::try_new(Arc::clone(&schema), columns).map_err(&err)?)?;
            }
        }
        Table::Customers => {
            let c = &data.customers;
            let countries = labels(&data.countries);
            let acquisition = labels(&data.acquisition_channels);
            let rows = c.customer_id.len();
            for start in (0..rows).step_by(batch_rows) {
                let r = start..(start + batch_rows).min(rows);
                let columns = vec![
                    int64(&c.customer_id[r.clone()]),
                    timestamps(&c.signup_time[r.clone()]),
                    dictionary(&c.country[r.clone()], &countries).map_err(&err)?,
                    dictionary(&c.acquisition_channel[r], &acquisition).map_err(&err)?,
                ];
                sink(RecordBatch::try_new(Arc::clone(&schema), columns).map_err(&err)?)?;
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
enum Table {
    Events,
    Orders,
    Customers,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Events => "events",
            Table::Orders => "orders",
            Table::Customers => "customers",
        }
    }

    fn schema(self) -> SchemaRef {
        match self {
            Table::Events => events_schema(),
            Table::Orders => orders_schema(),
            Table::Customers => customers_schema(),
        }
    }
}

fn check_batch_rows(batch_rows: usize) -> Result<()> {
    if batch_rows == 0 {
        return Err(InsituError::bad_option(
            "batchRows",
            "must be at least 1 (the default is 65536)",
        ));
    }
    Ok(())
}

/// Length checks so a hand-built [`SampleData`] with ragged columns is an error, not a
/// panic while slicing.
fn check_lengths(data: &SampleData) -> Result<()> {
    let e = &data.events;
    let o = &data.orders;
    let c = &data.customers;
    let tables: [(&str, &[usize]); 3] = [
        (
            "events",
            &[
                e.customer_id.len(),
                e.timestamp.len(),
                e.event.len(),
                e.source.len(),
                e.campaign.len(),
                e.channel.len(),
                e.variant.len(),
            ],
        ),
        (
            "orders",
            &[
                o.order_id.len(),
                o.customer_id.len(),
                o.timestamp.len(),
                o.amount.len(),
                o.channel.len(),
                o.margin.len(),
            ],
        ),
        (
            "customers",
            &[
                c.customer_id.len(),
                c.signup_time.len(),
                c.country.len(),
                c.acquisition_channel.len(),
            ],
        ),
    ];
    for (table, lens) in tables {
        if lens.iter().any(|&l| l != lens[0]) {
            return Err(InsituError::Limit(format!(
                "sample {table}: columns have different lengths {lens:?}"
            )));
        }
    }
    Ok(())
}

/// The sample tables as record batches of at most `batch_rows` rows.
pub fn sample_batches(data: &SampleData, batch_rows: usize) -> Result<SampleTables> {
    check_batch_rows(batch_rows)?;
    check_lengths(data)?;
    let collect = |table: Table| -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        batches_of(data, table, batch_rows, &mut |b| {
            out.push(b);
            Ok(())
        })?;
        Ok(out)
    };
    Ok(SampleTables {
        events_schema: events_schema(),
        events: collect(Table::Events)?,
        orders_schema: orders_schema(),
        orders: collect(Table::Orders)?,
        customers_schema: customers_schema(),
        customers: collect(Table::Customers)?,
    })
}

/// One table as IPC stream bytes, written straight from the sample columns: dictionaries
/// once, then a record batch per `batch_rows` rows.
fn table_ipc(data: &SampleData, table: Table, batch_rows: usize) -> Result<Vec<u8>> {
    let name = table.name();
    let fail =
        |e: String| InsituError::Limit(format!("sample {name}: cannot write Arrow data: {e}"));
    let mut writer = StreamWriter::new(&table.schema()).map_err(fail)?;
    // Dictionary columns by index, with their labels.
    let strs = |v: &[&'static str]| v.to_vec();
    let dictionaries: Vec<(usize, Vec<&str>)> = match table {
        Table::Events => vec![
            (2, strs(&data.event_names)),
            (3, strs(&data.sources)),
            (4, data.campaigns.iter().map(String::as_str).collect()),
            (5, strs(&data.message_channels)),
            (6, strs(&data.variants)),
        ],
        Table::Orders => vec![(4, strs(&data.order_channels))],
        Table::Customers => vec![
            (2, strs(&data.countries)),
            (3, strs(&data.acquisition_channels)),
        ],
    };
    for (column, labels) in &dictionaries {
        writer.dictionary(*column, labels);
    }
    let labels = |column: usize| {
        dictionaries
            .iter()
            .find(|(c, _)| *c == column)
            .map_or(0, |(_, l)| l.len())
    };
    let rows = match table {
        Table::Events => data.events.customer_id.len(),
        Table::Orders => data.orders.order_id.len(),
        Table::Customers => data.customers.customer_id.len(),
    };
    for start in (0..rows).step_by(batch_rows) {
        let r = start..(start + batch_rows).min(rows);
        let mut b = BatchWriter::new(r.len());
        let keys = |b: &mut BatchWriter, column: usize, codes: &[u32]| {
            b.dictionary_keys(codes, NULL_CODE, labels(column), DataType::Int32)
                .map_err(fail)
        };
        match table {
            Table::Events => {
                let e = &data.events;
                b.int64(&e.customer_id[r.clone()]);
                b.int64(&e.timestamp[r.clone()]);
                keys(&mut b, 2, &e.event[r.clone()])?;
                keys(&mut b, 3, &e.source[r.clone()])?;
                keys(&mut b, 4, &e.campaign[r.clone()])?;
                keys(&mut b, 5, &e.channel[r.clone()])?;
                keys(&mut b, 6, &e.variant[r])?;
            }
            Table::Orders => {
                let o = &data.orders;
                b.int64(&o.order_id[r.clone()]);
                b.int64(&o.customer_id[r.clone()]);
                b.int64(&o.timestamp[r.clone()]);
                b.float64(&o.amount[r.clone()]);
                keys(&mut b, 4, &o.channel[r.clone()])?;
                b.float64(&o.margin[r]);
            }
            Table::Customers => {
                let c = &data.customers;
                b.int64(&c.customer_id[r.clone()]);
                b.int64(&c.signup_time[r.clone()]);
                keys(&mut b, 2, &c.country[r.clone()])?;
                keys(&mut b, 3, &c.acquisition_channel[r])?;
            }
        }
        writer.batch(b);
    }
    Ok(writer.finish())
}

/// The three sample tables as IPC streams of `batch_rows`-row record batches.
pub fn sample_ipc(data: &SampleData, batch_rows: usize) -> Result<SampleIpc> {
    check_batch_rows(batch_rows)?;
    check_lengths(data)?;
    Ok(SampleIpc {
        events: table_ipc(data, Table::Events, batch_rows)?,
        orders: table_ipc(data, Table::Orders, batch_rows)?,
        customers: table_ipc(data, Table::Customers, batch_rows)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{generate, SampleOptions};
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    use arrow_ipc::reader::StreamReader;
    use std::io::Cursor;

    fn data() -> SampleData {
        generate(&SampleOptions {
            events: 20_000,
            ..SampleOptions::default()
        })
        .unwrap()
    }

    fn read(bytes: &[u8]) -> (SchemaRef, Vec<RecordBatch>) {
        let reader = StreamReader::try_new(Cursor::new(bytes), None).unwrap();
        let schema = reader.schema();
        let batches = reader.collect::<std::result::Result<Vec<_>, _>>().unwrap();
        (schema, batches)
    }

    fn rows(batches: &[RecordBatch]) -> usize {
        batches.iter().map(RecordBatch::num_rows).sum()
    }

    #[test]
    fn ipc_round_trips_with_schema_and_row_counts() {
        let d = data();
        let ipc = sample_ipc(&d, 4_096).unwrap();
        let (schema, batches) = read(&ipc.events);
        assert_eq!(schema, events_schema());
        assert_eq!(rows(&batches), d.events.event.len());
        assert_eq!(batches.len(), d.events.event.len().div_ceil(4_096));
        let (schema, batches) = read(&ipc.orders);
        assert_eq!(schema, orders_schema());
        assert_eq!(rows(&batches), d.orders.order_id.len());
        let (schema, batches) = read(&ipc.customers);
        assert_eq!(schema, customers_schema());
        assert_eq!(rows(&batches), d.customers.customer_id.len());

        let schema = events_schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            names,
            [
                "customer_id",
                "timestamp",
                "event",
                "source",
                "campaign",
                "channel",
                "variant"
            ]
        );
        assert_eq!(
            *orders_schema().field(2).data_type(),
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
        );
    }

    #[test]
    fn values_survive_the_round_trip() {
        let d = data();
        let ipc = sample_ipc(&d, DEFAULT_BATCH_ROWS).unwrap();
        let (_, batches) = read(&ipc.events);
        let mut i = 0;
        for b in &batches {
            let ids = b.column(0).as_primitive::<arrow_array::types::Int64Type>();
            let ts = b
                .column(1)
                .as_primitive::<arrow_array::types::TimestampMillisecondType>();
            let event = b.column(2).as_dictionary::<Int32Type>();
            let event_names = event.values().as_string::<i32>();
            let source = b.column(3).as_dictionary::<Int32Type>();
            let campaign = b.column(4).as_dictionary::<Int32Type>();
            let campaign_names = campaign.values().as_string::<i32>();
            for r in 0..b.num_rows() {
                assert_eq!(ids.value(r), d.events.customer_id[i]);
                assert_eq!(ts.value(r), d.events.timestamp[i]);
                let code = event.keys().value(r) as usize;
                assert_eq!(
                    event_names.value(code),
                    d.event_names[d.events.event[i] as usize]
                );
                assert_eq!(source.is_null(r), d.events.source[i] == NULL_CODE);
                if d.events.campaign[i] != NULL_CODE {
                    let c = campaign.keys().value(r) as usize;
                    assert_eq!(
                        campaign_names.value(c),
                        d.campaigns[d.events.campaign[i] as usize]
                    );
                } else {
                    assert!(campaign.is_null(r));
                }
                i += 1;
            }
        }
        assert_eq!(i, d.events.event.len());
        let (_, batches) = read(&ipc.orders);
        let amounts: Vec<f64> = batches
            .iter()
            .flat_map(|b| {
                b.column(3)
                    .as_primitive::<arrow_array::types::Float64Type>()
                    .values()
                    .to_vec()
            })
            .collect();
        assert_eq!(amounts, d.orders.amount);
    }

    /// Message header types in an IPC stream, in order.
    fn message_types(bytes: &[u8]) -> Vec<arrow_ipc::MessageHeader> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos + 8 <= bytes.len() {
            let word = |p: usize| u32::from_le_bytes(bytes[p..p + 4].try_into().unwrap());
            assert_eq!(word(pos), 0xffff_ffff);
            let len = word(pos + 4) as usize;
            if len == 0 {
                break; // end-of-stream marker
            }
            let meta = &bytes[pos + 8..pos + 8 + len];
            let message = arrow_ipc::root_as_message(meta).unwrap();
            out.push(message.header_type());
            pos += 8 + len + message.bodyLength() as usize;
        }
        out
    }

    #[test]
    fn dictionaries_are_written_once_per_column() {
        use arrow_ipc::MessageHeader;
        let d = data();
        let ipc = sample_ipc(&d, 1_000).unwrap();
        let types = message_types(&ipc.events);
        let count = |t: MessageHeader| types.iter().filter(|&&x| x == t).count();
        assert_eq!(count(MessageHeader::Schema), 1);
        assert_eq!(count(MessageHeader::DictionaryBatch), 5);
        assert_eq!(
            count(MessageHeader::RecordBatch),
            d.events.event.len().div_ceil(1_000)
        );
        let types = message_types(&ipc.customers);
        assert_eq!(
            types.len(),
            1 + 2 + d.customers.customer_id.len().div_ceil(1_000)
        );
    }

    #[test]
    fn batches_match_the_ipc_content() {
        let d = data();
        let t = sample_batches(&d, 5_000).unwrap();
        assert_eq!(rows(&t.events), d.events.event.len());
        assert_eq!(rows(&t.orders), d.orders.order_id.len());
        assert_eq!(rows(&t.customers), d.customers.customer_id.len());
        assert!(t.events.iter().all(|b| b.num_rows() <= 5_000));
        assert_eq!(t.events[0].schema(), t.events_schema);
        assert_eq!(t.customers_schema.field(3).name(), "acquisition_channel");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let d = data();
        assert_eq!(sample_ipc(&d, 0).unwrap_err().code(), "bad_option");
        assert_eq!(sample_batches(&d, 0).unwrap_err().code(), "bad_option");
        let mut ragged = d.clone();
        ragged.events.variant.pop();
        assert!(sample_ipc(&ragged, 100).is_err());
        let mut bad_code = d.clone();
        bad_code.orders.channel[0] = 99;
        assert_eq!(
            sample_ipc(&bad_code, 100).unwrap_err().code(),
            "limit_exceeded"
        );
        // An empty data set is a valid stream with no batches.
        let empty = SampleData::default();
        let ipc = sample_ipc(&empty, 100).unwrap();
        let (schema, batches) = read(&ipc.customers);
        assert_eq!(schema, customers_schema());
        assert!(batches.is_empty());
    }

    /// Prints the IPC encoding time and sizes for 1M events (release builds only).
    #[test]
    #[cfg_attr(debug_assertions, ignore = "slow in debug builds; run with --release")]
    fn sample_ipc_timing() {
        let d = generate(&SampleOptions {
            events: 1_000_000,
            ..SampleOptions::default()
        })
        .unwrap();
        let t = std::time::Instant::now();
        let ipc = sample_ipc(&d, DEFAULT_BATCH_ROWS).unwrap();
        println!(
            "sample_ipc 1M events: {:?}; events {} bytes, orders {} bytes, customers {} bytes",
            t.elapsed(),
            ipc.events.len(),
            ipc.orders.len(),
            ipc.customers.len()
        );
        let (_, batches) = read(&ipc.events);
        assert_eq!(rows(&batches), d.events.event.len());
    }
}
