//! The journal of a deduplication run (one JSON object per line, written and flushed before each replacement)
//! and the undo that reads it back: every merged name gets its own copy of the data again, with the mode, owner
//! and times it had before the merge. A name that no longer is the merged file as the journal left it is refused.

use super::scan::nanos;
use crate::engine::{Error, ErrorKind, Outcome, Sink, SkipReason, TreeItem};
use crate::platform::{self, Dir, EntryKind, Rename};
use serde_json::{Value, json};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

/// What the journal records of one replaced name.
pub(super) struct MergeRecord<'a> {
    /// The absolute path of the name that was replaced.
    pub name: &'a Path,
    /// The absolute path of the kept file it now names.
    pub kept: &'a Path,
    /// The kept file's device, inode, size and write time after the merge.
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub kept_mtime: i64,
    /// The replaced file's own inode, mode, owner and times.
    pub old_ino: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub atime: i64,
    pub mtime: i64,
}

use crate::engine::hex::{decode as unhex, encode as hex};

fn path_value(path: &Path) -> Value {
    Value::String(hex(path.as_os_str().as_encoded_bytes()))
}

/// A journal being written; the file is made with the first record, so a run that merges nothing leaves none.
pub(super) struct Journal {
    file: Option<File>,
    path: PathBuf,
}

impl Journal {
    /// A journal to be written at `path` (never over an existing file).
    pub(super) fn new(path: &Path) -> Journal {
        Journal { file: None, path: path.to_path_buf() }
    }

    /// Where the journal is, once written.
    pub(super) fn written(&self) -> Option<&Path> {
        self.file.as_ref().map(|_| self.path.as_path())
    }

    fn line(&mut self, value: &Value) -> Result<(), Error> {
        let file = match &mut self.file {
            Some(file) => file,
            None => {
                if let Some(parent) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| Error::from_io(e, parent))?;
                }
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&self.path)
                    .map_err(|e| Error::from_io(e, &self.path))?;
                let head = json!({"type": JOURNAL_TYPE, "version": 1});
                file.write_all(format!("{head}\n").as_bytes()).map_err(|e| Error::from_io(e, &self.path))?;
                self.file.insert(file)
            }
        };
        let mut text = value.to_string();
        text.push('\n');
        file.write_all(text.as_bytes()).map_err(|e| Error::from_io(e, &self.path))
    }

    /// Records one replacement; written before the replacement is made, so a run killed right after it still
    /// leaves a journal that knows about it (a record of a replacement that never happened is refused by the
    /// undo, since the name still holds its own file).
    pub(super) fn record(&mut self, r: &MergeRecord<'_>) -> Result<(), Error> {
        self.line(&json!({
            "type": "merge",
            "name": path_value(r.name),
            "name_text": r.name.to_string_lossy(),
            "kept": path_value(r.kept),
            "dev": r.dev, "ino": r.ino, "size": r.size, "kept_mtime": r.kept_mtime,
            "old_ino": r.old_ino, "mode": r.mode, "uid": r.uid, "gid": r.gid,
            "atime": r.atime, "mtime": r.mtime,
        }))
    }
}

/// One replacement read back from a journal.
struct Entry {
    name: PathBuf,
    dev: u64,
    ino: u64,
    size: u64,
    kept_mtime: i64,
    mode: u32,
    uid: u32,
    gid: u32,
    atime: i64,
    mtime: i64,
}

fn parse(value: &Value) -> Option<Entry> {
    let num = |k: &str| value.get(k)?.as_u64();
    let int = |k: &str| value.get(k)?.as_i64();
    let small = |k: &str| u32::try_from(num(k)?).ok();
    let name = platform::name_from_stored_bytes(unhex(value.get("name")?.as_str()?)?)?;
    Some(Entry {
        name: PathBuf::from(name),
        dev: num("dev")?,
        ino: num("ino")?,
        size: num("size")?,
        kept_mtime: int("kept_mtime")?,
        mode: small("mode")?,
        uid: small("uid")?,
        gid: small("gid")?,
        atime: int("atime")?,
        mtime: int("mtime")?,
    })
}

fn split_time(ns: i64) -> (i64, u32) {
    (ns.div_euclid(1_000_000_000), ns.rem_euclid(1_000_000_000) as u32)
}

/// Whether `path` is a deduplication journal: its first line says so. Any other file is left to the other
/// journals' undo, which words its own refusal.
pub(crate) fn is_dedupe_journal(path: &Path) -> bool {
    let Ok(file) = crate::platform::open_regular_file(path) else { return false };
    let mut first = String::new();
    let _ = BufReader::new(file).take(4096).read_line(&mut first);
    serde_json::from_str::<Value>(&first).is_ok_and(|v| v.get("type").and_then(Value::as_str) == Some(JOURNAL_TYPE))
}

