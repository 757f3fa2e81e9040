//! Importing infrastructure templates: CloudFormation and SAM (YAML or
//! JSON), `cdk synth` output. A template is read into resources and the
//! references between them ([`template`]), and each service in it is
//! classified as one of the patterns, or said not to be one and why
//! ([`classify`]). docs/import.md has the rules.

pub mod classify;
mod deciding;
mod err;
pub mod fuel;
pub mod include;
mod links;
mod notes;
mod reach;
pub mod resolve;
pub mod selector;
pub mod sam;
pub mod skeleton;
pub mod template;
mod terraform;
pub mod translate;

use std::path::Path;

pub use classify::{Classification, ImportedService, classify};
pub use deciding::settle;
pub use err::{ImportError, ImportFailure};
pub use include::{FileIncludes, Includes};
pub use template::{Flavor, Parameter, Resource, Template};

use crate::source::{Failure, SourceFile};
use crate::yaml;

impl Template {
    /// Reads a template from its text; `name` decides nothing but messages.
    pub fn parse(name: &str, text: &str) -> Result<Template, ImportError> {
        Template::parse_at(name, text, 0)
    }

    /// Reads a template whose spans start at `base`: a template attached to
    /// the proposal that stands on it ([`crate::source::SourceFile::attach`]).
    pub fn parse_at(name: &str, text: &str, base: usize) -> Result<Template, ImportError> {
        Template::parse_including(name, text, base, None)
    }

    /// Reads a template whose spans start at `base`, with the files it
    /// includes (`AWS::Include`) read by `includes`; without a reader they
    /// stay as written and the classifier says they are not read.
    pub fn parse_including(
        name: &str,
        text: &str,
        base: usize,
        includes: Option<&mut dyn Includes>,
    ) -> Result<Template, ImportError> {
        if name.ends_with(".tf") || template::looks_like_hcl(text) {
            return Err(ImportError::TerraformHcl { path: name.to_string() });
        }
        let mut root = yaml::parse_with(text, yaml::Options::TEMPLATE)
            .map_err(|e| ImportError::from_yaml(e).shifted(base))?
            .ok_or_else(|| ImportError::NotATemplate { why: "the file is empty".into(), span: None })?;
        // Shifted here, so every span taken from the tree is in the attaching file's space.
        root.shift(base);
        let plan = root.get("planned_values").is_some() && root.get("format_version").is_some();
        let template = if plan {
            terraform::lower(&root)?
        } else {
            // Paid from the template's own budget: made before the template is.
            let fuel = fuel::Fuel::new();
            if let Some(includes) = includes {
                include::expand(&mut root, text.len(), includes, &fuel)?;
            }
            let mut template = Template::from_cloudformation(&root)?;
            template.fuel = fuel;
            let top = |key: &str| root.get(key);
            if top("Transform").is_some_and(|t| template::mentions(t, "AWS::Serverless")) {
                sam::transform(&mut template, top("Globals"));
            }
            template
        };
        template.within_budget(name)?;
        Ok(template)
    }

    /// The one error of a template whose work budget ([`fuel`]) ran out.
    pub fn within_budget(&self, name: &str) -> Result<(), ImportError> {
        match self.fuel.exhausted() {
            Some(exhausted) => Err(ImportError::budget(name, exhausted)),
            None => Ok(()),
        }
    }
}

/// The largest template read: larger than any proposal, still bounded.
pub const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

/// A template and the services found in it: each a pattern, with the
/// resources that make it up and why, and what in the template is no whole
/// pattern. The whole is [`to_json`](Imported::to_json), one template of
/// `policy import --format json` (docs/import.md).
///
/// ```
/// let imported = archpolicy::import_file("examples/imported/template.yaml")?;
/// assert_eq!(imported.source().name(), "examples/imported/template.yaml");
/// assert!(!imported.patterns().is_empty());
/// # Ok::<(), archpolicy::Failure<archpolicy::ImportError>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The template file.
    pub(crate) source: SourceFile,
    /// Its resources and parameters.
    pub(crate) template: Template,
    /// The services classified as patterns, and why the rest is none.
    pub(crate) classification: Classification,
}

