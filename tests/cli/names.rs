//! `mklnk`'s one rule for what each typed name means (issue 17): literal names win over wildcards, the
//! destination is a directory, a rename pattern or a new name, filters apply to single sources, and `/C` makes
//! matching ignore case.

use crate::common::{Tree, contains};
use std::path::Path;

#[test]
fn retargets_a_link_whose_targets_have_brackets() {
    // Issue 17, case 1: `v[2]` exists, so it is a literal directory, and `cur` is a link to retarget.
    let tree = Tree::new();
    tree.dir("v[1]").dir("v[2]");
    tree.mklink(["/J", "cur", "v[1]"]).assert().success();
    tree.mklnk(["v[2]", "cur"]).assert().success().stdout("").stderr("");
    assert_eq!(tree.link_target("cur"), tree.root().join("v[2]"));
    assert_eq!(std::fs::read_dir(tree.path("v[1]")).unwrap().count(), 0, "nothing was linked into v[1]");
}

#[test]
fn a_file_with_brackets_links_to_a_new_name_silently() {
    // Issue 17, case 3.
    let tree = Tree::new();
    tree.file("p [1].jpg", "jpeg").file("q*?;.txt", "odd");
    tree.mklnk(["p [1].jpg", "copy.jpg"]).assert().success().stdout("").stderr("");
    assert_eq!(tree.ino("copy.jpg"), tree.ino("p [1].jpg"));
    tree.mklnk(["q*?;.txt", "plain.txt"]).assert().success().stdout("");
    assert_eq!(tree.ino("plain.txt"), tree.ino("q*?;.txt"));
}

#[test]
fn a_star_destination_is_the_directory_with_the_sources_name() {
    // Issue 17, case 4: `dst/*` never makes a file named `*`.
    let tree = Tree::new();
    tree.file("a.txt", "a").dir("dst");
    tree.mklnk(["a.txt", "dst/*"]).assert().success().stdout("");
    assert_eq!(tree.ino("dst/a.txt"), tree.ino("a.txt"));
    assert!(!tree.exists("dst/*"));
}

#[test]
fn a_wildcard_destination_renames_each_source() {
    // Issue 17, case 4: `*.bak` turns `a.txt` into `a.bak`, as COPY does; descriptions follow the new names.
    let tree = Tree::new();
    tree.file("a.txt", "a").file("b.txt", "b").file("c.doc", "c");
    std::fs::write(tree.path("DESCRIPT.ION"), b"a.txt Alpha\r\n").unwrap();
    tree.mklnk(["*.txt", "*.bak"]).assert().success().stdout("     2 files linked, 0 errors\n");
    assert_eq!(tree.ino("a.bak"), tree.ino("a.txt"));
    assert_eq!(tree.ino("b.bak"), tree.ino("b.txt"));
    assert!(!tree.exists("c.bak") && !tree.exists("*.bak"));
    assert!(std::fs::read_to_string(tree.path("DESCRIPT.ION")).unwrap().contains("a.bak Alpha\r\n"));
    // Into another directory, with `?` keeping the source's characters.
    tree.dir("old");
    tree.mklnk(["a.txt;b.txt", "old/?x*"]).assert().success().stdout(contains("2 files linked"));
    assert_eq!(tree.ino("old/ax.txt"), tree.ino("a.txt"));
    assert_eq!(tree.ino("old/bx.txt"), tree.ino("b.txt"));
}

