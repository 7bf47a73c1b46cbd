//! Typed records of every ledger, and the data problems found while reading them.

use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

use super::date::DateCell;
use super::problems::FileError;
use super::units::UnitId;
use super::workbook::{Shared, Strings};
use crate::rules::LedgerKind;

/// Where a row came from: file (as given), sheet, and Excel's row number. The file and
/// sheet are one `Place` per sheet, shared by its rows (16 bytes a record rather than
/// 40); `src.file` and `src.sheet` read through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    place: Arc<Place>,
    pub row: u32,
}

/// A sheet of a file, as rows' sources name it.
#[derive(Debug, PartialEq, Eq)]
pub struct Place {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
}

impl Place {
    pub fn new(file: Arc<str>, sheet: Arc<str>) -> Arc<Place> {
        Arc::new(Place { file, sheet })
    }
}

impl Source {
    /// A row of a sheet whose place is shared.
    pub fn at(place: &Arc<Place>, row: u32) -> Source {
        Source {
            place: place.clone(),
            row,
        }
    }

    /// A row of its own place (tests, single rows).
    pub fn new(file: &str, sheet: &str, row: u32) -> Source {
        Source::at(&Place::new(Arc::from(file), Arc::from(sheet)), row)
    }
}

impl std::ops::Deref for Source {
    type Target = Place;

    fn deref(&self) -> &Place {
        &self.place
    }
}

/// A short text of a record kept once in `Dataset::texts` (`ds.text(id)`): 栏目, 公开属性,
/// 文号, 理由 and 公开方式 repeat over a ledger's rows, so a field costs 4 bytes rather
/// than 16. Ids are not compared: compare the texts.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextId(u32);

impl TextId {
    /// The empty text.
    pub const EMPTY: TextId = TextId(0);
}

/// The distinct texts behind `TextId`s, each kept once.
#[derive(Debug, Clone)]
pub struct Texts {
    all: Vec<Arc<str>>,
    /// Text → id while reading; emptied once every file is read (`seal`).
    ids: std::collections::HashMap<Arc<str>, TextId, crate::hash::FxBuild>,
}

impl Default for Texts {
    fn default() -> Texts {
        Texts {
            all: vec![crate::text::empty_shared()],
            ids: Default::default(),
        }
    }
}

impl Texts {
    /// The id of a text, added when new. (Past 4 × 10⁹ distinct texts, more than
    /// memory holds, a text would read as empty.)
    pub fn add(&mut self, t: &str) -> TextId {
        if t.is_empty() {
            return TextId::EMPTY;
        }
        if let Some(&id) = self.ids.get(t) {
            return id;
        }
        let Ok(n) = u32::try_from(self.all.len()) else {
            return TextId::EMPTY;
        };
        let t: Arc<str> = Arc::from(t);
        self.all.push(t.clone());
        self.ids.insert(t, TextId(n));
        TextId(n)
    }

    /// How many distinct texts are kept, the empty one included.
    pub fn count(&self) -> usize {
        self.all.len()
    }

    pub fn get(&self, id: TextId) -> &str {
        self.all.get(id.0 as usize).map_or("", |t| t)
    }

    /// Forgets the text → id index once reading is done (a text added later gets a new
    /// id, which is harmless: ids are not compared).
    pub fn seal(&mut self) {
        self.ids = Default::default();
        self.all.shrink_to_fit();
    }
}

/// Where a publication's title is kept (`Titles`), in 8 bytes: a string of an .xlsx
/// file's shared strings (a title as written, not copied), or one of the titles kept
/// apart (from other files, or cleaned of stray spaces).
#[derive(Debug, Clone, Copy)]
pub struct TitleId {
    /// `Titles::tables` index; with `OWN` set, a `Titles::own` index.
    table: u32,
    index: u32,
}

const OWN: u32 = 1 << 31;

/// The titles of every publication: the shared-string tables they point into (held as
/// long as the records are, about 70 bytes a title at a million where an allocation
/// each took about 100) and the titles kept apart, in blocks of up to 4 GiB.
#[derive(Debug, Default)]
pub struct Titles {
    tables: Vec<Arc<Strings>>,
    own: Vec<Strings>,
}

impl Titles {
    /// The title of a cell showing a shared string (as written: the caller checked that
    /// cleaning leaves it as it is).
    pub fn shared(&mut self, s: &Shared) -> TitleId {
        // The cells of a sheet share one table: it is nearly always the last one.
        let table = match self.tables.iter().rposition(|t| Arc::ptr_eq(t, &s.strings)) {
            Some(t) => t,
            None => {
                self.tables.push(s.strings.clone());
                self.tables.len() - 1
            }
        };
        match u32::try_from(table).ok().filter(|t| *t < OWN) {
            Some(table) => TitleId { table, index: s.index },
            None => self.own(s.as_str()),
        }
    }

