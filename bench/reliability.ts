import { Engine } from '../src/search/engine.js';
import type { Lexicon } from '../src/search/lexicon.js';
import type { Reader } from '../src/search/reader.js';
import { crossQuestions } from './heldOut.js';
import { isRightPassage, loadSquad, type SquadArticle } from './squad.js';

/** One answer: the probability the decision gave that its first passage answers, and whether it did. */
export interface Prediction {
  p: number;
  right: boolean;
}

/** A bin of the reliability diagram: its answers, their mean predicted probability and the share right. */
export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  predicted: number;
  observed: number;
}

/**
 * The reliability of a set of predictions in ten equal-width bins of the probability, and the
 * expected calibration error (the bins' |predicted − observed|, weighted by their share of answers).
 */
export function reliability(predictions: readonly Prediction[]): { bins: ReliabilityBin[]; ece: number } {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, n: 0, p: 0, y: 0 }));
  for (const { p, right } of predictions) {
    const bin = bins[Math.min(9, Math.max(0, Math.floor(p * 10)))];
    if (!bin) continue;
    bin.n++;
    bin.p += p;
    bin.y += right ? 1 : 0;
  }
  let ece = 0;
  const out = bins.map(({ from, to, n, p, y }) => {
    const predicted = n === 0 ? 0 : p / n;
    const observed = n === 0 ? 0 : y / n;
    ece += (n / Math.max(1, predictions.length)) * Math.abs(predicted - observed);
    return {
      from,
      to,
      n,
      predicted: Math.round(predicted * 1000) / 1000,
      observed: Math.round(observed * 1000) / 1000,
    };
  });
  return { bins: out, ece: Math.round(ece * 10_000) / 10_000 };
}

/**
 * A reliability diagram as SVG: each bin's share right against its mean predicted probability (a bar
 * per bin, its width the bin, its label the number of answers), the diagonal of perfect calibration,
 * and the expected calibration error in the title.
 */
export function reliabilitySvg(title: string, result: { bins: ReliabilityBin[]; ece: number }): string {
  const size = 400;
  const margin = 50;
  const plot = size - 2 * margin;
  const x = (v: number): number => margin + v * plot;
  const y = (v: number): number => size - margin - v * plot;
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const bars = result.bins
    .filter((bin) => bin.n > 0)
    .map(
      (bin) =>
        `<rect x="${x(bin.from) + 2}" y="${y(bin.observed)}" width="${plot / 10 - 4}" height="${y(0) - y(bin.observed)}" fill="#5865f2" fill-opacity="0.75"/>` +
        `<circle cx="${x(bin.predicted)}" cy="${y(bin.predicted)}" r="2.5" fill="#ed4245"/>` +
        `<text x="${x(bin.from) + plot / 20}" y="${y(bin.observed) - 4}" font-size="9" text-anchor="middle">${bin.n}</text>`,
    )
    .join('');
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map(
      (t) =>
        `<text x="${x(t)}" y="${size - margin + 16}" font-size="10" text-anchor="middle">${t}</text>` +
        `<text x="${margin - 6}" y="${y(t) + 3}" font-size="10" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${size / 2}" y="20" font-size="13" text-anchor="middle">${escape(title)}</text>
<text x="${size / 2}" y="36" font-size="11" text-anchor="middle">expected calibration error ${result.ece}</text>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#333"/>
<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#333"/>
${bars}${ticks}
<text x="${size / 2}" y="${size - 12}" font-size="11" text-anchor="middle">predicted probability (bars: share right; dots: mean predicted; numbers: answers)</text>
<text x="14" y="${size / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${size / 2})">observed share right</text>
</svg>
`;
}

/**
 * The decision's predictions on SQuAD articles, each loaded alone: its own questions (right when the
 * first passage answers), and the other articles' questions and the hand-written off-topic ones
 * (never right).
 */
export function squadPredictions(
  slugs: readonly string[],
  offTopic: readonly string[],
  resources: { lexicon: Lexicon; reader: Reader },
): Prediction[] {
  const squad = loadSquad();
  const group = slugs.map((slug) => squad.find((s) => s.article.slug === slug) as SquadArticle);
  const predictions: Prediction[] = [];
  for (const alone of group) {
    const engine = Engine.build([alone.article], resources);
    for (const question of alone.questions) {
      const first = engine.search(question.q, { limit: 1 }).hits[0];
      predictions.push({
        p: engine.explain(question.q).result.confidence,
        right: first !== undefined && isRightPassage(question, { text: first.passage.text, answer: first.answer }),
      });
    }
    for (const q of [...crossQuestions(group, alone), ...offTopic])
      predictions.push({ p: engine.explain(q).result.confidence, right: false });
  }
  return predictions;
}
