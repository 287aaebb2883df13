//! Issue 8, "prove that no input loses data": random small trees (files, hard links, symlinks that dangle, loop or
//! point at directories, `DESCRIPT.ION` files) and random sequences of `mklink` and `mklnk` command lines (every
//! kind of create, update, delete, query, batches with random patterns and filters, broken command lines), run
//! through the real binaries. After every command:
//! - every file that existed is still reachable by some name, with the same content (nothing ever removes a
//!   file's last name, nothing writes into a file), and no new file content appears (only new names);
//! - no temporary (`.mklink-…`, `.DESCRIPT.ION.…`) is left;
//! - a refused command (non-zero exit) and a dry run left the tree byte for byte as it was; a batch that failed
//!   only in part changed nothing but add new names;
//! - a successful single command changed at most one name, and a batch only added names or retargeted soft links
//!   (ignoring link counts and `DESCRIPT.ION`); no directory is ever changed or removed.
//!
//! The seed is printed (shown by `cargo test` for a failing test) and can be replayed with
//! `MKLINK_PROPTEST_SEED=<seed>`; proptest also records failing cases in `props.regressions` beside this file.

use crate::common::{Snap, Tree};
use mklink::cli::Parsed;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Cases per run (each a fresh tree and up to 8 commands): 8 to 15 s on two shared cores. A deeper run:
/// `MKLINK_PROPTEST_CASES=5000`.
const CASES: u32 = 600;

const DIRS: [&str; 3] = ["d1", "d1/sub", "d2"];

/// Where the generated tree may put an entry (first come, first served).
const SLOTS: [&[u8]; 16] = [
    b"a",
    b"b",
    b"c.txt",
    b"D.TXT",
    b"e.log",
    b"x[1]",
    b"sp ace",
    b"la",
    b"lb",
    b"n\xffx",
    b"d1/a",
    b"d1/f.txt",
    b"d1/lc",
    b"d1/sub/g",
    b"d2/a",
    b"d2/h.txt",
];

/// Names the commands use besides the slots: directories, missing paths, bad names.
const EXTRA: [&[u8]; 14] = [
    b"d1",
    b"d1/sub",
    b"d2",
    b"d1/",
    b".",
    b"missing",
    b"missing/x",
    b"a/x",
    b"la/a",
    b"x:y",
    b"",
    b"DESCRIPT.ION",
    b"d1/DESCRIPT.ION",
    b"-x",
];

const BATCH_SOURCES: [&str; 17] = [
    "*",
    "*.txt",
    "d1/*",
    "d1/*.txt",
    "?",
    "[a-c]*",
    "a;b;c.txt",
    "d1/a;f.txt",
    "x[1]",
    "*.*",
    "d2/*",
    "la/*",
    "missing/*",
    "d1/sub/*",
    ".*",
    "a",
    "d1/[!a]*",
];
/// Destinations: directories, a missing one, a file, a link, and rename patterns (issue 17).
const BATCH_DESTS: [&str; 11] = ["d1", "d2", "d1/sub", "missing", "a", "la", ".", "*.bak", "d2/*", "d1/?x*", "*"];
const ATTRS: [&str; 6] = ["/A:", "/A:-h", "/A:r", "/A:z", "/A:-", "/A"];
const RANGES: [&str; 9] = ["/[s1]", "/[s0,10]", "/[!*.log]", "/![s5]", "/[d-1]", "/[t-5]", "/[x]", "/[s1", "/[!a*]"];
const MKLINK_SWITCHES: [&str; 10] = ["", "/D", "/H", "/J", "/d", "/h", "/j", "--relative", "--absolute", "/D/J"];
/// Broken or stray switches. No `--`: after it a switch would be an absolute name outside the tree. The last
/// [`TCC_ONLY`] are switches only to `mklnk` (to `mklink` they would be names at the file system root), so
/// `mklink` never gets them.
const GARBAGE: [&str; 15] = [
    "/X",
    "/D",
    "/H",
    "/J",
    "/Q",
    "/z",
    "/?",
    "--bogus",
    "--json",
    "--dry-run=1",
    "--quiet",
    "--verbose",
    "/A:q",
    "/[s",
    "/D/Q",
];
const TCC_ONLY: usize = 3;

