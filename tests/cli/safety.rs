//! The fault list of the safety rules, for create, update and delete through the real `mklnk` (and `mklink`
//! where it applies): each gives the exact message and exit code, and leaves the tree as it was with no
//! temporaries.

use crate::common::{Tree, contains};
use mklink::{Collected, ErrorKind, Link, Operation, Outcome, Request};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

const NO_SPACE: &str = "There is not enough space on the disk.";
const READ_ONLY: &str = "The media is write protected.";
const DENIED: &str = "Access is denied.";
const PATH: &str = "The system cannot find the path specified.";

/// Runs `mklnk args`, expects exit 2 and `message "<name>"` on stderr, and an unchanged tree.
fn mklnk_fails(tree: &Tree, args: &[&str], message: &str, name: &str) {
    let before = tree.snapshot();
    tree.mklnk(args).assert().code(2).stdout("").stderr(format!("mklnk: {message} \"{name}\"\n"));
    assert_eq!(tree.snapshot(), before, "tree changed after {args:?}");
    assert!(tree.temporaries().is_empty());
}

#[test]
fn no_space_on_create_and_update() {
    if !crate::common::require_root("mounts a tmpfs") {
        return;
    }
    let mut tree = Tree::new();
    tree.dir("v1").dir("v2");
    tree.mount_tmpfs("full", "size=64k,nr_inodes=2");
    tree.mklnk(["v1", "full/current"]).assert().success();
    mklnk_fails(&tree, &["v2", "full/other"], NO_SPACE, "full/other");
    // Updating needs a temporary link, which finds no inode: the old link stays as it was.
    mklnk_fails(&tree, &["v2", "full/current"], NO_SPACE, "full/current");
    assert_eq!(tree.link_target("full/current"), tree.root().join("v1"));
}

#[test]
fn read_only_file_system_on_create_update_and_delete() {
    if !crate::common::require_root("bind-mounts a directory read-only") {
        return;
    }
    let mut tree = Tree::new();
    tree.file("ro/f", "x").hardlink("ro/g", "ro/f").dir("v1");
    std::os::unix::fs::symlink(tree.root().join("v1"), tree.path("ro/current")).unwrap();
    tree.mount_read_only("ro");
    mklnk_fails(&tree, &["ro/f", "ro/h"], READ_ONLY, "ro/h");
    mklnk_fails(&tree, &["v1", "ro/j"], READ_ONLY, "ro/j");
    mklnk_fails(&tree, &["v1", "ro/current"], READ_ONLY, "ro/current");
    mklnk_fails(&tree, &["/D", "ro/g"], READ_ONLY, "ro/g");
    mklnk_fails(&tree, &["/D", "ro/current"], READ_ONLY, "ro/current");
}

#[test]
fn too_many_links() {
    if !crate::common::require_root("loop-mounts an ext4 image") || !crate::common::require_tool("mkfs.ext4") {
        return;
    }
    let mut tree = Tree::new();
    // An ext4 file system in a small image: a file takes at most 65,000 names.
    let image = tree.path("ext4.img");
    std::fs::File::create(&image).unwrap().set_len(16 << 20).unwrap();
    let out = StdCommand::new("mkfs.ext4").args(["-q", "-F", "-N", "64"]).arg(&image).output().expect("mkfs.ext4");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mnt = tree.mount_loop("ext4.img", "e");
    std::fs::write(mnt.join("f"), "x").unwrap();
    std::fs::create_dir(mnt.join("links")).unwrap();
    let mut n = 0;
    while std::fs::hard_link(mnt.join("f"), mnt.join(format!("links/{n}"))).is_ok() {
        n += 1;
    }
    assert!(n > 1000, "the link limit was reached too early ({n})");
    let message = "An attempt was made to create more links on a file than the file system supports.";
    tree.mklnk(["e/f", "e/one-more"]).assert().code(2).stderr(format!("mklnk: {message} \"e/one-more\"\n"));
    tree.mklink(["/H", "e/one-more", "e/f"]).assert().code(1).stderr(format!("{message}\n"));
    assert!(!tree.exists("e/one-more"));
}

#[test]
fn cross_device_hard_link() {
    if !crate::common::require_root("mounts a tmpfs") {
        return;
    }
    let mut tree = Tree::new();
    tree.file("f", "x");
    tree.mount_tmpfs("mnt", "size=1m");
    mklnk_fails(&tree, &["f", "mnt/h"], "The system cannot move the file to a different disk drive.", "mnt/h");
}

