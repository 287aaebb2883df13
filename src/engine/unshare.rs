//! Turning a name that shares its data with other names into an independent copy: the data is copied (a reflink
//! where the file system can share blocks copy-on-write, else a copy) into a temporary beside the name, given the
//! mode, owner (when permitted), times and extended attributes of the original, and renamed over the name.

use crate::engine::{Error, ErrorKind, Outcome, Sink, SkipReason, TreeItem};
use crate::platform::{self, Dir, EntryKind, Rename};
use std::path::{Path, PathBuf};

/// Unshares each path in turn.
pub(crate) fn run(paths: &[PathBuf], dry: bool, sink: &mut dyn Sink) {
    for path in paths {
        if platform::interrupted() {
            return sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, path)));
        }
        sink.outcome(match unshare(path, dry) {
            Ok(item) => Outcome::Tree(item),
            Err(e) => Outcome::Failed(e),
        });
    }
}

fn unshare(path: &Path, dry: bool) -> Result<TreeItem, Error> {
    let Some(name) = path.file_name() else {
        return Err(Error::new(ErrorKind::IsDirectory, path));
    };
    let parent = super::error::parent_of(path);
    let at = |e| Error::from_io(e, path);
    let dir = Dir::open(parent).map_err(|e| Error::from_io(e, parent))?;
    let before = dir.stat_full(name).map_err(at)?;
    let skipped = |reason| Ok(TreeItem::Skipped { name: path.to_path_buf(), reason });
    match before.kind {
        EntryKind::File => {}
        EntryKind::Directory => return Err(Error::new(ErrorKind::IsDirectory, path)),
        _ => return skipped(SkipReason::NotRegular),
    }
    if before.nlink < 2 {
        return skipped(SkipReason::NotShared);
    }
    if dry {
        return Ok(TreeItem::Unshared { name: path.to_path_buf(), method: platform::CopyMethod::ReadWrite });
    }
    let src = dir.open_regular(name).map_err(at)?;
    let temp = platform::temp_name();
    let dst = dir.create_new(&temp, 0o600).map_err(at)?;
    let copied = (|| {
        let method = platform::copy_data(&src, &dst, before.size)?;
        // Best effort, as a clone's files: an attribute the copy cannot hold does not stop the unsharing.
        let _ = platform::copy_xattrs(&src, &dst);
        if platform::set_owner_and_mode(&dst, before.uid, before.gid, before.mode).is_err() {
            // Not permitted to give the copy that owner: keep ours, with the original mode.
            let (uid, gid, _) = platform::owner_and_mode(&dst)?;
            platform::set_owner_and_mode(&dst, uid, gid, before.mode)?;
        }
        platform::set_times(&dst, before.accessed, before.modified)?;
        dst.sync_all()?;
        Ok(method)
    })();
    // The copy is only good if nothing wrote to the file meanwhile and the name still is that file.
    let same = |st: &platform::FileStat| {
        (st.dev, st.ino, st.size, st.modified) == (before.dev, before.ino, before.size, before.modified)
    };
    let unchanged =
        platform::file_stat(&src).is_ok_and(|st| same(&st)) && dir.stat_full(name).is_ok_and(|st| same(&st));
    let result = match copied {
        Ok(method) if unchanged => match dir.rename(&temp, &dir, name, Rename::Replace) {
            Ok(()) => return Ok(TreeItem::Unshared { name: path.to_path_buf(), method }),
            Err(e) => Err(at(e)),
        },
        Ok(_) => skipped(SkipReason::Changed),
        Err(e) => Err(at(e)),
    };
    let _ = dir.remove(&temp);
    result
}
