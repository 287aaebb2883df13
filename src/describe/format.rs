//! The `DESCRIPT.ION` line format (docs/spec/reference.md §3.11), on bytes only: parse a line, look names up, and edit a
//! file's contents in one pass. Nothing here touches the disk.
//!
//! One line per file, `name SP remainder CRLF`, the name double-quoted when it holds a separator or is not
//! 8.3-shaped, the remainder (description plus any Ctrl-D extension data of other programs) kept whole. Contents
//! are never assumed to be UTF-8, and every line an edit does not own is kept byte for byte.

use super::names::{self, NameTable};
use std::fmt;
use std::io;

/// Ctrl-Z, the DOS end-of-file marker; a line starting with it is never an entry.
const CTRL_Z: u8 = 0x1A;

/// How names in the file are compared with a file's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Byte for byte: on a case-sensitive file system `Report` and `report` are two files with two entries.
    Exact,
    /// Without regard to ASCII case, as the file system does on Windows and (by default) macOS; bytes above
    /// 0x7F must match exactly.
    Insensitive,
}

impl Case {
    /// Whether two names are the same name.
    pub(super) fn same(self, a: &[u8], b: &[u8]) -> bool {
        match self {
            Case::Exact => a == b,
            Case::Insensitive => a.eq_ignore_ascii_case(b),
        }
    }
}

/// Why an entry cannot be written to a `DESCRIPT.ION` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryError {
    /// The name is empty or holds `"`, CR or LF, which the line format cannot represent.
    BadName,
    /// The description holds a line feed, which would split the line.
    BadText,
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EntryError::BadName => "name cannot be stored in DESCRIPT.ION (empty, or holds a quote or line break)",
            EntryError::BadText => "description cannot be stored in DESCRIPT.ION (holds a line break)",
        })
    }
}

impl std::error::Error for EntryError {}

impl From<EntryError> for io::Error {
    fn from(e: EntryError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidInput, e)
    }
}

fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b',' | b'\t')
}

/// Lines of `contents`, each with its terminator (LF or CRLF); the last may lack one.
fn lines(contents: &[u8]) -> impl Iterator<Item = &[u8]> {
    contents.split_inclusive(|&b| b == b'\n')
}

/// `line` without its trailing LF and then one trailing CR.
fn strip_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Splits one `DESCRIPT.ION` line into its name and the remainder.
///
/// `line` may still carry its LF or CRLF terminator; it is ignored. A name starting with `"` runs to the next `"`;
/// otherwise it ends at the first space, comma or tab. The remainder is everything after the following run of spaces,
/// commas and tabs up to the line end, Ctrl-D extension data included. Returns `None` for a line that holds no entry:
/// blank, starting with a separator or Ctrl-Z, with an empty name, or with an unclosed quote.
pub fn parse_line(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let line = strip_eol(line);
    let (name, rest) = if let Some(quoted) = line.strip_prefix(b"\"") {
        let end = quoted.iter().position(|&b| b == b'"')?;
        (&quoted[..end], &quoted[end + 1..])
    } else {
        if line.first() == Some(&CTRL_Z) {
            return None;
        }
        let end = line.iter().position(|&b| is_sep(b)).unwrap_or(line.len());
        line.split_at(end)
    };
    if name.is_empty() {
        return None;
    }
    let start = rest.iter().position(|&b| !is_sep(b)).unwrap_or(rest.len());
    Some((name, &rest[start..]))
}

/// The remainder (description and any Ctrl-D data) of `name`'s entry in `contents`, if it has one.
///
/// When the file holds several lines for the name, the first wins, as in a reader that stops at its first match;
/// updates made here always leave a single line. To look up many names, build an [`Index`] once.
pub fn find_description(contents: &[u8], name: &[u8], case: Case) -> Option<Vec<u8>> {
    lines(contents).filter_map(parse_line).find(|(n, _)| case.same(n, name)).map(|(_, rest)| rest.to_vec())
}

