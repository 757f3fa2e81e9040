//! The JSON Schema of the proposal format, generated from the model's types,
//! so editors complete and check `*.arch.yaml` files.

use crate::model::Model;

/// The JSON Schema (draft 2020-12) of a proposal.
///
/// ```
/// let schema = archpolicy::schema::proposal_schema();
/// assert_eq!(schema["title"], "archpolicy proposal");
/// ```
pub fn proposal_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let schema = generator.into_root_schema_for::<Model>();
    let mut value = schema.to_value();
    // Keys of the chosen pattern's components are evaluated inside `oneOf`;
    // anything else at the top level is a typo the editor should flag.
    if let Some(root) = value.as_object_mut() {
        root.insert("unevaluatedProperties".into(), serde_json::Value::Bool(false));
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
