//! `--snapshot`: unchanged files are names of the reference's files, changed ones are new files (and the
//! reference is never written through a shared inode), content comparison with `--checksum`, several references,
//! and the JSON shapes of both tree copies.

use crate::common::{Tree, contains};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::Command as StdCommand;

fn mode(tree: &Tree, rel: &str) -> u32 {
    fs::symlink_metadata(tree.path(rel)).unwrap().mode() & 0o7777
}

fn touch_like(tree: &Tree, rel: &str, reference: &str) {
    let ok = StdCommand::new("touch").arg("-h").arg("-r").arg(tree.path(reference)).arg(tree.path(rel)).status();
    assert!(ok.unwrap().success());
}

/// SOURCE, and a first snapshot of it made entirely of copies (its reference is empty).
fn first_snapshot(tree: &Tree) {
    tree.file("src/a", "same").file("src/b", "old").file("src/c", "mode").file("src/d/e", "deep").dir("empty");
    tree.symlink("src/link", "d/e");
    tree.mklnk(["--snapshot", "src", "snap1", "--ref", "empty"])
        .assert()
        .success()
        .stdout(contains("Snapshot of \"src\" at \"snap1\": 2 directories, 0 linked from references, 4 copied"));
    for f in ["a", "b", "c", "d/e"] {
        assert_ne!(tree.ino(format!("snap1/{f}")), tree.ino(format!("src/{f}")), "{f} must be a copy");
        assert_eq!(tree.read(format!("snap1/{f}")), tree.read(format!("src/{f}")));
    }
}

#[test]
fn snapshot_links_unchanged_files_from_the_reference_and_copies_changed_ones() {
    let tree = Tree::new();
    first_snapshot(&tree);
    tree.file("src/b", "new content").file("src/new", "n");
    fs::set_permissions(tree.path("src/c"), fs::Permissions::from_mode(0o600)).unwrap();
    let ref_before = tree.snapshot().into_iter().filter(|(p, _)| p.starts_with("snap1")).collect::<Vec<_>>();
    let ref_modes: Vec<u32> = ["snap1/a", "snap1/b", "snap1/c"].iter().map(|p| mode(&tree, p)).collect();
    tree.mklnk(["--snapshot", "src", "snap2", "--ref", "snap1", "--verbose"])
        .assert()
        .success()
        .stdout(contains("hard link snap2/a from snap1/a\n"))
        .stdout(contains("copy snap2/c (changed)\n"))
        .stdout(contains("2 linked from references, 3 copied"));
    assert_eq!(tree.ino("snap2/a"), tree.ino("snap1/a"));
    assert_eq!(tree.ino("snap2/d/e"), tree.ino("snap1/d/e"));
    for f in ["b", "c", "new"] {
        let ino = tree.ino(format!("snap2/{f}"));
        assert_ne!(ino, tree.ino(format!("src/{f}")), "{f}");
        assert_eq!(tree.read(format!("snap2/{f}")), tree.read(format!("src/{f}")), "{f}");
        if f != "new" {
            assert_ne!(ino, tree.ino(format!("snap1/{f}")), "{f}");
        }
    }
    assert_eq!(mode(&tree, "snap2/c"), 0o600);
    assert_eq!(tree.link_target("snap2/link"), std::path::Path::new("d/e"));
    // The reference is untouched: contents, inodes and modes (link counts aside: its files gained names).
    let strip = |v: Vec<(std::path::PathBuf, crate::common::Snap)>| {
        v.into_iter()
            .map(|(p, s)| match s {
                crate::common::Snap::File { content, ino, .. } => (p, format!("{content:?} {ino}")),
                other => (p, format!("{other:?}")),
            })
            .collect::<Vec<_>>()
    };
    let ref_after = tree.snapshot().into_iter().filter(|(p, _)| p.starts_with("snap1")).collect::<Vec<_>>();
    assert_eq!(strip(ref_after), strip(ref_before));
    let modes_after: Vec<u32> = ["snap1/a", "snap1/b", "snap1/c"].iter().map(|p| mode(&tree, p)).collect();
    assert_eq!(modes_after, ref_modes);
}

