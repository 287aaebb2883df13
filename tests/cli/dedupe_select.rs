//! Deduplication with the TCC selection: a wildcard or include list ending a root, `/A:`, the date, time, size
//! and exclusion ranges, `/C`; and the usage errors of bad switches and ranges.

use crate::common::{Tree, contains};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::process::Command as StdCommand;

const SAME: &str = "the same bytes in every file";

/// The tree with `SAME` in each named file.
fn tree_of(names: &[&str]) -> Tree {
    let tree = Tree::new();
    for name in names {
        tree.file(name, SAME);
    }
    tree
}

/// Which of `names` share an inode with `names[0]`.
fn merged_with_first(tree: &Tree, names: &[&str]) -> Vec<String> {
    let first = tree.ino(names[0]);
    names[1..].iter().filter(|n| tree.ino(n) == first).map(|n| n.to_string()).collect()
}

/// The summary object of a `--json` deduplication run.
fn summary(tree: &Tree, args: &[&str]) -> serde_json::Value {
    let out = tree.mklnk(args).args(["--json", "--no-journal", "--no-cache"]).assert().success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["type"] == "dedupe_summary")
        .unwrap()
}

/// Sets a file's write time with touch(1) (`TZ=UTC`).
fn touch(tree: &Tree, rel: &str, when: &str) {
    let out = StdCommand::new("touch").env("TZ", "UTC").args(["-m", "-d", when]).arg(tree.path(rel)).output();
    assert!(out.unwrap().status.success(), "touch {rel}");
}

#[test]
fn dedupe_with_a_wildcard_root_merges_matching_names_anywhere_below_and_reads_nothing_else() {
    let names = ["t/a.jpg", "t/sub/deep/b.jpg", "t/c.png", "t/sub/d.png", "t/.hidden.jpg", "t/sub.jpg/e.txt"];
    let tree = tree_of(&names);
    let out = summary(&tree, &["--dedupe", "t/*.jpg"]);
    assert_eq!((out["files"].as_u64(), out["read"].as_u64(), out["merged"].as_u64()), (Some(2), Some(2), Some(1)));
    // Only the two visible `.jpg` files: hidden files are left out of a wildcard without `/A:`, and a directory
    // whose name matches is walked, not selected.
    assert_eq!(merged_with_first(&tree, &names), ["t/sub/deep/b.jpg"]);
    // Any `/A:` lets the hidden one in.
    tree.mklnk(["--dedupe", "t/*.jpg", "/A:", "--no-journal"]).assert().success().stdout(contains("1 name linked"));
    assert_eq!(merged_with_first(&tree, &names), ["t/sub/deep/b.jpg", "t/.hidden.jpg"]);
}

#[test]
fn dedupe_with_an_include_list_or_two_patterns_on_one_tree_selects_each_file_once() {
    let names = ["t/a.jpg", "t/b.png", "t/sub/c.gif", "t/sub/d.jpg", "t/e.txt"];
    let tree = tree_of(&names);
    let out = summary(&tree, &["--dedupe", "t/*.jpg;*.png", "--dry-run"]);
    assert_eq!((out["files"].as_u64(), out["merged"].as_u64()), (Some(3), Some(2)));
    // Two roots over one directory: each adds its own files; a plain root after a pattern adds the rest once.
    let out = summary(&tree, &["--dedupe", "t/*.jpg", "t/*.gif", "t/*.jpg", "--dry-run"]);
    assert_eq!(out["files"].as_u64(), Some(3));
    let out = summary(&tree, &["--dedupe", "t/*.jpg", "t", "--dry-run"]);
    assert_eq!(out["files"].as_u64(), Some(5));
    // A bare pattern searches the current directory.
    tree.mklnk(["--dedupe", "*.gif;*.txt", "--no-journal"]).assert().success().stdout(contains("1 name linked"));
    assert_eq!(merged_with_first(&tree, &names), Vec::<String>::new());
    assert_eq!(tree.ino("t/sub/c.gif"), tree.ino("t/e.txt"));
}

