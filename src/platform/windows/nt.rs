//! Names resolved relative to an open directory handle, through the native API: `NtCreateFile` with the
//! directory as `OBJECT_ATTRIBUTES.RootDirectory` and the name as one relative component, and
//! `NtSetInformationFile` for renames, hard links and deletes with the destination directory as `RootDirectory`.
//! Nothing here walks a path: what happens to the directories above the handle (renamed, swapped, replaced by a
//! link) cannot send a call elsewhere.
//!
//! Every native (`Nt…`) call of the backend lives here.

use std::ffi::OsStr;
use std::io;
use std::mem::offset_of;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use windows_sys::Wdk::Foundation::OBJECT_ATTRIBUTES;
use windows_sys::Wdk::Storage::FileSystem as nt;
use windows_sys::Win32::Foundation as w;
use windows_sys::Win32::Storage::FileSystem::{FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE, SYNCHRONIZE};
use windows_sys::Win32::System::IO::IO_STATUS_BLOCK;

/// A name checked to be exactly one component, as UTF-16 without a terminator.
pub(super) struct Component(Vec<u16>);

impl Component {
    /// Checks that `name` is one plain component: not empty, not `.` or `..`, no separator (`\`, `/`), no `:`
    /// (which would name an alternate data stream), no NUL, and not ending in a dot or a space (which the Win32
    /// layer would strip, so such a name would mean another entry to every other program).
    ///
    /// # Errors
    /// ERROR_INVALID_NAME for anything else; ERROR_FILENAME_EXCED_RANGE past what a native name can hold.
    pub(super) fn new(name: &OsStr) -> io::Result<Component> {
        let units: Vec<u16> = name.encode_wide().collect();
        let invalid = || io::Error::from_raw_os_error(w::ERROR_INVALID_NAME as i32);
        let is = |unit: u16, c: u8| unit == u16::from(c);
        let plain = !units.is_empty()
            && units != [u16::from(b'.')]
            && units != [u16::from(b'.'); 2]
            && !units.iter().any(|&u| u == 0 || is(u, b'\\') || is(u, b'/') || is(u, b':'))
            && units.last().is_some_and(|&u| !is(u, b'.') && !is(u, b' '));
        if !plain {
            return Err(invalid());
        }
        if units.len() * 2 > usize::from(u16::MAX) {
            return Err(io::Error::from_raw_os_error(w::ERROR_FILENAME_EXCED_RANGE as i32));
        }
        Ok(Component(units))
    }

    /// The empty name: with a root directory, it opens that directory itself again (with other access rights).
    pub(super) fn itself() -> Component {
        Component(Vec::new())
    }

    fn units(&self) -> &[u16] {
        &self.0
    }
}

/// The Win32 error for a failed native call.
pub(super) fn status_error(status: w::NTSTATUS) -> io::Error {
    // SAFETY: RtlNtStatusToDosError only maps a number to a number.
    let code = unsafe { w::RtlNtStatusToDosError(status) };
    io::Error::from_raw_os_error(code as i32)
}

/// How [`open_at`] opens a name: the access rights, the create disposition (`FILE_OPEN`, `FILE_CREATE`), the
/// create options beyond the ones always set, the attributes of a file it creates, and whether a final link is
/// followed (only ever for a caller that asks what a link leads to).
pub(super) struct How {
    pub(super) access: u32,
    pub(super) disposition: u32,
    pub(super) options: u32,
    pub(super) attributes: u32,
    pub(super) follow: bool,
}

impl How {
    /// Open an existing entry with `access`, whatever it is, not following a link.
    pub(super) fn open(access: u32) -> How {
        How { access, disposition: nt::FILE_OPEN, options: 0, attributes: 0, follow: false }
    }

    /// Create a new entry with `access`, `options` (`FILE_DIRECTORY_FILE` or `FILE_NON_DIRECTORY_FILE`) and
    /// `attributes`; an existing entry of the name, even a link, makes it fail.
    pub(super) fn create(access: u32, options: u32, attributes: u32) -> How {
        How { access, disposition: nt::FILE_CREATE, options, attributes, follow: false }
    }
}

