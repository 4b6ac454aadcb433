//! Login, logout, the session cookie and the `CurrentUser` extractor.
//!
//! The cookie holds a random token; the database holds only its SHA-256. Passwords are
//! hashed with argon2id on a blocking thread.

use crate::error::ApiError;
use crate::extract::Json;
use crate::state::AppState;
use crate::tokens;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use std::sync::LazyLock;
use switchboard_protocol::api::{Health, LoginRequest, Me};
use switchboard_protocol::{ErrorBody, User};
use switchboard_storage::NewSession;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const SESSION_COOKIE: &str = "sb_session";

/// Longer passwords are refused before hashing, so a login cannot be made expensive.
const MAX_PASSWORD_BYTES: usize = 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(health))
}

/// Whether the server is up.
///
/// Public: load balancers and uptime checks call it without a session.
#[utoipa::path(
    get,
    path = "/health",
    operation_id = "health",
    tag = "system",
    responses((status = 200, description = "The server answers.", body = Health)),
)]
async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// The signed-in user of a request.
pub struct CurrentUser(pub User);

impl CurrentUser {
    pub async fn from_parts(parts: &Parts, state: &AppState) -> Result<CurrentUser, ApiError> {
        let token = session_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let user = state
            .store
            .session_user(&tokens::hash(&token), Utc::now())
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(CurrentUser(user))
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        CurrentUser::from_parts(parts, state).await
    }
}

/// The stored form of the request's session token, if it carries one.
pub fn session_hash(headers: &HeaderMap) -> Option<String> {
    session_token(headers).map(|token| tokens::hash(&token))
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
}

fn session_cookie(
    state: &AppState,
    token: &str,
    max_age_secs: i64,
) -> Result<HeaderValue, ApiError> {
    let mut cookie = cookie::Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .secure(state.config.secure_cookies)
        .build();
    if max_age_secs == 0 {
        cookie.make_removal();
    }
    HeaderValue::from_str(&cookie.to_string()).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Logs in with e-mail and password.
///
/// On success the answer sets the `sb_session` cookie (HttpOnly, SameSite=Lax) that every
/// other agent route needs, and carries the user with their workspaces. Unknown e-mails and
/// wrong passwords get the same 401, in the same time.
#[utoipa::path(
    post,
    path = "/auth/login",
    operation_id = "login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (
            status = 200,
            description = "Logged in; the session cookie is set.",
            body = Me,
            headers(("set-cookie" = String, description = "`sb_session=…; HttpOnly; SameSite=Lax; Path=/`")),
        ),
        (status = 401, description = "Wrong e-mail or password.", body = ErrorBody),
        (status = 422, description = "The e-mail or password is missing, the password too long, or the body malformed.", body = ErrorBody),
    ),
)]
async fn login(
    State(state): State<AppState>,
    Json(request): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    let email = request.email.trim();
    if email.is_empty() {
        return Err(ApiError::validation("email", "Enter your e-mail address."));
    }
    if request.password.is_empty() {
        return Err(ApiError::validation("password", "Enter your password."));
    }
    if request.password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::validation(
            "password",
            "The password is too long.",
        ));
    }
    let credentials = state.store.user_credentials(email).await?;
    // Unknown e-mails are checked against a dummy hash so both failures take the same time.
    let hash = credentials
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let password = request.password;
    let valid = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let user = match credentials {
        Some(c) if valid => c.user,
        _ => {
            tracing::info!("login refused");
            return Err(ApiError::Unauthorized);
        }
    };
    signed_in(&state, user).await
}

/// Starts a session for `user`: the answer sets its cookie and carries `Me`.
pub(crate) async fn signed_in(state: &AppState, user: User) -> Result<Response, ApiError> {
    let token = tokens::new_token();
    let now = Utc::now();
    let days = i64::from(state.config.session_days.max(1));
    state
        .store
        .create_session(NewSession {
            token_hash: &tokens::hash(&token),
            user: user.id,
            created_at: now,
            expires_at: now + Duration::days(days),
        })
        .await?;
    let workspaces = state.store.memberships(user.id).await?;
    let cookie = session_cookie(state, &token, days * 86_400)?;
    tracing::info!(user = %user.id, "logged in");
    Ok(([(SET_COOKIE, cookie)], Json(Me { user, workspaces })).into_response())
}

/// Whether `password` is the account's (unknown accounts are checked against a dummy hash,
/// so both failures take the same time).
pub(crate) async fn password_matches(
    credentials: Option<&switchboard_storage::UserCredentials>,
    password: &str,
) -> Result<bool, ApiError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Ok(false);
    }
    let hash = credentials
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let password = password.to_owned();
    let valid = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(valid && credentials.is_some())
}

/// Logs out: ends the session (its sockets close at once) and clears the cookie.
///
/// Public: without a session it only clears the cookie.
#[utoipa::path(
    post,
    path = "/auth/logout",
    operation_id = "logout",
    tag = "auth",
    responses((
        status = 204,
        description = "Logged out; the session cookie is removed.",
        headers(("set-cookie" = String, description = "`sb_session=; Max-Age=0` (removal)")),
    )),
)]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(hash) = session_hash(&headers) {
        state.store.delete_session(&hash).await?;
        // Sockets opened with this session close now, not at their next heartbeat.
        state.hub.end_session(&hash);
    }
    let cookie = session_cookie(&state, "", 0)?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}

/// The signed-in user and the workspaces they belong to, with their role and permissions.
#[utoipa::path(
    get,
    path = "/me",
    operation_id = "me",
    tag = "auth",
    security(("sb_session" = [])),
    responses(
        (status = 200, description = "The signed-in user.", body = Me),
        (status = 401, description = "No valid session.", body = ErrorBody),
    ),
)]
async fn me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Me>, ApiError> {
    let workspaces = state.store.memberships(user.id).await?;
    Ok(Json(Me { user, workspaces }))
}

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&tokens::random_bytes::<16>())
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::Internal(e.to_string()))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password(&tokens::new_token()).unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horse "));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("theme=dark; sb_session=abc; x=1"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
        headers.insert(COOKIE, HeaderValue::from_static("theme=dark"));
        assert_eq!(session_token(&headers), None);
    }
}
