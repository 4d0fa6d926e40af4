//! Unit tests of the accounts use case over fake keyrings and temp homes.
