// tunnelwatch status page: reads only the public REST API (/api/v1) with a bearer token, refreshes every few
// seconds, and counts SA lifetimes down every second in between. No framework, no build step.
const TOKEN_KEY = 'tunnelwatch.token';
const REFRESH_MS = 5000;
const EXPIRING_SOON_S = 300;
const STATE_ORDER = { down: 0, negotiating: 1, up: 2 };

const $ = (id) => document.getElementById(id);
const state = {
  tunnels: [],
  routers: [],
  failedPolls: [],
  events: [],
  fetchedAt: null,
  paused: false,
  // Remediation (docs/remediation.md): the button shows only when the server has it on and the token may use it.
  remediation: { enabled: false, canOperate: false },
  /** Clear-SA actions started from this page, by tunnel id: { status, message }. */
  actions: new Map(),
};
let refreshTimer = null;

// ---- token: from the URL fragment (#token=…, never sent to a server), kept in this tab's sessionStorage ----
function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
  }
}
const token = () => sessionStorage.getItem(TOKEN_KEY);

class Unauthorized extends Error {}

async function api(path) {
  const response = await fetch(path, {
    headers: { authorization: `Bearer ${token()}`, accept: 'application/json' },
  });
  if (response.status === 401)
    throw new Unauthorized((await response.json().catch(() => ({}))).message ?? '');
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(`${response.status} ${body.message ?? response.statusText}`);
  }
  return response.json();
}

async function apiPost(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token()}`,
      accept: 'application/json',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${response.status} ${json.message ?? response.statusText}`);
  return json;
}

