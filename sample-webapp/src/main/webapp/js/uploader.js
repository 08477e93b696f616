// Uploads for the Spillway sample: one multipart request for small files, 5 MiB Content-Range
// slices for large ones (docs/resumable-protocol.md), with pause, resume, cancel, retry with
// backoff, and resume after a page reload through an Upload-Id kept in localStorage.

export const SINGLE_REQUEST_LIMIT = 8 * 1024 * 1024;
export const CHUNK_SIZE = 5 * 1024 * 1024;
export const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 30_000;
const SPEED_WINDOW_MS = 5_000;

const RETRYABLE = new Set([408, 423, 429, 500, 502, 503, 504]);
// statuses that the same file will meet again: trying once more cannot help
const FINAL = new Set([400, 409, 413, 415, 416]);

const STATUS_MESSAGES = {
  400: 'The server could not read this upload.',
  404: 'The server no longer knows this upload.',
  409: 'The file changed while it was uploading. Cancel and choose it again.',
  413: 'This file is larger than the server accepts.',
  415: 'The server does not accept this kind of upload.',
  416: 'The server refused a slice outside the file.',
  423: 'Another tab or window is uploading this file right now.',
  503: 'The server is short of memory right now.',
  507: 'The server does not have enough disk space for this file.',
};

/** An HTTP or network failure, with what the user should read and whether to try again. */
export class UploadError extends Error {
  constructor(message, { status = 0, retryable = false, retryAfterMs = null } = {}) {
    super(message);
    this.name = 'UploadError';
    this.status = status;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

class Aborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'Aborted';
  }
}

// ---------------------------------------------------------------------------------------------
// Upload ids kept across page reloads, keyed by name + size + lastModified of the file.

const STORAGE_PREFIX = 'spillway.upload:';
const RESUME_TTL_MS = 24 * 60 * 60 * 1000;

export const resumeStore = {
  key(file) {
    return STORAGE_PREFIX + JSON.stringify([file.name, file.size, file.lastModified]);
  },
  get(file) {
    try {
      const record = JSON.parse(localStorage.getItem(this.key(file)) || 'null');
      return record && Date.now() - record.updated < RESUME_TTL_MS ? record : null;
    } catch {
      return null;
    }
  },
  save(file, uploadId, received) {
    const record = {
      uploadId, received, name: file.name, size: file.size, lastModified: file.lastModified, updated: Date.now(),
    };
    try {
      localStorage.setItem(this.key(file), JSON.stringify(record));
    } catch {
      // storage full or disabled: resuming after a reload is then not possible, uploading still is
    }
  },
  forget(file) {
    try {
      localStorage.removeItem(this.key(file));
    } catch {
      // nothing to forget
    }
  },
  /** Unfinished uploads, newest first; expired records are dropped. */
  pending() {
    const records = [];
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const key = localStorage.key(i);
        if (!key || !key.startsWith(STORAGE_PREFIX)) continue;
        const record = JSON.parse(localStorage.getItem(key) || 'null');
        if (!record || Date.now() - record.updated >= RESUME_TTL_MS) {
          localStorage.removeItem(key);
        } else {
          records.push(record);
        }
      }
    } catch {
      return [];
    }
    return records.sort((a, b) => b.updated - a.updated);
  },
};

// ---------------------------------------------------------------------------------------------
// One XMLHttpRequest (fetch has no upload progress), as a promise that can be aborted.

function send({ method, url, headers = {}, body = null, onProgress = () => {} }) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => resolve({
      status: xhr.status,
      header: (name) => xhr.getResponseHeader(name),
      text: xhr.responseText,
      json() {
        try {
          return JSON.parse(xhr.responseText);
        } catch {
          return null;
        }
      },
    });
    xhr.onerror = () => reject(new UploadError('The connection to the server was lost.', { retryable: true }));
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => reject(new Aborted());
    xhr.send(body);
  });
  return { promise, abort: () => xhr.abort() };
}

function reasonOf(response) {
  const json = response.json();
  const reason = json && (json.error || json.reason || json.message);
  const text = (typeof reason === 'string' ? reason : response.text || '').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function httpError(response) {
  const { status } = response;
  const base = STATUS_MESSAGES[status] || `The server answered ${status}.`;
  const reason = reasonOf(response);
  const seconds = Number.parseInt(response.header('Retry-After') || '', 10);
  return new UploadError(reason && !reason.startsWith('<') ? `${base} (${reason})` : base, {
    status,
    retryable: RETRYABLE.has(status),
    retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null,
  });
}

function backoffMs(attempt) {
  const exponential = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempt - 1));
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

function contentDisposition(name) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const delay = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// ---------------------------------------------------------------------------------------------

/**
 * One file on its way to the server. States: queued, uploading, retrying, paused, done, failed,
 * canceled. Fires 'change' whenever something visible changed.
 */
export class Upload extends EventTarget {
  static #nextId = 1;

