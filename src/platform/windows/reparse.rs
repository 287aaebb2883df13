//! Junctions and link targets: the reparse data of mount points and symbolic links, written and read with
//! `FSCTL_SET_REPARSE_POINT` and `FSCTL_GET_REPARSE_POINT`.
//!
//! The buffers are built and parsed as plain little-endian bytes, so no struct is ever cast onto them; the only
//! `unsafe` is the `DeviceIoControl` call itself.

use super::ffi::{check, open_no_follow};
use super::nt::{self, Component, How, open_at};
use std::ffi::OsString;
use std::io;
use std::os::windows::ffi::{OsStrExt, OsStringExt};
use std::os::windows::io::AsRawHandle;
use std::path::{Path, PathBuf};
use windows_sys::Wdk::Storage::FileSystem::FILE_DIRECTORY_FILE;
use windows_sys::Win32::Foundation::{ERROR_NOT_A_REPARSE_POINT, GENERIC_WRITE};
use windows_sys::Win32::Storage::FileSystem::{DELETE, FILE_READ_ATTRIBUTES, MAXIMUM_REPARSE_DATA_BUFFER_SIZE};
use windows_sys::Win32::System::IO::DeviceIoControl;
use windows_sys::Win32::System::Ioctl::{FSCTL_GET_REPARSE_POINT, FSCTL_SET_REPARSE_POINT};
use windows_sys::Win32::System::SystemServices::{IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK};

/// The prefix of an NT path as stored in a reparse point (`\??\C:\dir`).
const NT_PREFIX: &str = r"\??\";
/// The Win32 form of the same (`\\?\C:\dir`), which `std::path::absolute` may hand us.
const VERBATIM_PREFIX: &str = r"\\?\";

/// Makes the junction `name` in the directory `dir` to the absolute directory `target`: a new empty directory,
/// created relative to the handle, whose mount-point reparse data holds `\??\<target>` as substitute name and
/// `<target>` as print name, set through the handle the create returned. When setting the reparse point fails,
/// the new directory is deleted through that same handle, so a failure leaves nothing behind and can remove
/// nothing else.
pub(super) fn make_junction(dir: &impl AsRawHandle, name: &Component, target: &Path) -> io::Result<()> {
    let data = mount_point_data(target)?;
    let how = How::create(GENERIC_WRITE | DELETE | FILE_READ_ATTRIBUTES, FILE_DIRECTORY_FILE, 0);
    let made = open_at(dir, name, how)?;
    let words = to_words(&data);
    let mut returned = 0u32;
    // SAFETY: `made` is an open handle; the input pointer and length describe `words` (at least `data.len()`
    // bytes, alive for the call); no output buffer and no OVERLAPPED are passed, as FSCTL_SET_REPARSE_POINT
    // allows for a synchronous handle.
    let ok = unsafe {
        DeviceIoControl(
            made.as_raw_handle(),
            FSCTL_SET_REPARSE_POINT,
            words.as_ptr().cast(),
            data.len() as u32,
            std::ptr::null_mut(),
            0,
            &mut returned,
            std::ptr::null_mut(),
        )
    };
    if let Err(e) = check(ok != 0) {
        // The directory is new and empty: deleting it through its own handle cannot touch anything else.
        let _ = nt::delete(&made);
        return Err(e);
    }
    Ok(())
}

