//! Which names Python code reads and which it binds ([`Names`]), and every name a set of
//! named pieces of code reaches through what each reads ([`reachable`]).
//!
//! One visitor and one walk for the whole crate: the front end uses them for what a
//! function sent to a worker must take along (its free names, the definitions they lead
//! to), and the export for which helpers of `skein_labs.py` a lab function needs. A leaf:
//! it uses no other module of the crate, so both layers can use it.

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, Expr, ExprContext, Parameters};

/// Every name a piece of code reads, and every name it assigns, in the order met.
#[derive(Debug, Default)]
pub(crate) struct Names {
    pub(crate) reads: Vec<String>,
    pub(crate) stores: Vec<String>,
}

impl Names {
    /// Notes a function's parameters: their defaults are read where the function is made,
    /// their names are bound inside it.
    pub(crate) fn visit_parameters_of(&mut self, parameters: &Parameters) {
        for parameter in parameters.iter() {
            if let Some(default) = parameter.default() {
                self.visit_expr(default);
            }
            self.stores.push(parameter.name().id.to_string());
        }
    }

    /// The names read and never assigned, sorted, each once: a name a function assigns is
    /// local to it (Python's rule), so never a global it reads.
    pub(crate) fn free(self) -> Vec<String> {
        let Names { mut reads, stores } = self;
        reads.retain(|n| !stores.contains(n));
        reads.sort_unstable();
        reads.dedup();
        reads
    }
}

impl<'a> Visitor<'a> for Names {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            if matches!(name.ctx, ExprContext::Store) {
                self.stores.push(name.id.to_string());
            } else {
                self.reads.push(name.id.to_string());
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// A comprehension's `for` clauses, whose variables are its own (none for another
/// expression).
pub(crate) fn generators(expr: &Expr) -> &[Comprehension] {
    match expr {
        Expr::ListComp(c) => &c.generators,
        Expr::SetComp(c) => &c.generators,
        Expr::DictComp(c) => &c.generators,
        Expr::Generator(c) => &c.generators,
        _ => &[],
    }
}

/// Every name reached from `roots` through `reads` (the names the code bound to a name
/// reads), each once, the roots included, in the order a depth-first walk meets them: what a
/// name needs comes after it.
pub(crate) fn reachable<'n>(
    roots: impl IntoIterator<Item = &'n str>,
    mut reads: impl FnMut(&str) -> Vec<&'n str>,
) -> Vec<&'n str> {
    let mut seen = HashSet::new();
    let mut stack: Vec<&str> = Vec::new();
    for root in roots {
        if seen.insert(root) {
            stack.push(root);
        }
    }
    // Popped from the end: the roots' order reversed, then depth first.
    stack.reverse();
    let mut order = Vec::new();
    while let Some(name) = stack.pop() {
        order.push(name);
        for read in reads(name) {
            if seen.insert(read) {
                stack.push(read);
            }
        }
    }
    order
}

#[cfg(test)]
mod test {
    use super::*;
    use ruff_python_ast::Stmt;

    fn names_of_function(source: &str) -> Vec<String> {
        let parsed = ruff_python_parser::parse_module(source).expect("parses");
        let Stmt::FunctionDef(def) = &parsed.syntax().body[0] else {
            panic!("a def")
        };
        let mut names = Names::default();
        names.visit_parameters_of(&def.parameters);
        names.visit_body(&def.body);
        names.free()
    }

    #[test]
    fn a_function_s_free_names_leave_out_its_parameters_and_locals() {
        assert_eq!(
            names_of_function(
                "def f(a, b=limit):\n    c = a + helper(b)\n    return [c for x in xs]\n"
            ),
            ["helper", "limit", "xs"]
        );
    }

    #[test]
    fn reachable_names_come_once_each_after_what_reaches_them() {
        let graph = |name: &str| match name {
            "a" => vec!["b", "c"],
            "b" => vec!["c", "a"],
            "c" => vec!["d"],
            _ => vec![],
        };
        let order = reachable(["a"], graph);
        assert_eq!(order.len(), 4, "{order:?}");
        assert_eq!(order[0], "a");
        let at = |n: &str| order.iter().position(|o| *o == n).unwrap();
        assert!(at("c") < at("d"), "{order:?}");
        assert_eq!(reachable(["x", "x"], graph), ["x"]);
    }
}
