// Summarises V8 CPU profiles (`node --cpu-prof`, or BENCH_CPU_PROF=DIR with the load and uploads
// benches): the functions with the most self time, and the packages and source files the time
// was spent in, so a profile can be read without opening DevTools.
// Usage: node --import tsx bench/cpuprofile.ts FILE.cpuprofile [more…] [--top 30] [--after SECONDS]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
/** The value after `--name`, if given. */
const option = (name: string): number | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : undefined;
};
const top = option('--top') ?? 30;
/** Stretches starting before this many seconds into the profile (start-up) are left out. */
const after = option('--after') ?? 0;
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (files.length === 0) {
  console.error('usage: node --import tsx bench/cpuprofile.ts FILE.cpuprofile [--top 30]');
  process.exit(2);
}

/** Where a script's time belongs: a package under node_modules, a source file, or Node itself. */
function areaOf(url: string): string {
  if (url === '') return '(native or VM)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] ?? url;
  const src = /\/((?:src|bench|test)\/.*)$/.exec(url);
  if (src) return src[1] ?? url;
  if (url.startsWith('node:')) return url;
  return url;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const key = `${functionName || '(anonymous)'} ${areaOf(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    byArea.set(areaOf(url), (byArea.get(areaOf(url)) ?? 0) + ms);
  }
  const busy = total - idle;
  // Inclusive time of the project's own functions: each sample counts once for every distinct
  // function of src/ on its stack, which shows which request steps cost most, callees included.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || !/\/src\//.test(frame.url)) continue;
      const key = `${frame.functionName || '(anonymous)'} ${areaOf(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(
        `  ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / busy).toFixed(1).padStart(5)} %  ${key}`,
      );
  };
  console.log(
    `${file}: ${(total / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %)`,
  );
  show('self time by package or file', byArea);
  show('self time by function', byFunction);
  show('total time (callees included) by function of src/', inclusive);

  // The longest stretches the thread ran without going idle: what blocked its event loop, with
  // the functions (of src/ where there are any, else the top frames) most often on the stack.
  const stretches: { ms: number; at: number; frames: Map<string, number> }[] = [];
  let current: (typeof stretches)[number] | undefined;
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    clock += delta;
    const node = byId.get(id);
    if (node?.callFrame.functionName === '(idle)') {
      if (current) stretches.push(current);
      current = undefined;
      return;
    }
    current ??= { ms: 0, at: clock, frames: new Map() };
    current.ms += delta;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || !/\/src\//.test(frame.url)) continue;
      const key = `${frame.functionName || '(anonymous)'} ${areaOf(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      current.frames.set(key, (current.frames.get(key) ?? 0) + delta);
    }
    if (seen.size === 0 && node) {
      const key = `${node.callFrame.functionName || '(anonymous)'} ${areaOf(node.callFrame.url)}`;
      current.frames.set(key, (current.frames.get(key) ?? 0) + delta);
    }
  });
  if (current) stretches.push(current);
  console.log('\nlongest stretches without idle (the event loop blocked)');
  for (const s of stretches
    .filter((s) => s.at >= after * 1000)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10)) {
    const what = [...s.frames]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`)
      .join('; ');
    console.log(`  ${s.ms.toFixed(0).padStart(6)} ms at ${(s.at / 1000).toFixed(1)} s: ${what}`);
  }
}
