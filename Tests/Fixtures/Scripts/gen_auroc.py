"""scikit-learn's roc_auc_score on seeded cases with ties, for Ember's AUROC
tests. Writes Tests/Fixtures/vision/auroc.json."""
import json
import os

import numpy as np
from sklearn.metrics import roc_auc_score

rng = np.random.default_rng(5)
cases = []
for n, levels in [(10, None), (50, 5), (200, None), (37, 3)]:
    labels = (rng.random(n) < 0.3).astype(float)
    labels[0], labels[1] = 0, 1
    scores = rng.random(n) if levels is None else rng.integers(0, levels, n) / levels
    scores = scores.astype(np.float32)
    cases.append({"scores": scores.tolist(), "labels": labels.tolist(), "auroc": roc_auc_score(labels, scores)})
with open(os.path.join(os.path.dirname(__file__), "..", "vision", "auroc.json"), "w") as f:
    json.dump(cases, f)
print([round(c["auroc"], 4) for c in cases])
