// Progressive enhancement for the import-progress page (served at /logs/progress.js): instead of
// reloading the whole page every two seconds (what happens without JavaScript), ask for the job's
// status and update the bar and the text in place; go to the result when the job has finished.
const root = document.querySelector('[data-job-status]');

if (root) {
  const url = root.getAttribute('data-job-status');
  const text = root.querySelector('[data-job-text]');
  const bar = root.querySelector('[data-job-bar]');
  let lastSaid = '';
  const tick = async () => {
    try {
      const response = await window.fetch(url, { headers: { accept: 'application/json' } });
      if (!response.ok) return window.setTimeout(tick, 4000);
      const job = await response.json();
      if (job.status === 'succeeded' || job.status === 'failed') {
        window.location.assign(job.next);
        return;
      }
      const percentage = Math.round(job.progress * 100);
      // Announce (a polite live region) only when something worth saying has changed.
      const said = `${job.message}: ${Math.floor(percentage / 10) * 10}`;
      if (said !== lastSaid && text) {
        text.textContent = `${job.message}: ${percentage}% done.`;
        lastSaid = said;
      }
      if (bar) bar.setAttribute('width', String(percentage * 4));
    } catch {
      // The network hiccupped: try again a little later.
    }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 500);
}
