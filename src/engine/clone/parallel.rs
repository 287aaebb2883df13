//! The copy spread over threads, one directory at a time.
//!
//! A directory is the unit of work: a thread opens it from its parent's open handle (never through a link, as
//! the walk does), lists it, makes every entry, and leaves each subdirectory made but empty, as a new job. A
//! free thread takes the job that comes first in depth-first order (the order of the report below): the
//! threads stay close together in the tree, the handles held open are those of the directories with work still
//! pending below them (about the depth of the tree per thread), and the report seldom waits.
//!
//! Directory metadata still comes last: each directory counts the work open inside it (its own listing and
//! each unfinished subdirectory); the thread that brings the count to zero gives the directory SOURCE's
//! attributes, mode, owner and times, then counts it off its parent.
//!
//! The report stays in one order whatever the threads do: each directory's messages are kept together and
//! handed to the caller's thread, which passes them on in depth-first order of directories (a directory's own
//! entries, then each of its subdirectories in the order they were listed). A thread runs ahead by at most a
//! few directories; beyond that it takes only the directory the report waits for.

use super::build::{Level, Made, Maker, Msg, Out, failed};
use crate::engine::walk::{Order, open_child, read_names};
use crate::model::{CloneSummary, Cloned, Error, Sink};
use crate::platform::{self, Node};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// A directory to copy.
enum Job {
    /// The top, already open.
    Top(Level),
    /// A subdirectory of `parent`, made (empty) in the partial tree but not yet opened.
    Child { parent: Arc<Level>, name: OsString, node: Node },
}

/// What one directory's copy left for the report.
struct Batch {
    out: Out,
    /// The ids of its subdirectories' jobs, in listing order.
    children: Vec<u64>,
}

#[derive(Default)]
struct State {
    /// Jobs not yet taken, with their ids, by place in depth-first order (the index of each directory on the
    /// path among its parent's subdirectories); the first is taken first.
    jobs: BTreeMap<Vec<u32>, (u64, Job)>,
    next_id: u64,
    /// Threads copying a directory right now.
    busy: usize,
    /// Threads not yet finished.
    running: usize,
    /// Directories copied whose report is not yet handed out, by id.
    ready: HashMap<u64, Batch>,
    /// Messages from directories finished later (their metadata), handed out as they come.
    late: Vec<Out>,
    /// Where the report stands: for each directory on the path, the ids of its subdirectories still to report.
    cursor: Vec<VecDeque<u64>>,
}

impl State {
    /// The id of the directory the report waits for.
    fn awaited(&mut self) -> Option<u64> {
        loop {
            let queue = self.cursor.last_mut()?;
            match queue.front() {
                Some(&id) => return Some(id),
                None => {
                    self.cursor.pop();
                }
            }
        }
    }

    /// The next directory's report in order, if it is ready.
    fn take_next(&mut self) -> Option<Out> {
        let id = self.awaited()?;
        let Batch { out, children } = self.ready.remove(&id)?;
        if let Some(queue) = self.cursor.last_mut() {
            queue.pop_front();
        }
        if !children.is_empty() {
            self.cursor.push(children.into());
        }
        Some(out)
    }
}

/// One copy spread over threads.
struct Copy<'m, 'r> {
    maker: &'m Maker<'r>,
    order: Order,
    /// Directories a thread may finish ahead of the report.
    window: usize,
    state: Mutex<State>,
    /// Wakes threads waiting for a job.
    work: Condvar,
    /// Wakes the caller's thread waiting for a report.
    report: Condvar,
    stop: AtomicBool,
    interrupted: AtomicBool,
}

/// How many threads copy: one per core, at most eight (more only queue for the same file system locks).
pub(super) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8)
}

/// Copies the tree below `top` with `threads` threads, handing every message to `sink` in order. Returns the
/// counts of everything made and whether an interrupt stopped the copy.
pub(super) fn copy(
    maker: &Maker<'_>,
    order: Order,
    top: Level,
    threads: usize,
    sink: &mut dyn Sink,
) -> (CloneSummary, bool) {
    let threads = threads.max(1);
    let mut state = State { next_id: 1, running: threads, ..State::default() };
    state.jobs.insert(Vec::new(), (0, Job::Top(top)));
    state.cursor.push(VecDeque::from([0]));
    let copy = Copy {
        maker,
        order,
        window: 8 * threads,
        state: Mutex::new(state),
        work: Condvar::new(),
        report: Condvar::new(),
        stop: AtomicBool::new(false),
        interrupted: AtomicBool::new(false),
    };
    let summary = std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| copy.worker());
        }
        copy.hand_out(sink)
    });
    (summary, copy.interrupted.load(Ordering::Relaxed))
}

