//! Test fakes shared by the refresh unit tests: services with a fixed issuer and clock.

use chrono::{DateTime, Utc};

use super::Services;
use crate::auth_json::TokenData;
use crate::error::Error;
use crate::http::Http;
use crate::oauth::Issuer;

/// The network, one issuer for every token, and a clock that stands still.
pub struct FixedServices {
    pub http: Http,
    pub issuer: Issuer,
    pub now: DateTime<Utc>,
}

impl Services for FixedServices {
    fn http(&self) -> Result<&Http, Error> {
        Ok(&self.http)
    }
    fn issuer_for(&self, _tokens: &TokenData) -> Result<Issuer, Error> {
        Ok(self.issuer.clone())
    }
    fn now(&self) -> DateTime<Utc> {
        self.now
    }
}
