//! GCS's rule against names that look like Google's: a bucket name cannot begin with
//! `goog`, and cannot contain `google` or a close misspelling of it such as `g00gle`
//! (<https://cloud.google.com/storage/docs/buckets#naming>, "Bucket naming
//! requirements"). GCS does not list the misspellings it refuses, so the name is
//! compared after undoing the usual look-alikes: digits that stand for letters
//! (`0` o, `1` l, `3` e, `6` and `9` g) and the separators `-`, `_` and `.`
//! between the letters.

/// Why GCS refuses the bucket name `name` for looking like Google's, if it does.
pub fn google_problem(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("goog") {
        return Some(format!(
            "the bucket name `{name}` begins with `goog`, which GCS refuses (bucket naming requirements)"
        ));
    }
    let folded: String = lower
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            '3' => 'e',
            '6' | '9' => 'g',
            other => other,
        })
        .collect();
    folded.contains("google").then(|| {
            format!(
                "the bucket name `{name}` contains `google` or a look-alike of it, which GCS refuses (bucket naming requirements): rename the bucket (or the dataset / dataset_storage_prefix it is made of)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::google_problem;

    #[test]
    fn google_and_its_look_alikes_are_refused() {
        for bad in [
            "goog-data",
            "cpg-google-main",
            "cpg-g00gle-main",
            "cpg-go-ogle-main",
            "cpg-googl3-main",
            "cpg-9oogle-main",
            "cpg-GOOGLE-main",
        ] {
            assert!(google_problem(bad).is_some(), "{bad}");
        }
        for good in [
            "cpg-tob-wgs-main",
            "cpg-go-main",
            "cpg-ogle-main",
            "egi-beta-cohort-partner-upload",
        ] {
            assert_eq!(google_problem(good), None, "{good}");
        }
    }
}
