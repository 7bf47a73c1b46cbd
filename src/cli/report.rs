//! hrgk report — one print-ready feedback workbook per unit.
//!
//! 用法：hrgk report 输入… --out-dir 目录 [--unit 单位]… [--force] [--format json]
//!
//! Same inputs and flags as `hrgk score`; totals and deductions equal the score's.

use anyhow::{bail, Result};
use clap::Args;
use rayon::prelude::*;
use serde_json::json;
use std::path::PathBuf;

use super::{AnnualTablesArg, CommonArgs, ForceArg, Format, FormatArg};
use crate::assess;
use crate::output::{self, report};

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 输出目录（不存在会自动创建）
    #[arg(long = "out-dir", value_name = "目录", required = true, help_heading = "选项")]
    pub out_dir: PathBuf,
    /// 只生成这些单位的反馈表（可多次使用，简称也可）
    #[arg(id = "only", long = "unit", value_name = "单位", help_heading = "选项")]
    pub only: Vec<String>,
    #[command(flatten)]
    pub annual: AnnualTablesArg,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
}

pub fn run(args: ReportArgs) -> Result<u8> {
    let rules = args.common.load_rules()?;
    let mut req = args.common.request();
    req.annual_tables = args.annual.annual_tables.clone();
    let a = assess::run(&rules, &req, None)?;
    let reg = a.ds.registry();
    let mut chosen = Vec::new();
    for name in &args.only {
        match reg.lookup(name).filter(|u| reg.units[*u].assessed) {
            Some(u) => chosen.push(u),
            None => {
                let near: Vec<String> = reg
                    .closest(name, 5)
                    .into_iter()
                    .filter(|n| reg.lookup(n).is_some_and(|u| reg.units[u].assessed))
                    .collect();
                bail!(
                    "没有找到单位“{name}”：它不在本次考核的单位中。相近的单位：{}",
                    if near.is_empty() {
                        "无".to_string()
                    } else {
                        near.join("、")
                    }
                );
            }
        }
    }
    let scores: Vec<_> = a
        .scores
        .iter()
        .filter(|s| chosen.is_empty() || chosen.contains(&s.unit))
        .collect();
    let targets: Vec<PathBuf> = scores
        .iter()
        .map(|s| args.out_dir.join(report::file_name(a.period.year, &s.name)))
        .collect();
    for t in &targets {
        output::check_target(t, &a.inputs, args.overwrite.force)?;
    }
    // The score workbook's tables are built once and split by unit; the workbooks are
    // independent, so they are built and written on every core.
    let parts = report::Parts::new(&a, &rules);
    let results: Vec<Result<()>> = scores
        .par_iter()
        .zip(targets.par_iter())
        .map(|(s, t)| output::xlsx::save(report::unit_book(&a, &rules, s, &parts), t, args.overwrite.force))
        .collect();
    let mut written = Vec::new();
    for ((s, t), r) in scores.iter().zip(&targets).zip(results) {
        r?;
        written.push((s, t));
    }
    match args.fmt.format {
        Format::Json => {
            let files: Vec<_> = written
                .iter()
                .map(|(s, t)| json!({"unit": s.name, "file": t.display().to_string(), "total": output::json::num(s.total), "rank": s.rank}))
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(
                    &json!({"year": a.period.year, "as_of": a.period.as_of.to_string(), "files": files})
                )?
            );
        }
        Format::Table => {
            for (s, t) in &written {
                outln!("{}", report::summary_line(s, &t.display().to_string()));
            }
            outln!(
                "共生成 {} 个单位的反馈表，位于 {}",
                written.len(),
                args.out_dir.display()
            );
        }
    }
    super::discard((parts, a));
    Ok(0)
}
