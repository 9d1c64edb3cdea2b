"""Independent pandas computation of the mining engine's waits and directly-follows times.

Used by bench/suites/mining.ts: on receipt.csv its numbers must equal the engine's to the
second, and on a log scaled to a million events its time and peak memory are the baseline.
Definitions (pm4py's): events of a case ordered by timestamp (ties in file order); the time of
edge a -> b is max(0, complete(b) - complete(a)) when the log has completion times only; the
wait before an activity is the time of the edge into it; its share is the summed wait over the
summed case durations (last - first timestamp of each case).

Usage: /usr/bin/python3 bench/mining_pandas.py LOG.csv [case_col activity_col timestamp_col]
Prints one JSON document (seconds) with the elapsed time and the peak RSS in MB.
"""
import json
import resource
import sys
import time

import pandas as pd

started = time.perf_counter()
path = sys.argv[1]
case_col, act_col, ts_col = (sys.argv[2:5] + ["case:concept:name", "concept:name", "time:timestamp"][len(sys.argv[2:5]):])
df = pd.read_csv(path, usecols=[case_col, act_col, ts_col], dtype={case_col: str, act_col: str, ts_col: str},
                 keep_default_na=False)
df = df[df[case_col] != ""]
df["ts"] = pd.to_datetime(df[ts_col], utc=True)
df = df.sort_values([case_col, "ts"], kind="mergesort")
same = df[case_col].eq(df[case_col].shift())
df["prev"] = df[act_col].shift().where(same)
df["gap"] = (df["ts"] - df["ts"].shift()).dt.total_seconds().where(same).clip(lower=0)
edges = df.dropna(subset=["prev"])

def summary(groups):
    g = groups["gap"]
    out = pd.DataFrame({"count": g.count(), "total": g.sum(), "mean": g.mean(), "median": g.median(),
                        "p90": g.quantile(0.9)})
    return out

edge_stats = summary(edges.groupby(["prev", act_col]))
wait_stats = summary(edges.groupby(act_col))
case_span = df.groupby(case_col)["ts"].agg(["min", "max"])
total_case = (case_span["max"] - case_span["min"]).dt.total_seconds().sum()
wait_stats["share"] = wait_stats["total"] / total_case

result = {
    "cases": int(df[case_col].nunique()),
    "events": int(len(df)),
    "activities": int(df[act_col].nunique()),
    "edges": [{"from": a, "to": b, **{k: float(v) for k, v in row.items()}} for (a, b), row in edge_stats.iterrows()],
    "waits": [{"activity": a, **{k: float(v) for k, v in row.items()}} for a, row in wait_stats.iterrows()],
    "seconds": time.perf_counter() - started,
    "peakMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}
json.dump(result, sys.stdout)
