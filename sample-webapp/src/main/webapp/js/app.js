// The Spillway sample page: file selection and drag and drop, the upload queue, the list of
// stored files, and the live memory panel.

import {
  UploadQueue, resumeStore, formatBytes, formatDuration,
} from './uploader.js';
import { startHealthPanel } from './health.js';

const $ = (selector, root = document) => root.querySelector(selector);

const queue = new UploadQueue({ maxActive: 2 });
const views = new Map();
const announcer = $('#announcer');

function announce(text) {
  announcer.textContent = '';
  window.setTimeout(() => { announcer.textContent = text; }, 50);
}

// --- choosing files ---------------------------------------------------------------------------

function addFiles(files) {
  for (const file of files) queue.add(file);
}

const input = $('#file-input');
input.addEventListener('change', () => {
  addFiles(input.files);
  input.value = '';
});

const dropZone = $('#drop-zone');
for (const type of ['dragenter', 'dragover']) {
  dropZone.addEventListener(type, (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
}
for (const type of ['dragleave', 'drop']) {
  dropZone.addEventListener(type, () => dropZone.classList.remove('dragging'));
}
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  if (event.dataTransfer && event.dataTransfer.files.length) addFiles(event.dataTransfer.files);
});
// a file dropped next to the zone must not replace the page
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

// --- the queue --------------------------------------------------------------------------------

const STATE_LABELS = {
  queued: 'Queued', uploading: 'Uploading', retrying: 'Retrying', paused: 'Paused',
  done: 'Done', failed: 'Failed', canceled: 'Canceled',
};

queue.addEventListener('added', (event) => {
  const upload = event.detail;
  const item = $('#upload-item').content.firstElementChild.cloneNode(true);
  item.dataset.uploadKey = resumeStore.key(upload.file);
  $('.upload-name', item).textContent = upload.file.name;
  $('.upload-size', item).textContent = formatBytes(upload.file.size);
  $('.upload-mode', item).textContent = upload.chunked ? '5 MiB slices' : 'one request';
  $('.upload-progress', item).setAttribute('aria-label', `Progress of ${upload.file.name}`);
  for (const button of item.querySelectorAll('button[data-action]')) {
    const action = button.dataset.action;
    button.setAttribute('aria-label', `${button.textContent} ${upload.file.name}`);
    button.addEventListener('click', () => {
      if (action === 'remove') {
        queue.remove(upload);
        item.remove();
        views.delete(upload);
        renderQueueEmpty();
        return;
      }
      upload[action]();
      const next = item.querySelector(`button[data-action="${action === 'pause' ? 'resume' : 'pause'}"]`);
      window.requestAnimationFrame(() => {
        if (action === 'pause' || action === 'resume') next.focus();
      });
    });
  }
  $('#queue').append(item);
  views.set(upload, { item, scheduled: false, lastState: null });
  renderQueueEmpty();
  render(upload);
});

queue.addEventListener('change', (event) => {
  const upload = event.detail;
  const view = views.get(upload);
  if (!view || view.scheduled) return;
  view.scheduled = true;
  window.requestAnimationFrame(() => {
    view.scheduled = false;
    render(upload);
  });
});

