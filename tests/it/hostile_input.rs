//! Hostile pull requests (issue 14): directory walks, file types, names,
//! empty policy sets, test proposals out of their tree and echoed file text.
//! Every run has a deadline: a hang fails the test instead of the suite.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{flat, policy_in, write};

const EXAMPLE: &str = "examples/lambda_api_gateway.arch.yaml";
const POLICY: &str = "policy p: deny {\n  require workload.peak_rps <= 100000\n}\n";

fn run(args: &[&str]) -> Output {
    policy_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn err(out: &Output) -> String {
    flat(&String::from_utf8_lossy(&out.stderr))
}

fn out(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn example_text() -> String {
    std::fs::read_to_string(EXAMPLE).unwrap()
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

// ------------------------------------------------------------ 3. symlink loops

#[test]
fn two_links_to_the_directory_itself_end_the_walk_and_check_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.arch.yaml", example_text());
    symlink(".", dir.path().join("loop1"));
    symlink(".", dir.path().join("loop2"));
    let o = policy_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o).matches("\"file\"").count(), 1, "{}", out(&o));
}

#[test]
fn a_link_to_a_parent_directory_checks_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    write(&dir.path().join("sub"), "a.arch.yaml", example_text());
    symlink("..", dir.path().join("sub/up"));
    let o = policy_in(dir.path(), &["facts", ".", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // One file found: one object, not an array of the same file twice.
    let value: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert!(value.is_object(), "{}", out(&o));
}

#[test]
fn policy_fmt_and_test_walks_do_not_loop() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.policy", POLICY);
    symlink(".", dir.path().join("loop1"));
    symlink(".", dir.path().join("loop2"));
    let o = policy_in(dir.path(), &["list", "--policies", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o).lines().filter(|l| l.starts_with("p ")).count(), 1);
    let o = policy_in(dir.path(), &["fmt", "--check", "."]);
    assert!(o.status.code() == Some(0) || o.status.code() == Some(1), "{}", err(&o));
    assert!(out(&o).matches("a.policy").count() <= 1, "{}", out(&o));
}

// ------------------------------------------------------------ 4. non-regular files and size

#[test]
fn pricing_from_dev_zero_is_refused_without_reading_it() {
    let o = run(&["cost", EXAMPLE, "--pricing", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("cannot read `/dev/zero`: it is a device, not a regular file"), "{}", err(&o));
}

#[test]
fn fifos_given_or_found_are_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("p.arch.yaml"));
    mkfifo(&dir.path().join("q.policy"));
    mkfifo(&dir.path().join("prices.yaml"));
    let refused = "it is a named pipe (FIFO), not a regular file";
    for args in [
        vec!["check", "."],
        vec!["check", "p.arch.yaml"],
        vec!["facts", "."],
        vec!["list", "--policies", "."],
        vec!["list", "--policies", "q.policy"],
        vec!["fmt", "--check", "."],
        vec!["cost", "--pricing", "prices.yaml", Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE).to_str().unwrap()],
    ] {
        let o = policy_in(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains(refused), "{args:?}: {}", err(&o));
    }
}

#[test]
fn a_large_price_table_is_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "prices.yaml", format!("# {}\n", "x".repeat(2 * 1024 * 1024)));
    let o = run(&["cost", EXAMPLE, "--pricing", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("more than the 1MiB allowed"), "{}", err(&o));
}

// ------------------------------------------------------------ 5. names that are not UTF-8

#[test]
fn a_proposal_or_policy_whose_name_is_not_utf8_is_reported_not_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.arch.yaml", example_text());
    let name = std::ffi::OsStr::from_bytes(b"b\xff.arch.yaml");
    std::fs::write(dir.path().join(name), example_text()).unwrap();
    let o = policy_in(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("its path is not UTF-8; rename it"), "{}", err(&o));

    let policies = tempfile::tempdir().unwrap();
    write(policies.path(), "a.policy", POLICY);
    let name = std::ffi::OsStr::from_bytes(b"deny\xff.policy");
    std::fs::write(policies.path().join(name), "policy q: deny { require false }\n").unwrap();
    let o = run(&["check", EXAMPLE, "--policies", policies.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("its path is not UTF-8; rename it"), "{}", err(&o));
}

// ------------------------------------------------------------ 6. empty policy sets

#[test]
fn an_empty_policy_set_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.policy", "");
    let comments = write(dir.path(), "comments.policy", "# nothing here\n\n");
    for path in ["/dev/null", empty.as_str(), comments.as_str()] {
        let o = run(&["check", EXAMPLE, "--policies", path]);
        assert_eq!(o.status.code(), Some(2), "{path}: {}", err(&o));
        assert!(err(&o).contains("no policies in") || err(&o).contains("not a regular file"), "{path}: {}", err(&o));
    }
}

// ------------------------------------------------------------ 7. hidden files

