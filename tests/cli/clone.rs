//! `--clone` and `--snapshot`: links re-pointed into the copy, hard links sharing SOURCE's inodes, directory
//! metadata kept, SOURCE untouched, refusals up front (DEST exists, another device), the link limit with both
//! policies, an unprivileged user, references reused by a snapshot, and the JSON shapes.

use crate::common::{Snap, Tree, contains};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command as StdCommand;

/// A tree with every kind of link a clone must re-point or keep.
fn links_tree(tree: &Tree) {
    let abs = tree.path("src");
    tree.file("src/top.txt", "top").file("src/a/f.txt", "f").dir("src/a/b/c");
    tree.symlink("src/a/rel", "../top.txt")
        .symlink("src/a/abs", abs.join("top.txt"))
        .symlink("src/a/climb", "../../src/top.txt")
        .symlink("src/a/b/c/deep", "../../../a/f.txt")
        .symlink("src/chain1", "chain2")
        .symlink("src/chain2", "a/rel")
        .symlink("src/loop1", "loop2")
        .symlink("src/loop2", "loop1")
        .symlink("src/dangling", "missing.txt")
        .symlink("src/outside_abs", tree.path("outer.txt"))
        .symlink("src/outside_rel", "../outer.txt")
        .symlink("src/dirlink", "a/b")
        .symlink("src/self", abs.clone());
    tree.file("outer.txt", "outside");
    tree.dir("out");
}

#[test]
fn clone_repoints_inner_links_and_keeps_outer_ones() {
    let tree = Tree::new();
    links_tree(&tree);
    let before = tree.snapshot();
    tree.mklnk(["--clone", "src", "out/dst"]).assert().success().stdout(contains("Cloned \"src\" to \"out/dst\""));
    let dst = tree.path("out/dst");
    let target = |rel: &str| tree.link_target(Path::new("out/dst").join(rel)).to_string_lossy().into_owned();
    // Relative links that stay inside keep their text; one climbing out and back in is rewritten.
    assert_eq!(target("a/rel"), "../top.txt");
    assert_eq!(target("a/b/c/deep"), "../../../a/f.txt");
    assert_eq!(target("a/climb"), "../top.txt");
    // Absolute links into SOURCE are rebased onto DEST's absolute path.
    let real_dst = fs::canonicalize(&dst).unwrap();
    assert_eq!(target("a/abs"), real_dst.join("top.txt").to_string_lossy());
    assert_eq!(target("self"), real_dst.to_string_lossy());
    // Chains, loops and dangling links are re-created as they are.
    assert_eq!((target("chain1"), target("chain2")), ("chain2".into(), "a/rel".into()));
    assert_eq!((target("loop1"), target("loop2")), ("loop2".into(), "loop1".into()));
    assert_eq!(target("dangling"), "missing.txt");
    // Outside links reach the same outside file from DEST.
    assert_eq!(target("outside_abs"), tree.path("outer.txt").to_string_lossy());
    assert_eq!(target("outside_rel"), "../../outer.txt");
    assert_eq!(fs::read_to_string(dst.join("outside_rel")).unwrap(), "outside");
    // Every inner link resolves inside DEST, to a name of SOURCE's file.
    for (link, file) in [("a/rel", "top.txt"), ("a/abs", "top.txt"), ("a/climb", "top.txt"), ("chain1", "top.txt")] {
        let resolved = fs::canonicalize(dst.join(link)).unwrap();
        assert_eq!(resolved, real_dst.join(file), "{link}");
        assert_eq!(fs::metadata(&resolved).unwrap().ino(), tree.ino(Path::new("src").join(file)));
    }
    assert_eq!(fs::canonicalize(dst.join("dirlink")).unwrap(), real_dst.join("a/b"));
    assert!(tree.is_symlink("out/dst/dirlink"), "a link to a directory is never descended into");
    // SOURCE is exactly as it was (link counts aside: its files gained names), and nothing temporary is left.
    let after: Vec<_> = tree.snapshot().into_iter().filter(|(p, _)| p.starts_with("src")).collect();
    let unchanged_but_counts = |s: &Snap| match s {
        Snap::File { content, ino, .. } => Snap::File { content: content.clone(), nlink: 0, ino: *ino },
        other => other.clone(),
    };
    let before: Vec<_> = before
        .iter()
        .filter(|(p, _)| p.starts_with("src"))
        .map(|(p, s)| (p.clone(), unchanged_but_counts(s)))
        .collect();
    let after: Vec<_> = after.iter().map(|(p, s)| (p.clone(), unchanged_but_counts(s))).collect();
    assert_eq!(before, after);
    assert!(tree.temporaries().is_empty(), "{:?}", tree.temporaries());
}

