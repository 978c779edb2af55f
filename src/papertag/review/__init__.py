"""Label review: the decision log, review queues, the review page and the gold-set tools.

- :mod:`.log`: the append-only decision log (``labels/decisions.jsonl``), locked and fsync-ed.
- :mod:`.fold`: decisions -> gold entries and conflicts; :mod:`.gold_io`: export and migration.
- :mod:`.agreement`: Cohen's kappa and Krippendorff's alpha between reviewers.
- :mod:`.queue`, :mod:`.session`, :mod:`.web`: what to review next and the page that does it.
- :mod:`.interop`: Label Studio and Prodigy formats, out and back in.
"""

from .log import DecisionLogError, LabelDecision, Submission, append_submission, new_submission, read_log

__all__ = ["DecisionLogError", "LabelDecision", "Submission", "append_submission", "new_submission", "read_log"]
