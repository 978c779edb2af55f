"""Apply the rule set to papers: spaCy matchers in batches, vetoes, context, per-label scores."""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from spacy.attrs import LEMMA, LOWER, NORM, ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..nlp import get_nlp, norms_are_lemmas, require_lex_attrs, sentence_starts
from ..records import TITLE_ABSTRACT_SEP
from ..taxonomy import Taxonomy
from ..text import NormalizedText, normalize
from .cues import CueFinder, CueHits
from .loader import RuleSet

TITLE, PROPOSAL, BACKGROUND, NEUTRAL = "title", "proposal", "background", "neutral"


class Hit(NamedTuple):
    """One rule match: where it is (offsets into the paper's output text) and how strong it is.

    A named tuple rather than a frozen dataclass: a paper has a few dozen hits, and a tuple is
    built several times faster.
    """

    rule: str
    label: str
    start: int
    end: int
    text: str
    weight: float
    context: str
    strength: float
    veto: bool = False

    def to_evidence(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text, "rule": self.rule,
                "context": self.context, "strength": round(self.strength, 3)}


@dataclass
class RuleResult:
    """What the rules say about one paper."""

    scores: dict[str, float] = field(default_factory=dict)
    hits: dict[str, list[Hit]] = field(default_factory=dict)  # kept hits per label (children's included in parents)
    fired: list[Hit] = field(default_factory=list)  # every hit before vetoes, veto hits included
    efficiency_cue: bool = False  # looked for only when a technique rule fires (it gates technique hits)


