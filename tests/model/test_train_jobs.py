"""Training in worker processes gives the model training in one process gives."""

from __future__ import annotations

import numpy as np
import pytest

from papertag.model.train import train_model
from papertag.resources import project_home

EXAMPLE = project_home() / "examples" / "papers.jsonl"
PARAMS = dict(min_df=1, max_df=1.0, min_positives=2, cv=2, min_cv_f1=0.0, max_features=200)


@pytest.mark.slow
def test_jobs_do_not_change_the_model(monkeypatch):
    monkeypatch.setattr("papertag.weak.PARALLEL_CHUNK_SIZE", 5)  # several chunks, concatenated in order
    one = train_model([str(EXAMPLE)], params=PARAMS, jobs=1).model
    two = train_model([str(EXAMPLE)], params=PARAMS, jobs=2).model
    assert one.label_keys_ == two.label_keys_
    assert list(one.feature_names_) == list(two.feature_names_)
    np.testing.assert_array_equal(one.coef_.toarray(), two.coef_.toarray())
    np.testing.assert_array_equal(one.intercept_, two.intercept_)
    assert one.thresholds_ == two.thresholds_
