//! The directory-relative calls of the engine, on Windows.
//!
//! Every name is one component resolved relative to the [`Dir`]'s handle (`NtCreateFile` with the handle as root
//! directory, see `nt.rs`), opened without following a link (`FILE_OPEN_REPARSE_POINT`); renames, hard links
//! and deletes act on a handle of the entry itself, with the destination directory's handle as root. A rename
//! or swap of a parent directory meanwhile cannot redirect the work: the handle stays on the directory it
//! opened, wherever that directory moves.
//!
//! # Platform specific behavior
//! One call is still resolved by path: [`Dir::symlink`], because `CreateSymbolicLinkW` takes only a path (see
//! there). Windows cannot lock a directory or exchange two names.

use super::dir::{DIR_ACCESS, Dir, EntryName};
use super::ffi::info_of;
use super::nt::{self, Component, How, open_at};
use super::{entry_info, reparse};
use crate::platform::{EntryInfo, EntryKind, Rename};
use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::windows::io::OwnedHandle;
use std::path::{Path, PathBuf};
use windows_sys::Wdk::Storage::FileSystem::{FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE};
use windows_sys::Win32::Foundation as w;
use windows_sys::Win32::Storage::FileSystem::{
    DELETE, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL, FILE_GENERIC_READ, FILE_GENERIC_WRITE,
    FILE_READ_ATTRIBUTES,
};

impl Dir {
    /// Opens the entry `name` of this directory, which must be one plain component (see [`Component::new`]).
    pub(super) fn open_entry(&self, name: &OsStr, how: How) -> io::Result<OwnedHandle> {
        open_at(&self.handle, &Component::new(name)?, how)
    }

    /// Reads what the entry open as `entry` (opened relative to this directory) is.
    pub(super) fn facts(&self, entry: &impl std::os::windows::io::AsRawHandle) -> io::Result<super::ffi::FileInfo> {
        super::ffi::info_within(entry, Some(&self.handle))
    }

    /// Opens this directory itself again, with `access` (a new handle of its own, not a duplicate).
    pub(super) fn reopen(&self, access: u32) -> io::Result<OwnedHandle> {
        open_at(&self.handle, &Component::itself(), How { options: FILE_DIRECTORY_FILE, ..How::open(access) })
    }

    /// Opens the subdirectory `name` relative to this directory's handle without following a link: a name that
    /// is a symbolic link or junction is refused with ERROR_CANT_RESOLVE_FILENAME, one that is not a directory
    /// with ERROR_DIRECTORY; it is never entered. `.` opens this directory again.
    ///
    /// # Errors
    /// The OS error.
    pub fn open_subdir(&self, name: &OsStr) -> io::Result<Dir> {
        if name == "." {
            // This directory itself, as `openat(fd, ".")` gives it on Unix: a second handle of its own.
            return self.try_clone();
        }
        let handle = self.open_entry(name, How { options: FILE_DIRECTORY_FILE, ..How::open(DIR_ACCESS) });
        let loop_error = || io::Error::from_raw_os_error(w::ERROR_CANT_RESOLVE_FILENAME as i32);
        let handle = match handle {
            // A link to a file is no directory either: say "link", as for a link to a directory.
            Err(e) if e.raw_os_error() == Some(w::ERROR_DIRECTORY as i32) => {
                return Err(if self.lstat(name).is_ok_and(|info| info.kind.is_link()) { loop_error() } else { e });
            }
            other => other?,
        };
        match entry_info(&self.facts(&handle)?).kind {
            EntryKind::Directory => Ok(Dir { handle }),
            EntryKind::Symlink | EntryKind::Junction => Err(loop_error()),
            _ => Err(io::Error::from_raw_os_error(w::ERROR_DIRECTORY as i32)),
        }
    }

    /// Another [`Dir`] for the same directory: a new handle opened relative to this one, so the two never
    /// share a position in a listing.
    ///
    /// # Errors
    /// The OS error.
    pub fn try_clone(&self) -> io::Result<Dir> {
        Ok(Dir { handle: self.reopen(DIR_ACCESS)? })
    }

