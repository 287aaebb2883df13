//! JSON output: one object per line for each outcome and warning, and a closing summary object. The shape is
//! documented in `docs/json-schema.json`; names that are not UTF-8 are written with `\xNN` escapes.

use super::messages::{error_text, escaped, os_detail};
use crate::engine::{Error, LinkKind, LinkState, Outcome, Removed, Warning};
use serde_json::{Value, json};
use std::path::Path;

fn text(path: &Path) -> Value {
    Value::String(escaped(path.as_os_str()))
}

/// The JSON name of a link kind.
pub fn kind_name(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Symlink { directory: false } => "symlink",
        LinkKind::Symlink { directory: true } => "symlink_dir",
        LinkKind::HardLink => "hardlink",
        LinkKind::Junction => "junction",
    }
}

/// The object for an error.
pub fn error(err: &Error) -> Value {
    let mut value = json!({
        "type": "error",
        "kind": err.kind().name(),
        "path": text(err.path()),
        "message": error_text(err),
    });
    if let Some(os) = err.source_error() {
        value["os_error"] = Value::String(os_detail(os));
    }
    if let Some(kept) = err.kept() {
        value["kept"] = text(kept);
    }
    value
}

/// The object for one outcome.
pub fn outcome(outcome: &Outcome, dry_run: bool) -> Value {
    let mut value = match outcome {
        Outcome::Created { kind, link, target, stored } => json!({
            "type": "created", "kind": kind_name(*kind), "link": text(link),
            "target": text(target), "stored": text(stored),
        }),
        Outcome::Updated { link, target, stored, previous } => json!({
            "type": "updated", "kind": "junction", "link": text(link), "target": text(target),
            "stored": text(stored), "previous": text(previous),
        }),
        Outcome::Deleted { link, removed: Removed::SoftLink { target } } => json!({
            "type": "deleted", "kind": "soft_link", "link": text(link), "target": text(target),
        }),
        Outcome::Deleted { link, removed: Removed::HardLinkName { remaining } } => json!({
            "type": "deleted", "kind": "hardlink_name", "link": text(link), "remaining": remaining,
        }),
        Outcome::Queried { link, target } => json!({
            "type": "query", "link": text(link), "target": text(target),
        }),
        Outcome::Listed(entry) => {
            return json!({
                "type": "link",
                "path": text(&entry.path),
                "kind": super::listing::kind_name(entry.tag),
                "target": entry.target.as_deref().map(text),
                "resolved": entry.resolved.as_deref().map(text),
                "dangling": entry.state == LinkState::Dangling,
                "loop": entry.state == LinkState::Loop,
                "link_count": entry.nlink,
            });
        }
        Outcome::Sibling { path } => return json!({ "type": "sibling", "path": text(path) }),
        Outcome::Failed(err) => return error(err),
    };
    value["dry_run"] = Value::Bool(dry_run);
    value
}

/// The object for a warning.
pub fn warning(warning: &Warning, message: &str) -> Value {
    let kind = match warning {
        Warning::TargetOnlyFromCwd { .. } => "target_only_from_cwd",
        Warning::Loop { .. } => "loop",
        Warning::Description(_) => "description",
    };
    json!({ "type": "warning", "kind": kind, "message": message })
}
