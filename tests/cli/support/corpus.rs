//! The network half of the bad-input corpus (tests/cli/corpus.rs): a fake issuer serving each
//! case's replies and checking it got exactly the requests the case names, the `{placeholders}`
//! cases use, and a browser callback delivered to a waiting `codex-creds login`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::login::{Running, query};
use super::{Outcome, TestHome};

/// `{name}` → value substitutions, applied to every string a case hands to the binary or the
/// fake issuer (`{issuer}`, `{port}`, `{state}`, `{refresh_token}`, `{access_token}`, `{pad}`).
#[derive(Default)]
pub struct Fill(Vec<(String, String)>);

impl Fill {
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((format!("{{{name}}}"), value.into()));
    }

    pub fn apply(&self, text: &str) -> String {
        self.0.iter().fold(text.to_owned(), |text, (key, value)| {
            text.replace(key, value)
        })
    }
}

/// Starts fake issuers and inspects what they received, from plain (non-async) threads.
pub struct Network {
    runtime: tokio::runtime::Runtime,
}

impl Network {
    pub fn new() -> Self {
        Network {
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        }
    }

    /// A fresh (unpooled) server, so that a slow reply of one case never meets another case.
    pub fn start(&self) -> MockServer {
        self.runtime.block_on(MockServer::builder().start())
    }

    /// Mounts one mock per reply (`method` + `path`).
    pub fn mount(&self, server: &MockServer, replies: &[Value], fill: &Fill) {
        self.runtime.block_on(async {
            for reply in replies {
                let (verb, route) = route(reply);
                Mock::given(method(verb.as_str()))
                    .and(path(route.as_str()))
                    .respond_with(template(reply, fill))
                    .mount(server)
                    .await;
            }
        });
    }

    /// Requests nobody asked for, and replies requested too rarely or too often (`hits`: the
    /// exact count; by default at least once).
    pub fn check(&self, server: &MockServer, replies: &[Value]) -> Vec<String> {
        let requests = self
            .runtime
            .block_on(server.received_requests())
            .unwrap_or_default();
        let seen: Vec<(String, String)> = requests
            .iter()
            .map(|r| (r.method.to_string(), r.url.path().to_owned()))
            .collect();
        let mut problems = Vec::new();
        for (verb, route) in &seen {
            let problem = format!("unexpected request {verb} {route}");
            if !replies
                .iter()
                .any(|reply| route_matches(reply, verb, route))
                && !problems.contains(&problem)
            {
                problems.push(problem);
            }
        }
        for reply in replies {
            let count = seen
                .iter()
                .filter(|(verb, route)| route_matches(reply, verb, route))
                .count();
            let (verb, route) = self::route(reply);
            match reply.get("hits").and_then(Value::as_u64) {
                Some(hits) if count as u64 != hits => {
                    problems.push(format!("{verb} {route} requested {count}×, not {hits}×"));
                }
                None if count == 0 => problems.push(format!("{verb} {route} never requested")),
                _ => {}
            }
        }
        problems
    }
}

fn route(reply: &Value) -> (String, String) {
    let verb = reply
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("POST");
    (verb.to_owned(), reply["path"].as_str().unwrap().to_owned())
}

fn route_matches(reply: &Value, verb: &str, route: &str) -> bool {
    let (want_verb, want_route) = self::route(reply);
    want_verb.eq_ignore_ascii_case(verb) && want_route == route
}

/// The reply: `status`, `headers`, one of `body` (text), `body_json`, `body_base64`,
/// `body_repeat` ([text, count]), and `delay_ms`. Text bodies and headers are filled.
fn template(reply: &Value, fill: &Fill) -> ResponseTemplate {
    let status = reply.get("status").and_then(Value::as_u64).unwrap_or(200);
    let mut template = ResponseTemplate::new(status as u16);
    if let Some(headers) = reply.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            template = template.insert_header(name.as_str(), fill.apply(value.as_str().unwrap()));
        }
    }
    if let Some(text) = reply.get("body").and_then(Value::as_str) {
        template = template.set_body_raw(fill.apply(text), "application/json");
    } else if let Some(json) = reply.get("body_json") {
        template = template.set_body_raw(fill.apply(&json.to_string()), "application/json");
    } else if let Some(encoded) = reply.get("body_base64").and_then(Value::as_str) {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        template = template.set_body_raw(bytes, "application/octet-stream");
    } else if let Some(repeat) = reply.get("body_repeat").and_then(Value::as_array) {
        let unit = repeat[0].as_str().unwrap();
        let body = unit.repeat(repeat[1].as_u64().unwrap() as usize);
        template = template.set_body_raw(body, "text/plain");
    }
    if let Some(delay) = reply.get("delay_ms").and_then(Value::as_u64) {
        template = template.set_delay(Duration::from_millis(delay));
    }
    template
}

/// What the callback server answered the "browser".
#[derive(Debug)]
pub struct CallbackReply {
    pub status: u16,
    pub page: String,
}

/// Starts `codex-creds ARGS` (a browser login), waits for its authorize URL, sends the case's
/// `callback` request (`method`, `path`, `query` with `{state}` filled), and waits for the end.
pub fn login_with_callback(
    home: &TestHome,
    args: &[String],
    envs: &[(String, String)],
    callback: &Value,
    fill: &mut Fill,
) -> (Outcome, Result<CallbackReply, String>) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let envs: Vec<(&str, &str)> = envs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut login = Running::spawn(home, &args, &envs);
    let url = login.authorize_url();
    fill.set("state", query(&url, "state"));
    let port = url::Url::parse(&query(&url, "redirect_uri"))
        .unwrap()
        .port()
        .unwrap();
    let verb = callback
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET");
    let route = callback
        .get("path")
        .and_then(Value::as_str)
        .unwrap_or("/auth/callback");
    let target = match callback.get("query").and_then(Value::as_str) {
        Some(query) => format!("{route}?{}", fill.apply(query)),
        None => route.to_owned(),
    };
    let mut reply = raw_request(port, verb, &target);
    // A code is answered with a redirect to the result page (as Codex): follow it, as a
    // browser would, so `status` and `page` are what the person sees.
    if let Ok(CallbackReply { status: 302, .. }) = reply {
        reply = raw_request(port, "GET", "/success");
    }
    (login.finish(), reply)
}

/// One HTTP/1.1 request with the target sent verbatim (no client re-encodes a hostile query).
fn raw_request(port: u16, verb: &str, target: &str) -> Result<CallbackReply, String> {
    let fail = |err: std::io::Error| format!("callback request failed: {err}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(fail)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(fail)?;
    write!(
        stream,
        "{verb} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Length: 0\r\n\r\n"
    )
    .map_err(fail)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(fail)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, page) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no HTTP status in the callback reply {head:?}"))?;
    Ok(CallbackReply {
        status,
        page: page.to_owned(),
    })
}
