// The live memory panel: polls the health servlet and draws heap and budget over five minutes.

import { formatBytes } from './uploader.js';

const POLL_MS = 2000;
const OFFLINE_POLL_MS = 10_000;
const WINDOW_MS = 5 * 60 * 1000;
const MIN_SPAN_MS = 60 * 1000;

const $ = (selector) => document.querySelector(selector);

/** The first path (dot-separated) that leads to a number in the document. */
function number(doc, ...paths) {
  for (const path of paths) {
    const value = path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), doc);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

function object(doc, ...paths) {
  for (const path of paths) {
    const value = path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), doc);
    if (value && typeof value === 'object') return value;
  }
  return null;
}

/** Reads the health document into the few numbers the panel shows. */
export function readHealth(doc) {
  return {
    status: typeof doc.status === 'string' ? doc.status : null,
    heapUsed: number(doc, 'heap.used', 'memory.heap.used', 'heapUsed'),
    heapMax: number(doc, 'heap.max', 'memory.heap.max', 'heapMax'),
    physicalTotal: number(doc, 'physical.total', 'memory.physical.total', 'physicalTotal'),
    physicalAvailable: number(doc, 'physical.available', 'memory.physical.available', 'physicalAvailable'),
    containerLimit: number(doc, 'container.limit', 'memory.container.limit', 'containerLimit'),
    budgetReserved: number(doc, 'budget.reserved', 'budgetReserved'),
    budgetCapacity: number(doc, 'budget.capacity', 'budgetCapacity'),
    inFlight: object(doc, 'uploads.inFlight', 'inFlight', 'uploadsInFlight'),
    counters: object(doc, 'counters', 'uploads.counters'),
  };
}

function inFlightText(inFlight) {
  if (!inFlight) return '–';
  const entries = Object.entries(inFlight).filter(([, v]) => typeof v === 'number');
  if (!entries.length) return '–';
  return entries.map(([route, count]) => `${count} ${route.toLowerCase()}`).join(' · ');
}

function countersText(counters) {
  if (!counters) return '–';
  const done = number(counters, 'completed', 'succeeded', 'stored');
  const rejected = number(counters, 'rejected', 'failed');
  return `${done ?? '–'} / ${rejected ?? '–'}`;
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
      points.forEach((s, i) => (i ? g.lineTo(x(s.t), y(s[key])) : g.moveTo(x(s.t), y(s[key]))));
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
  $('#stat-heap').textContent = health.heapUsed === null
    ? '–' : `${formatBytes(health.heapUsed)} / ${formatBytes(health.heapMax)}`;
  $('#stat-physical').textContent = health.physicalAvailable === null
    ? '–'
    : `${formatBytes(health.physicalAvailable)}${health.physicalTotal ? ` of ${formatBytes(health.physicalTotal)}` : ''}`;
  $('#stat-container').textContent = health.containerLimit === null || health.containerLimit < 0
    ? 'none' : formatBytes(health.containerLimit);
  $('#stat-budget').textContent = health.budgetReserved === null
    ? '–'
    : `${formatBytes(health.budgetReserved)}${health.budgetCapacity ? ` of ${formatBytes(health.budgetCapacity)}` : ''}`;
  $('#stat-inflight').textContent = inFlightText(health.inFlight);
  $('#stat-counters').textContent = countersText(health.counters);
}

function setState(label, kind) {
  const badge = $('#health-state');
  badge.textContent = label;
  badge.dataset.kind = kind;
}

/** Starts polling the health servlet mapped at {@code health}. */
export function startHealthPanel(url = 'health') {
  const chart = new Chart($('#health-chart'));
  const message = $('#health-message');

  const poll = async () => {
    let next = POLL_MS;
    try {
      const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (response.status === 404) {
        setState('unavailable', 'offline');
        message.textContent = 'The health servlet is not mapped at /health on this server.';
        next = OFFLINE_POLL_MS;
      } else {
        const health = readHealth(await response.json());
        const critical = response.status === 503;
        setState(critical ? 'critical' : 'ok', critical ? 'critical' : 'ok');
        message.textContent = critical ? 'Memory is critical: uploads are streamed or refused until it recovers.' : '';
        show(health);
        chart.add({
          t: Date.now(), heapUsed: health.heapUsed, heapMax: health.heapMax, budget: health.budgetReserved,
        });
      }
    } catch {
      setState('offline', 'offline');
      message.textContent = 'The server does not answer; retrying.';
    }
    window.setTimeout(poll, next);
  };
  poll();
}
