//! When a name is common: the limits past which a name search walks the students in the list's
//! order instead of reading the ones an index names, shared by the store's indexes
//! (`super::name_index`) and the suffixes held in memory (`super::held_suffixes`), which must
//! judge alike.

/// Most students a name search takes from an index (the word suffixes, migration 0037, or on
/// SQLite the trigram index, migration 0030); a name matching more (over 2.5% of a
/// consortium's 20,000) is common, and walking the students in id order finds a page of it
/// sooner. A rarer name makes that walk read most of the table: at 100, the tenth of new
/// searches for someone there that matched 101 to 110 took about 10 ms each
/// (bench/results/server-scale.md, eleventh round).
pub(super) const INDEXED_MATCHES_MAX: i64 = 500;

/// Most word suffixes a name search reads (`students_search_suffixes`, migration 0037) before
/// it calls the name common: a student holds a needle in a word or two (name and e-mail), so
/// 500 students are well under it, and a needle in every e-mail ("edu") stops here.
pub(super) const INDEXED_SUFFIXES_MAX: i64 = 5_000;

/// Whether a word-suffix range of `suffixes` rows naming `students` students is rare enough to
/// be read by id ([`INDEXED_SUFFIXES_MAX`], [`INDEXED_MATCHES_MAX`]); more is a common name.
pub(super) fn within_limits(suffixes: i64, students: i64) -> bool {
    suffixes <= INDEXED_SUFFIXES_MAX && students <= INDEXED_MATCHES_MAX
}
