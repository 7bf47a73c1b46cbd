//! One sheet per duty ledger in the score workbook (first column the unit, so the
//! per-unit report can keep a unit's rows), and which ledgers were found per unit.

use chrono::NaiveDate;
use std::collections::BTreeSet;

use crate::assess::Assessment;
use crate::checks::findings::Match;
use crate::ingest::{Limit, Source};
use crate::output::json::duties::mark_label;
use crate::output::xlsx::{Cell, Highlight, Table};
use crate::rules::{LedgerKind, Rules};

const RED: u32 = 0xFFC7CE;
const YELLOW: u32 = 0xFFEB9C;
const GREEN: u32 = 0xC6EFCE;

fn date(d: Option<NaiveDate>) -> Cell {
    d.map_or(Cell::Empty, Cell::Date)
}

fn src_cells(s: Option<&Source>) -> [Cell; 3] {
    match s {
        Some(s) => [
            super::file_name_of(&s.file).into(),
            s.sheet.to_string().into(),
            s.row.into(),
        ],
        None => [Cell::Empty, Cell::Empty, Cell::Empty],
    }
}

fn table(name: &str, headers: &[&str], title: String) -> Table {
    let mut h: Vec<&str> = headers.to_vec();
    h.extend(["文件", "工作表", "行号"]);
    let mut t = Table::new(name, &h);
    t.title = vec![title];
    t
}

fn row(mut cells: Vec<Cell>, s: Option<&Source>) -> Vec<Cell> {
    cells.extend(src_cells(s));
    cells
}

/// Colours a status column: text starting with each word gets its colour.
fn colour(t: &mut Table, col: u16, words: &[(&str, u32)]) {
    for (text, color) in words {
        t.highlights.push(Highlight::Starts {
            from: col,
            to: col,
            text: (*text).into(),
            color: *color,
        });
    }
}

fn meetings(a: &Assessment) -> Table {
    let reg = a.ds.registry();
    let mut t = table(
        "会议培训",
        &["单位", "会议名称", "日期", "签到情况", "是否扣分"],
        format!(
            "会议培训签到（{} 至 {}，迟到、缺席每次扣分，请假不扣分）",
            a.period.start, a.period.as_of
        ),
    );
    for r in &a.checked.meetings.rows {
        let m = &a.ds.meetings[r.index];
        t.push(row(
            vec![
                reg.name(r.unit).into(),
                m.name.clone().into(),
                date(m.date),
                m.status.clone().into(),
                (if r.charged { "是" } else { "否" }).into(),
            ],
            Some(&m.src),
        ));
    }
    colour(&mut t, 3, &[("迟到", RED), ("缺席", RED)]);
    t
}

fn requests(a: &Assessment, rules: &Rules) -> Table {
    let reg = a.ds.registry();
    let p = &rules.rubric.params;
    let mut t = table(
        "依申请公开",
        &[
            "单位",
            "申请编号",
            "收到日期",
            "补正告知日期",
            "补正收到日期",
            "是否延期",
            "期限（工作日）",
            "征求意见顺延（工作日）",
            "最迟答复日期",
            "答复日期",
            "状态",
            "超期（天）",
            "行政复议结果",
            "行政诉讼结果",
            "是否纠错或败诉",
            "说明",
        ],
        format!(
            "依申请公开办理情况（截至 {}；自收到或补正之日起 {} 个工作日，延期 {} 个工作日，征求意见期间顺延）",
            a.period.as_of, p.request_workdays, p.request_extended_workdays
        ),
    );
    for r in &a.checked.requests.rows {
        let q = &a.ds.requests[r.index];
        t.push(row(
            vec![
                reg.name(r.unit).into(),
                q.number.clone().into(),
                date(q.received),
                date(q.correction_notice),
                date(q.correction_received),
                (if q.extended { "是" } else { "否" }).into(),
                if r.deadline.is_some() {
                    r.workdays.into()
                } else {
                    Cell::Empty
                },
                r.consult_workdays.into(),
                date(r.deadline),
                q.answered.map_or_else(|| "未答复".into(), Cell::Date),
                r.status.label().into(),
                r.days_late.into(),
                q.review.clone().into(),
                q.lawsuit.clone().into(),
                (if r.lost.is_some() { "是" } else { "否" }).into(),
                r.note.clone().into(),
            ],
            Some(&q.src),
        ));
    }
    colour(&mut t, 10, &[("逾期", RED), ("结转", YELLOW), ("按时", GREEN)]);
    colour(&mut t, 14, &[("是", RED)]);
    t
}

