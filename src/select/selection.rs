//! The whole selection of one command line: name patterns, the `/A:` filter and the ranges, combined with AND.
//!
//! This module owns how the parts combine and the two selection rules that are not about one part: default
//! visibility and "wildcards select files only". It never touches the file system; the caller hands in a
//! [`Candidate`] it has filled from a directory entry.
//!
//! Rules:
//! * A name passes when it matches any of the patterns (every name passes when there are none) and no
//!   exclusion range; [`Selection::matches_name`] checks only that, and is the cheap first test.
//! * The description file `DESCRIPT.ION` is never a source, in any ASCII case (`descript.ion`, `Descript.Ion`):
//!   TCC keeps it hidden and its lines travel with the files they describe. The rule does not depend on the
//!   selection's case option, because a description file spelled in lower case is still the description file
//!   on a case-insensitive file system, and on a case-sensitive one TCC users write it in any case.
//!   [`Selection::matches_name`] applies it, so it holds for literal names as well as wildcards.
//! * Wildcard selection never selects a directory (the sources are for hard links). It skips symbolic links
//!   (junctions, reparse points) too, unless the `/A:` switch requires the `j` attribute (`/A:j`, `/A:j-h`, …):
//!   then links are selected like files, and the letters filter them. `/A:-j`, a bare `/A:` or no `/A:` keeps
//!   links out. An entry that is both a directory and a link (a Windows directory junction) is a directory.
//!   [`Selection::matches_meta`] applies these rules ([`Selection::selects_kind`] alone, when the directory
//!   entry already tells the kind). A literal (wildcard-free) name is the caller's business: it may use
//!   [`Selection::passes_filters`], which applies everything except these rules.
//! * Names are compared byte for byte, or ignoring ASCII case when the selection is case-insensitive (patterns
//!   and exclusions alike); other bytes (accented letters, non-UTF-8 bytes) always compare exactly.
//! * Without `/A:` hidden and system files are skipped; with any `/A:` they are let in and the letters filter.
//!   A second `/A:` replaces the first.
//! * At most one date, one time and one size range; any number of exclusion ranges.

use super::attrs::{AttrFilter, Attributes, default_visible};
use super::candidate::Candidate;
use super::datetime::{DateRange, TimeRange};
use super::error::SelectError;
use super::range::{Exclusion, Range, RangeKind, SizeRange};
use super::wildcard::Pattern;

/// The name of the description file. It is never a source; see [`is_description_file`].
pub const DESCRIPTION_FILE: &[u8] = b"DESCRIPT.ION";

/// Whether a name is the description file `DESCRIPT.ION`, in any ASCII case.
pub fn is_description_file(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(DESCRIPTION_FILE)
}

/// Everything that decides whether a directory entry is a source.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    patterns: Vec<Pattern>,
    attrs: Option<AttrFilter>,
    date: Option<DateRange>,
    time: Option<TimeRange>,
    size: Option<SizeRange>,
    exclusions: Vec<Exclusion>,
    case_insensitive: bool,
}

impl Selection {
    /// An empty selection (every name, default visibility, no ranges). `case_insensitive` applies to every
    /// pattern and exclusion added later.
    pub fn new(case_insensitive: bool) -> Self {
        Self { case_insensitive, ..Self::default() }
    }

    /// Whether name matching ignores ASCII case.
    pub fn is_case_insensitive(&self) -> bool {
        self.case_insensitive
    }

    /// Adds a name pattern (its case option is set to the selection's).
    pub fn add_pattern(&mut self, pattern: Pattern) {
        self.patterns.push(pattern.with_case_insensitive(self.case_insensitive));
    }

    /// The name patterns, in order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Sets the `/A:` filter (a later `/A:` replaces an earlier one).
    pub fn set_attr_filter(&mut self, filter: AttrFilter) {
        self.attrs = Some(filter);
    }

    /// The `/A:` filter, if one was given.
    pub fn attr_filter(&self) -> Option<&AttrFilter> {
        self.attrs.as_ref()
    }

