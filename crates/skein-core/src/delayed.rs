//! `Delayed<T>`: a lazy value — a task and everything it depends on — that runs nothing until
//! [`compute`](Delayed::compute) or [`persist`](Delayed::persist).
//!
//! A `Delayed` is a node of an immutable DAG shared through `Arc`s, so combining values (the
//! seed's `sum` of a thousand calls) costs O(1) per step and building is O(N), unlike graphs
//! that copy a dictionary at each merge.
//!
//! ```
//! use skein_core::{delayed, Delayed};
//! fn square(x: i64) -> i64 { x * x }
//! let sq = delayed(square);
//! let d: Delayed<i64> = sq.call(sq.call(3));
//! assert_eq!(d.compute().unwrap(), 81);
//! assert!(d.key().as_str().starts_with("square-"));
//! ```

use std::any::TypeId;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Add, Div, Mul, Sub};
use std::sync::Arc;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use smallvec::{SmallVec, smallvec};

use crate::client::Client;
use crate::error::{Error, GraphError, TaskError};
use crate::function::{Function, FunctionId};
use crate::graph::{Arg, Graph, TaskFn, TaskSpec};
use crate::input::{Input, Inputs, IntoInput};
use crate::key::{Key, TokenHasher, Tokenize};
use crate::scheduler::{Handle, NewArg, NewTask};
use crate::value::{Data, FromValue, Value};
use crate::visualize::Visualization;

/// A lazy value of type `T` (untyped when `T` is [`Value`]).
pub struct Delayed<T = Value> {
    node: Arc<Node>,
    _type: PhantomData<fn() -> T>,
}

pub(crate) enum Node {
    /// A task not submitted by this handle.
    Task {
        key: Key,
        func: TaskFn,
        args: NodeArgs,
    },
    /// A task kept in memory by `persist`.
    Persisted(Handle),
}

/// A node's arguments: inline for the usual one or two (a call, an operator), which saves an
/// allocation per node when building large graphs.
pub(crate) type NodeArgs = SmallVec<[Input; 2]>;

impl Node {
    fn key(&self) -> &Key {
        match self {
            Node::Task { key, .. } => key,
            Node::Persisted(h) => h.key(),
        }
    }
}

impl Drop for Node {
    /// Drops long chains (a `sum` of a million values) without recursing a million deep.
    fn drop(&mut self) {
        let Node::Task { args, .. } = self else {
            return;
        };
        let mut stack: Vec<Input> = std::mem::take(args).into_vec();
        while let Some(input) = stack.pop() {
            // Empty a node only this handle holds in place (`get_mut`, not `into_inner`, which
            // would move the whole node out before freeing it: a copy per node); dropping the
            // handle then frees a node without arguments, so this never recurses.
            if let Input::Delayed(mut d) = input
                && let Some(Node::Task { args, .. }) = Arc::get_mut(&mut d.node)
            {
                stack.extend(args.drain(..));
            }
        }
    }
}

impl<T> Clone for Delayed<T> {
    fn clone(&self) -> Self {
        Delayed {
            node: self.node.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Delayed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Delayed({:?})", self.key())
    }
}

impl<T> Tokenize for Delayed<T> {
    fn tokenize(&self, h: &mut TokenHasher) {
        self.key().tokenize(h);
    }
}

impl Delayed<Value> {
    /// An untyped task: `func` applied to `args`, named `key`.
    pub fn from_task(key: Key, func: TaskFn, args: Vec<Input>) -> Delayed<Value> {
        Delayed::call_untyped(key, func, args.into())
    }

    /// Views an untyped value as a `T` (checked when the result is read).
    pub fn downcast<T>(self) -> Delayed<T> {
        Delayed {
            node: self.node,
            _type: PhantomData,
        }
    }
}

impl<T> Delayed<T> {
    fn from_node(node: Node) -> Delayed<T> {
        Delayed {
            node: Arc::new(node),
            _type: PhantomData,
        }
    }

