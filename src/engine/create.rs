//! Making links (MKLINK) and making or retargeting them (MKLNK).
//!
//! A new link is made with one call that fails if the name exists, so there is no check to race. Retargeting a
//! soft link makes the new link under a temporary name beside it and swaps the two names atomically; the old link
//! is then removed, so the name is never missing and never anything but a link.

use super::error::parent_of;
use super::paths::{absolute_normalised, cwd_mistake, is_loop, relative_target};
use super::{Error, ErrorKind, LinkKind, Outcome, Sink, TargetStyle, Warning};
use crate::describe;
use crate::platform::{self, EntryKind};
use std::io;
use std::path::{Path, PathBuf};

/// MKLINK: make `link` of `kind` referring to `target`.
pub(super) fn create(
    link: &Path,
    target: &Path,
    kind: LinkKind,
    style: TargetStyle,
    dry: bool,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    ensure_valid_link_name(link)?;
    let stored = match kind {
        LinkKind::HardLink => target.to_path_buf(),
        LinkKind::Junction => junction_text(target)?,
        LinkKind::Symlink { .. } => match style {
            TargetStyle::AsTyped => target.to_path_buf(),
            TargetStyle::Relative => relative_target(link, target).map_err(|e| Error::from_io(e, link))?,
            TargetStyle::Absolute => junction_text(target)?,
        },
    };
    if dry {
        check_creatable(link, target, kind == LinkKind::HardLink)?;
    } else {
        make_link(kind, &stored, link, target)?;
    }
    // Warnings only for a link that was (or would be) made: a failure says enough on its own.
    if let LinkKind::Symlink { .. } = kind
        && let Some(suggestion) = cwd_mistake(link, &stored)
    {
        sink.warning(Warning::TargetOnlyFromCwd { target: stored.clone(), suggestion });
    }
    if kind != LinkKind::HardLink && is_loop(link, &stored) {
        sink.warning(Warning::Loop { link: link.to_path_buf() });
    }
    Ok(Outcome::Created { kind, link: link.to_path_buf(), target: target.to_path_buf(), stored })
}

/// MKLNK: a file gets a hard link, a directory a junction; an existing soft link at `link` is retargeted.
pub(crate) fn make(
    target: &Path,
    link: &Path,
    descriptions: bool,
    dry: bool,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let target_info = platform::lstat(target).map_err(|e| Error::from_io(e, target))?;
    let target_is_dir = platform::resolved_kind(target) == Some(EntryKind::Directory);
    let link = if !target_is_dir && platform::resolved_kind(link) == Some(EntryKind::Directory) {
        match target.file_name() {
            Some(name) => link.join(name),
            None => return Err(Error::new(ErrorKind::LinkExists, link)),
        }
    } else {
        link.to_path_buf()
    };
    ensure_valid_link_name(&link)?;
    let kind = if target_is_dir { LinkKind::Junction } else { LinkKind::HardLink };
    let stored = if target_is_dir { junction_text(target)? } else { target.to_path_buf() };
    let outcome = match platform::lstat(&link) {
        // The link names the target itself (`mklnk dl dl`, or a batch linking a directory's entries into that
        // directory): retargeting would point the link at itself and lose where it pointed (issue 8).
        Ok(info) if info.same_file(&target_info) => return Err(Error::new(ErrorKind::LinkExists, &link)),
        Ok(info) if target_is_dir && info.kind.is_link() => {
            let previous = platform::read_link(&link).map_err(|e| Error::from_io(e, &link))?;
            if !dry {
                retarget(&link, &stored)?;
            }
            Outcome::Updated { link: link.clone(), target: target.to_path_buf(), stored, previous }
        }
        Ok(_) => return Err(Error::new(ErrorKind::LinkExists, &link)),
        Err(_) => {
            if dry {
                check_creatable(&link, target, !target_is_dir)?;
            } else {
                make_link(kind, &stored, &link, target)?;
            }
            Outcome::Created { kind, link: link.clone(), target: target.to_path_buf(), stored }
        }
    };
    if descriptions && !dry {
        copy_description(target, &link, sink);
    }
    Ok(outcome)
}

fn copy_description(target: &Path, link: &Path, sink: &mut dyn Sink) {
    let (Some(target_name), Some(link_name)) = (target.file_name(), link.file_name()) else {
        return;
    };
    if let Err(e) = describe::copy_description(parent_of(target), target_name, parent_of(link), link_name) {
        sink.warning(Warning::Description(Error::from_io(e, &parent_of(link).join(describe::FILE_NAME))));
    }
}

/// The text a junction stores: the absolute, normalised target.
fn junction_text(target: &Path) -> Result<PathBuf, Error> {
    absolute_normalised(target).map_err(|e| Error::from_io(e, target))
}

