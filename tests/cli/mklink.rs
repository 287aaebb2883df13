//! `mklink`: the cmd MKLINK front-end, every success line and every row of the error table.

use crate::common::{Snap, Tree, contains, non_utf8};
use std::path::Path;

const EXISTS: &str = "Cannot create a file when that file already exists.\n";
const SYNTAX: &str = "The syntax of the command is incorrect.\n";

fn fails_unchanged(tree: &Tree, args: &[&str], message: &str) {
    let before = tree.snapshot();
    tree.mklink(args).assert().code(1).stdout("").stderr(message.to_string());
    assert_eq!(tree.snapshot(), before, "the tree changed after a refusal");
}

#[test]
fn file_symlink_stores_target_as_typed() {
    let tree = Tree::new();
    tree.dir("docs").file("docs/notes.txt", "n").dir("sub");
    tree.mklink(["sub/notes", "../docs/notes.txt"])
        .assert()
        .success()
        .stdout("symbolic link created for sub/notes <<===>> ../docs/notes.txt\n")
        .stderr("");
    assert_eq!(tree.link_target("sub/notes"), Path::new("../docs/notes.txt"));
    assert_eq!(tree.read("sub/notes"), "n");
}

#[test]
fn dir_symlink_with_d() {
    let tree = Tree::new();
    tree.dir("d");
    tree.mklink(["/D", "l", "d"]).assert().success().stdout("symbolic link created for l <<===>> d\n");
    assert_eq!(tree.link_target("l"), Path::new("d"));
}

#[test]
fn hard_link_with_h_shares_the_file() {
    let tree = Tree::new();
    tree.file("f", "data");
    tree.mklink(["/H", "h", "f"]).assert().success().stdout("Hardlink created for h <<===>> f\n");
    assert_eq!(tree.ino("h"), tree.ino("f"));
    assert_eq!(tree.link_count("f"), 2);
}

#[test]
fn junction_stores_absolute_normalised_target_and_echoes_it_as_typed() {
    let tree = Tree::new();
    tree.dir("d").dir("sub");
    tree.mklink(["/J", "sub/j", "./sub/../d"])
        .assert()
        .success()
        .stdout("Junction created for sub/j <<===>> ./sub/../d\n");
    // Resolved against the current directory, not the link's directory.
    let stored = tree.link_target("sub/j");
    assert!(stored.is_absolute());
    assert_eq!(stored, tree.root().join("d"));
}

#[test]
fn junction_to_a_missing_directory_is_made() {
    let tree = Tree::new();
    tree.mklink(["/J", "j", "missing"]).assert().success().stdout("Junction created for j <<===>> missing\n");
    assert!(tree.link_target("j").ends_with("missing"));
}

#[test]
fn dangling_symlink_is_made() {
    let tree = Tree::new();
    tree.mklink(["l", "nowhere"]).assert().success();
    assert_eq!(tree.link_target("l"), Path::new("nowhere"));
}

#[test]
fn link_name_existing_as_file_dir_or_dangling_link_is_refused() {
    let tree = Tree::new();
    tree.file("f", "x").dir("d").symlink("dl", "gone").file("t", "t");
    for name in ["f", "d", "dl"] {
        fails_unchanged(&tree, &[name, "t"], EXISTS);
        fails_unchanged(&tree, &["/H", name, "t"], EXISTS);
        fails_unchanged(&tree, &["/J", name, "t"], EXISTS);
    }
}

#[test]
fn wrong_argument_count_is_a_syntax_error() {
    let tree = Tree::new();
    fails_unchanged(&tree, &["/H", "one"], SYNTAX);
    fails_unchanged(&tree, &["a", "b", "c"], SYNTAX);
}

#[test]
fn no_arguments_prints_help_on_stderr() {
    let tree = Tree::new();
    let out = tree.mklink(Vec::<&str>::new()).assert().code(1).stdout("").get_output().clone();
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("Creates a symbolic link.\n\nMKLINK [[/D] | [/H] | [/J]] Link Target\n")
    );
}

