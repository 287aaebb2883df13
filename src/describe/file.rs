//! Reading and rewriting a directory's `DESCRIPT.ION` through its open [`Dir`]: never by path, never through a
//! link, never more than [`SIZE_LIMIT`] bytes, and under the directory's lock (see the module documentation of
//! [`describe`](super) for the rules and why they were chosen).

use super::format::{Case, Edit, EntryError, Index, is_empty_of_entries};
use super::{FILE_NAME, FILE_NAME_LOWER};
use crate::platform::{self, Dir, EntryKind, Fault, Rename};
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::rc::Rc;

/// The largest description file read or written: 64 MiB, far beyond any real one (a million described files),
/// small enough that a file grown without end cannot exhaust memory.
pub const SIZE_LIMIT: u64 = 64 << 20;

/// How names in a description file match file names here: exactly where the file system tells `Report` from
/// `report` (Linux), without regard to ASCII case where it does not (Windows, macOS).
pub fn native_case() -> Case {
    if platform::CASE_INSENSITIVE_NAMES { Case::Insensitive } else { Case::Exact }
}

/// Why a description file was not read or not written. The file was left as it was.
#[derive(Debug)]
pub struct Failure {
    /// The file's name in its directory (`DESCRIPT.ION`, or `descript.ion` when that is the one in use).
    pub file: &'static str,
    /// What went wrong: the OS error, or a sentence saying why the file was left alone.
    pub error: io::Error,
}

impl Failure {
    fn new(file: &'static str, error: io::Error) -> Failure {
        Failure { file, error }
    }

    fn left_alone(file: &'static str, why: &str) -> Failure {
        Failure::new(file, io::Error::other(format!("the description file {why}; it was left alone")))
    }
}

/// Why a description could not be carried over to a new name.
#[derive(Debug)]
pub enum CopyError {
    /// The source directory's description file could not be read (reported once per directory).
    Source(Failure),
    /// The new name or the description cannot be written on a line.
    Entry(EntryError),
}

/// The names the file may have, in the order they are looked for: `DESCRIPT.ION`, then (where names are told
/// apart by case) `descript.ion`, which is used when it is the only one.
fn names() -> &'static [&'static str] {
    if platform::CASE_INSENSITIVE_NAMES { &[FILE_NAME] } else { &[FILE_NAME, FILE_NAME_LOWER] }
}

/// A description file found in a directory, read whole, with the open file it was read from.
struct Found {
    name: &'static str,
    file: File,
    contents: Vec<u8>,
}

fn not_regular(name: &'static str, kind: Option<EntryKind>) -> Failure {
    let what = match kind {
        Some(EntryKind::Symlink) => "a symbolic link",
        Some(EntryKind::Junction) => "a junction",
        Some(EntryKind::Directory) => "a directory",
        Some(EntryKind::Other) => "a FIFO, device or socket",
        Some(EntryKind::File) | None => "something that changed while it was opened",
    };
    Failure::left_alone(name, &format!("is {what}, not a regular file"))
}

fn too_large(name: &'static str) -> Failure {
    Failure::left_alone(name, &format!("is larger than {} MiB", SIZE_LIMIT >> 20))
}

/// Reads the description file of `dir`: `Ok(None)` when there is none. Only a regular file is read: the name is
/// looked at without following it, then opened with `O_NOFOLLOW | O_NONBLOCK` and checked again on the open
/// file, so neither a link, a FIFO nor a device is ever read from (a device is not even opened).
fn read_in(dir: &Dir) -> Result<Option<Found>, Failure> {
    for &name in names() {
        let os = OsStr::new(name);
        match dir.lstat(os) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Failure::new(name, e)),
            Ok(info) if info.kind != EntryKind::File => return Err(not_regular(name, Some(info.kind))),
            Ok(_) => {}
        }
        let file = match dir.open_regular(os) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) if e.kind() == io::ErrorKind::InvalidData || platform::fault(&e) == Fault::Loop => {
                return Err(not_regular(name, dir.lstat(os).ok().map(|i| i.kind)));
            }
            Err(e) => return Err(Failure::new(name, e)),
        };
        let contents = read_capped(&file, name)?;
        return Ok(Some(Found { name, file, contents }));
    }
    Ok(None)
}

/// The whole file, refusing one larger than [`SIZE_LIMIT`] before reading it, or found larger while reading.
fn read_capped(file: &File, name: &'static str) -> Result<Vec<u8>, Failure> {
    let len = file.metadata().map_err(|e| Failure::new(name, e))?.len();
    if len > SIZE_LIMIT {
        return Err(too_large(name));
    }
    let mut data = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(SIZE_LIMIT + 1).read_to_end(&mut data).map_err(|e| Failure::new(name, e))?;
    if data.len() as u64 > SIZE_LIMIT {
        return Err(too_large(name));
    }
    Ok(data)
}

