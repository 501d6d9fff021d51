/**
 * Turns one module's Stryker results into the figures MUTATION.md shows, and
 * renders MUTATION.md's generated part from `results.json`.
 *
 * How mutants are counted:
 * - killed: a covering test failed on an assertion or on an error the mutant
 *   made the code throw (the failure message names the error class);
 * - test timeouts: a test failed only because it ran out of its own mocha
 *   time (`this.timeout(…)`): the mutant changed nothing a test asserts, it
 *   just made something slow or hang;
 * - hangs: Stryker stopped the run (its own timeout, or the hit limit of an
 *   endless loop);
 * - survived: every covering test passed; no coverage: no test reached it;
 * - static (not run): reached only while the test files load and not
 *   found again by the second pass (none expected), left out of the score;
 * - errors: the mutant could not run at all (Stryker's compile and runtime
 *   errors), left out as Stryker leaves them out.
 * The score counts only the killed: killed / (killed + test timeouts + hangs +
 * survived + no coverage). Beside it: the same without the survivors judged
 * equivalent (`equivalent.ts`), and Stryker's own score, which counts
 * timeouts as killed.
 */
import type { MutantResult } from '@stryker-mutator/api/core';
import { equivalentReason } from './equivalent.js';

/** One surviving, uncovered or hanging mutant, as MUTATION.md lists it. */
export interface SurvivorEntry {
  /** 1-based line and column in the source. */
  readonly line: number;
  readonly column: number;
  /** Stryker's mutator name, e.g. `EqualityOperator`. */
  readonly mutator: string;
  /** The source text the mutant replaces (one line, trimmed to 80 characters). */
  readonly original: string;
  /** The replacement (one line, trimmed to 80 characters). */
  readonly replacement: string;
  /** `Survived`, `NoCoverage` or `Hang`. */
  readonly status: string;
}

/** The figures of one module's last run. */
export interface ModuleSummary {
  readonly source: string;
  readonly tests: readonly string[];
  /** ISO date (day) of the run. */
  readonly date: string;
  /** Short commit hash the run started from, with `+` when src/ or test/ had uncommitted changes. */
  readonly commit: string;
  readonly mutants: number;
  readonly killed: number;
  /** Of `killed`: how many by an error other than an assertion. */
  readonly killedByError: number;
  readonly testTimeouts: number;
  readonly hangs: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly errors: number;
  /** Mutants reached only at load time that no pass ran (Stryker's "Ignored"). */
  readonly staticSkipped: number;
  /** killed / valid, in percent, one decimal. */
  readonly score: number;
  /** Stryker's score ((killed + timeouts) / valid), in percent, one decimal. */
  readonly strykerScore: number;
  readonly survivors: readonly SurvivorEntry[];
}

/** The committed record of every module's last run (`scripts/mutation/results.json`). */
export type MutationResults = Record<string, ModuleSummary>;

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

function excerpt(sourceText: string, m: MutantResult): string {
  const lines = sourceText.split('\n');
  const { start, end } = m.location;
  if (start.line === end.line) return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  const first = lines[start.line - 1]!.slice(start.column - 1);
  const last = lines[end.line - 1]!.slice(0, end.column - 1);
  return [first, ...lines.slice(start.line, end.line - 1), last].join('\n');
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.floor((part / whole) * 1000) / 10;
}

function entry(sourceText: string, m: MutantResult, status: string): SurvivorEntry {
  return {
    line: m.location.start.line,
    column: m.location.start.column,
    mutator: m.mutatorName,
    original: oneLine(excerpt(sourceText, m)),
    replacement: oneLine(m.replacement ?? ''),
    status,
  };
}

