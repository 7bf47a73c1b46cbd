//! hrgk freq — update-frequency check over a whole county's files.
//!
//! 用法：hrgk freq 输入… [--as-of 日期] [-o 文件] [--force] [--format json]
//!
//! Exit code 0 when every pair is 达标 / 无更新 / 不适用, 1 when any lapse was found,
//! 2 when the run stopped on an error.

use anyhow::Result;
use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

use super::{CommonArgs, ForceArg, Format, FormatArg};
use crate::assess;
use crate::output::{self, frequency};

#[derive(Args, Debug)]
pub struct FreqArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 输出工作簿（矩阵表和明细表，可直接打印）
    #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
}

/// A progress bar on stderr for more than a few files, when stderr is a terminal.
pub fn progress_bar(inputs: &[PathBuf]) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let n = crate::ingest::collect_inputs(inputs).ok()?.0.len();
    if n <= 3 {
        return None;
    }
    let pb = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("读取文件 {bar:30} {pos}/{len}") {
        pb.set_style(style);
    }
    Some(pb)
}

pub fn run(args: FreqArgs) -> Result<u8> {
    let rules = args.common.load_rules()?;
    let req = args.common.request();
    let pb = progress_bar(&req.inputs);
    let tick = || {
        if let Some(pb) = &pb {
            pb.inc(1);
        }
    };
    let a = assess::run(&rules, &req, Some(&tick))?;
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    if let Some(t) = &args.output {
        output::check_target(t, &a.inputs, args.overwrite.force)?;
        let tables = vec![
            frequency::matrix(&a, &rules, "更新频率"),
            frequency::detail(&a, &rules),
            frequency::unmatched(&a),
        ];
        output::xlsx::save(&tables, t, args.overwrite.force)?;
    }
    match args.fmt.format {
        Format::Json => super::emit_json(&frequency::freq_doc(&a, &rules))?,
        Format::Table => {
            out!("{}", frequency::terminal(&a, &rules));
            if let Some(t) = &args.output {
                outln!("已生成：{}", t.display());
            }
        }
    }
    let code = if a.checked.frequency.lapses() > 0 { 1 } else { 0 };
    super::discard(a);
    Ok(code)
}
