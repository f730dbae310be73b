"""Loading the playbook library: the built-ins, then the user's folders on top.

A user entry with a built-in's id replaces the built-in (and is marked as such). Two entries with
the same id in the same layer are an error, as is a reference to an entry that does not exist.
All problems across all files are gathered and raised together, each with its file and line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel

from syslead.errors import InputError, Problem, SysleadError
from syslead.library.models import (
    FACTOR_IDS,
    KINDS,
    MODELS,
    Activity,
    AnyEntry,
    CaseStudy,
    Entry,
    Factor,
    PrincipleSet,
    SessionFormat,
)
from syslead.library.yamlio import (
    Document,
    cache_get,
    cache_put,
    decode_text,
    field_path,
    inner_model,
    locate,
    parse_cached,
    read_bytes,
    validate_as,
)

ENV_VAR = "SYSLEAD_PLAYBOOKS"
FOLDER_KINDS = {
    "factors": "factor",
    "activities": "activity",
    "principles": "principles",
    "case-studies": "case-study",
    "formats": "format",
}
"""A file's kind, when it does not say, comes from the nearest folder with one of these names."""

SKIP_FOLDERS = frozenset({"assessment"})
"""Folders of other file types that live beside the playbooks (the self-assessment questionnaire)."""

E = TypeVar("E", bound=Entry)
M = TypeVar("M", bound=BaseModel)


def builtin_root() -> Path:
    """The built-in playbooks folder, as shipped inside the package."""
    return Path(str(resources.files("syslead").joinpath("playbooks")))


@dataclass(frozen=True)
class Origin:
    """Where an entry was defined, so later checks can point at its lines."""

    doc: Document
    prefix: tuple[int | str, ...]
    builtin: bool

    def problem(self, loc: Sequence[int | str], message: str) -> Problem:
        """A problem at ``loc`` inside this entry."""
        line, column = locate(self.doc.node, (*self.prefix, *loc))
        return Problem(self.doc.path, line, column, field_path(loc), message)

    def where(self) -> str:
        """``path:line`` of the entry's id, for pointing at a first definition."""
        line, _ = locate(self.doc.node, (*self.prefix, "id"))
        return f"{self.doc.path}:{line}"


