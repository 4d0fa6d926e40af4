//! Kills and races: a SIGKILL at any instant of `account use` leaves the active login one
//! whole account and every saved account whole (a duplicate is reconciled by the next account
//! command); two `account use` at once serialise, and both states are whole.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::*;
use crate::support::rng::Rng;

const NAMES: [&str; 3] = ["a", "b", "c"];

/// Three API-key accounts, `a` active.
fn three_accounts() -> TestHome {
    let home = TestHome::new();
    save_key(&home, "a");
    add_key(&home, "b");
    add_key(&home, "c");
    home
}

/// The account whose key the active login holds.
fn active_name(home: &TestHome) -> &'static str {
    let text = active(home);
    NAMES
        .into_iter()
        .find(|name| text == key_file(name))
        .unwrap_or_else(|| panic!("the active login is not one whole account:\n{text}"))
}

/// Every account not active holds its own login; the active one holds nothing or (after a
/// kill, until reconciled) an identical copy; every metadata file parses.
fn assert_whole(home: &TestHome, context: &str) {
    let current = active_name(home);
    for name in NAMES {
        meta_of(home, name);
        match copy_of(home, name) {
            Some(copy) => assert_eq!(
                copy,
                key_file(name),
                "{context}: {name} holds another login"
            ),
            None => assert_eq!(name, current, "{context}: {name} lost its login"),
        }
    }
}

fn spawn_use(home: &TestHome, name: &str) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_codex-creds"));
    cmd.env_clear()
        .envs(crate::support::test_env(home.path()))
        .args(["account", "use", name])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.spawn().unwrap()
}

#[test]
fn sigkill_at_any_instant_of_a_switch_leaves_every_account_whole() {
    let home = three_accounts();
    let mut rng =
        Rng::seeded("accounts::sigkill_at_any_instant_of_a_switch_leaves_every_account_whole");
    let mut kills = 0;
    let mut rounds = 0;
    while kills < 40 {
        rounds += 1;
        assert!(
            rounds < 1_000,
            "could not kill 40 switches mid-flight ({kills} so far)"
        );
        let target = NAMES[usize::try_from(rng.below(3)).unwrap()];
        let mut child = spawn_use(&home, target);
        std::thread::sleep(Duration::from_micros(rng.below(8_000)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        assert_whole(&home, &format!("round {rounds} (use {target})"));
    }
    // The next account command reconciles a duplicate: the active account is parked again.
    let out = creds(&home, &["account", "use", active_name(&home)]);
    assert_code(&out, exit_code::SUCCESS);
    let current = active_name(&home);
    assert_eq!(
        copy_of(&home, current),
        None,
        "{current} parked after reconciling"
    );
    for name in NAMES {
        assert_code(&creds(&home, &["account", "use", name]), exit_code::SUCCESS);
        assert_eq!(active(&home), key_file(name));
        assert_whole(&home, &format!("after use {name}"));
    }
    println!("{kills} switches killed in {rounds} rounds");
}

#[test]
fn two_switches_at_once_serialise_and_both_states_are_whole() {
    let home = three_accounts();
    for round in 0..5 {
        let (first, second) = if round % 2 == 0 {
            ("b", "c")
        } else {
            ("c", "a")
        };
        let one = spawn_use(&home, first);
        let two = spawn_use(&home, second);
        for child in [one, two] {
            let status = child.wait_with_output().unwrap().status;
            assert_eq!(status.code(), Some(0), "round {round}");
        }
        let winner = active_name(&home);
        assert!(
            winner == first || winner == second,
            "round {round}: {winner}"
        );
        assert_whole(&home, &format!("round {round}"));
        assert_eq!(
            copy_of(&home, winner),
            None,
            "round {round}: the winner is parked"
        );
    }
}
