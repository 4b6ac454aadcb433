//! WhatsApp message templates (CH, K2): what Meta approved for a business, with the
//! variables of their body, and a template chosen for sending. Outside the 24-hour window a
//! WhatsApp contact can only be written to with one. Placeholders are `{{1}}`, `{{2}}`… or
//! named (`{{order_id}}`); both are filled here the same way the contact will see them.

use serde::{Deserialize, Serialize};

/// The longest value a template variable takes, in characters.
pub const MAX_TEMPLATE_VALUE: usize = 1024;

/// An approved template an agent can send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageTemplate {
    pub name: String,
    /// Its language code (`en_US`); a name can exist in several languages.
    pub language: String,
    /// Meta's category: `MARKETING`, `UTILITY` or `AUTHENTICATION`.
    pub category: String,
    /// A header line without variables, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// The body, with its placeholders.
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// The body's variables in order of first appearance (`"1"`, `"2"`, or names).
    pub variables: Vec<String>,
}

/// A template chosen for a message: which one, and the values of its variables in the order
/// of [`MessageTemplate::variables`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateSend {
    pub name: String,
    pub language: String,
    #[serde(default)]
    pub values: Vec<String>,
}

/// Why values do not fit a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    Count { expected: usize, given: usize },
    Empty(String),
    Shape(String),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Count { expected, given } => {
                write!(f, "This template takes {expected} values, not {given}.")
            }
            TemplateError::Empty(name) => write!(f, "Fill in {{{{{name}}}}}."),
            TemplateError::Shape(name) => write!(
                f,
                "{{{{{name}}}}} is too long or has line breaks, tabs or runs of spaces, which \
                 WhatsApp refuses."
            ),
        }
    }
}

impl std::error::Error for TemplateError {}

/// The placeholders of a template text in order of first appearance, without repeats.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        let name = after[..end].trim();
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid && !found.iter().any(|f| f == name) {
            found.push(name.to_owned());
        }
        rest = &after[end + 2..];
    }
    found
}

/// Checks values for a template's variables (Meta refuses empty ones, line breaks, tabs and
/// more than four spaces in a row).
pub fn check_values(variables: &[String], values: &[String]) -> Result<(), TemplateError> {
    if variables.len() != values.len() {
        return Err(TemplateError::Count {
            expected: variables.len(),
            given: values.len(),
        });
    }
    for (variable, value) in variables.iter().zip(values) {
        if value.trim().is_empty() {
            return Err(TemplateError::Empty(variable.clone()));
        }
        if value.chars().count() > MAX_TEMPLATE_VALUE
            || value.contains(['\n', '\r', '\t'])
            || value.contains("     ")
        {
            return Err(TemplateError::Shape(variable.clone()));
        }
    }
    Ok(())
}

/// The text with each placeholder replaced by its value (as the contact reads it).
pub fn fill(text: &str, variables: &[String], values: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        match variables.iter().position(|v| v == name) {
            Some(i) => out.push_str(values.get(i).map_or("", String::as_str)),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A template's text as the contact reads it: header, filled body and footer, a blank line
/// apart.
pub fn text(template: &MessageTemplate, values: &[String]) -> String {
    [
        template.header.clone(),
        Some(fill(&template.body, &template.variables, values)),
        template.footer.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.trim().is_empty())
    .collect::<Vec<_>>()
    .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn placeholders_come_in_order_of_first_appearance() {
        assert_eq!(
            placeholders("Hi {{1}}, order {{2}} ships {{ 3 }}; thanks {{1}}!"),
            owned(&["1", "2", "3"])
        );
        assert_eq!(
            placeholders("Table for {{number_of_guests}} at {{time}}"),
            owned(&["number_of_guests", "time"])
        );
        assert!(placeholders("No variables {{}} {{a b}} {{unclosed").is_empty());
    }

    #[test]
    fn values_fill_their_placeholders_everywhere() {
        let variables = owned(&["1", "2"]);
        let values = owned(&["Olga", "1042"]);
        assert_eq!(
            fill(
                "Hi {{1}}, order {{2}} ships. Bye {{1}}",
                &variables,
                &values
            ),
            "Hi Olga, order 1042 ships. Bye Olga"
        );
        assert_eq!(
            fill("Keep {{x}} and {{", &variables, &values),
            "Keep {{x}} and {{"
        );
    }

    #[test]
    fn values_must_match_what_whatsapp_accepts() {
        let variables = owned(&["1", "name"]);
        assert_eq!(check_values(&variables, &owned(&["a", "b"])), Ok(()));
        assert_eq!(
            check_values(&variables, &owned(&["a"])),
            Err(TemplateError::Count {
                expected: 2,
                given: 1
            })
        );
        assert_eq!(
            check_values(&variables, &owned(&["a", " "])),
            Err(TemplateError::Empty("name".into()))
        );
        assert_eq!(
            check_values(&variables, &owned(&["two\nlines", "b"])),
            Err(TemplateError::Shape("1".into()))
        );
        assert_eq!(
            check_values(&variables, &owned(&["a", &"x".repeat(1025)])),
            Err(TemplateError::Shape("name".into()))
        );
        assert_eq!(
            TemplateError::Empty("name".into()).to_string(),
            "Fill in {{name}}."
        );
    }
}