    /// The key of the task that produces this value.
    pub fn key(&self) -> &Key {
        self.node.key()
    }

    /// Forgets the type.
    pub fn into_dyn(self) -> Delayed<Value> {
        Delayed {
            node: self.node,
            _type: PhantomData,
        }
    }

    /// Whether this value is held in memory by [`persist`](Delayed::persist).
    pub fn is_persisted(&self) -> bool {
        matches!(*self.node, Node::Persisted(_))
    }

    /// Starts computing on the current client and returns a delayed value whose result stays in
    /// memory while it (or a clone) lives: computing it, or anything built on it, again runs
    /// nothing for it. Returns at once.
    pub fn persist(&self) -> Result<Delayed<T>, Error> {
        self.persist_on(&Client::current())
    }

    /// [`persist`](Delayed::persist) on `client`.
    pub fn persist_on(&self, client: &Client) -> Result<Delayed<T>, Error> {
        let mut handles = submit(client, &[&self.node])?;
        match handles.pop() {
            Some(h) => Ok(Delayed::from_node(Node::Persisted(h))),
            None => Err(Error::Graph(GraphError::MissingTarget {
                key: self.key().clone(),
            })),
        }
    }

    /// The task graph behind this value (persisted values appear as keys, not tasks).
    pub fn graph(&self) -> Graph {
        let mut graph = Graph::new();
        if let Ok(order) = post_order(&[&self.node]) {
            for node in order.nodes {
                if let Node::Task { key, func, args } = node {
                    let args = args
                        .iter()
                        .map(|a| match a {
                            Input::Value(v) => Arg::Value(v.clone()),
                            Input::Delayed(d) => Arg::Key(d.key().clone()),
                            Input::Future(f) => Arg::Key(f.key().clone()),
                        })
                        .collect();
                    graph.insert(TaskSpec::new(key.clone(), func.clone(), args));
                }
            }
        }
        graph
    }

    /// The graph drawn as Dask draws it: tasks as circles, data as boxes.
    pub fn visualize(&self) -> Visualization {
        Visualization::new(&self.graph(), std::slice::from_ref(self.key()))
    }
}

impl<T: FromValue> Delayed<T> {
    /// Runs the graph on the current client and returns the result.
    pub fn compute(&self) -> Result<T, Error> {
        self.compute_on(&Client::current())
    }

    /// Runs the graph on `client` and returns the result.
    pub fn compute_on(&self, client: &Client) -> Result<T, Error> {
        client.compute(self)?.result()
    }
}

impl<T: Data> Delayed<T> {
    /// A literal value as a one-task graph.
    pub fn value(value: T) -> Delayed<T> {
        let path = std::any::type_name::<T>();
        let base = path.split('<').next().unwrap_or(path);
        let name = base.rsplit("::").next().unwrap_or(base);
        Delayed::literal(name, Value::new(value))
    }

    /// A lazy `f(&value)`: field or index access, as the seed's `p.shape[0]`.
    pub fn map<U: Data>(&self, f: impl Fn(&T) -> U + Send + Sync + 'static) -> Delayed<U> {
        let func: TaskFn =
            Arc::new(
                move |args: &[Value]| match args.first().map(Value::downcast_ref::<T>) {
                    Some(Some(t)) => Ok(Value::new(f(t))),
                    _ => Err(TaskError::new(format!(
                        "getitem expects a `{}`",
                        std::any::type_name::<T>()
                    ))),
                },
            );
        let args = smallvec![Input::Delayed(self.clone().into_dyn())];
        Delayed::from_node(Node::Task {
            key: Key::impure("getitem"),
            func,
            args,
        })
    }
}

impl<T> Delayed<T> {
    pub(crate) fn literal(name: &str, value: Value) -> Delayed<T> {
        let func: TaskFn = Arc::new(|args: &[Value]| {
            args.first()
                .cloned()
                .ok_or_else(|| TaskError::new("a literal needs its value"))
        });
        let args = smallvec![Input::Value(value)];
        Delayed::from_node(Node::Task {
            key: Key::impure(name),
            func,
            args,
        })
    }

