"""Spanish twins: the same ids and myth tags as the English, Spanish stigmatizing terms, a Spanish reading level.

The course is a copy of the second test course (tests/fixtures/packs/rest-course) given Spanish
twins written here in short plain sentences.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from course.content import Library, check_course, load_course
from course.content.spanish import spanish_level, stigmatizing_terms
from course.content.translations import read_translation
from course.content.writer import lesson_text, read_lesson, yaml_text

from .support import SMALL_COURSE
from .test_several_courses import REST

MYTH = "Es un mito común. Una siesta no reemplaza la noche."
PLAIN = "Dormir bien es bueno para el cuerpo. El sueño ayuda a la mente. Una siesta corta ayuda un poco."


def spanish_twins(root) -> None:
    """Write a Spanish twin of every file of the course at `root`, and offer Spanish in course.yaml."""
    course = yaml.safe_load((root / "course.yaml").read_text())
    (root / "course.yaml").write_text(yaml_text(course | {"languages": ["en", "es"]}))
    (root / "course.es.yaml").write_text(yaml_text({"title": "Descanso para quienes cuidan", "summary": PLAIN}))
    myths = yaml.safe_load((root / "misconceptions.yaml").read_text())
    spanish_myths = [{"id": m["id"], "myth": "Una siesta reemplaza una noche de sueño.", "fact": PLAIN} for m in myths]
    (root / "misconceptions.es.yaml").write_text(yaml_text(spanish_myths))
    module = root / "01-rest"
    (module / "module.es.yaml").write_text(
        yaml_text({"id": "rest-module", "title": "Descanso", "summary": PLAIN, "objectives": ["Explicar el sueño."]})
    )
    for path in sorted((module / "lessons").glob("*.md")):
        header, _ = read_lesson(path.read_text())
        twin = {"id": header["id"], "title": "Por qué dormimos", "main_message": PLAIN, "reviewed": False}
        body = f"## El sueño\n\n{PLAIN}\n\n## Resumen\n\n{PLAIN}\n"
        path.with_name(f"{path.stem}.es.md").write_text(lesson_text(twin, body))
    quiz = yaml.safe_load((module / "quiz.yaml").read_text())["questions"]
    twins = [
        {
            "id": q["id"],
            "prompt": "¿Qué hace una siesta corta?",
            "choices": [
                {"id": c["id"], "text": "Ayuda un poco.", "feedback": "Bien. Una siesta ayuda un poco."}
                | ({"misconception": c["misconception"], "feedback": MYTH} if c.get("misconception") else {})
                for c in q["choices"]
            ],
            "explanation": PLAIN,
        }
        for q in quiz
    ]
    (module / "quiz.es.yaml").write_text(yaml_text({"questions": twins}))


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "rest"
    shutil.copytree(REST, root)
    spanish_twins(root)
    return root


def errors(root) -> list[str]:
    return [str(p) for p in check_course(root).errors]


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_course_with_every_twin_passes_and_reads_in_spanish(tree):
    assert errors(tree) == []
    course = load_course(tree)
    assert course.languages == ("en", "es")
    assert [lesson.id for lesson in course.module("rest-module").lessons] == ["rc-why-sleep", "rc-better-sleep"]
    spanish, problems = read_translation(tree, course, "es")
    assert problems == []
    lesson = spanish.modules["rest-module"].lessons["rc-why-sleep"]
    assert lesson.title == "Por qué dormimos" and not lesson.reviewed
    assert "<h2>El sueño</h2>" in lesson.html
    assert spanish.modules["rest-module"].questions["rc-nap"].choices[1].misconception == "rc-naps-replace-sleep"


def test_a_missing_lesson_twin_is_named(tree):
    (tree / "01-rest/lessons/02-better-sleep.es.md").unlink()
    assert errors(tree) == [
        '01-rest/lessons/02-better-sleep.es.md: missing: the Spanish twin of lesson "rc-better-sleep"'
    ]


def test_a_twin_with_another_id_is_refused(tree):
    edit(tree / "01-rest/lessons/01-why-sleep.es.md", "id: rc-why-sleep", "id: por-que-dormimos")
    assert errors(tree) == ['01-rest/lessons/01-why-sleep.es.md: id: must be "rc-why-sleep", the English lesson\'s id']


def test_questions_must_have_twins_with_the_same_choice_ids_and_myth_tags(tree):
    path = tree / "01-rest/quiz.es.yaml"
    quiz = yaml.safe_load(path.read_text())
    quiz["questions"][0]["choices"][1].pop("misconception")  # the myth tag left out
    quiz["questions"][1]["choices"][2]["id"] = "d"  # a choice renamed
    quiz["questions"][2]["id"] = "rc-otra"  # a question renamed: the English one has no twin
    path.write_text(yaml_text(quiz))
    found = errors(tree)
    tag = "01-rest/quiz.es.yaml: questions[0].choices[1].misconception: myth tag must be the English one: "
    assert tag + '"rc-naps-replace-sleep"' in found
    assert "01-rest/quiz.es.yaml: questions[1].choices: choice ids must be the English ones, in order: a, b, c" in found
    assert '01-rest/quiz.es.yaml: questions: missing: the twin of question "rc-room"' in found
    assert '01-rest/quiz.es.yaml: questions[2].id: "rc-otra" is not a question of the English quiz' in found


def test_a_myth_without_its_twin_is_named(tree):
    (tree / "misconceptions.es.yaml").write_text("[]\n")
    assert errors(tree) == ['misconceptions.es.yaml: missing: the twin of myth "rc-naps-replace-sleep"']


def test_stigmatizing_spanish_terms_are_refused_and_supplies_may_be_clean(tree):
    lesson = tree / "01-rest/lessons/01-why-sleep.es.md"
    edit(lesson, "## Resumen", "Un adicto no es una persona. Su prueba salió sucia. Use agujas limpias.\n\n## Resumen")
    found = errors(tree)
    assert len(found) == 2
    assert found[0].startswith('01-rest/lessons/01-why-sleep.es.md: body: término estigmatizante "adicto"')
    assert 'término estigmatizante "sucio"' in found[1]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Es drogadicto.", ["drogadicto"]),
        ("Un toxicómano.", ["toxicómano"]),
        ("El abuso de sustancias.", ["abuso de sustancias"]),
        ("Está limpio desde enero.", ["limpio"]),
        ("Lave la cuchara y use agua limpia.", []),
        ("El Instituto Nacional sobre el Abuso de Drogas.", []),
        ("La palabra «adicto» hiere.", ["adicto"]),  # quoted, but not listed in quoted_terms
    ],
)
def test_spanish_terms(text, found):
    assert [m.split('"')[1] for m in stigmatizing_terms(text)] == found


def test_a_word_taught_on_purpose_may_be_quoted_when_listed():
    assert stigmatizing_terms("La palabra «adicto» hiere.", quoted_terms=["adicto"]) == []


def test_hard_spanish_is_refused_by_its_fernandez_huerta_index(tree):
    hard = (
        "La farmacocinética de los agonistas opioides sintéticos determina consecuentemente "
        "la probabilidad de depresión respiratoria potencialmente irreversible en organismos "
        "previamente deshabituados, particularmente tras períodos prolongados de abstinencia."
    )
    edit(tree / "01-rest/lessons/02-better-sleep.es.md", "## Resumen", f"{hard}\n\n## Resumen")
    found = errors(tree)
    assert len(found) == 1 and "Fernández-Huerta" in found[0] and "is below 70.0" in found[0]


def test_the_spanish_measure_is_textstats_offline_one():
    """Pinned: textstat 0.7.8 with Pyphen's bundled Spanish dictionary (no download), as the check runs it."""
    level = spanish_level(f"## Título\n\n{PLAIN}")
    assert (level.fernandez_huerta, level.szigriszt_pazos, level.words) == (108.8, 105.4, 19)


