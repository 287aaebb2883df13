//! The scan: one walk of each root through directory handles, keeping a compact record per regular file (its
//! directory's index, its name in a shared arena, identity, size and times, owner and mode) and a table of the
//! directories, so that any file can be reached again later from its root's handle without following a link.

use super::select;
use crate::engine::walk::{Event, Flow, walk};
use crate::engine::{Error, ErrorKind, Outcome, Sink};
use crate::platform::{self, Dir, EntryKind, FileStat};
use crate::select::Selection;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// No parent: the directory is a root.
const NO_PARENT: u32 = u32::MAX;

/// A directory walked already, whose entries are passed over.
const SKIPPED: u32 = u32::MAX - 1;

/// One directory met by the walk.
pub(super) struct DirRec {
    /// The root it is under.
    pub root: u32,
    /// Its parent directory's index, or [`NO_PARENT`] for a root.
    pub parent: u32,
    /// Its name in the arena (empty for a root).
    pub name: (u32, u32),
    /// Its identity when the walk entered it, to notice a directory swapped in its place later.
    pub dev: u64,
    pub ino: u64,
}

/// One regular file (one name): 72 bytes plus the name.
#[derive(Clone, Copy)]
pub(super) struct FileRec {
    pub dir: u32,
    pub name: (u32, u32),
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    /// Write and change times in nanoseconds since the epoch.
    pub mtime: i64,
    pub ctime: i64,
    pub uid: u32,
    pub gid: u32,
    pub mode: u32,
    pub nlink: u32,
}

/// A time as one number of nanoseconds (saturating far outside 1677–2262).
pub(super) fn nanos((sec, nsec): (i64, u32)) -> i64 {
    sec.saturating_mul(1_000_000_000).saturating_add(i64::from(nsec))
}

impl FileRec {
    /// Whether `st` is still the file this record describes: same identity, size, write and change time.
    pub(super) fn unchanged(&self, st: &FileStat) -> bool {
        st.kind == EntryKind::File
            && (st.dev, st.ino, st.size) == (self.dev, self.ino, self.size)
            && nanos(st.modified) == self.mtime
            && nanos(st.changed) == self.ctime
    }
}

/// Everything the scan found.
pub(super) struct Scan {
    pub roots: Vec<(PathBuf, Arc<Dir>)>,
    pub dirs: Vec<DirRec>,
    pub files: Vec<FileRec>,
    arena: Vec<u8>,
    /// Open directories, kept while they are being used; bounded so descriptors never run out.
    cache: HashMap<u32, Arc<Dir>>,
    /// At most this many directories stay open between uses.
    cache_limit: usize,
    /// The directories walked, by identity, with the roots that walked them, so that no file is kept twice.
    seen_dirs: HashMap<(u64, u64), Vec<u32>>,
    /// What each root's files must pass (by root index); `None`: every regular file.
    filters: Vec<Option<Selection>>,
}

impl Scan {
    /// Walks every root (read by the rule of [`select`](super::select)), keeping the files its selection admits,
    /// reporting what cannot be read to `sink` and going on with the rest.
    pub(super) fn run(roots: &[PathBuf], selection: Option<&Selection>, sink: &mut dyn Sink) -> Result<Scan, Error> {
        let mut scan = Scan {
            roots: Vec::new(),
            dirs: Vec::new(),
            files: Vec::new(),
            arena: Vec::new(),
            cache: HashMap::new(),
            cache_limit: platform::open_dir_budget(),
            seen_dirs: HashMap::new(),
            filters: Vec::new(),
        };
        for typed in roots {
            let start = match select::read_root(typed, selection) {
                Ok(start) => start,
                Err(e) => {
                    sink.outcome(Outcome::Failed(e));
                    continue;
                }
            };
            let dir = match Dir::open(start.dir()) {
                Ok(dir) => dir,
                Err(e) => {
                    sink.outcome(Outcome::Failed(Error::from_io(e, typed)));
                    continue;
                }
            };
            let handle = Arc::new(dir.try_clone().map_err(|e| Error::from_io(e, typed))?);
            // Indexed by the roots that opened, not by position on the line.
            let index = scan.roots.len() as u32;
            scan.roots.push((start.shown.clone(), handle));
            scan.filters.push(start.filter);
            scan.walk_root(index, &start.shown, dir, sink)?;
        }
        // The records stay for the whole run: no room kept for growth.
        scan.files.shrink_to_fit();
        scan.arena.shrink_to_fit();
        scan.dirs.shrink_to_fit();
        Ok(scan)
    }

