//! The engine's side of the error type (`model::Error`): classifying what the operating system said into an
//! [`ErrorKind`], through the open directories, in the user's terms.

use super::place::At;
use super::{Error, ErrorKind};
use crate::platform::{self, EntryKind, Fault};
use std::io;
use std::path::Path;

impl Error {
    /// Classifies a failed `symlink` or `link` call that was to create `link` (a hard link to the file `target`
    /// when `target` is given). Only after a failure does it look again at the two names, through their open
    /// directories, to word the error as cmd does.
    pub(crate) fn from_create(err: io::Error, link: At<'_>, target: Option<At<'_>>) -> Error {
        let hard = target.is_some();
        let fault = platform::fault(&err);
        // The target is looked at again only for the two faults it can explain.
        let blamed = match fault {
            Fault::NotFound => target.filter(|t| t.dir.lstat(t.name).is_err()).map(|t| (ErrorKind::TargetNotFound, t)),
            Fault::Denied => target
                .filter(|t| t.dir.lstat(t.name).is_ok_and(|i| i.kind == EntryKind::Directory))
                .map(|t| (ErrorKind::TargetIsDirectory, t)),
            _ => None,
        };
        if let Some((kind, t)) = blamed {
            return Error::with_source(kind, t.shown, err);
        }
        let kind = match fault {
            Fault::Exists => ErrorKind::LinkExists,
            Fault::NotFound | Fault::NotADirectory => ErrorKind::ParentNotFound,
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
