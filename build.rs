//! Records the git commit the binary is built from (`hrgk --version`, the 说明 sheet,
//! the JSON `tool` object). Without git or outside a repository the commit is simply
//! unknown: the build never fails for it. `HRGK_COMMIT` in the environment overrides
//! (for builds from a source archive).

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=HRGK_COMMIT");
    let commit = match std::env::var("HRGK_COMMIT") {
        Ok(c) if !c.trim().is_empty() => Some(c.trim().to_string()),
        _ => git_commit(),
    };
    if let Some(c) = commit {
        println!("cargo:rustc-env=HRGK_COMMIT={c}");
    }
}

/// `abcdef123456`, with `-dirty` when tracked files differ from that commit.
fn git_commit() -> Option<String> {
    let head = git(&["rev-parse", "--short=12", "HEAD"])?;
    // Rebuild when HEAD moves (checkout, commit) or a source file changes (dirty flag).
    // Only existing paths: a missing one would rerun this script on every build.
    let mut watch = vec!["src".to_string(), "rules".to_string()];
    for p in ["HEAD", "packed-refs"] {
        watch.extend(git(&["rev-parse", "--git-path", p]));
    }
    if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.extend(git(&["rev-parse", "--git-path", &r]));
    }
    for p in watch.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={p}");
    }
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some();
    Some(if dirty { format!("{head}-dirty") } else { head })
}
