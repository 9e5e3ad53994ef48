//! Helpers shared by the unit tests.

/// A small deterministic generator (xorshift) for generated test cases.
pub(crate) struct Gen(pub(crate) u64);

impl Gen {
    /// The next 64 bits.
    pub(crate) fn bits(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number below `n`.
    pub(crate) fn next(&mut self, n: usize) -> usize {
        (self.bits() % n as u64) as usize
    }
    /// One of `xs`.
    pub(crate) fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next(xs.len())]
    }
}
