//! The selection syntax: wildcard patterns and their matcher, include lists, `/A:` filters and ranges (with a
//! fixed "now"), and a whole selection applied to one candidate. No panic, no blow-up on any text.
//!
//! The input, cut at NUL bytes: a pattern, a name, an include list, an `/A:` text, range bodies. The first byte of
//! the name also picks the candidate's attributes, and its length and the pattern's length its size and times.
//! The pattern also serves as a rename pattern applied to the name, and the first byte of the list picks the
//! order of dates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mklink::select::{
    AttrFilter, Attributes, Candidate, DateOrder, ParseContext, Pattern, Range, RenamePattern, Selection,
    is_include_list, is_unix_sep, is_windows_sep, split_include,
};

mod common;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let pattern = parts.next().unwrap_or_default();
    let name = parts.next().unwrap_or_default();
    let list = parts.next().unwrap_or_default();
    let attrs = parts.next().unwrap_or_default();
    let ranges: Vec<&[u8]> = parts.take(8).collect();
    let now = common::now();

    let date_order = match list.first().map(|b| b % 3) {
        Some(1) => DateOrder::DayMonthYear,
        Some(2) => DateOrder::YearMonthDay,
        _ => DateOrder::MonthDayYear,
    };
    for case_insensitive in [false, true] {
        if let Ok(rename) = RenamePattern::parse(pattern) {
            let renamed = rename.with_case_insensitive(case_insensitive).apply(name);
            // Each character of the source is copied at most once, each of the pattern written at most once.
            assert!(renamed.len() <= pattern.len() + name.len());
        }
    }
    if !name.is_empty() {
        for keep in [&b"*"[..], b"*.*"] {
            if let Ok(rename) = RenamePattern::parse(keep) {
                assert_eq!(rename.apply(name), name, "{:?} changes the name", String::from_utf8_lossy(keep));
            }
        }
    }

    let mut selection = Selection::new(pattern.first().is_some_and(|b| b & 1 == 1));
    for case_insensitive in [false, true] {
        if let Ok(p) = Pattern::parse(pattern) {
            let p = p.with_case_insensitive(case_insensitive);
            let _ = p.matches(name);
            // A pattern without wildcards is a plain name: it matches itself.
            if let Some(literal) = p.literal() {
                assert!(p.matches(literal), "{:?} does not match itself", String::from_utf8_lossy(literal));
            }
            if case_insensitive {
                selection.add_pattern(p);
            }
        }
    }
    let _ = is_include_list(list);
    for sep in [is_unix_sep as fn(u8) -> bool, is_windows_sep] {
        if let Ok(parsed) = split_include(list, sep) {
            assert!(!parsed.names.is_empty());
            if let Ok(patterns) = parsed.patterns(false) {
                for p in patterns {
                    let _ = p.matches(name);
                }
            }
        }
    }
    let mut candidate_attrs = Attributes::NONE;
    let bits = name.first().copied().unwrap_or(0);
    for (i, letter) in b"rhsadecijopt".iter().enumerate().take(8) {
        if bits & (1 << i) != 0
            && let Some(a) = Attributes::from_letter(*letter)
        {
            candidate_attrs.insert(a);
        }
    }
    if let Ok(filter) = AttrFilter::parse(attrs) {
        let _ = filter.matches(candidate_attrs);
        selection.set_attr_filter(filter);
    }
    for (i, body) in ranges.iter().enumerate() {
        if let Ok(range) = Range::parse(body, i % 2 == 1, ParseContext::new(&now, date_order)) {
            let _ = selection.add_range(range);
        }
    }
    let stamp = |secs: i64| jiff::Timestamp::from_second(secs).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let spread = i64::try_from(pattern.len() * 7919 + name.len() * 104_729).unwrap_or(0);
    let candidate = Candidate {
        name,
        is_dir: bits & 0x40 != 0,
        is_symlink: bits & 0x80 != 0,
        size: u64::try_from(list.len()).unwrap_or(0) << (bits % 48),
        modified: stamp(1_700_000_000 - spread * 3600),
        accessed: stamp(1_700_000_000 + spread * 60),
        created: (bits & 0x20 != 0).then(|| stamp(spread * 86_400)),
        attrs: candidate_attrs,
    };
    let _ = selection.matches_name(name);
    let _ = selection.needs_metadata();
    let _ = selection.passes_filters(&candidate);
    let _ = selection.matches(&candidate);
});
