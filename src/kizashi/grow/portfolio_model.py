"""The portfolio file (a stable interface, docs/portfolio.md): yearly budgets, candidate projects with a value (or
criteria scored by TOPSIS or AHP), an area, yearly costs, what each requires and excludes, and TRL now and target.

Read from YAML (or JSON) through the bounded YAML reader, or from an XLSX workbook with one sheet per table
(`budget`, `projects`; optional `settings`, `min_per_area`, `criteria`). Every problem is an InputError naming the
file, the project (or row) and the field; `kizashi portfolio schema` prints the JSON Schema of `Portfolio`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kizashi.errors import InputError
from kizashi.files.tabular import iter_rows, suffix_of
from kizashi.files.yaml_file import read_yaml
from kizashi.grow.portfolio_scoring import MAX_CONSISTENCY_RATIO, ahp, ahp_weights, topsis
from kizashi.messages import Message

Year = Annotated[int, Field(ge=1900, le=2200, description="A fiscal year, e.g. 2027")]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class Trl(BaseModel):
    """Technology readiness (NASA/EU TRL 1–9) now and the level the project is to reach."""

    model_config = ConfigDict(extra="forbid")
    now: int = Field(ge=1, le=9)
    target: int = Field(ge=1, le=9)


class Criterion(BaseModel):
    """A criterion projects are scored on: its weight (any positive number; weights are normalised) and whether
    more is better (benefit) or worse (cost)."""

    model_config = ConfigDict(extra="forbid")
    weight: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    kind: Literal["benefit", "cost"] = "benefit"


class Scoring(BaseModel):
    """How `criteria` become a project's value: value = score × scale (TOPSIS closeness 0..1; AHP priority, summing
    to 1 over the projects scored). AHP weights come from `criteria.<name>.weight` or, when `pairwise` is given, from
    the pairwise comparison matrix (rows and columns in the order of `criteria`)."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["topsis", "ahp"]
    criteria: dict[Id, Criterion] = Field(min_length=1)
    scale: float = Field(default=100.0, gt=0, allow_inf_nan=False)
    pairwise: list[list[Annotated[float, Field(gt=0, allow_inf_nan=False)]]] | None = None


class Project(BaseModel):
    """A candidate project: exactly one of `value` and `criteria`."""

    model_config = ConfigDict(extra="forbid")
    id: Id
    title_ja: str | None = None
    title_en: str | None = None
    value: float | None = Field(default=None, allow_inf_nan=False)
    criteria: dict[Id, Annotated[float, Field(allow_inf_nan=False)]] | None = None
    area: Id | None = None
    cost: dict[Year, Amount] = Field(default_factory=dict)
    requires: list[Id] = Field(default_factory=list)
    excludes: list[Id] = Field(default_factory=list)
    trl: Trl | None = None

    @model_validator(mode="after")
    def _one_value(self) -> Project:
        if (self.value is None) == (self.criteria is None):
            raise ValueError("give exactly one of value and criteria")
        return self


