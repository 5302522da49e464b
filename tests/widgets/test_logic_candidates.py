"""Candidate lists: pasted text and CSV files, each candidate once, errors naming file and line."""

from __future__ import annotations

import pytest

from zenhire_nb.widgets.logic.candidates import parse_csv, parse_pasted


def test_pasted_list_splits_on_lines_commas_and_tabs_and_drops_repeats():
    found = parse_pasted("a-1\nb-2, c-3\t a-1 ;;\n\n")
    assert found.refs == ["a-1", "b-2", "c-3"]
    assert found.duplicates == ("a-1",)


def test_csv_reads_refs_tags_and_metadata_with_types():
    text = (
        "candidate_ref,tags,team,level,remote,zip\n"
        "x-1,wave-1;eu,data,2,true,00123\n"
        "x-2,,ops,1.5,false,\n"
    )
    found = parse_csv(text.encode())
    first, second = found.candidates
    assert (first.ref, first.tags) == ("x-1", ("wave-1", "eu"))
    assert first.metadata == {"team": "data", "level": 2, "remote": True, "zip": "00123"}
    assert second.metadata == {"team": "ops", "level": 1.5, "remote": False}


def test_csv_without_a_known_column_uses_the_first_one():
    assert parse_csv("email,team\na@x.org,data\n").refs == ["a@x.org"]


def test_csv_errors_name_the_file_and_the_line():
    with pytest.raises(
        ValueError, match=r"people\.csv line 3: the 'candidate_ref' column is empty"
    ):
        parse_csv("candidate_ref,team\nx-1,a\n,b\n", filename="people.csv")
    with pytest.raises(ValueError, match="people.csv is not UTF-8"):
        parse_csv(b"\xff\xfe\x00bad", filename="people.csv")
    with pytest.raises(ValueError, match="no header row"):
        parse_csv("", filename="people.csv")


def test_a_reference_the_platform_would_cut_is_refused():
    with pytest.raises(ValueError, match="longer than 256"):
        parse_pasted("x" * 300)
