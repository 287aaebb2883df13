//! The copy of one entry: what SOURCE's entry becomes in the partial tree, made through the open directory
//! handles of both trees (and of the references, for a snapshot). Shared by every thread of the copy; what an
//! entry became, and any warning, goes into the [`Out`] of the directory being filled.

use super::repoint::{Roots, repoint};
use super::snapshot;
use crate::model::{
    CloneRequest, CloneSummary, Cloned, ClonedItem, CopyReason, Error, ErrorKind, LinkLimit, LinkPlace, Outcome,
    OuterLinks, Warning,
};
use crate::platform::{self, Dir, EntryKind, Fault, Node, NodeKind};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, PoisonError};

pub(super) use super::foresight::Foresight;

/// One directory being copied: SOURCE's open directory, where its entries go, the same directory in each
/// reference, and how much work inside it is still open (its metadata is set when that reaches zero).
pub(super) struct Level {
    /// SOURCE's directory.
    pub src: Dir,
    /// The directory of the partial tree (`None` in a dry run).
    pub dest: Option<Dir>,
    /// SOURCE's directory's metadata, given to `dest` when everything inside it was made.
    pub node: Node,
    /// The references' directories at the same place (`None` where a reference lacks it).
    pub refs: Vec<Option<Dir>>,
    /// The directory's path relative to SOURCE.
    pub rel: PathBuf,
    /// Its own listing (until filled) plus each subdirectory not yet finished.
    pub open: AtomicUsize,
    /// The directory holding this one; `None` for the top.
    pub parent: Option<Arc<Level>>,
}

/// One message for the reporter, kept until the directory it belongs to is handed out.
pub(super) enum Msg {
    Outcome(Outcome),
    Warning(Warning),
}

/// What the filling of one directory produced: messages in order, and the counts they add.
#[derive(Default)]
pub(super) struct Out {
    pub msgs: Vec<Msg>,
    pub summary: CloneSummary,
}

impl Out {
    /// An entry made (or planned).
    pub(super) fn item(&mut self, path: PathBuf, what: Cloned) {
        let s = &mut self.summary;
        match &what {
            Cloned::Directory => s.directories += 1,
            Cloned::HardLink => s.hard_links += 1,
            Cloned::FromReference { .. } => s.from_reference += 1,
            Cloned::Copied { .. } => s.copied += 1,
            Cloned::Symlink { original, stored, place, dangling } => {
                s.symlinks += 1;
                s.repointed += u64::from(original != stored && *place == LinkPlace::Inside);
                s.outside += u64::from(*place == LinkPlace::Outside);
                s.dangling += u64::from(*dangling);
            }
            Cloned::Followed { .. } => s.followed += 1,
            Cloned::Dropped { .. } => s.dropped += 1,
            Cloned::Special => s.special += 1,
        }
        self.msgs.push(Msg::Outcome(Outcome::Cloned(Box::new(ClonedItem { path, what }))));
    }

    /// An entry that failed: the tree will not be published.
    pub(super) fn failed(&mut self, err: Error) {
        self.summary.failed += 1;
        self.msgs.push(Msg::Outcome(Outcome::Failed(err)));
    }

    /// An entry left out, or made without one of its properties: the copy goes on.
    pub(super) fn skipped(&mut self, err: Error) {
        self.summary.skipped += 1;
        self.msgs.push(Msg::Warning(Warning::Skipped(err)));
    }
}

/// What an entry became, as far as the caller must act on it.
pub(super) enum Made {
    Item(Cloned),
    /// A directory, made empty in the partial tree (not in a dry run): its entries are still to be copied.
    Dir(Node),
    /// Nothing (left out with a warning, or the partial tree itself).
    Nothing,
}