    pub(crate) fn call_untyped(key: Key, func: TaskFn, args: NodeArgs) -> Delayed<T> {
        Delayed::from_node(Node::Task { key, func, args })
    }
}

/// Computes several delayed values together on the current client (shared tasks run once).
pub fn compute_all<T: FromValue>(values: &[Delayed<T>]) -> Result<Vec<T>, Error> {
    let client = Client::current();
    let futures = client.compute_many(values)?;
    futures.iter().map(|f| f.result()).collect()
}

// ---- graph traversal -------------------------------------------------------------------

/// Positions of task nodes by key, probed with the hash each `Key` caches (no string hashing
/// per visit). Entries keep the node, so a lookup for the very same node (the usual case: a
/// value used twice is one shared node) matches by address without reading the stored key;
/// distinct nodes with equal keys still count as one task, as keys name computations.
#[derive(Default)]
struct KeyIndex<'a> {
    table: HashTable<(&'a Node, usize)>,
}

impl<'a> KeyIndex<'a> {
    fn matches<'k>(node: &'k Node) -> impl Fn(&(&'a Node, usize)) -> bool + 'k {
        move |&(n, _)| std::ptr::eq(n, node) || n.key() == node.key()
    }

    fn get(&self, node: &Node) -> Option<usize> {
        self.table
            .find(node.key().prehash(), Self::matches(node))
            .map(|&(_, i)| i)
    }

    fn insert(&mut self, node: &'a Node, value: usize) {
        let entry = self
            .table
            .entry(node.key().prehash(), Self::matches(node), |(n, _)| {
                n.key().prehash()
            });
        match entry {
            Entry::Occupied(mut e) => e.get_mut().1 = value,
            Entry::Vacant(e) => {
                e.insert((node, value));
            }
        }
    }
}

/// A task node while it is being ordered: on the walk's stack, or already placed.
const OPEN: u32 = u32::MAX;

/// A node's position in the order as the walk stores it: 32 bits halve the walk's vectors,
/// which a large submission holds alongside every task it creates (the peak of its memory).
fn pos32(position: usize) -> u32 {
    u32::try_from(position)
        .ok()
        .filter(|&p| p != OPEN)
        .expect("a graph of fewer than 2^32 - 1 tasks")
}

pub(crate) struct Order<'a> {
    /// Task nodes (never `Persisted`), dependencies first, depth-first post-order from the
    /// roots.
    nodes: Vec<&'a Node>,
    /// The positions in `nodes` of each node's `Delayed` task arguments, in argument order,
    /// node after node: `edges[edge_ends[i - 1]..edge_ends[i]]` are those of `nodes[i]`.
    /// Recorded during the walk, which meets every edge anyway, so that submitting does not
    /// look each argument up in `index` again (with 10^5 tasks, each probe is a cache miss).
    edges: Vec<u32>,
    edge_ends: Vec<u32>,
    /// Visit number by key: numbers are handed out in the order nodes are first met.
    index: KeyIndex<'a>,
    /// By visit number: the node's position in `nodes`, or `OPEN` while it is on the stack.
    /// Kept beside the index so that placing a node updates a vector, not the hash table.
    placed: Vec<u32>,
}

impl<'a> Order<'a> {
    /// The visit number of a new node, now `OPEN`.
    fn open(&mut self, node: &'a Node) -> usize {
        let visit = self.placed.len();
        self.placed.push(OPEN);
        self.index.insert(node, visit);
        visit
    }

    /// The position of a task known to be in the order.
    fn position(&self, node: &Node) -> usize {
        let visit = self
            .index
            .get(node)
            .expect("every task behind a root is in the order");
        self.placed[visit] as usize
    }
}

/// One node on the walk's stack.
struct Frame<'a> {
    node: &'a Node,
    /// Its next argument to look at.
    next: usize,
    visit: usize,
    /// Where its argument positions start on the pending-edges stack.
    edges: usize,
}

