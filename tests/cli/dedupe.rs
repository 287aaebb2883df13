//! Deduplication into hard links, its undo, unsharing and disk usage (issue 21), run through the real binaries.

use crate::common::{Held, Tree, contains};
use std::collections::BTreeMap;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::PathBuf;
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

fn meta(tree: &Tree, rel: &str) -> std::fs::Metadata {
    std::fs::symlink_metadata(tree.path(rel)).unwrap()
}

fn same_inode(tree: &Tree, a: &str, b: &str) -> bool {
    tree.ino(a) == tree.ino(b)
}

/// Every file's content, by path: what must survive anything.
fn contents(tree: &Tree, under: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    tree.snapshot()
        .into_iter()
        .filter(|(p, _)| p.starts_with(under))
        .filter_map(|(p, s)| match s {
            crate::common::Snap::File { content, .. } => Some((p, content)),
            _ => None,
        })
        .collect()
}

#[test]
fn dedupe_links_identical_files_to_the_one_with_most_names() {
    let tree = Tree::new();
    tree.file("t/a", "same content").file("t/sub/b", "same content").file("t/c", "same content");
    tree.file("t/other", "else content").hardlink("t/c2", "t/c");
    tree.mklnk(["--dedupe", "t", "--no-journal"]).assert().success().stdout(contains("2 names linked"));
    for name in ["t/a", "t/sub/b", "t/c2"] {
        assert!(same_inode(&tree, name, "t/c"), "{name}");
    }
    assert_eq!(tree.link_count("t/c"), 4);
    assert_eq!(tree.link_count("t/other"), 1);
    assert_eq!(tree.read("t/sub/b"), "same content");
    assert!(tree.temporaries().is_empty());
    // The same on mklink.
    tree.file("t/d", "same content");
    tree.mklink(["--dedupe", "t", "--no-journal"]).assert().success();
    assert!(same_inode(&tree, "t/d", "t/c"));
}

#[test]
fn equal_sizes_with_a_different_first_middle_or_last_byte_are_never_linked() {
    let tree = Tree::new();
    for size in [100usize, 64 * 1024 + 5] {
        let base = vec![b'a'; size];
        std::fs::create_dir_all(tree.path(format!("t{size}"))).unwrap();
        std::fs::write(tree.path(format!("t{size}/base")), &base).unwrap();
        for (tag, at) in [("first", 0), ("middle", size / 2), ("last", size - 1)] {
            let mut other = base.clone();
            other[at] = b'b';
            std::fs::write(tree.path(format!("t{size}/{tag}")), &other).unwrap();
        }
    }
    let before = tree.snapshot();
    tree.mklnk(["--dedupe", ".", "--no-journal"]).assert().success().stdout(contains("0 names linked"));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn dry_run_changes_nothing_and_counts_allocated_bytes_freed() {
    let tree = Tree::new();
    let data = "x".repeat(10_000);
    tree.file("t/a", &data).file("t/b", &data).file("t/c", &data).file("t/empty1", "").file("t/empty2", "");
    let before = tree.snapshot();
    let allocated = meta(&tree, "t/b").blocks() * 512;
    let out = tree.mklnk(["--dedupe", "t", "--dry-run"]).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("would link \"t/b\" -> \"t/a\""), "{text}");
    assert!(text.contains(&format!("2 names would be linked, 0 skipped, {} bytes would be freed", 2 * allocated)));
    assert_eq!(tree.snapshot(), before, "a dry run changed the tree");
    // JSON: one object per merge, then the summary; empty files are never merged.
    let out = tree.mklnk(["--dedupe", "t", "--dry-run", "--json"]).assert().success().get_output().stdout.clone();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let merged: Vec<_> = lines.iter().filter(|v| v["type"] == "merged").collect();
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[0]["kept"], "t/a");
    assert_eq!(merged[0]["freed"], allocated);
    let summary = lines.iter().find(|v| v["type"] == "dedupe_summary").unwrap();
    assert_eq!(summary["freed"], 2 * allocated);
    assert_eq!(summary["merged"], 2);
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn names_already_sharing_an_inode_cost_no_reading() {
    let tree = Tree::new();
    tree.file("t/a", &"y".repeat(50_000)).hardlink("t/b", "t/a").hardlink("t/c", "t/a");
    tree.file("t/unique", &"z".repeat(50_001));
    let out = tree.mklnk(["--dedupe", "t", "--json", "--no-journal"]).assert().success().get_output().stdout.clone();
    let summary = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["type"] == "dedupe_summary")
        .unwrap();
    assert_eq!((summary["read"].as_u64(), summary["bytes_read"].as_u64()), (Some(0), Some(0)));
}

