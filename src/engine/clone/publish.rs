//! Building beside DEST and publishing: the partial tree's name, the one no-replace rename that makes DEST
//! appear complete, and the removal of a partial tree, through handles, never following a link.

use crate::platform::{self, Dir, EntryKind, Fault, Rename};
use std::ffi::{OsStr, OsString};
use std::io;

/// The name a tree is built under beside DEST: `.DEST.mklink-partial-<pid>`, hidden, and telling whose it is.
pub(super) fn partial_name(dest_name: &OsStr, attempt: u32) -> OsString {
    let mut name = OsString::from(".");
    name.push(dest_name);
    name.push(format!(".mklink-partial-{}", std::process::id()));
    if attempt > 0 {
        name.push(format!("-{attempt}"));
    }
    name
}

/// Makes the partial tree's top directory in `parent` (owner-only until the copy sets its final mode) and
/// returns its name and handle.
pub(super) fn make_partial(parent: &Dir, dest_name: &OsStr) -> io::Result<(OsString, Dir)> {
    let mut attempt = 0;
    loop {
        let name = partial_name(dest_name, attempt);
        match parent.make_dir(&name, 0o700) {
            Ok(()) => return Ok((name.clone(), parent.open_subdir(&name)?)),
            Err(e) if platform::fault(&e) == Fault::Exists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Renames the finished tree to DEST, failing if DEST appeared meanwhile.
///
/// Where the file system cannot refuse to replace (no `RENAME_NOREPLACE`), a plain rename is used after
/// checking that DEST is still missing: a rename never replaces a non-empty directory, and the window only
/// admits an empty directory made in between.
pub(super) fn publish(parent: &Dir, partial: &OsStr, dest_name: &OsStr) -> io::Result<()> {
    match parent.rename(partial, parent, dest_name, Rename::NoReplace) {
        Err(e) if platform::is_unsupported(&e) => {
            if parent.lstat(dest_name).is_ok() {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            parent.rename(partial, parent, dest_name, Rename::Replace)
        }
        other => other,
    }?;
    parent.sync();
    Ok(())
}

/// Removes the tree `name` of `parent`, which this process built: every directory is opened from its parent
/// without following a link and made writable first; links are removed, never followed.
pub(super) fn remove_tree(parent: &Dir, name: &OsStr) -> io::Result<()> {
    let dir = parent.open_subdir(name)?;
    let _ = dir.make_owner_writable();
    let mut names = Vec::new();
    dir.for_each_entry(|entry, kind| {
        names.push((entry.to_os_string(), kind));
        true
    })?;
    for (entry, kind) in names {
        let is_dir = match kind {
            Some(kind) => kind == EntryKind::Directory,
            None => dir.lstat(&entry)?.kind == EntryKind::Directory,
        };
        if is_dir { remove_tree(&dir, &entry)? } else { dir.remove(&entry)? }
    }
    drop(dir);
    parent.remove_dir(name)
}
