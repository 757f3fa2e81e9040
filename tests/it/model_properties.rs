//! Properties of loading and facts, over generated valid models.
//!
//! Case counts are modest so `cargo test` stays quick; run longer with
//! `PROPTEST_CASES=10000 cargo test --release --test it model_properties::`.

use crate::common;
use crate::strategies;

use common::proptest_config;

use archpolicy::facts::FactValue;
use archpolicy::model::{Model, limits};
use archpolicy::units::Duration;
use proptest::prelude::*;

fn to_yaml(model: &Model) -> String {
    serde_saphyr::to_string(model).expect("a model serializes")
}

fn load(name: &str, text: &str) -> archpolicy::Proposal {
    match archpolicy::load_str(name, text) {
        Ok(p) => p,
        Err(failure) => panic!("did not load:\n{text}\n{failure}"),
    }
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn every_generated_valid_model_loads_and_round_trips_through_yaml(model in strategies::model()) {
        let text = to_yaml(&model);
        let loaded = load("generated.arch.yaml", &text);
        prop_assert_eq!(loaded.model(), &model);
    }

    #[test]
    fn models_round_trip_through_json(model in strategies::model()) {
        let text = serde_json::to_string_pretty(&model).unwrap();
        let loaded = load("generated.arch.json", &text);
        prop_assert_eq!(loaded.model(), &model);
    }

    #[test]
    fn sync_limit_never_exceeds_gateway_ceiling(model in strategies::model()) {
        let proposal = load("generated.arch.yaml", &to_yaml(&model));
        let facts = proposal.facts();
        let Some(FactValue::Duration(limit)) = facts.get("request.sync_limit").map(|f| f.value.clone()) else {
            panic!("request.sync_limit is not a duration");
        };
        if let Some(g) = model.gateway() {
            let ceiling = limits::integration_timeout_ceiling(g.api, g.endpoint, g.timeout_quota_raised, g.transfer);
            prop_assert!(limit <= ceiling.value, "{} > {}", limit, ceiling.value);
            prop_assert!(limit <= g.integration_timeout);
        }
        // Behind a queue the worker is off the synchronous path: the caller
        // waits for the enqueueing only, the gateway's timeout.
        match (model.function(), model.queue(), model.gateway()) {
            (_, Some(_), Some(g)) => prop_assert_eq!(limit, g.integration_timeout),
            (Some(f), None, _) => prop_assert!(limit <= f.timeout),
            _ => {}
        }
        if let Some(lb) = model.load_balancer() {
            prop_assert!(limit <= lb.idle_timeout);
        }
        // The limit is one of the path's timeouts, and its span points at it when declared.
        let decided = facts.get("request.sync_limit").unwrap();
        let has_decider = matches!(decided.provenance(), archpolicy::facts::Provenance::Derived { decided_by: Some(_), .. });
        prop_assert!(has_decider, "request.sync_limit names no deciding fact");
        if let Some(span) = facts.deciding_span("request.sync_limit") {
            let written = proposal.source().slice(span).unwrap();
            prop_assert_eq!(written.trim_matches(['"', '\'']).parse::<Duration>().unwrap(), limit);
        }
    }

    #[test]
    fn every_fact_is_in_the_schema_and_typed_by_it(model in strategies::model()) {
        let proposal = load("generated.arch.yaml", &to_yaml(&model));
        for (path, fact) in proposal.facts().iter() {
            let def = archpolicy::facts::schema::lookup(path);
            prop_assert!(def.is_some(), "fact `{}` is not in the schema", path);
            let def = def.unwrap();
            prop_assert_eq!(def.ty.name(), fact.value.type_name(), "fact `{}`", path);
            prop_assert!(def.patterns.contains(model.pattern()), "fact `{}` for {:?}", path, model.pattern());
        }
        // Every non-optional fact of the pattern is present.
        for def in archpolicy::facts::SCHEMA {
            if def.patterns.contains(model.pattern()) && !def.optional && !def.path.contains("[]") {
                prop_assert!(proposal.facts().get(def.path).is_some(), "missing fact `{}`", def.path);
            }
        }
    }
}

