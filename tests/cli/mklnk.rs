//! `mklnk`: the TCC MKLNK front-end on one name or one pair: hard links, soft links, update, query, delete,
//! descriptions, counters and exit codes.

use crate::common::{Tree, contains, non_utf8};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn a_file_gets_a_hard_link_silently() {
    let tree = Tree::new();
    tree.file("data.db", "payload");
    tree.mklnk(["data.db", "backup.db"]).assert().success().stdout("").stderr("");
    assert_eq!(tree.ino("backup.db"), tree.ino("data.db"));
}

#[test]
fn a_directory_gets_an_absolute_soft_link() {
    let tree = Tree::new();
    tree.dir("releases/v1");
    tree.mklnk(["releases/v1", "current"]).assert().success().stdout("");
    assert_eq!(tree.link_target("current"), tree.root().join("releases/v1"));
}

#[test]
fn a_file_into_an_existing_directory_keeps_its_name() {
    let tree = Tree::new();
    tree.file("a.txt", "a").dir("dst");
    tree.mklnk(["a.txt", "dst"]).assert().success();
    assert_eq!(tree.ino("dst/a.txt"), tree.ino("a.txt"));
}

#[test]
fn new_name_existing_is_an_error_and_nothing_changes() {
    let tree = Tree::new();
    tree.file("f", "1").file("g", "2").dir("d").dir("e").symlink("s", "f");
    let before = tree.snapshot();
    for (existing, new) in [("f", "g"), ("d", "e"), ("d", "g"), ("f", "s")] {
        tree.mklnk([existing, new])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("mklnk: Cannot create a file when that file already exists. \"{new}\"\n"));
    }
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn missing_source_is_not_found() {
    let tree = Tree::new();
    tree.mklnk(["nope", "x"]).assert().code(2).stderr("mklnk: The system cannot find the file specified. \"nope\"\n");
    assert!(!tree.exists("x"));
}

#[test]
fn an_existing_soft_link_is_retargeted() {
    let tree = Tree::new();
    tree.dir("v1").dir("v2");
    tree.mklnk(["v1", "current"]).assert().success();
    tree.mklnk(["--verbose", "v2", "current"]).assert().success().stdout("current -> v2 (updated)\n");
    assert_eq!(tree.link_target("current"), tree.root().join("v2"));
    assert!(tree.temporaries().is_empty());
}

#[test]
fn retargeting_never_leaves_the_name_missing() {
    let tree = Tree::new();
    tree.dir("v1").dir("v2");
    tree.mklnk(["v1", "current"]).assert().success();
    let link = tree.path("current");
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut reads = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let md = std::fs::symlink_metadata(&link).expect("the link must always exist");
                assert!(md.file_type().is_symlink(), "the name must always be a link");
                reads += 1;
            }
            reads
        })
    };
    for i in 0..60 {
        let target = if i % 2 == 0 { "v2" } else { "v1" };
        tree.mklnk([target, "current"]).assert().success();
    }
    stop.store(true, Ordering::Relaxed);
    let reads = reader.join().expect("reader saw the link missing or not a link");
    assert!(reads > 0);
    assert_eq!(tree.link_target("current"), tree.root().join("v1"));
    assert!(tree.temporaries().is_empty());
}

#[test]
fn query_prints_where_a_link_points() {
    let tree = Tree::new();
    tree.dir("d").file("f", "x");
    tree.mklnk(["d", "j"]).assert().success();
    tree.mklnk(["j"]).assert().success().stdout(format!("{}\n", tree.root().join("d").display()));
}

#[test]
fn query_on_a_plain_file_or_directory_says_it_is_not_a_link() {
    let tree = Tree::new();
    tree.dir("d").file("f", "x");
    for name in ["d", "f"] {
        tree.mklnk([name])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("mklnk: The file or directory is not a reparse point. \"{name}\"\n"));
    }
}

#[test]
fn delete_removes_a_soft_link_and_never_its_target() {
    let tree = Tree::new();
    tree.file("target/a.txt", "a").file("target/sub/b.txt", "b");
    tree.mklnk(["target", "link"]).assert().success();
    let before: Vec<_> = tree.snapshot().into_iter().filter(|(p, _)| p.starts_with("target")).collect();
    tree.mklnk(["/D", "link"]).assert().success().stdout("").stderr("");
    assert!(!tree.exists("link"));
    let after: Vec<_> = tree.snapshot().into_iter().filter(|(p, _)| p.starts_with("target")).collect();
    assert_eq!(before, after);
}