/// The REPARSE_DATA_BUFFER of a mount point: tag, data length, reserved, then the four offsets and lengths (in
/// bytes) of the substitute and print names, then both names, each followed by a NUL (as `mklink /J` writes it:
/// the data length is the two names plus 12).
fn mount_point_data(target: &Path) -> io::Result<Vec<u8>> {
    let (substitute, print) = junction_names(target);
    let sub_bytes = substitute.len() * 2;
    let print_bytes = print.len() * 2;
    let data_len = 8 + sub_bytes + 2 + print_bytes + 2;
    if 8 + data_len > MAXIMUM_REPARSE_DATA_BUFFER_SIZE as usize {
        return Err(io::Error::from_raw_os_error(windows_sys::Win32::Foundation::ERROR_FILENAME_EXCED_RANGE as i32));
    }
    let mut out = Vec::with_capacity(8 + data_len);
    out.extend_from_slice(&IO_REPARSE_TAG_MOUNT_POINT.to_le_bytes());
    for field in [data_len, 0, 0, sub_bytes, sub_bytes + 2, print_bytes] {
        out.extend_from_slice(&(field as u16).to_le_bytes());
    }
    for unit in substitute.iter().chain(&[0]).chain(&print).chain(&[0]) {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    Ok(out)
}

/// The substitute and print names of a junction to the absolute `target`, in UTF-16. The substitute name is the
/// NT path (`\??\C:\dir`); the print name is what a user would type: the plain drive path, or for a volume
/// path the Win32 verbatim form (`\\?\Volume{GUID}\dir\`), as `mklink /J` stores them. Exactly one prefix
/// ever stands before a name: `\??\\\?\Volume…` makes a junction that does not work.
fn junction_names(target: &Path) -> (Vec<u16>, Vec<u16>) {
    let units: Vec<u16> = target.as_os_str().encode_wide().collect();
    let nt: Vec<u16> = NT_PREFIX.encode_utf16().collect();
    let verbatim: Vec<u16> = VERBATIM_PREFIX.encode_utf16().collect();
    let bare = units.strip_prefix(verbatim.as_slice()).or_else(|| units.strip_prefix(nt.as_slice()));
    let (rest, print) = match bare {
        Some(rest) if is_drive_path(rest) => (rest.to_vec(), rest.to_vec()),
        Some(rest) => (rest.to_vec(), [verbatim.as_slice(), rest].concat()),
        None => (units.clone(), units),
    };
    ([nt.as_slice(), &rest].concat(), print)
}

/// Whether the UTF-16 path starts with a drive letter and a colon (`C:`).
fn is_drive_path(units: &[u16]) -> bool {
    matches!(units, [letter, colon, ..] if *colon == u16::from(b':') && u8::try_from(*letter).is_ok_and(|l| l.is_ascii_alphabetic()))
}

/// Packs bytes into 4-byte words, so the buffer handed to the kernel is aligned like the struct it holds.
fn to_words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks(4)
        .map(|chunk| {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            u32::from_le_bytes(word)
        })
        .collect()
}

/// Reads where the symbolic link or junction `path` points: its print name (what the user typed, for a
/// symbolic link; the plain absolute path, for a junction), else the substitute name without its `\??\`.
///
/// # Errors
/// ERROR_NOT_A_REPARSE_POINT when `path` is neither; other OS errors.
pub(super) fn read_link(path: &Path) -> io::Result<PathBuf> {
    read_link_of(&open_no_follow(path, FILE_READ_ATTRIBUTES)?)
}

/// Reads where the symbolic link or junction open as `handle` (opened without following it) points, as
/// [`read_link`] says.
///
/// # Errors
/// ERROR_NOT_A_REPARSE_POINT when the entry is neither; other OS errors.
pub(super) fn read_link_of(handle: &impl AsRawHandle) -> io::Result<PathBuf> {
    let mut words = vec![0u32; MAXIMUM_REPARSE_DATA_BUFFER_SIZE as usize / 4];
    let mut returned = 0u32;
    // SAFETY: `handle` is open; the output pointer and length describe `words`, alive and writable for the call;
    // no input buffer and no OVERLAPPED are passed.
    let ok = unsafe {
        DeviceIoControl(
            handle.as_raw_handle(),
            FSCTL_GET_REPARSE_POINT,
            std::ptr::null(),
            0,
            words.as_mut_ptr().cast(),
            MAXIMUM_REPARSE_DATA_BUFFER_SIZE,
            &mut returned,
            std::ptr::null_mut(),
        )
    };
    check(ok != 0)?;
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).take(returned as usize).collect();
    parse_link_target(&bytes).ok_or_else(|| io::Error::from_raw_os_error(ERROR_NOT_A_REPARSE_POINT as i32))
}

