//! What can be asked of the engine: one [`Request`] holding one [`Operation`], with the paths by role (`link`
//! is the name made or acted on, `target` what it refers to).

use crate::select::Selection;
use std::ffi::OsString;
use std::path::PathBuf;

/// The kind of link to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A symbolic link holding the target text as given.
    Symlink {
        /// Made as a directory link (MKLINK `/D`). On Unix a symlink is the same either way.
        directory: bool,
    },
    /// A new name for an existing file.
    HardLink,
    /// A directory junction. On Unix: a symbolic link holding the absolute, normalised target.
    Junction,
}

/// How the text stored in a symbolic link is made from the target the user typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TargetStyle {
    /// Exactly as typed (MKLINK's behaviour).
    #[default]
    AsTyped,
    /// Relative to the link's directory, after resolving links in that directory (like `ln -r`).
    Relative,
    /// Absolute and lexically normalised.
    Absolute,
}

/// One operation, with the paths by role: `link` is the name made or acted on, `target` what it refers to.
#[derive(Debug, Clone)]
pub enum Operation {
    /// Make a new link of a given kind; never replaces anything (MKLINK).
    Create {
        /// The new name.
        link: PathBuf,
        /// What it refers to, as typed.
        target: PathBuf,
        /// The kind of link.
        kind: LinkKind,
        /// How a symbolic link's stored text is made.
        style: TargetStyle,
    },
    /// MKLNK: link sources to a destination, as typed; the engine decides what each name means (see [`Link`]).
    Link(Link),
    /// Remove a link without touching what it points to; refuse the last name of a file.
    Delete {
        /// The link to remove.
        link: PathBuf,
        /// Remove the name's `DESCRIPT.ION` entry too.
        descriptions: bool,
    },
    /// List the links under some directories.
    List(ListRequest),
    /// Copy a tree as hard links (`--clone`) or as a snapshot against references (`--snapshot`).
    Clone(Box<super::CloneRequest>),
    /// List the other names of a file inside a tree.
    Siblings {
        /// The file whose other names are wanted.
        file: PathBuf,
        /// The tree to search.
        tree: PathBuf,
    },
    /// Tell where a soft link or junction points.
    Query {
        /// The link to read.
        link: PathBuf,
    },
    /// Re-point the links into one place at another (`--relink`).
    Relink(super::RelinkRequest),
    /// Move a tree and re-point the links into it (`--move`).
    Move(super::MoveRequest),
    /// Put back what a journal recorded, last first (`--undo`): the links a relink or move rewrote, or the
    /// names a deduplication merged (each gets its own copy again).
    Undo {
        /// The journal a relink, move or deduplication wrote.
        journal: PathBuf,
    },
    /// Replace files of identical content by hard links to one of them.
    Dedupe(super::DedupeRequest),
    /// Turn names that share their data with other names into independent copies.
    Unshare {
        /// The names.
        paths: Vec<PathBuf>,
    },
    /// Report apparent, allocated, shared and exclusive bytes of each root.
    DiskUsage {
        /// The trees to measure.
        roots: Vec<PathBuf>,
    },
}

/// A request for the engine: one operation and how to carry it out.
#[derive(Debug, Clone)]
pub struct Request {
    /// What to do.
    pub operation: Operation,
    /// Check everything and report what would be done, changing nothing.
    pub dry_run: bool,
}

/// MKLNK's request: the names as typed, and the filters. Nothing here has been looked up on disk: the engine
/// reads every name by one rule, from what is there when it runs.
///
/// * A source name that exists (not following a final link) is that file or directory, even if it holds
///   `[`, `]`, `?`, `*` or `;`. Only a name that does not exist is read as an include list (`a*.txt;b.doc`, a
///   `;` outside `[…]` and quotes) or a wildcard pattern in its last component.
/// * `destination` is a directory that receives each link under its source's name when it ends with a
///   separator, or when it is an existing directory (or a link to one) and the sources are not one single
///   directory: `mklnk DIR LINK` retargets the soft link `LINK`, `mklnk FILE DIR` links inside `DIR`.
/// * Otherwise a `destination` whose last component holds `*` or `?` is a rename pattern
///   ([`RenamePattern`](crate::select::RenamePattern)): each link is named after its source, in the
///   pattern's directory. Two sources giving one name: the second is an error; a produced name that is empty,
///   `.` or `..` is refused for that source.
/// * Otherwise `destination` is the new name: the sources must select exactly one file or directory (several
///   names, an include list or a pattern matching more than one is an [`ErrorKind::Usage`](crate::ErrorKind)
///   error, and nothing is made).
///
/// `/A:` and the ranges in `filters` apply to every source, a single literal one included (a literal name is
/// looked at only when `/A:` or a range is given; exclusions and the `DESCRIPT.ION` rule always apply). A typed
/// name that selects nothing is one "cannot find the file" error. Patterns, exclusions and rename patterns match
/// ignoring ASCII case when `filters` is case-insensitive ([`Selection::new`]).
#[derive(Debug, Clone)]
pub struct Link {
    /// The existing files or directories, patterns or include lists, in the order typed.
    pub sources: Vec<OsString>,
    /// The new name, a directory to link into, or a rename pattern.
    pub destination: OsString,
    /// The `/A:` filter, the ranges and the exclusions (no name patterns), and the case option.
    pub filters: Selection,
    /// Copy each source's `DESCRIPT.ION` entry to its link.
    pub descriptions: bool,
}

impl Link {
    /// One source to one destination, unfiltered, case-sensitive, without descriptions.
    pub fn pair(source: impl Into<OsString>, destination: impl Into<OsString>) -> Link {
        Link {
            sources: vec![source.into()],
            destination: destination.into(),
            filters: Selection::default(),
            descriptions: false,
        }
    }
}

/// Which entries a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListFilter {
    /// Every link: symbolic links, junctions and hard-linked files.
    #[default]
    All,
    /// Only symbolic links whose target is missing or loops.
    Dangling,
    /// Only symbolic links whose target resolves outside the listed tree.
    Escaping,
    /// Only files with more than one name.
    HardLinks,
    /// Only symbolic links and junctions: no regular file is looked at beyond its directory entry.
    SoftLinks,
}

/// A listing of the links under some paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    /// The directories to list (`.` when none was given).
    pub roots: Vec<PathBuf>,
    /// Descend into subdirectories (`/S`).
    pub recursive: bool,
    /// Which entries to show.
    pub filter: ListFilter,
    /// Work out where each link finally leads (for JSON output); costs a path resolution per link.
    pub resolve: bool,
}
