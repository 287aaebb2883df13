//! Deduplication into hard links.
//!
//! One walk records every regular file; files are then sorted by (device, size, owner and mode as the policy
//! asks, inode), so that the names of one inode sit together and cost no reading, and only sizes held by two or
//! more inodes are read at all. Within such a class each inode is read once: a sampled hash, then (for the
//! samples that match another's) a full hash, so the cost is linear in the bytes of candidate files, never a
//! comparison of every pair. Groups of equal full hashes are merged (see [`merge`]).

mod cache;
mod hash;
mod jobs;
pub(crate) mod journal;
mod merge;
mod scan;
mod select;

use crate::engine::{DedupeRequest, DedupeSummary, Error, Outcome, Sink, SkipReason, TreeItem};
use cache::{Cache, Hashes, Stamp};
use hash::Reader;
use journal::Journal;
use merge::{Context, Inode};
use scan::Scan;
use std::collections::HashMap;

/// Classes of at most this many inodes keep their files open between hashing and merging.
const KEEP_OPEN: usize = 64;

/// Classes are hashed in batches of about this many inodes: enough to keep every hashing thread busy, few enough
/// that the files kept open for the merge stay far below the descriptor limit.
const BATCH: usize = 256;

/// Runs a deduplication and reports each merge, each skipped name and a closing summary.
pub(crate) fn run(request: &DedupeRequest, dry: bool, sink: &mut dyn Sink) {
    let mut summary = DedupeSummary::default();
    let mut journal = request.journal.as_deref().filter(|_| !dry).map(Journal::new);
    // Trusted hashes are of another kind (BLAKE3) than the cache keeps: such a run neither reads nor writes it.
    let cache = request.cache.as_deref().filter(|_| !request.trust_hash).map(Cache::load);
    let outcome = Scan::run(&request.roots, request.selection.as_ref(), sink).and_then(|mut scan| {
        summary.files = scan.files.len() as u64;
        let kind = if request.trust_hash { hash::Kind::Strong } else { hash::Kind::Fast };
        let mut readers: Vec<Reader> = (0..jobs::threads()).map(|_| Reader::new(kind)).collect();
        let mut cx = Context {
            scan: &mut scan,
            readers: &mut readers,
            journal: journal.as_mut(),
            summary: &mut summary,
            sink: &mut *sink,
            dry,
            trust_hash: request.trust_hash,
            arena: Vec::new(),
            cache,
            touched: Vec::new(),
        };
        let result = dedupe(&mut cx, request);
        if let (false, Some(path), Some(mut cache)) = (dry, &request.cache, cx.cache.take()) {
            // The cache only saves reading next time: failing to write it costs nothing else.
            let _ = cache.save(path);
        }
        summary.bytes_read = readers.iter().map(|r| r.read).sum();
        result
    });
    if let Err(e) = outcome {
        sink.outcome(Outcome::Failed(e));
    }
    summary.journal = journal.as_ref().and_then(|j| j.written()).map(|p| p.to_path_buf());
    sink.outcome(Outcome::Tree(TreeItem::Summary(summary)));
}

/// Caches again the kept files whose change time our own links moved, as they are now.
fn recache(scan: &mut Scan, cache: &mut Cache, touched: &[(u32, Hashes)]) {
    for &(index, hash) in touched {
        let rec = scan.files[index as usize];
        let Ok(Some(dir)) = scan.dir_of(rec.dir) else { continue };
        let Ok(st) = dir.stat_full(&scan.name(&rec)) else { continue };
        if (st.dev, st.ino, st.size, scan::nanos(st.modified)) == (rec.dev, rec.ino, rec.size, rec.mtime) {
            let stamp = Stamp { size: rec.size, mtime: rec.mtime, ctime: scan::nanos(st.changed) };
            cache.put_final(rec.dev, rec.ino, stamp, hash);
        }
    }
}

/// The grouping key of a file: device, size, and owner and mode unless the policy ignores them.
fn class(f: &scan::FileRec, request: &DedupeRequest) -> (u64, u64, u32, u32, u32) {
    let (uid, gid) = if request.ignore_owner { (0, 0) } else { (f.uid, f.gid) };
    let mode = if request.ignore_mode { 0 } else { f.mode };
    (f.dev, f.size, uid, gid, mode)
}

