//! The repository keeps what it claims: every `docs/X.md`, "Heading" citation in the code
//! names a heading that file has, and no generated file is committed (a dhat profile; copies of
//! the test streams as fuzz seeds, which would drift: `.ci/run` points the fuzzer at them).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tracked() -> Vec<String> {
    let out = Command::new("git")
        .args(["ls-files"])
        .current_dir(root())
        .output()
        .expect("git is needed to list the tracked files");
    assert!(out.status.success(), "git ls-files failed");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The `docs/X.md`, "Heading" pairs in `text`.
fn citations(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("docs/") {
        rest = &rest[at + 5..];
        let Some(end) = rest.find(".md") else { break };
        let name = &rest[..end];
        if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            continue;
        }
        let after = rest[end + 3..].trim_start_matches('`');
        if let Some(quoted) = after
            .strip_prefix(", \"")
            .or_else(|| after.strip_prefix(" \""))
            .or_else(|| after.strip_prefix(" §"))
        {
            let heading: String = quoted.chars().take_while(|&c| c != '"').collect();
            found.push((format!("docs/{name}.md"), heading));
        }
    }
    found
}

fn headings(doc: &Path) -> Vec<String> {
    std::fs::read_to_string(doc)
        .unwrap_or_else(|e| panic!("{}: {e}", doc.display()))
        .lines()
        .filter(|line| line.starts_with('#'))
        .map(|line| line.trim_start_matches('#').trim().to_owned())
        .collect()
}

#[test]
fn every_citation_of_the_docs_names_a_heading_they_have() {
    let mut checked = 0;
    for file in tracked() {
        if !(file.ends_with(".rs") || file.ends_with(".py") || file.ends_with(".mjs")) {
            continue;
        }
        let text = std::fs::read_to_string(root().join(&file)).expect("a source file");
        // A comment wrapped over lines still cites: join them.
        let text = text
            .replace("\n//! ", " ")
            .replace("\n/// ", " ")
            .replace("\n// ", " ");
        for (doc, heading) in citations(&text) {
            let have = headings(&root().join(&doc));
            assert!(
                have.iter().any(|h| h.contains(heading.trim())),
                "{file} cites {doc}, {heading:?}, a heading it does not have: {have:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no citation found: the scan is broken");
}

#[test]
fn the_citation_scan_sees_a_bad_one() {
    let found = citations("see `docs/protocol.md`, \"No Such Heading\" for why");
    assert_eq!(
        found,
        [("docs/protocol.md".to_owned(), "No Such Heading".to_owned())]
    );
    assert!(!headings(&root().join("docs/protocol.md"))
        .iter()
        .any(|h| h.contains("No Such Heading")));
}

#[test]
fn no_generated_file_is_committed() {
    let files = tracked();
    assert!(files.len() > 50, "git ls-files saw {} files", files.len());
    for file in &files {
        assert!(
            !file.ends_with("dhat-heap.json"),
            "{file}: a dhat profile is output, not source"
        );
        assert!(
            !file.starts_with("fuzz/seeds/") && !file.starts_with("fuzz/corpus/"),
            "{file}: fuzz seeds are the test streams, read in place by .ci/run"
        );
    }
}
