//! `hrgk annual` outputs: the 年度报告统计表 workbook of a unit (tables 二, 三, 四 in the
//! official layout, the rows behind every cell, the 勾稽 relations that do not hold, the
//! unit's problems), the county workbook, the JSON document and the terminal summary.

use serde_json::{json, Value};

use super::json::source;
use super::xlsx::{Cell, Grid, GridStyle, Sheet, Table};
use crate::checks::annual_tables::{figures, fmt_num, Broken, CarriedSource, Report, Tables};
use crate::ingest::{Dataset, Problem, Request};
use crate::rules::{AnnualRole, FieldKind, LedgerKind, Rules};

/// The county's name in file names and sheets.
pub const COUNTY: &str = crate::ingest::report_tables::COUNTY_SUM;

/// `2021年政府信息公开工作年度报告统计表-<单位>.xlsx`, safe for Windows.
pub fn file_name(rules: &Rules, year: i32, unit: &str) -> String {
    super::safe_file_name(&format!("{}-{unit}.xlsx", title(rules, year)))
}

pub fn title(rules: &Rules, year: i32) -> String {
    rules.annual.title.replace("{year}", &year.to_string())
}

/// The unit's name, or 全县汇总.
pub fn unit_name<'a>(ds: &'a Dataset, t: &Tables) -> &'a str {
    t.unit.map(|u| ds.registry().name(u)).unwrap_or(COUNTY)
}

/// Whether a 年报主动公开数据 field holds an amount (万元, decimals) rather than a count.
fn is_amount(rules: &Rules, field: &str) -> bool {
    rules
        .ledgers
        .get(LedgerKind::AnnualData)
        .and_then(|d| d.field(field))
        .is_some_and(|f| f.kind == FieldKind::Amount)
}

/// Table 二 as the official form, filled from the 年报主动公开数据 sheet when it has the
/// unit (the county: the sum of the units that have a row), else empty; a note below
/// says where the figures come from.
fn table2(rules: &Rules, ds: &Dataset, year: i32, unit: &str, t: &Tables) -> Grid {
    let f = &rules.annual.table2;
    let mut g = Grid {
        name: "表二 主动公开".into(),
        widths: vec![24.0, 20.0, 20.0, 20.0],
        portrait: true,
        one_page: true,
        ..Default::default()
    };
    g.merge(
        0,
        0,
        0,
        3,
        format!("{}（{unit}）", title(rules, year)),
        GridStyle::Title,
    );
    g.merge(1, 0, 1, 3, f.title.clone(), GridStyle::Heading);
    g.heights.push((0, 24.0));
    let mut r = 2;
    let mut i = 0;
    for b in &f.blocks {
        let n = b.headers.len().min(4) as u16;
        for (c, h) in b.headers.iter().take(4).enumerate() {
            let c = c as u16;
            let last = if c + 1 == n { 3 } else { c };
            g.merge(r, c, r, last, h.clone(), GridStyle::Header);
        }
        g.heights.push((r, 22.0));
        r += 1;
        for row in &b.rows {
            g.put(r, 0, row.label.clone(), GridStyle::Label);
            let figures = t.t2.as_ref().and_then(|t2| t2.cells.get(i));
            for c in 1..n {
                let last = if c + 1 == n { 3 } else { c };
                let field = row.fields.get(c as usize - 1).map(|s| s.as_str()).unwrap_or("");
                let v = figures
                    .and_then(|fs| fs.get(c as usize - 1).copied().flatten())
                    .map(Cell::from)
                    .unwrap_or(Cell::Empty);
                let style = if is_amount(rules, field) {
                    GridStyle::Amount
                } else {
                    GridStyle::Number
                };
                g.merge(r, c, r, last, v, style);
            }
            g.heights.push((r, 22.0));
            r += 1;
            i += 1;
        }
    }
    let note = match &t.t2 {
        None => f.absent_note.clone(),
        Some(t2) if t.unit.is_some() => {
            let at: Vec<String> = t2.sources.iter().map(super::due::where_).collect();
            f.source_note.replace("{source}", &at.join("；"))
        }
        Some(t2) => {
            let mut s = format!("本表为“年报主动公开数据”中 {} 个单位的数字之和。", t2.sources.len());
            if !t.t2_missing.is_empty() {
                let names: Vec<&str> = t.t2_missing.iter().map(|u| ds.registry().name(*u)).collect();
                s.push_str(&format!(
                    "以下 {} 个单位在该表中没有数字，未计入：{}。",
                    names.len(),
                    names.join("、")
                ));
            }
            s
        }
    };
    g.note(r + 1, 3, note);
    g
}

