//! Touch gestures on phones: a swipe left or right past a threshold, and a long press. The
//! handlers go on the element's `touchstart`, `touchmove` and `touchend`.

use leptos::leptos_dom::helpers::{TimeoutHandle, set_timeout_with_handle};
use leptos::prelude::*;
use std::rc::Rc;
use std::time::Duration;

/// How far a finger travels sideways to count as a swipe, and how far it may stray up or
/// down meanwhile; how long a press lasts to count as long.
pub const SWIPE_PX: i32 = 64;
pub const STRAY_PX: i32 = 40;
pub const LONG_PRESS: Duration = Duration::from_millis(500);

/// What the gestures do; `drag` follows the finger sideways (0 when it lets go).
#[derive(Clone, Default)]
pub struct Swipes {
    pub left: Option<Rc<dyn Fn()>>,
    pub right: Option<Rc<dyn Fn()>>,
    pub press: Option<Rc<dyn Fn()>>,
    pub drag: Option<Rc<dyn Fn(i32)>>,
}

/// The state of one element's gestures.
#[derive(Clone, Copy)]
pub struct Gestures {
    actions: StoredValue<Swipes, LocalStorage>,
    origin: StoredValue<Option<(i32, i32)>>,
    last: StoredValue<(i32, i32)>,
    press: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// A swipe just ended: the click that follows it is not a tap.
    pub swiped: StoredValue<bool>,
}

fn point(ev: &leptos::ev::TouchEvent) -> Option<(i32, i32)> {
    ev.touches()
        .get(0)
        .or_else(|| ev.changed_touches().get(0))
        .map(|t| (t.client_x(), t.client_y()))
}

impl Gestures {
    pub fn new(actions: Swipes) -> Gestures {
        Gestures {
            actions: StoredValue::new_local(actions),
            origin: StoredValue::new(None),
            last: StoredValue::new((0, 0)),
            press: StoredValue::new_local(None),
            swiped: StoredValue::new(false),
        }
    }

    fn cancel_press(self) {
        if let Some(handle) = self.press.get_value() {
            handle.clear();
        }
        self.press.set_value(None);
    }

    fn drag(self, dx: i32) {
        if let Some(drag) = self.actions.with_value(|a| a.drag.clone()) {
            drag(dx);
        }
    }

    pub fn start(self) -> impl Fn(leptos::ev::TouchEvent) + Copy + 'static {
        move |ev| {
            let Some(p) = point(&ev) else { return };
            self.origin.set_value(Some(p));
            self.last.set_value(p);
            self.swiped.set_value(false);
            self.cancel_press();
            if let Some(press) = self.actions.with_value(|a| a.press.clone()) {
                let handle = set_timeout_with_handle(move || press(), LONG_PRESS).ok();
                self.press.set_value(handle);
            }
        }
    }

    pub fn moved(self) -> impl Fn(leptos::ev::TouchEvent) + Copy + 'static {
        move |ev| {
            let (Some(p), Some(o)) = (point(&ev), self.origin.get_value()) else {
                return;
            };
            self.last.set_value(p);
            if (p.0 - o.0).abs() > 10 || (p.1 - o.1).abs() > 10 {
                self.cancel_press();
            }
            if (p.1 - o.1).abs() < STRAY_PX {
                self.drag(p.0 - o.0);
            }
        }
    }

    pub fn end(self) -> impl Fn(leptos::ev::TouchEvent) + Copy + 'static {
        move |_| {
            self.cancel_press();
            self.drag(0);
            let Some(o) = self.origin.get_value() else {
                return;
            };
            self.origin.set_value(None);
            let p = self.last.get_value();
            if (p.1 - o.1).abs() >= STRAY_PX {
                return;
            }
            let action = self.actions.with_value(|a| {
                if p.0 - o.0 >= SWIPE_PX {
                    a.right.clone()
                } else if o.0 - p.0 >= SWIPE_PX {
                    a.left.clone()
                } else {
                    None
                }
            });
            if let Some(action) = action {
                self.swiped.set_value(true);
                action();
            }
        }
    }
}
