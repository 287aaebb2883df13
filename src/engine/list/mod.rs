//! Listing links in a tree (`mklink /L [/S]`) and a file's other names (the hard-link siblings view).
//!
//! The walk never follows a link into a directory, so loops and links out of the tree cannot run away. It runs
//! on worker threads (two to eight, as the machine has cores), one directory per task; each directory's result is sent to a slot made for it, and the
//! calling thread prints the slots in depth-first order (a directory's sorted entries, then its subdirectories
//! in sorted order), so the output is the same whatever the threads' timing. The kind of each entry comes from
//! the directory read; `readlink` and `stat` are called only on the entries a decision needs. Where a link's
//! stored target is a plain name (no separator), what it leads to is read from the directory listing already in
//! hand; only a target that is itself a link, or a name not found there, is followed by the system.

use super::paths::{absolute_normalised, normalise};
mod names;

use super::{Error, ErrorKind, LinkEntry, LinkState, LinkTag, ListFilter, ListRequest, Outcome, Sink};
use crate::platform::{self, Dir, EntryKind, Fault};
use names::Names;
use std::ffi::CStr;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};

/// One directory's share of the listing, filled by a worker.
struct DirResult {
    entries: Vec<LinkEntry>,
    errors: Vec<Error>,
    children: Vec<Receiver<DirResult>>,
}

struct Task {
    /// Where to open the directory from: the root by its path, or a subdirectory by its name relative to its
    /// parent's open handle (never following a link).
    from: Source,
    /// The directory as displayed (root joined with the path below it).
    path: PathBuf,
    /// Its absolute, normalised form, for resolving relative targets.
    absolute: PathBuf,
    slot: Sender<DirResult>,
}

/// How a task's directory is opened.
enum Source {
    /// A root the user named: opened by its path (a link the user named is followed).
    Root,
    /// A subdirectory: its name in the parent's open directory, opened without following a link, so that a
    /// directory swapped for a link meanwhile is never entered.
    Child(Arc<Dir>, OsString),
}

/// A stack of directories to read, shared by the workers; it knows when the walk is over.
struct Queue {
    state: Mutex<(Vec<Task>, usize)>,
    ready: Condvar,
}

impl Queue {
    fn push(&self, task: Task) {
        if let Ok(mut state) = self.state.lock() {
            state.0.push(task);
            self.ready.notify_one();
        }
    }

    /// The next directory, or `None` once no directory is waiting and none is being read.
    fn pop(&self) -> Option<Task> {
        let mut state = self.state.lock().ok()?;
        loop {
            if let Some(task) = state.0.pop() {
                state.1 += 1;
                return Some(task);
            }
            if state.1 == 0 {
                self.ready.notify_all();
                return None;
            }
            state = self.ready.wait(state).ok()?;
        }
    }

    fn done(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.1 -= 1;
            if state.1 == 0 && state.0.is_empty() {
                self.ready.notify_all();
            }
        }
    }
}

/// Lists the links under each root, reporting one [`Outcome::Listed`] per entry in a stable order, and one
/// [`Outcome::Failed`] per directory that could not be read (the walk goes on).
pub(super) fn list(request: &ListRequest, sink: &mut dyn Sink) {
    for root in &request.roots {
        let exists = std::fs::symlink_metadata(root).is_ok();
        if exists && !std::fs::metadata(root).is_ok_and(|md| md.is_dir()) {
            // A file or a link that does not lead to a directory: shown itself, as `dir NAME` shows one entry.
            sink.outcome(single(root, request.filter).unwrap_or_else(Outcome::Failed));
            continue;
        }
        let absolute = match absolute_normalised(root) {
            Ok(path) => path,
            Err(e) => {
                sink.outcome(Outcome::Failed(Error::from_io(e, root)));
                continue;
            }
        };
        let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| absolute.clone());
        let walk = Walk { request, real_root: &real_root };
        let (slot, first) = channel();
        let queue = Queue { state: Mutex::new((Vec::new(), 0)), ready: Condvar::new() };
        // Entries under `.` are shown as `name`, not `./name`.
        let shown = if root.as_os_str() == "." { PathBuf::new() } else { root.clone() };
        queue.push(Task { from: Source::Root, path: shown, absolute, slot });
        std::thread::scope(|scope| {
            for _ in 0..workers() {
                scope.spawn(|| {
                    while let Some(task) = queue.pop() {
                        let result = walk.read(&task, &queue);
                        let _ = task.slot.send(result);
                        queue.done();
                    }
                });
            }
            print_in_order(first, sink);
        });
    }
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

