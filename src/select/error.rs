//! The one error type of file selection.
//!
//! Every variant names the situation and carries the offending text as raw bytes (names on Unix are not
//! necessarily UTF-8), so the front-end can report "a usage error naming the bad text". All of them are usage
//! errors: the caller maps them to exit status 1. Nothing here touches the file system.

use std::fmt;

use super::range::RangeKind;

/// What went wrong while parsing a selection (pattern, include list, `/A:` switch or range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// A name pattern that is empty (or only quotes).
    EmptyPattern,
    /// A range whose body is not any known form (`/[]`, `/[x…]`, a missing part around the `,`, …).
    BadRange {
        /// The range body, the text between `[` and `]`.
        text: Vec<u8>,
    },
    /// An `/A:` letter that is not one of `rhsadecijopt`.
    BadAttribute {
        /// The unknown letter (byte) as written.
        letter: u8,
    },
    /// A `-` in an `/A:` switch that is not followed by an attribute letter.
    MissingAttributeLetter {
        /// The whole attribute text after `/A`.
        text: Vec<u8>,
    },
    /// The same kind of range (other than exclusions) given twice.
    DuplicateRange {
        /// Which kind was repeated.
        kind: RangeKind,
    },
    /// A date that cannot be read or does not exist (month 13, day 32, …).
    BadDate {
        /// The date text.
        text: Vec<u8>,
    },
    /// A time of day that cannot be read or does not exist (hour 25, minute 60, …).
    BadTime {
        /// The time text.
        text: Vec<u8>,
    },
    /// A size that cannot be read (no digits, unknown suffix, …).
    BadSize {
        /// The size text.
        text: Vec<u8>,
    },
    /// A number, or a value computed from it, that is out of range (`/[s99999999999G]`, a day offset past year
    /// 9999, …).
    Overflow {
        /// The text that produced the value.
        text: Vec<u8>,
    },
    /// An exclusion range name containing a path separator (only bare names are allowed).
    PathInExclusion {
        /// The offending name.
        text: Vec<u8>,
    },
    /// `/![!…]`: an exclusion range cannot be negated.
    NegatedExclusion {
        /// The range body.
        text: Vec<u8>,
    },
    /// An include list with an empty entry (`a;;b`, `;a`, `a;`, or a first entry that is only a directory).
    EmptyIncludeEntry {
        /// The whole include list.
        text: Vec<u8>,
    },
    /// An include-list entry after the first that carries a directory part.
    PathInIncludeEntry {
        /// The offending entry.
        text: Vec<u8>,
    },
}

/// Shows bytes as text: valid UTF-8 as is, anything else replaced (display only).
fn show(text: &[u8]) -> String {
    String::from_utf8_lossy(text).into_owned()
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyPattern => write!(f, "empty file name pattern"),
            Self::BadRange { text } => write!(f, "invalid range \"{}\"", show(text)),
            Self::BadAttribute { letter } => write!(
                f,
                "unknown attribute letter \"{}\" (use r h s a d e c i j o p t, - to negate)",
                std::ascii::escape_default(*letter)
            ),
            Self::MissingAttributeLetter { text } => {
                write!(f, "missing attribute letter after \"-\" in \"{}\"", show(text))
            }
            Self::DuplicateRange { kind } => write!(f, "{kind} range given more than once"),
            Self::BadDate { text } => write!(f, "invalid date \"{}\"", show(text)),
            Self::BadTime { text } => write!(f, "invalid time \"{}\"", show(text)),
            Self::BadSize { text } => write!(f, "invalid size \"{}\"", show(text)),
            Self::Overflow { text } => write!(f, "value out of range \"{}\"", show(text)),
            Self::PathInExclusion { text } => {
                write!(f, "exclusion names cannot contain a path \"{}\"", show(text))
            }
            Self::NegatedExclusion { text } => {
                write!(f, "an exclusion range cannot be negated \"{}\"", show(text))
            }
            Self::EmptyIncludeEntry { text } => {
                write!(f, "empty name in include list \"{}\"", show(text))
            }
            Self::PathInIncludeEntry { text } => {
                write!(f, "only the first name of an include list may have a directory \"{}\"", show(text))
            }
        }
    }
}

impl std::error::Error for SelectError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_text() {
        let e = SelectError::BadRange { text: b"x1".to_vec() };
        assert_eq!(e.to_string(), "invalid range \"x1\"");
        let e = SelectError::BadAttribute { letter: b'z' };
        assert!(e.to_string().contains("\"z\""));
        let e = SelectError::BadAttribute { letter: 0xff };
        assert!(e.to_string().contains("\\xff"));
        let e = SelectError::BadDate { text: vec![b'1', 0xff] };
        assert_eq!(e.to_string(), "invalid date \"1\u{fffd}\"");
        let e = SelectError::DuplicateRange { kind: RangeKind::Size };
        assert_eq!(e.to_string(), "size range given more than once");
        let e = SelectError::Overflow { text: b"99999999999G".to_vec() };
        assert!(e.to_string().contains("99999999999G"));
    }
}
