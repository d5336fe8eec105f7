//! Tab completion: the names a partial name before the cursor may become, as IPython offers
//! them — the notebook's globals, builtins and keywords for a bare name (`squ` → `square`),
//! and the attributes of a module or object for a dotted one (`np.ar` → `np.arange`,
//! `np.array`).
//!
//! Monty has no `dir()`, so an object's attributes cannot be listed: the candidates are every
//! identifier of the prelude (where Skein's modules and classes are written), of the classes
//! and functions earlier cells defined, and of the cell being edited, and the interpreter keeps those for which `hasattr(obj, name)` holds. The
//! object is found by evaluating the dotted name before the last dot, as IPython does; only
//! plain dotted names are evaluated, never calls or subscripts.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use monty::MontyRepl;
use monty_types::MontyObject;

use crate::host::Host;
use crate::interp;
use crate::interrupt;
use crate::pyvalue::strings_in;
use crate::session::Session;

/// The matches for the partial name before a cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the code where the partial name starts: a match replaces
    /// `code[start..cursor]`.
    pub start: usize,
    /// The names it may become, sorted, without duplicates.
    pub matches: Vec<String>,
}

pub use crate::python_builtins::BUILTIN_FUNCTIONS;

/// Python's keywords, offered for a bare name.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// The most names one completion asks the interpreter about.
const MAX_CANDIDATES: usize = 2000;

/// The kernel's interpreter and session, borrowed for one completion.
pub(crate) struct Completer<'a> {
    /// The notebook's interpreter; `None` if a crash lost it (nothing completes then).
    pub(crate) repl: &'a mut Option<MontyRepl>,
    pub(crate) session: &'a Arc<Session>,
}

impl Completer<'_> {
    /// See [`Kernel::complete`](crate::Kernel::complete).
    pub(crate) fn complete(&mut self, code: &str, cursor: usize) -> Completion {
        let Some(target) = Target::at(code, cursor) else {
            return Completion {
                start: cursor.min(code.len()),
                matches: Vec::new(),
            };
        };
        let matches = match target.object {
            None if target.prefix.is_empty() => Vec::new(),
            None => self.globals(target.prefix),
            Some(object) => self.attributes(object, target.prefix, code),
        };
        Completion {
            start: target.start,
            matches,
        }
    }

    /// The notebook's globals, builtins and keywords that start with `prefix`. The prelude's
    /// own functions, classes and modules are left out unless a cell imported or defined
    /// that name.
    fn globals(&mut self, prefix: &str) -> Vec<String> {
        // Plain values may share their identity with one of the prelude's (a small int):
        // only its functions, classes and modules are told apart by identity.
        let listing = "[_skein_p[0] for _skein_p in locals().items() \
                       if type(_skein_p[1]) in (int, float, str, bool, bytes, tuple, list, dict) \
                       or id(_skein_p[1]) not in _skein_prelude_ids]";
        let mut names: BTreeSet<String> = self
            .evaluate(listing)
            .map(|value| strings_in(&value))
            .unwrap_or_default()
            .into_iter()
            .chain(self.defined_names())
            .filter(|name| !name.starts_with("_skein") && !name.starts_with("__skein"))
            .collect();
        names.extend(
            BUILTIN_FUNCTIONS
                .iter()
                .chain(KEYWORDS)
                .map(|&name| name.to_owned()),
        );
        names.retain(|name| name.starts_with(prefix));
        names.into_iter().collect()
    }

    /// The attributes of `object` (a dotted name) that start with `prefix`.
    fn attributes(&mut self, object: &str, prefix: &str, code: &str) -> Vec<String> {
        // Private names only when asked for, as IPython does.
        let private = prefix.starts_with('_');
        // Earlier cells' classes and functions name their attributes (`self.speed = …`).
        let definitions = self
            .session
            .definitions
            .read()
            .unwrap_or_else(|e| e.into_inner());
        let candidates: BTreeSet<&str> = prelude_words()
            .iter()
            .copied()
            .chain(words(code))
            .chain(definitions.codes().flat_map(words))
            .filter(|name| name.starts_with(prefix) && (private || !name.starts_with('_')))
            .take(MAX_CANDIDATES)
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        let list = candidates
            .iter()
            .map(|name| format!("'{name}'"))
            .collect::<Vec<_>>()
            .join(", ");
        drop(definitions);
        let query = format!("[_skein_n for _skein_n in [{list}] if hasattr({object}, _skein_n)]");
        self.evaluate(&query)
            .map(|value| strings_in(&value))
            .unwrap_or_default()
    }

    /// Runs `expression` at module scope of the notebook's interpreter; `None` if it failed
    /// or the interpreter is gone. It runs as a cell of its own, so an interrupt stops it.
    fn evaluate(&mut self, expression: &str) -> Option<MontyObject> {
        let repl: MontyRepl = self.repl.take()?;
        let mut host = Host::new(self.session.clone());
        let generation = self.session.interrupt.next_generation();
        let (repl, result) = interrupt::run_as(generation, || {
            interp::drive(repl, expression, Vec::new(), &mut host)
        });
        *self.repl = Some(repl);
        result.ok()
    }

    /// The names cells bound with `def`, `class` or `import`.
    fn defined_names(&self) -> Vec<String> {
        self.session
            .definitions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .names()
            .map(str::to_owned)
            .collect()
    }
}