/// Runs a dedupe of two equal files `t/a` and `t/b` of `size` bytes, held at the check right before the link,
/// and meanwhile rewrites `t/b` with other bytes of the same size; with `settle`, the files are two seconds old
/// first (so a small file's bytes are compared from memory). The rewritten file must be skipped, never linked.
fn rewritten_before_the_link_is_skipped(size: usize, settle: bool) {
    let tree = Tree::new();
    let (data, other) = ("q".repeat(size), "r".repeat(size));
    tree.file("t/a", &data).file("t/b", &data);
    if settle {
        std::thread::sleep(Duration::from_millis(2_100));
    }
    let held = Held::start(&tree, "mklnk", &["--dedupe", "t", "--no-journal", "--no-cache"], "dedupe-recheck");
    // Same size, new content, after it was hashed and compared.
    std::fs::write(tree.path("t/b"), &other).unwrap();
    let released = held.release();
    let stderr = released.stderr;
    assert_eq!(released.code, 0, "{stderr}");
    assert!(stderr.contains("skipped \"t/b\": it changed since it was read"), "{stderr}");
    assert!(!same_inode(&tree, "t/a", "t/b"));
    assert_eq!((tree.read("t/a"), tree.read("t/b")), (data, other));
}

#[test]
fn a_file_changed_during_the_run_is_skipped_and_reported() {
    rewritten_before_the_link_is_skipped(20_000, false);
}

/// A small file whose change time is two seconds old is compared from the bytes its hash read (the summary counts
/// no second reading); a pair written just now is read again for the comparison.
#[test]
fn settled_small_files_are_compared_from_the_bytes_their_hash_read() {
    let tree = Tree::new();
    let data = "s".repeat(5_000);
    tree.file("old/a", &data).file("old/b", &data);
    std::thread::sleep(Duration::from_millis(2_100));
    tree.file("new/a", &data).file("new/b", &data);
    for (root, reads) in [("new", 4), ("old", 2)] {
        let out = summary(&tree, &["--dedupe", root, "--no-journal", "--no-cache"]);
        assert_eq!(out["merged"], 1, "{root}");
        assert_eq!(out["bytes_read"].as_u64(), Some(reads * 5_000), "{root}: {out}");
        assert!(same_inode(&tree, &format!("{root}/a"), &format!("{root}/b")));
    }
}

/// The kept file's bytes stand for it only until the first link into it: its change time is ours from then on, and
/// a write that lands before we look is taken for ours. Written right after the first link (same size, other
/// bytes, the old write time put back), the kept file is read again for the next comparison, which refuses to link
/// the third file to it; the
/// summary's bytes read show the second reading for a group of three untouched files too.
#[test]
fn after_the_first_link_the_kept_files_bytes_are_read_again() {
    let tree = Tree::new();
    let data = "k".repeat(5_000);
    for root in ["quiet", "written"] {
        tree.file(format!("{root}/a"), &data).file(format!("{root}/b"), &data).file(format!("{root}/c"), &data);
    }
    std::thread::sleep(Duration::from_millis(2_100));
    let out = summary(&tree, &["--dedupe", "quiet", "--no-journal", "--no-cache"]);
    assert_eq!(out["merged"], 2, "{out}");
    // Three hashes, then for c the kept file and c read again.
    assert_eq!(out["bytes_read"].as_u64(), Some(5 * 5_000), "{out}");
    let held = Held::start(&tree, "mklnk", &["--dedupe", "written", "--no-journal", "--no-cache"], "dedupe-relinked");
    // Other bytes, and the write time put back as it was: only the change time tells.
    let modified = std::fs::metadata(tree.path("written/a")).unwrap().modified().unwrap();
    let other = "w".repeat(5_000);
    std::fs::write(tree.path("written/a"), &other).unwrap();
    std::fs::File::options().write(true).open(tree.path("written/a")).unwrap().set_modified(modified).unwrap();
    let released = held.release();
    assert_eq!(released.code, 0, "{}", released.stderr);
    assert!(same_inode(&tree, "written/a", "written/b"), "the first link was made before the write");
    assert!(!same_inode(&tree, "written/a", "written/c"), "{}", released.stderr);
    assert_eq!((tree.read("written/a"), tree.read("written/c")), (other, data));
}

