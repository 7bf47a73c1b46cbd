//! `hrgk due`: the 督办 list against `hrgk score` (one pipeline, the same deadlines),
//! every kind of line, the window over a holiday, the cap, exit codes, the workbook and
//! the per-unit 督办单; and `hrgk check --as-of` warnings.

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::*;

const FULL: &str = "已扣满，不再扣分";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

/// 卫健局's ledgers at 2021-09-28: a row of every kind overdue and due soon; 财政局
/// appears in the annual-report sheet only, with everything on time.
fn write_health(dir: &Path) {
    write(
        dir,
        "卫健局主动公开.csv",
        "单位,信息名称,栏目,形成日期,公开日期\n\
         卫健局,逾期未公开,医疗卫生,2021-08-02,\n\
         卫健局,十月十一日到期,医疗卫生,2021-09-07,\n\
         卫健局,十月十二日到期,医疗卫生,2021-09-08,\n\
         卫健局,已公开,医疗卫生,2021-09-13,2021-09-20\n\
         卫健局,日期有误,医疗卫生,2021-02-30,2021-03-05\n",
    );
    write_requests(dir);
    write(
        dir,
        "网上问政.csv",
        "单位,编号,收到日期,回复日期\n卫健局,WZ-1,2021-09-10,\n卫健局,WZ-2,2021-09-24,\n",
    );
    write(
        dir,
        "政务新媒体账号.csv",
        "账号名称,单位,平台,开设日期\n健康华容,卫健局,微信公众号,2020-01-01\n",
    );
    write(
        dir,
        "政务新媒体发布.csv",
        "账号名称,发布日期,标题\n健康华容,2021-08-15,甲\n健康华容,2021-09-10,乙\n",
    );
    write_annual(dir);
}

fn write_requests(dir: &Path) {
    write(
        dir,
        "卫健局依申请公开.csv",
        "单位,申请编号,收到日期,答复日期\n\
         卫健局,YSQ-1,2021-08-02,\n\
         卫健局,YSQ-2,2021-09-01,\n\
         卫健局,YSQ-3,2021-09-10,2021-09-15\n",
    );
}

fn write_annual(dir: &Path) {
    write(
        dir,
        "年报与指南.csv",
        "单位,年报上报日期,年报发布日期,格式是否规范,指南更新日期\n\
         卫健局,2021-02-05,,是,\n\
         财政局,2021-01-20,2021-02-05,是,2021-03-01\n",
    );
}

/// Runs `hrgk due … --format json`: (exit code, document).
fn due(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["due"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (code, out, err) = run(dir, &all);
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, doc)
}

fn items<'a>(doc: &'a Value, kind: &str, status: &str) -> Vec<&'a Value> {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == kind && i["status"] == status)
        .collect()
}

fn find<'a>(doc: &'a Value, kind: &str, status: &str, title: &str) -> &'a Value {
    items(doc, kind, status)
        .into_iter()
        .find(|i| i["title"].as_str().unwrap().contains(title))
        .unwrap_or_else(|| panic!("{kind}/{status} “{title}” in {doc:#}"))
}

fn has(doc: &Value, title: &str) -> bool {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["title"].as_str().unwrap().contains(title))
}

/// (file name, sheet, row) of a source.
fn src(v: &Value) -> (String, String, u64) {
    let file = v["file"].as_str().unwrap();
    let name = Path::new(file).file_name().unwrap().to_string_lossy().to_string();
    (
        name,
        v["sheet"].as_str().unwrap().to_string(),
        v["row"].as_u64().unwrap(),
    )
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(|k| k.as_str()).collect()
}

