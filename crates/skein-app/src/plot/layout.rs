//! Where a figure's parts go, in canvas pixels, as matplotlib lays out its default figure:
//! the subplot box (`figure.subplot.*`), an image's square pixels centred in it, and
//! `plt.colorbar()`'s slice of it (`fraction=0.15`, `pad=0.05`, `aspect=20`). Pure geometry,
//! so it is tested without a canvas.

use skein_kernel::ticks::AxisTicks;

/// Matplotlib's default resolution: 6.4 × 4.8 in is 640 × 480 pixels.
const DPI: f64 = 100.0;

/// Points (matplotlib's unit for lengths and font sizes) in canvas pixels.
pub fn pt(points: f64) -> f64 {
    points * DPI / 72.0
}

/// A box on the canvas, in pixels from its top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.right - self.left
    }

    pub fn height(&self) -> f64 {
        self.bottom - self.top
    }

    /// Whether `(x, y)` lies inside.
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        (self.left..=self.right).contains(&x) && (self.top..=self.bottom).contains(&y)
    }
}

/// An image's shape and whether a colour bar sits beside it.
#[derive(Clone, Copy, Debug)]
pub struct ImageShape {
    pub rows: usize,
    pub cols: usize,
    pub colorbar: bool,
}

/// The axes' box and, for `plt.colorbar()`, the bar's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    pub axes: Rect,
    pub colorbar: Option<Rect>,
}

impl Figure {
    /// The layout on a `width` × `height` canvas.
    pub fn new((width, height): (f64, f64), image: Option<ImageShape>) -> Self {
        // `figure.subplot.left/right/bottom/top`.
        let region = Rect {
            left: 0.125 * width,
            right: 0.9 * width,
            top: (1.0 - 0.88) * height,
            bottom: (1.0 - 0.11) * height,
        };
        let Some(image) = image else {
            return Self {
                axes: region,
                colorbar: None,
            };
        };
        let (parent, colorbar) = if image.colorbar {
            // `make_axes`: the parent keeps 1 − fraction − pad of the width; the bar gets
            // the last `fraction`, as wide as its height / aspect allows, anchored left.
            let w = region.width();
            let bar_left = region.left + 0.85 * w;
            let bar_width = (0.15 * w).min(region.height() / 20.0);
            let bar = Rect {
                left: bar_left,
                right: bar_left + bar_width,
                ..region
            };
            let parent = Rect {
                right: region.left + 0.8 * w,
                ..region
            };
            (parent, Some(bar))
        } else {
            (region, None)
        };
        // `imshow`'s `aspect='equal'`: square pixels, the box centred where it was, or
        // pushed against the bar (`panchor=(1.0, 0.5)`).
        let (rows, cols) = (image.rows.max(1) as f64, image.cols.max(1) as f64);
        let side = (parent.width() / cols).min(parent.height() / rows);
        let (w, h) = (side * cols, side * rows);
        let left = if colorbar.is_some() {
            parent.right - w
        } else {
            parent.left + (parent.width() - w) / 2.0
        };
        let top = parent.top + (parent.height() - h) / 2.0;
        Self {
            axes: Rect {
                left,
                top,
                right: left + w,
                bottom: top + h,
            },
            colorbar,
        }
    }
}

/// Data coordinates to pixels inside an axes' box.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub rect: Rect,
    x: (f64, f64),
    y: (f64, f64),
}

impl Scale {
    /// The box showing `x.limits` left to right and `y.limits` bottom to top.
    pub fn new(rect: Rect, x: &AxisTicks, y: &AxisTicks) -> Self {
        Self::from_limits(rect, x.limits, y.limits)
    }

    pub fn from_limits(rect: Rect, x: (f64, f64), y: (f64, f64)) -> Self {
        Self { rect, x, y }
    }

    pub fn x(&self, value: f64) -> f64 {
        let (a, b) = self.x;
        self.rect.left + (value - a) / (b - a) * self.rect.width()
    }

    pub fn y(&self, value: f64) -> f64 {
        let (a, b) = self.y;
        self.rect.bottom - (value - a) / (b - a) * self.rect.height()
    }

    pub fn point(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.x(x), self.y(y))
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.05
    }

    #[wasm_bindgen_test]
    fn the_default_axes_are_matplotlibs_subplot_box() {
        let figure = Figure::new((640.0, 480.0), None);
        let axes = figure.axes;
        assert!(close(axes.left, 80.0) && close(axes.right, 576.0));
        assert!(close(axes.top, 57.6) && close(axes.bottom, 427.2));
        assert_eq!(figure.colorbar, None);
    }

    #[wasm_bindgen_test]
    fn a_square_image_is_square_and_its_colour_bar_is_a_twentieth_of_its_height() {
        let plain = Figure::new(
            (640.0, 480.0),
            Some(ImageShape {
                rows: 16,
                cols: 16,
                colorbar: false,
            }),
        );
        assert!(close(plain.axes.width(), plain.axes.height()));
        assert!(close(plain.axes.height(), 369.6), "{plain:?}");
        assert!(
            close(plain.axes.left + plain.axes.right, 80.0 + 576.0),
            "centred"
        );

        let with_bar = Figure::new(
            (640.0, 480.0),
            Some(ImageShape {
                rows: 16,
                cols: 16,
                colorbar: true,
            }),
        );
        let bar = with_bar.colorbar.expect("a colour bar");
        // Matplotlib 3.11's window extents for `imshow` of 16 × 16 then `plt.colorbar()`.
        assert!(
            close(bar.left, 501.6) && close(bar.width(), 18.48),
            "{bar:?}"
        );
        assert!(close(bar.top, 57.6) && close(bar.height(), 369.6));
        assert!(close(with_bar.axes.left, 107.2) && close(with_bar.axes.right, 476.8));
        assert!(
            with_bar.axes.right < bar.left,
            "the bar is beside the image"
        );
    }

    #[wasm_bindgen_test]
    fn a_wide_image_fills_the_width_and_is_centred_vertically() {
        let figure = Figure::new(
            (640.0, 480.0),
            Some(ImageShape {
                rows: 10,
                cols: 40,
                colorbar: false,
            }),
        );
        assert!(close(figure.axes.width(), 496.0));
        assert!(close(figure.axes.height(), 124.0));
        assert!(close(figure.axes.top + figure.axes.bottom, 57.6 + 427.2));
    }

    #[wasm_bindgen_test]
    fn scales_put_the_low_limit_at_the_bottom_left() {
        let rect = Rect {
            left: 10.0,
            top: 0.0,
            right: 110.0,
            bottom: 50.0,
        };
        let scale = Scale::from_limits(rect, (0.0, 10.0), (-1.0, 1.0));
        assert_eq!(scale.point((0.0, -1.0)), (10.0, 50.0));
        assert_eq!(scale.point((10.0, 1.0)), (110.0, 0.0));
        // An image's y axis runs downwards: its limits are high to low.
        let image = Scale::from_limits(rect, (0.0, 10.0), (4.5, -0.5));
        assert_eq!(image.y(-0.5), 0.0);
    }
}
