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
  /** Space-separated `area:read` / `area:write` (the areas of src/web/api.ts). */
  scopes: string;
  /** Null only before migration 0023; every token made since has an expiry. */
  expires_at: string | null;
  /** 1 for a token made before scopes, given every area and 90 days by migration 0023. */
  expiry_migrated: number;
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
  delivery_chains: DeliveryChainsTable;
  chain_scenarios: ChainScenariosTable;
  comment_sets: CommentSetsTable;
  comment_set_files: CommentSetFilesTable;
  comments: CommentsTable;
  theme_analyses: ThemeAnalysesTable;
  themes: ThemesTable;
  comment_assignments: CommentAssignmentsTable;
  theme_edits: ThemeEditsTable;
  theme_links: ThemeLinksTable;
  event_log_uploads: EventLogUploadsTable;
  event_logs: EventLogsTable;
  event_log_corrections: EventLogCorrectionsTable;
  jobs: JobsTable;
  initiatives: InitiativesTable;
  readiness_snapshots: ReadinessSnapshotsTable;
  initiative_risks: InitiativeRisksTable;
  initiative_evaluations: InitiativeEvaluationsTable;
  lessons: LessonsTable;
  initiative_settings: InitiativeSettingsTable;
  roadmap_items: RoadmapItemsTable;
  mail_recipients: MailRecipientsTable;
  mail_reminders: MailRemindersTable;
  auth_attempts: AuthAttemptsTable;
  password_resets: PasswordResetsTable;
  sector_memberships: SectorMembershipsTable;
  sector_consents: SectorConsentsTable;
  sector_settings: SectorSettingsTable;
  sector_levels: SectorLevelsTable;
  sector_level_sources: SectorLevelSourcesTable;
  sector_chain_measures: SectorChainMeasuresTable;
  sector_incident_rules: SectorIncidentRulesTable;
  sector_incidents: SectorIncidentsTable;
  sector_exchange_items: SectorExchangeItemsTable;
  sector_exchange_joins: SectorExchangeJoinsTable;
  sector_shared_chains: SectorSharedChainsTable;
  sector_shared_chain_stages: SectorSharedChainStagesTable;
  sector_register_entries: SectorRegisterEntriesTable;
  sector_supplier_reports: SectorSupplierReportsTable;
  sso_configs: SsoConfigsTable;
  sso_secrets: SsoSecretsTable;
  sso_identities: SsoIdentitiesTable;
  sso_logins: SsoLoginsTable;
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
  /** An administrator's override of the evidence rule (migration 0008): reason, who, when. */
  override_reason: string | null;
  override_by: string | null;
  override_at: string | null;
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

// ---- delivery chains (migration 0003) ----

