//! Snapshot decisions: whether a reference holds the same file unchanged, so it can be linked from there.

use crate::platform::{Dir, Node, NodeKind};
use std::ffi::OsStr;
use std::io::Read;

/// The reference's entry `name` in `reference` when it is the same file as SOURCE's `node`: a regular file of
/// the same size, last write time and permission bits, and with `checksum` the same bytes too.
pub(super) fn unchanged(source: &Dir, name: &OsStr, node: &Node, reference: &Dir, checksum: bool) -> Option<Node> {
    let theirs = reference.node(name).ok()?;
    let same = theirs.kind == NodeKind::File
        && theirs.size == node.size
        && theirs.modified == node.modified
        && theirs.mode == node.mode;
    (same && (!checksum || same_bytes(source, reference, name).unwrap_or(false))).then_some(theirs)
}

/// Compares two files' bytes in blocks, stopping at the first difference.
fn same_bytes(a: &Dir, b: &Dir, name: &OsStr) -> std::io::Result<bool> {
    let (mut fa, mut fb) = (a.open_regular(name)?, b.open_regular(name)?);
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = read_full(&mut fa, &mut ba)?;
        let m = read_full(&mut fb, &mut bb)?;
        if n != m || ba[..n] != bb[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

fn read_full(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match file.read(&mut buf[done..])? {
            0 => break,
            n => done += n,
        }
    }
    Ok(done)
}