fn inquiries(a: &Assessment) -> Table {
    let reg = a.ds.registry();
    let mut t = table(
        "网上问政",
        &[
            "单位",
            "编号",
            "收到日期",
            "回复期限",
            "最迟回复日期",
            "回复日期",
            "状态",
            "超期（天）",
            "是否上访或重访",
        ],
        format!("网上问政办理情况（截至 {}）", a.period.as_of),
    );
    for r in &a.checked.inquiries.rows {
        let q = &a.ds.inquiries[r.index];
        let limit: Cell = match q.limit {
            Limit::Date(d) => d.into(),
            Limit::Workdays(n) => format!("{n}个工作日").into(),
            Limit::None => r.basis.clone().into(),
        };
        t.push(row(
            vec![
                reg.name(r.unit).into(),
                q.number.clone().into(),
                date(q.received),
                limit,
                date(r.deadline),
                q.answered.map_or_else(|| "未回复".into(), Cell::Date),
                r.status.label().into(),
                r.days_late.into(),
                (if r.petition { "是" } else { "否" }).into(),
            ],
            Some(&q.src),
        ));
    }
    colour(&mut t, 6, &[("逾期", RED), ("结转", YELLOW), ("按时", GREEN)]);
    colour(&mut t, 8, &[("是", RED)]);
    t
}

fn newmedia(a: &Assessment, rules: &Rules) -> Table {
    let reg = a.ds.registry();
    let nm = &a.checked.newmedia;
    let mut t = table(
        "政务新媒体",
        &[
            "单位",
            "账号名称",
            "平台",
            "开设日期",
            "关停日期",
            "监测时间点",
            "此前最近发布",
            "无更新天数",
            "结果",
        ],
        format!(
            "政务新媒体监测（监测时间点来自{}，共 {} 个；时间点前超过 {} 天无更新为不合格）",
            nm.origin.label(),
            nm.checkpoints.len(),
            rules.rubric.params.newmedia_max_silence_days
        ),
    );
    for c in &nm.checks {
        let acc = &nm.accounts[c.account];
        let platform = if acc.registered {
            acc.platform.clone()
        } else {
            "（未在账号表登记）".into()
        };
        t.push(row(
            vec![
                reg.name(acc.unit).into(),
                acc.name.clone().into(),
                platform.into(),
                date(acc.opened),
                date(acc.closed),
                c.checkpoint.into(),
                c.latest.map_or_else(|| "无".into(), Cell::Date),
                c.silent_days.map_or(Cell::Empty, Cell::from),
                c.state.label().into(),
            ],
            Some(&acc.src),
        ));
    }
    colour(&mut t, 8, &[("不合格", RED), ("合格", GREEN)]);
    t
}

fn annual(a: &Assessment) -> Table {
    let reg = a.ds.registry();
    let an = &a.checked.annual;
    let when = |d: Option<NaiveDate>| d.map_or_else(|| "（规则未设）".to_string(), |d| d.to_string());
    let mut t = table(
        "年报与指南",
        &[
            "单位",
            "年报上报日期",
            "上报",
            "年报发布日期",
            "发布",
            "格式是否规范",
            "格式",
            "指南更新日期",
            "指南",
        ],
        format!(
            "{}年度政府信息公开工作年度报告：{} 前上报，{} 前发布；公开指南应在 {} 年内更新",
            an.report_year,
            when(an.submit_by),
            when(an.publish_by),
            a.period.year
        ),
    );
    for e in &an.entries {
        let missing = e.src.is_none();
        let fmt = match e.format_ok {
            Some(true) => "是",
            Some(false) => "否",
            None => "",
        };
        t.push(row(
            vec![
                reg.name(e.unit).into(),
                if missing {
                    "表中无此单位".into()
                } else {
                    date(e.submitted)
                },
                mark_label(e.submit, "按时", "未上报").into(),
                date(e.published),
                mark_label(e.publish, "按时", "未发布").into(),
                fmt.into(),
                mark_label(e.format, "规范", "不规范").into(),
                date(e.guide_updated),
                mark_label(e.guide, "已更新", "未按年度更新").into(),
            ],
            e.src.as_ref(),
        ));
    }
    for col in [2, 4, 6, 8] {
        colour(
            &mut t,
            col,
            &[
                ("逾期", RED),
                ("未上报", RED),
                ("未发布", RED),
                ("不规范", RED),
                ("未按年度更新", RED),
                ("未到期", YELLOW),
                ("按时", GREEN),
                ("规范", GREEN),
                ("已更新", GREEN),
            ],
        );
    }
    t
}

fn consultations(a: &Assessment) -> Table {
    let reg = a.ds.registry();
    let mut t = table(
        "意见征集",
        &["单位", "主题", "征集开始日期", "结果发布日期", "是否加分"],
        format!("意见征集与网上调查（{} 至 {} 开始的）", a.period.start, a.period.as_of),
    );
    for r in &a.checked.consultations.rows {
        let c = &a.ds.consultations[r.index];
        t.push(row(
            vec![
                reg.name(r.unit).into(),
                c.topic.clone().into(),
                date(c.start),
                c.result_published.map_or_else(|| "未发布".into(), Cell::Date),
                (if r.counted { "是" } else { "否（结果未发布）" }).into(),
            ],
            Some(&c.src),
        ));
    }
    t
}

