#!/usr/bin/python3
"""The scikit-learn baseline for the themes benchmark: TF-IDF with k-means or NMF.

Run by bench/suites/themes.ts with Debian's python3-sklearn (/usr/bin/python3), one process per
configuration, so that the measured time includes process start and loading, as ours does.

    /usr/bin/python3 bench/baselines/sklearn_themes.py FILE.csv TEXT_COLUMN METHOD K SEED

METHOD is "kmeans" or "nmf". Prints one JSON object: the cluster of each row, in input order, and
the ten top words of each cluster.
"""
import csv
import json
import sys

from sklearn.cluster import KMeans
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer


def main() -> None:
    path, column, method, k, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    with open(path, newline="", encoding="utf-8") as handle:
        texts = [row[column] for row in csv.DictReader(handle)]
    vectoriser = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2)
    matrix = vectoriser.fit_transform(texts)
    words = vectoriser.get_feature_names_out()
    if method == "kmeans":
        model = KMeans(n_clusters=k, n_init=10, random_state=seed)
        labels = model.fit_predict(matrix)
        centres = model.cluster_centers_
    elif method == "nmf":
        model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400)
        weights = model.fit_transform(matrix)
        labels = weights.argmax(axis=1)
        centres = model.components_
    else:
        raise SystemExit(f"unknown method {method}")
    top = [[str(words[i]) for i in centre.argsort()[::-1][:10]] for centre in centres]
    print(json.dumps({"labels": [int(x) for x in labels], "topWords": top}))


if __name__ == "__main__":
    main()
