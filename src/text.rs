//! Text normalisation shared by every matcher: trimming, full-width folding,
//! whitespace and punctuation removal.

/// Whitespace as clerks type it: ASCII, full-width (U+3000), no-break and zero-width.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}' | '\u{feff}')
}

/// Trims ASCII and full-width spaces from both ends.
pub fn clean(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// The one empty shared text: blank fields of records hold it rather than each
/// allocating their own.
pub fn empty_shared() -> std::sync::Arc<str> {
    static EMPTY: std::sync::LazyLock<std::sync::Arc<str>> = std::sync::LazyLock::new(|| std::sync::Arc::from(""));
    EMPTY.clone()
}

/// Shared text, the one empty text when empty.
pub fn shared(t: &str) -> std::sync::Arc<str> {
    if t.is_empty() {
        empty_shared()
    } else {
        std::sync::Arc::from(t)
    }
}

/// Maps one full-width form to its half-width form.
fn half_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Full-width to half-width, whitespace kept (full-width space becomes a space).
pub fn half(s: &str) -> String {
    s.chars().map(half_width).collect()
}

/// Full-width to half-width, all whitespace removed: the form headers and names are
/// compared in.
pub fn fold(s: &str) -> String {
    fold_chars(s).collect()
}

/// The characters of `fold(s)`, without building the string.
pub fn fold_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|c| !is_space(*c)).map(half_width)
}

/// `fold(s) == folded`, without allocating.
pub fn fold_eq(s: &str, folded: &str) -> bool {
    fold_chars(s).eq(folded.chars())
}

/// `fold(s).starts_with(folded)`, without allocating.
pub fn fold_starts_with(s: &str, folded: &str) -> bool {
    let mut it = fold_chars(s);
    folded.chars().all(|c| it.next() == Some(c))
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '，'
                | '。'
                | '；'
                | '：'
                | '？'
                | '！'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '（'
                | '）'
                | '《'
                | '》'
                | '【'
                | '】'
                | '〔'
                | '〕'
                | '—'
                | '…'
                | '·'
                | '「'
                | '」'
                | '『'
                | '』'
                | '〈'
                | '〉'
                | '－'
                | '～'
                | '・'
        )
}

/// `fold`, then every punctuation mark removed: the form 栏目 texts are matched in.
pub fn fold_punct(s: &str) -> String {
    s.chars()
        .filter(|c| !is_space(*c))
        .map(half_width)
        .filter(|c| !is_punct(*c))
        .collect()
}

/// Display width of text in a terminal or spreadsheet column (Han characters count 2).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Excel column letters of a 0-based column index (0 → A, 26 → AA).
pub fn column_letter(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Splits a cell holding several values (别名, 公开方式) on 、，,;；/ and whitespace.
pub fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| matches!(c, '、' | '，' | ',' | ';' | '；' | '/' | '／') || is_space(c))
        .map(clean)
        .filter(|p| !p.is_empty())
}

/// Levenshtein distance over characters, for "did you mean" suggestions.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Up to `n` candidates closest to `target` (by folded edit distance, then by
/// containment), for error messages.
pub fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let t = fold_punct(target);
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| {
            let f = fold_punct(c);
            let d = if !t.is_empty() && (f.contains(&t) || t.contains(&f)) {
                0
            } else {
                distance(&t, &f)
            };
            (d, c)
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_full_width_spaces() {
        assert_eq!(clean("\u{3000} 卫健局 \u{3000}"), "卫健局");
        assert_eq!(clean("   "), "");
    }

    #[test]
    fn blank_shared_text_is_the_one_empty_text() {
        use std::sync::Arc;
        assert!(Arc::ptr_eq(&shared(""), &empty_shared()));
        assert_eq!(&*shared("卫健局"), "卫健局");
    }

    #[test]
    fn folds_wrapped_and_full_width_headers() {
        assert_eq!(fold("公开\n日期"), "公开日期");
        assert_eq!(fold("公开日期（ＹＹＹＹ）"), "公开日期(YYYY)");
        assert_eq!(fold("２０２１"), "2021");
    }

    #[test]
    fn fold_comparisons_match_fold() {
        for (s, w) in [
            ("填报人：张三", "填报人"),
            ("　填 报人", "填报人"),
            ("合计", "合计"),
            ("合", "合计"),
            ("", ""),
            ("ＴＯＴＡＬ 12", "TOTAL"),
            ("是", "是"),
            (" 是 ", "是"),
            ("是否", "是"),
        ] {
            assert_eq!(fold_eq(s, w), fold(s) == w, "{s} = {w}");
            assert_eq!(fold_starts_with(s, w), fold(s).starts_with(w), "{s} starts {w}");
        }
        assert!(fold_starts_with("　填 报人：", "填报人"));
        assert!(!fold_starts_with("合", "合计"));
        assert!(fold_eq(" 是 ", "是"));
        assert!(!fold_eq("是否", "是"));
    }

    #[test]
    fn fold_punct_removes_cjk_and_ascii_punctuation() {
        assert_eq!(
            fold_punct("招投标、政府采购（公共资源交易）"),
            "招投标政府采购公共资源交易"
        );
        assert_eq!(fold_punct("就业 / 养老"), "就业养老");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn splits_lists() {
        let v: Vec<&str> = split_list("政府网站、微信公众号；公告栏").collect();
        assert_eq!(v, ["政府网站", "微信公众号", "公告栏"]);
    }

    #[test]
    fn closest_prefers_containment_then_distance() {
        let c = closest("卫健", ["华容县卫生健康局", "卫健局", "教体局"].into_iter(), 2);
        assert_eq!(c[0], "卫健局");
    }
}
