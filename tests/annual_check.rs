//! `hrgk annual check`: units' own tables 三/四 read back by their labels and compared
//! with the ledger (every differing figure and every 勾稽 relation the unit's figures
//! break, computed by hand); `--carried` filling 二 from last year's tables.

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use std::path::Path;

use crate::annual::{write_finance, write_health};
use crate::common::*;

/// 卫健局's table 三 by hand (rows 一, 二, the 21 results, （七）, 四 × 自然人 …
/// 其他, 总计), as in `annual::tables_from_the_ledger_match_hand_computed_figures`.
#[rustfmt::skip]
const HEALTH_T3: [[u32; 7]; 25] = [
    [18, 4, 1, 1, 1, 1, 26], [1, 1, 0, 0, 0, 0, 2],
    [6, 0, 0, 0, 0, 0, 6], [0, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 1, 0, 1], [1, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 1], [0, 0, 1, 0, 0, 0, 1],
    [1, 0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 0, 0, 1], [0; 7], [0, 1, 0, 0, 0, 0, 1],
    [2, 1, 0, 0, 0, 0, 3], [1, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 1],
    [0, 1, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0, 1],
    [1, 0, 0, 0, 0, 0, 1], [0; 7], [0, 0, 0, 0, 0, 1, 1],
    [17, 5, 1, 1, 1, 1, 26], [2, 0, 0, 0, 0, 0, 2],
];
const HEALTH_T4: [[u32; 5]; 3] = [[2, 1, 1, 0, 4], [0, 1, 0, 1, 2], [1, 0, 0, 0, 1]];

