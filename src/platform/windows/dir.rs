//! Directories for the selection: reading entries (std's `read_dir`, which on Windows hands out each entry's
//! attributes with its name at no extra cost), linking entries into another directory, and the metadata of one
//! entry with its real attributes.

use super::ffi::file_info;
use super::{EntryInfo, EntryKind, EntryMeta, StatAt, hard_link, kind_of, os_string_from_bytes};
use crate::model::FileTime;
use crate::select::Attributes;
use std::ffi::{CStr, OsStr, OsString};
use std::io;
use std::os::windows::fs::MetadataExt;
use std::path::{Path, PathBuf};
use windows_sys::Win32::Foundation::{ERROR_DIRECTORY, FILETIME};
use windows_sys::Win32::Storage::FileSystem as fs;

/// An open directory. Windows links by name, so it holds the directory's path; entries are read from it and
/// links made into it.
pub struct Dir {
    path: PathBuf,
}

/// The name of an entry as the directory gave it, with the attributes the directory listing reported.
pub struct EntryName<'a> {
    name: &'a OsStr,
    attributes: u32,
}

impl EntryName<'_> {
    /// The name as the directory gave it.
    pub(super) fn name(&self) -> &OsStr {
        self.name
    }

    /// The name's bytes (the `OsStr` encoding).
    pub fn as_bytes(&self) -> &[u8] {
        self.name.as_encoded_bytes()
    }

    /// The name as an owned `OsString`.
    pub fn to_os_string(&self) -> OsString {
        self.name.to_os_string()
    }

    /// Whether the entry is hidden: on Windows, its hidden attribute.
    pub fn is_hidden(&self) -> bool {
        self.attributes & fs::FILE_ATTRIBUTE_HIDDEN != 0
    }
}

impl Dir {
    /// The directory's path.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the directory `path` (following it if it is a link, as the user named it).
    ///
    /// # Errors
    /// ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND when missing; ERROR_DIRECTORY when it is not a directory.
    pub fn open(path: &Path) -> io::Result<Dir> {
        let path = if path.as_os_str().is_empty() { Path::new(".") } else { path };
        if !std::fs::metadata(path)?.is_dir() {
            return Err(io::Error::from_raw_os_error(ERROR_DIRECTORY as i32));
        }
        Ok(Dir { path: path.to_path_buf() })
    }

    /// Calls `each` for every entry but `.` and `..`, in the order the directory gives them, with the kind the
    /// listing reports (`None` for a directory link, which only a look at its reparse tag tells from a
    /// junction). Stops early when `each` returns `false`; nothing is collected.
    ///
    /// # Errors
    /// An error reading the directory; entries handed out before it stand.
    pub fn for_each_entry(&self, mut each: impl FnMut(&EntryName<'_>, Option<EntryKind>) -> bool) -> io::Result<()> {
        for entry in std::fs::read_dir(&self.path)? {
            let entry = entry?;
            let name = entry.file_name();
            let attributes = entry.metadata()?.file_attributes();
            let kind = if attributes & fs::FILE_ATTRIBUTE_REPARSE_POINT != 0 {
                // A file symbolic link needs no tag to be known as a link; a directory one might be a junction.
                (attributes & fs::FILE_ATTRIBUTE_DIRECTORY == 0).then_some(EntryKind::Symlink)
            } else {
                Some(kind_of(attributes, 0))
            };
            if !each(&EntryName { name: &name, attributes }, kind) {
                break;
            }
        }
        Ok(())
    }

    /// Makes `dest/name` a new name of this directory's entry `name` (`CreateHardLinkW`).
    ///
    /// # Errors
    /// The OS error of `CreateHardLinkW`.
    pub fn hard_link_into(&self, name: &EntryName<'_>, dest: &Dir) -> io::Result<()> {
        hard_link(&self.path.join(name.name), &dest.path.join(name.name))
    }

    /// Reads the metadata of the entry `name` without following a link: the file's real attributes, its size
    /// and its three times (`GetFileInformationByHandle`).
    ///
    /// # Errors
    /// The OS error.
    pub fn entry_meta(&self, name: &OsStr) -> io::Result<EntryMeta> {
        let info = file_info(&self.path.join(name))?;
        let by = &info.by_handle;
        Ok(EntryMeta {
            kind: kind_of(by.dwFileAttributes, info.reparse_tag),
            size: (u64::from(by.nFileSizeHigh) << 32) | u64::from(by.nFileSizeLow),
            modified: unix_time(by.ftLastWriteTime),
            accessed: unix_time(by.ftLastAccessTime),
            created: Some(unix_time(by.ftCreationTime)),
            attrs: attributes(by.dwFileAttributes),
        })
    }
}

impl Dir {
    /// Reads the entry `name`, following a final link only if `follow`.
    ///
    /// # Platform specific behavior
    /// Windows opens the entry by path. When following, only the kind of what the link leads to is filled in
    /// (the listing asks nothing else of it); link count and identity are those of the entry itself otherwise.
    ///
    /// # Errors
    /// The OS error: ERROR_FILE_NOT_FOUND for a dangling link when following, ERROR_CANT_RESOLVE_FILENAME for a
    /// loop.
    pub fn stat_at(&self, name: &CStr, follow: bool) -> io::Result<StatAt> {
        let path = self.path.join(os_string_from_bytes(name.to_bytes().to_vec()));
        if follow {
            let md = std::fs::metadata(&path)?;
            let kind = if md.is_dir() { EntryKind::Directory } else { EntryKind::File };
            let modified = unix_time_of(md.last_write_time());
            return Ok(StatAt { info: EntryInfo { kind, nlink: 1, dev: 0, ino: 0 }, modified });
        }
        let info = file_info(&path)?;
        let by = &info.by_handle;
        Ok(StatAt {
            info: EntryInfo {
                kind: kind_of(by.dwFileAttributes, info.reparse_tag),
                nlink: u64::from(by.nNumberOfLinks),
                dev: u64::from(by.dwVolumeSerialNumber),
                ino: (u64::from(by.nFileIndexHigh) << 32) | u64::from(by.nFileIndexLow),
            },
            modified: unix_time(by.ftLastWriteTime),
        })
    }

