//! `docs/ledgers.md`, generated from the ledger definitions (`hrgk rules docs`), so the
//! page can never drift from `rules/ledgers.toml`; a test compares the committed file.

use crate::rules::LedgerSet;

/// The column reference of every ledger, as Markdown.
pub fn ledgers_markdown(l: &LedgerSet) -> String {
    let mut out = String::from(
        "# 台账列名对照\n\n\
         本页由 `hrgk rules docs` 从 rules/ledgers.toml 生成，请勿手改（改规则后重新生成）。\
         表头去掉空白、全角转半角、去掉末尾的 * 或括号说明后，与下表的标准名或“也认”中的任一名称相同即可识别。\n",
    );
    for d in &l.ledgers {
        let kind = serde_json::to_value(d.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!("\n### {}（{kind}）\n", d.name));
        let feeds = if d.feeds.is_empty() {
            "不直接计分".to_string()
        } else {
            d.feeds.join("、")
        };
        out.push_str(&format!(
            "计分：{feeds}。工作表/文件名关键字：{}",
            d.keywords.join("、")
        ));
        if d.named_only {
            out.push_str("（只按工作表名或文件名识别）");
        }
        out.push('\n');
        if !d.description.is_empty() {
            out.push_str(&format!("\n{}\n", d.description));
        }
        out.push_str("\n| 列（标准名） | 也认 | 必填 | 可填的值 |\n|---|---|---|---|\n");
        for f in &d.fields {
            let values: Vec<&str> = f.values.iter().filter_map(|v| v.first().map(String::as_str)).collect();
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                f.header,
                f.synonyms.join("、"),
                if f.required { "是" } else { "" },
                values.join("、")
            ));
        }
    }
    out
}
