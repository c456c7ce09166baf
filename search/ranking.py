"""How well a question matches a query: BM25F in two halves, so that a search reads a
few postings instead of every matching text.

- When a question is indexed, each of its terms gets an impact: how often the term
  occurs, the title counting most and the answers least, saturated (the tenth "router"
  says little more than the third) and normalised by the thread's length.
- When a query is searched, each term weighs its impacts by how rare it is (idf): a
  word in every third question finds little, a code in three finds the thread.

A question's score is the sum of its terms' impacts times their weights; solved
questions and those with an official answer rank higher (community.search).
"""

import math
from collections import Counter

# How much an occurrence counts in each part of a thread.
TITLE, BODY, ANSWERS = 3.0, 1.0, 0.4
# BM25's saturation and length normalisation; a thread of this many terms is average.
K1, B, AVERAGE_LENGTH = 1.2, 0.5, 150.0


def impacts(title: list[str], body: list[str], answers: list[str]) -> dict[str, float]:
    """Each term of a thread with its impact, from the terms of its parts."""
    counts: Counter[str] = Counter()
    for terms, weight in ((title, TITLE), (body, BODY), (answers, ANSWERS)):
        for term in terms:
            counts[term] += weight
    length = len(title) + len(body) + ANSWERS * len(answers)
    norm = K1 * (1 - B + B * length / AVERAGE_LENGTH)
    return {term: round(tf * (K1 + 1) / (tf + norm), 4) for term, tf in counts.items()}


def idf(documents: int, containing: int) -> float:
    """How rare a term is among `documents` questions, `containing` of which have it."""
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))
