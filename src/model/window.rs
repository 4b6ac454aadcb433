//! Windowing for long lists: which rows to put in the page so that 10 000 loaded rows cost
//! no more than a screenful. Rows are of one height; the rows above and below the window are
//! stood in for by empty space of their height, so the scrollbar stays true.

/// Lists this short are rendered whole.
pub const WHOLE_UP_TO: usize = 150;
/// Rows rendered beyond each edge of the viewport, so fast scrolling shows no gap.
pub const OVERSCAN: usize = 15;

/// The rows `start..end` to render, and the space standing in for the others.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
    pub before_px: f64,
    pub after_px: f64,
}

/// The window of a list of `total` rows of `row_px` each, scrolled `scroll_top` down a
/// viewport `viewport_px` high.
pub fn window(total: usize, row_px: f64, scroll_top: f64, viewport_px: f64) -> Window {
    if total <= WHOLE_UP_TO || row_px <= 0.0 {
        return Window {
            start: 0,
            end: total,
            before_px: 0.0,
            after_px: 0.0,
        };
    }
    let first_visible = (scroll_top.max(0.0) / row_px) as usize;
    let visible = (viewport_px.max(0.0) / row_px).ceil() as usize + 1;
    let start = first_visible.saturating_sub(OVERSCAN).min(total);
    let end = (first_visible + visible + OVERSCAN).min(total);
    Window {
        start,
        end,
        before_px: start as f64 * row_px,
        after_px: (total - end) as f64 * row_px,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_are_whole() {
        let w = window(WHOLE_UP_TO, 64.0, 5_000.0, 800.0);
        assert_eq!(
            (w.start, w.end, w.before_px, w.after_px),
            (0, WHOLE_UP_TO, 0.0, 0.0)
        );
    }

    #[test]
    fn long_lists_render_a_screenful_and_keep_their_height() {
        let total = 10_000;
        let top = window(total, 64.0, 0.0, 800.0);
        assert_eq!(top.start, 0);
        assert_eq!(top.end, 13 + 1 + OVERSCAN);
        let middle = window(total, 64.0, 64.0 * 5_000.0, 800.0);
        assert_eq!(middle.start, 5_000 - OVERSCAN);
        assert!(middle.end - middle.start < 60, "{middle:?}");
        for w in [top, middle, window(total, 64.0, 1e9, 800.0)] {
            let rendered = (w.end - w.start) as f64 * 64.0;
            assert_eq!(
                w.before_px + rendered + w.after_px,
                total as f64 * 64.0,
                "{w:?}"
            );
            assert!(w.start <= w.end && w.end <= total);
        }
        let bottom = window(total, 64.0, 1e9, 800.0);
        assert_eq!(
            (bottom.start, bottom.end),
            (total, total),
            "scrolled past the end: nothing"
        );
    }
}