fn dedupe(cx: &mut Context<'_>, request: &DedupeRequest) -> Result<(), Error> {
    let files = &cx.scan.files;
    // Empty files hold no data to share; linking them would only tie unrelated files together.
    let mut order: Vec<u32> = (0..files.len() as u32).filter(|&i| files[i as usize].size > 0).collect();
    order.sort_unstable_by_key(|&i| {
        let f = &files[i as usize];
        (class(f, request), f.ino, i)
    });
    let mut batch: Vec<Class> = Vec::new();
    let mut pending = 0;
    let mut start = 0;
    while start < order.len() {
        let key = class(&cx.scan.files[order[start] as usize], request);
        let mut end = start + 1;
        while end < order.len() && class(&cx.scan.files[order[end] as usize], request) == key {
            end += 1;
        }
        let mut inodes = inodes_of(&cx.scan.files, &order[start..end]);
        if inodes.len() > 1 {
            // A small class keeps its files open from hashing to merging: no second open of each.
            if inodes.len() <= KEEP_OPEN {
                for inode in &mut inodes {
                    inode.keep_open = true;
                }
            }
            cx.summary.read += inodes.len() as u64;
            pending += inodes.len();
            batch.push(Class { size: key.1, inodes });
            if pending >= BATCH {
                run_batch(cx, std::mem::take(&mut batch))?;
                pending = 0;
            }
        }
        start = end;
    }
    run_batch(cx, batch)
}

/// The inodes (two or more) of one grouping key, all of one size.
struct Class {
    size: u64,
    inodes: Vec<Inode>,
}

/// Splits a sorted run of names into inodes, each with its names in walk order, ordered by first name.
fn inodes_of(files: &[scan::FileRec], run: &[u32]) -> Vec<Inode> {
    let mut inodes: Vec<Inode> = Vec::new();
    let mut last = None;
    for &i in run {
        let ino = files[i as usize].ino;
        if last == Some(ino) {
            if let Some(inode) = inodes.last_mut() {
                inode.names.push(i);
            }
        } else {
            inodes.push(Inode {
                names: vec![i],
                hash: Hashes { sample: [0; 32], full: None },
                file: None,
                bytes: None,
                keep_open: false,
            });
            last = Some(ino);
        }
    }
    inodes.sort_by_key(|inode| inode.names[0]);
    inodes
}

