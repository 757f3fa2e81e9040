//! What hover shows: a fact's type, unit and meaning (from the fact
//! schema), and a proposal key's meaning, default and values (from the JSON
//! Schema's descriptions, which are the model's doc comments) with the AWS
//! limits that bound it and their sources (from `model::limits`).

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::OnceLock;

use serde_json::Value;

use crate::facts::schema::{FactDef, FactType};
use crate::model::NamedEnum;
use crate::model::limits::{self, Limit, Source};

/// Documentation a client renders as it renders hover: Markdown.
pub fn markdown(value: String) -> lsp_types::Documentation {
    lsp_types::Documentation::MarkupContent(lsp_types::MarkupContent { kind: lsp_types::MarkupKind::Markdown, value })
}

/// A fact's hover text in Markdown.
pub fn fact_markdown(def: &FactDef) -> String {
    let unit = match def.ty {
        FactType::Duration => " (write `500ms`, `29s`, `15m`, `1h`)",
        FactType::Size => " (write `512MiB`, `2GiB`)",
        FactType::Money => " (US dollars a month: `$50`)",
        FactType::Vcpu => " (vCPU: `0.25vCPU`, or a number)",
        _ => "",
    };
    let mut text = format!("**fact `{}`**: {}{unit}\n\n{}", def.path, def.ty.name(), def.doc);
    if let FactType::Enum(e) = def.ty {
        let values: Vec<String> = e.values.iter().map(|v| format!("`{v}`")).collect();
        let order = if e.ordered { ", from least to most" } else { "" };
        text.push_str(&format!("\n\nValues{order}: {}", values.join(", ")));
    }
    let patterns: Vec<&str> = def.patterns.patterns().map(|p| p.name()).collect();
    if patterns.len() < crate::model::Pattern::ALL.len() {
        text.push_str(&format!(
            "\n\nOnly for {}: narrow with `when pattern in [...]`.",
            crate::suggest::one_of(&patterns)
        ));
    }
    if def.optional {
        text.push_str("\n\nMay be absent: guard ordering and arithmetic with `is set`.");
    }
    text
}

/// A proposal key as the JSON Schema describes it.
#[derive(Debug, Clone, Default)]
pub struct KeyDoc {
    pub description: Option<String>,
    pub default: Option<String>,
    /// The values an enum key takes.
    pub values: Vec<String>,
    /// What its values look like (a unit's format), when the type says.
    pub format: Option<String>,
}

/// Every key of every section, `section.key` (sections nest with `.`; a
/// list's elements are its section: `data.kind`).
pub fn keys() -> &'static BTreeMap<String, KeyDoc> {
    static KEYS: OnceLock<BTreeMap<String, KeyDoc>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let schema = crate::json_schema::proposal_schema();
        let mut out = BTreeMap::new();
        walk(&schema, &schema, "", &mut out);
        for branch in schema["oneOf"].as_array().into_iter().flatten() {
            walk(&schema, branch, "", &mut out);
        }
        out
    })
}

/// The doc of the key `path` (`function.timeout`).
pub fn key(path: &str) -> Option<&'static KeyDoc> {
    keys().get(path)
}

/// `$ref`s followed, an array to its items, an `Option`'s `anyOf` to its value.
fn resolve<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..8 {
        if let Some(name) = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
            schema = &root["$defs"][name];
        } else if schema["type"] == "array" {
            schema = &schema["items"];
        } else if let Some(choice) = schema["anyOf"].as_array().and_then(|c| c.iter().find(|s| s["type"] != "null")) {
            schema = choice;
        } else {
            break;
        }
    }
    schema
}

fn walk(root: &Value, schema: &Value, prefix: &str, out: &mut BTreeMap<String, KeyDoc>) {
    let object = resolve(root, schema);
    let Some(properties) = object["properties"].as_object() else { return };
    for (name, property) in properties {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        let target = resolve(root, property);
        let values: Vec<String> = target["enum"]
            .as_array()
            .or_else(|| property["enum"].as_array())
            .map(|v| v.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string)).collect())
            .unwrap_or_default();
        let doc = KeyDoc {
            description: property["description"].as_str().map(str::to_string),
            default: property.get("default").map(|d| d.as_str().map_or_else(|| d.to_string(), str::to_string)),
            values: if property["const"].is_string() {
                vec![property["const"].as_str().unwrap_or("").into()]
            } else {
                values
            },
            format: target["description"].as_str().filter(|_| target["properties"].is_null()).map(str::to_string),
        };
        out.entry(path.clone()).or_insert(doc);
        walk(root, property, &path, out);
    }
}

fn row<T: Display>(limit: &Limit<T>) -> (String, Source) {
    (format!("{}: {}", limit.source.what, limit.value), limit.source)
}

