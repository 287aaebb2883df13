//! MKLNK batches: many sources, chosen by wildcards, include lists and filters, hard-linked into one existing
//! directory under their own names.
//!
//! Sources are matched while the directory is read and linked at once with `linkat` between two open directory
//! descriptors: nothing is collected first, no path is walked twice, and memory does not grow with the batch.
//! Metadata is read only when a filter needs it (or the directory does not say what an entry is). Each source
//! succeeds or fails on its own; a failure is reported and the rest go on.

use super::create;
use super::place::At;
use super::{Batch, Error, ErrorKind, LinkKind, Outcome, Sink, SourceGroup, SourceName, Warning};
use crate::describe;
use crate::platform::{Dir, EntryKind, EntryMeta, EntryName};
use crate::select::{Attributes, Candidate, Pattern, Selection};
use std::ffi::OsString;
use std::path::Path;

/// Runs the batch, reporting one outcome per source (and one failure per group that matched nothing). The
/// destination is opened once and every link is made through that handle; each group's directory likewise.
pub(super) fn run(batch: &Batch, dry: bool, sink: &mut dyn Sink) {
    let dest = match Dir::open(&batch.link_dir) {
        Ok(dest) => dest,
        Err(e) => {
            // The destination must be an existing directory: a missing one is a missing path.
            let mut err = Error::from_io(e, &batch.link_dir);
            if err.kind() == ErrorKind::TargetNotFound {
                err = err.with_kind(ErrorKind::ParentNotFound);
            }
            sink.outcome(Outcome::Failed(err));
            return;
        }
    };
    crate::platform::pause_point("batch-destination-open");
    for group in &batch.groups {
        if crate::platform::interrupted() {
            sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, &group.typed)));
            return;
        }
        let src_path = if group.dir.as_os_str().is_empty() { Path::new(".") } else { group.dir.as_path() };
        let src = match Dir::open(src_path) {
            Ok(src) => src,
            Err(e) => {
                sink.outcome(Outcome::Failed(Error::from_io(e, Path::new(&group.typed))));
                continue;
            }
        };
        for name in &group.names {
            if let SourceName::Literal(name) = name {
                literal(batch, group, &src, &dest, name, dry, sink);
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
            let matched = wildcards(batch, group, &patterns, &src, &dest, dry, sink);
            if matched == 0 {
                sink.outcome(Outcome::Failed(Error::new(ErrorKind::TargetNotFound, &group.typed)));
            }
        }
    }
}

/// A literal source: linked like `mklnk NAME DIR` (a directory gets a junction). It is skipped, silently, when
/// an exclusion, `/A:` or a range leaves it out; a missing one is reported by the link step.
fn literal(batch: &Batch, group: &SourceGroup, src: &Dir, dest: &Dir, name: &OsString, dry: bool, sink: &mut dyn Sink) {
    let bytes = name.as_encoded_bytes();
    if !batch.filters.matches_name(bytes) {
        return;
    }
    if (batch.filters.needs_metadata() || batch.filters.attr_filter().is_some())
        && src.entry_meta(name).is_ok_and(|meta| !batch.filters.passes_filters(&candidate(bytes, &meta)))
    {
        return;
    }
    let (target, link) = (group.dir.join(name), batch.link_dir.join(name));
    let target = At { dir: src, name, shown: &target };
    let link = At { dir: dest, name, shown: &link };
    let result = create::make_at(target, link, batch.descriptions, dry, sink);
    sink.outcome(result.unwrap_or_else(Outcome::Failed));
}

/// Reads the group's directory once, linking every entry that matches; returns how many matched.
fn wildcards(
    batch: &Batch,
    group: &SourceGroup,
    patterns: &[&Pattern],
    src: &Dir,
    dest: &Dir,
    dry: bool,
    sink: &mut dyn Sink,
) -> u64 {
    let descriptions = if batch.descriptions && !dry { describe::read_file(&group.dir).ok().flatten() } else { None };
    let mut described = Vec::new();
    let mut matched = 0u64;
    let mut stopped = false;
    let walked = src.for_each_entry(|name, kind| {
        let bytes = name.as_bytes();
        if !patterns.iter().any(|p| p.matches(bytes)) || !batch.filters.matches_name(bytes) {
            return true;
        }
        match selected(&batch.filters, src, name, kind) {
            Ok(true) => {}
            Ok(false) => return true,
            Err(e) => {
                matched += 1;
                sink.outcome(Outcome::Failed(Error::from_io(e, &group.dir.join(name.to_os_string()))));
                return true;
            }
        }
        if crate::platform::interrupted() {
            stopped = true;
            return false;
        }
        matched += 1;
        let target = group.dir.join(name.to_os_string());
        let link = batch.link_dir.join(name.to_os_string());
        let result = if dry {
            match dest.lstat(name.as_os_str()) {
                Ok(_) => Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists)),
                Err(_) => dest.check_writable().and_then(|()| same_device(src, dest)),
            }
        } else {
            src.hard_link(name.as_os_str(), dest, name.as_os_str())
        };
        match result {
            Ok(()) => {
                if let Some(remainder) = descriptions.as_deref().and_then(|d| describe::find_description(d, bytes)) {
                    described.push((name.to_os_string(), remainder));
                }
                let stored = target.clone();
                sink.outcome(Outcome::Created { kind: LinkKind::HardLink, link, target, stored });
            }
            Err(e) => {
                let source = At { dir: src, name: name.as_os_str(), shown: &target };
                let into = At { dir: dest, name: name.as_os_str(), shown: &link };
                sink.outcome(Outcome::Failed(Error::from_create(e, into, Some(source))));
            }
        }
        true
    });
    if let Err(e) = walked {
        sink.outcome(Outcome::Failed(Error::from_io(e, Path::new(&group.typed))));
    }
    if let Err(e) = describe::write_descriptions(&batch.link_dir, &described) {
        let file = batch.link_dir.join(describe::FILE_NAME);
        sink.warning(Warning::Description(Error::from_io(e, &file)));
    }
    if stopped {
        sink.outcome(Outcome::Failed(Error::new(ErrorKind::Interrupted, Path::new(&group.typed))));
    }
    matched
}

/// Whether a matching entry is selected: files only, then visibility, `/A:` and ranges. Metadata is read only
/// when a filter needs it or the directory entry did not say what the entry is.
fn selected(filters: &Selection, src: &Dir, name: &EntryName<'_>, kind: Option<EntryKind>) -> std::io::Result<bool> {
    match kind {
        Some(kind) if !filters.needs_metadata() => {
            if kind == EntryKind::Directory || kind.is_link() {
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

fn candidate<'a>(name: &'a [u8], meta: &EntryMeta) -> Candidate<'a> {
    let stamp = |t: crate::model::FileTime| t.to_timestamp().unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    Candidate {
        name,
        is_dir: meta.kind == EntryKind::Directory,
        is_symlink: meta.kind.is_link(),
        size: meta.size,
        modified: stamp(meta.modified),
        accessed: stamp(meta.accessed),
        created: meta.created.map(stamp),
        attrs: meta.attrs,
    }
}

/// For a dry run: a hard link cannot cross devices (the real `linkat` would fail with `EXDEV`).
fn same_device(src: &Dir, dest: &Dir) -> std::io::Result<()> {
    match (src.info(), dest.info()) {
        (Ok(a), Ok(b)) if a.dev != b.dev => Err(std::io::Error::from(std::io::ErrorKind::CrossesDevices)),
        _ => Ok(()),
    }
}
