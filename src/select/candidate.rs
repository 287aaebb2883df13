//! The metadata of one directory entry, as the selection predicates see it.
//!
//! This is plain data filled in by the caller (the directory walker); nothing in this module, or in the
//! predicates that read it, touches the file system.

use jiff::Timestamp;

use super::attrs::Attributes;

/// One directory entry offered to a [`Selection`](super::Selection).
///
/// `is_dir` and `is_symlink` describe the entry itself (as `lstat` sees it), not what a symlink points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// The final name component, raw bytes.
    pub name: &'a [u8],
    /// The entry is a directory.
    pub is_dir: bool,
    /// The entry is a symbolic link (or junction / reparse point).
    pub is_symlink: bool,
    /// Size in bytes.
    pub size: u64,
    /// Last write time.
    pub modified: Timestamp,
    /// Last access time.
    pub accessed: Timestamp,
    /// Creation (birth) time, when the platform and file system report it.
    pub created: Option<Timestamp>,
    /// The `/A:` attributes.
    pub attrs: Attributes,
}

impl<'a> Candidate<'a> {
    /// A regular file with the given name: size 0, all times at the Unix epoch, no creation time, no attributes.
    /// Handy for tests and for callers that fill in only what [`Selection::needs_metadata`] asks for.
    ///
    /// [`Selection::needs_metadata`]: super::Selection::needs_metadata
    pub fn file(name: &'a [u8]) -> Self {
        Self {
            name,
            is_dir: false,
            is_symlink: false,
            size: 0,
            modified: Timestamp::UNIX_EPOCH,
            accessed: Timestamp::UNIX_EPOCH,
            created: None,
            attrs: Attributes::NONE,
        }
    }
}
