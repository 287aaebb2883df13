//! A depth-first walk of a tree through directory handles, for the whole-tree operations (clone, snapshot,
//! relink, dedupe, disk usage).
//!
//! Every subdirectory is opened from its parent's open handle without following a link (see
//! [`Dir::open_subdir`]), so the walk never leaves the tree it started in: a link is an entry like any other,
//! and a directory swapped for a link between the read and the open is reported and skipped, never entered.
//! Each directory is read once; its entries are handed out sorted by name (so runs and tests are repeatable)
//! together with the open directory that holds them, ready for `*at` calls. Only the directories on the path
//! from the root to the current one are open, and only their names are held in memory.

use super::{Error, ErrorKind};
use crate::platform::{self, Dir, EntryKind, Fault};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the walk meets, in order.
pub(crate) enum Event<'a> {
    /// A directory is about to be read: the root first, then each subdirectory the visitor descended into.
    Enter {
        /// The open directory.
        dir: &'a Arc<Dir>,
        /// Its path relative to the root (empty for the root).
        rel: &'a Path,
    },
    /// One entry of the directory last entered (not yet left).
    Entry {
        /// The open directory holding the entry.
        dir: &'a Arc<Dir>,
        /// The entry's name in it.
        name: &'a OsString,
        /// What the directory listing says the entry is (`None` when the file system does not say).
        kind: Option<EntryKind>,
        /// The entry's path relative to the root.
        rel: &'a Path,
    },
    /// Every entry of a directory (and everything below it) has been handed out.
    #[allow(dead_code)] // Not every visitor needs to know which directory closed.
    Leave {
        /// The open directory.
        dir: &'a Arc<Dir>,
        /// Its path relative to the root.
        rel: &'a Path,
    },
    /// A directory could not be read or opened; the walk goes on with the rest. The error names the path as
    /// `root` joined with the relative path.
    Failed(Error),
}

/// What the visitor wants after an [`Event::Entry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Go on; an entry that is a directory is not descended into.
    Next,
    /// Descend into this entry, which must be a directory (it is opened without following a link).
    Descend,
    /// End the walk now (after [`Event::Leave`] of nothing: the walk simply returns).
    Stop,
}

struct Frame {
    dir: Arc<Dir>,
    rel: PathBuf,
    names: std::vec::IntoIter<(OsString, Option<EntryKind>)>,
}

/// Walks the tree under the open directory `root`, shown as `shown` in errors, calling `visit` for each event.
/// Returns false when the visitor stopped the walk.
pub(crate) fn walk(root: Dir, shown: &Path, visit: impl FnMut(Event<'_>) -> Flow) -> bool {
    walk_in(Order::Name, root, shown, visit)
}

/// The order in which a directory's entries are handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// By name: repeatable runs and output.
    Name,
    /// By the inode number the listing reports (then by name): work that touches every entry's inode (a hard
    /// link raises its link count) then walks the inode table in order, as `cp` does on ext4.
    Inode,
}

