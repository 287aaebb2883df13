//! Unit tests of the wildcard matcher: every row of the tables in docs/spec/reference.md §3.3 and §3.12, plus the rules
//! decided in `wildcard.rs`. Pure; no file system.

use super::error::SelectError;
use super::wildcard::Pattern;

/// Case-insensitive pattern (the §3.3 tables are written for Windows).
fn ci(p: &str) -> Pattern {
    match Pattern::parse(p.as_bytes()) {
        Ok(p) => p.with_case_insensitive(true),
        Err(e) => panic!("pattern {p:?} failed: {e}"),
    }
}

/// Case-sensitive pattern.
fn cs(p: &str) -> Pattern {
    match Pattern::parse(p.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("pattern {p:?} failed: {e}"),
    }
}

fn check(p: &Pattern, yes: &[&str], no: &[&str]) {
    for n in yes {
        assert!(p.matches(n.as_bytes()), "{:?} should match {n:?}", String::from_utf8_lossy(p.text()));
    }
    for n in no {
        assert!(!p.matches(n.as_bytes()), "{:?} should not match {n:?}", String::from_utf8_lossy(p.text()));
    }
}

// ---- docs/spec/reference.md §3.3 ----

#[test]
fn star_anywhere_several_times() {
    let yes = ["AMPLE.TXT", "STAMP.TXT", "CLAM.TXT", "AM.TXT"];
    check(&ci("*am*.txt"), &yes, &["AMPLE.DOC", "AX.TXT"]);
}

#[test]
fn trailing_question_may_match_nothing() {
    check(&ci("letter?.doc"), &["LETTER.DOC", "LETTER1.DOC"], &["LETTER12.DOC"]);
}

#[test]
fn sets_and_ranges() {
    check(&ci("letter[0-9].doc"), &["LETTER5.DOC"], &["LETTERA.DOC", "LETTER.DOC"]);
    check(&ci("[a-dt-v]ip"), &["Aip", "dip", "tip", "VIP"], &["eip", "zip", "ip"]);
    check(&cs("[abc]x"), &["ax", "cx"], &["dx", "Ax"]);
}

#[test]
fn negated_set() {
    check(&ci("?[!aeiouy]*.*"), &["ab", "xbz.txt", "ST.C"], &["ae", "a", "xY.txt"]);
}

#[test]
fn bracket_question_needs_a_character() {
    check(&ci("letter[?].doc"), &["LETTER1.DOC"], &["LETTER.DOC", "LETTER12.DOC"]);
}

#[test]
fn empty_brackets_match_no_character() {
    check(&ci("letter[].doc"), &["LETTER.DOC"], &["LETTER1.DOC"]);
    check(&ci("letter[!?].doc"), &["LETTER.DOC"], &["LETTER1.DOC"]);
}

#[test]
fn bracket_semicolon_is_literal() {
    check(&cs("letter1[;]v2"), &["letter1;v2"], &["letter1v2", "letter1xv2"]);
}

#[test]
fn mixed() {
    let p = ci("??[abc]*[def]*.[pq]*");
    check(&p, &["xxa1d2.p3", "XYBE.Q", "12cf.pq"], &["xxa1d2.r", "xa1d2.p", "xxz1d2.p"]);
}

#[test]
fn star_dot_star_and_x_dot_star_match_dotless_names() {
    check(&cs("*.*"), &["readme", "a.b.c", ".hidden", "x."], &[]);
    check(&cs("x.*"), &["x", "x.txt", "x.a.b"], &["xy", "y.x"]);
    check(&cs("*."), &["readme", "x."], &["a.b"]);
    check(&cs("file.???"), &["file", "file.c", "file.txt"], &["file.html"]);
}

#[test]
fn dot_and_dotdot_match_only_star_dot_star_like() {
    for n in [".", ".."] {
        assert!(cs("*.*").matches(n.as_bytes()));
        assert!(cs("*").matches(n.as_bytes()));
        assert!(!cs("*.txt").matches(n.as_bytes()));
        assert!(!cs("a*").matches(n.as_bytes()));
        assert!(!cs("[.]*").matches(n.as_bytes()));
    }
}

#[test]
fn quotes_are_ignored() {
    let p = cs("\"my file\"*.txt");
    check(&p, &["my file.txt", "my file2.txt"], &["\"my file\".txt"]);
    assert_eq!(p.text(), b"my file*.txt");
    assert_eq!(Pattern::parse(b"\"\""), Err(SelectError::EmptyPattern));
}

