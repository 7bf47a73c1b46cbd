//! The problem taxonomy: every kind of data problem hrgk reports, with its stable code
//! (the JSON `code` and the 问题代码 column), the level it is found at and a Chinese
//! title and fix. Modelled on frictionless's error classes. To add a kind: add a
//! variant and its line in `ProblemKind::ALL` and in each `match` (the compiler lists
//! the ones missing).

use serde::{Serialize, Serializer};

use super::units::UnitId;
use crate::rules::LedgerKind;

/// Where a problem of a kind is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The whole file (it could not be read).
    File,
    /// A sheet, or a name found above the header or in the file name.
    Sheet,
    /// A row as a whole (a duplicate, dates that do not agree with each other).
    Row,
    /// One cell.
    Cell,
}

/// A kind of data problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    FileUnreadable,
    UnitNotOnList,
    UnitMissing,
    TitleMissing,
    ValueMissing,
    ValueUnknown,
    DateMissing,
    DateUnreadable,
    DateOrder,
    PublishedBeforeFormed,
    AnsweredBeforeReceived,
    ConsultEndMissing,
    CalendarMissing,
    LimitUnreadable,
    NumberUnreadable,
    Duplicate,
    AccountUnitUnknown,
    FindingAmbiguous,
    FindingUnmatched,
    FindingNotApplicable,
    ReviewUnitUnknown,
    ReviewUnmatched,
    ReviewAmbiguous,
    ReviewTarget,
    ReviewPoints,
    /// A formula saved without its result (never opened in Excel/WPS).
    FormulaNoResult,
    /// A CSV quote opened and never closed.
    CsvQuote,
    /// The file's extension says one type, its content another (CSV named .xlsx).
    ExtensionMismatch,
    /// Two columns of a sheet with the name of one field (two 公开日期).
    DuplicateColumn,
    /// Text in a unit column that does not look like a unit's name (no --units list).
    UnitUnreadable,
    /// A cell's text longer than Excel's limit (32 767 characters), cut.
    TextTooLong,
    /// A ledger-shaped sheet missing one required column (kept going: not read).
    ColumnMissing,
    /// A date in a year far from the assessed one and without a calendar (a typo).
    DateImplausible,
    /// A 办理结果 the annual report's table 三 cannot place in one of its result rows (a
    /// bare group such as 不予公开, or a value the rules do not know).
    ResultUnclassified,
    /// A figure that cannot be negative (年报主动公开数据) written as one.
    NumberNegative,
    /// 年报主动公开数据: a 上年结转 total that is not the sum of the applicant columns.
    CarriedTotalMismatch,
}