#[test]
fn permission_denied_on_create_update_and_delete() {
    if !crate::common::require_root("runs mklnk as the user nobody") {
        return;
    }
    let tree = Tree::new();
    tree.file("f", "x").dir("locked").file("locked/a", "a").hardlink("locked/b", "locked/a").dir("v1").dir("v2");
    std::os::unix::fs::symlink(tree.root().join("v1"), tree.path("locked/current")).unwrap();
    let before = tree.snapshot();
    let cases: [(&[&str], &str); 4] = [
        (&["f", "locked/h"], "locked/h"),
        (&["v2", "locked/current"], "locked/current"),
        (&["/D", "locked/b"], "locked/b"),
        (&["/D", "locked/current"], "locked/current"),
    ];
    for (args, name) in cases {
        tree.as_nobody("mklnk", args).assert().code(2).stderr(format!("mklnk: {DENIED} \"{name}\"\n"));
    }
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn name_too_long_on_create_and_delete() {
    let tree = Tree::new();
    tree.file("f", "x").dir("d");
    let long = "n".repeat(300);
    let message = "The filename or extension is too long.";
    mklnk_fails(&tree, &["f", &long], message, &long);
    mklnk_fails(&tree, &["d", &long], message, &long);
    mklnk_fails(&tree, &["/D", &long], message, &long);
}

#[test]
fn symlink_loop_in_the_path() {
    let tree = Tree::new();
    tree.file("f", "x").symlink("a", "b").symlink("b", "a");
    let message = "The name of the file cannot be resolved by the system.";
    mklnk_fails(&tree, &["a/x", "new"], message, "a/x");
    mklnk_fails(&tree, &["/D", "a/x"], message, "a/x");
    mklnk_fails(&tree, &["f", "a/new"], message, "a/new");
}

#[test]
fn not_a_directory_in_the_parent_path() {
    let tree = Tree::new();
    tree.file("f", "x").dir("d");
    mklnk_fails(&tree, &["f", "f/new"], PATH, "f/new");
    mklnk_fails(&tree, &["d", "f/new"], PATH, "f/new");
    mklnk_fails(&tree, &["/D", "f/x"], PATH, "f/x");
}

#[test]
fn vanished_parent() {
    let tree = Tree::new();
    tree.file("f", "x").dir("d");
    mklnk_fails(&tree, &["f", "gone/new"], PATH, "gone/new");
    mklnk_fails(&tree, &["d", "gone/new"], PATH, "gone/new");
}

#[test]
fn a_target_swapped_for_a_symlink_is_never_followed() {
    let tree = Tree::new();
    tree.file("src", "ours").file("outside/secret", "secret");
    std::os::unix::fs::symlink(tree.path("outside/secret"), tree.path("evil")).unwrap();
    let secret_ino = tree.ino("outside/secret");
    for _ in 0..100 {
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = swap_loop(stop.clone(), tree.path("src"), tree.path("evil"));
        let _ = tree.mklnk(["src", "new"]).output().unwrap();
        stop.store(true, Ordering::Relaxed);
        swapper.join().unwrap();
        if tree.exists("new") {
            assert_ne!(tree.ino("new"), secret_ino, "a symlink given as target was followed");
            std::fs::remove_file(tree.path("new")).unwrap();
        }
        assert_eq!(tree.read("outside/secret"), "secret");
    }
}

#[test]
fn a_link_name_appearing_meanwhile_is_never_replaced() {
    let tree = Tree::new();
    tree.file("src", "ours").dir("srcdir");
    for source in ["src", "srcdir"] {
        for _ in 0..60 {
            let stop = Arc::new(AtomicBool::new(false));
            let appear = {
                let (stop, new) = (stop.clone(), tree.path("new"));
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let _ = std::fs::OpenOptions::new().write(true).create_new(true).open(&new);
                        std::thread::yield_now();
                    }
                })
            };
            let out = tree.mklnk([source, "new"]).output().unwrap();
            stop.store(true, Ordering::Relaxed);
            appear.join().unwrap();
            if out.status.success() {
                assert!(tree.is_symlink("new") || tree.ino("new") == tree.ino("src"));
            } else {
                assert_eq!(out.status.code(), Some(2));
                assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
                let md = std::fs::symlink_metadata(tree.path("new")).unwrap();
                assert!(md.is_file() && md.len() == 0, "the other process's file was replaced");
            }
            std::fs::remove_file(tree.path("new")).unwrap();
            assert!(tree.temporaries().is_empty());
        }
    }
}

#[test]
fn two_updates_at_once_end_with_one_valid_link() {
    let tree = Tree::new();
    tree.dir("v1").dir("v2");
    tree.mklnk(["v1", "current"]).assert().success();
    for _ in 0..200 {
        let (a, b) = two_at_once(&tree, ["v1", "current"], ["v2", "current"]);
        assert!(a && b, "both updates must succeed");
        let target = tree.link_target("current");
        assert!(target == tree.root().join("v1") || target == tree.root().join("v2"));
        assert!(tree.temporaries().is_empty());
    }
    tree.mklnk(["current"]).assert().success().stdout(contains("/v"));
}

