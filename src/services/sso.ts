// Single sign-on with OpenID Connect (issue 17, point 3), beside e-mail and password.
//
// An organisation's admin names its identity provider (issuer, client id and secret, the e-mail
// domains it vouches for, the role a new person gets). Signing in is the authorization-code flow
// with PKCE, state and nonce, done by `openid-client`: the ID token's signature, issuer, audience,
// expiry and nonce are checked there. Around it, this service keeps each sign-in under way in the
// database (`sso_logins`), usable once and only by the browser that started it (a random value in
// a cookie, kept here only as a hash), so a replayed or planted answer from the provider is refused.
//
// Accounts are made just in time: someone new joins the organisation with the configured role; a
// person who already has an account with the same e-mail address — which the provider must say it
// has verified (`email_verified`) — is linked to it. After that the provider's own id for them
// (issuer + subject) finds them, even if their address changes there. A person without a
// membership (new, or once removed) joins with the configured role: with single sign-on, who may
// come in is decided at the provider and by the allowed domains.
//
// The client secret is encrypted with the instance's key (src/services/secrets.ts), bound to the
// organisation's id; it is an instance secret, never carried by an organisation archive.
import * as oidc from 'openid-client';
import type { Config } from '../config.ts';
import { normaliseEmail } from '../storage/repositories/platform.ts';
import {
  SsoDirectory,
  type OrgScope,
  type Role,
  type SsoConfig,
  type SsoSettingsInput,
  type Storage,
} from '../storage/index.ts';
import type { AccountService } from './accounts.ts';
import { decryptSecret, encryptSecret, newSecretToken, secretsKeyFrom, sha256 } from './secrets.ts';

/** How long someone has at the provider before the sign-in must be started again. */
const LOGIN_MINUTES = 10;
/** Provider metadata (endpoints, keys) is read again after this long. */
const DISCOVERY_TTL_MS = 10 * 60_000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const SSO_SCOPES = 'openid email profile';

export type SsoFailure = {
  readonly ok: false;
  /** For the log and the tests; never shown. */
  readonly reason:
    | 'not_configured'
    | 'unknown_state'
    | 'provider_error'
    | 'invalid_answer'
    | 'no_verified_email'
    | 'domain_refused'
    | 'account_disabled'
    | 'secret_unreadable';
  /** What the person is told, in plain words. */
  readonly message: string;
  /** The underlying error, for the log. */
  readonly detail?: string;
};

export type SsoSignIn =
  | {
      readonly ok: true;
      readonly token: string;
      readonly returnTo: string;
      readonly userId: string;
    }
  | SsoFailure;

export type SsoStart =
  { readonly ok: true; readonly url: string; readonly browserValue: string } | SsoFailure;

export type SsoSaveResult =
  { readonly ok: true } | { readonly ok: false; readonly field: string; readonly message: string };

export interface SsoServiceOptions {
  /** Time limit for each call to the provider, in seconds (default 10). */
  readonly timeoutSeconds?: number;
}

/** True when the issuer may be reached over plain HTTP: only a provider on this machine. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** Why an issuer address cannot be used, or undefined. */
export function issuerProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter the issuer as a full web address, like https://login.example.org/realms/council';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url)))
    return 'The issuer must start with https:// (http:// only for a provider on this machine)';
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    return 'The issuer must not contain a user name, password, query or fragment';
  return undefined;
}

const failure = (reason: SsoFailure['reason'], message: string, detail?: string): SsoFailure => ({
  ok: false,
  reason,
  message,
  ...(detail === undefined ? {} : { detail }),
});

const START_AGAIN =
  'This sign-in has expired or has already been used. Start again from the sign-in page';

export class SsoService {
  private key: Buffer | undefined;
  private readonly directory: SsoDirectory;
  private readonly discovered = new Map<
    string,
    { at: number; configuration: Promise<oidc.Configuration> }
  >();

