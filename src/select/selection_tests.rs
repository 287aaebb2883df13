//! Unit tests of [`Selection`]: how patterns, `/A:`, ranges and the files-only rule combine. Pure; no file system.

use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use super::attrs::{AttrFilter, Attributes};
use super::candidate::Candidate;
use super::date_order::DateOrder;
use super::datetime::ParseContext;
use super::error::SelectError;
use super::include::{is_unix_sep, split_include};
use super::range::{Range, RangeKind};
use super::selection::{DESCRIPTION_FILE, Selection, is_description_file};
use super::wildcard::Pattern;

fn now() -> Zoned {
    Timestamp::UNIX_EPOCH.to_zoned(TimeZone::UTC)
}

fn range(body: &str) -> Range {
    match Range::parse(body.as_bytes(), false, ParseContext::new(&now(), DateOrder::MonthDayYear)) {
        Ok(r) => r,
        Err(e) => panic!("{body}: {e}"),
    }
}

fn pattern(p: &str) -> Pattern {
    match Pattern::parse(p.as_bytes()) {
        Ok(p) => p,
        Err(e) => panic!("{p}: {e}"),
    }
}

fn file(name: &str, size: u64) -> Candidate<'_> {
    let mut c = Candidate::file(name.as_bytes());
    c.size = size;
    c.attrs = Attributes::ARCHIVE;
    c
}

#[test]
fn empty_selection_selects_visible_files() {
    let s = Selection::new(false);
    assert!(s.matches(&file("anything", 0)));
    assert!(!s.needs_metadata());
    let mut hidden = file(".profile", 0);
    hidden.attrs.insert(Attributes::HIDDEN);
    assert!(!s.matches(&hidden));
}

#[test]
fn worked_combination() {
    // mklnk /[s1k,10k] /[!*.tmp] *.log dest/
    let mut s = Selection::new(false);
    s.add_pattern(pattern("*.log"));
    assert_eq!(s.add_range(range("s1k,10k")), Ok(()));
    assert_eq!(s.add_range(range("!*.tmp")), Ok(()));
    assert!(s.needs_metadata());
    assert!(s.matches(&file("a.log", 5_000)));
    assert!(!s.matches(&file("a.log", 500)));
    assert!(!s.matches(&file("a.txt", 5_000)));
    assert!(s.matches_name(b"b.log") && !s.matches_name(b"b.txt"));
}

#[test]
fn exclusions_apply_to_every_pattern_and_may_repeat() {
    let mut s = Selection::new(false);
    s.add_pattern(pattern("*"));
    assert_eq!(s.add_range(range("!*.bak")), Ok(()));
    assert_eq!(s.add_range(range("!*.tmp *.o")), Ok(()));
    assert!(s.matches_name(b"main.c"));
    for n in ["x.bak", "y.tmp", "z.o"] {
        assert!(!s.matches_name(n.as_bytes()), "{n}");
    }
}

#[test]
fn same_kind_twice_is_an_error() {
    let mut s = Selection::new(false);
    for (first, second, kind) in
        [("d-1", "d-7", RangeKind::Date), ("t-1", "t9:00,10:00", RangeKind::Time), ("s1", "s0,0", RangeKind::Size)]
    {
        assert_eq!(s.add_range(range(first)), Ok(()));
        assert_eq!(s.add_range(range(second)), Err(SelectError::DuplicateRange { kind }));
    }
}

