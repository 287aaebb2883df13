//! `--clone` and `--snapshot`: copy a tree as hard links (snapshot: hard links to a reference's unchanged files,
//! copies of the rest), symbolic links re-created and re-pointed, under a temporary name beside DEST, published
//! by one no-replace rename only when every entry was made.
//!
//! Order of work: check everything that can be checked up front (SOURCE readable, DEST missing, same device,
//! references usable), make the partial tree `.DEST.mklink-partial-<pid>`, walk SOURCE through directory
//! handles making each entry (spread over threads, a directory at a time), then rename the partial tree to DEST. A run with any failed entry, or an
//! interrupted one, publishes nothing and removes its partial tree (it holds only directories, links and copies
//! this run made; SOURCE's data is never in danger), saying so; if the removal fails the message says where the
//! partial tree is kept.

mod build;
mod foresight;
mod parallel;
mod publish;
mod repoint;
mod snapshot;

use super::error::parent_of;
use super::walk::Order;
use crate::model::{CloneRequest, CloneSummary, Error, ErrorKind, Outcome, Sink};
use crate::platform::{self, Dir};
use build::{Foresight, Level, Maker};
use repoint::Roots;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;

/// Carries out a clone or snapshot.
pub(crate) fn run(req: &CloneRequest, dry: bool, sink: &mut dyn Sink) {
    if let Err(err) = clone(req, dry, sink) {
        sink.outcome(Outcome::Failed(err));
    }
}

/// What was checked up front.
struct Prepared {
    source: Dir,
    parent: Dir,
    dest_name: std::ffi::OsString,
    roots: Roots,
    refs: Vec<Option<Dir>>,
}

fn prepare(req: &CloneRequest) -> Result<Prepared, Error> {
    let source = Dir::open(&req.source).map_err(|e| Error::from_io(e, &req.source))?;
    let source_info = source.info().map_err(|e| Error::from_io(e, &req.source))?;
    let Some(dest_name) = req.dest.file_name().filter(|_| !req.dest.ends_with("..")) else {
        return Err(Error::new(ErrorKind::InvalidName, &req.dest));
    };
    let parent_path = parent_of(&req.dest);
    let parent =
        Dir::open(parent_path).map_err(|e| Error::from_io(e, parent_path).with_kind(ErrorKind::ParentNotFound))?;
    if parent.lstat(dest_name).is_ok() {
        return Err(Error::new(ErrorKind::LinkExists, &req.dest));
    }
    let parent_info = parent.info().map_err(|e| Error::from_io(e, parent_path))?;
    if !req.snapshot && source_info.dev != parent_info.dev {
        return Err(Error::new(ErrorKind::CrossDevice, &req.dest));
    }
    let mut refs = Vec::new();
    for reference in &req.refs {
        let dir = Dir::open(reference).map_err(|e| Error::from_io(e, reference))?;
        let info = dir.info().map_err(|e| Error::from_io(e, reference))?;
        if info.dev != parent_info.dev {
            return Err(Error::new(ErrorKind::CrossDevice, reference));
        }
        refs.push(Some(dir));
    }
    let real = |p: &Path| std::fs::canonicalize(p).map(repoint::plain).map_err(|e| Error::from_io(e, p));
    let source_real = real(&req.source)?;
    let roots = Roots {
        source_typed: super::absolute_normalised(&req.source).unwrap_or_else(|_| source_real.clone()),
        source_real,
        dest: real(parent_path)?.join(dest_name),
    };
    Ok(Prepared { source, parent, dest_name: dest_name.to_os_string(), roots, refs })
}

fn clone(req: &CloneRequest, dry: bool, sink: &mut dyn Sink) -> Result<(), Error> {
    let p = prepare(req)?;
    let root_node = p.source.self_node().map_err(|e| Error::from_io(e, &req.source))?;
    let (partial, top) = if dry {
        (None, None)
    } else {
        let (name, dir) = publish::make_partial(&p.parent, &p.dest_name).map_err(|e| Error::from_io(e, &req.dest))?;
        (Some(name), Some(dir))
    };
    let mut maker = Maker::new(req, p.roots);
    if let Some(top) = &top {
        maker.skip = top.info().ok().map(|i| (i.dev, i.ino));
        maker.top = top.try_clone().ok();
    }
    if dry {
        let dev = p.parent.info().map_err(|e| Error::from_io(e, parent_of(&req.dest)))?.dev;
        maker.foresight = Some(Foresight { dev, link_max: p.parent.link_max(), planned: Mutex::new(HashMap::new()) });
    }
    let level = Level {
        src: p.source,
        dest: top,
        node: root_node,
        refs: p.refs,
        rel: PathBuf::new(),
        open: AtomicUsize::new(1),
        parent: None,
    };
    platform::pause_point("clone-walk");
    // A clone links every file: the link count of each inode changes, so inode order keeps those writes close
    // together. A snapshot and a plan list each directory by name.
    let order = if req.snapshot || dry { Order::Name } else { Order::Inode };
    let (made, interrupted) = parallel::copy(&maker, order, level, parallel::threads(), sink);
    drop(maker);
    let mut summary = CloneSummary {
        source: req.source.clone(),
        dest: req.dest.clone(),
        dry_run: dry,
        snapshot: req.snapshot,
        directories: 1,
        ..CloneSummary::default()
    };
    parallel::add(&mut summary, &made);
    platform::pause_point("clone-publish");
    let interrupted = interrupted || (!dry && platform::interrupted());
    if interrupted {
        summary.failed += 1;
        sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, &req.dest)));
    }
    if let Some(partial) = partial {
        let mut outcome = Ok(());
        if summary.failed == 0 {
            outcome = publish::publish(&p.parent, &partial, &p.dest_name);
            summary.published = outcome.is_ok();
        }
        if !summary.published {
            if publish::remove_tree(&p.parent, &partial).is_err() {
                summary.kept = Some(parent_of(&req.dest).join(&partial));
            }
            if let Err(e) = outcome {
                summary.failed += 1;
                let exists =
                    platform::fault(&e) == platform::Fault::Exists || e.kind() == std::io::ErrorKind::AlreadyExists;
                let err = if exists {
                    Error::with_source(ErrorKind::LinkExists, &req.dest, e)
                } else {
                    Error::from_io(e, &req.dest)
                };
                sink.outcome(Outcome::Failed(err));
            }
        }
    }
    sink.outcome(Outcome::CloneDone(Box::new(summary)));
    Ok(())
}
