"""Text reuse: near-duplicate candidates (MinHash + LSH), sentence alignment, link kinds and direction.

- :mod:`storyline.reuse.candidates`: vectorised shingling, MinHash, LSH banding, an incremental index.
- :mod:`storyline.reuse.align`: sentence alignment (exact, paraphrase, changed) merged into passages.
- :mod:`storyline.reuse.links`: link kinds, direction with evidence, cited sources, common source.
"""

from storyline.reuse.candidates import (
    CandidateIndex,
    candidate_pairs,
    containment,
    estimated_jaccard,
    make_pool,
    shingle_hashes,
    shingle_set,
    signatures,
)

__all__ = [
    "CandidateIndex",
    "candidate_pairs",
    "containment",
    "estimated_jaccard",
    "make_pool",
    "shingle_hashes",
    "shingle_set",
    "signatures",
]
