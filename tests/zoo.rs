//! Broken, odd and hostile inputs (issue 14): no hang, no silent misread, bounded
//! memory, a true message for every broken file.

use std::time::Duration;

use crate::common::*;

/// Runs `hrgk` in `dir` with a time limit: a hang fails the test instead of the run.
fn run_limited(dir: &std::path::Path, args: &[&str], secs: u64) -> (i32, String, String) {
    let out = hrgk()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(secs))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CLEAN: &str = "信息名称,形成日期,公开日期\n通知,2021-03-01,2021-03-02\n";

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    let d = tmp();
    let f = d.path().join("台账");
    std::fs::create_dir_all(f.join("sub")).unwrap();
    std::fs::write(f.join("章华镇.csv"), CLEAN).unwrap();
    std::os::unix::fs::symlink(".", f.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", f.join("sub").join("back")).unwrap();
    std::os::unix::fs::symlink("章华镇.csv", f.join("章华镇链接.csv")).unwrap();
    let (code, out, err) = run_limited(d.path(), &["check", "台账", "--format", "json"], 20);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1, "{doc}");
    let (code, out, err) = run_limited(
        d.path(),
        &[
            "score",
            "台账",
            "台账/章华镇.csv",
            "--as-of",
            "2021-03-31",
            "--format",
            "json",
        ],
        20,
    );
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1, "{doc}");
}
