//! `function` from an `AWS::Lambda::Function` or `AWS::Serverless::Function`
//! (its SAM `Globals` already merged).

use super::Writer;
use crate::import::template::Resource;
use crate::model::limits;
use crate::yaml::{Node, Value};

/// `handle`: the alias or version of the function the API invokes, when
/// the integration names one (its provisioned concurrency is the service's).
pub(super) fn function(w: &mut Writer<'_>, f: &Resource, handle: Option<&Resource>) {
    w.section("function", f.span);
    if let Some(runtime) = w.property(f, "Runtime")
        && let Some(text) = crate::import::resolve::scalar_text(&runtime)
    {
        w.set("function.runtime", Value::Str(text), runtime.span);
    }
    w.number_or_default(f, "MemorySize", "function.memory", "MiB", (128, limits::LAMBDA_MEMORY_DEFAULT.source));
    w.number_or_default(f, "Timeout", "function.timeout", "s", (3, limits::LAMBDA_TIMEOUT_DEFAULT.source));
    architecture(w, f);
    storage(w, f);
    snapstart(w, f);
    tracing(w, f);
    provisioned(w, f, handle);
    if !w.has_property(f, "VpcConfig") {
        w.absent("function.vpc", f);
    } else if let Some(vpc) = w.property(f, "VpcConfig") {
        // In a VPC; whether its subnets are private is the proposal's to say.
        w.set("function.vpc", Value::Map(Vec::new()), vpc.span);
    }
}

fn architecture(w: &mut Writer<'_>, f: &Resource) {
    match w.property(f, "Architectures") {
        Some(node) => {
            let first = match &node.value {
                Value::Seq(_) => w.items(&node).into_iter().next(),
                _ => Some(node.clone()),
            };
            if let Some(first) = first
                && let Some(arch) = w.choice(&first, "Architectures", &[("x86_64", "x86_64"), ("arm64", "arm64")])
            {
                w.set("function.architecture", Value::Str(arch.into()), first.span);
            }
        }
        None if !w.has_property(f, "Architectures") => {
            w.default("function.architecture", Value::Str("x86_64".into()), f, limits::LAMBDA_ARCHITECTURE_DEFAULT);
        }
        None => {}
    }
}

/// X-Ray active tracing (SAM's `Tracing: Active`, `TracingConfig.Mode:
/// Active`) is `observability.tracing: xray`; without it the proposal says
/// how the service is traced (OpenTelemetry, say).
fn tracing(w: &mut Writer<'_>, f: &Resource) {
    let mode = w.property(f, "Tracing").or_else(|| w.property(f, "TracingConfig").and_then(|t| w.field(&t, "Mode")));
    let Some(mode) = mode else { return };
    if w.choice(&mode, "Tracing", &[("Active", "xray"), ("PassThrough", "none"), ("Disabled", "none")]) == Some("xray")
    {
        w.section("observability", mode.span);
        w.set("observability.tracing", Value::Str("xray".into()), mode.span);
    }
}

fn storage(w: &mut Writer<'_>, f: &Resource) {
    let size = w.property(f, "EphemeralStorage").and_then(|s| w.field(&s, "Size"));
    w.number_or_left_out(size, "EphemeralStorage.Size", "function.ephemeral_storage", "MiB", f);
}

fn snapstart(w: &mut Writer<'_>, f: &Resource) {
    let apply_on = w.property(f, "SnapStart").and_then(|s| w.field(&s, "ApplyOn"));
    match apply_on {
        Some(node) => {
            if let Some(on) = w.choice(&node, "SnapStart.ApplyOn", &[("PublishedVersions", "true"), ("None", "false")])
            {
                w.set("function.snapstart", Value::Bool(on == "true"), node.span);
            }
        }
        None => w.default("function.snapstart", Value::Bool(false), f, limits::LAMBDA_SNAPSTART_DEFAULT),
    }
}