fn value(c: &crate::checks::annual_tables::Cell) -> Cell {
    c.value.map(Cell::from).unwrap_or(Cell::Empty)
}

/// Table 三 as the official form: the 勾稽 note in the corner, 申请人情况 over the
/// applicant columns, the row labels in three merged columns.
fn table3(rules: &Rules, ds: &Dataset, year: i32, unit: &str, t: &Tables, broken: &[Broken]) -> Grid {
    let f = &rules.annual.table3;
    let cols = f.columns();
    let n = cols.len() as u16;
    let last = 2 + n;
    let mut widths = vec![6.0, 10.0, 26.0];
    widths.extend(std::iter::repeat_n(7.0, cols.len()));
    let mut g = Grid {
        name: "表三 依申请公开".into(),
        widths,
        portrait: true,
        repeat_rows: Some((0, 4)),
        one_page: true,
        ..Default::default()
    };
    g.merge(
        0,
        0,
        0,
        last,
        format!("{}（{unit}）", title(rules, year)),
        GridStyle::Title,
    );
    g.merge(1, 0, 1, last, f.title.clone(), GridStyle::Heading);
    g.merge(2, 0, 4, 2, f.corner.clone(), GridStyle::Header);
    g.merge(2, 3, 2, last, f.applicant_header.clone(), GridStyle::Header);
    g.merge(3, 3, 4, 3, f.natural.clone(), GridStyle::Header);
    g.merge(
        3,
        4,
        3,
        3 + f.legal.len() as u16,
        f.legal_group.clone(),
        GridStyle::Header,
    );
    for (i, l) in f.legal.iter().enumerate() {
        g.put(4, 4 + i as u16, l.clone(), GridStyle::Header);
    }
    g.merge(3, last, 4, last, f.total.clone(), GridStyle::Header);
    g.heights.push((0, 24.0));
    g.heights.push((2, g.fit(&f.applicant_header, 3, last)));
    g.heights.push((3, g.fit(&f.legal_group, 4, 3 + f.legal.len() as u16)));
    let sub = f
        .legal
        .iter()
        .enumerate()
        .map(|(i, l)| g.fit(l, 4 + i as u16, 4 + i as u16));
    g.heights.push((4, sub.fold(0.0, f64::max)));
    let top = 5u32;
    let rows = &f.rows;
    let mut i = 0;
    while i < rows.len() {
        let r = top + i as u32;
        let row = &rows[i];
        if row.section.is_empty() {
            g.merge(r, 0, r, 2, row.text().to_string(), GridStyle::Label);
            i += 1;
            continue;
        }
        let end = (i..rows.len())
            .take_while(|&j| rows[j].section == row.section)
            .last()
            .unwrap_or(i);
        g.merge(r, 0, top + end as u32, 0, row.section.clone(), GridStyle::Label);
        let mut j = i;
        while j <= end {
            let rj = top + j as u32;
            if rows[j].label.is_empty() {
                g.merge(rj, 1, rj, 2, rows[j].group.clone(), GridStyle::Label);
                j += 1;
            } else {
                let gend = (j..=end)
                    .take_while(|&k| rows[k].group == rows[j].group && !rows[k].label.is_empty())
                    .last()
                    .unwrap_or(j);
                g.merge(rj, 1, top + gend as u32, 1, rows[j].group.clone(), GridStyle::Label);
                for (k, row) in rows.iter().enumerate().take(gend + 1).skip(j) {
                    g.put(top + k as u32, 2, row.label.clone(), GridStyle::Label);
                }
                j = gend + 1;
            }
        }
        i = end + 1;
    }
    for (ri, row) in t.t3.iter().enumerate() {
        for (ci, c) in row.iter().enumerate() {
            g.put(top + ri as u32, 3 + ci as u16, value(c), GridStyle::Number);
        }
        // Each row as tall as its own label needs (the merged group and section
        // labels span several rows and fit in them).
        let h = match rows.get(ri) {
            Some(x) if x.section.is_empty() => g.fit(x.text(), 0, 2),
            Some(x) if x.label.is_empty() => g.fit(&x.group, 1, 2),
            Some(x) => g.fit(&x.label, 2, 2),
            None => 0.0,
        };
        g.heights.push((top + ri as u32, h));
    }
    let mut r = top + rows.len() as u32 + 1;
    let mut notes = carried_notes(rules, ds, year, t);
    let mine: Vec<&Broken> = broken.iter().filter(|b| b.table == "表三").collect();
    if mine.is_empty() {
        notes.push("勾稽关系：由台账得出的数字全部成立。".into());
    }
    // A few on the form, all of them on 勾稽关系 (the form stays one page).
    const SHOWN: usize = 4;
    let n = mine.len();
    for b in mine.into_iter().take(if n > SHOWN + 1 { SHOWN } else { n }) {
        notes.push(format!(
            "勾稽关系不成立：{}（{}）：{} ≠ {}",
            b.relation, b.along, b.left, b.right
        ));
    }
    if n > SHOWN + 1 {
        notes.push(format!(
            "另有 {} 处勾稽关系不成立，全部 {n} 处见“勾稽关系”工作表。",
            n - SHOWN
        ));
    }
    for note in notes {
        g.note(r, last, note);
        r += 1;
    }
    g
}