#[test]
fn lists_every_kind_with_deadline_stake_and_source() {
    let d = tmp();
    let input = d.path().join("in");
    write_health(&input);
    let (code, doc) = due(d.path(), &["in", "--as-of", "2021-09-28"]);
    assert_eq!(code, 1, "something is overdue");
    assert_eq!(keys(&doc), ["as_of", "within", "units", "items", "problems"]);
    assert_eq!(doc["as_of"], "2021-09-28");
    assert_eq!(doc["within"], 5, "default from the rules");
    let first = &doc["items"][0];
    assert_eq!(
        keys(first),
        [
            "unit",
            "kind",
            "status",
            "title",
            "deadline",
            "workdays_left",
            "days_overdue",
            "at_stake",
            "source"
        ]
    );

    // Publications: unpublished and past the deadline (charged 1 under C3.3), and due
    // within the window.
    let p = find(&doc, "publication", "overdue", "逾期未公开");
    assert_eq!(p["unit"], "华容县卫生健康局");
    assert_eq!(p["deadline"], "2021-08-30");
    assert_eq!(p["days_overdue"], 29);
    assert_eq!(p["workdays_left"], Value::Null);
    assert_eq!(p["at_stake"], 1);
    assert_eq!(
        src(&p["source"]),
        ("卫健局主动公开.csv".into(), "卫健局主动公开".into(), 2)
    );
    let p = find(&doc, "publication", "due_soon", "十月十一日到期");
    assert_eq!(p["deadline"], "2021-10-11");
    assert_eq!(p["workdays_left"], 5);
    assert_eq!(p["days_overdue"], Value::Null);
    assert!(!has(&doc, "十月十二日到期"), "beyond the window");
    assert!(!has(&doc, "《已公开》"));

    // Requests: unanswered past the deadline (D2.2, 4 once), the next one due soon —
    // D2.2 is charged once per unit, so nothing more is at stake.
    let r = find(&doc, "request", "overdue", "YSQ-1");
    assert_eq!(
        (r["deadline"].as_str(), r["at_stake"].as_i64()),
        (Some("2021-08-30"), Some(4))
    );
    let r = find(&doc, "request", "due_soon", "YSQ-2");
    assert_eq!(r["deadline"], "2021-09-29");
    assert_eq!(r["workdays_left"], 1);
    assert_eq!(r["at_stake"], FULL);
    assert!(!has(&doc, "YSQ-3"), "answered");

    // Inquiries: 5 working days by default (Sun 26 September was a working day).
    let q = find(&doc, "inquiry", "overdue", "WZ-1");
    assert_eq!(
        (q["deadline"].as_str(), q["days_overdue"].as_i64()),
        (Some("2021-09-17"), Some(11))
    );
    assert_eq!(q["at_stake"], 1);
    let q = find(&doc, "inquiry", "due_soon", "WZ-2");
    assert_eq!(
        (q["deadline"].as_str(), q["workdays_left"].as_i64()),
        (Some("2021-09-30"), Some(2))
    );
    assert_eq!(q["at_stake"], 1);

    // New media: every failed month-end checkpoint, and the next one it will fail
    // without a post (latest 2021-09-10, more than 10 days before 30 September).
    assert_eq!(items(&doc, "newmedia", "overdue").len(), 8, "January to August");
    let n = find(&doc, "newmedia", "due_soon", "健康华容");
    assert_eq!(n["deadline"], "2021-09-30");
    assert!(n["title"].as_str().unwrap().contains("2021-09-29 至 2021-09-30"));

    // Monthly minimum: every ended month short of 5, and this month with what is left.
    let months = items(&doc, "monthly", "overdue");
    assert_eq!(months.iter().filter(|m| m["unit"] == "华容县卫生健康局").count(), 8);
    let m = items(&doc, "monthly", "due_soon")
        .into_iter()
        .find(|m| m["unit"] == "华容县卫生健康局")
        .unwrap();
    assert_eq!(m["deadline"], "2021-09-30");
    assert!(m["title"].as_str().unwrap().contains("已公开 1 条"), "{m}");

    // Two-week item: last update 20 September, next by 4 October.
    let f = find(&doc, "frequency", "due_soon", "医疗、公共卫生");
    assert_eq!(f["deadline"], "2021-10-04");

    // Annual report: submitted late (done, not listed), not published (charged).
    let a = find(&doc, "annual", "overdue", "未在网站发布");
    assert_eq!(
        (a["deadline"].as_str(), a["at_stake"].as_i64()),
        (Some("2021-02-10"), Some(4))
    );
    assert!(!has(&doc, "未上报"));

    // A data problem that costs C3.1 now, with its fix.
    let pr = find(&doc, "problem", "overdue", "2021-02-30");
    assert_eq!(pr["deadline"], Value::Null);
    assert_eq!(src(&pr["source"]).2, 6);
    assert!(doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["value"] == "2021-02-30"));

    // Units: counts agree with the lines, most overdue first.
    let units = doc["units"].as_array().unwrap();
    let mut last = u64::MAX;
    for u in units {
        let n = |s: &str| {
            doc["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["unit"] == u["unit"] && i["status"] == s)
                .count() as u64
        };
        assert_eq!(u["overdue"].as_u64(), Some(n("overdue")), "{u}");
        assert_eq!(u["due_soon"].as_u64(), Some(n("due_soon")), "{u}");
        assert!(u["overdue"].as_u64().unwrap() <= last);
        last = u["overdue"].as_u64().unwrap();
    }
    assert_eq!(units[0]["unit"], "华容县卫生健康局");

    // --unit limits the list.
    let (_, only) = due(d.path(), &["in", "--as-of", "2021-09-28", "--unit", "财政局"]);
    assert_eq!(only["units"].as_array().unwrap().len(), 1);
    assert!(only["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["unit"] == "华容县财政局"));
}

#[test]
fn window_counts_working_days_over_the_national_day_holiday() {
    let d = tmp();
    write_health(&d.path().join("in"));
    // 29, 30 September, 8, 9 (a working Saturday), 11 October.
    let (_, five) = due(d.path(), &["in", "--as-of", "2021-09-28", "--within", "5"]);
    assert!(has(&five, "十月十一日到期"));
    assert!(!has(&five, "十月十二日到期"));
    let (_, four) = due(d.path(), &["in", "--as-of", "2021-09-28", "--within", "4"]);
    assert_eq!(four["within"], 4);
    assert!(!has(&four, "十月十一日到期"));
    let (_, out, _) = run(d.path(), &["due", "in", "--as-of", "2021-09-28", "-o", "x.xlsx"]);
    assert!(out.contains("向后 5 个工作日至 2021-10-11"), "{out}");
}

#[test]
fn cap_reached_shows_nothing_more_at_stake() {
    let d = tmp();
    // 卫健局: 11 rows formed in January, never published; C3 (10 points) is used up by
    // the first ten, so the eleventh, the short months and the row due soon cost nothing
    // more. 财政局: one late row, room left under the cap.
    let mut s = String::from("单位,信息名称,栏目,形成日期,公开日期\n");
    for i in 1..=11 {
        s.push_str(&format!("卫健局,一月信息{i:02},医疗卫生,2021-01-{:02},\n", i + 3));
    }
    s.push_str("卫健局,即将到期信息,医疗卫生,2021-02-08,\n");
    s.push_str("财政局,财政一月信息,财政预决算,2021-01-04,\n");
    s.push_str("财政局,财政即将到期,财政预决算,2021-02-08,\n");
    write(&d.path().join("in"), "主动公开.csv", &s);
    let (code, doc) = due(d.path(), &["in", "--as-of", "2021-03-10"]);
    assert_eq!(code, 1);
    let late: Vec<&Value> = items(&doc, "publication", "overdue")
        .into_iter()
        .filter(|i| i["unit"] == "华容县卫生健康局")
        .collect();
    assert_eq!(late.len(), 11);
    let stakes: Vec<&Value> = late.iter().map(|i| &i["at_stake"]).collect();
    assert_eq!(stakes.iter().filter(|v| **v == 1).count(), 10);
    assert_eq!(stakes.iter().filter(|v| **v == FULL).count(), 1);
    let soon = find(&doc, "publication", "due_soon", "即将到期信息");
    assert_eq!(soon["deadline"], "2021-03-12");
    assert_eq!(soon["at_stake"], FULL);
    for m in items(&doc, "monthly", "overdue") {
        if m["unit"] == "华容县卫生健康局" {
            assert_eq!(m["at_stake"], FULL, "{m}");
        } else {
            assert_eq!(m["at_stake"], 1, "{m}");
        }
    }
    let other = find(&doc, "publication", "due_soon", "财政即将到期");
    assert_eq!(other["at_stake"], 1, "财政局 has room left");
    // The score agrees: C3 is at 0 for 卫健局.
    let score = run_json(d.path(), &["score", "in", "--as-of", "2021-03-10", "--format", "json"]);
    assert_eq!(item_of(unit_of(&score, "华容县卫生健康局"), "C3")["score"], 0);
    // The terminal says so in words.
    let (_, out, _) = run(d.path(), &["due", "in", "--as-of", "2021-03-10", "-o", "t.xlsx"]);
    assert!(out.contains(FULL), "{out}");
}

#[test]
fn exit_codes() {
    let d = tmp();
    write(
        &d.path().join("in"),
        "主动公开.csv",
        "单位,信息名称,栏目,形成日期,公开日期\n卫健局,一月信息,医疗卫生,2021-01-04,2021-01-05\n",
    );
    // 12 January: this month's count and the two-week items are due soon, nothing overdue.
    let (code, doc) = due(d.path(), &["in", "--as-of", "2021-01-12"]);
    assert_eq!(code, 0, "{doc:#}");
    assert!(!items(&doc, "monthly", "due_soon").is_empty());
    assert!(doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["status"] == "due_soon"));
    // 20 January: the two-week items are overdue.
    let (code, doc) = due(d.path(), &["in", "--as-of", "2021-01-20"]);
    assert_eq!(code, 1);
    assert!(!items(&doc, "frequency", "overdue").is_empty());
    // Errors.
    let (code, _, err) = run(
        d.path(),
        &["due", "in", "--as-of", "2021-01-20", "--unit", "没有这个局"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("没有这个局"), "{err}");
    let (code, _, _) = run(d.path(), &["due", "不存在的文件夹", "--as-of", "2021-01-20"]);
    assert_eq!(code, 2);
}

fn cells(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::DateTime(dt) => dt.as_datetime().map(|x| x.date().to_string()).unwrap_or_default(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn workbook_and_per_unit_sheets() {
    let d = tmp();
    let input = d.path().join("in");
    write_requests(&input);
    write_annual(&input);
    let (code, out, err) = run(d.path(), &["due", "in", "--as-of", "2021-09-28", "--out-dir", "督办单"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("【华容县卫生健康局】已逾期"), "{out}");
    assert!(out.contains("全县："), "{out}");
    assert!(!out.contains("【华容县财政局】"), "nothing due: not listed");

    // The workbook: 汇总, every line, 说明.
    let book = d.path().join("督办清单-2021-09-28.xlsx");
    let wb: Xlsx<_> = open_workbook(&book).unwrap();
    assert_eq!(wb.sheet_names(), ["汇总", "督办清单", "说明"]);
    let sum = cells(&book, "汇总");
    let head = sum.iter().position(|r| r[0] == "单位").unwrap();
    assert_eq!(sum[head + 1][0], "华容县卫生健康局", "most overdue first");
    assert_eq!(sum[head + 1][2], "2", "YSQ-1 and the unpublished annual report");
    assert_eq!(sum[head + 1][3], "1", "YSQ-2");
    let lines = cells(&book, "督办清单");
    let head = lines.iter().position(|r| r[0] == "单位").unwrap();
    let col = |name: &str| lines[head].iter().position(|h| h == name).unwrap();
    let ysq1 = lines.iter().find(|r| r[col("事项")].contains("YSQ-1")).unwrap();
    assert_eq!(ysq1[col("状态")], "已逾期");
    assert_eq!(ysq1[col("期限")], "2021-08-30");
    assert_eq!(ysq1[col("逾期天数")], "29");
    assert_eq!(ysq1[col("涉及扣分")], "4");
    assert_eq!(ysq1[col("行号")], "2");
    let ysq2 = lines.iter().find(|r| r[col("事项")].contains("YSQ-2")).unwrap();
    assert_eq!(ysq2[col("涉及扣分")], FULL);
    let about = cells(&book, "说明");
    assert!(about.iter().any(|r| r[0] == "截止日期" && r[1] == "2021-09-28"));
    assert!(about.iter().any(|r| r[0] == "向后查看" && r[1].contains("2021-10-11")));

    // One 督办单 per unit with lines; 财政局 has none.
    let dir = d.path().join("督办单");
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["2021-09-28督办单-华容县卫生健康局.xlsx".to_string()])
    );
    let sheet = cells(&dir.join("2021-09-28督办单-华容县卫生健康局.xlsx"), "督办单");
    assert_eq!(sheet[0][0], "华容县政务公开领导小组办公室督办单");
    assert!(sheet[1][0].contains("致：华容县卫生健康局") && sheet[1][0].contains("日期：2021-09-28"));
    assert!(sheet.iter().any(|r| r[3].contains("YSQ-1")));
    assert!(sheet.iter().any(|r| r[0] == "整改情况"));
    assert!(sheet.iter().any(|r| r[0] == "签收" && r[3].contains("签收人")));

    // Again: the files exist (exit 2 without --force); --all adds 财政局's.
    let (code, _, err) = run(d.path(), &["due", "in", "--as-of", "2021-09-28", "--out-dir", "督办单"]);
    assert_eq!(code, 2);
    assert!(err.contains("已存在"), "{err}");
    let (code, _, _) = run(
        d.path(),
        &[
            "due",
            "in",
            "--as-of",
            "2021-09-28",
            "--out-dir",
            "全部",
            "--all",
            "-o",
            "督办清单-全部.xlsx",
        ],
    );
    assert_eq!(code, 1);
    let all = d.path().join("全部");
    assert!(all.join("2021-09-28督办单-华容县财政局.xlsx").is_file());
    let none = cells(&all.join("2021-09-28督办单-华容县财政局.xlsx"), "督办单");
    assert!(none.iter().any(|r| r[3] == "无逾期或即将到期事项"));
    // The outputs in the input folder's parent are not read back as ledgers.
    let (code, doc) = due(d.path(), &[".", "--as-of", "2021-09-28"]);
    assert_eq!(code, 1);
    assert_eq!(items(&doc, "request", "overdue").len(), 1);
}

/// Sources of score's late/overdue arrays, unpublished or unanswered at as-of.
fn score_overdue(score: &Value, as_of: &str) -> BTreeMap<&'static str, BTreeSet<(String, String, u64)>> {
    let mut out: BTreeMap<&str, BTreeSet<_>> = BTreeMap::new();
    for l in score["late"].as_array().unwrap() {
        if l["published"].is_null() {
            out.entry("publication").or_default().insert(src(&l["source"]));
        }
    }
    for (key, kind) in [("requests", "request"), ("inquiries", "inquiry")] {
        for r in score[key].as_array().unwrap() {
            let unanswered = r["answered"].as_str().is_none_or(|a| a > as_of);
            if r["status"] == "逾期" && unanswered {
                out.entry(kind).or_default().insert(src(&r["source"]));
            }
        }
    }
    out
}

fn due_sources(doc: &Value, kind: &str, status: &str) -> BTreeSet<(String, String, u64)> {
    items(doc, kind, status).iter().map(|i| src(&i["source"])).collect()
}

/// The day after a date.
fn next_day(d: &str) -> String {
    let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    d.succ_opt().unwrap().to_string()
}

/// Checks, for every due-soon publication/request/inquiry line, that the score run the
/// day after its deadline charges it — unless the ledger shows it done by then.
/// Returns how many became late.
fn due_soon_becomes_late(dir: &Path, base: &[&str], doc: &Value, strict: bool) -> usize {
    let mut became = 0;
    for kind in ["publication", "request", "inquiry"] {
        for i in items(doc, kind, "due_soon") {
            let deadline = i["deadline"].as_str().unwrap();
            if !deadline.starts_with("2021") || deadline == "2021-12-31" {
                continue;
            }
            let later = next_day(deadline);
            let mut args = vec!["score"];
            args.extend_from_slice(base);
            args.extend_from_slice(&["--as-of", &later, "--format", "json"]);
            let score = run_json(dir, &args);
            let want = src(&i["source"]);
            let late = score_overdue(&score, &later);
            let charged = late.get(kind).is_some_and(|s| s.contains(&want));
            if charged {
                became += 1;
                continue;
            }
            assert!(!strict, "{kind} {want:?} due {deadline} is not charged at {later}");
            // Done by the deadline in the ledger: then it is on time at the later date.
            match kind {
                "publication" => {
                    let listed = |k: &str| score[k].as_array().unwrap().iter().any(|l| src(&l["source"]) == want);
                    assert!(!listed("late") && !listed("pending"), "{want:?} at {later}");
                }
                _ => {
                    let key = if kind == "request" { "requests" } else { "inquiries" };
                    let row = score[key]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|r| src(&r["source"]) == want)
                        .unwrap();
                    assert!(row["answered"].as_str().is_some_and(|a| a <= deadline), "{row}");
                }
            }
        }
    }
    became
}

#[test]
fn overdue_lines_are_exactly_what_score_charges_on_the_samples() {
    let root = samples_dir();
    let (inputs, units) = (root.join("2021"), root.join("单位名单.xlsx"));
    let base = [inputs.to_str().unwrap(), "--units", units.to_str().unwrap()];
    let d = tmp();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut became = 0;
    for as_of in [
        "2021-03-31",
        "2021-05-20",
        "2021-05-26",
        "2021-09-28",
        "2021-10-12",
        "2021-10-20",
        "2021-12-20",
    ] {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(&["--as-of", as_of]);
        let (code, doc) = due(d.path(), &args);
        let mut sargs = vec!["score"];
        sargs.extend_from_slice(&args);
        sargs.extend_from_slice(&["--format", "json"]);
        let score = run_json(d.path(), &sargs);
        let charged = score_overdue(&score, as_of);
        for kind in ["publication", "request", "inquiry"] {
            let listed = due_sources(&doc, kind, "overdue");
            let want = charged.get(kind).cloned().unwrap_or_default();
            assert_eq!(listed, want, "{kind} at {as_of}");
            *seen.entry(kind).or_default() += listed.len();
        }
        let any = doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["status"] == "overdue");
        assert_eq!(code, i32::from(any), "exit code at {as_of}");
        became += due_soon_becomes_late(d.path(), &base, &doc, false);
    }
    for kind in ["publication", "request", "inquiry"] {
        assert!(
            seen.get(kind).is_some_and(|n| *n > 0),
            "no overdue {kind} in any sample date"
        );
    }
    assert!(became >= 2, "due-soon lines that became late: {became}");
}

