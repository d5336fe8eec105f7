

# --- operator -------------------------------------------------------------------------------
# Python's `operator` module, which Monty does not have, for `client.submit(operator.add, …)`
# and `reduce(operator.mul, …)`. Its functions are the prelude's, so every worker has them
# (`sendable.py` sends them by name). Subscripts go through `_skein_getitem`/`_skein_setitem`
# so an array's `[]` runs Rust, as a cell's does (`rewrite.rs`).


def _skein_module_operator(operator):
    def add(a, b):
        return a + b

    def sub(a, b):
        return a - b

    def mul(a, b):
        return a * b

    def truediv(a, b):
        return a / b

    def floordiv(a, b):
        return a // b

    def mod(a, b):
        return a % b

    def pow(a, b):
        return a ** b

    def matmul(a, b):
        return a @ b

    def neg(a):
        return -a

    def pos(a):
        return +a

    def abs(a):
        return _skein_builtin_abs(a)

    def invert(a):
        return ~a

    def and_(a, b):
        return a & b

    def or_(a, b):
        return a | b

    def xor(a, b):
        return a ^ b

    def lshift(a, b):
        return a << b

    def rshift(a, b):
        return a >> b

    def not_(a):
        return not a

    def truth(a):
        return bool(a)

    def lt(a, b):
        return _skein_cmp('lt', a, b)

    def le(a, b):
        return _skein_cmp('le', a, b)

    def eq(a, b):
        return _skein_cmp('eq', a, b)

    def ne(a, b):
        return _skein_cmp('ne', a, b)

    def gt(a, b):
        return _skein_cmp('gt', a, b)

    def ge(a, b):
        return _skein_cmp('ge', a, b)

    def is_(a, b):
        return a is b

    def is_not(a, b):
        return a is not b

    def contains(a, b):
        return b in a

    def concat(a, b):
        return a + b

    def getitem(a, b):
        return _skein_getitem(a, b)

    def setitem(a, b, c):
        _skein_setitem(a, b, c)

    def delitem(a, b):
        _skein_delitem(a, b)

    def index(a):
        return int(a)

    def itemgetter(*items):
        if len(items) == 1:
            return lambda obj: _skein_getitem(obj, items[0])
        return lambda obj: tuple([_skein_getitem(obj, i) for i in items])

    def attrgetter(*names):
        if len(names) == 1:
            return lambda obj: getattr(obj, names[0])
        return lambda obj: tuple([getattr(obj, n) for n in names])

    for name, fn in [('add', add), ('sub', sub), ('mul', mul), ('truediv', truediv),
                     ('floordiv', floordiv), ('mod', mod), ('pow', pow), ('matmul', matmul),
                     ('neg', neg), ('pos', pos), ('abs', abs), ('invert', invert),
                     ('and_', and_), ('or_', or_), ('xor', xor), ('lshift', lshift),
                     ('rshift', rshift), ('not_', not_), ('truth', truth), ('lt', lt),
                     ('le', le), ('eq', eq), ('ne', ne), ('gt', gt), ('ge', ge), ('is_', is_),
                     ('is_not', is_not), ('contains', contains), ('concat', concat),
                     ('getitem', getitem), ('setitem', setitem), ('delitem', delitem),
                     ('index', index), ('itemgetter', itemgetter), ('attrgetter', attrgetter)]:
        setattr(operator, name, fn)
    operator.__add__ = add
    operator.__mul__ = mul
    operator.__getitem__ = getitem


_skein_builtin_abs = abs
_skein_module_operator(_skein_module('operator'))
