//! Wording of the tree copies (`--clone`, `--snapshot`): one line per entry with `--verbose` or `--dry-run`,
//! the closing count line, the line saying that nothing was published, and the JSON objects.

use super::escape::{push_display, quote};
use super::json::put;
use super::plural;
use crate::model::{CloneSummary, Cloned, ClonedItem, CopyReason, LinkPlace};
use serde_json::{Value, json};
use std::path::Path;

fn reason_name(reason: CopyReason) -> &'static str {
    match reason {
        CopyReason::Changed => "changed",
        CopyReason::LinkLimit => "link_limit",
        CopyReason::OtherDevice => "other_device",
    }
}

/// The line for one entry (`--verbose`, `--dry-run`); names are shown as bytes, as every listing does.
pub fn item_line(item: &ClonedItem, dry_run: bool) -> Vec<u8> {
    let mut line: Vec<u8> = if dry_run { b"would make ".to_vec() } else { Vec::new() };
    let push_path = |line: &mut Vec<u8>, p: &Path| push_display(p.as_os_str(), line);
    let head = |line: &mut Vec<u8>, word: &str| {
        line.extend_from_slice(word.as_bytes());
        push_display(item.path.as_os_str(), line);
    };
    match &item.what {
        Cloned::Directory => head(&mut line, "directory "),
        Cloned::HardLink => head(&mut line, "hard link "),
        Cloned::FromReference { reference } => {
            head(&mut line, "hard link ");
            line.extend_from_slice(b" from ");
            push_path(&mut line, reference);
        }
        Cloned::Copied { reason } => {
            head(&mut line, "copy ");
            let why = match reason {
                CopyReason::Changed => " (changed)",
                CopyReason::LinkLimit => " (the file has as many links as its file system allows)",
                CopyReason::OtherDevice => " (on another device)",
            };
            line.extend_from_slice(why.as_bytes());
        }
        Cloned::Symlink { original, stored, place, dangling } => {
            head(&mut line, "symbolic link ");
            line.extend_from_slice(b" -> ");
            push_path(&mut line, stored);
            if original != stored {
                line.extend_from_slice(b" (was ");
                push_path(&mut line, original);
                line.push(b')');
            }
            if *place == LinkPlace::Outside {
                line.extend_from_slice(b" (outside the source)");
            }
            if *dangling {
                line.extend_from_slice(b" (dangling)");
            }
        }
        Cloned::Followed { target } => {
            head(&mut line, "hard link ");
            line.extend_from_slice(b" to ");
            push_path(&mut line, target);
            line.extend_from_slice(b" (followed)");
        }
        Cloned::Dropped { original } => {
            line = if dry_run { b"would drop ".to_vec() } else { b"dropped ".to_vec() };
            push_path(&mut line, &item.path);
            line.extend_from_slice(b" -> ");
            push_path(&mut line, original);
            line.extend_from_slice(b" (outside the source)");
        }
        Cloned::Special => head(&mut line, "special file "),
    }
    line
}

/// The closing line on stdout: what DEST holds (or would hold).
pub fn summary_line(s: &CloneSummary) -> String {
    let snapshot = s.snapshot;
    let verb = match (s.dry_run, snapshot) {
        (false, false) if !s.published => "Failed to clone",
        (false, true) if !s.published => "Failed to snapshot",
        (true, false) => "Would clone",
        (true, true) => "Would snapshot",
        (false, false) => "Cloned",
        (false, true) => "Snapshot of",
    };
    let joint = if snapshot && !s.dry_run && s.published { "at" } else { "to" };
    let mut parts = vec![plural(s.directories, "directory", "directories")];
    if snapshot {
        parts.push(format!("{} linked from references", s.from_reference));
        parts.push(format!("{} copied", s.copied));
    } else {
        parts.push(plural(s.hard_links, "hard link", "hard links"));
        if s.copied > 0 {
            parts.push(format!("{} copied", s.copied));
        }
    }
    let mut links = plural(s.symlinks, "symbolic link", "symbolic links");
    let details: Vec<String> = [(s.repointed, "re-pointed"), (s.outside, "outside"), (s.dangling, "dangling")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if !details.is_empty() {
        links.push_str(&format!(" ({})", details.join(", ")));
    }
    parts.push(links);
    for (n, what) in [(s.followed, "followed"), (s.dropped, "dropped"), (s.special, "special"), (s.skipped, "skipped")]
    {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if s.failed > 0 {
        parts.push(plural(s.failed, "error", "errors"));
    }
    format!("{verb} {} {joint} {}: {}", quote(s.source.as_os_str()), quote(s.dest.as_os_str()), parts.join(", "))
}

/// The line on stderr when a run ended without publishing DEST; `None` when it was published or was a plan.
pub fn unpublished_line(s: &CloneSummary) -> Option<String> {
    if s.published || s.dry_run {
        return None;
    }
    let dest = quote(s.dest.as_os_str());
    Some(match &s.kept {
        Some(kept) => {
            format!("nothing was published at {dest}; the partial tree is kept as {}", quote(kept.as_os_str()))
        }
        None => format!("nothing was published at {dest}; the partial tree was removed"),
    })
}

/// The JSON object for one entry.
pub fn item_json(item: &ClonedItem, dry_run: bool) -> Value {
    let mut v = json!({ "type": "cloned", "dry_run": dry_run });
    put(&mut v, "path", Some(&item.path));
    let kind = match &item.what {
        Cloned::Directory => "directory",
        Cloned::HardLink => "hardlink",
        Cloned::FromReference { reference } => {
            put(&mut v, "reference", Some(reference));
            "from_reference"
        }
        Cloned::Copied { reason } => {
            v["reason"] = Value::String(reason_name(*reason).into());
            "copied"
        }
        Cloned::Symlink { original, stored, place, dangling } => {
            put(&mut v, "original", Some(original));
            put(&mut v, "stored", Some(stored));
            v["outside"] = Value::Bool(*place == LinkPlace::Outside);
            v["dangling"] = Value::Bool(*dangling);
            "symlink"
        }
        Cloned::Followed { target } => {
            put(&mut v, "target", Some(target));
            "followed"
        }
        Cloned::Dropped { original } => {
            put(&mut v, "original", Some(original));
            "dropped"
        }
        Cloned::Special => "special",
    };
    v["kind"] = Value::String(kind.into());
    v
}

/// The JSON object closing a tree copy.
pub fn summary_json(s: &CloneSummary) -> Value {
    let mut v = json!({
        "type": "clone_summary",
        "directories": s.directories,
        "hard_links": s.hard_links,
        "from_reference": s.from_reference,
        "copied": s.copied,
        "symlinks": s.symlinks,
        "repointed": s.repointed,
        "outside": s.outside,
        "dangling": s.dangling,
        "followed": s.followed,
        "dropped": s.dropped,
        "special": s.special,
        "skipped": s.skipped,
        "failed": s.failed,
        "published": s.published,
        "dry_run": s.dry_run,
    });
    put(&mut v, "source", Some(&s.source));
    put(&mut v, "dest", Some(&s.dest));
    put(&mut v, "kept", s.kept.as_deref());
    v
}
