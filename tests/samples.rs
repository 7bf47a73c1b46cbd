//! The committed samples score as their generator predicted (samples/README.md).

use crate::common::*;

#[test]
fn samples_score_as_documented() {
    let root = samples_dir();
    let d = tmp();
    let doc = run_json(
        d.path(),
        &[
            "score",
            root.join("2021").to_str().unwrap(),
            "--units",
            root.join("单位名单.xlsx").to_str().unwrap(),
            "--as-of",
            "2021-12-31",
            "--format",
            "json",
        ],
    );
    let expected_c3 = [
        ("章华镇", 8.0),
        ("治河渡镇", 8.0),
        ("东山镇", 9.0),
        ("三封寺镇", 8.0),
        ("团洲乡", 9.0),
        ("新河乡", 8.0),
        ("华容县卫生健康局", 8.0),
        ("华容县人力资源和社会保障局", 9.0),
        ("华容县教育体育局", 9.0),
        ("华容县财政局", 9.0),
        ("华容县市场监督管理局", 8.0),
        ("华容县自然资源局", 8.0),
    ];
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 12);
    for (name, c3) in expected_c3 {
        let got = item_of(unit_of(&doc, name), "C3")["score"].as_f64();
        assert_eq!(got, Some(c3), "{name}");
    }
    // Totals with every ledger.
    for &(name, total) in SAMPLE_TOTALS {
        assert_eq!(unit_of(&doc, name)["total"].as_f64(), Some(total), "{name}");
    }
    assert_eq!(doc["late"].as_array().unwrap().len(), 11);
    assert_eq!(doc["pending"].as_array().unwrap().len(), 3);
    let unrecognised = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["sheets"].as_array().unwrap())
        .filter(|s| s["ledger"].is_null())
        .count();
    assert_eq!(unrecognised, 0);
}