impl ProblemKind {
    /// Every kind, in the order of this list.
    pub const ALL: &'static [ProblemKind] = &[
        ProblemKind::FileUnreadable,
        ProblemKind::UnitNotOnList,
        ProblemKind::UnitMissing,
        ProblemKind::TitleMissing,
        ProblemKind::ValueMissing,
        ProblemKind::ValueUnknown,
        ProblemKind::DateMissing,
        ProblemKind::DateUnreadable,
        ProblemKind::DateOrder,
        ProblemKind::PublishedBeforeFormed,
        ProblemKind::AnsweredBeforeReceived,
        ProblemKind::ConsultEndMissing,
        ProblemKind::CalendarMissing,
        ProblemKind::LimitUnreadable,
        ProblemKind::NumberUnreadable,
        ProblemKind::Duplicate,
        ProblemKind::AccountUnitUnknown,
        ProblemKind::FindingAmbiguous,
        ProblemKind::FindingUnmatched,
        ProblemKind::FindingNotApplicable,
        ProblemKind::ReviewUnitUnknown,
        ProblemKind::ReviewUnmatched,
        ProblemKind::ReviewAmbiguous,
        ProblemKind::ReviewTarget,
        ProblemKind::ReviewPoints,
        ProblemKind::FormulaNoResult,
        ProblemKind::CsvQuote,
        ProblemKind::ExtensionMismatch,
        ProblemKind::DuplicateColumn,
        ProblemKind::UnitUnreadable,
        ProblemKind::TextTooLong,
        ProblemKind::ColumnMissing,
        ProblemKind::DateImplausible,
        ProblemKind::ResultUnclassified,
        ProblemKind::NumberNegative,
        ProblemKind::CarriedTotalMismatch,
    ];

    /// The stable English code (JSON `code`, the 问题代码 column). Never change one.
    pub fn code(self) -> &'static str {
        use ProblemKind::*;
        match self {
            FileUnreadable => "file-unreadable",
            UnitNotOnList => "unit-not-on-list",
            UnitMissing => "unit-missing",
            TitleMissing => "title-missing",
            ValueMissing => "value-missing",
            ValueUnknown => "value-unknown",
            DateMissing => "date-missing",
            DateUnreadable => "date-unreadable",
            DateOrder => "date-order",
            PublishedBeforeFormed => "published-before-formed",
            AnsweredBeforeReceived => "answered-before-received",
            ConsultEndMissing => "consult-end-missing",
            CalendarMissing => "calendar-missing",
            LimitUnreadable => "limit-unreadable",
            NumberUnreadable => "number-unreadable",
            Duplicate => "duplicate",
            AccountUnitUnknown => "account-unit-unknown",
            FindingAmbiguous => "finding-ambiguous",
            FindingUnmatched => "finding-unmatched",
            FindingNotApplicable => "finding-not-applicable",
            ReviewUnitUnknown => "review-unit-unknown",
            ReviewUnmatched => "review-unmatched",
            ReviewAmbiguous => "review-ambiguous",
            ReviewTarget => "review-target",
            ReviewPoints => "review-points",
            FormulaNoResult => "formula-no-result",
            CsvQuote => "csv-quote",
            ExtensionMismatch => "extension-mismatch",
            DuplicateColumn => "duplicate-column",
            UnitUnreadable => "unit-unreadable",
            TextTooLong => "text-too-long",
            ColumnMissing => "column-missing",
            DateImplausible => "date-implausible",
            ResultUnclassified => "result-unclassified",
            NumberNegative => "number-negative",
            CarriedTotalMismatch => "carried-total-mismatch",
        }
    }

    /// The kind of a code, for readers of the JSON and tests.
    pub fn from_code(code: &str) -> Option<ProblemKind> {
        ProblemKind::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// The most specific level a problem of this kind is found at (a unit not on the
    /// list is a cell when written in a row, a sheet when named by a file name or title).
    pub fn level(self) -> Level {
        use ProblemKind::*;
        match self {
            FileUnreadable | ExtensionMismatch => Level::File,
            DuplicateColumn => Level::Sheet,
            UnitUnreadable | TextTooLong | ResultUnclassified => Level::Cell,
            CsvQuote => Level::Row,
            ColumnMissing => Level::Sheet,
            Duplicate | DateOrder | PublishedBeforeFormed | AnsweredBeforeReceived | ConsultEndMissing => Level::Row,
            UnitNotOnList | UnitMissing | TitleMissing | ValueMissing | ValueUnknown | DateMissing | DateUnreadable
            | CalendarMissing | LimitUnreadable | NumberUnreadable | AccountUnitUnknown | FindingAmbiguous
            | FindingUnmatched | FindingNotApplicable | ReviewUnitUnknown | ReviewUnmatched | ReviewAmbiguous
            | ReviewTarget | ReviewPoints | FormulaNoResult | DateImplausible | NumberNegative
            | CarriedTotalMismatch => Level::Cell,
        }
    }

    /// Chinese title: what is wrong, in a few words.
    pub fn title(self) -> &'static str {
        use ProblemKind::*;
        match self {
            FileUnreadable => "文件无法读取",
            UnitNotOnList => "单位不在名单中",
            UnitMissing => "无法确定单位",
            TitleMissing => "缺少标题",
            ValueMissing => "缺少必填项",
            ValueUnknown => "值不在可选范围内",
            DateMissing => "缺少日期",
            DateUnreadable => "日期无法识别",
            DateOrder => "日期先后颠倒",
            PublishedBeforeFormed => "公开日期早于形成日期",
            AnsweredBeforeReceived => "答复日期早于收到日期",
            ConsultEndMissing => "征求意见缺少结束日期",
            CalendarMissing => "缺少该年度放假安排",
            LimitUnreadable => "回复期限无法识别",
            NumberUnreadable => "数字无法识别",
            Duplicate => "重复行",
            AccountUnitUnknown => "账号无法对应单位",
            FindingAmbiguous => "检查记录对应多个考核项",
            FindingUnmatched => "检查记录找不到考核项",
            FindingNotApplicable => "检查记录的考核项不适用于该单位",
            ReviewUnitUnknown => "复核调整的单位不是考核单位",
            ReviewUnmatched => "复核调整找不到要撤销的扣分或加分",
            ReviewAmbiguous => "复核调整对应多条扣分或加分",
            ReviewTarget => "复核调整的考核项目或标准无法使用",
            ReviewPoints => "复核调整的分值超出范围",
            FormulaNoResult => "公式没有计算结果",
            CsvQuote => "引号未闭合",
            ExtensionMismatch => "扩展名与内容不符",
            DuplicateColumn => "表头有重复的列",
            UnitUnreadable => "单位名称无法识别",
            TextTooLong => "单元格文字过长",
            ColumnMissing => "台账缺少必填列",
            DateImplausible => "日期年份明显有误",
            ResultUnclassified => "办理结果无法计入年报统计表",
            NumberNegative => "数字为负数",
            CarriedTotalMismatch => "上年结转总计与各类之和不符",
        }
    }

    /// Chinese: how to fix it, in general (each problem's message says it for its cell).
    pub fn fix(self) -> &'static str {
        use ProblemKind::*;
        match self {
            FileUnreadable => "用 Excel 或 WPS 打开后另存为 .xlsx",
            UnitNotOnList => "核对单位名称，或把它加入单位名单",
            UnitMissing => "填写“单位”列，或在表头上方加一行“填报单位：XX”",
            TitleMissing | ValueMissing => "填写此项",
            ValueUnknown => "从下拉列表中选择",
            DateMissing | DateUnreadable => "填写真实存在的日期，如 2021-03-05",
            DateOrder | PublishedBeforeFormed | AnsweredBeforeReceived => "核对这两个日期",
            ConsultEndMissing => "填写征求意见结束日期",
            CalendarMissing => "添加该年度的放假安排（rules/calendar/年份.toml）",
            LimitUnreadable => "填写日期或工作日数，如 5个工作日",
            NumberUnreadable => "改为数字",
            Duplicate => "删除重复行",
            AccountUnitUnknown => "在政务新媒体账号台账中登记该账号及其单位",
            FindingAmbiguous | FindingUnmatched | FindingNotApplicable => "按考核细则填写考核项目名称或编号",
            ReviewUnitUnknown => "填写参加考核的单位名称",
            ReviewUnmatched | ReviewAmbiguous => "按扣分明细、加分明细填写出处文件、出处工作表、出处行和考核项目或标准",
            ReviewTarget => "填写考核项目编号（如 A1）或评分标准编号（如 A1.1）",
            ReviewPoints => "填写 0 至该考核项目分值之间的得分",
            FormulaNoResult => "在 Excel/WPS 中打开并保存后再提交",
            CsvQuote => "在 Excel 中打开核对该行，补上缺少的引号",
            ExtensionMismatch => "把扩展名改为与内容一致，或另存为 .xlsx",
            DuplicateColumn => "删除多余的一列，或把它改成别的列名",
            UnitUnreadable => "填写单位全称或常用简称，或用 --units 提供单位名单",
            TextTooLong => "核对该单元格，删去误粘贴的内容",
            ColumnMissing => "补上缺少的列（列名见说明）",
            DateImplausible => "核对并改正年份",
            NumberNegative => "核对并改为不小于 0 的数",
            CarriedTotalMismatch => "核对上年结转各列，使总计等于各类申请人之和（或不填总计）",
            ResultUnclassified => {
                "按年报统计表“本年度办理结果”的具体情形填写办理结果（如“属于国家秘密”“本机关不掌握相关政府信息”）"
            }
        }
    }

    /// Whether the problem is in the data (everything but a file that could not be read).
    pub fn is_data(self) -> bool {
        self != ProblemKind::FileUnreadable
    }
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for ProblemKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A data problem, with its position.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub file: String,
    pub sheet: String,
    pub row: Option<u32>,
    /// Header as written (or the canonical header).
    pub column: String,
    /// Cell reference such as E17.
    pub cell: String,
    pub value: String,
    /// Serialised as its stable English code (date-unreadable …).
    #[serde(rename = "code")]
    pub kind: ProblemKind,
    /// Chinese: what is wrong and how to fix it.
    pub message: String,
    #[serde(skip)]
    pub unit: Option<UnitId>,
    #[serde(skip)]
    pub ledger: Option<LedgerKind>,
}

