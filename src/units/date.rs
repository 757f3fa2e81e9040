//! Calendar dates (`2027-03-31`), for waiver expiry and `--today`.

use std::fmt;
use std::str::FromStr;

use super::QuantityError;

/// A calendar date (`2027-03-31`), for waiver expiry.
///
/// ```
/// use archpolicy::Date;
/// let expires: Date = "2027-03-31".parse()?;
/// assert_eq!((expires.year(), expires.month(), expires.day()), (2027, 3, 31));
/// assert!(expires > Date::new(2026, 12, 31)?);
/// assert_eq!(expires.to_string(), "2027-03-31");
/// # Ok::<(), archpolicy::QuantityError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date did not parse (the public face is [`super::QuantityError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not written as `YYYY-MM-DD`.
    #[error("expected a date written as `YYYY-MM-DD`")]
    Format,
    /// A month or day the calendar does not have.
    #[error("there is no such day")]
    NoSuchDay,
}

/// What to write instead of a date that did not parse: the loader's help
/// and [`super::QuantityError::help`] say the same.
pub const DATE_HELP: &str = "write the date as `YYYY-MM-DD`, e.g. `2027-03-31`";

impl Date {
    /// The day `year-month-day`, or an error when the calendar has no such
    /// day (`2027-02-29`).
    ///
    /// ```
    /// use archpolicy::Date;
    /// assert_eq!(Date::new(2028, 2, 29)?.to_string(), "2028-02-29");
    /// assert_eq!(Date::new(2027, 2, 29).unwrap_err().to_string(), "there is no such day");
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, QuantityError> {
        Self::checked(year, month, day).map_err(QuantityError::date)
    }

    fn checked(year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date { year, month, day })
    }
    /// A date written in code (a table of AWS's dates); the tables' tests
    /// check each with [`Date::new`]. Unchecked, so not for embedders.
    pub(crate) const fn ymd(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_days_since_epoch`]).
    ///
    /// ```
    /// use archpolicy::Date;
    /// assert_eq!(Date::new(1970, 1, 1)?.days_since_epoch(), 0);
    /// let (from, to) = (Date::new(2026, 12, 7)?, Date::new(2027, 3, 7)?);
    /// assert_eq!(to.days_since_epoch() - from.days_since_epoch(), 90);
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Today in UTC, from the system clock. `wasm32-unknown-unknown` has
    /// no clock and its standard library panics when asked: there, give the
    /// day (`RunOptions::today`, `Proposal::facts_on`) instead (docs/playground.md).
    ///
    /// ```
    /// use archpolicy::Date;
    /// let today = Date::today();
    /// assert!(today >= Date::new(2026, 1, 1)?);
    /// assert_eq!(Date::from_days_since_epoch(today.days_since_epoch()), today);
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    ///
    /// ```
    /// use archpolicy::Date;
    /// // A waiver granted for 90 days from 2026-12-07.
    /// let expires = Date::from_days_since_epoch(Date::new(2026, 12, 7)?.days_since_epoch() + 90);
    /// assert_eq!(expires.to_string(), "2027-03-07");
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, 9999) as u16;
        Date { year, month, day }
    }

    /// The year (0 to 9999).
    ///
    /// ```
    /// let date: archpolicy::Date = "2027-03-31".parse()?;
    /// assert_eq!(date.year(), 2027);
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn year(self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    ///
    /// ```
    /// let date: archpolicy::Date = "2027-03-31".parse()?;
    /// assert_eq!(date.month(), 3);
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month, from 1.
    ///
    /// ```
    /// let date: archpolicy::Date = "2027-03-31".parse()?;
    /// assert_eq!(date.day(), 31);
    /// # Ok::<(), archpolicy::QuantityError>(())
    /// ```
    pub fn day(self) -> u8 {
        self.day
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, QuantityError> {
        Date::parse_date(s).map_err(QuantityError::date)
    }
}

impl Date {
    pub(crate) fn parse_date(s: &str) -> Result<Self, DateError> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(DateError::Format);
        };
        let digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(DateError::Format);
        }
        let number = |p: &str| p.parse::<u16>().map_err(|_| DateError::Format);
        let (year, month, day) = (number(y)?, number(m)?, number(d)?);
        Date::checked(year, month as u8, day as u8)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "a date written as YYYY-MM-DD"
        })
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_round_trip() {
        for days in (-719_000..2_900_000).step_by(997).chain([0, 59, 60, 365, 10_956, 20_000]) {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(Date::ymd(2026, 11, 30).days_since_epoch() - Date::ymd(2026, 9, 1).days_since_epoch(), 90);
    }

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days_since_epoch(19_723).to_string(), "2024-01-01");
        assert_eq!(Date::from_days_since_epoch(20_784).to_string(), "2026-11-27");
        assert_eq!(Date::from_days_since_epoch(11_016).to_string(), "2000-02-29");
    }

    #[test]
    fn dates_validate_the_calendar() {
        assert_eq!("2027-03-31".parse::<Date>().unwrap().to_string(), "2027-03-31");
        assert_eq!("2028-02-29".parse::<Date>().unwrap().day(), 29);
        assert_eq!(Date::parse_date("2027-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse_date("2027-3-31"), Err(DateError::Format));
        assert_eq!(Date::parse_date("tomorrow"), Err(DateError::Format));
    }
}
