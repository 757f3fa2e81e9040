//! A needs file: a proposal without a pattern. The common sections are read
//! by the model's own decoders (so keys, errors and "did you mean" are the
//! proposal's), and `requirements` holds what the guide's decision turns on
//! beyond the workload.

use miette::SourceSpan;
use schemars::JsonSchema;
use serde::Serialize;

use super::err::{NeedsError, NeedsFailure};
use crate::model::decode::{Decoder, Section};
use crate::model::limits;
use crate::model::{
    ApiType, Architecture, CallersAuth, Common, Component, Exposure, LoadError, NamedEnum, Portability, Runtime,
};
use crate::source::{Failure, NonEmpty, SourceFile};
use crate::units::Size;
use crate::yaml::{Node, Value};

/// File name endings of needs files.
pub const NEEDS_EXTENSIONS: &[&str] = &[".needs.yaml", ".needs.yml", ".needs.json"];

/// What a service needs, before a pattern is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "archpolicy needs",
    description = "What an HTTP service needs, for `policy recommend` to choose one of the three AWS patterns. A proposal without `pattern` and without components. Reference: docs/recommend.md"
)]
pub struct Needs {
    /// What a proposal states too: the service, its workload and surroundings.
    #[serde(flatten)]
    pub common: Common,
    /// What the choice of pattern turns on, beyond the workload.
    #[serde(default)]
    pub requirements: Requirements,
}

/// What the choice of pattern turns on, beyond the workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Partner-facing edge controls: callers are authorized and throttled at API Gateway (a Lambda authorizer and stage throttling). Default: false.
    #[serde(default)]
    pub edge_controls: bool,
    /// The API Gateway API type the organization requires (`rest`, `http` or `websocket`); the front door must then be API Gateway. Default: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiType>,
    /// The portability floor: `aws_native` (anything), `portable_compute` (containers), `portable` (containers behind a standard load balancer). Default: aws_native.
    #[serde(default = "default_portability")]
    pub portability: Portability,
    /// Memory one instance of the compute needs (a function's, or a task's at least). Default: 512MiB.
    #[serde(default = "default_memory")]
    pub memory: Size,
    /// `x86_64` or `arm64`. Default: x86_64.
    #[serde(default = "default_architecture")]
    pub architecture: Architecture,
    /// The Lambda runtime, should the function be chosen (its family decides cold starts and SnapStart). Default: provided.al2023.
    #[serde(default = "default_runtime")]
    pub runtime: Runtime,
    /// `public` (reached from the internet) or `internal` (only inside the VPC or through a private endpoint: a private REST API, never an internet-facing ALB). Default: public.
    #[serde(default = "default_exposure")]
    pub exposure: Exposure,
    /// How callers authenticate: `jwt` (a JWT or Cognito authorizer), `iam` (IAM authorization), `signed` (signed requests such as webhooks, verified by the service: no authorizer) or `none`. Default: jwt.
    #[serde(default = "default_callers_auth")]
    pub callers_auth: CallersAuth,
}

fn default_exposure() -> Exposure {
    Exposure::Public
}
fn default_callers_auth() -> CallersAuth {
    CallersAuth::Jwt
}

fn default_portability() -> Portability {
    Portability::AwsNative
}
fn default_memory() -> Size {
    Size::from_mib(512)
}
fn default_architecture() -> Architecture {
    Architecture::X86_64
}
fn default_runtime() -> Runtime {
    Runtime::PROVIDED_AL2023
}

impl Default for Requirements {
    fn default() -> Self {
        Requirements {
            edge_controls: false,
            api: None,
            portability: default_portability(),
            memory: default_memory(),
            architecture: default_architecture(),
            runtime: default_runtime(),
            exposure: default_exposure(),
            callers_auth: default_callers_auth(),
        }
    }
}

/// A needs file that loaded: the needs and the file they came from, for
/// [`recommend`](crate::recommend).
///
/// ```
/// let needs = archpolicy::load_needs_file("examples/scenario_a_saas_api.needs.yaml".as_ref())?;
/// assert_eq!(needs.name(), "invoicing-api");
/// assert_eq!(needs.source().name(), "examples/scenario_a_saas_api.needs.yaml");
/// # Ok::<(), archpolicy::Failure<archpolicy::NeedsError>>(())
/// ```
#[derive(Debug, Clone)]
pub struct NeedsFile {
    /// What the needs file asks for.
    pub(crate) needs: Needs,
    /// The file it was read from.
    pub(crate) source: SourceFile,
}

impl NeedsFile {
    /// The service's `name`.
    ///
    /// ```
    /// let needs = archpolicy::load_needs_file("examples/scenario_b_image_processing.needs.yaml".as_ref())?;
    /// assert!(!needs.name().is_empty());
    /// # Ok::<(), archpolicy::Failure<archpolicy::NeedsError>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.needs.common.name
    }

    /// The file it was read from.
    ///
    /// ```
    /// let needs = archpolicy::load_needs_str("api.needs.yaml", "name: api\nenvironment: production\nworkload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 1s, peak_rps: 50 }\n")?;
    /// assert_eq!(needs.source().name(), "api.needs.yaml");
    /// # Ok::<(), archpolicy::Failure<archpolicy::NeedsError>>(())
    /// ```
    pub fn source(&self) -> &SourceFile {
        &self.source
    }
}