impl Problem {
    /// A problem of a whole file or sheet (no row), at `sheet` ("" for the file).
    pub fn at_sheet(kind: ProblemKind, file: &str, sheet: &str, value: &str, message: String) -> Problem {
        Problem {
            file: file.to_string(),
            sheet: sheet.to_string(),
            row: None,
            column: String::new(),
            cell: String::new(),
            value: value.to_string(),
            kind,
            message,
            unit: None,
            ledger: None,
        }
    }

    /// The stable code of its kind.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// Why a file could not be read. Displayed as a Chinese sentence saying what is wrong
/// and what to do (the caller adds the path); a library's own words, when there are
/// any, come last as "（详细信息：…）".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The file could not be opened: the system's reason and its words.
    Open {
        kind: std::io::ErrorKind,
        detail: String,
    },
    /// Looks like xlsx but could not be read (the library's reason).
    Xlsx(String),
    Ods(String),
    Xls(String),
    /// Has an opening password.
    Encrypted,
    /// An Excel 2003 XML spreadsheet that could not be read: what is wrong and where
    /// (Chinese), and the XML reader's words (or "").
    SpreadsheetMl {
        what: String,
        words: String,
    },
    /// An HTML table saved with an .xls name.
    Html,
    /// Neither a workbook nor CSV (the extension as written).
    NotSpreadsheet {
        ext: String,
    },
    /// CSV that the reader could not parse (its reason).
    Csv(String),
    /// Zero bytes.
    Empty,
    /// The reader stopped on damaged content.
    Damaged,
    /// A zip member that would inflate beyond the limits (a zip bomb, or a damaged file).
    TooLarge {
        member: String,
        bytes: u64,
        ratio: u64,
    },
    /// A zip member that inflates past the size its header declares: reading stopped at
    /// the declared size (a damaged or crafted file).
    SizeLie {
        member: String,
        declared: u64,
    },
}