/** Every item of a paged list (follows nextCursor). */
async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api(`${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

// ---- filters: the form, mirrored in the query string so a filtered view can be bookmarked ----
function filters() {
  return {
    router: $('filter-router').value,
    state: $('filter-state').value,
    peer: $('filter-peer').value.trim().toLowerCase(),
  };
}
function restoreFilters() {
  const query = new URLSearchParams(location.search);
  $('filter-state').value = query.get('state') ?? '';
  $('filter-peer').value = query.get('peer') ?? '';
  $('filter-router').dataset.wanted = query.get('router') ?? '';
}
function saveFilters() {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters())) if (value) query.set(key, value);
  const search = query.toString();
  history.replaceState(null, '', location.pathname + (search ? `?${search}` : ''));
}

// ---- rendering helpers: text only (textContent), so nothing from the API is ever parsed as HTML ----
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children)
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}
function cell(text, cls) {
  return el('td', cls ? { class: cls } : {}, text ?? '–');
}
function badge(tunnelState) {
  return el('span', { class: `badge state-${tunnelState}` }, tunnelState);
}
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 86400) return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}
function ago(iso) {
  if (!iso) return 'never';
  return `${duration((Date.now() - Date.parse(iso)) / 1000)} ago`;
}
function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
function secondsLeft(tunnel) {
  return tunnel.saExpiresAt ? (Date.parse(tunnel.saExpiresAt) - Date.now()) / 1000 : null;
}
function expiryCell(tunnel) {
  const left = tunnel.state === 'up' ? secondsLeft(tunnel) : null;
  const td = el('td', {
    class: 'num',
    'data-expires': tunnel.state === 'up' && tunnel.saExpiresAt ? tunnel.saExpiresAt : '',
  });
  paintExpiry(td);
  if (left === null) td.textContent = '–';
  return td;
}
function paintExpiry(td) {
  const at = td.dataset.expires;
  if (!at) return;
  const left = (Date.parse(at) - Date.now()) / 1000;
  td.textContent = left <= 0 ? 'expired' : duration(left);
  td.classList.toggle('soon', left < 120);
  td.classList.toggle('warn', left >= 120 && left < EXPIRING_SOON_S);
}
function replaceRows(tbodyId, emptyId, rows) {
  $(tbodyId).replaceChildren(...rows);
  $(emptyId).hidden = rows.length > 0;
}
function setCount(id, n) {
  const node = $(id);
  node.textContent = String(n);
  if (n === 0) node.dataset.zero = '';
  else delete node.dataset.zero;
}

function ikeCell(tunnel) {
  const td = cell(tunnel.ikeVersion);
  if (tunnel.ikeState) td.title = `IKE SA ${tunnel.ikeState}`;
  return td;
}

function describeEvent(event) {
  const d = event.detail ?? {};
  const peer = event.peer ? ` ${event.peer}${event.fvrf ? ` (vrf ${event.fvrf})` : ''}` : '';
  switch (event.kind) {
    case 'state_changed':
      return `${peer.trim()} ${d.from ?? '?'} → ${d.to ?? '?'}`;
    case 'rekeyed':
      return `${peer.trim()} rekeyed (new SPI)`;
    case 'tunnel_discovered':
      return `${peer.trim()} discovered${d.state ? `, ${d.state}` : ''}`;
    case 'configured_peer_vanished':
      return `${peer.trim()} configured peer vanished`;
    case 'tunnel_forgotten':
      return `${peer.trim()} forgotten`;
    case 'host_key_changed':
      return 'SSH host key changed: polls stop until it is accepted';
    case 'remediation':
      return `${d.command ?? 'remediation'} ${d.outcome ?? ''}${d.requestedBy ? ` (by ${d.requestedBy})` : ''}`;
    default:
      return `${event.kind.replaceAll('_', ' ')}${peer}`;
  }
}

// ---- "Clear SAs": clear crypto sa peer X on one tunnel, after a confirmation; the outcome shows in the row ----
const ACTION_LABELS = { queued: 'Queued…', sent: 'Clearing…', succeeded: 'Cleared', failed: 'Failed' };

function actionCell(tunnel) {
  const action = state.actions.get(tunnel.id);
  const busy = action && (action.status === 'queued' || action.status === 'sent');
  const button = el(
    'button',
    { type: 'button', class: 'clear-sa', disabled: Boolean(busy), 'data-tunnel': tunnel.id },
    action ? (ACTION_LABELS[action.status] ?? 'Refused') : 'Clear SAs',
  );
  if (action?.message) button.title = action.message;
  button.addEventListener('click', () => clearSa(tunnel));
  return el('td', {}, button);
}

async function clearSa(tunnel) {
  const where = `${tunnel.peer}${tunnel.fvrf ? ` (vrf ${tunnel.fvrf})` : ''} on ${tunnel.routerName}`;
  if (
    !confirm(
      `Clear the IPsec SAs of ${where}?\nThey are deleted and re-negotiated; traffic pauses meanwhile.`,
    )
  )
    return;
  const set = (status, message) => {
    state.actions.set(tunnel.id, { status, message });
    render();
  };
  try {
    let action = await apiPost(`/api/v1/tunnels/${encodeURIComponent(tunnel.id)}/actions/clear-sa`, {});
    set(action.status, action.command);
    while (action.status === 'queued' || action.status === 'sent') {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      action = await api(`/api/v1/actions/${encodeURIComponent(action.id)}`);
      set(action.status, action.error ?? action.command);
    }
    refresh();
  } catch (error) {
    set('refused', error.message);
  }
}

function render() {
  const f = filters();
  const routerMatches = (name) => !f.router || name === f.router;
  const { tunnels, routers } = state;

  // Router options: keep the selection, add new routers as they appear.
  const select = $('filter-router');
  const wanted = select.dataset.wanted || select.value;
  const names = routers.map((r) => r.name);
  if (
    select.options.length - 1 !== names.length ||
    names.some((n, i) => select.options[i + 1]?.value !== n)
  ) {
    select.replaceChildren(
      el('option', { value: '' }, 'All routers'),
      ...names.map((n) => el('option', { value: n }, n)),
    );
  }
  if (wanted && names.includes(wanted)) {
    select.value = wanted;
    delete select.dataset.wanted;
  }

  // Summary of the whole fleet (filters narrow the tables, not the totals).
  const byState = { up: 0, down: 0, negotiating: 0 };
  for (const t of tunnels) byState[t.state]++;
  setCount('count-up', byState.up);
  setCount('count-down', byState.down);
  setCount('count-negotiating', byState.negotiating);
  const soon = tunnels.filter(
    (t) => t.state === 'up' && secondsLeft(t) !== null && secondsLeft(t) < EXPIRING_SOON_S,
  );
  setCount('count-expiring', soon.length);
  const failing = routers.filter((r) => r.enabled && r.lastPollOk === false);
  setCount('count-failing', failing.length);
  $('failing-label').textContent = `of ${routers.length} routers failing`;

  // Tunnels: down first, then negotiating, then up; by router and peer.
  const shown = tunnels
    .filter((t) => routerMatches(t.routerName) && (!f.state || t.state === f.state))
    .filter((t) => !f.peer || t.peer.toLowerCase().includes(f.peer))
    .sort(
      (a, b) =>
        STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
        a.routerName.localeCompare(b.routerName) ||
        a.peer.localeCompare(b.peer, undefined, { numeric: true }),
    );
  $('tunnel-count').textContent = `(${shown.length} of ${tunnels.length})`;
  const canClear = state.remediation.enabled && state.remediation.canOperate;
  $('actions-col').hidden = !canClear;
  // An ASA's `clear crypto ipsec sa peer X` has no VRF keyword: the server refuses ASA tunnels in a front-door VRF.
  const asa = new Set(routers.filter((r) => r.platform === 'asa').map((r) => r.name));
  const clearable = (t) => !(asa.has(t.routerName) && t.fvrf);
  replaceRows(
    'tunnel-rows',
    'tunnels-empty',
    shown.map((t) =>
      el(
        'tr',
        { 'data-router': t.routerName, 'data-peer': t.peer, 'data-state': t.state },
        el('td', {}, badge(t.state)),
        cell(t.routerName),
        cell(t.peer, 'mono'),
        cell(t.fvrf || 'global'),
        cell(t.interface),
        ikeCell(t),
        expiryCell(t),
        cell(ago(t.lastChangeAt)),
        ...(canClear ? [clearable(t) ? actionCell(t) : cell('')] : []),
      ),
    ),
  );

  // SAs expiring soonest: up tunnels by their newest SA's expiry.
  const expiring = tunnels
    .filter((t) => t.state === 'up' && t.saExpiresAt && routerMatches(t.routerName))
    .sort((a, b) => Date.parse(a.saExpiresAt) - Date.parse(b.saExpiresAt))
    .slice(0, 8);
  replaceRows(
    'expiring-rows',
    'expiring-empty',
    expiring.map((t) => el('tr', {}, cell(t.routerName), cell(t.peer, 'mono'), expiryCell(t))),
  );

  // Failing routers with the reason of their latest failed poll.
  const lastFailure = new Map();
  for (const poll of state.failedPolls)
    if (!lastFailure.has(poll.routerName)) lastFailure.set(poll.routerName, poll);
  replaceRows(
    'failing-rows',
    'failing-empty',
    failing
      .filter((r) => routerMatches(r.name))
      .map((r) => {
        const poll = lastFailure.get(r.name);
        const reason = poll ? (poll.failureReason ?? 'failed') : 'failed';
        const td = cell(reason);
        if (poll?.failureDetail) td.title = poll.failureDetail;
        return el('tr', { 'data-router': r.name }, cell(r.name), td, cell(ago(r.lastSuccessAt)));
      }),
  );

  replaceRows(
    'event-rows',
    'events-empty',
    state.events
      .filter((e) => routerMatches(e.routerName))
      .slice(0, 15)
      .map((e) => el('tr', {}, cell(clock(e.at)), cell(e.routerName), cell(describeEvent(e), 'wrap'))),
  );
}

function tick() {
  for (const td of document.querySelectorAll('td[data-expires]')) paintExpiry(td);
  const live = $('live');
  if (state.fetchedAt && live.dataset.health !== 'stale') {
    live.textContent = state.paused
      ? `Paused · data from ${clock(state.fetchedAt)}`
      : `Live · updated ${clock(state.fetchedAt)}`;
  }
}

async function refresh() {
  clearTimeout(refreshTimer);
  try {
    const routerQuery = filters().router ? `&router=${encodeURIComponent(filters().router)}` : '';
    const [tunnels, routers, failedPolls, events, remediation] = await Promise.all([
      all('/api/v1/tunnels'),
      all('/api/v1/routers'),
      api('/api/v1/polls?status=failed&limit=200').then((p) => p.items),
      api(`/api/v1/events?limit=50${routerQuery}`).then((p) => p.items),
      api('/api/v1/remediation').catch(() => ({ enabled: false, canOperate: false })),
    ]);
    Object.assign(state, {
      tunnels,
      routers,
      failedPolls,
      events,
      remediation,
      fetchedAt: new Date().toISOString(),
    });
    $('live').dataset.health = 'ok';
    render();
    tick();
  } catch (error) {
    if (error instanceof Unauthorized) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn('The token was refused (unknown, expired or revoked). Paste another one.');
      return;
    }
    const live = $('live');
    live.dataset.health = 'stale';
    live.textContent = `Cannot reach the API (${error.message}); retrying. Data from ${state.fetchedAt ? clock(state.fetchedAt) : 'never'}.`;
  }
  // A hidden tab asks nothing: a forgotten tab on a large fleet costs the API nothing until it is looked at.
  if (!state.paused && document.visibilityState !== 'hidden') refreshTimer = setTimeout(refresh, REFRESH_MS);
}

function showSignIn(message = '') {
  clearTimeout(refreshTimer);
  $('dashboard').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('live').textContent = 'Not signed in';
  delete $('live').dataset.health;
  $('token-input').focus();
}

function showDashboard() {
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('sign-out').hidden = false;
  refresh();
}

function start() {
  takeTokenFromFragment();
  restoreFilters();
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token-input').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token-input').value = '';
    showDashboard();
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn();
  });
  $('pause').addEventListener('click', () => {
    state.paused = !state.paused;
    $('pause').setAttribute('aria-pressed', String(state.paused));
    $('pause').textContent = state.paused ? 'Resume updates' : 'Pause updates';
    if (state.paused) clearTimeout(refreshTimer);
    else refresh();
    tick();
  });
  const onFilter = () => {
    saveFilters();
    render();
    tick();
  };
  $('filters').addEventListener('input', onFilter);
  $('filters').addEventListener('change', onFilter);
  // A reset empties the fields after this event: render once they are empty.
  $('filters').addEventListener('reset', () => setTimeout(onFilter));
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  setInterval(tick, 1000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') clearTimeout(refreshTimer);
    else if (!state.paused && !$('dashboard').hidden) refresh();
  });
  if (token()) showDashboard();
  else showSignIn();
}

start();
