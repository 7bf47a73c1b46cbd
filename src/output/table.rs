//! Terminal tables (comfy-table measures Han characters as two columns).
//!
//! At a narrow width, columns that must stay whole (unit names, dates, numbers) keep
//! their width, other text wraps at word boundaries, and when even that does not fit the
//! least important columns are left out.

use comfy_table::{presets, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

use crate::score::UnitScore;
use crate::text;

/// A table with Chinese headers, wrapped to the terminal (or `width` when given).
pub fn new_table(headers: &[&str], width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(w) = width {
        t.set_width(w);
    }
    t.set_header(headers.iter().map(Cell::new));
    t
}

/// Formats a score without a trailing .0.
pub fn fmt_num(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// A column of a fitted table.
pub struct Col<'a> {
    pub header: &'a str,
    /// Never broken inside (names, dates, numbers); otherwise wraps at spaces.
    pub whole: bool,
    pub right: bool,
    /// Columns with the highest `drop` are left out first when the width is too small
    /// (0: never).
    pub drop: u8,
}

/// Narrowest a column can print: a whole column its widest cell, a wrapping one its
/// widest word.
fn min_width(c: &Col, cells: &[&str]) -> usize {
    let head = text::width(c.header);
    let body = cells
        .iter()
        .map(|s| {
            if c.whole {
                text::width(s)
            } else {
                s.split(' ').map(text::width).max().unwrap_or(0)
            }
        })
        .max()
        .unwrap_or(0);
    head.max(body)
}

/// Renders rows under `cols`, fitted to `width` (the terminal's when `None`).
pub fn fitted(cols: &[Col], rows: &[Vec<String>], width: Option<u16>) -> String {
    let width = width.or_else(|| {
        let mut probe = Table::new();
        probe.set_content_arrangement(ContentArrangement::Dynamic);
        probe.width()
    });
    let mins: Vec<usize> = (0..cols.len())
        .map(|i| {
            let cells: Vec<&str> = rows.iter().map(|r| r.get(i).map_or("", |s| s.as_str())).collect();
            min_width(&cols[i], &cells)
        })
        .collect();
    let mut keep: Vec<usize> = (0..cols.len()).collect();
    if let Some(w) = width {
        // Borders and padding: 3 a column plus 1.
        let need = |k: &[usize]| k.iter().map(|i| mins[*i] + 3).sum::<usize>() + 1;
        while need(&keep) > usize::from(w) {
            let Some(pos) = keep
                .iter()
                .enumerate()
                .filter(|(_, i)| cols[**i].drop > 0)
                .max_by_key(|(_, i)| (cols[**i].drop, **i))
                .map(|(p, _)| p)
            else {
                break;
            };
            keep.remove(pos);
        }
    }
    let headers: Vec<&str> = keep.iter().map(|i| cols[*i].header).collect();
    let mut t = new_table(&headers, width);
    for r in rows {
        t.add_row(keep.iter().map(|i| {
            let c = Cell::new(r.get(*i).map_or("", |s| s.as_str()));
            if cols[*i].right {
                c.set_alignment(CellAlignment::Right)
            } else {
                c
            }
        }));
    }
    for (k, i) in keep.iter().enumerate() {
        if cols[*i].whole {
            if let Some(col) = t.column_mut(k) {
                // The boundary counts the padding (one space each side).
                let w = u16::try_from(mins[*i] + 2).unwrap_or(u16::MAX);
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
            }
        }
    }
    t.to_string()
}

/// The ranking: one row per unit, by group and rank. 扣分事项 is the P1–P3 penalties
/// only; 合计扣分 every deduction counted after caps.
pub fn ranking(scores: &[UnitScore], width: Option<u16>) -> String {
    let cols = [
        Col {
            header: "类别",
            whole: true,
            right: false,
            drop: 2,
        },
        Col {
            header: "排名",
            whole: true,
            right: true,
            drop: 0,
        },
        Col {
            header: "单位",
            whole: true,
            right: false,
            drop: 0,
        },
        Col {
            header: "总分",
            whole: true,
            right: true,
            drop: 0,
        },
        Col {
            header: "加分",
            whole: true,
            right: true,
            drop: 4,
        },
        Col {
            header: "扣分事项",
            whole: true,
            right: true,
            drop: 3,
        },
        Col {
            header: "合计扣分",
            whole: true,
            right: true,
            drop: 1,
        },
        Col {
            header: "失分项目",
            whole: false,
            right: false,
            drop: 5,
        },
    ];
    let rows: Vec<Vec<String>> = scores
        .iter()
        .map(|s| {
            let lost: Vec<String> = s
                .items
                .iter()
                .filter(|i| i.kind == crate::rules::ItemKind::Score && i.score + 1e-9 < i.max)
                .map(|i| format!("{}-{}", i.id, fmt_num(i.max - i.score)))
                .collect();
            vec![
                s.group_name.clone(),
                format!("{}/{}", s.rank, s.group_size),
                s.name.clone(),
                fmt_num(s.total),
                fmt_num(s.bonus),
                fmt_num(s.penalty),
                fmt_num(crate::output::books::total_deducted(s)),
                match &s.zeroed {
                    Some(z) => format!("总分为零（{z}）"),
                    None => lost.join(" "),
                },
            ]
        })
        .collect();
    fitted(&cols, &rows, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zero() {
        assert_eq!(fmt_num(93.0), "93");
        assert_eq!(fmt_num(93.5), "93.5");
        assert_eq!(fmt_num(0.1 + 0.2), "0.3");
    }

    fn sample() -> (Vec<Col<'static>>, Vec<Vec<String>>) {
        let cols = vec![
            Col {
                header: "单位",
                whole: true,
                right: false,
                drop: 0,
            },
            Col {
                header: "最近更新",
                whole: true,
                right: false,
                drop: 0,
            },
            Col {
                header: "总分",
                whole: true,
                right: true,
                drop: 0,
            },
            Col {
                header: "备注",
                whole: false,
                right: false,
                drop: 2,
            },
            Col {
                header: "类别",
                whole: true,
                right: false,
                drop: 1,
            },
        ];
        let rows = vec![
            vec![
                "岳阳市生态环境局华容分局".into(),
                "2021-06-04".into(),
                "83.5".into(),
                "C3-7 C4-10 F4-2 G1-1 A3-0.5 D2-2".into(),
                "县直部门".into(),
            ],
            vec![
                "章华镇".into(),
                "2021-12-31".into(),
                "100".into(),
                "".into(),
                "乡镇".into(),
            ],
        ];
        (cols, rows)
    }

    /// Each printed line fits the width, and names and dates appear whole on one line.
    fn check(out: &str, width: usize) {
        for line in out.lines() {
            assert!(
                text::width(line) <= width,
                "{} > {width}: {line}\n{out}",
                text::width(line)
            );
        }
        for whole in ["岳阳市生态环境局华容分局", "2021-06-04", "2021-12-31"] {
            assert!(out.lines().any(|l| l.contains(whole)), "{whole} broken:\n{out}");
        }
    }

    #[test]
    fn narrow_terminals_keep_names_whole_and_drop_the_least_important_column() {
        let (cols, rows) = sample();
        let wide = fitted(&cols, &rows, Some(100));
        check(&wide, 100);
        assert!(wide.contains("备注") && wide.contains("类别"), "{wide}");
        assert!(wide.contains("C3-7 C4-10 F4-2 G1-1"), "one line at 100:\n{wide}");
        let mid = fitted(&cols, &rows, Some(80));
        check(&mid, 80);
        assert!(mid.contains("备注"), "{mid}");
        for word in ["C3-7", "C4-10", "F4-2", "G1-1", "A3-0.5", "D2-2"] {
            assert!(mid.contains(word), "备注 wraps at spaces, {word} whole:\n{mid}");
        }
        assert!(
            !mid.contains("C3-7 C4-10 F4-2 G1-1 A3-0.5 D2-2"),
            "wrapped at 80:\n{mid}"
        );
        let narrow = fitted(&cols, &rows, Some(60));
        check(&narrow, 60);
        assert!(!narrow.contains("备注"), "备注 dropped first at 60:\n{narrow}");
        assert!(narrow.contains("类别"), "类别 kept at 60:\n{narrow}");
        let tiny = fitted(&cols, &rows, Some(50));
        check(&tiny, 50);
        assert!(!tiny.contains("类别"), "then 类别 at 50:\n{tiny}");
    }
}
