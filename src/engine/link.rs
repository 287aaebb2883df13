//! MKLNK's one rule: what each typed name means, read from what is on disk when the command runs (the parser
//! only records text). The rule is documented on [`Link`]; this module reads the sources and the destination
//! by it and hands the work to the single link (`create::make_at`) or to the batch (`batch.rs`).
//!
//! Every name is looked up once, here, without following a final link; the links are then made through the
//! directories opened here, so the decision and the work refer to the same directories.

use super::batch;
use super::create;
use super::place::{At, Place, names_a_directory};
use super::{Error, ErrorKind, Link, Outcome, Sink};
use crate::platform::{self, Dir, EntryKind, EntryMeta};
use crate::select::{Candidate, Pattern, RenamePattern, Selection, is_include_list, is_rename_pattern, split_include};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// One typed source name, read by the rule.
pub(super) enum Source {
    /// A name that exists, or that holds no wildcard and no list: one file or directory (perhaps missing).
    Literal(PathBuf),
    /// A pattern or an include list: names chosen in one directory.
    Group(Group),
}

/// The names of one pattern or include list, all in one directory.
pub(super) struct Group {
    /// The directory the names are in (empty for the current directory).
    pub dir: PathBuf,
    /// The names and patterns, in the order typed.
    pub names: Vec<SourceName>,
    /// The name as typed, for the "matches nothing" message.
    pub typed: OsString,
}

/// One entry of a group.
pub(super) enum SourceName {
    /// A name taken as it is (it exists, or holds no wildcard).
    Literal(OsString),
    /// A wildcard pattern matched against the directory's entries.
    Pattern(Pattern),
}

/// Where the links go.
pub(super) enum Dest {
    /// An existing directory: each link gets its source's name inside it.
    Into {
        /// The directory, open.
        dir: Dir,
        /// The directory as typed, for messages.
        shown: PathBuf,
    },
    /// A rename pattern: each link is named from its source's name, in the pattern's directory.
    Rename {
        /// The pattern's directory, open.
        dir: Dir,
        /// The directory as typed (empty for the current one), for messages.
        shown: PathBuf,
        /// The last component of the destination.
        pattern: RenamePattern,
    },
    /// One new name (or an existing soft link to retarget).
    Name(PathBuf),
}

/// Carries out a [`Link`] request.
pub(super) fn run(link: &Link, dry: bool, sink: &mut dyn Sink) {
    let case_insensitive = link.filters.is_case_insensitive();
    let mut sources = Vec::with_capacity(link.sources.len());
    for typed in &link.sources {
        match read_source(typed, case_insensitive) {
            Ok(source) => sources.push(source),
            Err(e) => return sink.outcome(Outcome::Failed(e)),
        }
    }
    let Some(first) = sources.first() else {
        return sink.outcome(Outcome::Failed(Error::new(ErrorKind::Usage, &link.destination)));
    };
    let several = sources.len() > 1 || matches!(first, Source::Group(_));
    let one_directory = match first {
        Source::Literal(path) if !several => std::fs::metadata(path).is_ok_and(|m| m.is_dir()),
        _ => false,
    };
    let dest = match read_destination(&link.destination, one_directory, case_insensitive) {
        Ok(dest) => dest,
        Err(e) => return sink.outcome(Outcome::Failed(e)),
    };
    match dest {
        Dest::Name(path) => to_new_name(link, &sources, &path, dry, sink),
        dest => {
            if several {
                sink.batch_started();
            }
            batch::run(link, &sources, &dest, dry, sink);
        }
    }
}

/// Reads one typed source name by the rule.
fn read_source(typed: &OsStr, case_insensitive: bool) -> Result<Source, Error> {
    let path = Path::new(typed);
    if typed.is_empty() || platform::exists_no_follow(path) {
        return Ok(Source::Literal(path.to_path_buf()));
    }
    let bytes = typed.as_encoded_bytes();
    if is_include_list(bytes) {
        let list = split_include(bytes, platform::is_separator_byte).map_err(|_| Error::new(ErrorKind::Usage, path))?;
        let dir = PathBuf::from(platform::os_string_from_bytes(list.dir));
        let names = list.names.iter().map(|n| list_entry(&dir, n, case_insensitive)).collect();
        return Ok(Source::Group(Group { dir, names, typed: typed.to_os_string() }));
    }
    let cut = last_separator_end(bytes);
    match Pattern::parse(&bytes[cut..]) {
        Ok(pattern) if pattern.has_wildcards() => Ok(Source::Group(Group {
            dir: PathBuf::from(platform::os_string_from_bytes(bytes[..cut].to_vec())),
            names: vec![SourceName::Pattern(pattern.with_case_insensitive(case_insensitive))],
            typed: typed.to_os_string(),
        })),
        _ => Ok(Source::Literal(path.to_path_buf())),
    }
}

