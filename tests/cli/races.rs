//! Races against a hostile world (issue 14): every operation works through directory handles opened once, so
//! another process renaming, exchanging, deleting or linking the same names meanwhile can never make it lose a
//! file's last name, strand a temporary, or act outside the directory the user named.
//!
//! Each scenario is proved twice: deterministically, by holding one process at the critical moment (a debug
//! build stops at a named pause point while the test acts, see `platform::pause_point`), and statistically, by
//! thousands of in-process runs against a thread that keeps changing the names. The round counts are fixed
//! budgets; `TESTING.md` records the last figures.

use crate::common::{Held, Tree};
use crate::safety::Swapper;
use mklink::{Collected, ErrorKind, ListFilter, ListRequest, Operation, Outcome, Request};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

fn mklnk_bg(tree: &Tree, args: &[&str]) -> Child {
    StdCommand::new(assert_cmd::cargo::cargo_bin("mklnk"))
        .current_dir(tree.root())
        .args(args)
        .env("LC_ALL", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

fn exchange(a: &Path, b: &Path) -> bool {
    rustix::fs::renameat_with(rustix::fs::CWD, a, rustix::fs::CWD, b, rustix::fs::RenameFlags::EXCHANGE).is_ok()
}

fn no_temporaries_under(dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let entry = entry.expect("entry");
            let name = entry.file_name();
            assert!(!name.to_string_lossy().starts_with(".mklink-"), "temporary left: {:?}", entry.path());
            if entry.file_type().expect("type").is_dir() {
                stack.push(entry.path());
            }
        }
    }
}

#[test]
fn two_deletes_of_the_two_names_of_a_file_never_remove_both() {
    // Scenario 1 of issue 14: both deletes used to see a link count of 2 and both removed their name.
    let tree = Tree::new();
    tree.file("a", "data").hardlink("b", "a");
    let first = Held::start(&tree, "mklnk", &["/D", "a"], "delete-before-unlink");
    // The second delete starts while the first holds its name aside with the link count already checked.
    let second = mklnk_bg(&tree, &["/D", "b"]);
    std::thread::sleep(Duration::from_millis(200));
    let released = first.release();
    let (code, err) = (released.code, released.stderr);
    assert_eq!(code, 0, "{err}");
    let out = second.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2), "the second delete must refuse the last name");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("last link"), "{err}");
    assert!(!tree.exists("a"));
    assert_eq!(tree.read("b"), "data");
    assert_eq!(tree.link_count("b"), 1);
    no_temporaries_under(tree.root());
}

#[test]
fn a_delete_never_strands_a_name_when_its_directory_is_exchanged() {
    // Scenario 2 of issue 14: the name was held aside and then checked by path; with its directory exchanged
    // meanwhile the check failed and the file's only name stayed hidden.
    let tree = Tree::new();
    tree.file("dir/solo", "precious").file("other/x", "x").hardlink("dir/name", "dir/solo");
    let held = Held::start(&tree, "mklnk", &["/D", "dir/name"], "delete-before-unlink");
    assert!(exchange(&tree.path("dir"), &tree.path("other")));
    let released = held.release();
    let (code, err) = (released.code, released.stderr);
    assert_eq!(code, 0, "{err}");
    // The delete acted in the directory it opened, which now lives at `other`.
    assert!(!tree.exists("other/name"));
    assert_eq!(tree.read("other/solo"), "precious");
    assert_eq!(tree.read("dir/x"), "x");
    no_temporaries_under(tree.root());
}

#[test]
fn a_batch_never_escapes_its_destination_swapped_for_a_link() {
    // Scenario 3 of issue 14: literal names and include lists were linked by path, so a destination replaced by
    // a symbolic link mid-batch sent every link elsewhere.
    let tree = Tree::new();
    // The sources are described: the destination's DESCRIPT.ION must follow the links into the opened directory
    // (issue 15), not be written by path into the planted one.
    tree.file("src/a", "a").file("src/b", "b").file("src/c", "c").dir("dst").dir("elsewhere");
    std::fs::write(tree.path("src/DESCRIPT.ION"), b"a Alpha\r\nb Beta\r\nc Gamma\r\n").expect("describe");
    let held = Held::start(&tree, "mklnk", &["src/a", "src/b;c", "dst"], "batch-destination-open");
    std::fs::rename(tree.path("dst"), tree.path("dst.opened")).expect("move dst");
    std::os::unix::fs::symlink("elsewhere", tree.path("dst")).expect("plant link");
    let released = held.release();
    let (code, err) = (released.code, released.stderr);
    assert_eq!(code, 0, "{err}");
    for name in ["a", "b", "c"] {
        assert_eq!(tree.read(format!("dst.opened/{name}")), name);
    }
    assert_eq!(tree.read("dst.opened/DESCRIPT.ION"), "a Alpha\r\nb Beta\r\nc Gamma\r\n");
    let escaped: Vec<_> = std::fs::read_dir(tree.path("elsewhere")).expect("read").collect();
    assert!(escaped.is_empty(), "links or DESCRIPT.ION escaped into the planted directory: {escaped:?}");
}

