//! Lambda's managed runtimes as data: each runtime's language family, what it
//! supports, and AWS's three dates for it. A runtime is one row here; the
//! loader, the facts and the JSON Schema read this table.
//!
//! Dates: AWS's per-language runtime pages (lambda-nodejs.html,
//! lambda-python.html, lambda-java.html, lambda-csharp.html,
//! lambda-ruby.html), read 2026-11-30; where AWS's text was not found (the
//! extended block dates of nodejs20.x, nodejs18.x, python3.9, ruby3.2,
//! provided.al2023 and provided.al2), AWS's own cfn-lint data
//! (`src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json`, commit
//! afd7953, 2026-06-02), and the row says so (`dates`). python3.10 follows
//! AWS's page (block create 2026-11-30, update 2027-01-15), which disagrees
//! with cfn-lint's 2027-02-01 and 2027-03-03.
//! Deprecated runtimes (AWS's "Deprecated runtimes" table,
//! lambda-runtimes.html#runtimes-deprecated): that table's text was not found,
//! so every deprecated row's dates (dotnet6, dotnetcore3.1, dotnetcore2.1,
//! java8, nodejs16.x to nodejs10.x, python3.8 to python2.7, ruby2.7, ruby2.5,
//! go1.x, provided) are the same cfn-lint data, marked `ThirdParty`. Older
//! runtimes (nodejs8.10 and before, dotnetcore2.0, dotnetcore1.0) are left
//! out, and so are the container-only .NET versions (dotnet7), which have no
//! `Runtime` value and no block dates.
//! SnapStart: lambda/latest/dg/snapstart.html (Java 11 and later, Python 3.12
//! and later, .NET 8 and later; not OS-only runtimes). Response streaming:
//! lambda/latest/dg/configuration-response-streaming.html (Node.js managed
//! runtimes natively; other languages through an OS-only runtime that
//! implements it).

use super::enums::RuntimeFamily;
use super::limits::{Confidence, Source};
use crate::units::Date;

/// What the table knows of one runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuntimeInfo {
    /// The identifier Lambda uses, e.g. `python3.13`.
    pub name: &'static str,
    pub family: RuntimeFamily,
    /// Lambda SnapStart is available.
    pub snapstart: bool,
    /// The runtime can stream a response (`InvokeWithResponseStream`) without an adapter.
    pub streams: bool,
    /// AWS stops patching it.
    pub deprecated: Date,
    /// No new functions with it.
    pub block_create: Date,
    /// No updates to functions with it.
    pub block_update: Date,
    /// How the dates were verified: AWS's runtime pages for current runtimes;
    /// for several deprecated ones the block dates appear only in AWS's
    /// cfn-lint data after AWS extended them.
    pub dates: Confidence,
}

/// Where the table's dates come from.
pub const RUNTIME_DATES: Source = Source {
    what: "Lambda runtime deprecation, block-create and block-update dates",
    url: "lambda/latest/dg/lambda-runtimes.html",
    read: "2026-11-30",
    // Seen in AWS's cfn-lint data, not on the AWS page itself.
    confidence: Confidence::ThirdParty,
};

/// Where the table's SnapStart column comes from.
pub const SNAPSTART_RUNTIMES: Source = Source {
    what: "SnapStart supports Java 11 and later, Python 3.12 and later, and .NET 8 and later",
    url: "lambda/latest/dg/snapstart.html",
    read: "2026-11-30",
    confidence: Confidence::Verified,
};

/// Where the table's streaming column comes from.
pub const STREAMING_RUNTIMES: Source = Source {
    what: "Lambda response streaming: Node.js managed runtimes, or an OS-only runtime that implements it",
    url: "lambda/latest/dg/configuration-response-streaming.html",
    read: "2026-11-30",
    confidence: Confidence::Verified,
};

macro_rules! runtimes {
    ($( $name:literal => $family:ident, snapstart: $snap:literal, streams: $streams:literal,
        ($dy:literal, $dm:literal, $dd:literal), ($cy:literal, $cm:literal, $cd:literal), ($uy:literal, $um:literal, $ud:literal), $conf:ident; )+) => {
        /// Every runtime, newest of each family first.
        pub const RUNTIMES: &[RuntimeInfo] = &[$(
            RuntimeInfo {
                name: $name,
                family: RuntimeFamily::$family,
                snapstart: $snap,
                streams: $streams,
                deprecated: Date::ymd($dy, $dm, $dd),
                block_create: Date::ymd($cy, $cm, $cd),
                block_update: Date::ymd($uy, $um, $ud),
                dates: Confidence::$conf,
            },
        )+];
        const NAMES: &[&str] = &[$($name),+];
    };
}

