//! `lambda_api_gateway`: Route 53 → API Gateway (ACM TLS, optional Lambda
//! authorizer) → Lambda (IAM role) → data; CloudWatch logs, X-Ray traces.

use schemars::JsonSchema;
use serde::Serialize;

use super::components::{Function, Gateway};

/// The components of a Lambda function behind API Gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct LambdaApiGateway {
    /// The API in front of the function.
    pub gateway: Gateway,
    /// The function that serves each request.
    pub function: Function,
}
