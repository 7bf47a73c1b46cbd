//! Excel 2003 XML spreadsheets (SpreadsheetML), as government systems export them with
//! an .xls name (issue 14): read by content, and scored exactly as the same data in .xlsx.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use crate::common::*;

/// XML text content: markup characters escaped, line breaks as Excel writes them.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\r', "&#13;")
        .replace('\n', "&#10;")
}

/// A SpreadsheetML workbook as Excel 2003 saves it, around `worksheets`, with the given
/// XML declaration.
fn book(decl: &str, worksheets: &str) -> String {
    format!(
        "{decl}\r\n<?mso-application progid=\"Excel.Sheet\"?>\r\n\
<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\"\r\n \
xmlns:o=\"urn:schemas-microsoft-com:office:office\"\r\n \
xmlns:x=\"urn:schemas-microsoft-com:office:excel\"\r\n \
xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"\r\n \
xmlns:html=\"http://www.w3.org/TR/REC-html40\">\r\n \
<DocumentProperties xmlns=\"urn:schemas-microsoft-com:office:office\"><Author>政务公开平台</Author></DocumentProperties>\r\n \
<Styles><Style ss:ID=\"d\"><NumberFormat ss:Format=\"yyyy/m/d\"/></Style></Styles>\r\n\
{worksheets}</Workbook>\r\n"
    )
}

fn cell(index: u32, ty: &str, value: &str) -> String {
    let style = if ty == "DateTime" { " ss:StyleID=\"d\"" } else { "" };
    format!(
        "<Cell ss:Index=\"{}\"{style}><Data ss:Type=\"{ty}\">{}</Data></Cell>",
        index + 1,
        esc(value)
    )
}

