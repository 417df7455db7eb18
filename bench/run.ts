import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../tests/support/content.js';
import type { Quality } from '../tests/support/devset.js';
import { ENGINE_NAMES } from './engines.js';
import type { GradedReport, GroupReport } from './heldOut.js';
import { calibrationTable, type HeldOutCalibration } from './calibration.js';

/**
 * `npm run bench`: every benchmark, each configuration in its own process, printed as Markdown
 * tables and saved as JSON in bench/results/latest.json. Quick by default (up to 1,000
 * articles); `--full` adds 10,000 articles.
 */
const full = process.argv.includes('--full');
const run = promisify(execFile);

/** Runs one benchmark job in a fresh Node process (with `gc` exposed) and parses its JSON line. */
async function job<T>(script: string, args: string[] = []): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', path.join(ROOT, 'bench', script), ...args],
    {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DISCORD_TOKEN: '' },
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as T;
}

/** What jobs/quality.ts reports. */
interface QualityReport {
  squad: GroupReport;
  graded: GradedReport;
  own: Array<
    { set: string; questions: number } & Pick<
      Quality,
      'hit1' | 'hit3' | 'mrr' | 'answerAccuracy' | 'answerableRefused' | 'confident' | 'offTopicAbstention'
    >
  >;
  about: { questions: number; answered: number };
}

interface SpeedRow {
  engine: string;
  size: number;
  passages: number;
  buildMs: number;
  heapMB: number;
  rssMB: number;
  serializedMB: number;
  queries: number;
  query: { p50: number; p99: number; mean: number; max: number };
  quality: { questions: number; hit1: number; hit3: number; mrr: number; answered: number; offTopicAbstention: number };
}

interface StartupRow {
  size: number;
  runs: number;
  firstAnswerMs: { withoutCache: number; withCache: number };
}

interface ReloadRow {
  articles: number;
  passages: number;
  firstLoadMs: number;
  reloadMs: number;
  stallMs: { max: number; p99: number; mean: number };
  questionsDuringReload: number;
  slowestAnswerMs: number;
  rssMB: number;
}

interface ImportPages {
  pages: number;
  extractMs: { median: number; worst: number };
  importMs: { median: number; worst: number };
  indexMs: { median: number; worst: number };
  paragraphs: { kept: number; expected: number };
}

interface ImportRow {
  articles: number;
  importedMs: number;
  reloadedMs: number;
  firstAnswerMs: number;
  stallMs: { max: number; p99: number };
}

type Rouge = { recall: number; precision: number; f: number };
interface SummaryReport {
  bundled: { textrank: Rouge; lead3: Rouge; leadSame: Rouge; sentences: number };
  pages: { count: number; textrank: Rouge; lead3: Rouge; leadSame: Rouge };
}

/** What jobs/segments.ts reports for one size: a cold build, three starts and three runs of changes (one with a merge). */
interface SegmentsRow {
  articles: number;
  build: { buildMs: number; peakRssMB: number };
  startups: Array<{ readyMs: number; doneMs: number; stallMs: number; peakRssMB: number; steadyRssMB: number }>;
  changes: Array<{
    addMs: { runs: number[]; median: number; cold: number };
    removeMs: { runs: number[]; median: number; cold: number };
    reloadOneMs: number;
    stallMs: number;
    peakRssMB: number;
    query: { p50: number; p99: number };
    merge: { removedArticles: number; removalMs: number; mergeMs: number; stallMs: number; segments: number } | null;
  }>;
  deltas: {
    segments: number;
    deleted: number;
    segmented: { p50: number; p99: number };
    merged: { p50: number; p99: number };
    mergeMs: number;
  } | null;
}

interface ShardRow {
  shards: number;
  mode: 'client' | 'process';
  processes: number;
  buildMs: number;
  rssMB: number;
}

