//! The typed models of the three patterns, and loading them from YAML or JSON.
//!
//! A [`Model`] holds what every proposal declares (name, environment,
//! workload, network, data, observability, waivers) and [`Components`]: one
//! type per pattern holding exactly that pattern's components, so a Lambda
//! proposal with a load balancer cannot be represented. A model that loads is
//! one AWS would accept: [`limits`] holds the hard limits it is checked
//! against, each with its source.

pub mod components;
mod err;
pub mod fargate_alb;
pub mod fargate_api_gateway;
pub mod lambda_api_gateway;
pub mod limits;
mod load;
pub mod named_enum;
mod read;
pub(crate) mod tree;
mod validate;

use std::collections::BTreeMap;

use miette::SourceSpan;
use schemars::JsonSchema;
use serde::Serialize;

pub use components::*;
pub use err::{LoadError, LoadFailure};
pub use fargate_alb::FargateAlb;
pub use fargate_api_gateway::FargateApiGateway;
pub use lambda_api_gateway::LambdaApiGateway;
pub use named_enum::{EnumType, NamedEnum};
pub use read::{MAX_FILE_BYTES, PROPOSAL_EXTENSIONS, discover, is_proposal_file, load_file, load_str};

use crate::source::SourceFile;

/// An architecture proposal: one service on one pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(
    title = "archpolicy proposal",
    description = "An architecture proposal for archpolicy: one HTTP service on one of three AWS patterns. Reference: docs/model.md"
)]
pub struct Model {
    /// The service's name.
    pub name: String,
    /// The pattern and its components.
    #[serde(flatten)]
    pub components: Components,
    /// The environment, e.g. `production` or `staging`.
    pub environment: String,
    /// Free-form tags, e.g. `{ team: payments, tier: core }`.
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
    /// Accepted exceptions to policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
}

/// The components of the declared pattern: `pattern:` selects the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "pattern")]
pub enum Components {
    #[serde(rename = "lambda_api_gateway")]
    LambdaApiGateway(LambdaApiGateway),
    #[serde(rename = "fargate_alb")]
    FargateAlb(FargateAlb),
    #[serde(rename = "fargate_api_gateway")]
    FargateApiGateway(FargateApiGateway),
}

impl Model {
    pub fn pattern(&self) -> Pattern {
        match &self.components {
            Components::LambdaApiGateway(_) => Pattern::LambdaApiGateway,
            Components::FargateAlb(_) => Pattern::FargateAlb,
            Components::FargateApiGateway(_) => Pattern::FargateApiGateway,
        }
    }

    /// The API Gateway in front, for the patterns that have one.
    pub fn gateway(&self) -> Option<&Gateway> {
        match &self.components {
            Components::LambdaApiGateway(p) => Some(&p.gateway),
            Components::FargateApiGateway(p) => Some(&p.gateway),
            Components::FargateAlb(_) => None,
        }
    }

    /// The Fargate service, for the patterns that have one.
    pub fn service(&self) -> Option<&Service> {
        match &self.components {
            Components::LambdaApiGateway(_) => None,
            Components::FargateAlb(p) => Some(&p.service),
            Components::FargateApiGateway(p) => Some(&p.service),
        }
    }

    /// The ALB, for the patterns that have one.
    pub fn load_balancer(&self) -> Option<&LoadBalancer> {
        match &self.components {
            Components::LambdaApiGateway(_) => None,
            Components::FargateAlb(p) => Some(&p.load_balancer),
            Components::FargateApiGateway(p) => Some(&p.load_balancer),
        }
    }

    /// The function, for `lambda_api_gateway`.
    pub fn function(&self) -> Option<&Function> {
        match &self.components {
            Components::LambdaApiGateway(p) => Some(&p.function),
            _ => None,
        }
    }

    /// The VPC link, for `fargate_api_gateway`.
    pub fn vpc_link(&self) -> Option<&VpcLink> {
        match &self.components {
            Components::FargateApiGateway(p) => Some(&p.vpc_link),
            _ => None,
        }
    }
}

/// Where one value of a model came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written in the proposal, at this span.
    Declared(SourceSpan),
    /// Not written: the loader applied a default (AWS's own when `source` is set).
    Default(Option<limits::Source>),
}

/// The origin of every value of a model, by its path (`function.timeout`,
/// `data[0].kind`). Sections are recorded too, with the span of their key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    by_path: BTreeMap<String, Origin>,
}

impl Origins {
    pub fn get(&self, path: &str) -> Option<Origin> {
        self.by_path.get(path).copied()
    }

    pub(crate) fn insert(&mut self, path: String, origin: Origin) {
        self.by_path.insert(path, origin);
    }

    /// The span of the value at `path`, or of the closest enclosing section
    /// that was written, for values that took a default.
    pub fn span_or_parent(&self, path: &str) -> Option<SourceSpan> {
        let mut current = path;
        loop {
            if let Some(Origin::Declared(span)) = self.get(current) {
                return Some(span);
            }
            let cut = current.rfind(['.', '['])?;
            current = &current[..cut];
        }
    }

    /// The span of the value at `path` if it was written.
    pub fn declared_span(&self, path: &str) -> Option<SourceSpan> {
        match self.get(path) {
            Some(Origin::Declared(span)) => Some(span),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, Origin)> {
        self.by_path.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// A loaded proposal: the model, where each value came from, and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub model: Model,
    pub origins: Origins,
    pub source: SourceFile,
}

impl Proposal {
    /// The facts derived from this proposal, priced with the embedded table.
    pub fn facts(&self) -> crate::facts::Facts {
        crate::facts::derive(self)
    }

    /// The facts, priced with another table or with free tiers.
    pub fn facts_with(&self, cost: &crate::cost::CostOptions) -> crate::facts::Facts {
        crate::facts::derive_with(self, cost)
    }
}