/// Everything an entry's copy needs besides its directories: shared, read-only, by every thread (the two
/// tables behind locks).
pub(super) struct Maker<'r> {
    pub req: &'r CloneRequest,
    pub roots: Roots,
    /// Give entries SOURCE's owners (only a privileged process may).
    pub owner: bool,
    /// The partial tree's identity (device, inode): skipped when DEST lies inside SOURCE.
    pub skip: Option<(u64, u64)>,
    /// The partial tree's top directory, to add names to files copied earlier (snapshot).
    pub top: Option<Dir>,
    /// A dry run's view of the destination (`None` when really copying).
    pub foresight: Option<Foresight>,
    /// Snapshot: SOURCE files with several names that were copied, by identity, with the copy's path in DEST,
    /// so their other names become names of the same copy.
    copies: Mutex<HashMap<(u64, u64), PathBuf>>,
}

/// Classifies an error about the entry shown as `shown`.
pub(super) fn failed(err: io::Error, shown: &Path) -> Error {
    match platform::fault(&err) {
        Fault::Exists => Error::with_source(ErrorKind::LinkExists, shown, err),
        _ => Error::from_io(err, shown),
    }
}

impl<'r> Maker<'r> {
    pub(super) fn new(req: &'r CloneRequest, roots: Roots) -> Maker<'r> {
        Maker {
            req,
            roots,
            owner: platform::is_privileged(),
            skip: None,
            top: None,
            foresight: None,
            copies: Mutex::new(HashMap::new()),
        }
    }

    /// Copies the entry `name` of `level` (at `rel` in SOURCE, shown as `shown`).
    pub(super) fn entry(
        &self,
        level: &Level,
        name: &OsStr,
        kind: Option<EntryKind>,
        rel: &Path,
        shown: &Path,
        out: &mut Out,
    ) -> Result<Made, Error> {
        let fail = |e| failed(e, shown);
        if kind == Some(EntryKind::File) && !self.req.snapshot && self.foresight.is_none() {
            // The common case needs no stat at all: one linkat.
            return self.link_file(level, name, None, shown).map(Made::Item);
        }
        let node = level.src.node(name).map_err(fail)?;
        let what = match node.kind {
            NodeKind::Directory => return self.directory(level, name, node, shown),
            NodeKind::File if self.req.snapshot => self.snapshot_file(level, name, &node, rel, shown)?,
            NodeKind::File => self.link_file(level, name, Some(&node), shown)?,
            NodeKind::Symlink => self.symlink(level, name, kind, &node, rel, shown, out)?,
            _ => return self.special(level, name, &node, shown, out),
        };
        Ok(Made::Item(what))
    }

    fn directory(&self, level: &Level, name: &OsStr, node: Node, shown: &Path) -> Result<Made, Error> {
        if self.skip == Some((node.dev, node.ino)) {
            return Ok(Made::Nothing);
        }
        if let Some(dest) = &level.dest {
            // Owner-only until everything inside it was made.
            dest.make_dir(name, 0o700).map_err(|e| failed(e, shown))?;
        }
        Ok(Made::Dir(node))
    }

    /// A new name in DEST for SOURCE's file; at the link limit or across devices, a copy if allowed.
    fn link_file(&self, level: &Level, name: &OsStr, node: Option<&Node>, shown: &Path) -> Result<Cloned, Error> {
        let Some(dest) = &level.dest else { return self.plan_link(node, shown) };
        let src = &level.src;
        match src.hard_link(name, dest, name) {
            Ok(()) => Ok(Cloned::HardLink),
            Err(e) => {
                let reason = match platform::fault(&e) {
                    Fault::TooManyLinks => CopyReason::LinkLimit,
                    Fault::CrossDevice => CopyReason::OtherDevice,
                    _ => return Err(failed(e, shown)),
                };
                if self.req.link_limit == LinkLimit::Fail {
                    return Err(failed(e, shown));
                }
                let node = match node {
                    Some(node) => *node,
                    None => src.node(name).map_err(|e| failed(e, shown))?,
                };
                src.copy_file(name, dest, name, &node, self.owner).map_err(|e| failed(e, shown))?;
                Ok(Cloned::Copied { reason })
            }
        }
    }

    /// A dry run's hard link: what linking the file `node` would meet (another device, the link limit), with
    /// the `--link-limit` policy applied.
    fn plan_link(&self, node: Option<&Node>, shown: &Path) -> Result<Cloned, Error> {
        let (Some(node), Some(sight)) = (node, &self.foresight) else { return Ok(Cloned::HardLink) };
        let (reason, kind) = if node.dev != sight.dev {
            (CopyReason::OtherDevice, ErrorKind::CrossDevice)
        } else if !sight.takes_one_more(node) {
            (CopyReason::LinkLimit, ErrorKind::TooManyLinks)
        } else {
            return Ok(Cloned::HardLink);
        };
        match self.req.link_limit {
            LinkLimit::Copy => Ok(Cloned::Copied { reason }),
            LinkLimit::Fail => Err(Error::new(kind, shown)),
        }
    }

    fn snapshot_file(
        &self,
        level: &Level,
        name: &OsStr,
        node: &Node,
        rel: &Path,
        shown: &Path,
    ) -> Result<Cloned, Error> {
        let fail = |e| failed(e, shown);
        for (i, reference) in level.refs.iter().enumerate() {
            let Some(reference) = reference else { continue };
            let Some(theirs) = snapshot::unchanged(&level.src, name, node, reference, self.req.checksum) else {
                continue;
            };
            let found = Cloned::FromReference { reference: self.req.refs[i].join(rel) };
            let Some(dest) = &level.dest else {
                match &self.foresight {
                    // This reference's file is full: another reference, or a copy, will do.
                    Some(sight) if !sight.takes_one_more(&theirs) => continue,
                    _ => return Ok(found),
                }
            };
            match reference.hard_link(name, dest, name) {
                Ok(()) => return Ok(found),
                Err(e) if platform::fault(&e) == Fault::TooManyLinks => continue,
                Err(e) => return Err(fail(e)),
            }
        }
        let copied = Cloned::Copied { reason: CopyReason::Changed };
        let Some(dest) = &level.dest else { return Ok(copied) };
        if node.nlink > 1 {
            // Held across the copy, so two threads never copy one file twice.
            let mut copies = self.copies.lock().unwrap_or_else(PoisonError::into_inner);
            let identity = (node.dev, node.ino);
            if let (Some(first), Some(top)) = (copies.get(&identity), &self.top) {
                top.hard_link(first.as_os_str(), dest, name).map_err(fail)?;
                return Ok(copied);
            }
            level.src.copy_file(name, dest, name, node, self.owner).map_err(fail)?;
            copies.insert(identity, rel.to_path_buf());
            return Ok(copied);
        }
        level.src.copy_file(name, dest, name, node, self.owner).map_err(fail)?;
        Ok(copied)
    }

    #[allow(clippy::too_many_arguments)]
    fn symlink(
        &self,
        level: &Level,
        name: &OsStr,
        listed: Option<EntryKind>,
        node: &Node,
        rel: &Path,
        shown: &Path,
        out: &mut Out,
    ) -> Result<Cloned, Error> {
        let fail = |e| failed(e, shown);
        let src = &level.src;
        let original = src.read_link(name).map_err(fail)?;
        let rel_dir = rel.parent().unwrap_or(Path::new(""));
        let (stored, place) = repoint(&original, rel_dir, &self.roots);
        let resolved = src.stat_follow(name);
        let dangling = resolved.is_err();
        let is_dir = resolved.as_ref().is_ok_and(|i| i.kind == EntryKind::Directory);
        if place == LinkPlace::Outside {
            match self.req.outer {
                OuterLinks::Keep => {}
                OuterLinks::Drop => return Ok(Cloned::Dropped { original }),
                OuterLinks::Follow => {
                    if resolved.as_ref().is_ok_and(|i| i.kind == EntryKind::File) {
                        return self.follow(level, name, &original, rel_dir, shown);
                    }
                }
            }
        }
        if let Some(dest) = &level.dest {
            if is_junction(listed, || src.lstat(name).ok().map(|i| i.kind)) {
                dest.junction(&stored, name).map_err(fail)?;
            } else {
                dest.symlink(&stored, name, is_dir).map_err(fail)?;
            }
            if let Err(e) = dest.set_entry_meta(name, node, self.owner) {
                out.skipped(failed(e, shown));
            }
        }
        Ok(Cloned::Symlink { original, stored, place, dangling })
    }

    /// `--outer follow` for a link to a file outside SOURCE: DEST gets a name of that file.
    fn follow(&self, level: &Level, name: &OsStr, text: &Path, rel_dir: &Path, shown: &Path) -> Result<Cloned, Error> {
        let fail = |e| failed(e, shown);
        let full =
            if text.is_absolute() { text.to_path_buf() } else { self.roots.source_real.join(rel_dir).join(text) };
        let target = std::fs::canonicalize(&full).map_err(fail)?;
        let (Some(parent), Some(file)) = (target.parent(), target.file_name()) else {
            return Err(Error::new(ErrorKind::TargetNotFound, shown));
        };
        let Some(dest) = &level.dest else { return Ok(Cloned::Followed { target }) };
        let holder = Dir::open(parent).map_err(fail)?;
        match holder.hard_link(file, dest, name) {
            Ok(()) => Ok(Cloned::Followed { target }),
            Err(e)
                if self.req.link_limit == LinkLimit::Copy
                    && matches!(platform::fault(&e), Fault::TooManyLinks | Fault::CrossDevice) =>
            {
                let node = holder.node(file).map_err(fail)?;
                holder.copy_file(file, dest, name, &node, self.owner).map_err(fail)?;
                Ok(Cloned::Followed { target })
            }
            Err(e) => Err(fail(e)),
        }
    }

    /// A FIFO, socket or device: re-created where permitted, else left out with a warning.
    fn special(&self, level: &Level, name: &OsStr, node: &Node, shown: &Path, out: &mut Out) -> Result<Made, Error> {
        let Some(dest) = &level.dest else { return Ok(Made::Item(Cloned::Special)) };
        match dest.make_special(name, node) {
            Ok(()) => {
                if let Err(e) = dest.set_entry_meta(name, node, self.owner) {
                    out.skipped(failed(e, shown));
                }
                Ok(Made::Item(Cloned::Special))
            }
            Err(e) if matches!(platform::fault(&e), Fault::Denied | Fault::Unsupported | Fault::Other) => {
                out.skipped(failed(e, shown));
                Ok(Made::Nothing)
            }
            Err(e) => Err(failed(e, shown)),
        }
    }
}

/// Whether SOURCE's link is a junction, to be made again as one (Windows). The listing's kind tells a symbolic
/// link at no cost; only a name it leaves open (a directory link on Windows, any entry on a file system that
/// reports no kinds) is looked at again.
fn is_junction(listed: Option<EntryKind>, look: impl FnOnce() -> Option<EntryKind>) -> bool {
    match listed {
        Some(kind) if kind != EntryKind::Directory => kind == EntryKind::Junction,
        _ => look() == Some(EntryKind::Junction),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_junction_is_made_again_as_a_junction_and_a_listed_symlink_costs_no_second_look() {
        assert!(is_junction(Some(EntryKind::Junction), || panic!("no second look")));
        assert!(!is_junction(Some(EntryKind::Symlink), || panic!("no second look")));
        // A directory link on Windows is listed without a kind: its reparse tag decides.
        assert!(is_junction(None, || Some(EntryKind::Junction)));
        assert!(!is_junction(None, || Some(EntryKind::Symlink)));
        assert!(!is_junction(None, || None));
    }
}
