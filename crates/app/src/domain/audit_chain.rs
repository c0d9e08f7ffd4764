//! The audit trail as a hash chain (issue 13 point 5): every event carries the hash of the one
//! before it, so changing, removing or inserting an event breaks a link that [`Walker`] finds.
//!
//! * `hash` = lowercase hex SHA-256 of [`canonical`]: a JSON array of a format tag, the event's
//!   place in the chain (`seq`, 1, 2, 3, ...), every stored field exactly as stored (the
//!   instant to the microsecond, RFC 3339 UTC; `before`/`after` as their stored JSON text) and
//!   `prev_hash`, the hash of event `seq - 1` ([`GENESIS`] for the first).
//! * An event that was changed no longer matches its own hash; one that was removed leaves a
//!   gap in `seq` and a link to nothing; one that was inserted has no place (`seq` null), repeats
//!   a place another event holds, or is not the event the next one links to.
//!
//! A chain cannot prove that nothing was cut from its end or appended there by someone who
//! recomputed the hashes: `practicum audit verify` prints the last event's hash (the head), and
//! a head kept elsewhere (a backup manifest, the operations log) pins the end too.
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Names the serialisation, so a future change of fields can be told apart.
const FORMAT: &str = "practicum-audit/1";

/// One event as stored: the fields the hash covers, and its links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainEvent {
    pub id: String,
    /// Its place in the chain; `None` for a row no append ever wrote.
    pub seq: Option<i64>,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: Option<String>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// The instant as the chain stores it: microseconds (PostgreSQL keeps no finer).
pub fn chain_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The exact text the hash is taken over (see the module documentation).
pub fn canonical(e: &ChainEvent, seq: i64, prev_hash: &str) -> String {
    serde_json::Value::Array(vec![
        FORMAT.into(),
        seq.into(),
        e.id.clone().into(),
        chain_instant(e.at)
            .to_rfc3339_opts(SecondsFormat::Micros, true)
            .into(),
        e.actor_id.clone().into(),
        e.actor_label.clone().into(),
        e.action.clone().into(),
        e.record_type.clone().into(),
        e.record_id.clone().into(),
        e.before_json.clone().into(),
        e.after_json.clone().into(),
        e.ip.clone().into(),
        prev_hash.into(),
    ])
    .to_string()
}

/// The hash an event at place `seq` after `prev_hash` must carry (64 lowercase hex digits).
pub fn event_hash(e: &ChainEvent, seq: i64, prev_hash: &str) -> String {
    hex::encode(Sha256::digest(canonical(e, seq, prev_hash).as_bytes()))
}

/// The first place where the chain does not hold, in words for the person running the check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The event's fields no longer give its hash, or the next event does not link to it.
    Changed { id: String, seq: i64, why: String },
    /// Places `from..=to` are missing between two events.
    Removed {
        from: i64,
        to: i64,
        after: Option<String>,
        before: String,
    },
    /// An event that no append wrote.
    Inserted { id: String, why: String },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Changed { id, seq, why } => {
                write!(f, "event {id} (#{seq}) was changed: {why}")
            }
            Break::Removed {
                from,
                to,
                after,
                before,
            } => {
                let which = if from == to {
                    format!("event #{from} was removed")
                } else {
                    format!("events #{from} to #{to} were removed")
                };
                match after {
                    Some(a) => write!(f, "{which}: it stood between {a} and {before}"),
                    None => write!(f, "{which}: it stood before {before}"),
                }
            }
            Break::Inserted { id, why } => write!(f, "event {id} was inserted: {why}"),
        }
    }
}

/// Walks the events in chain order (by `seq`, then `id`), one at a time, so a trail of any
/// length is checked in bounded memory. Unchained rows (`seq` null) come last.
#[derive(Debug)]
pub struct Walker {
    /// The place the next event should take.
    next: i64,
    /// The hash the events at place `next - 1` link to.
    prev: String,
    /// The event(s) at place `next - 1`: more than one only while a repeated place is unsettled.
    tips: Vec<(String, String)>,
    pub events: u64,
}

