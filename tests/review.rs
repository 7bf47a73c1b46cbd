//! 复核调整 on a copy of the samples: decisions withdraw a line by its 出处, add one
//! beyond the cap, set an item's score; a reference matching nothing and a decision
//! after as-of change nothing; `--no-review` equals the run without the ledger.

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::path::Path;

use crate::common::*;

enum V {
    T(&'static str),
    N(f64),
    D(u16, u8, u8),
    E,
}
use V::*;

const HEADERS: [&str; 10] = [
    "单位",
    "调整方式",
    "考核项目或标准",
    "出处文件",
    "出处工作表",
    "出处行",
    "分值",
    "理由",
    "决定日期",
    "经办人",
];

/// The samples copied into `dir/2021`; returns the folder.
fn copy_samples(dir: &Path) -> std::path::PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join("2021");
    let to = dir.join("2021");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
    to
}

/// The same columns as an office might head them (synonyms).
const SYNONYMS: [&str; 10] = [
    "单位名称",
    "调整类型",
    "考核项目",
    "出处文件",
    "出处工作表",
    "出处行号",
    "分值",
    "调整理由",
    "复核日期",
    "经办人",
];

/// A 复核调整 workbook with a title row above the header, as an office would keep it.
fn write_review(path: &Path, rows: &[[V; 10]]) {
    write_sheet(path, "复核调整", &HEADERS, rows)
}

fn write_sheet(path: &Path, sheet: &str, headers: &[&str; 10], rows: &[[V; 10]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    ws.write_string(0, 0, "2021年度政务公开考核复核决定登记表").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let rr = r as u32 + 2;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                T(s) => {
                    ws.write_string(rr, c, *s).unwrap();
                }
                N(x) => {
                    ws.write_number(rr, c, *x).unwrap();
                }
                D(y, m, d) => {
                    ws.write_datetime_with_format(rr, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
                        .unwrap();
                }
                E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

fn units_file() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join("单位名单.xlsx")
        .to_string_lossy()
        .into_owned()
}

fn score(dir: &Path, inputs: &[&str], extra: &[&str]) -> Value {
    let units = units_file();
    let mut args = vec!["score"];
    args.extend(inputs);
    args.extend(["--units", &units, "--as-of", "2021-12-31", "--format", "json"]);
    args.extend(extra);
    run_json(dir, &args)
}

fn rows_of(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let r = wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"));
    r.rows().map(|r| r.to_vec()).collect()
}

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| h.get_string() == Some(name))
        .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
}

fn decisions() -> Vec<[V; 10]> {
    vec![
        // 1: a late publication (C3.3) withdrawn by its 出处, file name without folder.
        [
            T("章华镇"),
            T("撤销扣分"),
            T("C3.3"),
            T("章华镇2021年政务公开台账.xlsx"),
            T("主动公开台账"),
            N(79.0),
            E,
            T("网站于2021-11-05按时发布，台账公开日期误填"),
            D(2021, 12, 20),
            T("王五"),
        ],
        // 2: the same, by file with its folder and no standard.
        [
            T("三封寺镇"),
            T("撤销扣分"),
            E,
            T("2021/三封寺镇主动公开台账2021.xlsx"),
            T("台账"),
            N(52.0),
            E,
            T("中标结果由县公共资源交易中心按时公开"),
            D(2021, 12, 21),
            T("王五"),
        ],
        // 3: a reference that matches nothing.
        [
            T("东山镇"),
            T("撤销扣分"),
            T("C3.3"),
            T("东山镇2021年政务公开台账.xlsx"),
            T("政务公开"),
            N(999.0),
            E,
            T("申请撤销"),
            D(2021, 12, 21),
            E,
        ],
        // 4: 补扣 beyond A2's 2 points.
        [
            T("团洲乡"),
            T("补扣"),
            T("A2.2"),
            E,
            E,
            E,
            N(3.0),
            T("复核发现信息公开日常维护长期无人负责"),
            D(2021, 12, 22),
            T("李四"),
        ],
        // 5: 改分 on A1 (财政局 had no A1 deduction).
        [
            T("财政局"),
            T("改分"),
            T("A1"),
            E,
            E,
            E,
            N(1.0),
            T("年度工作规划未经党组审定"),
            D(2021, 12, 23),
            T("李四"),
        ],
        // 6: decided after as-of: listed, not applied.
        [
            T("治河渡镇"),
            T("撤销扣分"),
            T("C3.3"),
            T("治河渡镇政务公开台账（2021年）.xlsx"),
            T("2021年"),
            N(71.0),
            E,
            T("次年复核"),
            D(2022, 1, 5),
            E,
        ],
        // 7: a unit that is not assessed.
        [
            T("水利局"),
            T("改分"),
            T("A1"),
            E,
            E,
            E,
            N(0.0),
            T("误登记"),
            D(2021, 12, 24),
            E,
        ],
    ]
}

fn total(doc: &Value, unit: &str) -> (f64, f64, u64) {
    let u = unit_of(doc, unit);
    (
        u["total"].as_f64().unwrap(),
        u["total_before_review"].as_f64().unwrap(),
        u["rank"].as_u64().unwrap(),
    )
}

