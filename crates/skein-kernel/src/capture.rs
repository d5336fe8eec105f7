//! Capturing a function for the workers, the way Dask's cloudpickle does: its code, the code
//! of the functions and classes it uses, its imports, and — by value, at the moment it is
//! submitted — the other globals it reads.
//!
//! The kernel keeps every top-level definition of the cells it ran ([`Definitions`]). A
//! [`Plan`] for a function walks the names it reads: a name defined by a `def` or `class`
//! brings that code (and what it reads in turn), an import brings the import, anything else
//! is a value the prelude reads from the notebook's globals right away (`_skein_capture`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::cell::Definition;
use crate::names::reachable;
use crate::python_builtins::{BUILTIN_FUNCTIONS, EXCEPTION_TYPES};
use crate::rewrite::RewrittenSource;

/// Names never captured: Python's builtins beyond those `python_builtins` lists, and the
/// names of a method's own object and class.
const OTHER_BUILTINS: &[&str] = &[
    "callable",
    "dir",
    "eval",
    "exec",
    "issubclass",
    "property",
    "slice",
    "staticmethod",
    "KeyboardInterrupt",
    "FileExistsError",
    "IOError",
    "PermissionError",
    "UnicodeError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "FloatingPointError",
    "EOFError",
    "ConnectionError",
    "SystemExit",
    "GeneratorExit",
    "Warning",
    "UserWarning",
    "DeprecationWarning",
    "NotImplemented",
    "Ellipsis",
    "complex",
    "bytearray",
    "delattr",
    "vars",
    "globals",
    "locals",
    "self",
    "cls",
];

/// Whether a name read by a function is a builtin's, never captured.
fn builtin(name: &str) -> bool {
    BUILTIN_FUNCTIONS.contains(&name)
        || EXCEPTION_TYPES.contains(&name)
        || OTHER_BUILTINS.contains(&name)
}

/// The top-level definitions of every cell run so far; a later one replaces an earlier one.
#[derive(Debug, Default)]
pub(crate) struct Definitions {
    by_name: HashMap<String, Definition>,
    /// Plans made since the definitions last changed: a `submit` loop asks for the same one
    /// twice a call, and making one parses the imports.
    plans: Mutex<HashMap<String, Arc<Plan>>>,
}

/// What a worker needs to run a function.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// Imports, then the code of the function and of what it uses, rewritten once.
    pub(crate) setup: RewrittenSource,
    /// Globals the function reads whose values must be captured now.
    pub(crate) value_names: Vec<String>,
}

impl Definitions {
    /// Records a cell's definitions.
    pub(crate) fn extend(&mut self, definitions: impl IntoIterator<Item = (String, Definition)>) {
        self.by_name.extend(definitions);
        self.plans_made().clear();
    }

    /// Forgets every definition (a restart).
    pub(crate) fn clear(&mut self) {
        self.by_name.clear();
        self.plans_made().clear();
    }

