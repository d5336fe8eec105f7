# Plain asserts for the Monty `pandas` prelude. Run after
#   pd = _SkeinModule('pandas'); _skein_module_pandas(pd)
# Needs the host functions _skein_read_text / _skein_write_text / _skein_plot_series
# and the fixture crates/skein-labs/fixtures/df-demo.csv readable as FIXTURE below.
# Note: Monty 1.4 does not dispatch len() or <, >, <=, >=, != to user classes,
# so these tests use .shape / .__len__() and the .gt()/.lt()/... methods.

FIXTURE = 'crates/skein-labs/fixtures/df-demo.csv'
SCHEMA = ['player', 'points']
PLAYERS = ['Alice', 'Bob', 'Carmen', 'Dmitri', 'Esther', 'Farid', 'Gwen', 'Hiro',
           'Ines', 'Jamal', 'Keiko', 'Luis', 'Mara', 'Nils']
POINTS = [12, 7, 21, 3, 15, 9, 18, 4, 11, 26, 8, 14, 19, 6]


def _load_csv(filename, blocksize, partition, schema):
    return pd.read_csv(filename, skiprows=partition * blocksize, nrows=blocksize, names=schema, header=0)


# --- read_csv partitions (pandas semantics of skiprows + header=0 + names)
for _bs in [6, 4, 14, 5]:
    _count = (14 + _bs - 1) // _bs
    _parts = [_load_csv(FIXTURE, _bs, _i, SCHEMA) for _i in range(_count)]
    _players = []
    _points = []
    for _p in _parts:
        assert _p.columns == SCHEMA
        assert list(_p.index) == list(range(_p.shape[0]))
        _players.extend(_p['player'].tolist())
        _points.extend(_p['points'].tolist())
    assert _players == PLAYERS, _players
    assert _points == POINTS
    assert sum(_p.shape[0] for _p in _parts) == 14
    assert sum(_p['points'].sum() for _p in _parts) == 173

_parts = [_load_csv(FIXTURE, 6, _i, SCHEMA) for _i in range(3)]
assert [_p.shape for _p in _parts] == [(6, 2), (6, 2), (2, 2)]
assert _parts[1]['player'].tolist() == ['Gwen', 'Hiro', 'Ines', 'Jamal', 'Keiko', 'Luis']
assert repr(_parts[0]) == (
    '   player  points\n0   Alice      12\n1     Bob       7\n2  Carmen      21\n'
    '3  Dmitri       3\n4  Esther      15\n5   Farid       9')
assert str(_parts[2]) == '  player  points\n0   Mara      19\n1   Nils       6'
assert _parts[0]['points'].dtype == 'int64'
assert _parts[0]['player'].dtype == 'object'

# past the end: empty frame with the given names
_empty = _load_csv(FIXTURE, 6, 3, SCHEMA)
assert _empty.shape == (0, 2)
assert repr(_empty) == 'Empty DataFrame\nColumns: [player, points]\nIndex: []'

# default header, header=None, skiprows as a list
_full = pd.read_csv(FIXTURE)
assert _full.shape == (14, 2) and _full.columns == SCHEMA
assert pd.read_csv(FIXTURE, header=None).shape == (15, 2)
assert pd.read_csv(FIXTURE, header=None).columns == [0, 1]
assert pd.read_csv(FIXTURE, nrows=3, header=None, names=['a', 'b'])['a'].tolist() == ['player', 'Alice', 'Bob']
assert pd.read_csv(FIXTURE, skiprows=[1, 2])['player'].tolist()[:2] == ['Carmen', 'Dmitri']

try:
    pd.read_csv('/definitely/not/here.csv')
    assert False, 'expected FileNotFoundError'
except FileNotFoundError:
    pass

# --- concat keeps each partition's index
_whole = pd.concat([_p for _p in _parts])
assert _whole.shape == (14, 2)
assert list(_whole.index) == [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0, 1]
assert _whole['points'].mean() == 12.357142857142858
assert repr(_whole).split('\n')[7] == '0    Gwen      18'

