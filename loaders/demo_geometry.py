"""Geometry of the synthetic demo district: outline, desa cells, kecamatan groups.

Everything is drawn from a :class:`numpy.random.Generator`, so the same seed
gives the same shapes. Used only by :mod:`loaders.demo`.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

CENTRE = (110.5, -7.65)  # lon, lat: the demo sits around lon 110.2-110.8, lat -7.9 to -7.4
RADIUS = (0.27, 0.22)  # degrees, lon and lat half-extent of the outline
OUTLINE_VERTICES = 160
COORD_GRID = 1e-6  # degrees (about 0.1 m): coordinates are rounded to this grid


def district_outline(rng: np.random.Generator) -> Polygon:
    """Return an irregular, star-shaped district outline around :data:`CENTRE`.

    The radius is a sum of a few seeded sinusoids plus small jitter, so the
    edge looks like a natural boundary rather than an ellipse.
    """
    angles = np.linspace(0.0, 2.0 * np.pi, OUTLINE_VERTICES, endpoint=False)
    radius = np.ones_like(angles)
    for harmonic, amplitude in ((2, 0.10), (3, 0.08), (5, 0.05), (9, 0.025), (17, 0.012)):
        phase = rng.uniform(0.0, 2.0 * np.pi)
        radius += amplitude * np.sin(harmonic * angles + phase)
    radius += rng.normal(0.0, 0.006, size=angles.size)
    lon = CENTRE[0] + RADIUS[0] * radius * np.cos(angles)
    lat = CENTRE[1] + RADIUS[1] * radius * np.sin(angles)
    outline = Polygon(np.column_stack([lon, lat]))
    return shapely.set_precision(shapely.make_valid(outline), COORD_GRID)


def random_point_in(
    geometry: BaseGeometry, rng: np.random.Generator, *, margin: float = 0.0, tries: int = 500
) -> Point:
    """Return a seeded random point inside ``geometry`` (at least ``margin`` from its edge)."""
    area = geometry.buffer(-margin) if margin > 0 else geometry
    if area.is_empty:
        area = geometry
    minx, miny, maxx, maxy = area.bounds
    for _ in range(tries):
        candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if area.contains(candidate):
            return shapely.set_precision(candidate, COORD_GRID)
    return area.representative_point()


def seed_points(outline: Polygon, rng: np.random.Generator, *, count: int) -> np.ndarray:
    """Return ``count`` well-spread seeded points inside ``outline`` (dart throwing).

    A candidate is kept when it is far enough from every kept point; the
    spacing shrinks slowly when the outline is nearly full, so the loop ends.
    """
    spacing = 0.75 * np.sqrt(outline.area / count)
    minx, miny, maxx, maxy = outline.bounds
    kept: list[tuple[float, float]] = []
    while len(kept) < count:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not outline.contains(Point(x, y)):
            continue
        if kept and np.min(np.hypot(*(np.asarray(kept) - (x, y)).T)) < spacing:
            spacing *= 0.999
            continue
        kept.append((x, y))
    return np.asarray(kept)


def relax(points: np.ndarray, outline: Polygon, *, rounds: int = 2) -> np.ndarray:
    """Lloyd relaxation: move each point to the centroid of its clipped Voronoi cell."""
    for _ in range(rounds):
        cells = voronoi_cells(points, outline)
        points = np.array([[cell.centroid.x, cell.centroid.y] for cell in cells])
    return points


def voronoi_cells(points: np.ndarray, outline: Polygon) -> list[BaseGeometry]:
    """Return the Voronoi cell of each point (same order), clipped to ``outline``."""
    diagram = shapely.voronoi_polygons(MultiPoint(points), extend_to=outline.buffer(0.1), ordered=True)
    cells = list(shapely.get_parts(diagram))
    clipped = [shapely.set_precision(cell.intersection(outline), COORD_GRID) for cell in cells]
    return [shapely.make_valid(cell) for cell in clipped]


def adjacency(cells: list[BaseGeometry]) -> list[set[int]]:
    """Return, for each cell, the indices of the cells sharing an edge with it."""
    tree = shapely.STRtree(cells)
    left, right = tree.query(cells, predicate="intersects")
    neighbours: list[set[int]] = [set() for _ in cells]
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i != j and cells[i].intersection(cells[j]).length > 0:
            neighbours[i].add(j)
    return neighbours


def farthest_point_seeds(points: np.ndarray, rng: np.random.Generator, *, count: int) -> list[int]:
    """Pick ``count`` indices of ``points`` spread over the area (farthest-point sampling)."""
    chosen = [int(rng.integers(len(points)))]
    distance = np.hypot(*(points - points[chosen[0]]).T)
    while len(chosen) < count:
        nxt = int(np.argmax(distance))
        chosen.append(nxt)
        distance = np.minimum(distance, np.hypot(*(points - points[nxt]).T))
    return chosen


def grow_groups(points: np.ndarray, neighbours: list[set[int]], seeds: list[int], weights: np.ndarray) -> np.ndarray:
    """Partition the cells into contiguous groups grown from ``seeds``.

    At each step the group that is smallest relative to its weight takes its
    unassigned neighbour nearest to its seed, so every group stays contiguous
    and group sizes vary with ``weights``.

    Returns
    -------
    numpy.ndarray
        Group number (0-based, in the order of ``seeds``) of each cell.
    """
    group = np.full(len(points), -1)
    sizes = np.zeros(len(seeds))
    for number, seed in enumerate(seeds):
        group[seed] = number
        sizes[number] = 1
    while (group < 0).any():
        grown = False
        for number in np.argsort(sizes / weights, kind="stable"):
            members = np.flatnonzero(group == number)
            frontier = sorted({j for i in members for j in neighbours[i] if group[j] < 0})
            if not frontier:
                continue
            distance = np.hypot(*(points[frontier] - points[seeds[number]]).T)
            group[frontier[int(np.argmin(distance))]] = number
            sizes[number] += 1
            grown = True
            break
        if not grown:  # an island cell no group touches: join the nearest seed
            lonely = int(np.flatnonzero(group < 0)[0])
            group[lonely] = int(np.argmin(np.hypot(*(points[seeds] - points[lonely]).T)))
    return group
