//! Re-pointing links in bulk: `--relink OLD NEW ROOT…`, `--move SOURCE DEST [--scan ROOT…]` and `--undo
//! JOURNAL`.
//!
//! Every run plans first (a walk through directory handles that reads every link and never follows one into a
//! directory), then rewrites each planned link atomically and checks it, recording each rewrite in a journal.
//! A dry run reports the plan and changes nothing.

mod apply;
mod journal;
mod mapping;
mod plan;

use super::paths::{absolute_normalised, resolve_existing_prefix};
use super::place::Place;
use crate::model::{Error, ErrorKind, MoveRequest, Outcome, RelinkRequest, Sink};
use crate::platform::{self, Dir, EntryKind, Rename};
use apply::Rewrite;
use journal::{Entry, Writer};
use mapping::Mapping;
use plan::{Expect, Scope};
use std::path::{Path, PathBuf};

/// `--relink`: plan, then rewrite.
pub(crate) fn relink(request: &RelinkRequest, dry: bool, sink: &mut dyn Sink) {
    let (olds, new) = match (forms(&request.old), forms(&request.new)) {
        (Ok(olds), Ok(news)) => (olds, news.last().cloned().unwrap_or_default()),
        (Err(e), _) => return sink.outcome(Outcome::Failed(Error::from_io(e, &request.old))),
        (_, Err(e)) => return sink.outcome(Outcome::Failed(Error::from_io(e, &request.new))),
    };
    let mapping = Mapping { olds, new: new.clone(), moving: false, style: request.style };
    let scope = Scope { mapping: &mapping, dangling_only: request.dangling_only, expect: Expect::NewText };
    let roots = open_roots(&request.roots, sink);
    let plan = plan::plan(&scope, roots, sink);
    platform::pause_point("relink-apply");
    if dry || plan.items.is_empty() {
        return apply::apply(&plan, dry, None, sink);
    }
    let path = request.journal.clone().unwrap_or_else(|| journal::default_path("relink"));
    let mut journal = match Writer::create(&path, "relink", &mapping.olds[0], &new) {
        Ok(journal) => journal,
        Err(e) => return sink.outcome(Outcome::Failed(e)),
    };
    apply::apply(&plan, false, Some(&mut journal), sink);
    finish(journal, sink);
}

/// `--move`: check, plan (before the rename, so links that only pass through SOURCE are found by their text),
/// rename, rewrite.
pub(crate) fn move_tree(request: &MoveRequest, dry: bool, sink: &mut dyn Sink) {
    if let Err(e) = move_checked(request, dry, sink) {
        sink.outcome(Outcome::Failed(e));
    }
}

fn move_checked(request: &MoveRequest, dry: bool, sink: &mut dyn Sink) -> Result<(), Error> {
    let source = Place::open(&request.source, ErrorKind::TargetNotFound, ErrorKind::TargetNotFound)?;
    let dest = Place::open(&request.dest, ErrorKind::ParentNotFound, ErrorKind::InvalidName)?;
    let info = source.at().lstat()?;
    if dest.dir.lstat(&dest.name).is_ok() {
        return Err(Error::new(ErrorKind::LinkExists, &request.dest));
    }
    let dest_dev = dest.dir.info().map_err(|e| Error::from_io(e, &request.dest))?.dev;
    if dest_dev != info.dev {
        return Err(Error::new(ErrorKind::CrossDevice, &request.dest));
    }
    let canonical = |place: &Place, typed: &Path| {
        let parent = super::place::split(typed).map_or(Path::new("."), |(p, _)| p);
        std::fs::canonicalize(parent).map(|p| p.join(&place.name)).map_err(|e| Error::from_io(e, typed))
    };
    let (old, new) = (canonical(&source, &request.source)?, canonical(&dest, &request.dest)?);
    let mut roots = Vec::new();
    if info.kind == EntryKind::Directory {
        let tree = source.dir.open_subdir(&source.name).map_err(|e| Error::from_io(e, &request.source))?;
        roots.push((tree, old.clone(), request.source.clone()));
    }
    let parent = super::place::split(&request.source).map_or(PathBuf::from("."), |(p, _)| p.to_path_buf());
    roots.extend(open_roots(&[vec![parent], request.scan.clone()].concat(), sink));
    let mapping = Mapping { olds: vec![old.clone()], new: new.clone(), moving: true, style: request.style };
    let scope = Scope { mapping: &mapping, dangling_only: false, expect: Expect::Current };
    let plan = plan::plan(&scope, roots, sink);
    if dry {
        sink.outcome(Outcome::Moved { source: old, dest: new });
        apply::apply(&plan, true, None, sink);
        return Ok(());
    }
    let path = request.journal.clone().unwrap_or_else(|| journal::default_path("move"));
    let mut journal = Writer::create(&path, "move", &old, &new)?;
    platform::pause_point("move-rename");
    if let Err(e) = source.dir.rename(&source.name, &dest.dir, &dest.name, Rename::NoReplace) {
        let _ = std::fs::remove_file(journal.path());
        return Err(Error::from_io(e, &request.source));
    }
    source.dir.sync();
    dest.dir.sync();
    journal.moved(&old, &new)?;
    sink.outcome(Outcome::Moved { source: old, dest: new });
    platform::pause_point("relink-apply");
    apply::apply(&plan, false, Some(&mut journal), sink);
    finish(journal, sink);
    Ok(())
}