/// Collects the unsubmitted tasks behind `roots`, each key once, without recursion.
fn post_order<'a>(roots: &[&'a Arc<Node>]) -> Result<Order<'a>, GraphError> {
    let mut order = Order {
        nodes: Vec::new(),
        edges: Vec::new(),
        edge_ends: Vec::new(),
        index: KeyIndex::default(),
        placed: Vec::new(),
    };
    let mut stack: Vec<Frame<'a>> = Vec::new();
    // The argument positions found so far of the nodes on the stack, innermost last.
    let mut pending: Vec<u32> = Vec::new();
    for root in roots {
        let root: &'a Node = root;
        if matches!(root, Node::Persisted(_)) || order.index.get(root).is_some() {
            continue;
        }
        let visit = order.open(root);
        stack.push(Frame {
            node: root,
            next: 0,
            visit,
            edges: 0,
        });
        while let Some(top) = stack.last_mut() {
            let Node::Task { args, .. } = top.node else {
                unreachable!("only tasks are pushed");
            };
            if let Some(arg) = args.get(top.next) {
                top.next += 1;
                if let Input::Delayed(d) = arg {
                    let dep: &'a Node = &d.node;
                    if let Node::Task { .. } = dep {
                        match order.index.get(dep).map(|visit| order.placed[visit]) {
                            None => {
                                let visit = order.open(dep);
                                stack.push(Frame {
                                    node: dep,
                                    next: 0,
                                    visit,
                                    edges: pending.len(),
                                });
                            }
                            Some(OPEN) => {
                                let keys = stack.iter().map(|f| f.node.key().clone()).collect();
                                return Err(GraphError::Cycle { keys });
                            }
                            Some(position) => pending.push(position),
                        }
                    }
                }
            } else {
                let position = order.nodes.len();
                order.placed[top.visit] = pos32(position);
                order.nodes.push(top.node);
                order.edges.extend(pending.drain(top.edges..));
                order.edge_ends.push(pos32(order.edges.len()));
                stack.pop();
                // The node was its parent's current argument.
                if !stack.is_empty() {
                    pending.push(pos32(position));
                }
            }
        }
    }
    Ok(order)
}

/// Submits the graphs behind `roots` and returns a handle per root.
pub(crate) fn submit(client: &Client, roots: &[&Arc<Node>]) -> Result<Vec<Handle>, Error> {
    let order = post_order(roots)?;
    let targets: Vec<usize> = roots
        .iter()
        .filter_map(|r| match &***r {
            node @ Node::Task { .. } => Some(order.position(node)),
            Node::Persisted(_) => None,
        })
        .collect();
    // Streamed into the scheduler rather than collected first: for a graph of a million tasks
    // a list of them all would be a sixth of the peak memory.
    let tasks = order.nodes.iter().enumerate().map(|(i, node)| {
        let Node::Task { key, func, args } = node else {
            unreachable!("the order holds tasks only");
        };
        let start = i.checked_sub(1).map_or(0, |j| order.edge_ends[j] as usize);
        let mut edges = order.edges[start..order.edge_ends[i] as usize].iter();
        let args = args
            .iter()
            .map(|a| match a {
                Input::Value(v) => NewArg::Value(v.clone()),
                Input::Future(f) => NewArg::Existing(f.handle().clone()),
                Input::Delayed(d) => match &*d.node {
                    Node::Persisted(h) => NewArg::Existing(h.clone()),
                    Node::Task { .. } => NewArg::Local(
                        *edges.next().expect("the walk recorded every task argument") as usize,
                    ),
                },
            })
            .collect();
        NewTask {
            key: key.clone(),
            func: func.clone(),
            args,
        }
    });
    let mut submitted = client.scheduler().submit(tasks, &targets).into_iter();
    let mut handles = Vec::with_capacity(roots.len());
    for root in roots {
        let handle = match &***root {
            Node::Persisted(h) => Some(h.clone()),
            Node::Task { .. } => submitted.next(),
        };
        handles.extend(handle);
    }
    Ok(handles)
}

