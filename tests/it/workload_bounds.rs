//! The largest numbers a workload may declare (`model::limits::workload`),
//! through `policy cost`, `facts`, `check` and `recommend`: `u64::MAX` in
//! any numeric field is refused with a message naming the bound; every field
//! at its bound is priced and shown as declared; and no number shown wraps.

use crate::common;

use common::*;
use proptest::prelude::*;

use archpolicy::model::limits::workload as most;

/// A workload: each `key: value` in `fields` replaces the default's.
fn workload(fields: &[(&str, String)]) -> String {
    let mut all: Vec<(&str, String)> = vec![
        ("requests_per_month", "1000000".into()),
        ("avg_duration", "80ms".into()),
        ("max_request_duration", "20s".into()),
        ("peak_rps", "5".into()),
    ];
    for (key, value) in fields {
        match all.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value.clone(),
            None => all.push((key, value.clone())),
        }
    }
    all.iter().map(|(k, v)| format!("  {k}: {v}\n")).collect()
}

fn proposal(fields: &[(&str, String)]) -> String {
    format!(
        "name: big-api\npattern: lambda_api_gateway\nenvironment: production\ntags: {{ team: t }}\n\
         workload:\n{}gateway: {{ api: http }}\nfunction: {{ runtime: python3.13, memory: 512MiB, timeout: 25s }}\n",
        workload(fields)
    )
}

fn needs(fields: &[(&str, String)]) -> String {
    format!(
        "name: big-api\nenvironment: production\ntags: {{ team: t }}\nworkload:\n{}requirements: {{ memory: 512MiB }}\n",
        workload(fields)
    )
}

/// Keys of the bounds table that these proposals leave out: the peak hours
/// and the CPU time are read against other fields (`peak_hours_per_month`
/// within the hours the requests last, `cpu_time_per_request` within
/// `avg_duration`), so at their bound with the others they are other errors.
const LEFT_OUT: &[&str] = &["peak_hours_per_month", "cpu_time_per_request"];

/// Each numeric field of the loader's bounds table (`model::limits::workload::BOUNDS`):
/// its key, `u64::MAX` as it is written there (`peak_rps` is 32-bit:
/// `u32::MAX`), and the bound as the message says it.
fn fields() -> Vec<(&'static str, String, String)> {
    let max = u64::MAX;
    most::BOUNDS
        .iter()
        .filter(|(key, _)| !LEFT_OUT.contains(key))
        .map(|&(key, bound)| {
            let written = match bound {
                most::Bound::Count(_) if key == "peak_rps" => u32::MAX.to_string(),
                most::Bound::Count(_) => max.to_string(),
                most::Bound::Duration(_) => format!("{max}ms"),
                most::Bound::Size(_) => format!("{max}B"),
            };
            (key, written, bound.shown())
        })
        .collect()
}

fn refused(out: &std::process::Output, key: &str, value: &str, bound: &str) {
    // The message wraps inside the report's frame: its `│` and line breaks dropped.
    let err = flat(&stderr(out).replace('│', " "));
    assert_eq!(out.status.code(), Some(2), "{key}: {err}");
    let expected = format!("`{key}` `{value}` is more than archpolicy can price: at most {bound}");
    assert!(err.contains(&expected), "{key}: expected {expected:?} in {err}");
    // Nothing priced or shown; `check` says it checked nothing.
    let shown = stdout(out);
    assert!(shown.is_empty() || shown.starts_with("checked 0 proposals"), "{key}: {shown}");
}

#[test]
fn u64_max_in_any_workload_number_is_refused_by_every_command_naming_its_bound() {
    let dir = tempfile::tempdir().unwrap();
    for (key, value, bound) in fields() {
        // `avg_duration` is at most `max_request_duration`: raise that too, within its bound.
        let mut set = vec![(key, value.clone())];
        if key == "avg_duration" {
            set.push(("max_request_duration", "730h".into()));
        }
        let file = write(dir.path(), &format!("{key}.arch.yaml"), proposal(&set));
        for command in ["cost", "facts", "check"] {
            refused(&policy(&[command, &file]), key, &value, &bound);
        }
        let file = write(dir.path(), &format!("{key}.needs.yaml"), needs(&set));
        refused(&policy(&["recommend", &file]), key, &value, &bound);
    }
}

