//! `policy import` on real templates by other authors, read in place from
//! ../shared/iac-corpus (never copied into this repository). CI has
//! ../shared beside its clone: a missing corpus fails, it is never skipped.

use crate::common;

use std::path::PathBuf;

use archpolicy::import::import_file;
use archpolicy::model::{NamedEnum, Pattern};
use archpolicy::untrusted::Untrusted;

/// Each file of the corpus with its group (P1, P2, P3, near-miss), from
/// MANIFEST.tsv, laid out as in its repository (so that local includes are
/// found), with the file's corpus name.
fn corpus() -> (tempfile::TempDir, Vec<(String, String, PathBuf)>) {
    let (dir, rows) = common::corpus_tree();
    let files = rows
        .into_iter()
        .map(|(row, at)| (row.group, row.path.file_name().unwrap().to_string_lossy().to_string(), at))
        .collect();
    (dir, files)
}

fn expected(group: &str) -> Option<Pattern> {
    match group {
        "P1" => Some(Pattern::LambdaApiGateway),
        "P2" => Some(Pattern::FargateAlb),
        "P3" => Some(Pattern::FargateApiGateway),
        _ => None,
    }
}

#[test]
fn every_corpus_template_imports_to_its_group_or_says_why_not() {
    let mut table = String::new();
    let (dir, files) = corpus();
    // The fresh folder's name changes from run to run; the repositories' paths below it do not.
    let tree = format!("{}/", dir.path().display());
    for (group, name, path) in files {
        let line = match import_file(&path) {
            Ok(imported) => {
                let f = &imported.classification();
                for service in f.services.iter().filter(|s| !websocket(&imported, s)) {
                    assert_eq!(Some(service.pattern), expected(&group), "{name}: {}", service.describe());
                }
                assert!(
                    !f.services.is_empty() || !f.not_a_pattern.is_empty(),
                    "{name}: neither a service nor a reason"
                );
                let services: Vec<String> =
                    f.services.iter().map(|s| format!("{} {}", s.pattern.name(), s.select.raw())).collect();
                let reasons = f.not_a_pattern.iter().map(Untrusted::raw).collect::<Vec<_>>().join(" | ");
                format!("{group}\t{name}\t{}\t{reasons}", services.join(", "))
            }
            Err(failure) => {
                let reason = failure.errors()[0].to_string().replace(&tree, "");
                assert!(!reason.is_empty(), "{name}: refused without a reason");
                format!("{group}\t{name}\trefused\t{reason}")
            }
        };
        table.push_str(&line);
        table.push('\n');
    }
    insta::assert_snapshot!(table);
}

/// A Lambda function behind a WebSocket API: the corpus lists it as a
/// near miss of P1 (written when WebSocket APIs were not imported); it is
/// now the WebSocket form of `lambda_api_gateway` (`gateway.api: websocket`).
fn websocket(imported: &archpolicy::import::Imported, service: &archpolicy::import::ImportedService) -> bool {
    let api = service.resources.first().and_then(|id| imported.template().resources.get(id.raw()));
    service.pattern == Pattern::LambdaApiGateway
        && api.is_some_and(|a| a.text("ProtocolType").is_some_and(|p| p.eq_ignore_ascii_case("WEBSOCKET")))
}

#[test]
fn a_near_miss_is_never_a_pattern() {
    let (_dir, files) = corpus();
    for (group, _, path) in files.into_iter().filter(|(g, _, _)| g == "near-miss") {
        if let Ok(imported) = import_file(&path) {
            let services: Vec<String> = imported
                .classification()
                .services
                .iter()
                .filter(|s| !websocket(&imported, s))
                .map(|s| s.describe())
                .collect();
            assert!(services.is_empty(), "{group} {}: {services:?}", path.display());
        }
    }
}
