// Import cycles among a folder's .ts files: strongly connected components of the relative-import graph.
// Usage: node scripts/import-cycles.mjs engine [--runtime]   (--runtime skips `import type`, erased at run time)
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, dirname, resolve, relative } from 'node:path'
const [root, flag] = process.argv.slice(2)
const files = []
const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(resolve(p)) } }
walk(root)
const graph = new Map(files.map((f) => {
  const src = readFileSync(f, 'utf8')
  const re = /^(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/gms
  const deps = [...src.matchAll(re)].filter((m) => !(flag === '--runtime' && m[1])).map((m) => resolve(dirname(f), m[2].replace(/\.js$/, '.ts')))
  return [f, deps.filter((d) => files.includes(d))]
}))
let index = 0; const idx = new Map(), low = new Map(), stack = [], on = new Set(), sccs = []
const strong = (v) => { idx.set(v, index); low.set(v, index++); stack.push(v); on.add(v)
  for (const w of graph.get(v)) { if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))) } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w))) }
  if (low.get(v) === idx.get(v)) { const c = []; let w; do { w = stack.pop(); on.delete(w); c.push(w) } while (w !== v); if (c.length > 1) sccs.push(c) } }
for (const f of files) if (!idx.has(f)) strong(f)
for (const c of sccs) console.log('cycle:', c.map((f) => relative(process.cwd(), f)).sort().join(' <-> '))
console.log(`${sccs.length} cycle group(s)`)
process.exitCode = sccs.length ? 1 : 0