/// A number too large for its type (`peak_rps` is 32-bit, the counts
/// 64-bit) is refused with the workload's own bound, not the type's range
/// (`must be from 0 to 4294967295` named a limit no one can write up to).
#[test]
fn a_number_beyond_its_type_is_refused_naming_the_workload_bound() {
    let dir = tempfile::tempdir().unwrap();
    let beyond = [
        ("peak_rps", u64::MAX.to_string(), "1,000,000,000", "4294967295"),
        ("requests_per_month", "100000000000000000000".to_string(), "1,000,000,000,000,000", "18446744073709551615"),
    ];
    for (key, value, bound, range) in beyond {
        let file = write(dir.path(), &format!("{key}.arch.yaml"), proposal(&[(key, value.clone())]));
        let out = policy(&["cost", &file]);
        refused(&out, key, &value, bound);
        assert!(!stderr(&out).contains(range), "{key}: {}", stderr(&out));
    }
    let file = write(dir.path(), "negative.arch.yaml", proposal(&[("peak_rps", "-5".into())]));
    let err = flat(&stderr(&policy(&["cost", &file])).replace('│', " "));
    assert!(err.contains("`workload.peak_rps` must be from 0 to 1,000,000,000"), "{err}");
}

#[test]
fn a_peak_below_the_months_average_is_refused() {
    // 20,000,000 requests over 730 hours (2,628,000 s) average 7.61 a
    // second: a peak of 1 cannot be. Refused by every command, naming the
    // average and the least peak (8); a peak of 8 loads.
    let dir = tempfile::tempdir().unwrap();
    let set = [("requests_per_month", "20000000".to_string()), ("peak_rps", "1".to_string())];
    let file = write(dir.path(), "low.arch.yaml", proposal(&set));
    let needs_file = write(dir.path(), "low.needs.yaml", needs(&set));
    for args in [vec!["cost", &file], vec!["facts", &file], vec!["check", &file], vec!["recommend", &needs_file]] {
        let out = policy(&args);
        let err = flat(&stderr(&out).replace('│', " "));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("the peak of `1` requests per second is below the month's average of 7.61"),
            "{args:?}: {err}"
        );
        assert!(err.contains("declare at least `8`"), "{args:?}: {err}");
    }
    let eight = [("requests_per_month", "20000000".to_string()), ("peak_rps", "8".to_string())];
    let file = write(dir.path(), "eight.arch.yaml", proposal(&eight));
    let out = policy(&["facts", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Every field at its bound at once.
fn at_the_bounds() -> Vec<(&'static str, String)> {
    most::BOUNDS
        .iter()
        .filter(|(key, _)| !LEFT_OUT.contains(key))
        .map(|&(key, bound)| {
            let value = match bound {
                most::Bound::Count(n) => n.to_string(),
                most::Bound::Duration(d) => d.to_string(),
                most::Bound::Size(s) => s.to_string(),
            };
            (key, value)
        })
        .collect()
}

/// The value `policy facts` shows for `fact` (its table's second column).
fn fact(table: &str, fact: &str) -> String {
    let line = table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(fact))
        .unwrap_or_else(|| panic!("no `{fact}` in {table}"));
    line.split_whitespace().nth(1).unwrap().to_string()
}

#[test]
fn every_workload_number_at_its_bound_is_priced_and_shown_as_declared() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "big.arch.yaml", proposal(&at_the_bounds()));

    let cost = policy(&["cost", &file]);
    assert_eq!(cost.status.code(), Some(0), "{}", stderr(&cost));
    let text = stdout(&cost);
    assert!(text.contains("at the declared workload (1,000,000,000,000,000 requests a month):"), "{text}");
    assert!(text.contains("Lambda requests"), "{text}");

    let facts = policy(&["facts", &file]);
    assert_eq!(facts.status.code(), Some(0), "{}", stderr(&facts));
    let table = stdout(&facts);
    assert_eq!(fact(&table, "workload.requests_per_month"), "1000000000000000");
    assert_eq!(fact(&table, "workload.peak_rps"), "1000000000");
    assert_eq!(fact(&table, "workload.avg_duration"), "730h");
    assert_eq!(fact(&table, "workload.max_payload"), "1TiB");
    // 10^9 a second × 730 hours, exactly.
    assert_eq!(fact(&table, "workload.peak_concurrency"), "2628000000000000");

    let check = policy(&["check", &file, "--with-standard"]);
    assert!(matches!(check.status.code(), Some(0 | 1)), "{}", stderr(&check));

    let needs = write(dir.path(), "big.needs.yaml", needs(&at_the_bounds()));
    let recommend = policy(&["recommend", &needs]);
    assert!(matches!(recommend.status.code(), Some(0 | 1)), "{}", stderr(&recommend));
    assert!(stdout(&recommend).contains("1000000B requests a month"), "{}", stdout(&recommend));
}

