//! The rules of the spec, written once: create, update, delete and query links.
//!
//! The engine takes a typed [`Request`], acts through `platform/`, and hands one [`Outcome`] per item (and any
//! [`Warning`]) to a [`Sink`]. It never prints, never prompts and keeps no global state, so [`run`] can be called
//! any number of times in one process and by either front-end or another Rust program.

mod batch;
mod create;
mod delete;
mod error;
mod list;
mod paths;
mod place;
mod walk;

pub use batch::{Batch, SourceGroup, SourceName};
pub use error::{Error, ErrorKind};
pub use list::{LinkEntry, LinkState, LinkTag, ListFilter, ListRequest};
pub use paths::{absolute_normalised, relative_target};

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
}

/// Receives what the engine did, item by item, as it happens.
pub trait Sink {
    /// One item's result.
    fn outcome(&mut self, outcome: Outcome);
    /// A warning about the item in progress.
    fn warning(&mut self, warning: Warning);
}

/// Everything the engine reported, kept in order, for programs that want the results as values.
#[derive(Debug, Default)]
pub struct Collected {
    /// The outcomes, in order.
    pub outcomes: Vec<Outcome>,
    /// The warnings, in order.
    pub warnings: Vec<Warning>,
}

impl Sink for Collected {
    fn outcome(&mut self, outcome: Outcome) {
        self.outcomes.push(outcome);
    }
    fn warning(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }
}

/// Carries out `request`, reporting each item to `sink`.
///
/// # Examples
/// ```
/// use mklink::{run, Collected, LinkKind, Operation, Outcome, Request, TargetStyle};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("data.txt"), "kept").unwrap();
/// let link = dir.path().join("copy.txt");
/// let request = Request {
///     operation: Operation::Create {
///         link: link.clone(),
///         target: dir.path().join("data.txt"),
///         kind: LinkKind::HardLink,
///         style: TargetStyle::AsTyped,
///     },
///     dry_run: false,
/// };
/// let mut results = Collected::default();
/// run(&request, &mut results);
/// assert!(matches!(results.outcomes[0], Outcome::Created { .. }));
/// assert_eq!(std::fs::read_to_string(&link).unwrap(), "kept");
/// ```
pub fn run(request: &Request, sink: &mut dyn Sink) {
    let dry = request.dry_run;
    let result = match &request.operation {
        Operation::Create { link, target, kind, style } => create::create(link, target, *kind, *style, dry, sink),
        Operation::Make { target, link, descriptions } => create::make(target, link, *descriptions, dry, sink),
        Operation::Delete { link, descriptions } => delete::delete(link, *descriptions, dry, sink),
        Operation::Query { link } => delete::query(link),
        Operation::Batch(b) => return batch::run(b, dry, sink),
        Operation::List(request) => return list::list(request, sink),
        Operation::Siblings { file, tree } => match list::siblings(file, tree, sink) {
            Ok(()) => return,
            Err(e) => Err(e),
        },
    };
    sink.outcome(result.unwrap_or_else(Outcome::Failed));
}
