/**
 * The speed benchmark: the reference workload (bench/ref.yml, Ansible's syntax) run by tsplay and
 * by ansible-playbook on the same lab hosts in the same run, and a table of the ratios.
 *
 *   bash scripts/bench.sh [--hosts N] [--runs R]
 *
 * Sequence: fresh hosts -> tsplay converges them (first run) -> R converged re-runs of each tool,
 * interleaved (both must report changed=0) -> fresh hosts again -> ansible-playbook's first run.
 * Each run is measured with GNU time: wall time, user+system CPU of the controller process tree,
 * and its peak resident memory.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const BENCH = join(ROOT, 'bench')
const TSPLAY = join(ROOT, 'bin', 'tsplay')

interface Measure {
  wallS: number
  cpuS: number
  maxRssMb: number
  changed: number
  exit: number
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number`)
  return value
}

/** A lab inventory of N hosts in group `lab` (what ref.yml targets), on its own network. */
function writeInventory(n: number): string {
  const dir = join(BENCH, '.work', `n${n}`)
  mkdirSync(join(dir, 'group_vars'), { recursive: true })
  const hosts = Array.from({ length: n }, (_, i) => `bench${String(i + 1).padStart(2, '0')} ansible_host=198.19.${n}.${i + 11}`)
  writeFileSync(join(dir, 'hosts.ini'), `[lab]\n${hosts.join('\n')}\n`)
  writeFileSync(
    join(dir, 'group_vars', 'all.yml'),
    [
      'ansible_user: root',
      'ansible_ssh_private_key_file: "{{ inventory_dir }}/.lab/id_ed25519"',
      'tsplay_known_hosts_file: "{{ inventory_dir }}/.lab/known_hosts"',
      // Ansible checks host keys against the same recorded file (host_key_checking = True in ansible.cfg).
      'ansible_ssh_common_args: "-o UserKnownHostsFile={{ inventory_dir }}/.lab/known_hosts"',
      `lab_network: tsplay-bench${n}`,
      `lab_subnet: 198.19.${n}.0/24`,
      '',
    ].join('\n'),
  )
  return dir
}

function lab(action: 'up' | 'down', inventory: string): void {
  const r = spawnSync(process.execPath, [TSPLAY, 'lab', action, '-i', inventory], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) throw new Error(`tsplay lab ${action} failed (exit ${r.status})`)
}

/** Runs a command under GNU time; the PLAY RECAP lines give the number of changes. */
function measure(command: string[], env: Record<string, string> = {}): Measure {
  const timing = join(tmpdir(), `tsplay-bench-${process.pid}.time`)
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timing, ...command], {
    cwd: BENCH,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  const [wall, user, sys, rssKb] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
  rmSync(timing, { force: true })
  const changed = [...r.stdout.matchAll(/changed=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0)
  if (r.status !== 0) process.stderr.write(`\n${command.join(' ')} exited ${r.status}:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}\n`)
  return { wallS: wall ?? NaN, cpuS: (user ?? 0) + (sys ?? 0), maxRssMb: (rssKb ?? 0) / 1024, changed, exit: r.status ?? -1 }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
const fmt = (x: number, digits = 2) => x.toFixed(digits)
const range = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))})`

function main(): void {
  const n = arg('hosts', 10)
  const runs = arg('runs', 3)
  const inventory = writeInventory(n)
  const hostsFile = join(inventory, 'hosts.ini')
  const tsplay = [process.execPath, TSPLAY, 'run', 'ref.yml', '-i', hostsFile, '-f', String(n)]
  const ansible = ['ansible-playbook', '-i', hostsFile, 'ref.ansible.yml', '-f', String(n)]
  const ansibleEnv = { ANSIBLE_CONFIG: join(BENCH, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1' }
  const ansibleVersion = execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0]
  const log = (text: string) => process.stderr.write(text)

  log(`bench: ${n} fresh lab hosts\n`)
  lab('down', inventory)
  lab('up', inventory)
  log('bench: tsplay first run (converge)\n')
  const tsFirst = measure(tsplay, { CI: '1' })
  const tsRuns: Measure[] = []
  const anRuns: Measure[] = []
  for (let i = 0; i < runs; i++) {
    log(`bench: converged re-run ${i + 1}/${runs}\n`)
    anRuns.push(measure(ansible, ansibleEnv))
    tsRuns.push(measure(tsplay, { CI: '1' }))
  }
  log(`bench: ${n} fresh lab hosts for ansible-playbook's first run\n`)
  lab('down', inventory)
  lab('up', inventory)
  const anFirst = measure(ansible, ansibleEnv)
  lab('down', inventory)

  const wall = (ms: Measure[]) => ms.map((m) => m.wallS)
  const cpu = (ms: Measure[]) => ms.map((m) => m.cpuS)
  const rss = (ms: Measure[]) => Math.max(...ms.map((m) => m.maxRssMb))
  const ok = (ms: Measure[]) => ms.every((m) => m.exit === 0 && m.changed === 0)
  const table = [
    `### ${n} hosts, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB; lab hosts on the same cores. ${ansibleVersion}, pipelining + ControlPersist, forks ${n}; tsplay forks ${n}. Converged re-runs: median (min-max) of ${runs}.`,
    '',
    '| | first run, s | converged re-run, s | controller CPU (re-run), s | peak memory, MB | re-runs changed=0 |',
    '|---|---|---|---|---|---|',
    `| ansible-playbook | ${fmt(anFirst.wallS)} | ${range(wall(anRuns))} | ${range(cpu(anRuns))} | ${fmt(rss([anFirst, ...anRuns]), 0)} | ${ok(anRuns) ? 'yes' : 'NO'} |`,
    `| tsplay | ${fmt(tsFirst.wallS)} | ${range(wall(tsRuns))} | ${range(cpu(tsRuns))} | ${fmt(rss([tsFirst, ...tsRuns]), 0)} | ${ok(tsRuns) ? 'yes' : 'NO'} |`,
    `| **tsplay / ansible** | ${fmt(tsFirst.wallS / anFirst.wallS, 3)} | **${fmt(median(wall(tsRuns)) / median(wall(anRuns)), 3)}** | ${fmt(median(cpu(tsRuns)) / median(cpu(anRuns)), 3)} | ${fmt(rss([tsFirst, ...tsRuns]) / rss([anFirst, ...anRuns]), 3)} | |`,
    '',
  ].join('\n')
  process.stdout.write(table + '\n')
}

main()
