//! Business hours per site: an IANA time zone and, per weekday, a list of
//! `HH:MM-HH:MM` ranges (a day not listed is closed; no hours at all = always
//! open). Pure: the caller passes "now" from the injectable clock in `AppState`.

use crate::error::Invalid;
use chrono::{DateTime, Datelike, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use kefu_protocol::FieldWhy;

/// Injectable "now", so tests can be out of hours deterministically.
pub type Clock = std::sync::Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    std::sync::Arc::new(Utc::now)
}

/// The data type is the protocol's (the console edits it); its rules are here.
pub use kefu_protocol::site::BusinessHours;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The rules of [`BusinessHours`]: which are valid, and when a site is open.
pub trait HoursExt {
    /// Check the zone, the day names and every range; the field and the
    /// message name the bad part.
    fn validate(&self) -> Result<(), Invalid>;
    /// Whether `now` falls inside one of the ranges of its local weekday.
    fn is_open(&self, now: DateTime<Utc>) -> bool;
}

impl HoursExt for BusinessHours {
    fn validate(&self) -> Result<(), Invalid> {
        zone(self).map_err(|_| {
            let value = self.timezone.clone();
            Invalid::because("businessHours.timezone", FieldWhy::TimeZone { value })
        })?;
        for (day, ranges) in &self.weekly {
            if !DAYS.contains(&day.as_str()) {
                let value = day.clone();
                return Err(Invalid::because(
                    "businessHours.weekly",
                    FieldWhy::Day { value },
                ));
            }
            for range in ranges {
                parse_range(range).map_err(|_| {
                    let value = range.clone();
                    Invalid::because(format!("businessHours.{day}"), FieldWhy::Hours { value })
                })?;
            }
        }
        Ok(())
    }

    /// Whether `now` falls inside one of the ranges of its local weekday.
    fn is_open(&self, now: DateTime<Utc>) -> bool {
        let Ok(zone) = zone(self) else { return true };
        let local = now.with_timezone(&zone);
        let day = DAYS[local.weekday().num_days_from_monday() as usize];
        let time = local.time();
        self.weekly.get(day).into_iter().flatten().any(|r| {
            parse_range(r).is_ok_and(|(from, to)| time >= from && to.is_none_or(|to| time < to))
        })
    }
}

/// The hours' IANA zone.
fn zone(hours: &BusinessHours) -> Result<Tz, String> {
    hours
        .timezone
        .parse::<Tz>()
        .map_err(|_| format!("businessHours: unknown time zone `{}`", hours.timezone))
}

/// `HH:MM-HH:MM` with start < end; the end `None` stands for `24:00`.
fn parse_range(range: &str) -> Result<(NaiveTime, Option<NaiveTime>), String> {
    let bad = || format!("`{range}` is not a range like 09:00-18:00");
    let (from, to) = range.split_once('-').ok_or_else(bad)?;
    let from = NaiveTime::parse_from_str(from.trim(), "%H:%M").map_err(|_| bad())?;
    let to = match to.trim() {
        "24:00" => None,
        t => Some(NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| bad())?),
    };
    if to.is_some_and(|to| to <= from) {
        return Err(format!("`{range}`: the end must be after the start"));
    }
    Ok((from, to))
}

/// Monday = 0 (for tests and docs).
pub fn weekday_name(day: Weekday) -> &'static str {
    DAYS[day.num_days_from_monday() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn hours(json: &str) -> BusinessHours {
        serde_json::from_str(json).expect("parses")
    }

    #[test]
    fn open_and_closed_in_the_sites_zone() {
        let h = hours(r#"{"timezone":"Asia/Shanghai","weekly":{"mon":["09:00-18:00"]}}"#);
        assert!(h.validate().is_ok());
        // Monday 2026-11-23 02:00 UTC = 10:00 in Shanghai.
        let open = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        assert!(h.is_open(open));
        // 11:00 UTC = 19:00 in Shanghai.
        assert!(!h.is_open(Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap()));
        // Tuesday: not listed, closed.
        assert!(!h.is_open(Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap()));
        assert_eq!(weekday_name(Weekday::Mon), "mon");
    }

    #[test]
    fn validation_names_the_problem() {
        let e = hours(r#"{"timezone":"Mars/Olympus","weekly":{}}"#)
            .validate()
            .unwrap_err();
        assert!(e.contains("Mars/Olympus"), "{e}");
        let e = hours(r#"{"timezone":"UTC","weekly":{"mon":["18:00-09:00"]}}"#)
            .validate()
            .unwrap_err();
        assert!(e.contains("mon"), "{e}");
        let e = hours(r#"{"timezone":"UTC","weekly":{"mon":["25:00-26:00"]}}"#)
            .validate()
            .unwrap_err();
        assert!(e.contains("25:00"), "{e}");
        let e = hours(r#"{"timezone":"UTC","weekly":{"funday":[]}}"#)
            .validate()
            .unwrap_err();
        assert!(e.contains("funday"), "{e}");
        assert!(
            hours(r#"{"timezone":"UTC","weekly":{"sun":["00:00-24:00"]}}"#)
                .validate()
                .is_ok()
        );
    }
}
