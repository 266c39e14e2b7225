/// <reference types="vite/client" />
// One voice for every word the person reads: the strings of words.ts, the text in the components' markup and
// the store's notices. Capitals, full stops, single spaces, and one term for each thing (the glossary below).
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { HelpTopic, Tier, VerdictCode } from '../../electron/ipc/contract';
import type { CheckState } from './run-state';
import * as words from './words';

/**
 * A label names a thing (button, heading, badge): no full stop. A sentence says something: it ends in one.
 * Text is anything else a person reads; a fragment is a piece of a longer phrase (only spacing and terms).
 */
type Kind = 'label' | 'sentence' | 'text' | 'fragment';

interface Phrase {
  where: string;
  kind: Kind;
  text: string;
}

/** The one term for each concept, and the words that must not stand in for it. */
const GLOSSARY: Array<{ use: string; not: RegExp }> = [
  { use: 'address (of a stream) or IP address', not: /\bURLs?\b|\blink address\b/ },
  { use: 'server name', not: /\bhost ?names?\b|\bhosts?\b/i },
  { use: 'computer (this one) or server (the other end)', not: /\bmachines?\b|\bPCs?\b/i },
  { use: 'cancelled', not: /\bcancel(ed|ing)\b/i },
  { use: 'sign in', not: /\blog ?in\b|\blogon\b/i },
  { use: 'Windows Media Player', not: /\bWMP\b|\bMedia Player\b(?<!Windows Media Player)/ },
  { use: 'diagnosis', not: /\bdiagnostics?\b/i },
  { use: 'press (not click: keyboards too)', not: /\bclick\b/i },
  { use: 'for example', not: /\be\.g\.|\bi\.e\./i },
  { use: 'nothing about the command line in the app', not: /\bcommand[- ]line\b|(^|\s)--[a-z]/i },
];

// ---- words.ts: each export with the kind of phrase it holds --------------------------------------------

const TIERS: Tier[] = ['simple', 'moderate', 'advanced'];
const STATES: CheckState[] = ['pending', 'running', 'pass', 'warn', 'fail', 'error', 'skip', 'cancelled'];
const TOPICS: HelpTopic[] = ['wmp-help', 'vlc', 'windows-firewall', 'protocols'];

function wordsPhrases(): Phrase[] {
  const out: Phrase[] = [];
  const add = (where: string, kind: Kind, text: string): void => void out.push({ where, kind, text });
  for (const tier of TIERS) {
    add(`TIER_TITLE.${tier}`, 'label', words.TIER_TITLE[tier]);
    add(`TIER_BLURB.${tier}`, 'sentence', words.TIER_BLURB[tier]);
  }
  for (const state of STATES) add(`STATE_LABEL.${state}`, 'label', words.STATE_LABEL[state]);
  for (const [code, headline] of Object.entries(words.VERDICT_HEADLINE) as Array<
    [VerdictCode, { label: string }]
  >)
    add(`VERDICT_HEADLINE.${code}`, 'label', headline.label);
  for (const topic of TOPICS) add(`HELP_LABEL.${topic}`, 'label', words.HELP_LABEL[topic]);
  add('HELP_WORDS.heading', 'label', words.HELP_WORDS.heading);
  add('HELP_WORDS.forItStaff', 'label', words.HELP_WORDS.forItStaff);
  add('CHECK_WORDS.stopped', 'sentence', words.CHECK_WORDS.stopped);
  add('CHECK_WORDS.took', 'sentence', words.CHECK_WORDS.took('1.5 s'));
  add('CHECK_WORDS.notNeeded', 'label', words.CHECK_WORDS.notNeeded);
  add('CHECK_WORDS.evidence', 'label', words.CHECK_WORDS.evidence);
  add('CHECK_WORDS.command', 'label', words.CHECK_WORDS.command);
  const summary = {
    tone: 'bad',
    total: 9,
    done: 9,
    failed: 1,
    notNeeded: 2,
    couldNotCheck: 1,
    toNote: 1,
    passed: 3,
    skipped: 1,
    stopped: 1,
  } as const;
  add('tierStatusWords', 'label', words.tierStatusWords(summary));
  add('tierStatusWords (running)', 'label', words.tierStatusWords({ ...summary, done: 4 }));
  return out;
}

