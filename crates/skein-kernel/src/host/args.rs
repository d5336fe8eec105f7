//! Typed arguments of host functions: each function reads its positional arguments into a
//! struct ([`HostArgs`], declared with [`host_args!`]) whose fields say what each argument
//! must be ([`FromArg`]); a call with too few or too many arguments, or one of the wrong
//! type, raises a `TypeError` naming the function and the argument.
//!
//! Reading borrows from the call's arguments: nothing is copied or allocated unless the
//! call is wrong.

use std::time::Duration;

use monty_types::{ExcType, MontyException, ObjectRef};

/// A host function's call as its handler receives it: the name it was called by (for
/// errors) and its positional arguments.
#[derive(Clone, Copy)]
pub(crate) struct Args<'s, 'a> {
    pub(super) name: &'s str,
    pub(super) items: &'s [ObjectRef<'a>],
}

impl<'a> Args<'_, 'a> {
    /// The arguments as `T`, or a `TypeError` naming the function.
    pub(super) fn parse<T: HostArgs<'a>>(self) -> Result<T, MontyException> {
        T::parse(self.items).map_err(|e| e.exception(self.name, T::FIELDS))
    }
}

/// The typed arguments of one host function (see [`host_args!`]).
pub(crate) trait HostArgs<'a>: Sized {
    /// The arguments' names, in order.
    const FIELDS: &'static [&'static str];

    /// Reads the positional arguments `args`.
    fn parse(args: &[ObjectRef<'a>]) -> Result<Self, ArgError<'a>>;
}

/// One argument read as a Rust value.
pub(crate) trait FromArg<'a>: Sized {
    /// Reads `arg`, `None` when the call did not pass it.
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>>;
}

/// Why one argument could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Mismatch<'a> {
    /// The call did not pass it.
    Missing,
    /// It is not what the function takes: `expected` (`"a str"`), not `got` (a type name).
    Wrong {
        expected: &'static str,
        got: &'a str,
    },
}

impl<'a> Mismatch<'a> {
    /// `arg` is not `expected`.
    pub(crate) fn wrong(expected: &'static str, arg: ObjectRef<'a>) -> Mismatch<'a> {
        Mismatch::Wrong {
            expected,
            got: arg.type_name(),
        }
    }

    /// The mismatch as the error of the argument `field`.
    pub(crate) fn of(self, field: &'static str) -> ArgError<'a> {
        ArgError::Field {
            field,
            mismatch: self,
        }
    }
}

/// Why a call's arguments could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ArgError<'a> {
    /// The argument `field` is missing or wrong.
    Field {
        field: &'static str,
        mismatch: Mismatch<'a>,
    },
    /// The call passed `given` arguments, more than the function takes.
    TooMany { given: usize },
}

impl ArgError<'_> {
    /// The `TypeError` of calling `function` (whose arguments are `fields`) so.
    pub(crate) fn exception(&self, function: &str, fields: &[&str]) -> MontyException {
        let message = match self {
            ArgError::Field {
                field,
                mismatch: Mismatch::Missing,
            } => format!("{function}() missing argument '{field}'"),
            ArgError::Field {
                field,
                mismatch: Mismatch::Wrong { expected, got },
            } => format!("{function}() argument '{field}' must be {expected}, not {got}"),
            ArgError::TooMany { given } => format!(
                "{function}() takes at most {} arguments ({}), got {given}",
                fields.len(),
                fields.join(", ")
            ),
        };
        MontyException::new(ExcType::TypeError, Some(message))
    }
}

/// Any value.
impl<'a> FromArg<'a> for ObjectRef<'a> {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        arg.ok_or(Mismatch::Missing)
    }
}

/// A `str`.
impl<'a> FromArg<'a> for &'a str {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let arg = arg.ok_or(Mismatch::Missing)?;
        arg.as_str().ok_or_else(|| Mismatch::wrong("a str", arg))
    }
}

/// An `int` that fits in 64 bits.
impl<'a> FromArg<'a> for i64 {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let arg = arg.ok_or(Mismatch::Missing)?;
        arg.as_int().ok_or_else(|| Mismatch::wrong("an int", arg))
    }
}

/// Any value, by its truth (`pure`).
impl<'a> FromArg<'a> for bool {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        Ok(arg.ok_or(Mismatch::Missing)?.is_truthy())
    }
}

/// A wait's limit in seconds (`Queue.get(timeout=…)`): `None` for none, or an int or a float,
/// a negative one being zero.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Timeout(pub(crate) Option<Duration>);

impl<'a> FromArg<'a> for Timeout {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let arg = arg.ok_or(Mismatch::Missing)?;
        if arg.type_name() == "NoneType" {
            return Ok(Timeout(None));
        }
        let secs = arg
            .as_float()
            .or_else(|| arg.as_int().map(|n| n as f64))
            .filter(|secs| !secs.is_nan())
            .ok_or_else(|| Mismatch::wrong("a number of seconds or None", arg))?;
        // At most about 31 years, so the conversion cannot overflow.
        Ok(Timeout(Some(Duration::from_secs_f64(secs.clamp(0.0, 1e9)))))
    }
}