impl Imported {
    /// The template file.
    ///
    /// ```
    /// let imported = archpolicy::import_str("t.yaml", "Resources: {}")?;
    /// assert_eq!(imported.source().name(), "t.yaml");
    /// # Ok::<(), archpolicy::Failure<archpolicy::ImportError>>(())
    /// ```
    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    /// The pattern of each service found, as a proposal spells it, in the
    /// order `policy import` lists them.
    ///
    /// ```
    /// let imported = archpolicy::import_file("examples/imported/template.yaml")?;
    /// let json = imported.to_json();
    /// assert_eq!(imported.patterns().len(), json["services"].as_array().unwrap().len());
    /// assert_eq!(json["services"][0]["pattern"], imported.patterns()[0]);
    /// # Ok::<(), archpolicy::Failure<archpolicy::ImportError>>(())
    /// ```
    pub fn patterns(&self) -> Vec<&'static str> {
        self.classification.services.iter().map(|s| crate::model::NamedEnum::name(s.pattern)).collect()
    }

    /// The skeleton proposal of each service, in [`Imported::patterns`]
    /// order, as `policy import --write DIR` writes them: the file name it
    /// gives (the selecting logical ID in kebab case, `orders-api.arch.yaml`)
    /// and the text, a proposal whose `import.from` stands on the template
    /// (the keys it reads point into it) plus the keys no template can say
    /// (workload, environment), to fill in (docs/import.md). `from` is the
    /// template's path as the proposal will name it: relative to the
    /// directory the proposal is written to.
    ///
    /// ```
    /// let imported = archpolicy::import_file("examples/imported/template.yaml")?;
    /// let written = imported.proposal_texts("template.yaml");
    /// assert_eq!(written.len(), imported.patterns().len());
    /// let (file, text) = &written[0];
    /// assert!(file.ends_with(".arch.yaml"), "{file}");
    /// assert!(text.contains("template.yaml"), "{text}");
    /// assert!(text.contains(&format!("pattern: {}", imported.patterns()[0])), "{text}");
    /// # Ok::<(), archpolicy::Failure<archpolicy::ImportError>>(())
    /// ```
    pub fn proposal_texts(&self, from: &str) -> Vec<(String, String)> {
        self.classification
            .services
            .iter()
            .map(|service| (skeleton::file_name(self, service), skeleton::skeleton(self, service, from)))
            .collect()
    }

    /// The template as one item of `policy import --format json`'s
    /// `templates`: its file, flavor, services (pattern, the resource a
    /// proposal selects, resources, why, notes) and why the rest is no
    /// pattern.
    ///
    /// ```
    /// let imported = archpolicy::import_str("t.yaml", "Resources: {}")?;
    /// let json = imported.to_json();
    /// assert_eq!(json["file"], "t.yaml");
    /// assert!(json["services"].as_array().unwrap().is_empty());
    /// assert!(!json["not_a_pattern"].as_array().unwrap().is_empty(), "an empty template says why");
    /// # Ok::<(), archpolicy::Failure<archpolicy::ImportError>>(())
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.source.name(),
            "flavor": self.template.flavor,
            "services": self.classification.services,
            "not_a_pattern": self.classification.not_a_pattern,
        })
    }
}

internal! {
    impl Imported {
        pub fn template(&self) -> &Template {
            &self.template
        }

        pub fn classification(&self) -> &Classification {
            &self.classification
        }
    }
}

/// Reads a template from text and classifies its services.
pub fn import_str(name: &str, text: &str) -> Result<Imported, Failure<ImportError>> {
    import_source(name, text, SourceFile::new(name, text), None)
}

/// Reads a template and the files it includes through `includes`, and classifies its services.
fn import_source(
    name: &str,
    text: &str,
    source: SourceFile,
    includes: Option<&mut FileIncludes<'_>>,
) -> Result<Imported, ImportFailure> {
    let parsed = match includes {
        Some(includes) => {
            let parsed = Template::parse_including(name, text, 0, Some(&mut *includes));
            (parsed, includes.source.clone())
        }
        None => (Template::parse(name, text), source),
    };
    let (parsed, source) = parsed;
    let mut template = parsed.map_err(|e| ImportFailure::single(Some(source.clone()), e))?;
    // A listing reads the stack as deployed with its parameters' defaults.
    deciding::settle(&mut template, &resolve::Parameters { values: Default::default(), use_defaults: true });
    let classification = classify(&template);
    template.within_budget(name).map_err(|e| ImportFailure::single(Some(source.clone()), e))?;
    Ok(Imported { source, template, classification })
}

/// Reads a template file (at most [`MAX_TEMPLATE_BYTES`]) and classifies its services.
pub fn import_file(path: &Path) -> Result<Imported, Failure<ImportError>> {
    let name = path.display().to_string();
    let gate = crate::walk::Gate::for_named(path);
    let bytes = gate.read(path, MAX_TEMPLATE_BYTES).map_err(|reason| {
        ImportFailure::single(None, ImportError::Io { path: name.clone(), reason: reason.to_string() })
    })?;
    // A stray byte that is not UTF-8 (seen in real templates) is shown, not fatal.
    let text = String::from_utf8_lossy(&bytes);
    // Files it includes are read through the same gate, relative to it.
    let mut includes = FileIncludes::new(&gate, path, SourceFile::new(name.as_str(), &*text));
    import_source(&name, &text, SourceFile::new(name.as_str(), &*text), Some(&mut includes))
}