/// What is being completed: `object.prefix` or a bare `prefix`, ending at the cursor.
#[derive(Debug, PartialEq, Eq)]
struct Target<'a> {
    /// Where `prefix` starts.
    start: usize,
    prefix: &'a str,
    /// The dotted name before the last dot, if any.
    object: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// The target ending at `cursor`, or `None` when the text there is not a (dotted) name,
    /// as after a call or a subscript (`f().`, `x[0].`) or inside a number (`1.5`).
    fn at(code: &'a str, cursor: usize) -> Option<Target<'a>> {
        let mut cursor = cursor.min(code.len());
        while !code.is_char_boundary(cursor) {
            cursor -= 1;
        }
        let before = &code[..cursor];
        let start = word_start(before);
        let prefix = &before[start..];
        if prefix.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let Some(head) = before[..start].strip_suffix('.') else {
            return Some(Target {
                start,
                prefix,
                object: None,
            });
        };
        let mut object_start = head.len();
        loop {
            let word = word_start(&head[..object_start]);
            let name = &head[word..object_start];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            object_start = word;
            match head[..object_start].strip_suffix('.') {
                Some(rest) => object_start = rest.len(),
                None => break,
            }
        }
        Some(Target {
            start,
            prefix,
            object: Some(&head[object_start..]),
        })
    }
}

/// Where the identifier that ends `text` starts (`text.len()` if none does).
fn word_start(text: &str) -> usize {
    text.char_indices()
        .rev()
        .take_while(|&(_, c)| is_identifier_char(c))
        .last()
        .map_or(text.len(), |(i, _)| i)
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The prelude's words, split once.
fn prelude_words() -> &'static BTreeSet<&'static str> {
    static WORDS: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| words(interp::prelude()).collect())
}

/// Every identifier-like word of `text`, in strings and comments too (the interpreter's
/// `hasattr` sorts them out).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_identifier_char(c))
        .filter(|w| !w.is_empty() && !w.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod test {
    use super::*;

    fn target(code: &str) -> Option<(usize, &str, Option<&str>)> {
        Target::at(code, code.len()).map(|t| (t.start, t.prefix, t.object))
    }

    #[test]
    fn finds_the_partial_name_and_the_object_before_it() {
        assert_eq!(target("x = np.ar"), Some((7, "ar", Some("np"))));
        assert_eq!(target("squ"), Some((0, "squ", None)));
        assert_eq!(target("f(a.b.c"), Some((6, "c", Some("a.b"))));
        assert_eq!(target("client."), Some((7, "", Some("client"))));
        assert_eq!(target("    "), Some((4, "", None)));
    }

    #[test]
    fn only_plain_dotted_names_are_evaluated() {
        assert_eq!(target("f()."), None);
        assert_eq!(target("x[0].sh"), None);
        assert_eq!(target("1.5"), None);
        assert_eq!(target("a..b"), None);
        assert_eq!(target(".x"), None);
    }

    #[test]
    fn a_cursor_inside_a_character_or_past_the_end_is_clamped() {
        let code = "é = 1\né";
        assert!(Target::at(code, 1).is_some());
        assert!(Target::at(code, 999).is_some());
    }
}