  #run = 0;
  #abort = null;
  #attempt = 0;
  #synced = false;
  #inflight = 0;
  #samples = [];

  constructor(file, { endpoint = 'upload', chunkSize = CHUNK_SIZE, singleRequestLimit = SINGLE_REQUEST_LIMIT } = {}) {
    super();
    this.id = Upload.#nextId++;
    this.file = file;
    this.endpoint = endpoint;
    this.chunkSize = chunkSize;
    this.chunked = file.size > singleRequestLimit;
    this.state = 'queued';
    this.message = '';
    this.confirmed = 0;
    this.uploadId = null;
    this.resumedFrom = null;
    this.result = null;
    this.error = null;
    this.retryAt = null;
    if (this.chunked) {
      const previous = resumeStore.get(file);
      if (previous) {
        this.uploadId = previous.uploadId;
        this.message = 'An earlier upload of this file was found; resuming it.';
      }
    }
  }

  /** Bytes sent so far, counting the request in flight. */
  get loaded() {
    return Math.min(this.file.size, this.confirmed + this.#inflight);
  }

  /** 0 to 100; 100 only once the server has stored the file. */
  get percent() {
    if (this.state === 'done') return 100;
    if (this.file.size === 0) return 0;
    return Math.min(99, Math.floor((this.loaded / this.file.size) * 100));
  }

  /** Bytes per second over the last few seconds, or null when not measurable yet. */
  get speed() {
    if (this.#samples.length < 2 || this.state !== 'uploading') return null;
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    const elapsed = last.t - first.t;
    return elapsed >= 500 ? ((last.bytes - first.bytes) * 1000) / elapsed : null;
  }

  /** Seconds left at the current speed, or null. */
  get eta() {
    const { speed } = this;
    return speed && speed > 0 ? (this.file.size - this.loaded) / speed : null;
  }

  get active() {
    return this.state === 'uploading' || this.state === 'retrying';
  }

  get finished() {
    return this.state === 'done' || this.state === 'failed' || this.state === 'canceled';
  }

  start() {
    if (this.state !== 'queued') return;
    this.#attempt = 0;
    this.#loop(++this.#run);
  }

  pause() {
    if (!this.active && this.state !== 'queued') return;
    this.#stop();
    this.#set('paused', this.chunked
      ? 'The server keeps what it has received.'
      : 'A small file starts again from the beginning.');
  }

  /** Whether resume() can help: paused, or failed for a reason that may pass (network, 503, 507). */
  get resumable() {
    return this.state === 'paused' || (this.state === 'failed' && !FINAL.has(this.error?.status));
  }

  /** Puts a paused or failed upload back in the queue. */
  resume() {
    if (!this.resumable) return;
    this.#synced = false;
    this.error = null;
    this.#set('queued', 'Waiting to continue…');
  }

  cancel() {
    if (this.finished) return;
    this.#stop();
    resumeStore.forget(this.file);
    this.#set('canceled', this.chunked && this.uploadId ? 'The server discards the partial upload when it expires.' : '');
  }

  #stop() {
    this.#run++;
    this.retryAt = null;
    if (this.#abort) this.#abort();
    this.#abort = null;
    this.#inflight = 0;
  }

  #set(state, message) {
    this.state = state;
    if (message !== undefined) this.message = message;
    if (state === 'uploading') this.#samples = [{ t: performance.now(), bytes: this.loaded }];
    this.dispatchEvent(new Event('change'));
  }

  #progress(bytesInFlight) {
    this.#inflight = bytesInFlight;
    const now = performance.now();
    this.#samples.push({ t: now, bytes: this.loaded });
    while (this.#samples.length > 2 && now - this.#samples[0].t > SPEED_WINDOW_MS) this.#samples.shift();
    this.dispatchEvent(new Event('change'));
  }

