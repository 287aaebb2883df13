//! `DESCRIPT.ION` handling against a hostile user and under load (issue 15): a description file that is a link,
//! a FIFO or a device is never read, written through or replaced; a batch reads each source file once and writes
//! the destination once; concurrent writers keep every line; a rewrite keeps owner, group and mode; names match
//! by case as the file system does; an interrupted or killed run leaves no temporary for long.

use crate::common::{Held, Tree, contains, require_root};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::Duration;

/// Long enough for any run here; only a run that hangs (the failure being tested) ever reaches it.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn description_temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".DESCRIPT.ION.") || n.starts_with(".mklink-"))
        .collect()
}

fn nobody() -> (u32, u32) {
    let id = |flag: &str| {
        let out = StdCommand::new("id").arg(flag).arg("nobody").output().expect("id");
        String::from_utf8_lossy(&out.stdout).trim().parse::<u32>().expect("numeric id")
    };
    (id("-u"), id("-g"))
}

#[test]
fn a_description_file_linked_to_a_secret_is_never_copied() {
    // Failure 1 of issue 15: the source's DESCRIPT.ION was read following links, so a user's link to a
    // root-only file had root copy the secret into a world-readable description.
    let tree = Tree::new();
    tree.file("secret", "apikey TOPSECRET-7f3a\r\n").file("u/src/apikey", "k").dir("u/dst");
    fs::set_permissions(tree.path("secret"), fs::Permissions::from_mode(0o600)).expect("chmod");
    tree.symlink("u/src/DESCRIPT.ION", tree.path("secret"));
    tree.mklnk(["u/src/apikey", "u/dst/copy"])
        .timeout(HANG_GUARD)
        .assert()
        .success()
        .stderr(contains("warning: the link is done, but its line in DESCRIPT.ION was not updated"))
        .stderr(contains("is a symbolic link, not a regular file; it was left alone"));
    assert_eq!(tree.ino("u/dst/copy"), tree.ino("u/src/apikey"));
    assert!(!tree.exists("u/dst/DESCRIPT.ION"));
    // A batch neither.
    tree.mklnk(["u/src/*", "u/dst"]).timeout(HANG_GUARD).assert().success();
    for (path, snap) in tree.snapshot() {
        if let crate::common::Snap::File { content, .. } = snap {
            let leaked = String::from_utf8_lossy(&content).contains("TOPSECRET") && path != Path::new("secret");
            assert!(!leaked, "the secret was copied into {path:?}");
        }
    }
    assert_eq!(tree.read("secret"), "apikey TOPSECRET-7f3a\r\n");
}

#[test]
fn a_description_fifo_neither_hangs_a_run_nor_is_replaced() {
    // Failure 2 of issue 15: opening a FIFO named DESCRIPT.ION blocked `mklnk a b` forever.
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/b", "b").file("other/z", "z").dir("dst");
    fs::write(tree.path("other/DESCRIPT.ION"), b"z Zed\r\n").expect("write");
    let fifo = tree.path("src/DESCRIPT.ION");
    assert!(StdCommand::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let refused = "is a FIFO, device or socket, not a regular file; it was left alone";
    tree.mklnk(["src/a", "dst/a"]).timeout(HANG_GUARD).assert().success().stderr(contains(refused));
    tree.mklnk(["src/b*", "dst"]).timeout(HANG_GUARD).assert().success().stderr(contains(refused));
    // The FIFO as the file to rewrite: left alone, not replaced, no temporary.
    tree.mklnk(["other/z", "src/z"]).timeout(HANG_GUARD).assert().success().stderr(contains(refused));
    tree.mklnk(["/D", "src/z"]).timeout(HANG_GUARD).assert().success().stderr(contains(refused));
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&fs::symlink_metadata(&fifo).expect("fifo").file_type()));
    assert!(!tree.exists("dst/DESCRIPT.ION"));
    assert!(tree.temporaries().is_empty());
}

