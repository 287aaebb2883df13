//! MKLNK batches: sources chosen by names, wildcards, include lists and filters, linked into one directory under
//! their own names or under names made by a rename pattern (`link.rs` decides which).
//!
//! Sources are matched while the directory is read and linked at once with `linkat` between two open directory
//! descriptors: nothing is collected first, no path is walked twice, and memory does not grow with the batch.
//! (A rename pattern collects each group's matches first: its new names may land in the very directory being
//! read, and must not be read back as sources.) Metadata is read only when a filter needs it (or the directory
//! does not say what an entry is). Each source succeeds or fails on its own; a failure is reported and the rest
//! go on.

use super::create;
use super::link::{Dest, Group, Source, SourceName, candidate, dir_path, literal_selected, open_source};
use super::place::At;
use super::{Error, ErrorKind, Link, LinkKind, Outcome, Sink, Warning};
use crate::describe;
use crate::platform::{Dir, EntryKind, EntryName};
use crate::select::{Attributes, Pattern, RenamePattern, Selection};
use std::borrow::Cow;
use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::path::Path;

/// The destination of a batch and what it has made so far.
struct Target<'a> {
    dir: &'a Dir,
    shown: &'a Path,
    rename: Option<&'a RenamePattern>,
    /// The names a rename pattern produced (ASCII-folded when case-insensitive): a second source mapping to one
    /// of them is an error.
    made: HashSet<Vec<u8>>,
    case_insensitive: bool,
    /// The descriptions gathered over the whole batch, written once, through `dir`, at its end.
    copier: Option<describe::Copier>,
}

impl Target<'_> {
    /// The link's name for a source named `name`, or why there is none.
    fn name_for<'n>(&mut self, name: &'n OsStr) -> Result<Cow<'n, OsStr>, Error> {
        let Some(pattern) = self.rename else { return Ok(Cow::Borrowed(name)) };
        let new = pattern.apply(name.as_encoded_bytes());
        let shown = self.shown.join(crate::platform::os_string_from_bytes(new.clone()));
        if matches!(new.as_slice(), b"" | b"." | b"..") {
            return Err(Error::new(ErrorKind::InvalidName, shown));
        }
        let key = if self.case_insensitive { new.to_ascii_lowercase() } else { new.clone() };
        if !self.made.insert(key) {
            return Err(Error::new(ErrorKind::LinkExists, shown));
        }
        Ok(Cow::Owned(crate::platform::os_string_from_bytes(new)))
    }
}

/// Runs the batch, reporting one outcome per source (and one failure per typed name that selected nothing). The
/// destination was opened once by the caller; each group's directory is opened once here.
pub(super) fn run(link: &Link, sources: &[Source], dest: &Dest, dry: bool, sink: &mut dyn Sink) {
    let (dir, shown, rename) = match dest {
        Dest::Into { dir, shown } => (dir, shown, None),
        Dest::Rename { dir, shown, pattern } => (dir, shown, Some(pattern)),
        Dest::Name(_) => return,
    };
    let case_insensitive = link.filters.is_case_insensitive();
    let copier = (link.descriptions && !dry).then(describe::Copier::new);
    let mut target = Target { dir, shown, rename, made: HashSet::new(), case_insensitive, copier };
    crate::platform::pause_point("batch-destination-open");
    for source in sources {
        if crate::platform::interrupted() {
            let typed = match source {
                Source::Literal(path) => path.as_os_str(),
                Source::Group(group) => &group.typed,
            };
            sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, typed)));
            break;
        }
        match source {
            Source::Literal(path) => literal_source(link, path, &mut target, dry, sink),
            Source::Group(group) => group_sources(link, group, &mut target, dry, sink),
        }
    }
    create::write_descriptions(target.copier.as_ref(), dir, shown, sink);
}