@dataclass(frozen=True, slots=True)
class JoinedText:
    """Normalized title and abstract joined by the separator, mapping offsets back like :class:`NormalizedText`."""

    title: NormalizedText
    abstract: NormalizedText
    title_length: int  # length of the original title
    text: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        cut = len(self.title.text)
        shift = self.title_length + len(TITLE_ABSTRACT_SEP)
        if end <= cut:
            return self.title.to_original(start, end)
        if start >= cut + len(TITLE_ABSTRACT_SEP):
            off = cut + len(TITLE_ABSTRACT_SEP)
            s, e = self.abstract.to_original(start - off, end - off)
            return s + shift, e + shift
        s = self.title.to_original(start, min(end, cut))[0] if start < cut else self.title_length
        e = self.abstract.to_original(0, end - cut - len(TITLE_ABSTRACT_SEP))[1] + shift \
            if end > cut + len(TITLE_ABSTRACT_SEP) else shift
        return s, e

    def to_original_lists(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """:meth:`to_original_many` for lists (a paper's few dozen spans: no array round trip)."""
        cut = len(self.title.text)
        off = cut + len(TITLE_ABSTRACT_SEP)
        if self.title.starts is None and self.abstract.starts is None and \
                not any(e > cut and s < off for s, e in zip(starts, ends)):
            in_title, in_abstract = self.title.shift, self.title_length + len(TITLE_ABSTRACT_SEP) - off + \
                self.abstract.shift
            deltas = [in_abstract if s >= off else in_title for s in starts]
            return [s + d for s, d in zip(starts, deltas)], [e + d for e, d in zip(ends, deltas)]
        pairs = [self.to_original(s, e) for s, e in zip(starts, ends)]
        return [s for s, _ in pairs], [e for _, e in pairs]

    def to_original_many(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`to_original` over arrays of non-empty spans at once."""
        cut = len(self.title.text)
        off = cut + len(TITLE_ABSTRACT_SEP)
        shift = self.title_length + len(TITLE_ABSTRACT_SEP)
        if self.title.starts is None and self.abstract.starts is None and not ((ends > cut) & (starts < off)).any():
            # both parts only lost leading characters (most papers): one shift per part
            delta = np.where(starts >= off, shift - off + self.abstract.shift, self.title.shift)
            return starts + delta, ends + delta
        o0, o1 = np.empty_like(starts), np.empty_like(ends)
        in_title, in_abstract = ends <= cut, starts >= off
        if in_title.any():
            o0[in_title], o1[in_title] = self.title.to_original_many(starts[in_title], ends[in_title])
        if in_abstract.any():
            a0, a1 = self.abstract.to_original_many(starts[in_abstract] - off, ends[in_abstract] - off)
            o0[in_abstract], o1[in_abstract] = a0 + shift, a1 + shift
        for i in np.flatnonzero(~(in_title | in_abstract)).tolist():  # spans across the separator: rare
            o0[i], o1[i] = self.to_original(int(starts[i]), int(ends[i]))
        return o0, o1


@dataclass(frozen=True, slots=True)
class PreparedText:
    """A paper's output text, its normalized form and where the title ends in it."""

    text: str
    norm: NormalizedText | JoinedText
    title_end: int  # normalized offset where the title ends (0 for abstract-only papers)


def prepare(title: str, abstract: str) -> PreparedText:
    """Normalize title and abstract separately and join them, keeping offsets into the output text."""
    if title and abstract:
        nt, na = normalize(title), normalize(abstract)
        joined = JoinedText(nt, na, len(title), nt.text + TITLE_ABSTRACT_SEP + na.text)
        return PreparedText(title + TITLE_ABSTRACT_SEP + abstract, joined, len(nt.text))
    if title:
        nt = normalize(title)
        return PreparedText(title, nt, len(nt.text))
    return PreparedText(abstract, normalize(abstract), 0)


class RuleEngine:
    """Compiled rules, applied to many papers at once with ``nlp.pipe``.

    Parameters
    ----------
    ruleset:
        Loaded rules and settings (:func:`papertag.rules.load_rules`).
    taxonomy:
        The taxonomy the rules point at; children's scores propagate to parents.
    nlp:
        The spaCy pipeline, from :func:`papertag.nlp.build_nlp` (:func:`papertag.nlp.get_nlp` by default).
        Its words' ``NORM`` is their lemma, so ``LEMMA`` patterns match on ``NORM``: the lemma is then
        computed once per word of the vocabulary, and a paper needs only its tokens (:meth:`tokenize`).
    """

    def __init__(self, ruleset: RuleSet, taxonomy: Taxonomy, *, nlp: Language | None = None) -> None:
        self.ruleset = ruleset
        self.taxonomy = taxonomy
        self.nlp = nlp or get_nlp()
        if not norms_are_lemmas(self.nlp.vocab):
            raise ValueError("RuleEngine needs a pipeline from papertag.nlp.build_nlp (its NORM is the lemma)")
        self.rules = ruleset.by_id()
        self.settings = ruleset.settings
        self._token = Matcher(self.nlp.vocab)
        self._compile()
        s = self.settings
        self._cues = CueFinder({"gate": s.efficiency_gate.cues, PROPOSAL: s.proposal_cues,
                                BACKGROUND: s.background_cues})
        self._ancestors = {k: taxonomy.ancestors(k) for k in taxonomy.keys}
        self._lineage = {k: (k, *up) for k, up in self._ancestors.items()}  # a label and the labels above it

    def _compile(self) -> None:
        phrases: dict[str, list[tuple[str, str]]] = {}
        anchors: dict[str, set[str]] | None = {}
        longest: int | None = 0  # tokens in the longest token-pattern match; None: unbounded
        attrs: set[str] = set()  # token attributes the patterns read
        for rule in self.rules.values():
            token_patterns = [q for p in rule.patterns if isinstance(p, list)
                              for q in expand_in_predicates(lemma_as_norm(p))]
            attrs.update(key for q in token_patterns for tok in q for key in tok)
            phrase_attr = "NORM" if rule.attr == "LEMMA" else rule.attr
            if any(isinstance(p, str) for p in rule.patterns):
                attrs.add(phrase_attr)
            if token_patterns:
                self._token.add(rule.id, token_patterns)
                for q in token_patterns:
                    if longest is not None:
                        longest = None if any(t.get("OP") in ("+", "*") for t in q) else max(longest, len(q))
                    anchor = pattern_anchor(q)
                    if anchor is None or anchors is None:
                        anchors = None
                    else:
                        anchors.setdefault(anchor[0], set()).update(anchor[1])
            for p in rule.patterns:
                if isinstance(p, str):
                    phrases.setdefault(phrase_attr, []).append((rule.id, p))
        require_lex_attrs(self.nlp.vocab, attrs)
        # One PhraseMatcher, on NORM, for the phrases of every attribute and the anchor words: a word's norm
        # is a function of its text, so tokens equal in LOWER or ORTH are equal in NORM too. A LOWER or ORTH
        # phrase goes in as its NORM sequence under a key of its own, and a match of that key is kept when
        # the tokens' own LOWER or ORTH values are one of its phrases (_exact): one pass over each doc.
        vocab, strings = self.nlp.vocab, self.nlp.vocab.strings
        self._phrase = PhraseMatcher(vocab, attr="NORM")
        self._rule_of: dict[int, str | None] = {}  # matcher key -> rule id; None for anchor words
        self._exact: dict[int, tuple[str, set[tuple[int, ...]]]] = {}  # key -> (token attribute, its accepted values)
        for attr, items in phrases.items():
            by_rule: dict[str, list[Doc]] = {}
            for (rid, _), doc in zip(items, self.tokenize(p for _, p in items)):
                by_rule.setdefault(rid, []).append(doc)
            for rid, docs in by_rule.items():
                self._add_phrases(rid if attr == "NORM" else f"{rid} {attr}", rid, attr, docs)
        # the token matcher evaluates predicates on every token: run it only around the words every
        # token pattern needs (anchors), which the phrase matcher finds along with the phrases
        self._has_token_patterns = len(self._token) > 0
        self._anchors = anchors  # attribute -> anchor words; None: some pattern has no anchor, always run the matcher
        self._longest_token_match = longest
        for attr, values in (anchors or {}).items():
            self._add_phrases(ANCHOR_KEY if attr == "NORM" else f"{ANCHOR_KEY} {attr}", None, attr,
                              [_one_token_doc(vocab, attr, v) for v in sorted(values)])
        self._rule_of.update({strings.add(rid): rid for rid in self.rules})  # the token matcher's keys
        self._factors = self._factor_table()

    # ------------------------------------------------------------------ applying
    def tokenize(self, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Doc]:
        """The docs the rules match on: tokens only (lemmas are the words' ``NORM``, no pipe needs to run)."""
        return self.nlp.tokenizer.pipe(texts, batch_size=batch_size)

    def apply(self, papers: Iterable[tuple[str, str]], *, batch_size: int = 128, n_process: int = 1
              ) -> Iterator[RuleResult]:
        """Yield one :class:`RuleResult` per ``(title, abstract)``, in order."""
        yield from self.apply_prepared((prepare(t, a) for t, a in papers), batch_size=batch_size,
                                       n_process=n_process)

    def apply_prepared(self, prepared: Iterable[PreparedText], *, batch_size: int = 128, n_process: int = 1
                       ) -> Iterator[RuleResult]:
        """Like :meth:`apply` for papers already passed through :func:`prepare` (no second normalization)."""
        buffered: deque[PreparedText] = deque()

        def texts() -> Iterator[str]:
            for p in prepared:
                buffered.append(p)
                yield p.norm.text

        if n_process == 1:
            docs = self.tokenize(texts(), batch_size=batch_size)
        else:
            docs = self.nlp.pipe(texts(), batch_size=batch_size, n_process=n_process, disable=self.nlp.pipe_names)
        for doc in docs:
            yield self._result(doc, buffered.popleft())

    def apply_docs(self, docs: Sequence[Doc], prepared: Sequence[PreparedText]) -> list[RuleResult]:
        """Like :meth:`apply_prepared` for papers already tokenized (``docs[i]`` is
        ``tokenize([prepared[i].norm.text])`` or ``nlp(prepared[i].norm.text)``), so the caller can reuse the tokens."""
        return [self._result(doc, p) for doc, p in zip(docs, prepared, strict=True)]

    def apply_one(self, title: str, abstract: str = "") -> RuleResult:
        return next(self.apply([(title, abstract)]))

    def _matches(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Every match ``(start token, end token, rule)``, in that order, without repeats."""
        found, anchors = self._phrase_matches(doc)
        if self._has_token_patterns:
            rule_of = self._rule_of
            for a, b in self._token_windows(doc, anchors):
                found += [(s + a, e + a, rule_of[mid]) for mid, s, e in self._token(doc[a:b])]
        return sorted(set(found))

    def _phrase_matches(self, doc: Doc) -> tuple[list[tuple[int, int, str]], list[int]]:
        """The phrase matches ``(start, end, rule)`` in ``doc`` and the token positions of its anchor words."""
        rule_of, exact = self._rule_of, self._exact
        found, anchors = [], []
        for key, s, e in self._phrase(doc):
            check = exact.get(key)
            if check is not None and tuple(getattr(t, check[0]) for t in doc[s:e]) not in check[1]:
                continue  # same lemmas, other words
            rule = rule_of[key]
            if rule is None:
                anchors.append(s)
            else:
                found.append((s, e, rule))
        return found, anchors

    def _token_windows(self, doc: Doc, anchors: list[int] | None = None) -> list[tuple[int, int]]:
        """The token ranges the token Matcher needs to see: around each anchor word (at token
        positions ``anchors``; found here when not given), as far as the longest pattern reaches
        (every match holds an anchor), merged; none when the paper has no anchor word (most
        papers); the whole doc when some pattern has no anchor or no length bound.

        spaCy's Matcher evaluates its predicates token by token in Python, so this keeps it off
        the hot path."""
        if self._anchors is None or self._longest_token_match is None:
            return [(0, len(doc))]
        if anchors is None:
            anchors = self._phrase_matches(doc)[1]
        reach = self._longest_token_match
        windows: list[tuple[int, int]] = []
        for p in sorted(set(anchors)):
            a, b = max(0, p - reach + 1), min(len(doc), p + reach)
            if windows and a <= windows[-1][1]:
                windows[-1] = (windows[-1][0], b)
            else:
                windows.append((a, b))
        return windows

    def _add_phrases(self, key: str, rule: str | None, attr: str, docs: list[Doc]) -> None:
        """Add phrase ``docs`` of ``attr`` (NORM, LOWER or ORTH) to the matcher under ``key``, for ``rule``."""
        key_id = self.nlp.vocab.strings.add(key)
        self._phrase.add(key, docs)
        self._rule_of[key_id] = rule
        if attr != "NORM":
            name = attr.lower()
            self._exact[key_id] = (name, {tuple(getattr(t, name) for t in doc) for doc in docs})

    def _factor_table(self) -> dict[str, list[tuple[str, bool, float, dict[str, float]]]]:
        """Per rule: ``(label, is technique, weight, context -> strength before the gate)``."""
        table = {}
        contexts = (TITLE, PROPOSAL, BACKGROUND, NEUTRAL)
        for rid, rule in self.rules.items():
            table[rid] = [(label, label.startswith("technique"), rule.weight,
                           {c: rule.weight * getattr(self.settings.context[label.split("/", 1)[0]], c)
                            for c in contexts})
                          for label in rule.labels]
        return table

    def _result(self, doc: Doc, p: PreparedText) -> RuleResult:
        result = RuleResult()
        matches = self._matches(doc)
        if not matches:
            return result
        cues = self._cues.find(p.norm.text.lower())
        factors = self._factors
        if any(technique for _, _, rid in matches for _, technique, _, _ in factors[rid]):
            result.efficiency_cue = cues.anywhere("gate")
        gate = 1.0 if result.efficiency_cue else self.settings.efficiency_gate.factor
        # Offsets of every match: normalized [n0, n1), its sentence, original [o0, o1). A paper has a
        # few dozen matches: plain lists beat arrays (each numpy call costs more than the work it does).
        n0, n1 = [], []
        for s, e, _ in matches:
            first, last = doc[s], doc[e - 1]
            n0.append(first.idx)
            n1.append(last.idx + len(last))
        sent_starts = sentence_starts(p.norm.text)
        sent_ids = [bisect_right(sent_starts, start) - 1 for start in n0]
        o0s, o1s = p.norm.to_original_lists(n0, n1)
        context_of: Callable[[int], str] | None = None  # sentence id -> context, made on first need
        positives: list[tuple[Hit, int]] = []  # (hit, start of its sentence)
        vetoes: dict[str, list[tuple[Hit, int, str]]] = {}  # by label
        text, title_end, fired = p.text, p.title_end, result.fired
        for (_, _, rid), start, sid, o0, o1 in zip(matches, n0, sent_ids, o0s, o1s):
            rule = self.rules[rid]
            sent_start = sent_starts[sid]
            if start < title_end:
                context = TITLE
            else:
                if context_of is None:
                    context_of = self._sentence_contexts(cues, sent_starts)
                context = context_of(sid)
            span_text = text[o0:o1]
            for label, is_technique, weight, by_context in factors[rid]:
                strength = by_context[context] * gate if is_technique else by_context[context]
                hit = Hit(rid, label, o0, o1, span_text, weight, context, strength, rule.veto)
                fired.append(hit)
                if rule.veto:
                    vetoes.setdefault(label, []).append((hit, sent_start, rule.scope))
                else:
                    positives.append((hit, sent_start))
        kept = [h for h, sent in positives if not self._vetoed(h, sent, vetoes)] if vetoes else \
            [h for h, _ in positives]
        self._score(kept, result)
        return result

    @staticmethod
    def _sentence_contexts(cues: CueHits, sent_starts: list[int]) -> Callable[[int], str]:
        """Sentence id -> ``proposal`` (it holds a proposal cue), ``background`` (a background cue and
        no proposal cue) or ``neutral``."""
        proposal = cues.sentences(PROPOSAL, sent_starts)
        background = cues.sentences(BACKGROUND, sent_starts)
        return lambda sid: PROPOSAL if sid in proposal else BACKGROUND if sid in background else NEUTRAL

    def _vetoed(self, hit: Hit, sent: int, vetoes: dict[str, list[tuple[Hit, int, str]]]) -> bool:
        """Whether a veto of the hit's label (or of a label above it) covers the hit: same sentence
        for sentence-scoped vetoes, overlapping spans otherwise."""
        for label in self._lineage[hit.label]:
            for v, vsent, scope in vetoes.get(label, ()):
                if scope == "sentence" and vsent == sent:
                    return True
                if hit.start < v.end and v.start < hit.end:
                    return True
        return False

    def _score(self, kept: list[Hit], result: RuleResult) -> None:
        by_label: dict[str, list[Hit]] = {}
        for h in kept:
            by_label.setdefault(h.label, []).append(h)
        for label, hits in by_label.items():
            if len(hits) > 1:
                hits.sort(key=lambda h: (h.start, -h.end))
            result.hits[label] = hits
            result.scores[label] = _noisy_or(hits)
        # a child implies its parent: the parent's score is at least the child's, and the
        # child's evidence is evidence for the parent too
        for label in list(by_label):
            for parent in self._ancestors[label]:
                result.scores[parent] = max(result.scores.get(parent, 0.0), result.scores[label])
                merged = result.hits.setdefault(parent, [])
                merged.extend(h for h in by_label[label] if h not in merged)
                merged.sort(key=lambda h: (h.start, -h.end))


_MAX_EXPANSION = 4


def lemma_as_norm(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A token pattern with its ``LEMMA`` tests made on ``NORM``, which holds the lemma in papertag's
    pipeline (:func:`papertag.nlp.build_nlp`): same matches, and docs need no lemmatizer."""
    return [{"NORM" if key == "LEMMA" else key: value for key, value in tok.items()} for tok in pattern]


def expand_in_predicates(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rewrite ``{"LEMMA": {"IN": [a, b]}}`` tokens as alternative plain patterns.

    spaCy's Matcher checks plain attribute values in C but evaluates ``IN`` predicates
    through Python objects for every token; its cost also grows with the number of
    patterns, so only small sets (at most ``_MAX_EXPANSION`` alternatives) are expanded,
    where measurement showed a gain. Tokens with other keys are left as they are.
    """
    options: list[list[dict[str, Any]]] = []
    total = 1
    for tok in pattern:
        alts = [tok]
        if len(tok) == 1:
            (attr, value), = tok.items()
            if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list) and value["IN"]:
                alts = [{attr: v} for v in value["IN"]]
        total *= len(alts)
        options.append(alts)
    if total == 1 or total > _MAX_EXPANSION:
        return [pattern]
    return [list(combo) for combo in itertools.product(*options)]


_ATTR_IDS = {"LOWER": LOWER, "LEMMA": LEMMA, "ORTH": ORTH, "NORM": NORM}
# the phrase matcher's key for anchor words ("anchor word LOWER" for LOWER ones, ...; rule ids have no spaces)
ANCHOR_KEY = "anchor word"


def _one_token_doc(vocab: Any, attr: str, value: str) -> Doc:
    """A one-token doc whose ``attr`` is exactly ``value`` (a phrase pattern for an anchor word)."""
    doc = Doc(vocab, words=[value])
    if attr in ("LEMMA", "NORM"):  # token-level attributes: set them, don't derive them
        doc.from_array([_ATTR_IDS[attr]], np.array([[vocab.strings.add(value)]], dtype=np.uint64))
    return doc


def pattern_anchor(pattern: list[dict[str, Any]]) -> tuple[str, set[str]] | None:
    """A required token of ``pattern`` as ``(attr, values)``: a paper without one of the values can't match.

    Picks the token with the fewest alternatives among those that must occur (no ``OP`` or
    ``OP: "+"``) and test a plain ``LOWER``/``LEMMA``/``ORTH``/``NORM`` value or an ``IN`` list
    of words (values of two characters or less, or without letters, are too common to help).
    ``None`` when no token qualifies.
    """
    best: tuple[str, set[str]] | None = None
    for tok in pattern:
        if tok.get("OP") not in (None, "+", "1"):
            continue
        for attr in ("LOWER", "LEMMA", "ORTH", "NORM"):
            value = tok.get(attr)
            if isinstance(value, str):
                values = {value}
            elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
                values = {str(v) for v in value["IN"]}
            else:
                continue
            if not all(any(ch.isalpha() for ch in v) and len(v) > 2 for v in values):
                continue  # punctuation, numbers and short function words are in nearly every paper
            if best is None or len(values) < len(best[1]):
                best = (attr, values)
    return best


def _noisy_or(hits: list[Hit]) -> float:
    """Combine hits: overlapping hits are one mention (its strongest), mentions combine by noisy-OR."""
    mentions: list[float] = []
    end = -1
    for h in hits:  # sorted by start
        if h.start < end:
            mentions[-1] = max(mentions[-1], h.strength)
            end = max(end, h.end)
        else:
            mentions.append(h.strength)
            end = h.end
    return 1.0 - math.prod(1.0 - s for s in mentions)
