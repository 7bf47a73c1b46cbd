use super::*;
use crate::ingest::{DateCell, Publication};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn set(v: &[&str]) -> BTreeSet<NaiveDate> {
    v.iter().map(|s| d(s)).collect()
}

/// The frequency check after the publication check (frequency reads the score's own
/// judgement of each row): its report, occurrences and fed items.
fn run(ds: &Dataset, rules: &Rules, period: &Period) -> (Report, Vec<crate::checks::Occurrence>, BTreeSet<String>) {
    let pubs = super::super::publication::check(
        ds,
        rules,
        period,
        &mut Charges::new(rules, &mut Vec::new(), &mut BTreeSet::new()),
    );
    let (mut occ, mut fed) = (Vec::new(), BTreeSet::new());
    let r = check(ds, rules, period, &pubs, &mut Charges::new(rules, &mut occ, &mut fed));
    (r, occ, fed)
}

#[test]
fn fortnight_gaps_follow_the_ceiling_rule() {
    let start = d("2021-01-01");
    // 14 days: none; 15: one; 28: one; 29: two; 42: two; 43: three.
    for (end, missed) in [
        ("2021-01-15", 0),
        ("2021-01-16", 1),
        ("2021-01-29", 1),
        ("2021-01-30", 2),
        ("2021-02-12", 2),
        ("2021-02-13", 3),
    ] {
        let (g, longest) = gaps(start, &BTreeSet::new(), d(end), 14, true);
        assert_eq!(g.iter().map(|x| x.missed).sum::<u32>(), missed, "{end}");
        assert_eq!(longest, (d(end) - start).num_days());
    }
}

