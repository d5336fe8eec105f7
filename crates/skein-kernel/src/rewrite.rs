//! The compatibility layer's Rust side: every rewrite of a cell's text that stands in for
//! something Monty 1.4 cannot do, and the renderer that applies them, nested, to the text.
//! Each routes the Python through a prelude function (`_skein_…`, `src/prelude/compat.py`,
//! whose own table lists the Python shims and their canaries) that does it by calling the host
//! or by calling a method as a method, which Monty allows.
//!
//! | Rewrite | The Monty gap it stands in for | Canary (`tests/canaries/rewrites.rs`) |
//! |---|---|---|
//! | imports of Skein's modules, at top level or inside a function or block → `_skein_import(…)`, `_skein_from(…)` (`imports.rs`) | the import hook (`OsFunctionCall::Import`) is asked for a top-level module only and finds the rest as attributes, but `dask.delayed` is a function as an attribute and a module as an import (see below) | `a_dotted_import_is_asked_of_the_import_hook` |
//! | `from m import *` at a cell's top level → one binding per public name, the names found by running [`star_probe`] first (`imports.rs`) | the parser refuses wildcard imports, and no `dir()` lists a module's names | `wildcard_imports_parse` |
//! | `a[k]` → `_skein_getitem(a, k)`, for a name `a` and a plain `k` `(a[k] if _skein_type(a) is _skein_list else _skein_getitem(a, k))` (`subscripts.rs`) | a `__getitem__` Monty calls itself cannot call the host (an array's `[]` runs Rust) | `subscripts_call_a_getitem_that_calls_the_host` |
//! | `a[k] = v`, `a[k] += v` → `_skein_setitem(…)` (`subscripts.rs`) | the same for `__setitem__` | `subscript_assignments_call_a_setitem_that_calls_the_host` |
//! | what `for` loops and comprehensions iterate, unless plainly a list or `range` → `_skein_for(…)` | an `__iter__` a loop calls cannot call the host (an `as_completed` waits, an array walks its rows) | `loops_call_an_iterator_that_calls_the_host` |
//! | what `list(…)`, `zip(…)`, `sorted(…)` and the like iterate → `_skein_iterable(…)` | the same inside builtins | `iterating_builtins_call_an_iterator_that_calls_the_host` |
//! | `print(…)` → `_skein_print(…)` | a `__repr__` `print` calls cannot call the host (a pending array is evaluated first) | `print_calls_a_repr_that_calls_the_host` |
//! | comparisons at a cell's top level, `in` and `not in` included → `_skein_cmp(op, a, b)`; of names and literals, inline behind a type test (`compare.rs`) | Monty does not call a class's `<`, `>`, `<=`, `>=`, `!=` (a Series or a Delayed compares as pandas and Dask do), and calls `__contains__` where the host is out of reach (`'x' in client.datasets`) | `comparisons_call_a_class_s_operators`, `contains_cannot_reach_host` (`tests/canaries/prelude.rs`) |
//! | attribute reads at a cell's top level, but for a method's call and a module's names, and inside functions those of `PROXIED_ATTRIBUTES` (`.shape`, `.values`, …) and `str`'s (`str.upper`) → `_skein_getattr(o, 'name')` (`finder.rs`) | Monty calls no `__getattr__` (`pt.x` on a Delayed is Dask's `getattr` task) | `getattr_is_never_called` (`tests/canaries/prelude.rs`) |
//! | the arguments of a builtin exception's call but one string, `ValueError(x)` → `ValueError(_skein_exc_text(x))`, `E(a, b)` → `E(_skein_exc_text((a, b)))` (`finder.rs`) | an exception is made from at most one `str` (others stop Monty with an internal error) | `exceptions_take_one_string` |
//! | `bool(…)` → `_skein_bool(…)`, top-level `if`/`while` tests → `_skein_truth(…)` | Monty does not call `__bool__` (a Delayed's truth is Dask's `TypeError`) | `truth_calls_a_class_s_bool` |
//! | `del …` → `_skein_delitem(…)` and an `except … as name` that unbinds (`delete.rs`) | the parser refuses `del` | `del_statements_parse` |
//! | top-level lambdas → `_skein_lambda(name, …)` and a kept `def` (`lambdas.rs`) | no way from a function object to its source | `a_function_s_source_can_be_read` |
//! | inner functions a function returns → `_skein_lambda(name, f, closure)` (`closures.rs`) | no way to a function's closure cells | `a_function_s_closure_can_be_read` |
//!
//! When a canary fails after a Monty upgrade, delete its rewrite, the prelude function it
//! calls and the canary. `next(…)` needs no rewrite since Monty 1.4, which lets a
//! `__next__` it calls call the host (`as_completed.__next__` waits). The import hook can
//! answer with the prelude's own module objects (a sandbox instance the host hands back
//! resolves to the object itself by the uuid it crossed with, as `classes.rs` relies on),
//! but it cannot replace the rewrite: the hook is asked for the top-level name only and Monty finds
//! `dask.delayed` in `import dask.delayed` or `from dask.delayed import Delayed` as an
//! attribute of `dask`, which in Dask (and Skein) is the `delayed` function, not the module.
//! Each import statement would also suspend to the host every time it runs (an import inside
//! a task's function runs at every call) where the rewrite is a dictionary look-up.
//!
//! The runtime keeps workarounds of its own, outside this layer because they read Monty's
//! values; their canaries are in `tests/canaries/runtime.rs`:
//!
//! | Workaround | The Monty gap it stands in for | Canary |
//! |---|---|---|
//! | a function's identity read off its repr (`sendable::function_name`, and the prelude's `_skein_fn_name`) | a Python function crosses to the host as a repr, not a function node | `a_function_crosses_to_the_host_as_its_repr` |
//! | a plain call runs in the prelude's serving loop, paused at its host call `_skein_served` between tasks, and any other call as a generated snippet compiled each time (`worker.rs`) | `MontyRepl::call_function` takes no keyword arguments and refuses a function that calls the host (a task calling numpy); on a trivial function it measured 3.9 µs against the snippet's 6.2 µs | `calling_a_function_from_the_host_takes_no_keywords_and_no_host_calls` |
//! | the memory sweep of an interpreter's globals (`release.rs`, `prelude/memory.py`) | no finalizers, weak references or reference counts seen from the host | `no_finalizer_tells_when_an_object_goes` |
//! | host functions offered by answering lookups of registered names (`host/registry.rs`) | no declaration of external functions when a REPL is made | none: an API Monty lacks, not a behaviour to run |
//! | host functions and the builtins the prelude calls bound as its globals (`interp.rs`, `BOUND_BUILTINS`) | inside a function, Monty finds an unbound global's builtin by its name's text, or makes a new external function of it, at every call (a quarter of a `submit`'s instructions) | none: a cost, not a behaviour; `skein bench` and callgrind show it |
//! | `PRELUDE_BUILTINS` run by name on workers (`host/tasks.rs`) | the builtins `compat.py` redefines | those of `compat.py`'s table |
//! | an object of a cell's class made again with its `__init__` swapped out for a moment (`_skein_blank`, `prelude/dask_runtime.py`) | no `object.__new__(cls)` | `no_object_new_makes_an_object_without_its_init` |
//!
//! Not Monty gaps, so not here: the display of a cell's last expression (`cell.rs`,
//! Jupyter's behaviour) and IPython's magics (`magics.rs`).
//!
//! Every rewrite keeps the lines where they were, so tracebacks point at the user's lines;
//! [`RewrittenSource`] is the only way rewritten text is held, so none is rewritten twice.

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