    /// The facts about this directory itself, read through its handle.
    ///
    /// # Errors
    /// The OS error.
    pub fn info(&self) -> io::Result<EntryInfo> {
        Ok(entry_info(&info_of(&self.handle)?))
    }

    /// Reads what the entry `name` is without following a link.
    ///
    /// # Errors
    /// The OS error, e.g. ERROR_FILE_NOT_FOUND when the name is missing.
    pub fn lstat(&self, name: &OsStr) -> io::Result<EntryInfo> {
        Ok(entry_info(&self.facts(&self.open_entry(name, How::open(FILE_READ_ATTRIBUTES))?)?))
    }

    /// Reads what the entry `name` leads to, following links.
    ///
    /// # Errors
    /// The OS error: ERROR_FILE_NOT_FOUND for a dangling link.
    pub fn stat_follow(&self, name: &OsStr) -> io::Result<EntryInfo> {
        let handle = self.open_entry(name, How { follow: true, ..How::open(FILE_READ_ATTRIBUTES) })?;
        Ok(entry_info(&self.facts(&handle)?))
    }

    /// Reads where the link `name` points.
    ///
    /// # Errors
    /// The OS error; ERROR_NOT_A_REPARSE_POINT when `name` is not a link.
    pub fn read_link(&self, name: &OsStr) -> io::Result<PathBuf> {
        reparse::read_link_of(&self.open_entry(name, How::open(FILE_READ_ATTRIBUTES))?)
    }

    /// Makes the symbolic link `name` holding `target`.
    ///
    /// # Platform specific behavior
    /// Resolved by path: `CreateSymbolicLinkW` takes only a path, and it alone honours Developer Mode's
    /// unprivileged creation (a reparse point set through a handle needs the symbolic-link privilege) and turns
    /// the target into the substitute name Windows expects. The path is this directory's own current path, read
    /// from its handle (`GetFinalPathNameByHandleW`) right before the call, so a parent directory renamed
    /// earlier is followed; a rename in the instant between the two calls is not.
    ///
    /// # Errors
    /// The OS error of `GetFinalPathNameByHandleW` or `CreateSymbolicLinkW`; ERROR_INVALID_NAME for a name that is
    /// not one plain component.
    pub fn symlink(&self, target: &Path, name: &OsStr, target_is_dir: bool) -> io::Result<()> {
        Component::new(name)?;
        let here = super::ffi::final_path(&self.handle)?;
        super::symlink(target, &here.join(name), target_is_dir)
    }

    /// Makes the junction `name` to the absolute directory `target`: a directory created relative to this
    /// handle, with the mount-point reparse point set through the new directory's own handle.
    ///
    /// # Platform specific behavior
    /// Under Wine 8 setting the reparse point fails with ERROR_NOT_SUPPORTED, and nothing is left behind.
    ///
    /// # Errors
    /// The OS error of `NtCreateFile` or `DeviceIoControl`.
    pub fn junction(&self, target: &Path, name: &OsStr) -> io::Result<()> {
        reparse::make_junction(&self.handle, &Component::new(name)?, target)
    }

    /// Makes `dest\dest_name` a new name of the file `name` (`FileLinkInformation` on the file opened relative
    /// to this directory, with `dest`'s handle as root directory). A link is linked itself, never followed.
    ///
    /// # Errors
    /// ERROR_ALREADY_EXISTS, ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED for a directory, ERROR_NOT_SAME_DEVICE,
    /// ERROR_TOO_MANY_LINKS, ….
    pub fn hard_link(&self, name: &OsStr, dest: &Dir, dest_name: &OsStr) -> io::Result<()> {
        let to = Component::new(dest_name)?;
        let file =
            self.open_entry(name, How { options: FILE_NON_DIRECTORY_FILE, ..How::open(FILE_READ_ATTRIBUTES) })?;
        nt::link(&file, &dest.handle, &to)
    }

