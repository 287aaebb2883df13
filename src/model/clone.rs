//! The vocabulary of the whole-tree copies: `--clone` (a tree of hard links) and `--snapshot` (hard links to
//! unchanged files of a reference, copies of the rest), what each entry became, and the closing summary.

use std::path::PathBuf;

/// What to do with a symbolic link whose target lies outside SOURCE (`--outer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OuterLinks {
    /// Re-create it pointing at the same outside place (the default).
    #[default]
    Keep,
    /// Leave it out of DEST.
    Drop,
    /// Put what it points to in its place: a file is hard-linked (copied when `--link-limit copy` allows and a
    /// link is impossible); a directory or anything else keeps the link, with a warning.
    Follow,
}

/// What to do when a file cannot take one more name (EMLINK) or lies on another device (`--link-limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkLimit {
    /// Report the file as failed; the tree is not published (the default).
    #[default]
    Fail,
    /// Make an independent copy of the file instead.
    Copy,
}

/// A clone or snapshot of a tree.
#[derive(Debug, Clone, Default)]
pub struct CloneRequest {
    /// The tree to copy; never modified.
    pub source: PathBuf,
    /// The new tree; must not exist.
    pub dest: PathBuf,
    /// For a snapshot: earlier copies whose unchanged files are hard-linked instead of copied, first match
    /// wins. Empty for a clone.
    pub refs: Vec<PathBuf>,
    /// A snapshot (`--snapshot`): files not found unchanged in a reference are copied, not linked.
    pub snapshot: bool,
    /// Compare content, not only size, time and mode, before linking from a reference (`--checksum`).
    pub checksum: bool,
    /// Links pointing outside SOURCE.
    pub outer: OuterLinks,
    /// Files at their link limit.
    pub link_limit: LinkLimit,
}

/// Where a symbolic link of SOURCE points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPlace {
    /// Inside SOURCE: the copy points to the same place inside DEST.
    Inside,
    /// Outside SOURCE: the copy points to the same outside place.
    Outside,
}

/// Why a file was copied rather than linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyReason {
    /// Snapshot: no reference holds the same file unchanged.
    Changed,
    /// The file had as many names as its file system allows (`--link-limit copy`).
    LinkLimit,
    /// The file is on another device than DEST (`--outer follow` with `--link-limit copy`).
    OtherDevice,
}

/// What one entry of SOURCE became in DEST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cloned {
    /// A directory, re-created.
    Directory,
    /// A new name of SOURCE's file.
    HardLink,
    /// A new name of the same unchanged file in a reference.
    FromReference {
        /// The reference's file.
        reference: PathBuf,
    },
    /// An independent copy.
    Copied {
        /// Why.
        reason: CopyReason,
    },
    /// A symbolic link, re-created.
    Symlink {
        /// The text SOURCE's link holds.
        original: PathBuf,
        /// The text DEST's link holds.
        stored: PathBuf,
        /// Inside or outside SOURCE.
        place: LinkPlace,
        /// Following it reaches nothing (or loops).
        dangling: bool,
    },
    /// An outside link replaced by a hard link to the file it points to (`--outer follow`).
    Followed {
        /// The file it pointed to.
        target: PathBuf,
    },
    /// An outside link left out (`--outer drop`).
    Dropped {
        /// The text it held.
        original: PathBuf,
    },
    /// A FIFO, socket or device, re-created.
    Special,
}

/// One entry of the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClonedItem {
    /// The entry's path under DEST, as DEST was typed (its final name, even while the tree is being built).
    pub path: PathBuf,
    /// What it became.
    pub what: Cloned,
}

/// Counts of a finished (or abandoned) copy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloneSummary {
    /// SOURCE as typed.
    pub source: PathBuf,
    /// DEST as typed.
    pub dest: PathBuf,
    /// Directories made (the top one included).
    pub directories: u64,
    /// Files hard-linked to SOURCE.
    pub hard_links: u64,
    /// Files hard-linked from a reference.
    pub from_reference: u64,
    /// Files copied.
    pub copied: u64,
    /// Symbolic links made.
    pub symlinks: u64,
    /// Of those, links whose text had to change to point to the same place.
    pub repointed: u64,
    /// Of those, links pointing outside SOURCE.
    pub outside: u64,
    /// Of those, links leading nowhere.
    pub dangling: u64,
    /// Outside links replaced by what they point to.
    pub followed: u64,
    /// Outside links left out.
    pub dropped: u64,
    /// FIFOs, sockets and devices made.
    pub special: u64,
    /// Entries skipped with a warning.
    pub skipped: u64,
    /// Entries that failed.
    pub failed: u64,
    /// DEST now exists and is complete.
    pub published: bool,
    /// When not published: where the partial tree was kept (`None`: it was removed, or never made).
    pub kept: Option<PathBuf>,
    /// Nothing was changed: this is the plan.
    pub dry_run: bool,
    /// The run was a snapshot (`--snapshot`), not a clone.
    pub snapshot: bool,
}
