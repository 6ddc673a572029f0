"""The matrix products of bench/step-matmuls.mjs in PyTorch on one thread: for each [m, k] x [k, n] (argv[1], a
JSON list), the fastest of REPS (argv[2]) single torch.mm calls after a warm-up, in ms. One JSON line."""
import json
import sys
import time

import torch

torch.set_num_threads(1)
shapes = json.loads(sys.argv[1])
reps = int(sys.argv[2])
ms = []
for m, k, n in shapes:
    a, b = torch.rand(m, k), torch.rand(k, n)
    for _ in range(20):
        torch.mm(a, b)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    ms.append(best * 1000)
print(json.dumps({"ms": ms, "torch": torch.__version__}))
