//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs the `policy` binary.
pub fn policy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policy")).args(args).env_remove("NO_COLOR").output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error with whitespace collapsed, so wrapped lines still match.
pub fn stderr(o: &Output) -> String {
    flat(&String::from_utf8_lossy(&o.stderr))
}

pub fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bodies of the fenced code blocks of `language` in a Markdown text.
pub fn code_blocks(markdown: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_end() == fence => current = Some(String::new()),
            Some(block) if line.trim_end() == "```" => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}