fn large() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        0..=most::MAX_REQUESTS_PER_MONTH,
        most::MAX_REQUESTS_PER_MONTH - 1_000..=most::MAX_REQUESTS_PER_MONTH + 1_000,
        u64::MAX - 1_000..=u64::MAX,
    ]
}

proptest! {
    #![proptest_config(proptest_config(32))]

    /// For random large workloads `policy cost` and `policy facts` either
    /// show each declared number exactly or refuse the file naming a bound;
    /// never a number that wrapped.
    #[test]
    fn shown_numbers_never_wrap(
        within in any::<bool>(), requests in large(), minutes in large(), peak in any::<u32>(), avg_ms in any::<u64>()
    ) {
        // Half the cases within every bound (each number uniform below it), half anywhere.
        let (requests, minutes, peak, avg_ms) = if within {
            (
                requests % (most::MAX_REQUESTS_PER_MONTH + 1),
                minutes % (most::MAX_CONNECTION_MINUTES_PER_MONTH + 1),
                peak % (most::MAX_PEAK_RPS + 1),
                avg_ms % (most::MAX_DURATION.as_millis() + 1),
            )
        } else {
            (requests, minutes, peak, avg_ms)
        };
        // A peak is at least the month's average rate (a lower one is refused:
        // a_peak_below_the_months_average_is_refused).
        let peak = match u32::try_from(requests.div_ceil(most::SECONDS_PER_MONTH)) {
            Ok(least) if requests <= most::MAX_REQUESTS_PER_MONTH => peak.max(least),
            _ => peak,
        };
        let dir = tempfile::tempdir().unwrap();
        let fields = [
            ("requests_per_month", requests.to_string()),
            ("connection_minutes_per_month", minutes.to_string()),
            ("peak_rps", peak.to_string()),
            ("avg_duration", format!("{avg_ms}ms")),
            ("max_request_duration", format!("{avg_ms}ms")),
        ];
        let file = write(dir.path(), "p.arch.yaml", proposal(&fields));
        let beyond = requests > most::MAX_REQUESTS_PER_MONTH
            || minutes > most::MAX_CONNECTION_MINUTES_PER_MONTH
            || peak > most::MAX_PEAK_RPS
            || avg_ms > most::MAX_DURATION.as_millis();
        for command in ["cost", "facts"] {
            let out = policy(&[command, &file]);
            if beyond {
                prop_assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
                prop_assert!(stderr(&out).contains("is more than archpolicy can price: at most"), "{}", stderr(&out));
                continue;
            }
            prop_assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let text = stdout(&out);
            if command == "cost" {
                let declared = format!("at the declared workload ({} requests a month):", most::Bound::Count(requests).shown());
                prop_assert!(text.contains(&declared), "{}", text);
            } else {
                prop_assert_eq!(fact(&text, "workload.requests_per_month"), requests.to_string());
                prop_assert_eq!(fact(&text, "workload.peak_rps"), peak.to_string());
                let in_flight = (u128::from(peak) * u128::from(avg_ms)).div_ceil(1_000);
                prop_assert_eq!(fact(&text, "workload.peak_concurrency"), in_flight.to_string());
            }
        }
    }
}

