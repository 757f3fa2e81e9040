//! The cost model: worked examples against hand calculations, the design's
//! invariants as properties, the price file, and `policy cost`.

mod common;
mod strategies;

use common::proptest_config;

use archpolicy::cost::{CostOptions, Prices, Traffic, estimate, report};
use archpolicy::model::*;
use archpolicy::units::Money;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn model(text: &str) -> Model {
    archpolicy::load_str("x.arch.yaml", text).unwrap_or_else(|f| panic!("{f}")).model
}

fn monthly(m: &Model, traffic: Traffic) -> Decimal {
    estimate(m, &CostOptions::embedded(), traffic).monthly.as_decimal()
}

#[test]
fn one_million_requests_on_lambda_and_a_rest_api() {
    let m = model(
        "name: x\npattern: lambda_api_gateway\nenvironment: development\n\
         workload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 1s, peak_rps: 1 }\n\
         gateway: { api: rest }\nfunction: { runtime: python3.13, memory: 128MiB, timeout: 3s }\n",
    );
    // Requests: 1 M × $0.20 per million                    = $0.20
    // Compute: 1 M × 0.1 s × 0.125 GB = 12,500 GB-s
    //          × $0.0000166667 (x86)                       = $0.20833375
    // REST API: 1 M × $3.50 per million (first 333 M)      = $3.50
    let expected = dec("0.20") + dec("12500") * dec("0.0000166667") + dec("3.50");
    assert_eq!(expected, dec("3.90833375"));
    assert_eq!(monthly(&m, Traffic::Declared), expected);
    // No provisioned concurrency, no cache, no NAT: nothing is charged at rest.
    assert_eq!(monthly(&m, Traffic::Idle), Decimal::ZERO);
}

#[test]
fn two_small_tasks_behind_a_public_alb_for_a_month() {
    let m = model(
        "name: x\npattern: fargate_alb\nenvironment: development\n\
         workload: { requests_per_month: 0, avg_duration: 100ms, max_request_duration: 1s, peak_rps: 1 }\n\
         load_balancer: {}\nservice: { cpu: 0.5, memory: 1GiB, tasks: { min: 2, desired: 2, max: 2 }, auth: library }\n",
    );
    // vCPU:   2 tasks × 0.5 vCPU × 730 h = 730 vCPU-h × $0.04048  = $29.5504
    // memory: 2 tasks × 1 GB × 730 h = 1,460 GB-h × $0.004445     = $6.4897
    // ALB:    730 h × $0.0225                                     = $16.425
    // IPv4:   2 AZs × 730 h × $0.005 (a public ALB holds one per AZ) = $7.30
    // LCU:    no traffic                                          = $0
    let expected =
        dec("730") * dec("0.04048") + dec("1460") * dec("0.004445") + dec("730") * dec("0.0225") + dec("7.30");
    assert_eq!(expected, dec("59.7651"));
    assert_eq!(monthly(&m, Traffic::Declared), expected);
}

#[test]
fn rest_api_tiers_apply_past_333_million() {
    let m = model(
        "name: x\npattern: lambda_api_gateway\nenvironment: development\n\
         workload: { requests_per_month: 400000000, avg_duration: 1ms, max_request_duration: 1s, peak_rps: 1 }\n\
         gateway: { api: rest }\nfunction: { runtime: python3.13, memory: 128MiB, timeout: 3s }\n",
    );
    let e = estimate(&m, &CostOptions::embedded(), Traffic::Declared);
    let rest: Vec<Decimal> =
        e.items.iter().filter(|i| i.price_id.starts_with("apigw.rest")).map(|i| i.monthly.as_decimal()).collect();
    // 333 M × $3.50 + 67 M × $2.80
    assert_eq!(rest, vec![dec("1165.50"), dec("187.60")]);
}

#[test]
fn free_tier_is_off_by_default_and_subtracts_when_on() {
    let m = model(
        "name: x\npattern: lambda_api_gateway\nenvironment: development\n\
         workload: { requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 1s, peak_rps: 1 }\n\
         gateway: { api: http }\nfunction: { runtime: python3.13, memory: 128MiB, timeout: 3s }\n",
    );
    let free = CostOptions { free_tier: true, ..CostOptions::embedded() };
    let with = estimate(&m, &free, Traffic::Declared);
    // 1 M requests and 12,500 GB-s are inside the free tier: only the HTTP API is billed.
    assert_eq!(with.monthly.as_decimal(), dec("1.00"));
    assert!(monthly(&m, Traffic::Declared) > dec("1.00"));
}