#[test]
fn updates_on_anchor_days_merge_with_them() {
    let (g, longest) = gaps(
        d("2021-01-01"),
        &set(&["2021-01-01", "2021-01-15", "2021-01-29"]),
        d("2021-01-29"),
        14,
        true,
    );
    assert!(g.is_empty());
    assert_eq!(longest, 14);
    let (g, longest) = gaps(d("2021-01-01"), &set(&["2021-01-20"]), d("2021-03-01"), 14, true);
    // 19 days (one missed), then 40 days (two missed).
    assert_eq!(g.iter().map(|x| x.missed).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(longest, 40);
}

fn pubrow(ds: &mut Dataset, unit: UnitId, item: Option<usize>, cat: &str, formed: &str, published: Option<&str>) {
    let p = Publication {
        category: crate::checks::testutil::text(ds, cat),
        item: item.and_then(crate::ingest::ItemRef::new),
        formed: DateCell::on(d(formed)),
        published: published.map_or(DateCell::BLANK, |p| DateCell::on(d(p))),
        ..crate::checks::testutil::publication(&mut ds.titles, unit, &format!("{cat}{formed}"), 2)
    };
    ds.publications.push(p);
}

fn item_index(rules: &Rules, name: &str) -> usize {
    rules.checklist.items.iter().position(|i| i.name == name).unwrap()
}

#[test]
fn responsibility_reads_the_checklist_text() {
    let rules = Rules::embedded().unwrap();
    let mut reg = UnitRegistry::new(&rules.units);
    let (cg, _) = reg.resolve("城管执法局");
    let (rs, _) = reg.resolve("人社局");
    let (wj, _) = reg.resolve("卫健局");
    let (town, _) = reg.resolve("章华镇");
    let law = &rules.checklist.items[item_index(&rules, "行政执法文件、结果")];
    let publishers: BTreeSet<UnitId> = [wj].into_iter().collect();
    // A fortnightly duty is never created by publishing once.
    assert_eq!(
        responsible(law, FrequencyKind::Interval, &rules, &reg, &publishers),
        [cg].into_iter().collect()
    );
    let firms = &rules.checklist.items[item_index(&rules, "涉企政策")];
    let r = responsible(firms, FrequencyKind::Timely, &rules, &reg, &publishers);
    assert_eq!(
        r,
        [rs, wj].into_iter().collect(),
        "人社 named, 卫健 published, 财政 not assessed"
    );
    let hiring = &rules.checklist.items[item_index(&rules, "考录招聘")];
    let r = responsible(hiring, FrequencyKind::Interval, &rules, &reg, &BTreeSet::new());
    assert_eq!(
        r,
        [cg, rs, wj, town].into_iter().collect(),
        "人社牵头、各乡镇、县直各部门"
    );
}

#[test]
fn mid_year_as_of_measures_open_gaps_and_c4() {
    let rules = Rules::embedded().unwrap();
    let mut reg = UnitRegistry::new(&rules.units);
    let (town, _) = reg.resolve("章华镇");
    let rural = item_index(&rules, "污染防治（环境问题整治等）");
    let mut ds = Dataset {
        units: Some(reg),
        ..Default::default()
    };
    ds.present.insert(LedgerKind::Publication);
    for p in ["2021-01-10", "2021-01-20", "2021-02-01", "2021-05-01"] {
        pubrow(&mut ds, town, Some(rural), "环境保护", p, Some(p));
    }
    pubrow(&mut ds, town, None, "工作动态", "2021-03-01", Some("2021-03-02"));
    let period = Period {
        year: 2021,
        start: d("2021-01-01"),
        as_of: d("2021-06-30"),
    };
    let (r, occ, fed) = run(&ds, &rules, &period);
    let p = r.pairs.iter().find(|p| p.item == rural && p.unit == town).unwrap();
    // Anchors 01-01, 01-10, 01-20, 02-01, 05-01, 06-30: gaps 9, 10, 12, 89 (6 missed), 60 (4 missed).
    assert_eq!(p.updates, 4);
    assert_eq!(p.last, Some(d("2021-05-01")));
    assert_eq!(p.longest_gap_days, 89);
    assert_eq!(p.lapses, 10);
    assert_eq!(p.status, PairStatus::Failed);
    let c4: u32 = occ.iter().filter(|o| o.standard == "C4.1").map(|o| o.count).sum();
    assert_eq!(c4, 10, "pollution lapses feed C4");
    assert!(fed.contains("C4"));
    assert_eq!(r.unmatched, vec![("工作动态".to_string(), 1)]);
    // The website item is updated by every publication of the unit.
    let web = item_index(&rules, "信息公开平台（网站）");
    let w = r.pairs.iter().find(|p| p.item == web && p.unit == town).unwrap();
    assert_eq!(w.updates, 5);
    // Not responsible: 教育 is 教体局's.
    let edu = item_index(&rules, "教育");
    assert!(!r.pairs.iter().any(|p| p.item == edu && p.unit == town));
}

#[test]
fn timely_items_count_late_rows_and_no_row_is_a_notice() {
    let rules = Rules::embedded().unwrap();
    let mut reg = UnitRegistry::new(&rules.units);
    let (town, _) = reg.resolve("章华镇");
    let land = item_index(&rules, "征地");
    let mut ds = Dataset {
        units: Some(reg),
        ..Default::default()
    };
    ds.present.insert(LedgerKind::Publication);
    pubrow(&mut ds, town, Some(land), "征地", "2021-03-01", Some("2021-05-20"));
    pubrow(&mut ds, town, Some(land), "征地", "2021-03-01", Some("2021-03-02"));
    let period = Period {
        year: 2021,
        start: d("2021-01-01"),
        as_of: d("2021-12-31"),
    };
    let (r, occ, _) = run(&ds, &rules, &period);
    let p = r.pairs.iter().find(|p| p.item == land).unwrap();
    assert_eq!(p.lapses, 1);
    assert_eq!(p.status, PairStatus::Failed);
    assert!(
        !occ.iter().any(|o| o.standard == "C4.1" && o.label == "征地"),
        "late rows stay in C3"
    );
    let policy = item_index(&rules, "六稳六保");
    let q = r.pairs.iter().find(|p| p.item == policy && p.unit == town).unwrap();
    assert_eq!(q.status, PairStatus::NoUpdate);
    assert_eq!(q.lapses, 0);
    let report = item_index(&rules, "公开年报");
    let y = r.pairs.iter().find(|p| p.item == report && p.unit == town).unwrap();
    assert_eq!((y.lapses, y.status), (1, PairStatus::Failed));
}
