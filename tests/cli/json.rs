//! `--json` everywhere: every object either command prints, for every operation, matches the documented
//! schema in `docs/json-schema.json`.

use crate::common::Tree;

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema itself is valid")
}

/// Checks every line of `out` against the schema; returns the `type` of each line.
fn check(validator: &jsonschema::Validator, out: &[u8]) -> Vec<String> {
    let text = String::from_utf8(out.to_vec()).unwrap();
    assert!(!text.is_empty(), "no JSON printed");
    text.lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{line} does not match the schema: {errors:?}");
            value["type"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn every_operation_prints_schema_valid_json() {
    let v = validator();
    let tree = Tree::new();
    tree.file("f", "x").dir("d").dir("d2").file("src/a.txt", "a").file("src/b.txt", "b").dir("dst");
    let runs: Vec<(Vec<&str>, bool, &[&str])> = vec![
        (vec!["--json", "l", "f"], true, &["created", "summary"]),
        (vec!["--json", "/D", "dl", "d"], true, &["created", "summary"]),
        (vec!["--json", "/H", "h", "f"], true, &["created", "summary"]),
        (vec!["--json", "/J", "j", "d"], true, &["created", "summary"]),
        (vec!["--json", "--dry-run", "l2", "f"], true, &["created", "summary"]),
        (vec!["--json", "l", "f"], true, &["error", "summary"]),
        (vec!["--json", "sub/x", "notes"], true, &["error", "summary"]),
        (vec!["--json", "/D", "loop", "."], true, &["warning", "created", "summary"]),
        (vec!["--json", "/L", "/S"], true, &[]),
        (vec!["--json", "--siblings", "f"], true, &["sibling", "summary"]),
        (vec!["--json", "d", "soft"], false, &["created", "summary"]),
        (vec!["--json", "d2", "soft"], false, &["updated", "summary"]),
        (vec!["--json", "soft"], false, &["query", "summary"]),
        (vec!["--json", "/D", "soft"], false, &["deleted", "summary"]),
        (vec!["--json", "/D", "h"], false, &["deleted", "summary"]),
        (vec!["--json", "/D", "f"], false, &["error", "summary"]),
        (vec!["--json", "src/*.txt", "dst"], false, &["created", "created", "summary"]),
        (vec!["--json", "src/*.zzz", "dst"], false, &["error", "summary"]),
    ];
    for (args, cmd_mklink, expected) in runs {
        let out = if cmd_mklink { tree.mklink(&args).output() } else { tree.mklnk(&args).output() }.unwrap();
        let types = check(&v, &out.stdout);
        if !expected.is_empty() {
            assert_eq!(types, expected, "{args:?}");
        }
        assert!(out.stderr.is_empty(), "--json keeps stderr quiet: {args:?}");
    }
}
