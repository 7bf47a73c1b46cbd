//! Unit resolution: written names → one unit each, through the embedded aliases and the
//! county's list. The embedded names only resolve; a unit is assessed when it is on the
//! county list or found in the data.

use serde::Serialize;
use std::collections::HashMap;

use crate::rules::UnitRules;
use crate::text;

pub type UnitId = usize;

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

#[derive(Debug, Clone)]
pub struct UnitRegistry {
    pub units: Vec<Unit>,
    /// Folded name or alias (and its stripped form) → unit.
    keys: HashMap<String, UnitId>,
    /// Folded names and aliases, for finding a unit inside a title or file name.
    patterns: Vec<(String, UnitId)>,
    strip_prefixes: Vec<String>,
    strip_suffixes: Vec<String>,
    town_suffixes: Vec<String>,
    pub town_group: String,
    pub department_group: String,
    /// Whether a county list was given.
    pub has_list: bool,
}

impl UnitRegistry {
    pub fn new(rules: &UnitRules) -> Self {
        let by_len = |v: &[String]| {
            let mut v: Vec<String> = v.iter().map(|s| text::fold(s)).collect();
            v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            v
        };
        let mut reg = UnitRegistry {
            units: Vec::new(),
            keys: HashMap::new(),
            patterns: Vec::new(),
            strip_prefixes: by_len(&rules.strip_prefixes),
            strip_suffixes: by_len(&rules.strip_suffixes),
            town_suffixes: rules.town_suffixes.clone(),
            town_group: rules.town_group.clone(),
            department_group: rules.department_group.clone(),
            has_list: false,
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
        let id = self.units.len();
        let group = group.unwrap_or_else(|| self.group_of(name));
        self.units.push(Unit {
            name: text::clean(name).to_string(),
            group,
            on_list: false,
            assessed: false,
        });
        self.add_alias(name, id);
        id
    }

    fn add_alias(&mut self, alias: &str, id: UnitId) {
        let f = text::fold(alias);
        if f.is_empty() {
            return;
        }
        let s = self.stripped(&f);
        self.keys.entry(f.clone()).or_insert(id);
        self.keys.entry(s).or_insert(id);
        if !self.patterns.iter().any(|(p, _)| *p == f) {
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

    /// Resolves a written name, creating a unit when it is unknown; marks it assessed.
    /// Returns whether a county list was given and the unit is not on it.
    pub fn resolve(&mut self, written: &str) -> (UnitId, bool) {
        let id = match self.lookup(written) {
            Some(id) => id,
            None => self.push(written, None),
        };
        self.units[id].assessed = true;
        (id, self.has_list && !self.units[id].on_list)
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
        for (p, id) in &self.patterns {
            let mut from = 0;
            while let Some(i) = t[from..].find(p.as_str()) {
                let start = from + i;
                spans.push((start, start + p.len(), *id));
                from = start + p.len().max(1);
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
        let mut v: Vec<UnitId> = (0..self.units.len()).filter(|i| self.units[*i].assessed).collect();
        v.sort_by(|a, b| {
            let (ua, ub) = (&self.units[*a], &self.units[*b]);
            ua.group.cmp(&ub.group).then_with(|| ua.name.cmp(&ub.name))
        });
        v
    }

    pub fn name(&self, id: UnitId) -> &str {
        &self.units[id].name
    }

    /// Names of all units (known or assessed) closest to a written one, for messages.
    pub fn closest(&self, written: &str, n: usize) -> Vec<String> {
        text::closest(written, self.units.iter().map(|u| u.name.as_str()), n)
            .into_iter()
            .map(String::from)
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
