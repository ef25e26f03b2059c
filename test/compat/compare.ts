/** The differences between Ansible's and tsplay's views of one case, one readable line each. */
import { isDeepStrictEqual } from 'node:util'
import type { HostView, RunView, TaskView } from './view.js'

/** Past this many, the rest is mostly the echo of the first ones (a task missing shifts all that follow). */
const MAX_DIFFERENCES = 40

const show = (value: unknown): string => (value === undefined ? '(nothing)' : JSON.stringify(value))

function differ(where: string, ansible: unknown, tsplay: unknown): string[] {
  return isDeepStrictEqual(ansible, tsplay) ? [] : [`${where}: ansible ${show(ansible)}, tsplay ${show(tsplay)}`]
}

function compareHost(where: string, ansible: HostView | undefined, tsplay: HostView | undefined): string[] {
  if (!ansible || !tsplay) return [`${where}: ${ansible ? 'ran in ansible only' : 'ran in tsplay only'}`]
  const flags = (['changed', 'failed', 'skipped', 'unreachable', 'ignored'] as const).flatMap((key) => differ(`${where} ${key}`, ansible[key], tsplay[key]))
  const items = ansible.items ?? tsplay.items
  const itemDiffs = items
    ? [
        ...differ(`${where} loop items`, ansible.items?.length, tsplay.items?.length),
        ...items.flatMap((_, i) => differ(`${where} item ${i}`, ansible.items?.[i], tsplay.items?.[i])),
      ]
    : differ(`${where} printed`, ansible.printed, tsplay.printed)
  return [...flags, ...itemDiffs]
}

function compareTask(index: number, ansible: TaskView | undefined, tsplay: TaskView | undefined): string[] {
  const label = `task ${index + 1} "${(ansible ?? tsplay)?.name}"`
  if (!ansible || !tsplay) return [`${label}: ${ansible ? 'missing in tsplay' : 'only in tsplay'}`]
  const names = differ(`task ${index + 1} name`, ansible.name, tsplay.name)
  const handler = differ(`${label} handler`, ansible.handler, tsplay.handler)
  const hosts = [...new Set([...Object.keys(ansible.hosts), ...Object.keys(tsplay.hosts)])].sort()
  return [...names, ...handler, ...hosts.flatMap((host) => compareHost(`${label} ${host}`, ansible.hosts[host], tsplay.hosts[host]))]
}

function compareFiles(ansible: RunView['files'], tsplay: RunView['files']): string[] {
  const paths = [...new Set([...Object.keys(ansible), ...Object.keys(tsplay)])].sort()
  return paths.flatMap((path) => differ(`out/${path}`, ansible[path], tsplay[path]))
}

/** A tool that wrote no JSON document refused the playbook or crashed; when both did, only rc is compared (the wording is each tool's own). */
function compareDocuments(ansible: RunView, tsplay: RunView): string[] {
  if ((ansible.noDocument === undefined) === (tsplay.noDocument === undefined)) return []
  const [tool, why] = ansible.noDocument !== undefined ? ['ansible', ansible.noDocument] : ['tsplay', tsplay.noDocument]
  return [`only ${tool} wrote no JSON document; its output ends: ${why}`]
}

export function compareRuns(ansible: RunView, tsplay: RunView): string[] {
  const differences = [
    ...differ('rc', ansible.rc, tsplay.rc),
    ...compareDocuments(ansible, tsplay),
    ...differ('recap', ansible.recap, tsplay.recap),
    ...Array.from({ length: Math.max(ansible.tasks.length, tsplay.tasks.length) }, (_, i) => compareTask(i, ansible.tasks[i], tsplay.tasks[i])).flat(),
    ...compareFiles(ansible.files, tsplay.files),
  ]
  return differences.length > MAX_DIFFERENCES ? [...differences.slice(0, MAX_DIFFERENCES), `... and ${differences.length - MAX_DIFFERENCES} more`] : differences
}
