//! hrgk due — the office's 督办 list: what is overdue at as-of and what falls due within
//! the next working days, per unit, before it costs points.
//!
//! 用法：hrgk due 输入… [--as-of 日期] [--within 工作日数] [--units 单位名单.xlsx]
//!       [--unit 单位]… [-o 督办清单.xlsx] [--out-dir 督办单目录] [--all] [--force]
//!       [--format json]
//!
//! `--as-of` defaults to today (with `--year` and no date: as for `hrgk score`).
//! Same inputs, options, reading and problems as `hrgk score` (one pipeline,
//! `assess::run`); the deadlines and statuses are the score's own. Writes
//! 督办清单-<as-of>.xlsx (with `--format json`, only when -o is given), one
//! <as-of>督办单-<单位>.xlsx per unit with lines under `--out-dir` (every unit with
//! `--all`). Exit code 1 when anything is overdue, 2 on errors, else 0.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

use super::{CommonArgs, ForceArg, Format, FormatArg};
use crate::assess;
use crate::due;
use crate::output::{self, due as out};

#[derive(Args, Debug)]
pub struct DueArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 向后查看的工作日数（默认：规则 rubric.toml 的 due_within_workdays，内置为 5）
    #[arg(long, value_name = "工作日数", help_heading = "选项")]
    pub within: Option<u32>,
    /// 只列这些单位（可多次使用，简称也可）
    #[arg(id = "only", long = "unit", value_name = "单位", help_heading = "选项")]
    pub only: Vec<String>,
    /// 督办清单工作簿（默认：当前文件夹下的 督办清单-<截止日期>.xlsx；用 --format json 时只在指定 -o 时写出）
    #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    /// 为每个有逾期或即将到期事项的单位生成一份可打印的督办单，放在此目录
    #[arg(long = "out-dir", value_name = "目录", help_heading = "选项")]
    pub out_dir: Option<PathBuf>,
    /// 与 --out-dir 同用：没有事项的单位也生成督办单
    #[arg(long, help_heading = "选项")]
    pub all: bool,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
}

pub fn run(args: DueArgs) -> Result<u8> {
    let rules = args.common.load_rules()?;
    let mut req = args.common.request();
    // The weekly list is about today unless a date or a year is given.
    if req.as_of.is_none() && req.year.is_none() {
        req.as_of = Some(assess::today());
    }
    let a = assess::run(&rules, &req, None)?;
    let ask = due::Ask {
        within: args.within,
        units: &args.only,
        checkpoints: &req.checkpoints,
    };
    let list = due::list(&a, &rules, &ask)?;
    let target = match (&args.output, args.fmt.format) {
        (Some(p), _) => Some(p.clone()),
        (None, Format::Table) => Some(PathBuf::from(out::book_name(&list))),
        (None, Format::Json) => None,
    };
    // Every target is checked before anything is written.
    let mut unit_files = Vec::new();
    if let Some(dir) = &args.out_dir {
        let reg = a.ds.registry();
        for &u in &list.units {
            if args.all || list.items.iter().any(|i| i.unit == u) {
                unit_files.push((u, dir.join(out::unit_file_name(&list, reg.name(u)))));
            }
        }
    }
    if let Some(t) = &target {
        output::check_target(t, &a.inputs, args.overwrite.force)?;
    }
    for (_, p) in &unit_files {
        output::check_target(p, &a.inputs, args.overwrite.force)?;
    }
    if let Some(t) = &target {
        output::xlsx::save(out::book(&a, &rules, &list), t, args.overwrite.force)?;
    }
    for (u, p) in &unit_files {
        output::xlsx::save(out::unit_sheet(&a, &rules, &list, *u), p, args.overwrite.force)?;
    }
    match args.fmt.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&out::json(&a, &list))?),
        Format::Table => {
            out!("{}", out::terminal(&a, &rules, &list));
            if let Some(t) = &target {
                outln!("已生成：{}", t.display());
            }
            if let Some(dir) = &args.out_dir {
                outln!("督办单：{} 份，在 {}", unit_files.len(), dir.display());
            }
        }
    }
    Ok(if list.any_overdue() { 1 } else { 0 })
}
