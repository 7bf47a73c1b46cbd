//! hrgk man — the manual pages, generated from the command definitions (never written
//! by hand, so they always match `--help`).
//!
//! 用法：hrgk man                      hrgk.1 到标准输出（man -l - 可直接查看）
//!       hrgk man --out-dir 目录 [--force]   hrgk.1 和每个命令的 hrgk-<命令>.1

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};
use std::path::PathBuf;

use super::Cli;

#[derive(Args, Debug)]
pub struct ManArgs {
    /// 把 hrgk.1 和每个命令的手册页（hrgk-score.1 等）写入该文件夹，而不是输出 hrgk.1
    #[arg(long = "out-dir", value_name = "目录", help_heading = "选项")]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub overwrite: super::ForceArg,
}

/// clap_mangen's fixed English section names, in Chinese. NAME stays: man-db reads the
/// NAME section to index the page for `whatis` and `man -k`.
const HEADINGS: &[(&str, &str)] = &[
    (".SH SYNOPSIS", ".SH 用法"),
    (".SH DESCRIPTION", ".SH 说明"),
    (".SH OPTIONS", ".SH 选项"),
    (".SH EXTRA", ".SH 附注"),
    (".SH VERSION", ".SH 版本"),
];

fn render(cmd: clap::Command) -> Result<(String, String)> {
    // An empty date would shift the .TH fields (it is written unquoted).
    let man = clap_mangen::Man::new(cmd)
        .date(format!("版本 {}", crate::build_info::VERSION))
        .source("hrgk")
        .manual("hrgk 使用手册");
    let mut buf = Vec::new();
    man.render(&mut buf).context("无法生成手册页")?;
    // The after-help text (examples) is laid out in lines: keep them unfilled (.nf).
    let mut text = String::new();
    let mut unfilled = false;
    for line in String::from_utf8_lossy(&buf).lines() {
        if line.starts_with(".SH ") && unfilled {
            text.push_str(".fi\n");
            unfilled = false;
        }
        match HEADINGS.iter().find(|(en, _)| line == *en) {
            Some((_, zh)) => text.push_str(zh),
            None => text.push_str(line),
        }
        text.push('\n');
        if line.starts_with(".TH ") {
            // Chinese has no spaces to stretch: left-aligned, and groff's Chinese
            // line-breaking classes (zh.tmac) so long lines wrap between characters.
            text.push_str(".ad l\n.if \\n(.g .mso zh.tmac\n");
        }
        if line == ".SH EXTRA" {
            text.push_str(".nf\n");
            unfilled = true;
        }
    }
    if unfilled {
        text.push_str(".fi\n");
    }
    Ok((man.get_filename(), text))
}

/// Every page: (file name, roff text), hrgk.1 first, then one per command and
/// sub-command (hrgk-score.1, hrgk-workdays-add.1 …).
pub fn pages() -> Result<Vec<(String, String)>> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, String)>) -> Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            out.push(render(sub.clone())?);
            walk(sub, out)?;
        }
        Ok(())
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = vec![render(cmd.clone())?];
    walk(&cmd, &mut out)?;
    Ok(out)
}

pub fn run(args: ManArgs) -> Result<u8> {
    let pages = pages()?;
    match args.out_dir {
        None => {
            if let Some((_, text)) = pages.first() {
                out!("{text}");
            }
        }
        Some(dir) => {
            if !args.overwrite.force {
                if let Some((name, _)) = pages.iter().find(|(n, _)| dir.join(n).exists()) {
                    anyhow::bail!("文件已存在：{}（如需覆盖请加 --force）", dir.join(name).display());
                }
            }
            for (name, text) in &pages {
                crate::output::write_atomic(&dir.join(name), text.as_bytes(), args.overwrite.force)?;
            }
            eprintln!("已写入 {} 个手册页到 {}", pages.len(), dir.display());
        }
    }
    Ok(0)
}