def test_languages_start_with_english_and_must_be_known(tree):
    edit(tree / "course.yaml", "- en\n- es", "- es\n- en")
    assert "course.yaml: languages: English comes first: the other languages are twins of it" in errors(tree)
    edit(tree / "course.yaml", "- es\n- en", "- en\n- fr")
    assert 'course.yaml: languages: "fr" is not a language the engine knows' in errors(tree)


def test_twins_are_not_read_as_lessons_of_their_own_and_not_checked_unless_offered(tree):
    edit(tree / "course.yaml", "- en\n- es", "- en")
    (tree / "01-rest/lessons/01-why-sleep.es.md").unlink()  # incomplete: not offered, so not checked
    assert errors(tree) == []
    assert len(load_course(tree).module("rest-module").lessons) == 2


def test_the_course_in_spanish_has_the_same_ids_keys_and_versions_with_the_twins_text(tree):
    course = load_course(tree)
    spanish = course.translated["es"]
    english_module, module = course.module("rest-module"), spanish.module("rest-module")
    assert spanish.title == "Descanso para quienes cuidan"
    assert module.title == "Descanso" and module.version == english_module.version
    assert [lesson.id for lesson in module.lessons] == [lesson.id for lesson in english_module.lessons]
    lesson = module.lesson("rc-why-sleep")
    assert (lesson.title, lesson.language, lesson.awaits_review) == ("Por qué dormimos", "es", True)
    assert course.module("rest-module").lesson("rc-why-sleep").language == "en"
    question, english = spanish.question("rc-nap"), course.question("rc-nap")
    assert question.prompt == "¿Qué hace una siesta corta?"
    assert question.correct_ids == english.correct_ids and question.choices[1].misconception == "rc-naps-replace-sleep"
    assert spanish.misconception("rc-naps-replace-sleep").myth == "Una siesta reemplaza una noche de sueño."


