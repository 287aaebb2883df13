//! Where a name the user typed lives: its directory, opened once at the edge, and its final component. Every
//! later step on that name is a call relative to the open directory, so renaming or swapping any directory on
//! the way meanwhile cannot redirect the work elsewhere nor strand a temporary name.

use super::{Error, ErrorKind};
use crate::platform::{Dir, EntryInfo};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// A typed path resolved at the edge: the directory that holds the name, open, and the name inside it.
pub(crate) struct Place {
    /// The directory holding the name (the typed path's parent, followed if it is a link: the user named it).
    pub dir: Dir,
    /// The final component.
    pub name: OsString,
    /// The path as typed, for messages.
    pub shown: PathBuf,
}

/// The parent to open and the final component of `path`; `None` when the path has no final name (`/`, `..`,
/// an empty path), i.e. it names a directory by a form that cannot be a link's name.
pub(crate) fn split(path: &Path) -> Option<(&Path, &OsStr)> {
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some((parent, name))
}

/// Whether the typed path ends with a separator (or `/.`), which asks for the directory a link leads to
/// rather than the link itself.
pub(crate) fn names_a_directory(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.last().is_some_and(|&b| crate::platform::is_separator_byte(b))
        || (bytes.ends_with(b".") && bytes.len() >= 2 && crate::platform::is_separator_byte(bytes[bytes.len() - 2]))
}

impl Place {
    /// Opens the directory holding `path`. `missing` is the error kind when that directory cannot be found (a
    /// link's parent missing is "cannot find the path"; an existing name's, "cannot find the file").
    ///
    /// # Errors
    /// `no_name` when the path has no final component; otherwise what opening the directory says.
    pub(crate) fn open(path: &Path, missing: ErrorKind, no_name: ErrorKind) -> Result<Place, Error> {
        let Some((parent, name)) = split(path) else {
            return Err(Error::new(no_name, path));
        };
        let dir = Dir::open(parent).map_err(|e| {
            let err = Error::from_io(e, path);
            match err.kind() {
                ErrorKind::TargetNotFound => err.with_kind(missing),
                _ => err,
            }
        })?;
        Ok(Place { dir, name: name.to_os_string(), shown: path.to_path_buf() })
    }

    /// The name as a borrowed [`At`].
    pub(crate) fn at(&self) -> At<'_> {
        At { dir: &self.dir, name: &self.name, shown: &self.shown }
    }
}

/// A name inside an open directory, borrowed: what every engine step on one name works with.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    /// The open directory holding the name.
    pub dir: &'a Dir,
    /// The name inside it.
    pub name: &'a OsStr,
    /// The path as the user sees it, for messages.
    pub shown: &'a Path,
}

impl At<'_> {
    /// What the name is, without following a link.
    pub(crate) fn lstat(&self) -> Result<EntryInfo, Error> {
        self.dir.lstat(self.name).map_err(|e| Error::from_io(e, self.shown))
    }
}
