//! Columns of the publication ledger → C1 (公开属性 and 理由), C2 (解读 published the
//! same day), F3 (公开方式单一).

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

use super::support::{present, words};
use super::{Charges, Evidence, Period};
use crate::ingest::{Dataset, DateCell, Publication, UnitId};
use crate::rules::{LedgerKind, Rules};
use crate::text;

/// A row charged under C1 or C2.
#[derive(Debug, Clone)]
pub struct Flag {
    /// Index into `Dataset::publications`.
    pub index: usize,
    pub unit: UnitId,
    pub reason: String,
}

/// The channels a unit's period rows name.
#[derive(Debug, Clone)]
pub struct Channels {
    pub unit: UnitId,
    /// Distinct channels as first written (website synonyms folded into one).
    pub channels: Vec<String>,
    /// Period rows naming a channel.
    pub rows: usize,
    /// First row naming a channel (index into `Dataset::publications`).
    pub first: usize,
    pub single: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub c1: Vec<Flag>,
    pub c2: Vec<Flag>,
    /// Every unit whose period rows name a channel.
    pub channels: Vec<Channels>,
    /// Whether some sheet had a 公开属性 column / 是否需解读 values / 公开方式 values.
    pub has_attribute: bool,
    pub has_interpretation: bool,
    pub has_channel: bool,
}

/// The date a row belongs to the period by: its publication date, else (not published,
/// e.g. 不予公开) its formation date.
fn period_date(p: &Publication) -> Option<NaiveDate> {
    match p.published {
        DateCell::BLANK => p.formed.date(),
        d => d.date(),
    }
}

/// Splits a 公开方式 cell on 、，,;；.
pub fn split_channels(s: &str) -> impl Iterator<Item = &str> {
    s.split(['、', '，', ',', ';', '；'])
        .map(text::clean)
        .filter(|p| !p.is_empty())
}