internal! {
    impl NeedsFile {
        pub fn needs(&self) -> &Needs {
            &self.needs
        }
    }
}

/// Reads needs from text; `name` is shown in diagnostics. YAML and JSON are both accepted.
///
/// ```
/// let text = "name: api\nenvironment: production\nworkload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 1s, peak_rps: 50 }\n";
/// let needs = archpolicy::load_needs_str("api.needs.yaml", text)?;
/// assert_eq!(needs.name(), "api");
/// # Ok::<(), archpolicy::Failure<archpolicy::NeedsError>>(())
/// ```
pub fn load_needs_str(name: &str, text: &str) -> Result<NeedsFile, Failure<NeedsError>> {
    let source = SourceFile::new(name, text);
    let fail = |e: NeedsError| Err(NeedsFailure::single(Some(source.clone()), e));
    if text.len() as u64 > crate::load::MAX_FILE_BYTES {
        let size = text.len() as u64;
        return fail(LoadError::TooLarge { path: name.into(), size, limit: crate::load::MAX_FILE_BYTES }.into());
    }
    let root = match crate::yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return fail(NeedsError::Empty { path: name.to_string() }),
        Err(error) => return fail(NeedsError::Load(LoadError::from_yaml(error))),
    };
    let mut decoder = Decoder::default();
    let mut errors = Vec::new();
    let needs = read(&mut decoder, &mut errors, &root);
    if let Some(needs) = &needs {
        memory_in_range(needs, &root, &mut errors);
        contradictions(needs, &root, &mut errors);
    }
    errors.extend(decoder.errors.into_iter().map(NeedsError::Load));
    errors.sort_by_key(|e| e.span().map_or(0, |s| s.offset()));
    match (needs, NonEmpty::from_vec(errors)) {
        (Some(needs), None) => Ok(NeedsFile { needs, source }),
        (_, Some(errors)) => Err(NeedsFailure::new(Some(source), errors)),
        (None, None) => fail(NeedsError::Empty { path: name.to_string() }),
    }
}

/// Reads the needs file at `path` (at most 1 MiB, as a proposal).
///
/// ```
/// let needs = archpolicy::load_needs_file("examples/scenario_c_websocket_chat.needs.yaml".as_ref())?;
/// assert_eq!(needs.source().name(), "examples/scenario_c_websocket_chat.needs.yaml");
/// assert!(!needs.name().is_empty());
/// # Ok::<(), archpolicy::Failure<archpolicy::NeedsError>>(())
/// ```
pub fn load_needs_file(path: &std::path::Path) -> Result<NeedsFile, Failure<NeedsError>> {
    match crate::load::read_text(path) {
        Ok((name, text)) => load_needs_str(&name, &text),
        Err(failure) => Err(NeedsFailure::new(failure.source, failure.errors.map(NeedsError::Load))),
    }
}

fn read(d: &mut Decoder, errors: &mut Vec<NeedsError>, root: &Node) -> Option<Needs> {
    let mut top = d.section(root, "", SourceSpan::from((0, 0)))?;
    if let Some((k, _)) = top.take_unlisted("pattern") {
        errors.push(NeedsError::PatternKey { span: k.span });
    }
    for component in Component::ALL {
        let key = component.name();
        if let Some((k, _)) = top.take_unlisted(key) {
            let owners = crate::patterns::owners(component);
            errors.push(NeedsError::ComponentSection {
                key: key.to_string(),
                span: k.span,
                help: format!(
                    "`{key}` is a component of {}, which `policy recommend` sizes from the workload: remove it, and state what it was for under `requirements` (docs/recommend.md)",
                    crate::suggest::one_of(&owners)
                ),
            });
        }
    }
    let common = d.common(&mut top);
    let requirements = requirements(d, &mut top);
    d.finish(top);
    Some(Needs { common: common?, requirements: requirements? })
}

fn requirements(d: &mut Decoder, top: &mut Section<'_>) -> Option<Requirements> {
    let Some(mut s) = d.optional_section(top, "requirements")? else {
        return Some(Requirements::default());
    };
    let edge_controls = d.optional(&mut s, "edge_controls", false, None);
    let api = d.maybe(&mut s, "api");
    let portability = d.optional(&mut s, "portability", default_portability(), None);
    let memory: Option<Size> = d.optional(&mut s, "memory", default_memory(), None);
    let architecture = d.optional(&mut s, "architecture", default_architecture(), None);
    let runtime = d.optional(&mut s, "runtime", default_runtime(), None);
    let exposure = d.optional(&mut s, "exposure", default_exposure(), None);
    let callers_auth = d.optional(&mut s, "callers_auth", default_callers_auth(), None);
    d.finish(s);
    Some(Requirements {
        edge_controls: edge_controls?,
        api: api?,
        portability: portability?,
        memory: memory?,
        architecture: architecture?,
        runtime: runtime?,
        exposure: exposure?,
        callers_auth: callers_auth?,
    })
}

