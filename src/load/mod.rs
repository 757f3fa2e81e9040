//! Loading: a file's text to a [`Proposal`] that AWS would accept.
//!
//! The stage above the model and the patterns: it finds and reads files
//! ([`discover`], [`load_file`]), reads the YAML tree into sections with the
//! model's decoder, asks [`crate::patterns`] which components the declared
//! pattern has, and runs every check. [`validate`] runs the same checks on a
//! model built in code.

mod files;
mod imported;
mod proposal;

pub use files::{
    Discovered, MAX_FILE_BYTES, PROPOSAL_EXTENSIONS, discover, discover_each, is_proposal_file, load_file, load_found,
    load_str, load_str_in, read_text,
};
pub use proposal::key_catalogue;

use crate::model::validate::{self, Validator};
use crate::model::{Component, Model, NamedEnum, Origins};
pub use crate::model::{LoadError, LoadFailure};
use crate::patterns;
use crate::source::NonEmpty;

/// Checks a model built in code as a loaded one is checked: every component
/// against AWS's limits, the pattern's components exactly, and the pattern's
/// rules. Errors point nowhere (a built model has no file).
///
/// ```
/// let mut model = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml").unwrap().into_model();
/// assert!(archpolicy::load::validate(&model).is_ok());
/// model.components.function.as_mut().unwrap().timeout = archpolicy::units::Duration::from_secs(901);
/// assert!(archpolicy::load::validate(&model).is_err());
/// ```
pub fn validate(model: &Model) -> Result<(), NonEmpty<LoadError>> {
    let origins = Origins::default();
    let mut errors = Vec::new();
    let mut v = Validator::new(&origins, &mut errors);
    validate::sections_and_components(&mut v, model);
    (patterns::def(model.pattern).validate)(model, &mut v);
    let pattern = model.pattern;
    let own = patterns::component_keys(pattern);
    for component in Component::ALL {
        let key = component.name();
        match (model.components.has(component), patterns::has(pattern, component)) {
            (true, false) => errors.push(LoadError::ForeignComponent {
                component: key.to_string(),
                pattern: pattern.name().to_string(),
                span: (0, 0).into(),
                help: format!("a `{pattern}` model has {}", crate::suggest::all_of(&own)),
            }),
            (false, true) => errors.push(LoadError::MissingKey {
                key: key.to_string(),
                section: "the proposal".into(),
                span: (0, 0).into(),
                help: format!("a `{pattern}` model has {}", crate::suggest::all_of(&own)),
            }),
            _ => {}
        }
    }
    NonEmpty::from_vec(errors).map_or(Ok(()), Err)
}
