//! Where a value sits in auth.json's text, by its key path, so that an error can name a line
//! and column without quoting the value (which may be a secret). Pure.
//!
//! serde_json counts lines and columns only while it reads, and gives them only with an error:
//! so we walk the text with serde and raise an error of our own when we reach the value.

use std::convert::Infallible;
use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::error::Category;

/// A line and a column, from 1, as serde_json counts them: the closing quote of a field's key
/// (so a message points at the field's name), or the start of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {}", self.line, self.column)
    }
}

/// The position of the field at `path` (object keys from the top), else of its deepest parent
/// that exists (the object a missing key belongs in; the document for a top-level key). Of
/// duplicate keys, the first on the path counts. Meant for text that parses as JSON: for other
/// text it is a guess, or `None`.
pub fn locate(bytes: &[u8], path: &[&str]) -> Option<Position> {
    (0..=path.len())
        .rev()
        .find_map(|depth| exactly(bytes, &path[..depth]))
}

fn exactly(bytes: &[u8], path: &[&str]) -> Option<Position> {
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let walked = match path.split_first() {
        None => json.deserialize_any(Here).map(|never| match never {}),
        Some((key, rest)) => json.deserialize_any(Walk { key, rest }),
    };
    match walked {
        // Only reaching the field raises a data error: the walk accepts every shape of JSON,
        // and a syntax error (which the caller has ruled out) is not a position we want.
        Err(err) if err.classify() == Category::Data && err.line() > 0 => Some(Position {
            line: err.line(),
            column: err.column(),
        }),
        Ok(()) | Err(_) => None,
    }
}

/// Refuses every value: the error serde_json raises carries the position we want.
struct Here;

impl Visitor<'_> for Here {
    type Value = Infallible;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("nothing (the value's position is wanted)")
    }
}

/// Looks for `key` in an object: stops there with an error when it is the last key of the
/// path, else walks on into its value with `rest`. Any other value lacks the key: `Ok(())`.
#[derive(Clone, Copy)]
struct Walk<'a> {
    key: &'a str,
    rest: &'a [&'a str],
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, value: D) -> Result<(), D::Error> {
        value.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match self.rest.split_first() {
                _ if key != self.key => {
                    map.next_value::<IgnoredAny>()?;
                }
                // serde_json adds the position where it stands: just past the key.
                None => return Err(A::Error::custom("the field is here")),
                Some((key, rest)) => map.next_value_seed(Walk { key, rest })?,
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn points_at_the_key_and_falls_back_to_the_parent() {
        let text = b"{\n  \"a\": 1,\n  \"tokens\": {\n    \"id\": \"xyz\",\n    \"n\": [1, {\"id\": 2}]\n  }\n}";
        assert_eq!(locate(text, &["a"]), at(2, 5));
        assert_eq!(locate(text, &["tokens"]), at(3, 10));
        assert_eq!(locate(text, &["tokens", "id"]), at(4, 8));
        // A missing key: the field it is missing from, or the document.
        assert_eq!(locate(text, &["tokens", "missing"]), at(3, 10));
        assert_eq!(locate(text, &["missing"]), locate(text, &[]));
        // Keys inside arrays and below scalars are not followed.
        assert_eq!(locate(text, &["tokens", "n", "id"]), at(5, 7));
        assert_eq!(locate(text, &["a", "b"]), at(2, 5));
    }

    #[test]
    fn the_first_of_duplicate_keys_counts_and_nothing_has_no_position() {
        assert_eq!(locate(br#"{"k":1,"k":22}"#, &["k"]), at(1, 4));
        assert_eq!(locate(br#"{"t":{},"t":{"k":[]}}"#, &["t", "k"]), at(1, 16));
        assert_eq!(locate(b"", &[]), None);
    }
}