    fn walk_root(&mut self, root: u32, shown: &Path, dir: Dir, sink: &mut dyn Sink) -> Result<(), Error> {
        // Per open directory: its index, and the earlier roots that walked it already (their files are known).
        let mut stack: Vec<(u32, Vec<u32>)> = Vec::new();
        let mut failure = None;
        walk(dir, shown, |event| match event {
            Event::Enter { dir, rel } => {
                let parent = stack.last().map_or(NO_PARENT, |frame| frame.0);
                let name =
                    if parent == NO_PARENT { (0, 0) } else { self.push_name(rel.file_name().unwrap_or_default()) };
                let (dev, ino) = dir.info().map(|i| (i.dev, i.ino)).unwrap_or((0, 0));
                let earlier = self.seen_dirs.entry((dev, ino)).or_default();
                // Walked already by this root, or by an earlier one that kept every file: nothing new here.
                let known = earlier.contains(&root) || earlier.iter().any(|&r| self.filters[r as usize].is_none());
                if parent == SKIPPED || known {
                    stack.push((SKIPPED, Vec::new()));
                    return Flow::Next;
                }
                let before = earlier.clone();
                earlier.push(root);
                stack.push((self.dirs.len() as u32, before));
                self.dirs.push(DirRec { root, parent, name, dev, ino });
                Flow::Next
            }
            Event::Leave { .. } => {
                stack.pop();
                Flow::Next
            }
            Event::Failed(e) => {
                sink.outcome(Outcome::Failed(e));
                Flow::Next
            }
            Event::Entry { .. } if stack.last().is_some_and(|frame| frame.0 == SKIPPED) => Flow::Next,
            Event::Entry { dir, name, kind, rel } => match kind {
                Some(EntryKind::Directory) => Flow::Descend,
                Some(EntryKind::File) | None => {
                    if platform::interrupted() {
                        failure = Some(Error::new(ErrorKind::Interrupted, shown.join(rel)));
                        return Flow::Stop;
                    }
                    let (dir_index, earlier) = match stack.last() {
                        Some((index, earlier)) => (*index, earlier.as_slice()),
                        None => (0, &[][..]),
                    };
                    // A listing that names the kind spares the stat of a file the selection leaves out.
                    if kind.is_some() {
                        match self.wanted(root, earlier, dir, name) {
                            Ok(true) => {}
                            Ok(false) => return Flow::Next,
                            Err(e) => return self.unreadable(e, &shown.join(rel), sink),
                        }
                    }
                    match dir.stat_full(name) {
                        Ok(st) if st.kind == EntryKind::File => {
                            if kind.is_none() {
                                match self.wanted(root, earlier, dir, name) {
                                    Ok(true) => {}
                                    Ok(false) => return Flow::Next,
                                    Err(e) => return self.unreadable(e, &shown.join(rel), sink),
                                }
                            }
                            self.push_file(dir_index, name, &st);
                            Flow::Next
                        }
                        Ok(st) if st.kind == EntryKind::Directory => Flow::Descend,
                        Ok(_) => Flow::Next,
                        Err(e) => self.unreadable(e, &shown.join(rel), sink),
                    }
                }
                Some(_) => Flow::Next,
            },
        });
        failure.map_or(Ok(()), Err)
    }