/// The `type` of a deduplication journal's first line.
const JOURNAL_TYPE: &str = "mklink-dedupe-journal";

/// Gives every name the journal merged its own copy of the data back.
pub(crate) fn undo(journal: &Path, dry: bool, sink: &mut dyn Sink) {
    let file = match crate::platform::open_regular_file(journal) {
        Ok(file) => file,
        Err(e) => return sink.outcome(Outcome::Failed(Error::from_io(e, journal))),
    };
    let mut entries = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => return sink.outcome(Outcome::Failed(Error::from_io(e, journal))),
        };
        let Ok(value) = serde_json::from_str::<Value>(&line) else {
            // A line cut short by a killed run is the last one; anything else means this is not a journal.
            let bad = io::Error::new(io::ErrorKind::InvalidData, format!("line {} is not a journal entry", n + 1));
            sink.outcome(Outcome::Failed(Error::with_source(ErrorKind::Other, journal, bad)));
            continue;
        };
        match value.get("type").and_then(Value::as_str) {
            Some("merge") => match parse(&value) {
                Some(entry) => entries.push(entry),
                None => {
                    let bad = io::Error::new(io::ErrorKind::InvalidData, format!("line {} is incomplete", n + 1));
                    sink.outcome(Outcome::Failed(Error::with_source(ErrorKind::Other, journal, bad)));
                }
            },
            Some(JOURNAL_TYPE) => {}
            _ => {
                let bad = io::Error::new(io::ErrorKind::InvalidData, "not a deduplication journal");
                return sink.outcome(Outcome::Failed(Error::with_source(ErrorKind::Other, journal, bad)));
            }
        }
    }
    for entry in entries.iter().rev() {
        if platform::interrupted() {
            return sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, &entry.name)));
        }
        let item = match restore(entry, dry) {
            Ok(true) => Outcome::Tree(TreeItem::Restored { name: entry.name.clone() }),
            Ok(false) => Outcome::Tree(TreeItem::Skipped { name: entry.name.clone(), reason: SkipReason::Changed }),
            Err(e) => Outcome::Failed(e),
        };
        sink.outcome(item);
    }
}

/// Whether the name still is the merged file exactly as the journal left it.
fn still_merged(dir: &Dir, name: &OsStr, e: &Entry) -> io::Result<bool> {
    let st = dir.stat_full(name)?;
    Ok(st.kind == EntryKind::File
        && (st.dev, st.ino, st.size) == (e.dev, e.ino, e.size)
        && nanos(st.modified) == e.kept_mtime)
}

/// Restores one name: copy beside it, original metadata, rename over. `Ok(false)`: the name changed since.
fn restore(e: &Entry, dry: bool) -> Result<bool, Error> {
    let (Some(parent), Some(name)) = (e.name.parent(), e.name.file_name()) else {
        return Ok(false);
    };
    let dir = Dir::open(parent).map_err(|err| Error::from_io(err, parent))?;
    let at = |err| Error::from_io(err, &e.name);
    match still_merged(&dir, name, e) {
        Ok(true) => {}
        Ok(false) => return Ok(false),
        Err(err) if platform::fault(&err) == platform::Fault::NotFound => return Ok(false),
        Err(err) => return Err(at(err)),
    }
    if dry {
        return Ok(true);
    }
    let src = dir.open_regular(name).map_err(at)?;
    let temp = platform::temp_name();
    let dst = dir.create_new(&temp, 0o600).map_err(at)?;
    let done = (|| {
        platform::copy_data(&src, &dst, e.size)?;
        if platform::set_owner_and_mode(&dst, e.uid, e.gid, e.mode).is_err() {
            // Not permitted to give the copy that owner: the caller's own ownership, the original mode.
            let (uid, gid, _) = platform::owner_and_mode(&dst)?;
            platform::set_owner_and_mode(&dst, uid, gid, e.mode)?;
        }
        platform::set_times(&dst, split_time(e.atime), split_time(e.mtime))?;
        dst.sync_all()
    })();
    let outcome = match done {
        Ok(()) => match still_merged(&dir, name, e) {
            Ok(true) => dir.rename(&temp, &dir, name, Rename::Replace).map(|()| true),
            Ok(false) => Ok(false),
            Err(err) => Err(err),
        },
        Err(err) => Err(err),
    };
    match outcome {
        Ok(true) => Ok(true),
        other => {
            let _ = dir.remove(&temp);
            other.map_err(at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_survive_the_hex_round_trip() {
        let name = platform::sample_non_unicode_name();
        let bytes = name.as_encoded_bytes();
        assert_eq!(unhex(&hex(bytes)).unwrap(), bytes);
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn times_split_back_into_seconds_and_nanoseconds() {
        assert_eq!(split_time(nanos((5, 7))), (5, 7));
        assert_eq!(split_time(nanos((-2, 500))), (-2, 500));
    }
}