/// A literal name on the line: linked like `mklnk NAME DIR` (a directory gets a junction); one the filters
/// leave out selected nothing, which is an error.
fn literal_source(link: &Link, path: &Path, target: &mut Target<'_>, dry: bool, sink: &mut dyn Sink) {
    let result = open_source(path).and_then(|source| {
        if !literal_selected(&link.filters, &source.dir, &source.name) {
            return Err(Error::new(ErrorKind::TargetNotFound, path));
        }
        link_one(source.at(), target, dry, sink)
    });
    sink.outcome(result.unwrap_or_else(Outcome::Failed));
}

/// Links one source that exists in an open directory through `make_at`.
fn link_one(source: At<'_>, target: &mut Target<'_>, dry: bool, sink: &mut dyn Sink) -> Result<Outcome, Error> {
    let name = target.name_for(source.name)?;
    let shown = super::paths::joined(target.shown, &name);
    let into = At { dir: target.dir, name: &name, shown: &shown };
    create::make_at(source, into, target.copier.as_mut(), dry, sink)
}

/// A pattern or include list: its literal names, then one read of the directory for its patterns. A group that
/// selects nothing is one "cannot find the file" error.
fn group_sources(link: &Link, group: &Group, target: &mut Target<'_>, dry: bool, sink: &mut dyn Sink) {
    let src = match Dir::open(dir_path(&group.dir)) {
        Ok(src) => src,
        Err(e) => return sink.outcome(Outcome::Failed(Error::from_io(e, Path::new(&group.typed)))),
    };
    let mut selected = 0u64;
    for name in &group.names {
        let SourceName::Literal(name) = name else { continue };
        if literal_selected(&link.filters, &src, name) {
            selected += 1;
            let shown = group.dir.join(name);
            let source = At { dir: &src, name, shown: &shown };
            let result = link_one(source, target, dry, sink);
            sink.outcome(result.unwrap_or_else(Outcome::Failed));
        }
    }
    let patterns: Vec<&Pattern> = group
        .names
        .iter()
        .filter_map(|n| match n {
            SourceName::Pattern(p) => Some(p),
            SourceName::Literal(_) => None,
        })
        .collect();
    if !patterns.is_empty() {
        selected += wildcards(link, group, &patterns, &src, target, dry, sink);
    }
    if selected == 0 {
        sink.outcome(Outcome::Failed(Error::new(ErrorKind::NoMatch, &group.typed)));
    }
}

/// What reading a directory for a pattern found.
pub(super) enum Found<'a> {
    /// A selected entry.
    Entry(&'a OsStr),
    /// An entry whose name matches but whose metadata could not be read.
    Unreadable(&'a OsStr, std::io::Error),
}

/// Reads `src` once, handing every entry that matches one of `patterns` and passes the filters to `each`, which
/// returns whether to go on.
pub(super) fn for_each_match(
    filters: &Selection,
    patterns: &[&Pattern],
    src: &Dir,
    mut each: impl FnMut(Found<'_>) -> bool,
) -> std::io::Result<()> {
    src.for_each_entry(|name, kind| {
        let bytes = name.as_bytes();
        if !patterns.iter().any(|p| p.matches(bytes)) || !filters.matches_name(bytes) {
            return true;
        }
        match selected(filters, src, name, kind) {
            Ok(true) => each(Found::Entry(name.as_os_str())),
            Ok(false) => true,
            Err(e) => each(Found::Unreadable(name.as_os_str(), e)),
        }
    })
}

/// Links every entry of the group's directory that matches; returns how many matched. Without a rename pattern
/// each is linked as it is read; with one, the matches are collected first.
fn wildcards(
    link: &Link,
    group: &Group,
    patterns: &[&Pattern],
    src: &Dir,
    target: &mut Target<'_>,
    dry: bool,
    sink: &mut dyn Sink,
) -> u64 {
    // The group's description file, read once (any problem with it reported once).
    let index = target.copier.as_mut().map(|copier| {
        let (index, failure) = copier.source(src);
        if let Some(failure) = failure {
            sink.warning(create::description_warning(failure, &group.dir));
        }
        index
    });
    let (mut matched, mut unreadable) = (0u64, 0u64);
    let mut stopped = false;
    let mut later: Vec<OsString> = Vec::new();
    let collect = target.rename.is_some();
    let mut one = |name: &OsStr, target: &mut Target<'_>, sink: &mut dyn Sink| {
        matched += 1;
        let outcome = hard_link(name, group, src, target, dry);
        if let (Ok((new, _)), Some(copier), Some(index)) = (&outcome, target.copier.as_mut(), index.as_deref()) {
            if let Err(e) = copier.queue(index, name, new) {
                let file = target.shown.join(describe::FILE_NAME);
                sink.warning(Warning::Description(Error::from_io(e.into(), &file)));
            }
        }
        sink.outcome(outcome.map_or_else(Outcome::Failed, |(_, created)| created));
    };
    let walked = for_each_match(&link.filters, patterns, src, |found| {
        if crate::platform::interrupted() {
            stopped = true;
            return false;
        }
        match found {
            Found::Entry(name) if collect => later.push(name.to_os_string()),
            Found::Entry(name) => one(name, target, sink),
            Found::Unreadable(name, e) => {
                unreadable += 1;
                sink.outcome(Outcome::Failed(Error::from_io(e, &group.dir.join(name))));
            }
        }
        true
    });
    if let Err(e) = walked {
        sink.outcome(Outcome::Failed(Error::from_io(e, Path::new(&group.typed))));
    }
    for name in &later {
        if crate::platform::interrupted() {
            stopped = true;
            break;
        }
        one(name, target, sink);
    }
    if stopped {
        sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, Path::new(&group.typed))));
    }
    matched + unreadable
}

