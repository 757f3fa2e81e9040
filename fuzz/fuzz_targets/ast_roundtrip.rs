#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|file: harness::generate::GeneratedFile| harness::ast_roundtrip(&file.0));
