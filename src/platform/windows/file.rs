//! Files this tool rewrites for its own use (`DESCRIPT.ION`), on Windows: the new copy that replaces one carries
//! the old one's hidden and system attributes. Created relative to the [`Dir`]'s handle, like every name there.

use super::dir::Dir;
use super::nt::How;
use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::windows::fs::MetadataExt;
use windows_sys::Wdk::Storage::FileSystem::FILE_NON_DIRECTORY_FILE;
use windows_sys::Win32::Storage::FileSystem::{FILE_GENERIC_WRITE, FILE_READ_ATTRIBUTES};

const HIDDEN: u32 = 0x2;
const SYSTEM: u32 = 0x4;
const ARCHIVE: u32 = 0x20;

impl Dir {
    /// Creates the new file `name` that is to replace `like` (or to be a new file when `like` is `None`). A new
    /// file is hidden; a replacement keeps `like`'s hidden and system attributes (a Hidden the user cleared stays
    /// cleared); both get Archive, as TCC writes `DESCRIPT.ION`.
    ///
    /// # Errors
    /// The OS error; `PermissionDenied` when `like` is read-only, since Windows cannot rename over it.
    pub fn create_replacement(&self, name: &OsStr, like: Option<&File>) -> io::Result<File> {
        let keep = match like {
            Some(old) => {
                let meta = old.metadata()?;
                if meta.permissions().readonly() {
                    return Err(io::Error::new(io::ErrorKind::PermissionDenied, "the file is read-only"));
                }
                meta.file_attributes() & (HIDDEN | SYSTEM)
            }
            None => HIDDEN,
        };
        let how = How::create(FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES, FILE_NON_DIRECTORY_FILE, keep | ARCHIVE);
        Ok(File::from(self.open_entry(name, how)?))
    }
}

/// True when a lock failed because the file system cannot lock at all. Never on Windows, whose directory lock
/// does nothing (see [`Dir::lock`]).
pub fn lock_unavailable(_err: &io::Error) -> bool {
    false
}