/// [`walk`], with the entries of each directory in `order`.
pub(crate) fn walk_in(order: Order, root: Dir, shown: &Path, mut visit: impl FnMut(Event<'_>) -> Flow) -> bool {
    let mut stack: Vec<Frame> = Vec::new();
    let root = Arc::new(root);
    if visit(Event::Enter { dir: &root, rel: Path::new("") }) == Flow::Stop {
        return false;
    }
    match read_names(&root, order) {
        Ok(names) => stack.push(Frame { dir: root, rel: PathBuf::new(), names: names.into_iter() }),
        Err(e) => {
            visit(Event::Failed(Error::from_io(e, shown)));
            return true;
        }
    }
    while let Some(frame) = stack.last_mut() {
        let Some((name, kind)) = frame.names.next() else {
            let done = stack.pop().expect("a frame");
            if visit(Event::Leave { dir: &done.dir, rel: &done.rel }) == Flow::Stop {
                return false;
            }
            continue;
        };
        let rel = frame.rel.join(&name);
        let dir = Arc::clone(&frame.dir);
        match visit(Event::Entry { dir: &dir, name: &name, kind, rel: &rel }) {
            Flow::Next => {}
            Flow::Stop => return false,
            Flow::Descend => {
                let child = match open_child(&dir, &name, shown, &rel) {
                    Ok(Some(child)) => Arc::new(child),
                    Ok(None) => continue,
                    Err(err) => {
                        visit(Event::Failed(err));
                        continue;
                    }
                };
                if visit(Event::Enter { dir: &child, rel: &rel }) == Flow::Stop {
                    return false;
                }
                match read_names(&child, order) {
                    Ok(names) => stack.push(Frame { dir: child, rel, names: names.into_iter() }),
                    Err(e) => {
                        visit(Event::Failed(Error::from_io(e, &shown.join(&rel))));
                    }
                }
            }
        }
    }
    true
}

/// Opens the subdirectory `name` of `dir`, found at `rel` below the root shown as `shown`, as the walk enters
/// it: never through a link. `Ok(None)` when it is gone since the directory was read (nothing to walk); a
/// `Raced` error when it turned into a link or a file meanwhile (never entered).
pub(crate) fn open_child(dir: &Dir, name: &OsStr, shown: &Path, rel: &Path) -> Result<Option<Dir>, Error> {
    match dir.open_subdir(name) {
        Ok(child) => Ok(Some(child)),
        Err(e) if platform::fault(&e) == Fault::NotFound => Ok(None),
        Err(e) if matches!(platform::fault(&e), Fault::Loop | Fault::NotADirectory) => {
            Err(Error::with_source(ErrorKind::Raced, shown.join(rel), e))
        }
        Err(e) => Err(Error::from_io(e, &shown.join(rel))),
    }
}

/// A directory's entries with the kinds the listing reports, in `order`.
pub(crate) fn read_names(dir: &Dir, order: Order) -> std::io::Result<Vec<(OsString, Option<EntryKind>)>> {
    let mut names = Vec::new();
    let mut inodes = Vec::new();
    dir.for_each_entry(|name, kind| {
        names.push((name.to_os_string(), kind));
        if order == Order::Inode {
            inodes.push(name.ino_hint().unwrap_or(0));
        }
        true
    })?;
    if order == Order::Inode && inodes.len() == names.len() {
        let mut keyed: Vec<_> = inodes.into_iter().zip(names).collect();
        keyed.sort_unstable_by(|a, b| (a.0, &a.1.0).cmp(&(b.0, &b.1.0)));
        return Ok(keyed.into_iter().map(|(_, entry)| entry).collect());
    }
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(names)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn walk_hands_out_every_entry_sorted_and_never_enters_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/inner")).unwrap();
        std::fs::write(root.join("a.txt"), "a").unwrap();
        std::fs::write(root.join("b/inner/x"), "x").unwrap();
        std::os::unix::fs::symlink("b", root.join("c-link")).unwrap();
        let mut seen = Vec::new();
        walk(Dir::open(root).unwrap(), root, |event| match event {
            Event::Enter { rel, .. } => {
                seen.push(format!("enter {}", rel.display()));
                Flow::Next
            }
            Event::Entry { rel, kind, .. } => {
                seen.push(format!("entry {}", rel.display()));
                if kind == Some(EntryKind::Directory) { Flow::Descend } else { Flow::Next }
            }
            Event::Leave { rel, .. } => {
                seen.push(format!("leave {}", rel.display()));
                Flow::Next
            }
            Event::Failed(e) => panic!("{e:?}"),
        });
        let expected = [
            "enter ",
            "entry a.txt",
            "entry b",
            "enter b",
            "entry b/inner",
            "enter b/inner",
            "entry b/inner/x",
            "leave b/inner",
            "leave b",
            "entry c-link",
            "leave ",
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn descending_into_a_link_is_refused_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("real")).unwrap();
        std::os::unix::fs::symlink("real", root.join("link")).unwrap();
        let mut failures = Vec::new();
        walk(Dir::open(root).unwrap(), root, |event| match event {
            // A visitor that (wrongly) asks to descend into everything.
            Event::Entry { .. } => Flow::Descend,
            Event::Failed(e) => {
                failures.push(e.kind());
                Flow::Next
            }
            _ => Flow::Next,
        });
        assert_eq!(failures, [ErrorKind::Raced]);
    }
}
