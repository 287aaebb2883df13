//! A directory's names held for the listing: one buffer, sorted by bytes, searchable by name.

use crate::platform::EntryKind;
use std::ffi::CStr;

/// A directory's names in one buffer, each NUL-terminated (ready for the `*at` calls), with the kind the
/// directory reported; sorted by bytes, so the listing is in order and a name is found by binary search.
#[derive(Default)]
pub(super) struct Names {
    arena: Vec<u8>,
    names: Vec<Name>,
}

struct Name {
    /// The first eight bytes, big-endian, zero-padded: compares as the bytes do (a name holds no NUL), so most
    /// comparisons never reach the arena.
    prefix: u64,
    /// Start in `arena`, and length without the NUL.
    start: usize,
    len: usize,
    kind: Option<EntryKind>,
}

fn prefix_of(name: &[u8]) -> u64 {
    let mut bytes = [0; 8];
    let n = name.len().min(8);
    bytes[..n].copy_from_slice(&name[..n]);
    u64::from_be_bytes(bytes)
}

impl Names {
    pub(super) fn push(&mut self, name: &[u8], kind: Option<EntryKind>) {
        self.names.push(Name { prefix: prefix_of(name), start: self.arena.len(), len: name.len(), kind });
        self.arena.extend_from_slice(name);
        self.arena.push(0);
    }

    fn text(&self, name: &Name) -> &[u8] {
        &self.arena[name.start..name.start + name.len]
    }

    /// How `entry` orders against the name `text` whose prefix is `prefix`: by prefix, then by bytes.
    fn compare(&self, entry: &Name, prefix: u64, text: &[u8]) -> std::cmp::Ordering {
        entry.prefix.cmp(&prefix).then_with(|| self.text(entry).cmp(text))
    }

    pub(super) fn sort(&mut self) {
        let mut names = std::mem::take(&mut self.names);
        names.sort_unstable_by(|a, b| self.compare(a, b.prefix, self.text(b)));
        self.names = names;
    }

    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    pub(super) fn get(&self, index: usize) -> (&CStr, Option<EntryKind>) {
        let name = &self.names[index];
        // The arena holds a NUL after every name, and names from a directory hold none.
        let text = CStr::from_bytes_with_nul(&self.arena[name.start..=name.start + name.len]).unwrap_or_default();
        (text, name.kind)
    }

    /// The kind of the entry named `name`: `None` when there is no such name or the directory did not say.
    pub(super) fn kind_of(&self, name: &[u8]) -> Option<EntryKind> {
        let prefix = prefix_of(name);
        let index = self.names.binary_search_by(|entry| self.compare(entry, prefix, name)).ok()?;
        self.names[index].kind
    }
}
