// Comment sets, theme analyses, themes, people's edits and links for one organisation (issue 6): the
// rows, read and written. Reached only through OrgScope.themes, so every query is filtered by the
// organisation; every change writes an audit entry in the same transaction. Running an analysis and
// making an edit, which take several of these steps in an order, are in services/themes.
//
// What is stored: an analysis keeps the engine's own themes (`raw_themes`, and each comment's
// `raw_theme_key`) and an ordered list of edits. What people see is always the engine's result with
// the edits re-applied, stored so pages read it directly (`themes`, each comment's `theme_key`).
//
// Original text is kept for re-runs (see migration 0005); everything this store returns for display
// or export is the redacted copy.
import { sql } from 'kysely';
import {
  redactPersonalData,
  type BroadTheme,
  type ColumnMapping,
  type CommentMentions,
  type MentionsResult,
  type CommentInput,
  type ImportCounts,
  type ImportedComment,
  type ImportResult,
  type NoThemeReason,
  type Theme,
  type ThemeEdit,
  type ThemeRun,
  type Trend,
} from '../../domain/themes/index.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import type { ThemeAnalysesTable } from '../schema.ts';
import type { AuditAction } from '../audit.ts';
import { ScopedStore } from './tx.ts';

/** Rows per multi-row insert: well inside both databases' limits on bound values. */
const BATCH = 200;
/** Comments read per query when a set's comments are loaded. */
const COMMENTS_PER_READ = 10_000;
/** `comment_sets.pending_file` while the uploaded file waits in `comment_set_files` (gzip chunks). */
const PENDING_CHUNKS = 'gzip-chunks';
/** Marks a pending file kept by older versions in `pending_file` itself, gzip-compressed. */
const PENDING_GZIP = 'gzip+base64:';
/** Staged comments removed per statement when an import is undone (keeps each write short). */
const CLEAR_BATCH = 5000;

export type AnalysisStatus = ThemeAnalysesTable['status'];

export interface CommentSetSummary {
  readonly id: string;
  readonly name: string;
  readonly fileName: string;
  readonly format: 'csv' | 'text';
  readonly status: 'awaiting_mapping' | 'ready';
  readonly commentCount: number;
  readonly blankCount: number;
  readonly duplicateCount: number;
  readonly createdAt: string;
  readonly latest: AnalysisSummary | undefined;
}

export interface CommentSet extends Omit<CommentSetSummary, 'latest'> {
  readonly columns: readonly string[];
  readonly mapping: ColumnMapping | null;
  /** Whether the uploaded file is kept, waiting for its columns to be mapped and its import. */
  readonly pending: boolean;
  /** The earlier set this set is a later wave of (migration 0027), or null. */
  readonly previousSetId: string | null;
}

/** One wave's side of a comparison over time: what its newest finished analysis holds. */
export interface WaveAnalysis {
  readonly analysisId: string;
  /** Comments analysed (blank and duplicate ones excluded). */
  readonly analysed: number;
  /** The themes as people see them (names and edits included). */
  readonly themes: readonly StoredTheme[];
  /** The engine's themes before any edit, with their centres. */
  readonly engineThemes: readonly {
    readonly id: string;
    readonly name: string;
    readonly size: number;
    readonly centroid: readonly number[];
  }[];
  /** Each comment's engine theme and its theme as people see it, in no particular order. */
  readonly rawKeys: readonly (string | null)[];
  readonly finalKeys: readonly (string | null)[];
}

/**
 * A set's uploaded file while it waits, read a chunk at a time (never whole): gzip-compressed,
 * except plain text kept by the oldest versions.
 */
export interface PendingFile {
  readonly compressed: boolean;
  /** Bytes as stored (compressed), for showing progress through the file. */
  readonly storedBytes: number;
  chunks(): AsyncGenerator<Buffer>;
}

/** A comment read from a set's file, on its way into the set, with its set-aside reason. */
export interface StagedComment {
  readonly position: number;
  readonly comment: ImportedComment;
  readonly setAside: 'blank' | 'duplicate' | null;
}

export interface AnalysisSummary {
  readonly id: string;
  readonly setId: string;
  readonly status: AnalysisStatus;
  readonly progress: number;
  readonly stage: string;
  readonly error: string | null;
  readonly seed: number;
  readonly requestedThemes: number | null;
  /** Broad themes asked for (migration 0020); null when chosen automatically. */
  readonly requestedBroadThemes: number | null;
  readonly previousId: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly jobId: string | null;
}

export interface AnalysisCounts {
  readonly input: number;
  readonly analysed: number;
  readonly blank: number;
  readonly duplicate: number;
  readonly other: number;
}

export interface NotApplied {
  readonly description: string;
  readonly reason: string;
}

/** What an analysis records of several themes per comment (issue 14), as findMentions gives it. */
export interface StoredMentions {
  readonly themes: MentionsResult['themes'];
  readonly sentiment: MentionsResult['sentiment'];
  readonly method: MentionsResult['method'];
}

export interface Analysis extends AnalysisSummary {
  /** The consultation question the comments answer (migration 0019), or null. */
  readonly question: string | null;
  /**
   * Several themes per comment, sentiment and stance; null for analyses stored before migration
   * 0019, and after a person's edit until the analysis is run again.
   */
  readonly mentions: StoredMentions | null;
  readonly counts: AnalysisCounts | null;
  readonly method: Readonly<Record<string, unknown>>;
  readonly notApplied: readonly NotApplied[];
}

export interface StoredTheme {
  readonly key: string;
  readonly position: number;
  /** The theme's name: built from its comments, or a person's rename. */
  readonly label: string;
  /** The key words ("recycling rules — confusing — bin"); null for analyses stored before names. */
  readonly keyWords: string | null;
  /** One sentence on what its comments say; null for analyses stored before names. */
  readonly description: string | null;
  /** Key of a larger theme whose name is nearly the same, or null. */
  readonly similarTo: string | null;
  /** Key of its broad theme ("broad-1"), or null where the analysis has one level. */
  readonly parent: string | null;
  readonly keyPhrases: readonly string[];
  readonly size: number;
  readonly share: number;
  readonly cohesion: number;
  /** Redacted. */
  readonly quotes: readonly string[];
  readonly trend: Trend | null;
}

export interface ThemeComment {
  readonly id: string;
  readonly position: number;
  readonly line: number;
  /** Redacted. */
  readonly text: string;
  readonly date: string | null;
  readonly channel: string | null;
  readonly area: string | null;
  readonly group: string | null;
  readonly themeKey: string | null;
  readonly reason: NoThemeReason | null;
  /** Its themes with score, sentiment and stance (migration 0019); null for older analyses. */
  readonly mentions: CommentMentions | null;
}

