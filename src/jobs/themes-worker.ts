// Runs the theme engine in a worker thread, so a large analysis neither blocks the web process
// (pages, including the progress page, keep answering; the job's heartbeat keeps beating) nor
// hides its progress until it ends. Started by themes-discover.ts with a task as workerData:
// finding the themes, or finding every theme each comment speaks to (with sentiment and stance).
import { parentPort, workerData } from 'node:worker_threads';
import {
  discoverThemes,
  findMentions,
  loadWordVectors,
  type CommentInput,
  type DiscoverOptions,
  type MentionOptions,
} from '../domain/themes/index.ts';

export type WorkerTask =
  | {
      readonly task: 'discover';
      readonly comments: CommentInput[];
      readonly options: Omit<DiscoverOptions, 'onProgress'>;
    }
  | {
      readonly task: 'mentions';
      readonly texts: string[];
      readonly primary: (string | null)[];
      readonly themeIds: string[];
      readonly options: MentionOptions;
    };

const data = workerData as WorkerTask;
if (data.task === 'discover') {
  const run = discoverThemes(data.comments, {
    ...data.options,
    onProgress: (stage, done, total) =>
      parentPort?.postMessage({ type: 'progress', stage, done, total }),
  });
  parentPort?.postMessage({ type: 'done', result: run });
} else {
  const result = findMentions(
    data.texts,
    data.primary,
    data.themeIds,
    loadWordVectors(),
    data.options,
  );
  parentPort?.postMessage({ type: 'done', result });
}
