//! The resources are complete and correct in both languages: a missing, extra or untranslated
//! key, a mismatched placeable or a broken plural fails here.

use super::*;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Keys formed at run time from a prefix (their family is checked whole below).
const DYNAMIC_PREFIXES: &[&str] = &["month-short-", "weekday-short-"];

/// Words that are the same in both languages (names of products and formats).
const SAME_IN_BOTH: &[&str] = &[
    "WhatsApp",
    "Telegram",
    "TikTok",
    "Markdown",
    "Switchboard",
    "HTML",
    "OK",
    "E-mail",
    "URL",
    "HubSpot",
    "Salesforce",
    "Dialogflow",
];

/// Each message's (and attribute's) placeables: `key` or `key.attribute` → variable names.
fn messages(source: &str, file: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{file}: syntax errors {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(m) => {
                let id = m.id.name.to_owned();
                if let Some(value) = &m.value {
                    out.insert(id.clone(), variables(value));
                }
                for a in &m.attributes {
                    out.insert(format!("{id}.{}", a.id.name), variables(&a.value));
                }
            }
            Entry::Term(t) => panic!("{file}: terms are not used (-{})", t.id.name),
            Entry::Junk { content } => panic!("{file}: unreadable entry {content:?}"),
            _ => {}
        }
    }
    out
}

fn variables(pattern: &Pattern<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect(pattern, &mut out);
    out
}

fn collect(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_variables(inline, out),
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for v in variants {
                collect(&v.value, out);
            }
        }
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        InlineExpression::FunctionReference { arguments, .. } => {
            for p in &arguments.positional {
                inline_variables(p, out);
            }
        }
        _ => {}
    }
}

/// Every key the sources name in `tr!("…")`.
fn used_keys() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("i18n/tests.rs")
            {
                for key in keys_named_in(&path) {
                    out.insert(key, path.display().to_string());
                }
            }
        }
    }
    out
}

/// The keys a source file names in `tr!("…")`.
fn keys_named_in(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read source");
    // Doc and line comments only describe keys.
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut keys = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("tr!(") {
        rest = rest[at + 4..].trim_start();
        if let Some(literal) = rest.strip_prefix('"') {
            let key = &literal[..literal.find('"').expect("closing quote")];
            let is_key = key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
            if is_key && !key.is_empty() {
                keys.push(key.to_owned());
            }
        }
    }
    keys
}

#[test]
fn every_area_is_compiled_in_or_fetched_later() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("read locales")
        .map(|e| e.expect("entry").path())
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
        .collect();
    files.sort();
    let mut areas: Vec<String> = FIRST
        .iter()
        .map(|(file, _, _)| *file)
        .chain(LATER_AREAS.iter().copied())
        .map(str::to_owned)
        .collect();
    areas.sort();
    assert_eq!(files, areas);
    assert_eq!(
        LATER.iter().map(|(file, _, _)| *file).collect::<Vec<_>>(),
        LATER_AREAS
    );
}

#[test]
fn the_first_screens_name_only_words_that_are_compiled_in() {
    let first: BTreeSet<String> = FIRST
        .iter()
        .flat_map(|(file, en, _)| messages(en, file).into_keys())
        .collect();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in crate::chunks::FIRST_SCREENS {
        for key in keys_named_in(&src.join(file)) {
            assert!(
                first.contains(&key),
                "{file} names `{key}`, whose area is fetched later: move it to a first area"
            );
        }
    }
}

#[test]
fn both_languages_have_every_key_with_the_same_placeables() {
    let mut seen = BTreeMap::new();
    for (file, en, ru) in resources() {
        let en = messages(en, &format!("en/{file}.ftl"));
        let ru = messages(ru, &format!("ru/{file}.ftl"));
        let missing_ru: Vec<_> = en.keys().filter(|k| !ru.contains_key(*k)).collect();
        let missing_en: Vec<_> = ru.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            missing_ru.is_empty(),
            "{file}.ftl: missing in Russian: {missing_ru:?}"
        );
        assert!(
            missing_en.is_empty(),
            "{file}.ftl: missing in English: {missing_en:?}"
        );
        for (key, vars) in &en {
            assert_eq!(
                vars, &ru[key],
                "{file}.ftl: {key} uses different placeables in English and Russian"
            );
            if let Some(other) = seen.insert(key.clone(), *file) {
                panic!("{key} is in both {other}.ftl and {file}.ftl");
            }
        }
    }
}

#[test]
fn every_key_the_code_names_exists_and_every_key_is_used() {
    let used = used_keys();
    let english: BTreeSet<String> = resources()
        .flat_map(|(file, en, _)| messages(en, file).into_keys())
        .collect();
    for (key, file) in &used {
        assert!(
            english.contains(key),
            "{file} names `{key}`, which no resource has"
        );
    }
    for key in &english {
        let dynamic = DYNAMIC_PREFIXES.iter().any(|p| key.starts_with(p));
        let attribute_of_used = key
            .split_once('.')
            .is_some_and(|(m, _)| used.contains_key(m));
        assert!(
            dynamic || attribute_of_used || used.contains_key(key),
            "`{key}` is in the resources but no code uses it"
        );
    }
}

