"""Tests for nnfs_core.datasets.

The book's toy datasets are checked against the ``nnfs`` package itself. ``nnfs.init()``
patches NumPy for the whole process (np.dot, np.zeros, np.eye, np.random.randn), so the
``nnfs`` side always runs in a child process and hands its arrays back through an .npz file.

Fashion-MNIST fixtures are tiny folders built under ``tmp_path`` at run time: PNGs written
with Pillow for the book's layout, and idx files written by a small writer below (plain and
gzipped) for Zalando's layout. No binary fixture lives in the repository.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import struct
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnfs_core import datasets
from nnfs_core.datasets import (
    FASHION_MNIST_ENV_VAR,
    FASHION_MNIST_LABELS,
    load_digits,
    load_fashion_mnist,
    sine_data,
    spiral_data,
    train_test_split,
    vertical_data,
)

ALLOWED_DRAWS = {"standard_normal", "binomial", "permutation"}


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


class SpyRandomState(np.random.RandomState):
    """A RandomState that records which public methods the code under test calls.

    Only outermost calls count: RandomState.permutation itself calls self.shuffle, and
    that is NumPy's business, not a draw made by our code.
    """

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.used: set[str] = set()
        self.depth = 0

    def __getattribute__(self, name: str):
        attribute = super().__getattribute__(name)
        if name.startswith("_") or name in ("used", "depth") or not callable(attribute):
            return attribute
        if object.__getattribute__(self, "depth") == 0:
            object.__getattribute__(self, "used").add(name)

        def tracked(*args, **kwargs):
            self.depth += 1
            try:
                return attribute(*args, **kwargs)
            finally:
                self.depth -= 1

        return tracked


@pytest.fixture
def restore_global_rng():
    """Leave NumPy's global generator as we found it, for tests that seed it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


NNFS_REFERENCE_SCRIPT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import nnfs
    from nnfs.datasets import sine_data, spiral_data, vertical_data

    nnfs.init()  # seeds the global generator with 0 and forces float32, as in the book
    spiral_X, spiral_y = spiral_data(100, 3)
    after_spiral = np.random.randn(2, 64)  # what the book's first Dense(2, 64) draws next

    np.random.seed(0)
    vertical_X, vertical_y = vertical_data(100, 3)
    after_vertical = np.random.randn(2, 64)

    sine_X, sine_y = sine_data()
    np.savez(
        sys.argv[1],
        spiral_X=spiral_X, spiral_y=spiral_y, after_spiral=after_spiral,
        vertical_X=vertical_X, vertical_y=vertical_y, after_vertical=after_vertical,
        sine_X=sine_X, sine_y=sine_y,
    )
    """
)


@pytest.fixture(scope="module")
def nnfs_reference(tmp_path_factory):
    """Arrays produced by the ``nnfs`` package in a separate process."""
    if importlib.util.find_spec("nnfs") is None:
        pytest.skip("the nnfs package is not installed; `pip install nnfs==0.5.1`")
    out = tmp_path_factory.mktemp("nnfs_reference") / "reference.npz"
    result = subprocess.run(
        [sys.executable, "-c", NNFS_REFERENCE_SCRIPT, str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"nnfs reference script failed:\n{result.stderr}"
    with np.load(out) as data:
        return {name: data[name] for name in data.files}


def write_idx(path: Path, array: np.ndarray, *, magic: int | None = None) -> Path:
    """Write ``array`` (uint8) as an idx file; gzip it when the name ends in .gz."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    blob = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    blob += array.tobytes()
    if path.suffix == ".gz":
        with gzip.open(path, "wb") as handle:
            handle.write(blob)
    else:
        path.write_bytes(blob)
    return path


IDX_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def make_idx_folder(
    folder: Path, *, n_train: int = 12, n_test: int = 5, gz: bool = False, seed: int = 0
) -> dict[str, np.ndarray]:
    """Write a complete, tiny idx layout; return the arrays written."""
    maker = np.random.default_rng(seed)
    arrays = {
        "train_images": maker.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "train_labels": maker.integers(0, 10, size=n_train, dtype=np.uint8),
        "test_images": maker.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "test_labels": maker.integers(0, 10, size=n_test, dtype=np.uint8),
    }
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if gz else ""
    for role, name in IDX_NAMES.items():
        write_idx(folder / (name + suffix), arrays[role])
    return arrays


