//! Unit names: full names and the short forms clerks write. Resolves names only;
//! it never adds a unit to the assessment.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRules {
    /// Name endings that make a unit a 乡镇 (镇, 乡, 街道); any other is a 县直部门.
    pub town_suffixes: Vec<String>,
    /// Group names as shown: [乡镇, 县直部门].
    pub town_group: String,
    pub department_group: String,
    /// Prefixes removed from a written name before matching (华容县, 县).
    #[serde(default)]
    pub strip_prefixes: Vec<String>,
    /// Suffixes removed from a written name before matching (人民政府).
    #[serde(default)]
    pub strip_suffixes: Vec<String>,
    /// Without a county list, a name the aliases do not know becomes a unit only when it
    /// ends with one of these words (镇, 局, 中心 …) and holds no path or formula
    /// characters; other text in a unit column is `unit-unreadable`.
    #[serde(default)]
    pub unit_words: Vec<String>,
    /// Aliases that are also common words (统计, 财政 …): inside a title or file name
    /// they name a unit only as a whole name (…统计局, 县统计…).
    #[serde(default)]
    pub common_aliases: Vec<String>,
    /// Endings that make a common word a unit's name (局, 委, 办 …), also ignored when
    /// looking for similar names.
    #[serde(default)]
    pub name_endings: Vec<String>,
    #[serde(rename = "unit", default)]
    pub units: Vec<UnitDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    /// Full name, as shown in every output.
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}
