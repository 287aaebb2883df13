//! File attributes (`rhsadecijopt`) and the `/A:` switch that filters on them.
//!
//! This module owns the attribute bit set, the `/A:` parser and the default-visibility rule. It never touches
//! the file system: the caller fills an [`Attributes`] value from whatever the platform offers (on Unix see
//! `docs/spec/unix-mapping.md`: `h` = the name starts with `.`, `j` = a symlink, `s`/`i`/`o`/`t` never set, …).

use std::ops::BitOr;

use super::error::SelectError;

/// A set of file attributes, one bit per `/A:` letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Attributes(u16);

impl Attributes {
    /// No attribute set.
    pub const NONE: Self = Self(0);
    /// `r`: read-only.
    pub const READ_ONLY: Self = Self(1 << 0);
    /// `h`: hidden.
    pub const HIDDEN: Self = Self(1 << 1);
    /// `s`: system.
    pub const SYSTEM: Self = Self(1 << 2);
    /// `a`: archive.
    pub const ARCHIVE: Self = Self(1 << 3);
    /// `d`: directory.
    pub const DIRECTORY: Self = Self(1 << 4);
    /// `e`: encrypted.
    pub const ENCRYPTED: Self = Self(1 << 5);
    /// `c`: compressed.
    pub const COMPRESSED: Self = Self(1 << 6);
    /// `i`: not content-indexed.
    pub const NOT_INDEXED: Self = Self(1 << 7);
    /// `j`: junction, symlink or any reparse point.
    pub const REPARSE_POINT: Self = Self(1 << 8);
    /// `o`: offline.
    pub const OFFLINE: Self = Self(1 << 9);
    /// `p`: sparse.
    pub const SPARSE: Self = Self(1 << 10);
    /// `t`: temporary.
    pub const TEMPORARY: Self = Self(1 << 11);

    /// The attribute named by a `/A:` letter (either case), or `None` for any other byte.
    pub fn from_letter(letter: u8) -> Option<Self> {
        Some(match letter.to_ascii_lowercase() {
            b'r' => Self::READ_ONLY,
            b'h' => Self::HIDDEN,
            b's' => Self::SYSTEM,
            b'a' => Self::ARCHIVE,
            b'd' => Self::DIRECTORY,
            b'e' => Self::ENCRYPTED,
            b'c' => Self::COMPRESSED,
            b'i' => Self::NOT_INDEXED,
            b'j' => Self::REPARSE_POINT,
            b'o' => Self::OFFLINE,
            b'p' => Self::SPARSE,
            b't' => Self::TEMPORARY,
            _ => return None,
        })
    }

    /// The raw bits (for display or storage).
    pub fn bits(self) -> u16 {
        self.0
    }

    /// Whether every attribute of `other` is set in `self`.
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any attribute of `other` is set in `self`.
    pub fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether no attribute is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Sets the attributes of `other`.
    pub fn insert(&mut self, other: Self) {
        self.0 |= other.0;
    }

    /// Clears the attributes of `other`.
    pub fn remove(&mut self, other: Self) {
        self.0 &= !other.0;
    }
}

impl BitOr for Attributes {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

/// The default visibility rule without `/A:`: hidden and system files are skipped.
pub fn default_visible(attrs: Attributes) -> bool {
    !attrs.intersects(Attributes::HIDDEN | Attributes::SYSTEM)
}

/// A parsed `/A:` switch: attributes that must be set and attributes that must be clear (AND of all letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AttrFilter {
    required: Attributes,
    forbidden: Attributes,
}

impl AttrFilter {
    /// Parses the text after `/A` (with or without the `:`): letters `rhsadecijopt` in any case, each optionally
    /// preceded by `-` (must be clear); `_` is skipped. Empty text (bare `/A` or `/A:`) selects everything.
    ///
    /// An unknown letter is an error naming it; a `-` with no letter after it is an error too. A letter both
    /// required and forbidden (`/A:r-r`) is accepted and simply matches nothing.
    pub fn parse(text: &[u8]) -> Result<Self, SelectError> {
        let body = text.strip_prefix(b":").unwrap_or(text);
        let mut filter = Self::default();
        let mut negate = false;
        for &b in body {
            match b {
                b'_' => {}
                b'-' if negate => return Err(SelectError::MissingAttributeLetter { text: text.to_vec() }),
                b'-' => negate = true,
                _ => {
                    let attr = Attributes::from_letter(b).ok_or(SelectError::BadAttribute { letter: b })?;
                    if negate {
                        filter.forbidden.insert(attr);
                    } else {
                        filter.required.insert(attr);
                    }
                    negate = false;
                }
            }
        }
        if negate {
            return Err(SelectError::MissingAttributeLetter { text: text.to_vec() });
        }
        Ok(filter)
    }

