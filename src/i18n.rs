//! The UI's words in English and Russian: Fluent resources under `locales/<lang>/`, the
//! language in use, and dates written in it.
//!
//! Every visible string goes through [`tr!`](crate::tr): `tr!("app-reload")` or
//! `tr!("inbox-notification-new-messages", count = 3)`. Plurals, genders and word order live
//! in the `.ftl` files (Russian needs one/few/many: 1 сообщение, 2 сообщения, 5 сообщений),
//! so code never builds sentences. The language is chosen by the member (kept on this device) and defaults to the
//! browser's. A test fails when a key is missing in either language.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use std::cell::{Cell, RefCell};
use unic_langid::LanguageIdentifier;

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The BCP 47 code (`<html lang>`, the stored choice).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language's name in itself, as a picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ru => "Русский",
        }
    }

    /// Reads a stored code or a browser's language tag ("ru-RU", "en-GB").
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first of the browser's preferred languages the UI speaks; English otherwise.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::parse).unwrap_or_default()
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Ru => 1,
        }
    }
}

/// `(file, English source, Russian source)` of resources, compiled in.
#[cfg(any(test, not(feature = "split")))]
macro_rules! compiled {
    ($($name:literal),+) => {
        &[$(($name,
             include_str!(concat!("../locales/en/", $name, ".ftl")),
             include_str!(concat!("../locales/ru/", $name, ".ftl")))),+]
    };
}

/// The areas the first screens use (the list, its menus, signing in). Their English is always
/// compiled in; the release build fetches their Russian before the app starts in Russian
/// (`later::first`), so an English first load does not carry it.
macro_rules! first_areas {
    ($($name:literal),+ $(,)?) => {
        /// The first areas' files.
        pub const FIRST_AREAS: &[&str] = &[$($name),+];

        /// The first areas' English, without its comments (they are for translators; the
        /// app carries every byte of this text in its first load).
        pub const FIRST_EN: &[&str] = &[$({
            const TEXT: &str = include_str!(concat!("../locales/en/", $name, ".ftl"));
            const BYTES: [u8; uncommented_len(TEXT)] = uncommented(TEXT);
            match core::str::from_utf8(&BYTES) {
                Ok(text) => text,
                Err(_) => panic!("a comment line was cut inside a character"),
            }
        }),+];

        /// The first areas' resources in both languages, where both are compiled in.
        #[cfg(any(test, not(feature = "split")))]
        pub const FIRST: &[(&str, &str, &str)] = compiled!($($name),+);

        /// Changes whenever a first area's Russian does: the fetched files' version.
        pub const FIRST_VERSION: u64 = fnv1a(&[
            $(include_str!(concat!("../locales/ru/", $name, ".ftl"))),+
        ]);
    };
}

first_areas!("common", "system", "login", "inbox", "actions");

/// The areas only the app's parts use (`crate::chunks`). The release build fetches them
/// with the first part, in the language in use (`later`); elsewhere they are compiled in.
/// Adding a file to either list is all a new area needs.
macro_rules! later_areas {
    ($($name:literal),+ $(,)?) => {
        /// The later areas' files.
        pub const LATER_AREAS: &[&str] = &[$($name),+];

        /// The later areas' resources, compiled in where nothing is fetched.
        #[cfg(any(test, not(feature = "split")))]
        pub const LATER: &[(&str, &str, &str)] = compiled!($($name),+);

        /// Changes whenever a later area's text does: the fetched files' version, so a cached
        /// old file never meets a newer app (only the number is compiled in).
        pub const LATER_VERSION: u64 = fnv1a(&[
            $(include_str!(concat!("../locales/en/", $name, ".ftl")),
              include_str!(concat!("../locales/ru/", $name, ".ftl"))),+
        ]);
    };
}

later_areas!(
    "thread",
    "composer",
    "contacts",
    "settings",
    "channels",
    "chat",
    "shortcuts"
);

/// FNV-1a over texts, at compile time.
/// Each line of a Fluent file: `(start, end)` of the line and whether it is a comment
/// (`#`, `##` or `###` at the start of a line; text lines of a message are indented, so never
/// start with `#`). `end` includes the line's `\n`.
const fn next_line(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut end = start;
    while end < bytes.len() && bytes[end] != b'\n' {
        end += 1;
    }
    if end < bytes.len() {
        end += 1;
    }
    (end, bytes[start] == b'#')
}

/// The length of `text` without its comment lines.
const fn uncommented_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut start, mut len) = (0, 0);
    while start < bytes.len() {
        let (end, comment) = next_line(bytes, start);
        if !comment {
            len += end - start;
        }
        start = end;
    }
    len
}

/// `text` without its comment lines (`N` is [`uncommented_len`]).
const fn uncommented<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    let mut out = [0u8; N];
    let (mut start, mut at) = (0, 0);
    while start < bytes.len() {
        let (end, comment) = next_line(bytes, start);
        if !comment {
            let mut i = start;
            while i < end {
                out[at] = bytes[i];
                at += 1;
                i += 1;
            }
        }
        start = end;
    }
    out
}

