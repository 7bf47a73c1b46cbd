//! What made a result: the tool's version, the git commit it was built from (see
//! build.rs), the rules digest and the calendar years. Printed by `hrgk --version`,
//! written to the 说明 sheet and to the JSON `tool` object.

use serde::Serialize;

use crate::rules::Rules;

/// The package version (Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit the binary was built from, when it was built in a git checkout
/// (`-dirty` when it had uncommitted changes).
pub fn commit() -> Option<&'static str> {
    option_env!("HRGK_COMMIT")
}

/// The build and the rules behind one run.
#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub version: &'static str,
    pub commit: Option<&'static str>,
    pub rules_digest: String,
    pub calendar_years: Vec<i32>,
}

impl ToolInfo {
    pub fn new(rules: &Rules) -> ToolInfo {
        ToolInfo {
            version: VERSION,
            commit: commit(),
            rules_digest: rules.digest.clone(),
            calendar_years: rules.calendar.years().collect(),
        }
    }

    /// `hrgk 0.1.0（提交 abcdef123456）`
    pub fn version_line(&self) -> String {
        match self.commit {
            Some(c) => format!("hrgk {}（提交 {c}）", self.version),
            None => format!("hrgk {}（提交未知）", self.version),
        }
    }

    /// `2019–2026`; gaps are listed (`2019–2021、2023`).
    pub fn years_text(&self) -> String {
        years_text(&self.calendar_years)
    }

    /// The text of `hrgk --version`, after the program name.
    pub fn long_version(&self) -> String {
        let commit = self.commit.unwrap_or("未知（不是在 git 仓库中构建的）");
        format!(
            "{}\n提交：{commit}\n规则摘要（SHA-256）：{}\n日历：{}",
            self.version,
            self.rules_digest,
            self.years_text()
        )
    }
}

/// Sorted years as ranges: `2019–2026`, `2019–2021、2023`, `无` when empty.
pub fn years_text(years: &[i32]) -> String {
    let mut years = years.to_vec();
    years.sort_unstable();
    years.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(if j == i {
            years[i].to_string()
        } else {
            format!("{}–{}", years[i], years[j])
        });
        i = j + 1;
    }
    if parts.is_empty() {
        "无".to_string()
    } else {
        parts.join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_as_ranges() {
        assert_eq!(years_text(&[2019, 2020, 2021]), "2019–2021");
        assert_eq!(
            years_text(&[2023, 2019, 2020, 2021, 2025, 2026]),
            "2019–2021、2023、2025–2026"
        );
        assert_eq!(years_text(&[2024]), "2024");
        assert_eq!(years_text(&[]), "无");
    }

    #[test]
    fn embedded_rules_name_their_years() {
        let rules = Rules::embedded().expect("embedded rules");
        let info = ToolInfo::new(&rules);
        let files: Vec<i32> = crate::rules::embedded_files()
            .iter()
            .filter_map(|f| f.path.strip_prefix("calendar/")?.strip_suffix(".toml")?.parse().ok())
            .collect();
        assert!(files.len() > 1);
        assert_eq!(info.calendar_years, files);
        let range = format!("{}–{}", files[0], files[files.len() - 1]);
        assert_eq!(info.years_text(), range);
        assert_eq!(info.rules_digest.len(), 64);
        let v = info.long_version();
        assert!(v.starts_with(VERSION), "{v}");
        assert!(v.contains(&format!("日历：{range}")), "{v}");
        assert!(v.contains(&rules.digest), "{v}");
    }
}
