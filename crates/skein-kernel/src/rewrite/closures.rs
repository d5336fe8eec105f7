//! Functions a cell's function makes and returns (`def make(k): def f(x): return x * k;
//! return f`, or `return lambda x: x * k`), sent to the workers as cloudpickle sends them:
//! the inner function's code, and the values of the variables it closes over.
//!
//! Monty 1.4 gives no way to reach a function's source or its closure cells, so the kernel
//! does it in the text: an inner `def f` is kept as a top-level definition of its own
//! (`_skein_inner_<token>_f`, dedented), and where `make` uses `f` as a value (`return f`,
//! `client.submit(f, …)`) it hands the prelude `_skein_lambda(name, f, {'k': k})`, which
//! records the definition and the closed-over values (`prelude/sendable.py`). A lambda in
//! `make` is kept the same way (`lambdas.rs`).
//!
//! Only what is sound this way is rewritten: the variables closed over must be parameters of
//! `make` that it never assigns, so their values where `f` is used are the values `f` sees.
//! Anything else stays as written (sending it is the TypeError of an unsendable function).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};
use skein_core::TokenHasher;

use super::{Definition, Edit, Piece, render};
use crate::names::Names;

/// The prefix of an inner function's definition: `…<token>_<name>`.
pub(crate) const INNER_PREFIX: &str = "_skein_inner_";

/// What a top-level function's body binds: the variables an inner function may close over.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    /// Every name the function binds (parameters, assignments, inner `def`s, imports).
    pub(crate) locals: Vec<String>,
    /// Parameters it never assigns.
    pub(crate) fixed: Vec<String>,
}

impl Scope {
    /// The scope of a top-level `def`.
    pub(crate) fn of(def: &StmtFunctionDef) -> Scope {
        let mut binds = Binds::default();
        binds.visit_body(&def.body);
        let params: Vec<String> = def
            .parameters
            .iter()
            .map(|p| p.name().id.to_string())
            .collect();
        let fixed = params
            .iter()
            .filter(|p| !binds.names.contains(p))
            .cloned()
            .collect();
        let mut locals = binds.names;
        locals.extend(params);
        Scope { locals, fixed }
    }

    /// The variables of this scope that code reading `free` closes over, or `None` if one of
    /// them is not fixed.
    pub(crate) fn closure(&self, free: &[String]) -> Option<Vec<String>> {
        let closed: Vec<String> = free
            .iter()
            .filter(|n| self.locals.contains(n))
            .cloned()
            .collect();
        closed
            .iter()
            .all(|n| self.fixed.contains(n))
            .then_some(closed)
    }
}

/// Every name a body binds, inner functions' bodies included (more names is only more
/// caution).
#[derive(Default)]
struct Binds {
    names: Vec<String>,
}

impl<'a> Visitor<'a> for Binds {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => self.names.push(def.name.id.to_string()),
            Stmt::ClassDef(class) => self.names.push(class.name.id.to_string()),
            Stmt::Import(import) => self.names.extend(import.names.iter().map(|a| {
                a.asname.as_ref().map_or_else(
                    || a.name.id.split('.').next().unwrap_or_default().to_owned(),
                    |n| n.id.to_string(),
                )
            })),
            Stmt::ImportFrom(from) => self.names.extend(
                from.names
                    .iter()
                    .map(|a| a.asname.as_ref().unwrap_or(&a.name).id.to_string()),
            ),
            Stmt::Global(global) => self
                .names
                .extend(global.names.iter().map(|n| n.id.to_string())),
            Stmt::Nonlocal(nonlocal) => self
                .names
                .extend(nonlocal.names.iter().map(|n| n.id.to_string())),
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr
            && !matches!(name.ctx, ExprContext::Load)
        {
            self.names.push(name.id.to_string());
        }
        visitor::walk_expr(self, expr);
    }
}

/// An inner `def` kept as a definition of its own.
#[derive(Debug, Clone)]
pub(crate) struct Inner {
    name: String,
    def_name: String,
    range: TextRange,
    names: Vec<String>,
}

