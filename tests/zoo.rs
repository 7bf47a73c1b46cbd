//! Broken, odd and hostile inputs (issue 14): no hang, no silent misread, bounded
//! memory, a true message for every broken file.

use std::time::Duration;

use crate::common::*;

/// Runs `hrgk` in `dir` with a time limit: a hang fails the test instead of the run.
fn run_limited(dir: &std::path::Path, args: &[&str], secs: u64) -> (i32, String, String) {
    let out = hrgk()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(secs))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CLEAN: &str = "信息名称,形成日期,公开日期\n通知,2021-03-01,2021-03-02\n";

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    let d = tmp();
    let f = d.path().join("台账");
    std::fs::create_dir_all(f.join("sub")).unwrap();
    std::fs::write(f.join("章华镇.csv"), CLEAN).unwrap();
    std::os::unix::fs::symlink(".", f.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", f.join("sub").join("back")).unwrap();
    std::os::unix::fs::symlink("章华镇.csv", f.join("章华镇链接.csv")).unwrap();
    let (code, out, err) = run_limited(d.path(), &["check", "台账", "--format", "json"], 20);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1, "{doc}");
    let (code, out, err) = run_limited(
        d.path(),
        &[
            "score",
            "台账",
            "台账/章华镇.csv",
            "--as-of",
            "2021-03-31",
            "--format",
            "json",
        ],
        20,
    );
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1, "{doc}");
}

/// Rewrites one member of a zip (xlsx) file.
pub fn rewrite_member(bytes: &[u8], member: &str, f: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut out);
        for i in 0..zin.len() {
            let mut e = zin.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            if name == member {
                data = f(String::from_utf8(data).unwrap()).into_bytes();
            }
            zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            zout.write_all(&data).unwrap();
        }
        zout.finish().unwrap();
    }
    out.into_inner()
}

#[test]
fn formulas_without_results_are_problems_and_not_judged() {
    use rust_xlsxwriter::{Formula, Workbook};
    let d = tmp();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["信息名称", "形成日期", "公开日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=12u32 {
        ws.write_string(r, 0, format!("通知{r}")).unwrap();
        ws.write_string(r, 1, format!("2021-{r:02}-01")).unwrap();
        ws.write_formula(r, 2, Formula::new(format!("=B{}+2", r + 1))).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    // As a program writes it: the formula without a cached result.
    let bytes = rewrite_member(&bytes, "xl/worksheets/sheet1.xml", |x| {
        x.replace("</f><v>0</v>", "</f>")
    });
    std::fs::write(d.path().join("章华镇.xlsx"), bytes).unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.xlsx", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let probs = doc["files"][0]["problems"].as_array().unwrap();
    let formula: Vec<&serde_json::Value> = probs.iter().filter(|p| p["code"] == "formula-no-result").collect();
    assert_eq!(formula.len(), 12, "{probs:?}");
    assert_eq!(formula[0]["cell"], "C2");
    assert_eq!(formula[0]["value"], "=B2+2");
    assert!(formula[0]["message"].as_str().unwrap().contains("公式没有计算结果"));
    assert!(probs.iter().all(|p| p["code"] == "formula-no-result"), "{probs:?}");
    let doc = run_json(
        d.path(),
        &["score", "章华镇.xlsx", "--as-of", "2021-12-31", "--format", "json"],
    );
    assert_eq!(doc["late"].as_array().unwrap().len(), 0, "{}", doc["late"]);
}

#[test]
fn a_two_row_merged_header_is_one_header_and_a_date_column_alone_is_no_checkpoint_list() {
    use rust_xlsxwriter::{Format, Workbook};
    let d = tmp();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("公开台账").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 1, 0, "单位", &f).unwrap();
    ws.merge_range(0, 1, 1, 1, "信息名称", &f).unwrap();
    ws.merge_range(0, 2, 0, 3, "日期", &f).unwrap();
    ws.write_string(1, 2, "形成日期").unwrap();
    ws.write_string(1, 3, "公开日期").unwrap();
    for r in 2..14u32 {
        ws.write_string(r, 0, "章华镇").unwrap();
        ws.write_string(r, 1, format!("通知{r}")).unwrap();
        ws.write_string(r, 2, "2021-03-01").unwrap();
        ws.write_string(r, 3, if r == 13 { "2021-05-31" } else { "2021-03-02" })
            .unwrap();
    }
    // Another sheet: a 日期 column among unknown ones is not a 监测时间点 list.
    let ws = wb.add_worksheet().set_name("记录").unwrap();
    ws.write_string(0, 0, "日期").unwrap();
    ws.write_string(0, 1, "事项").unwrap();
    ws.write_string(1, 0, "2021-06-01").unwrap();
    ws.write_string(1, 1, "例会").unwrap();
    wb.save(d.path().join("章华镇.xlsx")).unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.xlsx", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sheets = &doc["files"][0]["sheets"];
    assert_eq!(sheets[0]["ledger"], "publication", "{doc}");
    assert_eq!(sheets[0]["header_row"], 2);
    assert_eq!(sheets[0]["rows"], 12);
    assert!(sheets[1]["ledger"].is_null(), "{doc}");
    let doc = run_json(
        d.path(),
        &["score", "章华镇.xlsx", "--as-of", "2021-12-31", "--format", "json"],
    );
    let late = doc["late"].as_array().unwrap();
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0]["source"]["row"], 14, "{late:?}");
}

