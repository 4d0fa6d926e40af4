// A real OpenID provider (npm `oidc-provider` v9) shaped like Codex's issuer, for the
// integration tests: Codex's routes (/oauth/authorize, /oauth/token, /oauth/revoke), its public
// client, its device-code JSON endpoints, its API-key token exchange, and JWT access tokens that
// carry `exp` and the "https://api.openai.com/auth" claims.
//
// Also Codex's personal-access-token whoami: GET /api/accounts/v1/user-auth-credential/whoami.
//
// Usage: node oidc-server.mjs '<options JSON>'   (or OIDC_OPTIONS='<json>')
// Prints one line `{"issuer":"http://127.0.0.1:PORT"}` on stdout when ready; logs go to stderr.
//
// Options (all optional):
//   access_token_ttl     seconds (default 3600)
//   id_token_ttl         seconds (default 3600)
//   refresh_token_ttl    seconds (default 14 days)
//   rotate_refresh_tokens  bool (default true: every refresh returns a new refresh token)
//   client_id            (default Codex's)
//   user                 { sub, email, plan, chatgpt_user_id, chatgpt_account_id, is_org_owner,
//                          organization_id, project_id, completed_platform_onboarding,
//                          chatgpt_account_is_fedramp }
//   device_interval      the `interval` the usercode endpoint returns (default "1", a string as
//                        the real server may send)
//   device_auto_approve_after  approve a device login after this many polls (default: never;
//                        approve with POST /test/device/approve)
//   api_key              the key the token exchange returns (default "sk-test-<random>")
//   api_key_exchange     "ok" | "fail" (default "ok")
//
// Test endpoints (not part of any real issuer):
//   GET  /test/stats            counts: grants by type, revocations, device polls, authorizes
//   GET  /test/last-authorize   the query parameters of the last GET /oauth/authorize
//   GET  /test/requests         the last token, revoke and whoami requests (headers + parameters)
//   POST /test/config           JSON merged into the options above, plus one-shot switches:
//                               deny_next_login: "<error>" (e.g. "access_denied"),
//                               deny_next_login_description: "...",
//                               fail_next_token: {status, body}, fail_next_revoke: {status, body},
//                               device_mode: "pending" | "deny" | "expire" | "slow_down" | "error500"
//   POST /test/device/approve   JSON {user_code} (or {} for the latest): the next poll succeeds

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as querystring from 'node:querystring';

import Provider from 'oidc-provider';

const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
const AUTH_NS = 'https://api.openai.com/auth';
const PROFILE_NS = 'https://api.openai.com/profile';
const RESOURCE = 'https://api.openai.com/v1';
const RESOURCE_SCOPE = 'api.connectors.read api.connectors.invoke';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

const options = {
  access_token_ttl: 3600,
  id_token_ttl: 3600,
  refresh_token_ttl: 14 * 24 * 3600,
  rotate_refresh_tokens: true,
  client_id: CODEX_CLIENT_ID,
  device_interval: '1',
  device_auto_approve_after: null,
  api_key: `sk-test-${crypto.randomBytes(12).toString('hex')}`,
  api_key_exchange: 'ok',
  ...JSON.parse(process.argv[2] || process.env.OIDC_OPTIONS || '{}'),
};
options.user = {
  sub: 'user-test-123',
  email: 'tester@example.com',
  plan: 'pro',
  chatgpt_user_id: 'user-test-123',
  chatgpt_account_id: 'ws-test-1',
  is_org_owner: true,
  organization_id: 'org-test-1',
  project_id: 'proj-test-1',
  completed_platform_onboarding: true,
  chatgpt_account_is_fedramp: false,
  ...(options.user || {}),
};

const stats = {
  authorization_code: 0,
  refresh_token: 0,
  token_exchange: 0,
  token_requests: 0,
  token_errors: 0,
  revocations: 0,
  revoke_requests: 0,
  whoami: 0,
  device_usercode: 0,
  device_polls: 0,
  authorize_requests: 0,
  logins: 0,
};
let lastAuthorize = null;
const lastRequests = { token: null, revoke: null, whoami: null };
const oneShot = {};
const devices = new Map(); // device_auth_id -> { user_code, approved, polls }

function authClaims(user) {
  return {
    chatgpt_plan_type: user.plan,
    chatgpt_user_id: user.chatgpt_user_id,
    user_id: user.chatgpt_user_id,
    chatgpt_account_id: user.chatgpt_account_id,
    chatgpt_account_is_fedramp: user.chatgpt_account_is_fedramp,
    is_org_owner: user.is_org_owner,
    organization_id: user.organization_id,
    project_id: user.project_id,
    completed_platform_onboarding: user.completed_platform_onboarding,
  };
}

