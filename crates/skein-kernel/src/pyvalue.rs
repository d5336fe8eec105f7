//! Python values between interpreters: what a task returns, what the engine keeps in memory
//! and hands to the next task or back to the notebook.
//!
//! A value leaves an interpreter as a [`MontyObject`]. Most are plain data (numbers, text,
//! lists, dicts) and cross as they are. Objects of classes defined in Python — Skein's own
//! `DataFrame`, say — would name a class only their interpreter knows, so they travel as
//! `('__skein_instance__', class name, [(attr, value), …])` and are made objects again on the
//! other side (`_skein_rebuild` in the prelude). [`PyValue`] remembers whether that is
//! needed, so plain data pays nothing.

use monty_types::MontyObject;
use monty_types::ObjectRef;
use monty_types::unstable::{MontyNode, child, node};
use skein_core::value::ApproxSize;

/// The tag of a travelling object of a Python-defined class.
pub(crate) const INSTANCE_TAG: &str = "__skein_instance__";
/// The tag of a task's input inside an argument (`('__skein_dep__', index)`).
pub(crate) const DEP_TAG: &str = "__skein_dep__";
/// The tag of a travelling `range` (`('__skein_range__', start, stop, step)`): Monty sends a
/// range as its repr, which no interpreter can take back.
const RANGE_TAG: &str = "__skein_range__";

/// A Python value held by the engine.
#[derive(Clone, Debug)]
pub struct PyValue {
    object: MontyObject,
    has_instances: bool,
}

impl PyValue {
    /// A value as an interpreter exported it.
    pub fn from_export(object: MontyObject) -> PyValue {
        if contains_instance(object.as_ref()) {
            PyValue {
                object: rebuild(object.as_ref(), &mut |class, value| {
                    Some(travelling_instance(class, value))
                }),
                has_instances: true,
            }
        } else {
            PyValue {
                object,
                has_instances: false,
            }
        }
    }

    /// The value, in its travelling form.
    pub fn object(&self) -> &MontyObject {
        &self.object
    }

    /// Whether the prelude must make objects of it again (`_skein_rebuild`).
    pub fn needs_rebuild(&self) -> bool {
        self.has_instances
    }

    /// `(needs_rebuild, value)`, as host functions hand task results to the prelude.
    pub(crate) fn to_answer(&self) -> MontyObject {
        MontyObject::tuple([MontyObject::bool(self.has_instances), self.object.clone()])
    }

    /// The Python type name of the value (`int`, `list`, `DataFrame`).
    pub fn type_name(&self) -> String {
        let r = self.object.as_ref();
        if self.has_instances
            && let Some(items) = r.items()
            && items.len() == 3
            && items[0].as_str() == Some(INSTANCE_TAG)
            && let Some(name) = items[1].as_str()
        {
            return name.to_owned();
        }
        r.type_name().to_owned()
    }
}

impl ApproxSize for PyValue {
    fn approx_size(&self) -> usize {
        approx_size(self.object.as_ref())
    }
}

fn approx_size(r: ObjectRef<'_>) -> usize {
    match node(r) {
        MontyNode::String(s) => 48 + s.len(),
        MontyNode::Bytes(b) => 32 + b.len(),
        MontyNode::BigInt(_) => 32,
        MontyNode::List(ids)
        | MontyNode::Tuple(ids)
        | MontyNode::Set(ids)
        | MontyNode::FrozenSet(ids) => {
            56 + ids
                .iter()
                .map(|&id| 8 + approx_size(child(r, id)))
                .sum::<usize>()
        }
        MontyNode::Dict(pairs) => {
            64 + pairs
                .iter()
                .map(|&(k, v)| 24 + approx_size(child(r, k)) + approx_size(child(r, v)))
                .sum::<usize>()
        }
        MontyNode::ClassInstance { attrs, .. } => {
            48 + attrs
                .iter()
                .map(|&(_, v)| 16 + approx_size(child(r, v)))
                .sum::<usize>()
        }
        _ => 24,
    }
}

/// The strings in a Python list or tuple (anything else in it left out).
pub(crate) fn strings_in(value: &MontyObject) -> Vec<String> {
    value
        .as_ref()
        .items()
        .unwrap_or_default()
        .iter()
        .filter_map(|item| item.as_str().map(str::to_owned))
        .collect()
}

