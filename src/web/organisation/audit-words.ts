// The audit log in plain words: "Alex Morgan agreed Managing Risk at 4 Needs Improvement in the
// round ‘Capability check, spring 2026’". Every action the log records (AUDIT_ACTIONS) has a short
// label, for filters and exports, and a sentence; the record behind an id is named when it still
// exists and described as "since deleted" when it does not. No event code, id or JSON reaches a
// reader: what an event carries besides its sentence is listed as labelled lines in plain words.
import { levelWithName } from '../../domain/assessment/words.ts';
import { STATUS_WORDS } from '../../domain/initiatives/lifecycle.ts';
import { WAIT_KIND_LABELS, type WaitKind } from '../../domain/mining/analysis/waits.ts';
import type { InitiativeStatus } from '../../domain/initiatives/types.ts';
import { AUDIT_ACTIONS, type AuditAction } from '../../storage/audit.ts';
import { DATA_KIND_WORDS } from '../../domain/sector/consent.ts';

/** An event as the log stores it (the shape of storage's AuditEvent). */
export interface AuditRecord {
  readonly action: string;
  readonly actorLabel: string;
  readonly actorUserId: string | null;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Names of the records events point at, by id; an id missing here names a record since deleted. */
export interface AuditNames {
  readonly users: ReadonlyMap<string, string>;
  /** Membership id → the member's name. */
  readonly memberships: ReadonlyMap<string, string>;
  readonly rounds: ReadonlyMap<string, string>;
  /** Round group id → the group's name. */
  readonly groups: ReadonlyMap<string, string>;
  /** Response id → the id of its round. */
  readonly responseRounds: ReadonlyMap<string, string>;
  readonly capabilities: ReadonlyMap<string, string>;
  readonly chains: ReadonlyMap<string, string>;
  /** `${chainId}/${interventionId}` → the intervention's name. */
  readonly interventions: ReadonlyMap<string, string>;
  readonly logs: ReadonlyMap<string, string>;
  readonly commentSets: ReadonlyMap<string, string>;
  /** Theme analysis id → the name of the comments it analysed. */
  readonly analyses: ReadonlyMap<string, string>;
  readonly initiatives: ReadonlyMap<string, string>;
  readonly risks: ReadonlyMap<string, string>;
  readonly lessons: ReadonlyMap<string, string>;
  /** Invitation id → the invited email address. */
  readonly invitations: ReadonlyMap<string, string>;
  readonly apiTokens: ReadonlyMap<string, string>;
}

export const NO_NAMES: AuditNames = {
  users: new Map(),
  memberships: new Map(),
  rounds: new Map(),
  groups: new Map(),
  responseRounds: new Map(),
  capabilities: new Map(),
  chains: new Map(),
  interventions: new Map(),
  logs: new Map(),
  commentSets: new Map(),
  analyses: new Map(),
  initiatives: new Map(),
  risks: new Map(),
  lessons: new Map(),
  invitations: new Map(),
  apiTokens: new Map(),
};

export interface DescribedDetail {
  readonly label: string;
  readonly value: string;
}

export interface DescribedEvent {
  /** Who did it, by name ("Alex Morgan", or "The system" for automatic work). */
  readonly who: string;
  /** The whole sentence, starting with who did it. */
  readonly sentence: string;
  /** The kind of action in a few words, e.g. "Agreed a level". */
  readonly label: string;
  /** What else the event records, in plain words. */
  readonly details: readonly DescribedDetail[];
}

/** Ids a page of events points at, by kind, for storage to look up in one go. */
export interface AuditReferences {
  readonly users: string[];
  readonly memberships: string[];
  readonly rounds: string[];
  readonly groups: string[];
  readonly responses: string[];
  readonly chains: string[];
  readonly logs: string[];
  readonly commentSets: string[];
  readonly analyses: string[];
  readonly initiatives: string[];
  readonly risks: string[];
  readonly lessons: string[];
  readonly invitations: string[];
  readonly apiTokens: string[];
}

// ---- helpers ----

const quote = (text: string) => `‘${text}’`;

function text(details: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = details[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function count(details: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = details[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

const isLevel = (value: unknown): value is 1 | 2 | 3 | 4 | 5 =>
  value === 1 || value === 2 || value === 3 || value === 4 || value === 5;

const EVIDENCE_WORDS: Readonly<Record<string, string>> = {
  asserted: 'asserted (no documents)',
  documented: 'documented',
  'independently-verified': 'independently verified',
};

const ROLE_WORDS: Readonly<Record<string, string>> = {
  admin: 'an admin',
  lead: 'a lead',
  member: 'a member',
  viewer: 'a viewer',
};

const role = (value: unknown) =>
  typeof value === 'string' ? (ROLE_WORDS[value] ?? `a ${words(value)}`) : 'a member';

const JOB_WORDS: Readonly<Record<string, string>> = {
  'eventlog.import': 'import an event log',
  'themes.analyse': 'find themes in comments',
  'themes.import': 'import comments',
  'chains.simulate': 'simulate a delivery chain',
};

const CHAIN_PARTS: Readonly<Record<string, string>> = {
  details: 'the details',
  inputs: 'the inputs',
  stage: 'a stage',
  routing: 'the routing between stages',
  demand: 'the demand',
  outputs: 'the outputs',
};

const GOVERNANCE_WORDS: Readonly<Record<string, string>> = {
  preMortem: 'a pre-mortem',
  ethicsReview: 'an ethics review',
  dpia: 'a data protection impact assessment',
  transparency: 'the transparency record',
  modelledBy: 'the chain intervention that models it',
};

const SECTOR_KIND_WORDS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DATA_KIND_WORDS).map(([kind, w]) => [kind, w.label]),
);

const SETTING_WORDS: Readonly<Record<string, string>> = {
  readiness: 'readiness table',
  'risk-appetite': 'risk appetite',
  'portfolio-weights': 'portfolio weights',
};

/** "in_progress" / "riskAppetite" / "in-delivery" → "in progress" / "risk appetite" / "in delivery". */
export function words(code: string): string {
  return code
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .toLowerCase()
    .trim();
}

/** "Alex Morgan <alex@example.org>" → "Alex Morgan": the name the label was written with. */
function nameFromLabel(label: string): string {
  const name = label.replace(/\s*<[^>]*>\s*$/, '').trim();
  return name || label;
}

/** Who did it: the person's current name, else the name recorded with the event. */
export function whoDid(event: AuditRecord, names: AuditNames): string {
  if (event.actorUserId !== null) {
    const current = names.users.get(event.actorUserId);
    if (current) return current;
  }
  if (event.actorUserId === null && /^system\b/i.test(event.actorLabel)) return 'The system';
  return nameFromLabel(event.actorLabel) || 'Someone';
}

interface Context {
  readonly e: AuditRecord;
  readonly d: Readonly<Record<string, unknown>>;
  readonly n: AuditNames;
  readonly who: string;
  /** Who did it, inside a sentence ("the system" in lower case). */
  readonly by: string;
}

function named(
  map: ReadonlyMap<string, string>,
  id: string | null | undefined,
  recorded: string | undefined,
  what: string,
): string {
  const current = id ? map.get(id) : undefined;
  if (current) return `the ${what} ${quote(current)}`;
  if (recorded) return `the ${what} ${quote(recorded)} (since deleted)`;
  return `a ${what} since deleted`;
}

const entityOr = (c: Context, key: string) =>
  text(c.d, key) ?? (c.e.entityId === null ? undefined : c.e.entityId);

function roundOf(c: Context): string {
  const id =
    c.e.entityType === 'assessment_round'
      ? c.e.entityId
      : (text(c.d, 'roundId') ??
        (c.e.entityType === 'response' && c.e.entityId
          ? c.n.responseRounds.get(c.e.entityId)
          : undefined));
  return named(
    c.n.rounds,
    id,
    c.e.action === 'assessment.round_created' ? text(c.d, 'title') : undefined,
    'round',
  );
}

function capabilityOf(c: Context, id: string | undefined): string {
  if (!id) return 'a capability';
  return c.n.capabilities.get(id) ?? 'a capability no longer in the framework';
}

const chainOf = (c: Context) =>
  named(c.n.chains, entityOr(c, 'chainId'), text(c.d, 'name'), 'delivery chain');

function interventionOf(c: Context): string {
  const chainId = c.e.entityType === 'delivery_chain' ? c.e.entityId : text(c.d, 'chainId');
  const iid = text(c.d, 'intervention');
  const name = chainId && iid ? c.n.interventions.get(`${chainId}/${iid}`) : undefined;
  return name ? `the intervention ${quote(name)}` : 'an intervention';
}

const initiativeOf = (c: Context, id: string | undefined, recorded?: string) =>
  named(c.n.initiatives, id, recorded, 'initiative');

const setOf = (c: Context) => named(c.n.commentSets, c.e.entityId, text(c.d, 'name'), 'comments');

const analysisOf = (c: Context) => named(c.n.analyses, c.e.entityId, text(c.d, 'set'), 'comments');

function statusWord(value: unknown): string {
  return typeof value === 'string'
    ? (STATUS_WORDS[value as InitiativeStatus] ?? words(value)).toLowerCase()
    : 'another stage';
}

// ---- the actions ----

interface ActionWords {
  /** The kind of action in a few words, for filters and exports. */
  readonly label: string;
  /** The sentence after who did it (or the whole sentence when `whole` is set). */
  readonly says: (c: Context) => string;
  /** The sentence does not start with who did it (things that happened to them). */
  readonly whole?: boolean;
  /** Detail keys the sentence already says, left out of the details list. */
  readonly said?: readonly string[];
}

const ACTION_WORDS: Readonly<Record<AuditAction, ActionWords>> = {
  // People and access
  'session.signed_in': { label: 'Signed in', says: () => 'signed in' },
  'session.signed_out': { label: 'Signed out', says: () => 'signed out' },
  'account.password_changed': {
    label: 'Changed their password',
    says: (c) => {
      const ended = count(c.d, 'otherSessionsEnded');
      return ended
        ? `changed their password and was signed out on ${plural(ended, 'other device')}`
        : 'changed their password';
    },
    said: ['otherSessionsEnded'],
  },
  'account.password_reset_requested': {
    label: 'Asked to reset their password',
    says: (c) =>
      c.d.by === 'operator'
        ? 'was given a link to reset their password by the people who run the service (the reset-link command)'
        : c.d.sent === false
          ? 'asked for a link to reset their password, but the email could not be sent'
          : 'asked for a link to reset their password, which was sent by email',
    said: ['sent', 'by'],
  },
  'account.password_reset': {
    label: 'Reset their password',
    says: () => 'set a new password with a link sent by email, and was signed out everywhere',
  },
  'account.signed_out_everywhere': {
    label: 'Signed out everywhere',
    says: (c) => {
      const ended = count(c.d, 'sessionsEnded');
      return ended
        ? `signed out everywhere, ending ${plural(ended, 'session')}`
        : 'signed out everywhere';
    },
    said: ['sessionsEnded'],
  },
  'account.sign_in_throttled': {
    label: 'Sign-in paused after failed attempts',
    whole: true,
    says: (c) => {
      const failures = count(c.d, 'failures') ?? 0;
      const minutes = count(c.d, 'minutes') ?? 0;
      return `Signing in as ${c.who} was paused after ${plural(failures, 'failed attempt')} in ${plural(minutes, 'minute')}: someone may be guessing the password`;
    },
    said: ['failures', 'minutes'],
  },
  'organisation.updated': {
    label: 'Changed the organisation’s details',
    says: () => 'changed the organisation’s details',
  },
  'member.added': {
    label: 'Added a member',
    says: (c) => {
      const id = text(c.d, 'userId');
      const person = (id && c.n.users.get(id)) ?? 'a person since removed';
      return `added ${person} as ${role(c.d.role)}`;
    },
    said: ['role'],
  },
  'member.role_changed': {
    label: 'Changed a member’s role',
    says: (c) => {
      const person =
        (c.e.entityId && c.n.memberships.get(c.e.entityId)) ?? text(c.d, 'email') ?? 'a member';
      return `changed the role of ${person} from ${words(text(c.d, 'before') ?? 'unknown')} to ${words(text(c.d, 'after') ?? 'unknown')}`;
    },
    said: ['before', 'after'],
  },
  'member.removed': {
    label: 'Removed a member',
    says: (c) => `removed ${text(c.d, 'email') ?? 'a member'} from the organisation`,
    said: ['email'],
  },
  'invitation.created': {
    label: 'Invited someone',
    says: (c) => `invited ${text(c.d, 'email') ?? 'someone'} to join as ${role(c.d.role)}`,
    said: ['email', 'role'],
  },
  'invitation.revoked': {
    label: 'Withdrew an invitation',
    says: (c) => {
      const email = c.e.entityId ? c.n.invitations.get(c.e.entityId) : undefined;
      return email ? `withdrew the invitation to ${email}` : 'withdrew an invitation';
    },
  },
  'api_token.created': {
    label: 'Created an API token',
    says: (c) => `created the API token ${quote(text(c.d, 'name') ?? 'without a name')}`,
    said: ['name'],
  },
  'api_token.revoked': {
    label: 'Revoked an API token',
    says: (c) => {
      const name =
        text(c.d, 'name') ?? (c.e.entityId ? c.n.apiTokens.get(c.e.entityId) : undefined);
      const owner = text(c.d, 'owner');
      return `${name ? `revoked the API token ${quote(name)}` : 'revoked an API token'}${owner ? ` of ${owner}` : ''}`;
    },
    said: ['name', 'owner'],
  },
  'sso.configured': {
    label: 'Set up single sign-on',
    says: (c) => {
      const provider = text(c.d, 'provider');
      const what = provider ? `single sign-on with ${quote(provider)}` : 'single sign-on';
      const state = c.d.enabled === false ? ', switched off for now' : '';
      const secret = c.d.secretChanged === true ? ', with a new client secret' : '';
      return `changed the settings of ${what}${state}${secret}`;
    },
    said: ['provider', 'enabled', 'secretChanged'],
  },
  'sso.removed': {
    label: 'Removed single sign-on',
    says: (c) => {
      const provider = text(c.d, 'provider');
      return provider ? `removed single sign-on with ${quote(provider)}` : 'removed single sign-on';
    },
    said: ['provider'],
  },
  'sso.account_created': {
    label: 'Joined by single sign-on',
    says: (c) => `joined by single sign-on for the first time, as ${role(c.d.role)}`,
    said: ['role'],
  },
  'sso.account_linked': {
    label: 'Linked an account to single sign-on',
    says: (c) =>
      c.d.joined === true
        ? `signed in by single sign-on with an existing account and joined as ${role(c.d.role)}`
        : 'signed in by single sign-on for the first time, with their existing account',
    said: ['joined', 'role'],
  },
  'sso.sign_in_refused': {
    label: 'Single sign-on refused',
    whole: true,
    says: (c) => {
      const domain = text(c.d, 'domain');
      return domain
        ? `Someone with an address at ${domain} was refused single sign-on: the organisation does not accept that domain`
        : 'Someone was refused single sign-on';
    },
    said: ['domain'],
  },
  // Background jobs
  'job.queued': {
    label: 'Started a background task',
    says: (c) => `started a background task to ${JOB_WORDS[text(c.d, 'kind') ?? ''] ?? 'do work'}`,
    said: ['kind'],
  },
  'job.failed': {
    label: 'A background task failed',
    whole: true,
    says: (c) =>
      `A background task started by ${c.by} to ${JOB_WORDS[text(c.d, 'kind') ?? ''] ?? 'do work'} failed`,
    said: ['kind'],
  },
  'job.requeued': {
    label: 'A background task was started again',
    whole: true,
    says: (c) =>
      `A background task started by ${c.by} to ${JOB_WORDS[text(c.d, 'kind') ?? ''] ?? 'do work'} was started again, because the process running it stopped`,
    said: ['kind'],
  },
  'organisation.imported': {
    label: 'The organisation was imported from an archive',
    whole: true,
    says: (c) =>
      `${c.by} imported this organisation from an archive exported on ${text(c.d, 'exportedAt') ?? 'an unknown date'}`,
    said: ['exportedAt', 'rows'],
  },
  // Assessments
  'assessment.round_created': {
    label: 'Created a round',
    says: (c) => `created ${roundOf(c)}`,
    said: ['title'],
  },
  'assessment.round_updated': {
    label: 'Changed a round',
    says: (c) => `changed the details of ${roundOf(c)}`,
  },
  'assessment.round_deleted': {
    label: 'Deleted a draft round',
    says: (c) => `deleted the draft round ${quote(text(c.d, 'title') ?? 'without a title')}`,
    said: ['title'],
  },
  'assessment.round_opened': {
    label: 'Opened a round',
    says: (c) => `opened ${roundOf(c)} for answers`,
  },
  'assessment.round_closed': { label: 'Closed a round', says: (c) => `closed ${roundOf(c)}` },
  'assessment.round_finalised': {
    label: 'Finalised a round',
    says: (c) => `finalised ${roundOf(c)}`,
    said: ['version'],
  },
  'assessment.round_corrected': {
    label: 'Corrected a finalised round',
    says: (c) => {
      const version = count(c.d, 'version');
      return `corrected ${roundOf(c)}${version === undefined ? '' : `, making version ${version}`}`;
    },
    said: ['version'],
  },
  'assessment.link_created': {
    label: 'Created an answer link',
    says: (c) => `created an answer link for ${groupOf(c)} in ${roundOf(c)}`,
    said: ['groupId'],
  },
  'assessment.respondent_added': {
    label: 'Added a respondent',
    says: (c) => `added ${text(c.d, 'label') ?? 'a respondent'} to ${groupOf(c)} in ${roundOf(c)}`,
    said: ['label', 'groupId'],
  },
  'assessment.response_revoked': {
    label: 'Withdrew a request to answer',
    says: (c) => `withdrew a request to answer ${roundOf(c)}`,
  },
  'assessment.response_submitted': {
    label: 'Sent answers',
    says: (c) => `sent their answers to ${roundOf(c)}`,
  },
  'assessment.responses_exported': {
    label: 'Downloaded the answers',
    says: (c) =>
      `downloaded the answers to ${roundOf(c)} ${c.d.identities === true ? 'with the names of the people who gave them' : 'without names'}${c.d.via === 'api' ? ', through the API' : ''}`,
    said: ['identities', 'via'],
  },
  'assessment.rating_agreed': {
    label: 'Agreed a level',
    says: (c) => {
      const after = c.d.after as { level?: unknown } | undefined;
      const level = isLevel(after?.level) ? ` at ${levelWithName(after.level)}` : '';
      return `agreed ${capabilityOf(c, text(c.d, 'capabilityId'))}${level} in ${roundOf(c)}`;
    },
  },
  'assessment.evidence_rule_overridden': {
    label: 'Overrode the evidence rule',
    says: (c) => {
      const level = c.d.level;
      const at = isLevel(level) ? ` at ${levelWithName(level)}` : '';
      return `overrode the evidence rule to agree ${capabilityOf(c, text(c.d, 'capabilityId'))}${at} in ${roundOf(c)}`;
    },
    said: ['capabilityId', 'level'],
  },
  'assessment.target_set': {
    label: 'Set a target',
    says: (c) => {
      const capability = capabilityOf(c, c.e.entityId ?? undefined);
      const after = c.d.after;
      return isLevel(after)
        ? `set the target for ${capability} at ${levelWithName(after)}`
        : `removed the target for ${capability}`;
    },
    said: ['after'],
  },
  // Roadmap actions being tracked
  'roadmap_item.created': {
    label: 'Started tracking a roadmap action',
    says: (c) =>
      `started tracking the action ${quote(text(c.d, 'action') ?? 'of the roadmap')} for ${capabilityOf(c, text(c.d, 'capabilityId'))} in ${roundOf(c)}`,
    said: ['action', 'capabilityId', 'roundId', 'indicatorId'],
  },
  'roadmap_item.updated': {
    label: 'Updated a tracked roadmap action',
    says: (c) => `updated the tracked action ${quote(text(c.d, 'action') ?? 'of the roadmap')}`,
    said: ['action'],
  },
  // Invitations by email (the address itself is never repeated here)
  'mail.invitation_sent': {
    label: 'Sent an invitation by email',
    says: (c) =>
      text(c.d, 'kind') === 'member'
        ? 'sent an invitation to join the organisation by email'
        : `sent an invitation to answer ${roundOf(c)} by email`,
    said: ['kind', 'roundId'],
  },
  'mail.invitation_failed': {
    label: 'An invitation by email failed',
    says: (c) =>
      `tried to send an invitation by email, which the mail server did not accept${text(c.d, 'error') ? `: ${text(c.d, 'error') ?? ''}` : ''}`,
    said: ['kind', 'error', 'roundId'],
  },
  'mail.reminder_sent': {
    label: 'Sent a reminder by email',
    says: (c) => {
      const days = count(c.d, 'daysBefore');
      return `sent a reminder to answer ${roundOf(c)}${days === undefined ? '' : `, ${days} ${days === 1 ? 'day' : 'days'} before it closes`}`;
    },
    said: ['roundId', 'daysBefore', 'reminderId'],
  },
  'mail.reminder_failed': {
    label: 'A reminder by email failed',
    says: (c) =>
      `tried to send a reminder to answer ${roundOf(c)}, which the mail server did not accept${text(c.d, 'error') ? `: ${text(c.d, 'error') ?? ''}` : ''}`,
    said: ['roundId', 'daysBefore', 'error'],
  },
  'mail.addresses_removed': {
    label: 'Removed email addresses no longer needed',
    says: (c) => {
      const n = count(c.d, 'count') ?? 0;
      return `removed ${n} email ${n === 1 ? 'address' : 'addresses'} no longer needed for reminders`;
    },
    said: ['count'],
  },
  // Delivery chains and their scenarios
  'chain.created': {
    label: 'Created a delivery chain',
    says: (c) => `created ${chainOf(c)}`,
    said: ['name', 'how'],
  },
  'chain.imported': {
    label: 'Imported a delivery chain',
    says: (c) => `imported ${chainOf(c)} from a file`,
    said: ['name', 'how'],
  },
  'chain.updated': {
    label: 'Changed a delivery chain',
    says: (c) => `changed ${CHAIN_PARTS[text(c.d, 'part') ?? ''] ?? 'parts'} of ${chainOf(c)}`,
    said: ['part'],
  },
  'chain.deleted': {
    label: 'Deleted a delivery chain',
    says: (c) => `deleted ${chainOf(c)}`,
    said: ['name'],
  },
  'chain.intervention_added': {
    label: 'Added an intervention',
    says: (c) => `added ${interventionOf(c)} to ${chainOf(c)}`,
    said: ['intervention'],
  },
  'chain.intervention_updated': {
    label: 'Changed an intervention',
    says: (c) => `changed ${interventionOf(c)} in ${chainOf(c)}`,
    said: ['intervention'],
  },
  'chain.intervention_removed': {
    label: 'Removed an intervention',
    says: (c) => `removed ${interventionOf(c)} from ${chainOf(c)}`,
    said: ['intervention'],
  },
  'chain.intervention_classified': {
    label: 'Placed an intervention in the typology',
    says: (c) => `placed ${interventionOf(c)} of ${chainOf(c)} in the typology`,
    said: ['intervention'],
  },
  'scenario.created': {
    label: 'Saved a scenario',
    says: (c) =>
      `saved the scenario ${quote(text(c.d, 'name') ?? 'without a name')} for ${chainOf(c)}`,
    said: ['name'],
  },
  'scenario.deleted': {
    label: 'Removed a scenario',
    says: (c) => `removed a scenario from ${chainOf(c)}`,
  },
  // Event logs
  'eventlog.uploaded': {
    label: 'Uploaded an event log file',
    says: (c) => `uploaded the event log file ${quote(text(c.d, 'fileName') ?? 'without a name')}`,
    said: ['fileName'],
  },
  'eventlog.upload_discarded': {
    label: 'Discarded an uploaded file',
    says: () => 'discarded an uploaded event log file without importing it',
  },
  'eventlog.upload_expired': {
    label: 'An unused upload expired',
    whole: true,
    says: (c) =>
      `The uploaded event log file ${quote(text(c.d, 'fileName') ?? 'without a name')} was removed unused`,
    said: ['fileName'],
  },
  'eventlog.imported': {
    label: 'Imported an event log',
    says: (c) => `imported ${named(c.n.logs, c.e.entityId, text(c.d, 'name'), 'event log')}`,
    said: ['name'],
  },
  'eventlog.deleted': {
    label: 'Deleted an event log',
    says: (c) => `deleted ${named(c.n.logs, c.e.entityId, text(c.d, 'name'), 'event log')}`,
    said: ['name'],
  },
  'eventlog.wait_kind_corrected': {
    label: 'Corrected the kind of a wait',
    says: (c) => {
      const kind = text(c.d, 'kind');
      const label =
        kind && kind in WAIT_KIND_LABELS ? WAIT_KIND_LABELS[kind as WaitKind] : 'another kind';
      return `said the wait before ${quote(text(c.d, 'activity') ?? 'an activity')} in ${named(c.n.logs, c.e.entityId, text(c.d, 'name'), 'event log')} is ${label}`;
    },
    said: ['name', 'activity', 'kind'],
  },
  'eventlog.wait_kind_correction_removed': {
    label: 'Withdrew a correction of a wait',
    says: (c) =>
      `withdrew the correction of the wait before ${quote(text(c.d, 'activity') ?? 'an activity')} in ${named(c.n.logs, c.e.entityId, text(c.d, 'name'), 'event log')}`,
    said: ['name', 'activity', 'kind'],
  },
  // AI initiatives, their risks and lessons
  'initiative.created': {
    label: 'Registered an initiative',
    says: (c) => `registered ${initiativeOf(c, c.e.entityId ?? undefined, text(c.d, 'title'))}`,
    said: ['title'],
  },
  'initiative.updated': {
    label: 'Changed an initiative',
    says: (c) => `changed ${initiativeOf(c, c.e.entityId ?? undefined, text(c.d, 'title'))}`,
    said: ['title'],
  },
  'initiative.status_changed': {
    label: 'Moved an initiative on',
    says: (c) =>
      `moved ${initiativeOf(c, c.e.entityId ?? undefined, text(c.d, 'title'))} from ${statusWord(c.d.from)} to ${statusWord(c.d.to)}`,
    said: ['title', 'from', 'to'],
  },
  'initiative.governance_recorded': {
    label: 'Recorded a governance step',
    says: (c) =>
      `recorded ${GOVERNANCE_WORDS[text(c.d, 'record') ?? ''] ?? 'a governance step'} for ${initiativeOf(c, c.e.entityId ?? undefined, text(c.d, 'title'))}`,
    said: ['title', 'record'],
  },
  'initiative.deleted': {
    label: 'Deleted an initiative',
    says: (c) => `deleted ${initiativeOf(c, c.e.entityId ?? undefined, text(c.d, 'title'))}`,
    said: ['title'],
  },
  'initiative.readiness_kept': {
    label: 'Kept a readiness verdict',
    says: (c) =>
      `kept a copy of the readiness verdict for ${initiativeOf(c, c.e.entityId ?? undefined)}`,
  },
  'initiative.evaluated': {
    label: 'Evaluated an initiative',
    says: (c) => `filed an evaluation of ${initiativeOf(c, c.e.entityId ?? undefined)}`,
  },
  'initiative.setting_changed': {
    label: 'Changed an initiative setting',
    says: (c) => {
      const kind = text(c.d, 'kind') ?? '';
      const version = count(c.d, 'version');
      return `changed the ${SETTING_WORDS[kind] ?? words(kind || 'setting')}${version === undefined ? '' : `, making version ${version}`}`;
    },
    said: ['kind', 'version', 'document'],
  },
  'risk.created': {
    label: 'Added a risk',
    says: (c) =>
      `added the risk ${quote(text(c.d, 'title') ?? 'without a title')} to ${initiativeOf(c, text(c.d, 'initiativeId'))}`,
    said: ['title'],
  },
  'risk.updated': {
    label: 'Changed a risk',
    says: (c) =>
      `changed the risk ${quote(text(c.d, 'title') ?? 'without a title')} of ${initiativeOf(c, text(c.d, 'initiativeId'))}`,
    said: ['title'],
  },
  'risk.deleted': {
    label: 'Removed a risk',
    says: (c) => `removed a risk from ${initiativeOf(c, text(c.d, 'initiativeId'))}`,
  },
  'lesson.created': {
    label: 'Filed a lesson',
    says: (c) => `filed ${named(c.n.lessons, c.e.entityId, text(c.d, 'title'), 'lesson')}`,
    said: ['title'],
  },
  'lesson.updated': {
    label: 'Changed a lesson',
    says: (c) => `changed ${named(c.n.lessons, c.e.entityId, text(c.d, 'title'), 'lesson')}`,
    said: ['title'],
  },
  // Comment sets and their themes
  'comments.uploaded': {
    label: 'Uploaded comments',
    says: (c) => `uploaded ${setOf(c)}`,
    said: ['name'],
  },
  'comments.imported': {
    label: 'Imported comments',
    says: (c) => `imported ${setOf(c)}`,
    said: ['name'],
  },
  'comments.deleted': {
    label: 'Deleted comments',
    says: (c) => `deleted ${setOf(c)}`,
    said: ['name'],
  },
  'comments.wave_linked': {
    label: 'Linked comment waves',
    says: (c) => {
      const earlier = text(c.d, 'earlier');
      return earlier === undefined
        ? `said ${setOf(c)} is not a later wave of another set`
        : `said ${setOf(c)} is a later wave of ${quote(earlier)}`;
    },
    said: ['name', 'earlier'],
  },
  'themes.analysis_started': {
    label: 'Started finding themes',
    says: (c) => `started finding themes in ${analysisOf(c)}`,
    said: ['set'],
  },
  'themes.analysis_failed': {
    label: 'Finding themes failed',
    whole: true,
    says: (c) => `Finding themes in ${analysisOf(c)}, started by ${c.by}, failed`,
  },
  'themes.analysis_finished': {
    label: 'Themes found',
    whole: true,
    says: (c) => {
      const n = count(c.d, 'themes');
      return `${n === undefined ? 'Themes were' : `${plural(n, 'theme')} were`} found in ${analysisOf(c)} for ${c.by}`;
    },
    said: ['themes'],
  },
  'themes.renamed': {
    label: 'Renamed a theme',
    says: (c) =>
      `renamed the theme ${quote(text(c.d, 'before') ?? '')} to ${quote(text(c.d, 'after') ?? '')} in ${analysisOf(c)}`,
    said: ['before', 'after', 'theme'],
  },
  'themes.merged': {
    label: 'Merged themes',
    says: (c) => `merged themes into ${quote(text(c.d, 'label') ?? '')} in ${analysisOf(c)}`,
    said: ['label'],
  },
  'themes.split': {
    label: 'Split a theme',
    says: (c) => {
      const n = count(c.d, 'comments');
      return `split the theme ${quote(text(c.d, 'label') ?? '')}${n === undefined ? '' : `, moving ${plural(n, 'comment')}`} into the new theme ${quote(text(c.d, 'newLabel') ?? '')} in ${analysisOf(c)}`;
    },
    said: ['label', 'newLabel', 'comments', 'theme', 'newTheme'],
  },
  'themes.comment_moved': {
    label: 'Moved a comment',
    says: (c) => `moved a comment to another theme in ${analysisOf(c)}`,
  },
  'themes.linked': {
    label: 'Linked a theme',
    says: (c) =>
      `linked the theme ${quote(text(c.d, 'label') ?? '')} to ${text(c.d, 'to') ?? 'something else'} in ${analysisOf(c)}`,
    said: ['label', 'to', 'theme'],
  },
  'themes.unlinked': {
    label: 'Unlinked a theme',
    says: (c) =>
      `removed the link to ${text(c.d, 'to') ?? 'something else'} from a theme in ${analysisOf(c)}`,
    said: ['to', 'theme'],
  },
  // The audit log itself
  // Sector membership, consent and benchmarks
  'sector.member_invited': {
    label: 'Invited a member organisation',
    says: (c) =>
      `invited ${text(c.d, 'member') ?? 'an organisation'} to be a member of ${text(c.d, 'institution') ?? 'an institution'}`,
    said: ['member', 'institution'],
  },
  'sector.invitation_withdrawn': {
    label: 'Withdrew a membership invitation',
    says: (c) =>
      `withdrew the invitation for ${text(c.d, 'member') ?? 'an organisation'} to be a member of ${text(c.d, 'institution') ?? 'an institution'}`,
    said: ['member', 'institution'],
  },
  'sector.invitation_accepted': {
    label: 'Accepted a membership invitation',
    says: (c) =>
      `accepted, for ${text(c.d, 'member') ?? 'an organisation'}, the invitation to be a member of ${text(c.d, 'institution') ?? 'an institution'}`,
    said: ['member', 'institution'],
  },
  'sector.invitation_declined': {
    label: 'Declined a membership invitation',
    says: (c) =>
      `declined, for ${text(c.d, 'member') ?? 'an organisation'}, the invitation to be a member of ${text(c.d, 'institution') ?? 'an institution'}`,
    said: ['member', 'institution'],
  },
  'sector.membership_ended': {
    label: 'Ended a sector membership',
    says: (c) =>
      `ended the membership of ${text(c.d, 'member') ?? 'an organisation'} in ${text(c.d, 'institution') ?? 'an institution'}; everything it shared stops being used`,
    said: ['member', 'institution'],
  },
  'sector.peer_group_set': {
    label: 'Changed a member’s peer group',
    says: (c) =>
      `changed the peer group of ${text(c.d, 'member') ?? 'a member'} in ${text(c.d, 'institution') ?? 'an institution'}`,
    said: ['member', 'institution'],
  },
  'sector.data_shared': {
    label: 'Started sharing data with an institution',
    says: (c) =>
      `started sharing ${(SECTOR_KIND_WORDS[text(c.d, 'dataKind') ?? ''] ?? 'data').toLowerCase()} of ${text(c.d, 'member') ?? 'a member'} with ${text(c.d, 'institution') ?? 'an institution'}`,
    said: ['member', 'institution', 'dataKind'],
  },
  'sector.data_withdrawn': {
    label: 'Stopped sharing data with an institution',
    says: (c) =>
      `stopped sharing ${(SECTOR_KIND_WORDS[text(c.d, 'dataKind') ?? ''] ?? 'data').toLowerCase()} of ${text(c.d, 'member') ?? 'a member'} with ${text(c.d, 'institution') ?? 'an institution'}; benchmarks no longer use them`,
    said: ['member', 'institution', 'dataKind'],
  },
  'sector.minimum_changed': {
    label: 'Changed the smallest group benchmarks show',
    says: (c) => {
      const after = count(c.d, 'after');
      return `changed the smallest number of organisations behind a benchmark figure${after === undefined ? '' : ` to ${after}`}`;
    },
    said: ['after'],
  },
  'sector.service_tagged': {
    label: 'Tagged a chain with a kind of service',
    says: (c) =>
      `set the kind of service of ${named(c.n.chains, c.e.entityId, text(c.d, 'name'), 'chain')}, for sector benchmarks`,
    said: ['name'],
  },
  'sector.benchmarks_exported': {
    label: 'Downloaded sector benchmarks',
    says: (c) =>
      `downloaded the sector benchmarks${text(c.d, 'format') ? ` as ${text(c.d, 'format')?.toUpperCase()}` : ''}`,
    said: ['format'],
  },
  'sector.incident_reported': {
    label: 'Reported an AI incident or near miss',
    says: (c) =>
      `reported ${text(c.d, 'kind') === 'near_miss' ? 'a near miss' : 'an incident'} with an AI system: ${quote(text(c.d, 'title') ?? '')}`,
    said: ['kind', 'title'],
  },
  'sector.incident_triaged': {
    label: 'Triaged an AI incident report',
    says: (c) =>
      `triaged the report ${quote(text(c.d, 'title') ?? '')} as ${text(c.d, 'classLabel') ?? 'a just-culture class'}${c.d.refer === true ? '; it goes to independent review' : ''}`,
    said: ['title', 'classLabel', 'refer'],
  },
  'sector.incident_closed': {
    label: 'Closed an AI incident report',
    says: (c) => `closed the report ${quote(text(c.d, 'title') ?? '')}`,
    said: ['title'],
  },
  'sector.incident_lesson': {
    label: 'Turned an incident report into a lesson',
    says: (c) =>
      `turned the report ${quote(text(c.d, 'title') ?? '')} into a lesson${c.d.shared === true ? ', shared with the sector' : ''}`,
    said: ['title', 'shared'],
  },
  'sector.review_rule_published': {
    label: 'Published a threshold for independent review',
    says: (c) => {
      const v = count(c.d, 'version');
      return `published the threshold for independent review of AI incidents${v === undefined ? '' : ` (version ${v})`}`;
    },
    said: ['version', 'rule'],
  },
  'sector.exchange_published': {
    label: 'Published to the sector exchange',
    says: (c) =>
      `published ${quote(text(c.d, 'title') ?? '')} to the sector exchange of ${text(c.d, 'institution') ?? 'an institution'}`,
    said: ['title', 'institution', 'kind'],
  },
  'sector.exchange_withdrawn': {
    label: 'Withdrew an item from the sector exchange',
    says: (c) => `withdrew ${quote(text(c.d, 'title') ?? '')} from the sector exchange`,
    said: ['title'],
  },
  'sector.exchange_joined': {
    label: 'Joined or used an exchange item',
    says: (c) =>
      `${text(c.d, 'kind') === 'problem' ? 'joined the problem statement' : 'said the organisation uses'} ${quote(text(c.d, 'title') ?? '')}`,
    said: ['title', 'kind'],
  },
  'sector.exchange_left': {
    label: 'Left or stopped using an exchange item',
    says: (c) =>
      `${text(c.d, 'kind') === 'problem' ? 'left the problem statement' : 'said the organisation no longer uses'} ${quote(text(c.d, 'title') ?? '')}`,
    said: ['title', 'kind'],
  },
  'sector.exchange_endorsed': {
    label: 'Endorsed an exchange item as recommended practice',
    says: (c) =>
      `${c.d.endorsed === false ? 'removed the endorsement of' : 'endorsed as recommended practice'} ${quote(text(c.d, 'title') ?? '')}`,
    said: ['title', 'endorsed'],
  },
  'sector.chain_convened': {
    label: 'Shared a delivery chain with members',
    says: (c) =>
      `shared the delivery chain ${text(c.d, 'name') ?? ''} with member organisations, each to own its stages`,
    said: ['name'],
  },
  'sector.chain_stage_assigned': {
    label: 'Named the owner of a shared chain’s stage',
    says: (c) =>
      `named ${text(c.d, 'after') ?? 'nobody'} as the owner of the stage ${text(c.d, 'stage') ?? ''} in the shared chain ${text(c.d, 'name') ?? ''} (before: ${text(c.d, 'before') ?? 'nobody'})`,
    said: ['name', 'stage', 'before', 'after'],
  },
  'sector.chain_stage_updated': {
    label: 'Changed the figures of a shared chain’s stage',
    says: (c) =>
      `changed the figures of its stage ${text(c.d, 'stage') ?? ''} in the shared chain ${text(c.d, 'name') ?? ''}`,
    said: ['name', 'stage'],
  },
  'sector.chain_unshared': {
    label: 'Stopped sharing a delivery chain',
    says: (c) =>
      `stopped sharing the delivery chain ${text(c.d, 'name') ?? ''}; its members no longer see it`,
    said: ['name'],
  },
  'sector.view_exported': {
    label: 'Downloaded the sector view',
    says: () => 'downloaded the sector view as a PDF',
    said: [],
  },
  'sector.chain_structure_changed': {
    label: 'Changed the structure of a shared chain',
    says: (c) =>
      `changed the structure of the shared chain ${text(c.d, 'name') ?? ''}: ${text(c.d, 'changes') ?? ''}`,
    said: ['name', 'changes'],
  },
  'sector.register_published': {
    label: 'Published a client-capability register entry',
    says: (c) =>
      `published the client-capability register entry of ${text(c.d, 'organisation') ?? 'the organisation'}${text(c.d, 'rating') ? `, rated ${text(c.d, 'rating')}` : ''}`,
    said: ['organisation', 'rating'],
  },
  'sector.register_unpublished': {
    label: 'Removed a client-capability register entry',
    says: (c) =>
      `removed the client-capability register entry of ${text(c.d, 'organisation') ?? 'the organisation'} from the register`,
    said: ['organisation'],
  },
  'sector.supplier_reported': {
    label: 'Added a supplier report to the supplier register',
    says: (c) =>
      `added a report on the supplier ${text(c.d, 'supplier') ?? ''} from an initiative evaluation, for the sector’s supplier register`,
    said: ['supplier'],
  },
  'sector.supplier_report_removed': {
    label: 'Removed a supplier report',
    says: (c) =>
      `removed a report on the supplier ${text(c.d, 'supplier') ?? ''} from the sector’s supplier register`,
    said: ['supplier'],
  },
  'audit.exported': {
    label: 'Downloaded the audit log',
    says: (c) => {
      const n = count(c.d, 'events');
      return `downloaded the audit log${n === undefined ? '' : ` (${plural(n, 'event')})`}`;
    },
    said: ['events'],
  },
};

function groupOf(c: Context): string {
  const id = text(c.d, 'groupId');
  const name = id ? c.n.groups.get(id) : undefined;
  return name ? `the group ${quote(name)}` : 'a group';
}

// ---- groups of actions, for the filter ----

export interface ActionGroup {
  readonly key: string;
  readonly label: string;
  readonly actions: readonly { readonly action: AuditAction; readonly label: string }[];
}

const GROUPS: readonly { key: string; label: string; prefixes: readonly string[] }[] = [
  {
    key: 'people',
    label: 'People and access',
    prefixes: ['session', 'account', 'organisation', 'member', 'invitation', 'api_token', 'sso'],
  },
  { key: 'assessments', label: 'Assessments', prefixes: ['assessment', 'roadmap_item'] },
  { key: 'mail', label: 'Invitations by email', prefixes: ['mail'] },
  { key: 'chains', label: 'Delivery chains', prefixes: ['chain', 'scenario'] },
  { key: 'logs', label: 'Event logs', prefixes: ['eventlog'] },
  { key: 'comments', label: 'Comments and themes', prefixes: ['comments', 'themes'] },
  {
    key: 'initiatives',
    label: 'Initiatives, risks and lessons',
    prefixes: ['initiative', 'risk', 'lesson'],
  },
  { key: 'background', label: 'Background tasks', prefixes: ['job'] },
  {
    key: 'sector',
    label: 'Sector membership, benchmarks, incidents and exchange',
    prefixes: ['sector'],
  },
  { key: 'records', label: 'The audit log', prefixes: ['audit'] },
];

const prefixOf = (action: string) => action.split('.')[0] ?? '';

/** The actions grouped by area, each with its label; an action of no known area goes last. */
export const ACTION_GROUPS: readonly ActionGroup[] = (() => {
  const groups = GROUPS.map((g) => ({
    key: g.key,
    label: g.label,
    actions: AUDIT_ACTIONS.filter((a) => g.prefixes.includes(prefixOf(a))).map((action) => ({
      action,
      label: ACTION_WORDS[action].label,
    })),
  }));
  const placed = new Set(groups.flatMap((g) => g.actions.map((a) => a.action)));
  const rest = AUDIT_ACTIONS.filter((a) => !placed.has(a));
  if (rest.length > 0) {
    groups.push({
      key: 'other',
      label: 'Other changes',
      actions: rest.map((action) => ({ action, label: ACTION_WORDS[action].label })),
    });
  }
  return groups;
})();

const isKnown = (action: string): action is AuditAction =>
  Object.prototype.hasOwnProperty.call(ACTION_WORDS, action);

/** The label of an action, e.g. "Agreed a level"; a name this version does not know is "A change". */
export function actionLabel(action: string): string {
  return isKnown(action) ? ACTION_WORDS[action].label : 'A change';
}

// ---- details in plain words ----

const KEY_WORDS: Readonly<Record<string, string>> = {
  rationale: 'Reason given',
  reason: 'Reason given',
  title: 'Title',
  name: 'Name',
  before: 'Before',
  after: 'After',
  level: 'Level',
  evidence: 'Evidence',
  groups: 'Groups',
  scope: 'Scope',
  framework: 'Framework',
  opensOn: 'Opens on',
  closesOn: 'Closes on',
  minGroupSize: 'Smallest group shown',
  sector: 'Sector',
  fileName: 'File',
  format: 'Format',
  bytes: 'Size in bytes',
  error: 'What went wrong',
  expiresAt: 'Expires',
  status: 'Status',
  kind: 'Kind',
  changed: 'Fields changed',
  revision: 'Revision',
  via: 'How',
  comments: 'Comments',
  stages: 'Stages',
  themes: 'Themes',
  typologyCells: 'Typology cells',
  suggested: 'Suggested cells',
  filters: 'Filters',
  counts: 'Counts',
  label: 'Label',
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "2026-11-25T10:00:00.000Z" → "25 November 2026 at 10:00 (UTC)". */
function dateTimeWords(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${dateTimeFormat.format(d)} (UTC)`;
}

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keys that hold ids or internal codes, never shown. */
const isHiddenKey = (key: string) =>
  key === 'id' || /Id$/.test(key) || key === 'prefix' || key === 'seed' || key === 'document';

function plainValue(value: unknown, depth = 0): string | undefined {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString('en-GB');
  if (typeof value === 'string') {
    if (ID_PATTERN.test(value)) return undefined;
    if (ISO_TIME.test(value)) return dateTimeWords(value);
    return value === '' ? 'none' : value;
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => plainValue(v, depth + 1)).filter((v) => v !== undefined);
    return parts.length === 0 ? 'none' : parts.join(', ');
  }
  if (typeof value === 'object') {
    if (depth > 2) return undefined;
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !isHiddenKey(k))
      .map(([k, v]) => {
        const shown = plainValue(v, depth + 1);
        return shown === undefined ? undefined : `${keyLabel(k).toLowerCase()} ${shown}`;
      })
      .filter((v) => v !== undefined);
    return parts.length === 0 ? undefined : parts.join('; ');
  }
  return undefined;
}

function keyLabel(key: string): string {
  const known = KEY_WORDS[key];
  if (known) return known;
  const w = words(key);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function levelPair(value: unknown): string | undefined {
  if (value === null) return 'none';
  if (typeof value !== 'object' || value === undefined) return undefined;
  const v = value as { level?: unknown; evidence?: unknown };
  const level = isLevel(v.level) ? levelWithName(v.level) : 'no level';
  const evidence =
    typeof v.evidence === 'string'
      ? `, evidence ${EVIDENCE_WORDS[v.evidence] ?? words(v.evidence)}`
      : '';
  return `${level}${evidence}`;
}

function describeDetails(action: string, c: Context, said: readonly string[]): DescribedDetail[] {
  const out: DescribedDetail[] = [];
  for (const [key, value] of Object.entries(c.d)) {
    if (said.includes(key) || isHiddenKey(key)) continue;
    let shown: string | undefined;
    if (action === 'assessment.rating_agreed' && (key === 'before' || key === 'after')) {
      shown = levelPair(value);
      if (key === 'before' && value === null) shown = 'not agreed before';
    } else if (action === 'assessment.target_set' && key === 'before') {
      shown = isLevel(value) ? levelWithName(value) : 'no target';
    } else {
      shown = plainValue(value);
    }
    if (shown !== undefined) out.push({ label: keyLabel(key), value: shown });
  }
  return out;
}

/** An event in plain words: who, the sentence, the kind of action and its other details. */
export function describeAuditEvent(event: AuditRecord, names: AuditNames): DescribedEvent {
  const who = whoDid(event, names);
  const c: Context = {
    e: event,
    d: event.details,
    n: names,
    who,
    by: who === 'The system' ? 'the system' : who,
  };
  if (!isKnown(event.action)) {
    return {
      who,
      sentence: `${who} made a change this version of Throughline cannot describe`,
      label: 'A change',
      details: describeDetails(event.action, c, []),
    };
  }
  const w = ACTION_WORDS[event.action];
  const said = w.says(c);
  return {
    who,
    sentence: w.whole ? said : `${who} ${said}`,
    label: w.label,
    details: describeDetails(event.action, c, w.said ?? []),
  };
}

/** The ids a set of events points at, for storage to name them. */
export function auditReferences(events: readonly AuditRecord[]): AuditReferences {
  const refs = {
    users: new Set<string>(),
    memberships: new Set<string>(),
    rounds: new Set<string>(),
    groups: new Set<string>(),
    responses: new Set<string>(),
    chains: new Set<string>(),
    logs: new Set<string>(),
    commentSets: new Set<string>(),
    analyses: new Set<string>(),
    initiatives: new Set<string>(),
    risks: new Set<string>(),
    lessons: new Set<string>(),
    invitations: new Set<string>(),
    apiTokens: new Set<string>(),
  };
  const add = (set: Set<string>, value: unknown) => {
    if (typeof value === 'string' && value !== '') set.add(value);
  };
  const byEntity: Readonly<Record<string, Set<string>>> = {
    assessment_round: refs.rounds,
    response: refs.responses,
    membership: refs.memberships,
    delivery_chain: refs.chains,
    event_log: refs.logs,
    comment_set: refs.commentSets,
    theme_analysis: refs.analyses,
    initiative: refs.initiatives,
    initiative_risk: refs.risks,
    lesson: refs.lessons,
    invitation: refs.invitations,
    api_token: refs.apiTokens,
  };
  for (const e of events) {
    add(refs.users, e.actorUserId);
    const set = byEntity[e.entityType];
    if (set) add(set, e.entityId);
    add(refs.users, e.details.userId);
    add(refs.rounds, e.details.roundId);
    add(refs.groups, e.details.groupId);
    add(refs.chains, e.details.chainId);
    add(refs.initiatives, e.details.initiativeId);
  }
  return Object.fromEntries(
    Object.entries(refs).map(([k, v]) => [k, [...v]]),
  ) as unknown as AuditReferences;
}
