//! The JSON Schemas of the file formats, generated from their types, so
//! editors complete and check `*.arch.yaml` and `*.needs.yaml` files. The
//! sections both formats share are one type ([`crate::model::Common`]), so
//! the two schemas state them alike.

use serde_json::{Map, Value, json};

use crate::model::{Component, Model, NamedEnum, Pattern};
use crate::patterns;

/// The JSON Schema (draft 2020-12) of a proposal.
///
/// ```
/// let schema = archpolicy::json_schema::proposal_schema();
/// assert_eq!(schema["title"], "archpolicy proposal");
/// ```
pub fn proposal_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let schema = generator.into_root_schema_for::<Model>();
    let mut value = schema.to_value();
    if let Some(root) = value.as_object_mut() {
        one_of_per_pattern(root);
        // Keys of the chosen pattern's components are evaluated inside `oneOf`;
        // anything else at the top level is a typo the editor should flag.
        root.insert("unevaluatedProperties".into(), Value::Bool(false));
    }
    // These defaults depend on the API type and the pattern: the descriptions
    // say so, and a single `default` would mislead editors.
    for pointer in ["/$defs/Gateway/properties/integration_timeout", "/$defs/LoadBalancer/properties/scheme"] {
        if let Some(object) = value.pointer_mut(pointer).and_then(|v| v.as_object_mut()) {
            object.remove("default");
        }
    }
    value
}

/// The JSON Schema (draft 2020-12) of a needs file, kept in docs/needs.schema.json.
///
/// ```
/// let schema = archpolicy::json_schema::needs_schema();
/// assert_eq!(schema["title"], "archpolicy needs");
/// ```
pub fn needs_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().for_deserialize().into_generator();
    generator.into_root_schema_for::<crate::recommend::Needs>().to_value()
}

/// Moves the components out of the top level into one `oneOf` branch per
/// pattern, each requiring exactly that pattern's components (from
/// [`crate::patterns`]), so an editor flags a component of another pattern.
fn one_of_per_pattern(root: &mut Map<String, Value>) {
    let mut components = Map::new();
    if let Some(properties) = root.get_mut("properties").and_then(Value::as_object_mut) {
        for component in Component::ALL {
            if let Some(schema) = properties.remove(component.name()) {
                components.insert(component.name().to_string(), with_owners(required_component(schema), component));
            }
        }
    }
    let mut branches: Vec<Value> = Pattern::ALL
        .into_iter()
        .map(|pattern| {
            let def = patterns::def(pattern);
            let mut properties = Map::new();
            properties.insert("pattern".into(), json!({ "const": pattern.name() }));
            let mut required = vec![Value::from("pattern")];
            for component in def.components {
                let name = component.name();
                properties.insert(name.into(), components.get(name).cloned().unwrap_or(Value::Bool(true)));
                required.push(name.into());
            }
            json!({
                "title": def.title,
                "type": "object",
                "properties": properties,
                "required": required,
                "not": { "required": ["import"] }
            })
        })
        .collect();
    branches.push(standing_on_a_template());
    root.insert("oneOf".into(), Value::Array(branches));
    // `pattern` is each pattern branch's to require: a template may give it.
    if let Some(Value::Array(required)) = root.get_mut("required") {
        required.retain(|r| r != "pattern");
    }
}

/// A proposal with `import` takes its pattern and components from the
/// template: it may name the pattern, and set the keys the template leaves
/// open in any component (docs/import.md).
fn standing_on_a_template() -> Value {
    let mut properties = Map::new();
    let names: Vec<&str> = Pattern::ALL.iter().map(|p| p.name()).collect();
    properties.insert("pattern".into(), json!({ "enum": names }));
    for component in Component::ALL {
        properties.insert(component.name().into(), json!({ "type": "object" }));
    }
    json!({
        "title": "stands on a template",
        "description": "The pattern and the components come from the template `import` names; the proposal adds what no template can say.",
        "type": "object",
        "properties": properties,
        "required": ["import"]
    })
}

/// A component's description followed by the patterns built with it, from
/// the registry, so that no doc comment lists them (a new pattern of known
/// components changes no description by hand).
fn with_owners(mut schema: Value, component: Component) -> Value {
    let owners: Vec<String> = patterns::owners(component).iter().map(|p| format!("`{p}`")).collect();
    if let Some(object) = schema.as_object_mut() {
        let own = object.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
        let sep = if own.is_empty() { "" } else { " " };
        object.insert("description".into(), Value::from(format!("{own}{sep}In: {}.", owners.join(", "))));
    }
    schema
}

/// A component's schema without the `null` its `Option` allows: in its
/// pattern's branch it is required.
fn required_component(mut schema: Value) -> Value {
    let Some(object) = schema.as_object_mut() else { return schema };
    let Some(Value::Array(choices)) = object.remove("anyOf") else { return schema };
    for choice in choices {
        if let Value::Object(fields) = choice
            && fields.get("type") != Some(&json!("null"))
        {
            object.extend(fields);
        }
    }
    schema
}
