// A site without events waits for its first one: a new event on the live stream, then the dashboard.
(() => {
  const waiting = document.getElementById('waiting');
  if (!waiting) return;
  const site = encodeURIComponent(waiting.dataset.site);
  let done = false;
  // The realtime count answers once the stored events include the new one, so the reload finds it.
  async function arrived() {
    const response = await fetch(`/api/v2/realtime/visitors?site_id=${site}`, { credentials: 'same-origin' });
    if (done || !response.ok || Number(await response.json()) === 0) return;
    done = true;
    location.reload();
  }
  if (window.EventSource) {
    const stream = new EventSource(`/api/v2/realtime/stream?site_id=${site}`);
    for (const kind of ['pageview', 'event']) stream.addEventListener(kind, () => arrived().catch(() => {}));
  }
  // Also every 10 seconds, should the stream be cut (a proxy that buffers it).
  setInterval(() => arrived().catch(() => {}), 10000);
})();
