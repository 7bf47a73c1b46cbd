//! A fast hasher for maps on hot paths (addresses, ids, short text): the FxHash
//! multiply-rotate of rustc, in a few lines rather than a dependency. It is not resistant
//! to chosen keys; a file crafted to collide costs time, never a wrong result.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// `HashMap<K, V, FxBuild>`: a map with the fast hasher.
pub type FxBuild = BuildHasherDefault<FxHasher>;

/// The result of a pure function of a text, computed once per distinct text: cells of
/// a column repeat a few values (units, dates, categories) over many rows. Holds at most
/// `TextMemo::CAP` texts; past that it starts over, so a column of all-different texts
/// costs a map of bounded size, never a growing one.
#[derive(Debug, Clone)]
pub struct TextMemo<V> {
    map: std::collections::HashMap<Box<str>, V, FxBuild>,
}

impl<V> Default for TextMemo<V> {
    fn default() -> Self {
        TextMemo {
            map: std::collections::HashMap::default(),
        }
    }
}

impl<V: Clone> TextMemo<V> {
    pub const CAP: usize = 4096;

    /// `f(text)`, computed the first time `text` is asked for.
    pub fn get_or(&mut self, text: &str, f: impl FnOnce(&str) -> V) -> V {
        if let Some(v) = self.get(text) {
            return v;
        }
        let v = f(text);
        self.insert(text, v.clone());
        v
    }

    /// What was remembered for `text`.
    pub fn get(&self, text: &str) -> Option<V> {
        self.map.get(text).cloned()
    }

    /// Remembers `v` for `text`.
    pub fn insert(&mut self, text: &str, v: V) {
        if self.map.len() >= Self::CAP {
            self.map.clear();
        }
        self.map.insert(text.into(), v);
    }

    /// Forgets every text (what `f` computes from changed).
    pub fn clear(&mut self) {
        self.map.clear();
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn maps_work_with_it() {
        let mut m: HashMap<String, usize, FxBuild> = HashMap::default();
        for i in 0..1000 {
            m.insert(format!("单位{i}"), i);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.get("单位417"), Some(&417));
        assert_eq!(m.get("单位1000"), None);
    }

    #[test]
    fn memo_computes_once_per_text_and_stays_bounded() {
        let mut memo: TextMemo<usize> = TextMemo::default();
        let mut calls = 0;
        for t in ["甲", "乙", "甲", "甲", "乙"] {
            let v = memo.get_or(t, |s| {
                calls += 1;
                s.len()
            });
            assert_eq!(v, t.len());
        }
        assert_eq!(calls, 2);
        assert_eq!(memo.len(), 2);
        memo.clear();
        assert!(memo.is_empty());
        for i in 0..TextMemo::<usize>::CAP + 10 {
            assert_eq!(memo.get_or(&i.to_string(), |s| s.len()), i.to_string().len());
        }
        assert!(memo.len() <= TextMemo::<usize>::CAP);
        // Still right after starting over.
        assert_eq!(memo.get_or("0", |_| 99), 99);
        assert_eq!(memo.get_or("0", |_| 7), 99);
    }
}
