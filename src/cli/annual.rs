//! hrgk annual — the 政府信息公开工作年度报告 statistical tables from the request ledgers.
//!
//! 用法：hrgk annual 输入… --year 年份 [--units 单位名单.xlsx] [--unit 单位]…
//!       [--out-dir 年报表目录] [--force] [--format json]
//!
//! Same inputs, options, reading and problems as `hrgk score` (one pipeline,
//! `assess::run`); the tables are built by the pure stage `checks::annual_tables` from
//! the request records, labelled by rules/annual_report.toml. With `--out-dir`, writes
//! one `<年份>年政府信息公开工作年度报告统计表-<单位>.xlsx` per unit (tables 二, 三, 四
//! in the official layout, 数据来源 listing the rows behind every cell, 勾稽关系,
//! 数据问题) and one for 全县汇总. 办理结果 that table 三 cannot place are problems
//! (result-unclassified) naming the cell. Exit code 0, 2 on errors.

use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;

use super::{CommonArgs, ForceArg, Format, FormatArg};
use crate::assess;
use crate::checks::annual_tables;
use crate::output::{self, annual as out};

#[derive(Args, Debug)]
pub struct AnnualArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 只生成这些单位（可多次使用，简称也可）
    #[arg(id = "only", long = "unit", value_name = "单位", help_heading = "选项")]
    pub only: Vec<String>,
    /// 把每个单位的统计表（及全县汇总）写到此目录
    #[arg(long = "out-dir", value_name = "目录", help_heading = "选项")]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
}

pub fn run(args: AnnualArgs) -> Result<u8> {
    let rules = args.common.load_rules()?;
    let req = args.common.request();
    let mut a = assess::run(&rules, &req, None)?;
    let year = a.period.year;
    let reg = a.ds.registry();
    let mut only = Vec::new();
    for name in &args.only {
        match reg.lookup(name) {
            Some(u) => only.push(u),
            None => bail!("没有“{name}”这个单位：请检查 --unit（可用全称或常用简称）"),
        }
    }
    let mut report = annual_tables::build(&a.ds.requests, &rules, year, &only);
    annual_tables::apply_data(&mut report, &a.ds.annual_data, &rules, &only);
    a.ds.add_problems(report.problems.iter(), &rules);
    // The problems of the tables (with their cells): results table 三 cannot place, and
    // every problem of the 年报主动公开数据 sheet.
    let listed: Vec<_> =
        a.ds.problems
            .iter()
            .filter(|p| {
                p.kind == crate::ingest::ProblemKind::ResultUnclassified
                    || p.ledger == Some(crate::rules::LedgerKind::AnnualData)
            })
            .filter(|p| only.is_empty() || p.unit.is_some_and(|u| only.contains(&u)))
            .cloned()
            .collect();
    let mut files = Vec::new();
    if let Some(dir) = &args.out_dir {
        let tables: Vec<_> = report.units.iter().chain(report.county.iter()).collect();
        for t in &tables {
            let name = out::unit_name(&a.ds, t);
            files.push((name.to_string(), dir.join(out::file_name(&rules, year, name))));
        }
        for (_, p) in &files {
            output::check_target(p, &a.inputs, args.overwrite.force)?;
        }
        for (t, (_, p)) in tables.iter().zip(&files) {
            let problems: Vec<&crate::ingest::Problem> =
                a.ds.problems
                    .iter()
                    .filter(|p| t.unit.is_none() || p.unit == t.unit)
                    .collect();
            let broken = out::broken_of(&rules, t);
            output::xlsx::save_sheets(
                &out::workbook(&rules, &a.ds, year, t, &broken, &problems),
                p,
                args.overwrite.force,
            )?;
        }
    }
    report.problems = listed;
    let written: Vec<(String, String)> = files
        .iter()
        .map(|(u, p)| (u.clone(), p.display().to_string()))
        .collect();
    match args.fmt.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&out::json(&rules, &a.ds, &report, &written))?
        ),
        Format::Table => {
            if report.units.is_empty() {
                outln!("输入中没有依申请公开台账的申请记录，无法生成统计表。");
            } else {
                out!("{}", out::terminal(&rules, &a.ds, &report));
            }
            if let Some(dir) = &args.out_dir {
                outln!("统计表：{} 份，在 {}", files.len(), dir.display());
            } else if !report.units.is_empty() {
                outln!("用 --out-dir 目录 生成各单位的统计表工作簿。");
            }
        }
    }
    Ok(0)
}
