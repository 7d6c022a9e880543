"""Linear patterns for mistune's HTML tags (imported before any mistune parser is built).

mistune (3.0-3.4) matches an HTML tag's attributes with an unquoted value of
``[^ !"'=<>`]+``, which takes tabs, line breaks and non-breaking spaces: the ``\\s`` around
it can then split one run of them in every way, and ``<span style=`` before 2,000 tabs
took 26 s inline (cubic). CommonMark's unquoted value holds no whitespace at all, which
makes every split unique: these patterns are mistune's with that one change, set on the
two module globals its parsers read (there is no public hook for them). Any other value
keeps mistune's own pattern, so a later mistune that renames them is left as it is.
"""
from __future__ import annotations

import re

from mistune import block_parser, inline_parser
from mistune.helpers import HTML_TAGNAME

ATTRIBUTES = (
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*"
    r'(?:\s*=\s*(?:[^\s"\'=<>`]+|\'[^\']*?\'|"[^\"]*?"))?)*'
)
INLINE_TAG = re.compile(r"<" + HTML_TAGNAME + ATTRIBUTES + r"\s*/?>|</" + HTML_TAGNAME + r"\s*>")
OPEN_TAG_END = re.compile(ATTRIBUTES + r"[ \t]*>[ \t]*(?:\n|$)")

if isinstance(getattr(inline_parser, "_INLINE_HTML_TAG", None), re.Pattern):
    inline_parser._INLINE_HTML_TAG = INLINE_TAG
if isinstance(getattr(block_parser, "_OPEN_TAG_END", None), re.Pattern):
    block_parser._OPEN_TAG_END = OPEN_TAG_END
