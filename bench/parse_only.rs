//! The lower bound for `policy check`: reading and parsing the same YAML
//! files into a generic value with the same parser (serde-saphyr), on every
//! core, and nothing else.
//!
//! cargo run --release --example bench-parse -- bench/data/proposals

use std::path::PathBuf;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "bench/data/proposals".into());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(workers).max(1);
    let parsed: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(|| {
                    part.iter()
                        .filter(|f| {
                            let text = std::fs::read_to_string(f).unwrap();
                            serde_saphyr::from_str::<serde_json::Value>(&text).is_ok()
                        })
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    println!("parsed {parsed} of {} files", files.len());
}

// The same allocator as `policy`, so the two differ only in what they do.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
