//! A proposal that stands on a service of a template (`policy import
//! --write`): the template gives the pattern and its components, the
//! skeleton names what only the team can say (the environment, the
//! workload) and the keys the template leaves open.

use super::Imported;
use super::classify::ImportedService;
use super::resolve::{Parameters, Resolver};
use super::translate::{Translated, translate};
use crate::model::{Component, NamedEnum, Pattern};
use crate::untrusted::Untrusted;
use crate::yaml::Value;

/// The skeleton's file name: the logical ID that selects the service, in
/// kebab case (`orders-api.arch.yaml`).
pub fn file_name(imported: &Imported, service: &ImportedService) -> String {
    format!("{}.arch.yaml", kebab(selector(imported, service).raw()))
}

/// The name that selects `service` alone ([`super::Classification::selector`]):
/// the function's ID, or its front door's when the function serves more
/// than one service.
fn selector(imported: &Imported, service: &ImportedService) -> Untrusted {
    let id = imported.classification.selector(&imported.template, service);
    id.map_or_else(|| service.select.clone(), Untrusted::new)
}

/// The text of a proposal standing on `service`; `from` is the template's
/// path relative to where the proposal is written.
pub fn skeleton(imported: &Imported, service: &ImportedService, from: &str) -> String {
    let parameters = Parameters::default();
    let resolver = Resolver::new(&imported.template, &parameters);
    let translated = translate(&imported.template, service, &resolver).ok();
    // The logical ID and the path are the template's and the user's text:
    // written only as quoted YAML scalars, even in comments, so a name with
    // a line break cannot add a key (`waivers:`) to the proposal.
    let (select, from) = (selector(imported, service), Untrusted::new(from));
    let mut out = format!(
        "# Stands on {}, a {} service of\n#   {}\n\
         # The template gives the pattern and its components; this file adds\n\
         # what no template can say (docs/import.md).\n",
        select.yaml(),
        service.pattern.name(),
        from.yaml()
    );
    out.push_str(&format!("name: {}\n", kebab(select.raw())));
    out.push_str(&format!("pattern: {}\n", service.pattern.name()));
    out.push_str(&format!("import:\n  from: {}\n  select: {}\n", from.yaml(), select.yaml()));
    if !imported.template.parameters.is_empty() {
        out.push_str("  # The template has parameters: give their values, or deploy with their defaults.\n");
        out.push_str("  # parameters: parameters.json   # [{ ParameterKey, ParameterValue }] or { Name: value }\n");
        out.push_str("  # parameter_defaults: true\n");
    }
    out.push_str(
        "# Fill in (docs/model.md):\n\
         # environment: production\n\
         # workload:\n\
         #   requests_per_month: 10000000\n\
         #   avg_duration: 100ms\n\
         #   max_request_duration: 2s\n\
         #   peak_rps: 50\n",
    );
    out.push_str(&open_keys(service.pattern, translated.as_ref()));
    out
}

/// The keys of the pattern no template decides, as commented lines.
fn open_keys(pattern: Pattern, translated: Option<&Translated>) -> String {
    let mut out = String::new();
    let in_vpc = translated.is_some_and(|t| has_path(&t.root.value, &["function", "vpc"]));
    if in_vpc {
        out.push_str("# The function is in a VPC: say whether its subnets are private.\n# function: { vpc: { subnets: private } }\n");
    }
    if crate::patterns::has(pattern, Component::Service) {
        out.push_str(
            "# Where the service's subnets are and how it authenticates requests.\n\
             # service: { subnets: private, auth: library }\n",
        );
    }
    out
}

fn has_path(value: &Value, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else { return true };
    match value {
        Value::Map(entries) => entries.iter().any(|(k, v)| k.name == *first && has_path(&v.value, rest)),
        _ => false,
    }
}

/// `OrdersApiFunction` to `orders-api-function`.
pub fn kebab(id: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('-');
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
            previous_lower = false;
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() { "service".into() } else { trimmed.to_string() }
}

#[cfg(test)]
mod tests {
    use super::kebab;

    #[test]
    fn kebab_case_names() {
        assert_eq!(kebab("OrdersApiFunction"), "orders-api-function");
        assert_eq!(kebab("aws_lambda_function.api"), "aws-lambda-function-api");
        assert_eq!(kebab("HTTPApi2"), "httpapi2");
        assert_eq!(kebab("__"), "service");
    }
}