/// A date as it is written: an Excel date cell, text, or nothing.
#[derive(Clone, Copy)]
enum D {
    Date(i32, u32, u32),
    Text(&'static str),
    None,
}

/// The ledger: 信息名称, 栏目, 形成日期, 公开日期 (rows 3–7, a blank row 8, row 9).
const ROWS: &[(&str, &str, D, D)] = &[
    (
        "关于做好春耕生产工作的通知",
        "乡村振兴",
        D::Date(2021, 3, 1),
        D::Text("2021年3月5日"),
    ),
    (
        "章华镇2021年防汛抢险应急预案",
        "应急管理",
        D::Text("2021-03-01"),
        D::Date(2021, 5, 31),
    ),
    (
        "章华镇2021年6月城乡低保名单公示",
        "社会救助",
        D::Date(2021, 6, 1),
        D::Text("2021.6.3"),
    ),
    (
        "章华镇2021年公开招聘村级后备干部公告",
        "考录招聘",
        D::Text("2021/7/1"),
        D::None,
    ),
    (
        "章华镇2021年财政预算公开 & 说明",
        "财政预决算",
        D::Date(2021, 2, 10),
        D::Date(2021, 2, 20),
    ),
    (
        "关于开展\"双减\"宣传的通知",
        "教育",
        D::Date(2021, 9, 1),
        D::Text("2021年9月3日"),
    ),
];

const TITLE: &str = "华容县章华镇人民政府2021年政务公开台账";
const HEADER: [&str; 5] = ["序号", "信息名称", "栏目", "形成日期", "公开\n日期"];

/// Sheet row (0-based) of ledger row `i`: the sixth after a blank row.
fn row_of(i: usize) -> u32 {
    2 + i as u32 + u32::from(i >= 5)
}

/// The ledger as SpreadsheetML under the XML declaration `decl` (also a mutation-test input).
pub fn spreadsheetml(decl: &str) -> String {
    let mut rows =
        format!("<Row><Cell ss:MergeAcross=\"4\"><Data ss:Type=\"String\">{TITLE}</Data></Cell></Row>\r\n<Row>");
    for (c, h) in HEADER.iter().enumerate() {
        rows += &cell(c as u32, "String", h);
    }
    rows += "</Row>\r\n";
    for (i, (title, column, formed, published)) in ROWS.iter().enumerate() {
        // Rows after a gap carry ss:Index, cells after a merge or gap too.
        let index = if i == 5 {
            format!(" ss:Index=\"{}\"", row_of(i) + 1)
        } else {
            String::new()
        };
        rows += &format!("<Row{index}><Cell><Data ss:Type=\"Number\">{}</Data></Cell>", i + 1);
        rows += &format!("<Cell><Data ss:Type=\"String\">{}</Data></Cell>", esc(title));
        rows += &format!("<Cell><Data ss:Type=\"String\">{column}</Data></Cell>");
        for (c, d) in [(3, formed), (4, published)] {
            rows += &match d {
                D::Date(y, m, dd) => cell(c, "DateTime", &format!("{y:04}-{m:02}-{dd:02}T00:00:00.000")),
                D::Text(t) => cell(c, "String", t),
                D::None => String::new(),
            };
        }
        rows += "</Row>\r\n";
    }
    book(
        decl,
        &format!(
            " <Worksheet ss:Name=\"主动公开台账\">\r\n  <Table ss:ExpandedColumnCount=\"5\" x:FullColumns=\"1\" x:FullRows=\"1\">\r\n{rows}  </Table>\r\n  \
<WorksheetOptions xmlns=\"urn:schemas-microsoft-com:office:excel\"><Selected/></WorksheetOptions>\r\n </Worksheet>\r\n \
<Worksheet ss:Name=\"底稿\"><Table><Row><Cell><Data ss:Type=\"String\">内部底稿</Data></Cell></Row></Table>\r\n  \
<x:WorksheetOptions><x:Visible>SheetHidden</x:Visible></x:WorksheetOptions></Worksheet>\r\n"
        ),
    )
}

/// The same ledger as an .xlsx twin (merged title, date cells formatted yyyy/m/d).
fn xlsx(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("主动公开台账").unwrap();
    let date = Format::new().set_num_format("yyyy/m/d");
    ws.merge_range(0, 0, 0, 4, TITLE, &Format::new()).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, (title, column, formed, published)) in ROWS.iter().enumerate() {
        let r = row_of(i);
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *title).unwrap();
        ws.write_string(r, 2, *column).unwrap();
        for (c, d) in [(3u16, formed), (4, published)] {
            match d {
                D::Date(y, m, dd) => {
                    let dt = NaiveDate::from_ymd_opt(*y, *m, *dd).unwrap();
                    ws.write_date_with_format(r, c, dt, &date).unwrap();
                }
                D::Text(t) => {
                    ws.write_string(r, c, *t).unwrap();
                }
                D::None => {}
            }
        }
    }
    let ws = wb.add_worksheet().set_name("底稿").unwrap();
    ws.write_string(0, 0, "内部底稿").unwrap();
    ws.set_hidden(true);
    wb.save(path).unwrap();
}

