// Progressive enhancement for the themes progress page (served at /themes/progress.js): instead of
// reloading the whole page every two seconds (what happens without JavaScript), ask how far the
// analysis has got and update the bar and the text in place; show the themes once it has finished.
const root = document.querySelector('[data-analysis-status]');

if (root) {
  const url = root.getAttribute('data-analysis-status');
  const text = root.querySelector('[data-analysis-text]');
  const bar = root.querySelector('progress');
  let lastSaid = '';
  const tick = async () => {
    try {
      const response = await window.fetch(url, { headers: { accept: 'application/json' } });
      if (!response.ok) return window.setTimeout(tick, 4000);
      const analysis = await response.json();
      if (analysis.status === 'done' || analysis.status === 'failed') {
        window.location.assign(analysis.next);
        return;
      }
      // Announce (a polite live region) only when something worth saying has changed.
      const said = `${analysis.stage}: ${Math.floor(analysis.progress / 10) * 10}`;
      if (said !== lastSaid && text) {
        text.textContent = `${analysis.message} ${analysis.progress}% done.`;
        lastSaid = said;
      }
      if (bar) bar.value = analysis.progress;
    } catch {
      // The network hiccupped: try again a little later.
    }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 500);
}
