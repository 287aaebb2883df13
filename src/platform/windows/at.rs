//! The directory-relative calls of the engine, on Windows.
//!
//! # Platform specific behavior
//! A [`Dir`] on Windows holds its directory's path, and every call here works on `path\name`: the names are
//! resolved by path at each call, not through a handle opened once. A rename or swap of a parent directory
//! during an operation can therefore redirect it; the README lists this. Links are still never followed: every
//! name is opened with `FILE_FLAG_OPEN_REPARSE_POINT`.

use super::dir::{Dir, EntryName};
use super::{hard_link, lstat, read_link, remove_entry};
use crate::platform::{EntryInfo, EntryKind, Rename};
use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

impl Dir {
    fn child(&self, name: &OsStr) -> PathBuf {
        self.path().join(name)
    }

    /// Opens the subdirectory `name` without following a link: a name that is a symbolic link or junction is
    /// refused with ERROR_CANT_RESOLVE_FILENAME, one that is not a directory with ERROR_DIRECTORY.
    ///
    /// # Errors
    /// The OS error.
    pub fn open_subdir(&self, name: &OsStr) -> io::Result<Dir> {
        let path = self.child(name);
        match lstat(&path)?.kind {
            EntryKind::Directory => Dir::open(&path),
            EntryKind::Symlink | EntryKind::Junction => {
                Err(io::Error::from_raw_os_error(windows_sys::Win32::Foundation::ERROR_CANT_RESOLVE_FILENAME as i32))
            }
            _ => Err(io::Error::from_raw_os_error(windows_sys::Win32::Foundation::ERROR_DIRECTORY as i32)),
        }
    }

    /// Another [`Dir`] for the same directory.
    ///
    /// # Errors
    /// Never on Windows.
    pub fn try_clone(&self) -> io::Result<Dir> {
        Dir::open(self.path())
    }

    /// The facts about this directory itself.
    ///
    /// # Errors
    /// The OS error.
    pub fn info(&self) -> io::Result<EntryInfo> {
        lstat(self.path())
    }

    /// Reads what the entry `name` is without following a link.
    ///
    /// # Errors
    /// The OS error.
    pub fn lstat(&self, name: &OsStr) -> io::Result<EntryInfo> {
        lstat(&self.child(name))
    }

    /// Reads what the entry `name` leads to, following links. Only the kind is filled in.
    ///
    /// # Errors
    /// The OS error: ERROR_FILE_NOT_FOUND for a dangling link.
    pub fn stat_follow(&self, name: &OsStr) -> io::Result<EntryInfo> {
        let md = std::fs::metadata(self.child(name))?;
        let kind = if md.is_dir() { EntryKind::Directory } else { EntryKind::File };
        Ok(EntryInfo { kind, nlink: 1, dev: 0, ino: 0 })
    }

    /// Reads where the link `name` points.
    ///
    /// # Errors
    /// The OS error; ERROR_NOT_A_REPARSE_POINT when `name` is not a link.
    pub fn read_link(&self, name: &OsStr) -> io::Result<PathBuf> {
        read_link(&self.child(name))
    }

    /// Makes the symbolic link `name` holding `target`.
    ///
    /// # Errors
    /// The OS error of `CreateSymbolicLinkW`.
    pub fn symlink(&self, target: &Path, name: &OsStr, target_is_dir: bool) -> io::Result<()> {
        super::symlink(target, &self.child(name), target_is_dir)
    }

    /// Makes the junction `name` to the absolute directory `target`.
    ///
    /// # Errors
    /// The OS error of `CreateDirectoryW` or `DeviceIoControl`.
    pub fn junction(&self, target: &Path, name: &OsStr) -> io::Result<()> {
        super::junction(target, &self.child(name))
    }

    /// Makes `dest\dest_name` a new name of the file `name` (`CreateHardLinkW`).
    ///
    /// # Errors
    /// The OS error of `CreateHardLinkW`.
    pub fn hard_link(&self, name: &OsStr, dest: &Dir, dest_name: &OsStr) -> io::Result<()> {
        hard_link(&self.child(name), &dest.child(dest_name))
    }

    /// Renames `name` to `dest\to`.
    ///
    /// # Platform specific behavior
    /// Windows cannot exchange two names: [`Rename::Exchange`] always fails with ERROR_NOT_SUPPORTED.
    ///
    /// # Errors
    /// The OS error of `MoveFileExW`.
    pub fn rename(&self, from: &OsStr, dest: &Dir, to: &OsStr, how: Rename) -> io::Result<()> {
        let (from, to) = (self.child(from), dest.child(to));
        match how {
            Rename::Replace => super::rename_replace(&from, &to),
            Rename::NoReplace => super::rename_noreplace(&from, &to),
            Rename::Exchange => super::exchange(&from, &to),
        }
    }

    /// Removes the entry `name` (a file, or a link itself), never a real directory.
    ///
    /// # Errors
    /// The OS error.
    pub fn remove(&self, name: &OsStr) -> io::Result<()> {
        remove_entry(&self.child(name))
    }

    /// Opens the regular file `name` for reading, refusing a link or anything but a regular file.
    ///
    /// # Errors
    /// The OS error; `InvalidData` for anything but a regular file.
    pub fn open_regular(&self, name: &OsStr) -> io::Result<File> {
        let path = self.child(name);
        if lstat(&path)?.kind != EntryKind::File {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
        }
        File::open(path)
    }

    /// Creates the new file `name` for writing; fails when the name exists.
    ///
    /// # Errors
    /// The OS error.
    pub fn create_new(&self, name: &OsStr, _mode: u32) -> io::Result<File> {
        File::options().write(true).create_new(true).open(self.child(name))
    }

    /// Takes an exclusive lock for this directory, held until the [`Dir`] is dropped.
    ///
    /// # Platform specific behavior
    /// Windows cannot lock a directory handle; this does nothing.
    ///
    /// # Errors
    /// Never on Windows.
    pub fn lock(&self) -> io::Result<()> {
        Ok(())
    }

    /// Whether names may be added here: the directory's read-only attribute does not forbid it on Windows, so
    /// this only checks that the directory is still there.
    ///
    /// # Errors
    /// The OS error.
    pub fn check_writable(&self) -> io::Result<()> {
        lstat(self.path()).map(|_| ())
    }

    /// Makes changes in this directory durable; nothing to do on Windows.
    pub fn sync(&self) {}
}

impl EntryName<'_> {
    /// The name, borrowed.
    pub fn as_os_str(&self) -> &OsStr {
        self.name()
    }
}

/// The facts about an open file.
///
/// # Errors
/// The OS error of `GetFileInformationByHandle`.
pub fn file_info(file: &File) -> io::Result<EntryInfo> {
    super::ffi::handle_info(file)
}

/// Takes an exclusive lock on an open file (`LockFileEx`), waiting for other holders.
///
/// # Errors
/// The OS error.
pub fn lock_file(file: &File) -> io::Result<()> {
    super::ffi::lock_exclusive(file)
}

/// Windows keeps no Unix owner and mode: zeros.
///
/// # Errors
/// Never on Windows.
pub fn owner_and_mode(_file: &File) -> io::Result<(u32, u32, u32)> {
    Ok((0, 0, 0))
}

/// Windows keeps no Unix owner and mode: nothing to set.
///
/// # Errors
/// Never on Windows.
pub fn set_owner_and_mode(_file: &File, _uid: u32, _gid: u32, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Whether a process with this id still runs.
///
/// # Platform specific behavior
/// Not checked on Windows: always true, so no temporary of another run is ever taken for a leftover.
pub fn process_alive(_pid: u32) -> bool {
    true
}
