//! Wording of the command line's messages: lists capped with a count, and long
//! command-line arguments shortened where an error echoes them.

/// How many names a list in a message shows before "and N more".
const LISTED: usize = 20;
/// Arguments longer than this (in characters) are shortened in messages.
const LONG_ARG: usize = 80;

/// `a, b, c` for up to twenty names, then `... and N more`.
pub fn list(names: &[String]) -> String {
    let mut out = names
        .iter()
        .take(LISTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > LISTED {
        out.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    out
}

/// A long value as its first characters and its length, e.g. `aaaa… (5000 characters)`.
fn short(value: &str) -> String {
    let head: String = value.chars().take(LONG_ARG / 2).collect();
    format!("{head}… ({} characters)", value.chars().count())
}

/// `message` with every occurrence of a long command-line argument (or of the value
/// after `=` in `--flag=value`) replaced by its shortened form.
pub fn shorten_args(message: &str, args: &[std::ffi::OsString]) -> String {
    let mut longs: Vec<String> = Vec::new();
    for arg in args.iter().skip(1) {
        let arg = arg.to_string_lossy();
        for part in [Some(arg.as_ref()), arg.split_once('=').map(|(_, v)| v)]
            .into_iter()
            .flatten()
        {
            if part.chars().count() > LONG_ARG && !longs.iter().any(|l| l == part) {
                longs.push(part.to_owned());
            }
        }
    }
    // Longest first, so that a value inside a longer `--flag=value` is not cut twice.
    longs.sort_by_key(|l| std::cmp::Reverse(l.len()));
    let mut out = message.to_owned();
    for long in &longs {
        if out.contains(long.as_str()) {
            out = out.replace(long.as_str(), &short(long));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_capped_with_a_count() {
        let names: Vec<String> = (0..25).map(|i| format!("ds-{i}")).collect();
        let text = list(&names);
        assert!(text.starts_with("ds-0, ds-1,"), "{text}");
        assert!(text.ends_with("ds-19 and 5 more"), "{text}");
        assert_eq!(list(&names[..2]), "ds-0, ds-1");
    }

    #[test]
    fn long_arguments_are_not_echoed_whole() {
        let long = "x".repeat(5000);
        let args: Vec<std::ffi::OsString> = [
            "cpg-infra-driver",
            "--cloud",
            &long,
            &format!("--dataset={long}y"),
        ]
        .iter()
        .map(Into::into)
        .collect();
        let message = format!("error: invalid value '{long}' and '{long}y'");
        let text = shorten_args(&message, &args);
        assert!(text.len() < 300, "{text}");
        assert!(text.contains("(5000 characters)"), "{text}");
        assert!(text.contains("(5001 characters)"), "{text}");
        assert_eq!(shorten_args("error: short", &args), "error: short");
    }
}
