//! Where the compute runs, who authorizes and patches it, how it starts and
//! survives, and how portable the pattern is.

use super::Builder;
use crate::facts::schema::{AuthPoint, Patcher};
use crate::facts::value::FactValue;
use crate::model::{Authorizer, Function, Model, RuntimeFamily, Service, ServiceAuth, SubnetKind, UrlAuth};
use crate::patterns;

pub(super) fn derive(b: &mut Builder<'_>, m: &Model) {
    let (portability, rule) = patterns::def(m.pattern()).portability;
    b.derived("portability", FactValue::of_enum(portability), &["pattern"], rule, None);
    if let Some(f) = m.function() {
        function(b, m, f);
    }
    if let Some(s) = m.service() {
        service(b, m, s);
    }
}

fn function(b: &mut Builder<'_>, m: &Model, f: &Function) {
    let in_vpc = f.vpc.is_some();
    b.derived(
        "network.compute_in_vpc",
        FactValue::Bool(in_vpc),
        &["function.vpc.subnets"],
        "true when the function is attached to a VPC",
        None,
    );
    b.derived(
        "network.compute_exposed",
        FactValue::Bool(false),
        &["pattern"],
        "a Lambda function has no inbound network path: it is reached only through its invoke API",
        None,
    );
    let private = f.vpc.as_ref().is_some_and(|v| v.subnets == SubnetKind::Private);
    b.derived(
        "network.compute_private",
        FactValue::Bool(private),
        &["function.vpc.subnets"],
        "true when the function is attached to private subnets (Lambda has no public IP)",
        None,
    );
    match m.gateway() {
        Some(g) => {
            let auth = if g.authorizer == Authorizer::None { AuthPoint::Application } else { AuthPoint::Gateway };
            b.derived(
                "auth.enforced_at",
                FactValue::of_enum(auth),
                &["gateway.authorizer"],
                "the gateway when it has an authorizer, otherwise the function's code",
                None,
            );
        }
        None if m.function_url().is_some_and(|u| u.auth == UrlAuth::AwsIam) => {
            let rule = "the function URL's IAM auth: only signed requests reach the function";
            b.derived("auth.enforced_at", FactValue::of_enum(AuthPoint::FunctionUrl), &["function_url.auth"], rule, None);
        }
        None => {
            let rule = "the function's code: no gateway or IAM auth in front of it";
            b.derived("auth.enforced_at", FactValue::of_enum(AuthPoint::Application), &["pattern"], rule, None);
        }
    }
    b.derived(
        "startup.cold_starts",
        FactValue::Bool(f.provisioned_concurrency == 0),
        &["function.provisioned_concurrency"],
        "true without provisioned concurrency",
        Some("function.provisioned_concurrency"),
    );
    let patcher = if f.runtime.family() == RuntimeFamily::Custom { Patcher::Team } else { Patcher::Aws };
    b.derived(
        "ops.runtime_patching",
        FactValue::of_enum(patcher),
        &["function.runtime"],
        "AWS patches managed runtimes; the team patches an OS-only runtime's binary",
        None,
    );
    b.derived(
        "resilience.multi_az",
        FactValue::Bool(true),
        &["pattern"],
        "Lambda runs functions across the Region's Availability Zones",
        None,
    );
}

fn service(b: &mut Builder<'_>, m: &Model, s: &Service) {
    b.derived("network.compute_in_vpc", FactValue::Bool(true), &["pattern"], "Fargate tasks run in a VPC", None);
    let exposed = s.subnets == SubnetKind::Public && s.public_ip;
    b.derived(
        "network.compute_exposed",
        FactValue::Bool(exposed),
        &["service.subnets", "service.public_ip"],
        "true for tasks with a public IP in a public subnet: the internet can reach them without the front door",
        Some(if s.public_ip { "service.subnets" } else { "service.public_ip" }),
    );
    let private = s.subnets == SubnetKind::Private && !s.public_ip;
    b.derived(
        "network.compute_private",
        FactValue::Bool(private),
        &["service.subnets", "service.public_ip"],
        "true for private subnets without public IPs",
        Some(if s.public_ip { "service.public_ip" } else { "service.subnets" }),
    );
    service_auth(b, m, s);
    b.derived(
        "startup.cold_starts",
        FactValue::Bool(s.tasks.min == 0),
        &["service.tasks.min"],
        "true when the service may scale in to zero tasks",
        Some("service.tasks.min"),
    );
    b.derived(
        "ops.runtime_patching",
        FactValue::of_enum(Patcher::Team),
        &["pattern"],
        "the team builds and patches its container image",
        None,
    );
    if m.queue().is_some() {
        // The queue (SQS keeps messages across the Region's AZs) holds the
        // work while tasks start in any AZ of the service's subnets, so an
        // AZ's loss loses no job even from no task at all.
        b.derived(
            "resilience.multi_az",
            FactValue::Bool(m.common.network.az_count >= 2),
            &["network.az_count"],
            "true with two or more AZs: behind a queue, which holds the jobs, tasks start in any of them",
            Some("network.az_count"),
        );
        return;
    }
    let multi_az = m.common.network.az_count >= 2 && s.tasks.min >= 2;
    b.derived(
        "resilience.multi_az",
        FactValue::Bool(multi_az),
        &["network.az_count", "service.tasks.min"],
        "true with two or more AZs and at least two tasks at all times",
        Some(if m.common.network.az_count < 2 { "network.az_count" } else { "service.tasks.min" }),
    );
}

/// The gateway when it has an authorizer, otherwise the service's own `auth`.
fn service_auth(b: &mut Builder<'_>, m: &Model, s: &Service) {
    let auth = match (m.gateway().map(|g| g.authorizer), s.auth) {
        (Some(a), _) if a != Authorizer::None => AuthPoint::Gateway,
        (_, ServiceAuth::Library) => AuthPoint::Application,
        (_, ServiceAuth::Sidecar) => AuthPoint::Sidecar,
        (_, ServiceAuth::Mesh) => AuthPoint::Mesh,
        (_, ServiceAuth::Gateway) => AuthPoint::Gateway,
        (_, ServiceAuth::AlbOidc | ServiceAuth::AlbCognito) => AuthPoint::LoadBalancer,
        (_, ServiceAuth::None) => AuthPoint::None,
    };
    let from: &[&str] = if m.gateway().is_some() { &["gateway.authorizer", "service.auth"] } else { &["service.auth"] };
    b.derived(
        "auth.enforced_at",
        FactValue::of_enum(auth),
        from,
        "the gateway when it has an authorizer, otherwise the service's `auth`",
        None,
    );
}
