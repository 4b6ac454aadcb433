//! The words of push notifications in each device's language (X3): Fluent resources under
//! `crates/server/locales/<lang>/push.ftl`, the app's languages.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;

/// A language pushes are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    En,
    Ru,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Ru];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
        }
    }

    /// A stored or requested code; `None` for a language the app does not speak.
    pub fn parse(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    fn source(self) -> &'static str {
        match self {
            Language::En => include_str!("../locales/en/push.ftl"),
            Language::Ru => include_str!("../locales/ru/push.ftl"),
        }
    }
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| Language::ALL.map(bundle));

fn bundle(language: Language) -> FluentBundle<FluentResource> {
    let id = language.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(language.source().to_owned()).unwrap_or_else(|(r, _)| r);
    let _ = bundle.add_resource(resource);
    bundle
}

/// The message `key` in `language` (English when missing, which the tests forbid).
pub fn text(language: Language, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let format = |language: Language| {
        let bundle = &BUNDLES[language as usize];
        let pattern = bundle.get_message(key)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = vec![];
        Some(
            bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned(),
        )
    };
    format(language)
        .or_else(|| format(Language::En))
        .unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids a resource defines (each starts a line: `id = …`).
    fn ids(language: Language) -> Vec<String> {
        FluentResource::try_new(language.source().to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{language:?}: {errors:?}"));
        language
            .source()
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id))
            .filter(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn both_languages_have_every_push_text() {
        assert_eq!(ids(Language::En), ids(Language::Ru));
        for id in ids(Language::En) {
            assert_ne!(
                text(Language::En, &id, &[]),
                text(Language::Ru, &id, &[]),
                "{id} is not translated"
            );
        }
    }

    #[test]
    fn russian_counts_take_their_plural_forms() {
        let count = |n: u32| {
            text(
                Language::Ru,
                "push-new-messages",
                &[("count", n.into()), ("text", "Привет".into())],
            )
        };
        assert_eq!(count(2), "2 новых сообщения · Привет");
        assert_eq!(count(5), "5 новых сообщений · Привет");
        assert_eq!(count(21), "21 новое сообщение · Привет");
    }
}
