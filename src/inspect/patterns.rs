//! Searching file bytes for a fixed set of literal strings at once (rule strings in read-only
//! data, symbol names in a string table, Go function names).
//!
//! Each set is built once per run, so for a one-file run the build is part of the latency:
//! an Aho-Corasick automaton for ten names costs about 200,000 instructions to build, while
//! the SIMD "Teddy" searcher that the automaton would use as its prefilter anyway costs
//! about 30,000 and searches as fast. Teddy needs SSSE3/AVX2 or NEON and a modest number of
//! patterns; when it cannot be built the automaton is used, with the same match semantics.

use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Which match wins where several patterns match at the same leftmost position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefer {
    /// The pattern listed first.
    First,
    /// The longest pattern.
    Longest,
}

/// One match: the index of the pattern in the list given to [`Matcher::new`], and where it
/// lies in the haystack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

pub enum Matcher {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Matcher {
    /// `None` only when no searcher can be built for the patterns (an empty list).
    pub fn new<P: AsRef<[u8]>>(patterns: &[P], prefer: Prefer) -> Option<Matcher> {
        let (packed_kind, kind) = match prefer {
            Prefer::First => (packed::MatchKind::LeftmostFirst, MatchKind::LeftmostFirst),
            Prefer::Longest => (
                packed::MatchKind::LeftmostLongest,
                MatchKind::LeftmostLongest,
            ),
        };
        let packed = packed::Config::new()
            .match_kind(packed_kind)
            .builder()
            .extend(patterns)
            .build();
        if let Some(searcher) = packed {
            return Some(Matcher::Packed(searcher));
        }
        // A contiguous NFA rather than the default DFA: the DFA builds several times slower
        // and the search is dominated by the prefilter either way.
        AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(kind)
            .build(patterns)
            .ok()
            .map(Matcher::Automaton)
    }

    /// Non-overlapping matches, left to right.
    pub fn find_iter<'a>(&'a self, haystack: &'a [u8]) -> impl Iterator<Item = Hit> + 'a {
        let (packed, automaton) = match self {
            Matcher::Packed(s) => (Some(s.find_iter(haystack)), None),
            Matcher::Automaton(a) => (None, Some(a.find_iter(haystack))),
        };
        let from_packed = packed.into_iter().flatten().map(|m| Hit {
            pattern: m.pattern().as_usize(),
            start: m.start(),
            end: m.end(),
        });
        let from_automaton = automaton.into_iter().flatten().map(|m| Hit {
            pattern: m.pattern().as_usize(),
            start: m.start(),
            end: m.end(),
        });
        from_packed.chain(from_automaton)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both searchers, forced, must agree with each other on the semantics the callers rely
    /// on: leftmost match, first-listed or longest at a tie, non-overlapping.
    fn both(patterns: &[&str], prefer: Prefer) -> [Matcher; 2] {
        let kind = match prefer {
            Prefer::First => MatchKind::LeftmostFirst,
            Prefer::Longest => MatchKind::LeftmostLongest,
        };
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(kind)
            .build(patterns)
            .unwrap();
        let chosen = Matcher::new(patterns, prefer).unwrap();
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            assert!(matches!(chosen, Matcher::Packed(_)), "Teddy not chosen");
        }
        [chosen, Matcher::Automaton(automaton)]
    }

    #[test]
    fn first_and_longest_at_the_same_position() {
        let hay = b"..os/user.lookupUserId\0tzset\0__tzset\0";
        for m in both(
            &["os/user.lookupUser", "os/user.lookupUserId", "tzset\0"],
            Prefer::First,
        ) {
            let hits: Vec<usize> = m.find_iter(hay).map(|h| h.pattern).collect();
            assert_eq!(hits, [0, 2, 2]);
        }
        for m in both(
            &["os/user.lookupUser", "os/user.lookupUserId", "tzset\0"],
            Prefer::Longest,
        ) {
            let hits: Vec<(usize, usize)> =
                m.find_iter(hay).map(|h| (h.pattern, h.start)).collect();
            assert_eq!(hits, [(1, 2), (2, 23), (2, 31)]);
        }
    }

    #[test]
    fn a_haystack_shorter_than_the_simd_block() {
        for m in both(&["/etc/ssl/certs", ".so"], Prefer::First) {
            let hits: Vec<Hit> = m.find_iter(b"x.so").collect();
            assert_eq!(
                hits,
                [Hit {
                    pattern: 1,
                    start: 1,
                    end: 4
                }]
            );
            assert_eq!(m.find_iter(b"").count(), 0);
        }
    }

    #[test]
    fn many_patterns_still_build() {
        let names: Vec<String> = (0..500).map(|i| format!("symbol_{i}\0")).collect();
        let m = Matcher::new(&names, Prefer::First).unwrap();
        let hits: Vec<usize> = m
            .find_iter(b"\0symbol_499\0symbol_7\0")
            .map(|h| h.pattern)
            .collect();
        assert_eq!(hits, [499, 7]);
    }
}
