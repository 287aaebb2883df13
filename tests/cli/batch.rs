//! `mklnk` batches: every selection form hard-links the chosen files into an existing directory.

use crate::common::{Tree, contains, non_utf8};
use std::os::unix::fs::PermissionsExt;

fn linked(tree: &Tree, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(tree.path(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "DESCRIPT.ION")
        .collect();
    names.sort();
    names
}

fn sample() -> Tree {
    let tree = Tree::new();
    tree.dir("dst")
        .file("src/a1.txt", "1")
        .file("src/a2.txt", "22")
        .file("src/b.doc", "333")
        .file("src/noext", "4444")
        .file("src/.hidden.txt", "h")
        .file("src/big.dat", &"x".repeat(5000))
        .dir("src/dir.txt")
        .symlink("src/link.txt", "a1.txt");
    tree
}

#[test]
fn a_wildcard_links_each_file_under_its_own_name() {
    let tree = sample();
    tree.mklnk(["src/*.txt", "dst"]).assert().success().stdout("     2 files linked, 0 errors\n");
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "a2.txt"]);
    assert_eq!(tree.ino("dst/a1.txt"), tree.ino("src/a1.txt"));
}

#[test]
fn directories_symlinks_and_hidden_files_are_not_selected_by_default() {
    let tree = sample();
    tree.mklnk(["src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "a2.txt", "b.doc", "big.dat", "noext"]);
}

#[test]
fn star_dot_star_matches_names_without_a_dot() {
    let tree = sample();
    tree.mklnk(["src/*.*", "dst"]).assert().success();
    assert!(linked(&tree, "dst").contains(&"noext".to_string()));
}

#[test]
fn any_attribute_switch_lets_hidden_files_in() {
    let tree = sample();
    tree.mklnk(["/A:", "src/*.txt", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), [".hidden.txt", "a1.txt", "a2.txt"]);
    let tree = sample();
    tree.mklnk(["src/*.txt", "/A:h", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), [".hidden.txt"]);
    let tree = sample();
    tree.mklnk(["/a:-h", "src/*.txt", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "a2.txt"]);
}

#[test]
fn read_only_attribute() {
    let tree = sample();
    std::fs::set_permissions(tree.path("src/b.doc"), std::fs::Permissions::from_mode(0o444)).unwrap();
    tree.mklnk(["/A:r", "src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["b.doc"]);
}

#[test]
fn brackets_question_marks_and_negated_sets() {
    let tree = sample();
    tree.mklnk(["src/a[2-9].txt", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a2.txt"]);
    let tree = sample();
    tree.mklnk(["src/a[!2].t?t", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a1.txt"]);
}

#[test]
fn include_lists_take_the_first_names_directory() {
    let tree = sample();
    tree.mklnk(["src/a1.txt;b.doc;*.dat", "dst", "--verbose"]).assert().success().stdout(contains("3 files linked"));
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "b.doc", "big.dat"]);
}

#[test]
fn several_names_on_the_line() {
    let tree = sample();
    tree.mklnk(["src/a1.txt", "src/*.doc", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "b.doc"]);
}

#[test]
fn a_semicolon_in_a_quoted_name_is_taken_literally_with_brackets() {
    let tree = sample();
    tree.file("src/x;y.txt", "semi");
    tree.mklnk(["src/x[;]y.txt", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["x;y.txt"]);
}

#[test]
fn a_bracket_name_that_exists_is_taken_literally() {
    let tree = sample();
    tree.file("src/r[1].txt", "r");
    tree.mklnk(["src/r[1].txt", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["r[1].txt"]);
}

#[test]
fn size_ranges() {
    let tree = sample();
    tree.mklnk(["/[s2,3]", "src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a2.txt", "b.doc"]);
    let tree = sample();
    tree.mklnk(["src/*", "dst", "/[s4k]"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["big.dat"]);
    let tree = sample();
    tree.mklnk(["/![s2,4999]", "src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "big.dat"]);
}

#[test]
fn ranges_filter_literal_names_too() {
    // Named one by one in an include list: a range leaves a1.txt out silently, a missing name is still an error.
    let tree = sample();
    tree.mklnk(["/[s2,3]", "src/a1.txt;a2.txt;b.doc;missing.txt", "dst"])
        .assert()
        .code(2)
        .stderr("mklnk: The system cannot find the file specified. \"src/missing.txt\"\n");
    assert_eq!(linked(&tree, "dst"), ["a2.txt", "b.doc"]);
}

#[test]
fn date_and_time_ranges() {
    let tree = sample();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000); // 2001-09-09
    std::fs::File::options().write(true).open(tree.path("src/b.doc")).unwrap().set_modified(old).unwrap();
    tree.mklnk(["/[d2001-09-01,2001-09-30]", "src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["b.doc"]);
    let tree2 = sample();
    std::fs::File::options().write(true).open(tree2.path("src/b.doc")).unwrap().set_modified(old).unwrap();
    tree2.mklnk(["/[d-1]", "src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree2, "dst"), ["a1.txt", "a2.txt", "big.dat", "noext"]);
    let tree3 = sample();
    tree3.mklnk(["/[t0:00,23:59:59]", "src/a*", "dst"]).assert().success();
    assert_eq!(linked(&tree3, "dst"), ["a1.txt", "a2.txt"]);
}

#[test]
fn exclusion_ranges() {
    let tree = sample();
    tree.mklnk(["/[!*.doc a2*]", "src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "big.dat", "noext"]);
    let tree = sample();
    // Split by the shell into two words: joined back.
    tree.mklnk(["/[!*.doc", "a2*]", "src/*", "dst"]).assert().success();
    assert_eq!(linked(&tree, "dst"), ["a1.txt", "big.dat", "noext"]);
}

#[test]
fn one_failure_is_counted_and_the_rest_go_on() {
    let tree = sample();
    tree.hardlink("dst/a1.txt", "src/a1.txt");
    tree.mklnk(["src/a*.txt", "dst"])
        .assert()
        .code(2)
        .stdout("     1 file linked, 1 error\n")
        .stderr("mklnk: Cannot create a file when that file already exists. \"dst/a1.txt\"\n");
    tree.mklnk(["--vars", "/Q", "src/*.doc", "dst"]).assert().success().stdout("_mklnk_files=1\n_mklnk_errors=0\n");
}

#[test]
fn a_pattern_matching_nothing_is_an_error() {
    let tree = sample();
    tree.mklnk(["src/*.zzz", "dst"])
        .assert()
        .code(2)
        .stderr("mklnk: The system cannot find the file specified. \"src/*.zzz\"\n");
    tree.mklnk(["src/*.zzz", "src/*.doc", "dst"]).assert().code(2).stdout("     1 file linked, 1 error\n");
}

#[test]
fn the_destination_must_be_an_existing_directory() {
    let tree = sample();
    // A name that is not a directory is a new name, and two files cannot both take it: a usage error.
    tree.mklnk(["src/*.txt", "nowhere"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("mklnk: The syntax of the command is incorrect. \"nowhere\"\n"));
    assert!(!tree.exists("nowhere"));
    // Ending with a separator says it is a directory, which must exist.
    tree.mklnk(["src/*.txt", "nowhere/"])
        .assert()
        .code(2)
        .stderr("mklnk: The system cannot find the path specified. \"nowhere/\"\n");
}

#[test]
fn malformed_selections_are_usage_errors_naming_the_text() {
    let tree = sample();
    let before = tree.snapshot();
    for (args, text) in [
        (&["/[s1x]", "src/*", "dst"][..], "1x"),
        (&["/[d2024-13-01]", "src/*", "dst"][..], "2024-13-01"),
        (&["/A:z", "src/*", "dst"][..], "z"),
        (&["/[s1]", "/[s2]", "src/*", "dst"][..], "size"),
        (&["/[s1", "src/*", "dst"][..], "/[s1"),
        (&["/[!a/b]", "src/*", "dst"][..], "a/b"),
    ] {
        tree.mklnk(args).assert().code(1).stdout("").stderr(contains(text));
    }
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn non_utf8_names_are_selected() {
    let tree = sample();
    let name = non_utf8("n");
    std::fs::write(tree.path("src").join(&name), "x").unwrap();
    tree.mklnk(["src/n*", "dst"]).assert().success();
    assert!(tree.exists(std::path::Path::new("dst").join(&name)));
}

#[test]
fn descriptions_are_copied_in_one_write() {
    let tree = sample();
    std::fs::write(tree.path("src/DESCRIPT.ION"), b"a1.txt first\r\na2.txt second\r\n").unwrap();
    tree.mklnk(["src/a*.txt", "dst"]).assert().success();
    let text = std::fs::read_to_string(tree.path("dst/DESCRIPT.ION")).unwrap();
    assert!(text.contains("a1.txt first\r\n") && text.contains("a2.txt second\r\n"));
}

#[test]
fn dry_run_batch_changes_nothing() {
    let tree = sample();
    let before = tree.snapshot();
    tree.mklnk(["--dry-run", "src/*.txt", "dst"])
        .assert()
        .success()
        .stdout(contains("would link dst/a1.txt -> src/a1.txt"));
    assert_eq!(tree.snapshot(), before);
}

#[test]
fn batch_into_the_sources_own_directory_never_retargets_a_source_link() {
    // Regression, issue 8 (found by the property test): a soft link to a directory, listed as a source of a batch
    // into its own directory, was retargeted to itself and lost its target.
    let tree = Tree::new();
    tree.dir("d").symlink("dl", "d").file("a", "x");
    let before = tree.snapshot();
    tree.mklnk(["a;dl", "."])
        .assert()
        .code(2)
        .stderr(contains("Cannot create a file when that file already exists. \"./dl\""));
    assert_eq!(tree.snapshot(), before);
    tree.mklnk(["dl", "dl"]).assert().code(2);
    assert_eq!(tree.link_target("dl"), std::path::Path::new("d"));
}

#[test]
fn an_unreadable_source_directory_is_reported() {
    if !crate::common::require_root("runs mklnk as the user nobody") {
        return;
    }
    let tree = sample();
    std::fs::set_permissions(tree.path("src"), std::fs::Permissions::from_mode(0o311)).unwrap();
    std::fs::set_permissions(tree.path("dst"), std::fs::Permissions::from_mode(0o777)).unwrap();
    tree.as_nobody("mklnk", ["src/*.txt", "dst"]).assert().code(2).stderr("mklnk: Access is denied. \"src/*.txt\"\n");
    assert!(linked(&tree, "dst").is_empty());
}

#[test]
fn dates_are_read_in_the_order_of_the_users_locale() {
    // Issue 17: TCC reads dates in the locale's order; ISO is always accepted.
    let tree = Tree::new();
    tree.file("src/a.txt", "a").dir("dst");
    let range = "/[d31.12.2023,+100000]";
    tree.mklnk([range, "src/*", "dst"]).env("LC_ALL", "de_DE.UTF-8").assert().success();
    assert!(tree.exists("dst/a.txt"));
    // In the C locale (month first) there is no 31st month.
    tree.mklnk([range, "src/*", "dst2"]).assert().code(1).stderr(contains("31.12.2023"));
    // `LC_TIME` decides when `LC_ALL` is not set; ISO works everywhere.
    tree.dir("dst3").dir("dst4");
    tree.mklnk([range, "src/*", "dst3"]).env_remove("LC_ALL").env("LC_TIME", "en_GB.UTF-8").assert().success();
    tree.mklnk(["/[d2023-12-31,+100000]", "src/*", "dst4"]).assert().success();
}