pub(crate) const fn fnv1a(texts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut t = 0;
    while t < texts.len() {
        let bytes = texts[t].as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
            i += 1;
        }
        t += 1;
    }
    hash
}

/// Every resource compiled in.
#[cfg(any(test, not(feature = "split")))]
pub fn resources() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    FIRST.iter().chain(LATER)
}

#[cfg(feature = "split")]
mod later;
#[cfg(feature = "split")]
pub use later::{complete, first, is_complete};

/// Whether `lang` has every area: always, where they are compiled in.
#[cfg(not(feature = "split"))]
pub fn is_complete(_lang: Lang) -> bool {
    true
}

/// Gives `lang` the first screens' words; they are compiled in here.
#[cfg(not(feature = "split"))]
pub async fn first(_lang: Lang) -> Result<(), crate::chunks::Unavailable> {
    Ok(())
}

/// Gives `lang` every area; they are compiled in here.
#[cfg(not(feature = "split"))]
pub async fn complete(_lang: Lang) -> Result<(), crate::chunks::Unavailable> {
    Ok(())
}

type Bundle = FluentBundle<FluentResource>;

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
    static BUNDLES: RefCell<[Option<Bundle>; 2]> = const { RefCell::new([None, None]) };
}

/// Builds a language's bundle from its sources. Syntax errors are reported by the tests; at
/// run time the readable messages are still used.
pub fn bundle(lang: Lang) -> Bundle {
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![id]);
    // No Unicode isolation marks around placeables: names stay searchable and copyable.
    bundle.set_use_isolating(false);
    #[cfg(not(feature = "split"))]
    for (_, en, ru) in resources() {
        add_source(&mut bundle, if lang == Lang::En { en } else { ru });
    }
    // Russian comes with `later::first`.
    #[cfg(feature = "split")]
    if lang == Lang::En {
        for en in FIRST_EN {
            add_source(&mut bundle, en);
        }
    }
    bundle
}

fn add_source(bundle: &mut Bundle, source: &str) {
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
    // A key twice is reported by the tests; the first one wins here.
    let _ = bundle.add_resource(resource);
}

/// Runs `f` on a language's bundle, built when first asked for.
fn with_bundle<R>(lang: Lang, f: impl FnOnce(&mut Bundle) -> R) -> R {
    BUNDLES.with(|bundles| {
        let mut bundles = bundles.borrow_mut();
        f(bundles[lang.index()].get_or_insert_with(|| bundle(lang)))
    })
}

/// The language in use.
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

/// Changes the language in use (the app then renders again).
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// A message in the language in use: the key itself when neither language has it (which the
/// tests forbid), English when only Russian lacks it.
pub fn tr_args(key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let lang = lang();
    format_in(lang, key, args)
        .or_else(|| {
            (lang != Lang::En)
                .then(|| format_in(Lang::En, key, args))
                .flatten()
        })
        .unwrap_or_else(|| key.to_owned())
}

/// A message in a given language, if that language has it.
pub fn format_in(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
    with_bundle(lang, |bundle| {
        let (message_key, attribute) = match key.split_once('.') {
            Some((m, a)) => (m, Some(a)),
            None => (key, None),
        };
        let message = bundle.get_message(message_key)?;
        let pattern = match attribute {
            Some(a) => message.get_attribute(a)?.value(),
            None => message.value()?,
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        Some(text.into_owned())
    })
}

/// A message by key in the language in use; see [`tr!`](crate::tr) for literal keys.
pub fn tr_key(key: &str) -> String {
    tr_args(key, &[])
}

/// `tr!("key")` or `tr!("key", name = value, …)`: the message in the language in use.
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::tr_args($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::tr_args(
            $key,
            &[$((stringify!($name), $crate::i18n::arg($value))),+],
        )
    };
}

/// A value for a placeable: numbers pick plural forms, text is inserted as it is.
pub fn arg<'a>(value: impl Into<Arg<'a>>) -> FluentValue<'a> {
    value.into().0
}

/// What [`arg`] accepts.
pub struct Arg<'a>(FluentValue<'a>);

macro_rules! number_args {
    ($($t:ty),+) => {$(
        impl<'a> From<$t> for Arg<'a> {
            fn from(n: $t) -> Self {
                Arg(FluentValue::from(n))
            }
        }
    )+};
}
number_args!(usize, u32, u64, i32, i64);

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg(FluentValue::from(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg(FluentValue::from(s.as_str()))
    }
}

impl<'a> From<String> for Arg<'a> {
    fn from(s: String) -> Self {
        Arg(FluentValue::from(s))
    }
}

/// A month's short name (1 = January) as it stands after a day number ("12 Mar", "12 мар.").
pub fn month_short(month: u32) -> String {
    tr_key(&format!("month-short-{month}"))
}

/// A weekday's short name (1 = Monday).
pub fn weekday_short(day: u32) -> String {
    tr_key(&format!("weekday-short-{day}"))
}

#[cfg(test)]
mod tests;
