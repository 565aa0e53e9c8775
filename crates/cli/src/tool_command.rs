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
        // Written beside the read, so a program that prints before it reads cannot block on a
        // full pipe; one that does not read its input closes it: not an error.
        let stdin = child.stdin.take();
        let input = arguments.to_owned();
        let writer = std::thread::spawn(move || {
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(input.as_bytes());
            }
        });
        let out = child
            .wait_with_output()
            .map_err(|e| format!("could not be read: {e}"))?;
        let _ = writer.join();
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

#[cfg(test)]
mod tests {
    use super::ToolCommand;

    #[test]
    fn a_program_that_prints_before_it_reads_does_not_block_on_a_full_pipe() {
        // 300 KB each way, more than a pipe holds: written while the output is read.
        let tool = ToolCommand("head -c 300000 /dev/zero | tr '\\0' a; wc -c".into());
        let output = tool.answer("f", "call_1", &"x".repeat(300_000));
        assert_eq!(output.len(), 300_006, "{}", &output[output.len() - 20..]);
        assert!(output.starts_with("aaaa") && output.ends_with("300000"));
    }

    #[test]
    fn its_environment_names_the_call_and_a_failure_is_an_error_output() {
        let tool = ToolCommand("printf '%s %s ' \"$TOOL_NAME\" \"$TOOL_CALL_ID\"; cat".into());
        assert_eq!(
            tool.answer("get_weather", "call_9", "{}"),
            "get_weather call_9 {}"
        );
        let failed = ToolCommand("exit 3".into()).answer("f", "c", "{}");
        let failed: serde_json::Value = serde_json::from_str(&failed).unwrap();
        assert!(
            failed["error"].as_str().unwrap().contains("failed"),
            "{failed}"
        );
    }
}
