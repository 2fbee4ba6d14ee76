//! Loading never panics: mangled input, deep nesting and alias bombs are errors in plain words.

use cpg_infra_config::{parse_cpg_toml, parse_dataset_toml, parse_pulumi_config, parse_stack_file};

use super::support::{DATASET_BODY, PULUMI_CONFIG_JSON, STACK_YAML, Src, cpg_with, load};

/// A small deterministic fuzz: every prefix and some byte mutations of valid inputs must
/// give a value or an error, never a panic.
#[test]
fn never_panics_on_mangled_input() {
    let table = cpg_with(&format!("[datasets.alpha-study]\n{DATASET_BODY}"));
    let samples: [(Src, &str); 4] = [
        (Src::Stack, STACK_YAML),
        (Src::Env, PULUMI_CONFIG_JSON),
        (Src::DatasetToml, DATASET_BODY),
        (Src::Cpg, &table),
    ];
    let specials = [
        "\"",
        "'",
        "[",
        "{",
        "}",
        ":",
        "\n",
        "-",
        "é",
        "\u{0}",
        "0",
        "#",
        "*a",
        "&a ",
        "!!binary ",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(seed >> 33).unwrap_or(0)
    };
    for (src, text) in samples {
        let cuts: Vec<usize> = (0..=text.len())
            .step_by(7)
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for &cut in &cuts {
            let _ = load(src, &text[..cut]);
        }
        for _ in 0..300 {
            let mut s = text.to_string();
            let mut at = next() % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            s.insert_str(at, specials[next() % specials.len()]);
            let _ = load(src, &s);
        }
    }
}

#[test]
fn deep_nesting_is_rejected_not_fatal() {
    for depth in [200, 5_000, 50_000] {
        let open = "[".repeat(depth);
        let close = "]".repeat(depth);
        let _ = parse_dataset_toml(
            &format!("depends_on = {open}{close}\n"),
            "d.toml",
            "alpha-study",
        );
        let _ = parse_cpg_toml(&format!("x = {open}{close}\n"), "cpg.toml");
        let _ = parse_stack_file(
            &format!("config:\n  datasets:depends_on: {open}{close}\n"),
            "Pulumi.alpha-study.yaml",
            "alpha-study",
        );
        let _ = parse_stack_file(
            &format!("config:\n  datasets:depends_on: '{open}{close}'\n"),
            "Pulumi.alpha-study.yaml",
            "alpha-study",
        );
        let _ = parse_pulumi_config(
            &format!("{{\"datasets:depends_on\": {open}{close}}}"),
            "alpha-study",
        );
        let inline = "{a = ".repeat(depth) + &"}".repeat(depth);
        let _ = parse_dataset_toml(&format!("components = {inline}\n"), "d.toml", "alpha-study");
    }
}
#[test]
fn alias_bombs_are_refused_in_plain_words() {
    let mut text = "config:\n  datasets:depends_on: &a0 [x]\n".to_string();
    for i in 1..25 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!(
            "  datasets:k{i}: &a{i} [{}]\n",
            vec![prev; 10].join(", ")
        ));
    }
    let err = parse_stack_file(&text, "Pulumi.alpha-study.yaml", "alpha-study")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is too large, or its aliases expand to too much"),
        "{err}"
    );
    assert!(!err.contains("budget") && !err.contains('{'), "{err}");
}
