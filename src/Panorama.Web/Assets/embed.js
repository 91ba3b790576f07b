// Inside an embedded dashboard: tells the page around it how tall the dashboard is, so embed-host.js can fit its iframe.
(() => {
  'use strict';
  if (window.parent === window) return;
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) window.parent.postMessage({ panorama: 'height', height: (last = height) }, '*');
  };
  new ResizeObserver(post).observe(document.body);
  post();
})();