/// The text with `{…}` (placeables left unfilled) taken out.
fn without_placeables(text: &str) -> String {
    let mut depth = 0;
    text.chars()
        .filter(|c| {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

#[test]
fn russian_is_translated_not_copied() {
    for (file, en, _) in resources() {
        let en_messages = messages(en, file);
        for key in en_messages.keys() {
            let english = format_in(Lang::En, key, &[]).unwrap_or_default();
            let russian = format_in(Lang::Ru, key, &[]).unwrap_or_default();
            let has_words = without_placeables(&english)
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .count()
                >= 3;
            if has_words && english == russian {
                assert!(
                    SAME_IN_BOTH.iter().any(|w| english.contains(w)),
                    "{file}.ftl: `{key}` reads the same in Russian: {english:?}"
                );
            }
        }
    }
}

#[test]
fn dynamic_key_families_are_complete() {
    for lang in Lang::ALL {
        for month in 1..=12 {
            assert!(format_in(lang, &format!("month-short-{month}"), &[]).is_some());
        }
        for day in 1..=7 {
            assert!(format_in(lang, &format!("weekday-short-{day}"), &[]).is_some());
        }
    }
}

#[test]
fn russian_plurals_take_one_few_and_many() {
    let count = |lang: Lang, n: usize| {
        format_in(
            lang,
            "inbox-notification-new-messages",
            &[("count", arg(n))],
        )
        .unwrap()
    };
    assert_eq!(count(Lang::Ru, 1), "1 новое сообщение");
    assert_eq!(count(Lang::Ru, 2), "2 новых сообщения");
    assert_eq!(count(Lang::Ru, 5), "5 новых сообщений");
    assert_eq!(count(Lang::Ru, 11), "11 новых сообщений");
    assert_eq!(count(Lang::Ru, 21), "21 новое сообщение");
    assert_eq!(count(Lang::Ru, 24), "24 новых сообщения");
    assert_eq!(count(Lang::Ru, 0), "0 новых сообщений");
    assert_eq!(count(Lang::En, 1), "1 new message");
    assert_eq!(count(Lang::En, 2), "2 new messages");
}

#[test]
fn the_language_comes_from_the_choice_or_the_browser() {
    assert_eq!(Lang::parse("ru-RU"), Some(Lang::Ru));
    assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
    assert_eq!(Lang::parse("de"), None);
    assert_eq!(Lang::from_preferences(["de-DE", "ru", "en"]), Lang::Ru);
    assert_eq!(Lang::from_preferences(["fr"]), Lang::En);
    assert_eq!(Lang::from_preferences([]), Lang::En);
}

#[test]
fn a_missing_russian_message_falls_back_to_english_and_a_missing_key_shows_itself() {
    set_lang(Lang::Ru);
    assert_eq!(tr_key("no-such-key"), "no-such-key");
    assert_eq!(tr!("time-minutes", minutes = 3), "3 мин");
    set_lang(Lang::En);
    assert_eq!(tr!("time-minutes", minutes = 3), "3 min");
}

#[test]
fn the_thumbs_down_is_named_for_what_it_judges() {
    // The thumbs-down judges a draft; «Не нравится» ("I don't like it") says nothing of it.
    let bad = format_in(Lang::Ru, "composer-ai-rate-bad", &[]).unwrap();
    assert_eq!(bad, "Неудачный черновик");
    assert_ne!(bad, "Не нравится");
    assert_eq!(
        format_in(Lang::En, "composer-ai-rate-bad", &[]).as_deref(),
        Some("Poor draft")
    );
}

/// Every message and term of a resource as Fluent reads it, without the comments.
fn entries(source: &str) -> Vec<String> {
    let resource = fluent_syntax::parser::parse(source).expect("a valid resource");
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some(format!("{}={:?}{:?}", m.id.name, m.value, m.attributes)),
            Entry::Term(t) => Some(format!("-{}={:?}{:?}", t.id.name, t.value, t.attributes)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_compiled_in_english_is_its_files_without_their_comments() {
    let mut stripped = 0;
    for (area, compiled) in FIRST_AREAS.iter().zip(FIRST_EN) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/en/{area}.ftl"));
        let file = std::fs::read_to_string(&path).expect("the file");
        assert!(
            !compiled.lines().any(|l| l.starts_with('#')),
            "{area}: a comment is left"
        );
        assert_eq!(
            entries(compiled),
            entries(&file),
            "{area}: the same messages"
        );
        assert!(!entries(compiled).is_empty(), "{area}");
        stripped += file.len() - compiled.len();
    }
    assert!(stripped > 0, "the files have comments to leave out");
}

#[test]
fn comment_lines_are_cut_whole_wherever_they_are() {
    const TEXT: &str = "# top\nhello = Hello\n## group\nbye =\n    Bye\n    # not a comment\n#last";
    const BYTES: [u8; uncommented_len(TEXT)] = uncommented(TEXT);
    assert_eq!(
        std::str::from_utf8(&BYTES),
        Ok("hello = Hello\nbye =\n    Bye\n    # not a comment\n")
    );
    assert_eq!(uncommented_len(""), 0);
    assert_eq!(uncommented_len("# only a comment"), 0);
}
