//! The message catalogue: each engine error kind worded as cmd and TCC word it. The Windows texts are facts of
//! those programs and reproduced byte for byte; Unix-only conditions get the closest Windows sentence.

use crate::model::{Error, ErrorKind};
use std::io;

/// The one-sentence message for an error kind, the same on every platform.
pub fn sentence(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::LinkExists => "Cannot create a file when that file already exists.",
        ErrorKind::TargetNotFound | ErrorKind::LinkNotFound | ErrorKind::NoMatch => {
            "The system cannot find the file specified."
        }
        ErrorKind::ParentNotFound => "The system cannot find the path specified.",
        ErrorKind::CrossDevice => "The system cannot move the file to a different disk drive.",
        ErrorKind::TargetIsDirectory | ErrorKind::AccessDenied => "Access is denied.",
        ErrorKind::PrivilegeMissing => "You do not have sufficient privilege to perform this operation.",
        ErrorKind::SymlinksUnsupported => "The device does not support symbolic links.",
        ErrorKind::HardLinksUnsupported => "Local NTFS volumes are required to complete the operation.",
        ErrorKind::NoSpace => "There is not enough space on the disk.",
        ErrorKind::ReadOnly => "The media is write protected.",
        ErrorKind::TooManyLinks => "An attempt was made to create more links on a file than the file system supports.",
        ErrorKind::NameTooLong => "The filename or extension is too long.",
        ErrorKind::Loop => "The name of the file cannot be resolved by the system.",
        ErrorKind::InvalidName => "The filename, directory name, or volume label syntax is incorrect.",
        ErrorKind::NotALink => "The file or directory is not a reparse point.",
        ErrorKind::IsDirectory => "The directory is not a link; /D removes links only.",
        ErrorKind::LastLink => "Not deleted: this is the file's last link, and /D never deletes data.",
        ErrorKind::Raced => "The name was changed by another process meanwhile; nothing was removed.",
        ErrorKind::NotADirectory => "The directory name is invalid.",
        ErrorKind::NotVerified => "The link was rewritten, but it does not lead to the object expected.",
        ErrorKind::Interrupted => "The operation was canceled by the user.",
        ErrorKind::Usage => "The syntax of the command is incorrect.",
        ErrorKind::Other => "The operation failed.",
    }
}

/// What the user can do about an error, for `--verbose`; `None` when the sentence says enough.
pub fn hint(kind: ErrorKind) -> Option<&'static str> {
    match kind {
        ErrorKind::PrivilegeMissing => Some(
            "to make symbolic links, run from an elevated prompt (Run as administrator) or turn on Developer Mode \
             (Settings > System > For developers); for a directory, a junction (/J) needs no privilege",
        ),
        ErrorKind::Usage => Some(
            "a plain new name takes exactly one source; several sources, a pattern or an include list \
             (a*.txt;b.doc: no empty entry, a directory only in the first) link into an existing directory, a name \
             ending in a separator, or a wildcard name such as *.bak",
        ),
        _ => None,
    }
}

/// The sentence for an error; for [`ErrorKind::Other`] the OS's own text, without the "(os error N)" tail.
pub fn error_text(err: &Error) -> String {
    match (err.kind(), err.source_error()) {
        (ErrorKind::Other, Some(os)) => os_text(os),
        (kind, _) => sentence(kind).to_string(),
    }
}

/// The OS's text for an I/O error, with the errno in the form `--verbose` prints.
pub fn os_detail(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(code) => format!("{} (errno {code})", os_text(err)),
        None => os_text(err),
    }
}

fn os_text(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

pub use super::escape::quote;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_privilege_is_worded_as_mklink_words_it() {
        assert_eq!(
            sentence(ErrorKind::PrivilegeMissing),
            "You do not have sufficient privilege to perform this operation."
        );
    }

    #[test]
    fn missing_privilege_hint_names_every_way_out() {
        let text = hint(ErrorKind::PrivilegeMissing).unwrap_or_default();
        assert!(text.contains("elevated"), "{text}");
        assert!(text.contains("Developer Mode"), "{text}");
        assert!(text.contains("junction (/J)"), "{text}");
        assert_eq!(hint(ErrorKind::LinkExists), None);
    }

    #[test]
    fn os_text_drops_the_errno_tail() {
        let err = io::Error::from_raw_os_error(2);
        assert!(!os_text(&err).contains("os error"));
        assert!(os_detail(&err).ends_with("(errno 2)"));
    }
}
