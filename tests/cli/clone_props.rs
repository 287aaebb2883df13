//! `--clone` under stress: killed or interrupted at random points (DEST is either absent or complete, SOURCE never
//! changes, an interrupted run cleans up), and
//! a property test over small random trees comparing SOURCE and DEST (same names, same files, links reaching the
//! same places after re-pointing).

use crate::common::{Held, Tree, binary};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every name below `root` (not following links) with what it is: file content and inode, link text, or
/// directory.
fn listing(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = fs::read_dir(root.join(&rel)) else { continue };
        for entry in entries.flatten() {
            let rel = rel.join(entry.file_name());
            let path = root.join(&rel);
            let md = fs::symlink_metadata(&path).unwrap();
            let what = if md.file_type().is_symlink() {
                format!("link {}", fs::read_link(&path).unwrap().display())
            } else if md.is_dir() {
                stack.push(rel.clone());
                "dir".to_string()
            } else {
                format!("file {} {:?}", md.ino(), fs::read(&path).unwrap())
            };
            out.insert(rel, what);
        }
    }
    out
}

#[test]
fn a_killed_clone_leaves_no_dest_or_a_complete_one_and_source_unchanged() {
    let tree = Tree::new();
    for d in 0..40 {
        for f in 0..50 {
            tree.file(format!("src/d{d}/f{f}"), &format!("{d}/{f}"));
        }
        tree.symlink(format!("src/d{d}/up"), "../d0/f0");
    }
    let source = listing(&tree.path("src"));
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64;
    let mut complete = 0;
    for round in 0..8 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let delay = Duration::from_micros((seed >> 33) % 80_000);
        let dest = format!("dst{round}");
        let mut child = std::process::Command::new(binary("mklnk"))
            .args(["--clone", "src", &dest])
            .current_dir(tree.root())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let dest = tree.path(&dest);
        if dest.exists() {
            complete += 1;
            let copy = listing(&dest);
            let names = |m: &BTreeMap<PathBuf, String>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(names(&copy), names(&source), "round {round} (delay {delay:?}): DEST is incomplete");
        }
        let now: BTreeMap<_, _> = listing(&tree.path("src"));
        assert_eq!(now, source, "round {round}: SOURCE changed");
    }
    eprintln!("{complete} of 8 killed runs had finished");
}

#[derive(Debug, Clone)]
enum Item {
    File(u8),
    HardLink(usize),
    /// A link to another slot: relative, or absolute, by the flag.
    Link(usize, bool),
    /// A relative link that climbs out of SOURCE and back in to another slot.
    Climb(usize),
    Outside,
    Dangling,
    Loop,
}

const DIRS: [&str; 4] = ["", "d1", "d1/sub", "d2"];

fn slot_path(slot: usize) -> PathBuf {
    Path::new(DIRS[slot % DIRS.len()]).join(format!("n{slot}"))
}

fn relative(from_dir: &Path, to: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for _ in from_dir.components() {
        out.push("..");
    }
    out.join(to)
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        3 => any::<u8>().prop_map(Item::File),
        1 => (0..12usize).prop_map(Item::HardLink),
        2 => (0..12usize, any::<bool>()).prop_map(|(s, abs)| Item::Link(s, abs)),
        1 => (0..12usize).prop_map(Item::Climb),
        1 => Just(Item::Outside),
        1 => Just(Item::Dangling),
        1 => Just(Item::Loop),
    ]
}

fn build(tree: &Tree, items: &[Item]) {
    for d in DIRS {
        tree.dir(Path::new("src").join(d));
    }
    tree.file("outside.txt", "o");
    let src = tree.path("src");
    for (slot, it) in items.iter().enumerate() {
        let path = slot_path(slot);
        let dir = path.parent().unwrap().to_path_buf();
        let at = src.join(&path);
        match it {
            Item::File(b) => fs::write(&at, [*b]).unwrap(),
            Item::HardLink(t) => {
                let other = src.join(slot_path(*t));
                if fs::symlink_metadata(&other).is_ok_and(|m| m.is_file()) {
                    fs::hard_link(other, &at).unwrap();
                } else {
                    fs::write(&at, "h").unwrap();
                }
            }
            Item::Link(t, abs) => {
                let target = if *abs { src.join(slot_path(*t)) } else { relative(&dir, &slot_path(*t)) };
                std::os::unix::fs::symlink(target, &at).unwrap();
            }
            Item::Climb(t) => {
                std::os::unix::fs::symlink(relative(&dir, &Path::new("../src").join(slot_path(*t))), &at).unwrap()
            }
            Item::Outside => std::os::unix::fs::symlink(relative(&dir, Path::new("../outside.txt")), &at).unwrap(),
            Item::Dangling => std::os::unix::fs::symlink("no-such-name", &at).unwrap(),
            Item::Loop => std::os::unix::fs::symlink(path.file_name().unwrap(), &at).unwrap(),
        }
    }
}

