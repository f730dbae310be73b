"""Every kind of bad playbook input gives located messages; good input loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from syslead.errors import InputError
from syslead.library import yamlio
from syslead.library.loader import load_library, user_paths
from syslead.library.models import Activity, CaseStudy, Factor

from .conftest import WriteTree, activity_yaml


def problems_for(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_library([root])
    return [str(p) for p in caught.value.problems]


def test_builtins_load() -> None:
    library = load_library()
    # one entry a file, counted on disk: every activity, factor and case study is there
    playbooks = Path(__file__).resolve().parents[1] / "playbooks"
    kinds: list[tuple[type[Activity | Factor | CaseStudy], str]] = [
        (Activity, "activities"),
        (Factor, "factors"),
        (CaseStudy, "case-studies"),
    ]
    for kind, folder in kinds:
        on_disk = sorted(path.stem for path in (playbooks / folder).glob("*.yaml"))
        assert on_disk, folder
        assert sorted(entry.id for entry in library.of_kind(kind)) == on_disk, folder
    assert not library.overridden


def test_a_user_activity_loads(write_tree: WriteTree) -> None:
    root = write_tree({"activities/mine.yaml": activity_yaml(id="my-exercise")})
    library = load_library([root])
    assert isinstance(library.get("my-exercise"), Activity)
    assert not library.is_builtin("my-exercise")


def test_yaml_syntax_error_names_file_and_line(write_tree: WriteTree) -> None:
    root = write_tree({"activities/bad.yaml": "id: x\ntitle: [unclosed\nsummary: y\n"})
    (message,) = problems_for(root)
    assert message.startswith(f"{root / 'activities/bad.yaml'}:3:")
    assert "YAML syntax error" in message


def test_wrong_type_names_field_and_line(write_tree: WriteTree) -> None:
    text = activity_yaml().replace("{min: 4, max: 20}", "{min: four, max: 20}")
    root = write_tree({"activities/a.yaml": text})
    (message,) = problems_for(root)
    line = text.lstrip("\n").splitlines().index("group_size: {min: four, max: 20}") + 1
    assert f"a.yaml:{line}:19:" in message
    assert "group_size.min" in message
    assert "integer" in message


def test_unknown_field_lists_expected_fields(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml() + "colour: blue\n"})
    (message,) = problems_for(root)
    assert ": colour: unknown field (expected one of: " in message
    assert "facilitator_notes" in message
    assert "a.yaml:19:1:" in message  # the key's own line and column (18 lines precede it)


def test_missing_field(write_tree: WriteTree) -> None:
    text = "\n".join(
        line for line in activity_yaml().splitlines() if not line.startswith("source:")
    )
    root = write_tree({"activities/a.yaml": text})
    (message,) = problems_for(root)
    assert message.endswith("source: required field is missing")
    assert "a.yaml:1:1" in message


def test_all_problems_of_a_file_are_gathered(write_tree: WriteTree) -> None:
    text = (
        activity_yaml()
        .replace("arc: explore", "arc: sideways")
        .replace("energy: medium", "energy: 11")
    )
    root = write_tree({"activities/a.yaml": text})
    messages = problems_for(root)
    assert len(messages) == 2
    assert any(": arc: " in m for m in messages)
    assert any(": energy: " in m for m in messages)


def test_duplicate_ids_across_files(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml(), "activities/b.yaml": activity_yaml()})
    (message,) = problems_for(root)
    assert "b.yaml:1:5: id: the id 'test-activity' is already used in" in message
    assert "a.yaml:1" in message


def test_duplicate_keys_in_a_mapping(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml() + "title: Again\n"})
    (message,) = problems_for(root)
    assert "title: the key appears twice (first on line 2)" in message


def test_dangling_reference(write_tree: WriteTree) -> None:
    text = activity_yaml() + "case_studies: [atlantis]\n"
    root = write_tree({"activities/a.yaml": text})
    (message,) = problems_for(root)
    assert "case_studies[0]: no case study has the id 'atlantis'" in message
    assert "a.yaml:19:16:" in message


def test_reference_to_wrong_kind(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml() + "case_studies: [naming-power]\n"})
    (message,) = problems_for(root)
    assert (
        "'naming-power' is a activity, expected a case study" in message
        or "is an activity" in message
    )


def test_unknown_factor(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml().replace("[conflict]", "[kindness]")})
    (message,) = problems_for(root)
    assert "factors[0]: unknown factor 'kindness' (expected one of: shared-purpose" in message


def test_non_utf8_file(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": b"id: x\ntitle: caf\xe9\n"})
    (message,) = problems_for(root)
    assert "a.yaml:2: the file is not UTF-8 text" in message


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_empty_file(write_tree: WriteTree, content: str) -> None:
    root = write_tree({"activities/a.yaml": content})
    (message,) = problems_for(root)
    assert "a.yaml:1: the file is empty" in message


def test_oversized_file(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_BYTES", 100)
    root = write_tree({"activities/a.yaml": activity_yaml()})
    with pytest.raises(InputError) as caught:
        yamlio.load_yaml(root / "activities/a.yaml", "playbook file")
    assert "over the 100-byte limit" in str(caught.value)


def test_unreadable_file(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml()})
    (root / "activities/b.yaml").symlink_to(root / "missing.yaml")
    (message,) = problems_for(root)
    assert message == f"{root / 'activities/b.yaml'}: no such playbook file"


def test_missing_folder(tmp_path: Path) -> None:
    (message,) = problems_for(tmp_path / "nowhere")
    assert "nowhere: no such file or folder" in message


def test_python_tags_are_refused_and_never_run(write_tree: WriteTree, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    root = write_tree(
        {
            "activities/a.yaml": text,
            "activities/b.yaml": activity_yaml()
            + f"x: !!python/object/apply:os.system ['touch {marker}']\n",
        }
    )
    messages = problems_for(root)
    assert len(messages) == 2
    assert all("the YAML tag !!python/object/apply:os.system is not allowed" in m for m in messages)
    assert not marker.exists()


def test_top_level_must_be_a_mapping_or_list(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": "just some text\n"})
    (message,) = problems_for(root)
    assert "expected a mapping (one entry) or a list of entries" in message


def test_a_list_file_locates_errors_inside_items(write_tree: WriteTree) -> None:
    one = activity_yaml(id="first-one")
    two = activity_yaml(id="second-one").replace("energy: medium", "energy: wild")
    text = (
        "- " + one.strip().replace("\n", "\n  ") + "\n- " + two.strip().replace("\n", "\n  ") + "\n"
    )
    root = write_tree({"activities/many.yaml": text})
    (message,) = problems_for(root)
    assert "many.yaml:25:11:" in message  # the second item starts on line 19
    assert "energy: input should be 'low', 'medium' or 'high'" in message


def test_duration_order_and_steps_fit(write_tree: WriteTree) -> None:
    text = activity_yaml().replace(
        "{min: 20, default: 30, max: 40}", "{min: 20, default: 50, max: 40}"
    )
    messages = problems_for(write_tree({"activities/a.yaml": text}))
    assert any("duration: expected min <= default <= max, got 20, 50, 40" in m for m in messages)
    text = activity_yaml().replace("minutes: 20\n", "minutes: 90\n")
    (message,) = problems_for(write_tree({"activities/a.yaml": text}))
    assert (
        "a.yaml:13:3: steps: the steps add up to 100 minutes, outside the duration range 20-40"
        in message
    )


def test_ids_are_kebab_case(write_tree: WriteTree) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml(id="Bad_Id")})
    (message,) = problems_for(root)
    assert "id: 'Bad_Id' is not a kebab-case id" in message


def test_kind_from_field_beats_folder(write_tree: WriteTree) -> None:
    root = write_tree({"misc/a.yaml": "kind: gadget\nid: x\n"})
    (message,) = problems_for(root)
    assert "kind: unknown kind (expected one of: factor, activity" in message


def test_user_entry_replaces_builtin(write_tree: WriteTree) -> None:
    root = write_tree(
        {"activities/naming-power.yaml": activity_yaml(id="naming-power", title="Our own version")}
    )
    library = load_library([root])
    assert library.get("naming-power").title == "Our own version"
    assert "naming-power" in library.overridden
    assert not library.is_builtin("naming-power")


def test_replacement_must_keep_the_kind(write_tree: WriteTree) -> None:
    root = write_tree({"activities/conflict.yaml": activity_yaml(id="conflict")})
    (message,) = problems_for(root)
    assert (
        "'conflict' is a built-in factor; an entry that replaces it must be a factor too" in message
    )


def test_user_paths_from_option_and_environment(tmp_path: Path) -> None:
    env = {"SYSLEAD_PLAYBOOKS": f"{tmp_path / 'a'}:{tmp_path / 'b'}:"}
    assert user_paths([tmp_path / "x"], env) == [tmp_path / "x", tmp_path / "a", tmp_path / "b"]


def test_cache_is_keyed_by_content(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    root = write_tree({"activities/a.yaml": activity_yaml(id="cached-one", title="First title")})
    assert load_library([root]).get("cached-one").title == "First title"
    assert list((tmp_path / "cache").glob("*.marshal"))
    (root / "activities/a.yaml").write_text(
        activity_yaml(id="cached-one", title="Edited title"), encoding="utf-8"
    )
    assert load_library([root]).get("cached-one").title == "Edited title"


def test_a_corrupt_cache_entry_is_ignored(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    root = write_tree({"activities/a.yaml": activity_yaml(id="cached-two")})
    load_library([root])
    for entry in (tmp_path / "cache").glob("*.marshal"):
        entry.write_bytes(b"\x00garbage")
    assert load_library([root]).get("cached-two").title == "A test activity"


def test_cached_file_still_gets_line_numbers(
    write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A file that parsed cleanly (and was cached) can still be the site of a cross-file error."""
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    first = write_tree({"activities/a.yaml": activity_yaml() + "case_studies: [atlantis]\n"})
    problems_for(first)  # parses and caches a.yaml
    (message,) = problems_for(first)  # now from the cache
    assert "a.yaml:19:16: case_studies[0]: no case study has the id 'atlantis'" in message


