//! The price table: a data file (data/prices-us-east-1.yaml) embedded in the
//! binary, or a file of the same format given with `--pricing`. Every item
//! the cost model reads must be there, with the unit the model reads it in;
//! an unknown, missing, negative or malformed item is an error with a span.

use std::collections::BTreeMap;

use miette::SourceSpan;
use rust_decimal::Decimal;
use serde::Serialize;

mod items;

pub(crate) use items::{PriceId, price_id};
use items::{ITEMS, Kind, MAX_PRICE, TIERED};
use super::err::PriceError;
use crate::source::{Failure, NonEmpty, SourceFile};
use crate::suggest;
use crate::units::{Amount, Interval, Money, Percent};
use crate::yaml::{Key, Node, Value};

/// The embedded table.
pub const EMBEDDED_PRICES: (&str, &str) =
    ("data/prices-us-east-1.yaml", include_str!("../../../data/prices-us-east-1.yaml"));

/// One priced item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceItem {
    pub id: String,
    pub unit: String,
    /// For prices.
    pub price: Option<Money>,
    /// For discounts.
    pub percent: Option<Percent>,
    /// For free-tier allowances.
    pub quantity: Option<u64>,
    /// The upper bound of a tier, in the item's counted unit (requests, GB-seconds, GB).
    pub up_to: Option<u64>,
    pub source: String,
    pub confidence: String,
}

/// A checked price table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prices {
    pub region: String,
    pub currency: String,
    pub read: String,
    /// Where the table came from: the embedded file, or the `--pricing` path.
    pub file: String,
    /// By [`PriceId`], the item's place in [`ITEMS`]: a break-even search
    /// prices hundreds of lines a proposal, each looked up by its place
    /// rather than hashing its name. Written out in the ids' order.
    #[serde(serialize_with = "in_id_order")]
    items: Vec<Option<Priced>>,
}

/// An item with its price as a bill reads it, both ways, converted once
/// when the table is read: a break-even search prices each line hundreds
/// of times a proposal.
#[derive(Debug, Clone)]
pub(crate) struct Priced {
    pub(crate) item: PriceItem,
    /// The price, `0` for an item that has none (a discount, an allowance).
    pub(crate) exact: Decimal,
    /// The interval that holds `exact`.
    pub(crate) bounds: Interval,
}

impl Priced {
    fn of(item: PriceItem) -> Priced {
        let exact = item.price.map_or(Decimal::ZERO, |p| p.as_decimal());
        Priced { item, exact, bounds: Interval::exact(exact) }
    }
}

/// Two tables are equal when their items are: the rest is derived from them.
impl PartialEq for Priced {
    fn eq(&self, other: &Priced) -> bool {
        self.item == other.item
    }
}

impl Eq for Priced {}

fn in_id_order<S: serde::Serializer>(items: &[Option<Priced>], to: S) -> Result<S::Ok, S::Error> {
    to.collect_map(items.iter().flatten().map(|p| (&p.item.id, &p.item)).collect::<BTreeMap<_, _>>())
}

/// The table's items by [`PriceId`], each priced both ways (a name that is
/// no item was refused when the table was read).
fn by_id(mut items: BTreeMap<String, PriceItem>) -> Vec<Option<Priced>> {
    ITEMS.iter().map(|(id, _, _)| items.remove(*id).map(Priced::of)).collect()
}

/// A price table that did not load, with every error.
pub type PriceFailure = Failure<PriceError>;

impl Prices {
    /// The embedded us-east-1 table.
    ///
    /// ```
    /// let prices = archpolicy::cost::Prices::embedded().unwrap();
    /// assert_eq!(prices.price("lambda.requests").to_string(), "$0.20");
    /// ```
    pub fn embedded() -> Result<Prices, PriceFailure> {
        // Read at build time (build.rs); the text is parsed only if that failed.
        match GENERATED.as_ref().and_then(Generated::prices) {
            Some(prices) => Ok(prices),
            None => Prices::from_str(EMBEDDED_PRICES.0, EMBEDDED_PRICES.1),
        }
    }

