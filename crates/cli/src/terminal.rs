//! What stderr looks like: colors and a spinner, only when stderr is a terminal (and
//! `NO_COLOR` is unset), so that pipes and scripts see plain text. stdout is never styled: it
//! carries the reply alone.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Whether stderr gets colors and a spinner.
pub(crate) fn styled() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A color for a diagnostic.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Style {
    /// Errors.
    Error,
    /// Tool calls and other steps of the run.
    Step,
    /// Usage and timings.
    Dim,
}

/// `text` in `style` when stderr is a terminal, plain otherwise.
pub(crate) fn paint(style: Style, text: &str) -> String {
    if !styled() {
        return text.to_owned();
    }
    let code = match style {
        Style::Error => "1;31",
        Style::Step => "36",
        Style::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// A spinner on stderr while waiting for the first byte; nothing when stderr is not a
/// terminal. Stopping (or dropping) it erases its line.
pub(crate) struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts spinning with `label`, if stderr is a terminal.
    pub(crate) fn start(label: &'static str) -> Spinner {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = styled().then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let frame = frames.get(i % frames.len()).copied().unwrap_or(' ');
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[2m{frame} {label}\x1b[0m");
                    let _ = err.flush();
                    drop(err);
                    i += 1;
                    std::thread::sleep(Duration::from_millis(80));
                }
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
            })
        });
        Spinner { stop, thread }
    }

    /// Stops and erases it (once; later calls do nothing).
    pub(crate) fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop();
    }
}
