//! Ranges `/[…]` and `/![…]`: the dispatcher, size ranges and exclusion ranges.
//!
//! This module owns the range grammar of docs/spec/reference.md §3.7–3.9 and §3.12 (date and time ranges live in
//! `datetime.rs`). It never touches the file system and never reads the clock.
//!
//! Decisions the spec leaves open:
//! * The kind letter (`d`, `t`, `s`) may be either case; size suffixes are case-sensitive (`k` 1000, `K` 1024,
//!   `m`, `M`, `g`, `G`); no other suffix (`t`/`T` of newer TCC included) is accepted.
//! * `/[s…]` with `,-n` covers min−n … min, clamped at 0 bytes; `,+n` whose sum passes `u64::MAX` is an overflow.
//! * Exclusion names are separated by spaces or tabs; double quotes keep spaces inside one name. A name with `/`
//!   is an error. An empty exclusion (`/[!]`) is a bad range. A trailing `\` is part of the name (it marks a
//!   directory only on Windows).

use std::fmt;

use super::candidate::Candidate;
use super::datetime::{DateRange, ParseContext, TimeRange};
use super::error::SelectError;
use super::wildcard::Pattern;

/// The kind of a range, for the "same kind twice" rule and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeKind {
    /// `/[d…]`
    Date,
    /// `/[t…]`
    Time,
    /// `/[s…]`
    Size,
    /// `/[!…]`
    Exclusion,
}

impl fmt::Display for RangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Date => "date",
            Self::Time => "time",
            Self::Size => "size",
            Self::Exclusion => "exclusion",
        })
    }
}

/// A parsed `/[s…]` range: inclusive byte counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRange {
    /// Smallest size selected.
    pub min: u64,
    /// Largest size selected (`u64::MAX` when no maximum was given).
    pub max: u64,
    /// `/![…]`: select what is outside.
    pub negated: bool,
}

/// Parses one size: digits and an optional case-sensitive suffix.
pub fn parse_size(text: &[u8]) -> Result<u64, SelectError> {
    let bad = || SelectError::BadSize { text: text.to_vec() };
    let (digits, factor) = match text.split_last() {
        Some((b'k', d)) => (d, 1_000),
        Some((b'K', d)) => (d, 1 << 10),
        Some((b'm', d)) => (d, 1_000_000),
        Some((b'M', d)) => (d, 1 << 20),
        Some((b'g', d)) => (d, 1_000_000_000),
        Some((b'G', d)) => (d, 1 << 30),
        _ => (text, 1u64),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let over = || SelectError::Overflow { text: text.to_vec() };
    let n = digits.iter().try_fold(0u64, |acc, &d| acc.checked_mul(10)?.checked_add(u64::from(d - b'0')));
    n.and_then(|n| n.checked_mul(factor)).ok_or_else(over)
}

/// Makes a size error name the whole signed value (`+`/`-` included).
fn whole(e: SelectError, text: &[u8]) -> SelectError {
    match e {
        SelectError::BadSize { .. } => SelectError::BadSize { text: text.to_vec() },
        SelectError::Overflow { .. } => SelectError::Overflow { text: text.to_vec() },
        other => other,
    }
}

impl SizeRange {
    /// Parses the text after the `s` of a range body (`body` is the whole body, for error messages).
    pub fn parse(text: &[u8], body: &[u8], negated: bool) -> Result<Self, SelectError> {
        let bad_range = || SelectError::BadRange { text: body.to_vec() };
        let (first, second) = match text.iter().position(|&b| b == b',') {
            None => (text.trim_ascii(), None),
            Some(i) => (text[..i].trim_ascii(), Some(text[i + 1..].trim_ascii())),
        };
        if first.is_empty() || second.is_some_and(<[u8]>::is_empty) {
            return Err(bad_range());
        }
        let min = parse_size(first)?;
        let (lo, hi) = match second {
            None => (min, u64::MAX),
            Some(s) => match s.split_first() {
                Some((b'+', n)) => {
                    let n = parse_size(n).map_err(|e| whole(e, s))?;
                    let max = min.checked_add(n).ok_or_else(|| SelectError::Overflow { text: s.to_vec() })?;
                    (min, max)
                }
                Some((b'-', n)) => (min.saturating_sub(parse_size(n).map_err(|e| whole(e, s))?), min),
                _ => {
                    let max = parse_size(s)?;
                    (min.min(max), min.max(max))
                }
            },
        };
        Ok(Self { min: lo, max: hi, negated })
    }

    /// Whether a file of `size` bytes passes.
    pub fn admits_size(&self, size: u64) -> bool {
        (self.min <= size && size <= self.max) != self.negated
    }
}

/// A parsed `/[!…]` range: names matching any of its patterns are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    patterns: Vec<Pattern>,
}

