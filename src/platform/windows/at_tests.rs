//! Every call of the Windows [`Dir`] works relative to the handle it opened: after the directory's parent is
//! renamed away, the work lands in the directory the handle opened, at its new place. When another directory
//! then takes the old path, nothing ever lands there: Windows still follows the handle; Wine 8 (which keeps a
//! handle's directory by name and checks it is still the same directory) refuses with ERROR_INVALID_HANDLE.

use super::Dir;
use crate::platform::{EntryKind, Rename};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use windows_sys::Win32::Foundation as w;

/// A tree `root/parent/dir` with `dir` opened as a [`Dir`]; then `parent` is renamed to `moved` and, if
/// `decoy`, a new, empty `parent/dir` is made at the old path. Returns the handle, the directory's new path and
/// the old one.
fn moved_away(decoy: bool) -> (tempfile::TempDir, Dir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir_path = root.path().join("parent").join("dir");
    fs::create_dir_all(&dir_path).unwrap();
    fs::write(dir_path.join("file"), b"data").unwrap();
    let dir = Dir::open(&dir_path).unwrap();
    fs::rename(root.path().join("parent"), root.path().join("moved")).unwrap();
    if decoy {
        fs::create_dir_all(&dir_path).unwrap();
    }
    let real = root.path().join("moved").join("dir");
    (root, dir, real, dir_path)
}

/// The sorted names in `path`; none when it does not exist.
fn names(path: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(path) else { return Vec::new() };
    let mut names: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn os(name: &str) -> &OsStr {
    OsStr::new(name)
}

#[test]
fn entries_are_read_and_made_in_the_directory_the_handle_opened_after_it_moved() {
    let (_root, dir, real, old) = moved_away(false);
    assert_eq!(dir.lstat(os("file")).unwrap().kind, EntryKind::File);
    let mut listed = Vec::new();
    dir.for_each_entry(|entry, kind| {
        listed.push((entry.to_os_string(), kind));
        true
    })
    .unwrap();
    assert_eq!(listed, [("file".into(), Some(EntryKind::File))]);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut dir.open_regular(os("file")).unwrap(), &mut text).unwrap();
    assert_eq!(text, "data");
    std::io::Write::write_all(&mut dir.create_new(os("new"), 0o644).unwrap(), b"x").unwrap();
    dir.make_dir(os("sub"), 0o755).unwrap();
    assert_eq!(dir.entry_meta(os("new")).unwrap().size, 1);
    assert_eq!(names(&real), ["file", "new", "sub"]);
    assert!(!old.exists());
}

/// Whether a rename or hard link with a moved directory as its root went through: always on Windows. Wine 8
/// refuses it with ERROR_INVALID_HANDLE, because its server finds a root directory by the path it had when it
/// was opened and checks that the path still leads there. Any other error fails the test.
fn went_through(result: std::io::Result<()>) -> bool {
    match result {
        Ok(()) => true,
        Err(e) if super::super::running_under_wine() && e.raw_os_error() == Some(w::ERROR_INVALID_HANDLE as i32) => {
            false
        }
        Err(e) => panic!("unexpected error: {e}"),
    }
}

#[test]
fn renames_links_and_deletes_land_in_the_moved_directories() {
    let (_root, dir, real, old) = moved_away(false);
    let linked = went_through(dir.hard_link(os("file"), &dir, os("second")));
    let renamed = went_through(dir.rename(os("file"), &dir, os("third"), Rename::NoReplace));
    let left = match (linked, renamed) {
        (true, true) => {
            assert_eq!(names(&real), ["second", "third"]);
            "second"
        }
        (false, false) => {
            assert_eq!(names(&real), ["file"]);
            "file"
        }
        other => panic!("some calls followed the handle and some did not: {other:?}"),
    };
    if linked {
        dir.remove(os("third")).unwrap();
    }
    assert_eq!(dir.lstat(os(left)).unwrap().nlink, 1);
    dir.remove(os(left)).unwrap();
    if super::super::running_under_wine() {
        // Wine 8 deletes when the handle closes, by the path the entry had when it was opened, and only if that
        // path still leads to the same file: through a moved directory nothing is deleted (and nothing else).
        assert_eq!(names(&real), [left]);
    } else {
        assert!(names(&real).is_empty());
    }
    assert!(!old.exists());
}

