//! Rules validated at load: every list the code takes an element of is non-empty, every
//! MM-DD parses, every name is non-empty, every number is in range, every column
//! definition is consistent and every cross-reference (wiring, feeds, groups) resolves.
//! A fault is a rules error naming the file and the key (exit 2), never a panic or a
//! silently different score later.

use anyhow::{bail, Result};
use chrono::NaiveDate;

use super::{Checklist, FieldKind, ItemKind, LedgerSet, Rubric, UnitRules};

/// Whether `md` is a month and day such as 01-31 (29 February allowed).
pub fn month_day_ok(md: &str) -> bool {
    let md = md.trim();
    md.len() == 5 && NaiveDate::parse_from_str(&format!("2000-{md}"), "%Y-%m-%d").is_ok()
}

fn non_empty(file: &str, key: &str, v: &str) -> Result<()> {
    if v.trim().is_empty() {
        bail!("规则 {file}：{key} 不能为空");
    }
    Ok(())
}

fn list_non_empty<T>(file: &str, key: &str, v: &[T]) -> Result<()> {
    if v.is_empty() {
        bail!("规则 {file}：{key} 至少要有一项");
    }
    Ok(())
}

fn words_non_empty(file: &str, key: &str, v: &[String]) -> Result<()> {
    if let Some(i) = v.iter().position(|w| w.is_empty()) {
        bail!("规则 {file}：{key} 的第 {} 项是空字符串", i + 1);
    }
    Ok(())
}

fn at_least(file: &str, key: &str, v: u32, min: u32) -> Result<()> {
    if v < min {
        bail!("规则 {file}：{key} = {v} 超出范围：应不小于 {min}");
    }
    Ok(())
}

fn points(file: &str, key: &str, v: f64) -> Result<()> {
    if !v.is_finite() || v < 0.0 {
        bail!("规则 {file}：{key} = {v} 超出范围：分值应为不小于 0 的数");
    }
    Ok(())
}

fn mm_dd(file: &str, key: &str, v: &str) -> Result<()> {
    if !month_day_ok(v) {
        bail!("规则 {file}：{key} = \"{v}\" 不是有效的月-日：请写作 MM-DD，如 01-31");
    }
    Ok(())
}

