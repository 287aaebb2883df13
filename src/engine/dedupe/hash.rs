//! Reading candidate files: a sampled hash (three 4 KiB pieces: start, middle, end) that tells most different
//! files of one size apart after reading 12 KiB, a full hash of the rest, and the byte comparison of two files
//! made right before they are linked.
//!
//! Two hashes, by what rests on them. By default a hash only picks the files whose bytes are then compared, so
//! it need not resist crafted collisions (a collision costs one comparison that finds the files differ): XXH3,
//! 128 bits (BLAKE3 took 13% of a run's CPU time on the small files of bench/dedupe.sh). `--trust-hash`
//! links on the hash alone, so it must be collision-resistant even against files crafted to collide: BLAKE3,
//! 256 bits.
//!
//! A small file is read whole by its hash; its bytes are kept for the byte comparison when its change time
//! shows that no write can have slipped past the checks made before each link (see [`settled`]).

use std::fs::File;
use std::io;

/// The size of one sampled piece.
pub(super) const PIECE: u64 = 4096;

/// Files up to this size are hashed whole at once: the sample would read all of it anyway.
pub(super) const SMALL: u64 = 3 * PIECE;

/// Whether a file whose change time is `ctime` (nanoseconds since the epoch) is settled at `now`: so much older
/// that no write can have slipped past the checks made before each link. Any write stamps a change time at or
/// after the moment it happens (file systems stamp with a clock at most a few milliseconds coarse), so a write
/// after `now` gives a change time that differs from one two seconds older, and the check before the link sees
/// it. Only the bytes of settled files are kept for the comparison; newer files are read again. The margin also
/// covers FAT's two-second times (Linux's vfat stamps its change time with them); a change time of 0 (a file
/// system that keeps none) is never settled. The caller also asks [`crate::platform::CHANGE_TIME_IS_TRUE`]:
/// a change time that programs can set proves nothing.
pub(super) fn settled(ctime: i64, now: i64) -> bool {
    ctime > 0 && ctime.saturating_add(2_000_000_000) <= now
}

/// The system clock in nanoseconds since the epoch, as file times are kept.
pub(super) fn now_nanos() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
}

/// Which hash groups files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// XXH3, 128 bits (in the first 16 bytes of the 32): picks files whose bytes are compared.
    Fast,
    /// BLAKE3, 256 bits: links on the hash alone (`--trust-hash`).
    Strong,
}

/// The running state of one hash.
enum Hasher {
    Fast(Box<xxhash_rust::xxh3::Xxh3>),
    Strong(Box<blake3::Hasher>),
}

impl Hasher {
    fn new(kind: Kind) -> Hasher {
        match kind {
            Kind::Fast => Hasher::Fast(Box::default()),
            Kind::Strong => Hasher::Strong(Box::default()),
        }
    }

    fn reset(&mut self) {
        match self {
            Hasher::Fast(h) => h.reset(),
            Hasher::Strong(h) => {
                h.reset();
            }
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Fast(h) => h.update(bytes),
            Hasher::Strong(h) => {
                h.update(bytes);
            }
        }
    }

    fn finish(&self) -> [u8; 32] {
        match self {
            Hasher::Fast(h) => {
                let mut out = [0; 32];
                out[..16].copy_from_slice(&h.digest128().to_le_bytes());
                out
            }
            Hasher::Strong(h) => *h.finalize().as_bytes(),
        }
    }
}

/// The hash of `bytes` in one call, as a [`Reader`] of `kind` gives it.
#[cfg(test)]
pub(super) fn of(kind: Kind, bytes: &[u8]) -> [u8; 32] {
    let mut hasher = Hasher::new(kind);
    hasher.update(bytes);
    hasher.finish()
}

/// A reusable read buffer and hash state, so hashing allocates once per run.
pub(super) struct Reader {
    buffer: Vec<u8>,
    hasher: Hasher,
    /// Bytes read so far.
    pub read: u64,
}

impl Reader {
    pub(super) fn new(kind: Kind) -> Reader {
        Reader { buffer: vec![0; 256 * 1024], hasher: Hasher::new(kind), read: 0 }
    }

    /// The hash of the start, middle and end of a file of `size` bytes (larger than [`SMALL`]), read at their
    /// offsets (the file position is left alone).
    pub(super) fn sample(&mut self, file: &File, size: u64) -> io::Result<[u8; 32]> {
        self.hasher.reset();
        let piece = PIECE as usize;
        for offset in [0, size / 2 - PIECE / 2, size - PIECE] {
            crate::platform::read_exact_at(file, &mut self.buffer[..piece], offset)?;
            self.hasher.update(&self.buffer[..piece]);
            self.read += PIECE;
        }
        Ok(self.hasher.finish())
    }

