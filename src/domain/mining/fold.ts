// Folding a discovered process so its diagram stays readable (issue 13, point 2): a real log has
// dozens of rare paths and rework arcs (a 14-stage helpdesk chain had about 50). Two rules, one
// threshold `share` the person can change:
//
// - a stage reached by fewer than share ÷ 5 of the cases (1 % at the default 5 %) is folded away:
//   every route into it goes on to where it leads, in the proportions it leads there (so the flow
//   that passed through it is kept, and only its own time is lost);
// - a route that takes fewer than `share` of a stage's exits is dropped and the stage's other
//   routes take it up in proportion — unless dropping it would leave a stage from which cases can
//   never leave; the ends of cases (routes out of the chain) are never dropped.
//
// Pure: plain routing in, plain routing out, with the list of what was folded.

/** The exit of the chain (a case ends). */
export const FOLD_EXIT = 'exit';

export interface FoldRoute {
  readonly to: string;
  readonly probability: number;
}

export interface FoldStage {
  readonly id: string;
  readonly name: string;
  /** Cases that visit the stage at least once. */
  readonly cases: number;
  readonly routes: readonly FoldRoute[];
}

export interface FoldResult {
  /** The stages kept, with their routes after folding. */
  readonly stages: readonly FoldStage[];
  /** Case-start shares after folding (a start at a folded stage goes on where it leads). */
  readonly starts: ReadonlyMap<string, number>;
  /** Stages folded away: rare ones, and (`unreached`) ones reached only by routes dropped. */
  readonly foldedStages: readonly {
    readonly name: string;
    readonly caseShare: number;
    readonly unreached?: boolean;
  }[];
  readonly droppedRoutes: readonly {
    readonly from: string;
    readonly to: string;
    readonly probability: number;
  }[];
}

/** Default share below which a route (and a fifth of it for a stage) is folded. */
export const DEFAULT_FOLD = 0.05;
/** The largest share a person may choose: above it most of a process would vanish. */
export const MAX_FOLD = 0.3;

function addTo(map: Map<string, number>, key: string, x: number): void {
  map.set(key, (map.get(key) ?? 0) + x);
}

/** Folds rare stages into their neighbours, then drops rare routes (see the file's header). */
export function foldProcess(
  stages: readonly FoldStage[],
  starts: ReadonlyMap<string, number>,
  totalCases: number,
  share: number,
): FoldResult {
  const routes = new Map(
    stages.map((s) => [s.id, new Map(s.routes.map((r) => [r.to, r.probability]))]),
  );
  const startMap = new Map(starts);
  const stageShare = share / 5;
  const foldedStages: { name: string; caseShare: number; unreached?: boolean }[] = [];
  const folded = new Set<string>();
  if (share > 0 && totalCases > 0) {
    const rare = stages
      .filter((s) => s.cases / totalCases < stageShare)
      .sort((a, b) => a.cases - b.cases);
    for (const x of rare) {
      // Never fold every stage away.
      if (folded.size + 1 >= stages.length) break;
      const out = routes.get(x.id) ?? new Map<string, number>();
      const self = out.get(x.id) ?? 0;
      if (self >= 1 - 1e-12) continue;
      const onward = [...out].filter(([to]) => to !== x.id);
      const redirect = (into: Map<string, number>, p: number): void => {
        for (const [to, q] of onward) addTo(into, to, (p * q) / (1 - self));
      };
      for (const [id, r] of routes) {
        if (id === x.id) continue;
        const p = r.get(x.id);
        if (p === undefined) continue;
        r.delete(x.id);
        redirect(r, p);
      }
      const s = startMap.get(x.id);
      if (s !== undefined) {
        startMap.delete(x.id);
        const into = new Map<string, number>();
        redirect(into, s);
        for (const [to, p] of into) if (to !== FOLD_EXIT) addTo(startMap, to, p);
      }
      routes.delete(x.id);
      folded.add(x.id);
      foldedStages.push({ name: x.name, caseShare: x.cases / totalCases });
    }
  }

  const droppedRoutes: { from: string; to: string; probability: number }[] = [];
  const kept = stages.filter((s) => !folded.has(s.id));
  const names = new Map(stages.map((s) => [s.id, s.name]));
  const before = new Map([...routes].map(([id, r]) => [id, new Map(r)]));
  if (share > 0) {
    for (const [id, r] of routes) {
      for (const [to, p] of [...r]) {
        if (to !== FOLD_EXIT && p < share && r.size > 1) {
          r.delete(to);
          droppedRoutes.push({
            from: names.get(id) ?? id,
            to: names.get(to) ?? to,
            probability: p,
          });
        }
      }
    }
    // Restore the routes of any stage from which cases could no longer leave.
    for (;;) {
      const leaves = new Set<string>();
      let changed = true;
      while (changed) {
        changed = false;
        for (const [id, r] of routes) {
          if (leaves.has(id)) continue;
          if ([...r.keys()].some((to) => to === FOLD_EXIT || leaves.has(to))) {
            leaves.add(id);
            changed = true;
          }
        }
      }
      const stuck = [...routes.keys()].filter((id) => !leaves.has(id));
      if (stuck.length === 0) break;
      for (const id of stuck) {
        routes.set(id, new Map(before.get(id)));
        const name = names.get(id) ?? id;
        for (let i = droppedRoutes.length - 1; i >= 0; i--) {
          if (droppedRoutes[i]?.from === name) droppedRoutes.splice(i, 1);
        }
      }
    }
  }
  // A stage no longer reached (every route into it dropped, no case starting there) goes too.
  const reached = new Set<string>([...startMap.keys()].filter((id) => routes.has(id)));
  const queue = [...reached];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    for (const to of routes.get(id)?.keys() ?? []) {
      if (to !== FOLD_EXIT && routes.has(to) && !reached.has(to)) {
        reached.add(to);
        queue.push(to);
      }
    }
  }
  if (share > 0 && reached.size > 0) {
    for (const s of kept) {
      if (reached.has(s.id)) continue;
      foldedStages.push({
        name: s.name,
        caseShare: totalCases > 0 ? s.cases / totalCases : 0,
        unreached: true,
      });
      folded.add(s.id);
      routes.delete(s.id);
    }
  }
  const normalised = kept
    .filter((s) => !folded.has(s.id))
    .map((s) => {
      const r = routes.get(s.id) ?? new Map<string, number>();
      const total = [...r.values()].reduce((a, b) => a + b, 0);
      return {
        ...s,
        routes: [...r]
          .map(([to, p]) => ({ to, probability: total > 0 ? p / total : 0 }))
          .sort((a, b) => b.probability - a.probability),
      };
    });
  const startTotal = [...startMap.values()].reduce((a, b) => a + b, 0);
  return {
    stages: normalised,
    starts: new Map([...startMap].map(([k, v]) => [k, startTotal > 0 ? v / startTotal : 0])),
    foldedStages,
    droppedRoutes,
  };
}
