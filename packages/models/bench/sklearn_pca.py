"""Times scikit-learn's PCA on the matrix the JS benchmark wrote (raw float32, row-major).

Usage: python3 sklearn_pca.py FILE N D K [SOLVERS]   -> prints one JSON object per line.
Reads the first N rows; SOLVERS is a comma-separated subset of full,randomized (default both).
"""
import json
import sys
import time

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.decomposition import PCA

path, n, d, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
solvers = (sys.argv[5] if len(sys.argv) > 5 else "full,randomized").split(",")
x = np.fromfile(path, dtype=np.float32, count=n * d).reshape(n, d)

try:
    from threadpoolctl import threadpool_info

    blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} {i.get('num_threads')} threads" for i in threadpool_info()]
except Exception:  # threadpoolctl missing: report nothing rather than fail
    blas = []
print(json.dumps({"meta": True, "sklearn": sklearn_version, "numpy": np.__version__, "blas": blas}), flush=True)

runs = [
    ("full", dict(svd_solver="full")),
    ("randomized (n_iter auto = 7)", dict(svd_solver="randomized", random_state=0)),
    ("randomized (n_iter = 4)", dict(svd_solver="randomized", iterated_power=4, random_state=0)),
]
for name, options in runs:
    if options["svd_solver"] not in solvers:
        continue
    pca = PCA(n_components=k, **options)
    t0 = time.perf_counter()
    pca.fit(x)
    seconds = time.perf_counter() - t0
    ratio = pca.explained_variance_ratio_
    print(json.dumps({"name": name, "seconds": seconds, "ratio1": float(ratio[0]), "ratioK": float(ratio.sum())}), flush=True)
