"""Chapter 12's augmentation explorer: accuracy of each model on the moved test set."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from dlcourse.data import load_digits_split
from dlcourse.regularization import shift_image
from dlcourse.widgets import live
from dlcourse.widgets.shifted_accuracy import (
    draw_shifted_accuracy,
    shift_accuracy_grid,
    shifted_accuracy_explorer,
    shifted_accuracy_scene,
    shifted_accuracy_view,
)


@pytest.fixture(scope="module")
def knn_grid():
    split = load_digits_split()
    knn = KNeighborsClassifier(n_neighbors=1).fit(split.X_train, split.y_train)
    images = split.images(split.X_test)[:120]
    labels = np.array(split.y_test[:120])
    grid = shift_accuracy_grid(lambda x: knn.predict(x.reshape(len(x), -1)), images, labels, 2)
    return knn, images, labels, grid


def test_grid_agrees_with_scikit_learn_scores(knn_grid):
    knn, images, labels, grid = knn_grid
    assert grid.shape == (5, 5)
    for dx, dy in [(0, 0), (1, 0), (-2, 1), (0, -1), (2, 2)]:
        moved = shift_image(images, dx, dy).reshape(len(images), -1)
        assert grid[dy + 2, dx + 2] == pytest.approx(knn.score(moved, labels), abs=1e-12)
    assert grid[2, 2] > 0.95 and grid[2, 4] < 0.4  # a nearest neighbour is fragile to shifts


def test_grid_of_a_shift_invariant_rule_is_flat():
    images = np.zeros((6, 8, 8))
    images[np.arange(6), 3, 3] = np.arange(1, 7)
    labels = np.arange(1, 7)
    grid = shift_accuracy_grid(lambda x: x.reshape(len(x), -1).max(axis=1).astype(int),
                               images, labels, 2)
    np.testing.assert_array_equal(grid, np.ones((5, 5)))


def test_view_looks_up_every_model(knn_grid):
    _, images, labels, grid = knn_grid
    grids = {"1-NN": grid, "flat": np.full((5, 5), 0.5)}
    view = shifted_accuracy_view(grids, images, labels, dx=1, dy=-2, index=3)
    assert view.names == ("1-NN", "flat")
    np.testing.assert_array_equal(view.accuracies, [grid[0, 3], 0.5])
    np.testing.assert_array_equal(view.digit, shift_image(images[3], 1, -2))
    assert view.label == labels[3]
    assert view.title == "test digits moved by dx = +1, dy = -2 pixels"


def test_scene_draw_and_explorer(knn_grid):
    _, images, labels, grid = knn_grid
    grids = {"a": grid, "b": grid[::-1]}
    view = shifted_accuracy_view(grids, images, labels, 1, 0)
    scene = shifted_accuracy_scene(view)
    live.validate_scene(scene)
    bars = scene["panels"][0]["marks"][0]
    np.testing.assert_array_equal(bars["height"], view.accuracies)
    np.testing.assert_array_equal(scene["panels"][1]["marks"][0]["shape"], [8, 8])
    fig, axes = plt.subplots(1, 2)
    draw_shifted_accuracy(view, axes)
    assert len(axes[0].patches) == 2
    plt.close(fig)
    ui = shifted_accuracy_explorer(grids, images, labels)
    explorer = ui.explorer
    explorer.controls["dx"].value = -2
    explorer.controls["dy"].value = 1
    assert explorer.figure.current["panels"][0]["title"].endswith("dx = -2, dy = +1 pixels")


def test_bad_input(knn_grid):
    _, images, labels, grid = knn_grid
    with pytest.raises(ValueError, match="dx must be a whole number between −2 and 2"):
        shifted_accuracy_view({"a": grid}, images, labels, dx=3)
    with pytest.raises(ValueError, match="square with an odd side"):
        shifted_accuracy_view({"a": np.zeros((4, 4))}, images, labels)
    with pytest.raises(ValueError, match="one label per image"):
        shift_accuracy_grid(lambda x: x, images, labels[:5])
    with pytest.raises(ValueError, match="at least one model"):
        shifted_accuracy_view({}, images, labels)