/// Where row 二 (上年结转) comes from, as notes below table 三.
pub fn carried_notes(rules: &Rules, ds: &Dataset, year: i32, t: &Tables) -> Vec<String> {
    let f = &rules.annual;
    let label = f
        .table3
        .rows
        .iter()
        .find(|x| x.role == AnnualRole::Carried)
        .map(|x| x.text())
        .unwrap_or("");
    let sheet = &f.table2.sheet;
    let mut notes = Vec::new();
    match t.carried_source {
        CarriedSource::Ledger => {
            notes.push(format!(
                "“{label}”的来源：输入中本单位{year}年以前收到、{year}年1月1日前未办结的申请（逐件见“数据来源”）。"
            ));
            if let Some((v, src)) = &t.carried_ignored {
                notes.push(format!(
                    "“{sheet}”中的上年结转 {}（{}）与台账得出的不同，未采用：台账中有上一年度的申请时以台账为准。",
                    fmt_num(*v),
                    super::due::where_(src)
                ));
            }
        }
        CarriedSource::Sheet => {
            let at = t.carried_from.as_ref().map(super::due::where_).unwrap_or_default();
            notes.push(format!(
                "“{label}”的来源：“{sheet}”工作表（{at}）的上年结转（输入中没有本单位{year}年以前收到的申请）。"
            ));
            if t.carried_total_only {
                notes.push(format!(
                    "该表只填了上年结转总数，无法分到各类申请人：“{label}”只填总计列，申请人各列留空，请按上一年度报告填写；勾稽关系在这些列上未核对。"
                ));
            }
        }
        CarriedSource::Report => {
            let at = t.carried_report.clone().unwrap_or_default();
            notes.push(format!(
                "“{label}”的来源：上年报表 {at} 的“结转下年度继续办理”（输入中没有本单位{year}年以前收到的申请，“{sheet}”中也没有本单位的上年结转）。"
            ));
        }
        CarriedSource::Unknown => notes.push(format!(
            "上年结转未知：输入中没有本单位{year}年以前收到的申请，“{sheet}”中也没有本单位的上年结转，“{label}”无法得出：请按上一年度报告的“结转下年度继续办理”填写，或在“{sheet}”中填写后重新生成。"
        )),
        CarriedSource::Mixed => {}
    }
    if t.unit.is_none() {
        let count = |s: CarriedSource| t.carried_by_unit.iter().filter(|(_, x)| *x == s).count();
        let unknown: Vec<&str> = t
            .carried_by_unit
            .iter()
            .filter(|(_, x)| *x == CarriedSource::Unknown)
            .map(|(u, _)| ds.registry().name(*u))
            .collect();
        notes.clear();
        notes.push(format!(
            "“{label}”为各单位之和：{} 个单位由台账得出，{} 个单位取自“{sheet}”，{} 个单位取自上年报表，{} 个单位未知。",
            count(CarriedSource::Ledger),
            count(CarriedSource::Sheet),
            count(CarriedSource::Report),
            unknown.len()
        ));
        if !unknown.is_empty() {
            notes.push(format!(
                "上年结转未知的单位：{}。有单位未知时，全县汇总的“{label}”留空。",
                unknown.join("、")
            ));
        }
        if t.carried_total_only {
            notes.push(format!(
                "有单位在“{sheet}”中只填了上年结转总数：全县汇总“{label}”的申请人各列留空。"
            ));
        }
    }
    notes
}

