//! Issue 20: `--relink`, `--move` and `--undo` re-point links atomically, verify them, journal them, and leave
//! alone (and report) whatever changed meanwhile.

use crate::common::Held;
use crate::common::{Tree, contains};
use mklink::{Collected, MoveRequest, Operation, Outcome, RelinkStyle, Request};
use predicates::prelude::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The object a name leads to (device, inode), following links; `None` when it does not resolve.
fn object(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// A tree with `data/a` (moved or re-pointed), `data/ab` (a neighbour that must never match) and links to both.
fn data_tree() -> Tree {
    let tree = Tree::new();
    tree.file("data/a/sub/f.txt", "f").file("data/ab/g.txt", "g").dir("home/deep").dir("srv");
    let abs = |rel: &str| tree.path(rel).into_os_string().into_string().unwrap();
    tree.symlink("home/abs", abs("data/a/sub/f.txt"))
        .symlink("home/whole", abs("data/a"))
        .symlink("home/rel", "../data/a/sub")
        .symlink("home/deep/rel", "../../data/a/sub/f.txt")
        .symlink("home/neighbour", abs("data/ab/g.txt"))
        .symlink("home/neighbour-rel", "../data/ab");
    tree
}

#[test]
fn relink_points_links_into_old_at_the_same_place_under_new_and_never_at_a_neighbour() {
    let tree = data_tree();
    std::fs::rename(tree.path("data/a"), tree.path("srv/b")).unwrap();
    tree.mklnk(["--relink", "data/a", "srv/b", "home", "--journal", "j"]).assert().success();
    assert_eq!(tree.link_target("home/abs"), tree.path("srv/b/sub/f.txt"));
    assert_eq!(tree.link_target("home/whole"), tree.path("srv/b"));
    assert_eq!(tree.link_target("home/rel"), Path::new("../srv/b/sub"));
    assert_eq!(tree.link_target("home/deep/rel"), Path::new("../../srv/b/sub/f.txt"));
    assert_eq!(tree.read("home/deep/rel"), "f");
    assert_eq!(tree.link_target("home/neighbour"), tree.path("data/ab/g.txt"));
    assert_eq!(tree.link_target("home/neighbour-rel"), Path::new("../data/ab"));
    assert!(tree.temporaries().is_empty());
}

#[test]
fn relink_converts_styles_when_asked() {
    let tree = data_tree();
    tree.mklink(["--relink", "data/a", "srv", "home", "--to-relative", "--journal", "j"]).assert().success();
    assert_eq!(tree.link_target("home/abs"), Path::new("../srv/sub/f.txt"));
    let tree = data_tree();
    tree.mklnk(["--relink", "data/a", "srv", "home", "--to-absolute", "--journal", "j"]).assert().success();
    assert_eq!(tree.link_target("home/rel"), tree.path("srv/sub"));
}

#[test]
fn dangling_only_leaves_links_that_still_resolve() {
    let tree = data_tree();
    tree.symlink("home/gone", "../data/a/missing");
    tree.mklnk(["--relink", "data/a", "srv", "home", "--dangling-only", "--journal", "j"]).assert().success();
    assert_eq!(tree.link_target("home/gone"), Path::new("../srv/missing"));
    assert_eq!(tree.link_target("home/rel"), Path::new("../data/a/sub"));
}

#[test]
fn dry_run_prints_the_plan_as_text_and_json_and_changes_nothing() {
    let tree = data_tree();
    let before = tree.snapshot();
    tree.mklnk(["--relink", "data/a", "srv/b", "home", "--dry-run"])
        .assert()
        .success()
        .stdout(contains("would relink ").and(contains("-> ../srv/b/sub")));
    let out = tree.mklnk(["--move", "data/a", "srv/b", "--scan", "home", "--dry-run", "--json"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(r#""type":"moved""#) && text.contains(r#""type":"relinked""#), "{text}");
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn move_keeps_every_link_leading_to_the_same_object() {
    let tree = data_tree();
    let abs = |rel: &str| tree.path(rel);
    tree.file("data/x.txt", "x")
        .symlink("data/a/sub/inner-abs", abs("data/a/sub/f.txt"))
        .symlink("data/a/sub/inner-rel", "f.txt")
        .symlink("data/a/out-rel", "../x.txt")
        .symlink("data/a/out-abs", abs("data/x.txt"))
        .symlink("home/through", abs("data/a/../x.txt"))
        .symlink("home/through-rel", "../data/a/sub/../../x.txt")
        .symlink("home/chain", "abs")
        .symlink("data/a/loop1", "loop2")
        .symlink("data/a/loop2", "loop1")
        .symlink("home/to-loop", abs("data/a/loop1"));
    let links: Vec<PathBuf> = tree
        .snapshot()
        .into_iter()
        .filter(|(_, s)| matches!(s, crate::common::Snap::Symlink(_)))
        .map(|(p, _)| p)
        .collect();
    let before: BTreeMap<PathBuf, Option<(u64, u64)>> =
        links.iter().map(|l| (l.clone(), object(&tree.path(l)))).collect();
    tree.mklnk(["--move", "data/a", "srv/b", "--scan", "home", "--journal", "j"])
        .assert()
        .success()
        .stdout(contains("journal: j"));
    let moved = |p: &Path| match p.strip_prefix("data/a") {
        Ok(rest) => Path::new("srv/b").join(rest),
        Err(_) => p.to_path_buf(),
    };
    for (link, was) in &before {
        assert_eq!(object(&tree.path(moved(link))), *was, "{} leads elsewhere", link.display());
    }
    // Inner relative links moved with their targets and were not rewritten; loops stay loops.
    assert_eq!(tree.link_target("srv/b/sub/inner-rel"), Path::new("f.txt"));
    assert_eq!(tree.link_target("srv/b/loop1"), Path::new("loop2"));
    assert_eq!(tree.link_target("home/chain"), Path::new("abs"));
    assert_eq!(tree.link_target("home/through"), tree.path("data/x.txt"));
    assert_eq!(tree.link_target("home/to-loop"), tree.path("srv/b/loop1"));
}

#[test]
fn undo_puts_back_the_move_and_every_link() {
    let tree = data_tree();
    let before = tree.snapshot();
    tree.mklnk(["--move", "data/a", "srv/b", "--scan", "home", "--journal", "j"]).assert().success();
    assert!(!tree.exists("data/a"));
    tree.mklnk(["--undo", "j"]).assert().success().stdout(contains("moved "));
    let mut after = tree.snapshot();
    after.remove(Path::new("j"));
    assert_eq!(after, before);
}

#[test]
fn move_refuses_an_existing_destination_and_changes_nothing() {
    let tree = data_tree();
    tree.dir("srv/b");
    let before = tree.snapshot();
    tree.mklnk(["--move", "data/a", "srv/b"])
        .assert()
        .failure()
        .stderr(contains("Cannot create a file when that file already exists."));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn move_across_devices_is_refused_before_anything_is_done() {
    let mut tree = data_tree();
    tree.mount_tmpfs("other", "size=1m");
    let before = tree.snapshot();
    tree.mklink(["--move", "data/a", "other/b", "--scan", "home"])
        .assert()
        .failure()
        .stderr(contains("The system cannot move the file to a different disk drive."));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn a_link_replaced_meanwhile_is_left_alone_and_reported_and_undo_restores_the_rest() {
    let tree = data_tree();
    std::fs::rename(tree.path("data/a"), tree.path("srv/b")).unwrap();
    let args = ["--relink", "data/a", "srv/b", "home", "--journal", "j"];
    let held = Held::start(&tree, "mklnk", &args, "relink-apply");
    std::fs::remove_file(tree.path("home/rel")).unwrap();
    std::os::unix::fs::symlink("mine", tree.path("home/rel")).unwrap();
    let released = held.release();
    let (code, stderr) = (released.code, released.stderr);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("The name was changed by another process meanwhile") && stderr.contains("home/rel"),
        "{stderr}"
    );
    assert_eq!(tree.link_target("home/rel"), Path::new("mine"));
    assert_eq!(tree.link_target("home/abs"), tree.path("srv/b/sub/f.txt"));
    // Undo after the partial run: one rewritten link changed since is refused, the others go back.
    std::fs::remove_file(tree.path("home/whole")).unwrap();
    std::os::unix::fs::symlink("changed", tree.path("home/whole")).unwrap();
    let out = tree.mklink(["--undo", "j"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("home/whole"));
    assert_eq!(tree.link_target("home/whole"), Path::new("changed"));
    assert_eq!(tree.link_target("home/rel"), Path::new("mine"));
    assert_eq!(tree.link_target("home/abs"), tree.path("data/a/sub/f.txt"));
    assert_eq!(tree.link_target("home/deep/rel"), Path::new("../../data/a/sub/f.txt"));
}

#[test]
fn links_the_user_cannot_rewrite_are_reported_per_item() {
    use std::os::unix::fs::PermissionsExt;
    let tree = data_tree();
    tree.dir("open");
    std::fs::set_permissions(tree.path("open"), std::fs::Permissions::from_mode(0o777)).unwrap();
    tree.symlink("open/link", "../data/a/sub");
    for dir in ["home", "home/deep", "data", "data/a", "data/a/sub", "srv"] {
        std::fs::set_permissions(tree.path(dir), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out =
        tree.as_nobody("mklnk", ["--relink", "data/a", "srv", "home", "open", "--journal", "open/j"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.matches("Access is denied.").count(), 4, "{stderr}");
    assert_eq!(tree.link_target("open/link"), Path::new("../srv/sub"));
    assert_eq!(tree.link_target("home/rel"), Path::new("../data/a/sub"));
}

/// One link of a generated tree: where it lives, whether it is absolute, and where it points inside SOURCE.
#[derive(Debug, Clone)]
struct GenLink {
    dir: usize,
    absolute: bool,
    target: usize,
    through: bool,
}

const LINK_DIRS: [&str; 5] = ["p", "p/src", "p/src/d", "p/other", "q"];
const TARGETS: [&str; 4] = ["", "f", "d", "d/g"];

fn gen_link() -> impl Strategy<Value = GenLink> {
    (0..LINK_DIRS.len(), any::<bool>(), 0..TARGETS.len(), any::<bool>())
        .prop_map(|(dir, absolute, target, through)| GenLink { dir, absolute, target, through })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every link that resolved into SOURCE before the move resolves to the same relative place in DEST after.
    #[test]
    fn every_link_into_source_reaches_the_same_place_in_dest(links in proptest::collection::vec(gen_link(), 1..8), dest_in_q in any::<bool>()) {
        let tree = Tree::new();
        tree.file("p/src/f", "f").file("p/src/d/g", "g").dir("p/other").dir("q");
        let mut made = Vec::new();
        for (i, l) in links.iter().enumerate() {
            let dir = tree.path(LINK_DIRS[l.dir]);
            let mut target = tree.path("p/src").join(TARGETS[l.target]);
            if l.through {
                target = tree.path("p/src/d/..").join(TARGETS[l.target]);
            }
            let mut text = if l.absolute { target.clone() } else { pathdiff::diff_paths(&target, &dir).unwrap() };
            if text.as_os_str().is_empty() {
                text.push(".");
            }
            let name = format!("l{i}");
            std::os::unix::fs::symlink(&text, dir.join(&name)).unwrap();
            made.push((Path::new(LINK_DIRS[l.dir]).join(name), TARGETS[l.target]));
        }
        let dest = if dest_in_q { "q/dest" } else { "p/dest" };
        let request = Request {
            operation: Operation::Move(MoveRequest {
                source: tree.path("p/src"),
                dest: tree.path(dest),
                scan: vec![tree.path("q")],
                style: RelinkStyle::Keep,
                journal: Some(tree.path("journal")),
            }),
            dry_run: false,
        };
        let mut out = Collected::default();
        mklink::run(&request, &mut out);
        let failures: Vec<_> = out.outcomes.iter().filter(|o| matches!(o, Outcome::Failed(_))).collect();
        prop_assert!(failures.is_empty(), "{failures:?}");
        for (link, target) in made {
            let now = match link.strip_prefix("p/src") {
                Ok(rest) => Path::new(dest).join(rest),
                Err(_) => link.clone(),
            };
            let expected = object(&tree.path(dest).join(target));
            prop_assert!(expected.is_some());
            prop_assert_eq!(object(&tree.path(&now)), expected, "{} -> {:?}", now.display(), tree.link_target(&now));
        }
    }
}

#[test]
fn json_objects_of_relink_move_and_undo_match_the_schema() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json-schema.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let tree = data_tree();
    let runs: [&[&str]; 3] = [
        &["--move", "data/a", "srv/b", "--scan", "home", "--json", "--dry-run"],
        &["--move", "data/a", "srv/b", "--scan", "home", "--json", "--journal", "j"],
        &["--undo", "j", "--json"],
    ];
    let mut types = Vec::new();
    for args in runs {
        let out = tree.mklnk(args).output().unwrap();
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{line}: {errors:?}");
            types.push(value["type"].as_str().unwrap().to_string());
        }
    }
    for wanted in ["moved", "relinked", "journal", "summary"] {
        assert!(types.iter().any(|t| t == wanted), "no {wanted} in {types:?}");
    }
}