impl FileError {
    /// A file the system would not open.
    pub fn open(e: &std::io::Error) -> FileError {
        FileError::Open {
            kind: e.kind(),
            detail: e.to_string(),
        }
    }
}

/// Whether text is already a Chinese sentence (starts with a Han character), not a
/// library's English words (which may quote a Chinese sheet name).
pub fn is_chinese(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A library's words as a trailing detail, "（详细信息：…）"; "" when there are none.
pub fn detail(words: &str) -> String {
    let w = words.trim();
    if w.is_empty() {
        String::new()
    } else {
        format!("（详细信息：{w}）")
    }
}

/// What an operating-system error means, in Chinese.
pub fn io_reason(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind::*;
    match kind {
        NotFound => "文件或文件夹不存在",
        PermissionDenied => "没有权限",
        AlreadyExists => "已存在同名的文件",
        ReadOnlyFilesystem => "所在磁盘是只读的",
        StorageFull => "磁盘空间已满",
        QuotaExceeded => "磁盘配额已用完",
        NotADirectory => "路径中有一部分是文件而不是文件夹",
        IsADirectory => "这是文件夹而不是文件",
        InvalidFilename => "文件名无效",
        FileTooLarge => "文件过大",
        ResourceBusy | ExecutableFileBusy => "文件正被其他程序使用",
        UnexpectedEof => "文件不完整",
        InvalidData => "内容有误",
        Interrupted | TimedOut => "操作被中断",
        _ => "系统拒绝了这个操作",
    }
}

/// What a reading library's words say is wrong with a file, in Chinese: incomplete
/// (cut short while downloading or copying), a part missing, or damaged.
fn damage(words: &str) -> String {
    if is_chinese(words) {
        return words.trim().to_string();
    }
    let w = words.to_ascii_lowercase();
    let cut = [
        "eocd",
        "end of central directory",
        "unexpected eof",
        "unexpected end",
        "unexpectedeof",
        "failed to fill whole buffer",
        "end of file",
        "early eof",
        "truncated",
    ];
    if cut.iter().any(|c| w.contains(c)) {
        return "文件不完整（可能下载或复制未完成）".into();
    }
    if let Some(name) = quoted_after(words, "Worksheet '") {
        return format!("文件已损坏：工作簿中登记的工作表“{name}”找不到内容");
    }
    if let Some(name) = quoted_after(words, "File not found '") {
        return format!("文件已损坏或不是工作簿：缺少其中的 {name}");
    }
    if w.contains("not found in archive") {
        return "文件已损坏或不是工作簿：缺少其中的组成部分".into();
    }
    "文件已损坏（内容不完整或结构错误）".into()
}

/// The text between `prefix` and the next `'`.
fn quoted_after<'a>(words: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &words[words.find(prefix)? + prefix.len()..];
    Some(&rest[..rest.find('\'')?])
}