/// Table 四: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉), five columns each.
fn table4(rules: &Rules, year: i32, unit: &str, t: &Tables, broken: &[Broken]) -> Grid {
    let f = &rules.annual.table4;
    let mut g = Grid {
        name: "表四 复议诉讼".into(),
        // Two Han characters a line in Excel and LibreOffice alike: the headers wrap
        // as the official form's do (结果/维持), the form prints near full size.
        widths: vec![5.0; 15],
        portrait: true,
        repeat_rows: Some((0, 4)),
        one_page: true,
        ..Default::default()
    };
    g.merge(
        0,
        0,
        0,
        14,
        format!("{}（{unit}）", title(rules, year)),
        GridStyle::Title,
    );
    g.merge(1, 0, 1, 14, f.title.clone(), GridStyle::Heading);
    g.merge(2, 0, 3, 4, f.review.clone(), GridStyle::Header);
    g.merge(2, 5, 2, 14, f.lawsuit.clone(), GridStyle::Header);
    for (k, col) in f.columns.iter().enumerate() {
        g.put(4, k as u16, col.clone(), GridStyle::Header);
    }
    for (b, name) in [(1u16, &f.direct), (2u16, &f.after_review)] {
        g.merge(3, b * 5, 3, b * 5 + 4, name.clone(), GridStyle::Header);
        for (k, col) in f.columns.iter().enumerate() {
            g.put(4, b * 5 + k as u16, col.clone(), GridStyle::Header);
        }
    }
    g.heights.push((0, 24.0));
    let head = f.columns.iter().map(|c| g.fit(c, 0, 0)).fold(0.0, f64::max);
    g.heights.push((4, head));
    g.heights.push((5, 22.0));
    for (b, block) in t.t4.iter().enumerate() {
        for (k, c) in block.iter().enumerate() {
            g.put(5, (b * 5 + k) as u16, value(c), GridStyle::Number);
        }
    }
    for (r, b) in (7..).zip(broken.iter().filter(|b| b.table == "表四")) {
        let note = format!(
            "勾稽关系不成立：{}（{}）：{} ≠ {}",
            b.relation, b.along, b.left, b.right
        );
        g.note(r, 14, note);
    }
    g
}

/// Every (table, row, column) cell with its label, and its cell, in the tables' order.
pub fn cells<'t>(
    rules: &Rules,
    t: &'t Tables,
) -> Vec<(&'static str, String, String, &'t crate::checks::annual_tables::Cell)> {
    let f = &rules.annual;
    let cols = f.table3.columns();
    let mut out = Vec::new();
    for (ri, row) in t.t3.iter().enumerate() {
        let name = f.table3.rows.get(ri).map(|r| r.full_name()).unwrap_or_default();
        for (ci, c) in row.iter().enumerate() {
            out.push((
                "表三",
                name.clone(),
                cols.get(ci).map(|s| s.to_string()).unwrap_or_default(),
                c,
            ));
        }
    }
    let blocks = f.table4.blocks();
    for (b, block) in t.t4.iter().enumerate() {
        let name = if b == 0 {
            blocks[0].to_string()
        } else {
            format!("{} {}", f.table4.lawsuit, blocks[b])
        };
        for (k, c) in block.iter().enumerate() {
            out.push((
                "表四",
                name.clone(),
                f.table4.columns.get(k).cloned().unwrap_or_default(),
                c,
            ));
        }
    }
    out
}