/// `--undo`: the journal's entries, last first; each link is put back only if it still holds the text the
/// journal gave it, and a moved tree is renamed back only if nothing took its old name meanwhile.
pub(crate) fn undo(path: &Path, dry: bool, sink: &mut dyn Sink) {
    let entries = match journal::read(path) {
        Ok(entries) => entries,
        Err(e) => return sink.outcome(Outcome::Failed(e)),
    };
    for entry in entries.iter().rev() {
        if platform::interrupted() {
            return sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, path)));
        }
        let outcome = match entry {
            Entry::Relinked(record) => undo_link(record, dry),
            Entry::Moved { from, to } => undo_move(from, to, dry),
        };
        sink.outcome(outcome.unwrap_or_else(Outcome::Failed));
    }
}

fn undo_link(record: &journal::Record, dry: bool) -> Result<Outcome, Error> {
    let place = Place::open(&record.link, ErrorKind::ParentNotFound, ErrorKind::NotALink)?;
    let rewrite = Rewrite {
        dir: &place.dir,
        name: &place.name,
        shown: &record.link,
        previous: &record.new,
        stored: &record.old,
        kind: place.at().lstat()?.kind,
        expect: None,
    };
    if dry {
        let holds = place.dir.read_link(&place.name).is_ok_and(|text| text == record.new);
        if !holds {
            return Err(Error::new(ErrorKind::Raced, &record.link));
        }
        let (previous, stored) = (record.new.clone(), record.old.clone());
        return Ok(Outcome::Relinked { link: record.link.clone(), previous, stored });
    }
    Ok(rewrite.run(None))
}

fn undo_move(from: &Path, to: &Path, dry: bool) -> Result<Outcome, Error> {
    let now = Place::open(to, ErrorKind::TargetNotFound, ErrorKind::TargetNotFound)?;
    let back = Place::open(from, ErrorKind::ParentNotFound, ErrorKind::InvalidName)?;
    now.at().lstat()?;
    if !dry {
        now.dir.rename(&now.name, &back.dir, &back.name, Rename::NoReplace).map_err(|e| Error::from_io(e, from))?;
    } else if back.dir.lstat(&back.name).is_ok() {
        return Err(Error::new(ErrorKind::LinkExists, from));
    }
    Ok(Outcome::Moved { source: to.to_path_buf(), dest: from.to_path_buf() })
}

fn finish(journal: Writer, sink: &mut dyn Sink) {
    match journal.finish() {
        Ok(path) => sink.outcome(Outcome::Journal { path }),
        Err(e) => sink.outcome(Outcome::Failed(e)),
    }
}

/// The absolute forms a path may be written in: as typed (made absolute, normalised) and, when different, with
/// the links in its existing part resolved. The last is the one new texts are computed against.
fn forms(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let typed = absolute_normalised(path)?;
    let resolved = resolve_existing_prefix(&typed);
    Ok(if resolved == typed { vec![typed] } else { vec![typed, resolved] })
}

/// Opens each root (following it if the user named a link: they asked for that tree) with its real path.
fn open_roots(roots: &[PathBuf], sink: &mut dyn Sink) -> Vec<(Dir, PathBuf, PathBuf)> {
    let mut open = Vec::new();
    for root in roots {
        let opened = Dir::open(root).and_then(|dir| Ok((dir, std::fs::canonicalize(root)?)));
        match opened {
            Ok((dir, abs)) => open.push((dir, abs, root.clone())),
            Err(e) => sink.outcome(Outcome::Failed(Error::from_io(e, root))),
        }
    }
    open
}
