//! Search finds people however their names were typed. What is stored and what is searched for
//! are both folded to one form: case, accents and the many ways of typing an apostrophe or a
//! quotation mark stop mattering, so "O'Brien" finds a student entered as "O’Brien" (as phones
//! and word processors type it), "Jose" finds "José" and "muller" finds "Müller".
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// The search form of `text`: compatibility-decomposed (NFKD) with the accents dropped,
/// lowercased; apostrophes and quotation marks of every form dropped (so "O'Brien", "O’Brien"
/// and "OBrien" are one name); dashes as `-`; letters with no decomposition spelled out (ß →
/// ss, æ → ae, ø → o, ł → l, ...); runs of white space as one space, trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    // Quotes go before decomposing: the acute accent typed as an apostrophe (´) decomposes
    // to a space and a combining accent, which would split the name in two.
    for c in text.chars().filter(|c| !is_quote(*c)).nfkd() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        for l in c.to_lowercase() {
            if is_combining_mark(l) || is_quote(l) {
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            match spelled_out(l) {
                Some(s) => out.push_str(s),
                None if is_dash(l) => out.push('-'),
                None => out.push(l),
            }
        }
    }
    out
}

/// Apostrophes, quotation marks and the characters typed for them: the typewriter ones, the
/// typographic ones (’ ‘ ‚ ‛ “ ” „ ‟), the backtick, the acute accent, primes, the modifier
/// letters (ʼ ʻ ʹ ʺ ˈ), guillemets, the Hebrew geresh and gershayim, and the fullwidth forms.
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '\'' | '"'
            | '`'
            | '\u{00B4}'
            | '\u{2018}'..='\u{201F}'
            | '\u{2032}'..='\u{2037}'
            | '\u{02B9}'..='\u{02BD}'
            | '\u{02C8}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2039}'
            | '\u{203A}'
            | '\u{05F3}'
            | '\u{05F4}'
            | '\u{FF02}'
            | '\u{FF07}'
            | '\u{FF40}'
    )
}

/// Hyphens and dashes (‐ ‑ ‒ – — ―, the minus sign and small and fullwidth hyphen-minus).
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Lowercase letters that NFKD leaves alone but people type without their mark.
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŧ' => "t",
        _ => return None,
    })
}

/// Fewest characters of a needle, and of each word suffix kept, that [`word_suffixes`] and
/// [`suffix_range`] serve. A shorter needle matches a good part of any large list, which a
/// walk in order finds a page of sooner than an index would.
pub const SUFFIX_MIN_CHARS: usize = 3;

/// Every suffix of at least [`SUFFIX_MIN_CHARS`] characters of each word of `folded` (a
/// [`fold`]ed text; a word is a run of letters and digits, `char::is_alphanumeric`), each once,
/// in code point order. "anna kowalski17" gives anna, nna, kowalski17, owalski17, ..., i17, 17
/// is too short.
///
/// Why: a needle of letters and digits only cannot straddle a space, a dash, an `@` or a dot,
/// so it lies inside one word; it is a substring of the text exactly when it begins one of
/// these suffixes. An ordered index of them (`students_search_suffixes`, migration 0037)
/// answers a name search with one range read ([`suffix_range`]), where a trigram index
/// intersects a list for every three letters of the needle (bench/results/server-scale.md,
/// twelfth round).
pub fn word_suffixes(folded: &str) -> std::collections::BTreeSet<&str> {
    let mut out = std::collections::BTreeSet::new();
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        let chars = starts.len();
        for (n, &i) in starts.iter().enumerate() {
            if chars - n < SUFFIX_MIN_CHARS {
                break;
            }
            out.insert(&word[i..]);
        }
    }
    out
}