#[test]
fn dedupe_attribute_switch_selects_by_attribute() {
    use std::os::unix::fs::PermissionsExt;
    let names = ["t/w1", "t/w2", "t/r1", "t/.h1", "t/.h2"];
    let tree = tree_of(&names);
    std::fs::set_permissions(tree.path("t/r1"), std::fs::Permissions::from_mode(0o444)).unwrap();
    // `/A:h`: only the hidden files.
    tree.mklnk(["--dedupe", "t", "/A:h", "--no-journal"]).assert().success().stdout(contains("1 name linked"));
    assert_eq!(tree.ino("t/.h1"), tree.ino("t/.h2"));
    assert_eq!(merged_with_first(&tree, &names), Vec::<String>::new());
    // `/A:-r-h`: not read-only and not hidden (the read-only file would merge, its mode being ignored).
    tree.mklnk(["--dedupe", "t", "/a:-r-h", "--ignore-mode", "--no-journal"]).assert().success();
    assert_eq!(merged_with_first(&tree, &names), ["t/w2"]);
    // A plain root with no `/A:` takes every file, hidden ones included.
    tree.mklnk(["--dedupe", "t", "--ignore-mode", "--no-journal"]).assert().success();
    assert_eq!(merged_with_first(&tree, &names), ["t/w2", "t/r1", "t/.h1", "t/.h2"]);
}

#[test]
fn dedupe_size_and_exclusion_ranges_filter_every_file() {
    let tree = Tree::new();
    for (name, content) in
        [("s5a", "12345"), ("s5b", "12345"), ("s15a", "123456789012345"), ("s15b", "123456789012345")]
    {
        tree.file(format!("t/{name}"), content);
    }
    tree.file("t/x.bak", SAME).file("t/y.bak", SAME).file("t/x.txt", SAME).file("t/y.txt", SAME);
    // A negated size range: only what lies outside 10..30 bytes, the 5-byte pair (nothing is changed).
    let out = summary(&tree, &["--dedupe", "t", "/![s10,30]", "--dry-run"]);
    assert_eq!((out["files"].as_u64(), out["merged"].as_u64()), (Some(2), Some(1)));
    // 10..30 bytes and not `*.bak`: the 15-byte pair and the `.txt` pair.
    tree.mklnk(["--dedupe", "t", "/[s10,30]", "/[!*.bak]", "--no-journal"])
        .assert()
        .success()
        .stdout(contains("2 names linked"));
    assert_eq!(tree.ino("t/s15a"), tree.ino("t/s15b"));
    assert_eq!(tree.ino("t/x.txt"), tree.ino("t/y.txt"));
    assert!(tree.ino("t/s5a") != tree.ino("t/s5b") && tree.ino("t/x.bak") != tree.ino("t/y.bak"));
    // An exclusion range the shell split in two: neither `*.txt` nor `s15*`.
    let out = summary(&tree, &["--dedupe", "t", "/[!*.txt", "s15*]"]);
    assert_eq!((out["files"].as_u64(), out["merged"].as_u64()), (Some(4), Some(2)));
    assert_eq!(tree.ino("t/s5a"), tree.ino("t/s5b"));
    assert_eq!(tree.ino("t/x.bak"), tree.ino("t/y.bak"));
}

#[test]
fn dedupe_date_and_time_ranges_select_by_write_time() {
    let names = ["t/a", "t/b", "t/c", "t/d"];
    let tree = tree_of(&names);
    for (name, when) in [("t/a", "2020-06-01 10:30"), ("t/b", "2020-07-01 10:45"), ("t/c", "2024-06-01 15:00")] {
        touch(&tree, name, when);
    }
    touch(&tree, "t/d", "2024-06-01 10:40");
    // 2020 only: a and b.
    tree.mklnk(["--dedupe", "t", "/[d2020-01-01,2020-12-31]", "--no-journal"]).assert().success();
    assert_eq!(merged_with_first(&tree, &names), ["t/b"]);
    // Between 10:00 and 11:00 on any day: a, b and d (c was written at 15:00).
    tree.mklnk(["--dedupe", "t", "/[t10:00,11:00]", "--no-journal"]).assert().success();
    assert_eq!(merged_with_first(&tree, &names), ["t/b", "t/d"]);
    assert_eq!(tree.link_count("t/c"), 1);
}