function log(...args) {
  process.stderr.write(`[oidc] ${args.join(' ')}\n`);
}

async function readBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function pickHeaders(req) {
  const keep = ['content-type', 'accept', 'originator', 'user-agent', 'authorization'];
  return Object.fromEntries(keep.filter((h) => req.headers[h] !== undefined).map((h) => [h, req.headers[h]]));
}

// Listen first: the issuer URL needs the port.
const server = http.createServer();
// Node's default keep-alive timeout (5 s) races with clients that reuse a pooled connection
// after a longer pause (a device poll at a 6 s interval); real servers keep idle connections
// open far longer.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: options.client_id,
    application_type: 'native', // RFC 8252: loopback redirect URIs match on any port
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE],
    response_types: ['code'],
    redirect_uris: ['http://127.0.0.1/auth/callback', `${issuer}/deviceauth/callback`],
  }],
  routes: {
    authorization: '/oauth/authorize',
    token: '/oauth/token',
    revocation: '/oauth/revoke',
    jwks: '/.well-known/jwks.json',
    userinfo: '/userinfo',
  },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  claims: {
    openid: ['sub', AUTH_NS],
    email: ['email', 'email_verified'],
    profile: ['name', PROFILE_NS],
  },
  conformIdTokenClaims: false,
  extraParams: ['id_token_add_organizations', 'codex_cli_simplified_flow', 'originator', 'allowed_workspace_id'],
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: RESOURCE_SCOPE,
        audience: RESOURCE,
        accessTokenTTL: options.access_token_ttl,
        accessTokenFormat: 'jwt',
      }),
    },
  },
  // Codex does not send prompt=consent, so oidc-provider drops offline_access; the real issuer
  // still issues refresh tokens, and so does this one.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  expiresWithSession: async () => false,
  rotateRefreshToken: () => options.rotate_refresh_tokens,
  ttl: {
    AccessToken: () => options.access_token_ttl,
    IdToken: () => options.id_token_ttl,
    RefreshToken: () => options.refresh_token_ttl,
    AuthorizationCode: 600,
    Interaction: 3600,
    Session: 3600,
    // Not tied to refresh_token_ttl: a grant made with a 1 s lifetime could expire between the
    // device approval and the code exchange on a slow machine, failing the login, not the refresh.
    Grant: 14 * 24 * 3600,
  },
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({
      sub,
      email: options.user.email,
      email_verified: true,
      name: 'Test User',
      [AUTH_NS]: authClaims(options.user),
      [PROFILE_NS]: { email: options.user.email },
    }),
  }),
  extraTokenClaims: async () => ({
    [AUTH_NS]: authClaims(options.user),
    [PROFILE_NS]: { email: options.user.email },
  }),
  interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['codex-creds-test-cookie-key'] },
  renderError: async (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
});
provider.proxy = false;

provider.on('grant.success', (ctx) => {
  const gty = ctx.oidc.params.grant_type;
  if (gty === 'authorization_code') stats.authorization_code += 1;
  else if (gty === 'refresh_token') stats.refresh_token += 1;
});
provider.on('grant.error', () => { stats.token_errors += 1; });
// A token the revocation endpoint found and destroyed (its grant goes with it).
provider.on('grant.revoked', (ctx) => {
  if (ctx?.oidc?.route === 'revocation') stats.revocations += 1;
});
provider.on('server_error', (_ctx, err) => log('server_error', err?.stack || err));

// Codex's API-key exchange (spec §5.5): an id_token in, an API key out.
provider.registerGrantType(TOKEN_EXCHANGE, async (ctx) => {
  const { requested_token: requested, subject_token: subject, subject_token_type: subjectType } = ctx.oidc.params;
  if (requested !== 'openai-api-key' || subjectType !== 'urn:ietf:params:oauth:token-type:id_token' || !subject) {
    ctx.status = 400;
    ctx.body = { error: 'invalid_request', error_description: 'unsupported token exchange' };
    return;
  }
  if (options.api_key_exchange === 'fail') {
    ctx.status = 403;
    ctx.body = { error: 'access_denied', error_description: 'no API organization' };
    return;
  }
  stats.token_exchange += 1;
  ctx.body = { access_token: options.api_key, token_type: 'Bearer', issued_token_type: 'openai-api-key' };
}, ['requested_token', 'subject_token', 'subject_token_type']);

