//! A number's grammar, one byte at a time: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.

/// Where in a number's grammar the bytes so far are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Number {
    /// `-`
    Minus,
    /// `0` or `-0`: no more integer digits.
    Zero,
    /// Integer digits.
    Int,
    /// `.` with no fraction digit yet.
    Dot,
    /// Fraction digits.
    Frac,
    /// `e` or `E`.
    Exp,
    /// `e+` or `e-`.
    ExpSign,
    /// Exponent digits.
    ExpDigits,
}

/// What a byte does to a number.
pub(super) enum Step {
    /// It is part of the number.
    Next(Number),
    /// It ends the number (the byte belongs to what follows).
    End,
    /// The bytes so far plus this one are no number and no number followed by something.
    Invalid,
}

impl Number {
    /// The state after a number's first byte, if it can start one.
    pub(super) fn start(byte: u8) -> Option<Number> {
        match byte {
            b'-' => Some(Number::Minus),
            b'0' => Some(Number::Zero),
            b'1'..=b'9' => Some(Number::Int),
            _ => None,
        }
    }

    /// Whether the bytes so far are a whole number.
    pub(super) fn is_whole(self) -> bool {
        matches!(
            self,
            Number::Zero | Number::Int | Number::Frac | Number::ExpDigits
        )
    }

    /// The next byte.
    pub(super) fn step(self, byte: u8) -> Step {
        use Number::*;
        let next = match (self, byte) {
            (Minus, b'0') => Zero,
            (Minus, b'1'..=b'9') => Int,
            (Int, b'0'..=b'9') => Int,
            (Zero | Int, b'.') => Dot,
            (Dot | Frac, b'0'..=b'9') => Frac,
            (Zero | Int | Frac, b'e' | b'E') => Exp,
            (Exp, b'+' | b'-') => ExpSign,
            (Exp | ExpSign | ExpDigits, b'0'..=b'9') => ExpDigits,
            // A whole number ends at any other byte (what follows judges it); a digit after
            // a leading zero cannot follow a number either.
            (Zero, b'0'..=b'9') => return Step::Invalid,
            (state, _) if state.is_whole() => return Step::End,
            _ => return Step::Invalid,
        };
        Step::Next(next)
    }
}