#[test]
fn hidden_files_are_skipped_in_walks_but_checked_when_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".hidden.arch.yaml", "not: a proposal\n");
    write(dir.path(), "a.arch.yaml", example_text());
    let o = policy_in(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = policy_in(dir.path(), &["check", ".hidden.arch.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let help = out(&run(&["check", "--help"]));
    assert!(flat(&help).contains("hidden files and directories"), "{help}");
}

// ------------------------------------------------------------ 11. leaks

#[test]
fn a_test_proposal_outside_the_policy_files_tree_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let secret = write(dir.path(), "secret.txt", "SECRET-TOKEN-1234\n");
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    symlink(&secret, tree.join("link.arch.yaml"));
    let outside = "it is outside `.`, the directory files are read from; name a file inside it";
    for (proposal, reason) in [
        ("../secret.txt", outside),
        ("../../../../../../etc/passwd", outside),
        (secret.as_str(), "it is an absolute path; name it relative to the file that names it"),
        ("link.arch.yaml", "it is a symlink to a path outside `.`; only files inside it are read or written"),
    ] {
        let text = format!("{POLICY}\ntest \"t\" {{\n  proposal \"{proposal}\"\n  expect p: pass\n}}\n");
        write(&tree, "a.policy", text);
        let o = policy_in(&tree, &["test", "a.policy"]);
        assert_eq!(o.status.code(), Some(2), "{proposal}: {}", err(&o));
        let expected = format!("cannot read the test's proposal `{proposal}`: {reason}");
        assert!(flat(&err(&o).replace(" │ ", " ")).contains(&expected), "{proposal}: {}", err(&o));
        assert!(!err(&o).contains("SECRET-TOKEN") && !err(&o).contains("root:"), "{}", err(&o));
    }
}

#[test]
fn a_symlink_out_of_the_walked_directory_is_refused_and_its_text_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = write(dir.path(), "token", "SECRET-TOKEN-1234567890-abcdefghijklmnopqrstuvwxyz\n");
    let tree = dir.path().join("repo");
    std::fs::create_dir(&tree).unwrap();
    symlink(&secret, tree.join("x.arch.yaml"));
    let o = policy_in(&tree, &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("symlink to a path outside"), "{}", err(&o));
    assert!(!err(&o).contains("SECRET"), "{}", err(&o));
}

#[test]
fn a_file_that_is_not_a_proposal_is_echoed_as_a_short_escaped_excerpt() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("\u{1b}[31m{}", "A".repeat(200));
    let path = write(dir.path(), "x.arch.yaml", format!("\"{}\"\n", long.replace('\u{1b}', "\\e")));
    let o = run(&["check", &path]);
    assert_eq!(o.status.code(), Some(2));
    let message = err(&o);
    let line = message.split("found the text").nth(1).unwrap_or_default().split('╭').next().unwrap_or_default();
    assert!(line.contains("\\u{1b}") && line.contains('…'), "{message}");
    assert!(!line.contains(&"A".repeat(60)), "{message}");
}

// ------------------------------------------------------------ also

#[test]
fn the_empty_proposal_message_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "e.arch.yaml", "# nothing\n");
    let o = run(&["check", &path]);
    assert!(err(&o).contains(&format!("`{path}` is empty")), "{}", err(&o));
}

#[test]
fn a_policy_file_may_start_with_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bom.policy", format!("\u{feff}{POLICY}"));
    let o = run(&["check", EXAMPLE, "--policies", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}

#[test]
fn every_unreadable_policy_file_of_a_directory_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("a.policy"));
    mkfifo(&dir.path().join("b.policy"));
    write(dir.path(), "c.policy", POLICY);
    let o = run(&["list", "--policies", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("a.policy`") && err(&o).contains("b.policy`"), "{}", err(&o));
}

#[test]
fn limit_messages_state_the_real_limit() {
    let dir = tempfile::tempdir().unwrap();
    let list = (0..300).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    let path =
        write(dir.path(), "list.policy", format!("policy p: deny {{\n  require workload.peak_rps in [{list}]\n}}\n"));
    let o = run(&["check", EXAMPLE, "--policies", &path]);
    assert_ne!(o.status.code(), Some(2), "300 list elements are 301 parts: {}", err(&o));
    let at_limit = "x".repeat(archpolicy::policy::MAX_STRING_BYTES);
    let path =
        write(dir.path(), "s.policy", format!("policy p: deny {{\n  title \"{at_limit}\"\n  require true\n}}\n"));
    let o = run(&["check", EXAMPLE, "--policies", &path]);
    assert_eq!(o.status.code(), Some(0), "a string of exactly the limit is allowed: {}", err(&o));
}

#[test]
fn a_repeated_param_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = "param limit: int = 5\npolicy p: deny {\n  require workload.peak_rps <= limit\n}\n";
    let path = write(dir.path(), "p.policy", text);
    let o = run(&["check", EXAMPLE, "--policies", &path, "--param", "limit=1", "--param", "limit=100000"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("`--param limit` is given more than once"), "{}", err(&o));
}

#[test]
fn chart_refuses_to_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.arch.yaml", example_text());
    let o = run(&["cost", &path, "--chart", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("it is the input"), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), example_text());
}

#[test]
fn fmt_check_and_test_on_a_directory_without_policy_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["fmt", "--check", "."][..], &["test", "."][..]] {
        let o = policy_in(dir.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("no policies in `.`"), "{args:?}: {}", err(&o));
    }
}

#[test]
fn a_test_without_expect_and_two_tests_of_one_name_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.arch.yaml", example_text());
    let text = format!(
        "{POLICY}\ntest \"t\" {{\n  proposal \"a.arch.yaml\"\n}}\ntest \"u\" {{\n  proposal \"a.arch.yaml\"\n  expect p: pass\n}}\ntest \"u\" {{\n  proposal \"a.arch.yaml\"\n  expect p: pass\n}}\n"
    );
    write(dir.path(), "a.policy", text);
    let o = policy_in(dir.path(), &["test", "a.policy"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("this test expects nothing"), "{}", err(&o));
    assert!(err(&o).contains("duplicate test name `u`"), "{}", err(&o));
}