/// The class name of an instance node.
pub(crate) fn instance_class<'a>(r: ObjectRef<'a>) -> Option<&'a str> {
    match node(r) {
        MontyNode::ClassInstance { class_type, .. } => match node(child(r, *class_type)) {
            MontyNode::ClassType(class) => Some(class.name.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// An attribute of an instance node.
pub(crate) fn instance_attr<'a>(r: ObjectRef<'a>, name: &str) -> Option<ObjectRef<'a>> {
    match node(r) {
        MontyNode::ClassInstance { attrs, .. } => attrs
            .iter()
            .find(|&&(k, _)| child(r, k).as_str() == Some(name))
            .map(|&(_, v)| child(r, v)),
        _ => None,
    }
}

/// A range's bounds from Monty's repr of it (`range(0, 10, 2)`).
fn range_bounds(repr: &str) -> Option<[i64; 3]> {
    let inner = repr.strip_prefix("range(")?.strip_suffix(')')?;
    let mut numbers = inner.split(", ").map(|n| n.parse::<i64>().ok());
    let start = numbers.next()??;
    let stop = numbers.next()??;
    let step = numbers.next().unwrap_or(Some(1))?;
    numbers.next().is_none().then_some([start, stop, step])
}

fn travelling_range([start, stop, step]: [i64; 3]) -> MontyObject {
    MontyObject::tuple([
        MontyObject::string(RANGE_TAG),
        MontyObject::int(start),
        MontyObject::int(stop),
        MontyObject::int(step),
    ])
}

fn is_travelling_range(r: ObjectRef<'_>) -> bool {
    matches!(node(r), MontyNode::Tuple(ids) if ids.len() == 4)
        && r.items()
            .is_some_and(|items| items[0].as_str() == Some(RANGE_TAG))
}

/// The first value inside `r` that no other interpreter can make again (Monty sends a
/// function or a generator as its repr), as that repr.
pub(crate) fn first_unsendable<'a>(r: ObjectRef<'a>) -> Option<&'a str> {
    match node(r) {
        MontyNode::Repr(text) => range_bounds(text).is_none().then_some(text.as_str()),
        MontyNode::List(ids)
        | MontyNode::Tuple(ids)
        | MontyNode::Set(ids)
        | MontyNode::FrozenSet(ids) => ids.iter().find_map(|&id| first_unsendable(child(r, id))),
        MontyNode::Dict(pairs) => pairs.iter().find_map(|&(k, v)| {
            first_unsendable(child(r, k)).or_else(|| first_unsendable(child(r, v)))
        }),
        MontyNode::ClassInstance { attrs, .. } => attrs
            .iter()
            .find_map(|&(_, v)| first_unsendable(child(r, v))),
        _ => None,
    }
}

/// Why a value `first_unsendable` found cannot go to a task, and what to send instead.
pub(crate) fn unsendable_message(repr: &str) -> String {
    let instead = if repr.starts_with("<function ") || repr.starts_with("<bound method ") {
        "Skein sends a function as the task's callable or among its arguments, not inside a \
         value: pass it to the task as an argument instead"
    } else {
        "Skein sends numbers, strings, lists, tuples, dicts, arrays, frames and objects of a \
         cell's classes"
    };
    format!("{repr} cannot be sent to a task: {instead}")
}

fn contains_instance(r: ObjectRef<'_>) -> bool {
    match node(r) {
        MontyNode::ClassInstance { .. } => true,
        MontyNode::Repr(text) => range_bounds(text).is_some(),
        MontyNode::Tuple(_) if is_travelling_range(r) => true,
        MontyNode::List(ids)
        | MontyNode::Tuple(ids)
        | MontyNode::Set(ids)
        | MontyNode::FrozenSet(ids) => ids.iter().any(|&id| contains_instance(child(r, id))),
        MontyNode::Dict(pairs) => pairs.iter().any(|&(_, v)| contains_instance(child(r, v))),
        _ => false,
    }
}

fn contains_cycle(r: ObjectRef<'_>) -> bool {
    match node(r) {
        MontyNode::Cycle(_) => true,
        MontyNode::List(ids)
        | MontyNode::Tuple(ids)
        | MontyNode::Set(ids)
        | MontyNode::FrozenSet(ids) => ids.iter().any(|&id| contains_cycle(child(r, id))),
        MontyNode::Dict(pairs) => pairs.iter().any(|&(_, v)| contains_cycle(child(r, v))),
        MontyNode::ClassInstance { attrs, .. } => {
            attrs.iter().any(|&(_, v)| contains_cycle(child(r, v)))
        }
        _ => false,
    }
}

fn travelling_instance(class: &str, value: ObjectRef<'_>) -> MontyObject {
    let attrs = match node(value) {
        // An attribute that points back at its object (pandas' `df.iloc`) cannot travel; the
        // object's constructor makes it anew on the other side.
        MontyNode::ClassInstance { attrs, .. } => attrs
            .iter()
            .filter(|&&(_, v)| !contains_cycle(child(value, v)))
            .map(|&(k, v)| {
                MontyObject::tuple([
                    child(value, k).to_owned(),
                    rebuild(child(value, v), &mut |c, x| Some(travelling_instance(c, x))),
                ])
            })
            .collect(),
        _ => Vec::new(),
    };
    MontyObject::tuple([
        MontyObject::string(INSTANCE_TAG),
        MontyObject::string(class),
        MontyObject::list(attrs),
    ])
}