/// A value to write over a valid model, the key it belongs to, and the error code expected.
#[derive(Debug, Clone)]
struct Breach {
    pointer: &'static str,
    key: &'static str,
    value: serde_json::Value,
}

fn breach_for(model: &Model) -> impl Strategy<Value = Breach> + use<> {
    let mut options: Vec<BoxedStrategy<Breach>> = Vec::new();
    if model.function().is_some() {
        options.push(
            (901u64..=100_000)
                .prop_map(|s| Breach { pointer: "/function/timeout", key: "timeout", value: format!("{s}s").into() })
                .boxed(),
        );
        options.push(
            (10_241u64..=100_000)
                .prop_map(|m| Breach { pointer: "/function/memory", key: "memory", value: format!("{m}MiB").into() })
                .boxed(),
        );
        options.push(
            (1u64..128)
                .prop_map(|m| Breach { pointer: "/function/memory", key: "memory", value: format!("{m}MiB").into() })
                .boxed(),
        );
    }
    if model.load_balancer().is_some() {
        options.push(
            (4_001u64..=1_000_000)
                .prop_map(|s| Breach {
                    pointer: "/load_balancer/idle_timeout",
                    key: "idle_timeout",
                    value: format!("{s}s").into(),
                })
                .boxed(),
        );
    }
    if model.service().is_some() {
        options.push(
            (201u64..=10_000)
                .prop_map(|g| Breach {
                    pointer: "/service/ephemeral_storage",
                    key: "ephemeral_storage",
                    value: format!("{g}GiB").into(),
                })
                .boxed(),
        );
        options.push(
            (u64::from(model.common.account.tasks_per_service) + 1..=10_000_000)
                .prop_map(|n| Breach { pointer: "/service/tasks/max", key: "max", value: n.into() })
                .boxed(),
        );
    }
    if let Some(g) = model.gateway() {
        let ceiling = limits::integration_timeout_ceiling(g.api, g.endpoint, g.timeout_quota_raised, g.transfer).value;
        options.push(
            (1u64..=10_000_000)
                .prop_map(move |extra| Breach {
                    pointer: "/gateway/integration_timeout",
                    key: "integration_timeout",
                    value: format!("{}ms", ceiling.as_millis() + extra).into(),
                })
                .boxed(),
        );
    }
    proptest::strategy::Union::new(options)
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn out_of_limit_values_are_rejected_with_the_span_on_their_key(
        (model, breach) in strategies::model().prop_flat_map(|m| { let b = breach_for(&m); (Just(m), b) })
    ) {
        let mut value = serde_json::to_value(&model).unwrap();
        *value.pointer_mut(breach.pointer).unwrap() = breach.value.clone();
        let text = serde_saphyr::to_string(&value).unwrap();
        let failure = archpolicy::load_str("breach.arch.yaml", &text).expect_err("an out-of-limit value must not load");
        let source = failure.source.clone().unwrap();
        let written = match &breach.value { serde_json::Value::String(s) => s.clone(), other => other.to_string() };
        let hit = failure.errors().iter().find(|e| {
            let code = e.code_str();
            (code.ends_with("::limit") || code.ends_with("::conflict"))
                && e.span().and_then(|s| source.slice(s)).is_some_and(|t| t.trim_matches(['"', '\'']) == written)
        });
        prop_assert!(hit.is_some(), "no limit error on `{}` in\n{}\n{}", written, text, failure);
        let span = hit.unwrap().span().unwrap();
        let (line, _) = source.line_col(span.offset());
        let line_text = source.text().lines().nth(line - 1).unwrap();
        prop_assert!(line_text.contains(&format!("{}:", breach.key)), "span on line `{}`", line_text);
    }
}

/// Any combination of the settings AWS judges together, valid or not.
#[derive(Debug, Clone)]
struct Mix {
    api: usize,
    endpoint: usize,
    authorizer: usize,
    waf: bool,
    stream: bool,
    cache: bool,
    runtime: usize,
    snapstart: bool,
    provisioned: u32,
    storage_mib: u64,
    concurrency: u32,
    az_count: u8,
}