    /// Renames `name` to `dest\to` (`FileRenameInformation(Ex)` on the entry opened relative to this directory,
    /// with `dest`'s handle as root directory).
    ///
    /// # Platform specific behavior
    /// Windows cannot exchange two names: [`Rename::Exchange`] always fails with ERROR_NOT_SUPPORTED. Windows
    /// cannot rename over a directory either, and a directory symbolic link or junction is one: when `to` is such
    /// a link, it is first moved aside to a temporary name in `dest`, the entry takes its name, and the old link
    /// is removed; if that fails, the old link is put back. For that moment `to` is missing.
    ///
    /// # Errors
    /// ERROR_ALREADY_EXISTS for [`Rename::NoReplace`] onto an existing name; other OS errors.
    pub fn rename(&self, from: &OsStr, dest: &Dir, to: &OsStr, how: Rename) -> io::Result<()> {
        if how == Rename::Exchange {
            return Err(io::Error::from_raw_os_error(w::ERROR_NOT_SUPPORTED as i32));
        }
        let to_name = Component::new(to)?;
        let entry = self.open_entry(from, How::open(DELETE | FILE_READ_ATTRIBUTES))?;
        let replace = how == Rename::Replace;
        match nt::rename(&entry, &dest.handle, &to_name, replace) {
            Err(e)
                if replace && e.raw_os_error() == Some(w::ERROR_ACCESS_DENIED as i32) && dest.is_directory_link(to) =>
            {
                let aside = crate::platform::temp_name();
                dest.rename(to, dest, &aside, Rename::NoReplace)?;
                if let Err(e) = nt::rename(&entry, &dest.handle, &to_name, false) {
                    let _ = dest.rename(&aside, dest, to, Rename::NoReplace);
                    return Err(e);
                }
                dest.remove(&aside)
            }
            other => other,
        }
    }

    fn is_directory_link(&self, name: &OsStr) -> bool {
        let info = self.open_entry(name, How::open(FILE_READ_ATTRIBUTES)).and_then(|h| self.facts(&h));
        info.is_ok_and(|info| {
            entry_info(&info).kind.is_link() && info.by_handle.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY != 0
        })
    }

    /// Removes the entry `name` (a file, or a link itself), never a real directory: the entry is opened
    /// relative to this directory, checked through that handle, and deleted through it, so what is deleted is
    /// exactly what was checked.
    ///
    /// # Errors
    /// The OS error; ERROR_ACCESS_DENIED for a real directory (which this never removes) or a read-only file.
    pub fn remove(&self, name: &OsStr) -> io::Result<()> {
        let entry = self.open_entry(name, How::open(DELETE | FILE_READ_ATTRIBUTES))?;
        if entry_info(&self.facts(&entry)?).kind == EntryKind::Directory {
            return Err(io::Error::from_raw_os_error(w::ERROR_ACCESS_DENIED as i32));
        }
        nt::delete(&entry)
    }

    /// Opens the regular file `name` for reading, refusing a link or anything but a regular file.
    ///
    /// # Errors
    /// The OS error; `InvalidData` for anything but a regular file.
    pub fn open_regular(&self, name: &OsStr) -> io::Result<File> {
        let handle = self.open_entry(name, How::open(FILE_GENERIC_READ))?;
        if entry_info(&self.facts(&handle)?).kind != EntryKind::File {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
        }
        Ok(File::from(handle))
    }

    /// Creates the new file `name` for writing; fails when the name exists in any form, even as a link.
    ///
    /// # Errors
    /// The OS error: ERROR_ALREADY_EXISTS when the name exists.
    pub fn create_new(&self, name: &OsStr, _mode: u32) -> io::Result<File> {
        let how =
            How::create(FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES, FILE_NON_DIRECTORY_FILE, FILE_ATTRIBUTE_NORMAL);
        Ok(File::from(self.open_entry(name, how)?))
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
    /// this only checks that the directory's handle still answers.
    ///
    /// # Errors
    /// The OS error.
    pub fn check_writable(&self) -> io::Result<()> {
        self.info().map(|_| ())
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

#[cfg(test)]
#[path = "at_tests.rs"]
mod tests;
