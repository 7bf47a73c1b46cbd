//! hrgk score — the year-end assessment.
//!
//! 用法：hrgk score 输入… [--year 年份] [--as-of 日期] [-o 文件] [--force] [--format json]
//!
//! Reads every ledger once, checks it, scores every unit, writes 考核结果-<年度>.xlsx
//! (with `--format json`, only when -o is given) and prints the ranking or the JSON.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

use super::{AnnualTablesArg, CommonArgs, ForceArg, Format, FormatArg};
use crate::assess;
use crate::output::{self, books, json, table};

#[derive(Args, Debug)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 输出工作簿（默认：当前文件夹下的 考核结果-<年度>.xlsx；用 --format json 时只在指定 -o 时写出）
    #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
    /// 不执行“复核调整”中的决定，显示复核前的得分（用于对照）
    #[arg(long = "no-review", help_heading = "选项")]
    pub no_review: bool,
    #[command(flatten)]
    pub annual: AnnualTablesArg,
}

pub fn run(args: ScoreArgs) -> Result<u8> {
    let rules = args.common.load_rules()?;
    let mut req = args.common.request();
    req.no_review = args.no_review;
    req.annual_tables = args.annual.annual_tables.clone();
    let a = assess::run(&rules, &req, None)?;
    let target = match (&args.output, args.fmt.format) {
        (Some(p), _) => Some(p.clone()),
        (None, Format::Table) => Some(PathBuf::from(format!("考核结果-{}.xlsx", a.period.year))),
        (None, Format::Json) => None,
    };
    // With both a workbook and JSON, the JSON is made on the other core while the
    // workbook is built, and printed once the workbook is saved.
    let mut json_done: Option<Vec<u8>> = None;
    if let Some(t) = &target {
        output::check_target(t, &a.inputs, args.overwrite.force)?;
        let save = || output::xlsx::save(books::score_book(&a, &rules), t, args.overwrite.force);
        if args.fmt.format == Format::Json {
            let (saved, doc) = rayon::join(save, || serde_json::to_vec_pretty(&json::score_doc(&a, &rules)));
            saved?;
            json_done = Some(doc?);
        } else {
            save()?;
        }
    }
    match args.fmt.format {
        Format::Json => match json_done {
            Some(mut doc) => {
                doc.push(b'\n');
                super::emit_bytes(&doc)?;
            }
            None => super::emit_json(&json::score_doc(&a, &rules))?,
        },
        Format::Table => {
            out!("{}", output::submissions::terminal(&a.submissions));
            outln!(
                "{}（截至 {}，规则 {}）",
                books::title(&rules, a.period.year, "政务公开考核"),
                a.period.as_of,
                rules.short_digest()
            );
            outln!("{}", table::ranking(&a.scores, None));
            let unrecognised: usize =
                a.ds.files
                    .iter()
                    .flat_map(|f| &f.sheets)
                    .filter(|s| s.ledger.is_none())
                    .count();
            outln!(
                "读取 {} 个文件；数据问题 {} 个；未识别的工作表 {} 个；逾期公开 {} 条",
                a.ds.files.len(),
                a.ds.problems.len(),
                unrecognised,
                a.checked.publications.late.len()
            );
            if let Some(line) = output::books::review::summary_line(&a, args.no_review) {
                outln!("{line}");
            }
            let charged: Vec<String> =
                a.ds.problems
                    .iter()
                    .filter(|p| p.kind == crate::ingest::problems::ProblemKind::ColumnMissing)
                    .map(|p| p.message.clone())
                    .collect();
            for m in charged {
                outln!("  {m}");
            }
            if let Some(t) = &target {
                outln!("已生成：{}", t.display());
            }
        }
    }
    super::discard(a);
    Ok(0)
}
