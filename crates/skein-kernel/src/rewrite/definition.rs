//! [`Definition`]: a top-level binding of a cell the kernel keeps by name, so a function sent
//! to a worker can take its code, and the code and imports it uses, along (`capture.rs`).

use ruff_python_ast::Stmt;
use ruff_python_ast::visitor::Visitor;

use super::RewrittenSource;
use crate::names::Names;

/// A top-level definition of a cell, kept by name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Definition {
    /// A `def` or `class`: its text without decorators, rewritten, and the names it reads.
    Code {
        source: RewrittenSource,
        names: Vec<String>,
    },
    /// An import that binds the name, as a statement of its own.
    Import { statement: String },
}

impl Definition {
    /// The definition of the `def` or `class` `stmt`, whose rewritten text is `source`.
    pub(crate) fn code(stmt: &Stmt, source: RewrittenSource) -> Definition {
        let mut names = Names::default();
        match stmt {
            Stmt::FunctionDef(def) => {
                names.visit_parameters_of(&def.parameters);
                names.visit_body(&def.body);
            }
            other => names.visit_stmt(other),
        }
        Definition::Code {
            source,
            names: names.free(),
        }
    }
}
