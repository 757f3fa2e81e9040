//! The tree builder: scalars, spans, merges, budgets and malformed shapes.

use super::*;

#[test]
fn keeps_spans_of_keys_and_values() {
    let text = "name: orders\nworkload:\n  peak_rps: 800\n";
    let root = parse(text).unwrap().unwrap();
    let Value::Map(entries) = root.value else { panic!("not a map") };
    let (key, node) = &entries[1];
    assert_eq!(key.name, "workload");
    let Value::Map(inner) = &node.value else { panic!("not a map") };
    let (k, v) = &inner[0];
    assert_eq!(&text[k.span.offset()..k.span.offset() + k.span.len()], "peak_rps");
    assert_eq!(&text[v.span.offset()..v.span.offset() + v.span.len()], "800");
    assert_eq!(v.value, Value::Int(800));
}

fn value(text: &str) -> Value {
    parse(text).unwrap().unwrap().value
}

fn only_value(text: &str) -> Value {
    let Value::Map(mut entries) = value(&format!("k: {text}\n")) else { panic!("not a map") };
    entries.remove(0).1.value
}

#[test]
fn scalars_resolve_by_the_yaml_1_2_core_schema() {
    assert_eq!(only_value("800"), Value::Int(800));
    assert_eq!(only_value("-12"), Value::Int(-12));
    assert_eq!(only_value("+7"), Value::Int(7));
    assert_eq!(only_value("1_000_000"), Value::Int(1_000_000));
    assert_eq!(only_value("0x1F"), Value::Int(31));
    assert_eq!(only_value("0o17"), Value::Int(15));
    assert_eq!(only_value("0.25"), Value::Float(0.25));
    assert_eq!(only_value("1e3"), Value::Float(1000.0));
    assert_eq!(only_value("-.inf"), Value::Float(f64::NEG_INFINITY));
    assert!(matches!(only_value(".nan"), Value::Float(x) if x.is_nan()));
    for null in ["", "~", "null", "Null", "NULL"] {
        assert_eq!(only_value(null), Value::Null, "{null:?}");
    }
    assert_eq!(only_value("True"), Value::Bool(true));
    assert_eq!(only_value("false"), Value::Bool(false));
    // YAML 1.1's booleans and units stay text for the loader to explain.
    for text in ["yes", "on", "512MiB", "30s", "1__0", "_1", "1_", "0x", "1.2.3", "e5", "."] {
        assert_eq!(only_value(text), Value::Str(text.into()), "{text:?}");
    }
    // Quoting or `!!str` keeps text; other tags do not change a value.
    assert_eq!(only_value("\"800\""), Value::Str("800".into()));
    assert_eq!(only_value("'true'"), Value::Str("true".into()));
    assert_eq!(only_value("!!str 800"), Value::Str("800".into()));
    assert_eq!(only_value("!Ref 800"), Value::Int(800));
}

#[test]
fn merge_keys_and_aliases_expand() {
    let text = "base: &base { a: 1, b: 2 }\nlist: &l [x, y]\nuse:\n  <<: *base\n  b: 3\ncopy: *l\n";
    let Value::Map(entries) = parse(text).map_err(|e| format!("{e:?}")).unwrap().unwrap().value else {
        panic!("not a map")
    };
    let Value::Map(used) = &entries[2].1.value else { panic!("not a map") };
    let used: Vec<_> = used.iter().map(|(k, v)| (k.name.as_str(), v.value.clone())).collect();
    assert_eq!(used, [("b", Value::Int(3)), ("a", Value::Int(1))], "written keys win over merged ones");
    assert!(matches!(&entries[3].1.value, Value::Seq(items) if items.len() == 2));
    let error = parse("a: &x 1\nb:\n  <<: *x\n").unwrap_err();
    assert!(error.to_string().contains("<<"), "{error}");
}

#[test]
fn duplicate_keys_are_errors_in_short_and_long_mappings() {
    let error = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert_eq!(error.to_string(), "duplicate key `a`");
    assert_eq!(error.span().map(|s| s.offset()), Some(10));
    let mut long: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
    long.push_str("k42: again\n");
    assert_eq!(parse(&long).unwrap_err().to_string(), "duplicate key `k42`");
}

#[test]
fn malformed_shapes_are_errors_with_spans() {
    for (text, expected) in [
        ("a: 1\n---\nb: 2\n", "a second YAML document in the file"),
        ("? [a, b]\n: 1\n", "a list or mapping used as a key"),
        ("a: *missing\n", "unknown anchor"),
        ("a: [1, 2\nb: 3\n", "illegal placement of ':' indicator"),
        ("a: \"open\n", "unclosed quote"),
    ] {
        let error = parse(text).unwrap_err();
        assert!(matches!(error, YamlError::Syntax { .. }), "{text:?}: {error:?}");
        assert!(error.to_string().contains(expected), "{text:?}: {error}");
        let span = error.span().expect("a syntax error has a span");
        assert!(span.offset() > 0 && span.offset() + span.len() <= text.len(), "{text:?}: {span:?}");
    }
}

/// A generated document: nested mappings and lists of scalars that
/// resolve to different kinds.
fn document() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let scalar = prop::sample::select(vec![
        "1",
        "-3",
        "0.5",
        "1e3",
        "true",
        "False",
        "null",
        "~",
        "yes",
        "on",
        "abc",
        "30s",
        "512MiB",
        "'q'",
        "\"7\"",
        "1_000",
        "0x1f",
        "0o7",
        "-.5",
        "x y",
        "python3.13",
        "2026-11-27",
    ])
    .prop_map(String::from);
    let leaf = scalar.clone();
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|items| format!("[{}]", items.join(", "))),
            prop::collection::btree_map("[a-e]{1,2}", inner, 0..5).prop_map(|entries| {
                let body: Vec<String> = entries.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", body.join(", "))
            }),
        ]
    })
}

fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => i64::try_from(*i).map_or(serde_json::Value::Null, Into::into),
        Value::Float(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
        Value::Str(s) => s.clone().into(),
        Value::Seq(items) => items.iter().map(to_json).collect(),
        Value::Map(entries) => entries.iter().map(|(k, v)| (k.name.clone(), to_json(v))).collect(),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..Default::default()
    })]

    /// serde-saphyr (over the same parser) is the oracle for values:
    /// both read a generated document the same way. (Non-finite floats
    /// are left out: serde-saphyr refuses `.inf` outright, we read it and
    /// the loader refuses it where a number is expected.)
    #[test]
    fn values_match_serde_saphyr(doc in document()) {
        let text = format!("root: {doc}\n");
        let ours = parse(&text).unwrap().map(|n| to_json(&n)).unwrap_or_default();
        let mut options = serde_saphyr::Options::default();
        options.strict_booleans = true;
        let theirs: serde_json::Value = serde_saphyr::from_str_with_options(&text, options).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{text}: {e}")))?;
        proptest::prop_assert_eq!(ours, theirs, "{}", text);
    }
}

#[test]
fn empty_and_comment_only_documents_have_no_content() {
    assert_eq!(parse("").unwrap(), None);
    assert_eq!(parse("# nothing\n\n").unwrap(), None);
    for text in ["   \n", "---\n", "---\n...\n", "# a\n---\n# b\n", "~\n"] {
        assert_eq!(parse(text).unwrap(), None, "{text:?}");
    }
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    assert!(matches!(parse(&text), Err(YamlError::Budget { .. })), "{:?}", parse(&text));
}

#[test]
fn anchors_and_expanded_aliases_are_budgeted() {
    let anchors: String = (0..=MAX_ALIASES).map(|i| format!("k{i}: &a{i} v\n")).collect();
    let error = parse(&anchors).unwrap_err();
    assert!(matches!(&error, YamlError::Budget { .. }) && error.to_string().contains("anchors"), "{error}");
    // Few aliases, but each expands a large list: the node budget stops it.
    let big = format!("big: &big [{}]\n", vec!["x"; 5_000].join(", "));
    let copies: String = (0..5).map(|i| format!("c{i}: *big\n")).collect();
    let error = parse(&format!("{big}{copies}")).unwrap_err();
    assert!(error.to_string().contains("keys and values (counting what aliases expand to)"), "{error}");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(parse(&text), Err(YamlError::Budget { .. } | YamlError::Syntax { .. })));
    let mut block = String::new();
    for depth in 0..200 {
        block.push_str(&" ".repeat(depth));
        block.push_str("k:\n");
    }
    assert!(parse(&block).is_err());
}

#[test]
fn short_form_intrinsics_read_as_their_long_form_in_templates() {
    let text =
        "a: !Ref Table\nb: !GetAtt Fn.Arn\nc: !If [IsProd, 30, 3]\nd: !Sub\n  - x${y}\n  - { y: 1 }\ne: !Unknown z\n";
    let root = parse_with(text, Options::TEMPLATE).unwrap().unwrap();
    let Value::Map(entries) = &root.value else { panic!("not a map") };
    let single = |node: &Node| match &node.value {
        Value::Map(inner) if inner.len() == 1 => (inner[0].0.name.clone(), inner[0].1.value.clone()),
        other => panic!("not an intrinsic: {other:?}"),
    };
    assert_eq!(single(&entries[0].1), ("Ref".into(), Value::Str("Table".into())));
    let (name, value) = single(&entries[1].1);
    assert_eq!(name, "Fn::GetAtt");
    let Value::Seq(parts) = value else { panic!("GetAtt is a list") };
    assert_eq!(
        parts.iter().map(|p| p.value.clone()).collect::<Vec<_>>(),
        [Value::Str("Fn".into()), Value::Str("Arn".into())]
    );
    assert_eq!(single(&entries[2].1).0, "Fn::If");
    assert_eq!(single(&entries[3].1).0, "Fn::Sub");
    // A tag that is no intrinsic leaves its scalar alone, as in proposals.
    assert_eq!(entries[4].1.value, Value::Str("z".into()));
    // Proposals ignore the tags.
    let root = parse(text).unwrap().unwrap();
    let Value::Map(entries) = &root.value else { panic!("not a map") };
    assert_eq!(entries[0].1.value, Value::Str("Table".into()));
}

#[test]
fn a_template_key_written_twice_takes_its_last_value_in_place() {
    let text = "a: 1\nb: 2\na: 3\n";
    assert!(parse(text).is_err(), "a proposal refuses it");
    let root = parse_with(text, Options::TEMPLATE).unwrap().unwrap();
    let Value::Map(entries) = root.value else { panic!() };
    let pairs: Vec<(&str, &Value)> = entries.iter().map(|(k, v)| (k.name.as_str(), &v.value)).collect();
    assert_eq!(pairs, [("a", &Value::Int(3)), ("b", &Value::Int(2))]);
    // A long mapping with every key written twice stays one entry a key.
    let long: String = (0..2000).chain(0..2000).map(|i| format!("k{i}: {i}\n")).collect();
    let root = parse_with(&long, Options::TEMPLATE).unwrap().unwrap();
    let Value::Map(entries) = root.value else { panic!() };
    assert_eq!(entries.len(), 2000);
}
