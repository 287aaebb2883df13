//! One rewrite: re-check that the link still holds the text the plan read, make the new link under a temporary
//! name in the same open directory, rename it over the old one, then check that the result leads where the plan
//! said. A link changed by someone else meanwhile is left alone and reported.

use super::journal::{Record, Writer};
use super::plan::{Item, Plan};
use crate::model::{Error, ErrorKind, Outcome, Sink};
use crate::platform::{self, Dir, EntryInfo, EntryKind, Rename};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// What one rewrite is to do, in one open directory.
pub(crate) struct Rewrite<'a> {
    /// The directory holding the link.
    pub dir: &'a Dir,
    /// The link's name in it.
    pub name: &'a OsStr,
    /// The link's path, for messages.
    pub shown: &'a Path,
    /// The text it must still hold.
    pub previous: &'a Path,
    /// The text it gets.
    pub stored: &'a Path,
    /// A symbolic link or a junction.
    pub kind: EntryKind,
    /// What it must lead to afterwards; `None`: it must hold `stored`.
    pub expect: Option<EntryInfo>,
}

impl Rewrite<'_> {
    /// Replaces the link atomically when it still holds `previous`.
    ///
    /// # Errors
    /// [`ErrorKind::Raced`] when the link is gone or holds another text (nothing is changed); the OS error of
    /// making or renaming the new link (the temporary is removed again).
    pub(crate) fn replace(&self) -> Result<(), Error> {
        let raced = || Error::new(ErrorKind::Raced, self.shown);
        let info = self.dir.lstat(self.name).map_err(|_| raced())?;
        if !info.kind.is_link() || self.dir.read_link(self.name).map_err(|_| raced())? != self.previous {
            return Err(raced());
        }
        let directory = self.expect.is_some_and(|e| e.kind == EntryKind::Directory);
        let temp = platform::temp_name();
        let made = match self.kind {
            EntryKind::Junction => self.dir.junction(self.stored, &temp),
            _ => self.dir.symlink(self.stored, &temp, directory),
        };
        made.map_err(|e| Error::from_io(e, self.shown))?;
        if let Err(e) = self.dir.rename(&temp, self.dir, self.name, Rename::Replace) {
            let _ = self.dir.remove(&temp);
            return Err(Error::from_io(e, self.shown));
        }
        self.dir.sync();
        Ok(())
    }

    /// Whether the link now leads to the expected object (or holds the expected text).
    pub(crate) fn verified(&self) -> bool {
        match self.expect {
            Some(expect) => self.dir.stat_follow(self.name).is_ok_and(|now| now.same_file(&expect)),
            None => self.dir.read_link(self.name).is_ok_and(|text| text == self.stored),
        }
    }

    /// Replaces, then verifies: the item's outcome. `journal` receives the rewrite as soon as it is done.
    pub(crate) fn run(&self, journal: Option<&mut Writer>) -> Outcome {
        if let Err(e) = self.replace() {
            return Outcome::Failed(e);
        }
        if let Some(journal) = journal {
            let record = Record { link: self.shown.to_path_buf(), old: self.previous.into(), new: self.stored.into() };
            if let Err(e) = journal.record(&record) {
                return Outcome::Failed(e);
            }
        }
        if !self.verified() {
            return Outcome::Failed(Error::new(ErrorKind::NotVerified, self.shown));
        }
        Outcome::Relinked { link: self.shown.into(), previous: self.previous.into(), stored: self.stored.into() }
    }
}

/// Carries out the plan item by item (or, in a dry run, reports it), checking for an interrupt between items.
pub(crate) fn apply(plan: &Plan, dry: bool, mut journal: Option<&mut Writer>, sink: &mut dyn Sink) {
    let mut open: Option<(usize, PathBuf, Dir)> = None;
    for item in &plan.items {
        if platform::interrupted() {
            sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, &item.link)));
            return;
        }
        if dry {
            let (previous, stored) = (item.previous.clone(), item.stored.clone());
            sink.outcome(Outcome::Relinked { link: item.link.clone(), previous, stored });
            continue;
        }
        let fresh = !matches!(&open, Some((root, rel, _)) if *root == item.root && *rel == item.rel_dir);
        if fresh {
            match open_dir(&plan.roots[item.root], &item.rel_dir) {
                Ok(dir) => open = Some((item.root, item.rel_dir.clone(), dir)),
                Err(e) => {
                    open = None;
                    sink.outcome(Outcome::Failed(Error::from_io(e, &item.link)));
                    continue;
                }
            }
        }
        let Some((_, _, dir)) = &open else { continue };
        sink.outcome(rewrite(dir, item).run(journal.as_deref_mut()));
    }
}

fn rewrite<'a>(dir: &'a Dir, item: &'a Item) -> Rewrite<'a> {
    Rewrite {
        dir,
        name: &item.name,
        shown: &item.link,
        previous: &item.previous,
        stored: &item.stored,
        kind: item.kind,
        expect: item.expect,
    }
}

/// Opens `rel` under the open root one component at a time, never following a link.
fn open_dir(root: &Dir, rel: &Path) -> std::io::Result<Dir> {
    let mut dir = root.try_clone()?;
    for component in rel.components() {
        dir = dir.open_subdir(component.as_os_str())?;
    }
    Ok(dir)
}