/// Adds the counts of `part` to `total`.
pub(super) fn add(total: &mut CloneSummary, part: &CloneSummary) {
    total.directories += part.directories;
    total.hard_links += part.hard_links;
    total.from_reference += part.from_reference;
    total.copied += part.copied;
    total.symlinks += part.symlinks;
    total.repointed += part.repointed;
    total.outside += part.outside;
    total.dangling += part.dangling;
    total.followed += part.followed;
    total.dropped += part.dropped;
    total.special += part.special;
    total.skipped += part.skipped;
    total.failed += part.failed;
}

/// Counts a thread off when it ends, however it ends, so no one waits for it.
struct Leaving<'c, 'm, 'r>(&'c Copy<'m, 'r>);

impl Drop for Leaving<'_, '_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop.store(true, Ordering::Relaxed);
        }
        let mut state = self.0.lock();
        state.running -= 1;
        drop(state);
        self.0.work.notify_all();
        self.0.report.notify_all();
    }
}

impl Copy<'_, '_> {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn worker(&self) {
        let _leaving = Leaving(self);
        while let Some((place, id, job)) = self.next_job() {
            let mut out = Out::default();
            let mut children = Vec::new();
            if let Some(level) = self.open(job, &mut out) {
                let level = Arc::new(level);
                self.fill(&level, &mut out, &mut children);
                self.finish(level);
            }
            self.done(place, id, out, children);
        }
    }

