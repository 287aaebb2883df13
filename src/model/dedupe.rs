//! The vocabulary of the whole-tree storage operations: deduplication into hard links (and its undo), turning a
//! shared name back into an independent copy, and disk usage that tells shared from exclusive bytes.

use crate::platform::CopyMethod;
use crate::select::Selection;
use std::path::PathBuf;

/// Find files with identical content under some roots and make them names of one file.
#[derive(Debug, Clone, Default)]
pub struct DedupeRequest {
    /// The trees to search, as typed; files are merged across roots when they are on the same device. A root
    /// that does not exist and whose last component holds a wildcard (or is an include list) names the files of
    /// matching names anywhere under its directory part (see `docs/dedupe.md`); the engine decides that from
    /// what is on disk.
    pub roots: Vec<PathBuf>,
    /// The TCC selection typed with the roots (`/A:`, the date, time, size and exclusion ranges, `/C`), applied
    /// to every file while walking; `None` when none was typed (every regular file is considered).
    pub selection: Option<Selection>,
    /// Link on equal full hashes (BLAKE3) without comparing the two files byte by byte first.
    pub trust_hash: bool,
    /// Merge files of different owners and groups (the kept file's owner then applies to every name).
    pub ignore_owner: bool,
    /// Merge files of different permission bits (the kept file's mode then applies to every name).
    pub ignore_mode: bool,
    /// Where to write the journal that undoes the run (`None`: no journal).
    pub journal: Option<PathBuf>,
    /// The hash cache that spares later runs reading unchanged files (`None`: no cache).
    pub cache: Option<PathBuf>,
}

/// Why an item was left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The file changed (identity, size, write or change time) since it was read: it is left as it is.
    Changed,
    /// The byte comparison found a difference the hashes did not: the two files stay apart.
    Differs,
    /// Unshare: the name is the file's only name already.
    NotShared,
    /// Unshare or undo: the name is not a regular file.
    NotRegular,
}

impl SkipReason {
    /// A stable machine name for JSON.
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::Changed => "changed",
            SkipReason::Differs => "differs",
            SkipReason::NotShared => "not_shared",
            SkipReason::NotRegular => "not_regular",
        }
    }
}

/// Disk usage of one root, each inode counted once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiskUsage {
    /// The root, as typed.
    pub root: PathBuf,
    /// Sum of the sizes (what `du --apparent-size` reports).
    pub apparent: u64,
    /// Sum of the allocated blocks (what `du` reports).
    pub allocated: u64,
    /// Allocated bytes of inodes found under the root that also have names outside it.
    pub shared_outside: u64,
    /// Allocated bytes only this root holds: what deleting the root alone would free.
    pub exclusive: u64,
    /// Entries seen (every name, directories included).
    pub entries: u64,
    /// Distinct inodes seen.
    pub inodes: u64,
}

/// Totals of a deduplication run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DedupeSummary {
    /// Regular files found (names).
    pub files: u64,
    /// Files whose content had to be read (their size matched another file's).
    pub read: u64,
    /// Bytes read to hash and compare.
    pub bytes_read: u64,
    /// Groups of identical content found.
    pub groups: u64,
    /// Names replaced by a link (or that would be, in a dry run).
    pub merged: u64,
    /// Names left alone (changed during the run, or not identical after all).
    pub skipped: u64,
    /// Allocated bytes freed (or that would be): blocks of inodes whose last name went.
    pub freed: u64,
    /// The journal written, if any.
    pub journal: Option<PathBuf>,
}

/// One item of a whole-tree storage operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeItem {
    /// `name` is now (or would be) another name of `kept`.
    Merged {
        /// The file kept.
        kept: PathBuf,
        /// The duplicate replaced by a link to it.
        name: PathBuf,
        /// Their size in bytes.
        size: u64,
        /// Allocated bytes this replacement frees (the duplicate's inode lost its last name), else 0.
        freed: u64,
    },
    /// A name left alone.
    Skipped {
        /// The name.
        name: PathBuf,
        /// Why.
        reason: SkipReason,
    },
    /// Undo: the name has its own copy of the data again, with its original metadata.
    Restored {
        /// The name.
        name: PathBuf,
    },
    /// Unshare: the name now holds an independent copy of the data.
    Unshared {
        /// The name.
        name: PathBuf,
        /// How the data was copied.
        method: CopyMethod,
    },
    /// Disk usage of one root.
    Usage(DiskUsage),
    /// The totals of a deduplication run.
    Summary(DedupeSummary),
}
