"""Datasets for the course: the book's toy sets, Fashion-MNIST from disk, and a split helper.

Three families live here, in the order the book meets them:

* Toy generators (``spiral_data``, ``vertical_data``, ``sine_data``). They build the same
  points as the ``nnfs`` package the book uses, but take ``rng=`` instead of relying on
  ``nnfs.init()`` patching NumPy. Because they draw only with ``standard_normal``, in the
  same order and amounts as ``nnfs``, passing ``np.random.RandomState(0)`` here and then on
  to the layers reproduces the book's random stream number for number.
* Real images: ``load_fashion_mnist`` reads Fashion-MNIST from a local folder (no network
  access happens here), and ``load_digits`` returns scikit-learn's small bundled 8x8 digits
  for when Fashion-MNIST is not on the machine.
* ``train_test_split``: a shuffled hold-out split, drawn with ``permutation`` so it obeys the
  same ``rng=`` contract as everything else.

Nothing here seeds NumPy's global generator or patches NumPy.
"""

from __future__ import annotations

import gzip
import importlib.util
import operator
import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from nnfs_core._random import RandomLike, resolve_rng

__all__ = [
    "FASHION_MNIST_ENV_VAR",
    "FASHION_MNIST_LABELS",
    "load_digits",
    "load_fashion_mnist",
    "sine_data",
    "spiral_data",
    "train_test_split",
    "vertical_data",
]


# ---------------------------------------------------------------------------------------
# Argument checking shared by the generators
# ---------------------------------------------------------------------------------------


def _positive_int(name: str, value: Any, *, maximum: int | None = None) -> int:
    """Return ``value`` as a Python int, or raise a message that says how to fix it.

    Integral NumPy scalars (``np.int64(100)``) are accepted because they turn up naturally
    when sizes come from array arithmetic. ``bool`` is refused even though it is an int
    subclass: ``spiral_data(True, 3)`` is always a slip. Floats are refused even when
    integral (``100.0``), because silently truncating ``100.5`` would hide a real bug.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be a positive int; received the bool {value!r}. "
            f"Fix: pass a whole number such as {name}=100."
        )
    try:
        number = operator.index(value)
    except TypeError:
        hint = (
            f"int({value!r})"
            if isinstance(value, (float, np.floating)) and float(value).is_integer()
            else "a whole number such as 100"
        )
        raise TypeError(
            f"{name} must be a positive int; received {type(value).__name__} {value!r}. "
            f"Fix: pass {hint}."
        ) from None
    if number < 1:
        raise ValueError(
            f"{name} must be a positive int (at least 1); received {number}. "
            f"Fix: pass e.g. {name}=100."
        )
    if maximum is not None and number > maximum:
        raise ValueError(
            f"{name} must be at most {maximum}; received {number}. "
            f"Labels are stored as uint8, which holds class indices 0..{maximum - 1}."
        )
    return number


def _float_dtype(dtype: Any) -> np.dtype:
    """Check that ``dtype`` names a floating type (float64 by default, float32 on request)."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"dtype must be a NumPy floating dtype; received {dtype!r}. "
            f"Fix: pass dtype=np.float64 (the default) or dtype=np.float32."
        ) from None
    if resolved.kind != "f":
        raise TypeError(
            f"dtype must be a NumPy floating dtype; received {resolved.name}. "
            f"Fix: pass dtype=np.float64 (the default) or dtype=np.float32."
        )
    return resolved


# ---------------------------------------------------------------------------------------
# The book's toy datasets
# ---------------------------------------------------------------------------------------


