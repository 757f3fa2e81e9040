//! The spanned tree to the typed model.
//!
//! The loader walks the tree section by section, decodes each value, checks
//! it against AWS's limits ([`super::validate`]) and collects every error
//! instead of stopping at the first, so a user fixes a file in one pass.

use miette::SourceSpan;

use super::components::*;
use super::err::LoadError;
use super::limits::{self, Source};
use super::named_enum::NamedEnum;
use super::tree::{Key, Node, Value};
use super::validate;
use super::{Components, FargateAlb, FargateApiGateway, LambdaApiGateway, Model, Origin, Origins};
use crate::source::NonEmpty;
use crate::suggest;
use rust_decimal::Decimal;

use crate::units::{Date, Duration, Money, Percent, Quantity, Size, UnitError, Vcpu};

/// The longest lists a proposal may hold.
pub const MAX_DATA_STORES: usize = 100;
pub const MAX_WAIVERS: usize = 1_000;
pub const MAX_TAGS: usize = 256;

/// Top-level keys that mark another tool's file, and what that file is.
const FOREIGN_FILES: &[(&[&str], &str)] = &[
    (&["AWSTemplateFormatVersion", "Resources"], "a CloudFormation template"),
    (&["openapi", "swagger"], "an OpenAPI document"),
    (&["apiVersion"], "a Kubernetes manifest"),
    (&["services"], "a Docker Compose file"),
    (&["resource", "provider", "terraform"], "a Terraform configuration"),
];

/// Keys every proposal may have, besides its pattern's components.
const COMMON_KEYS: &[&str] =
    &["name", "pattern", "environment", "tags", "workload", "network", "data", "observability", "waivers"];
const ALL_COMPONENT_KEYS: &[&str] = &["gateway", "function", "service", "load_balancer", "vpc_link"];

pub(crate) fn load_model(root: &Node) -> Result<(Model, Origins), NonEmpty<LoadError>> {
    let mut loader = Loader::default();
    let model = loader.model(root);
    // Report in file order, as a reader goes through the file.
    loader.errors.sort_by_key(|e| e.span().map_or(0, |s| s.offset()));
    match (model, NonEmpty::from_vec(loader.errors)) {
        (Some(model), None) => Ok((model, loader.origins)),
        (_, Some(errors)) => Err(errors),
        (None, None) => unreachable_without_error(),
    }
}

/// Every path that yields `None` pushes an error first; this keeps that
/// promise checked without a panic.
fn unreachable_without_error() -> Result<(Model, Origins), NonEmpty<LoadError>> {
    Err(NonEmpty::new(LoadError::Syntax {
        help: String::new(),
        message: "the proposal could not be read".into(),
        span: SourceSpan::from((0, 0)),
    }))
}

#[derive(Default)]
pub(crate) struct Loader {
    pub(crate) errors: Vec<LoadError>,
    pub(crate) origins: Origins,
}

/// A mapping being read: which keys were taken, for "unknown key" errors.
struct Section<'a> {
    path: String,
    /// Where to point when a key is missing: the section's key, or the document start.
    span: SourceSpan,
    entries: &'a [(Key, Node)],
    used: Vec<bool>,
}

impl<'a> Section<'a> {
    fn take(&mut self, key: &str) -> Option<&'a (Key, Node)> {
        let index = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[index] = true;
        Some(&self.entries[index])
    }

    fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.name == key)
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }

    fn describe(&self) -> String {
        if self.path.is_empty() { "the proposal".into() } else { format!("`{}`", self.path) }
    }
}

/// Decoding one value of the tree into a typed value.
pub(crate) trait FromNode: Sized {
    /// What is expected, for "expects ..." messages.
    fn expected() -> String;
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError>;
}

fn wrong_type<T: FromNode>(node: &Node, key: &str, help: &str) -> LoadError {
    LoadError::WrongType {
        what: format!("`{key}`"),
        expected: T::expected(),
        found: node.value.describe(),
        span: node.span,
        help: help.to_string(),
    }
}

impl FromNode for bool {
    fn expected() -> String {
        "`true` or `false`".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        match &node.value {
            Value::Bool(b) => Ok(*b),
            _ => Err(wrong_type::<bool>(
                node,
                key,
                "write `true` or `false` (YAML 1.1's `yes` and `on` are not booleans here)",
            )),
        }
    }
}

