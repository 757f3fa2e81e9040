#![no_main]

#[path = "../import_harness.rs"]
mod import_harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| import_harness::import_template(data));
