//! Update-frequency results: the matrix and detail sheets, the terminal listing and the
//! `hrgk freq --format json` document.

use serde_json::{json, Value};

use crate::assess::Assessment;
use crate::checks::frequency::{Pair, PairStatus};
use crate::output::table::{fitted, Col};
use crate::output::xlsx::{Cell, Highlight, Table};
use crate::rules::Rules;

/// One JSON object per responsible pair.
pub fn pair_json(a: &Assessment, rules: &Rules, p: &Pair) -> Value {
    let item = &rules.checklist.items[p.item];
    json!({
        "item": item.name,
        "frequency": item.frequency,
        "unit": a.ds.registry().name(p.unit),
        "updates": p.updates,
        "last": p.last.map(|d| d.to_string()),
        "longest_gap_days": p.longest_gap_days,
        "lapses": p.lapses,
        "status": p.status.label(),
    })
}

pub fn unmatched_json(a: &Assessment) -> Value {
    Value::Array(
        a.checked
            .frequency
            .unmatched
            .iter()
            .map(|(c, n)| json!({"category": c, "rows": n}))
            .collect(),
    )
}

/// The `hrgk freq --format json` document.
pub fn freq_json(a: &Assessment, rules: &Rules) -> Value {
    serde_json::to_value(freq_doc(a, rules)).unwrap_or(Value::Null)
}

/// The `hrgk freq --format json` document, its checks made one at a time as it is written.
pub fn freq_doc<'a>(a: &'a Assessment, rules: &'a Rules) -> crate::output::json::Doc<'a> {
    let mut doc = crate::output::json::Doc::new();
    doc.value("year", json!(a.period.year));
    doc.value("as_of", json!(a.period.as_of.to_string()));
    let pairs = &a.checked.frequency.pairs;
    doc.items("checks", pairs.len(), |i| pair_json(a, rules, &pairs[i]));
    doc.value("unmatched", unmatched_json(a));
    doc.value("tool", crate::output::json::tool(rules));
    doc
}

/// Item columns on one printed page of the matrix.
const ITEMS_PER_PAGE: u16 = 10;

/// Matrix: units down, items across (name and frequency in the header, level-1 name in
/// the header note), printed in page-sized blocks of `ITEMS_PER_PAGE` item columns with
/// the unit columns repeated. Each cell is a short word (达标, 无更新, 不适用) or, when
/// the item failed, the number of lapses, coloured.
pub fn matrix(a: &Assessment, rules: &Rules, name: &str) -> Table {
    let reg = a.ds.registry();
    let units = reg.assessed();
    let mut headers: Vec<String> = vec!["单位".into(), "类别".into()];
    let mut notes: Vec<Option<String>> = vec![None, None];
    for item in &rules.checklist.items {
        headers.push(format!("{}\n（{}）", item.name, item.frequency));
        notes.push(Some(format!(
            "{}／{}\n更新频率：{}",
            item.level1, item.name, item.frequency
        )));
    }
    let h: Vec<&str> = headers.iter().map(|s| s.as_str()).collect();
    let mut t = Table::new(name, &h);
    t.notes = notes;
    t.title = vec![
        format!("政务公开内容更新频率检查（{} 至 {}）", a.period.start, a.period.as_of),
        "数字为未按时更新的次数（未达标，红色）；达标为绿色，无更新为黄色".into(),
    ];
    t.max_widths = vec![20, 8];
    t.max_widths.extend(std::iter::repeat_n(9, rules.checklist.items.len()));
    t.column_blocks = Some((2, ITEMS_PER_PAGE));
    // (item, unit) → its pair, the first one kept (a search per cell grew with units ×
    // pairs, and pairs grow with units).
    let mut by_cell: std::collections::HashMap<(usize, crate::ingest::UnitId), &Pair> =
        std::collections::HashMap::with_capacity(a.checked.frequency.pairs.len());
    for p in &a.checked.frequency.pairs {
        by_cell.entry((p.item, p.unit)).or_insert(p);
    }
    for u in &units {
        let mut row: Vec<Cell> = vec![reg.name(*u).into(), reg.group_name(reg.units[*u].group).into()];
        for idx in 0..rules.checklist.items.len() {
            let p = by_cell.get(&(idx, *u)).copied();
            row.push(match p {
                Some(p) if p.status == PairStatus::Failed => Cell::from(p.lapses),
                Some(p) => p.status.label().into(),
                None => PairStatus::NotApplicable.label().into(),
            });
        }
        t.push(row);
    }
    let items = rules.checklist.items.len() as u16;
    if items > 0 {
        let to = 1 + items;
        t.highlights.push(Highlight::Above {
            from: 2,
            to,
            value: 0.0,
        });
        for (text, color) in [("无更新", 0xFFEB9C), ("达标", 0xC6EFCE)] {
            t.highlights.push(Highlight::Starts {
                from: 2,
                to,
                text: text.into(),
                color,
            });
        }
    }
    t
}

