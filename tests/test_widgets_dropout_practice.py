"""Chapter 09's dropout-practice explorer: the trainer, the scene, and the widget."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.nets.dropout_mlp import small_digits, train_dropout_mlp
from dlcourse.widgets import live
from dlcourse.widgets.dropout_practice import (
    DropoutTrainer,
    dropout_practice_explorer,
    dropout_practice_scene,
    dropout_practice_view,
)


def test_trainer_steps_to_the_end_and_equals_the_training_function():
    trainer = DropoutTrainer(0.2, 0.5, 2.0, 0.3, epochs=20, device="cpu")
    assert trainer.position == 0 and not trainer.done
    assert trainer.scene()["title"].endswith("press play to train")
    trainer.step(15)
    trainer.step(15)                       # stops at the end
    assert trainer.position == 20 and trainer.done
    run = trainer.view().run
    again = train_dropout_mlp(*small_digits(), p_input=0.2, p_hidden=0.5, max_norm=2.0, lr=0.3,
                              epochs=20, device="cpu")
    np.testing.assert_array_equal(run.val_loss, again.val_loss)
    assert np.all(run.unit_norm <= 2.0 + 1e-6)
    trainer.reset()
    assert trainer.position == 0


def test_scene_draws_the_run_the_reference_and_the_radius():
    ref = train_dropout_mlp(*small_digits(), lr=0.3, epochs=20, device="cpu")
    run = train_dropout_mlp(*small_digits(), p_hidden=0.5, max_norm=3.0, lr=0.3, epochs=20,
                            device="cpu")
    spec = dropout_practice_scene(dropout_practice_view(run, 20, ref))
    live.validate_scene(spec)
    labels = [m.get("label") for p in spec["panels"] for m in p["marks"]]
    assert "reference: train" in labels and "this run: validation" in labels
    assert "c = 3" in labels
    assert spec["title"].startswith("input p = 0, hidden p = 0.5, max-norm 3, lr 0.3, epoch 20")
    with pytest.raises(TypeError, match="run must be a DropoutRun"):
        dropout_practice_view("run")


def test_explorer_starts_from_a_finished_run_and_sliders_start_afresh():
    finished = train_dropout_mlp(*small_digits(), p_input=0.2, p_hidden=0.5, lr=0.1,
                                 device="cpu")
    ui = dropout_practice_explorer(finished=finished, device="cpu")
    assert ui.figure.current["title"].startswith(
        "input p = 0.2, hidden p = 0.5, max-norm off, lr 0.1, epoch 120")
    ui.explorer.controls["p_input"].value = 0.6
    assert ui.figure.current["title"] == ("input p = 0.6, hidden p = 0.5, max-norm off, lr 0.1: "
                                          "press play to train")
