//! One gate for reading, one writer (issue 22): every path an input names
//! is resolved by `walk::Gate` (inside the root, never under `.git`, a
//! regular file under its limit), and every file written goes through
//! `walk::write_file` (never through a symlink, never over a file without
//! `--force`). Each class of the attacker review is a test of its
//! mechanism; the property at the end tries random paths against the gate.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use archpolicy::lsp::{Encoding, Workspace};
use archpolicy::walk::{Existing, Gate, Reason, WriteErrorKind, write_file};
use common::{flat, policy_in, write};
use proptest::prelude::*;

const SECRET: &str = "SECRET-MARKER-7f3a9c";
const POLICY: &str = "policy p: deny {\n  require workload.peak_rps <= 100000\n}\n";

/// A repository in a temporary directory (it holds `.git/config`), a
/// directory beside it holding a secret, and the canonical paths of both.
struct Tree {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    outside: PathBuf,
}

fn tree() -> Tree {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let repo = base.join("repo");
    let outside = base.join("outside");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    write(&repo.join(".git"), "config", format!("[remote] url = {SECRET}\n"));
    write(&outside, "secret", format!("{SECRET}\n"));
    write(&outside, "secret.policy", format!("policy {SECRET}: deny {{ require false }}\n"));
    Tree { _dir: dir, repo, outside }
}

fn example_text() -> String {
    std::fs::read_to_string("examples/lambda_api_gateway.arch.yaml").unwrap()
}

