//! `--clone` and `--snapshot` on Windows (and under Wine, where CI runs this suite): directories and hard links
//! through the native calls, times carried over, atomic publish, refusals. Symbolic links are left out here:
//! Wine cannot make them.

use crate::common::{Tree, contains};

#[test]
fn clone_on_windows_hard_links_files_and_recreates_directories() {
    let tree = Tree::new();
    tree.file("src/a.txt", "a").file("src/d/b.txt", "b").dir("src/d/empty");
    tree.mklnk(["--clone", "src", "dst"]).assert().success().stdout(contains("3 directories, 2 hard links"));
    assert_eq!(tree.read("dst/d/b.txt"), "b");
    assert_eq!(tree.link_count("src/a.txt"), 2);
    assert!(tree.path("dst/d/empty").is_dir());
    let leftovers: Vec<_> = std::fs::read_dir(tree.root()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "only src and dst: {leftovers:?}");
    let modified = |rel: &str| std::fs::metadata(tree.path(rel)).unwrap().modified().unwrap();
    assert_eq!(modified("dst/d"), modified("src/d"));
}

#[test]
fn clone_on_windows_refuses_an_existing_dest() {
    let tree = Tree::new();
    tree.file("src/a.txt", "a").dir("dst");
    tree.mklnk(["--clone", "src", "dst"])
        .assert()
        .code(2)
        .stderr("mklnk: Cannot create a file when that file already exists. \"dst\"\n");
    tree.mklink(["--clone", "src", "dst"]).assert().code(1);
    assert!(!tree.path("dst/a.txt").exists());
}

#[test]
fn snapshot_on_windows_links_unchanged_files_and_copies_new_ones() {
    let tree = Tree::new();
    tree.file("src/a.txt", "a").dir("empty");
    tree.mklnk(["--snapshot", "src", "s1", "--ref", "empty"]).assert().success();
    assert_eq!(tree.link_count("s1/a.txt"), 1);
    tree.file("src/b.txt", "b");
    tree.mklnk(["--snapshot", "src", "s2", "--ref", "s1"])
        .assert()
        .success()
        .stdout(contains("1 linked from references, 1 copied"));
    assert_eq!(tree.link_count("s1/a.txt"), 2);
    assert_eq!(tree.read("s2/b.txt"), "b");
}
