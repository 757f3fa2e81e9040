//! The fuzz targets' bodies, shared by the cargo-fuzz targets
//! (fuzz/fuzz_targets/*.rs) and by tests/it/fuzz_replay.rs, which replays the
//! corpus and every past crash on stable `cargo test`. Each body panics only
//! when an invariant breaks; any other panic, hang or blow-up is a bug.

#![allow(dead_code)]

use archpolicy::policy::ast::{self, WithoutSpans};

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Policy text to AST: errors are fine, panics are not.
pub fn parse_policy(data: &[u8]) {
    if let Some(text) = text(data) {
        let _ = archpolicy::policy::parse(text);
    }
}

/// Parse and type-check.
pub fn check_policy(data: &[u8]) {
    if let Some(text) = text(data) {
        let _ = archpolicy::PolicySet::from_str("fuzz.policy", text);
    }
}

/// A proposal from YAML; a model that loads derives facts and is priced.
pub fn load_yaml(data: &[u8]) {
    load(data, "fuzz.arch.yaml");
}

/// The same from JSON.
pub fn load_json(data: &[u8]) {
    load(data, "fuzz.arch.json");
}

fn load(data: &[u8], name: &str) {
    let Some(text) = text(data) else { return };
    if let Ok(proposal) = archpolicy::load_str(name, text) {
        let facts = proposal.facts();
        assert!(facts.get("request.sync_limit").is_some());
        // A model that loaded serializes and loads again to the same model.
        let yaml = serde_saphyr::to_string(proposal.model()).expect("a loaded model serializes");
        let again = archpolicy::load_str("again.arch.yaml", &yaml).expect("a serialized model loads");
        assert_eq!(again.model(), proposal.model());
    }
}

