//! Turning the messages of the YAML, TOML and JSON parsers (and of serde) into text about
//! the user's file: no Rust type names (`f64`, `u32`), no library advice
//! (`from_str_multiple`, "weak recursion types"), no debug dumps (`Nodes { nodes: .. }`),
//! and a hint of what to do.

use crate::error::did_you_mean;

/// Plain words for the `expected ...` part of serde's messages.
fn expected(what: &str) -> String {
    let what = what.trim();
    let plain = match what {
        "f64" | "f32" | "a float" => "a number",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "an integer" => "a whole number",
        "a sequence" => "a list",
        "a borrowed string" | "a string" => "a string",
        "a boolean" => "true or false",
        "a map" | "a table" | "struct InfrastructureConfig" => "a table",
        "mapping start" => "a mapping (`key: value` lines)",
        "sequence start" => "a list",
        "string scalar" | "a string scalar" => "a plain string",
        "scalar" => "a single value",
        other => return other.trim_start_matches("struct ").replace('`', ""),
    };
    plain.to_string()
}

/// `integer `5`` -> `the integer 5`, `string "a"` -> `the string "a"`.
fn found(what: &str) -> String {
    let what = what.trim();
    for kind in [
        "integer",
        "string",
        "floating point",
        "boolean",
        "character",
    ] {
        if let Some(rest) = what.strip_prefix(kind) {
            let value = rest.trim().trim_matches('`');
            let kind = if kind == "floating point" {
                "number"
            } else {
                kind
            };
            return format!("the {kind} {value}");
        }
    }
    match what {
        "sequence" => "a list".to_string(),
        "map" => "a table".to_string(),
        "unit value" => "nothing".to_string(),
        other => other.to_string(),
    }
}

/// Rewrites one parser message (without its position) for people.
pub(crate) fn humanize(message: &str) -> String {
    let message = message.trim();
    for kind in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(kind)
            && let Some((got, want)) = rest.split_once(", expected ")
        {
            return format!("must be {}, got {}", expected(want), found(got));
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return format!("missing key `{key}`: add it to this table");
    }
    if message.starts_with("unknown field `") {
        return unknown_key(message);
    }
    if message.starts_with("multiple YAML documents") {
        return "holds more than one YAML document (a `---` line starts another); a stack file is one document: remove the extra ones".to_string();
    }
    if message.contains("weak recursion types") {
        return "an alias refers to the node that contains it (a recursive value); settings cannot be recursive: write the value out".to_string();
    }
    if message.starts_with("budget breached")
        || message.contains("alias replay")
        || message.contains("Alias replay")
        || message.contains("alias expansion")
    {
        return "is too large, or its aliases expand to too much (a safety limit of the YAML reader); a stack file holds a few dozen settings: remove the repeated aliases or the extra content".to_string();
    }
    if message.starts_with("recursion limit exceeded") {
        return "is nested too deeply (a safety limit of the parser); settings are at most a few levels deep: check the brackets".to_string();
    }
    if message.starts_with("EOF while parsing") {
        return "ends before the value is complete (a missing closing bracket, brace or quote?)"
            .to_string();
    }
    if message == "trailing characters" {
        return "has more text after the value; remove it".to_string();
    }
    if message == "expected value" {
        return "expected a value here (JSON: a string, number, true/false, list or object)"
            .to_string();
    }
    if let Some(what) = message.strip_prefix("expected ")
        && matches!(
            what,
            "mapping start" | "sequence start" | "string scalar" | "scalar"
        )
    {
        return format!("expected {} here", expected(what));
    }
    message.to_string()
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as "unknown key `x`; did you
/// mean `a`? (valid keys: a, b)".
fn unknown_key(message: &str) -> String {
    let rest = message.trim_start_matches("unknown field `");
    let Some((field, tail)) = rest.split_once('`') else {
        return message.to_string();
    };
    let list = tail
        .split_once("expected one of ")
        .or_else(|| tail.split_once("expected "))
        .map_or("", |(_, l)| l);
    let list = list.replace(" or ", ",");
    let candidates: Vec<&str> = list
        .split(',')
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty())
        .collect();
    let hint = did_you_mean(field, candidates.iter().copied(), |c| format!("`{c}`"));
    if candidates.is_empty() {
        return format!("unknown key `{field}`; remove it");
    }
    format!(
        "unknown key `{field}`{hint} (valid keys here: {})",
        candidates.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::humanize;

    #[test]
    fn parser_internals_are_rewritten() {
        for (raw, want) in [
            (
                "invalid type: string \"a\", expected f64",
                "must be a number, got the string \"a\"",
            ),
            (
                "invalid type: integer `5`, expected a string",
                "must be a string, got the integer 5",
            ),
            (
                "invalid type: string \"high\", expected a sequence",
                "must be a list, got the string \"high\"",
            ),
            (
                "missing field `reference_dataset`",
                "missing key `reference_dataset`: add it to this table",
            ),
            (
                "unknown field `domian`, expected one of `domain`, `budget_currency`",
                "unknown key `domian`; did you mean `domain`? (valid keys here: domain, budget_currency)",
            ),
            (
                "expected mapping start",
                "expected a mapping (`key: value` lines) here",
            ),
            ("expected string scalar", "expected a plain string here"),
            (
                "EOF while parsing a list",
                "ends before the value is complete (a missing closing bracket, brace or quote?)",
            ),
        ] {
            assert_eq!(humanize(raw), want);
        }
        for leak in [
            "multiple YAML documents detected; use from_str_multiple or from_str_multiple_with_options",
            "recursive references require weak recursion types",
            "budget breached: Nodes { nodes: 250001 }",
            "recursion limit exceeded",
        ] {
            let text = humanize(leak);
            assert!(
                !text.contains("from_str")
                    && !text.contains("weak")
                    && !text.contains('{')
                    && text != leak,
                "{text}"
            );
        }
    }
}
