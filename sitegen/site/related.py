"""Related papers: for each paper, the most similar papers announced before it, from title and abstract.

Stable by construction. A paper's list depends only on itself and the papers before it (in
announcement order, id as tie-breaker), so a new paper never changes an older page, and a cold
build and an incremental one give the same bytes:

- a paper is the set of its words (title and abstract, lower-cased, TeX commands and stop words
  dropped, a plural "s" cut), each word a 32-bit hash (crc32; computed once per snapshot by the
  loader and kept in the build cache);
- paper P asks with its words that some paper before it holds but not too many (at most
  max(50, N/200), N the number of papers before P; up to QUERY_TERMS of them, the rarest), each
  weighted by (N / df) ** 0.25, df being how many papers before P hold it: an IDF that later
  papers cannot change (a corpus-wide IDF would move every old list);
- an earlier paper Q scores the sum of the weights of P's query words it holds, over
  sqrt(Q's word count) so long abstracts do not win by length; at least two words must be shared.

Every step is exact: weights are whole numbers (floor of 256 x a quartic root: division and
square roots are correctly rounded in IEEE arithmetic, whatever the SIMD path), sums are integer
sparse products (scipy), and the one float division per score is correctly rounded too. So a
score never depends on how the rows were batched, and ties fall to the newer paper.

A build computes only the papers whose list may have changed: each paper's result is cached
under a hash chained over every paper up to it (id and words), so appending papers computes
only the new ones and a change to an old paper recomputes the papers after it.

Why numpy + scipy.sparse rather than scikit-learn: the vectorisers' IDF is corpus-wide (not
stable) and their float products are not exact; what is needed is a hashing trick, a sort and
an integer sparse product, which is numpy and scipy (both well kept, and what scikit-learn
itself is built on) without scikit-learn's extra ~40 MB.
"""

from __future__ import annotations

import array
import hashlib
import pickle
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.atomic import atomic_write
from sitegen.safe_fs import open_regular
from sitegen.site.heap import trim_heap

if TYPE_CHECKING:
    from sitegen.site.load import Entry

COUNT = 5  # related papers listed on a paper page
QUERY_TERMS = 64
MIN_SHARED = 2
COMMON, COMMON_MIN = 200, 50  # a query leaves out words held by more than max(50, 1/200) of the papers before it
_CHUNK = 1 << 20  # pairs per searchsorted call
BATCH = 64  # papers per sparse product: bounds its memory (~100 MB at 100k papers)
# A product's value is sum(weight) * _PACK + shared words (at most QUERY_TERMS < _PACK). Small, so
# products fit 32 bits: a weight is at most 256 * N ** 0.25 (~8,100 at a million papers), and
# 64 * (8,100 * 128 + 1) is 66M. Every array of the product is 32-bit: scipy computes a product
# in the widest type of its operands, and one 64-bit operand made it convert the whole
# words x papers matrix to 64 bits for every batch (~90 MB at 125k papers, 2,000 times).
_PACK = 1 << 7
CACHE_FILE = "related.pickle"
_TEX = re.compile(r"\\[A-Za-z]+|\$")
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")
_STOP_WORDS = """
# noqa: SIM905 (a word list reads better as text) about above across after again against all
almost along also although among and another any are around based because been before being
below between both but can cannot could does doing done down during each either else even ever
every few for from further given had has have having here how however into its itself just last
less many may more most much must near need new not now novel off often once one only onto other
our ours out over own paper per propose proposed provide rather same several shall she should
show shown shows since some such than that the their them then there these they this those
though three through thus too two under until upon use used uses using very via was way well
were what when where whether which while who whom whose why will with within without would yet
you your approach method methods result results work study
"""
_STOP = frozenset(_STOP_WORDS.split())


