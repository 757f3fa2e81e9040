//! Proposals load exactly when AWS would accept them. The refusals are
//! fixtures in tests/fixtures/load (snapshotted by load_diagnostics.rs);
//! the acceptances are here: every file in tests/fixtures/accept loads, and
//! its `# expect: FACT = VALUE` lines hold.

use crate::common;

use common::files_in;

#[test]
fn every_accepted_configuration_loads_with_the_facts_it_states() {
    let files = files_in("tests/fixtures/accept", ".arch.yaml");
    assert!(files.len() >= 15, "tests/fixtures/accept holds the acceptances: {files:?}");
    for path in files {
        let proposal = archpolicy::load_file(&path).unwrap_or_else(|f| panic!("{} does not load: {f}", path.display()));
        let facts = proposal.facts();
        let text = std::fs::read_to_string(&path).unwrap();
        let expectations: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
        assert!(!expectations.is_empty(), "{} states no `# expect:` line", path.display());
        for expectation in expectations {
            let (fact, value) = expectation.split_once(" = ").expect("`# expect: FACT = VALUE`");
            let found = facts.get(fact).unwrap_or_else(|| panic!("{}: no fact `{fact}`", path.display()));
            let shown = match &found.value {
                archpolicy::FactValue::Text(t) => format!("{t:?}"),
                other => other.to_string(),
            };
            assert_eq!(shown, value, "{}: `{fact}`", path.display());
        }
    }
}