/// Row labels as a unit types them: no numbering, the group and its item in separate
/// cells, odd spaces and full-width forms.
#[rustfmt::skip]
const LABELS: [(&str, &str); 25] = [
    ("本年新收政府信息公开申请数量", ""), ("上年结转政府信息公开申请数量", ""),
    ("予以公开", ""), ("部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("不予公开", "属于国家秘密"), ("", "其他法律行政法规禁止公开"), ("", "危及“三安全一稳定”"), ("", "保护第三方合法权益"),
    ("", "属于三类内部事务信息"), ("", "属于四类过程性信息"), ("", "属于行政执法案卷"), ("", "属于行政查询事项"),
    ("无法提供", "本机关不掌握相关政府信息"), ("", "没有现成信息需要另行制作"), ("", "补正后申请内容仍不明确"),
    ("不予处理", "信访举报投诉类申请"), ("", "重复申请"), ("", "要求提供公开出版物"), ("", "无正当理由大量反复申请"), ("", "要求行政机关确认或重新出具已获取信息"),
    ("其他处理", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"), ("", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), ("", "其他"),
    ("总计", ""), ("结转下年度继续办理", ""),
];

/// A unit's own report sheet: a long title, a 填报单位 cell (when `unit` is given),
/// table 三 from row 6 column C with merged headers and unnumbered labels, then table 四
/// further down from column B.
fn write_own(path: &Path, unit: Option<&str>, t3: &[[u32; 7]; 25], t4: &[[u32; 5]; 3]) {
    write_own_labels(path, unit, t3, t4, &LABELS);
}

/// `write_own` with other row labels.
fn write_own_labels(
    path: &Path,
    unit: Option<&str>,
    t3: &[[u32; 7]; 25],
    t4: &[[u32; 5]; 3],
    labels: &[(&str, &str); 25],
) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("年报").unwrap();
    let m = Format::new();
    ws.write_string(0, 0, "政府信息公开工作年度报告（统计部分）").unwrap();
    if let Some(u) = unit {
        ws.write_string(1, 0, format!("填报单位： {u}")).unwrap();
    }
    ws.write_string(3, 2, "三、收到和处理政府信息公开申请情况").unwrap();
    ws.merge_range(
        5,
        2,
        7,
        3,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        &m,
    )
    .unwrap();
    ws.merge_range(5, 4, 5, 10, "申请人情况", &m).unwrap();
    ws.merge_range(6, 4, 7, 4, "自 然 人", &m).unwrap();
    ws.merge_range(6, 5, 6, 9, "法人或其他组织", &m).unwrap();
    for (i, h) in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
        .iter()
        .enumerate()
    {
        ws.write_string(7, 5 + i as u16, *h).unwrap();
    }
    ws.merge_range(6, 10, 7, 10, "总计", &m).unwrap();
    for (i, (group, item)) in labels.iter().enumerate() {
        let r = 8 + i as u32;
        if !group.is_empty() {
            ws.write_string(r, 2, *group).unwrap();
        }
        if !item.is_empty() {
            ws.write_string(r, 3, *item).unwrap();
        }
        for (c, v) in t3[i].iter().enumerate() {
            // Zeros left empty, as units often do.
            if *v != 0 {
                ws.write_number(r, 4 + c as u16, *v as f64).unwrap();
            }
        }
    }
    let top = 8 + 25 + 3;
    ws.write_string(top, 1, "四、政府信息公开行政复议、行政诉讼情况")
        .unwrap();
    ws.merge_range(top + 1, 1, top + 2, 5, "行政复议", &m).unwrap();
    ws.merge_range(top + 1, 6, top + 1, 15, "行政诉讼", &m).unwrap();
    ws.merge_range(top + 2, 6, top + 2, 10, "未经复议直接起诉", &m).unwrap();
    ws.merge_range(top + 2, 11, top + 2, 15, "复议后起诉", &m).unwrap();
    for b in 0..3u16 {
        for (k, h) in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
            .iter()
            .enumerate()
        {
            ws.write_string(top + 3, 1 + b * 5 + k as u16, *h).unwrap();
            ws.write_number(top + 4, 1 + b * 5 + k as u16, t4[b as usize][k] as f64)
                .unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// Re-writes a workbook's sheets cell by cell (values only), changing some cells:
/// (sheet, row, col, new value).
fn rewrite(from: &Path, to: &Path, changes: &[(&str, u32, u16, f64)]) {
    let mut src: Xlsx<_> = open_workbook(from).unwrap();
    let mut wb = Workbook::new();
    for name in src.sheet_names() {
        let range = src.worksheet_range(&name).unwrap();
        let ws = wb.add_worksheet();
        ws.set_name(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r0 + r as u32, (c0 as usize + c) as u16);
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
                    _ => {}
                }
            }
        }
        for (s, r, c, v) in changes {
            if *s == name {
                ws.write_number(*r, *c, *v).unwrap();
            }
        }
    }
    wb.save(to).unwrap();
}

fn check_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let (code, out, err) = run(dir, args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, v)
}

const HEALTH: &str = "华容县卫生健康局";

