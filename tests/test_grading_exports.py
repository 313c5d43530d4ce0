"""What is made from the grader's results: Gradescope's results.json, the Canvas and Moodle
gradebook CSVs (checked against the rules their importers apply) and the class report.

The class of ``graded_class.py`` is graded once per session by the real grader; hand-made
records cover what a small class does not show (several chapters, rosters, hidden cases).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from graded_class import graded_class

from dlcourse.grading import exports, report


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    return graded_class(tmp_path_factory.mktemp("class"))


def record(student, scores, chapter="01", **extra):
    exercises = {ex: {"score": s, "max": m, "status": "passed" if s == m else "failed",
                      "feedback": f"{ex} feedback", "failures": []}
                 for ex, (s, m) in scores.items()}
    return {"student": student, "chapter": chapter, "status": "graded", "message": "",
            "total": sum(s for s, _ in scores.values()),
            "max_total": sum(m for _, m in scores.values()), "exercises": exercises,
            "flags": [], "notes": [], "seconds": 1.2, **extra}


def klass(chapter, records, maxima):
    return {"meta": {"chapter": chapter,
                     "exercises": {ex: {"title": ex, "max": m} for ex, m in maxima.items()}},
            "students": {r["student"]: r for r in records}}


CH01 = klass("01", [record("ana", {"01.a": (1, 1), "01.b": (0.5, 2)}),
                    record("bo", {"01.a": (0, 1), "01.b": (2, 2)})], {"01.a": 1, "01.b": 2})
CH02 = klass("02", [record("ana", {"02.a": (3, 3)}, chapter="02"),
                    record("cy", {"02.a": (1.25, 3)}, chapter="02")], {"02.a": 3})


# ---------------------------------------------------------------- Gradescope

GRADESCOPE_TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
                  "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
                  "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
                   "output_format", "tags", "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "simple_format", "html", "md", "ansi"}


def check_gradescope_format(results: dict) -> None:
    """The keys, types and values of Gradescope's autograder specification (specs.md)."""
    assert set(results) <= GRADESCOPE_TOP, set(results) - GRADESCOPE_TOP
    assert isinstance(results["score"], float)
    for key in ("visibility", "stdout_visibility"):
        assert results.get(key, "visible") in VISIBILITY
    assert results.get("output_format", "text") in FORMATS
    for test in results.get("tests", []):
        assert set(test) <= GRADESCOPE_TEST, set(test) - GRADESCOPE_TEST
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert test["status"] in ("passed", "failed")
        assert test.get("visibility", "visible") in VISIBILITY
        assert test.get("output_format", "text") in FORMATS
    json.dumps(results)  # plain JSON


def test_gradescope_results_of_a_real_class(graded):
    _, grades = graded
    meta = grades["meta"]
    for student, rec in grades["students"].items():
        results = exports.gradescope_results(rec, meta)
        check_gradescope_format(results)
        assert results["score"] == rec["total"], student
        assert [t["number"] for t in results["tests"]] == list(meta["exercises"])
        for test, (ex_id, entry) in zip(results["tests"], rec["exercises"].items(), strict=True):
            assert test["score"] == entry["score"] and test["max_score"] == entry["max"]
            assert (test["status"] == "passed") == (entry["score"] == entry["max"])
            assert meta["exercises"][ex_id]["title"] in test["name"]
    cleo = exports.gradescope_results(grades["students"]["cleo"], meta)
    step = next(t for t in cleo["tests"] if t["number"] == "01.step")
    assert "step(0) must be 0" in step["output"], "a text case's diagnosis reaches the student"
    gus = exports.gradescope_results(grades["students"]["gus"], meta)
    assert "could not be graded" in gus["output"] and gus["score"] == 0.0


def test_gradescope_hides_the_values_of_hidden_cases():
    hidden = {"group": "random", "label": "random #2", "status": "failed", "hidden": True,
              "inputs": "z=[0.123456]", "expected": "[0.987654]", "got": "[1.5]",
              "why": "expected 0.987654", "hint": "secret diagnosis from expected values",
              "failing_property": "values", "general_hint": "compare with the formula"}
    text = {"group": "from the text", "label": "z = 0", "status": "failed", "hidden": False,
            "inputs": "z=[0.]", "expected": "[0.]", "got": "[1.]", "why": "differs",
            "hint": "step(0) must be 0"}
    rec = record("ana", {"01.a": (0.5, 1)})
    rec["exercises"]["01.a"]["failures"] = [hidden, text]
    out = exports.gradescope_results(rec)["tests"][0]["output"]
    for secret in ("0.123456", "0.987654", "1.5", "secret diagnosis"):
        assert secret not in out
    assert "hidden case: values" in out and "compare with the formula" in out
    assert "step(0) must be 0" in out and "z=[0.]" in out


