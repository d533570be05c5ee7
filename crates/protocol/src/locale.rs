//! [`Locale`]: the two languages Kefu writes for people (the service's stored
//! texts for visitors, the console for agents, the agents' previews), and how a
//! BCP 47 tag maps to one: any Chinese (`zh`, `zh-CN`, `zh-TW`, `zh_Hans`) is
//! Simplified Chinese, anything else English.

/// A language Kefu writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Locale {
    /// Both, in the order a picker lists them.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// The locale of a BCP 47 tag (a `hello`'s `locale`, `navigator.language`,
    /// a stored pick): primary subtag `zh` (any case) is zh-CN, else English.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Locale::ZhCn
        } else {
            Locale::En
        }
    }

    /// The canonical tag (`en`, `zh-CN`).
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The language's name in itself (a picker shows each so).
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn a_tag_maps_to_its_locale() {
        for tag in ["zh", "zh-CN", "ZH-tw", "zh_Hans_CN", " zh-HK "] {
            assert_eq!(Locale::from_tag(tag), Locale::ZhCn, "{tag}");
        }
        for tag in ["", "en", "en-US", "de-DE", "zhx", "x-zh"] {
            assert_eq!(Locale::from_tag(tag), Locale::En, "{tag}");
        }
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), l);
        }
    }
}
