//! JSON output: one object per line for each outcome and warning, and a closing summary object. The shape is
//! documented in `docs/json-schema.json`.
//!
//! A name that is valid UTF-8 is a plain string holding exactly that text. A name that is not is given twice: the
//! string field holds its display form (`$'…'`, see [`super::escape`]), and a field of the same name with the
//! suffix `_bytes` holds the exact bytes as an array of numbers. The `_bytes` field is present only then, so a
//! reader that finds it uses it and never has to guess whether `\xff` in a string is text or an escape.

use super::escape;
use super::messages::{error_text, os_detail};
use crate::model::{Error, LinkKind, LinkState, Outcome, Removed, Warning};
use serde_json::{Map, Value, json};
use std::path::Path;

/// Sets `field` (and `field_bytes` when the name is not UTF-8) in `object`; `None` sets `field` to null.
pub(super) fn put(object: &mut Value, field: &str, path: Option<&Path>) {
    let Some(path) = path else {
        object[field] = Value::Null;
        return;
    };
    let name = path.as_os_str();
    match name.to_str() {
        Some(text) => object[field] = Value::String(text.to_string()),
        None => {
            object[field] = Value::String(escape::display(name));
            let bytes = name.as_encoded_bytes().iter().map(|&b| Value::from(b)).collect();
            object[format!("{field}_bytes")] = Value::Array(bytes);
        }
    }
}

/// An object with `type` and the given scalar fields, then the names.
fn object(kind: &str, names: &[(&str, Option<&Path>)]) -> Value {
    let mut value = Value::Object(Map::new());
    value["type"] = Value::String(kind.to_string());
    for (field, path) in names {
        put(&mut value, field, *path);
    }
    value
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
    let mut value = object("error", &[("path", Some(err.path()))]);
    value["kind"] = Value::String(err.kind().name().to_string());
    value["message"] = Value::String(error_text(err));
    if let Some(os) = err.source_error() {
        value["os_error"] = Value::String(os_detail(os));
    }
    if let Some(kept) = err.kept() {
        put(&mut value, "kept", Some(kept));
    }
    value
}

/// The object for one outcome.
pub fn outcome(outcome: &Outcome, dry_run: bool) -> Value {
    let mut value = match outcome {
        Outcome::Created { kind, link, target, stored } => {
            let mut value =
                object("created", &[("link", Some(link)), ("target", Some(target)), ("stored", Some(stored))]);
            value["kind"] = json!(kind_name(*kind));
            value
        }
        Outcome::Updated { link, target, stored, previous } => {
            let names = [
                ("link", Some(&**link)),
                ("target", Some(target)),
                ("stored", Some(stored)),
                ("previous", Some(previous)),
            ];
            let mut value = object("updated", &names);
            value["kind"] = json!("junction");
            value
        }
        Outcome::Deleted { link, removed: Removed::SoftLink { target } } => {
            let mut value = object("deleted", &[("link", Some(link)), ("target", Some(target))]);
            value["kind"] = json!("soft_link");
            value
        }
        Outcome::Deleted { link, removed: Removed::HardLinkName { remaining } } => {
            let mut value = object("deleted", &[("link", Some(link))]);
            value["kind"] = json!("hardlink_name");
            value["remaining"] = json!(remaining);
            value
        }
        Outcome::Queried { link, target } => object("query", &[("link", Some(link)), ("target", Some(target))]),
        Outcome::Listed(entry) => {
            let names = [
                ("path", Some(&*entry.path)),
                ("target", entry.target.as_deref()),
                ("resolved", entry.resolved.as_deref()),
            ];
            let mut value = object("link", &names);
            value["kind"] = json!(super::listing::kind_name(entry.tag));
            value["dangling"] = json!(entry.state == LinkState::Dangling);
            value["loop"] = json!(entry.state == LinkState::Loop);
            value["link_count"] = json!(entry.nlink);
            return value;
        }
        Outcome::Sibling { path } => return object("sibling", &[("path", Some(path))]),
        Outcome::Relinked { link, previous, stored } => {
            object("relinked", &[("link", Some(link)), ("previous", Some(previous)), ("stored", Some(stored))])
        }
        Outcome::Moved { source, dest } => object("moved", &[("source", Some(source)), ("dest", Some(dest))]),
        Outcome::Journal { path } => return object("journal", &[("path", Some(path))]),
        Outcome::Cloned(item) => return super::clone::item_json(item, dry_run),
        Outcome::CloneDone(summary) => return super::clone::summary_json(summary),
        Outcome::Tree(item) => return super::tree::json(item, dry_run),
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
        Warning::Skipped(_) => "skipped",
    };
    json!({ "type": "warning", "kind": kind, "message": message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn path(bytes: &[u8]) -> PathBuf {
        PathBuf::from(crate::platform::os_string_from_bytes(bytes.to_vec()))
    }

    #[test]
    fn a_utf8_name_is_a_plain_string_without_bytes() {
        let value = outcome(&Outcome::Sibling { path: path("a\\xffb\n".as_bytes()) }, false);
        assert_eq!(value["path"], "a\\xffb\n");
        assert!(value.get("path_bytes").is_none());
    }

    #[test]
    fn a_name_that_is_not_utf8_carries_its_exact_bytes() {
        let value = outcome(&Outcome::Sibling { path: path(b"a\xffb") }, false);
        assert_eq!(value["path_bytes"], json!([b'a', 0xff, b'b']));
        let text = outcome(&Outcome::Sibling { path: path(b"a\\xffb") }, false);
        assert_ne!(value, text);
        assert_ne!(value["path"], text["path"]);
    }

    #[test]
    fn missing_names_are_null() {
        let err = Error::new(crate::model::ErrorKind::LinkExists, path(b"\xfe"));
        let value = error(&err);
        assert_eq!(value["path_bytes"], json!([0xfe]));
        assert_eq!(value["type"], "error");
    }
}
