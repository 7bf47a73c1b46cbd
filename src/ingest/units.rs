//! Unit resolution: written names → one unit each, through the embedded aliases and the
//! county's list. The embedded names only resolve; a unit is assessed when it is on the
//! county list or found in the data.

use serde::Serialize;
use std::collections::HashMap;

use crate::hash::TextMemo;
use crate::rules::UnitRules;
use crate::text;

/// A unit: its index in `UnitRegistry::units` (4 bytes, in every record).
pub type UnitId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Group {
    Town,
    Department,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub name: String,
    pub group: Group,
    /// On the county list (`--units` or a 单位名单 sheet).
    pub on_list: bool,
    /// Assessed: on the list or found in the data.
    pub assessed: bool,
}

/// The units, indexed by `UnitId`.
#[derive(Debug, Clone, Default)]
pub struct Units(Vec<Unit>);

impl Units {
    /// Every unit's id, in order.
    pub fn ids(&self) -> impl Iterator<Item = UnitId> {
        // Ids are u32: a county has a few hundred units (past 4 × 10⁹ no id is made).
        (0..self.0.len()).filter_map(|i| UnitId::try_from(i).ok())
    }
}

impl std::ops::Deref for Units {
    type Target = [Unit];

    fn deref(&self) -> &[Unit] {
        &self.0
    }
}

impl std::ops::Index<UnitId> for Units {
    type Output = Unit;

    fn index(&self, id: UnitId) -> &Unit {
        &self.0[id as usize]
    }
}

impl std::ops::IndexMut<UnitId> for Units {
    fn index_mut(&mut self, id: UnitId) -> &mut Unit {
        &mut self.0[id as usize]
    }
}

#[derive(Debug, Clone)]
pub struct UnitRegistry {
    pub units: Units,
    /// Folded name or alias (and its stripped form) → unit.
    keys: HashMap<String, UnitId, crate::hash::FxBuild>,
    /// Folded names and aliases, for finding a unit inside a title or file name.
    patterns: Vec<(String, UnitId)>,
    /// Pattern → its index in `patterns`, and the distinct pattern lengths in bytes: a
    /// text is searched position by position for each length (not once per pattern,
    /// which grew with files × units in a folder of many units' files).
    pattern_index: HashMap<String, usize>,
    pattern_lens: std::collections::BTreeSet<usize>,
    strip_prefixes: Vec<String>,
    strip_suffixes: Vec<String>,
    town_suffixes: Vec<String>,
    /// Folded common-word aliases, matched in free text only as whole names.
    common: Vec<String>,
    /// Folded name endings (局, 委 …).
    endings: Vec<String>,
    /// Characters that say nothing about which unit is meant (县, 局, 镇 …).
    generic: Vec<char>,
    pub town_group: String,
    pub department_group: String,
    /// Whether a county list was given.
    pub has_list: bool,
    /// `lookup` of texts already looked up (a unit column repeats a few names over many
    /// rows); forgotten whenever a name or alias is added.
    memo: TextMemo<Option<UnitId>>,
}

impl UnitRegistry {
    pub fn new(rules: &UnitRules) -> Self {
        let by_len = |v: &[String]| {
            let mut v: Vec<String> = v.iter().map(|s| text::fold(s)).collect();
            v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            v
        };
        let mut reg = UnitRegistry {
            units: Units::default(),
            keys: HashMap::default(),
            patterns: Vec::new(),
            pattern_index: HashMap::new(),
            pattern_lens: std::collections::BTreeSet::new(),
            strip_prefixes: by_len(&rules.strip_prefixes),
            strip_suffixes: by_len(&rules.strip_suffixes),
            town_suffixes: rules.town_suffixes.clone(),
            common: rules.common_aliases.iter().map(|a| text::fold(a)).collect(),
            endings: rules.name_endings.iter().map(|a| text::fold(a)).collect(),
            generic: rules
                .strip_prefixes
                .iter()
                .chain(&rules.strip_suffixes)
                .chain(&rules.town_suffixes)
                .chain(&rules.name_endings)
                .flat_map(|w| text::fold(w).chars().collect::<Vec<_>>())
                .collect(),
            town_group: rules.town_group.clone(),
            department_group: rules.department_group.clone(),
            has_list: false,
            memo: TextMemo::default(),
        };
        for u in &rules.units {
            let id = reg.push(&u.name, None);
            for a in &u.aliases {
                reg.add_alias(a, id);
            }
        }
        reg
    }

