//! `service` from an `AWS::ECS::Service`, its task definition and scaling
//! target; `load_balancer` from an `AWS::ElasticLoadBalancingV2::LoadBalancer`.

use super::{Writer, lower};
use crate::import::resolve::scalar_text;
use crate::import::template::Resource;
use crate::model::limits;
use crate::yaml::{Node, Value};

pub(super) fn service(w: &mut Writer<'_>, s: &Resource) {
    w.section("service", s.span);
    let task = s.refs.iter().filter_map(|id| w.resource(id)).find(|r| r.kind == "AWS::ECS::TaskDefinition");
    match task {
        Some(task) => task_size(w, task),
        None => {
            if let Some(node) = s.property("TaskDefinition") {
                // Another stack's task definition: its size is not in this template.
                w.resolve(node);
            }
        }
    }
    tasks(w, s);
    let assign = w
        .property(s, "NetworkConfiguration")
        .and_then(|n| w.field(&n, "AwsvpcConfiguration"))
        .and_then(|a| w.field(&a, "AssignPublicIp"));
    match assign {
        Some(node) => {
            if let Some(on) = w.choice(&node, "AssignPublicIp", &[("ENABLED", "true"), ("DISABLED", "false")]) {
                w.set("service.public_ip", Value::Bool(on == "true"), node.span);
            }
        }
        None => w.default("service.public_ip", Value::Bool(false), s, limits::ASSIGN_PUBLIC_IP_DEFAULT),
    }
    let strategy = w.property(s, "CapacityProviderStrategy").map(|n| w.items(&n)).unwrap_or_default();
    let providers: Vec<Node> = strategy.iter().filter_map(|i| w.field(i, "CapacityProvider")).collect();
    let spot = providers.into_iter().find(|p| lower(p).is_some_and(|p| p == "fargate_spot"));
    match spot {
        Some(node) => w.set("service.spot", Value::Bool(true), node.span),
        None => w.default("service.spot", Value::Bool(false), s, limits::FARGATE_SPOT_DEFAULT),
    }
}

/// `Cpu`, `Memory`, `RuntimePlatform` and `EphemeralStorage` of the task definition.
fn task_size(w: &mut Writer<'_>, task: &Resource) {
    if let Some(cpu) = w.property(task, "Cpu") {
        match cpu_text(&cpu) {
            Some(vcpu) => w.set("service.cpu", Value::Str(vcpu), cpu.span),
            None => w.unreadable(
                &cpu,
                format!("`Cpu` is {}, not CPU units", cpu.value.describe()),
                "write CPU units (`1024`) or vCPU (`1 vCPU`)",
            ),
        }
    }
    if let Some(memory) = w.property(task, "Memory") {
        match memory_mib(&memory) {
            Some(mib) => w.set("service.memory", Value::Str(format!("{mib}MiB")), memory.span),
            None => w.unreadable(
                &memory,
                format!("`Memory` is {}, not MiB or GB", memory.value.describe()),
                "write MiB (`2048`) or GB (`2 GB`)",
            ),
        }
    }
    let arch = w.property(task, "RuntimePlatform").and_then(|p| w.field(&p, "CpuArchitecture"));
    match arch {
        Some(node) => {
            if let Some(a) = w.choice(&node, "CpuArchitecture", &[("X86_64", "x86_64"), ("ARM64", "arm64")]) {
                w.set("service.architecture", Value::Str(a.into()), node.span);
            }
        }
        None => {
            w.default("service.architecture", Value::Str("x86_64".into()), task, limits::FARGATE_ARCHITECTURE_DEFAULT)
        }
    }
    let storage = w.property(task, "EphemeralStorage").and_then(|e| w.field(&e, "SizeInGiB"));
    w.number_or_left_out(storage, "SizeInGiB", "service.ephemeral_storage", "GiB", task);
}

/// CPU as ECS reads a task definition's `Cpu`: units (`"256"`, 1024 to a
/// vCPU) or `"0.25 vCPU"`; written back in vCPU.
pub(crate) fn cpu_text(node: &Node) -> Option<String> {
    let text = scalar_text(node)?.trim().to_ascii_lowercase();
    let vcpu = match text.strip_suffix("vcpu") {
        Some(n) => n.trim().parse::<f64>().ok()?,
        None => text.parse::<f64>().ok()? / 1024.0,
    };
    (vcpu > 0.0 && vcpu < 1e6).then(|| format!("{vcpu}"))
}

/// Memory as ECS reads a task definition's `Memory`: MiB (`"2048"`) or GB (`"2 GB"`, 1 GB = 1024 MiB).
pub(crate) fn memory_mib(node: &Node) -> Option<u64> {
    let text = scalar_text(node)?.trim().to_ascii_lowercase();
    let (number, factor) = match text.strip_suffix("gb") {
        Some(n) => (n.trim(), 1024.0),
        None => (text.as_str(), 1.0),
    };
    let mib = number.parse::<f64>().ok()? * factor;
    (mib > 0.0 && mib.fract() == 0.0 && mib < 1e12).then_some(mib as u64)
}

