//! What the import tests of one pattern each share (import_queue_worker,
//! import_fargate_queue_worker): the reference templates, a template
//! imported or the test fails with its error, the services and reasons it
//! holds, and where a fact of a written skeleton comes from.

use std::path::{Path, PathBuf};

use archpolicy::import::{Imported, import_file};
use archpolicy::model::Pattern;

/// A template of tests/fixtures/import/references.
pub fn reference(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/references").join(name)
}

/// `path` imported; the test fails with the first error otherwise.
pub fn imported(path: &Path) -> Imported {
    import_file(path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.errors()[0]))
}

/// Each service found: its pattern and the resource a proposal selects.
pub fn services(i: &Imported) -> Vec<(Pattern, &str)> {
    i.classification().services.iter().map(|s| (s.pattern, s.select.raw())).collect()
}

/// Why the rest of the template is no pattern, one reason a line.
pub fn reasons(i: &Imported) -> String {
    i.classification().not_a_pattern.iter().map(|u| u.raw()).collect::<Vec<_>>().join("\n")
}

/// Where a fact's value comes from, as `policy facts` says it, from
/// `tests/fixtures/` on (so it reads the same on every machine).
pub fn from(p: &archpolicy::Proposal, path: &str) -> String {
    let said = p.facts().get(path).unwrap_or_else(|| panic!("no fact `{path}`")).describe_provenance(p.source());
    match said.find("tests/fixtures/") {
        Some(at) => said[at..].to_string(),
        None => said,
    }
}
