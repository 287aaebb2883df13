//! Disk usage that tells shared from exclusive bytes: one walk per root, each inode counted once; an inode
//! whose link count is higher than the names found under the root also has names outside it, so deleting the
//! root would not free it.

use super::walk::{Event, Flow, walk};
use crate::engine::{DiskUsage, Error, ErrorKind, Outcome, Sink, TreeItem};
use crate::platform::{self, Dir, EntryKind, FileStat};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Measures each root and reports one [`DiskUsage`] per root.
pub(crate) fn run(roots: &[PathBuf], sink: &mut dyn Sink) {
    for root in roots {
        match measure(root, sink) {
            Ok(usage) => sink.outcome(Outcome::Tree(TreeItem::Usage(usage))),
            Err(e) => sink.outcome(Outcome::Failed(e)),
        }
    }
}

/// Names found and what they count for, for an inode with more than one name.
struct Shared {
    found: u64,
    nlink: u64,
    allocated: u64,
}

fn measure(root: &Path, sink: &mut dyn Sink) -> Result<DiskUsage, Error> {
    let dir = Dir::open(root).map_err(|e| Error::from_io(e, root))?;
    let mut usage = DiskUsage { root: root.to_path_buf(), ..DiskUsage::default() };
    let top = dir.stat_full(OsStr::new(".")).map_err(|e| Error::from_io(e, root))?;
    let mut shared: HashMap<(u64, u64), Shared> = HashMap::new();
    count(&mut usage, &mut shared, &top);
    let mut interrupted = None;
    walk(dir, root, |event| match event {
        Event::Entry { dir, name, rel, .. } => {
            if platform::interrupted() {
                interrupted = Some(Error::new(ErrorKind::Interrupted, root.join(rel)));
                return Flow::Stop;
            }
            match dir.stat_full(name) {
                Ok(st) => {
                    count(&mut usage, &mut shared, &st);
                    if st.kind == EntryKind::Directory { Flow::Descend } else { Flow::Next }
                }
                Err(e) if platform::fault(&e) == platform::Fault::NotFound => Flow::Next,
                Err(e) => {
                    sink.outcome(Outcome::Failed(Error::from_io(e, &root.join(rel))));
                    Flow::Next
                }
            }
        }
        Event::Failed(e) => {
            sink.outcome(Outcome::Failed(e));
            Flow::Next
        }
        _ => Flow::Next,
    });
    if let Some(e) = interrupted {
        return Err(e);
    }
    for inode in shared.values() {
        if inode.found < inode.nlink {
            usage.shared_outside += inode.allocated;
        } else {
            usage.exclusive += inode.allocated;
        }
    }
    Ok(usage)
}

/// Counts one name: its inode's bytes the first time it is met.
fn count(usage: &mut DiskUsage, shared: &mut HashMap<(u64, u64), Shared>, st: &FileStat) {
    usage.entries += 1;
    // A directory's link count counts its subdirectories, not other names: it is always this root's own.
    if st.nlink > 1 && st.kind != EntryKind::Directory {
        let entry = shared.entry((st.dev, st.ino)).or_insert(Shared { found: 0, nlink: st.nlink, allocated: 0 });
        entry.found += 1;
        if entry.found > 1 {
            return;
        }
        entry.allocated = st.allocated;
    } else {
        usage.exclusive += st.allocated;
    }
    usage.inodes += 1;
    usage.apparent += st.size;
    usage.allocated += st.allocated;
}
