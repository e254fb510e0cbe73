//! Turns feature columns into model inputs: numbers standardised (mean 0, standard
//! deviation 1 over the training rows, nulls imputed with the mean plus a "missing"
//! indicator column), categories one-hot (the most frequent levels, the rest folded
//! into "(other)"; a null category is all zeros).

use super::logistic::{Block, Fit, Rows, BLOCK, NO_COLUMN};
use crate::data::properties::NULL_CODE;

/// A feature's values for every customer (by dense number).
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Numbers; `NaN` is null.
    Number(Vec<f64>),
    /// Codes into labels; [`NULL_CODE`] is null.
    Category {
        codes: Vec<u32>,
        labels: Vec<String>,
    },
}

/// A named feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature as written.
    pub name: String,
    /// Its values.
    pub values: Values,
}

/// One model column.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Index into the features.
    pub feature: usize,
    /// The category level (one-hot), `"(missing)"` for a missing indicator, or `None`
    /// for a number.
    pub level: Option<String>,
    /// Mean used to centre (numbers and indicators).
    pub mean: Option<f64>,
    /// Standard deviation used to scale.
    pub std: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
enum Encoding {
    Number {
        column: usize,
        mean: f64,
        std: f64,
        missing: Option<(usize, f64, f64)>,
    },
    OneHot {
        columns: Vec<Option<usize>>,
    },
}

/// The encoding of every feature, fitted on some rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    encodings: Vec<Encoding>,
    /// The model columns, in order.
    pub terms: Vec<Term>,
}

/// Mean and population standard deviation (n, like scikit-learn's StandardScaler);
/// a zero deviation is replaced by 1 so the column is simply centred.
fn mean_std(values: impl Iterator<Item = f64> + Clone) -> (f64, f64, bool) {
    let (mut n, mut sum) = (0.0, 0.0);
    for v in values.clone() {
        n += 1.0;
        sum += v;
    }
    let mean = if n > 0.0 { sum / n } else { 0.0 };
    let var = if n > 0.0 {
        values.map(|v| (v - mean).powi(2)).sum::<f64>() / n
    } else {
        0.0
    };
    let std = var.sqrt();
    if std > 0.0 && std.is_finite() {
        (mean, std, true)
    } else {
        (mean, 1.0, false)
    }
}

/// Label of levels folded together.
pub const OTHER_LEVEL: &str = "(other)";
/// Level of the missing-value indicator of a number.
pub const MISSING_LEVEL: &str = "(missing)";

impl Design {
    /// Fits the encodings on `rows` (customer numbers), keeping at most `max_levels`
    /// levels per category.
    pub fn fit(features: &[Feature], rows: &[usize], max_levels: usize) -> Design {
        let mut encodings = Vec::new();
        let mut terms = Vec::new();
        for (f, feature) in features.iter().enumerate() {
            match &feature.values {
                Values::Number(v) => {
                    let present = rows.iter().map(|&c| v[c]).filter(|x| !x.is_nan());
                    let (mean, std, _) = mean_std(present);
                    let column = terms.len();
                    terms.push(Term {
                        feature: f,
                        level: None,
                        mean: Some(mean),
                        std: Some(std),
                    });
                    let nulls = rows.iter().filter(|&&c| v[c].is_nan()).count();
                    let missing = (nulls > 0).then(|| {
                        let flags = rows.iter().map(|&c| f64::from(u8::from(v[c].is_nan())));
                        let (m, s, _) = mean_std(flags);
                        let col = terms.len();
                        terms.push(Term {
                            feature: f,
                            level: Some(MISSING_LEVEL.into()),
                            mean: Some(m),
                            std: Some(s),
                        });
                        (col, m, s)
                    });
                    encodings.push(Encoding::Number {
                        column,
                        mean,
                        std,
                        missing,
                    });
                }
                Values::Category { codes, labels } => {
                    let mut counts = vec![0usize; labels.len()];
                    for &c in rows {
                        if let Some(n) = counts.get_mut(codes[c] as usize) {
                            *n += 1;
                        }
                    }
                    let mut order: Vec<usize> =
                        (0..labels.len()).filter(|&l| counts[l] > 0).collect();
                    crate::sorting::sort_by(&mut order, &|&a, &b| {
                        counts[b].cmp(&counts[a]).then(labels[a].cmp(&labels[b]))
                    });
                    let mut columns = vec![None; labels.len()];
                    let keep = if order.len() > max_levels {
                        max_levels.saturating_sub(1)
                    } else {
                        order.len()
                    };
                    let mut kept: Vec<usize> = order[..keep].to_vec();
                    // Stable output: kept levels in label order.
                    crate::sorting::sort_by(&mut kept, &|&a, &b| labels[a].cmp(&labels[b]));
                    for l in kept {
                        columns[l] = Some(terms.len());
                        terms.push(Term {
                            feature: f,
                            level: Some(labels[l].clone()),
                            mean: None,
                            std: None,
                        });
                    }
                    if order.len() > keep {
                        let col = terms.len();
                        terms.push(Term {
                            feature: f,
                            level: Some(OTHER_LEVEL.into()),
                            mean: None,
                            std: None,
                        });
                        for &l in &order[keep..] {
                            columns[l] = Some(col);
                        }
                    }
                    encodings.push(Encoding::OneHot { columns });
                }
            }
        }
        Design { encodings, terms }
    }

