//! hrgk check — validate ledgers before handing them in, without scoring.
//!
//! 用法：hrgk check 输入… [--year 年份] [--as-of 日期] [--format json] [-o 问题清单.xlsx] [--force]
//!
//! Exit code 0 when there is no problem, 1 when there are problems (or a file holds no
//! ledger), 2 when a file could not be read at all. With `--as-of`, publications and
//! requests already overdue at that date are listed as warnings: facts, not data
//! faults, so they do not change the exit code. Why a file could not be read is
//! printed on stderr (`错误：无法读取 …`); stdout lists the file as 无法读取.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

use super::{ForceArg, Format, FormatArg, InputArgs};
use crate::output::{self, check, due};

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// 把问题清单写成工作簿
    #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub fmt: FormatArg,
}

pub fn run(args: CheckArgs) -> Result<u8> {
    let rules = args.input.rules.load()?;
    let inputs = &args.input.inputs;
    // Unreadable files are listed, never a reason to stop: that is what check is for.
    let req = args.input.request(true);
    let ins = crate::assess::inspect(&rules, &req)?;
    let mut warnings = Vec::new();
    if let (Some((period, checked)), Some(_)) = (&ins.checked, req.as_of) {
        let parts = crate::due::Parts {
            ds: &ins.ds,
            checked,
            period: *period,
            scores: &[],
        };
        warnings = crate::due::overdue_facts(parts, &rules)?;
    }
    if let Some(e) = &ins.note {
        eprintln!("注意：{e}；需要考核期才能发现的问题（如答复期限）未检查，可用 --year 或 --as-of 指定");
    }
    let ds = ins.ds;
    if let Some(t) = &args.output {
        output::check_target(t, inputs, args.overwrite.force)?;
        let mut tables = check::tables(&ds);
        if req.as_of.is_some() {
            tables.push(due::warnings_table(&ds, &warnings));
        }
        output::xlsx::save(&tables, t, args.overwrite.force)?;
    }
    match args.fmt.format {
        Format::Json => {
            let mut doc = check::json(&ds);
            if let (Some(d), serde_json::Value::Object(m)) = (req.as_of, &mut doc) {
                m.insert("as_of".into(), serde_json::json!(d.to_string()));
                m.insert("warnings".into(), due::warnings_json(&ds, &warnings));
            }
            outln!("{}", serde_json::to_string_pretty(&doc)?)
        }
        Format::Table => {
            eprint!("{}", check::errors(&ds));
            out!("{}", check::terminal(&ds));
            if let Some(d) = req.as_of {
                out!("{}", due::warnings_terminal(&ds, d, &warnings));
            }
            if let Some(t) = &args.output {
                outln!("已生成：{}", t.display());
            }
        }
    }
    let unreadable = ds.files.iter().any(|f| f.error.is_some());
    let problems = ds.problems.iter().any(|p| p.kind.is_data()) || check::files_without_ledger(&ds) > 0;
    super::discard(ds);
    Ok(if unreadable {
        2
    } else if problems {
        1
    } else {
        0
    })
}