#[test]
fn decisions_adjust_the_samples_and_stay_visible() {
    let d = tmp();
    let input = copy_samples(d.path());
    let input = input.to_str().unwrap();
    let base = score(d.path(), &[input], &[]);
    write_review(&d.path().join("复核调整.xlsx"), &decisions());
    let doc = score(d.path(), &[input, "复核调整.xlsx"], &["-o", "结果.xlsx"]);

    // Before the decisions (the samples' documented totals).
    assert_eq!(total(&base, "章华镇"), (96.0, 96.0, 2));
    assert_eq!(total(&base, "新河乡"), (96.5, 96.5, 1));
    // 1: one C3 line withdrawn: +1, and 章华镇 now ranks first.
    assert_eq!(total(&doc, "章华镇"), (97.0, 96.0, 1));
    assert_eq!(total(&doc, "新河乡").2, 2);
    let town = unit_of(&doc, "章华镇");
    assert_eq!(item_of(town, "C3")["score"], 9);
    let withdrawn: Vec<&Value> = town["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["adjusted"].is_null())
        .collect();
    assert_eq!(withdrawn.len(), 1, "{town}");
    assert_eq!(withdrawn[0]["source"]["row"], 79);
    assert_eq!(withdrawn[0]["counted"], 0);
    assert_eq!(withdrawn[0]["adjusted"]["action"], "withdraw_deduction");
    assert_eq!(withdrawn[0]["adjusted"]["date"], "2021-12-20");
    assert_eq!(withdrawn[0]["adjusted"]["by"], "王五");
    // 2: by file with its folder.
    assert_eq!(total(&doc, "三封寺镇"), (92.0, 91.0, 4));
    // 3: matches nothing: a problem naming the unit's lines, the unit unchanged.
    assert_eq!(unit_of(&doc, "东山镇"), unit_of(&base, "东山镇"));
    let p = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "review-unmatched")
        .unwrap_or_else(|| panic!("{:#}", doc["problems"]));
    assert_eq!(p["row"], 5);
    assert_eq!(p["cell"], "D5");
    assert_eq!(p["unit"], "东山镇");
    let msg = p["message"].as_str().unwrap();
    assert!(
        msg.contains("第84行") && msg.contains("东山镇2021年政务公开台账.xlsx"),
        "{msg}"
    );
    // 4: 补扣 3 into A2 (2 points): 2 counted, 1 absorbed.
    assert_eq!(total(&doc, "团洲乡"), (85.5, 87.5, 6));
    let tz = unit_of(&doc, "团洲乡");
    assert_eq!(item_of(tz, "A2")["score"], 0);
    let added = tz["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["adjusted"]["action"] == "add_deduction")
        .unwrap_or_else(|| panic!("{tz}"));
    assert_eq!(
        (added["points"].as_f64(), added["counted"].as_f64()),
        (Some(3.0), Some(2.0))
    );
    assert_eq!(added["absorbed"], true);
    // 5: 改分: A1 set to 1, the check's figure kept; 财政局 drops below 市场监管局.
    assert_eq!(total(&doc, "华容县财政局"), (94.0, 95.0, 6));
    assert_eq!(total(&doc, "华容县市场监督管理局").2, 5);
    let a1 = item_of(unit_of(&doc, "华容县财政局"), "A1");
    assert_eq!(
        (a1["score"].as_f64(), a1["check_score"].as_f64()),
        (Some(1.0), Some(2.0))
    );
    assert_eq!(a1["adjusted"]["action"], "set_score");
    // 6: after as-of: not applied.
    assert_eq!(unit_of(&doc, "治河渡镇"), unit_of(&base, "治河渡镇"));
    let review = doc["review"].as_array().unwrap();
    assert_eq!(review.len(), 7);
    // 7: not an assessed unit: a problem, listed as not applied, no unit created.
    assert_eq!(doc["units"].as_array().unwrap().len(), 12);
    let other = review.iter().find(|r| r["unit"] == "水利局").unwrap();
    assert_eq!(other["applied"], false);
    assert!(doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["code"] == "review-unit-unknown" && p["row"] == 9 && p["cell"] == "A9"));
    let late = review.iter().find(|r| r["unit"] == "治河渡镇").unwrap();
    assert_eq!(late["applied"], false);
    assert!(late["status"].as_str().unwrap().contains("截止日期之后"), "{late}");
    // Every other unit as before.
    for name in ["新河乡", "华容县自然资源局", "华容县卫生健康局"] {
        assert_eq!(unit_of(&doc, name)["total"], unit_of(&base, name)["total"], "{name}");
    }

    // The workbook: lines marked, decisions listed with before → after.
    let mut wb: Xlsx<_> = open_workbook(d.path().join("结果.xlsx")).unwrap();
    let lines = rows_of(&mut wb, "扣分明细");
    let h = &lines[0];
    let (c_unit, c_row, c_counted, c_mark) = (col(h, "单位"), col(h, "行号"), col(h, "实际扣分"), col(h, "复核"));
    let line = lines
        .iter()
        .find(|r| r[c_unit].get_string() == Some("章华镇") && r[c_row].as_f64() == Some(79.0))
        .unwrap();
    let mark = line[c_mark].to_string();
    assert!(
        mark.starts_with("已撤销（复核）") && mark.contains("台账公开日期误填") && mark.contains("2021-12-20"),
        "{mark}"
    );
    assert_eq!(line[c_counted].as_f64(), Some(0.0));
    let added = lines
        .iter()
        .find(|r| r[c_unit].get_string() == Some("团洲乡") && r[c_mark].to_string().starts_with("复核补扣"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(added[col(h, "是否因“扣完为止”未计")].to_string(), "是");
    assert_eq!(added[c_counted].as_f64(), Some(2.0));
    let sheet = rows_of(&mut wb, "复核调整");
    let h = sheet.iter().position(|r| r[0].get_string() == Some("单位")).unwrap();
    let (hd, body) = (&sheet[h], &sheet[h + 1..]);
    assert_eq!(body.len(), 7);
    let zh = body.iter().find(|r| r[0].get_string() == Some("章华镇")).unwrap();
    assert_eq!(zh[col(hd, "执行情况")].to_string(), "已执行");
    assert_eq!(zh[col(hd, "调整前总分")].as_f64(), Some(96.0));
    assert_eq!(zh[col(hd, "调整后总分")].as_f64(), Some(97.0));
    assert!(zh[col(hd, "调整内容")].to_string().contains("第79行"));
    let ds = body.iter().find(|r| r[0].get_string() == Some("东山镇")).unwrap();
    assert!(ds[col(hd, "执行情况")].to_string().starts_with("未执行"));
    assert_eq!(ds[col(hd, "调整前总分")].as_f64(), ds[col(hd, "调整后总分")].as_f64());
    let summary = rows_of(&mut wb, "汇总");
    let h = summary.iter().position(|r| r[0].get_string() == Some("单位")).unwrap();
    let zh = summary.iter().find(|r| r[0].get_string() == Some("章华镇")).unwrap();
    assert!(
        zh[col(&summary[h], "备注")]
            .to_string()
            .contains("复核前 96 → 复核后 97"),
        "{zh:?}"
    );

    // --no-review: the scores of the run without the ledger.
    let before = score(d.path(), &[input, "复核调整.xlsx"], &["--no-review"]);
    assert_eq!(before["units"], base["units"]);
    assert_eq!(before["review"], Value::Array(vec![]));
}

#[test]
fn unit_report_marks_the_adjustments() {
    let d = tmp();
    let input = copy_samples(d.path());
    // Synonym headers, and neither the file nor the sheet named after the ledger: the
    // header alone tells it from 检查记录 (单位 + 考核项目).
    write_sheet(&d.path().join("考核办决定登记.xlsx"), "Sheet1", &SYNONYMS, &decisions());
    let units = units_file();
    let (code, _, err) = run(
        d.path(),
        &[
            "report",
            input.to_str().unwrap(),
            "考核办决定登记.xlsx",
            "--units",
            &units,
            "--as-of",
            "2021-12-31",
            "--out-dir",
            "反馈",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let path = |u: &str| {
        d.path()
            .join("反馈")
            .join(format!("2021年度政务公开考核扣分情况-{u}.xlsx"))
    };
    let mut wb: Xlsx<_> = open_workbook(path("章华镇")).unwrap();
    let card = rows_of(&mut wb, "评分表");
    let total = card.iter().find(|r| r[0].get_string() == Some("总分")).unwrap();
    assert_eq!(total[3].as_f64(), Some(97.0));
    assert!(total[4].to_string().contains("复核前 96"), "{total:?}");
    let c3 = card.iter().find(|r| r[0].to_string().contains("C3")).unwrap();
    assert!(c3[4].to_string().contains("1 处已撤销（复核）"), "{c3:?}");
    let lines = rows_of(&mut wb, "扣分加分明细");
    let h = lines
        .iter()
        .position(|r| r.iter().any(|c| c.get_string() == Some("考核项目")))
        .unwrap();
    let mark = col(&lines[h], "复核");
    assert_eq!(
        lines
            .iter()
            .filter(|r| r[mark].to_string().starts_with("已撤销（复核）"))
            .count(),
        1
    );
    assert!(wb.sheet_names().iter().any(|s| s == "复核调整"));
    let mut wb: Xlsx<_> = open_workbook(path("华容县财政局")).unwrap();
    let card = rows_of(&mut wb, "评分表");
    let a1 = card.iter().find(|r| r[0].to_string().contains("A1")).unwrap();
    assert_eq!(a1[3].as_f64(), Some(1.0));
    assert!(a1[4].to_string().contains("复核改分：检查得分 2，改为 1"), "{a1:?}");
    // A unit without decisions has no 复核调整 sheet.
    let wb: Xlsx<_> = open_workbook(path("新河乡")).unwrap();
    assert!(!wb.sheet_names().iter().any(|s| s == "复核调整"));
}