    /// A title kept apart (copied).
    pub fn own(&mut self, s: &str) -> TitleId {
        loop {
            if let Some(last) = self.own.last_mut() {
                if let Some(index) = last.push(s) {
                    // Blocks past 2³¹ would need 2⁶³ bytes: unreachable.
                    let block = u32::try_from(self.own.len() - 1).unwrap_or(OWN - 1);
                    return TitleId {
                        table: OWN | block,
                        index,
                    };
                }
            }
            // The first block, or the last one full.
            self.own.push(Strings::default());
        }
    }

    pub fn get(&self, id: TitleId) -> &str {
        if id.table & OWN != 0 {
            self.own.get((id.table & !OWN) as usize).map_or("", |t| t.get(id.index))
        } else {
            self.tables.get(id.table as usize).map_or("", |t| t.get(id.index))
        }
    }
}

/// A checklist item a record matches: its index in the checklist, in two bytes (a
/// checklist has a few dozen items; past 65 534 an item is not matched).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemRef(std::num::NonZeroU16);

impl ItemRef {
    pub fn new(index: usize) -> Option<ItemRef> {
        u16::try_from(index + 1)
            .ok()
            .and_then(std::num::NonZeroU16::new)
            .map(ItemRef)
    }

    /// The item's index in the checklist.
    pub fn index(self) -> usize {
        usize::from(self.0.get()) - 1
    }
}

/// One 公开 row, small because a million are held at once: the title is kept in
/// `Dataset::titles` (`ds.title(p)`), the other texts are ids of `Dataset::texts`, the
/// source shares its sheet's place.
#[derive(Debug, Clone)]
pub struct Publication {
    pub unit: Option<UnitId>,
    pub title: TitleId,
    /// 栏目 as written, and the checklist item it matches.
    pub category: TextId,
    pub item: Option<ItemRef>,
    pub formed: DateCell,
    pub published: DateCell,
    /// 公开属性, canonical when in the vocabulary, else as written ("" when the sheet has
    /// no such column).
    pub attribute: TextId,
    pub has_attribute_column: bool,
    pub doc_no: TextId,
    pub reason: TextId,
    pub channel: TextId,
    pub needs_interpretation: Option<bool>,
    pub interpretation_date: DateCell,
    /// Not a proactive publication (公开属性 依申请公开 / 不予公开).
    pub non_proactive: bool,
    /// Has a data problem of its own (missing/unreadable field, dates out of order, no
    /// calendar for its dates). Duplicates are marked separately.
    pub problem: bool,
    /// A later copy of an earlier row (same unit, title, publication date).
    pub duplicate: bool,
    pub src: Source,
}

impl Publication {
    pub fn published_date(&self) -> Option<NaiveDate> {
        self.published.date()
    }
}

#[derive(Debug, Clone)]
pub struct Meeting {
    pub unit: Option<UnitId>,
    pub name: String,
    pub date: Option<NaiveDate>,
    /// Canonical 签到情况 (出席, 迟到, 缺席, 请假).
    pub status: String,
    pub src: Source,
}

#[derive(Debug, Clone)]
pub struct Request {
    pub unit: Option<UnitId>,
    pub number: String,
    pub received: Option<NaiveDate>,
    pub correction_notice: Option<NaiveDate>,
    pub correction_received: Option<NaiveDate>,
    pub consult_start: Option<NaiveDate>,
    pub consult_end: Option<NaiveDate>,
    pub extended: bool,
    pub answered: Option<NaiveDate>,
    /// 办理结果, canonical when in the vocabulary (a group or one of the 21 leaves of
    /// the annual report), else as written.
    pub result: String,
    pub review: String,
    pub lawsuit: String,
    /// 申请人类型, canonical when in the vocabulary, else as written.
    pub applicant: String,
    /// 诉讼方式 (未经复议直接起诉 / 复议后起诉), canonical; empty when not given.
    pub lawsuit_method: String,
    /// 复议日期 / 起诉日期: when given, the year they fall in is the year the 复议 or
    /// 诉讼 counts in the annual report.
    pub review_date: Option<NaiveDate>,
    pub lawsuit_date: Option<NaiveDate>,
    pub src: Source,
}

/// 回复期限 of an inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    None,
    Date(NaiveDate),
    Workdays(u32),
}