    /// Reads the text stored in the link `name` (the print name of a symbolic link or junction).
    ///
    /// # Errors
    /// The OS error; ERROR_NOT_A_REPARSE_POINT when `name` is not a link.
    pub fn read_link_at(&self, name: &CStr) -> io::Result<PathBuf> {
        super::read_link(&self.path.join(os_string_from_bytes(name.to_bytes().to_vec())))
    }
}

impl EntryName<'_> {
    /// The file's identity as the directory listing reports it.
    ///
    /// # Platform specific behavior
    /// Windows directory listings carry no file index: always `None`, so every candidate is looked at.
    pub fn ino_hint(&self) -> Option<u64> {
        None
    }
}

/// A FILETIME given as a u64 of 100 ns steps since 1601, as seconds and nanoseconds since the Unix epoch.
fn unix_time_of(ticks: u64) -> FileTime {
    unix_time(FILETIME { dwLowDateTime: ticks as u32, dwHighDateTime: (ticks >> 32) as u32 })
}

/// A FILETIME (100 ns steps since 1601) as seconds and nanoseconds since the Unix epoch.
fn unix_time(ft: FILETIME) -> FileTime {
    const EPOCH_DIFFERENCE: i64 = 116_444_736_000_000_000;
    let ticks = ((i64::from(ft.dwHighDateTime)) << 32 | i64::from(ft.dwLowDateTime)) - EPOCH_DIFFERENCE;
    FileTime::new(ticks.div_euclid(10_000_000), (ticks.rem_euclid(10_000_000) * 100) as u32)
}

/// The file attribute bits as `/A:` letters, one for one.
fn attributes(bits: u32) -> Attributes {
    const MAP: [(u32, Attributes); 12] = [
        (fs::FILE_ATTRIBUTE_READONLY, Attributes::READ_ONLY),
        (fs::FILE_ATTRIBUTE_HIDDEN, Attributes::HIDDEN),
        (fs::FILE_ATTRIBUTE_SYSTEM, Attributes::SYSTEM),
        (fs::FILE_ATTRIBUTE_ARCHIVE, Attributes::ARCHIVE),
        (fs::FILE_ATTRIBUTE_DIRECTORY, Attributes::DIRECTORY),
        (fs::FILE_ATTRIBUTE_ENCRYPTED, Attributes::ENCRYPTED),
        (fs::FILE_ATTRIBUTE_COMPRESSED, Attributes::COMPRESSED),
        (fs::FILE_ATTRIBUTE_NOT_CONTENT_INDEXED, Attributes::NOT_INDEXED),
        (fs::FILE_ATTRIBUTE_REPARSE_POINT, Attributes::REPARSE_POINT),
        (fs::FILE_ATTRIBUTE_OFFLINE, Attributes::OFFLINE),
        (fs::FILE_ATTRIBUTE_SPARSE_FILE, Attributes::SPARSE),
        (fs::FILE_ATTRIBUTE_TEMPORARY, Attributes::TEMPORARY),
    ];
    MAP.iter().filter(|(bit, _)| bits & bit != 0).fold(Attributes::NONE, |acc, (_, a)| acc | *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_bit_maps_to_its_letter() {
        assert_eq!(attributes(0), Attributes::NONE);
        assert_eq!(
            attributes(fs::FILE_ATTRIBUTE_HIDDEN | fs::FILE_ATTRIBUTE_SYSTEM),
            Attributes::HIDDEN | Attributes::SYSTEM
        );
        assert_eq!(attributes(fs::FILE_ATTRIBUTE_TEMPORARY), Attributes::TEMPORARY);
        assert_eq!(attributes(fs::FILE_ATTRIBUTE_NOT_CONTENT_INDEXED), Attributes::NOT_INDEXED);
    }

    #[test]
    fn filetime_converts_to_unix_seconds() {
        let ft = |t: i64| FILETIME { dwLowDateTime: t as u32, dwHighDateTime: (t >> 32) as u32 };
        assert_eq!(unix_time(ft(116_444_736_000_000_000)), FileTime::new(0, 0));
        assert_eq!(unix_time(ft(116_444_736_000_000_000 + 15_000_000)), FileTime::new(1, 500_000_000));
    }
}
