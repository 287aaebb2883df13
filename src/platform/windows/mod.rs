//! Windows: the real calls. Every name inside an open [`Dir`] is resolved relative to the directory's handle
//! through the native API (`NtCreateFile` with a root directory, see `nt.rs`), never followed when it is a link
//! (`FILE_OPEN_REPARSE_POINT`); renames, hard links and deletes go through `NtSetInformationFile` on a handle of
//! the entry itself. Junctions are mount-point reparse points set on a directory created relative to the handle.
//! Symbolic links are made with `CreateSymbolicLinkW` (unprivileged create allowed, as Developer Mode permits),
//! which only takes a path: see [`Dir::symlink`].
//!
//! Windows has no atomic exchange of two names: [`Rename::Exchange`](super::Rename::Exchange) always reports
//! "unsupported", and the engine falls back to its re-check-then-rename path.

mod at;
mod clone;
mod dedupe;
mod dir;
mod ffi;
mod file;
mod nt;
mod raw_name;
mod reparse;
mod start;

pub use at::{file_info, lock_file, owner_and_mode, process_alive, set_owner_and_mode};
pub use clone::is_privileged;
pub use dedupe::{
    CAN_REPLACE_OPEN_FILES, CHANGE_TIME_IS_TRUE, copy_data, copy_xattrs, file_stat, name_from_stored_bytes,
    open_dir_budget, set_times,
};
pub use dir::{Dir, EntryName};
pub use file::lock_unavailable;
pub use raw_name::{name_from_raw, raw_name};
pub use start::program_start;

use super::{EntryInfo, EntryKind, EntryMeta, Fault, StatAt};
use ffi::{check, wide};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use windows_sys::Win32::Foundation as w;
use windows_sys::Win32::Storage::FileSystem::{
    CreateSymbolicLinkW, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT,
    SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE, SYMBOLIC_LINK_FLAG_DIRECTORY,
};
use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleA, GetProcAddress};
use windows_sys::Win32::System::SystemServices::{IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK};

/// Reads what `path` is without following a final link: attributes, link count, volume serial and file index
/// (`GetFileInformationByHandle` on a handle opened with `FILE_FLAG_OPEN_REPARSE_POINT`), and the reparse tag
/// that tells a symbolic link from a junction.
///
/// # Errors
/// The OS error, e.g. ERROR_FILE_NOT_FOUND when the name is missing.
pub fn lstat(path: &Path) -> io::Result<EntryInfo> {
    Ok(entry_info(&ffi::file_info(path)?))
}

/// The kind, link count, volume serial and file index of what was read through a handle.
fn entry_info(info: &ffi::FileInfo) -> EntryInfo {
    let by = &info.by_handle;
    EntryInfo {
        kind: kind_of(by.dwFileAttributes, info.reparse_tag),
        nlink: u64::from(by.nNumberOfLinks),
        dev: u64::from(by.dwVolumeSerialNumber),
        ino: (u64::from(by.nFileIndexHigh) << 32) | u64::from(by.nFileIndexLow),
    }
}

/// The kind of an entry from its attributes and reparse tag. Reparse points other than links (cloud
/// placeholders, deduplicated files) are what their directory bit says.
fn kind_of(attributes: u32, reparse_tag: u32) -> EntryKind {
    match reparse_tag {
        IO_REPARSE_TAG_SYMLINK if attributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 => EntryKind::Symlink,
        IO_REPARSE_TAG_MOUNT_POINT if attributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 => EntryKind::Junction,
        _ if attributes & FILE_ATTRIBUTE_DIRECTORY != 0 => EntryKind::Directory,
        _ => EntryKind::File,
    }
}

