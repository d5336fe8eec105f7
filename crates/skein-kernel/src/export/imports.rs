//! The export's import rewrite: each import of `skein.labs` (or of `skein` for its `labs`),
//! at any depth of a cell, becomes assignments from the inserted cell's namespace on the same
//! lines, carrying the import it was as a comment; reading the export back undoes it from
//! that comment (`ipynb.rs`). It also notes which lab functions the notebook uses.

use std::collections::BTreeSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::ipynb::LABS_NAMESPACE as NAMESPACE;
use crate::lab_names::LAB_FUNCTIONS;

/// What the notebook takes from `skein.labs`.
#[derive(Default)]
pub(super) struct Found {
    /// Functions imported by name.
    imported: BTreeSet<String>,
    /// Whether the module itself was imported (`import skein.labs as labs`), so functions
    /// are reached as attributes.
    module: bool,
    /// Every attribute name the notebook's code reads.
    attributes: BTreeSet<String>,
}

impl Found {
    /// The lab functions the notebook uses: imported by name, or read as an attribute of
    /// the module; all of them when the module is used but no attribute names one.
    pub(super) fn used(&self) -> Vec<&'static str> {
        let by_attribute: Vec<&'static str> = LAB_FUNCTIONS
            .iter()
            .copied()
            .filter(|f| self.module && self.attributes.contains(*f))
            .collect();
        LAB_FUNCTIONS
            .iter()
            .copied()
            .filter(|f| {
                self.imported.contains(*f)
                    || by_attribute.contains(f)
                    || (self.module && by_attribute.is_empty())
            })
            .collect()
    }
}

/// The cell with its `skein.labs` imports rewritten, or `None` when it has none. A cell that
/// does not parse is left alone (Skein could not run it either).
pub(super) fn rewrite_cell(source: &str, found: &mut Found) -> Option<String> {
    // IPython's magic lines become comments of the same length for the parser.
    let masked: String = source
        .split_inclusive('\n')
        .map(|line| match line.strip_prefix('%') {
            Some(rest) => format!("#{rest}"),
            None => line.to_owned(),
        })
        .collect();
    let parsed = ruff_python_parser::parse_module(&masked).ok()?;
    let mut imports = Imports {
        text: source,
        found,
        edits: Vec::new(),
    };
    imports.visit_body(&parsed.syntax().body);
    if imports.edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (range, replacement) in imports.edits {
        out.push_str(&source[at..usize::from(range.start())]);
        out.push_str(&replacement);
        at = usize::from(range.end());
    }
    out.push_str(&source[at..]);
    Some(out)
}

/// Finds the imports of `skein.labs` at any depth and notes attribute reads.
struct Imports<'t, 'f> {
    text: &'t str,
    found: &'f mut Found,
    edits: Vec<(TextRange, String)>,
}

impl<'a> Visitor<'a> for Imports<'_, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Some(statements) = self.replacement(stmt) {
            let range = stmt.range();
            let original = &self.text[range];
            let rest_of_line = self.text[usize::from(range.end())..]
                .split('\n')
                .next()
                .unwrap_or("")
                .trim();
            let mut line = statements.join("; ");
            if rest_of_line.is_empty() || rest_of_line.starts_with('#') {
                let said: Vec<&str> = original.split_whitespace().collect();
                line = format!("{line}  # {}", said.join(" "));
            }
            let padding = "\n".repeat(original.matches('\n').count());
            let start = usize::from(range.start());
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let indent = &self.text[line_start..start];
            if !padding.is_empty() && indent.trim().is_empty() {
                // On the statement's last line, so what follows it there stays beside it.
                let whole = TextRange::new(
                    TextSize::try_from(line_start).unwrap_or_default(),
                    range.end(),
                );
                self.edits.push((whole, format!("{padding}{indent}{line}")));
            } else {
                self.edits.push((range, line + &padding));
            }
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Attribute(attribute) = expr
            && matches!(attribute.ctx, ExprContext::Load)
        {
            self.found.attributes.insert(attribute.attr.id.to_string());
        }
        visitor::walk_expr(self, expr);
    }
}

