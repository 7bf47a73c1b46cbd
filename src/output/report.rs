//! Per-unit feedback workbooks (考核扣分情况反馈), printed as a document: a one-page
//! score card (every item and every bonus and penalty item by name, totals, rank, a line
//! for each empty section and the lines to sign), every deduction and bonus with the
//! reason first and its evidence last, then only the sections with rows for this unit
//! (late items, monthly counts with a chart, frequency, duty ledgers, data problems),
//! and 说明 with the rules digest. Print-ready through `xlsx::Table`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use crate::assess::Assessment;
use crate::output::books;
use crate::output::books::review;
use crate::output::table::fmt_num;
use crate::output::xlsx::{Cell, ChartKind, ChartSpec, Series, Table};
use crate::rules::{ItemKind, Rules};
use crate::score::{ItemScore, UnitScore};

/// `<year>年度政务公开考核扣分情况-<单位>.xlsx`, safe for Windows.
pub fn file_name(year: i32, unit: &str) -> String {
    crate::output::safe_file_name(&format!("{year}年度{}-{unit}.xlsx", crate::ingest::REPORT_MARK))
}

/// The lines above every sheet: the title naming the unit, then the section, the
/// assessment period, the issuing office and the date of issue (all from the rules and
/// the run; the rules digest is in 说明).
fn titled(mut t: Table, a: &Assessment, rules: &Rules, s: &UnitScore, what: &str) -> Table {
    let issuer = &rules.rubric.params.issuer;
    t.title = vec![
        format!(
            "{}（{}）",
            books::title(rules, a.period.year, "政务公开工作考核扣分情况反馈"),
            s.name
        ),
        format!(
            "{what}　考核期 {} 至 {}{}　出具日期 {}",
            a.period.start,
            a.period.as_of,
            if issuer.is_empty() {
                String::new()
            } else {
                format!("　出具单位 {issuer}")
            },
            issued()
        ),
    ];
    if a.submissions
        .unit(s.unit)
        .is_some_and(|u| u.status == crate::ingest::submissions::NOT_SUBMITTED)
    {
        t.title
            .push("未报送：没有找到本单位的任何台账行，以下按细则计分（如已报送，请联系县政务公开办核对文件）".into());
    }
    if let Some(u) = a.submissions.unit(s.unit).filter(|u| !u.missing_ledgers.is_empty()) {
        t.title.push(format!(
            "缺台账：{} 缺少必填列，未读取，相关考核项目按缺台账计（见“数据问题”）",
            u.missing_ledgers.join("、")
        ));
    }
    t
}

/// The date of issue: today.
fn issued() -> String {
    chrono::Local::now().date_naive().to_string()
}

/// An item's row on the score card: name, points, deducted, score, note.
fn item_row(i: &ItemScore, group: &str) -> Vec<Cell> {
    let note = if !i.applicable {
        format!("不适用（{group}），按满分计")
    } else if !i.fed && i.lines.is_empty() {
        "无台账数据，按满分计".to_string()
    } else if i.lines.is_empty() {
        "无扣分".to_string()
    } else {
        let absorbed = i.lines.iter().filter(|l| l.absorbed()).count();
        if absorbed > 0 {
            format!("{} 处扣分，其中 {} 处因“扣完为止”未计", i.lines.len(), absorbed)
        } else {
            format!("{} 处扣分", i.lines.len())
        }
    };
    let note = review::item_note(i, note);
    vec![
        format!("　{} {}", i.id, i.name).into(),
        Cell::Num(i.max),
        Cell::Num(i.max - i.score),
        Cell::Num(i.score),
        note.into(),
    ]
}

