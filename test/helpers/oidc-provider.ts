// A real OpenID Connect provider on loopback for the single sign-on tests: `oidc-provider` with its
// development login and consent pages (any login name, any password), behind a small proxy that can
// tamper with the ID token it issues — re-signed with the provider's own key, so only the claim the
// test changes (audience, expiry) is wrong, and the product must notice that claim.
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestPerson {
  readonly email: string;
  readonly emailVerified?: boolean;
  readonly name?: string;
}

export type Tamper = 'none' | 'wrong-audience' | 'expired';

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** How the next ID tokens are altered on their way to the product. */
  tamper(mode: Tamper): void;
  /** How many ID tokens were altered since `tamper` was last called, and how. */
  tampered(): { mode: Tamper; count: number };
  /**
   * Plays the person at the provider without a browser: follows the provider's redirects and fills
   * its login (with `login`) and consent forms, and returns the address it sends the browser back
   * to (the product's callback, with code and state).
   */
  signInThrough(authorizationUrl: string, login: string): Promise<URL>;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startTestProvider(options: {
  readonly redirectUris: readonly string[];
  /** Login name → who they are at the provider. */
  readonly people: Readonly<Record<string, TestPerson>>;
}): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const clientId = 'throughline-test';
  const clientSecret = 'a-client-secret-of-the-test-provider-0123456789';

  // The proxy is what the product and browser see; its address is the issuer.
  let tamper: Tamper = 'none';
  let tamperedCount = 0;
  const proxy = http.createServer();
  const proxyPort = await listen(proxy);
  const issuer = `http://127.0.0.1:${proxyPort}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...options.redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789abcdef'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Email and name in the ID token itself, as most enterprise providers send them.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => {
      const person = options.people[id];
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: person.email,
          email_verified: person.emailVerified ?? true,
          name: person.name ?? id,
        }),
      };
    },
  });
  // Quiet: the development pages warn on every use.
  provider.on('server_error', () => undefined);
  const inner = http.createServer(provider.callback());
  const innerPort = await listen(inner);

  proxy.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: innerPort,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          const isToken = request.url?.startsWith('/token') === true && tamper !== 'none';
          if (!isToken) {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
            return;
          }
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            void (async () => {
              const json = JSON.parse(Buffer.concat(body).toString('utf8')) as {
                id_token?: string;
              };
              if (json.id_token) {
                const claims = decodeJwt(json.id_token);
                const header = decodeProtectedHeader(json.id_token);
                const now = Math.floor(Date.now() / 1000);
                const changed =
                  tamper === 'wrong-audience'
                    ? { ...claims, aud: 'someone-else' }
                    : { ...claims, iat: now - 7200, exp: now - 3600 };
                tamperedCount += 1;
                json.id_token = await new SignJWT(changed)
                  .setProtectedHeader({ alg: 'RS256', kid: header.kid ?? 'test-key' })
                  .sign(privateKey);
              }
              const text = JSON.stringify(json);
              const headers = {
                ...answer.headers,
                'content-length': String(Buffer.byteLength(text)),
              };
              response.writeHead(answer.statusCode ?? 502, headers);
              response.end(text);
            })();
          });
        },
      );
      upstream.on('error', () => {
        response.writeHead(502);
        response.end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });

  async function signInThrough(authorizationUrl: string, login: string): Promise<URL> {
    const cookies = new Map<string, string>();
    const keep = (response: Response) => {
      for (const line of response.headers.getSetCookie()) {
        const pair = line.split(';')[0] ?? '';
        const at = pair.indexOf('=');
        cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
    };
    const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let url = new URL(authorizationUrl);
    let init: RequestInit = {};
    for (let step = 0; step < 20; step += 1) {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
      });
      keep(response);
      init = {};
      const location = response.headers.get('location');
      if (location) {
        const next = new URL(location, url);
        if (next.origin !== issuer) return next;
        url = next;
        continue;
      }
      const html = await response.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(html);
      if (!form)
        throw new Error(
          `The provider answered ${response.status} without a form: ${html.slice(0, 300)}`,
        );
      const body = new URLSearchParams();
      for (const input of html.matchAll(
        /<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g,
      ))
        body.set(input[1] ?? '', input[2] ?? '');
      if (/name="login"/.test(html)) {
        body.set('login', login);
        body.set('password', 'any password will do');
      }
      url = new URL((form[1] ?? '').replace(/&amp;/g, '&'), url);
      init = {
        method: 'POST',
        body: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
    throw new Error('The provider kept redirecting');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    tamper: (mode) => {
      tamper = mode;
      tamperedCount = 0;
    },
    tampered: () => ({ mode: tamper, count: tamperedCount }),
    signInThrough,
    close: async () => {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await new Promise<void>((resolve) => inner.close(() => resolve()));
    },
  };
}
