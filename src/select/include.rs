//! Include lists: `dir/a*.txt;b.doc;*.csv` split into one directory and several name patterns.
//!
//! This module owns the splitting rules only; it never touches the file system. The path separator is a
//! parameter (`is_sep`), so the same code serves Unix (`/` only: a `\` is an ordinary name byte there) and
//! Windows (`\` and `/`).
//!
//! Rules (docs/spec/reference.md §3.4):
//! * entries are separated by `;`, but a `;` inside `[…]` (as in `[;]`) or inside double quotes is part of the
//!   name;
//! * only the first entry may have a directory part; every entry refers to that directory; a later entry with a
//!   separator is a usage error;
//! * an empty entry (`a;;b`, `;a`, `a;`, or a first entry that is only a directory, `dir/;a`) is a usage error.

use super::error::SelectError;
use super::wildcard::Pattern;

/// The `/` separator of Unix; pass it as `is_sep` there.
pub fn is_unix_sep(b: u8) -> bool {
    b == b'/'
}

/// The separators of Windows (`\` and `/`).
pub fn is_windows_sep(b: u8) -> bool {
    b == b'/' || b == b'\\'
}

/// An include list split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeList {
    /// The directory prefix of the first entry, up to and including its last separator (`b"dir/"`, `b"/"`), or
    /// empty when the first entry has no directory (the current directory). Join it with a name by plain
    /// concatenation.
    pub dir: Vec<u8>,
    /// The name of each entry, as written (quotes and brackets kept), in order.
    pub names: Vec<Vec<u8>>,
}

impl IncludeList {
    /// Parses every name into a [`Pattern`] with the given case sensitivity.
    pub fn patterns(&self, case_insensitive: bool) -> Result<Vec<Pattern>, SelectError> {
        self.names.iter().map(|n| Pattern::parse(n).map(|p| p.with_case_insensitive(case_insensitive))).collect()
    }
}

/// Byte offsets of the `;` that separate entries (those outside `[…]` and outside double quotes).
fn separators(list: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut quoted = false;
    while i < list.len() {
        match list[i] {
            b'"' => quoted = !quoted,
            b'[' if !quoted => {
                if let Some(len) = list[i + 1..].iter().position(|&b| b == b']') {
                    i += len + 1; // jump to the `]`
                }
            }
            b';' if !quoted => out.push(i),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether the argument is an include list (has a `;` outside brackets and quotes).
pub fn is_include_list(arg: &[u8]) -> bool {
    !separators(arg).is_empty()
}

/// Splits an include list (a single name without `;` is a list of one).
pub fn split_include(list: &[u8], is_sep: fn(u8) -> bool) -> Result<IncludeList, SelectError> {
    let mut entries = Vec::new();
    let mut start = 0;
    for cut in separators(list) {
        entries.push(&list[start..cut]);
        start = cut + 1;
    }
    entries.push(&list[start..]);

    let mut names = Vec::with_capacity(entries.len());
    let mut dir = Vec::new();
    for (n, entry) in entries.into_iter().enumerate() {
        let name = if n == 0 {
            match entry.iter().rposition(|&b| is_sep(b)) {
                Some(last) => {
                    dir = entry[..=last].to_vec();
                    &entry[last + 1..]
                }
                None => entry,
            }
        } else if entry.iter().any(|&b| is_sep(b)) {
            return Err(SelectError::PathInIncludeEntry { text: entry.to_vec() });
        } else {
            entry
        };
        if name.is_empty() {
            return Err(SelectError::EmptyIncludeEntry { text: list.to_vec() });
        }
        names.push(name.to_vec());
    }
    Ok(IncludeList { dir, names })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Result<IncludeList, SelectError> {
        split_include(s.as_bytes(), is_unix_sep)
    }

    fn names(list: &IncludeList) -> Vec<&[u8]> {
        list.names.iter().map(Vec::as_slice).collect()
    }

    #[test]
    fn splits_dir_and_names() {
        let l = split("dir/a*.txt;b.doc;*.csv");
        let l = l.as_ref().ok();
        assert_eq!(l.map(|l| l.dir.as_slice()), Some(&b"dir/"[..]));
        assert_eq!(l.map(names), Some(vec![&b"a*.txt"[..], b"b.doc", b"*.csv"]));
    }

    #[test]
    fn no_dir_and_root_dir() {
        let l = split("a.txt;b.txt;*.md").ok();
        assert_eq!(l.as_ref().map(|l| l.dir.is_empty()), Some(true));
        assert_eq!(l.as_ref().map(|l| l.names.len()), Some(3));
        let l = split("/a;b").ok();
        assert_eq!(l.as_ref().map(|l| l.dir.as_slice()), Some(&b"/"[..]));
        let l = split("/srv/x/y/a;b").ok();
        assert_eq!(l.map(|l| l.dir), Some(b"/srv/x/y/".to_vec()));
    }

    #[test]
    fn single_name_is_a_list_of_one() {
        let l = split("dir/file.txt").ok();
        assert_eq!(l.as_ref().map(|l| l.dir.as_slice()), Some(&b"dir/"[..]));
        assert_eq!(l.map(|l| l.names), Some(vec![b"file.txt".to_vec()]));
        assert!(!is_include_list(b"dir/file.txt"));
        assert!(is_include_list(b"a;b"));
    }

    #[test]
    fn bracketed_semicolon_is_part_of_the_name() {
        let l = split("letter1[;]v2;b").ok();
        assert_eq!(l.map(|l| l.names), Some(vec![b"letter1[;]v2".to_vec(), b"b".to_vec()]));
        assert!(!is_include_list(b"letter1[;]v2"));
        assert!(!is_include_list(b"\"a;b\""));
        let l = split("\"a;b\";c").ok();
        assert_eq!(l.map(|l| l.names.len()), Some(2));
        // An unclosed `[` is literal, so the `;` after it still separates.
        assert!(is_include_list(b"a[;b"));
    }

    #[test]
    fn later_entry_with_path_is_an_error() {
        assert_eq!(split("dir/a;other/b"), Err(SelectError::PathInIncludeEntry { text: b"other/b".to_vec() }));
    }

    #[test]
    fn empty_entries_are_errors() {
        for bad in ["a;;b", ";a", "a;", ";", "dir/;a", ""] {
            assert_eq!(split(bad), Err(SelectError::EmptyIncludeEntry { text: bad.as_bytes().to_vec() }), "{bad}");
        }
    }

    #[test]
    fn backslash_is_a_name_byte_on_unix_only() {
        let l = split("a\\b;c").ok();
        assert_eq!(l.map(|l| l.dir.is_empty()), Some(true));
        let l = split_include(b"d\\a;c", is_windows_sep).ok();
        assert_eq!(l.map(|l| l.dir), Some(b"d\\".to_vec()));
        assert!(split_include(b"d\\a;e\\c", is_windows_sep).is_err());
    }

    #[test]
    fn patterns_follow_case_option() {
        let l = split("A*;b").ok();
        let pats = l.map(|l| l.patterns(true));
        let first_matches = match pats {
            Some(Ok(p)) => p.first().is_some_and(|p| p.matches(b"abc")),
            _ => false,
        };
        assert!(first_matches);
    }
}