    /// The embedded table, read once. The tests check that it reads; were it
    /// ever broken, every price would be $0 rather than the program failing.
    pub fn embedded_or_empty() -> &'static Prices {
        static EMBEDDED: std::sync::OnceLock<Prices> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Prices::embedded().unwrap_or_else(|_| Prices {
                region: String::new(),
                currency: "USD".into(),
                read: String::new(),
                file: EMBEDDED_PRICES.0.into(),
                items: Vec::new(),
            })
        })
    }

    /// A table from a file.
    pub fn from_path(path: &std::path::Path) -> Result<Prices, PriceFailure> {
        let name = path.display().to_string();
        // Through the gate: a regular file under the proposals' size limit, never a pipe or `/dev/zero`.
        let text = crate::walk::Gate::for_named(path)
            .read(path, crate::walk::MAX_INPUT_BYTES)
            .map_err(|reason| PriceFailure {
                source: None,
                errors: NonEmpty::new(PriceError::Io { path: name.clone(), reason: reason.to_string() }),
            })
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| PriceFailure {
                    source: None,
                    errors: NonEmpty::new(PriceError::Io { path: name.clone(), reason: "not UTF-8 text".into() }),
                })
            })?;
        Prices::from_str(&name, &text)
    }

    /// A table from text; `name` is shown in diagnostics.
    pub fn from_str(name: &str, text: &str) -> Result<Prices, PriceFailure> {
        let source = SourceFile::new(name, text);
        let fail = |errors: Vec<PriceError>| PriceFailure {
            source: Some(source.clone()),
            errors: NonEmpty::from_vec(errors).unwrap_or_else(|| NonEmpty::new(PriceError::Empty)),
        };
        let root = match crate::yaml::parse(text) {
            Ok(Some(root)) => root,
            Ok(None) => return Err(fail(vec![PriceError::Empty])),
            Err(e) => return Err(fail(vec![PriceError::syntax(e)])),
        };
        let mut reader = Reader { errors: Vec::new() };
        let prices = reader.table(&root, name);
        match (prices, NonEmpty::from_vec(reader.errors)) {
            (Some(prices), None) => Ok(prices),
            (_, Some(errors)) => Err(PriceFailure { source: Some(source), errors }),
            (None, None) => Err(fail(vec![PriceError::Empty])),
        }
    }

    /// A price; the table is checked to have every price the model reads.
    pub fn price(&self, id: &str) -> Money {
        self.item(id).and_then(|i| i.price).unwrap_or(Money::ZERO)
    }

    pub fn percent(&self, id: &str) -> Decimal {
        PriceId::find(id).map(|id| self.percent_of(id)).unwrap_or_default()
    }

    pub fn quantity(&self, id: &str) -> u64 {
        PriceId::find(id).map_or(0, |id| self.quantity_of(id))
    }

    /// [`Prices::percent`] by id, as a bill reads it.
    pub(crate) fn percent_of(&self, id: PriceId) -> Decimal {
        self.priced(id).and_then(|p| p.item.percent).map(Percent::fraction).unwrap_or_default()
    }

    /// [`Prices::quantity`] by id, as a bill reads it.
    pub(crate) fn quantity_of(&self, id: PriceId) -> u64 {
        self.priced(id).and_then(|p| p.item.quantity).unwrap_or(0)
    }

    pub fn up_to(&self, id: &str) -> Option<u64> {
        self.item(id).and_then(|i| i.up_to)
    }

    pub fn item(&self, id: &str) -> Option<&PriceItem> {
        PriceId::find(id).and_then(|id| self.priced(id)).map(|p| &p.item)
    }

    /// The item and its price both ways, for a bill's line.
    pub(crate) fn priced(&self, id: PriceId) -> Option<&Priced> {
        self.items.get(id.0).and_then(Option::as_ref)
    }

    pub fn items(&self) -> impl Iterator<Item = &PriceItem> {
        let mut items: Vec<&PriceItem> = self.items.iter().flatten().map(|p| &p.item).collect();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        items.into_iter()
    }

    /// The table in its file format, which reads back to the same table.
    pub fn to_yaml(&self) -> String {
        let mut out = format!(
            "region: {}\ncurrency: {}\nread: {}\nitems:\n",
            quote(&self.region),
            quote(&self.currency),
            quote(&self.read)
        );
        for item in self.items() {
            let id = &item.id;
            let mut fields = Vec::new();
            if let Some(p) = item.price {
                fields.push(format!("price: \"{p}\""));
            }
            if let Some(p) = item.percent {
                fields.push(format!("percent: \"{p}\""));
            }
            if let Some(q) = item.quantity {
                fields.push(format!("quantity: {q}"));
            }
            if let Some(u) = item.up_to {
                fields.push(format!("up_to: {u}"));
            }
            fields.push(format!("unit: {}", quote(&item.unit)));
            fields.push(format!("source: {}", quote(&item.source)));
            fields.push(format!("confidence: {}", quote(&item.confidence)));
            out.push_str(&format!("  {}: {{ {} }}\n", quote(id), fields.join(", ")));
        }
        out
    }
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The embedded table as build.rs read it: text as written, checked here
/// as [`Reader`] checks it, each item's kind from [`ITEMS`].
struct Generated {
    region: &'static str,
    currency: &'static str,
    read: &'static str,
    items: &'static [Row],
}

