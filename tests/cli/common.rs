//! Shared test code: a temporary tree builder, a way to run either binary inside it with a pinned environment,
//! queries that never follow links, snapshots for "nothing changed" assertions, and the root-only fixtures
//! (small tmpfs mounts, read-only bind mounts, running as an unprivileged user).

#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

/// A temporary directory tree for one test.
pub struct Tree {
    dir: tempfile::TempDir,
    mounts: Vec<PathBuf>,
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
        Tree { dir, mounts: Vec::new() }
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

    pub fn symlink(&self, link: impl AsRef<Path>, target: impl AsRef<Path>) -> &Tree {
        std::os::unix::fs::symlink(target, self.path(link)).expect("symlink");
        self
    }

    pub fn hardlink(&self, link: impl AsRef<Path>, target: impl AsRef<Path>) -> &Tree {
        fs::hard_link(self.path(target), self.path(link)).expect("hard link");
        self
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::cargo_bin(program).expect("binary");
        cmd.current_dir(self.root()).env("LC_ALL", "C").env("NO_COLOR", "1").env("TZ", "UTC");
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
    /// that `nobody` can walk it; the binary is copied into it so that `nobody` can run it.
    pub fn as_nobody<I, S>(&self, program: &str, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(self.root(), fs::Permissions::from_mode(0o755)).expect("chmod tree");
        let bin = self.path(format!(".bin-{program}"));
        if !bin.exists() {
            fs::copy(assert_cmd::cargo::cargo_bin(program), &bin).expect("copy binary");
            wait_until_executable(&bin);
        }
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]).arg(&bin).args(args);
        cmd.current_dir(self.root()).env("LC_ALL", "C").env("NO_COLOR", "1");
        cmd
    }

    pub fn is_symlink(&self, rel: impl AsRef<Path>) -> bool {
        fs::symlink_metadata(self.path(rel)).is_ok_and(|m| m.file_type().is_symlink())
    }

    pub fn exists(&self, rel: impl AsRef<Path>) -> bool {
        fs::symlink_metadata(self.path(rel)).is_ok()
    }

    pub fn link_target(&self, rel: impl AsRef<Path>) -> PathBuf {
        fs::read_link(self.path(rel)).expect("read link")
    }

    pub fn link_count(&self, rel: impl AsRef<Path>) -> u64 {
        fs::symlink_metadata(self.path(rel)).expect("lstat").nlink()
    }

    pub fn ino(&self, rel: impl AsRef<Path>) -> u64 {
        fs::symlink_metadata(self.path(rel)).expect("lstat").ino()
    }

    pub fn read(&self, rel: impl AsRef<Path>) -> String {
        fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Every entry under the tree, read without following links (the binaries copied in are left out).
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Snap> {
        let mut map = BTreeMap::new();
        snap_dir(self.root(), Path::new(""), &mut map);
        map.retain(|p, _| !p.to_string_lossy().starts_with(".bin-"));
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
    pub fn mount_tmpfs(&mut self, rel: &str, options: &str) -> PathBuf {
        let at = self.path(rel);
        fs::create_dir_all(&at).expect("mount point");
        run_ok(StdCommand::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs"]).arg(&at));
        self.mounts.push(at.clone());
        at
    }

    /// Mounts the file system image `image` (relative to the tree) at `rel` through a loop device.
    pub fn mount_loop(&mut self, image: &str, rel: &str) -> PathBuf {
        let at = self.path(rel);
        fs::create_dir_all(&at).expect("mount point");
        run_ok(StdCommand::new("mount").arg("-o").arg("loop").arg(self.path(image)).arg(&at));
        self.mounts.push(at.clone());
        at
    }

    /// Bind-mounts `rel` onto itself read-only.
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

/// Waits until a freshly written binary can be run. Another test thread that forks while the copy's write
/// descriptor is open holds it until that child execs; running the copy meanwhile fails with ETXTBSY.
fn wait_until_executable(bin: &Path) {
    const TEXT_FILE_BUSY: i32 = 26;
    for _ in 0..200 {
        match StdCommand::new(bin).arg("--version").output() {
            Err(e) if e.raw_os_error() == Some(TEXT_FILE_BUSY) => {
                std::thread::sleep(std::time::Duration::from_millis(5))
            }
            _ => return,
        }
    }
}

fn run_ok(cmd: &mut StdCommand) {
    let out = cmd.output().expect("run mount (tests need root and mount(8))");
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn snap_dir(abs: &Path, rel: &Path, map: &mut BTreeMap<PathBuf, Snap>) {
    let Ok(entries) = fs::read_dir(abs) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel_path = rel.join(entry.file_name());
        let Ok(md) = fs::symlink_metadata(&path) else { continue };
        let snap = if md.file_type().is_symlink() {
            Snap::Symlink(fs::read_link(&path).unwrap_or_default())
        } else if md.is_dir() {
            snap_dir(&path, &rel_path, map);
            Snap::Dir
        } else if md.is_file() {
            Snap::File { content: fs::read(&path).unwrap_or_default(), nlink: md.nlink(), ino: md.ino() }
        } else {
            Snap::Other
        };
        map.insert(rel_path, snap);
    }
}

/// A name that is not valid UTF-8.
pub fn non_utf8(prefix: &str) -> OsString {
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, b'x']);
    OsString::from_vec(bytes)
}

/// The bytes of an `OsStr`.
pub fn bytes(s: &OsStr) -> &[u8] {
    s.as_bytes()
}

/// A predicate on output bytes: the text holds `needle`.
pub fn contains(needle: &str) -> impl predicates::Predicate<[u8]> + use<> {
    use predicates::prelude::*;
    predicates::str::contains(needle.to_string()).from_utf8()
}
