//! `hrgk report`: one workbook per unit whose totals equal `hrgk score`'s.

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use serde_json::Value;

use crate::common::*;

fn write_inputs(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    let health = "填报单位：卫健局\n信息名称,栏目,形成日期,公开日期\n\
                  甲,医疗卫生,2021-01-04,2021-03-05\n乙,医疗卫生,2021-01-05,\n丙,医疗卫生,2021-02-30,2021-01-08\n";
    std::fs::write(dir.join("卫健局.csv"), health).unwrap();
    let town = "单位,信息名称,形成日期,公开日期\n章华镇,A,2021-01-04,2021-01-05\n章华镇,B,2021-02-01,2021-02-02\n";
    std::fs::write(dir.join("章华镇.csv"), town).unwrap();
}

#[test]
fn one_workbook_per_unit_with_the_score_totals() {
    let d = tmp();
    write_inputs(&d.path().join("in"));
    let score = run_json(d.path(), &["score", "in", "--as-of", "2021-03-31", "--format", "json"]);
    let (code, out, err) = run(
        d.path(),
        &[
            "report",
            "in",
            "--as-of",
            "2021-03-31",
            "--out-dir",
            "反馈",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for u in score["units"].as_array().unwrap() {
        let name = u["unit"].as_str().unwrap();
        let f = files.iter().find(|f| f["unit"] == name).unwrap();
        assert_eq!(f["total"], u["total"]);
        let path = d
            .path()
            .join("反馈")
            .join(format!("2021年度政务公开考核扣分情况-{name}.xlsx"));
        assert!(path.exists(), "{}", path.display());
        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        let card = wb.worksheet_range("评分表").unwrap();
        let rows: Vec<&[Data]> = card.rows().collect();
        assert!(
            rows[0][0].to_string().contains(&format!("（{name}）")),
            "title names the unit"
        );
        let total = rows.iter().find(|r| r[0].get_string() == Some("总分")).unwrap();
        assert_eq!(total[3].as_f64(), u["total"].as_f64(), "{name}");
        let c3 = rows.iter().find(|r| r[0].to_string().contains("C3")).unwrap();
        let c3_score = item_of(u, "C3")["score"].as_f64();
        assert_eq!(c3[3].as_f64(), c3_score);
        let detail = wb.worksheet_range("扣分加分明细").unwrap();
        let n = u["deductions"].as_array().unwrap().len() + u["bonuses"].as_array().unwrap().len();
        assert_eq!(
            detail.rows().count() - 3,
            n,
            "two title rows and a header, then one row per line"
        );
    }
    // Existing files need --force.
    let (code, _, err) = run(
        d.path(),
        &["report", "in", "--as-of", "2021-03-31", "--out-dir", "反馈"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn unit_filter_uses_aliases_and_unknown_names_list_the_closest() {
    let d = tmp();
    write_inputs(&d.path().join("in"));
    let (code, out, err) = run(
        d.path(),
        &[
            "report",
            "in",
            "--as-of",
            "2021-03-31",
            "--out-dir",
            "r",
            "--unit",
            "县卫健局",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("华容县卫生健康局"), "{out}");
    assert_eq!(std::fs::read_dir(d.path().join("r")).unwrap().count(), 1);
    let (code, _, err) = run(
        d.path(),
        &[
            "report",
            "in",
            "--as-of",
            "2021-03-31",
            "--out-dir",
            "r2",
            "--unit",
            "章化镇",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("章华镇"), "{err}");
}