impl Exclusion {
    /// Parses the text after the `!` of a range body (`body` is the whole body, for error messages).
    pub fn parse(text: &[u8], body: &[u8]) -> Result<Self, SelectError> {
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut current: Option<Vec<u8>> = None;
        let mut quoted = false;
        for &b in text {
            if !quoted && (b == b' ' || b == b'\t') {
                names.extend(current.take());
                continue;
            }
            if b == b'"' {
                quoted = !quoted;
            }
            current.get_or_insert_with(Vec::new).push(b);
        }
        names.extend(current);
        if names.is_empty() {
            return Err(SelectError::BadRange { text: body.to_vec() });
        }
        let mut patterns = Vec::with_capacity(names.len());
        for name in names {
            if name.contains(&b'/') {
                return Err(SelectError::PathInExclusion { text: name });
            }
            patterns.push(Pattern::parse(&name)?);
        }
        Ok(Self { patterns })
    }

    /// Returns the exclusion with case-insensitive matching switched on or off for every pattern.
    #[must_use]
    pub fn with_case_insensitive(self, yes: bool) -> Self {
        let patterns = self.patterns.into_iter().map(|p| p.with_case_insensitive(yes)).collect();
        Self { patterns }
    }

    /// The patterns, in order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether the name is left out (matches any pattern).
    pub fn excludes(&self, name: &[u8]) -> bool {
        self.patterns.iter().any(|p| p.matches(name))
    }
}

/// One parsed range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Range {
    /// `/[d…]`
    Date(DateRange),
    /// `/[t…]`
    Time(TimeRange),
    /// `/[s…]`
    Size(SizeRange),
    /// `/[!…]`
    Exclusion(Exclusion),
}

impl Range {
    /// Parses a range body, the text between `[` and `]`; `negated` is true for `/![…]`. `ctx` supplies the
    /// current instant and the local time zone for relative and local dates and times, and the locale's order of
    /// the fields of a date.
    ///
    /// A malformed range is an error naming the bad text; the caller reports it as a usage error.
    pub fn parse(body: &[u8], negated: bool, ctx: ParseContext<'_>) -> Result<Self, SelectError> {
        let Some((&kind, rest)) = body.split_first() else {
            return Err(SelectError::BadRange { text: Vec::new() });
        };
        match kind {
            b'!' if negated => Err(SelectError::NegatedExclusion { text: body.to_vec() }),
            b'!' => Exclusion::parse(rest, body).map(Self::Exclusion),
            b'd' | b'D' => DateRange::parse(rest, body, negated, ctx).map(Self::Date),
            b't' | b'T' => TimeRange::parse(rest, body, negated, ctx).map(Self::Time),
            b's' | b'S' => SizeRange::parse(rest, body, negated).map(Self::Size),
            _ => Err(SelectError::BadRange { text: body.to_vec() }),
        }
    }

    /// The kind of this range.
    pub fn kind(&self) -> RangeKind {
        match self {
            Self::Date(_) => RangeKind::Date,
            Self::Time(_) => RangeKind::Time,
            Self::Size(_) => RangeKind::Size,
            Self::Exclusion(_) => RangeKind::Exclusion,
        }
    }

    /// Whether the candidate passes this range (for an exclusion: its name is not excluded).
    pub fn admits(&self, c: &Candidate<'_>) -> bool {
        match self {
            Self::Date(r) => r.admits(c),
            Self::Time(r) => r.admits(c),
            Self::Size(r) => r.admits_size(c.size),
            Self::Exclusion(x) => !x.excludes(c.name),
        }
    }
}
