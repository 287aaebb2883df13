//! `--clone` across a mount point inside SOURCE (another device: fail or copy, foreseen by a plan), and the
//! order of the per-entry report, which stays the same whatever the threads of the copy do.

use crate::common::{Tree, contains};
use std::fs;

#[test]
fn a_file_on_another_device_inside_the_source_fails_or_is_copied_as_asked() {
    let mut tree = Tree::new();
    tree.file("src/here", "here");
    let mnt = tree.mount_tmpfs("src/mnt", "size=1m");
    fs::write(mnt.join("there"), "there").unwrap();
    let message = "The system cannot move the file to a different disk drive.";
    let before = tree.snapshot();
    tree.mklnk(["--clone", "--dry-run", "src", "dst"])
        .assert()
        .code(2)
        .stderr(format!("mklnk: would fail: {message} \"dst/mnt/there\"\n"));
    tree.mklnk(["--clone", "src", "dst"])
        .assert()
        .code(2)
        .stderr(contains(&format!("mklnk: {message} \"dst/mnt/there\"\n")))
        .stderr(contains("nothing was published at \"dst\"; the partial tree was removed"));
    assert_eq!(tree.snapshot(), before, "a failed run changes nothing");
    tree.mklnk(["--clone", "--dry-run", "--link-limit", "copy", "src", "dst"])
        .assert()
        .success()
        .stdout(contains("would make copy dst/mnt/there (on another device)\n"));
    tree.mklnk(["--clone", "--link-limit", "copy", "--verbose", "src", "dst"])
        .assert()
        .success()
        .stdout(contains("copy dst/mnt/there (on another device)\n"))
        .stdout(contains("1 hard link, 1 copied"));
    assert_eq!(tree.read("dst/mnt/there"), "there");
    assert_ne!(tree.ino("dst/mnt/there"), tree.ino("src/mnt/there"));
    assert_eq!(tree.ino("dst/here"), tree.ino("src/here"));
}

/// A tree several directories wide and deep, so the copy's threads share it.
fn wide_tree(tree: &Tree) {
    for d in 0..12 {
        for s in 0..3 {
            for f in 0..4 {
                tree.file(format!("src/d{d:02}/s{s}/f{f}"), "x");
            }
        }
        tree.file(format!("src/d{d:02}/top"), "t");
    }
}

#[test]
fn the_report_lists_each_directory_then_its_subdirectories_in_order() {
    let tree = Tree::new();
    tree.file("src/top", "t").file("src/a/x", "x").file("src/a/sub/y", "y").file("src/b/z", "z");
    let out = tree.mklnk(["--clone", "--dry-run", "src", "dst"]).output().unwrap();
    let expected = "\
would make directory dst/a
would make directory dst/b
would make hard link dst/top
would make directory dst/a/sub
would make hard link dst/a/x
would make hard link dst/a/sub/y
would make hard link dst/b/z
Would clone \"src\" to \"dst\": 4 directories, 4 hard links, 0 symbolic links
";
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    wide_tree(&tree);
    let plan = |dest: &str| tree.mklnk(["--clone", "--dry-run", "src", dest]).output().unwrap().stdout;
    let first = plan("p");
    assert!((0..5).all(|_| plan("p") == first), "a plan lists the same lines every time");
    let run = |dest: &str| {
        let out = tree.mklnk(["--clone", "--verbose", "src", dest]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).replace(dest, "DEST")
    };
    let first = run("c0");
    for n in 1..5 {
        assert_eq!(run(&format!("c{n}")), first, "run {n} listed its entries in another order");
    }
}