/// The AWS limits and defaults that bound a key, each with its source.
pub fn limits_of(path: &str) -> Vec<(String, Source)> {
    use limits as l;
    match path {
        "function.timeout" => vec![row(&l::LAMBDA_TIMEOUT_MIN), row(&l::LAMBDA_TIMEOUT_MAX)],
        "function.memory" => vec![row(&l::LAMBDA_MEMORY_MIN), row(&l::LAMBDA_MEMORY_MAX)],
        "function.ephemeral_storage" => vec![row(&l::LAMBDA_TMP_MIN), row(&l::LAMBDA_TMP_MAX)],
        "gateway.integration_timeout" => vec![
            row(&l::INTEGRATION_TIMEOUT_MIN),
            row(&l::REST_TIMEOUT_DEFAULT),
            row(&l::REST_TIMEOUT_RAISED_MAX),
            row(&l::REST_STREAM_TIMEOUT_MAX),
            row(&l::HTTP_TIMEOUT_MAX),
            row(&l::WEBSOCKET_TIMEOUT_MAX),
        ],
        "gateway.authorizer_cache_ttl" => {
            vec![row(&l::AUTHORIZER_CACHE_TTL_MAX), row(&l::AUTHORIZER_CACHE_TTL_REST_DEFAULT)]
        }
        "load_balancer.idle_timeout" => {
            vec![row(&l::ALB_IDLE_TIMEOUT_MIN), row(&l::ALB_IDLE_TIMEOUT_MAX), row(&l::ALB_IDLE_TIMEOUT_DEFAULT)]
        }
        "service.cpu" | "service.memory" => {
            let table = &l::FARGATE_SIZES_TABLE;
            vec![(format!("{}: see the table", table.source.what), table.source)]
        }
        "service.ephemeral_storage" => vec![
            row(&l::FARGATE_STORAGE_DEFAULT),
            row(&l::FARGATE_STORAGE_CONFIGURABLE_MIN),
            row(&l::FARGATE_STORAGE_MAX),
        ],
        "service.tasks.max" | "account.tasks_per_service" => vec![row(&l::TASKS_PER_SERVICE_MAX)],
        "account.lambda_concurrency" => vec![row(&l::LAMBDA_CONCURRENCY_DEFAULT)],
        "account.api_throttle.rate" => vec![row(&l::API_THROTTLE_RATE)],
        "account.api_throttle.burst" => vec![row(&l::API_THROTTLE_BURST)],
        "network.az_count" => vec![row(&l::AZ_COUNT_MAX), row(&l::ALB_MIN_AZS)],
        "workload.max_payload" | "workload.avg_payload" => {
            vec![row(&l::LAMBDA_SYNC_PAYLOAD), row(&l::APIGW_PAYLOAD), row(&l::WEBSOCKET_MESSAGE)]
        }
        "workload.connection_duration" => vec![row(&l::WEBSOCKET_CONNECTION_MAX), row(&l::WEBSOCKET_IDLE_MAX)],
        _ => Vec::new(),
    }
}

/// A proposal key's hover text in Markdown.
pub fn key_markdown(path: &str) -> Option<String> {
    let doc = key(path)?;
    let mut text = format!("**`{path}`**");
    if let Some(description) = &doc.description {
        text.push_str(&format!("\n\n{description}"));
    }
    let described = doc.description.as_deref().unwrap_or_default();
    if let Some(format) = doc.format.as_deref().filter(|f| !described.contains(f.trim_end_matches('.'))) {
        text.push_str(&format!("\n\nFormat: {}.", format.trim_end_matches('.')));
    }
    // Each thing once: the model's doc comment often states the default and
    // names values already; the schema's lines add only what it leaves out.
    if let Some(default) = doc.default.as_ref().filter(|_| !described.to_lowercase().contains("default")) {
        text.push_str(&format!("\n\nDefault: `{default}`"));
    }
    let (named, others): (Vec<String>, Vec<String>) =
        doc.values.iter().map(|v| format!("`{v}`")).partition(|v| described.contains(v.as_str()));
    if !others.is_empty() {
        let label = if named.is_empty() { "Values" } else { "Other values" };
        text.push_str(&format!("\n\n{label}: {}", others.join(", ")));
    }
    let limits = limits_of(path);
    if !limits.is_empty() {
        text.push_str("\n\nAWS limits:");
        for (what, source) in limits {
            text.push_str(&format!("\n- {what} ([source](https://{}), read {})", source_url(&source), source.read));
        }
    }
    Some(text)
}

/// A source's page as a URL (docs.aws.amazon.com unless the page names its host).
fn source_url(source: &Source) -> String {
    if source.url.split('/').next().is_some_and(|host| host.contains('.')) {
        source.url.to_string()
    } else {
        format!("docs.aws.amazon.com/{}", source.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 23: hover says each thing once (a default, a format, a value).
    #[test]
    fn every_key_hover_says_each_thing_once() {
        let mut repeated = Vec::new();
        for path in keys().keys() {
            let text = key_markdown(path).unwrap_or_default();
            let described = key(path).and_then(|d| d.description.clone()).unwrap_or_default();
            if text.matches("Default:").count() > 1 || text.matches("Format:").count() > 1 || text.contains("..") {
                repeated.push(format!("{path}: said twice:\n{text}"));
            }
            for value in &key(path).map(|d| d.values.clone()).unwrap_or_default() {
                let quoted = format!("`{value}`");
                let added = text.matches(&quoted).count() - described.matches(&quoted).count();
                if added > usize::from(!described.contains(&quoted)) {
                    repeated.push(format!("{path}: `{value}` twice:\n{text}"));
                }
            }
        }
        assert!(repeated.is_empty(), "{}", repeated.join("\n\n"));
    }
}
