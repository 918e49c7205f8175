"""A deterministic blog of N generated posts, for the benchmarks.

Each post has about 620 words of realistic Markdown (headings, lists, links, emphasis, quotes,
now and then a picture), three tags from a pool of 40, and every tenth post is in Japanese.
The same N and seed always give the same files, so runs can be compared.

    python -m bench.corpus 1000 /tmp/corpus   # writes /tmp/corpus/posts/*.md and images/
"""

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

TOPICS = ["sciatica", "sleep", "stress", "back pain", "neck pain", "shoulders", "headaches", "posture",
          "anxiety", "breathing", "circulation", "recovery", "running", "cycling", "desk work", "pregnancy",
          "aging", "arthritis", "fibromyalgia", "migraine", "jaw pain", "hip pain", "knee pain", "feet",
          "hands", "stretching", "hydration", "nutrition", "aromatherapy", "hot stones", "deep tissue",
          "lymphatic drainage", "sports massage", "reflexology", "trigger points", "myofascial release",
          "self care", "chronic pain", "neuroscience", "massage therapy"]

# Common words carry the text; a long tail of rarer ones gives the index a realistic vocabulary.
COMMON = ("the a of and to in is that it for with as on be this are by your can or from at more "
          "when body muscle muscles pain massage therapy tension blood nerve nerves sleep stress "
          "relief breathing gentle pressure session sessions client clients hands shoulder shoulders "
          "back neck hip hips legs feet tissue fascia posture movement rest recovery heart rate calm "
          "mind brain signals touch warmth stretch stretching release slowly deeply often daily week "
          "evening morning long short better easier softer stronger many most some every each").split()
SYLLABLES = ["ka", "lo", "mer", "ten", "sa", "vi", "ru", "mon", "del", "pha", "cor", "tis", "lin", "gra",
             "nu", "bel", "sor", "qui", "dan", "ex", "tro", "mi", "zen", "ola"]
JAPANESE = ["肩こり", "腰痛", "睡眠", "ストレス", "血行", "筋肉", "緊張", "呼吸", "姿勢", "疲労", "回復",
            "マッサージ", "首", "背中", "足", "頭痛", "リラックス", "施術", "体", "心"]


def rare_words(rng, count):
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count)]


class Writer:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.rare = rare_words(self.rng, 12000)

    def word(self):
        if self.rng.random() < 0.8:
            return self.rng.choice(COMMON)
        # Zipf-like tail: a few rare words are frequent, most are seen once or twice.
        return self.rare[int(len(self.rare) * self.rng.random() ** 3)]

    def sentence(self, words=None):
        text = " ".join(self.word() for _ in range(words or self.rng.randint(8, 20)))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences=None):
        parts = [self.sentence() for _ in range(sentences or self.rng.randint(3, 5))]
        choice = self.rng.random()
        if choice < 0.3:
            parts[0] = f"*{parts[0]}*"
        elif choice < 0.5:
            topic = self.rng.choice(TOPICS)
            parts[-1] = f"More in [{topic}](https://example.org/{topic.replace(' ', '-')}/)."
        elif choice < 0.6:
            parts[1] = f"**{parts[1]}**"
        return " ".join(parts)

    def japanese_paragraph(self):
        return "".join(f"{self.rng.choice(JAPANESE)}は{self.rng.choice(JAPANESE)}と関係があります。"
                       for _ in range(self.rng.randint(4, 8)))

    def body(self, japanese, pictures):
        blocks = []
        while sum(len(b.split()) for b in blocks) < 600:
            kind = self.rng.random()
            if kind < 0.12:
                blocks.append(f"## {self.sentence(4)[:-1]}")
            elif kind < 0.22:
                blocks.append("\n".join(f"- {self.sentence(6)}" for _ in range(self.rng.randint(3, 5))))
            elif kind < 0.27:
                blocks.append(f"> {self.sentence()}")
            elif kind < 0.30 and pictures:
                name = self.rng.choice(pictures)
                blocks.append(f"![A diagram of {self.rng.choice(TOPICS)}]({{static}}/images/{name})")
            else:
                blocks.append(self.paragraph())
            if japanese and kind > 0.6:
                blocks.append(self.japanese_paragraph())
        return "\n\n".join(blocks)


def write_pictures(images):
    from PIL import Image, ImageDraw

    images.mkdir(parents=True, exist_ok=True)
    names = []
    for number, colour in enumerate([(47, 107, 79), (179, 71, 0), (80, 90, 160)]):
        picture = Image.new("RGB", (1200, 800), colour)
        ImageDraw.Draw(picture).ellipse((300, 150, 900, 650), fill=(240, 235, 220))
        name = f"diagram-{number}.png"
        picture.save(images / name)
        names.append(name)
    return names


def write_corpus(count, root, seed=2023, pictures=True):
    """Write `count` posts under root/posts (and pictures under root/images); returns root."""
    root = Path(root)
    posts = root / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    picture_names = write_pictures(root / "images") if pictures else []
    writer = Writer(seed)
    start = datetime(2010, 1, 1, 9, 0)  # 3000 posts, a post a day, all in the past (none scheduled)
    for number in range(count):
        japanese = number % 10 == 9
        title = writer.sentence(5)[:-1]
        tags = ", ".join(writer.rng.sample(TOPICS, 3))
        # Pictures in one post of twenty: a blog with some, not a gallery.
        body = writer.body(japanese, picture_names if number % 20 == 0 else [])
        header = [f"Title: {title}", "Author: Yoko Sakura",
                  f"Date: {(start + timedelta(days=number)).strftime('%Y-%m-%d %H:%M')}",
                  f"Tags: {tags}", f"Slug: post-{number:05d}", f"Summary: {writer.sentence(14)}"]
        if japanese:
            header.append("Lang: ja")
        (posts / f"post-{number:05d}.md").write_text("\n".join(header) + "\n\n" + body + "\n", encoding="utf-8")
    return root


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    write_corpus(args.count, args.folder, args.seed)
    print(f"Wrote {args.count} posts to {args.folder}/posts.")


if __name__ == "__main__":
    main()