/// Whether `name` can be written unquoted: a DOS 8.3 name (1–8 bytes, optionally `.` and 1–3 bytes) made of
/// printable ASCII other than the characters DOS forbids in names.
fn is_8_3(name: &[u8]) -> bool {
    let (base, ext) = match name.iter().position(|&b| b == b'.') {
        Some(i) => (&name[..i], Some(&name[i + 1..])),
        None => (name, None),
    };
    let ok = |part: &[u8]| part.iter().all(|&b| (0x21..=0x7E).contains(&b) && !br#""*+,./:;<=>?[\]|"#.contains(&b));
    (1..=8).contains(&base.len()) && ok(base) && ext.is_none_or(|e| (1..=3).contains(&e.len()) && ok(e))
}

/// The line `name SP remainder CRLF`, the name quoted when it holds a space, `,`, tab, `|`, `=`, `<` or `>` or is not
/// 8.3-shaped (as TCC writes it).
#[cfg(test)]
pub(super) fn encode_line(name: &[u8], remainder: &[u8]) -> Result<Vec<u8>, EntryError> {
    let mut line = Vec::new();
    write_line(&mut line, name, remainder)?;
    Ok(line)
}

/// Appends the line for `name` and `remainder` (see [`encode_line`]) to `out`; on error `out` is unchanged.
fn write_line(out: &mut Vec<u8>, name: &[u8], remainder: &[u8]) -> Result<(), EntryError> {
    if name.is_empty() || name.iter().any(|b| matches!(b, b'"' | b'\r' | b'\n')) {
        return Err(EntryError::BadName);
    }
    if remainder.contains(&b'\n') {
        return Err(EntryError::BadText);
    }
    out.reserve(name.len() + remainder.len() + 5);
    let quote = !is_8_3(name);
    if quote {
        out.push(b'"');
    }
    out.extend_from_slice(name);
    if quote {
        out.push(b'"');
    }
    out.push(b' ');
    out.extend_from_slice(remainder);
    out.extend_from_slice(b"\r\n");
    Ok(())
}

/// `contents` with every line for `name` removed and `name SP remainder CRLF` appended last.
///
/// All other bytes are kept exactly; if the kept contents do not end in a line break one is added first (LF after a
/// lone CR, CRLF otherwise) so lines never merge. An empty `remainder` is written as given (`name SP CRLF`); use
/// [`remove_description`] to drop an entry. Fails, changing nothing, when the name or remainder cannot be stored.
pub fn set_description(contents: &[u8], name: &[u8], remainder: &[u8], case: Case) -> Result<Vec<u8>, EntryError> {
    let mut edit = Edit::new(case);
    edit.set(name, remainder)?;
    Ok(edit.apply(contents))
}

/// `contents` without any line for `name`, and whether any line was removed.
///
/// All other bytes are kept exactly; when nothing matches the result equals `contents`.
pub fn remove_description(contents: &[u8], name: &[u8], case: Case) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(contents.len());
    let mut changed = false;
    for line in lines(contents) {
        if parse_line(line).is_some_and(|(n, _)| case.same(n, name)) {
            changed = true;
        } else {
            out.extend_from_slice(line);
        }
    }
    (out, changed)
}

/// True when `contents` holds no entry, so the file should be deleted.
///
/// Conservative: only blank lines (spaces, commas, tabs, CR, Ctrl-Z) count as empty. A line that is not a valid entry
/// but holds anything else (an unclosed quote, a leading space) keeps the file, so unknown data is never deleted.
pub fn is_empty_of_entries(contents: &[u8]) -> bool {
    contents.iter().all(|&b| is_sep(b) || matches!(b, b'\r' | b'\n' | CTRL_Z))
}

/// Every entry of one file, read once, for looking up many names at constant cost each (a batch reads a source
/// directory's file into one of these instead of scanning it per link). The names and descriptions stay in the
/// file's contents; nothing is copied per entry.
#[derive(Debug)]
pub struct Index {
    case: Case,
    contents: Vec<u8>,
    /// For each distinct name, where its line starts in `contents`; the first line for a name wins, as in
    /// [`find_description`].
    table: NameTable<u32>,
    len: usize,
}

/// The entry on the line that starts at `start` in `contents` (which [`crate::describe::SIZE_LIMIT`] keeps far
/// below 4 GiB).
fn entry_at(contents: &[u8], start: u32) -> (&[u8], &[u8]) {
    let line = &contents[start as usize..];
    let end = line.iter().position(|&b| b == b'\n').map_or(line.len(), |i| i + 1);
    parse_line(&line[..end]).unwrap_or_default()
}

impl Index {
    /// Reads every entry of `contents` (entries past the first 4 GiB are not indexed).
    pub fn new(contents: Vec<u8>, case: Case) -> Index {
        let lines_about = contents.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut table = NameTable::with_capacity(lines_about);
        let mut len = 0;
        let mut start = 0usize;
        for line in lines(&contents) {
            let Ok(at) = u32::try_from(start) else { break };
            start += line.len();
            let Some((name, _)) = parse_line(line) else { continue };
            if table.find(case, name, |&s: &u32| entry_at(&contents, s).0).is_none() {
                table.add(case, name, at);
                len += 1;
            }
        }
        Index { case, contents, table, len }
    }

    /// An index of no entries (no file, or one that could not be read).
    pub fn empty(case: Case) -> Index {
        Index { case, contents: Vec::new(), table: NameTable::with_capacity(0), len: 0 }
    }

    /// The remainder of `name`'s entry, if it has one.
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        // A directory without descriptions is the common case of a batch: no name is hashed for it.
        if self.len == 0 {
            return None;
        }
        let &start = self.table.find(self.case, name, |&s| entry_at(&self.contents, s).0)?;
        Some(entry_at(&self.contents, start).1)
    }

    /// How many names have an entry.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no name has an entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Changes to one file's entries, gathered over a run and applied in one pass over the old contents, so that a
/// batch costs time in proportion to the file and the batch, never their product.
///
/// The result is the same as applying each change in turn: every old line for a changed name is dropped, and the
/// names set are appended in the order of their last change. A change costs no allocation of its own and no
/// random memory access: the names are hashed as they come, and sorted by hash once, when the edit is applied.
#[derive(Debug)]
pub struct Edit {
    case: Case,
    /// The new lines, and the names removed, one after another.
    buffer: Vec<u8>,
    /// Each change in order.
    changes: Vec<Change>,
}

