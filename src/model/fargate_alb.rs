//! `fargate_alb`: Route 53 → internet-facing ALB (ACM TLS) → Fargate tasks
//! (auth library in the task) → data; FireLens/OTEL telemetry.

use schemars::JsonSchema;
use serde::Serialize;

use super::components::{LoadBalancer, Service};

/// The components of a Fargate service behind a public ALB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FargateAlb {
    /// The internet-facing Application Load Balancer.
    pub load_balancer: LoadBalancer,
    /// The ECS service on Fargate.
    pub service: Service,
}
