//! Merging one group of identical files: the kept file is linked under a temporary name beside each duplicate
//! name and renamed over it, so the name is never missing; both files are checked again right before, and a
//! file that changed is skipped. At the file system's link limit the duplicate becomes the kept file for the
//! rest of the group.

use super::hash::Reader;
use super::journal::{Journal, MergeRecord};
use super::scan::{FileRec, Scan, nanos};
use crate::engine::{DedupeSummary, Error, ErrorKind, Outcome, Sink, SkipReason, TreeItem};
use crate::platform::{self, Dir, Fault, Rename};
use std::ffi::OsString;
use std::fs::File;
use std::ops::Range;
use std::sync::Arc;

/// The names of one inode, as indices into the scan's files.
pub(super) struct Inode {
    pub names: Vec<u32>,
    /// The hashes of its content, once known.
    pub hash: super::cache::Hashes,
    /// The file, still open from hashing (checked against the scan then).
    pub file: Option<File>,
    /// Where the bytes of a small file, as hashing read them, lie in the batch's [`Context::arena`], when they may
    /// stand for reading it again (see [`super::hash::settled`]).
    pub bytes: Option<Range<usize>>,
    /// Whether to keep the file open after hashing.
    pub keep_open: bool,
}

/// What the merge needs besides the group.
pub(super) struct Context<'a> {
    pub scan: &'a mut Scan,
    /// One reader per hashing thread; the merge's byte comparisons use the first.
    pub readers: &'a mut [Reader],
    pub journal: Option<&'a mut Journal>,
    pub summary: &'a mut DedupeSummary,
    pub sink: &'a mut dyn Sink,
    pub dry: bool,
    pub trust_hash: bool,
    /// The bytes of the current batch's small settled files, read by their hash (see [`Inode::bytes`]); one
    /// buffer reused from batch to batch.
    pub arena: Vec<u8>,
    /// The hash cache, when one is kept.
    pub cache: Option<super::cache::Cache>,
    /// Kept files that received links (their change time moved): (first name, hash), to cache them again.
    pub touched: Vec<(u32, super::cache::Hashes)>,
}

/// An open file of the group, with the change time it is expected to have (our own links change it).
struct Open {
    index: u32,
    hash: super::cache::Hashes,
    rec: FileRec,
    /// Always open for the kept file; a duplicate's is closed before its names are replaced where the system
    /// cannot replace a name whose file is open (see [`platform::CAN_REPLACE_OPEN_FILES`]).
    file: Option<File>,
    /// The bytes as hashed, for the comparison (see [`Inode::bytes`]).
    bytes: Option<Range<usize>>,
    dir: Arc<Dir>,
    name: OsString,
    ctime: i64,
}