    /// The hash of the first `size` bytes of a file, read from its start; `UnexpectedEof` when it holds fewer
    /// (it changed while being read). A file that grew is caught by the checks of size and times made before each
    /// link. With `into` (exactly `size` bytes, for a small file whose bytes the merge will compare), the file is
    /// read into it rather than into the reader's own buffer.
    pub(super) fn full(&mut self, file: &File, size: u64, into: Option<&mut [u8]>) -> io::Result<[u8; 32]> {
        self.hasher.reset();
        if let Some(into) = into {
            if read_full_at(file, into, 0)? < into.len() {
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
            }
            self.hasher.update(into);
            self.read += into.len() as u64;
            return Ok(self.hasher.finish());
        }
        let mut left = size;
        let mut offset = 0u64;
        while left > 0 {
            let want = usize::try_from(left).unwrap_or(usize::MAX).min(self.buffer.len());
            let n = read_full_at(file, &mut self.buffer[..want], offset)?;
            if n == 0 {
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof));
            }
            self.hasher.update(&self.buffer[..n]);
            self.read += n as u64;
            left -= n as u64;
            offset += n as u64;
        }
        Ok(self.hasher.finish())
    }

    /// Whether the first `size` bytes of two open files are the same, each read from its start. A file shorter
    /// than `size` differs.
    pub(super) fn same_bytes(&mut self, a: &File, b: &File, size: u64) -> io::Result<bool> {
        let half = self.buffer.len() / 2;
        let (left, right) = self.buffer.split_at_mut(half);
        let mut done = 0u64;
        while done < size {
            let want = usize::try_from(size - done).unwrap_or(usize::MAX).min(half);
            let n = read_full_at(a, &mut left[..want], done)?;
            let m = read_full_at(b, &mut right[..want], done)?;
            self.read += (n + m) as u64;
            if n != want || m != want || left[..n] != right[..m] {
                return Ok(false);
            }
            done += want as u64;
        }
        Ok(true)
    }
}

/// Reads at `offset` until `buf` is full or the file ends; returns how many bytes were read.
fn read_full_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match crate::platform::read_at(file, &mut buf[filled..], offset + filled as u64) {
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

    /// A file holding `content`, its position left at the end (reads are by offset).
    fn file(content: &[u8]) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(content).unwrap();
        f
    }

    #[test]
    fn the_sample_sees_the_first_middle_and_last_piece() {
        let size = 64 * 1024;
        let base = vec![7u8; size];
        for kind in [Kind::Fast, Kind::Strong] {
            let mut reader = Reader::new(kind);
            let h = reader.sample(&file(&base), size as u64).unwrap();
            for at in [0, size / 2, size - 1] {
                let mut other = base.clone();
                other[at] = 8;
                assert_ne!(reader.sample(&file(&other), size as u64).unwrap(), h, "{kind:?} byte {at}");
            }
            assert_eq!(reader.sample(&file(&base), size as u64).unwrap(), h, "{kind:?} again");
        }
    }

    #[test]
    fn byte_comparison_finds_a_difference_anywhere() {
        let mut reader = Reader::new(Kind::Fast);
        let base = vec![1u8; 300_000];
        assert!(reader.same_bytes(&file(&base), &file(&base), 300_000).unwrap());
        let mut other = base.clone();
        other[299_999] = 2;
        assert!(!reader.same_bytes(&file(&base), &file(&other), 300_000).unwrap());
        assert!(!reader.same_bytes(&file(&base), &file(&base[..1000]), 300_000).unwrap());
    }

    #[test]
    fn a_full_hash_of_a_file_that_changed_size_is_refused() {
        for kind in [Kind::Fast, Kind::Strong] {
            let mut reader = Reader::new(kind);
            assert!(reader.full(&file(b"abc"), 4, None).is_err());
            assert_eq!(reader.full(&file(b"abc"), 3, None).unwrap(), of(kind, b"abc"));
        }
        assert_eq!(of(Kind::Strong, b"abc"), *blake3::hash(b"abc").as_bytes());
        assert_eq!(of(Kind::Fast, b"abc")[..16], xxhash_rust::xxh3::xxh3_128(b"abc").to_le_bytes());
        assert_ne!(of(Kind::Fast, b"abc"), of(Kind::Fast, b"abd"));
    }

    /// A file read into the slot given leaves its bytes there, hashed as any other read.
    #[test]
    fn a_file_read_into_a_slot_leaves_its_bytes_there() {
        let mut reader = Reader::new(Kind::Fast);
        let content = vec![3u8; SMALL as usize];
        let mut slot = vec![0u8; content.len()];
        let hash = reader.full(&file(&content), SMALL, Some(&mut slot)).unwrap();
        assert_eq!((hash, &slot), (of(Kind::Fast, &content), &content));
        let mut long = vec![0u8; content.len() + 1];
        assert!(reader.full(&file(&content), SMALL + 1, Some(&mut long)).is_err(), "shorter than the slot");
    }

    #[test]
    fn only_files_changed_two_seconds_before_are_settled() {
        let now = now_nanos();
        assert!(settled(now - 2_000_000_000, now) && settled(1, now));
        assert!(!settled(0, now), "no change time kept");
        assert!(!settled(now - 1_999_999_999, now) && !settled(now, now) && !settled(now + 5, now));
        assert!(!settled(i64::MAX, now), "no overflow");
    }
}