mod closures;
mod compare;
mod definition;
mod delete;
mod edit;
mod finder;
mod imports;
mod lambdas;
mod source;
mod subscripts;

pub(crate) use closures::INNER_PREFIX;
pub(crate) use definition::Definition;
pub(crate) use edit::{Edit, Piece, render};
pub(crate) use imports::{StarNames, import, nested_imports, star_module, star_probe};
pub(crate) use lambdas::LAMBDA_PREFIX;
pub(crate) use source::RewrittenSource;

use closures::Inner;
use finder::Finder;
use lambdas::Lambda;

/// Collects every rewrite of a cell's statements (`text`), and the functions it keeps.
pub(crate) fn edits(text: &str, body: &[Stmt]) -> Kept {
    let mut finder = Finder::new(text);
    finder.visit_body(body);
    let (edits, lambdas, inners) = finder.finish();
    Kept {
        edits,
        lambdas,
        inners,
    }
}

/// A cell's rewrites, and the functions it makes that the kernel keeps as definitions.
pub(crate) struct Kept {
    pub(crate) edits: Vec<Edit>,
    lambdas: Vec<Lambda>,
    inners: Vec<Inner>,
}

impl Kept {
    /// The kept lambdas and inner functions as definitions, with the rewrites inside them
    /// applied.
    pub(crate) fn definitions(&self, text: &str) -> Vec<(String, Definition)> {
        self.lambdas
            .iter()
            .map(|l| lambdas::definition(text, l, &self.edits))
            .chain(
                self.inners
                    .iter()
                    .map(|i| closures::definition(text, i, &self.edits)),
            )
            .collect()
    }
}