impl Imports<'_, '_> {
    /// The statements an import becomes, if it imports from Skein.
    fn replacement(&mut self, stmt: &Stmt) -> Option<Vec<String>> {
        match stmt {
            Stmt::Import(import) => {
                let is_skein = |name: &str| name == "skein" || name == "skein.labs";
                if !import.names.iter().any(|a| is_skein(a.name.id.as_str())) {
                    return None;
                }
                let statements = import.names.iter().map(|alias| {
                    let name = alias.name.id.as_str();
                    let asname = alias.asname.as_ref().map(|a| a.id.as_str());
                    match (name, asname) {
                        ("skein.labs", Some(bound)) => {
                            self.found.module = true;
                            format!("{bound} = {NAMESPACE}")
                        }
                        ("skein" | "skein.labs", bound) => {
                            self.found.module = true;
                            // A package that holds the labs, as `import skein` binds it.
                            let bound = bound.unwrap_or("skein");
                            format!(
                                "{bound} = types.ModuleType(\"skein\"); {bound}.labs = {NAMESPACE}"
                            )
                        }
                        (_, Some(bound)) => format!("import {name} as {bound}"),
                        (_, None) => format!("import {name}"),
                    }
                });
                Some(statements.collect())
            }
            Stmt::ImportFrom(from) if from.level == 0 => {
                let module = from.module.as_ref().map(|m| m.id.as_str());
                let statements = match module {
                    Some("skein.labs") => from
                        .names
                        .iter()
                        .flat_map(|alias| {
                            let name = alias.name.id.as_str();
                            let bound = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                            if name == "*" {
                                self.found
                                    .imported
                                    .extend(LAB_FUNCTIONS.iter().map(|f| f.to_string()));
                                LAB_FUNCTIONS
                                    .iter()
                                    .map(|f| format!("{f} = {NAMESPACE}.{f}"))
                                    .collect()
                            } else {
                                self.found.imported.insert(name.to_owned());
                                vec![format!("{bound} = {NAMESPACE}.{name}")]
                            }
                        })
                        .collect(),
                    Some("skein") if from.names.iter().any(|a| a.name.id.as_str() == "labs") => {
                        from.names
                            .iter()
                            .map(|alias| {
                                let name = alias.name.id.as_str();
                                let bound = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
                                if name == "labs" {
                                    self.found.module = true;
                                    format!("{bound} = {NAMESPACE}")
                                } else if bound == name {
                                    format!("from skein import {name}")
                                } else {
                                    format!("from skein import {name} as {bound}")
                                }
                            })
                            .collect()
                    }
                    _ => return None,
                };
                Some(statements)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn rewrite(source: &str) -> (String, Found) {
        let mut found = Found::default();
        let text = rewrite_cell(source, &mut found).unwrap_or_else(|| source.to_owned());
        (text, found)
    }

    #[test]
    fn imports_become_assignments_on_the_same_lines() {
        let (text, found) = rewrite(
            "%%time\nimport random, skein.labs as L\nfrom skein.labs import (multi_sample,\n    traffic_grid as tg)\nx = 1",
        );
        assert_eq!(
            text,
            "%%time\nimport random; L = skein_labs  # import random, skein.labs as L\n\
             \nmulti_sample = skein_labs.multi_sample; tg = skein_labs.traffic_grid  \
             # from skein.labs import (multi_sample, traffic_grid as tg)\nx = 1"
        );
        assert!(found.module);
        assert_eq!(
            found.imported.iter().collect::<Vec<_>>(),
            ["multi_sample", "traffic_grid"]
        );
    }

    #[test]
    fn nested_and_package_imports_are_rewritten_too() {
        let (text, _) = rewrite(
            "def f():\n    from skein.labs import summarize; return summarize([1])\nimport skein\nfrom skein import labs as lb\n",
        );
        assert_eq!(
            text,
            "def f():\n    summarize = skein_labs.summarize; return summarize([1])\n\
             skein = types.ModuleType(\"skein\"); skein.labs = skein_labs  # import skein\n\
             lb = skein_labs  # from skein import labs as lb\n"
        );
        let (text, _) = rewrite(
            "def g():\n    from skein.labs import (summarize,\n        split_zones)\n    return 1",
        );
        assert_eq!(
            text,
            "def g():\n\n    summarize = skein_labs.summarize; split_zones = skein_labs.split_zones  \
             # from skein.labs import (summarize, split_zones)\n    return 1"
        );
        let mut found = Found::default();
        assert_eq!(rewrite_cell("import dask\nprint(1)", &mut found), None);
        assert_eq!(rewrite_cell("def broken(:", &mut found), None);
    }

    #[test]
    fn the_module_s_attributes_say_which_functions_are_used() {
        let (_, found) = rewrite("import skein.labs as labs\nlabs.split_zones(g, 2)");
        assert_eq!(found.used(), ["split_zones"]);
        let (_, found) = rewrite("import skein.labs as labs\ngetattr(labs, name)()");
        assert_eq!(found.used(), LAB_FUNCTIONS);
        let (_, found) = rewrite("from skein.labs import *");
        assert_eq!(found.used(), LAB_FUNCTIONS);
    }
}