#[test]
fn a_description_file_that_is_a_device_is_never_read() {
    // Failure 2 of issue 15: a DESCRIPT.ION linked to /dev/zero grew memory by a gigabyte a second. Refused
    // before any read: as a link (never followed) and as a device node itself (never even opened).
    if !require_root("makes a device node") {
        return;
    }
    let tree = Tree::new();
    tree.file("l/a", "a").file("d/a", "a").file("s/x", "x").dir("dst");
    fs::write(tree.path("s/DESCRIPT.ION"), b"x Ex\r\n").expect("write");
    tree.symlink("l/DESCRIPT.ION", "/dev/zero");
    let device = tree.path("d/DESCRIPT.ION");
    assert!(StdCommand::new("mknod").arg(&device).args(["c", "1", "5"]).status().expect("mknod").success());
    let link_refused = "is a symbolic link, not a regular file; it was left alone";
    let device_refused = "is a FIFO, device or socket, not a regular file; it was left alone";
    tree.mklnk(["l/a", "dst/from-link"]).timeout(HANG_GUARD).assert().success().stderr(contains(link_refused));
    tree.mklnk(["d/a", "dst/from-device"]).timeout(HANG_GUARD).assert().success().stderr(contains(device_refused));
    assert!(!tree.exists("dst/DESCRIPT.ION"));
    // As the file to rewrite: neither written through nor replaced.
    tree.mklnk(["s/x", "l/x"]).timeout(HANG_GUARD).assert().success().stderr(contains(link_refused));
    tree.mklnk(["s/x", "d/x"]).timeout(HANG_GUARD).assert().success().stderr(contains(device_refused));
    assert_eq!(tree.link_target("l/DESCRIPT.ION"), Path::new("/dev/zero"));
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(&fs::symlink_metadata(&device).expect("dev").file_type()));
    assert!(tree.temporaries().is_empty());
}

#[test]
fn a_batch_writes_the_destination_file_once_for_literal_names_lists_and_wildcards() {
    // Failure 3 of issue 15: every literal name rewrote and fsynced the destination's file, and each link
    // rescanned the source's; now a batch gathers everything and rewrites once at its end.
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/b", "b").file("src/c", "c").file("other/x1.txt", "x").file("other/x2.txt", "y");
    fs::write(tree.path("src/DESCRIPT.ION"), b"a Alpha\r\nb Beta\r\nc Gamma\r\n").expect("write");
    fs::write(tree.path("other/DESCRIPT.ION"), b"x1.txt first x\r\nx2.txt second x\r\n").expect("write");
    tree.dir("dst");
    fs::write(tree.path("dst/DESCRIPT.ION"), b"kept line\r\nb old beta\r\n").expect("write");
    let held = Held::start(&tree, "mklnk", &["src/a", "src/b;c", "other/x*.txt", "dst"], "descriptions-before-rename");
    let released = held.release();
    let (code, err, again) = (released.code, released.stderr, released.passed_again);
    assert_eq!(code, 0, "{err}");
    assert!(!again, "the destination's description file was rewritten more than once");
    assert_eq!(
        tree.read("dst/DESCRIPT.ION"),
        "kept line\r\na Alpha\r\nb Beta\r\nc Gamma\r\nx1.txt first x\r\nx2.txt second x\r\n"
    );
    assert!(description_temporaries(&tree.path("dst")).is_empty());
}

