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
  framework_documents: FrameworkDocumentsTable;
  assessment_rounds: AssessmentRoundsTable;
  round_groups: RoundGroupsTable;
  responses: ResponsesTable;
  answers: AnswersTable;
  agreed_ratings: AgreedRatingsTable;
  round_snapshots: RoundSnapshotsTable;
  capability_targets: CapabilityTargetsTable;
}

// ---- assessments (migration 0002) ----

export type RoundStatus = 'draft' | 'open' | 'closed' | 'finalised';
export type ResponseStatus = 'not_started' | 'in_progress' | 'submitted';
export type EvidenceStrength = 'asserted' | 'documented' | 'independently-verified';

export interface FrameworkDocumentsTable {
  framework_id: string;
  version: string;
  /** The whole framework document as JSON: a round keeps the wording it was answered against. */
  document: string;
  stored_at: string;
}

export interface AssessmentRoundsTable {
  id: string;
  organisation_id: string;
  scope: 'organisation' | 'sector';
  title: string;
  opens_on: string;
  closes_on: string;
  status: RoundStatus;
  framework_id: string;
  framework_version: string;
  min_group_size: number;
  created_by: string;
  created_at: string;
  opened_at: string | null;
  closed_at: string | null;
  finalised_at: string | null;
}

export interface RoundGroupsTable {
  id: string;
  organisation_id: string;
  round_id: string;
  name: string;
  position: number;
}

export interface ResponsesTable {
  id: string;
  organisation_id: string;
  round_id: string;
  group_id: string;
  /** Set for a signed-in member's response; null for a response through a single-use link. */
  user_id: string | null;
  link_token_hash: string | null;
  label: string;
  status: ResponseStatus;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  revoked_at: string | null;
}

export interface AnswersTable {
  id: string;
  organisation_id: string;
  response_id: string;
  capability_id: string;
  level: number | null;
  dont_know: number;
  /** JSON array of indicator ids. */
  indicators_seen: string;
  evidence: string;
  confidence: 'low' | 'medium' | 'high' | null;
  updated_at: string;
}

export interface AgreedRatingsTable {
  id: string;
  organisation_id: string;
  round_id: string;
  capability_id: string;
  agreed_level: number;
  rationale: string;
  evidence_strength: EvidenceStrength;
  recorded_by: string;
  recorded_at: string;
}

export interface RoundSnapshotsTable {
  id: string;
  organisation_id: string;
  round_id: string;
  version: number;
  snapshot: string;
  reason: string;
  created_by: string;
  created_at: string;
}

export interface CapabilityTargetsTable {
  id: string;
  organisation_id: string;
  capability_id: string;
  target_level: number;
  rationale: string;
  set_by: string;
  set_at: string;
}