/// Makes the symbolic link `link` holding exactly `target` (`CreateSymbolicLinkW`, with
/// `SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE`, and `SYMBOLIC_LINK_FLAG_DIRECTORY` when `target_is_dir`).
///
/// # Platform specific behavior
/// Without elevation or Developer Mode this fails with ERROR_PRIVILEGE_NOT_HELD ([`Fault::PrivilegeMissing`]).
/// Under Wine 8 the call is a stub: it reports success and creates nothing.
///
/// # Errors
/// The OS error: ERROR_ALREADY_EXISTS, ERROR_PATH_NOT_FOUND, ERROR_PRIVILEGE_NOT_HELD, ….
pub fn symlink(target: &Path, link: &Path, target_is_dir: bool) -> io::Result<()> {
    let mut flags = SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE;
    if target_is_dir {
        flags |= SYMBOLIC_LINK_FLAG_DIRECTORY;
    }
    let (link, target) = (wide(link), wide(target));
    // SAFETY: both strings are NUL-terminated and outlive the call.
    check(unsafe { CreateSymbolicLinkW(link.as_ptr(), target.as_ptr(), flags) })
}

/// Reads where a symbolic link or junction points: the text a symbolic link was made with, the plain absolute
/// path of a junction.
///
/// # Errors
/// The OS error; ERROR_NOT_A_REPARSE_POINT when the name is not a link.
pub fn read_link(path: &Path) -> io::Result<PathBuf> {
    reparse::read_link(path)
}

/// Opens a file this program reads for its own use (a journal, the hash cache) at `path`, only if it is a
/// regular file (a named pipe or a device is never read).
///
/// # Errors
/// The OS error of the open; `InvalidData` for anything but a regular file.
pub fn open_regular_file(path: &Path) -> io::Result<std::fs::File> {
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
    }
    Ok(file)
}

/// True when the error says the file system (or Windows itself) cannot do the operation at all.
pub fn is_unsupported(err: &io::Error) -> bool {
    let code = err.raw_os_error().and_then(|c| u32::try_from(c).ok());
    matches!(code, Some(w::ERROR_NOT_SUPPORTED | w::ERROR_INVALID_FUNCTION | w::ERROR_CALL_NOT_IMPLEMENTED))
}

/// True when a call that needs a symbolic link or junction met something else (ERROR_NOT_A_REPARSE_POINT).
pub fn is_not_a_link(err: &io::Error) -> bool {
    err.raw_os_error() == Some(w::ERROR_NOT_A_REPARSE_POINT as i32)
}

/// Reduces a Win32 error to the cases the engine words differently.
///
/// ERROR_PATH_NOT_FOUND means a directory on the way is missing, which the engine words as "cannot find the
/// path" ([`Fault::NotADirectory`]), as cmd does; ERROR_FILE_NOT_FOUND is the name itself missing.
pub fn fault(err: &io::Error) -> Fault {
    let Some(code) = err.raw_os_error().and_then(|c| u32::try_from(c).ok()) else {
        return super::fault_of_kind(err.kind());
    };
    match code {
        w::ERROR_ALREADY_EXISTS | w::ERROR_FILE_EXISTS => Fault::Exists,
        w::ERROR_FILE_NOT_FOUND => Fault::NotFound,
        w::ERROR_PATH_NOT_FOUND | w::ERROR_DIRECTORY => Fault::NotADirectory,
        w::ERROR_ACCESS_DENIED => Fault::Denied,
        w::ERROR_NOT_SAME_DEVICE => Fault::CrossDevice,
        w::ERROR_DISK_FULL | w::ERROR_HANDLE_DISK_FULL => Fault::NoSpace,
        w::ERROR_WRITE_PROTECT => Fault::ReadOnly,
        w::ERROR_TOO_MANY_LINKS => Fault::TooManyLinks,
        w::ERROR_FILENAME_EXCED_RANGE => Fault::NameTooLong,
        w::ERROR_CANT_RESOLVE_FILENAME => Fault::Loop,
        w::ERROR_PRIVILEGE_NOT_HELD => Fault::PrivilegeMissing,
        w::ERROR_INVALID_FUNCTION | w::ERROR_NOT_SUPPORTED => Fault::Unsupported,
        _ => Fault::Other,
    }
}

