//! How a planning run got to its answer (issue 18 point 3: "the seconds used and the bound's
//! progress shown live"): the best plan's score and the proven bound over the seconds used,
//! kept as a short series and drawn as two lines that meet when the plan is proven best.

/// One reading of the allocator's progress: seconds since the start, the best plan's score,
/// and the proven bound (nothing can score more).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct ProgressPoint {
    pub elapsed_seconds: f64,
    pub objective: f64,
    pub bound: f64,
}

/// At most this many points are kept: a run writes one every half second, so a 10-minute run
/// would write 1,200; past the cap every other point is dropped, which keeps the first and the
/// shape of the curve and bounds what each progress write carries.
pub const MAX_POINTS: usize = 120;

/// Adds `p` to `history`, thinning it to at most [`MAX_POINTS`] (the newest is always kept).
pub fn record(history: &mut Vec<ProgressPoint>, p: ProgressPoint) {
    if history.last() == Some(&p) {
        return;
    }
    history.push(p);
    if history.len() > MAX_POINTS {
        let last = history.len() - 1;
        let mut i = 0;
        history.retain(|_| {
            let keep = i % 2 == 0 || i == last;
            i += 1;
            keep
        });
    }
}

/// The chart's drawing box, in SVG user units.
pub const CHART_WIDTH: f64 = 600.0;
pub const CHART_HEIGHT: f64 = 160.0;

/// The two lines of the progress chart as SVG `points` lists (x: seconds from 0 to the time
/// limit; y: score from 0 to the highest bound seen, top is higher), with the axis ends they
/// were drawn against. Empty lines for an empty history.
#[derive(Clone, Debug, Default, serde::Serialize, PartialEq)]
pub struct ProgressChart {
    pub objective_points: String,
    pub bound_points: String,
    /// The score at the top of the chart, and the seconds at its right edge.
    pub y_max: f64,
    pub x_max: f64,
    /// The chart in one sentence, for readers who cannot see it.
    pub description: String,
}

/// Draws `history` against a run of `time_limit_seconds`. A running run passes the seconds
/// it has used so far (`until`): the allocator reports only when its plan or bound changes,
/// so the last reading is carried on to that moment, and the lines show how long it has held.
pub fn progress_chart(
    history: &[ProgressPoint],
    time_limit_seconds: f64,
    until: Option<f64>,
) -> ProgressChart {
    let finite = |v: f64| v.is_finite() && v >= 0.0;
    let mut points: Vec<ProgressPoint> = history
        .iter()
        .filter(|p| finite(p.elapsed_seconds) && finite(p.objective) && finite(p.bound))
        .copied()
        .collect();
    if let (Some(last), Some(until)) = (points.last().copied(), until.filter(|t| finite(*t)))
        && until > last.elapsed_seconds
    {
        points.push(ProgressPoint {
            elapsed_seconds: until,
            ..last
        });
    }
    let x_max = points
        .iter()
        .map(|p| p.elapsed_seconds)
        .fold(time_limit_seconds.max(0.001), f64::max);
    let y_max = points
        .iter()
        .map(|p| p.bound.max(p.objective))
        .fold(0.0, f64::max)
        .max(0.001);
    let line = |value: fn(&ProgressPoint) -> f64| {
        points
            .iter()
            .map(|p| {
                let x = p.elapsed_seconds / x_max * CHART_WIDTH;
                let y = CHART_HEIGHT - value(p) / y_max * CHART_HEIGHT;
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let description = match (points.first(), points.last()) {
        (Some(first), Some(last)) => format!(
            "Over {:.1} seconds the best plan's score went from {:.1} to {:.1}, and the proven \
             bound from {:.1} down to {:.1}.",
            last.elapsed_seconds, first.objective, last.objective, first.bound, last.bound
        ),
        _ => "No progress has been reported yet.".into(),
    };
    ProgressChart {
        objective_points: line(|p| p.objective),
        bound_points: line(|p| p.bound),
        y_max,
        x_max,
        description,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(t: f64, o: f64, b: f64) -> ProgressPoint {
        ProgressPoint {
            elapsed_seconds: t,
            objective: o,
            bound: b,
        }
    }

    #[test]
    fn history_is_thinned_to_the_cap_and_keeps_the_first_and_the_newest() {
        let mut h = vec![];
        for i in 0..1000 {
            record(&mut h, pt(i as f64 * 0.5, i as f64, 2000.0 - i as f64));
        }
        assert!(h.len() <= MAX_POINTS, "{}", h.len());
        assert!(h.len() >= MAX_POINTS / 2);
        assert_eq!(h[0].elapsed_seconds, 0.0);
        assert_eq!(h.last().map(|p| p.objective), Some(999.0));
        assert!(
            h.windows(2)
                .all(|w| w[0].elapsed_seconds < w[1].elapsed_seconds)
        );
    }

    #[test]
    fn a_repeated_reading_is_kept_once() {
        let mut h = vec![];
        record(&mut h, pt(1.0, 5.0, 9.0));
        record(&mut h, pt(1.0, 5.0, 9.0));
        assert_eq!(h.len(), 1);
    }

    #[test]
    fn the_lines_span_the_box_against_the_time_limit_and_the_highest_bound() {
        let c = progress_chart(&[pt(0.0, 0.0, 200.0), pt(5.0, 100.0, 150.0)], 10.0, None);
        assert_eq!(c.bound_points, "0.0,0.0 300.0,40.0");
        assert_eq!(c.objective_points, "0.0,160.0 300.0,80.0");
        assert_eq!((c.x_max, c.y_max), (10.0, 200.0));
        assert!(
            c.description.contains("from 0.0 to 100.0"),
            "{}",
            c.description
        );
        assert!(c.description.contains("from 200.0 down to 150.0"));
    }

    #[test]
    fn a_running_plan_carries_its_last_reading_to_now() {
        let c = progress_chart(&[pt(0.0, 50.0, 100.0)], 10.0, Some(5.0));
        assert_eq!(c.objective_points, "0.0,80.0 300.0,80.0");
        assert!(
            c.description.starts_with("Over 5.0 seconds"),
            "{}",
            c.description
        );
        // Not backwards: a reading newer than `until` is the end.
        let c = progress_chart(&[pt(6.0, 50.0, 100.0)], 10.0, Some(5.0));
        assert_eq!(c.objective_points, "360.0,80.0");
    }

    #[test]
    fn nonsense_readings_are_not_drawn_and_an_empty_history_says_so() {
        let c = progress_chart(
            &[pt(f64::NAN, 1.0, 2.0), pt(1.0, f64::INFINITY, 2.0)],
            0.0,
            Some(3.0),
        );
        assert_eq!(c.objective_points, "");
        assert_eq!(c.description, "No progress has been reported yet.");
    }
}
