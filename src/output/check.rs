//! `hrgk check` results: per file, which ledgers were recognised, rows per unit, and
//! every data problem — as plain Chinese text, JSON, or a workbook.

use serde_json::{json, Value};

use crate::ingest::Dataset;
use crate::output::xlsx::{Cell, Table};

/// Whether a file has any recognised ledger sheet.
fn recognised(f: &crate::ingest::FileInfo) -> bool {
    f.sheets.iter().any(|s| s.ledger.is_some())
}

/// A template (`hrgk template`) with not one data row.
fn blank_template(f: &crate::ingest::FileInfo) -> bool {
    f.template && f.sheets.iter().all(|s| s.rows == 0)
}

/// Files that were read but hold no ledger at all (a blank template counts).
pub fn files_without_ledger(ds: &Dataset) -> usize {
    ds.files
        .iter()
        .filter(|f| f.error.is_none() && f.duplicate_of.is_none() && (!recognised(f) || blank_template(f)))
        .count()
}

/// One line per file that could not be read, for stderr: `错误：无法读取 路径：原因`.
pub fn errors(ds: &Dataset) -> String {
    ds.files
        .iter()
        .filter_map(|f| f.error.as_ref().map(|e| format!("错误：无法读取 {}：{e}\n", f.path)))
        .collect()
}

/// The report for stdout. Files that could not be read are listed without their
/// reason, which `errors` gives on stderr.
pub fn terminal(ds: &Dataset) -> String {
    let reg = ds.registry();
    let rows = ds.rows_per_unit();
    let mut out = String::new();
    for f in &ds.files {
        out.push_str(&format!("\n文件：{}\n", f.path));
        if f.error.is_some() {
            // The reason goes to stderr (`errors`), as every command prints errors.
            out.push_str("  无法读取（原因见错误输出）\n");
            continue;
        }
        if let Some(first) = &f.duplicate_of {
            out.push_str(&format!("  与 {first} 内容完全相同，只读取一次\n"));
            continue;
        }
        if blank_template(f) {
            out.push_str("  模板未填写：没有任何数据行，请在各台账工作表中逐行填写后再检查\n");
        } else if !recognised(f) {
            out.push_str("  没有找到可识别的台账：请对照 hrgk template 生成的模板检查表头\n");
        }
        for s in &f.sheets {
            match s.ledger {
                Some(_) => {
                    out.push_str(&format!(
                        "  工作表“{}”{}：{}（表头在第 {} 行），读取 {} 行\n",
                        s.name,
                        hidden_mark(s),
                        s.ledger_name,
                        s.header_row.unwrap_or(0),
                        s.rows
                    ));
                    if let Some(units) = rows.get(&(f.path.clone(), s.name.clone())) {
                        for (u, n) in units {
                            let name = u
                                .map(|u| reg.name(u).to_string())
                                .unwrap_or_else(|| "（单位不明）".into());
                            out.push_str(&format!("      {name}：{n} 行\n"));
                        }
                    }
                }
                None => out.push_str(&format!(
                    "  工作表“{}”{}：未识别 —— {}{}\n",
                    s.name,
                    hidden_mark(s),
                    s.reason,
                    if s.headers_seen.is_empty() {
                        String::new()
                    } else {
                        format!("；看到的列名：{}", s.headers_seen.join("、"))
                    }
                )),
            }
        }
        let probs: Vec<_> = ds
            .problems
            .iter()
            .filter(|p| p.file == f.path && p.row.is_some())
            .collect();
        if probs.is_empty() {
            out.push_str("  没有发现数据问题\n");
        } else {
            out.push_str(&format!("  数据问题 {} 个：\n", probs.len()));
            for p in probs {
                let col = match p.cell.trim_end_matches(|c: char| c.is_ascii_digit()) {
                    "" => format!("“{}”列", p.column),
                    letter => format!("{letter} 列（{}）", p.column),
                };
                out.push_str(&format!(
                    "    工作表“{}”第 {} 行 {}，值“{}”：{}\n",
                    p.sheet,
                    p.row.unwrap_or(0),
                    col,
                    p.value,
                    p.message
                ));
            }
        }
    }
    for sk in &ds.skipped_files {
        out.push_str(&format!("\n文件：{}\n  已跳过：{}\n", sk.path, sk.reason));
    }
    let problems = ds.problems.iter().filter(|p| p.kind.is_data()).count();
    let unreadable = ds.files.iter().filter(|f| f.error.is_some()).count();
    out.push_str(&format!(
        "\n共 {} 个文件：数据问题 {} 个，无法读取的文件 {} 个，没有台账的文件 {} 个\n",
        ds.files.len(),
        problems,
        unreadable,
        files_without_ledger(ds)
    ));
    if problems == 0 && unreadable == 0 && files_without_ledger(ds) == 0 {
        out.push_str("检查通过，可以上交。\n");
    } else {
        out.push_str("请按上面的说明修改后重新检查。\n");
    }
    out
}

