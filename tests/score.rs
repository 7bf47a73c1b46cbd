//! `hrgk score` end to end on messy ledgers: merged title rows, a 填报单位 line, wrapped
//! and synonym headers, real/text/8-digit/serial dates, placeholders, footers, a GBK CSV.

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::path::Path;

use crate::common::*;

/// 卫健局: title row, 填报单位 line, wrapped headers, every date style.
fn write_health(dir: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("卫健局台账").unwrap();
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    ws.merge_range(0, 0, 0, 5, "华容县卫健局2021年政府信息主动公开台账", &Format::new())
        .unwrap();
    ws.write_string(1, 0, "填报单位：县卫健局").unwrap();
    for (c, h) in ["序号", "标题", "所属栏目", "成文日期", "公开\n日期", "公开方式"]
        .iter()
        .enumerate()
    {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    let d = |y, m, dd| ExcelDateTime::from_ymd(y, m, dd).unwrap();
    // Row 5: on time, real date cells.
    ws.write_number(4, 0, 1).unwrap();
    ws.write_string(4, 1, "关于甲的通知").unwrap();
    ws.write_string(4, 2, "医疗卫生").unwrap();
    ws.write_datetime_with_format(4, 3, d(2021, 1, 4), &date).unwrap();
    ws.write_datetime_with_format(4, 4, d(2021, 1, 6), &date).unwrap();
    // Row 6: late, text dates.
    ws.write_string(5, 1, "关于乙的通知").unwrap();
    ws.write_string(5, 3, "2021/1/5").unwrap();
    ws.write_string(5, 4, " 2021年3月5日 ").unwrap();
    // Row 7: 8-digit number in a General cell, never published.
    ws.write_string(6, 1, "关于丙的通知").unwrap();
    ws.write_number(6, 3, 20210110).unwrap();
    ws.write_string(6, 4, "未公开").unwrap();
    // Row 8: impossible formation date, publication as a serial number.
    ws.write_string(7, 1, "关于丁的通知").unwrap();
    ws.write_string(7, 3, "2021-02-30").unwrap();
    ws.write_number(7, 4, 44260).unwrap();
    // Row 9: formed late March, pending at 2021-03-31.
    ws.write_string(8, 1, "关于戊的通知").unwrap();
    ws.write_string(8, 3, "2021.3.20").unwrap();
    // Row 10 blank, row 11 footer.
    ws.write_string(10, 0, "填报人：张三    审核人：李四").unwrap();
    let other = wb.add_worksheet();
    other.set_name("说明").unwrap();
    other.write_string(0, 0, "本表由办公室填写").unwrap();
    wb.save(dir.join("卫健局2021台账.xlsx")).unwrap();
}

/// 章华镇: a GBK CSV with synonym headers, 5 on-time rows a month and one duplicate.
fn write_town(dir: &Path) {
    let mut s = String::from("单位名称,信息标题,公开栏目,生成日期,发布时间\n");
    for m in 1..=3 {
        for i in 1..=5 {
            s.push_str(&format!(
                "章华镇人民政府,{m}月信息{i},乡村振兴,2021-{m:02}-0{i},2021-{m:02}-{:02}\n",
                i + 2
            ));
        }
    }
    s.push_str("章华镇,1月信息1,乡村振兴,2021-01-01,2021-01-03\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&s);
    std::fs::write(dir.join("章华镇.csv"), bytes).unwrap();
}

fn item(u: &Value, id: &str) -> f64 {
    item_of(u, id)["score"].as_f64().unwrap()
}

#[test]
fn scores_messy_ledgers_in_json() {
    let d = tmp();
    write_health(d.path());
    write_town(d.path());
    let doc = run_json(
        d.path(),
        &[
            "score",
            ".",
            "--year",
            "2021",
            "--as-of",
            "2021-03-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(doc["year"], 2021);
    assert_eq!(doc["as_of"], "2021-03-31");
    let late = doc["late"].as_array().unwrap();
    assert_eq!(late.len(), 2, "{late:?}");
    let yi = late.iter().find(|l| l["title"] == "关于乙的通知").unwrap();
    assert_eq!(yi["unit"], "华容县卫生健康局");
    assert_eq!(yi["formed"], "2021-01-05");
    assert_eq!(yi["deadline"], "2021-02-02");
    assert_eq!(yi["published"], "2021-03-05");
    assert_eq!(yi["workdays_taken"], 40);
    assert_eq!(yi["days_late"], 31);
    assert_eq!(yi["source"]["row"], 6);
    assert_eq!(yi["source"]["sheet"], "卫健局台账");
    let bing = late.iter().find(|l| l["title"] == "关于丙的通知").unwrap();
    assert_eq!(bing["published"], Value::Null);
    assert_eq!(bing["deadline"], "2021-02-05");
    assert_eq!(bing["days_late"], 54);
    let pending = doc["pending"].as_array().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["deadline"], "2021-04-19");

    let monthly = doc["monthly"].as_array().unwrap();
    let count = |u: &str, m: &str| {
        monthly.iter().find(|x| x["unit"] == u && x["month"] == m).unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count("华容县卫生健康局", "2021-01"), 1);
    assert_eq!(count("华容县卫生健康局", "2021-02"), 0);
    assert_eq!(count("华容县卫生健康局", "2021-03"), 2);
    assert_eq!(count("章华镇", "2021-01"), 5, "the duplicate counts once");
    assert_eq!(monthly.len(), 6, "2 units x 3 months");

    let problems = doc["problems"].as_array().unwrap();
    let p = problems.iter().find(|p| p["code"] == "date-unreadable").unwrap();
    assert_eq!(p["cell"], "D8");
    assert_eq!(p["row"], 8);
    assert_eq!(p["value"], "2021-02-30");
    assert_eq!(p["column"], "成文日期");
    let dup = problems.iter().find(|p| p["code"] == "duplicate").unwrap();
    assert_eq!(dup["row"], 17);
    assert_eq!(problems.len(), 2, "{problems:?}");

    // C3: 2 late + 1 problem row + 3 months under 5 = 6.
    let health = unit_of(&doc, "华容县卫生健康局");
    assert_eq!(item(health, "C3"), 4.0);
    assert_eq!(health["group"], "县直部门");
    let town = unit_of(&doc, "章华镇");
    assert_eq!(item(town, "C3"), 10.0);
    assert_eq!(town["group"], "乡镇");
    assert_eq!(town["rank"], 1);

    let files = doc["files"].as_array().unwrap();
    let xlsx = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(".xlsx"))
        .unwrap();
    let note = xlsx["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "说明")
        .unwrap();
    assert_eq!(note["ledger"], Value::Null);
    assert!(!note["reason"].as_str().unwrap().is_empty());
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let r = wb.worksheet_range(name).unwrap();
    r.rows().map(|r| r.to_vec()).collect()
}

fn find_row<'a>(rows: &'a [Vec<Data>], first: &str) -> &'a Vec<Data> {
    rows.iter()
        .find(|r| r.first().and_then(|c| c.get_string()) == Some(first))
        .unwrap_or_else(|| panic!("row {first}"))
}

#[test]
fn writes_the_score_workbook() {
    let d = tmp();
    let input = d.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_health(&input);
    write_town(&input);
    let out = d.path().join("结果.xlsx");
    let (code, stdout, err) = run(d.path(), &["score", "in", "--as-of", "2021-03-31", "-o", "结果.xlsx"]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("华容县卫生健康局"), "{stdout}");
    let wb: Xlsx<_> = open_workbook(&out).unwrap();
    let names = wb.sheet_names();
    for s in ["汇总", "扣分明细", "逾期公开", "月度公开量", "数据问题", "说明"] {
        assert!(names.iter().any(|n| n == s), "{s} in {names:?}");
    }
    let late = sheet(&out, "逾期公开");
    let yi = late
        .iter()
        .find(|r| r.get(1).and_then(|c| c.get_string()) == Some("关于乙的通知"))
        .unwrap();
    assert_eq!(yi[5], Data::Float(40.0));
    assert_eq!(yi[6], Data::Float(31.0));
    let bing = late
        .iter()
        .find(|r| r.get(1).and_then(|c| c.get_string()) == Some("关于丙的通知"))
        .unwrap();
    assert_eq!(bing[4].to_string(), "未公开");
    assert!(!late
        .iter()
        .any(|r| r.get(1).and_then(|c| c.get_string()) == Some("关于戊的通知")));
    let pending = sheet(&out, "未到期未公开");
    let wu = pending
        .iter()
        .find(|r| r.get(1).and_then(|c| c.get_string()) == Some("关于戊的通知"))
        .unwrap();
    assert_eq!(wu[4].to_string(), "未公开");
    let monthly = sheet(&out, "月度公开量");
    let h = find_row(&monthly, "华容县卫生健康局");
    assert_eq!(&h[2..5], &[Data::Float(1.0), Data::Float(0.0), Data::Float(2.0)]);
    let detail = sheet(&out, "扣分明细");
    let rows: Vec<_> = detail
        .iter()
        .filter(|r| r[0].get_string() == Some("华容县卫生健康局") && r[1].to_string().starts_with("C3"))
        .collect();
    assert_eq!(rows.len(), 6);
    assert!(
        rows.iter().any(|r| r[8] == Data::Float(8.0)),
        "the problem row points at row 8"
    );

    // A second run without --force refuses to overwrite; with it, succeeds.
    let (code, _, err) = run(d.path(), &["score", "in", "--as-of", "2021-03-31", "-o", "结果.xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
    let (code, _, err) = run(
        d.path(),
        &["score", "in", "--as-of", "2021-03-31", "-o", "结果.xlsx", "--force"],
    );
    assert_eq!(code, 0, "{err}");
    // Never over an input, even with --force.
    let (code, _, err) = run(
        d.path(),
        &["score", "in", "--as-of", "2021-03-31", "-o", "in/章华镇.csv", "--force"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("输入文件"), "{err}");
}

#[test]
fn unreadable_files_stop_the_run_unless_keep_going() {
    let d = tmp();
    write_town(d.path());
    std::fs::write(
        d.path().join("系统导出.xls"),
        "<html><table><tr><td>x</td></tr></table></html>",
    )
    .unwrap();
    let (code, _, err) = run(d.path(), &["score", ".", "--as-of", "2021-03-31", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(err.contains("系统导出.xls") && err.contains("HTML"), "{err}");
    let doc = run_json(
        d.path(),
        &[
            "score",
            ".",
            "--as-of",
            "2021-03-31",
            "--format",
            "json",
            "--keep-going",
        ],
    );
    assert!(doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["code"] == "file-unreadable"));
}