/** The columns of a comment as people see it (redacted), with its theme. */
const COMMENT_COLUMNS = [
  'c.id as id',
  'c.position as position',
  'c.line as line',
  'c.redacted as text',
  'c.submitted_on as date',
  'c.channel as channel',
  'c.area as area',
  'c.respondent_group as grp',
  'a.theme_key as themeKey',
  'a.reason as reason',
  'a.mentions as mentions',
] as const;

function toThemeComment(r: {
  id: string;
  position: number;
  line: number;
  text: string;
  date: string | null;
  channel: string | null;
  area: string | null;
  grp: string | null;
  themeKey: string | null;
  reason: string | null;
  mentions: string | null;
}): ThemeComment {
  return {
    id: r.id,
    position: r.position,
    line: r.line,
    text: r.text,
    date: r.date,
    channel: r.channel,
    area: r.area,
    group: r.grp,
    themeKey: r.themeKey,
    reason: r.reason as ThemeComment['reason'],
    mentions: json<CommentMentions | null>(r.mentions, null),
  };
}

export interface ThemeLink {
  readonly id: string;
  readonly themeKey: string;
  readonly kind: 'stage' | 'capability';
  readonly chainId: string | null;
  readonly stageId: string | null;
  readonly capabilityId: string | null;
  /** What it links to, in words ("Planning permit applications — Validation"). */
  readonly note: string;
  readonly createdAt: string;
}

/** A theme linked to a stage of a chain, as the chain's page shows it. */
export interface ChainThemeLink {
  readonly stageId: string;
  readonly analysisId: string;
  readonly themeKey: string;
  readonly label: string;
  readonly size: number;
  readonly share: number;
  readonly setName: string;
}

export interface LinkInput {
  readonly kind: 'stage' | 'capability';
  readonly chainId?: string | undefined;
  readonly stageId?: string | undefined;
  readonly capabilityId?: string | undefined;
  readonly note: string;
}

export interface StoredEdit {
  readonly seq: number;
  readonly edit: ThemeEdit;
  readonly carried: boolean;
  readonly createdAt: string;
}

/** Raised when an edit cannot be made (a theme is gone, nothing would change); the message says why. */
export class ThemeEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThemeEditError';
  }
}

interface RawThemes {
  readonly themes: readonly Theme[];
  readonly centroids: readonly (readonly number[])[];
  readonly other: ThemeRun['other'];
  readonly counts: ThemeRun['counts'];
  readonly method: ThemeRun['method'];
  readonly broadThemes?: ThemeRun['broadThemes'];
}

/** A comment of a set as an analysis reads it. */
export interface AnalysisComment extends CommentInput {
  readonly id: string;
  readonly position: number;
  /** The text as pages show it (personal data removed when it was stored). */
  readonly redacted: string;
  readonly setAside: 'blank' | 'duplicate' | null;
}

/** A comment of an analysis as an edit names it: by its original text. */
export interface EditedComment {
  readonly id: string;
  readonly text: string;
  readonly themeKey: string | null;
  readonly reason: NoThemeReason | null;
}

/** A comment's theme in an analysis, as people see it. */
export interface Assignment {
  readonly commentId: string;
  readonly themeKey: string | null;
  readonly reason: NoThemeReason | null;
}

/** An edit as it is saved: the run it made and the comments whose theme it changed. */
export interface SavedEdit {
  readonly edit: ThemeEdit;
  /** The engine's run with every edit of the analysis, this one last, applied. */
  readonly run: ThemeRun;
  /** Comments now in another theme (or none, for the reason given), grouped by where they went. */
  readonly reassigned: readonly {
    readonly themeKey: string | null;
    readonly reason: NoThemeReason | null;
    readonly commentIds: readonly string[];
  }[];
  /** Links of the themes `from` move to the theme `to` (the theme a merge kept). */
  readonly linksFollow?: { readonly from: readonly string[]; readonly to: string } | undefined;
}

/** The audit entry of an edit, written with it. */
export interface ThemeEditAudit {
  readonly action: Extract<
    AuditAction,
    'themes.renamed' | 'themes.merged' | 'themes.split' | 'themes.comment_moved'
  >;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A comment's theme in an analysis: the engine's, and after people's edits. */
export interface NewAssignment {
  readonly commentId: string;
  readonly position: number;
  readonly rawThemeKey: string | null;
  readonly themeKey: string | null;
  readonly reason: NoThemeReason | null;
  readonly mentions?: CommentMentions | null | undefined;
}

/** A link of a previous analysis, to be made again to the theme `key` of a new one. */
export interface CarriedLink {
  readonly link: ThemeLink;
  readonly key: string;
}

/** What a finished analysis records, beside its assignments. */
export interface FinishedAnalysis {
  /** The engine's own run, kept so later edits and re-runs start from it. */
  readonly engine: ThemeRun;
  /** The run people see: the engine's with the carried edits applied. */
  readonly final: ThemeRun;
  /** The engine's stages, in order. */
  readonly stages: readonly string[];
  readonly carriedEdits: readonly ThemeEdit[];
  readonly carriedLinks: readonly CarriedLink[];
  readonly notApplied: readonly NotApplied[];
  /** Several themes per comment, sentiment and stance of the final run. */
  readonly mentions?: StoredMentions | null | undefined;
}

const json = <T>(text: string | null, fallback: T): T =>
  text === null ? fallback : (JSON.parse(text) as T);

function toSummary(row: ThemeAnalysesTable): AnalysisSummary {
  return {
    id: row.id,
    setId: row.set_id,
    status: row.status,
    progress: row.progress,
    stage: row.stage,
    error: row.error,
    seed: row.seed,
    requestedThemes: row.requested_themes,
    requestedBroadThemes: row.requested_broad_themes ?? null,
    previousId: row.previous_id,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    jobId: row.job_id,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What a list of sets shows of each (never the waiting file, which only the import reads). */
const SET_SUMMARY_COLUMNS = [
  'id',
  'name',
  'file_name',
  'format',
  'status',
  'comment_count',
  'blank_count',
  'duplicate_count',
  'created_at',
] as const;

export class ThemeStore extends ScopedStore {
  // ---- comment sets ----

  async sets(): Promise<CommentSetSummary[]> {
    const rows = await this.db
      .selectFrom('comment_sets')
      .select(SET_SUMMARY_COLUMNS)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    const analyses = await this.db
      .selectFrom('theme_analyses')
      .selectAll()
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => {
      const latest = analyses.find((a) => a.set_id === r.id);
      return {
        id: r.id,
        name: r.name,
        fileName: r.file_name,
        format: r.format,
        status: r.status,
        commentCount: r.comment_count,
        blankCount: r.blank_count,
        duplicateCount: r.duplicate_count,
        createdAt: r.created_at,
        latest: latest ? toSummary(latest) : undefined,
      };
    });
  }

  async set(id: string): Promise<CommentSet | undefined> {
    // Everything but the pending file itself, which only the preview and the import read.
    const r = await this.db
      .selectFrom('comment_sets')
      .select([...SET_SUMMARY_COLUMNS, 'columns', 'mapping', 'previous_set_id'])
      .select(sql<number>`case when pending_file is null then 0 else 1 end`.as('pending'))
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      name: r.name,
      fileName: r.file_name,
      format: r.format,
      status: r.status,
      commentCount: r.comment_count,
      blankCount: r.blank_count,
      duplicateCount: r.duplicate_count,
      createdAt: r.created_at,
      columns: json<string[]>(r.columns, []),
      mapping: json<ColumnMapping | null>(r.mapping, null),
      pending: Number(r.pending) === 1,
      previousSetId: r.previous_set_id ?? null,
    };
  }

  /**
   * Says that a set is a later wave of `previousSetId` (or of none, with null): both sets of this
   * organisation, never itself, and never so that following earlier waves comes back to it.
   * Audited. 'not-found' when either set is not this organisation's.
   */
  async linkWave(
    setId: string,
    previousSetId: string | null,
  ): Promise<'linked' | 'not-found' | 'circular'> {
    return this.tx(async (store) => {
      const set = await store.set(setId);
      if (!set) return 'not-found';
      let earlierName: string | undefined;
      if (previousSetId !== null) {
        const earlier = await store.set(previousSetId);
        if (!earlier) return 'not-found';
        earlierName = earlier.name;
        // Walk the earlier waves: a loop would make every comparison in it meaningless.
        const seen = new Set<string>([setId]);
        let step: string | null = previousSetId;
        while (step !== null) {
          if (seen.has(step)) return 'circular';
          seen.add(step);
          step = (await store.set(step))?.previousSetId ?? null;
        }
      }
      await store.db
        .updateTable('comment_sets')
        .set({ previous_set_id: previousSetId })
        .where('id', '=', setId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'comments.wave_linked',
        entityType: 'comment_set',
        entityId: setId,
        details: { name: set.name, earlier: earlierName ?? null, earlierSetId: previousSetId },
      });
      return 'linked';
    });
  }