/// 数据来源: every request row counted in each cell.
fn sources(rules: &Rules, ds: &Dataset, t: &Tables) -> Table {
    let mut s = Table::new(
        "数据来源",
        &[
            "表",
            "行",
            "列",
            "单位",
            "文件",
            "工作表",
            "行号",
            "申请编号",
            "申请人类型",
            "收到日期",
            "答复日期",
            "办理结果",
            "行政复议结果",
            "行政诉讼结果",
        ],
    );
    s.title = vec!["统计表各单元格所计的申请（一行一件；总计行、总计列的申请也在其组成单元格中列出）".into()];
    // 行 holds the row's full name: keep it readable (the layout narrows the other
    // text columns to fit the page).
    s.min_widths = vec![4, 34];
    let reg = ds.registry();
    let f = &rules.annual;
    // The 年报主动公开数据 rows behind table 二 and (when taken from there) row 二.
    let sheet_row = |table: &str, row: String, src: &crate::ingest::Source| -> Vec<Cell> {
        let unit = ds
            .annual_data
            .iter()
            .find(|d| d.src == *src)
            .and_then(|d| d.unit)
            .map(|u| reg.name(u).to_string())
            .unwrap_or_default();
        vec![
            table.into(),
            row.into(),
            "（各列）".into(),
            unit.into(),
            src.file.to_string().into(),
            src.sheet.to_string().into(),
            Cell::from(src.row),
            format!("（{}）", f.table2.sheet).into(),
        ]
    };
    for src in t.t2.iter().flat_map(|t2| t2.sources.iter()) {
        s.push(sheet_row("表二", f.table2.title.clone(), src));
    }
    // 二 from the sheet: the unit's row; for the county, the row of each unit whose 二
    // came from there.
    let label = f
        .table3
        .rows
        .iter()
        .find(|r| r.role == AnnualRole::Carried)
        .map(|r| r.full_name())
        .unwrap_or_default();
    let carried_rows: Vec<&crate::ingest::Source> = match (&t.carried_from, t.unit) {
        (Some(src), _) => vec![src],
        (None, None) => t
            .carried_by_unit
            .iter()
            .filter(|(_, x)| *x == CarriedSource::Sheet)
            .filter_map(|(u, _)| {
                ds.annual_data
                    .iter()
                    .find(|d| d.unit == Some(*u) && !d.duplicate)
                    .map(|d| &d.src)
            })
            .collect(),
        (None, Some(_)) => Vec::new(),
    };
    for src in carried_rows {
        s.push(sheet_row("表三", label.clone(), src));
    }
    for (table, row, col, c) in cells(rules, t) {
        // Table 三's rows without their section, to keep the column narrow.
        let row = f
            .table3
            .rows
            .iter()
            .find(|r| table == "表三" && r.full_name() == row)
            .map(|r| r.short_name())
            .unwrap_or(row);
        for &i in &c.rows {
            let Some(r) = ds.requests.get(i) else { continue };
            s.push(vec![
                table.into(),
                row.clone().into(),
                col.clone().into(),
                r.unit.map(|u| reg.name(u).to_string()).unwrap_or_default().into(),
                r.src.file.to_string().into(),
                r.src.sheet.to_string().into(),
                Cell::from(r.src.row),
                r.number.clone().into(),
                r.applicant.clone().into(),
                r.received.into(),
                r.answered.into(),
                r.result.clone().into(),
                r.review.clone().into(),
                r.lawsuit.clone().into(),
            ]);
        }
    }
    s
}

/// 勾稽关系: each relation that does not hold, with the rows on one side only.
fn relations(ds: &Dataset, broken: &[Broken]) -> Table {
    let mut t = Table::new(
        "勾稽关系",
        &["表", "关系", "列或行", "左边", "右边", "只在一边计入的申请"],
    );
    t.title = vec!["由台账得出的统计表中不成立的勾稽关系（没有列出的都成立）".into()];
    for b in broken {
        t.push(vec![
            b.table.into(),
            b.relation.clone().into(),
            b.along.clone().into(),
            b.left.into(),
            b.right.into(),
            rows_text(ds, &b.rows).into(),
        ]);
    }
    t
}

