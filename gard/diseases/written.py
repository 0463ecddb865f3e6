"""What a source's written text shows on a disease page: the source's words, less their dead ends.

The source documents are copies of web pages whose links, tables and answers were stripped: a text
may point at "the links below" or "the table below" that are not there, list glossary words with no
definitions, or ask a reader's question whose answer was on another page. The rows keep every word
(the admin shows them, and the project's copies of the documents stay as received); the page leaves
out what leads nowhere:

- a paragraph that points at a list of links the section does not show ("in the links below", "these
  resources", "Visit the … page", "our guide"), or at a table (only the symptoms section has one):
  such a paragraph introduces the missing list, so it goes whole; in a paragraph that cites
  references, only the pointing sentences go;
- a subheading with nothing left under it;
- in a glossary, a word without a definition (an item "word: definition" has one); a glossary with no
  defined word is left out, its prose with it;
- among readers' questions, a question without an answer (an answered question is a "## " subheading
  followed by prose); a text with no answered question is left out, its introduction with it;
- a resource with neither a link nor a description;
- a reference with no link, no date accessed and no year, which a reader could not find, unless the
  page's text cites it.

A section with no text and no resource left is left out of the page. Text, resources and references
an editor wrote are shown as written.
"""

import re
from dataclasses import dataclass

from gard.models import SectionKind

LINK_POINTER = re.compile(
    r"\b(?:links? below|the following (?:resources|links|materials|websites)"
    r"|these (?:resources|links|materials|websites)|visit the [^.,;]*? page|our guide)\b",
    re.IGNORECASE,
)
TABLE_POINTER = re.compile(r"\b(?:the|this) table\b", re.IGNORECASE)
CITATION = re.compile(r"\[(\d{1,3})\]")
SENTENCE_END = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z])")  # a citation marker may end a sentence
DEFINED_WORD = re.compile(r"^\S[^:]*:\s+\S")  # "word: definition"
YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


@dataclass
class Block:
    """A block of a section body as the page renders it (gard_tags.render_body): a "## " subheading,
    a list of "• " items, or a paragraph."""

    kind: str  # "heading", "list" or "paragraph"
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    def body(self) -> str:
        return "\n".join(self.lines)


def body_blocks(body: str) -> list[Block]:
    blocks = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            blocks.append(Block("heading", lines))
        elif all(line.startswith("•") for line in lines):
            blocks.append(Block("list", lines))
        else:
            blocks.append(Block("paragraph", lines))
    return blocks


def with_next(blocks: list[Block]):
    """Each block with the one after it (None after the last)."""
    return zip(blocks, [*blocks[1:], None][: len(blocks)], strict=True)


def joined(blocks: list[Block]) -> str:
    return "\n\n".join(block.body() for block in blocks)


@dataclass
class ShownText:
    """A section's text as the page shows it, with the row it comes from."""

    section: object
    body: str

    @property
    def source(self):
        return self.section.source

    @property
    def last_updated(self):
        return self.section.last_updated


def points_nowhere(text: str, kind: str, lists_links: bool) -> bool:
    """Whether a sentence or paragraph points at links or a table this section does not show."""
    if not lists_links and LINK_POINTER.search(text):
        return True
    return kind != SectionKind.SYMPTOMS and bool(TABLE_POINTER.search(text))


def without_pointers(blocks: list[Block], kind: str, lists_links: bool) -> list[Block]:
    kept = []
    for block in blocks:
        if block.kind != "paragraph" or not points_nowhere(block.text, kind, lists_links):
            kept.append(block)
        elif CITATION.search(block.text):
            sentences = [s for s in SENTENCE_END.split(block.text) if not points_nowhere(s, kind, lists_links)]
            if sentences:
                kept.append(Block("paragraph", [" ".join(sentences)]))
    return kept


def without_empty_headings(blocks: list[Block]) -> list[Block]:
    kept = []
    for block, following in with_next(blocks):
        if block.kind == "heading" and (following is None or following.kind == "heading"):
            continue
        kept.append(block)
    return kept


def defined_words(blocks: list[Block]) -> list[Block]:
    """A glossary's blocks with only its defined words; none at all when no word is defined."""
    kept = []
    for block in blocks:
        if block.kind == "list":
            items = [line for line in block.lines if DEFINED_WORD.match(line.lstrip("• "))]
            if items:
                kept.append(Block("list", items))
        else:
            kept.append(block)
    return kept if any(block.kind == "list" for block in kept) else []


def is_question(text: str) -> bool:
    return text.rstrip().endswith("?")


def answered_questions(blocks: list[Block]) -> list[Block]:
    """Readers' questions with their answers; none at all when no question is answered."""
    kept, answered = [], False
    for block, following in with_next(blocks):
        if block.kind == "list":
            items = [line for line in block.lines if not is_question(line)]
            if items:
                kept.append(Block("list", items))
            continue
        if block.kind == "heading" and is_question(block.text):
            if following is None or following.kind != "paragraph":
                continue
            answered = True
        kept.append(block)
    return kept if answered else []


def shown_body(kind: str, body: str, lists_links: bool) -> str:
    """A source's section body without its dead ends ("" when nothing is left to say)."""
    blocks = without_pointers(body_blocks(body), kind, lists_links)
    if kind == SectionKind.GLOSSARY:
        blocks = defined_words(blocks)
    elif kind == SectionKind.QUESTIONS:
        blocks = answered_questions(blocks)
    blocks = without_empty_headings(blocks)
    if not any(block.kind != "heading" for block in blocks):
        return ""
    return joined(blocks)


def shown_text(section, lists_links: bool) -> ShownText:
    """The section as shown: an editor's text as written, a source's without its dead ends."""
    if not section.source_id:
        return ShownText(section, section.body)
    return ShownText(section, shown_body(section.kind, section.body, lists_links))


def shows_resource(resource) -> bool:
    """A resource is listed when a reader can follow it (a link) or read it (a description)."""
    return not resource.source_id or bool(resource.url or resource.description.strip())


def cited_numbers(texts) -> set[int]:
    return {int(number) for text in texts for number in CITATION.findall(text)}


def shows_reference(reference, cited: set[int]) -> bool:
    """A reference is listed when a reader could find it: by its link, the date it was read, its year;
    or when the page's text cites it."""
    if not reference.source_id or reference.number in cited:
        return True
    return bool(reference.url or reference.accessed or YEAR.search(reference.citation))


def shown_references(disease) -> list:
    """The disease's references as the page lists them (references and sections prefetched)."""
    cited = cited_numbers([disease.summary] + [section.body for section in disease.sections.all()])
    return [reference for reference in disease.references.all() if shows_reference(reference, cited)]
