//! Build step: the embedded price table (data/prices-us-east-1.yaml) as Rust
//! data, so that a run prices without parsing YAML, a fifth of a
//! one-proposal check (docs/performance.md). The library still reads the file
//! itself (`Prices::from_str`, with every check and span); a unit test holds
//! the two readings equal. A table this step cannot read becomes `None`, and
//! the library parses the text at run time and reports what is wrong.

#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

const TABLE: &str = "data/prices-us-east-1.yaml";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    region: String,
    currency: String,
    read: String,
    items: BTreeMap<String, Item>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    price: Option<String>,
    percent: Option<String>,
    quantity: Option<u64>,
    up_to: Option<u64>,
    unit: String,
    source: String,
    confidence: String,
}

fn main() {
    println!("cargo:rerun-if-changed={TABLE}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(TABLE).unwrap_or_default();
    let code = match serde_saphyr::from_str::<Table>(&text) {
        Ok(table) => rust(&table),
        Err(_) => "None".to_string(),
    };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("prices.rs");
    if let Err(error) = std::fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {error}", out.display());
        std::process::exit(1);
    }
}

/// The table as an expression of type `Option<Generated>` (src/cost/prices/mod.rs).
fn rust(t: &Table) -> String {
    let mut code = format!(
        "Some(Generated {{ region: {:?}, currency: {:?}, read: {:?}, items: &[\n",
        t.region, t.currency, t.read
    );
    for (id, i) in &t.items {
        let _ = writeln!(
            code,
            "  Row {{ id: {id:?}, price: {:?}, percent: {:?}, quantity: {:?}, up_to: {:?}, unit: {:?}, source: {:?}, confidence: {:?} }},",
            i.price.as_deref(),
            i.percent.as_deref(),
            i.quantity,
            i.up_to,
            i.unit,
            i.source,
            i.confidence
        );
    }
    code.push_str("] })\n");
    code
}
