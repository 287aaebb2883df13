//! Making links (MKLINK) and making or retargeting them (MKLNK).
//!
//! A new link is made with one call that fails if the name exists, so there is no check to race. Retargeting a
//! soft link makes the new link under a temporary name beside it and swaps the two names atomically; the old link
//! is then removed, so the name is never missing and never anything but a link.

use super::error::parent_of;
use super::paths::{absolute_normalised, cwd_mistake, is_loop, relative_target};
use super::place::{At, Place};
use super::{Error, ErrorKind, LinkKind, Outcome, Sink, TargetStyle, Warning};
use crate::describe;
use crate::platform::{self, EntryKind, Rename};
use std::ffi::OsString;
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
    if target.as_os_str().is_empty() {
        // An empty target names nothing, whatever the kind or style.
        return Err(Error::new(ErrorKind::TargetNotFound, target));
    }
    let stored = match kind {
        LinkKind::HardLink => target.to_path_buf(),
        LinkKind::Junction => junction_text(target)?,
        LinkKind::Symlink { .. } => match style {
            TargetStyle::AsTyped => target.to_path_buf(),
            TargetStyle::Relative => relative_target(link, target).map_err(|e| Error::from_io(e, link))?,
            TargetStyle::Absolute => junction_text(target)?,
        },
    };
    let place = Place::open(link, ErrorKind::ParentNotFound, ErrorKind::LinkExists)?;
    let source = match kind {
        LinkKind::HardLink => Some(Place::open(target, ErrorKind::TargetNotFound, ErrorKind::TargetIsDirectory)?),
        _ => None,
    };
    if dry {
        check_creatable(place.at(), source.as_ref().map(Place::at))?;
    } else {
        make_link(kind, &stored, place.at(), source.as_ref().map(Place::at))?;
    }
    // Warnings only for a link that was (or would be) made: a failure says enough on its own.
    if let LinkKind::Symlink { .. } = kind {
        if let Some(suggestion) = cwd_mistake(link, &stored) {
            sink.warning(Warning::TargetOnlyFromCwd { target: stored.clone(), suggestion });
        }
    }
    if kind != LinkKind::HardLink && is_loop(link, &stored) {
        sink.warning(Warning::Loop { link: link.to_path_buf() });
    }
    Ok(Outcome::Created { kind, link: link.to_path_buf(), target: target.to_path_buf(), stored })
}

/// [`make_at`] for one link on its own: with `descriptions`, the target's description is copied to the link's
/// directory's file right away, in one rewrite.
pub(crate) fn make_one_at(
    target: At<'_>,
    link: At<'_>,
    descriptions: bool,
    dry: bool,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let mut copier = (descriptions && !dry).then(describe::Copier::new);
    let outcome = make_at(target, link, copier.as_mut(), dry, sink)?;
    write_descriptions(copier.as_ref(), link.dir, parent_of(link.shown), sink);
    Ok(outcome)
}

