//! The workspace's policy set, from `.archpolicy.yaml` at the workspace
//! root: what `policy check --policies ... --with-standard --param ...`
//! would be given. Without the file, the standard pack.
//!
//! The file, and every path it names, is read through the workspace's
//! [`Gate`]: inside the workspace's repository (or the workspace, outside
//! one), never under `.git`, a regular file under the size limit.
//!
//! ```yaml
//! policies: [org-policies/, extra/latency.policy]   # relative to the file
//! with_standard: true
//! params: { max_idle_cost: $20, max_request_time: 20s }
//! ```

use std::path::{Path, PathBuf};

use crate::source::SourceFile;
use crate::walk::{Gate, Reason};
use crate::yaml::{Node, Value};

/// The config file's name, at the workspace root.
pub const CONFIG_FILE: &str = ".archpolicy.yaml";

const KEYS: &[&str] = &["policies", "with_standard", "params"];

/// The largest config file read: a config is a few lines.
pub const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// The workspace's policy set as the config file gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Files and directories of `*.policy` files, absolute; empty: the standard pack.
    pub policies: Vec<PathBuf>,
    /// The standard pack beside `policies`.
    pub with_standard: bool,
    /// Params set, as `--param NAME=VALUE` sets them.
    pub params: Vec<(String, String)>,
}

impl Config {
    /// The config of a workspace: its file read, or the default without
    /// one. An error is a message that names the file and the line.
    pub fn of_workspace(root: &Path, gate: &Gate) -> Result<Config, String> {
        let path = root.join(CONFIG_FILE);
        let cannot = |reason: String| format!("cannot read `{}`: {reason}", path.display());
        match gate.read(&path, MAX_CONFIG_BYTES) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| cannot("it is not UTF-8 text".into()))?;
                Config::parse(root, &SourceFile::new(path.display().to_string(), text))
            }
            Err(Reason::Io(reason)) if reason == "no such file or directory" => Ok(Config::default()),
            Err(reason) => Err(cannot(reason.to_string())),
        }
    }

    /// A config file's text; paths are relative to `root`. An error names
    /// the file, the line and the column.
    pub fn parse(root: &Path, file: &SourceFile) -> Result<Config, String> {
        Config::parse_spanned(root, file).map_err(|error| match error.span {
            Some(span) => {
                let (line, column) = file.line_col(span.offset());
                format!("{}:{line}:{column}: {}", file.name(), error.message)
            }
            None => format!("{}: {}", file.name(), error.message),
        })
    }

    /// As [`Config::parse`], the error with its span in the file (the
    /// editor shows it on the config document itself).
    pub fn parse_spanned(root: &Path, file: &SourceFile) -> Result<Config, ConfigError> {
        let at = |node: &Node, message: String| ConfigError { message, span: Some(node.span) };
        let root_node = match crate::yaml::parse(file.text()) {
            Ok(Some(node)) => node,
            Ok(None) => return Ok(Config::default()),
            Err(e) => {
                return Err(ConfigError { message: e.to_string(), span: e.span() });
            }
        };
        let Value::Map(entries) = &root_node.value else {
            return Err(at(&root_node, "expected a mapping of `policies`, `with_standard` and `params`".into()));
        };
        let mut config = Config::default();
        for (key, node) in entries {
            match (key.name.as_str(), &node.value) {
                ("policies", Value::Seq(items)) => {
                    for item in items {
                        let Value::Str(path) = &item.value else {
                            return Err(at(item, "expected a path".into()));
                        };
                        config.policies.push(root.join(path));
                    }
                }
                ("policies", Value::Str(path)) => config.policies.push(root.join(path)),
                ("with_standard", Value::Bool(b)) => config.with_standard = *b,
                ("params", Value::Map(params)) => {
                    for (name, value) in params {
                        config.params.push((name.name.clone(), scalar_text(&value.value)));
                    }
                }
                (name, _) if KEYS.contains(&name) => {
                    return Err(at(node, format!("`{name}` has the wrong type: see docs/editors.md")));
                }
                (name, _) => {
                    let help = crate::suggest::did_you_mean_help(name, KEYS.iter().copied())
                        .unwrap_or_else(|| format!("the keys are {}", crate::suggest::all_of(KEYS)));
                    // At the key, where the typo is.
                    return Err(ConfigError { message: format!("unknown key `{name}`: {help}"), span: Some(key.span) });
                }
            }
        }
        Ok(config)
    }
}

/// A config file's error: what is wrong, and where when a place says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    pub span: Option<miette::SourceSpan>,
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Str(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Null | Value::Seq(_) | Value::Map(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_policies_standard_and_params() {
        let text = "policies: [org/]\nwith_standard: true\nparams: { max_idle_cost: $20, retries: 3 }\n";
        let config = Config::parse(Path::new("/ws"), &SourceFile::new("c", text)).unwrap();
        assert_eq!(config.policies, vec![PathBuf::from("/ws/org/")]);
        assert!(config.with_standard);
        assert_eq!(config.params, vec![("max_idle_cost".into(), "$20".into()), ("retries".into(), "3".into())]);
    }

    #[test]
    fn an_unknown_key_is_an_error_with_a_suggestion() {
        let error = Config::parse(Path::new("/ws"), &SourceFile::new("c", "polices: [a]\n")).unwrap_err();
        assert_eq!(error, "c:1:1: unknown key `polices`: did you mean `policies`?");
    }
}
