// The shapes that theme discovery takes in and gives back.
import type { Trend } from './trend.ts';

/** Why a comment has no theme. */
export type NoThemeReason = 'blank' | 'duplicate' | 'other';

/** One comment to analyse. Only `text` is required. */
export interface CommentInput {
  readonly text: string;
  /** ISO date (YYYY-MM-DD) or UK style (DD/MM/YYYY); used for trends. */
  readonly date?: string | undefined;
  readonly channel?: string | undefined;
  readonly area?: string | undefined;
  readonly group?: string | undefined;
}

export interface Theme {
  /** Stable within one run: "theme-1" is the largest theme. */
  readonly id: string;
  /**
   * A short readable name built from the theme's most typical comments ("Long waits for an
   * ambulance"), distinct across themes; a person's rename replaces it.
   */
  readonly name: string;
  /** One sentence on what the comments say, in their own words, with a short quote. */
  readonly description: string;
  /** The key words: the first key phrases joined ("recycling rules — confusing — bin"). */
  readonly label: string;
  readonly keyPhrases: readonly string[];
  /** Id of a larger theme whose name is nearly the same (a near-duplicate to check or merge). */
  readonly similarTo?: string | undefined;
  readonly size: number;
  /** Size as a share of the comments analysed (blank and duplicate comments excluded). */
  readonly share: number;
  /** Comments nearest the theme's centre, personal data redacted, no two the same. */
  readonly quotes: readonly string[];
  /** Mean cosine similarity of members to the theme's centre (0 … 1): how tight the theme is. */
  readonly cohesion: number;
  readonly trend?: Trend | undefined;
  /** Id of the broad theme this theme belongs to ("broad-1"), where the run has a broad level. */
  readonly parent?: string | undefined;
}

/** A broad theme: several themes joined in the merge tree (the upper of the two levels). */
export interface BroadTheme {
  /** "broad-1" is the largest. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Key words of the broad theme as a whole. */
  readonly label: string;
  readonly keyPhrases: readonly string[];
  readonly size: number;
  readonly share: number;
  /** Ids of its themes, largest first. */
  readonly themes: readonly string[];
}

export interface ThemeRun {
  readonly themes: readonly Theme[];
  /** One entry per input comment, in input order: its theme id, or null. */
  readonly assignments: readonly (string | null)[];
  /** Why an assignment is null (null where the comment has a theme). */
  readonly reasons: readonly (NoThemeReason | null)[];
  readonly other: {
    readonly size: number;
    readonly share: number;
    readonly quotes: readonly string[];
  };
  readonly counts: {
    readonly input: number;
    readonly analysed: number;
    readonly blank: number;
    readonly duplicate: number;
    readonly other: number;
  };
  readonly method: {
    readonly seed: number;
    readonly requestedThemes: number | null;
    readonly sampleSize: number;
    readonly fineClusters: number;
    readonly wordCoverage: number;
    readonly silhouette: number | null;
    /** Number of broad themes asked for, or null when chosen automatically. */
    readonly requestedBroadThemes?: number | null | undefined;
  };
  /**
   * The broad themes, each with its themes (empty when there are too few themes for two levels and
   * none was asked for).
   */
  readonly broadThemes?: readonly BroadTheme[] | undefined;
  /** Unit centre of each theme (same order as `themes`), for matching themes between runs. */
  readonly centroids: readonly (readonly number[])[];
}

export interface DiscoverOptions {
  /** Number of themes wanted; chosen automatically when absent. */
  readonly themes?: number | undefined;
  readonly seed?: number | undefined;
  /**
   * Number of broad themes wanted (the upper level, each grouping several themes); chosen
   * automatically (about 8–20) when absent.
   */
  readonly broadThemes?: number | undefined;
  /** Upper bound on the automatic choice (none by default: it grows with the comments and how distinct they are). */
  readonly maxThemes?: number | undefined;
  /** A theme needs at least this many comments (default: 5, or 0.1 % of comments if more). */
  readonly minThemeSize?: number | undefined;
  /** At most this many comments are clustered; the rest are assigned to the nearest theme. */
  readonly sampleSize?: number | undefined;
  readonly quotesPerTheme?: number | undefined;
  readonly keyPhrasesPerTheme?: number | undefined;
  /** Called between stages, for progress bars. */
  readonly onProgress?: ((stage: string, done: number, total: number) => void) | undefined;
}