impl Default for Walker {
    fn default() -> Self {
        Walker {
            next: 1,
            prev: GENESIS.to_string(),
            tips: Vec::new(),
            events: 0,
        }
    }
}

impl Walker {
    /// Checks the next event; the first break ends the walk.
    pub fn step(&mut self, e: &ChainEvent) -> Result<(), Break> {
        let (Some(seq), Some(prev_hash), Some(hash)) = (e.seq, &e.prev_hash, &e.hash) else {
            return Err(Break::Inserted {
                id: e.id.clone(),
                why: "it has no place in the chain".into(),
            });
        };
        if &event_hash(e, seq, prev_hash) != hash {
            return Err(Break::Changed {
                id: e.id.clone(),
                seq,
                why: "its fields no longer match its hash".into(),
            });
        }
        self.events += 1;
        if seq == self.next - 1 && !self.tips.is_empty() {
            // A second event claims the place just taken: the next event settles which is real.
            if prev_hash != &self.prev {
                return Err(Break::Inserted {
                    id: e.id.clone(),
                    why: format!("it repeats place #{seq} and links to no event before it"),
                });
            }
            self.tips.push((e.id.clone(), hash.clone()));
            return Ok(());
        }
        if seq < self.next {
            return Err(Break::Inserted {
                id: e.id.clone(),
                why: format!("it claims place #{seq}, which the chain has passed"),
            });
        }
        if seq > self.next {
            return Err(Break::Removed {
                from: self.next,
                to: seq - 1,
                after: self.tips.first().map(|t| t.0.clone()),
                before: e.id.clone(),
            });
        }
        let before: Option<(String, String)> = if self.tips.is_empty() {
            (prev_hash == &self.prev).then(|| (String::new(), self.prev.clone()))
        } else {
            self.tips.iter().find(|t| &t.1 == prev_hash).cloned()
        };
        match before {
            None => {
                return Err(match self.tips.first() {
                    Some((id, _)) => Break::Changed {
                        id: id.clone(),
                        seq: seq - 1,
                        why: format!(
                            "the next event, {}, recorded another hash for it (or an event \
                             between them was removed)",
                            e.id
                        ),
                    },
                    None => Break::Inserted {
                        id: e.id.clone(),
                        why: "the first event does not start from the beginning of the chain"
                            .into(),
                    },
                });
            }
            Some((real, _)) => {
                if let Some((other, _)) = self.tips.iter().find(|t| t.0 != real) {
                    return Err(Break::Inserted {
                        id: other.clone(),
                        why: format!("it repeats place #{} of {real}", seq - 1),
                    });
                }
            }
        }
        self.prev = prev_hash.clone();
        self.tips = vec![(e.id.clone(), hash.clone())];
        self.next = seq + 1;
        Ok(())
    }

    /// After the last event: a repeated last place cannot be settled, so it is named.
    pub fn finish(&self) -> Result<(), Break> {
        match self.tips.as_slice() {
            [_, second, ..] => Err(Break::Inserted {
                id: second.0.clone(),
                why: format!(
                    "it repeats the last place, #{}, of {}",
                    self.next - 1,
                    self.tips[0].0
                ),
            }),
            _ => Ok(()),
        }
    }

