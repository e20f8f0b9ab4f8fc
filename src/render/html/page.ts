// The report page: one self-contained HTML file. The data travels as JSON in a non-executed
// `<script type="application/json">` block, with `<`, `>`, `&` and U+2028/U+2029 written as \uXXXX so
// no heap string can close the block or start markup; one inline script (d3-hierarchy's layout, then
// the page's own code) is allowed by its SHA-256 hash in the Content-Security-Policy, which forbids
// every other script, every remote load and every connection. The page makes no network request.

import { createHash } from 'node:crypto';
import { CLIENT_SCRIPT } from './client.js';
import type { ReportPayload } from './payload.js';
import { PAGE_CSS } from './styles.js';
import { D3_HIERARCHY_LICENSE, D3_HIERARCHY_SOURCE, D3_HIERARCHY_VERSION } from './vendor/d3-hierarchy.js';

/**
 * JSON that is safe inside a `<script>` element and in any HTML parser state; bidi controls are escaped
 * too, so viewing the file's source shows them as `\u202e` rather than reordering the text.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The one inline script: the vendored layout library, then the page's code. */
export function pageScript(): string {
  const licence = D3_HIERARCHY_LICENSE.replace(/\*\//g, '* /');
  return `/*! d3-hierarchy ${D3_HIERARCHY_VERSION} (https://d3js.org/d3-hierarchy/)\n${licence}\n*/\n${D3_HIERARCHY_SOURCE}\n;${CLIENT_SCRIPT}`;
}

export function contentSecurityPolicy(script: string): string {
  const hash = createHash('sha256').update(script, 'utf8').digest('base64');
  return `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
}

export function renderPage(payload: ReportPayload): string {
  const script = pageScript();
  // The script is ours, but a closing tag inside it would end it early: refuse rather than ship a broken page.
  if (/<\/script|<!--/i.test(script)) throw new Error('report page script contains </script or <!--');
  const title = `heapdiff report — ${payload.snapshots.map((s) => s.name).join(' → ')}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(script))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(title.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?'))}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<noscript><p style="padding:24px">This heapdiff report draws itself with JavaScript; enable it for this file.</p></noscript>',
    `<script type="application/json" id="heapdiff-data">${embedJson(payload)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