/// `DesiredCount` (1 when left out), and the bounds of the service's
/// scalable target when a scaling policy or a scheduled action moves it
/// within them; a target nothing moves leaves the service at its
/// `DesiredCount` (the classifier's notes say so, and what the policies
/// state that no proposal key holds).
fn tasks(w: &mut Writer<'_>, s: &Resource) {
    let desired = match w.property(s, "DesiredCount") {
        Some(node) => w.number(&node, "DesiredCount").map(|n| (n, node.span)),
        None => {
            w.defaults_note("service.tasks.desired", limits::DESIRED_COUNT_DEFAULT);
            Some((1, s.span))
        }
    };
    let Some((desired, desired_span)) = desired else { return };
    let Ok((target, moved)) = scaling_target(w, s) else { return };
    let bound = |w: &mut Writer<'_>, name: &str| {
        let node = target.and_then(|t| w.property(t, name))?;
        w.number(&node, name).map(|n| (n, node.span))
    };
    let min = bound(w, "MinCapacity").unwrap_or((desired, desired_span));
    let max = bound(w, "MaxCapacity").unwrap_or((desired, desired_span));
    // Registering a target moves the current capacity inside its range
    // (Application Auto Scaling API Reference, RegisterScalableTarget,
    // docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html,
    // read 2026-12-06), whether or not a policy then moves it.
    let count = if min.0 <= max.0 && desired < min.0 {
        min
    } else if min.0 <= max.0 && desired > max.0 {
        max
    } else {
        (desired, desired_span)
    };
    if !moved {
        // With nothing to scale it, it stays there.
        for key in ["min", "desired", "max"] {
            w.set(&format!("service.tasks.{key}"), Value::Int(i128::from(count.0)), count.1);
        }
        return;
    }
    w.set("service.tasks.min", Value::Int(i128::from(min.0)), min.1);
    w.set("service.tasks.desired", Value::Int(i128::from(count.0)), count.1);
    w.set("service.tasks.max", Value::Int(i128::from(max.0)), max.1);
}

/// The service's scalable target, and whether a scaling policy or a
/// scheduled action moves it (else the service runs its `DesiredCount`,
/// kept within the target's range). A target or policy that may be
/// the service's but that nothing ties to a service, and a policy whose
/// target is not in the template, are errors: the task counts are never
/// read from `DesiredCount` in silence.
fn scaling_target<'a>(w: &mut Writer<'a>, s: &Resource) -> Result<(Option<&'a Resource>, bool), ()> {
    let template = w.template;
    let resolver = w.resolver;
    let resolved = |n: &Node| resolver.value(n).ok().flatten().and_then(|v| scalar_text(&v));
    let scaling = crate::import::links::scaling(template, s, &resolved);
    let moved = scaling.target.is_some_and(|t| !scaling.policies.is_empty() || scheduled(t));
    let blocking = scaling.undecided.iter().find(|(r, _)| {
        (r.kind == crate::import::links::SCALABLE_TARGET && scaling.target.is_none())
            || (r.kind == crate::import::links::SCALING_POLICY && !moved)
    });
    if let Some((r, at)) = blocking {
        let node = at.cloned().unwrap_or(Node { value: Value::Null, span: r.span });
        let (what, help) = if r.kind == crate::import::links::SCALABLE_TARGET {
            ("scaling target", "its `ResourceId` ties it to no service of this template")
        } else {
            (
                "scaling policy",
                "neither its `ScalingTargetId` nor its `ResourceId` ties it to a service of this template",
            )
        };
        w.unreadable(
            &node,
            format!("the {what} `{}` may scale `{}`, but {help}", r.name(), s.name()),
            "write `ResourceId` as `service/${Cluster}/${Service.Name}` (`!Sub`, or `!Join` with `!GetAtt Service.Name`), or give the parameters it names; the service's task counts are not guessed from `DesiredCount`",
        );
        return Err(());
    }
    if scaling.target.is_none()
        && let Some(policy) = scaling.policies.first()
    {
        let node = Node { value: Value::Null, span: policy.span };
        w.unreadable(
            &node,
            format!(
                "the scaling policy `{}` scales `{}`, but the service's scalable target is not in this template: its task bounds (`MinCapacity`, `MaxCapacity`) are unknown",
                policy.name(),
                s.name()
            ),
            "import the template that registers the service's scalable target with its policies; the service's task counts are not guessed from `DesiredCount`",
        );
        return Err(());
    }
    Ok((scaling.target, moved))
}

/// Whether a scalable target has scheduled actions, which move its capacity on a schedule.
pub(crate) fn scheduled(target: &Resource) -> bool {
    matches!(target.property("ScheduledActions").map(|n| &n.value), Some(Value::Seq(items)) if !items.is_empty())
}

pub(super) fn load_balancer(w: &mut Writer<'_>, lb: &Resource) {
    w.section("load_balancer", lb.span);
    match w.property(lb, "Scheme") {
        Some(node) => {
            let choices = [("internet-facing", "internet_facing"), ("internal", "internal")];
            if let Some(scheme) = w.choice(&node, "Scheme", &choices) {
                w.set("load_balancer.scheme", Value::Str(scheme.into()), node.span);
            }
        }
        None => w.default("load_balancer.scheme", Value::Str("internet_facing".into()), lb, limits::ALB_SCHEME_DEFAULT),
    }
    let attributes = w.property(lb, "LoadBalancerAttributes").map(|n| w.items(&n)).unwrap_or_default();
    let idle = attributes
        .iter()
        .find(|a| a.get("Key").and_then(scalar_text).is_some_and(|k| k == "idle_timeout.timeout_seconds"))
        .and_then(|a| w.field(a, "Value"));
    w.number_or_left_out(idle, "idle_timeout.timeout_seconds", "load_balancer.idle_timeout", "s", lb);
    match w.referring(&["AWS::WAFv2::WebACLAssociation"], &lb.id).first() {
        Some(association) => w.set("load_balancer.waf", Value::Bool(true), association.span),
        None => w.default("load_balancer.waf", Value::Bool(false), lb, limits::WAF_DEFAULT),
    }
}