impl Context<'_> {
    fn skip(&mut self, names: &[u32], reason: SkipReason) {
        for &i in names {
            let name = self.scan.path(&self.scan.files[i as usize]);
            self.summary.skipped += 1;
            self.sink.outcome(Outcome::Tree(TreeItem::Skipped { name, reason }));
        }
    }

    /// Opens an inode by its first name (or takes the file still open from hashing) and checks it is still what
    /// the scan saw; `None` when it changed.
    fn open(&mut self, inode: &mut Inode) -> Result<Option<Open>, Error> {
        let index = inode.names[0];
        let rec = self.scan.files[index as usize];
        let at = |scan: &Scan, e| Error::from_io(e, &scan.path(&rec));
        let Some(dir) = self.scan.dir_of(rec.dir).map_err(|e| at(self.scan, e))? else { return Ok(None) };
        let name = self.scan.name(&rec);
        if let Some(file) = inode.file.take() {
            let (hash, bytes) = (inode.hash, inode.bytes.take());
            return Ok(Some(Open { index, hash, rec, file: Some(file), bytes, dir, name, ctime: rec.ctime }));
        }
        let (file, st) = match dir.open_file(&name) {
            Ok(opened) => opened,
            Err(e) if matches!(platform::fault(&e), Fault::NotFound | Fault::Loop) => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return Ok(None),
            Err(e) => return Err(at(self.scan, e)),
        };
        if !rec.unchanged(&st) {
            return Ok(None);
        }
        Ok(Some(Open {
            index,
            hash: super::cache::Hashes { sample: [0; 32], full: None },
            rec,
            file: Some(file),
            bytes: None,
            dir,
            name,
            ctime: rec.ctime,
        }))
    }

    /// Merges the inodes of one group of identical content (at least two), ordered by their first path.
    pub(super) fn merge(&mut self, mut inodes: Vec<Inode>) -> Result<(), Error> {
        // The kept file: the most names, then the first path.
        inodes.sort_by_key(|i| {
            let first = i.names[0];
            (std::cmp::Reverse(self.scan.files[first as usize].nlink), first)
        });
        let mut kept: Option<Open> = None;
        for mut inode in inodes {
            if platform::interrupted() {
                let path = self.scan.path(&self.scan.files[inode.names[0] as usize]);
                return Err(Error::new(ErrorKind::Interrupted, path));
            }
            let mut dup = match self.open(&mut inode) {
                Ok(Some(dup)) => Open { hash: inode.hash, ..dup },
                Ok(None) => {
                    self.skip(&inode.names, SkipReason::Changed);
                    continue;
                }
                // This file cannot be read (e.g. no permission): it stays as it is, the rest go on.
                Err(e) => {
                    self.sink.outcome(Outcome::Failed(e));
                    continue;
                }
            };
            let Some(k) = kept.as_mut() else {
                kept = Some(dup);
                continue;
            };
            if !self.trust_hash {
                let same = match (&k.bytes, &dup.bytes, &k.file, &dup.file) {
                    // Both read whole by their hash, and settled since (the checks before each link see any
                    // later write): the bytes as read are compared.
                    (Some(a), Some(b), _, _) => Ok(self.arena.get(a.clone()) == self.arena.get(b.clone())),
                    (_, _, Some(a), Some(b)) => match self.readers.first_mut() {
                        Some(reader) => reader.same_bytes(a, b, k.rec.size),
                        None => Ok(false),
                    },
                    _ => Ok(false),
                };
                match same {
                    Ok(true) => {}
                    Ok(false) => {
                        self.skip(&inode.names, SkipReason::Differs);
                        continue;
                    }
                    Err(e) => {
                        self.sink.outcome(Outcome::Failed(Error::from_io(e, &self.scan.path(&dup.rec))));
                        continue;
                    }
                }
            }
            if !platform::CAN_REPLACE_OPEN_FILES {
                dup.file = None;
            }
            if self.merge_inode(k, &mut dup, &inode)? {
                // The kept file is full: the duplicate keeps its remaining names and is kept from now on (opened
                // again where its descriptor had to be closed).
                kept = match dup.file {
                    Some(_) => Some(dup),
                    None => self.open(&mut inode).ok().flatten(),
                };
            }
        }
        Ok(())
    }

    /// Replaces every name of `dup` by a link to `kept`. Returns true when the link limit was reached.
    fn merge_inode(&mut self, kept: &mut Open, dup: &mut Open, inode: &Inode) -> Result<bool, Error> {
        let mut gone = 0u32;
        for (n, &index) in inode.names.iter().enumerate() {
            let rec = self.scan.files[index as usize];
            let path = self.scan.path(&rec);
            platform::pause_point("dedupe-recheck");
            let dir = match self.scan.dir_of(rec.dir) {
                Ok(Some(dir)) => dir,
                Ok(None) => {
                    self.skip(&[index], SkipReason::Changed);
                    continue;
                }
                Err(e) => {
                    self.sink.outcome(Outcome::Failed(Error::from_io(e, &path)));
                    continue;
                }
            };
            let name = self.scan.name(&rec);
            // Both files exactly as read: the duplicate's name (with the change time our own replacements gave
            // it), and the kept file through its open descriptor.
            let now = dir.stat_full(&name);
            let dup_ok = now.as_ref().is_ok_and(|st| {
                st.kind == platform::EntryKind::File
                    && (st.dev, st.ino, st.size) == (rec.dev, rec.ino, rec.size)
                    && nanos(st.modified) == rec.mtime
                    && nanos(st.changed) == dup.ctime
            });
            let kept_ok = kept.file.as_ref().map(platform::file_stat).is_some_and(|st| {
                st.is_ok_and(|st| {
                    (st.size, nanos(st.modified), nanos(st.changed)) == (kept.rec.size, kept.rec.mtime, kept.ctime)
                })
            });
            if !dup_ok || !kept_ok {
                let names: Vec<u32> = if kept_ok { vec![index] } else { inode.names[n..].to_vec() };
                self.skip(&names, SkipReason::Changed);
                if kept_ok {
                    continue;
                }
                return Ok(false);
            }
            let Ok(dup_now) = now else { continue };
            let last = gone + 1 == rec.nlink;
            let freed = if last { dup_now.allocated } else { 0 };
            if !self.dry {
                match self.replace(kept, dup, &dup_now, &dir, &name, &path)? {
                    Replaced::Done => {
                        // The replacement changed the duplicate's change time too; that matters only while more
                        // of its names are to be replaced.
                        if n + 1 < inode.names.len() {
                            dup.ctime = changed(&dup.file).unwrap_or(dup.ctime);
                        }
                        if self.touched.last().map(|t| t.0) != Some(kept.index) {
                            self.touched.push((kept.index, kept.hash));
                        }
                    }
                    Replaced::Full => return Ok(true),
                    Replaced::Changed => {
                        self.skip(&[index], SkipReason::Changed);
                        continue;
                    }
                    Replaced::Failed(e) => {
                        self.sink.outcome(Outcome::Failed(e));
                        continue;
                    }
                }
            }
            gone += 1;
            self.summary.merged += 1;
            self.summary.freed += freed;
            let kept_path = self.scan.path(&kept.rec);
            let item = TreeItem::Merged { kept: kept_path, name: path, size: rec.size, freed };
            self.sink.outcome(Outcome::Tree(item));
        }
        Ok(false)
    }

    /// Links `kept` beside `name` (whose facts, read just before, are `dup_now`) under a temporary name and renames
    /// it over `name`. Only a journal that cannot be written is an error for the whole run; anything else concerns
    /// this name alone.
    fn replace(
        &mut self,
        kept: &mut Open,
        dup: &mut Open,
        dup_now: &platform::FileStat,
        dir: &Dir,
        name: &std::ffi::OsStr,
        path: &std::path::Path,
    ) -> Result<Replaced, Error> {
        let temp = platform::temp_name();
        if let Err(e) = kept.dir.hard_link(&kept.name, dir, &temp) {
            return match platform::fault(&e) {
                Fault::TooManyLinks => Ok(Replaced::Full),
                Fault::NotFound => Ok(Replaced::Changed),
                _ => Ok(Replaced::Failed(Error::from_io(e, path))),
            };
        }
        // The kept file's name could have been swapped for another file since it was opened (its content was
        // checked through the open descriptor just before).
        let linked = dir.stat_full(&temp);
        if !linked.is_ok_and(|l| (l.dev, l.ino, l.size) == (kept.rec.dev, kept.rec.ino, kept.rec.size)) {
            let _ = dir.remove(&temp);
            return Ok(Replaced::Changed);
        }
        if let Some(journal) = self.journal.as_deref_mut() {
            let (name_abs, kept_abs) = (absolute(path), absolute(&self.scan.path(&kept.rec)));
            let record = MergeRecord {
                name: &name_abs,
                kept: &kept_abs,
                dev: kept.rec.dev,
                ino: kept.rec.ino,
                size: kept.rec.size,
                kept_mtime: kept.rec.mtime,
                old_ino: dup.rec.ino,
                mode: dup_now.mode,
                uid: dup_now.uid,
                gid: dup_now.gid,
                atime: nanos(dup_now.accessed),
                mtime: dup.rec.mtime,
            };
            if let Err(e) = journal.record(&record) {
                let _ = dir.remove(&temp);
                return Err(e);
            }
        }
        if let Err(e) = dir.rename(&temp, dir, name, Rename::Replace) {
            let _ = dir.remove(&temp);
            return Ok(Replaced::Failed(Error::from_io(e, path)));
        }
        platform::pause_point("dedupe-relinked");
        // Our own link changed the kept file's change time: the new one is taken as ours. A write landing between
        // the rename and this look would be taken as ours too, and the new time is too recent to prove the bytes
        // read for the hash still current (see `hash::settled`): from now on the kept file is read again for
        // each comparison.
        kept.ctime = changed(&kept.file).unwrap_or(kept.ctime);
        kept.bytes = None;
        Ok(Replaced::Done)
    }
}

/// A file's change time now, through its open descriptor.
fn changed(file: &Option<File>) -> Option<i64> {
    file.as_ref().and_then(|f| platform::file_stat(f).ok()).map(|st| nanos(st.changed))
}

/// How one replacement went.
enum Replaced {
    Done,
    /// The kept file has as many names as the file system allows.
    Full,
    /// A file changed under us; nothing was changed.
    Changed,
    /// The system refused this name (e.g. no permission in its directory); nothing was changed for it.
    Failed(Error),
}

/// The path made absolute (lexically, from the current directory), for the journal.
fn absolute(path: &std::path::Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
