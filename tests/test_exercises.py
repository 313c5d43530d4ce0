"""Every exercise of every chapter: the reference passes, the text's numbers agree with it,
its cases are plain data, its driver is self-contained, and plausible mistakes fail."""

from __future__ import annotations

import json

import numpy as np
import pytest
from variants import all_variants, build

from dlcourse.checking import studentside
from dlcourse.checking.drivers import driver_sources
from dlcourse.checking.exercise import MISSING, RANDOM, run_exercise
from dlcourse.exercises import chapter_exercises, chapters

EXERCISES = [ex for ch in chapters() for ex in chapter_exercises(ch).values()]
VARIANTS = all_variants()
VARIANT_CASES = [(ex, desc, src) for ex in EXERCISES for desc, src in VARIANTS.get(ex.id, [])]


def _ids(ex):
    return ex.id


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_reference_passes_every_case(exercise):
    report = run_exercise(exercise, exercise.reference, seed=12345, n_random=8)
    assert report.passed, report.text()


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_values_from_the_text_agree_with_the_reference(exercise):
    for case in exercise.cases():
        if case.expected is MISSING:
            continue
        record = studentside.call_student(exercise.driver, exercise.reference, case.args,
                                          case.kwargs)
        assert "value" in record, record
        compare = case.compare or exercise.compare
        verdict = compare(studentside.to_plain(case.expected), record["value"], case)
        assert verdict.passed, f"{exercise.id} {case.label!r}: {verdict.why}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_cases_are_plain_data_and_survive_the_trip_to_the_sandbox(exercise):
    for case in exercise.all_cases(seed=7):
        plain = studentside.to_plain((case.args, case.kwargs))
        back = studentside.decode(json.loads(json.dumps(studentside.encode(plain))))
        assert _equal(plain, back), f"{exercise.id} case {case.label!r} changed in transit"


def _equal(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b,
                                                                                 equal_nan=True)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_equal, a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and (a == b or (a != a and b != b))


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_driver_is_self_contained(exercise):
    sources = driver_sources(exercise.driver)
    assert not any("dlcourse" in s for s in sources), \
        "drivers run in the sandbox, where dlcourse is absent"
    driver = studentside.load_driver(sources, exercise.driver.__name__)
    case = exercise.all_cases(seed=3)[0]
    record = studentside.call_student(driver, exercise.reference, case.args, case.kwargs)
    assert "value" in record, record


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_random_cases_depend_on_the_seed(exercise):
    if exercise.random_case is None:
        pytest.skip("no random cases: the text's cases are all there is")
    first = [c.args for c in exercise.all_cases(seed=1) if c.group == RANDOM]
    again = [c.args for c in exercise.all_cases(seed=1) if c.group == RANDOM]
    other = [c.args for c in exercise.all_cases(seed=2) if c.group == RANDOM]
    assert _equal(first, again)
    assert not _equal(first, other)


@pytest.mark.parametrize("exercise", EXERCISES, ids=_ids)
def test_at_least_three_wrong_variants_are_tested(exercise):
    assert len(VARIANTS.get(exercise.id, [])) >= 3, (
        f"add plausible mistakes for {exercise.id} to tests/variants/ch{exercise.chapter}.py")


@pytest.mark.parametrize(("exercise", "description", "source"), VARIANT_CASES,
                         ids=[f"{e.id}: {d}" for e, d, _ in VARIANT_CASES])
def test_wrong_variant_fails_the_check(exercise, description, source):
    impls = build(source, exercise.functions)
    report = run_exercise(exercise, impls, seed=2024)
    assert not report.passed, f"{exercise.id} accepted a wrong variant: {description}"
    assert any(r.why for r in report.results if not r.passed)
