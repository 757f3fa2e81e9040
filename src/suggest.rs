//! "Did you mean": the closest known name to a misspelled one.

/// Short forms people write for a name, and the name.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("prod", "production"),
    ("prd", "production"),
    ("live", "production"),
    ("stage", "staging"),
    ("stg", "staging"),
    ("dev", "development"),
    ("sbx", "sandbox"),
];

/// The candidate closest to `input`, if it is close enough to be a likely typo
/// (or `input` is a common short form of it, such as `prod`).
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.trim().to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let expansion = SHORT_FORMS.iter().find(|(short, _)| *short == input_lower).map(|(_, long)| *long);
    if let Some(long) = expansion.and_then(|long| candidates.iter().find(|c| **c == long)) {
        return Some(long);
    }
    candidates
        .into_iter()
        .map(|c| {
            let c_lower = c.to_lowercase();
            // Case-only differences and `-` for `_` are the closest of all.
            let normalized = input_lower.replace('-', "_") == c_lower;
            let distance = if normalized { 0 } else { strsim::damerau_levenshtein(&input_lower, &c_lower) };
            (c, distance)
        })
        .filter(|(c, distance)| {
            let longest = input.chars().count().max(c.chars().count());
            // Allow about one edit in three characters, at least one.
            *distance <= (longest / 3).max(1)
        })
        .min_by_key(|(c, distance)| (*distance, *c))
        .map(|(c, _)| c)
}

/// `did you mean `x`?` or an empty string, for help texts.
pub fn did_you_mean_help<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// `` `a`, `b` or `c` ``: a list of names for messages.
pub fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => format!("`{only}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|n| format!("`{n}`")).collect();
            format!("{} or `{last}`", init.join(", "))
        }
    }
}

/// `` `a`, `b` and `c` ``: a list of names for messages.
pub fn all_of(names: &[&str]) -> String {
    match names {
        [init @ .., last] if !init.is_empty() => {
            let init: Vec<String> = init.iter().map(|n| format!("`{n}`")).collect();
            format!("{} and `{last}`", init.join(", "))
        }
        _ => one_of(names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["timeout", "memory", "runtime", "architecture"];
        assert_eq!(did_you_mean("timout", keys), Some("timeout"));
        assert_eq!(did_you_mean("memroy", keys), Some("memory"));
        assert_eq!(did_you_mean("arch", keys), None);
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("internet-facing", ["internet_facing", "internal"]), Some("internet_facing"));
    }

    #[test]
    fn lists_names() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
