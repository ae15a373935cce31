// The ringcache admin console: polls this node's JSON API once a second and redraws. No
// framework and nothing from another origin (the node's Content-Security-Policy allows 'self'
// only). Data calls: GET /v1/topology?tokens=true, GET /v1/cluster/stats (every member's
// /v1/stats, gathered by this node), GET /v1/caches and /v1/caches/{c}/size every 5 s. Actions
// POST to this node's /v1/admin/drain and /v1/admin/snapshot. The token, when one is typed,
// lives in this script's memory only and goes in an Authorization header.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948',
    '#b07aa1', '#ff9da7', '#9c755f', '#7f7f7f', '#1b9e77', '#d95f02'];
  const TWO_63 = 1n << 63n;
  const HISTORY = 16;

  let token = '';
  let tick = 0;
  const history = [];            // [{epoch, phase, at}], newest last
  const previous = new Map();    // member -> {at, total, counts[]}: the last stats sample
  const colours = new Map();     // member -> colour, stable while the page lives

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function colour(name) {
    if (!colours.has(name)) colours.set(name, PALETTE[colours.size % PALETTE.length]);
    return colours.get(name);
  }

  async function call(method, path) {
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    const res = await fetch(path, { method, headers, cache: 'no-store' });
    const text = await res.text();
    let body;
    try { body = JSON.parse(text); } catch (e) { body = { raw: text }; }
    if (!res.ok) {
      const err = new Error(res.status + ' ' + (body.error || body.status || res.statusText));
      err.status = res.status;
      err.body = body;
      throw err;
    }
    return body;
  }

  // ------------------------------------------------------------------ formatting

  function pct(x) { return (100 * x).toFixed(1) + ' %'; }
  function num(x) { return Number(x).toLocaleString('en-US'); }
  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }
  function micros(us) { return us >= 1000 ? (us / 1000) + ' ms' : us + ' µs'; }
  function seconds(s) {
    if (!isFinite(s)) return '–';
    if (s < 60) return s.toFixed(0) + ' s';
    return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  }

  function cell(field, value, text, cls) {
    const td = el('td', { 'data-field': field, 'data-value': String(value) }, text);
    if (cls) td.className = cls;
    return td;
  }

  // ------------------------------------------------------------------ ring

  /** A signed 64-bit position (decimal string) as a fraction of the circle, from Long.MIN. */
  function fraction(position) {
    return Number((BigInt(position) + TWO_63) >> 11n) / 2 ** 53;
  }

  function point(cx, cy, r, f) {
    const a = 2 * Math.PI * f - Math.PI / 2;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  }

  /**
   * One ring as SVG: every token owns the arc from the token before it (exclusive) to itself
   * (inclusive), drawn in its member's colour; ticks mark the tokens.
   */
  function drawRing(kind, byMember, caption) {
    const size = 300, c = size / 2, r = 118, width = 30;
    const tokens = [];
    for (const [member, positions] of Object.entries(byMember)) {
      for (const p of positions) tokens.push({ member, position: p, f: fraction(p) });
    }
    tokens.sort((a, b) => a.f - b.f);
    const s = svg('svg', { viewBox: `0 0 ${size} ${size}`, width: size, height: size,
      'data-ring': kind, 'data-members': Object.keys(byMember).sort().join(','),
      'data-arcs': tokens.length, role: 'img' });
    s.append(svg('circle', { cx: c, cy: c, r, fill: 'none', stroke: '#eceff3',
      'stroke-width': width }));
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const from = i === 0 ? tokens[tokens.length - 1].f - 1 : tokens[i - 1].f;
      const span = t.f - from;
      const [x1, y1] = point(c, c, r, from);
      const [x2, y2] = point(c, c, r, t.f);
      const d = tokens.length === 1
        ? `M ${c} ${c - r} A ${r} ${r} 0 1 1 ${c - 0.01} ${c - r}`
        : `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${r} ${r} 0 ${span > 0.5 ? 1 : 0} 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
      s.append(svg('path', { d, fill: 'none', stroke: colour(t.member), 'stroke-width': width,
        'data-member': t.member, 'data-token': t.position, class: 'arc' }));
      const [tx1, ty1] = point(c, c, r + width / 2 + 1, t.f);
      const [tx2, ty2] = point(c, c, r + width / 2 + 6, t.f);
      s.append(svg('line', { x1: tx1, y1: ty1, x2: tx2, y2: ty2, stroke: colour(t.member),
        'stroke-width': 1 }));
    }
    const label = svg('text', { x: c, y: c + 5, 'text-anchor': 'middle', 'font-size': 15,
      'font-weight': 600, fill: '#1d2430' });
    label.textContent = Object.keys(byMember).length + ' members';
    s.append(label);
    const fig = el('figure', { 'data-ring': kind });
    fig.append(s, el('figcaption', {}, caption));
    return fig;
  }

  function sameRings(a, b) {
    return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  }

  function renderRings(topo) {
    const box = $('rings');
    const read = (topo.rings && topo.rings.read) || {};
    const write = (topo.rings && topo.rings.write) || {};
    const figures = [];
    if (sameRings(read, write)) {
      figures.push(drawRing('read', read, 'ring (read = write)'));
    } else {
      figures.push(drawRing('read', read, 'read ring'));
      figures.push(drawRing('write', write, 'write ring'));
    }
    box.replaceChildren(...figures);
    box.setAttribute('data-rings', figures.length);
    const names = [...new Set([...Object.keys(read), ...Object.keys(write)])].sort();
    $('legend').replaceChildren(...names.map((n) => {
      const sw = el('span', { class: 'swatch' });
      sw.style.background = colour(n);
      return el('span', { 'data-legend': n }, sw, n);
    }));
  }

  // ------------------------------------------------------------------ header and history

  function renderHeader(topo) {
    const phase = $('phase');
    phase.textContent = topo.phase;
    phase.setAttribute('data-phase', topo.phase);
    const epoch = $('epoch');
    epoch.textContent = topo.epoch;
    epoch.setAttribute('data-epoch', topo.epoch);
    $('rf').textContent = topo.replicationFactor;
    $('answered-by').textContent = topo.answeredBy;
    $('self-name').textContent = topo.answeredBy;
    const last = history[history.length - 1];
    if (!last || last.epoch !== topo.epoch || last.phase !== topo.phase) {
      history.push({ epoch: topo.epoch, phase: topo.phase, at: new Date() });
      if (history.length > HISTORY) history.shift();
      $('history').replaceChildren(...history.map((h) => el('li',
        { 'data-phase': h.phase, 'data-epoch': h.epoch },
        `e${h.epoch} ${h.phase} `, el('span', { class: 'dim' }, h.at.toLocaleTimeString('en-GB')))));
    }
  }

  // ------------------------------------------------------------------ members

  /** ops/s and p99 from the difference of two samples of a member's cumulative counters. */
  function rates(name, stats) {
    const req = stats.requests || {};
    const lat = req.latency || { boundsMicros: [], counts: [] };
    const now = performance.now();
    const prev = previous.get(name);
    previous.set(name, { at: now, total: req.total || 0, counts: lat.counts.slice() });
    if (!prev || now - prev.at < 200) return { ops: null, p99: null };
    const ops = Math.max(0, (req.total - prev.total) * 1000 / (now - prev.at));
    const delta = lat.counts.map((n, i) => n - (prev.counts[i] || 0));
    const all = delta.reduce((a, b) => a + b, 0);
    let p99 = null;
    if (all > 0) {
      let seen = 0;
      for (let i = 0; i < delta.length; i++) {
        seen += delta[i];
        if (seen >= 0.99 * all) {
          p99 = i < lat.boundsMicros.length ? lat.boundsMicros[i] : Infinity;
          break;
        }
      }
    }
    return { ops, p99 };
  }

  function renderMembers(topo, cluster) {
    const rows = [];
    for (const n of topo.nodes) {
      const st = (cluster.nodes || {})[n.name] || {};
      const store = st.store || {};
      const r = st.error ? { ops: null, p99: null } : rates(n.name, st);
      const sw = el('span', { class: 'swatch' });
      sw.style.background = colour(n.name);
      const inRead = topo.readMembers.includes(n.name);
      const inWrite = topo.writeMembers.includes(n.name);
      const link = el('a', { href: `${location.protocol}//${n.host}:${n.httpPort}/ui/` }, 'open');
      rows.push(el('tr', { 'data-member': n.name, 'data-state': n.state },
        el('td', {}, sw, n.name),
        cell('state', n.state, n.state + (st.error ? ' (no stats: ' + st.error + ')' : '')),
        cell('zone', n.zone, n.zone || '–'),
        cell('weight', n.weight, n.weight),
        cell('tokens', n.tokens, n.tokens),
        cell('primaryShare', n.primaryShare, pct(n.primaryShare)),
        cell('replicatedShare', n.replicatedShare, pct(n.replicatedShare)),
        cell('entries', store.entries ?? '', store.entries == null ? '–' : num(store.entries)),
        cell('bytes', store.weightedBytes ?? '', store.weightedBytes == null ? '–' : bytes(store.weightedBytes)),
        cell('hitRatio', store.hitRatio ?? '', store.hitRatio == null ? '–' : pct(store.hitRatio)),
        cell('opsPerSec', r.ops ?? '', r.ops == null ? '…' : r.ops.toFixed(0)),
        cell('p99Micros', r.p99 ?? '', r.p99 == null ? '–' : (r.p99 === Infinity ? '> 8 s' : micros(r.p99))),
        cell('connections', st.connections ? st.connections.open : '',
          st.connections ? st.connections.open : '–'),
        cell('rings', (inRead ? 'read' : '') + (inWrite ? ' write' : ''),
          [inRead ? 'read' : '', inWrite ? 'write' : ''].filter(Boolean).join(' + ') || '–'),
        el('td', {}, link)));
    }
    $('members').replaceChildren(...rows);
  }

  // ------------------------------------------------------------------ rebalance and drain

  function renderProgress(topo, cluster) {
    const rows = [];
    const proofs = [];
    for (const n of topo.nodes) {
      const st = (cluster.nodes || {})[n.name];
      if (!st || !st.rebalance) continue;
      const rb = st.rebalance;
      const secs = rb.transferMillis / 1000;
      const rate = secs > 0 ? rb.outgoingEntriesSent / secs : 0;
      const byteRate = secs > 0 ? rb.outgoingBytesSent / secs : 0;
      const left = Math.max(0, rb.outgoingEntries - rb.outgoingEntriesSent);
      const done = rb.outgoingRanges > 0 && rb.outgoingRangesDone >= rb.outgoingRanges;
      const eta = done ? 0 : (rate > 0 ? left / rate : Infinity);
      rows.push(el('tr', { 'data-progress': n.name },
        el('td', {}, n.name),
        cell('epoch', rb.epoch, rb.epoch),
        cell('phase', rb.phase, rb.phase),
        cell('ranges', rb.outgoingRangesDone, `${rb.outgoingRangesDone} / ${rb.outgoingRanges}`),
        cell('entries', rb.outgoingEntriesSent, `${num(rb.outgoingEntriesSent)} / ${num(rb.outgoingEntries)}`),
        cell('bytes', rb.outgoingBytesSent, bytes(rb.outgoingBytesSent)),
        cell('rate', rate, `${num(Math.round(rate))} entries/s · ${bytes(Math.round(byteRate))}/s`),
        cell('eta', eta, rb.outgoingRanges === 0 ? '–' : (done ? 'done' : seconds(eta))),
        cell('millis', rb.transferMillis, seconds(secs)),
        cell('lastError', rb.lastError, rb.lastError || '', 'text')));
      const p = rb.drainProof;
      if (p) {
        proofs.push(el('div', { class: 'proof', 'data-proof': n.name, 'data-status': p.status },
          el('strong', {}, n.name), ` epoch ${p.epoch}: ${p.status}, `,
          `${p.rangeTargetsMatched} / ${p.rangeTargets} range copies matched over ${p.ranges} ranges, `,
          `${num(p.entries)} entries, digest ${p.digest}, ${p.entriesRepaired} repaired, `,
          `${p.attempts} attempts, ${p.millis} ms`,
          el('ul', {}, ...(p.targets || []).map((t) => el('li', {},
            `→ ${t.node}: ${t.rangesMatched} / ${t.ranges} ranges, ${num(t.entries)} entries, `
            + `digest ${t.digest} vs ${t.targetDigest}${t.error ? ', ' + t.error : ''}`)))));
      }
    }
    $('progress').replaceChildren(...rows);
    if (proofs.length) $('proofs').replaceChildren(...proofs);
  }

  // ------------------------------------------------------------------ caches and hot keys

  async function refreshCaches() {
    const list = await call('GET', '/v1/caches');
    const rows = await Promise.all((list.caches || []).map(async (spec) => {
      let size = '…';
      try {
        size = (await call('GET', `/v1/caches/${encodeURIComponent(spec.name)}/size`)).size;
      } catch (e) {
        size = e.message;
      }
      const settings = Object.entries(spec).filter(([k]) => k !== 'name')
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
      return el('tr', { 'data-cache': spec.name },
        el('td', {}, spec.name), cell('size', size, typeof size === 'number' ? num(size) : size),
        el('td', { class: 'text settings' }, settings));
    }));
    $('caches').replaceChildren(...rows);
  }

  function renderHotKeys(cluster) {
    const all = [];
    for (const [name, st] of Object.entries(cluster.nodes || {})) {
      for (const h of ((st.hotKeys || {}).top || [])) all.push({ ...h, node: name });
    }
    all.sort((a, b) => b.estimatedRequests - a.estimatedRequests);
    $('hot-keys').replaceChildren(...all.slice(0, 10).map((h) => el('tr', { 'data-hot-key': h.key },
      el('td', { class: 'text' }, h.key), el('td', {}, h.cache), el('td', {}, h.node),
      el('td', {}, num(h.estimatedRequests)), el('td', {}, pct(h.share)),
      el('td', {}, h.hot ? 'hot' : ''))));
  }

  // ------------------------------------------------------------------ the loop

  function status(state, text) {
    const s = $('status');
    s.setAttribute('data-state', state);
    s.textContent = text;
  }

  async function refresh() {
    tick++;
    try {
      const [topo, cluster] = await Promise.all([
        call('GET', '/v1/topology?tokens=true'), call('GET', '/v1/cluster/stats')]);
      renderHeader(topo);
      renderRings(topo);
      renderMembers(topo, cluster);
      renderProgress(topo, cluster);
      renderHotKeys(cluster);
      if (tick % 5 === 1) await refreshCaches();
      status('ok', 'live · updated ' + new Date().toLocaleTimeString('en-GB'));
    } catch (e) {
      status('error', e.status === 401 ? 'enter the auth token below (401)' : 'error: ' + e.message);
    }
  }

  async function act(path, question) {
    if (question && !window.confirm(question)) return;
    const out = $('action-result');
    out.textContent = 'POST ' + path + ' …';
    try {
      out.textContent = 'POST ' + path + '\n' + JSON.stringify(await call('POST', path), null, 2);
    } catch (e) {
      out.textContent = 'POST ' + path + ' failed: ' + e.message;
    }
  }

  function start() {
    $('token-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      token = $('token').value.trim();
      refresh();
    });
    $('snapshot').addEventListener('click', () => act('/v1/admin/snapshot'));
    $('drain').addEventListener('click', () => act('/v1/admin/drain',
      'Drain ' + $('self-name').textContent + '? It hands its ranges over and exits.'));
    const loop = async () => {
      await refresh();
      setTimeout(loop, 1000);
    };
    loop();
  }

  start();
}());