fn mix() -> impl Strategy<Value = Mix> {
    (
        (0usize..3, 0usize..3, 0usize..5, any::<bool>(), any::<bool>(), any::<bool>()),
        (0usize..archpolicy::model::RUNTIMES.len(), any::<bool>(), prop_oneof![Just(0u32), 1u32..3_000]),
        (prop_oneof![Just(512u64), 513u64..=10_240], prop_oneof![Just(1_000u32), 10u32..5_000], 1u8..=6),
    )
        .prop_map(|((api, endpoint, authorizer, waf, stream, cache), (runtime, snapstart, provisioned), rest)| {
            let (storage_mib, concurrency, az_count) = rest;
            Mix {
                api,
                endpoint,
                authorizer,
                waf,
                stream,
                cache,
                runtime,
                snapstart,
                provisioned,
                storage_mib,
                concurrency,
                az_count,
            }
        })
}

/// The mix written into a generated model: a Lambda proposal, or the
/// gateway and network of a Fargate one.
fn mixed(model: &Model, m: &Mix) -> String {
    let mut value = serde_json::to_value(model).unwrap();
    let api = ["rest", "http", "websocket"][m.api];
    let endpoint = ["regional", "edge", "private"][m.endpoint];
    let authorizer = ["none", "lambda", "jwt", "iam", "cognito"][m.authorizer];
    let transfer = if m.stream { "stream" } else { "buffered" };
    if value.get("gateway").is_some() {
        value["gateway"] = serde_json::json!({
            "api": api,
            "endpoint": endpoint,
            "authorizer": authorizer,
            "waf": m.waf,
            "transfer": transfer,
        });
        if m.cache {
            value["gateway"]["cache_gb"] = serde_json::json!(0.5);
        }
    }
    if value.get("function").is_some() {
        let f = &mut value["function"];
        f["runtime"] = archpolicy::model::RUNTIMES[m.runtime].name.into();
        f["snapstart"] = m.snapstart.into();
        f["provisioned_concurrency"] = m.provisioned.into();
        f["ephemeral_storage"] = format!("{}MiB", m.storage_mib).into();
    }
    value["account"]["lambda_concurrency"] = m.concurrency.into();
    value["network"]["az_count"] = m.az_count.into();
    serde_saphyr::to_string(&value).unwrap()
}

/// Tasks that receive from the queue themselves: ReceiveMessage's 10 at most, no
/// event source mapping (no batching window, no mapping concurrency), no ALB to authenticate.
fn fargate_worker_accepts(model: &Model) -> Result<(), String> {
    if let (Some(q), Some(s)) = (model.queue(), model.service()) {
        use archpolicy::model::ServiceAuth::{AlbCognito, AlbOidc};
        if q.batch_size > 10 || q.batching_window.as_millis() > 0 || q.max_concurrency.is_some() {
            return Err("a Fargate worker with an event source mapping's settings".into());
        }
        if matches!(s.auth, AlbOidc | AlbCognito) {
            return Err("an ALB's auth with no ALB".into());
        }
    }
    Ok(())
}