/// The library's words as a detail, unless they are already the Chinese sentence.
fn library_detail(words: &str) -> String {
    if is_chinese(words) {
        String::new()
    } else {
        detail(words)
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const RESAVE: &str = "请用 Excel 或 WPS 打开后另存为 .xlsx";
        // Incomplete files are best fetched again; damaged ones re-saved.
        let fix = |words: &str| {
            if damage(words).starts_with("文件不完整") {
                format!("请重新下载或复制原文件；如仍无法读取，{RESAVE}")
            } else {
                RESAVE.to_string()
            }
        };
        match self {
            FileError::Open { kind, detail: d } => {
                let what = match kind {
                    std::io::ErrorKind::NotFound => "文件不存在（可能已被移动、改名或删除）：请核对路径",
                    std::io::ErrorKind::PermissionDenied => {
                        "没有读取这个文件的权限：请把文件复制到自己有权限的文件夹，或请管理员开放读取权限"
                    }
                    std::io::ErrorKind::IsADirectory => "这是文件夹而不是文件：请给出文件夹本身或其中的文件",
                    _ => "无法打开文件：请确认文件存在且未被其他程序独占",
                };
                write!(f, "{what}{}", detail(d))
            }
            FileError::Xlsx(e) => write!(
                f,
                "{}，无法作为 Excel（xlsx）文件读取：{}{}",
                damage(e),
                fix(e),
                library_detail(e)
            ),
            FileError::Ods(e) => write!(
                f,
                "{}，无法作为 LibreOffice（ods）文件读取：{}{}",
                damage(e),
                if damage(e).starts_with("文件不完整") {
                    "请重新下载或复制原文件；如仍无法读取，请用 LibreOffice 打开后另存为 .xlsx 或 .ods"
                } else {
                    "请用 LibreOffice 打开后另存为 .xlsx 或 .ods"
                },
                library_detail(e)
            ),
            FileError::Xls(e) => write!(
                f,
                "{}，无法作为 Excel 97-2003（xls）文件读取：{}{}",
                damage(e),
                fix(e),
                library_detail(e)
            ),
            FileError::Encrypted => {
                f.write_str("文件已加密（设置了打开密码）：请在 Excel 或 WPS 中取消密码后另存为 .xlsx")
            }
            FileError::SpreadsheetMl { what, words } => write!(
                f,
                "{what}，无法作为 Excel 2003 XML 表格（常见于业务系统导出的 .xls）读取：请从业务系统重新导出，或用 Excel 或 WPS 打开后另存为 .xlsx{}",
                detail(words)
            ),
            FileError::Html => f.write_str(
                "这是网页（HTML）文件，不是真正的 Excel 文件（常见于业务系统导出的 .xls）：请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx）",
            ),
            FileError::NotSpreadsheet { ext } => write!(
                f,
                "不是电子表格文件（扩展名为 .{ext}，内容既不是 Excel/WPS/LibreOffice 工作簿也不是 CSV）：请确认文件，或另存为 .xlsx"
            ),
            FileError::Csv(e) => write!(
                f,
                "文件按 CSV 读取时格式有误，无法读取：请用 Excel 或 WPS 打开，检查引号是否成对后另存为 .xlsx{}",
                library_detail(e)
            ),
            FileError::TooLarge { member, bytes, ratio } => write!(
                f,
                "文件解压后过大：其中 {member} 解压后有 {} MB（压缩比 {ratio}:1），超过读取上限，可能已损坏或是恶意构造的文件。请用 Excel 或 WPS 打开后另存为 .xlsx；确属正常的大文件可在规则 rubric.toml 的 max_member_mb、max_compression_ratio 中调高上限",
                bytes / (1024 * 1024)
            ),
            FileError::SizeLie { member, declared } => write!(
                f,
                "文件已损坏或是恶意构造的：其中 {member} 解压后超过了文件自己登记的大小（{declared} 字节），已在登记的大小处停止读取。{RESAVE}"
            ),
            FileError::Damaged => f.write_str(
                "文件已损坏（内容不完整或结构错误），无法读取：请用 Excel 或 WPS 打开，确认内容无误后另存为 .xlsx",
            ),
            FileError::Empty => f.write_str("文件为空（0 字节）：请确认提交的是保存好的台账文件"),
        }
    }
}