/** Counts one module's results (the mutants of `source` only). */
export function summarise(
  source: string,
  sourceText: string,
  tests: readonly string[],
  results: readonly MutantResult[],
  date: string,
  commit: string,
): ModuleSummary {
  let killed = 0;
  let killedByError = 0;
  let testTimeouts = 0;
  let hangs = 0;
  let survived = 0;
  let noCoverage = 0;
  let errors = 0;
  let staticSkipped = 0;
  const survivors: SurvivorEntry[] = [];
  for (const m of results) {
    switch (m.status) {
      case 'Killed': {
        const reason = m.statusReason ?? '';
        if (reason.startsWith('mocha timeout:')) testTimeouts++;
        else {
          killed++;
          if (!reason.startsWith('AssertionError')) killedByError++;
        }
        break;
      }
      case 'Timeout':
        hangs++;
        survivors.push(entry(sourceText, m, 'Hang'));
        break;
      case 'Survived':
      case 'NoCoverage':
        if (m.status === 'Survived') survived++;
        else noCoverage++;
        survivors.push(entry(sourceText, m, m.status));
        break;
      case 'Ignored':
        staticSkipped++;
        break;
      case 'CompileError':
      case 'RuntimeError':
        errors++;
        break;
      default:
        break;
    }
  }
  survivors.sort((a, b) => a.line - b.line || a.column - b.column);
  const valid = killed + testTimeouts + hangs + survived + noCoverage;
  return {
    source,
    tests,
    date,
    commit,
    mutants: results.length,
    killed,
    killedByError,
    testTimeouts,
    hangs,
    survived,
    noCoverage,
    errors,
    staticSkipped,
    score: percent(killed, valid),
    strykerScore: percent(killed + testTimeouts + hangs, valid),
    survivors,
  };
}

function reasonOf(module: string, s: SurvivorEntry): string | undefined {
  return equivalentReason(module, s.mutator, s.original, s.replacement);
}

function cell(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

/** The generated part of MUTATION.md: the score table and each module's survivors. */
export function renderResults(results: MutationResults, order: readonly string[]): string {
  const names = [...order.filter((n) => results[n]), ...Object.keys(results).filter((n) => !order.includes(n))];
  const out: string[] = [];
  out.push(
    '| module | mutants | killed (of which by an error) | test timeouts | hangs | survived | no coverage | static (not run) | errors | score | judged equivalent | score without them | Stryker score | run on | commit |',
  );
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const name of names) {
    const r = results[name]!;
    const equivalent = r.survivors.filter((s) => s.status !== 'Hang' && reasonOf(name, s) !== undefined).length;
    const valid = r.killed + r.testTimeouts + r.hangs + r.survived + r.noCoverage;
    out.push(
      `| \`${name}\` | ${r.mutants} | ${r.killed} (${r.killedByError}) | ${r.testTimeouts} | ${r.hangs} | ${r.survived} | ${r.noCoverage} | ${r.staticSkipped} | ${r.errors} | **${r.score.toFixed(1)} %** | ${equivalent} | ${percent(r.killed, valid - equivalent).toFixed(1)} % | ${r.strykerScore.toFixed(1)} % | ${r.date} | ${r.commit} |`,
    );
  }
  for (const name of names) {
    const r = results[name]!;
    out.push('', `### \`${name}\``, '', `Tests: ${r.tests.map((t) => `\`${t}\``).join(', ')}.`, '');
    if (r.survivors.length === 0) {
      out.push('No surviving or uncovered mutant.');
      continue;
    }
    out.push('| line:col | status | mutator | original | replacement | why it is left |', '| --- | --- | --- | --- | --- | --- |');
    for (const s of r.survivors) {
      const why = s.status === 'Hang' ? 'loops without end: only a timeout can stop it' : (reasonOf(name, s) ?? '**not judged yet**');
      out.push(
        `| ${s.line}:${s.column} | ${s.status} | ${s.mutator} | ${cell(s.original)} | ${cell(s.replacement)} | ${why.replace(/\|/g, '\\|')} |`,
      );
    }
  }
  return out.join('\n');
}

/** The markers around MUTATION.md's generated part. */
export const BEGIN_MARK = '<!-- mutation-results:begin (written by npm run test:mutation) -->';
export const END_MARK = '<!-- mutation-results:end -->';

/** Replaces the generated part of MUTATION.md's text (between the markers). */
export function spliceResults(markdown: string, generated: string): string {
  const begin = markdown.indexOf(BEGIN_MARK);
  const end = markdown.indexOf(END_MARK);
  if (begin < 0 || end < begin) throw new Error(`MUTATION.md lacks the markers ${BEGIN_MARK} ... ${END_MARK}`);
  return `${markdown.slice(0, begin + BEGIN_MARK.length)}\n${generated}\n${markdown.slice(end)}`;
}
