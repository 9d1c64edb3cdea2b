// The simulator's future-event list: a binary min-heap on event time held in two typed arrays
// (time, integer code), so pushing and popping allocate nothing once the arrays have grown.

export class EventQueue {
  private times: Float64Array;
  private codes: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.codes = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  push(time: number, code: number): void {
    if (this.count === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      const codes = new Int32Array(this.codes.length * 2);
      codes.set(this.codes);
      this.times = times;
      this.codes = codes;
    }
    const times = this.times;
    const codes = this.codes;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt <= time) break;
      times[i] = pt;
      codes[i] = codes[parent] as number;
      i = parent;
    }
    times[i] = time;
    codes[i] = code;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.count > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Code of the earliest event; call before `pop`. */
  peekCode(): number {
    return this.codes[0] as number;
  }

  /** Removes the earliest event. */
  pop(): void {
    const times = this.times;
    const codes = this.codes;
    const n = --this.count;
    if (n <= 0) return;
    const time = times[n] as number;
    const code = codes[n] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (times[right] as number) < (times[child] as number)) child = right;
      const ct = times[child] as number;
      if (ct >= time) break;
      times[i] = ct;
      codes[i] = codes[child] as number;
      i = child;
    }
    times[i] = time;
    codes[i] = code;
  }
}
