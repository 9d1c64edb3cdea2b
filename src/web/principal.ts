// Who is asking: a signed-in person (session cookie) or a script with a personal API token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrgScope, Role, Storage } from '../storage/index.ts';
import type { AccountService } from '../services/accounts.ts';
import type { Config } from '../config.ts';
import type { Framework } from '../domain/framework/index.ts';
import type { FrameworkRegistry } from '../services/frameworks.ts';
import type { JobQueue } from '../jobs/index.ts';
import type { MailService } from '../services/mail/index.ts';

export interface Principal {
  readonly via: 'session' | 'token';
  readonly userId: string;
  readonly userName: string;
  readonly email: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly role: Role;
  /** True for a strategic institution, or a body that is a member of one or invited: shows "Sector". */
  readonly inSector?: boolean;
  /** Set for sessions: the cookie value, so signing out can end exactly this session. */
  readonly sessionToken?: string;
  /** Set for API tokens: the `area:read` / `area:write` scopes it was made with (see services/tokens.ts). */
  readonly tokenScopes?: ReadonlySet<string>;
}

/** What routes are given: services built once, by hand, in app.ts. */
export interface Services {
  readonly config: Config;
  readonly storage: Storage;
  readonly accounts: AccountService;
  readonly framework: Framework;
  readonly frameworks: FrameworkRegistry;
  /** Background jobs (event-log imports, …): started and stopped with the app. */
  readonly jobs: JobQueue;
  /** Invitations by email; built from the configuration by buildApp when not given. */
  readonly mail?: MailService;
  /** Largest event-log upload accepted, in bytes (default 200 MB; tests make it small). */
  readonly eventLogUploadLimitBytes?: number;
  /** Largest comments upload accepted, in bytes (default 200 MB; tests make it small). */
  readonly commentUploadLimitBytes?: number;
  /** Where the log goes instead of standard output (tests read it to catch replies sent twice). */
  readonly logStream?: { write(line: string): void };
}

const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 0, member: 1, lead: 2, admin: 3 };

/** True when the role is at least the one required (admin > lead > member > viewer). */
export function hasRole(role: Role, atLeast: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[atLeast];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** Why an API request's token was refused, when it was found but has expired. */
    apiTokenRefusal: string | undefined;
    /** The caller's organisation, for every query of its data. Only after `requireSignIn`. */
    scope: OrgScope;
  }
  interface FastifyReply {
    /** Renders a page of the layout with what every page needs (CSRF token, CSP nonce, who is signed in). */
    page(template: string, context: Record<string, unknown>): Promise<FastifyReply>;
    /** A one-off success message shown on the next page (after a redirect). */
    flash(text: string): FastifyReply;
  }
}

export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
