//! pest's parse tree to the AST: precedence and associativity, literals with
//! units, messages with interpolations, and clause rules that the grammar
//! does not express (one title per policy, interpolation only in messages).

use miette::SourceSpan;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::err::ParseError;
use super::grammar::{MAX_EXPR_PARTS, MAX_STRING_BYTES, Rule};
use crate::units::{Duration, Money, ParseUnit, Quantity as UnitQuantity, Size, UnitError, Vcpu};

pub(crate) struct Lowerer {
    offset: usize,
    pub(crate) errors: Vec<ParseError>,
}

type P<'i> = Pair<'i, Rule>;

impl Lowerer {
    pub(crate) fn new(offset: usize) -> Self {
        Lowerer { offset, errors: Vec::new() }
    }

    /// The pair's span without the whitespace and comments pest may have
    /// consumed after its last token.
    fn span(&self, pair: &P<'_>) -> Span {
        let s = pair.as_span();
        let end = s.start() + code_end(pair.as_str());
        SourceSpan::from((self.offset + s.start(), end - s.start()))
    }

    fn join(a: Span, b: Span) -> Span {
        let start = a.offset().min(b.offset());
        let end = (a.offset() + a.len()).max(b.offset() + b.len());
        SourceSpan::from((start, end - start))
    }

    fn ident(&self, pair: &P<'_>) -> Ident {
        Ident { name: pair.as_str().to_string(), span: self.span(pair) }
    }