/// Whether the file system holding `dir` cannot hold links at all.
///
/// # Platform specific behavior
/// Always false on Windows: a FAT volume itself answers ERROR_INVALID_FUNCTION or ERROR_NOT_SUPPORTED, which
/// [`fault`] already reports as [`Fault::Unsupported`], so no access-denied error needs rewording.
pub fn lacks_link_support(_dir: &Dir) -> bool {
    false
}

/// Whether this program runs under Wine (whose `ntdll.dll` exports `wine_get_version`). Tests use it to expect
/// Wine's documented behaviour for symbolic links and junctions instead of Windows'.
pub fn running_under_wine() -> bool {
    // SAFETY: both names are NUL-terminated C string literals; GetModuleHandleA does not take a reference on
    // the module, and ntdll.dll stays loaded for the life of every process.
    unsafe {
        let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr().cast());
        !ntdll.is_null() && GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast()).is_some()
    }
}

/// Whether a link's stored text names an entry of the link's own directory.
///
/// # Platform specific behavior
/// On Windows neither separator (`\`, `/`) nor a drive colon may appear.
pub fn is_plain_name(text: &[u8]) -> bool {
    !text.is_empty() && !text.iter().any(|b| matches!(b, b'/' | b'\\' | b':'))
}

/// An `OsString` made of the given bytes, which are the encoded bytes of an `OsStr` cut next to ASCII
/// characters.
///
/// # Platform specific behavior
/// On Windows the bytes are the `OsStr` encoding (WTF-8), not any bytes: callers must only split an existing
/// name next to ASCII bytes, as the parsers and the selection do.
pub(crate) fn os_string_from_bytes(bytes: Vec<u8>) -> OsString {
    // SAFETY: every caller passes bytes taken from `OsStr::as_encoded_bytes` and cut only next to ASCII bytes,
    // which is the condition `from_encoded_bytes_unchecked` documents as valid.
    unsafe { OsString::from_encoded_bytes_unchecked(bytes) }
}

/// Whether names match without regard to case by default: on Windows, yes.
pub const CASE_INSENSITIVE_NAMES: bool = true;

/// A name that is not valid Unicode (`caf` and a lone surrogate), for tests of every layer.
#[cfg(test)]
pub fn sample_non_unicode_name() -> OsString {
    use std::os::windows::ffi::OsStringExt;
    OsString::from_wide(&[0x63, 0x61, 0x66, 0xD800])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reparse_tags_tell_symlink_from_junction() {
        let reparse = FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY;
        assert_eq!(kind_of(reparse, IO_REPARSE_TAG_SYMLINK), EntryKind::Symlink);
        assert_eq!(kind_of(reparse, IO_REPARSE_TAG_MOUNT_POINT), EntryKind::Junction);
        assert_eq!(kind_of(reparse, 0x9000_001a), EntryKind::Directory);
        assert_eq!(kind_of(0x20, 0), EntryKind::File);
    }

    #[test]
    fn win32_errors_map_to_faults() {
        let f = |code: u32| fault(&io::Error::from_raw_os_error(code as i32));
        assert_eq!(f(w::ERROR_ALREADY_EXISTS), Fault::Exists);
        assert_eq!(f(w::ERROR_FILE_EXISTS), Fault::Exists);
        assert_eq!(f(w::ERROR_FILE_NOT_FOUND), Fault::NotFound);
        assert_eq!(f(w::ERROR_PATH_NOT_FOUND), Fault::NotADirectory);
        assert_eq!(f(w::ERROR_PRIVILEGE_NOT_HELD), Fault::PrivilegeMissing);
        assert_eq!(f(w::ERROR_NOT_SAME_DEVICE), Fault::CrossDevice);
        // Deduplication hands a full file's group over to the next file on this one (NTFS: 1,023 names).
        assert_eq!(f(w::ERROR_TOO_MANY_LINKS), Fault::TooManyLinks);
        assert_eq!(f(w::ERROR_INVALID_FUNCTION), Fault::Unsupported);
    }
}