/// What a symlink in the generated tree holds.
#[derive(Debug, Clone)]
enum Target {
    /// Another slot's path, as typed from the root (dangles or resolves differently from a subdirectory).
    Slot(usize),
    /// A directory, relative to the root.
    Dir(usize),
    /// The absolute path of a directory.
    AbsoluteDir(usize),
    /// Nothing there.
    Missing,
    /// Itself: a loop.
    ItSelf,
    /// Its own directory's parent (its own directory in the root): a loop for anything that would walk into it.
    Parent,
}

/// One entry of the generated tree.
#[derive(Debug, Clone)]
enum Entry {
    File {
        slot: usize,
        content: Vec<u8>,
    },
    HardLink {
        slot: usize,
        of: usize,
    },
    Symlink {
        slot: usize,
        target: Target,
    },
    /// A `DESCRIPT.ION` in the root (`None`) or a directory, describing some slots' names.
    Description {
        dir: Option<usize>,
        names: Vec<usize>,
    },
}

/// One command line.
#[derive(Debug, Clone)]
enum Command {
    Mklink { switch: usize, link: Name, target: Name, dry: bool },
    Make { target: Name, link: Name, dry: bool },
    Delete { link: Name, dry: bool },
    Query { link: Name },
    Batch { sources: Vec<usize>, dest: usize, attrs: Option<usize>, ranges: Vec<usize>, dry: bool },
    Garbage { mklink: bool, args: Vec<Arg> },
}

/// A path argument: a slot or one of the extra names.
#[derive(Debug, Clone, Copy)]
enum Name {
    Slot(usize),
    Extra(usize),
}

#[derive(Debug, Clone, Copy)]
enum Arg {
    Switch(usize),
    Name(Name),
}

fn name() -> impl Strategy<Value = Name> {
    prop_oneof![3 => (0..SLOTS.len()).prop_map(Name::Slot), 1 => (0..EXTRA.len()).prop_map(Name::Extra)]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        (0..SLOTS.len()).prop_map(Target::Slot),
        (0..DIRS.len()).prop_map(Target::Dir),
        (0..DIRS.len()).prop_map(Target::AbsoluteDir),
        Just(Target::Missing),
        Just(Target::ItSelf),
        Just(Target::Parent),
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    let slot = 0..SLOTS.len();
    prop_oneof![
        4 => (slot.clone(), proptest::collection::vec(any::<u8>(), 0..24))
            .prop_map(|(slot, content)| Entry::File { slot, content }),
        2 => (slot.clone(), 0..SLOTS.len()).prop_map(|(slot, of)| Entry::HardLink { slot, of }),
        3 => (slot, target()).prop_map(|(slot, target)| Entry::Symlink { slot, target }),
        1 => (proptest::option::of(0..DIRS.len()), proptest::collection::vec(0..SLOTS.len(), 0..4))
            .prop_map(|(dir, names)| Entry::Description { dir, names }),
    ]
}

fn command() -> impl Strategy<Value = Command> {
    let dry = proptest::bool::weighted(0.15);
    prop_oneof![
        3 => (0..MKLINK_SWITCHES.len(), name(), name(), dry)
            .prop_map(|(switch, link, target, dry)| Command::Mklink { switch, link, target, dry }),
        3 => (name(), name(), dry).prop_map(|(target, link, dry)| Command::Make { target, link, dry }),
        3 => (name(), dry).prop_map(|(link, dry)| Command::Delete { link, dry }),
        1 => name().prop_map(|link| Command::Query { link }),
        3 => (
            proptest::collection::vec(0..BATCH_SOURCES.len(), 1..3),
            0..BATCH_DESTS.len(),
            proptest::option::of(0..ATTRS.len()),
            proptest::collection::vec(0..RANGES.len(), 0..2),
            dry,
        )
            .prop_map(|(sources, dest, attrs, ranges, dry)| Command::Batch { sources, dest, attrs, ranges, dry }),
        2 => (
            any::<bool>(),
            proptest::collection::vec(
                prop_oneof![(0..GARBAGE.len()).prop_map(Arg::Switch), name().prop_map(Arg::Name)],
                0..4
            )
        )
            .prop_map(|(mklink, args)| Command::Garbage { mklink, args }),
    ]
}

