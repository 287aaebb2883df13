//! Unit and property tests of rename patterns (a wildcard `parm2`, renamed as COPY does). Pure; no file system.

use proptest::prelude::*;

use super::error::SelectError;
use super::rename::{RenamePattern, is_rename_pattern};

fn pattern(p: &[u8]) -> RenamePattern {
    match RenamePattern::parse(p) {
        Ok(p) => p,
        Err(e) => panic!("{}: {e}", String::from_utf8_lossy(p)),
    }
}

fn apply(p: &str, source: &str) -> String {
    String::from_utf8_lossy(&pattern(p.as_bytes()).apply(source.as_bytes())).into_owned()
}

/// Every row of the table in the module documentation.
#[test]
fn documented_examples() {
    for (p, source, want) in [
        ("*", "a.b.txt", "a.b.txt"),
        ("*.*", "readme", "readme"),
        ("*.*", "a.b.txt", "a.b.txt"),
        ("*.bak", "a.txt", "a.bak"),
        ("*.bak", "a.b.txt", "a.b.bak"),
        ("*.bak", "README", "README.bak"),
        ("*.bak", ".profile", ".profile.bak"),
        ("*.", "a.txt", "a"),
        ("new*", "abcdef.txt", "newdef.txt"),
        ("new*", "a.txt", "new.txt"),
        ("x*", "abc.txt", "xbc.txt"),
        ("?x*", "abc.txt", "axc.txt"),
        ("?x*", "a.txt", "ax.txt"),
        ("a?c.*", "xyz.txt", "ayc.txt"),
        ("a?c.*", "x.txt", "ac.txt"),
        ("a?c.*", "xyz", "ayc"),
        ("*_old.*", "report.txt", "report_old.txt"),
        ("*_old.*", "README", "README_old"),
        ("*_old.*", "my_file.txt", "my_old.txt"),
        ("*.tar.gz", "x.tgz", "x.tar.gz"),
        ("*.tar.gz", "x.tar.bz2", "x.tar.gz"),
        ("???.*", "abcdef.txt", "abc.txt"),
        ("???.*", "ab.txt", "ab.txt"),
    ] {
        assert_eq!(apply(p, source), want, "{p} on {source}");
    }
}

#[test]
fn question_mark_keeps_the_character_at_its_place() {
    assert_eq!(apply("??_*", "abcd.txt"), "ab_d.txt");
    assert_eq!(apply("?????", "ab.txt"), "ab", "stops at the dot");
    assert_eq!(apply("?????.*", "ab.txt"), "ab.txt");
    assert_eq!(apply("*.?", "a.txt"), "a.t");
    assert_eq!(apply("*.??????", "a.txt"), "a.txt");
    assert_eq!(apply("*.?", "readme"), "readme", "no extension to copy: no dot");
}

#[test]
fn star_then_a_character_copies_up_to_its_last_occurrence() {
    assert_eq!(apply("*-v2", "a-b-c"), "a-b-v2");
    assert_eq!(apply("*-v2.*", "a-b-c.txt"), "a-b-v2.txt");
    assert_eq!(apply("*E.TMP", "file.txt"), "fileE.TMP", "case-sensitive: no E, so all of it");
    let ci = pattern(b"*E.TMP").with_case_insensitive(true);
    assert_eq!(ci.apply(b"file.txt"), b"filE.TMP", "the pattern's spelling wins");
    assert_eq!(apply("**.bak", "a.txt"), "a.bak", "several stars are one");
    assert_eq!(apply("*?.bak", "abc.txt"), "abc.bak");
}

#[test]
fn dots_inside_a_part_align_with_the_source_dots() {
    assert_eq!(apply("a.?.*", "x.y.txt"), "a.y.txt");
    assert_eq!(apply("*.*.bak", "a.b.txt"), "a.b.bak");
    assert_eq!(apply("*.*.bak", "a.txt"), "a..bak");
}

#[test]
fn names_ending_in_a_dot_or_only_dots() {
    assert_eq!(apply("*.*", "name."), "name.");
    assert_eq!(apply("*.bak", "name."), "name.bak");
    assert_eq!(apply("*.*", ".."), "..");
    assert_eq!(apply("*", "."), ".");
    assert_eq!(apply("?", ".x"), "", "an empty result is the caller's to refuse");
}

#[test]
fn non_utf8_and_multibyte_characters_are_kept_whole() {
    assert_eq!(pattern(b"*.bak").apply(b"caf\xe9.txt"), b"caf\xe9.bak");
    assert_eq!(pattern(b"?*").apply(b"\xff\xfe.x"), b"\xff\xfe.x");
    assert_eq!(pattern(b"?_*").apply(b"\xff\xfe.x"), b"\xff_.x");
    assert_eq!(apply("?_*", "été.txt"), "é_é.txt", "a `?` copies a whole UTF-8 character");
    assert_eq!(pattern(b"\xe9*").apply(b"ab"), b"\xe9b");
    assert_eq!(apply("*é.*", "aébé.txt"), "aébé.txt");
}

#[test]
fn parse_and_recognise() {
    assert_eq!(RenamePattern::parse(b""), Err(SelectError::EmptyPattern));
    assert_eq!(pattern(b"*.bak").text(), b"*.bak");
    for yes in ["*", "*.bak", "a?", "?"] {
        assert!(is_rename_pattern(yes.as_bytes()), "{yes}");
    }
    for no in ["", "a.txt", "[ab].txt", "dir"] {
        assert!(!is_rename_pattern(no.as_bytes()), "{no}");
    }
}

/// Any name: non-empty bytes without a path separator or NUL.
fn name() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>().prop_filter("no separator", |b| *b != b'/' && *b != 0), 1..24)
}

proptest! {
    #[test]
    fn star_and_star_dot_star_keep_every_name(source in name()) {
        prop_assert_eq!(pattern(b"*").apply(&source), source.clone());
        prop_assert_eq!(pattern(b"*.*").apply(&source), source);
    }

    #[test]
    fn star_dot_ext_replaces_only_the_extension(source in name(), ext in "[A-Za-z0-9_~-]{1,6}") {
        let p = format!("*.{ext}");
        let got = pattern(p.as_bytes()).apply(&source);
        let suffix = format!(".{ext}");
        prop_assert!(got.ends_with(suffix.as_bytes()));
        // What is before the new extension is the source up to its last dot (not a leading one).
        let stem = match source.iter().rposition(|&b| b == b'.').filter(|&i| i > 0) {
            Some(i) => &source[..i],
            None => &source[..],
        };
        prop_assert_eq!(&got[..got.len() - suffix.len()], stem);
    }

    #[test]
    fn a_pattern_without_star_is_no_longer_than_itself(
        p in "[a-z?.]{1,10}",
        source in name(),
    ) {
        let rp = pattern(p.as_bytes());
        let got = rp.apply(&source);
        // Each `?` writes at most one character, every other pattern character exactly one; a `?` may copy a
        // multibyte character, so compare characters, not bytes.
        prop_assert!(String::from_utf8_lossy(&got).chars().count() <= p.len());
    }

    #[test]
    fn any_pattern_on_any_name_gives_a_name(p in prop::collection::vec(any::<u8>(), 1..16), source in name()) {
        // No panic, and the result never holds more than pattern and source together.
        let got = pattern(&p).apply(&source);
        prop_assert!(got.len() <= p.len() + source.len() + 1);
    }
}
