//! Mutations of a text (a scenario's TOML, a partial or results document's JSON): bytes
//! flipped, inserted or deleted, the text cut short, a token replaced by an interesting value,
//! lines deleted, duplicated or swapped. Positions are taken modulo the text's length, so any
//! mutation applies to any text.

use proptest::prelude::*;

/// Values that probe limits, units and types, in TOML and in JSON.
pub const INTERESTING: &[&str] = &[
    "0",
    "-1",
    "1",
    "0.5",
    "1e308",
    "1e-300",
    "-1e308",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "9007199254740993",
    "nan",
    "inf",
    "-inf",
    "true",
    "false",
    "null",
    "\"\"",
    "\"0s\"",
    "\"0.4ns\"",
    "\"1e-20s\"",
    "\"-5s\"",
    "\"1e30h\"",
    "\"100000000h\"",
    "\"0B\"",
    "\"1e30GB\"",
    "\"1ns\"",
    "\"x.y\"",
    "\"a\"",
    "[]",
    "{}",
    "[[]]",
    "[{}]",
    "\"\\u0000\"",
    "\"é\"",
];

/// One mutation.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Flip bit `bit` of the byte at `at`.
    FlipBit { at: usize, bit: u8 },
    /// Insert `byte` before `at`.
    Insert { at: usize, byte: u8 },
    /// Delete up to `len` bytes from `at`.
    Delete { at: usize, len: usize },
    /// Keep only the bytes before `at`.
    Truncate { at: usize },
    /// Replace the `at`-th token (text between separators) by `INTERESTING[with]`.
    Token { at: usize, with: usize },
    /// Delete line `at`.
    DeleteLine { at: usize },
    /// Repeat line `at`.
    DuplicateLine { at: usize },
    /// Swap lines `a` and `b`.
    SwapLines { a: usize, b: usize },
}

/// Any one mutation (token replacements weigh most: they keep the text parseable and reach the
/// validation behind the syntax).
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        1 => (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        6 => (any::<usize>(), 0..INTERESTING.len()).prop_map(|(at, with)| Mutation::Token { at, with }),
        1 => any::<usize>().prop_map(|at| Mutation::DeleteLine { at }),
        1 => any::<usize>().prop_map(|at| Mutation::DuplicateLine { at }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
    ]
}

/// One to four mutations.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..=4)
}

fn is_separator(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b'=' | b',' | b':' | b'[' | b']' | b'{' | b'}'
    )
}

/// Byte spans of the tokens of `t`: runs of bytes between separators.
fn tokens(t: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &b) in t.iter().enumerate() {
        match (is_separator(b), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, t.len()));
    }
    out
}

fn lines(t: &[u8]) -> Vec<Vec<u8>> {
    t.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

fn apply_one(t: &mut Vec<u8>, m: &Mutation) {
    let n = t.len();
    match *m {
        Mutation::FlipBit { at, bit } if n > 0 => t[at % n] ^= 1 << bit,
        Mutation::Insert { at, byte } => t.insert(at % (n + 1), byte),
        Mutation::Delete { at, len } if n > 0 => {
            let a = at % n;
            t.drain(a..(a + len).min(n));
        }
        Mutation::Truncate { at } => t.truncate(at % (n + 1)),
        Mutation::Token { at, with } => {
            let toks = tokens(t);
            if !toks.is_empty() {
                let (a, b) = toks[at % toks.len()];
                t.splice(a..b, INTERESTING[with % INTERESTING.len()].bytes());
            }
        }
        Mutation::DeleteLine { at } => {
            let mut ls = lines(t);
            let i = at % ls.len();
            ls.remove(i);
            *t = ls.join(&b'\n');
        }
        Mutation::DuplicateLine { at } => {
            let mut ls = lines(t);
            let i = at % ls.len();
            let l = ls[i].clone();
            ls.insert(i, l);
            *t = ls.join(&b'\n');
        }
        Mutation::SwapLines { a, b } => {
            let mut ls = lines(t);
            let len = ls.len();
            ls.swap(a % len, b % len);
            *t = ls.join(&b'\n');
        }
        _ => {}
    }
}

/// `text` with every mutation of `ms` applied in order.
pub fn apply(text: &[u8], ms: &[Mutation]) -> Vec<u8> {
    let mut t = text.to_vec();
    for m in ms {
        apply_one(&mut t, m);
    }
    t
}

#[test]
fn mutations_change_what_they_say() {
    let t = b"a = 1\nb = \"2s\"\n";
    assert_eq!(
        apply(t, &[Mutation::Token { at: 1, with: 1 }]),
        b"a = -1\nb = \"2s\"\n"
    );
    assert_eq!(apply(t, &[Mutation::DeleteLine { at: 0 }]), b"b = \"2s\"\n");
    assert_eq!(apply(t, &[Mutation::Truncate { at: 3 }]), b"a =");
    assert_eq!(
        apply(t, &[Mutation::SwapLines { a: 0, b: 1 }]),
        b"b = \"2s\"\na = 1\n"
    );
    assert_eq!(
        apply(t, &[Mutation::FlipBit { at: 0, bit: 5 }]),
        b"A = 1\nb = \"2s\"\n"
    );
}
