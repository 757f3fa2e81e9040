//! Properties of loading and facts, over generated valid models.
//!
//! Case counts are modest so `cargo test` stays quick; run longer with
//! `PROPTEST_CASES=10000 cargo test --release --test model_properties`.

mod common;
mod strategies;

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
        prop_assert_eq!(loaded.model, model);
    }

    #[test]
    fn models_round_trip_through_json(model in strategies::model()) {
        let text = serde_json::to_string_pretty(&model).unwrap();
        let loaded = load("generated.arch.json", &text);
        prop_assert_eq!(loaded.model, model);
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
        if let Some(f) = model.function() {
            prop_assert!(limit <= f.timeout);
        }
        if let Some(lb) = model.load_balancer() {
            prop_assert!(limit <= lb.idle_timeout);
        }
        // The limit is one of the path's timeouts, and its span points at it when declared.
        let decided = facts.get("request.sync_limit").unwrap();
        let has_decider = matches!(decided.provenance, archpolicy::facts::Provenance::Derived { decided_by: Some(_), .. });
        prop_assert!(has_decider, "request.sync_limit names no deciding fact");
        if let Some(span) = facts.deciding_span("request.sync_limit") {
            let written = proposal.source.slice(span).unwrap();
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
            prop_assert_eq!(def.ty, fact.value.fact_type(), "fact `{}`", path);
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
            (u64::from(model.account.tasks_per_service) + 1..=10_000_000)
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
        let hit = failure.errors.iter().find(|e| {
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
