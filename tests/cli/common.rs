//! Shared test code: a temporary tree builder, a way to run either binary inside it with a pinned environment,
//! queries that never follow links, snapshots for "nothing changed" assertions, and the root-only fixtures
//! (small tmpfs mounts, read-only bind mounts, running as an unprivileged user). Link counts, identities and link
//! kinds are read through the crate's own platform layer, so the tree works on Windows too; the root-only
//! fixtures and raw byte names are Unix-only.

#![allow(dead_code)]

use assert_cmd::Command;
use mklink::platform;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

/// Whether a missing need fails the test instead of skipping it: in CI (`CI=true`), where everything is
/// installed and the tests run as root, a skip would hide a test that never ran.
fn skips_fail() -> bool {
    std::env::var_os("CI").is_some_and(|v| v == "true")
}

/// Skips the running test with one line on stderr saying what it needs (or fails it in CI). Returns `false`, so a
/// test writes `if !require_root("…") { return; }`.
fn missing(need: &str) -> bool {
    let test = std::thread::current().name().unwrap_or("this test").to_string();
    assert!(!skips_fail(), "{test} needs {need}, and CI=true does not allow skipping it");
    // Straight to the process's stderr: the test harness captures `eprintln!` and shows it only on failure.
    let line = format!("skipped {test}: needs {need} (.ci/run installs everything and runs as root)\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    false
}

/// Whether the tests run as root. `MKLINK_TEST_AS_USER=1` makes a root run behave as an ordinary user's, to
/// check the skip path.
pub fn is_root() -> bool {
    #[cfg(unix)]
    let root = rustix::process::geteuid().is_root();
    #[cfg(not(unix))]
    let root = false;
    root && std::env::var_os("MKLINK_TEST_AS_USER").is_none_or(|v| v != "1")
}

/// Whether the test may go on: true as root; otherwise one line on stderr says the test was skipped and why
/// (`what` says what it does with root, e.g. "mounts a tmpfs"), or, with `CI=true`, the test fails.
pub fn require_root(what: &str) -> bool {
    is_root() || missing(&format!("root: it {what}"))
}

/// Whether `tool` is on `PATH`; otherwise the test is skipped with one line on stderr (or fails with `CI=true`).
pub fn require_tool(tool: &str) -> bool {
    let found =
        std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
    found || missing(&format!("the program {tool}"))
}

/// A temporary directory tree for one test.
pub struct Tree {
    dir: tempfile::TempDir,
    mounts: Vec<PathBuf>,
    /// Where the binaries keep their cache and state (dedupe's hash cache and journals) during the test: outside
    /// the tree, so snapshots do not see it, and never the user's own.
    home: tempfile::TempDir,
}

/// What one entry looked like, read without following links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Snap {
    File { content: Vec<u8>, nlink: u64, ino: u64 },
    Dir,
    Symlink(PathBuf),
    Other,
}

impl Tree {
    pub fn new() -> Tree {
        let dir = tempfile::Builder::new().prefix("mklink-test").tempdir().expect("temp dir");
        let home = tempfile::Builder::new().prefix("mklink-test-home").tempdir().expect("temp home");
        #[cfg(unix)]
        {
            // Runs as `nobody` keep their cache and state here too.
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(home.path(), fs::Permissions::from_mode(0o1777)).expect("chmod home");
        }
        Tree { dir, mounts: Vec::new(), home }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn file(&self, rel: impl AsRef<Path>, content: &str) -> &Tree {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("parent");
        }
        fs::write(p, content).expect("write file");
        self
    }

    pub fn dir(&self, rel: impl AsRef<Path>) -> &Tree {
        fs::create_dir_all(self.path(rel)).expect("mkdir");
        self
    }

    #[cfg(unix)]
    pub fn symlink(&self, link: impl AsRef<Path>, target: impl AsRef<Path>) -> &Tree {
        std::os::unix::fs::symlink(target, self.path(link)).expect("symlink");
        self
    }

    pub fn hardlink(&self, link: impl AsRef<Path>, target: impl AsRef<Path>) -> &Tree {
        fs::hard_link(self.path(target), self.path(link)).expect("hard link");
        self
    }

    /// The environment that keeps a binary's cache and state inside this test (for processes spawned by hand).
    pub fn state_env(&self) -> [(&'static str, PathBuf); 2] {
        [("XDG_CACHE_HOME", self.home.path().join("cache")), ("XDG_STATE_HOME", self.home.path().join("state"))]
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(binary(program));
        cmd.current_dir(self.root()).env("LC_ALL", "C").env("NO_COLOR", "1").env("TZ", "UTC");
        cmd.env("XDG_CACHE_HOME", self.home.path().join("cache")).env("XDG_STATE_HOME", self.home.path().join("state"));
        cmd
    }

    /// `mklink` run inside the tree.
    pub fn mklink<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command("mklink");
        cmd.args(args);
        cmd
    }

