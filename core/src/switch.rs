//! Settings that tests change, to compare a shortcut with the path it stands in for (the
//! reference): outside tests each is a constant.

/// `test_switch!(NAME, getter: T = default);` defines `getter()`: `default` outside tests, and
/// in tests the value of the thread-local cell `NAME` (initially `default`), which tests set
/// with [`with`]. Attributes before `NAME` (its doc) go to `getter`.
macro_rules! test_switch {
    ($(#[$attr:meta])* $cell:ident, $get:ident: $t:ty = $default:expr) => {
        #[cfg(test)]
        thread_local! {
            static $cell: std::cell::Cell<$t> = const { std::cell::Cell::new($default) };
        }

        $(#[$attr])*
        #[inline]
        fn $get() -> $t {
            #[cfg(test)]
            return $cell.with(|c| c.get());
            #[cfg(not(test))]
            $default
        }
    };
}
pub(crate) use test_switch;

/// `f()` with the switch `cell` set to `value` on this thread, then set back.
#[cfg(test)]
pub(crate) fn with<T: Copy, R>(cell: &'static std::thread::LocalKey<std::cell::Cell<T>>, value: T, f: impl FnOnce() -> R) -> R {
    let old = cell.with(|c| c.replace(value));
    let r = f();
    cell.with(|c| c.set(old));
    r
}

#[cfg(test)]
mod tests {
    test_switch!(
        /// A switch for the test below.
        LEVEL, level: u8 = 3
    );

    /// `with` sets the switch for `f` only; the getter reads it.
    #[test]
    fn with_sets_the_switch_for_its_closure() {
        assert_eq!(level(), 3);
        let seen = super::with(&LEVEL, 9, || (level(), super::with(&LEVEL, 5, level), level()));
        assert_eq!(seen, (9, 5, 9));
        assert_eq!(level(), 3);
    }
}