/// rubric.toml, against the unit groups of units.toml.
pub fn rubric(r: &Rubric, units: &UnitRules) -> Result<()> {
    let f = "rubric.toml";
    let p = &r.params;
    non_empty(f, "params.county", &p.county)?;
    non_empty(f, "params.issuer", &p.issuer)?;
    non_empty(f, "params.due_issuer", &p.due_issuer)?;
    at_least(f, "params.publish_workdays", p.publish_workdays, 1)?;
    at_least(f, "params.request_workdays", p.request_workdays, 1)?;
    at_least(
        f,
        "params.request_extended_workdays",
        p.request_extended_workdays,
        p.request_workdays,
    )?;
    at_least(f, "params.inquiry_workdays", p.inquiry_workdays, 1)?;
    at_least(f, "params.newmedia_max_silence_days", p.newmedia_max_silence_days, 1)?;
    list_non_empty(f, "params.newmedia_checkpoints", &p.newmedia_checkpoints)?;
    for c in &p.newmedia_checkpoints {
        if c.trim() != "month_end" {
            mm_dd(f, "params.newmedia_checkpoints", c)?;
        }
    }
    if !(-1..=0).contains(&p.annual_report_year_offset) {
        bail!(
            "规则 {f}：params.annual_report_year_offset = {} 超出范围：应为 -1（上一年度的年报）或 0",
            p.annual_report_year_offset
        );
    }
    mm_dd(f, "params.annual_report_submit_by", &p.annual_report_submit_by)?;
    mm_dd(f, "params.annual_report_publish_by", &p.annual_report_publish_by)?;
    list_non_empty(f, "[[category]]", &r.categories)?;
    list_non_empty(f, "[[item]]", &r.items)?;
    let groups = [units.town_group.as_str(), units.department_group.as_str()];
    let check_groups = |key: &str, gs: &[String]| -> Result<()> {
        for g in gs {
            if !groups.contains(&g.as_str()) {
                bail!(
                    "规则 {f}：{key} 中的单位类别“{g}”未定义：可用的类别为 {}",
                    groups.join("、")
                );
            }
        }
        Ok(())
    };
    for c in &r.categories {
        non_empty(f, "category.id", &c.id)?;
        non_empty(f, &format!("类别 {} 的 name", c.id), &c.name)?;
        points(f, &format!("类别 {} 的 points", c.id), c.points)?;
    }
    for it in &r.items {
        non_empty(f, "item.id", &it.id)?;
        non_empty(f, &format!("考核项目 {} 的 name", it.id), &it.name)?;
        points(f, &format!("考核项目 {} 的 points", it.id), it.points)?;
        if let Some(cap) = it.cap {
            points(f, &format!("考核项目 {} 的 cap", it.id), cap)?;
        }
        if let Some(na) = it.not_applicable_score {
            points(f, &format!("考核项目 {} 的 not_applicable_score", it.id), na)?;
        }
        if it.kind == ItemKind::Score && it.standards.is_empty() {
            bail!("规则 {f}：考核项目 {} 没有扣分标准（[[item.standard]]）", it.id);
        }
        check_groups(&format!("考核项目 {} 的 groups", it.id), &it.groups)?;
        for s in &it.standards {
            non_empty(f, &format!("考核项目 {} 的 standard.id", it.id), &s.id)?;
            non_empty(f, &format!("扣分标准 {} 的 text", s.id), &s.text)?;
            points(f, &format!("扣分标准 {} 的 amount", s.id), s.amount)?;
            words_non_empty(f, &format!("扣分标准 {} 的 aliases", s.id), &s.aliases)?;
            check_groups(&format!("扣分标准 {} 的 groups", s.id), &s.groups)?;
        }
    }
    Ok(())
}

/// checklist.toml.
pub fn checklist(c: &Checklist) -> Result<()> {
    let f = "checklist.toml";
    if let Some(md) = &c.period_start {
        mm_dd(f, "period_start", md)?;
    }
    non_empty(f, "key_area_level1", &c.key_area_level1)?;
    list_non_empty(f, "[[frequency]]", &c.frequencies)?;
    list_non_empty(f, "[[item]]", &c.items)?;
    for fr in &c.frequencies {
        non_empty(f, "frequency.name", &fr.name)?;
    }
    let r = &c.responsibility;
    list_non_empty(f, "responsibility.separators", &r.separators)?;
    for (key, v) in [
        ("responsibility.separators", &r.separators),
        ("responsibility.all_towns", &r.all_towns),
        ("responsibility.all_departments", &r.all_departments),
        ("responsibility.publishers", &r.publishers),
        ("responsibility.strip_suffixes", &r.strip_suffixes),
    ] {
        words_non_empty(f, key, v)?;
    }
    for it in &c.items {
        non_empty(f, "item.name", &it.name)?;
        non_empty(f, &format!("指标“{}”的 level1", it.name), &it.level1)?;
        words_non_empty(f, &format!("指标“{}”的 aliases", it.name), &it.aliases)?;
    }
    Ok(())
}

/// units.toml.
pub fn units(u: &UnitRules) -> Result<()> {
    let f = "units.toml";
    non_empty(f, "town_group", &u.town_group)?;
    non_empty(f, "department_group", &u.department_group)?;
    if u.town_group == u.department_group {
        bail!(
            "规则 {f}：town_group 与 department_group 不能相同（“{}”）",
            u.town_group
        );
    }
    list_non_empty(f, "town_suffixes", &u.town_suffixes)?;
    words_non_empty(f, "town_suffixes", &u.town_suffixes)?;
    words_non_empty(f, "strip_prefixes", &u.strip_prefixes)?;
    words_non_empty(f, "strip_suffixes", &u.strip_suffixes)?;
    for (i, unit) in u.units.iter().enumerate() {
        non_empty(f, &format!("第 {} 个 [[unit]] 的 name", i + 1), &unit.name)?;
        words_non_empty(f, &format!("单位“{}”的 aliases", unit.name), &unit.aliases)?;
    }
    Ok(())
}

