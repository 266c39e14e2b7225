// The report as people take it away: JSON (the CLI's --json, schemaVersion 1), a printable HTML page, and a
// short summary for a ticket. Pure functions. The probes already made every server's words data; as a last guard
// every string is cleaned of control and bidi characters again here (common/server-text.ts) — a rule name read
// from a file is text too — and escaped before it goes in HTML.
import type { Check, CheckStatus, DiagnosisReport, Tier } from '../diagnosis/types';
import { followedLines } from '../common/follow-words';
import { SERVER_BLOCK_MAX, serverBlock, serverLine, withoutSteering } from '../common/server-text';

const TIER_TITLE: Record<Tier, string> = { simple: 'Simple', moderate: 'Moderate', advanced: 'Advanced' };
const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  skip: 'Skipped',
  error: 'Error',
};

export function reportToJson(report: DiagnosisReport): string {
  return `${JSON.stringify(withoutSteering(report), null, 2)}\n`;
}

/** A file name without spaces or anything a file system could object to. */
export function reportFileName(report: DiagnosisReport, extension: 'html' | 'json'): string {
  const host = report.target.host.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 60) || 'stream';
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replace(/[:]/g, '-');
  return `stream-doctor-${host}-${stamp}.${extension}`;
}

/** A few lines for a ticket: what was tried, the verdict, the failing checks, the tested URL. */
export function reportSummary(report: DiagnosisReport): string {
  const v = report.verdict;
  const lines = [
    `Stream Doctor ${report.tool.version} — ${report.input.url}`,
    `Tested ${report.startedAt} (${report.durationMs} ms)${report.error ? `, player error ${report.error.hex} ${report.error.name}` : ''}`,
    `Verdict (${v.code}): ${v.summary}`,
    `Why: ${v.reason}`,
    `What to do: ${v.fix}`,
    ...followedLines(report),
  ];
  if (v.suggestedUrl) lines.push(`Tested address: ${v.suggestedUrl}`);
  if (v.adminNote) lines.push(`For the server's administrator: ${v.adminNote}`);
  const problems = report.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
  if (problems.length > 0) {
    lines.push('Checks needing attention:');
    for (const check of problems)
      lines.push(`- [${STATUS_WORD[check.status]}] ${check.title}: ${oneLine(check.summary)}`);
  }
  return `${lines.map((line) => serverLine(line, SERVER_BLOCK_MAX)).join('\n')}\n`;
}