/// Iterations of the in-process race tests: 5,000 runs in one to five seconds.
const IN_PROCESS_RUNS: usize = 5_000;

#[test]
fn delete_racing_an_exchange_never_removes_a_last_name() {
    // Issue 8: `/D` racing a rename. A thread keeps exchanging the name being deleted (a file with two names) with a
    // single-link file; `run` deletes in the same process, thousands of times. Whatever the timing, the single-link
    // file's data survives, the other file keeps at least one name and no temporary is left.
    let tree = Tree::new();
    tree.file("other", "shared").hardlink("name", "other").file("solo", "precious");
    let (name, solo) = (tree.path("name"), tree.path("solo"));
    let swapper = Swapper::start(name.clone(), solo.clone());
    let request = Request { operation: Operation::Delete { link: name.clone(), descriptions: false }, dry_run: false };
    let (mut deleted, mut refused, mut raced) = (0, 0, 0);
    for run in 0..IN_PROCESS_RUNS {
        let mut results = Collected::default();
        mklink::run(&request, &mut results);
        swapper.pause();
        match results.outcomes.as_slice() {
            [Outcome::Deleted { .. }] => deleted += 1,
            [Outcome::Failed(e)] if e.kind() == ErrorKind::LastLink => refused += 1,
            [Outcome::Failed(e)] if e.kind() == ErrorKind::Raced => raced += 1,
            other => panic!("run {run}: unexpected outcome {other:?}"),
        }
        let held: Vec<String> = [&name, &solo].iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
        assert!(held.iter().any(|s| s == "precious"), "run {run}: the single-link file was deleted");
        assert_eq!(tree.read("other"), "shared", "run {run}");
        assert!(tree.temporaries().is_empty(), "run {run}: temporaries left: {:?}", tree.temporaries());
        if !tree.exists("name") {
            // The hard link went (as asked, it was not the last name): put it back, or the single-link file's
            // name back where the exchanges expect it.
            if tree.exists("solo") {
                tree.hardlink("name", "other")
            } else {
                tree.hardlink("solo", "other")
            };
        }
        swapper.resume();
    }
    let exchanges = swapper.stop();
    eprintln!(
        "{IN_PROCESS_RUNS} deletes: {deleted} removed a second name, {refused} refused a last name, {raced} raced; {exchanges} exchanges"
    );
    assert!(deleted > 0 && refused > 0, "the race was not exercised: {deleted} deleted, {refused} refused");
}

#[test]
fn concurrent_updates_in_process_end_with_one_valid_link() {
    // Issue 8: two threads retarget one link at the same time, thousands of times each; every update succeeds and
    // the name is always a link to one of the two targets, with no temporary left.
    let tree = Tree::new();
    tree.dir("v1").dir("v2");
    tree.mklnk(["v1", "current"]).assert().success();
    let link = tree.path("current");
    let update = |target: PathBuf, link: PathBuf| {
        std::thread::spawn(move || {
            let request = Request {
                operation: Operation::Link(Link::pair(target.into_os_string(), link.into_os_string())),
                dry_run: false,
            };
            for run in 0..IN_PROCESS_RUNS / 2 {
                let mut results = Collected::default();
                mklink::run(&request, &mut results);
                assert!(matches!(results.outcomes.as_slice(), [Outcome::Updated { .. }]), "run {run}: {results:?}");
            }
        })
    };
    let a = update(tree.path("v1"), link.clone());
    let b = update(tree.path("v2"), link.clone());
    for _ in 0..IN_PROCESS_RUNS / 2 {
        let target = std::fs::read_link(&link).expect("the name is always a link");
        assert!(target == tree.path("v1") || target == tree.path("v2"), "{target:?}");
    }
    a.join().expect("first updater");
    b.join().expect("second updater");
    assert!(tree.temporaries().is_empty(), "temporaries left: {:?}", tree.temporaries());
}

/// A thread that keeps exchanging two names with `renameat2(RENAME_EXCHANGE)` and can be paused, so that the
/// test can look at the tree while nothing moves.
pub(crate) struct Swapper {
    /// 0 run, 1 pause asked, 2 paused, 3 stop.
    state: Arc<AtomicU8>,
    /// Exchange attempts so far: `resume` waits for the next one, so that the thread is on a CPU and exchanging
    /// when the test starts its delete (on a loaded machine it could otherwise sleep through many runs).
    attempts: Arc<AtomicU64>,
    thread: std::thread::JoinHandle<u64>,
}

