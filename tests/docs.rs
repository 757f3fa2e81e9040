//! Examples in docs/ are real: every YAML proposal in a doc loads, and the
//! model reference names every key of the format.

fn code_blocks(markdown: &str, language: &str) -> Vec<String> {
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

#[test]
fn every_proposal_in_the_docs_loads() {
    let mut checked = 0;
    let docs = std::fs::read_dir("docs").unwrap().map(|e| e.unwrap().path());
    for path in docs.chain([std::path::PathBuf::from("README.md")]) {
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, block) in code_blocks(&text, "yaml").into_iter().enumerate() {
            if !block.contains("pattern:") {
                continue; // a fragment, such as the modeline
            }
            let name = format!("{}#{i}", path.display());
            if let Err(failure) = archpolicy::load_str(&name, &block) {
                panic!("{name} does not load: {failure}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 3, "the model reference has examples");
}

#[test]
fn the_model_reference_names_every_key() {
    let reference = std::fs::read_to_string("docs/model.md").unwrap();
    let schema = archpolicy::schema::proposal_schema();
    let mut keys: Vec<String> = schema["properties"].as_object().unwrap().keys().cloned().collect();
    for def in schema["$defs"].as_object().unwrap().values() {
        if let Some(properties) = def["properties"].as_object() {
            keys.extend(properties.keys().cloned());
        }
    }
    for key in keys {
        assert!(
            reference.contains(&format!("`{key}")) || reference.contains(&format!(".{key}`")),
            "docs/model.md does not name `{key}`"
        );
    }
}
