// Table types for Kysely. Ids are UUID strings and timestamps ISO-8601 UTC strings, both made by the
// application, so SQLite and PostgreSQL return the same values.
export type Role = 'admin' | 'lead' | 'member' | 'viewer';
export type OrganisationKind = 'public_body' | 'strategic_institution';

export interface OrganisationsTable {
  id: string;
  name: string;
  slug: string;
  kind: OrganisationKind;
  sector: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export interface MembershipsTable {
  id: string;
  organisation_id: string;
  user_id: string;
  role: Role;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  id: string;
  user_id: string;
  organisation_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface InvitationsTable {
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  role: Role;
  token_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  organisation_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  /** The first characters of the token, shown so people can tell their tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  /** A UUIDv7: ordered by time of creation, so the log sorts by id. */
  id: string;
  organisation_id: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: string;
  at: string;
}

export interface AppSettingsTable {
  key: string;
  value: string;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  app_settings: AppSettingsTable;
}