#[test]
fn a_listing_never_enters_a_directory_swapped_for_a_link() {
    // Scenario 4 of issue 14: subdirectories were opened by path, following a link planted in their place.
    let tree = Tree::new();
    tree.file("tree/sub/inner.txt", "x").symlink("tree/sub/in-link", "inner.txt");
    tree.dir("outside/deep").symlink("outside/secret-link", "/etc/passwd");
    let held = Held::start(&tree, "mklink", &["/L", "/S", "tree"], "list-open-subdirectory");
    std::fs::rename(tree.path("tree/sub"), tree.path("moved")).expect("move sub");
    std::os::unix::fs::symlink(tree.path("outside"), tree.path("tree/sub")).expect("plant link");
    let released = held.release();
    let (code, out, err) = (released.code, released.stdout, released.stderr);
    assert!(!out.contains("secret-link") && !out.contains("deep"), "listed outside the tree:\n{out}");
    assert!(err.contains("tree/sub"), "the skipped directory is reported: {err}");
    assert_eq!(code, 2, "{err}");
}

/// In-process rounds of each statistical race (about a second each here).
const ROUNDS: usize = 2_000;

#[test]
fn concurrent_deletes_of_sibling_names_never_lose_a_file() {
    let tree = Tree::new();
    let (a, b) = (tree.path("a"), tree.path("b"));
    let delete = |link: PathBuf| Request { operation: Operation::Delete { link, descriptions: false }, dry_run: false };
    let (mut one_each, mut both_refused) = (0, 0);
    for round in 0..ROUNDS {
        tree.file("a", "data").hardlink("b", "a");
        let (ra, rb) = (delete(a.clone()), delete(b.clone()));
        let other = std::thread::spawn(move || {
            let mut out = Collected::default();
            mklink::run(&rb, &mut out);
            out
        });
        let mut mine = Collected::default();
        mklink::run(&ra, &mut mine);
        let theirs = other.join().expect("thread");
        let deleted = [&mine, &theirs].iter().filter(|c| matches!(c.outcomes[0], Outcome::Deleted { .. })).count();
        let survivors = [&a, &b].iter().filter(|p| p.exists()).count();
        assert!(survivors >= 1, "round {round}: both names of the file were removed");
        assert_eq!(deleted + survivors, 2, "round {round}: outcomes and names disagree");
        match deleted {
            1 => one_each += 1,
            _ => both_refused += 1,
        }
        assert!(tree.temporaries().is_empty(), "round {round}");
        let _ = std::fs::remove_file(&a);
        let _ = std::fs::remove_file(&b);
    }
    eprintln!("{ROUNDS} rounds of two deletes: {one_each} removed exactly one name, {both_refused} other, 0 lost");
}

/// A thread that keeps exchanging two names until stopped; returns how many exchanges it made.
fn exchanger(a: PathBuf, b: PathBuf, stop: Arc<AtomicBool>, count: Arc<AtomicU64>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            if exchange(&a, &b) {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
    })
}

#[test]
fn deletes_against_directory_exchanges_never_strand_a_temporary() {
    let tree = Tree::new();
    tree.dir("one").dir("two");
    let swapper = Swapper::start(tree.path("one"), tree.path("two"));
    let mut deleted = 0;
    for round in 0..ROUNDS {
        // Set up while nothing moves: both directories hold a file with two names, so whichever directory the
        // path reaches, there is a name to delete.
        swapper.pause();
        for dir in ["one", "two"] {
            std::fs::write(tree.path(format!("{dir}/f")), "data").expect("write");
            let _ = std::fs::hard_link(tree.path(format!("{dir}/f")), tree.path(format!("{dir}/n")));
        }
        swapper.resume();
        let request =
            Request { operation: Operation::Delete { link: tree.path("one/n"), descriptions: false }, dry_run: false };
        let mut out = Collected::default();
        mklink::run(&request, &mut out);
        swapper.pause();
        match &out.outcomes[0] {
            Outcome::Deleted { .. } => deleted += 1,
            Outcome::Failed(e) => assert!(e.kept().is_none(), "round {round}: an entry was kept aside: {e:?}"),
            other => panic!("round {round}: {other:?}"),
        }
        for dir in ["one", "two"] {
            // Whatever happened, every file still has a visible name and nothing is hidden.
            assert!(tree.path(format!("{dir}/f")).exists(), "round {round}: {dir}/f lost");
        }
        no_temporaries_under(tree.root());
        swapper.resume();
    }
    let exchanges = swapper.stop();
    eprintln!("{ROUNDS} deletes against {exchanges} directory exchanges: {deleted} deleted, 0 stranded");
}