    fn plans_made(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Plan>>> {
        self.plans.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The names cells bound with `def`, `class` or `import`.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The texts of every top-level `def` and `class` cells ran (the latest of each name).
    pub(crate) fn codes(&self) -> impl Iterator<Item = &str> {
        self.by_name
            .values()
            .filter_map(|definition| match definition {
                Definition::Code { source, .. } => Some(source.as_str()),
                Definition::Import { .. } => None,
            })
    }

    /// The text of the top-level `def` or `class` named `name` (the latest), if a cell ran one.
    pub(crate) fn code(&self, name: &str) -> Option<&str> {
        match self.by_name.get(name) {
            Some(Definition::Code { source, .. }) => Some(source.as_str()),
            _ => None,
        }
    }

    /// The plan for the function `entry`, or `None` if no cell defined it with `def`.
    pub(crate) fn plan(&self, entry: &str) -> Option<Arc<Plan>> {
        let Some(Definition::Code { .. }) = self.by_name.get(entry) else {
            return None;
        };
        if let Some(plan) = self.plans_made().get(entry) {
            return Some(plan.clone());
        }
        let plan = Arc::new(self.make_plan(entry));
        self.plans_made().insert(entry.to_owned(), plan.clone());
        Some(plan)
    }

    fn make_plan(&self, entry: &str) -> Plan {
        let reads = |name: &str| match self.by_name.get(name) {
            Some(Definition::Code { names, .. }) => names
                .iter()
                .map(String::as_str)
                .filter(|read| !builtin(read) && !read.starts_with("_skein_"))
                .collect(),
            _ => Vec::new(),
        };
        let mut imports = Vec::new();
        let mut code = Vec::new();
        let mut value_names = Vec::new();
        for name in reachable([entry], reads) {
            match self.by_name.get(name) {
                Some(Definition::Code { source, .. }) => code.push(source.clone()),
                Some(Definition::Import { statement }) => imports.push(statement.clone()),
                None => value_names.push(name.to_owned()),
            }
        }
        // The entry's own code last, so the setup reads top-down like a module.
        code.reverse();
        imports.sort();
        // The imports are plain text (the rewriter turns Skein's into look-ups); the code was
        // rewritten with its cell and is not rewritten again.
        let mut setup = crate::cell::prepare(&imports.join("\n"), false).text;
        for source in &code {
            setup.append_lines(source);
        }
        value_names.sort();
        Plan { setup, value_names }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::cell::prepare;

    fn definitions(cells: &[&str]) -> Definitions {
        let mut defs = Definitions::default();
        for cell in cells {
            defs.extend(prepare(cell, true).definitions);
        }
        defs
    }

    #[test]
    fn a_plan_takes_the_functions_imports_and_values_a_function_reads() {
        let defs = definitions(&[
            "import random\nbatch = 10",
            "def sample():\n    return random.random()\n",
            "def multi(n):\n    return sum(sample() for i in range(n * batch))\n",
        ]);
        let plan = defs.plan("multi").unwrap();
        let setup = plan.setup.as_str();
        assert!(setup.starts_with("import random\n"), "{setup}");
        assert!(setup.contains("def sample()") && setup.contains("def multi(n)"));
        // `n` and `i` are the function's own (a parameter, a loop variable): never captured.
        assert_eq!(plan.value_names, ["batch"]);
    }

    #[test]
    fn a_plan_s_code_is_rewritten_once() {
        // A run of the captured function would not tell: `_skein_for(_skein_for(xs))` loops
        // as well as `_skein_for(xs)`.
        let defs = definitions(&[
            "def total(xs):\n    s = 0\n    for x in xs:\n        s += x[0]\n    return s\n",
            "def twice(xs):\n    return [total(xs) for _ in range(2)]\n",
        ]);
        let plan = defs.plan("twice").unwrap();
        let setup = plan.setup.as_str();
        assert_eq!(setup.matches("_skein_for(").count(), 1, "{setup}");
        assert!(
            setup.contains("for x in _skein_for(xs):\n        s += (x[0] if _skein_type(x) is _skein_list else _skein_getitem(x, 0))\n"),
            "{setup}"
        );
    }

    #[test]
    fn only_functions_defined_in_cells_have_a_plan() {
        let defs = definitions(&["x = 1"]);
        assert!(defs.plan("x").is_none());
        assert!(defs.plan("len").is_none());
    }

    #[test]
    fn a_later_definition_replaces_an_earlier_one() {
        let mut defs = definitions(&["def f():\n    return 1\n", "def f():\n    return 2\n"]);
        assert!(defs.plan("f").unwrap().setup.as_str().contains("return 2"));
        // A plan made before a redefinition of what it uses is made again after it.
        defs.extend(prepare("def g():\n    return f()\n", true).definitions);
        assert!(defs.plan("g").unwrap().setup.as_str().contains("return 2"));
        defs.extend(prepare("def f():\n    return 3\n", true).definitions);
        let plan = defs.plan("g").unwrap();
        assert!(plan.setup.as_str().contains("return 3"), "{plan:?}");
        assert!(!plan.setup.as_str().contains("return 2"), "{plan:?}");
    }
}