# --- Series
_s = pd.Series([1.5, 2.0], name='points')
assert repr(_s) == '0    1.5\n1    2.0\nName: points, dtype: float64'
assert repr(pd.Series([1, -2, 3])) == '0    1\n1   -2\n2    3\ndtype: int64'
assert repr(pd.Series([0.123456789, -22.5, 1e-3])) == '0     0.123457\n1   -22.500000\n2     0.001000\ndtype: float64'
assert repr(pd.Series([1e-7, 2.5])) == '0    1.000000e-07\n1    2.500000e+00\ndtype: float64'
assert repr(pd.Series([True, False])) == '0     True\n1    False\ndtype: bool'
assert repr(pd.Series(['a', 'bcd'])) == '0      a\n1    bcd\ndtype: object'
assert repr(pd.Series([float('nan'), 1.0])) == '0    NaN\n1    1.0\ndtype: float64'
assert repr(pd.Series([], dtype=float)) == 'Series([], dtype: float64)'
_long = repr(pd.Series(range(100)))
assert _long.split('\n')[5] == '      ..'
assert _long.endswith('99    99\nLength: 100, dtype: int64')
assert pd.Series([1, 2.5]).tolist() == [1.0, 2.5]

_s = pd.Series([3, 1, 2], index=['x', 'y', 'z'], name='s')
assert _s['y'] == 1
assert _s.sum() == 6 and _s.max() == 3 and _s.min() == 1 and _s.mean() == 2.0
assert _s.__len__() == 3
assert list(_s) == [3, 1, 2]
assert _s.values.tolist() == [3, 1, 2]
assert _s.gt(1).tolist() == [True, False, True]
assert _s.gt(1).dtype == 'bool'
assert _s.__gt__(1).tolist() == [True, False, True]
assert (_s == 1).tolist() == [False, True, False]
assert _s[_s.ge(2)].tolist() == [3, 2]
assert list(_s[_s.ge(2)].index) == ['x', 'z']
assert (_s * 2).tolist() == [6, 2, 4]
assert (_s + _s).tolist() == [6, 2, 4]
assert (10 - _s).tolist() == [7, 9, 8]
assert repr(_s.plot()) == '<Axes: >'

# --- DataFrame from rows / dicts, attributes, selection
_rows = [[0.1 * _i, 0.2 * _i, 0.3, _i * 1.0] for _i in range(100)]
_df = pd.DataFrame(_rows, columns=['param_a', 'param_b', 'param_c', 'param_d'])
assert type(_df).__name__ == 'DataFrame'
assert type(_df['param_a']).__name__ == 'Series'
assert _df.shape == (100, 4)
assert _df.__len__() == 100
assert _df.columns == ['param_a', 'param_b', 'param_c', 'param_d']
assert _df.values[:2].tolist() == [[0.0, 0.0, 0.3, 0.0], [0.1, 0.2, 0.3, 1.0]]
assert _df.head().shape == (5, 4)
assert _df.head(3).values.tolist() == _df.values[:3].tolist()
_out = _df.copy()
_out['result'] = pd.Series([sum(_r) for _r in _df.values], index=_out.index)
assert _out.shape == (100, 5) and _df.shape == (100, 4)
assert _out['result'][2] == sum(_rows[2])
_filtered = _out[_out['result'].gt(20)]
assert _filtered.shape[0] == len([_r for _r in _rows if sum(_r) > 20])
assert list(_filtered.index)[0] == 16
_sampled = _out.sample(5)
assert _sampled.shape == (5, 5)
for _label in _sampled.index:
    assert _label in list(_out.index)
assert repr(_out['result'].plot()) == '<Axes: >'
_trunc = repr(_out).split('\n')
assert _trunc[-1] == '[100 rows x 5 columns]'
assert _trunc[6].strip().startswith('..')
assert _trunc[0] == '    param_a  param_b  param_c  param_d  result'

_csv = _out.head(2).to_csv()
assert _csv == ',param_a,param_b,param_c,param_d,result\n0,0.0,0.0,0.3,0.0,0.3\n1,0.1,0.2,0.3,1.0,1.6\n', _csv
assert _out.head(2).to_csv('/tmp/skein-pandas-test.csv') is None

_d = pd.DataFrame({'a': [1, 2, 3], 'b': ['x', 'yy', None], 'c': [1.5, float('nan'), -3.25]})
assert repr(_d) == '   a     b     c\n0  1     x  1.50\n1  2    yy   NaN\n2  3  None -3.25'
assert _d.to_csv(index=False) == 'a,b,c\n1,x,1.5\n2,yy,\n3,,-3.25\n'
assert _d[['c', 'a']].columns == ['c', 'a']
_d['e'] = [7, 8, 9]
assert _d.columns == ['a', 'b', 'c', 'e'] and _d['e'].sum() == 24
assert pd.DataFrame([[1, 2]], columns=['x', 'y'], index=['r']).index.tolist() == ['r']
