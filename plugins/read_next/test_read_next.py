import random
from collections import namedtuple
from itertools import count
from types import SimpleNamespace

import pytest

from read_next.read_next import related, related_topics

serial = count()


def post(*tags):
    return SimpleNamespace(n=next(serial), tags=[SimpleNamespace(slug=t) for t in tags])


def brute_force(posts, limit=3):
    """Every pair compared: the reference the fast version must equal."""
    result = {}
    for p in posts:
        mine = {t.slug for t in p.tags}
        scored = [(-len(mine & {t.slug for t in q.tags}), i, q) for i, q in enumerate(posts)
                  if q is not p and mine & {t.slug for t in q.tags}]
        result[id(p)] = [q for *_, q in sorted(scored, key=lambda s: s[:2])[:limit]]
    return result


@pytest.mark.parametrize("seed", range(5))
def test_same_answer_as_comparing_every_pair(seed):
    rng = random.Random(seed)
    pool = [f"t{i}" for i in range(8)]
    posts = [post(*rng.sample(pool, rng.randint(0, 4))) for _ in range(120)]
    fast, reference = related(posts), brute_force(posts)
    assert all([q.n for q in fast[id(p)]] == [q.n for q in reference[id(p)]] for p in posts)


def worst_case_blog(n):
    """The worst case for pairwise comparison: one tag on every post."""
    return [post("massage", f"t{i % 40}", f"t{(i * 7) % 40}") for i in range(n)]


def test_work_grows_linearly_even_when_every_post_shares_a_tag(operations):
    ratio = operations(related, worst_case_blog(2_000)) / operations(related, worst_case_blog(500))
    assert ratio < 5, f"4x the posts took {ratio:.1f}x the work: not linear (quadratic would be 16x)"


def test_the_work_count_would_see_every_pair_compared(operations):
    # The check above can fail: comparing every pair grows 16-fold.
    ratio = operations(brute_force, worst_case_blog(200)) / operations(brute_force, worst_case_blog(50))
    assert ratio > 12


def named(name):
    """A tag as Pelican's: hashable, by its name."""
    return namedtuple("Tag", "name slug")(name, name)


def test_a_tags_related_topics_are_its_posts_other_tags_most_shared_first_then_first_met():
    sleep, neck, back, stress = named("sleep"), named("neck"), named("back"), named("stress")
    posts = [SimpleNamespace(tags=[sleep, stress]), SimpleNamespace(tags=[back, sleep]),
             SimpleNamespace(tags=[sleep, back, neck]), SimpleNamespace(tags=[sleep])]
    assert [tag.name for tag in related_topics(sleep, posts)] == ["back", "stress", "neck"]
    assert related_topics(sleep, [SimpleNamespace(tags=[sleep])]) == []