/// The span of the key at `path` under `entries`, when written.
fn key_span(entries: &[(crate::yaml::Key, Node)], path: &[&str]) -> Option<SourceSpan> {
    let (first, rest) = path.split_first()?;
    let (key, node) = entries.iter().find(|(k, _)| k.name == *first)?;
    if rest.is_empty() {
        return Some(key.span);
    }
    match &node.value {
        Value::Map(inner) => key_span(inner, rest),
        _ => None,
    }
}

/// Needs that no front door meets together: an error at the requirement,
/// pointing at the need it contradicts.
fn contradictions(needs: &Needs, root: &Node, errors: &mut Vec<NeedsError>) {
    let Value::Map(entries) = &root.value else { return };
    let r = &needs.requirements;
    let w = &needs.common.workload;
    let at = |path: &[&str]| key_span(entries, path);
    let mut found = Vec::new();
    if let Some(api) = r.api {
        let http_max = limits::HTTP_TIMEOUT_MAX.value;
        if w.websockets && api != ApiType::Websocket {
            found.push((
                format!("WebSocket clients, but the required `{api}` API carries no WebSockets"),
                "require `api: websocket`, or drop `requirements.api` so an ALB can carry them".to_string(),
                &["workload", "websockets"][..],
            ));
        }
        if w.streaming && api != ApiType::Rest {
            found.push((
                format!("streamed responses, but the required `{api}` API does not stream them (only a REST API does)"),
                "require `api: rest`, or drop `requirements.api` so an ALB can stream".to_string(),
                &["workload", "streaming"][..],
            ));
        }
        if api == ApiType::Http && w.max_request_duration > http_max {
            found.push((
                format!(
                    "requests run up to {}, but an HTTP API is required, and its integration timeout is {http_max} and cannot be raised",
                    w.max_request_duration
                ),
                "require `api: rest` (its timeout can be raised to 300s), or drop `requirements.api`".to_string(),
                &["workload", "max_request_duration"][..],
            ));
        }
        // Only a REST API has a private endpoint: HTTP and WebSocket APIs are Regional only.
        let regional_only = match api {
            ApiType::Http => Some(&limits::HTTP_API_REGIONAL_ONLY),
            ApiType::Websocket => Some(&limits::WEBSOCKET_REGIONAL_ONLY),
            ApiType::Rest => None,
        };
        if let Some(source) = regional_only.filter(|_| r.exposure == crate::model::Exposure::Internal) {
            found.push((
                format!(
                    "an internal service (`exposure: internal`), but the required `{api}` API has no private endpoint: it is reached from the internet"
                ),
                format!(
                    "require `api: rest` (a private REST API is reached only from inside the VPC), or drop `requirements.api` so an internal ALB can front it; {}",
                    crate::model::validate::cite(source)
                ),
                &["requirements", "exposure"][..],
            ));
        }
        if let Some((message, help, other)) = found.into_iter().next() {
            errors.push(contradiction(message, help, at(&["requirements", "api"]), "the required API", at(other)));
        }
    }
    if r.edge_controls && r.portability == Portability::Portable {
        errors.push(contradiction(
            "edge controls need API Gateway in front, but the `portable` floor allows only a public ALB".into(),
            "lower `requirements.portability` to `portable_compute` (containers behind API Gateway), or drop `edge_controls`".into(),
            at(&["requirements", "portability"]),
            "only `fargate_alb` is `portable`",
            at(&["requirements", "edge_controls"]),
        ));
    }
}

/// Memory that some compute offers: Lambda's least to Fargate's most.
fn memory_in_range(needs: &Needs, root: &Node, errors: &mut Vec<NeedsError>) {
    let memory = needs.requirements.memory;
    let (least, most) = (limits::LAMBDA_MEMORY_MIN.value, MEMORY_MAX);
    if memory >= least && memory <= most {
        return;
    }
    let Value::Map(entries) = &root.value else { return };
    let span = key_span(entries, &["requirements", "memory"]).unwrap_or_else(|| SourceSpan::from((0, 0)));
    errors.push(NeedsError::Memory {
        memory: memory.to_string(),
        least: least.to_string(),
        most: most.to_string(),
        span,
    });
}

/// The most memory a Fargate task has (16 vCPU).
const MEMORY_MAX: Size = Size::from_gib(120);

fn contradiction(
    message: String,
    help: String,
    span: Option<SourceSpan>,
    label: &str,
    other: Option<SourceSpan>,
) -> NeedsError {
    NeedsError::Contradiction {
        message,
        help,
        span: span.unwrap_or_else(|| SourceSpan::from((0, 0))),
        label: label.to_string(),
        other,
        other_label: "contradicted here".into(),
    }
}