#[test]
fn nothing_lands_in_a_directory_that_took_the_old_path() {
    let (_root, dir, real, decoy) = moved_away(true);
    dir.create_new(os("new"), 0o644).unwrap();
    let linked = went_through(dir.hard_link(os("file"), &dir, os("link")));
    let renamed = went_through(dir.rename(os("file"), &dir, os("renamed"), Rename::NoReplace));
    assert!(names(&decoy).is_empty());
    let expected: &[&str] = match (linked, renamed) {
        (true, true) => &["link", "new", "renamed"],
        (false, false) => &["file", "new"],
        other => panic!("some calls followed the handle and some did not: {other:?}"),
    };
    assert_eq!(names(&real), expected);
}

#[test]
fn a_rename_between_two_handles_lands_in_the_destination_handle_after_both_moved() {
    let (root, src, real_src, _) = moved_away(false);
    let dest_path = root.path().join("up").join("dest");
    fs::create_dir_all(&dest_path).unwrap();
    let dest = Dir::open(&dest_path).unwrap();
    fs::rename(root.path().join("up"), root.path().join("up-moved")).unwrap();
    let real_dest = root.path().join("up-moved").join("dest");
    if went_through(src.rename(os("file"), &dest, os("arrived"), Rename::NoReplace)) {
        dest.hard_link(os("arrived"), &src, os("back")).unwrap();
        assert_eq!(names(&real_dest), ["arrived"]);
        assert_eq!(names(&real_src), ["back"]);
    } else {
        assert!(names(&real_dest).is_empty());
        assert_eq!(names(&real_src), ["file"]);
    }
    assert!(!dest_path.exists());
}

#[test]
fn renames_and_links_between_two_handles_use_the_destination_handle() {
    let root = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        fs::create_dir(root.path().join(sub)).unwrap();
    }
    fs::write(root.path().join("a").join("f"), b"x").unwrap();
    let (a, b) = (Dir::open(&root.path().join("a")).unwrap(), Dir::open(&root.path().join("b")).unwrap());
    a.hard_link(os("f"), &b, os("g")).unwrap();
    a.rename(os("f"), &b, os("h"), Rename::NoReplace).unwrap();
    fs::write(root.path().join("a").join("other"), b"y").unwrap();
    let err = a.rename(os("other"), &b, os("g"), Rename::NoReplace).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(names(&root.path().join("a")), ["other"]);
    assert_eq!(names(&root.path().join("b")), ["g", "h"]);
    assert_eq!(b.lstat(os("g")).unwrap().nlink, 2);
}

#[test]
fn replace_renames_over_a_file_and_no_replace_refuses_it() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("a"), b"new").unwrap();
    fs::write(root.path().join("b"), b"old").unwrap();
    let dir = Dir::open(root.path()).unwrap();
    let err = dir.rename(os("a"), &dir, os("b"), Rename::NoReplace).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(fs::read(root.path().join("b")).unwrap(), b"old");
    dir.rename(os("a"), &dir, os("b"), Rename::Replace).unwrap();
    assert_eq!(fs::read(root.path().join("b")).unwrap(), b"new");
    assert_eq!(names(root.path()), ["b"]);
    let err = dir.rename(os("b"), &dir, os("c"), Rename::Exchange).unwrap_err();
    assert!(super::super::is_unsupported(&err));
}

#[test]
fn remove_refuses_a_real_directory_and_remove_dir_a_file() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir(root.path().join("d")).unwrap();
    fs::write(root.path().join("f"), b"").unwrap();
    let dir = Dir::open(root.path()).unwrap();
    assert_eq!(dir.remove(os("d")).unwrap_err().raw_os_error(), Some(w::ERROR_ACCESS_DENIED as i32));
    assert_eq!(dir.remove_dir(os("f")).unwrap_err().raw_os_error(), Some(w::ERROR_DIRECTORY as i32));
    assert_eq!(names(root.path()), ["d", "f"]);
    dir.remove_dir(os("d")).unwrap();
    assert_eq!(names(root.path()), ["f"]);
}

