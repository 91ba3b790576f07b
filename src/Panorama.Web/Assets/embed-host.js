// On a page that embeds Panorama dashboards: fits each <iframe data-panorama-embed> to the height its dashboard reports
// (embed.js). Only the frame a message comes from is resized, and only to a height.
(() => {
  'use strict';
  window.addEventListener('message', event => {
    const height = event.data && event.data.panorama === 'height' ? Number(event.data.height) : NaN;
    if (!(height > 0 && height < 100000)) return;
    for (const frame of document.querySelectorAll('iframe[data-panorama-embed]'))
      if (frame.contentWindow === event.source) frame.style.height = `${height}px`;
  });
})();