def test_no_cache(write_tree: WriteTree, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SYSLEAD_NO_CACHE", "1")
    load_library([write_tree({"activities/a.yaml": activity_yaml(id="uncached")})])
    assert not (tmp_path / "cache").exists()


def test_entries_from_the_cache_equal_validated_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    fresh = load_library()  # validates every file and caches the entries
    assert list((tmp_path / "cache").glob("*.entries.marshal"))
    cached = load_library()  # rebuilds them from the cache without validating
    assert cached.entries == fresh.entries
    activity = cached.activity("naming-power")
    assert activity.duration.min <= activity.step_minutes <= activity.duration.max
    assert cached.factor("conflict").number == 3
    monkeypatch.setenv("SYSLEAD_NO_CACHE", "1")
    assert load_library().entries == fresh.entries


def test_a_corrupt_entries_cache_is_validated_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_tree: WriteTree
) -> None:
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    root = write_tree({"activities/a.yaml": activity_yaml(id="kept-whole")})
    load_library([root])
    import marshal

    for entry in (tmp_path / "cache").glob("*.entries.marshal"):
        entry.write_bytes(
            marshal.dumps([[[], "activity", {"id": "kept-whole", "duration": "not a mapping"}]])
        )
    assert load_library([root]).activity("kept-whole").duration.default == 30


