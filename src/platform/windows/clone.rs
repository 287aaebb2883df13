//! What a whole-tree copy needs beyond links, on Windows.
//!
//! # Platform specific behavior
//! Every entry is opened relative to its directory's handle, like the rest of the Windows [`Dir`]. Windows has
//! no POSIX owners, permission bits, FIFOs, sockets or devices: the mode is read from and written to the
//! read-only attribute, owners are never changed, special files cannot occur (and [`Dir::make_special`] reports
//! `Unsupported`), and extended attributes are not copied. Times are set through `SetFileTime` (std's
//! `File::set_times`) on a handle of the entry. File data is copied by reading and writing.

use super::dir::Dir;
use super::ffi::{FileInfo, info_of};
use super::nt::{self, How};
use crate::platform::{CopyMethod, EntryKind, Node, NodeKind};
use std::ffi::OsStr;
use std::fs::{File, FileTimes};
use std::io;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use windows_sys::Wdk::Storage::FileSystem::{FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE};
use windows_sys::Win32::Foundation::{ERROR_DIRECTORY, FILETIME};
use windows_sys::Win32::Storage::FileSystem::{
    DELETE, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL, FILE_ATTRIBUTE_READONLY, FILE_GENERIC_WRITE,
    FILE_READ_ATTRIBUTES, FILE_WRITE_ATTRIBUTES,
};

fn to_time((secs, nanos): (i64, u32)) -> SystemTime {
    UNIX_EPOCH + Duration::new(u64::try_from(secs).unwrap_or(0), nanos)
}

/// Whether this process may give files away to other owners and make devices: never on Windows, where neither
/// applies.
pub fn is_privileged() -> bool {
    false
}

/// Everything about an entry, from what was read through its handle (opened without following a link).
fn node_of(facts: &FileInfo) -> Node {
    let info = super::entry_info(facts);
    let by = &facts.by_handle;
    let since = |t: FILETIME| {
        let time = super::dir::unix_time(t);
        (time.secs, time.nanos)
    };
    let kind = match info.kind {
        EntryKind::Directory => NodeKind::Directory,
        EntryKind::Symlink | EntryKind::Junction => NodeKind::Symlink,
        _ => NodeKind::File,
    };
    Node {
        kind,
        mode: if by.dwFileAttributes & FILE_ATTRIBUTE_READONLY != 0 { 0o444 } else { 0o666 }
            | if kind == NodeKind::Directory { 0o111 } else { 0 },
        uid: 0,
        gid: 0,
        size: (u64::from(by.nFileSizeHigh) << 32) | u64::from(by.nFileSizeLow),
        modified: since(by.ftLastWriteTime),
        accessed: since(by.ftLastAccessTime),
        dev: info.dev,
        ino: info.ino,
        nlink: info.nlink,
        rdev: 0,
    }
}

/// Gives the entry open as `file` (with FILE_WRITE_ATTRIBUTES) the times of `node`.
fn set_times(file: &File, node: &Node) -> io::Result<()> {
    file.set_times(FileTimes::new().set_modified(to_time(node.modified)).set_accessed(to_time(node.accessed)))
}

/// Gives the entry open as `file` (with FILE_READ_ATTRIBUTES and FILE_WRITE_ATTRIBUTES) the read-only attribute
/// `node`'s mode says.
fn set_read_only(file: &File, node: &Node) -> io::Result<()> {
    let mut perms = file.metadata()?.permissions();
    let read_only = node.mode & 0o222 == 0;
    if perms.readonly() != read_only {
        // On Windows this only sets or clears the read-only attribute; the Unix concern of the lint does not apply.
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(read_only);
        file.set_permissions(perms)?;
    }
    Ok(())
}

/// The access that reading and changing an entry's attributes and times needs.
const ATTRIBUTES: u32 = FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES;

impl Dir {
    /// Reads everything about the entry `name` without following a link.
    ///
    /// # Errors
    /// The OS error.
    pub fn node(&self, name: &OsStr) -> io::Result<Node> {
        Ok(node_of(&self.facts(&self.open_entry(name, How::open(FILE_READ_ATTRIBUTES))?)?))
    }

    /// Reads everything about this directory itself.
    ///
    /// # Errors
    /// The OS error.
    pub fn self_node(&self) -> io::Result<Node> {
        Ok(node_of(&info_of(&self.handle)?))
    }

    /// Makes the directory `name` (the mode is not used on Windows).
    ///
    /// # Errors
    /// The OS error; ERROR_ALREADY_EXISTS when the name exists.
    pub fn make_dir(&self, name: &OsStr, _mode: u32) -> io::Result<()> {
        self.open_entry(name, How::create(FILE_READ_ATTRIBUTES, FILE_DIRECTORY_FILE, 0)).map(drop)
    }

    /// Removes the empty directory `name` (a directory link is removed as the link itself), deleting through a
    /// handle of the entry opened relative to this directory.
    ///
    /// # Errors
    /// The OS error: ERROR_DIRECTORY when `name` is not a directory, ERROR_DIR_NOT_EMPTY when it has entries.
    pub fn remove_dir(&self, name: &OsStr) -> io::Result<()> {
        let entry = self.open_entry(name, How::open(DELETE | FILE_READ_ATTRIBUTES))?;
        if self.facts(&entry)?.by_handle.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY == 0 {
            return Err(io::Error::from_raw_os_error(ERROR_DIRECTORY as i32));
        }
        nt::delete(&entry)
    }

    /// Clears this directory's read-only attribute, so a tree this process made can be taken apart again.
    ///
    /// # Errors
    /// The OS error.
    pub fn make_owner_writable(&self) -> io::Result<()> {
        let this = File::from(self.reopen(ATTRIBUTES)?);
        let mut perms = this.metadata()?.permissions();
        if perms.readonly() {
            // On Windows this clears the read-only attribute only; the Unix concern of the lint does not apply.
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            this.set_permissions(perms)?;
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
        let this = File::from(self.reopen(ATTRIBUTES)?);
        set_times(&this, node)?;
        set_read_only(&this, node)
    }

    /// Gives the entry `name` the times of `node` (a link's own times, never its target's).
    ///
    /// # Errors
    /// The OS error.
    pub fn set_entry_meta(&self, name: &OsStr, node: &Node, _owner: bool) -> io::Result<()> {
        set_times(&File::from(self.open_entry(name, How::open(ATTRIBUTES))?), node)
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
    /// If the copy fails halfway, the new file is deleted again through its own handle.
    ///
    /// # Errors
    /// `InvalidData` when `name` is not a regular file; ERROR_FILE_EXISTS or ERROR_ALREADY_EXISTS when the new
    /// name exists; other OS errors.
    pub fn copy_file(
        &self,
        name: &OsStr,
        dest: &Dir,
        dest_name: &OsStr,
        node: &Node,
        _owner: bool,
    ) -> io::Result<CopyMethod> {
        let mut from = self.open_regular(name)?;
        let how = How::create(FILE_GENERIC_WRITE | ATTRIBUTES | DELETE, FILE_NON_DIRECTORY_FILE, FILE_ATTRIBUTE_NORMAL);
        let mut to = File::from(dest.open_entry(dest_name, how)?);
        let copied =
            io::copy(&mut from, &mut to).and_then(|_| set_times(&to, node)).and_then(|()| set_read_only(&to, node));
        if let Err(e) = copied {
            let _ = nt::delete(&to);
            return Err(e);
        }
        Ok(CopyMethod::ReadWrite)
    }
}
