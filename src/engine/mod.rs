//! The rules of the spec, written once: create, update, delete and query links.
//!
//! The engine takes a typed [`Request`], acts through `platform/`, and hands one [`Outcome`] per item (and any
//! [`Warning`]) to a [`Sink`]. It never prints, never prompts and keeps no global state, so [`run`] can be called
//! any number of times in one process and by either front-end or another Rust program.

mod batch;
mod clone;
mod create;
mod dedupe;
mod delete;
mod du;
mod error;
mod hex;
mod link;
mod list;
mod paths;
mod place;
mod relink;
mod unshare;
mod walk;

pub use crate::model::{
    DedupeRequest, DedupeSummary, DiskUsage, Error, ErrorKind, Link, LinkEntry, LinkKind, LinkState, LinkTag,
    ListFilter, ListRequest, Operation, Outcome, Removed, Request, Sink, SkipReason, TargetStyle, TreeItem, Warning,
};
pub use paths::{absolute_normalised, relative_target};

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
        Operation::Delete { link, descriptions } => delete::delete(link, *descriptions, dry, sink),
        Operation::Query { link } => delete::query(link),
        Operation::Link(l) => return link::run(l, dry, sink),
        Operation::List(request) => return list::list(request, sink),
        Operation::Relink(r) => return relink::relink(r, dry, sink),
        Operation::Move(m) => return relink::move_tree(m, dry, sink),
        // One --undo for every journal: a deduplication's says so in its first line.
        Operation::Undo { journal } if dedupe::journal::is_dedupe_journal(journal) => {
            return dedupe::journal::undo(journal, dry, sink);
        }
        Operation::Undo { journal } => return relink::undo(journal, dry, sink),
        Operation::Clone(request) => return clone::run(request, dry, sink),
        Operation::Dedupe(d) => return dedupe::run(d, dry, sink),
        Operation::Unshare { paths } => return unshare::run(paths, dry, sink),
        Operation::DiskUsage { roots } => return du::run(roots, sink),
        Operation::Siblings { file, tree } => match list::siblings(file, tree, sink) {
            Ok(()) => return,
            Err(e) => Err(e),
        },
    };
    sink.outcome(result.unwrap_or_else(Outcome::Failed));
}
