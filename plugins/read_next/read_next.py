"""What to read next: the newer and older post, and up to three related posts.

Related posts are those sharing the most tags, the newest first among equals. Each post is
filed under every subset of its tags (newest first), so a post finds its best matches by
reading, for each subset of its own tags, only the first few posts filed there: time linear
in the number of posts (2^k subsets per post, k at most MAX_TAGS), never comparing every
pair. Templates get `post.newer_post`, `post.older_post` and `post.related_posts`.

A tag's page names its related topics: the other tags of its posts, most shared first
(`tag.related_topics`), counted once per tag and build (the page's template counted them again
for each of the tag's pages: ~0.4 s of a 1000-post build, growing with the square of a tag's posts).
"""

from collections import Counter, defaultdict
from itertools import combinations

from pelican import signals

DEFAULTS = {"count": 3}
MAX_TAGS = 6  # tags beyond these six do not count toward relatedness (2^6 subsets at most)


def tag_keys(post):
    return sorted({tag.slug for tag in getattr(post, "tags", None) or []})[:MAX_TAGS]


def subsets(keys, size):
    return combinations(keys, size)


def related(posts, count=3):
    """{id(post): [related posts]} for `posts` sorted newest first."""
    filed = defaultdict(list)  # tag subset -> posts, newest first
    for post in posts:
        keys = tag_keys(post)
        for size in range(1, len(keys) + 1):
            for subset in subsets(keys, size):
                filed[subset].append(post)
    rank = {id(post): n for n, post in enumerate(posts)}  # 0 is the newest
    found = {}
    for post in posts:
        keys, chosen = tag_keys(post), []
        for size in range(len(keys), 0, -1):  # most shared tags first
            wanted = count - len(chosen)
            if wanted == 0:
                break
            candidates = {}
            for subset in subsets(keys, size):
                taken = 0
                for other in filed[subset]:  # skips at most the post itself and those chosen
                    if other is post or any(other is c for c in chosen):
                        continue
                    candidates[id(other)] = other
                    taken += 1
                    if taken == wanted:
                        break
            chosen += sorted(candidates.values(), key=lambda p: rank[id(p)])[:wanted]
        found[id(post)] = chosen
    return found


def add_read_next(generator):
    """article_generator_finalized receiver."""
    options = {**DEFAULTS, **generator.settings.get("READ_NEXT", {})}
    posts = sorted(generator.articles, key=lambda p: p.date, reverse=True)
    matches = related(posts, options["count"])
    for n, post in enumerate(posts):
        post.newer_post = posts[n - 1] if n > 0 else None
        post.older_post = posts[n + 1] if n + 1 < len(posts) else None
        post.related_posts = matches[id(post)]
    for draft in getattr(generator, "drafts", []):
        draft.newer_post = draft.older_post = None
        draft.related_posts = []


def related_topics(tag, posts):
    """The other tags of `posts` (the posts of `tag`), most shared first; among equals, the one
    met first in `posts`."""
    shared = Counter(other for post in posts for other in getattr(post, "tags", None) or []
                     if other.name != tag.name)
    return [other for other, _ in sorted(shared.items(), key=lambda item: -item[1])]


def add_related_topics(generators):
    """all_generators_finalized receiver: after every change to the tags (one spelling per tag)."""
    for generator in generators:
        tags = getattr(generator, "tags", None)
        if isinstance(tags, dict):  # the articles generator's {tag: its posts}
            for tag, posts in tags.items():
                tag.related_topics = related_topics(tag, posts)


def register():
    signals.article_generator_finalized.connect(add_read_next)
    signals.all_generators_finalized.connect(add_related_topics)
