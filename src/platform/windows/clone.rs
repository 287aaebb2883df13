//! What a whole-tree copy needs beyond links, on Windows.
//!
//! # Platform specific behavior
//! Path-based, like the rest of the Windows [`Dir`]: each call works on `path\name`. Windows has no POSIX
//! owners, permission bits, FIFOs, sockets or devices: the mode is read from and written to the read-only
//! attribute, owners are never changed, special files cannot occur (and [`Dir::make_special`] reports
//! `Unsupported`), and extended attributes are not copied. Times are set through `SetFileTime` (std's
//! `File::set_times`). Copies use `CopyFileExW` (std's `fs::copy`), which the file system may turn into a block
//! clone.

use super::dir::Dir;
use super::lstat;
use crate::platform::{CopyMethod, EntryKind, Node, NodeKind};
use std::ffi::OsStr;
use std::fs::{self, File, FileTimes};
use std::io;
use std::os::windows::fs::{MetadataExt, OpenOptionsExt};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `FILE_FLAG_BACKUP_SEMANTICS`: needed to open a directory as a file.
const BACKUP_SEMANTICS: u32 = 0x0200_0000;
/// `FILE_FLAG_OPEN_REPARSE_POINT`: act on a link itself, never on its target.
const OPEN_REPARSE_POINT: u32 = 0x0020_0000;
/// `FILE_WRITE_ATTRIBUTES`.
const WRITE_ATTRIBUTES: u32 = 0x0100;

fn since_epoch(t: io::Result<SystemTime>) -> (i64, u32) {
    match t.ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()) {
        Some(d) => (i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos()),
        None => (0, 0),
    }
}

fn to_time((secs, nanos): (i64, u32)) -> SystemTime {
    UNIX_EPOCH + Duration::new(u64::try_from(secs).unwrap_or(0), nanos)
}

/// Whether this process may give files away to other owners and make devices: never on Windows, where neither
/// applies.
pub fn is_privileged() -> bool {
    false
}

fn node_of(path: &std::path::Path) -> io::Result<Node> {
    let info = lstat(path)?;
    let md = fs::symlink_metadata(path)?;
    let kind = match info.kind {
        EntryKind::Directory => NodeKind::Directory,
        EntryKind::Symlink | EntryKind::Junction => NodeKind::Symlink,
        _ => NodeKind::File,
    };
    Ok(Node {
        kind,
        mode: if md.permissions().readonly() { 0o444 } else { 0o666 }
            | if kind == NodeKind::Directory { 0o111 } else { 0 },
        uid: 0,
        gid: 0,
        size: md.file_size(),
        modified: since_epoch(md.modified()),
        accessed: since_epoch(md.accessed()),
        dev: info.dev,
        ino: info.ino,
        nlink: info.nlink,
        rdev: 0,
    })
}

fn set_times(path: &std::path::Path, node: &Node, directory: bool) -> io::Result<()> {
    let flags = OPEN_REPARSE_POINT | if directory { BACKUP_SEMANTICS } else { 0 };
    let file = fs::OpenOptions::new().access_mode(WRITE_ATTRIBUTES).custom_flags(flags).open(path)?;
    file.set_times(FileTimes::new().set_modified(to_time(node.modified)).set_accessed(to_time(node.accessed)))
}

fn set_read_only(path: &std::path::Path, node: &Node) -> io::Result<()> {
    let mut perms = fs::symlink_metadata(path)?.permissions();
    let read_only = node.mode & 0o222 == 0;
    if perms.readonly() != read_only {
        perms.set_readonly(read_only);
        fs::set_permissions(path, perms)?;
    }
    Ok(())
}

impl Dir {
    /// Reads everything about the entry `name` without following a link.
    ///
    /// # Errors
    /// The OS error.
    pub fn node(&self, name: &OsStr) -> io::Result<Node> {
        node_of(&self.path().join(name))
    }

    /// Reads everything about this directory itself.
    ///
    /// # Errors
    /// The OS error.
    pub fn self_node(&self) -> io::Result<Node> {
        node_of(self.path())
    }

    /// Makes the directory `name` (the mode is not used on Windows).
    ///
    /// # Errors
    /// The OS error; ERROR_ALREADY_EXISTS when the name exists.
    pub fn make_dir(&self, name: &OsStr, _mode: u32) -> io::Result<()> {
        fs::create_dir(self.path().join(name))
    }

    /// Removes the empty directory `name` (a directory link is removed as the link itself).
    ///
    /// # Errors
    /// The OS error.
    pub fn remove_dir(&self, name: &OsStr) -> io::Result<()> {
        fs::remove_dir(self.path().join(name))
    }

    /// Clears this directory's read-only attribute, so a tree this process made can be taken apart again.
    ///
    /// # Errors
    /// The OS error.
    pub fn make_owner_writable(&self) -> io::Result<()> {
        let mut perms = fs::metadata(self.path())?.permissions();
        if perms.readonly() {
            // On Windows this clears the read-only attribute only; the Unix concern of the lint does not apply.
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            fs::set_permissions(self.path(), perms)?;
        }
        Ok(())
    }

    /// FIFOs, sockets and devices do not exist on Windows.
    ///
    /// # Errors
    /// Always `Unsupported`.
    pub fn make_special(&self, _name: &OsStr, _node: &Node) -> io::Result<()> {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }

    /// Gives this directory the read-only attribute and times of `node` (owners are not changed on Windows).
    ///
    /// # Errors
    /// The OS error.
    pub fn set_self_meta(&self, node: &Node, _owner: bool) -> io::Result<()> {
        set_times(self.path(), node, true)?;
        set_read_only(self.path(), node)
    }

    /// Gives the entry `name` the times of `node` (a link's own times, never its target's).
    ///
    /// # Errors
    /// The OS error.
    pub fn set_entry_meta(&self, name: &OsStr, node: &Node, _owner: bool) -> io::Result<()> {
        let path = self.path().join(name);
        set_times(&path, node, fs::symlink_metadata(&path)?.is_dir())
    }

    /// The most names one file may have: 1,024 on NTFS, the only Windows file system with hard links in
    /// common use (FAT and exFAT have none, and refuse the first one).
    pub fn link_max(&self) -> Option<u64> {
        Some(1_024)
    }

    /// Extended attributes are not copied on Windows.
    ///
    /// # Errors
    /// Never.
    pub fn copy_xattrs_from(&self, _from: &Dir) -> io::Result<()> {
        Ok(())
    }

    /// Copies the regular file `name` to the new file `dest/dest_name` with its times and read-only attribute.
    ///
    /// # Errors
    /// ERROR_FILE_EXISTS when the new name exists; other OS errors.
    pub fn copy_file(
        &self,
        name: &OsStr,
        dest: &Dir,
        dest_name: &OsStr,
        node: &Node,
        _owner: bool,
    ) -> io::Result<CopyMethod> {
        let (from, to) = (self.path().join(name), dest.path().join(dest_name));
        if fs::symlink_metadata(&to).is_ok() {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        if !fs::symlink_metadata(&from)?.is_file() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
        }
        fs::copy(&from, &to)?;
        let _ = File::open(&to)?;
        set_times(&to, node, false)?;
        set_read_only(&to, node)?;
        Ok(CopyMethod::ReadWrite)
    }
}