/// Opens or creates `name` in the directory `dir` (`NtCreateFile` with `RootDirectory` = `dir`). A final
/// reparse point (symbolic link, junction) is not followed (`FILE_OPEN_REPARSE_POINT`) unless `how.follow`, I/O
/// through the handle is synchronous, and sharing is full, so the open never blocks another program's rename or
/// delete.
///
/// # Errors
/// The Win32 error for the status: ERROR_FILE_NOT_FOUND, ERROR_ALREADY_EXISTS (for `FILE_CREATE`),
/// ERROR_DIRECTORY (for `FILE_DIRECTORY_FILE` on a file), ERROR_ACCESS_DENIED, ….
pub(super) fn open_at(dir: &impl AsRawHandle, name: &Component, how: How) -> io::Result<OwnedHandle> {
    let units = name.units();
    // `Component::new` keeps names within u16::MAX bytes.
    let bytes = (units.len() * 2) as u16;
    let object_name = w::UNICODE_STRING { Length: bytes, MaximumLength: bytes, Buffer: units.as_ptr().cast_mut() };
    let attributes = OBJECT_ATTRIBUTES {
        Length: size_of::<OBJECT_ATTRIBUTES>() as u32,
        RootDirectory: dir.as_raw_handle(),
        ObjectName: &object_name,
        Attributes: w::OBJ_CASE_INSENSITIVE,
        SecurityDescriptor: std::ptr::null(),
        SecurityQualityOfService: std::ptr::null(),
    };
    let mut io_status = IO_STATUS_BLOCK::default();
    let mut handle: w::HANDLE = std::ptr::null_mut();
    let no_follow = if how.follow { 0 } else { nt::FILE_OPEN_REPARSE_POINT };
    let options = how.options | no_follow | nt::FILE_SYNCHRONOUS_IO_NONALERT;
    // SAFETY: `attributes` points to `object_name`, whose buffer is `units` (`bytes` long); all three live for
    // the call. `dir` is an open handle borrowed for the call. The out-pointers are writable locals; a null
    // allocation size and a null EA buffer of length 0 are documented as allowed.
    let status = unsafe {
        nt::NtCreateFile(
            &mut handle,
            how.access | SYNCHRONIZE,
            &attributes,
            &mut io_status,
            std::ptr::null(),
            how.attributes,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            how.disposition,
            options,
            std::ptr::null(),
            0,
        )
    };
    if status < 0 {
        return Err(status_error(status));
    }
    // SAFETY: NtCreateFile succeeded, so `handle` is a new open handle that nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle) })
}

/// Whether a native call failed only because this Windows (or Wine) does not know the information class or its
/// flags, so the older class should be tried.
fn class_unknown(status: w::NTSTATUS) -> bool {
    matches!(
        status,
        w::STATUS_INVALID_INFO_CLASS
            | w::STATUS_NOT_IMPLEMENTED
            | w::STATUS_INVALID_PARAMETER
            | w::STATUS_NOT_SUPPORTED
    )
}

/// `NtSetInformationFile` with `len` bytes at `data`, returning the raw status.
///
/// # Safety
/// `data` must point to `len` readable bytes laid out as the structure `class` takes.
unsafe fn set_information(
    handle: &impl AsRawHandle,
    data: *const std::ffi::c_void,
    len: usize,
    class: nt::FILE_INFORMATION_CLASS,
) -> w::NTSTATUS {
    let mut io_status = IO_STATUS_BLOCK::default();
    // SAFETY: `handle` is open for the call; the caller vouches for `data` and `len`; `io_status` is writable.
    unsafe { nt::NtSetInformationFile(handle.as_raw_handle(), &mut io_status, data, len as u32, class) }
}

// FILE_RENAME_INFORMATION and FILE_LINK_INFORMATION share one layout; `name_information` builds both.
const _: () = assert!(
    offset_of!(nt::FILE_RENAME_INFORMATION, FileName) == offset_of!(nt::FILE_LINK_INFORMATION, FileName)
        && offset_of!(nt::FILE_RENAME_INFORMATION, RootDirectory)
            == offset_of!(nt::FILE_LINK_INFORMATION, RootDirectory)
        && size_of::<nt::FILE_RENAME_INFORMATION>() == size_of::<nt::FILE_LINK_INFORMATION>()
);