// ---- components and the store: read from their source ---------------------------------------------------

const SOURCES = import.meta.glob(['./components/*.tsx', './store.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const LABEL_TAGS = new Set(['button', 'h1', 'h2', 'h3', 'h4', 'label', 'summary', 'th']);
const SENTENCE_TAGS = new Set(['p', 'li']);
const LABEL_ATTRIBUTES = new Set(['aria-label', 'label', 'what']);
const SENTENCE_ATTRIBUTES = new Set(['hint']);
/** Stands for a value filled in at run time (a URL, a count, a message from main). */
const SLOT = 'X';

function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((span) => SLOT + span.literal.text).join('');
  return null;
}

/** The strings an expression can evaluate to when it is text: literals, both arms of a ternary, `a && 'b'`. */
function resultStrings(node: ts.Expression): string[] {
  const text = literalText(node);
  if (text !== null) return [text];
  if (ts.isParenthesizedExpression(node)) return resultStrings(node.expression);
  if (ts.isConditionalExpression(node))
    return [...resultStrings(node.whenTrue), ...resultStrings(node.whenFalse)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    return resultStrings(node.right);
  return [];
}

function tagName(node: ts.JsxElement): string {
  return node.openingElement.tagName.getText();
}

/** JSX text as React renders it: line breaks with their indentation vanish, other lines join with a space. */
function renderedJsxText(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  if (lines.length === 1) return raw;
  return lines
    .map((line, i) => {
      const start = i > 0 ? line.replace(/^[ \t]+/, '') : line;
      return i < lines.length - 1 ? start.replace(/[ \t]+$/, '') : start;
    })
    .filter((line) => line !== '')
    .join(' ');
}

/**
 * A span inside a label or sentence carries a piece of that phrase, not a phrase of its own; so does a span only
 * screen readers hear, which continues the label it sits in.
 */
function isPieceOfPhrase(node: ts.JsxElement): boolean {
  if (tagName(node) !== 'span') return false;
  if (/visually-hidden/.test(node.openingElement.attributes.getText())) return true;
  const parent = node.parent;
  return ts.isJsxElement(parent) && (LABEL_TAGS.has(tagName(parent)) || SENTENCE_TAGS.has(tagName(parent)));
}

function sourcePhrases(file: string, source: string): Phrase[] {
  const out: Phrase[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const add = (kind: Kind, text: string): void => void out.push({ where: file, kind, text });
  const visit = (node: ts.Node): void => {
    if (ts.isJsxElement(node)) {
      const tag = tagName(node);
      const className = node.openingElement.attributes.properties
        .filter((a) => ts.isJsxAttribute(a) && a.name.getText() === 'className')
        .map((a) => a.getText())
        .join(' ');
      const kind: Kind = isPieceOfPhrase(node)
        ? 'fragment'
        : LABEL_TAGS.has(tag) || /eyebrow|label/.test(className)
          ? 'label'
          : SENTENCE_TAGS.has(tag)
            ? 'sentence'
            : 'text';
      // The element's own words, with every expression or child element as a slot.
      const raw = node.children
        .map((child) => {
          if (ts.isJsxText(child)) return renderedJsxText(child.text);
          if (ts.isJsxExpression(child) && child.expression) {
            const text = literalText(child.expression);
            return text ?? SLOT;
          }
          return SLOT;
        })
        .join('');
      const joined = raw.trim();
      // Text that opens with a space continues the element before it ("<code>a</code> redirects to").
      const own: Kind = kind === 'text' && /^\s/.test(raw) ? 'fragment' : kind;
      if (/[a-z]/i.test(joined.replaceAll(SLOT, ''))) add(own, joined);
      // Text chosen at run time: the whole phrase when it is the element's only content, else a piece of it.
      const alone = joined === SLOT;
      for (const child of node.children)
        if (ts.isJsxExpression(child) && child.expression && literalText(child.expression) === null)
          for (const text of resultStrings(child.expression))
            if (text !== '') add(alone ? kind : 'fragment', text);
    }
    if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText();
      const kind: Kind | null = LABEL_ATTRIBUTES.has(name)
        ? 'label'
        : SENTENCE_ATTRIBUTES.has(name)
          ? 'sentence'
          : null;
      const init = node.initializer;
      const texts = ts.isStringLiteral(init)
        ? [init.text]
        : ts.isJsxExpression(init) && init.expression
          ? resultStrings(init.expression)
          : [];
      if (kind) for (const text of texts) add(kind, text);
    }
    // Sentences worked out before the markup (the wizard's status line and what screen readers hear).
    if (
      ts.isVariableDeclaration(node) &&
      node.initializer &&
      /(text|announcement|message)$/i.test(node.name.getText())
    )
      for (const text of resultStrings(node.initializer)) add('sentence', text);
    // The store's notices and explanations: whole sentences written as literals.
    if (file.endsWith('store.ts')) {
      const text = literalText(node);
      if (text !== null && /^[A-Z]/.test(text) && text.includes(' ') && !ts.isTemplateHead(node))
        add('sentence', text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const PHRASES: Phrase[] = [
  ...wordsPhrases(),
  ...Object.entries(SOURCES).flatMap(([file, source]) => sourcePhrases(file, source)),
];

function problemsOf(phrase: Phrase): string[] {
  const { text, kind } = phrase;
  const problems: string[] = [];
  if (/ {2}/.test(text)) problems.push('a doubled space');
  for (const term of GLOSSARY) if (term.not.test(text)) problems.push(`say “${term.use}”`);
  if (kind === 'fragment') return problems;
  if (text !== text.trim() && kind !== 'text') problems.push('a space at an end');
  if (/ [.,;:?!]/.test(text)) problems.push('a space before punctuation');
  // A phrase that opens with a dash continues the one before it: no capital needed.
  const start = text.trim().replace(/^[“"(⚠ ]+/, '');
  if (!/^([A-Z0-9—]|X\b|(mms|rtsp|http)s?:\/\/|0x)/.test(start)) problems.push('no capital at the start');
  const end = text.trim();
  if (kind === 'sentence' && !/([.?…]|X|\))$/.test(end)) problems.push('no full stop at the end');
  if (kind === 'label' && /[^.]\.$/.test(end)) problems.push('a full stop after a label');
  return problems;
}

describe('one voice', () => {
  it('finds the strings it checks (words.ts, the markup of every component, the store)', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThanOrEqual(10);
    const texts = PHRASES.map((p) => p.text);
    // Spot checks that each source is read: a word, a component's markup and attribute, a notice.
    expect(texts).toContain('A working address was found');
    expect(texts).toContain('Keep a record');
    expect(texts).toContain('Copy summary for a ticket');
    expect(texts).toContain('Cancelled. Nothing is running any more.');
    expect(texts).toContain('Summary copied to the clipboard — paste it into your ticket.');
    expect(PHRASES.filter((p) => p.where.endsWith('StartScreen.tsx')).length).toBeGreaterThan(10);
  });

  it('the checker catches what it is meant to catch', () => {
    const bad: Phrase[] = [
      { where: 't', kind: 'sentence', text: 'the server answers' },
      { where: 't', kind: 'label', text: 'Copy  the URL.' },
      { where: 't', kind: 'text', text: 'Canceled on this machine' },
    ];
    expect(bad.map((p) => problemsOf(p).sort())).toEqual([
      ['no capital at the start', 'no full stop at the end'],
      ['a doubled space', 'a full stop after a label', 'say “address (of a stream) or IP address”'],
      ['say “cancelled”', 'say “computer (this one) or server (the other end)”'],
    ]);
  });

  it('every user-facing string has capitals, full stops, single spaces and the glossary’s terms', () => {
    const found = PHRASES.map((p) => ({ ...p, problems: problemsOf(p) })).filter(
      (p) => p.problems.length > 0,
    );
    expect(found.map((p) => `${p.where} [${p.kind}] “${p.text}”: ${p.problems.join(', ')}`)).toEqual([]);
  });
});