/// The `ProvisionedConcurrencyConfig` of the alias or version the API
/// invokes; else SAM's on the function, or an alias or version of it that has one.
fn provisioned(w: &mut Writer<'_>, f: &Resource, handle: Option<&Resource>) {
    let invoked = handle.and_then(|h| w.property(h, "ProvisionedConcurrencyConfig"));
    let own = invoked.or_else(|| w.property(f, "ProvisionedConcurrencyConfig"));
    let config = own.or_else(|| {
        let holders = w.referring(&["AWS::Lambda::Alias", "AWS::Lambda::Version"], &f.id);
        holders.into_iter().find_map(|r| w.property(r, "ProvisionedConcurrencyConfig"))
    });
    let count = config.and_then(|c| w.field(&c, "ProvisionedConcurrentExecutions"));
    match count {
        Some(node) => {
            if let Some(n) = w.number(&node, "ProvisionedConcurrentExecutions") {
                w.set("function.provisioned_concurrency", Value::Int(i128::from(n)), node.span);
            }
        }
        None => w.default("function.provisioned_concurrency", Value::Int(0), f, limits::LAMBDA_PROVISIONED_DEFAULT),
    }
}

/// `function_url` from an `AWS::Lambda::Url` (SAM's `FunctionUrlConfig`
/// becomes one, as SAM's transform makes it): its auth type, invoke mode
/// (AWS's default `BUFFERED` when left out) and CORS; the function's
/// `ReservedConcurrentExecutions` is the URL's throttle.
pub(super) fn function_url(w: &mut Writer<'_>, u: &Resource, function: Option<&Resource>) {
    w.section("function_url", u.span);
    if let Some(auth) = w.property(u, "AuthType")
        && let Some(ours) = w.choice(&auth, "AuthType", &[("AWS_IAM", "aws_iam"), ("NONE", "none")])
    {
        w.set("function_url.auth", Value::Str(ours.into()), auth.span);
    }
    match w.property(u, "InvokeMode") {
        Some(mode) => {
            let modes = [("BUFFERED", "buffered"), ("RESPONSE_STREAM", "response_stream")];
            if let Some(ours) = w.choice(&mode, "InvokeMode", &modes) {
                w.set("function_url.invoke_mode", Value::Str(ours.into()), mode.span);
            }
        }
        None if !w.has_property(u, "InvokeMode") => {
            w.default("function_url.invoke_mode", Value::Str("buffered".into()), u, limits::function_url::INVOKE_MODES);
        }
        None => {}
    }
    if let Some(f) = function
        && let Some(node) = w.property(f, "ReservedConcurrentExecutions")
        && let Some(n) = w.number(&node, "ReservedConcurrentExecutions")
    {
        w.set("function_url.reserved_concurrency", Value::Int(i128::from(n)), node.span);
    }
    if let Some(cors) = w.property(u, "Cors") {
        w.set("function_url.cors", Value::Map(Vec::new()), cors.span);
        for (aws, ours) in [
            ("AllowOrigins", "allow_origins"),
            ("AllowMethods", "allow_methods"),
            ("AllowHeaders", "allow_headers"),
            ("ExposeHeaders", "expose_headers"),
        ] {
            if let Some(list) = w.field(&cors, aws) {
                let items: Vec<Node> = w
                    .items(&list)
                    .into_iter()
                    .filter_map(|item| {
                        let text = crate::import::resolve::scalar_text(&item)?;
                        Some(Node { value: Value::Str(text), span: item.span })
                    })
                    .collect();
                w.set(&format!("function_url.cors.{ours}"), Value::Seq(items), list.span);
            }
        }
        if let Some(node) = w.field(&cors, "AllowCredentials")
            && let Some(on) = w.choice(&node, "Cors.AllowCredentials", &[("true", "true"), ("false", "false")])
        {
            w.set("function_url.cors.allow_credentials", Value::Bool(on == "true"), node.span);
        }
        if let Some(node) = w.field(&cors, "MaxAge")
            && let Some(n) = w.number(&node, "Cors.MaxAge")
        {
            w.set("function_url.cors.max_age", Value::Str(format!("{n}s")), node.span);
        }
    }
}
