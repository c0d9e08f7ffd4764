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

    proptest::proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once.clone());
            proptest::prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
            proptest::prop_assert!(!once.contains("  "));
        }
    }
}
