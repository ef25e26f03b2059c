/** Parses the plays of a playbook (and the playbooks it imports). */
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { PlaybookError, type SourcePos } from '../errors.js'
import { isTemplated } from '../expr/index.js'
import { loadYamlFileSync, posOf } from '../yaml.js'
import { COMMON_KEYWORDS, parseCommonAttrs, parse } from './attrs.js'
import type { LoadContext, ParseScope } from './load-context.js'
import { parseTaskList } from './tasks.js'
import { parseVarsPrompt } from './vars-prompt.js'
import type { Node, Play, RoleNode } from './types.js'

type Raw = Record<string, unknown>

const PLAY_KEYS = new Set([
  ...COMMON_KEYWORDS,
  'name', 'hosts', 'vars_files', 'vars_prompt', 'roles', 'pre_tasks', 'tasks', 'post_tasks', 'handlers', 'gather_facts',
  'serial', 'strategy', 'max_fail_percentage', 'force_handlers', 'remote_user', 'user', 'connection', 'order',
  // Accepted for compatibility; tsplay resolves fully-qualified names itself and gathers one fact set.
  'collections', 'gather_subset', 'gather_timeout',
])
const ORDERS = ['inventory', 'sorted', 'reverse_sorted', 'reverse_inventory', 'shuffle'] as const

export function parsePlays(data: unknown, file: string, loader: LoadContext): Play[] {
  const at: SourcePos = posOf(data) ?? { file, line: 1, col: 1 }
  if (data === null) return []
  if (!Array.isArray(data)) throw new PlaybookError('a playbook must be a list of plays (each starting with `- hosts: ...`)', at)
  const plays: Play[] = []
  data.forEach((entry, i) => {
    const pos = posOf(data, i) ?? at
    if (entry && typeof entry === 'object' && !Array.isArray(entry) && ('import_playbook' in entry || 'ansible.builtin.import_playbook' in entry)) {
      const raw = entry as Raw
      const target = raw['import_playbook'] ?? raw['ansible.builtin.import_playbook']
      if (typeof target !== 'string') throw new PlaybookError('import_playbook needs a file name', pos)
      const path = isAbsolute(target) ? target : join(dirname(file), target)
      plays.push(...loader.withPlaybook(path, pos, () => parsePlays(loader.readYaml(path, pos), path, loader)))
      return
    }
    plays.push(parsePlay(entry, file, pos, loader))
  })
  return plays
}

