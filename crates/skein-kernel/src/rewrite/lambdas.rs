//! Lambdas a cell hands to Dask. Dask sends any function; Skein sends a function as the
//! source of a `def` (`capture.rs`), and Monty 1.4 gives no way to get from a function object
//! to its source. So a lambda written at a cell's top level becomes, in the text Monty runs,
//! `_skein_lambda('_skein_lambda_…', lambda …)`, which tells the prelude (`sendable.py`) which
//! definition the object is, and the kernel keeps that definition as
//! `def _skein_lambda_…(params):\n    return (body)\n`, named by a token of its text.
//!
//! A lambda directly in a top-level `def` is kept the same way, with the values of the
//! function's variables it closes over (`closures.rs`). One inside a comprehension that reads
//! the comprehension's variables, or deeper in functions, reads values no global holds: it
//! stays as written (sending it is the TypeError of any function Skein cannot send).

use ruff_python_ast::ExprLambda;
use ruff_python_ast::visitor::Visitor;
use ruff_text_size::{Ranged, TextRange};
use skein_core::TokenHasher;

use super::closures::{self, Scope};
use super::{Definition, Edit, Piece, render};
use crate::names::Names;

/// The prefix of a lambda's definition: `…<token>`.
pub(crate) const LAMBDA_PREFIX: &str = "_skein_lambda_";

/// A lambda found at a cell's top level.
#[derive(Debug, Clone)]
pub(crate) struct Lambda {
    name: String,
    range: TextRange,
    parameters: Option<TextRange>,
    body: TextRange,
    names: Vec<String>,
    /// The variables of the enclosing function it closes over (`closures.rs`).
    closure: Vec<String>,
}

/// The lambda's [`Lambda`], or `None` if it reads one of `bound` (a comprehension's
/// variables) or closes over variables of `scope` (the top-level function it is in) that
/// cannot be captured.
pub(crate) fn found(
    text: &str,
    lambda: &ExprLambda,
    bound: &[String],
    scope: Option<&Scope>,
) -> Option<Lambda> {
    let mut names = Names::default();
    if let Some(parameters) = &lambda.parameters {
        names.visit_parameters_of(parameters);
    }
    names.visit_expr(&lambda.body);
    let reads = names.free();
    if reads.iter().any(|n| bound.contains(n)) {
        return None;
    }
    let closure = match scope {
        Some(scope) => scope.closure(&reads)?,
        None => Vec::new(),
    };
    let source = text.get(usize::from(lambda.range.start())..usize::from(lambda.range.end()))?;
    let mut token = TokenHasher::new();
    token.write_str(source);
    Some(Lambda {
        name: format!("{LAMBDA_PREFIX}{:016x}", token.finish128() as u64),
        range: lambda.range,
        parameters: lambda.parameters.as_ref().map(|p| p.range()),
        body: lambda.body.range(),
        names: reads,
        closure,
    })
}

/// The rewrite that registers the lambda object when it is made.
pub(crate) fn edit(lambda: &Lambda) -> Edit {
    Edit::wrapping(
        lambda.range,
        vec![
            Piece::Text(format!("_skein_lambda('{}', ", lambda.name)),
            Piece::Source(lambda.range),
            Piece::Text(if lambda.closure.is_empty() {
                ")".into()
            } else {
                format!(", {})", closures::closure_dict(&lambda.closure))
            }),
        ],
    )
}

/// The lambda as the definition a worker runs, with the cell's rewrites inside its body.
pub(crate) fn definition(text: &str, lambda: &Lambda, edits: &[Edit]) -> (String, Definition) {
    let parameters = lambda
        .parameters
        .and_then(|r| text.get(usize::from(r.start())..usize::from(r.end())))
        .unwrap_or_default();
    let source = render(text, lambda.body, edits).map(|body| {
        format!(
            "def {}({parameters}):\n    return (\n{body}\n)\n",
            lambda.name
        )
    });
    (
        lambda.name.clone(),
        Definition::Code {
            source,
            names: lambda.names.clone(),
        },
    )
}
