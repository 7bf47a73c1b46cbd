//! Messages about broken inputs and unwritable outputs (issue 14): on stderr, a Chinese
//! sentence first saying what is wrong and what to do, a library's words only as a
//! trailing "（详细信息：…）".

use std::time::Duration;

use crate::common::*;
use crate::zoo::rewrite_member;

const CLEAN: &str = "信息名称,形成日期,公开日期\n通知,2021-03-01,2021-03-02\n";

/// The real .xls (BIFF8) committed for the tests.
fn xls_bytes() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/章华镇台账.xls")).unwrap()
}

/// A small real xlsx with one ledger sheet.
fn xlsx_bytes() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("主动公开台账").unwrap();
    for (c, h) in ["信息名称", "形成日期", "公开日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "通知").unwrap();
    ws.write_string(1, 1, "2021-03-01").unwrap();
    ws.write_string(1, 2, "2021-03-02").unwrap();
    wb.save_to_buffer().unwrap()
}

/// What stderr says about `name`: the text after "无法读取 <folder/>name：" up to the
/// line end.
fn said_about<'a>(err: &'a str, name: &str) -> &'a str {
    let lead = format!("{name}：");
    let line = err
        .lines()
        .find(|l| l.starts_with("错误：无法读取 ") && l.contains(&lead))
        .unwrap_or_else(|| panic!("no line about {name} in: {err}"));
    &line[line.find(&lead).unwrap() + lead.len()..]
}

/// A message is a Chinese sentence first: it starts with a Han character, and no
/// library's words come before the trailing "（详细信息：".
fn assert_chinese_first(msg: &str) {
    let first = msg.chars().next().unwrap_or(' ');
    assert!(
        ('\u{4e00}'..='\u{9fff}').contains(&first),
        "starts with {first:?}: {msg}"
    );
    let head = msg.split("（详细信息：").next().unwrap();
    for english in [
        "error",
        "Error",
        "EOCD",
        "Cfb",
        "Zip",
        "not found",
        "Worksheet",
        "EOF",
        "os error",
        "Sector",
        "stream",
    ] {
        assert!(!head.contains(english), "“{english}” before the detail: {msg}");
    }
}

#[test]
fn check_prints_unreadable_files_on_stderr_and_keeps_stdout_a_report() {
    let d = tmp();
    std::fs::write(d.path().join("章华镇.csv"), CLEAN).unwrap();
    let x = xlsx_bytes();
    std::fs::write(d.path().join("坏.xlsx"), &x[..x.len() / 2]).unwrap();
    let (code, out, err) = run(d.path(), &["check", "."]);
    assert_eq!(code, 2, "{out}{err}");
    let msg = said_about(&err, "坏.xlsx");
    assert!(err.starts_with("错误："), "{err}");
    assert!(msg.starts_with("文件不完整（可能下载或复制未完成）"), "{msg}");
    // stdout still lists every file, without the reason.
    assert!(out.contains("坏.xlsx") && out.contains("无法读取"), "{out}");
    assert!(!out.contains("文件不完整"), "{out}");
    assert!(out.contains("无法读取的文件 1 个"), "{out}");
    // JSON keeps the reason in the document and prints nothing else.
    let (code, out, err) = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(err.is_empty(), "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let bad = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("坏.xlsx"))
        .unwrap();
    assert!(bad["error"].as_str().unwrap().starts_with("文件不完整"), "{bad}");
}

#[test]
fn broken_files_are_named_in_chinese_before_any_library_words() {
    let d = tmp();
    let x = xlsx_bytes();
    let xls = xls_bytes();
    // Cut short, as an interrupted download leaves it.
    std::fs::write(d.path().join("截断.xlsx"), &x[..x.len() - 30]).unwrap();
    // A sheet listed in the workbook whose part is missing.
    let no_sheet = {
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(&x)).unwrap();
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zout = zip::ZipWriter::new(&mut out);
        for i in 0..zin.len() {
            let mut e = zin.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            if name == "xl/worksheets/sheet1.xml" {
                continue;
            }
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut data).unwrap();
            zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut zout, &data).unwrap();
        }
        zout.finish().unwrap();
        out.into_inner()
    };
    std::fs::write(d.path().join("缺工作表.xlsx"), no_sheet).unwrap();
    // A zip that is no workbook.
    let not_book = {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zout = zip::ZipWriter::new(&mut out);
        zout.start_file("说明.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zout, "你好".as_bytes()).unwrap();
        zout.finish().unwrap();
        out.into_inner()
    };
    std::fs::write(d.path().join("压缩包.xlsx"), not_book).unwrap();
    // Its list of sheets lost: no sheet at all, not a file without a ledger.
    let no_list = {
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(&x)).unwrap();
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zout = zip::ZipWriter::new(&mut out);
        for i in 0..zin.len() {
            let mut e = zin.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            if name == "xl/workbook.xml" {
                continue;
            }
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut data).unwrap();
            zout.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut zout, &data).unwrap();
        }
        zout.finish().unwrap();
        out.into_inner()
    };
    std::fs::write(d.path().join("缺目录.xlsx"), no_list).unwrap();
    // .xls cut short, and .xls with damaged records.
    std::fs::write(d.path().join("截断.xls"), &xls[..xls.len() / 3]).unwrap();
    let mut flipped = xls.clone();
    for i in (2000..flipped.len()).step_by(97) {
        flipped[i] ^= 0xFF;
    }
    std::fs::write(d.path().join("损坏.xls"), flipped).unwrap();

    let (code, _, err) = run(d.path(), &["check", "."]);
    assert_eq!(code, 2, "{err}");
    let cut = said_about(&err, "截断.xlsx");
    assert!(cut.starts_with("文件不完整（可能下载或复制未完成）"), "{cut}");
    assert!(cut.contains("请重新下载或复制原文件"), "{cut}");
    assert!(
        cut.contains("（详细信息："),
        "the library's words are kept as a detail: {cut}"
    );
    let sheet = said_about(&err, "缺工作表.xlsx");
    assert!(
        sheet.starts_with("文件已损坏：工作簿中登记的工作表“主动公开台账”找不到内容"),
        "{sheet}"
    );
    assert!(
        said_about(&err, "压缩包.xlsx").starts_with("文件已损坏或不是工作簿"),
        "{err}"
    );
    assert!(
        said_about(&err, "缺目录.xlsx").starts_with("文件已损坏：工作簿中找不到任何工作表"),
        "{err}"
    );
    for name in [
        "截断.xlsx",
        "缺工作表.xlsx",
        "压缩包.xlsx",
        "缺目录.xlsx",
        "截断.xls",
        "损坏.xls",
    ] {
        let msg = said_about(&err, name);
        assert_chinese_first(msg);
        assert!(msg.contains("另存为 .xlsx"), "says what to do: {msg}");
    }

    // score (no --keep-going) lists the same sentences and writes nothing.
    let (code, _, err) = run(d.path(), &["score", ".", "--year", "2021"]);
    assert_eq!(code, 2);
    for line in err.lines().filter(|l| l.contains(".xls")) {
        let msg = &line[line.find("：").unwrap() + "：".len()..];
        assert_chinese_first(msg);
    }
    assert!(!d.path().join("考核结果-2021.xlsx").exists());
}

