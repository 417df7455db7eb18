import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { Machine, SharedContent } from '../store/store.js';
import type { ChangedImports, KnowledgeBase, ReloadReport } from '../serving/knowledgeBase.js';
import type { ArticleMirror, MirrorSync } from './mirror.js';

/** How one place serving the content (a shard's process, or a machine) took a reload. */
export interface PlaceOutcome {
  /** The shard or machine, as people read it. */
  where: string;
  applied: boolean;
  articles: number;
  passages: number;
  /** How many problems refused it; 0 when applied. */
  problems: number;
}

/** A reload wherever the content is served. */
export interface SpreadReload {
  /** The full report of one place: here, or (sharded) the first shard that refused, else the first. */
  report: ReloadReport;
  /** Every place that answered, this one first; only this one when the bot runs alone. */
  places: PlaceOutcome[];
  /** Places serving the content that did not answer in time. */
  missing: string[];
  /** Why the other machines were not told, when they could not be (the database could not be reached). */
  untold: string | null;
}

/** How a place's report reads in a {@link SpreadReload}. */
export function outcomeOf(where: string, report: ReloadReport): PlaceOutcome {
  return {
    where,
    applied: report.applied,
    articles: report.articles,
    passages: report.passages,
    problems: report.applied ? 0 : report.problems.length,
  };
}

/** A reload of one process serving alone. */
export function servedAlone(report: ReloadReport): SpreadReload {
  return { report, places: [outcomeOf('this bot', report)], missing: [], untold: null };
}

/** A reload of every shard of this machine (one report per shard, in shard order). */
export function servedByShards(reports: readonly ReloadReport[]): SpreadReload {
  const [first] = reports;
  if (!first) throw new Error('a reload reached no shard');
  return {
    report: reports.find((r) => !r.applied) ?? first,
    places: reports.map((report, shard) => outcomeOf(`Shard ${shard}`, report)),
    missing: [],
    untold: null,
  };
}

/** Every number of the fleet, with where it comes from. */
export interface FleetOptions {
  /**
   * How long a change waits for the other machines to say they have it: at 1,000 articles an
   * import answers on its own machine 4,449 ms after the command (bench/jobs/import.ts), fetch
   * included; 8 s leaves room for the notification and a busier machine. A machine rebuilding
   * 10,000 articles (about 31 s) is named as not having answered yet.
   */
  answerWaitMs: number;
  /**
   * How often each machine checks the database for changes it was not told of (a notification
   * lost while its channel was down, `npm run import` run on a server): a cheap read of each
   * article's version.
   */
  pollMs: number;
}

/** The defaults of {@link FleetOptions}. */
export const DEFAULT_FLEET_OPTIONS: FleetOptions = { answerWaitMs: 8000, pollMs: 15_000 };

/**
 * What the machines tell each other, as JSON on the shared channel. A change names the articles it
 * added, removed and changed (by slug), and whether it was only of imported articles (`limited`:
 * an import or a removal, not a /reload, which DATA_DIR's edits may be behind): every machine finds
 * the same files changed and builds the same small segment of them, rather than rebuilding; a
 * limited change looks only at the files its mirror's sync wrote.
 */
type FleetMessage =
  | { kind: 'changed'; change: string; from: string; articles: string[]; limited: boolean }
  | { kind: 'reloaded'; change: string; from: string; outcome: PlaceOutcome };

/**
 * The machines serving one database's articles, kept in step: the imported articles live in the
 * database, each machine serves its DATA_DIR plus a mirror of them, and a change on one machine
 * (an import, a removal, /reload) is announced to every other, which syncs its mirror, rebuilds in
 * its worker, swaps, and says how it went. The machine that made the change waits a few seconds
 * for them, so the moderator hears which machines have it and which did not answer.
 *
 * @example
 * const fleet = new ContentFleet({ knowledge, shared: store.shared, mirror, machine, logger });
 * await fleet.start();
 * const spread = await fleet.reload(); // spread.places: every machine that has the change
 */
export class ContentFleet {
  private readonly options: FleetOptions;
  /** Changes announced from here, waiting for the other machines' answers. */
  private readonly waiting = new Map<string, (from: string, outcome: PlaceOutcome) => void>();
  private poller: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The mirror's state at the last reload: a sync by anyone that leaves another state means a reload is due. */
  private served: string | null = null;
  /** Other machines' changes heard and not yet reloaded for: one reload answers all heard meanwhile. */
  private heard: Array<{ change: string; limited: boolean }> = [];
  private following: Promise<void> | null = null;
  /** Reloads this fleet started that have not ended: a check for missed changes waits for none of them. */
  private reloading = 0;