/// `score --format json` of one file, with the file's name taken out of the evidence.
fn score(dir: &Path, file: &str) -> serde_json::Value {
    let doc = run_json(dir, &["score", file, "--as-of", "2021-12-31", "--format", "json"]);
    let text = doc.to_string().replace(file, "台账");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_spreadsheetml_ledger_named_xls_scores_as_its_xlsx_twin() {
    let d = tmp();
    let gbk_decl = "<?xml version=\"1.0\" encoding=\"gb2312\"?>";
    let text = spreadsheetml(gbk_decl);
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad && std::str::from_utf8(&gbk).is_err());
    std::fs::write(
        d.path().join("章华镇台账.xls"),
        spreadsheetml("<?xml version=\"1.0\"?>"),
    )
    .unwrap();
    std::fs::write(d.path().join("章华镇台账（国标码）.xls"), &gbk).unwrap();
    xlsx(&d.path().join("章华镇台账.xlsx"));
    for file in ["章华镇台账.xls", "章华镇台账（国标码）.xls"] {
        let (code, out, err) = run(d.path(), &["check", file, "--format", "json"]);
        assert_eq!(code, 0, "{file}: {out}{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let sheets = &doc["files"][0]["sheets"];
        assert_eq!(sheets[0]["name"], "主动公开台账", "{doc}");
        assert_eq!(sheets[0]["ledger"], "publication", "{doc}");
        assert_eq!(sheets[0]["header_row"], 2, "{doc}");
        assert_eq!(sheets[0]["rows"], 6, "{doc}");
        assert_eq!(sheets[0]["hidden"], false, "{doc}");
        assert_eq!(sheets[1]["name"], "底稿", "{doc}");
        assert_eq!(sheets[1]["hidden"], true, "{doc}");
        let (_, out, _) = run(d.path(), &["check", file]);
        assert!(
            out.contains("检查通过") && out.contains("工作表“底稿”（隐藏）"),
            "{out}"
        );
    }
    let twin = score(d.path(), "章华镇台账.xlsx");
    for file in ["章华镇台账.xls", "章华镇台账（国标码）.xls"] {
        let doc = score(d.path(), file);
        let u = unit_of(&doc, "章华镇");
        assert_eq!(u["total"], unit_of(&twin, "章华镇")["total"], "{file}");
        assert_eq!(doc["units"], twin["units"], "{file}");
        assert_eq!(doc["late"], twin["late"], "{file}");
        assert_eq!(doc["problems"], twin["problems"], "{file}");
        // The figures themselves: 防汛预案 published 2021-05-31 (formed 03-01, text)
        // and the 招聘公告 never published are late, at their sheet rows.
        let late = doc["late"].as_array().unwrap();
        let got: Vec<(&str, u64)> = late
            .iter()
            .map(|l| (l["title"].as_str().unwrap(), l["source"]["row"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("章华镇2021年防汛抢险应急预案", 4),
                ("章华镇2021年公开招聘村级后备干部公告", 6)
            ],
            "{file}"
        );
        assert_eq!(late[0]["published"], "2021-05-31", "{}", late[0]);
        // Every publication date read into its month (text and date cells alike): one
        // each in February, March, May, June and September.
        let months: Vec<&str> = u["deductions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["standard"] == "C3.2" && x["reason"].as_str().unwrap().contains("公开 1 条"))
            .map(|x| x["label"].as_str().unwrap())
            .collect();
        assert_eq!(
            months,
            ["2021-02", "2021-03", "2021-05", "2021-06", "2021-09"],
            "{file}"
        );
        assert_eq!(item_of(u, "C3")["score"].as_f64(), Some(0.0), "{u}");
        assert_eq!(u["total"].as_f64(), Some(80.0), "{u}");
    }
}

/// Folders take an .xml file when it is an Excel 2003 XML spreadsheet, and only then.
#[test]
fn folders_take_spreadsheetml_xml_files_only() {
    let d = tmp();
    let f = d.path().join("收件");
    std::fs::create_dir(&f).unwrap();
    std::fs::write(f.join("章华镇台账.xml"), spreadsheetml("<?xml version=\"1.0\"?>")).unwrap();
    std::fs::write(f.join("配置.xml"), "<?xml version=\"1.0\"?><config><a/></config>").unwrap();
    let (code, out, err) = run(d.path(), &["check", "收件", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 1, "{doc}");
    assert!(files[0].ends_with("章华镇台账.xml"), "{files:?}");
    assert_eq!(doc["files"][0]["sheets"][0]["rows"], 6, "{doc}");
    // Named on the command line, other XML is refused, not read as a ledger.
    let (code, out, err) = run(d.path(), &["check", "收件/配置.xml"]);
    assert_eq!(code, 2, "{out}{err}");
    let all = out + &err;
    assert!(all.contains("配置.xml") && all.contains("不是电子表格文件"), "{all}");
}

/// An xlsx workbook converted to SpreadsheetML as Excel 2003 would save it: every non-empty
/// cell at its row and column (ss:Index), dates as DateTime, hidden sheets marked.
fn convert(path: &Path) -> String {
    use calamine::{Data, Reader};
    // Every sample is an xlsx, also the one named .xls.
    let bytes = std::fs::read(path).unwrap();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for meta in wb.sheets_metadata().to_vec() {
        let range = wb.worksheet_range(&meta.name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        out += &format!(" <Worksheet ss:Name=\"{}\">\r\n  <Table>\r\n", esc(&meta.name));
        for (i, row) in range.rows().enumerate() {
            let mut cells = String::new();
            for (j, d) in row.iter().enumerate() {
                let c = c0 + j as u32;
                cells += &match d {
                    Data::Empty => continue,
                    Data::String(s) => cell(c, "String", s),
                    Data::Float(f) => cell(c, "Number", &f.to_string()),
                    Data::Int(n) => cell(c, "Number", &n.to_string()),
                    Data::Bool(b) => cell(c, "Boolean", if *b { "1" } else { "0" }),
                    Data::DateTime(dt) if dt.is_datetime() => {
                        let v = dt.as_datetime().unwrap();
                        cell(c, "DateTime", &v.format("%Y-%m-%dT%H:%M:%S%.3f").to_string())
                    }
                    Data::DateTime(dt) => cell(c, "Number", &dt.as_f64().to_string()),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => cell(c, "String", s),
                    Data::Error(e) => cell(c, "Error", &e.to_string()),
                };
            }
            if !cells.is_empty() {
                out += &format!("   <Row ss:Index=\"{}\">{cells}</Row>\r\n", r0 + i as u32 + 1);
            }
        }
        out += "  </Table>\r\n";
        if meta.visible != calamine::SheetVisible::Visible {
            out += "  <WorksheetOptions xmlns=\"urn:schemas-microsoft-com:office:excel\"><Visible>SheetHidden</Visible></WorksheetOptions>\r\n";
        }
        out += " </Worksheet>\r\n";
    }
    book("<?xml version=\"1.0\"?>", &out)
}

/// Every committed sample workbook saved as SpreadsheetML named .xls (the CSV kept):
/// the same totals, late and pending rows as the samples themselves.
#[test]
fn the_samples_as_spreadsheetml_score_as_documented() {
    let root = samples_dir();
    let d = tmp();
    let dir = d.path().join("2021");
    std::fs::create_dir(&dir).unwrap();
    let mut converted = 0;
    for e in std::fs::read_dir(root.join("2021")).unwrap() {
        let p = e.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        if p.extension().is_some_and(|x| x == "csv") {
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        } else {
            std::fs::write(dir.join(format!("{stem}.xls")), convert(&p)).unwrap();
            converted += 1;
        }
    }
    assert_eq!(converted, 17);
    let units = root.join("单位名单.xlsx");
    let score_folder = |folder: &Path| {
        let doc = run_json(
            d.path(),
            &[
                "score",
                folder.to_str().unwrap(),
                "--units",
                units.to_str().unwrap(),
                "--as-of",
                "2021-12-31",
                "--format",
                "json",
            ],
        );
        doc
    };
    let doc = score_folder(&dir);
    for &(name, total) in SAMPLE_TOTALS {
        assert_eq!(unit_of(&doc, name)["total"].as_f64(), Some(total), "{name}");
    }
    assert_eq!(doc["late"].as_array().unwrap().len(), 11);
    assert_eq!(doc["pending"].as_array().unwrap().len(), 3);
    // The same deductions, bonuses, late and pending rows at the same sheet rows: only
    // the folder and the extension differ.
    let twin = score_folder(&root.join("2021"));
    let same = |v: &serde_json::Value, folder: &Path| -> serde_json::Value {
        let folder = folder.to_str().unwrap();
        let text = v.to_string().replace(folder, "台账").replace(".xlsx", ".xls");
        serde_json::from_str(&text).unwrap()
    };
    for key in ["units", "late", "pending", "monthly", "problems"] {
        assert_eq!(same(&doc[key], &dir), same(&twin[key], &root.join("2021")), "{key}");
    }
}