fn problems_of(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["problems"].as_array().unwrap().clone())
        .collect()
}

/// A publication ledger of `n` clean rows as CSV lines (header first).
fn clean_lines(n: usize) -> Vec<String> {
    let mut v = vec!["信息名称,形成日期,公开日期".to_string()];
    v.extend((1..=n).map(|i| format!("通知{i},2021-03-01,2021-03-02")));
    v
}

#[test]
fn an_unclosed_csv_quote_is_reported_and_no_row_is_lost() {
    let d = tmp();
    let mut lines = clean_lines(62);
    lines[6] = "\"通知6,2021-03-01,2021-03-02".to_string();
    std::fs::write(d.path().join("章华镇.csv"), lines.join("\n") + "\n").unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.csv", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"][0]["sheets"][0]["rows"], 62, "{doc}");
    let probs = problems_of(&doc);
    assert_eq!(probs.len(), 1, "{probs:?}");
    assert_eq!(probs[0]["code"], "csv-quote");
    assert_eq!(probs[0]["row"], 7);
    let m = probs[0]["message"].as_str().unwrap();
    assert!(m.contains("第 7 行引号未闭合") && m.contains("第 7–63 行"), "{m}");
}

#[test]
fn separators_are_detected_in_every_encoding() {
    let d = tmp();
    // Excel's "Unicode 文本": UTF-16LE with BOM, tab-separated.
    let tab = clean_lines(3).join("\r\n").replace(',', "\t") + "\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(tab.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(d.path().join("章华镇.txt"), &utf16).unwrap();
    // GBK with semicolons, as a European-locale Excel saves CSV.
    let semi = clean_lines(2).join("\r\n").replace(',', ";");
    std::fs::write(d.path().join("东山镇.csv"), encoding_rs::GBK.encode(&semi).0).unwrap();
    for (file, unit, rows) in [("章华镇.txt", "章华镇", 3), ("东山镇.csv", "东山镇", 2)] {
        let (code, out, _) = run(d.path(), &["check", file, "--format", "json"]);
        assert_eq!(code, 0, "{file}: {out}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["files"][0]["sheets"][0]["ledger"], "publication", "{file}: {doc}");
        assert_eq!(doc["files"][0]["sheets"][0]["rows"], rows, "{file}");
        let doc = run_json(d.path(), &["score", file, "--as-of", "2021-03-31", "--format", "json"]);
        assert!(unit_of(&doc, unit)["total"].is_number(), "{doc}");
    }
}

#[test]
fn an_empty_file_is_called_empty_and_a_csv_named_xlsx_is_read() {
    let d = tmp();
    std::fs::write(d.path().join("空.csv"), b"").unwrap();
    let (code, _, err) = run(d.path(), &["score", "空.csv", "--year", "2021"]);
    assert_eq!(code, 2);
    assert!(err.contains("文件为空"), "{err}");
    std::fs::write(d.path().join("章华镇.xlsx"), clean_lines(2).join("\n")).unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.xlsx", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"][0]["sheets"][0]["rows"], 2, "{doc}");
    let probs = problems_of(&doc);
    assert_eq!(probs.len(), 1, "{probs:?}");
    assert_eq!(probs[0]["code"], "extension-mismatch");
    assert!(probs[0]["message"].as_str().unwrap().contains(".xlsx"));
}

