//! hrgk template — the standard ledger workbook units fill in all year.
//!
//! 用法：hrgk template [-o 文件] [--year 年份] [--units 文件] [--force] [--rules 目录]
//!
//! Writes 政务公开台账模板-<年度>.xlsx: 填写说明, one sheet per ledger that `hrgk score`
//! reads (canonical headers with notes, dropdowns, date checks) and 单位名单, pre-filled
//! from `--units` read exactly as the score reads it.

use anyhow::{anyhow, bail, Context, Result};
use chrono::Datelike;
use clap::Args;

use super::{ForceArg, RulesArg};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::ingest::header::{self, Detection};
use crate::ingest::{workbook, UnitId, UnitRegistry};
use crate::output::{self, template, xlsx};
use crate::rules::{LedgerKind, Rules};
use crate::text;

#[derive(Args, Debug)]
pub struct TemplateArgs {
    /// 输出文件（默认：当前文件夹下的 政务公开台账模板-<年度>.xlsx）
    #[arg(short = 'o', long = "output", value_name = "文件", help_heading = "选项")]
    pub output: Option<PathBuf>,
    /// 考核年度（默认：今年），决定示例中的日期和日期列允许的范围
    #[arg(long, value_name = "年份", help_heading = "选项")]
    pub year: Option<i32>,
    /// 单位名单（列：单位名称、类别、别名），预先填入模板的“单位名单”工作表
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub units: Option<PathBuf>,
    #[command(flatten)]
    pub overwrite: ForceArg,
    #[command(flatten)]
    pub rules: RulesArg,
}

pub fn run(args: TemplateArgs) -> Result<u8> {
    let rules = args.rules.load()?;
    let year = args.year.unwrap_or_else(|| crate::assess::today().year());
    if !(2000..=2100).contains(&year) {
        bail!("年份 {year} 无效：请写四位年份，如 2021");
    }
    let units = match &args.units {
        Some(p) => read_units(p, &rules)?,
        None => Vec::new(),
    };
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("政务公开台账模板-{year}.xlsx")));
    let inputs: Vec<PathBuf> = args.units.iter().cloned().collect();
    output::check_target(&target, &inputs, args.overwrite.force)?;
    let tables = template::tables(&rules, year, &units)?;
    xlsx::save_marked(
        &tables,
        &target,
        args.overwrite.force,
        crate::ingest::inputs::Mark::Template,
    )?;
    let ledgers = tables
        .iter()
        .filter(|t| {
            rules
                .ledgers
                .ledgers
                .iter()
                .any(|l| l.name == t.name && l.kind != LedgerKind::UnitList)
        })
        .count();
    let listed = if units.is_empty() {
        "单位名单待填写".to_string()
    } else {
        format!("单位名单已填入 {} 个单位", units.len())
    };
    outln!("已生成：{}（{year}年度，{ledgers} 种台账，{listed}）", target.display());
    if !rules.calendar.has_year(year) {
        eprintln!("注意：规则中没有 {year} 年的节假日安排，按该年度考核前须补充 calendar/{year}.toml");
    }
    Ok(0)
}

/// The county's unit list, read as `hrgk score --units` reads it: the same file
/// reading, header detection and name resolution, so that entries naming one unit twice
/// become one row (later names kept as aliases). In file order.
fn read_units(path: &Path, rules: &Rules) -> Result<Vec<template::UnitEntry>> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取单位名单 {}", path.display()))?;
    let sheets = workbook::read(path, &bytes)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("无法读取单位名单 {}", path.display()))?;
    let def = rules
        .ledgers
        .get(LedgerKind::UnitList)
        .context("规则 ledgers.toml 中没有“单位名单”的定义")?;
    let mut reg = UnitRegistry::new(&rules.units);
    let mut out: Vec<(UnitId, template::UnitEntry)> = Vec::new();
    let mut row_of: HashMap<UnitId, usize> = HashMap::new();
    let mut found = false;
    for s in &sheets {
        let Detection::Ledger {
            kind: LedgerKind::UnitList,
            header_pos,
            columns,
        } = header::detect(s, &rules.ledgers, &[&s.name, "单位名单"])
        else {
            continue;
        };
        found = true;
        let get = |row: &workbook::Row, f: &str| columns.col(def, f).map(|c| row.get(c).display()).unwrap_or_default();
        for row in &s.rows[header_pos + 1..] {
            let name = get(row, "name");
            if name.is_empty() {
                continue;
            }
            let group = reg.parse_group(&get(row, "group"));
            let aliases_text = get(row, "aliases");
            let aliases: Vec<&str> = text::split_list(&aliases_text).collect();
            let id = reg.add_listed(&name, group, &aliases);
            let group_name = reg.group_name(reg.units[id].group).to_string();
            let i = *row_of.entry(id).or_insert_with(|| {
                out.push((
                    id,
                    template::UnitEntry {
                        name: String::new(),
                        group: String::new(),
                        aliases: Vec::new(),
                    },
                ));
                out.len() - 1
            });
            let e = &mut out[i].1;
            e.group = group_name;
            // Every name written for the unit; the display name is removed below.
            for a in std::iter::once(text::clean(&name)).chain(aliases.iter().copied()) {
                if !e.aliases.iter().any(|x| x == a) {
                    e.aliases.push(a.to_string());
                }
            }
        }
    }
    if !found {
        bail!(
            "单位名单 {} 中没有找到“单位名称”列：请使用包含 单位名称、类别、别名 三列的表格",
            path.display()
        );
    }
    // The registry's display name is the one the score shows (the last listed name).
    Ok(out
        .into_iter()
        .map(|(id, mut e)| {
            e.name = reg.name(id).to_string();
            e.aliases.retain(|a| *a != e.name);
            e
        })
        .collect())
}
