//! The plan: walk the roots through directory handles (never following a link into a directory), read every
//! link, and list the ones the [`Mapping`] re-points, with the text each holds now, the text it will get, and the
//! object it must lead to afterwards.

use super::mapping::Mapping;
use crate::engine::walk::{Event, Flow, walk};
use crate::model::{Error, ErrorKind, Outcome, Sink};
use crate::platform::{self, Dir, EntryInfo, EntryKind};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One link to rewrite.
pub(crate) struct Item {
    /// Which of the plan's roots holds it.
    pub root: usize,
    /// Its directory, relative to that root.
    pub rel_dir: PathBuf,
    /// Its name in that directory.
    pub name: OsString,
    /// Its absolute path after the run, for messages and the journal.
    pub link: PathBuf,
    /// The text it holds now.
    pub previous: PathBuf,
    /// The text it will hold.
    pub stored: PathBuf,
    /// The object it must lead to afterwards; `None` when the new text leads nowhere yet (then the text is what
    /// is checked).
    pub expect: Option<EntryInfo>,
    /// A symbolic link or a junction (kept as it was).
    pub kind: EntryKind,
}

/// The roots, open, and the links to rewrite, in walk order.
pub(crate) struct Plan {
    /// The open roots; items refer to them by index. A root that is renamed afterwards (`--move`) stays valid.
    pub roots: Vec<Dir>,
    /// The links to rewrite.
    pub items: Vec<Item>,
}

/// What a planned link must lead to after the rewrite.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// The object it leads to now (a move keeps every object, only its path changes).
    Current,
    /// The object its new text leads to now (a relink points it somewhere else).
    NewText,
}

/// What to plan.
pub(crate) struct Scope<'a> {
    /// OLD, NEW and the style.
    pub mapping: &'a Mapping,
    /// Only links that do not resolve.
    pub dangling_only: bool,
    /// What each link must lead to afterwards.
    pub expect: Expect,
}

/// Walks each root (`(open directory, absolute path, path as typed)`) and lists the links to rewrite. A root
/// met again inside another is walked once. Unreadable directories and links are reported to `sink` per item.
pub(crate) fn plan(scope: &Scope<'_>, roots: Vec<(Dir, PathBuf, PathBuf)>, sink: &mut dyn Sink) -> Plan {
    let mut plan = Plan { roots: Vec::new(), items: Vec::new() };
    let mut ids: Vec<EntryInfo> = Vec::new();
    let mut walks = Vec::new();
    for (dir, abs, shown) in roots {
        match dir.info() {
            Ok(id) if ids.iter().any(|seen| seen.same_file(&id)) => {}
            Ok(id) => {
                ids.push(id);
                walks.push((dir, abs, shown));
            }
            Err(e) => sink.outcome(Outcome::Failed(Error::from_io(e, &shown))),
        }
    }
    for (index, (dir, abs, shown)) in walks.into_iter().enumerate() {
        let handle = match dir.try_clone() {
            Ok(handle) => handle,
            Err(e) => {
                sink.outcome(Outcome::Failed(Error::from_io(e, &shown)));
                continue;
            }
        };
        plan.roots.push(dir);
        let root = plan.roots.len() - 1;
        let other_roots: Vec<EntryInfo> =
            ids.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, id)| *id).collect();
        walk(handle, &shown, |event| match event {
            Event::Entry { dir, name, kind, rel } => {
                if platform::interrupted() {
                    return Flow::Stop;
                }
                let info = match kind {
                    Some(kind) if other_roots.is_empty() || kind != EntryKind::Directory => kind,
                    _ => match dir.lstat(name) {
                        Ok(info) if other_roots.iter().any(|r| r.same_file(&info)) => return Flow::Next,
                        Ok(info) => info.kind,
                        Err(_) => return Flow::Next,
                    },
                };
                match info {
                    EntryKind::Directory => Flow::Descend,
                    kind if kind.is_link() => {
                        let rel_dir = rel.parent().unwrap_or(Path::new("")).to_path_buf();
                        match consider(scope, dir, name, &abs, rel_dir, kind) {
                            Ok(Some(mut item)) => {
                                item.root = root;
                                plan.items.push(item);
                            }
                            Ok(None) => {}
                            Err(e) => sink.outcome(Outcome::Failed(Error::from_io(e, &abs.join(rel)))),
                        }
                        Flow::Next
                    }
                    _ => Flow::Next,
                }
            }
            Event::Failed(e) => {
                sink.outcome(Outcome::Failed(e));
                Flow::Next
            }
            Event::Enter { .. } | Event::Leave { .. } => Flow::Next,
        });
    }
    if platform::interrupted() {
        sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, ".")));
        plan.items.clear();
    }
    plan
}

/// The item for the link `name` in `dir` (at `root_abs`/`rel_dir`), when the mapping re-points it.
fn consider(
    scope: &Scope<'_>,
    dir: &Dir,
    name: &OsString,
    root_abs: &Path,
    rel_dir: PathBuf,
    kind: EntryKind,
) -> std::io::Result<Option<Item>> {
    let previous = dir.read_link(name)?;
    let dir_abs = root_abs.join(&rel_dir);
    let Some(stored) = scope.mapping.rewrite(&dir_abs, &previous) else {
        return Ok(None);
    };
    let current = dir.stat_follow(name).ok();
    if scope.dangling_only && current.is_some() {
        return Ok(None);
    }
    let dir_after = scope.mapping.dir_after(&dir_abs);
    // A junction holds an absolute path whatever the style asked: its kind is kept.
    let stored = match kind {
        EntryKind::Junction if stored.is_relative() => crate::engine::paths::normalise(&dir_after.join(&stored)),
        _ => stored,
    };
    let expect = match scope.expect {
        Expect::Current => current,
        Expect::NewText => identity_of(&dir_after.join(&stored)),
    };
    let link = dir_after.join(name);
    Ok(Some(Item { root: 0, rel_dir, name: name.clone(), link, previous, stored, expect, kind }))
}

/// The object an absolute path leads to (following links), if any.
pub(crate) fn identity_of(path: &Path) -> Option<EntryInfo> {
    match crate::engine::place::split(path) {
        Some((parent, name)) => Dir::open(parent).ok()?.stat_follow(name).ok(),
        None => Dir::open(path).ok()?.info().ok(),
    }
}
