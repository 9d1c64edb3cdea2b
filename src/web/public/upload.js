// Progressive enhancement for file uploads (forms marked data-upload-progress): the form is sent with
// XMLHttpRequest, so the page can say how much of the file has gone (a large file takes minutes on
// a slow connection, and a browser shows nothing while it posts a form). Without JavaScript, or for
// an empty form, the form is posted as usual; either way the server checks everything.
//
// When the server answers with a page (the next step, after its redirect) the browser goes there; when
// it answers with the form again (errors), that page replaces this one's main content.

const MB = 1024 * 1024;

function size(bytes) {
  return bytes >= 10 * MB ? `${Math.round(bytes / MB)} MB` : `${(bytes / MB).toFixed(1)} MB`;
}

/** The status block under the form: a polite live region with text, and a progress bar. */
function statusBlock(form) {
  const block = document.createElement('div');
  block.className = 'govuk-!-margin-bottom-6';
  const text = document.createElement('p');
  text.className = 'govuk-body';
  text.setAttribute('role', 'status');
  const bar = document.createElement('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', 'Progress of the upload');
  block.append(text, bar);
  form.after(block);
  return { block, text, bar };
}

function showPage(html, initialise) {
  const next = new window.DOMParser().parseFromString(html, 'text/html');
  const main = next.querySelector('main');
  const current = document.querySelector('main');
  if (!main || !current) {
    document.open();
    document.write(html);
    document.close();
    return;
  }
  document.title = next.title;
  const adopted = document.adoptNode(main);
  current.replaceWith(adopted);
  initialise(adopted);
  const summary = adopted.querySelector('.govuk-error-summary');
  if (summary instanceof window.HTMLElement) summary.focus();
  else window.scrollTo(0, 0);
}

function enhance(form, initialise) {
  form.addEventListener('submit', (event) => {
    const input = form.querySelector('input[type="file"]');
    const file = input && input.files && input.files[0];
    // Nothing chosen: the server's answer ("choose a file") comes back at once anyway.
    if (!file || typeof window.FormData !== 'function') return;
    event.preventDefault();
    const button = form.querySelector('button[type="submit"], button:not([type])');
    if (button) {
      button.disabled = true;
      button.setAttribute('aria-disabled', 'true');
    }
    const { block, text, bar } = statusBlock(form);
    text.textContent = `Uploading ${file.name}: 0% of ${size(file.size)} sent.`;
    let lastSaid = -1;
    const request = new window.XMLHttpRequest();
    request.open('POST', form.action);
    request.upload.addEventListener('progress', (progress) => {
      if (!progress.lengthComputable || progress.total === 0) return;
      const percent = Math.floor((progress.loaded / progress.total) * 100);
      bar.value = percent;
      // The live region speaks at every tenth, not at every event.
      if (Math.floor(percent / 10) !== lastSaid) {
        lastSaid = Math.floor(percent / 10);
        text.textContent = `Uploading ${file.name}: ${percent}% of ${size(file.size)} sent.`;
      }
    });
    request.upload.addEventListener('load', () => {
      bar.removeAttribute('value');
      text.textContent = `${file.name} is uploaded. Checking it…`;
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300 && request.responseURL) {
        window.location.assign(request.responseURL);
        return;
      }
      showPage(request.responseText, initialise);
    });
    request.addEventListener('error', () => {
      block.remove();
      if (button) {
        button.disabled = false;
        button.removeAttribute('aria-disabled');
      }
      const limit = form.getAttribute('data-upload-limit');
      const message = document.createElement('p');
      message.className = 'govuk-error-message';
      message.setAttribute('role', 'alert');
      message.textContent =
        'The upload stopped before it finished: the connection was lost' +
        (limit ? `, or the file is larger than ${limit}` : '') +
        '. Nothing was stored. Try again.';
      form.after(message);
    });
    request.send(new window.FormData(form));
  });
}

/** Enhances every upload form inside `scope`; `initialise` sets up GOV.UK components in new content. */
export function enhanceUploads(scope, initialise) {
  for (const form of scope.querySelectorAll('form[data-upload-progress]')) {
    enhance(form, (root) => {
      initialise(root);
      enhanceUploads(root, initialise);
    });
  }
}
