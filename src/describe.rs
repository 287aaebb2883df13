//! File descriptions: the 4DOS/4NT/TCC `DESCRIPT.ION` format and its atomic update.
//!
//! This module owns the line format (reference.md §3.11): one line per file, `name SP remainder CRLF`, the name
//! double-quoted when it holds a separator or is not 8.3-shaped, the remainder (description plus any Ctrl-D
//! extension data of other programs) copied whole. The byte-level functions work on file contents as `&[u8]`, never
//! assume UTF-8, and keep every line they do not own byte for byte. The file-level functions read `DESCRIPT.ION`
//! (or `descript.ion` when only that exists) and replace it atomically: new contents go to a unique temporary in the
//! same directory, are synced, and are renamed over the old file; on any error the temporary is removed and the old
//! file is left as it was. The file is deleted when its last entry goes.
//!
//! It never touches any file but the directory's `DESCRIPT.ION` and its own temporary, never writes through a
//! symbolic link (a `DESCRIPT.ION` that is not a regular file is refused), and takes no lock: two processes updating
//! the same `DESCRIPT.ION` at once can lose one update, as with TCC itself.
#![deny(missing_docs)]

use std::ffi::OsStr;
use std::fmt;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The name of the description file written in every directory.
pub const FILE_NAME: &str = "DESCRIPT.ION";
/// The lowercase variant accepted when [`FILE_NAME`] is absent (case-sensitive file systems).
const FILE_NAME_LOWER: &str = "descript.ion";
/// Ctrl-Z, the DOS end-of-file marker; a line starting with it is never an entry.
const CTRL_Z: u8 = 0x1A;

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