    /// The last event's hash (the head), to keep elsewhere; [`GENESIS`] for an empty trail.
    pub fn head(&self) -> &str {
        self.tips.first().map(|t| t.1.as_str()).unwrap_or(GENESIS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: usize) -> Vec<ChainEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n as i64)
            .map(|seq| {
                let mut e = ChainEvent {
                    id: format!("e{seq}"),
                    seq: Some(seq),
                    at: Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, 0).unwrap()
                        + chrono::Duration::nanoseconds(seq * 1_234_567),
                    actor_id: None,
                    actor_label: "someone".into(),
                    action: "create".into(),
                    record_type: "site".into(),
                    record_id: format!("r{seq}"),
                    before_json: None,
                    after_json: Some(format!("{{\"n\":{seq}}}")),
                    ip: Some("127.0.0.1".into()),
                    prev_hash: Some(prev.clone()),
                    hash: None,
                };
                let h = event_hash(&e, seq, &prev);
                e.hash = Some(h.clone());
                prev = h;
                e
            })
            .collect()
    }

    fn walk(events: &[ChainEvent]) -> Result<(), Break> {
        let mut w = Walker::default();
        for e in events {
            w.step(e)?;
        }
        w.finish()
    }

    #[test]
    fn an_intact_chain_walks() {
        assert_eq!(walk(&chain(5)), Ok(()));
        assert_eq!(walk(&[]), Ok(()));
        let mut w = Walker::default();
        assert_eq!(w.head(), GENESIS);
        let c = chain(3);
        for e in &c {
            w.step(e).unwrap();
        }
        assert_eq!(w.head(), c[2].hash.as_deref().unwrap());
    }

    #[test]
    fn the_instant_counts_to_the_microsecond_only() {
        let e = &chain(1)[0];
        let mut finer = e.clone();
        finer.at = chain_instant(e.at);
        assert_eq!(event_hash(e, 1, GENESIS), event_hash(&finer, 1, GENESIS));
        finer.at += chrono::Duration::microseconds(1);
        assert_ne!(event_hash(e, 1, GENESIS), event_hash(&finer, 1, GENESIS));
    }

    #[test]
    fn a_changed_event_is_named() {
        let mut c = chain(4);
        c[2].actor_label = "someone else".into();
        assert!(matches!(walk(&c), Err(Break::Changed { id, seq: 3, .. }) if id == "e3"));
        // Changed with its hash recomputed: the next event's link names it.
        let mut c = chain(4);
        c[1].after_json = Some("{}".into());
        c[1].hash = Some(event_hash(&c[1], 2, c[1].prev_hash.as_deref().unwrap()));
        assert!(matches!(walk(&c), Err(Break::Changed { id, seq: 2, .. }) if id == "e2"));
    }

    #[test]
    fn a_removed_event_is_named() {
        let mut c = chain(5);
        c.remove(2);
        let b = walk(&c).unwrap_err();
        assert_eq!(
            b,
            Break::Removed {
                from: 3,
                to: 3,
                after: Some("e2".into()),
                before: "e4".into()
            }
        );
        assert!(b.to_string().contains("event #3 was removed"), "{b}");
        let mut c = chain(3);
        c.remove(0);
        assert!(matches!(
            walk(&c),
            Err(Break::Removed {
                from: 1,
                to: 1,
                after: None,
                ..
            })
        ));
    }

    #[test]
    fn an_inserted_event_is_named() {
        // With no place.
        let mut c = chain(3);
        let mut forged = c[1].clone();
        forged.id = "forged".into();
        forged.seq = None;
        c.push(forged.clone());
        assert!(matches!(walk(&c), Err(Break::Inserted { id, .. }) if id == "forged"));
        // Repeating a place, with a hash that is right for it: whichever sorts first.
        for at in [1, 2] {
            let mut c = chain(4);
            let mut forged = c[1].clone();
            forged.id = "forged".into();
            forged.record_id = "other".into();
            forged.hash = Some(event_hash(&forged, 2, c[0].hash.as_deref().unwrap()));
            c.insert(at, forged);
            assert!(
                matches!(walk(&c), Err(Break::Inserted { ref id, .. }) if id == "forged"),
                "{:?}",
                walk(&c)
            );
        }
        // Repeating the last place.
        let mut c = chain(2);
        let mut forged = c[1].clone();
        forged.id = "forged".into();
        forged.record_id = "other".into();
        forged.hash = Some(event_hash(&forged, 2, c[0].hash.as_deref().unwrap()));
        c.push(forged);
        assert!(matches!(walk(&c), Err(Break::Inserted { id, .. }) if id == "forged"));
    }
}