    pub fn group_name(&self, g: Group) -> &str {
        match g {
            Group::Town => &self.town_group,
            Group::Department => &self.department_group,
        }
    }

    /// Group by name ending (镇, 乡, 街道 → 乡镇), after stripping 人民政府 and the like.
    fn group_of(&self, name: &str) -> Group {
        let s = self.stripped(&text::fold(name));
        if self.town_suffixes.iter().any(|t| s.ends_with(t.as_str())) {
            Group::Town
        } else {
            Group::Department
        }
    }

    fn stripped(&self, folded: &str) -> String {
        let mut s = folded;
        if let Some(p) = self
            .strip_prefixes
            .iter()
            .find(|p| s.starts_with(p.as_str()) && s.len() > p.len())
        {
            s = &s[p.len()..];
        }
        if let Some(x) = self
            .strip_suffixes
            .iter()
            .find(|x| s.ends_with(x.as_str()) && s.len() > x.len())
        {
            s = &s[..s.len() - x.len()];
        }
        s.to_string()
    }

    fn push(&mut self, name: &str, group: Option<Group>) -> UnitId {
        let id = UnitId::try_from(self.units.len()).unwrap_or(UnitId::MAX);
        let group = group.unwrap_or_else(|| self.group_of(name));
        self.units.0.push(Unit {
            name: text::clean(name).to_string(),
            group,
            on_list: false,
            assessed: false,
        });
        self.add_alias(name, id);
        id
    }

    fn add_alias(&mut self, alias: &str, id: UnitId) {
        self.memo.clear();
        let f = text::fold(alias);
        if f.is_empty() {
            return;
        }
        let s = self.stripped(&f);
        self.keys.entry(f.clone()).or_insert(id);
        self.keys.entry(s).or_insert(id);
        if !self.pattern_index.contains_key(&f) {
            self.pattern_index.insert(f.clone(), self.patterns.len());
            self.pattern_lens.insert(f.len());
            self.patterns.push((f, id));
        }
    }

    /// The unit a written name means, if known.
    pub fn lookup(&self, written: &str) -> Option<UnitId> {
        let f = text::fold(written);
        if f.is_empty() {
            return None;
        }
        self.keys.get(&f).or_else(|| self.keys.get(&self.stripped(&f))).copied()
    }

    /// `lookup`, remembered per written text until a name or alias is added: the rows of a
    /// unit column fold and hash each distinct name once, not once per row.
    pub fn lookup_memo(&mut self, written: &str) -> Option<UnitId> {
        if let Some(hit) = self.memo.get(written) {
            return hit;
        }
        let found = self.lookup(written);
        self.memo.insert(written, found);
        found
    }

    /// Resolves a written name, creating a unit when it is unknown; marks it assessed.
    /// Returns whether a county list was given and the unit is not on it.
    pub fn resolve(&mut self, written: &str) -> (UnitId, bool) {
        let id = self.name_of(written);
        self.units[id].assessed = true;
        (id, self.off_list(id))
    }

    /// The unit a written name means, created (not assessed) when unknown.
    pub fn name_of(&mut self, written: &str) -> UnitId {
        match self.lookup_memo(written) {
            Some(id) => id,
            None => self.push(written, None),
        }
    }

    /// A county list was given and the unit is not on it.
    pub fn off_list(&self, id: UnitId) -> bool {
        self.has_list && !self.units[id].on_list
    }

    /// Adds an entry of the county list: its name becomes the unit's display name.
    pub fn add_listed(&mut self, name: &str, group: Option<Group>, aliases: &[&str]) -> UnitId {
        self.has_list = true;
        let id = match self
            .lookup(name)
            .or_else(|| aliases.iter().find_map(|a| self.lookup(a)))
        {
            Some(id) => {
                let old = std::mem::replace(&mut self.units[id].name, text::clean(name).to_string());
                self.add_alias(&old, id);
                self.add_alias(name, id);
                if let Some(g) = group {
                    self.units[id].group = g;
                }
                id
            }
            None => self.push(name, group),
        };
        for a in aliases {
            self.add_alias(a, id);
        }
        self.units[id].on_list = true;
        self.units[id].assessed = true;
        id
    }

