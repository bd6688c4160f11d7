"""The STIX 2.1 reader: real bundles (ATT&CK ICS, OASIS examples) come back whole and valid; every bad input (broken
JSON, a wrong spec_version, STIX 2.0, a missing property, an object or bundle over a limit, deep nesting) is refused
with InputError naming the file, the object and the reason or setting, and nothing is returned."""

from __future__ import annotations

import copy
import dataclasses
import gzip
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stix2validator import ValidationOptions, validate_instance

from kizashi.errors import InputError
from kizashi.files.limits import Limits, TooLarge
from kizashi.ingest.stix import read_stix_bytes, read_stix_file
from kizashi.messages import JAPANESE

CTI = Path(__file__).parents[1] / "fixtures" / "cti"
ATTACK = CTI / "attack-ics-slice.json"
EXAMPLES = sorted((CTI / "stix21-examples").glob("*.json"))
TECHNIQUE = "attack-pattern--008b8f56-6107-48be-aa9f-746f927dbb61"


def bundle_of(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(path.read_bytes())
    return document


def written(tmp_path: Path, document: Any, name: str = "bundle.json") -> Path:
    path = tmp_path / name
    path.write_bytes(orjson.dumps(document))
    return path


def limits(**changes: int) -> Limits:
    return dataclasses.replace(Limits.current(), **changes)


def valid(item: dict[str, Any]) -> bool:
    """The validator's own verdict with its default options (STIX 2.1, best-practice checks as warnings)."""
    return bool(validate_instance(item, ValidationOptions(version="2.1", silent=True)).is_valid)


def refused(path: Path, lim: Limits | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_stix_file(path, lim)
    return caught.value


@pytest.mark.parametrize("path", [ATTACK, *EXAMPLES], ids=lambda p: p.name)
def test_real_bundles_come_back_whole_and_every_object_passes_the_validator(path: Path) -> None:
    objects = read_stix_file(path)
    assert objects == bundle_of(path)["objects"]
    assert all(valid(item) for item in objects)


def test_the_attack_slice_keeps_relationships_and_its_marking() -> None:
    kinds = {item["type"] for item in read_stix_file(ATTACK)}
    assert {"relationship", "marking-definition", "attack-pattern", "malware", "intrusion-set"} <= kinds


def test_a_taxii_envelope_a_single_object_and_a_gzip_file(tmp_path: Path) -> None:
    objects = bundle_of(ATTACK)["objects"]
    envelope = orjson.dumps({"more": False, "objects": objects})
    assert read_stix_bytes(envelope, "POST /taxii2/") == objects
    technique = next(item for item in objects if item["id"] == TECHNIQUE)
    assert read_stix_file(written(tmp_path, technique)) == [technique]
    packed = tmp_path / "bundle.json.gz"
    packed.write_bytes(gzip.compress(ATTACK.read_bytes()))
    assert read_stix_file(packed) == objects
    assert read_stix_bytes(orjson.dumps({"type": "bundle", "id": bundle_of(ATTACK)["id"]}), "empty") == []


def test_broken_json_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(ATTACK.read_bytes()[:5000])
    error = refused(path)
    assert str(path) in str(error) and "broken JSON" in str(error)
    assert error.location.row is not None and error.location.row > 1


def test_a_wrong_spec_version_names_the_object(tmp_path: Path) -> None:
    bundle = bundle_of(ATTACK)
    bundle["objects"][5]["spec_version"] = "2.2"
    error = refused(written(tmp_path, bundle))
    assert bundle["objects"][5]["id"] in str(error) and "'2.2'" in str(error) and "bundle.json" in str(error)


def test_stix_20_is_refused_clearly(tmp_path: Path) -> None:
    bundle = bundle_of(ATTACK)
    bundle["spec_version"] = "2.0"
    for item in bundle["objects"]:
        del item["spec_version"]
    error = refused(written(tmp_path, bundle))
    assert "STIX 2.0" in str(error) and bundle["id"] in str(error)
    technique = next(item for item in bundle_of(ATTACK)["objects"] if item["id"] == TECHNIQUE)
    error = refused(written(tmp_path, dict(technique, spec_version="2.0"), "one.json"))
    assert "STIX 2.0" in str(error) and TECHNIQUE in str(error)


@pytest.mark.parametrize("missing", ["name", "created", "spec_version"])
def test_a_missing_required_property_is_the_validators_reason(tmp_path: Path, missing: str) -> None:
    bundle = bundle_of(ATTACK)
    technique = next(item for item in bundle["objects"] if item["id"] == TECHNIQUE)
    del technique[missing]
    error = refused(written(tmp_path, bundle))
    assert TECHNIQUE in str(error) and f"'{missing}' is a required property" in str(error)
    assert "bundle.json" in str(error)


def test_an_invalid_pattern_and_a_bad_bundle_id_are_refused(tmp_path: Path) -> None:
    bundle = bundle_of(EXAMPLES[0])
    indicator = next(item for item in bundle["objects"] if item["type"] == "indicator")
    indicator["pattern"] = "[ipv4-addr:value = "
    assert "Pattern failed to validate" in str(refused(written(tmp_path, bundle)))
    bad_id = dict(bundle_of(ATTACK), id="bundle--1")
    assert "bundle--1" in str(refused(written(tmp_path, bad_id)))


def test_an_object_that_is_not_an_object_or_has_no_id(tmp_path: Path) -> None:
    assert "object 2" in str(refused(written(tmp_path, {"objects": [bundle_of(ATTACK)["objects"][0], 7]})))
    assert "no type or id" in str(refused(written(tmp_path, {"objects": [{"type": "indicator"}]})))


def test_an_object_over_the_size_limit_names_the_object_and_setting(tmp_path: Path) -> None:
    bundle = bundle_of(ATTACK)
    technique = next(item for item in bundle["objects"] if item["id"] == TECHNIQUE)
    technique["description"] = "x" * 5000
    error = refused(written(tmp_path, bundle), limits(object_bytes=4096))
    assert isinstance(error, TooLarge) and error.status == 413
    assert TECHNIQUE in str(error) and "KIZASHI_MAX_OBJECT_BYTES" in str(error)
    assert read_stix_file(ATTACK, limits(object_bytes=4096 * 4))  # the others are under it


def test_too_many_objects_names_the_setting(tmp_path: Path) -> None:
    count = len(bundle_of(ATTACK)["objects"])
    error = refused(ATTACK, limits(bundle_objects=count - 1))
    assert isinstance(error, TooLarge) and "KIZASHI_MAX_BUNDLE_OBJECTS" in str(error) and f"{count}" in str(error)
    assert len(read_stix_file(ATTACK, limits(bundle_objects=count))) == count


def test_deep_nesting_names_the_object_and_setting(tmp_path: Path) -> None:
    bundle = bundle_of(ATTACK)
    technique = next(item for item in bundle["objects"] if item["id"] == TECHNIQUE)
    deep: Any = "bottom"
    for _ in range(30):
        deep = {"x": deep}
    technique["x_kizashi_deep"] = deep
    error = refused(written(tmp_path, bundle), limits(depth=16))
    assert isinstance(error, TooLarge) and TECHNIQUE in str(error) and "KIZASHI_MAX_DEPTH" in str(error)


def test_a_document_over_the_document_limit_is_refused_before_parsing() -> None:
    with pytest.raises(TooLarge, match="KIZASHI_MAX_DOCUMENT_BYTES"):
        read_stix_bytes(b"[" * 2048, "POST /taxii2/", limits(document_bytes=1024))


def test_refusals_say_themselves_in_japanese(tmp_path: Path) -> None:
    bundle = bundle_of(ATTACK)
    del next(item for item in bundle["objects"] if item["id"] == TECHNIQUE)["name"]
    error = refused(written(tmp_path, bundle))
    japanese = error.said("ja")
    assert TECHNIQUE in japanese and "不正です" in japanese
    assert JAPANESE["STIX object {id} is invalid: {reason}"].split("{")[0] in japanese


# Mutations of valid objects: whatever a hostile or careless producer sends, the reader refuses it with InputError
# or returns it valid; it never crashes and never returns what the validator refuses.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
BUNDLE_ID = bundle_of(ATTACK)["id"]
ORIGINALS = [item for path in [ATTACK, *EXAMPLES] for item in bundle_of(path)["objects"]]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    item = copy.deepcopy(draw(st.sampled_from(ORIGINALS)))
    for _ in range(draw(st.integers(1, 3))):
        keys = sorted(item)
        action = draw(st.sampled_from(["drop", "replace", "add", "nudge"]))
        if action == "drop" and keys:
            del item[draw(st.sampled_from(keys))]
        elif action == "replace" and keys:
            item[draw(st.sampled_from(keys))] = draw(json_values)
        elif action == "add":
            item[draw(st.sampled_from(["x_extra", "labels", "external_references", "object_marking_refs", "lang"]))] = (
                draw(json_values)
            )
        elif keys:  # a plausible near-miss: a string property with a character changed
            key = draw(st.sampled_from(keys))
            if isinstance(item[key], str) and item[key]:
                at = draw(st.integers(0, len(item[key]) - 1))
                item[key] = item[key][:at] + draw(st.sampled_from(["Z", "-", " ", "0", "é"])) + item[key][at + 1 :]
    return item


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_objects_are_refused_or_valid_never_a_crash(item: dict[str, Any]) -> None:
    try:
        objects = read_stix_bytes(orjson.dumps({"type": "bundle", "id": BUNDLE_ID, "objects": [item]}), "m")
    except InputError:
        return
    assert objects == [item] and valid(item)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        json_values.map(orjson.dumps),
        st.dictionaries(
            st.sampled_from(["type", "id", "objects", "spec_version", "more"]), json_values, max_size=4
        ).map(orjson.dumps),
    )
)
def test_any_document_is_refused_or_read_never_a_crash(data: bytes) -> None:
    try:
        objects = read_stix_bytes(data, "fuzz")
    except InputError:
        return
    assert all(valid(item) for item in objects)