/// The items of a list or tuple (or set).
impl<'a> FromArg<'a> for Vec<ObjectRef<'a>> {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        let arg = arg.ok_or(Mismatch::Missing)?;
        arg.items().ok_or_else(|| Mismatch::wrong("a list", arg))
    }
}

/// An argument the call may leave out (at the end).
impl<'a, T: FromArg<'a>> FromArg<'a> for Option<T> {
    fn from_arg(arg: Option<ObjectRef<'a>>) -> Result<Self, Mismatch<'a>> {
        arg.map(|a| T::from_arg(Some(a))).transpose()
    }
}

/// Declares a host function's argument struct and its [`HostArgs`]: the fields in the order
/// of the positional arguments, each of a type that is [`FromArg`]; an `Option` field may be
/// left out of a call (only the last ones can be).
///
/// ```ignore
/// host_args! {
///     /// `_skein_write_text(path, text)`.
///     pub(super) struct WriteText<'a> { path: &'a str, text: &'a str }
/// }
/// ```
macro_rules! host_args {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident<$lt:lifetime> {
            $($(#[$fmeta:meta])* $field:ident: $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name<$lt> {
            $($(#[$fmeta])* pub(crate) $field: $ty,)*
        }

        $crate::host::args::host_args!(@impl $lt, $name<$lt>, $($field: $ty),*);
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$fmeta:meta])* $field:ident: $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$fmeta])* pub(crate) $field: $ty,)*
        }

        $crate::host::args::host_args!(@impl 'a, $name, $($field: $ty),*);
    };
    (@impl $lt:lifetime, $target:ty, $($field:ident: $ty:ty),*) => {
        impl<$lt> $crate::host::args::HostArgs<$lt> for $target {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn parse(
                args: &[monty_types::ObjectRef<$lt>],
            ) -> Result<Self, $crate::host::args::ArgError<$lt>> {
                let mut rest = args.iter().copied();
                $(
                    let $field = <$ty as $crate::host::args::FromArg<$lt>>::from_arg(rest.next())
                        .map_err(|m| m.of(stringify!($field)))?;
                )*
                if rest.next().is_some() {
                    return Err($crate::host::args::ArgError::TooMany { given: args.len() });
                }
                Ok(Self { $($field),* })
            }
        }
    };
}

pub(crate) use host_args;

host_args! {
    /// The arguments of a host function that takes none (`_skein_workers()`).
    pub(super) struct NoArgs {}
}

#[cfg(test)]
mod test {
    use monty_types::MontyObject;

    use super::*;

    host_args! {
        /// A test's arguments.
        struct Example<'a> { path: &'a str, count: i64, items: Vec<ObjectRef<'a>>, extra: Option<ObjectRef<'a>> }
    }

    host_args! {
        /// No arguments.
        struct Nothing {}
    }

    fn message(function: &str, args: &[MontyObject]) -> Option<String> {
        let refs: Vec<ObjectRef<'_>> = args.iter().map(MontyObject::as_ref).collect();
        let call = Args {
            name: function,
            items: &refs,
        };
        call.parse::<Example<'_>>()
            .err()
            .map(|e| e.message().unwrap_or_default().to_owned())
    }

    #[test]
    fn arguments_are_read_by_type_and_position() {
        let path = MontyObject::string("a.csv");
        let count = MontyObject::int(3);
        let items = MontyObject::list([MontyObject::int(1), MontyObject::int(2)]);
        let refs = [path.as_ref(), count.as_ref(), items.as_ref()];
        let Ok(example) = Example::parse(&refs) else {
            panic!("the arguments are right");
        };
        assert_eq!((example.path, example.count), ("a.csv", 3));
        assert_eq!(example.items.len(), 2);
        assert!(example.extra.is_none());
        assert!(Nothing::parse(&[]).is_ok_and(|Nothing {}| true));
        assert_eq!(
            Nothing::parse(&refs).err(),
            Some(ArgError::TooMany { given: 3 })
        );
    }

    #[test]
    fn a_wrong_call_is_a_type_error_naming_the_function_and_the_argument() {
        let (path, count, items) = (
            MontyObject::string("a.csv"),
            MontyObject::int(3),
            MontyObject::list([]),
        );
        assert_eq!(
            message("_skein_f", &[MontyObject::int(1)]).as_deref(),
            Some("_skein_f() argument 'path' must be a str, not int")
        );
        assert_eq!(
            message("_skein_f", std::slice::from_ref(&path)).as_deref(),
            Some("_skein_f() missing argument 'count'")
        );
        let all = [path.clone(), count.clone(), items.clone(), items.clone()];
        assert_eq!(message("_skein_f", &all), None);
        let too_many = [path, count, items.clone(), items.clone(), items];
        assert_eq!(
            message("_skein_f", &too_many).as_deref(),
            Some("_skein_f() takes at most 4 arguments (path, count, items, extra), got 5")
        );
    }
}
