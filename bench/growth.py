"""How the time of the plugins' per-post work grows with its input: 4 times the input should take
about 4 times as long (linear), never 16 (quadratic). Prints the ratios; asserts nothing (the
tests count operations instead, which do not depend on the machine's load).

    python -m bench.growth [--repeat 5]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from read_next.read_next import related
from reading_time.reading_time import estimate_reading_time

# Text shapes for the reading-time estimate (its word pattern, and plugins/shared/html_text's
# patterns; the last, with a <noscript>, the HTML parser it leaves nesting elements to), at 1 MB.
TEXTS = {
    "prose": ("<p>Massage therapy, neuroscience &amp; 痛みの緩和 — well-being.</p>\n", 1_000_000),
    "hyphen runs": ("a-" * 20, 1_000_000),
    "quote-dash runs": ("'-" * 20, 1_000_000),
    "open brackets": ("<" * 30, 100_000),
    "tags never closed": ('<a title="x" <script <p ' * 4, 100_000),
    "parser's brackets": ("<noscript>" + "<" * 30, 100_000),
}


def blog(n):
    """Related posts' worst case: one tag shared by every post."""
    return [SimpleNamespace(tags=[SimpleNamespace(slug=slug) for slug in ("massage", f"t{i % 40}", f"t{i * 7 % 40}")])
            for i in range(n)]


def seconds(function, argument):
    started = time.perf_counter()
    function(argument)
    return time.perf_counter() - started


def growth(function, small, large, repeat):
    """Median over `repeat` rounds of time(large) / time(small), measured side by side."""
    return statistics.median(seconds(function, large) / seconds(function, small) for _ in range(repeat))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print("time for 4x the input / time for the input (linear: about 4, quadratic: 16), "
          f"median of {args.repeat}")
    estimate = estimate_reading_time.__wrapped__  # without the memo: every call does the work
    for name, (unit, size) in TEXTS.items():
        small = unit * (size // len(unit))
        print(f"  reading time, {name:16} {growth(estimate, small, small * 4, args.repeat):5.1f}")
    print(f"  related posts, 4000 -> 16000   {growth(related, blog(4_000), blog(16_000), args.repeat):5.1f}")


if __name__ == "__main__":
    main()
