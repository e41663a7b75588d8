"""The article text of an HTML page: trafilatura's main content, or, when it finds none, all
the page's text blocks."""

from __future__ import annotations

from html.parser import HTMLParser


def html_to_text(html: str) -> str:
    """The article text of an HTML page, by trafilatura (main content, no comments)."""
    import trafilatura

    from mtaudit.core.suppress import expose_html

    try:
        text = trafilatura.extract(
            expose_html(html), include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
        )
    except (RecursionError, ValueError):
        text = None
    return text or ""


class _PageText(HTMLParser):
    """All the text of a page outside scripts, styles and templates (no tree: any depth)."""

    SKIP = frozenset(("script", "style", "template", "noscript", "head", "svg"))
    BLOCK = frozenset(("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "blockquote"))

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The text of a page trafilatura finds no article in (deep nesting, no markup it knows):
    its text blocks, one a line."""
    parser = _PageText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