/// The same for a small file compared from memory: the check of change times right before the link catches
/// the rewrite; the stale bytes never decide.
#[test]
fn a_settled_small_file_changed_after_its_hash_is_skipped() {
    rewritten_before_the_link_is_skipped(5_000, true);
}

/// `--trust-hash` links on the hash alone: each file is read once, none is compared, and the cache (which keeps
/// hashes of another kind) is neither read nor written.
#[test]
fn trusted_hashes_read_each_file_once_and_leave_the_cache_alone() {
    let tree = Tree::new();
    let (data, other) = ("t".repeat(30_000), format!("{}u", "t".repeat(29_999)));
    tree.file("t/a", &data).file("t/b", &data).file("t/c", &other);
    let cache = tree.path("hashes").display().to_string();
    let out = summary(&tree, &["--dedupe", "t", "--no-journal", "--trust-hash", "--cache", &cache]);
    assert_eq!(out["merged"], 1, "{out}");
    assert!(same_inode(&tree, "t/a", "t/b") && !same_inode(&tree, "t/a", "t/c"));
    assert_eq!(tree.read("t/c"), other);
    // Samples of all three (three 4 KiB pieces each), then the whole of the two whose samples match.
    assert_eq!(out["bytes_read"].as_u64(), Some(3 * 3 * 4096 + 2 * 30_000), "{out}");
    assert!(!tree.path("hashes").exists(), "the cache was written");
}

/// The files this program reads for itself (a journal to undo, the hash cache) are read only when they are
/// regular files: a FIFO neither hangs the run nor is replaced, `/dev/zero` is never read (it would be endless).
#[test]
fn a_fifo_or_a_device_given_as_journal_or_cache_is_never_read() {
    let tree = Tree::new();
    let data = "f".repeat(3_000);
    tree.file("t/a", &data).file("t/b", &data);
    assert!(StdCommand::new("mkfifo").arg(tree.path("pipe")).status().expect("mkfifo").success());
    for journal in [tree.path("pipe"), PathBuf::from("/dev/zero")] {
        let out = tree.mklnk(["--undo"]).arg(&journal).timeout(Duration::from_secs(20)).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", journal.display());
        assert!(stderr.contains(&journal.display().to_string()), "{stderr}");
    }
    let cache = tree.path("pipe").display().to_string();
    let out =
        tree.mklnk(["--dedupe", "t", "--no-journal", "--cache", &cache]).timeout(Duration::from_secs(20)).output();
    let out = out.unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(same_inode(&tree, "t/a", "t/b"));
    assert!(std::fs::symlink_metadata(tree.path("pipe")).unwrap().file_type().is_fifo(), "the FIFO was replaced");
}

#[test]
fn the_link_limit_starts_a_new_kept_file_instead_of_failing() {
    let mut tree = Tree::new();
    let image = tree.path("ext4.img");
    std::fs::File::create(&image).unwrap().set_len(16 << 20).unwrap();
    let out = StdCommand::new("mkfs.ext4").args(["-q", "-F", "-N", "64"]).arg(&image).output().expect("mkfs.ext4");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mnt = tree.mount_loop("ext4.img", "e");
    std::fs::create_dir(mnt.join("links")).unwrap();
    std::fs::write(mnt.join("full"), "payload").unwrap();
    let mut n = 0;
    while std::fs::hard_link(mnt.join("full"), mnt.join(format!("links/{n}"))).is_ok() {
        n += 1;
    }
    // One name short of the limit: the first duplicate fits, the second starts a new kept file.
    std::fs::remove_file(mnt.join(format!("links/{}", n - 1))).unwrap();
    for name in ["d1", "d2", "d3"] {
        std::fs::write(mnt.join(name), "payload").unwrap();
    }
    tree.mklnk(["--dedupe", "e", "--no-journal"]).assert().success().stdout(contains("2 names linked"));
    assert!(same_inode(&tree, "e/d1", "e/full"));
    assert!(!same_inode(&tree, "e/d2", "e/full"));
    assert!(same_inode(&tree, "e/d3", "e/d2"));
    for name in ["e/d1", "e/d2", "e/d3", "e/full"] {
        assert_eq!(tree.read(name), "payload");
    }
}

