//! Native LTV benchmark: the summary + BG/NBD + Gamma-Gamma fit of `benches/ltv.mjs` on
//! the same cached orders IPC bytes (bench-results/data/ltv-NAME.arrows) that Node and
//! Chromium read, so wasm can be compared with native in one run. Prints one JSON line
//! per dataset. `cargo bench --bench ltv_native -- cdnow gen-1000000 [runs=5]`

use std::time::Instant;

use insitu::data::{DatasetInput, DatasetMapping};
use insitu::ltv::fit::fit_summary;
use insitu::ltv::{bgnbd, fit_ltv, gamma_gamma, rfm_summary, FitOptions, SummaryOptions};
use insitu::time::{parse_iso, Period};
use insitu::Dataset;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Milliseconds of `f`: (median, min, max) of `runs` runs after one warm-up.
fn time(runs: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<[f64; 3], String> {
    let mut samples = Vec::new();
    for run in 0..=runs {
        let started = Instant::now();
        f()?;
        if run > 0 {
            samples.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    Ok([median(samples), min, max])
}

/// A crate value as a `serde_json::Value`, through its JSON text.
fn as_value<T: insitu::json::ToJson>(value: &T) -> serde_json::Value {
    serde_json::from_str(&insitu::json::to_string(value)).unwrap_or_default()
}

fn ingest(bytes: &[u8]) -> Result<Dataset, String> {
    let mapping: DatasetMapping =
        insitu::json::from_str(r#"{"orders":{"time":"time"}}"#).map_err(|e| e.to_string())?;
    Dataset::from_ipc(DatasetInput {
        orders: Some(bytes.to_vec()),
        mapping,
        ..Default::default()
    })
    .map_err(|e| e.to_string())
}

fn bench(name: &str, runs: usize) -> Result<String, String> {
    let dir = "bench-results/data";
    let meta: serde_json::Value = std::fs::read_to_string(format!("{dir}/ltv-{name}.json"))
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))?;
    let bytes = std::fs::read(format!("{dir}/ltv-{name}.arrows")).map_err(|e| e.to_string())?;
    let end = meta["calibrationEnd"]
        .as_str()
        .and_then(parse_iso)
        .ok_or("the dataset's calibrationEnd is not an ISO date")?;
    let unit = Period::parse("unit", meta["unit"].as_str().unwrap_or("week"))
        .map_err(|e| e.to_string())?;
    let options = FitOptions {
        summary: SummaryOptions {
            calibration_end: Some(end),
            unit,
            ..SummaryOptions::default()
        },
        ..FitOptions::default()
    };

    let ds = ingest(&bytes)?;
    let fit = fit_ltv(&ds, &options).map_err(|e| e.to_string())?;
    let fit_ms = time(runs, || {
        std::hint::black_box(fit_ltv(&ds, &options).map_err(|e| e.to_string())?);
        Ok(())
    })?;
    let ingest_fit_ms = time(runs, || {
        let d = ingest(&bytes)?;
        std::hint::black_box(fit_ltv(&d, &options).map_err(|e| e.to_string())?);
        Ok(())
    })?;
    let ingest_ms = time(runs, || {
        std::hint::black_box(ingest(&bytes)?);
        Ok(())
    })?;
    // Where the fit's time goes (each stage alone, same medians).
    let summary = rfm_summary(&ds, &options.summary).map_err(|e| e.to_string())?;
    let summary_ms = time(runs, || {
        std::hint::black_box(rfm_summary(&ds, &options.summary).map_err(|e| e.to_string())?);
        Ok(())
    })?;
    let bg_ms = time(runs, || {
        let rows = bgnbd::group_rows(&summary.rows);
        std::hint::black_box(bgnbd::fit(&rows, 0.0).map_err(|e| e.to_string())?);
        Ok(())
    })?;
    let group_ms = time(runs, || {
        std::hint::black_box(bgnbd::group_rows(&summary.rows));
        Ok(())
    })?;
    let gg_ms = time(runs, || {
        let rows = gamma_gamma::group_rows(&summary.rows);
        std::hint::black_box(gamma_gamma::fit(&rows, 0.0).map_err(|e| e.to_string())?);
        Ok(())
    })?;
    // The same fit from the summary alone must agree with fit_ltv's.
    let again = fit_summary(&summary, &options).map_err(|e| e.to_string())?;
    if again.model != fit.model {
        return Err("fit_summary and fit_ltv disagree".into());
    }
    let out = serde_json::json!({
        "host": "native",
        "dataset": name,
        "runs": runs,
        "fitMs": fit_ms,
        "ingestFitMs": ingest_fit_ms,
        "ingestMs": ingest_ms,
        "stages": {
            "summaryMs": summary_ms,
            "bgnbdMs": bg_ms,
            "bgnbdGroupMs": group_ms,
            "gammaGammaMs": gg_ms,
        },
        "bgnbd": as_value(&fit.model.bgnbd),
        "gammaGamma": as_value(&fit.model.gamma_gamma),
        "logLikelihood": as_value(&fit.log_likelihood),
        "iterations": as_value(&fit.iterations),
        "customers": fit.customers,
        "distinctHistories": fit.distinct_histories,
        "spendCustomers": fit.spend_customers,
    });
    Ok(out.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = args
        .iter()
        .find_map(|a| a.strip_prefix("runs=").and_then(|r| r.parse().ok()))
        .unwrap_or(5usize)
        .max(1);
    let names: Vec<&String> = args
        .iter()
        .filter(|a| !a.contains('=') && !a.starts_with('-'))
        .collect();
    let mut failed = false;
    for name in names {
        match bench(name, runs) {
            Ok(line) => println!("{line}"),
            Err(e) => {
                eprintln!("ltv_native {name}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