#[test]
fn the_embedded_price_table_reads_and_round_trips() {
    let prices = Prices::embedded().unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(prices.read, "2026-11-27");
    assert_eq!(prices.price("fargate.vcpu.x86"), "$0.04048".parse::<Money>().unwrap());
    let again = Prices::from_str("copy.yaml", &prices.to_yaml()).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(again.items().collect::<Vec<_>>(), prices.items().collect::<Vec<_>>());
}

fn price_errors(text: &str) -> Vec<String> {
    match Prices::from_str("p.yaml", text) {
        Ok(_) => Vec::new(),
        Err(f) => f.errors.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn bad_price_files_are_errors_with_spans() {
    let good = archpolicy::cost::EMBEDDED_PRICES.1;
    let negative = good.replace("price: $0.20,", "price: $-0.20,");
    assert!(
        price_errors(&negative).iter().any(|e| e.contains("a price cannot be negative")),
        "{:?}",
        price_errors(&negative)
    );
    let words = good.replace("price: $0.20,", "price: cheap,");
    assert!(price_errors(&words).iter().any(|e| e.contains("`lambda.requests`")), "{:?}", price_errors(&words));
    let unknown = good.replace("lambda.requests:", "lambda.reqests:");
    let errors = price_errors(&unknown);
    assert!(errors.iter().any(|e| e == "unknown item `lambda.reqests`"), "{errors:?}");
    assert!(errors.iter().any(|e| e == "missing item `lambda.requests`"), "{errors:?}");
    let unit = good.replace(
        "unit: 1M requests,           source: \"AWS Price List\"",
        "unit: request,           source: \"AWS Price List\"",
    );
    assert!(price_errors(&unit).iter().any(|e| e.contains("priced per `1M requests`")), "{:?}", price_errors(&unit));
    let failure = Prices::from_str("p.yaml", &negative).unwrap_err();
    let span = failure.errors.first().to_string();
    assert!(!span.is_empty());
}

fn options() -> CostOptions {
    CostOptions::embedded()
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn idle_lambda_without_provisioned_concurrency_costs_nothing(m in strategies::model()) {
        let mut p = m.components.clone();
        let (Some(function), Some(gateway)) = (p.function.as_mut(), p.gateway.as_mut()) else { return Ok(()) };
        function.provisioned_concurrency = 0;
        gateway.cache_gb = None;
        let m = Model { components: p, network: Network { nat_gateways: 0, ..m.network.clone() }, ..m };
        prop_assert_eq!(monthly(&m, Traffic::Idle), Decimal::ZERO);
    }

    #[test]
    fn cost_never_falls_as_requests_grow(m in strategies::model(), a in 0u64..20_000_000_000, b in 0u64..20_000_000_000) {
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(monthly(&m, Traffic::Requests(lo)) <= monthly(&m, Traffic::Requests(hi)));
    }

    #[test]
    fn cost_never_falls_as_tasks_vcpu_or_memory_grow(m in strategies::model(), more_tasks in 0u32..10, bigger in 0usize..6) {
        let Some(service) = m.service().cloned() else {
            // Lambda: more memory never costs less.
            let mut larger = m.components.clone();
            let Some(function) = larger.function.as_mut() else { return Ok(()) };
            function.memory = archpolicy::units::Size::from_mib((function.memory.as_mib() + 64 * bigger as u64 + 1).min(10_240));
            let m2 = Model { components: larger, ..m.clone() };
            prop_assert!(monthly(&m, Traffic::Declared) <= monthly(&m2, Traffic::Declared));
            return Ok(());
        };
        let table = limits::FARGATE_SIZES_TABLE.value;
        let row = table.iter().position(|r| r.cpu == service.cpu).unwrap_or(0);
        let next = &table[(row + bigger).min(table.len() - 1)];
        let mut grown = service.clone();
        grown.tasks = Tasks { min: service.tasks.min + more_tasks, desired: service.tasks.desired + more_tasks, max: service.tasks.max + more_tasks };
        grown.cpu = next.cpu;
        grown.memory = next.min.max(service.memory).min(next.max);
        if !limits::fargate_accepts(grown.cpu, grown.memory) {
            grown.memory = next.min.max(service.memory);
            if !limits::fargate_accepts(grown.cpu, grown.memory) { return Ok(()); }
        }
        let components = Components { service: Some(grown), ..m.components.clone() };
        let m2 = Model { components, ..m.clone() };
        for traffic in [Traffic::Declared, Traffic::Idle] {
            prop_assert!(monthly(&m, traffic) <= monthly(&m2, traffic));
        }
    }

    #[test]
    fn fargate_api_gateway_costs_at_least_fargate_alb_but_for_the_public_albs_addresses(m in strategies::model()) {
        let Some(alb) = archpolicy::cost::alternative(&m, Pattern::FargateAlb) else { return Ok(()) };
        let Some(apigw) = archpolicy::cost::alternative(&alb, Pattern::FargateApiGateway) else { return Ok(()) };
        prop_assert_eq!(alb.service(), apigw.service());
        // An internal ALB has no public IPv4 addresses: the one thing the API Gateway pattern saves.
        let ipv4 = Decimal::from(u64::from(alb.network.az_count) * 730) * options().prices.price("ipv4.hour").as_decimal();
        for traffic in [Traffic::Declared, Traffic::Idle, Traffic::Requests(0), Traffic::Requests(1_000_000_000)] {
            prop_assert!(monthly(&apigw, traffic) + ipv4 >= monthly(&alb, traffic));
        }
    }

    #[test]
    fn every_alternative_is_a_model_that_loads(m in strategies::model()) {
        for pattern in Pattern::ALL {
            let alt = archpolicy::cost::alternative(&m, pattern);
            prop_assert!(alt.is_some(), "no {:?} alternative for\n{}", pattern, serde_saphyr::to_string(&m).unwrap());
        }
    }

    #[test]
    fn price_files_round_trip(n in 0i64..1_000_000_000, scale in 0u32..10) {
        let price = Money::from_decimal(Decimal::new(n, scale));
        let text = archpolicy::cost::EMBEDDED_PRICES.1.replace("price: $0.20,", &format!("price: \"{price}\","));
        let prices = Prices::from_str("p.yaml", &text).unwrap();
        prop_assert_eq!(prices.price("lambda.requests"), price);
        let again = Prices::from_str("q.yaml", &prices.to_yaml()).unwrap();
        prop_assert_eq!(again.items().collect::<Vec<_>>(), prices.items().collect::<Vec<_>>());
    }
}

#[test]
fn the_report_compares_the_three_patterns_and_marks_the_cheapest() {
    let proposal = archpolicy::load_file("examples/fargate_api_gateway.arch.yaml").unwrap();
    let r = report(&proposal, &options());
    assert_eq!(r.comparison.len(), 3);
    assert_eq!(r.comparison.iter().filter(|c| c.proposed).count(), 1);
    let cheapest = r.comparison.iter().filter(|c| c.cheapest).map(|c| c.monthly).min().unwrap();
    assert!(r.comparison.iter().all(|c| c.monthly >= cheapest));
    assert!(!r.break_evens.is_empty());
    for b in &r.break_evens {
        let [a, c] = b.between;
        let ma = r.models.iter().find(|m| m.pattern() == a).unwrap();
        let mc = r.models.iter().find(|m| m.pattern() == c).unwrap();
        // At the break-even point the two curves are within a cent per thousand requests.
        let diff = (monthly(ma, Traffic::Requests(b.requests_per_month))
            - monthly(mc, Traffic::Requests(b.requests_per_month)))
        .abs();
        assert!(diff <= dec("0.05"), "{a:?} vs {c:?} at {}: {diff}", b.requests_per_month);
    }
    let svg = r.chart_svg(&options());
    assert!(
        svg.starts_with("<svg") && svg.contains("lambda_api_gateway") && svg.contains("<circle"),
        "{}",
        &svg[..200.min(svg.len())]
    );
}

#[test]
fn cost_facts_are_typed_money_and_the_idle_policy_uses_them() {
    let proposal = archpolicy::load_file("tests/policies/idle-cost/fail.arch.yaml").unwrap();
    let facts = proposal.facts();
    let idle = facts.get("cost.idle_monthly").unwrap();
    assert!(matches!(idle.value, archpolicy::facts::FactValue::Money(m) if m > "$50".parse().unwrap()));
    let set = archpolicy::PolicySet::standard().unwrap();
    let report = set.check(&proposal);
    let finding = report.findings.iter().find(|f| f.policy == "idle-cost").unwrap();
    assert!(finding.message.starts_with("at zero traffic the service still costs $"), "{}", finding.message);
}
