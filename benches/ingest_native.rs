//! Native ingest benchmark: the same generated events as the Node/Chromium benchmark,
//! ingested by the native build, so wasm can be compared with native in one run.
//! `cargo bench --bench ingest_native -- 1000000 10000000` (sizes in events).

use std::time::Instant;

use insitu::data::sample_ipc::sample_ipc;
use insitu::data::DatasetInput;
use insitu::sample::{generate, SampleOptions};
use insitu::Dataset;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000_000]
    } else {
        sizes
    };
    for events in sizes {
        let data = match generate(&SampleOptions {
            events,
            ..SampleOptions::default()
        }) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("cannot generate {events} events: {e}");
                continue;
            }
        };
        let ipc = match sample_ipc(&data, 65_536) {
            Ok(i) => i.events,
            Err(e) => {
                eprintln!("cannot write IPC: {e}");
                continue;
            }
        };
        drop(data);
        let mut copy = Vec::new();
        let mut ingest = Vec::new();
        let mut rows = 0;
        for run in 0..6 {
            let started = Instant::now();
            let bytes = ipc.clone();
            let copied = started.elapsed().as_secs_f64() * 1e3;
            let started = Instant::now();
            let ds = Dataset::from_ipc(DatasetInput {
                events: Some(bytes),
                ..Default::default()
            });
            let took = started.elapsed().as_secs_f64() * 1e3;
            match ds {
                Ok(ds) => rows = ds.events.len(),
                Err(e) => {
                    eprintln!("ingest failed: {e}");
                    return;
                }
            }
            // The first run warms caches and the allocator.
            if run > 0 {
                copy.push(copied);
                ingest.push(took);
            }
        }
        println!(
            "{{\"case\":\"ingest\",\"host\":\"native\",\"events\":{rows},\"bytes\":{},\"copyMedianMs\":{:.3},\"ingestMedianMs\":{:.3}}}",
            ipc.len(),
            median(copy),
            median(ingest)
        );
    }
}
