//! The authorize URL of the browser login, with Codex's parameters in Codex's order (spec §5.3).
//! Pure.

use super::Issuer;

/// Codex's scopes.
pub const SCOPE: &str =
    "openid profile email offline_access api.connectors.read api.connectors.invoke";

/// `http://127.0.0.1:{port}/auth/callback` (127.0.0.1, never `localhost`).
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}{}", super::browser::CALLBACK_PATH)
}

/// What goes into one authorize URL.
pub struct AuthorizeRequest<'a> {
    pub redirect_uri: &'a str,
    pub code_challenge: &'a str,
    pub state: &'a str,
    pub originator: &'a str,
    /// `forced_chatgpt_workspace_id`: sent as `allowed_workspace_id`, joined with `,`.
    pub allowed_workspaces: &'a [String],
}

/// `{issuer}/oauth/authorize?…`, form-encoded (spaces as `+`).
pub fn authorize_url(issuer: &Issuer, request: &AuthorizeRequest<'_>) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("response_type", "code")
        .append_pair("client_id", &issuer.client_id)
        .append_pair("redirect_uri", request.redirect_uri)
        .append_pair("code_challenge", request.code_challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", request.state)
        .append_pair("scope", SCOPE)
        .append_pair("id_token_add_organizations", "true")
        .append_pair("codex_cli_simplified_flow", "true")
        .append_pair("originator", request.originator);
    if !request.allowed_workspaces.is_empty() {
        query.append_pair(
            "allowed_workspace_id",
            &request.allowed_workspaces.join(","),
        );
    }
    format!("{}?{}", issuer.authorize_url(), query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_follow_codex_order_and_encoding() {
        let issuer = Issuer::new("https://auth.openai.com", "app_X");
        let workspaces = vec!["ws-a".to_owned(), "ws-b".to_owned()];
        let url = authorize_url(
            &issuer,
            &AuthorizeRequest {
                redirect_uri: &redirect_uri(1455),
                code_challenge: "CH",
                state: "ST",
                originator: "codex_cli_rs",
                allowed_workspaces: &workspaces,
            },
        );
        assert_eq!(
            url,
            "https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_X\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A1455%2Fauth%2Fcallback&code_challenge=CH\
             &code_challenge_method=S256&state=ST\
             &scope=openid+profile+email+offline_access+api.connectors.read+api.connectors.invoke\
             &id_token_add_organizations=true&codex_cli_simplified_flow=true\
             &originator=codex_cli_rs&allowed_workspace_id=ws-a%2Cws-b"
        );
    }

    #[test]
    fn no_workspace_parameter_without_a_restriction() {
        let issuer = Issuer::new("https://auth.openai.com", "app_X");
        let url = authorize_url(
            &issuer,
            &AuthorizeRequest {
                redirect_uri: "r",
                code_challenge: "c",
                state: "s",
                originator: "o",
                allowed_workspaces: &[],
            },
        );
        assert!(!url.contains("allowed_workspace_id"));
    }
}