/// A FILE_RENAME_INFORMATION (or the same-shaped FILE_LINK_INFORMATION) naming `name` in the directory `dir`:
/// the flags word (or the ReplaceIfExists byte, for the older classes, which 0 or 1 in the word also is), the
/// root directory, the name's length and the name. Returned as 8-byte words, so the structure is aligned, with
/// its length in bytes.
fn name_information(flags: u32, dir: &impl AsRawHandle, name: &Component) -> (Vec<u64>, usize) {
    let units = name.units();
    let at = offset_of!(nt::FILE_RENAME_INFORMATION, FileName);
    let len = (at + units.len() * 2).max(size_of::<nt::FILE_RENAME_INFORMATION>());
    let mut words = vec![0u64; len.div_ceil(8)];
    let info = words.as_mut_ptr().cast::<nt::FILE_RENAME_INFORMATION>();
    // SAFETY: `words` is at least `len` bytes, 8-byte aligned (enough for the structure), and `info` points to
    // its start with provenance over all of it; the name's units are copied to the name field's offset, within
    // `len` bytes. The fields are written through raw places: no reference to the one-element array is made.
    unsafe {
        (*info).Anonymous.Flags = flags;
        (*info).RootDirectory = dir.as_raw_handle();
        (*info).FileNameLength = (units.len() * 2) as u32;
        std::ptr::copy_nonoverlapping(units.as_ptr(), (&raw mut (*info).FileName).cast::<u16>(), units.len());
    }
    (words, len)
}

/// Renames the entry open as `handle` to `name` in the directory `dir`, replacing an entry there only if
/// `replace`. A replace asks for POSIX semantics (`FileRenameInformationEx` with
/// `FILE_RENAME_REPLACE_IF_EXISTS | FILE_RENAME_POSIX_SEMANTICS`: an open file at the new name is replaced too);
/// where that class is unknown (before Windows 10 1709, and in Wine versions without it) the classic
/// `FileRenameInformation` does the same without POSIX semantics.
///
/// # Errors
/// ERROR_ALREADY_EXISTS when `name` exists and `replace` is false; ERROR_ACCESS_DENIED when it is a directory
/// or read-only; ERROR_NOT_SAME_DEVICE across volumes; other Win32 errors.
pub(super) fn rename(
    handle: &impl AsRawHandle,
    dir: &impl AsRawHandle,
    name: &Component,
    replace: bool,
) -> io::Result<()> {
    if replace {
        let flags = nt::FILE_RENAME_REPLACE_IF_EXISTS | nt::FILE_RENAME_POSIX_SEMANTICS;
        let (info, len) = name_information(flags, dir, name);
        // SAFETY: `info` holds a FILE_RENAME_INFORMATION of `len` bytes (see `name_information`).
        let status = unsafe { set_information(handle, info.as_ptr().cast(), len, nt::FileRenameInformationEx) };
        if !class_unknown(status) {
            return if status < 0 { Err(status_error(status)) } else { Ok(()) };
        }
    }
    let (info, len) = name_information(u32::from(replace), dir, name);
    // SAFETY: as above; the older class reads the first byte of the flags word as ReplaceIfExists.
    let status = unsafe { set_information(handle, info.as_ptr().cast(), len, nt::FileRenameInformation) };
    if status < 0 { Err(status_error(status)) } else { Ok(()) }
}

/// Makes `name` in the directory `dir` a new name of the file open as `handle` (`FileLinkInformation`, never
/// replacing an existing entry).
///
/// # Errors
/// ERROR_ALREADY_EXISTS when `name` exists; ERROR_NOT_SAME_DEVICE across volumes; ERROR_TOO_MANY_LINKS; other
/// Win32 errors.
pub(super) fn link(handle: &impl AsRawHandle, dir: &impl AsRawHandle, name: &Component) -> io::Result<()> {
    let (info, len) = name_information(0, dir, name);
    // SAFETY: `info` holds a FILE_LINK_INFORMATION of `len` bytes (same layout, see `name_information`).
    let status = unsafe { set_information(handle, info.as_ptr().cast(), len, nt::FileLinkInformation) };
    if status < 0 { Err(status_error(status)) } else { Ok(()) }
}

/// Deletes the entry open as `handle` (opened with DELETE access). POSIX semantics where the system has them
/// (`FileDispositionInformationEx` with `FILE_DISPOSITION_POSIX_SEMANTICS`: the name goes at once, even while
/// other handles are open); else the classic `FileDispositionInformation`, which removes the name when the last
/// handle closes. A read-only file is refused, as `DeleteFileW` refuses it.
///
/// # Errors
/// ERROR_ACCESS_DENIED for a read-only file; ERROR_DIR_NOT_EMPTY for a directory with entries; other Win32 errors.
pub(super) fn delete(handle: &impl AsRawHandle) -> io::Result<()> {
    let ex = nt::FILE_DISPOSITION_INFORMATION_EX {
        Flags: nt::FILE_DISPOSITION_DELETE | nt::FILE_DISPOSITION_POSIX_SEMANTICS,
    };
    let size = size_of::<nt::FILE_DISPOSITION_INFORMATION_EX>();
    // SAFETY: `ex` is a FILE_DISPOSITION_INFORMATION_EX of `size` bytes, alive for the call.
    let status = unsafe { set_information(handle, (&raw const ex).cast(), size, nt::FileDispositionInformationEx) };
    if !class_unknown(status) {
        return if status < 0 { Err(status_error(status)) } else { Ok(()) };
    }
    let classic = nt::FILE_DISPOSITION_INFORMATION { DeleteFile: true };
    let size = size_of::<nt::FILE_DISPOSITION_INFORMATION>();
    // SAFETY: `classic` is a FILE_DISPOSITION_INFORMATION of `size` bytes, alive for the call.
    let status = unsafe { set_information(handle, (&raw const classic).cast(), size, nt::FileDispositionInformation) };
    if status < 0 { Err(status_error(status)) } else { Ok(()) }
}

