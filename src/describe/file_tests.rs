//! Reading and rewriting description files through directory handles.

use super::file::leftover_pid;
use super::*;
use crate::platform::{self, Dir};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::Path;

fn entries(dir: &Path) -> Vec<OsString> {
    let mut v: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    v.sort();
    v
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn open(dir: &Path) -> Dir {
    Dir::open(dir).unwrap()
}

#[test]
fn copy_creates_the_file_with_crlf_and_keeps_ctrl_d() {
    let src = tempfile::tempdir().unwrap();
    let dst = tempfile::tempdir().unwrap();
    fs::write(src.path().join(FILE_NAME), b"\"My Doc.txt\" Hello \x04\x81bin\xff\r\nother.txt x\r\n").unwrap();
    let mut copier = Copier::new();
    let case = native_case();
    let name = if case == Case::Exact { "My Doc.txt" } else { "my doc.TXT" };
    assert!(copier.copy(&open(src.path()), os(name), os("link to doc")).unwrap());
    assert!(!copier.copy(&open(src.path()), os("missing"), os("x")).unwrap());
    assert!(copier.write(&open(dst.path())).unwrap());
    let written = fs::read(dst.path().join(FILE_NAME)).unwrap();
    assert_eq!(written, b"\"link to doc\" Hello \x04\x81bin\xff\r\n");
    assert_eq!(entries(dst.path()), [OsString::from(FILE_NAME)]);
    // Nothing gathered: nothing written, no file made.
    let empty = tempfile::tempdir().unwrap();
    assert!(!Copier::new().write(&open(empty.path())).unwrap());
    assert!(entries(empty.path()).is_empty());
}

#[test]
fn a_source_is_read_once_and_its_failure_reported_once() {
    let src = tempfile::tempdir().unwrap();
    fs::write(src.path().join(FILE_NAME), b"a one\r\n").unwrap();
    let mut copier = Copier::new();
    let (index, failure) = copier.source(&open(src.path()));
    assert!(failure.is_none());
    assert_eq!(index.get(b"a"), Some(&b"one"[..]));
    // Changed on disk afterwards: the run keeps what it read first.
    fs::write(src.path().join(FILE_NAME), b"a two\r\n").unwrap();
    assert_eq!(copier.source(&open(src.path())).0.get(b"a"), Some(&b"one"[..]));
    let bad = tempfile::tempdir().unwrap();
    fs::create_dir(bad.path().join(FILE_NAME)).unwrap();
    assert!(matches!(copier.copy(&open(bad.path()), os("a"), os("b")), Err(CopyError::Source(_))));
    assert!(!copier.copy(&open(bad.path()), os("a"), os("b")).unwrap());
}

#[test]
fn update_replaces_duplicates_and_leaves_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    fs::write(&path, b"Link one\nother.txt keep\r\nLink two\r\n").unwrap();
    let mut edit = Edit::new(native_case());
    edit.set(b"Link", b"three").unwrap();
    assert!(update(&open(dir.path()), &edit).unwrap());
    assert_eq!(fs::read(&path).unwrap(), b"other.txt keep\r\nLink three\r\n");
    assert_eq!(entries(dir.path()), [OsString::from(FILE_NAME)]);
    // The same edit again changes nothing.
    assert!(!update(&open(dir.path()), &edit).unwrap());
}

#[test]
fn lowercase_file_is_read_and_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("descript.ion"), b"a x\r\n").unwrap();
    let mut copier = Copier::new();
    assert!(copier.copy(&open(dir.path()), os("a"), os("b")).unwrap());
    assert!(copier.write(&open(dir.path())).unwrap());
    let listed = entries(dir.path());
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].eq_ignore_ascii_case(FILE_NAME));
    assert_eq!(fs::read(dir.path().join(&listed[0])).unwrap(), b"a x\r\nb x\r\n");
}