/// 评分表: one portrait page. Category rows bold, every item, every bonus and penalty
/// item named with its points, the totals, rank and group size; below, one line for
/// the sections this unit has no rows in, and the lines to sign.
fn score_card(a: &Assessment, rules: &Rules, s: &UnitScore, empty: &[String]) -> Table {
    let mut t = Table::new("评分表", &["考核项目", "分值", "扣分", "得分", "说明"]);
    t.portrait = true;
    t.one_page = true;
    t.no_filter = true;
    t.max_widths = vec![30, 0, 0, 0, 34];
    for c in &s.categories {
        t.bold_rows.push(t.rows.len());
        t.push(vec![
            format!("{} {}", c.id, c.name).into(),
            Cell::Num(c.max),
            Cell::Num(c.max - c.score),
            Cell::Num(c.score),
            "（类别小计）".into(),
        ]);
        for i in s
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Score && i.category == c.id)
        {
            t.push(item_row(i, &s.group_name));
        }
    }
    // Bonus (加分) and penalty (扣分事项) items, each by name.
    for (kind, word) in [(ItemKind::Bonus, "加分"), (ItemKind::Penalty, "扣分事项")] {
        for i in s.items.iter().filter(|i| i.kind == kind) {
            let cap = if i.max > 0.0 {
                format!("上限 {} 分", fmt_num(i.max))
            } else {
                "不封顶".to_string()
            };
            let note = if i.lines.is_empty() {
                format!("{word}，无（{cap}）")
            } else {
                format!("{word} {} 处（{cap}）", i.lines.len())
            };
            let (minus, plus) = if kind == ItemKind::Bonus {
                (Cell::Empty, Cell::Num(i.score))
            } else {
                (Cell::Num(i.score), Cell::Empty)
            };
            t.push(vec![
                format!("　{} {}", i.id, i.name).into(),
                Cell::Empty,
                minus,
                plus,
                note.into(),
            ]);
        }
    }
    let sum: f64 = rules.rubric.categories.iter().map(|c| c.points).sum();
    let first_total = t.rows.len();
    t.push(vec![
        "加分".into(),
        Cell::Empty,
        Cell::Empty,
        Cell::Num(s.bonus),
        "加分事项合计（已封顶）".into(),
    ]);
    t.push(vec![
        "扣分事项".into(),
        Cell::Empty,
        Cell::Num(s.penalty),
        Cell::Empty,
        "扣分事项（P）合计，不含各考核项目内的扣分".into(),
    ]);
    t.push(vec![
        "合计扣分".into(),
        Cell::Empty,
        Cell::Num(books::total_deducted(s)),
        Cell::Empty,
        "各考核项目扣分（扣完为止后）与扣分事项之和".into(),
    ]);
    t.push(vec![
        "总分".into(),
        Cell::Num(sum),
        Cell::Empty,
        Cell::Num(s.total),
        s.zeroed
            .clone()
            .map(|z| format!("总分为零：{z}"))
            .into_iter()
            .chain(review::total_note(s))
            .collect::<Vec<_>>()
            .join("；")
            .into(),
    ]);
    t.push(vec![
        "组内排名".into(),
        Cell::Empty,
        Cell::Empty,
        s.rank.into(),
        format!("在{}中", s.group_name).into(),
    ]);
    t.push(vec![
        "组内单位数".into(),
        Cell::Empty,
        Cell::Empty,
        s.group_size.into(),
        format!("{}参加考核的单位数", s.group_name).into(),
    ]);
    t.bold_rows.extend(first_total..t.rows.len());
    if !empty.is_empty() {
        t.after.push(empty.join("；") + "。");
    }
    t.after
        .push("单位签收：＿＿＿＿＿＿＿＿＿＿　签收日期：＿＿＿＿＿＿＿＿".to_string());
    t.after
        .push("复核意见（对扣分有异议的，请写明理由并附证明材料）：".to_string() + &"＿".repeat(12));
    titled(t, a, rules, s, "评分表")
}

