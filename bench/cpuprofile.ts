// Summarises V8 CPU profiles (`node --cpu-prof`, or BENCH_CPU_PROF=DIR with the load and uploads
// benches): the functions with the most self time, and the packages and source files the time
// was spent in, so a profile can be read without opening DevTools.
// Usage: node --import tsx bench/cpuprofile.ts FILE.cpuprofile [more…] [--top 30]
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
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
const files = args.filter((a, i) => a !== '--top' && i !== topAt + 1);
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
}
