// The imported event log in a compact, columnar form, and the builder the CSV and XES readers
// fill while they stream. Strings (case ids, activities, resources, groups, case attributes)
// are interned once; times are Float64Arrays of UTC milliseconds. A log of several million
// events therefore costs about 30 bytes per event plus its distinct strings.
//
// Events are stored case by case, each case's events in time order; a task recorded as a
// `start` and a `complete` event is paired into one event with both times before anything
// else looks at it (so start → complete of one task is never mistaken for a self-loop).

/** One case attribute (e.g. `case:channel`): its distinct values and, per case, an index or -1. */
export interface CaseAttribute {
  readonly values: readonly string[];
  readonly codes: Int32Array;
}

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/** How the timestamps were read: the order of day and month, and the zone for naive times. */
export interface TimestampReport {
  /** The order used for dates written `a/b/yyyy`; `null` when no such date occurred. */
  readonly dateOrder: DateOrder | null;
  /** True when the order was inferred from the data rather than given. */
  readonly detected: boolean;
  /** For an inferred order: the first value that decided it, with its line or element. */
  readonly evidence: string | null;
  /** The IANA zone in which timestamps without an offset were read. */
  readonly timeZone: string;
  /** How many timestamps carried no offset (and were therefore read in `timeZone`). */
  readonly withoutOffset: number;
  /**
   * The most common offset (minutes east of UTC) among timestamps that carried one, or null when
   * none did: the log's own clock, in which its times are shown. Absent on logs read before it.
   */
  readonly offsetMinutes?: number | null;
}

/** Rows (CSV) or events (XES) not used, with why, how many and the first few line numbers. */
export interface SetAside {
  readonly reason: 'empty-case-id' | 'empty-activity' | 'empty-timestamp' | 'other-lifecycle';
  readonly count: number;
  /** Up to SET_ASIDE_EXAMPLES line numbers (CSV: the file's line; XES: the event's number). */
  readonly lines: readonly number[];
}

export const SET_ASIDE_EXAMPLES = 20;

/** Collects the rows set aside for one reason. */
export class SetAsideCounter {
  count = 0;
  readonly lines: number[] = [];
  constructor(readonly reason: SetAside['reason']) {}
  add(line: number): void {
    this.count++;
    if (this.lines.length < SET_ASIDE_EXAMPLES) this.lines.push(line);
  }
  report(): SetAside | null {
    return this.count === 0 ? null : { reason: this.reason, count: this.count, lines: this.lines };
  }
}

/** What the reader saw, so nothing is dropped silently. */
export interface ImportReport {
  readonly format: 'csv' | 'xes';
  /** CSV data rows or XES events read (after the header). */
  readonly rowsRead: number;
  /** Rows skipped because the case id was empty (a case named "NA" is a real case). */
  readonly emptyCaseIdRows: number;
  readonly emptyActivityRows: number;
  readonly emptyTimestampRows: number;
  readonly lifecycle: {
    readonly start: number;
    readonly complete: number;
    /** Transitions other than start and complete (schedule, suspend, …): not used. */
    readonly other: number;
    /** Start events with no later complete event of the same activity in the case: not used. */
    readonly unmatchedStarts: number;
  };
  readonly timestamps: TimestampReport;
  /** CSV: the column used for each field. XES: the attribute keys used. */
  readonly columns: Readonly<Record<string, string | null>>;
  /** XES: `<global>` declarations (scope → keys) and `<classifier>` declarations. */
  readonly declarations?: {
    readonly globals: Readonly<Record<string, readonly string[]>>;
    readonly classifiers: Readonly<Record<string, readonly string[]>>;
  };
  readonly warnings: readonly string[];
  /** Every kind of row set aside, with example line numbers (absent on logs read before it). */
  readonly setAside?: readonly SetAside[];
}

export interface EventLog {
  readonly caseIds: readonly string[];
  /** Events of case c are indices caseOffsets[c] … caseOffsets[c + 1] − 1. */
  readonly caseOffsets: Uint32Array;
  readonly activityNames: readonly string[];
  readonly resourceNames: readonly string[];
  readonly groupNames: readonly string[];
  /** Per event: index into activityNames. */
  readonly activity: Uint32Array;
  /** Per event: index into resourceNames, or -1. */
  readonly resource: Int32Array;
  /** Per event: index into groupNames, or -1. */
  readonly group: Int32Array;
  /** Per event: start instant (UTC ms), NaN when the log did not record one. */
  readonly start: Float64Array;
  /** Per event: completion instant (UTC ms). */
  readonly complete: Float64Array;
  readonly caseAttributes: ReadonlyMap<string, CaseAttribute>;
  /** True when at least one event has a recorded start time. */
  readonly hasStartTimes: boolean;
  readonly report: ImportReport;
}

