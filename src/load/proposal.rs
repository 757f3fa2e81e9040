//! The spanned tree to a model: the common sections, then the components
//! the declared pattern has ([`crate::patterns`]), then the pattern's rules.
//!
//! Every error is collected instead of stopping at the first, so a user
//! fixes a file in one pass.

use miette::SourceSpan;

use crate::model::decode::{Decoder, Section};
use crate::model::{Component, Components, LoadError, Model, NamedEnum, Origins, Pattern, Scheme};
use crate::patterns;
use crate::source::NonEmpty;
use crate::suggest;
use crate::yaml::Node;

/// Top-level keys that mark another tool's file, and what that file is.
const FOREIGN_FILES: &[(&[&str], &str)] = &[
    (&["AWSTemplateFormatVersion", "Resources"], "a CloudFormation template"),
    (&["openapi", "swagger"], "an OpenAPI document"),
    (&["apiVersion"], "a Kubernetes manifest"),
    (&["services"], "a Docker Compose file"),
    (&["resource", "provider", "terraform"], "a Terraform configuration"),
];

pub(super) fn load_model(root: &Node) -> Result<(Model, Origins), NonEmpty<LoadError>> {
    let mut decoder = Decoder::default();
    let model = read_model(&mut decoder, root);
    // Report in file order, as a reader goes through the file.
    decoder.errors.sort_by_key(|e| e.span().map_or(0, |s| s.offset()));
    match (model, NonEmpty::from_vec(decoder.errors)) {
        (Some(model), None) => Ok((model, decoder.origins)),
        (_, Some(errors)) => Err(errors),
        // Every path that yields no model records an error first; this keeps
        // that promise checked without a panic.
        (None, None) => Err(NonEmpty::new(LoadError::Syntax {
            help: String::new(),
            message: "the proposal could not be read".into(),
            span: SourceSpan::from((0, 0)),
        })),
    }
}

/// Every section of a proposal and the keys it has (see [`crate::model::decode::catalogue`]).
pub fn key_catalogue() -> Vec<(String, Vec<&'static str>)> {
    crate::model::decode::catalogue(|decoder| {
        for pattern in Pattern::ALL {
            let mut text = format!("pattern: {pattern}\nworkload: {{}}\nnetwork: {{}}\nobservability: {{}}\n");
            text.push_str("tags: {}\ndata: [{}]\nwaivers: [{}]\n");
            text.push_str("gateway: { throttle: {} }\nfunction: { vpc: {} }\nservice: { tasks: {} }\n");
            text.push_str("load_balancer: {}\nvpc_link: {}\naccount: { api_throttle: {} }\nimport: {}\n");
            text.push_str("function_url: { cors: {} }\nqueue: {}\n");
            if let Ok(Some(root)) = crate::yaml::parse(&text) {
                read_model(decoder, &root);
            }
        }
    })
}

fn read_model(d: &mut Decoder, root: &Node) -> Option<Model> {
    let mut top = d.section(root, "", SourceSpan::from((0, 0)))?;
    if foreign_file(d, &top) {
        return None;
    }
    // A proposal standing on a template has its pattern from there; when
    // its `import` is malformed, that error says what to fix, not this one.
    let pattern: Option<Pattern> = match top.has("import") && !top.has("pattern") {
        true => None,
        false => d.required(&mut top, "pattern", "lambda_api_gateway"),
    };
    let common = d.common(&mut top);
    let waivers = d.waivers(&mut top);
    let import = d.import(&mut top);
    let components = match pattern {
        Some(pattern) => components(d, &mut top, pattern),
        None => {
            // Still read the components that are there, to report their errors too.
            let mut ignored = Components::default();
            for component in Component::ALL {
                if top.has(component.name()) {
                    d.component(&mut top, component, Scheme::Internal, &mut ignored);
                }
            }
            top.also_known(Component::ALL.map(|c| c.name()));
            None
        }
    };
    d.finish(top);
    let model = Model { common: common?, pattern: pattern?, components: components?, waivers: waivers?, import: import? };
    crate::model::validate::quotas(&mut d.validator(), &model);
    (patterns::def(model.pattern).validate)(&model, &mut d.validator());
    Some(model)
}

/// Another tool's file given by mistake: say so once, not key by key.
fn foreign_file(d: &mut Decoder, top: &Section<'_>) -> bool {
    let foreign = top.entries.iter().find_map(|(k, _)| {
        FOREIGN_FILES.iter().find(|(keys, _)| keys.contains(&k.name.as_str())).map(|(_, what)| (k, *what))
    });
    let Some((key, what)) = foreign.filter(|_| !top.has("pattern")) else {
        return false;
    };
    d.error(LoadError::ForeignFile { what: what.into(), span: key.span });
    true
}

/// The pattern's components; another pattern's component is an error of its own.
fn components(d: &mut Decoder, top: &mut Section<'_>, pattern: Pattern) -> Option<Components> {
    let own = patterns::component_keys(pattern);
    for component in Component::ALL.into_iter().filter(|c| !patterns::has(pattern, *c)) {
        let key = component.name();
        let Some((k, _)) = top.take_unlisted(key) else { continue };
        let owners = patterns::owners(component);
        d.error(LoadError::ForeignComponent {
            component: key.to_string(),
            pattern: pattern.name().to_string(),
            span: k.span,
            help: format!(
                "a `{}` proposal has {}; `{key}` belongs to {}: remove it, or change `pattern`",
                pattern.name(),
                suggest::all_of(&own),
                suggest::one_of(&owners)
            ),
        });
    }
    let scheme = patterns::default_scheme(pattern);
    let mut components = Components::default();
    let mut complete = true;
    for component in patterns::def(pattern).components {
        complete &= d.component(top, *component, scheme, &mut components);
    }
    complete.then_some(components)
}