runtimes! {
    "nodejs24.x" => Nodejs, snapstart: false, streams: true, (2028, 4, 30), (2028, 6, 1), (2028, 7, 1), Verified;
    "nodejs22.x" => Nodejs, snapstart: false, streams: true, (2027, 4, 30), (2027, 6, 1), (2027, 7, 1), Verified;
    "nodejs20.x" => Nodejs, snapstart: false, streams: true, (2026, 4, 30), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    "nodejs18.x" => Nodejs, snapstart: false, streams: true, (2025, 9, 1), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    // Deprecated runtimes (AWS's "Deprecated runtimes" table): dates from
    // cfn-lint's data, see the header. `streams` follows the streaming page's
    // rule for Node.js managed runtimes, but nodejs12.x and nodejs10.x were
    // past deprecation when response streaming launched (April 2023): false.
    "nodejs16.x" => Nodejs, snapstart: false, streams: true, (2024, 6, 12), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    "nodejs14.x" => Nodejs, snapstart: false, streams: true, (2023, 12, 4), (2024, 1, 9), (2027, 3, 3), ThirdParty;
    "nodejs12.x" => Nodejs, snapstart: false, streams: false, (2023, 3, 31), (2023, 3, 31), (2023, 4, 30), ThirdParty;
    "nodejs10.x" => Nodejs, snapstart: false, streams: false, (2021, 7, 30), (2021, 7, 30), (2022, 2, 14), ThirdParty;
    "python3.14" => Python, snapstart: true, streams: false, (2029, 6, 30), (2029, 7, 31), (2029, 8, 31), Verified;
    "python3.13" => Python, snapstart: true, streams: false, (2029, 6, 30), (2029, 7, 31), (2029, 8, 31), Verified;
    "python3.12" => Python, snapstart: true, streams: false, (2028, 10, 31), (2028, 11, 30), (2029, 1, 10), Verified;
    "python3.11" => Python, snapstart: false, streams: false, (2027, 6, 30), (2027, 7, 31), (2027, 8, 31), Verified;
    "python3.10" => Python, snapstart: false, streams: false, (2026, 10, 31), (2026, 11, 30), (2027, 1, 15), Verified;
    "python3.9" => Python, snapstart: false, streams: false, (2025, 12, 15), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    "python3.8" => Python, snapstart: false, streams: false, (2024, 10, 14), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    "python3.7" => Python, snapstart: false, streams: false, (2023, 12, 4), (2024, 1, 9), (2027, 3, 3), ThirdParty;
    "python3.6" => Python, snapstart: false, streams: false, (2022, 7, 18), (2022, 7, 18), (2022, 8, 29), ThirdParty;
    "python2.7" => Python, snapstart: false, streams: false, (2021, 7, 15), (2021, 7, 15), (2022, 5, 30), ThirdParty;
    "java25" => Jvm, snapstart: true, streams: false, (2029, 6, 30), (2029, 7, 31), (2029, 8, 31), Verified;
    "java21" => Jvm, snapstart: true, streams: false, (2029, 6, 30), (2029, 7, 31), (2029, 8, 31), Verified;
    "java17" => Jvm, snapstart: true, streams: false, (2027, 6, 30), (2027, 7, 31), (2027, 8, 31), Verified;
    "java11" => Jvm, snapstart: true, streams: false, (2027, 6, 30), (2027, 7, 31), (2027, 8, 31), Verified;
    "java8.al2" => Jvm, snapstart: false, streams: false, (2027, 6, 30), (2027, 7, 31), (2027, 8, 31), Verified;
    // Java 8 on Amazon Linux 1, not `java8.al2`.
    "java8" => Jvm, snapstart: false, streams: false, (2024, 1, 8), (2024, 2, 8), (2027, 3, 3), ThirdParty;
    "dotnet10" => Dotnet, snapstart: true, streams: false, (2028, 11, 14), (2028, 12, 14), (2029, 1, 15), Verified;
    "dotnet8" => Dotnet, snapstart: true, streams: false, (2026, 11, 10), (2027, 2, 1), (2027, 3, 3), Verified;
    // No `dotnet7` row: .NET 7 was a container-image base only, never a
    // `Runtime` value, and AWS gives it no block dates.
    "dotnet6" => Dotnet, snapstart: false, streams: false, (2024, 12, 20), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    "dotnetcore3.1" => Dotnet, snapstart: false, streams: false, (2023, 4, 3), (2023, 4, 3), (2023, 5, 3), ThirdParty;
    "dotnetcore2.1" => Dotnet, snapstart: false, streams: false, (2022, 1, 5), (2022, 1, 5), (2022, 4, 13), ThirdParty;
    "ruby4.0" => Ruby, snapstart: false, streams: false, (2029, 3, 31), (2029, 4, 30), (2029, 5, 31), Verified;
    "ruby3.4" => Ruby, snapstart: false, streams: false, (2028, 3, 31), (2028, 4, 30), (2028, 5, 31), Verified;
    "ruby3.3" => Ruby, snapstart: false, streams: false, (2027, 3, 31), (2027, 4, 30), (2027, 5, 31), Verified;
    "ruby3.2" => Ruby, snapstart: false, streams: false, (2026, 3, 31), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    "ruby2.7" => Ruby, snapstart: false, streams: false, (2023, 12, 7), (2024, 1, 9), (2027, 3, 3), ThirdParty;
    "ruby2.5" => Ruby, snapstart: false, streams: false, (2021, 7, 30), (2021, 7, 30), (2022, 3, 31), ThirdParty;
    "provided.al2023" => Custom, snapstart: false, streams: true, (2029, 6, 30), (2029, 7, 31), (2029, 8, 31), ThirdParty;
    "provided.al2" => Custom, snapstart: false, streams: true, (2026, 7, 31), (2027, 2, 1), (2027, 3, 3), ThirdParty;
    // The OS-only runtime on Amazon Linux 1.
    "provided" => Custom, snapstart: false, streams: true, (2024, 1, 8), (2024, 2, 8), (2027, 3, 3), ThirdParty;
    // Go 1.x on Amazon Linux 1: a managed runtime, but the family enum has no
    // Go, and its function is a binary the team builds, which is `Custom`.
    // It is a managed runtime other than Node.js, not an OS-only one, so the
    // streaming page's rule gives `streams: false`.
    "go1.x" => Custom, snapstart: false, streams: false, (2024, 1, 8), (2024, 2, 8), (2027, 3, 3), ThirdParty;
}

