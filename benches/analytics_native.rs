//! Native analytics benchmark: the queries of `benches/queries.json` on the same generated
//! data as the Node and Chromium runs (the generator gives identical bytes on every
//! target), so wasm can be compared with native in one run. Each case includes turning
//! its result into JSON (and the RFM table into IPC bytes), as the wasm call does.
//! `cargo bench --bench analytics_native -- 1000000 10000000` (sizes in events).

use std::time::Instant;

use insitu::campaign::{campaigns, CampaignOptions};
use insitu::data::sample_ipc::sample_ipc;
use insitu::data::DatasetInput;
use insitu::funnel::{funnel, FunnelQuery, FunnelSpec};
use insitu::retention::{retention, RetentionOptions};
use insitu::sample::{generate, SampleOptions};
use insitu::segments::{rfm, RfmOptions};
use insitu::Dataset;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Milliseconds of `f`, median of 5 runs after a warm-up.
fn time(mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut samples = Vec::new();
    for run in 0..6 {
        let started = Instant::now();
        f()?;
        if run > 0 {
            samples.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    Ok(median(samples))
}

/// The result as the JSON text the wasm boundary hands to JavaScript, so native does
/// the same work as the wasm call it is compared with.
fn json<T: insitu::json::ToJson>(value: &T) -> Result<String, String> {
    Ok(insitu::json::to_string(value))
}

fn run_case(ds: &Dataset, name: &str, query: &serde_json::Value) -> Result<f64, String> {
    match name {
        "funnel" => {
            let q: FunnelQuery =
                insitu::json::from_str(&(query.clone()).to_string()).map_err(|e| e.to_string())?;
            time(|| {
                let spec = FunnelSpec::resolve(ds, &q).map_err(|e| e.to_string())?;
                std::hint::black_box(json(&funnel(ds, &spec))?);
                Ok(())
            })
        }
        "retention" => {
            let q: RetentionOptions =
                insitu::json::from_str(&(query.clone()).to_string()).map_err(|e| e.to_string())?;
            time(|| {
                std::hint::black_box(json(&retention(ds, &q).map_err(|e| e.to_string())?)?);
                Ok(())
            })
        }
        "rfm" => {
            let q: RfmOptions =
                insitu::json::from_str(&(query.clone()).to_string()).map_err(|e| e.to_string())?;
            time(|| {
                let report = rfm(ds, &q).map_err(|e| e.to_string())?;
                // The summary and the Arrow table, as the JS call returns them.
                std::hint::black_box(json(&report)?);
                let table = report.scores.into_table();
                std::hint::black_box(table.to_ipc(ds).map_err(|e| e.to_string())?);
                Ok(())
            })
        }
        "campaigns" => {
            let q: CampaignOptions =
                insitu::json::from_str(&(query.clone()).to_string()).map_err(|e| e.to_string())?;
            time(|| {
                std::hint::black_box(json(&campaigns(ds, &q).map_err(|e| e.to_string())?)?);
                Ok(())
            })
        }
        other => Err(format!("no native runner for case {other}")),
    }
}

fn main() {
    let queries: serde_json::Value = match std::fs::read_to_string("benches/queries.json")
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(q) => q,
        Err(e) => {
            eprintln!("cannot read benches/queries.json: {e}");
            std::process::exit(1);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    // `days=N` picks the sample's period (longer: more campaigns); `only=a,b` some cases.
    let setting = |key: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(key).map(str::to_owned))
    };
    let days: u32 = setting("days=").and_then(|d| d.parse().ok()).unwrap_or(365);
    let only: Option<Vec<String>> =
        setting("only=").map(|o| o.split(',').map(str::to_owned).collect());
    for events in if sizes.is_empty() {
        vec![1_000_000]
    } else {
        sizes
    } {
        let ds = generate(&SampleOptions {
            events,
            days,
            ..SampleOptions::default()
        })
        .and_then(|d| sample_ipc(&d, 65_536))
        .and_then(|ipc| {
            Dataset::from_ipc(DatasetInput {
                events: Some(ipc.events),
                orders: Some(ipc.orders),
                customers: Some(ipc.customers),
                ..Default::default()
            })
        });
        let ds = match ds {
            Ok(ds) => ds,
            Err(e) => {
                eprintln!("cannot build the {events}-event dataset: {e}");
                continue;
            }
        };
        for (name, query) in queries.as_object().into_iter().flatten() {
            if only.as_ref().is_some_and(|o| !o.contains(name)) {
                continue;
            }
            match run_case(&ds, name, query) {
                Ok(ms) => println!(
                    "{{\"case\":\"{name}\",\"host\":\"native\",\"events\":{},\"medianMs\":{ms:.3}}}",
                    ds.events.len()
                ),
                Err(e) => eprintln!("{name} at {events} events: {e}"),
            }
        }
    }
}
