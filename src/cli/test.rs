//! `policy test`: run the `test` blocks of policy files, as `cargo test` does.

use std::path::PathBuf;

use crate::PolicySet;
use crate::policy::RunOptions;
use crate::units::Date;

use crate::untrusted::Untrusted;

use super::output::{Exit, print_located, print_stdout};

pub fn run(paths: &[PathBuf], today: Option<Date>) -> Exit {
    let paths = if paths.is_empty() { vec![PathBuf::from("policies")] } else { paths.to_vec() };
    let set = match PolicySet::from_paths(&paths) {
        Ok(set) => set,
        Err(failure) => {
            for located in failure.errors.iter() {
                print_located(located);
            }
            return Exit::Error;
        }
    };
    let mut options = RunOptions::standard();
    if let Some(today) = today {
        options.today = today;
    }
    let (results, errors) = set.run_tests_with(&options);
    for error in &errors {
        print_located(error);
    }
    let mut out = format!("\nrunning {} tests\n", set.tests().len());
    for r in &results {
        let name = Untrusted::new(r.name.to_string());
        out.push_str(&format!("test {} ... {}\n", name.terminal(), if r.passed() { "ok" } else { "FAILED" }));
    }
    let failed: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
    if !failed.is_empty() {
        out.push_str("\nfailures:\n");
        for r in &failed {
            let (name, location) = (Untrusted::new(r.name.to_string()), Untrusted::new(r.location.to_string()));
            out.push_str(&format!("\n---- {} ({}) ----\n", name.terminal(), location.terminal()));
            for f in &r.failures {
                out.push_str(&format!("  {}\n", Untrusted::new(f.to_string()).terminal()));
            }
        }
    }
    let passed = results.len() - failed.len();
    let status = if failed.is_empty() && errors.is_empty() { "ok" } else { "FAILED" };
    out.push_str(&format!("\ntest result: {status}. {passed} passed; {} failed\n", failed.len() + errors.len()));
    let written = print_stdout(&out);
    if !errors.is_empty() {
        Exit::Error
    } else if written != Exit::Ok {
        written
    } else if !failed.is_empty() {
        Exit::Findings
    } else {
        Exit::Ok
    }
}
