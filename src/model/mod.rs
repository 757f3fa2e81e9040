//! The typed model of a proposal, and the parts every stage above shares.
//!
//! A [`Model`] holds what every proposal declares (name, environment,
//! workload, network, data, observability, waivers), its [`Pattern`] and its
//! [`Components`]. This layer knows no pattern in particular: which
//! components a pattern has, and its own rules, live in [`crate::patterns`];
//! turning a file into a model is [`crate::load`]. Here are the types, the
//! decoders of each section ([`decode`]), the checks of each component against
//! AWS's hard limits ([`validate`]) and the limits themselves ([`limits`]),
//! each with its source.

pub mod components;
pub mod decode;
pub mod enums;
mod err;
pub mod limits;
pub mod named_enum;
mod origins;
pub mod runtimes;
pub mod validate;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

pub use components::*;
pub use enums::*;
pub use err::{LoadError, LoadFailure};
pub use named_enum::{EnumType, NamedEnum};
pub use origins::{Origin, Origins};
pub use runtimes::{RUNTIMES, Runtime, RuntimeInfo};

use crate::source::SourceFile;

/// An architecture proposal: one service on one pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(
    title = "archpolicy proposal",
    description = "An architecture proposal for archpolicy: one HTTP service on one of the AWS patterns. Reference: docs/model.md"
)]
pub struct Model {
    /// What a needs file states too: the service, its workload and
    /// surroundings. First, so that a proposal written from a needs file
    /// (`policy recommend --write`) starts as the needs file does.
    #[serde(flatten)]
    pub common: Common,
    /// One of the registry's patterns (docs/model.md).
    pub pattern: Pattern,
    /// The pattern's components.
    #[serde(flatten)]
    pub components: Components,
    /// Accepted exceptions to policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
    /// The template the proposal stands on, when it takes its components from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<ImportRef>,
}

/// The sections a proposal and a needs file share, stated once: both
/// types flatten it, [`decode::Decoder::common`] reads it for both, and
/// both JSON Schemas take its keys and descriptions from here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Common {
    /// The service's name.
    pub name: String,
    /// The environment, e.g. `production` or `staging`.
    pub environment: Environment,
    /// Free-form tags, e.g. `{ team: payments, tier: core, audience: partner }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
    /// What the service is asked to carry.
    pub workload: Workload,
    /// The VPC's shape. Default: 2 AZs, no NAT gateway.
    #[serde(default = "defaults::network")]
    pub network: Network,
    /// Data stores the service uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataStore>,
    /// Logs and traces. Default: CloudWatch logs, no tracing.
    #[serde(default = "defaults::observability")]
    pub observability: Observability,
    /// The AWS account's quotas, where raised. Default: AWS's.
    #[serde(default = "defaults::account")]
    pub account: Account,
}

/// The components of the declared pattern. Which are present is the
/// pattern's to say (src/patterns/): the loader reads exactly those, so a
/// Lambda proposal with a load balancer does not load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Components {
    /// The API Gateway API in front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<Gateway>,
    /// The Lambda function that serves each request, or does each job behind a queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<Function>,
    /// The link from API Gateway into the VPC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_link: Option<VpcLink>,
    /// The Application Load Balancer: internet-facing or internal as the front door, internal behind a VPC link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancer>,
    /// The ECS service on Fargate: its tasks serve each request, or do each job behind a queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    /// The function's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_url: Option<FunctionUrl>,
    /// The SQS queue the API enqueues into, and how the worker receives from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Queue>,
}

impl Components {
    /// Whether `component` is present.
    pub fn has(&self, component: Component) -> bool {
        match component {
            Component::Gateway => self.gateway.is_some(),
            Component::Function => self.function.is_some(),
            Component::VpcLink => self.vpc_link.is_some(),
            Component::LoadBalancer => self.load_balancer.is_some(),
            Component::Service => self.service.is_some(),
            Component::FunctionUrl => self.function_url.is_some(),
            Component::Queue => self.queue.is_some(),
        }
    }
}