fn os(bytes: &[u8]) -> &OsStr {
    OsStr::from_bytes(bytes)
}

fn path_of(name: Name) -> &'static OsStr {
    match name {
        Name::Slot(i) => os(SLOTS[i]),
        Name::Extra(i) => os(EXTRA[i]),
    }
}

/// Builds the tree; entries whose slot is taken (or whose hard-link source is not a file) are skipped.
fn build(entries: &[Entry]) -> Tree {
    let tree = Tree::new();
    for dir in DIRS {
        tree.dir(dir);
    }
    let taken = |slot: usize| tree.exists(os(SLOTS[slot]));
    for entry in entries {
        match entry {
            Entry::File { slot, content } if !taken(*slot) => {
                std::fs::write(tree.path(os(SLOTS[*slot])), content).expect("write file");
            }
            Entry::HardLink { slot, of } if !taken(*slot) => {
                let source = tree.path(os(SLOTS[*of]));
                if std::fs::symlink_metadata(&source).is_ok_and(|m| m.is_file()) {
                    std::fs::hard_link(source, tree.path(os(SLOTS[*slot]))).expect("hard link");
                }
            }
            Entry::Symlink { slot, target } if !taken(*slot) => {
                let link = Path::new(os(SLOTS[*slot]));
                let text: PathBuf = match target {
                    Target::Slot(i) => os(SLOTS[*i]).into(),
                    Target::Dir(i) => DIRS[*i].into(),
                    Target::AbsoluteDir(i) => tree.path(DIRS[*i]),
                    Target::Missing => "missing".into(),
                    Target::ItSelf => link.file_name().unwrap_or_default().into(),
                    // Never out of the tree: a link in the root points at the root itself instead.
                    Target::Parent if link.parent() == Some(Path::new("")) => ".".into(),
                    Target::Parent => "..".into(),
                };
                tree.symlink(link, text);
            }
            Entry::Description { dir, names } => {
                let dir = dir.map_or(PathBuf::new(), |d| PathBuf::from(DIRS[d]));
                let mut text = Vec::new();
                for n in names {
                    let base = Path::new(os(SLOTS[*n])).file_name().unwrap_or_default();
                    text.extend_from_slice(b"\"");
                    text.extend_from_slice(base.as_bytes());
                    text.extend_from_slice(b"\" described\r\n");
                }
                let file = tree.path(dir.join("DESCRIPT.ION"));
                if !tree.exists(&file) {
                    std::fs::write(file, text).expect("write DESCRIPT.ION");
                }
            }
            _ => {}
        }
    }
    tree
}

/// The program and its arguments.
fn command_line(command: &Command) -> (&'static str, Vec<OsString>) {
    let mut args: Vec<OsString> = Vec::new();
    let dry_flag = |dry: bool, args: &mut Vec<OsString>| {
        if dry {
            args.push("--dry-run".into());
        }
    };
    match command {
        Command::Mklink { switch, link, target, dry } => {
            if !MKLINK_SWITCHES[*switch].is_empty() {
                args.push(MKLINK_SWITCHES[*switch].into());
            }
            dry_flag(*dry, &mut args);
            args.extend([path_of(*link).into(), path_of(*target).into()]);
            ("mklink", args)
        }
        Command::Make { target, link, dry } => {
            dry_flag(*dry, &mut args);
            args.extend([path_of(*target).into(), path_of(*link).into()]);
            ("mklnk", args)
        }
        Command::Delete { link, dry } => {
            dry_flag(*dry, &mut args);
            args.extend(["/D".into(), path_of(*link).into()]);
            ("mklnk", args)
        }
        Command::Query { link } => ("mklnk", vec![path_of(*link).into()]),
        Command::Batch { sources, dest, attrs, ranges, dry } => {
            dry_flag(*dry, &mut args);
            // `--vars` tells how many links were made, to tell a partial batch from a refused one.
            args.push("--vars".into());
            args.extend(attrs.map(|a| ATTRS[a].into()));
            args.extend(ranges.iter().map(|r| RANGES[*r].into()));
            args.extend(sources.iter().map(|s| BATCH_SOURCES[*s].into()));
            args.push(BATCH_DESTS[*dest].into());
            ("mklnk", args)
        }
        Command::Garbage { mklink, args: list } => {
            for arg in list {
                args.push(match arg {
                    Arg::Switch(i) if *mklink && *i >= GARBAGE.len() - TCC_ONLY => continue,
                    Arg::Switch(i) => GARBAGE[*i].into(),
                    Arg::Name(n) => path_of(*n).into(),
                });
            }
            (if *mklink { "mklink" } else { "mklnk" }, args)
        }
    }
}