/// A root that is not a directory: the link or hard-linked file itself, or "not a directory" for anything else
/// (an ordinary file, or an entry the filter leaves out).
fn single(root: &Path, filter: ListFilter) -> Result<Outcome, Error> {
    let place = super::place::Place::open(root, ErrorKind::TargetNotFound, ErrorKind::NotADirectory)?;
    let info = place.at().lstat()?;
    let meta = place.dir.entry_meta(&place.name).map_err(|e| Error::from_io(e, root))?;
    let entry = |tag, target, state| {
        Outcome::Listed(Box::new(LinkEntry {
            path: root.to_path_buf(),
            tag,
            target,
            resolved: None,
            state,
            nlink: info.nlink,
            modified: meta.modified,
        }))
    };
    match info.kind {
        EntryKind::Symlink | EntryKind::Junction if filter != ListFilter::HardLinks => {
            let target = place.dir.read_link(&place.name).map_err(|e| Error::from_io(e, root))?;
            let state = match place.dir.stat_follow(&place.name) {
                Ok(_) => LinkState::Resolves,
                Err(e) if platform::fault(&e) == Fault::Loop => LinkState::Loop,
                Err(_) => LinkState::Dangling,
            };
            if filter == ListFilter::Dangling && state == LinkState::Resolves {
                return Err(Error::new(ErrorKind::NotADirectory, root));
            }
            let tag = if info.kind == EntryKind::Junction { LinkTag::Junction } else { LinkTag::Symlink };
            Ok(entry(tag, Some(target), state))
        }
        EntryKind::File if info.nlink > 1 && matches!(filter, ListFilter::All | ListFilter::HardLinks) => {
            Ok(entry(LinkTag::HardLink(info.nlink), None, LinkState::Resolves))
        }
        _ => Err(Error::new(ErrorKind::NotADirectory, root)),
    }
}

/// Hands the results to the sink depth-first: a directory's entries, then its subdirectories in order.
fn print_in_order(first: Receiver<DirResult>, sink: &mut dyn Sink) {
    let mut stack = vec![first];
    while let Some(slot) = stack.pop() {
        let Ok(result) = slot.recv() else { continue };
        for entry in result.entries {
            sink.outcome(Outcome::Listed(Box::new(entry)));
        }
        for error in result.errors {
            sink.outcome(Outcome::Failed(error));
        }
        stack.extend(result.children.into_iter().rev());
    }
}

struct Walk<'a> {
    request: &'a ListRequest,
    real_root: &'a Path,
}

