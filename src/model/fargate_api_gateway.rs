//! `fargate_api_gateway`: Route 53 → API Gateway (ACM, Lambda authorizer) →
//! VPC link → internal ALB → Fargate tasks → data.

use schemars::JsonSchema;
use serde::Serialize;

use super::components::{Gateway, LoadBalancer, Service, VpcLink};

/// The components of a Fargate service behind API Gateway and a private ALB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FargateApiGateway {
    /// The API in front.
    pub gateway: Gateway,
    /// The link from API Gateway into the VPC.
    pub vpc_link: VpcLink,
    /// The internal Application Load Balancer.
    pub load_balancer: LoadBalancer,
    /// The ECS service on Fargate.
    pub service: Service,
}
