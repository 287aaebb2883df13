//! What reaches stdout and stderr: names with control characters are escaped everywhere, `--print0` is raw, a
//! full disk on stdout is an error, a closed pipe is not, `--vars` output can be `eval`ed, and the command line's
//! new errors (typos, `ln` habits, `-h`/`-V`).

use crate::common::{Held, Tree, binary, contains, non_utf8};
use std::fs::File;
use std::process::{Command as StdCommand, Stdio};

/// A name holding ESC, BEL and a newline: the kind that resets a terminal or forges a line.
const NASTY: &str = "evil\x1bc\x07\nname";
const NASTY_SHOWN: &str = r"$'evil\x1bc\x07\nname'";

fn no_control_bytes(out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    assert!(!out.iter().any(|&b| b == 0x1b || b == 0x07), "raw control bytes in {text:?}");
}

#[test]
fn names_with_control_characters_are_escaped_in_every_text_line() {
    let tree = Tree::new();
    tree.file("data", "x").dir("d");
    tree.file(NASTY, "y");
    let created = tree.mklink([NASTY, "data"]).assert().code(1).get_output().clone();
    no_control_bytes(&created.stderr);
    tree.mklink(["link", NASTY])
        .assert()
        .success()
        .stdout(format!("symbolic link created for link <<===>> {NASTY_SHOWN}\n"));
    let listing = tree.mklink(["/L"]).assert().success().get_output().stdout.clone();
    no_control_bytes(&listing);
    assert_eq!(String::from_utf8_lossy(&listing).lines().count(), 1, "one entry, one line");
    assert!(String::from_utf8_lossy(&listing).contains(&format!("link [{NASTY_SHOWN}]")));
    tree.mklnk(["link"]).assert().success().stdout(format!("{NASTY_SHOWN}\n"));
    tree.mklnk(["--verbose", "d", NASTY]).assert().code(2).stderr(contains(NASTY_SHOWN));
    tree.mklnk(["--verbose", NASTY, "hard"]).assert().success().stdout(format!("hard -> {NASTY_SHOWN}\n"));
    tree.mklink(["--siblings", "hard"]).assert().success().stdout(format!("{NASTY_SHOWN}\n"));
    let missing = tree.mklnk(["/D", "gone\x1b[2J"]).assert().code(2).get_output().stderr.clone();
    no_control_bytes(&missing);
    assert!(String::from_utf8_lossy(&missing).contains(r"$'gone\x1b[2J'"));
}

#[test]
fn print0_gives_raw_names_for_scripts() {
    let tree = Tree::new();
    tree.file(NASTY, "y").hardlink("second", NASTY);
    tree.mklink(["/L", "-0", "--hardlinks"]).assert().success().stdout(format!("{NASTY}\0second\0"));
    tree.mklink(["--siblings", "--print0", "second"]).assert().success().stdout(format!("{NASTY}\0"));
    tree.mklink(["-0", "l", "second"]).assert().code(1).stderr(contains("--print0"));
    assert!(!tree.exists("l"));
}

#[test]
fn json_tells_a_byte_from_its_escape_text() {
    let tree = Tree::new();
    let byte = non_utf8("n");
    std::fs::write(tree.path(&byte), "x").unwrap();
    tree.file(r"n\xFF\xFEx", "x");
    let mut paths = Vec::new();
    for name in [byte.as_os_str(), std::ffi::OsStr::new(r"n\xFF\xFEx")] {
        let out = tree.mklnk([std::ffi::OsStr::new("--json"), name, "copy".as_ref()]).output().unwrap();
        let line = String::from_utf8(out.stdout).unwrap();
        let first: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
        paths.push((first["target"].clone(), first.get("target_bytes").cloned()));
        std::fs::remove_file(tree.path("copy")).unwrap();
    }
    assert_ne!(paths[0], paths[1]);
    assert_eq!(paths[0].1, Some(serde_json::json!([b'n', 0xFF, 0xFE, b'x'])));
    assert_eq!(paths[1], (serde_json::json!(r"n\xFF\xFEx"), None));
}

/// Runs `program args` in the tree with stdout on `/dev/full`.
fn to_full_disk(tree: &Tree, program: &str, args: &[&str]) -> std::process::Output {
    let full = File::options().write(true).open("/dev/full").expect("/dev/full");
    StdCommand::new(binary(program))
        .args(args)
        .current_dir(tree.root())
        .env("NO_COLOR", "1")
        .stdout(full)
        .output()
        .unwrap()
}

/// Runs `program args` in the tree with stdout on a pipe whose reader is already closed.
fn to_closed_pipe(tree: &Tree, program: &str, args: &[&str]) -> std::process::Output {
    let (reader, writer) = rustix::pipe::pipe().expect("pipe");
    drop(reader);
    StdCommand::new(binary(program))
        .args(args)
        .current_dir(tree.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(writer))
        .output()
        .unwrap()
}

/// One command of each kind that prints on stdout, with the exit status a write error gives.
fn printing_commands() -> Vec<(&'static str, Vec<&'static str>, i32)> {
    vec![
        ("mklink", vec!["new", "f"], 1),
        ("mklink", vec!["/L", "/S"], 2),
        ("mklink", vec!["--json", "json", "f"], 1),
        ("mklnk", vec!["--json", "f", "json2"], 2),
        ("mklnk", vec!["--vars", "f", "vars"], 2),
        ("mklnk", vec!["link"], 2),
        ("mklink", vec!["--completions", "bash"], 1),
        ("mklnk", vec!["--completions", "zsh"], 2),
        ("mklink", vec!["--man"], 1),
        ("mklnk", vec!["--man"], 2),
        ("mklink", vec!["/?"], 1),
        ("mklnk", vec!["--help"], 2),
        ("mklink", vec!["-V"], 1),
    ]
}