// A grant for the test user covering what was asked (OIDC scopes + the resource's scopes).
async function makeGrant(clientId, scope, resourceScopes) {
  const grant = new provider.Grant({ accountId: options.user.sub, clientId });
  grant.addOIDCScope(scope || 'openid');
  for (const [resource, scopes] of Object.entries(resourceScopes || { [RESOURCE]: RESOURCE_SCOPE })) {
    grant.addResourceScope(resource, Array.isArray(scopes) ? scopes.join(' ') : scopes);
  }
  return grant.save();
}

// Auto-login and auto-consent: a browser that only follows redirects completes the flow.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (oneShot.deny_next_login) {
    const error = oneShot.deny_next_login;
    const description = oneShot.deny_next_login_description || 'The user denied the request';
    delete oneShot.deny_next_login;
    delete oneShot.deny_next_login_description;
    await provider.interactionFinished(req, res, { error, error_description: description }, { mergeWithLastSubmission: false });
    return;
  }
  const missing = details.prompt.details.missingResourceScopes || {};
  const resourceScopes = Object.keys(missing).length ? missing : { [RESOURCE]: RESOURCE_SCOPE };
  const grantId = await makeGrant(details.params.client_id, details.params.scope, resourceScopes);
  stats.logins += 1;
  await provider.interactionFinished(req, res, {
    login: { accountId: options.user.sub },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

// Codex's device flow (spec §6): JSON endpoints; an approved poll returns a real authorization
// code for `{issuer}/deviceauth/callback` with the PKCE pair that goes with it.
async function mintDeviceCode(clientId) {
  const client = await provider.Client.find(clientId);
  const verifier = crypto.randomBytes(64).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const scope = `openid profile email offline_access ${RESOURCE_SCOPE}`;
  const grantId = await makeGrant(clientId, scope);
  const code = new provider.AuthorizationCode({
    accountId: options.user.sub,
    client,
    grantId,
    redirectUri: `${issuer}/deviceauth/callback`,
    scope,
    resource: RESOURCE,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    authTime: Math.floor(Date.now() / 1000),
    expiresWithSession: false,
  });
  const value = await code.save();
  return { authorization_code: value, code_challenge: challenge, code_verifier: verifier };
}

async function deviceUsercode(req, res) {
  stats.device_usercode += 1;
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return sendJson(res, 400, { error: 'invalid_request' });
  }
  if (body.client_id !== options.client_id) return sendJson(res, 400, { error: 'invalid_client' });
  if (options.device_mode === 'disabled') return sendJson(res, 404, { error: 'not_found' });
  const id = `dev_${crypto.randomBytes(8).toString('hex')}`;
  const code = `${crypto.randomBytes(2).toString('hex').toUpperCase()}-${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
  devices.set(id, { user_code: code, approved: false, polls: 0 });
  return sendJson(res, 200, { device_auth_id: id, user_code: code, interval: options.device_interval });
}

async function deviceToken(req, res) {
  stats.device_polls += 1;
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return sendJson(res, 400, { error: 'invalid_request' });
  }
  const device = devices.get(body.device_auth_id);
  if (!device || device.user_code !== body.user_code) return sendJson(res, 404, { error: 'unknown device code' });
  device.polls += 1;
  switch (options.device_mode) {
    case 'deny': return sendJson(res, 400, { error: 'access_denied', error_description: 'The user denied the request' });
    case 'expire': return sendJson(res, 400, { error: 'expired_token', error_description: 'The device code expired' });
    case 'slow_down':
      if (device.polls === 1) return sendJson(res, 429, { error: 'slow_down' });
      break;
    case 'error500': return sendJson(res, 500, { error: 'server_error' });
    default: break;
  }
  const auto = options.device_auto_approve_after;
  if (!device.approved && !(auto !== null && auto !== undefined && device.polls > auto)) {
    return sendJson(res, 403, { error: 'authorization_pending' });
  }
  devices.delete(body.device_auth_id);
  return sendJson(res, 200, await mintDeviceCode(options.client_id));
}

// Codex's personal-access-token whoami (spec §10.2): `at-bad…` tokens are rejected.
function whoami(req, res) {
  stats.whoami += 1;
  lastRequests.whoami = { headers: pickHeaders(req) };
  const auth = req.headers.authorization || '';
  if (!auth.startsWith('Bearer at-') || auth.startsWith('Bearer at-bad')) {
    return sendJson(res, 401, { error: { message: 'invalid access token', code: 'invalid_token' } });
  }
  const { user } = options;
  return sendJson(res, 200, {
    email: user.email,
    chatgpt_user_id: user.chatgpt_user_id,
    chatgpt_account_id: user.chatgpt_account_id,
    chatgpt_plan_type: user.plan,
    chatgpt_account_is_fedramp: user.chatgpt_account_is_fedramp,
  });
}

async function testRoute(req, res, path) {
  if (req.method === 'GET' && path === '/test/stats') return sendJson(res, 200, stats);
  if (req.method === 'GET' && path === '/test/last-authorize') return sendJson(res, 200, lastAuthorize);
  if (req.method === 'GET' && path === '/test/requests') return sendJson(res, 200, lastRequests);
  if (req.method === 'POST' && path === '/test/config') {
    const body = JSON.parse((await readBody(req)) || '{}');
    for (const key of ['deny_next_login', 'deny_next_login_description', 'fail_next_token', 'fail_next_revoke']) {
      if (key in body) {
        oneShot[key] = body[key];
        delete body[key];
      }
    }
    if (body.user) body.user = { ...options.user, ...body.user };
    Object.assign(options, body);
    return sendJson(res, 200, { ok: true });
  }
  if (req.method === 'POST' && path === '/test/device/approve') {
    const body = JSON.parse((await readBody(req)) || '{}');
    let found = 0;
    for (const device of devices.values()) {
      if (!body.user_code || device.user_code === body.user_code) {
        device.approved = true;
        found += 1;
      }
    }
    return sendJson(res, found ? 200 : 404, { approved: found });
  }
  return sendJson(res, 404, { error: 'no such test route' });
}

// Reads a token/revoke body, records it, and hands it to oidc-provider as a form body (a JSON
// body, as Codex sends for refresh and revoke, is converted: oidc-provider only parses forms).
async function forwardBody(req, kind) {
  const raw = await readBody(req);
  let params;
  const json = (req.headers['content-type'] || '').startsWith('application/json');
  if (json) {
    try {
      params = JSON.parse(raw);
    } catch {
      params = {};
    }
    // Codex sends JSON to /oauth/token (refresh, spec §12) and /oauth/revoke (spec §7).
    req.headers['content-type'] = 'application/x-www-form-urlencoded';
  } else {
    params = querystring.parse(raw);
  }
  lastRequests[kind] = { headers: pickHeaders(req), params: { ...params } };
  // Codex revokes an access token without client_id (spec §7); oidc-provider needs one to
  // authenticate the public client.
  if (kind === 'revoke' && !params.client_id) params.client_id = options.client_id;
  const form = querystring.stringify(params);
  req.body = json || kind === 'revoke' ? form : raw;
  // koa's ctx.is() needs a body length to see a body at all.
  req.headers['content-length'] = String(Buffer.byteLength(req.body));
  delete req.headers['transfer-encoding'];
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const path = url.pathname;
    if (path.startsWith('/test/')) return await testRoute(req, res, path);
    if (req.method === 'POST' && path === '/api/accounts/deviceauth/usercode') return await deviceUsercode(req, res);
    if (req.method === 'POST' && path === '/api/accounts/deviceauth/token') return await deviceToken(req, res);
    if (req.method === 'GET' && path === '/api/accounts/v1/user-auth-credential/whoami') return whoami(req, res);
    if (req.method === 'GET' && path.startsWith('/interaction/')) return await interaction(req, res);
    if (req.method === 'GET' && path === '/oauth/authorize') {
      stats.authorize_requests += 1;
      lastAuthorize = Object.fromEntries(url.searchParams.entries());
    }
    if (req.method === 'POST' && path === '/oauth/token') {
      stats.token_requests += 1;
      await forwardBody(req, 'token');
      if (oneShot.fail_next_token) {
        const { status = 500, body = { error: 'server_error' } } = oneShot.fail_next_token;
        delete oneShot.fail_next_token;
        return sendJson(res, status, body);
      }
    }
    if (req.method === 'POST' && path === '/oauth/revoke') {
      stats.revoke_requests += 1;
      await forwardBody(req, 'revoke');
      if (oneShot.fail_next_revoke) {
        const { status = 500, body = { error: 'server_error' } } = oneShot.fail_next_revoke;
        delete oneShot.fail_next_revoke;
        return sendJson(res, status, body);
      }
    }
    return callback(req, res);
  } catch (err) {
    log('handler error', err?.stack || err);
    if (!res.headersSent) sendJson(res, 500, { error: 'harness_error', message: String(err?.message || err) });
    else res.end();
  }
});

// Exit with the parent: the Rust side also kills us on Drop, but a crashed test must not leak us.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
log('ready', issuer);