impl std::error::Error for FileError {}

impl Serialize for FileError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for k in ProblemKind::ALL {
            assert!(seen.insert(k.code()), "duplicate code {}", k.code());
            assert_eq!(ProblemKind::from_code(k.code()), Some(*k));
            assert!(!k.title().is_empty() && !k.fix().is_empty());
        }
        assert_eq!(seen.len(), ProblemKind::ALL.len());
        assert_eq!(ProblemKind::from_code("no-such-code"), None);
        assert_eq!(
            serde_json::to_value(ProblemKind::DateUnreadable).ok(),
            Some(serde_json::json!("date-unreadable"))
        );
    }

    #[test]
    fn file_errors_are_chinese_first_with_the_library_words_last() {
        let cut = FileError::Xlsx("Zip error: invalid Zip archive: Could not find EOCD".into()).to_string();
        assert!(
            cut.starts_with("文件不完整（可能下载或复制未完成），无法作为 Excel（xlsx）文件读取"),
            "{cut}"
        );
        assert!(
            cut.ends_with("（详细信息：Zip error: invalid Zip archive: Could not find EOCD）"),
            "{cut}"
        );
        let end = FileError::Ods("invalid Zip archive: Unexpected end of zip::format::blocks".into()).to_string();
        assert!(end.starts_with("文件不完整"), "{end}");
        let sector = FileError::Xls("Cfb error: Sector 29 points past end of file".into()).to_string();
        assert!(sector.starts_with("文件不完整"), "{sector}");
        let sheet = FileError::Xlsx("Worksheet '主动公开台账' not found".into()).to_string();
        assert!(
            sheet.starts_with("文件已损坏：工作簿中登记的工作表“主动公开台账”找不到内容"),
            "{sheet}"
        );
        let part = FileError::Ods("specified file not found in archive".into()).to_string();
        assert!(part.starts_with("文件已损坏或不是工作簿：缺少其中的组成部分"), "{part}");
        let ours = FileError::Xls("文件结构不完整或已损坏".into()).to_string();
        assert!(!ours.contains("详细信息"), "{ours}");
        let open = FileError::open(&std::io::Error::from(std::io::ErrorKind::PermissionDenied)).to_string();
        assert!(open.starts_with("没有读取这个文件的权限"), "{open}");
        let csv = FileError::Csv("CSV error: record 3".into()).to_string();
        assert!(
            csv.starts_with("文件按 CSV 读取时格式有误") && csv.ends_with("（详细信息：CSV error: record 3）"),
            "{csv}"
        );
    }

    #[test]
    fn only_unreadable_files_are_not_data_problems() {
        let not_data: Vec<_> = ProblemKind::ALL.iter().filter(|k| !k.is_data()).collect();
        assert_eq!(not_data, [&ProblemKind::FileUnreadable]);
        assert_eq!(ProblemKind::FileUnreadable.level(), Level::File);
    }
}
