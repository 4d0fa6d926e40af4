//! Crash safety and concurrent writers: SIGKILL at random moments never leaves a torn auth.json,
//! temp files do not accumulate, locks never stay stuck, and writing beside the real Codex binary
//! never mixes two documents.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::rng::Rng;
use crate::support::{TestHome, run};

/// What `login --with-api-key` (ours or Codex's) writes for `key`: identical bytes by design.
fn api_key_document(key: &str) -> Vec<u8> {
    format!("{{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"{key}\"\n}}").into_bytes()
}

fn ours(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_codex-creds"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("CODEX_HOME", home)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn spawn_login(home: &Path, key: &str) -> Child {
    let mut child = ours(home, &["login", "--with-api-key"]).spawn().unwrap();
    // The child may be killed before it reads: a broken pipe is expected.
    let _ = child.stdin.take().unwrap().write_all(key.as_bytes());
    child
}

fn assert_whole(home: &TestHome, expected: &HashSet<Vec<u8>>, context: &str) {
    if let Some(bytes) = home.auth_bytes() {
        assert!(
            expected.contains(&bytes),
            "{context}: auth.json is not a document any writer wrote:\n{}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

#[test]
fn sigkill_at_random_moments_never_tears_auth_json() {
    let home = TestHome::new();
    let mut rng = Rng::seeded("crash::sigkill_at_random_moments_never_tears_auth_json");
    let mut expected = HashSet::new();
    let mut kills = 0;
    let mut rounds = 0;
    while kills < 200 {
        rounds += 1;
        assert!(
            rounds < 2_000,
            "could not kill 200 writers mid-flight ({kills} so far)"
        );
        let mut children = Vec::new();
        for writer in 0..4 {
            let child = if rng.below(5) == 0 {
                ours(home.path(), &["logout", "--no-revoke"])
                    .spawn()
                    .unwrap()
            } else {
                let key = format!("sk-crash-{rounds}-{writer}-0123456789");
                expected.insert(api_key_document(&key));
                spawn_login(home.path(), &key)
            };
            children.push(child);
        }
        std::thread::sleep(Duration::from_micros(rng.below(6_000)));
        for mut child in children {
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
                kills += 1;
            }
            child.wait().unwrap();
        }
        assert_whole(&home, &expected, &format!("after round {rounds}"));
    }

    // No lock stays stuck: a plain login right after completes, and its save sweeps the strays.
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin("sk-final-0123456789"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        home.auth_bytes().unwrap(),
        api_key_document("sk-final-0123456789")
    );
    let strays: Vec<String> = home
        .files()
        .into_iter()
        .filter(|name| !["auth.json", "auth.json.lock", "auth.lock"].contains(&name.as_str()))
        .collect();
    assert!(
        strays.is_empty(),
        "temp files left after {kills} kills: {strays:?}"
    );
    println!("{kills} writers killed in {rounds} rounds");
}

/// auth.json is absent, one of the API-key documents, or a complete ChatGPT document whose
/// access token is the seed's or one the issuer minted.
fn assert_complete(
    home: &TestHome,
    api_keys: &HashSet<Vec<u8>>,
    minted: &dyn Fn(&str) -> bool,
    context: &str,
) {
    let Some(bytes) = home.auth_bytes() else {
        return;
    };
    if api_keys.contains(&bytes) {
        return;
    }
    let shown = String::from_utf8_lossy(&bytes);
    let doc: serde_json::Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|err| panic!("{context}: torn auth.json ({err}):\n{shown}"));
    let access = doc["tokens"]["access_token"].as_str().unwrap_or_default();
    assert!(
        doc["auth_mode"] == "chatgpt" && minted(access) && doc["tokens"]["id_token"].is_string(),
        "{context}: auth.json is not a document any writer wrote:\n{shown}"
    );
}

#[test]
fn sigkill_during_refreshes_logins_and_logouts_never_tears_auth_json() {
    use crate::support::issuer::Rotating;
    use wiremock::matchers::{method, path};

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(wiremock::MockServer::start());
    let issuer = Rotating {
        delay: Duration::from_millis(2),
        ..Rotating::new()
    };
    runtime.block_on(
        wiremock::Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(issuer.clone())
            .mount(&server),
    );
    let token_url = format!("{}/oauth/token", server.uri());

    let home = TestHome::new();
    let seed = crate::support::issuer::chatgpt_auth(&server.uri(), 3600);
    let seed_token = seed.access_token();
    let mut api_keys = HashSet::new();
    let mut rng =
        Rng::seeded("crash::sigkill_during_refreshes_logins_and_logouts_never_tears_auth_json");
    let (mut kills, mut rounds) = (0, 0);
    while kills < 200 {
        rounds += 1;
        assert!(
            rounds < 2_000,
            "could not kill 200 writers mid-flight ({kills} so far)"
        );
        if rng.below(3) == 0 {
            // Reseed a ChatGPT login so that refreshes have something to rewrite (atomically,
            // under no lock: the test stands in for another tool's complete write).
            let temp = home.path().join("seed.tmp");
            std::fs::write(&temp, seed.to_json()).unwrap();
            std::fs::rename(&temp, home.auth_path()).unwrap();
        }
        let mut children = Vec::new();
        for writer in 0..4 {
            let child = match rng.below(6) {
                0 => ours(home.path(), &["logout", "--no-revoke"])
                    .spawn()
                    .unwrap(),
                1 | 2 => {
                    let key = format!("sk-crash-{rounds}-{writer}-0123456789");
                    api_keys.insert(api_key_document(&key));
                    spawn_login(home.path(), &key)
                }
                _ => ours(home.path(), &["refresh"])
                    .env("CODEX_REFRESH_TOKEN_URL_OVERRIDE", &token_url)
                    .spawn()
                    .unwrap(),
            };
            children.push(child);
        }
        std::thread::sleep(Duration::from_micros(rng.below(20_000)));
        for mut child in children {
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
                kills += 1;
            }
            child.wait().unwrap();
        }
        // The seed's token, or any token the issuer minted so far (tagged `jti: at-<n>`).
        let served = issuer.count();
        let minted = |token: &str| token == seed_token || minted_by_issuer(token, served);
        assert_complete(&home, &api_keys, &minted, &format!("after round {rounds}"));
    }
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin("sk-final-0123456789"));
    assert_eq!(out.code, 0, "a later command got stuck or failed: {out:?}");
    println!(
        "{kills} writers killed in {rounds} rounds; {} refresh grants served",
        issuer.count()
    );
}