#[test]
fn clone_counts_dangling_and_outside_links_in_its_summary() {
    let tree = Tree::new();
    links_tree(&tree);
    tree.mklnk(["--clone", "src", "out/dst"])
        .assert()
        .success()
        .stdout(contains("13 symbolic links (3 re-pointed, 2 outside, 3 dangling)"));
}

#[test]
fn outer_links_can_be_dropped_or_followed() {
    let tree = Tree::new();
    links_tree(&tree);
    tree.mklnk(["--clone", "src", "out/drop", "--outer", "drop"]).assert().success().stdout(contains("2 dropped"));
    assert!(!tree.exists("out/drop/outside_abs") && !tree.exists("out/drop/outside_rel"));
    assert!(tree.is_symlink("out/drop/a/rel"));
    tree.mklink(["--clone", "src", "out/follow", "--outer=follow"]).assert().success().stdout(contains("2 followed"));
    assert!(!tree.is_symlink("out/follow/outside_abs"));
    assert_eq!(tree.ino("out/follow/outside_abs"), tree.ino("outer.txt"));
    assert_eq!(tree.ino("out/follow/outside_rel"), tree.ino("outer.txt"));
}

#[test]
fn clone_hard_links_every_file_and_keeps_directory_metadata() {
    let tree = Tree::new();
    tree.file("src/x", "x").file("src/d/y", "y").dir("src/ro/inner").file("src/ro/inner/z", "z");
    tree.hardlink("src/d/x2", "src/x");
    fs::set_permissions(tree.path("src/ro"), fs::Permissions::from_mode(0o555)).unwrap();
    fs::set_permissions(tree.path("src/d"), fs::Permissions::from_mode(0o1750)).unwrap();
    let old = filetime(tree.path("src/d"), 1_500_000_000);
    filetime(tree.path("src/ro"), 1_400_000_000);
    tree.mklnk(["--clone", "src", "dst"]).assert().success();
    for f in ["x", "d/y", "d/x2", "ro/inner/z"] {
        assert_eq!(tree.ino(Path::new("dst").join(f)), tree.ino(Path::new("src").join(f)), "{f}");
    }
    assert_eq!(tree.ino("dst/d/x2"), tree.ino("dst/x"));
    for (d, mode, mtime) in [("d", 0o1750, old), ("ro", 0o555, 1_400_000_000)] {
        let md = fs::symlink_metadata(tree.path("dst").join(d)).unwrap();
        assert_eq!(md.mode() & 0o7777, mode, "{d}");
        assert_eq!(md.mtime(), mtime, "{d}");
    }
}

fn filetime(path: std::path::PathBuf, secs: i64) -> i64 {
    let status = StdCommand::new("touch").arg("-h").arg("-d").arg(format!("@{secs}")).arg(&path).status().unwrap();
    assert!(status.success());
    secs
}

#[test]
fn clone_copies_user_extended_attributes_of_directories() {
    let tree = Tree::new();
    tree.dir("src/d");
    let flags = rustix::fs::XattrFlags::empty();
    rustix::fs::setxattr(tree.path("src/d"), "user.note", b"kept", flags).expect("user attributes (ext4, tmpfs)");
    tree.mklnk(["--clone", "src", "dst"]).assert().success();
    let mut value = [0u8; 16];
    let n = rustix::fs::getxattr(tree.path("dst/d"), "user.note", &mut value[..]).expect("copied attribute");
    assert_eq!(&value[..n], b"kept");
}