#[test]
fn duplicate_header_columns_are_a_problem() {
    let d = tmp();
    std::fs::write(
        d.path().join("章华镇.csv"),
        "信息名称,形成日期,公开日期,标题,公开日期\n通知,2021-03-01,2021-03-02,通知,2021-06-30\n",
    )
    .unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.csv", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let probs = problems_of(&doc);
    let dups: Vec<&serde_json::Value> = probs.iter().filter(|p| p["code"] == "duplicate-column").collect();
    assert_eq!(dups.len(), 2, "{probs:?}");
    assert_eq!(dups[0]["cell"], "D1");
    assert_eq!(dups[1]["cell"], "E1");
    let m = dups[1]["message"].as_str().unwrap();
    assert!(m.contains("C 列") && m.contains("E 列"), "{m}");
}

#[test]
fn text_that_is_no_unit_name_is_not_ranked_without_a_list() {
    let d = tmp();
    let csv = "单位,信息名称,形成日期,公开日期\n\
               章华镇,通知,2021-03-01,2021-03-02\n\
               华容县第一中学,通知,2021-03-01,2021-03-02\n\
               ../../../zoo-escape镇,通知,2021-03-01,2021-03-02\n\
               子目录/逃逸局,通知,2021-03-01,2021-03-02\n\
               \"=HYPERLINK(\"\"http://x\"\",\"\"单位\"\")\",通知,2021-03-01,2021-03-02\n\
               随便写写,通知,2021-03-01,2021-03-02\n";
    std::fs::write(d.path().join("汇总台账.csv"), csv).unwrap();
    let (code, out, _) = run(d.path(), &["check", "汇总台账.csv", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let probs = problems_of(&doc);
    let bad: Vec<&str> = probs
        .iter()
        .filter(|p| p["code"] == "unit-unreadable")
        .map(|p| p["value"].as_str().unwrap())
        .collect();
    assert_eq!(bad.len(), 4, "{probs:?}");
    assert!(bad.contains(&"随便写写") && bad.contains(&"子目录/逃逸局"), "{bad:?}");
    let doc = run_json(
        d.path(),
        &["score", "汇总台账.csv", "--as-of", "2021-03-31", "--format", "json"],
    );
    let mut names: Vec<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["华容县第一中学", "章华镇"], "{names:?}");
}

/// Every cell's text of a sheet of a workbook.
fn sheet_texts(file: &std::path::Path, sheet: &str) -> Vec<String> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(file).unwrap();
    let r = wb.worksheet_range(sheet).unwrap();
    r.used_cells().map(|(_, _, d)| d.to_string()).collect()
}

#[test]
fn hidden_sheets_are_read_and_marked() {
    use rust_xlsxwriter::Workbook;
    let d = tmp();
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("封面")
        .unwrap()
        .write_string(0, 0, "章华镇")
        .unwrap();
    let ws = wb.add_worksheet().set_name("公开台账").unwrap().set_hidden(true);
    for (c, h) in ["信息名称", "形成日期", "公开日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "通知").unwrap();
    ws.write_string(1, 1, "2021-03-01").unwrap();
    ws.write_string(1, 2, "2021-03-02").unwrap();
    wb.save(d.path().join("章华镇.xlsx")).unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.xlsx", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"][0]["sheets"][0]["hidden"], false, "{doc}");
    assert_eq!(doc["files"][0]["sheets"][1]["hidden"], true, "{doc}");
    assert_eq!(doc["files"][0]["sheets"][1]["rows"], 1, "{doc}");
    let (_, out, _) = run(d.path(), &["check", "章华镇.xlsx"]);
    assert!(out.contains("工作表“公开台账”（隐藏）"), "{out}");
    let (code, _, err) = run(
        d.path(),
        &["score", "章华镇.xlsx", "--as-of", "2021-03-31", "-o", "结果.xlsx"],
    );
    assert_eq!(code, 0, "{err}");
    let texts = sheet_texts(&d.path().join("结果.xlsx"), "说明");
    assert!(texts.iter().any(|t| t.starts_with("公开台账（隐藏）")), "{texts:?}");
}