    /// The unit named inside a title or file name: the longest alias it contains. When
    /// names of two different units are there, none.
    pub fn find_in_text(&self, text_: &str) -> Option<UnitId> {
        let t = text::fold(text_);
        let mut spans: Vec<(usize, usize, UnitId)> = Vec::new();
        // Every occurrence of every pattern, left to right; an occurrence overlapping the
        // previous one of the same pattern is skipped (as a repeated `find` from the end
        // of the last match would).
        let mut next_from: HashMap<usize, usize> = HashMap::new();
        for (start, _) in t.char_indices() {
            for &len in &self.pattern_lens {
                let Some(cand) = t.get(start..start + len) else {
                    continue;
                };
                let Some(&k) = self.pattern_index.get(cand) else {
                    continue;
                };
                if next_from.get(&k).is_some_and(|f| start < *f) {
                    continue;
                }
                let (p, id) = &self.patterns[k];
                let end = start + len;
                next_from.insert(k, end);
                // 统计 in "……情况统计" is a word; 统计局 and 县统计 are names.
                let whole = !self.common.contains(p)
                    || self.endings.iter().any(|e| t[end..].starts_with(e.as_str()))
                    || t[..start].ends_with('县');
                if whole {
                    spans.push((start, end, *id));
                }
            }
        }
        let maximal: Vec<UnitId> = spans
            .iter()
            .filter(|(s, e, _)| {
                !spans
                    .iter()
                    .any(|(s2, e2, _)| s2 <= s && e <= e2 && (e2 - s2) > (e - s))
            })
            .map(|(_, _, id)| *id)
            .collect();
        let first = *maximal.first()?;
        maximal.iter().all(|id| *id == first).then_some(first)
    }

    /// Assessed units in a stable order: group (乡镇 first), then name.
    pub fn assessed(&self) -> Vec<UnitId> {
        let mut v: Vec<UnitId> = self.units.ids().filter(|i| self.units[*i].assessed).collect();
        v.sort_by(|a, b| {
            let (ua, ub) = (&self.units[*a], &self.units[*b]);
            ua.group.cmp(&ub.group).then_with(|| ua.name.cmp(&ub.name))
        });
        v
    }

    pub fn name(&self, id: UnitId) -> &str {
        &self.units[id].name
    }

    /// Names of the units a written one may mean, for messages: units on the county
    /// list (else the assessed units) sharing the most characters with it in their name
    /// or an alias, not counting words every name has (县, 局, 镇 …). 卫生局 → 卫健局.
    pub fn closest(&self, written: &str, n: usize) -> Vec<String> {
        let core = |s: &str| -> Vec<char> {
            let mut v: Vec<char> = text::fold(s).chars().filter(|c| !self.generic.contains(c)).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let w = core(written);
        let own = self.lookup(written);
        let mut scored: Vec<(usize, UnitId)> = self
            .units
            .ids()
            .filter(|&id| Some(id) != own || self.off_list(id))
            .filter(|&id| {
                if self.has_list {
                    self.units[id].on_list
                } else {
                    self.units[id].assessed
                }
            })
            .filter_map(|id| {
                let best = self
                    .keys
                    .iter()
                    .filter(|(_, u)| **u == id)
                    .map(|(k, _)| core(k).iter().filter(|c| w.contains(c)).count())
                    .chain(std::iter::once(
                        core(&self.units[id].name).iter().filter(|c| w.contains(c)).count(),
                    ))
                    .max()
                    .unwrap_or(0);
                (best > 0).then_some((best, id))
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| self.units[a.1].name.cmp(&self.units[b.1].name))
        });
        let top = scored.first().map_or(0, |s| s.0);
        scored
            .into_iter()
            .filter(|s| s.0 == top)
            .take(n)
            .map(|(_, id)| self.units[id].name.clone())
            .collect()
    }

