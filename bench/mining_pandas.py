"""Independent pandas computation of the mining engine's analysis, the peer of bench/suites/mining.ts.

On receipt.csv its numbers must equal the engine's (times to the second); on receipt.csv scaled
to a million events its time and peak memory are the baseline the engine is measured against.

Two modes:
  full    (default) the same work as the engine's readCsvLog + analyseLog: the same columns read
          (case id, activity, timestamp, lifecycle, resource, group, every other case:* column
          reduced to its first non-empty value per case), rows without a case id, activity or
          timestamp counted and dropped, start/complete events paired (FIFO per activity in a
          case), then counts, start and end activities, the directly-follows graph, per-activity
          measures, variants, case durations with deciles, throughput and backlog per week or
          month, resource workload and the bottleneck candidates' evidence and classification.
  subset  only case, activity and timestamp, the waits before each activity and the graph's
          edge times: the like-for-like part.

Definitions (pm4py's, as in src/domain/mining/README.md): the events of a case are ordered by start
(the completion where none), then completion, ties in file order; the time of edge a -> b is
max(0, start(b) - complete(a)); the wait before an activity is the time of the edge into it; its
share is the summed wait over the summed case durations (last completion - first start); medians and
percentiles interpolate linearly (numpy's default).

Written the way a pandas user would: vectorised columns, groupby aggregations, factorised codes;
no per-event Python loop. Pairing by rank within (case, activity) matches the engine's FIFO pairing
whenever every start precedes its completion (the engine refuses or reports the other cases).

Usage: /usr/bin/python3 bench/mining_pandas.py LOG.csv [full|subset]
Prints one JSON document with the results, the elapsed and CPU seconds and the peak RSS in MB.
"""
import json
import math
import resource
import sys
import time

import numpy as np
import pandas as pd

started = time.perf_counter()
cpu_started = time.process_time()
path = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "full"

DEFAULTS = {
    "case": ["case:concept:name", "case_id", "case id", "caseid", "case"],
    "activity": ["concept:name", "activity", "activity_name", "activity name", "event"],
    "timestamp": ["time:timestamp", "timestamp", "complete_timestamp", "end_timestamp", "time"],
    "start": ["start_timestamp", "start timestamp", "time:start"],
    "lifecycle": ["lifecycle:transition", "lifecycle", "transition"],
    "resource": ["org:resource", "resource", "user"],
    "group": ["org:group"],
}
header = [h.strip() for h in pd.read_csv(path, nrows=0).columns]
folded = {h.lower(): h for h in reversed(header)}


def column(field):
    for name in DEFAULTS[field]:
        if name in header:
            return name
        if name in folded:
            return folded[name]
    return None


col = {f: column(f) for f in DEFAULTS}
if mode == "subset":
    col = {f: (col[f] if f in ("case", "activity", "timestamp") else None) for f in col}
attributes = [h for h in header if h.startswith("case:") and h != col["case"]] if mode == "full" else []
usecols = [c for c in col.values() if c is not None] + attributes
df = pd.read_csv(path, usecols=usecols, dtype=str, keep_default_na=False)

rows_read = len(df)
case_s, act_s, ts_s = df[col["case"]], df[col["activity"]], df[col["timestamp"]]
empty_case = case_s.eq("")
empty_act = ~empty_case & act_s.eq("")
empty_ts = ~empty_case & ~empty_act & ts_s.eq("")
df = df[~(empty_case | empty_act | empty_ts)]

# Codes in order of first appearance, as the engine interns them.
case_code, case_names = pd.factorize(df[col["case"]])
act_code, act_names = pd.factorize(df[col["activity"]])
ts = pd.to_datetime(df[col["timestamp"]], utc=True).values.astype("datetime64[ms]").astype(np.int64).astype(np.float64)
if col["start"] is not None:
    raw_start = df[col["start"]].mask(df[col["start"]] == "")
    start = pd.to_datetime(raw_start, utc=True).values.astype("datetime64[ms]").astype(np.int64).astype(np.float64)
    start[raw_start.isna().values] = np.nan
else:
    start = np.full(len(df), np.nan)