fn minted_by_issuer(token: &str, served: usize) -> bool {
    crate::support::issuer::grant_number(token).is_some_and(|n| n >= 1 && n <= served)
}

/// Needs the real Codex CLI: `interop` in its path keeps it out of the hermetic fast tier.
mod interop {
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use super::{api_key_document, assert_whole};
    use crate::support::{TestHome, codex, run};

    #[test]
    fn writing_beside_the_real_codex_never_mixes_documents() {
        let home = TestHome::new();
        let expected: Arc<Mutex<HashSet<Vec<u8>>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));

        // A reader that checks every read (reads take no lock, as Codex's do).
        let reader = {
            let (expected, stop, path) = (expected.clone(), stop.clone(), home.auth_path());
            std::thread::spawn(move || {
                let mut reads = 0;
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(bytes) = std::fs::read(&path) {
                        let known = expected.lock().unwrap().contains(&bytes);
                        assert!(
                            known,
                            "torn or mixed auth.json:\n{}",
                            String::from_utf8_lossy(&bytes)
                        );
                        reads += 1;
                    }
                }
                reads
            })
        };

        let codex_writer = {
            let (expected, path) = (expected.clone(), home.path().to_path_buf());
            std::thread::spawn(move || {
                for i in 0..15 {
                    let key = format!("sk-codex-writer-{i}-abcdefghij");
                    expected.lock().unwrap().insert(api_key_document(&key));
                    let out = run(codex::cmd(&path)
                        .args(["login", "--with-api-key"])
                        .write_stdin(key));
                    assert_eq!(out.code, 0, "codex login failed: {out:?}");
                }
            })
        };
        let started = Instant::now();
        let mut ours_written = 0;
        while !codex_writer.is_finished() {
            let key = format!("sk-ours-writer-{ours_written}-abcdefghij");
            expected.lock().unwrap().insert(api_key_document(&key));
            let out = run(home
                .cmd()
                .args(["login", "--with-api-key"])
                .write_stdin(key));
            assert_eq!(out.code, 0, "codex-creds login failed: {out:?}");
            ours_written += 1;
        }
        codex_writer.join().unwrap();
        stop.store(true, Ordering::Relaxed);
        let reads = reader.join().unwrap();
        assert!(reads > 0 && ours_written > 0);
        assert_whole(&home, &expected.lock().unwrap(), "at the end");
        println!(
            "{ours_written} codex-creds writes beside 15 codex writes, {reads} reads, {:?}",
            started.elapsed()
        );
    }
}
