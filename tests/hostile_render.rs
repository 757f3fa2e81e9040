//! Hostile inputs against what `policy` writes (issue 14): no panic on long
//! lines, no control character reaching a terminal or a CI log, valid SARIF
//! and JUnit whatever the names, load errors in every format, and exit 2
//! whenever a report could not be written whole.

mod common;

use std::process::Stdio;

use common::*;

/// Every command that writes a report to stdout, with arguments that make it write one.
fn reporting_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["check", "examples/fargate_alb.arch.yaml"],
        vec!["facts", "examples/fargate_alb.arch.yaml"],
        vec!["facts", "--format", "json", "examples/fargate_alb.arch.yaml"],
        vec!["cost", "examples/fargate_alb.arch.yaml"],
        vec!["cost", "--format", "json", "examples/fargate_alb.arch.yaml"],
        vec!["list"],
        vec!["schema"],
        vec!["schema", "--facts-markdown"],
        vec!["explain", "gateway-sync-limit"],
        vec!["test", "policies"],
    ]
}

#[test]
fn every_command_exits_2_when_stdout_is_full() {
    for args in reporting_commands() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = policy_command().args(&args).stdout(full).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "`policy {}` into /dev/full: {}", args.join(" "), stderr(&out));
        assert!(stderr(&out).contains("cannot write the report"), "`policy {}`: {}", args.join(" "), stderr(&out));
    }
}

#[test]
fn every_command_exits_2_quietly_when_stdout_is_closed() {
    for args in reporting_commands() {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = policy_command().args(&args).stdout(writer).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "`policy {}` into a closed pipe", args.join(" "));
        assert_eq!(raw_stderr(&out), "", "`policy {}`: the reader chose to stop, no message", args.join(" "));
    }
}
