//! Reading candidate files: a sampled hash (three 4 KiB pieces: start, middle, end) that tells most different
//! files of one size apart after reading 12 KiB, a full hash (BLAKE3, 256 bits) of the rest, and the byte
//! comparison of two files made right before they are linked.
//!
//! BLAKE3 is used because `--trust-hash` links on the hash alone: it must be collision-resistant even against
//! files crafted to collide, which fast non-cryptographic hashes (xxHash) are not, and at several GB/s per core it
//! stays far faster than the reads it follows.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// The size of one sampled piece.
pub(super) const PIECE: u64 = 4096;

/// Files up to this size are hashed whole at once: the sample would read all of it anyway.
pub(super) const SMALL: u64 = 3 * PIECE;

/// A reusable read buffer, so hashing allocates once per run.
pub(super) struct Reader {
    buffer: Vec<u8>,
    /// Bytes read so far.
    pub read: u64,
}

impl Reader {
    pub(super) fn new() -> Reader {
        Reader { buffer: vec![0; 256 * 1024], read: 0 }
    }

    /// The hash of the start, middle and end of a file of `size` bytes (larger than [`SMALL`]).
    pub(super) fn sample(&mut self, file: &mut File, size: u64) -> io::Result<[u8; 32]> {
        let mut hasher = blake3::Hasher::new();
        let piece = PIECE as usize;
        for offset in [0, size / 2 - PIECE / 2, size - PIECE] {
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(&mut self.buffer[..piece])?;
            hasher.update(&self.buffer[..piece]);
            self.read += PIECE;
        }
        Ok(*hasher.finalize().as_bytes())
    }

    /// The hash of the first `size` bytes of a freshly opened file; `UnexpectedEof` when it holds fewer (it
    /// changed while being read). A file that grew is caught by the checks of size and times made before each
    /// link.
    pub(super) fn full(&mut self, file: &mut File, size: u64) -> io::Result<[u8; 32]> {
        let mut hasher = blake3::Hasher::new();
        let mut left = size;
        while left > 0 {
            let want = usize::try_from(left).unwrap_or(usize::MAX).min(self.buffer.len());
            let n = read_full(file, &mut self.buffer[..want])?;
            if n == 0 {
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
            }
            hasher.update(&self.buffer[..n]);
            self.read += n as u64;
            left -= n as u64;
        }
        Ok(*hasher.finalize().as_bytes())
    }

    /// Moves a file back to its start.
    pub(super) fn rewind(&mut self, file: &mut File) -> io::Result<()> {
        file.seek(SeekFrom::Start(0)).map(|_| ())
    }

    /// Whether the first `size` bytes of two open files are the same, each read from its start. A file shorter
    /// than `size` differs.
    pub(super) fn same_bytes(&mut self, a: &mut File, b: &mut File, size: u64) -> io::Result<bool> {
        a.seek(SeekFrom::Start(0))?;
        b.seek(SeekFrom::Start(0))?;
        let half = self.buffer.len() / 2;
        let (left, right) = self.buffer.split_at_mut(half);
        let mut todo = size;
        while todo > 0 {
            let want = usize::try_from(todo).unwrap_or(usize::MAX).min(half);
            let n = read_full(a, &mut left[..want])?;
            let m = read_full(b, &mut right[..want])?;
            self.read += (n + m) as u64;
            if n != want || m != want || left[..n] != right[..m] {
                return Ok(false);
            }
            todo -= want as u64;
        }
        Ok(true)
    }
}

/// Reads until `buf` is full or the file ends; returns how many bytes were read.
fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(content: &[u8]) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(content).unwrap();
        f
    }

    #[test]
    fn the_sample_sees_the_first_middle_and_last_piece() {
        let size = 64 * 1024;
        let base = vec![7u8; size];
        let mut reader = Reader::new();
        let h = reader.sample(&mut file(&base), size as u64).unwrap();
        for at in [0, size / 2, size - 1] {
            let mut other = base.clone();
            other[at] = 8;
            assert_ne!(reader.sample(&mut file(&other), size as u64).unwrap(), h, "byte {at}");
        }
    }

    #[test]
    fn byte_comparison_finds_a_difference_anywhere() {
        let mut reader = Reader::new();
        let base = vec![1u8; 300_000];
        let rewound = |content: &[u8]| {
            let mut f = file(content);
            f.seek(SeekFrom::Start(0)).unwrap();
            f
        };
        assert!(reader.same_bytes(&mut file(&base), &mut rewound(&base), 300_000).unwrap());
        let mut other = base.clone();
        other[299_999] = 2;
        assert!(!reader.same_bytes(&mut file(&base), &mut rewound(&other), 300_000).unwrap());
        assert!(!reader.same_bytes(&mut file(&base), &mut rewound(&base[..1000]), 300_000).unwrap());
    }

    #[test]
    fn a_full_hash_of_a_file_that_changed_size_is_refused() {
        let mut reader = Reader::new();
        let rewound = |content: &[u8]| {
            let mut f = file(content);
            f.seek(SeekFrom::Start(0)).unwrap();
            f
        };
        assert!(reader.full(&mut rewound(b"abc"), 4).is_err());
        assert_eq!(reader.full(&mut rewound(b"abc"), 3).unwrap(), *blake3::hash(b"abc").as_bytes());
    }
}
