// Password hashing (scrypt, from Node's crypto), random tokens stored only as hashes, and secrets
// the product must read back, stored encrypted.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isCommonPassword } from './passwords/common.ts';

// OWASP's scrypt guidance: N=2^17, r=8, p=1 (about 128 MiB); we use N=2^15 with r=8, p=1 so a
// sign-in costs ~50 ms on a small server and tests stay quick, and store the parameters in the hash
// so they can be raised later without breaking existing passwords.
const PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 } as const;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hash format: scrypt$N$r$p$salt(base64)$key(base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFKC'), salt, PARAMS.keyLength, {
    N: PARAMS.N,
    r: PARAMS.r,
    p: PARAMS.p,
    maxmem: 256 * 1024 * 1024,
  });
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scryptAsync(
    password.normalize('NFKC'),
    Buffer.from(saltB64, 'base64'),
    expected.length,
    {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: 256 * 1024 * 1024,
    },
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to compare against when the e-mail address is unknown, so timing does not reveal accounts. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** A random, URL-safe secret with a readable prefix, e.g. `tl_pat_…` for an API token. */
export function newSecretToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Rules for a new password, as the NCSC's password guidance suggests: length over complexity, and
 * not one of the passwords attackers try first.
 */
export function passwordProblem(password: string, email: string): string | undefined {
  if (password.length < 12) return 'Password must be 12 characters or more';
  if (password.length > 256) return 'Password must be 256 characters or fewer';
  if (password.toLowerCase() === email.toLowerCase())
    return 'Password must not be your email address';
  if (/^(.)\1+$/.test(password)) return 'Password must not be one character repeated';
  if (isCommonPassword(password))
    return 'Password is on a list of common passwords that attackers try first: choose a different one, such as three random words';
  return undefined;
}

/**
 * Secrets the product must read back (an identity provider's client secret) are stored encrypted
 * with AES-256-GCM under the instance's key, with what they belong to (e.g. an organisation's id)
 * as associated data, so a value copied to another row does not decrypt. The key never lives in the
 * database: it is SECRETS_KEY, or else a random key made once in DATA_DIR/secrets.key (mode 0600).
 * Several machines sharing one database must share SECRETS_KEY.
 */
export function secretsKeyFrom(config: {
  secretsKey?: string | undefined;
  dataDir: string;
}): Buffer {
  let material = config.secretsKey;
  if (material === undefined) {
    const file = path.join(config.dataDir, 'secrets.key');
    if (!existsSync(file)) {
      mkdirSync(config.dataDir, { recursive: true });
      try {
        writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process made it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    material = readFileSync(file, 'utf8').trim();
  }
  return createHash('sha256').update(`throughline-secrets-v1\0${material}`).digest();
}

export function encryptSecret(key: Buffer, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The plaintext, or undefined when the value was not encrypted with this key for `boundTo`. */
export function decryptSecret(key: Buffer, stored: string, boundTo: string): string | undefined {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined)
    return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}
