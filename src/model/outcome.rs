//! What the engine reports: one [`Outcome`] per item, [`Warning`]s, and the [`Sink`] that receives them.

use super::{Error, FileTime, LinkKind};
use std::path::PathBuf;

/// What a listed entry is, as DIR tags it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTag {
    /// `<SYMLINK>`: a symbolic link to a file, or a dangling one.
    Symlink,
    /// `<SYMLINKD>`: a symbolic link that resolves to a directory.
    SymlinkDir,
    /// `<JUNCTION>`: a mount-point reparse point (Windows only).
    Junction,
    /// `<HARDLINK:n>`: a file with `n` names.
    HardLink(u64),
}

/// Whether following a link reaches something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// The target exists.
    Resolves,
    /// The target is missing.
    Dangling,
    /// Following the link loops.
    Loop,
}

/// One listed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEntry {
    /// The entry's path: the root as typed joined with the path below it.
    pub path: PathBuf,
    /// What it is.
    pub tag: LinkTag,
    /// The text a link holds (`None` for a hard-linked file).
    pub target: Option<PathBuf>,
    /// Where the link finally leads, when asked for and known.
    pub resolved: Option<PathBuf>,
    /// Whether the link resolves.
    pub state: LinkState,
    /// The entry's number of names.
    pub nlink: u64,
    /// Last write time of the entry itself: seconds and nanoseconds since the Unix epoch.
    pub modified: FileTime,
}

/// What a delete removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// A symbolic link or junction; its target is untouched.
    SoftLink {
        /// The text the link held.
        target: PathBuf,
    },
    /// One name of a file that keeps `remaining` other names.
    HardLinkName {
        /// How many names the file still has.
        remaining: u64,
    },
}

/// The result of one item.
#[derive(Debug)]
pub enum Outcome {
    /// A new link was made (or, in a dry run, would be).
    Created {
        /// The kind made.
        kind: LinkKind,
        /// The new name, as typed (or the directory joined with the file name).
        link: PathBuf,
        /// The target, as typed.
        target: PathBuf,
        /// The text stored in a symbolic link or junction; the target for a hard link.
        stored: PathBuf,
    },
    /// An existing soft link was pointed somewhere else, atomically.
    Updated {
        /// The link, as typed.
        link: PathBuf,
        /// The new target, as typed.
        target: PathBuf,
        /// The text now stored.
        stored: PathBuf,
        /// The text the link held before.
        previous: PathBuf,
    },
    /// A link was removed.
    Deleted {
        /// The name removed, as typed.
        link: PathBuf,
        /// What it was.
        removed: Removed,
    },
    /// A link was read.
    Queried {
        /// The link, as typed.
        link: PathBuf,
        /// The text it holds.
        target: PathBuf,
    },
    /// A link found by a listing.
    Listed(Box<LinkEntry>),
    /// Another name of the file asked about.
    Sibling {
        /// The other name.
        path: PathBuf,
    },
    /// A link's text was rewritten atomically (or, in a dry run, would be), and checked afterwards.
    Relinked {
        /// The link (where it is after the run).
        link: PathBuf,
        /// The text it held.
        previous: PathBuf,
        /// The text it holds now.
        stored: PathBuf,
    },
    /// A tree was renamed (or, in a dry run, would be).
    Moved {
        /// Its old name.
        source: PathBuf,
        /// Its new name.
        dest: PathBuf,
    },
    /// Where the journal of the rewrites was written; `--undo` with it puts them back.
    Journal {
        /// The journal file.
        path: PathBuf,
    },
    /// One entry of a tree copy.
    Cloned(Box<super::ClonedItem>),
    /// A tree copy ended (published, or not): the counts.
    CloneDone(Box<super::CloneSummary>),
    /// One item of deduplication, undo, unshare or disk usage.
    Tree(super::TreeItem),
    /// The item failed; nothing was changed for it.
    Failed(Error),
}

/// Something worth telling that does not stop the operation.
#[derive(Debug)]
pub enum Warning {
    /// A relative symlink target does not exist from the link's directory but does from the current one.
    TargetOnlyFromCwd {
        /// The target as typed.
        target: PathBuf,
        /// What would reach the same thing from the link's directory.
        suggestion: PathBuf,
    },
    /// The link points at itself or at a directory that contains it: following it loops.
    Loop {
        /// The link.
        link: PathBuf,
    },
    /// The link was made but its description could not be copied or removed.
    Description(Error),
    /// A tree copy left an entry out (a device without privilege, a socket the file system refuses) or could not
    /// carry over one of its properties (owner, times, extended attributes); the copy goes on.
    Skipped(Error),
}

/// Receives what the engine did, item by item, as it happens.
pub trait Sink {
    /// One item's result.
    fn outcome(&mut self, outcome: Outcome);
    /// A warning about the item in progress.
    fn warning(&mut self, warning: Warning);
    /// The operation links several sources, or sources chosen by a pattern or an include list: a batch, which
    /// MKLNK ends with a line counting links and errors. Called at most once, before the first outcome.
    fn batch_started(&mut self) {}
}

/// Everything the engine reported, kept in order, for programs that want the results as values.
#[derive(Debug, Default)]
pub struct Collected {
    /// The outcomes, in order.
    pub outcomes: Vec<Outcome>,
    /// The warnings, in order.
    pub warnings: Vec<Warning>,
    /// The engine said the run is a batch ([`Sink::batch_started`]).
    pub batch: bool,
}

impl Sink for Collected {
    fn outcome(&mut self, outcome: Outcome) {
        self.outcomes.push(outcome);
    }
    fn warning(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }
    fn batch_started(&mut self) {
        self.batch = true;
    }
}