/** A case attribute being collected (see LogBuilder.caseAttribute). */
export interface CaseAttributeHandle {
  readonly interner: Interner;
  codes: Int32Array;
}

/** Lifecycle of a raw event as read. */
export const LIFECYCLE_COMPLETE = 0;
export const LIFECYCLE_START = 1;
export const LIFECYCLE_OTHER = 2;

/** Trie nodes an interner may use (128 slots of 2 bytes each) before it relies on hashing alone. */
const TRIE_MAX_NODES = 8192;

/**
 * Distinct strings numbered in order of first appearance. `internRange` looks a value up where it
 * lies in a larger text (a CSV field in place), so a value already seen makes no string. A column
 * with few distinct values (activities, resources) is looked up in a trie of ASCII characters,
 * one array read per character; values beyond the trie's size, and non-ASCII values, in an
 * open-addressing table of FNV-1a hashes, each hit confirmed character by character.
 */
export class Interner {
  readonly names: string[] = [];
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  /** children[node * 128 + c]: the node after character c, 0 for none (node 0 is the root). */
  private children: Uint16Array | null = new Uint16Array(64 * 128);
  /** terminal[node]: 1 + the index of the name ending at the node, or 0. */
  private terminal = new Int32Array(64);
  private nodes = 1;

  intern(value: string): number {
    return this.internRange(value, 0, value.length);
  }

  internRange(text: string, start: number, end: number): number {
    const children = this.children;
    if (children !== null) {
      let node = 0;
      let i = start;
      for (; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c >= 128) break;
        const next = children[(node << 7) | c] as number;
        if (next === 0) break;
        node = next;
      }
      if (i === end) {
        const t = this.terminal[node] as number;
        if (t !== 0) return t - 1;
      }
      if (!this.hasWide(text, i, end)) return this.insertTrie(text, start, end, node, i);
    }
    return this.internHashed(text, start, end);
  }

  private hasWide(text: string, from: number, end: number): boolean {
    for (let i = from; i < end; i++) if (text.charCodeAt(i) >= 128) return true;
    return false;
  }

  /** A new ASCII value whose first characters up to `from` lead to `node`. */
  private insertTrie(text: string, start: number, end: number, node: number, from: number): number {
    if (this.nodes + (end - from) > TRIE_MAX_NODES) {
      this.children = null;
      this.terminal = new Int32Array(0);
      return this.internHashed(text, start, end);
    }
    for (let i = from; i < end; i++) {
      if (this.nodes === this.terminal.length) this.growTrie();
      const next = this.nodes++;
      (this.children as Uint16Array)[(node << 7) | text.charCodeAt(i)] = next;
      node = next;
    }
    const index = this.internHashed(text, start, end);
    this.terminal[node] = index + 1;
    return index;
  }

  private growTrie(): void {
    const size = this.terminal.length * 2;
    const children = new Uint16Array(size * 128);
    children.set(this.children as Uint16Array);
    const terminal = new Int32Array(size);
    terminal.set(this.terminal);
    this.children = children;
    this.terminal = terminal;
  }

  private internHashed(text: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = h & mask;
    const length = end - start;
    for (;;) {
      const k = slots[slot] as number;
      if (k === 0) break;
      if (this.hashes[slot] === h) {
        const name = this.names[k - 1] as string;
        if (name.length === length) {
          let j = 0;
          while (j < length && name.charCodeAt(j) === text.charCodeAt(start + j)) j++;
          if (j === length) return k - 1;
        }
      }
      slot = (slot + 1) & mask;
    }
    const i = this.names.length;
    // A value cut from a large chunk of text can keep the whole chunk alive; keep a copy.
    const own = length > 12 ? (text.slice(start, end) + ' ').slice(0, -1) : text.slice(start, end);
    this.names.push(own);
    slots[slot] = i + 1;
    this.hashes[slot] = h;
    if (this.names.length * 2 > slots.length) this.rehash();
    return i;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const hashes = new Int32Array(size);
    const mask = size - 1;
    for (let s = 0; s < this.slots.length; s++) {
      const k = this.slots[s] as number;
      if (k === 0) continue;
      const h = this.hashes[s] as number;
      let slot = h & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k;
      hashes[slot] = h;
    }
    this.slots = slots;
    this.hashes = hashes;
  }
}

