//! Progress on stderr: a bar on a terminal, a plain line every few seconds otherwise, nothing
//! with `--quiet`. Warnings go through here so they never tear the bar.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An animated bar (stderr is a terminal).
    Bar,
    /// A plain line every few seconds (stderr is a file or pipe).
    Lines,
    /// Nothing but errors.
    Quiet,
}

impl Mode {
    /// The mode for this process: quiet when asked, else a bar on a terminal, else lines.
    pub fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// Counts work done and reports it.
pub struct Progress {
    mode: Mode,
    bar: Option<ProgressBar>,
    start: Instant,
    state: Mutex<State>,
}

struct State {
    unit: &'static str,
    total: u64,
    done: u64,
    files: u64,
    bytes: u64,
    last_line: Instant,
}

/// How often a plain progress line is printed.
const LINE_EVERY: Duration = Duration::from_secs(5);

impl Progress {
    /// A reporter in the given mode.
    pub fn new(mode: Mode) -> Progress {
        Progress {
            mode,
            bar: None,
            start: Instant::now(),
            state: Mutex::new(State {
                unit: "",
                total: 0,
                done: 0,
                files: 0,
                bytes: 0,
                last_line: Instant::now(),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a phase of `total` units (`files`, `accounts`).
    pub fn phase(&mut self, unit: &'static str, total: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        {
            let mut s = self.state();
            *s = State {
                unit,
                total,
                done: 0,
                files: 0,
                bytes: 0,
                last_line: Instant::now(),
            };
        }
        self.start = Instant::now();
        if self.mode == Mode::Bar {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let template = format!("{{bar:30}} {{pos}}/{{len}} {unit}  {{msg}}  ETA {{eta}}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
    }

    /// Records one unit done that covered `files` files and `bytes` bytes.
    pub fn advance(&self, files: u64, bytes: u64) {
        let mut s = self.state();
        s.done += 1;
        s.files += files;
        s.bytes += bytes;
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let rate = format!(
            "{:.0} files/s, {:.1} MB/s",
            s.files as f64 / secs,
            s.bytes as f64 / secs / 1e6
        );
        match (&self.bar, self.mode) {
            (Some(bar), _) => {
                bar.set_position(s.done);
                bar.set_message(rate);
            }
            (None, Mode::Lines) if s.last_line.elapsed() >= LINE_EVERY && s.done < s.total => {
                s.last_line = Instant::now();
                let eta = (s.total - s.done) as f64 * secs / s.done as f64;
                eprintln!(
                    "progress: {}/{} {} done, {rate}, ETA {eta:.0} s",
                    s.done, s.total, s.unit
                );
            }
            _ => {}
        }
    }

    /// Starts a stage that has no count (writing the workbook): a spinner with the message on a
    /// terminal, one plain line otherwise.
    pub fn stage(&mut self, message: &'static str) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        match self.mode {
            Mode::Bar => {
                let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                    spinner.set_style(style);
                }
                spinner.set_message(message);
                spinner.enable_steady_tick(Duration::from_millis(120));
                self.bar = Some(spinner);
            }
            // Plain lines only on runs long enough to have shown progress lines already.
            Mode::Lines if self.start.elapsed() >= LINE_EVERY => eprintln!("progress: {message}"),
            Mode::Lines | Mode::Quiet => {}
        }
    }

    /// Prints a warning without tearing the bar (nothing when quiet).
    pub fn warn(&self, message: &str) {
        match (&self.bar, self.mode) {
            (_, Mode::Quiet) => {}
            (Some(bar), _) => bar.suspend(|| eprintln!("{message}")),
            (None, _) => eprintln!("{message}"),
        }
    }

    /// Clears the bar and prints the closing summary line (nothing when quiet).
    pub fn finish(&mut self, summary: &str) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.mode != Mode::Quiet {
            eprintln!("{summary}");
        }
    }
}