/// One entry of an include list: literal when it exists (brackets and all) or holds no wildcard.
fn list_entry(dir: &Path, name: &[u8], case_insensitive: bool) -> SourceName {
    let raw = platform::os_string_from_bytes(name.to_vec());
    if platform::exists_no_follow(&dir.join(&raw)) {
        return SourceName::Literal(raw);
    }
    match Pattern::parse(name) {
        Ok(p) if p.has_wildcards() => SourceName::Pattern(p.with_case_insensitive(case_insensitive)),
        Ok(p) => SourceName::Literal(platform::os_string_from_bytes(p.text().to_vec())),
        Err(_) => SourceName::Literal(raw),
    }
}

/// A directory as typed, ready to open: `.` for the empty directory part of a bare name.
pub(super) fn dir_path(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() { Path::new(".") } else { dir }
}

/// Where the last component starts: just after the last separator, or 0.
fn last_separator_end(bytes: &[u8]) -> usize {
    bytes.iter().rposition(|&b| platform::is_separator_byte(b)).map_or(0, |i| i + 1)
}

/// Reads the destination by the rule. `one_directory`: the sources are one single directory, which retargets
/// an existing soft link rather than linking into the directory it leads to.
fn read_destination(typed: &OsStr, one_directory: bool, case_insensitive: bool) -> Result<Dest, Error> {
    let path = Path::new(typed);
    if typed.is_empty() {
        return Ok(Dest::Name(PathBuf::new()));
    }
    let missing = |e: std::io::Error, shown: &Path| {
        let err = Error::from_io(e, shown);
        if err.kind() == ErrorKind::TargetNotFound { err.with_kind(ErrorKind::ParentNotFound) } else { err }
    };
    if names_a_directory(path) {
        return Dir::open(path).map(|dir| Dest::Into { dir, shown: path.to_path_buf() }).map_err(|e| missing(e, path));
    }
    if let Some(Ok(dir)) = (!one_directory).then(|| Dir::open(path)) {
        return Ok(Dest::Into { dir, shown: path.to_path_buf() });
    }
    let bytes = typed.as_encoded_bytes();
    let cut = last_separator_end(bytes);
    if is_rename_pattern(&bytes[cut..]) {
        let pattern = RenamePattern::parse(&bytes[cut..])
            .map_err(|_| Error::new(ErrorKind::InvalidName, path))?
            .with_case_insensitive(case_insensitive);
        let shown = PathBuf::from(platform::os_string_from_bytes(bytes[..cut].to_vec()));
        let dir = Dir::open(dir_path(&shown)).map_err(|e| missing(e, path))?;
        return Ok(Dest::Rename { dir, shown, pattern });
    }
    Ok(Dest::Name(path.to_path_buf()))
}

/// A plain new name: exactly one source. A literal one is linked as typed; a pattern must match exactly one
/// file; several names or an include list are a usage error.
fn to_new_name(link: &Link, sources: &[Source], dest: &Path, dry: bool, sink: &mut dyn Sink) {
    let usage = || Outcome::Failed(Error::new(ErrorKind::Usage, dest));
    let result = match sources {
        [Source::Literal(path)] => one_literal(link, path, dest, dry, sink),
        [Source::Group(group)] => match group.names.as_slice() {
            [SourceName::Pattern(pattern)] => return one_match(link, group, pattern, dest, dry, sink),
            _ => return sink.outcome(usage()),
        },
        _ => return sink.outcome(usage()),
    };
    sink.outcome(result.unwrap_or_else(Outcome::Failed));
}

/// `mklnk SOURCE NEW`: the MKLNK table (hard link, junction, retarget), after the filters.
fn one_literal(link: &Link, source: &Path, dest: &Path, dry: bool, sink: &mut dyn Sink) -> Result<Outcome, Error> {
    let source = open_source(source)?;
    if !literal_selected(&link.filters, &source.dir, &source.name) {
        // The filters leave the one file out: nothing is selected.
        return Err(Error::new(ErrorKind::NoMatch, &source.shown));
    }
    let place = Place::open(dest, ErrorKind::ParentNotFound, ErrorKind::LinkExists)?;
    create::make_one_at(source.at(), place.at(), link.descriptions, dry, sink)
}

/// Opens the directory of a literal source. An empty name names nothing; `.`, `..` and `/` name a directory by
/// a form that has no name of its own to link.
pub(super) fn open_source(path: &Path) -> Result<Place, Error> {
    if path.as_os_str().is_empty() {
        return Err(Error::new(ErrorKind::TargetNotFound, path));
    }
    Place::open(path, ErrorKind::TargetNotFound, ErrorKind::TargetIsDirectory)
}