function grow<T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(
  array: T,
  size: number,
): T {
  const Ctor = array.constructor as new (n: number) => T;
  const next = new Ctor(size);
  next.set(array);
  return next;
}

/**
 * Collects raw events in any order and turns them into an `EventLog`. The readers add one raw
 * event per row; `finish` groups by case, orders by time, pairs start/complete events.
 */
export class LogBuilder {
  private readonly cases = new Interner();
  private readonly activities = new Interner();
  private readonly resources = new Interner();
  private readonly groups = new Interner();
  private readonly attributes = new Map<string, CaseAttributeHandle>();
  private capacity = 1024;
  private size = 0;
  private caseOf = new Uint32Array(this.capacity);
  private activityOf = new Uint32Array(this.capacity);
  private resourceOf = new Int32Array(this.capacity);
  private groupOf = new Int32Array(this.capacity);
  private lifecycleOf = new Uint8Array(this.capacity);
  /** The event's timestamp (the completion, or the start for a lifecycle `start` event). */
  private time = new Float64Array(this.capacity);
  /** A start time given in its own column (NaN when none). */
  private startOf = new Float64Array(this.capacity);
  /** The other reading of ambiguous day/month dates, kept until the order is known. */
  private altTime: Float64Array | null = null;
  private altStart: Float64Array | null = null;

  get eventCount(): number {
    return this.size;
  }

  caseIndex(caseId: string): number {
    return this.cases.intern(caseId);
  }

  /** The interners, for readers that look fields up in place (`Interner.internRange`). */
  get interners(): {
    readonly cases: Interner;
    readonly activities: Interner;
    readonly resources: Interner;
    readonly groups: Interner;
  } {
    return {
      cases: this.cases,
      activities: this.activities,
      resources: this.resources,
      groups: this.groups,
    };
  }

  /** As `add`, with the activity, resource and group already interned (-1: none). */
  addCoded(
    caseIndex: number,
    activity: number,
    time: number,
    start: number,
    lifecycle: number,
    resource: number,
    group: number,
    altTime: number,
    altStart: number,
  ): void {
    if (this.size === this.capacity) this.enlarge();
    const i = this.size++;
    this.caseOf[i] = caseIndex;
    this.activityOf[i] = activity;
    this.resourceOf[i] = resource;
    this.groupOf[i] = group;
    this.lifecycleOf[i] = lifecycle;
    this.time[i] = time;
    this.startOf[i] = start;
    if (this.altTime === null && (altTime !== time || altStart !== start)) {
      if (!Object.is(altTime, time) || !Object.is(altStart, start)) {
        this.altTime = this.time.slice();
        this.altStart = this.startOf.slice();
      }
    }
    if (this.altTime !== null && this.altStart !== null) {
      this.altTime[i] = altTime;
      this.altStart[i] = altStart;
    }
  }

  add(
    caseIndex: number,
    activity: string,
    time: number,
    start: number,
    lifecycle: number,
    resource: string | null,
    group: string | null,
    altTime: number = time,
    altStart: number = start,
  ): void {
    if (this.size === this.capacity) this.enlarge();
    const i = this.size++;
    this.caseOf[i] = caseIndex;
    this.activityOf[i] = this.activities.intern(activity);
    this.resourceOf[i] = resource === null ? -1 : this.resources.intern(resource);
    this.groupOf[i] = group === null ? -1 : this.groups.intern(group);
    this.lifecycleOf[i] = lifecycle;
    this.time[i] = time;
    this.startOf[i] = start;
    if (this.altTime === null && (!Object.is(altTime, time) || !Object.is(altStart, start))) {
      this.altTime = this.time.slice();
      this.altStart = this.startOf.slice();
    }
    if (this.altTime !== null && this.altStart !== null) {
      this.altTime[i] = altTime;
      this.altStart[i] = altStart;
    }
  }

  /** The handle of a case attribute, for `setCaseAttributeOf` (saves a lookup per row). */
  caseAttribute(name: string): CaseAttributeHandle {
    let attribute = this.attributes.get(name);
    if (attribute === undefined) {
      attribute = { interner: new Interner(), codes: new Int32Array(1024).fill(-1) };
      this.attributes.set(name, attribute);
    }
    return attribute;
  }

  /** Records a case attribute; the first non-empty value seen for a case wins. */
  setCaseAttribute(caseIndex: number, name: string, value: string): void {
    this.setCaseAttributeOf(this.caseAttribute(name), caseIndex, value);
  }

