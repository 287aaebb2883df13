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
        (vec!["--json", "src/*.txt", "new"], false, &["error", "summary"]),
        (vec!["--json", "src/*.txt", "src/*.bak"], false, &["created", "created", "summary"]),
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

#[test]
fn names_that_are_not_utf8_carry_their_bytes_and_match_the_schema() {
    let v = validator();
    let tree = Tree::new();
    let file = crate::common::non_utf8("f");
    std::fs::write(tree.path(&file), "x").unwrap();
    std::fs::hard_link(tree.path(&file), tree.path(crate::common::non_utf8("h"))).unwrap();
    let link = crate::common::non_utf8("l");
    let (f, l) = (file.as_os_str(), link.as_os_str());
    let json = std::ffi::OsStr::new("--json");
    let runs: Vec<(Vec<&std::ffi::OsStr>, bool, &str)> = vec![
        (vec![json, l, f], true, "link"),
        (vec![json, "/L".as_ref()], true, "path"),
        (vec![json, "--siblings".as_ref(), f], true, "path"),
        (vec![json, l], false, "target"),
        (vec![json, "/D".as_ref(), l], false, "link"),
        (vec![json, "/D".as_ref(), f], false, "link"),
    ];
    for (args, cmd_mklink, field) in runs {
        let out = if cmd_mklink { tree.mklink(&args).output() } else { tree.mklnk(&args).output() }.unwrap();
        check(&v, &out.stdout);
        let first: serde_json::Value =
            serde_json::from_str(String::from_utf8(out.stdout).unwrap().lines().next().unwrap()).unwrap();
        let bytes: Vec<u8> = first[format!("{field}_bytes")]
            .as_array()
            .unwrap_or_else(|| panic!("{args:?}: no {field}_bytes in {first}"))
            .iter()
            .map(|b| u8::try_from(b.as_u64().unwrap()).unwrap())
            .collect();
        assert!(bytes.ends_with(&[0xFF, 0xFE, b'x']), "{args:?}: {bytes:?}");
        assert!(first[field].as_str().unwrap().starts_with("$'"), "{first}");
    }
}

#[test]
fn a_missing_link_and_a_pattern_that_matches_nothing_have_kinds_of_their_own() {
    // Issue 18: one kind ("target not found") used to stand for three situations.
    let tree = Tree::new();
    tree.dir("src").dir("dst");
    let kind = |args: &[&str]| {
        let out = tree.mklnk(args).assert().code(2).get_output().stdout.clone();
        let line = String::from_utf8_lossy(&out).lines().next().unwrap_or_default().to_string();
        serde_json::from_str::<serde_json::Value>(&line).expect("json")["kind"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(kind(&["--json", "/D", "gone"]), "link_not_found");
    assert_eq!(kind(&["--json", "gone"]), "link_not_found");
    assert_eq!(kind(&["--json", "src/*.txt", "dst"]), "no_match");
    assert_eq!(kind(&["--json", "missing.txt", "new.txt"]), "target_not_found");
}