    /// `mklnk` run inside the tree.
    pub fn mklnk<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command("mklnk");
        cmd.args(args);
        cmd
    }

    /// A binary run as the unprivileged user `nobody` (root ignores permission bits). The tree is opened up so
    /// that `nobody` can walk it; the binary runs from a copy `nobody` can reach.
    #[cfg(unix)]
    pub fn as_nobody<I, S>(&self, program: &str, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(self.root(), fs::Permissions::from_mode(0o755)).expect("chmod tree");
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]).arg(shared_copy(program)).args(args);
        cmd.current_dir(self.root()).env("LC_ALL", "C").env("NO_COLOR", "1");
        cmd.env("XDG_CACHE_HOME", self.home.path().join("cache")).env("XDG_STATE_HOME", self.home.path().join("state"));
        cmd
    }

    /// A symbolic link or junction.
    pub fn is_symlink(&self, rel: impl AsRef<Path>) -> bool {
        platform::lstat(&self.path(rel)).is_ok_and(|info| info.kind.is_link())
    }

    pub fn exists(&self, rel: impl AsRef<Path>) -> bool {
        fs::symlink_metadata(self.path(rel)).is_ok()
    }

    pub fn link_target(&self, rel: impl AsRef<Path>) -> PathBuf {
        platform::read_link(&self.path(rel)).expect("read link")
    }

    pub fn link_count(&self, rel: impl AsRef<Path>) -> u64 {
        platform::lstat(&self.path(rel)).expect("lstat").nlink
    }

    pub fn ino(&self, rel: impl AsRef<Path>) -> u64 {
        platform::lstat(&self.path(rel)).expect("lstat").ino
    }

    pub fn read(&self, rel: impl AsRef<Path>) -> String {
        fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Every entry under the tree, read without following links.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Snap> {
        let mut map = BTreeMap::new();
        snap_dir(self.root(), Path::new(""), &mut map);
        map
    }

    /// Names in the tree that look like our temporary files.
    pub fn temporaries(&self) -> Vec<PathBuf> {
        self.snapshot()
            .into_keys()
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(".mklink-")))
            .collect()
    }

    /// Mounts a tmpfs of `options` (e.g. `size=64k,nr_inodes=4`) at `rel`, unmounted when the tree goes.
    /// Tests run as root here; a failure to mount fails the test rather than skipping it.
    #[cfg(unix)]
    pub fn mount_tmpfs(&mut self, rel: &str, options: &str) -> PathBuf {
        let at = self.path(rel);
        fs::create_dir_all(&at).expect("mount point");
        run_ok(StdCommand::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs"]).arg(&at));
        self.mounts.push(at.clone());
        at
    }

    /// Mounts the file system image `image` (relative to the tree) at `rel` through a loop device.
    #[cfg(unix)]
    pub fn mount_loop(&mut self, image: &str, rel: &str) -> PathBuf {
        let at = self.path(rel);
        fs::create_dir_all(&at).expect("mount point");
        run_ok(StdCommand::new("mount").arg("-o").arg("loop").arg(self.path(image)).arg(&at));
        self.mounts.push(at.clone());
        at
    }

    /// Bind-mounts `rel` onto itself read-only.
    #[cfg(unix)]
    pub fn mount_read_only(&mut self, rel: &str) -> PathBuf {
        let at = self.path(rel);
        fs::create_dir_all(&at).expect("mount point");
        run_ok(StdCommand::new("mount").arg("--bind").arg(&at).arg(&at));
        self.mounts.push(at.clone());
        run_ok(StdCommand::new("mount").args(["-o", "remount,bind,ro"]).arg(&at));
        at
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        for at in self.mounts.iter().rev() {
            let _ = StdCommand::new("umount").arg("-l").arg(at).status();
        }
    }
}

#[cfg(unix)]
/// A copy of the binary in a directory every user can reach, made once per test process. It is run once before
/// use, retrying while another thread's fork still holds the copy open for writing (ETXTBSY).
fn shared_copy(program: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    use std::sync::{Mutex, OnceLock};
    static COPIES: OnceLock<Mutex<BTreeMap<String, PathBuf>>> = OnceLock::new();
    let mut copies = COPIES.get_or_init(|| Mutex::new(BTreeMap::new())).lock().expect("copies");
    if let Some(path) = copies.get(program) {
        return path.clone();
    }
    sweep_ended_copies();
    let dir = std::env::temp_dir().join(format!("{COPY_PREFIX}{}", std::process::id()));
    fs::create_dir_all(&dir).expect("bin dir");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod bin dir");
    let path = dir.join(program);
    fs::copy(binary(program), &path).expect("copy binary");
    const TEXT_FILE_BUSY: i32 = 26;
    for _ in 0..200 {
        match StdCommand::new(&path).arg("--version").output() {
            Err(e) if e.raw_os_error() == Some(TEXT_FILE_BUSY) => {
                std::thread::sleep(std::time::Duration::from_millis(5))
            }
            _ => break,
        }
    }
    copies.insert(program.to_string(), path.clone());
    path
}

#[cfg(unix)]
const COPY_PREFIX: &str = "mklink-test-bin-";