/// Where a name leads, as a place relative to its tree (inside), an absolute path (outside), or nowhere.
fn leads_to(root: &Path, rel: &Path) -> String {
    let real_root = fs::canonicalize(root).unwrap();
    match fs::canonicalize(root.join(rel)) {
        Ok(p) => match p.strip_prefix(&real_root) {
            Ok(inside) => format!("inside {}", inside.display()),
            Err(_) => format!("outside {}", p.display()),
        },
        Err(_) => "nowhere".to_string(),
    }
}

#[test]
fn a_clone_has_the_same_names_files_and_link_destinations_as_its_source() {
    let mut runner = TestRunner::new(Config {
        cases: 100,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    });
    let strategy = proptest::collection::vec(item(), 1..12);
    runner
        .run(&strategy, |items| {
            let tree = Tree::new();
            build(&tree, &items);
            let before = listing(&tree.path("src"));
            let out = tree.mklnk(["--clone", "src", "dst"]).output().unwrap();
            prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let (src, dst) = (tree.path("src"), tree.path("dst"));
            let (a, b) = (listing(&src), listing(&dst));
            prop_assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
            for (rel, what) in &a {
                if what.starts_with("file") {
                    // The same inode and bytes: the listing line holds both.
                    prop_assert_eq!(what, &b[rel]);
                }
                if what.starts_with("link") {
                    prop_assert_eq!(leads_to(&src, rel), leads_to(&dst, rel), "{}", rel.display());
                }
            }
            prop_assert_eq!(listing(&src), before);
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_interrupted_clone_publishes_nothing_and_removes_its_partial_tree() {
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/d/b", "b");
    let held = Held::start(&tree, "mklnk", &["--clone", "src", "dst"], "clone-walk");
    held.signal("INT");
    let released = held.release();
    let (code, stderr) = (released.code, released.stderr);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("mklnk: The operation was canceled by the user. \"dst\""), "{stderr}");
    assert!(stderr.contains("nothing was published at \"dst\"; the partial tree was removed"), "{stderr}");
    assert!(!tree.exists("dst"));
    assert!(tree.temporaries().is_empty(), "{:?}", tree.temporaries());
    assert_eq!(tree.link_count("src/a"), 1);
}

#[test]
fn a_dest_made_by_someone_else_during_the_copy_is_never_replaced() {
    let tree = Tree::new();
    tree.file("src/a", "a");
    let held = Held::start(&tree, "mklnk", &["--clone", "src", "dst"], "clone-publish");
    tree.file("dst/theirs", "precious");
    let released = held.release();
    let (code, stderr) = (released.code, released.stderr);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("mklnk: Cannot create a file when that file already exists. \"dst\""), "{stderr}");
    assert_eq!(tree.read("dst/theirs"), "precious");
    assert!(!tree.exists("dst/a"));
    assert!(tree.temporaries().is_empty(), "{:?}", tree.temporaries());
}

#[test]
fn a_clone_interrupted_while_its_threads_copy_publishes_nothing_and_cleans_up() {
    let tree = Tree::new();
    for d in 0..40 {
        for f in 0..50 {
            tree.file(format!("src/d{d}/s/f{f}"), "x");
        }
    }
    let source = listing(&tree.path("src"));
    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64;
    let mut stopped = 0;
    for round in 0..6 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let delay = Duration::from_micros(5_000 + (seed >> 33) % 60_000);
        let dest = format!("dst{round}");
        let child = std::process::Command::new(binary("mklnk"))
            .args(["--clone", "src", &dest])
            .current_dir(tree.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = std::process::Command::new("kill").arg("-INT").arg(child.id().to_string()).status();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => assert_eq!(listing(&tree.path(&dest)).len(), source.len(), "round {round}: incomplete"),
            Some(2) => {
                stopped += 1;
                assert!(stderr.contains("The operation was canceled by the user."), "round {round}: {stderr}");
                assert!(stderr.contains("the partial tree was removed"), "round {round}: {stderr}");
                assert!(!tree.exists(&dest), "round {round}");
            }
            // Signalled before the program listened for interrupts, so before anything was made.
            None => assert!(!tree.exists(&dest), "round {round}"),
            other => panic!("round {round} (delay {delay:?}): exit {other:?}: {stderr}"),
        }
        assert!(tree.temporaries().is_empty(), "round {round}: {:?}", tree.temporaries());
        assert_eq!(listing(&tree.path("src")), source, "round {round}: SOURCE changed");
    }
    // Every file whose run stopped lost the names it was given: only the published copies hold names.
    let published = (0..6).filter(|r| tree.exists(format!("dst{r}"))).count() as u64;
    assert_eq!(tree.link_count("src/d0/s/f0"), 1 + published);
    eprintln!("{stopped} of 6 interrupted runs stopped before publishing");
}