#[test]
fn star_followed_by_set_tries_each_position() {
    check(&cs("*[0-9]x"), &["abc1x", "1x", "a1b2x"], &["abcx", "abc1"]);
}

// ---- docs/spec/reference.md §3.12 ----

#[test]
fn worked_examples() {
    check(&ci("*a*b*.txt"), &["xaYb.txt", "ab.txt"], &["ba.txt"]);
    check(&ci("file[0-9].txt"), &["file7.txt"], &["fileA.txt", "file.txt"]);
    check(&ci("file[!0-9].txt"), &["fileA.txt"], &["file7.txt"]);
    check(&ci("file?.txt"), &["file7.txt", "file.txt"], &["file10.txt"]);
    check(&ci("file[?].txt"), &["file7.txt"], &["file.txt"]);
    check(&ci("*.*"), &["readme", "a.b.c"], &[]);
}

// ---- decided rules ----

#[test]
fn question_in_the_middle_needs_a_character() {
    check(&cs("a?c"), &["abc", "a.c"], &["ac", "abbc"]);
    check(&cs("a?*"), &["ab", "a.txt"], &["a"]);
    check(&cs("a??.txt"), &["a.txt", "ab.txt", "abc.txt"], &["abcd.txt"]);
    check(&cs("?"), &["a"], &["ab"]);
}

#[test]
fn negated_set_needs_a_character() {
    check(&cs("a[!x]"), &["ab"], &["a", "ax"]);
    check(&cs("a[!]"), &["ab"], &["a"]);
}

#[test]
fn dash_edges_and_reversed_ranges() {
    check(&cs("[-a]"), &["-", "a"], &["b"]);
    check(&cs("[a-]"), &["-", "a"], &["b"]);
    check(&cs("[z-a]"), &[], &["a", "m", "z", "-"]);
}

#[test]
fn unclosed_bracket_is_literal() {
    let p = cs("a[b");
    check(&p, &["a[b"], &["ab"]);
    assert!(!p.has_wildcards());
    assert_eq!(p.literal(), Some(&b"a[b"[..]));
}

#[test]
fn case_sensitivity_is_an_option() {
    check(&cs("Readme*"), &["Readme.md"], &["README.md", "readme"]);
    check(&ci("Readme*"), &["Readme.md", "README.md", "readme"], &["read"]);
    check(&ci("[a-c]"), &["B", "b"], &["D"]);
    check(&ci("[A-C]"), &["B", "b"], &["d"]);
    assert!(ci("x").is_case_insensitive());
    assert!(!cs("x").is_case_insensitive());
}

#[test]
fn literal_and_has_wildcards() {
    let p = cs("plain.txt");
    assert!(!p.has_wildcards());
    assert_eq!(p.literal(), Some(&b"plain.txt"[..]));
    for w in ["*.txt", "a?", "[ab]", "x[]", "[;]"] {
        let p = cs(w);
        assert!(p.has_wildcards(), "{w}");
        assert_eq!(p.literal(), None);
    }
    assert_eq!(Pattern::parse(b""), Err(SelectError::EmptyPattern));
}

#[test]
fn non_utf8_and_multibyte_names() {
    let p = Pattern::parse(b"a?b").ok();
    assert!(p.as_ref().is_some_and(|p| p.matches(&[b'a', 0xff, b'b'])));
    assert!(p.as_ref().is_some_and(|p| p.matches("aéb".as_bytes())));
    assert!(p.as_ref().is_some_and(|p| !p.matches(&[b'a', 0xff, 0xfe, b'b'])));
    let raw = Pattern::parse(&[0xff, b'*']).ok();
    assert!(raw.as_ref().is_some_and(|p| p.matches(&[0xff, b'x'])));
    assert!(raw.as_ref().is_some_and(|p| !p.matches(&[0xfe, b'x'])));
    check(&cs("[à-ï]*"), &["émile"], &["emile"]);
}

#[test]
fn hostile_patterns_stay_fast() {
    let pattern = format!("{}b", "*a".repeat(200));
    let name = "a".repeat(5000);
    let p = cs(&pattern);
    let start = std::time::Instant::now();
    assert!(!p.matches(name.as_bytes()));
    assert!(p.matches(format!("{name}b").as_bytes()));
    assert!(start.elapsed().as_secs() < 5);
    let many_q = "?".repeat(300);
    assert!(cs(&many_q).matches(b"abc"));
}