/// A folder this process cannot write into: a 0555 folder, or (as root, who may write
/// anywhere) a read-only system folder. None when there is none here.
#[cfg(unix)]
fn unwritable_dir(d: &std::path::Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let writable = |p: &std::path::Path| {
        let probe = p.join(".hrgk-probe");
        let ok = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(&probe);
        ok
    };
    let ro = d.join("只读");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if !writable(&ro) {
        return Some(ro);
    }
    ["/sys", "/proc/self"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.is_dir() && !writable(p))
}

#[cfg(unix)]
#[test]
fn a_read_only_current_folder_names_the_folder_and_file_and_suggests_o() {
    let d = tmp();
    let input = d.path().join("章华镇.csv");
    std::fs::write(&input, CLEAN).unwrap();
    let Some(ro) = unwritable_dir(d.path()) else {
        println!("skipped: no folder here refuses writing (running as root without a read-only mount)");
        return;
    };
    let out = hrgk()
        .current_dir(&ro)
        .args(["score", input.to_str().unwrap(), "--year", "2021"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let abs = std::fs::canonicalize(&ro).unwrap();
    assert!(
        err.starts_with(&format!(
            "错误：无法在文件夹 {} 中写入 考核结果-2021.xlsx：",
            abs.display()
        )),
        "{err}"
    );
    assert!(err.contains("-o"), "{err}");
    assert_chinese_first(err.trim_start_matches("错误："));
}

#[test]
fn an_output_under_a_file_names_the_folder_and_suggests_o() {
    let d = tmp();
    std::fs::write(d.path().join("章华镇.csv"), CLEAN).unwrap();
    std::fs::write(d.path().join("结果"), "我是文件").unwrap();
    let (code, _, err) = run(d.path(), &["check", "章华镇.csv", "-o", "结果/问题清单.xlsx"]);
    assert_eq!(code, 2, "{err}");
    let abs = std::fs::canonicalize(d.path()).unwrap().join("结果");
    assert!(
        err.starts_with(&format!(
            "错误：无法创建文件夹 {}，问题清单.xlsx 未能写入：",
            abs.display()
        )),
        "{err}"
    );
    assert!(err.contains("不是文件夹") && err.contains("-o"), "{err}");
    assert_chinese_first(err.trim_start_matches("错误："));
}

#[test]
fn an_output_that_is_a_folder_asks_for_a_file_name() {
    let d = tmp();
    std::fs::write(d.path().join("章华镇.csv"), CLEAN).unwrap();
    std::fs::create_dir(d.path().join("结果")).unwrap();
    let (code, _, err) = run(
        d.path(),
        &["score", "章华镇.csv", "--year", "2021", "-o", "结果", "--force"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("错误：输出位置 结果 是一个文件夹，不是文件：请写上文件名"),
        "{err}"
    );
    assert!(d.path().join("结果").is_dir());
}

#[cfg(unix)]
#[test]
fn an_output_that_is_no_plain_file_is_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let d = tmp();
    std::fs::write(d.path().join("章华镇.csv"), CLEAN).unwrap();
    // A socket file stands for a device or pipe (which a test cannot safely create).
    let _socket = std::os::unix::net::UnixListener::bind(d.path().join("套接字")).unwrap();
    let (code, _, err) = run(
        d.path(),
        &["score", "章华镇.csv", "--year", "2021", "-o", "套接字", "--force"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("错误：输出位置 套接字 不是普通文件"), "{err}");
    let kind = std::fs::symlink_metadata(d.path().join("套接字")).unwrap().file_type();
    assert!(kind.is_socket(), "replaced by a {kind:?}");
}

/// Sets the uncompressed size of `member` in its local header and in the central
/// directory: a header that lies about what the member inflates to.
fn declare_size(zip: &mut [u8], member: &str, size: u32) {
    let name = member.as_bytes();
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        if zip[i..].starts_with(b"PK\x03\x04") && zip[i + 30..].starts_with(name) && u16_at(zip, i + 26) == name.len() {
            zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
        if zip[i..].starts_with(b"PK\x01\x02") && zip[i + 46..].starts_with(name) && u16_at(zip, i + 28) == name.len() {
            zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local header and central directory");
}

#[test]
fn a_member_inflating_past_its_declared_size_is_stopped_and_named() {
    let d = tmp();
    // Shared strings padded to 64 MB of blanks (about 64 KB packed), declared as 2 KB:
    // the declared sizes pass the guard, so only what is really inflated can stop it.
    let bytes = rewrite_member(&xlsx_bytes(), "xl/sharedStrings.xml", |x| {
        x.replacen("<sst", &format!("{}<sst", " ".repeat(64 << 20)), 1)
    });
    let mut bytes = bytes;
    declare_size(&mut bytes, "xl/sharedStrings.xml", 2048);
    assert!(bytes.len() < 1_000_000, "{}", bytes.len());
    std::fs::write(d.path().join("谎报.xlsx"), &bytes).unwrap();
    let out = hrgk()
        .current_dir(d.path())
        .args(["check", "谎报.xlsx"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let msg = said_about(&err, "谎报.xlsx");
    assert!(
        msg.contains("xl/sharedStrings.xml") && msg.contains("超过了文件自己登记的大小（2048 字节）"),
        "{msg}"
    );
    assert_chinese_first(msg);
}

#[test]
fn a_reader_panic_on_a_damaged_xls_prints_no_library_words() {
    let d = tmp();
    // One bit set in a record of the committed .xls makes calamine index past a slice:
    // caught, and said as a damaged file without the panic's English and backtrace.
    let mut xls = xls_bytes();
    xls[22692] = 0x20;
    std::fs::write(d.path().join("坏记录.xls"), &xls).unwrap();
    let (code, _, err) = run(d.path(), &["check", "坏记录.xls"]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("panicked") && !err.contains("out of range"), "{err}");
    let msg = said_about(&err, "坏记录.xls");
    assert!(msg.starts_with("文件已损坏"), "{msg}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// A binary file named .csv (a picture saved under the ledger's name) is not read as
/// garbled text ("未找到表头" with junk column names): it is named as not a spreadsheet.
#[test]
fn binary_named_csv_is_not_a_spreadsheet() {
    let d = tempfile::tempdir().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    png.extend((0u32..4000).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8));
    std::fs::write(d.path().join("章华镇台账.csv"), &png).unwrap();
    let (code, _, err) = run(d.path(), &["score", "章华镇台账.csv", "--year", "2021"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("章华镇台账.csv") && err.contains("不是电子表格文件（扩展名为 .csv"),
        "{err}"
    );
    assert!(!err.contains("未找到表头"), "{err}");
    // A clean CSV beside it is still read.
    std::fs::write(d.path().join("好.csv"), CLEAN).unwrap();
    let (_, out, err) = run(d.path(), &["check", "好.csv"]);
    assert!(out.contains("读取 1 行"), "{out}{err}");
}
