// Runs the theme engine in a worker thread, so a large analysis neither blocks the web process
// (pages, including the progress page, keep answering) nor hides its progress until it ends.
// Started by themes-discover.ts with the comments and options as workerData.
import { parentPort, workerData } from 'node:worker_threads';
import { discoverThemes, type CommentInput, type DiscoverOptions } from '../domain/themes/index.ts';

const { comments, options } = workerData as {
  comments: CommentInput[];
  options: Omit<DiscoverOptions, 'onProgress'>;
};
const run = discoverThemes(comments, {
  ...options,
  onProgress: (stage, done, total) =>
    parentPort?.postMessage({ type: 'progress', stage, done, total }),
});
parentPort?.postMessage({ type: 'done', run });