  /** As `setCaseAttributeOf`, for the non-empty value text[start, end). */
  setCaseAttributeRange(
    attribute: CaseAttributeHandle,
    caseIndex: number,
    text: string,
    start: number,
    end: number,
  ): void {
    if (caseIndex < attribute.codes.length && attribute.codes[caseIndex] !== -1) return;
    if (caseIndex >= attribute.codes.length) {
      const size = Math.max(caseIndex + 1, attribute.codes.length * 2);
      const codes = new Int32Array(size).fill(-1);
      codes.set(attribute.codes);
      attribute.codes = codes;
    }
    attribute.codes[caseIndex] = attribute.interner.internRange(text, start, end);
  }

  setCaseAttributeOf(attribute: CaseAttributeHandle, caseIndex: number, value: string): void {
    if (caseIndex < attribute.codes.length && attribute.codes[caseIndex] !== -1) return;
    if (caseIndex >= attribute.codes.length) {
      const size = Math.max(caseIndex + 1, attribute.codes.length * 2);
      const codes = new Int32Array(size).fill(-1);
      codes.set(attribute.codes);
      attribute.codes = codes;
    }
    if (attribute.codes[caseIndex] === -1)
      attribute.codes[caseIndex] = attribute.interner.intern(value);
  }

  private enlarge(): void {
    this.capacity *= 2;
    this.caseOf = grow(this.caseOf, this.capacity);
    this.activityOf = grow(this.activityOf, this.capacity);
    this.resourceOf = grow(this.resourceOf, this.capacity);
    this.groupOf = grow(this.groupOf, this.capacity);
    this.lifecycleOf = grow(this.lifecycleOf, this.capacity);
    this.time = grow(this.time, this.capacity);
    this.startOf = grow(this.startOf, this.capacity);
    if (this.altTime !== null) this.altTime = grow(this.altTime, this.capacity);
    if (this.altStart !== null) this.altStart = grow(this.altStart, this.capacity);
  }

