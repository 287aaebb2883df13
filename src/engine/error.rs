//! The engine's one error type: what went wrong in the user's terms, the path it concerns, and the OS error
//! behind it. It holds no front-end wording: `report/` turns it into cmd or TCC text.

use super::place::At;
use crate::platform::{self, EntryKind, Fault};
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
    /// The run was interrupted (Ctrl-C, SIGTERM, SIGHUP) before this item; what was done before stands.
    Interrupted,
    /// Any other failure of the operating system.
    Other,
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

    /// Classifies a failed `symlink` or `link` call that was to create `link` (a hard link to the file `target`
    /// when `target` is given). Only after a failure does it look again at the two names, through their open
    /// directories, to word the error as cmd does.
    pub(crate) fn from_create(err: io::Error, link: At<'_>, target: Option<At<'_>>) -> Error {
        let hard = target.is_some();
        let kind = match platform::fault(&err) {
            Fault::Exists => ErrorKind::LinkExists,
            Fault::NotFound if let Some(t) = target.filter(|t| t.dir.lstat(t.name).is_err()) => {
                return Error::with_source(ErrorKind::TargetNotFound, t.shown, err);
            }
            Fault::NotFound | Fault::NotADirectory => ErrorKind::ParentNotFound,
            Fault::Denied
                if let Some(t) =
                    target.filter(|t| t.dir.lstat(t.name).is_ok_and(|i| i.kind == EntryKind::Directory)) =>
            {
                return Error::with_source(ErrorKind::TargetIsDirectory, t.shown, err);
            }
            Fault::Denied | Fault::Unsupported if platform::lacks_link_support(link.dir) => unsupported(hard),
            Fault::Unsupported => unsupported(hard),
            fault => ErrorKind::from_fault(fault),
        };
        Error::with_source(kind, link.shown, err)
    }

    /// Classifies a failed call on an existing name (lstat, rename, unlink).
    pub(crate) fn from_io(err: io::Error, path: &Path) -> Error {
        let kind = match platform::fault(&err) {
            Fault::NotFound => ErrorKind::TargetNotFound,
            Fault::NotADirectory => ErrorKind::ParentNotFound,
            fault => ErrorKind::from_fault(fault),
        };
        Error::with_source(kind, path, err)
    }
}

fn unsupported(hard: bool) -> ErrorKind {
    if hard { ErrorKind::HardLinksUnsupported } else { ErrorKind::SymlinksUnsupported }
}

/// The directory holding `path`, `.` for a bare name.
pub(crate) fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl ErrorKind {
    fn from_fault(fault: Fault) -> ErrorKind {
        match fault {
            Fault::Exists => ErrorKind::LinkExists,
            Fault::NotFound => ErrorKind::TargetNotFound,
            Fault::Denied => ErrorKind::AccessDenied,
            Fault::CrossDevice => ErrorKind::CrossDevice,
            Fault::NoSpace => ErrorKind::NoSpace,
            Fault::ReadOnly => ErrorKind::ReadOnly,
            Fault::TooManyLinks => ErrorKind::TooManyLinks,
            Fault::NameTooLong => ErrorKind::NameTooLong,
            Fault::Loop => ErrorKind::Loop,
            Fault::NotADirectory => ErrorKind::ParentNotFound,
            Fault::IsADirectory => ErrorKind::IsDirectory,
            Fault::Unsupported => ErrorKind::SymlinksUnsupported,
            Fault::PrivilegeMissing => ErrorKind::PrivilegeMissing,
            Fault::Other => ErrorKind::Other,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.path.display())?;
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
