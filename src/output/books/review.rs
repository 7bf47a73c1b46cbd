//! 复核调整 in the workbooks: the mark on an adjusted line, the note on an item whose
//! score a decision set, and the sheet listing every decision with its effect on the
//! unit's total.

use crate::assess::Assessment;
use crate::output::table::fmt_num;
use crate::output::xlsx::{Cell, Highlight, Table};
use crate::rules::Rules;
use crate::score::review::Status;
use crate::score::{Adjusted, ItemScore, Line, UnitScore};

/// Header of the column that marks adjusted lines.
pub const MARK_HEADER: &str = "复核";
/// Grey fill for withdrawn lines, pale yellow for added ones.
const WITHDRAWN_FILL: u32 = 0xD9D9D9;
const ADDED_FILL: u32 = 0xFFF2CC;

/// "（2021-12-20，经办人 王五）".
fn when(a: &Adjusted) -> String {
    if a.by.is_empty() {
        format!("（{}）", a.date)
    } else {
        format!("（{}，经办人 {}）", a.date, a.by)
    }
}

/// 已撤销（复核）：理由（日期，经办人） / 复核补扣：理由（日期） / "".
pub fn mark(l: &Line) -> String {
    let Some(a) = &l.adjusted else {
        return String::new();
    };
    let what = if a.action.withdraws() {
        "已撤销（复核）".to_string()
    } else {
        format!("复核{}", a.action.word())
    };
    format!("{what}：{}{}", a.reason, when(a))
}

/// The note on an item a decision set (改分).
pub fn set_note(i: &ItemScore) -> Option<String> {
    let s = i.set.as_ref()?;
    Some(format!(
        "复核改分：检查得分 {}，改为 {}。{}{}",
        fmt_num(s.check_score),
        fmt_num(i.score),
        s.adjusted.reason,
        when(&s.adjusted)
    ))
}

/// An item's note on the score card, with the lines withdrawn and the score set.
pub fn item_note(i: &ItemScore, note: String) -> String {
    let withdrawn = i.lines.iter().filter(|l| l.withdrawn()).count();
    let added = i
        .lines
        .iter()
        .filter(|l| l.adjusted.as_ref().is_some_and(|a| a.action.adds()))
        .count();
    let mut parts = vec![note];
    if withdrawn > 0 {
        parts.push(format!("其中 {withdrawn} 处已撤销（复核）"));
    }
    if added > 0 {
        parts.push(format!("其中 {added} 处为复核补扣或补加"));
    }
    parts.extend(set_note(i));
    parts.join("；")
}

/// "复核前 95 → 复核后 96" when the decisions changed the total.
pub fn total_note(s: &UnitScore) -> Option<String> {
    ((s.total - s.total_before_review).abs() > 1e-9).then(|| {
        format!(
            "复核前 {} → 复核后 {}",
            fmt_num(s.total_before_review),
            fmt_num(s.total)
        )
    })
}

/// Conditional fills on the mark column of a lines table.
pub fn highlights(col: u16) -> Vec<Highlight> {
    vec![
        Highlight::Starts {
            from: col,
            to: col,
            text: "已撤销".into(),
            color: WITHDRAWN_FILL,
        },
        Highlight::Starts {
            from: col,
            to: col,
            text: "复核补".into(),
            color: ADDED_FILL,
        },
    ]
}

/// "章华镇台账.xlsx 主动公开台账 第79行" from the parts written ("" when none).
fn place(file: &str, sheet: &str, row: Option<u32>) -> String {
    let mut parts: Vec<String> = [file, sheet]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    parts.extend(row.map(|r| format!("第{r}行")));
    parts.join(" ")
}

/// 复核调整: every decision in date order, what it changed and the unit's total before
/// and after it; first column the unit.
pub fn table(a: &Assessment, rules: &Rules) -> Table {
    let mut t = Table::new(
        "复核调整",
        &[
            "单位",
            "调整方式",
            "考核项目或标准",
            "出处",
            "分值",
            "理由",
            "决定日期",
            "经办人",
            "执行情况",
            "调整内容",
            "调整前总分",
            "调整后总分",
            "登记位置",
        ],
    );
    t.title = vec![
        crate::output::books::title(rules, a.period.year, "政务公开考核复核调整"),
        format!(
            "按决定日期先后执行；决定日期在截止日期 {} 之后的不执行。",
            a.period.as_of
        ),
    ];
    let reg = a.ds.registry();
    for d in &a.review.decisions {
        let Some(r) = a.ds.reviews.get(d.index) else {
            continue;
        };
        let unit = d
            .unit
            .map(|u| reg.name(u).to_string())
            .unwrap_or_else(|| r.unit_name.clone());
        t.push(vec![
            unit.into(),
            r.action.map(|x| x.word()).unwrap_or_default().into(),
            r.target.clone().into(),
            place(&r.src_file, &r.src_sheet, r.src_row).into(),
            r.points.map(Cell::Num).unwrap_or(Cell::Empty),
            r.reason.clone().into(),
            r.date.map(Cell::Date).unwrap_or(Cell::Empty),
            r.by.clone().into(),
            d.status.text().into(),
            d.effect.clone().into(),
            d.before.map(Cell::Num).unwrap_or(Cell::Empty),
            d.after.map(Cell::Num).unwrap_or(Cell::Empty),
            place(&r.src.file, &r.src.sheet, Some(r.src.row)).into(),
        ]);
    }
    t.highlights.push(Highlight::Starts {
        from: 8,
        to: 8,
        text: "未执行".into(),
        color: 0xFFC7CE,
    });
    t
}

/// One line for the terminal: how many decisions were applied (None without any).
pub fn summary_line(a: &Assessment, no_review: bool) -> Option<String> {
    let n = a.ds.reviews.len();
    if n == 0 {
        return None;
    }
    if no_review {
        return Some(format!("复核调整 {n} 项未执行（--no-review：显示复核前的得分）"));
    }
    let applied = a
        .review
        .decisions
        .iter()
        .filter(|d| d.status == Status::Applied)
        .count();
    let late = a
        .review
        .decisions
        .iter()
        .filter(|d| d.status == Status::AfterAsOf)
        .count();
    let refused = a.review.decisions.len() - applied - late;
    let mut s = format!("复核调整 {n} 项：已执行 {applied} 项");
    if late > 0 {
        s.push_str(&format!("，决定日期在截止日期之后未执行 {late} 项"));
    }
    if refused > 0 {
        s.push_str(&format!("，无法执行 {refused} 项（见“数据问题”）"));
    }
    Some(s)
}
