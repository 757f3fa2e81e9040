//! The account's quotas: declared values in bounds, and what the components
//! ask of them (provisioned concurrency, tasks), and an ALB's Availability Zones.

use super::{Validator, cite};
use crate::model::Model;
use crate::model::components::Account;
use crate::model::limits::{self, Source};

/// Declared quotas stay between the least an account has and a bound
/// past which a value is a typo.
pub fn account(v: &mut Validator<'_>, a: &Account) {
    let concurrency = limits::LAMBDA_CONCURRENCY_QUOTA_MIN;
    let checks: [(&str, &str, u32, u32, &Source); 4] = [
        (
            "account.lambda_concurrency",
            "Lambda concurrency quota",
            a.lambda_concurrency,
            concurrency.value,
            &concurrency.source,
        ),
        (
            "account.api_throttle.rate",
            "API Gateway throttle rate",
            a.api_throttle.rate,
            1,
            &limits::API_THROTTLE_RATE.source,
        ),
        (
            "account.api_throttle.burst",
            "API Gateway burst",
            a.api_throttle.burst,
            1,
            &limits::API_THROTTLE_BURST.source,
        ),
        (
            "account.tasks_per_service",
            "tasks-per-service quota",
            a.tasks_per_service,
            1,
            &limits::TASKS_PER_SERVICE_MAX.source,
        ),
    ];
    for (path, what, value, least, source) in checks {
        if value < least {
            v.out_of_limit(
                path,
                format!("the {what} `{value}` is below the least an account has ({least})"),
                format!("at least {least}"),
                cite(source),
            );
        } else if value > ACCOUNT_QUOTA_BOUND {
            v.out_of_limit(
                path,
                format!("the {what} `{value}` is beyond any quota AWS grants"),
                format!("at most {ACCOUNT_QUOTA_BOUND}"),
                format!("write the quota your account has (AWS's default: {}); {}", source.what, cite(source)),
            );
        }
    }
}

/// Past this, a declared quota is a typo, not a raise (AWS's largest raises are far below it).
pub const ACCOUNT_QUOTA_BOUND: u32 = 1_000_000;

/// Limits between sections: the account's quotas against what the
/// components ask for, and an ALB's Availability Zones.
pub fn quotas(v: &mut Validator<'_>, m: &Model) {
    let account = &m.common.account;
    super::function_url::reserved(v, m);
    if let Some(f) = m.function() {
        let floor = limits::UNRESERVED_CONCURRENCY_MIN.value;
        let most = account.lambda_concurrency.saturating_sub(floor);
        if f.provisioned_concurrency > most {
            v.conflict(
                "function.provisioned_concurrency",
                "account.lambda_concurrency",
                format!(
                    "{} provisioned environments leave less than {floor} of the account's {} concurrency unreserved",
                    f.provisioned_concurrency, account.lambda_concurrency
                ),
                (format!("at most {most}"), "account quota".into()),
                format!(
                    "provision at most {most}, or declare the raised quota in `account.lambda_concurrency`; {}",
                    cite(&limits::UNRESERVED_CONCURRENCY_MIN.source)
                ),
            );
        }
    }
    if let Some(s) = m.service().filter(|s| s.tasks.max > account.tasks_per_service) {
        v.out_of_limit(
            "service.tasks.max",
            format!("{} tasks is above the {} tasks an ECS service can run", s.tasks.max, account.tasks_per_service),
            format!("at most {}", account.tasks_per_service),
            format!(
                "lower `max`, or declare a raised quota in `account.tasks_per_service`; {}",
                cite(&limits::TASKS_PER_SERVICE_MAX.source)
            ),
        );
    }
    if m.load_balancer().is_some() && m.common.network.az_count < limits::ALB_MIN_AZS.value {
        v.conflict(
            "network.az_count",
            "load_balancer",
            format!("an ALB needs subnets in at least two Availability Zones, not {}", m.common.network.az_count),
            ("fewer than two AZs".into(), "ALB".into()),
            format!("write `az_count: 2` or more; {}", cite(&limits::ALB_MIN_AZS.source)),
        );
    }
}
