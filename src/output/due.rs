//! `hrgk due` outputs: the terminal list, the JSON document, the 督办清单 workbook
//! (汇总 / 督办清单 / 说明) and the printable per-unit 督办单.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use super::json::{num, source};
use super::xlsx::{Cell, Highlight, Table};
use crate::assess::Assessment;
use crate::due::{Due, Item, Kind, Stake, Status};
use crate::ingest::Source;
use crate::rules::Rules;

/// `督办清单-<as-of>.xlsx`.
pub fn book_name(due: &Due) -> String {
    format!("督办清单-{}.xlsx", due.as_of)
}

/// `<as-of>督办单-<单位>.xlsx`, safe for Windows.
pub fn unit_file_name(due: &Due, unit: &str) -> String {
    super::safe_file_name(&format!("{}{}-{unit}.xlsx", due.as_of, crate::ingest::DUE_MARK))
}

fn file_name_of(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.to_string())
}

/// `文件 / 工作表 第 n 行`, with the file's name only.
pub fn where_(s: &Source) -> String {
    format!("{} / {} 第 {} 行", file_name_of(&s.file), s.sheet, s.row)
}

/// 剩 n 个工作日 / 逾期 n 天 / 今天到期.
fn timing(i: &Item) -> String {
    match (i.status, i.workdays_left, i.days_overdue) {
        (Status::DueSoon, Some(0), _) => "今天到期".into(),
        (Status::DueSoon, Some(n), _) => format!("剩 {n} 个工作日"),
        (Status::Overdue, _, Some(n)) => format!("逾期 {n} 天"),
        _ => String::new(),
    }
}

fn stake_text(i: &Item) -> String {
    match i.at_stake {
        Stake::Points(p) if p <= 0.0 => "不扣分".into(),
        Stake::Points(p) if i.status == Status::Overdue => format!("已扣 {} 分", super::table::fmt_num(p)),
        Stake::Points(p) => format!("可能扣 {} 分", super::table::fmt_num(p)),
        Stake::Full => crate::due::FULL.into(),
    }
}

/// Counts per kind, as `信息公开时限 3、依申请公开 1`.
fn per_kind<'a>(items: impl Iterator<Item = &'a Item>) -> String {
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for i in items {
        *counts.entry(i.kind).or_default() += 1;
    }
    counts
        .iter()
        .map(|(k, n)| format!("{} {n}", k.label()))
        .collect::<Vec<_>>()
        .join("、")
}

/// The terminal list: per unit, overdue first then due soon, and a county summary.
pub fn terminal(a: &Assessment, rules: &Rules, due: &Due) -> String {
    let reg = a.ds.registry();
    let mut s = format!(
        "{}政务公开督办清单（截至 {}，向后 {} 个工作日至 {}，规则 {}）\n",
        rules.rubric.params.county,
        due.as_of,
        due.within,
        due.window_end,
        rules.short_digest()
    );
    if let Some(n) = &due.window_note {
        s.push_str(&format!("注意：{n}\n"));
    }
    for &u in &due.units {
        let lines: Vec<&Item> = due.items.iter().filter(|i| i.unit == u).collect();
        if lines.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "\n【{}】已逾期 {} 项，即将到期 {} 项\n",
            reg.name(u),
            due.count(u, Status::Overdue),
            due.count(u, Status::DueSoon)
        ));
        for i in lines {
            let mut facts: Vec<String> = Vec::new();
            if let Some(d) = i.deadline {
                facts.push(format!("期限 {d}"));
            }
            facts.push(timing(i));
            facts.push(stake_text(i));
            facts.retain(|f| !f.is_empty());
            let src = i
                .source
                .as_ref()
                .map(|s| format!("（{}）", where_(s)))
                .unwrap_or_default();
            s.push_str(&format!(
                "  [{}] {}：{}\n      {}{src}\n",
                i.status.label(),
                i.kind.label(),
                i.title,
                facts.join("，")
            ));
        }
    }
    let overdue: Vec<&Item> = due.items.iter().filter(|i| i.status == Status::Overdue).collect();
    let soon: Vec<&Item> = due.items.iter().filter(|i| i.status == Status::DueSoon).collect();
    let with_overdue = due.units.iter().filter(|u| due.count(**u, Status::Overdue) > 0).count();
    let kinds = |v: &[&Item]| {
        if v.is_empty() {
            String::new()
        } else {
            format!("（{}）", per_kind(v.iter().copied()))
        }
    };
    s.push_str(&format!(
        "\n全县：{} 个单位中 {} 个有逾期事项；已逾期 {} 项{}，即将到期 {} 项{}\n",
        due.units.len(),
        with_overdue,
        overdue.len(),
        kinds(&overdue),
        soon.len(),
        kinds(&soon)
    ));
    s
}