fn line_is_for(line: &[u8], name: &[u8]) -> bool {
    parse_line(line).is_some_and(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// The remainder (description and any Ctrl-D data) of `name`'s entry in `contents`, if it has one.
///
/// Names compare case-insensitively with ASCII folding only (bytes above 0x7F must match exactly). When the file
/// holds several lines for the name, the first wins, as in a reader that stops at its first match; updates made here
/// always leave a single line.
pub fn find_description(contents: &[u8], name: &[u8]) -> Option<Vec<u8>> {
    lines(contents).filter_map(parse_line).find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, rest)| rest.to_vec())
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
fn encode_line(name: &[u8], remainder: &[u8]) -> Result<Vec<u8>, EntryError> {
    if name.is_empty() || name.iter().any(|b| matches!(b, b'"' | b'\r' | b'\n')) {
        return Err(EntryError::BadName);
    }
    if remainder.contains(&b'\n') {
        return Err(EntryError::BadText);
    }
    let mut line = Vec::with_capacity(name.len() + remainder.len() + 5);
    let quote = !is_8_3(name);
    if quote {
        line.push(b'"');
    }
    line.extend_from_slice(name);
    if quote {
        line.push(b'"');
    }
    line.push(b' ');
    line.extend_from_slice(remainder);
    line.extend_from_slice(b"\r\n");
    Ok(line)
}

/// `contents` with every line for `name` removed (case-insensitive) and `name SP remainder CRLF` appended last.
///
/// All other bytes are kept exactly; if the kept contents do not end in a line break one is added first (LF after a
/// lone CR, CRLF otherwise) so lines never merge. An empty `remainder` is written as given (`name SP CRLF`); use
/// [`remove_description`] to drop an entry. Fails, changing nothing, when the name or remainder cannot be stored.
pub fn set_description(contents: &[u8], name: &[u8], remainder: &[u8]) -> Result<Vec<u8>, EntryError> {
    let line = encode_line(name, remainder)?;
    let (mut out, _) = remove_description(contents, name);
    match out.last() {
        None | Some(b'\n') => {}
        Some(b'\r') => out.push(b'\n'),
        Some(_) => out.extend_from_slice(b"\r\n"),
    }
    out.extend_from_slice(&line);
    Ok(out)
}

/// `contents` without any line for `name` (case-insensitive), and whether any line was removed.
///
/// All other bytes are kept exactly; when nothing matches the result equals `contents`.
pub fn remove_description(contents: &[u8], name: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(contents.len());
    let mut changed = false;
    for line in lines(contents) {
        if line_is_for(line, name) {
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

/// Reads the description file of `dir` by following links: `Ok(None)` when neither name exists. Batches read a
/// source directory's file once with this and look names up with [`find_description`].
pub fn read_file(dir: &Path) -> io::Result<Option<Vec<u8>>> {
    for file in [FILE_NAME, FILE_NAME_LOWER] {
        match fs::read(dir.join(file)) {
            Ok(data) => return Ok(Some(data)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// An existing description file: its contents and metadata.
type Existing = (Vec<u8>, Metadata);

/// The description file of `dir` to update: its name, and its contents and metadata when it exists. Refuses one that
/// is not a regular file (a symbolic link, a directory), so nothing is written through a link.
fn open_for_update(dir: &Path) -> io::Result<(&'static str, Option<Existing>)> {
    for file in [FILE_NAME, FILE_NAME_LOWER] {
        let path = dir.join(file);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() => {
                let data = fs::read(&path)?;
                return Ok((file, Some((data, meta))));
            }
            Ok(_) => {
                let msg = format!("{} is not a regular file", path.display());
                return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        }
    }
    Ok((FILE_NAME, None))
}

/// The description (remainder of the line, Ctrl-D data included) of `name` in `dir`'s `DESCRIPT.ION`.
///
/// `name` is a file name without directory. Reads `DESCRIPT.ION`, or `descript.ion` when that is absent; `Ok(None)`
/// when there is no such file or no entry for the name.
pub fn read_description(dir: &Path, name: &OsStr) -> io::Result<Option<Vec<u8>>> {
    Ok(read_file(dir)?.and_then(|data| find_description(&data, name.as_encoded_bytes())))
}

/// Sets `name`'s entry in `dir`'s `DESCRIPT.ION` to `remainder`, creating the file (CRLF lines) when absent.
///
/// Every old line for the name is removed and the new one appended last; the file is replaced atomically and left
/// untouched on any error. An unrepresentable name or remainder fails with [`io::ErrorKind::InvalidInput`]
/// wrapping an [`EntryError`].
pub fn write_description(dir: &Path, name: &OsStr, remainder: &[u8]) -> io::Result<()> {
    let (file, old) = open_for_update(dir)?;
    let old_data = old.as_ref().map_or(&[][..], |(d, _)| d.as_slice());
    let new = set_description(old_data, name.as_encoded_bytes(), remainder)?;
    if old.is_some() && new == old_data {
        return Ok(());
    }
    replace(dir, file, &new, old.as_ref().map(|(_, m)| m), &mut |_| Ok(()))
}

/// Sets several entries of `dir`'s `DESCRIPT.ION` in one atomic replacement (a batch writes its destination's
/// file once, not once per link). Errors as [`write_description`]; on error the file is unchanged.
pub fn write_descriptions(dir: &Path, entries: &[(std::ffi::OsString, Vec<u8>)]) -> io::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let (file, old) = open_for_update(dir)?;
    let old_data = old.as_ref().map_or(&[][..], |(d, _)| d.as_slice());
    let mut new = old_data.to_vec();
    for (name, remainder) in entries {
        new = set_description(&new, name.as_encoded_bytes(), remainder)?;
    }
    if old.is_some() && new == old_data {
        return Ok(());
    }
    replace(dir, file, &new, old.as_ref().map(|(_, m)| m), &mut |_| Ok(()))
}

/// Copies the description of `src_name` in `src_dir` to `dst_name` in `dst_dir`, as COPY and MKLNK do.
///
/// The whole remainder of the source line is copied, Ctrl-D extension data included. Returns `Ok(false)` when the
/// source has no entry or an empty one (nothing is written), `Ok(true)` when the destination now carries it. Errors
/// as [`write_description`]; the destination file is then unchanged.
pub fn copy_description(src_dir: &Path, src_name: &OsStr, dst_dir: &Path, dst_name: &OsStr) -> io::Result<bool> {
    match read_description(src_dir, src_name)? {
        Some(text) if !text.is_empty() => write_description(dst_dir, dst_name, &text).map(|()| true),
        _ => Ok(false),
    }
}

/// Removes every line for `name` from `dir`'s `DESCRIPT.ION`, as DEL does; returns whether a line was removed.
///
/// The file is deleted when no entry is left (see [`is_empty_of_entries`]), otherwise replaced atomically. A missing
/// file is `Ok(false)`.
pub fn remove_entry(dir: &Path, name: &OsStr) -> io::Result<bool> {
    let (file, Some((data, meta))) = open_for_update(dir)? else {
        return Ok(false);
    };
    let (new, changed) = remove_description(&data, name.as_encoded_bytes());
    if !changed {
        return Ok(false);
    }
    if is_empty_of_entries(&new) {
        fs::remove_file(dir.join(file))?;
        sync_dir(dir);
    } else {
        replace(dir, file, &new, Some(&meta), &mut |_| Ok(()))?;
    }
    Ok(true)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Creates a new, uniquely named temporary `.<file>.<pid>.<counter>.tmp` in `dir`.
fn create_temp(dir: &Path, file: &str, old: Option<&Metadata>) -> io::Result<(PathBuf, File)> {
    let _ = old; // used on Windows only
    for _ in 0..1000 {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{file}.{}.{n}.tmp", std::process::id()));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(windows)]
        {
            use std::os::windows::fs::{MetadataExt, OpenOptionsExt};
            const HIDDEN: u32 = 0x2;
            const SYSTEM: u32 = 0x4;
            const ARCHIVE: u32 = 0x20;
            // A new file is hidden; an old one keeps its hidden/system bits (a user-cleared Hidden stays cleared).
            let keep = old.map_or(HIDDEN, |m| m.file_attributes() & (HIDDEN | SYSTEM));
            opts.attributes(keep | ARCHIVE);
        }
        match opts.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free temporary name for DESCRIPT.ION"))
}

/// Atomically replaces `dir/file` with `data`, keeping `old`'s permissions. `before_rename` lets tests inject a
/// failure at the last moment. On error the temporary is removed and `dir/file` is untouched.
fn replace(
    dir: &Path,
    file: &str,
    data: &[u8],
    old: Option<&Metadata>,
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> io::Result<()> {
    // Windows cannot rename over a read-only file (nor, before Rust 1.86, remove a read-only temporary): refuse first.
    #[cfg(windows)]
    if old.is_some_and(|m| m.permissions().readonly()) {
        let msg = format!("{} is read-only", dir.join(file).display());
        return Err(io::Error::new(io::ErrorKind::PermissionDenied, msg));
    }
    let (tmp, handle) = create_temp(dir, file, old)?;
    let result = (|| {
        let mut handle = handle;
        handle.write_all(data)?;
        if let Some(meta) = old {
            handle.set_permissions(meta.permissions())?;
        }
        handle.sync_all()?;
        drop(handle);
        before_rename(&tmp)?;
        fs::rename(&tmp, dir.join(file))
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir);
    Ok(())
}

/// Best effort: makes a rename or removal in `dir` durable (not possible through std on every platform).
fn sync_dir(dir: &Path) {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn entries(dir: &Path) -> Vec<OsString> {
        let mut v: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        v.sort();
        v
    }

    fn os(s: &str) -> &OsStr {
        OsStr::new(s)
    }

    #[test]
    fn parse_quoted_and_unquoted() {
        assert_eq!(
            parse_line(b"\"Letter Home.doc\" Memo to Bob\r\n"),
            Some((&b"Letter Home.doc"[..], &b"Memo to Bob"[..]))
        );
        assert_eq!(parse_line(b"FOO.TXT  ,\t Some text\n"), Some((&b"FOO.TXT"[..], &b"Some text"[..])));
        assert_eq!(parse_line(b"foo,bar baz"), Some((&b"foo"[..], &b"bar baz"[..])));
        assert_eq!(parse_line(b"\"a b\""), Some((&b"a b"[..], &b""[..])));
        assert_eq!(parse_line(b"NAME"), Some((&b"NAME"[..], &b""[..])));
        assert_eq!(parse_line(b"x desc\r\r\n"), Some((&b"x"[..], &b"desc\r"[..])));
        for bad in [&b""[..], b"\r\n", b" lead", b"\"unclosed name", b"\"\" empty", b"\x1a"] {
            assert_eq!(parse_line(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn lookup_is_case_insensitive_first_wins() {
        let data = b"other.txt x\r\n\"Letter Home.doc\" Memo\r\nREADME first\nreadme second\r\n";
        assert_eq!(find_description(data, b"letter home.DOC"), Some(b"Memo".to_vec()));
        assert_eq!(find_description(data, b"ReadMe"), Some(b"first".to_vec()));
        assert_eq!(find_description(data, b"Letter"), None);
        assert_eq!(find_description(b"last no-newline", b"LAST"), Some(b"no-newline".to_vec()));
    }

    #[test]
    fn quoting_rules() {
        let line = |n: &[u8]| encode_line(n, b"d").unwrap();
        assert_eq!(line(b"FOO.TXT"), b"FOO.TXT d\r\n");
        assert_eq!(line(b"readme.txt"), b"readme.txt d\r\n");
        assert_eq!(line(b"NOEXT"), b"NOEXT d\r\n");
        for quoted in [&b"a b.txt"[..], b"a=b", b"a|b", b"a<b", b"a>b", b"a,b", b"a\tb", b"readme.markdown"] {
            assert_eq!(line(quoted)[0], b'"', "{quoted:?}");
        }
        for quoted in [&b"longername.txt"[..], b"a.b.c", b".profile", b"foo.", b"caf\xe9.txt", b"\x1aZ"] {
            assert_eq!(line(quoted)[0], b'"', "{quoted:?}");
        }
        assert_eq!(encode_line(b"a\"b", b"d"), Err(EntryError::BadName));
        assert_eq!(encode_line(b"a\nb", b"d"), Err(EntryError::BadName));
        assert_eq!(encode_line(b"", b"d"), Err(EntryError::BadName));
        assert_eq!(encode_line(b"a", b"x\ny"), Err(EntryError::BadText));
    }

    #[test]
    fn set_keeps_other_bytes_and_appends_last() {
        let data = b"FOO old one\r\nkeep\xff\xfe me\nfoo old two\r\nzz.txt \x04Xdata\r\nFoO old three";
        let out = set_description(data, b"foo", b"new \x04Kkept").unwrap();
        assert_eq!(out, b"keep\xff\xfe me\nzz.txt \x04Xdata\r\nfoo new \x04Kkept\r\n");
        // A last line without terminator gets CRLF before the appended line; a lone CR gets its LF.
        assert_eq!(set_description(b"a.txt x", b"b", b"y").unwrap(), b"a.txt x\r\nb y\r\n");
        assert_eq!(set_description(b"a.txt x\r", b"b", b"y").unwrap(), b"a.txt x\r\nb y\r\n");
        assert_eq!(set_description(b"", b"my file", b"y").unwrap(), b"\"my file\" y\r\n");
        let name = b"caf\xe9 \x80.txt";
        let out = set_description(b"", name, b"d\xff").unwrap();
        assert_eq!(find_description(&out, name), Some(b"d\xff".to_vec()));
        assert_eq!(set_description(data, b"q\"", b"x"), Err(EntryError::BadName));
    }

    #[test]
    fn remove_and_emptiness() {
        let data = b"a x\r\nb y\nA z";
        assert_eq!(remove_description(data, b"a"), (b"b y\n".to_vec(), true));
        assert_eq!(remove_description(data, b"c"), (data.to_vec(), false));
        assert!(is_empty_of_entries(b""));
        assert!(is_empty_of_entries(b"\r\n  \t\n\x1a"));
        assert!(!is_empty_of_entries(b"b y\n"));
        assert!(!is_empty_of_entries(b"\"unclosed\r\n"));
    }

    #[test]
    fn file_created_with_crlf_and_copy_keeps_ctrl_d() {
        let src = tempfile::tempdir().unwrap();
        let dst = tempfile::tempdir().unwrap();
        fs::write(src.path().join(FILE_NAME), b"\"My Doc.txt\" Hello \x04\x81bin\xff\r\n").unwrap();
        assert!(copy_description(src.path(), os("my doc.TXT"), dst.path(), os("link to doc")).unwrap());
        let written = fs::read(dst.path().join(FILE_NAME)).unwrap();
        assert_eq!(written, b"\"link to doc\" Hello \x04\x81bin\xff\r\n");
        assert_eq!(entries(dst.path()), [OsString::from(FILE_NAME)]);
        assert!(!copy_description(src.path(), os("missing"), dst.path(), os("x")).unwrap());
        assert_eq!(read_description(dst.path(), os("nope")).unwrap(), None);
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(read_description(empty.path(), os("x")).unwrap(), None);
    }

    #[test]
    fn update_replaces_duplicates_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"LINK one\nother.txt keep\r\nlink two\r\n").unwrap();
        write_description(dir.path(), os("Link"), b"three").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"other.txt keep\r\nLink three\r\n");
        assert_eq!(entries(dir.path()), [OsString::from(FILE_NAME)]);
    }

    #[test]
    fn lowercase_file_is_read_and_updated_in_place() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME_LOWER), b"a x\r\n").unwrap();
        assert_eq!(read_description(dir.path(), os("A")).unwrap(), Some(b"x".to_vec()));
        write_description(dir.path(), os("b"), b"y").unwrap();
        assert_eq!(entries(dir.path()), [OsString::from(FILE_NAME_LOWER)]);
        assert_eq!(fs::read(dir.path().join(FILE_NAME_LOWER)).unwrap(), b"a x\r\nb y\r\n");
    }

    #[test]
    fn remove_entry_deletes_file_with_last_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"a x\r\nb y\r\n").unwrap();
        assert!(!remove_entry(dir.path(), os("c")).unwrap());
        assert!(remove_entry(dir.path(), os("A")).unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"b y\r\n");
        assert!(remove_entry(dir.path(), os("b")).unwrap());
        assert!(entries(dir.path()).is_empty());
        assert!(!remove_entry(dir.path(), os("b")).unwrap());
    }

    #[test]
    fn failed_writes_leave_nothing_behind() {
        let src = tempfile::tempdir().unwrap();
        fs::write(src.path().join(FILE_NAME), b"a desc\r\n").unwrap();
        // Destination directory missing, or a regular file.
        let missing = src.path().join("no-such-dir");
        assert!(copy_description(src.path(), os("a"), &missing, os("b")).is_err());
        assert!(!missing.exists());
        let not_dir = src.path().join("plain");
        fs::write(&not_dir, b"data").unwrap();
        assert!(copy_description(src.path(), os("a"), &not_dir, os("b")).is_err());
        assert_eq!(fs::read(&not_dir).unwrap(), b"data");
        // DESCRIPT.ION that is a directory is refused.
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(FILE_NAME)).unwrap();
        assert!(write_description(dir.path(), os("b"), b"x").is_err());
        assert!(remove_entry(dir.path(), os("b")).is_err());
        assert_eq!(entries(dir.path()), [OsString::from(FILE_NAME)]);
        // Unrepresentable name: InvalidInput, nothing written.
        let err = copy_description(src.path(), os("a"), src.path(), os("q\"uote")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(entries(src.path()), [OsString::from(FILE_NAME), OsString::from("plain")]);
        assert_eq!(fs::read(src.path().join(FILE_NAME)).unwrap(), b"a desc\r\n");
    }

    #[test]
    fn failure_before_rename_removes_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"a old\r\n").unwrap();
        let meta = fs::metadata(&path).unwrap();
        let mut seen = None;
        let err = replace(dir.path(), FILE_NAME, b"a new\r\n", Some(&meta), &mut |tmp| {
            assert_eq!(fs::read(tmp)?, b"a new\r\n");
            seen = Some(tmp.to_path_buf());
            Err(io::Error::other("injected"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "injected");
        let tmp = seen.unwrap();
        let tmp_name = tmp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(tmp_name.starts_with(".DESCRIPT.ION.") && tmp_name.ends_with(".tmp"), "{tmp_name}");
        assert!(!tmp.exists());
        assert_eq!(fs::read(&path).unwrap(), b"a old\r\n");
        assert_eq!(entries(dir.path()), [OsString::from(FILE_NAME)]);
    }

    #[cfg(unix)]
    #[test]
    fn unix_permissions_symlinks_and_raw_names() {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(&path, b"a x\r\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let raw = OsStr::from_bytes(b"caf\xe9 \xff.txt");
        write_description(dir.path(), raw, b"raw").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o640);
        assert_eq!(read_description(dir.path(), raw).unwrap(), Some(b"raw".to_vec()));
        assert_eq!(fs::read(&path).unwrap(), b"a x\r\n\"caf\xe9 \xff.txt\" raw\r\n");
        // A symlinked DESCRIPT.ION is never written through nor replaced.
        let other = tempfile::tempdir().unwrap();
        let target = other.path().join("target");
        fs::write(&target, b"t x\r\n").unwrap();
        let linked = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&target, linked.path().join(FILE_NAME)).unwrap();
        assert!(write_description(linked.path(), os("t"), b"y").is_err());
        assert!(remove_entry(linked.path(), os("t")).is_err());
        let still_link = fs::symlink_metadata(linked.path().join(FILE_NAME)).unwrap();
        assert!(still_link.file_type().is_symlink());
        assert_eq!(fs::read(&target).unwrap(), b"t x\r\n");
        assert_eq!(entries(linked.path()), [OsString::from(FILE_NAME)]);
    }
}