def terms_of(title: str, abstract: str) -> bytes:
    """A paper's words as sorted unique uint32 hashes (4 bytes each): its part of the cache."""
    words = set(_WORD.findall(_TEX.sub(" ", f"{title} {abstract}".lower()))) - _STOP
    stems = {w[:-1] if len(w) > 4 and w[-1] == "s" and w[-2] != "s" else w for w in words}
    return array.array("I", sorted(zlib.crc32(w.encode()) for w in stems)).tobytes()


def related_papers(entries: Sequence[Entry], cache_dir: Path | None) -> dict[str, tuple[Entry, ...]]:
    """{slug: up to COUNT earlier entries, most similar first} for every entry."""
    order = sorted(entries, key=lambda e: (e.paper.announced, e.paper.id))
    if len(order) < 2:
        return {}
    chains = _chains(order)
    cached = _load(cache_dir)
    todo = [i for i, chain in enumerate(chains) if chain not in cached]
    if todo:
        fresh = _compute(order, todo)
        for i, ids in fresh.items():
            cached[chains[i]] = ids
        _save(cache_dir, {c: cached[c] for c in chains})
        trim_heap()  # the index's temporaries: ~100 MB at 125k papers the workers would inherit
    by_id = {e.paper.id: e for e in order}
    return {e.slug: tuple(by_id[pid] for pid in cached[chains[i]]) for i, e in enumerate(order)}


def _chains(order: Sequence[Entry]) -> list[bytes]:
    """Per paper, a hash of every paper up to it (id and words) and of this module's rules."""
    h = hashlib.sha1(repr((QUERY_TERMS, MIN_SHARED, COUNT, sorted(_STOP))).encode())
    out = []
    for e in order:
        h.update(e.paper.id.encode() + b"\0" + e.terms)
        out.append(h.copy().digest())
    return out


