//! What RUST_LOG may turn on: the dependencies' traces (zbus, keyring, reqwest, hyper) do show,
//! so the other tests really check them, but the targets that dump raw bytes stay capped even
//! when RUST_LOG names them (src/logging.rs).

use crate::support::{TestHome, run};

const KEY: &str = "sk-proj-LOGGINGCAPKEY-0123456789abcdef";

#[test]
fn a_malformed_or_empty_rust_log_is_ignored_quietly() {
    let home = TestHome::new();
    home.write_auth(&crate::support::check::api_key_file(KEY));
    for filter in ["", "codex_creds=[{", "=,=,"] {
        let out = run(home.cmd().arg("status").env("RUST_LOG", filter));
        assert_eq!(out.code, 0, "{out:?}");
        assert!(out.stderr.is_empty(), "{filter:?}: {out:?}");
        assert!(!out.stdout.contains(KEY), "{out:?}");
    }
}

/// Needs a real Secret Service for the D-Bus traces: `keyring` in its path keeps it out of the
/// hermetic fast tier.
mod keyring {
    use std::collections::BTreeSet;

    use super::KEY;
    use crate::secrets::assert_quiet;
    use crate::support::keyring::SecretService;
    use crate::support::{TestHome, run};

    #[test]
    fn dependency_traces_show_but_byte_dumps_stay_capped() {
        let ss = SecretService::start();
        let home = TestHome::new();
        let secrets = BTreeSet::from([KEY.to_owned()]);
        for filter in [
            "trace",
            "trace,zbus=trace,reqwest::connect::verbose=trace",
            "trace,zbus::connection::handshake::common=trace",
        ] {
            for args in [
                &["--store", "keyring", "login", "--with-api-key"][..],
                &["--store", "keyring", "status", "--json"],
            ] {
                let mut cmd = home.cmd();
                ss.apply(&mut cmd);
                let out = run(cmd
                    .args(args)
                    .env("RUST_LOG", filter)
                    .write_stdin(format!("{KEY}\n")));
                assert_eq!(out.code, 0, "{out:?}");
                assert_quiet(&out, &secrets, &format!("{filter} {args:?}"));
                // The Secret Service conversation is traced ...
                assert!(out.stderr.contains("zbus::connection::socket"), "{out:?}");
                assert!(out.stderr.contains("keyring"), "{out:?}");
                // ... but not the raw message bytes the handshake span carries.
                assert!(!out.stderr.contains("extra_bytes"), "{filter}: {out:?}");
            }
        }
    }
}