if col["lifecycle"] is not None:
    # Normalise the few distinct values, not every row.
    lc_code, lc_values = pd.factorize(df[col["lifecycle"]])
    lc_values = lc_values.str.strip().str.lower()
    is_start = np.isin(lc_code, np.flatnonzero(lc_values == "start"))
    is_complete = np.isin(lc_code, np.flatnonzero((lc_values == "complete") | (lc_values == "")))
else:
    is_start, is_complete = np.zeros(len(df), bool), np.ones(len(df), bool)
lifecycle_counts = {"start": int(is_start.sum()), "complete": int(is_complete.sum()),
                    "other": int((~is_start & ~is_complete).sum())}


def codes(name):
    """Codes in order of first appearance, -1 for an empty value; and the distinct values."""
    if name is None:
        return np.full(len(df), -1), []
    return pd.factorize(df[name].mask(df[name] == ""))


res_code, res_names = codes(col["resource"])
grp_code, _ = codes(col["group"])

# Case attributes: the first non-empty value per case.
case_attributes = {}
if attributes:
    values = df[attributes]
    firsts = values.mask(values == "").groupby(case_code, sort=False).first()
    case_attributes = {a: int(firsts[a].nunique()) for a in attributes}

ev = pd.DataFrame({"case": case_code, "act": act_code, "res": res_code, "grp": grp_code, "complete": ts,
                   "start": start})
unmatched = 0
if is_start.any():
    # FIFO pairing: the k-th start of an activity in a case opens its k-th completion.
    starts = ev[is_start].sort_values(["case", "complete"], kind="mergesort")
    ev = ev[is_complete].sort_values(["case", "complete"], kind="mergesort")
    starts["k"] = starts.groupby(["case", "act"]).cumcount()
    ev["k"] = ev.groupby(["case", "act"]).cumcount()
    ev = ev.merge(starts[["case", "act", "k", "complete"]].rename(columns={"complete": "paired"}),
                  on=["case", "act", "k"], how="left")
    ev["start"] = ev["paired"].fillna(ev["start"])
    unmatched = int(len(starts) - ev["paired"].notna().sum())
else:
    ev = ev[is_complete]
ev["key"] = ev["start"].fillna(ev["complete"])
ev = ev.sort_values(["case", "key", "complete"], kind="mergesort").reset_index(drop=True)

case = ev["case"].values
act = ev["act"].values
complete = ev["complete"].values
key = ev["key"].values
n = len(ev)
first_of_case = np.empty(n, bool)
first_of_case[0] = True
first_of_case[1:] = case[1:] != case[:-1]
last_of_case = np.empty(n, bool)
last_of_case[-1] = True
last_of_case[:-1] = first_of_case[1:]
gap = np.empty(n)
gap[0] = np.nan
gap[1:] = np.maximum(key[1:] - complete[:-1], 0)
gap[first_of_case] = np.nan
prev = np.empty(n, np.int64)
prev[0] = -1
prev[1:] = act[:-1]
prev[first_of_case] = -1
ev["gap"] = gap
ev["prev"] = prev


def stats(grouped, name="gap"):
    """count, total, mean, median, p90, min, max and cv (population) per group, in seconds."""
    g = grouped[name]
    out = g.agg(["count", "sum", "mean", "median", "min", "max"])
    out["p90"] = g.quantile(0.9)
    out["std"] = g.std(ddof=0)
    out = out.rename(columns={"sum": "total"})
    out["cv"] = np.where(out["mean"] > 0, out["std"] / out["mean"], 0.0)
    for c in ["total", "mean", "median", "min", "max", "p90"]:
        out[c] = out[c] / 1000
    return out.drop(columns="std")


def records(frame):
    return [{k: (float(v) if isinstance(v, (float, np.floating)) else int(v)) for k, v in row.items()}
            for row in frame.to_dict("records")]


def summary(values):
    values = np.sort(np.asarray(values, dtype=np.float64))
    if len(values) == 0:
        return {k: 0.0 for k in ["count", "total", "mean", "median", "p90", "min", "max", "cv"]}
    mean = values.mean()
    return {"count": int(len(values)), "total": float(values.sum() / 1000), "mean": float(mean / 1000),
            "median": float(np.quantile(values, 0.5) / 1000), "p90": float(np.quantile(values, 0.9) / 1000),
            "min": float(values[0] / 1000), "max": float(values[-1] / 1000),
            "cv": float(values.std() / mean) if mean > 0 else 0.0}


