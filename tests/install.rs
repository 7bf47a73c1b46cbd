//! What an installed `hrgk` carries: an honest --version (commit, rules digest,
//! calendar years, also in the 说明 sheet and the JSON `tool`), and completions and man
//! pages generated from the command definitions.

use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::{Path, PathBuf};

use crate::common::*;

/// Every top-level command, as `hrgk --help` lists them.
fn commands() -> Vec<String> {
    let (code, out, _) = run(Path::new("."), &["--help"]);
    assert_eq!(code, 0);
    let listed: Vec<String> = out
        .split("命令:")
        .nth(1)
        .unwrap_or("")
        .split("选项:")
        .next()
        .unwrap_or("")
        .lines()
        // Entries are indented two spaces; wrapped descriptions continue further in.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(listed.len() >= 9, "{out}");
    for c in ["score", "freq", "check", "workdays", "rules", "completions", "man"] {
        assert!(listed.iter().any(|l| l == c), "{c} in {listed:?}");
    }
    listed
}

/// The years of rules/calendar/*.toml, as the embedded rules have them.
fn calendar_years() -> Vec<i64> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/calendar");
    let mut years: Vec<i64> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str()?.parse().ok())
        .collect();
    years.sort();
    years
}

fn rules_digest() -> String {
    let (code, out, _) = run(Path::new("."), &["rules", "show"]);
    assert_eq!(code, 0);
    let first = out.lines().next().unwrap_or("");
    first.split('：').nth(1).unwrap_or("").trim().to_string()
}

#[test]
fn version_names_commit_rules_digest_and_calendar_years() {
    let digest = rules_digest();
    assert_eq!(digest.len(), 64, "{digest}");
    let years = calendar_years();
    assert_eq!(years[..2], [2019, 2020]);
    let (code, out, err) = run(Path::new("."), &["--version"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("hrgk {}", env!("CARGO_PKG_VERSION")), "{out}");
    // Built in a git checkout here: the commit is a hex prefix.
    let commit = lines[1].strip_prefix("提交：").unwrap_or_else(|| panic!("{out}"));
    let hex = commit.trim_end_matches("-dirty");
    assert!(hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit()), "{out}");
    assert_eq!(lines[2], format!("规则摘要（SHA-256）：{digest}"));
    let range = format!("{}–{}", years[0], years[years.len() - 1]);
    assert_eq!(lines[3], format!("日历：{range}"));
    let (code, short, _) = run(Path::new("."), &["-V"]);
    assert_eq!((code, short.as_str()), (0, out.as_str()));
}

#[test]
fn score_json_and_about_sheet_name_the_build() {
    let root = samples_dir();
    let d = tmp();
    let out = d.path().join("结果.xlsx");
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
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let tool = &doc["tool"];
    assert_eq!(tool["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(tool["rules_digest"], rules_digest().as_str());
    assert_eq!(tool["rules_digest"], doc["rules_digest"]);
    let years: Vec<i64> = tool["calendar_years"]
        .as_array()
        .unwrap_or_else(|| panic!("{tool}"))
        .iter()
        .filter_map(|y| y.as_i64())
        .collect();
    assert_eq!(years, calendar_years());
    let commit = tool["commit"].as_str().unwrap_or_else(|| panic!("{tool}"));

    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let range = wb.worksheet_range("说明").unwrap();
    let value = |key: &str| -> String {
        range
            .rows()
            .find(|r| r.first() == Some(&Data::String(key.into())))
            .and_then(|r| r.get(1))
            .map(|c| c.to_string())
            .unwrap_or_else(|| panic!("row {key}"))
    };
    assert_eq!(
        value("工具版本"),
        format!("hrgk {}（提交 {commit}）", env!("CARGO_PKG_VERSION"))
    );
    let y = calendar_years();
    assert_eq!(value("日历"), format!("{}–{}", y[0], y[y.len() - 1]));
}

fn script(dir: &Path, shell: &str) -> PathBuf {
    let (code, out, err) = run(dir, &["completions", shell]);
    assert_eq!(code, 0, "{err}");
    let p = dir.join(format!("hrgk.{shell}"));
    std::fs::write(&p, &out).unwrap();
    p
}

#[test]
fn bash_completion_completes_commands_and_options() {
    let d = tmp();
    let file = script(d.path(), "bash");
    // What bash does on `hrgk sc<TAB>` and on `hrgk score --as<TAB>`.
    let complete = |words: &str| -> String {
        let cmd = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); \
             _hrgk hrgk \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             echo \"${{COMPREPLY[@]}}\"",
            file.display()
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(cmd)
            .output()
            .expect("bash");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(complete("hrgk sc"), "score");
    assert_eq!(complete("hrgk score --as"), "--as-of");
    assert_eq!(complete("hrgk workdays a"), "add");
    let all = complete("hrgk ''");
    for c in commands() {
        assert!(all.split(' ').any(|w| w == c), "{c} in {all}");
    }
}

#[test]
fn zsh_and_fish_completions_name_every_command() {
    let d = tmp();
    let zsh = std::fs::read_to_string(script(d.path(), "zsh")).unwrap();
    let fish = std::fs::read_to_string(script(d.path(), "fish")).unwrap();
    assert!(zsh.starts_with("#compdef hrgk"), "{zsh}");
    for c in commands() {
        assert!(zsh.contains(&format!("'{c}:")), "zsh: {c}");
        assert!(fish.contains(&format!("-a \"{c}\"")), "fish: {c}");
    }
    let (code, _, err) = run(d.path(), &["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("tcsh"), "{err}");
}

#[test]
fn man_pages_cover_every_command() {
    let d = tmp();
    let (code, page, err) = run(d.path(), &["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains(".TH hrgk 1"), "{page}");
    assert!(page.contains(".SH NAME\nhrgk \\- "), "{page}");
    for c in commands() {
        assert!(page.contains(&format!("hrgk\\-{c}(1)")), "{c} in hrgk.1");
    }
    let dir = d.path().join("man");
    let (code, _, err) = run(d.path(), &["man", "--out-dir", "man"]);
    assert_eq!(code, 0, "{err}");
    let hrgk1 = std::fs::read_to_string(dir.join("hrgk.1")).unwrap();
    assert_eq!(hrgk1, page);
    for c in commands() {
        let sub = std::fs::read_to_string(dir.join(format!("hrgk-{c}.1"))).unwrap_or_else(|e| panic!("{c}: {e}"));
        assert!(sub.contains(&format!(".SH NAME\nhrgk\\-{c} \\- ")), "{sub}");
    }
    let score = std::fs::read_to_string(dir.join("hrgk-score.1")).unwrap();
    assert!(score.contains("\\-\\-as\\-of"), "{score}");
    assert!(dir.join("hrgk-workdays-add.1").is_file());
    // Existing pages are kept unless --force.
    let (code, _, err) = run(d.path(), &["man", "--out-dir", "man"]);
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
    let (code, _, _) = run(d.path(), &["man", "--out-dir", "man", "--force"]);
    assert_eq!(code, 0);
}