macro_rules! from_node_int {
    ($($ty:ty),*) => {$(
        impl FromNode for $ty {
            fn expected() -> String {
                format!("a whole number from {} to {}", <$ty>::MIN, <$ty>::MAX)
            }
            fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
                let whole = match &node.value {
                    Value::Int(i) => Some(*i),
                    Value::Float(x) if x.fract() == 0.0 && x.abs() < 1e30 => Some(*x as i128),
                    Value::Str(s) => s.replace('_', "").parse::<i128>().ok(),
                    _ => None,
                };
                match whole.map(<$ty>::try_from) {
                    Some(Ok(value)) => Ok(value),
                    Some(Err(_)) => Err(LoadError::OutOfLimit {
                        message: format!("`{key}` must be from {} to {}", <$ty>::MIN, <$ty>::MAX),
                        span: node.span,
                        label: "out of range".into(),
                        help: "write a smaller whole number".into(),
                    }),
                    None => Err(wrong_type::<$ty>(node, key, "write a plain number such as `2`, without a unit")),
                }
            }
        }
    )*};
}
from_node_int!(u8, u32, u64);

impl FromNode for String {
    fn expected() -> String {
        "text".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        match &node.value {
            Value::Str(s) => Ok(s.clone()),
            Value::Int(i) => Ok(i.to_string()),
            Value::Float(x) => Ok(x.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(wrong_type::<String>(
                node,
                key,
                "write the text after the key; quote it if it starts with a special character",
            )),
        }
    }
}

/// The number of a scalar as the user wrote it (for `30` → "did you mean `30s`").
fn number_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) => Some(x.to_string()),
        _ => None,
    }
}

fn unit_error(node: &Node, key: &str, error: UnitError) -> LoadError {
    let quantity = error.quantity();
    let mut help = error.help();
    let label = match &error {
        UnitError::MissingUnit { .. } => {
            let number = number_text(node)
                .or_else(|| match &node.value {
                    Value::Str(s) => Some(s.trim().to_string()),
                    _ => None,
                })
                .unwrap_or_default();
            let unit = match quantity {
                Quantity::Duration => "s",
                Quantity::Size if number.parse::<u64>().is_ok_and(|n| n >= 64) => "MiB",
                Quantity::Size => "GiB",
                Quantity::Money => "$",
                Quantity::Percent => "%",
                Quantity::Vcpu => "vCPU",
            };
            let guess = if quantity == Quantity::Money { format!("${number}") } else { format!("{number}{unit}") };
            help = format!("did you mean `{guess}`? {help}");
            "no unit".to_string()
        }
        UnitError::UnknownUnit { unit, .. } => {
            let spelled_out = SPELLED_OUT_UNITS.iter().find(|(long, _)| long.eq_ignore_ascii_case(unit));
            let suggestion = spelled_out
                .map(|(_, short)| *short)
                .or_else(|| suggest::did_you_mean(unit, quantity.accepted_units().iter().copied()));
            if let Some(short) = suggestion {
                let number = match &node.value {
                    Value::Str(s) => s.trim().trim_end_matches(unit.as_str()).trim().to_string(),
                    _ => String::new(),
                };
                help = format!("did you mean `{number}{short}`? {help}");
            }
            "unknown unit".to_string()
        }
        UnitError::AmbiguousUnit { binary, .. } => format!("write `{binary}`"),
        _ => format!("not a {}", quantity.name()),
    };
    LoadError::Unit { key: key.to_string(), message: error.to_string(), span: node.span, label, help }
}

/// Units people spell out, and the symbol to write instead.
const SPELLED_OUT_UNITS: &[(&str, &str)] = &[
    ("millisecond", "ms"),
    ("milliseconds", "ms"),
    ("msec", "ms"),
    ("sec", "s"),
    ("secs", "s"),
    ("second", "s"),
    ("seconds", "s"),
    ("min", "m"),
    ("mins", "m"),
    ("minute", "m"),
    ("minutes", "m"),
    ("hr", "h"),
    ("hrs", "h"),
    ("hour", "h"),
    ("hours", "h"),
];

macro_rules! from_node_unit {
    ($($ty:ty => $quantity:expr),*) => {$(
        impl FromNode for $ty {
            fn expected() -> String {
                format!("a {} such as {}", $quantity.name(), $quantity.examples())
            }
            fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
                match &node.value {
                    Value::Str(s) => s.parse::<$ty>().map_err(|e| unit_error(node, key, e)),
                    Value::Int(_) | Value::Float(_) => {
                        Err(unit_error(node, key, UnitError::MissingUnit { quantity: $quantity }))
                    }
                    _ => Err(wrong_type::<$ty>(node, key, &UnitError::NotANumber { quantity: $quantity }.help())),
                }
            }
        }
    )*};
}
from_node_unit!(
    Duration => Quantity::Duration,
    Size => Quantity::Size,
    Money => Quantity::Money,
    Percent => Quantity::Percent
);