function render(upload) {
  const view = views.get(upload);
  if (!view) return;
  const { item } = view;
  const { state } = upload;
  item.dataset.state = state;
  item.dataset.percent = String(upload.percent);
  item.dataset.loaded = String(upload.loaded);
  item.dataset.uploadId = upload.uploadId || '';
  item.dataset.resumedFrom = upload.resumedFrom === null ? '' : String(upload.resumedFrom);
  item.dataset.route = upload.result && upload.result.files ? upload.result.files[0].route : '';
  $('.upload-progress', item).value = upload.percent;
  $('.upload-percent', item).textContent = `${upload.percent}%`;
  const { speed } = upload;
  $('.upload-speed', item).textContent = upload.active && speed ? `${formatBytes(speed)}/s` : '';
  const eta = upload.active ? formatDuration(upload.eta) : '';
  $('.upload-eta', item).textContent = eta ? `${eta} left` : '';
  const status = $('.upload-status', item);
  if (state === 'uploading' && upload.loaded >= upload.file.size && upload.file.size > 0) {
    status.textContent = 'Every byte sent; the server is storing the file…';
  } else if (state === 'uploading' && upload.message) {
    status.textContent = upload.message;
  } else {
    status.textContent = `${STATE_LABELS[state]}${upload.message ? ` · ${upload.message}` : ''}`;
  }
  status.classList.toggle('error', state === 'failed' || state === 'retrying');
  const canPause = upload.active || state === 'queued';
  $('[data-action="pause"]', item).hidden = !canPause;
  $('[data-action="resume"]', item).hidden = !upload.resumable;
  $('[data-action="cancel"]', item).hidden = upload.finished;
  $('[data-action="remove"]', item).hidden = !upload.finished;

  if (view.lastState !== state) {
    view.lastState = state;
    if (state === 'done') {
      announce(`${upload.file.name} uploaded.`);
      refreshFiles();
    } else if (state === 'failed') {
      announce(`${upload.file.name} failed: ${upload.message}`);
    }
    renderPending();
  }
}

function renderQueueEmpty() {
  $('#queue-empty').hidden = views.size > 0;
}

// --- unfinished uploads from an earlier visit -------------------------------------------------

function renderPending() {
  const inQueue = new Set(queue.uploads.filter((u) => !u.finished).map((u) => resumeStore.key(u.file)));
  const records = resumeStore.pending().filter((r) => !inQueue.has(resumeStore.key(r)));
  const list = $('#pending-list');
  list.replaceChildren(...records.map((record) => {
    const li = document.createElement('li');
    const percent = record.size ? Math.floor((record.received / record.size) * 100) : 0;
    li.textContent = `${record.name} · ${formatBytes(record.received)} of ${formatBytes(record.size)} (${percent}%)`;
    return li;
  }));
  $('#pending').hidden = records.length === 0;
}

// --- files stored on the server ---------------------------------------------------------------

async function refreshFiles() {
  let files;
  try {
    const response = await fetch('files', { cache: 'no-store' });
    if (!response.ok) throw new Error(`status ${response.status}`);
    ({ files } = await response.json());
  } catch (error) {
    $('#files-empty').textContent = `Could not load the list of stored files (${error.message}).`;
    $('#files-empty').hidden = false;
    return;
  }
  $('#files-body').replaceChildren(...files.map(fileRow));
  $('#files-empty').textContent = 'Nothing stored yet.';
  $('#files-empty').hidden = files.length > 0;
}

function fileRow(file) {
  const row = document.createElement('tr');
  row.dataset.id = file.id;
  row.dataset.sha256 = file.sha256;
  row.dataset.route = file.route;
  const cells = [
    file.name,
    formatBytes(file.size),
    null,
    file.sha256,
  ].map((text) => {
    const cell = document.createElement('td');
    if (text !== null) cell.textContent = text;
    return cell;
  });
  cells[0].className = 'file-name';
  cells[1].className = 'file-size';
  cells[1].title = `${file.size.toLocaleString()} bytes`;
  const badge = document.createElement('span');
  badge.className = `badge route route-${file.route.toLowerCase()}`;
  badge.textContent = file.route;
  badge.title = file.reason;
  cells[2].append(badge);
  cells[3].className = 'file-sha';
  const actions = document.createElement('td');
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'button small';
  remove.textContent = 'Delete';
  remove.setAttribute('aria-label', `Delete ${file.name} from the server`);
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    await fetch(`files/${encodeURIComponent(file.id)}`, { method: 'DELETE' });
    announce(`${file.name} deleted.`);
    refreshFiles();
  });
  actions.append(remove);
  row.append(...cells, actions);
  return row;
}

renderQueueEmpty();
renderPending();
refreshFiles();
startHealthPanel();
