//! An in-memory keyring with injectable failures, shared by the unit tests of the stores.

use super::*;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Default)]
pub struct FakeState {
    pub items: HashMap<(String, String), String>,
    pub fail_get: Option<KeyringError>,
    pub fail_set: Option<KeyringError>,
    pub fail_delete: Option<KeyringError>,
    /// Stores this instead of the value given to `set` (a keyring that corrupts data).
    pub corrupt_set: Option<String>,
    pub calls: usize,
}

#[derive(Clone, Default)]
pub struct FakeKeyring(pub Rc<RefCell<FakeState>>);

impl KeyringApi for FakeKeyring {
    fn get(&self, service: &str, account: &str) -> Result<Option<String>, KeyringError> {
        let mut state = self.0.borrow_mut();
        state.calls += 1;
        if let Some(err) = state.fail_get.clone() {
            return Err(err);
        }
        Ok(state
            .items
            .get(&(service.to_owned(), account.to_owned()))
            .cloned())
    }
    fn set(&self, service: &str, account: &str, value: &str) -> Result<(), KeyringError> {
        let mut state = self.0.borrow_mut();
        state.calls += 1;
        if let Some(err) = state.fail_set.clone() {
            return Err(err);
        }
        let value = state
            .corrupt_set
            .clone()
            .unwrap_or_else(|| value.to_owned());
        state
            .items
            .insert((service.to_owned(), account.to_owned()), value);
        Ok(())
    }
    fn delete(&self, service: &str, account: &str) -> Result<bool, KeyringError> {
        let mut state = self.0.borrow_mut();
        state.calls += 1;
        if let Some(err) = state.fail_delete.clone() {
            return Err(err);
        }
        Ok(state
            .items
            .remove(&(service.to_owned(), account.to_owned()))
            .is_some())
    }
}