/// Reads one fixed-size information class of the entry open as `handle` (`NtQueryInformationFile`).
///
/// # Safety
/// `T` must be the plain-data structure that `class` fills, for which all-zero bytes are a valid value.
unsafe fn query<T>(handle: &impl AsRawHandle, class: nt::FILE_INFORMATION_CLASS) -> io::Result<T> {
    // SAFETY: the caller vouches that all-zero bytes are a valid `T`.
    let mut value: T = unsafe { std::mem::zeroed() };
    let mut io_status = IO_STATUS_BLOCK::default();
    // SAFETY: `handle` is open for the call; the pointer and length describe `value`, writable for the call, of
    // the type `class` fills (the caller's promise).
    let status = unsafe {
        nt::NtQueryInformationFile(
            handle.as_raw_handle(),
            &mut io_status,
            (&raw mut value).cast(),
            size_of::<T>() as u32,
            class,
        )
    };
    if status < 0 { Err(status_error(status)) } else { Ok(value) }
}

/// What `GetFileInformationByHandle` reports, read class by class (`FileBasicInformation`,
/// `FileStandardInformation`, `FileInternalInformation`, `FileFsVolumeInformation`), and the reparse tag.
///
/// # Platform specific behavior
/// This is the fallback for Wine 8, whose `GetFileInformationByHandle` also asks for the file's name and fails
/// with ERROR_INVALID_HANDLE on a handle opened relative to a directory that has since been moved; the classes
/// read here do not need the name, except the volume's, which Wine also fails (ERROR_INVALID_FUNCTION): then
/// `volume` gives the serial (that of the directory the entry was opened in, which holds it: a mount point
/// inside is opened as the reparse point itself, never followed).
///
/// # Errors
/// The Win32 error of the first class that fails.
pub(super) fn information(
    handle: &impl AsRawHandle,
    volume: impl FnOnce() -> Option<u32>,
) -> io::Result<(windows_sys::Win32::Storage::FileSystem::BY_HANDLE_FILE_INFORMATION, u32)> {
    use windows_sys::Win32::Foundation::FILETIME;
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, FILE_ATTRIBUTE_REPARSE_POINT, FILE_ATTRIBUTE_TAG_INFO,
    };
    // SAFETY: each structure is the one its class fills, made of integers and booleans only.
    let (basic, standard, internal) = unsafe {
        (
            query::<nt::FILE_BASIC_INFORMATION>(handle, nt::FileBasicInformation)?,
            query::<nt::FILE_STANDARD_INFORMATION>(handle, nt::FileStandardInformation)?,
            query::<nt::FILE_INTERNAL_INFORMATION>(handle, nt::FileInternalInformation)?,
        )
    };
    let reparse_tag = if basic.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        // SAFETY: FILE_ATTRIBUTE_TAG_INFO has the layout of FILE_ATTRIBUTE_TAG_INFORMATION (two u32).
        unsafe { query::<FILE_ATTRIBUTE_TAG_INFO>(handle, nt::FileAttributeTagInformation)? }.ReparseTag
    } else {
        0
    };
    let time = |t: i64| FILETIME { dwLowDateTime: t as u32, dwHighDateTime: (t >> 32) as u32 };
    let (size, index) = (standard.EndOfFile as u64, internal.IndexNumber as u64);
    let by_handle = BY_HANDLE_FILE_INFORMATION {
        dwFileAttributes: basic.FileAttributes,
        ftCreationTime: time(basic.CreationTime),
        ftLastAccessTime: time(basic.LastAccessTime),
        ftLastWriteTime: time(basic.LastWriteTime),
        dwVolumeSerialNumber: match volume_serial(handle) {
            Ok(serial) => serial,
            Err(e) => volume().ok_or(e)?,
        },
        nFileSizeHigh: (size >> 32) as u32,
        nFileSizeLow: size as u32,
        nNumberOfLinks: standard.NumberOfLinks,
        nFileIndexHigh: (index >> 32) as u32,
        nFileIndexLow: index as u32,
    };
    Ok((by_handle, reparse_tag))
}

