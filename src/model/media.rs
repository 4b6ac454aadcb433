//! Media in messages (C3): which image addresses the app will show or link to. Addresses come
//! from contacts and channels, so anything but a plain web or same-site address is refused
//! (no `javascript:`, no protocol-relative `//host`).

/// The address to use for an image, or `None` when it is not safe to show.
pub fn safe_image_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let same_site = url.starts_with('/') && !url.starts_with("//") && !url.contains('\\');
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    (same_site || web).then_some(url)
}

/// A file name for downloading an image: the address's last segment, or "image" (in the
/// language in use).
pub fn download_name(url: &str) -> String {
    url.split(['?', '#'])
        .next()
        .and_then(|path| path.rsplit('/').next())
        .filter(|name| !name.is_empty())
        .map_or_else(|| crate::tr!("thread-image-file-name"), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_same_site_images_are_shown() {
        assert_eq!(
            safe_image_url("/public/demo/latte-art.svg"),
            Some("/public/demo/latte-art.svg")
        );
        assert_eq!(
            safe_image_url("https://cdn.example/a.png"),
            Some("https://cdn.example/a.png")
        );
        assert_eq!(safe_image_url("javascript:alert(1)"), None);
        assert_eq!(safe_image_url(" JavaScript:alert(1)"), None);
        assert_eq!(safe_image_url("//evil.example/x.png"), None);
        assert_eq!(safe_image_url("data:text/html,<script>"), None);
        assert_eq!(safe_image_url("/\\evil.example"), None);
    }

    #[test]
    fn downloads_are_named_after_the_file() {
        assert_eq!(
            download_name("/public/demo/latte-art.svg?v=2"),
            "latte-art.svg"
        );
        assert_eq!(download_name("https://cdn.example/"), "image");
    }
}