#[test]
fn batches_against_destination_swaps_never_escape() {
    let tree = Tree::new();
    tree.file("src/a", "a").file("src/b", "b").dir("dst").dir("trap");
    let (stop, count) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
    // `dst` and `trap-link` (a symbolic link to `trap`) keep trading places.
    std::os::unix::fs::symlink(tree.path("trap"), tree.path("trap-link")).expect("link");
    let swapper = exchanger(tree.path("dst"), tree.path("trap-link"), stop.clone(), count.clone());
    let args = mklink_batch(&tree);
    let (mut made, mut opened_as_link) = (0, 0);
    for round in 0..ROUNDS / 4 {
        let mut out = Collected::default();
        mklink::run(&args, &mut out);
        made += out.outcomes.iter().filter(|o| matches!(o, Outcome::Created { .. })).count();
        // The destination is resolved once, when the batch opens it: every link of a run lands in the one
        // directory it opened (the link's target only if `dst` was the link at that moment), never split.
        let trapped = std::fs::read_dir(tree.path("trap")).expect("read").count();
        assert!(trapped == 0 || trapped == 2, "round {round}: {trapped} of 2 links went through the swapped name");
        opened_as_link += usize::from(trapped == 2);
        for e in std::fs::read_dir(tree.path("trap")).expect("read").flatten() {
            let _ = std::fs::remove_file(e.path());
        }
        // Empty whichever real directory received the links.
        for dir in ["dst", "trap-link"] {
            let p = tree.path(dir);
            if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
                for e in std::fs::read_dir(&p).expect("read").flatten() {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().expect("swapper");
    let exchanges = count.load(Ordering::Relaxed);
    eprintln!(
        "{} batches against {exchanges} exchanges: {made} links made, {opened_as_link} runs opened the link, 0 split",
        ROUNDS / 4
    );
}

fn mklink_batch(tree: &Tree) -> Request {
    let argv = [tree.path("src/a").into_os_string(), tree.path("src/b").into_os_string(), tree.path("dst").into()];
    let mklink::cli::Parsed::Run(args) = mklink::cli::mklnk::parse(argv) else { panic!("not parsed") };
    match args.job(jiff::Zoned::now).expect("batch") {
        mklink::cli::mklnk::Job::Run(request) => *request,
        mklink::cli::mklnk::Job::Dialog => panic!("not a batch"),
    }
}

#[test]
fn listings_against_subdirectory_swaps_never_leave_the_tree() {
    let tree = Tree::new();
    tree.file("tree/sub/inner.txt", "x").symlink("tree/sub/in-link", "inner.txt");
    tree.dir("outside").symlink("outside/secret-link", "/etc/passwd");
    std::os::unix::fs::symlink(tree.path("outside"), tree.path("planted")).expect("link");
    let (stop, count) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
    let swapper = exchanger(tree.path("tree/sub"), tree.path("planted"), stop.clone(), count.clone());
    let request = Request {
        operation: Operation::List(ListRequest {
            roots: vec![tree.path("tree")],
            recursive: true,
            filter: ListFilter::All,
            resolve: false,
        }),
        dry_run: false,
    };
    let mut skipped = 0;
    for round in 0..ROUNDS {
        let mut out = Collected::default();
        mklink::run(&request, &mut out);
        for outcome in &out.outcomes {
            match outcome {
                Outcome::Listed(entry) => {
                    assert!(!entry.path.ends_with("secret-link"), "round {round}: listed {:?}", entry.path)
                }
                Outcome::Failed(e) if e.kind() == ErrorKind::Raced => skipped += 1,
                Outcome::Failed(e) => panic!("round {round}: {e:?}"),
                _ => {}
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().expect("swapper");
    eprintln!(
        "{ROUNDS} listings against {} exchanges: {skipped} swapped directories skipped, 0 entered",
        count.load(Ordering::Relaxed)
    );
}
