//! Readers of a dataset entry's per-cloud maps: `region` and `budgets` (opt-in storage
//! features), each cloud key a valid cloud name and every problem of the value at once.

use std::collections::BTreeMap;
use std::num::NonZeroU64;

use super::{Ctx, got, name_err};
use crate::budgets::{Budget, Budgets};
use crate::error::{ConfigError, did_you_mean};
use crate::names::{CloudName, Region, shown};
use crate::raw::{RawEntry, RawValue};
use crate::values::Currency;

// ---- opt-in storage features: readers ----
impl Ctx<'_> {
    /// A map from cloud names to values of one shape (`region`, `budgets`): the value as
    /// JSON text (or a native map), each cloud key a valid cloud name, each value read by
    /// `item` (which records its own problems and returns `None` on one); every problem of
    /// the value at once. `what` completes "must map each cloud to ...".
    pub(super) fn per_cloud<T>(
        &self,
        e: &RawEntry,
        field: &str,
        example: &str,
        what: &str,
        mut item: impl FnMut(&str, &RawValue, &mut Vec<ConfigError>) -> Option<T>,
    ) -> Result<BTreeMap<CloudName, T>, ConfigError> {
        let entries = self.structured_map(e, field, example, || {
            format!("map each cloud to {what}, e.g. '{example}'")
        })?;
        let mut problems = Vec::new();
        let mut out = BTreeMap::new();
        for (cloud, value) in entries.iter() {
            let path = format!("{field}.{cloud}");
            match CloudName::parse(cloud) {
                Ok(cloud) => {
                    if let Some(parsed) = item(&path, value, &mut problems) {
                        out.insert(cloud, parsed);
                    }
                }
                Err(err) => {
                    problems.push(self.err(e.pos, &path, format!("cloud key: {}", name_err(&err))))
                }
            }
        }
        ConfigError::collect(problems)?;
        Ok(out)
    }

    /// `region`: cloud -> region.
    pub(crate) fn regions(
        &self,
        e: &RawEntry,
        field: &str,
    ) -> Result<BTreeMap<CloudName, Region>, ConfigError> {
        let example = r#"{"gcp": "australia-southeast2"}"#;
        self.per_cloud(e, field, example, "a region", |path, item, problems| {
            let parsed = match item {
                RawValue::Str(s) => Region::parse(s).map_err(|err| name_err(&err)),
                other => Err(format!("must be a region (a string), got {}", got(other))),
            };
            parsed
                .map_err(|message| problems.push(self.err(e.pos, path, message)))
                .ok()
        })
    }

    /// `budgets` (see [`Budget`]): cloud -> `{"monthly_budget": ..., "shared_total_budget":
    /// ..., "currency": ...}`; every problem of the value at once.
    pub(crate) fn budgets(&self, e: &RawEntry, field: &str) -> Result<Budgets, ConfigError> {
        let example = r#"{"gcp": {"monthly_budget": 500}, "azure": {"monthly_budget": 300, "currency": "AUD"}}"#;
        self.per_cloud(e, field, example, "its budgets", |path, item, problems| {
            self.budget(e, path, item, problems)
        })
    }

    /// One cloud's entry of `budgets` at `path`; `None`, with the problems recorded, when it
    /// has any.
    pub(super) fn budget(
        &self,
        e: &RawEntry,
        path: &str,
        item: &RawValue,
        problems: &mut Vec<ConfigError>,
    ) -> Option<Budget> {
        let settings = self.object_with(e, path, item, "monthly_budget", problems)?;
        let before = problems.len();
        let (mut monthly, mut shared, mut currency) = (None, None, None);
        for (key, v) in settings {
            let key_path = format!("{path}.{key}");
            match key.as_str() {
                "monthly_budget" => monthly = self.amount(e, &key_path, v, problems),
                "shared_total_budget" => shared = self.amount(e, &key_path, v, problems),
                "currency" => match v {
                    RawValue::Str(s) => match Currency::parse(s) {
                        Ok(c) => currency = Some(c),
                        Err(err) => problems.push(self.err(e.pos, &key_path, err.to_string())),
                    },
                    other => problems.push(self.err(
                        e.pos,
                        &key_path,
                        format!(
                            "must be a currency code such as \"AUD\", got {}",
                            got(other)
                        ),
                    )),
                },
                other => {
                    let hint = did_you_mean(
                        other,
                        ["monthly_budget", "shared_total_budget", "currency"],
                        |c| format!("`{c}`"),
                    );
                    problems.push(self.err(
                        e.pos,
                        &key_path,
                        format!("unknown key `{}`{hint}", shown(other)),
                    ));
                }
            }
        }
        if problems.len() != before {
            return None;
        }
        let Some(monthly_budget) = monthly else {
            problems.push(self.err(
                e.pos,
                &format!("{path}.monthly_budget"),
                "is missing; give the monthly budget in whole currency units (> 0)",
            ));
            return None;
        };
        Some(Budget {
            monthly_budget,
            shared_total_budget: shared,
            currency,
        })
    }

    /// A whole amount of currency units > 0 (`None`, with the problem recorded, otherwise).
    pub(super) fn amount(
        &self,
        e: &RawEntry,
        path: &str,
        value: &RawValue,
        problems: &mut Vec<ConfigError>,
    ) -> Option<NonZeroU64> {
        let amount = match value {
            RawValue::Int(i) => u64::try_from(*i).ok().and_then(NonZeroU64::new),
            _ => None,
        };
        if amount.is_none() {
            problems.push(self.err(
                e.pos,
                path,
                format!(
                    "must be a whole number of currency units > 0 (at most {}), got {}",
                    u64::MAX,
                    got(value)
                ),
            ));
        }
        amount
    }
}