    /// Whether root `root` selects the file `name` and no earlier root that walked its directory did (those
    /// have it already).
    fn wanted(&self, root: u32, earlier: &[u32], dir: &Dir, name: &OsStr) -> std::io::Result<bool> {
        let admits = |r: u32| match &self.filters[r as usize] {
            Some(filter) => select::admits(filter, dir, name),
            None => Ok(true),
        };
        if !admits(root)? {
            return Ok(false);
        }
        for &r in earlier {
            if admits(r)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// An entry that could not be read: gone since the directory was read (nothing to do), else reported.
    fn unreadable(&self, e: std::io::Error, path: &Path, sink: &mut dyn Sink) -> Flow {
        if platform::fault(&e) != platform::Fault::NotFound {
            sink.outcome(Outcome::Failed(Error::from_io(e, path)));
        }
        Flow::Next
    }

    fn push_name(&mut self, name: &OsStr) -> (u32, u32) {
        let start = self.arena.len() as u32;
        self.arena.extend_from_slice(name.as_encoded_bytes());
        (start, name.as_encoded_bytes().len() as u32)
    }

    fn push_file(&mut self, dir: u32, name: &OsStr, st: &FileStat) {
        let name = self.push_name(name);
        self.files.push(FileRec {
            dir,
            name,
            dev: st.dev,
            ino: st.ino,
            size: st.size,
            mtime: nanos(st.modified),
            ctime: nanos(st.changed),
            uid: st.uid,
            gid: st.gid,
            mode: st.mode,
            nlink: u32::try_from(st.nlink).unwrap_or(u32::MAX),
        });
    }

    /// The bytes of a name in the arena.
    fn bytes(&self, (start, len): (u32, u32)) -> &[u8] {
        &self.arena[start as usize..(start + len) as usize]
    }

    /// A file's name in its directory.
    pub(super) fn name(&self, file: &FileRec) -> OsString {
        platform::os_string_from_bytes(self.bytes(file.name).to_vec())
    }

    /// A file's path: its root as typed, the directories below it, its name.
    pub(super) fn path(&self, file: &FileRec) -> PathBuf {
        let mut parts = Vec::new();
        let mut d = file.dir;
        while d != NO_PARENT {
            let rec = &self.dirs[d as usize];
            if rec.parent != NO_PARENT {
                parts.push(rec.name);
            }
            d = rec.parent;
        }
        let root = self.dirs[file.dir as usize].root;
        let mut path = self.root_path(root);
        for part in parts.into_iter().rev() {
            path.push(platform::os_string_from_bytes(self.bytes(part).to_vec()));
        }
        path.push(self.name(file));
        path
    }

    fn root_path(&self, root: u32) -> PathBuf {
        self.roots.get(root as usize).map(|(p, _)| p.clone()).unwrap_or_default()
    }

    /// The open directory holding a file, opened again from its root through handles (never following a link)
    /// when it is not open; `Ok(None)` when a directory on the way is no longer the one the walk saw.
    pub(super) fn dir_of(&mut self, index: u32) -> std::io::Result<Option<Arc<Dir>>> {
        if let Some(dir) = self.cache.get(&index) {
            return Ok(Some(Arc::clone(dir)));
        }
        let rec = &self.dirs[index as usize];
        let (parent, name, dev, ino, root) = (rec.parent, rec.name, rec.dev, rec.ino, rec.root);
        let dir = if parent == NO_PARENT {
            match self.roots.get(root as usize) {
                Some((_, dir)) => Arc::clone(dir),
                None => return Ok(None),
            }
        } else {
            let Some(parent) = self.dir_of(parent)? else { return Ok(None) };
            let name = platform::os_string_from_bytes(self.bytes(name).to_vec());
            match parent.open_subdir(&name) {
                Ok(dir) => Arc::new(dir),
                Err(e) if platform::fault(&e) != platform::Fault::Denied => return Ok(None),
                Err(e) => return Err(e),
            }
        };
        let info = dir.info()?;
        if (info.dev, info.ino) != (dev, ino) {
            return Ok(None);
        }
        if self.cache.len() >= self.cache_limit {
            self.cache.clear();
        }
        self.cache.insert(index, Arc::clone(&dir));
        Ok(Some(dir))
    }
}
