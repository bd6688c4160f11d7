"""STIX 2.1 from outside: a bundle, a TAXII envelope (`{"objects": [...]}`) or a single object, read under the input
limits and every object checked by the OASIS validator (`stix2-validator`) before anything is returned.

A file or request is all or nothing: the first bad object refuses the whole input, naming the file, the object's id
and the validator's reason, so that an import never stores half a bundle. The validator runs with the STIX 2.1
schemas and its MUST checks (required properties, id and timestamp formats, patterns); its SHOULD checks (best
practice: vocabularies, custom-object style) are off, because real feeds such as ATT&CK break them by design
(`x-mitre-*` objects) and they cost time without making an object unsafe to store.

STIX 2.0 is refused rather than upgraded: every ATT&CK release kizashi reads (`attack-stix-data`, ICS 18.1, mobile
17.1) is published in STIX 2.1, and an upgrade would have to rewrite more than `spec_version` (2.0 marking and
relationship rules differ) to be honest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from kizashi.errors import InputError
from kizashi.files.limits import Limits, TooLarge, bounded, check_structure, over
from kizashi.messages import Message

if TYPE_CHECKING:
    from stix2validator import ValidationOptions  # type: ignore[import-untyped]

SPEC_VERSION = "2.1"
_BOM = b"\xef\xbb\xbf"


def read_stix_file(path: Path, limits: Limits | None = None) -> list[dict[str, Any]]:
    """The objects of a STIX 2.1 file (.json, or .json.gz), each valid; InputError (TooLarge over a limit) otherwise."""
    limits = limits or Limits.current()
    with bounded(path, limits) as stream:
        data = stream.document()
    return read_stix_bytes(data, str(path), limits)


def read_stix_bytes(data: bytes, source: str, limits: Limits | None = None) -> list[dict[str, Any]]:
    """The objects of a STIX 2.1 document given as bytes (a TAXII request body); `source` names it in errors."""
    limits = limits or Limits.current()
    if len(data) > limits.document_bytes:
        raise over(limits, "document_bytes", source, Message("the file, parsed whole,"))
    document = _parsed(data, source)
    objects = _objects_of(document, source, limits)
    options = validation_options()
    for number, item in enumerate(objects, start=1):
        check_object(item, number, source, limits, options)
    return objects


def validation_options() -> ValidationOptions:
    """The validator's settings: STIX 2.1 whatever an object claims, MUST checks only, nothing printed. A fresh one
    per input: the validator rewrites its options while it runs."""
    # Imported on first use: it loads jsonschema's format checkers, whose RFC 3987 grammar takes a second or more to
    # build, in every process that imports the CLI or the web app (each command, each `kizashi serve`).
    from stix2validator import ValidationOptions

    return ValidationOptions(version=SPEC_VERSION, silent=True, disabled="all", strict=False)


def validator_errors(item: dict[str, Any], options: ValidationOptions | None = None) -> list[str]:
    """The validator's reasons against `item` (empty when valid), each without the id prefix it adds."""
    from stix2validator import validate_instance  # on first use: see above

    try:
        result = validate_instance(item, options or validation_options())
    except Exception as exc:  # the validator crashes on some hostile values (a list where it expects a str): a refusal
        return [_shortened(str(exc) or type(exc).__name__)]
    if result.is_valid:
        return []
    prefix = f"{item.get('id')}: "
    return [_shortened(str(error).removeprefix(prefix)) for error in result.errors]


