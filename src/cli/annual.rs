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
//! (result-unclassified) naming the cell. `--carried 上年报表` fills 二 from last year's
//! tables (their 四) for units whose inputs hold no prior-year rows. Exit code 0, 2 on
//! errors.
//!
//! 用法：hrgk annual check 台账 各单位年报表… --year 年份 [--units 文件] [--carried 上年报表]
//!       [-o 文件] [--force] [--format json]
//!
//! Reads tables 三/四 the units wrote (found by their labels: `ingest::report_tables`),
//! compares every figure with the ledger's and lists the 勾稽 relations the unit's own
//! figures break. Exit 1 when anything differs or a table cannot be found or placed.
//! `check` is a subcommand only as the first word after `annual`: a ledger folder
//! literally named check is given as `./check`.

use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use std::path::PathBuf;

use super::{CommonArgs, ForceArg, Format, FormatArg, RulesArg, HELP_TEMPLATE};
use crate::assess;
use crate::checks::annual_tables;
use crate::ingest::report_tables::{self, Owner, TableProblem};
use crate::ingest::UnitRegistry;
use crate::output::{self, annual as out, annual_check as check_out};
use crate::rules::Rules;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AnnualArgs {
    #[command(subcommand)]
    pub cmd: Option<AnnualCmd>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// 只生成这些单位（可多次使用，简称也可）
    #[arg(id = "only", long = "unit", value_name = "单位", help_heading = "选项")]
    pub only: Vec<String>,
    /// 把每个单位的统计表（及全县汇总）写到此目录
    #[arg(long = "out-dir", value_name = "目录", help_heading = "选项")]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub carried: CarriedArg,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
}