/// Calls `f` with each class instance inside `r` (not inside instances), copying nothing:
/// `ObjectRef::to_owned` of an instance sweeps back to its class's node, so copying every
/// instance of a long list would cost the square of its length.
pub(crate) fn for_each_instance(r: ObjectRef<'_>, f: &mut dyn FnMut(&str, ObjectRef<'_>)) {
    match node(r) {
        MontyNode::ClassInstance { .. } => f(instance_class(r).unwrap_or("object"), r),
        MontyNode::List(ids)
        | MontyNode::Tuple(ids)
        | MontyNode::Set(ids)
        | MontyNode::FrozenSet(ids) => {
            ids.iter()
                .for_each(|&id| for_each_instance(child(r, id), f));
        }
        MontyNode::Dict(pairs) => pairs
            .iter()
            .for_each(|&(_, v)| for_each_instance(child(r, v), f)),
        _ => {}
    }
}

/// Copies `r`, letting `on_instance` replace each class instance (`None` keeps it).
pub(crate) fn rebuild(
    r: ObjectRef<'_>,
    on_instance: &mut dyn FnMut(&str, ObjectRef<'_>) -> Option<MontyObject>,
) -> MontyObject {
    match node(r) {
        MontyNode::ClassInstance { .. } => {
            let class = instance_class(r).unwrap_or("object").to_owned();
            on_instance(&class, r).unwrap_or_else(|| r.to_owned())
        }
        MontyNode::Repr(text) => range_bounds(text).map_or_else(|| r.to_owned(), travelling_range),
        MontyNode::List(ids) => {
            MontyObject::list(ids.iter().map(|&id| rebuild(child(r, id), on_instance)))
        }
        MontyNode::Tuple(ids) => {
            MontyObject::tuple(ids.iter().map(|&id| rebuild(child(r, id), on_instance)))
        }
        MontyNode::Dict(pairs) => MontyObject::dict(
            pairs
                .iter()
                .map(|&(k, v)| (child(r, k).to_owned(), rebuild(child(r, v), on_instance))),
        ),
        _ => r.to_owned(),
    }
}

/// Puts `deps` where `template` holds `('__skein_dep__', i)`.
pub(crate) fn substitute(template: ObjectRef<'_>, deps: &[&MontyObject]) -> MontyObject {
    if let Some(items) = template.items()
        && matches!(node(template), MontyNode::Tuple(_))
        && items.len() == 2
        && items[0].as_str() == Some(DEP_TAG)
        && let Some(index) = items[1].as_int()
        && let Some(dep) = usize::try_from(index).ok().and_then(|i| deps.get(i))
    {
        return (*dep).clone();
    }
    match node(template) {
        MontyNode::List(ids) => {
            MontyObject::list(ids.iter().map(|&id| substitute(child(template, id), deps)))
        }
        MontyNode::Tuple(ids) => {
            MontyObject::tuple(ids.iter().map(|&id| substitute(child(template, id), deps)))
        }
        MontyNode::Dict(pairs) => MontyObject::dict(pairs.iter().map(|&(k, v)| {
            (
                child(template, k).to_owned(),
                substitute(child(template, v), deps),
            )
        })),
        _ => template.to_owned(),
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn values_sent_as_their_repr_are_found_with_a_hint() {
        let nested = MontyObject::list([
            MontyObject::repr("range(0, 4)"),
            MontyObject::dict(vec![(
                MontyObject::string("k"),
                MontyObject::repr("<function 'inc' at 0x4c>"),
            )]),
        ]);
        // A range travels (tagged); a function does not.
        let repr = first_unsendable(nested.as_ref());
        assert_eq!(repr, Some("<function 'inc' at 0x4c>"));
        assert!(unsendable_message(repr.unwrap()).contains("pass it to the task as an argument"));
        assert_eq!(first_unsendable(MontyObject::int(1).as_ref()), None);
        assert_eq!(range_bounds("range(5, -1, -2)"), Some([5, -1, -2]));
        assert_eq!(range_bounds("range(0, 3)"), Some([0, 3, 1]));
        assert_eq!(range_bounds("range(a, 3)"), None);
        let value = PyValue::from_export(nested.clone());
        assert!(value.needs_rebuild());
        assert!(is_travelling_range(
            value.object().as_ref().items().unwrap()[0]
        ));
    }

    #[test]
    fn plain_data_travels_as_it_is() {
        let v = PyValue::from_export(MontyObject::list([
            MontyObject::int(1),
            MontyObject::string("a"),
        ]));
        assert!(!v.needs_rebuild());
        assert_eq!(v.object().py_repr(), "[1, 'a']");
        assert_eq!(v.type_name(), "list");
        assert!(v.approx_size() > 0);
    }

    #[test]
    fn substitute_fills_dependencies_inside_containers() {
        let dep = MontyObject::tuple([MontyObject::string(DEP_TAG), MontyObject::int(0)]);
        let template = MontyObject::list([
            MontyObject::int(1),
            MontyObject::dict([(MontyObject::string("k"), dep)]),
        ]);
        let value = MontyObject::float(2.5);
        assert_eq!(
            substitute(template.as_ref(), &[&value]).py_repr(),
            "[1, {'k': 2.5}]"
        );
    }
}