  /** What a comparison over time needs of a finished analysis of this organisation. */
  async waveAnalysis(analysisId: string): Promise<WaveAnalysis | undefined> {
    const row = await this.db
      .selectFrom('theme_analyses')
      .select(['raw_themes', 'counts', 'status'])
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    if (!row || row.status !== 'done') return undefined;
    const raw = json<Partial<RawThemes>>(row.raw_themes, {});
    const counts = json<Partial<AnalysisCounts>>(row.counts, {});
    const keys = await this.db
      .selectFrom('comment_assignments')
      .select(['raw_theme_key', 'theme_key'])
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
    return {
      analysisId,
      analysed: counts.analysed ?? 0,
      themes: await this.themes(analysisId),
      engineThemes: (raw.themes ?? []).map((t, i) => ({
        id: t.id,
        name: (t.name as string | undefined) ?? t.label,
        size: t.size,
        centroid: raw.centroids?.[i] ?? [],
      })),
      rawKeys: keys.map((k) => k.raw_theme_key),
      finalKeys: keys.map((k) => k.theme_key),
    };
  }

  /**
   * Keeps an uploaded file, given as its gzip-compressed bytes in chunks, until its comments are
   * imported (a CSV's once its columns are mapped): the set and every chunk, or nothing.
   */
  async createPendingSet(input: {
    name: string;
    fileName: string;
    format: 'csv' | 'text';
    columns: readonly string[];
    compressedChunks: AsyncIterable<Buffer>;
  }): Promise<string> {
    return this.tx(async (store) => {
      const id = await store.insertSet({ ...input, pendingFile: PENDING_CHUNKS });
      let seq = 0;
      for await (const data of input.compressedChunks) {
        await store.db
          .insertInto('comment_set_files')
          .values({ set_id: id, organisation_id: store.organisationId, seq: seq++, data })
          .execute();
      }
      return id;
    });
  }

  /** A set's waiting file, or undefined when it has none (its comments are stored). */
  async pendingFile(setId: string): Promise<PendingFile | undefined> {
    const row = await this.db
      .selectFrom('comment_sets')
      .select('pending_file')
      .where('id', '=', setId)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    const pending = row?.pending_file ?? null;
    if (pending === null) return undefined;
    if (pending !== PENDING_CHUNKS) {
      // Kept whole by an older version.
      const compressed = pending.startsWith(PENDING_GZIP);
      const bytes = compressed
        ? Buffer.from(pending.slice(PENDING_GZIP.length), 'base64')
        : Buffer.from(pending, 'utf8');
      return {
        compressed,
        storedBytes: bytes.length,
        chunks: async function* () {
          yield bytes;
        },
      };
    }
    const size = await this.db
      .selectFrom('comment_set_files')
      .select((eb) => eb.fn.sum<number | string | null>(sql`length(data)`).as('bytes'))
      .where('set_id', '=', setId)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    const db = this.db;
    const organisationId = this.organisationId;
    return {
      compressed: true,
      storedBytes: Number(size?.bytes ?? 0),
      // One chunk read at a time, by its key, as the reader asks for it.
      chunks: async function* () {
        for (let seq = 0; ; seq++) {
          const chunk = await db
            .selectFrom('comment_set_files')
            .select('data')
            .where('set_id', '=', setId)
            .where('organisation_id', '=', organisationId)
            .where('seq', '=', seq)
            .executeTakeFirst();
          if (!chunk) return;
          yield chunk.data;
        }
      },
    };
  }

