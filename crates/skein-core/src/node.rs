//! The data of a lazy graph: [`Node`]s shared through `Arc`s, their arguments
//! ([`Input`]: a value, another node, or a future), and [`Delayed<T>`], the typed handle to a
//! node. The three refer to each other, so they live together here; what is built on them
//! lives above: the argument traits in `input`, the API of `Delayed` (calls, operators,
//! `compute`) in `delayed`, the walk that submits a graph in `submission`. This module uses
//! none of them (nor `client`), which is what keeps those four from forming a circle.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use smallvec::SmallVec;

use crate::future::Future;
use crate::graph::TaskFn;
use crate::key::{Key, TokenHasher, Tokenize};
use crate::scheduler::Handle;
use crate::value::{IntoValue, Value};

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
    pub(crate) fn key(&self) -> &Key {
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
    pub(crate) fn from_node(node: Node) -> Delayed<T> {
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

    pub(crate) fn node(&self) -> &Arc<Node> {
        &self.node
    }

    pub(crate) fn call_untyped(key: Key, func: TaskFn, args: NodeArgs) -> Delayed<T> {
        Delayed::from_node(Node::Task { key, func, args })
    }
}

/// One untyped argument.
#[derive(Clone, Debug)]
pub enum Input {
    /// A literal value.
    Value(Value),
    /// The result of a delayed computation (part of the same graph).
    Delayed(Delayed<Value>),
    /// The result of a submitted task (waited for on the workers, never by the caller).
    Future(Future<Value>),
}

impl Input {
    /// A literal argument.
    pub fn value(v: impl IntoValue) -> Input {
        Input::Value(v.into_value())
    }
}
