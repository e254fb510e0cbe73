//! Named RFM segments: the 11-segment table of SEMANTICS.md ("RFM"), or custom rules
//! given as score ranges. The first matching rule wins, else "Others".

use crate::json::FromJson;

use crate::error::{InsituError, Result};

/// The name of customers no rule matches.
pub const OTHERS: &str = "Others";

/// The most custom segments: with "Others" their codes fit the byte a customer's
/// segment takes in the scores and in the result table's dictionary keys.
pub const MAX_SEGMENTS: usize = 100;

/// A custom segment rule: inclusive score ranges `[lo, hi]` (on the `1..=bins` scale);
/// a missing range matches any score.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct RfmRule {
    /// The segment name.
    pub name: String,
    /// Recency score range.
    pub r: Option<[f64; 2]>,
    /// Frequency score range.
    pub f: Option<[f64; 2]>,
    /// Monetary score range.
    pub m: Option<[f64; 2]>,
}

/// A validated rule: inclusive `(lo, hi)` score ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRule {
    /// The segment name.
    pub name: String,
    /// Inclusive recency, frequency and monetary score ranges.
    pub ranges: [(u8, u8); 3],
}

/// The standard table on the 1..5 scale, in SEMANTICS.md order.
const STANDARD: [(&str, [(u8, u8); 3]); 11] = [
    ("Champions", [(4, 5), (4, 5), (4, 5)]),
    ("Loyal Customers", [(2, 5), (3, 5), (3, 5)]),
    ("Potential Loyalist", [(3, 5), (1, 3), (1, 3)]),
    ("New Customers", [(4, 5), (1, 1), (1, 1)]),
    ("Promising", [(3, 4), (1, 1), (1, 1)]),
    ("Need Attention", [(2, 3), (2, 3), (2, 3)]),
    ("About To Sleep", [(2, 3), (1, 2), (1, 2)]),
    ("At Risk", [(1, 2), (2, 5), (2, 5)]),
    ("Can't Lose Them", [(1, 1), (4, 5), (4, 5)]),
    ("Hibernating", [(1, 2), (1, 2), (1, 2)]),
    ("Lost", [(1, 2), (1, 2), (1, 2)]),
];

/// The names of the standard segments, in table order.
pub fn standard_names() -> Vec<String> {
    STANDARD.iter().map(|(n, _)| (*n).to_owned()).collect()
}

/// How scores are matched against segment rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRules {
    /// The rules, in order.
    pub rules: Vec<ScoreRule>,
    /// The standard table, whose ranges are on the 1..5 scale: scores on another scale
    /// are mapped onto it first.
    pub standard: bool,
    /// Scores run `1..=bins`.
    pub bins: u8,
}

impl SegmentRules {
    /// The standard table, or the custom `rules` (validated against `bins`).
    pub fn new(bins: u8, custom: Option<&[RfmRule]>) -> Result<SegmentRules> {
        let Some(custom) = custom else {
            return Ok(SegmentRules {
                rules: STANDARD
                    .iter()
                    .map(|(name, ranges)| ScoreRule {
                        name: (*name).to_owned(),
                        ranges: *ranges,
                    })
                    .collect(),
                standard: true,
                bins,
            });
        };
        if custom.is_empty() {
            return Err(InsituError::bad_option(
                "segments",
                "give at least one rule, or leave segments out for the standard table",
            ));
        }
        if custom.len() > MAX_SEGMENTS {
            return Err(InsituError::bad_option(
                "segments",
                format!(
                    "{} rules is more than the {MAX_SEGMENTS} segments RFM takes",
                    custom.len()
                ),
            ));
        }
        let mut rules = Vec::with_capacity(custom.len());
        for (i, rule) in custom.iter().enumerate() {
            let option = format!("segments[{i}]");
            let name = rule.name.trim();
            if name.is_empty() || name == OTHERS {
                return Err(InsituError::bad_option(
                    option,
                    format!("a segment needs a name other than \"\" and \"{OTHERS}\""),
                ));
            }
            if rules.iter().any(|r: &ScoreRule| r.name == name) {
                return Err(InsituError::bad_option(
                    option,
                    format!("segment \"{name}\" is defined twice"),
                ));
            }
            let range = |which: &str, r: Option<[f64; 2]>| -> Result<(u8, u8)> {
                let Some([lo, hi]) = r else {
                    return Ok((1, bins));
                };
                let whole = |x: f64| x.fract() == 0.0 && x >= 1.0 && x <= f64::from(bins);
                if !(whole(lo) && whole(hi) && lo <= hi) {
                    return Err(InsituError::bad_option(
                        format!("{option}.{which}"),
                        format!("[{lo}, {hi}] is not a score range; use [lo, hi] with whole scores 1 <= lo <= hi <= {bins}"),
                    ));
                }
                Ok((lo as u8, hi as u8))
            };
            rules.push(ScoreRule {
                name: name.to_owned(),
                ranges: [
                    range("r", rule.r)?,
                    range("f", rule.f)?,
                    range("m", rule.m)?,
                ],
            });
        }
        Ok(SegmentRules {
            rules,
            standard: false,
            bins,
        })
    }