impl FromNode for CacheSize {
    fn expected() -> String {
        "an API cache size in GB".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let gb = Decimal::from_node(node, key)?;
        CacheSize::new(gb).ok_or_else(|| LoadError::OutOfLimit {
            message: format!("API Gateway offers no {gb} GB cache"),
            span: node.span,
            label: "not an offered size".into(),
            help: format!(
                "write one of {} (GB); AWS: API Gateway cache sizes (apigateway/latest/developerguide/api-gateway-caching.html)",
                CacheSize::OFFERED.join(", ")
            ),
        })
    }
}

impl FromNode for Decimal {
    fn expected() -> String {
        "a number such as `0.5`".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let text = match &node.value {
            Value::Int(i) => i.to_string(),
            Value::Float(x) => x.to_string(),
            Value::Str(s) => s.trim().to_string(),
            _ => String::new(),
        };
        Decimal::from_str_exact(&text)
            .map(|d| d.normalize())
            .map_err(|_| wrong_type::<Decimal>(node, key, "write a plain number such as `0.5`, without a unit"))
    }
}

impl FromNode for Vcpu {
    fn expected() -> String {
        format!("a {} such as {}", Quantity::Vcpu.name(), Quantity::Vcpu.examples())
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let parsed = match &node.value {
            Value::Int(_) | Value::Float(_) => Vcpu::from_number_text(&number_text(node).unwrap_or_default()),
            Value::Str(s) => s.parse(),
            _ => return Err(wrong_type::<Vcpu>(node, key, &UnitError::NotANumber { quantity: Quantity::Vcpu }.help())),
        };
        parsed.map_err(|e| unit_error(node, key, e))
    }
}

impl FromNode for Date {
    fn expected() -> String {
        "a date such as `2027-03-31`".into()
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        match &node.value {
            Value::Str(s) => s.parse().map_err(|e: crate::units::DateError| LoadError::Unit {
                key: key.to_string(),
                message: e.to_string(),
                span: node.span,
                label: "not a date".into(),
                help: "write the date as `YYYY-MM-DD`, e.g. `2027-03-31`".into(),
            }),
            _ => Err(wrong_type::<Date>(node, key, "write the date as `YYYY-MM-DD`, e.g. `2027-03-31`")),
        }
    }
}

impl<E: NamedEnum> FromNode for E {
    fn expected() -> String {
        suggest::one_of(E::TYPE.values)
    }
    fn from_node(node: &Node, key: &str) -> Result<Self, LoadError> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => x.to_string(),
            _ => return Err(wrong_type::<E>(node, key, &format!("write one of {}", E::expected()))),
        };
        E::from_name(&text).ok_or_else(|| {
            let accepted = format!("expected one of {}", E::expected());
            let help = match suggest::did_you_mean(&text, E::TYPE.values.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? {accepted}"),
                None => accepted,
            };
            LoadError::UnknownValue {
                key: key.to_string(),
                kind: E::TYPE.name.replace('_', " "),
                value: text,
                span: node.span,
                help,
            }
        })
    }
}

impl Loader {
    fn error(&mut self, error: LoadError) {
        self.errors.push(error);
    }