/// The range `[from, to)` of [`word_suffixes`] that begin with `needle` (folded), in code point
/// order, which is UTF-8 byte order: SQLite's BINARY collation and PostgreSQL's "C". `None`
/// when the suffixes cannot answer: a needle under [`SUFFIX_MIN_CHARS`] characters, or holding
/// anything but letters and digits (a space, a dash, an `@`), which may straddle two words.
pub fn suffix_range(needle: &str) -> Option<(String, String)> {
    if needle.chars().count() < SUFFIX_MIN_CHARS || !needle.chars().all(char::is_alphanumeric) {
        return None;
    }
    // Every string that begins with `needle` sorts below the needle with its last character
    // replaced by the next one (skipping the surrogates, which are not characters).
    let last = needle.chars().next_back()?;
    let next = match u32::from(last) {
        0xD7FF => '\u{E000}',
        n => char::from_u32(n + 1)?,
    };
    let mut to = needle[..needle.len() - last.len_utf8()].to_string();
    to.push(next);
    Some((needle.to_string(), to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_apostrophe_form_is_one_name() {
        for typed in [
            "O'Brien",
            "O\u{2019}Brien",
            "O\u{2018}Brien",
            "O\u{02BC}Brien",
            "O`Brien",
            "O\u{00B4}Brien",
            "O\u{2032}Brien",
            "O\u{FF07}Brien",
            "OBrien",
            "obrien",
            "OBRIEN",
        ] {
            assert_eq!(fold(typed), "obrien", "{typed:?}");
        }
        assert_ne!(
            fold("O Brien"),
            fold("O'Brien"),
            "a space is not an apostrophe"
        );
    }

    #[test]
    fn accents_and_case_fold_either_way() {
        assert_eq!(fold("José"), "jose");
        assert_eq!(fold("JOSÉ"), fold("jose"));
        assert_eq!(fold("Müller"), "muller");
        // Decomposed, as macOS and some phones send it.
        assert_eq!(fold("Mu\u{0308}ller"), "muller");
        assert_eq!(fold("Zoë Ångström-Çelik"), "zoe angstrom-celik");
        assert_eq!(fold("Đặng Thị Ngọc"), "dang thi ngoc");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("STRASSE"), "strasse");
        assert_eq!(fold("Søren Kierkegård"), "soren kierkegard");
        assert_eq!(fold("Łukasz Wałęsa"), "lukasz walesa");
        assert_eq!(fold("Æsa Œuvre"), "aesa oeuvre");
        assert_eq!(fold("İpek Yıldız"), "ipek yildiz");
    }

    #[test]
    fn quotation_marks_of_every_form_drop_out() {
        let want = "st marys sunrise clinic";
        for typed in [
            "St Mary's \"Sunrise\" Clinic",
            "St Mary’s “Sunrise” Clinic",
            "St Mary’s „Sunrise“ Clinic",
            "St Mary’s «Sunrise» Clinic",
            "St Mary’s ‹Sunrise› Clinic",
            "St Mary’s ＂Sunrise＂ Clinic",
        ] {
            assert_eq!(fold(typed), want, "{typed:?}");
        }
    }

    #[test]
    fn dashes_spaces_and_compatibility_forms() {
        assert_eq!(fold("Smith\u{2011}Jones"), "smith-jones");
        assert_eq!(fold("Smith – Jones"), "smith - jones");
        assert_eq!(fold("  Mary\u{00A0}\t Ann  "), "mary ann");
        assert_eq!(fold("Ｊｏｓé"), "jose", "fullwidth letters");
        assert_eq!(fold("ﬁnn"), "finn", "a ligature");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" ’ "), "");
    }

    #[test]
    fn what_search_needs_survives() {
        // Digits, e-mail addresses and LIKE's own characters pass through (the store escapes
        // % and _ after folding).
        assert_eq!(fold("Ana.Lopez+1@North.EDU"), "ana.lopez+1@north.edu");
        assert_eq!(fold("100% _x_ \\"), "100% _x_ \\");
        assert_eq!(fold("北京"), "北京", "scripts without case or accents stay");
    }

    #[test]
    fn word_suffixes_are_each_words_tails_of_three_or_more() {
        let got: Vec<&str> = word_suffixes("anna ko-walski17 a.b@x.edu")
            .into_iter()
            .collect();
        assert_eq!(
            got,
            [
                "alski17", "anna", "edu", "i17", "ki17", "lski17", "nna", "ski17", "walski17"
            ]
        );
        assert!(word_suffixes("").is_empty());
        assert_eq!(
            word_suffixes("北京大学").into_iter().collect::<Vec<_>>(),
            ["京大学", "北京大学"]
        );
    }

    #[test]
    fn a_needle_of_letters_and_digits_is_a_range_of_suffixes() {
        assert_eq!(suffix_range("kow"), Some(("kow".into(), "kox".into())));
        assert_eq!(suffix_range("ab9"), Some(("ab9".into(), "ab:".into())));
        assert_eq!(suffix_range("ab"), None, "too short");
        assert_eq!(suffix_range("a b"), None, "a space may straddle two words");
        assert_eq!(suffix_range("o-br"), None);
        assert_eq!(suffix_range("a@b.c"), None);
        assert_eq!(
            suffix_range("ab\u{D7FF}"),
            None,
            "U+D7FF is not alphanumeric"
        );
        assert_eq!(suffix_range("北京"), None);
        assert_eq!(
            suffix_range("北京大"),
            Some(("北京大".into(), "北京\u{5928}".into()))
        );
    }

    proptest::proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once.clone());
            proptest::prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
            proptest::prop_assert!(!once.contains("  "));
        }

        /// The index answers exactly what the LIKE would: for any text and any needle the
        /// suffixes serve, the text holds the needle iff a suffix lies in its range.
        #[test]
        fn the_suffix_range_finds_what_contains_finds(
            text in "[ab1é \\-.@]{0,24}",
            needle in "[ab1é]{1,5}",
        ) {
            let text = fold(&text);
            let needle = fold(&needle);
            if let Some((from, to)) = suffix_range(&needle) {
                let found = word_suffixes(&text)
                    .range::<str, _>((std::ops::Bound::Included(from.as_str()), std::ops::Bound::Excluded(to.as_str())))
                    .next()
                    .is_some();
                proptest::prop_assert_eq!(found, text.contains(&needle), "{:?} in {:?}", needle, text);
            } else {
                proptest::prop_assert!(needle.chars().count() < SUFFIX_MIN_CHARS);
            }
        }
    }
}