#[derive(Debug, Clone)]
pub struct Inquiry {
    pub unit: Option<UnitId>,
    pub number: String,
    pub received: Option<NaiveDate>,
    pub limit: Limit,
    pub answered: Option<NaiveDate>,
    pub petition: bool,
    pub src: Source,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub unit: Option<UnitId>,
    pub name: String,
    pub platform: String,
    pub opened: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    pub src: Source,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub unit: Option<UnitId>,
    pub account: String,
    pub date: Option<NaiveDate>,
    pub title: String,
    pub src: Source,
}

#[derive(Debug, Clone)]
pub struct AnnualReport {
    pub unit: Option<UnitId>,
    pub submitted: Option<NaiveDate>,
    pub published: Option<NaiveDate>,
    pub format_ok: Option<bool>,
    pub guide_updated: Option<NaiveDate>,
    pub src: Source,
}

/// One 年报主动公开数据 row: a unit's figures for the annual report's table 二, and
/// 上年结转 for table 三 row 二.
#[derive(Debug, Clone)]
pub struct AnnualData {
    pub unit: Option<UnitId>,
    /// The figures filled in and readable, by the ledger's field id (rules/ledgers.toml:
    /// rules_issued … fees, carried_natural … carried_total). A blank, unreadable or
    /// negative cell is absent (the last two are problems).
    pub figures: std::collections::BTreeMap<String, f64>,
    /// A later row of a unit that has one already (a problem): not used.
    pub duplicate: bool,
    pub src: Source,
}

impl AnnualData {
    pub fn figure(&self, field: &str) -> Option<f64> {
        self.figures.get(field).copied()
    }
}

#[derive(Debug, Clone)]
pub struct Consultation {
    pub unit: Option<UnitId>,
    pub topic: String,
    pub start: Option<NaiveDate>,
    pub result_published: Option<NaiveDate>,
    pub src: Source,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub unit: Option<UnitId>,
    /// 考核项目 as written.
    pub item: String,
    pub count: u32,
    pub level: String,
    pub note: String,
    pub date: Option<NaiveDate>,
    pub src: Source,
}

/// 调整方式 of a 复核调整 decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReviewAction {
    /// 撤销扣分: a deduction (or penalty) line no longer counts.
    WithdrawDeduction,
    /// 撤销加分: a bonus line no longer counts.
    WithdrawBonus,
    /// 补扣: a deduction line the checks did not find.
    AddDeduction,
    /// 补加: a bonus line the checks did not find.
    AddBonus,
    /// 改分: an item's score set directly.
    SetScore,
}

impl ReviewAction {
    pub const ALL: [ReviewAction; 5] = [
        ReviewAction::WithdrawDeduction,
        ReviewAction::WithdrawBonus,
        ReviewAction::AddDeduction,
        ReviewAction::AddBonus,
        ReviewAction::SetScore,
    ];

    /// The canonical 调整方式 (the first value of the rules' vocabulary).
    pub fn word(self) -> &'static str {
        match self {
            ReviewAction::WithdrawDeduction => "撤销扣分",
            ReviewAction::WithdrawBonus => "撤销加分",
            ReviewAction::AddDeduction => "补扣",
            ReviewAction::AddBonus => "补加",
            ReviewAction::SetScore => "改分",
        }
    }

    /// Stable English code (JSON).
    pub fn code(self) -> &'static str {
        match self {
            ReviewAction::WithdrawDeduction => "withdraw_deduction",
            ReviewAction::WithdrawBonus => "withdraw_bonus",
            ReviewAction::AddDeduction => "add_deduction",
            ReviewAction::AddBonus => "add_bonus",
            ReviewAction::SetScore => "set_score",
        }
    }

    pub fn from_word(w: &str) -> Option<ReviewAction> {
        ReviewAction::ALL.into_iter().find(|a| a.word() == w)
    }

    pub fn withdraws(self) -> bool {
        matches!(self, ReviewAction::WithdrawDeduction | ReviewAction::WithdrawBonus)
    }

    pub fn adds(self) -> bool {
        matches!(self, ReviewAction::AddDeduction | ReviewAction::AddBonus)
    }

    /// Acts on bonus lines (撤销加分, 补加).
    pub fn bonus(self) -> bool {
        matches!(self, ReviewAction::WithdrawBonus | ReviewAction::AddBonus)
    }
}

/// One 复核调整 row: a decision of the assessment office on an appeal.
#[derive(Debug, Clone)]
pub struct Review {
    /// 单位 as written (or the sheet's unit).
    pub unit_name: String,
    /// Resolved after every file is read: a decision names an assessed unit, it does not
    /// make one. None: unknown (a problem).
    pub unit: Option<UnitId>,
    /// None when 调整方式 is missing or not in the vocabulary (a problem).
    pub action: Option<ReviewAction>,
    /// 考核项目或标准 as written.
    pub target: String,
    /// 出处文件 / 出处工作表 / 出处行: the evidence of the line withdrawn.
    pub src_file: String,
    pub src_sheet: String,
    pub src_row: Option<u32>,
    /// 分值 (补扣 / 补加: the line's points; 改分: the item's score).
    pub points: Option<f64>,
    pub reason: String,
    pub date: Option<NaiveDate>,
    pub by: String,
    /// A reading problem makes the decision inapplicable (listed, not applied).
    pub problem: bool,
    pub src: Source,
}