  constructor(
    private readonly storage: Storage,
    private readonly accounts: AccountService,
    private readonly config: Pick<Config, 'secretsKey' | 'dataDir'>,
    private readonly options: SsoServiceOptions = {},
  ) {
    this.directory = new SsoDirectory(storage.db.kysely);
  }

  private secretsKey(): Buffer {
    this.key ??= secretsKeyFrom(this.config);
    return this.key;
  }

  /** The organisation's settings, and whether a client secret is kept and readable. */
  async settingsOf(
    scope: OrgScope,
  ): Promise<{ config: SsoConfig | undefined; hasSecret: boolean; secretReadable: boolean }> {
    const config = await scope.sso.config();
    const stored = await scope.sso.encryptedSecret();
    return {
      config,
      hasSecret: stored !== undefined,
      secretReadable:
        stored !== undefined &&
        decryptSecret(this.secretsKey(), stored, scope.organisationId) !== undefined,
    };
  }

  /**
   * Saves an organisation's settings after reading the provider's metadata, so a mistyped issuer is
   * caught here rather than by the first person to sign in. An empty secret keeps the stored one.
   */
  async save(
    scope: OrgScope,
    input: SsoSettingsInput & { readonly clientSecret: string },
  ): Promise<SsoSaveResult> {
    const problem = issuerProblem(input.issuer);
    if (problem) return { ok: false, field: 'issuer', message: problem };
    const stored = await scope.sso.encryptedSecret();
    const secret =
      input.clientSecret !== ''
        ? input.clientSecret
        : stored === undefined
          ? undefined
          : decryptSecret(this.secretsKey(), stored, scope.organisationId);
    if (secret === undefined)
      return {
        ok: false,
        field: 'clientSecret',
        message:
          stored === undefined
            ? 'Enter the client secret the identity provider gave you'
            : 'The stored client secret cannot be read with this service’s key: enter it again',
      };
    if (input.enabled) {
      try {
        const found = await this.discover(input.issuer, input.clientId, secret);
        const issuer = found.serverMetadata().issuer;
        if (issuer !== input.issuer && issuer !== input.issuer.replace(/\/$/, ''))
          return {
            ok: false,
            field: 'issuer',
            message: `The provider calls itself ${issuer}: enter exactly that as the issuer`,
          };
      } catch (error) {
        return {
          ok: false,
          field: 'issuer',
          message: `Could not read the provider’s settings at ${input.issuer}/.well-known/openid-configuration (${describe(error)}). Check the issuer address`,
        };
      }
    }
    const encrypted =
      input.clientSecret === ''
        ? undefined
        : encryptSecret(this.secretsKey(), input.clientSecret, scope.organisationId);
    await scope.sso.save(input, encrypted);
    this.discovered.clear();
    return { ok: true };
  }

  /** The organisations whose single sign-on accepts this address's domain. */
  async forEmail(email: string) {
    const domain = normaliseEmail(email).split('@')[1];
    return domain ? this.directory.byDomain(domain) : [];
  }

  /** The organisation behind a `/sign-in/sso/<slug>` link, if its single sign-on is switched on. */
  async forSlug(slug: string) {
    const found = await this.directory.bySlug(slug);
    return found?.config.enabled ? found : undefined;
  }