#[test]
fn delete_removes_one_name_of_a_hard_linked_file() {
    let tree = Tree::new();
    tree.file("f", "data").hardlink("g", "f");
    tree.mklnk(["/d", "g", "--verbose"]).assert().success().stdout("deleted g (1 other name remains)\n");
    assert!(!tree.exists("g"));
    assert_eq!(tree.read("f"), "data");
    assert_eq!(tree.link_count("f"), 1);
}

#[test]
fn delete_refuses_last_hard_link() {
    let tree = Tree::new();
    tree.file("only", "precious");
    let before = tree.snapshot();
    tree.mklnk(["/D", "only"])
        .assert()
        .code(2)
        .stderr("mklnk: Not deleted: this is the file's last link, and /D never deletes data. \"only\"\n");
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn delete_refuses_a_real_directory_and_a_missing_name() {
    let tree = Tree::new();
    tree.file("d/keep", "k");
    let before = tree.snapshot();
    tree.mklnk(["/D", "d"]).assert().code(2).stderr(contains("The directory is not a link"));
    tree.mklnk(["/D", "missing"]).assert().code(2).stderr(contains("The system cannot find the file specified."));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn delete_never_removes_a_swapped_in_last_link() {
    // A concurrent process keeps exchanging the name with a single-link file; whatever the timing, that file's
    // data must survive every run.
    let tree = Tree::new();
    tree.file("other", "shared").hardlink("name", "other").file("solo", "precious");
    let (name, solo) = (tree.path("name"), tree.path("solo"));
    for _ in 0..150 {
        let stop = Arc::new(AtomicBool::new(false));
        let swapper = {
            let (stop, name, solo) = (stop.clone(), name.clone(), solo.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let _ = rustix::fs::renameat_with(
                        rustix::fs::CWD,
                        &name,
                        rustix::fs::CWD,
                        &solo,
                        rustix::fs::RenameFlags::EXCHANGE,
                    );
                }
            })
        };
        let _ = tree.mklnk(["/D", "name"]).output().expect("run mklnk");
        stop.store(true, Ordering::Relaxed);
        swapper.join().unwrap();
        let survivors: Vec<String> =
            ["name", "solo"].iter().filter_map(|n| std::fs::read_to_string(tree.path(n)).ok()).collect();
        assert!(survivors.iter().any(|s| s == "precious"), "the single-link file was deleted");
        assert_eq!(tree.read("other"), "shared");
        assert!(tree.temporaries().is_empty(), "temporaries left: {:?}", tree.temporaries());
        // Put the names back in order for the next round.
        if std::fs::read_to_string(&name).is_ok_and(|s| s == "precious") {
            std::fs::rename(&name, &solo).unwrap();
        }
        if !tree.exists("name") {
            tree.hardlink("name", "other");
        }
    }
}

#[test]
fn mklnk_d_deletes_while_mklink_d_makes_a_directory_link() {
    let tree = Tree::new();
    tree.dir("d").file("f", "x").hardlink("g", "f");
    tree.mklink(["/D", "dl", "d"]).assert().success();
    assert!(tree.is_symlink("dl"));
    tree.mklnk(["/D", "dl"]).assert().success();
    assert!(!tree.exists("dl"));
    assert!(tree.exists("d"));
}

#[test]
fn descriptions_follow_the_new_link_and_leave_with_a_delete() {
    let tree = Tree::new();
    tree.dir("src").dir("dst").file("src/my file.txt", "x").file("src/b.txt", "y");
    std::fs::write(tree.path("src/DESCRIPT.ION"), b"\"my file.txt\" A memo\x04Xextra\r\nb.txt other\r\n").unwrap();
    std::fs::write(tree.path("dst/DESCRIPT.ION"), b"keep.txt kept line\n\xff raw\r\n").unwrap();
    tree.mklnk(["src/my file.txt", "dst/copy of memo.txt"]).assert().success();
    let dst = std::fs::read(tree.path("dst/DESCRIPT.ION")).unwrap();
    assert_eq!(dst, b"keep.txt kept line\n\xff raw\r\n\"copy of memo.txt\" A memo\x04Xextra\r\n".to_vec());
    // The source's file is untouched.
    assert_eq!(
        std::fs::read(tree.path("src/DESCRIPT.ION")).unwrap(),
        b"\"my file.txt\" A memo\x04Xextra\r\nb.txt other\r\n".to_vec()
    );
    tree.mklnk(["/D", "dst/copy of memo.txt"]).assert().success();
    assert_eq!(std::fs::read(tree.path("dst/DESCRIPT.ION")).unwrap(), b"keep.txt kept line\n\xff raw\r\n".to_vec());
}

