// The actor map's renderer: draws the network on Leaflet, either on the geographic map (with the
// offline district basemap and optional tiles) or on a plane laid out by the server (network
// view). Thousands of dots and lines stay smooth: everything is drawn on one canvas, dots are
// grouped on a pixel grid when zoomed out, and lines between groups are merged per kind.
// The page (Rust/WASM) owns filters, list and side panel and talks to this file through
// window.TandemMap; this file only fetches the map data and draws it. It starts every server-rendered
// map from its data-settings and data-filter attributes as soon as the HTML is parsed, so the data
// is loaded and drawn while the WASM is still being fetched; the page then takes the renderer over.
(function () {
  'use strict'

  const CLUSTER_CELL_PX = 44
  const CLUSTER_UNTIL_ZOOM = 13
  // Pulsing rings are DOM elements; beyond this many they would cost more than they tell.
  const MAX_PULSES = 250
  // Dash pattern per connection kind (code); the legend's swatches in main.css match.
  const LINE_DASHES = {
    tandem: null,
    forschungskooperation: '6 4',
    mentoring: '2 5',
    mitgliedschaft: '10 4 2 4',
    kunde_lieferant: '1 6'
  }
  // Ended connections in the full view: grey and faint, whatever their kind.
  const ENDED_COLOR = '#6b7480'

  function cssColor (name, fallback) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
  }

  class TandemKarte {
    constructor (element, options) {
      this.element = element
      this.options = options
      // Set when the page takes over; a click before that only marks the dot.
      this.onSelect = () => {}
      this.query = null
      this.graph = options.mode === 'graph'
      this.month = null
      this.selected = null
      this.data = { actors: [], connections: [] }
      this.firstMonth = []
      this.loadSequence = 0
      this.fitted = false
      // The server sends the kind codes in the order of its kind indices (ActorKind::ALL,
      // ConnectionKind::ALL), so a dot's or line's index finds its colour here.
      this.kindColors = options.kinds.map(code => cssColor('--kind-' + code, '#335'))
      this.lineColors = options.links.map(code => cssColor('--link-' + code, '#667'))
      this.lineDashes = options.links.map(code => LINE_DASHES[code] ?? null)

      this.map = L.map(element, {
        crs: this.graph ? L.CRS.Simple : L.CRS.EPSG3857,
        preferCanvas: true,
        zoomSnap: 0.5,
        minZoom: this.graph ? -3 : 6,
        maxZoom: this.graph ? 5 : 18
      })
      this.renderer = L.canvas({ padding: 0.3 })
      if (this.graph) {
        this.map.setView([0, 0], 0)
      } else {
        this.map.setView([49.2, 8.75], 9)
        if (options.tiles) {
          L.tileLayer(options.tiles, { attribution: options.tileAttribution, maxZoom: 18 }).addTo(this.map)
        }
        this.map.createPane('basemap').style.zIndex = 250
        fetch(options.basemap)
          .then(response => response.json())
          .then(geo => L.geoJSON(geo, {
            pane: 'basemap',
            interactive: false,
            attribution: geo.attribution,
            style: { color: '#6b7b8c', weight: 1, fillColor: '#e8eef2', fillOpacity: options.tiles ? 0 : 0.7 }
          }).addTo(this.map))
          .catch(() => {})
      }
      this.lineLayer = L.layerGroup().addTo(this.map)
      this.dotLayer = L.layerGroup().addTo(this.map)
      this.map.on('zoomend', () => this.draw())
      this.map.on('click', () => this.choose(null))
    }

    async load (query) {
      // The page asks again for what the early start already loads.
      if (query === this.query && this.element.dataset.state !== 'error') return
      this.query = query
      const sequence = ++this.loadSequence
      const endpoint = this.graph ? '/api/karte/netzwerkdaten' : '/api/karte/daten'
      this.element.dataset.state = 'loading'
      try {
        const response = await fetch(endpoint + '?filter=' + encodeURIComponent(query), {
          headers: { Accept: 'application/json' }
        })
        if (!response.ok) throw new Error(response.status)
        const data = await response.json()
        if (sequence !== this.loadSequence) return
        this.setData(data)
        this.element.dataset.state = 'ready'
      } catch (error) {
        if (sequence !== this.loadSequence) return
        this.element.dataset.state = 'error'
        this.showNotice(this.options.loadFailed)
      }
    }

    setData (data) {
      this.data = data
      const first = new Array(data.actors.length).fill(Infinity)
      for (const [source, target, , start] of data.connections) {
        if (start < first[source]) first[source] = start
        if (start < first[target]) first[target] = start
      }
      this.firstMonth = first
      this.neighbours = null
      if (!this.fitted && data.actors.length > 0) {
        const bounds = L.latLngBounds(data.actors.map(a => [a[4], a[5]]))
        this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: this.graph ? 1 : 12, animate: false })
        this.fitted = true
      }
      this.showNotice(data.actors.length === 0 ? this.options.empty : null)
      this.draw()
    }

    setMonth (month) {
      if (month === this.month) return
      this.month = month
      this.draw()
    }

    select (slug) {
      if ((slug || null) === this.selected) return
      this.selected = slug || null
      this.draw()
    }

    choose (slug) {
      this.select(slug)
      this.onSelect(slug || '')
    }

    showNotice (text) {
      let notice = this.element.querySelector('.map-notice')
      if (!text) {
        if (notice) notice.remove()
        return
      }
      if (!notice) {
        notice = document.createElement('p')
        notice.className = 'map-notice'
        this.element.appendChild(notice)
      }
      notice.textContent = text
    }

    visible () {
      const { actors, connections } = this.data
      const month = this.month
      const actorOn = actors.map((_, i) => month === null || this.firstMonth[i] <= month)
      const lines = []
      // The full view shows today's network: connections that have ended are drawn apart
      // (grey and faint), as the playback shows them ending.
      const ended = new Set()
      const now = new Date()
      const today = now.getUTCFullYear() * 12 + now.getUTCMonth()
      for (let i = 0; i < connections.length; i++) {
        const [, , , start, end] = connections[i]
        if (month === null || (start <= month && (end === null || end > month))) lines.push(i)
        if (month === null && end !== null && end <= today) ended.add(i)
      }
      return { actorOn, lines, ended }
    }

    // Groups the visible actors on a pixel grid at the current zoom; one group per actor when
    // zoomed in or in the network view.
    group (actorOn) {
      const actors = this.data.actors
      const zoom = this.map.getZoom()
      const groupOf = new Int32Array(actors.length).fill(-1)
      const groups = []
      const cells = new Map()
      const clustering = !this.graph && zoom < CLUSTER_UNTIL_ZOOM
      for (let i = 0; i < actors.length; i++) {
        if (!actorOn[i]) continue
        let group
        if (clustering) {
          const point = this.map.project([actors[i][4], actors[i][5]], zoom)
          const key = Math.floor(point.x / CLUSTER_CELL_PX) + ':' + Math.floor(point.y / CLUSTER_CELL_PX)
          group = cells.get(key)
          if (group === undefined) {
            group = groups.length
            cells.set(key, group)
            groups.push({ members: [], lat: 0, lon: 0 })
          }
        } else {
          group = groups.length
          groups.push({ members: [], lat: 0, lon: 0 })
        }
        groupOf[i] = group
        const g = groups[group]
        g.members.push(i)
        g.lat += actors[i][4]
        g.lon += actors[i][5]
      }
      for (const g of groups) {
        g.lat /= g.members.length
        g.lon /= g.members.length
      }
      return { groups, groupOf }
    }

    neighbourSet () {
      if (!this.selected) return null
      const index = this.data.actors.findIndex(a => a[1] === this.selected)
      if (index < 0) return null
      const set = new Set([index])
      for (const [source, target] of this.data.connections) {
        if (source === index) set.add(target)
        if (target === index) set.add(source)
      }
      return { index, set }
    }

    draw () {
      const { actors, connections } = this.data
      const { actorOn, lines, ended } = this.visible()
      const { groups, groupOf } = this.group(actorOn)
      const focus = this.neighbourSet()
      this.lineLayer.clearLayers()
      this.dotLayer.clearLayers()

      // Lines: merged per kind between groups; the selected actor's lines on top, thicker.
      const segments = this.lineColors.map(() => [])
      const endedSegments = []
      const highlighted = []
      const seen = new Set()
      for (const i of lines) {
        const [source, target, kind] = connections[i]
        const a = groupOf[source]
        const b = groupOf[target]
        if (a < 0 || b < 0 || a === b) continue
        const segment = [[groups[a].lat, groups[a].lon], [groups[b].lat, groups[b].lon]]
        if (focus && (source === focus.index || target === focus.index)) {
          highlighted.push([segment, kind])
          continue
        }
        const key = (a < b ? a + ':' + b : b + ':' + a) + ':' + (ended.has(i) ? 'ended' : kind)
        if (seen.has(key)) continue
        seen.add(key)
        if (ended.has(i)) endedSegments.push(segment)
        else segments[kind].push(segment)
      }
      if (endedSegments.length > 0) {
        L.polyline(endedSegments, {
          renderer: this.renderer,
          color: ENDED_COLOR,
          weight: 1,
          opacity: focus ? 0.1 : 0.35,
          dashArray: '2 4',
          interactive: false
        }).addTo(this.lineLayer)
      }
      segments.forEach((list, kind) => {
        if (list.length === 0) return
        L.polyline(list, {
          renderer: this.renderer,
          color: this.lineColors[kind],
          weight: 1.5,
          opacity: focus ? 0.15 : 0.55,
          dashArray: this.lineDashes[kind],
          interactive: false
        }).addTo(this.lineLayer)
      })
      for (const [segment, kind] of highlighted) {
        L.polyline(segment, {
          renderer: this.renderer,
          color: this.lineColors[kind],
          weight: 3.5,
          opacity: 0.95,
          dashArray: this.lineDashes[kind],
          interactive: false
        }).addTo(this.lineLayer)
      }

      // Dots: one per actor, or a counted group.
      const singles = groups.filter(g => g.members.length === 1 && actors[g.members[0]][6] === 1).length
      const pulse = singles <= MAX_PULSES
      let visibleActors = 0
      for (const g of groups) {
        visibleActors += g.members.length
        if (g.members.length === 1) {
          this.drawActor(g.members[0], focus, pulse)
        } else {
          this.drawGroup(g)
        }
      }
      this.element.dataset.actors = String(visibleActors)
      this.element.dataset.connections = String(lines.filter(i => groupOf[connections[i][0]] >= 0 && groupOf[connections[i][1]] >= 0).length)
      this.element.dataset.groups = String(groups.length)
    }

    drawActor (i, focus, pulse) {
      const [, slug, name, kind, lat, lon, recent] = this.data.actors[i]
      const selected = slug === this.selected
      const dimmed = focus && !focus.set.has(i)
      if (recent && pulse && !dimmed) {
        L.marker([lat, lon], {
          icon: L.divIcon({ className: 'map-pulse', iconSize: [22, 22] }),
          interactive: false,
          keyboard: false
        }).addTo(this.dotLayer)
      }
      L.circleMarker([lat, lon], {
        renderer: this.renderer,
        radius: selected ? 9 : 6,
        color: selected ? '#111' : '#fff',
        weight: selected ? 3 : 1.5,
        fillColor: this.kindColors[kind],
        fillOpacity: dimmed ? 0.25 : 0.95,
        opacity: dimmed ? 0.3 : 1
      })
        // An element, not a string: Leaflet would read a string as HTML.
        .bindTooltip(Object.assign(document.createElement('span'), { textContent: name }), { direction: 'top', offset: [0, -6] })
        .on('click', event => {
          L.DomEvent.stopPropagation(event)
          this.choose(slug)
        })
        .addTo(this.dotLayer)
    }

    drawGroup (g) {
      const counts = new Array(6).fill(0)
      let recent = false
      for (const i of g.members) {
        counts[this.data.actors[i][3]]++
        recent = recent || this.data.actors[i][6] === 1
      }
      const dominant = counts.indexOf(Math.max(...counts))
      const size = Math.round(26 + 6 * Math.log2(g.members.length))
      const icon = L.divIcon({
        className: 'map-cluster' + (recent ? ' map-cluster-recent' : ''),
        html: '<span style="border-color:' + this.kindColors[dominant] + '">' + g.members.length + '</span>',
        iconSize: [size, size]
      })
      L.marker([g.lat, g.lon], { icon, keyboard: false, title: g.members.length + ' ' + this.options.actorsWord })
        .on('click', event => {
          L.DomEvent.stopPropagation(event)
          const bounds = L.latLngBounds(g.members.map(i => [this.data.actors[i][4], this.data.actors[i][5]]))
          this.map.fitBounds(bounds.pad(0.3), { maxZoom: CLUSTER_UNTIL_ZOOM })
        })
        .addTo(this.dotLayer)
    }

    // Where an actor's dot is on screen (for tests and the page's "show on map").
    pointOf (slug) {
      const actor = this.data.actors.find(a => a[1] === slug)
      if (!actor) return null
      const point = this.map.latLngToContainerPoint([actor[4], actor[5]])
      return { x: point.x, y: point.y }
    }

    focusOn (slug) {
      const actor = this.data.actors.find(a => a[1] === slug)
      if (actor) this.map.setView([actor[4], actor[5]], this.graph ? 2 : CLUSTER_UNTIL_ZOOM, { animate: false })
    }

    destroy () {
      this.loadSequence++
      this.map.remove()
    }
  }

  // Places an actor: a small map of the region where a click (or the town's known position)
  // fills the latitude and longitude fields, and typing there moves the marker. Its settings name
  // the fields by id, so the same form works with or without the page's WASM.
  class PositionPicker {
    constructor (element) {
      const o = JSON.parse(element.dataset.picker)
      this.element = element
      this.options = o
      this.status = document.getElementById(o.status)
      this.map = L.map(element, { minZoom: 5, maxZoom: 18, zoomSnap: 0.5 })
      const [south, west, north, east] = o.region
      this.map.fitBounds([[south, west], [north, east]])
      if (o.tiles) {
        L.tileLayer(o.tiles, { attribution: o.tileAttribution, maxZoom: 18 }).addTo(this.map)
      }
      fetch(o.basemap)
        .then(response => response.json())
        .then(geo => {
          L.geoJSON(geo, {
            interactive: false,
            attribution: geo.attribution,
            style: { color: '#6b7b8c', weight: 1, fillColor: '#e8eef2', fillOpacity: o.tiles ? 0 : 0.7 }
          }).addTo(this.map)
        })
        .catch(() => {})
      this.marker = null
      this.map.on('click', event => this.place(event.latlng.lat, event.latlng.lng, o.placedMap))
      this.onInput = () => this.follow()
      for (const id of [o.lat, o.lon]) document.getElementById(id)?.addEventListener('input', this.onInput)
      this.townButton = document.getElementById(o.townButton)
      this.onTown = () => this.fromTown()
      this.townButton?.addEventListener('click', this.onTown)
      this.follow(true)
    }

    field (id) { return document.getElementById(id) }

    number (text) { return Number(String(text).trim().replace(',', '.')) }

    format (value) {
      const text = value.toFixed(5)
      return this.options.decimalComma ? text.replace('.', ',') : text
    }

    show (lat, lon) {
      if (this.marker) {
        this.marker.setLatLng([lat, lon])
      } else {
        this.marker = L.circleMarker([lat, lon], { radius: 8, color: '#c45500', weight: 3, fillOpacity: 0.4 }).addTo(this.map)
      }
    }

    place (lat, lon, message) {
      this.field(this.options.lat).value = this.format(lat)
      this.field(this.options.lon).value = this.format(lon)
      this.show(lat, lon)
      if (this.status) this.status.textContent = message.replace('{lat}', this.format(lat)).replace('{lon}', this.format(lon))
    }

    // The fields changed by hand: the marker follows when they make a position.
    follow (fit) {
      const lat = this.number(this.field(this.options.lat)?.value ?? '')
      const lon = this.number(this.field(this.options.lon)?.value ?? '')
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || (lat === 0 && lon === 0)) return
      this.show(lat, lon)
      if (fit) this.map.setView([lat, lon], 11)
    }

    fromTown () {
      const typed = (this.field(this.options.town)?.value ?? '').trim().toLowerCase()
      const known = this.options.towns.find(([name]) => name.toLowerCase() === typed)
      if (!known) {
        if (this.status) this.status.textContent = this.options.unknownTown
        return
      }
      this.place(known[1], known[2], this.options.placedTown.replace('{town}', known[0]))
      this.map.setView([known[1], known[2]], 12)
    }

    destroy () {
      for (const id of [this.options.lat, this.options.lon]) this.field(id)?.removeEventListener('input', this.onInput)
      this.townButton?.removeEventListener('click', this.onTown)
      this.map.remove()
    }
  }

  const pickers = []

  window.TandemMap = {
    instances: [],
    // Starts the position picker on this element unless it runs already; answers a handle.
    pick (element) {
      let picker = pickers.find(p => p.element === element)
      if (!picker) {
        picker = new PositionPicker(element)
        pickers.push(picker)
      }
      return picker
    },
    unpick (picker) {
      picker.destroy()
      pickers.splice(pickers.indexOf(picker), 1)
    },
    // Takes over the renderer started early on this element, or starts one.
    mount (element, onSelect) {
      let map = this.instances.find(m => m.element === element)
      if (!map) {
        map = new TandemKarte(element, JSON.parse(element.dataset.settings))
        this.instances.push(map)
      }
      map.onSelect = onSelect
      return map
    },
    load (map, query) { map.load(query) },
    setMonth (map, month) { map.setMonth(month < 0 ? null : month) },
    select (map, slug) { map.select(slug) },
    unmount (map) {
      map.destroy()
      this.instances = this.instances.filter(m => m !== map)
    }
  }

  function startEarly () {
    for (const element of document.querySelectorAll('.position-picker[data-picker]')) window.TandemMap.pick(element)
    for (const element of document.querySelectorAll('.map[data-settings]')) {
      if (window.TandemMap.instances.some(m => m.element === element)) continue
      const map = new TandemKarte(element, JSON.parse(element.dataset.settings))
      window.TandemMap.instances.push(map)
      map.load(element.dataset.filter || '')
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', startEarly)
  } else {
    startEarly()
  }
})()
