//! Tables 三 and 四 of the 政府信息公开工作年度报告 as units wrote them: found by their
//! row and column labels (rules/annual_report.toml) anywhere on any sheet, not by fixed
//! cells — row labels with or without their numbering, whitespace and full-width forms
//! folded, merged header cells read from their top-left cell. Each table's unit comes
//! from the text above it (a title or a 单位 cell), else the sheet name, else the file
//! name, resolved through the unit registry like every other input. What cannot be
//! found or placed is a problem naming the file and sheet.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;

use super::units::{UnitId, UnitRegistry};
use super::workbook::{self, Row, Sheet, Value};
use crate::rules::Rules;
use crate::text;

/// The name hrgk gives the county's sum (file names, titles).
pub const COUNTY_SUM: &str = "全县汇总";

/// Whose tables these are: a unit, or the county's sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    County,
    Unit(UnitId),
}

impl Owner {
    pub fn unit(self) -> Option<UnitId> {
        match self {
            Owner::Unit(u) => Some(u),
            Owner::County => None,
        }
    }
}

/// One figure as written: its value (None: not a number) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub value: Option<u32>,
    /// Cell reference such as D6.
    pub cell: String,
    /// The cell as written (for messages).
    pub text: String,
}

/// A table found: its sheet and its figures (rows × columns in the rules' order; None
/// where the row or column label was not found).
#[derive(Debug, Clone)]
pub struct TableRead {
    pub file: String,
    pub sheet: String,
    pub cells: Vec<Vec<Option<Written>>>,
}

impl TableRead {
    /// The figures (None where not found or not a number).
    pub fn figures(&self) -> Vec<Vec<Option<u32>>> {
        self.cells
            .iter()
            .map(|r| r.iter().map(|c| c.as_ref().and_then(|w| w.value)).collect())
            .collect()
    }
}

/// The tables of one unit (or of the county).
#[derive(Debug, Clone)]
pub struct UnitTables {
    pub owner: Owner,
    pub t3: Option<TableRead>,
    pub t4: Option<TableRead>,
}

/// Problem codes (stable: JSON `code`).
pub const NOT_FOUND: &str = "table-not-found";
pub const UNIT_UNKNOWN: &str = "table-unit-unknown";
pub const LABEL: &str = "table-label";
pub const NOT_NUMBER: &str = "table-not-number";
pub const DUPLICATE: &str = "table-duplicate";
pub const UNREADABLE: &str = "file-unreadable";

/// A problem with the tables as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    pub code: &'static str,
    pub owner: Option<Owner>,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub message: String,
}

impl TableProblem {
    /// A fault of the table's format (G1 格式不规范): a table missing, a label that
    /// differs, a figure that is not a number. (An unreadable file or a table whose unit
    /// cannot be told is not the unit's format.)
    pub fn is_format(&self) -> bool {
        matches!(self.code, NOT_FOUND | LABEL | NOT_NUMBER)
    }
}

/// Everything read from the tables' files.
#[derive(Debug, Default)]
pub struct Read {
    pub tables: Vec<UnitTables>,
    pub problems: Vec<TableProblem>,
    /// Files read.
    pub files: Vec<String>,
}

/// A label in the form labels are compared in: full-width folded, whitespace and
/// punctuation removed, a leading numbering (一、 （三） 1. (2)) removed.
pub fn norm(s: &str) -> String {
    let f = text::fold_punct(s);
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let rest = f.trim_start_matches(numeral);
    if rest.is_empty() {
        f
    } else {
        rest.to_string()
    }
}

/// The forms a label is recognised in: itself, and without a parenthetical remark.
fn forms(label: &str) -> Vec<String> {
    let mut v = vec![norm(label)];
    let h = text::half(label);
    let short = h.match_indices('(').map(|(i, _)| norm(&h[..i])).find(|s| !s.is_empty());
    if let Some(short) = short {
        if !v.contains(&short) {
            v.push(short);
        }
    }
    v
}

