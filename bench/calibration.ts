import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Lexicon } from '../src/search/lexicon.js';
import type { Reader } from '../src/search/reader.js';
import { ROOT } from '../tests/support/content.js';
import { gradedReport, type GradedReport } from './heldOut.js';
import { loadNq, nqOutcomes, nqShortAnswers, nqSummary, type NqSummary } from './nq.js';
import { reliability, reliabilitySvg, squadPredictions, type ReliabilityBin } from './reliability.js';
import { loadOffTopic, SPLIT } from './squad.js';

/** The held-out calibration of the decision on one kind of question. */
export interface CalibrationRow {
  set: string;
  /** Where its reliability diagram was written, relative to the repository. */
  diagram: string;
  ece: number;
  bins: ReliabilityBin[];
}

/** The held-out figures of issue 26: each set's graded answers, and the reliability of the decision on each. */
export interface HeldOutCalibration {
  squad: GradedReport;
  qed: NqSummary;
  clapnq: NqSummary;
  /** Short answers on QED's factoid questions, in all and per kind. */
  qedShort: ReturnType<typeof nqShortAnswers>;
  reliability: CalibrationRow[];
}

/**
 * The decision on the held-out parts only (SQuAD's held-out articles, and NQ's held-out titles of
 * QED and CLAPNQ): the table, and a reliability diagram for each set written as SVG to
 * bench/results/reliability-<set>.svg.
 */
export function heldOutCalibration(resources: { lexicon: Lexicon; reader: Reader }): HeldOutCalibration {
  const offTopic = loadOffTopic('report');
  const squad = gradedReport(SPLIT.heldOut, offTopic, resources.lexicon, resources.reader);
  const nq = loadNq();
  const outcomes = nqOutcomes(nq, 'heldOut', resources);
  const qed = outcomes.filter((o) => o.question.set === 'qed');
  const clapnq = outcomes.filter((o) => o.question.set === 'clapnq');
  const sets: Array<[string, string, Array<{ p: number; right: boolean }>]> = [
    [
      'squad',
      "SQuAD held-out: own, other articles' and off-topic questions",
      squadPredictions(SPLIT.heldOut, offTopic, resources),
    ],
    [
      'nq-qed',
      "NQ (QED) held-out: own and other pools' questions",
      qed.map((o) => ({ p: o.probability, right: o.right })),
    ],
    [
      'nq-clapnq',
      'NQ (CLAPNQ) held-out: answerable and unanswerable',
      clapnq.map((o) => ({ p: o.probability, right: o.right })),
    ],
  ];
  const dir = path.join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  return {
    squad,
    qed: nqSummary(qed),
    clapnq: nqSummary(clapnq),
    qedShort: nqShortAnswers(qed),
    reliability: sets.map(([name, title, predictions]) => {
      const result = reliability(predictions);
      const diagram = `bench/results/reliability-${name}.svg`;
      writeFileSync(path.join(ROOT, diagram), reliabilitySvg(title, result));
      return { set: name, diagram, ...result };
    }),
  };
}

/** The table of goals, with today's held-out figures. */
export function calibrationTable(report: HeldOutCalibration): string[] {
  const percent = (share: number): string => `${Math.round(share * 10_000) / 100} %`;
  const { squad, qed, clapnq } = report;
  const rows: Array<[string, string, string]> = [
    ['NQ held-out: answered with confidence', '≥ 40 %', percent(qed.confident)],
    ['… of which right', '≥ 90 %', percent(qed.confidentRight)],
    [
      'NQ held-out: answerable refused',
      '≤ 1 %',
      `${percent(qed.answerableRefused)} (QED), ${percent(clapnq.answerableRefused)} (CLAPNQ)`,
    ],
    ['CLAPNQ unanswerable answered with confidence', '≤ 10 %', percent(clapnq.unanswerableConfident)],
    ['SQuAD held-out: answered with confidence', '≥ 60 %', percent(squad.highConfidence)],
    ['… of which right', '≥ 90 %', percent(squad.highConfidenceRight)],
    ['answerable refused, SQuAD', '≤ 1 %', percent(squad.answerableRefused)],
    [
      'off-topic answered with confidence',
      '≤ 1 %',
      `${percent(squad.offTopicHighConfidence)} (SQuAD, ${squad.offTopic}), ${percent(qed.offTopicConfident)} (QED other pools, ${qed.offTopic})`,
    ],
    [
      'short answers on SQuAD factoid questions',
      '≥ 50 % shown, ≥ 85 % right',
      `${percent(squad.short.all?.shown ?? 0)} shown, ${percent(squad.short.all?.rightWhenShown ?? 0)} right`,
    ],
  ];
  return [
    '| held-out | goal | measured |',
    '| --- | --- | --- |',
    ...rows.map(([name, goal, measured]) => `| ${name} | ${goal} | ${measured} |`),
    '',
    `CLAPNQ: ${clapnq.answerable} answerable, ${clapnq.unanswerable} unanswerable; QED: ${qed.answerable} questions, answered with confidence ${percent(qed.confident)} (right ${percent(qed.confidentRight)}); CLAPNQ answerable with confidence ${percent(clapnq.confident)} (right ${percent(clapnq.confidentRight)}).`,
    '',
    '| short answers, factoid questions | SQuAD: questions | shown | right when shown | NQ (QED): questions | shown | right when shown |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...['all', 'person', 'date', 'place', 'number', 'thing'].map((kind) => {
      const s = squad.short[kind];
      const n = report.qedShort[kind];
      const cells = (row: { questions: number; shown: number; rightWhenShown: number } | undefined): string =>
        row ? `${row.questions} | ${percent(row.shown)} | ${percent(row.rightWhenShown)}` : '0 | – | –';
      return `| ${kind} | ${cells(s)} | ${cells(n)} |`;
    }),
    '',
    '| set | expected calibration error | reliability diagram |',
    '| --- | --- | --- |',
    ...report.reliability.map((row) => `| ${row.set} | ${row.ece} | ${row.diagram} |`),
  ];
}
