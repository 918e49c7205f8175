"""The Python-Markdown extension of plugins/rich_markdown (see rich_markdown.py)."""

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

# A cell that holds a number: 12, -3.5, 1,200, 45 %, $30, ¥3,000, 2.5 kg is not one (words).
NUMBER = re.compile(r"^[+\-−±~≈]?\s*[$€£¥]?\s*\d[\d,. \u202f]*\s*%?$")
ALIGN = re.compile(r"text-align:\s*(left|right|center)")
LABEL_CELLS = 4  # a table's label names its first few column headings
PRE = re.compile(r"<pre(?=[ >])(?![^>]*tabindex)")


def text_of(element):
    return " ".join("".join(element.itertext()).split())


class TablesAndFigures(Treeprocessor):
    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for number, table in enumerate(list(root.iter("table")), 1):
            self.style_cells(table)
            self.wrap(table, parents[table], number)
        for paragraph in list(root.iter("p")):
            self.figure(paragraph)

    @staticmethod
    def style_cells(table):
        rows = list(table.iter("tr"))
        columns = {}
        for row in rows:
            for index, cell in enumerate(row):
                style = cell.attrib.pop("style", "")
                align = ALIGN.search(style) or re.fullmatch(r"left|right|center", cell.attrib.pop("align", ""))
                if align:
                    cell.set("class", f"align-{align.group(1) if align.lastindex else align.group(0)}")
                if cell.tag == "td":
                    columns.setdefault(index, []).append(cell)
        for cells in columns.values():
            texts = [text_of(cell) for cell in cells]
            if any(texts) and all(NUMBER.match(text) for text in texts if text):
                for cell in cells:
                    if not cell.get("class"):
                        cell.set("class", "num")

    @staticmethod
    def wrap(table, parent, number):
        headings = [text_of(cell) for cell in table.iter("th")][:LABEL_CELLS]
        label = f"Table {number}" + (": " + ", ".join(h for h in headings if h) if any(headings) else "")
        wrapper = etree.Element("div", {"class": "table-scroll", "role": "region", "tabindex": "0",
                                        "aria-label": label[:200]})
        index = list(parent).index(table)
        parent.remove(table)
        wrapper.tail, table.tail = table.tail, None
        wrapper.append(table)
        parent.insert(index, wrapper)

    @staticmethod
    def figure(paragraph):
        """<p><img title="…"></p> -> <figure><img><figcaption>…</figcaption></figure>."""
        if len(paragraph) != 1 or (paragraph.text or "").strip():
            return
        image = paragraph[0]
        caption = (image.get("title") or "").strip()
        if image.tag != "img" or not caption or (image.tail or "").strip():
            return
        paragraph.tag = "figure"
        del image.attrib["title"]
        figcaption = etree.SubElement(paragraph, "figcaption")
        figcaption.text = caption


class FocusableCode(Postprocessor):
    """<pre> -> <pre tabindex="0">: a block that scrolls can be scrolled from the keyboard."""

    def run(self, text):
        return PRE.sub('<pre tabindex="0"', text) if "<pre" in text else text


class RichMarkdown(Extension):
    def extendMarkdown(self, md):
        # After the inline patterns (priority 20: pictures exist) and before prettify (10).
        md.treeprocessors.register(TablesAndFigures(md), "rich_markdown", 15)
        # After the raw HTML and codehilite's blocks are put back (priority 30).
        md.postprocessors.register(FocusableCode(md), "rich_markdown_code", 5)


def makeExtension(**kwargs):  # the name Python-Markdown looks for
    return RichMarkdown(**kwargs)
