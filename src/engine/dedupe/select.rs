//! Which files of a root a deduplication considers: the TCC selection (`/A:`, ranges, `/C`) typed with the
//! roots, and the wildcard or include list a root may end with.
//!
//! The rule for a root, read from what is on disk when the run starts (as MKLNK reads its sources):
//! - a root that exists, or whose last component holds no wildcard and no `;`, is a directory to walk; without a
//!   selection every regular file in it is considered (hidden ones too); with one, its files must pass it, and
//!   hidden and system files are let in as a bare `/A:` would (the letters of a typed `/A:` still filter);
//! - otherwise the last component is a wildcard pattern (`photos/*.jpg`) or an include list
//!   (`photos/*.jpg;*.png`): the directory part (the current directory when there is none) is walked, every
//!   directory below it is entered whatever its name, and the files whose names match one of the patterns are
//!   considered; as with every TCC wildcard, hidden and system files are left out unless `/A:` is given.
//!
//! The selection decides files only: directories are always walked (a name pattern or an exclusion range never
//! prunes a subtree). A file that is not selected is never recorded, so never read.

use crate::engine::link::candidate;
use crate::engine::{Error, ErrorKind};
use crate::platform::{self, Dir};
use crate::select::{AttrFilter, Pattern, Selection, is_include_list, split_include};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// One root, read by the rule.
pub(super) struct Start {
    /// The directory to walk, as it is shown in paths (empty for the current directory).
    pub shown: PathBuf,
    /// What its files must pass; `None`: every regular file.
    pub filter: Option<Selection>,
}

impl Start {
    /// The directory to open: `.` for the current directory.
    pub(super) fn dir(&self) -> &Path {
        if self.shown.as_os_str().is_empty() { Path::new(".") } else { &self.shown }
    }
}

/// Reads one typed root by the rule. A pattern that cannot be read (an empty entry in a list) is an error
/// naming the root.
pub(super) fn read_root(typed: &Path, selection: Option<&Selection>) -> Result<Start, Error> {
    let case_insensitive = selection.map_or(platform::CASE_INSENSITIVE_NAMES, Selection::is_case_insensitive);
    let literal = || Start {
        shown: typed.to_path_buf(),
        filter: selection.map(|s| {
            let mut s = s.clone();
            if s.attr_filter().is_none() {
                // A named directory is every file in it: hidden and system ones are not left out by default.
                s.set_attr_filter(AttrFilter::default());
            }
            s
        }),
    };
    let bytes = typed.as_os_str().as_encoded_bytes();
    if bytes.is_empty() || platform::exists_no_follow(typed) {
        return Ok(literal());
    }
    let bad = || Error::new(ErrorKind::Usage, typed);
    let (dir, patterns) = if is_include_list(bytes) {
        let list = split_include(bytes, platform::is_separator_byte).map_err(|_| bad())?;
        (list.dir.clone(), list.patterns(case_insensitive).map_err(|_| bad())?)
    } else {
        let cut = bytes.iter().rposition(|&b| platform::is_separator_byte(b)).map_or(0, |i| i + 1);
        match Pattern::parse(&bytes[cut..]) {
            Ok(pattern) if pattern.has_wildcards() => (bytes[..cut].to_vec(), vec![pattern]),
            _ => return Ok(literal()),
        }
    };
    let mut filter = selection.cloned().unwrap_or_else(|| Selection::new(case_insensitive));
    for pattern in patterns {
        filter.add_pattern(pattern);
    }
    Ok(Start { shown: PathBuf::from(platform::os_string_from_bytes(dir)), filter: Some(filter) })
}

/// Whether the entry `name` of `dir` (a regular file, or of a kind the listing did not tell) passes `filter`:
/// its name first (no system call), then its attributes, times and size, read only when the filter asks for
/// them or the default visibility needs the attributes.
pub(super) fn admits(filter: &Selection, dir: &Dir, name: &OsStr) -> std::io::Result<bool> {
    let bytes = name.as_encoded_bytes();
    if !filter.matches_name(bytes) {
        return Ok(false);
    }
    if !filter.needs_metadata() && filter.attr_filter().is_some() {
        // A bare `/A:` and no range: every name that matched is in.
        return Ok(true);
    }
    let meta = dir.entry_meta(name)?;
    Ok(filter.matches_meta(&candidate(bytes, &meta)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(typed: &str, selection: Option<&Selection>) -> Start {
        read_root(Path::new(typed), selection).unwrap_or_else(|e| panic!("{typed}: {e:?}"))
    }

    #[test]
    fn a_wildcard_in_the_last_component_walks_the_directory_part_with_the_pattern() {
        let start = root("no-such-dir/photos/*.jpg", None);
        assert_eq!(start.shown, Path::new("no-such-dir/photos/"));
        let filter = start.filter.unwrap();
        assert!(filter.matches_name(b"a.jpg") && !filter.matches_name(b"a.png"));
        // As every TCC wildcard: hidden files are left out without `/A:`.
        assert!(filter.attr_filter().is_none());
        let bare = root("*.jpg", None);
        assert_eq!((bare.shown.as_os_str(), bare.dir()), (OsStr::new(""), Path::new(".")));
    }

    #[test]
    fn an_include_list_gives_every_pattern_its_first_directory() {
        let filter = root("no-such-dir/*.jpg;*.png;notes.txt", None).filter.unwrap();
        for name in ["a.jpg", "b.png", "notes.txt"] {
            assert!(filter.matches_name(name.as_bytes()), "{name}");
        }
        assert!(!filter.matches_name(b"notes.md"));
    }

    #[test]
    fn a_plain_root_is_every_file_and_a_selection_lets_hidden_files_in() {
        let dir = tempfile::tempdir().unwrap();
        let typed = dir.path().to_str().unwrap();
        assert!(root(typed, None).filter.is_none());
        let filter = root(typed, Some(&Selection::new(false))).filter.unwrap();
        assert!(filter.attr_filter().is_some_and(|f| *f == AttrFilter::default()));
        // A name with no wildcard that does not exist is a (missing) directory, reported when opened.
        assert!(root("no-such-dir/plain", None).filter.is_none());
    }

    #[test]
    fn an_existing_name_with_wildcard_characters_is_taken_literally() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("a[1]");
        std::fs::create_dir(&odd).unwrap();
        let start = read_root(&odd, None).unwrap();
        assert_eq!(start.shown, odd);
        assert!(start.filter.is_none());
    }
}