fn stake_json(s: Stake) -> Value {
    match s {
        Stake::Points(p) => num(p),
        Stake::Full => json!(crate::due::FULL),
    }
}

/// The `hrgk due --format json` document (keys documented in the README).
pub fn json(a: &Assessment, due: &Due) -> Value {
    let reg = a.ds.registry();
    let units: Vec<Value> = due
        .units_by_overdue()
        .into_iter()
        .map(|u| {
            json!({
                "unit": reg.name(u),
                "overdue": due.count(u, Status::Overdue),
                "due_soon": due.count(u, Status::DueSoon),
            })
        })
        .collect();
    let items: Vec<Value> = due
        .items
        .iter()
        .map(|i| {
            json!({
                "unit": reg.name(i.unit),
                "kind": i.kind.key(),
                "status": i.status.key(),
                "title": i.title,
                "deadline": i.deadline.map(|d| d.to_string()),
                "workdays_left": i.workdays_left,
                "days_overdue": i.days_overdue,
                "at_stake": stake_json(i.at_stake),
                "source": i.source.as_ref().map(source),
            })
        })
        .collect();
    let listed: std::collections::BTreeSet<_> = due.units.iter().copied().collect();
    let all = due.units.len() == reg.assessed().len();
    let problems: Vec<Value> = match super::json::problems(a) {
        Value::Array(v) => v
            .into_iter()
            .zip(&a.ds.problems)
            .filter(|(_, p)| all || p.unit.is_some_and(|u| listed.contains(&u)))
            .map(|(v, _)| v)
            .collect(),
        _ => Vec::new(),
    };
    json!({
        "as_of": due.as_of.to_string(),
        "within": due.within,
        "units": units,
        "items": items,
        "problems": problems,
    })
}

const LINE_HEADERS: [&str; 13] = [
    "单位",
    "状态",
    "类别",
    "台账",
    "事项",
    "期限",
    "剩余工作日",
    "逾期天数",
    "涉及扣分",
    "文件",
    "工作表",
    "行号",
    "说明",
];

/// File name, sheet and row as cells (empty without a source).
fn source_cells(s: Option<&Source>) -> [Cell; 3] {
    match s {
        Some(s) => [
            file_name_of(&s.file).into(),
            (&s.sheet).into(),
            Cell::Num(f64::from(s.row)),
        ],
        None => [Cell::Empty, Cell::Empty, Cell::Empty],
    }
}

fn line_row(a: &Assessment, i: &Item) -> Vec<Cell> {
    let reg = a.ds.registry();
    let [file, sheet, row] = source_cells(i.source.as_ref());
    let stake = match i.at_stake {
        Stake::Points(p) => Cell::Num(p),
        Stake::Full => Cell::Text(crate::due::FULL.into()),
    };
    vec![
        reg.name(i.unit).into(),
        i.status.label().into(),
        i.kind.label().into(),
        i.ledger.clone().into(),
        i.title.clone().into(),
        i.deadline.into(),
        i.workdays_left.into(),
        i.days_overdue.into(),
        stake,
        file,
        sheet,
        row,
        timing(i).into(),
    ]
}

