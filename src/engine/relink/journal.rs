//! The journal of a relink or move: one JSON object per line, a header first, then one record per rewritten
//! link (its absolute path, the text it held, the text it got) in the order the rewrites happened. Each record
//! is written right after its rename, so a run cut short leaves a journal of exactly what it changed.
//!
//! A name that is valid UTF-8 is written as a JSON string; any other as `{"raw": "…"}`, the hexadecimal of its
//! raw form (`platform::raw_name`), so every name reads back exactly.

use crate::model::{Error, ErrorKind};
use serde_json::{Value, json};
use std::fs::File;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// One rewritten link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    /// The link's absolute path.
    pub link: PathBuf,
    /// The text it held before.
    pub old: PathBuf,
    /// The text it was given.
    pub new: PathBuf,
}

/// One line of a journal after the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    /// A link was rewritten.
    Relinked(Record),
    /// A tree was renamed (`--move`), before its links were rewritten.
    Moved {
        /// The old name, absolute.
        from: PathBuf,
        /// The new name, absolute.
        to: PathBuf,
    },
}

/// A journal being written.
pub(crate) struct Writer {
    file: io::BufWriter<File>,
    path: PathBuf,
}

/// A fresh journal name in the current directory: `mklnk-relink-<UTC time>.journal`.
pub(crate) fn default_path(operation: &str) -> PathBuf {
    let now = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S%.3fZ");
    PathBuf::from(format!("mklnk-{operation}-{now}.journal"))
}

impl Writer {
    /// Creates the journal `path` (which must not exist) and writes its header.
    ///
    /// # Errors
    /// When the file exists or cannot be created.
    pub(crate) fn create(path: &Path, operation: &str, from: &Path, to: &Path) -> Result<Writer, Error> {
        let file = File::options().write(true).create_new(true).open(path).map_err(|e| Error::from_io(e, path))?;
        let mut writer = Writer { file: io::BufWriter::new(file), path: path.to_path_buf() };
        let header =
            json!({"type": "header", "version": 1, "operation": operation, "from": name(from), "to": name(to)});
        writer.line(&header)?;
        Ok(writer)
    }

    /// Where the journal is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record and hands it to the operating system, so a later crash cannot lose it.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub(crate) fn record(&mut self, record: &Record) -> Result<(), Error> {
        let value = json!({
            "type": "relinked", "link": name(&record.link), "old": name(&record.old), "new": name(&record.new),
        });
        self.line(&value)
    }

    /// Records that the tree `from` is now `to`.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub(crate) fn moved(&mut self, from: &Path, to: &Path) -> Result<(), Error> {
        self.line(&json!({"type": "moved", "from": name(from), "to": name(to)}))
    }

    /// Makes the journal durable.
    pub(crate) fn finish(mut self) -> Result<PathBuf, Error> {
        self.file.flush().map_err(|e| Error::from_io(e, &self.path))?;
        let _ = self.file.get_ref().sync_all();
        Ok(self.path)
    }

    fn line(&mut self, value: &Value) -> Result<(), Error> {
        let mut text = value.to_string();
        text.push('\n');
        self.file.write_all(text.as_bytes()).and_then(|()| self.file.flush()).map_err(|e| Error::from_io(e, &self.path))
    }
}

/// Reads the entries of the journal `path`, in the order they were written.
///
/// # Errors
/// When the file cannot be read, or a line is not a record of this program.
pub(crate) fn read(path: &Path) -> Result<Vec<Entry>, Error> {
    let bad = |line: usize| {
        let e = io::Error::new(io::ErrorKind::InvalidData, format!("line {line} is not a journal record"));
        Error::with_source(ErrorKind::Other, path, e)
    };
    let file = crate::platform::open_regular_file(path).map_err(|e| Error::from_io(e, path))?;
    let mut records = Vec::new();
    for (i, line) in io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::from_io(e, path))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line).map_err(|_| bad(i + 1))?;
        let field = |key: &str| path_of(&value[key]).ok_or_else(|| bad(i + 1));
        match value["type"].as_str() {
            Some("header") if i == 0 => continue,
            Some("relinked") => {
                records.push(Entry::Relinked(Record { link: field("link")?, old: field("old")?, new: field("new")? }))
            }
            Some("moved") => records.push(Entry::Moved { from: field("from")?, to: field("to")? }),
            _ => return Err(bad(i + 1)),
        }
    }
    Ok(records)
}

/// A name as JSON: a string when it is UTF-8, else its bytes in hexadecimal.
fn name(path: &Path) -> Value {
    match path.to_str() {
        Some(text) => Value::String(text.to_string()),
        None => {
            json!({ "raw": crate::engine::hex::encode(&crate::platform::raw_name(path.as_os_str())) })
        }
    }
}

fn path_of(value: &Value) -> Option<PathBuf> {
    if let Some(text) = value.as_str() {
        return Some(PathBuf::from(text));
    }
    let bytes = crate::engine::hex::decode(value.get("raw")?.as_str()?)?;
    crate::platform::name_from_raw(bytes).map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_reads_back_what_was_written_even_names_that_are_not_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.journal");
        let odd = PathBuf::from(crate::platform::sample_non_unicode_name());
        let records = vec![
            Record { link: "/t/l".into(), old: "/a/x".into(), new: "/b/x".into() },
            Record { link: Path::new("/t").join(&odd), old: odd.clone(), new: "rel/y".into() },
        ];
        let mut writer = Writer::create(&path, "relink", Path::new("/a"), Path::new("/b")).unwrap();
        writer.moved(Path::new("/a"), Path::new("/b")).unwrap();
        for r in &records {
            writer.record(r).unwrap();
        }
        writer.finish().unwrap();
        let mut expected = vec![Entry::Moved { from: "/a".into(), to: "/b".into() }];
        expected.extend(records.into_iter().map(Entry::Relinked));
        assert_eq!(read(&path).unwrap(), expected);
        assert!(Writer::create(&path, "relink", Path::new("/a"), Path::new("/b")).is_err(), "never overwritten");
    }

    #[test]
    fn a_foreign_line_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        std::fs::write(&path, "{\"type\":\"other\"}\n").unwrap();
        assert!(read(&path).is_err());
    }
}