struct Row {
    id: &'static str,
    price: Option<&'static str>,
    percent: Option<&'static str>,
    quantity: Option<u64>,
    up_to: Option<u64>,
    unit: &'static str,
    source: &'static str,
    confidence: &'static str,
}

static GENERATED: Option<Generated> = include!(concat!(env!("OUT_DIR"), "/prices.rs"));

impl Generated {
    /// The table, or `None` where the text must be read to say what is
    /// wrong (the unit test `the_build_time_table_equals_the_parsed_one`
    /// holds the two equal).
    fn prices(&self) -> Option<Prices> {
        let mut items = BTreeMap::new();
        for row in self.items {
            let (_, kind, unit) = ITEMS.iter().find(|(id, _, _)| *id == row.id)?;
            if row.unit != *unit || row.up_to == Some(0) {
                return None;
            }
            let mut item = PriceItem {
                id: row.id.to_string(),
                unit: row.unit.to_string(),
                price: None,
                percent: None,
                quantity: None,
                up_to: row.up_to,
                source: row.source.to_string(),
                confidence: row.confidence.to_string(),
            };
            match kind {
                Kind::Price => item.price = Some(row.price?.parse::<Money>().ok().filter(|&p| p <= MAX_PRICE)?),
                Kind::Percent => {
                    item.percent = Some(row.percent?.parse::<Percent>().ok().filter(|p| p.fraction() <= Decimal::ONE)?);
                }
                Kind::Quantity => item.quantity = Some(row.quantity?),
            }
            items.insert(item.id.clone(), item);
        }
        let mut reader = Reader { errors: Vec::new() };
        reader.tiers(&items, SourceSpan::from((0, 0)));
        let complete = ITEMS.iter().all(|(id, _, _)| items.contains_key(*id));
        (complete && reader.errors.is_empty() && self.currency == "USD").then(|| Prices {
            region: self.region.to_string(),
            currency: self.currency.to_string(),
            read: self.read.to_string(),
            file: EMBEDDED_PRICES.0.to_string(),
            items: by_id(items),
        })
    }
}

