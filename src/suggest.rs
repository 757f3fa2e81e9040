//! "Did you mean": the closest known name to a misspelled one.

/// Other words people write for a name (short forms, synonyms), and the
/// name; each applies wherever the name is a candidate, for every enum.
const ALIASES: &[(&str, &str)] = &[
    ("prod", "production"),
    ("prd", "production"),
    ("live", "production"),
    ("stage", "staging"),
    ("stg", "staging"),
    ("dev", "development"),
    ("sbx", "sandbox"),
    // Reached only from inside the VPC: AWS says "internal" of load
    // balancers, and the needs file of an exposure.
    ("private", "internal"),
];

/// The candidate closest to `input`, if it is close enough to be a likely
/// typo, or `input` is another word for it (`prod`, `private` for
/// `internal`), or one word of it (`iam` for `aws_iam`).
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.trim().to_lowercase();
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let mut aliased = ALIASES.iter().filter(|(word, _)| *word == input_lower);
    if let Some(long) = aliased.find_map(|(_, long)| candidates.iter().find(|c| **c == *long)) {
        return Some(long);
    }
    // One word of exactly one candidate's `_`-separated words.
    let word = input_lower.replace('-', "_");
    let holding: Vec<&'a str> = candidates
        .iter()
        .copied()
        .filter(|c| c.contains('_') && c.to_lowercase().split('_').any(|w| w == word))
        .collect();
    if let [only] = holding[..]
        && word.len() >= 3
    {
        return Some(only);
    }
    // The same words in another order (`alb_lambda` for `lambda_alb`).
    let mut words: Vec<&str> = word.split('_').collect();
    words.sort_unstable();
    if words.len() > 1
        && let Some(reordered) = candidates.iter().copied().find(|c| {
            let lower = c.to_lowercase();
            let mut theirs: Vec<&str> = lower.split('_').collect();
            theirs.sort_unstable();
            theirs == words
        })
    {
        return Some(reordered);
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
    fn suggests_the_name_another_word_means_or_a_word_of_it() {
        assert_eq!(did_you_mean("iam", ["aws_iam", "none"]), Some("aws_iam"));
        assert_eq!(did_you_mean("IAM", ["aws_iam", "none"]), Some("aws_iam"));
        assert_eq!(did_you_mean("private", ["public", "internal"]), Some("internal"));
        assert_eq!(did_you_mean("private", ["internet_facing", "internal"]), Some("internal"));
        // Only where the name it means is a candidate; a word of two candidates is no answer.
        assert_eq!(did_you_mean("private", ["regional", "edge"]), None);
        assert_eq!(did_you_mean("aws", ["aws_native", "aws_iam"]), None);
    }

    #[test]
    fn suggests_the_same_words_in_another_order() {
        let patterns = ["lambda_api_gateway", "fargate_alb", "lambda_alb", "lambda_function_url"];
        assert_eq!(did_you_mean("alb_lambda", patterns), Some("lambda_alb"));
        assert_eq!(did_you_mean("api_gateway_lambda", patterns), Some("lambda_api_gateway"));
        assert_eq!(did_you_mean("alb-fargate", patterns), Some("fargate_alb"));
        assert_eq!(did_you_mean("alb_alb", patterns), None);
    }

    #[test]
    fn lists_names() {
        assert_eq!(one_of(&["a"]), "`a`");
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