function parsePlay(entry: unknown, file: string, pos: SourcePos, loader: LoadContext): Play {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new PlaybookError('a play must be a mapping with `hosts:`', pos)
  const raw = entry as Raw
  for (const key of Object.keys(raw)) {
    if (!PLAY_KEYS.has(key)) {
      const hint = key === 'task' ? " (did you mean 'tasks'?)" : ''
      throw new PlaybookError(`'${key}' is not a play keyword${hint}; expected one of: ${[...PLAY_KEYS].sort().join(', ')}`, posOf(raw, key))
    }
  }
  const hostsValue = raw['hosts']
  if (hostsValue === undefined || hostsValue === null) throw new PlaybookError('a play needs `hosts:` (a host pattern such as all, web, db1)', pos)
  const hosts = Array.isArray(hostsValue) ? hostsValue.map(String).join(',') : String(hostsValue)
  const dir = dirname(file)
  const scope: ParseScope = { file, dir, loader }
  const tasksOf = (key: string): Node[] => parseTaskList(raw[key], key === 'handlers' ? { ...scope, handlers: 'top' } : scope, posOf(raw, key))
  const rolesRaw = raw['roles']
  if (rolesRaw !== undefined && rolesRaw !== null && !Array.isArray(rolesRaw)) throw new PlaybookError('`roles:` must be a list', posOf(raw, 'roles'))
  const roles: RoleNode[] = (Array.isArray(rolesRaw) ? rolesRaw : []).map((r, i) => loader.loadRoleEntry(r, posOf(rolesRaw, i) ?? pos))
  const strategy = raw['strategy'] === undefined ? undefined : parse.str(raw['strategy'], posOf(raw, 'strategy'), 'strategy')
  if (strategy !== undefined && !isTemplated(strategy)) checkStrategy(strategy, posOf(raw, 'strategy'))
  const order = (raw['order'] ?? 'inventory') as Play['order']
  if (!ORDERS.includes(order)) throw new PlaybookError(`order must be one of ${ORDERS.join(', ')}`, posOf(raw, 'order'))
  const varsFiles = raw['vars_files'] === undefined || raw['vars_files'] === null ? [] : Array.isArray(raw['vars_files']) ? raw['vars_files'] : [raw['vars_files']]
  const play: Play = {
    name: raw['name'] !== undefined ? parse.str(raw['name'], posOf(raw, 'name'), 'name') : hosts,
    pos,
    dir,
    hosts,
    attrs: parseCommonAttrs(raw),
    varsFiles,
    parsedVarsFiles: parseVarsFiles(varsFiles, dir, posOf(raw, 'vars_files') ?? pos),
    gatherFacts: raw['gather_facts'] === undefined ? undefined : parse.bool(raw['gather_facts'], posOf(raw, 'gather_facts'), 'gather_facts'),
    serial: parseSerial(raw['serial'], posOf(raw, 'serial') ?? pos),
    strategy,
    forceHandlers: raw['force_handlers'] === undefined ? undefined : parse.bool(raw['force_handlers'], posOf(raw, 'force_handlers'), 'force_handlers'),
    order,
    preTasks: tasksOf('pre_tasks'),
    roles,
    tasks: tasksOf('tasks'),
    postTasks: tasksOf('post_tasks'),
    handlers: tasksOf('handlers'),
  }
  const remoteUser = raw['remote_user'] ?? raw['user']
  if (remoteUser !== undefined) play.remoteUser = play.attrs.remoteUser = parse.str(remoteUser, posOf(raw, 'remote_user'), 'remote_user')
  if (play.attrs.connection !== undefined) play.connection = play.attrs.connection
  const prompts = parseVarsPrompt(raw['vars_prompt'], posOf(raw, 'vars_prompt') ?? pos)
  if (prompts.length) play.varsPrompt = prompts
  if (raw['max_fail_percentage'] !== undefined) play.maxFailPercentage = Number(raw['max_fail_percentage'])
  return play
}

/**
 * The strategies tsplay has; a templated `strategy:` is checked once rendered, when the play starts.
 * Ansible's host_pinned is free with each host kept on one worker, which tsplay's hosts always are.
 */
export function checkStrategy(name: string, at: SourcePos | undefined): 'linear' | 'free' {
  if (name === 'linear' || name === 'free') return name
  if (name === 'host_pinned') return 'free'
  throw new PlaybookError(`strategy must be linear, free or host_pinned, got '${name}'`, at)
}

/** Where a vars_files name points: relative names start at the playbook's folder. */
export function varsFilePath(dir: string, name: string): string {
  return isAbsolute(name) ? name : join(dir, name)
}

/**
 * The vars files whose names hold no template, parsed now so that a YAML error in one shows
 * before any host is contacted (the play reads them from here instead of parsing them again).
 * A file that does not exist yet is left for the play, which may be given another alternative.
 */
function parseVarsFiles(entries: unknown[], dir: string, at: SourcePos): Map<string, unknown> {
  const parsed = new Map<string, unknown>()
  for (const name of entries.flat()) {
    if (typeof name !== 'string' || isTemplated(name)) continue
    const path = varsFilePath(dir, name)
    if (existsSync(path)) parsed.set(path, loadYamlFileSync(path, at))
  }
  return parsed
}

/** serial: 2, "30%", or a list of them for growing batches. */
function parseSerial(value: unknown, at: SourcePos): (number | string)[] {
  if (value === undefined || value === null) return []
  const list = Array.isArray(value) ? value : [value]
  return list.map((v) => {
    if (typeof v === 'number' && v >= 0) return v
    if (typeof v === 'string' && /^\d+%?$/.test(v.trim())) return v.trim().endsWith('%') ? v.trim() : Number(v)
    throw new PlaybookError(`serial must be a number, a percentage such as "30%", or a list of them; got '${String(v)}'`, at)
  })
}
