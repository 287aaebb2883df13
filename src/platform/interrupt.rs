//! Interrupts (Ctrl-C, `kill`, a closed terminal) turned into a flag the engine reads between items, so that a
//! run stops at a point where nothing is half done: no temporary name left behind, every link made so far
//! reported, descriptions written. A second signal ends the process at once, as users expect.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// Catches SIGINT, SIGTERM and (on Unix) SIGHUP from now on: the first sets the flag [`interrupted`] reads, a
/// second ends the process with status 130. Front-ends call this before operations that change the file system;
/// a library user that never calls it keeps the default behaviour (and [`interrupted`] stays false).
///
/// # Platform specific behavior
/// Windows has no SIGHUP; Ctrl-C and Ctrl-Break arrive as SIGINT.
pub fn catch_interrupts() {
    let flag = FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)));
    #[cfg(unix)]
    let signals = [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP];
    #[cfg(windows)]
    let signals = [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM];
    for signal in signals {
        // Order matters: the shutdown hook sees the flag already set by the first signal only on the second.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(flag));
        let _ = signal_hook::flag::register(signal, Arc::clone(flag));
    }
}

/// Whether an interrupt arrived since [`catch_interrupts`]; the engine stops before the next item.
pub fn interrupted() -> bool {
    FLAG.get().is_some_and(|flag| flag.load(Ordering::Relaxed))
}
