//! Type-erased task values that know their approximate size in bytes.
//!
//! A [`Value`] is an `Arc<dyn Any + Send + Sync>` (plain numbers are kept inline instead)
//! plus a byte count (for "memory by key").
//! [`ApproxSize`] says how big a value is; [`Data`] is everything a typed task may return.
//! Values whose type does not implement `ApproxSize` (a script engine's dynamic values, say) are
//! made with [`Value::with_size`].
//!
//! ```
//! use skein_core::Value;
//! let v = Value::new(vec![1.0_f64; 1000]);
//! assert!(v.bytes() >= 8000);
//! assert_eq!(v.downcast_ref::<Vec<f64>>().map(Vec::len), Some(1000));
//! ```

use std::any::Any;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::mem::size_of;
use std::sync::Arc;

/// An approximate size in bytes, heap included.
pub trait ApproxSize {
    /// `true` for types with no heap part, so a `Vec` of them is sized without a walk.
    const FLAT: bool = false;
    /// Bytes used by `self`, heap included.
    fn approx_size(&self) -> usize;
}

/// What typed tasks take and return: shareable across workers, cloneable, sized.
pub trait Data: Any + Send + Sync + Clone + ApproxSize {}
impl<T: Any + Send + Sync + Clone + ApproxSize> Data for T {}

macro_rules! flat {
    ($($t:ty),*) => {$(
        impl ApproxSize for $t {
            const FLAT: bool = true;
            fn approx_size(&self) -> usize {
                size_of::<$t>()
            }
        }
    )*};
}
flat!(
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    bool,
    char,
    ()
);

impl ApproxSize for String {
    fn approx_size(&self) -> usize {
        size_of::<String>() + self.capacity()
    }
}
impl ApproxSize for &'static str {
    const FLAT: bool = true;
    fn approx_size(&self) -> usize {
        size_of::<&str>()
    }
}
impl ApproxSize for Arc<str> {
    fn approx_size(&self) -> usize {
        size_of::<Arc<str>>() + self.len()
    }
}

fn items_size<'a, T: ApproxSize + 'a>(len: usize, items: impl Iterator<Item = &'a T>) -> usize {
    if T::FLAT {
        len * size_of::<T>()
    } else {
        items.map(ApproxSize::approx_size).sum()
    }
}

impl<T: ApproxSize> ApproxSize for Vec<T> {
    fn approx_size(&self) -> usize {
        size_of::<Vec<T>>()
            + items_size(self.len(), self.iter())
            + (self.capacity() - self.len()) * size_of::<T>()
    }
}
impl<T: ApproxSize> ApproxSize for VecDeque<T> {
    fn approx_size(&self) -> usize {
        size_of::<VecDeque<T>>() + items_size(self.len(), self.iter())
    }
}
impl<T: ApproxSize> ApproxSize for Box<[T]> {
    fn approx_size(&self) -> usize {
        size_of::<Box<[T]>>() + items_size(self.len(), self.iter())
    }
}
impl<T: ApproxSize, const N: usize> ApproxSize for [T; N] {
    const FLAT: bool = T::FLAT;
    fn approx_size(&self) -> usize {
        items_size(N, self.iter())
    }
}
impl<T: ApproxSize> ApproxSize for Option<T> {
    const FLAT: bool = T::FLAT;
    fn approx_size(&self) -> usize {
        match self {
            Some(v) => v.approx_size().max(size_of::<Self>()),
            None => size_of::<Self>(),
        }
    }
}
impl<T: ApproxSize> ApproxSize for Box<T> {
    fn approx_size(&self) -> usize {
        size_of::<Box<T>>() + (**self).approx_size()
    }
}
/// Counts the shared value in full: memory-by-key shows what a key keeps alive.
impl<T: ApproxSize> ApproxSize for Arc<T> {
    fn approx_size(&self) -> usize {
        size_of::<Arc<T>>() + (**self).approx_size()
    }
}
/// A map's size: the map itself plus each entry (the table's spare room is not counted).
fn map_size<'a, M, K, V>(entries: impl Iterator<Item = (&'a K, &'a V)>) -> usize
where
    K: ApproxSize + 'a,
    V: ApproxSize + 'a,
{
    size_of::<M>()
        + entries
            .map(|(k, v)| k.approx_size() + v.approx_size())
            .sum::<usize>()
}