impl Walk<'_> {
    fn read(&self, task: &Task, queue: &Queue) -> DirResult {
        let mut result = DirResult { entries: Vec::new(), errors: Vec::new(), children: Vec::new() };
        let opened = match &task.from {
            Source::Root => Dir::open(if task.path.as_os_str().is_empty() { Path::new(".") } else { &task.path }),
            Source::Child(parent, name) => {
                platform::pause_point("list-open-subdirectory");
                parent.open_subdir(name)
            }
        };
        let dir = match opened {
            Ok(dir) => Arc::new(dir),
            // A directory that vanished since its parent was read is simply no longer there.
            Err(e) if matches!(task.from, Source::Child(..)) && platform::fault(&e) == Fault::NotFound => {
                return result;
            }
            // One that turned into a link (or a file) meanwhile is never entered: say so.
            Err(e)
                if matches!(task.from, Source::Child(..))
                    && matches!(platform::fault(&e), Fault::Loop | Fault::NotADirectory) =>
            {
                result.errors.push(Error::with_source(ErrorKind::Raced, &task.path, e));
                return result;
            }
            Err(e) => {
                result.errors.push(Error::from_io(e, &task.path));
                return result;
            }
        };
        let mut names = Names::default();
        if let Err(e) = dir.for_each_entry(|name, kind| {
            names.push(name.as_bytes(), kind);
            true
        }) {
            result.errors.push(Error::from_io(e, &task.path));
        }
        names.sort();
        let mut subdirs = Vec::new();
        for index in 0..names.len() {
            let (name, kind) = names.get(index);
            let path = || task.path.join(platform::os_string_from_bytes(name.to_bytes().to_vec()));
            match self.entry(&dir, name, kind, &task.absolute, &names) {
                Ok(Found::Entry(mut found)) => {
                    found.path = path();
                    result.entries.push(found);
                }
                Ok(Found::Directory) if self.request.recursive => {
                    let (slot, receiver) = channel();
                    let child = platform::os_string_from_bytes(name.to_bytes().to_vec());
                    let absolute = task.absolute.join(&child);
                    let from = Source::Child(Arc::clone(&dir), child);
                    subdirs.push(Task { from, path: path(), absolute, slot });
                    result.children.push(receiver);
                }
                Ok(_) => {}
                // A name that vanished mid-walk is not an error: it is simply no longer there.
                Err(e) if platform::fault(&e) == Fault::NotFound => {}
                // A link that turned into something else between the directory read and the look at it.
                Err(e) if platform::is_not_a_link(&e) => {
                    result.errors.push(Error::with_source(ErrorKind::Raced, path(), e));
                }
                Err(e) => result.errors.push(Error::from_io(e, &path())),
            }
        }
        // Pushed last-first, so the workers take subdirectories in the order they are printed and finished
        // results wait in memory as little as possible.
        for task in subdirs.into_iter().rev() {
            queue.push(task);
        }
        result
    }

    fn entry(
        &self,
        dir: &Dir,
        name: &CStr,
        kind: Option<EntryKind>,
        absolute: &Path,
        names: &Names,
    ) -> std::io::Result<Found> {
        let filter = self.request.filter;
        let kind = match kind {
            Some(kind) => kind,
            None => dir.stat_at(name, false)?.info.kind,
        };
        match kind {
            EntryKind::Directory => Ok(Found::Directory),
            EntryKind::Symlink | EntryKind::Junction if filter != ListFilter::HardLinks => {
                self.link(dir, name, kind == EntryKind::Junction, absolute, names)
            }
            EntryKind::File if matches!(filter, ListFilter::All | ListFilter::HardLinks) => {
                let st = dir.stat_at(name, false)?;
                if st.info.nlink < 2 {
                    return Ok(Found::Nothing);
                }
                Ok(Found::Entry(LinkEntry {
                    path: PathBuf::new(),
                    tag: LinkTag::HardLink(st.info.nlink),
                    target: None,
                    resolved: None,
                    state: LinkState::Resolves,
                    nlink: st.info.nlink,
                    modified: st.modified,
                }))
            }
            _ => Ok(Found::Nothing),
        }
    }

    fn link(&self, dir: &Dir, name: &CStr, junction: bool, absolute: &Path, names: &Names) -> std::io::Result<Found> {
        let filter = self.request.filter;
        let target = dir.read_link_at(name)?;
        // What the target is: a plain name is looked up in the listing just read (a link to a link, or a name
        // not found there, is still followed by the system, which also knows about case-insensitive names).
        let listed =
            Some(target.as_os_str().as_encoded_bytes()).filter(|text| platform::is_plain_name(text)).and_then(|text| {
                match text {
                    b"." | b".." => Some(EntryKind::Directory),
                    _ => names.kind_of(text).filter(|kind| !kind.is_link()),
                }
            });
        let (state, to_dir) = match listed {
            Some(kind) => (LinkState::Resolves, kind == EntryKind::Directory),
            None => match dir.stat_at(name, true) {
                Ok(st) => (LinkState::Resolves, st.info.kind == EntryKind::Directory),
                Err(e) if platform::fault(&e) == Fault::Loop => (LinkState::Loop, false),
                Err(_) => (LinkState::Dangling, false),
            },
        };
        if filter == ListFilter::Dangling && state == LinkState::Resolves {
            return Ok(Found::Nothing);
        }
        let resolved = if self.request.resolve || filter == ListFilter::Escaping {
            let here = absolute.join(platform::os_string_from_bytes(name.to_bytes().to_vec()));
            Some(std::fs::canonicalize(&here).unwrap_or_else(|_| normalise(&absolute.join(&target))))
        } else {
            None
        };
        if filter == ListFilter::Escaping && resolved.as_ref().is_some_and(|r| r.starts_with(self.real_root)) {
            return Ok(Found::Nothing);
        }
        let own = dir.stat_at(name, false)?;
        let tag = match (junction, to_dir) {
            (true, _) => LinkTag::Junction,
            (false, true) => LinkTag::SymlinkDir,
            (false, false) => LinkTag::Symlink,
        };
        Ok(Found::Entry(LinkEntry {
            path: PathBuf::new(),
            tag,
            target: Some(target),
            resolved,
            state,
            nlink: own.info.nlink,
            modified: own.modified,
        }))
    }
}