  /**
   * Starts signing in to an organisation: the address to send the browser to, and the value its
   * sign-in cookie must hold when the provider sends it back.
   */
  async begin(slug: string, returnTo: string, redirectUri: string): Promise<SsoStart> {
    const found = await this.forSlug(slug);
    if (!found)
      return failure('not_configured', 'This organisation does not use single sign-on here');
    const configuration = await this.configurationFor(found.organisationId, found.config);
    if (!configuration.ok) return configuration;
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const browserValue = newSecretToken('', 32);
    await this.storage.scope(found.organisationId, SYSTEM).sso.startLogin({
      stateHash: sha256(state),
      browserHash: sha256(browserValue),
      codeVerifier,
      nonce,
      returnTo,
      expiresAt: new Date(Date.now() + LOGIN_MINUTES * 60_000).toISOString(),
    });
    const url = oidc.buildAuthorizationUrl(configuration.value, {
      redirect_uri: redirectUri,
      scope: SSO_SCOPES,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { ok: true, url: url.href, browserValue };
  }

  /**
   * Finishes a sign-in with the provider's answer (the callback's query string): the sign-in under
   * way is taken (once), the code exchanged and the ID token checked, the person found, linked or
   * made, and a session opened in the organisation.
   */
  async finish(
    query: URLSearchParams,
    browserValue: string | undefined,
    redirectUri: string,
  ): Promise<SsoSignIn> {
    const state = query.get('state');
    if (state === null || state.length > 200) return failure('unknown_state', START_AGAIN);
    const login = await this.directory.takeLogin(sha256(state));
    if (
      !login ||
      Date.parse(login.expiresAt) <= Date.now() ||
      browserValue === undefined ||
      sha256(browserValue) !== login.browserHash
    )
      return failure('unknown_state', START_AGAIN);
    const scope = this.storage.scope(login.organisationId, SYSTEM);
    const config = await scope.sso.config();
    if (!config?.enabled)
      return failure('not_configured', 'This organisation no longer uses single sign-on here');
    if (query.has('error')) {
      const error = query.get('error') ?? '';
      return failure(
        'provider_error',
        error === 'access_denied'
          ? `Signing in with ${config.displayName} was cancelled or refused. You can try again`
          : `${config.displayName} could not sign you in. Try again, or ask your organisation’s admin`,
        `${error}: ${query.get('error_description') ?? ''}`,
      );
    }
    const configuration = await this.configurationFor(login.organisationId, config);
    if (!configuration.ok) return configuration;
    const callback = new URL(redirectUri);
    callback.search = query.toString();
    let claims: oidc.IDToken;
    let email: unknown;
    let verified: unknown;
    let name: unknown;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration.value, callback, {
        pkceCodeVerifier: login.codeVerifier,
        expectedNonce: login.nonce,
        expectedState: state,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('no ID token');
      claims = idClaims;
      ({ email, email_verified: verified, name } = claims);
      if (typeof email !== 'string' && tokens.access_token) {
        const info = await oidc.fetchUserInfo(configuration.value, tokens.access_token, claims.sub);
        ({ email, email_verified: verified, name } = info);
      }
    } catch (error) {
      return failure(
        'invalid_answer',
        `The answer from ${config.displayName} could not be checked, so you have not been signed in. Try again, or ask your organisation’s admin to check the single sign-on settings`,
        describe(error),
      );
    }
    if (typeof email !== 'string' || !email.includes('@') || verified !== true)
      return failure(
        'no_verified_email',
        `${config.displayName} did not give a verified email address for you, so you cannot be signed in. Ask your organisation’s admin`,
      );
    const address = normaliseEmail(email);
    const domain = address.split('@')[1] ?? '';
    if (!config.allowedDomains.includes(domain)) {
      await scope.audit({
        action: 'sso.sign_in_refused',
        entityType: 'organisation',
        entityId: login.organisationId,
        details: { domain },
      });
      return failure(
        'domain_refused',
        `Addresses at ${domain} cannot sign in to this organisation with single sign-on. Use the account your organisation gave you, or ask its admin`,
      );
    }
    const who = {
      issuer: claims.iss,
      subject: claims.sub,
      email: address,
      name:
        typeof name === 'string' && name.trim() !== ''
          ? name.trim()
          : address.slice(0, address.indexOf('@')),
    };
    let userId: string | undefined;
    try {
      userId = await this.findOrMakePerson(login.organisationId, config, who);
    } catch {
      // Two first sign-ins of one person at the same moment: one made the account (the other hit
      // the unique address or identity); once more finds what the first made.
      userId = await this.findOrMakePerson(login.organisationId, config, who);
    }
    if (userId === undefined)
      return failure(
        'account_disabled',
        'Your account has been switched off. Ask your organisation’s admin',
      );
    const session = await this.accounts.openSession(userId, login.organisationId);
    if (!session) return failure('account_disabled', 'You could not be signed in. Try again');
    return { ok: true, token: session.token, returnTo: login.returnTo, userId };
  }

  /** Removes sign-ins that were never finished. */
  async prune(): Promise<number> {
    return this.directory.deleteLoginsBefore(new Date().toISOString());
  }

  private async findOrMakePerson(
    organisationId: string,
    config: SsoConfig,
    who: { issuer: string; subject: string; email: string; name: string },
  ): Promise<string | undefined> {
    return this.storage.transaction(async ({ platform, scope: scopeFor }) => {
      const system = scopeFor(organisationId, SYSTEM);
      let userId = await system.sso.findIdentity(who.issuer, who.subject);
      let created = false;
      let linked = false;
      if (userId === undefined) {
        const existing = await platform.findUserByEmail(who.email);
        if (existing) {
          userId = existing.id;
          linked = true;
        } else {
          // No password: this person signs in only through the provider (or after a reset).
          userId = await platform.createUser({
            email: who.email,
            name: who.name,
            passwordHash: '',
          });
          created = true;
        }
        await system.sso.linkIdentity(userId, who.issuer, who.subject);
      } else {
        await system.sso.touchIdentity(who.issuer, who.subject);
      }
      const user = await platform.findUserById(userId);
      if (!user || user.disabled) return undefined;
      const scope = scopeFor(organisationId, { userId, label: `${user.name} <${user.email}>` });
      const joined = (await scope.memberByUserId(userId)) === undefined;
      if (joined) await scope.addMember(userId, config.newUserRole, 'single sign-on');
      if (created || linked)
        await scope.audit({
          action: created ? 'sso.account_created' : 'sso.account_linked',
          entityType: 'user',
          entityId: userId,
          details: { role: config.newUserRole as Role, joined, provider: config.displayName },
        });
      return userId;
    });
  }

  private async configurationFor(
    organisationId: string,
    config: SsoConfig,
  ): Promise<{ ok: true; value: oidc.Configuration } | SsoFailure> {
    const stored = await this.storage.scope(organisationId, SYSTEM).sso.encryptedSecret();
    const secret =
      stored === undefined ? undefined : decryptSecret(this.secretsKey(), stored, organisationId);
    if (secret === undefined)
      return failure(
        'secret_unreadable',
        'Single sign-on is not working at the moment. Sign in with your email address and password, or ask your organisation’s admin',
        'the client secret is missing or cannot be decrypted with this instance’s key (SECRETS_KEY)',
      );
    const key = `${organisationId}\n${config.updatedAt}`;
    const cached = this.discovered.get(key);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS)
      return { ok: true, value: await cached.configuration };
    const configuration = this.discover(config.issuer, config.clientId, secret);
    this.discovered.set(key, { at: Date.now(), configuration });
    try {
      return { ok: true, value: await configuration };
    } catch (error) {
      this.discovered.delete(key);
      return failure(
        'invalid_answer',
        'Single sign-on is not working at the moment: the identity provider could not be reached. Try again later, or sign in with your email address and password',
        describe(error),
      );
    }
  }

  private discover(issuer: string, clientId: string, secret: string): Promise<oidc.Configuration> {
    const url = new URL(issuer);
    return oidc.discovery(url, clientId, secret, undefined, {
      timeout: this.options.timeoutSeconds ?? 10,
      ...(url.protocol === 'http:' && isLoopbackUrl(url)
        ? { execute: [oidc.allowInsecureRequests] }
        : {}),
    });
  }
}

const SYSTEM = { userId: null, label: 'Single sign-on' } as const;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