impl<K: ApproxSize, V: ApproxSize, S> ApproxSize for HashMap<K, V, S> {
    fn approx_size(&self) -> usize {
        map_size::<Self, K, V>(self.iter())
    }
}
impl<K: ApproxSize, V: ApproxSize> ApproxSize for BTreeMap<K, V> {
    fn approx_size(&self) -> usize {
        map_size::<Self, K, V>(self.iter())
    }
}

macro_rules! tuple_size {
    ($($name:ident)+) => {
        impl<$($name: ApproxSize),+> ApproxSize for ($($name,)+) {
            const FLAT: bool = $($name::FLAT)&&+;
            #[allow(non_snake_case)]
            fn approx_size(&self) -> usize {
                let ($($name,)+) = self;
                0 $(+ $name.approx_size())+
            }
        }
    };
}
tuple_size!(A);
tuple_size!(A B);
tuple_size!(A B C);
tuple_size!(A B C D);
tuple_size!(A B C D E);
tuple_size!(A B C D E F);

/// A task's result: shared, dynamically typed, with its approximate size.
///
/// 32 bytes: every task holds its arguments and its result as `Value`s, and so does every node
/// of a `Delayed` graph, so a word saved here is several saved per task. The type's name is
/// not stored: an inline number knows it from its variant, a shared value from its vtable.
#[derive(Clone)]
pub struct Value {
    repr: Repr,
    bytes: usize,
}

/// A shared value that can name its type (through the vtable, so `Value` need not store it).
trait Shared: Any + Send + Sync {
    fn type_name(&self) -> &'static str;
}

impl<T: Any + Send + Sync> Shared for T {
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

macro_rules! scalars {
    ($($Variant:ident $t:ty),* $(,)?) => {
        /// Where the value lives. Plain numbers are kept inline: graphs of numbers (a `sum` of
        /// a hundred thousand calls) would otherwise allocate for every literal argument and
        /// every result, and the allocator was the largest single cost per task.
        #[derive(Clone)]
        enum Repr {
            Shared(Arc<dyn Shared>),
            $($Variant($t),)*
        }

        impl Repr {
            /// `value` inline if it is one of the plain number types. The type test is on a
            /// type known at compile time, so it folds away.
            fn inline<T: Any>(value: &T) -> Option<Repr> {
                let any: &dyn Any = value;
                $(if let Some(&x) = any.downcast_ref::<$t>() {
                    return Some(Repr::$Variant(x));
                })*
                None
            }

            fn as_any(&self) -> &(dyn Any + Send + Sync) {
                match self {
                    Repr::Shared(shared) => &**shared,
                    $(Repr::$Variant(x) => x,)*
                }
            }

            fn type_name(&self) -> &'static str {
                match self {
                    // On the value itself: `Arc<dyn Shared>` is a `Shared` too.
                    Repr::Shared(shared) => Shared::type_name(&**shared),
                    $(Repr::$Variant(_) => std::any::type_name::<$t>(),)*
                }
            }

            /// As a shared value (allocating only for an inline one).
            fn into_shared(self) -> Arc<dyn Shared> {
                match self {
                    Repr::Shared(shared) => shared,
                    $(Repr::$Variant(x) => Arc::new(x),)*
                }
            }
        }
    };
}
scalars!(I64 i64, U64 u64, F64 f64, I32 i32, U32 u32, F32 f32, Usize usize, Bool bool);

impl Value {
    /// Wraps `value`, sizing it with [`ApproxSize`].
    pub fn new<T: Any + Send + Sync + ApproxSize>(value: T) -> Value {
        let bytes = value.approx_size();
        Value::with_size(value, bytes)
    }

    /// Wraps a value of any shareable type with a size the caller states.
    pub fn with_size<T: Any + Send + Sync>(value: T, bytes: usize) -> Value {
        let repr = match Repr::inline(&value) {
            Some(inline) => inline,
            None => Repr::Shared(Arc::new(value)),
        };
        Value { repr, bytes }
    }