/// 扣分加分明细 at full width: the reason first, the evidence last.
fn lines(a: &Assessment, rules: &Rules, s: &UnitScore) -> Table {
    let mut t = Table::new(
        "扣分加分明细",
        &[
            "事由",
            "考核项目",
            "扣分标准",
            "分值",
            "实际计分",
            "是否未计",
            "信息名称/编号",
            "文件",
            "工作表",
            "行号",
        ],
    );
    t.max_widths = vec![36, 14, 24, 0, 0, 10, 24, 16, 10, 0];
    // With 复核调整 decisions, a last column marks the lines they withdrew or added.
    let reviewed = !a.review.decisions.is_empty();
    if reviewed {
        t.highlights = review::highlights(t.headers.len() as u16);
        t.headers.push(review::MARK_HEADER.into());
    }
    for i in &s.items {
        let sign = if i.kind == ItemKind::Bonus { "加分" } else { "扣分" };
        for l in &i.lines {
            t.push(vec![
                l.reason.clone().into(),
                format!("{} {}（{sign}）", i.id, i.name).into(),
                format!("{} {}", l.standard, l.standard_text).into(),
                Cell::Num(l.points),
                Cell::Num(l.counted),
                if l.withdrawn() {
                    "否（已撤销）"
                } else if l.repeated {
                    "否（每单位只扣一次，已计）"
                } else if l.absorbed() {
                    "是（扣完为止/已达上限）"
                } else {
                    "否"
                }
                .into(),
                l.label.clone().into(),
                l.src
                    .as_ref()
                    .map(|x| books::file_name_of(&x.file))
                    .unwrap_or_default()
                    .into(),
                l.src.as_ref().map(|x| x.sheet.to_string()).unwrap_or_default().into(),
                l.src.as_ref().map(|x| Cell::from(x.row)).unwrap_or(Cell::Empty),
            ]);
            if reviewed {
                t.rows
                    .last_mut()
                    .into_iter()
                    .for_each(|r| r.push(review::mark(l).into()));
            }
        }
    }
    titled(t, a, rules, s, "扣分、加分明细")
}

/// A score-workbook table split by unit once (by the unit's name in column `key`), so
/// that each unit's workbook takes its own rows instead of rebuilding and filtering the
/// whole table (which grew with units × rows). A unit's rows are moved out when its
/// workbook takes them (each unit's workbook is built once), not copied.
struct Split {
    /// The table without rows (and without highlights).
    head: Table,
    rows: HashMap<String, Mutex<Vec<Vec<Cell>>>>,
}

impl Split {
    fn new(mut t: Table, key: usize) -> Split {
        let mut rows: HashMap<String, Mutex<Vec<Vec<Cell>>>> = HashMap::new();
        for r in std::mem::take(&mut t.rows) {
            if let Some(Cell::Text(name)) = r.get(key) {
                if let Some(v) = rows.get_mut(&**name) {
                    v.get_mut().unwrap_or_else(PoisonError::into_inner).push(r);
                } else {
                    rows.insert(name.to_string(), Mutex::new(vec![r]));
                }
            }
        }
        t.highlights.clear();
        Split { head: t, rows }
    }

    /// This unit's rows (in the table's order) under the table's head; the rows leave
    /// the split (a second call for the same unit gets none).
    fn take(&self, name: &str) -> Table {
        let mut t = self.head.head();
        t.rows = self
            .rows
            .get(name)
            .map(|m| std::mem::take(&mut *m.lock().unwrap_or_else(PoisonError::into_inner)))
            .unwrap_or_default();
        t
    }
}

/// The tables every unit's workbook takes its rows from, built once for all units.
pub struct Parts {
    review: Option<Split>,
    late: Split,
    pending: Split,
    monthly: Split,
    frequency: Split,
    /// Duty ledgers: (name, table).
    ledgers: Vec<(String, Split)>,
    problems: Split,
}

impl Parts {
    pub fn new(a: &Assessment, rules: &Rules) -> Parts {
        let mut freq = crate::output::frequency::detail(a, rules);
        freq.name = "更新频率".into();
        Parts {
            review: (!a.review.decisions.is_empty()).then(|| Split::new(review::table(a, rules), 0)),
            late: Split::new(books::late(a), 0),
            pending: Split::new(books::pending(a), 0),
            monthly: Split::new(books::monthly(a, rules), 0),
            frequency: Split::new(freq, 3),
            ledgers: books::ledger_tables(a, rules)
                .into_iter()
                .map(|t| (t.name.clone(), Split::new(t, 0)))
                .collect(),
            problems: Split::new(books::problems(a), 8),
        }
    }
}

/// 每月公开数量 with a chart of the unit's months against the minimum.
fn monthly(a: &Assessment, rules: &Rules, s: &UnitScore, parts: &Parts) -> Table {
    let mut t = titled(parts.monthly.take(&s.name), a, rules, s, "每月公开数量");
    t.charts.clear();
    let minimum = f64::from(rules.rubric.params.monthly_minimum);
    let months = a.period.ended_months();
    let counts: Vec<f64> = t
        .rows
        .first()
        .map(|r| {
            r.iter()
                .skip(2)
                .take(months.len())
                .map(|c| if let Cell::Num(x) = c { *x } else { 0.0 })
                .collect()
        })
        .unwrap_or_default();
    if !months.is_empty() {
        t.charts.push(ChartSpec {
            title: format!("{}每月公开数量", s.name),
            kind: ChartKind::Column,
            categories: months.iter().map(|m| format!("{m}月")).collect(),
            series: vec![
                Series {
                    name: "公开数量".into(),
                    values: counts,
                    line: false,
                },
                Series {
                    name: format!("每月最低 {} 条", fmt_num(minimum)),
                    values: vec![minimum; months.len()],
                    line: true,
                },
            ],
            value_title: "条".into(),
            first_apart: false,
        });
    }
    t
}