impl<T> Delayed<T> {
    pub(crate) fn node(&self) -> &Arc<Node> {
        &self.node
    }
}

// ---- wrapping functions ----------------------------------------------------------------

/// Marker: every call gets a fresh key (the default for `delayed`, as in Dask).
#[derive(Clone, Copy, Debug)]
pub struct Impure;
/// Marker: a call's key is a hash of the function and its arguments, so equal calls share a
/// key (and a result).
#[derive(Clone, Copy, Debug)]
pub struct Pure;

/// The compile-time parts of a [`DelayedFn`]: function type, argument tuple, purity.
type Marker<F, M, P> = PhantomData<fn() -> (F, M, P)>;

/// A function wrapped by [`delayed`]: calling it builds a task instead of running it.
pub struct DelayedFn<F, M, P = Impure> {
    id: FunctionId,
    func: TaskFn,
    _marker: Marker<F, M, P>,
}

impl<F, M, P> Clone for DelayedFn<F, M, P> {
    fn clone(&self) -> Self {
        DelayedFn {
            id: self.id.clone(),
            func: self.func.clone(),
            _marker: PhantomData,
        }
    }
}

impl<F, M, P> fmt::Debug for DelayedFn<F, M, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "delayed({})", self.id.name)
    }
}

/// Wraps `f` so that calls build tasks: `delayed(square).call(3)` is a `Delayed<i64>`.
/// Calls are impure (fresh keys) unless [`pure`](DelayedFn::pure) is asked for.
pub fn delayed<F: Function<M>, M>(f: F) -> DelayedFn<F, M, Impure> {
    DelayedFn {
        id: FunctionId::of::<F>(),
        func: f.into_task_fn(),
        _marker: PhantomData,
    }
}

impl<F: 'static, M, P> DelayedFn<F, M, P> {
    /// Names the tasks `name` (the function group on the dashboard) instead of the function's
    /// own name.
    pub fn named(self, name: &str) -> DelayedFn<F, M, P> {
        DelayedFn {
            id: FunctionId::named::<F>(name),
            func: self.func,
            _marker: PhantomData,
        }
    }

    /// Makes calls pure: equal arguments give equal keys.
    pub fn pure(self) -> DelayedFn<F, M, Pure> {
        DelayedFn {
            id: self.id,
            func: self.func,
            _marker: PhantomData,
        }
    }

    /// The task name.
    pub fn name(&self) -> &str {
        &self.id.name
    }
}

macro_rules! delayed_call {
    ($($A:ident $X:ident $x:ident),+) => {
        impl<F: Function<($($A,)+)>, $($A),+> DelayedFn<F, ($($A,)+), Impure> {
            /// Builds the task `f(args…)` with a fresh key; runs nothing.
            #[allow(clippy::too_many_arguments)]
            pub fn call<$($X: IntoInput<$A>),+>(&self, $($x: $X),+) -> Delayed<F::Output> {
                let key = Key::impure(&self.id.name);
                Delayed::call_untyped(key, self.func.clone(), smallvec![$($x.into_input()),+])
            }
        }

        impl<F: Function<($($A,)+)>, $($A),+> DelayedFn<F, ($($A,)+), Pure> {
            /// Builds the task `f(args…)` with a key hashed from the function and arguments.
            #[allow(clippy::too_many_arguments)]
            pub fn call<$($X: IntoInput<$A> + Tokenize),+>(&self, $($x: $X),+) -> Delayed<F::Output> {
                let mut h = self.id.hasher();
                $($x.tokenize(&mut h);)+
                let key = Key::new(&self.id.name, h.finish128());
                Delayed::call_untyped(key, self.func.clone(), smallvec![$($x.into_input()),+])
            }
        }
    };
}
delayed_call!(A X a);
delayed_call!(A X a, B Y b);
delayed_call!(A X a, B Y b, C Z c);
delayed_call!(A X a, B Y b, C Z c, D W d);

