//! Removing a link (MKLNK `/D`) and reading one (MKLNK with one name).
//!
//! Delete never destroys data. It removes a symbolic link or junction (the link itself, never its target) or one
//! name of a file that has other names, and refuses a real directory or a file's last name. Because Unix has no
//! "unlink only if still this inode", the name is first moved to a private temporary name in the same directory
//! (atomic: whatever stood there is now held by us alone), the held entry is checked, and only then removed — or
//! moved back with a no-replace rename when it turns out to be something a delete must not remove.

use super::error::parent_of;
use super::place::{At, Place, names_a_directory};
use super::{Error, ErrorKind, Outcome, Removed, Sink};
use crate::describe;
use crate::platform::{self, EntryInfo, EntryKind, Rename};
use std::ffi::OsString;
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

fn removed(at: At<'_>, info: &EntryInfo) -> Removed {
    match info.kind {
        EntryKind::Symlink | EntryKind::Junction => {
            Removed::SoftLink { target: at.dir.read_link(at.name).unwrap_or_default() }
        }
        _ => Removed::HardLinkName { remaining: info.nlink.saturating_sub(1) },
    }
}

/// MKLNK `/D`: remove `link` if it is a link or a file name that is not the file's last.
pub(super) fn delete(link: &Path, descriptions: bool, dry: bool, sink: &mut dyn Sink) -> Result<Outcome, Error> {
    if names_a_directory(link) {
        // `name/` asks for the directory a link leads to, which /D never removes.
        return Err(match std::fs::metadata(link) {
            Ok(md) if md.is_dir() => Error::new(ErrorKind::IsDirectory, link),
            Ok(_) => Error::new(ErrorKind::ParentNotFound, link),
            Err(e) => Error::from_io(e, link),
        });
    }
    let place = Place::open(link, ErrorKind::LinkNotFound, ErrorKind::IsDirectory)?;
    let at = place.at();
    let info = at.lstat().map_err(missing_link)?;
    deletable(&info).map_err(|kind| Error::new(kind, link))?;
    let mut what = removed(at, &info);
    if dry {
        at.dir.check_writable().map_err(|e| Error::from_io(e, link))?;
    } else {
        let remaining = remove_held(at)?;
        if let (Removed::HardLinkName { remaining: r }, Some(now)) = (&mut what, remaining) {
            *r = now;
        }
        if let Some(Err(failure)) = descriptions.then(|| describe::remove_entry(&place.dir, &place.name)) {
            sink.warning(super::create::description_warning(failure, parent_of(link)));
        }
    }
    Ok(Outcome::Deleted { link: link.to_path_buf(), removed: what })
}

/// Moves `at` aside to a private name in the same open directory, re-checks what was moved, then removes it or
/// puts it back. A regular file is opened and locked (`flock`) before its link count is read and held locked
/// until its name is gone, so two deletes of two names of one file by this tool serialise: the second sees the
/// first's removal and refuses. Returns the names the file has left, when it was a file.
fn remove_held(at: At<'_>) -> Result<Option<u64>, Error> {
    let dir = at.dir;
    let Some(temp) = hold(at)? else {
        // No no-replace rename here: lock, re-check right before the unlink, the narrowest window available.
        let _lock = lock_regular(at.dir, at.name);
        let info = at.lstat()?;
        deletable(&info).map_err(|kind| Error::new(kind, at.shown))?;
        dir.remove(at.name).map_err(|e| Error::from_io(e, at.shown))?;
        return Ok(Some(info.nlink.saturating_sub(1)));
    };
    let kept = || parent_of(at.shown).join(&temp);
    let put_back = |err: Error| match dir.rename(&temp, dir, at.name, Rename::NoReplace) {
        Ok(()) => err,
        Err(_) => Error::new(ErrorKind::Raced, at.shown).kept_at(kept()),
    };
    let held = dir.lstat(&temp).map_err(|e| Error::from_io(e, at.shown).kept_at(kept()))?;
    if let Err(kind) = deletable(&held) {
        // A concurrent process swapped the name for something we must not remove: give it back.
        return Err(put_back(Error::new(kind, at.shown)));
    }
    // Held locked until the unlink below is done (dropped at the end of this function).
    let lock = if held.kind == EntryKind::File { lock_regular(dir, &temp) } else { None };
    let now = match &lock {
        Some(file) => match platform::file_info(file) {
            Ok(info) if info.same_file(&held) => info,
            _ => return Err(put_back(Error::new(ErrorKind::Raced, at.shown))),
        },
        None => held,
    };
    if let Err(kind) = deletable(&now) {
        return Err(put_back(Error::new(kind, at.shown)));
    }
    crate::platform::pause_point("delete-before-unlink");
    dir.remove(&temp).map_err(|e| put_back(Error::from_io(e, at.shown)))?;
    drop(lock);
    Ok((now.kind != EntryKind::Symlink && now.kind != EntryKind::Junction).then(|| now.nlink.saturating_sub(1)))
}

/// Opens the regular file `name` and takes this tool's exclusive lock on it; `None` when it cannot be opened
/// (no read permission, or not a regular file), in which case the delete goes on unlocked.
fn lock_regular(dir: &platform::Dir, name: &std::ffi::OsStr) -> Option<std::fs::File> {
    let file = dir.open_regular(name).ok()?;
    platform::lock_file(&file).ok()?;
    Some(file)
}

/// Renames `at` to a fresh temporary name beside it. `Ok(None)` when the file system has no no-replace rename.
fn hold(at: At<'_>) -> Result<Option<OsString>, Error> {
    for _ in 0..64 {
        let temp = platform::temp_name();
        match at.dir.rename(at.name, at.dir, &temp, Rename::NoReplace) {
            Ok(()) => return Ok(Some(temp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) if platform::is_unsupported(&e) => return Ok(None),
            Err(e) => return Err(Error::from_io(e, at.shown)),
        }
    }
    Err(Error::new(ErrorKind::Raced, at.shown))
}

/// MKLNK with one name: where the soft link or junction `link` points.
pub(super) fn query(link: &Path) -> Result<Outcome, Error> {
    let place = Place::open(link, ErrorKind::LinkNotFound, ErrorKind::NotALink)?;
    let info = place.at().lstat().map_err(missing_link)?;
    if !info.kind.is_link() || names_a_directory(link) {
        return Err(Error::new(ErrorKind::NotALink, link));
    }
    let target = place.dir.read_link(&place.name).map_err(|e| Error::from_io(e, link))?;
    Ok(Outcome::Queried { link: link.to_path_buf(), target })
}

/// A missing name given to delete or show is a missing link, not a missing target.
fn missing_link(err: Error) -> Error {
    if err.kind() == ErrorKind::TargetNotFound { err.with_kind(ErrorKind::LinkNotFound) } else { err }
}