impl Swapper {
    pub(crate) fn start(a: PathBuf, b: PathBuf) -> Swapper {
        let state = Arc::new(AtomicU8::new(0));
        let attempts = Arc::new(AtomicU64::new(0));
        let thread = {
            let (state, attempts) = (state.clone(), attempts.clone());
            std::thread::spawn(move || {
                let mut exchanges = 0u64;
                loop {
                    match state.load(Ordering::Acquire) {
                        0 => {
                            exchanges += u64::from(exchange(&a, &b));
                            attempts.fetch_add(1, Ordering::Release);
                        }
                        1 => state.store(2, Ordering::Release),
                        3 => return exchanges,
                        _ => std::thread::yield_now(),
                    }
                }
            })
        };
        Swapper { state, attempts, thread }
    }

    /// Returns once the thread has stopped exchanging.
    pub(crate) fn pause(&self) {
        self.state.store(1, Ordering::Release);
        while self.state.load(Ordering::Acquire) != 2 {
            std::thread::yield_now();
        }
    }

    /// Returns once the thread is exchanging again.
    pub(crate) fn resume(&self) {
        let before = self.attempts.load(Ordering::Acquire);
        self.state.store(0, Ordering::Release);
        while self.attempts.load(Ordering::Acquire) == before {
            std::thread::yield_now();
        }
    }

    /// Stops the thread; returns how many exchanges it made.
    pub(crate) fn stop(self) -> u64 {
        self.state.store(3, Ordering::Release);
        self.thread.join().expect("swapper thread")
    }
}

fn exchange(a: &Path, b: &Path) -> bool {
    rustix::fs::renameat_with(rustix::fs::CWD, a, rustix::fs::CWD, b, rustix::fs::RenameFlags::EXCHANGE).is_ok()
}

fn swap_loop(stop: Arc<AtomicBool>, a: std::path::PathBuf, b: std::path::PathBuf) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let _ =
                rustix::fs::renameat_with(rustix::fs::CWD, &a, rustix::fs::CWD, &b, rustix::fs::RenameFlags::EXCHANGE);
        }
    })
}

/// Starts `mklnk a` and `mklnk b` at the same time and waits for both; true for each that succeeded.
fn two_at_once(tree: &Tree, a: [&str; 2], b: [&str; 2]) -> (bool, bool) {
    let bin = assert_cmd::cargo::cargo_bin("mklnk");
    let spawn = |args: [&str; 2]| StdCommand::new(&bin).current_dir(tree.root()).args(args).spawn().unwrap();
    let (mut first, mut second) = (spawn(a), spawn(b));
    (first.wait().unwrap().success(), second.wait().unwrap().success())
}

#[test]
fn a_dry_run_checks_what_the_real_run_would_check() {
    // Issue 16: `--dry-run` said "would link" and exited 0 where the real run is denied.
    if !crate::common::require_root("runs mklnk as the user nobody and mounts a tmpfs") {
        return;
    }
    let mut tree = Tree::new();
    tree.file("f", "x").dir("locked").dir("v1").dir("v2").file("locked/a", "a").hardlink("locked/b", "locked/a");
    tree.mklnk(["v1", "locked/cur"]).assert().success();
    std::fs::set_permissions(tree.path("locked"), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let before = tree.snapshot();
    let denied = "would fail: Access is denied.";
    for args in
        [&["--dry-run", "f", "locked/new"][..], &["--dry-run", "v2", "locked/cur"], &["--dry-run", "/D", "locked/b"]]
    {
        let out = tree.as_nobody("mklnk", args).assert().code(2).get_output().stderr.clone();
        assert!(String::from_utf8_lossy(&out).contains(denied), "{args:?}: {}", String::from_utf8_lossy(&out));
    }
    tree.as_nobody("mklink", ["--dry-run", "locked/l", "f"]).assert().code(1).stderr(format!("{denied}\n"));
    // A hard link across devices fails in a dry run as it would for real.
    tree.mount_tmpfs("mnt", "size=1m");
    tree.mklnk(["--dry-run", "f", "mnt/h"])
        .assert()
        .code(2)
        .stderr("mklnk: would fail: The system cannot move the file to a different disk drive. \"mnt/h\"\n");
    tree.mklnk(["--dry-run", "/Q", "f", "locked/a", "mnt"]).assert().code(2).stderr(contains("would fail"));
    assert_eq!(
        tree.snapshot().into_iter().filter(|(p, _)| !p.starts_with("mnt")).collect::<Vec<_>>(),
        before.into_iter().collect::<Vec<_>>()
    );
}
