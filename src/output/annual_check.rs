//! `hrgk annual check` outputs: the figures units wrote that differ from the ledger,
//! the 勾稽 relations their own figures break, the tables that could not be found or
//! placed — as a terminal summary, a workbook and a JSON document.

use serde_json::{json, Value};

use super::xlsx::{Cell, Table};
use crate::checks::annual_tables::{Broken, Difference, Tables};
use crate::ingest::report_tables::{Owner, TableProblem, TableRead, UnitTables, COUNTY_SUM};
use crate::ingest::Dataset;
use crate::rules::Rules;

/// One unit's tables as written, the ledger's, and what differs.
#[derive(Debug)]
pub struct Checked {
    pub tables: UnitTables,
    pub ledger: Tables,
    pub differences: Vec<Difference>,
    pub broken: Vec<Broken>,
}

#[derive(Debug)]
pub struct Result {
    pub year: i32,
    pub units: Vec<Checked>,
    pub problems: Vec<TableProblem>,
    /// Files of tables read.
    pub files: Vec<String>,
}

impl Result {
    /// Nothing differs, nothing is broken, nothing could not be found or placed.
    pub fn agree(&self) -> bool {
        self.problems.is_empty()
            && self
                .units
                .iter()
                .all(|u| u.differences.is_empty() && u.broken.is_empty())
    }
}

pub fn owner_name(ds: &Dataset, o: Option<Owner>) -> String {
    match o {
        Some(Owner::Unit(u)) => ds.registry().name(u).to_string(),
        Some(Owner::County) => COUNTY_SUM.to_string(),
        None => String::new(),
    }
}

fn file_name(p: &str) -> String {
    std::path::Path::new(p)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| p.to_string())
}

/// The table of a relation (表三 / 表四) as written.
fn table_of<'a>(c: &'a Checked, b: &Broken) -> Option<&'a TableRead> {
    if b.table == "表三" {
        c.tables.t3.as_ref()
    } else {
        c.tables.t4.as_ref()
    }
}

/// A problem as one line: 文件 工作表 单元格：说明.
pub fn problem_line(p: &TableProblem) -> String {
    let mut s = file_name(&p.file);
    if !p.sheet.is_empty() {
        s.push_str(&format!(" 工作表“{}”", p.sheet));
    }
    if !p.cell.is_empty() {
        s.push_str(&format!(" {}", p.cell));
    }
    format!("{s}：{}", p.message)
}

pub fn problems_json(ds: &Dataset, problems: &[TableProblem]) -> Value {
    problems
        .iter()
        .map(|p| {
            json!({
                "code": p.code,
                "unit": p.owner.map(|o| owner_name(ds, Some(o))),
                "file": p.file,
                "sheet": p.sheet,
                "cell": p.cell,
                "message": p.message,
            })
        })
        .collect()
}

fn place(t: Option<&TableRead>) -> Value {
    t.map(|t| json!({"file": t.file, "sheet": t.sheet}))
        .unwrap_or(Value::Null)
}

/// The `--format json` document.
pub fn json(rules: &Rules, ds: &Dataset, r: &Result, written: Option<String>) -> Value {
    let mut checked = Vec::new();
    let mut differences = Vec::new();
    let mut broken = Vec::new();
    for c in &r.units {
        let unit = owner_name(ds, Some(c.tables.owner));
        checked.push(json!({
            "unit": unit,
            "table3": place(c.tables.t3.as_ref()),
            "table4": place(c.tables.t4.as_ref()),
            "carried_unknown": c.ledger.carried_unknown,
            "differences": c.differences.len(),
            "broken": c.broken.len(),
        }));
        for d in &c.differences {
            let rows: Vec<Value> = d
                .rows
                .iter()
                .filter_map(|&i| ds.requests.get(i))
                .map(|q| {
                    let mut v = super::json::source(&q.src);
                    v["number"] = json!(q.number);
                    v
                })
                .collect();
            differences.push(json!({
                "unit": unit,
                "table": d.table,
                "row_id": d.row_id,
                "row": d.row,
                "column": d.column,
                "reported": d.reported,
                "ledger": d.ledger,
                "file": d.file,
                "sheet": d.sheet,
                "cell": d.cell,
                "rows": rows,
            }));
        }
        for b in &c.broken {
            let t = table_of(c, b);
            broken.push(json!({
                "unit": unit,
                "table": b.table,
                "relation": b.relation,
                "along": b.along,
                "left": b.left,
                "right": b.right,
                "file": t.map(|t| t.file.clone()),
                "sheet": t.map(|t| t.sheet.clone()),
            }));
        }
    }
    json!({
        "tool": super::json::tool(rules),
        "year": r.year,
        "agree": r.agree(),
        "files": r.files,
        "checked": checked,
        "differences": differences,
        "broken": broken,
        "problems": problems_json(ds, &r.problems),
        "written": written,
    })
}

