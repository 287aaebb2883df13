//! Windows: the rules of the spec on the real Windows calls. Hard links, usage errors, batches, descriptions and
//! exit codes run for real everywhere, Wine included. Symbolic links and junctions run for real on Windows; under
//! Wine (where CI runs this suite) they assert Wine's documented behaviour instead and say so: Wine 8's
//! `CreateSymbolicLinkW` reports success and creates nothing, and it cannot set a junction's reparse point.
//!
//! Every tree here is made by the test itself, so it never holds a Unix symbolic link (which Wine would follow).

use crate::common::{Tree, contains};
use mklink::platform;
use std::os::windows::fs::OpenOptionsExt;

const EXISTS: &str = "Cannot create a file when that file already exists.\n";

fn under_wine(what: &str) -> bool {
    let wine = platform::running_under_wine();
    if wine {
        eprintln!("running under Wine: {what}");
    }
    wine
}

fn hidden_file(tree: &Tree, rel: &str) {
    const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;
    let file =
        std::fs::OpenOptions::new().write(true).create_new(true).attributes(FILE_ATTRIBUTE_HIDDEN).open(tree.path(rel));
    drop(file.expect("hidden file"));
}

fn names_in(tree: &Tree, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(tree.path(dir))
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "DESCRIPT.ION")
        .collect();
    names.sort();
    names
}

#[test]
fn hard_link_is_made_counted_and_shares_the_file() {
    let tree = Tree::new();
    tree.file("data.txt", "payload");
    tree.mklink(["/H", "copy.txt", "data.txt"])
        .assert()
        .success()
        .stdout("Hardlink created for copy.txt <<===>> data.txt\n");
    assert_eq!(tree.link_count("data.txt"), 2);
    assert_eq!(tree.ino("copy.txt"), tree.ino("data.txt"));
    assert_eq!(tree.read("copy.txt"), "payload");
}

#[test]
fn delete_removes_one_name_of_a_hard_linked_file() {
    let tree = Tree::new();
    tree.file("a.txt", "x").hardlink("b.txt", "a.txt");
    tree.mklnk(["--verbose", "/D", "b.txt"]).assert().success().stdout("deleted b.txt (1 other name remains)\n");
    assert!(!tree.exists("b.txt"));
    assert_eq!(tree.link_count("a.txt"), 1);
    assert!(tree.temporaries().is_empty());
}