/// Refuses a link name whose last component holds `:`: on Windows it would name a stream of another file, and
/// MKLINK then turns that file's directory into a link. The same name is refused everywhere so that scripts
/// behave alike.
fn ensure_valid_link_name(link: &Path) -> Result<(), Error> {
    let holds_colon = link.file_name().is_some_and(|n| n.as_encoded_bytes().contains(&b':'));
    if holds_colon { Err(Error::new(ErrorKind::InvalidName, link)) } else { Ok(()) }
}

fn make_link(kind: LinkKind, stored: &Path, link: &Path, target: &Path) -> Result<(), Error> {
    let result = match kind {
        LinkKind::HardLink => platform::hard_link(stored, link),
        LinkKind::Junction => platform::junction(stored, link),
        LinkKind::Symlink { directory } => platform::symlink(stored, link, directory),
    };
    result.map_err(|e| Error::from_create(e, kind == LinkKind::HardLink, link, target))
}

/// For a dry run: the checks the real call would fail on, without making anything.
fn check_creatable(link: &Path, target: &Path, hard: bool) -> Result<(), Error> {
    if platform::exists_no_follow(link) {
        return Err(Error::new(ErrorKind::LinkExists, link));
    }
    let parent = platform::lstat(parent_of(link));
    match parent {
        Ok(info) if info.kind == EntryKind::Directory || info.kind.is_link() => {}
        _ => return Err(Error::new(ErrorKind::ParentNotFound, link)),
    }
    if hard {
        let info = platform::lstat(target).map_err(|e| Error::from_io(e, target))?;
        if info.kind == EntryKind::Directory {
            return Err(Error::new(ErrorKind::TargetIsDirectory, target));
        }
        let parent = platform::lstat(&parent_of(link).join(".")).map_err(|e| Error::from_io(e, link))?;
        if parent.dev != info.dev {
            return Err(Error::new(ErrorKind::CrossDevice, link));
        }
    }
    Ok(())
}

/// Points the existing soft link `link` at `stored` without a moment in which `link` is missing: the new link is
/// made under a temporary name in the same directory and the names are exchanged. If what came out is not a
/// link (a concurrent process put something else there), it is exchanged back and the race reported.
fn retarget(link: &Path, stored: &Path) -> Result<(), Error> {
    let temp = make_temp_link(stored, link)?;
    let cleanup = |err: Error| {
        let _ = platform::remove_entry(&temp);
        err
    };
    match platform::exchange(&temp, link) {
        Ok(()) => {}
        Err(e) if platform::is_unsupported(&e) => {
            // No exchange on this file system: check once more, then rename over, which is atomic too.
            let still_link = platform::lstat(link).is_ok_and(|i| i.kind.is_link());
            if !still_link {
                return Err(cleanup(Error::new(ErrorKind::Raced, link)));
            }
            return platform::rename_replace(&temp, link).map_err(|e| cleanup(Error::from_io(e, link)));
        }
        Err(e) => return Err(cleanup(Error::from_io(e, link))),
    }
    // `temp` now holds what `link` held a moment ago.
    match platform::lstat(&temp) {
        Ok(old) if old.kind.is_link() => platform::remove_entry(&temp).map_err(|e| Error::from_io(e, &temp)),
        _ => {
            // Something else had been swapped in: give it its name back and drop our new link.
            match platform::exchange(&temp, link) {
                Ok(()) => Err(cleanup(Error::new(ErrorKind::Raced, link))),
                Err(_) => Err(Error::new(ErrorKind::Raced, link).kept_at(temp)),
            }
        }
    }
}

/// Makes a junction (on Unix: a symbolic link) holding `stored` under a fresh temporary name beside `link`:
/// MKLNK retargets only to directories, and a directory link it makes is a junction.
fn make_temp_link(stored: &Path, link: &Path) -> Result<PathBuf, Error> {
    let dir = parent_of(link);
    let mut last = None;
    for _ in 0..64 {
        let temp = platform::temp_name(dir);
        match platform::junction(stored, &temp) {
            Ok(()) => return Ok(temp),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(Error::from_create(e, false, link, stored)),
        }
    }
    let e = last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists));
    Err(Error::from_create(e, false, link, stored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Collected;

    #[test]
    fn update_refuses_to_point_a_link_at_itself() {
        // Regression, issue 8 (found by the property test): `mklnk "a;dl" .` retargeted the soft link `dl` to its
        // own absolute path, losing its target.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("d")).unwrap();
        let link = dir.path().join("dl");
        platform::symlink(Path::new("d"), &link, true).unwrap();
        if platform::running_under_wine() {
            // Wine's CreateSymbolicLinkW reports success and creates nothing: there is no link to protect.
            eprintln!("under Wine: symbolic links are not made, so only Wine's documented behaviour is checked");
            assert!(platform::lstat(&link).is_err());
            return;
        }
        let same_entry = dir.path().join(".").join("dl");
        for (target, name) in [(&link, &link), (&link, &same_entry)] {
            let err = make(target, name, false, false, &mut Collected::default()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::LinkExists);
            assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("d"));
        }
    }
}
