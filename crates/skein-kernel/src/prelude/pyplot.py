# matplotlib.pyplot, as far as the seeds use it: the host keeps the current figure and shows
# it at `plt.show()`, at the next `plt.figure()` or when the cell ends, as Jupyter's inline
# backend does. Return values print as matplotlib's do.


class _SkeinArtist:
    def __init__(self, text):
        self._text = text

    def __repr__(self):
        return self._text


def _skein_module_pyplot(plt):
    def _skein_floats(values):
        if type(values) is _skein_ndarray:
            return values.tolist()
        if type(values) is list or type(values) is tuple:
            return [_skein_x for _skein_x in values]
        if type(values).__name__ == 'Series':
            return list(values._values)
        return list(values)

    def figure(num=None, figsize=None, **kwargs):
        _skein_plt('figure', None)
        return _SkeinArtist('<Figure size 640x480 with 0 Axes>')

    def hist(x, bins=10, range=None, density=False, label=None, **kwargs):
        _skein_counts, _skein_edges = _skein_plt('hist', (_skein_floats(x), bins, label, density))
        return (_skein_counts, _skein_edges, _SkeinArtist('<BarContainer object of ' + str(len(_skein_counts)) + ' artists>'))

    def plot(*args, label=None, **kwargs):
        _skein_args = [a for a in args if type(a) is not str]
        if len(_skein_args) == 1:
            _skein_ys = _skein_floats(_skein_args[0])
            _skein_xs = list(builtin_range(len(_skein_ys)))
        else:
            _skein_xs = _skein_floats(_skein_args[0])
            _skein_ys = _skein_floats(_skein_args[1])
        _skein_plt('plot', (_skein_xs, _skein_ys, label))
        return [_SkeinArtist('<matplotlib.lines.Line2D at 0x7f3a1c0d2e10>')]

    def imshow(X, cmap=None, **kwargs):
        if type(X) is _skein_ndarray:
            _skein_plt('imshow', (X.tolist(),))
        else:
            _skein_plt('imshow', ([_skein_floats(row) for row in X],))
        return _SkeinArtist('<matplotlib.image.AxesImage at 0x7f3a1c0d2e50>')

    def colorbar(mappable=None, **kwargs):
        _skein_plt('colorbar', None)
        return _SkeinArtist('<matplotlib.colorbar.Colorbar at 0x7f3a1c0d2e90>')

    def title(label, **kwargs):
        _skein_plt('title', label)
        return _SkeinArtist("Text(0.5, 1.0, '" + str(label) + "')")

    def xlabel(label, **kwargs):
        _skein_plt('xlabel', label)
        return _SkeinArtist("Text(0.5, 0, '" + str(label) + "')")

    def ylabel(label, **kwargs):
        _skein_plt('ylabel', label)
        return _SkeinArtist("Text(0, 0.5, '" + str(label) + "')")

    def grid(visible=None, which='major', axis='both', **kwargs):
        # As matplotlib: no argument toggles the grid, line properties turn it on.
        if visible is None and kwargs:
            visible = True
        _skein_plt('grid', visible)

    def legend(*args, **kwargs):
        _skein_plt('legend', None)
        return _SkeinArtist('<matplotlib.legend.Legend at 0x7f3a1c0d2ed0>')

    def show(*args, **kwargs):
        _skein_plt('show', None)

    def close(*args, **kwargs):
        _skein_plt('close', None)

    builtin_range = range
    plt.figure = figure
    plt.hist = hist
    plt.plot = plot
    plt.imshow = imshow
    plt.colorbar = colorbar
    plt.title = title
    plt.xlabel = xlabel
    plt.ylabel = ylabel
    plt.legend = legend
    plt.grid = grid
    plt.show = show
    plt.close = close


_skein_matplotlib = _skein_module('matplotlib')
_skein_pyplot = _skein_module('matplotlib.pyplot')
_skein_module_pyplot(_skein_pyplot)
_skein_matplotlib.pyplot = _skein_pyplot
