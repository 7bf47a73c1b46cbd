//! Writing results: workbooks, terminal tables, JSON. Every file is written atomically
//! (a temporary file beside the target, then a rename), never over an input, and over an
//! existing file only with `--force`.

pub mod annual;
pub mod annual_check;
pub mod books;
pub mod check;
pub mod docs;
pub mod due;
pub mod frequency;
pub mod json;
pub mod report;
pub mod submissions;
pub mod table;
pub mod template;
pub mod xlsx;

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Refuses to write over an input, or over an existing file without `force`.
pub fn check_target(target: &Path, inputs: &[PathBuf], force: bool) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(t) = canon(target) {
        for i in inputs {
            if let Some(ci) = canon(i) {
                if ci == t || (ci.is_dir() && t.starts_with(&ci) && is_input_file(&t)) {
                    bail!(
                        "输出文件 {} 是输入文件之一，不能覆盖：请用 -o 指定另一个文件名",
                        target.display()
                    );
                }
            }
        }
    }
    if target.exists() && !force {
        bail!(
            "输出文件已存在：{}（如需覆盖请加 --force，或用 -o 指定另一个文件名）",
            target.display()
        );
    }
    Ok(())
}

/// Whether a path inside an input folder would itself be read as an input.
fn is_input_file(p: &Path) -> bool {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| crate::ingest::workbook::EXTENSIONS.contains(&e.as_str()))
}

/// Writes bytes to `target` atomically; the parent folder is created if missing. A
/// failure names the absolute folder and the file meant, says why in Chinese (the
/// system's words last) and suggests another place.
pub fn write_atomic(target: &Path, bytes: &[u8], force: bool) -> Result<()> {
    write_atomic_with(target, force, |f| Ok(f.write_all(bytes)?))
}

/// `write_atomic` with the content written by `write` into the temporary file (a
/// workbook zipped straight into it rather than into memory first).
pub fn write_atomic_with(
    target: &Path,
    force: bool,
    write: impl FnOnce(&mut std::fs::File) -> Result<()>,
) -> Result<()> {
    if target.is_dir() {
        bail!(
            "输出位置 {} 是一个文件夹，不是文件：请写上文件名，如 -o {}",
            target.display(),
            target.join("结果.xlsx").display()
        );
    }
    // A device, pipe or socket is never replaced, even with --force (the rename would
    // put a file in its place).
    if std::fs::metadata(target).is_ok_and(|m| !m.is_file()) {
        bail!(
            "输出位置 {} 不是普通文件（是设备、管道等），不能写入或覆盖：请用 -o 指定一个文件名",
            target.display()
        );
    }
    if target.exists() && !force {
        bail!("文件已存在：{}（如需覆盖请加 --force）", target.display());
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| target.display().to_string());
    let folder = std::path::absolute(&parent).unwrap_or_else(|_| parent.clone());
    let failed = |what: &str, e: &std::io::Error| {
        use crate::ingest::problems::{detail, io_reason};
        let why = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "没有写入这个文件夹的权限".to_string(),
            std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::NotADirectory => {
                "路径中有一部分是已存在的文件而不是文件夹".to_string()
            }
            k => io_reason(k).to_string(),
        };
        anyhow::anyhow!(
            "{what}：{why}。请用 -o（输出文件）或 --out-dir（输出文件夹）指定一个可以写入的位置{}",
            detail(&e.to_string())
        )
    };
    let (f, d) = (&file, folder.display());
    std::fs::create_dir_all(&parent).map_err(|e| failed(&format!("无法创建文件夹 {d}，{f} 未能写入"), &e))?;
    let mut tmp =
        tempfile::NamedTempFile::new_in(&parent).map_err(|e| failed(&format!("无法在文件夹 {d} 中写入 {f}"), &e))?;
    write(tmp.as_file_mut()).map_err(|e| match e.downcast::<std::io::Error>() {
        Ok(e) => failed(&format!("在文件夹 {d} 中写入 {f} 时出错"), &e),
        Err(e) => e,
    })?;
    tmp.as_file().sync_all().ok();
    // Temporary files are created private (0600); results are ordinary files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .ok();
    }
    tmp.persist(target)
        .map_err(|e| e.error)
        .with_context(|| format!("无法保存 {}（文件是否正在被 Excel 打开？）", target.display()))?;
    Ok(())
}

/// Makes a name safe as a Windows file name (no \ / : * ? " < > |).
pub fn safe_file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_refuses_existing_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one", false).unwrap();
        assert!(write_atomic(&p, b"two", false).is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.xlsx");
        std::fs::write(&p, b"x").unwrap();
        let e = check_target(&p, std::slice::from_ref(&p), true).unwrap_err();
        assert!(e.to_string().contains("输入文件"));
        let e = check_target(&p, &[dir.path().to_path_buf()], true).unwrap_err();
        assert!(e.to_string().contains("输入文件"));
    }

    #[test]
    fn safe_names() {
        assert_eq!(safe_file_name("a/b:c*?"), "a_b_c__");
    }
}