impl<F: Function<M>, M> DelayedFn<F, M, Impure> {
    /// Builds the task from an argument list (a value, or a tuple for several arguments).
    pub fn apply(&self, args: impl Inputs<M>) -> Delayed<F::Output> {
        Delayed::call_untyped(
            Key::impure(&self.id.name),
            self.func.clone(),
            args.into_inputs().into(),
        )
    }
}

// ---- operators and sum -----------------------------------------------------------------

fn binary<T, L, R>(name: &'static str, op: fn(T, T) -> T, lhs: L, rhs: R) -> Delayed<T>
where
    T: Data,
    L: IntoInput<T>,
    R: IntoInput<T>,
{
    Delayed::call_untyped(
        Key::impure(name),
        operator_fn(name, op),
        smallvec![lhs.into_input(), rhs.into_input()],
    )
}

/// The task function of operator `name` on `T`, made once per thread and shared by every task
/// using it: a `sum` of N values has N `add` tasks, and a fresh closure each was an allocation
/// per task. An operator's name picks its `op` (one per operator and type).
fn operator_fn<T: Data>(name: &'static str, op: fn(T, T) -> T) -> TaskFn {
    thread_local! {
        static MADE: std::cell::RefCell<Vec<(TypeId, &'static str, TaskFn)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let ty = TypeId::of::<T>();
    MADE.with_borrow_mut(|made| {
        if let Some((_, _, f)) = made.iter().find(|(t, n, _)| *t == ty && *n == name) {
            return f.clone();
        }
        let func: TaskFn = Arc::new(move |args: &[Value]| {
            match (
                args.first().and_then(|v| v.downcast_ref::<T>()),
                args.get(1).and_then(|v| v.downcast_ref::<T>()),
            ) {
                (Some(a), Some(b)) => Ok(Value::new(op(a.clone(), b.clone()))),
                _ => Err(TaskError::new(format!(
                    "operands must be `{}`",
                    std::any::type_name::<T>()
                ))),
            }
        });
        made.push((ty, name, func.clone()));
        func
    })
}

macro_rules! operator {
    ($Trait:ident $method:ident $name:literal) => {
        impl<T: Data + $Trait<Output = T>> $Trait for Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: Delayed<T>) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        impl<T: Data + $Trait<Output = T>> $Trait<&Delayed<T>> for &Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: &Delayed<T>) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        impl<T: Data + $Trait<Output = T>> $Trait<T> for Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: T) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        impl<T: Data + $Trait<Output = T>> $Trait<T> for &Delayed<T> {
            type Output = Delayed<T>;
            fn $method(self, rhs: T) -> Delayed<T> {
                binary($name, T::$method, self, rhs)
            }
        }
        operator!(@lhs $Trait $method $name; i32 i64 u32 u64 usize f32 f64);
    };
    (@lhs $Trait:ident $method:ident $name:literal; $($t:ty)*) => {$(
        impl $Trait<Delayed<$t>> for $t {
            type Output = Delayed<$t>;
            fn $method(self, rhs: Delayed<$t>) -> Delayed<$t> {
                binary($name, <$t as $Trait>::$method, self, rhs)
            }
        }
    )*};
}
operator!(Add add "add");
operator!(Sub sub "sub");
operator!(Mul mul "mul");
operator!(Div div "truediv");

/// The lazy sum of `items`, added left to right like Python's `sum` (an `add` task per item);
/// `T::default()` when empty.
pub fn sum<T, I>(items: I) -> Delayed<T>
where
    T: Data + Add<Output = T> + Default,
    I: IntoIterator<Item = Delayed<T>>,
{
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return Delayed::value(T::default());
    };
    items.fold(first, |acc, d| acc + d)
}

impl<T: Data + Add<Output = T> + Default> std::iter::Sum for Delayed<T> {
    fn sum<I: Iterator<Item = Delayed<T>>>(iter: I) -> Delayed<T> {
        sum(iter)
    }
}