  constructor(
    private readonly deps: {
      knowledge: Pick<KnowledgeBase, 'reload'>;
      shared: SharedContent;
      mirror: ArticleMirror;
      machine: Machine;
      logger: Logger;
      options?: Partial<FleetOptions>;
    },
  ) {
    this.options = { ...DEFAULT_FLEET_OPTIONS, ...deps.options };
  }

  /** Joins the fleet: hears the others' changes, and checks the database for missed ones every {@link FleetOptions.pollMs}. */
  async start(): Promise<void> {
    if (this.stopped) return;
    this.served ??= await this.deps.mirror.state();
    await this.deps.shared.join(this.deps.machine, (message) => this.hear(message));
    if (this.stopped) return void (await this.deps.shared.leave());
    this.poller = setInterval(() => void this.catchUp(false), this.options.pollMs).unref();
    this.deps.logger.info('fleet.joined', { machine: this.deps.machine.label });
  }

  /** Leaves the fleet; the other machines stop waiting for this one. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await this.deps.shared.leave();
  }

  /**
   * Syncs this machine's mirror, reloads here, then tells every other machine and waits up to
   * {@link FleetOptions.answerWaitMs} for them to report. Without the database it reloads here
   * only, and says so. With `changed` (an import or a removal), the reloads look only at the files
   * the change and the mirrors' syncs wrote.
   */
  async reload(changed?: ChangedImports): Promise<SpreadReload> {
    const { shared, machine } = this.deps;
    const synced = await this.deps.mirror.sync().then(
      (sync) => ({ sync, unread: null }),
      (error: unknown) => ({ sync: null, unread: this.unreachable(error) }),
    );
    const unread = synced.unread;
    const report = await this.reloadHere(
      changed && synced.sync ? this.limitedTo(synced.sync, changed.imported) : changed,
    );
    if (synced.sync !== null) this.served = synced.sync.state;
    const here = outcomeOf(machine.label, report);
    if (unread !== null) return { report, places: [here], missing: [], untold: unread };
    let untold: string | null = null;
    const change = randomUUID();
    const answers = new Map<string, PlaceOutcome>();
    let expected: Machine[] = [];
    let heardAll = (): void => undefined;
    const all = new Promise<void>((resolve) => (heardAll = resolve));
    this.waiting.set(change, (from, outcome) => {
      answers.set(from, outcome);
      if (expected.every((m) => answers.has(m.id))) heardAll();
    });
    try {
      expected = (await shared.machines()).filter((m) => m.id !== machine.id);
      const articles = report.applied
        ? [...report.changes.articlesAdded, ...report.changes.articlesRemoved, ...report.changes.articlesChanged]
        : [];
      await shared.publish(
        JSON.stringify({
          kind: 'changed',
          change,
          from: machine.id,
          articles: articles.filter((slug) => slug.length <= MAX_SLUG).slice(0, MAX_NAMED),
          limited: changed !== undefined,
        } satisfies FleetMessage),
      );
      if (expected.every((m) => answers.has(m.id))) heardAll();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        all,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.answerWaitMs))),
      ]);
      clearTimeout(timer);
    } catch (error) {
      untold = this.unreachable(error);
    } finally {
      this.waiting.delete(change);
    }
    return {
      report,
      places: [here, ...answers.values()],
      missing: expected.filter((m) => !answers.has(m.id)).map((m) => m.label),
      untold,
    };
  }

  /** Reloads here (only `changed`, when given), counted in {@link reloading}. */
  private async reloadHere(changed?: ChangedImports): Promise<ReloadReport> {
    this.reloading++;
    try {
      return await this.deps.knowledge.reload(changed);
    } finally {
      this.reloading--;
    }
  }

  /**
   * The files a reload after `sync` must look at, besides `also`: the ones it wrote, when the
   * mirror held what was last served before it; else (another process synced it meanwhile, which
   * wrote who knows what) every file.
   */
  private limitedTo(sync: MirrorSync, also: readonly string[]): ChangedImports | undefined {
    if (sync.before !== this.served) return undefined;
    return { imported: [...new Set([...also, ...sync.files])] };
  }

  /** Why the other machines were not told: said to the moderator; the error itself goes to the log. */
  private unreachable(error: unknown): string {
    this.deps.logger.warn('fleet.unreachable', { error: String(error) });
    return 'the database could not be reached';
  }

  /** A message from the channel, or `null` when the channel came back and changes may have been missed. */
  private hear(text: string | null): void {
    if (text === null) {
      // DATA_DIR may have changed too, which no version tells: reload whatever the mirror says.
      void this.catchUp(true);
      return;
    }
    const message = parseMessage(text);
    if (message === null) {
      this.deps.logger.warn('fleet.message_unreadable', { message: text.slice(0, 200) });
      return;
    }
    if (message.from === this.deps.machine.id) return;
    if (message.kind === 'reloaded') this.waiting.get(message.change)?.(message.from, message.outcome);
    else this.follow(message);
  }

  /** Takes another machine's change: one sync and reload at a time, answering every change heard before it began. */
  private follow({ change, articles, limited }: Extract<FleetMessage, { kind: 'changed' }>): void {
    this.deps.logger.debug('fleet.heard', { change, articles, limited });
    this.heard.push({ change, limited });
    this.following ??= this.followHeard();
  }

  private async followHeard(): Promise<void> {
    const { mirror, shared, machine, logger } = this.deps;
    try {
      while (this.heard.length > 0) {
        const heard = this.heard.splice(0);
        const changes = heard.map((one) => one.change);
        try {
          const sync = await mirror.sync();
          const limited = heard.every((one) => one.limited) ? this.limitedTo(sync, []) : undefined;
          const report = await this.reloadHere(limited);
          this.served = sync.state;
          logger.info('fleet.reloaded', {
            changes: changes.length,
            files: limited ? limited.imported.length : 'all',
            applied: report.applied,
            articles: report.articles,
          });
          const outcome = outcomeOf(machine.label, report);
          for (const change of changes)
            await shared.publish(
              JSON.stringify({ kind: 'reloaded', change, from: machine.id, outcome } satisfies FleetMessage),
            );
        } catch (error) {
          logger.warn('fleet.follow_failed', { changes: changes.length, error: String(error) });
        }
      }
    } finally {
      this.following = null;
    }
  }

  /**
   * Syncs the mirror and reloads when what it holds is not what was last served (whoever synced
   * it), or, when `always`, in any case: for changes this machine was not told of.
   */
  private async catchUp(always: boolean): Promise<void> {
    // A check while a reload runs would supersede it, and the next check that one: at 10,000
    // articles a rebuild outlasts the poll, and would never finish. The next check comes soon.
    if (this.reloading > 0 && !always) return;
    try {
      const { state } = await this.deps.mirror.sync();
      if (!always && (state === this.served || this.reloading > 0)) return;
      const report = await this.reloadHere();
      this.served = state;
      this.deps.logger.info('fleet.caught_up', { applied: report.applied, articles: report.articles });
    } catch (error) {
      this.deps.logger.warn('fleet.sync_failed', { error: String(error) });
    }
  }
}