#[test]
fn files_on_different_devices_are_never_linked() {
    let mut tree = Tree::new();
    tree.file("a/x", "identical");
    let mnt = tree.mount_tmpfs("m", "size=1m");
    std::fs::write(mnt.join("y"), "identical").unwrap();
    std::fs::write(mnt.join("z"), "identical").unwrap();
    tree.mklnk(["--dedupe", "a", "m", "--no-journal"]).assert().success().stdout(contains("1 name linked"));
    assert!(same_inode(&tree, "m/y", "m/z"));
    assert_eq!(tree.link_count("a/x"), 1);
}

#[test]
fn different_owners_or_modes_are_merged_only_when_asked() {
    let tree = Tree::new();
    tree.file("t/a", "shared data").file("t/b", "shared data").file("t/c", "shared data");
    std::fs::set_permissions(tree.path("t/b"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(tree.path("t/c"), Some(65534), None).unwrap();
    tree.mklnk(["--dedupe", "t", "--no-journal"]).assert().success().stdout(contains("0 names linked"));
    tree.mklnk(["--dedupe", "t", "--no-journal", "--ignore-mode"]).assert().success();
    assert!(same_inode(&tree, "t/a", "t/b") && !same_inode(&tree, "t/a", "t/c"));
    tree.mklnk(["--dedupe", "t", "--no-journal", "--ignore-owner"]).assert().success();
    assert!(same_inode(&tree, "t/a", "t/c"));
}

#[test]
fn an_unprivileged_user_merges_what_it_may_and_reports_the_rest() {
    let tree = Tree::new();
    tree.file("t/open/a", "data one").file("t/open/b", "data one");
    tree.file("t/locked/c", "data one").file("t/locked/d", "data one");
    for rel in ["t", "t/open", "t/open/a", "t/open/b"] {
        std::os::unix::fs::chown(tree.path(rel), Some(65534), Some(65534)).unwrap();
    }
    for rel in ["t/locked/c", "t/locked/d"] {
        std::os::unix::fs::chown(tree.path(rel), Some(65534), Some(65534)).unwrap();
    }
    // root owns t/locked and keeps it read-only: nobody can read the files there but not replace their names.
    std::fs::set_permissions(tree.path("t/locked"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = tree.as_nobody("mklnk", ["--dedupe", "t", "--no-journal"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}{}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.contains("Access is denied."), "{stderr}");
    // The kept file (first path) is t/locked/c: linking it into t/open works, replacing t/locked/d does not.
    assert!(same_inode(&tree, "t/open/a", "t/locked/c") && same_inode(&tree, "t/open/b", "t/locked/c"));
    assert_eq!(tree.link_count("t/locked/d"), 1);
    for rel in ["t/open/a", "t/open/b", "t/locked/c", "t/locked/d"] {
        assert_eq!(tree.read(rel), "data one");
    }
    assert!(tree.temporaries().is_empty());
}

#[test]
fn killing_the_run_at_any_moment_leaves_every_name_with_its_content() {
    let tree = Tree::new();
    for d in 0..20 {
        for f in 0..100 {
            let content = format!("content {}\n", (d * 100 + f) % 700).repeat(50 + f % 7);
            tree.file(format!("t/d{d:02}/f{f:03}"), &content);
        }
    }
    let before = contents(&tree, "t");
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() | 1;
    for round in 0..5 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let delay = Duration::from_millis(u64::from(seed % 150));
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("mklnk"))
            .envs(tree.state_env())
            .current_dir(tree.root())
            .args(["--dedupe", "t", "--journal"])
            .arg(tree.path(format!("journal{round}")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let after = contents(&tree, "t");
        let without_temporaries: BTreeMap<_, _> =
            after.into_iter().filter(|(p, _)| !p.to_string_lossy().contains(".mklink-")).collect();
        assert_eq!(without_temporaries, before, "round {round} after {delay:?}");
    }
    // A last full run finishes the job.
    tree.mklnk(["--dedupe", "t", "--no-journal"]).assert().success();
    assert!(same_inode(&tree, "t/d00/f000", "t/d07/f000"));
}

#[test]
fn undo_gives_every_merged_name_its_own_copy_and_metadata_back() {
    let tree = Tree::new();
    tree.file("t/a", "undo me").file("t/b", "undo me").file("t/c", "undo me").file("t/d", "undo me");
    std::fs::set_permissions(tree.path("t/b"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let old = filetime(&tree, "t/c", 1_000_000_000);
    let journal = tree.path("j.jsonl");
    tree.mklnk(["--dedupe", "t", "--ignore-mode", "--journal"]).arg(&journal).assert().success();
    assert_eq!(tree.link_count("t/a"), 4);
    // A merged name changed since: the undo leaves it alone and says so.
    std::fs::remove_file(tree.path("t/d")).unwrap();
    tree.file("t/d", "replaced by the user");
    tree.mklnk(["--undo"]).arg(&journal).assert().success().stderr(contains("skipped"));
    for name in ["t/a", "t/b", "t/c"] {
        assert_eq!(tree.link_count(name), 1, "{name}");
        assert_eq!(tree.read(name), "undo me");
    }
    assert_eq!(meta(&tree, "t/b").mode() & 0o777, 0o640);
    assert_eq!(meta(&tree, "t/c").mtime(), old);
    assert_eq!(tree.read("t/d"), "replaced by the user");
    assert!(tree.temporaries().is_empty());
}

/// Sets a file's write time (seconds) with touch(1) and returns it.
fn filetime(tree: &Tree, rel: &str, secs: i64) -> i64 {
    let out = StdCommand::new("touch").arg("-m").arg("-d").arg(format!("@{secs}")).arg(tree.path(rel)).output();
    assert!(out.unwrap().status.success());
    secs
}

#[test]
fn unshare_gives_a_name_its_own_copy_with_the_same_metadata() {
    let tree = Tree::new();
    tree.file("a", "shared bytes").hardlink("b", "a").file("alone", "x");
    std::fs::set_permissions(tree.path("b"), std::fs::Permissions::from_mode(0o604)).unwrap();
    let flags = rustix::fs::XattrFlags::empty();
    rustix::fs::setxattr(tree.path("b"), "user.note", b"kept", flags).expect("user attributes (ext4, tmpfs)");
    let mtime = filetime(&tree, "b", 1_200_000_000);
    tree.mklnk(["--unshare", "b", "alone"])
        .assert()
        .success()
        .stdout(contains("unshared \"b\""))
        .stderr(contains("skipped \"alone\": it has no other name"));
    assert!(!same_inode(&tree, "a", "b"));
    assert_eq!((tree.link_count("a"), tree.link_count("b")), (1, 1));
    assert_eq!(tree.read("b"), "shared bytes");
    assert_eq!(meta(&tree, "b").mode() & 0o7777, 0o604);
    assert_eq!(meta(&tree, "b").mtime(), mtime);
    let mut value = [0u8; 16];
    let n = rustix::fs::getxattr(tree.path("b"), "user.note", &mut value[..]).expect("copied attribute");
    assert_eq!(&value[..n], b"kept");
    // Writing to one name no longer changes the other.
    std::fs::write(tree.path("b"), "changed").unwrap();
    assert_eq!(tree.read("a"), "shared bytes");
}

fn du(tree: &Tree, args: &[&str], root: &str) -> u64 {
    let out = StdCommand::new("du").args(args).arg(root).current_dir(tree.root()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn du_figures_match_du_and_tell_shared_from_exclusive_bytes() {
    let tree = Tree::new();
    tree.file("r/own", &"o".repeat(30_000)).file("r/sub/twice", &"t".repeat(9_000)).hardlink("r/twice2", "r/sub/twice");
    tree.file("r/out", &"s".repeat(20_000)).hardlink("elsewhere", "r/out");
    tree.symlink("r/link", "own");
    let out = tree.mklnk(["--du", "r", "--json"]).assert().success().get_output().stdout.clone();
    let usage = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["type"] == "usage")
        .unwrap();
    assert_eq!(usage["apparent"].as_u64().unwrap(), du(&tree, &["-s", "--apparent-size", "-B1"], "r"));
    assert_eq!(usage["allocated"].as_u64().unwrap(), du(&tree, &["-s", "-B1"], "r"));
    let shared = meta(&tree, "r/out").blocks() * 512;
    assert_eq!(usage["shared_outside"].as_u64().unwrap(), shared);
    assert_eq!(usage["exclusive"].as_u64().unwrap(), usage["allocated"].as_u64().unwrap() - shared);
    tree.mklnk(["--du", "r"]).assert().success().stdout(contains(&format!("shared with outside {shared}")));
}

#[test]
fn names_that_are_not_utf8_are_merged_and_restored() {
    let tree = Tree::new();
    let name = crate::common::non_utf8("n");
    tree.file("t/plain", "bytes");
    std::fs::write(tree.path("t").join(&name), "bytes").unwrap();
    let journal = tree.path("j");
    tree.mklnk(["--dedupe", "t", "--journal"]).arg(&journal).assert().success();
    assert_eq!(std::fs::symlink_metadata(tree.path("t").join(&name)).unwrap().nlink(), 2);
    tree.mklnk(["--undo"]).arg(&journal).assert().success();
    assert_eq!(std::fs::symlink_metadata(tree.path("t").join(&name)).unwrap().nlink(), 1);
}

/// The summary object of a `--json` deduplication run in the tree.
fn summary(tree: &Tree, args: &[&str]) -> serde_json::Value {
    let out = tree.mklnk(args).arg("--json").assert().success().get_output().stdout.clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["type"] == "dedupe_summary")
        .unwrap()
}

#[test]
fn a_second_run_reads_only_files_changed_since_the_first() {
    let tree = Tree::new();
    let (one, two) = ("1".repeat(20_000), "2".repeat(20_000));
    tree.file("t/a", &one).file("t/b", &one).file("t/u1", &one[..19_999]).file("t/u2", &two[..19_999]);
    let cache = tree.path("hashes").display().to_string();
    let args = ["--dedupe", "t", "--no-journal", "--cache", &cache];
    let first = summary(&tree, &args);
    assert_eq!(first["merged"], 1);
    assert!(first["bytes_read"].as_u64().unwrap() > 0);
    let second = summary(&tree, &args);
    assert_eq!((second["merged"].as_u64(), second["bytes_read"].as_u64()), (Some(0), Some(0)));
    // A file rewritten since: read again, and merged now that it matches.
    std::fs::write(tree.path("t/u1"), &two[..19_999]).unwrap();
    let third = summary(&tree, &args);
    assert_eq!(third["merged"], 1);
    assert!(same_inode(&tree, "t/u1", "t/u2"));
}

#[test]
fn every_object_of_the_tree_operations_matches_the_json_schema() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-schema.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let tree = Tree::new();
    tree.file("t/a", "json").file("t/b", "json").hardlink("t/c", "t/a");
    let journal = tree.path("j").display().to_string();
    let runs: [&[&str]; 5] = [
        &["--dedupe", "t", "--dry-run", "--no-cache"],
        &["--dedupe", "t", "--journal", &journal, "--no-cache"],
        &["--undo", &journal],
        &["--unshare", "t/a", "t/missing"],
        &["--du", "t"],
    ];
    let mut types = std::collections::BTreeSet::new();
    for args in runs {
        let out = tree.mklnk(args).arg("--json").output().unwrap();
        assert!(out.stderr.is_empty(), "--json keeps stderr quiet: {args:?}");
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{line}: {errors:?}");
            types.insert(value["type"].as_str().unwrap().to_string());
        }
    }
    for expected in ["merged", "restored", "unshared", "usage", "dedupe_summary", "summary", "error"] {
        assert!(types.contains(expected), "{expected} never printed: {types:?}");
    }
}

#[test]
fn a_root_given_twice_or_inside_another_is_walked_once() {
    let tree = Tree::new();
    tree.file("t/a", "twice").file("t/in/b", "twice");
    let out = summary(&tree, &["--dedupe", "t", "t/in", "t", "--no-journal", "--no-cache"]);
    assert_eq!((out["files"].as_u64(), out["merged"].as_u64(), out["skipped"].as_u64()), (Some(2), Some(1), Some(0)));
    assert!(same_inode(&tree, "t/a", "t/in/b"));
}

#[test]
fn a_missing_root_is_reported_and_the_others_are_deduplicated() {
    let tree = Tree::new();
    tree.file("t/a", "here").file("t/b", "here");
    tree.mklnk(["--dedupe", "missing", "t", "--no-journal"])
        .assert()
        .code(2)
        .stdout(contains("1 name linked"))
        .stderr(contains("\"missing\""));
    assert!(same_inode(&tree, "t/a", "t/b"));
}
