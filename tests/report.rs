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
        // The card names every penalty item and shows rank and group size as numbers.
        for (label, key) in [("扣分事项", "penalty"), ("加分", "bonus")] {
            let r = rows.iter().find(|r| r[0].get_string() == Some(label)).unwrap();
            let v = if label == "加分" { &r[3] } else { &r[2] };
            assert_eq!(v.as_f64(), u[key].as_f64(), "{name} {label}");
        }
        assert!(rows.iter().any(|r| r[0].to_string().contains("P2 被通报")), "named");
        let rank = rows.iter().find(|r| r[0].get_string() == Some("组内排名")).unwrap();
        assert_eq!(rank[3].as_f64(), u["rank"].as_f64());
        let size = rows.iter().find(|r| r[0].get_string() == Some("组内单位数")).unwrap();
        assert_eq!(size[3].as_f64(), u["group_size"].as_f64());
        assert!(
            rows.iter().any(|r| r[0].to_string().starts_with("单位签收")),
            "a line to sign"
        );
        let n = u["deductions"].as_array().unwrap().len() + u["bonuses"].as_array().unwrap().len();
        let sheets = wb.sheet_names();
        if n == 0 {
            assert!(!sheets.iter().any(|s| s == "扣分加分明细"), "{sheets:?}");
        } else {
            let detail = wb.worksheet_range("扣分加分明细").unwrap();
            assert_eq!(
                detail.rows().count() - 3,
                n,
                "two title rows and a header, then one row per line"
            );
            let head: Vec<String> = detail.rows().nth(2).unwrap().iter().map(|c| c.to_string()).collect();
            assert_eq!(head[0], "事由", "the reason first");
        }
        // Sections without rows for this unit are a line on the card, not a sheet.
        let late = score["late"].as_array().unwrap().iter().any(|l| l["unit"] == name);
        assert_eq!(sheets.iter().any(|s| s == "逾期公开"), late, "{name}: {sheets:?}");
        let empty_line = rows.iter().any(|r| r[0].to_string().contains("本单位无逾期公开"));
        assert_eq!(empty_line, !late, "{name}");
        let visible: Vec<&String> = sheets.iter().filter(|s| *s != "图表数据").collect();
        assert_eq!(visible.last().map(|s| s.as_str()), Some("说明"));
        // The score card is one portrait page; the monthly sheet carries a native chart.
        let zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let names: Vec<String> = zip.file_names().filter_map(|n| n.ok()).map(|n| n.to_string()).collect();
        assert!(names.iter().any(|n| n.starts_with("xl/charts/chart")), "{names:?}");
        let mut zip = zip;
        let mut card_xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut card_xml).unwrap();
        assert!(card_xml.contains("orientation=\"portrait\"") && card_xml.contains("fitToPage=\"1\""));
        assert!(!card_xml.contains("fitToHeight=\"0\""), "one page tall");
        let about = wb.worksheet_range("说明").unwrap();
        assert!(about.rows().any(|r| r[0].get_string() == Some("规则摘要（SHA-256）")));
    }
    assert!(
        files.iter().any(|f| {
            let unit = f["unit"].as_str().unwrap();
            !score["late"].as_array().unwrap().iter().any(|l| l["unit"] == unit)
        }),
        "one unit has no late items, so its report has no 逾期公开 sheet"
    );
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