impl Model {
    pub fn pattern(&self) -> Pattern {
        self.pattern
    }

    /// The API Gateway in front, for the patterns that have one.
    pub fn gateway(&self) -> Option<&Gateway> {
        self.components.gateway.as_ref()
    }

    /// The Fargate service, for the patterns that have one.
    pub fn service(&self) -> Option<&Service> {
        self.components.service.as_ref()
    }

    /// The ALB, for the patterns that have one.
    pub fn load_balancer(&self) -> Option<&LoadBalancer> {
        self.components.load_balancer.as_ref()
    }

    /// The function, for the patterns that have one.
    pub fn function(&self) -> Option<&Function> {
        self.components.function.as_ref()
    }

    /// The function URL, for `lambda_function_url`.
    pub fn function_url(&self) -> Option<&FunctionUrl> {
        self.components.function_url.as_ref()
    }

    /// The queue and how the worker receives from it, for the patterns that have one.
    pub fn queue(&self) -> Option<&Queue> {
        self.components.queue.as_ref()
    }

    /// The VPC link, for `fargate_api_gateway`.
    pub fn vpc_link(&self) -> Option<&VpcLink> {
        self.components.vpc_link.as_ref()
    }
}

/// A loaded proposal: the model, where each value came from, and the file.
/// What an embedder reads of it is its file, name, pattern and environment
/// here, and everything else as [`facts`](Proposal::facts).
///
/// ```
/// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
/// assert_eq!(proposal.source().name(), "examples/fargate_alb.arch.yaml");
/// assert_eq!((proposal.name(), proposal.pattern()), ("storefront", "fargate_alb"));
/// let report = archpolicy::PolicySet::standard()?.check(&proposal);
/// assert_eq!(report.pattern, "fargate_alb");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The typed model, as AWS would accept it.
    pub(crate) model: Model,
    /// Where each value came from: a span in the file, or a default.
    pub(crate) origins: Origins,
    /// The file it was read from, with any template it stands on attached.
    pub(crate) source: SourceFile,
}

impl Proposal {
    /// The file it was read from, with any template it stands on attached
    /// (spans in findings and facts point into either).
    ///
    /// ```
    /// let proposal = archpolicy::load_str("api.arch.yaml", &std::fs::read_to_string("examples/fargate_alb.arch.yaml")?)?;
    /// assert_eq!(proposal.source().name(), "api.arch.yaml");
    /// assert!(proposal.source().text().contains("pattern: fargate_alb"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    /// The service's `name`.
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// assert_eq!(proposal.name(), "catalog-api");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.model.common.name
    }

    /// The pattern's id, as the file spells it (`lambda_api_gateway`; docs/model.md).
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// assert_eq!(proposal.pattern(), "lambda_api_gateway");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn pattern(&self) -> &'static str {
        self.model.pattern.name()
    }

    /// The `environment`, as the file spells it (`production`, `staging`, ...).
    ///
    /// ```
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// assert_eq!(proposal.environment(), "production");
    /// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
    /// ```
    pub fn environment(&self) -> &'static str {
        self.model.common.environment.name()
    }
}

impl Proposal {
    internal! {
        /// A proposal of `model` as if read from `source`, every value's
        /// origin a default: how a model built in code (an alternative, a
        /// candidate) is checked without writing it out and reading it back.
        fn new(model: Model, source: SourceFile) -> Proposal {
            Proposal { model, origins: Origins::default(), source }
        }
    }
}

internal! {
    impl Proposal {
        pub fn model(&self) -> &Model {
            &self.model
        }

        pub fn model_mut(&mut self) -> &mut Model {
            &mut self.model
        }

        pub fn into_model(self) -> Model {
            self.model
        }

        pub fn origins(&self) -> &Origins {
            &self.origins
        }
    }
}