const started = Date.now();
const log = (message: string): void => {
  process.stderr.write(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${message}\n`);
};

// The start-up and shard jobs run the compiled bot, as `npm start` does: compile the sources as they are now.
log('build');
await run('npm', ['run', 'build', '--silent'], { cwd: ROOT });

log('quality');
const quality = await job<QualityReport>('jobs/quality.ts');
log('calibration: held-out parts of SQuAD and Natural Questions, reliability diagrams');
const calibration = await job<HeldOutCalibration>('jobs/calibration.ts');

const sizes = full ? [1, 100, 1000, 10000] : [1, 100, 1000];
const corpus = (size: number): string => path.join(ROOT, 'bench', '.corpus', String(size));
for (const size of sizes) await job('jobs/corpus.ts', ['--size', String(size), '--out', corpus(size)]);

const speed: SpeedRow[] = [];
for (const size of sizes) {
  for (const engine of ENGINE_NAMES) {
    log(`speed: ${engine}, ${size} articles`);
    speed.push(await job<SpeedRow>('jobs/speed.ts', ['--engine', engine, '--data', corpus(size), '--queries', '1000']));
  }
}

const startup: StartupRow[] = [];
for (const size of full ? [1, 10000] : [1]) {
  log(`start-up: ${size} articles`);
  startup.push(await job<StartupRow>('jobs/startup.ts', ['--data', corpus(size), '--runs', size > 1000 ? '1' : '3']));
}

const reloads: ReloadRow[] = [];
for (const size of full ? [1000, 10000] : [1000]) {
  log(`reload: ${size} articles, questions every 100 ms`);
  reloads.push(await job<ReloadRow>('jobs/reload.ts', ['--data', corpus(size)]));
}

const segments: SegmentsRow[] = [];
for (const size of full ? [10000, 100000] : [1000]) {
  log(`segments: ${size} articles, a cold build, three starts, three runs of changes`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'article-bot-segments-'));
  try {
    if (size > 10000) await job('jobs/corpus.ts', ['--size', String(size), '--out', corpus(size)]);
    const state = path.join(work, 'state');
    const on = (data: string): string[] => ['--data', data, '--state', state];
    const build = await job<SegmentsRow['build']>('jobs/segments.ts', ['--part', 'build', ...on(corpus(size))]);
    const startups: SegmentsRow['startups'] = [];
    for (let i = 0; i < 3; i++)
      startups.push(
        await job<SegmentsRow['startups'][number]>('jobs/segments.ts', ['--part', 'startup', ...on(corpus(size))]),
      );
    const changes: SegmentsRow['changes'] = [];
    for (let i = 0; i < 2; i++)
      changes.push(
        await job<SegmentsRow['changes'][number]>('jobs/segments.ts', ['--part', 'changes', ...on(corpus(size))]),
      );
    // The third run also removes a fifth of the articles, from a copy of the content and its index.
    if (size <= 10000) {
      const copy = path.join(work, 'data');
      await cp(corpus(size), copy, { recursive: true });
      changes.push(
        await job<SegmentsRow['changes'][number]>('jobs/segments.ts', ['--part', 'changes', '--merge', ...on(copy)]),
      );
    } else
      changes.push(
        await job<SegmentsRow['changes'][number]>('jobs/segments.ts', ['--part', 'changes', ...on(corpus(size))]),
      );
    const deltas =
      size <= 10000
        ? await job<NonNullable<SegmentsRow['deltas']>>('jobs/segments.ts', [
            '--part',
            'deltas',
            '--data',
            corpus(size),
          ])
        : null;
    segments.push({ articles: size, build, startups, changes, deltas });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** What jobs/feeds.ts reports: one poll cycle of many feeds on top of an index. */
interface FeedsRow {
  articles: number;
  feeds: number;
  newStories: number;
  allAnswerMs: number;
  allServed: boolean;
  stallMs: number;
  peakRssMB: number;
}
const feedCycles: FeedsRow[] = [];
for (const [size, feeds, items] of full ? [[10000, 50, 20]] : [[1000, 10, 5]]) {
  log(`feeds: ${feeds} feeds of ${items} new stories each, one poll cycle over ${size} articles`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'article-bot-feeds-'));
  try {
    feedCycles.push(
      await job<FeedsRow>('jobs/feeds.ts', [
        '--data',
        corpus(size ?? 1000),
        '--state',
        path.join(work, 'state'),
        '--feeds',
        String(feeds),
        '--items',
        String(items),
      ]),
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

log('import: the 16 shared news pages');
const importPages = await job<ImportPages>('jobs/import.ts', ['--pages']);
const imports: ImportRow[] = [];
for (const size of full ? [1000, 10000] : [1000]) {
  log(`import: to the first answer, ${size} articles`);
  imports.push(await job<ImportRow>('jobs/import.ts', ['--data', corpus(size)]));
}

log('hostile input: the worst message, page, upload and article at the limits');
type Summary = { p50: number; p99: number; mean: number; max: number };
const hostileMessages = await job<{
  stallsMs: Record<string, number>;
  worst: { message: string; stallMs: number };
  askMs: { alone: Summary; alongsideFive: Summary; alongside: string; alongsideFiveShort: Summary };
}>('jobs/hostile.ts', ['--part', 'messages']);
const hostileImport = await job<{
  page: { bytes: number; importMs: Summary };
  upload: { bytes: number; importMs: Summary };
}>('jobs/hostile.ts', ['--part', 'import']);
type BuildRow = { worst: boolean; articles: number; passages: number; buildMs: number; peakRssMB: number };
const hostileBuilds: BuildRow[] = [];
// Interleaved pairs, so a slow minute of the machine does not land on one side only.
for (let pair = 0; pair < 3; pair++)
  for (const worst of ['no', 'yes'])
    hostileBuilds.push(await job<BuildRow>('jobs/hostile.ts', ['--part', 'build', '--worst', worst]));
const medianOf = (rows: BuildRow[], key: 'buildMs' | 'peakRssMB'): number =>
  [...rows.map((r) => r[key])].sort((a, b) => a - b)[Math.floor(rows.length / 2)] ?? 0;
const [plainBuilds, worstBuilds] = [hostileBuilds.filter((r) => !r.worst), hostileBuilds.filter((r) => r.worst)];

log('summaries: ROUGE-1 of the extractive summaries');
const summaries = await job<SummaryReport>('jobs/summary.ts');

log('shards: 1, 2 and 4 shards in both modes, 1,000 articles');
const shards = await job<ShardRow[]>('jobs/shards.ts', ['--data', corpus(1000)]);

log('discord: 1,000 /ask through the fake Discord, recorded in SQLite, then in PostgreSQL, three times each');
type DiscordRow = { store: string; count: number; p50: number; p99: number; mean: number; max: number };
const discordRuns: DiscordRow[] = [];
// Interleaved, so a slow minute of the machine does not land on one store only; 1,000 a run, so
// the p99 is the 10th slowest rather than the 2nd.
for (let pair = 0; pair < 3; pair++)
  for (const store of ['sqlite', 'postgres']) discordRuns.push(await job<DiscordRow>('discord.ts', ['1000', store]));
const discord = discordRuns[0] as DiscordRow;
/** PostgreSQL's p99 over SQLite's, for each interleaved pair, in percent more. */
const pairRatios = [0, 2, 4].map(
  (i) => Math.round(((discordRuns[i + 1]?.p99 ?? 0) / (discordRuns[i]?.p99 ?? 1) - 1) * 1000) / 10,
);

log('load: 5 bursts of 1,000 /ask and 1,000 mentions from 50 users');
const load = await job<{
  perSecond: number[];
  interactionLatency: { p50: number; p99: number };
  messageLatency: { p50: number; p99: number };
  heapMBBeforeAndAfterEachBurst: number[];
  fakeStoredMessagesMB: number[];
}>('load.ts');

const meta = {
  date: new Date().toISOString(),
  mode: full ? 'full' : 'quick',
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGB: Math.round(os.totalmem() / 1e9),
};
const results = {
  meta,
  quality,
  calibration,
  speed,
  startup,
  reloads,
  segments,
  feeds: feedCycles,
  importPages,
  imports,
  hostile: { messages: hostileMessages, import: hostileImport, builds: hostileBuilds },
  summaries,
  shards,
  discord: { runs: discordRuns, postgresP99OverSqlitePercent: pairRatios },
  load,
};
await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
await writeFile(path.join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
/** A share as a percentage with two decimals: 0.00375 → "0.38 %". */
const percent = (share: number): string => `${Math.round(share * 10_000) / 100} %`;
const ratio = (value: number, base: number | undefined): string => (base ? `${(value / base).toFixed(2)}×` : '–');
const lines = [
  `# Benchmarks (${meta.mode}) — ${meta.date}`,
  '',
  `Node ${meta.node}, ${meta.cpu}, ${meta.cores} cores, ${meta.memoryGB} GB.`,
  '',
  '## Answer quality',
  '',
  `Held-out SQuAD articles (${quality.squad.articles.join(', ')}), loaded together; no weight, threshold or option was chosen on them.`,
  '',
  '| engine | questions | hit@1 | hit@3 | MRR | best sentence | answerable refused |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...(
    [
      ['project', quality.squad.project],
      ['MiniSearch (plain)', quality.squad.minisearch],
      ['MiniSearch (stemmed + fuzzy)', quality.squad.stemmedFuzzy],
    ] as const
  ).map(
    ([name, q]) =>
      `| ${name} | ${q.questions} | ${round3(q.hit1)} | ${round3(q.hit3)} | ${round3(q.mrr)} | ${round3(q.sentence)} | ${round3(q.refused)} |`,
  ),
  '',
  `Off-topic refused: each held-out article alone asked the others' questions, ${round3(quality.squad.crossArticleRefused)} of ${quality.squad.crossArticleQuestions}; hand-written off-topic questions (bench/data/offtopic-report.json) asked of the articles together and of each alone, ${round3(quality.squad.handWrittenRefused)} of ${quality.squad.handWrittenQuestions}.`,
  '',
  "Graded answers, each held-out article loaded alone (its own questions answerable; the others' and the hand-written ones off-topic):",
  '',
  '| answerable | refused | answered with confidence | … of which right | off-topic | off-topic answered with confidence | off-topic refused |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  `| ${quality.graded.answerable} | ${percent(quality.graded.answerableRefused)} | ${percent(quality.graded.highConfidence)} | ${percent(quality.graded.highConfidenceRight)} | ${quality.graded.offTopic} | ${percent(quality.graded.offTopicHighConfidence)} | ${percent(quality.graded.offTopicRefused)} |`,
  '',
  'Short answers on the factoid questions (right: token F1 ≥ 0.5 with a gold answer):',
  '',
  '| kind | questions | shown | right when shown | exact when shown | mean F1 when shown |',
  '| --- | --- | --- | --- | --- | --- |',
  ...Object.entries(quality.graded.short).map(
    ([kind, r]) =>
      `| ${kind} | ${r.questions} | ${percent(r.shown)} | ${percent(r.rightWhenShown)} | ${percent(r.exact)} | ${round3(r.f1)} |`,
  ),
  '',
  `Questions about the article itself (bench/data/about-questions.json): ${quality.about.answered} of ${quality.about.questions} answered as such.`,
  '',
  "The project's own question sets (tests/fixtures):",
  '',
  '| question set | questions | hit@1 | hit@3 | MRR | best sentence | answerable refused | answered with confidence | off-topic without a confident answer |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...quality.own.map(
    (r) =>
      `| ${r.set} | ${r.questions} | ${r.hit1} | ${r.hit3} | ${r.mrr} | ${r.answerAccuracy} | ${r.answerableRefused} | ${r.confident} | ${r.offTopicAbstention} |`,
  ),
  '',
  '## Speed and size',
  '',
  'Ratios are to plain MiniSearch at the same size. Quality columns: the development questions about the real articles present in that corpus, among the synthetic ones.',
  '',
  '| articles | passages | engine | build ms | heap MB | RSS MB | serialized MB | query p50 ms | query p99 ms | p50 ratio | p99 ratio | dev hit@1 | dev hit@3 | dev MRR |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...speed.map((r) => {
    const base = speed.find((b) => b.size === r.size && b.engine === 'minisearch');
    return `| ${r.size} | ${r.passages} | ${r.engine} | ${r.buildMs} | ${r.heapMB} | ${r.rssMB} | ${r.serializedMB} | ${r.query.p50} | ${r.query.p99} | ${ratio(r.query.p50, base?.query.p50)} | ${ratio(r.query.p99, base?.query.p99)} | ${r.quality.hit1} | ${r.quality.hit3} | ${r.quality.mrr} |`;
  }),
  '',
  '## Start-up: `npm start` to the first answer',
  '',
  '| articles | without index cache ms | with index cache ms |',
  '| --- | --- | --- |',
  ...startup.map((r) => `| ${r.size} | ${r.firstAnswerMs.withoutCache} | ${r.firstAnswerMs.withCache} |`),
  '',
  '## Reload: the answering thread while the index is rebuilt',
  '',
  'The index is built in a worker thread and assembled on the main thread a slice at a time (`bench/jobs/reload.ts`, no snapshot, a question every 100 ms). Stall: `monitorEventLoopDelay` (10 ms resolution) during the reload.',
  '',
  '| articles | passages | first load ms | reload ms | longest stall ms | stall p99 ms | questions during reload | slowest answer ms | RSS MB after |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...reloads.map(
    (r) =>
      `| ${r.articles} | ${r.passages} | ${r.firstLoadMs} | ${r.reloadMs} | ${r.stallMs.max} | ${r.stallMs.p99} | ${r.questionsDuringReload} | ${r.slowestAnswerMs} | ${r.rssMB} |`,
  ),
  '',
  '## Segments: what a change costs',
  '',
  'Through the compiled modules (`bench/jobs/segments.ts`): a cold build into segments, three starts from them, three runs of changes through the real import and removal paths (each the median of three a second apart, the worker kept; "cold": one after a quiet spell, the worker started again), stalls by `monitorEventLoopDelay` at 1 ms. Medians of the runs; every run in bench/results/latest.json.',
  '',
  '| articles | cold build ms | start: first answer ms | start: scan done ms | start stall ms | steady RSS MB | add ms (cold) | removal ms (cold) | /reload of one file ms | longest stall ms | peak RSS MB | query p50 / p99 ms |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...segments.map((r) => {
    const mid = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const starts = (key: 'readyMs' | 'doneMs' | 'stallMs' | 'steadyRssMB'): number =>
      mid(r.startups.map((x) => x[key]));
    const changed = (pick: (x: SegmentsRow['changes'][number]) => number): number => mid(r.changes.map(pick));
    return `| ${r.articles} | ${r.build.buildMs} | ${starts('readyMs')} | ${starts('doneMs')} | ${starts('stallMs')} | ${starts('steadyRssMB')} | ${changed((x) => x.addMs.median)} (${changed((x) => x.addMs.cold)}) | ${changed((x) => x.removeMs.median)} (${changed((x) => x.removeMs.cold)}) | ${changed((x) => x.reloadOneMs)} | ${Math.max(...r.changes.map((x) => x.stallMs))} | ${Math.max(...r.changes.map((x) => x.peakRssMB))} | ${changed((x) => x.query.p50)} / ${changed((x) => x.query.p99)} |`;
  }),
  '',
  ...segments.flatMap((r) => {
    const merge = r.changes.find((x) => x.merge)?.merge;
    const lines = merge
      ? [
          `${r.articles} articles, a fifth removed (${merge.removedArticles}): removal ${merge.removalMs} ms, then the merge it sets off served after ${merge.mergeMs} ms, longest stall ${merge.stallMs} ms, ${merge.segments} segments left.`,
          '',
        ]
      : [];
    if (r.deltas)
      lines.push(
        `${r.articles} articles as ${r.deltas.segments} segments with ${r.deltas.deleted} deleted: query p50 ${r.deltas.segmented.p50} ms, p99 ${r.deltas.segmented.p99} ms; the same content as one merged segment: p50 ${r.deltas.merged.p50} ms, p99 ${r.deltas.merged.p99} ms; merging them took ${r.deltas.mergeMs} ms.`,
        '',
      );
    return lines;
  }),
  '## Calibration on questions typed before the answer was seen (held-out parts)',
  '',
  "SQuAD's held-out articles and the held-out titles of Natural Questions (`bench/nq.ts`: split by title, pools of 50 paragraphs, each pool alone), with the current model; a reliability diagram of each set (ten bins of the predicted probability against the share right) is written to bench/results/.",
  '',
  ...calibrationTable(calibration),
  '',
  '## Following feeds: one poll cycle',
  '',
  'Through the compiled modules (`bench/jobs/feeds.ts`): feeds on a local web server, each with new items whose pages it serves, added (nothing imported), then polled on a moved clock; the time until every new story answers, the longest event-loop stall (`monitorEventLoopDelay`, 1 ms), and the peak RSS of the process and its workers.',
  '',
  '| articles | feeds × new stories | until all answer ms | longest stall ms | peak RSS MB |',
  '| --- | --- | --- | --- | --- |',
  ...feedCycles.map(
    (r) =>
      `| ${r.articles} | ${r.feeds} × ${r.newStories / r.feeds} | ${r.allAnswerMs}${r.allServed ? '' : ' (not every story served)'} | ${r.stallMs} | ${r.peakRssMB} |`,
  ),
  '',
  '## Importing articles',
  '',
  `The ${importPages.pages} shared news pages (\`bench/jobs/import.ts --pages\`, compiled code): extraction alone (Readability over linkedom, written in the article format, validated) median ${importPages.extractMs.median} ms, worst ${importPages.extractMs.worst} ms; the whole import (fetch and extraction in the import worker, which starts for each import, and the file written) median ${importPages.importMs.median} ms, worst ${importPages.importMs.worst} ms; the index rebuilt with it beside the seed article median ${importPages.indexMs.median} ms, worst ${importPages.indexMs.worst} ms. Readability's expected paragraphs kept: ${importPages.paragraphs.kept} of ${importPages.paragraphs.expected}.`,
  '',
  '| articles | import ms | index rebuilt ms | import to first answer ms | longest stall ms | stall p99 ms |',
  '| --- | --- | --- | --- | --- | --- |',
  ...imports.map(
    (r) =>
      `| ${r.articles} | ${r.importedMs} | ${r.reloadedMs - r.importedMs} | ${r.firstAnswerMs} | ${r.stallMs.max} | ${r.stallMs.p99} |`,
  ),
  '',
  '## Hostile input: the worst at each limit',
  '',
  `Five 4,000-character mentions at once, for each costly kind of character (\`bench/jobs/hostile.ts --part messages\`, through the fake Discord, \`monitorEventLoopDelay\` at 1 ms): the answering thread's longest stall, the least of three tries: ${Object.entries(
    hostileMessages.stallsMs,
  )
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join('; ')}. Worst: ${hostileMessages.worst.message}, ${hostileMessages.worst.stallMs} ms.`,
  '',
  '| `/ask` (100 each, interleaved) | p50 ms | p99 ms | mean ms |',
  '| --- | --- | --- | --- |',
  ...(
    [
      ['alone', hostileMessages.askMs.alone],
      [`with five 4,000-character mentions of ${hostileMessages.askMs.alongside}`, hostileMessages.askMs.alongsideFive],
      ['with five short mentions refused alike ("!!")', hostileMessages.askMs.alongsideFiveShort],
    ] as const
  ).map(([what, r]) => `| ${what} | ${r.p50} | ${r.p99} | ${r.mean} |`),
  '',
  `Import of the costliest accepted page (${Math.round(hostileImport.page.bytes / 1024)} KB, the element and nesting limits): median ${hostileImport.page.importMs.p50} ms, worst ${hostileImport.page.importMs.max} ms; of the costliest Markdown upload (${Math.round(hostileImport.upload.bytes / 1024)} KB, every article limit): median ${hostileImport.upload.importMs.p50} ms, worst ${hostileImport.upload.importMs.max} ms.`,
  '',
  '| index build in the worker (3 interleaved runs each) | build ms | peak RSS MB |',
  '| --- | --- | --- |',
  `| 1,000 ordinary articles | ${plainBuilds.map((r) => r.buildMs).join(', ')} (median ${medianOf(plainBuilds, 'buildMs')}) | ${plainBuilds.map((r) => r.peakRssMB).join(', ')} (median ${medianOf(plainBuilds, 'peakRssMB')}) |`,
  `| the same and one worst-case article | ${worstBuilds.map((r) => r.buildMs).join(', ')} (median ${medianOf(worstBuilds, 'buildMs')}) | ${worstBuilds.map((r) => r.peakRssMB).join(', ')} (median ${medianOf(worstBuilds, 'peakRssMB')}) |`,
  '',
  '## Summaries of articles without key insights',
  '',
  'ROUGE-1 (recall / precision / F) of the TextRank summary (`bench/jobs/summary.ts`), beside the first three sentences and the first as many sentences as the summary has:',
  '',
  '| against | TextRank | lead, 3 sentences | lead, same count |',
  '| --- | --- | --- | --- |',
  ...(
    [
      [
        `the bundled article's Key Insights (summary of the article without them, ${summaries.bundled.sentences} sentences)`,
        summaries.bundled,
      ],
      [`the ${summaries.pages.count} news pages' own descriptions (their excerpt), mean`, summaries.pages],
    ] as const
  ).map(
    ([what, r]) =>
      `| ${what} | ${[r.textrank, r.lead3, r.leadSame].map((x) => `${x.recall} / ${x.precision} / ${x.f}`).join(' | ')} |`,
  ),
  '',
  '## Shards: memory and build time at 1,000 articles',
  '',
  'The compiled bot against the fake Discord (`bench/jobs/shards.ts`); RSS summed over all its processes once every shard has its index.',
  '',
  '| SHARD_MODE | shards | processes | build ms (slowest shard) | RSS MB |',
  '| --- | --- | --- | --- | --- |',
  ...shards.map((r) => `| ${r.mode} | ${r.shards} | ${r.processes} | ${r.buildMs} | ${r.rssMB} |`),
  '',
  '## Through Discord: interaction to reply',
  '',
  `${discord.count} \`/ask\` through the fake Discord, each question recorded in the store (SQLite, or a PostgreSQL 15 server on the same machine), three runs of each, interleaved:`,
  '',
  '| store | p50 ms | p99 ms | mean ms | max ms |',
  '| --- | --- | --- | --- | --- |',
  ...discordRuns.map(
    (r) => `| ${r.store === 'postgres' ? 'PostgreSQL' : 'SQLite'} | ${r.p50} | ${r.p99} | ${r.mean} | ${r.max} |`,
  ),
  '',
  `PostgreSQL's p99 against SQLite's in each pair: ${pairRatios.map((r) => `${r > 0 ? '+' : ''}${r} %`).join(', ')}.`,
  '',
  '## Load: bursts of 1,000 `/ask` and 1,000 mentions from 50 users',
  '',
  `Requests per second in each of ${load.perSecond.length} bursts: ${load.perSecond.join(', ')}. Last burst, all 2,000 sent at once: interactions p50 ${load.interactionLatency.p50} ms, p99 ${load.interactionLatency.p99} ms; mentions p50 ${load.messageLatency.p50} ms, p99 ${load.messageLatency.p99} ms.`,
  `Heap after a full GC, before and after each burst (MB): ${load.heapMBBeforeAndAfterEachBurst.join(', ')}; the fake Discord's stored messages in the same process, as JSON (MB): ${load.fakeStoredMessagesMB.join(', ')}.`,
  '',
  `Saved to bench/results/latest.json in ${Math.round((Date.now() - started) / 1000)} s.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