    /// Adds a range. A second date, time or size range is a usage error; exclusions may repeat.
    pub fn add_range(&mut self, range: Range) -> Result<(), SelectError> {
        fn put<T>(slot: &mut Option<T>, value: T, kind: RangeKind) -> Result<(), SelectError> {
            if slot.is_some() {
                return Err(SelectError::DuplicateRange { kind });
            }
            *slot = Some(value);
            Ok(())
        }
        match range {
            Range::Date(r) => put(&mut self.date, r, RangeKind::Date),
            Range::Time(r) => put(&mut self.time, r, RangeKind::Time),
            Range::Size(r) => put(&mut self.size, r, RangeKind::Size),
            Range::Exclusion(x) => {
                self.exclusions.push(x.with_case_insensitive(self.case_insensitive));
                Ok(())
            }
        }
    }

    /// Whether a name passes: it is not the description file, it matches a pattern (any name does when there are
    /// none) and no exclusion range leaves it out. No metadata needed.
    pub fn matches_name(&self, name: &[u8]) -> bool {
        if is_description_file(name) {
            return false;
        }
        let wanted = self.patterns.is_empty() || self.patterns.iter().any(|p| p.matches(name));
        wanted && !self.exclusions.iter().any(|x| x.excludes(name))
    }

    /// Whether [`matches_meta`](Self::matches_meta) needs more than the directory entry gives cheaply.
    ///
    /// When `false`, it reads only `is_dir`, `is_symlink` and the hidden and system bits of `attrs`; size,
    /// timestamps and the other attributes may be left at any value (see [`Candidate::file`]).
    pub fn needs_metadata(&self) -> bool {
        self.date.is_some() || self.time.is_some() || self.size.is_some() || self.attrs.is_some_and(|f| !f.is_empty())
    }

    /// Whether attributes pass: the `/A:` filter if given, else the default visibility (no hidden, no system).
    pub fn visible(&self, attrs: Attributes) -> bool {
        match &self.attrs {
            // Any `/A:` (even bare) lets hidden and system files in; its letters then filter.
            Some(filter) => filter.matches(attrs),
            None => default_visible(attrs),
        }
    }

    /// Whether the candidate passes visibility / `/A:` and the date, time and size ranges (not the name, and not
    /// the files-only rule). For literal names the caller chose to filter.
    pub fn passes_filters(&self, c: &Candidate<'_>) -> bool {
        self.visible(c.attrs)
            && self.date.as_ref().is_none_or(|r| r.admits(c))
            && self.time.as_ref().is_none_or(|r| r.admits(c))
            && self.size.as_ref().is_none_or(|r| r.admits_size(c.size))
    }

    /// Whether a candidate found by a wildcard passes on its metadata: [`selects_kind`](Self::selects_kind),
    /// then [`passes_filters`](Self::passes_filters). The name is not tested here; see
    /// [`matches_name`](Self::matches_name).
    pub fn matches_meta(&self, c: &Candidate<'_>) -> bool {
        self.selects_kind(c.is_dir, c.is_symlink) && self.passes_filters(c)
    }

    /// Whether a wildcard may select an entry of this kind (as `lstat` sees it): never a directory; a symbolic
    /// link only when [`selects_links`](Self::selects_links). Every other filter still applies.
    pub fn selects_kind(&self, is_dir: bool, is_symlink: bool) -> bool {
        !is_dir && (!is_symlink || self.selects_links())
    }

    /// Whether wildcards select symbolic links (junctions, reparse points): only when the `/A:` switch requires
    /// the `j` attribute. [`needs_metadata`](Self::needs_metadata) is then true, since `/A:` has letters.
    pub fn selects_links(&self) -> bool {
        self.attrs.is_some_and(|f| f.required().contains(Attributes::REPARSE_POINT))
    }

    /// Both tests: [`matches_name`](Self::matches_name) on `c.name` and [`matches_meta`](Self::matches_meta).
    pub fn matches(&self, c: &Candidate<'_>) -> bool {
        self.matches_name(c.name) && self.matches_meta(c)
    }
}
