//! Everyday office mistakes on copies of samples/2021 (issue 8): each is caught and
//! named, and never changes the score of a unit it does not belong to.

use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;

/// A copy of samples/2021 in `dir/台账` and of the county list in `dir/单位名单.xlsx`.
fn copy_samples(dir: &Path) -> PathBuf {
    let to = dir.join("台账");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(samples_dir().join("2021")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
    std::fs::copy(samples_dir().join("单位名单.xlsx"), dir.join("单位名单.xlsx")).unwrap();
    to
}

/// `hrgk score 台账 --units 单位名单.xlsx --as-of 2021-12-31` plus `extra`: exit code, stdout, stderr.
fn score(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["score", "台账", "--units", "单位名单.xlsx", "--as-of", "2021-12-31"];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn score_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = score(dir, &args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn totals(doc: &Value) -> BTreeMap<String, f64> {
    doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap().to_string(), u["total"].as_f64().unwrap()))
        .collect()
}

/// Every unit but `except` scores exactly as in the samples; returns the totals.
fn assert_untouched(doc: &Value, except: &[&str]) -> BTreeMap<String, f64> {
    let t = totals(doc);
    for (name, total) in SAMPLE_TOTALS {
        if !except.contains(name) {
            assert_eq!(t.get(*name), Some(total), "{name}: {t:?}");
        }
    }
    t
}

fn codes<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == code)
        .collect()
}

/// Rewrites a workbook cell by cell (values and dates), without the columns whose
/// header (within the first 5 rows) starts with `drop` (公开日期（必填）).
fn rewrite_without(src: &Path, dst: &Path, drop: &str) {
    let mut wb = open_workbook_auto(src).unwrap();
    let mut out = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let ws = out.add_worksheet();
        ws.set_name(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let dropped: Vec<u32> = range
            .rows()
            .take(5)
            .flat_map(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(_, v)| v.to_string().starts_with(drop))
                    .map(|(i, _)| i as u32)
            })
            .collect();
        for (ri, row) in range.rows().enumerate() {
            let mut oc: u16 = 0;
            for (ci, v) in row.iter().enumerate() {
                if dropped.contains(&(ci as u32)) {
                    continue;
                }
                let (r, c) = (r0 + ri as u32, (c0 as u16) + oc);
                match v {
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Float(x) => {
                        ws.write_number(r, c, *x).unwrap();
                    }
                    Data::Int(x) => {
                        ws.write_number(r, c, *x as f64).unwrap();
                    }
                    Data::DateTime(d) => {
                        ws.write_number_with_format(r, c, d.as_f64(), &date).unwrap();
                    }
                    Data::Bool(b) => {
                        ws.write_boolean(r, c, *b).unwrap();
                    }
                    _ => {}
                }
                oc += 1;
            }
        }
    }
    out.save(dst).unwrap();
}

