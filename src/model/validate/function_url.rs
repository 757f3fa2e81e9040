//! A function URL's own limits: its CORS lists, WAF only through
//! CloudFront, CloudFront's origin access control only with IAM auth, and
//! its reserved concurrency against the account's.

use super::{Validator, cite};
use crate::model::components::{Cors, FunctionUrl};
use crate::model::limits::{self, function_url as url};
use crate::model::{Model, UrlAuth};

/// The URL's own settings.
pub fn function_url(v: &mut Validator<'_>, u: &FunctionUrl) {
    if u.waf && !u.cloudfront {
        v.conflict(
            "function_url.waf",
            "function_url.cloudfront",
            "a function URL takes no WAF web ACL of its own".into(),
            ("WAF".into(), "no CloudFront in front".into()),
            format!("put CloudFront in front (`cloudfront: true`) and its web ACL protects the URL; {}", cite(&url::NO_WAF)),
        );
    }
    if u.cloudfront && u.auth != UrlAuth::AwsIam {
        v.conflict(
            "function_url.cloudfront",
            "function_url.auth",
            "a function URL behind CloudFront's origin access control needs `auth: aws_iam`".into(),
            ("CloudFront".into(), "public URL".into()),
            format!(
                "write `auth: aws_iam`, so only CloudFront's signed requests reach the function; {}",
                cite(&url::OAC_NEEDS_IAM)
            ),
        );
    }
    if let Some(cors) = &u.cors {
        self::cors(v, cors);
    }
}

fn cors(v: &mut Validator<'_>, c: &Cors) {
    let most = url::CORS_LIST_MAX;
    for (key, list) in [
        ("allow_origins", &c.allow_origins),
        ("allow_headers", &c.allow_headers),
        ("expose_headers", &c.expose_headers),
    ] {
        if list.len() > most.value {
            v.out_of_limit(
                &format!("function_url.cors.{key}"),
                format!("{} entries in `{key}`; a function URL's CORS takes at most {}", list.len(), most.value),
                format!("at most {}", most.value),
                format!("keep {} or fewer; {}", most.value, cite(&most.source)),
            );
        }
    }
    let methods = url::CORS_METHODS_MAX;
    if c.allow_methods.len() > methods.value {
        v.out_of_limit(
            "function_url.cors.allow_methods",
            format!("{} methods; a function URL's CORS allows at most {}", c.allow_methods.len(), methods.value),
            format!("at most {}", methods.value),
            format!("list at most {} (or `*`); {}", methods.value, cite(&methods.source)),
        );
    }
    // Each method AWS does not take is its own error, so all are fixed at once.
    for (i, bad) in c.allow_methods.iter().enumerate().filter(|(_, m)| !url::CORS_METHODS.contains(&m.as_str())) {
        v.out_of_limit(
            &format!("function_url.cors.allow_methods[{i}]"),
            format!("a function URL's CORS does not take the method `{}`", crate::untrusted::excerpt(bad, 40)),
            "unknown method".into(),
            format!("write {} (upper case); {}", crate::suggest::one_of(&url::CORS_METHODS), cite(&methods.source)),
        );
    }
    // AWS's `MaxAge` is an integer of seconds.
    v.whole_seconds("function_url.cors.max_age", "a CORS `max_age`", c.max_age, &url::CORS_MAX_AGE.source);
    if c.max_age > url::CORS_MAX_AGE.value {
        v.out_of_limit(
            "function_url.cors.max_age",
            format!("a CORS `max_age` of {} is over the {} AWS takes", c.max_age, url::CORS_MAX_AGE.value),
            format!("at most {}", url::CORS_MAX_AGE.value),
            cite(&url::CORS_MAX_AGE.source),
        );
    }
}

/// The URL's reserved concurrency leaves the account the concurrency AWS
/// keeps unreserved, and holds the function's provisioned concurrency.
pub fn reserved(v: &mut Validator<'_>, m: &Model) {
    let Some(reserved) = m.function_url().and_then(|u| u.reserved_concurrency) else { return };
    if reserved == 0 {
        v.out_of_limit(
            "function_url.reserved_concurrency",
            "a reserved concurrency of 0 turns the function URL off: every request gets 429".into(),
            "at least 1".into(),
            format!(
                "reserve the concurrency the URL serves at its peak (10 requests a second each), or remove `reserved_concurrency` to share the account's; {}",
                cite(&url::ZERO_RESERVED_OFF)
            ),
        );
        return;
    }
    let provisioned = m.function().map_or(0, |f| f.provisioned_concurrency);
    if provisioned > reserved {
        v.conflict(
            "function.provisioned_concurrency",
            "function_url.reserved_concurrency",
            format!("a provisioned concurrency of {provisioned} is more than the function's reserved concurrency of {reserved}"),
            (format!("more than {reserved}"), "reserved concurrency".into()),
            format!(
                "provision at most {reserved}, or reserve at least {provisioned}; {}",
                cite(&url::PROVISIONED_WITHIN_RESERVED)
            ),
        );
    }
    let floor = limits::UNRESERVED_CONCURRENCY_MIN.value;
    let most = m.common.account.lambda_concurrency.saturating_sub(floor);
    if reserved > most {
        v.conflict(
            "function_url.reserved_concurrency",
            "account.lambda_concurrency",
            format!(
                "reserving {reserved} leaves less than {floor} of the account's {} concurrency unreserved",
                m.common.account.lambda_concurrency
            ),
            (format!("at most {most}"), "account quota".into()),
            format!(
                "reserve at most {most}, or declare the raised quota in `account.lambda_concurrency`; {}",
                cite(&limits::UNRESERVED_CONCURRENCY_MIN.source)
            ),
        );
    }
}