/// `--carried`: last year's tables.
#[derive(Args, Debug, Clone, Default)]
pub struct CarriedArg {
    /// 上一年度的统计表（文件或文件夹，本格式）：输入中没有上年申请的单位，以其“结转下年度继续办理”作为本年“上年结转”
    #[arg(long = "carried", value_name = "上年报表", help_heading = "选项")]
    pub path: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum AnnualCmd {
    /// 核对各单位填写的年报表三、表四与台账是否一致，并检查勾稽关系（有不一致时退出码为 1）
    #[command(help_template = HELP_TEMPLATE, override_usage = "hrgk annual check [选项] --year <年份> <台账> <年报表>...")]
    Check(CheckArgs),
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 台账文件或文件夹（名为 check 的文件夹请写作 ./check）
    #[arg(value_name = "台账", required = true, help_heading = "参数")]
    pub ledgers: PathBuf,
    /// 各单位填写的年报统计表：文件或文件夹（可多个；hrgk annual 生成的工作簿或单位自己的表格）
    #[arg(value_name = "年报表", required = true, help_heading = "参数")]
    pub tables: Vec<PathBuf>,
    /// 年报所属年度（默认：多数日期所在的年份）
    #[arg(long, value_name = "年份", help_heading = "选项")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub rules: RulesArg,
    /// 单位名单（列：单位名称、类别、别名）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub units: Option<PathBuf>,
    /// 有台账文件无法读取时继续处理其他文件，并把它们列为问题
    #[arg(long = "keep-going", help_heading = "选项")]
    pub keep_going: bool,
    #[command(flatten)]
    pub carried: CarriedArg,
    /// 把核对结果写成工作簿
    #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
}

/// Last year's 四 per unit (applicant columns), read with the same finder; problems
/// with that file.
pub fn read_carried(
    rules: &Rules,
    reg: &UnitRegistry,
    path: &std::path::Path,
) -> Result<(Vec<annual_tables::Carried>, Vec<TableProblem>)> {
    let read = report_tables::read(&[path.to_path_buf()], rules, reg)?;
    let mut problems = read.problems;
    let f = &rules.annual.table3;
    let n = f.columns().len() - 1;
    let Some([_, _, _, pending]) = f.role_rows() else {
        return Ok((Vec::new(), problems));
    };
    let mut out = Vec::new();
    for t in &read.tables {
        let (Owner::Unit(u), Some(t3)) = (t.owner, &t.t3) else {
            continue;
        };
        let figs = t3.figures();
        let row: Option<Vec<u32>> = figs.get(pending).and_then(|r| r.iter().take(n).copied().collect());
        match row {
            Some(v) if v.len() == n => out.push((u, v, format!("{} 工作表“{}”", t3.file, t3.sheet))),
            _ => problems.push(TableProblem {
                code: report_tables::LABEL,
                owner: Some(t.owner),
                file: t3.file.clone(),
                sheet: t3.sheet.clone(),
                cell: String::new(),
                message: format!("上年报表中“{}”一行不全，不能作为本年的上年结转", f.rows[pending].text()),
            }),
        }
    }
    Ok((out, problems))
}

pub fn run(args: AnnualArgs) -> Result<u8> {
    if let Some(AnnualCmd::Check(c)) = args.cmd {
        return check(c);
    }
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
    let mut carried_problems = Vec::new();
    if let Some(p) = &args.carried.path {
        let (carried, problems) = read_carried(&rules, a.ds.registry(), p)?;
        annual_tables::fill_carried(&rules, &mut report, &carried);
        carried_problems = problems;
    }
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
        Format::Json => {
            let mut doc = out::json(&rules, &a.ds, &report, &written);
            doc["carried_problems"] = check_out::problems_json(&a.ds, &carried_problems);
            outln!("{}", serde_json::to_string_pretty(&doc)?)
        }
        Format::Table => {
            if report.units.is_empty() {
                outln!("输入中没有依申请公开台账的申请记录，无法生成统计表。");
            } else {
                out!("{}", out::terminal(&rules, &a.ds, &report));
            }
            for p in &carried_problems {
                outln!("上年报表：{}", check_out::problem_line(p));
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

/// `hrgk annual check`.
fn check(args: CheckArgs) -> Result<u8> {
    let rules = args.rules.load()?;
    let req = assess::Request {
        inputs: vec![args.ledgers.clone()],
        year: args.year,
        as_of: None,
        ingest: crate::ingest::Options {
            units_file: args.units.clone(),
            keep_going: args.keep_going,
        },
        checkpoints: Vec::new(),
        no_review: false,
        annual_tables: None,
    };
    let a = assess::run(&rules, &req, None)?;
    let year = a.period.year;
    let reg = a.ds.registry();
    let mut report = annual_tables::build(&a.ds.requests, &rules, year, &[]);
    annual_tables::apply_data(&mut report, &a.ds.annual_data, &rules, &[]);
    let read = report_tables::read(&args.tables, &rules, reg)?;
    let mut problems = read.problems.clone();
    if let Some(p) = &args.carried.path {
        let (carried, more) = read_carried(&rules, reg, p)?;
        annual_tables::fill_carried(&rules, &mut report, &carried);
        problems.extend(more);
    }
    let mut units = Vec::new();
    for t in &read.tables {
        let ledger = match t.owner {
            Owner::Unit(u) => report.units.iter().find(|x| x.unit == Some(u)).cloned(),
            Owner::County => report.county.clone(),
        }
        .unwrap_or_else(|| annual_tables::empty(&rules, t.owner.unit()));
        let (differences, broken) = annual_tables::compare(&rules, t, &ledger);
        units.push(check_out::Checked {
            tables: t.clone(),
            ledger,
            differences,
            broken,
        });
    }
    let result = check_out::Result {
        year,
        units,
        problems,
        files: read.files,
    };
    let mut inputs = vec![args.ledgers.clone()];
    inputs.extend(args.tables.iter().cloned());
    if let Some(o) = &args.output {
        output::check_target(o, &inputs, args.overwrite.force)?;
        output::xlsx::save(check_out::workbook(&rules, &a.ds, &result), o, args.overwrite.force)?;
    }
    match args.fmt.format {
        Format::Json => {
            let written = args.output.as_ref().map(|p| p.display().to_string());
            outln!(
                "{}",
                serde_json::to_string_pretty(&check_out::json(&rules, &a.ds, &result, written))?
            )
        }
        Format::Table => {
            out!("{}", check_out::terminal(&rules, &a.ds, &result));
            if let Some(o) = &args.output {
                outln!("已生成：{}", o.display());
            }
        }
    }
    Ok(if result.agree() { 0 } else { 1 })
}