/// `mklnk PATTERN NEW`: the pattern must select exactly one file, which is linked to the new name.
fn one_match(link: &Link, group: &Group, pattern: &Pattern, dest: &Path, dry: bool, sink: &mut dyn Sink) {
    let src = match Dir::open(dir_path(&group.dir)) {
        Ok(src) => src,
        Err(e) => return sink.outcome(Outcome::Failed(Error::from_io(e, Path::new(&group.typed)))),
    };
    let mut found: Vec<OsString> = Vec::new();
    let mut failure = None;
    let walked = batch::for_each_match(&link.filters, &[pattern], &src, |m| {
        match m {
            batch::Found::Entry(name) => found.push(name.to_os_string()),
            batch::Found::Unreadable(name, e) => failure = Some(Error::from_io(e, &group.dir.join(name))),
        }
        failure.is_none() && found.len() < 2
    });
    if found.len() < 2 {
        sink.batch_started();
    }
    let result = match (walked, failure, found.as_slice()) {
        (Err(e), _, _) => Err(Error::from_io(e, Path::new(&group.typed))),
        (_, Some(e), _) => Err(e),
        (_, None, []) => Err(Error::new(ErrorKind::NoMatch, &group.typed)),
        (_, None, [name]) => {
            let shown = group.dir.join(name);
            let source = At { dir: &src, name, shown: &shown };
            Place::open(dest, ErrorKind::ParentNotFound, ErrorKind::LinkExists)
                .and_then(|place| create::make_one_at(source, place.at(), link.descriptions, dry, sink))
        }
        (_, None, _) => Err(Error::new(ErrorKind::Usage, dest)),
    };
    sink.outcome(result.unwrap_or_else(Outcome::Failed));
}

/// Whether a literal source passes the filters: its name always (exclusions, never `DESCRIPT.ION`), its
/// attributes and times only when `/A:` or a range was given. A missing name passes: the link step reports it.
pub(super) fn literal_selected(filters: &Selection, dir: &Dir, name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    if !filters.matches_name(bytes) {
        return false;
    }
    if !filters.needs_metadata() && filters.attr_filter().is_none() {
        return true;
    }
    dir.entry_meta(name).map_or(true, |meta| filters.passes_filters(&candidate(bytes, &meta)))
}

/// The selection's view of one entry.
pub(super) fn candidate<'a>(name: &'a [u8], meta: &EntryMeta) -> Candidate<'a> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Collected, Operation, Request};

    fn run_link(link: Link) -> Collected {
        let mut out = Collected::default();
        crate::engine::run(&Request { operation: Operation::Link(link), dry_run: false }, &mut out);
        out
    }

    #[test]
    fn an_existing_name_with_wildcards_is_one_literal_source_not_a_batch() {
        let dir = tempfile::tempdir().unwrap();
        // `a[1].txt` read as a pattern would select `a1.txt`; as it exists, it is the one file it names (no `*`:
        // Windows names cannot hold one).
        std::fs::write(dir.path().join("a[1].txt"), "x").unwrap();
        std::fs::write(dir.path().join("a1.txt"), "y").unwrap();
        let out = run_link(Link::pair(dir.path().join("a[1].txt"), dir.path().join("new")));
        assert!(!out.batch, "{out:?}");
        assert!(matches!(out.outcomes.as_slice(), [Outcome::Created { .. }]), "{out:?}");
        assert_eq!(std::fs::read_to_string(dir.path().join("new")).unwrap(), "x");
    }

    #[test]
    fn a_missing_name_with_wildcards_is_a_pattern_and_a_batch() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a1z.txt"), "y").unwrap();
        std::fs::create_dir(dir.path().join("dst")).unwrap();
        let out = run_link(Link::pair(dir.path().join("a[1]*.txt"), dir.path().join("dst")));
        assert!(out.batch, "{out:?}");
        assert!(matches!(out.outcomes.as_slice(), [Outcome::Created { .. }]), "{out:?}");
        assert!(dir.path().join("dst/a1z.txt").exists());
    }

    #[test]
    fn several_sources_to_a_plain_new_name_is_a_usage_error_and_makes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "a").unwrap();
        std::fs::write(dir.path().join("b"), "b").unwrap();
        let mut link = Link::pair(dir.path().join("a"), dir.path().join("new"));
        link.sources.push(dir.path().join("b").into_os_string());
        let out = run_link(link);
        assert!(matches!(out.outcomes.as_slice(), [Outcome::Failed(e)] if e.kind() == ErrorKind::Usage), "{out:?}");
        assert!(!dir.path().join("new").exists());
    }
}
