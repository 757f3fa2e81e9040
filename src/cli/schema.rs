//! `policy schema`: the JSON Schema of proposals, or the fact reference.

use super::output::{Exit, print_stdout};

pub fn run(facts_markdown: bool) -> Exit {
    if facts_markdown {
        print_stdout(&crate::facts::doc::markdown())
    } else {
        let schema = crate::json_schema::proposal_schema();
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        print_stdout(&format!("{text}\n"))
    }
}
