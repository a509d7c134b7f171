"""Build ``src/detente/web/static/vendor/world.geo.json``: the world's countries for the dashboard map.

From Natural Earth's 1:110m countries (public domain) as the npm package ``world-atlas`` 2.0.2 ships
them (TopoJSON, ISC licence): arcs decoded to GeoJSON polygons, coordinates rounded to 0.01°, each
country named by its ISO 3166-1 alpha-3 code (what detente's events carry) with its English name as
``label``. Needs ``pycountry`` (ISO numeric to alpha-3), at build time only::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_world_map.py package/countries-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src" / "detente" / "web" / "static" / "vendor" / "world.geo.json"
# Natural Earth features without an ISO numeric code in world-atlas, by name
BY_NAME = {"Kosovo": "XKX", "N. Cyprus": "CYN", "Somaliland": "SOL"}
LEFT_OUT = {"ATA"}  # Antarctica: no events, and a ring around the pole that a flat map cannot draw


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (quantized, delta-encoded in the file)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """One polygon ring from its arc indexes (a negative index is the reversed arc ~i).

    A ring that crosses the antimeridian (Chukotka, Fiji) is unwrapped: its longitudes run on past 180°
    instead of jumping to -180°, which a flat map would draw as a band across the world.
    """
    out: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(points[1:] if out else points)
    unwrapped: list[list[float]] = []
    for lon, lat in out:
        if unwrapped:
            prev = unwrapped[-1][0]
            while lon - prev > 180:
                lon -= 360
            while prev - lon > 180:
                lon += 360
        unwrapped.append([round(lon, 2), lat])
    return unwrapped


def main(path: str) -> None:
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom["properties"]["name"]
        country = pycountry.countries.get(numeric=geom["id"]) if geom.get("id") else None
        iso3 = country.alpha_3 if country else BY_NAME.get(name)
        if not iso3 or iso3 in LEFT_OUT or geom["type"] not in ("Polygon", "MultiPolygon"):
            print(f"left out: {name}", file=sys.stderr)
            continue
        polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        coords = [[ring(r, arcs) for r in poly] for poly in polys]
        features.append({"type": "Feature", "properties": {"name": iso3, "label": name},
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
                   encoding="utf-8")
    print(f"{len(features)} countries -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