/// MKLNK on two open names: a hard link to a file, a junction to a directory, or the retarget of the soft link
/// `link` to the directory `target`. Batches call this for every literal source. With `descriptions`, the
/// target's description is gathered for the link; the caller writes it once with [`write_descriptions`].
pub(crate) fn make_at(
    target: At<'_>,
    link: At<'_>,
    descriptions: Option<&mut describe::Copier>,
    dry: bool,
    sink: &mut dyn Sink,
) -> Result<Outcome, Error> {
    let target_info = target.lstat()?;
    let target_is_dir = target.dir.stat_follow(target.name).is_ok_and(|i| i.kind == EntryKind::Directory);
    ensure_valid_link_name(link.shown)?;
    let kind = if target_is_dir { LinkKind::Junction } else { LinkKind::HardLink };
    let shown_target = target.shown.to_path_buf();
    let outcome = match link.dir.lstat(link.name) {
        // The link names the target itself (`mklnk dl dl`, or a batch linking a directory's entries into that
        // directory): retargeting would point the link at itself and lose where it pointed.
        Ok(info) if info.same_file(&target_info) => return Err(Error::new(ErrorKind::LinkExists, link.shown)),
        Ok(info) if target_is_dir && info.kind.is_link() => {
            let previous = link.dir.read_link(link.name).map_err(|e| Error::from_io(e, link.shown))?;
            // A relative link stays relative (read from the link's directory); an absolute one stays absolute.
            let stored = if previous.is_relative() {
                relative_target(link.shown, target.shown).map_err(|e| Error::from_io(e, link.shown))?
            } else {
                junction_text(target.shown)?
            };
            if dry {
                link.dir.check_writable().map_err(|e| Error::from_io(e, link.shown))?;
            } else {
                retarget(link, &stored)?;
            }
            if is_loop(link.shown, &stored) {
                sink.warning(Warning::Loop { link: link.shown.to_path_buf() });
            }
            Outcome::Updated { link: link.shown.to_path_buf(), target: shown_target, stored, previous }
        }
        Ok(_) => return Err(Error::new(ErrorKind::LinkExists, link.shown)),
        Err(_) => {
            let stored = if target_is_dir { junction_text(target.shown)? } else { shown_target.clone() };
            let hard_source = (!target_is_dir).then_some(target);
            if dry {
                check_creatable(link, hard_source)?;
            } else {
                make_link(kind, &stored, link, hard_source)?;
            }
            if target_is_dir && is_loop(link.shown, &stored) {
                sink.warning(Warning::Loop { link: link.shown.to_path_buf() });
            }
            Outcome::Created { kind, link: link.shown.to_path_buf(), target: shown_target, stored }
        }
    };
    if let Some(copier) = descriptions.filter(|_| !dry) {
        queue_description(copier, target, link, sink);
    }
    Ok(outcome)
}

/// Gathers the description of `target` for the new name `link`; a problem is a warning, the link stands.
pub(super) fn queue_description(copier: &mut describe::Copier, target: At<'_>, link: At<'_>, sink: &mut dyn Sink) {
    match copier.copy(target.dir, target.name, link.name) {
        Ok(_) => {}
        Err(describe::CopyError::Source(failure)) => {
            sink.warning(description_warning(failure, parent_of(target.shown)))
        }
        Err(describe::CopyError::Entry(e)) => {
            let file = parent_of(link.shown).join(describe::FILE_NAME);
            sink.warning(Warning::Description(Error::from_io(e.into(), &file)));
        }
    }
}

/// Writes the descriptions gathered in a run into the description file of `dir` (shown as `shown`), once.
pub(super) fn write_descriptions(
    copier: Option<&describe::Copier>,
    dir: &platform::Dir,
    shown: &Path,
    sink: &mut dyn Sink,
) {
    if let Some(Err(failure)) = copier.map(|copier| copier.write(dir)) {
        sink.warning(description_warning(failure, shown));
    }
}

/// The warning for a description file in the directory shown as `dir` that was not read or written.
pub(super) fn description_warning(failure: describe::Failure, dir: &Path) -> Warning {
    Warning::Description(Error::from_io(failure.error, &dir.join(failure.file)))
}

/// The text a junction stores: the absolute, normalised target.
fn junction_text(target: &Path) -> Result<PathBuf, Error> {
    if target.as_os_str().is_empty() {
        return Err(Error::new(ErrorKind::TargetNotFound, target));
    }
    absolute_normalised(target).map_err(|e| Error::from_io(e, target))
}

/// Refuses a link name whose last component holds `:`: on Windows it would name a stream of another file, and
/// MKLINK then turns that file's directory into a link. The same name is refused everywhere so that scripts
/// behave alike.
fn ensure_valid_link_name(link: &Path) -> Result<(), Error> {
    let holds_colon = link.file_name().is_some_and(|n| n.as_encoded_bytes().contains(&b':'));
    if holds_colon { Err(Error::new(ErrorKind::InvalidName, link)) } else { Ok(()) }
}

/// Makes the link `link` in its open directory: a hard link to the open name `source`, or a symbolic link or
/// junction holding `stored`.
fn make_link(kind: LinkKind, stored: &Path, link: At<'_>, source: Option<At<'_>>) -> Result<(), Error> {
    let result = match (kind, source) {
        (LinkKind::HardLink, Some(source)) => source.dir.hard_link(source.name, link.dir, link.name),
        (LinkKind::HardLink, None) => Err(io::Error::from(io::ErrorKind::InvalidInput)),
        (LinkKind::Junction, _) => link.dir.junction(stored, link.name),
        (LinkKind::Symlink { directory }, _) => link.dir.symlink(stored, link.name, directory),
    };
    result.map_err(|e| Error::from_create(e, link, source))
}

