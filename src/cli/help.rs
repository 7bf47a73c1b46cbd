//! `--help` wrapped for Chinese text.
//!
//! clap wraps help only at ASCII spaces, so a Chinese sentence (no spaces) runs past a
//! narrow terminal. clap renders the help unwrapped (`term_width(0)`), and this module
//! wraps it: between any two Han characters (not before closing punctuation, not after
//! opening punctuation), never inside an ASCII word such as `--out-dir`, and with the
//! continuation lines indented under the description column.

use crate::text;

/// Closing punctuation: never starts a line.
const NO_START: &str = "，。、；：！？）》」』”’】…,.;:!?)]";
/// Opening punctuation: never ends a line.
const NO_END: &str = "（《「『“‘【([";

/// The width help is wrapped to: `COLUMNS` when set, else the terminal's, else 100
/// (clap's own default).
pub fn width() -> usize {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return w.max(20);
    }
    let mut probe = comfy_table::Table::new();
    probe.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    probe.width().map_or(100, |w| usize::from(w).max(20))
}

/// Wraps every line of `help` longer than `width` display columns.
pub fn wrap(help: &str, width: usize) -> String {
    let mut out = String::with_capacity(help.len() + help.len() / 8);
    for line in help.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if text::width(body) <= width {
            out.push_str(line);
            continue;
        }
        wrap_line(body, width, &mut out);
        out.push_str(newline);
    }
    out
}

/// The column continuation lines start at: the description's, when the line is an
/// entry ("  --year <年份>  考核年度…"), else the line's own indentation.
fn hanging_indent(line: &str, width: usize) -> usize {
    let lead = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[lead..];
    let entry = rest.starts_with('-') || rest.starts_with('<') || rest.starts_with('[');
    let desc = rest.find("  ").and_then(|gap| {
        let after = &rest[gap..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        (!after.trim().is_empty()).then(|| text::width(&line[..lead + gap + spaces]))
    });
    match desc {
        // A subcommand line ("  check  核对…") is an entry too.
        Some(d) if (entry || lead <= 2) && d + 20 <= width => d,
        _ => lead.min(width / 2),
    }
}

/// Pieces a line may be broken between: runs of spaces, ASCII words, single other chars.
fn pieces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i < start {
            continue; // inside a placeholder taken whole
        }
        // A placeholder such as `<年报表>...` is one piece.
        if c == '<' {
            if let Some(close) = s[i..].find('>') {
                let tail = &s[i + close + 1..];
                let rest = tail.find(|c: char| c == ' ' || !c.is_ascii()).unwrap_or(tail.len());
                let end = i + close + 1 + rest;
                if start < i {
                    out.push(&s[start..i]);
                }
                out.push(&s[i..end]);
                start = end;
                continue;
            }
        }
        let class = |c: char| {
            if c == ' ' {
                0
            } else if c.is_ascii() {
                1
            } else {
                2
            }
        };
        let k = class(c);
        let next = chars.peek().map(|&(_, n)| class(n));
        // Spaces and ASCII words stay together; everything else is a piece of its own.
        if k == 2 || next != Some(k) || chars.peek().is_some_and(|&(_, n)| n == '<') {
            let end = i + c.len_utf8();
            out.push(&s[start..end]);
            start = end;
        }
    }
    out
}

fn wrap_line(line: &str, width: usize, out: &mut String) {
    let pad = " ".repeat(hanging_indent(line, width));
    let starts_bad = |s: &str| s.chars().next().is_some_and(|c| NO_START.contains(c));
    let mut current = String::new();
    let mut used = 0usize;
    // Something other than indentation and carried punctuation is on the current line.
    let mut has_content = false;
    // Where the last piece on the current line starts (closing punctuation takes it along).
    let mut last_start = 0usize;
    for p in pieces(line) {
        let blank = p.starts_with(' ');
        if blank && !has_content && !current.is_empty() {
            continue; // no spaces at the start of a continuation line
        }
        let w = text::width(p);
        if used + w > width && has_content && !blank {
            // Closing punctuation takes the character before it along; opening
            // punctuation goes with what follows it.
            let mut carry = String::new();
            if starts_bad(p) && !current[last_start..].starts_with(' ') && last_start > pad.len() {
                carry.push_str(&current[last_start..]);
                current.truncate(last_start);
            }
            while let Some(last) = current.chars().last().filter(|c| NO_END.contains(*c)) {
                current.truncate(current.len() - last.len_utf8());
                carry.insert(0, last);
                last_start = last_start.min(current.len());
            }
            out.push_str(current.trim_end());
            out.push('\n');
            current = format!("{pad}{carry}");
            used = text::width(&current);
            has_content = false;
        }
        if !blank {
            last_start = current.len();
        }
        current.push_str(p);
        used += w;
        has_content |= !blank;
    }
    out.push_str(current.trim_end());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widest(s: &str) -> usize {
        s.lines().map(text::width).max().unwrap_or(0)
    }

    #[test]
    fn chinese_descriptions_wrap_under_their_column() {
        let line = "      --year <年份>  考核年度（默认：截止日期所在的年份；未给截止日期时为多数公开日期所在的年份）";
        let got = wrap(line, 60);
        assert!(widest(&got) <= 60, "{got}");
        let lines: Vec<&str> = got.lines().collect();
        assert!(lines.len() >= 2, "{got}");
        let col = text::width("      --year <年份>  ");
        for l in &lines[1..] {
            assert_eq!(text::width(l) - text::width(l.trim_start()), col, "{got}");
        }
        // Nothing lost or added but the line breaks and the indentation.
        let joined: String = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join("");
        assert_eq!(joined, line.trim());
    }

    #[test]
    fn ascii_words_and_punctuation_stay_whole() {
        let line = "  check  核对各单位填写的年报表三、表四与台账是否一致，并检查勾稽关系（有不一致时退出码为 1，可用 --format json 输出）";
        for w in [40, 50, 60, 80] {
            let got = wrap(line, w);
            assert!(widest(&got) <= w, "{w}: {got}");
            assert!(got.contains("--format"), "{got}");
            for l in got.lines() {
                let t = l.trim_start();
                assert!(!t.starts_with(|c| NO_START.contains(c)), "{w}: {got}");
                assert!(!t.ends_with(|c| NO_END.contains(c)), "{w}: {got}");
            }
        }
    }

    #[test]
    fn placeholders_are_not_broken() {
        let line = "       hrgk annual check [选项] --year <年份> <台账> <年报表>...";
        let got = wrap(line, 60);
        assert!(got.contains("<年报表>..."), "{got}");
        assert!(widest(&got) <= 60, "{got}");
    }

    #[test]
    fn closing_punctuation_takes_the_word_before_it_along() {
        let line = "      --checkpoints <日期>      政务新媒体监测时间点，逗号分隔（如 2021-03-15,2021-06-30）";
        let got = wrap(line, 60);
        assert!(got.contains("2021-03-15,2021-06-30）"), "{got}");
        assert!(widest(&got) <= 60, "{got}");
    }

    #[test]
    fn short_lines_are_untouched() {
        let help = "用法：hrgk score [选项] <输入>...\n\n选项:\n  -o <文件>  输出\n";
        assert_eq!(wrap(help, 60), help);
    }
}