/// Carries descriptions from sources to new names over a whole run: each source directory's file is read once
/// (and any problem with it reported once), and every new entry for the destination is gathered into one
/// [`Edit`] that [`Copier::write`] applies in a single rewrite.
#[derive(Debug)]
pub struct Copier {
    case: Case,
    /// Source directories read so far, by device and inode.
    sources: HashMap<(u64, u64), Rc<Index>>,
    edit: Edit,
}

impl Default for Copier {
    fn default() -> Copier {
        Copier::new()
    }
}

impl Copier {
    /// Nothing read, nothing gathered; names match as the file system matches them ([`native_case`]).
    pub fn new() -> Copier {
        let case = native_case();
        Copier { case, sources: HashMap::new(), edit: Edit::new(case) }
    }

    /// The entries of `dir`'s description file, read the first time `dir` is asked for and kept. A file that
    /// cannot be read yields no entries, and the [`Failure`] saying why comes with the first answer only.
    pub fn source(&mut self, dir: &Dir) -> (Rc<Index>, Option<Failure>) {
        let id = match dir.info() {
            Ok(info) => (info.dev, info.ino),
            Err(e) => return (Rc::new(Index::empty(self.case)), Some(Failure::new(FILE_NAME, e))),
        };
        if let Some(index) = self.sources.get(&id) {
            return (Rc::clone(index), None);
        }
        let (index, failure) = match read_in(dir) {
            Ok(Some(found)) => (Index::new(found.contents, self.case), None),
            Ok(None) => (Index::empty(self.case), None),
            Err(failure) => (Index::empty(self.case), Some(failure)),
        };
        let index = Rc::new(index);
        self.sources.insert(id, Rc::clone(&index));
        (index, failure)
    }

