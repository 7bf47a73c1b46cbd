//! `--rules` folders with faults: every one is a rules error (exit 2) naming the file and
//! the key, never a panic and never a silent change of scores.

use crate::common::*;
use std::path::Path;

/// Exports the embedded rules into `dir/rules`, applies `edit` to one file, returns the folder.
pub fn rules_with(dir: &Path, file: &str, edit: impl Fn(&str) -> String) -> std::path::PathBuf {
    let r = dir.join("rules");
    let (code, _, err) = run(dir, &["rules", "export", "rules"]);
    assert_eq!(code, 0, "{err}");
    let p = r.join(file);
    let text = std::fs::read_to_string(&p).expect("exported");
    std::fs::write(&p, edit(&text)).expect("written");
    r
}

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2021")
}

#[test]
fn a_renamed_wiring_key_is_a_rules_error_naming_the_key() {
    let d = tmp();
    let r = rules_with(d.path(), "rubric.toml", |t| {
        t.replace("publication_late = \"C3.3\"", "publication_lte = \"C3.3\"")
    });
    let (code, out, err) = run(
        d.path(),
        &[
            "score",
            samples().to_str().unwrap(),
            "--rules",
            r.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("rubric.toml") && err.contains("publication_lte"), "{err}");
    assert!(err.contains("不认识的键"), "{err}");
    assert!(out.is_empty(), "nothing scored: {out}");
}

#[test]
fn a_wiring_to_an_unknown_standard_names_the_valid_ids() {
    let d = tmp();
    let r = rules_with(d.path(), "rubric.toml", |t| {
        t.replace("meeting_late = \"A3.1\"", "meeting_late = \"A3.9\"")
    });
    let (code, _, err) = run(d.path(), &["rules", "show", "--rules", r.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("meeting_late") && err.contains("A3.9") && err.contains("A3.1、A3.2"),
        "{err}"
    );
    // A missing key is named too.
    let d = tmp();
    let r = rules_with(d.path(), "rubric.toml", |t| {
        t.replace("inquiry_petition = \"E1.2\"\n", "")
    });
    let (code, _, err) = run(d.path(), &["rules", "show", "--rules", r.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("缺少键“inquiry_petition”"), "{err}");
}

/// Mutations of one rules file: (what, new text). Per distinct key: drop it, give it a
/// value of the wrong type, empty it when it is a list, and add an unknown key after it.
fn mutations(text: &str) -> Vec<(String, String, bool)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let with = |i: usize, replacement: Option<String>| -> String {
        let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        match replacement {
            Some(r) => v[i] = r,
            None => {
                v.remove(i);
            }
        }
        v.join("\n") + "\n"
    };
    for (i, line) in lines.iter().enumerate() {
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        let key = key.trim();
        let value = value.trim();
        let complete = !value.starts_with('[') || value.ends_with(']');
        if key.starts_with('#') || key.contains(' ') || value.contains('{') || !complete {
            continue;
        }
        if !seen.insert(key.to_string()) {
            continue;
        }
        // (what, text, must be refused)
        out.push((format!("drop {key}"), with(i, None), false));
        let wrong = if value == "true" || value == "false" {
            "\"x\""
        } else {
            "true"
        };
        out.push((
            format!("wrong type {key}"),
            with(i, Some(format!("{key} = {wrong}"))),
            true,
        ));
        if value.starts_with('[') && value != "[]" {
            out.push((format!("empty {key}"), with(i, Some(format!("{key} = []"))), false));
        }
        out.push((
            format!("unknown key after {key}"),
            with(i, Some(format!("{line}\nzz_unknown_key = 1"))),
            true,
        ));
    }
    out
}

/// Every mutation of every rules file is refused at load or runs through the whole
/// assessment of the samples: never a panic (the binary's exit 101).
#[test]
fn rules_mutations_are_refused_or_run_never_panic() {
    use hrgk::rules::{embedded_files, Rules};
    let d = tmp();
    let dir = d.path().join("rules");
    let files = [
        "rubric.toml",
        "checklist.toml",
        "units.toml",
        "ledgers.toml",
        "calendar/2021.toml",
    ];
    // One unit's ledger and every shared ledger: each reader and check runs.
    let inputs = [
        "华容县卫健局2021年主动公开台账.xlsx",
        "县教体局2021年度政府信息公开台账.xls",
        "财政局2021年主动公开台账.csv",
        "会议培训签到.xlsx",
        "年报与指南.xlsx",
        "意见征集.xlsx",
        "政务新媒体.xlsx",
        "检查记录.xlsx",
        "网上问政台账.xlsx",
    ];
    let req = hrgk::assess::Request {
        inputs: inputs.iter().map(|f| samples().join(f)).collect(),
        ..Default::default()
    };
    let (mut refused, mut ran) = (0, 0);
    for name in files {
        let original = embedded_files()
            .into_iter()
            .find(|f| f.path == name)
            .expect("embedded")
            .text;
        let muts = mutations(&original);
        assert!(muts.len() >= 8, "{name}: {} mutations", muts.len());
        for (what, text, must_refuse) in muts {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &text).unwrap();
            let outcome = std::panic::catch_unwind(|| match Rules::load(Some(&dir)) {
                Err(e) => Err(format!("{e:#}")),
                Ok(rules) => hrgk::assess::run(&rules, &req, None)
                    .map(|_| ())
                    .map_err(|e| format!("{e:#}")),
            });
            let loaded = Rules::load(Some(&dir)).is_ok();
            match outcome {
                Err(_) => panic!("{name}: {what} panicked"),
                Ok(Err(e)) => {
                    assert!(
                        e.contains(name.rsplit('/').next().unwrap()) || !loaded,
                        "{name}: {what}: {e}"
                    );
                    refused += 1;
                }
                Ok(Ok(())) => {
                    assert!(!must_refuse, "{name}: {what} was accepted");
                    ran += 1;
                }
            }
        }
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    eprintln!("rules mutations: refused {refused}, ran {ran}");
    assert!(refused > 100 && ran > 10, "refused {refused}, ran {ran}");
}

/// The binary: for each rules file, a dropped required key, an emptied list the code
/// needs, a value of the wrong type and an unknown key each exit 2 naming file and key.
#[test]
fn rules_faults_exit_2_naming_file_and_key() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("rubric.toml", "publish_workdays = 20\n", "", "publish_workdays"),
        (
            "rubric.toml",
            "newmedia_checkpoints = [\"month_end\"]",
            "newmedia_checkpoints = []",
            "newmedia_checkpoints",
        ),
        ("rubric.toml", "monthly_minimum = 5", "monthly_minimum = \"五\"", "第 "),
        (
            "rubric.toml",
            "publish_workdays = 20",
            "publish_workdays = 0",
            "publish_workdays",
        ),
        (
            "rubric.toml",
            "annual_report_submit_by = \"01-31\"",
            "annual_report_submit_by = \"13-45\"",
            "annual_report_submit_by",
        ),
        (
            "checklist.toml",
            "key_area_level1 =",
            "key_area_levell =",
            "key_area_levell",
        ),
        ("checklist.toml", "separators = [", "separators = [] #", "separators"),
        ("units.toml", "town_group = \"乡镇\"", "town_group = 1", "第 "),
        ("units.toml", "name = \"华容县人民政府办公室\"", "name = \"\"", "name"),
        (
            "units.toml",
            "town_suffixes = [\"镇\", \"乡\", \"街道\"]",
            "town_suffixes = []",
            "town_suffixes",
        ),
        (
            "ledgers.toml",
            "header_scan_rows =",
            "header_scan_row =",
            "header_scan_row",
        ),
        ("ledgers.toml", "yes_words = [", "yes_words = [] #", "yes_words"),
        ("calendar/2021.toml", "year = 2021", "year = 2021\nmonth = 1", "month"),
        (
            "calendar/2021.toml",
            "from = \"2021-01-01\"",
            "from = \"2021-13-01\"",
            "2021.toml",
        ),
    ];
    for (file, from, to, names) in cases {
        let d = tmp();
        let r = rules_with(d.path(), file, |t| {
            assert!(t.contains(from), "{file} has {from}");
            t.replacen(from, to, 1)
        });
        let input = samples().join("华容县卫健局2021年主动公开台账.xlsx");
        let (code, out, err) = run(
            d.path(),
            &["check", input.to_str().unwrap(), "--rules", r.to_str().unwrap()],
        );
        assert_eq!(code, 2, "{file}: {from} → {to}\n{out}\n{err}");
        let short = file.rsplit('/').next().unwrap();
        assert!(
            err.contains(short) && err.contains(names),
            "{file}: {from} → {to}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// docs/ledgers.md is what `hrgk rules docs` generates from the embedded rules.
#[test]
fn ledgers_doc_is_generated_from_the_rules() {
    let d = tmp();
    let (code, out, err) = run(d.path(), &["rules", "docs"]);
    assert_eq!(code, 0, "{err}");
    let committed = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ledgers.md"))
        .expect("docs/ledgers.md");
    assert!(
        out.contains("### 主动公开台账（publication）") && out.contains("| 公开日期 |"),
        "{out}"
    );
    assert!(
        committed == out,
        "docs/ledgers.md differs from the rules: run `hrgk rules docs -o docs/ledgers.md --force`"
    );
}