/// ledgers.toml, against the rubric's item ids (feeds).
pub fn ledgers(l: &LedgerSet, rubric: &Rubric) -> Result<()> {
    let f = "ledgers.toml";
    at_least(f, "header_scan_rows", l.header_scan_rows as u32, 1)?;
    for (key, v) in [
        ("footer_words", &l.footer_words),
        ("unit_line_labels", &l.unit_line_labels),
        ("no_date_words", &l.no_date_words),
        ("yes_words", &l.yes_words),
        ("no_words", &l.no_words),
    ] {
        words_non_empty(f, key, v)?;
    }
    list_non_empty(f, "yes_words", &l.yes_words)?;
    list_non_empty(f, "no_words", &l.no_words)?;
    list_non_empty(f, "[[ledger]]", &l.ledgers)?;
    for d in &l.ledgers {
        non_empty(f, "ledger.name", &d.name)?;
        list_non_empty(f, &format!("台账“{}”的 [[ledger.field]]", d.name), &d.fields)?;
        for feed in &d.feeds {
            if rubric.item(feed).is_none() {
                let ids: Vec<&str> = rubric.items.iter().map(|i| i.id.as_str()).collect();
                bail!(
                    "规则 {f}：台账“{}”的 feeds 中的“{feed}”不是考核项目编号：可用的编号为 {}",
                    d.name,
                    ids.join("、")
                );
            }
        }
        words_non_empty(f, &format!("台账“{}”的 keywords", d.name), &d.keywords)?;
        for fd in &d.fields {
            let at = format!("台账“{}”的列 {}", d.name, fd.id);
            non_empty(f, "ledger.field.id", &fd.id)?;
            non_empty(f, &format!("{at} 的 header"), &fd.header)?;
            words_non_empty(f, &format!("{at} 的 synonyms"), &fd.synonyms)?;
            for (i, v) in fd.values.iter().enumerate() {
                if v.is_empty() {
                    bail!(
                        "规则 {f}：{at} 的 values 第 {} 组为空：每组至少写一个取值（第一个为标准写法）",
                        i + 1
                    );
                }
                words_non_empty(f, &format!("{at} 的 values"), v)?;
            }
            if fd.kind == FieldKind::Choice && fd.values.is_empty() {
                bail!("规则 {f}：{at} 是选择列（kind = \"choice\"），values 至少要有一组");
            }
            for (name, words) in &fd.words {
                words_non_empty(f, &format!("{at} 的 words.{name}"), words)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    #[test]
    fn month_days() {
        assert!(month_day_ok("01-31") && month_day_ok("02-29") && month_day_ok(" 12-31 "));
        assert!(!month_day_ok("13-45") && !month_day_ok("1-5") && !month_day_ok("") && !month_day_ok("02-30"));
    }

    #[test]
    fn the_embedded_rules_pass_and_faults_are_named() {
        let r = Rules::embedded().unwrap();
        let mut rubric = r.rubric.clone();
        rubric.params.publish_workdays = 0;
        let e = super::rubric(&rubric, &r.units).unwrap_err().to_string();
        assert!(e.contains("publish_workdays"), "{e}");
        let mut rubric = r.rubric.clone();
        rubric.params.annual_report_submit_by = "13-45".into();
        let e = super::rubric(&rubric, &r.units).unwrap_err().to_string();
        assert!(e.contains("annual_report_submit_by") && e.contains("13-45"), "{e}");
        let mut units = r.units.clone();
        units.units[0].name = String::new();
        assert!(super::units(&units).is_err());
        let mut ledgers = r.ledgers.clone();
        ledgers.ledgers[0].fields[0].values = vec![vec![]];
        assert!(super::ledgers(&ledgers, &r.rubric).is_err());
    }
}