#[test]
fn twenty_batches_at_once_into_one_directory_keep_every_line() {
    // Failure 4 of issue 15: 20 concurrent batches made every link but kept 1,500 of 10,000 lines.
    const BATCHES: usize = 20;
    const FILES: usize = 50;
    let tree = Tree::new();
    tree.dir("dst");
    fs::write(tree.path("dst/DESCRIPT.ION"), b"\"already here\" an old line\r\n").expect("write");
    for b in 0..BATCHES {
        let mut text = String::new();
        for f in 0..FILES {
            tree.file(format!("s{b}/f{b}_{f}"), "x");
            text.push_str(&format!("f{b}_{f} file {f} of batch {b}\r\n"));
        }
        fs::write(tree.path(format!("s{b}/DESCRIPT.ION")), text).expect("write");
    }
    let children: Vec<Child> = (0..BATCHES)
        .map(|b| {
            StdCommand::new(assert_cmd::cargo::cargo_bin("mklnk"))
                .current_dir(tree.root())
                .args([format!("s{b}/f*"), "dst".to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let text = tree.read("dst/DESCRIPT.ION");
    assert_eq!(text.lines().count(), 1 + BATCHES * FILES);
    assert!(text.starts_with("\"already here\" an old line\r\n"));
    for b in 0..BATCHES {
        for f in 0..FILES {
            assert!(text.contains(&format!("f{b}_{f} file {f} of batch {b}\r\n")), "lost f{b}_{f}");
        }
    }
    assert!(description_temporaries(&tree.path("dst")).is_empty());
}

#[test]
fn a_rewrite_by_root_keeps_a_users_private_file_as_it_was_owned() {
    // Failure 5 of issue 15: root rewriting a user's 0600 DESCRIPT.ION left it owned by root, and the temporary
    // was 0644 while the private text was written.
    if !require_root("gives a file to nobody") {
        return;
    }
    let (uid, gid) = nobody();
    let tree = Tree::new();
    tree.file("src/a", "a").dir("dst");
    fs::write(tree.path("src/DESCRIPT.ION"), b"a private note\r\n").expect("write");
    let file = tree.path("dst/DESCRIPT.ION");
    fs::write(&file, b"mine my own line\r\n").expect("write");
    std::os::unix::fs::chown(&file, Some(uid), Some(gid)).expect("chown");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).expect("chmod");
    let held = Held::start(&tree, "mklnk", &["src/a", "dst/b"], "descriptions-before-rename");
    // The temporary, text written and about to be renamed, already has the owner, group and mode.
    let temps = description_temporaries(&tree.path("dst"));
    assert_eq!(temps.len(), 1, "{temps:?}");
    let temp = fs::symlink_metadata(tree.path("dst").join(&temps[0])).expect("temporary");
    assert_eq!((temp.uid(), temp.gid(), temp.mode() & 0o7777), (uid, gid, 0o600));
    let released = held.release();
    let (code, err) = (released.code, released.stderr);
    assert_eq!(code, 0, "{err}");
    let meta = fs::symlink_metadata(&file).expect("stat");
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (uid, gid, 0o600));
    assert_eq!(tree.read("dst/DESCRIPT.ION"), "mine my own line\r\nb private note\r\n");
}

#[test]
fn a_rewrite_that_cannot_keep_the_owner_leaves_the_file_untouched() {
    // A user may not give a file to root: the original stays as it was and a warning says why.
    if !require_root("runs mklnk as the user nobody") {
        return;
    }
    let (uid, gid) = nobody();
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/c", "c").dir("dst");
    fs::write(tree.path("src/DESCRIPT.ION"), b"a Alpha\r\nc Gamma\r\n").expect("write");
    fs::write(tree.path("dst/DESCRIPT.ION"), b"root root's line\r\n").expect("write");
    for path in ["src", "src/a", "src/c", "dst"] {
        std::os::unix::fs::chown(tree.path(path), Some(uid), Some(gid)).expect("chown");
    }
    let before = fs::read(tree.path("dst/DESCRIPT.ION")).expect("read");
    tree.as_nobody("mklnk", ["src/a", "dst/b"])
        .timeout(HANG_GUARD)
        .assert()
        .success()
        .stderr(contains("cannot be rewritten keeping its owner and group (uid 0, gid 0)"))
        .stderr(contains("it was left alone"));
    assert_eq!(tree.ino("dst/b"), tree.ino("src/a"));
    let meta = fs::symlink_metadata(tree.path("dst/DESCRIPT.ION")).expect("stat");
    assert_eq!((meta.uid(), meta.mode() & 0o7777), (0, 0o644));
    assert_eq!(fs::read(tree.path("dst/DESCRIPT.ION")).expect("read"), before);
    assert!(description_temporaries(&tree.path("dst")).is_empty());
    // The user's own file is rewritten, keeping its mode.
    std::os::unix::fs::chown(tree.path("dst/DESCRIPT.ION"), Some(uid), Some(gid)).expect("chown");
    fs::set_permissions(tree.path("dst/DESCRIPT.ION"), fs::Permissions::from_mode(0o640)).expect("chmod");
    tree.as_nobody("mklnk", ["src/c", "dst/d"]).timeout(HANG_GUARD).assert().success().stderr("");
    let meta = fs::symlink_metadata(tree.path("dst/DESCRIPT.ION")).expect("stat");
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (uid, gid, 0o640));
    assert_eq!(tree.read("dst/DESCRIPT.ION"), "root root's line\r\nd Gamma\r\n");
}

#[test]
fn names_differing_in_case_are_separate_entries_on_a_case_sensitive_system() {
    // Failure 6 of issue 15: `mklnk /D report` deleted the description of the separate file `Report`, and
    // `mklnk data rEPORT` replaced it.
    if mklink::platform::CASE_INSENSITIVE_NAMES {
        eprintln!("this system's file names ignore case: `Report` and `report` are one file and one entry");
        return;
    }
    let tree = Tree::new();
    tree.file("Report", "the big one").file("data", "d").hardlink("report", "data");
    fs::write(tree.path("DESCRIPT.ION"), b"Report the big one\r\nreport a small one\r\ndata some data\r\n").unwrap();
    tree.mklnk(["/D", "report"]).assert().success();
    assert_eq!(tree.read("DESCRIPT.ION"), "Report the big one\r\ndata some data\r\n");
    tree.mklnk(["data", "rEPORT"]).assert().success();
    assert_eq!(tree.read("DESCRIPT.ION"), "Report the big one\r\ndata some data\r\nrEPORT some data\r\n");
    // A source is looked up exactly too: `DATA` has no description.
    tree.hardlink("DATA", "data");
    tree.mklnk(["DATA", "copy"]).assert().success();
    assert!(!tree.read("DESCRIPT.ION").contains("copy"));
}

#[test]
fn a_lower_case_description_file_is_used_and_none_is_made_beside_it() {
    let tree = Tree::new();
    tree.file("src/a", "a").dir("dst");
    fs::write(tree.path("src/descript.ion"), b"a from lower case\r\n").expect("write");
    fs::write(tree.path("dst/descript.ion"), b"old line\r\n").expect("write");
    tree.mklnk(["src/a", "dst/b"]).assert().success();
    assert_eq!(tree.read("dst/descript.ion"), "old line\r\nb from lower case\r\n");
    assert!(!tree.exists("dst/DESCRIPT.ION"));
    // A lower-case name that is a link is left alone, and no DESCRIPT.ION is made beside it.
    tree.dir("other").file("elsewhere", "x desc\r\n").symlink("other/descript.ion", "../elsewhere");
    tree.mklnk(["src/a", "other/c"]).assert().success().stderr(contains("is a symbolic link"));
    assert!(!tree.exists("other/DESCRIPT.ION"));
    assert_eq!(tree.read("elsewhere"), "x desc\r\n");
}

#[test]
fn an_interrupt_during_the_rewrite_finishes_it_and_reports_every_link() {
    // An interrupted run used to leave `.DESCRIPT.ION.<pid>.*.tmp` behind. The first SIGINT, SIGTERM or SIGHUP
    // lets the rewrite finish (no temporary stays), and every link made was reported before the summary.
    for signal in ["INT", "TERM", "HUP"] {
        let tree = Tree::new();
        tree.file("src/a.txt", "a").file("src/b.txt", "b").file("src/c.txt", "c").dir("dst");
        fs::write(tree.path("src/DESCRIPT.ION"), b"a.txt A\r\nb.txt B\r\nc.txt C\r\n").expect("write");
        let held = Held::start(&tree, "mklnk", &["--json", "src/*.txt", "dst"], "descriptions-before-rename");
        assert_eq!(description_temporaries(&tree.path("dst")).len(), 1);
        held.signal(signal);
        std::thread::sleep(Duration::from_millis(100));
        let released = held.release();
        let (out, err) = (released.stdout, released.stderr);
        assert!(err.is_empty(), "{signal}: {err}");
        assert!(description_temporaries(&tree.path("dst")).is_empty(), "{signal}: a temporary was left");
        let mut written: Vec<String> = tree.read("dst/DESCRIPT.ION").split_inclusive('\n').map(String::from).collect();
        written.sort();
        assert_eq!(written, ["a.txt A\r\n", "b.txt B\r\n", "c.txt C\r\n"], "{signal}");
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
        let (last, items) = lines.split_last().expect("summary");
        assert_eq!(last["type"], "summary", "{signal}: {out}");
        assert_eq!(last["_mklnk_files"], 3);
        assert_eq!(items.iter().filter(|v| v["type"] == "created").count(), 3, "{signal}: {out}");
    }
}

#[test]
fn a_temporary_left_by_a_killed_run_is_removed_by_the_next_run_once_its_process_ended() {
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/b", "b").dir("dst");
    fs::write(tree.path("src/DESCRIPT.ION"), b"a A\r\nb B\r\n").expect("write");
    let mut held = Held::start(&tree, "mklnk", &["src/a", "dst/a"], "descriptions-before-rename");
    held.child.kill().expect("SIGKILL");
    held.child.wait().expect("wait");
    let left = description_temporaries(&tree.path("dst"));
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".DESCRIPT.ION.mklink-"), "{left:?}");
    // A temporary of a process that still runs (this test) is not touched.
    let running = format!(".DESCRIPT.ION.mklink-{:x}-0-1.tmp", std::process::id());
    fs::write(tree.path("dst").join(&running), b"in progress").expect("write");
    tree.mklnk(["src/b", "dst/b"]).assert().success();
    assert_eq!(description_temporaries(&tree.path("dst")), [running]);
    assert_eq!(tree.read("dst/DESCRIPT.ION"), "b B\r\n");
}