#[test]
fn clone_refuses_an_existing_dest_before_doing_anything() {
    let tree = Tree::new();
    tree.file("src/a", "a").dir("dst").symlink("dangling_dst", "nowhere");
    let before = tree.snapshot();
    for dest in ["dst", "dangling_dst", "src/a"] {
        tree.mklnk(["--clone", "src", dest])
            .assert()
            .code(2)
            .stderr(format!("mklnk: Cannot create a file when that file already exists. \"{dest}\"\n"));
    }
    tree.mklink(["--clone", "src", "dst"])
        .assert()
        .code(1)
        .stderr("mklink: Cannot create a file when that file already exists. \"dst\"\n");
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn clone_refuses_another_device() {
    let mut tree = Tree::new();
    tree.file("src/a", "a");
    tree.mount_tmpfs("mnt", "size=1m");
    let before = tree.snapshot();
    tree.mklnk(["--clone", "src", "mnt/dst"])
        .assert()
        .code(2)
        .stderr("mklnk: The system cannot move the file to a different disk drive. \"mnt/dst\"\n");
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn clone_dry_run_prints_the_plan_and_changes_nothing() {
    let tree = Tree::new();
    links_tree(&tree);
    let before = tree.snapshot();
    tree.mklnk(["--clone", "--dry-run", "src", "out/dst"])
        .assert()
        .success()
        .stdout(contains("would make hard link out/dst/top.txt\n"))
        .stdout(contains("would make symbolic link out/dst/a/climb -> ../top.txt (was ../../src/top.txt)"))
        .stdout(contains("Would clone \"src\" to \"out/dst\": 4 directories, 2 hard links"));
    assert_eq!(tree.snapshot(), before);
}

/// An ext4 image with a file at its link limit: `e/src/f` has 65,000 names (the others in `e/links`).
fn full_file(tree: &mut Tree) {
    let image = tree.path("ext4.img");
    fs::File::create(&image).unwrap().set_len(16 << 20).unwrap();
    let out = StdCommand::new("mkfs.ext4").args(["-q", "-F", "-N", "64"]).arg(&image).output().expect("mkfs.ext4");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mnt = tree.mount_loop("ext4.img", "e");
    fs::create_dir_all(mnt.join("src")).unwrap();
    fs::write(mnt.join("src/f"), "full").unwrap();
    fs::write(mnt.join("src/g"), "free").unwrap();
    fs::create_dir(mnt.join("links")).unwrap();
    let mut n = 0;
    while fs::hard_link(mnt.join("src/f"), mnt.join(format!("links/{n}"))).is_ok() {
        n += 1;
    }
    assert!(n > 1000, "the link limit was reached too early ({n})");
}

#[test]
fn clone_at_the_link_limit_fails_or_copies_as_asked() {
    let mut tree = Tree::new();
    full_file(&mut tree);
    let message = "An attempt was made to create more links on a file than the file system supports.";
    // A plan foresees it: the file already has as many names as ext4 allows.
    tree.mklnk(["--clone", "--dry-run", "e/src", "e/dst"])
        .assert()
        .code(2)
        .stdout(contains("would make hard link e/dst/g\n"))
        .stderr(format!("mklnk: would fail: {message} \"e/dst/f\"\n"));
    tree.mklnk(["--clone", "--dry-run", "--link-limit=copy", "e/src", "e/dst"])
        .assert()
        .success()
        .stdout(contains("would make copy e/dst/f (the file has as many links as its file system allows)\n"))
        .stdout(contains("1 hard link, 1 copied"));
    assert!(!tree.exists("e/dst") && tree.temporaries().is_empty());
    tree.mklnk(["--clone", "e/src", "e/dst"])
        .assert()
        .code(2)
        .stderr(contains(&format!("mklnk: {message} \"e/dst/f\"\n")))
        .stderr(contains("mklnk: nothing was published at \"e/dst\"; the partial tree was removed\n"));
    assert!(!tree.exists("e/dst"));
    assert!(tree.temporaries().is_empty(), "{:?}", tree.temporaries());
    tree.mklnk(["--clone", "e/src", "e/dst", "--link-limit", "copy", "--verbose"])
        .assert()
        .success()
        .stdout(contains("copy e/dst/f (the file has as many links as its file system allows)"))
        .stdout(contains("1 hard link, 1 copied"));
    assert_eq!(tree.read("e/dst/f"), "full");
    assert_ne!(tree.ino("e/dst/f"), tree.ino("e/src/f"));
    assert_eq!(tree.ino("e/dst/g"), tree.ino("e/src/g"));
}

#[test]
fn clone_as_an_unprivileged_user_keeps_modes_and_skips_devices_with_a_warning() {
    let tree = Tree::new();
    tree.file("src/a", "a").dir("src/ro").file("src/ro/b", "b").dir("out");
    let mknod = StdCommand::new("mknod").arg(tree.path("src/null")).args(["c", "1", "3"]).status().unwrap();
    assert!(mknod.success());
    StdCommand::new("mkfifo").arg(tree.path("src/pipe")).status().unwrap();
    // The user's own files: Linux lets no one else hard-link them (fs.protected_hardlinks).
    StdCommand::new("chown").args(["-R", "nobody"]).arg(tree.path("src")).arg(tree.path("out")).status().unwrap();
    fs::set_permissions(tree.path("src/ro"), fs::Permissions::from_mode(0o555)).unwrap();
    let before = tree.snapshot();
    tree.as_nobody("mklnk", ["--clone", "src", "out/dst"])
        .assert()
        .success()
        .stderr(contains("warning: left out or copied without all its properties: Access is denied. \"out/dst/null\""));
    assert!(!tree.exists("out/dst/null"));
    assert_eq!(fs::symlink_metadata(tree.path("out/dst/pipe")).unwrap().mode() & 0o170000, 0o010000);
    let ro = fs::symlink_metadata(tree.path("out/dst/ro")).unwrap();
    assert_eq!(ro.mode() & 0o7777, 0o555);
    assert_eq!(tree.ino("out/dst/ro/b"), tree.ino("src/ro/b"));
    // As root the device is re-created, and owners are copied.
    StdCommand::new("chown").arg("daemon").arg(tree.path("src/ro")).status().unwrap();
    tree.mklnk(["--clone", "src", "dst-root"]).assert().success();
    let daemon = fs::symlink_metadata(tree.path("src/ro")).unwrap().uid();
    assert_eq!(fs::symlink_metadata(tree.path("dst-root/ro")).unwrap().uid(), daemon);
    let dev = fs::symlink_metadata(tree.path("dst-root/null")).unwrap();
    assert_eq!(dev.rdev(), fs::symlink_metadata(tree.path("src/null")).unwrap().rdev());
    let before_src: Vec<_> = before.into_iter().filter(|(p, _)| p.starts_with("src")).map(|(p, _)| p).collect();
    let after_src: Vec<_> = tree.snapshot().into_keys().filter(|p| p.starts_with("src")).collect();
    assert_eq!(before_src, after_src);
}

#[test]
fn an_unprivileged_clone_of_an_unreadable_directory_publishes_nothing() {
    let tree = Tree::new();
    tree.file("src/a", "a").dir("src/secret").file("src/secret/s", "s").dir("out");
    fs::set_permissions(tree.path("src/secret"), fs::Permissions::from_mode(0o700)).unwrap();
    StdCommand::new("chown").arg("nobody").arg(tree.path("out")).status().unwrap();
    tree.as_nobody("mklnk", ["--clone", "src", "out/dst"])
        .assert()
        .code(2)
        .stderr(contains("mklnk: Access is denied. \"src/secret\""))
        .stdout(contains("Failed to clone \"src\" to \"out/dst\""))
        .stderr(contains("nothing was published at \"out/dst\"; the partial tree was removed"));
    assert!(!tree.exists("out/dst"));
    assert!(fs::read_dir(tree.path("out")).unwrap().next().is_none(), "no partial tree is left");
}

#[test]
fn the_readme_example_of_tree_copies_runs_as_written() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let from = readme.find("## Whole trees: clone and snapshot").expect("README section");
    let rest = &readme[from..];
    let start = rest.find("```sh\n").expect("a sh block") + 6;
    let block = &rest[start..start + rest[start..].find("```").expect("block end")];
    let tree = Tree::new();
    let bin = crate::common::binary("mklnk");
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let out =
        StdCommand::new("sh").args(["-e", "-c", block]).current_dir(tree.root()).env("PATH", path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("{}\n", tree.path("project-copy/src/main.rs").display())), "{stdout}");
    assert!(stdout.contains("refused: a tree copy never merges"), "{stdout}");
    let rebased = fs::canonicalize(tree.path("backups/tuesday")).unwrap().join("src/main.rs");
    assert_eq!(tree.link_target("backups/tuesday/entry.rs"), rebased);
    assert_ne!(tree.ino("backups/tuesday/src/main.rs"), tree.ino("backups/monday/src/main.rs"));
}

#[test]
fn a_dest_inside_the_source_is_never_copied_into_itself() {
    let tree = Tree::new();
    tree.file("src/a", "a").dir("src/d");
    tree.mklnk(["--clone", "src", "src/d/copy"]).assert().success();
    assert_eq!(tree.ino("src/d/copy/a"), tree.ino("src/a"));
    assert!(tree.exists("src/d/copy/d") && !tree.exists("src/d/copy/d/copy"));
}

#[test]
fn both_commands_explain_the_tree_copies() {
    let tree = Tree::new();
    tree.mklnk(["--clone", "--help"]).assert().success().stdout(contains("--outer keep|drop|follow"));
    tree.mklink(["--snapshot", "--help"]).assert().success().stdout(contains("--ref DIR"));
    tree.mklnk(["/?"]).assert().success().stdout(contains("--clone SOURCE DEST"));
    tree.mklnk(["--clone", "a"]).assert().code(1).stderr(contains("Usage: mklnk --clone SOURCE DEST"));
}