fn is_description(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.eq_ignore_ascii_case("DESCRIPT.ION"))
}

fn is_temporary(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        let n = n.to_string_lossy().to_ascii_lowercase();
        n.contains(".mklink-") || n.contains(".descript.ion.")
    })
}

/// Every file the test has seen, by inode: its content must never change and it must never lose its last name.
#[derive(Default)]
struct Files {
    content: HashMap<u64, Vec<u8>>,
    /// Inodes ever seen under the name `DESCRIPT.ION`: the tool rewrites and removes those by design.
    descriptions: HashSet<u64>,
}

impl Files {
    fn learn(&mut self, snap: &BTreeMap<PathBuf, Snap>) {
        for (path, entry) in snap {
            if let Snap::File { content, ino, .. } = entry {
                if is_description(path) {
                    self.descriptions.insert(*ino);
                } else {
                    self.content.entry(*ino).or_insert_with(|| content.clone());
                }
            }
        }
    }

    /// Checks `snap` against every file known; `Err` says what was lost or changed.
    fn check(&mut self, snap: &BTreeMap<PathBuf, Snap>) -> Result<(), String> {
        let mut seen = HashSet::new();
        for (path, entry) in snap {
            let Snap::File { content, ino, .. } = entry else { continue };
            seen.insert(*ino);
            if is_description(path) {
                self.descriptions.insert(*ino);
                continue;
            }
            match self.content.get(ino) {
                Some(known) if known != content => return Err(format!("{path:?}: content changed")),
                Some(_) => {}
                None if self.descriptions.contains(ino) => {}
                None => return Err(format!("{path:?}: a file with new content appeared")),
            }
        }
        let lost: Vec<_> = self
            .content
            .iter()
            .filter(|(ino, _)| !seen.contains(ino) && !self.descriptions.contains(ino))
            .map(|(_, content)| String::from_utf8_lossy(content).into_owned())
            .collect();
        if lost.is_empty() { Ok(()) } else { Err(format!("file content no longer reachable: {lost:?}")) }
    }
}

/// The entries that differ between two snapshots, ignoring link counts and `DESCRIPT.ION` files.
fn changed_names(before: &BTreeMap<PathBuf, Snap>, after: &BTreeMap<PathBuf, Snap>) -> Vec<PathBuf> {
    let strip = |s: &Snap| match s {
        Snap::File { content, ino, .. } => Snap::File { content: content.clone(), nlink: 0, ino: *ino },
        other => other.clone(),
    };
    let names: std::collections::BTreeSet<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| !is_description(p))
        .filter(|p| before.get(*p).map(strip) != after.get(*p).map(strip))
        .collect();
    names.into_iter().cloned().collect()
}