    /// Opens `node` as a mapping.
    fn section<'a>(&mut self, node: &'a Node, path: &str, key_span: SourceSpan) -> Option<Section<'a>> {
        match &node.value {
            Value::Map(entries) => {
                Some(Section { path: path.to_string(), span: key_span, entries, used: vec![false; entries.len()] })
            }
            _ => {
                let name = if path.is_empty() { "the proposal".to_string() } else { format!("`{path}`") };
                self.error(LoadError::WrongType {
                    what: name.clone(),
                    expected: "a mapping of keys".into(),
                    found: node.value.describe(),
                    span: node.span,
                    help: format!("{name} holds keys, one per line, indented under it"),
                });
                None
            }
        }
    }

    /// Reports keys that were not taken, with the closest known key.
    fn finish(&mut self, section: Section<'_>, known: &[&str]) {
        for ((key, _), used) in section.entries.iter().zip(&section.used) {
            if *used || known.contains(&key.name.as_str()) {
                continue;
            }
            let accepted = format!("{} accepts {}", section.describe(), suggest::one_of(known));
            let help = match suggest::did_you_mean(&key.name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? {accepted}"),
                None => accepted,
            };
            self.error(LoadError::UnknownKey {
                key: key.name.clone(),
                section: section.describe(),
                span: key.span,
                help,
            });
        }
    }

    fn decode<T: FromNode>(&mut self, path: String, key: &str, node: &Node) -> Option<T> {
        match T::from_node(node, key) {
            Ok(value) => {
                self.origins.insert(path, Origin::Declared(node.span));
                Some(value)
            }
            Err(error) => {
                self.error(error);
                None
            }
        }
    }

    fn missing(&mut self, section: &Section<'_>, key: &str, example: &str) {
        // A misspelled key is reported once, as unknown with "did you mean".
        let misspelled = section
            .entries
            .iter()
            .zip(&section.used)
            .any(|((k, _), used)| !used && suggest::did_you_mean(&k.name, [key]).is_some());
        if misspelled {
            return;
        }
        self.error(LoadError::MissingKey {
            key: key.to_string(),
            section: section.describe(),
            span: section.span,
            help: format!("add `{key}: {example}`"),
        });
    }

    /// A key that must be written.
    fn required<T: FromNode>(&mut self, section: &mut Section<'_>, key: &str, example: &str) -> Option<T> {
        let path = section.child_path(key);
        match section.take(key) {
            Some((_, node)) if node.value != Value::Null => self.decode(path.clone(), &path, node),
            _ => {
                self.missing(section, key, example);
                None
            }
        }
    }

    /// A key with a default.
    fn optional<T: FromNode>(
        &mut self,
        section: &mut Section<'_>,
        key: &str,
        default: T,
        source: Option<Source>,
    ) -> Option<T> {
        let path = section.child_path(key);
        match section.take(key) {
            Some((_, node)) if node.value != Value::Null => self.decode(path.clone(), &path, node),
            _ => {
                self.origins.insert(path, Origin::Default(source));
                Some(default)
            }
        }
    }

    /// A key that may be left out, with no default: `Some(None)` when absent.
    fn maybe<T: FromNode>(&mut self, section: &mut Section<'_>, key: &str) -> Option<Option<T>> {
        let path = section.child_path(key);
        match section.take(key) {
            Some((_, node)) if node.value != Value::Null => self.decode(path.clone(), &path, node).map(Some),
            _ => Some(None),
        }
    }

    /// A nested section that must be written.
    fn required_section<'a>(&mut self, parent: &mut Section<'a>, key: &str, example: &str) -> Option<Section<'a>> {
        let path = parent.child_path(key);
        match parent.take(key) {
            Some((k, node)) if node.value != Value::Null => {
                self.origins.insert(path.clone(), Origin::Declared(k.span));
                self.section(node, &path, k.span)
            }
            _ => {
                self.missing(parent, key, example);
                None
            }
        }
    }

    /// A nested section that may be left out. `Some(None)` when absent.
    fn optional_section<'a>(&mut self, parent: &mut Section<'a>, key: &str) -> Option<Option<Section<'a>>> {
        let path = parent.child_path(key);
        match parent.take(key) {
            Some((k, node)) if node.value != Value::Null => {
                self.origins.insert(path.clone(), Origin::Declared(k.span));
                self.section(node, &path, k.span).map(Some)
            }
            _ => Some(None),
        }
    }

    // ---------------------------------------------------------------- model

    fn model(&mut self, root: &Node) -> Option<Model> {
        let mut top = self.section(root, "", SourceSpan::from((0, 0)))?;
        // Another tool's file given by mistake: say so once, not key by key.
        let foreign = top.entries.iter().find_map(|(k, _)| {
            FOREIGN_FILES.iter().find(|(keys, _)| keys.contains(&k.name.as_str())).map(|(_, what)| (k, *what))
        });
        if let (Some((key, what)), false) = (foreign, top.has("pattern")) {
            self.error(LoadError::WrongType {
                what: "this file".into(),
                expected: "an archpolicy proposal".into(),
                found: what.into(),
                span: key.span,
                help: "a proposal describes the service in archpolicy's own terms (`name`, `pattern`, `workload`, ...); docs/model.md shows one, and examples/ has one per pattern".into(),
            });
            return None;
        }
        let pattern: Option<Pattern> = self.required(&mut top, "pattern", "lambda_api_gateway");
        let name: Option<String> = self.required(&mut top, "name", "orders-api");
        let environment: Option<String> = self.required(&mut top, "environment", "production");
        let tags = self.tags(&mut top);
        let workload = self.workload(&mut top);
        let network = self.network(&mut top);
        let data = self.data(&mut top);
        let observability = self.observability(&mut top);
        let waivers = self.waivers(&mut top);

        let components = match pattern {
            Some(pattern) => {
                self.foreign_components(&mut top, pattern);
                self.components(&mut top, pattern)
            }
            None => {
                // Still read the components that are there, to report their errors too.
                if top.has("gateway") {
                    self.gateway(&mut top);
                }
                if top.has("function") {
                    self.function(&mut top);
                }
                if top.has("service") {
                    self.service(&mut top);
                }
                if top.has("load_balancer") {
                    self.load_balancer(&mut top, Scheme::Internal);
                }
                if top.has("vpc_link") {
                    self.vpc_link(&mut top);
                }
                None
            }
        };
        let mut known: Vec<&str> = COMMON_KEYS.to_vec();
        known.extend(pattern.map_or(ALL_COMPONENT_KEYS, |p| p.component_keys()));
        self.finish(top, &known);

        let model = Model {
            name: name?,
            components: components?,
            environment: environment?,
            tags: tags?,
            workload: workload?,
            network: network?,
            data: data?,
            observability: observability?,
            waivers: waivers?,
        };
        validate::model(self, &model);
        Some(model)
    }

    fn foreign_components(&mut self, top: &mut Section<'_>, pattern: Pattern) {
        let own = pattern.component_keys();
        for key in ALL_COMPONENT_KEYS.iter().filter(|k| !own.contains(k)) {
            if let Some((k, _)) = top.take(key) {
                let owners: Vec<&str> =
                    Pattern::ALL.iter().filter(|p| p.component_keys().contains(key)).map(|p| p.name()).collect();
                self.error(LoadError::ForeignComponent {
                    component: key.to_string(),
                    pattern: pattern.name().to_string(),
                    span: k.span,
                    help: format!(
                        "a `{}` proposal has {}; `{key}` belongs to {}: remove it, or change `pattern`",
                        pattern.name(),
                        suggest::all_of(own),
                        suggest::one_of(&owners)
                    ),
                });
            }
        }
    }

    fn components(&mut self, top: &mut Section<'_>, pattern: Pattern) -> Option<Components> {
        match pattern {
            Pattern::LambdaApiGateway => {
                let gateway = self.gateway(top);
                let function = self.function(top);
                Some(Components::LambdaApiGateway(LambdaApiGateway { gateway: gateway?, function: function? }))
            }
            Pattern::FargateAlb => {
                let load_balancer = self.load_balancer(top, Scheme::InternetFacing);
                let service = self.service(top);
                Some(Components::FargateAlb(FargateAlb { load_balancer: load_balancer?, service: service? }))
            }
            Pattern::FargateApiGateway => {
                let gateway = self.gateway(top);
                let vpc_link = self.vpc_link(top);
                let load_balancer = self.load_balancer(top, Scheme::Internal);
                let service = self.service(top);
                Some(Components::FargateApiGateway(FargateApiGateway {
                    gateway: gateway?,
                    vpc_link: vpc_link?,
                    load_balancer: load_balancer?,
                    service: service?,
                }))
            }
        }
    }

    fn tags(&mut self, top: &mut Section<'_>) -> Option<Tags> {
        let mut tags = Tags::new();
        let Some(mut section) = self.optional_section(top, "tags")? else {
            return Some(tags);
        };
        if section.entries.len() > MAX_TAGS {
            self.error(LoadError::OutOfLimit {
                message: format!("{} tags; a proposal may have {MAX_TAGS} at most", section.entries.len()),
                span: section.span,
                label: "too many".into(),
                help: "keep the tags policies read".into(),
            });
            return None;
        }
        let mut ok = true;
        for (key, node) in section.entries {
            let path = format!("tags.{}", key.name);
            let value: Option<String> = self.decode(path.clone(), &path, node);
            match value {
                Some(v) => {
                    tags.insert(key.name.clone(), v);
                }
                None => ok = false,
            }
        }
        section.used.iter_mut().for_each(|u| *u = true);
        self.finish(section, &[]);
        ok.then_some(tags)
    }

    fn workload(&mut self, top: &mut Section<'_>) -> Option<Workload> {
        let mut s = self.required_section(
            top,
            "workload",
            "{ requests_per_month: 1000000, avg_duration: 100ms, max_request_duration: 5s, peak_rps: 50 }",
        )?;
        let requests_per_month = self.required(&mut s, "requests_per_month", "1000000");
        let avg_duration = self.required(&mut s, "avg_duration", "100ms");
        let max_request_duration = self.required(&mut s, "max_request_duration", "5s");
        let peak_rps = self.required(&mut s, "peak_rps", "50");
        let websockets = self.optional(&mut s, "websockets", false, None);
        let streaming = self.optional(&mut s, "streaming", false, None);
        let latency_sensitive = self.optional(&mut s, "latency_sensitive", false, None);
        let avg_payload = self.maybe(&mut s, "avg_payload");
        let connection_minutes = self.maybe(&mut s, "connection_minutes_per_month");
        self.finish(s, WORKLOAD_KEYS);
        let workload = Workload {
            requests_per_month: requests_per_month?,
            avg_duration: avg_duration?,
            max_request_duration: max_request_duration?,
            peak_rps: peak_rps?,
            websockets: websockets?,
            streaming: streaming?,
            latency_sensitive: latency_sensitive?,
            avg_payload: avg_payload?,
            connection_minutes_per_month: connection_minutes?,
        };
        validate::workload(self, &workload);
        Some(workload)
    }

    fn gateway(&mut self, top: &mut Section<'_>) -> Option<Gateway> {
        let mut s = self.required_section(top, "gateway", "{ api: rest }")?;
        let api: Option<ApiType> = self.required(&mut s, "api", "rest");
        let endpoint = self.optional(&mut s, "endpoint", defaults::endpoint(), None);
        let default_timeout = match api {
            Some(ApiType::Http) => limits::HTTP_TIMEOUT_MAX,
            Some(ApiType::Websocket) => limits::WEBSOCKET_TIMEOUT_MAX,
            Some(ApiType::Rest) | None => limits::REST_TIMEOUT_DEFAULT,
        };
        let integration_timeout =
            self.optional(&mut s, "integration_timeout", default_timeout.value, Some(default_timeout.source));
        let timeout_quota_raised = self.optional(&mut s, "timeout_quota_raised", false, None);
        let transfer = self.optional(&mut s, "transfer", defaults::transfer(), None);
        let authorizer = self.optional(&mut s, "authorizer", defaults::authorizer(), None);
        let waf = self.optional(&mut s, "waf", false, None);
        let throttle = self.throttle(&mut s);
        let cache_gb = self.maybe(&mut s, "cache_gb");
        self.finish(s, GATEWAY_KEYS);
        let gateway = Gateway {
            api: api?,
            endpoint: endpoint?,
            integration_timeout: integration_timeout?,
            timeout_quota_raised: timeout_quota_raised?,
            transfer: transfer?,
            authorizer: authorizer?,
            waf: waf?,
            throttle: throttle?,
            cache_gb: cache_gb?,
        };
        validate::gateway(self, &gateway);
        Some(gateway)
    }

    fn throttle(&mut self, gateway: &mut Section<'_>) -> Option<Option<Throttle>> {
        let Some(mut s) = self.optional_section(gateway, "throttle")? else {
            return Some(None);
        };
        let rate = self.required(&mut s, "rate", "1000");
        let burst = self.required(&mut s, "burst", "2000");
        self.finish(s, &["rate", "burst"]);
        Some(Some(Throttle { rate: rate?, burst: burst? }))
    }

    fn function(&mut self, top: &mut Section<'_>) -> Option<Function> {
        let mut s = self.required_section(top, "function", "{ runtime: python3.13, memory: 512MiB, timeout: 10s }")?;
        let runtime = self.required(&mut s, "runtime", "python3.13");
        let memory = self.required(&mut s, "memory", "512MiB");
        let timeout = self.required(&mut s, "timeout", "10s");
        let architecture = self.optional(&mut s, "architecture", defaults::architecture(), None);
        let provisioned_concurrency = self.optional(&mut s, "provisioned_concurrency", 0, None);
        let snapstart = self.optional(&mut s, "snapstart", false, None);
        let ephemeral_storage = self.optional(
            &mut s,
            "ephemeral_storage",
            limits::LAMBDA_TMP_MIN.value,
            Some(limits::LAMBDA_TMP_MIN.source),
        );
        if let Some(t) = timeout {
            validate::lambda_timeout(self, t);
        }
        if let Some(m) = memory {
            validate::lambda_memory(self, m);
        }
        if let Some(e) = ephemeral_storage {
            validate::lambda_storage(self, e);
        }
        let vpc = match self.optional_section(&mut s, "vpc") {
            Some(Some(mut v)) => {
                let subnets = self.required(&mut v, "subnets", "private");
                self.finish(v, &["subnets"]);
                subnets.map(|subnets| Some(FunctionVpc { subnets }))
            }
            Some(None) => Some(None),
            None => None,
        };
        self.finish(s, FUNCTION_KEYS);
        let function = Function {
            runtime: runtime?,
            memory: memory?,
            timeout: timeout?,
            architecture: architecture?,
            provisioned_concurrency: provisioned_concurrency?,
            snapstart: snapstart?,
            ephemeral_storage: ephemeral_storage?,
            vpc: vpc?,
        };
        Some(function)
    }

    fn service(&mut self, top: &mut Section<'_>) -> Option<Service> {
        let mut s = self.required_section(
            top,
            "service",
            "{ cpu: 1, memory: 2GiB, tasks: { min: 2, desired: 2, max: 4 }, auth: library }",
        )?;
        let cpu = self.required(&mut s, "cpu", "1");
        let memory = self.required(&mut s, "memory", "2GiB");
        let tasks = match self.required_section(&mut s, "tasks", "{ min: 2, desired: 2, max: 4 }") {
            Some(mut t) => {
                let min = self.required(&mut t, "min", "2");
                let desired = self.required(&mut t, "desired", "2");
                let max = self.required(&mut t, "max", "4");
                self.finish(t, &["min", "desired", "max"]);
                match (min, desired, max) {
                    (Some(min), Some(desired), Some(max)) => {
                        let tasks = Tasks { min, desired, max };
                        validate::tasks(self, &tasks);
                        Some(tasks)
                    }
                    _ => None,
                }
            }
            None => None,
        };
        let architecture = self.optional(&mut s, "architecture", defaults::architecture(), None);
        let subnets = self.optional(&mut s, "subnets", defaults::subnets(), None);
        let public_ip = self.optional(&mut s, "public_ip", false, None);
        let spot = self.optional(&mut s, "spot", false, None);
        let auth = self.required(&mut s, "auth", "library");
        let ephemeral_storage = self.optional(
            &mut s,
            "ephemeral_storage",
            limits::FARGATE_STORAGE_DEFAULT.value,
            Some(limits::FARGATE_STORAGE_DEFAULT.source),
        );
        if let Some(e) = ephemeral_storage {
            validate::fargate_storage(self, e);
        }
        if let (Some(cpu), Some(memory)) = (cpu, memory) {
            validate::fargate_size(self, cpu, memory);
        }
        self.finish(s, SERVICE_KEYS);
        let service = Service {
            cpu: cpu?,
            memory: memory?,
            tasks: tasks?,
            architecture: architecture?,
            subnets: subnets?,
            public_ip: public_ip?,
            spot: spot?,
            auth: auth?,
            ephemeral_storage: ephemeral_storage?,
        };
        validate::spot(self, &service);
        Some(service)
    }

    fn load_balancer(&mut self, top: &mut Section<'_>, scheme: Scheme) -> Option<LoadBalancer> {
        let mut s = self.required_section(top, "load_balancer", "{ idle_timeout: 60s }")?;
        let scheme = self.optional(&mut s, "scheme", scheme, None);
        let idle_timeout = self.optional(
            &mut s,
            "idle_timeout",
            limits::ALB_IDLE_TIMEOUT_DEFAULT.value,
            Some(limits::ALB_IDLE_TIMEOUT_DEFAULT.source),
        );
        let waf = self.optional(&mut s, "waf", false, None);
        self.finish(s, &["scheme", "idle_timeout", "waf"]);
        if let Some(t) = idle_timeout {
            validate::idle_timeout(self, t);
        }
        Some(LoadBalancer { scheme: scheme?, idle_timeout: idle_timeout?, waf: waf? })
    }

    fn vpc_link(&mut self, top: &mut Section<'_>) -> Option<VpcLink> {
        let mut s = self.required_section(top, "vpc_link", "{ version: v2 }")?;
        let version = self.required(&mut s, "version", "v2");
        self.finish(s, &["version"]);
        Some(VpcLink { version: version? })
    }

    fn network(&mut self, top: &mut Section<'_>) -> Option<Network> {
        let Some(mut s) = self.optional_section(top, "network")? else {
            self.origins.insert("network.az_count".into(), Origin::Default(None));
            self.origins.insert("network.nat_gateways".into(), Origin::Default(None));
            return Some(defaults::network());
        };
        let az_count = self.optional(&mut s, "az_count", defaults::az_count(), None);
        let nat_gateways = self.optional(&mut s, "nat_gateways", 0, None);
        self.finish(s, &["az_count", "nat_gateways"]);
        let network = Network { az_count: az_count?, nat_gateways: nat_gateways? };
        validate::network(self, &network);
        Some(network)
    }

    fn observability(&mut self, top: &mut Section<'_>) -> Option<Observability> {
        let Some(mut s) = self.optional_section(top, "observability")? else {
            self.origins.insert("observability.logs".into(), Origin::Default(None));
            self.origins.insert("observability.tracing".into(), Origin::Default(None));
            return Some(defaults::observability());
        };
        let logs = self.optional(&mut s, "logs", defaults::logs(), None);
        let tracing = self.optional(&mut s, "tracing", defaults::tracing(), None);
        let logs_per_month = self.maybe(&mut s, "logs_per_month");
        let trace_sampling = self.maybe(&mut s, "trace_sampling");
        self.finish(s, &["logs", "tracing", "logs_per_month", "trace_sampling"]);
        let observability = Observability {
            logs: logs?,
            tracing: tracing?,
            logs_per_month: logs_per_month?,
            trace_sampling: trace_sampling?,
        };
        validate::observability(self, &observability);
        Some(observability)
    }

    /// A list of mappings, each read by `item`.
    fn list<'a, T>(
        &mut self,
        top: &mut Section<'a>,
        key: &str,
        max: usize,
        mut item: impl FnMut(&mut Self, Section<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Some((k, node)) = top.take(key) else {
            return Some(Vec::new());
        };
        self.origins.insert(key.to_string(), Origin::Declared(k.span));
        let items = match &node.value {
            Value::Null => return Some(Vec::new()),
            Value::Seq(items) => items,
            _ => {
                self.error(LoadError::WrongType {
                    what: format!("`{key}`"),
                    expected: "a list".into(),
                    found: node.value.describe(),
                    span: node.span,
                    help: format!("write each entry of `{key}` on its own line, starting with `- `"),
                });
                return None;
            }
        };
        if items.len() > max {
            self.error(LoadError::OutOfLimit {
                message: format!("`{key}` has {} entries; a proposal may have {max} at most", items.len()),
                span: node.span,
                label: "too many".into(),
                help: "a proposal describes one service: split it, or keep the list to what the service uses".into(),
            });
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, node) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            self.origins.insert(path.clone(), Origin::Declared(node.span));
            match self.section(node, &path, node.span).and_then(|s| item(self, s)) {
                Some(value) => out.push(value),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn data(&mut self, top: &mut Section<'_>) -> Option<Vec<DataStore>> {
        self.list(top, "data", MAX_DATA_STORES, |this, mut s| {
            let kind = this.required(&mut s, "kind", "dynamodb");
            let proxy = this.optional(&mut s, "proxy", false, None);
            let path = s.path.clone();
            this.finish(s, &["kind", "proxy"]);
            let store = DataStore { kind: kind?, proxy: proxy? };
            validate::data_store(this, &store, &path);
            Some(store)
        })
    }

    fn waivers(&mut self, top: &mut Section<'_>) -> Option<Vec<Waiver>> {
        self.list(top, "waivers", MAX_WAIVERS, |this, mut s| {
            let policy = this.required(&mut s, "policy", "idle-cost");
            let reason = this.required(&mut s, "reason", "\"launch quarter\"");
            let expires = this.required(&mut s, "expires", "2027-03-31");
            let approved_by = this.required(&mut s, "approved_by", "\"@platform\"");
            this.finish(s, &["policy", "reason", "expires", "approved_by"]);
            Some(Waiver { policy: policy?, reason: reason?, expires: expires?, approved_by: approved_by? })
        })
    }
}

const WORKLOAD_KEYS: &[&str] = &[
    "requests_per_month",
    "avg_duration",
    "max_request_duration",
    "peak_rps",
    "websockets",
    "streaming",
    "latency_sensitive",
    "avg_payload",
    "connection_minutes_per_month",
];
const GATEWAY_KEYS: &[&str] =
    &["api", "endpoint", "integration_timeout", "timeout_quota_raised", "transfer", "authorizer", "waf", "throttle"];
const FUNCTION_KEYS: &[&str] = &[
    "runtime",
    "memory",
    "timeout",
    "architecture",
    "provisioned_concurrency",
    "snapstart",
    "ephemeral_storage",
    "vpc",
];
const SERVICE_KEYS: &[&str] =
    &["cpu", "memory", "tasks", "architecture", "subnets", "public_ip", "spot", "auth", "ephemeral_storage"];
