//! `hrgk template`: the standard ledger workbook read back (sheets, canonical headers,
//! pre-filled 单位名单, dropdowns and date checks in the sheet XML), and the round trip
//! the issue asks for: a copy filled with valid values scores with no data problems.

use calamine::{open_workbook, Data, Reader, SheetVisible, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::common::*;
use hrgk::rules::{LedgerKind, Rules};

const UNITS_CSV: &str =
    "单位名称,类别,别名\n华容县财政局,县直部门,财政局、县财政局\n章华镇,,章华\n华容县卫生健康局,县直部门,卫健局\n";

/// Writes the county list and the template (2021, with --units) into `dir`.
fn make_template(dir: &Path) -> std::path::PathBuf {
    std::fs::write(dir.join("单位.csv"), UNITS_CSV).unwrap();
    let (code, out, err) = run(
        dir,
        &["template", "--year", "2021", "--units", "单位.csv", "-o", "模板.xlsx"],
    );
    assert_eq!(code, 0, "stdout: {out}\nstderr: {err}");
    assert!(out.contains("模板.xlsx"), "{out}");
    dir.join("模板.xlsx")
}

fn text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every row of a sheet as text.
fn sheet_rows(wb: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = wb.worksheet_range(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    range.rows().map(|r| r.iter().map(text).collect()).collect()
}

fn ledger_names(rules: &Rules) -> Vec<String> {
    rules
        .ledgers
        .ledgers
        .iter()
        .filter(|l| l.kind != LedgerKind::UnitList)
        .map(|l| l.name.clone())
        .collect()
}

#[test]
fn template_has_every_ledger_with_canonical_headers_and_the_unit_list() {
    let rules = Rules::embedded().unwrap();
    let dir = tmp();
    let path = make_template(dir.path());
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let mut expected = vec!["填写说明".to_string()];
    expected.extend(ledger_names(&rules));
    expected.push("单位名单".into());
    expected.push("下拉选项".into());
    assert_eq!(wb.sheet_names(), expected);
    let meta = wb.sheets_metadata().to_vec();
    for m in &meta {
        let hidden = m.name == "下拉选项";
        assert_eq!(m.visible == SheetVisible::Hidden, hidden, "{}", m.name);
    }
    for def in &rules.ledgers.ledgers {
        let rows = sheet_rows(&mut wb, &def.name);
        let headers: Vec<&str> = def.fields.iter().map(|f| f.header.as_str()).collect();
        assert_eq!(rows[0], headers, "{}", def.name);
        if def.kind != LedgerKind::UnitList {
            assert_eq!(rows.len(), 1, "{} has only its header", def.name);
        }
    }
    // 单位名单 pre-filled as the score reads the list: 类别 filled in from the name.
    let units = sheet_rows(&mut wb, "单位名单");
    assert_eq!(
        units[1..].to_vec(),
        vec![
            vec!["华容县财政局", "县直部门", "财政局、县财政局"],
            vec!["章华镇", "乡镇", "章华"],
            vec!["华容县卫生健康局", "县直部门", "卫健局"],
        ]
    );
    // The 栏目 list is the checklist.
    let lists = sheet_rows(&mut wb, "下拉选项");
    let items: Vec<&str> = rules.checklist.items.iter().map(|i| i.name.as_str()).collect();
    let col_a: Vec<&str> = lists[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(lists[0][0], "栏目");
    assert_eq!(col_a, items);
    // 填写说明: the numbers come from the rules, every ledger is explained.
    let guide = sheet_rows(&mut wb, "填写说明").concat().join("\n");
    let p = &rules.rubric.params;
    for needle in [
        format!("{} 个工作日内公开", p.publish_workdays),
        format!("不少于 {} 条", p.monthly_minimum),
        format!("{} 个工作日内答复", p.request_workdays),
        format!("不超过 {} 个工作日", p.request_extended_workdays),
        format!("默认自收到之日起 {} 个工作日", p.inquiry_workdays),
        "2021-03-05 形成的，最迟 2021-04-02 公开".to_string(),
        "2021/3/5".to_string(),
        "C3 主动公开时效与数量".to_string(),
        "已预先填入 3 个单位".to_string(),
    ] {
        assert!(guide.contains(&needle), "{needle} in\n{guide}");
    }
    for def in &rules.ledgers.ledgers {
        assert!(guide.contains(&format!("【{}】", def.name)), "{}", def.name);
    }
}

/// The XML of a sheet, found through the workbook's relationships.
fn sheet_xml(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |entry: &str| {
        let mut s = String::new();
        zip.by_name(entry).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let sheet = workbook
        .split("<sheet ")
        .find(|s| s.contains(&format!("name=\"{name}\"")))
        .unwrap_or_else(|| panic!("{name} in {workbook}"));
    let rid = sheet.split("r:id=\"").nth(1).unwrap().split('"').next().unwrap();
    let rel = rels
        .split("<Relationship ")
        .find(|r| r.contains(&format!("Id=\"{rid}\"")))
        .unwrap();
    let target = rel.split("Target=\"").nth(1).unwrap().split('"').next().unwrap();
    read(&format!("xl/{}", target.trim_start_matches("/xl/")))
}

/// The `<dataValidation …>…</dataValidation>` elements of a sheet.
fn validations(xml: &str) -> Vec<String> {
    xml.split("<dataValidation ")
        .skip(1)
        .map(|s| s.split("</dataValidation>").next().unwrap().to_string())
        .collect()
}

#[test]
fn template_has_dropdowns_and_date_checks() {
    let dir = tmp();
    let path = make_template(dir.path());
    let xml = sheet_xml(&path, "主动公开台账");
    let v = validations(&xml);
    let with = |needle: &str| -> &String {
        v.iter()
            .find(|x| x.contains(needle))
            .unwrap_or_else(|| panic!("no validation with {needle}: {v:#?}"))
    };
    // 单位 (A) from 单位名单, 栏目 (C) from the hidden list of 25 checklist items.
    let unit = with("单位名单!$A$2:$A$1000");
    assert!(
        unit.contains("type=\"list\"") && unit.contains("sqref=\"A2:A501\""),
        "{unit}"
    );
    let cat = with("下拉选项!$A$2:$A$26");
    assert!(cat.contains("sqref=\"C2:C501\""), "{cat}");
    // Closed vocabularies.
    assert!(with("\"主动公开,依申请公开,不予公开\"").contains("type=\"list\""));
    assert!(with("\"是,否\"").contains("sqref=\"K2:K501\""));
    // 形成日期 (D): a date in 2020–2022; 公开日期 (E): such a date or 未公开.
    let formed = with("sqref=\"D2:D501\"");
    assert!(
        formed.contains("type=\"date\"") && formed.contains("日期有误"),
        "{formed}"
    );
    let published = with("sqref=\"E2:E501\"");
    assert!(
        published.contains("type=\"custom\"")
            && published.contains("E2=\"未公开\"")
            && published.contains("DATE(2022,12,31)"),
        "{published}"
    );
    // 年报主动公开数据: counts whole and not negative (B … J, L … R), the amount (K)
    // with decimals.
    let data = validations(&sheet_xml(&path, "年报主动公开数据"));
    let at = |col: &str| -> &String {
        data.iter()
            .find(|x| x.contains(&format!("sqref=\"{col}2:{col}501\"")))
            .unwrap_or_else(|| panic!("no validation on {col}: {data:#?}"))
    };
    for col in ["B", "J", "L", "R"] {
        let v = at(col);
        assert!(
            v.contains("type=\"whole\"") && v.contains("greaterThanOrEqual") && v.contains("<formula1>0</formula1>"),
            "{v}"
        );
    }
    let fees = at("K");
    assert!(fees.contains("type=\"decimal\"") && fees.contains("万元"), "{fees}");
    // Date columns are formatted as dates, text columns as text; the header is frozen
    // and every header cell has a note.
    assert!(
        xml.contains("<pane ") && xml.contains("state=\"frozen\""),
        "frozen header"
    );
    let rules = Rules::embedded().unwrap();
    let def = rules.ledgers.get(LedgerKind::Publication).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.unwrap().to_string())
        .filter(|n| n.starts_with("xl/comments"))
        .collect();
    let comments: Vec<String> = names
        .iter()
        .map(|n| {
            let mut s = String::new();
            zip.by_name(n).unwrap().read_to_string(&mut s).unwrap();
            s
        })
        .collect();
    let all = comments.join("");
    for f in &def.fields {
        assert!(all.contains(&f.comment), "{}", f.header);
    }
    assert!(all.contains("必填。信息形成或变更之日"));
    // 签到情况, 申请人类型, 申请方式, 办理结果, 级别 are dropdowns on their sheets.
    for (sheet, needle) in [
        ("会议培训签到", "\"出席,迟到,缺席,请假\""),
        (
            "依申请公开台账",
            "\"自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他\"",
        ),
        ("依申请公开台账", "\"当面,邮寄,网络,传真,其他\""),
        // 办理结果: the 6 groups and the 21 results of the annual report, too long for an
        // inline list, so a range on the lists sheet (after 栏目).
        ("依申请公开台账", "下拉选项!$B$2:$B$26"),
        ("检查记录", "\"国家,省,市,县,县级以上,县级\""),
        ("单位名单", "\"乡镇,县直部门\""),
        ("政务新媒体发布", "政务新媒体账号!$A$2:$A$501"),
        ("复核调整", "\"撤销扣分,撤销加分,补扣,补加,改分\""),
        ("复核调整", "单位名单!$A$2:$A$1000"),
    ] {
        let x = sheet_xml(&path, sheet);
        assert!(validations(&x).iter().any(|v| v.contains(needle)), "{sheet}: {needle}");
    }
}

#[test]
fn unfilled_template_reads_back_as_its_ledgers() {
    let dir = tmp();
    let path = make_template(dir.path());
    // Issue 8: a template with no rows holds no ledger; `check` says so and exits 1,
    // `score` gives no result (exit 2). Its sheets are still recognised.
    let (code, out, err) = run(dir.path(), &["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let problems: Vec<&Value> = doc["files"][0]["problems"].as_array().unwrap().iter().collect();
    assert!(problems.is_empty(), "{problems:?}");
    for s in doc["files"][0]["sheets"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let recognised = !s["ledger"].is_null();
        assert_eq!(recognised, name != "填写说明" && name != "下拉选项", "{s}");
    }
    let (code, out, _) = run(dir.path(), &["check", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("模板未填写") && !out.contains("未识别"), "{out}");
    let (code, _, err) = run(dir.path(), &["score", path.to_str().unwrap(), "--year", "2021"]);
    assert_eq!(code, 2);
    assert!(err.contains("模板未填写"), "{err}");
}

/// A cell of the filled copy.
enum V {
    T(&'static str),
    D(u16, u8, u8),
    N(f64),
}

/// One row: (header, value) pairs.
type FilledRow = Vec<(&'static str, V)>;

/// Valid rows per ledger sheet, by header.
fn filled_rows() -> Vec<(&'static str, Vec<FilledRow>)> {
    use V::*;
    vec![
        (
            "主动公开台账",
            vec![
                vec![
                    ("单位", T("华容县财政局")),
                    ("信息名称", T("华容县2021年县级部门预算公开说明")),
                    ("栏目", T("财政资金直达、财政预决算")),
                    ("形成日期", D(2021, 3, 5)),
                    ("公开日期", D(2021, 3, 12)),
                    ("公开方式", T("政府网站、公开栏")),
                    ("公开属性", T("主动公开")),
                    ("文号", T("华财发〔2021〕5号")),
                    ("索引号", T("430623-01-2021-0012")),
                    ("是否需解读", T("是")),
                    ("解读发布日期", D(2021, 3, 12)),
                ],
                vec![
                    ("单位", T("章华镇")),
                    ("信息名称", T("章华镇2021年乡村振兴项目公示")),
                    ("栏目", T("乡村振兴")),
                    ("形成日期", D(2021, 6, 1)),
                    ("公开日期", D(2021, 6, 3)),
                    ("公开方式", T("政府网站")),
                    ("公开属性", T("主动公开")),
                    ("是否需解读", T("否")),
                ],
                vec![
                    ("单位", T("华容县卫生健康局")),
                    ("信息名称", T("关于某医疗机构的处理决定")),
                    ("栏目", T("医疗、公共卫生")),
                    ("形成日期", D(2021, 12, 20)),
                    ("公开日期", T("未公开")),
                    ("公开属性", T("依申请公开")),
                    ("不予公开理由", T("涉及个人隐私")),
                ],
            ],
        ),
        (
            "会议培训签到",
            vec![
                vec![
                    ("会议名称", T("全县政务公开工作培训会")),
                    ("日期", D(2021, 6, 18)),
                    ("单位", T("章华镇")),
                    ("签到情况", T("出席")),
                ],
                vec![
                    ("会议名称", T("全县政务公开工作培训会")),
                    ("日期", D(2021, 6, 18)),
                    ("单位", T("华容县财政局")),
                    ("签到情况", T("请假")),
                ],
            ],
        ),
        (
            "依申请公开台账",
            vec![vec![
                ("申请编号", T("2021-1")),
                ("单位", T("华容县财政局")),
                ("申请人类型", T("自然人")),
                ("申请方式", T("网络")),
                ("收到日期", D(2021, 4, 6)),
                ("是否延期", T("否")),
                ("答复日期", D(2021, 4, 23)),
                ("办理结果", T("予以公开")),
            ]],
        ),
        (
            "网上问政台账",
            vec![vec![
                ("编号", T("WZ2021-0315")),
                ("单位", T("章华镇")),
                ("收到日期", D(2021, 5, 10)),
                ("回复期限", T("5个工作日")),
                ("回复日期", D(2021, 5, 13)),
                ("是否上访", T("否")),
            ]],
        ),
        (
            "政务新媒体账号",
            vec![vec![
                ("账号名称", T("华容财政")),
                ("单位", T("华容县财政局")),
                ("平台", T("微信公众号")),
                ("开设日期", D(2019, 8, 1)),
            ]],
        ),
        (
            "政务新媒体发布",
            vec![
                vec![
                    ("账号名称", T("华容财政")),
                    ("发布日期", D(2021, 3, 5)),
                    ("标题", T("2021年预算公开")),
                ],
                vec![
                    ("账号名称", T("华容财政")),
                    ("发布日期", D(2021, 3, 25)),
                    ("标题", T("一季度财政收支情况")),
                ],
            ],
        ),
        (
            "年报与指南",
            vec![vec![
                ("单位", T("华容县财政局")),
                ("年报上报日期", D(2021, 1, 28)),
                ("年报发布日期", D(2021, 2, 5)),
                ("格式是否规范", T("是")),
                ("指南更新日期", D(2021, 3, 1)),
            ]],
        ),
        (
            "年报主动公开数据",
            vec![vec![
                ("单位", T("华容县财政局")),
                ("行政规范性文件-本年制发件数", N(3.0)),
                ("行政规范性文件-现行有效件数", N(12.0)),
                ("行政许可-本年处理决定数量", N(0.0)),
                ("行政事业性收费-本年收费金额（万元）", N(12.5)),
                ("上年结转-自然人", N(1.0)),
            ]],
        ),
        (
            "意见征集",
            vec![vec![
                ("单位", T("华容县卫生健康局")),
                ("主题", T("基层医疗服务满意度网上调查")),
                ("征集开始日期", D(2021, 7, 1)),
                ("结果发布日期", D(2021, 7, 20)),
            ]],
        ),
        (
            "检查记录",
            vec![vec![
                ("单位", T("章华镇")),
                ("考核项目", T("未设立专区")),
                ("次数", N(1.0)),
                ("说明", T("便民服务中心未设置政务公开专区")),
                ("日期", D(2021, 9, 15)),
            ]],
        ),
        (
            "监测时间点",
            vec![vec![("日期", D(2021, 3, 31))], vec![("日期", D(2021, 6, 30))]],
        ),
        (
            "复核调整",
            vec![vec![
                ("单位", T("章华镇")),
                ("调整方式", T("撤销扣分")),
                ("考核项目或标准", T("未设立专区")),
                ("出处文件", T("已填台账.xlsx")),
                ("出处工作表", T("检查记录")),
                ("出处行", N(2.0)),
                ("理由", T("专区已于检查前设立，有照片为证")),
                ("决定日期", D(2021, 12, 20)),
                ("经办人", T("王五")),
            ]],
        ),
    ]
}

#[test]
fn filled_template_scores_without_data_problems() {
    let rules = Rules::embedded().unwrap();
    let dir = tmp();
    let path = make_template(dir.path());
    let mut tpl: Xlsx<_> = open_workbook(&path).unwrap();
    // A copy filled in as a unit would: the template's own headers, real date cells,
    // units and 栏目 from the template's lists, 单位名单 as pre-filled.
    let units: Vec<Vec<String>> = sheet_rows(&mut tpl, "单位名单");
    let unit_names: Vec<&str> = units[1..].iter().map(|r| r[0].as_str()).collect();
    let categories: Vec<String> = sheet_rows(&mut tpl, "下拉选项")[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let filled = filled_rows();
    let mut expected_rows: HashMap<String, usize> = HashMap::new();
    assert_eq!(
        filled.iter().map(|(s, _)| s.to_string()).collect::<Vec<_>>(),
        ledger_names(&rules),
        "a few rows for every ledger"
    );
    for (sheet, rows) in &filled {
        let headers = sheet_rows(&mut tpl, sheet).remove(0);
        let ws = wb.add_worksheet();
        ws.set_name(*sheet).unwrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (h, v) in row {
                let c = headers
                    .iter()
                    .position(|x| x == h)
                    .unwrap_or_else(|| panic!("{sheet} has no column {h}: {headers:?}")) as u16;
                if *h == "单位" {
                    assert!(
                        matches!(v, V::T(u) if unit_names.contains(u)),
                        "{sheet}: unit from the list"
                    );
                }
                if *h == "栏目" {
                    assert!(
                        matches!(v, V::T(x) if categories.iter().any(|c| c == x)),
                        "{sheet}: 栏目 from the list"
                    );
                }
                let rr = r as u32 + 1;
                match v {
                    V::T(s) => ws.write_string(rr, c, *s).unwrap(),
                    V::N(x) => ws.write_number(rr, c, *x).unwrap(),
                    V::D(y, m, d) => ws
                        .write_datetime_with_format(rr, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
                        .unwrap(),
                };
            }
        }
        expected_rows.insert(sheet.to_string(), rows.len());
    }
    let ws = wb.add_worksheet();
    ws.set_name("单位名单").unwrap();
    for (r, row) in units.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    let filled_path = dir.path().join("已填台账.xlsx");
    wb.save(&filled_path).unwrap();

    let doc = run_json(
        dir.path(),
        &[
            "score",
            "已填台账.xlsx",
            "--year",
            "2021",
            "--as-of",
            "2021-12-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(doc["problems"], Value::Array(vec![]), "{:#}", doc["problems"]);
    let sheets = doc["files"][0]["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), filled.len() + 1);
    for s in sheets {
        assert!(!s["ledger"].is_null(), "not recognised: {s}");
        let name = s["name"].as_str().unwrap();
        assert_eq!(s["ledger_name"], name, "{s}");
        if let Some(n) = expected_rows.get(name) {
            assert_eq!(s["rows"], *n, "{s}");
        }
    }
    // The listed units are the ones assessed.
    let mut scored: Vec<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    scored.sort();
    let mut listed = unit_names.clone();
    listed.sort();
    assert_eq!(scored, listed);
    // The 复核调整 row withdraws the 检查记录 line it points at.
    assert_eq!(doc["review"][0]["applied"], true, "{:#}", doc["review"]);
    let town = unit_of(&doc, "章华镇");
    assert_eq!(
        town["total"].as_f64().unwrap() - town["total_before_review"].as_f64().unwrap(),
        doc["review"][0]["total_after"].as_f64().unwrap() - doc["review"][0]["total_before"].as_f64().unwrap()
    );
    assert!(town["total"].as_f64() > town["total_before_review"].as_f64(), "{town}");
}

#[test]
fn default_name_force_and_bad_unit_lists() {
    let dir = tmp();
    let (code, out, err) = run(dir.path(), &["template", "--year", "2021"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("政务公开台账模板-2021.xlsx"), "{out}");
    assert!(dir.path().join("政务公开台账模板-2021.xlsx").is_file());
    let (code, _, err) = run(dir.path(), &["template", "--year", "2021"]);
    assert_eq!(code, 2);
    assert!(err.contains("已存在") && err.contains("--force"), "{err}");
    let (code, _, err) = run(dir.path(), &["template", "--year", "2021", "--force"]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.path().join("名单.csv"), "名称,备注\n章华镇,\n").unwrap();
    let (code, _, err) = run(dir.path(), &["template", "--units", "名单.csv", "-o", "x.xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("单位名称"), "{err}");
    assert!(!dir.path().join("x.xlsx").exists());
    let (code, out, _) = run(dir.path(), &["template", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--units") && out.contains("选项"), "{out}");
}

#[test]
fn a_blank_template_among_the_inputs_feeds_nothing() {
    let d = tmp();
    let input = d.path().join("台账");
    std::fs::create_dir(&input).unwrap();
    let (code, _, err) = run(
        d.path(),
        &["template", "-o", "台账/政务公开台账模板-2021.xlsx", "--year", "2021"],
    );
    assert_eq!(code, 0, "{err}");
    std::fs::write(
        input.join("章华镇.csv"),
        "信息名称,形成日期,公开日期\n通知,2021-03-01,2021-03-02\n",
    )
    .unwrap();
    let doc = run_json(
        d.path(),
        &["score", "台账", "--as-of", "2021-12-31", "--format", "json"],
    );
    let g1 = item_of(unit_of(&doc, "章华镇"), "G1");
    assert_eq!(
        g1["score"], 10,
        "an empty 年报与指南 sheet in a blank template is no ledger"
    );
    assert_eq!(g1["fed"], false);
}