fn texts(row: &Row) -> impl Iterator<Item = (u32, String)> + '_ {
    row.cells.iter().filter_map(|(c, v)| match v.text() {
        Some(s) if !text::clean(s).is_empty() => Some((*c, norm(s))),
        _ => None,
    })
}

/// The column of a cell of the row that reads as one of `forms` (exactly, or ending in
/// a form of four characters or more: a group and its item in one cell).
fn find_label(row: &Row, forms: &[String]) -> Option<u32> {
    texts(row)
        .find(|(_, t)| {
            forms
                .iter()
                .any(|f| t == f || (f.chars().count() >= 4 && t.ends_with(f.as_str())))
        })
        .map(|(c, _)| c)
}

fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", text::column_letter(col), row + 1)
}

/// A figure: a whole number ≥ 0; an empty cell or a dash is 0.
fn figure(v: &Value) -> Option<u32> {
    match v {
        Value::Empty => Some(0),
        Value::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e9 => Some(*n as u32),
        Value::Text(_) | Value::Shared(_) => {
            let t = text::fold(v.text().unwrap_or(""));
            if t.is_empty() || ["-", "—", "/", "无"].contains(&t.as_str()) {
                Some(0)
            } else {
                t.parse::<u32>().ok()
            }
        }
        _ => None,
    }
}

fn written(sheet: &Sheet, row: u32, col: u32) -> Written {
    let v = sheet
        .rows
        .iter()
        .find(|r| r.index == row)
        .map(|r| r.get(col).clone())
        .unwrap_or(Value::Empty);
    Written {
        value: figure(&v),
        cell: cell_ref(row, col),
        text: v.display(),
    }
}

/// A table found on a sheet: its figures, its first row (title area ends there) and
/// the problems with its labels and figures.
struct Hit {
    top: u32,
    /// Its last row.
    bottom: u32,
    cells: Vec<Vec<Option<Written>>>,
    problems: Vec<(String, String)>,
}