#[test]
fn a_zip_member_over_the_limit_is_refused_naming_the_file() {
    use rust_xlsxwriter::Workbook;
    let d = tmp();
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "信息名称").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // Shared strings padded to 3 MB of blanks: compresses about 1000:1.
    let bytes = rewrite_member(&bytes, "xl/sharedStrings.xml", |x| {
        x.replacen("<sst", &format!("{}<sst", " ".repeat(3 << 20)), 1)
    });
    assert!(bytes.len() < 100_000, "{}", bytes.len());
    std::fs::write(d.path().join("炸弹.xlsx"), &bytes).unwrap();
    // Rules with a 1 MB limit per member.
    let rules = d.path().join("规则");
    std::fs::create_dir(&rules).unwrap();
    let rubric = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/rubric.toml")).unwrap();
    std::fs::write(
        rules.join("rubric.toml"),
        rubric.replace("max_member_mb = 1024", "max_member_mb = 1"),
    )
    .unwrap();
    let (code, out, err) = run(
        d.path(),
        &[
            "score",
            "炸弹.xlsx",
            "--year",
            "2021",
            "--rules",
            "规则",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("炸弹.xlsx") && err.contains("文件解压后过大") && err.contains("xl/sharedStrings.xml"),
        "{err}"
    );
}

#[test]
fn text_over_the_cell_limit_is_cut_and_reported() {
    let d = tmp();
    let long = "长".repeat(40_000);
    std::fs::write(
        d.path().join("章华镇.csv"),
        format!("信息名称,形成日期,公开日期\n{long},2021-03-01,2021-13-02\n"),
    )
    .unwrap();
    let (code, out, _) = run(d.path(), &["check", "章华镇.csv", "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let probs = problems_of(&doc);
    let p = probs
        .iter()
        .find(|p| p["code"] == "text-too-long")
        .expect("text-too-long");
    assert_eq!(p["cell"], "A2");
    assert!(p["message"].as_str().unwrap().contains("40000"), "{p}");
    assert!(out.len() < 200_000, "{}", out.len());
    let (code, _, err) = run(
        d.path(),
        &["score", "章华镇.csv", "--as-of", "2021-03-31", "-o", "结果.xlsx"],
    );
    assert_eq!(code, 0, "{err}");
    let doc = run_json(
        d.path(),
        &["score", "章华镇.csv", "--as-of", "2021-03-31", "--format", "json"],
    );
    let text = doc.to_string();
    assert!(
        text.contains("…（已截断）") && !text.contains(&"长".repeat(32_767)),
        "{}",
        text.len()
    );
}

/// Four sheets, each with one stray value at IV65536, in an .xls (tests/data): read
/// quickly, in little memory, every sheet recognised.
#[test]
fn stray_far_cells_in_xls_cost_little() {
    let d = tmp();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/远处单元格.xls");
    std::fs::copy(src, d.path().join("章华镇.xls")).unwrap();
    let (code, out, err) = run_limited(d.path(), &["check", "章华镇.xls", "--format", "json"], 20);
    assert!(code <= 1, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sheets = doc["files"][0]["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), 4);
    assert!(
        sheets.iter().all(|s| s["ledger"] == "publication" && s["rows"] == 1),
        "{doc}"
    );
    // Peak memory of the whole run, where GNU time is there to measure it.
    let time = std::path::Path::new("/usr/bin/time");
    if time.exists() {
        let bin = assert_cmd::cargo::cargo_bin("hrgk");
        let out = std::process::Command::new(time)
            .arg("-v")
            .arg(bin)
            .args(["check", "章华镇.xls"])
            .current_dir(d.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let kb: u64 = err
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        assert!(kb > 0 && kb < 100 * 1024, "{kb} KB");
    }
}
