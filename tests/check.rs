//! `hrgk check`: planted problems at their row and column, and the exit codes.

use crate::common::*;

#[test]
fn lists_every_planted_problem_and_exits_1() {
    let d = tmp();
    let csv = "填报单位：县卫健局\n\
               序号,信息名称,栏目,形成日期,公开日期,公开属性\n\
               1,好的一行,医疗卫生,2021-03-01,2021-03-02,主动公开\n\
               2,,医疗卫生,2021-03-01,2021-03-02,主动公开\n\
               3,日期坏了,医疗卫生,2021-13-01,2021-03-02,主动公开\n\
               4,先公开后形成,医疗卫生,2021-03-05,2021-03-01,主动公开\n\
               5,属性错了,医疗卫生,2021-03-01,2021-03-02,半公开\n\
               6,好的一行,医疗卫生,2021-03-01,2021-03-02,主动公开\n";
    std::fs::write(d.path().join("卫健局.csv"), csv).unwrap();
    let (code, out, _) = run(d.path(), &["check", "卫健局.csv", "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let probs = doc["files"][0]["problems"].as_array().unwrap();
    let at = |code: &str| {
        probs
            .iter()
            .find(|p| p["code"] == code)
            .unwrap_or_else(|| panic!("{code}: {probs:?}"))
    };
    assert_eq!(at("title-missing")["cell"], "B4");
    assert_eq!(at("date-unreadable")["cell"], "D5");
    assert_eq!(at("date-unreadable")["value"], "2021-13-01");
    assert_eq!(at("published-before-formed")["row"], 6);
    assert_eq!(at("value-unknown")["cell"], "F7");
    assert_eq!(at("duplicate")["row"], 8);
    assert_eq!(probs.len(), 5, "{probs:?}");
    let sheet = &doc["files"][0]["sheets"][0];
    assert_eq!(sheet["ledger"], "publication");
    assert_eq!(sheet["units"][0]["unit"], "华容县卫生健康局");
    assert_eq!(sheet["units"][0]["rows"], 6);

    let (code, out, _) = run(d.path(), &["check", "卫健局.csv", "-o", "问题.xlsx"]);
    assert_eq!(code, 1);
    assert!(out.contains("第 5 行 D 列（形成日期）"), "{out}");
    assert!(d.path().join("问题.xlsx").exists());
}

#[test]
fn a_clean_ledger_exits_0_and_an_unreadable_file_exits_2() {
    let d = tmp();
    std::fs::write(
        d.path().join("章华镇.csv"),
        "信息名称,形成日期,公开日期\n通知,2021-03-01,2021-03-02\n",
    )
    .unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.csv"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("检查通过"), "{out}");
    std::fs::write(d.path().join("坏.xlsx"), b"PK\x03\x04garbage").unwrap();
    let (code, out, _) = run(d.path(), &["check", "."]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("无法读取"), "{out}");
}

#[test]
fn unrecognised_sheets_name_the_missing_columns() {
    let d = tmp();
    std::fs::write(d.path().join("台账.csv"), "信息名称,公开日期\n通知,2021-03-02\n").unwrap();
    let (code, out, _) = run(d.path(), &["check", "台账.csv"]);
    assert_eq!(code, 1, "a file with no ledger is a problem");
    assert!(out.contains("形成日期"), "{out}");
    assert!(out.contains("看到的列名：信息名称、公开日期"), "{out}");
}

#[test]
fn inspection_findings_that_match_no_standard_are_listed() {
    let d = tmp();
    std::fs::write(
        d.path().join("检查记录.csv"),
        "单位,考核项目,次数\n章华镇,未有工作规划,1\n章华镇,不存在的标准,1\n",
    )
    .unwrap();
    let (code, out, _) = run(d.path(), &["check", "检查记录.csv", "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let probs = doc["files"][0]["problems"].as_array().unwrap();
    assert_eq!(probs.len(), 1, "{probs:?}");
    assert_eq!(probs[0]["code"], "finding-unmatched");
    assert_eq!(probs[0]["row"], 3);
}
