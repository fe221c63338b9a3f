/** Inline style and script of the HTML report: no request leaves the page when it is viewed. */

export const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --excellent: #1a7f37; --good: #0969da; --warning: #9a6700; --poor: #cf222e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23;
  --excellent: #3fb950; --good: #4493f8; --warning: #d29922; --poor: #f85149; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 2rem auto; max-width: 80rem; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2rem; font-size: 1.15rem; }
.muted, caption { color: var(--muted); }
dl.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .75rem; }
dl.summary div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
dl.summary dt { color: var(--muted); font-size: .85rem; } dl.summary dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.columns { display: flex; flex-wrap: wrap; gap: 2rem; } .columns > section { flex: 1 1 20rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--head); position: sticky; top: 0; }
caption { text-align: left; padding: .3rem 0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
.band-excellent { color: var(--excellent); } .band-good { color: var(--good); } .band-warning { color: var(--warning); } .band-poor { color: var(--poor); }
svg .bar-excellent { fill: var(--excellent); } svg .bar-good { fill: var(--good); } svg .bar-warning { fill: var(--warning); } svg .bar-poor { fill: var(--poor); }
svg text { fill: var(--fg); font-size: 13px; }
#products td:nth-child(3) { white-space: nowrap; }
#more { font: inherit; margin: .75rem 0; padding: .3rem .8rem; }
input#filter { font: inherit; padding: .3rem .5rem; width: min(30rem, 100%); margin: .25rem 0 .75rem; }
`;

export const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('product-data').textContent);
  var table = document.getElementById('products');
  var tbody = table.tBodies[0];
  var input = document.getElementById('filter');
  var count = document.getElementById('count');
  var more = document.getElementById('more');
  var PAGE = Number(table.getAttribute('data-page')) || 500;
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var keys = headers.map(function (th) { return th.getAttribute('data-key'); });
  var RANK = { excellent: 4, good: 3, warning: 2, poor: 1 };
  var state = { key: null, dir: 1, query: '', shown: PAGE, rows: data };
  data.forEach(function (p, i) {
    p._order = i;
    p._text = [p.id, p.title, p.brand, p.stage, p.band || 'not scored', p.gaps, p.dup].join(' ').toLowerCase();
  });
  function sortValue(p, key) {
    var v = key === 'band' ? RANK[p.band] : p[key];
    return v === null || v === undefined || v === '' ? null : v;
  }
  function display(key, v) {
    if (key === 'band' && v === null) return 'not scored';
    if (v === null || v === undefined) return '';
    if (v === true) return 'yes';
    if (v === false) return 'no';
    return String(v);
  }
  function compare(a, b) {
    if (state.key === null) return a._order - b._order;
    var x = sortValue(a, state.key), y = sortValue(b, state.key);
    if (x === null || y === null) return x === y ? a._order - b._order : x === null ? 1 : -1;
    var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c * state.dir || a._order - b._order;
  }
  function cell(p, key, i) {
    var td = document.createElement('td');
    td.textContent = display(key, p[key]);
    if (headers[i].classList.contains('num')) td.className = 'num';
    if (key === 'band' && p.band) td.className = 'band-' + p.band;
    return td;
  }
  /* A browser lays out a table of thousands of rows slowly, so rows are shown a page at a time. */
  function show(append) {
    var fragment = document.createDocumentFragment();
    state.rows.slice(append ? tbody.rows.length : 0, state.shown).forEach(function (p) {
      var tr = document.createElement('tr');
      keys.forEach(function (key, i) { tr.appendChild(cell(p, key, i)); });
      fragment.appendChild(tr);
    });
    if (append) tbody.appendChild(fragment);
    else tbody.replaceChildren(fragment);
    var shown = Math.min(state.shown, state.rows.length);
    count.textContent = 'Showing ' + shown + ' of ' + state.rows.length + ' products' +
      (state.query === '' ? '' : ' matching the filter (' + data.length + ' in all)');
    more.hidden = shown >= state.rows.length;
    more.textContent = 'Show ' + Math.min(PAGE, state.rows.length - shown) + ' more';
  }
  function render() {
    var q = state.query;
    state.rows = data.filter(function (p) { return q === '' || p._text.indexOf(q) >= 0; }).sort(compare);
    state.shown = PAGE;
    show();
  }
  headers.forEach(function (th) {
    var button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
      render();
    });
  });
  more.addEventListener('click', function () {
    state.shown += PAGE;
    show(true);
  });
  input.addEventListener('input', function () {
    state.query = input.value.trim().toLowerCase();
    render();
  });
  render();
})();
`;
