//! The app-server's messages as values: what a line from the client is (request, notification,
//! response, or malformed), the JSON-RPC error, and the lines we send. Newline-delimited JSON
//! without a `"jsonrpc"` field, as Codex speaks it (spec app-server.md §13.1). Pure.

use serde_json::{Map, Value, json};

/// Codex's codes: a request it refuses, a failure while serving it, and a line it cannot parse.
pub const INVALID_REQUEST: i64 = -32600;
pub const INTERNAL_ERROR: i64 = -32603;
pub const PARSE_ERROR: i64 = -32700;

/// One line from the client.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// A call we must answer; `params` is `None` when the field is absent.
    Request {
        id: Value,
        method: String,
        params: Option<Value>,
    },
    /// A call that wants no answer (`initialized`).
    Notification { method: String },
    /// The answer to one of our requests.
    Response {
        id: Value,
        outcome: Result<Value, RpcError>,
    },
    /// Not a message: answered with an error, and the server goes on.
    Malformed { id: Value, error: RpcError },
}

/// A JSON-RPC error, with Codex's code and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
}

impl RpcError {
    pub fn invalid(message: impl Into<String>) -> Self {
        RpcError {
            code: INVALID_REQUEST,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        RpcError {
            code: INTERNAL_ERROR,
            message: message.into(),
        }
    }

    fn to_value(&self) -> Value {
        json!({"code": self.code, "message": self.message})
    }
}

/// Reads one line. Never fails: what is not a message becomes [`Incoming::Malformed`].
pub fn parse(line: &str) -> Incoming {
    let value: Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(err) => {
            return Incoming::Malformed {
                id: Value::Null,
                error: RpcError {
                    code: PARSE_ERROR,
                    message: format!("Parse error: {err}"),
                },
            };
        }
    };
    let Value::Object(mut object) = value else {
        return malformed(Value::Null, "a message must be a JSON object");
    };
    let id = object.remove("id").filter(valid_id);
    match (object.remove("method"), id) {
        (Some(Value::String(method)), Some(id)) => Incoming::Request {
            id,
            method,
            params: object.remove("params"),
        },
        (Some(Value::String(method)), None) => Incoming::Notification { method },
        (Some(_), id) => malformed(id.unwrap_or(Value::Null), "`method` must be a string"),
        (None, Some(id)) => response(id, object),
        (None, None) => malformed(Value::Null, "a message needs a `method` or an `id`"),
    }
}

fn valid_id(id: &Value) -> bool {
    id.is_i64() || id.is_u64() || id.is_string()
}

fn response(id: Value, mut object: Map<String, Value>) -> Incoming {
    if let Some(result) = object.remove("result") {
        return Incoming::Response {
            id,
            outcome: Ok(result),
        };
    }
    let Some(error) = object.remove("error") else {
        return malformed(id, "a response needs a `result` or an `error`");
    };
    let code = error.get("code").and_then(Value::as_i64).unwrap_or(0);
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Incoming::Response {
        id,
        outcome: Err(RpcError {
            code,
            message: crate::untrusted::printable(message, 500),
        }),
    }
}

fn malformed(id: Value, why: &str) -> Incoming {
    Incoming::Malformed {
        id,
        error: RpcError::invalid(format!("Invalid request: {why}")),
    }
}

/// The answer to request `id`.
pub fn answer(id: &Value, outcome: &Result<Value, RpcError>) -> String {
    let value = match outcome {
        Ok(result) => json!({"id": id, "result": result}),
        Err(error) => json!({"error": error.to_value(), "id": id}),
    };
    value.to_string()
}

/// A notification, stamped with `emittedAtMs` as Codex stamps its own.
pub fn notification(method: &str, params: Value, emitted_at_ms: i64) -> String {
    json!({"method": method, "params": params, "emittedAtMs": emitted_at_ms}).to_string()
}

/// A request from us to the client (integer ids from 0).
pub fn request(id: i64, method: &str, params: Value) -> String {
    json!({"id": id, "method": method, "params": params}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_messages() {
        assert_eq!(
            parse(r#"{"id":1,"method":"account/read","params":{}}"#),
            Incoming::Request {
                id: json!(1),
                method: "account/read".into(),
                params: Some(json!({}))
            }
        );
        assert_eq!(
            parse(r#"{"method":"initialized"}"#),
            Incoming::Notification {
                method: "initialized".into()
            }
        );
        assert_eq!(
            parse(r#"{"id":0,"result":{"accessToken":"x"}}"#),
            Incoming::Response {
                id: json!(0),
                outcome: Ok(json!({"accessToken":"x"}))
            }
        );
        let Incoming::Response { outcome, .. } =
            parse(r#"{"id":0,"error":{"code":-1,"message":"no\u001b[2J"}}"#)
        else {
            panic!("not a response")
        };
        assert_eq!(outcome.unwrap_err().code, -1);
    }

    #[test]
    fn anything_else_is_malformed_and_never_panics() {
        for line in [
            "",
            "{not json",
            "\"garbage\"",
            "[]",
            "{}",
            r#"{"id":77}"#,
            r#"{"id":1,"method":3}"#,
            r#"{"id":{"x":1},"method":"a"}"#,
        ] {
            match parse(line) {
                Incoming::Malformed { error, .. } => {
                    assert!(
                        error.code == PARSE_ERROR || error.code == INVALID_REQUEST,
                        "{line}"
                    )
                }
                // An object id is no id: that is a notification, which gets no answer.
                Incoming::Notification { .. } if line.contains("\"x\"") => {}
                other => panic!("{line}: {other:?}"),
            }
        }
    }

    #[test]
    fn answers_have_no_jsonrpc_field() {
        let ok = answer(&json!(3), &Ok(json!({})));
        assert_eq!(ok, r#"{"id":3,"result":{}}"#);
        let err = answer(&json!(4), &Err(RpcError::invalid("invalid login id: x")));
        assert_eq!(
            err,
            r#"{"error":{"code":-32600,"message":"invalid login id: x"},"id":4}"#
        );
        assert!(notification("a", json!({}), 5).contains(r#""emittedAtMs":5"#));
        assert!(!request(0, "m", json!({})).contains("jsonrpc"));
    }
}
