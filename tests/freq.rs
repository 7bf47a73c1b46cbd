//! `hrgk freq` over a folder of per-unit files, and C4 in `hrgk score`.

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;
use std::path::Path;

use crate::common::*;

/// 生态环境局 keeps 污染防治 fortnightly; 章华镇 too (各乡镇), but lapses from April.
fn write_folder(dir: &Path) {
    let mut eco = String::from("信息名称,栏目,形成日期,公开日期\n");
    // Every 10 days from 01-05 to 06-23: no gap over 14 days, and one unmatched 栏目.
    let mut day = chrono::NaiveDate::from_ymd_opt(2021, 1, 5).unwrap();
    let mut i = 0;
    while day <= chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap() {
        eco.push_str(&format!("环境信息{i},环境保护,{day},{day}\n"));
        day += chrono::Duration::days(10);
        i += 1;
    }
    eco.push_str("工作动态一,工作动态,2021-02-01,2021-02-02\n");
    std::fs::write(dir.join("生态环境局.csv"), eco).unwrap();
    let town = "信息名称,栏目,形成日期,公开日期\n\
                甲,污染防治（环境问题整治等）,2021-01-10,2021-01-12\n\
                乙,污染防治,2021-01-20,2021-01-25\n\
                丙,环境问题整治,2021-03-30,2021-04-01\n";
    std::fs::write(dir.join("章华镇.csv"), town).unwrap();
    std::fs::write(dir.join("~$章华镇.xlsx"), b"lock").unwrap();
    std::fs::write(dir.join("说明.txt"), "readme").unwrap();
}

fn pair<'a>(doc: &'a Value, item: &str, unit: &str) -> Option<&'a Value> {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item"] == item && c["unit"] == unit)
}

#[test]
fn mid_year_freq_measures_open_gaps_and_exits_1_on_lapses() {
    let d = tmp();
    write_folder(d.path());
    let (code, out, err) = run(d.path(), &["freq", ".", "--as-of", "2021-06-30", "--format", "json"]);
    assert_eq!(code, 1, "lapses found: {err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["as_of"], "2021-06-30");
    let item = "污染防治（环境问题整治等）";
    let eco = pair(&doc, item, "岳阳市生态环境局华容分局").expect("生态环境局 answers for 污染防治");
    assert_eq!(eco["status"], "达标");
    assert_eq!(eco["updates"], 18);
    assert_eq!(eco["lapses"], 0);
    let town = pair(&doc, item, "章华镇").unwrap();
    // Anchors 01-01, 01-12, 01-25, 04-01, 06-30: gaps 11, 13, 66 (4 missed), 90 (6 missed).
    assert_eq!(town["updates"], 3);
    assert_eq!(town["last"], "2021-04-01");
    assert_eq!(town["longest_gap_days"], 90);
    assert_eq!(town["lapses"], 10);
    assert_eq!(town["status"], "未达标");
    assert!(pair(&doc, "教育", "章华镇").is_none(), "不适用 pairs are left out");
    let unmatched = doc["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1);
    assert_eq!(unmatched[0]["category"], "工作动态");
    assert_eq!(unmatched[0]["rows"], 1);
}

#[test]
fn freq_workbook_and_c4_in_score() {
    let d = tmp();
    let input = d.path().join("台账");
    std::fs::create_dir(&input).unwrap();
    write_folder(&input);
    let (code, out, err) = run(d.path(), &["freq", "台账", "--as-of", "2021-06-30", "-o", "频率.xlsx"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("章华镇"), "{out}");
    let mut wb: Xlsx<_> = open_workbook(d.path().join("频率.xlsx")).unwrap();
    // Units down, items across ("name\n（frequency）"); a failed item shows its lapses.
    let m = wb.worksheet_range("更新频率").unwrap();
    let header: Vec<String> = m
        .rows()
        .find(|r| r[0] == Data::String("单位".into()))
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.split('\n').next() == Some(name))
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let row = m.rows().find(|r| r[0] == Data::String("章华镇".into())).unwrap();
    assert_eq!(row[col("污染防治（环境问题整治等）")], Data::Float(10.0));
    assert_eq!(row[col("教育")], Data::String("不适用".into()));
    assert!(wb.worksheet_range("更新频率明细").is_ok());

    // C4: 10 lapses x 2 points, capped at 10.
    let doc = run_json(
        d.path(),
        &["score", "台账", "--as-of", "2021-06-30", "--format", "json"],
    );
    let town = unit_of(&doc, "章华镇");
    let c4 = item_of(town, "C4");
    assert_eq!(c4["score"], 0);
    let lines: Vec<&Value> = town["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["item"] == "C4")
        .collect();
    assert_eq!(lines.len(), 10, "one line per missed update: {lines:?}");
    assert!(lines[0]["reason"]
        .as_str()
        .unwrap()
        .contains("2021-01-25 至 2021-04-01"));
    assert!(lines[4]["reason"]
        .as_str()
        .unwrap()
        .contains("2021-04-01 至 2021-06-30"));
    assert_eq!(lines[0]["points"], 2);
    assert!(!lines[4]["absorbed"].as_bool().unwrap());
    assert!(
        lines[5]["absorbed"].as_bool().unwrap(),
        "the cap of 10 absorbs the sixth"
    );
}

#[test]
fn freq_exits_0_when_all_met() {
    let d = tmp();
    let mut eco = String::from("信息名称,栏目,形成日期,公开日期\n");
    for (i, day) in ["2021-01-05", "2021-01-10"].iter().enumerate() {
        eco.push_str(&format!("环境信息{i},环境保护,{day},{day}\n"));
    }
    eco.push_str("2020年政府信息公开工作年度报告,公开年报,2021-01-08,2021-01-08\n");
    std::fs::write(d.path().join("生态环境局.csv"), eco).unwrap();
    // Within 14 days of 1 January no fortnightly gap has passed; the yearly item is
    // updated; timely items without rows are notices (无更新), not lapses.
    let (code, out, err) = run(d.path(), &["freq", ".", "--as-of", "2021-01-14", "--format", "json"]);
    assert_eq!(code, 0, "{err}{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        pair(&doc, "考录招聘", "岳阳市生态环境局华容分局").unwrap()["status"],
        "达标"
    );
    assert_eq!(
        pair(&doc, "六稳六保", "岳阳市生态环境局华容分局").unwrap()["status"],
        "无更新"
    );
    // A month later the fortnightly duties have lapsed.
    let (code, _, _) = run(d.path(), &["freq", ".", "--as-of", "2021-02-14", "--format", "json"]);
    assert_eq!(code, 1);
}
