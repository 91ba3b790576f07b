// The site dashboard. Every number comes from the public stats API (the same one external clients use);
// the view (period, comparison, filters, chart metric, funnel) lives in the URL so a link reproduces it.
(() => {
  'use strict';
  const config = JSON.parse(document.getElementById('dashboard-config').textContent);
  const t = text => config.texts[text] || text;
  const locale = config.language === 'ru' ? 'ru-RU' : 'en-GB';
  const numbers = new Intl.NumberFormat(locale);
  const decimals = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const regionNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([locale], { type: 'region' }) : null;
  const headers = { 'Content-Type': 'application/json' };
  if (config.share) headers['X-Panorama-Share'] = config.share;
  const $ = id => document.getElementById(id);

  const topMetrics = [
    ['visitors', t('Unique visitors')], ['visits', t('Total visits')], ['pageviews', t('Total pageviews')],
    ['views_per_visit', t('Views per visit')], ['bounce_rate', t('Bounce rate')], ['visit_duration', t('Visit duration')],
  ];
  // Under a page filter, the pages' engagement too (Plausible's top stats); not a chart metric, so not selectable.
  const engagementMetrics = [['scroll_depth', t('Scroll depth')], ['time_on_page', t('Time on page')]];
  const lowerIsBetter = new Set(['bounce_rate']);
  const operators = [['is', t('is')], ['is_not', t('is not')], ['contains', t('contains')], ['matches', t('matches')]];
  const filterableDimensions = [
    'visit:source', 'visit:channel', 'visit:referrer', 'visit:utm_source', 'visit:utm_medium', 'visit:utm_campaign', 'visit:utm_content',
    'visit:utm_term', 'event:page', 'visit:entry_page', 'visit:exit_page', 'event:hostname', 'visit:country', 'visit:region', 'visit:city',
    'visit:device', 'visit:browser', 'visit:os', 'visit:screen', 'event:goal', 'event:name',
  ];
  const dimensionLabels = {
    'visit:source': t('Source'), 'visit:channel': t('Channel'), 'visit:referrer': t('Referrer'), 'visit:utm_source': t('UTM source'),
    'visit:utm_medium': t('UTM medium'), 'visit:utm_campaign': t('Campaign'), 'visit:utm_content': t('UTM content'), 'visit:utm_term': t('UTM term'),
    'event:page': t('Page'), 'visit:entry_page': t('Entry page'), 'visit:exit_page': t('Exit page'), 'event:hostname': t('Hostname'),
    'visit:country': t('Country'), 'visit:region': t('Region'), 'visit:city': t('City'), 'visit:device': t('Device'), 'visit:browser': t('Browser'),
    'visit:os': t('Operating system'), 'visit:screen': t('Screen size'), 'event:goal': t('Goal'), 'event:name': t('Event'),
  };
  const labelOf = dimension => dimension.startsWith('event:props:') ? dimension.slice(12) : dimensionLabels[dimension] || dimension;

  // ---- state in the URL -------------------------------------------------------------------------------------
  function readState() {
    const query = new URLSearchParams(location.search);
    return {
      period: query.get('period') || '30d',
      from: query.get('from') || '', to: query.get('to') || '',
      compare: query.get('compare') || '',
      compareFrom: query.get('compare_from') || '', compareTo: query.get('compare_to') || '',
      matchWeekday: query.get('match_day_of_week') === 'true',
      metric: query.get('metric') || 'visitors',
      interval: query.get('interval') || '',
      filters: query.getAll('f').map(text => {
        const [dimension, operator, ...rest] = text.split('|');
        return dimension && operator && rest.length ? { dimension, operator, value: rest.join('|') } : null;
      }).filter(Boolean),
      steps: query.getAll('step'),
    };
  }
  let state = readState();

  function writeState() {
    const query = new URLSearchParams();
    query.set('period', state.period);
    if (state.period === 'custom') { query.set('from', state.from); query.set('to', state.to); }
    if (state.compare) query.set('compare', state.compare);
    if (state.compare === 'custom') { query.set('compare_from', state.compareFrom); query.set('compare_to', state.compareTo); }
    if (state.compare && state.matchWeekday) query.set('match_day_of_week', 'true');
    if (state.metric !== 'visitors') query.set('metric', state.metric);
    if (state.interval) query.set('interval', state.interval);
    state.filters.forEach(f => query.append('f', `${f.dimension}|${f.operator}|${f.value}`));
    state.steps.forEach(step => query.append('step', step));
    history.pushState(null, '', `${location.pathname}?${query}`);
    render();
  }
  window.addEventListener('popstate', () => { state = readState(); render(); });

  function dateRange() {
    if (state.period === 'realtime') {
      const now = new Date();
      return [new Date(now - 30 * 60000).toISOString(), new Date(now.getTime() + 1000).toISOString()];
    }
    if (state.period === 'custom' && state.from && state.to) return [state.from, state.to];
    return state.period === 'custom' ? '30d' : state.period;
  }
  // Minutes are for ranges of two days at most, as the API takes them.
  function minutesFit() {
    if (['realtime', 'day'].includes(state.period)) return true;
    return state.period === 'custom' && state.from && state.to && (new Date(state.to) - new Date(state.from)) / 86400000 <= 1;
  }
  const currentInterval = () => state.interval === 'minute' && !minutesFit() ? defaultInterval() : state.interval || defaultInterval();
  function defaultInterval() {
    if (state.period === 'realtime') return 'minute';
    if (state.period === 'day') return 'hour';
    if (['6mo', '12mo', 'year', 'all'].includes(state.period)) return 'month';
    if (state.period === 'custom' && state.from && state.to) {
      const days = (new Date(state.to) - new Date(state.from)) / 86400000;
      return days <= 2 ? 'hour' : days <= 120 ? 'day' : 'month';
    }
    return 'day';
  }
  const apiFilters = () => state.filters.map(f => [f.operator, f.dimension, [f.value]]);
  function comparison() {
    if (!state.compare || state.period === 'realtime' || state.period === 'all') return {};
    if (state.compare === 'custom' && !(state.compareFrom && state.compareTo)) return {};
    const comparisons = { mode: state.compare, match_day_of_week: state.matchWeekday };
    if (state.compare === 'custom') comparisons.date_range = [state.compareFrom, state.compareTo];
    return { comparisons };
  }

  const addDays = (day, days) => new Date(Date.parse(day) + days * 86400000).toISOString().slice(0, 10);

  // ---- API ----------------------------------------------------------------------------------------------------
  async function problemOf(response) {
    try { const body = await response.json(); return body.detail || body.error || response.statusText; } catch { return response.statusText; }
  }
  async function query(body, format) {
    const response = await fetch('/api/v2/query' + (format ? `?format=${format}` : ''), {
      method: 'POST', headers, credentials: 'same-origin',
      body: JSON.stringify({ site_id: config.site, date_range: dateRange(), filters: apiFilters(), ...body }),
    });
    if (!response.ok) throw new Error(await problemOf(response));
    return format ? response.text() : response.json();
  }
  const shareQuery = () => config.share ? `&share=${encodeURIComponent(config.share)}` : '';

  // ---- formatting ---------------------------------------------------------------------------------------------
  function format(metric, value) {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'object' && 'value' in value) return new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency }).format(value.value);
    if (metric === 'bounce_rate' || metric === 'percentage' || metric === 'conversion_rate' || metric === 'group_conversion_rate' || metric === 'scroll_depth')
      return `${decimals.format(value)}%`;
    if (metric === 'visit_duration' || metric === 'time_on_page') {
      const seconds = Math.round(value), minutes = Math.floor(seconds / 60);
      return minutes ? `${minutes} ${t('min')} ${String(seconds % 60).padStart(2, '0')} ${t('s')}` : `${seconds} ${t('s')}`;
    }
    return metric === 'views_per_visit' ? decimals.format(value) : numbers.format(value);
  }
  function displayValue(dimension, value) {
    if (dimension === 'visit:country' && /^[A-Z]{2}$/.test(value)) {
      const flag = String.fromCodePoint(...[...value].map(c => 0x1F1E6 + c.charCodeAt(0) - 65));
      return `${flag} ${regionNames?.of(value) ?? value}`;
    }
    return value === '(none)' ? t('(none)') : value;
  }
  const element = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
    }
    node.append(...children.filter(c => c !== null && c !== undefined));
    return node;
  };
  const info = metric => config.definitions[metric]
    ? element('span', { class: 'info', tabindex: '0', role: 'note', 'aria-label': config.definitions[metric], 'data-tip': config.definitions[metric] }, 'i')
    : null;
  function change(metric, value) {
    if (value === null || value === undefined) return null;
    const good = lowerIsBetter.has(metric) ? value < 0 : value > 0;
    return element('span', { class: `change ${value === 0 ? '' : good ? 'good' : 'bad'}` }, `${value > 0 ? '↑' : value < 0 ? '↓' : ''}${decimals.format(Math.abs(value))}%`);
  }

  // ---- filters ------------------------------------------------------------------------------------------------
  function addFilter(dimension, value, operator = 'is') {
    state.filters = state.filters.filter(f => f.dimension !== dimension).concat({ dimension, operator, value });
    writeState();
  }
  function renderFilters() {
    const box = $('filters');
    box.replaceChildren(...state.filters.map((f, index) => element('span', { class: 'chip' },
      `${labelOf(f.dimension)} ${operators.find(o => o[0] === f.operator)?.[1] ?? f.operator} `,
      element('strong', {}, displayValue(f.dimension, f.value)),
      element('button', { type: 'button', class: 'remove', 'aria-label': `${t('Remove filter')} ${labelOf(f.dimension)}`, onclick: () => { state.filters.splice(index, 1); writeState(); } }, '×'))));
    const dimension = element('select', { 'aria-label': t('Dimension') }, ...filterableDimensions.map(d => element('option', { value: d }, labelOf(d))));
    const operator = element('select', { 'aria-label': t('Operator') }, ...operators.map(([value, label]) => element('option', { value }, label)));
    const value = element('input', { 'aria-label': t('Value'), placeholder: t('Value'), required: 'required', size: '12' });
    const form = element('form', { class: 'add-filter', onsubmit: event => { event.preventDefault(); addFilter(dimension.value, value.value.trim(), operator.value); } },
      dimension, operator, value, element('button', { type: 'submit' }, t('Add filter')));
    const details = element('details', { class: 'filter-menu' }, element('summary', {}, `+ ${t('Filter')}`), form);
    box.append(details);
    // Saved segments (site settings) replace the filters; an editor can keep the current ones as a new segment there.
    const lines = state.filters.map(f => `${f.dimension}|${f.operator}|${f.value}`);
    if (config.segments.length) {
      const current = config.segments.find(s => s.filters.join('\n') === lines.join('\n'))?.name || '';
      const select = element('select', { id: 'segment', 'aria-label': t('Segments…'), onchange: event => {
        const segment = config.segments.find(s => s.name === event.target.value);
        if (!segment) return;
        state.filters = segment.filters.map(line => { const [dimension, operator, ...rest] = line.split('|'); return { dimension, operator, value: rest.join('|') }; });
        writeState();
      } }, element('option', { value: '' }, t('Segments…')), ...config.segments.map(s => element('option', { value: s.name }, s.name)));
      select.value = current;
      box.append(select);
    }
    if (config.canEdit && lines.length && !config.share)
      box.append(element('a', { href: `/sites/${encodeURIComponent(config.site)}/settings?segment=${encodeURIComponent(lines.join('\n'))}#segments`, class: 'save-segment' }, t('Save as a segment')));
  }

  // ---- top stats and chart ----------------------------------------------------------------------------------
  // The top stats' visitors, which the breakdowns divide by for their share (one query instead of one per panel).
  let totalVisitors = Promise.resolve(null);
  // The local days the server read for the period, first and last: where a custom comparison starts from.
  let shownDays = null;
  async function renderTopStats() {
    const box = $('top-stats');
    const shown = state.filters.some(f => f.dimension === 'event:page') ? [...topMetrics, ...engagementMetrics] : topMetrics;
    const pending = query({ metrics: shown.map(m => m[0]), include: comparison() });
    totalVisitors = pending.then(d => d.results[0]?.metrics[0] ?? 0, () => null);
    const data = await pending;
    const [from, to] = data.query?.date_range || [];
    if (from && to) shownDays = [from.slice(0, 10), addDays(to.slice(0, 10), to.slice(11, 19) === '00:00:00' ? -1 : 0)];
    updateArrows();
    const row = data.results[0] || { metrics: shown.map(() => 0) };
    box.replaceChildren(...shown.map(([metric, label], index) => element(...(engagementMetrics.some(m => m[0] === metric)
      ? ['div', { class: 'stat', 'data-metric': metric }]
      : ['button', {
        type: 'button', class: `stat${state.metric === metric ? ' selected' : ''}`, 'data-metric': metric, 'aria-pressed': String(state.metric === metric),
        onclick: () => { state.metric = metric; writeState(); },
      }]), element('span', { class: 'stat-label' }, label, info(metric)),
      element('span', { class: 'stat-value' }, format(metric, row.metrics[index])),
      row.comparison ? element('span', { class: 'stat-previous' }, change(metric, row.comparison.change[index]), ` ${t('vs')} ${format(metric, row.comparison.metrics[index])}`) : null)));
  }

  // Implemented decisions, drawn on the chart as dated markers (and listed under it, with links).
  async function annotations() {
    const response = await fetch(`/api/decisions/annotations?site_id=${encodeURIComponent(config.site)}${shareQuery()}`, { headers, credentials: 'same-origin' });
    return response.ok ? (await response.json()).annotations : [];
  }
  // The stylesheet's colours as the page shows them (light or dark): a custom property holding light-dark() only resolves on a real property.
  function colour(variable, alpha = 1) {
    const probe = document.body.appendChild(element('span', { style: `color: var(${variable})`, hidden: '' }));
    const rgb = getComputedStyle(probe).color.match(/\d+(\.\d+)?/g).slice(0, 3).join(', ');
    probe.remove();
    return `rgba(${rgb}, ${alpha})`;
  }
  const markerPlugin = {
    id: 'decisions',
    afterDatasetsDraw(chart, _, options) {
      const { ctx, chartArea, scales } = chart;
      (options.markers || []).forEach(marker => {
        const x = scales.x.getPixelForValue(marker.index);
        ctx.save();
        ctx.strokeStyle = marker.withoutMarketing ? colour('--warn') : colour('--marker');
        ctx.setLineDash([4, 3]);
        ctx.beginPath(); ctx.moveTo(x, chartArea.top); ctx.lineTo(x, chartArea.bottom); ctx.stroke();
        ctx.restore();
      });
    },
  };

  let chart = null;
  async function renderChart() {
    const interval = currentInterval();
    $('interval').querySelector('[value=minute]').hidden = !minutesFit();
    $('interval').value = interval;
    const metric = state.metric;
    $('chart-title').textContent = topMetrics.find(m => m[0] === metric)?.[1] ?? metric;
    const data = await query({ metrics: [metric], dimensions: [`time:${interval}`], include: { time_labels: true, ...comparison() } });
    const labels = data.meta.time_labels || data.results.map(r => r.dimensions[0]);
    const notes = await annotations().catch(() => []);
    const periodEnd = String(data.query?.date_range?.[1] ?? '9999').slice(0, 10);
    // Each decision sits on the last bucket that starts on or before its date.
    const markers = notes.map(note => ({ ...note, index: labels.reduce((found, label, i) => label.slice(0, 10) <= note.date ? i : found, -1) }))
      .filter(marker => marker.index >= 0 && marker.date >= labels[0].slice(0, 10) && marker.date < periodEnd);
    const list = $('chart-annotations');
    list.replaceChildren(...markers.map(marker => element('li', {}, element('time', {}, marker.date), ' ',
      marker.url ? element('a', { href: marker.url }, marker.title) : marker.title,
      marker.without_marketing ? element('span', { class: 'badge warn' }, t('without marketing')) : null)));
    const byLabel = new Map(data.results.map(r => [r.dimensions[0], r]));
    const current = labels.map(label => byLabel.get(label)?.metrics[0] ?? 0);
    const datasets = [{ label: t('This period'), data: current, borderColor: colour('--accent'), backgroundColor: colour('--accent', .12), fill: true, tension: .25, pointRadius: 2 }];
    if (state.compare && data.results.some(r => r.comparison)) {
      datasets.push({ label: t('Comparison'), data: labels.map(label => byLabel.get(label)?.comparison?.metrics[0] ?? null), borderColor: colour('--muted'), borderDash: [6, 4], pointRadius: 0, fill: false, tension: .25 });
    }
    const canvas = $('chart');
    canvas.setAttribute('aria-label', `${t('Time series')}: ${$('chart-title').textContent}`);
    canvas.dataset.points = String(current.length);
    canvas.dataset.total = String(current.reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0));
    // The chart library loads after this script, so the queries start first.
    if (typeof Chart === 'undefined' && document.readyState !== 'complete') await new Promise(done => window.addEventListener('load', done, { once: true }));
    if (typeof Chart === 'undefined') return;
    chart?.destroy();
    Chart.defaults.color = colour('--muted');
    Chart.defaults.borderColor = colour('--line');
    chart = new Chart(canvas, {
      type: 'line', plugins: [markerPlugin], data: { labels: labels.map(shortLabel), datasets },
      options: {
        animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
        plugins: { decisions: { markers: markers.map(m => ({ index: m.index, withoutMarketing: m.without_marketing })) }, legend: { display: datasets.length > 1 }, tooltip: { callbacks: { label: item => `${item.dataset.label}: ${format(metric, item.raw)}` } } },
        scales: { y: { beginAtZero: true, ticks: { callback: value => format(metric, value) } } },
      },
    });
  }
  function shortLabel(label) {
    const date = new Date(label.length === 10 ? `${label}T00:00:00` : label.replace(' ', 'T'));
    if (Number.isNaN(date.getTime())) return label;
    const interval = currentInterval();
    if (interval === 'hour' || interval === 'minute') return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
    if (interval === 'month') return date.toLocaleDateString(locale, { month: 'short', year: 'numeric' });
    return date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
  }

  // ---- breakdown panels -------------------------------------------------------------------------------------
  const panelState = new Map();
  function metricsFor(dimension) {
    if (dimension === 'event:goal') return ['visitors', 'events', 'conversion_rate', 'total_revenue'];
    if (dimension === 'event:page' || dimension === 'event:hostname') return ['visitors', 'pageviews'];
    if (dimension.startsWith('event:props:')) return ['visitors', 'events', 'percentage'];
    return ['visitors', 'percentage'];
  }
  const metricHeadings = {
    visitors: t('Visitors'), pageviews: t('Pageviews'), percentage: t('%'), events: t('Events'), conversion_rate: t('Conversion rate'), total_revenue: t('Revenue'),
    visits: t('Visits'), bounce_rate: t('Bounce rate'), visit_duration: t('Visit duration'), time_on_page: t('Time on page'), scroll_depth: t('Scroll depth'),
    average_revenue: t('Average revenue'),
  };
  const headingFor = (dimension, metric) => dimension === 'event:goal' && metric === 'events' ? t('Conversions') : metricHeadings[metric] || metric;
  // A property breakdown lists the events that carry the property, as Plausible does.
  const panelFilters = dimension => dimension.startsWith('event:props:') ? [['is_not', dimension, ['(none)']]] : [];
  // What a panel's table and the details' table share: the heading row, a value that filters on a click, the figures.
  const breakdownHead = (dimension, metrics) => element('thead', {}, element('tr', {}, element('th', { scope: 'col' }, labelOf(dimension)),
    ...metrics.map(m => element('th', { scope: 'col', class: 'num' }, headingFor(dimension, m), info(m)))));
  const filterButton = (dimension, value, onclick) =>
    element('button', { type: 'button', class: 'row-filter', title: t('Filter by this value'), onclick }, displayValue(dimension, value));
  const metricCells = (metrics, row) => metrics.map((m, i) => element('td', { class: 'num' }, format(m, row.metrics[i])));

  async function renderPanel(panel) {
    let tabs = JSON.parse(panel.dataset.tabs);
    const name = panel.dataset.panel;
    if (name === 'properties') {
      const response = await fetch(`/api/v2/properties?site_id=${encodeURIComponent(config.site)}&date_range=${encodeURIComponent(Array.isArray(dateRange()) ? dateRange().join(',') : dateRange())}${shareQuery()}`, { headers, credentials: 'same-origin' });
      const keys = response.ok ? (await response.json()).properties : [];
      tabs = keys.slice(0, 8).map(key => [`event:props:${key}`, key]);
    }
    const selected = tabs.some(tab => tab[0] === panelState.get(name)) ? panelState.get(name) : tabs[0]?.[0];
    const heading = element('h2', {}, panel.dataset.title);
    const tabList = element('div', { class: 'tabs', role: 'tablist' }, ...tabs.map(([dimension, label]) => element('button', {
      type: 'button', role: 'tab', 'aria-selected': String(dimension === selected), 'data-dimension': dimension,
      onclick: () => { panelState.set(name, dimension); renderPanel(panel).catch(error => showError(panel, error)); },
    }, label)));
    if (!selected) {
      panel.replaceChildren(element('div', { class: 'panel-head' }, heading), element('p', { class: 'empty' },
        name === 'goals' ? t('No goals yet: add them in the site settings.') : t('No custom properties in this period.')));
      return;
    }
    const metrics = metricsFor(selected);
    // Rates over the top stats' visitors (same period and filters) are computed here rather than by one more
    // query per panel: a visit breakdown's share, and a goal's conversion rate while no goal filter narrows them.
    const computedHere = metrics.filter(m => (m === 'percentage' && selected.startsWith('visit:'))
      || (m === 'conversion_rate' && !state.filters.some(f => f.dimension === 'event:goal')));
    const asked = metrics.filter(m => !computedHere.includes(m));
    const data = await query({ metrics: asked, dimensions: [selected], filters: apiFilters().concat(panelFilters(selected)), order_by: [[metrics[0], 'desc']], pagination: { limit: 10, offset: 0 }, include: { total_rows: true } });
    if (computedHere.length) {
      const total = await totalVisitors;
      const rate = (visitors, places) => total ? Math.round(10 ** places * 100 * visitors / total) / 10 ** places : null;
      data.results.forEach(row => {
        row.metrics = metrics.map(m => m === 'percentage' ? rate(row.metrics[0], 1) : m === 'conversion_rate' ? rate(row.metrics[0], 2) : row.metrics[asked.indexOf(m)]);
      });
    }
    const max = Math.max(1, ...data.results.map(r => r.metrics[0] || 0));
    const exportButton = element('button', { type: 'button', class: 'link export', onclick: () => exportCsv(selected, metrics) }, t('CSV'));
    const table = element('table', { class: 'breakdown', 'data-dimension': selected }, breakdownHead(selected, metrics),
      element('tbody', {}, ...data.results.map(row => {
        const value = row.dimensions[0];
        return element('tr', {},
          element('td', { class: 'bar-cell' }, element('span', { class: 'bar', style: `width:${(100 * (row.metrics[0] || 0) / max).toFixed(1)}%` }),
            selected.startsWith('time') ? displayValue(selected, value) : filterButton(selected, value, () => addFilter(selected, value))),
          ...metricCells(metrics, row));
      })));
    const body = data.results.length ? element('div', { class: 'table-wrap' }, table) : element('p', { class: 'empty' }, t('No data for this period.'));
    const more = data.meta.total_rows > data.results.length ? element('p', { class: 'hint' }, `${t('Top')} ${data.results.length} ${t('of')} ${numbers.format(data.meta.total_rows)}`) : null;
    const detailsButton = element('button', { type: 'button', class: 'link details', onclick: () => openDetails(selected) }, t('Details'));
    panel.replaceChildren(...[element('div', { class: 'panel-head' }, heading, element('span', {}, detailsButton, exportButton)), tabList, body, more].filter(Boolean));
  }

  // ---- details: a report's whole list, searchable, with the metrics Plausible's details show ----------------------
  function detailMetrics(dimension) {
    if (dimension === 'event:page') return ['visitors', 'pageviews', 'time_on_page', 'scroll_depth'];
    if (dimension === 'event:goal') return ['visitors', 'events', 'conversion_rate', 'total_revenue', 'average_revenue'];
    if (dimension.startsWith('event:')) return ['visitors', 'events'];
    return ['visitors', 'visits', 'bounce_rate', 'visit_duration'];
  }
  const DetailsPage = 100;
  function openDetails(dimension) {
    const metrics = detailMetrics(dimension);
    const search = element('input', { type: 'search', id: 'details-search', placeholder: t('Search'), 'aria-label': t('Search') });
    const tbody = element('tbody', {});
    const status = element('p', { class: 'hint', role: 'status' });
    const moreButton = element('button', { type: 'button', hidden: '' }, t('Load more'));
    const close = element('button', { type: 'button', class: 'link', 'aria-label': t('Close') }, '×');
    const dialog = element('dialog', { id: 'details', class: 'details-dialog', 'aria-label': labelOf(dimension) },
      element('div', { class: 'panel-head' }, element('h2', {}, labelOf(dimension)), close),
      search,
      element('div', { class: 'table-wrap' }, element('table', { class: 'breakdown', 'data-dimension': dimension }, breakdownHead(dimension, metrics), tbody)),
      status, moreButton);
    let offset = 0, asked = 0;
    async function load(reset) {
      const ask = ++asked;
      if (reset) offset = 0;
      const text = search.value.trim();
      const filters = apiFilters().concat(panelFilters(dimension), text ? [['contains', dimension, [text], { case_sensitive: false }]] : []);
      const data = await query({ metrics, dimensions: [dimension], filters, order_by: [[metrics[0], 'desc']], pagination: { limit: DetailsPage, offset }, include: { total_rows: true } });
      if (ask !== asked) return; // a newer search has been typed meanwhile
      const rows = data.results.map(row => element('tr', {},
        element('td', {}, filterButton(dimension, row.dimensions[0], () => { dialog.close(); addFilter(dimension, row.dimensions[0]); })),
        ...metricCells(metrics, row)));
      if (reset) tbody.replaceChildren(...rows); else tbody.append(...rows);
      offset += data.results.length;
      status.textContent = `${numbers.format(offset)} ${t('of')} ${numbers.format(data.meta.total_rows)}`;
      moreButton.hidden = offset >= data.meta.total_rows;
    }
    const failed = error => status.replaceChildren(element('span', { class: 'error', role: 'alert' }, `${t('Could not load this report')}: ${error.message}`));
    let typing;
    search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => load(true).catch(failed), 250); });
    moreButton.addEventListener('click', () => load(false).catch(failed));
    close.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    search.focus();
    load(true).catch(failed);
  }
  async function exportCsv(dimension, metrics) {
    const csv = await query({ metrics, dimensions: [dimension], filters: apiFilters().concat(panelFilters(dimension)), order_by: [[metrics[0], 'desc']], pagination: { limit: 10000, offset: 0 } }, 'csv');
    const link = element('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv' })), download: `${config.site}-${dimension.replace(/[^a-z0-9]+/gi, '_')}.csv` });
    document.body.append(link); link.click(); link.remove();
  }
  function showError(box, error) {
    box.replaceChildren(element('p', { class: 'error', role: 'alert' }, `${t('Could not load this report')}: ${error.message}`));
  }

  // ---- funnel ---------------------------------------------------------------------------------------------------
  async function renderFunnel() {
    const result = $('funnel-result');
    $('funnel-steps').value = state.steps.join('\n');
    if ($('funnel-saved')) $('funnel-saved').value = config.funnels.find(f => f.steps.join('\n') === state.steps.join('\n'))?.name || '';
    if (state.steps.length < 2) { result.replaceChildren(element('p', { class: 'hint' }, t('Enter 2 to 8 steps.'))); return; }
    const steps = state.steps.map(step => step.startsWith('/') ? { page: step } : config.goals.includes(step) ? { goal: step } : { event: step });
    const response = await fetch('/api/v2/funnel', {
      method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify({ site_id: config.site, date_range: dateRange(), filters: apiFilters(), steps }),
    });
    if (!response.ok) { result.replaceChildren(element('p', { class: 'error', role: 'alert' }, await problemOf(response))); return; }
    const data = await response.json();
    const first = Math.max(1, data.steps[0]?.visitors || 0);
    result.replaceChildren(element('ol', { class: 'funnel-steps' }, ...data.steps.map((step, index) => element('li', {},
      element('div', { class: 'funnel-label' }, element('strong', {}, step.label), ` ${numbers.format(step.visitors)} ${t('visitors')} · ${decimals.format(step.conversion_rate)}%`),
      element('div', { class: 'funnel-bar' }, element('span', { style: `width:${(100 * step.visitors / first).toFixed(1)}%` })),
      index > 0 ? element('div', { class: 'hint' }, `${t('Dropped off')}: ${numbers.format(step.dropoff)} (${decimals.format(step.dropoff_percentage)}%)`) : null))),
      element('p', { class: 'hint' }, t(data.definition)));
  }
  // A saved funnel (site settings) fills the steps in; the URL then holds them like typed ones.
  $('funnel-saved')?.addEventListener('change', event => {
    const saved = config.funnels.find(f => f.name === event.target.value);
    if (!saved) return;
    state.steps = saved.steps.slice(0, 8);
    writeState();
  });
  $('funnel-form').addEventListener('submit', event => {
    event.preventDefault();
    state.steps = $('funnel-steps').value.split('\n').map(s => s.trim()).filter(Boolean).slice(0, 8);
    writeState();
  });

  // ---- realtime -------------------------------------------------------------------------------------------------
  async function refreshRealtime() {
    const response = await fetch(`/api/v2/realtime/visitors?site_id=${encodeURIComponent(config.site)}${shareQuery()}`, { headers, credentials: 'same-origin' });
    if (response.ok) $('realtime-count').textContent = numbers.format(await response.json());
  }
  let refreshTimer = null;
  function onLiveEvent(kind, message) {
    const event = JSON.parse(message.data);
    const list = $('live-events');
    const time = new Date(event.timestamp).toLocaleTimeString(locale);
    list.prepend(element('li', {}, element('time', {}, time), ' ', element('strong', {}, kind === 'pageview' ? event.page : event.name),
      ` · ${event.source || t('Direct / None')} · ${event.country ? displayValue('visit:country', event.country) : ''} ${event.browser || ''}`));
    while (list.children.length > 20) list.lastChild.remove();
    // Batch a burst of events into one refresh of the counters.
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshRealtime();
      if (['realtime', 'day', '7d', '30d', 'month', '6mo', '12mo', 'year', 'all'].includes(state.period)) renderTopStats().catch(() => {});
    }, 1000);
  }
  function connectStream() {
    if (typeof EventSource === 'undefined') return;
    const stream = new EventSource(`/api/v2/realtime/stream?site_id=${encodeURIComponent(config.site)}${shareQuery()}`);
    stream.addEventListener('pageview', message => onLiveEvent('pageview', message));
    stream.addEventListener('event', message => onLiveEvent('event', message));
  }

  // ---- moving through periods ---------------------------------------------------------------------------------
  // ‹ and › (or the arrow keys) show the period before or after the one shown, as a custom range: whole calendar
  // months move by months (this month, then October, then September), other ranges by their own number of days.
  const siteToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: config.timeZone }).format(new Date());
  const addMonths = (day, months) => { const date = new Date(Date.parse(day)); date.setUTCMonth(date.getUTCMonth() + months); return date.toISOString().slice(0, 10); };
  function monthsCovered(first, last) {
    if (!first.endsWith('-01') || !addDays(last, 1).endsWith('-01')) return 0;
    const [y1, m1] = first.split('-').map(Number), [y2, m2] = last.split('-').map(Number);
    return (y2 - y1) * 12 + m2 - m1 + 1;
  }
  function shiftedPeriod(direction) {
    if (!shownDays || state.period === 'realtime' || state.period === 'all') return null;
    const [first, last] = shownDays;
    const months = monthsCovered(first, last);
    const length = Math.round((Date.parse(last) - Date.parse(first)) / 86400000) + 1;
    const from = months ? addMonths(first, direction * months) : addDays(first, direction * length);
    const to = months ? addDays(addMonths(from, months), -1) : addDays(last, direction * length);
    return from > siteToday() || from < '1970-01-01' ? null : [from, to];
  }
  function move(direction) {
    const period = shiftedPeriod(direction);
    if (!period) return;
    [state.from, state.to] = period;
    state.period = 'custom';
    state.interval = '';
    writeState();
  }
  function updateArrows() {
    const movable = state.period !== 'realtime' && state.period !== 'all';
    $('period-back').hidden = $('period-forward').hidden = !movable;
    $('period-back').disabled = !shiftedPeriod(-1);
    $('period-forward').disabled = !shiftedPeriod(1);
  }
  $('period-back').addEventListener('click', () => move(-1));
  $('period-forward').addEventListener('click', () => move(1));

  // Keys as Plausible's: D today, W 7 days, T 30 days, M month, Y year, L 12 months, A all time, R realtime,
  // X comparison on or off, ← and → the period before or after.
  const periodKeys = { d: 'day', w: '7d', t: '30d', m: 'month', y: 'year', l: '12mo', a: 'all', r: 'realtime' };
  document.addEventListener('keydown', event => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    if (event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable], [role=tab]')) return;
    const key = event.key.toLowerCase();
    if (key === 'arrowleft' || key === 'arrowright') move(key === 'arrowleft' ? -1 : 1);
    else if (periodKeys[key]) { state.period = periodKeys[key]; state.interval = ''; writeState(); }
    else if (key === 'x') { state.compare = state.compare ? '' : 'previous_period'; writeState(); }
    else return;
    event.preventDefault();
  });

  // ---- controls -------------------------------------------------------------------------------------------------
  $('period').addEventListener('change', () => {
    state.period = $('period').value;
    state.interval = '';
    if (state.period === 'custom' && !state.from) {
      const today = new Date().toISOString().slice(0, 10);
      state.from = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10); state.to = today;
    }
    writeState();
  });
  ['from', 'to'].forEach(id => $(id).addEventListener('change', () => { state[id] = $(id).value; if (state.from && state.to) writeState(); }));
  $('compare').addEventListener('change', () => {
    state.compare = $('compare').value;
    if (state.compare === 'custom' && !state.compareFrom && shownDays) {
      // A custom comparison starts as the previous period of the same length, to be moved from there.
      const [first, last] = shownDays;
      const length = Math.round((Date.parse(last) - Date.parse(first)) / 86400000) + 1;
      state.compareFrom = addDays(first, -length);
      state.compareTo = addDays(first, -1);
    }
    writeState();
  });
  [['compare-from', 'compareFrom'], ['compare-to', 'compareTo']].forEach(([id, key]) => $(id).addEventListener('change', () => {
    state[key] = $(id).value;
    if (state.compareFrom && state.compareTo) writeState();
  }));
  $('match-weekday').addEventListener('change', () => { state.matchWeekday = $('match-weekday').checked; writeState(); });
  $('interval').addEventListener('change', () => { state.interval = $('interval').value; writeState(); });

  function render() {
    $('period').value = state.period;
    $('compare').value = state.compare;
    $('compare-range').hidden = state.compare !== 'custom';
    $('compare-from').value = state.compareFrom; $('compare-to').value = state.compareTo;
    $('match-weekday-label').hidden = !state.compare;
    $('match-weekday').checked = state.matchWeekday;
    $('custom-range').hidden = state.period !== 'custom';
    $('from').value = state.from; $('to').value = state.to;
    shownDays = null;
    updateArrows();
    const range = dateRange();
    $('export').href = `/api/v2/export?site_id=${encodeURIComponent(config.site)}&date_range=${encodeURIComponent(Array.isArray(range) ? range.join(',') : range)}`
      + (state.filters.length ? `&filters=${encodeURIComponent(JSON.stringify(apiFilters()))}` : '') + shareQuery();
    renderFilters();
    const jobs = [renderTopStats().catch(error => showError($('top-stats'), error)), renderChart().catch(error => { $('chart-title').textContent += ` — ${error.message}`; }), renderFunnel()];
    document.querySelectorAll('[data-panel]').forEach(panel => jobs.push(renderPanel(panel).catch(error => showError(panel, error))));
    document.body.dataset.loading = 'true';
    Promise.all(jobs).finally(() => { document.body.dataset.loading = 'false'; document.body.dataset.rendered = String(Date.now()); });
  }

  render();
  refreshRealtime();
  connectStream();
})();