def _shortened(reason: str, limit: int = 400) -> str:
    """A reason cut to `limit` characters: some of the validator's quote the whole object."""
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def check_object(item: Any, number: int, source: str, limits: Limits, options: ValidationOptions | None = None) -> None:
    """Refuse the `number`th object of `source` unless it is a STIX 2.1 object within the limits that the validator
    accepts."""
    if not isinstance(item, dict):
        raise InputError(
            Message("object {number} is not a JSON object but {found}", number=number, found=type(item).__name__),
            file=source,
        )
    ident = _name_of(item, number)
    _check_size(item, ident, source, limits)
    if not isinstance(item.get("type"), str) or not isinstance(item.get("id"), str):
        raise InputError(Message("STIX object {id} has no type or id", id=ident), file=source)
    version = item.get("spec_version", SPEC_VERSION)
    if version != SPEC_VERSION:
        raise _wrong_version(ident, version, source)
    reasons = validator_errors(item, options)
    if reasons:
        raise InputError(
            Message("STIX object {id} is invalid: {reason}", id=ident, reason="; ".join(reasons)), file=source
        )


def _parsed(data: bytes, source: str) -> Any:
    try:
        return orjson.loads(data.removeprefix(_BOM))
    except orjson.JSONDecodeError as exc:
        line = data.count(b"\n", 0, max(exc.pos, 0)) + 1
        raise InputError(Message("broken JSON: {problem}", problem=str(exc)), file=source, row=line) from None


def _objects_of(document: Any, source: str, limits: Limits) -> list[Any]:
    """The objects of a bundle, of a TAXII envelope, or the one object the document is."""
    if not isinstance(document, dict):
        raise InputError(Message("expected a JSON object, found {found}", found=type(document).__name__), file=source)
    kind = document.get("type")
    if kind == "bundle":
        _check_bundle(document, source)
        objects = document.get("objects", [])
    elif kind is None and "objects" in document:
        objects = document["objects"]  # a TAXII 2.1 envelope (with `more` and `next`)
    else:
        objects = [document]
    if not isinstance(objects, list):
        raise InputError(Message("the bundle's objects are not a list"), file=source)
    if len(objects) > limits.bundle_objects:
        raise over(limits, "bundle_objects", source, Message("a bundle of {count:,} objects", count=len(objects)))
    return objects


def _check_bundle(bundle: dict[str, Any], source: str) -> None:
    """A 2.1 bundle has no spec_version (a 2.0 one says 2.0); its id and type pass the validator."""
    ident = bundle.get("id") if isinstance(bundle.get("id"), str) else "bundle"
    if "spec_version" in bundle:
        raise _wrong_version(str(ident), bundle["spec_version"], source)
    reasons = validator_errors({name: value for name, value in bundle.items() if name != "objects"})
    if reasons:
        raise InputError(
            Message("STIX bundle {id} is invalid: {reason}", id=ident, reason="; ".join(reasons)), file=source
        )


def _wrong_version(ident: str, version: Any, source: str) -> InputError:
    if version == "2.0":
        return InputError(
            Message(
                "{id} is STIX 2.0; kizashi reads STIX 2.1 only (ATT&CK publishes 2.1 bundles: use those)", id=ident
            ),
            file=source,
        )
    return InputError(
        Message("{id} has spec_version {version}; kizashi reads STIX 2.1 only", id=ident, version=repr(version)),
        file=source,
    )


def _name_of(item: dict[str, Any], number: int) -> str:
    ident = item.get("id")
    if isinstance(ident, str) and ident and len(ident) <= 200:
        return ident
    return Message("number {number}", number=number)


def _check_size(item: dict[str, Any], ident: str, source: str, limits: Limits) -> None:
    """Depth and items first (so that a deep object never reaches the serialiser), then the object's JSON size."""
    try:
        check_structure(item, source, limits)
    except TooLarge as exc:
        raise TooLarge(Message("STIX object {id}: {reason}", id=ident, reason=exc.reason), file=source) from None
    try:
        size = len(orjson.dumps(item))
    except orjson.JSONEncodeError:  # nested past orjson's own limit: only when the depth setting allows it
        raise over(limits, "depth", source, Message("STIX object {id}", id=ident)) from None
    if size > limits.object_bytes:
        raise over(limits, "object_bytes", source, Message("STIX object {id}", id=ident))