/// Wraps the display of a cell's last expression; a tuple without parentheses
/// (`a, b`) is one argument.
pub(crate) fn display(expr: &Expr) -> Edit {
    match expr {
        Expr::Tuple(tuple) if !tuple.parenthesized => Edit::wrapping(
            tuple.range,
            vec![
                Piece::Text("_skein_display((".into()),
                Piece::Source(tuple.range),
                Piece::Text("))".into()),
            ],
        ),
        other => Edit::wrap(other.range(), "_skein_display"),
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use ruff_text_size::{TextRange, TextSize};

    fn rewrite(source: &str) -> String {
        cell(source).0
    }

    /// The text of `source` with every rewrite applied, and the definitions it keeps.
    pub(super) fn cell(source: &str) -> (String, Vec<(String, Definition)>) {
        let parsed = ruff_python_parser::parse_module(source).expect("parses");
        let kept = edits(source, &parsed.syntax().body);
        let all = TextRange::new(TextSize::from(0), TextSize::of(source));
        let text = render(source, all, &kept.edits).as_str().to_owned();
        (text, kept.definitions(source))
    }

    #[test]
    fn subscripts_read_and_write_through_the_prelude() {
        assert_eq!(
            rewrite("x = a[i, j]"),
            "x = (a[(i, j, )] if _skein_type(a) is _skein_list else _skein_getitem(a, (i, j, )))"
        );
        assert_eq!(
            rewrite("b = t[0:4, ::2]"),
            "b = _skein_getitem(t, (slice(0, 4, None), slice(None, None, 2), ))"
        );
        assert_eq!(
            rewrite("m[r, c] = v[0]"),
            "_skein_setitem(m, (r, c, ), (v[0] if _skein_type(v) is _skein_list else _skein_getitem(v, 0)))"
        );
        assert_eq!(
            rewrite("m[k] += 1"),
            "_skein_setitem(m, k, _skein_getitem(m, k) + (1))"
        );
    }

    #[test]
    fn a_list_s_subscript_runs_inline_and_a_nested_key_is_written_once() {
        let inline = |a: &str, k: &str| {
            format!("({a}[{k}] if _skein_type({a}) is _skein_list else _skein_getitem({a}, {k}))")
        };
        assert_eq!(
            rewrite("y = xs[i - 1]"),
            format!("y = {}", inline("xs", "i - 1"))
        );
        // Only a name's subscript: `m[i]` is evaluated once, so `m[i][j]` calls for `[j]`.
        assert_eq!(
            rewrite("y = m[i][j]"),
            format!("y = _skein_getitem({}, j)", inline("m", "i"))
        );
        // A key that holds a subscript or a call keeps the call: the inline form writes its
        // key twice, which nested inline keys would double at every level.
        assert_eq!(
            rewrite("y = a[b[0]]"),
            format!("y = _skein_getitem(a, {})", inline("b", "0"))
        );
        assert_eq!(rewrite("y = a[f(k)]"), "y = _skein_getitem(a, f(k))");
    }

    #[test]
    fn a_top_level_comparison_of_names_and_literals_runs_inline_behind_a_type_test() {
        assert_eq!(
            rewrite("y = x < 0.5"),
            "y = (x < 0.5 if _skein_type(x) in _skein_scalars else _skein_cmp('lt', x, 0.5))"
        );
        assert_eq!(
            rewrite("y = a != b"),
            "y = (a != b if _skein_type(a) in _skein_scalars and _skein_type(b) in _skein_scalars \
             else _skein_cmp('ne', a, b))"
        );
        // `in` asks only of the container; two literals need no test.
        assert_eq!(
            rewrite("y = k in seen"),
            "y = (k in seen if _skein_type(seen) in _skein_containers else _skein_cmp('in', k, seen))"
        );
        assert_eq!(rewrite("y = 1 <= -2"), "y = (1 <= -2)");
        // A test's comparison checks a Delayed's truth only when it takes the call.
        assert_eq!(
            rewrite("while n > 0:\n    n -= 1\n"),
            "while (n > 0 if _skein_type(n) in _skein_scalars else _skein_truth(_skein_cmp('gt', n, 0))):\n    n -= 1\n"
        );
        assert_eq!(
            rewrite("if f(x) > 0:\n    pass\n"),
            "if _skein_truth(_skein_cmp('gt', f(x), 0)):\n    pass\n"
        );
        // A name tested alone is checked for a Delayed inline; anything else takes the call.
        assert_eq!(
            rewrite("if done:\n    pass\nelif not done:\n    pass\n"),
            "if (done if _skein_type(done) is not _skein_api_Delayed else _skein_truth(done)):\n    pass\n\
             elif _skein_truth(not done):\n    pass\n"
        );
    }

    #[test]
    fn nested_rewrites_compose() {
        assert_eq!(
            rewrite("f = df[df['x'] > 2]"),
            "f = _skein_getitem(df, _skein_cmp('gt', (df['x'] if _skein_type(df) is _skein_list else _skein_getitem(df, 'x')), 2))"
        );
        assert_eq!(
            rewrite("for r in grid[1:]:\n    print(r[0])\n"),
            "for r in _skein_for(_skein_getitem(grid, slice(1, None, None))):\n    _skein_print((r[0] if _skein_type(r) is _skein_list else _skein_getitem(r, 0)))\n"
        );
    }

    #[test]
    fn a_displayed_subscript_is_displayed() {
        let parsed = ruff_python_parser::parse_module("r[:5]").expect("parses");
        let mut all = edits("r[:5]", &parsed.syntax().body).edits;
        let last = &parsed.syntax().body[0];
        let Stmt::Expr(last) = last else {
            panic!("an expression")
        };
        all.push(display(&last.value));
        let whole = TextRange::new(TextSize::from(0), TextSize::of("r[:5]"));
        assert_eq!(
            render("r[:5]", whole, &all),
            "_skein_display(_skein_getitem(r, slice(None, 5, None)))"
        );
    }

    #[test]
    fn an_exception_made_from_anything_but_text_gets_its_text() {
        assert_eq!(
            rewrite("def f(x):\n    raise ValueError(x)"),
            "def f(x):\n    raise ValueError(_skein_exc_text(x))"
        );
        assert_eq!(
            rewrite("e = RuntimeError('stage', n)"),
            "e = RuntimeError(_skein_exc_text(('stage', n)))"
        );
        for plain in [
            "e = ValueError('bad')",
            "e = ValueError(f'bad {x}')",
            "e = ValueError('bad ' + str(x))",
            "e = ValueError('%d rows' % n)",
            "e = ValueError('{} rows'.format(n))",
            "e = ValueError(repr(x))",
            "e = ValueError()",
            "e = ValueError(*args)",
        ] {
            assert_eq!(rewrite(plain), plain);
        }
    }

    #[test]
    fn builtins_that_iterate_take_an_array_s_rows() {
        assert_eq!(
            rewrite("b = list(df.values)\nz = zip(a, range(3))"),
            "b = list(_skein_iterable(_skein_getattr(df, 'values')))\nz = zip(_skein_iterable(a), range(3))"
        );
    }

    #[test]
    fn top_level_attribute_reads_go_through_the_prelude_but_calls_and_modules_do_not() {
        assert_eq!(
            rewrite("pt.x.compute()"),
            "_skein_getattr(pt, 'x').compute()"
        );
        assert_eq!(
            rewrite("y = r[0].real + np.pi\nd.visualize(rankdir=o.side)"),
            "y = _skein_getattr((r[0] if _skein_type(r) is _skein_list else _skein_getitem(r, 0)), 'real') + np.pi\nd.visualize(rankdir=_skein_getattr(o, 'side'))"
        );
        assert_eq!(
            rewrite("def f(p):\n    return p.x\np.x = 1\n"),
            "def f(p):\n    return p.x\np.x = 1\n"
        );
        // Inside a function, only the attributes Dask users read on a Delayed's array or frame.
        assert_eq!(
            rewrite("def rows(p):\n    return p.shape[0] + p.size() + p.n\n"),
            "def rows(p):\n    return _skein_getitem(_skein_getattr(p, 'shape'), 0) + p.size() + p.n\n"
        );
        assert_eq!(
            rewrite("def f(w):\n    return str.upper(w) + w.upper()\n"),
            "def f(w):\n    return _skein_getattr(str, 'upper')(w) + w.upper()\n"
        );
    }

    #[test]
    fn functions_keep_their_comparisons_and_annotations() {
        assert_eq!(
            rewrite("def g(a: list[int]) -> dict[str, int]:\n    return a < 1\n"),
            "def g(a: list[int]) -> dict[str, int]:\n    return a < 1\n"
        );
        assert_eq!(
            rewrite("s = sum(p.shape[0] for p in parts)"),
            "s = sum(_skein_getitem(_skein_getattr(p, 'shape'), 0) for p in _skein_for(parts))"
        );
    }
}
