//! "Did you mean" for unknown names: the closest existing names by edit distance.

/// Edit (Levenshtein) distance between two strings, by characters, case-insensitive.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Up to `limit` names from `candidates` closest to `name`, closest first (ties in
/// candidate order).
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| (edit_distance(name, c), i, c))
        .collect();
    crate::sorting::sort_by(&mut scored, &|a, b| a.cmp(b));
    scored.into_iter().take(limit).map(|(_, _, c)| c).collect()
}

/// A message for an unknown `what` called `name`: the closest existing names, quoted.
pub fn unknown_message<'a>(
    what: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    let near = closest(name, candidates, 3);
    if near.is_empty() {
        format!("no {what} \"{name}\" (there are none in the data)")
    } else {
        let quoted: Vec<String> = near.iter().map(|n| format!("\"{n}\"")).collect();
        format!("no {what} \"{name}\"; closest: {}", quoted.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Purchase", "purchase"), 0);
        let names = ["visit", "purchase", "signup", "add_to_cart"];
        assert_eq!(closest("purchse", names, 1), vec!["purchase"]);
        assert!(unknown_message("event", "sigup", names)
            .starts_with("no event \"sigup\"; closest: \"signup\", "));
        assert_eq!(
            unknown_message("event", "x", []),
            "no event \"x\" (there are none in the data)"
        );
    }
}