def test_gradescope_failure_still_gives_a_result():
    results = exports.gradescope_failure("no notebook in the submission", 7.0)
    check_gradescope_format(results)
    assert results["score"] == 0.0 and results["tests"][0]["max_score"] == 7.0


# ---------------------------------------------------------------- Canvas


def canvas_import(text: str) -> dict:
    """Parse a CSV the way Canvas's GradebookImporter (canvas-lms) does, raising where it
    would reject the header: the student columns, the Points Possible row, the assignments."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1], "invalid header"
    columns = 3
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        columns = 4
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        columns = 5
    assert "Section" in header[columns - 1], "invalid header: the last student column"
    assignments = header[columns:]
    points, students = None, {}
    for row in rows[1:]:
        assert len(row) == len(header)
        if "Points Possible" in row[0]:
            points = dict(zip(assignments, row[columns:], strict=True))
            continue
        key = row[3] if columns == 5 else row[0]
        grades = dict(zip(assignments, row[columns:], strict=True))
        for value in grades.values():
            assert value == "" or re.fullmatch(r"-?[0-9.]+", value), value
        students[key] = {"name": row[0], "id": row[1], "section": row[columns - 1], **grades}
    return {"assignments": assignments, "points": points, "students": students}


def test_canvas_csv_has_the_columns_canvas_imports():
    parsed = canvas_import(exports.canvas_csv([CH01, CH02], titles={"02": "MLP"}))
    assert parsed["assignments"] == [exports.assignment_name("01"), "MLP"]
    assert parsed["points"] == {exports.assignment_name("01"): "3", "MLP": "3"}
    one = exports.assignment_name("01")
    assert parsed["students"]["ana"][one] == "1.5" and parsed["students"]["ana"]["MLP"] == "3"
    assert parsed["students"]["bo"]["MLP"] == "", "not graded: blank, so Canvas changes nothing"
    assert parsed["students"]["cy"]["MLP"] == "1.25"


def test_canvas_csv_takes_identities_from_canvas_own_export(tmp_path):
    export = tmp_path / "canvas-export.csv"
    export.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (1234)\n"
                      "    Points Possible,,,,,10\n"
                      "\"Lovelace, Ana\",501,S-01,ana,Sec A,9\n"
                      "\"Bo, Bo\",502,S-02,bo,Sec B,7\n", encoding="utf-8")
    roster = exports.read_roster(export, "SIS Login ID")
    assert set(roster) == {"ana", "bo"}
    parsed = canvas_import(exports.canvas_csv([CH01], roster))
    ana = parsed["students"]["ana"]
    assert (ana["name"], ana["id"], ana["section"]) == ("Lovelace, Ana", "501", "Sec A")
    with pytest.raises(ValueError, match="no column 'login'"):
        exports.read_roster(export, "login")


def test_canvas_csv_of_a_real_class(graded):
    _, grades = graded
    parsed = canvas_import(exports.canvas_csv([grades]))
    column = exports.assignment_name("01")
    assert parsed["points"] == {column: "7"}
    assert {s: float(v[column]) for s, v in parsed["students"].items()} == \
        {s: r["total"] for s, r in grades["students"].items()}


def test_one_chapter_twice_is_refused():
    with pytest.raises(ValueError, match="appears twice"):
        exports.canvas_csv([CH01, CH01])


# ---------------------------------------------------------------- Moodle


def moodle_import(text: str, mapfrom: str) -> dict:
    """Parse a CSV as Moodle's gradeimport_csv does once the user column is mapped: every row
    names a user, every grade is a number or '-' / '' (no grade)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    grades = {}
    for row in rows:
        user = row.pop(mapfrom)
        assert user, "Moodle aborts the import on a row without its user"
        for column in ("Email address", "ID number", "Username"):
            row.pop(column, None)
        for value in row.values():
            assert value in ("-", "") or re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value), value
            assert value in ("-", "") or float(value) <= 100, "Moodle's default grade maximum"
        grades[user] = row
    return grades