    pub(crate) fn file(&mut self, pair: P<'_>) -> PolicyFile {
        let mut items = Vec::new();
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::param => {
                    if let Some(p) = self.param(item) {
                        items.push(Item::Param(p));
                    }
                }
                Rule::policy => {
                    if let Some(p) = self.policy(item) {
                        items.push(Item::Policy(p));
                    }
                }
                Rule::test => {
                    if let Some(t) = self.test(item) {
                        items.push(Item::Test(t));
                    }
                }
                _ => {}
            }
        }
        PolicyFile { items }
    }

    fn param(&mut self, pair: P<'_>) -> Option<Param> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| !matches!(p.as_rule(), Rule::param_kw | Rule::colon));
        let name = self.ident(&inner.next()?);
        let ty = self.ident(&inner.next()?);
        let default = self.clause_expr(inner.next()?);
        let doc = match inner.next() {
            Some(s) => Some(self.message(s, false)?),
            None => None,
        };
        Some(Param { name, ty, default: default?, doc, span })
    }

    fn policy(&mut self, pair: P<'_>) -> Option<Policy> {
        let span = self.span(&pair);
        let mut inner =
            pair.into_inner().filter(|p| !matches!(p.as_rule(), Rule::policy_kw | Rule::colon | Rule::open_brace));
        let id = self.ident(&inner.next()?);
        let severity_pair = inner.next()?;
        let severity = match severity_pair.as_str() {
            "deny" => Severity::Deny,
            "warn" => Severity::Warn,
            _ => Severity::Info,
        };
        let severity_span = self.span(&severity_pair);
        let mut clauses = Vec::new();
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        let mut ok = true;
        for clause in inner {
            let clause_span = self.span(&clause);
            let once = match clause.as_rule() {
                Rule::title_clause => Some("title"),
                Rule::help_clause => Some("help"),
                Rule::docs_clause => Some("docs"),
                Rule::waivable_clause => Some("waivable"),
                _ => None,
            };
            if let Some(name) = once {
                if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                    self.errors.push(ParseError::DuplicateClause {
                        clause: name.into(),
                        span: clause_span,
                        first: *first,
                    });
                    ok = false;
                    continue;
                }
                seen.push((name, clause_span));
            }
            match self.clause(clause) {
                Some(c) => clauses.push(c),
                None => ok = false,
            }
        }
        ok.then_some(Policy { id, severity, severity_span, clauses, span })
    }

    fn test(&mut self, pair: P<'_>) -> Option<TestBlock> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().filter(|p| !matches!(p.as_rule(), Rule::test_kw | Rule::open_brace));
        let name = self.message(inner.next()?, false)?;
        let mut clauses = Vec::new();
        let mut first_proposal: Option<Span> = None;
        for clause in inner {
            let clause_span = self.span(&clause);
            let rule = clause.as_rule();
            let mut parts = clause.into_inner();
            match rule {
                Rule::proposal_clause => {
                    if let Some(first) = first_proposal {
                        self.errors.push(ParseError::DuplicateClause {
                            clause: "proposal".into(),
                            span: clause_span,
                            first,
                        });
                        return None;
                    }
                    first_proposal = Some(clause_span);
                    clauses.push(TestClause::Proposal(self.message(parts.next()?, false)?));
                }
                Rule::given_clause => {
                    let path_pair = parts.next()?;
                    let path_span = self.span(&path_pair);
                    let segments = path_pair.into_inner().map(|p| self.ident(&p)).collect();
                    let value = self.clause_expr(parts.next()?)?;
                    clauses.push(TestClause::Given(Path { segments, span: path_span }, value));
                }
                Rule::expect_clause => {
                    let mut parts = parts.filter(|p| p.as_rule() != Rule::colon);
                    let policy = self.ident(&parts.next()?);
                    let outcome = self.ident(&parts.next()?);
                    clauses.push(TestClause::Expect { policy, outcome });
                }
                _ => {}
            }
        }
        Some(TestBlock { name, clauses, span })
    }

    fn clause(&mut self, pair: P<'_>) -> Option<Clause> {
        let rule = pair.as_rule();
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        match rule {
            Rule::title_clause => self.message(inner.next()?, false).map(Clause::Title),
            Rule::help_clause => self.message(inner.next()?, true).map(Clause::Help),
            Rule::docs_clause => self.message(inner.next()?, false).map(Clause::Docs),
            Rule::when_clause => self.clause_expr(inner.next()?).map(Clause::When),
            Rule::require_clause => {
                let expr = self.clause_expr(inner.next()?);
                let message = match inner.next() {
                    Some(m) => Some(self.message(m, true)?),
                    None => None,
                };
                Some(Clause::Require(Require { expr: expr?, message, span }))
            }
            Rule::tags_clause => Some(Clause::Tags(inner.map(|t| self.ident(&t)).collect())),
            Rule::waivable_clause => Some(Clause::Waivable(inner.next()?.as_str() == "true")),
            _ => None,
        }
    }

    /// A value given on the command line.
    pub(crate) fn value(&mut self, pair: P<'_>) -> Option<Expr> {
        self.clause_expr(pair)
    }

    /// A clause's expression, refused when it is too long to handle safely.
    fn clause_expr(&mut self, pair: P<'_>) -> Option<Expr> {
        // A part is an operand (a literal, a path, a quantifier, a count) or an
        // operator, as the message says; `flatten` walks the tokens
        // iteratively, so counting is safe at any size.
        let parts = pair.clone().into_inner().flatten().filter(|p| is_part(p.as_rule())).count();
        if parts > MAX_EXPR_PARTS {
            self.errors.push(ParseError::TooLong { limit: MAX_EXPR_PARTS, span: self.span(&pair) });
            return None;
        }
        self.expr(pair)
    }

    fn expr(&mut self, pair: P<'_>) -> Option<Expr> {
        match pair.as_rule() {
            Rule::expr => {
                // implies is right-associative: a implies b implies c = a implies (b implies c).
                let operands: Vec<Expr> = pair
                    .into_inner()
                    .filter(|p| p.as_rule() != Rule::implies_op)
                    .map(|p| self.expr(p))
                    .collect::<Option<_>>()?;
                operands.into_iter().rev().reduce(|right, left| {
                    let span = Self::join(left.span, right.span);
                    Expr { kind: ExprKind::Binary(BinOp::Implies, Box::new(left), Box::new(right)), span }
                })
            }
            Rule::or_expr => self.left_assoc(pair, |_| BinOp::Or),
            Rule::and_expr => self.left_assoc(pair, |_| BinOp::And),
            Rule::sum => self.left_assoc(pair, |op| if op == "+" { BinOp::Add } else { BinOp::Sub }),
            Rule::product => self.left_assoc(pair, |op| if op == "*" { BinOp::Mul } else { BinOp::Div }),
            Rule::not_expr | Rule::unary => self.prefixed(pair),
            Rule::cmp_expr => self.comparison(pair),
            Rule::quantified => self.quantified(pair),
            Rule::count => self.count(pair),
            Rule::path => {
                let span = self.span(&pair);
                let segments = pair.into_inner().map(|p| self.ident(&p)).collect();
                Some(Expr { kind: ExprKind::Path(Path { segments, span }), span })
            }
            Rule::boolean => Some(Expr { kind: ExprKind::Bool(pair.as_str() == "true"), span: self.span(&pair) }),
            Rule::number => self.number(&pair),
            Rule::quantity => self.quantity(&pair),
            Rule::money => {
                let span = self.span(&pair);
                match Money::parse_unit(pair.as_str()) {
                    Ok(m) => Some(Expr { kind: ExprKind::Quantity(Quantity::Money(m)), span }),
                    Err(e) => self.unit_error(span, &e),
                }
            }
            Rule::string => {
                let span = self.span(&pair);
                let message = self.message(pair, false)?;
                Some(Expr { kind: ExprKind::Str(message.plain().unwrap_or_default()), span })
            }
            _ => None,
        }
    }

    /// `not` and `-` prefixes, applied innermost first.
    fn prefixed(&mut self, pair: P<'_>) -> Option<Expr> {
        let mut prefixes = Vec::new();
        let mut operand = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::not_op | Rule::neg_op => prefixes.push((p.as_rule(), self.span(&p))),
                _ => operand = Some(self.expr(p)?),
            }
        }
        let mut expr = operand?;
        for (rule, span) in prefixes.into_iter().rev() {
            let span = Self::join(span, expr.span);
            let kind = if rule == Rule::not_op { ExprKind::Not(Box::new(expr)) } else { ExprKind::Neg(Box::new(expr)) };
            expr = Expr { kind, span };
        }
        Some(expr)
    }

    /// A comparison, `in [..]`, `not in [..]`, `is set` or `is not set`; or just its left side.
    fn comparison(&mut self, pair: P<'_>) -> Option<Expr> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let left = self.expr(inner.next()?)?;
        let Some(op) = inner.next() else {
            return Some(left);
        };
        let kind = match op.as_rule() {
            Rule::cmp_op => {
                let right = self.expr(inner.next()?)?;
                let op = match op.as_str() {
                    "==" => BinOp::Eq,
                    "!=" => BinOp::Ne,
                    "<" => BinOp::Lt,
                    "<=" => BinOp::Le,
                    ">" => BinOp::Gt,
                    _ => BinOp::Ge,
                };
                ExprKind::Binary(op, Box::new(left), Box::new(right))
            }
            Rule::in_op | Rule::not_in_op => {
                let list = self.list(inner.next()?)?;
                ExprKind::In { expr: Box::new(left), list, negated: op.as_rule() == Rule::not_in_op }
            }
            Rule::is_set => ExprKind::IsSet { expr: Box::new(left), negated: false },
            _ => ExprKind::IsSet { expr: Box::new(left), negated: true },
        };
        Some(Expr { kind, span })
    }

    fn quantified(&mut self, pair: P<'_>) -> Option<Expr> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let quantifier = if inner.next()?.as_str().starts_with("all") { Quantifier::All } else { Quantifier::Any };
        let var = self.ident(&inner.next()?);
        let _in = inner.next()?;
        let list = self.expr(inner.next()?)?;
        let body = self.expr(inner.next()?)?;
        Some(Expr { kind: ExprKind::Quantified { quantifier, var, list: Box::new(list), body: Box::new(body) }, span })
    }

    fn count(&mut self, pair: P<'_>) -> Option<Expr> {
        let span = self.span(&pair);
        let parts: Vec<P<'_>> = pair.into_inner().filter(|p| p.as_rule() != Rule::count_kw).collect();
        let kind = match parts.as_slice() {
            [list] => ExprKind::Count { list: Box::new(self.expr(list.clone())?), filter: None },
            [var, _in, list, body] => ExprKind::Count {
                list: Box::new(self.expr(list.clone())?),
                filter: Some((self.ident(var), Box::new(self.expr(body.clone())?))),
            },
            _ => return None,
        };
        Some(Expr { kind, span })
    }

    fn left_assoc(&mut self, pair: P<'_>, op_of: impl Fn(&str) -> BinOp) -> Option<Expr> {
        let mut inner = pair.into_inner();
        let mut left = self.expr(inner.next()?)?;
        while let Some(op) = inner.next() {
            let op = op_of(op.as_str());
            let right = self.expr(inner.next()?)?;
            let span = Self::join(left.span, right.span);
            left = Expr { kind: ExprKind::Binary(op, Box::new(left), Box::new(right)), span };
        }
        Some(left)
    }

    fn list(&mut self, pair: P<'_>) -> Option<Vec<Expr>> {
        pair.into_inner().map(|p| self.expr(p)).collect()
    }

    fn number(&mut self, pair: &P<'_>) -> Option<Expr> {
        let span = self.span(pair);
        let text: String = pair.as_str().chars().filter(|c| *c != '_').collect();
        let kind = if text.contains('.') {
            Decimal::from_str_exact(&text).ok().map(|d| ExprKind::Decimal(d.normalize()))
        } else {
            text.parse::<i64>().ok().map(ExprKind::Int)
        };
        match kind {
            Some(kind) => Some(Expr { kind, span }),
            None => {
                self.errors.push(ParseError::Literal {
                    message: format!("the number `{}` is too large", pair.as_str()),
                    span,
                    label: "too large".into(),
                    help: "numbers are at most 9223372036854775807, with up to 28 digits after the point".into(),
                });
                None
            }
        }
    }

    fn quantity(&mut self, pair: &P<'_>) -> Option<Expr> {
        let span = self.span(pair);
        let text = pair.as_str();
        let unit_start = text.find(|c: char| !(c.is_ascii_digit() || c == '_' || c == '.')).unwrap_or(text.len());
        let (number, unit) = text.split_at(unit_start);
        let quantity = match unit {
            "%" => {
                let cleaned: String = number.chars().filter(|c| *c != '_').collect();
                match Decimal::from_str_exact(&cleaned) {
                    Ok(d) => Ok(Quantity::Percent((d / Decimal::from(100)).normalize())),
                    Err(_) => Err(UnitError::OutOfRange { quantity: UnitQuantity::Duration }),
                }
            }
            "vCPU" | "vcpu" => Vcpu::parse_unit(number).map(Quantity::Vcpu),
            "ms" | "s" | "m" | "h" => Duration::parse_unit(text).map(Quantity::Duration),
            _ => match Size::parse_unit(text) {
                Ok(size) => Ok(Quantity::Size(size)),
                Err(UnitError::UnknownUnit { unit, .. }) => {
                    self.errors.push(ParseError::Literal {
                        message: format!("`{unit}` is not a unit"),
                        span,
                        label: "unknown unit".into(),
                        help: "durations: `ms`, `s`, `m`, `h`; sizes: `B`, `KiB`, `MiB`, `GiB`, `TiB`; also `%` and `vCPU`; money is written `$25`".into(),
                    });
                    return None;
                }
                Err(e) => Err(e),
            },
        };
        match quantity {
            Ok(q) => Some(Expr { kind: ExprKind::Quantity(q), span }),
            Err(e) => self.unit_error(span, &e),
        }
    }

    fn unit_error(&mut self, span: Span, error: &UnitError) -> Option<Expr> {
        self.errors.push(ParseError::Literal {
            message: error.to_string(),
            span,
            label: format!("not a valid {}", error.quantity().name()),
            help: error.help(),
        });
        None
    }

    /// A string's parts; interpolation only where `interpolate` allows it.
    fn message(&mut self, pair: P<'_>, interpolate: bool) -> Option<Message> {
        let span = self.span(&pair);
        // The limit is on the text between the quotes.
        if pair.as_str().len().saturating_sub(2) > MAX_STRING_BYTES {
            self.errors.push(ParseError::Literal {
                message: format!("this string is longer than {MAX_STRING_BYTES} bytes"),
                span: SourceSpan::from((span.offset(), 1)),
                label: "starts here".into(),
                help: "keep titles, help and messages short; put long explanations in docs/".into(),
            });
            return None;
        }
        let mut parts: Vec<MessagePart> = Vec::new();
        let push_text = |parts: &mut Vec<MessagePart>, text: &str| match parts.last_mut() {
            Some(MessagePart::Text(t)) => t.push_str(text),
            _ => parts.push(MessagePart::Text(text.to_string())),
        };
        let mut ok = true;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::text => push_text(&mut parts, part.as_str()),
                Rule::escape => {
                    let c = match &part.as_str()[1..] {
                        "n" => "\n",
                        "t" => "\t",
                        other => other,
                    };
                    push_text(&mut parts, c);
                }
                Rule::interpolation => {
                    let part_span = self.span(&part);
                    if !interpolate {
                        self.errors.push(ParseError::Interpolation { span: part_span });
                        ok = false;
                        continue;
                    }
                    let Some(path) = part.into_inner().next() else { continue };
                    let path_span = self.span(&path);
                    let segments = path.into_inner().map(|p| self.ident(&p)).collect();
                    parts.push(MessagePart::Interpolation(Path { segments, span: path_span }));
                }
                _ => {}
            }
        }
        ok.then_some(Message { parts, span })
    }
}

/// The length of `text` without trailing whitespace and `#` comments.
fn code_end(text: &str) -> usize {
    let mut end = text.len();
    loop {
        end = text[..end].trim_end().len();
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        // Most lines hold no `#`: skip the string-aware scan (a sixth of loading the standard pack).
        if !text[line_start..end].contains('#') {
            return end;
        }
        match super::comments::comment_start(&text[line_start..end]) {
            Some(hash) => end = line_start + hash,
            None => return end,
        }
    }
}

/// Whether a token is one part of an expression: an operand or an operator.
fn is_part(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::boolean
            | Rule::money
            | Rule::quantity
            | Rule::number
            | Rule::string
            | Rule::path
            | Rule::quantified
            | Rule::count
            | Rule::implies_op
            | Rule::or_op
            | Rule::and_op
            | Rule::not_op
            | Rule::in_op
            | Rule::not_in_op
            | Rule::is_set
            | Rule::is_not_set
            | Rule::cmp_op
            | Rule::add_op
            | Rule::mul_op
            | Rule::neg_op
    )
}
