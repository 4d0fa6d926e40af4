//! The seeded generator of the randomized tests (crash.rs). The seed comes from
//! `CODEX_CREDS_TEST_SEED`, or from the clock when it is unset, and is printed at the start and
//! again on failure, so that a failing run's choices can be replayed. (Replaying repeats the
//! choices, not the machine's timing.)

/// The environment variable that fixes the seed.
pub const SEED_VAR: &str = "CODEX_CREDS_TEST_SEED";

/// xorshift64: deterministic for a seed, ten lines, no dependency.
pub struct Rng {
    state: u64,
    seed: u64,
    test: &'static str,
}

impl Rng {
    /// Seeded from `CODEX_CREDS_TEST_SEED`, else from the clock. `test` names the test in the
    /// replay hint.
    pub fn seeded(test: &'static str) -> Self {
        let seed = seed_from(std::env::var(SEED_VAR).ok());
        eprintln!("{test}: seed {seed} ({SEED_VAR}={seed} replays it)");
        Rng::with_seed(seed, test)
    }

    fn with_seed(seed: u64, test: &'static str) -> Self {
        Rng {
            // splitmix64's finaliser spreads nearby seeds apart; xorshift needs a non-zero state.
            state: splitmix(seed).max(1),
            seed,
            test,
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

/// The seed the variable names, or one from the clock when it is unset.
fn seed_from(variable: Option<String>) -> u64 {
    match variable {
        Some(value) => value.trim().parse().unwrap_or_else(|_| {
            panic!("{SEED_VAR} must be a whole number (0 to 2^64-1), not {value:?}")
        }),
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
    }
}

fn splitmix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Drop for Rng {
    /// On failure (the test unwinding), says how to replay this run.
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "{test} failed with seed {seed}; replay it with\n  \
                 {SEED_VAR}={seed} cargo test --test cli {test} -- --nocapture",
                test = self.test,
                seed = self.seed
            );
        }
    }
}

#[test]
fn a_seed_replays_the_same_choices() {
    let draws = |seed| {
        let mut rng = Rng::with_seed(seed_from(Some(seed)), "rng");
        (0..64).map(|_| rng.below(1000)).collect::<Vec<_>>()
    };
    assert_eq!(draws(" 42\n".to_owned()), draws("42".to_owned()));
    assert_ne!(draws("42".to_owned()), draws("43".to_owned()));
    assert!(
        draws("0".to_owned()).iter().any(|&n| n != 0),
        "seed 0 is usable"
    );
}