enum Found {
    Entry(LinkEntry),
    Directory,
    Nothing,
}

/// The other names of `file` inside `tree`, found by comparing each directory entry's inode number before any
/// `stat`; the walk stops once all of the file's other names are found. Subdirectories are opened from their
/// parent's handle without following links.
pub(super) fn siblings(file: &Path, tree: &Path, sink: &mut dyn Sink) -> Result<(), Error> {
    let place = super::place::Place::open(file, ErrorKind::TargetNotFound, ErrorKind::TargetIsDirectory)?;
    let info = place.at().lstat()?;
    if info.kind == EntryKind::Directory {
        return Err(Error::new(ErrorKind::TargetIsDirectory, file));
    }
    // The file's own name, by the identity of its directory and its name there.
    let own_dir = place.dir.info().ok();
    let mut wanted = info.nlink.saturating_sub(1);
    let shown = if tree.as_os_str() == "." { PathBuf::new() } else { tree.to_path_buf() };
    let root = Dir::open(if tree.as_os_str().is_empty() { Path::new(".") } else { tree })
        .map_err(|e| Error::from_io(e, tree))?;
    // Pending subdirectories hold their parent's handle and are opened only when their turn comes, so open
    // descriptors stay few however wide the tree.
    let mut stack: Vec<(Arc<Dir>, OsString, PathBuf)> = Vec::new();
    let mut next = Some((Arc::new(root), shown));
    loop {
        let (dir, dir_path) = match next.take() {
            Some(first) => first,
            None => {
                let Some((parent, name, path)) = stack.pop() else { break };
                match parent.open_subdir(&name) {
                    Ok(child) => (Arc::new(child), path),
                    Err(e) if platform::fault(&e) == Fault::NotFound => continue,
                    Err(e) if matches!(platform::fault(&e), Fault::Loop | Fault::NotADirectory) => {
                        sink.outcome(Outcome::Failed(Error::with_source(ErrorKind::Raced, &path, e)));
                        continue;
                    }
                    Err(e) => {
                        sink.outcome(Outcome::Failed(Error::from_io(e, &path)));
                        continue;
                    }
                }
            }
        };
        if wanted == 0 {
            break;
        }
        let here = dir.info().ok();
        let is_own_dir = here.is_some() && own_dir.is_some_and(|own| here.is_some_and(|h| h.same_file(&own)));
        let mut subdirs = Vec::new();
        let mut hits = Vec::new();
        let _ = dir.for_each_entry(|name, kind| {
            match kind {
                Some(EntryKind::Directory) => subdirs.push(name.to_os_string()),
                None => hits.push(name.to_os_string()),
                _ if name.ino_hint().is_none_or(|ino| ino == info.ino) => hits.push(name.to_os_string()),
                _ => {}
            }
            true
        });
        hits.sort_unstable();
        for name in hits {
            let Ok(st) = dir.lstat(&name) else { continue };
            if st.kind == EntryKind::Directory {
                subdirs.push(name);
                continue;
            }
            if !st.same_file(&info) || (is_own_dir && name == place.name) {
                continue;
            }
            wanted = wanted.saturating_sub(1);
            sink.outcome(Outcome::Sibling { path: dir_path.join(name) });
        }
        subdirs.sort_unstable();
        for name in subdirs.into_iter().rev() {
            let path = dir_path.join(&name);
            stack.push((Arc::clone(&dir), name, path));
        }
    }
    Ok(())
}