/// The folder `dir/name`, made.
fn folder(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(&path).unwrap();
    path
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

fn err(o: &Output) -> String {
    flat(&String::from_utf8_lossy(&o.stderr))
}

fn no_secret(o: &Output) {
    let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(!all.contains(SECRET), "the secret was shown: {all}");
}

// ------------------------------------------------------------ the language server's workspace file

/// The workspace's set with `config` as its `.archpolicy.yaml`: the error.
fn workspace_error(t: &Tree, config: &str) -> String {
    write(&t.repo, ".archpolicy.yaml", config);
    let workspace = Workspace::new(Some(t.repo.clone()), Encoding::Utf16);
    let error = workspace.sources().map(|s| s.len()).expect_err(config);
    assert!(!error.contains(SECRET), "{error}");
    error
}

#[test]
fn the_workspace_file_names_nothing_outside_the_repository() {
    let t = tree();
    let repo = t.repo.display();
    let outside = |path: &str| {
        format!(
            "cannot read `{path}`: it is outside `{repo}`, the repository files are read from; name a file inside it"
        )
    };
    assert_eq!(
        workspace_error(&t, "policies: [../outside/secret.policy]\n"),
        outside(&format!("{repo}/../outside/secret.policy"))
    );
    assert_eq!(
        workspace_error(&t, "policies: [../../../../../../etc/passwd]\n"),
        outside(&format!("{repo}/../../../../../../etc/passwd"))
    );
    assert_eq!(workspace_error(&t, "policies: [/proc/self/environ]\n"), outside("/proc/self/environ"));
    assert_eq!(workspace_error(&t, "policies: [/etc/passwd]\n"), outside("/etc/passwd"));
    // The whole file system is not walked: `/` is refused before any listing.
    assert_eq!(workspace_error(&t, "policies: [/]\n"), outside("/"));
    assert_eq!(
        workspace_error(&t, "policies: [.git/config]\n"),
        format!(
            "cannot read `{repo}/.git/config`: it is inside `.git`, which is never read; name a file of the working tree"
        )
    );
}

#[test]
fn the_workspace_file_reads_no_device_pipe_or_link_out() {
    let t = tree();
    let repo = t.repo.display().to_string();
    symlink("/dev/zero", t.repo.join("zero.policy"));
    assert_eq!(
        workspace_error(&t, "policies: [zero.policy]\n"),
        format!(
            "cannot read `{repo}/zero.policy`: it is a symlink to a path outside `{repo}`; only files inside it are read or written"
        )
    );
    mkfifo(&t.repo.join("fifo.policy"));
    assert_eq!(
        workspace_error(&t, "policies: [fifo.policy]\n"),
        format!("cannot read `{repo}/fifo.policy`: it is a named pipe (FIFO), not a regular file")
    );
    symlink(t.outside.join("secret.policy"), t.repo.join("out.policy"));
    assert!(workspace_error(&t, "policies: [out.policy]\n").contains("it is a symlink to a path outside"));
    // A directory of policies with a link out: the walk refuses it too.
    std::fs::create_dir(t.repo.join("org")).unwrap();
    symlink(&t.outside, t.repo.join("org/elsewhere"));
    assert_eq!(
        workspace_error(&t, "policies: [org]\n"),
        format!(
            "cannot read `{repo}/org/elsewhere`: it is a symlink to a path outside `{repo}/org`; only files inside it are read or written"
        )
    );
}

#[test]
fn the_workspace_file_itself_is_read_through_the_gate() {
    type Make = Box<dyn Fn(&Path)>;
    let cases: [(Make, &str); 3] = [
        (
            Box::new(|p| symlink("/dev/zero", p)),
            "it is a symlink to a path outside `REPO`; only files inside it are read or written",
        ),
        (Box::new(mkfifo), "it is a named pipe (FIFO), not a regular file"),
        (Box::new(|p| std::fs::write(p, "#".repeat(70_000)).unwrap()), "it is 70000B, more than the 64KiB allowed"),
    ];
    for (make, expected) in cases {
        let t = tree();
        let path = t.repo.join(".archpolicy.yaml");
        make(&path);
        let workspace = Workspace::new(Some(t.repo.clone()), Encoding::Utf16);
        let error = workspace.sources().map(|s| s.len()).unwrap_err();
        let expected = expected.replace("REPO", &t.repo.display().to_string());
        assert_eq!(error, format!("cannot read `{}`: {expected}", path.display()));
    }
}

// ------------------------------------------------------------ paths on the command line

#[test]
fn a_directory_named_on_the_command_line_that_links_out_is_refused() {
    let t = tree();
    std::fs::create_dir(t.outside.join("services")).unwrap();
    write(&t.outside.join("services"), "a.arch.yaml", example_text());
    symlink(t.outside.join("services"), t.repo.join("services"));
    symlink(t.outside.join("secret"), t.repo.join("s.arch.yaml"));
    let repo = ".";
    for (args, path) in [
        (vec!["check", "services"], "services"),
        (vec!["facts", "services"], "services"),
        (vec!["check", "s.arch.yaml"], "s.arch.yaml"),
        (vec!["check", "--policies", "services", "s.arch.yaml"], "services"),
    ] {
        let o = policy_in(&t.repo, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        let expected = format!(
            "cannot read `{path}`: it is a symlink to a path outside `{repo}`; only files inside it are read or written"
        );
        assert!(err(&o).contains(&expected), "{args:?}: {}", err(&o));
        no_secret(&o);
    }
    // `..` out of the repository is the user's own path: the tree it names is its root.
    let o = policy_in(&t.repo, &["check", "../outside/services"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn a_walked_link_to_a_sibling_folder_outside_any_repository_is_read_as_found() {
    // Outside the current directory's repository and any other: the walk
    // follows a link inside the directory named, and the read agrees.
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(base.join("sub")).unwrap();
    std::fs::create_dir_all(base.join("other")).unwrap();
    write(&base.join("other"), "p.yaml", example_text());
    symlink("../other/p.yaml", base.join("sub/link.arch.yaml"));
    let named = base.display().to_string();
    let o = policy_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["check", &named, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.contains(&format!("{named}/other/p.yaml")), "{out}");
}

/// A symlink loop (or any file the walk cannot read) in a pull request is a
/// file not checked, in the report as on stderr, and the run fails; the
/// other proposals are checked all the same, so the loop hides no finding.
#[test]
fn a_symlink_loop_in_a_walked_folder_is_reported_and_hides_no_other_proposal() {
    let t = tree();
    let dir = folder(&t.repo, "services");
    write(&dir, "real.arch.yaml", example_text());
    symlink("a.arch.yaml", dir.join("b.arch.yaml"));
    symlink("b.arch.yaml", dir.join("a.arch.yaml"));
    let o = policy_in(&t.repo, &["check", "services", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON report");
    assert_eq!(report["proposals"][0]["file"], "services/real.arch.yaml", "{report}");
    let errors: Vec<&str> = report["errors"].as_array().unwrap().iter().map(|e| e["file"].as_str().unwrap()).collect();
    assert_eq!(errors, ["services/a.arch.yaml", "services/b.arch.yaml"]);
    let said = err(&o);
    assert!(said.contains("cannot read `services/a.arch.yaml`: too many levels of symbolic links"), "{said}");
    assert!(!said.contains("os error"), "{said}");
}

/// A walked file is read at the path the walk admitted, without resolving it
/// again: a link put in its place after the walk (to a file outside the
/// repository, into `.git`) is refused, never followed, and the refusal
/// quotes nothing of what it points to.
#[test]
fn a_walked_file_replaced_by_a_link_after_the_walk_is_refused() {
    let t = tree();
    let dir = folder(&t.repo, "services");
    write(&dir, "a.arch.yaml", example_text());
    write(&dir, "b.arch.yaml", example_text());
    let gate = Gate::at(&t.repo);
    let found =
        archpolicy::walk::find_in(&gate, std::slice::from_ref(&dir), &|name: &str| name.ends_with(".arch.yaml"));
    assert_eq!(found.files.len(), 2, "{found:?}");
    assert!(found.files.iter().all(|f| f.canonical().is_some()), "walked files are admitted: {found:?}");
    assert!(found.files.iter().all(|f| f.read(1 << 20).is_ok()));
    for (name, target) in [("a.arch.yaml", t.outside.join("secret")), ("b.arch.yaml", t.repo.join(".git/config"))] {
        std::fs::remove_file(dir.join(name)).unwrap();
        symlink(&target, dir.join(name));
    }
    for file in &found.files {
        let refused = file.read(1 << 20).expect_err("a link put in place after the walk");
        assert!(!refused.to_string().contains(SECRET), "{refused}");
        assert_eq!(refused.to_string(), "it was replaced by a symlink after it was found");
        let loaded = archpolicy::load::load_found(file).expect_err("not loaded");
        assert!(!loaded.to_string().contains(SECRET), "{loaded}");
    }
}

/// A directory named twice, or with a folder inside it, holds the files
/// the first path found: neither is "no proposals" (each file checked once).
#[test]
fn a_directory_named_twice_or_with_its_subfolder_is_not_empty() {
    let t = tree();
    write(&folder(&t.repo, "d/sub"), "a.arch.yaml", example_text());
    for args in [["d", "d"], ["d", "d/sub"], ["d/sub", "d"]] {
        let o = policy_in(&t.repo, &["check", args[0], args[1], "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err(&o));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON report");
        assert_eq!(report["proposals"].as_array().unwrap().len(), 1, "{args:?}: {report}");
    }
    // A folder with nothing wanted beside one that has it is still reported.
    std::fs::create_dir_all(t.repo.join("empty")).unwrap();
    let o = policy_in(&t.repo, &["check", "d", "empty"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("no proposals in `empty`"), "{}", err(&o));
}

#[test]
fn nothing_under_git_is_read_when_named() {
    let t = tree();
    for args in [vec!["check", ".git/config"], vec!["check", ".git"], vec!["list", "--policies", ".git/config"]] {
        let o = policy_in(&t.repo, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(
            err(&o).contains("it is inside `.git`, which is never read; name a file of the working tree"),
            "{}",
            err(&o)
        );
        no_secret(&o);
    }
}

#[test]
fn a_proposal_stands_on_no_file_under_git_or_outside() {
    let t = tree();
    let repo = ".";
    for (from, expected) in [
        (
            ".git/config",
            "cannot read `.git/config`: it is inside `.git`, which is never read; name a file of the working tree",
        ),
        (
            "../outside/secret",
            &*format!(
                "cannot read `../outside/secret`: it is outside `{repo}`, the repository files are read from; name a file inside it"
            ),
        ),
        (
            "/etc/passwd",
            "cannot read `/etc/passwd`: it is an absolute path; name it relative to the file that names it",
        ),
    ] {
        let text = format!("name: x\nenvironment: staging\nimport: {{ from: \"{from}\", select: Fn }}\n");
        write(&t.repo, "p.arch.yaml", text);
        let o = policy_in(&t.repo, &["check", "p.arch.yaml"]);
        assert_eq!(o.status.code(), Some(2), "{from}: {}", err(&o));
        assert!(err(&o).contains(expected), "{from}: {}", err(&o));
        no_secret(&o);
    }
    // The parameters file too.
    write(&t.repo, "t.yaml", "Resources: {}\n");
    write(&t.repo, "p.arch.yaml", "name: x\nimport: { from: t.yaml, select: Fn, parameters: .git/config }\n");
    let o = policy_in(&t.repo, &["check", "p.arch.yaml"]);
    assert!(err(&o).contains("cannot read `.git/config`: it is inside `.git`"), "{}", err(&o));
    no_secret(&o);
}

#[test]
fn a_test_proposal_is_read_through_the_gate() {
    let t = tree();
    let repo = ".";
    for (proposal, reason) in [
        (".git/config", "it is inside `.git`, which is never read; name a file of the working tree".to_string()),
        (
            "../outside/secret",
            format!("it is outside `{repo}`, the repository files are read from; name a file inside it"),
        ),
        ("/etc/passwd", "it is an absolute path; name it relative to the file that names it".to_string()),
    ] {
        let text = format!("{POLICY}\ntest \"t\" {{\n  proposal \"{proposal}\"\n  expect p: pass\n}}\n");
        write(&t.repo, "a.policy", text);
        let o = policy_in(&t.repo, &["test", "a.policy"]);
        assert_eq!(o.status.code(), Some(2), "{proposal}: {}", err(&o));
        assert!(err(&o).contains(&format!("cannot read the test's proposal `{proposal}`: {reason}")), "{}", err(&o));
        no_secret(&o);
    }
}

#[test]
fn a_price_table_is_read_through_the_gate() {
    let t = tree();
    symlink("/dev/zero", t.repo.join("prices.yaml"));
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/lambda_api_gateway.arch.yaml");
    write(&t.repo, "p.arch.yaml", std::fs::read(example).unwrap());
    let o = policy_in(&t.repo, &["cost", "p.arch.yaml", "--pricing", "prices.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let repo = ".";
    assert!(
        err(&o).contains(&format!("cannot read `prices.yaml`: it is a symlink to a path outside `{repo}`")),
        "{}",
        err(&o)
    );
}

// ------------------------------------------------------------ the one writer

#[test]
fn a_chart_never_replaces_a_file_without_force_nor_writes_through_a_link() {
    let t = tree();
    write(&t.repo, "p.arch.yaml", example_text());
    std::fs::create_dir(t.repo.join("out")).unwrap();
    symlink(t.outside.join("secret"), t.repo.join("out/link.svg"));
    write(&t.repo.join("out"), "old.svg", "old");
    for (args, path) in [
        (vec!["cost", "p.arch.yaml", "--chart", "out/link.svg"], "out/link.svg"),
        (vec!["cost", "p.arch.yaml", "--chart", "out/old.svg"], "out/old.svg"),
        (vec!["recommend", "needs.yaml", "--chart", "out/link.svg"], "out/link.svg"),
    ] {
        if args[0] == "recommend" {
            let needs = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenario_a_saas_api.needs.yaml");
            write(&t.repo, "needs.yaml", std::fs::read(needs).unwrap());
        }
        let o = policy_in(&t.repo, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains(&format!("`{path}` exists")), "{}", err(&o));
        assert!(err(&o).contains("help: pass `--force` to replace it, or name another path"), "{}", err(&o));
    }
    assert_eq!(std::fs::read_to_string(t.outside.join("secret")).unwrap(), format!("{SECRET}\n"));
    assert_eq!(std::fs::read_to_string(t.repo.join("out/old.svg")).unwrap(), "old");
    // With --force the link itself is replaced by the chart; what it named is untouched.
    let o = policy_in(&t.repo, &["cost", "p.arch.yaml", "--chart", "out/link.svg", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!t.repo.join("out/link.svg").symlink_metadata().unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(t.repo.join("out/link.svg")).unwrap().starts_with("<svg"));
    assert_eq!(std::fs::read_to_string(t.outside.join("secret")).unwrap(), format!("{SECRET}\n"));
}

#[test]
fn recommend_write_never_writes_through_a_link_in_the_output_folder() {
    let t = tree();
    let needs = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenario_a_saas_api.needs.yaml");
    write(&t.repo, "needs.yaml", std::fs::read(needs).unwrap());
    let o = policy_in(&t.repo, &["recommend", "needs.yaml", "--write", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let written = common::files_in(t.repo.join("out"), ".arch.yaml");
    let name = written[0].file_name().unwrap().to_string_lossy().to_string();
    // Again: the file exists.
    let o = policy_in(&t.repo, &["recommend", "needs.yaml", "--write", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains(&format!("`out/{name}` exists help: pass `--force` to replace it")), "{}", err(&o));
    // A link where the file goes: never followed, with or without --force.
    std::fs::remove_file(&written[0]).unwrap();
    symlink(t.outside.join("secret"), &written[0]);
    let o = policy_in(&t.repo, &["recommend", "needs.yaml", "--write", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains(&format!("`out/{name}` exists")), "{}", err(&o));
    let o = policy_in(&t.repo, &["recommend", "needs.yaml", "--write", "out", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(std::fs::read_to_string(&written[0]).unwrap().contains("pattern:"));
    assert_eq!(std::fs::read_to_string(t.outside.join("secret")).unwrap(), format!("{SECRET}\n"));
    // An output folder that is a link out of the repository is refused.
    symlink(&t.outside, t.repo.join("away"));
    let o = policy_in(&t.repo, &["recommend", "needs.yaml", "--write", "away/sub"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let repo = ".";
    assert!(
        err(&o).contains(&format!("cannot write `away/sub`: it is a symlink to a path outside `{repo}`")),
        "{}",
        err(&o)
    );
    assert!(!t.outside.join("sub").exists(), "no folder made outside");
}

#[test]
fn import_write_refuses_an_existing_skeleton_unless_forced() {
    let t = tree();
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/orders-template.yaml");
    write(&t.repo, "template.yaml", std::fs::read(template).unwrap());
    std::fs::create_dir(t.repo.join("out")).unwrap();
    symlink(t.outside.join("secret"), t.repo.join("out/orders-function.arch.yaml"));
    let o = policy_in(&t.repo, &["import", "template.yaml", "--write", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("`out/orders-function.arch.yaml` exists help: pass `--force`"), "{}", err(&o));
    let o = policy_in(&t.repo, &["import", "template.yaml", "--write", "out", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(t.outside.join("secret")).unwrap(), format!("{SECRET}\n"));
}

#[test]
fn fmt_rewrites_the_file_it_read_never_a_link_out_of_the_root() {
    let t = tree();
    let unformatted = "policy   p: deny {\nrequire workload.peak_rps <= 100000\n}\n";
    std::fs::create_dir(t.repo.join("real")).unwrap();
    write(&t.repo.join("real"), "a.policy", unformatted);
    symlink("real/a.policy", t.repo.join("real-link.policy"));
    let o = policy_in(&t.repo, &["fmt", "real-link.policy"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // The file it named is formatted; the link stays a link.
    assert_eq!(std::fs::read_to_string(t.repo.join("real/a.policy")).unwrap(), POLICY);
    assert!(t.repo.join("real-link.policy").symlink_metadata().unwrap().file_type().is_symlink());
    // A link out of the repository is neither read nor written.
    write(&t.outside, "b.policy", unformatted);
    symlink(t.outside.join("b.policy"), t.repo.join("out.policy"));
    let o = policy_in(&t.repo, &["fmt", "out.policy"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("cannot read `out.policy`: it is a symlink to a path outside"), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(t.outside.join("b.policy")).unwrap(), unformatted);
}

#[test]
fn the_writer_states_what_is_wrong() {
    let t = tree();
    let at = |p: &str| t.repo.join(p);
    write(&t.repo, "old", "old");
    let exists = write_file(&at("old"), b"new", Existing::Keep).unwrap_err();
    assert_eq!(exists.kind, WriteErrorKind::Exists);
    assert_eq!(exists.to_string(), format!("`{}` exists", at("old").display()));
    assert_eq!(std::fs::read_to_string(at("old")).unwrap(), "old");
    write_file(&at("old"), b"new", Existing::Replace).unwrap();
    assert_eq!(std::fs::read_to_string(at("old")).unwrap(), "new");
    let under_git = write_file(&at(".git/hooks-x"), b"x", Existing::Keep).unwrap_err();
    assert_eq!(under_git.kind, WriteErrorKind::Refused(Reason::UnderGit));
    let dir = write_file(&at(".git"), b"x", Existing::Replace).unwrap_err();
    assert!(matches!(dir.kind, WriteErrorKind::Refused(_)), "{dir}");
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(&t.repo).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")), "{left:?}");
}

// ------------------------------------------------------------ the property

/// A tree for the property: a repository with files, links in and out,
/// a FIFO, a link to a device and `.git`; a secret beside it.
fn hostile_tree() -> Tree {
    let t = tree();
    let r = &t.repo;
    std::fs::create_dir_all(r.join("sub/deeper")).unwrap();
    write(r, "a.policy", POLICY);
    write(&r.join("sub"), "b.arch.yaml", "name: b\n");
    symlink(&t.outside, r.join("out"));
    symlink(t.outside.join("secret"), r.join("secret-link"));
    symlink("../..", r.join("sub/up"));
    symlink(".", r.join("loop"));
    symlink("/dev/zero", r.join("zero"));
    symlink(".git/config", r.join("git-link"));
    symlink("missing", r.join("broken"));
    mkfifo(&r.join("fifo"));
    t
}

fn segment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        ".",
        "..",
        "sub",
        "deeper",
        "out",
        "secret",
        "secret-link",
        "up",
        "loop",
        "zero",
        "fifo",
        ".git",
        "config",
        "git-link",
        "broken",
        "a.policy",
        "b.arch.yaml",
        "repo",
        "outside",
        "dev",
        "etc",
        "passwd",
        "proc",
    ])
    .prop_map(str::to_string)
}

/// A path: relative to the repository, or absolute from `/` or from the tree's base.
fn path() -> impl Strategy<Value = (u8, Vec<String>)> {
    (0u8..3, prop::collection::vec(segment(), 0..7))
}

proptest! {
    #![proptest_config(common::proptest_config(64))]

    #[test]
    fn the_gate_never_opens_a_path_outside_its_root((start, segments) in path()) {
        use std::sync::OnceLock;
        static TREE: OnceLock<(PathBuf, PathBuf, PathBuf)> = OnceLock::new();
        let (repo, outside, base) = TREE.get_or_init(|| {
            let t = hostile_tree();
            let paths = (t.repo.clone(), t.outside.clone(), t.repo.parent().unwrap().to_path_buf());
            std::mem::forget(t);
            paths
        });
        let _ = outside;
        let mut path = match start {
            0 => repo.clone(),
            1 => PathBuf::from("/"),
            _ => base.clone(),
        };
        path.extend(&segments);
        let gate = Gate::at(repo);
        match gate.resolve(&path) {
            Ok(real) => {
                prop_assert!(real.starts_with(repo), "{} resolved to {}", path.display(), real.display());
                prop_assert_eq!(real.canonicalize().ok(), Some(real.clone()));
                let inside = real.strip_prefix(repo).unwrap();
                prop_assert!(inside.components().all(|c| c.as_os_str() != ".git"), "{}", real.display());
            }
            Err(reason) => prop_assert!(!reason.to_string().contains(SECRET)),
        }
        match gate.read(&path, 1024) {
            Ok(bytes) => prop_assert!(!String::from_utf8_lossy(&bytes).contains(SECRET), "{} read the secret", path.display()),
            Err(reason) => prop_assert!(!reason.to_string().contains(SECRET)),
        }
        // Named in a file (relative to the repository): absolute names are refused outright.
        let named = segments.join("/");
        if let Ok(real) = gate.resolve_relative(repo, &named) {
            prop_assert!(real.starts_with(repo) && !named.starts_with('/'));
        }
        // A walk from the path finds only files whose own resolution stays inside.
        let found = archpolicy::walk::find_in(&gate, &[path.clone()], &|_| true);
        for found in &found.files {
            let file = found.path();
            let real = gate.resolve(file);
            prop_assert!(real.as_ref().is_ok_and(|r| r.starts_with(repo)), "{} found", file.display());
            prop_assert!(Gate::for_named(file).resolve(file).is_ok(), "{} found but not readable by its own gate", file.display());
            // A walked file is read at the path the walk admitted, without
            // resolving it again: that path is the one resolving finds, and
            // reading it gives what the gate's read gives.
            if let Some(admitted) = found.canonical() {
                prop_assert_eq!(Some(admitted), real.as_deref().ok(), "{} admitted as another path", file.display());
            }
            prop_assert_eq!(found.read(1024), Gate::for_named(file).read(file, 1024), "{}", file.display());
        }
        for refusal in &found.refusals {
            prop_assert!(!refusal.reason.to_string().contains(SECRET));
        }
    }
}
