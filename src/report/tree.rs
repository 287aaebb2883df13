//! The wording of deduplication, undo, unshare and disk usage: text lines and JSON objects.

use super::escape::quote;
use super::json::put;
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
        "{}: apparent {} bytes, allocated {}, shared with outside {}, exclusive {} ({} entries, {} inodes)",
        quote(u.root.as_os_str()),
        u.apparent,
        u.allocated,
        u.shared_outside,
        u.exclusive,
        u.entries,
        u.inodes
    )
}

fn summary_lines(s: &DedupeSummary, dry_run: bool) -> Vec<Line> {
    let (linked, freed) = if dry_run { ("would be linked", "would be freed") } else { ("linked", "freed") };
    let mut lines = vec![Line::Out(format!(
        "{} files, {} read ({} bytes), {} groups of identical files, {} names {linked}, {} skipped, {} bytes {freed}",
        s.files, s.read, s.bytes_read, s.groups, s.merged, s.skipped, s.freed
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
