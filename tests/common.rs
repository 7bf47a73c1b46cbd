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

/// A unit's entry in the `hrgk score --format json` document.
pub fn unit_of<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["units"]
        .as_array()
        .and_then(|us| us.iter().find(|u| u["unit"] == name))
        .unwrap_or_else(|| panic!("{name} in {doc}"))
}

/// An item (A1 … G1) of a unit's entry.
pub fn item_of<'a>(unit: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    unit["items"]
        .as_array()
        .and_then(|is| is.iter().find(|i| i["id"] == id))
        .unwrap_or_else(|| panic!("item {id} in {unit}"))
}

/// The committed samples folder (samples/2021, samples/单位名单.xlsx).
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Totals of the committed samples at 2021-12-31 with the county list
/// (samples/README.md lists each deduction and bonus).
pub const SAMPLE_TOTALS: &[(&str, f64)] = &[
    ("新河乡", 96.5),
    ("章华镇", 96.0),
    ("东山镇", 95.0),
    ("三封寺镇", 91.0),
    ("治河渡镇", 90.5),
    ("团洲乡", 87.5),
    ("华容县自然资源局", 109.0),
    ("华容县教育体育局", 104.0),
    ("华容县卫生健康局", 100.0),
    ("华容县人力资源和社会保障局", 97.0),
    ("华容县财政局", 95.0),
    ("华容县市场监督管理局", 94.5),
];
