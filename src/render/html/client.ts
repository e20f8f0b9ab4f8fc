// The report page's script: vanilla JavaScript run by the browser, no framework. It reads the JSON data
// block, draws the answer, the treemap (d3-hierarchy's layout, inlined before this script), the tables
// and the object details. Heap strings are untrusted: every one reaches the page through
// document.createTextNode / textContent or a property such as `title`; nothing is parsed as HTML, no
// URL is built from data, and nothing is fetched (the page's Content-Security-Policy forbids it too).
// Control characters and bidi overrides are shown as visible escapes (`\u202e`), as the text report
// shows them, so a name cannot reorder what is displayed around it.
//
// Kept as a string (no backquotes or dollar-brace inside): it is inlined verbatim and hashed for the CSP.

export const CLIENT_SCRIPT = String.raw`(function () {
'use strict';
var data = JSON.parse(document.getElementById('heapdiff-data').textContent);
var objects = data.objects;
var heapTotal = data.tree.total_size || 1;

// ───────── helpers ─────────
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
function hex(c) { var s = c.charCodeAt(0).toString(16); while (s.length < 4) s = '0' + s; return '\\u' + s; }
// A text node for an untrusted string; control and bidi characters become visible escapes.
function txt(s) {
  s = String(s);
  if (!UNSAFE.test(s)) return document.createTextNode(s);
  UNSAFE.lastIndex = 0;
  var frag = document.createDocumentFragment();
  var last = 0, m;
  while ((m = UNSAFE.exec(s)) !== null) {
    if (m.index > last) frag.appendChild(document.createTextNode(s.slice(last, m.index)));
    var b = document.createElement('span');
    b.className = 'ctl';
    b.textContent = hex(m[0]);
    frag.appendChild(b);
    last = m.index + 1;
  }
  if (last < s.length) frag.appendChild(document.createTextNode(s.slice(last)));
  return frag;
}
function plain(s) { return String(s).replace(UNSAFE, hex); }
// h('div', {className: 'x', title: '...', onclick: fn}, [children...]): strings become text nodes.
function h(tag, props, kids) {
  var e = document.createElement(tag);
  if (props) for (var k in props) {
    if (!Object.prototype.hasOwnProperty.call(props, k) || props[k] === undefined || props[k] === null) continue;
    if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), props[k]);
    else if (k === 'style') { for (var st in props.style) e.style[st] = props.style[st]; }
    else if (k === 'data') { for (var dk in props.data) e.dataset[dk] = String(props.data[dk]); }
    else if (k === 'title') e.title = plain(props[k]);
    else e[k] = props[k];
  }
  add(e, kids);
  return e;
}
function add(e, kids) {
  if (kids === undefined || kids === null) return e;
  if (!Array.isArray(kids)) kids = [kids];
  for (var i = 0; i < kids.length; i++) {
    var c = kids[i];
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? txt(c) : c);
  }
  return e;
}
function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); return e; }
function fmt(n) { return Math.round(n).toLocaleString('en-US'); }
function bytes(n) {
  if (n === null || n === undefined || isNaN(n)) return '';
  var a = Math.abs(n);
  if (a < 1000) return Math.round(n) + ' B';
  var u = ['kB', 'MB', 'GB', 'TB'], v = n / 1000, i = 0;
  while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; }
  return (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + u[i];
}
function pct(x) { return x >= 10 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(1) : x.toFixed(2); }
function sizeSpan(n) { return h('span', { className: 'num', title: fmt(n) + ' bytes' }, bytes(n)); }
// V8's catch-all classes name no kind of object: show the node's own name where it says more.
function labelOf(o) {
  if (!o) return '?';
  if (o.cls === '(system)' || o.cls === '(synthetic)' || o.cls === '(array)') return o.name !== '' ? o.name : (o.type === 'array' ? '(internal array)' : o.type === 'synthetic' ? '(root)' : o.cls);
  return o.cls;
}
function shortName(o) {
  var l = labelOf(o);
  if (!o.name || o.name === l || o.name === o.cls) return '';
  var s = o.name.length > 60 ? o.name.slice(0, 59) + '…' : o.name;
  return o.type && o.type.indexOf('string') >= 0 ? JSON.stringify(s) : s;
}
// A clickable object: its label, its name when it adds something, its id.
function objButton(id, label) {
  var o = objects[id];
  var kids = [h('span', { className: 'lbl name' }, label !== undefined ? label : labelOf(o))];
  if (o && label === undefined) { var sn = shortName(o); if (sn) kids.push(h('span', { className: 'name muted' }, ' ' + sn)); }
  if (label === undefined || String(label).slice(-String(id).length - 1) !== '@' + id) kids.push(h('span', { className: 'id' }, '@' + id));
  return h('button', { className: 'obj', type: 'button', data: { id: id }, onclick: function (ev) { ev.stopPropagation(); showDetails(id); } }, kids);
}
function hashHue(s) { var x = 2166136261; for (var i = 0; i < s.length; i++) { x ^= s.charCodeAt(i); x = Math.imul(x, 16777619); } return ((x >>> 0) % 360); }

// ───────── header ─────────
var MODE = { snapshot: 'Heap snapshot', diff: 'Comparison', leaks: 'Leak detection' };
var body = document.body;
var top = h('header', { className: 'top' }, [
  h('div', { className: 'brand' }, ['heapdiff', h('small', null, MODE[data.mode] || data.mode)]),
  h('div', { className: 'chips' }, data.snapshots.map(function (s) {
    return h('span', { className: 'chip', title: s.name + ': ' + fmt(s.total_size) + ' bytes, ' + fmt(s.nodes) + ' nodes' }, [h('b', null, s.role), h('span', { className: 'name' }, s.name), h('span', { className: 'muted num' }, bytes(s.total_size))]);
  })),
  h('nav', { className: 'sections' }, [navLink('Answer', 'answer'), navLink('Treemap', 'treemap'), navLink('Tables', 'tables')]),
]);
function navLink(label, id) { return h('a', { onclick: function () { document.getElementById(id).scrollIntoView({ behavior: 'smooth' }); } }, label); }
var searchBox = h('input', { type: 'search', placeholder: 'Search class or @id', id: 'search', autocomplete: 'off', spellcheck: false });
var results = h('ul', { className: 'results', hidden: true, id: 'search-results' });
top.appendChild(h('div', { className: 'search' }, [searchBox, results]));
body.appendChild(top);
var main = h('main');
body.appendChild(main);

// ───────── the answer ─────────
var v = data.verdict;
var answer = h('section', { className: 'block', id: 'answer' });
answer.appendChild(h('div', { className: 'verdict ' + v.tone }, [
  h('div', { className: 'label' }, v.tone === 'leak' ? 'Verdict: leak suspected' : v.tone === 'clean' ? 'Verdict: no leak found' : 'Verdict'),
  h('h1', { id: 'headline' }, v.headline),
].concat(v.details.map(function (d) { return h('p', null, d); }))));
var list = h('ol', { className: 'suspects', id: 'suspects' });
data.suspects.forEach(function (s, i) { list.appendChild(suspectItem(s, i)); });
if (data.suspects.length === 0) answer.appendChild(h('div', { className: 'empty-suspects' }, 'Nothing stands out. The treemap and tables below show where the memory is.'));
else answer.appendChild(list);
main.appendChild(answer);

function suspectItem(s, i) {
  var content = h('div', { className: 's-body' });
  var title = s.object !== null ? h('div', { className: 's-title' }, objButton(s.object, s.title)) : h('div', { className: 's-title name' }, s.title);
  add(content, [h('div', { className: 's-head' }, [title, h('span', { className: 's-summary' }, s.summary)])]);
  content.appendChild(h('div', { className: 'sharebar', title: pct(s.retained_percent) + '% of the heap' }, h('div', { style: { width: Math.max(0.5, Math.min(100, s.retained_percent)) + '%' } })));
  if (s.keeps && s.keeps.classes.length) {
    content.appendChild(h('div', { className: 'sub-h', title: s.keeps.note }, 'Keeps'));
    var kp = h('div', { className: 'keeps' });
    s.keeps.classes.forEach(function (c) { kp.appendChild(h('span', { className: 'keep', title: fmt(c.size) + ' bytes' }, [h('b', { className: 'num' }, fmt(c.count) + ' × '), h('span', { className: 'name' }, c.cls || c.class_name), ' ', h('span', { className: 'muted num' }, bytes(c.size))])); });
    if (s.keeps.more) kp.appendChild(h('span', { className: 'keep muted', title: fmt(s.keeps.more.size) + ' bytes' }, '+' + fmt(s.keeps.more.count) + ' more (' + bytes(s.keeps.more.size) + ')'));
    content.appendChild(kp);
  }
  if (s.paths.length) {
    content.appendChild(h('div', { className: 'sub-h' }, s.paths.length === 1 && s.paths[0].count === 1 ? 'Retainer path' : 'Retainer paths'));
    s.paths.forEach(function (p) { content.appendChild(pathBlock(p, s.paths.length > 1 || p.count > 1)); });
  }
  if (s.accumulation) {
    var a = s.accumulation;
    content.appendChild(h('div', { className: 'sub-h' }, 'Where it accumulates'));
    content.appendChild(h('div', null, a.summary));
    if (a.hops) content.appendChild(pathBlock(a.hops, false));
    if (a.by_class.length) {
      var kc = h('div', { className: 'keeps' });
      a.by_class.forEach(function (c) { kc.appendChild(h('span', { className: 'keep' }, [h('b', { className: 'num' }, fmt(c.count) + ' × '), h('span', { className: 'name' }, c.class_name), ' ', h('span', { className: 'muted num' }, bytes(c.retained))])); });
      content.appendChild(kc);
    }
  }
  if (s.instances.length > 1 || (s.instances.length === 1 && s.object === null)) {
    content.appendChild(h('div', { className: 'sub-h' }, 'Biggest instances'));
    var ul = h('ul', { className: 'links' });
    s.instances.forEach(function (id) { ul.appendChild(h('li', null, [objButton(id), h('span', { className: 'sz' }, sizeSpan(objects[id].retained))])); });
    content.appendChild(ul);
  }
  if (s.notes.length) content.appendChild(h('div', { className: 'notes' }, '(' + s.notes.join('; ') + ')'));
  return h('li', { className: 'suspect', data: { rank: i + 1 } }, [h('div', { className: 'rank' }, String(i + 1)), content]);
}

// A retainer path: a one-line preview (from the last global object, as the text report prints it) and,
// on demand, every hop as a clickable row; the engine-internal prefix stays folded until asked for.
function pathBlock(p, counted) {
  var wrap = h('div', { className: 'path' });
  var hopsList = null;
  var btn = h('button', { className: 'toggle', type: 'button', onclick: function () {
    if (hopsList) { hopsList.hidden = !hopsList.hidden; btn.textContent = hopsList.hidden ? 'Show path' : 'Hide path'; return; }
    var raw = wrap.querySelector('.path-preview');
    if (raw) raw.hidden = false;
    hopsList = hopList(p);
    wrap.appendChild(hopsList);
    btn.textContent = 'Hide path';
  } }, 'Show path');
  var line = h('div', { className: 'path-line' }, [
    counted ? h('b', { className: 'num' }, fmt(p.count) + ' object' + (p.count === 1 ? '' : 's')) : null,
    counted ? h('span', { className: 'muted num', title: fmt(p.retained) + ' bytes' }, 'retain ' + bytes(p.retained)) : null,
    btn,
  ]);
  // The path in the program's words (from the variable that holds it), as the text report's "kept by".
  if (p.named) wrap.appendChild(h('div', { className: 'path-named name', title: compactPath(p) }, [h('span', { className: 'muted' }, 'kept by '), h('span', { className: 'mono' }, p.named), p.via_variable ? h('span', { className: 'muted' }, ' (not the shortest path)') : null]));
  wrap.appendChild(h('div', { className: 'path-preview name', hidden: !!p.named }, compactPath(p)));
  wrap.appendChild(line);
  return wrap;
}
function compactPath(p) {
  var shown = p.hops.slice(p.folded);
  var s = '';
  for (var j = 0; j < shown.length; j++) { if (j > 0) s += ' → ' + shown[j].label; else s += shown[j].label; if (j + 1 < shown.length) s += shown[j + 1].edge; }
  return s;
}
function hopList(p) {
  var ol = h('ol', { className: 'hops' });
  function row(x, j) {
    return h('li', { className: j === p.hops.length - 1 ? 'last' : '' }, [x.edge ? h('span', { className: 'edge name' }, x.edge) : null, objButton(x.id, x.label)]);
  }
  if (p.folded > 0) {
    var fold = h('li', { className: 'fold' });
    var b = h('button', { type: 'button', onclick: function () {
      var frag = document.createDocumentFragment();
      for (var j = 0; j < p.folded; j++) frag.appendChild(row(p.hops[j], j));
      ol.replaceChild(frag, fold);
    } }, '⋯ ' + p.folded + ' hop' + (p.folded === 1 ? '' : 's') + ' from the GC roots (engine internals) — show');
    fold.appendChild(b);
    ol.appendChild(fold);
  }
  for (var j = p.folded; j < p.hops.length; j++) ol.appendChild(row(p.hops[j], j));
  return ol;
}

// ───────── treemap ─────────
var tmSection = h('section', { className: 'block', id: 'treemap' });
tmSection.appendChild(h('h2', null, ['Dominator tree', h('span', { className: 'sub' }, 'area = retained size; click a box to look inside it')]));
var crumbs = h('div', { className: 'crumbs', id: 'crumbs' });
var colourBy = data.new_label ? 'new' : 'class';
var seg = h('div', { className: 'seg', id: 'colour-by' });
var tmBar = h('div', { className: 'tm-bar' }, [crumbs, h('span', { className: 'muted' }, 'Colour by'), seg]);
tmSection.appendChild(tmBar);
var tm = h('div', { className: 'tm', id: 'tm' });
tmSection.appendChild(tm);
var legend = h('div', { className: 'legend', id: 'legend' });
tmSection.appendChild(legend);
main.appendChild(tmSection);
function segButtons() {
  clear(seg);
  var opts = [['class', 'Class']];
  if (data.new_label) opts.push(['new', 'New objects']);
  opts.forEach(function (o) { seg.appendChild(h('button', { type: 'button', className: colourBy === o[0] ? 'on' : '', data: { by: o[0] }, onclick: function () { colourBy = o[0]; segButtons(); drawTree(); } }, o[1])); });
}
segButtons();
var focus = [data.tree.root];
function drawCrumbs() {
  clear(crumbs);
  focus.forEach(function (n, i) {
    if (i > 0) crumbs.appendChild(h('span', { className: 'sep' }, '›'));
    var o = objects[n.id];
    var current = i === focus.length - 1;
    crumbs.appendChild(h('button', { type: 'button', className: current ? 'current' : '', title: labelOf(o) + ' @' + n.id + ': ' + fmt(o ? o.retained : 0) + ' bytes', onclick: function () {
      if (current) { showDetails(n.id); return; }
      focus = focus.slice(0, i + 1); drawTree();
    } }, i === 0 ? 'All (' + bytes(o ? o.retained : 0) + ')' : labelOf(o)));
  });
}
function retainedOf(n) { var o = objects[n.id]; return o ? o.retained : 0; }
function fill(n, depth) {
  var o = objects[n.id];
  if (colourBy === 'new') {
    var share = retainedOf(n) > 0 ? Math.min(1, n.n / retainedOf(n)) : 0;
    return 'hsl(' + (210 - 180 * share) + ', ' + (20 + 65 * share) + '%, ' + (86 - 26 * share) + '%)';
  }
  var hue = hashHue(o ? labelOf(o) : '');
  return 'hsl(' + hue + ', 48%, ' + (depth > 1 ? 80 : 74) + '%)';
}
function drawTree() {
  drawCrumbs();
  clear(tm);
  var node = focus[focus.length - 1];
  var W = tm.clientWidth || 1000, H = tm.clientHeight || 540;
  // Two levels below the focus; a node's own part (self size, unshown children) leaves blank room.
  function shape(n, level) {
    var kids = [];
    if (level < 2) {
      n.c.forEach(function (c) { kids.push(shape(c, level + 1)); });
      if (n.o && n.o[1] > 0) kids.push({ others: n.o, value: n.o[1], total: n.o[1], kids: [] });
    }
    var inner = 0;
    kids.forEach(function (k) { inner += k.total; });
    var own = Math.max(0, retainedOf(n) - inner);
    return { ref: n, value: level === 0 ? 0 : own, kids: kids, total: own + inner };
  }
  var root = d3.hierarchy(shape(node, 0), function (d) { return d.kids.length ? d.kids : null; }).sum(function (d) { return d.value; })
    .sort(function (a, b) { return b.value - a.value; });
  d3.treemap().size([W, H]).paddingOuter(2).paddingInner(2).paddingTop(function (d) { return d.depth === 1 && d.children ? 20 : 2; }).round(true)(root);
  var frag = document.createDocumentFragment();
  root.descendants().forEach(function (d) {
    if (d.depth === 0) return;
    var w = d.x1 - d.x0, ht = d.y1 - d.y0;
    if (w < 2 || ht < 2) return;
    var box = { left: d.x0 + 'px', top: d.y0 + 'px', width: w + 'px', height: ht + 'px' };
    if (d.data.others) {
      var oth = d.data.others;
      var oc = h('div', { className: 'cell leaf others', style: box, title: fmt(oth[0]) + ' more children retaining ' + fmt(oth[1]) + ' bytes (not drawn; see heapdiff dominators)' });
      if (w > 50 && ht > 16) add(oc, [h('div', { className: 't' }, fmt(oth[0]) + ' others'), ht > 30 ? h('div', { className: 's' }, bytes(oth[1])) : null]);
      frag.appendChild(oc);
      return;
    }
    var n = d.data.ref, o = objects[n.id];
    var group = !!d.children;
    var cls = 'cell ' + (group ? 'group' : 'leaf');
    var tip = labelOf(o) + (shortName(o) ? ' ' + shortName(o) : '') + ' @' + n.id + '\n' + fmt(retainedOf(n)) + ' bytes retained (' + pct(100 * retainedOf(n) / heapTotal) + '% of the heap)' + (data.new_label ? '\n' + fmt(n.n) + ' bytes ' + data.new_label : '') + (n.k ? '\n' + fmt(n.k) + ' dominated children' : '');
    var cell = h('div', { className: cls, style: box, title: tip, data: { id: n.id } });
    if (!group) cell.style.background = fill(n, d.depth);
    else cell.style.borderColor = fill(n, 1);
    var caption = labelOf(o) + ' ' + bytes(retainedOf(n));
    if (group) { if (w > 40) cell.appendChild(h('div', { className: 'cap name', style: { background: fill(n, 1) } }, caption)); }
    else if (w > 46 && ht > 15) add(cell, [h('div', { className: 't name' }, labelOf(o)), ht > 30 ? h('div', { className: 's' }, bytes(retainedOf(n))) : null]);
    cell.addEventListener('click', function (ev) {
      ev.stopPropagation();
      if (n.c.length > 0) { focus.push(n); if (d.depth === 2) focus.splice(focus.length - 1, 0, d.parent.data.ref); drawTree(); }
      else showDetails(n.id);
    });
    frag.appendChild(cell);
  });
  tm.appendChild(frag);
  drawLegend();
}
function drawLegend() {
  clear(legend);
  if (colourBy === 'new') {
    add(legend, [h('span', null, ['old', h('span', { className: 'ramp', style: { background: 'linear-gradient(90deg, hsl(210,20%,86%), hsl(30,85%,60%))' } }), 'all ' + data.new_label])]);
  } else add(legend, h('span', null, 'Each class has its own hue; boxes with a caption contain their biggest dominated objects.'));
  var node = focus[focus.length - 1];
  add(legend, h('span', { style: { marginLeft: 'auto' } }, [fmt(data.tree.shown) + ' objects drawn of the tree (' + data.tree.children + ' biggest children per node); ', objButton(node.id, 'details of ' + labelOf(objects[node.id]))]));
}
var resizeTimer = 0;
window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(drawTree, 120); });

// ───────── tables ─────────
var tables = h('section', { className: 'block', id: 'tables' });
var tabs = h('div', { className: 'tabs', id: 'tabs' });
var tabBody = h('div', { id: 'tab-body' });
tables.appendChild(tabs);
tables.appendChild(tabBody);
main.appendChild(tables);
var TABS = [];
if (data.diff) TABS.push(['diff', 'Comparison A → B']);
TABS.push(['partition', 'Partition']);
if (data.strings) TABS.push(['strings', 'Duplicated strings']);
TABS.push(['stats', 'Statistics']);
var currentTab = TABS[0][0];
var classifier = 'class';
var filterText = '';
function drawTabs() {
  clear(tabs);
  TABS.forEach(function (t) { tabs.appendChild(h('button', { type: 'button', className: currentTab === t[0] ? 'on' : '', data: { tab: t[0] }, onclick: function () { currentTab = t[0]; filterText = ''; drawTabs(); } }, t[1])); });
  clear(tabBody);
  if (currentTab === 'partition') drawPartition();
  else if (currentTab === 'diff') tabBody.appendChild(tableBlock(data.diff, 'Filter classes', null, 'Objects allocated after A (new) and freed since A (deleted), by class; DevTools’ Comparison view.'));
  else if (currentTab === 'strings') tabBody.appendChild(tableBlock(data.strings.table, 'Filter strings', null, fmt(data.strings.groups) + ' duplicated strings; sharing one copy of each would save ' + bytes(data.strings.wasted) + '.'));
  else drawStats();
}
function drawPartition() {
  var row = h('div', { className: 'classifiers', id: 'classifiers' });
  data.partitions.forEach(function (p) {
    row.appendChild(h('button', { type: 'button', className: p.by === classifier ? 'on' : '', data: { by: p.by }, title: p.title, onclick: function () { classifier = p.by; drawTabs(); } }, p.by));
  });
  tabBody.appendChild(h('div', { className: 'tab-tools' }, [h('span', { className: 'muted' }, 'Group by'), row]));
  var p = data.partitions.filter(function (x) { return x.by === classifier; })[0];
  if (!p.table) { tabBody.appendChild(h('div', { className: 'pad muted' }, p.error || 'Not available for this snapshot.')); return; }
  tabBody.appendChild(tableBlock(p.table, 'Filter kinds', null, fmt(p.objects) + ' objects, ' + bytes(p.size) + ' (self sizes); retained bytes count each kind’s top-most members once.'));
}
// A sortable, filterable table. The last row sums what the payload left out ("N more kinds").
function tableBlock(t, placeholder, onRow, info) {
  var wrap = h('div');
  var sortKey = null, sortDir = -1, limit = 200;
  var textCol = 0;
  var restRow = t.more > 0 ? t.rows[t.rows.length - 1] : null;
  var rows = restRow ? t.rows.slice(0, -1) : t.rows.slice();
  var input = h('input', { type: 'search', placeholder: placeholder, value: filterText, className: 'table-filter', oninput: function () { filterText = input.value; limit = 200; draw(); } });
  var count = h('span', { className: 'info' });
  wrap.appendChild(h('div', { className: 'tab-tools' }, [input, count]));
  if (info) wrap.appendChild(h('div', { className: 'pad muted', style: { paddingTop: '0', paddingBottom: '4px', fontSize: '12.5px' } }, info));
  var holder = h('div', { className: 'tablewrap' });
  wrap.appendChild(holder);
  var maxBytes = {};
  t.columns.forEach(function (c, i) { if (c.type === 'bytes') { var m = 0; rows.forEach(function (r) { if (r[i] > m) m = r[i]; }); maxBytes[i] = m || 1; } });
  function cell(c, val, i) {
    if (val === null || val === undefined) return h('td', { className: c.type === 'text' ? 'text' : '' }, '');
    if (c.type === 'text') return h('td', { className: 'text name' }, val);
    if (c.type === 'id') return h('td', { className: 'mono' }, objects[val] ? objButton(val, '') : '@' + val);
    if (c.type === 'bytes') return h('td', { className: 'num', title: fmt(val) + ' bytes' }, [i === 2 || c.key === 'retained' ? h('span', { className: 'barcell', style: { width: Math.round(40 * val / maxBytes[i]) + 'px' } }) : null, bytes(val)]);
    if (c.type === 'bytes-delta') return h('td', { className: 'num ' + (val > 0 ? 'pos' : val < 0 ? 'neg' : ''), title: fmt(val) + ' bytes' }, (val > 0 ? '+' : '') + bytes(val));
    if (c.type === 'delta') return h('td', { className: 'num ' + (val > 0 ? 'pos' : val < 0 ? 'neg' : '') }, (val > 0 ? '+' : '') + fmt(val));
    if (c.type === 'percent') return h('td', { className: 'num' }, pct(val) + '%');
    return h('td', { className: 'num' }, fmt(val));
  }
  function draw() {
    var q = filterText.toLowerCase();
    var shown = rows.filter(function (r) { return q === '' || String(r[textCol]).toLowerCase().indexOf(q) >= 0; });
    if (sortKey !== null) shown.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      if (typeof x === 'string' || typeof y === 'string') return sortDir * String(x).localeCompare(String(y));
      return sortDir * ((x === null ? -Infinity : x) - (y === null ? -Infinity : y));
    });
    count.textContent = (q ? fmt(shown.length) + ' of ' : '') + fmt(rows.length + (t.more || 0)) + ' rows';
    var table = h('table', { className: 'data' });
    var head = h('tr');
    t.columns.forEach(function (c, i) {
      head.appendChild(h('th', { className: c.type === 'text' ? 'text' : '', data: { key: c.key }, title: 'Sort by ' + c.title, onclick: function () {
        if (sortKey === i) sortDir = -sortDir; else { sortKey = i; sortDir = c.type === 'text' ? 1 : -1; }
        draw();
      } }, [c.title, sortKey === i ? h('span', { className: 'dir' }, sortDir > 0 ? '▲' : '▼') : null]));
    });
    table.appendChild(h('thead', null, head));
    var tb = h('tbody');
    shown.slice(0, limit).forEach(function (r) {
      var tr = h('tr');
      t.columns.forEach(function (c, i) { tr.appendChild(cell(c, r[i], i)); });
      tb.appendChild(tr);
    });
    if (restRow && q === '') {
      var tr = h('tr', { className: 'rest', title: 'Left out of the page; heapdiff partition / diff --all lists them' });
      t.columns.forEach(function (c, i) { tr.appendChild(cell(c, restRow[i], i)); });
      tb.appendChild(tr);
    }
    table.appendChild(tb);
    clear(holder).appendChild(table);
    if (shown.length > limit) holder.appendChild(h('div', { className: 'more' }, h('button', { className: 'toggle', type: 'button', onclick: function () { limit = Infinity; draw(); } }, 'Show all ' + fmt(shown.length) + ' rows')));
  }
  draw();
  wrap.focusFilter = function (text) { input.value = text; filterText = text; draw(); input.focus(); };
  return wrap;
}
var STAT_NAMES = { total: 'Total', v8heap: 'V8 heap', code: 'Code', strings: 'Strings', js_arrays: 'JS arrays', system: 'System objects', other_js: 'Other JS objects', native: 'Native', typed_arrays: 'Typed arrays', other_native: 'Other native', extra_native: 'Extra native bytes' };
var STAT_COLOURS = { code: '#748ffc', strings: '#63e6be', js_arrays: '#ffd43b', system: '#ced4da', other_js: '#ff8787', typed_arrays: '#b197fc', other_native: '#e599f7', extra_native: '#ffa94d' };
function drawStats() {
  var c = data.stats.counts;
  var grid = h('div', { className: 'statgrid' });
  [['Total size', bytes(c.total_size), fmt(c.total_size) + ' bytes'], ['Nodes', fmt(c.node_count)], ['Edges', fmt(c.edge_count)], ['Objects (self size > 0)', fmt(c.summary_objects)], ['Classes', fmt(c.class_count)], ['Strings', fmt(c.string_count)]].forEach(function (s) {
    grid.appendChild(h('div', { className: 'stat', title: s[2] || '' }, [h('div', { className: 'k' }, s[0]), h('div', { className: 'v num' }, s[1])]));
  });
  tabBody.appendChild(grid);
  var cats = {};
  data.stats.categories.forEach(function (x) { cats[x[0]] = x[1]; });
  var parts = ['code', 'strings', 'js_arrays', 'system', 'other_js', 'typed_arrays', 'other_native', 'extra_native'].filter(function (k) { return cats[k] > 0; });
  var total = 0;
  parts.forEach(function (k) { total += cats[k]; });
  var stack = h('div', { className: 'stack', id: 'stats-stack' });
  parts.forEach(function (k) { stack.appendChild(h('div', { title: STAT_NAMES[k] + ': ' + fmt(cats[k]) + ' bytes', style: { width: (100 * cats[k] / (total || 1)) + '%', background: STAT_COLOURS[k] } })); });
  tabBody.appendChild(stack);
  var t = { columns: [{ key: 'k', title: 'Category (DevTools Statistics)', type: 'text' }, { key: 'v', title: 'Size', type: 'bytes' }, { key: 'p', title: '% of total', type: 'percent' }], rows: [], more: 0 };
  data.stats.categories.forEach(function (x) { t.rows.push([STAT_NAMES[x[0]] || x[0], x[1], 100 * x[1] / (cats.total || 1)]); });
  var tb = tableBlock(t, 'Filter categories', null, null);
  tabBody.appendChild(tb);
}
drawTabs();

// ───────── object details ─────────
var panel = h('aside', { className: 'details', id: 'details', 'aria-hidden': 'true' });
body.appendChild(panel);
var history = [];
function showDetails(id, fromBack) {
  var o = objects[id];
  if (!o) return;
  if (!fromBack && panel.dataset.id && panel.classList.contains('open') && panel.dataset.id !== String(id)) history.push(panel.dataset.id);
  panel.dataset.id = String(id);
  clear(panel);
  var head = h('div', { className: 'd-head' }, [
    h('div', { className: 'd-kicker' }, o.type + (o.edges ? '' : ' · summary')),
    h('div', { className: 'd-title name', id: 'details-title' }, [labelOf(o), h('span', { className: 'muted mono', style: { fontSize: '13px', marginLeft: '6px' } }, '@' + id)]),
    o.name && o.name !== labelOf(o) ? h('div', { className: 'd-name name', id: 'details-name' }, o.name) : null,
    history.length ? h('button', { className: 'back', type: 'button', title: 'Back', onclick: function () { showDetails(history.pop(), true); } }, '←') : null,
    h('button', { className: 'close', type: 'button', title: 'Close (Esc)', onclick: closeDetails }, '×'),
  ]);
  panel.appendChild(head);
  var b = h('div', { className: 'd-body' });
  var facts = h('dl', { className: 'facts' });
  function fact(k, val) { if (val === null || val === undefined || val === '') return; facts.appendChild(h('dt', null, k)); facts.appendChild(h('dd', null, val)); }
  fact('Class', h('span', { className: 'name' }, o.cls));
  fact('Self size', h('span', { className: 'num' }, fmt(o.self) + ' bytes'));
  fact('Retained size', h('span', { className: 'num' }, fmt(o.retained) + ' bytes · ' + pct(100 * o.retained / heapTotal) + '% of the heap'));
  fact('Distance', isNaN(o.distance) || o.distance === null ? '' : o.distance < 0 ? 'unreachable' : o.distance >= 100000000 ? 'system + ' + (o.distance - 100000000) : String(o.distance));
  if (o.loc) fact('Location', h('span', { className: 'mono name' }, o.loc));
  if (o.alloc) fact('Allocated at', h('span', { className: 'mono name' }, o.alloc));
  if (o.dom !== undefined && o.dom !== null) fact('Dominator', objects[o.dom] ? objButton(o.dom) : '@' + o.dom);
  b.appendChild(facts);
  if (o.path) { b.appendChild(h('h3', null, 'Shortest retainer path')); b.appendChild(h('div', { className: 'pathtext name' }, o.path)); }
  var chain = dominatorChain(id);
  if (chain) {
    b.appendChild(h('h3', null, 'Dominator chain'));
    var ch = h('div', { className: 'chain' });
    chain.forEach(function (x, j) { if (j > 0) ch.appendChild(h('span', { className: 'sep' }, ' › ')); ch.appendChild(objButton(x)); });
    b.appendChild(ch);
  }
  if (o.edges) {
    b.appendChild(h('h3', null, 'Outgoing edges (' + fmt(o.edges_total) + ')' + (o.edges_total > o.edges.length ? (o.edges_sorted ? ', the ' + o.edges.length + ' retaining most' : ', the first ' + o.edges.length) : '')));
    b.appendChild(linkList(o.edges));
    b.appendChild(h('h3', null, 'Retainers (' + fmt(o.retainers_total) + (o.weak ? ', ' + fmt(o.weak) + ' weak not listed' : '') + ')'));
    if (o.retainers_listed === false) b.appendChild(h('div', { className: 'hint' }, ['Too many to list in the page. Ask heapdiff: ', h('code', null, data.inspect_hint.replace('inspect', 'retainers').replace('ID', String(id)))]));
    else b.appendChild(linkList(o.retainers));
  } else {
    b.appendChild(h('div', { className: 'hint' }, ['Edges and retainers of this object are not in the page (it details the first ' + fmt(data.detailed) + ' objects it shows). Ask heapdiff: ', h('code', null, data.inspect_hint.replace('ID', String(id)))]));
  }
  panel.appendChild(b);
  panel.classList.add('open');
  panel.setAttribute('aria-hidden', 'false');
}
// The drawn tree's ancestors of a node, root first (its dominators), or null for objects off the tree.
var parentOf = null;
function dominatorChain(id) {
  if (!parentOf) {
    parentOf = {};
    (function walk(n) { n.c.forEach(function (c) { parentOf[c.id] = n.id; walk(c); }); })(data.tree.root);
  }
  if (!(id in parentOf)) return null;
  var chain = [id];
  while (chain[0] in parentOf) chain.unshift(parentOf[chain[0]]);
  return chain;
}
function linkList(items) {
  var ul = h('ul', { className: 'links' });
  if (!items.length) ul.appendChild(h('li', { className: 'muted' }, 'none'));
  items.forEach(function (e) {
    var o = objects[e[1]];
    ul.appendChild(h('li', null, [h('span', { className: 'edge name', title: e[0] }, e[0] || '·'), o ? objButton(e[1]) : h('span', { className: 'mono' }, '@' + e[1]), o ? h('span', { className: 'sz' }, sizeSpan(o.retained)) : null]));
  });
  return ul;
}
function closeDetails() { panel.classList.remove('open'); panel.setAttribute('aria-hidden', 'true'); history = []; }
document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') { closeDetails(); results.hidden = true; } });

// ───────── search ─────────
var classRows = (data.partitions.filter(function (p) { return p.by === 'class'; })[0] || {}).table;
var objectList = Object.keys(objects).map(function (k) { return objects[k]; });
var active = -1, hits = [];
function runSearch() {
  var q = searchBox.value.trim();
  clear(results);
  hits = [];
  active = -1;
  if (q === '') { results.hidden = true; return; }
  var m = /^@?(\d+)$/.exec(q);
  if (m) {
    objectList.forEach(function (o) { if (hits.length < 12 && String(o.id).indexOf(m[1]) === 0) hits.push({ kind: 'object', id: o.id }); });
    hits.sort(function (a, b) { return (String(a.id) === m[1] ? -1 : 0) - (String(b.id) === m[1] ? -1 : 0); });
  } else {
    var lq = q.toLowerCase();
    if (classRows) classRows.rows.forEach(function (r, i) {
      if (hits.length < 8 && (i < classRows.rows.length - (classRows.more > 0 ? 1 : 0)) && String(r[0]).toLowerCase().indexOf(lq) >= 0) hits.push({ kind: 'class', name: r[0], count: r[1], size: r[2] });
    });
    var n = 0;
    objectList.forEach(function (o) { if (n < 8 && (labelOf(o).toLowerCase().indexOf(lq) >= 0 || String(o.name).toLowerCase().indexOf(lq) >= 0)) { hits.push({ kind: 'object', id: o.id }); n++; } });
  }
  if (!hits.length) results.appendChild(h('li', { className: 'empty' }, 'No class or shown object matches.'));
  hits.forEach(function (x, i) {
    var li = x.kind === 'class'
      ? h('li', { data: { kind: 'class' }, onclick: function () { pick(i); } }, [h('span', { className: 'tag' }, 'class'), h('span', { className: 'name' }, x.name), h('span', { className: 'muted num', style: { marginLeft: 'auto' } }, fmt(x.count) + ' · ' + bytes(x.size))])
      : h('li', { data: { kind: 'object' }, onclick: function () { pick(i); } }, [h('span', { className: 'tag' }, 'object'), h('span', { className: 'name' }, labelOf(objects[x.id])), h('span', { className: 'mono muted' }, '@' + x.id), h('span', { className: 'muted num', style: { marginLeft: 'auto' } }, bytes(objects[x.id].retained))]);
    results.appendChild(li);
  });
  results.hidden = false;
}
function pick(i) {
  var x = hits[i];
  if (!x) return;
  results.hidden = true;
  if (x.kind === 'object') { showDetails(x.id); return; }
  currentTab = 'partition'; classifier = 'class'; filterText = x.name;
  drawTabs();
  tables.scrollIntoView({ behavior: 'smooth' });
}
searchBox.addEventListener('input', runSearch);
searchBox.addEventListener('keydown', function (ev) {
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    var items = results.querySelectorAll('li');
    if (!hits.length) return;
    active = (active + (ev.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length;
    for (var j = 0; j < items.length; j++) items[j].classList.toggle('active', j === active);
  } else if (ev.key === 'Enter') { pick(active >= 0 ? active : 0); }
});
document.addEventListener('click', function (ev) { if (!results.contains(ev.target) && ev.target !== searchBox) results.hidden = true; });

// ───────── footer ─────────
body.appendChild(h('footer', null, data.tool + ' · generated ' + data.generated.replace('T', ' ').slice(0, 16) + ' UTC · ' + fmt(Object.keys(objects).length) + ' objects described, ' + fmt(data.detailed) + ' in detail · offline page, no network'));
drawTree();
document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
document.documentElement.dataset.ready = '1';
})();
`;
