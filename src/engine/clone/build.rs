//! The copy itself: one visitor of the walk over SOURCE that makes each entry in the partial tree through the
//! open directory handles of both trees (and of the references, for a snapshot), directory metadata last.

use super::repoint::{Roots, repoint};
use super::snapshot;
use crate::engine::walk::{Event, Flow};
use crate::model::{
    CloneRequest, CloneSummary, Cloned, ClonedItem, CopyReason, Error, ErrorKind, LinkLimit, LinkPlace, Outcome,
    OuterLinks, Sink, Warning,
};
use crate::platform::{self, Dir, EntryKind, Fault, Node, NodeKind};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

/// One directory being copied: where its entries go, its own metadata (set when it is left), and the same
/// directory in each reference (`None` where a reference lacks it).
pub(super) struct Level {
    /// The directory of the partial tree (`None` in a dry run).
    pub dest: Option<Dir>,
    /// SOURCE's directory, to copy its mode, owner and times when leaving.
    pub node: Node,
    /// The references' directories at the same place.
    pub refs: Vec<Option<Dir>>,
}

/// The walk's visitor.
pub(super) struct Builder<'s> {
    pub req: &'s CloneRequest,
    pub roots: Roots,
    /// Give entries SOURCE's owners (only a privileged process may).
    pub owner: bool,
    pub summary: CloneSummary,
    pub sink: &'s mut dyn Sink,
    pub interrupted: bool,
    /// The partial tree's identity (device, inode): skipped when DEST lies inside SOURCE.
    pub skip: Option<(u64, u64)>,
    /// The partial tree's top directory, to add names to files copied earlier (snapshot).
    pub top: Option<Dir>,
    /// The next level to enter.
    pub pending: Option<Level>,
    /// The last event was an `Enter`: a failure now means that directory could not be read, and it will not be
    /// left.
    just_entered: bool,
    stack: Vec<Level>,
    /// Snapshot: SOURCE files with several names that were copied, by identity, with the copy's path in DEST,
    /// so their other names become names of the same copy.
    copies: HashMap<(u64, u64), PathBuf>,
}

/// Classifies an error about the entry shown as `shown`.
fn failed(err: io::Error, shown: &Path) -> Error {
    match platform::fault(&err) {
        Fault::Exists => Error::with_source(ErrorKind::LinkExists, shown, err),
        _ => Error::from_io(err, shown),
    }
}

