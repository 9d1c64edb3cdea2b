// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';
import { enhanceUploads } from '/assets/upload.js';

initAll();
enhanceUploads(document, (root) => initAll(root));