    /// Number of model columns.
    pub fn dim(&self) -> usize {
        self.terms.len()
    }

    /// The non-zero inputs of customer `c`, into `out` (cleared first).
    pub fn row(&self, features: &[Feature], c: usize, out: &mut Vec<(usize, f64)>) {
        out.clear();
        for (enc, feature) in self.encodings.iter().zip(features) {
            match (enc, &feature.values) {
                (
                    Encoding::Number {
                        column,
                        mean,
                        std,
                        missing,
                    },
                    Values::Number(v),
                ) => {
                    let x = v[c];
                    // Imputed with the mean: 0 after centring.
                    if !x.is_nan() {
                        out.push((*column, (x - mean) / std));
                    }
                    if let Some((col, m, s)) = missing {
                        let flag = f64::from(u8::from(x.is_nan()));
                        out.push((*col, (flag - m) / s));
                    }
                }
                (Encoding::OneHot { columns }, Values::Category { codes, .. }) => {
                    let code = codes[c];
                    if code != NULL_CODE {
                        if let Some(Some(col)) = columns.get(code as usize) {
                            out.push((*col, 1.0));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Training rows: customers with their labels, read through a design.
pub struct Training<'a> {
    /// The encodings.
    pub design: &'a Design,
    /// The features.
    pub features: &'a [Feature],
    /// Customer numbers of the rows.
    pub customers: &'a [usize],
    /// Seed membership by customer number.
    pub seed: &'a [bool],
}

impl Rows for Training<'_> {
    fn len(&self) -> usize {
        self.customers.len()
    }
    fn dim(&self) -> usize {
        self.design.dim()
    }
    fn dense_columns(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for enc in &self.design.encodings {
            if let Encoding::Number {
                column, missing, ..
            } = enc
            {
                out.push(*column);
                out.extend(missing.map(|(col, _, _)| col));
            }
        }
        out
    }
    fn groups(&self) -> usize {
        self.design
            .encodings
            .iter()
            .filter(|e| matches!(e, Encoding::OneHot { .. }))
            .count()
    }
    /// The same values as [`Design::row`], laid out by column.
    fn fill(&self, start: usize, block: &mut Block) {
        let n = block.len;
        let customers = &self.customers[start..start + n];
        for (y, &c) in block.label.iter_mut().zip(customers) {
            *y = f64::from(u8::from(self.seed[c]));
        }
        let (mut j, mut g) = (0, 0);
        for (enc, feature) in self.design.encodings.iter().zip(self.features) {
            match enc {
                Encoding::Number {
                    mean, std, missing, ..
                } => {
                    let v = match &feature.values {
                        Values::Number(v) => Some(v),
                        Values::Category { .. } => None,
                    };
                    let x = |c: usize| v.map_or(f64::NAN, |v| v[c]);
                    let out = &mut block.dense[j * BLOCK..][..n];
                    for (o, &c) in out.iter_mut().zip(customers) {
                        let x = x(c);
                        // Imputed with the mean: 0 after centring.
                        *o = if x.is_nan() { 0.0 } else { (x - mean) / std };
                    }
                    j += 1;
                    if let Some((_, m, s)) = missing {
                        let out = &mut block.dense[j * BLOCK..][..n];
                        for (o, &c) in out.iter_mut().zip(customers) {
                            *o = (f64::from(u8::from(x(c).is_nan())) - m) / s;
                        }
                        j += 1;
                    }
                }
                Encoding::OneHot { columns } => {
                    let out = &mut block.onehot[g * BLOCK..][..n];
                    for (o, &c) in out.iter_mut().zip(customers) {
                        let code = match &feature.values {
                            Values::Category { codes, .. } => codes[c],
                            Values::Number(_) => NULL_CODE,
                        };
                        *o = match columns.get(code as usize) {
                            Some(Some(col)) if code != NULL_CODE => *col as u32,
                            _ => NO_COLUMN,
                        };
                    }
                    g += 1;
                }
            }
        }
    }
}

impl Design {
    /// `fit` (made with design `from`, on other rows) as parameters of this design: the
    /// same function of the raw values, rescaled to this design's means and standard
    /// deviations; a column `from` lacks starts at 0. A start for [`super::logistic::fit`].
    pub fn carry(&self, from: &Design, fit: &Fit) -> Vec<f64> {
        let mut theta = vec![0.0; self.dim() + 1];
        let mut intercept = fit.intercept;
        for (k, term) in self.terms.iter().enumerate() {
            let Some((i, old)) = from
                .terms
                .iter()
                .enumerate()
                .find(|(_, t)| t.feature == term.feature && t.level == term.level)
            else {
                continue;
            };
            let w = fit.weights.get(i).copied().unwrap_or(0.0);
            theta[k + 1] = match (term.mean, term.std, old.mean, old.std) {
                // w (x - m) / s = w' (x - m') / s' + w (m' - m) / s with w' = w s' / s.
                (Some(m2), Some(s2), Some(m1), Some(s1)) => {
                    intercept += w * (m2 - m1) / s1;
                    w * s2 / s1
                }
                _ => w,
            };
        }
        theta[0] = intercept;
        theta
    }
}

/// Why a feature cannot be used on `rows`: constant or all null.
pub fn unusable(feature: &Feature, rows: &[usize]) -> Option<String> {
    match &feature.values {
        Values::Number(v) => {
            let present: Vec<f64> = rows.iter().map(|&c| v[c]).filter(|x| !x.is_nan()).collect();
            if present.is_empty() {
                return Some("is null for every customer of the seed and population".into());
            }
            let nulls = present.len() < rows.len();
            if !nulls && present.iter().all(|&x| x == present[0]) {
                return Some(format!(
                    "is constant ({} for every customer of the seed and population)",
                    present[0]
                ));
            }
            None
        }
        Values::Category { codes, labels } => {
            let mut seen: Option<u32> = None;
            let mut varies = false;
            let mut nulls = false;
            for &c in rows {
                let code = codes[c];
                if code == NULL_CODE {
                    nulls = true;
                    continue;
                }
                match seen {
                    None => seen = Some(code),
                    Some(s) if s != code => varies = true,
                    _ => {}
                }
            }
            match seen {
                None => Some("is null for every customer of the seed and population".into()),
                Some(s) if !varies && !nulls => Some(format!(
                    "is constant (\"{}\" for every customer of the seed and population)",
                    labels.get(s as usize).map(String::as_str).unwrap_or("")
                )),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardises_one_hot_and_folds_levels() {
        let features = vec![
            Feature {
                name: "x".into(),
                values: Values::Number(vec![1.0, 3.0, f64::NAN, 5.0]),
            },
            Feature {
                name: "c".into(),
                values: Values::Category {
                    codes: vec![0, 1, 2, NULL_CODE],
                    labels: vec!["a".into(), "b".into(), "z".into()],
                },
            },
        ];
        let d = Design::fit(&features, &[0, 1, 2, 3], 2);
        let levels: Vec<Option<&str>> = d.terms.iter().map(|t| t.level.as_deref()).collect();
        assert_eq!(
            levels,
            vec![None, Some(MISSING_LEVEL), Some("a"), Some(OTHER_LEVEL)]
        );
        let mut row = Vec::new();
        d.row(&features, 1, &mut row);
        // x: mean 3, std sqrt(8/3); present, not missing; c = "b" folded into (other).
        assert_eq!(row[0], (0, 0.0));
        assert_eq!(row[2], (3, 1.0));
        d.row(&features, 3, &mut row);
        assert_eq!(row.len(), 2); // x and its indicator; null category: nothing
        assert_eq!(unusable(&features[0], &[0, 1]), None);
        assert!(unusable(&features[1], &[3]).unwrap().contains("null"));
        let k = Feature {
            name: "k".into(),
            values: Values::Number(vec![2.0, 2.0]),
        };
        assert!(unusable(&k, &[0, 1]).unwrap().contains("constant"));
    }
}