transitions = ev[prev >= 0]
edge_stats = stats(transitions.groupby(["prev", "act"], sort=False))
edge_stats["cases"] = transitions.groupby(["prev", "act"], sort=False)["case"].nunique()
wait_stats = stats(transitions.groupby("act", sort=False))
case_first = pd.Series(key).groupby(case).min().values
case_last = pd.Series(complete).groupby(case).max().values
case_ms = case_last - case_first
total_case = case_ms.sum()

result = {"cases": int(len(case_first)), "events": int(n), "activities": int(len(np.unique(act)))}
result["edges"] = [{"from": act_names[a], "to": act_names[b], **r}
                   for (a, b), r in zip(edge_stats.index, records(edge_stats))]
wait_share = wait_stats["total"] * 1000 / total_case if total_case > 0 else wait_stats["total"] * 0
result["waits"] = [{"activity": act_names[a], **r, "share": float(s)}
                   for a, r, s in zip(wait_stats.index, records(wait_stats), wait_share)]

if mode == "full":
    by_act = ev.groupby("act", sort=False)
    per_act = pd.DataFrame({"count": by_act.size(), "cases": by_act["case"].nunique(),
                            "caseStarts": pd.Series(act[first_of_case]).value_counts(),
                            "resources": ev[ev["res"] >= 0].groupby("act")["res"].nunique()}).fillna(0)
    with_start = ev[ev["start"].notna()]
    service = stats(with_start.assign(service=with_start["complete"] - with_start["start"])
                    .groupby("act"), "service") if len(with_start) else None
    activities = []
    for a, row in per_act.iterrows():
        w = wait_stats.loc[a] if a in wait_stats.index else None
        activities.append({
            "activity": act_names[a], "count": int(row["count"]), "cases": int(row["cases"]),
            "caseStarts": int(row["caseStarts"]), "resources": int(row["resources"]),
            "waitingTotal": float(w["total"]) if w is not None else 0.0,
            "waitingShare": float(w["total"] * 1000 / total_case) if w is not None and total_case > 0 else 0.0,
            "serviceMedian": float(service.loc[a, "median"]) if service is not None and a in service.index else None,
        })
    activities.sort(key=lambda x: (-x["waitingTotal"], -x["count"], x["activity"]))
    result["activityMeasures"] = activities
    result["startActivities"] = {act_names[a]: int(c) for a, c in pd.Series(act[first_of_case]).value_counts().items()}
    result["endActivities"] = {act_names[a]: int(c) for a, c in pd.Series(act[last_of_case]).value_counts().items()}

    # Variants: each case's activity sequence, most frequent first (ties: first seen first).
    # Vectorised: one row per case holding its activity codes (0-padded), then the distinct rows.
    # (A groupby(...).agg(tuple) would loop in Python over every case, about 3 s here.)
    case_begin = np.flatnonzero(first_of_case)
    length = np.diff(np.append(case_begin, n))
    position = np.arange(n) - np.repeat(case_begin, length)
    if len(case_begin) * length.max() <= 50_000_000:
        matrix = np.zeros((len(case_begin), length.max()), dtype=np.int32)
        matrix[case, position] = act + 1
        rows, vcode, vcount = np.unique(matrix, axis=0, return_inverse=True, return_counts=True)
        sequences = [[act_names[c - 1] for c in row if c > 0] for row in rows]
    else:
        seq = pd.Series(act.astype(str)).groupby(case, sort=True).agg(",".join)
        vcode, keys = pd.factorize(seq.values)
        vcount = np.bincount(vcode)
        sequences = [[act_names[int(x)] for x in k.split(",")] for k in keys]
    first_case = np.full(len(vcount), len(case_begin))
    np.minimum.at(first_case, vcode.ravel(), np.arange(len(case_begin)))
    order = np.lexsort((first_case, -vcount))
    result["variants"] = [{"activities": sequences[v], "cases": int(vcount[v])} for v in order]

    sorted_case_ms = np.sort(case_ms)
    result["caseDuration"] = {**summary(sorted_case_ms),
                              "deciles": [float(np.quantile(sorted_case_ms, d / 10) / 1000) for d in range(1, 10)]}

    DAY, WEEK = 86_400_000, 7 * 86_400_000
    first, last = case_first.min(), case_last.max()
    unit = "week" if last - first <= 183 * DAY else "month"

    def period_index(t):
        if unit == "week":
            return np.floor((np.asarray(t) + 3 * DAY) / WEEK).astype(np.int64)
        d = np.asarray(t).astype("datetime64[ms]").astype("datetime64[M]").astype(np.int64)
        return d + 1970 * 12

    def period_start(p):
        p = np.asarray(p)
        if unit == "week":
            return p * WEEK - 3 * DAY
        return (p - 1970 * 12).astype("datetime64[M]").astype("datetime64[ms]").astype(np.int64).astype(np.float64)

    p0 = int(period_index(first))
    periods = int(period_index(last)) - p0 + 1
    arrived = np.bincount(period_index(case_first) - p0, minlength=periods)
    completed = np.bincount(period_index(case_last) - p0, minlength=periods)
    starts_at = period_start(np.arange(p0, p0 + periods))
    labels = (pd.to_datetime(starts_at, unit="ms").strftime("%G-W%V") if unit == "week"
              else pd.to_datetime(starts_at, unit="ms").strftime("%Y-%m"))
    result["periodUnit"] = unit
    result["flow"] = [{"period": lab, "arrived": int(a), "completed": int(c), "openAtEnd": int(o)}
                      for lab, a, c, o in zip(labels, arrived, completed, np.cumsum(arrived - completed))]

    # Resource workload.
    with_res = ev[ev["res"] >= 0]
    by_res = with_res.groupby("res")
    work = pd.DataFrame({"events": by_res.size(), "cases": by_res["case"].nunique(),
                         "activities": by_res["act"].nunique(), "first": by_res["complete"].min(),
                         "last": by_res["complete"].max()})
    busy = (with_res["complete"] - with_res["start"]).groupby(with_res["res"]).agg(["sum", "count"])
    work["busySeconds"] = np.where(busy["count"] > 0, busy["sum"] / 1000, np.nan)
    work["eventsPerWeek"] = work["events"] / np.maximum(1, (work["last"] - work["first"]) / WEEK)
    work["resource"] = [res_names[r] for r in work.index]
    # Ties in name order ignoring case, as the engine's localeCompare.
    work = work.sort_values(["events", "resource"], ascending=[False, True],
                            key=lambda c: c.str.casefold() if c.name == "resource" else c)
    result["resources"] = [{"resource": r.resource, "events": int(r.events), "cases": int(r.cases),
                            "activities": int(r.activities), "eventsPerWeek": float(r.eventsPerWeek),
                            "busySeconds": None if math.isnan(r.busySeconds) else float(r.busySeconds)}
                           for r in work.itertuples()]

    # Utilisation: per resource, the union of its task intervals over its active span; per
    # activity, the mean over its events.
    utilisation = {}
    if ev["start"].notna().any() and len(with_res):
        iv = ev[(ev["res"] >= 0) & ev["start"].notna()].sort_values(["res", "start"], kind="mergesort")
        reach = iv.groupby("res")["complete"].cummax()
        before = reach.groupby(iv["res"]).shift()
        block = (before.isna() | (iv["start"] > before)).cumsum()
        merged = iv.groupby(block).agg(res=("res", "first"), s=("start", "min"), e=("complete", "max"))
        span = iv.groupby("res").agg(s=("start", "min"), e=("complete", "max"))
        share = (merged.assign(d=merged["e"] - merged["s"]).groupby("res")["d"].sum() / (span["e"] - span["s"]))
        share = share[span["e"] > span["s"]]
        weighted = with_res.assign(share=with_res["res"].map(share)).dropna(subset=["share"])
        utilisation = weighted.groupby("act")["share"].mean().to_dict()

    # Bottleneck candidates: waits of at least 2 % of case time, at most ten, largest first.
    candidates = [a for a in activities if a["waitingShare"] >= 0.02 and wait_stats.loc[
        act_names.get_loc(a["activity"]), "count"] > 0][:10]
    arrival_all = np.empty(n)
    arrival_all[0] = np.nan
    arrival_all[1:] = complete[:-1]
    out = []
    for rank, a in enumerate(candidates, 1):
        code = act_names.get_loc(a["activity"])
        mine = (act == code) & ~first_of_case
        arrivals, waits = arrival_all[mine], gap[mine]
        w = wait_stats.loc[code]
        median = w["median"] * 1000
        near = float(np.mean(np.abs(waits - median) <= 0.1 * median)) if median > 0 else 0.0
        m = len(waits)
        correlation = None
        if m >= 3:
            pos = np.floor(np.arange(20_000) * m / 20_000).astype(np.int64) if m > 20_000 else np.arange(m)
            at = arrivals[pos]
            queue = (np.searchsorted(np.sort(arrivals), at, "right")
                     - np.searchsorted(np.sort(arrivals + waits), at, "right") - (waits[pos] > 0))
            rho = pd.Series(waits[pos]).corr(pd.Series(queue.astype(np.float64)), method="spearman")
            correlation = None if math.isnan(rho) else float(rho)
        # Average number waiting per period: the integral of open waits over each period.
        ends = arrivals + waits
        q0 = int(period_index(arrivals.min()))
        bounds = period_start(np.arange(q0, int(period_index(ends.max())) + 2))
        integral = np.array([np.clip(b - arrivals, 0, waits).sum() for b in bounds])
        queue_per = np.diff(integral) / np.diff(bounds)
        trim = len(queue_per) // 10
        core = queue_per[trim:len(queue_per) - trim]
        growth = None
        if len(core) >= 6 and core.mean() != 0:
            third = len(core) // 3
            f, l = core[:third].mean(), core[len(core) - third:].mean()
            slope = np.polyfit(np.arange(len(core)), core, 1)[0]
            growth = {"growth": float((l - f) / core.mean() if slope > 0 else min(0, (l - f) / core.mean())),
                      "first": float(f), "last": float(l)}
        done = pd.Series(complete[act == code])
        evidence = {"observations": int(w["count"]), "medianSeconds": float(w["median"]),
                    "meanSeconds": float(w["mean"]), "p90Seconds": float(w["p90"]),
                    "waitingShare": a["waitingShare"], "cv": float(w["cv"]), "nearMedianShare": near,
                    "queueCorrelation": correlation,
                    "queueGrowth": growth["growth"] if growth else None,
                    "utilisation": utilisation.get(code),
                    "simultaneousShare": float(done.duplicated(keep=False).mean())}
        e = evidence
        if e["observations"] < 20:
            kind = "insufficient-data"
        elif e["medianSeconds"] >= 3600 and (e["cv"] <= 0.25 or e["nearMedianShare"] >= 0.6):
            kind = "timer"
        elif e["meanSeconds"] >= 3600 and (e["medianSeconds"] <= 0.1 * e["meanSeconds"] or e["medianSeconds"] < 60):
            kind = "batching"
        elif correlation is not None and (correlation >= 0.3 or ((e["queueGrowth"] or 0) >= 0.5 and correlation >= 0.15)):
            kind = "contention"
        else:
            kind = "external"
        out.append({"rank": rank, "activity": a["activity"], "kind": kind, "evidence": evidence})
    result["candidates"] = out
    named = None
    for kind in ["contention", "batching", "timer", "external"]:
        named = next((c for c in out if c["kind"] == kind and c["evidence"]["waitingShare"] >= 0.05), None)
        if named:
            break
    result["bottleneck"] = None if named is None else {"activity": named["activity"], "kind": named["kind"]}
    result["counts"] = {"cases": result["cases"], "events": n, "activities": len(activities),
                        "variants": len(result["variants"]), "resources": len(res_names)}
    result["import"] = {"rowsRead": rows_read, "emptyCaseIdRows": int(empty_case.sum()),
                        "emptyActivityRows": int(empty_act.sum()), "emptyTimestampRows": int(empty_ts.sum()),
                        "lifecycle": {**lifecycle_counts, "unmatchedStarts": unmatched},
                        "caseAttributes": case_attributes}

result["seconds"] = time.perf_counter() - started
result["cpuSeconds"] = time.process_time() - cpu_started
result["peakMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
json.dump(result, sys.stdout)
