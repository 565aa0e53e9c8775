//! `run --tool-command CMD`: the model's tool calls answered by a program of the user's, so the
//! tool loop runs from the command line as it does in code: one `sh -c CMD` per call, the call's
//! arguments (JSON) on its stdin, `TOOL_NAME` and `TOOL_CALL_ID` in its environment; what it
//! prints on stdout is the output sent back.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::terminal::{paint, Style};

/// The user's tool program.
#[derive(Debug, Clone)]
pub(crate) struct ToolCommand(pub(crate) String);

impl ToolCommand {
    /// Runs the program for one call and returns its output (without the final newline). A
    /// program that cannot start or fails answers `{"error": "..."}`, so the model hears of it
    /// and the loop goes on; the failure is also said on stderr.
    pub(crate) fn answer(&self, name: &str, call_id: &str, arguments: &str) -> String {
        let line = format!("[tool] {name}({arguments}) call_id {call_id}");
        eprintln!("{}", paint(Style::Step, &line));
        match self.run(name, call_id, arguments) {
            Ok(output) => output,
            Err(why) => {
                let line = format!("streaming-assistants run: the tool command {why}");
                eprintln!("{}", paint(Style::Error, &line));
                serde_json::json!({ "error": format!("the tool {why}") }).to_string()
            }
        }
    }

    fn run(&self, name: &str, call_id: &str, arguments: &str) -> Result<String, String> {
        let mut child = Command::new("sh")
            .args(["-c", &self.0])
            .env("TOOL_NAME", name)
            .env("TOOL_CALL_ID", call_id)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A program that does not read its input closes the pipe: not an error.
            let _ = stdin.write_all(arguments.as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(|e| format!("could not be read: {e}"))?;
        if !out.status.success() {
            return Err(format!("failed ({})", out.status));
        }
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        if text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }
}