fn run_case(entries: Vec<Entry>, commands: Vec<Command>) -> Result<(), TestCaseError> {
    let tree = build(&entries);
    let mut files = Files::default();
    let mut before = tree.snapshot();
    files.learn(&before);
    for (step, command) in commands.iter().enumerate() {
        let (program, args) = command_line(command);
        let run = if program == "mklink" { tree.mklink(&args).output() } else { tree.mklnk(&args).output() };
        let out = run.map_err(|e| TestCaseError::fail(format!("could not run {program}: {e}")))?;
        let after = tree.snapshot();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let what =
            format!("step {step}: {program} {args:?} exited {:?}\nstdout: {stdout}\nstderr: {stderr}", out.status);
        let fail = |why: String| TestCaseError::fail(format!("{why}\n{what}\nbefore: {before:#?}\nafter: {after:#?}"));

        let Some(code) = out.status.code() else { return Err(fail("killed by a signal".into())) };
        let allowed: &[i32] = if program == "mklink" { &[0, 1] } else { &[0, 1, 2] };
        if !allowed.contains(&code) || stderr.contains("panicked") {
            return Err(fail(format!("unexpected exit {code} or a panic")));
        }
        let temporaries: Vec<_> = after.keys().filter(|p| is_temporary(p)).collect();
        if !temporaries.is_empty() {
            return Err(fail(format!("temporaries left: {temporaries:?}")));
        }
        files.check(&after).map_err(fail)?;

        let dry = args.iter().any(|a| a == "--dry-run");
        // Any `mklnk` line that may be a batch, stray ones included (several sources, or a source that may be a
        // pattern or a list): its items succeed or fail alone.
        let batch = program == "mklnk"
            && matches!(mklink::cli::mklnk::parse(args.clone()), Parsed::Run(a) if !a.delete && may_be_batch(&a.names));
        // `--vars` prints `_mklnk_files=N`: a failed batch that made no link is a refusal like any other.
        let partial = batch && code == 2 && links_made(&stdout) != Some(0);
        if (dry || (code != 0 && !partial)) && after != before {
            return Err(fail("a refused command or a dry run changed the tree".into()));
        }
        let changed = changed_names(&before, &after);
        if batch {
            // A batch only adds names to its directory, or retargets a soft link there (as `mklnk DIR LINK` does).
            let retargeted =
                |p: &PathBuf| matches!((before.get(p), after.get(p)), (Some(Snap::Symlink(_)), Some(Snap::Symlink(_))));
            if let Some(p) = changed.iter().find(|p| before.contains_key(*p) && !retargeted(p)) {
                return Err(fail(format!("a batch changed or removed {p:?}")));
            }
        } else if changed.len() > 1 {
            return Err(fail(format!("one command changed several names: {changed:?}")));
        }
        if let Some(p) = changed.iter().find(|p| matches!(before.get(*p), Some(Snap::Dir))) {
            return Err(fail(format!("a directory was changed or removed: {p:?}")));
        }
        before = after;
    }
    Ok(())
}

/// Whether `mklnk` names may make a batch: more than one source, or a source holding a wildcard or a `;` (the
/// engine reads it as a pattern or list unless it exists).
fn may_be_batch(names: &[OsString]) -> bool {
    let special = |n: &OsString| n.as_bytes().iter().any(|b| matches!(b, b'*' | b'?' | b'[' | b';'));
    names.len() > 2 || (names.len() == 2 && special(&names[0]))
}

/// The `N` of `_mklnk_files=N` (printed with `--vars`).
fn links_made(stdout: &str) -> Option<u64> {
    stdout.lines().find_map(|l| l.strip_prefix("_mklnk_files=")).and_then(|n| n.trim().parse().ok())
}

/// The seed for this run: `MKLINK_PROPTEST_SEED` when set (to replay a failure), else a fresh one.
fn seed() -> u64 {
    match std::env::var("MKLINK_PROPTEST_SEED") {
        Ok(text) => text.trim().parse().expect("MKLINK_PROPTEST_SEED must be a number"),
        Err(_) => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            nanos.as_secs() ^ u64::from(nanos.subsec_nanos()) << 20 ^ u64::from(std::process::id())
        }
    }
}

#[test]
fn no_sequence_of_commands_loses_data() {
    let seed = seed();
    let cases = std::env::var("MKLINK_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES);
    // Shown by `cargo test` only when the test fails.
    eprintln!("proptest seed {seed}: replay with MKLINK_PROPTEST_SEED={seed} cargo test props::");
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        // Each shrinking step runs binaries: bound the time a failure takes to report.
        max_shrink_iters: 400,
        ..Config::default()
    };
    let strategy = (proptest::collection::vec(entry(), 0..12), proptest::collection::vec(command(), 1..9));
    let mut runner = TestRunner::new(config);
    let started = std::time::Instant::now();
    let result = runner.run(&strategy, |(entries, commands)| run_case(entries, commands));
    if let Err(e) = result {
        panic!("{e}\nseed {seed}: replay with MKLINK_PROPTEST_SEED={seed} cargo test props::");
    }
    eprintln!("{cases} cases in {:?}", started.elapsed());
}
