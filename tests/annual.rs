//! `hrgk annual`: tables 三 and 四 from a ledger of requests across years, applicant
//! types and results, checked against figures computed by hand; the workbooks read
//! back; unclassified results as problems with their cell.

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::path::Path;

use crate::common::*;

/// 卫健局's request ledger (xlsx, a title line, synonym headers, dates as dates and as
/// text): four rows received in 2020, twenty-six in 2021, one in 2022.
pub fn write_health(dir: &Path) {
    #[rustfmt::skip]
    let rows: &[[&str; 15]] = &[
        // 编号, 类别, 收到, 补正告知, 补正收到, 征求开始, 征求结束, 延期, 答复, 结果, 复议, 诉讼, 方式, 复议日期, 起诉日期
        ["P1", "自然人", "2020-06-01", "", "", "", "", "", "2020-06-20", "予以公开", "维持", "", "", "2021-03-01", ""],
        ["P2", "自然人", "2020-12-28", "", "", "", "", "", "2021-01-12", "予以公开", "", "", "", "", ""],
        ["P3", "企业", "2020-12-30", "", "", "", "", "", "2021-01-20", "不掌握", "", "", "", "", ""],
        ["P4", "自然人", "2020-11-01", "", "", "", "", "", "2020-11-20", "部分公开", "", "败诉", "", "", ""],
        ["05", "自然人", "2021-01-05", "", "", "", "", "", "2021-01-20", "予以公开", "", "", "", "", ""],
        ["06", "自然人", "2021-02-01", "", "", "", "", "", "2021-02-10", "公开", "", "", "", "", ""],
        ["07", "公司", "2021-03-01", "", "", "", "", "", "2021-03-15", "部分公开", "", "", "", "", ""],
        ["08", "律师事务所", "2021-03-10", "", "", "", "", "", "2021-03-30", "国家秘密", "", "", "", "", ""],
        ["09", "科研机构", "2021-04-01", "", "", "2021-04-05", "2021-04-15", "", "2021-04-20", "4.保护第三方合法权益", "", "", "", "", ""],
        ["10", "社会公益组织", "2021-04-10", "", "", "", "", "", "2021-04-28", "属于四类过程性信息", "", "", "", "", ""],
        ["11", "自然人", "2021-05-06", "", "", "", "", "", "2021-05-20", "本机关不掌握相关政府信息", "维持", "", "", "", ""],
        ["12", "自然人", "2021-05-10", "", "", "", "", "", "2021-05-25", "不掌握", "责令改正", "驳回起诉", "", "", ""],
        ["13", "自然人", "2021-06-01", "2021-06-03", "2021-06-15", "", "", "", "2021-07-01", "补正后申请内容仍不明确", "", "", "", "", ""],
        ["14", "自然人", "2021-06-10", "2021-06-12", "", "", "", "", "2021-06-30", "逾期不补正", "", "", "", "", ""],
        ["15", "法人", "2021-07-01", "", "", "", "", "", "2021-07-10", "信访", "", "", "", "", ""],
        ["16", "自然人", "2021-07-05", "", "", "", "", "", "2021-07-12", "重复申请", "", "", "", "", ""],
        ["17", "自然人", "2021-07-20", "", "", "", "", "是", "2021-09-01", "没有现成信息需要另行制作", "", "", "", "", ""],
        ["18", "自然人", "2021-08-01", "", "", "", "", "", "2021-08-10", "5、属于三类内部事务信息", "", "", "", "", ""],
        ["19", "其他", "2021-08-05", "", "", "", "", "", "2021-08-20", "其他", "", "", "", "", ""],
        ["20", "自然人", "2021-09-01", "", "", "", "", "", "2021-09-10", "予以公开", "", "败诉", "直接起诉", "", ""],
        ["21", "自然人", "2021-09-15", "", "", "", "", "", "2021-09-20", "予以公开", "", "审理中", "", "", ""],
        ["22", "企业", "2021-10-08", "", "", "", "", "", "2021-10-20", "属于行政查询事项", "", "", "", "", ""],
        ["23", "自然人", "2021-10-10", "", "", "", "", "", "2021-10-25", "要求提供公开出版物", "", "", "", "", ""],
        ["24", "自然人", "2021-11-01", "", "", "", "", "", "2021-11-15", "危及“三安全一稳定”", "", "", "", "", ""],
        ["25", "自然人", "2021-11-20", "", "", "", "", "", "2021-12-02", "予以公开", "撤销", "", "", "2022-01-05", ""],
        ["26", "自然人", "2021-12-01", "", "", "", "", "", "2021-12-20", "其他法律行政法规禁止公开", "", "", "", "", ""],
        ["27", "自然人", "2021-12-15", "", "", "", "", "", "2022-01-10", "予以公开", "", "", "", "", ""],
        ["28", "自然人", "2021-12-29", "", "", "", "", "", "未答复", "", "", "", "", "", ""],
        ["29", "商业企业", "2021-12-20", "", "", "", "", "", "2021-12-28", "无正当理由大量反复申请", "", "", "", "", ""],
        ["30", "自然人", "2021-09-20", "", "", "", "", "", "2021-10-08", "要求行政机关确认或重新出具已获取信息", "终止", "", "", "", ""],
        ["31", "自然人", "2022-01-03", "", "", "", "", "", "", "", "", "", "", "", ""],
    ];
    let headers = [
        "申请编号",
        "申请人类别",
        "收到日期",
        "补正告知日期",
        "补正收到日期",
        "征求意见开始日期",
        "征求意见结束日期",
        "是否延期",
        "答复日期",
        "答复结果",
        "复议结果",
        "诉讼结果",
        "诉讼方式",
        "复议日期",
        "起诉日期",
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("依申请公开").unwrap();
    ws.write_string(0, 0, "填报单位：卫健局").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for (i, row) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            // Dates as real dates in every other row, as text in the rest.
            let is_date = v.len() == 10 && v.as_bytes()[4] == b'-';
            if is_date && i % 2 == 0 {
                let d = ExcelDateTime::parse_from_str(v).unwrap();
                ws.write_datetime_with_format(r, c as u16, &d, &date_fmt).unwrap();
            } else {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    wb.save(dir.join("卫健局依申请公开台账.xlsx")).unwrap();
}

/// 财政局: 2021 rows only (上年结转未知) and a bare group as a result.
pub fn write_finance(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("财政局依申请公开.csv"),
        "单位,申请编号,申请人类型,收到日期,答复日期,办理结果\n\
         财政局,F1,自然人,2021-03-01,2021-03-10,予以公开\n\
         财政局,F2,企业,2021-05-01,2021-05-20,不予处理\n\
         财政局,F3,自然人,2021-12-30,未答复,\n",
    )
    .unwrap();
}

fn unit<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["units"]
        .as_array()
        .and_then(|us| us.iter().find(|u| u["unit"] == name))
        .unwrap_or_else(|| panic!("{name} in {doc}"))
}