def fake_image(value: int) -> np.ndarray:
    """A 28x28 uint8 image that is not symmetric, so a transpose would be caught."""
    return ((np.arange(28 * 28).reshape(28, 28) + value) % 256).astype(np.uint8)


def make_png_folder(folder: Path, *, per_label: dict[str, int] | None = None) -> None:
    """The book's layout: ``split/label/*.png``, files created in reverse name order."""
    image_module = pytest.importorskip("PIL.Image")
    per_label = per_label or {"train": 2, "test": 1}
    for split, count in per_label.items():
        for label in range(10):
            label_dir = folder / split / str(label)
            label_dir.mkdir(parents=True, exist_ok=True)
            # Names created z.. first so sorting, not creation order, must decide.
            for i in reversed(range(count)):
                value = 100 * (split == "test") + 10 * label + i
                image_module.fromarray(fake_image(value)).save(label_dir / f"{i:04d}.png")


# ---------------------------------------------------------------------------------------
# spiral_data (chapter 3)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch03
def test_spiral_matches_nnfs_package(nnfs_reference):
    X, y = spiral_data(100, 3, rng=np.random.RandomState(0))
    assert X.shape == (300, 2) and X.dtype == np.float64
    assert y.shape == (300,) and y.dtype == np.uint8
    # nnfs works in float32, so agreement is to float32 rounding.
    np.testing.assert_allclose(X, nnfs_reference["spiral_X"], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(y, nnfs_reference["spiral_y"])


@pytest.mark.ch03
def test_spiral_leaves_the_stream_where_the_book_does(nnfs_reference):
    rng = np.random.RandomState(0)
    spiral_data(100, 3, rng=rng)
    next_draws = rng.standard_normal((2, 64))
    np.testing.assert_allclose(next_draws, nnfs_reference["after_spiral"], rtol=0, atol=1e-6)


@pytest.mark.ch03
@pytest.mark.parametrize(
    "make_rng", [np.random.RandomState, np.random.default_rng], ids=["RandomState", "Generator"]
)
def test_spiral_consumes_exactly_samples_times_classes_normals(make_rng):
    used, fresh = make_rng(7), make_rng(7)
    spiral_data(13, 4, rng=used)
    fresh.standard_normal(13 * 4)
    np.testing.assert_array_equal(used.standard_normal(5), fresh.standard_normal(5))


@pytest.mark.ch03
def test_spiral_draws_only_with_allowed_methods():
    spy = SpyRandomState(0)
    spiral_data(10, 3, rng=spy)
    assert spy.used and spy.used <= ALLOWED_DRAWS, spy.used


@pytest.mark.ch03
def test_spiral_with_generator_is_deterministic():
    a = spiral_data(50, 3, rng=np.random.default_rng(1))
    b = spiral_data(50, 3, rng=np.random.default_rng(1))
    c = spiral_data(50, 3, rng=np.random.default_rng(2))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.ch03
def test_spiral_int_seed_means_a_fresh_randomstate():
    np.testing.assert_array_equal(
        spiral_data(20, 2, rng=5)[0], spiral_data(20, 2, rng=np.random.RandomState(5))[0]
    )


@pytest.mark.ch03
def test_spiral_none_uses_numpy_global_generator(restore_global_rng):
    np.random.seed(3)
    a = spiral_data(20, 3)
    np.random.seed(3)
    b = spiral_data(20, 3)
    np.testing.assert_array_equal(a[0], b[0])
    np.random.seed(3)
    np.testing.assert_array_equal(a[0], spiral_data(20, 3, rng=np.random.RandomState(3))[0])


@pytest.mark.ch03
def test_spiral_float32_on_request():
    X32, _ = spiral_data(30, 2, rng=0, dtype=np.float32)
    X64, _ = spiral_data(30, 2, rng=0)
    assert X32.dtype == np.float32
    np.testing.assert_allclose(X32, X64, rtol=0, atol=1e-6)


@pytest.mark.ch03
@given(samples=st.integers(1, 60), classes=st.integers(1, 12), seed=st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_spiral_is_balanced_and_radius_follows_linspace(samples, classes, seed):
    X, y = spiral_data(samples, classes, rng=seed)
    assert X.shape == (samples * classes, 2)
    np.testing.assert_array_equal(np.bincount(y, minlength=classes), [samples] * classes)
    np.testing.assert_array_equal(y, np.repeat(np.arange(classes), samples))
    # The noise only moves points along the angle; each point's distance from the
    # origin is exactly its position along the arm.
    expected_r = np.tile(np.linspace(0.0, 1.0, samples), classes)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), expected_r, rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------------------
# Argument checks (shared by the generators)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch03
@pytest.mark.parametrize(
    ("bad", "error", "fragment"),
    [
        (100.0, TypeError, "int(100.0)"),
        (2.5, TypeError, "float 2.5"),
        (True, TypeError, "bool"),
        ("100", TypeError, "str"),
        (None, TypeError, "NoneType"),
        (0, ValueError, "received 0"),
        (-3, ValueError, "received -3"),
    ],
)
def test_samples_is_validated_with_a_helpful_message(bad, error, fragment):
    for make in (spiral_data, vertical_data):
        with pytest.raises(error, match="samples") as info:
            make(bad, 3, rng=0)
        assert fragment in str(info.value)
        assert "Fix" in str(info.value)


@pytest.mark.ch03
def test_classes_is_validated_and_capped_by_uint8():
    with pytest.raises(TypeError, match="classes"):
        spiral_data(10, 3.0)
    with pytest.raises(ValueError, match="at most 256"):
        spiral_data(1, 257, rng=0)
    _, y = spiral_data(1, 256, rng=0)
    assert y.max() == 255


@pytest.mark.ch03
def test_numpy_integers_are_accepted():
    X, _ = spiral_data(np.int64(10), np.uint8(3), rng=0)
    assert X.shape == (30, 2)
    X, _ = vertical_data(np.int32(4), np.int16(2), rng=0)
    assert X.shape == (8, 2)


@pytest.mark.ch03
@pytest.mark.parametrize("bad_dtype", [np.int32, "uint8", bool, "not a dtype"])
def test_dtype_must_be_floating(bad_dtype):
    with pytest.raises(TypeError, match="floating dtype"):
        spiral_data(5, 2, rng=0, dtype=bad_dtype)


@pytest.mark.ch03
def test_bad_rng_is_rejected():
    with pytest.raises(TypeError, match="rng"):
        spiral_data(5, 2, rng="seed")


# ---------------------------------------------------------------------------------------
# vertical_data (chapter 6)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch06
def test_vertical_matches_nnfs_package(nnfs_reference):
    rng = np.random.RandomState(0)
    X, y = vertical_data(100, 3, rng=rng)
    assert X.shape == (300, 2) and y.dtype == np.uint8
    np.testing.assert_allclose(X, nnfs_reference["vertical_X"], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(y, nnfs_reference["vertical_y"])
    np.testing.assert_allclose(
        rng.standard_normal((2, 64)), nnfs_reference["after_vertical"], rtol=0, atol=1e-6
    )


@pytest.mark.ch06
def test_vertical_draw_order_is_x_then_y_per_class():
    X, _ = vertical_data(4, 2, rng=np.random.RandomState(11))
    normals = np.random.RandomState(11).standard_normal(16).reshape(2, 2, 4)  # class, axis, i
    np.testing.assert_allclose(X[:4, 0], 0.1 * normals[0, 0] + 0.0)
    np.testing.assert_allclose(X[:4, 1], 0.1 * normals[0, 1] + 0.5)
    np.testing.assert_allclose(X[4:, 0], 0.1 * normals[1, 0] + 1 / 3)
    np.testing.assert_allclose(X[4:, 1], 0.1 * normals[1, 1] + 0.5)


@pytest.mark.ch06
def test_vertical_generator_seed_and_global(restore_global_rng):
    a = vertical_data(10, 3, rng=np.random.default_rng(4))[0]
    np.testing.assert_array_equal(a, vertical_data(10, 3, rng=np.random.default_rng(4))[0])
    np.random.seed(3)
    b = vertical_data(10, 3)[0]
    np.random.seed(3)
    np.testing.assert_array_equal(b, vertical_data(10, 3)[0])
    spy = SpyRandomState(0)
    vertical_data(3, 2, rng=spy)
    assert spy.used and spy.used <= ALLOWED_DRAWS


@pytest.mark.ch06
@given(samples=st.integers(1, 80), classes=st.integers(1, 10), seed=st.integers(0, 2**31))
@settings(max_examples=30, deadline=None)
def test_vertical_is_balanced(samples, classes, seed):
    X, y = vertical_data(samples, classes, rng=seed, dtype=np.float32)
    assert X.shape == (samples * classes, 2) and X.dtype == np.float32
    np.testing.assert_array_equal(np.bincount(y, minlength=classes), [samples] * classes)


# ---------------------------------------------------------------------------------------
# sine_data (chapter 17)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch17
def test_sine_matches_nnfs_package(nnfs_reference):
    X, y = sine_data()
    assert X.shape == y.shape == (1000, 1)
    assert X.dtype == y.dtype == np.float64
    np.testing.assert_allclose(X, nnfs_reference["sine_X"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(y, nnfs_reference["sine_y"], rtol=0, atol=1e-12)


@pytest.mark.ch17
@given(samples=st.integers(1, 3000))
@settings(max_examples=25, deadline=None)
def test_sine_shapes_and_range(samples):
    X, y = sine_data(samples, dtype=np.float32)
    assert X.shape == y.shape == (samples, 1) and X.dtype == y.dtype == np.float32
    assert X[0, 0] == 0.0 and X.max() < 1.0
    assert np.all(np.abs(y) <= 1.0)


@pytest.mark.ch17
def test_sine_validates_samples():
    with pytest.raises(TypeError, match="int"):
        sine_data(1000.0)
    with pytest.raises(ValueError, match="at least 1"):
        sine_data(0)


# ---------------------------------------------------------------------------------------
# Fashion-MNIST (chapter 19)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch19
def test_label_names():
    assert list(FASHION_MNIST_LABELS) == list(range(10))
    assert FASHION_MNIST_LABELS[0] == "T-shirt/top"
    assert FASHION_MNIST_LABELS[9] == "Ankle boot"
    assert len(set(FASHION_MNIST_LABELS.values())) == 10


@pytest.mark.ch19
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzipped"])
def test_idx_layout_round_trip(tmp_path, gz):
    written = make_idx_folder(tmp_path, gz=gz)
    X_train, y_train, X_test, y_test = load_fashion_mnist(tmp_path)
    for got, role in zip(
        (X_train, y_train, X_test, y_test),
        ("train_images", "train_labels", "test_images", "test_labels"),
    ):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, written[role])
    assert X_train.shape == (12, 28, 28) and y_train.shape == (12,)
    assert X_test.shape == (5, 28, 28) and y_test.shape == (5,)


@pytest.mark.ch19
def test_idx_mixed_plain_and_gz_and_str_path(tmp_path):
    written = make_idx_folder(tmp_path, gz=True)
    # Unzip only one of the four, as a learner might by hand.
    name = IDX_NAMES["test_labels"]
    (tmp_path / name).write_bytes(gzip.decompress((tmp_path / (name + ".gz")).read_bytes()))
    (tmp_path / (name + ".gz")).unlink()
    _, _, _, y_test = load_fashion_mnist(str(tmp_path))
    np.testing.assert_array_equal(y_test, written["test_labels"])


@pytest.mark.ch19
@given(n_train=st.integers(0, 20), n_test=st.integers(0, 20), gz=st.booleans())
@settings(max_examples=15, deadline=None)
def test_idx_round_trip_any_size(n_train, n_test, gz):
    with tempfile.TemporaryDirectory() as tmp:
        written = make_idx_folder(Path(tmp), n_train=n_train, n_test=n_test, gz=gz)
        loaded = load_fashion_mnist(tmp)
    assert loaded[0].shape == (n_train, 28, 28) and loaded[2].shape == (n_test, 28, 28)
    np.testing.assert_array_equal(loaded[1], written["train_labels"])
    np.testing.assert_array_equal(loaded[2], written["test_images"])


@pytest.mark.ch19
def test_png_layout(tmp_path):
    make_png_folder(tmp_path)
    X_train, y_train, X_test, y_test = load_fashion_mnist(tmp_path)
    assert X_train.shape == (20, 28, 28) and X_train.dtype == np.uint8
    assert y_train.shape == (20,) and y_train.dtype == np.uint8
    assert X_test.shape == (10, 28, 28) and y_test.shape == (10,)
    np.testing.assert_array_equal(y_train, np.repeat(np.arange(10), 2))
    np.testing.assert_array_equal(y_test, np.arange(10))
    # Sorted by file name within each label, whatever order the files were created in.
    for row, (label, i) in enumerate((lab, i) for lab in range(10) for i in range(2)):
        np.testing.assert_array_equal(X_train[row], fake_image(10 * label + i))
    for label in range(10):
        np.testing.assert_array_equal(X_test[label], fake_image(100 + 10 * label))


@pytest.mark.ch19
def test_png_layout_ignores_other_files_and_converts_colour(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    make_png_folder(tmp_path, per_label={"train": 1, "test": 1})
    (tmp_path / "train" / "3" / "notes.txt").write_text("not an image")
    rgb = np.repeat(fake_image(7)[:, :, None], 3, axis=2)
    image_module.fromarray(rgb).save(tmp_path / "train" / "3" / "0001.png")
    X_train, y_train, _, _ = load_fashion_mnist(tmp_path)
    assert X_train.shape == (11, 28, 28)
    np.testing.assert_array_equal(X_train[4], fake_image(7))
    assert y_train[4] == 3


@pytest.mark.ch19
def test_idx_layout_is_preferred_when_both_are_present(tmp_path):
    make_png_folder(tmp_path)
    make_idx_folder(tmp_path, n_train=3, n_test=2)
    X_train, _, X_test, _ = load_fashion_mnist(tmp_path)
    assert X_train.shape[0] == 3 and X_test.shape[0] == 2


@pytest.mark.ch19
def test_environment_variable_is_used_when_path_is_none(tmp_path, monkeypatch):
    written = make_idx_folder(tmp_path, gz=True)
    monkeypatch.setenv(FASHION_MNIST_ENV_VAR, str(tmp_path))
    assert FASHION_MNIST_ENV_VAR == "NNFS_FASHION_MNIST"
    _, y_train, _, _ = load_fashion_mnist()
    np.testing.assert_array_equal(y_train, written["train_labels"])


@pytest.mark.ch19
def test_no_path_and_no_environment_variable(monkeypatch):
    monkeypatch.delenv(FASHION_MNIST_ENV_VAR, raising=False)
    with pytest.raises(TypeError) as info:
        load_fashion_mnist()
    message = str(info.value)
    assert "NNFS_FASHION_MNIST" in message and "path" in message
    assert "zalandoresearch/fashion-mnist" in message


@pytest.mark.ch19
def test_missing_folder_message(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError) as info:
        load_fashion_mnist(missing)
    message = str(info.value)
    assert str(missing) in message and "does not exist" in message
    for name in IDX_NAMES.values():
        assert name in message
    assert "train/" in message and "test/" in message
    assert "zalandoresearch/fashion-mnist" in message and "data/fashion" in message
    assert "https://nnfs.io/datasets/fashion_mnist_images.zip" in message


@pytest.mark.ch19
def test_partial_layouts_name_exactly_what_is_missing(tmp_path):
    make_idx_folder(tmp_path)
    (tmp_path / IDX_NAMES["test_images"]).unlink()
    make_png_folder(tmp_path)
    for label in (3, 7):
        for file in (tmp_path / "test" / str(label)).iterdir():
            file.unlink()
        (tmp_path / "test" / str(label)).rmdir()
    with pytest.raises(FileNotFoundError) as info:
        load_fashion_mnist(tmp_path)
    message = str(info.value)
    assert "missing: t10k-images-idx3-ubyte[.gz]" in message
    assert "train-images-idx3-ubyte[.gz]" not in message.split("Get the data")[0]
    assert "test/3/, test/7/" in message
    assert "train/0/" not in message


@pytest.mark.ch19
def test_dataset_one_level_too_deep_is_suggested(tmp_path):
    make_idx_folder(tmp_path / "fashion_mnist_images")
    with pytest.raises(FileNotFoundError, match="did you mean") as info:
        load_fashion_mnist(tmp_path)
    assert str(tmp_path / "fashion_mnist_images") in str(info.value)


@pytest.mark.ch19
def test_path_that_is_a_file(tmp_path):
    zip_file = tmp_path / "fashion_mnist_images.zip"
    zip_file.write_bytes(b"PK")
    with pytest.raises(NotADirectoryError, match="unzip"):
        load_fashion_mnist(zip_file)


@pytest.mark.ch19
def test_wrong_magic_number(tmp_path):
    make_idx_folder(tmp_path)
    labels_file = tmp_path / IDX_NAMES["train_labels"]
    # An images header on a labels file, as if the two had been swapped.
    write_idx(labels_file, np.zeros((12, 28, 28), dtype=np.uint8))
    with pytest.raises(ValueError, match="magic") as info:
        load_fashion_mnist(tmp_path)
    message = str(info.value)
    assert str(labels_file) in message
    assert "expected 2049" in message and "received 2051" in message


@pytest.mark.ch19
def test_truncated_payload(tmp_path):
    make_idx_folder(tmp_path)
    images_file = tmp_path / IDX_NAMES["train_images"]
    images_file.write_bytes(images_file.read_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated") as info:
        load_fashion_mnist(tmp_path)
    message = str(info.value)
    assert str(images_file) in message and "(12, 28, 28)" in message
    assert "9408" in message and "9308" in message


@pytest.mark.ch19
@pytest.mark.parametrize("keep", [2, 9])
def test_truncated_header(tmp_path, keep):
    make_idx_folder(tmp_path)
    images_file = tmp_path / IDX_NAMES["test_images"]
    images_file.write_bytes(images_file.read_bytes()[:keep])
    with pytest.raises(ValueError, match="truncated"):
        load_fashion_mnist(tmp_path)


@pytest.mark.ch19
def test_trailing_bytes_are_refused(tmp_path):
    make_idx_folder(tmp_path)
    labels_file = tmp_path / IDX_NAMES["test_labels"]
    labels_file.write_bytes(labels_file.read_bytes() + b"\x00\x00")
    with pytest.raises(ValueError, match="2 unexpected bytes"):
        load_fashion_mnist(tmp_path)


@pytest.mark.ch19
def test_truncated_gzip(tmp_path):
    make_idx_folder(tmp_path, gz=True)
    packed = tmp_path / (IDX_NAMES["train_images"] + ".gz")
    packed.write_bytes(packed.read_bytes()[:-50])
    with pytest.raises(ValueError, match="decompress") as info:
        load_fashion_mnist(tmp_path)
    assert str(packed) in str(info.value) and "download it again" in str(info.value)


@pytest.mark.ch19
def test_plain_file_with_gz_name(tmp_path):
    make_idx_folder(tmp_path)
    name = IDX_NAMES["train_labels"]
    (tmp_path / name).rename(tmp_path / (name + ".gz"))
    with pytest.raises(ValueError, match="decompress"):
        load_fashion_mnist(tmp_path)


@pytest.mark.ch19
def test_images_and_labels_must_agree(tmp_path):
    make_idx_folder(tmp_path)
    write_idx(tmp_path / IDX_NAMES["train_labels"], np.zeros(11, dtype=np.uint8))
    with pytest.raises(ValueError, match=r"12 images .* 11 labels"):
        load_fashion_mnist(tmp_path)


@pytest.mark.ch19
def test_wrong_image_size_in_idx(tmp_path):
    make_idx_folder(tmp_path)
    write_idx(tmp_path / IDX_NAMES["test_images"], np.zeros((5, 8, 8), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"\(8, 8\)"):
        load_fashion_mnist(tmp_path)


@pytest.mark.ch19
def test_label_out_of_range(tmp_path):
    make_idx_folder(tmp_path)
    write_idx(tmp_path / IDX_NAMES["test_labels"], np.array([0, 1, 2, 3, 10]))
    with pytest.raises(ValueError, match="label 10"):
        load_fashion_mnist(tmp_path)


@pytest.mark.ch19
def test_png_of_wrong_size(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    make_png_folder(tmp_path, per_label={"train": 1, "test": 1})
    stray = tmp_path / "test" / "5" / "zz.png"
    image_module.fromarray(np.zeros((30, 28), dtype=np.uint8)).save(stray)
    with pytest.raises(ValueError, match="28x30") as info:
        load_fashion_mnist(tmp_path)
    assert str(stray) in str(info.value)


@pytest.mark.ch19
def test_empty_label_folder(tmp_path):
    make_png_folder(tmp_path, per_label={"train": 1, "test": 1})
    (tmp_path / "train" / "6" / "0000.png").unlink()
    with pytest.raises(FileNotFoundError, match="Shirt") as info:
        load_fashion_mnist(tmp_path)
    assert str(tmp_path / "train" / "6") in str(info.value)


@pytest.mark.ch19
def test_missing_pillow_is_explained(tmp_path, monkeypatch):
    make_png_folder(tmp_path, per_label={"train": 1, "test": 1})
    monkeypatch.setitem(sys.modules, "PIL", None)
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        load_fashion_mnist(tmp_path)


@pytest.mark.ch19
@pytest.mark.skipif(
    not os.environ.get(FASHION_MNIST_ENV_VAR),
    reason=f"set {FASHION_MNIST_ENV_VAR} to a Fashion-MNIST folder to check the real data",
)
def test_real_fashion_mnist_when_available():
    X_train, y_train, X_test, y_test = load_fashion_mnist()
    assert X_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert X_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    np.testing.assert_array_equal(np.bincount(y_train), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)


# ---------------------------------------------------------------------------------------
# load_digits (chapter 19's pipeline on real images that ship offline)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch19
def test_digits():
    pytest.importorskip("sklearn")
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype == np.uint8
    assert images.min() == 0.0 and images.max() == 16.0
    np.testing.assert_array_equal(images, np.round(images))
    np.testing.assert_array_equal(np.unique(labels), np.arange(10))


@pytest.mark.ch19
def test_digits_are_scikit_learns_own():
    """load_digits reads scikit-learn's file itself (importing scikit-learn costs seconds)."""
    sk_datasets = pytest.importorskip("sklearn.datasets")
    images, labels = load_digits()
    bunch = sk_datasets.load_digits()
    np.testing.assert_array_equal(images, bunch.images)
    np.testing.assert_array_equal(labels, bunch.target)


def _sklearns_digits():
    bunch = pytest.importorskip("sklearn.datasets").load_digits()
    return bunch.images, bunch.target


@pytest.mark.ch19
@pytest.mark.parametrize("damage", ["moved", "corrupt", "wrong shape"])
def test_digits_fall_back_to_scikit_learns_public_loader(monkeypatch, tmp_path, damage):
    """When scikit-learn's private data file has moved or cannot be read, load_digits goes
    through sklearn.datasets.load_digits and returns the same arrays, dtypes and shapes."""
    expected_images, expected_labels = _sklearns_digits()
    folder = tmp_path / "sklearn"
    data = folder / "datasets" / "data"
    data.mkdir(parents=True)
    if damage == "corrupt":
        (data / "digits.csv.gz").write_bytes(b"\x1f\x8b not really gzip")
    elif damage == "wrong shape":
        with gzip.open(data / "digits.csv.gz", "wt") as file:
            file.write("1,2,3\n4,5,6\n")
    monkeypatch.setattr(datasets, "_sklearn_folder", lambda: folder)
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype == np.uint8
    np.testing.assert_array_equal(images, expected_images)
    np.testing.assert_array_equal(labels, expected_labels)


@pytest.mark.ch19
def test_digits_say_what_failed_when_the_fallback_fails_too(monkeypatch, tmp_path):
    sk_datasets = pytest.importorskip("sklearn.datasets")

    def broken():
        raise OSError("no data here")

    monkeypatch.setattr(datasets, "_sklearn_folder", lambda: tmp_path)
    monkeypatch.setattr(sk_datasets, "load_digits", broken)
    with pytest.raises(OSError) as raised:
        load_digits()
    message = str(raised.value)
    for part in ("digits.csv.gz", "no data here", "--force-reinstall scikit-learn"):
        assert part in message


@pytest.mark.ch19
def test_digits_without_sklearn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        load_digits()


# ---------------------------------------------------------------------------------------
# train_test_split (chapters 11-12)
# ---------------------------------------------------------------------------------------


@pytest.mark.ch12
def test_split_is_disjoint_complete_and_keeps_pairs():
    X = np.arange(50).reshape(25, 2)
    y = np.arange(25) * 10
    X_train, X_test, y_train, y_test = train_test_split(X, y, rng=0)
    assert X_train.shape == (20, 2) and X_test.shape == (5, 2)
    rows = np.concatenate([X_train[:, 0], X_test[:, 0]]) // 2
    np.testing.assert_array_equal(np.sort(rows), np.arange(25))
    np.testing.assert_array_equal(y_train, X_train[:, 0] // 2 * 10)
    np.testing.assert_array_equal(y_test, X_test[:, 0] // 2 * 10)


@pytest.mark.ch12
def test_split_draws_one_permutation():
    spy = SpyRandomState(9)
    _, X_test, _, _ = train_test_split(np.arange(10), np.arange(10), test_fraction=0.3, rng=spy)
    assert spy.used == {"permutation"}
    np.testing.assert_array_equal(X_test, np.random.RandomState(9).permutation(10)[:3])


@pytest.mark.ch12
def test_split_is_deterministic_for_a_seed_and_accepts_lists(restore_global_rng):
    a = train_test_split(list(range(30)), list(range(30)), rng=np.random.default_rng(2))
    b = train_test_split(list(range(30)), list(range(30)), rng=np.random.default_rng(2))
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    np.random.seed(1)
    c = train_test_split(np.arange(30), np.arange(30))
    np.random.seed(1)
    d = train_test_split(np.arange(30), np.arange(30))
    np.testing.assert_array_equal(c[1], d[1])


@pytest.mark.ch12
@given(
    n=st.integers(2, 300),
    fraction=st.floats(0.0, 1.0, exclude_min=True, exclude_max=True),
    seed=st.integers(0, 2**31),
)
@settings(max_examples=60, deadline=None)
def test_split_sizes_always_add_up(n, fraction, seed):
    X_train, X_test, y_train, y_test = train_test_split(
        np.arange(n), -np.arange(n), test_fraction=fraction, rng=seed
    )
    assert len(X_train) + len(X_test) == n
    assert len(X_train) >= 1 and len(X_test) >= 1
    assert len(y_train) == len(X_train) and len(y_test) == len(X_test)
    assert abs(len(X_test) - fraction * n) <= 1
    np.testing.assert_array_equal(np.sort(np.concatenate([X_train, X_test])), np.arange(n))
    np.testing.assert_array_equal(y_train, -X_train)


@pytest.mark.ch12
@pytest.mark.parametrize(
    ("fraction", "error"),
    [(0.0, ValueError), (1.0, ValueError), (-0.2, ValueError), (1.5, ValueError),
     (True, TypeError), ("0.2", TypeError), (None, TypeError)],
)  # fmt: skip
def test_split_rejects_bad_fraction(fraction, error):
    with pytest.raises(error, match="test_fraction"):
        train_test_split(np.arange(10), np.arange(10), test_fraction=fraction)


@pytest.mark.ch12
def test_split_rejects_mismatched_lengths_and_tiny_inputs():
    with pytest.raises(ValueError, match=r"\(10, 2\).*\(9,\)"):
        train_test_split(np.zeros((10, 2)), np.zeros(9))
    with pytest.raises(ValueError, match="at least 2 samples"):
        train_test_split(np.zeros((1, 2)), np.zeros(1))
    with pytest.raises(ValueError, match="first axis"):
        train_test_split(np.float64(3.0), np.zeros(1))