/// String equality a `const fn` can use: a lookup in a static table
/// evaluated when the program is built (here, and the price table's
/// `PriceId::named`).
pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A Lambda runtime: a row of [`RUNTIMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Runtime(u8);

impl Runtime {
    /// The OS-only runtime on Amazon Linux 2023: what a container's binary runs on.
    pub const PROVIDED_AL2023: Runtime = Runtime::named("provided.al2023");

    /// The runtime called `name`; a name not in the table fails to compile.
    const fn named(name: &str) -> Runtime {
        let mut i = 0;
        while i < RUNTIMES.len() {
            if str_eq(RUNTIMES[i].name, name) {
                return Runtime(i as u8);
            }
            i += 1;
        }
        panic!("no such runtime in the table")
    }

    /// The runtime's row.
    pub fn info(self) -> &'static RuntimeInfo {
        &RUNTIMES[usize::from(self.0)]
    }

    pub fn family(self) -> RuntimeFamily {
        self.info().family
    }

    /// Every runtime of the table.
    pub fn all() -> impl Iterator<Item = Runtime> {
        (0..RUNTIMES.len()).filter_map(|i| u8::try_from(i).ok()).map(Runtime)
    }
}

impl super::named_enum::NamedEnum for Runtime {
    const TYPE: &'static super::named_enum::EnumType =
        &super::named_enum::EnumType { name: "runtime", values: NAMES, ordered: false };
    fn name(self) -> &'static str {
        self.info().name
    }
    fn from_name(name: &str) -> Option<Self> {
        RUNTIMES.iter().position(|r| r.name == name).and_then(|i| u8::try_from(i).ok()).map(Runtime)
    }
}

impl std::fmt::Display for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.info().name)
    }
}

impl serde::Serialize for Runtime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.info().name)
    }
}

impl schemars::JsonSchema for Runtime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Runtime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": NAMES })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NamedEnum;

    #[test]
    fn every_date_is_a_day_and_the_dates_are_in_order() {
        for r in RUNTIMES {
            for date in [r.deprecated, r.block_create, r.block_update] {
                assert_eq!(Date::new(date.year(), date.month(), date.day()), Ok(date), "{}", r.name);
            }
            assert!(r.deprecated <= r.block_create && r.block_create <= r.block_update, "{}", r.name);
        }
    }

    #[test]
    fn names_are_unique_and_found() {
        assert_eq!(NAMES.len(), RUNTIMES.len());
        for (i, r) in RUNTIMES.iter().enumerate() {
            assert_eq!(NAMES[i], r.name);
            assert_eq!(Runtime::from_name(r.name).map(|x| x.info().name), Some(r.name));
        }
        let mut sorted = NAMES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), NAMES.len());
    }

    #[test]
    fn snapstart_is_java_11_python_3_12_and_dotnet_8_onwards() {
        let with: Vec<&str> = RUNTIMES.iter().filter(|r| r.snapstart).map(|r| r.name).collect();
        assert_eq!(
            with,
            ["python3.14", "python3.13", "python3.12", "java25", "java21", "java17", "java11", "dotnet10", "dotnet8"]
        );
    }
}