/// AWS's rules, stated again from aws-facts.md rather than taken from the loader.
fn aws_accepts(model: &Model) -> Result<(), String> {
    use archpolicy::model::{ApiType, Authorizer, EndpointType, TransferMode};
    if let Some(g) = model.gateway() {
        if g.waf && g.api != ApiType::Rest {
            return Err("WAF on a non-REST API".into());
        }
        let authorizer_ok = match g.api {
            ApiType::Rest => g.authorizer != Authorizer::Jwt,
            ApiType::Http => g.authorizer != Authorizer::Cognito,
            ApiType::Websocket => !matches!(g.authorizer, Authorizer::Jwt | Authorizer::Cognito),
        };
        if !authorizer_ok {
            return Err(format!("a {} authorizer on a {} API", g.authorizer, g.api));
        }
        if g.api != ApiType::Rest && g.endpoint != EndpointType::Regional {
            return Err(format!("a {} endpoint on a {} API", g.endpoint, g.api));
        }
        if g.cache_gb.is_some() && g.api != ApiType::Rest {
            return Err("an API cache off REST".into());
        }
        if g.transfer == TransferMode::Stream && (g.api != ApiType::Rest || g.cache_gb.is_some()) {
            return Err("streaming off REST, or with a cache".into());
        }
    }
    if let Some(f) = model.function() {
        if f.snapstart && (!f.runtime.info().snapstart || f.provisioned_concurrency > 0) {
            return Err(format!("SnapStart on {} with {} provisioned", f.runtime, f.provisioned_concurrency));
        }
        if f.snapstart && f.ephemeral_storage > archpolicy::units::Size::from_mib(512) {
            return Err("SnapStart with more than 512 MB of /tmp".into());
        }
        if f.provisioned_concurrency + 100 > model.common.account.lambda_concurrency && f.provisioned_concurrency > 0 {
            return Err("provisioned concurrency leaves less than 100 unreserved".into());
        }
    }
    if model.load_balancer().is_some() && model.common.network.az_count < 2 {
        return Err("an ALB in one AZ".into());
    }
    if let (Some(link), Some(g)) = (model.vpc_link(), model.gateway()) {
        use archpolicy::model::VpcLinkVersion::{V1, V2};
        if matches!((g.api, link.version), (ApiType::Http, V1) | (ApiType::Websocket, V2)) {
            return Err("a VPC link the API type does not use".into());
        }
    }
    let gateway_auth = model.service().is_some_and(|s| s.auth == archpolicy::model::ServiceAuth::Gateway);
    if gateway_auth && model.gateway().is_none_or(|g| g.authorizer == Authorizer::None) {
        return Err("`auth: gateway` with no authorizer".into());
    }
    // An API that enqueues into SQS (AWS service integration): REST or HTTP, buffered.
    if let (Some(g), Some(_)) = (model.gateway(), model.queue())
        && (g.api == ApiType::Websocket || g.transfer == TransferMode::Stream)
    {
        return Err("a WebSocket or streaming API in front of a queue".into());
    }
    fargate_worker_accepts(model)?;
    if let Some(u) = model.function_url() {
        use archpolicy::model::{InvokeMode, UrlAuth};
        if u.waf && !u.cloudfront {
            return Err("WAF on a function URL without CloudFront".into());
        }
        if u.cloudfront && u.auth != UrlAuth::AwsIam {
            return Err("CloudFront's origin access control to a public URL".into());
        }
        if u.invoke_mode == InvokeMode::ResponseStream && model.function().is_some_and(|f| f.vpc.is_some()) {
            return Err("a streaming URL from a function in a VPC".into());
        }
        if u.reserved_concurrency.is_some_and(|r| r + 100 > model.common.account.lambda_concurrency) {
            return Err("reserved concurrency leaves less than 100 unreserved".into());
        }
        // AWS allocates no more provisioned concurrency than reserved (lambda/latest/dg/provisioned-concurrency.html).
        let provisioned = model.function().map_or(0, |f| f.provisioned_concurrency);
        if u.reserved_concurrency.is_some_and(|r| provisioned > r) {
            return Err("more provisioned concurrency than reserved".into());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(256))]

    /// Over the whole space of the settings AWS judges together, valid or
    /// not: a proposal loads exactly when AWS would accept it.
    #[test]
    fn a_proposal_loads_exactly_when_aws_accepts_it(model in strategies::model(), m in mix()) {
        let text = mixed(&model, &m);
        match archpolicy::load_str("mixed.arch.yaml", &text) {
            Ok(proposal) => prop_assert!(aws_accepts(proposal.model()).is_ok(), "loaded but {:?}:\n{}", aws_accepts(proposal.model()), text),
            Err(failure) => {
                // Refused: then a rule of AWS's is broken. Read the text back
                // without the loader to find which (the model as written).
                let written: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
                let reason = failure.to_string();
                prop_assert!(breaks_a_rule(&written), "refused though AWS accepts it: {reason}\n{text}");
            }
        }
    }
}

