//! The lower bounds for `policy check`: reading and parsing the same YAML
//! files on every core, and nothing else, two ways:
//!
//! - `value` (the default): into a generic YAML value with serde-saphyr, as a
//!   program that only reads the files would;
//! - `events`: granit-parser's event stream (the parser under serde-saphyr,
//!   and the one `policy` builds its tree from), drained and dropped: the
//!   parser's own floor, with no document built at all.
//!
//! cargo run --release --example bench-parse -- bench/data/proposals [value|events]

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "bench/data/proposals".into());
    let events = match args.next().as_deref() {
        None | Some("value") => false,
        Some("events") => true,
        Some(other) => {
            eprintln!("unknown mode `{other}`: use `value` or `events`");
            std::process::exit(2);
        }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(workers).max(1);
    let parsed: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().filter(|f| parse(f, events)).count()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    println!("parsed {parsed} of {} files", files.len());
}

fn parse(file: &std::path::Path, events: bool) -> bool {
    let text = std::fs::read_to_string(file).unwrap();
    if events {
        granit_parser::Parser::new_from_str(&text).all(|event| event.is_ok())
    } else {
        serde_saphyr::from_str::<serde_json::Value>(&text).is_ok()
    }
}

// The same allocator as `policy`, so they differ only in what they do.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