/// Bytes as a language server's input: the frame reader ends (each frame
/// consumes input, so there are at most as many frames as bytes), never
/// panics, and refuses every `Content-Length` above the limit before reading
/// its body. The run's `-malloc_limit_mb=16` makes any larger allocation a crash.
pub fn lsp_framing(data: &[u8]) {
    use archpolicy::lsp::framing::{Frame, FrameReader, MAX_CONTENT_LENGTH};
    let mut reader = FrameReader::new(data);
    for _ in 0..=data.len() {
        match reader.read_frame() {
            Ok(Some(Frame::TooLarge { length })) => assert!(length > MAX_CONTENT_LENGTH),
            Ok(Some(Frame::Message(message))) => {
                // A message read is a message written: it serializes.
                let mut out = Vec::new();
                message.write(&mut out).expect("a message read writes");
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return,
        }
    }
    panic!("the frame reader read more frames than its input has bytes");
}

/// Policy text and proposal text, split at the first NUL byte, checked end to end.
pub fn end_to_end(data: &[u8]) {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (policy, proposal) = (&data[..split], data.get(split + 1..).unwrap_or_default());
    let (Some(policy), Some(proposal)) = (text(policy), text(proposal)) else { return };
    let Ok(set) = archpolicy::PolicySet::from_str("fuzz.policy", policy) else { return };
    let Ok(proposal) = archpolicy::load_str("fuzz.arch.yaml", proposal) else { return };
    let report = set.check(&proposal);
    assert_eq!(report.outcomes.len(), set.policies().len());
    let _ = archpolicy::report::json::render(&archpolicy::Report::new(vec![report], set.policies().len()));
}

/// Formatting keeps the meaning and the comments, and is idempotent.
pub fn fmt_roundtrip(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(original) = archpolicy::policy::parse(text) else { return };
    let formatted = archpolicy::policy::format_source(text).expect("a file that parses formats");
    let reparsed = archpolicy::policy::parse(&formatted).expect("formatted text parses");
    assert_eq!(
        reparsed.without_spans(),
        original.without_spans(),
        "formatting changed the meaning:\n{text}\n---\n{formatted}"
    );
    let again = archpolicy::policy::format_source(&formatted).expect("formatted text formats");
    assert_eq!(again, formatted, "formatting is not idempotent");
}

/// A generated AST printed and parsed back is the same AST.
pub fn ast_roundtrip(file: &ast::PolicyFile) {
    let printed = archpolicy::policy::format(file);
    match archpolicy::policy::parse(&printed) {
        Ok(parsed) => assert_eq!(parsed.without_spans(), file.without_spans(), "{printed}"),
        // The generator may nest deeper or longer than the limits allow: a clear error, not a crash.
        Err(errors) => {
            let first = errors.first().to_string();
            assert!(
                first.contains("nesting deeper") || first.contains("parts") || first.contains("longer than"),
                "{first}\n{printed}"
            );
        }
    }
}

pub mod generate {
    //! ASTs built from fuzzer bytes with `arbitrary`, for the structure-aware target.

    use arbitrary::{Arbitrary, Result, Unstructured};
    use archpolicy::policy::ast::*;
    use miette::SourceSpan;

    const KEYWORDS: &[&str] = &[
        "and", "or", "not", "implies", "in", "is", "set", "all", "any", "count", "true", "false", "else", "policy",
        "param",
    ];

    fn zero() -> SourceSpan {
        SourceSpan::from((0, 0))
    }

    fn name(u: &mut Unstructured<'_>) -> Result<String> {
        const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyz_";
        const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyz_0123456789";
        let len = u.int_in_range(0..=6)?;
        let mut s = String::new();
        s.push(*u.choose(FIRST)? as char);
        for _ in 0..len {
            s.push(*u.choose(REST)? as char);
        }
        if KEYWORDS.contains(&s.as_str()) {
            s.push('_');
        }
        Ok(s)
    }

    fn ident(u: &mut Unstructured<'_>) -> Result<Ident> {
        Ok(Ident { name: name(u)?, span: zero() })
    }

    fn path(u: &mut Unstructured<'_>) -> Result<Path> {
        let n = u.int_in_range(1..=3)?;
        let segments = (0..n).map(|_| ident(u)).collect::<Result<_>>()?;
        Ok(Path { segments, span: zero() })
    }

    fn text(u: &mut Unstructured<'_>) -> Result<String> {
        let s: String = u.arbitrary()?;
        Ok(s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').take(20).collect())
    }

    fn literal(u: &mut Unstructured<'_>) -> Result<ExprKind> {
        use archpolicy::units::{Duration, Money, Size, Vcpu};
        use rust_decimal::Decimal;
        Ok(match u.int_in_range(0..=8)? {
            0 => ExprKind::Bool(u.arbitrary()?),
            1 => ExprKind::Int(u.int_in_range(0..=i64::MAX)?),
            2 => ExprKind::Decimal(Decimal::new(u.int_in_range(0..=1_000_000)?, u.int_in_range(0..=6)?).normalize()),
            3 => ExprKind::Str(text(u)?),
            4 => ExprKind::Quantity(Quantity::Duration(Duration::from_millis(u.int_in_range(0..=1u64 << 40)?))),
            5 => ExprKind::Quantity(Quantity::Size(Size::from_bytes(u.int_in_range(0..=1u64 << 50)?))),
            6 => ExprKind::Quantity(Quantity::Money(Money::from_decimal(Decimal::new(
                u.int_in_range(0..=1_000_000_000)?,
                u.int_in_range(0..=6)?,
            )))),
            7 => ExprKind::Quantity(Quantity::Percent(Decimal::new(u.int_in_range(0..=100_000)?, 4).normalize())),
            _ => ExprKind::Quantity(Quantity::Vcpu(Vcpu::from_millis(u.int_in_range(0..=100_000)?))),
        })
    }

    fn expr(u: &mut Unstructured<'_>, depth: u32) -> Result<Expr> {
        let e = |kind| Expr { kind, span: zero() };
        if depth == 0 || u.is_empty() {
            return Ok(e(if u.arbitrary()? { literal(u)? } else { ExprKind::Path(path(u)?) }));
        }
        let sub = |u: &mut Unstructured<'_>| expr(u, depth - 1).map(Box::new);
        Ok(e(match u.int_in_range(0..=9)? {
            0 => literal(u)?,
            1 => ExprKind::Path(path(u)?),
            2 => ExprKind::Not(sub(u)?),
            3 => ExprKind::Neg(sub(u)?),
            4 | 5 => ExprKind::Binary(*u.choose(&BinOp::ALL)?, sub(u)?, sub(u)?),
            6 => {
                let n = u.int_in_range(0..=3)?;
                let list = (0..n).map(|_| expr(u, depth - 1)).collect::<Result<_>>()?;
                ExprKind::In { expr: sub(u)?, list, negated: u.arbitrary()? }
            }
            7 => ExprKind::IsSet { expr: sub(u)?, negated: u.arbitrary()? },
            8 => ExprKind::Quantified {
                quantifier: if u.arbitrary()? { Quantifier::All } else { Quantifier::Any },
                var: ident(u)?,
                list: sub(u)?,
                body: sub(u)?,
            },
            _ => ExprKind::Count {
                list: sub(u)?,
                filter: if u.arbitrary()? { Some((ident(u)?, sub(u)?)) } else { None },
            },
        }))
    }

    fn message(u: &mut Unstructured<'_>, interpolate: bool) -> Result<Message> {
        let n = u.int_in_range(0..=3)?;
        let mut parts: Vec<MessagePart> = Vec::new();
        for _ in 0..n {
            if interpolate && u.arbitrary()? {
                parts.push(MessagePart::Interpolation(path(u)?));
            } else {
                let t: String =
                    text(u)?.chars().filter(|c| !matches!(c, '"' | '\\' | '{' | '}' | '\n' | '\t')).collect();
                if t.is_empty() {
                    continue;
                }
                match parts.last_mut() {
                    Some(MessagePart::Text(prev)) => prev.push_str(&t),
                    _ => parts.push(MessagePart::Text(t)),
                }
            }
        }
        Ok(Message { parts, span: zero() })
    }

    fn policy_id(u: &mut Unstructured<'_>) -> Result<Ident> {
        let mut s = name(u)?.replace('_', "-");
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            s.insert(0, 'p');
        }
        Ok(Ident { name: s, span: zero() })
    }

    /// A whole file: params, policies and tests.
    pub struct GeneratedFile(pub PolicyFile);

    impl std::fmt::Debug for GeneratedFile {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&archpolicy::policy::format(&self.0))
        }
    }

    impl<'a> Arbitrary<'a> for GeneratedFile {
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            let n = u.int_in_range(0..=4)?;
            let mut items = Vec::new();
            for _ in 0..n {
                let depth = u.int_in_range(0..=6)?;
                items.push(match u.int_in_range(0..=2)? {
                    0 => Item::Param(Param {
                        name: ident(u)?,
                        ty: ident(u)?,
                        default: Expr { kind: literal(u)?, span: zero() },
                        doc: if u.arbitrary()? { Some(message(u, false)?) } else { None },
                        span: zero(),
                    }),
                    1 => {
                        let mut clauses = Vec::new();
                        if u.arbitrary()? {
                            clauses.push(Clause::Title(message(u, false)?));
                        }
                        for _ in 0..u.int_in_range(0..=2)? {
                            clauses.push(Clause::When(expr(u, depth)?));
                        }
                        for _ in 0..u.int_in_range(1..=2)? {
                            let message = if u.arbitrary()? { Some(message(u, true)?) } else { None };
                            clauses.push(Clause::Require(Require { expr: expr(u, depth)?, message, span: zero() }));
                        }
                        if u.arbitrary()? {
                            clauses.push(Clause::Help(message(u, true)?));
                        }
                        if u.arbitrary()? {
                            clauses.push(Clause::Waivable(u.arbitrary()?));
                        }
                        let severity = *u.choose(&[Severity::Deny, Severity::Warn, Severity::Info])?;
                        Item::Policy(Policy {
                            id: policy_id(u)?,
                            severity,
                            severity_span: zero(),
                            clauses,
                            span: zero(),
                        })
                    }
                    _ => {
                        let mut clauses = vec![TestClause::Proposal(message(u, false)?)];
                        for _ in 0..u.int_in_range(0..=2)? {
                            clauses.push(TestClause::Given(path(u)?, Expr { kind: literal(u)?, span: zero() }));
                        }
                        let outcome = *u.choose(&["deny", "warn", "info", "pass", "skip"])?;
                        clauses.push(TestClause::Expect {
                            policy: policy_id(u)?,
                            outcome: Ident { name: outcome.into(), span: zero() },
                        });
                        Item::Test(TestBlock { name: message(u, false)?, clauses, span: zero() })
                    }
                });
            }
            Ok(GeneratedFile(PolicyFile { items }))
        }
    }
}