/// Finds and merges the groups of identical content in a batch of classes: a sampled hash of each inode (the
/// full hash for a small file), then the full hash of those whose sample matches another's in their class, each
/// step on all hashing threads at once; then each class's groups (two or more inodes of equal full hash) are
/// merged in order. Hashes cached for a file's exact size and times stand for reading it.
fn run_batch(cx: &mut Context<'_>, mut classes: Vec<Class>) -> Result<(), Error> {
    let mut alive: Vec<Vec<bool>> = classes.iter().map(|c| vec![true; c.inodes.len()]).collect();
    // Step 1: the sample of every inode the cache does not know. A small file kept open for its merge, whose
    // bytes the merge will compare, is read into the arena, so the comparison needs no second reading.
    let now = hash::now_nanos();
    let mut jobs = Vec::new();
    let mut kept_bytes: Vec<usize> = Vec::new();
    for (c, class) in classes.iter_mut().enumerate() {
        let small = class.size <= hash::SMALL;
        for (i, inode) in class.inodes.iter_mut().enumerate() {
            let rec = cx.scan.files[inode.names[0] as usize];
            let known = cx.cache.as_ref().and_then(|c| c.get(rec.dev, rec.ino, stamp(&rec)));
            match known {
                Some(hashes) => inode.hash = hashes,
                None => match job(cx, inode, (c, i), small) {
                    Some(job) => {
                        let keep = small
                            && inode.keep_open
                            && !cx.trust_hash
                            && crate::platform::CHANGE_TIME_IS_TRUE
                            && hash::settled(rec.ctime, now);
                        kept_bytes.push(if keep { usize::try_from(rec.size).unwrap_or(0) } else { 0 });
                        jobs.push(job);
                    }
                    None => alive[c][i] = false,
                },
            }
        }
    }
    let mut arena = std::mem::take(&mut cx.arena);
    arena.clear();
    arena.resize(kept_bytes.iter().sum(), 0);
    let mut ranges = Vec::with_capacity(jobs.len());
    let (mut rest, mut offset) = (arena.as_mut_slice(), 0);
    for (job, &len) in jobs.iter_mut().zip(&kept_bytes) {
        if len == 0 {
            ranges.push(None);
            continue;
        }
        let (mine, tail) = std::mem::take(&mut rest).split_at_mut(len);
        job.bytes = Some(mine);
        rest = tail;
        ranges.push(Some(offset..offset + len));
        offset += len;
    }
    jobs::run_all(cx.readers, &mut jobs);
    for (mut job, range) in jobs.into_iter().zip(ranges) {
        let (c, i) = job.slot;
        let small = classes[c].size <= hash::SMALL;
        let inode = &mut classes[c].inodes[i];
        if let Some(hash) = settle(cx, &mut job, inode, &mut alive[c][i]) {
            let hash = grouping(cx, hash);
            let hashes = Hashes { sample: hash, full: small.then_some(hash) };
            inode.hash = hashes;
            inode.bytes = range;
            let rec = cx.scan.files[inode.names[0] as usize];
            remember(cx, &rec, hashes);
        }
    }
    cx.arena = arena;
    // Step 2: the full hash of every inode whose sample matches another's.
    let mut jobs = Vec::new();
    for (c, class) in classes.iter_mut().enumerate() {
        let mut by_sample: HashMap<[u8; 32], Vec<usize>> = HashMap::new();
        for (i, inode) in class.inodes.iter().enumerate().filter(|&(i, _)| alive[c][i]) {
            by_sample.entry(inode.hash.sample).or_default().push(i);
        }
        for (_, group) in by_sample {
            if group.len() < 2 {
                for i in group {
                    alive[c][i] = false;
                }
                continue;
            }
            for i in group {
                let inode = &mut class.inodes[i];
                if inode.hash.full.is_none() {
                    match job(cx, inode, (c, i), true) {
                        Some(job) => jobs.push(job),
                        None => alive[c][i] = false,
                    }
                }
            }
        }
    }
    jobs::run_all(cx.readers, &mut jobs);
    for mut job in jobs {
        let (c, i) = job.slot;
        let inode = &mut classes[c].inodes[i];
        if let Some(full) = settle(cx, &mut job, inode, &mut alive[c][i]) {
            inode.hash.full = Some(grouping(cx, full));
            let (hashes, rec) = (inode.hash, cx.scan.files[inode.names[0] as usize]);
            remember(cx, &rec, hashes);
        }
    }
    // Step 3: the groups of equal full hashes, class by class, each in the order of its first path.
    for (c, class) in classes.into_iter().enumerate() {
        let mut by_full: HashMap<[u8; 32], Vec<Inode>> = HashMap::new();
        for (i, inode) in class.inodes.into_iter().enumerate() {
            if let (true, Some(full)) = (alive[c][i], inode.hash.full) {
                by_full.entry(full).or_default().push(inode);
            }
        }
        let mut groups: Vec<Vec<Inode>> = by_full.into_values().filter(|g| g.len() > 1).collect();
        for group in &mut groups {
            group.sort_by_key(|inode| inode.names[0]);
        }
        groups.sort_by_key(|g| g[0].names[0]);
        for group in groups {
            cx.summary.groups += 1;
            cx.merge(group)?;
            // The kept file's change time is final now that its group is merged: cache it as it is.
            if let Some(cache) = cx.cache.as_mut() {
                recache(cx.scan, cache, &cx.touched);
            }
            cx.touched.clear();
        }
    }
    Ok(())
}

/// A job hashing one inode through its first name (whole when `full`, else sampled), or `None` when its
/// directory changed or cannot be opened (reported here).
fn job<'a>(cx: &mut Context<'_>, inode: &mut Inode, slot: (usize, usize), full: bool) -> Option<jobs::Job<'a>> {
    let rec = cx.scan.files[inode.names[0] as usize];
    match cx.scan.dir_of(rec.dir) {
        Ok(Some(dir)) => {
            let name = cx.scan.name(&rec);
            Some(jobs::Job::new(slot, dir, name, rec, inode.file.take(), full, inode.keep_open))
        }
        Ok(None) => {
            skip_changed(cx, inode);
            None
        }
        Err(e) => {
            let err = Error::from_io(e, &cx.scan.path(&rec));
            cx.sink.outcome(Outcome::Failed(err));
            None
        }
    }
}

/// Takes a job's outcome back: its hash, with the file kept open when it is to be; or the inode leaves the run
/// (`alive` cleared), reported as changed or failed.
fn settle(cx: &mut Context<'_>, job: &mut jobs::Job<'_>, inode: &mut Inode, alive: &mut bool) -> Option<[u8; 32]> {
    match std::mem::replace(&mut job.result, jobs::Hashed::Pending) {
        jobs::Hashed::Done(hash) => {
            inode.file = job.file.take();
            Some(hash)
        }
        jobs::Hashed::Changed | jobs::Hashed::Pending => {
            *alive = false;
            skip_changed(cx, inode);
            None
        }
        jobs::Hashed::Failed(e) => {
            *alive = false;
            let err = Error::from_io(e, &cx.scan.path(&cx.scan.files[inode.names[0] as usize]));
            cx.sink.outcome(Outcome::Failed(err));
            None
        }
    }
}

