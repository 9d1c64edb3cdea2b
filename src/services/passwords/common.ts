// Is a new password one of the commonest? Checked against the list beside this file (see its
// README for where it comes from), read once, on first use, into a set.
import { readFileSync } from 'node:fs';

let common: ReadonlySet<string> | undefined;

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line !== ''),
  );
  return common;
}

/** True when the password, ignoring case, is on the list of common passwords. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.normalize('NFKC').toLowerCase());
}

/** How many passwords the list holds (for the README and tests). */
export function commonPasswordCount(): number {
  return commonPasswords().size;
}