fn status_highlight() -> Highlight {
    Highlight::Starts {
        from: 1,
        to: 1,
        text: Status::Overdue.label().into(),
        color: 0xFFC7CE,
    }
}

/// 汇总: per unit, counts by status and kind, most overdue first.
pub fn summary(a: &Assessment, rules: &Rules, due: &Due) -> Table {
    let reg = a.ds.registry();
    let mut headers = vec!["单位", "类别", "已逾期", "即将到期"];
    headers.extend(Kind::ALL.iter().map(|k| k.label()));
    let mut t = Table::new("汇总", &headers);
    t.title = vec![
        format!(
            "{}政务公开督办清单汇总（截至 {}）",
            rules.rubric.params.county, due.as_of
        ),
        format!(
            "向后 {} 个工作日（至 {}）；各类别列为该类已逾期和即将到期的事项数",
            due.within, due.window_end
        ),
    ];
    for u in due.units_by_overdue() {
        let mut row: Vec<Cell> = vec![
            reg.name(u).into(),
            reg.group_name(reg.units[u].group).into(),
            due.count(u, Status::Overdue).into(),
            due.count(u, Status::DueSoon).into(),
        ];
        for k in Kind::ALL {
            row.push(due.items.iter().filter(|i| i.unit == u && i.kind == k).count().into());
        }
        t.push(row);
    }
    t
}

/// Every line, with filters.
pub fn lines(a: &Assessment, rules: &Rules, due: &Due) -> Table {
    let mut t = Table::new("督办清单", &LINE_HEADERS);
    t.title = vec![format!(
        "{}政务公开督办清单（截至 {}，向后 {} 个工作日至 {}）",
        rules.rubric.params.county, due.as_of, due.within, due.window_end
    )];
    for i in &due.items {
        t.push(line_row(a, i));
    }
    t.highlights.push(status_highlight());
    t
}

/// 说明: as-of, window, rules and inputs.
pub fn about(a: &Assessment, rules: &Rules, due: &Due) -> Table {
    let mut t = super::books::about(a, rules);
    let mut head = Table::new("说明", &["项目", "内容"]);
    head.portrait = true;
    let mut kv = |k: &str, v: String| head.push(vec![k.into(), v.into()]);
    kv("截止日期", due.as_of.to_string());
    kv(
        "向后查看",
        format!("{} 个工作日（至 {}，按节假日安排计）", due.within, due.window_end),
    );
    if let Some(n) = &due.window_note {
        kv("注意", n.clone());
    }
    kv(
        "已逾期",
        "期限在截止日期之前且截至该日仍未完成：与 hrgk score --as-of 的扣分一致".into(),
    );
    kv(
        "即将到期",
        "期限在截止日期当天或之后、向后查看的最后一天之前（当月公开数量、政务新媒体列出到月底或下一个监测时间点）"
            .into(),
    );
    kv(
        "涉及扣分",
        format!(
            "已逾期：已扣的分；即将到期：按“扣完为止”还可能扣的分；“{}”表示该项已扣满",
            crate::due::FULL
        ),
    );
    head.rows.append(&mut t.rows);
    head
}

/// The 督办清单 workbook.
pub fn book(a: &Assessment, rules: &Rules, due: &Due) -> Vec<Table> {
    vec![summary(a, rules, due), lines(a, rules, due), about(a, rules, due)]
}