/// One change: the name's hash, and where its line (for a set) or its name (for a removal) is in the buffer.
#[derive(Debug, Clone, Copy)]
struct Change {
    hash: u64,
    start: usize,
    len: u32,
    /// Where the name starts in the line: 0 for a removal or an unquoted name, 1 after an opening quote.
    name_at: u8,
    name_len: u32,
    set: bool,
}

/// The changes sorted by name hash (with their order as a tie-break), and for each change whether it is the
/// last one of its name.
struct Sorted {
    by_hash: Vec<(u64, u32)>,
    last: Vec<bool>,
}

impl Edit {
    /// No changes yet.
    pub fn new(case: Case) -> Edit {
        Edit { case, buffer: Vec::new(), changes: Vec::new() }
    }

    /// Sets `name`'s entry to `remainder` (replacing any earlier change of the name).
    ///
    /// # Errors
    /// When the name or the remainder cannot be written on a line (or the edit holds four thousand million
    /// changes); the edit is then unchanged.
    pub fn set(&mut self, name: &[u8], remainder: &[u8]) -> Result<(), EntryError> {
        let start = self.buffer.len();
        write_line(&mut self.buffer, name, remainder)?;
        let name_at = u8::from(self.buffer.get(start) == Some(&b'"'));
        self.push(name, start, name_at, true).inspect_err(|_| self.buffer.truncate(start))
    }

    /// Removes every line for `name` (replacing any earlier change of the name). A name longer than 4 GiB cannot
    /// be a file name and is ignored.
    pub fn remove(&mut self, name: &[u8]) {
        let start = self.buffer.len();
        self.buffer.extend_from_slice(name);
        if self.push(name, start, 0, false).is_err() {
            self.buffer.truncate(start);
        }
    }

    fn push(&mut self, name: &[u8], start: usize, name_at: u8, set: bool) -> Result<(), EntryError> {
        let too_big = || EntryError::BadText;
        let len = u32::try_from(self.buffer.len() - start).map_err(|_| too_big())?;
        let name_len = u32::try_from(name.len()).map_err(|_| EntryError::BadName)?;
        if u32::try_from(self.changes.len()).is_err() {
            return Err(too_big());
        }
        let hash = names::hash(self.case, name);
        self.changes.push(Change { hash, start, len, name_at, name_len, set });
        Ok(())
    }

    fn name(&self, change: &Change) -> &[u8] {
        let start = change.start + usize::from(change.name_at);
        &self.buffer[start..start + change.name_len as usize]
    }

    fn sorted(&self) -> Sorted {
        let mut by_hash: Vec<(u64, u32)> = self.changes.iter().enumerate().map(|(i, c)| (c.hash, i as u32)).collect();
        by_hash.sort_unstable();
        let mut last = vec![true; self.changes.len()];
        for run in by_hash.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
            // Equal hashes, in change order: a change is not the last of its name when a later one has the same.
            for (k, &(_, i)) in run.iter().enumerate() {
                let name = self.name(&self.changes[i as usize]);
                if run[k + 1..].iter().any(|&(_, j)| self.case.same(self.name(&self.changes[j as usize]), name)) {
                    last[i as usize] = false;
                }
            }
        }
        Sorted { by_hash, last }
    }

    /// True when nothing was changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when some name is set (not only removed): applying to a missing file creates it.
    pub fn sets_any(&self) -> bool {
        let sorted = self.sorted();
        self.changes.iter().zip(&sorted.last).any(|(c, &last)| last && c.set)
    }

    /// The new contents: `contents` without the lines of every changed name, then the new lines.
    ///
    /// Other bytes are kept exactly; if the kept contents do not end in a line break and lines are appended, one
    /// is added first (LF after a lone CR, CRLF otherwise) so lines never merge.
    pub fn apply(&self, contents: &[u8]) -> Vec<u8> {
        let sorted = self.sorted();
        let mut out = Vec::with_capacity(contents.len() + self.buffer.len());
        for line in lines(contents) {
            let changed = parse_line(line).is_some_and(|(name, _)| self.touches(&sorted, name));
            if !changed {
                out.extend_from_slice(line);
            }
        }
        let mut first = true;
        for (change, &last) in self.changes.iter().zip(&sorted.last) {
            if !(last && change.set) {
                continue;
            }
            if first {
                match out.last() {
                    None | Some(b'\n') => {}
                    Some(b'\r') => out.push(b'\n'),
                    Some(_) => out.extend_from_slice(b"\r\n"),
                }
                first = false;
            }
            out.extend_from_slice(&self.buffer[change.start..change.start + change.len as usize]);
        }
        out
    }

    fn touches(&self, sorted: &Sorted, name: &[u8]) -> bool {
        let hash = names::hash(self.case, name);
        let from = sorted.by_hash.partition_point(|&(h, _)| h < hash);
        sorted.by_hash[from..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .any(|&(_, i)| self.case.same(self.name(&self.changes[i as usize]), name))
    }
}