#[test]
fn two_sources_renamed_to_one_name_the_second_is_an_error() {
    let tree = Tree::new();
    tree.file("ab.txt", "1").file("ac.txt", "2");
    tree.mklnk(["a*.txt", "z.*"])
        .assert()
        .code(2)
        .stdout("     1 file linked, 1 error\n")
        .stderr(contains("mklnk: Cannot create a file when that file already exists. \"z.txt\""));
    assert!(tree.ino("z.txt") == tree.ino("ab.txt") || tree.ino("z.txt") == tree.ino("ac.txt"));
    // A dry run reports the collision too, though nothing is made.
    let before = tree.snapshot();
    tree.mklnk(["--dry-run", "a*.txt", "y.*"]).assert().code(2).stderr(contains("\"y.txt\""));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn a_rename_pattern_that_gives_no_name_is_refused_for_that_source() {
    // `?` keeps the source's first character, and a name starting with a dot has none before it.
    let tree = Tree::new();
    tree.file(".x", "hidden").file("y", "plain");
    let before = tree.snapshot();
    tree.mklnk(["/A:", ".x", "?"])
        .assert()
        .code(2)
        .stderr("mklnk: The filename, directory name, or volume label syntax is incorrect. \"\"\n");
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn several_sources_need_a_directory_or_a_rename_pattern() {
    let tree = Tree::new();
    tree.file("a.txt", "a").file("b.txt", "b");
    let before = tree.snapshot();
    for args in [&["a.txt", "b.txt", "new"][..], &["a.txt;b.txt", "new"], &["*.txt", "new"]] {
        tree.mklnk(args)
            .assert()
            .code(1)
            .stdout("")
            .stderr(contains("mklnk: The syntax of the command is incorrect. \"new\""));
    }
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn a_pattern_matching_one_file_links_it_to_the_new_name() {
    let tree = Tree::new();
    tree.file("only.txt", "o").file("other.doc", "d");
    tree.mklnk(["*.txt", "new.txt"]).assert().success().stdout("     1 file linked, 0 errors\n");
    assert_eq!(tree.ino("new.txt"), tree.ino("only.txt"));
}

#[test]
fn attributes_and_ranges_filter_a_single_source() {
    // Issue 17, case 2: `/A:-h a.txt new.txt` works, silently, like any single link.
    let tree = Tree::new();
    tree.file("a.txt", "some").file(".h", "hidden");
    tree.mklnk(["/A:-h", "a.txt", "new.txt"]).assert().success().stdout("").stderr("");
    assert_eq!(tree.ino("new.txt"), tree.ino("a.txt"));
    tree.mklnk(["a.txt", "/[s1,10]", "sized.txt"]).assert().success().stdout("");
    assert!(tree.exists("sized.txt"));
    // A source the filters leave out is not found, and nothing is made.
    let before = tree.snapshot();
    for args in [&["/A:h", "a.txt", "x"][..], &["/[s100]", "a.txt", "x"], &["/[!a*]", "a.txt", "x"]] {
        tree.mklnk(args).assert().code(2).stderr("mklnk: The system cannot find the file specified. \"a.txt\"\n");
    }
    assert_eq!(tree.snapshot(), before);
    tree.mklnk(["/A:h", ".h", "h2"]).assert().success();
    assert_eq!(tree.ino("h2"), tree.ino(".h"));
}

#[test]
fn a_file_into_a_directory_and_a_directory_onto_a_link() {
    // `mklnk FILE DIR` links inside DIR (also through a link to it); `mklnk DIR LINK` retargets LINK;
    // `mklnk DIR DIR2` is refused, and `mklnk DIR DIR2/` links inside DIR2.
    let tree = Tree::new();
    tree.file("f", "x").dir("d").dir("e").dir("v1").symlink("dl", "d");
    tree.mklnk(["f", "dl"]).assert().success().stdout("");
    assert_eq!(tree.ino("d/f"), tree.ino("f"));
    tree.mklnk(["v1", "dl"]).assert().success();
    assert_eq!(tree.link_target("dl"), Path::new("v1"));
    tree.mklnk(["d", "e"]).assert().code(2).stderr(contains("already exists. \"e\""));
    tree.mklnk(["d", "e/"]).assert().success().stdout("");
    assert_eq!(tree.link_target("e/d"), tree.root().join("d"));
}

#[test]
fn retargeting_keeps_a_relative_link_relative() {
    // Issue 17, item 9.
    let tree = Tree::new();
    tree.dir("releases/v1").dir("releases/v2").symlink("current", "releases/v1");
    tree.mklnk(["releases/v2", "current"]).assert().success().stdout("");
    assert_eq!(tree.link_target("current"), Path::new("releases/v2"));
}

#[test]
fn loops_are_warned_about() {
    // Issue 17, item 9: as `mklink` warns.
    let tree = Tree::new();
    tree.dir("d").file("a.txt", "a");
    tree.mklnk(["d", "d/x"])
        .assert()
        .success()
        .stderr("mklnk: warning: \"d/x\" points at itself or a directory holding it (a loop)\n");
    tree.mklnk(["a.txt", "d", "d"])
        .assert()
        .success()
        .stderr(contains("mklnk: warning: \"d/d\" points at itself or a directory holding it (a loop)"));
}

#[test]
fn vars_count_links_made_not_deletes() {
    // Issue 17, item 9: `_mklnk_files` is links created or updated; a delete makes none.
    let tree = Tree::new();
    tree.file("f", "x").hardlink("g", "f").dir("v1").dir("v2");
    tree.mklnk(["--vars", "/D", "g"]).assert().success().stdout("_mklnk_files=0\n_mklnk_errors=0\n");
    tree.mklnk(["--vars", "f", "h"]).assert().success().stdout("_mklnk_files=1\n_mklnk_errors=0\n");
    tree.mklnk(["v1", "cur"]).assert().success();
    tree.mklnk(["--vars", "v2", "cur"]).assert().success().stdout("_mklnk_files=1\n_mklnk_errors=0\n");
}

#[test]
fn an_empty_target_is_worded_as_windows_words_it() {
    // Issue 17, item 9: never "cannot make an empty path absolute".
    let tree = Tree::new();
    for switches in [&["/J"][..], &["--relative"], &["--absolute"], &["/D"], &[]] {
        let args: Vec<&str> = switches.iter().copied().chain(["l", ""]).collect();
        tree.mklink(&args).assert().code(1).stderr("The system cannot find the file specified.\n");
    }
    tree.mklnk(["", "x"]).assert().code(2).stderr("mklnk: The system cannot find the file specified. \"\"\n");
    assert!(!tree.exists("l") && !tree.exists("x"));
}

#[test]
fn ignore_case_makes_wildcards_and_exclusions_ignore_case() {
    // Issue 17, item 10: on a case-sensitive system `*.TXT` finds `a.txt` only with /C or --ignore-case.
    let tree = Tree::new();
    tree.file("src/a.txt", "a").file("src/B.TXT", "b").dir("dst").dir("dst2").dir("dst3");
    tree.mklnk(["src/*.TXT", "dst"]).assert().success();
    assert!(tree.exists("dst/B.TXT") && !tree.exists("dst/a.txt"));
    tree.mklnk(["/C", "src/*.TXT", "dst2"]).assert().success().stdout(contains("2 files linked"));
    assert!(tree.exists("dst2/a.txt") && tree.exists("dst2/B.TXT"));
    tree.mklnk(["--ignore-case", "/[!B*]", "src/*.txt", "dst3"]).assert().success();
    assert!(tree.exists("dst3/a.txt") && !tree.exists("dst3/B.TXT"));
}

#[test]
fn attribute_j_selects_links_through_wildcards() {
    // Issue 17, item 7: the fast path asks the selection, which lets links in only with /A:j.
    let tree = Tree::new();
    tree.file("src/a.txt", "a").symlink("src/l.txt", "a.txt").dir("dst").dir("dst2");
    tree.mklnk(["src/*.txt", "dst"]).assert().success();
    assert!(tree.exists("dst/a.txt") && !tree.exists("dst/l.txt"));
    tree.mklnk(["/A:j", "src/*.txt", "dst2"]).assert().success();
    assert!(tree.is_symlink("dst2/l.txt") && !tree.exists("dst2/a.txt"));
}

#[test]
fn help_and_man_page_show_the_rules_with_examples() {
    let tree = Tree::new();
    for needle in ["/C ", "--ignore-case", "'photo [1].jpg' copy.jpg", "'*.txt' '*.bak'", "31.12.2024"] {
        tree.mklnk(["/?"]).assert().success().stdout(contains(needle));
    }
    for needle in ["ignore\\-case", "photo [1].jpg", "*.bak", "LC_TIME"] {
        tree.mklnk(["--man"]).assert().success().stdout(contains(needle));
    }
}
