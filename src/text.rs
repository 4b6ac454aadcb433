//! Lower-casing text the way the browser does (`String.prototype.toLowerCase`), so the app
//! does not carry the standard library's Unicode case tables; natively (in tests) the
//! standard library's `to_lowercase`, which follows the same Unicode mapping.

/// `text` in lower case, every script included ("ЮЛИЯ" → "юлия").
pub fn lower(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::lower;

    #[test]
    fn every_script_is_lowered() {
        assert_eq!(lower("Anna IVANOVA"), "anna ivanova");
        assert_eq!(lower("ЮЛИЯ Ёлкина"), "юлия ёлкина");
        assert_eq!(lower("ΟΔΟΣ"), "οδος");
        assert_eq!(lower("42 + #"), "42 + #");
    }
}