def test_the_same_bytes_in_another_folder_are_another_kind(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_tree: WriteTree
) -> None:
    """The entries cache must not serve an activity for a file whose folder now says 'factors'."""
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    text = activity_yaml(id="moved-about")
    assert isinstance(
        load_library([write_tree({"activities/x.yaml": text})]).get("moved-about"), Activity
    )
    (message, *_) = problems_for(write_tree({"factors/x.yaml": text}))
    assert "factors/x.yaml" in message


def test_a_large_file_from_the_cache_equals_a_fresh_load(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_tree: WriteTree
) -> None:
    """Files with many entries are validated again from the cache rather than rebuilt in Python."""
    from syslead.library.loader import REBUILD_LIMIT

    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    items = [
        activity_yaml(id=f"bulk-{n}").strip().replace("\n", "\n  ")
        for n in range(REBUILD_LIMIT + 2)
    ]
    root = write_tree({"activities/bulk.yaml": "".join(f"- {item}\n" for item in items)})
    fresh = load_library([root])
    cached = load_library([root])
    assert cached.entries == fresh.entries
    assert len([e for e in cached.entries if e.startswith("bulk-")]) == REBUILD_LIMIT + 2


def test_folders_above_the_given_root_do_not_set_the_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "case-studies" / "mine"
    mine.mkdir(parents=True)
    (mine / "exercise.yaml").write_text(
        activity_yaml(id="kind-from-below").lstrip(), encoding="utf-8"
    )
    assert isinstance(load_library([mine]).get("kind-from-below"), Activity)
    monkeypatch.chdir(tmp_path / "case-studies")
    assert isinstance(load_library([Path("mine")]).get("kind-from-below"), Activity)


