//! hrgk check — validate ledgers before handing them in, without scoring.
//!
//! 用法：hrgk check 输入… [--format json] [-o 问题清单.xlsx] [--force]
//!
//! Exit code 0 when there is no problem, 1 when there are problems (or a file holds no
//! ledger), 2 when a file could not be read at all.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

use super::Format;
use crate::ingest;
use crate::output::{self, check};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 台账文件或文件夹
    #[arg(value_name = "输入", required = true, help_heading = "参数")]
    pub inputs: Vec<PathBuf>,
    /// 规则目录（默认：内置规则）
    #[arg(long, value_name = "目录", help_heading = "选项")]
    pub rules: Option<PathBuf>,
    /// 单位名单（列：单位名称、类别、别名）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub units: Option<PathBuf>,
    /// 把问题清单写成工作簿
    #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    /// 允许覆盖已存在的输出文件
    #[arg(long, help_heading = "选项")]
    pub force: bool,
    /// 输出格式：table（逐个文件列出）或 json
    #[arg(long, value_enum, default_value_t = Format::Table, value_name = "格式", help_heading = "选项", hide_possible_values = true, hide_default_value = true)]
    pub format: Format,
}

pub fn run(args: CheckArgs) -> Result<i32> {
    let rules = crate::rules::Rules::load(args.rules.as_deref())?;
    let opts = ingest::Options {
        units_file: args.units.clone(),
        keep_going: true,
    };
    let mut ds = ingest::load(&args.inputs, &rules, &opts, None)?;
    // Problems only a check can see (a finding that matches no standard, an answer
    // dated before its receipt …), over the default period; nothing is scored.
    if let Ok(period) = crate::assess::period(&rules, &ds, None, None) {
        let checked = crate::checks::run(&ds, &rules, &period, &Default::default());
        ds.add_problems(checked.problems(), &rules);
    }
    if let Some(t) = &args.output {
        output::check_target(t, &args.inputs, args.force)?;
        output::xlsx::save(&check::tables(&ds), t, args.force)?;
    }
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&check::json(&ds))?),
        Format::Table => {
            out!("{}", check::terminal(&ds));
            if let Some(t) = &args.output {
                outln!("已生成：{}", t.display());
            }
        }
    }
    let unreadable = ds.files.iter().any(|f| f.error.is_some());
    let problems = ds.problems.iter().any(|p| p.code != "file-unreadable") || check::files_without_ledger(&ds) > 0;
    Ok(if unreadable {
        2
    } else if problems {
        1
    } else {
        0
    })
}
