//! Helpers shared by the integration tests.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn hrgk() -> Command {
    Command::cargo_bin("hrgk").expect("binary built")
}

/// A fresh temporary folder.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Runs `hrgk` with args in `dir`, returns (exit code, stdout, stderr).
pub fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = hrgk().current_dir(dir).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs and parses stdout as JSON, asserting exit code 0.
pub fn run_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(dir, args);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}