pub fn json(ds: &Dataset) -> Value {
    let reg = ds.registry();
    let rows = ds.rows_per_unit();
    let files: Vec<Value> = ds
        .files
        .iter()
        .map(|f| {
            let sheets: Vec<Value> = f
                .sheets
                .iter()
                .map(|s| {
                    let units: Vec<Value> = rows
                        .get(&(f.path.clone(), s.name.clone()))
                        .map(|v| {
                            v.iter()
                                .map(|(u, n)| json!({"unit": u.map(|u| reg.name(u)), "rows": n}))
                                .collect()
                        })
                        .unwrap_or_default();
                    json!({
                        "name": s.name, "ledger": s.ledger, "ledger_name": s.ledger_name,
                        "header_row": s.header_row, "rows": s.rows, "units": units,
                        "reason": s.reason, "headers_seen": s.headers_seen, "hidden": s.hidden,
                    })
                })
                .collect();
            let problems: Vec<Value> = ds
                .problems
                .iter()
                .filter(|p| p.file == f.path)
                .map(|p| {
                    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
                    if let Value::Object(m) = &mut v {
                        m.insert("unit".into(), json!(p.unit.map(|u| reg.name(u))));
                    }
                    v
                })
                .collect();
            json!({"path": f.path, "sha256": f.sha256, "error": f.error, "sheets": sheets, "problems": problems})
        })
        .collect();
    json!({
        "files": files,
        "problems": ds.problems.iter().filter(|p| p.kind.is_data()).count(),
        "unreadable": ds.files.iter().filter(|f| f.error.is_some()).count(),
        "files_without_ledger": files_without_ledger(ds),
    })
}

/// The workbook: 数据问题 and 工作表识别情况.
pub fn tables(ds: &Dataset) -> Vec<Table> {
    let mut sheets = Table::new(
        "工作表识别情况",
        &[
            "文件",
            "工作表",
            "识别为",
            "表头行",
            "读取行数",
            "未识别原因",
            "看到的列名",
        ],
    );
    for f in &ds.files {
        if let Some(e) = &f.error {
            sheets.push(vec![
                f.path.clone().into(),
                Cell::Empty,
                "无法读取".into(),
                Cell::Empty,
                Cell::Empty,
                e.to_string().into(),
                Cell::Empty,
            ]);
        }
        for s in &f.sheets {
            sheets.push(vec![
                f.path.clone().into(),
                format!("{}{}", s.name, hidden_mark(s)).into(),
                if s.ledger.is_some() {
                    s.ledger_name.clone()
                } else {
                    "未识别".into()
                }
                .into(),
                s.header_row.map(Cell::from).unwrap_or(Cell::Empty),
                s.rows.into(),
                s.reason.clone().into(),
                s.headers_seen.join("、").into(),
            ]);
        }
    }
    vec![crate::output::books::problems_of(ds), sheets]
}

/// "（隐藏）" after the name of a hidden sheet: read and counted all the same.
pub fn hidden_mark(s: &crate::ingest::SheetInfo) -> &'static str {
    if s.hidden {
        "（隐藏）"
    } else {
        ""
    }
}