/** Longest machine label a message may carry: a host name, a process id and a list of shards. */
const MAX_LABEL = 200;
/**
 * Most articles a change names, and the longest slug named (PostgreSQL's NOTIFY payloads stop at
 * 8,000 bytes): a larger change names its first twenty.
 */
const MAX_NAMED = 20;
const MAX_SLUG = 100;

/** A message of the channel, or `null` when it is not one this version understands. */
function parseMessage(text: string): FleetMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const m = value as Record<string, unknown>;
  if (typeof m.change !== 'string' || typeof m.from !== 'string') return null;
  if (m.kind === 'changed') {
    const articles = Array.isArray(m.articles)
      ? m.articles
          .filter((slug): slug is string => typeof slug === 'string' && slug.length <= MAX_LABEL)
          .slice(0, MAX_NAMED)
      : [];
    return { kind: 'changed', change: m.change, from: m.from, articles, limited: m.limited === true };
  }
  if (m.kind !== 'reloaded' || m.outcome === null || typeof m.outcome !== 'object') return null;
  const o = m.outcome as Record<string, unknown>;
  const counts = [o.articles, o.passages, o.problems];
  if (typeof o.where !== 'string' || o.where.length > MAX_LABEL || typeof o.applied !== 'boolean') return null;
  if (!counts.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return null;
  return { kind: 'reloaded', change: m.change, from: m.from, outcome: o as unknown as PlaceOutcome };
}