#[test]
fn remove_entry_deletes_file_with_last_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    fs::write(&path, b"a x\r\nb y\r\n").unwrap();
    let d = open(dir.path());
    assert!(!remove_entry(&d, os("c")).unwrap());
    assert!(remove_entry(&d, os("a")).unwrap());
    assert_eq!(fs::read(&path).unwrap(), b"b y\r\n");
    assert!(remove_entry(&d, os("b")).unwrap());
    assert!(entries(dir.path()).is_empty());
    assert!(!remove_entry(&d, os("b")).unwrap());
}

#[test]
fn a_description_file_that_is_a_directory_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(FILE_NAME)).unwrap();
    let d = open(dir.path());
    let mut edit = Edit::new(native_case());
    edit.set(b"b", b"x").unwrap();
    let failure = update(&d, &edit).unwrap_err();
    assert!(failure.error.to_string().contains("is a directory, not a regular file"), "{}", failure.error);
    assert!(remove_entry(&d, os("b")).is_err());
    assert_eq!(entries(dir.path()), [OsString::from(FILE_NAME)]);
}

#[test]
fn a_description_file_over_the_size_limit_is_neither_read_nor_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let file = fs::File::create(&path).unwrap();
    file.set_len(SIZE_LIMIT + 1).unwrap();
    drop(file);
    let d = open(dir.path());
    let (index, failure) = Copier::new().source(&d);
    assert!(index.is_empty());
    assert!(failure.unwrap().error.to_string().contains("larger than 64 MiB"));
    assert!(remove_entry(&d, os("a")).unwrap_err().error.to_string().contains("larger than 64 MiB"));
    assert_eq!(fs::metadata(&path).unwrap().len(), SIZE_LIMIT + 1);
    assert_eq!(entries(dir.path()), [OsString::from(FILE_NAME)]);
}

#[test]
fn temp_name_pid_reads_only_the_crate_scheme() {
    let name = platform::temp_name();
    assert_eq!(platform::temp_name_pid(name.as_encoded_bytes()), Some(std::process::id()));
    assert_eq!(platform::temp_name_pid(b".mklink-1f-0-abc.tmp"), Some(0x1f));
    for bad in [&b".mklink-1f-0.tmp"[..], b".mklink-1f-0-abc-1.tmp", b".mklink-zz-0-1.tmp", b"mklink-1-0-1.tmp"] {
        assert_eq!(platform::temp_name_pid(bad), None, "{bad:?}");
    }
    assert_eq!(platform::temp_name_pid(b".mklink-123456789-0-1.tmp"), None);
}

#[test]
fn temporaries_of_ended_runs_are_recognised_and_removed() {
    let own = platform::temp_name();
    let own = format!(".DESCRIPT.ION{}", own.to_string_lossy());
    assert_eq!(leftover_pid(own.as_bytes()), Some(std::process::id()));
    assert_eq!(leftover_pid(b".descript.ion.mklink-2a-0-1.tmp"), Some(42));
    for other in [&b".mklink-2a-0-1.tmp"[..], b"DESCRIPT.ION.mklink-2a-0-1.tmp", b".DESCRIPT.ION.2a.0.tmp"] {
        assert_eq!(leftover_pid(other), None, "{other:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    // A process id above any system's limit has surely ended; the running test process has not.
    let ended = ".DESCRIPT.ION.mklink-7ffffffe-0-1.tmp";
    let running = format!(".DESCRIPT.ION.mklink-{:x}-0-1.tmp", std::process::id());
    let foreign = ".mklink-7ffffffe-0-1.tmp";
    for name in [ended, &running, foreign] {
        fs::write(dir.path().join(name), b"x").unwrap();
    }
    let mut edit = Edit::new(native_case());
    edit.set(b"a", b"b").unwrap();
    update(&open(dir.path()), &edit).unwrap();
    let left = entries(dir.path());
    assert_eq!(left.contains(&OsString::from(ended)), platform::process_alive(0x7fff_fffe));
    assert!(left.contains(&OsString::from(&running)));
    assert!(left.contains(&OsString::from(foreign)), "only description temporaries are removed");
}
