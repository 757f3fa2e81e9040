//! What importing a template costs in the library: reading it and
//! classifying its services (`archpolicy::import::import_str`, what
//! `policy import FILE` does), then translating every service it finds to
//! the proposal keys it decides (what a proposal standing on it adds),
//! parameters at their defaults. The file is read once, and the work run
//! three times, before timing.
//!
//! Given a directory, every template in it (and below it) is timed:
//! `.yaml`, `.yml`, `.json` and `.template` files, not Terraform's `.tf`.
//! The largest is the headline figure; the largest that holds a service
//! and the slowest are shown too.
//!
//! `cargo run --release --example bench-import -- [RUNS] DIR|FILE...`
//! (bench/import.sh runs it on ../shared/iac-corpus, read in place);
//! docs/performance.md records the figures.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use archpolicy::import::resolve::{Parameters, Resolver};
use archpolicy::import::{import_str, translate};

/// One file's figures.
struct Timed {
    file: PathBuf,
    bytes: usize,
    services: usize,
    best: Duration,
    median: Duration,
    mean: Duration,
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let runs = match args.first().and_then(|a| a.parse::<usize>().ok()) {
        Some(runs) => {
            args.remove(0);
            runs.max(1)
        }
        None => 1000,
    };
    if args.is_empty() {
        eprintln!("usage: bench-import [RUNS] DIR|FILE...");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for arg in &args {
        templates(Path::new(arg), &mut files);
    }
    if files.is_empty() {
        eprintln!("no template (.yaml, .yml, .json, .template) in {}", args.join(" "));
        std::process::exit(2);
    }
    let timed: Vec<Timed> = files.iter().map(|f| time(f, runs)).collect();
    let largest = timed.iter().max_by_key(|t| t.bytes).unwrap();
    println!(
        "{runs} runs each of import_str (parse + classify) + translate of every service, release build, system allocator"
    );
    show("largest template", largest);
    if let Some(with) = timed.iter().filter(|t| t.services > 0).max_by_key(|t| t.bytes) {
        show("largest with a service", with);
    }
    show("slowest (median)", timed.iter().max_by_key(|t| t.median).unwrap());
    let total: Duration = timed.iter().map(|t| t.median).sum();
    println!("all {} templates, sum of medians: {:.3} ms", timed.len(), ms(total));
}

/// The templates under `path`, sorted, or `path` itself when it is a file.
fn templates(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            templates(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json" | "template"))
        {
            out.push(p);
        }
    }
}

fn time(file: &Path, runs: usize) -> Timed {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    // As `policy import` reads a file: a stray byte that is not UTF-8 is shown, not fatal.
    let text = String::from_utf8_lossy(&bytes);
    let name = file.display().to_string();
    let parameters = Parameters { values: Default::default(), use_defaults: true };
    let once = || match import_str(&name, &text) {
        Ok(imported) => {
            let resolver = Resolver::new(imported.template(), &parameters);
            for service in &imported.classification().services {
                std::hint::black_box(translate::translate(imported.template(), service, &resolver).is_ok());
            }
            imported.classification().services.len()
        }
        Err(_) => 0,
    };
    // Warm up (first touches of the allocator's pages), untimed.
    once();
    once();
    let services = once();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(once());
            start.elapsed()
        })
        .collect();
    times.sort();
    let mean = times.iter().sum::<Duration>() / u32::try_from(runs).unwrap_or(u32::MAX);
    Timed { file: file.to_path_buf(), bytes: bytes.len(), services, best: times[0], median: times[runs / 2], mean }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn show(what: &str, t: &Timed) {
    println!(
        "{what}: {} ({} bytes, {} service{})\n  best {:.3} ms  median {:.3} ms  mean {:.3} ms",
        t.file.display(),
        t.bytes,
        t.services,
        if t.services == 1 { "" } else { "s" },
        ms(t.best),
        ms(t.median),
        ms(t.mean)
    );
}
