from __future__ import annotations

import numpy as np
import pytest

from vision.synthetic import SKIN_TONES, make_photo


def test_deterministic_by_seed() -> None:
    a, la = make_photo(800, 600, 12, seed=5, skin_tone="tan")
    b, lb = make_photo(800, 600, 12, seed=5, skin_tone="tan")
    c, lc = make_photo(800, 600, 12, seed=6, skin_tone="tan")
    assert la == lb and np.array_equal(np.asarray(a), np.asarray(b))
    assert la != lc and not np.array_equal(np.asarray(a), np.asarray(c))


def test_kiosk_resolution_and_tiny_lesions() -> None:
    image, lesions = make_photo(4000, 3000, 40, seed=1)
    assert image.size == (4000, 3000) and len(lesions) == 40
    sizes = [x2 - x1 for _, (x1, _, x2, _) in lesions]
    assert max(sizes) <= 50 and min(sizes) >= 5
    assert {lab for lab, _ in lesions} <= {"papule", "pustule", "nodule_cyst", "comedone"}


@pytest.mark.parametrize("tone", list(SKIN_TONES))
def test_lesions_are_where_the_labels_say_on_every_skin_tone(tone: str) -> None:
    image, lesions = make_photo(1000, 800, 12, seed=2, skin_tone=tone, lesion_scale=1.0)
    arr = np.asarray(image).astype(np.float32)
    for i, (_, (x1, y1, x2, y2)) in enumerate(lesions):
        cx, cy, r = (x1 + x2) // 2, (y1 + y2) // 2, max(2, (x2 - x1) // 4)
        core = arr[cy - r : cy + r + 1, cx - r : cx + r + 1].reshape(-1, 3).mean(0)
        ring = np.concatenate(
            [arr[y1 - 8 : y1 - 4, x1:x2].reshape(-1, 3), arr[y2 + 4 : y2 + 8, x1:x2].reshape(-1, 3)]
        )
        assert np.linalg.norm(core - ring.mean(0)) > 20, f"lesion {i} not visible on {tone} skin"
        for _, (a1, b1, a2, b2) in lesions[i + 1 :]:  # no two lesions overlap
            assert a2 <= x1 or a1 >= x2 or b2 <= y1 or b1 >= y2
    # a random spot of plain skin is not lesion-like: the check above can fail
    plain = arr[5:15, 5:15].reshape(-1, 3).mean(0)
    assert np.linalg.norm(plain - arr[20:30, 5:15].reshape(-1, 3).mean(0)) < 20