#[test]
fn description_file_is_created_and_removed_with_its_last_entry() {
    let tree = Tree::new();
    tree.file("a.txt", "x").dir("out");
    std::fs::write(tree.path("DESCRIPT.ION"), b"a.txt Alpha\r\n").unwrap();
    tree.mklnk(["a.txt", "out/b.txt"]).assert().success();
    assert_eq!(std::fs::read(tree.path("out/DESCRIPT.ION")).unwrap(), b"b.txt Alpha\r\n".to_vec());
    tree.mklnk(["/D", "out/b.txt"]).assert().success();
    assert!(!tree.exists("out/DESCRIPT.ION"));
}

#[test]
fn a_failed_link_leaves_descriptions_untouched() {
    let tree = Tree::new();
    tree.file("a.txt", "x").file("taken", "t");
    std::fs::write(tree.path("DESCRIPT.ION"), b"a.txt Alpha\r\n").unwrap();
    let before = tree.snapshot();
    tree.mklnk(["a.txt", "taken"]).assert().code(2);
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn counters_summary_vars_and_json() {
    let tree = Tree::new();
    tree.file("f", "x");
    tree.mklnk(["--summary", "f", "g"]).assert().success().stdout("     1 file linked, 0 errors\n");
    tree.mklnk(["--vars", "f", "g"]).assert().code(2).stdout("_mklnk_files=0\n_mklnk_errors=1\n");
    let out = tree.mklnk(["--json", "f", "h"]).assert().success().get_output().clone();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["type"], "created");
    assert_eq!(lines[0]["kind"], "hardlink");
    assert_eq!(lines[1], serde_json::json!({"type": "summary", "_mklnk_files": 1, "_mklnk_errors": 0}));
}

#[test]
fn usage_errors_exit_one() {
    let tree = Tree::new();
    tree.mklnk(["/Z", "a", "b"]).assert().code(1).stderr("mklnk: Invalid switch \"/Z\"\n");
    tree.mklnk(["/D", "a", "b"]).assert().code(1).stderr(contains("The syntax of the command is incorrect."));
    tree.mklnk(["--nope"]).assert().code(1);
}

#[test]
fn no_arguments_without_a_terminal_is_a_usage_error() {
    let tree = Tree::new();
    tree.mklnk(Vec::<&str>::new()).write_stdin("").assert().code(1).stdout("").stderr(contains("Usage: mklnk"));
}

#[test]
fn quiet_and_verbose() {
    let tree = Tree::new();
    tree.file("f", "x");
    tree.mklnk(["--verbose", "f", "g"]).assert().success().stdout("g -> f\n");
    tree.mklnk(["/Q", "--summary", "f", "h"]).assert().success().stdout("");
    tree.mklnk(["/Q", "f", "g"]).assert().code(2).stderr(contains("already exists"));
}

#[test]
fn help_and_version() {
    let tree = Tree::new();
    tree.mklnk(["/?"]).assert().success().stdout(contains("MKLNK /D parm1"));
    tree.mklnk(["--version"]).assert().success().stdout(format!("mklnk {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn non_utf8_names_work() {
    let tree = Tree::new();
    let src = non_utf8("s");
    std::fs::write(tree.path(&src), "x").unwrap();
    let new = non_utf8("n");
    tree.mklnk([src.as_os_str(), new.as_os_str()]).assert().success();
    assert_eq!(tree.ino(&new), tree.ino(&src));
    tree.mklnk(["/D".as_ref(), new.as_os_str()]).assert().success();
    assert!(!tree.exists(&new));
    tree.mklnk(["/D".as_ref(), src.as_os_str()]).assert().code(2).stderr(contains("$'s\\xff\\xfex'"));
}

#[test]
fn dry_run_reports_and_changes_nothing() {
    let tree = Tree::new();
    tree.file("f", "x").hardlink("g", "f");
    let before = tree.snapshot();
    tree.mklnk(["--dry-run", "f", "h"]).assert().success().stdout("would link h -> f\n");
    tree.mklnk(["--dry-run", "/D", "g"]).assert().success().stdout("would delete g (1 other name remains)\n");
    assert_eq!(tree.snapshot(), before);
    let _ = Path::new("");
}

#[test]
fn a_description_that_cannot_be_written_is_a_warning_and_the_link_stays() {
    let tree = Tree::new();
    tree.file("a.txt", "x").dir("out/DESCRIPT.ION");
    std::fs::write(tree.path("DESCRIPT.ION"), b"a.txt Alpha\r\n").unwrap();
    tree.mklnk(["a.txt", "out/b.txt"])
        .assert()
        .success()
        .stderr(contains("warning: the link is done, but its line in DESCRIPT.ION was not updated"));
    assert_eq!(tree.ino("out/b.txt"), tree.ino("a.txt"));
    assert!(tree.temporaries().is_empty());
}
