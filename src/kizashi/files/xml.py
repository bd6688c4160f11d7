"""XML from outside, parsed with DTDs, entities and external references refused after decoding (defusedxml): a
refusal by pattern over the raw bytes misses a UTF-16 file, and one entity referenced thousands of times grows a
few kilobytes into gigabytes."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from kizashi.errors import InputError
from kizashi.messages import Message

# openpyxl parses workbooks with defusedxml when it is installed, and raises these.
XML_REFUSED = (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)


def parse_xml(raw: bytes, path: Path) -> Element:
    """The root element of an XML document already read under the document limit."""
    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(raw)
        root: Element = parser.close()
    except XML_REFUSED:
        # defusedxml's parser is ElementTree's Python one, whose expat parser knows where it stopped.
        line = parser.parser.CurrentLineNumber
        raise InputError(Message("XML with a DTD or entity declarations is refused"), file=path, row=line) from None
    except ParseError as error:
        line, column = error.position
        raise InputError(
            Message("broken XML at column {column}: {problem}", column=column, problem=str(error)), file=path, row=line
        ) from None
    return root
