"""Settings from KIZASHI_* environment variables; every one is documented in docs/settings.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from kizashi.errors import ConfigError
from kizashi.messages import Message

DEFAULT_WORKSPACE = Path("kizashi-workspace")
# The matcher's channels (know/match.py) and their default weights.
# `dense` counts only where a dense model is set (KIZASHI_MATCH_DENSE_MODEL).
MATCH_WEIGHTS: dict[str, float] = {"lexical": 1.0, "translated": 1.0, "latent": 0.5, "concepts": 0.0, "dense": 0.3}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KIZASHI_", extra="ignore")

    workspace: Path = Field(
        default=DEFAULT_WORKSPACE,
        description="Workspace folder (SQLite file and corpus). Overridden by --workspace.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the record store, e.g. postgresql+psycopg://user@host/db. "
        "Unset: a SQLite file inside the workspace.",
    )
    user: str | None = Field(
        default=None,
        description="The user the command line acts as. Unset: the operating-system login. Another user than the "
        "login needs their credential (KIZASHI_TOKEN, or their password with --auth-stdin): a name alone is refused.",
    )
    token: str | None = Field(
        default=None,
        description="A personal token (`kizashi user token create`): the command line acts as its user. Keep it "
        "like a password.",
    )
    reader_process: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Read and parse input files in a second process while the first one writes: auto (when "
        "there is a spare core and the files hold at least 32 MB), always, or never.",
    )
    batch_size: int = Field(
        default=2000, ge=1, le=100_000, description="Records written per database round trip during ingest."
    )
    secret_key: str | None = Field(
        default=None,
        description="Secret that signs the login form's CSRF token. Required (an estimated 128 random bits or more) "
        "when `kizashi serve` listens beyond loopback or with --server; unset on loopback: a random one per start.",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, le=24 * 60, description="A web session ends after this many minutes without a request."
    )
    session_hours: int = Field(
        default=12, ge=1, le=24 * 7, description="A web session ends this many hours after login, however busy."
    )
    login_failures: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="Failed logins of one user name from one address allowed in the login window before each "
        "further attempt waits (2, 4, 8, … seconds, at most the window; answered 429 with Retry-After until then); "
        "four times as many per address across names, and per name across addresses (an address that has not "
        "used up its own budget on the name then waits at most 30 seconds).",
    )
    login_window_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description="The window, in minutes, over which failed logins are counted; also the longest wait.",
    )
    audit_key: str | None = Field(
        default=None,
        description="The key that MACs every audit event's hash (an estimated 128 random bits or more), so that "
        "`kizashi audit verify --key` catches a rewrite of the whole trail. Unset: the key file.",
    )
    audit_key_file: Path | None = Field(
        default=None,
        description="A file holding the audit key, kept where the database's writers cannot read it. Unset: "
        "audit.key in the workspace folder, made by `kizashi init`.",
    )
    match_weights: dict[str, float] = Field(
        default_factory=lambda: dict(MATCH_WEIGHTS),
        description="Weights of the matcher's channels in reciprocal-rank fusion, as JSON, e.g. "
        '`{"lexical": 1, "translated": 1, "latent": 0.5}`; a channel left out weighs 0. '
        "`kizashi judgements --tune` proposes weights from the workshop's decisions.",
    )
    match_bigram_weight: float = Field(
        default=0.5, ge=0, le=10, description="Weight of a need's word pairs against its single words in matching."
    )
    match_dense_model: Path | None = Field(
        default=None,
        description="Folder of a local sentence-transformers or model2vec model for the matcher's dense channel "
        "(never downloaded). Unset: no dense channel.",
    )
    match_dense_languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["en"],
        description="Languages of the needs the dense model reads, comma-separated (en, ja). A need in another "
        "language gets no dense ranking.",
    )
    controls_threshold: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="The line for control-list candidates: a candidate with specific evidence whose score (the "
        "probability that it is right) is at least this is shown as one a reviewer should check; any other as one to "
        "ask a human about.",
    )
    public_landscape: bool = Field(
        default=False,
        description="Serve the public landscape page, /public/landscape, without login: the latest scan made with "
        "`kizashi scan --public` (PUBLIC records only). Off: that page answers 404.",
    )

    # Input limits (files/limits.py): checked while a file streams, before the memory is spent; a file over one is
    # refused with exit 2 (HTTP 413) naming the file, the limit and the variable that raises it.
    max_file_bytes: int = Field(
        default=64 * 1024**3,
        ge=1024,
        description="Bytes one input file may hold once decompressed (a .gz file counts as what it unpacks to).",
    )
    max_document_bytes: int = Field(
        default=256 * 1024**2,
        ge=1024,
        description="Bytes of a file that is parsed whole: a JSON document (not JSON lines), a YAML file, an XML list.",
    )
    max_line_bytes: int = Field(
        default=32 * 1024**2, ge=1024, description="Bytes of one line of a CSV, TSV or JSON-lines file."
    )
    max_field_chars: int = Field(
        default=4 * 1024**2, ge=64, description="Characters of one cell of a CSV, TSV or XLSX file."
    )
    max_rows: int = Field(default=100_000_000, ge=1, description="Rows (records, list entries) of one input file.")
    max_depth: int = Field(
        default=64, ge=4, le=1000, description="Nesting depth of a JSON or YAML value (an object in a list is 2)."
    )
    max_items: int = Field(
        default=100_000, ge=10, description="Items of one list or object inside a JSON or YAML record."
    )
    max_archive_entries: int = Field(
        default=10_000, ge=10, description="Entries (parts) of an XLSX workbook, which is a ZIP archive."
    )
    max_archive_part_bytes: int = Field(
        default=64 * 1024**2,
        ge=1024,
        description="Bytes of one part of an XLSX workbook once unpacked (a sheet, the shared strings).",
    )
    max_upload_bytes: int = Field(
        default=5 * 1024**2,
        ge=1024,
        description="Bytes of a file uploaded to the web app (a batch of names to screen); a larger request body is "
        "refused with 413 before it is read.",
    )
    max_object_bytes: int = Field(
        default=4 * 1024**2,
        ge=1024,
        description="Bytes of one STIX object (as JSON) in a bundle, a TAXII envelope or a TAXII request.",
    )
    max_bundle_objects: int = Field(default=250_000, ge=1, description="Objects of one STIX bundle or TAXII envelope.")

    @field_validator("match_dense_languages", mode="before")
    @classmethod
    def _language_list(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        if isinstance(value, list) and not set(value) <= {"en", "ja"}:
            raise ValueError(f"languages are en and ja, not {', '.join(sorted(set(value) - {'en', 'ja'}))}")
        return value

    @field_validator("match_weights")
    @classmethod
    def _known_channels(cls, weights: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(weights) - set(MATCH_WEIGHTS))
        if unknown:
            raise ValueError(f"unknown channel(s) {', '.join(unknown)}; the channels are {', '.join(MATCH_WEIGHTS)}")
        if any(weight < 0 for weight in weights.values()) or not any(weights.values()):
            raise ValueError("weights must be at least 0, and one above 0")
        return weights


def get_settings() -> Settings:
    """The settings, or ConfigError (exit code 2) naming each variable that is invalid."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"KIZASHI_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}" for error in exc.errors()
        )
        raise ConfigError(Message("invalid setting: {problems}", problems=problems)) from None
    except SettingsError as exc:  # a complex setting that is not JSON
        problem = str(exc).replace('field "', 'field "KIZASHI_').upper()
        raise ConfigError(Message("INVALID SETTING: {problem}", problem=problem)) from None