/// 说明: the tool, the period, the rules (digest and files) and who issued it.
fn about(a: &Assessment, rules: &Rules, s: &UnitScore) -> Table {
    let mut t = Table::new("说明", &["项目", "内容"]);
    t.portrait = true;
    t.no_filter = true;
    let p = &rules.rubric.params;
    let mut kv = |k: &str, v: String| t.push(vec![k.into(), v.into()]);
    kv("单位", format!("{}（{}）", s.name, s.group_name));
    kv("考核年度", a.period.year.to_string());
    kv("考核期", format!("{} 至 {}", a.period.start, a.period.as_of));
    if !p.issuer.is_empty() {
        kv("出具单位", p.issuer.clone());
    }
    kv("出具日期", issued());
    kv("工具版本", format!("hrgk {}", env!("CARGO_PKG_VERSION")));
    kv("规则摘要（SHA-256）", rules.digest.clone());
    for (f, origin) in &rules.sources {
        kv("规则文件", format!("{f}（{origin}）"));
    }
    titled(t, a, rules, s, "说明")
}

/// All sheets of one unit's feedback workbook: the score page, the deductions and
/// bonuses, then only the sections that have rows for this unit (each empty one is a
/// line on the score page), and 说明.
pub fn unit_book(a: &Assessment, rules: &Rules, s: &UnitScore, parts: &Parts) -> Vec<Table> {
    let mut sections: Vec<(String, Table)> = Vec::new();
    if let Some(r) = parts.review.as_ref() {
        if a.review.decisions.iter().any(|d| d.unit == Some(s.unit)) {
            sections.push(("复核调整".into(), titled(r.take(&s.name), a, rules, s, "复核调整")));
        }
    }
    sections.push((
        "逾期公开".into(),
        titled(parts.late.take(&s.name), a, rules, s, "逾期公开"),
    ));
    sections.push((
        "未到期未公开的信息".into(),
        titled(parts.pending.take(&s.name), a, rules, s, "未到期未公开"),
    ));
    sections.push(("每月公开数量".into(), monthly(a, rules, s, parts)));
    sections.push((
        "更新频率核对的内容".into(),
        titled(parts.frequency.take(&s.name), a, rules, s, "更新频率（内容清单）"),
    ));
    for (name, t) in &parts.ledgers {
        sections.push((format!("{name}记录"), titled(t.take(&s.name), a, rules, s, name)));
    }
    sections.push((
        "数据问题".into(),
        titled(parts.problems.take(&s.name), a, rules, s, "本单位台账的数据问题"),
    ));
    let detail = lines(a, rules, s);
    let mut empty: Vec<String> = Vec::new();
    if detail.rows.is_empty() {
        empty.push("本单位无扣分、加分".into());
    }
    let mut kept = Vec::new();
    for (what, t) in sections {
        if t.rows.is_empty() {
            empty.push(format!("本单位无{what}"));
        } else {
            kept.push(t);
        }
    }
    let mut v = vec![score_card(a, rules, s, &empty)];
    if !detail.rows.is_empty() {
        v.push(detail);
    }
    v.extend(kept);
    v.push(about(a, rules, s));
    v
}

/// One summary line for the terminal (合计扣分: every deduction counted after caps).
pub fn summary_line(s: &UnitScore, path: &str) -> String {
    format!(
        "{}（{}）总分 {}，{} 第 {}/{}，合计扣分 {}，加分 {} → {}",
        s.name,
        s.group_name,
        fmt_num(s.total),
        s.group_name,
        s.rank,
        s.group_size,
        fmt_num(crate::output::books::total_deducted(s)),
        fmt_num(s.bonus),
        path
    )
}
