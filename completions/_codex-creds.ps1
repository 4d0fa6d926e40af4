
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'codex-creds' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'codex-creds'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'codex-creds' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in: ChatGPT in the browser or with a device code (over SSH), API key or access token')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove stored credentials (and revoke the ChatGPT refresh token)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show who is logged in, how and where the credentials are stored (no network)')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh the ChatGPT access token now, or only when it expires soon')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the bearer token (API key or access token) for scripts, refreshing it when needed')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move the stored credentials to another store (file, keyring)')
            [CompletionResult]::new('app-server', 'app-server', [CompletionResultType]::ParameterValue, 'Serve Codex''s account JSON-RPC API (`codex app-server`''s login methods) over stdio')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Show the ChatGPT plan''s usage limits (5-hour, weekly, credits) for the active login')
            [CompletionResult]::new('workspace', 'workspace', [CompletionResultType]::ParameterValue, 'List the workspaces of the active ChatGPT login, or switch to one')
            [CompletionResult]::new('account', 'account', [CompletionResultType]::ParameterValue, 'Several logins side by side: save, add, list, switch (use), rename, remove, import, export')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codex-creds;login' {
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Log in with an API key; without KEY it is read from stdin (KEY on the command line is visible to other processes)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port for the local callback server [default: 1455, falling back to 1457] (keeps the browser login)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on the browser or device login after this long (e.g. 90s, 10m)')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--with-api-key', '--with-api-key', [CompletionResultType]::ParameterName, 'Read an API key from stdin (a hidden prompt when stdin is a terminal)')
            [CompletionResult]::new('--with-access-token', '--with-access-token', [CompletionResultType]::ParameterName, 'Read a personal access token (at-…) from stdin')
            [CompletionResult]::new('--device-auth', '--device-auth', [CompletionResultType]::ParameterName, 'Sign in with a one-time device code instead of a local browser callback (the default over SSH, or on Linux without a display)')
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'Use the browser login even over SSH or without a display (so do --port, --no-browser and a BROWSER environment variable)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the sign-in URL instead of opening a browser (keeps the browser login)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;logout' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--no-revoke', '--no-revoke', [CompletionResultType]::ParameterName, 'Do not revoke the refresh token at the issuer; only remove local credentials')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;status' {
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Show a saved account instead of the active login (without making it active)')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the status as JSON on stdout (stable schema, see README)')
            [CompletionResult]::new('--show-token', '--show-token', [CompletionResultType]::ParameterName, 'Include the full API key or access token in the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;refresh' {
            [CompletionResult]::new('--min-validity', '--min-validity', [CompletionResultType]::ParameterName, 'Refresh only when the access token expires within this long (e.g. 15m); default: always')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Refresh a saved account instead of the active login (without making it active)')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;token' {
            [CompletionResult]::new('--min-validity', '--min-validity', [CompletionResultType]::ParameterName, 'Refresh first when the access token expires within this long')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Print the token of a saved account instead of the active login''s (without making it active)')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON object with the token, its mode and its expiry instead of the bare token')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;migrate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The store to move the credentials to')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;app-server' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port for the ChatGPT login''s callback [default: 1455, else 1457]')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;usage' {
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Show a saved account''s usage instead of the active login''s (without making it active)')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the usage as JSON on stdout (stable schema, see README)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Show the usage of every saved account, read in parallel (JSON: keyed by account name)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;workspace' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspaces of the active login: id, name, personal or workspace, selected (*)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codex-creds;workspace;list' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the workspaces as JSON on stdout (stable schema, see README)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;workspace;use' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;workspace;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspaces of the active login: id, name, personal or workspace, selected (*)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codex-creds;workspace;help;list' {
            break
        }
        'codex-creds;workspace;help;use' {
            break
        }
        'codex-creds;workspace;help;help' {
            break
        }
        'codex-creds;account' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save the active login as the account NAME (again: update it)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Log in a new account and save it as NAME, without touching or revoking the active login')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved accounts (no network)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make the account NAME (or, with --best, the one with the most usage left) the active login')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a saved account')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Revoke a saved account''s login at its issuer and forget it')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Save an auth.json (from a file or stdin) as an account, or import another switcher''s')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a saved account''s auth.json on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codex-creds;account;save' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;add' {
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'Log in with an API key; without KEY it is read from stdin (KEY on the command line is visible to other processes)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port for the local callback server [default: 1455, falling back to 1457] (keeps the browser login)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on the browser or device login after this long (e.g. 90s, 10m)')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--use', '--use', [CompletionResultType]::ParameterName, 'Also make it the active login')
            [CompletionResult]::new('--with-api-key', '--with-api-key', [CompletionResultType]::ParameterName, 'Read an API key from stdin (a hidden prompt when stdin is a terminal)')
            [CompletionResult]::new('--with-access-token', '--with-access-token', [CompletionResultType]::ParameterName, 'Read a personal access token (at-…) from stdin')
            [CompletionResult]::new('--device-auth', '--device-auth', [CompletionResultType]::ParameterName, 'Sign in with a one-time device code instead of a local browser callback (the default over SSH, or on Linux without a display)')
            [CompletionResult]::new('--browser', '--browser', [CompletionResultType]::ParameterName, 'Use the browser login even over SSH or without a display (so do --port, --no-browser and a BROWSER environment variable)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the sign-in URL instead of opening a browser (keeps the browser login)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;list' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the list as JSON on stdout (stable schema, see README)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;use' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--best', '--best', [CompletionResultType]::ParameterName, 'Switch to the saved account with the most headroom (the smallest `100 - used %` over its windows); ties keep the active account; accounts whose usage cannot be read are skipped')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --best: only say which account it would pick')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;rename' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;remove' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--no-revoke', '--no-revoke', [CompletionResultType]::ParameterName, 'Do not revoke the refresh token at the issuer; only forget the account')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;import' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The name to save it as')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Import the accounts of another switcher (read-only: its files are left as they are)')
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;export' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('--access-only', '--access-only', [CompletionResultType]::ParameterName, 'Leave out the refresh token: the copy can use the access token but can never rotate, and so never revoke, the login')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;account;help' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save the active login as the account NAME (again: update it)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Log in a new account and save it as NAME, without touching or revoking the active login')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved accounts (no network)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make the account NAME (or, with --best, the one with the most usage left) the active login')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a saved account')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Revoke a saved account''s login at its issuer and forget it')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Save an auth.json (from a file or stdin) as an account, or import another switcher''s')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a saved account''s auth.json on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codex-creds;account;help;save' {
            break
        }
        'codex-creds;account;help;add' {
            break
        }
        'codex-creds;account;help;list' {
            break
        }
        'codex-creds;account;help;use' {
            break
        }
        'codex-creds;account;help;rename' {
            break
        }
        'codex-creds;account;help;remove' {
            break
        }
        'codex-creds;account;help;import' {
            break
        }
        'codex-creds;account;help;export' {
            break
        }
        'codex-creds;account;help;help' {
            break
        }
        'codex-creds;completion' {
            [CompletionResult]::new('--codex-home', '--codex-home', [CompletionResultType]::ParameterName, 'Codex home directory [default: $CODEX_HOME, else ~/.codex]')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Override a config.toml key for this run (TOML value, e.g. -c forced_login_method=''"api"'')')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Credential store for this run, overriding `cli_auth_credentials_store`')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'codex-creds;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in: ChatGPT in the browser or with a device code (over SSH), API key or access token')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove stored credentials (and revoke the ChatGPT refresh token)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show who is logged in, how and where the credentials are stored (no network)')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Refresh the ChatGPT access token now, or only when it expires soon')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the bearer token (API key or access token) for scripts, refreshing it when needed')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move the stored credentials to another store (file, keyring)')
            [CompletionResult]::new('app-server', 'app-server', [CompletionResultType]::ParameterValue, 'Serve Codex''s account JSON-RPC API (`codex app-server`''s login methods) over stdio')
            [CompletionResult]::new('usage', 'usage', [CompletionResultType]::ParameterValue, 'Show the ChatGPT plan''s usage limits (5-hour, weekly, credits) for the active login')
            [CompletionResult]::new('workspace', 'workspace', [CompletionResultType]::ParameterValue, 'List the workspaces of the active ChatGPT login, or switch to one')
            [CompletionResult]::new('account', 'account', [CompletionResultType]::ParameterValue, 'Several logins side by side: save, add, list, switch (use), rename, remove, import, export')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codex-creds;help;login' {
            break
        }
        'codex-creds;help;logout' {
            break
        }
        'codex-creds;help;status' {
            break
        }
        'codex-creds;help;refresh' {
            break
        }
        'codex-creds;help;token' {
            break
        }
        'codex-creds;help;migrate' {
            break
        }
        'codex-creds;help;app-server' {
            break
        }
        'codex-creds;help;usage' {
            break
        }
        'codex-creds;help;workspace' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspaces of the active login: id, name, personal or workspace, selected (*)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Switch the active login to workspace ID, as Codex does (the refresh token is kept)')
            break
        }
        'codex-creds;help;workspace;list' {
            break
        }
        'codex-creds;help;workspace;use' {
            break
        }
        'codex-creds;help;account' {
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save the active login as the account NAME (again: update it)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Log in a new account and save it as NAME, without touching or revoking the active login')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved accounts (no network)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make the account NAME (or, with --best, the one with the most usage left) the active login')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a saved account')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Revoke a saved account''s login at its issuer and forget it')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Save an auth.json (from a file or stdin) as an account, or import another switcher''s')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print a saved account''s auth.json on stdout')
            break
        }
        'codex-creds;help;account;save' {
            break
        }
        'codex-creds;help;account;add' {
            break
        }
        'codex-creds;help;account;list' {
            break
        }
        'codex-creds;help;account;use' {
            break
        }
        'codex-creds;help;account;rename' {
            break
        }
        'codex-creds;help;account;remove' {
            break
        }
        'codex-creds;help;account;import' {
            break
        }
        'codex-creds;help;account;export' {
            break
        }
        'codex-creds;help;completion' {
            break
        }
        'codex-creds;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