    /// Parses a 类别 value.
    pub fn parse_group(&self, s: &str) -> Option<Group> {
        let f = text::fold(s);
        if f.is_empty() {
            None
        } else if f == text::fold(&self.town_group) || f == "乡" || f == "镇" || f == "街道" {
            Some(Group::Town)
        } else {
            Some(Group::Department)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::UnitDef;

    fn rules() -> UnitRules {
        UnitRules {
            town_suffixes: vec!["镇".into(), "乡".into(), "街道".into()],
            town_group: "乡镇".into(),
            department_group: "县直部门".into(),
            strip_prefixes: vec!["华容县".into(), "县".into()],
            strip_suffixes: vec!["人民政府".into()],
            unit_words: Vec::new(),
            common_aliases: vec!["人社".into()],
            name_endings: vec!["局".into()],
            units: vec![
                UnitDef {
                    name: "华容县人力资源和社会保障局".into(),
                    aliases: vec!["人社".into(), "人社局".into(), "县人社局".into()],
                },
                UnitDef {
                    name: "华容县卫生健康局".into(),
                    aliases: vec!["卫健局".into(), "卫健".into()],
                },
                UnitDef {
                    name: "章华镇".into(),
                    aliases: vec![],
                },
            ],
        }
    }

    #[test]
    fn short_forms_are_one_unit() {
        let r = UnitRegistry::new(&rules());
        let a = r.lookup("人社").unwrap();
        for s in [
            "人社局",
            "县人社局",
            "华容县人力资源和社会保障局",
            " 人社局\u{3000}",
            "华容县人社局",
        ] {
            assert_eq!(r.lookup(s), Some(a), "{s}");
        }
        assert_eq!(r.lookup("章华镇人民政府"), r.lookup("章华镇"));
        assert_eq!(r.lookup("教体局"), None);
    }

    #[test]
    fn remembered_lookups_follow_added_names() {
        let mut r = UnitRegistry::new(&rules());
        for s in ["人社局", " 人社局", "章华镇人民政府", "教体局", "", "人社局"] {
            assert_eq!(r.lookup_memo(s), r.lookup(s), "{s}");
        }
        assert_eq!(r.lookup_memo("教体局"), None);
        // A unit created after a miss is found by the next lookup of the miss.
        let id = r.name_of("华容县教体局");
        assert_eq!(r.lookup_memo("教体局"), Some(id));
        assert_eq!(r.name_of("教体局"), id);
        // So is an alias added by the county list.
        assert_eq!(r.lookup_memo("文旅"), None);
        let w = r.add_listed("华容县文旅广体局", Some(Group::Department), &["文旅"]);
        assert_eq!(r.lookup_memo("文旅"), Some(w));
    }

    #[test]
    fn groups_follow_name_endings() {
        let mut r = UnitRegistry::new(&rules());
        let (t, unlisted) = r.resolve("新河乡");
        assert!(!unlisted, "no county list was given");
        assert_eq!(r.units[t].group, Group::Town);
        let (d, _) = r.resolve("华容县卫健局");
        assert_eq!(r.units[d].group, Group::Department);
        assert_eq!(r.name(d), "华容县卫生健康局");
        let (x, _) = r.resolve("万庾镇人民政府");
        assert_eq!(r.units[x].group, Group::Town);
    }

    #[test]
    fn finds_the_longest_alias_in_titles() {
        let r = UnitRegistry::new(&rules());
        let w = r.lookup("卫健局");
        assert_eq!(r.find_in_text("华容县卫健局2021年政府信息主动公开台账"), w);
        assert_eq!(r.find_in_text("卫健局与人社局联合台账"), None);
        assert_eq!(r.find_in_text("2021年台账"), None);
        // A common-word alias names a unit only as a whole name.
        assert_eq!(r.find_in_text("2021年人社情况"), None);
        let rs = r.lookup("人社");
        assert_eq!(r.find_in_text("人社局2021年台账"), rs);
        assert_eq!(r.find_in_text("县人社2021年台账"), rs);
    }

    #[test]
    fn suggests_names_by_shared_characters() {
        let mut r = UnitRegistry::new(&rules());
        r.add_listed("卫健局", Some(Group::Department), &[]);
        r.add_listed("章华镇", Some(Group::Town), &[]);
        r.add_listed("人社局", Some(Group::Department), &[]);
        assert_eq!(r.closest("卫生局", 3), vec!["卫健局".to_string()]);
        assert!(r.closest("县住建局", 3).is_empty());
    }

    #[test]
    fn list_names_become_display_names() {
        let mut r = UnitRegistry::new(&rules());
        let id = r.add_listed("县卫健局", Some(Group::Department), &["卫生局"]);
        assert_eq!(r.name(id), "县卫健局");
        assert_eq!(r.lookup("华容县卫生健康局"), Some(id));
        assert_eq!(r.lookup("卫生局"), Some(id));
        let (_, not_listed) = r.resolve("人社局");
        assert!(not_listed);
    }
}