#[test]
fn due_soon_lines_become_late_when_nothing_is_done() {
    let d = tmp();
    write_health(&d.path().join("in"));
    let (_, doc) = due(d.path(), &["in", "--as-of", "2021-09-28"]);
    let became = due_soon_becomes_late(d.path(), &["in"], &doc, true);
    assert_eq!(became, 3, "the publication, the request and the inquiry");
}

#[test]
fn check_as_of_warns_about_overdue_publications_and_requests() {
    let d = tmp();
    let input = d.path().join("in");
    write(
        &input,
        "卫健局主动公开.csv",
        "单位,信息名称,栏目,形成日期,公开日期\n\
         卫健局,逾期未公开,医疗卫生,2021-08-02,\n\
         卫健局,已公开,医疗卫生,2021-09-13,2021-09-20\n",
    );
    write_requests(&input);
    let (code, out, err) = run(d.path(), &["check", "in", "--as-of", "2021-09-28", "--format", "json"]);
    assert_eq!(code, 0, "warnings are not problems: {out}{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["problems"], 0);
    let w = doc["warnings"].as_array().unwrap();
    let got: BTreeSet<(String, u64)> = w
        .iter()
        .map(|x| {
            (
                x["kind"].as_str().unwrap().to_string(),
                x["source"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        BTreeSet::from([("publication".to_string(), 2), ("request".to_string(), 2)])
    );
    assert_eq!(w[0]["deadline"], "2021-08-30");
    let (code, out, _) = run(d.path(), &["check", "in", "--as-of", "2021-09-28"]);
    assert_eq!(code, 0);
    assert!(out.contains("提醒：截至 2021-09-28 已逾期 2 项"), "{out}");
    // Before the deadlines: nothing to warn about; without --as-of: no warnings key.
    let (_, out, _) = run(d.path(), &["check", "in", "--as-of", "2021-08-20", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["warnings"].as_array().map(Vec::len), Some(0));
    let (_, out, _) = run(d.path(), &["check", "in", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert!(doc.get("warnings").is_none());
}
