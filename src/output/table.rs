//! Terminal tables (comfy-table measures Han characters as two columns).

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

use crate::score::UnitScore;

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

/// The ranking: one row per unit, by group and rank.
pub fn ranking(scores: &[UnitScore], width: Option<u16>) -> String {
    let mut t = new_table(&["类别", "排名", "单位", "总分", "加分", "扣分", "扣分项"], width);
    for s in scores {
        let lost: Vec<String> = s
            .items
            .iter()
            .filter(|i| i.kind == crate::rules::ItemKind::Score && i.score + 1e-9 < i.max)
            .map(|i| format!("{}-{}", i.id, fmt_num(i.max - i.score)))
            .collect();
        t.add_row(vec![
            Cell::new(&s.group_name),
            Cell::new(format!("{}/{}", s.rank, s.group_size)).set_alignment(CellAlignment::Right),
            Cell::new(&s.name),
            Cell::new(fmt_num(s.total)).set_alignment(CellAlignment::Right),
            Cell::new(fmt_num(s.bonus)).set_alignment(CellAlignment::Right),
            Cell::new(fmt_num(s.penalty)).set_alignment(CellAlignment::Right),
            Cell::new(match &s.zeroed {
                Some(z) => format!("总分为零（{z}）"),
                None => lost.join(" "),
            }),
        ]);
    }
    t.to_string()
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
}