    /// The segment names, then [`OTHERS`].
    pub fn labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self.rules.iter().map(|r| r.name.clone()).collect();
        labels.push(OTHERS.to_owned());
        labels
    }

    /// A score on the rules' scale: unchanged for custom rules; for the standard table,
    /// `1 + round((s - 1) * 4 / (bins - 1))`, so 1 stays worst and `bins` best.
    fn scale(&self, s: u8) -> u8 {
        if !self.standard || self.bins == 5 {
            return s;
        }
        let b = f64::from(self.bins.max(2));
        1 + ((f64::from(s) - 1.0) * 4.0 / (b - 1.0)).round() as u8
    }

    /// The index of the first rule matching scores `(r, f, m)`, or `rules.len()` (Others).
    pub fn classify(&self, r: u8, f: u8, m: u8) -> usize {
        let s = [self.scale(r), self.scale(f), self.scale(m)];
        self.rules
            .iter()
            .position(|rule| {
                rule.ranges
                    .iter()
                    .zip(s)
                    .all(|(&(lo, hi), x)| lo <= x && x <= hi)
            })
            .unwrap_or(self.rules.len())
    }

    /// Rules that can never match because earlier rules take all their scores (checked
    /// over every score combination), as warnings.
    pub fn unreachable(&self) -> Vec<String> {
        let mut hit = vec![false; self.rules.len()];
        for r in 1..=self.bins {
            for f in 1..=self.bins {
                for m in 1..=self.bins {
                    if let Some(h) = hit.get_mut(self.classify(r, f, m)) {
                        *h = true;
                    }
                }
            }
        }
        self.rules
            .iter()
            .zip(hit)
            .filter(|(_, h)| !h)
            .map(|(rule, _)| {
                format!(
                    "segment \"{}\" can never match: earlier rules take all of its scores (first matching rule wins)",
                    rule.name
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_table_first_match() {
        let s = SegmentRules::new(5, None).unwrap();
        let name = |r, f, m| s.labels()[s.classify(r, f, m)].clone();
        assert_eq!(name(5, 5, 5), "Champions");
        assert_eq!(name(3, 4, 4), "Loyal Customers");
        assert_eq!(name(5, 1, 1), "Potential Loyalist");
        assert_eq!(name(2, 2, 2), "Need Attention");
        assert_eq!(name(2, 1, 2), "About To Sleep");
        assert_eq!(name(1, 5, 5), "At Risk");
        assert_eq!(name(1, 1, 1), "Hibernating");
        assert_eq!(name(5, 5, 1), "Others");
        // As SEMANTICS.md orders the table, four rows are shadowed by earlier ones.
        let unreachable = s.unreachable();
        assert_eq!(unreachable.len(), 4, "{unreachable:?}");
        for n in ["New Customers", "Promising", "Can't Lose Them", "Lost"] {
            assert!(unreachable.iter().any(|w| w.contains(n)), "{n}");
        }
    }

    #[test]
    fn other_scales_map_onto_one_to_five() {
        let s = SegmentRules::new(10, None).unwrap();
        assert_eq!(s.scale(1), 1);
        assert_eq!(s.scale(10), 5);
        assert_eq!(s.scale(5), 3);
        let s4 = SegmentRules::new(4, None).unwrap();
        assert_eq!(
            (1..=4).map(|x| s4.scale(x)).collect::<Vec<_>>(),
            vec![1, 2, 4, 5]
        );
    }

    #[test]
    fn custom_rules_are_validated() {
        let rule = |r: Option<[f64; 2]>| RfmRule {
            name: "VIP".into(),
            r,
            f: None,
            m: Some([5.0, 5.0]),
        };
        let s = SegmentRules::new(5, Some(&[rule(Some([4.0, 5.0]))])).unwrap();
        assert_eq!(s.labels(), vec!["VIP", "Others"]);
        assert_eq!(s.classify(4, 1, 5), 0);
        assert_eq!(s.classify(4, 1, 4), 1);
        let e = SegmentRules::new(5, Some(&[rule(Some([0.0, 6.0]))])).unwrap_err();
        assert!(e.to_string().contains("segments[0].r"), "{e}");
        assert!(SegmentRules::new(5, Some(&[])).is_err());
    }
}