def test_moodle_csv_has_one_user_column_and_a_grade_column_per_chapter(tmp_path):
    text = exports.moodle_csv([CH01, CH02])
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["Username", "Email address", "ID number",
                      exports.assignment_name("01"), exports.assignment_name("02")]
    grades = moodle_import(text, "Username")
    assert grades["bo"][exports.assignment_name("02")] == "-"
    assert grades["cy"][exports.assignment_name("02")] == "1.25"
    users = tmp_path / "moodle-users.csv"
    users.write_text("username,email,idnumber\nana,ana@uni.example,1001\n", encoding="utf-8")
    roster = exports.read_roster(users, "username")
    by_email = moodle_import(exports.moodle_csv([CH01], roster), "Email address")
    assert list(by_email) == ["ana@uni.example"], "bo is not in the roster: Moodle would abort"
    assert exports.missing_from_roster([CH01], roster) == ["bo"]


def test_exports_command_line(tmp_path, capsys):
    folders = []
    for grades in (CH01, CH02):
        folder = tmp_path / grades["meta"]["chapter"]
        folder.mkdir()
        (folder / "grades.json").write_text(json.dumps(grades), encoding="utf-8")
        folders.append(str(folder))
    roster = tmp_path / "users.csv"
    roster.write_text("username,email\nana,ana@uni.example\n", encoding="utf-8")
    out = tmp_path / "moodle.csv"
    assert exports.main(["moodle", *folders, "--out", str(out), "--roster", str(roster)]) == 0
    assert "not in the roster (left out): bo, cy" in capsys.readouterr().out
    assert list(moodle_import(out.read_text(encoding="utf-8"), "Username")) == ["ana"]
    assert exports.main(["canvas", *folders, "--out", str(tmp_path / "c.csv")]) == 0
    canvas_import((tmp_path / "c.csv").read_text(encoding="utf-8"))
    assert exports.main(["canvas", str(tmp_path / "nowhere"), "--out", str(out)]) == 2


# ---------------------------------------------------------------- the report


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.links, self.external, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        for key in ("src", "href"):
            if re.match(r"(https?:)?//", attrs.get(key) or ""):
                self.external.append(attrs[key])

    def handle_data(self, data):
        self.text.append(data)


def test_report_of_a_real_class(graded):
    out, grades = graded
    path = report.write_report(out)
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    text = " ".join(" ".join(page.text).split())
    assert not page.external, "the report loads nothing from the network"
    assert len(page.images) == 2
    assert all(img["src"].startswith("data:image/png;base64,") for img in page.images)
    assert sorted(page.links) == sorted(f"feedback/{s}.md" for s in grades["students"])
    assert all((out / link).is_file() for link in page.links)
    # cleo and dev made the same mistake; the check's diagnosis names it, counted twice
    summary = {s["id"]: s for s in report.exercise_summaries(grades)}
    step = summary["01.step"]["mistakes"][0]
    assert step["key"].startswith("step(0) must be 0") and step["count"] == 2
    assert dict(step["example"])["got"].startswith("float64 array")
    assert "step(0) must be 0" in text
    assert summary["01.sign"]["failed"] == 2 and summary["01.step"]["passed"] == 3
    cards = {c["label"]: c["count"] for c in report.glance(list(grades["students"].values()))}
    assert cards["with a timeout"] == 1 and cards["with a crash"] == 1
    assert cards["could not be graded"] == 1 and cards["graded"] == 6


def test_mistakes_are_grouped_by_hint_then_by_what_the_code_did():
    assert report.mistake_key({"status": "failed", "hint": "the bias is missing"}) == \
        "the bias is missing"
    assert report.mistake_key({"status": "error", "why": "ValueError: shapes\nline 3"}) == \
        "error: ValueError"
    assert report.mistake_key({"status": "timeout", "why": "did not finish"}) == "timeout"
    assert report.mistake_key({"status": "failed", "label": "random #3",
                               "failing_property": "shape"}) == "wrong shape on case 'random #3'"


def test_report_escapes_what_students_wrote():
    rec = record("<script>alert(1)</script>", {"01.a": (0, 1)})
    rec["exercises"]["01.a"]["failures"] = [{"status": "failed", "hint": "<b>bold</b>",
                                             "got": "<img src=x>"}]
    html = report.class_report(klass("01", [rec], {"01.a": 1}))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and "<img src=x>" not in html


def test_report_command_line(graded, capsys):
    out, _ = graded
    assert report.main([str(out)]) == 0
    assert "report.html" in capsys.readouterr().out
    assert report.main([str(Path(out) / "nowhere")]) == 2