/// For a dry run: the checks the real call would fail on, without making anything.
fn check_creatable(link: At<'_>, hard_source: Option<At<'_>>) -> Result<(), Error> {
    if link.dir.lstat(link.name).is_ok() {
        return Err(Error::new(ErrorKind::LinkExists, link.shown));
    }
    link.dir.check_writable().map_err(|e| Error::from_io(e, link.shown))?;
    if let Some(source) = hard_source {
        let info = source.lstat()?;
        if info.kind == EntryKind::Directory {
            return Err(Error::new(ErrorKind::TargetIsDirectory, source.shown));
        }
        let parent = link.dir.info().map_err(|e| Error::from_io(e, link.shown))?;
        if parent.dev != info.dev {
            return Err(Error::new(ErrorKind::CrossDevice, link.shown));
        }
    }
    Ok(())
}

/// Points the existing soft link `link` at `stored` without a moment in which `link` is missing: the new link is
/// made under a temporary name in the same open directory and the names are exchanged. If what came out is not
/// a link (a concurrent process put something else there), it is exchanged back and the race reported.
fn retarget(link: At<'_>, stored: &Path) -> Result<(), Error> {
    let temp = make_temp_link(stored, link)?;
    let dir = link.dir;
    let cleanup = |err: Error| {
        let _ = dir.remove(&temp);
        err
    };
    match dir.rename(&temp, dir, link.name, Rename::Exchange) {
        Ok(()) => {}
        Err(e) if platform::is_unsupported(&e) => {
            // No exchange on this file system: check once more, then rename over, which is atomic too.
            let still_link = dir.lstat(link.name).is_ok_and(|i| i.kind.is_link());
            if !still_link {
                return Err(cleanup(Error::new(ErrorKind::Raced, link.shown)));
            }
            return dir
                .rename(&temp, dir, link.name, Rename::Replace)
                .map_err(|e| cleanup(Error::from_io(e, link.shown)));
        }
        Err(e) => return Err(cleanup(Error::from_io(e, link.shown))),
    }
    // `temp` now holds what `link` held a moment ago.
    match dir.lstat(&temp) {
        Ok(old) if old.kind.is_link() => {
            dir.remove(&temp).map_err(|e| Error::from_io(e, link.shown).kept_at(parent_of(link.shown).join(&temp)))
        }
        _ => {
            // Something else had been swapped in: give it its name back and drop our new link.
            match dir.rename(&temp, dir, link.name, Rename::Exchange) {
                Ok(()) => Err(cleanup(Error::new(ErrorKind::Raced, link.shown))),
                Err(_) => Err(Error::new(ErrorKind::Raced, link.shown).kept_at(parent_of(link.shown).join(&temp))),
            }
        }
    }
}

/// Makes a junction (on Unix: a symbolic link) holding `stored` under a fresh temporary name beside `link`:
/// MKLNK retargets only to directories, and a directory link it makes is a junction.
fn make_temp_link(stored: &Path, link: At<'_>) -> Result<OsString, Error> {
    let mut last = None;
    for _ in 0..64 {
        let temp = platform::temp_name();
        match link.dir.junction(stored, &temp) {
            Ok(()) => return Ok(temp),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(Error::from_create(e, link, None)),
        }
    }
    let e = last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists));
    Err(Error::from_create(e, link, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Collected, Operation};

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
            let mut out = Collected::default();
            let request = crate::model::Link::pair(target.as_os_str(), name.as_os_str());
            crate::engine::run(
                &crate::engine::Request { operation: Operation::Link(request), dry_run: false },
                &mut out,
            );
            assert!(
                matches!(out.outcomes.as_slice(), [Outcome::Failed(e)] if e.kind() == ErrorKind::LinkExists),
                "{out:?}"
            );
            assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("d"));
        }
    }
}