/// Rows as `文件 / 工作表 第 n 行（编号）`, one a line.
pub fn rows_text(ds: &Dataset, rows: &[usize]) -> String {
    rows.iter()
        .filter_map(|&i| ds.requests.get(i))
        .map(|r| {
            let n = if r.number.is_empty() {
                String::new()
            } else {
                format!("（{}）", r.number)
            };
            format!("{}{n}", super::due::where_(&r.src))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The workbook of one unit (or of the county).
pub fn workbook(
    rules: &Rules,
    ds: &Dataset,
    year: i32,
    t: &Tables,
    broken: &[Broken],
    problems: &[&Problem],
) -> Vec<Sheet> {
    let unit = unit_name(ds, t);
    let mut out = vec![
        Sheet::Grid(table2(rules, ds, year, unit, t)),
        Sheet::Grid(table3(rules, ds, year, unit, t, broken)),
        Sheet::Grid(table4(rules, year, unit, t, broken)),
        Sheet::Table(Box::new(sources(rules, ds, t))),
        Sheet::Table(Box::new(relations(ds, broken))),
    ];
    let mut p = super::books::problems_list(ds.registry(), problems.iter().copied());
    p.name = "数据问题".into();
    out.push(Sheet::Table(Box::new(p)));
    out
}

fn request_json(r: &Request) -> Value {
    let mut v = source(&r.src);
    if let Value::Object(m) = &mut v {
        m.insert("number".into(), json!(r.number));
    }
    v
}

fn tables_json(rules: &Rules, ds: &Dataset, t: &Tables, broken: &[Broken]) -> Value {
    let f = &rules.annual;
    let cols = f.table3.columns();
    let rows_of = |rows: &[usize]| -> Vec<Value> {
        rows.iter()
            .filter_map(|&i| ds.requests.get(i))
            .map(request_json)
            .collect()
    };
    let cell = |c: &crate::checks::annual_tables::Cell| json!({"value": c.value, "rows": rows_of(&c.rows)});
    let t3: Vec<Value> =
        t.t3.iter()
            .enumerate()
            .map(|(ri, row)| {
                let r = &f.table3.rows[ri];
                let cells: serde_json::Map<String, Value> = row
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| (cols[ci].to_string(), cell(c)))
                    .collect();
                json!({"id": r.id, "label": r.full_name(), "cells": cells})
            })
            .collect();
    let blocks = f.table4.blocks();
    let t4: Vec<Value> =
        t.t4.iter()
            .enumerate()
            .map(|(b, block)| {
                let cells: serde_json::Map<String, Value> = block
                    .iter()
                    .enumerate()
                    .map(|(k, c)| (f.table4.columns[k].clone(), cell(c)))
                    .collect();
                json!({"block": blocks[b], "cells": cells})
            })
            .collect();
    let broken: Vec<Value> = broken
        .iter()
        .map(|b| json!({"table": b.table, "relation": b.relation, "along": b.along, "left": b.left, "right": b.right, "rows": rows_of(&b.rows)}))
        .collect();
    let t2_rows: Vec<Value> = f
        .table2
        .rows()
        .enumerate()
        .map(|(i, (r, headers))| {
            let cells: serde_json::Map<String, Value> = headers
                .iter()
                .enumerate()
                .map(|(c, h)| {
                    let v = t.t2.as_ref().and_then(|t2| t2.cells.get(i)?.get(c).copied().flatten());
                    (h.clone(), json!(v))
                })
                .collect();
            json!({"id": r.id, "label": r.label, "cells": cells})
        })
        .collect();
    let table2 = json!({
        "source": if t.t2.is_some() { "sheet" } else { "absent" },
        "from": t.t2.as_ref().map(|t2| t2.sources.iter().map(source).collect::<Vec<_>>()).unwrap_or_default(),
        "missing_units": t.t2_missing.iter().map(|u| ds.registry().name(*u)).collect::<Vec<_>>(),
        "rows": t2_rows,
    });
    json!({
        "unit": unit_name(ds, t),
        "carried_unknown": t.carried_unknown,
        "carried_source": t.carried_source.code(),
        "carried_from": t.carried_from.as_ref().map(source),
        "carried_total_only": t.carried_total_only,
        "table2": table2,
        "table3": t3,
        "table4": t4,
        "broken": broken,
    })
}

/// The relations a ledger table breaks.
pub fn broken_of(rules: &Rules, t: &Tables) -> Vec<Broken> {
    crate::checks::annual_tables::broken(rules, &figures(&t.t3), &figures(&t.t4), Some(t))
}

/// The `--format json` document of `hrgk annual`.
pub fn json(rules: &Rules, ds: &Dataset, report: &Report, files: &[(String, String)]) -> Value {
    let units: Vec<Value> = report
        .units
        .iter()
        .map(|t| tables_json(rules, ds, t, &broken_of(rules, t)))
        .collect();
    let county = report
        .county
        .as_ref()
        .map(|t| tables_json(rules, ds, t, &broken_of(rules, t)));
    let problems: Vec<Value> = report
        .problems
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("unit".into(), json!(p.unit.map(|u| ds.registry().name(u))));
            }
            v
        })
        .collect();
    let files: Vec<Value> = files.iter().map(|(u, p)| json!({"unit": u, "path": p})).collect();
    json!({
        "tool": super::json::tool(rules),
        "year": report.year,
        "units": units,
        "county": county,
        "problems": problems,
        "written": files,
    })
}