impl<'s> Builder<'s> {
    pub(super) fn new(req: &'s CloneRequest, roots: Roots, dry: bool, sink: &'s mut dyn Sink) -> Builder<'s> {
        let summary = CloneSummary {
            source: req.source.clone(),
            dest: req.dest.clone(),
            dry_run: dry,
            snapshot: req.snapshot,
            ..CloneSummary::default()
        };
        Builder {
            req,
            roots,
            owner: platform::is_privileged(),
            summary,
            sink,
            interrupted: false,
            skip: None,
            top: None,
            pending: None,
            just_entered: false,
            stack: Vec::new(),
            copies: HashMap::new(),
        }
    }

    /// Handles one event of the walk.
    pub(super) fn visit(&mut self, event: Event<'_>) -> Flow {
        match event {
            Event::Enter { dir, rel } => {
                let level = match self.pending.take() {
                    Some(level) => level,
                    // Only the levels prepared by `directory` (and the top) are entered; anything else is read
                    // but nothing is made in it.
                    None => match dir.self_node() {
                        Ok(node) => Level { dest: None, node, refs: Vec::new() },
                        Err(e) => {
                            self.summary.failed += 1;
                            self.sink.outcome(Outcome::Failed(failed(e, &self.req.dest.join(rel))));
                            return Flow::Stop;
                        }
                    },
                };
                self.stack.push(level);
                self.just_entered = true;
                Flow::Next
            }
            Event::Entry { dir, name, kind, rel } => {
                self.just_entered = false;
                // Made for a directory the walk then could not open: never entered.
                self.pending = None;
                if platform::interrupted() {
                    self.interrupted = true;
                    return Flow::Stop;
                }
                let Some(mut level) = self.stack.pop() else { return Flow::Stop };
                let shown = self.req.dest.join(rel);
                let flow = match self.entry(&mut level, dir, name, kind, rel, &shown) {
                    Ok((flow, Some(what))) => {
                        self.count(&what);
                        self.sink.outcome(Outcome::Cloned(Box::new(ClonedItem { path: shown, what })));
                        flow
                    }
                    Ok((flow, None)) => flow,
                    Err(err) => {
                        self.summary.failed += 1;
                        self.sink.outcome(Outcome::Failed(err));
                        Flow::Next
                    }
                };
                self.stack.push(level);
                flow
            }
            Event::Leave { dir, rel } => {
                self.just_entered = false;
                let level = self.stack.pop();
                if let Some((dest, level)) = level.as_ref().and_then(|level| Some((level.dest.as_ref()?, level))) {
                    let shown = self.req.dest.join(rel);
                    if let Err(e) = dest.copy_xattrs_from(dir) {
                        self.skipped(failed(e, &shown));
                    }
                    if let Err(e) = dest.set_self_meta(&level.node, self.owner) {
                        self.skipped(failed(e, &shown));
                    }
                }
                Flow::Next
            }
            Event::Failed(err) => {
                if std::mem::take(&mut self.just_entered) {
                    self.stack.pop();
                }
                self.pending = None;
                self.summary.failed += 1;
                self.sink.outcome(Outcome::Failed(err));
                Flow::Next
            }
        }
    }

    fn skipped(&mut self, err: Error) {
        self.summary.skipped += 1;
        self.sink.warning(Warning::Skipped(err));
    }

    fn count(&mut self, what: &Cloned) {
        let s = &mut self.summary;
        match what {
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
    }

    fn entry(
        &mut self,
        level: &mut Level,
        src: &Dir,
        name: &OsStr,
        kind: Option<EntryKind>,
        rel: &Path,
        shown: &Path,
    ) -> Result<(Flow, Option<Cloned>), Error> {
        let fail = |e| failed(e, shown);
        if kind == Some(EntryKind::File) && !self.req.snapshot {
            // The common case needs no stat at all: one linkat.
            return self.link_file(level, src, name, None, shown).map(|c| (Flow::Next, Some(c)));
        }
        let node = src.node(name).map_err(fail)?;
        let what = match node.kind {
            NodeKind::Directory => return self.directory(level, src, name, node, shown),
            NodeKind::File if self.req.snapshot => self.snapshot_file(level, src, name, &node, rel, shown)?,
            NodeKind::File => self.link_file(level, src, name, Some(&node), shown)?,
            NodeKind::Symlink => self.symlink(level, src, name, &node, rel, shown)?,
            _ => return self.special(level, name, &node, shown).map(|c| (Flow::Next, c)),
        };
        Ok((Flow::Next, Some(what)))
    }

    fn directory(
        &mut self,
        level: &mut Level,
        src: &Dir,
        name: &OsStr,
        node: Node,
        shown: &Path,
    ) -> Result<(Flow, Option<Cloned>), Error> {
        if self.skip == Some((node.dev, node.ino)) {
            return Ok((Flow::Next, None));
        }
        let fail = |e| failed(e, shown);
        let dest = match &level.dest {
            Some(dest) => {
                dest.make_dir(name, 0o700).map_err(fail)?;
                Some(dest.open_subdir(name).map_err(fail)?)
            }
            None => None,
        };
        let refs = level.refs.iter().map(|r| r.as_ref().and_then(|r| r.open_subdir(name).ok())).collect();
        let _ = src;
        self.pending = Some(Level { dest, node, refs });
        Ok((Flow::Descend, Some(Cloned::Directory)))
    }

    /// A new name in DEST for SOURCE's file; at the link limit or across devices, a copy if allowed.
    fn link_file(
        &mut self,
        level: &Level,
        src: &Dir,
        name: &OsStr,
        node: Option<&Node>,
        shown: &Path,
    ) -> Result<Cloned, Error> {
        let Some(dest) = &level.dest else { return Ok(Cloned::HardLink) };
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

    fn snapshot_file(
        &mut self,
        level: &Level,
        src: &Dir,
        name: &OsStr,
        node: &Node,
        rel: &Path,
        shown: &Path,
    ) -> Result<Cloned, Error> {
        let fail = |e| failed(e, shown);
        for (i, reference) in level.refs.iter().enumerate() {
            let Some(reference) = reference else { continue };
            if !snapshot::unchanged(src, name, node, reference, self.req.checksum) {
                continue;
            }
            let found = Cloned::FromReference { reference: self.req.refs[i].join(rel) };
            let Some(dest) = &level.dest else { return Ok(found) };
            match reference.hard_link(name, dest, name) {
                Ok(()) => return Ok(found),
                // This reference's file is full: another reference, or a copy, will do.
                Err(e) if platform::fault(&e) == Fault::TooManyLinks => continue,
                Err(e) => return Err(fail(e)),
            }
        }
        let copied = Cloned::Copied { reason: CopyReason::Changed };
        let Some(dest) = &level.dest else { return Ok(copied) };
        let identity = (node.dev, node.ino);
        if let (true, Some(first), Some(top)) = (node.nlink > 1, self.copies.get(&identity), &self.top) {
            top.hard_link(first.as_os_str(), dest, name).map_err(fail)?;
            return Ok(copied);
        }
        src.copy_file(name, dest, name, node, self.owner).map_err(fail)?;
        if node.nlink > 1 {
            self.copies.insert(identity, rel.to_path_buf());
        }
        Ok(copied)
    }

    fn symlink(
        &mut self,
        level: &Level,
        src: &Dir,
        name: &OsStr,
        node: &Node,
        rel: &Path,
        shown: &Path,
    ) -> Result<Cloned, Error> {
        let fail = |e| failed(e, shown);
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
            dest.symlink(&stored, name, is_dir).map_err(fail)?;
            if let Err(e) = dest.set_entry_meta(name, node, self.owner) {
                self.skipped(failed(e, shown));
            }
        }
        Ok(Cloned::Symlink { original, stored, place, dangling })
    }

    /// `--outer follow` for a link to a file outside SOURCE: DEST gets a name of that file.
    fn follow(
        &mut self,
        level: &Level,
        name: &OsStr,
        text: &Path,
        rel_dir: &Path,
        shown: &Path,
    ) -> Result<Cloned, Error> {
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
    fn special(&mut self, level: &Level, name: &OsStr, node: &Node, shown: &Path) -> Result<Option<Cloned>, Error> {
        let Some(dest) = &level.dest else { return Ok(Some(Cloned::Special)) };
        match dest.make_special(name, node) {
            Ok(()) => {
                if let Err(e) = dest.set_entry_meta(name, node, self.owner) {
                    self.skipped(failed(e, shown));
                }
                Ok(Some(Cloned::Special))
            }
            Err(e) if matches!(platform::fault(&e), Fault::Denied | Fault::Unsupported | Fault::Other) => {
                self.skipped(failed(e, shown));
                Ok(None)
            }
            Err(e) => Err(failed(e, shown)),
        }
    }
}