pub fn check(ds: &Dataset, rules: &Rules, period: &Period, ch: &mut Charges) -> Report {
    let w = &rules.rubric.params.wiring;
    let (c1, c2, f3) = (
        w.c1_attribute.as_str(),
        w.c2_interpretation.as_str(),
        w.f3_single_channel.as_str(),
    );
    let mut rep = Report::default();
    if !present(ds, &[LedgerKind::Publication]) {
        return rep;
    }
    let rows = || {
        ds.publications
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.duplicate)
            .filter_map(|(i, p)| p.unit.map(|u| (i, u, p)))
    };
    rep.has_attribute = ds.publications.iter().any(|p| p.has_attribute_column);
    rep.has_interpretation = ds.publications.iter().any(|p| p.needs_interpretation.is_some());
    rep.has_channel = ds
        .publications
        .iter()
        .any(|p| !text::clean(ds.text(p.channel)).is_empty());
    for (has, s) in [
        (rep.has_attribute, c1),
        (rep.has_interpretation, c2),
        (rep.has_channel, f3),
    ] {
        if has {
            ch.feed(&[s]);
        }
    }
    let push = |ch: &mut Charges, s: &str, unit, reason: &str, p: &Publication| {
        ch.charge(unit, s, reason.to_string(), Evidence::row(&p.src, ds.title(p)));
    };
    // C1: rows of sheets with a 公开属性 column, in the period by publication date (by
    // formation date when not published).
    for (index, unit, p) in rows() {
        if !p.has_attribute_column || !period_date(p).is_some_and(|d| period.contains(d)) {
            continue;
        }
        let attribute = text::clean(ds.text(p.attribute));
        let doc_no = text::clean(ds.text(p.doc_no));
        let reason = if attribute.is_empty() && !doc_no.is_empty() {
            format!("公文（{doc_no}）未标明公开属性")
        } else if p.non_proactive && text::clean(ds.text(p.reason)).is_empty() {
            format!("公开属性为“{attribute}”，未说明理由")
        } else {
            continue;
        };
        let reason = format!("公文办理台账不规范：{reason}");
        push(ch, c1, unit, &reason, p);
        rep.c1.push(Flag { index, unit, reason });
    }
    // C2: rows needing interpretation published in the period.
    for (index, unit, p) in rows() {
        let Some(published) = p.published.date().filter(|d| period.contains(*d)) else {
            continue;
        };
        if p.needs_interpretation != Some(true) {
            continue;
        }
        let reason = match p.interpretation_date.date() {
            Some(d) if d == published => continue,
            Some(d) => format!("解读发布日期 {d} 与文件公开日期 {published} 不是同一天"),
            None if p.interpretation_date == DateCell::BLANK => {
                format!("文件 {published} 公开，需解读但未填写解读发布日期")
            }
            None => format!("文件 {published} 公开，解读发布日期无法识别"),
        };
        push(ch, c2, unit, &reason, p);
        rep.c2.push(Flag { index, unit, reason });
    }
    // F3: the distinct channels of each unit's period rows.
    let website = words(rules, LedgerKind::Publication, "channel", "same_website");
    let key = |c: &str| {
        let f = text::fold(c);
        if website.contains(&f) {
            website[0].clone()
        } else {
            f
        }
    };
    let mut by_unit: BTreeMap<UnitId, (BTreeMap<String, String>, usize, usize)> = BTreeMap::new();
    // Each distinct channel text's key, folded once rather than once per row.
    let mut keys: HashMap<&str, String, crate::hash::FxBuild> = HashMap::default();
    for (index, unit, p) in rows() {
        if !p.published.date().is_some_and(|d| period.contains(d)) {
            continue;
        }
        let mut any = false;
        for c in split_channels(ds.text(p.channel)) {
            let e = by_unit.entry(unit).or_insert_with(|| (BTreeMap::new(), 0, index));
            let k = keys.entry(c).or_insert_with(|| key(c));
            if !e.0.contains_key(k.as_str()) {
                e.0.insert(k.clone(), c.to_string());
            }
            any = true;
        }
        if any {
            if let Some(e) = by_unit.get_mut(&unit) {
                e.1 += 1;
            }
        }
    }
    for unit in ds.registry().assessed() {
        let Some((set, n, first)) = by_unit.remove(&unit) else {
            continue;
        };
        let channels: Vec<String> = set.into_values().collect();
        let single = channels.len() == 1;
        if single {
            let reason = format!("公开方式单一：考核期内 {n} 条信息只通过“{}”公开", channels[0]);
            push(ch, f3, unit, &reason, &ds.publications[first]);
        }
        rep.channels.push(Channels {
            unit,
            channels,
            rows: n,
            first,
            single,
        });
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::checks::Checked;
    use crate::ingest::TextId;

    fn p(ds: &mut Dataset, unit: UnitId, n: u32, published: &str) -> Publication {
        Publication {
            formed: DateCell::on(d("2021-03-01")),
            published: od(published).map_or(DateCell::BLANK, DateCell::on),
            attribute: text(ds, "主动公开"),
            has_attribute_column: true,
            ..publication(&mut ds.titles, unit, &format!("文件{n}"), n)
        }
    }

    fn run(ds: &Dataset, rules: &Rules) -> Checked {
        let mut c = Checked::default();
        c.columns = check(
            ds,
            rules,
            &period("2021-12-31"),
            &mut Charges::new(rules, &mut c.occurrences, &mut c.fed),
        );
        c
    }

    fn rows(c: &Checked, rules: &Rules, check: &str) -> Vec<u32> {
        rows_of(&c.occurrences, rules, check)
    }

    #[test]
    fn c1_attribute_and_reason() {
        let (rules, mut ds, u) = setup(&["财政局"]);
        ds.present.insert(LedgerKind::Publication);
        let mut a = p(&mut ds, u[0], 2, "2021-03-05");
        a.attribute = TextId::EMPTY;
        a.doc_no = text(&mut ds, "华财发〔2021〕5号");
        let mut b = p(&mut ds, u[0], 3, "");
        b.attribute = text(&mut ds, "不予公开");
        b.non_proactive = true;
        let mut c = p(&mut ds, u[0], 4, "");
        c.attribute = text(&mut ds, "依申请公开");
        c.non_proactive = true;
        c.reason = text(&mut ds, "涉及商业秘密");
        // No 文号, no attribute: not charged.
        let mut e = p(&mut ds, u[0], 5, "2021-03-05");
        e.attribute = TextId::EMPTY;
        // A sheet without the column is not checked.
        let mut f = p(&mut ds, u[0], 6, "2021-03-05");
        f.attribute = TextId::EMPTY;
        f.doc_no = text(&mut ds, "华财发〔2021〕6号");
        f.has_attribute_column = false;
        // Out of the period; a duplicate.
        let mut g = a.clone();
        g.published = DateCell::on(d("2020-12-30"));
        g.src = src(7);
        let mut h = a.clone();
        h.duplicate = true;
        h.src = src(8);
        ds.publications = vec![a, b, c, e, f, g, h];
        let ch = run(&ds, &rules);
        assert_eq!(rows(&ch, &rules, "c1_attribute"), [2, 3]);
        assert!(ch.fed.contains("C1"));
        assert!(!ch.fed.contains("C2") && !ch.fed.contains("F3"));
    }

    #[test]
    fn c2_interpretation_same_day() {
        let (rules, mut ds, u) = setup(&["财政局"]);
        ds.present.insert(LedgerKind::Publication);
        let mut rows_ = Vec::new();
        for (n, interp) in [(2, "2021-03-05"), (3, "2021-03-06"), (4, ""), (5, "x")] {
            let mut r = p(&mut ds, u[0], n, "2021-03-05");
            r.needs_interpretation = Some(true);
            r.interpretation_date = match interp {
                "" => DateCell::BLANK,
                "x" => DateCell::UNREADABLE,
                s => DateCell::on(d(s)),
            };
            rows_.push(r);
        }
        let mut no = p(&mut ds, u[0], 6, "2021-03-05");
        no.needs_interpretation = Some(false);
        rows_.push(no);
        ds.publications = rows_;
        let c = run(&ds, &rules);
        assert_eq!(rows(&c, &rules, "c2_interpretation"), [3, 4, 5]);
        assert!(c.fed.contains("C2"));
        let scores = crate::score::score(ds.registry(), &rules, &c);
        let c2 = scores[0].items.iter().find(|i| i.id == "C2").unwrap();
        assert_eq!(c2.score, 1.0, "2 each");
    }

    #[test]
    fn f3_single_channel_with_website_synonyms() {
        let (rules, mut ds, u) = setup(&["财政局", "章华镇", "卫健局", "人社局"]);
        ds.present.insert(LedgerKind::Publication);
        let mut rows_ = Vec::new();
        let mut add = |unit, n, ch: &str| {
            let mut r = p(&mut ds, unit, n, "2021-03-05");
            r.channel = text(&mut ds, ch);
            rows_.push(r);
        };
        // Website synonyms only: single.
        add(u[0], 2, "政府网站");
        add(u[0], 3, "门户网站， 网站");
        add(u[0], 4, "");
        // Two channels: not single.
        add(u[1], 5, "政府门户网站、公开栏");
        // No value at all: not charged.
        add(u[2], 6, "");
        // One channel on several rows: single.
        add(u[3], 7, "公开栏");
        add(u[3], 8, "公开栏；");
        ds.publications = rows_;
        let c = run(&ds, &rules);
        let mut charged: Vec<UnitId> = of(&c.occurrences, &rules, "f3_single_channel")
            .iter()
            .map(|o| o.unit)
            .collect();
        charged.sort();
        let mut want = vec![u[0], u[3]];
        want.sort();
        assert_eq!(charged, want);
        assert_eq!(c.columns.channels.len(), 3);
        assert!(c.fed.contains("F3"));
        assert_eq!(split_channels("政府网站、微信;公开栏；报刊,广播，电视").count(), 6);
    }
}
