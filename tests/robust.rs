//! No input makes the tool panic: garbage, truncated and odd files are clear errors or
//! problems; a stray cell far out does not blow up memory.

use rust_xlsxwriter::Workbook;

use crate::common::*;

fn assert_no_panic(err: &str) {
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn garbage_files_are_errors_not_panics() {
    let d = tmp();
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "信息名称").unwrap();
    let good = wb.save_to_buffer().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.xlsx", vec![]),
        ("zip.xlsx", b"PK\x03\x04\x00\x00garbage".to_vec()),
        ("truncated.xlsx", good[..good.len() / 2].to_vec()),
        ("ole.xls", vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3]),
        ("binary.csv", (0..=255u8).cycle().take(4096).collect()),
        ("quote.csv", b"\"a,b\n\"c".to_vec()),
        ("text.ods", b"hello".to_vec()),
    ];
    for (name, bytes) in &cases {
        std::fs::write(d.path().join(name), bytes).unwrap();
        let (code, _, err) = run(d.path(), &["score", name, "--year", "2021", "--format", "json"]);
        assert_no_panic(&err);
        assert!(code == 0 || code == 2, "{name}: {code} {err}");
        let (code, _, err) = run(d.path(), &["check", name]);
        assert_no_panic(&err);
        assert!((0..=2).contains(&code), "{name}");
    }
    let (code, _, err) = run(
        d.path(),
        &["score", ".", "--year", "2021", "--keep-going", "--format", "json"],
    );
    assert_no_panic(&err);
    // None of them holds a ledger: no result (issue 8: "no ledger, no result").
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("没有找到任何台账"), "{err}");
}

#[test]
fn a_stray_cell_far_out_is_cheap() {
    let d = tmp();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["信息名称", "形成日期", "公开日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "通知").unwrap();
    ws.write_string(1, 1, "2021-03-01").unwrap();
    ws.write_string(1, 2, "2021-03-02").unwrap();
    ws.write_string(199_999, 199, "x").unwrap();
    wb.save(d.path().join("章华镇.xlsx")).unwrap();
    let doc = run_json(
        d.path(),
        &["score", "章华镇.xlsx", "--as-of", "2021-03-31", "--format", "json"],
    );
    assert_eq!(doc["monthly"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_arguments_are_chinese_errors_with_exit_2() {
    let d = tmp();
    for args in [
        vec!["score"],
        vec!["nosuch"],
        vec!["score", "x.xlsx", "--as-of", "明天"],
        vec!["workdays", "add", "2021-01-01", "-3"],
    ] {
        let (code, _, err) = run(d.path(), &args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("错误"), "{args:?}: {err}");
    }
    let (code, out, _) = run(d.path(), &["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("用法") && out.contains("命令"), "{out}");
    let (_, out, _) = run(d.path(), &["score", "--help"]);
    assert!(out.contains("截止日期") && !out.contains("Usage"), "{out}");
}

/// `--help` fits a 60- and a 100-column terminal although Chinese has no spaces to
/// break at (clap alone wraps only at spaces), and the text is all still there.
#[test]
fn help_fits_narrow_terminals() {
    let d = tempfile::tempdir().unwrap();
    let commands: &[&[&str]] = &[
        &["--help"],
        &["score", "--help"],
        &["annual", "--help"],
        &["annual", "check", "--help"],
        &["due", "--help"],
        &["workdays", "add", "--help"],
    ];
    for args in commands {
        let mut wide = String::new();
        // The widest first: the other widths must hold the same text, only broken.
        for cols in ["1000", "60", "100"] {
            let out = hrgk()
                .current_dir(d.path())
                .env("COLUMNS", cols)
                .args(*args)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let limit: usize = cols.parse().unwrap();
            for line in text.lines() {
                let w = unicode_width::UnicodeWidthStr::width(line);
                assert!(w <= limit, "{args:?} at {cols} columns: {w}: {line}");
            }
            let squeezed: String = text.split_whitespace().collect();
            if cols == "1000" {
                wide = squeezed;
            } else {
                assert_eq!(squeezed, wide, "{args:?} at {cols} columns");
            }
        }
    }
}