/// Whether the written proposal breaks one of the rules `aws_accepts` states,
/// read from its JSON form (the loader is not asked).
fn breaks_a_rule(v: &serde_json::Value) -> bool {
    let s = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_string);
    let b = |p: &str| v.pointer(p).and_then(serde_json::Value::as_bool).unwrap_or(false);
    let n = |p: &str| v.pointer(p).and_then(serde_json::Value::as_u64);
    let api = s("/gateway/api");
    let rest = api.as_deref() == Some("rest");
    let authorizer = s("/gateway/authorizer").unwrap_or_else(|| "none".into());
    let gateway_breaks = api.is_some()
        && ((b("/gateway/waf") && !rest)
            || (rest && authorizer == "jwt")
            || (api.as_deref() == Some("http") && authorizer == "cognito")
            || (api.as_deref() == Some("websocket") && (authorizer == "jwt" || authorizer == "cognito"))
            || (!rest && s("/gateway/endpoint").as_deref() != Some("regional"))
            || (v.pointer("/gateway/cache_gb").is_some() && !rest)
            || (s("/gateway/transfer").as_deref() == Some("stream")
                && (!rest || v.pointer("/gateway/cache_gb").is_some())));
    let runtime = s("/function/runtime");
    let snapstart_runtime = runtime
        .as_deref()
        .and_then(|r| archpolicy::model::RUNTIMES.iter().find(|x| x.name == r))
        .is_some_and(|r| r.snapstart);
    let provisioned = n("/function/provisioned_concurrency").unwrap_or(0);
    let storage = s("/function/ephemeral_storage").unwrap_or_default();
    let storage_mib: u64 = storage.trim_end_matches("MiB").parse().unwrap_or(512);
    let concurrency = n("/account/lambda_concurrency").unwrap_or(1_000);
    let function_breaks = runtime.is_some()
        && ((b("/function/snapstart") && (!snapstart_runtime || provisioned > 0 || storage_mib > 512))
            || (provisioned > 0 && provisioned + 100 > concurrency));
    let alb_breaks = v.get("load_balancer").is_some() && n("/network/az_count").unwrap_or(2) < 2;
    let url_breaks = v.get("function_url").is_some()
        && ((b("/function_url/waf") && !b("/function_url/cloudfront"))
            || (b("/function_url/cloudfront") && s("/function_url/auth").as_deref() != Some("aws_iam"))
            || (s("/function_url/invoke_mode").as_deref() == Some("response_stream")
                && v.pointer("/function/vpc").is_some())
            || n("/function_url/reserved_concurrency").is_some_and(|r| r + 100 > concurrency || provisioned > r));
    // fargate_api_gateway's own rules: the VPC link the API type uses, and
    // `auth: gateway` only behind an authorizer.
    let link = s("/vpc_link/version");
    let pattern_breaks = (link.as_deref() == Some("v1") && api.as_deref() == Some("http"))
        || (link.as_deref() == Some("v2") && api.as_deref() == Some("websocket"))
        || (s("/service/auth").as_deref() == Some("gateway") && authorizer == "none");
    // queue_worker's: an API that enqueues is REST or HTTP, and buffered.
    let queue_breaks = v.get("queue").is_some()
        && (api.as_deref() == Some("websocket") || s("/gateway/transfer").as_deref() == Some("stream"));
    // fargate_queue_worker's: no mapping settings, ReceiveMessage's 10, no ALB auth.
    let worker_breaks = v.get("queue").is_some()
        && v.get("service").is_some()
        && (n("/queue/batch_size").unwrap_or(10) > 10
            || s("/queue/batching_window").is_some_and(|w| w != "0s")
            || v.pointer("/queue/max_concurrency").is_some()
            || matches!(s("/service/auth").as_deref(), Some("alb_oidc" | "alb_cognito")));
    gateway_breaks || function_breaks || alb_breaks || pattern_breaks || url_breaks || queue_breaks || worker_breaks
}
