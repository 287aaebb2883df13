//! The README, tried as a new user would: the tour's block runs line by line in an empty directory with both
//! binaries on the PATH, and every line must succeed.

use crate::common::Tree;

fn block_after(readme: &str, heading: &str) -> String {
    let from = readme.find(heading).unwrap_or_else(|| panic!("README has no {heading}"));
    let rest = &readme[from..];
    let start = rest.find("```sh\n").expect("a sh block") + 6;
    let end = rest[start..].find("```").expect("the block's end");
    rest[start..start + end].to_string()
}

#[test]
fn the_tour_runs_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let tour = block_after(&readme, "## A short tour");
    let tree = Tree::new();
    let bin_dir = assert_cmd::cargo::cargo_bin("mklink").parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("sh")
        .args(["-e", "-x", "-c", &tour])
        .current_dir(tree.root())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the tour failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("refused: /D never deletes a file's last name"));
    assert!(stdout.contains("<SYMLINKD>     current ["));
    assert!(tree.path("demo/archive/a.log").exists() && !tree.path("demo/archive/scratch.tmp").exists());
    assert!(!tree.path("demo/archive/.hidden.log").exists(), "the dry run made a link");
    assert_eq!(std::fs::read_to_string(tree.path("demo/deep-link")).unwrap(), "hello\n");
}

#[test]
fn the_completion_and_man_page_commands_are_real() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = block_after(&readme, "## Shell completions and man pages");
    for flag in ["--completions bash", "--man"] {
        assert!(block.contains(flag));
    }
    let tree = Tree::new();
    tree.mklink(["--completions", "bash"]).assert().success();
    tree.mklnk(["--man"]).assert().success();
}
