// `throughline themes FILE`: finds recurring themes in a file of comments, on this machine, and
// prints them as a summary or as JSON (with one assignment per input row, to score or export).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { MentionsResult, Split, ThemeRun } from '../../domain/themes/index.ts';

interface ThemesOptions {
  readonly textColumn?: string;
  readonly dateColumn?: string;
  readonly channelColumn?: string;
  readonly areaColumn?: string;
  readonly groupColumn?: string;
  readonly themes?: number;
  readonly broadThemes?: number;
  readonly seed: number;
  readonly json?: boolean;
  readonly question?: string;
  readonly maxThemesPerComment: number;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "40% positive, 35% negative, 10% mixed, 15% neutral" (of the comments counted). */
function splitWords<K extends string>(split: Split<K>): string {
  if (split.total === 0) return 'none';
  return (Object.entries(split.counts) as [K, number][])
    .map(([key, n]) => `${Math.round((100 * n) / split.total)}% ${key}`)
    .join(', ');
}

function summary(file: string, run: ThemeRun, mentions: MentionsResult): string {
  const { counts } = run;
  const lines = [
    `${path.basename(file)}: ${count(counts.input, 'comment')}; ${counts.analysed} analysed ` +
      `(${counts.blank} blank and ${count(counts.duplicate, 'duplicate')} set aside).`,
    `${count(run.themes.length, 'theme')} (${run.method.requestedThemes === null ? 'number chosen automatically' : 'number requested'}); ` +
      `${count(counts.other, 'comment')} (${percent(run.other.share)}) fit no theme and are in "other".`,
    '',
  ];
  for (const theme of run.themes) {
    lines.push(
      `${theme.id.padEnd(9)} ${String(theme.size).padStart(6)}  ${percent(theme.share).padStart(6)}  ${theme.name}`,
    );
    lines.push(`${' '.repeat(26)}key words: ${theme.label}`);
    const m = mentions.themes[theme.id];
    if (m) {
      lines.push(
        `${' '.repeat(26)}also mentioned by ${count(m.also, 'comment')} counted in another theme`,
      );
      lines.push(`${' '.repeat(26)}sentiment: ${splitWords(m.sentiment)}`);
      if (m.stance) lines.push(`${' '.repeat(26)}stance: ${splitWords(m.stance)}`);
    }
    if (theme.similarTo !== undefined)
      lines.push(`${' '.repeat(26)}(a near-duplicate of ${theme.similarTo}: check, or merge)`);
    const quote = theme.quotes[0];
    if (quote !== undefined)
      lines.push(`${' '.repeat(26)}“${quote.length > 110 ? `${quote.slice(0, 107)}…` : quote}”`);
  }
  const broad = run.broadThemes ?? [];
  if (broad.length > 0) {
    lines.push('', `${count(broad.length, 'broad theme')}, each with its themes:`);
    for (const b of broad) {
      lines.push(
        `${b.id.padEnd(9)} ${String(b.size).padStart(6)}  ${percent(b.share).padStart(6)}  ${b.name}`,
      );
      lines.push(`${' '.repeat(26)}themes: ${b.themes.join(', ')}`);
    }
    lines.push('');
  }
  lines.push(
    `${'other'.padEnd(9)} ${String(counts.other).padStart(6)}  ${percent(run.other.share).padStart(6)}  comments that fit no theme`,
  );
  return lines.join('\n');
}

export function registerThemesCommand(program: Command): void {
  program
    .command('themes')
    .description(
      'Find recurring themes in comments (CSV, or .txt with one comment per line), on this machine. ' +
        'Personal data (names, contact details, postcodes) is removed before anything is derived.',
    )
    .argument('<file>', 'a CSV file with a header row, or a .txt file with one comment per line')
    .option('--text-column <name>', 'the CSV column that holds the comment text (required for CSV)')
    .option(
      '--date-column <name>',
      'the CSV column with each comment’s date (YYYY-MM-DD or DD/MM/YYYY), for trends',
    )
    .option('--channel-column <name>', 'the CSV column with the channel (email, phone, …)')
    .option('--area-column <name>', 'the CSV column with the area or ward')
    .option('--group-column <name>', 'the CSV column with the respondent group')
    .option(
      '--themes <n>',
      'how many themes to find (default: chosen automatically)',
      positiveInteger,
    )
    .option(
      '--broad-themes <n>',
      'how many broad themes, each grouping several themes (default: chosen automatically, about 8–20)',
      positiveInteger,
    )
    .option('--seed <n>', 'random seed: the same seed gives the same themes', wholeNumber, 1)
    .option(
      '--question <text>',
      'the consultation question the comments answer: each comment then gets a stance (supports, opposes, neutral) towards each of its themes',
    )
    .option(
      '--max-themes-per-comment <n>',
      'the most themes one comment can carry (1: one theme each)',
      positiveInteger,
      3,
    )
    .option(
      '--json',
      'print JSON: the themes, and one theme id (or null) per input row in "assignments"',
    )
    .action(async (file: string, options: ThemesOptions) => {
      // Loaded here, not at the top, so other sub-commands do not pay for the word vectors' code.
      const { discoverThemes, findMentions, loadWordVectors, readComments, redactPersonalData } =
        await import('../../domain/themes/index.ts');
      const isText = path.extname(file).toLowerCase() === '.txt';
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new Error(`cannot read ${file}: no such file`);
      if (!isText && options.textColumn === undefined) {
        throw new Error('a CSV file needs --text-column NAME (the column that holds the comments)');
      }
      const imported = await readComments(createReadStream(file), {
        format: isText ? 'text' : 'csv',
        columns: isText
          ? undefined
          : {
              text: options.textColumn ?? '',
              date: options.dateColumn,
              channel: options.channelColumn,
              area: options.areaColumn,
              group: options.groupColumn,
            },
      });
      if (
        options.themes !== undefined &&
        options.broadThemes !== undefined &&
        options.broadThemes >= options.themes
      )
        throw new Error(
          '--broad-themes must be fewer than --themes: each broad theme groups several',
        );
      const vectors = loadWordVectors();
      const run = discoverThemes(
        imported.comments,
        { themes: options.themes, broadThemes: options.broadThemes, seed: options.seed },
        vectors,
      );
      // Several themes per comment, stance and sentiment, from the redacted text only.
      const mentions = findMentions(
        imported.comments.map((c) => redactPersonalData(c.text)),
        run.assignments,
        run.themes.map((t) => t.id),
        vectors,
        {
          question:
            options.question === undefined ? undefined : redactPersonalData(options.question),
          maxThemes: options.maxThemesPerComment,
        },
      );
      // A reader that closes early (`| head`) is not an error.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
      if (!options.json) {
        process.stdout.write(`${summary(file, run, mentions)}\n`);
        return;
      }
      const output = {
        file: path.basename(file),
        counts: run.counts,
        method: run.method,
        themes: run.themes.map(
          ({
            id,
            name,
            description,
            label,
            keyPhrases,
            similarTo,
            size,
            share,
            quotes,
            cohesion,
            trend,
            parent,
          }) => ({
            id,
            name,
            description,
            keyWords: label,
            label,
            keyPhrases,
            similarTo: similarTo ?? null,
            size,
            share,
            cohesion,
            quotes,
            trend: trend ?? null,
            mentions: mentions.themes[id] ?? null,
            parent: parent ?? null,
          }),
        ),
        broadThemes: run.broadThemes ?? [],
        other: run.other,
        assignments: run.assignments,
        reasons: run.reasons,
        // Per input row: every theme it speaks to (primary first) with score, sentiment and stance.
        comments: mentions.comments,
        sentiment: mentions.sentiment,
        question: mentions.method.question,
        mentionMethod: mentions.method,
      };
      process.stdout.write(`${JSON.stringify(output)}\n`);
    });
}