#[test]
fn checksum_catches_a_change_that_kept_size_and_time() {
    let tree = Tree::new();
    first_snapshot(&tree);
    tree.file("src/a", "SAME");
    touch_like(&tree, "src/a", "snap1/a");
    tree.mklnk(["--snapshot", "src", "quick", "--ref", "snap1"]).assert().success();
    assert_eq!(tree.ino("quick/a"), tree.ino("snap1/a"), "size, time and mode alone see no change");
    tree.mklnk(["--snapshot", "src", "exact", "--ref", "snap1", "--checksum"]).assert().success();
    assert_eq!(tree.read("exact/a"), "SAME");
    assert_ne!(tree.ino("exact/a"), tree.ino("snap1/a"));
    assert_eq!(tree.ino("exact/d/e"), tree.ino("snap1/d/e"));
}

#[test]
fn several_references_are_searched_in_order() {
    let tree = Tree::new();
    first_snapshot(&tree);
    tree.file("src/only2", "2");
    tree.mklnk(["--snapshot", "src", "snap2", "--ref", "empty"]).assert().success();
    tree.mklnk(["--snapshot", "src", "snap3", "--ref", "snap1", "--ref=snap2"]).assert().success();
    assert_eq!(tree.ino("snap3/a"), tree.ino("snap1/a"));
    assert_eq!(tree.ino("snap3/only2"), tree.ino("snap2/only2"));
}

#[test]
fn names_of_one_changed_file_stay_one_file_in_the_snapshot() {
    let tree = Tree::new();
    tree.file("src/x", "x").dir("empty");
    tree.hardlink("src/x2", "src/x");
    tree.mklnk(["--snapshot", "src", "snap", "--ref", "empty"]).assert().success();
    assert_eq!(tree.ino("snap/x"), tree.ino("snap/x2"));
    assert_ne!(tree.ino("snap/x"), tree.ino("src/x"));
}

#[test]
fn snapshot_needs_a_reference_on_the_destinations_device() {
    let mut tree = Tree::new();
    tree.file("src/a", "a");
    tree.mount_tmpfs("mnt", "size=1m");
    tree.dir("mnt/ref");
    tree.mklnk(["--snapshot", "src", "snap", "--ref", "mnt/ref"])
        .assert()
        .code(2)
        .stderr("mklnk: The system cannot move the file to a different disk drive. \"mnt/ref\"\n");
    assert!(!tree.exists("snap"));
    tree.mklnk(["--snapshot", "src", "snap"]).assert().code(1).stderr(contains("--snapshot needs at least one --ref"));
    // A snapshot copies what it cannot link, so SOURCE itself may be on another device.
    tree.mklnk(["--snapshot", "src", "mnt/snap", "--ref", "mnt/ref"]).assert().success();
    assert_eq!(tree.read("mnt/snap/a"), "a");
}

#[test]
fn tree_copies_print_schema_valid_json() {
    let text = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let tree = Tree::new();
    first_snapshot(&tree);
    tree.symlink("src/out", "/etc").file("src/b", "changed").dir("exists");
    let runs: [&[&str]; 4] = [
        &["--json", "--clone", "src", "c1"],
        &["--json", "--dry-run", "--clone", "src", "c2", "--outer", "drop"],
        &["--json", "--snapshot", "src", "s1", "--ref", "snap1"],
        &["--json", "--clone", "src", "exists"],
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for args in runs {
        let out = tree.mklnk(args).output().unwrap();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{line}: {errors:?}");
            kinds.insert(format!("{} {}", value["type"].as_str().unwrap(), value["kind"].as_str().unwrap_or("")));
        }
    }
    for kind in ["cloned directory", "cloned hardlink", "cloned symlink", "cloned dropped", "cloned from_reference"] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
    assert!(kinds.contains("cloned copied") && kinds.contains("clone_summary ") && kinds.contains("error link_exists"));
}