  /**
   * Builds the log. `useAlternate` picks the second reading of ambiguous dates (month-first
   * when the first was day-first). Returns the log and the number of unmatched start events.
   */
  finish(
    report: Omit<ImportReport, 'lifecycle'> & {
      lifecycle: Omit<ImportReport['lifecycle'], 'unmatchedStarts'>;
    },
    useAlternate = false,
  ): EventLog {
    const n = this.size;
    const time = useAlternate && this.altTime !== null ? this.altTime : this.time;
    const startCol = useAlternate && this.altStart !== null ? this.altStart : this.startOf;
    const caseCount = this.cases.names.length;

    // Group by case with a stable counting sort, then order each case by time.
    const counts = new Uint32Array(caseCount + 1);
    for (let i = 0; i < n; i++) (counts[(this.caseOf[i] as number) + 1] as number)++;
    for (let c = 0; c < caseCount; c++) (counts[c + 1] as number) += counts[c] as number;
    const rawOffsets = counts.slice();
    const order = new Uint32Array(n);
    const cursor = counts.slice(0, caseCount);
    for (let i = 0; i < n; i++) order[(cursor[this.caseOf[i] as number] as number)++] = i;

    // At the same instant a start comes before a completion, so a zero-length task still pairs.
    const lifecycle = this.lifecycleOf;
    const rank = (i: number): number => (lifecycle[i] === LIFECYCLE_START ? 0 : 1);
    const byTime = (a: number, b: number): number =>
      (time[a] as number) - (time[b] as number) || rank(a) - rank(b) || a - b;
    let pairing = false;
    for (let i = 0; i < n; i++) {
      if (this.lifecycleOf[i] !== LIFECYCLE_COMPLETE) {
        pairing = true;
        break;
      }
    }

    // Output: one event per completed task instance.
    const outActivity = new Uint32Array(n);
    const outResource = new Int32Array(n);
    const outGroup = new Int32Array(n);
    const outStart = new Float64Array(n);
    const outComplete = new Float64Array(n);
    const caseOffsets = new Uint32Array(caseCount + 1);
    let out = 0;
    let unmatchedStarts = 0;
    let hasStart = false;
    const pending = new Map<number, number[]>();
    const keptCases: number[] = [];

    for (let c = 0; c < caseCount; c++) {
      const from = rawOffsets[c] as number;
      const to = rawOffsets[c + 1] as number;
      const slice = order.subarray(from, to);
      let sorted = true;
      for (let k = 1; k < slice.length; k++) {
        if (byTime(slice[k - 1] as number, slice[k] as number) > 0) {
          sorted = false;
          break;
        }
      }
      if (!sorted) slice.sort(byTime);
      const caseStart = out;
      if (pairing) pending.clear();
      for (let k = 0; k < slice.length; k++) {
        const i = slice[k] as number;
        const lifecycle = this.lifecycleOf[i];
        if (lifecycle === LIFECYCLE_OTHER) continue;
        if (lifecycle === LIFECYCLE_START) {
          const act = this.activityOf[i] as number;
          const queue = pending.get(act);
          if (queue === undefined) pending.set(act, [i]);
          else queue.push(i);
          continue;
        }
        let start = startCol[i] as number;
        if (pairing) {
          const queue = pending.get(this.activityOf[i] as number);
          const opener = queue?.shift();
          if (opener !== undefined) start = time[opener] as number;
        }
        if (!Number.isNaN(start)) hasStart = true;
        outActivity[out] = this.activityOf[i] as number;
        outResource[out] = this.resourceOf[i] as number;
        outGroup[out] = this.groupOf[i] as number;
        outStart[out] = start;
        outComplete[out] = time[i] as number;
        out++;
      }
      if (pairing) for (const queue of pending.values()) unmatchedStarts += queue.length;
      // Order the case's task instances by start (the completion where none), as pm4py does.
      const count = out - caseStart;
      if (count > 1)
        sortCase(caseStart, count, outActivity, outResource, outGroup, outStart, outComplete);
      if (count > 0) {
        keptCases.push(c);
        caseOffsets[keptCases.length] = out;
      }
    }

    const caseIds = keptCases.map((c) => this.cases.names[c] as string);
    const caseAttributes = new Map<string, CaseAttribute>();
    for (const [name, attribute] of this.attributes) {
      const codes = new Int32Array(keptCases.length);
      keptCases.forEach(
        (c, k) => (codes[k] = c < attribute.codes.length ? (attribute.codes[c] as number) : -1),
      );
      caseAttributes.set(name, { values: attribute.interner.names, codes });
    }
    const warnings = [...report.warnings];
    if (unmatchedStarts > 0) {
      warnings.push(
        `${unmatchedStarts.toLocaleString('en-GB')} start events had no later complete event of the same activity in their case and were not used.`,
      );
    }
    const droppedCases = caseCount - keptCases.length;
    if (droppedCases > 0) {
      warnings.push(
        `${droppedCases.toLocaleString('en-GB')} cases had no complete event and were left out.`,
      );
    }
    return {
      caseIds,
      caseOffsets: caseOffsets.slice(0, keptCases.length + 1),
      activityNames: this.activities.names,
      resourceNames: this.resources.names,
      groupNames: this.groups.names,
      activity: outActivity.slice(0, out),
      resource: outResource.slice(0, out),
      group: outGroup.slice(0, out),
      start: outStart.slice(0, out),
      complete: outComplete.slice(0, out),
      caseAttributes,
      hasStartTimes: hasStart,
      report: { ...report, lifecycle: { ...report.lifecycle, unmatchedStarts }, warnings },
    };
  }
}

function sortCase(
  from: number,
  count: number,
  activity: Uint32Array,
  resource: Int32Array,
  group: Int32Array,
  start: Float64Array,
  complete: Float64Array,
): void {
  const key = (i: number): number => {
    const s = start[i] as number;
    return Number.isNaN(s) ? (complete[i] as number) : s;
  };
  let sorted = true;
  for (let k = from + 1; k < from + count; k++) {
    if (
      key(k - 1) > key(k) ||
      (key(k - 1) === key(k) && (complete[k - 1] as number) > (complete[k] as number))
    ) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  const idx = Array.from({ length: count }, (_, k) => from + k);
  idx.sort((a, b) => key(a) - key(b) || (complete[a] as number) - (complete[b] as number) || a - b);
  const a = idx.map((i) => activity[i] as number);
  const r = idx.map((i) => resource[i] as number);
  const g = idx.map((i) => group[i] as number);
  const s = idx.map((i) => start[i] as number);
  const c = idx.map((i) => complete[i] as number);
  for (let k = 0; k < count; k++) {
    activity[from + k] = a[k] as number;
    resource[from + k] = r[k] as number;
    group[from + k] = g[k] as number;
    start[from + k] = s[k] as number;
    complete[from + k] = c[k] as number;
  }
}

/** The start of event i, or its completion when no start was recorded (pm4py's convention). */
export function startOrComplete(log: EventLog, i: number): number {
  const s = log.start[i] as number;
  return Number.isNaN(s) ? (log.complete[i] as number) : s;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}
