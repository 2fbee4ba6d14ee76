//! [`MonthStart`]: the first day of a month, the only start date Azure budgets accept.
//!
//! Written `YYYY-MM-01`. Azure (Cost Management budgets, `timePeriod.startDate`) also
//! rejects starts before June 2017; that is checked here too. Whether a start lies in the
//! window Azure accepts at creation (not more than twelve months ahead, a past start
//! within the current time grain) depends on the day the budget is created, so it is
//! not checked: programs never depend on the wall clock.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::names::shown;

/// The first day of a month, on or after 2017-06-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthStart {
    year: u16,
    month: u8,
}

/// The earliest start Azure budgets accept (year, month).
const EARLIEST: (u16, u8) = (2017, 6);

impl MonthStart {
    /// Parses `YYYY-MM-01`, or says what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        let fail = || {
            format!(
                "must be the first day of a month, `YYYY-MM-01` (e.g. `2026-07-01`), got `{}`",
                shown(s)
            )
        };
        let b = s.as_bytes();
        if !s.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' || &s[8..] != "01" {
            return Err(fail());
        }
        let digits = |part: &str| part.bytes().all(|c| c.is_ascii_digit());
        if !digits(&s[..4]) || !digits(&s[5..7]) {
            return Err(fail());
        }
        let year: u16 = s[..4].parse().map_err(|_| fail())?;
        let month: u8 = s[5..7].parse().map_err(|_| fail())?;
        if !(1..=12).contains(&month) {
            return Err(fail());
        }
        if (year, month) < EARLIEST {
            return Err(format!(
                "Azure budgets cannot start before 2017-06-01, got `{}`",
                shown(s)
            ));
        }
        Ok(Self { year, month })
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }
}

impl fmt::Display for MonthStart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-01", self.year, self.month)
    }
}

impl std::str::FromStr for MonthStart {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

impl Serialize for MonthStart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MonthStart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for MonthStart {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("MonthStart")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-01$",
            "description": "the first day of a month, YYYY-MM-01, on or after 2017-06-01",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::MonthStart;

    #[test]
    fn first_days_of_months_from_june_2017() {
        let start = MonthStart::parse("2026-07-01").expect("valid");
        assert_eq!((start.year(), start.month()), (2026, 7));
        assert_eq!(start.to_string(), "2026-07-01");
        assert!(MonthStart::parse("2017-06-01").is_ok());
        for bad in [
            "2024-13-01",
            "2024-00-01",
            "2024-01-02",
            "2024-1-01",
            "é024-01-01",
            "2024-01-01T00:00:00Z",
            "+024-01-01",
            "",
        ] {
            assert!(MonthStart::parse(bad).is_err(), "{bad}");
        }
        let early = MonthStart::parse("2017-05-01").expect_err("before June 2017");
        assert!(early.contains("2017-06-01"), "{early}");
    }
}
