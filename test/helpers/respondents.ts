// Respondents answering a running service (a real child process) through their single-use links,
// as people do: for the tests that hold the service to "every acknowledged answer is kept" —
// through a backup (backup.test.ts) and through a crash (crash-safety.test.ts).
import { capabilitiesByScope, defaultFramework } from '../../src/domain/framework/index.ts';
import { newSecretToken, sha256 } from '../../src/services/secrets.ts';
import type { Storage } from '../../src/storage/index.ts';
import { demoCouncilAndLead } from './rounds.ts';

export const CAPABILITIES = capabilitiesByScope(defaultFramework, 'organisation').map((c) => c.id);

/** A respondent answering through a link, with the cookies the pages set. */
export class Respondent {
  private cookies = new Map<string, string>();
  constructor(
    private readonly base: string,
    readonly responseId: string,
  ) {}

  private keep(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  private get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** GETs `path` and POSTs `fields` with its CSRF token; the status of the POST (0 if none). */
  private async post(path: string, fields: Record<string, string>): Promise<number> {
    const page = await fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
    this.keep(page);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    if (page.status !== 200 || csrf === undefined) return 0;
    const res = await fetch(`${this.base}${path.replace(/\/check$/, '/submit')}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** Saves one answer; true once the service has acknowledged it (303 to the next question). */
  async answer(capability: string, level: number): Promise<boolean> {
    const status = await this.post(`/${capability}`, {
      level: String(level),
      evidence: `Seen in review ${capability}`,
      confidence: 'medium',
      action: 'continue',
      acknowledged: '1',
    });
    return status === 303;
  }

  /** Sends the response from its check page; true once acknowledged (303 to "sent"). */
  async submit(): Promise<boolean> {
    return (await this.post('/check', {})) === 303;
  }
}

/**
 * An open organisation-level round in the demo council with a single-use link per respondent,
 * set up as the round pages would. Returns each link's token and response id.
 */
export async function openRoundWithLinks(
  storage: Storage,
  title: string,
  respondents: number,
): Promise<{ token: string; responseId: string }[]> {
  const { council, lead } = await demoCouncilAndLead(storage);
  const links: { token: string; responseId: string }[] = [];
  await storage.transaction(async ({ scope }) => {
    const store = scope(council.id, { userId: lead.id, label: 'Test set-up' }).assessments;
    const roundId = await store.createRound({
      scope: 'organisation',
      title,
      opensOn: '2027-01-04',
      closesOn: '2027-01-29',
      groups: ['Everyone'],
      minGroupSize: 3,
      framework: {
        id: defaultFramework.id,
        version: defaultFramework.version,
        document: defaultFramework.document,
      },
    });
    await store.changeStatus(roundId, ['draft'], 'open');
    const group = (await store.round(roundId))?.groups[0];
    if (!group) throw new Error('no group');
    for (let i = 0; i < respondents; i++) {
      const token = newSecretToken('', 24);
      const responseId = await store.createResponse({
        roundId,
        groupId: group.id,
        label: `Link ${i + 1}`,
        linkTokenHash: sha256(token),
      });
      links.push({ token, responseId });
    }
  });
  return links;
}
