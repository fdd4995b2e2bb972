// A small reader of udev rules files for where `udevadm verify` is missing (udev 252, Debian
// bookworm, has none): it checks the syntax udev 252's parser enforces for the keys it knows
// (operators, {attr} use, quoting, commas, GOTO targets) and can evaluate the match keys of a
// rule against an event, to follow which events reach a PROGRAM=.

export type Op = '==' | '!=' | '=' | '+=' | '-=' | ':=';

export interface Pair {
  readonly key: string;
  readonly attr?: string;
  readonly op: Op;
  readonly value: string;
}

export interface RuleLine {
  readonly line: number;
  readonly pairs: readonly Pair[];
}

interface KeySpec {
  /** May be used with == and !=. */
  readonly match: boolean;
  /** Which assignment operators it takes. */
  readonly assign: readonly Op[];
  readonly attr: 'required' | 'forbidden' | 'optional';
}

const ALL_ASSIGN: readonly Op[] = ['=', '+=', '-=', ':='];
const m = (attr: KeySpec['attr'] = 'forbidden'): KeySpec => ({ match: true, assign: [], attr });

// From udev 252's udev-rules.c parse_token(): the keys and what each accepts.
const KEYS: Readonly<Record<string, KeySpec>> = {
  ACTION: m(), DEVPATH: m(), KERNEL: m(), KERNELS: m(), SUBSYSTEM: m(), SUBSYSTEMS: m(),
  DRIVER: m(), DRIVERS: m(), ATTRS: m('required'), TAGS: m(), RESULT: m(), CONST: m('required'),
  TEST: m('optional'),
  NAME: { match: true, assign: ['=', ':='], attr: 'forbidden' },
  SYMLINK: { match: true, assign: ALL_ASSIGN, attr: 'forbidden' },
  ENV: { match: true, assign: ALL_ASSIGN, attr: 'required' },
  ATTR: { match: true, assign: ['=', ':='], attr: 'required' },
  SYSCTL: { match: true, assign: ['=', ':='], attr: 'required' },
  TAG: { match: true, assign: ['=', '+=', '-=', ':='], attr: 'forbidden' },
  // PROGRAM= is taken as a match (udev turns any assignment but -= into ==).
  PROGRAM: { match: true, assign: ['=', '+=', ':='], attr: 'forbidden' },
  IMPORT: { match: true, assign: ['=', '+=', ':='], attr: 'required' },
  OWNER: { match: false, assign: ['=', '+=', ':='], attr: 'forbidden' },
  GROUP: { match: false, assign: ['=', '+=', ':='], attr: 'forbidden' },
  MODE: { match: false, assign: ['=', '+=', ':='], attr: 'forbidden' },
  SECLABEL: { match: false, assign: ['=', '+=', ':='], attr: 'required' },
  RUN: { match: false, assign: ['=', '+=', ':='], attr: 'optional' },
  OPTIONS: { match: false, assign: ['=', '+=', ':='], attr: 'forbidden' },
  LABEL: { match: false, assign: ['='], attr: 'forbidden' },
  GOTO: { match: false, assign: ['='], attr: 'forbidden' },
};

const PAIR = /^([A-Z]+)(?:\{([^}]*)\})?\s*(==|!=|\+=|-=|:=|=)\s*"((?:[^"\\]|\\.)*)"/;

export interface ParseResult {
  readonly rules: readonly RuleLine[];
  readonly errors: readonly string[];
}

export function parseRules(text: string): ParseResult {
  const rules: RuleLine[] = [];
  const errors: string[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    let rest = raw.trim();
    if (rest === '' || rest.startsWith('#')) return;
    const pairs: Pair[] = [];
    while (rest.length > 0) {
      const hit = PAIR.exec(rest);
      if (!hit) {
        errors.push(`line ${line}: cannot read a KEY OP "value" pair at: ${rest}`);
        return;
      }
      const [all, key, attr, op, value] = hit as unknown as [string, string, string | undefined, Op, string];
      const problem = checkPair(key, attr, op);
      if (problem) errors.push(`line ${line}: ${problem}`);
      pairs.push({ key, attr, op, value });
      rest = rest.slice(all.length).trim();
      if (rest.startsWith(',')) rest = rest.slice(1).trim();
      else if (rest.length > 0) {
        errors.push(`line ${line}: a comma must separate pairs, before: ${rest}`);
        return;
      }
    }
    rules.push({ line, pairs });
  });
  const labels = rules.map((r, i) => ({ i, p: r.pairs.find((p) => p.key === 'LABEL') }));
  rules.forEach((r, i) => {
    for (const p of r.pairs.filter((q) => q.key === 'GOTO')) {
      // udev jumps forward only; a label before the GOTO is never found.
      if (!labels.some((l) => l.p?.value === p.value && l.i > i)) errors.push(`line ${r.line}: GOTO="${p.value}" has no LABEL after it`);
    }
  });
  return { rules, errors };
}

function checkPair(key: string, attr: string | undefined, op: Op): string | null {
  const spec = KEYS[key];
  if (!spec) return `unknown key ${key}`;
  if (spec.attr === 'required' && !attr) return `${key} needs {attribute}`;
  if (spec.attr === 'forbidden' && attr !== undefined) return `${key} takes no {attribute}`;
  const isMatch = op === '==' || op === '!=';
  if (isMatch && !spec.match) return `${key} cannot be matched (${op})`;
  if (!isMatch && !spec.assign.includes(op)) return `${key} cannot be assigned with ${op}`;
  return null;
}

export interface Event {
  readonly ACTION: string;
  readonly SUBSYSTEM: string;
  readonly KERNEL: string;
  readonly env: Readonly<Record<string, string>>;
}

/** udev's pattern: alternatives split by |, each a shell glob. */
function globMatch(pattern: string, value: string): boolean {
  return pattern.split('|').some((alt) => {
    const re = alt.replace(/[.+^${}()\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${re}$`).test(value);
  });
}

/**
 * Follows the rules for one event, honouring GOTO/LABEL, and returns the PROGRAM= command lines
 * it reaches with %k substituted. Keys other than ACTION, SUBSYSTEM, KERNEL and ENV{} are not
 * evaluated: a rule using them throws, so nothing is guessed.
 */
export function programsFor(rules: readonly RuleLine[], ev: Event): string[] {
  const out: string[] = [];
  let skipTo: string | null = null;
  for (const rule of rules) {
    const label = rule.pairs.find((p) => p.key === 'LABEL');
    if (skipTo !== null) {
      if (label?.value === skipTo) skipTo = null;
      continue;
    }
    let matched = true;
    for (const p of rule.pairs) {
      if (p.op !== '==' && p.op !== '!=') continue;
      const actual = p.key === 'ENV' ? ev.env[p.attr ?? ''] ?? '' : p.key in ev ? ev[p.key as 'ACTION' | 'SUBSYSTEM' | 'KERNEL'] : undefined;
      if (actual === undefined) throw new Error(`line ${rule.line}: cannot evaluate ${p.key}`);
      if (globMatch(p.value, actual) !== (p.op === '==')) matched = false;
    }
    if (!matched) continue;
    const program = rule.pairs.find((p) => p.key === 'PROGRAM');
    if (program) out.push(program.value.replace(/%k|\$kernel/g, ev.KERNEL));
    const jump = rule.pairs.find((p) => p.key === 'GOTO');
    if (jump) skipTo = jump.value;
  }
  return out;
}