#[test]
fn a_name_of_more_than_one_component_is_refused_and_nothing_is_made() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir(root.path().join("inner")).unwrap();
    fs::write(root.path().join("top"), b"").unwrap();
    let dir = Dir::open(&root.path().join("inner")).unwrap();
    let invalid = Some(w::ERROR_INVALID_NAME as i32);
    for name in ["..", ".", r"..\top", "../top", r"..\made", "sub/x", r"C:\x", "top:stream", ""] {
        assert_eq!(dir.lstat(os(name)).unwrap_err().raw_os_error(), invalid, "{name:?}");
        assert_eq!(dir.create_new(os(name), 0o644).unwrap_err().raw_os_error(), invalid, "{name:?}");
        assert_eq!(dir.remove(os(name)).unwrap_err().raw_os_error(), invalid, "{name:?}");
        let renamed = dir.rename(os(name), &dir, os("x"), Rename::Replace).unwrap_err();
        assert_eq!(renamed.raw_os_error(), invalid, "{name:?}");
    }
    let renamed = Dir::open(root.path()).unwrap().rename(os("top"), &dir, os(r"..\moved"), Rename::NoReplace);
    assert_eq!(renamed.unwrap_err().raw_os_error(), invalid);
    assert!(names(&root.path().join("inner")).is_empty());
    assert_eq!(names(root.path()), ["inner", "top"]);
}

#[test]
fn a_clone_lists_on_its_own_and_a_subdirectory_opens_from_its_parent() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir(root.path().join("sub")).unwrap();
    fs::write(root.path().join("sub").join("x"), b"").unwrap();
    fs::write(root.path().join("f"), b"").unwrap();
    let dir = Dir::open(root.path()).unwrap();
    let twin = dir.try_clone().unwrap();
    let mut seen = 0;
    dir.for_each_entry(|_, _| {
        // A listing of the clone in the middle of this one neither disturbs it nor is disturbed.
        let mut inner = 0;
        twin.for_each_entry(|_, _| {
            inner += 1;
            true
        })
        .unwrap();
        assert_eq!(inner, 2);
        seen += 1;
        true
    })
    .unwrap();
    assert_eq!(seen, 2);
    let sub = dir.open_subdir(os("sub")).unwrap();
    assert_eq!(sub.lstat(os("x")).unwrap().kind, EntryKind::File);
    assert_eq!(dir.open_subdir(os("f")).err().and_then(|e| e.raw_os_error()), Some(w::ERROR_DIRECTORY as i32));
    assert!(dir.open_subdir(os(".")).unwrap().info().unwrap().same_file(&dir.info().unwrap()));
    assert_eq!(dir.open_subdir(os("..")).err().and_then(|e| e.raw_os_error()), Some(w::ERROR_INVALID_NAME as i32));
    assert!(dir.info().unwrap().same_file(&crate::platform::lstat(root.path()).unwrap()));
}

#[test]
fn a_failed_junction_leaves_nothing_and_a_copy_keeps_its_data() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join("f"), b"content").unwrap();
    let dir = Dir::open(root.path()).unwrap();
    match dir.junction(root.path(), os("j")) {
        Ok(()) => assert_eq!(dir.lstat(os("j")).unwrap().kind, EntryKind::Junction),
        Err(e) => {
            assert!(super::super::running_under_wine(), "junction failed on Windows: {e}");
            assert_eq!(names(root.path()), ["f"]);
        }
    }
    let node = dir.node(os("f")).unwrap();
    dir.copy_file(os("f"), &dir, os("g"), &node, false).unwrap();
    assert_eq!(fs::read(root.path().join("g")).unwrap(), b"content");
    assert_eq!(dir.node(os("g")).unwrap().modified, node.modified);
    dir.set_self_meta(&dir.self_node().unwrap(), false).unwrap();
    dir.make_owner_writable().unwrap();
}