  /** A new set awaiting its comments (and, for a CSV kept on the side, its mapping), audited. */
  private async insertSet(input: {
    name: string;
    fileName: string;
    format: 'csv' | 'text';
    columns: readonly string[];
    pendingFile: string | null;
  }): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('comment_sets')
      .values({
        id,
        organisation_id: this.organisationId,
        name: input.name,
        file_name: input.fileName,
        format: input.format,
        columns: JSON.stringify(input.columns),
        mapping: null,
        pending_file: input.pendingFile,
        status: 'awaiting_mapping',
        comment_count: 0,
        blank_count: 0,
        duplicate_count: 0,
        created_by: this.actorUserId,
        created_at: nowIso(),
      })
      .execute();
    await this.audit(this.db, {
      action: 'comments.uploaded',
      entityType: 'comment_set',
      entityId: id,
      details: { name: input.name, fileName: input.fileName, columns: input.columns },
    });
    return id;
  }

  /** A comment as stored: the original text, and the redacted copy every page shows. */
  private commentRow(setId: string, { position, comment: c, setAside }: StagedComment) {
    return {
      id: newId(),
      organisation_id: this.organisationId,
      set_id: setId,
      position,
      line: c.line,
      text: c.text,
      redacted: redactPersonalData(c.text.trim()),
      submitted_on: c.date ?? null,
      channel: c.channel ?? null,
      area: c.area ?? null,
      respondent_group: c.group ?? null,
      set_aside: setAside,
    };
  }

  /**
   * Stores the comments read from a set's file, with their column mapping, in one transaction:
   * either every comment is stored or none is. For comments already in memory (the demo); an
   * uploaded file is imported in batches instead (stageComments, completeImport).
   */
  async storeComments(
    setId: string,
    read: ImportResult,
    mapping: ColumnMapping | null,
  ): Promise<boolean> {
    return this.tx(async (store) => {
      const set = await store.set(setId);
      if (!set) return false;
      const rows = read.comments.map((comment, position) => {
        const reason = read.setAside[position];
        return store.commentRow(setId, {
          position,
          comment,
          setAside: reason === 'blank' || reason === 'duplicate' ? reason : null,
        });
      });
      await store.db.deleteFrom('comments').where('set_id', '=', setId).execute();
      for (const batch of chunks(rows, BATCH))
        await store.db.insertInto('comments').values(batch).execute();
      await store.markImported(set, mapping, read.counts);
      return true;
    });
  }

  /** The set becomes ready with its counts, its waiting file goes, and the import is audited. */
  private async markImported(
    set: CommentSet,
    mapping: ColumnMapping | null,
    counts: ImportCounts,
  ): Promise<void> {
    await this.db
      .updateTable('comment_sets')
      .set({
        mapping: mapping ? JSON.stringify(mapping) : null,
        pending_file: null,
        status: 'ready',
        comment_count: counts.rows,
        blank_count: counts.blank,
        duplicate_count: counts.duplicate,
      })
      .where('id', '=', set.id)
      .where('organisation_id', '=', this.organisationId)
      .execute();
    await this.db
      .deleteFrom('comment_set_files')
      .where('set_id', '=', set.id)
      .where('organisation_id', '=', this.organisationId)
      .execute();
    await this.audit(this.db, {
      action: 'comments.imported',
      entityType: 'comment_set',
      entityId: set.id,
      details: { name: set.name, mapping, counts },
    });
  }

  // ---- importing a waiting file in batches (the themes.import job) ----
  //
  // While a set awaits its comments nothing reads its comment rows (analyses need a ready set), so
  // the import writes them in short transactions — pages and other jobs keep working between
  // batches, even on SQLite's single connection — and one last short transaction makes the set
  // ready. An import that fails removes what it wrote, and the set is as it was, file and all.

  /**
   * Queues the import of a waiting file as an analysis of the set (its page shows the progress of
   * both): undefined if the set has no waiting file, `busy` if an import is already queued or
   * running. Two requests for one set take turns, so only one of them queues.
   */
  async queueImport(
    setId: string,
    options: {
      seed: number;
      themes: number | null;
      broadThemes?: number | null;
      question?: string | null | undefined;
    },
  ): Promise<{ analysisId: string } | { busy: string } | undefined> {
    return this.tx(async (store) => {
      // Touching the set's row first makes concurrent requests wait for one another (PostgreSQL
      // locks the row until commit; SQLite has one writer anyway).
      await store.db
        .updateTable('comment_sets')
        .set((eb) => ({ status: eb.ref('status') }))
        .where('id', '=', setId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      const set = await store.set(setId);
      if (!set || set.status !== 'awaiting_mapping' || !set.pending) return undefined;
      const running = (await store.analysesOf(setId)).find(
        (a) => a.status === 'queued' || a.status === 'running',
      );
      if (running) return { busy: running.id };
      return { analysisId: await store.insertAnalysis(set, undefined, options) };
    });
  }

  /** Marks an import's analysis as running. False if it is not waiting to start. */
  async beginImport(analysisId: string, stage: string, resume = false): Promise<boolean> {
    const result = await this.db
      .updateTable('theme_analyses')
      .set({ status: 'running', progress: 0, stage })
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      // A later try of the job (its process died) finds the analysis still running.
      .where('status', 'in', resume ? ['queued', 'running'] : ['queued'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Writes a batch of comments into a set that awaits them, in one short transaction. */
  async stageComments(setId: string, comments: readonly StagedComment[]): Promise<void> {
    if (comments.length === 0) return;
    await this.tx(async (store) => {
      const rows = comments.map((c) => store.commentRow(setId, c));
      for (const batch of chunks(rows, BATCH))
        await store.db.insertInto('comments').values(batch).execute();
    });
  }

  /**
   * Removes every comment row of a set that is still awaiting its comments (what a failed or
   * interrupted import wrote), a few thousand rows per statement. A ready set is never touched.
   */
  async clearStagedComments(setId: string): Promise<number> {
    let removed = 0;
    for (;;) {
      const result = await this.db
        .deleteFrom('comments')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('comments as c')
            .innerJoin('comment_sets as s', 's.id', 'c.set_id')
            .select('c.id')
            .where('c.set_id', '=', setId)
            .where('s.organisation_id', '=', this.organisationId)
            .where('s.status', '=', 'awaiting_mapping')
            .limit(CLEAR_BATCH),
        )
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      removed += n;
      if (n < CLEAR_BATCH) return removed;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Makes a set whose comments have all been written ready, in one transaction: its mapping and
   * counts, its waiting file removed, the `comments.imported` audit entry. False (and nothing
   * changed) if the set is no longer waiting or the rows written are not the rows read.
   */
  async completeImport(
    setId: string,
    mapping: ColumnMapping | null,
    counts: ImportCounts,
  ): Promise<boolean> {
    return this.tx(async (store) => {
      const set = await store.set(setId);
      if (!set || set.status !== 'awaiting_mapping' || !set.pending) return false;
      // By the set alone (the set is this organisation's): counted from the index, not the rows.
      const written = await store.db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('set_id', '=', setId)
        .executeTakeFirstOrThrow();
      if (Number(written.n) !== counts.rows) return false;
      await store.markImported(set, mapping, counts);
      return true;
    });
  }

  /** A set and its comments in one go (plain text uploads, the demo). */
  async createSet(input: {
    name: string;
    fileName: string;
    format: 'csv' | 'text';
    columns: readonly string[];
    mapping: ColumnMapping | null;
    read: ImportResult;
  }): Promise<string> {
    return this.tx(async (store) => {
      const id = await store.insertSet({ ...input, pendingFile: null });
      await store.storeComments(id, input.read, input.mapping);
      return id;
    });
  }

  /** Deletes a set with its comments (original text included), analyses, edits and links. */
  async removeSet(id: string): Promise<boolean> {
    return this.tx(async (store) => {
      const set = await store.set(id);
      if (!set) return false;
      // Children first: PostgreSQL and SQLite both cascade, but being explicit keeps the order clear.
      const analyses = await store.db
        .selectFrom('theme_analyses')
        .select('id')
        .where('set_id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      for (const { id: analysisId } of analyses) {
        for (const table of [
          'theme_links',
          'theme_edits',
          'comment_assignments',
          'themes',
        ] as const)
          await store.db.deleteFrom(table).where('analysis_id', '=', analysisId).execute();
      }
      await store.db.deleteFrom('theme_analyses').where('set_id', '=', id).execute();
      await store.db.deleteFrom('comments').where('set_id', '=', id).execute();
      await store.db.deleteFrom('comment_set_files').where('set_id', '=', id).execute();
      await store.db
        .deleteFrom('comment_sets')
        .where('id', '=', id)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'comments.deleted',
        entityType: 'comment_set',
        entityId: id,
        details: { name: set.name, comments: set.commentCount },
      });
      return true;
    });
  }

  // ---- analyses ----

  async analysis(id: string): Promise<Analysis | undefined> {
    const row = await this.db
      .selectFrom('theme_analyses')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    if (!row) return undefined;
    const counts = json<Partial<AnalysisCounts>>(row.counts, {});
    return {
      ...toSummary(row),
      question: row.question ?? null,
      mentions: json<StoredMentions | null>(row.mentions ?? null, null),
      counts: counts.input === undefined ? null : (counts as AnalysisCounts),
      method: json<Record<string, unknown>>(row.method, {}),
      notApplied: json<NotApplied[]>(row.not_applied, []),
    };
  }

  async analysesOf(setId: string): Promise<AnalysisSummary[]> {
    const rows = await this.db
      .selectFrom('theme_analyses')
      .selectAll()
      .where('set_id', '=', setId)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toSummary);
  }

  /** Queues an analysis of a set; the newest finished analysis of the set passes its edits on. */
  async createAnalysis(
    setId: string,
    options: {
      seed: number;
      themes: number | null;
      broadThemes?: number | null;
      question?: string | null | undefined;
    },
  ): Promise<string | undefined> {
    return this.tx(async (store) => {
      const set = await store.set(setId);
      if (!set || set.status !== 'ready') return undefined;
      const previous = (await store.analysesOf(setId)).find((a) => a.status === 'done');
      return store.insertAnalysis(set, previous?.id, options);
    });
  }

  /** A queued analysis of a set, audited. */
  private async insertAnalysis(
    set: CommentSet,
    previousId: string | undefined,
    options: {
      seed: number;
      themes: number | null;
      broadThemes?: number | null;
      question?: string | null | undefined;
    },
  ): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('theme_analyses')
      .values({
        id,
        organisation_id: this.organisationId,
        set_id: set.id,
        previous_id: previousId ?? null,
        seed: options.seed,
        requested_themes: options.themes,
        requested_broad_themes: options.broadThemes ?? null,
        status: 'queued',
        progress: 0,
        stage: 'waiting to start',
        error: null,
        job_id: null,
        counts: '{}',
        method: '{}',
        raw_themes: '{}',
        not_applied: '[]',
        created_by: this.actorUserId,
        created_at: nowIso(),
        finished_at: null,
        question: options.question ?? null,
        mentions: null,
      })
      .execute();
    await this.audit(this.db, {
      action: 'themes.analysis_started',
      entityType: 'theme_analysis',
      entityId: id,
      details: {
        set: set.name,
        seed: options.seed,
        themes: options.themes ?? 'automatic',
        previous: previousId ?? null,
      },
    });
    return id;
  }

  async attachJob(analysisId: string, jobId: string): Promise<void> {
    await this.db
      .updateTable('theme_analyses')
      .set({ job_id: jobId })
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
  }

  async reportProgress(analysisId: string, percent: number, stage: string): Promise<void> {
    await this.db
      .updateTable('theme_analyses')
      .set({ progress: Math.max(0, Math.min(100, Math.round(percent))), stage })
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .where('status', 'in', ['queued', 'running'])
      .execute();
  }

  async markFailed(analysisId: string, message: string): Promise<void> {
    await this.tx(async (store) => {
      await store.db
        .updateTable('theme_analyses')
        .set({ status: 'failed', error: message.slice(0, 2000), finished_at: nowIso() })
        .where('id', '=', analysisId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'themes.analysis_failed',
        entityType: 'theme_analysis',
        entityId: analysisId,
        details: { error: message.slice(0, 500) },
      });
    });
  }

  /**
   * A set's comments in input order, read a page at a time (by position, through the set's unique
   * position index): one query for a million rows would hold SQLite's connection, and every page
   * of the site, for seconds.
   */
  async analysisComments(setId: string): Promise<AnalysisComment[]> {
    const comments: AnalysisComment[] = [];
    for (let after = -1; ;) {
      const rows = await this.db
        .selectFrom('comments')
        .select([
          'id',
          'position',
          'text',
          'redacted',
          'submitted_on',
          'channel',
          'area',
          'respondent_group',
          'set_aside',
        ])
        .where('set_id', '=', setId)
        .where('organisation_id', '=', this.organisationId)
        .where('position', '>', after)
        .orderBy('position')
        .limit(COMMENTS_PER_READ)
        .execute();
      for (const r of rows)
        comments.push({
          id: r.id,
          position: r.position,
          text: r.text,
          redacted: r.redacted,
          date: r.submitted_on ?? undefined,
          channel: r.channel ?? undefined,
          area: r.area ?? undefined,
          group: r.respondent_group ?? undefined,
          setAside: r.set_aside,
        });
      if (rows.length < COMMENTS_PER_READ) return comments;
      after = (rows.at(-1) as { position: number }).position;
    }
  }

  /**
   * The engine's run of an analysis, before edits, rebuilt from what was stored, for `comments` (the
   * set's, as analysisComments reads them); undefined unless the analysis is done.
   */
  async engineRun(
    analysisId: string,
    comments: readonly AnalysisComment[],
  ): Promise<ThemeRun | undefined> {
    const row = await this.db
      .selectFrom('theme_analyses')
      .select(['raw_themes', 'status'])
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    if (!row || row.status !== 'done') return undefined;
    const raw = json<RawThemes>(row.raw_themes, {} as RawThemes);
    const assigned = await this.db
      .selectFrom('comment_assignments')
      .select(['comment_id', 'raw_theme_key'])
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
    const byComment = new Map(assigned.map((a) => [a.comment_id, a.raw_theme_key]));
    const assignments = comments.map((c) => byComment.get(c.id) ?? null);
    const reasons = comments.map((c, i): NoThemeReason | null =>
      assignments[i] !== null ? null : (c.setAside ?? 'other'),
    );
    // Themes stored before names (migration 0017) had only their key words as a label.
    const themes = (raw.themes ?? []).map((t) => ({
      ...t,
      name: (t.name as string | undefined) ?? t.label,
      description: (t.description as string | undefined) ?? '',
    }));
    return { ...raw, themes, assignments, reasons };
  }

  private async editsOf(analysisId: string): Promise<StoredEdit[]> {
    const rows = await this.db
      .selectFrom('theme_edits')
      .select(['seq', 'edit', 'carried', 'created_at'])
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      seq: r.seq,
      edit: JSON.parse(r.edit) as ThemeEdit,
      carried: r.carried === 1,
      createdAt: r.created_at,
    }));
  }

  async edits(analysisId: string): Promise<StoredEdit[]> {
    return this.editsOf(analysisId);
  }

  /** Marks an analysis as running (its run has started). */
  async markRunning(analysisId: string): Promise<void> {
    await this.db
      .updateTable('theme_analyses')
      .set({ status: 'running' })
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
  }

  /** Removes every comment assignment of an analysis (before a run writes them, or after it fails). */
  async clearAssignments(analysisId: string): Promise<void> {
    await this.db
      .deleteFrom('comment_assignments')
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
  }

  /**
   * Writes comment assignments of an analysis in one transaction, a few hundred rows per statement:
   * give it a few thousand at a time, so each transaction stays short. Pages read an analysis's
   * assignments only once it is done (finishAnalysis).
   */
  async saveAssignments(analysisId: string, assignments: readonly NewAssignment[]): Promise<void> {
    const rows = assignments.map((a) => ({
      organisation_id: this.organisationId,
      analysis_id: analysisId,
      comment_id: a.commentId,
      position: a.position,
      raw_theme_key: a.rawThemeKey,
      theme_key: a.themeKey,
      reason: a.reason,
      mentions: a.mentions ? JSON.stringify(a.mentions) : null,
    }));
    await this.tx(async (store) => {
      for (const batch of chunks(rows, BATCH))
        await store.db.insertInto('comment_assignments').values(batch).execute();
    });
  }

  /**
   * Records an analysis whose assignments are written as done, in one transaction: its themes, the
   * edits and links carried over from the previous analysis, its counts and method, the engine's
   * own themes (for later edits and re-runs) and the `themes.analysis_finished` entry.
   */
  async finishAnalysis(analysisId: string, result: FinishedAnalysis): Promise<void> {
    const { engine, final, carriedEdits, carriedLinks, notApplied } = result;
    const raw: RawThemes = {
      themes: engine.themes,
      centroids: engine.centroids,
      other: engine.other,
      counts: engine.counts,
      method: engine.method,
      broadThemes: engine.broadThemes,
    };
    await this.tx(async (store) => {
      await store.writeThemes(analysisId, final);
      let seq = 0;
      for (const edit of carriedEdits) await store.insertEdit(analysisId, seq++, edit, true);
      for (const { link, key } of carriedLinks) {
        await store.db
          .insertInto('theme_links')
          .values({
            id: newId(),
            organisation_id: store.organisationId,
            analysis_id: analysisId,
            theme_key: key,
            kind: link.kind,
            chain_id: link.chainId,
            stage_id: link.stageId,
            capability_id: link.capabilityId,
            note: link.note,
            created_by: null,
            created_at: nowIso(),
          })
          .execute();
      }
      await store.db
        .updateTable('theme_analyses')
        .set({
          status: 'done',
          progress: 100,
          stage: 'finished',
          counts: JSON.stringify(final.counts),
          method: JSON.stringify({ ...final.method, stages: result.stages }),
          raw_themes: JSON.stringify(raw),
          not_applied: JSON.stringify(notApplied),
          mentions: result.mentions ? JSON.stringify(result.mentions) : null,
          finished_at: nowIso(),
        })
        .where('id', '=', analysisId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'themes.analysis_finished',
        entityType: 'theme_analysis',
        entityId: analysisId,
        details: {
          themes: final.themes.length,
          counts: final.counts,
          editsCarried: carriedEdits.length,
          linksCarried: carriedLinks.length,
          notApplied: notApplied.length,
        },
      });
    });
  }

  /** Adds an edit to an analysis's list: a person's, or one a re-run carried over (no one's). */
  private async insertEdit(
    analysisId: string,
    seq: number,
    edit: ThemeEdit,
    carried: boolean,
  ): Promise<void> {
    await this.db
      .insertInto('theme_edits')
      .values({
        id: newId(),
        organisation_id: this.organisationId,
        analysis_id: analysisId,
        seq,
        edit: JSON.stringify(edit),
        carried: carried ? 1 : 0,
        created_by: carried ? null : this.actorUserId,
        created_at: nowIso(),
      })
      .execute();
  }

  /** Replaces the stored themes of an analysis with those of `run`, largest first. */
  private async writeThemes(analysisId: string, run: ThemeRun): Promise<void> {
    await this.db.deleteFrom('themes').where('analysis_id', '=', analysisId).execute();
    const ordered = [...run.themes].sort((a, b) => b.size - a.size || a.id.localeCompare(b.id));
    const rows = ordered.map((t, position) => ({
      id: newId(),
      organisation_id: this.organisationId,
      analysis_id: analysisId,
      theme_key: t.id,
      position,
      label: t.name,
      key_words: t.label,
      description: t.description,
      similar_to: t.similarTo ?? null,
      parent_key: t.parent ?? null,
      key_phrases: JSON.stringify(t.keyPhrases),
      size: t.size,
      share: t.share,
      cohesion: t.cohesion,
      quotes: JSON.stringify(t.quotes),
      trend: t.trend ? JSON.stringify(t.trend) : null,
    }));
    for (const batch of chunks(rows, BATCH))
      await this.db.insertInto('themes').values(batch).execute();
    const broad = run.broadThemes ?? [];
    await this.db
      .updateTable('theme_analyses')
      .set({ broad_themes: broad.length > 0 ? JSON.stringify(broad) : null })
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
  }

  /** The broad themes of an analysis, largest first (empty where it has one level). */
  async broadThemes(analysisId: string): Promise<BroadTheme[]> {
    const row = await this.db
      .selectFrom('theme_analyses')
      .select('broad_themes')
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .executeTakeFirst();
    return json<BroadTheme[]>(row?.broad_themes ?? null, []);
  }

  // ---- themes and comments ----

  async themes(analysisId: string): Promise<StoredTheme[]> {
    const rows = await this.db
      .selectFrom('themes')
      .selectAll()
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      key: r.theme_key,
      position: r.position,
      label: r.label,
      keyWords: r.key_words,
      description: r.description,
      similarTo: r.similar_to,
      parent: r.parent_key,
      keyPhrases: json<string[]>(r.key_phrases, []),
      size: r.size,
      share: Number(r.share),
      cohesion: Number(r.cohesion),
      quotes: json<string[]>(r.quotes, []),
      trend: json<Trend | null>(r.trend, null),
    }));
  }

  async theme(analysisId: string, key: string): Promise<StoredTheme | undefined> {
    return (await this.themes(analysisId)).find((t) => t.key === key);
  }

  /** An analysis's comment assignments joined to their comments, in this organisation. */
  private assigned(analysisId: string) {
    return this.db
      .selectFrom('comment_assignments as a')
      .innerJoin('comments as c', 'c.id', 'a.comment_id')
      .where('a.analysis_id', '=', analysisId)
      .where('a.organisation_id', '=', this.organisationId);
  }

  /** Comments of a theme (or of "other" when `themeKey` is null), redacted, in input order. */
  async commentsOf(
    analysisId: string,
    themeKey: string | null,
    page: { offset: number; limit: number },
  ): Promise<{ comments: ThemeComment[]; total: number }> {
    let base = this.assigned(analysisId);
    base =
      themeKey === null
        ? base.where('a.theme_key', 'is', null).where('a.reason', '=', 'other')
        : base.where('a.theme_key', '=', themeKey);
    const total = await base
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await base
      .select(COMMENT_COLUMNS)
      .orderBy('a.position')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return {
      total: Number(total.n),
      comments: rows.map(toThemeComment),
    };
  }

  async comment(analysisId: string, commentId: string): Promise<ThemeComment | undefined> {
    const r = await this.assigned(analysisId)
      .select(COMMENT_COLUMNS)
      .where('a.comment_id', '=', commentId)
      .executeTakeFirst();
    return r ? toThemeComment(r) : undefined;
  }

  /**
   * A page of the analysis's comments with their themes, redacted, in input order: those after the
   * position `after` (-1 for the first page), at most `limit` (keyset pagination on migration
   * 0029's index, so a late page costs what the first does).
   */
  async assignmentsPage(analysisId: string, after: number, limit: number): Promise<ThemeComment[]> {
    const rows = await this.assigned(analysisId)
      .select(COMMENT_COLUMNS)
      .where('a.position', '>', after)
      .orderBy('a.position')
      .limit(limit)
      .execute();
    return rows.map(toThemeComment);
  }

  /** Every comment of the set with its theme, in input order, redacted: for the CSV export. */
  async exportRows(analysisId: string): Promise<
    {
      row: number;
      line: number;
      text: string;
      date: string | null;
      channel: string | null;
      area: string | null;
      group: string | null;
      themeKey: string | null;
      reason: string | null;
      mentions: CommentMentions | null;
    }[]
  > {
    const rows = await this.assigned(analysisId)
      .select(COMMENT_COLUMNS)
      .orderBy('a.position')
      .execute();
    return rows.map((r) => {
      const { id: _id, position, ...rest } = toThemeComment(r);
      return { row: position + 1, ...rest };
    });
  }

  // ---- people's edits (made by services/themes/edits.ts) ----

  /**
   * Comments of an analysis by id, each with its original text (by which the engine's edits name a
   * comment) and its theme now. Never for display: the text is not redacted.
   */
  async commentsForEdit(
    analysisId: string,
    commentIds: readonly string[],
  ): Promise<EditedComment[]> {
    if (commentIds.length === 0) return [];
    return this.db
      .selectFrom('comment_assignments as a')
      .innerJoin('comments as c', 'c.id', 'a.comment_id')
      .select(['c.id as id', 'c.text as text', 'a.theme_key as themeKey', 'a.reason as reason'])
      .where('a.analysis_id', '=', analysisId)
      .where('a.organisation_id', '=', this.organisationId)
      .where('c.id', 'in', [...commentIds])
      .execute();
  }

  /**
   * Makes edits of one analysis take turns, from here until the caller's transaction ends: touching
   * the analysis row locks it until commit on PostgreSQL (SQLite has one writer anyway), so each edit
   * is made over the one before and their sequence numbers never collide. Call it in a transaction.
   */
  async lockForEdit(analysisId: string): Promise<void> {
    await this.db
      .updateTable('theme_analyses')
      .set((eb) => ({ progress: eb.ref('progress') }))
      .where('id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
  }

  /** Every comment's theme in an analysis as people see it (after their edits). */
  async assignmentsOf(analysisId: string): Promise<Assignment[]> {
    return this.db
      .selectFrom('comment_assignments')
      .select(['comment_id as commentId', 'theme_key as themeKey', 'reason'])
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
  }

  /**
   * Records one edit of a finished analysis in one transaction: the comments whose theme it changed,
   * the themes as they now are, the edit itself (next in the analysis's sequence), links of merged
   * themes moved to the theme they joined, and the audit entry.
   */
  async saveEdit(analysisId: string, saved: SavedEdit, audit: ThemeEditAudit): Promise<void> {
    await this.tx(async (store) => {
      for (const { themeKey, reason, commentIds } of saved.reassigned) {
        for (const batch of chunks(commentIds, 500)) {
          await store.db
            .updateTable('comment_assignments')
            .set({ theme_key: themeKey, reason })
            .where('analysis_id', '=', analysisId)
            .where('organisation_id', '=', store.organisationId)
            .where('comment_id', 'in', batch)
            .execute();
        }
      }
      await store.writeThemes(analysisId, saved.run);
      // Several themes per comment were found for the themes before this edit: hidden until they
      // are counted again for the themes as they now are (services/themes/edits.ts). A rename
      // changes no theme's comments, so its figures stand.
      if (saved.edit.kind !== 'rename')
        await store.db
          .updateTable('theme_analyses')
          .set({ mentions: null })
          .where('id', '=', analysisId)
          .where('organisation_id', '=', store.organisationId)
          .execute();
      const last = await store.db
        .selectFrom('theme_edits')
        .select((eb) => eb.fn.max<number>('seq').as('seq'))
        .where('analysis_id', '=', analysisId)
        .where('organisation_id', '=', store.organisationId)
        .executeTakeFirst();
      const seq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1;
      await store.insertEdit(analysisId, seq, saved.edit, false);
      if (saved.linksFollow)
        await store.db
          .updateTable('theme_links')
          .set({ theme_key: saved.linksFollow.to })
          .where('analysis_id', '=', analysisId)
          .where('organisation_id', '=', store.organisationId)
          .where('theme_key', 'in', [...saved.linksFollow.from])
          .execute();
      await store.audit(store.db, {
        action: audit.action,
        entityType: 'theme_analysis',
        entityId: analysisId,
        details: audit.details,
      });
    });
  }

  /** Each comment's stored mentions of an analysis, as stored (JSON text, or null). */
  async storedMentions(analysisId: string): Promise<Map<string, string | null>> {
    const rows = await this.db
      .selectFrom('comment_assignments')
      .select(['comment_id', 'mentions'])
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .execute();
    return new Map(rows.map((r) => [r.comment_id, r.mentions ?? null]));
  }

  /**
   * Stores the mentions found again after an edit (the analysis's figures, and the comments whose
   * own mentions changed), only if no later edit was made meanwhile (`edits` is how many edits the
   * analysis had when they were found): otherwise they describe themes that are gone, and the
   * later edit's own recount will store its own. True when stored.
   */
  async saveRecountedMentions(
    analysisId: string,
    edits: number,
    mentions: StoredMentions,
    changed: readonly { readonly commentId: string; readonly mentions: CommentMentions | null }[],
  ): Promise<boolean> {
    return this.tx(async (store) => {
      await store.lockForEdit(analysisId);
      if ((await store.editsOf(analysisId)).length !== edits) return false;
      for (const c of changed)
        await store.db
          .updateTable('comment_assignments')
          .set({ mentions: c.mentions ? JSON.stringify(c.mentions) : null })
          .where('analysis_id', '=', analysisId)
          .where('organisation_id', '=', store.organisationId)
          .where('comment_id', '=', c.commentId)
          .execute();
      await store.db
        .updateTable('theme_analyses')
        .set({ mentions: JSON.stringify(mentions) })
        .where('id', '=', analysisId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      return true;
    });
  }

  // ---- links to a chain stage or a capability ----

  async links(analysisId: string): Promise<ThemeLink[]> {
    const rows = await this.db
      .selectFrom('theme_links')
      .selectAll()
      .where('analysis_id', '=', analysisId)
      .where('organisation_id', '=', this.organisationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      themeKey: r.theme_key,
      kind: r.kind,
      chainId: r.chain_id,
      stageId: r.stage_id,
      capabilityId: r.capability_id,
      note: r.note,
      createdAt: r.created_at,
    }));
  }

  /**
   * Themes linked to stages of this chain, from the latest finished analysis of each comment set
   * (older runs' links are carried over to it), biggest first: the complaints that point at a stage.
   */
  async linkedToChain(chainId: string): Promise<ChainThemeLink[]> {
    const rows = await this.db
      .selectFrom('theme_links as l')
      .innerJoin('theme_analyses as a', 'a.id', 'l.analysis_id')
      .innerJoin('themes as t', (join) =>
        join.onRef('t.analysis_id', '=', 'l.analysis_id').onRef('t.theme_key', '=', 'l.theme_key'),
      )
      .innerJoin('comment_sets as s', 's.id', 'a.set_id')
      .select([
        'l.stage_id as stageId',
        'l.analysis_id as analysisId',
        'l.theme_key as themeKey',
        't.label as label',
        't.size as size',
        't.share as share',
        's.name as setName',
      ])
      .where('l.organisation_id', '=', this.organisationId)
      .where('a.organisation_id', '=', this.organisationId)
      .where('l.chain_id', '=', chainId)
      .where('l.kind', '=', 'stage')
      .where('a.status', '=', 'done')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('theme_analyses as newer')
              .select('newer.id')
              .whereRef('newer.set_id', '=', 'a.set_id')
              .where('newer.status', '=', 'done')
              .whereRef('newer.created_at', '>', 'a.created_at'),
          ),
        ),
      )
      .orderBy('t.size', 'desc')
      .orderBy('t.label')
      .execute();
    return rows.map((r) => ({
      stageId: r.stageId ?? '',
      analysisId: r.analysisId,
      themeKey: r.themeKey,
      label: r.label,
      size: Number(r.size),
      share: Number(r.share),
      setName: r.setName,
    }));
  }

  async addLink(analysisId: string, themeKey: string, link: LinkInput): Promise<string> {
    return this.tx(async (store) => {
      const theme = await store.theme(analysisId, themeKey);
      if (!theme) throw new ThemeEditError('No such theme');
      const existing = (await store.links(analysisId)).find(
        (l) =>
          l.themeKey === themeKey &&
          l.kind === link.kind &&
          l.chainId === (link.chainId ?? null) &&
          l.stageId === (link.stageId ?? null) &&
          l.capabilityId === (link.capabilityId ?? null),
      );
      if (existing) throw new ThemeEditError(`This theme is already linked to ${link.note}`);
      const id = newId();
      await store.db
        .insertInto('theme_links')
        .values({
          id,
          organisation_id: store.organisationId,
          analysis_id: analysisId,
          theme_key: themeKey,
          kind: link.kind,
          chain_id: link.chainId ?? null,
          stage_id: link.stageId ?? null,
          capability_id: link.capabilityId ?? null,
          note: link.note,
          created_by: store.actorUserId,
          created_at: nowIso(),
        })
        .execute();
      await store.audit(store.db, {
        action: 'themes.linked',
        entityType: 'theme_analysis',
        entityId: analysisId,
        details: { theme: themeKey, label: theme.label, kind: link.kind, to: link.note },
      });
      return id;
    });
  }

  async removeLink(analysisId: string, linkId: string): Promise<boolean> {
    return this.tx(async (store) => {
      const link = (await store.links(analysisId)).find((l) => l.id === linkId);
      if (!link) return false;
      await store.db
        .deleteFrom('theme_links')
        .where('id', '=', linkId)
        .where('organisation_id', '=', store.organisationId)
        .execute();
      await store.audit(store.db, {
        action: 'themes.unlinked',
        entityType: 'theme_analysis',
        entityId: analysisId,
        details: { theme: link.themeKey, to: link.note },
      });
      return true;
    });
  }
}
