//! The wording of deduplication, undo, unshare and disk usage: text lines and JSON objects.

use super::escape::quote;
use super::json::put;
use super::plural;
use crate::model::{DedupeSummary, DiskUsage, TreeItem};
use crate::platform::CopyMethod;
use serde_json::{Value, json};
use std::path::Path;

/// `value` with the named paths set as every JSON object sets names (with `*_bytes` for names that are not
/// UTF-8).
fn with(mut value: Value, names: &[(&str, Option<&Path>)]) -> Value {
    for (field, path) in names {
        put(&mut value, field, *path);
    }
    value
}

fn method_name(method: CopyMethod) -> &'static str {
    match method {
        CopyMethod::Reflink => "reflink",
        CopyMethod::Kernel => "copy_file_range",
        CopyMethod::ReadWrite => "copy",
    }
}

/// The JSON object of one item.
pub fn json(item: &TreeItem, dry_run: bool) -> Value {
    match item {
        TreeItem::Merged { kept, name, size, freed } => with(
            json!({ "type": "merged", "size": size, "freed": freed, "dry_run": dry_run }),
            &[("name", Some(name)), ("kept", Some(kept))],
        ),
        TreeItem::Skipped { name, reason } => {
            with(json!({ "type": "skipped", "reason": reason.name() }), &[("name", Some(name))])
        }
        TreeItem::Restored { name } => with(json!({ "type": "restored", "dry_run": dry_run }), &[("name", Some(name))]),
        TreeItem::Unshared { name, method } => with(
            json!({ "type": "unshared", "method": method_name(*method), "dry_run": dry_run }),
            &[("name", Some(name))],
        ),
        TreeItem::Usage(u) => with(
            json!({
                "type": "usage", "apparent": u.apparent, "allocated": u.allocated,
                "shared_outside": u.shared_outside, "exclusive": u.exclusive, "entries": u.entries,
                "inodes": u.inodes,
            }),
            &[("root", Some(&u.root))],
        ),
        TreeItem::Summary(s) => with(
            json!({
                "type": "dedupe_summary", "files": s.files, "read": s.read, "bytes_read": s.bytes_read,
                "groups": s.groups, "merged": s.merged, "skipped": s.skipped, "freed": s.freed, "dry_run": dry_run,
            }),
            &[("journal", s.journal.as_deref())],
        ),
    }
}

/// Where a text line goes.
pub enum Line {
    /// Standard output.
    Out(String),
    /// Standard error (skipped names, where the journal is).
    Err(String),
}

/// The text lines of one item (none when nothing is printed at this verbosity).
pub fn text_lines(item: &TreeItem, dry_run: bool, verbose: bool) -> Vec<Line> {
    match item {
        TreeItem::Merged { kept, name, .. } if dry_run || verbose => {
            let verb = if dry_run { "would link" } else { "linked" };
            vec![Line::Out(format!("{verb} {} -> {}", quote(name.as_os_str()), quote(kept.as_os_str())))]
        }
        TreeItem::Merged { .. } => Vec::new(),
        TreeItem::Skipped { name, reason } => {
            let why = match reason {
                crate::model::SkipReason::Changed => "it changed since it was read",
                crate::model::SkipReason::Differs => "its content differs after all",
                crate::model::SkipReason::NotShared => "it has no other name",
                crate::model::SkipReason::NotRegular => "it is not a regular file",
            };
            vec![Line::Err(format!("skipped {}: {why}", quote(name.as_os_str())))]
        }
        TreeItem::Restored { name } => {
            let verb = if dry_run { "would restore" } else { "restored" };
            vec![Line::Out(format!("{verb} {}", quote(name.as_os_str())))]
        }
        TreeItem::Unshared { name, method } => {
            let line = if dry_run {
                format!("would unshare {}", quote(name.as_os_str()))
            } else {
                format!("unshared {} ({})", quote(name.as_os_str()), method_name(*method))
            };
            vec![Line::Out(line)]
        }
        TreeItem::Usage(u) => vec![Line::Out(usage_line(u))],
        TreeItem::Summary(s) => summary_lines(s, dry_run),
    }
}

fn usage_line(u: &DiskUsage) -> String {
    format!(
        "{}: apparent {}, allocated {}, shared with outside {}, exclusive {} ({}, {})",
        quote(u.root.as_os_str()),
        plural(u.apparent, "byte", "bytes"),
        u.allocated,
        u.shared_outside,
        u.exclusive,
        plural(u.entries, "entry", "entries"),
        plural(u.inodes, "inode", "inodes")
    )
}

fn summary_lines(s: &DedupeSummary, dry_run: bool) -> Vec<Line> {
    let (linked, freed) = if dry_run { ("would be linked", "would be freed") } else { ("linked", "freed") };
    let mut lines = vec![Line::Out(format!(
        "{}, {} read ({}), {} of identical files, {} {linked}, {} skipped, {} {freed}",
        plural(s.files, "file", "files"),
        s.read,
        plural(s.bytes_read, "byte", "bytes"),
        plural(s.groups, "group", "groups"),
        plural(s.merged, "name", "names"),
        s.skipped,
        plural(s.freed, "byte", "bytes"),
    ))];
    if let Some(journal) = &s.journal {
        lines.push(Line::Err(format!("journal (for --undo): {}", quote(journal.as_os_str()))));
    }
    lines
}

/// Whether the item counts as a file done (`_mklnk_files`): a merge, a restore, an unshare.
pub fn counts_as_file(item: &TreeItem) -> bool {
    matches!(item, TreeItem::Merged { .. } | TreeItem::Restored { .. } | TreeItem::Unshared { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(lines: Vec<Line>) -> String {
        match lines.into_iter().next() {
            Some(Line::Out(text)) => text,
            _ => String::new(),
        }
    }

    #[test]
    fn counts_of_one_are_singular() {
        let one =
            DedupeSummary { files: 1, read: 1, bytes_read: 1, groups: 1, merged: 1, freed: 1, ..Default::default() };
        assert_eq!(
            out(summary_lines(&one, false)),
            "1 file, 1 read (1 byte), 1 group of identical files, 1 name linked, 0 skipped, 1 byte freed"
        );
        let two = DedupeSummary { files: 2, bytes_read: 0, groups: 2, merged: 2, freed: 4096, ..Default::default() };
        assert_eq!(
            out(summary_lines(&two, true)),
            "2 files, 0 read (0 bytes), 2 groups of identical files, 2 names would be linked, 0 skipped, \
             4096 bytes would be freed"
        );
        let usage = DiskUsage { root: "r".into(), apparent: 1, entries: 1, inodes: 1, ..Default::default() };
        assert_eq!(
            usage_line(&usage),
            "\"r\": apparent 1 byte, allocated 0, shared with outside 0, exclusive 0 (1 entry, 1 inode)"
        );
    }
}