/// The serial number of the volume holding the entry open as `handle` (`FileFsVolumeInformation`: creation
/// time, then the serial, at byte 8).
fn volume_serial(handle: &impl AsRawHandle) -> io::Result<u32> {
    let mut words = [0u64; 64];
    let mut io_status = IO_STATUS_BLOCK::default();
    // SAFETY: `handle` is open for the call; the pointer and length describe `words`, writable for the call. A
    // label too long for the buffer only makes the call report STATUS_BUFFER_OVERFLOW, a warning, with the fixed
    // part filled.
    let status = unsafe {
        nt::NtQueryVolumeInformationFile(
            handle.as_raw_handle(),
            &mut io_status,
            words.as_mut_ptr().cast(),
            size_of_val(&words) as u32,
            nt::FileFsVolumeInformation,
        )
    };
    if status < 0 {
        return Err(status_error(status));
    }
    Ok(words[1] as u32)
}

/// Reads the next entries of the directory open as `dir` into `buffer` as FILE_FULL_DIR_INFORMATION records
/// (`NtQueryDirectoryFile`), from the first entry again when `restart`. `Ok(false)` when no entry is left.
///
/// # Errors
/// The Win32 error for the status.
pub(super) fn read_entries(dir: &impl AsRawHandle, buffer: &mut [u64], restart: bool) -> io::Result<bool> {
    let mut io_status = IO_STATUS_BLOCK::default();
    // SAFETY: `dir` is an open directory handle for synchronous I/O (every `Dir` handle is), so the call
    // completes before it returns and no event or APC is needed; the output pointer and length describe
    // `buffer`, writable for the call; a null file-name filter means every entry.
    let status = unsafe {
        nt::NtQueryDirectoryFile(
            dir.as_raw_handle(),
            std::ptr::null_mut(),
            None,
            std::ptr::null(),
            &mut io_status,
            buffer.as_mut_ptr().cast(),
            u32::try_from(size_of_val(buffer)).unwrap_or(!7),
            nt::FileFullDirectoryInformation,
            false,
            std::ptr::null(),
            restart,
        )
    };
    match status {
        w::STATUS_NO_MORE_FILES => Ok(false),
        failed if failed < 0 => Err(status_error(failed)),
        _ => Ok(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_plain_component_is_a_name() {
        for bad in ["", ".", "..", r"a\b", "a/b", r"..\x", "a:stream", "trailing.", "trailing ", "nul\0"] {
            let err = Component::new(OsStr::new(bad)).err().map(|e| e.raw_os_error());
            assert_eq!(err, Some(Some(w::ERROR_INVALID_NAME as i32)), "{bad:?}");
        }
        for good in ["a", ".hidden", "...x", "a b", "DESCRIPT.ION", ".mklink-1-2-3.tmp"] {
            assert!(Component::new(OsStr::new(good)).is_ok(), "{good:?}");
        }
        let long = "x".repeat(40_000);
        let err = Component::new(OsStr::new(&long)).err().and_then(|e| e.raw_os_error());
        assert_eq!(err, Some(w::ERROR_FILENAME_EXCED_RANGE as i32));
    }

    #[test]
    fn rename_information_holds_flags_root_and_name() {
        let dir = tempfile::tempfile().unwrap();
        let name = Component::new(OsStr::new("ab")).unwrap();
        let (words, len) = name_information(3, &dir, &name);
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let at = offset_of!(nt::FILE_RENAME_INFORMATION, FileName);
        assert_eq!(len, (at + 4).max(size_of::<nt::FILE_RENAME_INFORMATION>()));
        assert_eq!(&bytes[..4], &3u32.to_le_bytes());
        let root = offset_of!(nt::FILE_RENAME_INFORMATION, RootDirectory);
        assert_eq!(&bytes[root..root + 8], &(dir.as_raw_handle() as usize as u64).to_le_bytes());
        let length = offset_of!(nt::FILE_RENAME_INFORMATION, FileNameLength);
        assert_eq!(&bytes[length..length + 4], &4u32.to_le_bytes());
        assert_eq!(&bytes[at..at + 4], &[b'a', 0, b'b', 0]);
    }
}
