// The names of the changes the audit log records. Every entry is written with one of these, so a
// mistyped name fails the typecheck instead of landing in the log. The strings are stored as they
// are: existing databases hold them, so a name is never changed, only added. A new kind of change
// adds its names here, beside those of its area (`initiative.created`, `risk.updated`, …), and a
// plain-words description in src/domain/audit/describe.ts (the typecheck asks for it).
export const AUDIT_ACTIONS = [
  // People and access
  'session.signed_in',
  'session.signed_out',
  'organisation.updated',
  'member.added',
  'member.role_changed',
  'member.removed',
  'invitation.created',
  'invitation.revoked',
  'api_token.created',
  'api_token.revoked',
  // Background jobs
  'job.queued',
  'job.failed',
  // Assessments
  'assessment.round_created',
  'assessment.round_updated',
  'assessment.round_deleted',
  'assessment.round_opened',
  'assessment.round_closed',
  'assessment.round_finalised',
  'assessment.round_corrected',
  'assessment.link_created',
  'assessment.respondent_added',
  'assessment.response_revoked',
  'assessment.response_submitted',
  'assessment.responses_exported',
  'assessment.rating_agreed',
  'assessment.evidence_rule_overridden',
  'assessment.target_set',
  'roadmap_item.created',
  'roadmap_item.updated',
  // Delivery chains and their scenarios
  'chain.created',
  'chain.imported',
  'chain.updated',
  'chain.deleted',
  'chain.intervention_added',
  'chain.intervention_updated',
  'chain.intervention_removed',
  'chain.intervention_classified',
  'scenario.created',
  'scenario.deleted',
  // Event logs
  'eventlog.uploaded',
  'eventlog.upload_discarded',
  'eventlog.upload_expired',
  'eventlog.imported',
  'eventlog.deleted',
  'eventlog.wait_kind_corrected',
  'eventlog.wait_kind_correction_removed',
  // AI initiatives, their risks and lessons
  'initiative.created',
  'initiative.updated',
  'initiative.status_changed',
  'initiative.governance_recorded',
  'initiative.deleted',
  'initiative.readiness_kept',
  'initiative.evaluated',
  'initiative.setting_changed',
  'risk.created',
  'risk.updated',
  'risk.deleted',
  'lesson.created',
  'lesson.updated',
  // Comment sets and their themes
  'comments.uploaded',
  'comments.imported',
  'comments.deleted',
  'themes.analysis_started',
  'themes.analysis_failed',
  'themes.analysis_finished',
  'themes.renamed',
  'themes.merged',
  'themes.split',
  'themes.comment_moved',
  'themes.linked',
  'themes.unlinked',
  // The audit log itself
  'audit.exported',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