    /// Waits for a job; `None` when there is none left (or the copy stopped).
    fn next_job(&self) -> Option<(Vec<u32>, u64, Job)> {
        let mut state = self.lock();
        loop {
            if self.stop.load(Ordering::Relaxed) || (state.jobs.is_empty() && state.busy == 0) {
                return None;
            }
            let pick = if state.ready.len() < self.window {
                state.jobs.keys().next().cloned()
            } else {
                // Far enough ahead of the report: only the directory it waits for.
                let awaited = state.awaited();
                state.jobs.iter().find(|(_, (id, _))| Some(*id) == awaited).map(|(place, _)| place.clone())
            };
            if let Some((place, (id, job))) = pick.and_then(|place| state.jobs.remove_entry(&place)) {
                state.busy += 1;
                return Some((place, id, job));
            }
            state = self.work.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Records a copied directory's report and its subdirectories' jobs.
    fn done(&self, place: Vec<u32>, id: u64, out: Out, children: Vec<Job>) {
        let mut state = self.lock();
        let mut ids = Vec::with_capacity(children.len());
        for (index, job) in (0u32..).zip(children) {
            let child = state.next_id;
            state.next_id += 1;
            ids.push(child);
            let mut at = place.clone();
            at.push(index);
            state.jobs.insert(at, (child, job));
        }
        state.ready.insert(id, Batch { out, children: ids });
        state.busy -= 1;
        drop(state);
        self.work.notify_all();
        self.report.notify_all();
    }

    /// Opens a job's directory in SOURCE, in the partial tree and in the references.
    fn open(&self, job: Job, out: &mut Out) -> Option<Level> {
        let (parent, name, node) = match job {
            Job::Top(level) => return Some(level),
            Job::Child { parent, name, node } => (parent, name, node),
        };
        let rel = parent.rel.join(&name);
        let req = self.maker.req;
        let opened = open_child(&parent.src, &name, &req.source, &rel).and_then(|src| match (src, &parent.dest) {
            (Some(src), Some(dest)) => {
                let dest = dest.open_subdir(&name).map_err(|e| failed(e, &req.dest.join(&rel)))?;
                Ok(Some((src, Some(dest))))
            }
            (Some(src), None) => Ok(Some((src, None))),
            (None, _) => Ok(None),
        });
        let (src, dest) = match opened {
            Ok(Some(pair)) => pair,
            // Gone since its parent was read: nothing to copy.
            Ok(None) => {
                self.finish(parent);
                return None;
            }
            Err(err) => {
                out.failed(err);
                self.finish(parent);
                return None;
            }
        };
        let refs = parent.refs.iter().map(|r| r.as_ref().and_then(|r| r.open_subdir(&name).ok())).collect();
        Some(Level { src, dest, node, refs, rel, open: AtomicUsize::new(1), parent: Some(parent) })
    }

    /// Makes every entry of `level`; its subdirectories become `children`.
    fn fill(&self, level: &Arc<Level>, out: &mut Out, children: &mut Vec<Job>) {
        let req = self.maker.req;
        let names = match read_names(&level.src, self.order) {
            Ok(names) => names,
            Err(e) => {
                let shown =
                    if level.rel.as_os_str().is_empty() { req.source.clone() } else { req.source.join(&level.rel) };
                out.failed(Error::from_io(e, &shown));
                return;
            }
        };
        // One message per entry, mostly: one allocation, not a growing vector.
        out.msgs.reserve(names.len());
        for (name, kind) in names {
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            if platform::interrupted() {
                self.interrupted.store(true, Ordering::Relaxed);
                self.stop.store(true, Ordering::Relaxed);
                return;
            }
            let rel = level.rel.join(&name);
            let shown = req.dest.join(&rel);
            match self.maker.entry(level, &name, kind, &rel, &shown, out) {
                Ok(Made::Item(what)) => out.item(shown, what),
                Ok(Made::Dir(node)) => {
                    out.item(shown, Cloned::Directory);
                    level.open.fetch_add(1, Ordering::AcqRel);
                    children.push(Job::Child { parent: Arc::clone(level), name, node });
                }
                Ok(Made::Nothing) => {}
                Err(err) => out.failed(err),
            }
        }
    }

    /// Counts one piece of work off `level`; the last one gives the directory its metadata and counts it off
    /// its parent in turn.
    fn finish(&self, level: Arc<Level>) {
        let mut level = level;
        loop {
            if level.open.fetch_sub(1, Ordering::AcqRel) != 1 {
                return;
            }
            if let Some(dest) = &level.dest {
                let mut out = Out::default();
                let shown = trim(&self.maker.req.dest.join(&level.rel));
                if let Err(e) = dest.copy_xattrs_from(&level.src) {
                    out.skipped(failed(e, &shown));
                }
                if let Err(e) = dest.set_self_meta(&level.node, self.maker.owner) {
                    out.skipped(failed(e, &shown));
                }
                if !out.msgs.is_empty() {
                    self.lock().late.push(out);
                    self.report.notify_all();
                }
            }
            match &level.parent {
                Some(parent) => level = Arc::clone(parent),
                None => return,
            }
        }
    }

    /// The caller's thread: hands every report to `sink` in order until the threads are done, and adds up the
    /// counts.
    fn hand_out(&self, sink: &mut dyn Sink) -> CloneSummary {
        let mut total = CloneSummary::default();
        loop {
            let mut state = self.lock();
            let (outs, last) = loop {
                let mut outs = std::mem::take(&mut state.late);
                outs.extend(state.take_next());
                if !outs.is_empty() {
                    break (outs, false);
                }
                if state.running == 0 {
                    // Stopped early: what was copied is reported, in the order the directories were found.
                    let mut rest: Vec<_> = state.ready.drain().collect();
                    rest.sort_unstable_by_key(|(id, _)| *id);
                    break (rest.into_iter().map(|(_, batch)| batch.out).collect(), true);
                }
                state = self.report.wait(state).unwrap_or_else(PoisonError::into_inner);
            };
            drop(state);
            self.work.notify_all();
            for out in outs {
                add(&mut total, &out.summary);
                for msg in out.msgs {
                    match msg {
                        Msg::Outcome(outcome) => sink.outcome(outcome),
                        Msg::Warning(warning) => sink.warning(warning),
                    }
                }
            }
            if last {
                return total;
            }
        }
    }
}

/// DEST's own name rather than `DEST/` for the top directory.
fn trim(shown: &Path) -> PathBuf {
    shown.components().collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::model::Outcome;

    #[test]
    fn the_report_follows_directories_depth_first_whatever_order_they_finish_in() {
        let mut state = State::default();
        state.cursor.push(VecDeque::from([0]));
        let batch = |tag: &str, children: Vec<u64>| {
            let mut out = Out::default();
            out.item(PathBuf::from(tag), Cloned::Directory);
            Batch { out, children }
        };
        let tag = |out: Option<Out>| match out.and_then(|o| o.msgs.into_iter().next()) {
            Some(Msg::Outcome(Outcome::Cloned(item))) => item.path.display().to_string(),
            _ => "-".to_string(),
        };
        // The top has subdirectories 1 and 2; 1 has 3. They finish as 2, top, 3, 1.
        state.ready.insert(2, batch("two", vec![]));
        assert_eq!(tag(state.take_next()), "-");
        state.ready.insert(0, batch("top", vec![1, 2]));
        assert_eq!(tag(state.take_next()), "top");
        assert_eq!(tag(state.take_next()), "-", "waits for 1, though 2 is ready");
        assert_eq!(state.awaited(), Some(1));
        state.ready.insert(3, batch("three", vec![]));
        state.ready.insert(1, batch("one", vec![3]));
        let rest: Vec<_> = (0..4).map(|_| tag(state.take_next())).collect();
        assert_eq!(rest, ["one", "three", "two", "-"]);
        assert_eq!(state.awaited(), None);
    }
}
