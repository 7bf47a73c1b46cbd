//! Per-unit feedback workbooks (考核扣分情况反馈): score card, every deduction and bonus
//! with its evidence, and the unit's own late items, monthly counts, frequency lapses
//! and data problems. Print-ready through `xlsx::Table`.

use crate::assess::Assessment;
use crate::output::books::review;
use crate::output::table::fmt_num;
use crate::output::xlsx::{Cell, Table};
use crate::rules::{ItemKind, Rules};
use crate::score::UnitScore;

/// `<year>年度政务公开考核扣分情况-<单位>.xlsx`, safe for Windows.
pub fn file_name(year: i32, unit: &str) -> String {
    crate::output::safe_file_name(&format!("{year}年度{}-{unit}.xlsx", crate::ingest::REPORT_MARK))
}

fn titled(mut t: Table, a: &Assessment, rules: &Rules, s: &UnitScore, what: &str) -> Table {
    t.title = vec![
        format!("华容县{}年度政务公开工作考核扣分情况反馈（{}）", a.period.year, s.name),
        format!(
            "{what}　考核期 {} 至 {}　规则 {}",
            a.period.start,
            a.period.as_of,
            rules.short_digest()
        ),
    ];
    t
}

fn score_card(a: &Assessment, rules: &Rules, s: &UnitScore) -> Table {
    let mut t = Table::new("评分表", &["考核项目", "分值", "扣分", "得分", "说明"]);
    t.portrait = true;
    for c in &s.categories {
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
            let note = if !i.applicable {
                format!("不适用（{}），按满分计", s.group_name)
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
            t.push(vec![
                format!("　{} {}", i.id, i.name).into(),
                Cell::Num(i.max),
                Cell::Num(i.max - i.score),
                Cell::Num(i.score),
                note.into(),
            ]);
        }
    }
    t.push(vec![
        "加分".into(),
        Cell::Empty,
        Cell::Empty,
        Cell::Num(s.bonus),
        Cell::Empty,
    ]);
    t.push(vec![
        "扣分事项".into(),
        Cell::Empty,
        Cell::Num(s.penalty),
        Cell::Empty,
        Cell::Empty,
    ]);
    t.push(vec![
        "总分".into(),
        Cell::Num(rules.rubric.categories.iter().map(|c| c.points).sum()),
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
        format!("{}/{}", s.rank, s.group_size).into(),
        format!("{}共 {} 个单位", s.group_name, s.group_size).into(),
    ]);
    titled(t, a, rules, s, "评分表")
}

fn lines(a: &Assessment, rules: &Rules, s: &UnitScore) -> Table {
    let mut t = Table::new(
        "扣分加分明细",
        &[
            "考核项目",
            "扣分标准",
            "事由",
            "分值",
            "实际计分",
            "是否未计",
            "文件",
            "工作表",
            "行号",
            "信息名称/编号",
        ],
    );
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
                format!("{} {}（{sign}）", i.id, i.name).into(),
                format!("{} {}", l.standard, l.standard_text).into(),
                l.reason.clone().into(),
                Cell::Num(l.points),
                Cell::Num(l.counted),
                if l.withdrawn() {
                    "否（已撤销）"
                } else if l.repeated {
                    "否（该标准每单位只扣一次，已计）"
                } else if l.absorbed() {
                    "是（扣完为止/已达上限）"
                } else {
                    "否"
                }
                .into(),
                l.src
                    .as_ref()
                    .map(|x| crate::output::books::file_name_of(&x.file))
                    .unwrap_or_default()
                    .into(),
                l.src.as_ref().map(|x| x.sheet.to_string()).unwrap_or_default().into(),
                l.src.as_ref().map(|x| Cell::from(x.row)).unwrap_or(Cell::Empty),
                l.label.clone().into(),
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

/// Keeps only the rows of a score-workbook table whose first column is this unit.
fn only_unit(mut t: Table, a: &Assessment, rules: &Rules, s: &UnitScore, what: &str) -> Table {
    t.rows.retain(|r| r.first() == Some(&Cell::Text(s.name.clone())));
    t.highlights.clear();
    titled(t, a, rules, s, what)
}

fn frequency(a: &Assessment, rules: &Rules, s: &UnitScore) -> Table {
    let mut t = crate::output::frequency::detail(a, rules);
    t.rows.retain(|r| r.get(3) == Some(&Cell::Text(s.name.clone())));
    t.name = "更新频率".into();
    titled(t, a, rules, s, "更新频率（内容清单）")
}

fn problems(a: &Assessment, rules: &Rules, s: &UnitScore) -> Table {
    let mut t = crate::output::books::problems(a);
    t.rows.retain(|r| r.get(8) == Some(&Cell::Text(s.name.clone())));
    titled(t, a, rules, s, "本单位台账的数据问题")
}

/// All sheets of one unit's feedback workbook.
pub fn unit_book(a: &Assessment, rules: &Rules, s: &UnitScore) -> Vec<Table> {
    let mut v = vec![
        score_card(a, rules, s),
        lines(a, rules, s),
        only_unit(crate::output::books::late(a), a, rules, s, "逾期公开"),
        only_unit(crate::output::books::pending(a), a, rules, s, "未到期未公开"),
        only_unit(crate::output::books::monthly(a, rules), a, rules, s, "每月公开数量"),
        frequency(a, rules, s),
    ];
    if a.review.decisions.iter().any(|d| d.unit == Some(s.unit)) {
        v.insert(2, only_unit(review::table(a), a, rules, s, "复核调整"));
    }
    v.extend(crate::output::books::ledger_tables(a, rules).into_iter().map(|t| {
        let name = t.name.clone();
        only_unit(t, a, rules, s, &name)
    }));
    v.push(problems(a, rules, s));
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
