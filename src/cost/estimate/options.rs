//! How to price: the price table (the embedded one, or a file of one's
//! own read as `--pricing` reads it) and whether free tiers count.

use crate::cost::err::PriceError;
use crate::cost::prices::Prices;
use crate::source::Failure;

/// How to price: the price table (the embedded us-east-1 one, data/prices-us-east-1.yaml)
/// and whether AWS's free tiers are subtracted.
///
/// ```
/// let mut options = archpolicy::CostOptions::embedded();
/// options.free_tier = true;
/// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
/// let with_free_tier = archpolicy::price(&proposal, &options);
/// assert_eq!(with_free_tier.to_json()["free_tier"], true);
/// assert!(with_free_tier.monthly() <= archpolicy::price(&proposal, &archpolicy::CostOptions::embedded()).monthly());
/// # Ok::<(), archpolicy::Failure<archpolicy::LoadError>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostOptions {
    /// The price table.
    pub(crate) prices: Prices,
    /// Subtract AWS's free tiers (off by default: an organization's bill rarely sees them).
    pub free_tier: bool,
}

impl CostOptions {
    /// The embedded us-east-1 table, free tiers off.
    ///
    /// ```
    /// let options = archpolicy::CostOptions::embedded();
    /// assert!(!options.free_tier);
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// let cost = serde_json::to_value(archpolicy::price(&proposal, &options))?;
    /// assert_eq!(cost["prices"], "data/prices-us-east-1.yaml", "the us-east-1 table built in");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn embedded() -> CostOptions {
        Self::embedded_ref().clone()
    }

    /// The same, shared: what `Proposal::facts` prices with.
    ///
    /// ```
    /// use archpolicy::{CostOptions, RunOptions};
    /// let run = RunOptions { cost: CostOptions::embedded_ref(), today: "2026-12-07".parse()? };
    /// assert_eq!(run.cost, &CostOptions::embedded());
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn embedded_ref() -> &'static CostOptions {
        static EMBEDDED: std::sync::OnceLock<CostOptions> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(|| CostOptions { prices: Prices::embedded_or_empty().clone(), free_tier: false })
    }

    /// A price table of your own instead of the embedded one, free tiers
    /// off: the file `policy cost --pricing` reads, in the format of
    /// data/prices-us-east-1.yaml, read under the same budgets (through the
    /// gate `policy` reads every input with: a regular file of at most
    /// 1 MiB, never a pipe or a device). Every error of the file at once,
    /// each labelled in it (docs/cost.md).
    ///
    /// ```
    /// use archpolicy::CostOptions;
    /// let options = CostOptions::from_price_file("data/prices-us-east-1.yaml")?;
    /// let proposal = archpolicy::load_file("examples/fargate_alb.arch.yaml")?;
    /// // The embedded table is this file.
    /// assert_eq!(archpolicy::price(&proposal, &options).monthly(), archpolicy::price(&proposal, &CostOptions::embedded()).monthly());
    /// let missing = CostOptions::from_price_file("no/such/prices.yaml").unwrap_err();
    /// assert!(missing.to_string().starts_with("cannot read `no/such/prices.yaml`"), "{missing}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_price_file(path: impl AsRef<std::path::Path>) -> Result<CostOptions, Failure<PriceError>> {
        Prices::from_path(path.as_ref()).map(|prices| CostOptions { prices, free_tier: false })
    }

    /// [`CostOptions::from_price_file`] of text; `name` is shown in
    /// diagnostics.
    ///
    /// ```
    /// use archpolicy::{CostOptions, PriceError};
    /// let text = std::fs::read_to_string("data/prices-us-east-1.yaml")?;
    /// // Lambda's requests at twice the price.
    /// let dearer = CostOptions::from_price_str("dear.yaml", &text.replace("price: $0.20,", "price: $0.40,"))?;
    /// let proposal = archpolicy::load_file("examples/lambda_api_gateway.arch.yaml")?;
    /// assert!(archpolicy::price(&proposal, &dearer).monthly() > archpolicy::price(&proposal, &CostOptions::embedded()).monthly());
    /// // A table in another currency is refused, at its place.
    /// let failure = CostOptions::from_price_str("eur.yaml", &text.replace("currency: USD", "currency: EUR")).unwrap_err();
    /// assert!(matches!(failure.errors()[0], PriceError::Shape { .. }), "{failure}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_price_str(name: &str, text: &str) -> Result<CostOptions, Failure<PriceError>> {
        Prices::from_str(name, text).map(|prices| CostOptions { prices, free_tier: false })
    }
}

internal! {
    impl CostOptions {
        pub fn new(prices: Prices, free_tier: bool) -> CostOptions {
            CostOptions { prices, free_tier }
        }

        pub fn prices(&self) -> &Prices {
            &self.prices
        }
    }
}