/// Table 三 of a unit as id → [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计].
fn t3(u: &Value) -> Vec<(String, Vec<Option<u64>>)> {
    let cols = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];
    u["table3"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let cells = cols.iter().map(|c| r["cells"][c]["value"].as_u64()).collect();
            (r["id"].as_str().unwrap().to_string(), cells)
        })
        .collect()
}

fn row<'a>(t: &'a [(String, Vec<Option<u64>>)], id: &str) -> &'a [Option<u64>] {
    &t.iter().find(|(i, _)| i == id).unwrap_or_else(|| panic!("row {id}")).1
}

fn s(v: &[u64]) -> Vec<Option<u64>> {
    v.iter().map(|x| Some(*x)).collect()
}

fn t4(u: &Value) -> Vec<Vec<u64>> {
    let cols = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
    u["table4"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| cols.iter().map(|c| b["cells"][c]["value"].as_u64().unwrap()).collect())
        .collect()
}

#[test]
fn tables_from_the_ledger_match_hand_computed_figures() {
    let d = tmp();
    let inputs = d.path().join("台账");
    write_health(&inputs);
    write_finance(&inputs);
    let doc = run_json(d.path(), &["annual", "台账", "--year", "2021", "--format", "json"]);
    let h = unit(&doc, "华容县卫生健康局");
    let t = t3(h);
    //                              自然人 商业 科研 公益 法律 其他 总计
    assert_eq!(row(&t, "new"), s(&[18, 4, 1, 1, 1, 1, 26]));
    assert_eq!(row(&t, "carried"), s(&[1, 1, 0, 0, 0, 0, 2]));
    assert_eq!(row(&t, "disclosed"), s(&[6, 0, 0, 0, 0, 0, 6]));
    assert_eq!(row(&t, "partial"), s(&[0, 1, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "withheld.secret"), s(&[0, 0, 0, 0, 1, 0, 1]));
    assert_eq!(row(&t, "withheld.law"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "withheld.security"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "withheld.third_party"), s(&[0, 0, 1, 0, 0, 0, 1]));
    assert_eq!(row(&t, "withheld.internal"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "withheld.process"), s(&[0, 0, 0, 1, 0, 0, 1]));
    assert_eq!(row(&t, "withheld.enforcement"), s(&[0, 0, 0, 0, 0, 0, 0]));
    assert_eq!(row(&t, "withheld.query"), s(&[0, 1, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "unable.not_held"), s(&[2, 1, 0, 0, 0, 0, 3]));
    assert_eq!(row(&t, "unable.to_be_made"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "unable.unclear"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "refused.petition"), s(&[0, 1, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "refused.repeated"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "refused.publication"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "refused.abusive"), s(&[0, 1, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "refused.confirm"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "other.no_correction"), s(&[1, 0, 0, 0, 0, 0, 1]));
    assert_eq!(row(&t, "other.no_fee"), s(&[0, 0, 0, 0, 0, 0, 0]));
    assert_eq!(row(&t, "other.other"), s(&[0, 0, 0, 0, 0, 1, 1]));
    assert_eq!(row(&t, "total"), s(&[17, 5, 1, 1, 1, 1, 26]));
    assert_eq!(row(&t, "pending"), s(&[2, 0, 0, 0, 0, 0, 2]));
    assert_eq!(t.len(), 25, "一, 二, the 21 results, （七）, 四");
    // 行政复议 / 未经复议直接起诉 / 复议后起诉: 维持, 纠正, 其他, 尚未审结, 总计.
    assert_eq!(t4(h), [vec![2, 1, 1, 0, 4], vec![0, 1, 0, 1, 2], vec![1, 0, 0, 0, 1]]);
    assert_eq!(h["broken"], serde_json::json!([]), "every relation holds");
    assert_eq!(h["carried_unknown"], false);
    // The rows behind a cell: 2020-12-28 answered 2021-01-12 is carried and concluded.
    let carried = &h["table3"][1]["cells"]["自然人"]["rows"];
    assert_eq!(carried.as_array().unwrap().len(), 1);
    assert_eq!(carried[0]["number"], "P2");
    assert_eq!(carried[0]["row"], 4);
    let pending: Vec<&str> = h["table3"][24]["cells"]["自然人"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    assert_eq!(pending, ["27", "28"]);

    // 财政局: no prior-year rows, a bare group.
    let f = unit(&doc, "华容县财政局");
    assert_eq!(f["carried_unknown"], true);
    let t = t3(f);
    assert_eq!(row(&t, "new"), s(&[2, 1, 0, 0, 0, 0, 3]));
    assert_eq!(row(&t, "carried"), vec![None; 7]);
    assert_eq!(row(&t, "total"), s(&[1, 1, 0, 0, 0, 0, 2]));
    assert_eq!(row(&t, "pending"), s(&[1, 0, 0, 0, 0, 0, 1]));
    let broken: Vec<(String, u64, u64)> = f["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["along"].as_str().unwrap().to_string(),
                b["left"].as_u64().unwrap(),
                b["right"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(broken, [("商业企业".to_string(), 1, 0), ("总计".to_string(), 2, 1)]);
    assert_eq!(f["broken"][0]["rows"][0]["number"], "F2");
    let problems = doc["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "result-unclassified");
    assert_eq!(problems[0]["cell"], "F3");
    assert_eq!(problems[0]["value"], "不予处理");
    assert!(problems[0]["message"].as_str().unwrap().contains("商业企业"));

    // County: the sum; 二 unknown because 财政局's is.
    let c = &doc["county"];
    let t = t3(c);
    assert_eq!(row(&t, "new"), s(&[20, 5, 1, 1, 1, 1, 29]));
    assert_eq!(row(&t, "carried"), vec![None; 7]);
    assert_eq!(t4(c)[0], vec![2, 1, 1, 0, 4]);
}

fn read(p: &Path, sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    wb.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}"))
}

fn text(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col)).map(|v| v.to_string()).unwrap_or_default()
}

#[test]
fn workbooks_per_unit_and_county_in_the_official_layout() {
    let d = tmp();
    let inputs = d.path().join("台账");
    write_health(&inputs);
    write_finance(&inputs);
    let (code, out, err) = run(d.path(), &["annual", "台账", "--year", "2021", "--out-dir", "年报表"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("统计表：3 份"), "{out}");
    let book = d
        .path()
        .join("年报表/2021年政府信息公开工作年度报告统计表-华容县卫生健康局.xlsx");
    let t = read(&book, "表三 依申请公开");
    assert_eq!(
        text(&t, 2, 0),
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    );
    assert_eq!(text(&t, 2, 3), "申请人情况");
    assert_eq!(text(&t, 3, 4), "法人或其他组织");
    assert_eq!(text(&t, 4, 4), "商业企业");
    assert_eq!(text(&t, 5, 0), "一、本年新收政府信息公开申请数量");
    assert_eq!(text(&t, 7, 0), "三、本年度办理结果");
    assert_eq!(text(&t, 9, 1), "（三）不予公开");
    assert_eq!(text(&t, 9, 2), "1.属于国家秘密");
    assert_eq!(text(&t, 29, 0), "四、结转下年度继续办理");
    assert_eq!(t.get_value((5, 3)), Some(&Data::Float(18.0)));
    assert_eq!(t.get_value((5, 9)), Some(&Data::Float(26.0)));
    assert_eq!(text(&t, 28, 1), "（七）总计");
    assert_eq!(t.get_value((28, 9)), Some(&Data::Float(26.0)));
    let t4 = read(&book, "表四 复议诉讼");
    assert_eq!(text(&t4, 2, 0), "行政复议");
    assert_eq!(text(&t4, 2, 5), "行政诉讼");
    assert_eq!(text(&t4, 3, 10), "复议后起诉");
    assert_eq!(t4.get_value((5, 4)), Some(&Data::Float(4.0)));
    let src = read(&book, "数据来源");
    let rows_for_carried = src
        .rows()
        .filter(|r| {
            r.first().map(|c| c.to_string()) == Some("表三".into())
                && r[1].to_string().starts_with("二、")
                && r[2] == "自然人"
        })
        .count();
    assert_eq!(rows_for_carried, 1);
    let county = d
        .path()
        .join("年报表/2021年政府信息公开工作年度报告统计表-全县汇总.xlsx");
    let t = read(&county, "表三 依申请公开");
    assert_eq!(t.get_value((5, 9)), Some(&Data::Float(29.0)));
    let fin = d
        .path()
        .join("年报表/2021年政府信息公开工作年度报告统计表-华容县财政局.xlsx");
    let p = read(&fin, "数据问题");
    assert!(p.rows().any(|r| r.iter().any(|c| *c == "result-unclassified")));
    let t2 = read(&fin, "表二 主动公开");
    assert_eq!(text(&t2, 1, 0), "二、主动公开政府信息情况");
}

/// The 年报主动公开数据 sheet (xlsx, a title line, synonym headers, numbers as numbers
/// and as text): 卫健局 (whose 上年结转 the ledger settles), 财政局 (上年结转 by
/// applicant), 教育局 (no requests; a count in words, a negative count, 上年结转 as a
/// total only), a second 卫健局 row, and a unit not on the list.
fn write_data_sheet(dir: &Path) {
    let headers = [
        "单位名称",
        "规章本年制发件数",
        "规章-本年废止件数",
        "规章-现行有效件数",
        "规范性文件本年制发件数",
        "行政规范性文件-本年废止件数",
        "行政规范性文件-现行有效件数",
        "行政许可决定数量",
        "行政处罚-本年处理决定数量",
        "行政强制-本年处理决定数量",
        "行政事业性收费-本年收费金额（万元）",
        "上年结转-自然人",
        "上年结转-商业企业",
        "上年结转-总计",
    ];
    #[rustfmt::skip]
    let rows: &[[&str; 14]] = &[
        ["卫健局", "0", "0", "1", "3", "1", "12", "256", "38", "2", "12.5", "5", "", ""],
        ["财政局", "0", "0", "0", "2", "0", "8", "10", "0", "0", "3.2万元", "1", "1", ""],
        ["教育体育局", "1", "-1", "两件", "4", "0", "9", "0", "5", "1", "0", "", "", "3"],
        ["卫健局", "9", "9", "9", "9", "9", "9", "9", "9", "9", "9", "9", "9", "9"],
        ["县老年协会", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "", ""],
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("年报主动公开数据").unwrap();
    ws.write_string(0, 0, "2021年度政府信息公开工作年度报告 主动公开数据")
        .unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (2 + i as u32, c as u16);
            match v.parse::<f64>() {
                // Numbers as numbers in every other row, as text in the rest.
                Ok(n) if i % 2 == 0 => ws.write_number(r, c, n).map(|_| ()).unwrap(),
                _ if !v.is_empty() => ws.write_string(r, c, *v).map(|_| ()).unwrap(),
                _ => {}
            }
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    wb.save(dir.join("年报数据.xlsx")).unwrap();
}

fn write_unit_list(path: &Path) {
    std::fs::write(
        path,
        "单位名称,类别,别名\n华容县卫生健康局,县直部门,卫健局\n华容县财政局,县直部门,财政局\n华容县教育体育局,县直部门,教育体育局\n",
    )
    .unwrap();
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Table 二 of a unit in the JSON: one Vec per row (规章, 行政规范性文件, 行政许可,
/// 行政处罚, 行政强制, 行政事业性收费), the data columns in order.
fn t2(u: &Value) -> Vec<Vec<Option<f64>>> {
    u["table2"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let cols: &[&str] = match r["id"].as_str().unwrap() {
                "rules" | "norms" => &["本年制发件数", "本年废止件数", "现行有效件数"],
                "fees" => &["本年收费金额（万元）"],
                _ => &["本年处理决定数量"],
            };
            cols.iter().map(|c| num(&r["cells"][c])).collect()
        })
        .collect()
}

fn f(v: &[f64]) -> Vec<Option<f64>> {
    v.iter().map(|x| Some(*x)).collect()
}

#[test]
fn table_two_and_carried_from_the_data_sheet() {
    let d = tmp();
    let inputs = d.path().join("台账");
    write_health(&inputs);
    write_finance(&inputs);
    write_data_sheet(&inputs);
    write_unit_list(&d.path().join("单位名单.csv"));
    let args = ["annual", "台账", "--year", "2021", "--units", "单位名单.csv"];
    let doc = run_json(d.path(), &[&args[..], &["--format", "json"]].concat());

    let h = unit(&doc, "华容县卫生健康局");
    assert_eq!(h["table2"]["source"], "sheet");
    assert_eq!(h["table2"]["from"][0]["row"], 3);
    assert_eq!(
        t2(h),
        [
            f(&[0.0, 0.0, 1.0]),
            f(&[3.0, 1.0, 12.0]),
            f(&[256.0]),
            f(&[38.0]),
            f(&[2.0]),
            f(&[12.5])
        ]
    );
    // Prior-year rows in the inputs come first: the sheet's 5 is not used.
    assert_eq!(h["carried_source"], "ledger");
    assert_eq!(h["carried_from"], Value::Null);
    assert_eq!(row(&t3(h), "carried"), s(&[1, 1, 0, 0, 0, 0, 2]));

    let fin = unit(&doc, "华容县财政局");
    assert_eq!(
        t2(fin),
        [
            f(&[0.0, 0.0, 0.0]),
            f(&[2.0, 0.0, 8.0]),
            f(&[10.0]),
            f(&[0.0]),
            f(&[0.0]),
            f(&[3.2])
        ]
    );
    assert_eq!(fin["carried_source"], "sheet");
    assert_eq!(fin["carried_unknown"], false);
    assert_eq!(fin["carried_total_only"], false);
    assert_eq!(fin["carried_from"]["sheet"], "年报主动公开数据");
    assert_eq!(fin["carried_from"]["row"], 4);
    // 上年结转 by applicant, the blank ones 0.
    assert_eq!(row(&t3(fin), "carried"), s(&[1, 1, 0, 0, 0, 0, 2]));
    // The relations are judged on the sheet's figures: 一 + 二 = 三（七） + 四 breaks
    // where this 二 is more than the ledger can account for (自然人 2 + 1 ≠ 1 + 1,
    // 商业企业 1 + 1 ≠ 1 + 0, 总计 3 + 2 ≠ 2 + 1), beside the bare group of F2.
    let broken: Vec<(&str, u64, u64)> = fin["broken"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["relation"].as_str().unwrap().starts_with("第一项"))
        .map(|b| {
            (
                b["along"].as_str().unwrap(),
                b["left"].as_u64().unwrap(),
                b["right"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(broken, [("自然人", 3, 2), ("商业企业", 2, 1), ("总计", 5, 3)]);

    // 教育局: no requests, a table of zeros; 上年结转 a total only.
    let edu = unit(&doc, "华容县教育体育局");
    assert_eq!(
        t2(edu),
        [
            vec![Some(1.0), None, None],
            f(&[4.0, 0.0, 9.0]),
            f(&[0.0]),
            f(&[5.0]),
            f(&[1.0]),
            f(&[0.0])
        ]
    );
    assert_eq!(edu["carried_source"], "sheet");
    assert_eq!(edu["carried_total_only"], true);
    let t = t3(edu);
    assert_eq!(row(&t, "carried"), [None, None, None, None, None, None, Some(3)]);
    assert_eq!(row(&t, "new"), s(&[0, 0, 0, 0, 0, 0, 0]));

    // County: table 二 summed over the three units; 二 summed where known.
    let c = &doc["county"];
    assert_eq!(
        t2(c),
        [
            f(&[1.0, 0.0, 1.0]),
            f(&[9.0, 1.0, 29.0]),
            f(&[266.0]),
            f(&[43.0]),
            f(&[3.0]),
            f(&[15.7])
        ]
    );
    assert_eq!(c["table2"]["missing_units"], serde_json::json!([]));
    assert_eq!(c["carried_source"], "mixed");
    assert_eq!(row(&t3(c), "carried"), [None, None, None, None, None, None, Some(7)]);

    // Bad cells are problems with their cell; the bad figures are not used.
    let problems: Vec<(String, String, String)> = doc["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["sheet"] == "年报主动公开数据")
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["cell"].as_str().unwrap().to_string(),
                p["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("number-negative", "C5", "-1"),
        ("number-unreadable", "D5", "两件"),
        ("duplicate", "A6", "卫健局"),
        ("unit-not-on-list", "A7", "县老年协会"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(problems, want, "{}", doc["problems"]);

    // The workbooks: table 二 read back cell by cell, the notes say where 二 comes from.
    let (code, _, err) = run(d.path(), &[&args[..], &["--out-dir", "年报表"]].concat());
    assert_eq!(code, 0, "{err}");
    let book = |u: &str| {
        d.path()
            .join(format!("年报表/2021年政府信息公开工作年度报告统计表-{u}.xlsx"))
    };
    let t = read(&book("华容县卫生健康局"), "表二 主动公开");
    assert_eq!(text(&t, 2, 1), "本年制发件数");
    assert_eq!(text(&t, 3, 0), "规章");
    assert_eq!(t.get_value((3, 3)), Some(&Data::Float(1.0)));
    assert_eq!(text(&t, 4, 0), "行政规范性文件");
    assert_eq!(t.get_value((4, 1)), Some(&Data::Float(3.0)));
    assert_eq!(t.get_value((4, 3)), Some(&Data::Float(12.0)));
    assert_eq!(text(&t, 5, 1), "本年处理决定数量");
    assert_eq!(t.get_value((6, 1)), Some(&Data::Float(256.0)));
    assert_eq!(t.get_value((7, 1)), Some(&Data::Float(38.0)));
    assert_eq!(t.get_value((8, 1)), Some(&Data::Float(2.0)));
    assert_eq!(text(&t, 10, 0), "行政事业性收费");
    assert_eq!(t.get_value((10, 1)), Some(&Data::Float(12.5)));
    assert!(
        text(&t, 12, 0).contains("年报数据.xlsx / 年报主动公开数据 第 3 行"),
        "{}",
        text(&t, 12, 0)
    );
    let t = read(&book("华容县教育体育局"), "表二 主动公开");
    assert_eq!(t.get_value((3, 1)), Some(&Data::Float(1.0)));
    assert!(
        matches!(t.get_value((3, 2)), None | Some(Data::Empty)),
        "unread -1 stays empty"
    );
    let t = read(&book("全县汇总"), "表二 主动公开");
    assert_eq!(t.get_value((4, 3)), Some(&Data::Float(29.0)));
    assert_eq!(t.get_value((10, 1)), Some(&Data::Float(15.7)));
    assert!(text(&t, 12, 0).contains("3 个单位"), "{}", text(&t, 12, 0));

    let t = read(&book("华容县财政局"), "表三 依申请公开");
    assert_eq!(text(&t, 6, 0), "二、上年结转政府信息公开申请数量");
    assert_eq!(t.get_value((6, 3)), Some(&Data::Float(1.0)));
    assert_eq!(t.get_value((6, 4)), Some(&Data::Float(1.0)));
    assert_eq!(t.get_value((6, 9)), Some(&Data::Float(2.0)));
    let notes: Vec<String> = (31..40).map(|r| text(&t, r, 0)).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("来源") && n.contains("年报数据.xlsx / 年报主动公开数据 第 4 行")),
        "{notes:?}"
    );
    let t = read(&book("华容县教育体育局"), "表三 依申请公开");
    assert!(matches!(t.get_value((6, 3)), None | Some(Data::Empty)));
    assert_eq!(t.get_value((6, 9)), Some(&Data::Float(3.0)));
    let notes: Vec<String> = (31..40).map(|r| text(&t, r, 0)).collect();
    assert!(notes.iter().any(|n| n.contains("只填了上年结转总数")), "{notes:?}");
    let t = read(&book("华容县卫生健康局"), "表三 依申请公开");
    let notes: Vec<String> = (31..40).map(|r| text(&t, r, 0)).collect();
    assert!(
        notes.iter().any(|n| n.contains("上年结转 5") && n.contains("未采用")),
        "{notes:?}"
    );
    // 全县汇总's 数据来源 lists the rows 二 came from: 财政局's and 教育局's.
    let src = read(&book("全县汇总"), "数据来源");
    let carried: Vec<f64> = src
        .rows()
        .filter(|r| r[0] == "表三" && r[1].to_string().starts_with("二、") && r[5] == "年报主动公开数据")
        .filter_map(|r| match r[6] {
            Data::Float(x) => Some(x),
            _ => None,
        })
        .collect();
    assert_eq!(carried, [4.0, 5.0]);
    let src = read(&book("华容县财政局"), "数据来源");
    assert!(src
        .rows()
        .any(|r| r[0] == "表三" && r[1].to_string().starts_with("二、") && r[6] == Data::Float(4.0)));
}

#[test]
fn table_two_absent_is_empty_with_a_note() {
    let d = tmp();
    let inputs = d.path().join("台账");
    write_finance(&inputs);
    let doc = run_json(d.path(), &["annual", "台账", "--year", "2021", "--format", "json"]);
    let fin = unit(&doc, "华容县财政局");
    assert_eq!(fin["table2"]["source"], "absent");
    assert_eq!(
        t2(fin),
        [
            vec![None; 3],
            vec![None; 3],
            vec![None],
            vec![None],
            vec![None],
            vec![None]
        ]
    );
    assert_eq!(fin["carried_source"], "unknown");
    assert_eq!(
        doc["county"]["table2"]["missing_units"],
        serde_json::json!(["华容县财政局"])
    );
    let (code, _, err) = run(d.path(), &["annual", "台账", "--year", "2021", "--out-dir", "年报表"]);
    assert_eq!(code, 0, "{err}");
    let book = d
        .path()
        .join("年报表/2021年政府信息公开工作年度报告统计表-华容县财政局.xlsx");
    let t = read(&book, "表二 主动公开");
    for r in [3, 4] {
        for c in 1..4 {
            assert!(matches!(t.get_value((r, c)), None | Some(Data::Empty)), "({r},{c})");
        }
    }
    assert!(matches!(t.get_value((10, 1)), None | Some(Data::Empty)));
    let note = text(&t, 12, 0);
    assert!(
        note.contains("取自“年报主动公开数据”工作表") && note.contains("本表未填"),
        "{note}"
    );
    let t = read(&book, "表三 依申请公开");
    let notes: Vec<String> = (31..40).map(|r| text(&t, r, 0)).collect();
    assert!(notes.iter().any(|n| n.starts_with("上年结转未知")), "{notes:?}");
}
