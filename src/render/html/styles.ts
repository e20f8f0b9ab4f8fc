// The report page's stylesheet (inline; the Content-Security-Policy allows inline styles only).
// One light theme and one dark (prefers-color-scheme), system fonts, tabular numbers.

export const PAGE_CSS = String.raw`
:root {
  --bg: #f6f7f9; --panel: #ffffff; --ink: #1b1f24; --muted: #5c6670; --faint: #8a949e; --line: #e3e6ea;
  --accent: #3b5bdb; --accent-soft: #edf2ff; --leak: #d9480f; --leak-soft: #fff4e6; --clean: #2b8a3e; --clean-soft: #ebfbee;
  --note: #5f3dc4; --note-soft: #f3f0ff; --new: #f08c00; --bar: #adb5bd; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 1px 3px rgba(16,24,40,.08);
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #111418; --panel: #1a1e24; --ink: #e6e8eb; --muted: #a3acb6; --faint: #78828c; --line: #2c323a;
    --accent: #91a7ff; --accent-soft: #1f2540; --leak: #ff922b; --leak-soft: #2b1d10; --clean: #69db7c; --clean-soft: #14261a;
    --note: #b197fc; --note-soft: #221c36; --bar: #5c6670; --shadow: none; }
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 var(--sans); }
body { padding-bottom: 48px; }
button { font: inherit; color: inherit; }
.mono, code { font-family: var(--mono); font-size: 12.5px; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--muted); }
.name { unicode-bidi: isolate; overflow-wrap: anywhere; }
.ctl { color: var(--leak); background: var(--leak-soft); border-radius: 3px; padding: 0 2px; font-family: var(--mono); font-size: 11px; }

header.top { position: sticky; top: 0; z-index: 20; display: flex; align-items: center; gap: 16px; padding: 10px 28px;
  background: color-mix(in srgb, var(--panel) 92%, transparent); backdrop-filter: blur(6px); border-bottom: 1px solid var(--line); }
.brand { white-space: nowrap; font-weight: 700; letter-spacing: -.01em; font-size: 15px; }
.brand small { font-weight: 500; color: var(--muted); margin-left: 6px; }
.chips { display: flex; gap: 6px; flex-wrap: nowrap; min-width: 0; overflow: hidden; }
.chip { display: inline-flex; gap: 6px; align-items: baseline; padding: 2px 10px; border: 1px solid var(--line); border-radius: 999px; background: var(--panel); font-size: 12.5px; max-width: 340px; min-width: 0; flex: 0 1 auto; }
.chip b { font-weight: 600; color: var(--muted); text-transform: uppercase; font-size: 10.5px; letter-spacing: .04em; }
.chip span.name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
nav.sections { display: flex; gap: 2px; margin-left: auto; }
nav.sections a { color: var(--muted); text-decoration: none; padding: 4px 10px; border-radius: 6px; font-size: 13px; cursor: pointer; }
nav.sections a:hover { background: var(--accent-soft); color: var(--accent); }
.search { position: relative; }
.search input { width: 260px; padding: 6px 10px 6px 30px; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--ink); font: inherit; }
.search input:focus { outline: 2px solid var(--accent); outline-offset: -1px; background: var(--panel); }
.search::before { content: "⌕"; position: absolute; left: 10px; top: 4px; color: var(--faint); font-size: 16px; }
.results { position: absolute; right: 0; top: 38px; width: 420px; max-height: 420px; overflow: auto; margin: 0; padding: 6px; list-style: none;
  background: var(--panel); border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 10px 30px rgba(0,0,0,.15); }
.results li { padding: 6px 10px; border-radius: 6px; cursor: pointer; display: flex; gap: 8px; align-items: baseline; }
.results li:hover, .results li.active { background: var(--accent-soft); }
.results .tag { font-size: 10.5px; text-transform: uppercase; letter-spacing: .04em; color: var(--faint); width: 46px; flex: none; }
.results .empty { color: var(--muted); cursor: default; }

main { max-width: 1280px; margin: 0 auto; padding: 24px 28px; }
section.block { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; box-shadow: var(--shadow); margin-bottom: 24px; }
section.block > h2 { margin: 0; padding: 14px 20px; font-size: 15px; border-bottom: 1px solid var(--line); display: flex; align-items: center; gap: 12px; }
section.block > h2 .sub { font-weight: 400; color: var(--muted); font-size: 13px; }
.pad { padding: 16px 20px; }

.verdict { padding: 22px 24px 18px; border-left: 5px solid var(--accent); border-radius: 12px 12px 0 0; }
.verdict.leak { border-left-color: var(--leak); background: linear-gradient(90deg, var(--leak-soft), transparent 70%); }
.verdict.clean { border-left-color: var(--clean); background: linear-gradient(90deg, var(--clean-soft), transparent 70%); }
.verdict.note { border-left-color: var(--note); background: linear-gradient(90deg, var(--note-soft), transparent 70%); }
.verdict .label { text-transform: uppercase; letter-spacing: .06em; font-size: 11px; font-weight: 700; color: var(--muted); }
.verdict.leak .label { color: var(--leak); } .verdict.clean .label { color: var(--clean); } .verdict.note .label { color: var(--note); }
.verdict h1 { margin: 4px 0 6px; font-size: 22px; line-height: 1.3; letter-spacing: -.015em; font-weight: 650; }
.verdict p { margin: 2px 0; color: var(--muted); }

ol.suspects { list-style: none; margin: 0; padding: 4px 0 8px; }
li.suspect { padding: 16px 24px; border-top: 1px solid var(--line); display: grid; grid-template-columns: 34px 1fr; gap: 0 12px; }
.rank { width: 28px; height: 28px; border-radius: 50%; background: var(--leak-soft); color: var(--leak); font-weight: 700; display: grid; place-items: center; font-size: 13px; }
.s-head { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.s-title { font-size: 16px; font-weight: 650; margin: 2px 0 0; }
.s-title button.obj { font-weight: 650; font-size: 16px; }
.s-summary { color: var(--muted); }
.sharebar { height: 6px; background: var(--line); border-radius: 3px; margin: 8px 0 10px; max-width: 520px; overflow: hidden; }
.sharebar > div { height: 100%; background: var(--leak); border-radius: 3px; }
.sub-h { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--faint); font-weight: 700; margin: 12px 0 4px; }
.keeps { display: flex; flex-wrap: wrap; gap: 6px; }
.keep { border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; font-size: 12.5px; background: var(--bg); }
.keep b { font-weight: 600; }
.path { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 6px 0; background: var(--bg); }
.path-line { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; margin-top: 4px; }
.path-named { font-size: 13.5px; overflow-wrap: anywhere; margin-bottom: 2px; }
.path-named .mono { font-size: 13px; color: var(--ink); }
.path-preview { font-family: var(--mono); font-size: 12.5px; color: var(--muted); overflow-wrap: anywhere; }
.toggle { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: 1px 8px; font-size: 12px; cursor: pointer; color: var(--accent); white-space: nowrap; }
.toggle:hover { background: var(--accent-soft); }
ol.hops { list-style: none; margin: 6px 0 4px; padding: 0 0 0 6px; border-left: 2px solid var(--line); }
ol.hops li { padding: 2px 0 2px 14px; position: relative; font-size: 13px; }
ol.hops li::before { content: ""; position: absolute; left: -5px; top: 10px; width: 8px; height: 8px; border-radius: 50%; background: var(--panel); border: 2px solid var(--bar); }
ol.hops li.last::before { border-color: var(--leak); background: var(--leak); }
ol.hops .edge { font-family: var(--mono); font-size: 12px; color: var(--accent); margin-right: 6px; }
ol.hops li.fold button { border: 0; background: none; color: var(--faint); cursor: pointer; padding: 0; font-size: 12.5px; }
button.obj { border: 0; background: none; padding: 0; cursor: pointer; color: var(--ink); text-align: left; font: inherit; }
button.obj:hover .lbl { color: var(--accent); text-decoration: underline; }
button.obj .id { color: var(--faint); font-family: var(--mono); font-size: 11.5px; margin-left: 4px; }
.notes { color: var(--faint); font-size: 12.5px; margin-top: 4px; }
.empty-suspects { padding: 14px 24px 18px; color: var(--muted); }

.tm-bar { display: flex; align-items: center; gap: 12px; padding: 10px 20px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.crumbs { display: flex; flex-wrap: wrap; gap: 2px; align-items: center; font-size: 13px; min-width: 0; flex: 1; }
.crumbs button { border: 0; background: none; cursor: pointer; padding: 2px 6px; border-radius: 5px; color: var(--accent); max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.crumbs button:hover { background: var(--accent-soft); }
.crumbs button.current { color: var(--ink); font-weight: 600; }
.crumbs .sep { color: var(--faint); }
.seg { display: inline-flex; border: 1px solid var(--line); border-radius: 7px; overflow: hidden; }
.seg button { border: 0; background: var(--panel); padding: 3px 10px; cursor: pointer; font-size: 12.5px; color: var(--muted); border-left: 1px solid var(--line); }
.seg button:first-child { border-left: 0; }
.seg button.on { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.tm { position: relative; height: 540px; margin: 12px 20px 8px; user-select: none; }
.cell { position: absolute; overflow: hidden; border-radius: 3px; font-size: 11.5px; line-height: 1.25; color: #1b1f24; cursor: pointer; }
.cell.group { background: rgba(127,127,127,.10); border: 1px solid rgba(0,0,0,.12); }
.cell.group > .cap { padding: 2px 6px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--ink); }
.cell.leaf { border: 1px solid rgba(0,0,0,.10); padding: 3px 5px; }
.cell.leaf:hover, .cell.group:hover { outline: 2px solid var(--accent); outline-offset: -2px; z-index: 2; }
.cell.others { background: repeating-linear-gradient(45deg, rgba(127,127,127,.12), rgba(127,127,127,.12) 4px, rgba(127,127,127,.22) 4px, rgba(127,127,127,.22) 8px); color: var(--muted); cursor: default; }
.cell .t { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.cell .s { opacity: .75; white-space: nowrap; }
.legend { display: flex; gap: 14px; align-items: center; font-size: 12px; color: var(--muted); padding: 0 20px 14px; flex-wrap: wrap; }
.legend .sw { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -2px; margin-right: 4px; border: 1px solid rgba(0,0,0,.1); }
.ramp { display: inline-block; width: 120px; height: 10px; border-radius: 3px; vertical-align: -1px; margin: 0 6px; }

.tabs { display: flex; gap: 2px; padding: 8px 16px 0; border-bottom: 1px solid var(--line); }
.tabs button { border: 0; background: none; padding: 8px 12px; cursor: pointer; color: var(--muted); border-bottom: 2px solid transparent; margin-bottom: -1px; font-weight: 500; }
.tabs button.on { color: var(--ink); border-bottom-color: var(--accent); }
.tab-tools { display: flex; gap: 10px; align-items: center; padding: 12px 20px 4px; flex-wrap: wrap; }
.tab-tools input[type=search] { padding: 5px 10px; border: 1px solid var(--line); border-radius: 7px; min-width: 240px; background: var(--bg); color: var(--ink); font: inherit; }
.tab-tools .info { color: var(--muted); font-size: 12.5px; margin-left: auto; }
.classifiers { display: flex; flex-wrap: wrap; gap: 4px; }
.classifiers button { border: 1px solid var(--line); background: var(--panel); border-radius: 999px; padding: 2px 10px; font-size: 12.5px; cursor: pointer; color: var(--muted); }
.classifiers button.on { background: var(--accent); border-color: var(--accent); color: #fff; }
.tablewrap { padding: 4px 20px 16px; overflow-x: auto; }
table.data { border-collapse: collapse; width: 100%; font-size: 13px; }
table.data th { text-align: right; font-weight: 600; color: var(--muted); font-size: 12px; padding: 8px 10px; border-bottom: 1px solid var(--line); cursor: pointer; white-space: nowrap; position: sticky; top: 49px; background: var(--panel); }
table.data th.text { text-align: left; }
table.data th .dir { color: var(--accent); margin-left: 3px; }
table.data td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
table.data td.text { text-align: left; max-width: 620px; }
table.data tr.rest td { color: var(--faint); font-style: italic; }
table.data tr:hover td { background: var(--accent-soft); }
table.data tr.hit td { background: var(--leak-soft); }
td .barcell { display: inline-block; height: 4px; background: var(--accent); opacity: .35; border-radius: 2px; vertical-align: middle; margin-right: 6px; }
.pos { color: var(--leak); } .neg { color: var(--clean); }
.more { margin: 8px 0 0; }
.statgrid { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; padding: 16px 20px 4px; }
.stat { border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.stat .k { color: var(--muted); font-size: 12px; }
.stat .v { font-size: 18px; font-weight: 650; }
.stack { display: flex; height: 26px; border-radius: 6px; overflow: hidden; margin: 12px 20px 4px; border: 1px solid var(--line); }
.stack > div { height: 100%; }

aside.details { position: fixed; top: 0; right: 0; bottom: 0; width: min(480px, 92vw); z-index: 30; background: var(--panel); border-left: 1px solid var(--line);
  box-shadow: -12px 0 30px rgba(0,0,0,.12); overflow-y: auto; transform: translateX(105%); transition: transform .15s ease; }
aside.details.open { transform: none; }
.d-head { position: sticky; top: 0; background: var(--panel); padding: 16px 20px 10px; border-bottom: 1px solid var(--line); }
.d-head .close, .d-head .back { position: absolute; top: 12px; border: 1px solid var(--line); background: var(--panel); border-radius: 6px; cursor: pointer; width: 28px; height: 28px; color: var(--muted); }
.d-head .close { right: 14px; } .d-head .back { right: 48px; }
.d-kicker { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--faint); font-weight: 700; }
.d-title { font-size: 17px; font-weight: 650; margin: 2px 70px 2px 0; overflow-wrap: anywhere; }
.d-name { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
.d-body { padding: 12px 20px 24px; }
dl.facts { display: grid; grid-template-columns: 120px 1fr; gap: 4px 12px; margin: 0 0 8px; font-size: 13px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.d-body h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--faint); margin: 18px 0 6px; }
ul.links { list-style: none; margin: 0; padding: 0; font-size: 13px; }
ul.links li { padding: 3px 0; border-bottom: 1px dashed var(--line); display: flex; gap: 8px; align-items: baseline; }
ul.links .edge { font-family: var(--mono); font-size: 12px; color: var(--accent); flex: none; max-width: 40%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
ul.links .sz { margin-left: auto; color: var(--faint); }
.hint { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; color: var(--muted); font-size: 12.5px; margin-top: 12px; }
.pathtext { font-family: var(--mono); font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
footer { text-align: center; color: var(--faint); font-size: 12px; margin-top: 8px; }
`;
