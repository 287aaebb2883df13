//! Unit tests of the range dispatcher, size ranges and exclusion ranges (docs/spec/reference.md §3.7–3.9, §3.12).
//! Pure; no file system, no clock.

use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use super::candidate::Candidate;
use super::date_order::DateOrder;
use super::datetime::ParseContext;
use super::error::SelectError;
use super::range::{Range, RangeKind, SizeRange, parse_size};

fn now() -> Zoned {
    Timestamp::UNIX_EPOCH.to_zoned(TimeZone::UTC)
}

fn parse(body: &str, negated: bool) -> Result<Range, SelectError> {
    Range::parse(body.as_bytes(), negated, ParseContext::new(&now(), DateOrder::MonthDayYear))
}

fn size(body: &str) -> Option<(u64, u64)> {
    match parse(body, false) {
        Ok(Range::Size(SizeRange { min, max, .. })) => Some((min, max)),
        _ => None,
    }
}

fn admits(r: &Result<Range, SelectError>, name: &str, bytes: u64) -> bool {
    let mut c = Candidate::file(name.as_bytes());
    c.size = bytes;
    r.as_ref().is_ok_and(|r| r.admits(&c))
}

#[test]
fn size_suffixes_are_case_sensitive() {
    assert_eq!(parse_size(b"10"), Ok(10));
    assert_eq!(parse_size(b"1k"), Ok(1_000));
    assert_eq!(parse_size(b"1K"), Ok(1_024));
    assert_eq!(parse_size(b"2m"), Ok(2_000_000));
    assert_eq!(parse_size(b"2M"), Ok(2 * 1_048_576));
    assert_eq!(parse_size(b"3g"), Ok(3_000_000_000));
    assert_eq!(parse_size(b"3G"), Ok(3 << 30));
    assert_eq!(parse_size(b"0"), Ok(0));
}

#[test]
fn size_examples() {
    assert_eq!(size("s0,0"), Some((0, 0)));
    assert_eq!(size("s1M"), Some((1_048_576, u64::MAX)));
    assert_eq!(size("s10k,+200"), Some((10_000, 10_200)));
    assert_eq!(size("s200,100"), Some((100, 200)));
    assert_eq!(size("s100,200"), Some((100, 200)));
    assert_eq!(size("s1k,10k"), Some((1_000, 10_000)));
    assert_eq!(size("s1K,10K"), Some((1_024, 10_240)));
    assert_eq!(size("s10k,-1k"), Some((9_000, 10_000)));
    assert_eq!(size("s10,-100"), Some((0, 10)));
    assert_eq!(size("S5"), Some((5, u64::MAX)));
    assert_eq!(size("s 5 , 6 "), Some((5, 6)));
}

#[test]
fn size_predicate_and_negation() {
    let r = parse("s1k,10k", false);
    assert!(admits(&r, "f", 1_000) && admits(&r, "f", 10_000));
    assert!(!admits(&r, "f", 999) && !admits(&r, "f", 10_001));
    let n = parse("s1k,10k", true);
    assert!(admits(&n, "f", 999) && admits(&n, "f", 10_001));
    assert!(!admits(&n, "f", 1_000) && !admits(&n, "f", 5_000));
    let empty = parse("s0,0", false);
    assert!(admits(&empty, "f", 0) && !admits(&empty, "f", 1));
}

#[test]
fn bad_sizes() {
    let bad = |t: &str| Some(SelectError::BadSize { text: t.as_bytes().to_vec() });
    for (body, text) in [
        ("s1x", "1x"),
        ("s1t", "1t"),
        ("s1T", "1T"),
        ("sk", "k"),
        ("s1kk", "1kk"),
        ("s-5", "-5"),
        ("s+5", "+5"),
        ("s1.5k", "1.5k"),
        ("s1,2,3", "2,3"),
        ("s1,+", "+"),
        ("s1,-x", "-x"),
        ("s1,x", "x"),
    ] {
        assert_eq!(parse(body, false).err(), bad(text), "{body}");
    }
    for body in ["s", "s,", "s1,", "s,1", "s ,1"] {
        let want = SelectError::BadRange { text: body.as_bytes().to_vec() };
        assert_eq!(parse(body, false).err(), Some(want), "{body}");
    }
}

#[test]
fn size_overflow() {
    let over = |t: &str| Some(SelectError::Overflow { text: t.as_bytes().to_vec() });
    assert_eq!(parse("s99999999999G", false).err(), over("99999999999G"));
    assert_eq!(parse("s99999999999999999999", false).err(), over("99999999999999999999"));
    assert_eq!(parse("s18446744073709551615,+1", false).err(), over("+1"));
    assert_eq!(size("s18446744073709551615"), Some((u64::MAX, u64::MAX)));
    assert_eq!(parse("s1,+99999999999G", false).err(), over("+99999999999G"));
}

#[test]
fn exclusion_examples() {
    let r = parse("!*.bak *.bk", false);
    assert!(admits(&r, "a.c", 0));
    assert!(!admits(&r, "a.bak", 0) && !admits(&r, "x.bk", 0));
    let r = parse("!*.c *.h", false);
    assert!(!admits(&r, "main.c", 0) && admits(&r, "main.rs", 0));
    let r = parse("!*.bak\t\"my file.txt\"  x?", false);
    assert!(!admits(&r, "my file.txt", 0) && !admits(&r, "x", 0) && !admits(&r, "x1", 0));
    assert!(admits(&r, "my", 0));
    match parse("!a b  c ", false) {
        Ok(Range::Exclusion(x)) => assert_eq!(x.patterns().len(), 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn exclusion_case_option() {
    let x = match parse("!*.BAK", false) {
        Ok(Range::Exclusion(x)) => x,
        other => panic!("{other:?}"),
    };
    assert!(!x.excludes(b"a.bak"));
    assert!(x.with_case_insensitive(true).excludes(b"a.bak"));
}

#[test]
fn bad_exclusions() {
    assert_eq!(
        parse("!*.bak dir/*.tmp", false).err(),
        Some(SelectError::PathInExclusion { text: b"dir/*.tmp".to_vec() })
    );
    assert_eq!(parse("!/abs", false).err(), Some(SelectError::PathInExclusion { text: b"/abs".to_vec() }));
    for body in ["!", "! ", "!\t "] {
        let want = SelectError::BadRange { text: body.as_bytes().to_vec() };
        assert_eq!(parse(body, false).err(), Some(want), "{body:?}");
    }
    assert_eq!(parse("! \"\"", false).err(), Some(SelectError::EmptyPattern));
    assert_eq!(parse("!*.tmp", true).err(), Some(SelectError::NegatedExclusion { text: b"!*.tmp".to_vec() }));
}

#[test]
fn dispatch_and_kinds() {
    let kind = |b: &str| parse(b, false).map(|r| r.kind());
    assert_eq!(kind("d-1"), Ok(RangeKind::Date));
    assert_eq!(kind("D-1"), Ok(RangeKind::Date));
    assert_eq!(kind("t-1"), Ok(RangeKind::Time));
    assert_eq!(kind("T-1"), Ok(RangeKind::Time));
    assert_eq!(kind("s1"), Ok(RangeKind::Size));
    assert_eq!(kind("!x"), Ok(RangeKind::Exclusion));
    assert_eq!(parse("", false).err(), Some(SelectError::BadRange { text: vec![] }));
    for body in ["x1", "=", " s1", "?"] {
        let want = SelectError::BadRange { text: body.as_bytes().to_vec() };
        assert_eq!(parse(body, false).err(), Some(want), "{body}");
    }
    assert_eq!(RangeKind::Exclusion.to_string(), "exclusion");
}