/** Text made safe for HTML: control and bidi characters out (line breaks kept), markup escaped. */
export function escapeHtml(text: string): string {
  return serverBlock(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A self-contained page: no script, no external resource (its own CSP says so), readable when printed. */
export function reportToHtml(report: DiagnosisReport): string {
  const e = escapeHtml;
  const v = report.verdict;
  const tiers = (['simple', 'moderate', 'advanced'] as const)
    .map((tier) => {
      const checks = report.checks.filter((c) => c.tier === tier);
      if (checks.length === 0) return '';
      return `<section><h2>${TIER_TITLE[tier]} checks</h2><ol class="checks">${checks.map(checkHtml).join('')}</ol></section>`;
    })
    .join('\n');
  const probes = report.probes
    .map(
      (p) =>
        `<tr><td>${e(p.protocol.toUpperCase())}</td><td>${p.port}</td><td>${e(p.reachability)}</td><td>${p.speaks ? 'yes' : 'no'}</td><td>${e(p.server ?? '—')}</td><td>${e(p.detail)}</td><td>${p.durationMs} ms</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stream Doctor report — ${e(report.input.url)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<p class="brand">Stream Doctor report</p>
<h1>${e(report.input.url)}</h1>
<dl class="facts">
<dt>Tested</dt><dd>${e(report.startedAt)} (${report.durationMs} ms)</dd>
<dt>Player error</dt><dd>${report.error ? `${e(report.error.hex)} ${e(report.error.name)} — ${e(report.error.meaning)}` : 'not given'}</dd>
<dt>Server</dt><dd>${e(report.target.host)}, port ${report.target.port} (${e(report.target.scheme)})</dd>
<dt>Addresses</dt><dd>${report.dns.addresses.length > 0 ? e(report.dns.addresses.join(', ')) : e(report.dns.error ?? 'none')}</dd>
</dl>
</header>
<main>
<section class="verdict verdict-${e(v.code)}">
<h2>Verdict: ${e(v.summary)}</h2>
<p><strong>Why:</strong> ${e(v.reason)}</p>
<p><strong>What to do:</strong> ${e(v.fix)}</p>
${v.suggestedUrl ? `<p><strong>Tested address:</strong> <code>${e(v.suggestedUrl)}</code></p>` : ''}
${v.adminNote ? `<p><strong>For the server’s administrator:</strong> ${e(v.adminNote)}</p>` : ''}
<p class="code">Verdict code: <code>${e(v.code)}</code></p>
</section>
${followedHtml(report)}
${tiers}
<section><h2>Probes</h2>
<table><thead><tr><th>Protocol</th><th>Port</th><th>Connection</th><th>Speaks it</th><th>Server</th><th>What happened</th><th>Time</th></tr></thead>
<tbody>${probes}</tbody></table>
</section>
</main>
<footer><p>${e(report.tool.name)} ${e(report.tool.version)} · report schema ${report.schemaVersion}</p></footer>
</body>
</html>
`;
}

/** The redirects and playlist entries followed, as escaped text lines (server text is never markup). */
function followedHtml(report: DiagnosisReport): string {
  const lines = followedLines(report);
  return lines.length === 0
    ? ''
    : `<section><h2>Where the address led</h2><pre>${escapeHtml(lines.join('\n'))}</pre></section>`;
}

function checkHtml(check: Check): string {
  const e = escapeHtml;
  return `<li class="check status-${e(check.status)}"><p><span class="status">${STATUS_WORD[check.status]}</span> <strong>${e(check.title)}</strong></p><p>${e(check.summary)}</p>${
    check.command ? `<p class="label">Equivalent command</p><pre>${e(check.command)}</pre>` : ''
  }${check.evidence ? `<p class="label">Evidence</p><pre>${e(check.evidence)}</pre>` : ''}</li>`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

const REPORT_CSS = `
body{font:15px/1.5 "Segoe UI",system-ui,sans-serif;color:#1b2430;background:#fff;margin:0 auto;max-width:60rem;padding:2rem}
h1{font-size:1.5rem;margin:.2rem 0 1rem;word-break:break-all}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
.brand{color:#4a5a6c;text-transform:uppercase;letter-spacing:.08em;font-size:.8rem;margin:0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.facts dt{color:#4a5a6c}.facts dd{margin:0}
.verdict{border:1px solid #c9d3de;border-left:6px solid #2d6cdf;border-radius:8px;padding:.2rem 1.2rem;background:#f6f9fc}
.verdict h2{margin-top:.8rem}.code{color:#4a5a6c;font-size:.9rem}
.checks{list-style:none;padding:0}.check{border-bottom:1px solid #e3e8ee;padding:.5rem 0}.check p{margin:.2rem 0}
.status{display:inline-block;min-width:5.5rem;font-weight:600}
.status-pass .status{color:#1c7c43}.status-warn .status{color:#8a5a00}.status-fail .status,.status-error .status{color:#b42318}.status-skip .status{color:#4a5a6c}
.label{font-size:.8rem;color:#4a5a6c;text-transform:uppercase;letter-spacing:.05em}
pre{white-space:pre-wrap;word-break:break-all;background:#f3f5f8;border-radius:6px;padding:.5rem .7rem;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #dde3ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
footer{margin-top:2rem;color:#4a5a6c;font-size:.85rem}
@media print{body{padding:0}.check,.verdict{break-inside:avoid}}
`;
