//! Directories for the selection: the open [`Dir`] itself, reading its entries through its handle
//! (`NtQueryDirectoryFile`, which hands out each entry's attributes with its name at no extra cost), and the
//! metadata of one entry with its real attributes.

use super::ffi::{FileInfo, info_of};
use super::nt::{self, How};
use super::{EntryKind, EntryMeta, StatAt, entry_info, kind_of, os_string_from_bytes};
use crate::model::FileTime;
use crate::select::Attributes;
use std::ffi::{CStr, OsStr, OsString};
use std::io;
use std::mem::offset_of;
use std::os::windows::ffi::OsStringExt;
use std::os::windows::io::OwnedHandle;
use std::path::{Path, PathBuf};
use windows_sys::Wdk::Storage::FileSystem::FILE_FULL_DIR_INFORMATION;
use windows_sys::Win32::Foundation::{ERROR_DIRECTORY, FILETIME};
use windows_sys::Win32::Storage::FileSystem as fs;

/// The access a [`Dir`] handle holds: list the entries, open names relative to it, read its attributes.
pub(super) const DIR_ACCESS: u32 = fs::FILE_LIST_DIRECTORY | fs::FILE_TRAVERSE | fs::FILE_READ_ATTRIBUTES;

/// An open directory: a handle opened once, relative to which every name inside is opened, linked, renamed and
/// deleted, so no path is walked twice.
pub struct Dir {
    pub(super) handle: OwnedHandle,
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
    /// Opens the directory `path` (following it if it is a link, as the user named it). Everything done in it
    /// later goes through the handle opened here.
    ///
    /// # Errors
    /// ERROR_FILE_NOT_FOUND or ERROR_PATH_NOT_FOUND when missing; ERROR_DIRECTORY when it is not a directory.
    pub fn open(path: &Path) -> io::Result<Dir> {
        let dir = Dir { handle: super::ffi::open_dir(path, DIR_ACCESS)? };
        if info_of(&dir.handle)?.by_handle.dwFileAttributes & fs::FILE_ATTRIBUTE_DIRECTORY == 0 {
            return Err(io::Error::from_raw_os_error(ERROR_DIRECTORY as i32));
        }
        Ok(dir)
    }

    /// Calls `each` for every entry but `.` and `..`, in the order the directory gives them, with the kind the
    /// listing reports (`None` for a directory link, which only a look at its reparse tag tells from a
    /// junction). Stops early when `each` returns `false`; nothing is collected.
    ///
    /// # Errors
    /// An error reading the directory; entries handed out before it stand.
    pub fn for_each_entry(&self, mut each: impl FnMut(&EntryName<'_>, Option<EntryKind>) -> bool) -> io::Result<()> {
        let mut buffer = vec![0u64; 64 * 1024 / 8];
        let mut restart = true;
        while nt::read_entries(&self.handle, &mut buffer, restart)? {
            restart = false;
            let bytes: Vec<u8> = buffer.iter().flat_map(|w| w.to_le_bytes()).collect();
            let mut at = 0;
            while let Some(record) = Record::at(&bytes, at) {
                let attributes = record.attributes;
                if record.name != [u16::from(b'.')] && record.name != [u16::from(b'.'); 2] {
                    let name = OsString::from_wide(&record.name);
                    let kind = if attributes & fs::FILE_ATTRIBUTE_REPARSE_POINT != 0 {
                        // A file symbolic link needs no tag to be known as a link; a directory one might be a
                        // junction.
                        (attributes & fs::FILE_ATTRIBUTE_DIRECTORY == 0).then_some(EntryKind::Symlink)
                    } else {
                        Some(kind_of(attributes, 0))
                    };
                    if !each(&EntryName { name: &name, attributes }, kind) {
                        return Ok(());
                    }
                }
                if record.next == 0 {
                    break;
                }
                at += record.next;
            }
        }
        Ok(())
    }

    /// Makes `dest/name` a new name of this directory's entry `name` (see [`Dir::hard_link`]).
    ///
    /// # Errors
    /// The OS error of the link.
    pub fn hard_link_into(&self, name: &EntryName<'_>, dest: &Dir) -> io::Result<()> {
        self.hard_link(name.name, dest, name.name)
    }

    /// Reads the metadata of the entry `name` without following a link: the file's real attributes, its size
    /// and its three times (`GetFileInformationByHandle` on the entry opened relative to this directory).
    ///
    /// # Errors
    /// The OS error.
    pub fn entry_meta(&self, name: &OsStr) -> io::Result<EntryMeta> {
        let info = self.facts(&self.open_entry(name, How::open(fs::FILE_READ_ATTRIBUTES))?)?;
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

/// One FILE_FULL_DIR_INFORMATION record, read from its bytes by the structure's field offsets.
struct Record {
    /// Bytes from this record to the next; 0 for the last one in the buffer.
    next: usize,
    attributes: u32,
    name: Vec<u16>,
}

impl Record {
    /// The record starting `at` bytes into `bytes`; `None` when it does not fit (a malformed buffer).
    fn at(bytes: &[u8], at: usize) -> Option<Record> {
        let u32_at = |offset: usize| -> Option<u32> {
            let start = at.checked_add(offset)?;
            Some(u32::from_le_bytes(bytes.get(start..start + 4)?.try_into().ok()?))
        };
        let next = u32_at(offset_of!(FILE_FULL_DIR_INFORMATION, NextEntryOffset))? as usize;
        let attributes = u32_at(offset_of!(FILE_FULL_DIR_INFORMATION, FileAttributes))?;
        let len = u32_at(offset_of!(FILE_FULL_DIR_INFORMATION, FileNameLength))? as usize;
        let start = at.checked_add(offset_of!(FILE_FULL_DIR_INFORMATION, FileName))?;
        let raw = bytes.get(start..start.checked_add(len)?)?;
        let name = raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        Some(Record { next, attributes, name })
    }
}

impl Dir {
    /// Reads the entry `name`, following a final link only if `follow`.
    ///
    /// # Errors
    /// The OS error: ERROR_FILE_NOT_FOUND for a dangling link when following, ERROR_CANT_RESOLVE_FILENAME for a
    /// loop.
    pub fn stat_at(&self, name: &CStr, follow: bool) -> io::Result<StatAt> {
        let name = os_string_from_bytes(name.to_bytes().to_vec());
        let mut how = How::open(fs::FILE_READ_ATTRIBUTES);
        how.follow = follow;
        let info: FileInfo = self.facts(&self.open_entry(&name, how)?)?;
        Ok(StatAt { info: entry_info(&info), modified: unix_time(info.by_handle.ftLastWriteTime) })
    }

    /// Reads the text stored in the link `name` (the print name of a symbolic link or junction).
    ///
    /// # Errors
    /// The OS error; ERROR_NOT_A_REPARSE_POINT when `name` is not a link.
    pub fn read_link_at(&self, name: &CStr) -> io::Result<PathBuf> {
        self.read_link(&os_string_from_bytes(name.to_bytes().to_vec()))
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

/// A FILETIME (100 ns steps since 1601) as seconds and nanoseconds since the Unix epoch.
pub(super) fn unix_time(ft: FILETIME) -> FileTime {
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
