//! Hashing candidate files on several threads.
//!
//! Opening, reading and hashing the candidates is most of a run's work, and every file is independent of the
//! others, so a batch of them is shared out among a few threads (chunks taken from one queue, so a slow file
//! does not hold the others back). Everything else (the scan, the cache, reporting, merging) stays on the
//! calling thread: a job carries the open directory, the name and the facts the scan recorded, and comes back
//! with its hash, or why there is none, and its file still open when the merge will want it.

use super::hash::Reader;
use super::scan::FileRec;
use crate::platform::{self, Dir, Fault};
use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::sync::{Arc, Mutex};

/// Jobs taken from the queue at once: enough to make the lock rare, few enough to share the work evenly.
const CHUNK: usize = 8;

/// How many threads hash: the processors available, at most four (reading soon stops scaling).
pub(super) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// What hashing one file gave.
pub(super) enum Hashed {
    /// Not run yet.
    Pending,
    /// The hash of the whole file or of its sample.
    Done([u8; 32]),
    /// The file is not the one the scan saw (gone, replaced, another size or time).
    Changed,
    /// The file could not be opened or read.
    Failed(io::Error),
}

/// One file to hash.
pub(super) struct Job<'a> {
    /// Where the result goes: the class in the batch and the inode in the class.
    pub slot: (usize, usize),
    dir: Arc<Dir>,
    name: OsString,
    rec: FileRec,
    /// The file, when it is open already (read again from its start); after the job, when it is to stay open.
    pub file: Option<File>,
    /// Where to read a small file whose bytes the merge will compare (exactly its size); the bytes are there
    /// when the job is done.
    pub bytes: Option<&'a mut [u8]>,
    /// The whole file, else the sample.
    full: bool,
    keep_open: bool,
    /// The outcome.
    pub result: Hashed,
}

impl<'a> Job<'a> {
    /// A job for the file `name` of `dir`, recorded by the scan as `rec`.
    pub(super) fn new(
        slot: (usize, usize),
        dir: Arc<Dir>,
        name: OsString,
        rec: FileRec,
        file: Option<File>,
        full: bool,
        keep_open: bool,
    ) -> Job<'a> {
        Job { slot, dir, name, rec, file, bytes: None, full, keep_open, result: Hashed::Pending }
    }

    fn run(&mut self, reader: &mut Reader) {
        let size = self.rec.size;
        let file = match self.file.take() {
            // Opened and checked for the sample (reads are by offset, so nothing to rewind).
            Some(file) => file,
            None => match self.dir.open_file(&self.name) {
                Ok((file, st)) if self.rec.unchanged(&st) => file,
                Ok(_) => return self.result = Hashed::Changed,
                // Gone, turned into a link, or no longer a regular file since the scan: it changed.
                Err(e)
                    if matches!(platform::fault(&e), Fault::NotFound | Fault::Loop)
                        || e.kind() == io::ErrorKind::InvalidData =>
                {
                    return self.result = Hashed::Changed;
                }
                Err(e) => return self.result = Hashed::Failed(e),
            },
        };
        let hashed =
            if self.full { reader.full(&file, size, self.bytes.as_deref_mut()) } else { reader.sample(&file, size) };
        self.result = match hashed {
            Ok(hash) => {
                if self.keep_open {
                    self.file = Some(file);
                }
                Hashed::Done(hash)
            }
            // Shorter than the scan said: it changed while being read.
            Err(e) if matches!(e.kind(), io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof) => Hashed::Changed,
            Err(e) => Hashed::Failed(e),
        };
    }
}

/// Runs every job, on as many threads as there are readers (the calling thread is one of them).
pub(super) fn run_all(readers: &mut [Reader], jobs: &mut [Job<'_>]) {
    let Some((first, rest)) = readers.split_first_mut() else { return };
    if rest.is_empty() || jobs.len() <= CHUNK {
        for job in jobs {
            job.run(first);
        }
        return;
    }
    let queue = Mutex::new(jobs.chunks_mut(CHUNK));
    // A poisoned lock means a worker panicked; the scope passes that panic on, so stopping is all to do.
    let next = || queue.lock().ok().and_then(|mut chunks| chunks.next());
    let work = |reader: &mut Reader| {
        while let Some(chunk) = next() {
            for job in chunk {
                job.run(reader);
            }
        }
    };
    std::thread::scope(|scope| {
        for reader in rest {
            scope.spawn(|| work(reader));
        }
        work(first);
    });
}

#[cfg(test)]
mod tests {
    use super::super::hash::Kind;
    use super::*;

    #[test]
    fn every_job_is_run_once_whatever_the_number_of_threads() {
        let dir = tempfile::tempdir().unwrap();
        let handle = Arc::new(Dir::open(dir.path()).unwrap());
        let mut jobs = Vec::new();
        for n in 0..50u32 {
            let name = format!("f{n}");
            std::fs::write(dir.path().join(&name), name.repeat(100)).unwrap();
            let st = handle.stat_full(std::ffi::OsStr::new(&name)).unwrap();
            let rec = FileRec {
                dir: 0,
                name: (0, 0),
                dev: st.dev,
                ino: st.ino,
                size: st.size,
                mtime: super::super::scan::nanos(st.modified),
                ctime: super::super::scan::nanos(st.changed),
                uid: st.uid,
                gid: st.gid,
                mode: st.mode,
                nlink: 1,
            };
            jobs.push(Job::new((0, n as usize), Arc::clone(&handle), name.into(), rec, None, true, n % 2 == 0));
        }
        std::fs::remove_file(dir.path().join("f7")).unwrap();
        let mut readers = vec![Reader::new(Kind::Strong), Reader::new(Kind::Strong), Reader::new(Kind::Strong)];
        run_all(&mut readers, &mut jobs);
        for (n, job) in jobs.iter().enumerate() {
            match &job.result {
                Hashed::Done(hash) => {
                    let want = format!("f{n}").repeat(100);
                    assert_eq!(hash, blake3::hash(want.as_bytes()).as_bytes(), "f{n}");
                    assert_eq!(job.file.is_some(), n % 2 == 0, "f{n} kept open");
                }
                Hashed::Changed => assert_eq!(n, 7),
                _ => panic!("f{n}: neither hashed nor changed"),
            }
        }
        let read: u64 = readers.iter().map(|r| r.read).sum();
        assert_eq!(read, jobs.iter().filter(|j| matches!(j.result, Hashed::Done(_))).map(|j| j.rec.size).sum::<u64>());
    }
}