#[cfg(unix)]
/// Removes the copies made by test processes that have ended: a test process has no hook at exit to remove its
/// own. A process is known to have ended when `/proc` has no entry for its id (where there is no `/proc`,
/// nothing is removed; a reused id merely keeps a copy a while longer).
fn sweep_ended_copies() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name.to_str().and_then(|n| n.strip_prefix(COPY_PREFIX)).and_then(|n| n.parse::<u32>().ok());
        if pid.is_some_and(|pid| !Path::new("/proc").join(pid.to_string()).exists()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The path of one of the crate's binaries: beside the `deps` directory holding this test binary. Unlike
/// `CARGO_BIN_EXE_*` (a host path) this is valid inside Wine too, and unlike `Command::cargo_bin` it adds no
/// `CARGO_TARGET_*_RUNNER`: the tests already run under it.
pub fn binary(program: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target directory");
    dir.join(format!("{program}{}", std::env::consts::EXE_SUFFIX))
}

#[cfg(unix)]
fn run_ok(cmd: &mut StdCommand) {
    let out = cmd.output().expect("run mount (tests need root and mount(8))");
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn snap_dir(abs: &Path, rel: &Path, map: &mut BTreeMap<PathBuf, Snap>) {
    let Ok(entries) = fs::read_dir(abs) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel_path = rel.join(entry.file_name());
        let Ok(info) = platform::lstat(&path) else { continue };
        let snap = match info.kind {
            kind if kind.is_link() => Snap::Symlink(platform::read_link(&path).unwrap_or_default()),
            platform::EntryKind::Directory => {
                snap_dir(&path, &rel_path, map);
                Snap::Dir
            }
            platform::EntryKind::File => {
                Snap::File { content: fs::read(&path).unwrap_or_default(), nlink: info.nlink, ino: info.ino }
            }
            _ => Snap::Other,
        };
        map.insert(rel_path, snap);
    }
}

/// A name that is not valid UTF-8.
#[cfg(unix)]
pub fn non_utf8(prefix: &str) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, b'x']);
    std::ffi::OsString::from_vec(bytes)
}

/// The bytes of an `OsStr`.
#[cfg(unix)]
pub fn bytes(s: &OsStr) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes()
}

/// A predicate on output bytes: the text holds `needle`.
pub fn contains(needle: &str) -> impl predicates::Predicate<[u8]> + use<> {
    use predicates::prelude::*;
    predicates::str::contains(needle.to_string()).from_utf8()
}

/// A binary started in a tree and held at a named pause point of a debug build (`platform::pause_point`) until
/// [`Held::release`]: the one way the tests act at the most delicate moment of an operation.
#[cfg(unix)]
pub struct Held {
    /// The running process (a test may signal or kill it).
    pub child: std::process::Child,
    pause_dir: PathBuf,
    point: String,
}

/// How a held process ended.
#[cfg(unix)]
pub struct Released {
    /// Its exit code (-1 when a signal ended it).
    pub code: i32,
    /// What it printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
    /// Whether it passed the pause point again after the release.
    pub passed_again: bool,
}

#[cfg(unix)]
impl Held {
    /// Starts `program args` in the tree (environment pinned as for [`Tree::mklnk`]) and waits until it reaches
    /// `point`.
    pub fn start(tree: &Tree, program: &str, args: &[&str], point: &str) -> Held {
        let mut command = StdCommand::new(binary(program));
        command.args(args);
        Held::start_command(tree, command, &format!("{program} {args:?}"), point)
    }

    /// [`Held::start`] for a command built by the caller (`shown` names it in a failure).
    pub fn start_command(tree: &Tree, mut command: StdCommand, shown: &str, point: &str) -> Held {
        let pause_dir = tree.path(".pause");
        fs::create_dir_all(&pause_dir).expect("pause dir");
        let mut child = command
            .current_dir(tree.root())
            .env("LC_ALL", "C")
            .env("NO_COLOR", "1")
            .envs(tree.state_env())
            .env("MKLINK_TEST_PAUSE", point)
            .env("MKLINK_TEST_PAUSE_DIR", &pause_dir)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        let reached = pause_dir.join(format!("{point}.reached"));
        for _ in 0..10_000 {
            if reached.exists() {
                // Removed, so that passing the point again after the release shows.
                fs::remove_file(&reached).expect("remove reached");
                return Held { child, pause_dir, point: point.to_string() };
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("{shown} never reached the pause point {point}");
    }

    /// Sends the signal `name` (`INT`, `TERM`, `HUP`) to the held process.
    pub fn signal(&self, name: &str) {
        let status = StdCommand::new("kill").arg(format!("-{name}")).arg(self.child.id().to_string()).status();
        assert!(status.expect("kill").success());
    }

    /// Lets the process go on and waits for it.
    pub fn release(self) -> Released {
        fs::write(self.pause_dir.join(format!("{}.go", self.point)), b"").expect("go");
        let reached = self.pause_dir.join(format!("{}.reached", self.point));
        let out = self.child.wait_with_output().expect("wait");
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        Released {
            code: out.status.code().unwrap_or(-1),
            stdout: text(out.stdout),
            stderr: text(out.stderr),
            passed_again: reached.exists(),
        }
    }
}
