//! The integration tests, one binary (issue 29): one module per former test
//! file, so `cargo test` links once. docs/testing.md lists every file here
//! (`every_test_file_is_listed_in_the_testing_doc` checks it). Run one with
//! `cargo test --test it NAME::`.

// Helpers the modules share; not tests.
mod ast_strategies;
mod common;
mod strategies;

mod architecture;
mod chart_layout;
mod ci_action;
mod ci_docs;
mod cli;
mod cli_check;
mod cli_cost;
mod cli_test;
mod compat;
mod cost;
mod docs;
mod editors_neovim;
mod editors_vscode;
mod examples;
mod fargate_queue_worker;
mod fidelity;
mod fmt;
mod fuzz_replay;
mod gate;
mod grammar;
mod hostile;
mod hostile_input;
mod hostile_render;
mod hostile_render_properties;
mod import_budget;
mod import_corpus;
mod import_graph;
mod import_proposals;
mod import_queue_worker;
mod import_fargate_queue_worker;
mod import_references;
mod import_round_trip;
mod import_terraform;
mod language_promises;
mod language_properties;
mod load_diagnostics;
mod lsp;
mod model_properties;
mod policy_analysis;
mod policy_diagnostics;
mod pre_commit_hooks;
mod queue_worker;
mod recommend;
mod report_formats;
mod sam_translator;
mod standard_pack;
mod wasm_binding;
mod workload_bounds;