def _folder_records(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.folder.marshal"))


def test_a_folder_is_cached_as_one_record_that_any_change_replaces(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_tree: WriteTree
) -> None:
    """A warm run reads one record per folder; editing, adding or removing a file is seen."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(cache))
    root = write_tree(
        {
            "activities/a.yaml": activity_yaml(id="first-one", title="First title"),
            "activities/b.yaml": activity_yaml(id="second-one"),
        }
    )
    load_library()
    builtin = set(_folder_records(cache))
    load_library([root])
    (record,) = set(_folder_records(cache)) - builtin
    # Served from the folder record alone: the files' own entries are not needed.
    for entry in cache.glob("*.entries.marshal"):
        entry.unlink()
    warm = load_library([root])
    assert warm.get("first-one").title == "First title"
    assert not list(cache.glob("*.entries.marshal"))

    (root / "activities/a.yaml").write_text(
        activity_yaml(id="first-one", title="Edited title"), encoding="utf-8"
    )
    assert load_library([root]).get("first-one").title == "Edited title"
    (root / "activities/c.yaml").write_text(activity_yaml(id="third-one"), encoding="utf-8")
    assert "third-one" in load_library([root]).entries
    (root / "activities/b.yaml").unlink()
    assert "second-one" not in load_library([root]).entries
    assert record in _folder_records(cache)  # kept, but its key no longer matches the folder


def test_a_folder_record_that_does_not_fit_is_read_file_by_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_tree: WriteTree
) -> None:
    import marshal

    cache = tmp_path / "cache"
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(cache))
    root = write_tree(
        {
            "activities/a.yaml": activity_yaml(id="fits-one"),
            "activities/b.yaml": activity_yaml(id="fits-two"),
        }
    )
    load_library([root])
    for broken in ([], [[]], [[[[], "activity", {"id": "fits-one"}]], []]):
        for record in _folder_records(cache):
            record.write_bytes(marshal.dumps(broken))
        library = load_library([root])
        assert library.activity("fits-one").duration.default == 30
        assert library.activity("fits-two").title == "A test activity"


def test_a_folder_with_a_bad_file_is_not_cached_and_still_reports_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_tree: WriteTree
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(cache))
    root = write_tree(
        {"activities/a.yaml": activity_yaml(id="good-one"), "activities/b.yaml": "id: [unclosed\n"}
    )
    load_library()
    builtin = set(_folder_records(cache))
    for _ in range(2):
        (message,) = problems_for(root)
        assert "b.yaml:" in message
    assert set(_folder_records(cache)) == builtin


def test_cached_entries_are_set_up_as_validation_leaves_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Rebuilt entries have the same fields, the same fields marked as set, and the same types."""
    monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SYSLEAD_NO_CACHE", "1")
    fresh = load_library()
    monkeypatch.delenv("SYSLEAD_NO_CACHE")
    load_library()
    cached = load_library()
    assert list(cached.entries) == list(fresh.entries)
    for entry_id, entry in cached.entries.items():
        original = fresh.entries[entry_id]
        assert type(entry) is type(original)
        assert entry.model_dump() == original.model_dump()
        assert entry.model_fields_set == set(type(entry).model_fields)
        assert entry.model_extra is None
    naming = cached.activity("naming-power")
    assert all(type(step).__name__ == "Step" for step in naming.steps)
    assert hash(naming.duration) == hash(fresh.activity("naming-power").duration)


def test_the_cache_folder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_tree: WriteTree
) -> None:
    root = write_tree({"activities/a.yaml": activity_yaml(id="where-cached")})
    for name in ("one", "two"):
        monkeypatch.setenv("SYSLEAD_CACHE_DIR", str(tmp_path / name))
        load_library([root])
        assert list((tmp_path / name).glob("*.marshal"))