export interface DeliveryChainsTable {
  id: string;
  organisation_id: string;
  name: string;
  description: string;
  /** The chain document as JSON, always one that the engine's parseChain accepts. */
  model: string;
  schema_version: number;
  revision: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ChainScenariosTable {
  id: string;
  organisation_id: string;
  chain_id: string;
  name: string;
  /** JSON array of intervention ids. */
  interventions: string;
  created_by: string | null;
  created_at: string;
}

// ---- comment themes (migration 0005) ----

export interface CommentSetsTable {
  id: string;
  organisation_id: string;
  name: string;
  file_name: string;
  format: 'csv' | 'text';
  /** JSON array of the CSV header's column names (empty for plain text). */
  columns: string;
  /** JSON ColumnMapping once chosen. */
  mapping: string | null;
  /**
   * Set while the uploaded file waits for its mapping and import: 'gzip-chunks' (the file is in
   * comment_set_files, migration 0006), or, from older versions, the file itself ('gzip+base64:…'
   * or plain text). Cleared when the comments are stored.
   */
  pending_file: string | null;
  status: 'awaiting_mapping' | 'ready';
  comment_count: number;
  blank_count: number;
  duplicate_count: number;
  created_by: string | null;
  created_at: string;
  /** The earlier set this set is a later wave of (migration 0027), same organisation; or null. */
  previous_set_id: string | null;
}

/** An uploaded comment file, gzip-compressed, in chunks (migration 0006). */
export interface CommentSetFilesTable {
  set_id: string;
  organisation_id: string;
  seq: number;
  data: Buffer;
}

export interface CommentsTable {
  id: string;
  organisation_id: string;
  set_id: string;
  position: number;
  line: number;
  /** As uploaded: analyses read it; pages and exports never show it. */
  text: string;
  /** Personal data replaced: what people see. */
  redacted: string;
  submitted_on: string | null;
  channel: string | null;
  area: string | null;
  respondent_group: string | null;
  set_aside: 'blank' | 'duplicate' | null;
}

export interface ThemeAnalysesTable {
  id: string;
  organisation_id: string;
  set_id: string;
  previous_id: string | null;
  seed: number;
  requested_themes: number | null;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  stage: string;
  error: string | null;
  job_id: string | null;
  counts: string;
  method: string;
  raw_themes: string;
  not_applied: string;
  /** Migration 0020: JSON list of the broad themes (after edits); null where there are none. */
  broad_themes: string | null;
  /** Migration 0020: broad themes asked for; null when chosen automatically. */
  requested_broad_themes: number | null;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
  /** Migration 0019: the consultation question the comments answer, if any. */
  question: string | null;
  /** Migration 0019: JSON StoredMentions once finished; null before, or after an edit. */
  mentions: string | null;
}

export interface ThemesTable {
  id: string;
  organisation_id: string;
  analysis_id: string;
  theme_key: string;
  position: number;
  /** The name people see (migration 0017: before it, the key words). */
  label: string;
  key_phrases: string;
  /** Migration 0017; null for themes stored before it. */
  key_words: string | null;
  description: string | null;
  similar_to: string | null;
  /** Migration 0020: the broad theme's key ("broad-1"); null where the analysis has one level. */
  parent_key: string | null;
  size: number;
  share: number;
  cohesion: number;
  quotes: string;
  trend: string | null;
}

export interface CommentAssignmentsTable {
  organisation_id: string;
  analysis_id: string;
  comment_id: string;
  position: number;
  raw_theme_key: string | null;
  theme_key: string | null;
  reason: 'blank' | 'duplicate' | 'other' | null;
  /** Migration 0019: JSON CommentMentions (themes with score, sentiment, stance); null before. */
  mentions: string | null;
}

export interface ThemeEditsTable {
  id: string;
  organisation_id: string;
  analysis_id: string;
  seq: number;
  edit: string;
  carried: number;
  created_by: string | null;
  created_at: string;
}

export interface ThemeLinksTable {
  id: string;
  organisation_id: string;
  analysis_id: string;
  theme_key: string;
  kind: 'stage' | 'capability';
  chain_id: string | null;
  stage_id: string | null;
  capability_id: string | null;
  note: string;
  created_by: string | null;
  created_at: string;
}

// ---- event logs and background jobs (migration 0004) ----

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface EventLogUploadsTable {
  id: string;
  organisation_id: string;
  file_name: string;
  format: 'csv' | 'xes';
  size_bytes: number;
  /** gzip-compressed file. */
  content: Buffer;
  columns: string;
  sample: string;
  created_by: string | null;
  created_at: string;
}

export interface EventLogsTable {
  id: string;
  organisation_id: string;
  name: string;
  file_name: string;
  format: 'csv' | 'xes';
  settings: string;
  cases: number;
  events: number;
  activities: number;
  variants: number;
  first_event_at: string | null;
  last_event_at: string | null;
  finding: string;
  analysis: string;
  /** The engine's compact log, serialised and gzip-compressed (repositories/logs-codec.ts). */
  data: Buffer;
  data_bytes: number;
  import_ms: number;
  created_by: string | null;
  created_at: string;
}

/** A person's correction of a wait kind, one per log and activity (migration 0012). */
export interface EventLogCorrectionsTable {
  id: string;
  organisation_id: string;
  log_id: string;
  activity: string;
  kind: 'contention' | 'batching' | 'timer' | 'external';
  reason: string;
  created_by: string | null;
  created_at: string;
}

export interface JobsTable {
  id: string;
  organisation_id: string;
  kind: string;
  payload: string;
  status: JobStatus;
  progress: number;
  message: string;
  result: string | null;
  error: string | null;
  attempts: number;
  created_by: string | null;
  created_by_label: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  /** Written every few seconds by the runner while the job runs (migration 0016). */
  heartbeat_at: string | null;
  /** Tries before a job whose runner keeps dying is failed (migration 0016). */
  max_attempts: number;
  /** The process running it, `host:pid` (migration 0016). */
  runner: string | null;
  /** The pg-boss job carrying it, when pg-boss runs jobs (migration 0016). */
  queue_ref: string | null;
  /** The id of the web request that queued it, for the logs (migration 0024). */
  request_id: string | null;
}

// ---- AI initiatives (migration 0007) ----

export type InitiativeStatusValue =
  'idea' | 'assessed' | 'approved' | 'in-delivery' | 'live' | 'evaluated' | 'stopped';

export interface InitiativesTable {
  id: string;
  organisation_id: string;
  title: string;
  status: InitiativeStatusValue;
  /** JSON: the initiative as the domain's input schema accepts it. */
  model: string;
  chain_id: string | null;
  stopped_reason: string | null;
  live_from: string | null;
  /** JSON: ethics review, DPIA screening and status, pre-mortem, transparency extras. */
  governance: string;
  revision: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReadinessSnapshotsTable {
  id: string;
  organisation_id: string;
  initiative_id: string;
  reason: string;
  /** JSON: the domain's ReadinessSnapshot. */
  snapshot: string;
  created_by: string | null;
  created_at: string;
}

export interface InitiativeRisksTable {
  id: string;
  organisation_id: string;
  initiative_id: string;
  kind: 'operational' | 'ethical';
  likelihood: number;
  impact: number;
  status: string;
  /** JSON: the risk as the domain's schema accepts it. */
  risk: string;
  created_at: string;
  updated_at: string;
}

export interface InitiativeEvaluationsTable {
  id: string;
  organisation_id: string;
  initiative_id: string;
  log_id: string | null;
  /** JSON: what people typed and what was computed from the log. */
  evaluation: string;
  created_by: string | null;
  created_at: string;
}

export interface LessonsTable {
  id: string;
  organisation_id: string;
  initiative_id: string | null;
  title: string;
  competency: string | null;
  ambition: string | null;
  outcome: string | null;
  /** JSON array of capability ids. */
  capabilities: string;
  /** JSON: the lesson as the domain's schema accepts it. */
  lesson: string;
  search_text: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export type InitiativeSettingKind =
  'readiness-table' | 'portfolio-weights' | 'risk-appetite' | 'innovation-fund';

export interface InitiativeSettingsTable {
  organisation_id: string;
  kind: InitiativeSettingKind;
  version: number;
  /** JSON: the document the domain validates for this kind. */
  document: string;
  created_by: string | null;
  created_at: string;
}

// ---- roadmap items (migration 0009) ----

export type RoadmapItemStatus = 'not-started' | 'in-progress' | 'blocked' | 'done';

export interface RoadmapItemsTable {
  id: string;
  organisation_id: string;
  round_id: string;
  capability_id: string;
  indicator_id: string;
  action_text: string;
  owner_user_id: string | null;
  /** YYYY-MM-DD. */
  due_on: string | null;
  status: RoadmapItemStatus;
  notes: string;
  initiative_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

// ---- invitations by email (migration 0010) ----

export type MailRecipientKind = 'respondent' | 'member';
export type MailStatus = 'pending' | 'sent' | 'failed';

export interface MailRecipientsTable {
  id: string;
  organisation_id: string;
  kind: MailRecipientKind;
  round_id: string | null;
  response_id: string | null;
  invitation_id: string | null;
  /** Null once removed (answered, finalised or archived). */
  email: string | null;
  link_origin: string;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  purged_at: string | null;
  created_by: string | null;
  created_at: string;
}

export interface MailRemindersTable {
  id: string;
  organisation_id: string;
  recipient_id: string;
  days_before: number;
  sent_at: string;
}

// ---- sign-in hardening (migration 0015) ----

/** An attempt that counts towards a limit (a failed sign-in, a reset request), by hashed key. */
export interface AuthAttemptsTable {
  id: string;
  /** What is counted, e.g. `sign_in:account`, `sign_in:address`, `reset:account`. */
  bucket: string;
  key_hash: string;
  at: string;
}

/** A single-use link to set a new password, sent by e-mail; only its SHA-256 is kept. */
export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

// ---- sector stewardship: membership, consent, benchmarks (migration 0018) ----

export type SectorMembershipStatus = 'invited' | 'active' | 'declined' | 'ended';
export type SectorDataKind = 'results' | 'chain_measures' | 'evaluations' | 'register';

export interface SectorMembershipsTable {
  id: string;
  institution_id: string;
  member_id: string;
  status: SectorMembershipStatus;
  peer_group: string;
  invited_by: string | null;
  invited_at: string;
  responded_at: string | null;
  ended_at: string | null;
  ended_by_side: 'institution' | 'member' | null;
}

export interface SectorConsentsTable {
  id: string;
  membership_id: string;
  institution_id: string;
  member_id: string;
  data_kind: SectorDataKind;
  shared_by: string | null;
  shared_at: string;
  withdrawn_by: string | null;
  withdrawn_at: string | null;
}

export interface SectorSettingsTable {
  institution_id: string;
  min_group_size: number;
  updated_by: string | null;
  updated_at: string;
}

export interface SectorLevelsTable {
  organisation_id: string;
  capability_id: string;
  level: number;
  round_id: string;
  finalised_at: string;
}

export interface SectorLevelSourcesTable {
  organisation_id: string;
  stamp: string;
  refreshed_at: string;
}

export interface SectorChainMeasuresTable {
  chain_id: string;
  organisation_id: string;
  service_type: string;
  chain_revision: number;
  cost_per_output: number | null;
  lead_time_hours: number | null;
  outputs_per_staff_hour: number | null;
  outcomes_per_output: number | null;
  set_by: string | null;
  updated_at: string;
}

// ---- sector incidents and exchange (migration 0022) ----

export interface SectorIncidentRulesTable {
  institution_id: string;
  version: number;
  rule: string;
  created_by: string | null;
  created_at: string;
}

export interface SectorIncidentsTable {
  id: string;
  organisation_id: string;
  institution_id: string;
  kind: 'incident' | 'near_miss';
  title: string;
  system_name: string;
  system_key: string;
  competency: string;
  what_happened: string;
  occurred_on: string;
  harm_to_public: number;
  severity: number;
  reporter_user_id: string | null;
  reported_on: string;
  status: 'open' | 'triaged' | 'closed';
  answers: string | null;
  class: string | null;
  follow_up: string | null;
  triaged_on: string | null;
  rule_version: number | null;
  refer: number | null;
  review_reasons: string | null;
  closing_note: string | null;
  closed_on: string | null;
  lesson_id: string | null;
  exchange_item_id: string | null;
}

export interface SectorExchangeItemsTable {
  id: string;
  institution_id: string;
  organisation_id: string;
  kind: 'case_study' | 'component' | 'problem' | 'skills' | 'lesson';
  title: string;
  capability_id: string | null;
  body: string;
  search_text: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  endorsed_at: string | null;
  endorsed_by: string | null;
  withdrawn_at: string | null;
}

export interface SectorExchangeJoinsTable {
  item_id: string;
  organisation_id: string;
  joined_by: string | null;
  joined_at: string;
}
// ---- shared delivery chains and the sector's registers (migration 0021) ----

export interface SectorSharedChainsTable {
  id: string;
  institution_id: string;
  chain_id: string;
  convened_by: string | null;
  convened_at: string;
}

export interface SectorSharedChainStagesTable {
  shared_chain_id: string;
  stage_id: string;
  owner_id: string;
  assigned_at: string;
}

export interface SectorRegisterEntriesTable {
  organisation_id: string;
  level: number;
  /** JSON: the capabilities counted, each with its level and evidence. */
  basis: string;
  evidence: string;
  round_id: string;
  round_title: string;
  finalised_at: string;
  published_by: string | null;
  published_at: string;
}

export interface SectorSupplierReportsTable {
  id: string;
  organisation_id: string;
  evaluation_id: string;
  supplier: string;
  supplier_key: string;
  delivered: number;
  on_time: number;
  benefits: 'realised' | 'partly' | 'not-realised';
  lock_in: number;
  created_by: string | null;
  created_at: string;
}

// ---- single sign-on (migration 0026) ----

export interface SsoConfigsTable {
  organisation_id: string;
  display_name: string;
  issuer: string;
  client_id: string;
  /** Lower-case domains separated by spaces. */
  allowed_domains: string;
  new_user_role: Role;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface SsoSecretsTable {
  organisation_id: string;
  /** Encrypted with the instance's key (src/services/secrets.ts `encryptSecret`). */
  client_secret: string;
  updated_at: string;
}

export interface SsoIdentitiesTable {
  id: string;
  organisation_id: string;
  user_id: string;
  issuer: string;
  subject: string;
  created_at: string;
  last_signed_in_at: string;
}

export interface SsoLoginsTable {
  /** SHA-256 of the state. */
  id: string;
  organisation_id: string;
  browser_hash: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: string;
  expires_at: string;
}