/// Table 三 on a sheet, from each row that reads 一、本年新收政府信息公开申请数量.
fn find3(sheet: &Sheet, rules: &Rules) -> Vec<Hit> {
    let f = &rules.annual.table3;
    let row_forms: Vec<Vec<String>> = f.rows.iter().map(|r| forms(r.text())).collect();
    let col_forms: Vec<Vec<String>> = f.columns().iter().map(|c| forms(c)).collect();
    let rows = &sheet.rows;
    let mut hits = Vec::new();
    for (ai, anchor) in rows.iter().enumerate() {
        let Some(first_col) = find_label(anchor, &row_forms[0]) else {
            continue;
        };
        // Column headers: in the rows above, right of the labels.
        let above = &rows[ai.saturating_sub(8)..ai];
        let mut cols: Vec<Option<(u32, u32)>> = vec![None; col_forms.len()];
        for r in above {
            for (c, t) in texts(r) {
                if c <= first_col {
                    continue;
                }
                for (k, fs) in col_forms.iter().enumerate() {
                    if cols[k].is_none() && fs.contains(&t) && !cols.iter().flatten().any(|(_, cc)| *cc == c) {
                        cols[k] = Some((r.index, c));
                        break;
                    }
                }
            }
        }
        if cols.iter().flatten().count() < 4 {
            continue;
        }
        // Row labels in order, each within a few rows of the one before.
        let mut at: Vec<Option<u32>> = vec![None; f.rows.len()];
        at[0] = Some(anchor.index);
        let mut pos = ai;
        for (k, fs) in row_forms.iter().enumerate().skip(1) {
            if let Some(j) = (pos + 1..rows.len().min(pos + 4)).find(|&j| find_label(&rows[j], fs).is_some()) {
                at[k] = Some(rows[j].index);
                pos = j;
            }
        }
        if at.iter().flatten().count() * 2 < f.rows.len() {
            continue;
        }
        let mut problems = Vec::new();
        let headers = f.columns();
        for (k, c) in cols.iter().enumerate() {
            if c.is_none() {
                problems.push((
                    String::new(),
                    format!("表三找不到列“{}”（列标签须与正式格式一致）", headers[k]),
                ));
            }
        }
        for (k, r) in at.iter().enumerate() {
            if r.is_none() {
                problems.push((
                    String::new(),
                    format!("表三找不到行“{}”（行标签须与正式格式一致）", f.rows[k].full_name()),
                ));
            }
        }
        let cells: Vec<Vec<Option<Written>>> = at
            .iter()
            .map(|r| {
                cols.iter()
                    .map(|c| match (r, c) {
                        (Some(r), Some((_, c))) => Some(written(sheet, *r, *c)),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        for (k, row) in cells.iter().enumerate() {
            for (ci, w) in row.iter().enumerate() {
                if let Some(w) = w.as_ref().filter(|w| w.value.is_none()) {
                    problems.push((
                        w.cell.clone(),
                        format!(
                            "表三“{}”“{}”列的“{}”不是数字",
                            f.rows[k].full_name(),
                            headers[ci],
                            w.text
                        ),
                    ));
                }
            }
        }
        let top = cols.iter().flatten().map(|(r, _)| *r).min().unwrap_or(anchor.index);
        let bottom = at.iter().flatten().copied().max().unwrap_or(anchor.index);
        hits.push(Hit {
            top,
            bottom,
            cells,
            problems,
        });
    }
    hits
}

/// Table 四 on a sheet, from each row that holds the five column labels three times.
fn find4(sheet: &Sheet, rules: &Rules) -> Vec<Hit> {
    let f = &rules.annual.table4;
    let col_forms: Vec<Vec<String>> = f.columns.iter().map(|c| forms(c)).collect();
    let rows = &sheet.rows;
    let mut hits = Vec::new();
    for (hi, header) in rows.iter().enumerate() {
        let labelled: Vec<(u32, usize)> = texts(header)
            .filter_map(|(c, t)| col_forms.iter().position(|fs| fs.contains(&t)).map(|k| (c, k)))
            .collect();
        if labelled.len() < 5 {
            continue;
        }
        let mut problems = Vec::new();
        let in_order = labelled.len() == 15 && labelled.iter().enumerate().all(|(i, (_, k))| *k == i % 5);
        let blocks: Vec<String> = f.blocks().iter().map(|b| norm(b)).collect();
        let above: Vec<String> = rows[hi.saturating_sub(3)..hi]
            .iter()
            .flat_map(|r| texts(r).map(|(_, t)| t))
            .collect();
        for (name, n) in f
            .blocks()
            .iter()
            .zip(&blocks)
            .chain([(&f.lawsuit.as_str(), &norm(&f.lawsuit))])
        {
            if !above.iter().any(|t| t == n) {
                problems.push((String::new(), format!("表四找不到“{name}”（表头须与正式格式一致）")));
            }
        }
        // The figures: the first row below with something in those columns.
        let data = rows[hi + 1..]
            .iter()
            .take(3)
            .find(|r| labelled.iter().any(|(c, _)| !r.get(*c).is_empty()));
        let bottom = data.map(|r| r.index).unwrap_or(header.index + 1);
        let cells: Vec<Vec<Option<Written>>> = if in_order {
            (0..3)
                .map(|b| {
                    (0..5)
                        .map(|k| {
                            let c = labelled[b * 5 + k].0;
                            Some(match data {
                                Some(r) => written(sheet, r.index, c),
                                None => written(sheet, header.index + 1, c),
                            })
                        })
                        .collect()
                })
                .collect()
        } else {
            problems.push((
                cell_ref(header.index, labelled[0].0),
                format!(
                    "表四的列不是“{}”依次三组（共15列）：无法读取表四的数字",
                    f.columns.join("、")
                ),
            ));
            vec![vec![None; 5]; 3]
        };
        for (b, block) in cells.iter().enumerate() {
            for (k, w) in block.iter().enumerate() {
                if let Some(w) = w.as_ref().filter(|w| w.value.is_none()) {
                    problems.push((
                        w.cell.clone(),
                        format!("表四“{}”“{}”列的“{}”不是数字", f.blocks()[b], f.columns[k], w.text),
                    ));
                }
            }
        }
        let top = rows[hi.saturating_sub(2)..=hi]
            .first()
            .map(|r| r.index)
            .unwrap_or(header.index);
        hits.push(Hit {
            top,
            bottom,
            cells,
            problems,
        });
    }
    hits
}

/// Words of a report's titles that read like a unit's name to the registry.
const REPORT_WORDS: &[&str] = &["统计部分", "统计表", "统计数据", "统计情况"];

/// Whose table: the text above it on the sheet (below the table before it), the owner
/// of the table before it on the sheet, the sheet's first rows, the sheet name, then the
/// file name.
fn owner(reg: &UnitRegistry, sheet: &Sheet, top: u32, from: u32, before: Option<Owner>, stem: &str) -> Option<Owner> {
    let of = |t: &str| -> Option<Owner> {
        // A report's own words (统计部分, 统计表) are not the 统计局.
        let mut t = text::fold(t);
        for w in REPORT_WORDS {
            t = t.replace(w, "");
        }
        let t = t.as_str();
        if let Some(u) = reg.find_in_text(t) {
            return Some(Owner::Unit(u));
        }
        text::fold(t).contains(COUNTY_SUM).then_some(Owner::County)
    };
    let cells = |lo: u32, hi: u32| -> Vec<String> {
        sheet
            .rows
            .iter()
            .filter(|r| r.index >= lo && r.index < hi)
            .flat_map(texts_raw)
            .collect()
    };
    cells(from, top)
        .iter()
        .rev()
        .find_map(|t| of(t))
        .or(before)
        .or_else(|| cells(0, 3.min(top)).iter().rev().find_map(|t| of(t)))
        .or_else(|| of(&sheet.name))
        .or_else(|| of(stem))
}

fn texts_raw(row: &Row) -> impl Iterator<Item = String> + '_ {
    row.cells.iter().filter_map(|(_, v)| match v.text() {
        Some(s) if !text::clean(s).is_empty() => Some(s.to_string()),
        _ => None,
    })
}

/// Reads tables 三 and 四 from files or folders (folders walked like the ledgers).
pub fn read(paths: &[PathBuf], rules: &Rules, reg: &UnitRegistry) -> Result<Read> {
    let (files, _, _) = super::collect_inputs(paths)?;
    let mut out = Read::default();
    let mut by_owner: BTreeMap<Owner, UnitTables> = BTreeMap::new();
    let mut order: Vec<Owner> = Vec::new();
    for p in &files {
        let file = p.display().to_string();
        out.files.push(file.clone());
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let sheets = match std::fs::read(p)
            .map_err(|e| super::FileError::open(&e))
            .and_then(|b| workbook::read(p, &b))
        {
            Ok(s) => s,
            Err(e) => {
                out.problems.push(TableProblem {
                    code: UNREADABLE,
                    owner: None,
                    file: file.clone(),
                    sheet: String::new(),
                    cell: String::new(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let mut found = 0;
        for sheet in &sheets {
            let mut hits: Vec<(bool, Hit)> = find3(sheet, rules).into_iter().map(|h| (true, h)).collect();
            hits.extend(find4(sheet, rules).into_iter().map(|h| (false, h)));
            hits.sort_by_key(|(_, h)| h.top);
            let mut from = 0;
            let mut before = None;
            for (is3, hit) in hits {
                found += 1;
                let name = if is3 { "表三" } else { "表四" };
                let who = owner(reg, sheet, hit.top, from, before, &stem);
                from = hit.bottom + 1;
                before = who;
                for (cell, message) in &hit.problems {
                    out.problems.push(TableProblem {
                        code: if cell.is_empty() || message.contains("的列不是") {
                            LABEL
                        } else {
                            NOT_NUMBER
                        },
                        owner: who,
                        file: file.clone(),
                        sheet: sheet.name.clone(),
                        cell: cell.clone(),
                        message: message.clone(),
                    });
                }
                let Some(who) = who else {
                    out.problems.push(TableProblem {
                        code: UNIT_UNKNOWN,
                        owner: None,
                        file: file.clone(),
                        sheet: sheet.name.clone(),
                        cell: String::new(),
                        message: format!(
                            "找到了{name}，但看不出是哪个单位的：请在表格上方的标题或“单位”一栏写明单位名称，或在文件名中写明"
                        ),
                    });
                    continue;
                };
                let e = by_owner.entry(who).or_insert_with(|| {
                    order.push(who);
                    UnitTables {
                        owner: who,
                        t3: None,
                        t4: None,
                    }
                });
                let slot = if is3 { &mut e.t3 } else { &mut e.t4 };
                let table = TableRead {
                    file: file.clone(),
                    sheet: sheet.name.clone(),
                    cells: hit.cells,
                };
                match slot {
                    Some(first) => out.problems.push(TableProblem {
                        code: DUPLICATE,
                        owner: Some(who),
                        file: file.clone(),
                        sheet: sheet.name.clone(),
                        cell: String::new(),
                        message: format!(
                            "本单位的{name}已在 {} 工作表“{}”中找到，这一份未核对",
                            first.file, first.sheet
                        ),
                    }),
                    None => *slot = Some(table),
                }
            }
        }
        if found == 0 {
            let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
            out.problems.push(TableProblem {
                code: NOT_FOUND,
                owner: None,
                file: file.clone(),
                sheet: names.join("、"),
                cell: String::new(),
                message: format!(
                    "文件中找不到年度报告统计表三或表四（按“{}”等行标签和“{}”等列标签查找）",
                    rules.annual.table3.rows.first().map(|r| r.text()).unwrap_or(""),
                    rules.annual.table4.columns.join("、")
                ),
            });
        }
    }
    out.tables = order.into_iter().filter_map(|o| by_owner.remove(&o)).collect();
    // A unit with one table and not the other, named in the file of the one found.
    for t in &out.tables {
        let missing = match (&t.t3, &t.t4) {
            (Some(x), None) => Some((x, "表四", rules.annual.table4.title.as_str())),
            (None, Some(x)) => Some((x, "表三", rules.annual.table3.title.as_str())),
            _ => None,
        };
        if let Some((found, name, title)) = missing {
            out.problems.push(TableProblem {
                code: NOT_FOUND,
                owner: Some(t.owner),
                file: found.file.clone(),
                sheet: String::new(),
                cell: String::new(),
                message: format!("找不到本单位的{name}（{title}）：行、列标签须与正式格式一致"),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold_numbering_spaces_and_full_width() {
        assert_eq!(norm("一、本年新收政府信息公开申请数量"), "本年新收政府信息公开申请数量");
        assert_eq!(norm("（三）不予公开"), "不予公开");
        assert_eq!(norm("(三) 不予公开"), "不予公开");
        assert_eq!(norm("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(norm("１． 属于 国家秘密"), "属于国家秘密");
        assert_eq!(norm("3.危及“三安全一稳定”"), norm("危及\"三安全一稳定\""));
        assert_eq!(norm("总计"), "总计");
        assert_eq!(
            forms("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            ["部分公开区分处理的只计这一情形不计其他情形", "部分公开"]
        );
    }

    #[test]
    fn figures_empty_and_dashes_are_zero_text_is_not_a_number() {
        assert_eq!(figure(&Value::Empty), Some(0));
        assert_eq!(figure(&Value::Number(3.0)), Some(3));
        assert_eq!(figure(&Value::Text("１２".into())), Some(12));
        assert_eq!(figure(&Value::Text("—".into())), Some(0));
        assert_eq!(figure(&Value::Text("三".into())), None);
        assert_eq!(figure(&Value::Number(2.5)), None);
    }
}