@dataclass
class Library:
    """Every loaded entry by id, with where each came from."""

    entries: dict[str, AnyEntry] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    overridden: set[str] = field(default_factory=set)
    files: int = 0

    def of_kind(self, kind: type[E]) -> list[E]:
        """Entries of one model, sorted by id (factors in their fixed order)."""
        found = [e for e in self.entries.values() if isinstance(e, kind)]
        if kind is Factor:
            return sorted(found, key=lambda e: FACTOR_IDS.index(e.id))
        return sorted(found, key=lambda e: e.id)

    @property
    def factors(self) -> list[Factor]:
        """The five factors in the paper's order."""
        return self.of_kind(Factor)

    @property
    def activities(self) -> list[Activity]:
        """Every activity, by id."""
        return self.of_kind(Activity)

    def get(self, entry_id: str) -> AnyEntry:
        """The entry with this id, or a SysleadError that suggests close matches."""
        try:
            return self.entries[entry_id]
        except KeyError:
            import difflib  # only on the error path

            close = difflib.get_close_matches(entry_id, list(self.entries), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise SysleadError(
                f"no playbook entry has the id {entry_id!r}{hint}; "
                "'syslead playbooks list' shows them all"
            ) from None

    def factor(self, factor_id: str) -> Factor:
        """The factor with this id, or a SysleadError."""
        entry = self.get(factor_id)
        if not isinstance(entry, Factor):
            raise SysleadError(f"{factor_id!r} is a {entry.kind}, not a factor")
        return entry

    def activity(self, activity_id: str) -> Activity:
        """The activity with this id, or a SysleadError."""
        entry = self.get(activity_id)
        if not isinstance(entry, Activity):
            raise SysleadError(f"{activity_id!r} is a {entry.kind}, not an activity")
        return entry

    def session_format(self, format_id: str) -> SessionFormat:
        """The defaults for a session format."""
        entry = self.entries.get(format_id)
        if not isinstance(entry, SessionFormat):
            raise SysleadError(f"no session format {format_id!r} (expected away-day or six-weekly)")
        return entry

    def principle_sets(self) -> list[PrincipleSet]:
        """Every principle set, by id."""
        return self.of_kind(PrincipleSet)

    def default_principles(self) -> PrincipleSet | None:
        """The set a plan uses unless told otherwise: the user's own if they have one."""
        sets = self.principle_sets()
        own = [s for s in sets if not self.is_builtin(s.id)]
        candidates = own or sets
        return candidates[0] if candidates else None

    def case_studies(self) -> list[CaseStudy]:
        """Every case study, by id."""
        return self.of_kind(CaseStudy)

    def is_builtin(self, entry_id: str) -> bool:
        """Whether the entry is the built-in one rather than the user's."""
        return self.origins[entry_id].builtin


def user_paths(options: Sequence[Path] | None, environ: dict[str, str] | None = None) -> list[Path]:
    """The user's playbook paths: ``--playbooks`` options first, then ``SYSLEAD_PLAYBOOKS``."""
    env = os.environ if environ is None else environ
    paths = list(options or [])
    paths += [Path(p) for p in env.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return paths


def playbook_files(path: Path) -> list[Path]:
    """The YAML files under a folder (recursively, sorted), or the file itself."""
    if path.is_dir():
        found = []
        # os.walk rather than Path.rglob: the same files (symlinked folders are not entered),
        # at a fraction of the cost, which every run pays for the built-in library.
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = [name for name in subfolders if name not in SKIP_FOLDERS]
            for name in names:
                if os.path.splitext(name)[1] in {".yaml", ".yml"}:
                    candidate = os.path.join(folder, name)
                    if os.path.isfile(candidate) or os.path.islink(candidate):
                        found.append(Path(candidate))
        return sorted(found)
    if path.exists():
        return [path]
    raise InputError(
        [Problem(str(path), message="no such file or folder (expected playbook YAML)")]
    )


def _kind_for(data: dict[str, Any], folder_kind: str) -> str | None:
    kind = data.get("kind")
    if isinstance(kind, str):
        return kind if kind in KINDS else None
    return folder_kind


Located = tuple[tuple[int | str, ...], AnyEntry]
"""An entry with the path to it inside its file (empty for a file that holds one entry)."""


def _any_entry(entry: Entry) -> AnyEntry:
    """An entry made from MODELS as one of the kinds a library holds (any other is refused)."""
    if not isinstance(entry, (Factor, Activity, PrincipleSet, CaseStudy, SessionFormat)):
        raise TypeError(f"{type(entry).__name__} is not a kind of playbook entry")
    return entry


def _entries_in(doc: Document, folder_kind: str) -> list[Located]:
    """Validate every entry in one parsed file, raising all of its problems together."""
    if isinstance(doc.data, dict):
        items: list[tuple[tuple[int | str, ...], Any]] = [((), doc.data)]
    elif isinstance(doc.data, list):
        items = [((i,), item) for i, item in enumerate(doc.data)]
    else:
        line, column = locate(doc.node, ())
        raise InputError(
            [
                Problem(
                    doc.path,
                    line,
                    column,
                    "",
                    "expected a mapping (one entry) or a list of entries",
                )
            ]
        )
    problems: list[Problem] = []
    found = []
    for prefix, data in items:
        if not isinstance(data, dict):
            line, column = locate(doc.node, prefix)
            problems.append(
                Problem(doc.path, line, column, field_path(prefix), "expected a mapping")
            )
            continue
        kind = _kind_for(data, folder_kind)
        if kind is None:
            line, column = locate(doc.node, (*prefix, "kind"))
            problems.append(
                Problem(
                    doc.path,
                    line,
                    column,
                    "kind",
                    f"unknown kind (expected one of: {', '.join(KINDS)})",
                )
            )
            continue
        try:
            found.append((prefix, _any_entry(validate_as(MODELS[kind], data, doc, prefix))))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    return found


def _file_entries(path: Path, root: Path) -> tuple[Document, list[Located]]:
    """The validated entries of one playbook file, from the cache when its bytes are unchanged.

    A facilitator runs syslead many times over the same files. Entries that validated before are
    rebuilt from their cached fields without validating them again, which also spares building
    the models' validators at all. The cache key covers the file's bytes, the kind its folder
    implies, and the source of the models and the pydantic version, so any change to either
    means a fresh validation.
    """
    raw = read_bytes(path, "playbook file")
    name = str(path)
    folder_kind = _folder_kind(path, root)
    salt = _fingerprint(folder_kind)
    cached = cache_get("entries", raw, salt)
    if cached is not None:
        entries = _rebuild(cached)
        if entries is not None:
            return Document(name, None, decode_text(name, raw)), entries
    doc = parse_cached(raw, name)
    entries = _entries_in(doc, folder_kind)
    cache_put("entries", raw, _dump(entries), salt)
    return doc, entries


def _dump(entries: list[Located]) -> list[Any]:
    return [(list(prefix), entry.kind, entry.model_dump()) for prefix, entry in entries]


def _rebuild(cached: Any) -> list[Located] | None:
    """Entries rebuilt from a cache record, or None when the record does not fit the models."""
    # Rebuilding in Python beats validating for a handful of entries (it never builds the
    # validators); pydantic's compiled validation wins for files that hold many.
    try:
        rebuild = _construct if len(cached) <= REBUILD_LIMIT else _revalidate
        return [
            (tuple(prefix), _any_entry(rebuild(MODELS[kind], data)))
            for prefix, kind, data in cached
        ]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


FileEntries = tuple[Document, list[Located]]


def _folder_entries(root: Path, files: list[Path]) -> list[FileEntries | InputError]:
    """Each file's entries (or its problems), with a whole folder cached as one record.

    Reading one record for a folder, rather than one per file, spares a file open and a hash
    lookup per playbook on every run. The record's key holds every file's name, kind and bytes,
    so adding, removing, renaming or editing any file means the files are read one by one again
    (from their own cache entries where those still match).
    """
    key = _folder_key(root, files) if len(files) > 1 else None
    salt = _fingerprint("folder")
    if key is not None:
        cached = cache_get("folder", key[0], salt)
        if isinstance(cached, list) and len(cached) == len(files):
            rebuilt = [_rebuild(record) for record in cached]
            if all(entries is not None for entries in rebuilt):
                return [
                    (Document(str(path), None, decode_text(str(path), raw)), entries or [])
                    for path, raw, entries in zip(files, key[1], rebuilt, strict=True)
                ]
    found: list[FileEntries | InputError] = []
    for path in files:
        try:
            found.append(_file_entries(path, root))
        except InputError as err:
            found.append(err)
    if key is not None and not any(isinstance(item, InputError) for item in found):
        records = [_dump(item[1]) for item in found if not isinstance(item, InputError)]
        cache_put("folder", key[0], records, salt)
    return found


def _folder_key(root: Path, files: list[Path]) -> tuple[bytes, list[bytes]] | None:
    """The folder record's key (every file's name, kind and bytes) and the bytes read."""
    try:
        raws = [read_bytes(path, "playbook file") for path in files]
    except InputError:
        return None  # read file by file, so each problem is reported with its file
    key = b"\0".join(
        b"%s\0%s\0%d\0%s" % (str(path).encode(), _folder_kind(path, root).encode(), len(raw), raw)
        for path, raw in zip(files, raws, strict=True)
    )
    return key, raws


def _folder_kind(path: Path, root: Path) -> str:
    """The kind a file's folders imply, looking no higher than the root the user gave.

    The nearest folder named for a kind wins, from the file up to the root (whose own name
    counts), so a user's tree that happens to sit inside a folder called ``activities`` is
    read the same wherever it is.
    """
    folders = (
        [root.name, *path.relative_to(root).parts[:-1]] if root.is_dir() else [path.parent.name]
    )
    for name in reversed(folders):
        if name in FOLDER_KINDS:
            return FOLDER_KINDS[name]
    return "activity"


_FINGERPRINTS: dict[str, bytes] = {}


def _fingerprint(folder_kind: str) -> bytes:
    """16 bytes that change whenever the models (or pydantic) change, per folder kind."""
    if folder_kind not in _FINGERPRINTS:
        import hashlib

        import pydantic

        from syslead.library import models

        source = Path(models.__file__).read_bytes()
        seed = source + pydantic.VERSION.encode() + folder_kind.encode()
        _FINGERPRINTS[folder_kind] = hashlib.sha256(seed).digest()[:16]
    return _FINGERPRINTS[folder_kind]


REBUILD_LIMIT = 10
"""Files with more cached entries than this are validated again rather than rebuilt in Python."""


def _revalidate(model: type[M], data: Any) -> M:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ValueError(str(err)) from None


@dataclass(frozen=True)
class _FieldShape:
    """How a cached field is rebuilt: the model inside it, and whether it maps keys to models."""

    nested: type[BaseModel]
    mapping: bool


@dataclass(frozen=True)
class _ModelShape:
    """What rebuilding one model needs, worked out once per model rather than once per value."""

    names: frozenset[str]
    required: frozenset[str]
    nested: tuple[tuple[str, _FieldShape], ...]
    """Only the fields that hold models; every other field is taken as it was cached."""
    direct: bool
    """Whether an instance can be set up without ``model_construct`` (no post-init hook)."""


_SHAPES: dict[type[BaseModel], _ModelShape] = {}


def _shape(model: type[BaseModel]) -> _ModelShape:
    found = _SHAPES.get(model)
    if found is None:
        nested = []
        for name, info in model.model_fields.items():
            annotation = info.annotation
            inner = inner_model(annotation)
            if inner is not None:
                mapping = get_origin(annotation) is dict or any(
                    get_origin(arg) is dict for arg in get_args(annotation)
                )
                nested.append((name, _FieldShape(inner, mapping)))
        found = _ModelShape(
            names=frozenset(model.model_fields),
            required=frozenset(n for n, i in model.model_fields.items() if i.is_required()),
            nested=tuple(nested),
            direct=model.model_post_init is BaseModel.model_post_init,
        )
        _SHAPES[model] = found
    return found


_set = object.__setattr__


def _construct(model: type[M], data: Any) -> M:
    """A model rebuilt from fields it had once validated, without validating them again.

    The cached record must have the model's shape (a mapping with every required field, nested
    models as mappings or lists of them); anything else raises, and the file is validated afresh.
    A record with every field (what ``model_dump`` writes) is set on the instance directly, as
    ``model_construct`` would, without its per-field work; one that lacks optional fields goes
    through ``model_construct``, which fills in their defaults.
    """
    shape = _shape(model)
    if not isinstance(data, dict) or not data.keys() <= shape.names:
        raise TypeError(f"not a cached {model.__name__}")
    values = dict(data)
    for name, part in shape.nested:
        value = values.get(name)
        if value is not None:
            values[name] = _construct_value(part, value)
    if len(values) != len(shape.names) or not shape.direct:
        missing = shape.required - values.keys()
        if missing:
            raise KeyError(min(missing))
        return model.model_construct(**values)
    instance = model.__new__(model)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


def _construct_value(field: _FieldShape, value: Any) -> Any:
    """A cached field's value with its nested models rebuilt (lists, mappings, text-or-model)."""
    if isinstance(value, str):
        return value  # the text side of a ``Text | Model`` union
    if isinstance(value, list):
        return [_construct_value(field, item) for item in value]
    if field.mapping and isinstance(value, dict):
        return {key: _construct(field.nested, item) for key, item in value.items()}
    return _construct(field.nested, value)


def _load_layer(
    paths: Sequence[Path], builtin: bool, library: Library, problems: list[Problem]
) -> None:
    layer: dict[str, Origin] = {}
    for root in paths:
        try:
            files = playbook_files(root)
        except InputError as err:
            problems.extend(err.problems)
            continue
        for item in _folder_entries(root, files):
            library.files += 1
            if isinstance(item, InputError):
                problems.extend(item.problems)
                continue
            doc, entries = item
            for prefix, entry in entries:
                origin = Origin(doc, prefix, builtin)
                first = layer.get(entry.id)
                if first is not None:
                    problems.append(
                        origin.problem(
                            ("id",),
                            f"the id {entry.id!r} is already used in {first.where()}"
                            " (expected ids to be unique)",
                        )
                    )
                    continue
                layer[entry.id] = origin
                previous = library.entries.get(entry.id)
                if previous is not None and previous.kind != entry.kind:
                    problems.append(
                        origin.problem(
                            ("id",),
                            f"{entry.id!r} is a built-in {previous.kind}; an entry that replaces it "
                            f"must be a {previous.kind} too, not a {entry.kind}",
                        )
                    )
                    continue
                if previous is not None:
                    library.overridden.add(entry.id)
                library.entries[entry.id] = entry
                library.origins[entry.id] = origin


def _check_references(library: Library) -> list[Problem]:
    """Every id an entry names must exist and be of the right kind."""
    problems = []

    def expect(
        owner: str, loc: tuple[int | str, ...], ref: str, kind: type[Entry], what: str
    ) -> None:
        target = library.entries.get(ref)
        if isinstance(target, kind):
            return
        if target is None:
            import difflib  # only on the error path

            close = difflib.get_close_matches(
                ref, [k for k, v in library.entries.items() if isinstance(v, kind)], n=1
            )
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"no {what} has the id {ref!r} (expected the id of a loaded {what}{hint})"
        else:
            article = "an" if target.kind[0] in "aeiou" else "a"
            message = f"{ref!r} is {article} {target.kind}, expected a {what}"
        problems.append(library.origins[owner].problem(loc, message))

    for entry in library.entries.values():
        if isinstance(entry, Factor):
            for i, ref in enumerate(entry.activities):
                expect(entry.id, ("activities", i), ref, Activity, "activity")
            for i, ref in enumerate(entry.case_studies):
                expect(entry.id, ("case_studies", i), ref, CaseStudy, "case study")
        elif isinstance(entry, Activity):
            for i, ref in enumerate(entry.case_studies):
                expect(entry.id, ("case_studies", i), ref, CaseStudy, "case study")
    for factor_id in FACTOR_IDS:
        if not isinstance(library.entries.get(factor_id), Factor):
            problems.append(
                Problem(message=f"the library has no factor {factor_id!r} (all five are required)")
            )
    return problems


def load_library(paths: Sequence[Path] = (), *, builtins: bool = True) -> Library:
    """Load the built-in playbooks and then each user path, validating everything."""
    library = Library()
    problems: list[Problem] = []
    if builtins:
        _load_layer([builtin_root()], True, library, problems)
    _load_layer(paths, False, library, problems)
    if not problems:
        problems = _check_references(library)
    if problems:
        count = len(problems)
        raise InputError(
            problems, header=f"the playbooks have {count} problem{'s' * (count != 1)}:"
        )
    return library


def resolve_factor(value: str) -> str:
    """A factor id from an id or its number 1-5, or a SysleadError listing the valid ids."""
    text = value.strip()
    if text in FACTOR_IDS:
        return text
    if text.isdigit() and 1 <= int(text) <= len(FACTOR_IDS):
        return FACTOR_IDS[int(text) - 1]
    valid = ", ".join(f"{i} or {f}" for i, f in enumerate(FACTOR_IDS, 1))
    raise SysleadError(f"unknown factor {value!r} (expected one of: {valid})")
