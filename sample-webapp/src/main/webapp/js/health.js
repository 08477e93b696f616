// The live memory panel: polls the health servlet and draws heap and budget over five minutes.

import { formatBytes } from './uploader.js';

const POLL_MS = 2000;
const OFFLINE_POLL_MS = 10_000;
const WINDOW_MS = 5 * 60 * 1000;
const MIN_SPAN_MS = 60 * 1000;
const GAP_MS = 3 * POLL_MS;

const $ = (selector) => document.querySelector(selector);

/** The number at a dot-separated path of the document, or null. */
function number(doc, path) {
  const value = path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), doc);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Reads the health servlet's document into the few figures the panel shows. */
export function readHealth(doc) {
  const rejected = doc.rejected && typeof doc.rejected === 'object'
    ? Object.values(doc.rejected).filter((v) => typeof v === 'number').reduce((a, b) => a + b, 0)
    : null;
  return {
    status: typeof doc.status === 'string' ? doc.status : null,
    heapUsed: number(doc, 'heap.used'),
    heapMax: number(doc, 'heap.max'),
    physicalTotal: number(doc, 'physical.total'),
    physicalAvailable: number(doc, 'physical.available'),
    containerLimit: number(doc, 'container.limit'),
    available: number(doc, 'available.bytes'),
    limitedBy: doc.available && typeof doc.available.limitedBy === 'string' ? doc.available.limitedBy : null,
    budgetReserved: number(doc, 'budget.reserved'),
    budgetCapacity: number(doc, 'budget.capacity'),
    inFlight: doc.uploadsInFlight && typeof doc.uploadsInFlight === 'object' ? doc.uploadsInFlight : null,
    completed: number(doc, 'completed'),
    tempFiles: number(doc, 'tempDirectory.files'),
    tempBytes: number(doc, 'tempDirectory.bytes'),
    rejected,
  };
}

function inFlightText(inFlight) {
  if (!inFlight) return '–';
  const routes = Object.entries(inFlight).filter(([route, count]) => route !== 'total' && typeof count === 'number');
  if (!routes.length) return String(inFlight.total ?? '–');
  return routes.map(([route, count]) => `${count} ${route.toLowerCase()}`).join(' · ');
}

class Chart {
  constructor(canvas) {
    this.canvas = canvas;
    this.samples = [];
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  add(sample) {
    this.samples.push(sample);
    const oldest = sample.t - WINDOW_MS;
    while (this.samples.length && this.samples[0].t < oldest) this.samples.shift();
    this.draw();
  }

  draw() {
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const styles = getComputedStyle(canvas);
    const color = (name) => styles.getPropertyValue(name).trim();
    const pad = { left: 56, right: 8, top: 8, bottom: 18 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const top = Math.max(1, ...this.samples.map((s) => Math.max(s.heapMax ?? 0, s.heapUsed ?? 0, s.budget ?? 0)));
    const now = this.samples.length ? this.samples[this.samples.length - 1].t : Date.now();
    // the x axis grows with the history, from one minute up to five
    const span = Math.min(WINDOW_MS, Math.max(MIN_SPAN_MS, now - (this.samples.length ? this.samples[0].t : now)));
    const x = (t) => pad.left + plotW * (1 - (now - t) / span);
    const y = (v) => pad.top + plotH * (1 - v / top);

    g.font = '11px system-ui, sans-serif';
    g.fillStyle = color('--muted');
    if (!this.samples.length) {
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText('no measurements yet', width / 2, height / 2);
      return;
    }
    g.strokeStyle = color('--grid');
    g.lineWidth = 1;
    for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
      const yy = Math.round(y(top * fraction)) + 0.5;
      g.beginPath();
      g.moveTo(pad.left, yy);
      g.lineTo(width - pad.right, yy);
      g.stroke();
      g.textAlign = 'right';
      g.textBaseline = 'middle';
      g.fillText(formatBytes(top * fraction), pad.left - 6, yy);
    }
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    g.fillText(`−${Math.round(span / 60_000)} min`, pad.left, height - 4);
    g.textAlign = 'right';
    g.fillText('now', width - pad.right, height - 4);

    const line = (key, stroke, dash = []) => {
      const points = this.samples.filter((s) => s[key] !== null);
      if (points.length < 1) return;
      g.strokeStyle = stroke;
      g.lineWidth = 2;
      g.setLineDash(dash);
      g.beginPath();
      // a gap in the measurements (server down) stays a gap in the line
      points.forEach((s, i) => (i && s.t - points[i - 1].t <= GAP_MS
        ? g.lineTo(x(s.t), y(s[key])) : g.moveTo(x(s.t), y(s[key]))));
      if (points.length === 1) g.lineTo(x(points[0].t) - 2, y(points[0][key]));
      g.stroke();
      g.setLineDash([]);
    };
    line('heapMax', color('--chart-max'), [4, 4]);
    line('budget', color('--chart-budget'));
    line('heapUsed', color('--chart-heap'));
  }
}

function show(health) {
  const text = (id, value) => { $(id).textContent = value; };
  text('#stat-heap', health.heapUsed === null ? '–' : `${formatBytes(health.heapUsed)} / ${formatBytes(health.heapMax)}`);
  text('#stat-physical', health.physicalAvailable === null
    ? '–'
    : `${formatBytes(health.physicalAvailable)}${health.physicalTotal ? ` of ${formatBytes(health.physicalTotal)}` : ''}`);
  text('#stat-container', health.containerLimit === null ? 'none' : formatBytes(health.containerLimit));
  text('#stat-available', health.available === null
    ? '–' : `${formatBytes(health.available)}${health.limitedBy ? ` (${health.limitedBy})` : ''}`);
  text('#stat-budget', health.budgetReserved === null
    ? '–'
    : `${formatBytes(health.budgetReserved)}${health.budgetCapacity !== null ? ` of ${formatBytes(health.budgetCapacity)}` : ''}`);
  text('#stat-inflight', inFlightText(health.inFlight));
  text('#stat-counters', `${health.completed ?? '–'} / ${health.rejected ?? '–'}`);
  text('#stat-temp', health.tempFiles === null ? '–' : `${health.tempFiles} (${formatBytes(health.tempBytes)})`);
}

function setState(label, kind) {
  const badge = $('#health-state');
  badge.textContent = label;
  badge.dataset.kind = kind;
}

/** Starts polling the health servlet. */
export function startHealthPanel(url = 'spillway/health') {
  const chart = new Chart($('#health-chart'));
  const message = $('#health-message');

  const poll = async () => {
    let next = POLL_MS;
    try {
      const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (response.status === 404) {
        setState('unavailable', 'offline');
        message.textContent = 'The health servlet is not mapped at /spillway/health on this server.';
        next = OFFLINE_POLL_MS;
      } else {
        const doc = await response.json();
        if (!doc.heap) throw new Error(doc.error || `status ${response.status}`);
        const health = readHealth(doc);
        const critical = health.status === 'critical';
        setState(critical ? 'critical' : 'ok', critical ? 'critical' : 'ok');
        message.textContent = critical ? 'Memory is critical: uploads are streamed or refused until it recovers.' : '';
        show(health);
        chart.add({
          t: Date.now(), heapUsed: health.heapUsed, heapMax: health.heapMax, budget: health.budgetReserved,
        });
      }
    } catch (error) {
      setState('offline', 'offline');
      message.textContent = error instanceof TypeError
        ? 'The server does not answer; retrying.'
        : `The health servlet cannot report (${error.message}); retrying.`;
    }
    window.setTimeout(poll, next);
  };
  poll();
}