/// The part of a fresh hash that groups files: all of it when hashes are trusted, else the 96 bits the cache
/// keeps, so that fresh and cached hashes compare alike (the bytes are compared before every link anyway).
fn grouping(cx: &Context<'_>, hash: [u8; 32]) -> [u8; 32] {
    if cx.trust_hash { hash } else { cache::short(hash) }
}

fn remember(cx: &mut Context<'_>, rec: &scan::FileRec, hashes: Hashes) {
    if let Some(cache) = cx.cache.as_mut() {
        cache.put(rec.dev, rec.ino, stamp(rec), hashes);
    }
}

/// What a cache entry for the file must match.
fn stamp(rec: &scan::FileRec) -> Stamp {
    Stamp { size: rec.size, mtime: rec.mtime, ctime: rec.ctime }
}

fn skip_changed(cx: &mut Context<'_>, inode: &Inode) {
    for &i in &inode.names {
        let name = cx.scan.path(&cx.scan.files[i as usize]);
        cx.summary.skipped += 1;
        cx.sink.outcome(Outcome::Tree(TreeItem::Skipped { name, reason: SkipReason::Changed }));
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{DedupeRequest, Operation, Outcome, Request, TreeItem, run};
    use crate::model::Collected;
    use crate::platform;
    use std::path::Path;

    fn dedupe(root: &Path) -> Collected {
        let request = DedupeRequest { roots: vec![root.to_path_buf()], ..DedupeRequest::default() };
        let mut out = Collected::default();
        run(&Request { operation: Operation::Dedupe(request), dry_run: false }, &mut out);
        out
    }

    fn merged(out: &Collected) -> usize {
        out.outcomes.iter().filter(|o| matches!(o, Outcome::Tree(TreeItem::Merged { .. }))).count()
    }

    #[test]
    fn identical_files_become_names_of_one_file_on_every_platform() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["a", "sub/b", "c"] {
            std::fs::write(dir.path().join(name), "same bytes").unwrap();
        }
        std::fs::write(dir.path().join("d"), "other byte").unwrap();
        let out = dedupe(dir.path());
        assert_eq!(merged(&out), 2, "{:?}", out.outcomes);
        let info = |name: &str| platform::lstat(&dir.path().join(name)).unwrap();
        assert!(info("a").same_file(&info("sub/b")) && info("a").same_file(&info("c")));
        assert_eq!((info("a").nlink, info("d").nlink), (3, 1));
        assert_eq!(std::fs::read_to_string(dir.path().join("sub/b")).unwrap(), "same bytes");
    }

    /// NTFS allows 1,023 names per file (ERROR_TOO_MANY_LINKS beyond); on Unix the same rule is proved on a
    /// loop-mounted ext4 by the integration tests. Wine cannot run it: its server has no Windows error for the
    /// host's `EMLINK` (tried on 2026-12-01 with a btrfs made without `extref`, 812 names per directory: wineserver
    /// logs "file_set_error() can't map error: Too many links" and the link fails with a general failure,
    /// `STATUS_UNSUCCESSFUL`). What runs under Wine instead: the merge code is the same on both systems, and the
    /// mapping of ERROR_TOO_MANY_LINKS to the link-limit fault it reacts to is checked by
    /// `win32_errors_map_to_faults`.
    #[cfg(windows)]
    #[test]
    #[ignore = "needs NTFS (1,023 names per file): Wine's server maps the host's EMLINK to a general failure"]
    fn a_full_file_hands_over_to_the_next_instead_of_failing() {
        // The kept file is one name short of the file system's limit.
        let dir = tempfile::tempdir().unwrap();
        let full = dir.path().join("full");
        std::fs::write(&full, "payload").unwrap();
        std::fs::create_dir(dir.path().join("links")).unwrap();
        let mut n = 0;
        while n < 70_000 && std::fs::hard_link(&full, dir.path().join(format!("links/{n}"))).is_ok() {
            n += 1;
        }
        assert!(n < 70_000, "the file system has no link limit to test");
        std::fs::remove_file(dir.path().join(format!("links/{}", n - 1))).unwrap();
        for name in ["d1", "d2", "d3"] {
            std::fs::write(dir.path().join(name), "payload").unwrap();
        }
        let out = dedupe(dir.path());
        assert!(!out.outcomes.iter().any(|o| matches!(o, Outcome::Failed(_))), "{:?}", out.outcomes.last());
        let info = |name: &str| platform::lstat(&dir.path().join(name)).unwrap();
        assert!(info("d1").same_file(&info("full")));
        assert!(info("d3").same_file(&info("d2")) && !info("d2").same_file(&info("full")));
    }
}