/// A tree of directories, files and symlinks built from the input, walked
/// for `*.policy` and `*.arch.yaml`: the walk ends, names no file twice (by
/// path or by what it resolves to), and names nothing outside the tree.
pub fn walk_tree(data: &[u8]) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "archpolicy-walk-fuzz-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    build_tree(&root, data);
    for wanted in [".policy", ".arch.yaml"] {
        let found = archpolicy::walk::find(std::slice::from_ref(&root), &|name: &str| name.ends_with(wanted));
        let canonical_root = root.canonicalize().unwrap();
        let mut paths = std::collections::HashSet::new();
        let mut reals = std::collections::HashSet::new();
        for found in &found.files {
            let file = found.path();
            assert!(paths.insert(file.to_path_buf()), "{} found twice", file.display());
            let real = file.canonicalize();
            if let Ok(real) = &real {
                assert!(reals.insert(real.clone()), "{} reached twice", real.display());
                assert!(real.starts_with(&canonical_root), "{} is outside the tree", real.display());
            }
            // What the walk admitted is what resolving the path finds, and
            // reading it gives what the path's gate reads.
            if let Some(admitted) = found.canonical() {
                assert_eq!(Some(admitted), real.as_deref().ok(), "{} admitted as another path", file.display());
            }
            let gate = archpolicy::walk::Gate::for_named(file);
            assert_eq!(found.read(4096), gate.read(file, 4096), "{}", file.display());
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// Names and link targets the tree is built from: loops, parents, absolute
/// paths, hidden names, `target`, and a name that is not UTF-8.
fn build_tree(root: &std::path::Path, data: &[u8]) {
    use std::os::unix::ffi::OsStrExt;
    const NAMES: &[&[u8]] =
        &[b"a", b"b", b".h", b"target", b"a.policy", b"b.policy", b".c.policy", b"x.arch.yaml", b"n\xff.policy"];
    const TARGETS: &[&str] = &[".", "..", "../..", "/", "/tmp", "a", "a.policy", "b/a.policy", "a/../a", "missing"];
    let mut dirs = vec![root.to_path_buf()];
    // At most 64 operations: enough for loops and deep nests, quick to build.
    for chunk in data.chunks(3).take(64) {
        let [op, dir, name] = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let parent = dirs[usize::from(dir) % dirs.len()].clone();
        let path = parent.join(std::ffi::OsStr::from_bytes(NAMES[usize::from(name) % NAMES.len()]));
        match op % 3 {
            0 => {
                if std::fs::create_dir(&path).is_ok() {
                    dirs.push(path);
                }
            }
            1 => {
                let _ = std::fs::write(&path, b"");
            }
            _ => {
                let _ = std::os::unix::fs::symlink(TARGETS[usize::from(op / 3) % TARGETS.len()], &path);
            }
        }
    }
}

/// Arbitrary findings and load errors (file names, messages and values with
/// control characters, long lines, spans anywhere) through every renderer:
/// none panics, JSON and SARIF parse as JSON, JUnit parses as XML, and no
/// control character reaches the human, SARIF, GitHub or JUnit output.
pub fn render(data: &[u8]) {
    use archpolicy::report::{self, Stream};
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(report) = render_inputs::report(&mut u) else { return };
    let problems = render_inputs::problems(&mut u).unwrap_or_default();
    let rules = render_inputs::rules(&report);
    let base = || report::sarif::Base { dir: None, embedded: vec!["policies/pack.policy".into()] };
    let mut streams: Vec<(&str, Box<dyn Stream>)> = vec![
        ("human", Box::new(report::human::Human::new(report::human::Style::PLAIN))),
        ("json", Box::new(report::json::Json)),
        ("sarif", Box::new(report::sarif::SarifStream::new(&rules, base()))),
        ("github", Box::new(report::github::Github::default())),
        ("junit", Box::new(report::junit::Junit)),
    ];
    for (format, stream) in &mut streams {
        let mut out = stream.begin();
        let mut joiner = report::Joiner::default();
        for p in &report.proposals {
            out.push_str(&joiner.join(stream.as_ref(), stream.part(p)));
        }
        out.push_str(&joiner.join(stream.as_ref(), stream.refused(&problems)));
        out.push_str(&stream.end(&report.summary, joiner));
        match *format {
            "json" => {
                serde_json::from_str::<serde_json::Value>(&out).expect("JSON output parses");
            }
            "sarif" => {
                serde_json::from_str::<serde_json::Value>(&out).expect("SARIF output parses");
            }
            "junit" => {
                roxmltree::Document::parse(&out).expect("JUnit output parses as XML");
            }
            _ => {}
        }
        if *format != "json" {
            // A source line's CRLF ending is drawn as it is: harmless before a
            // newline, and a lone CR is escaped like any control character.
            let shown = out.replace("\r\n", "\n");
            assert!(!shown.chars().any(archpolicy::report::safe::is_unsafe), "{format}: a control character: {out:?}");
        }
    }
}

mod render_inputs {
    use arbitrary::{Result, Unstructured};
    use archpolicy::SourceFile;
    use archpolicy::report::{
        Finding, Location, Outcome, Problem, ProposalReport, Report, RuleInfo, Severity, Status, ValueUsed, WaiverUse,
    };

    /// Characters of the longest text: past the 65 535 a format width holds.
    const LONG: usize = 70_000;

    /// Short text, sometimes a long line made of a repeated piece (built no
    /// longer than it is kept, so an input costs what it renders).
    fn text(u: &mut Unstructured<'_>) -> Result<String> {
        let piece: String = u.arbitrary()?;
        if piece.is_empty() || !u.ratio(1, 8)? {
            return Ok(piece);
        }
        let times = (usize::from(u.arbitrary::<u16>()?) + 1).min(LONG / piece.chars().count() + 1);
        Ok(piece.repeat(times).chars().take(LONG).collect())
    }

    fn severity(u: &mut Unstructured<'_>) -> Result<Severity> {
        u.choose(&[Severity::Deny, Severity::Warn, Severity::Info]).copied()
    }

    fn location(u: &mut Unstructured<'_>, source: &SourceFile) -> Result<Option<Location>> {
        if source.text().is_empty() || u.ratio(1, 4)? {
            return Ok(None);
        }
        let text = source.text();
        let mut start = u.choose_index(text.len())?;
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = start + u.choose_index(text.len() - start + 1)?;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Ok(Some(Location::new(source, (start, end - start).into())))
    }

    fn finding(u: &mut Unstructured<'_>, proposal: &SourceFile, policy: &SourceFile) -> Result<Finding> {
        let waiver = if u.arbitrary()? {
            Some(WaiverUse { reason: text(u)?, expires: text(u)?, approved_by: text(u)?, applied: u.arbitrary()? })
        } else {
            None
        };
        Ok(Finding {
            policy: text(u)?,
            severity: severity(u)?,
            title: text(u)?,
            message: text(u)?,
            help: if u.arbitrary()? { Some(text(u)?) } else { None },
            values: vec![ValueUsed { name: text(u)?, value: text(u)?, from: text(u)? }],
            proposal_location: location(u, proposal)?,
            policy_location: location(u, policy)?,
            waiver,
        })
    }

    pub fn report(u: &mut Unstructured<'_>) -> Result<Report> {
        let mut proposals = Vec::new();
        for _ in 0..u.int_in_range(0..=3)? {
            let source = SourceFile::new(text(u)?, text(u)?);
            let policy =
                SourceFile::new(if u.arbitrary()? { "policies/pack.policy".to_string() } else { text(u)? }, text(u)?);
            let mut findings = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                findings.push(finding(u, &source, &policy)?);
            }
            let mut outcomes = Vec::new();
            for f in &findings {
                let status = *u.choose(&[Status::Pass, Status::Fail, Status::Skip, Status::Waived])?;
                outcomes.push(Outcome { policy: f.policy.clone(), severity: f.severity, status });
            }
            proposals.push(ProposalReport {
                file: source.name().to_string(),
                name: text(u)?,
                pattern: text(u)?,
                findings,
                outcomes,
                source,
            });
        }
        Ok(Report::new(proposals, 1))
    }

    pub fn problems(u: &mut Unstructured<'_>) -> Result<Vec<Problem>> {
        let file = text(u)?;
        let mut problems = Vec::new();
        for _ in 0..u.int_in_range(0..=2)? {
            problems.push(Problem {
                file: file.clone(),
                code: if u.arbitrary()? { Some(text(u)?) } else { None },
                message: text(u)?,
                help: if u.arbitrary()? { Some(text(u)?) } else { None },
                line: u.arbitrary()?,
                column: u.arbitrary()?,
            });
        }
        Ok(problems)
    }

    pub fn rules(report: &Report) -> Vec<RuleInfo> {
        let mut rules: Vec<RuleInfo> = report
            .proposals
            .iter()
            .flat_map(|p| &p.findings)
            .map(|f| RuleInfo {
                id: f.policy.clone(),
                severity: f.severity,
                title: f.title.clone(),
                description: f.message.clone(),
                help: f.help.clone().unwrap_or_default(),
            })
            .collect();
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        rules.dedup_by(|a, b| a.id == b.id);
        rules
    }
}
