//! The one error type: what went wrong in the user's terms, the path it concerns, and the OS error behind it. It
//! holds no front-end wording: `report/` turns it into cmd or TCC text, and names each kind for JSON.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What went wrong, in the user's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The link name already exists (as a file, directory or link, even a dangling one).
    LinkExists,
    /// The existing file or directory to link to is missing.
    TargetNotFound,
    /// The link to delete or show is missing.
    LinkNotFound,
    /// A wildcard pattern or include list selected no file.
    NoMatch,
    /// The directory that should hold the link is missing, or a component of its path is not a directory.
    ParentNotFound,
    /// A hard link was asked across two devices (volumes).
    CrossDevice,
    /// A hard link was asked to a directory.
    TargetIsDirectory,
    /// Permission denied.
    AccessDenied,
    /// The user may not make symbolic links here (Windows without elevation or Developer Mode).
    PrivilegeMissing,
    /// The file system cannot hold symbolic links.
    SymlinksUnsupported,
    /// The file system cannot hold hard links.
    HardLinksUnsupported,
    /// No space left on the device.
    NoSpace,
    /// The file system is read-only.
    ReadOnly,
    /// The file has as many hard links as the file system allows.
    TooManyLinks,
    /// A name or path is too long.
    NameTooLong,
    /// A loop of symbolic links stood in the path.
    Loop,
    /// The link name holds a character that would name a stream rather than a file (`:`).
    InvalidName,
    /// The name is not a symbolic link or junction (query, delete).
    NotALink,
    /// The name is a real directory, which delete never removes.
    IsDirectory,
    /// The name is the file's last link: deleting it would destroy the data.
    LastLink,
    /// A concurrent process changed the name while we worked on it; nothing was lost. When the original entry
    /// could not be put back under its own name, [`Error::kept`] says where it is.
    Raced,
    /// A listing was asked of something that is neither a directory nor a link or hard-linked file to show.
    NotADirectory,
    /// A link was rewritten, but afterwards it did not lead to the object the plan expected (something changed
    /// it or its target meanwhile); the journal holds the rewrite, so `--undo` can put it back.
    NotVerified,
    /// The run was interrupted (Ctrl-C, SIGTERM, SIGHUP) before this item; what was done before stands.
    Interrupted,
    /// The names do not fit together (several sources for one plain new name, a malformed include list): a
    /// usage error found only once the names were looked up; nothing was done.
    Usage,
    /// Any other failure of the operating system.
    Other,
}

impl ErrorKind {
    /// A stable machine name for the kind (`link_exists`, `last_link`, …), as JSON output gives it; it never
    /// changes once released, whatever the wording of the message.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::LinkExists => "link_exists",
            ErrorKind::TargetNotFound => "target_not_found",
            ErrorKind::LinkNotFound => "link_not_found",
            ErrorKind::NoMatch => "no_match",
            ErrorKind::ParentNotFound => "parent_not_found",
            ErrorKind::CrossDevice => "cross_device",
            ErrorKind::TargetIsDirectory => "target_is_directory",
            ErrorKind::AccessDenied => "access_denied",
            ErrorKind::PrivilegeMissing => "privilege_missing",
            ErrorKind::SymlinksUnsupported => "symlinks_unsupported",
            ErrorKind::HardLinksUnsupported => "hard_links_unsupported",
            ErrorKind::NoSpace => "no_space",
            ErrorKind::ReadOnly => "read_only",
            ErrorKind::TooManyLinks => "too_many_links",
            ErrorKind::NameTooLong => "name_too_long",
            ErrorKind::Loop => "loop",
            ErrorKind::InvalidName => "invalid_name",
            ErrorKind::NotALink => "not_a_link",
            ErrorKind::IsDirectory => "is_directory",
            ErrorKind::LastLink => "last_link",
            ErrorKind::Raced => "raced",
            ErrorKind::NotADirectory => "not_a_directory",
            ErrorKind::NotVerified => "not_verified",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::Usage => "usage",
            ErrorKind::Other => "other",
        }
    }
}

/// An engine error: the kind, the path it concerns and, when the OS refused a call, its error.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    path: PathBuf,
    source: Option<io::Error>,
    kept: Option<PathBuf>,
}

impl Error {
    /// An error of `kind` about `path`, with no OS error behind it.
    pub fn new(kind: ErrorKind, path: impl Into<PathBuf>) -> Error {
        Error { kind, path: path.into(), source: None, kept: None }
    }

    /// An error of `kind` about `path`, caused by the OS error `source`.
    pub fn with_source(kind: ErrorKind, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error { kind, path: path.into(), source: Some(source), kept: None }
    }

    /// The same error, reworded as another kind (the path and OS error stay).
    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Error {
        self.kind = kind;
        self
    }

    /// Records where an entry displaced by a race is kept.
    pub fn kept_at(mut self, kept: PathBuf) -> Error {
        self.kept = Some(kept);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The path the error concerns, as the user typed it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The OS error behind it, if any.
    pub fn source_error(&self) -> Option<&io::Error> {
        self.source.as_ref()
    }

    /// For [`ErrorKind::Raced`]: where the displaced entry is kept, when it could not be put back.
    pub fn kept(&self) -> Option<&Path> {
        self.kept.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.path.display())?;
        if let Some(e) = &self.source {
            write!(f, ": {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_names_are_snake_case_and_distinct() {
        let kinds = [
            ErrorKind::LinkExists,
            ErrorKind::TargetNotFound,
            ErrorKind::LinkNotFound,
            ErrorKind::NoMatch,
            ErrorKind::ParentNotFound,
            ErrorKind::CrossDevice,
            ErrorKind::TargetIsDirectory,
            ErrorKind::AccessDenied,
            ErrorKind::PrivilegeMissing,
            ErrorKind::SymlinksUnsupported,
            ErrorKind::HardLinksUnsupported,
            ErrorKind::NoSpace,
            ErrorKind::ReadOnly,
            ErrorKind::TooManyLinks,
            ErrorKind::NameTooLong,
            ErrorKind::Loop,
            ErrorKind::InvalidName,
            ErrorKind::NotALink,
            ErrorKind::IsDirectory,
            ErrorKind::LastLink,
            ErrorKind::Raced,
            ErrorKind::NotADirectory,
            ErrorKind::NotVerified,
            ErrorKind::Interrupted,
            ErrorKind::Usage,
            ErrorKind::Other,
        ];
        let names: std::collections::BTreeSet<_> = kinds.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), kinds.len());
        assert!(names.iter().all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        assert_eq!(ErrorKind::LastLink.name(), "last_link");
    }
}
