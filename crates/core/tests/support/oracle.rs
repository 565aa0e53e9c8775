//! The official SDKs as differential oracles: where they are, and what a test does without them.
//!
//! openai-python is `$STREAMING_ASSISTANTS_PYTHON`, else the workspace's `.venv/bin/python`;
//! openai-node is the `node` on `PATH` with the package under `$STREAMING_ASSISTANTS_NODE_PREFIX`,
//! else `.sdk-node`. The README's test command installs both. Without one, a test skips and
//! says so on the terminal: the notice is written to stderr directly, because libtest hides what
//! a passing test prints. With `STREAMING_ASSISTANTS_REQUIRE_ORACLES=1` (CI sets it) a missing
//! oracle fails the test instead, so CI never skips one.
//!
//! Included by path from each crate's differential tests (`#[path = ...] mod oracle;`).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// The workspace root (every including crate sits at `crates/<name>`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Python interpreter with `openai==3.57.0`, or `None` (the test skips) when it is missing.
pub fn python(test: &str) -> Option<PathBuf> {
    // A configured interpreter is trusted as given (a path, or a command on `PATH`).
    if let Some(path) = std::env::var_os("STREAMING_ASSISTANTS_PYTHON") {
        return Some(PathBuf::from(path));
    }
    let path = root().join(".venv/bin/python");
    if path.exists() {
        return Some(path);
    }
    missing(
        test,
        "openai-python",
        "`python3 -m venv .venv && .venv/bin/pip install openai==3.57.0`, or set \
         STREAMING_ASSISTANTS_PYTHON",
    )
}

/// The directory holding `node_modules/openai` (7.59.0), to run `node` in, or `None` (the test
/// skips) when it or `node` is missing.
pub fn node_prefix(test: &str) -> Option<PathBuf> {
    let prefix = std::env::var_os("STREAMING_ASSISTANTS_NODE_PREFIX")
        .map_or_else(|| root().join(".sdk-node"), PathBuf::from);
    let node_runs = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if node_runs && prefix.join("node_modules/openai").exists() {
        return Some(prefix);
    }
    missing(
        test,
        "openai-node",
        "node and `npm install --prefix .sdk-node openai@7.59.0`, or set \
         STREAMING_ASSISTANTS_NODE_PREFIX",
    )
}

fn missing(test: &str, oracle: &str, install: &str) -> Option<PathBuf> {
    let message = format!("{test}: {oracle} not found (install: {install})");
    let required = std::env::var("STREAMING_ASSISTANTS_REQUIRE_ORACLES")
        .is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false" | "no"));
    assert!(
        !required,
        "{message}; STREAMING_ASSISTANTS_REQUIRE_ORACLES is set, so a missing oracle fails"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED differential test {message}");
    None
}
