//! The progress bar of long batches: on a terminal only, shown once a batch has run for about a second, on
//! stderr, with files done, errors and the rate. Never in a pipe, with `/Q` or with `--json`.

#[cfg(feature = "progress")]
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::time::{Duration, Instant};

/// How long a batch runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// Whether a batch may show a progress bar: stderr is a terminal, and the output is neither quiet nor JSON (and
/// the program was built with the cargo feature `progress`).
pub fn wanted(stderr_is_terminal: bool, quiet: bool, json: bool) -> bool {
    cfg!(feature = "progress") && stderr_is_terminal && !quiet && !json
}

/// A progress bar that appears only after [`DELAY`].
pub struct Progress {
    #[cfg_attr(not(feature = "progress"), allow(dead_code))]
    started: Instant,
    #[cfg(feature = "progress")]
    bar: Option<ProgressBar>,
    seen: u64,
}

impl Progress {
    /// Starts the clock; nothing is drawn yet.
    pub fn new() -> Progress {
        Progress {
            started: Instant::now(),
            #[cfg(feature = "progress")]
            bar: None,
            seen: 0,
        }
    }

    /// Records one more item; draws (or creates) the bar once the delay has passed. The clock is read every 256
    /// items only, so the cost per link stays negligible.
    pub fn tick(&mut self, done: u64, errors: u64) {
        self.seen += 1;
        #[cfg(not(feature = "progress"))]
        let _ = (done, errors);
        #[cfg(feature = "progress")]
        if let Some(bar) = &self.bar {
            bar.set_position(done);
            if errors > 0 {
                bar.set_message(format!("{errors} errors"));
            }
            return;
        }
        #[cfg(feature = "progress")]
        if self.seen % 256 == 0 && self.started.elapsed() >= DELAY {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
            // The rate and the time are counted from the batch's start, not from the bar's: the bar appears a
            // second in, and a rate over the bar's first microseconds would be absurd.
            let started = self.started;
            let style = ProgressStyle::with_template("{spinner} {pos} linked {msg} ({since_start})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner())
                .with_key("since_start", move |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                    let _ = out.write_str(&rate_and_time(state.pos(), started.elapsed()));
                });
            bar.set_style(style);
            bar.set_position(done);
            bar.enable_steady_tick(Duration::from_millis(100));
            self.bar = Some(bar);
        }
    }

    /// Runs `f` (which prints a line) with the bar hidden, so lines and bar do not mix.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        #[cfg(not(feature = "progress"))]
        return f();
        #[cfg(feature = "progress")]
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        #[cfg(feature = "progress")]
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg_attr(not(feature = "progress"), allow(dead_code))]
/// `1234/s, 3s`: items per second and whole seconds since the start; the rate only once a second has passed.
fn rate_and_time(done: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    if elapsed < DELAY {
        return format!("{secs}s");
    }
    // Counts stay far below 2^53, where f64 is exact.
    let rate = done as f64 / elapsed.as_secs_f64();
    format!("{rate:.0}/s, {secs}s")
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

#[cfg(all(test, feature = "progress"))]
mod tests {
    use super::*;

    #[test]
    fn only_on_a_terminal_and_never_quiet_or_json() {
        assert!(wanted(true, false, false));
        assert!(!wanted(false, false, false));
        assert!(!wanted(true, true, false));
        assert!(!wanted(true, false, true));
    }

    #[test]
    fn the_rate_is_counted_from_the_start_and_only_after_a_second() {
        assert_eq!(rate_and_time(5, Duration::from_micros(3)), "0s");
        assert_eq!(rate_and_time(3000, Duration::from_millis(1500)), "2000/s, 1s");
        assert_eq!(rate_and_time(0, Duration::from_secs(2)), "0/s, 2s");
    }

    #[test]
    fn nothing_is_drawn_before_the_delay() {
        let mut progress = Progress::new();
        for i in 0..10_000 {
            progress.tick(i, 0);
        }
        assert!(progress.bar.is_none());
    }
}