fn fresh_tree() -> Tree {
    let tree = Tree::new();
    tree.file("f", "x").file("src/a", "a").dir("dst");
    tree.symlink("link", "f");
    tree
}

#[test]
fn a_full_disk_on_stdout_is_reported_and_fails() {
    for (program, args, code) in printing_commands() {
        let tree = fresh_tree();
        let out = to_full_disk(&tree, program, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{program} {args:?}: {stderr}");
        assert!(stderr.contains("The output could not be written:"), "{program} {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for (program, args, _) in printing_commands() {
        let tree = fresh_tree();
        let out = to_closed_pipe(&tree, program, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{program} {args:?}: {:?} {stderr}", out.status);
        assert_eq!(stderr, "", "{program} {args:?}");
    }
}

#[test]
fn completions_into_head_do_not_panic() {
    let tree = Tree::new();
    let bin = binary("mklink");
    let script = format!("'{}' --completions bash | head -1", bin.display());
    let out = StdCommand::new("sh").args(["-c", &script]).current_dir(tree.root()).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn vars_output_can_be_evaluated_by_the_shell() {
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/b", "b").dir("dst");
    let bin = binary("mklnk");
    let script = format!("eval \"$('{}' --vars 'src/*' dst)\"; echo \"$_mklnk_files $_mklnk_errors\"", bin.display());
    let out = StdCommand::new("sh").args(["-c", &script]).current_dir(tree.root()).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2 0\n", "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 files linked"));
    tree.mklnk(["--vars", "src/*", "dst"]).assert().code(2).stdout("_mklnk_files=0\n_mklnk_errors=2\n");
}

#[test]
fn a_dry_run_summary_says_would() {
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/b", "b").dir("dst");
    tree.mklnk(["--dry-run", "src/*", "dst"]).assert().success().stdout(contains("2 files would be linked, 0 errors"));
    assert!(!tree.exists("dst/a"));
}

#[test]
fn short_help_and_version_work_on_both_commands() {
    let tree = Tree::new();
    for program in ["mklink", "mklnk"] {
        let cmd = |args: &[&str]| if program == "mklink" { tree.mklink(args) } else { tree.mklnk(args) };
        cmd(&["-h"]).assert().success().stdout(contains("--help"));
        cmd(&["-V"]).assert().success().stdout(format!("{program} {}\n", env!("CARGO_PKG_VERSION")));
    }
    tree.file("f", "x");
    tree.mklink(["--", "-h", "f"]).assert().success();
    assert!(tree.is_symlink("-h"));
}

#[test]
fn unknown_options_get_a_suggestion_and_a_pointer_to_help() {
    let tree = Tree::new();
    tree.file("f", "x");
    tree.mklink(["--dryrun", "l", "f"])
        .assert()
        .code(1)
        .stderr("Invalid switch - \"--dryrun\". Did you mean --dry-run? Type mklink --help for the options.\n");
    tree.mklnk(["--sumary", "f", "l"])
        .assert()
        .code(1)
        .stderr("mklnk: Invalid switch \"--sumary\"; did you mean --summary? (mklnk --help lists the options)\n");
    tree.mklink(["--bogus=1", "l", "f"]).assert().code(1).stderr(contains("Invalid switch - \"--bogus\"."));
    tree.mklnk(["--bogus=1", "f", "l"]).assert().code(1).stderr(contains("Invalid switch \"--bogus\""));
    tree.mklink(["--dir=1", "l", "f"]).assert().code(1).stderr("The option --dir takes no value.\n");
    assert!(!tree.exists("l"));
}

#[test]
fn gnu_ln_habits_get_a_hint_and_create_nothing() {
    let tree = Tree::new();
    tree.file("target", "x");
    let before = tree.snapshot();
    tree.mklink(["-s", "target"]).assert().code(1).stdout("").stderr(
        "mklink: \"-s\" looks like a GNU ln option; mklink makes a symbolic link by default: mklink LINK TARGET \
         (a name starting with - is written ./-s or after --)\n",
    );
    tree.mklink(["-sf", "target", "link"]).assert().code(1).stderr(contains("\"-sf\" looks like a GNU ln option"));
    tree.mklnk(["target", "-s"]).assert().code(1).stderr(contains("mklnk: \"-s\" looks like a GNU ln option"));
    tree.mklnk(["-s", "target", "link"]).assert().code(1).stderr(contains("mklnk EXISTING NEW"));
    assert_eq!(tree.snapshot(), before);
    tree.mklink(["./-s", "target"]).assert().success();
    tree.mklnk(["target", "--", "-f"]).assert().success();
    assert!(tree.is_symlink("-s") && tree.exists("-f"));
}

/// A parent that closes stdout and stderr before starting the command must not turn the first files the command
/// opens into its output: the two numbers are on `/dev/null` while the batch works, and the run succeeds.
#[test]
fn closed_standard_streams_are_reopened_on_dev_null() {
    let tree = Tree::new();
    tree.file("src/a1.txt", "1").dir("dst");
    let mut command = StdCommand::new("sh");
    command.args(["-c", "exec \"$0\" \"$@\" >&- 2>&-"]).arg(binary("mklnk")).args(["src/*.txt", "dst"]);
    let held = Held::start_command(&tree, command, "mklnk with stdout and stderr closed", "batch-destination-open");
    let pid = held.child.id();
    for fd in [1, 2] {
        let target = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).expect("fd is open");
        assert_eq!(target, std::path::Path::new("/dev/null"), "fd {fd}");
    }
    let released = held.release();
    assert_eq!(released.code, 0);
    assert!(tree.path("dst/a1.txt").exists());
}