/// One unit's printable 督办单: the issuing office and date from the rules, the unit's
/// lines, and lines for 整改情况 and 签收.
pub fn unit_sheet(a: &Assessment, rules: &Rules, due: &Due, unit: crate::ingest::UnitId) -> Vec<Table> {
    let reg = a.ds.registry();
    let mut t = Table::new(
        "督办单",
        &["序号", "状态", "类别", "事项", "期限", "剩余/逾期", "涉及扣分", "来源"],
    );
    t.no_filter = true;
    let mine: Vec<&Item> = due.items.iter().filter(|i| i.unit == unit).collect();
    t.title = vec![
        format!("{}督办单", rules.rubric.params.due_issuer),
        format!(
            "致：{}　　日期：{}　　已逾期 {} 项，即将到期 {} 项（向后 {} 个工作日至 {}）",
            reg.name(unit),
            due.as_of,
            due.count(unit, Status::Overdue),
            due.count(unit, Status::DueSoon),
            due.within,
            due.window_end
        ),
        "请对照下列事项逐项整改，已逾期事项请立即办理，即将到期事项请在期限前办理；整改情况请填写在表末并签收。".into(),
    ];
    for (n, i) in mine.iter().enumerate() {
        t.push(vec![
            (n + 1).into(),
            i.status.label().into(),
            i.kind.label().into(),
            i.title.clone().into(),
            i.deadline.into(),
            timing(i).into(),
            stake_text(i).into(),
            i.source.as_ref().map(where_).unwrap_or_default().into(),
        ]);
    }
    if mine.is_empty() {
        t.push(vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            "无逾期或即将到期事项".into(),
        ]);
    }
    t.push(vec![
        "整改情况".into(),
        Cell::Empty,
        Cell::Empty,
        Cell::Text(" \n \n ".into()),
    ]);
    t.push(vec![
        "签收".into(),
        Cell::Empty,
        Cell::Empty,
        "签收人：　　　　　　签收日期：　　年　　月　　日".into(),
    ]);
    t.highlights.push(status_highlight());
    vec![t]
}

/// `hrgk check --as-of`: the overdue facts, after the problems.
pub fn warnings_terminal(ds: &crate::ingest::Dataset, as_of: chrono::NaiveDate, items: &[Item]) -> String {
    let reg = ds.registry();
    if items.is_empty() {
        return format!("\n截至 {as_of} 没有逾期未公开的信息或逾期未答复的申请。\n");
    }
    let mut s = format!(
        "\n提醒：截至 {as_of} 已逾期 {} 项（不是数据问题，不影响检查结果；hrgk score 会按逾期扣分）：\n",
        items.len()
    );
    for i in items {
        let src = i
            .source
            .as_ref()
            .map(|s| format!("（{}）", where_(s)))
            .unwrap_or_default();
        let deadline = i.deadline.map(|d| format!("，期限 {d}")).unwrap_or_default();
        s.push_str(&format!(
            "  {} {}：{}{deadline}，{}{src}\n",
            reg.name(i.unit),
            i.kind.label(),
            i.title,
            timing(i)
        ));
    }
    s
}

/// `hrgk check --as-of --format json`: the `warnings` array.
pub fn warnings_json(ds: &crate::ingest::Dataset, items: &[Item]) -> Value {
    let reg = ds.registry();
    Value::Array(
        items
            .iter()
            .map(|i| {
                json!({
                    "unit": reg.name(i.unit),
                    "kind": i.kind.key(),
                    "title": i.title,
                    "deadline": i.deadline.map(|d| d.to_string()),
                    "days_overdue": i.days_overdue,
                    "source": i.source.as_ref().map(source),
                })
            })
            .collect(),
    )
}

/// `hrgk check --as-of -o`: the 逾期提醒 sheet.
pub fn warnings_table(ds: &crate::ingest::Dataset, items: &[Item]) -> Table {
    let reg = ds.registry();
    let mut t = Table::new(
        "逾期提醒",
        &["单位", "类别", "事项", "期限", "逾期天数", "文件", "工作表", "行号"],
    );
    for i in items {
        let [file, sheet, row] = source_cells(i.source.as_ref());
        t.push(vec![
            reg.name(i.unit).into(),
            i.kind.label().into(),
            i.title.clone().into(),
            i.deadline.into(),
            i.days_overdue.into(),
            file,
            sheet,
            row,
        ]);
    }
    t
}