    /// The attributes that must be set.
    pub fn required(&self) -> Attributes {
        self.required
    }

    /// The attributes that must be clear.
    pub fn forbidden(&self) -> Attributes {
        self.forbidden
    }

    /// Whether the filter places no condition at all (bare `/A:`).
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.forbidden.is_empty()
    }

    /// Whether a file with these attributes passes: every required one set, every forbidden one clear.
    pub fn matches(&self, attrs: Attributes) -> bool {
        attrs.contains(self.required) && !attrs.intersects(self.forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<AttrFilter, SelectError> {
        AttrFilter::parse(s.as_bytes())
    }

    #[test]
    fn every_letter_any_case() {
        for (i, l) in b"rhsadecijopt".iter().enumerate() {
            let want = Attributes(1 << i);
            assert_eq!(Attributes::from_letter(*l), Some(want));
            assert_eq!(Attributes::from_letter(l.to_ascii_uppercase()), Some(want));
            let f = AttrFilter::parse(&[b':', *l]);
            assert_eq!(f.map(|f| f.required()), Ok(want));
        }
        assert_eq!(Attributes::from_letter(b'x'), None);
    }

    #[test]
    fn bare_switch_selects_everything() {
        for t in ["", ":", ":_"] {
            let f = parse(t);
            assert_eq!(f.map(|f| f.is_empty()), Ok(true), "{t:?}");
        }
        let f = AttrFilter::default();
        assert!(f.matches(Attributes::HIDDEN | Attributes::SYSTEM | Attributes::DIRECTORY));
    }

    #[test]
    fn colon_is_optional() {
        assert_eq!(parse("rh"), parse(":rh"));
        assert_eq!(parse("-D"), parse(":-d"));
    }

    #[test]
    fn letters_combine_with_and() {
        let f = parse(":ra").unwrap_or_default();
        assert!(f.matches(Attributes::READ_ONLY | Attributes::ARCHIVE));
        assert!(f.matches(Attributes::READ_ONLY | Attributes::ARCHIVE | Attributes::HIDDEN));
        assert!(!f.matches(Attributes::READ_ONLY));
        assert!(!f.matches(Attributes::NONE));
    }

    #[test]
    fn negation() {
        let f = parse(":-h-s").unwrap_or_default();
        assert_eq!(f.forbidden(), Attributes::HIDDEN | Attributes::SYSTEM);
        assert!(f.matches(Attributes::ARCHIVE));
        assert!(!f.matches(Attributes::HIDDEN));
        assert!(!f.matches(Attributes::SYSTEM | Attributes::ARCHIVE));
        let f = parse(":-d").unwrap_or_default();
        assert!(f.matches(Attributes::HIDDEN | Attributes::SYSTEM));
        assert!(!f.matches(Attributes::DIRECTORY));
        let f = parse(":r-r").unwrap_or_default();
        assert!(!f.matches(Attributes::READ_ONLY) && !f.matches(Attributes::NONE));
    }

    #[test]
    fn underscore_is_skipped() {
        assert_eq!(parse(":r_h"), parse(":rh"));
        assert_eq!(parse(":-_h"), parse(":-h"));
    }

    #[test]
    fn never_set_letters() {
        // On Unix `s` is never set: `/A:s` selects nothing, `/A:-s` everything.
        let unix_file = Attributes::ARCHIVE;
        assert!(!parse(":s").unwrap_or_default().matches(unix_file));
        assert!(parse(":-s").unwrap_or_default().matches(unix_file));
    }

    #[test]
    fn unknown_letter_is_named() {
        assert_eq!(parse(":rx"), Err(SelectError::BadAttribute { letter: b'x' }));
        assert_eq!(parse(":+r"), Err(SelectError::BadAttribute { letter: b'+' }));
        assert_eq!(parse("::"), Err(SelectError::BadAttribute { letter: b':' }));
        assert_eq!(parse(": r"), Err(SelectError::BadAttribute { letter: b' ' }));
    }

    #[test]
    fn dangling_minus_is_an_error() {
        let want = |t: &str| Err(SelectError::MissingAttributeLetter { text: t.as_bytes().to_vec() });
        assert_eq!(parse(":r-"), want(":r-"));
        assert_eq!(parse(":--r"), want(":--r"));
    }

    #[test]
    fn default_visibility_skips_hidden_and_system() {
        assert!(default_visible(Attributes::NONE));
        assert!(default_visible(Attributes::READ_ONLY | Attributes::ARCHIVE));
        assert!(!default_visible(Attributes::HIDDEN));
        assert!(!default_visible(Attributes::SYSTEM | Attributes::ARCHIVE));
    }
}
