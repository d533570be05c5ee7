//! Times as text, in the agent's time zone and the console's language:
//! `HH:MM` today; on another day `D Mon HH:MM`, in Chinese `M月D日 HH:MM`.

use wasm_bindgen::JsValue;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `HH:MM`.
pub fn time(ms: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// `HH:MM` today, the day and `HH:MM` on another day.
pub fn when(ms: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    let today = js_sys::Date::new_0();
    let same_day = d.get_full_year() == today.get_full_year()
        && d.get_month() == today.get_month()
        && d.get_date() == today.get_date();
    if same_day {
        time(ms)
    } else {
        let month = (d.get_month() as usize).min(11);
        match crate::i18n::current() {
            crate::i18n::Locale::En => format!("{} {} {}", d.get_date(), MONTHS[month], time(ms)),
            crate::i18n::Locale::ZhCn => format!("{}月{}日 {}", month + 1, d.get_date(), time(ms)),
        }
    }
}