/// The target held by mount-point or symbolic-link reparse data; `None` for another tag or malformed data.
fn parse_link_target(bytes: &[u8]) -> Option<PathBuf> {
    let u16_at = |at: usize| bytes.get(at..at + 2).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let tag = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
    // The names start after the header: 8 bytes, the four offsets, and for a symbolic link a flags word.
    let names_at = match tag {
        IO_REPARSE_TAG_MOUNT_POINT => 16,
        IO_REPARSE_TAG_SYMLINK => 20,
        _ => return None,
    };
    let name = |offset: usize, len: usize| -> Option<Vec<u16>> {
        let start = names_at + offset;
        let raw = bytes.get(start..start + len)?;
        Some(raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    };
    let substitute = name(u16_at(8)?, u16_at(10)?)?;
    let print = name(u16_at(12)?, u16_at(14)?)?;
    let chosen = if print.is_empty() {
        let prefix: Vec<u16> = NT_PREFIX.encode_utf16().collect();
        substitute.strip_prefix(prefix.as_slice()).map(<[u16]>::to_vec).unwrap_or(substitute)
    } else {
        print
    };
    Some(PathBuf::from(OsString::from_wide(&chosen)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The substitute and print names held by reparse data, following the offsets (never assuming an order).
    fn names(bytes: &[u8]) -> (String, String) {
        let u16_at = |at: usize| usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
        let tag = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let names_at = if tag == IO_REPARSE_TAG_SYMLINK { 20 } else { 16 };
        let name = |offset: usize, len: usize| {
            let raw = &bytes[names_at + offset..names_at + offset + len];
            String::from_utf16_lossy(&raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<_>>())
        };
        (name(u16_at(8), u16_at(10)), name(u16_at(12), u16_at(14)))
    }

    /// `mklink /D dot .` on NTFS, read back with `fsutil reparsepoint query dot` (published in winfsp/winfsp#454):
    /// the print name comes first in the buffer, the substitute name second, flags say "relative".
    const MKLINK_D_DOT: [u8; 24] = [
        0x0c, 0x00, 0x00, 0xa0, 0x10, 0x00, 0x00, 0x00, // tag 0xA000000C, data length 0x10, reserved
        0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, // substitute at 2 (2 bytes), print at 0 (2 bytes)
        0x01, 0x00, 0x00, 0x00, // SYMLINK_FLAG_RELATIVE
        0x2e, 0x00, 0x2e, 0x00, // "." (print) then "." (substitute), no terminators
    ];

    #[test]
    fn symlink_bytes_written_by_real_windows_parse_by_their_offsets() {
        assert_eq!(parse_link_target(&MKLINK_D_DOT), Some(PathBuf::from(".")));
        assert_eq!(names(&MKLINK_D_DOT), (".".to_string(), ".".to_string()));
        // The same data with the print name emptied: the substitute name is read instead.
        let mut no_print = MKLINK_D_DOT;
        no_print[14] = 0;
        assert_eq!(parse_link_target(&no_print), Some(PathBuf::from(".")));
    }

    #[test]
    fn junction_bytes_match_the_layout_mklink_j_writes() {
        let data = mount_point_data(Path::new(r"C:\x")).unwrap_or_default();
        // Substitute `\??\C:\x` + NUL, then print `C:\x` + NUL; data length = both names + 12.
        let mut expected = vec![0x03, 0x00, 0x00, 0xa0, 0x24, 0x00, 0x00, 0x00];
        expected.extend_from_slice(&[0x00, 0x00, 0x10, 0x00, 0x12, 0x00, 0x08, 0x00]);
        for unit in r"\??\C:\x".encode_utf16().chain([0]).chain(r"C:\x".encode_utf16()).chain([0]) {
            expected.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(data, expected);
        assert_eq!(usize::from(u16::from_le_bytes([data[4], data[5]])), 16 + 8 + 12);
        assert_eq!(parse_link_target(&data), Some(PathBuf::from(r"C:\x")));
    }

    #[test]
    fn verbatim_drive_prefix_is_not_stored_twice() {
        let data = mount_point_data(Path::new(r"\\?\C:\x")).unwrap_or_default();
        assert_eq!(names(&data), (r"\??\C:\x".to_string(), r"C:\x".to_string()));
    }

    #[test]
    fn volume_junction_keeps_one_prefix_per_name_as_mklink_j_does() {
        let volume = r"\\?\Volume{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}\foo\";
        let data = mount_point_data(Path::new(volume)).unwrap_or_default();
        let (substitute, print) = names(&data);
        assert_eq!(substitute, r"\??\Volume{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}\foo\");
        assert_eq!(print, volume);
        assert!(!substitute.contains(r"\??\\\?\"));
        assert_eq!(parse_link_target(&data), Some(PathBuf::from(volume)));
    }

    #[test]
    fn junction_with_an_empty_print_name_reads_its_substitute_name() {
        // As PowerShell's New-Item -ItemType Junction writes it (microsoft/go-winio#340).
        let mut bytes = vec![0x03, 0x00, 0x00, 0xa0, 0x1c, 0x00, 0x00, 0x00];
        bytes.extend_from_slice(&[0x00, 0x00, 0x10, 0x00, 0x12, 0x00, 0x00, 0x00]);
        for unit in r"\??\C:\x".encode_utf16().chain([0, 0]) {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(parse_link_target(&bytes), Some(PathBuf::from(r"C:\x")));
    }

    #[test]
    fn other_reparse_tags_are_not_links() {
        assert_eq!(parse_link_target(&[1, 0, 0, 0, 0, 0, 0, 0]), None);
    }
}