class Portfolio(BaseModel):
    """A programme's candidate projects under yearly budgets (docs/portfolio.md)."""

    model_config = ConfigDict(extra="forbid")
    id: Id | None = None
    title_ja: str | None = None
    title_en: str | None = None
    budget: dict[Year, Amount] = Field(min_length=1)
    min_per_area: dict[Id, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    max_trl_gap: int | None = Field(default=None, ge=0, le=8)
    scoring: Scoring | None = None
    projects: list[Project] = Field(min_length=1)


def schema() -> dict[str, Any]:
    """The JSON Schema of the portfolio file."""
    made = Portfolio.model_json_schema()
    made["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return made


@dataclass(frozen=True)
class Loaded:
    """A checked portfolio, each project's value (scored when it gave criteria) and where each project came from."""

    file: Path
    portfolio: Portfolio
    values: list[float]
    rows: list[int | None]  # the spreadsheet row of each project (None from YAML)
    # Keys outside the format at the top or in a project, as (project id or "" for the top, key): warned, ignored.
    ignored: list[tuple[str, str]] = dataclasses.field(default_factory=list)


# ---------------------------------------------------------------- reading


def load(path: Path) -> Loaded:
    """Read, validate and score a portfolio file (.yaml, .yml, .json or .xlsx)."""
    if not path.exists():
        raise InputError(Message("no such file"), file=path)
    if path.is_dir():
        raise InputError(Message("is a folder, expected a file"), file=path)
    suffix = suffix_of(path)
    if suffix == ".xlsx":
        data, rows = _from_workbook(path)
    elif suffix in (".yaml", ".yml", ".json"):
        data, rows = read_yaml(path), None
    else:
        raise InputError(
            Message(
                "unsupported file type '{suffix}'; use one of {suffixes}",
                suffix=suffix or path.name,
                suffixes=".yaml, .yml, .json, .xlsx",
            ),
            file=path,
        )
    if not isinstance(data, dict):
        raise InputError(Message("expected a mapping with budget and projects at the top"), file=path)
    kept, ignored = _set_aside(data)
    try:
        portfolio = Portfolio.model_validate(kept)
    except ValidationError as exc:
        raise _located(exc, kept, path, rows) from None
    row_of = rows or [None] * len(portfolio.projects)
    _check_references(portfolio, path, row_of)
    return Loaded(path, portfolio, _values(portfolio, path, row_of), row_of, ignored)


def _field_names(model: type[BaseModel]) -> set[str]:
    return {name for key, info in model.model_fields.items() for name in (key, info.alias) if name}


def _set_aside(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The file without keys the format lacks at its top or in its projects, and those keys as (where, key): a file
    may carry notes or names of its own, so they are warned about (a misspelt `requries` must not pass unseen)
    rather than refused. Inside a value (trl, scoring) an unknown key is still refused."""
    known, project_known = _field_names(Portfolio), _field_names(Project)
    ignored = [("", str(key)) for key in data if key not in known]
    kept = {key: value for key, value in data.items() if key in known}
    projects = data.get("projects")
    if isinstance(projects, list):
        kept_projects: list[Any] = []
        for index, project in enumerate(projects):
            if isinstance(project, dict):
                name = project.get("id")
                where = str(name) if name not in (None, "") else f"#{index + 1}"
                ignored.extend((where, str(key)) for key in project if key not in project_known)
                project = {key: value for key, value in project.items() if key in project_known}
            kept_projects.append(project)
        kept["projects"] = kept_projects
    return kept, ignored


def _located(exc: ValidationError, data: Mapping[str, Any], path: Path, rows: list[int | None] | None) -> InputError:
    """The first validation error as an InputError naming the project (by id, else its position) and the field."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    reason = _reason(error)
    row = None
    if len(loc) >= 2 and loc[0] == "projects" and loc[1].isdigit():
        index = int(loc[1])
        raw = data.get("projects")
        project = raw[index] if isinstance(raw, list) and index < len(raw) else None
        name = project.get("id") if isinstance(project, dict) else None
        row = rows[index] if rows and index < len(rows) else None
        field = ".".join(loc[2:]) or None
        label = str(name) if isinstance(name, str | int) and str(name).strip() else f"#{index + 1}"
        reason = Message("project {project}: {problem}", project=label, problem=reason)
        return InputError(reason, file=path, row=row, field=field)
    return InputError(reason, file=path, field=".".join(loc) or None)


def _reason(error: Any) -> Message:
    kind = error["type"]
    if kind == "missing":
        return Message("required value is missing")
    if kind == "extra_forbidden":
        return Message("unknown field")
    return Message("not a valid value: {problem}", problem=str(error["msg"]).removeprefix("Value error, "))


def _located_project(
    path: Path, rows: list[int | None], index: int, project: str, field: str, reason: Message
) -> InputError:
    return InputError(
        Message("project {project}: {problem}", project=project, problem=reason),
        file=path,
        row=rows[index],
        field=field,
    )


def _check_references(portfolio: Portfolio, path: Path, rows: list[int | None]) -> None:
    """Ids unique; requires and excludes name other projects of the file; costs fall in budgeted years; TRL target
    not below now; criteria only with a scoring section that names them."""
    seen: dict[str, int] = {}
    for index, project in enumerate(portfolio.projects):
        if project.id in seen:
            reason = Message("the id appears twice (first as project #{first})", first=seen[project.id] + 1)
            raise _located_project(path, rows, index, project.id, "id", reason)
        seen[project.id] = index
    for index, project in enumerate(portfolio.projects):
        for field in ("requires", "excludes"):
            for other in getattr(project, field):
                if other == project.id:
                    raise _located_project(path, rows, index, project.id, field, Message("names the project itself"))
                if other not in seen:
                    reason = Message("no project has the id '{id}'", id=other)
                    raise _located_project(path, rows, index, project.id, field, reason)
        for year in project.cost:
            if year not in portfolio.budget:
                reason = Message("a cost in {year}, a year without a budget", year=year)
                raise _located_project(path, rows, index, project.id, f"cost.{year}", reason)
        if project.trl is not None and project.trl.target < project.trl.now:
            raise _located_project(path, rows, index, project.id, "trl", Message("the TRL target is below now"))
        if project.criteria is not None:
            _check_criteria(portfolio, project, path, rows, index)
    if portfolio.scoring is not None and portfolio.scoring.pairwise is not None:
        _check_pairwise(portfolio.scoring, path)


def _check_criteria(portfolio: Portfolio, project: Project, path: Path, rows: list[int | None], index: int) -> None:
    scoring = portfolio.scoring
    assert project.criteria is not None
    if scoring is None:
        reason = Message("criteria need a scoring section (method and criteria) at the top")
        raise _located_project(path, rows, index, project.id, "criteria", reason)
    for name in project.criteria:
        if name not in scoring.criteria:
            reason = Message("'{criterion}' is not among the scoring criteria", criterion=name)
            raise _located_project(path, rows, index, project.id, f"criteria.{name}", reason)
    for name, criterion in scoring.criteria.items():
        if name not in project.criteria:
            reason = Message("no score for the criterion '{criterion}'", criterion=name)
            raise _located_project(path, rows, index, project.id, f"criteria.{name}", reason)
        score = project.criteria[name]
        if score < 0 or (scoring.method == "ahp" and criterion.kind == "cost" and score <= 0):
            reason = Message("a score must be positive (zero allowed for a TOPSIS or benefit criterion)")
            raise _located_project(path, rows, index, project.id, f"criteria.{name}", reason)
    if scoring.pairwise is None:
        for name, criterion in scoring.criteria.items():
            if criterion.weight is None:
                raise InputError(
                    Message("the criterion has no weight (give weight, or pairwise for AHP)"),
                    file=path,
                    field=f"scoring.criteria.{name}.weight",
                )


def _check_pairwise(scoring: Scoring, path: Path) -> None:
    assert scoring.pairwise is not None
    n = len(scoring.criteria)
    matrix = scoring.pairwise
    if scoring.method != "ahp":
        raise InputError(Message("pairwise comparisons are for the AHP method"), file=path, field="scoring.pairwise")
    if len(matrix) != n or any(len(row) != n for row in matrix):
        raise InputError(
            Message("the pairwise matrix must be {n} × {n}, one row and column per criterion", n=n),
            file=path,
            field="scoring.pairwise",
        )
    for i in range(n):
        for j in range(n):
            if not math.isclose(matrix[i][j] * matrix[j][i], 1.0, rel_tol=1e-3):
                raise InputError(
                    Message(
                        "the pairwise matrix is not reciprocal at row {row}, column {column}", row=i + 1, column=j + 1
                    ),
                    file=path,
                    field="scoring.pairwise",
                )
    _, ratio = ahp_weights(np.array(matrix))
    if ratio > MAX_CONSISTENCY_RATIO:
        raise InputError(
            Message(
                "the pairwise comparisons are inconsistent (consistency ratio {ratio:.3f} above {limit})",
                ratio=ratio,
                limit=MAX_CONSISTENCY_RATIO,
            ),
            file=path,
            field="scoring.pairwise",
        )


def _values(portfolio: Portfolio, path: Path, rows: list[int | None]) -> list[float]:
    """Each project's value: as given, or its TOPSIS/AHP score × scale, scored among the projects that give
    criteria (the file's projects are the alternatives)."""
    values = [project.value for project in portfolio.projects]
    scored = [i for i, project in enumerate(portfolio.projects) if project.criteria is not None]
    if not scored:
        return [float(v) for v in values if v is not None]
    scoring = portfolio.scoring
    assert scoring is not None
    names = list(scoring.criteria)
    matrix = np.array([[portfolio.projects[i].criteria[name] for name in names] for i in scored])  # type: ignore[index]
    benefit = [scoring.criteria[name].kind == "benefit" for name in names]
    if scoring.pairwise is not None:
        weights = list(ahp_weights(np.array(scoring.pairwise))[0])
    else:
        weights = [float(scoring.criteria[name].weight or 0) for name in names]
    scores = topsis(matrix, weights, benefit) if scoring.method == "topsis" else ahp(matrix, weights, benefit)
    for i, score in zip(scored, scores, strict=True):
        values[i] = round(float(score) * scoring.scale, 9)
    return [float(v if v is not None else 0.0) for v in values]


# ---------------------------------------------------------------- the workbook


_PROJECT_COLUMNS = ("id", "title_ja", "title_en", "value", "area", "requires", "excludes", "trl_now", "trl_target")


def _from_workbook(path: Path) -> tuple[dict[str, Any], list[int | None]]:
    """The portfolio of a workbook as the YAML document it stands for, and each project's row. Sheets: `budget`
    (year, amount), `projects` (id, title_ja, title_en, value, area, requires, excludes, trl_now, trl_target, and
    one `cost_<year>` column per year, `criterion_<name>` per criterion; lists separated by ; or ,), optional
    `min_per_area` (area, minimum), `settings` (key, value: max_trl_gap, scoring_method, scoring_scale, id,
    title_ja, title_en) and `criteria` (criterion, weight, kind)."""
    data: dict[str, Any] = {}
    settings = {
        str(r.values.get("key", "")).strip(): r.values.get("value")
        for r in _sheet(path, "settings", ("key", "value"), optional=True)
    }
    for key in ("id", "title_ja", "title_en", "max_trl_gap"):
        if settings.get(key) not in (None, ""):
            data[key] = settings[key]
    data["budget"] = {
        _cell_key(r.values["year"]): r.values["amount"] for r in _sheet(path, "budget", ("year", "amount"))
    }
    minimums = _sheet(path, "min_per_area", ("area", "minimum"), optional=True)
    if minimums:
        data["min_per_area"] = {str(r.values["area"]): r.values["minimum"] for r in minimums}
    criteria = _sheet(path, "criteria", ("criterion",), optional=True)
    if criteria or settings.get("scoring_method") not in (None, ""):
        scoring: dict[str, Any] = {"method": settings.get("scoring_method"), "criteria": {}}
        if settings.get("scoring_scale") not in (None, ""):
            scoring["scale"] = settings["scoring_scale"]
        for r in criteria:
            entry = {k: r.values[k] for k in ("weight", "kind") if r.values.get(k) not in (None, "")}
            scoring["criteria"][str(r.values["criterion"])] = entry
        data["scoring"] = scoring
    projects, rows = [], []
    for r in _sheet(path, "projects", ("id",)):
        projects.append(_project_of(r.values))
        rows.append(r.number)
    data["projects"] = projects
    return data, list(rows)


def _sheet(path: Path, name: str, required: tuple[str, ...], *, optional: bool = False) -> list[Any]:
    try:
        return list(iter_rows(path, required, sheet=name))
    except InputError as exc:
        if optional and exc.reason in (
            Message("the workbook has no sheet named '{sheet}'", sheet=name),
            Message("file is empty (no data rows)"),
        ):
            return []
        raise


def _cell_key(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _listed(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]


def _project_of(values: Mapping[str, Any]) -> dict[str, Any]:
    project: dict[str, Any] = {}
    for key in ("id", "title_ja", "title_en", "value", "area"):
        if values.get(key) not in (None, ""):
            project[key] = str(values[key]) if key in ("id", "area") else values[key]
    for key in ("requires", "excludes"):
        if _listed(values.get(key)):
            project[key] = _listed(values.get(key))
    if values.get("trl_now") not in (None, "") or values.get("trl_target") not in (None, ""):
        project["trl"] = {"now": values.get("trl_now"), "target": values.get("trl_target")}
    costs = {
        _cell_key(k.removeprefix("cost_")): v
        for k, v in values.items()
        if k.startswith("cost_") and v not in (None, "")
    }
    if costs:
        project["cost"] = costs
    criteria = {
        k.removeprefix("criterion_"): v for k, v in values.items() if k.startswith("criterion_") and v not in (None, "")
    }
    if criteria:
        project["criteria"] = criteria
    unknown = [k for k in values if k not in _PROJECT_COLUMNS and not k.startswith(("cost_", "criterion_"))]
    for key in unknown:
        if values[key] not in (None, ""):
            project[key] = values[key]  # refused by the model as an unknown field, named
    return project


def ids(loaded: Loaded) -> Iterable[str]:
    return (project.id for project in loaded.portfolio.projects)
