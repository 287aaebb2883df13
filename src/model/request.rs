//! What can be asked of the engine: one [`Request`] holding one [`Operation`], with the paths by role (`link`
//! is the name made or acted on, `target` what it refers to).

use crate::select::{Pattern, Selection};
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
    /// Link to an existing file (hard link) or directory (junction), or retarget an existing soft link to the
    /// directory (MKLNK). A `link` naming an existing directory receives the file under its own name.
    Make {
        /// The existing file or directory.
        target: PathBuf,
        /// The new name, or an existing soft link to retarget, or an existing directory to link into.
        link: PathBuf,
        /// Copy the target's `DESCRIPT.ION` entry to the new name.
        descriptions: bool,
    },
    /// Remove a link without touching what it points to; refuse the last name of a file.
    Delete {
        /// The link to remove.
        link: PathBuf,
        /// Remove the name's `DESCRIPT.ION` entry too.
        descriptions: bool,
    },
    /// Hard-link many sources into one directory (MKLNK with wildcards, lists or filters).
    Batch(Batch),
    /// List the links under some directories.
    List(ListRequest),
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
}

/// A request for the engine: one operation and how to carry it out.
#[derive(Debug, Clone)]
pub struct Request {
    /// What to do.
    pub operation: Operation,
    /// Check everything and report what would be done, changing nothing.
    pub dry_run: bool,
}

/// One name on the command line as a source: a literal name or a wildcard pattern.
#[derive(Debug, Clone)]
pub enum SourceName {
    /// A name taken as it is (no wildcards, or brackets that exactly name an existing file).
    Literal(OsString),
    /// A wildcard pattern matched against the directory's entries.
    Pattern(Pattern),
}

/// The sources of one name on the line: a plain name or pattern, or an include list (`a*.txt;b.doc`), all in
/// one directory.
#[derive(Debug, Clone)]
pub struct SourceGroup {
    /// The directory the names are in (empty for the current directory).
    pub dir: PathBuf,
    /// The names and patterns.
    pub names: Vec<SourceName>,
    /// The group as typed, for the "matches nothing" message.
    pub typed: OsString,
}

/// A batch of hard links into one directory.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The source groups, in the order typed.
    pub groups: Vec<SourceGroup>,
    /// The `/A:` filter, the ranges and the exclusions, shared by every source (no name patterns).
    pub filters: Selection,
    /// The existing directory that receives the links.
    pub link_dir: PathBuf,
    /// Copy each source's `DESCRIPT.ION` entry to its link.
    pub descriptions: bool,
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