struct Reader {
    errors: Vec<PriceError>,
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Reader {
    fn table(&mut self, root: &Node, file: &str) -> Option<Prices> {
        let Value::Map(entries) = &root.value else {
            self.errors.push(PriceError::Shape { message: "a price table is a mapping".into(), span: root.span });
            return None;
        };
        let get = |key: &str| entries.iter().find(|(k, _)| k.name == key);
        let text_of = |this: &mut Reader, key: &str| -> Option<String> {
            match get(key) {
                Some((_, node)) => scalar_text(node).or_else(|| {
                    this.errors.push(PriceError::Shape { message: format!("`{key}` is text"), span: node.span });
                    None
                }),
                None => {
                    this.errors.push(PriceError::Missing { what: format!("`{key}`"), span: SourceSpan::from((0, 0)) });
                    None
                }
            }
        };
        let region = text_of(self, "region");
        let currency = text_of(self, "currency");
        let read = text_of(self, "read");
        for (key, _) in entries {
            if !["region", "currency", "read", "items"].contains(&key.name.as_str()) {
                self.unknown(key, &["region", "currency", "read", "items"], "key");
            }
        }
        if let Some(c) = currency.as_ref().filter(|c| *c != "USD") {
            let span = get("currency").map_or(SourceSpan::from((0, 0)), |(_, n)| n.span);
            self.errors.push(PriceError::Shape { message: format!("prices are in USD, not `{c}`"), span });
        }
        let mut items = BTreeMap::new();
        match get("items") {
            Some((_, Node { value: Value::Map(list), .. })) => {
                for (key, node) in list {
                    if let Some(item) = self.item(key, node) {
                        items.insert(item.id.clone(), item);
                    }
                }
                let items_span = get("items").map_or(SourceSpan::from((0, 0)), |(k, _)| k.span);
                for (id, _, _) in ITEMS {
                    if !items.contains_key(*id) && !list.iter().any(|(k, _)| k.name == *id) {
                        self.errors.push(PriceError::Missing { what: format!("item `{id}`"), span: items_span });
                    }
                }
                self.tiers(&items, items_span);
            }
            Some((_, node)) => self
                .errors
                .push(PriceError::Shape { message: "`items` is a mapping of item ids".into(), span: node.span }),
            None => self.errors.push(PriceError::Missing { what: "`items`".into(), span: SourceSpan::from((0, 0)) }),
        }
        Some(Prices { region: region?, currency: currency?, read: read?, file: file.to_string(), items: by_id(items) })
    }

    fn unknown(&mut self, key: &Key, known: &[&str], what: &str) {
        let help = match suggest::did_you_mean(&key.name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the {what}s are listed in data/prices-us-east-1.yaml"),
        };
        self.errors.push(PriceError::Unknown { what: what.into(), name: key.name.clone(), span: key.span, help });
    }

    fn item(&mut self, key: &Key, node: &Node) -> Option<PriceItem> {
        let Some((_, kind, unit)) = ITEMS.iter().find(|(id, _, _)| *id == key.name) else {
            let ids: Vec<&str> = ITEMS.iter().map(|(id, _, _)| *id).collect();
            self.unknown(key, &ids, "item");
            return None;
        };
        let Value::Map(fields) = &node.value else {
            self.errors.push(PriceError::Shape {
                message: format!(
                    "item `{}` is a mapping such as `{{ price: $0.20, unit: {unit}, source: ... }}`",
                    key.name
                ),
                span: node.span,
            });
            return None;
        };
        let field = |name: &str| fields.iter().find(|(k, _)| k.name == name).map(|(_, n)| n);
        let allowed = ["price", "percent", "quantity", "up_to", "unit", "source", "confidence"];
        for (k, _) in fields {
            if !allowed.contains(&k.name.as_str()) {
                self.unknown(k, &allowed, "field");
            }
        }
        let value_key = match kind {
            Kind::Price => "price",
            Kind::Percent => "percent",
            Kind::Quantity => "quantity",
        };
        let Some(value) = field(value_key) else {
            self.errors.push(PriceError::Missing { what: format!("`{value_key}` of `{}`", key.name), span: key.span });
            return None;
        };
        let mut item = PriceItem {
            id: key.name.clone(),
            unit: String::new(),
            price: None,
            percent: None,
            quantity: None,
            up_to: None,
            source: field("source").and_then(scalar_text).unwrap_or_default(),
            confidence: field("confidence").and_then(scalar_text).unwrap_or_default(),
        };
        self.item_value(key, *kind, unit, value, &mut item)?;
        self.item_unit(key, unit, field("unit"), &mut item)?;
        if let Some(up_to) = field("up_to") {
            self.item_tier(key, up_to, &mut item)?;
        }
        Some(item)
    }

    /// Records that `key`'s value at `span` does not read: `None`, for `?`.
    fn refuse(&mut self, key: &Key, span: SourceSpan, message: String, help: String) -> Option<()> {
        self.errors.push(PriceError::BadValue { id: key.name.clone(), message, span, help });
        None
    }

    /// The item's price, percentage or quantity, by its kind.
    fn item_value(&mut self, key: &Key, kind: Kind, unit: &str, value: &Node, item: &mut PriceItem) -> Option<()> {
        let text = scalar_text(value).unwrap_or_default();
        let span = value.span;
        match kind {
            Kind::Price => match text.parse::<Money>() {
                Ok(m) if m > MAX_PRICE => {
                    let message = format!("`{text}` is above {MAX_PRICE}, the most an item may cost a unit");
                    let help = format!(
                        "AWS's prices are a few dollars a unit at most; `{}` is priced per {unit}: check the decimal point",
                        key.name
                    );
                    return self.refuse(key, span, message, help);
                }
                Ok(m) => item.price = Some(m),
                Err(e) => {
                    let negative = text.trim_start_matches('$').trim_start().starts_with('-');
                    let message = if negative { "a price cannot be negative".into() } else { e.to_string() };
                    let help = format!("write the price in dollars, e.g. `$0.20`; `{}` is priced per {unit}", key.name);
                    return self.refuse(key, span, message, help);
                }
            },
            Kind::Percent => match text.parse::<Percent>() {
                Ok(p) if p.fraction() <= Decimal::ONE => item.percent = Some(p),
                _ => {
                    let message = format!("`{text}` is not a percentage from 0% to 100%");
                    return self.refuse(key, span, message, "write a percentage such as `70%`".into());
                }
            },
            Kind::Quantity => match &value.value {
                Value::Int(i) if *i >= 0 => item.quantity = u64::try_from(*i).ok(),
                _ => {
                    let message = format!("`{text}` is not a whole number of {unit}");
                    return self.refuse(key, span, message, "write a whole number such as `1000000`".into());
                }
            },
        }
        Some(())
    }

    /// The unit the item is priced per: the one the cost model reads it in.
    fn item_unit(&mut self, key: &Key, unit: &str, written: Option<&Node>, item: &mut PriceItem) -> Option<()> {
        match written.and_then(scalar_text) {
            Some(u) if u == unit => item.unit = u,
            Some(u) => {
                let span = written.map_or(key.span, |n| n.span);
                let message = format!("`{}` is priced per `{unit}`, not per `{u}`", key.name);
                return self.refuse(key, span, message, format!("write `unit: {unit}` and the price for that unit"));
            }
            None => {
                self.errors.push(PriceError::Missing { what: format!("`unit` of `{}`", key.name), span: key.span });
                return None;
            }
        }
        Some(())
    }

    /// A tier's upper bound.
    fn item_tier(&mut self, key: &Key, up_to: &Node, item: &mut PriceItem) -> Option<()> {
        match &up_to.value {
            Value::Int(i) if *i > 0 => item.up_to = u64::try_from(*i).ok(),
            _ => {
                let message = "`up_to` is a positive whole number of the counted unit".into();
                return self.refuse(key, up_to.span, message, "write the tier's upper bound, e.g. `333000000`".into());
            }
        }
        Some(())
    }

    /// Tiers rise, and all but the last have an upper bound.
    fn tiers(&mut self, items: &BTreeMap<String, PriceItem>, span: SourceSpan) {
        for tiers in TIERED {
            let mut previous = 0u64;
            for (i, id) in tiers.iter().enumerate() {
                let Some(item) = items.get(*id) else { continue };
                let last = i + 1 == tiers.len();
                match (item.up_to, last) {
                    (Some(bound), false) if bound > previous => previous = bound,
                    (None, true) => {}
                    (_, true) => self.errors.push(PriceError::Shape {
                        message: format!("`{id}` is the last tier: it has no `up_to`"),
                        span,
                    }),
                    _ => self.errors.push(PriceError::Shape {
                        message: format!("`{id}` needs an `up_to` above the previous tier's"),
                        span,
                    }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{EMBEDDED_PRICES, GENERATED, Generated, ITEMS, PriceId, Prices};

    #[test]
    fn each_item_is_found_by_its_name_and_names_itself() {
        let prices = Prices::embedded().unwrap_or_else(|f| panic!("{f}"));
        for (name, _, _) in ITEMS {
            let id = PriceId::find(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!((id.name(), PriceId::named(name)), (*name, id));
            assert_eq!(prices.priced(id).map(|p| p.item.id.as_str()), Some(*name), "the embedded table has every item");
        }
        assert_eq!(PriceId::find("lambda.request"), None);
        assert_eq!(prices.item("lambda.request"), None);
    }

    #[test]
    fn the_build_time_table_equals_the_parsed_one() {
        let parsed = Prices::from_str(EMBEDDED_PRICES.0, EMBEDDED_PRICES.1).unwrap_or_else(|f| panic!("{f}"));
        let generated = GENERATED.as_ref().and_then(Generated::prices);
        assert_eq!(generated.as_ref(), Some(&parsed), "build.rs read data/prices-us-east-1.yaml differently");
        assert_eq!(Prices::embedded().ok(), Some(parsed));
    }
}