def spiral_data(
    samples: int,
    classes: int,
    *,
    rng: RandomLike = None,
    dtype: Any = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one arm per class: the book's main classification toy.

    Class ``k`` gets ``samples`` points. Along the arm the radius grows evenly from 0 to 1,
    and the angle parameter runs evenly over ``[4k, 4(k + 1)]`` plus Gaussian noise with
    standard deviation 0.2; the point is ``(r sin(2.5 t), r cos(2.5 t))``. The factor 2.5
    makes each arm sweep 10 radians, so the arms wind round each other and no straight line
    separates them, which is why the book needs a hidden layer for this data.

    Args:
        samples: points per class (a positive int).
        classes: number of arms (a positive int, at most 256 because labels are uint8).
        rng: a ``np.random.Generator``, a ``np.random.RandomState``, an int seed, or
            ``None`` for NumPy's global generator. The noise is drawn as one
            ``standard_normal(samples)`` per class, in class order, exactly as the ``nnfs``
            package draws it, so ``rng=np.random.RandomState(0)`` gives the book's points.
        dtype: floating dtype of ``X``. The math is done in float64 and cast at the end.

    Returns:
        ``X`` of shape ``(samples * classes, 2)`` and ``y`` of shape ``(samples * classes,)``,
        dtype uint8, grouped by class (all of class 0 first), as in the book.
    """
    samples = _positive_int("samples", samples)
    classes = _positive_int("classes", classes, maximum=256)
    out_dtype = _float_dtype(dtype)
    gen = resolve_rng(rng)

    X = np.empty((samples * classes, 2), dtype=np.float64)
    y = np.empty(samples * classes, dtype=np.uint8)
    radius = np.linspace(0.0, 1.0, samples)
    for k in range(classes):
        rows = slice(samples * k, samples * (k + 1))
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), samples)
        angle = angle + 0.2 * gen.standard_normal(samples)
        X[rows, 0] = radius * np.sin(2.5 * angle)
        X[rows, 1] = radius * np.cos(2.5 * angle)
        y[rows] = k
    return X.astype(out_dtype, copy=False), y


def vertical_data(
    samples: int,
    classes: int,
    *,
    rng: RandomLike = None,
    dtype: Any = np.float64,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs side by side: the easy set the book uses for random-search "training".

    Class ``k`` is centred at ``(k / 3, 0.5)`` with standard deviation 0.1 on both axes, so
    the classes are separated along x and a single layer can split them. Chapter 6 uses it
    to show that random search works on easy data and then fails on the spiral.

    Args:
        samples: points per class (a positive int).
        classes: number of blobs (a positive int, at most 256 because labels are uint8).
        rng: as in :func:`spiral_data`. Per class, two ``standard_normal(samples)`` draws are
            made, first the x offsets and then the y offsets, matching the ``nnfs`` package.
        dtype: floating dtype of ``X``.

    Returns:
        ``X`` of shape ``(samples * classes, 2)`` and ``y`` of shape ``(samples * classes,)``,
        dtype uint8, grouped by class.
    """
    samples = _positive_int("samples", samples)
    classes = _positive_int("classes", classes, maximum=256)
    out_dtype = _float_dtype(dtype)
    gen = resolve_rng(rng)

    X = np.empty((samples * classes, 2), dtype=np.float64)
    y = np.empty(samples * classes, dtype=np.uint8)
    for k in range(classes):
        rows = slice(samples * k, samples * (k + 1))
        # Order matters for replaying the book: all x noise of a class, then all y noise.
        X[rows, 0] = 0.1 * gen.standard_normal(samples) + k / 3
        X[rows, 1] = 0.1 * gen.standard_normal(samples) + 0.5
        y[rows] = k
    return X.astype(out_dtype, copy=False), y


def sine_data(samples: int = 1000, *, dtype: Any = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """One period of a sine wave, the regression target of chapter 17.

    ``x`` takes the evenly spaced values ``0, 1/samples, ..., (samples - 1)/samples`` and
    ``y = sin(2 pi x)``. There is no noise, so this needs no ``rng``.

    Returns:
        ``X`` and ``y``, both of shape ``(samples, 1)``: column vectors, because the
        regression model has one input feature and one output neuron.
    """
    samples = _positive_int("samples", samples)
    out_dtype = _float_dtype(dtype)
    X = (np.arange(samples, dtype=np.float64) / samples).reshape(-1, 1)
    y = np.sin(2.0 * np.pi * X)
    return X.astype(out_dtype, copy=False), y.astype(out_dtype, copy=False)


# ---------------------------------------------------------------------------------------
# Fashion-MNIST from a local folder
# ---------------------------------------------------------------------------------------

FASHION_MNIST_LABELS: dict[int, str] = {
    0: "T-shirt/top",
    1: "Trouser",
    2: "Pullover",
    3: "Dress",
    4: "Coat",
    5: "Sandal",
    6: "Shirt",
    7: "Sneaker",
    8: "Bag",
    9: "Ankle boot",
}
"""Class index to name, as published with Fashion-MNIST (and used for the book's predictions)."""

FASHION_MNIST_ENV_VAR = "NNFS_FASHION_MNIST"
"""Environment variable read by :func:`load_fashion_mnist` when it is called without a path."""

_IMAGE_SIDE = 28
_N_CLASSES = len(FASHION_MNIST_LABELS)
_IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
# An idx magic number is two zero bytes, a type code (0x08 = unsigned byte) and the number of
# dimensions; read big-endian as one int that is 2051 for images and 2049 for labels.
_IDX_MAGIC_IMAGES = 0x00000803
_IDX_MAGIC_LABELS = 0x00000801
_ZALANDO_URL = "https://github.com/zalandoresearch/fashion-mnist/tree/master/data/fashion"
_BOOK_ZIP_URL = "https://nnfs.io/datasets/fashion_mnist_images.zip"

FashionMNIST = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def load_fashion_mnist(path: str | os.PathLike[str] | None = None) -> FashionMNIST:
    """Read Fashion-MNIST from a folder on this machine; nothing is downloaded.

    Two layouts are recognised inside ``path``:

    (b) the original idx files from Zalando, ``train-images-idx3-ubyte``,
        ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte`` and
        ``t10k-labels-idx1-ubyte``, each either plain or gzipped (``.gz`` added to the name).
        These are tried first because they load in well under a second.
    (a) the book's image folders, as unpacked from ``fashion_mnist_images.zip``:
        ``path/train/<label>/*.png`` and ``path/test/<label>/*.png`` with the ten label
        folders ``0`` .. ``9``. Within a label folder, files are read in sorted name order
        so that two machines build identical arrays (the book lists them in whatever order
        the file system returns). Reading the PNGs needs Pillow (``pip install pillow``)
        and takes a while for 70,000 files.

    Args:
        path: the folder holding either layout. If ``None``, the environment variable
            ``NNFS_FASHION_MNIST`` is used, which lets a course set the location once (for
            example in a JupyterHub image) so that notebooks need no machine-specific path.

    Returns:
        ``(X_train, y_train, X_test, y_test)``: images of shape ``(n, 28, 28)`` and labels
        of shape ``(n,)``, all uint8, pixels 0..255 and labels 0..9 (see
        ``FASHION_MNIST_LABELS``). For the full dataset ``n`` is 60,000 and 10,000. The raw
        pixels are returned unscaled and unshuffled; chapter 19 scales them to [-1, 1],
        flattens and shuffles them as separate, visible steps. With the image-folder layout
        the rows come grouped by label, which is why that shuffle matters.

    Raises:
        FileNotFoundError: neither layout is complete in ``path``; the message lists what
            was missing and where to get the data.
        ValueError: a file is present but damaged (wrong magic number, truncated, wrong
            image size, labels outside 0..9, image and label counts disagree).
        ImportError: the image-folder layout was found but Pillow is not installed.
    """
    folder = _resolve_fashion_folder(path)

    idx_paths, idx_missing = _find_idx_files(folder)
    if not idx_missing:
        return _load_idx_layout(idx_paths)

    folders_missing = _missing_image_folders(folder)
    if not folders_missing:
        return _load_image_layout(folder)

    raise FileNotFoundError(
        _fashion_not_found_message(folder, idx_missing=idx_missing, folders_missing=folders_missing)
    )


def _resolve_fashion_folder(path: str | os.PathLike[str] | None) -> Path:
    if path is None:
        from_env = os.environ.get(FASHION_MNIST_ENV_VAR)
        if not from_env:
            raise TypeError(
                "load_fashion_mnist() needs to know where Fashion-MNIST is on this machine; "
                f"received path=None and the environment variable {FASHION_MNIST_ENV_VAR} is "
                "not set. Fix: call load_fashion_mnist('path/to/fashion_mnist_images') or set "
                f"{FASHION_MNIST_ENV_VAR} to that folder. " + _download_hint()
            )
        path = from_env
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"path must be a str or os.PathLike naming a folder; received "
            f"{type(path).__name__} {path!r}."
        )
    folder = Path(path).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(
            f"load_fashion_mnist() expects a folder, but '{folder}' is a file. If it is the "
            f"book's zip, unzip it first and pass the folder it unpacks into."
        )
    return folder


def _download_hint() -> str:
    return (
        "Get the data from either source: the four files in the zalandoresearch/fashion-mnist "
        f"GitHub repository's data/fashion folder ({_ZALANDO_URL}; keep the .gz files as they "
        f"are or unzip them), or the book's {_BOOK_ZIP_URL} (unzip it; it holds train/ and "
        "test/)."
    )


def _find_idx_files(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Locate the four idx files, preferring the plain file over its ``.gz`` twin."""
    found: dict[str, Path] = {}
    missing: list[str] = []
    for role, name in _IDX_FILES.items():
        plain, packed = folder / name, folder / (name + ".gz")
        if plain.is_file():
            found[role] = plain
        elif packed.is_file():
            found[role] = packed
        else:
            missing.append(f"{name}[.gz]")
    return found, missing


def _missing_image_folders(folder: Path) -> list[str]:
    """Name the split and label folders the book's layout needs that are absent."""
    missing: list[str] = []
    for split in ("train", "test"):
        if not (folder / split).is_dir():
            missing.append(f"{split}/")
            continue
        missing.extend(
            f"{split}/{label}/"
            for label in range(_N_CLASSES)
            if not (folder / split / str(label)).is_dir()
        )
    return missing


def _fashion_not_found_message(
    folder: Path, *, idx_missing: list[str], folders_missing: list[str]
) -> str:
    where = f"'{folder}'" + ("" if folder.exists() else " (this folder does not exist)")
    lines = [
        f"Fashion-MNIST was not found in {where}. Neither accepted layout is complete there:",
        "  (a) the book's image folders train/<0-9>/*.png and test/<0-9>/*.png; missing: "
        + ", ".join(folders_missing),
        "  (b) the original idx files; missing: " + ", ".join(idx_missing),
    ]
    nearby = _nearby_candidates(folder)
    if nearby:
        lines.append(
            "  A folder inside it looks like the dataset; did you mean: "
            + ", ".join(f"'{p}'" for p in nearby)
            + "?"
        )
    example_idx = folder / "train-images-idx3-ubyte.gz"
    example_png_dir = folder / "train" / "0"
    lines.append(_download_hint())
    lines.append(
        f"Then put the files directly in '{folder}' (so that e.g. '{example_idx}' or "
        f"'{example_png_dir}' exists) and call load_fashion_mnist('{folder}'), or set "
        f"{FASHION_MNIST_ENV_VAR} to that folder."
    )
    return "\n".join(lines)


def _nearby_candidates(folder: Path) -> list[Path]:
    """Sub-folders holding a complete layout: catches a zip unpacked one level too deep."""
    if not folder.is_dir():
        return []
    candidates = []
    for child in sorted(p for p in folder.iterdir() if p.is_dir()):
        if not _find_idx_files(child)[1] or not _missing_image_folders(child):
            candidates.append(child)
    return candidates


def _read_idx(file: Path, *, magic: int, ndim: int) -> np.ndarray:
    """Parse one idx file (plain or gzipped) into a uint8 array, checking its header.

    The header is a 4-byte big-endian magic number followed by ``ndim`` big-endian uint32
    sizes; the unsigned-byte payload follows and must be exactly as long as the sizes say.
    """
    if file.suffix == ".gz":
        try:
            with gzip.open(file, "rb") as handle:
                raw = handle.read()
        except (EOFError, gzip.BadGzipFile, zlib.error) as err:
            # A cut-off download ends the gzip stream early (EOFError); a renamed plain file
            # has no gzip header (BadGzipFile); corrupted bytes fail inside zlib.
            raise ValueError(
                f"Could not decompress '{file}': {err}. The download is probably incomplete "
                f"or damaged. Fix: download it again. " + _download_hint()
            ) from err
    else:
        raw = file.read_bytes()

    header_len = 4 + 4 * ndim
    if len(raw) < 4:
        raise ValueError(
            f"'{file}' is truncated: it has {len(raw)} bytes, fewer than the 4-byte magic "
            f"number an idx file starts with. Fix: download it again. " + _download_hint()
        )
    found_magic = int(np.frombuffer(raw, dtype=">u4", count=1)[0])
    if found_magic != magic:
        kind = "images" if magic == _IDX_MAGIC_IMAGES else "labels"
        raise ValueError(
            f"'{file}' has the wrong idx magic number: expected {magic} (0x{magic:08x}, "
            f"unsigned bytes in {ndim} dimension(s), i.e. an {kind} file), received "
            f"{found_magic} (0x{found_magic:08x}). Check that the images and labels files "
            f"have not been swapped or renamed, and that a .gz file is not saved without "
            f"its .gz ending."
        )
    if len(raw) < header_len:
        raise ValueError(
            f"'{file}' is truncated: its header should be {header_len} bytes but the file "
            f"has only {len(raw)}. Fix: download it again. " + _download_hint()
        )
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64))
    payload = len(raw) - header_len
    if payload < expected:
        raise ValueError(
            f"'{file}' is truncated: its header promises shape {shape}, i.e. {expected} "
            f"bytes of data, but only {payload} follow the header. Fix: download it again. "
            + _download_hint()
        )
    if payload > expected:
        raise ValueError(
            f"'{file}' has {payload - expected} unexpected bytes after the {expected} bytes "
            f"its header (shape {shape}) describes; it is not a valid idx file. Fix: "
            f"download it again. " + _download_hint()
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(shape).copy()


def _load_idx_layout(paths: dict[str, Path]) -> FashionMNIST:
    arrays = []
    for split in ("train", "test"):
        images = _read_idx(paths[f"{split}_images"], magic=_IDX_MAGIC_IMAGES, ndim=3)
        labels = _read_idx(paths[f"{split}_labels"], magic=_IDX_MAGIC_LABELS, ndim=1)
        if images.shape[1:] != (_IMAGE_SIDE, _IMAGE_SIDE):
            raise ValueError(
                f"'{paths[f'{split}_images']}' holds images of shape {images.shape[1:]}; "
                f"Fashion-MNIST images are {(_IMAGE_SIDE, _IMAGE_SIDE)}. Is this another dataset?"
            )
        if images.shape[0] != labels.shape[0]:
            raise ValueError(
                f"The {split} images and labels disagree: '{paths[f'{split}_images']}' has "
                f"{images.shape[0]} images but '{paths[f'{split}_labels']}' has "
                f"{labels.shape[0]} labels. Fix: download both files again from the same source."
            )
        _check_labels(labels, paths[f"{split}_labels"])
        arrays += [images, labels]
    return arrays[0], arrays[1], arrays[2], arrays[3]


def _check_labels(labels: np.ndarray, source: Path) -> None:
    if labels.size and int(labels.max()) >= _N_CLASSES:
        raise ValueError(
            f"'{source}' contains label {int(labels.max())}; Fashion-MNIST labels are "
            f"0..{_N_CLASSES - 1}. Is this another dataset?"
        )


def _import_pillow_image() -> Any:
    try:
        from PIL import Image
    except ImportError as err:
        raise ImportError(
            "Reading the book's Fashion-MNIST PNG folders needs Pillow, which is not "
            "installed. Fix: `pip install pillow` (or `conda install pillow`) in the "
            "environment running this code, or use the idx files instead "
            f"({_ZALANDO_URL}), which need no extra package."
        ) from err
    return Image


def _load_image_layout(folder: Path) -> FashionMNIST:
    image_module = _import_pillow_image()
    arrays = []
    for split in ("train", "test"):
        files: list[Path] = []
        labels: list[int] = []
        for label in range(_N_CLASSES):
            label_dir = folder / split / str(label)
            pngs = sorted(
                p for p in label_dir.iterdir() if p.suffix.lower() == ".png" and p.is_file()
            )
            if not pngs:
                raise FileNotFoundError(
                    f"'{label_dir}' contains no .png files, so class {label} "
                    f"({FASHION_MNIST_LABELS[label]}) would be missing from the {split} set. "
                    f"The unzip was probably interrupted. Fix: unzip {_BOOK_ZIP_URL} again."
                )
            files += pngs
            labels += [label] * len(pngs)

        images = np.empty((len(files), _IMAGE_SIDE, _IMAGE_SIDE), dtype=np.uint8)
        for i, file in enumerate(files):
            images[i] = _read_png(image_module, file)
        arrays += [images, np.asarray(labels, dtype=np.uint8)]
    return arrays[0], arrays[1], arrays[2], arrays[3]


def _read_png(image_module: Any, file: Path) -> np.ndarray:
    """One 28x28 greyscale PNG as uint8; other colour modes are converted to grey ('L')."""
    try:
        with image_module.open(file) as img:
            grey = img if img.mode == "L" else img.convert("L")
            pixels = np.asarray(grey, dtype=np.uint8)
    except OSError as err:
        raise ValueError(f"Could not read '{file}' as an image: {err}.") from err
    if pixels.shape != (_IMAGE_SIDE, _IMAGE_SIDE):
        raise ValueError(
            f"'{file}' is {pixels.shape[1]}x{pixels.shape[0]} pixels (shape {pixels.shape}); "
            f"Fashion-MNIST images are {_IMAGE_SIDE}x{_IMAGE_SIDE}. Remove the stray file or "
            f"unzip the dataset again."
        )
    return pixels


# ---------------------------------------------------------------------------------------
# Small real images that ship with scikit-learn
# ---------------------------------------------------------------------------------------


def _sklearn_folder() -> Path:
    """scikit-learn's installed folder, found without importing it."""
    try:
        spec = importlib.util.find_spec("sklearn")
    except (ImportError, ValueError):  # ValueError: sys.modules["sklearn"] is None
        spec = None
    if spec is None or spec.origin is None:
        raise ImportError(
            "load_digits() reads the digits bundled with scikit-learn, which is not "
            "installed. Fix: `pip install scikit-learn` (or `conda install scikit-learn`) "
            "in the environment running this code."
        )
    return Path(spec.origin).parent


_DIGITS_SHAPE = (1797, 8, 8)
_REINSTALL_SKLEARN = "Fix: reinstall scikit-learn (`pip install --force-reinstall scikit-learn`)."


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """Handwritten digits bundled with scikit-learn: real images that need no download.

    Useful wherever Fashion-MNIST is not on the machine (tests, CI, a first try of the
    chapter 19 pipeline): the same steps (scale, flatten, shuffle, mini-batch) apply, on
    8x8 images instead of 28x28.

    Returns:
        ``images`` of shape ``(1797, 8, 8)``, float64 with integer values 0..16 (the data
        was made by counting ink in 4x4 blocks of 32x32 bitmaps, hence the range), and
        ``labels`` of shape ``(1797,)``, uint8, digits 0..9.
    """
    # The file scikit-learn's own load_digits reads, read directly: importing scikit-learn
    # costs seconds (it pulls in SciPy), and every chapter that uses these digits pays it.
    # The file's place is scikit-learn's private business, though: when it is not there or
    # cannot be read, scikit-learn's public load_digits gives the same arrays, only slower.
    data_file = _sklearn_folder() / "datasets" / "data" / "digits.csv.gz"
    try:
        return _digits_from_file(data_file)
    except OSError as file_error:
        return _digits_from_sklearn(file_error)


def _digits_from_file(data_file: Path) -> tuple[np.ndarray, np.ndarray]:
    """The digits from scikit-learn's data file, or OSError saying why not."""
    try:
        table = np.loadtxt(data_file, delimiter=",", ndmin=2)
    except (OSError, ValueError, EOFError, zlib.error) as err:
        raise OSError(f"could not read {data_file} ({err})") from err
    if table.shape != (1797, 65):
        raise OSError(f"{data_file} holds a table of shape {table.shape}, not (1797, 65)")
    images = table[:, :64].reshape(_DIGITS_SHAPE).astype(np.float64)
    labels = table[:, 64].astype(np.uint8)
    return images, labels


def _digits_from_sklearn(file_error: OSError) -> tuple[np.ndarray, np.ndarray]:
    """The digits through ``sklearn.datasets.load_digits`` (the public way, seconds slower)."""
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits

        bunch = sklearn_load_digits()
        images = np.asarray(bunch.images, dtype=np.float64)
        labels = np.asarray(bunch.target)
    except (ImportError, OSError, ValueError, AttributeError) as err:
        raise OSError(
            f"load_digits() could not get scikit-learn's bundled digits: {file_error}, and "
            f"sklearn.datasets.load_digits() failed too ({type(err).__name__}: {err}). "
            + _REINSTALL_SKLEARN
        ) from err
    if images.shape != _DIGITS_SHAPE or labels.shape != _DIGITS_SHAPE[:1]:
        raise OSError(
            f"load_digits(): {file_error}, and sklearn.datasets.load_digits() gave images of "
            f"shape {images.shape} and labels of shape {labels.shape}; expected "
            f"{_DIGITS_SHAPE} and {_DIGITS_SHAPE[:1]}. " + _REINSTALL_SKLEARN
        )
    return images, labels.astype(np.uint8)


# ---------------------------------------------------------------------------------------
# Hold-out split
# ---------------------------------------------------------------------------------------


def train_test_split(
    X: Any,
    y: Any,
    *,
    test_fraction: float = 0.2,
    rng: RandomLike = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle samples and hold some out, for the validation and test sets of chapters 11-12.

    The shuffle matters because the generators and the image-folder loader return data
    grouped by class; cutting the tail off unshuffled data would give a test set of one class.

    Args:
        X: samples along the first axis, shape ``(n, ...)``.
        y: targets along the first axis, shape ``(n, ...)``, same ``n`` as ``X``.
        test_fraction: share of samples to hold out, strictly between 0 and 1. The test size
            is ``round(test_fraction * n)``, kept within ``1 .. n - 1`` so that neither side
            is ever empty.
        rng: as elsewhere; one ``permutation(n)`` draw decides the split.

    Returns:
        ``X_train, X_test, y_train, y_test`` (scikit-learn's order), as NumPy arrays whose
        rows are a disjoint cover of the input rows, each side in shuffled order.
    """
    if isinstance(test_fraction, (bool, np.bool_)) or not isinstance(
        test_fraction, (int, float, np.integer, np.floating)
    ):
        raise TypeError(
            f"test_fraction must be a float strictly between 0 and 1; received "
            f"{type(test_fraction).__name__} {test_fraction!r}. Fix: pass e.g. test_fraction=0.2."
        )
    if not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(
            f"test_fraction must be strictly between 0 and 1; received {test_fraction!r}. "
            f"It is the share of samples held out for testing, e.g. test_fraction=0.2 for 20%."
        )
    X_arr, y_arr = np.asarray(X), np.asarray(y)
    if X_arr.ndim == 0 or y_arr.ndim == 0:
        raise ValueError(
            f"X and y must have samples along their first axis; received shapes "
            f"{X_arr.shape} and {y_arr.shape}."
        )
    n = X_arr.shape[0]
    if y_arr.shape[0] != n:
        raise ValueError(
            f"X and y must have the same number of samples (first axis); received X of shape "
            f"{X_arr.shape} and y of shape {y_arr.shape}. Fix: pass the labels that belong to X."
        )
    if n < 2:
        raise ValueError(f"Splitting needs at least 2 samples, one for each side; received {n}.")
    n_test = min(max(round(float(test_fraction) * n), 1), n - 1)

    order = resolve_rng(rng).permutation(n)
    test_idx, train_idx = order[:n_test], order[n_test:]
    return X_arr[train_idx], X_arr[test_idx], y_arr[train_idx], y_arr[test_idx]
