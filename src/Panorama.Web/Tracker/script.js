/* Panorama tracker: no cookies, no storage. Served minified-by-hand; see README "Tracker". */
(function (w, d) {
  var s = d.currentScript, l = w.location, nav = w.history;
  var api = s.getAttribute('data-api') || new URL(s.src).origin + '/api/event';
  var domain = s.getAttribute('data-domain') || l.hostname;
  var hashMode = s.hasAttribute('data-hash');
  var files = /\.(pdf|xlsx?|docx?|txt|rtf|csv|exe|key|pp[st]x?|7z|pkg|rar|gz|zip|avi|mov|mp4|mpe?g|wmv|midi?|mp3|wav|wma|dmg|apk|iso)$/i;
  var page, pageUrl, shown, visibleMs, maxScroll, sent;

  function ignored() {
    try { if (w.localStorage.panorama_ignore === 'true') return 1; } catch (e) {}
    return /^(localhost|127(\.\d+){3}|\[::1\])$/.test(l.hostname) || l.protocol === 'file:';
  }

  function send(name, o, extra) {
    o = o || {};
    if (ignored()) { if (o.callback) o.callback(); return; }
    var b = { n: name, u: l.href, d: domain, r: d.referrer || null, w: w.innerWidth, h: hashMode ? 1 : 0 };
    if (o.props) b.p = o.props;
    if (o.revenue) b.$ = o.revenue;
    if (o.interactive === false) b.i = false;
    for (var k in extra) b[k] = extra[k];
    // Engagement is sent while the page goes away: a beacon is what browsers deliver then.
    if (name === 'engagement' && navigator.sendBeacon && navigator.sendBeacon(api, JSON.stringify(b))) return;
    fetch(api, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(b), keepalive: true })
      .then(function () { if (o.callback) o.callback(); }, function () { if (o.callback) o.callback(); });
  }

  function scrolled() {
    var h = d.documentElement, b = d.body;
    var height = Math.max(h.scrollHeight, b ? b.scrollHeight : 0), seen = (w.scrollY || h.scrollTop) + w.innerHeight;
    maxScroll = Math.max(maxScroll, height ? Math.min(100, Math.round(seen / height * 100)) : 100);
  }

  function engagement() {
    if (shown) { visibleMs += Date.now() - shown; shown = d.visibilityState === 'visible' ? Date.now() : 0; }
    // e is the time since the last report (reports add up); sd stays the page's deepest scroll.
    if (page && !sent && visibleMs > 0) { sent = 1; send('engagement', { interactive: false }, { u: pageUrl, sd: maxScroll, e: visibleMs }); visibleMs = 0; }
  }

  function pageview() {
    var path = hashMode ? l.pathname + l.hash : l.pathname;
    if (path === page) return;
    if (page) engagement();
    page = path; pageUrl = l.href; visibleMs = 0; maxScroll = 0; sent = 0;
    shown = d.visibilityState === 'visible' ? Date.now() : 0;
    scrolled();
    send('pageview');
  }

  var queued = (w.panorama && w.panorama.q) || [];
  w.panorama = function (name, o) { send(name, o); };
  w.panorama.notFound = function () { send('404', { props: { path: l.pathname } }); };
  for (var i = 0; i < queued.length; i++) w.panorama.apply(this, queued[i]);

  d.addEventListener('click', function (e) {
    var a = e.target && e.target.closest && e.target.closest('a[href]');
    if (!a || !a.href) return;
    var u = new URL(a.href, l.href);
    if (/^https?:$/.test(u.protocol) && u.host !== l.host) send('Outbound Link: Click', { props: { url: a.href } });
    else if (files.test(u.pathname)) send('File Download', { props: { url: a.href } });
  }, true);
  w.addEventListener('scroll', scrolled, { passive: true });
  d.addEventListener('visibilitychange', function () {
    if (d.visibilityState === 'hidden') engagement();
    else { shown = Date.now(); sent = 0; }
  });
  w.addEventListener('pagehide', engagement);

  var push = nav.pushState;
  if (push) {
    nav.pushState = function () { push.apply(this, arguments); pageview(); };
    w.addEventListener('popstate', pageview);
  }
  if (hashMode) w.addEventListener('hashchange', pageview);
  if (d.visibilityState === 'prerender') d.addEventListener('visibilitychange', function v() { if (d.visibilityState === 'visible') { d.removeEventListener('visibilitychange', v); pageview(); } });
  else pageview();
})(window, document);