def _compute(order: Sequence[Entry], todo: list[int]) -> dict[int, tuple[str, ...]]:
    import numpy as np

    lens = np.fromiter((len(e.terms) // 4 for e in order), dtype=np.int32, count=len(order))
    want = np.zeros(len(order), dtype=bool)
    want[todo] = True
    word_papers, cols, df, row_ptr = _index(order, lens, want)
    norms = np.sqrt(lens.astype(np.float64))
    ids = [e.paper.id for e in order]
    found: dict[int, tuple[str, ...]] = {i: () for i in todo}
    for start in range(0, len(todo), BATCH):
        batch = np.asarray(todo[start:start + BATCH])
        query = _queries(batch, cols, df, row_ptr, word_papers.shape[0])
        _rank_batch(query @ word_papers, batch, norms, ids, found)
    return found


def _index(order: Sequence[Entry], lens, want):
    """(words x papers, 1 where a paper holds a word; then, for every (paper, word) pair in
    paper order, the word's column and how many earlier papers hold it, and where each paper's
    pairs start). Memory is what bounds this (~5M pairs at 125k build.py papers, ~10M at 100k
    real ones): 32-bit integers, no sort of the pairs (scipy's transpose is a counting sort),
    and temporaries dropped as soon as they are used."""
    import numpy as np

    hashes = np.frombuffer(b"".join(e.terms for e in order), dtype=np.uint32)
    # Only the words of the papers to compute matter: a nightly build looks at a few hundred
    # papers' words, not every word of the site. Columns are in hash order, so ties are stable.
    if want.all():
        vocab = np.unique(hashes)
    else:
        rows = np.repeat(np.arange(len(order), dtype=np.int32), lens)
        vocab = np.unique(hashes[want[rows]])
        inside = np.isin(hashes, vocab)
        hashes, lens = hashes[inside], np.bincount(rows[inside], minlength=len(order))
        del inside, rows
    row_ptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(lens, out=row_ptr[1:])
    cols = np.empty(len(hashes), dtype=np.int32)
    for at in range(0, len(hashes), _CHUNK):  # searchsorted answers in 64 bits: a chunk at a time
        cols[at:at + _CHUNK] = np.searchsorted(vocab, hashes[at:at + _CHUNK])
    del hashes
    # papers x words, a paper's words in hash order (its terms are sorted and unique): transposed,
    # words x papers with each word's papers in paper order.
    ones = np.ones(len(cols), dtype=np.int32)
    word_papers = _transpose(ones, cols, row_ptr, len(vocab))
    # A pair's rank among its word's papers is how many earlier papers hold the word; transposed
    # back, the ranks come in paper order, the order of `cols`.
    starts = word_papers.indptr
    rank = np.arange(len(cols), dtype=np.int32) - np.repeat(starts[:-1], np.diff(starts)).astype(np.int32)
    df = _transpose(rank, word_papers.indices, starts, len(order)).data
    return word_papers, cols, df, row_ptr


def _transpose(data, indices, indptr, columns: int):
    """The CSR matrix (data, indices, indptr) with `columns` columns, transposed (as CSR)."""
    from scipy import sparse

    rows = len(indptr) - 1
    by_column = sparse.csr_matrix((data, indices, indptr), shape=(rows, columns)).tocsc()
    return sparse.csr_matrix((by_column.data, by_column.indices, by_column.indptr), shape=(columns, rows))


def _queries(batch, cols, df, row_ptr, words: int):
    """The batch's papers' queries (batch rows x words, packed weights)."""
    import numpy as np
    from scipy import sparse

    counts = row_ptr[batch + 1] - row_ptr[batch]
    at = np.repeat(row_ptr[batch] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    rows = np.repeat(np.arange(len(batch)), counts)
    n_before, q_cols, q_df = batch[rows], cols[at], df[at]
    # Words in more than COMMON of the earlier papers say little and cost much (each would pair P
    # with a large share of the site): they are left out of P's query.
    pick = (q_df >= 1) & (q_df <= np.maximum(COMMON_MIN, n_before // COMMON))
    rows, n_before, q_cols, q_df = rows[pick], n_before[pick], q_cols[pick], q_df[pick]
    weight = _weight(n_before.astype(np.float64), q_df)
    # The QUERY_TERMS heaviest words of each row (ties: lower hash first).
    best = np.lexsort((q_cols, -weight, rows))
    rows, q_cols, weight = rows[best], q_cols[best], weight[best]
    keep = (np.arange(len(rows)) - np.searchsorted(rows, rows)) < QUERY_TERMS
    return sparse.csr_matrix(((weight[keep] * _PACK + 1).astype(np.int32), (rows[keep], q_cols[keep])),
                             shape=(len(batch), words), dtype=np.int32)


def _rank_batch(product, batch, norms, ids, found) -> None:
    import numpy as np

    product = product.tocoo()
    r, c, v = product.row, product.col, product.data
    p = batch[r]  # the batch's rows are its papers' positions
    ok = (c < p) & (v % _PACK >= MIN_SHARED)
    r, c, v = r[ok], c[ok], v[ok]
    score = (v // _PACK).astype(np.float64) / norms[c]
    best = np.lexsort((-c, -score, r))  # per row: best score first, the newer paper on a tie
    r, c = r[best], c[best]
    first = np.searchsorted(r, r, side="left")
    top = (np.arange(len(r)) - first) < COUNT
    for row, col in zip(r[top].tolist(), c[top].tolist(), strict=True):
        i = int(batch[row])
        found[i] = (*found[i], ids[col])


def _load(cache_dir: Path | None) -> dict[bytes, tuple[str, ...]]:
    if cache_dir is None:
        return {}
    try:
        with open_regular(cache_dir / CACHE_FILE) as f:  # not through a link, nor from a FIFO
            data = pickle.load(f)
        return data if isinstance(data, dict) else {}
    except Exception:  # a missing or damaged cache only means computing again
        return {}


def _save(cache_dir: Path | None, results: dict[bytes, tuple[str, ...]]) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        atomic_write(cache_dir / CACHE_FILE, pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # the cache is an optimisation: a build that cannot write it is still right


def _weight(n_before, df):
    import numpy as np

    return np.floor(256.0 * np.sqrt(np.sqrt(n_before / df))).astype(np.int64)