#[test]
fn help_screen_has_cmd_shape() {
    let tree = Tree::new();
    for flag in ["/?", "--help"] {
        let out = tree.mklink([flag]).assert().success().stderr("").get_output().clone();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with(
            "Creates a symbolic link.\n\nMKLINK [[/D] | [/H] | [/J]] Link Target\n\n        /D      Creates a directory symbolic link.  Default is a file\n                symbolic link.\n        /H      Creates a hard link instead of a symbolic link.\n        /J      Creates a Directory Junction.\n        Link    Specifies the new symbolic link name.\n        Target  Specifies the path (relative or absolute) that the new link\n                refers to.\n"
        ));
    }
    tree.mklink(["--version"]).assert().success().stdout(format!("mklink {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn unknown_switch_is_named() {
    let tree = Tree::new();
    fails_unchanged(&tree, &["/Z", "a", "b"], "Invalid switch - \"Z\".\n");
    fails_unchanged(&tree, &["a", "b", "/x"], "Invalid switch - \"x\".\n");
    fails_unchanged(&tree, &["--frob", "a", "b"], "Invalid switch - \"--frob\". Type mklink --help for the options.\n");
}

#[test]
fn switch_combinations_follow_cmd() {
    let tree = Tree::new();
    tree.file("f", "x").dir("d");
    tree.mklink(["/D", "/H", "h1", "f"]).assert().success().stdout("Hardlink created for h1 <<===>> f\n");
    tree.mklink(["/D/J", "j1", "d"]).assert().success().stdout("Junction created for j1 <<===>> d\n");
    tree.mklink(["/H", "/J", "j2", "d"]).assert().success().stdout("Junction created for j2 <<===>> d\n");
    tree.mklink(["/j", "/h", "h2", "f"]).assert().success().stdout("Hardlink created for h2 <<===>> f\n");
    assert_eq!(tree.link_count("f"), 3);
    assert!(tree.link_target("j1").is_absolute() && tree.link_target("j2").is_absolute());
}

#[test]
fn hard_link_to_a_missing_file() {
    let tree = Tree::new();
    fails_unchanged(&tree, &["/H", "h", "missing"], "The system cannot find the file specified.\n");
}

#[test]
fn hard_link_to_a_directory_is_denied() {
    let tree = Tree::new();
    tree.dir("d");
    fails_unchanged(&tree, &["/H", "h", "d"], "Access is denied.\n");
}

#[test]
fn hard_link_across_file_systems() {
    if !crate::common::require_root("mounts a tmpfs") {
        return;
    }
    let mut tree = Tree::new();
    tree.file("f", "x");
    tree.mount_tmpfs("mnt", "size=1m");
    fails_unchanged(&tree, &["/H", "mnt/h", "f"], "The system cannot move the file to a different disk drive.\n");
}

#[test]
fn read_only_file_system() {
    if !crate::common::require_root("bind-mounts a directory read-only") {
        return;
    }
    let mut tree = Tree::new();
    tree.file("f", "x");
    tree.mount_read_only("ro");
    fails_unchanged(&tree, &["ro/l", "../f"], "The media is write protected.\n");
    fails_unchanged(&tree, &["/J", "ro/j", "."], "The media is write protected.\n");
}

#[test]
fn no_space_left() {
    if !crate::common::require_root("mounts a tmpfs") {
        return;
    }
    let mut tree = Tree::new();
    // A tmpfs with room for its root and one more inode: the first link takes it, the second finds no space.
    tree.mount_tmpfs("full", "size=64k,nr_inodes=2");
    tree.mklink(["full/first", "x"]).assert().success();
    fails_unchanged(&tree, &["full/second", "x"], "There is not enough space on the disk.\n");
}

#[test]
fn permission_denied_for_an_unprivileged_user() {
    if !crate::common::require_root("runs mklink as the user nobody") {
        return;
    }
    let tree = Tree::new();
    tree.dir("locked").file("f", "x");
    let before = tree.snapshot();
    tree.as_nobody("mklink", ["locked/l", "f"]).assert().code(1).stdout("").stderr("Access is denied.\n");
    tree.as_nobody("mklink", ["/H", "locked/h", "f"]).assert().code(1).stderr("Access is denied.\n");
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn name_too_long() {
    let tree = Tree::new();
    let long = "n".repeat(300);
    fails_unchanged(&tree, &[&long, "t"], "The filename or extension is too long.\n");
}

#[test]
fn parent_directory_missing() {
    let tree = Tree::new();
    tree.file("f", "x");
    fails_unchanged(&tree, &["nodir/l", "f"], "The system cannot find the path specified.\n");
    fails_unchanged(&tree, &["/H", "nodir/h", "f"], "The system cannot find the path specified.\n");
    fails_unchanged(&tree, &["f/l", "x"], "The system cannot find the path specified.\n");
}

#[test]
fn colon_in_the_link_name_is_refused() {
    let tree = Tree::new();
    tree.dir("d");
    fails_unchanged(&tree, &["d:bar", "d"], "The filename, directory name, or volume label syntax is incorrect.\n");
    fails_unchanged(&tree, &["/J", "x:y", "d"], "The filename, directory name, or volume label syntax is incorrect.\n");
}

#[test]
fn verbose_adds_the_os_error() {
    let tree = Tree::new();
    tree.file("f", "x");
    tree.mklink(["--verbose", "f", "t"])
        .assert()
        .code(1)
        .stderr(format!("{EXISTS}mklink: \"f\": File exists (errno 17)\n"));
}

#[test]
fn relative_target_typed_from_the_current_directory_warns() {
    let tree = Tree::new();
    tree.file("notes.txt", "n").dir("sub");
    tree.mklink(["sub/l", "notes.txt"])
        .assert()
        .success()
        .stdout("symbolic link created for sub/l <<===>> notes.txt\n")
        .stderr(contains("you probably meant \"../notes.txt\""));
    assert_eq!(tree.link_target("sub/l"), Path::new("notes.txt"));
}

#[test]
fn self_loop_is_made_with_a_warning() {
    let tree = Tree::new();
    tree.mklink(["/D", "loop", "."]).assert().success().stderr(contains("(a loop)"));
    assert!(tree.is_symlink("loop"));
}

#[test]
fn non_utf8_names_work() {
    let tree = Tree::new();
    let target = non_utf8("t");
    std::fs::write(tree.path(&target), "x").unwrap();
    let link = non_utf8("l");
    let out = tree.mklink([link.as_os_str(), target.as_os_str()]).assert().success().get_output().clone();
    let expected = b"symbolic link created for $'l\\xff\\xfex' <<===>> $'t\\xff\\xfex'\n";
    assert_eq!(out.stdout, expected);
    assert_eq!(tree.link_target(&link), Path::new(&target));
    tree.mklink(["/H".as_ref(), non_utf8("h").as_os_str(), target.as_os_str()]).assert().success();
    assert_eq!(tree.link_count(&target), 2);
}

#[test]
fn names_with_spaces_and_leading_dashes() {
    let tree = Tree::new();
    tree.file("my file", "x");
    tree.mklink(["my link", "my file"])
        .assert()
        .success()
        .stdout("symbolic link created for my link <<===>> my file\n");
    tree.mklink(["--", "-dash", "my file"]).assert().success();
    assert_eq!(tree.link_target("-dash"), Path::new("my file"));
    tree.mklink(["-plain", "my file"]).assert().success();
    assert!(tree.is_symlink("-plain"));
}

#[test]
fn a_name_that_is_literally_slash_d() {
    let tree = Tree::new();
    tree.dir("D");
    tree.mklink(["l1", "./D"]).assert().success().stdout("symbolic link created for l1 <<===>> ./D\n");
    tree.mklink(["l2", "--", "/D"]).assert().success().stdout("symbolic link created for l2 <<===>> /D\n");
    assert_eq!(tree.link_target("l2"), Path::new("/D"));
    assert_eq!(tree.snapshot().get(Path::new("l1")), Some(&Snap::Symlink("./D".into())));
}

#[test]
fn dry_run_changes_nothing() {
    let tree = Tree::new();
    tree.file("f", "x");
    let before = tree.snapshot();
    tree.mklink(["--dry-run", "/H", "h", "f"]).assert().success().stdout("Hardlink would be created for h <<===>> f\n");
    tree.mklink(["--dry-run", "f", "x"]).assert().code(1).stderr(format!("would fail: {EXISTS}"));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn json_reports_each_result_and_a_summary() {
    let tree = Tree::new();
    tree.mklink(["--json", "/J", "j", "d"]).assert().success().stdout(contains("\"type\":\"created\""));
    let out = tree.mklink(["--json", "j", "d"]).assert().code(1).get_output().clone();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["type"], "error");
    assert_eq!(lines[0]["message"], EXISTS.trim_end());
    assert_eq!(lines[1]["type"], "summary");
    assert_eq!(lines[1]["errors"], 1);
}

#[test]
fn relative_and_absolute_targets_are_computed() {
    let tree = Tree::new();
    tree.file("x.txt", "x").dir("a/b");
    tree.mklink(["--relative", "a/b/l", "x.txt"]).assert().success();
    assert_eq!(tree.link_target("a/b/l"), Path::new("../../x.txt"));
    assert_eq!(tree.read("a/b/l"), "x");
    tree.mklink(["--absolute", "a/abs", "x.txt"]).assert().success();
    assert!(tree.link_target("a/abs").is_absolute());
}

#[test]
fn relative_target_resolves_links_in_the_parent_like_ln_r() {
    let tree = Tree::new();
    tree.file("x.txt", "x").dir("a/b/c").symlink("short", "a/b/c");
    tree.mklink(["--relative", "short/l", "x.txt"]).assert().success();
    // The link really lives in a/b/c, so the target climbs three levels.
    assert_eq!(tree.link_target("a/b/c/l"), Path::new("../../../x.txt"));
    assert_eq!(tree.read("short/l"), "x");
    tree.mklink(["--relative", "a/b/nested", "a/b/c/../../../x.txt"]).assert().success();
    assert_eq!(tree.link_target("a/b/nested"), Path::new("../../x.txt"));
}