#[test]
fn dedupe_ignore_case_applies_to_the_root_pattern() {
    let names = ["t/a.jpg", "t/B.JPG", "t/c.Jpg"];
    let tree = tree_of(&names);
    let out = summary(&tree, &["--dedupe", "t/*.JPG", "--dry-run"]);
    assert_eq!(out["files"].as_u64(), Some(1));
    tree.mklnk(["--dedupe", "t/*.JPG", "/C", "--no-journal"]).assert().success().stdout(contains("2 names linked"));
    assert_eq!(merged_with_first(&tree, &names), ["t/B.JPG", "t/c.Jpg"]);
    let out = summary(&tree, &["--dedupe", "t/*.jpg", "--ignore-case", "--dry-run"]);
    assert_eq!(out["files"].as_u64(), Some(3));
}

#[test]
fn dedupe_refuses_a_bad_switch_or_range_with_status_1_and_changes_nothing() {
    let tree = tree_of(&["t/a", "t/b"]);
    let before = tree.snapshot();
    for (args, message) in [
        (&["/x"][..], "Invalid switch \"/x\""),
        (&["/[s1k"], "The range has no closing bracket: \"/[s1k\""),
        (&["/[q5]"], "invalid range \"q5\""),
        (&["/A:z"], "z"),
        (&["/[s1,2]", "/[s3,4]"], "size range given more than once"),
    ] {
        let mut line = vec!["--dedupe", "t"];
        line.extend_from_slice(args);
        tree.mklnk(&line).assert().code(1).stderr(contains(message)).stderr(contains("mklnk: "));
        // `mklink` words usage errors as cmd does (`Invalid switch - "x".`, "The syntax of the command is
        // incorrect."), with the same status.
        let out = tree.mklink(&line).assert().code(1).get_output().stderr.clone();
        assert!(!out.is_empty(), "{line:?}");
    }
    tree.mklnk(["--du", "t", "/A:h"])
        .assert()
        .code(1)
        .stderr(contains("/A: or a range and an operation other than --dedupe"));
    tree.mklnk(["--du", "t", "/C"]).assert().code(1).stderr(contains("--ignore-case"));
    assert_eq!(tree.snapshot(), before);
}

/// A wildcard root selects by name, but only regular files are ever read or merged: a FIFO named like a match
/// is not opened (the run would hang), a link to a file outside is not followed, and names holding ESC or bytes
/// that are not UTF-8 are merged and printed escaped.
#[test]
fn dedupe_selection_never_opens_a_fifo_or_follows_a_link_and_escapes_hostile_names() {
    use std::os::unix::ffi::OsStringExt;
    let tree = tree_of(&["t/a.jpg", "secret"]);
    assert!(StdCommand::new("mkfifo").arg(tree.path("t/pipe.jpg")).status().expect("mkfifo").success());
    tree.symlink("t/link.jpg", tree.path("secret"));
    std::fs::write(tree.path("t/esc\x1b[2J.jpg"), SAME).unwrap();
    let raw = std::ffi::OsString::from_vec(b"raw\xff.jpg".to_vec());
    std::fs::write(tree.path("t").join(&raw), SAME).unwrap();
    let out = tree
        .mklnk(["--dedupe", "t/*.jpg", "--no-journal", "--no-cache", "--verbose"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let stdout = out.get_output().stdout.clone();
    assert!(!stdout.contains(&0x1b), "raw ESC reached the output: {}", String::from_utf8_lossy(&stdout));
    assert!(!stdout.windows(2).any(|w| w == b"\xff."), "a raw 0xFF byte reached the output");
    let text = String::from_utf8_lossy(&stdout);
    assert!(text.contains(r"$'t/esc\x1b[2J.jpg'") && text.contains(r"$'t/raw\xff.jpg'"), "{text}");
    let kept = tree.ino("t/a.jpg");
    assert_eq!(tree.ino("t/esc\x1b[2J.jpg"), kept);
    assert_eq!(tree.ino(std::path::Path::new("t").join(&raw)), kept);
    assert_ne!(tree.ino("secret"), kept);
    assert_eq!(std::fs::symlink_metadata(tree.path("secret")).unwrap().nlink(), 1);
    assert!(std::fs::symlink_metadata(tree.path("t/link.jpg")).unwrap().file_type().is_symlink());
    assert!(std::fs::symlink_metadata(tree.path("t/pipe.jpg")).unwrap().file_type().is_fifo());
}
