//! Removing a link (MKLNK `/D`) and reading one (MKLNK with one name).
//!
//! Delete never destroys data. It removes a symbolic link or junction (the link itself, never its target) or one
//! name of a file that has other names, and refuses a real directory or a file's last name. Because Unix has no
//! "unlink only if still this inode", the name is first moved to a private temporary name in the same directory
//! (atomic: whatever stood there is now held by us alone), the held entry is checked, and only then removed — or
//! moved back with a no-replace rename when it turns out to be something a delete must not remove.

use super::error::parent_of;
use super::{Error, ErrorKind, Outcome, Removed, Sink, Warning};
use crate::describe;
use crate::platform::{self, EntryInfo, EntryKind};
use std::path::Path;

/// What a delete may remove: a link, or a file name that is not the file's last.
fn deletable(info: &EntryInfo) -> Result<(), ErrorKind> {
    match info.kind {
        EntryKind::Symlink | EntryKind::Junction => Ok(()),
        EntryKind::Directory => Err(ErrorKind::IsDirectory),
        EntryKind::File | EntryKind::Other if info.nlink > 1 => Ok(()),
        EntryKind::File | EntryKind::Other => Err(ErrorKind::LastLink),
    }
}

fn removed(link: &Path, info: &EntryInfo) -> Removed {
    match info.kind {
        EntryKind::Symlink | EntryKind::Junction => {
            Removed::SoftLink { target: platform::read_link(link).unwrap_or_default() }
        }
        _ => Removed::HardLinkName { remaining: info.nlink.saturating_sub(1) },
    }
}

/// MKLNK `/D`: remove `link` if it is a link or a file name that is not the file's last.
pub(super) fn delete(link: &Path, descriptions: bool, dry: bool, sink: &mut dyn Sink) -> Result<Outcome, Error> {
    let info = platform::lstat(link).map_err(|e| Error::from_io(e, link))?;
    deletable(&info).map_err(|kind| Error::new(kind, link))?;
    let what = removed(link, &info);
    if !dry {
        remove_held(link)?;
        if descriptions && let Some(name) = link.file_name() {
            if let Err(e) = describe::remove_entry(parent_of(link), name) {
                let file = parent_of(link).join(describe::FILE_NAME);
                sink.warning(Warning::Description(Error::from_io(e, &file)));
            }
        }
    }
    Ok(Outcome::Deleted { link: link.to_path_buf(), removed: what })
}

/// Moves `link` aside to a private name, re-checks what was moved, then removes it or puts it back.
fn remove_held(link: &Path) -> Result<(), Error> {
    let temp = hold(link)?;
    let Some(temp) = temp else {
        // No no-replace rename here: re-check right before the unlink, the narrowest window available.
        let info = platform::lstat(link).map_err(|e| Error::from_io(e, link))?;
        deletable(&info).map_err(|kind| Error::new(kind, link))?;
        return platform::remove_entry(link).map_err(|e| Error::from_io(e, link));
    };
    let held = platform::lstat(&temp).map_err(|e| Error::from_io(e, link))?;
    match deletable(&held) {
        Ok(()) => platform::remove_entry(&temp).map_err(|e| {
            let err = Error::from_io(e, link);
            match platform::rename_noreplace(&temp, link) {
                Ok(()) => err,
                Err(_) => Error::new(ErrorKind::Raced, link).kept_at(temp.clone()),
            }
        }),
        Err(kind) => {
            // A concurrent process swapped the name for something we must not remove: give it back.
            match platform::rename_noreplace(&temp, link) {
                Ok(()) => Err(Error::new(kind, link)),
                Err(_) => Err(Error::new(ErrorKind::Raced, link).kept_at(temp)),
            }
        }
    }
}

/// Renames `link` to a fresh temporary name beside it. `Ok(None)` when the file system has no no-replace rename.
fn hold(link: &Path) -> Result<Option<std::path::PathBuf>, Error> {
    let dir = parent_of(link);
    for _ in 0..64 {
        let temp = platform::temp_name(dir);
        match platform::rename_noreplace(link, &temp) {
            Ok(()) => return Ok(Some(temp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) if platform::is_unsupported(&e) => return Ok(None),
            Err(e) => return Err(Error::from_io(e, link)),
        }
    }
    Err(Error::new(ErrorKind::Raced, link))
}

/// MKLNK with one name: where the soft link or junction `link` points.
pub(super) fn query(link: &Path) -> Result<Outcome, Error> {
    let info = platform::lstat(link).map_err(|e| Error::from_io(e, link))?;
    if !info.kind.is_link() {
        return Err(Error::new(ErrorKind::NotALink, link));
    }
    let target = platform::read_link(link).map_err(|e| Error::from_io(e, link))?;
    Ok(Outcome::Queried { link: link.to_path_buf(), target })
}
