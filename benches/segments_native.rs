//! Native segments benchmark: RFM, the rule segment and the lookalike of
//! `benches/segments.mjs` on the same cached files as the Node and Chromium runs
//! (`bench-results/data/seg-{orders,customers}-N.arrows`, made by
//! `benches/gen-segments-data.mjs`), with the same options (a JSON file the driver writes
//! from `benches/lib/segments-spec.mjs`), so wasm can be compared with native in one run.
//!
//! `cargo bench --bench segments_native -- QUERIES.json N [runs=5] [lookalike_runs=5] [only=rfm,rule]`
//!
//! Prints one JSON line per case: the timing (median, min, max of the runs after a
//! warm-up; each run includes writing the per-customer table as Arrow IPC, as the JS call
//! does) and the answer, which the driver checks against the wasm answer.

use std::time::Instant;

use insitu::data::DatasetInput;
use insitu::segments::lookalike::{lookalike, LookalikeOptions};
use insitu::segments::{rfm, segment, RfmOptions, SegmentDefinition};
use insitu::Dataset;
use serde_json::{json, Value};

/// Milliseconds of each of `runs` runs of `f` after one warm-up, and the warm-up's answer.
fn time(
    runs: usize,
    mut f: impl FnMut() -> Result<Value, String>,
) -> Result<(Value, Vec<f64>), String> {
    let answer = f()?;
    let mut samples = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(f()?);
        samples.push(started.elapsed().as_secs_f64() * 1e3);
    }
    Ok((answer, samples))
}

fn parse<T: insitu::json::FromJson>(queries: &Value, key: &str) -> Result<T, String> {
    insitu::json::from_str(&queries[key].to_string()).map_err(|e| format!("{key}: {e}"))
}

fn run_case(
    ds: &Dataset,
    name: &str,
    queries: &Value,
    runs: usize,
) -> Result<(Value, Vec<f64>), String> {
    let err = |e: insitu::InsituError| e.to_string();
    match name {
        "rfm" => {
            let q: RfmOptions = parse(queries, "rfm")?;
            time(runs, || {
                let r = rfm(ds, &q).map_err(err)?;
                let counts: serde_json::Map<String, Value> = r
                    .segments
                    .iter()
                    .filter(|s| s.customers > 0)
                    .map(|s| (s.segment.clone(), json!(s.customers)))
                    .collect();
                // As the wasm call: the summary, then the scores become the table.
                let bytes = r.scores.into_table().to_ipc(ds).map_err(err)?;
                Ok(json!({ "segments": counts, "tableBytes": bytes.len() }))
            })
        }
        "rule" => {
            let q: SegmentDefinition = parse(queries, "segment")?;
            time(runs, || {
                let r = segment(ds, &q).map_err(err)?;
                let bytes = r.table().to_ipc(ds).map_err(err)?;
                Ok(
                    json!({ "members": r.count, "revenue": r.revenue, "orders": r.orders, "tableBytes": bytes.len() }),
                )
            })
        }
        "lookalike" => {
            let q: LookalikeOptions = parse(queries, "lookalike")?;
            time(runs, || {
                let r = lookalike(ds, &q).map_err(err)?;
                let bytes = r.table(r.ranked.len()).to_ipc(ds).map_err(err)?;
                let coefficients: Vec<Value> = r
                    .coefficients
                    .iter()
                    .map(|c| json!({ "feature": c.feature, "level": c.level, "coefficient": c.coefficient }))
                    .collect();
                Ok(json!({
                    "seed": r.seed, "population": r.population, "intercept": r.intercept,
                    "iterations": r.iterations, "auc": r.holdout.auc,
                    "coefficients": coefficients, "tableBytes": bytes.len()
                }))
            })
        }
        other => Err(format!("no native runner for case {other}")),
    }
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let setting = |key: &str, default: usize| {
        args.iter()
            .find_map(|a| a.strip_prefix(key).and_then(|v| v.parse().ok()))
            .unwrap_or(default)
    };
    let (runs, lookalike_runs) = (
        setting("runs=", 5).max(1),
        setting("lookalike_runs=", 5).max(1),
    );
    // `only=rfm,rule` runs some of the cases (for profiling).
    let only: Option<Vec<&str>> = args
        .iter()
        .find_map(|a| a.strip_prefix("only="))
        .map(|o| o.split(',').collect());
    let (Some(queries_path), Some(n)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench segments_native -- QUERIES.json CUSTOMERS [runs=5] [lookalike_runs=5]");
        std::process::exit(2);
    };
    let setup = || -> Result<(Value, Dataset), String> {
        let queries: Value =
            serde_json::from_slice(&read(queries_path)?).map_err(|e| e.to_string())?;
        let data = "bench-results/data";
        let ds = Dataset::from_ipc(DatasetInput {
            orders: Some(read(&format!("{data}/seg-orders-{n}.arrows"))?),
            customers: Some(read(&format!("{data}/seg-customers-{n}.arrows"))?),
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
        Ok((queries, ds))
    };
    let (queries, ds) = match setup() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("segments_native: {e}");
            std::process::exit(1);
        }
    };
    for name in ["rfm", "rule", "lookalike"] {
        if only.as_ref().is_some_and(|o| !o.contains(&name)) {
            continue;
        }
        let k = if name == "lookalike" {
            lookalike_runs
        } else {
            runs
        };
        match run_case(&ds, name, &queries, k) {
            Ok((answer, mut samples)) => {
                let timed = samples.clone();
                samples.sort_by(f64::total_cmp);
                let mid = samples.len() / 2;
                let median = if samples.len() % 2 == 1 {
                    samples[mid]
                } else {
                    (samples[mid - 1] + samples[mid]) / 2.0
                };
                let line = json!({
                    "case": name, "host": "native", "customers": n.parse::<usize>().unwrap_or(0),
                    "medianMs": median, "minMs": samples[0], "maxMs": samples[samples.len() - 1],
                    "samplesMs": timed, "answer": answer
                });
                println!("{line}");
            }
            Err(e) => {
                eprintln!("segments_native {name}: {e}");
                std::process::exit(1);
            }
        }
    }
}