#[test]
fn unaltered_output_agrees_and_three_altered_cells_are_listed_with_every_broken_relation() {
    let d = tmp();
    write_health(&d.path().join("台账"));
    let (code, _, err) = run(d.path(), &["annual", "台账", "--year", "2021", "--out-dir", "年报表"]);
    assert_eq!(code, 0, "{err}");
    // Unaltered: the unit's workbook and the county's agree with the ledger.
    let (code, doc) = check_json(
        d.path(),
        &[
            "annual",
            "check",
            "台账",
            "年报表",
            "--year",
            "2021",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["agree"], true);
    assert_eq!(doc["differences"], serde_json::json!([]));
    assert_eq!(doc["broken"], serde_json::json!([]));
    assert_eq!(doc["problems"], serde_json::json!([]));
    let units: Vec<&str> = doc["checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["全县汇总", HEALTH]);
    assert_eq!(doc["checked"][1]["table3"]["sheet"], "表三 依申请公开");
    let (code, out, _) = run(d.path(), &["annual", "check", "台账", "年报表", "--year", "2021"]);
    assert_eq!(code, 0);
    assert!(out.contains("核对 2 个单位的统计表：与台账一致"), "{out}");

    // Three cells altered in a copy: 表三 予以公开/自然人 6 → 7 (sheet row 8, column D),
    // 表三 本年新收/总计 26 → 25 (row 6, column J), 表四 行政复议/结果维持 2 → 3 (A6).
    let book = d
        .path()
        .join("年报表/2021年政府信息公开工作年度报告统计表-华容县卫生健康局.xlsx");
    std::fs::create_dir_all(d.path().join("改")).unwrap();
    let altered = d.path().join("改/卫健局年报.xlsx");
    rewrite(
        &book,
        &altered,
        &[
            ("表三 依申请公开", 7, 3, 7.0),
            ("表三 依申请公开", 5, 9, 25.0),
            ("表四 复议诉讼", 5, 0, 3.0),
        ],
    );
    let (code, doc) = check_json(
        d.path(),
        &["annual", "check", "台账", "改", "--year", "2021", "--format", "json"],
    );
    assert_eq!(code, 1, "{doc}");
    assert_eq!(doc["agree"], false);
    let diffs: Vec<(String, String, String, u64, u64, String)> = doc["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            assert_eq!(x["unit"], HEALTH);
            (
                x["table"].as_str().unwrap().into(),
                x["row_id"].as_str().unwrap().into(),
                x["column"].as_str().unwrap().into(),
                x["reported"].as_u64().unwrap(),
                x["ledger"].as_u64().unwrap(),
                x["cell"].as_str().unwrap().into(),
            )
        })
        .collect();
    let t = |a: &str, b: &str, c: &str, r, l, cell: &str| (a.into(), b.into(), c.into(), r, l, cell.into());
    assert_eq!(
        diffs,
        [
            t("表三", "new", "总计", 25, 26, "J6"),
            t("表三", "disclosed", "自然人", 7, 6, "D8"),
            t("表四", "行政复议", "结果维持", 3, 2, "A6"),
        ]
    );
    // The rows behind the ledger's 6 予以公开 by 自然人.
    let rows: Vec<&str> = doc["differences"][1]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["P2", "05", "06", "20", "21", "25"]);
    assert_eq!(doc["differences"][0]["rows"].as_array().unwrap().len(), 26);
    // The terminal names the rows behind a short figure and counts a long one.
    let (code, out, _) = run(d.path(), &["annual", "check", "台账", "改", "--year", "2021"]);
    assert_eq!(code, 1);
    let line = |part: &str| {
        out.lines()
            .find(|l| l.contains(part))
            .unwrap_or_else(|| panic!("{part}: {out}"))
    };
    let disclosed = line("予以公开/自然人（台账数 6）");
    for n in ["（P2）", "（05）", "（06）", "（20）", "（21）", "（25）"] {
        assert!(disclosed.contains(n), "{n}: {disclosed}");
    }
    assert!(line("/总计（台账数 26）").contains("共 26 行"), "{out}");
    // Every relation the three break, by hand:
    //   自然人 column: （七）17 ≠ results 6+1+1+1+1+2+1+1+1+1+1+1 = 18 with 7;
    //   总计 column: 一+二 = 25+2 = 27 ≠ （七）+四 = 26+2 = 28;
    //   row 一: 总计 25 ≠ 18+4+1+1+1+1 = 26; row 予以公开: 总计 6 ≠ 7;
    //   表四 行政复议: 总计 4 ≠ 3+1+1+0 = 5.
    let broken: Vec<(String, String, u64, u64)> = doc["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["table"].as_str().unwrap().into(),
                b["along"].as_str().unwrap().into(),
                b["left"].as_u64().unwrap(),
                b["right"].as_u64().unwrap(),
            )
        })
        .collect();
    let b = |a: &str, along: &str, l, r| (a.to_string(), along.to_string(), l, r);
    assert_eq!(
        broken,
        [
            b("表三", "自然人", 17, 18),
            b("表三", "总计", 27, 28),
            b("表三", "一、本年新收政府信息公开申请数量", 25, 26),
            b("表三", "三、本年度办理结果 （一）予以公开", 6, 7),
            b("表四", "行政复议", 4, 5),
        ]
    );
    assert_eq!(doc["broken"][0]["relation"], "（七）总计等于（一）至（六）各项之和");
    assert_eq!(
        doc["broken"][1]["relation"],
        "第一项加第二项之和等于第三项（七）总计加第四项之和"
    );
    assert_eq!(doc["problems"], serde_json::json!([]));

    // The workbook (-o) lists the same, read back.
    let (code, out, err) = run(
        d.path(),
        &["annual", "check", "台账", "改", "--year", "2021", "-o", "核对.xlsx"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("与台账不一致的数字：3 个"), "{out}");
    assert!(out.contains("不成立的勾稽关系：5 个"), "{out}");
    let mut wb: Xlsx<_> = open_workbook(d.path().join("核对.xlsx")).unwrap();
    let diff = wb.worksheet_range("不一致的数字").unwrap();
    let header = diff
        .rows()
        .position(|r| r.first().is_some_and(|c| *c == "单位"))
        .unwrap();
    let first = &diff.rows().nth(header + 1).unwrap();
    assert_eq!(first[0], Data::String(HEALTH.into()));
    assert_eq!(first[2], Data::String("一、本年新收政府信息公开申请数量".into()));
    assert_eq!(first[3], Data::String("总计".into()));
    assert_eq!(first[4], Data::Float(25.0));
    assert_eq!(first[5], Data::Float(26.0));
    assert_eq!(diff.rows().skip(header + 1).filter(|r| r[0] != Data::Empty).count(), 3);
    let rel = wb.worksheet_range("勾稽关系").unwrap();
    assert_eq!(
        rel.rows().filter(|r| r.first().is_some_and(|c| *c == HEALTH)).count(),
        5
    );
    // Without --force the workbook is not overwritten.
    let (code, _, err) = run(
        d.path(),
        &["annual", "check", "台账", "改", "--year", "2021", "-o", "核对.xlsx"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn a_units_own_layout_is_found_by_its_labels_and_an_unplaced_table_is_a_problem() {
    let d = tmp();
    write_health(&d.path().join("台账"));
    std::fs::create_dir_all(d.path().join("单位")).unwrap();
    // Moved, unnumbered, zeros left empty; the unit only in a 填报单位 cell.
    write_own(
        &d.path().join("单位/2021年年报.xlsx"),
        Some("卫健局"),
        &HEALTH_T3,
        &HEALTH_T4,
    );
    let (code, doc) = check_json(
        d.path(),
        &["annual", "check", "台账", "单位", "--year", "2021", "--format", "json"],
    );
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["checked"][0]["unit"], HEALTH);
    assert_eq!(doc["checked"][0]["table3"]["sheet"], "年报");
    assert_eq!(doc["checked"][0]["table4"]["sheet"], "年报");

    // One figure off in that layout names its own cell: 表三 （四）1.本机关不掌握 /
    // 商业企业 is sheet row 8 + 12 + 1 = 21, column F.
    let mut t3 = HEALTH_T3;
    t3[12][1] = 4;
    write_own(&d.path().join("单位/2021年年报.xlsx"), Some("卫健局"), &t3, &HEALTH_T4);
    let (code, doc) = check_json(
        d.path(),
        &["annual", "check", "台账", "单位", "--year", "2021", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert_eq!(doc["differences"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["differences"][0]["cell"], "F21");
    assert_eq!(doc["differences"][0]["reported"], 4);
    assert_eq!(doc["differences"][0]["ledger"], 1);
    assert_eq!(
        doc["differences"][0]["row"],
        "三、本年度办理结果 （四）无法提供 1.本机关不掌握相关政府信息"
    );

    // No unit anywhere (title, sheet, file name): a problem naming file and sheet.
    std::fs::remove_file(d.path().join("单位/2021年年报.xlsx")).unwrap();
    write_own(&d.path().join("单位/年报表.xlsx"), None, &HEALTH_T3, &HEALTH_T4);
    std::fs::write(d.path().join("单位/说明.csv"), "事项,内容\n报送,按时\n").unwrap();
    let (code, doc) = check_json(
        d.path(),
        &["annual", "check", "台账", "单位", "--year", "2021", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert_eq!(doc["checked"], serde_json::json!([]));
    let problems: Vec<(String, String, String)> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let file = p["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_string_lossy().to_string();
            (
                p["code"].as_str().unwrap().into(),
                name,
                p["sheet"].as_str().unwrap().into(),
            )
        })
        .collect();
    let p = |c: &str, f: &str, s: &str| (c.to_string(), f.to_string(), s.to_string());
    assert_eq!(
        problems,
        [
            p("table-unit-unknown", "年报表.xlsx", "年报"),
            p("table-unit-unknown", "年报表.xlsx", "年报"),
            p("table-not-found", "说明.csv", "说明"),
        ]
    );
    let (_, out, _) = run(d.path(), &["annual", "check", "台账", "单位", "--year", "2021"]);
    assert!(
        out.contains("年报表.xlsx 工作表“年报”：找到了表三，但看不出是哪个单位的"),
        "{out}"
    );
}

#[test]
fn carried_fills_row_two_from_last_years_pending_row() {
    let d = tmp();
    write_finance(&d.path().join("台账"));
    // Last year's tables of 财政局: 四 (结转下年度继续办理) = 2 自然人, 1 商业企业.
    let mut last = [[0u32; 7]; 25];
    last[0] = [5, 1, 0, 0, 0, 0, 6];
    last[23] = [3, 0, 0, 0, 0, 0, 3];
    last[2] = [3, 0, 0, 0, 0, 0, 3];
    last[24] = [2, 1, 0, 0, 0, 0, 3];
    write_own(
        &d.path().join("2020年财政局年报.xlsx"),
        Some("财政局"),
        &last,
        &[[0; 5]; 3],
    );
    let doc = run_json(
        d.path(),
        &[
            "annual",
            "台账",
            "--year",
            "2021",
            "--carried",
            "2020年财政局年报.xlsx",
            "--format",
            "json",
        ],
    );
    let f = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "华容县财政局")
        .unwrap();
    assert_eq!(f["carried_unknown"], false);
    assert_eq!(f["carried_source"], "report");
    assert_eq!(f["table3"][1]["id"], "carried");
    let carried: Vec<u64> = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    .iter()
    .map(|c| f["table3"][1]["cells"][c]["value"].as_u64().unwrap())
    .collect();
    assert_eq!(carried, [2, 1, 0, 0, 0, 0, 3]);
    assert_eq!(doc["county"]["table3"][1]["cells"]["总计"]["value"], 3);
    // Without --carried it stays unknown.
    let doc = run_json(d.path(), &["annual", "台账", "--year", "2021", "--format", "json"]);
    assert_eq!(doc["units"][0]["carried_unknown"], true);
    // The workbook's 二 row holds the figures (row 7, from column D).
    let (code, _, err) = run(
        d.path(),
        &[
            "annual",
            "台账",
            "--year",
            "2021",
            "--carried",
            "2020年财政局年报.xlsx",
            "--out-dir",
            "表",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut wb: Xlsx<_> = open_workbook(
        d.path()
            .join("表/2021年政府信息公开工作年度报告统计表-华容县财政局.xlsx"),
    )
    .unwrap();
    let t = wb.worksheet_range("表三 依申请公开").unwrap();
    assert_eq!(
        t.get_value((6, 0)),
        Some(&Data::String("二、上年结转政府信息公开申请数量".into()))
    );
    assert_eq!(t.get_value((6, 3)), Some(&Data::Float(2.0)));
    assert_eq!(t.get_value((6, 4)), Some(&Data::Float(1.0)));
    assert_eq!(t.get_value((6, 9)), Some(&Data::Float(3.0)));
}

#[test]
fn a_ledger_folder_named_check_is_given_as_dot_slash_check() {
    let d = tmp();
    write_health(&d.path().join("check"));
    let doc = run_json(d.path(), &["annual", "./check", "--year", "2021", "--format", "json"]);
    assert_eq!(doc["units"][0]["unit"], HEALTH);
    // `check` alone is the subcommand, which needs its two paths.
    let (code, _, err) = run(d.path(), &["annual", "check", "--year", "2021"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn g1_format_from_the_annual_tables_when_the_ledger_leaves_it_empty() {
    let d = tmp();
    let ledgers = d.path().join("台账");
    std::fs::create_dir_all(&ledgers).unwrap();
    // All in time; 格式是否规范 empty for 卫健局 and 财政局, 是 for 教体局.
    std::fs::write(
        ledgers.join("年报与指南.csv"),
        "单位,年报上报日期,年报发布日期,格式是否规范,指南更新日期\n\
         卫健局,2021-01-20,2021-02-05,,2021-03-01\n\
         财政局,2021-01-20,2021-02-05,,2021-03-01\n\
         教体局,2021-01-20,2021-02-05,是,2021-03-01\n",
    )
    .unwrap();
    let tables = d.path().join("年报表");
    std::fs::create_dir_all(&tables).unwrap();
    // 卫健局: the standard tables, every relation holds → 规范.
    write_own(
        &tables.join("卫健局2020年报.xlsx"),
        Some("卫健局"),
        &HEALTH_T3,
        &HEALTH_T4,
    );
    // 财政局: 行政复议 总计 5 ≠ 2+1+1+0 = 4 → 不规范.
    let mut t4 = HEALTH_T4;
    t4[0][4] = 5;
    write_own(&tables.join("财政局2020年报.xlsx"), Some("财政局"), &HEALTH_T3, &t4);
    // 教体局: the same fault, but the ledger says 是: the ledger wins.
    write_own(&tables.join("教体局2020年报.xlsx"), Some("教体局"), &HEALTH_T3, &t4);
    let g1 = |doc: &Value, unit: &str| item_of(unit_of(doc, unit), "G1")["score"].as_f64().unwrap();
    let base = [
        "score",
        "台账",
        "--year",
        "2021",
        "--as-of",
        "2021-12-31",
        "--format",
        "json",
    ];
    let before = run_json(d.path(), &base);
    for u in [HEALTH, "华容县财政局", "华容县教育体育局"] {
        assert_eq!(g1(&before, u), 10.0, "{u}: format not filled, not judged");
    }
    let mut args = base.to_vec();
    args.extend(["--annual-tables", "年报表"]);
    let after = run_json(d.path(), &args);
    assert_eq!(g1(&after, HEALTH), 10.0);
    assert_eq!(g1(&after, "华容县财政局"), 8.0, "G1.2 年报格式不规范 2 分");
    assert_eq!(g1(&after, "华容县教育体育局"), 10.0);
    let fin = unit_of(&after, "华容县财政局");
    assert_eq!(
        fin["total"].as_f64().unwrap(),
        unit_of(&before, "华容县财政局")["total"].as_f64().unwrap() - 2.0
    );

    // report takes the same flag and gives the same totals as score.
    let report = |extra: &[&str]| {
        let mut args = vec![
            "report",
            "台账",
            "--year",
            "2021",
            "--as-of",
            "2021-12-31",
            "--unit",
            "财政局",
            "--format",
            "json",
        ];
        args.extend(extra);
        let doc = run_json(d.path(), &args);
        doc["files"][0]["total"].as_f64().unwrap()
    };
    assert_eq!(
        report(&["--out-dir", "反馈前"]),
        unit_of(&before, "华容县财政局")["total"].as_f64().unwrap()
    );
    assert_eq!(
        report(&["--out-dir", "反馈", "--annual-tables", "年报表"]),
        fin["total"].as_f64().unwrap()
    );

    // The workbook's 说明 says so, unit by unit.
    let mut args = args[..6].to_vec();
    args.extend(["--annual-tables", "年报表", "-o", "考核.xlsx"]);
    let (code, _, err) = run(d.path(), &args);
    assert_eq!(code, 0, "{err}");
    let mut wb: Xlsx<_> = open_workbook(d.path().join("考核.xlsx")).unwrap();
    let about = wb.worksheet_range("说明").unwrap();
    let lines: Vec<(String, String)> = about
        .rows()
        .map(|r| (r[0].to_string(), r.get(1).map(|c| c.to_string()).unwrap_or_default()))
        .collect();
    assert!(lines
        .iter()
        .any(|(k, v)| k == "G1 年报格式（--annual-tables）" && v.contains("格式是否规范”未填的单位")));
    let judged: Vec<&str> = lines
        .iter()
        .filter(|(k, _)| k.trim() == "按年报统计表判断")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(judged.len(), 2, "{judged:?}");
    assert_eq!(judged[0], "华容县卫生健康局：规范");
    assert_eq!(
        judged[1],
        "华容县财政局：不规范：表四勾稽关系不成立：总计等于前四列之和（行政复议）5 ≠ 4"
    );
}

#[test]
fn a_label_that_differs_is_a_problem_its_row_is_not_compared_and_g1_counts_it() {
    let d = tmp();
    write_health(&d.path().join("台账"));
    std::fs::create_dir_all(d.path().join("单位")).unwrap();
    let mut labels = LABELS;
    labels[16] = ("", "重复的申请");
    let mut t3 = HEALTH_T3;
    t3[16][0] = 9; // under the wrong label: not read, so not a difference
    write_own_labels(&d.path().join("单位/卫健局年报.xlsx"), None, &t3, &HEALTH_T4, &labels);
    let (code, doc) = check_json(
        d.path(),
        &["annual", "check", "台账", "单位", "--year", "2021", "--format", "json"],
    );
    assert_eq!(code, 1);
    assert_eq!(doc["checked"][0]["unit"], HEALTH, "unit from the file name");
    assert_eq!(doc["differences"], serde_json::json!([]));
    assert_eq!(doc["broken"], serde_json::json!([]), "a row not read is not judged");
    assert_eq!(doc["problems"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["problems"][0]["code"], "table-label");
    assert_eq!(
        doc["problems"][0]["message"],
        "表三找不到行“三、本年度办理结果 （五）不予处理 2.重复申请”（行标签须与正式格式一致）"
    );
    assert_eq!(doc["problems"][0]["sheet"], "年报");
    // G1: 格式 not filled in the ledger → 格式不规范 from the label.
    std::fs::write(
        d.path().join("台账/年报与指南.csv"),
        "单位,年报上报日期,年报发布日期,格式是否规范,指南更新日期\n卫健局,2021-01-20,2021-02-05,,2021-03-01\n",
    )
    .unwrap();
    let score = [
        "score",
        "台账",
        "--year",
        "2021",
        "--as-of",
        "2021-12-31",
        "--format",
        "json",
    ];
    let doc = run_json(d.path(), &score);
    assert_eq!(item_of(unit_of(&doc, HEALTH), "G1")["score"], 10.0);
    let mut args = score.to_vec();
    args.extend(["--annual-tables", "单位"]);
    let doc = run_json(d.path(), &args);
    assert_eq!(item_of(unit_of(&doc, HEALTH), "G1")["score"], 8.0);
    let entry = &doc["annual_reports"][0];
    assert_eq!(entry["format_status"], "不规范");
    assert_eq!(
        entry["format_from_tables"],
        serde_json::json!(["表三找不到行“三、本年度办理结果 （五）不予处理 2.重复申请”（行标签须与正式格式一致）"])
    );
}