    /// The approximate size in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The Rust type name of the wrapped value.
    pub fn type_name(&self) -> &'static str {
        self.repr.type_name()
    }

    /// Whether the value is a `T`.
    pub fn is<T: Any>(&self) -> bool {
        self.repr.as_any().is::<T>()
    }

    /// A reference to the value if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.repr.as_any().downcast_ref()
    }

    /// The shared value if it is a `T`, else `self` back.
    pub fn downcast<T: Any + Send + Sync>(self) -> Result<Arc<T>, Value> {
        if !self.is::<T>() {
            return Err(self);
        }
        let shared: Arc<dyn Any + Send + Sync> = self.repr.into_shared();
        Ok(shared
            .downcast::<T>()
            .unwrap_or_else(|_| unreachable!("the type was checked above")))
    }

    /// The value itself if it is a `T`: moved out when this is the last reference, else cloned.
    pub fn take<T: Any + Send + Sync + Clone>(self) -> Result<T, Value> {
        match &self.repr {
            Repr::Shared(_) => self
                .downcast::<T>()
                .map(|arc| Arc::try_unwrap(arc).unwrap_or_else(|arc| (*arc).clone())),
            _ => match self.downcast_ref::<T>() {
                Some(x) => Ok(x.clone()),
                None => Err(self),
            },
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value<{}>({} bytes)", self.type_name(), self.bytes)
    }
}

/// Typed results out of a [`Value`]: every [`Data`] type, and `Value` itself (untyped).
pub trait FromValue: Sized + Send + Sync + 'static {
    /// `value` as `Self`, or `value` back if it has another type.
    fn from_value(value: Value) -> Result<Self, Value>;
}
impl<T: Data> FromValue for T {
    fn from_value(value: Value) -> Result<T, Value> {
        value.take()
    }
}
impl FromValue for Value {
    fn from_value(value: Value) -> Result<Value, Value> {
        Ok(value)
    }
}

/// Typed results into a [`Value`]: every [`Data`] type, and `Value` itself.
pub trait IntoValue: Send + Sync + 'static {
    /// Wraps `self`.
    fn into_value(self) -> Value;
}
impl<T: Data> IntoValue for T {
    fn into_value(self) -> Value {
        Value::new(self)
    }
}
impl IntoValue for Value {
    fn into_value(self) -> Value {
        self
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn sizes_count_the_heap() {
        assert_eq!(3_i64.approx_size(), 8);
        assert!(String::from("hello").approx_size() >= 5 + 24);
        let v: Vec<Vec<u8>> = vec![vec![0; 100]; 10];
        assert!(v.approx_size() >= 1000);
        assert_eq!((1_u8, 2_u32).approx_size(), 5);
        let map: HashMap<u64, Vec<u8>> = HashMap::from([(1, vec![0; 100])]);
        let tree: BTreeMap<u64, Vec<u8>> = map.clone().into_iter().collect();
        assert!(map.approx_size() >= size_of::<HashMap<u64, Vec<u8>>>() + 108);
        assert!(tree.approx_size() >= size_of::<BTreeMap<u64, Vec<u8>>>() + 108);
    }

    /// Every task holds its arguments and result as `Value`s: keep it four words.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_value_is_four_words() {
        assert_eq!(size_of::<Value>(), 32);
    }

    #[test]
    fn take_moves_or_clones() {
        let v = Value::new(String::from("x"));
        let w = v.clone();
        assert_eq!(v.take::<String>().unwrap(), "x");
        assert_eq!(w.take::<String>().unwrap(), "x");
        let wrong = Value::new(1_i32).take::<String>().unwrap_err();
        assert_eq!(wrong.type_name(), "i32");
        // A shared value names its own type, not the `Arc` around it.
        assert_eq!(
            Value::new(String::new()).type_name(),
            "alloc::string::String"
        );
        // Inline numbers behave as shared ones.
        let n = Value::new(7_u64);
        assert!(n.is::<u64>() && !n.is::<i64>());
        assert_eq!(n.bytes(), 8);
        assert_eq!(n.clone().take::<u64>().unwrap(), 7);
        assert_eq!(*n.clone().downcast::<u64>().unwrap(), 7);
        assert_eq!(
            n.downcast::<i64>().unwrap_err().downcast_ref::<u64>(),
            Some(&7)
        );
    }
}
