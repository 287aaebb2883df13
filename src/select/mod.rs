//! TCC file selection for `mklnk`: extended wildcards, include lists, `/A:` attribute filters and
//! date / time / size / exclusion ranges (spec: `docs/spec/selection.md`, `docs/spec/reference.md` §3.2–3.9 and §3.12,
//! `docs/spec/unix-mapping.md`).
//!
//! This module is pure matching logic: it parses the user's text into a [`Selection`] and answers, for a
//! [`Candidate`] the caller filled from a directory entry, whether it is selected. Nothing here touches the file
//! system or reads the clock ("now" is a parameter). Every parse error is a [`SelectError`], a usage error that
//! names the bad text (the caller maps it to exit status 1).
//!
//! Typical use: parse each `/[…]` with [`Range::parse`] (given a [`ParseContext`]: "now" and the locale's
//! [`DateOrder`]) and add it with [`Selection::add_range`], parse `/A:` with [`AttrFilter::parse`], split `parm1`
//! with [`split_include`] and add its patterns, then walk the directory: [`Selection::matches_name`] first
//! (cheap), and [`Selection::matches_meta`] on entries that pass (filling size and times only when
//! [`Selection::needs_metadata`] says so). A wildcard in the last component of `parm2` is a [`RenamePattern`]
//! that gives each source's link its name.

#![deny(missing_docs)]

mod attrs;
mod candidate;
mod date_order;
mod datetime;
mod error;
mod include;
mod range;
mod rename;
mod selection;
mod wildcard;

#[cfg(test)]
mod datetime_tests;
#[cfg(test)]
mod range_tests;
#[cfg(test)]
mod rename_tests;
#[cfg(test)]
mod selection_tests;
#[cfg(test)]
mod wildcard_tests;

pub use self::attrs::{AttrFilter, Attributes, default_visible};
pub use self::candidate::Candidate;
pub use self::date_order::DateOrder;
pub use self::datetime::{DateRange, ParseContext, Stamp, TimeRange, parse_clock, parse_date};
pub use self::error::SelectError;
pub use self::include::{IncludeList, is_include_list, is_unix_sep, is_windows_sep, split_include};
pub use self::range::{Exclusion, Range, RangeKind, SizeRange, parse_size};
pub use self::rename::{RenamePattern, is_rename_pattern};
pub use self::selection::{DESCRIPTION_FILE, Selection, is_description_file};
pub use self::wildcard::Pattern;
