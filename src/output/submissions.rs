//! 收件情况 as a terminal block and a sheet.

use crate::ingest::submissions::{self as sub, Submissions};
use crate::output::xlsx::{Cell, Highlight, Table};

fn file_name(p: &str) -> &str {
    std::path::Path::new(p)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(p)
}

/// The first block of the terminal output: counts, then one line per thing to act on.
pub fn terminal(s: &Submissions) -> String {
    let mut out = String::new();
    let missing: Vec<&str> = s.not_submitted().map(|u| u.unit.as_str()).collect();
    out.push_str(&format!(
        "收件情况：{} 个单位已报送，{} 个未报送；读取 {} 个文件，重复文件 {} 个，本工具生成的结果 {} 个，跳过 {} 个，无法读取 {} 个\n",
        s.units.len() - missing.len(),
        missing.len(),
        s.count(sub::READ),
        s.count(sub::DUPLICATE),
        s.count(sub::OWN),
        s.count(sub::SKIPPED),
        s.count(sub::UNREADABLE),
    ));
    if !missing.is_empty() {
        out.push_str(&format!("  未报送（没有任何台账行）：{}\n", missing.join("、")));
    }
    for o in &s.off_list {
        let near = if o.closest.is_empty() {
            "名单中没有相近的名称".to_string()
        } else {
            format!("名单中相近的有：{}", o.closest.join("、"))
        };
        out.push_str(&format!(
            "  名单外单位：{} {} 行，不参加考核（{near}）\n",
            o.name, o.rows
        ));
    }
    for f in &s.files {
        let line = match f.status {
            sub::DUPLICATE => format!("  重复文件：{}：{}", f.path, f.detail),
            sub::OWN => format!("  本工具结果，未读取：{}", f.path),
            sub::UNREADABLE => format!("  无法读取：{}：{}", f.path, f.detail),
            sub::SKIPPED => format!("  已跳过：{}（{}）", f.path, f.detail),
            _ if !f.detail.is_empty() => format!("  {}：{}", f.path, f.detail),
            _ => continue,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The 收件情况 sheet: units first, then files, then names not on the list.
pub fn table(s: &Submissions) -> Table {
    let mut t = Table::new(
        "收件情况",
        &["类型", "名称", "状态", "台账及行数", "数据问题", "文件及说明"],
    );
    t.title = vec![
        "收件情况".into(),
        "每个单位报送了哪些台账、各多少行；每个文件是否读取及原因。未报送的单位仍按细则计分。".into(),
    ];
    t.highlights.push(Highlight::Starts {
        from: 2,
        to: 2,
        text: sub::NOT_SUBMITTED.into(),
        color: 0xFFC7CE,
    });
    t.highlights.push(Highlight::Starts {
        from: 2,
        to: 2,
        text: sub::UNREADABLE.into(),
        color: 0xFFC7CE,
    });
    for u in &s.units {
        let mut ledgers: Vec<String> = u
            .ledgers
            .iter()
            .map(|l| format!("{} {} 行", l.ledger_name, l.rows))
            .collect();
        ledgers.extend(
            u.missing_ledgers
                .iter()
                .map(|l| format!("{l} 缺台账（缺少必填列，未读取）")),
        );
        t.push(vec![
            format!("单位（{}）", u.group).into(),
            u.unit.clone().into(),
            u.status.into(),
            ledgers.join("；").into(),
            Cell::from(u.problems),
            u.files
                .iter()
                .map(|f| file_name(f))
                .collect::<Vec<_>>()
                .join("；")
                .into(),
        ]);
    }
    for f in &s.files {
        t.push(vec![
            "文件".into(),
            f.path.clone().into(),
            f.status.into(),
            Cell::Empty,
            Cell::Empty,
            f.detail.clone().into(),
        ]);
    }
    for o in &s.off_list {
        t.push(vec![
            "名单外单位".into(),
            o.name.clone().into(),
            "不参加考核".into(),
            format!("{} 行", o.rows).into(),
            Cell::Empty,
            if o.closest.is_empty() {
                "名单中没有相近的名称".into()
            } else {
                format!("名单中相近的有：{}", o.closest.join("、")).into()
            },
        ]);
    }
    t
}