/// The terminal summary: per unit 一, 二, 三（七）, 四 in 总计 and the relations broken.
pub fn terminal(rules: &Rules, ds: &Dataset, report: &Report) -> String {
    let f = &rules.annual.table3;
    let pos = |role: AnnualRole| f.rows.iter().position(|r| r.role == role).unwrap_or(0);
    let mut t = super::table::new_table(
        &[
            "单位",
            "本年新收",
            "上年结转",
            "办理结果总计",
            "结转下年",
            "复议",
            "诉讼",
            "勾稽不成立",
        ],
        None,
    );
    let last = f.columns().len() - 1;
    let fmt = |c: &crate::checks::annual_tables::Cell| c.value.map(|v| v.to_string()).unwrap_or_else(|| "未知".into());
    for tb in report.units.iter().chain(report.county.iter()) {
        let v = |role| fmt(&tb.t3[pos(role)][last]);
        let lawsuits = tb.t4[1][4].value.unwrap_or(0) + tb.t4[2][4].value.unwrap_or(0);
        t.add_row(vec![
            unit_name(ds, tb).to_string(),
            v(AnnualRole::New),
            v(AnnualRole::Carried),
            v(AnnualRole::Total),
            v(AnnualRole::Pending),
            fmt(&tb.t4[0][4]),
            lawsuits.to_string(),
            broken_of(rules, tb).len().to_string(),
        ]);
    }
    let mut s = format!("{}\n{t}\n", title(rules, report.year));
    let unclassified = report
        .problems
        .iter()
        .filter(|p| p.kind == crate::ingest::ProblemKind::ResultUnclassified)
        .count();
    if unclassified > 0 {
        s.push_str(&format!(
            "办理结果无法计入统计表具体行的申请：{unclassified} 件（见各单位工作簿“数据问题”或 --format json 的 problems）\n"
        ));
    }
    let sheet = report.problems.len() - unclassified;
    if sheet > 0 {
        s.push_str(&format!(
            "“{}”中的问题：{sheet} 个（有问题的数字未采用；见各单位工作簿“数据问题”或 --format json 的 problems）\n",
            rules.annual.table2.sheet
        ));
    }
    let with_t2 = report.units.iter().filter(|t| t.t2.is_some()).count();
    s.push_str(&format!(
        "表二（主动公开政府信息情况）：{with_t2} 个单位取自“{}”，其余单位留空。\n",
        rules.annual.table2.sheet
    ));
    s
}