fn findings(a: &Assessment, rules: &Rules) -> Table {
    let reg = a.ds.registry();
    let mut t = table(
        "检查记录",
        &[
            "单位",
            "考核项目（原文）",
            "对应标准",
            "次数",
            "级别",
            "日期",
            "说明",
            "处理结果",
        ],
        "检查记录（日常检查、督查、表彰与通报）".into(),
    );
    for r in &a.checked.findings.rows {
        let f = &a.ds.findings[r.index];
        let standard = match &r.matched {
            Match::One(id) | Match::NotApplicable(id) => rules
                .rubric
                .standard(id)
                .map(|(_, s)| format!("{} {}", s.id, s.text))
                .unwrap_or_else(|| id.clone()),
            Match::Ambiguous(ids) => format!("可能为：{}", ids.join("、")),
            Match::Unmatched(near) => format!("相近：{}", near.join("；")),
        };
        t.push(row(
            vec![
                reg.name(r.unit).into(),
                f.item.clone().into(),
                standard.into(),
                f.count.into(),
                f.level.clone().into(),
                date(f.date),
                f.note.clone().into(),
                r.status().into(),
            ],
            Some(&f.src),
        ));
    }
    colour(
        &mut t,
        7,
        &[
            ("已计入", GREEN),
            ("考核期外", YELLOW),
            ("对应", RED),
            ("未找到", RED),
            ("不适用", RED),
        ],
    );
    t
}

fn columns(a: &Assessment) -> Table {
    let reg = a.ds.registry();
    let col = &a.checked.columns;
    let mut t = table(
        "公文属性解读与公开方式",
        &["单位", "考核项目", "信息名称", "公开日期", "情况"],
        "主动公开台账各列的核对：公开属性与理由（C1）、政策解读同步发布（C2）、公开方式（F3）".into(),
    );
    for (item, flags) in [("C1 公文公开属性", &col.c1), ("C2 政策解读", &col.c2)] {
        for f in flags {
            let p = &a.ds.publications[f.index];
            t.push(row(
                vec![
                    reg.name(f.unit).into(),
                    item.into(),
                    a.ds.title(p).into(),
                    date(p.published.date()),
                    f.reason.clone().into(),
                ],
                Some(&p.src),
            ));
        }
    }
    for c in &col.channels {
        let p = &a.ds.publications[c.first];
        let what = if c.single {
            format!("公开方式单一：{} 条信息只用“{}”", c.rows, c.channels.join("、"))
        } else {
            format!(
                "{} 条信息用了 {} 种方式：{}",
                c.rows,
                c.channels.len(),
                c.channels.join("、")
            )
        };
        t.push(row(
            vec![
                reg.name(c.unit).into(),
                "F3 公开方式".into(),
                Cell::Empty,
                Cell::Empty,
                what.into(),
            ],
            Some(&p.src),
        ));
    }
    t
}

/// The duty sheets of the ledgers found in the inputs.
pub fn tables(a: &Assessment, rules: &Rules) -> Vec<Table> {
    let c = &a.checked;
    let mut v = Vec::new();
    if c.columns.has_attribute || c.columns.has_interpretation || c.columns.has_channel {
        v.push(columns(a));
    }
    if c.meetings.checked {
        v.push(meetings(a));
    }
    if c.requests.checked {
        v.push(requests(a, rules));
    }
    if c.inquiries.checked {
        v.push(inquiries(a));
    }
    if c.newmedia.checked {
        v.push(newmedia(a, rules));
    }
    if c.annual.checked {
        v.push(annual(a));
    }
    if c.consultations.checked {
        v.push(consultations(a));
    }
    if c.findings.checked {
        v.push(findings(a, rules));
    }
    v
}

/// Per assessed unit: the names of the ledgers found for it (a sheet of its own or rows
/// naming it), in ledger order. The unit list itself is not a ledger of the unit.
pub fn ledgers_found(a: &Assessment, rules: &Rules) -> Vec<(String, Vec<String>)> {
    let reg = a.ds.registry();
    let mut out = Vec::new();
    // One pass over the rows for all units (not one per unit: that grew with units × rows).
    let mut by_unit: std::collections::HashMap<_, BTreeSet<LedgerKind>> = std::collections::HashMap::new();
    for (k, unit, _) in a.ds.rows() {
        if let Some(u) = unit {
            by_unit.entry(u).or_default().insert(k);
        }
    }
    for u in reg.assessed() {
        let mut kinds: BTreeSet<LedgerKind> = by_unit.remove(&u).unwrap_or_default();
        for f in &a.ds.files {
            for s in &f.sheets {
                if let (Some(k), Some(su)) = (s.ledger, s.unit) {
                    if su == u {
                        kinds.insert(k);
                    }
                }
            }
        }
        kinds.remove(&LedgerKind::UnitList);
        let names = kinds
            .into_iter()
            .filter_map(|k| rules.ledgers.get(k).map(|l| l.name.clone()))
            .collect();
        out.push((reg.name(u).to_string(), names));
    }
    out
}