/// Every example proposal (each pattern, WebSockets, a WAF, NAT gateways)
/// with its workload at every bound: priced, with the declared volume shown.
#[test]
fn every_example_prices_a_workload_at_the_bounds() {
    let dir = tempfile::tempdir().unwrap();
    for path in files_in("examples", ".arch.yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut fields = at_the_bounds();
        if text.contains("websockets: true") {
            fields.push(("websockets", "true".into()));
        }
        // A queue's callers accept 202, and its bodies are one SQS message at most (a load error beyond).
        if text.contains("response: async") {
            fields.push(("response", "async".into()));
            for (_, value) in fields.iter_mut().filter(|(key, _)| matches!(*key, "max_payload" | "avg_payload")) {
                *value = archpolicy::units::Size::from_mib(1).to_string();
            }
        }
        // The example's workload block replaced by the one at the bounds.
        let mut out = String::new();
        let mut in_workload = false;
        for line in text.lines() {
            if line == "workload:" {
                in_workload = true;
                out.push_str("workload:\n");
                out.push_str(&workload(&fields));
                continue;
            }
            if in_workload && line.starts_with("  ") {
                continue;
            }
            in_workload = false;
            out.push_str(line);
            out.push('\n');
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = write(dir.path(), &name, out);
        let cost = policy(&["cost", &file]);
        assert_eq!(cost.status.code(), Some(0), "{name}: {}", stderr(&cost));
        let text = stdout(&cost);
        assert!(text.contains("at the declared workload (1,000,000,000,000,000 requests a month):"), "{name}: {text}");
        let facts = policy(&["facts", &file]);
        assert_eq!(facts.status.code(), Some(0), "{name}: {}", stderr(&facts));
    }
}

/// Every number in every example proposal, one at a time, made `u64::MAX`
/// (in milliseconds, bytes or as a count, as it was written): `policy facts`
/// and `policy cost` load it or refuse it, and never panic.
#[test]
fn u64_max_anywhere_in_a_proposal_is_loaded_or_refused_never_a_panic() {
    let number =
        fancy_regex::Regex::new(r"(?<=: |\{ |, |: \{ )(\d+(\.\d+)?)(ms|s|m|h|B|KiB|MiB|GiB|TiB)?(?=[ ,}\n])").unwrap();
    let dir = tempfile::tempdir().unwrap();
    for path in files_in("examples", ".arch.yaml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let matches: Vec<_> = number.find_iter(&text).map(|m| m.unwrap()).map(|m| (m.start(), m.end())).collect();
        assert!(!matches.is_empty(), "{}", path.display());
        for (start, end) in matches {
            let written = &text[start..end];
            let unit = written.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            let huge = match unit {
                "" => u64::MAX.to_string(),
                "ms" | "s" | "m" | "h" => format!("{}ms", u64::MAX),
                _ => format!("{}B", u64::MAX),
            };
            let changed = format!("{}{huge}{}", &text[..start], &text[end..]);
            let file = write(dir.path(), "p.arch.yaml", &changed);
            for command in ["facts", "cost"] {
                let out = policy(&[command, &file]);
                let err = stderr(&out);
                assert!(!err.contains("panicked"), "{command} `{written}` in {}: {err}", path.display());
                assert!(matches!(out.status.code(), Some(0 | 2)), "{command} `{written}` in {}: {err}", path.display());
            }
        }
    }
}

#[test]
fn the_throttle_headroom_counts_at_least_the_months_average() {
    // A model built in code (none loads with it) whose peak of 1 is below
    // its 7.61 a second average (20 M requests a month): the headroom of a
    // 2/s throttle is 2 − 8 = −6, the peak the cost model counts rounded up,
    // not 2 − 1 = 1, so `stage-throttle-carries-peak` denies it.
    let text = "name: x\npattern: lambda_api_gateway\nenvironment: production\ntags: { team: t }\n\
        workload: { requests_per_month: 20000000, avg_duration: 80ms, max_request_duration: 2s, peak_rps: 8 }\n\
        gateway: { api: rest, throttle: { rate: 2, burst: 4 } }\n\
        function: { runtime: python3.13, memory: 512MiB, timeout: 3s }\n";
    let mut p = archpolicy::load_str("x.arch.yaml", text).unwrap_or_else(|f| panic!("{f}"));
    p.model_mut().common.workload.peak_rps = 1;
    let facts = p.facts();
    let headroom = facts.get("gateway.throttle.headroom").unwrap();
    assert_eq!(headroom.value.to_string(), "-6");
}

#[test]
fn no_hours_at_the_peak_is_refused_and_hours_the_volume_caps_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let zero = [("peak_hours_per_month", "0".to_string())];
    let file = write(dir.path(), "zero.arch.yaml", proposal(&zero));
    let needs_file = write(dir.path(), "zero.needs.yaml", needs(&zero));
    for args in [vec!["cost", &file], vec!["facts", &file], vec!["recommend", &needs_file]] {
        let out = policy(&args);
        let err = flat(&stderr(&out).replace('│', " "));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("`peak_hours_per_month` `0` leaves no time at the peak: at least 1"), "{args:?}: {err}");
    }
    // 20,000,000 requests at a 100/s peak last 200,000 s = 55.6 hours: a
    // declared 100 hours is counted as 55.6, and the notes say so.
    let text = "name: x\npattern: fargate_alb\nenvironment: development\ntags: { team: t }\n\
        workload: { requests_per_month: 20000000, avg_duration: 100ms, max_request_duration: 2s, peak_rps: 100, peak_hours_per_month: 100 }\n\
        load_balancer: {}\nservice: { cpu: 0.5, memory: 1GiB, tasks: { min: 1, desired: 1, max: 10 }, auth: library }\n";
    let file = write(dir.path(), "capped.arch.yaml", text);
    let out = policy(&["cost", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = stdout(&out);
    let note = "`peak_hours_per_month` 100 h counted as 55.6 h: the month's requests last that long at `peak_rps`";
    assert_eq!(shown.matches(note).count(), 1, "{shown}");
    // Within the bound nothing is said.
    let file =
        write(dir.path(), "within.arch.yaml", text.replace("peak_hours_per_month: 100", "peak_hours_per_month: 50"));
    assert!(!stdout(&policy(&["cost", &file])).contains("counted as"));
}

#[test]
fn cpu_time_per_request_is_some_work_and_no_more_than_the_largest_compute_gives() {
    // 100 ms requests: Fargate's largest task, 16 vCPU (AWS, task-cpu-memory-error.html),
    // gives one at most 16 × 100 ms = 1,600 ms of CPU; 100 s is 1,000 vCPU a request.
    let dir = tempfile::tempdir().unwrap();
    let with = |cpu: &str| [("avg_duration", "100ms".to_string()), ("cpu_time_per_request", cpu.to_string())];
    for (cpu, expected) in [
        (
            "100s",
            "`cpu_time_per_request` `100s` is more than the largest compute gives a request of `100ms`: at most 1600ms (16 vCPU for the whole request)",
        ),
        ("1601ms", "at most 1600ms (16 vCPU"),
        ("0ms", "`cpu_time_per_request` `0ms` is no work: a request uses some CPU time"),
    ] {
        let file = write(dir.path(), "cpu.arch.yaml", proposal(&with(cpu)));
        let needs_file = write(dir.path(), "cpu.needs.yaml", needs(&with(cpu)));
        for args in [vec!["cost", &file], vec!["facts", &file], vec!["recommend", &needs_file]] {
            let out = policy(&args);
            let err = flat(&stderr(&out).replace('│', " "));
            assert_eq!(out.status.code(), Some(2), "{cpu} {args:?}: {err}");
            assert!(err.contains(expected), "{cpu} {args:?}: {err}");
        }
    }
    // 1,600 ms is 16 vCPU a request: it loads, and recommend's Lambda
    // candidate, capped at 10,240 MB, says so: 16 × 1,769 MB = 28,304 MB.
    let file = write(dir.path(), "max.needs.yaml", needs(&with("1600ms")));
    let out = policy(&["recommend", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "10GiB x86_64, 20s timeout, capped at Lambda's largest memory: the work needs 28304 MB, 16 vCPU a request"
        ),
        "{text}"
    );
    // Within Lambda's memory, nothing is said.
    let file = write(dir.path(), "small.needs.yaml", needs(&with("100ms")));
    assert!(!stdout(&policy(&["recommend", &file])).contains("capped at"));
}