/// Hard-links the matched file `name` of the group's directory to its name in the target: the new name and the
/// outcome, or the failure.
fn hard_link<'n>(
    name: &'n OsStr,
    group: &Group,
    src: &Dir,
    target: &mut Target<'_>,
    dry: bool,
) -> Result<(Cow<'n, OsStr>, Outcome), Error> {
    let new = target.name_for(name)?;
    let source_path = super::paths::joined(&group.dir, name);
    let link_path = super::paths::joined(target.shown, &new);
    let result = if dry {
        match target.dir.lstat(&new) {
            Ok(_) => Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists)),
            Err(_) => target.dir.check_writable().and_then(|()| same_device(src, target.dir)),
        }
    } else {
        src.hard_link(name, target.dir, &new)
    };
    match result {
        Ok(()) => {
            let stored = source_path.clone();
            Ok((new, Outcome::Created { kind: LinkKind::HardLink, link: link_path, target: source_path, stored }))
        }
        Err(e) => {
            let source = At { dir: src, name, shown: &source_path };
            let into = At { dir: target.dir, name: &new, shown: &link_path };
            Err(Error::from_create(e, into, Some(source)))
        }
    }
}

/// Whether a matching entry is selected: [`Selection::selects_kind`] (files, and links only with `/A:j`), then
/// visibility, `/A:` and ranges. Metadata is read only when a filter needs it or the directory entry did not say
/// what the entry is.
fn selected(filters: &Selection, src: &Dir, name: &EntryName<'_>, kind: Option<EntryKind>) -> std::io::Result<bool> {
    match kind {
        Some(kind) if !filters.needs_metadata() => {
            if !filters.selects_kind(kind == EntryKind::Directory, kind.is_link()) {
                return Ok(false);
            }
            let attrs = if name.is_hidden() { Attributes::HIDDEN } else { Attributes::NONE };
            Ok(filters.visible(attrs))
        }
        _ => {
            let meta = src.entry_meta(name.as_os_str())?;
            Ok(filters.matches_meta(&candidate(name.as_bytes(), &meta)))
        }
    }
}

/// For a dry run: a hard link cannot cross devices (the real `linkat` would fail with `EXDEV`).
fn same_device(src: &Dir, dest: &Dir) -> std::io::Result<()> {
    match (src.info(), dest.info()) {
        (Ok(a), Ok(b)) if a.dev != b.dev => Err(std::io::Error::from(std::io::ErrorKind::CrossesDevices)),
        _ => Ok(()),
    }
}