    /// Gathers `name`'s description from `index` (the whole remainder, Ctrl-D data included) for the new name
    /// `link_name`; `Ok(false)` when the source has no entry or an empty one.
    ///
    /// # Errors
    /// When `link_name` or the description cannot be written on a line; nothing is gathered.
    pub fn queue(&mut self, index: &Index, name: &OsStr, link_name: &OsStr) -> Result<bool, EntryError> {
        match index.get(name.as_encoded_bytes()) {
            Some(remainder) if !remainder.is_empty() => {
                self.edit.set(link_name.as_encoded_bytes(), remainder)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// [`Copier::source`] then [`Copier::queue`]: the description of `name` in `dir` for the new name
    /// `link_name`.
    ///
    /// # Errors
    /// As the two steps say; a source failure is returned once per directory.
    pub fn copy(&mut self, dir: &Dir, name: &OsStr, link_name: &OsStr) -> Result<bool, CopyError> {
        let (index, failure) = self.source(dir);
        if let Some(failure) = failure {
            return Err(CopyError::Source(failure));
        }
        self.queue(&index, name, link_name).map_err(CopyError::Entry)
    }

    /// True when nothing was gathered.
    pub fn is_empty(&self) -> bool {
        self.edit.is_empty()
    }

    /// Writes everything gathered into `dir`'s description file in one rewrite (see [`update`]).
    ///
    /// # Errors
    /// As [`update`]; the file is then as it was.
    pub fn write(&self, dir: &Dir) -> Result<bool, Failure> {
        update(dir, &self.edit)
    }
}

/// Removes every line for `name` from `dir`'s description file, as DEL does; `Ok(true)` when a line went. The
/// file is deleted with its last entry.
///
/// # Errors
/// As [`update`]; the file is then as it was.
pub fn remove_entry(dir: &Dir, name: &OsStr) -> Result<bool, Failure> {
    let mut edit = Edit::new(native_case());
    edit.remove(name.as_encoded_bytes());
    update(dir, &edit)
}

/// Applies `edit` to `dir`'s description file; `Ok(true)` when the file changed.
///
/// Under the directory's lock: removes leftover temporaries of ended runs, reads the file (as a source is read:
/// regular files only, [`SIZE_LIMIT`]), applies the edit, and replaces the file atomically — a new temporary in
/// the same directory, given the old file's owner, group and mode before any text is written, synced, then
/// renamed over the old one — or deletes it when no entry is left, or creates `DESCRIPT.ION` when there was none.
///
/// # Errors
/// A description file that is not a regular file or too large, an owner that cannot be kept, or an OS error.
/// The file is then exactly as it was and no temporary is left.
pub fn update(dir: &Dir, edit: &Edit) -> Result<bool, Failure> {
    if edit.is_empty() {
        return Ok(false);
    }
    let _lock = lock(dir)?;
    remove_leftovers(dir);
    let (name, old, like) = match read_in(dir)? {
        Some(Found { name, file, contents }) => (name, contents, Some(file)),
        None => (FILE_NAME, Vec::new(), None),
    };
    let new = edit.apply(&old);
    if new == old {
        // Nothing changed, or only names without an entry were removed where there is no file.
        return Ok(false);
    }
    if is_empty_of_entries(&new) {
        let Some(file) = like else { return Ok(false) };
        // Remove the very file that was read, not something put in its place meanwhile.
        let read = platform::file_info(&file).map_err(|e| Failure::new(name, e))?;
        drop(file);
        let now = dir.lstat(OsStr::new(name)).map_err(|e| Failure::new(name, e))?;
        if !now.same_file(&read) {
            return Err(Failure::left_alone(name, "was replaced by another program meanwhile"));
        }
        dir.remove(OsStr::new(name)).map_err(|e| Failure::new(name, e))?;
        dir.sync();
        return Ok(true);
    }
    if new.len() as u64 > SIZE_LIMIT {
        return Err(Failure::left_alone(name, &format!("would grow beyond {} MiB", SIZE_LIMIT >> 20)));
    }
    replace(dir, name, &new, like)?;
    Ok(true)
}

/// Takes the directory's lock for the read-modify-write: on a second descriptor of the directory, so that it is
/// released as soon as the write is done. `None` where the file system cannot lock at all.
fn lock(dir: &Dir) -> Result<Option<Dir>, Failure> {
    let held = dir.open_subdir(OsStr::new(".")).map_err(|e| Failure::new(FILE_NAME, e))?;
    match held.lock() {
        Ok(()) => Ok(Some(held)),
        Err(e) if platform::lock_unavailable(&e) => Ok(None),
        Err(e) => Err(Failure::new(FILE_NAME, e)),
    }
}

/// The temporary name for a new copy of `name`: `.` + `name` + the crate's temporary name, e.g.
/// `.DESCRIPT.ION.mklink-1f2e-0-3b9ac9ff.tmp`.
fn temp_name(name: &str) -> OsString {
    let mut temp = OsString::from(".");
    temp.push(name);
    temp.push(platform::temp_name());
    temp
}

/// The process that made `name`, when it is a temporary made by [`temp_name`] for a description file.
pub(super) fn leftover_pid(name: &[u8]) -> Option<u32> {
    let rest = name.strip_prefix(b".")?;
    [FILE_NAME, FILE_NAME_LOWER]
        .iter()
        .find_map(|base| rest.strip_prefix(base.as_bytes()))
        .and_then(platform::temp_name_pid)
}

/// Removes the description temporaries of processes that no longer run (a run killed between creating its
/// temporary and renaming it). Called under the lock, where no other run of this tool can have one in progress;
/// the process check keeps the temporary of a running writer that does not take the lock. Best effort.
fn remove_leftovers(dir: &Dir) {
    let me = std::process::id();
    let mut stale = Vec::new();
    let _ = dir.for_each_entry(|entry, kind| {
        if matches!(kind, None | Some(EntryKind::File)) {
            if let Some(pid) = leftover_pid(entry.as_bytes()).filter(|&pid| pid != me) {
                stale.push((entry.to_os_string(), pid));
            }
        }
        true
    });
    for (name, pid) in stale {
        if !platform::process_alive(pid) && dir.lstat(&name).is_ok_and(|i| i.kind == EntryKind::File) {
            let _ = dir.remove(&name);
        }
    }
}

/// Replaces `dir/name` with `data` atomically, keeping `like`'s owner, group and mode. On any error the
/// temporary is removed and `dir/name` is untouched.
fn replace(dir: &Dir, name: &'static str, data: &[u8], like: Option<File>) -> Result<(), Failure> {
    let fail = |e| Failure::new(name, e);
    let owner = like.as_ref().map(platform::owner_and_mode).transpose().map_err(fail)?;
    let (temp, mut out) = create_temp(dir, name, like.as_ref()).map_err(fail)?;
    // Closed before the rename: Windows cannot always replace a file that is still open.
    drop(like);
    let written = (|| {
        if let Some((uid, gid, mode)) = owner {
            platform::set_owner_and_mode(&out, uid, gid, mode).map_err(|e| {
                let text = e.to_string();
                let words = text.find(" (os error").map_or(text.as_str(), |cut| &text[..cut]);
                let why = format!("cannot be rewritten keeping its owner and group (uid {uid}, gid {gid}): {words}");
                Failure::left_alone(name, &why)
            })?;
        }
        out.write_all(data).map_err(fail)?;
        out.sync_all().map_err(fail)
    })();
    drop(out);
    let result = written.and_then(|()| {
        platform::pause_point("descriptions-before-rename");
        dir.rename(&temp, dir, OsStr::new(name), Rename::Replace).map_err(fail)
    });
    match result {
        Ok(()) => {
            dir.sync();
            Ok(())
        }
        Err(failure) => {
            let _ = dir.remove(&temp);
            Err(failure)
        }
    }
}

/// Creates a new temporary beside `name` to replace it.
fn create_temp(dir: &Dir, name: &str, like: Option<&File>) -> io::Result<(OsString, File)> {
    for _ in 0..64 {
        let temp = temp_name(name);
        match dir.create_replacement(&temp, like) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free temporary name for the description file"))
}