  async #loop(run) {
    this.#set('uploading', this.uploadId ? 'Asking the server what it already has…' : 'Uploading…');
    for (;;) {
      try {
        if (this.chunked) await this.#sendSlices(run);
        else await this.#sendWhole(run);
        return;
      } catch (error) {
        if (run !== this.#run) return;
        this.#abort = null;
        this.#inflight = 0;
        this.#synced = false;
        if (!(error instanceof UploadError)) {
          this.#fail(new UploadError(`Unexpected problem: ${error.message}`));
          return;
        }
        if (!error.retryable || this.#attempt >= MAX_ATTEMPTS) {
          this.#fail(error);
          return;
        }
        this.#attempt++;
        const wait = error.retryAfterMs ?? backoffMs(this.#attempt);
        this.retryAt = Date.now() + wait;
        this.error = error;
        this.#set('retrying',
          `${error.message} Retrying in ${Math.ceil(wait / 1000)} s (attempt ${this.#attempt} of ${MAX_ATTEMPTS}).`);
        await delay(wait);
        if (run !== this.#run) return;
        this.retryAt = null;
        this.#set('uploading', 'Reconnecting…');
      }
    }
  }

  #fail(error) {
    this.error = error;
    this.#set('failed', error.retryable
      ? `${error.message} Gave up after ${MAX_ATTEMPTS} attempts; press Resume to try again.`
      : error.message);
  }

  async #request(run, options) {
    if (run !== this.#run) throw new Aborted();
    const { promise, abort } = send(options);
    this.#abort = abort;
    try {
      return await promise;
    } finally {
      if (run === this.#run) this.#abort = null;
    }
  }

  async #sendWhole(run) {
    const form = new FormData();
    form.append('file', this.file, this.file.name);
    const response = await this.#request(run, {
      method: 'POST', url: this.endpoint, body: form, onProgress: (bytes) => this.#progress(bytes),
    });
    if (response.status < 200 || response.status > 299) throw httpError(response);
    this.#done(response.json());
  }

  async #sendSlices(run) {
    if (this.uploadId && !this.#synced) await this.#queryStatus(run);
    if (this.state === 'done') return;
    this.#synced = true;
    const { file } = this;
    for (;;) {
      const start = this.confirmed;
      const end = Math.min(start + this.chunkSize, file.size);
      const headers = {
        'Content-Type': 'application/octet-stream',
        'Content-Range': `bytes ${start}-${end - 1}/${file.size}`,
        'Content-Disposition': contentDisposition(file.name),
        'Upload-Field': 'file',
      };
      if (this.uploadId) headers['Upload-Id'] = this.uploadId;
      const response = await this.#request(run, {
        method: 'POST', url: this.endpoint, headers, body: file.slice(start, end), onProgress: (bytes) => this.#progress(bytes),
      });
      this.#inflight = 0;
      if (response.status === 404 && this.uploadId) {
        this.#startOver('The server no longer had the earlier part of this upload; starting again.');
        continue;
      }
      if (response.status < 200 || response.status > 299) throw httpError(response);
      const answer = response.json();
      if (answer && answer.complete === false && typeof answer.received === 'number') {
        this.uploadId = response.header('Upload-Id') || answer.uploadId;
        this.confirmed = answer.received;
        this.#attempt = 0;
        resumeStore.save(file, this.uploadId, this.confirmed);
        this.message = this.resumedFrom ? `Uploading… (resumed at ${formatBytes(this.resumedFrom)})` : 'Uploading…';
        if (this.state !== 'uploading') this.#set('uploading');
        continue;
      }
      this.#done(answer);
      return;
    }
  }

  async #queryStatus(run) {
    const response = await this.#request(run, {
      method: 'POST',
      url: this.endpoint,
      headers: { 'Content-Range': `bytes */${this.file.size}`, 'Upload-Id': this.uploadId },
    });
    if (response.status === 404) {
      this.#startOver('The server no longer had the earlier part of this upload; starting again.');
      return;
    }
    if (response.status < 200 || response.status > 299) throw httpError(response);
    const answer = response.json();
    if (!answer || typeof answer.received !== 'number') {
      throw new UploadError('The server sent an answer this page does not understand.');
    }
    if (answer.complete === true) {
      // the last slice arrived and was stored, but its answer was lost with the connection
      this.resumedFrom = answer.received;
      this.#done(null, 'Stored. The server had every byte before the connection dropped.');
      return;
    }
    this.confirmed = answer.received;
    if (answer.received > 0) this.resumedFrom = answer.received;
    this.#set('uploading', answer.received > 0
      ? `Resuming: the server already has ${formatBytes(answer.received)}.`
      : 'Uploading…');
  }

  #startOver(message) {
    resumeStore.forget(this.file);
    this.uploadId = null;
    this.confirmed = 0;
    this.#set('uploading', message);
  }

  #done(answer, message = 'Stored.') {
    this.result = answer;
    this.#inflight = 0;
    this.confirmed = this.file.size;
    resumeStore.forget(this.file);
    const stored = answer && Array.isArray(answer.files) ? answer.files[0] : null;
    this.#set('done', stored ? `Stored. Route: ${stored.route} (${stored.reason}).` : message);
  }
}

/** Runs uploads in order, at most maxActive at a time. */
export class UploadQueue extends EventTarget {
  constructor({ maxActive = 2, ...options } = {}) {
    super();
    this.maxActive = maxActive;
    this.options = options;
    this.uploads = [];
  }

  add(file) {
    const upload = new Upload(file, this.options);
    upload.addEventListener('change', () => {
      this.#pump();
      this.dispatchEvent(new CustomEvent('change', { detail: upload }));
    });
    this.uploads.push(upload);
    this.dispatchEvent(new CustomEvent('added', { detail: upload }));
    this.#pump();
    return upload;
  }

  remove(upload) {
    upload.cancel();
    this.uploads = this.uploads.filter((u) => u !== upload);
  }

  #pump() {
    let active = this.uploads.filter((u) => u.active).length;
    for (const upload of this.uploads) {
      if (active >= this.maxActive) break;
      if (upload.state === 'queued') {
        active++;
        upload.start();
      }
    }
  }
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds) {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