#[test]
fn delete_refuses_last_hard_link() {
    let tree = Tree::new();
    tree.file("only.txt", "data");
    let before = tree.snapshot();
    tree.mklnk(["/D", "only.txt"])
        .assert()
        .code(2)
        .stderr("mklnk: Not deleted: this is the file's last link, and /D never deletes data. \"only.txt\"\n");
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn delete_refuses_a_real_directory() {
    let tree = Tree::new();
    tree.dir("d").file("d/canary", "c");
    let before = tree.snapshot();
    tree.mklnk(["/D", "d"]).assert().code(2).stderr(contains("The directory is not a link"));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn hard_link_failures_use_the_windows_sentences() {
    let tree = Tree::new();
    tree.file("a.txt", "x").file("taken.txt", "t").dir("d");
    let before = tree.snapshot();
    let cases: [(&[&str], &str); 5] = [
        (&["/H", "taken.txt", "a.txt"], EXISTS),
        (&["/H", "TAKEN.TXT", "a.txt"], EXISTS),
        (&["/H", "new.txt", "missing.txt"], "The system cannot find the file specified.\n"),
        (&["/H", "nodir/new.txt", "a.txt"], "The system cannot find the path specified.\n"),
        (&["/H", "dl", "d"], "Access is denied.\n"),
    ];
    for (args, message) in cases {
        tree.mklink(args).assert().code(1).stdout("").stderr(message.to_string());
    }
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn a_colon_in_the_link_name_is_refused() {
    let tree = Tree::new();
    tree.file("a.txt", "x");
    tree.mklink(["/H", "b.txt:stream", "a.txt"])
        .assert()
        .code(1)
        .stderr("The filename, directory name, or volume label syntax is incorrect.\n");
    assert!(!tree.exists("b.txt"));
}

#[test]
fn usage_errors_and_help() {
    let tree = Tree::new();
    let help = tree.mklink(Vec::<&str>::new()).assert().code(1).stdout("").get_output().clone();
    assert!(String::from_utf8_lossy(&help.stderr).starts_with("Creates a symbolic link.\n"));
    tree.mklink(["/?"]).assert().success().stdout(contains("MKLINK [[/D] | [/H] | [/J]] Link Target"));
    tree.mklink(["/H", "one"]).assert().code(1).stderr("The syntax of the command is incorrect.\n");
    tree.mklink(["/Z", "a", "b"]).assert().code(1).stderr("Invalid switch - \"Z\".\n");
    tree.mklnk(["/Z", "a", "b"]).assert().code(1).stderr("mklnk: Invalid switch \"/Z\"\n");
    assert!(tree.snapshot().is_empty());
}

#[test]
fn mklnk_hard_links_a_file_and_counts_it() {
    let tree = Tree::new();
    tree.file("f", "x");
    tree.mklnk(["--summary", "f", "g"]).assert().success().stdout("     1 file linked, 0 errors\n");
    tree.mklnk(["--vars", "f", "g"]).assert().code(2).stdout("_mklnk_files=0\n_mklnk_errors=1\n");
    let out = tree.mklnk(["--json", "f", "h"]).assert().success().get_output().clone();
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(lines[0]["kind"], "hardlink");
    assert_eq!(lines[1], serde_json::json!({"type": "summary", "_mklnk_files": 1, "_mklnk_errors": 0}));
    assert_eq!(tree.link_count("f"), 3);
}

#[test]
fn batch_links_matching_files_case_insensitively_and_skips_hidden_ones() {
    let tree = Tree::new();
    tree.dir("dst").file("src/a1.txt", "1").file("src/A2.TXT", "22").file("src/b.doc", "3").dir("src/d.txt");
    hidden_file(&tree, "src/secret.txt");
    tree.mklnk(["src\\*.txt", "dst"]).assert().success().stdout("     2 files linked, 0 errors\n");
    assert_eq!(names_in(&tree, "dst"), ["A2.TXT", "a1.txt"]);
    assert_eq!(tree.ino("dst/a1.txt"), tree.ino("src/a1.txt"));
}

#[test]
fn batch_attribute_switch_selects_hidden_files() {
    let tree = Tree::new();
    tree.dir("dst").file("src/a.txt", "1");
    hidden_file(&tree, "src/secret.txt");
    tree.mklnk(["src/*.txt", "/A:h", "dst"]).assert().success();
    assert_eq!(names_in(&tree, "dst"), ["secret.txt"]);
}

#[test]
fn batch_failure_is_counted_and_the_rest_go_on() {
    let tree = Tree::new();
    tree.dir("dst").file("src/a.txt", "1").file("src/b.txt", "2").file("dst/b.txt", "taken");
    tree.mklnk(["src/*.txt", "dst"]).assert().code(2).stdout(contains("1 file linked, 1 error"));
    assert_eq!(tree.link_count("src/a.txt"), 2);
    assert_eq!(tree.read("dst/b.txt"), "taken");
}

#[test]
fn descriptions_follow_a_hard_link_and_leave_with_its_delete() {
    let tree = Tree::new();
    tree.file("a.txt", "x").dir("out");
    std::fs::write(tree.path("DESCRIPT.ION"), b"a.txt Alpha\r\n").expect("write");
    tree.mklnk(["a.txt", "out/b.txt"]).assert().success();
    assert_eq!(std::fs::read(tree.path("out/DESCRIPT.ION")).expect("read"), b"b.txt Alpha\r\n".to_vec());
    tree.mklnk(["/D", "out/b.txt"]).assert().success();
    assert!(!tree.exists("out/DESCRIPT.ION"));
}

#[test]
fn symbolic_link_is_made_or_refused_for_privilege() {
    let tree = Tree::new();
    tree.file("t.txt", "x");
    let run = tree.mklink(["--verbose", "s.txt", "t.txt"]).assert();
    if under_wine("CreateSymbolicLinkW is a stub that reports success and creates nothing") {
        run.success().stdout("symbolic link created for s.txt <<===>> t.txt\n");
        assert!(!tree.exists("s.txt"));
        return;
    }
    let out = run.get_output().clone();
    if out.status.success() {
        assert!(tree.is_symlink("s.txt"));
        assert_eq!(tree.link_target("s.txt"), std::path::Path::new("t.txt"));
        tree.mklnk(["/D", "s.txt"]).assert().success();
        assert!(tree.exists("t.txt") && !tree.exists("s.txt"));
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("You do not have sufficient privilege to perform this operation.\n"), "{err}");
        assert!(err.contains("Developer Mode"), "{err}");
        assert!(!tree.exists("s.txt"));
    }
}

#[test]
fn junction_is_made_read_and_deleted_without_its_target() {
    let tree = Tree::new();
    tree.dir("work").file("work/canary", "c");
    let run = tree.mklink(["/J", "j", "work"]).assert();
    if under_wine("FSCTL_SET_REPARSE_POINT fails with ERROR_NOT_SUPPORTED; no half-made directory may remain") {
        run.code(1).stdout("").stderr("The device does not support symbolic links.\n");
        assert!(!tree.exists("j"));
        tree.mklnk(["work", "j2"]).assert().code(2);
        assert!(!tree.exists("j2"));
        assert!(tree.temporaries().is_empty());
        return;
    }
    run.success().stdout("Junction created for j <<===>> work\n");
    assert!(tree.is_symlink("j"));
    assert_eq!(tree.link_target("j"), tree.root().join("work"));
    tree.mklnk(["j"]).assert().success().stdout(format!("{}\n", tree.root().join("work").display()));
    tree.mklnk(["/D", "j"]).assert().success();
    assert!(!tree.exists("j"));
    assert_eq!(tree.read("work/canary"), "c");
}

#[test]
fn running_under_wine_is_detected_the_same_way_by_the_library() {
    // The check itself must not fail or panic, whichever the answer; CI runs under Wine and expects true there.
    let wine = platform::running_under_wine();
    eprintln!("running_under_wine() = {wine}");
    if std::env::var_os("MKLINK_EXPECT_WINE").is_some() {
        assert!(wine, "MKLINK_EXPECT_WINE is set but Wine was not detected");
    }
}
