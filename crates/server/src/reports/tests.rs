//! The arithmetic of reports: days in a time zone, nearest-rank percentiles,
//! what counts where, the CSV.

use super::*;

fn date(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn ms(tz: Tz, local: &str) -> i64 {
    let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("a time");
    tz.from_local_datetime(&t)
        .single()
        .expect("one instant")
        .timestamp_millis()
}

#[test]
fn a_range_is_whole_days_in_its_zone_and_at_most_a_year() {
    let tz: Tz = "Asia/Shanghai".parse().expect("zone");
    let r = Range::new(date("2026-11-30"), date("2026-12-01"), tz).expect("a range");
    assert_eq!(r.days().count(), 2);
    let (start, end) = r.bounds_ms();
    assert_eq!(start, ms(tz, "2026-11-30 00:00"));
    assert_eq!(end, ms(tz, "2026-12-02 00:00"));
    // 23:30 UTC on the 30th is the 1st in Shanghai.
    let late = ms(chrono_tz::UTC, "2026-11-30 23:30");
    assert_eq!(r.index(late), Some(1));
    assert_eq!(r.index(end), None, "the end is not in it");
    assert!(Range::new(date("2026-12-02"), date("2026-12-01"), tz).is_none());
    assert!(Range::new(date("2026-01-01"), date("2027-01-01"), tz).is_some());
    assert!(Range::new(date("2026-01-01"), date("2027-01-02"), tz).is_none());
}

#[test]
fn a_day_that_starts_in_a_gap_starts_when_the_gap_ends() {
    // Chile moves its clocks from 00:00 to 01:00 on a September Sunday.
    let tz: Tz = "America/Santiago".parse().expect("zone");
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("a time");
    let gap = date("2026-01-01")
        .iter_days()
        .take(365)
        .find(|d| tz.from_local_datetime(&midnight(*d)).earliest().is_none())
        .expect("a day without a midnight in 2026");
    let r = Range::new(gap, gap, tz).expect("a range");
    let (start, end) = r.bounds_ms();
    let one = gap.and_hms_opt(1, 0, 0).expect("a time");
    assert_eq!(
        start,
        tz.from_local_datetime(&one)
            .single()
            .expect("01:00")
            .timestamp_millis()
    );
    assert_eq!(end - start, 23 * 3600 * 1000, "a 23-hour day");
}

#[test]
fn percentiles_are_nearest_rank() {
    assert_eq!(percentile(&[], 0.5), None);
    assert_eq!(percentile(&[7], 0.9), Some(7));
    let v: Vec<i64> = (1..=10).collect();
    assert_eq!(percentile(&v, 0.5), Some(5), "the lower middle");
    assert_eq!(percentile(&v, 0.9), Some(9));
    assert_eq!(percentile(&[1, 2, 3], 0.5), Some(2));
}

#[test]
fn sessions_left_messages_ratings_and_the_bot_add_up_by_day() {
    let tz = chrono_tz::UTC;
    let r = Range::new(date("2026-12-01"), date("2026-12-03"), tz).expect("a range");
    let t = |s: &str| ms(tz, s);
    let session = |created: &str| SessionFacts {
        created_at: t(created),
        conversation_id: format!("c_{created}"),
        ..SessionFacts::default()
    };
    let sessions = vec![
        // The bot alone.
        session("2026-12-01 09:00"),
        // Served: asked at 10:00, first reply after 30 s, ended after 10 min, 5 stars.
        SessionFacts {
            queued_at: Some(t("2026-12-01 10:00")),
            served: true,
            first_reply_at: Some(t("2026-12-01 10:00") + 30_000),
            ended_at: Some(t("2026-12-01 10:10")),
            stars: Some(5),
            comment: Some("Quick and kind".into()),
            ..session("2026-12-01 09:59")
        },
        // Served the next day: 90 s, 20 min, 2 stars without a comment.
        SessionFacts {
            queued_at: Some(t("2026-12-02 10:00")),
            served: true,
            first_reply_at: Some(t("2026-12-02 10:00") + 90_000),
            ended_at: Some(t("2026-12-02 10:20")),
            stars: Some(2),
            comment: Some("  ".into()),
            ..session("2026-12-02 09:00")
        },
        // Asked, nobody came.
        SessionFacts {
            queued_at: Some(t("2026-12-03 10:00")),
            ..session("2026-12-03 09:00")
        },
        // Outside the range.
        SessionFacts {
            stars: Some(1),
            ..session("2026-12-04 09:00")
        },
    ];
    let left = [
        t("2026-12-03 08:00"),
        t("2026-12-03 09:00"),
        t("2026-11-30 23:59"),
    ];
    let bot = BotFacts {
        answered: 6,
        suggested: 1,
        unanswered: 1,
    };
    let missed = vec![MissFacts {
        question: "do you ship to wales".into(),
        times: 3,
        last_at: t("2026-12-02 12:00"),
    }];
    let report = build(&r, &sessions, &left, bot, missed);

    let days: Vec<_> = report
        .days
        .iter()
        .map(|d| (d.date.as_str(), d.counts))
        .collect();
    let c = |conversations, queued, served, left_messages, ratings| Counts {
        conversations,
        queued,
        served,
        left_messages,
        ratings,
    };
    assert_eq!(
        days,
        vec![
            ("2026-12-01", c(2, 1, 1, 0, 1)),
            ("2026-12-02", c(1, 1, 1, 0, 1)),
            ("2026-12-03", c(1, 1, 0, 2, 0)),
        ]
    );
    assert_eq!(report.totals, c(4, 3, 2, 2, 2));
    assert_eq!(report.days[0].first_response_median_ms, Some(30_000));
    assert_eq!(report.days[2].first_response_median_ms, None);
    assert_eq!(
        report.first_response,
        Durations {
            count: 2,
            median_ms: Some(30_000),
            p90_ms: Some(90_000)
        }
    );
    assert_eq!(report.resolution.median_ms, Some(600_000));
    assert_eq!(report.resolution.p90_ms, Some(1_200_000));
    assert_eq!(report.csat.count, 2);
    assert_eq!(report.csat.average, Some(3.5));
    assert_eq!(report.csat.distribution, [0, 1, 0, 0, 1]);
    assert_eq!(report.csat.comments.len(), 1, "a blank comment is none");
    assert_eq!(report.csat.comments[0].comment, "Quick and kind");
    assert_eq!(
        (report.bot.replies, report.bot.answer_rate),
        (8, Some(0.75))
    );
    assert_eq!(report.bot.missed[0].times, 3);

    let csv = to_csv(&report);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "date,conversations,queued,served,left_messages,ratings,average_stars,first_response_median_s"
    );
    assert_eq!(lines[1], "2026-12-01,2,1,1,0,1,5.00,30.0");
    assert_eq!(lines[3], "2026-12-03,1,1,0,2,0,,");
    assert_eq!(lines.len(), 5, "three days and the final line break");
}