/// The inner functions of the top-level `def` that can be sent, and the rewrites of the places
/// it uses them as values.
pub(crate) fn inner_functions(
    text: &str,
    def: &StmtFunctionDef,
    scope: &Scope,
) -> (Vec<Inner>, Vec<Edit>) {
    let mut finder = InnerDefs::default();
    finder.visit_body(&def.body);
    let mut inners = Vec::new();
    let mut edits = Vec::new();
    for inner in finder.defs {
        let def_name = inner.name.id.to_string();
        // Rebinding the name elsewhere in `make` would make "the function `f`" ambiguous.
        if finder.stores.contains(&def_name) || !inner.decorator_list.is_empty() {
            continue;
        }
        let mut names = Names::default();
        names.visit_parameters_of(&inner.parameters);
        names.visit_body(&inner.body);
        let mut free = names.free();
        // A recursive inner function reads its own name, which its kept `def` binds.
        free.retain(|n| *n != def_name);
        let Some(closure) = scope.closure(&free) else {
            continue;
        };
        let Some(source) =
            text.get(usize::from(inner.range.start())..usize::from(inner.range.end()))
        else {
            continue;
        };
        let mut token = TokenHasher::new();
        token.write_str(source);
        let name = format!(
            "{}{:016x}_{def_name}",
            INNER_PREFIX,
            token.finish128() as u64
        );
        let mut uses = Uses {
            target: &def_name,
            inside: inner.range,
            found: Vec::new(),
        };
        uses.visit_body(&def.body);
        for range in uses.found {
            edits.push(Edit::wrapping(
                range,
                vec![
                    Piece::Text(format!("_skein_lambda('{name}', ")),
                    Piece::Source(range),
                    Piece::Text(format!(", {})", closure_dict(&closure))),
                ],
            ));
        }
        inners.push(Inner {
            name,
            def_name,
            range: inner.range,
            names: free,
        });
    }
    (inners, edits)
}

/// `{'k': k, …}`: the closed-over values where the function is used.
pub(crate) fn closure_dict(closure: &[String]) -> String {
    let pairs: Vec<String> = closure.iter().map(|n| format!("'{n}': {n}")).collect();
    format!("{{{}}}", pairs.join(", "))
}

/// The inner function as a top-level definition: dedented, under its own name.
pub(crate) fn definition(text: &str, inner: &Inner, edits: &[Edit]) -> (String, Definition) {
    let rendered = render(text, inner.range, edits);
    let line_start = text[..usize::from(inner.range.start())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent = usize::from(inner.range.start()) - line_start;
    let mut source = String::new();
    let source = rendered.map(|rendered| {
        for (index, line) in rendered.split_inclusive('\n').enumerate() {
            let strip = line
                .char_indices()
                .take_while(|(i, c)| *i < indent && (*c == ' ' || *c == '\t'))
                .count();
            source.push_str(if index == 0 { line } else { &line[strip..] });
        }
        let header = format!("def {}", inner.def_name);
        source.replacen(&header, &format!("def {}", inner.name), 1) + "\n"
    });
    (
        inner.name.clone(),
        Definition::Code {
            source,
            names: inner.names.clone(),
        },
    )
}

/// The `def`s directly in a function's body (in its blocks, not in inner functions), and
/// every name the body assigns.
#[derive(Default)]
struct InnerDefs<'a> {
    defs: Vec<&'a StmtFunctionDef>,
    stores: Vec<String>,
}

impl<'a> Visitor<'a> for InnerDefs<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                if self.defs.iter().any(|d| d.name.id == def.name.id) {
                    // Two `def f` in one function: which one a use means depends on the path.
                    self.stores.push(def.name.id.to_string());
                }
                self.defs.push(def);
            }
            Stmt::ClassDef(_) => {}
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if !matches!(name.ctx, ExprContext::Load) => {
                self.stores.push(name.id.to_string());
            }
            Expr::Lambda(_) => return,
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// Where a function's body uses `target` as a value: not where it calls it, not inside it.
struct Uses<'t> {
    target: &'t str,
    inside: TextRange,
    found: Vec<TextRange>,
}

impl<'a> Visitor<'a> for Uses<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.inside.contains_range(stmt.range()) {
            return;
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name)
                if name.id.as_str() == self.target && matches!(name.ctx, ExprContext::Load) =>
            {
                self.found.push(name.range);
            }
            Expr::Call(call) if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == self.target) =>
            {
                for arg in &call.arguments.args {
                    self.visit_expr(arg);
                }
                for keyword in &call.arguments.keywords {
                    self.visit_expr(&keyword.value);
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod test {
    use super::super::test::cell;
    use super::Definition;

    #[test]
    fn an_inner_function_over_fixed_parameters_is_kept_with_its_values() {
        let (text, definitions) = cell(
            "def make(k):\n    def f(x):\n        return x * k\n    print(f(1))\n    return f\n",
        );
        let (name, Definition::Code { source, names }) = &definitions[0] else {
            panic!("{definitions:?}")
        };
        assert!(
            name.starts_with("_skein_inner_") && name.ends_with("_f"),
            "{name}"
        );
        assert_eq!(
            source.as_str(),
            format!("def {name}(x):\n    return x * k\n")
        );
        assert_eq!(names, &["k"]);
        // Called, `f` stays `f`; used as a value, it is registered with `k`'s value.
        assert!(text.contains("_skein_print(f(1))"), "{text}");
        assert!(
            text.contains(&format!("return _skein_lambda('{name}', f, {{'k': k}})")),
            "{text}"
        );
    }

    #[test]
    fn a_closure_over_a_reassigned_variable_is_left_alone() {
        let (text, definitions) =
            cell("def make(k):\n    k += 1\n    def f(x):\n        return x * k\n    return f\n");
        assert!(!text.contains("_skein_lambda"), "{text}");
        assert!(definitions.is_empty(), "{definitions:?}");
    }
}
