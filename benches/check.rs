//! Criterion benchmarks of the pipeline's stages: parsing and checking the
//! standard pack, loading a proposal, deriving facts, evaluating, rendering.
//! `cargo bench --bench check`; docs/performance.md records the figures.

use std::hint::black_box;

use archpolicy::PolicySet;
use archpolicy::report::human::{Style, render_report};
use criterion::{Criterion, criterion_group, criterion_main};

fn standard_sources() -> Vec<archpolicy::SourceFile> {
    archpolicy::policy::STANDARD_PACK.iter().map(|(name, text)| archpolicy::SourceFile::new(*name, *text)).collect()
}

fn benches(c: &mut Criterion) {
    let proposal_text = std::fs::read_to_string("examples/fargate_api_gateway.arch.yaml").unwrap();
    let failing_text = std::fs::read_to_string("examples/scenario_b_image_processing.arch.yaml").unwrap();

    c.bench_function("parse standard pack", |b| {
        b.iter(|| {
            for (_, text) in archpolicy::policy::STANDARD_PACK {
                black_box(archpolicy::policy::parse(text).unwrap());
            }
        })
    });
    c.bench_function("parse + check standard pack", |b| {
        b.iter(|| black_box(PolicySet::from_sources(standard_sources()).unwrap()))
    });
    c.bench_function("load proposal", |b| {
        b.iter(|| black_box(archpolicy::load_str("p.arch.yaml", &proposal_text).unwrap()))
    });
    let proposal = archpolicy::load_str("p.arch.yaml", &proposal_text).unwrap();
    c.bench_function("derive facts", |b| b.iter(|| black_box(proposal.facts())));
    let set = PolicySet::standard().unwrap();
    c.bench_function("evaluate standard pack on one proposal", |b| b.iter(|| black_box(set.check(&proposal))));
    c.bench_function("load + check one proposal", |b| {
        b.iter(|| {
            let p = archpolicy::load_str("p.arch.yaml", &proposal_text).unwrap();
            black_box(set.check(&p))
        })
    });
    let failing = archpolicy::load_str("b.arch.yaml", &failing_text).unwrap();
    let report = set.check_all([&failing]);
    c.bench_function("render human report (1 finding)", |b| b.iter(|| black_box(render_report(&report, Style::PLAIN))));
    c.bench_function("render json report", |b| b.iter(|| black_box(archpolicy::report::json::render(&report))));
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