/// Ledger kinds found nowhere in the inputs (their items keep their points).
pub fn ledgers_absent(a: &Assessment, rules: &Rules) -> Vec<String> {
    rules
        .ledgers
        .ledgers
        .iter()
        .filter(|l| {
            !matches!(
                l.kind,
                LedgerKind::UnitList | LedgerKind::Checkpoint | LedgerKind::Review | LedgerKind::AnnualData
            )
        })
        .filter(|l| !a.ds.present.contains(&l.kind))
        .map(|l| l.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{self, Extra, Period};
    use crate::ingest::{Dataset, FileInfo, Meeting, SheetInfo, UnitRegistry};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn assessment(ds: Dataset, rules: &Rules) -> Assessment {
        let period = Period {
            year: 2021,
            start: d("2021-01-01"),
            as_of: d("2021-12-31"),
        };
        let checked = checks::run(&ds, rules, &period, &Extra::default());
        let scores = crate::score::score(ds.registry(), rules, &checked);
        let submissions = crate::ingest::submissions::of(&ds, rules);
        Assessment {
            submissions,
            ds,
            period,
            checked,
            scores,
            review: Default::default(),
            inputs: Vec::new(),
        }
    }

    #[test]
    fn ledgers_per_unit_sheets_json_and_absent_kinds() {
        let rules = Rules::embedded().unwrap();
        let mut reg = UnitRegistry::new(&rules.units);
        let (wj, _) = reg.resolve("卫健局");
        let (town, _) = reg.resolve("章华镇");
        let mut ds = Dataset {
            units: Some(reg),
            ..Default::default()
        };
        // 卫健局: its own request file with the header and no rows; a meeting row.
        ds.files.push(FileInfo {
            path: "卫健局依申请.xlsx".into(),
            sha256: String::new(),
            sheets: vec![SheetInfo {
                name: "Sheet1".into(),
                ledger: Some(LedgerKind::Request),
                ledger_name: "依申请公开台账".into(),
                header_row: Some(1),
                rows: 0,
                reason: String::new(),
                headers_seen: Vec::new(),
                hidden: false,
                unit: Some(wj),
                columns: Vec::new(),
            }],
            error: None,
            duplicate_of: None,
            template: false,
            own_units: vec![wj],
        });
        ds.present.insert(LedgerKind::Request);
        ds.present.insert(LedgerKind::Meeting);
        ds.meetings.push(Meeting {
            unit: Some(wj),
            name: "培训会".into(),
            date: Some(d("2021-05-06")),
            status: "迟到".into(),
            src: Source::new("会议.xlsx", "签到", 3),
        });
        let a = assessment(ds, &rules);
        let found = ledgers_found(&a, &rules);
        let of = |name: &str| found.iter().find(|(u, _)| u == name).unwrap().1.clone();
        assert_eq!(of(a.ds.registry().name(wj)), ["会议培训签到", "依申请公开台账"]);
        assert!(of(a.ds.registry().name(town)).is_empty());
        let absent = ledgers_absent(&a, &rules);
        assert!(absent.contains(&"网上问政台账".to_string()) && !absent.contains(&"会议培训签到".to_string()));
        // Only the ledgers present get a sheet; the unit is the first column.
        let names: Vec<String> = tables(&a, &rules).into_iter().map(|t| t.name).collect();
        assert_eq!(names, ["会议培训", "依申请公开"]);
        let t = meetings(&a);
        assert_eq!(t.rows[0][0], Cell::Text(a.ds.registry().name(wj).into()));
        // JSON arrays with status and source.
        let doc = crate::output::json::score(&a, &rules);
        assert_eq!(doc["meetings"][0]["status"], "迟到");
        assert_eq!(doc["meetings"][0]["source"]["row"], 3);
        assert_eq!(doc["requests"].as_array().unwrap().len(), 0);
        assert_eq!(doc["request_no_ledger"].as_array().unwrap().len(), 0);
        for k in ["inquiries", "newmedia", "annual_reports", "consultations", "findings"] {
            assert!(doc[k].as_array().unwrap().is_empty(), "{k}");
        }
    }
}