def test_a_reviewed_twin_no_longer_awaits_review_and_a_missing_one_stays_english(tree):
    edit(tree / "01-rest/lessons/01-why-sleep.es.md", "reviewed: false", "reviewed: true")
    (tree / "01-rest/lessons/02-better-sleep.es.md").unlink()
    module = load_course(tree).translated["es"].module("rest-module")
    assert module.lesson("rc-why-sleep").awaits_review is False
    english = load_course(tree).module("rest-module").lesson("rc-better-sleep")
    assert module.lesson("rc-better-sleep").title == english.title
    assert module.lesson("rc-better-sleep").language == "en"


def test_a_library_in_spanish_keeps_a_course_without_spanish_in_english(tree):
    english_only = load_course(SMALL_COURSE)
    library = Library.of((english_only, load_course(tree)))
    spanish = library.in_language("es")
    assert spanish.module("rest-module").title == "Descanso"
    assert spanish.course("rest-course").title == "Descanso para quienes cuidan"
    assert spanish.default.title == english_only.title
    assert [m.id for m in spanish.modules] == [m.id for m in library.modules]
    assert library.in_language("fr") is library


def test_a_spanish_quiz_must_name_its_myths_and_not_give_its_keys_away_by_length(tree):
    path = tree / "01-rest/quiz.es.yaml"
    quiz = yaml.safe_load(path.read_text())
    english = yaml.safe_load((tree / "01-rest/quiz.yaml").read_text())["questions"]
    for twin, question in zip(quiz["questions"], english, strict=True):
        for choice, original in zip(twin["choices"], question["choices"], strict=True):
            if original.get("correct"):  # every key now the longest choice by far
                choice["text"] = "Ayuda un poco, y además es la respuesta que da más detalles de todas."
    quiz["questions"][0]["choices"][1]["feedback"] = "No. Una siesta no reemplaza la noche."
    path.write_text(yaml_text(quiz))
    found = errors(tree)
    longest = '01-rest/quiz.es.yaml: questions: test-wise strategy "longest" scores 1.00, above'
    assert any(problem.startswith(longest) for problem in found), found
    assert (
        '01-rest/quiz.es.yaml: "rc-nap": the feedback on a choice tagged "rc-naps-replace-sleep" must say "mito"'
        in found
    )


def test_the_check_prints_each_spanish_lessons_level_and_review(tree):
    from course.content.cli import format_report

    text = format_report(check_course(tree))
    assert "Spanish lessons: Fernández-Huerta at least 70" in text
    row = next(line for line in text.splitlines() if "rc-why-sleep" in line and line.endswith(("no", "yes")))
    assert row.split()[-1] == "no" and float(row.split()[2]) >= 70


def test_a_module_twin_with_another_id_and_a_lesson_twin_without_its_header_are_named(tree):
    edit(tree / "01-rest/module.es.yaml", "id: rest-module", "id: descanso")
    lesson = tree / "01-rest/lessons/02-better-sleep.es.md"
    lesson.write_text(lesson.read_text().split("---", 2)[2])  # the body alone
    assert errors(tree) == [
        "01-rest/lessons/02-better-sleep.es.md: missing YAML header between --- lines at the top of the file",
        '01-rest/module.es.yaml: id: must be "rest-module", the English module\'s id',
    ]


def test_the_check_lists_only_the_lessons_written_in_spanish(tree):
    from course.content.cli import format_report

    (tree / "01-rest/lessons/02-better-sleep.es.md").unlink()
    text = format_report(check_course(tree))
    assert "rc-why-sleep" in text.split("Spanish lessons:", 1)[1]
    assert "rc-better-sleep" not in text.split("Spanish lessons:", 1)[1].split("ERROR", 1)[0]
