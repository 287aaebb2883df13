//! `mklink /L`: DIR-style listings of links, the filters, JSON, the hard-link siblings view and walk errors.

use crate::common::{Tree, non_utf8};

/// The listing with the date and time column replaced, so it can be compared as text.
fn normalised(out: &[u8]) -> String {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| if l.len() > 21 && l.as_bytes()[4] == b'-' { format!("<when>{}", &l[17..]) } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sample() -> Tree {
    let tree = Tree::new();
    tree.file("docs/notes.txt", "n")
        .dir("sub/deep")
        .symlink("sub/notes", "../docs/notes.txt")
        .symlink("dl", "docs")
        .symlink("gone", "missing")
        .symlink("loop1", "loop2")
        .symlink("loop2", "loop1")
        .symlink("esc", "/")
        .hardlink("sub/deep/hard", "docs/notes.txt")
        .file("plain.txt", "p");
    tree
}

#[test]
fn listing_of_one_directory() {
    let tree = sample();
    let out = tree.mklink(["/L"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @r"
    <when>    <SYMLINKD>     dl [docs]
    <when>    <SYMLINKD>     esc [/]
    <when>    <SYMLINK>      gone [missing] (dangling)
    <when>    <SYMLINK>      loop1 [loop2] (loop)
    <when>    <SYMLINK>      loop2 [loop1] (loop)
    ");
}

#[test]
fn recursive_listing_is_sorted_and_never_follows_links() {
    let tree = sample();
    let out = tree.mklink(["/L", "/S"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @r"
    <when>    <SYMLINKD>     dl [docs]
    <when>    <SYMLINKD>     esc [/]
    <when>    <SYMLINK>      gone [missing] (dangling)
    <when>    <SYMLINK>      loop1 [loop2] (loop)
    <when>    <SYMLINK>      loop2 [loop1] (loop)
    <when>    <HARDLINK:2>   docs/notes.txt
    <when>    <SYMLINK>      sub/notes [../docs/notes.txt]
    <when>    <HARDLINK:2>   sub/deep/hard
    ");
    // The same output every time, whatever the threads do.
    for _ in 0..5 {
        assert_eq!(tree.mklink(["/L", "/S"]).output().unwrap().stdout, out);
    }
}

#[test]
fn a_named_root_prefixes_the_paths() {
    let tree = sample();
    let out = tree.mklink(["/L", "sub"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @"<when>    <SYMLINK>      sub/notes [../docs/notes.txt]");
}

#[test]
fn filters_dangling_escaping_and_hard_links() {
    let tree = sample();
    let out = tree.mklink(["/L", "/S", "--dangling"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @r"
    <when>    <SYMLINK>      gone [missing] (dangling)
    <when>    <SYMLINK>      loop1 [loop2] (loop)
    <when>    <SYMLINK>      loop2 [loop1] (loop)
    ");
    let out = tree.mklink(["/L", "/S", "--escaping"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @"<when>    <SYMLINKD>     esc [/]");
    let out = tree.mklink(["/L", "/S", "--symlinks"]).assert().success().get_output().stdout.clone();
    assert!(!normalised(&out).contains("HARDLINK") && normalised(&out).contains("sub/notes [../docs/notes.txt]"));
    let out = tree.mklink(["/L", "/S", "--hardlinks"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @r"
    <when>    <HARDLINK:2>   docs/notes.txt
    <when>    <HARDLINK:2>   sub/deep/hard
    ");
}

/// A target that is a plain name is judged from the directory just read; a link to a link, a name not in the
/// directory and a loop are still followed by the system, so the tags are the same as a `stat` would give.
#[test]
fn targets_in_the_links_own_directory() {
    let tree = Tree::new();
    tree.file("d/file", "f")
        .dir("d/sub")
        .symlink("d/to-file", "file")
        .symlink("d/to-sub", "sub")
        .symlink("d/to-link-to-sub", "to-sub")
        .symlink("d/to-link-to-file", "to-file")
        .symlink("d/to-missing", "missing")
        .symlink("d/to-dangling-link", "to-missing")
        .symlink("d/to-itself", "to-itself")
        .symlink("d/here", ".")
        .symlink("d/up", "..");
    let out = tree.mklink(["/L", "d"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @r"
    <when>    <SYMLINKD>     d/here [.]
    <when>    <SYMLINK>      d/to-dangling-link [to-missing] (dangling)
    <when>    <SYMLINK>      d/to-file [file]
    <when>    <SYMLINK>      d/to-itself [to-itself] (loop)
    <when>    <SYMLINK>      d/to-link-to-file [to-file]
    <when>    <SYMLINKD>     d/to-link-to-sub [to-sub]
    <when>    <SYMLINK>      d/to-missing [missing] (dangling)
    <when>    <SYMLINKD>     d/to-sub [sub]
    <when>    <SYMLINKD>     d/up [..]
    ");
    let out = tree.mklink(["/L", "d", "--dangling"]).assert().success().get_output().stdout.clone();
    insta::assert_snapshot!(normalised(&out), @r"
    <when>    <SYMLINK>      d/to-dangling-link [to-missing] (dangling)
    <when>    <SYMLINK>      d/to-itself [to-itself] (loop)
    <when>    <SYMLINK>      d/to-missing [missing] (dangling)
    ");
}

#[test]
fn json_gives_one_object_per_entry_and_a_summary() {
    let tree = sample();
    let out = tree.mklink(["/L", "/S", "--json"]).assert().success().get_output().stdout.clone();
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let gone = lines.iter().find(|v| v["path"] == "gone").unwrap();
    assert_eq!(gone["kind"], "symlink");
    assert_eq!(gone["target"], "missing");
    assert_eq!(gone["dangling"], true);
    assert_eq!(gone["resolved"], tree.root().join("missing").to_string_lossy().as_ref());
    let dl = lines.iter().find(|v| v["path"] == "dl").unwrap();
    assert_eq!(dl["kind"], "symlink_dir");
    assert_eq!(dl["resolved"], tree.root().join("docs").to_string_lossy().as_ref());
    let hard = lines.iter().find(|v| v["path"] == "sub/deep/hard").unwrap();
    assert_eq!(hard["link_count"], 2);
    assert_eq!(lines.last().unwrap(), &serde_json::json!({"type": "summary", "links": 8, "errors": 0}));
}

#[test]
fn siblings_lists_the_other_names_of_a_file() {
    let tree = sample();
    tree.hardlink("sub/third", "docs/notes.txt");
    tree.mklink(["--siblings", "docs/notes.txt"]).assert().success().stdout("sub/third\nsub/deep/hard\n");
    tree.mklink(["--siblings", "plain.txt", "."]).assert().success().stdout("");
    tree.mklink(["--siblings", "missing"])
        .assert()
        .code(2)
        .stderr("mklink: The system cannot find the file specified. \"missing\"\n");
}

#[test]
fn an_unreadable_directory_is_reported_and_the_walk_goes_on() {
    if !crate::common::require_root("runs mklink as the user nobody") {
        return;
    }
    let tree = sample();
    tree.dir("locked");
    std::fs::write(tree.path("locked/x"), "x").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tree.path("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = tree.as_nobody("mklink", ["/L", "/S"]).assert().code(2).stderr("mklink: Access is denied. \"locked\"\n");
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("sub/deep/hard"));
}

#[test]
fn a_missing_root_is_an_error() {
    let tree = sample();
    tree.mklink(["/L", "nowhere"])
        .assert()
        .code(2)
        .stderr("mklink: The system cannot find the file specified. \"nowhere\"\n");
}

#[test]
fn non_utf8_names_are_listed_escaped_and_raw_with_print0() {
    let tree = Tree::new();
    let name = non_utf8("l");
    std::os::unix::fs::symlink("t", tree.path(&name)).unwrap();
    let out = tree.mklink(["/L"]).assert().success().get_output().stdout.clone();
    let expected = b"    <SYMLINK>      $'l\\xff\\xfex' [t] (dangling)\n";
    assert!(out.ends_with(expected), "{out:?}");
    let mut raw = crate::common::bytes(&name).to_vec();
    raw.push(0);
    for flag in ["-0", "--print0"] {
        tree.mklink(["/L", flag]).assert().success().stdout(raw.clone());
    }
}

#[test]
fn listing_a_file_shows_it_when_it_is_a_link_or_has_other_names() {
    // Issue 16: `mklink /L a.txt` said "cannot find the path" for a file.
    let tree = Tree::new();
    tree.file("plain.txt", "x").file("shared.txt", "y").hardlink("twin.txt", "shared.txt");
    tree.symlink("note", "plain.txt");
    let out = tree.mklink(["/L", "shared.txt"]).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).contains("<HARDLINK:2>   shared.txt"), "{}", String::from_utf8_lossy(&out));
    let out = tree.mklink(["/L", "note"]).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).contains("<SYMLINK>      note [plain.txt]"));
    tree.mklink(["/L", "plain.txt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("mklink: The directory name is invalid. \"plain.txt\"\n");
}