fn attrs(text: &str) -> AttrFilter {
    match AttrFilter::parse(text.as_bytes()) {
        Ok(f) => f,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn link(name: &str) -> Candidate<'_> {
    let mut c = file(name, 0);
    c.is_symlink = true;
    c.attrs.insert(Attributes::REPARSE_POINT);
    c
}

#[test]
fn wildcards_never_select_directories() {
    let mut s = Selection::new(false);
    s.add_pattern(pattern("*"));
    s.set_attr_filter(AttrFilter::default());
    let mut dir = file("sub", 0);
    dir.is_dir = true;
    dir.attrs.insert(Attributes::DIRECTORY);
    assert!(!s.matches(&dir));
    assert!(s.passes_filters(&dir), "a literal name is the caller's business");
    // Even /A:d or /A:dj does not make a wildcard pick a directory (a junction is one too).
    for filter in [":d", ":dj", ":j"] {
        s.set_attr_filter(attrs(filter));
        let mut junction = dir;
        junction.is_symlink = true;
        junction.attrs.insert(Attributes::REPARSE_POINT);
        assert!(!s.matches(&dir) && !s.matches(&junction), "{filter}");
        assert!(!s.selects_kind(true, false) && !s.selects_kind(true, true), "{filter}");
    }
}

#[test]
fn wildcards_skip_links_unless_attributes_require_j() {
    let mut s = Selection::new(false);
    s.add_pattern(pattern("*"));
    let ln = link("ln");
    assert!(!s.matches(&ln), "no /A:");
    assert!(!s.selects_links() && !s.selects_kind(false, true) && s.selects_kind(false, false));
    for skipping in [":", ":-j", ":r", ":-h", ":a"] {
        s.set_attr_filter(attrs(skipping));
        assert!(!s.matches(&ln), "{skipping}");
        assert!(!s.selects_links(), "{skipping}");
    }
    for selecting in [":j", ":J", ":j-h", ":aj"] {
        s.set_attr_filter(attrs(selecting));
        assert!(s.matches(&ln), "{selecting}");
        assert!(s.selects_links() && s.selects_kind(false, true), "{selecting}");
        assert!(s.needs_metadata(), "{selecting} reads the attributes");
        assert!(!s.matches(&file("plain", 0)), "{selecting}: a file without j is left out");
    }
    // The other letters still filter the links.
    s.set_attr_filter(attrs(":j-h"));
    let mut hidden = link(".ln");
    hidden.attrs.insert(Attributes::HIDDEN);
    assert!(!s.matches(&hidden));
    // A range applies to links too.
    assert_eq!(s.add_range(range("s1,10")), Ok(()));
    assert!(!s.matches(&ln), "size 0 is outside 1-10");
}

#[test]
fn description_file_is_never_a_source() {
    for case_insensitive in [false, true] {
        let mut s = Selection::new(case_insensitive);
        assert!(!s.matches_name(b"DESCRIPT.ION"), "no patterns");
        for p in ["*", "*.*", "DESCRIPT.ION", "descript.ion", "*.ION", "D*"] {
            s.add_pattern(pattern(p));
        }
        s.set_attr_filter(AttrFilter::default());
        for name in ["DESCRIPT.ION", "descript.ion", "Descript.Ion", "dEsCrIpT.iOn"] {
            assert!(!s.matches_name(name.as_bytes()), "{name} ({case_insensitive})");
            assert!(!s.matches(&file(name, 0)), "{name} ({case_insensitive})");
        }
        for name in ["DESCRIPT.IO", "DESCRIPT.ION.bak", "xDESCRIPT.ION", "DESCRIPT"] {
            assert!(s.matches_name(name.as_bytes()), "{name} ({case_insensitive})");
        }
    }
    assert!(is_description_file(b"descript.ion") && is_description_file(DESCRIPTION_FILE));
    assert!(!is_description_file(b"DESCRIPT.\xc4ON"));
}

#[test]
fn attribute_switch_widens_visibility() {
    let mut hidden = file(".secret", 10);
    hidden.attrs.insert(Attributes::HIDDEN);
    let mut s = Selection::new(false);
    assert!(!s.matches(&hidden));
    s.set_attr_filter(AttrFilter::parse(b":").unwrap_or_default());
    assert!(s.matches(&hidden));
    assert!(!s.needs_metadata(), "bare /A: needs no stat");
    s.set_attr_filter(AttrFilter::parse(b":-h").unwrap_or_default());
    assert!(!s.matches(&hidden) && s.matches(&file("plain", 1)));
    s.set_attr_filter(AttrFilter::parse(b":-d").unwrap_or_default());
    assert!(s.matches(&hidden), "/A:-d lets hidden files in");
    let mut system = file("sys", 1);
    system.attrs.insert(Attributes::SYSTEM);
    assert!(s.matches(&system));
    assert!(s.needs_metadata());
    s.set_attr_filter(AttrFilter::parse(b":r").unwrap_or_default());
    assert!(!s.matches(&hidden), "a later /A: replaces the earlier one");
}

#[test]
fn case_option_reaches_patterns_and_exclusions() {
    let mut s = Selection::new(true);
    assert!(s.is_case_insensitive());
    s.add_pattern(pattern("*.TXT"));
    assert_eq!(s.add_range(range("!B*")), Ok(()));
    assert!(s.matches_name(b"a.txt"));
    assert!(!s.matches_name(b"b.txt"));
    let mut s = Selection::new(false);
    s.add_pattern(pattern("*.TXT"));
    assert!(!s.matches_name(b"a.txt") && s.matches_name(b"a.TXT"));
}

#[test]
fn case_insensitive_selection_covers_sets_ranges_and_every_exclusion() {
    let mut s = Selection::new(true);
    s.add_pattern(pattern("[a-f]*.Log"));
    s.add_pattern(pattern("R?ADME"));
    for yes in ["A.LOG", "b.log", "F1.lOg", "readme", "ReAdMe"] {
        assert!(s.matches_name(yes.as_bytes()), "{yes}");
    }
    for no in ["g.log", "x.LOG", "a.txt"] {
        assert!(!s.matches_name(no.as_bytes()), "{no}");
    }
    // Exclusions added before the pattern: the option is the selection's, whatever the order.
    let mut s = Selection::new(true);
    assert_eq!(s.add_range(range("!*.BAK [x-z]*")), Ok(()));
    assert_eq!(s.add_range(range("!TMP?")), Ok(()));
    s.add_pattern(pattern("*"));
    for no in ["a.bak", "README.Bak", "Xa.log", "y", "tmp1", "Tmp2"] {
        assert!(!s.matches_name(no.as_bytes()), "{no}");
    }
    for yes in ["a.log", "tmp12", "w.txt"] {
        assert!(s.matches_name(yes.as_bytes()), "{yes}");
    }
    // Case-sensitive: the same text matches only the same case.
    let mut s = Selection::new(false);
    assert_eq!(s.add_range(range("!*.BAK")), Ok(()));
    s.add_pattern(pattern("[a-f]*"));
    assert!(s.matches_name(b"a.bak") && !s.matches_name(b"a.BAK") && !s.matches_name(b"A.txt"));
}

#[test]
fn case_insensitive_matching_folds_ascii_only() {
    let mut s = Selection::new(true);
    s.add_pattern(pattern("caf\u{e9}*"));
    assert_eq!(s.add_range(range("!\u{c4}*")), Ok(()));
    assert!(s.matches_name("CAF\u{e9}.txt".as_bytes()));
    assert!(!s.matches_name("CAF\u{c9}.txt".as_bytes()), "\u{e9} and \u{c9} differ");
    let mut raw = Selection::new(true);
    raw.add_pattern(Pattern::parse(b"x\xe9*").unwrap_or_else(|e| panic!("{e}")));
    assert!(raw.matches_name(b"X\xe9 1"));
    assert!(!raw.matches_name(b"X\xc9 1"), "Latin-1 bytes are not folded");
    // The exclusion of names starting with \u{c4} does not leave out \u{e4}.
    let mut s = Selection::new(true);
    assert_eq!(s.add_range(range("!\u{c4}*")), Ok(()));
    assert!(!s.matches_name("\u{c4}rger".as_bytes()) && s.matches_name("\u{e4}rger".as_bytes()));
}

#[test]
fn include_list_feeds_several_patterns() {
    let list = split_include(b"dir/a*.txt;b.doc;*.csv", is_unix_sep);
    let mut s = Selection::new(false);
    match list.and_then(|l| l.patterns(false)) {
        Ok(pats) => pats.into_iter().for_each(|p| s.add_pattern(p)),
        Err(e) => panic!("{e}"),
    }
    assert_eq!(s.patterns().len(), 3);
    for yes in ["a1.txt", "b.doc", "x.csv"] {
        assert!(s.matches_name(yes.as_bytes()), "{yes}");
    }
    assert!(!s.matches_name(b"c.doc"));
}

#[test]
fn date_and_time_ranges_combine_with_and() {
    let mut s = Selection::new(false);
    assert_eq!(s.add_range(range("d1970-01-01,+0")), Ok(()));
    assert_eq!(s.add_range(range("tu0:00,0:30")), Ok(()));
    let mut c = file("f", 0);
    c.modified = Timestamp::from_second(600).unwrap_or(Timestamp::UNIX_EPOCH);
    assert!(s.matches(&c));
    c.modified = Timestamp::from_second(3600).unwrap_or(Timestamp::UNIX_EPOCH);
    assert!(!s.matches(&c), "right day, wrong time");
    c.modified = Timestamp::from_second(86_400 + 600).unwrap_or(Timestamp::UNIX_EPOCH);
    assert!(!s.matches(&c), "right time, wrong day");
}