/// Case 1: a score workbook copied into the ledger folder under any name is not read.
#[test]
fn own_results_are_never_read_as_ledgers() {
    let d = tmp();
    let to = copy_samples(d.path());
    let (code, _, err) = score(d.path(), &["-o", "考核结果-2021.xlsx"]);
    assert_eq!(code, 0, "{err}");
    std::fs::copy(d.path().join("考核结果-2021.xlsx"), to.join("结果.xlsx")).unwrap();
    let (code, _, err) = run(
        d.path(),
        &[
            "report",
            "台账",
            "--units",
            "单位名单.xlsx",
            "--as-of",
            "2021-12-31",
            "--out-dir",
            "反馈",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let report = std::fs::read_dir(d.path().join("反馈"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    std::fs::copy(report.path(), to.join("反馈表.xlsx")).unwrap();
    let (code, _, err) = run(d.path(), &["check", "台账", "-o", "问题.xlsx"]);
    assert!(code <= 1, "{err}");
    std::fs::copy(d.path().join("问题.xlsx"), to.join("问题清单.xlsx")).unwrap();

    let doc = score_json(d.path(), &[]);
    assert_untouched(&doc, &[]);
    let skipped = doc["submissions"]["files"].as_array().unwrap();
    for name in ["结果.xlsx", "反馈表.xlsx", "问题清单.xlsx"] {
        let f = skipped
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} in {skipped:?}"));
        assert_eq!(f["status"], "本工具结果", "{f}");
    }
    // check does not read the result's 扣分明细 as 检查记录.
    let (_, out, _) = run(d.path(), &["check", "台账", "--format", "json"]);
    let check: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = check["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(!paths.iter().any(|p| p.ends_with("结果.xlsx")), "{paths:?}");
    let (_, out, _) = score(d.path(), &["-o", "再算.xlsx"]);
    assert!(out.contains("本工具生成的结果 3 个"), "{out}");
}

/// Case 2: byte-identical copies are read once and listed.
#[test]
fn identical_files_are_read_once() {
    let d = tmp();
    let to = copy_samples(d.path());
    for (from, copy) in [
        ("会议培训签到.xlsx", "会议培训签到(1).xlsx"),
        ("检查记录.xlsx", "检查记录 - 副本.xlsx"),
        (
            "章华镇2021年政务公开台账.xlsx",
            "章华镇2021年政务公开台账（修改版）.xlsx",
        ),
    ] {
        std::fs::copy(to.join(from), to.join(copy)).unwrap();
    }
    let doc = score_json(d.path(), &[]);
    assert_untouched(&doc, &[]);
    let dups: Vec<&Value> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["duplicate_of"].is_null())
        .collect();
    assert_eq!(dups.len(), 3, "{dups:?}");
    assert!(dups
        .iter()
        .any(|f| f["path"].as_str().unwrap().ends_with("检查记录 - 副本.xlsx")
            && f["duplicate_of"].as_str().unwrap().ends_with("检查记录.xlsx")));
    let (_, out, _) = score(d.path(), &["-o", "r.xlsx"]);
    assert!(
        out.contains("检查记录 - 副本.xlsx") && out.contains("与") && out.contains("相同"),
        "{out}"
    );
}

/// Case 3: a ledger missing a required column stops the run (or, with --keep-going,
/// is a problem of its unit), instead of dropping the ledger silently.
#[test]
fn a_missing_required_column_is_an_error() {
    let d = tmp();
    let to = copy_samples(d.path());
    let f = to.join("章华镇2021年政务公开台账.xlsx");
    rewrite_without(&f, &to.join("章华镇2021年政务公开台账（无发布日期）.xlsx"), "发布日期");
    std::fs::remove_file(&f).unwrap();
    let (code, out, err) = score(d.path(), &["-o", "r.xlsx"]);
    assert_eq!(code, 2, "{out}");
    for w in [
        "章华镇2021年政务公开台账（无发布日期）.xlsx",
        "主动公开台账",
        "章华镇",
        "公开日期",
        "--keep-going",
    ] {
        assert!(err.contains(w), "{w}: {err}");
    }
    assert!(!d.path().join("r.xlsx").exists());
    let doc = score_json(d.path(), &["--keep-going"]);
    assert_untouched(&doc, &["章华镇"]);
    let p = codes(&doc, "column-missing");
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0]["unit"], "章华镇");
    assert_eq!(p[0]["sheet"], "主动公开台账");
    let zh = doc["submissions"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "章华镇")
        .unwrap();
    assert_eq!(zh["missing_ledgers"][0], "主动公开台账", "{zh}");
    let (code, out, _) = score(d.path(), &["--keep-going", "-o", "r.xlsx"]);
    assert_eq!(code, 0);
    assert!(out.contains("缺少必填列") && out.contains("章华镇"), "{out}");
}

/// Case 4: December rows of the last calendar year are pending, never a unit's data
/// problem; an as-of in a year without calendar is an operator error.
#[test]
fn a_missing_calendar_never_costs_a_point() {
    let d = tmp();
    let mut csv = String::from("单位,信息名称,形成日期,公开日期\n");
    for m in 1..=12 {
        for i in 1..=5 {
            csv.push_str(&format!(
                "章华镇,{m}月信息{i},2026-{m:02}-{:02},2026-{m:02}-{:02}\n",
                i,
                i + 1
            ));
        }
    }
    csv.push_str("章华镇,年末未公开,2026-12-28,\n");
    std::fs::write(d.path().join("章华镇2026.csv"), csv).unwrap();
    // A request received in December, unanswered: its deadline runs into 2027 too.
    let req = "单位,申请编号,收到日期,答复日期\n章华镇,2026-01,2026-12-21,\n";
    std::fs::write(d.path().join("章华镇依申请公开2026.csv"), req).unwrap();
    let doc = run_json(
        d.path(),
        &[
            "score",
            "章华镇2026.csv",
            "章华镇依申请公开2026.csv",
            "--as-of",
            "2026-12-31",
            "--format",
            "json",
        ],
    );
    assert!(codes(&doc, "calendar-missing").is_empty(), "{}", doc["problems"]);
    let u = unit_of(&doc, "章华镇");
    let c3 = item_of(u, "C3");
    assert_eq!(c3["score"], c3["max"], "{u}");
    let pending = doc["pending"].as_array().unwrap();
    let last = pending.iter().find(|p| p["title"] == "年末未公开").unwrap();
    assert_eq!(last["deadline"], Value::Null);
    assert_eq!(last["deadline_after"], "2027-01-01");
    let r = &doc["requests"][0];
    assert_eq!(r["status"], "结转", "{r}");
    let (code, _, err) = run(d.path(), &["score", "章华镇2026.csv", "--as-of", "2027-01-05"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("没有 2027 年的放假安排") && err.contains("calendar/2027.toml"),
        "{err}"
    );
    // A typo year (2012) in a 2021 ledger is the row's own problem.
    let csv = "单位,信息名称,形成日期,公开日期\n章华镇,甲,2012-03-01,2021-03-02\n章华镇,乙,2021-03-01,2021-03-02\n";
    std::fs::write(d.path().join("章华镇2021.csv"), csv).unwrap();
    let doc = run_json(
        d.path(),
        &["score", "章华镇2021.csv", "--as-of", "2021-12-31", "--format", "json"],
    );
    assert!(codes(&doc, "calendar-missing").is_empty(), "{}", doc["problems"]);
    assert_eq!(codes(&doc, "date-implausible").len(), 1, "{}", doc["problems"]);
    // A 2019 assessment with rows formed in December 2018 (no 2018 calendar): the office
    // adds the calendar, no unit is charged.
    let csv = "单位,信息名称,形成日期,公开日期\n章华镇,甲,2018-12-20,2019-01-05\n章华镇,乙,2019-03-01,2019-03-02\n";
    std::fs::write(d.path().join("章华镇2019.csv"), csv).unwrap();
    let (code, _, err) = run(
        d.path(),
        &["score", "章华镇2019.csv", "--as-of", "2019-12-31", "-o", "z.xlsx"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("calendar/2018.toml") && err.contains("第 2 行"), "{err}");
    assert!(!d.path().join("z.xlsx").exists());
}

/// Case 5: with --units, names off the list are never ranked or charged.
#[test]
fn names_off_the_list_are_not_ranked() {
    let d = tmp();
    let to = copy_samples(d.path());
    let csv = "单位,信息名称,栏目,形成日期,公开日期\n\
               县住建局,甲,工作动态,2021-03-01,2021-03-02\n\
               县住建局,乙,工作动态,2021-03-01,2021-05-02\n\
               华容县第一中学,丙,工作动态,2021-03-01,2021-03-02\n";
    std::fs::write(to.join("其他单位.csv"), csv).unwrap();
    let doc = score_json(d.path(), &[]);
    let t = assert_untouched(&doc, &[]);
    assert_eq!(t.len(), 12, "{t:?}");
    for u in doc["units"].as_array().unwrap() {
        assert_eq!(u["group_size"], 6, "{u}");
    }
    let off = codes(&doc, "unit-not-on-list");
    assert_eq!(off.len(), 2, "{off:?}");
    let zj = off.iter().find(|p| p["value"] == "县住建局").unwrap();
    assert!(zj["message"].as_str().unwrap().contains("2 行"), "{zj}");
    assert!(!zj["message"].as_str().unwrap().contains("万庾镇"), "{zj}");
    assert!(doc["late"].as_array().unwrap().iter().all(|l| l["title"] != "乙"));
    let listed = doc["submissions"]["off_list"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let (code, _, err) = run(
        d.path(),
        &[
            "report",
            "台账",
            "--units",
            "单位名单.xlsx",
            "--as-of",
            "2021-12-31",
            "--out-dir",
            "反馈",
            "--unit",
            "卫生局",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("华容县卫生健康局") && !err.contains("东山镇"), "{err}");
}

/// Case 6: a word in a file name never makes a unit by itself.
#[test]
fn a_word_in_a_file_name_is_not_a_unit() {
    let d = tmp();
    let to = copy_samples(d.path());
    std::fs::rename(
        to.join("年报与指南.xlsx"),
        to.join("2021年度政府信息公开年报及指南情况统计.xlsx"),
    )
    .unwrap();
    let doc = score_json(d.path(), &[]);
    let t = assert_untouched(&doc, &[]);
    assert_eq!(t.len(), 12, "{t:?}");
    // Without the list too: no 华容县统计局.
    let (code, out, err) = run(
        d.path(),
        &["score", "台账", "--as-of", "2021-12-31", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert!(!totals(&doc).contains_key("华容县统计局"), "{:?}", totals(&doc));
}

/// Case 7: posts carry their unit.
#[test]
fn posts_carry_their_unit() {
    let d = tmp();
    let to = copy_samples(d.path());
    let mut csv = String::from("单位,账号名称,发布日期,标题\n");
    for i in 1..=5 {
        csv.push_str(&format!("章华镇,章华微政务,2021-01-{:02},第{i}条\n", i * 2));
    }
    // An account whose posts name two units: a problem naming both, not monitored.
    csv.push_str("章华镇,两镇共号,2021-01-02,甲\n东山镇,两镇共号,2021-01-03,乙\n");
    std::fs::write(to.join("新媒体发布补充.csv"), csv).unwrap();
    let doc = score_json(d.path(), &[]);
    let unknown = codes(&doc, "account-unit-unknown");
    assert_eq!(unknown.len(), 1, "{}", doc["problems"]);
    let m = unknown[0]["message"].as_str().unwrap();
    assert!(
        m.contains("两镇共号") && m.contains("章华镇") && m.contains("东山镇"),
        "{m}"
    );
    let t = assert_untouched(&doc, &["章华镇"]);
    assert!(t["章华镇"] < 96.0, "{t:?}");
    let acc = doc["newmedia"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account"] == "章华微政务")
        .unwrap();
    assert_eq!(acc["unit"], "章华镇");
}

/// Case 8: a unit on the list with nothing is 未报送; inputs with no ledger are an error.
#[test]
fn nothing_submitted_is_said() {
    let d = tmp();
    copy_samples(d.path());
    let mut list = String::from("单位名称,类别,别名\n");
    for (name, _) in SAMPLE_TOTALS {
        list.push_str(&format!("{name},,\n"));
    }
    list.push_str("胜峰乡,乡镇,\n");
    std::fs::write(d.path().join("名单.csv"), list).unwrap();
    let (code, out, err) = run(
        d.path(),
        &[
            "score",
            "台账",
            "--units",
            "名单.csv",
            "--as-of",
            "2021-12-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(keys[0], "submissions", "{keys:?}");
    let units = doc["submissions"]["units"].as_array().unwrap();
    let sf = units.iter().find(|u| u["unit"] == "胜峰乡").unwrap();
    assert_eq!(sf["status"], "未报送");
    let zh = units.iter().find(|u| u["unit"] == "章华镇").unwrap();
    assert_eq!(zh["status"], "已报送");
    assert!(zh["rows"].as_u64().unwrap() > 80, "{zh}");
    let (code, out, _) = run(
        d.path(),
        &[
            "score",
            "台账",
            "--units",
            "名单.csv",
            "--as-of",
            "2021-12-31",
            "-o",
            "r.xlsx",
        ],
    );
    assert_eq!(code, 0);
    let first = out.lines().take(6).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("收件情况") && first.contains("未报送") && first.contains("胜峰乡"),
        "{out}"
    );
    let mut wb = open_workbook_auto(d.path().join("r.xlsx")).unwrap();
    assert_eq!(wb.sheet_names()[0], "收件情况");
    let range = wb.worksheet_range("收件情况").unwrap();
    assert!(range
        .rows()
        .any(|r| r.iter().any(|c| *c == "胜峰乡") && r.iter().any(|c| *c == "未报送")));
    let summary = wb.worksheet_range("汇总").unwrap();
    assert!(summary
        .rows()
        .any(|r| r.iter().any(|c| *c == "胜峰乡") && r.iter().any(|c| c.to_string().contains("未报送"))));

    // An empty folder: exit 2, nothing written.
    std::fs::create_dir_all(d.path().join("空")).unwrap();
    let (code, _, err) = run(d.path(), &["score", "空", "--as-of", "2021-12-31", "-o", "空.xlsx"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("没有找到任何台账") && err.contains("读取 0 个文件"),
        "{err}"
    );
    assert!(!d.path().join("空.xlsx").exists());
}

/// Case 9: .et files are read in folders; an unreadable file kept going is named; a
/// sheet without any unit source is one problem.
#[test]
fn skipped_and_unreadable_files_are_named() {
    let d = tmp();
    let to = copy_samples(d.path());
    std::fs::rename(to.join("检查记录.xlsx"), to.join("检查记录.et")).unwrap();
    std::fs::write(to.join("坏文件.xlsx"), b"PK\x03\x04garbage").unwrap();
    std::fs::write(to.join("说明.txt"), "readme").unwrap();
    std::fs::write(
        to.join("无单位.csv"),
        "信息名称,形成日期,公开日期\n甲,2021-03-01,2021-03-02\n乙,2021-03-01,2021-03-02\n",
    )
    .unwrap();
    let doc = score_json(d.path(), &["--keep-going"]);
    assert_untouched(&doc, &[]);
    let no_unit = codes(&doc, "unit-missing");
    assert_eq!(no_unit.len(), 1, "{no_unit:?}");
    assert!(no_unit[0]["message"].as_str().unwrap().contains("2 行"));
    let files = doc["submissions"]["files"].as_array().unwrap();
    let status = |n: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(n))
            .unwrap_or_else(|| panic!("{n} in {files:?}"))["status"]
            .clone()
    };
    assert_eq!(status("检查记录.et"), "已读取");
    assert_eq!(status("坏文件.xlsx"), "无法读取");
    assert_eq!(status("说明.txt"), "已跳过");
    let (_, out, _) = score(d.path(), &["--keep-going", "-o", "r.xlsx"]);
    assert!(out.contains("坏文件.xlsx"), "{out}");
}