/// Detail: one row per responsible item × unit with every figure.
pub fn detail(a: &Assessment, rules: &Rules) -> Table {
    let reg = a.ds.registry();
    let mut t = Table::new(
        "更新频率明细",
        &[
            "一级指标",
            "二级指标",
            "更新频率",
            "单位",
            "类别",
            "更新次数",
            "最近更新",
            "最长间隔（天）",
            "未按时更新次数",
            "状态",
            "说明",
        ],
    );
    for p in &a.checked.frequency.pairs {
        let item = &rules.checklist.items[p.item];
        let mut notes: Vec<String> = p
            .gaps
            .iter()
            .map(|g| format!("{} 至 {} 间隔 {} 天，少更新 {} 次", g.from, g.to, g.days, g.missed))
            .collect();
        for &i in &p.late_rows {
            let r = &a.ds.publications[i];
            notes.push(format!(
                "逾期：{}（{} 第 {} 行）",
                a.ds.title(r),
                r.src.sheet,
                r.src.row
            ));
        }
        t.push(vec![
            item.level1.clone().into(),
            item.name.clone().into(),
            item.frequency.clone().into(),
            reg.name(p.unit).into(),
            reg.group_name(reg.units[p.unit].group).into(),
            p.updates.into(),
            p.last.into(),
            p.longest_gap_days.into(),
            p.lapses.into(),
            p.status.label().into(),
            notes.join("；").into(),
        ]);
    }
    t
}

/// 栏目 values that matched no checklist item.
pub fn unmatched(a: &Assessment) -> Table {
    let mut t = Table::new("未匹配栏目", &["栏目（原文）", "考核期内行数"]);
    t.portrait = true;
    t.title = vec!["以下栏目未能对应内容清单的二级指标：可在规则 checklist.toml 中为相应指标添加别名".into()];
    for (c, n) in &a.checked.frequency.unmatched {
        t.push(vec![c.clone().into(), (*n).into()]);
    }
    t
}

/// Terminal: each unit with lapses and its failing items, then one line of totals.
pub fn terminal(a: &Assessment, rules: &Rules) -> String {
    let reg = a.ds.registry();
    let f = &a.checked.frequency;
    let mut out = String::new();
    // Failing pairs by unit, in pair order (a pass over every pair per unit grew with
    // units × pairs).
    let mut failing_of: std::collections::HashMap<crate::ingest::UnitId, Vec<&Pair>> = std::collections::HashMap::new();
    for p in f.pairs.iter().filter(|p| p.lapses > 0) {
        failing_of.entry(p.unit).or_default().push(p);
    }
    for u in reg.assessed() {
        let failing: Vec<&Pair> = failing_of.remove(&u).unwrap_or_default();
        if failing.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}\n", reg.name(u)));
        let cols = [
            Col {
                header: "指标",
                whole: true,
                right: false,
                drop: 0,
            },
            Col {
                header: "频率",
                whole: true,
                right: false,
                drop: 2,
            },
            Col {
                header: "更新",
                whole: true,
                right: true,
                drop: 3,
            },
            Col {
                header: "最近更新",
                whole: true,
                right: false,
                drop: 1,
            },
            Col {
                header: "最长间隔",
                whole: true,
                right: true,
                drop: 4,
            },
            Col {
                header: "未达标次数",
                whole: true,
                right: true,
                drop: 0,
            },
        ];
        let rows: Vec<Vec<String>> = failing
            .iter()
            .map(|p| {
                let item = &rules.checklist.items[p.item];
                vec![
                    item.name.clone(),
                    item.frequency.clone(),
                    p.updates.to_string(),
                    p.last.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                    format!("{}天", p.longest_gap_days),
                    p.lapses.to_string(),
                ]
            })
            .collect();
        out.push_str(&fitted(&cols, &rows, None));
        out.push('\n');
    }
    let count = |s: PairStatus| f.pairs.iter().filter(|p| p.status == s).count();
    out.push_str(&format!(
        "\n共核对 {} 项（{} 至 {}）：达标 {}，未达标 {}（共 {} 次），无更新 {}；未匹配的栏目 {} 个\n",
        f.pairs.len(),
        a.period.start,
        a.period.as_of,
        count(PairStatus::Met),
        count(PairStatus::Failed),
        f.lapses(),
        count(PairStatus::NoUpdate),
        f.unmatched.len()
    ));
    out
}