/// One sheet of an input file, and what it was recognised as.
#[derive(Debug, Clone, Serialize)]
pub struct SheetInfo {
    pub name: String,
    pub ledger: Option<LedgerKind>,
    /// Chinese ledger name, or empty.
    pub ledger_name: String,
    pub header_row: Option<u32>,
    pub rows: usize,
    /// Why it was not recognised.
    pub reason: String,
    pub headers_seen: Vec<String>,
    /// Hidden or very hidden in the workbook (read all the same, marked 隐藏).
    pub hidden: bool,
    #[serde(skip)]
    pub unit: Option<UnitId>,
    /// Recognised columns: field id, 0-based column, header as written.
    #[serde(skip)]
    pub columns: Vec<(String, u32, String)>,
}

/// One input file.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub path: String,
    pub sha256: String,
    pub sheets: Vec<SheetInfo>,
    /// Could not be read at all: why.
    pub error: Option<FileError>,
    /// Byte-identical to this file, read before: this copy is not read.
    pub duplicate_of: Option<String>,
    /// A workbook made by `hrgk template` (filled in or not).
    pub template: bool,
    /// The units whose own file this is (named in the file name or a 填报单位 line).
    #[serde(skip)]
    pub own_units: Vec<UnitId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million publications are held at once: a field added to a record, or a wider
    /// one, shows here first (248 bytes with String fields and an unshared Source).
    #[test]
    fn records_stay_small() {
        assert!(std::mem::size_of::<Source>() <= 16, "{}", std::mem::size_of::<Source>());
        assert!(
            std::mem::size_of::<Publication>() <= 112,
            "{}",
            std::mem::size_of::<Publication>()
        );
    }

    #[test]
    fn texts_are_kept_once() {
        let mut t = Texts::default();
        let ia = t.add("政策文件");
        let ib = t.add("政策文件");
        assert_eq!((t.get(ia), t.get(ib)), ("政策文件", "政策文件"));
        assert_eq!(ia.0, ib.0);
        let empty = t.add("");
        assert_eq!(t.get(empty), "");
        assert_eq!(t.get(TextId::EMPTY), "");
        assert_eq!(t.all.len(), 2);
        t.seal();
        assert_eq!(t.get(ia), "政策文件");
        let web = t.add("网站");
        assert_eq!(t.get(web), "网站");
    }

    #[test]
    fn titles_point_into_shared_strings_or_are_kept_apart() {
        let mut strings = Strings::default();
        let (a, b) = (
            strings.push("关于春耕的通知").unwrap(),
            strings.push("预算公开").unwrap(),
        );
        let strings = Arc::new(strings);
        let other = Arc::new(Strings::default());
        let mut t = Titles::default();
        let shared = |index| Shared {
            strings: strings.clone(),
            index,
        };
        let (ia, ib) = (t.shared(&shared(a)), t.shared(&shared(b)));
        let own = t.own("清理后的标题");
        assert_eq!(
            (t.get(ia), t.get(ib), t.get(own)),
            ("关于春耕的通知", "预算公开", "清理后的标题")
        );
        // One table however many titles point into it; another file's is a second one.
        assert_eq!(t.tables.len(), 1);
        t.shared(&Shared {
            strings: other,
            index: 0,
        });
        assert_eq!(t.tables.len(), 2);
        assert_eq!(t.get(ia), "关于春耕的通知");
    }

    #[test]
    fn sources_of_a_sheet_share_its_place() {
        let place = Place::new(Arc::from("a.xlsx"), Arc::from("台账"));
        let (a, b) = (Source::at(&place, 3), Source::at(&place, 4));
        assert!(Arc::ptr_eq(&a.place, &b.place));
        assert_eq!((&*a.file, &*a.sheet, a.row), ("a.xlsx", "台账", 3));
        assert_eq!(Source::new("a.xlsx", "台账", 4), b);
        assert_ne!(a, b);
    }

    #[test]
    fn a_publication_stays_small() {
        // A million are held at once: 112 bytes with 8-byte dates, 96 with 4-byte ones.
        assert!(
            std::mem::size_of::<Publication>() <= 96,
            "{}",
            std::mem::size_of::<Publication>()
        );
        assert_eq!(std::mem::size_of::<DateCell>(), 4);
    }
}