/// The workbook: 核对结果 (per unit), 不一致的数字, 勾稽关系, 问题.
pub fn workbook(rules: &Rules, ds: &Dataset, r: &Result) -> Vec<Table> {
    let title = format!("{}核对结果", super::annual::title(rules, r.year));
    let mut sum = Table::new(
        "核对结果",
        &[
            "单位",
            "表三所在",
            "表四所在",
            "不一致的数字",
            "勾稽关系不成立",
            "上年结转",
        ],
    );
    sum.title = vec![
        title.clone(),
        "各单位填写的表三、表四与台账逐格核对；上年结转未知的单位不核对“上年结转”一行".into(),
    ];
    let at = |t: Option<&TableRead>| -> Cell {
        t.map(|t| format!("{} / {}", file_name(&t.file), t.sheet))
            .unwrap_or_else(|| "未找到".into())
            .into()
    };
    for c in &r.units {
        sum.push(vec![
            owner_name(ds, Some(c.tables.owner)).into(),
            at(c.tables.t3.as_ref()),
            at(c.tables.t4.as_ref()),
            Cell::from(c.differences.len()),
            Cell::from(c.broken.len()),
            if c.ledger.carried_unknown {
                "未知（未核对）"
            } else {
                "已核对"
            }
            .into(),
        ]);
    }
    let mut diff = Table::new(
        "不一致的数字",
        &[
            "单位",
            "表",
            "行",
            "列",
            "年报数",
            "台账数",
            "文件",
            "工作表",
            "单元格",
            "台账中的行",
        ],
    );
    diff.title = vec![
        title.clone(),
        "年报中与台账不一致的数字；“台账中的行”是台账数所计的申请".into(),
    ];
    let mut rel = Table::new(
        "勾稽关系",
        &["单位", "表", "关系", "列或行", "左边", "右边", "文件", "工作表"],
    );
    rel.title = vec![title.clone(), "单位自己填写的数字不满足的勾稽关系".into()];
    for c in &r.units {
        let unit = owner_name(ds, Some(c.tables.owner));
        for d in &c.differences {
            diff.push(vec![
                unit.clone().into(),
                d.table.into(),
                d.row.clone().into(),
                d.column.clone().into(),
                Cell::from(d.reported),
                Cell::from(d.ledger),
                file_name(&d.file).into(),
                d.sheet.clone().into(),
                d.cell.clone().into(),
                super::annual::rows_text(ds, &d.rows).into(),
            ]);
        }
        for b in &c.broken {
            let t = table_of(c, b);
            rel.push(vec![
                unit.clone().into(),
                b.table.into(),
                b.relation.clone().into(),
                b.along.clone().into(),
                Cell::from(b.left),
                Cell::from(b.right),
                t.map(|t| file_name(&t.file)).unwrap_or_default().into(),
                t.map(|t| t.sheet.clone()).unwrap_or_default().into(),
            ]);
        }
    }
    let mut prob = Table::new("问题", &["问题代码", "单位", "文件", "工作表", "单元格", "说明"]);
    prob.title = vec![
        title,
        "找不到的表、看不出单位的表、标签与格式不符或不是数字的单元格".into(),
    ];
    for p in &r.problems {
        prob.push(vec![
            p.code.into(),
            owner_name(ds, p.owner).into(),
            file_name(&p.file).into(),
            p.sheet.clone().into(),
            p.cell.clone().into(),
            p.message.clone().into(),
        ]);
    }
    vec![sum, diff, rel, prob]
}

/// A differing figure's request rows are listed in the terminal up to this many.
const ROWS_SHOWN: usize = 6;

/// The terminal summary.
pub fn terminal(rules: &Rules, ds: &Dataset, r: &Result) -> String {
    let mut s = format!("{}核对\n", super::annual::title(rules, r.year));
    let mut d = super::table::new_table(&["单位", "表", "行", "列", "年报数", "台账数", "单元格"], None);
    let mut b = super::table::new_table(&["单位", "表", "关系", "列或行", "左边", "右边"], None);
    let (mut nd, mut nb) = (0, 0);
    // The request rows behind each differing ledger figure (a long list only counted:
    // the workbook and JSON list every row).
    let mut behind = String::new();
    for c in &r.units {
        let unit = owner_name(ds, Some(c.tables.owner));
        for x in &c.differences {
            nd += 1;
            let rows = if x.rows.len() <= ROWS_SHOWN {
                super::annual::rows_text(ds, &x.rows).replace('\n', "；")
            } else {
                format!("共 {} 行（逐行见 -o 工作簿或 --format json）", x.rows.len())
            };
            behind.push_str(&format!(
                "  {unit} {} {}/{}（台账数 {}）：{}\n",
                x.table,
                x.row,
                x.column,
                x.ledger,
                if x.rows.is_empty() {
                    "没有计入的申请".to_string()
                } else {
                    rows
                }
            ));
            d.add_row(vec![
                unit.clone(),
                x.table.to_string(),
                x.row.clone(),
                x.column.clone(),
                x.reported.to_string(),
                x.ledger.to_string(),
                format!("{} {}", x.sheet, x.cell),
            ]);
        }
        for x in &c.broken {
            nb += 1;
            b.add_row(vec![
                unit.clone(),
                x.table.to_string(),
                x.relation.clone(),
                x.along.clone(),
                x.left.to_string(),
                x.right.to_string(),
            ]);
        }
    }
    if nd > 0 {
        s.push_str(&format!(
            "与台账不一致的数字：{nd} 个\n{d}\n台账数所计的申请：\n{behind}"
        ));
    }
    if nb > 0 {
        s.push_str(&format!("不成立的勾稽关系：{nb} 个\n{b}\n"));
    }
    for p in &r.problems {
        s.push_str(&format!("问题：{}\n", problem_line(p)));
    }
    if r.agree() {
        s.push_str(&format!(
            "核对 {} 个单位的统计表：与台账一致，勾稽关系全部成立。\n",
            r.units.len()
        ));
    } else {
        s.push_str(&format!(
            "核对 {} 个单位的统计表：不一致的数字 {nd} 个，不成立的勾稽关系 {nb} 个，问题 {} 个。\n",
            r.units.len(),
            r.problems.len()
        ));
    }
    s
}
