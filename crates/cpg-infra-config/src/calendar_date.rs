//! [`CalendarDate`]: a day of the proleptic Gregorian calendar, written `YYYY-MM-DD`.
//!
//! Used where a value must be fixed by configuration instead of the wall clock (programs
//! never depend on the day they are generated), e.g. the day machine-account credentials
//! were last rotated, from which their absolute end date follows.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::names::shown;

/// A day, `YYYY-MM-DD`, in the years 2000 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Years outside this range are certainly typing mistakes for the dates configured here.
const YEARS: std::ops::RangeInclusive<u16> = 2000..=9999;

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(i64::from(year)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl CalendarDate {
    /// Parses `YYYY-MM-DD`, or says what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        let fail = |why: &str| {
            format!(
                "must be a date `YYYY-MM-DD` (e.g. `2026-12-01`){why}, got `{}`",
                shown(s)
            )
        };
        let b = s.as_bytes();
        if !s.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(fail(""));
        }
        let digits = |part: &str| part.bytes().all(|c| c.is_ascii_digit());
        if !digits(&s[..4]) || !digits(&s[5..7]) || !digits(&s[8..]) {
            return Err(fail(""));
        }
        let year: u16 = s[..4].parse().map_err(|_| fail(""))?;
        let month: u8 = s[5..7].parse().map_err(|_| fail(""))?;
        let day: u8 = s[8..].parse().map_err(|_| fail(""))?;
        if !YEARS.contains(&year) {
            return Err(fail(" in the years 2000 to 9999"));
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(fail(", a day that exists"));
        }
        Ok(Self { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days_since_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`), when its year
    /// is in range.
    fn from_days_since_epoch(days: i64) -> Option<Self> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let year = u16::try_from(year).ok().filter(|y| YEARS.contains(y))?;
        Some(Self {
            year,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    /// This day plus `days`, or `None` past the year 9999.
    pub fn plus_days(self, days: u32) -> Option<Self> {
        Self::from_days_since_epoch(self.days_since_epoch() + i64::from(days))
    }

    /// Midnight UTC of this day in RFC 3339 (`2027-12-01T00:00:00Z`), the form cloud APIs
    /// take for timestamps.
    pub fn rfc3339_midnight_utc(self) -> String {
        format!("{self}T00:00:00Z")
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for CalendarDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse(s)
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for CalendarDate {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("CalendarDate")
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            "description": "a date, YYYY-MM-DD",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::CalendarDate;

    fn date(s: &str) -> CalendarDate {
        CalendarDate::parse(s).expect(s)
    }

    #[test]
    fn days_that_exist_parse_and_print_back() {
        for good in ["2026-12-01", "2024-02-29", "2000-02-29", "9999-12-31"] {
            assert_eq!(date(good).to_string(), good);
        }
        for bad in [
            "2026-02-29",
            "2100-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "1999-12-31",
            "2026-1-01",
            "2026-01-01T00:00:00Z",
            "",
        ] {
            assert!(CalendarDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn adding_days_crosses_months_years_and_leap_days() {
        assert_eq!(date("2026-12-01").plus_days(365), Some(date("2027-12-01")));
        assert_eq!(date("2027-12-01").plus_days(365), Some(date("2028-11-30")));
        assert_eq!(date("2024-02-28").plus_days(1), Some(date("2024-02-29")));
        assert_eq!(date("2023-02-28").plus_days(1), Some(date("2023-03-01")));
        assert_eq!(date("2026-01-31").plus_days(730), Some(date("2028-01-31")));
        assert_eq!(date("2000-01-01").plus_days(0), Some(date("2000-01-01")));
        assert_eq!(date("9999-12-31").plus_days(1), None);
        assert_eq!(
            date("2026-12-01").rfc3339_midnight_utc(),
            "2026-12-01T00:00:00Z"
        );
    }

    #[test]
    fn every_day_of_four_centuries_round_trips_through_the_day_count() {
        let mut day = date("2000-01-01");
        let start = day.days_since_epoch();
        for offset in 1..=146_097 {
            let next = day.plus_days(1).expect("in range");
            assert!(next > day, "{next} after {day}");
            assert_eq!(next.days_since_epoch(), start + offset);
            day = next;
        }
        assert_eq!(day, date("2400-01-01"));
    }
}
