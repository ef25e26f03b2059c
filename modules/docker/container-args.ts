/** docker_container's argument schema: community.docker's names, types, defaults and aliases for what tsplay implements. */
import type { ArgValues } from '../../engine/module.js'
import type { ContainerArgs } from './container-wanted.js'

export const CONTAINER_ARGS = {
  name: { type: 'str', required: true, description: 'The container name (docker inspect finds it by this name).' },
  image: { type: 'str', description: "The image, 'repository:tag' or an ID; required to create or recreate a container. Compared by ID (after resolving the tag) and by name." },
  state: { type: 'str', choices: ['started', 'stopped', 'present', 'absent'], default: 'started', description: 'started: exists and runs; stopped: exists and does not run; present: exists, running or not as it is; absent: removed.' },
  command: { type: 'raw', description: "The command to run (a string split as a shell would, or a list); [] means the image's own Cmd." },
  entrypoint: { type: 'list', elements: 'str', description: "The entrypoint (a list); it replaces the image's." },
  env: { type: 'dict', description: 'Environment variables (strings; quote yes/no); a variable whose name holds pass, secret, token, credential, private or api_key is never shown in output. Never put on a command line.' },
  env_file: { type: 'path', description: 'A file on the host of KEY=value lines, merged under env.' },
  published_ports: { type: 'list', elements: 'str', aliases: ['ports'], description: "Ports published on the host: '[ip:][host_port:]container_port[/protocol]'." },
  volumes: { type: 'list', elements: 'str', description: "Binds 'host_path_or_volume:container_path[:mode]' and anonymous volumes '/path'." },
  mounts: { type: 'list', elements: 'dict', description: 'Mounts: dicts of target, source, type (bind, volume, tmpfs; default volume), read_only, propagation (bind only: private, rprivate, shared, rshared, slave, rslave).' },
  restart_policy: { type: 'str', choices: ['no', 'on-failure', 'always', 'unless-stopped'], description: 'What the daemon does when the container exits.' },
  restart_retries: { type: 'int', description: 'With restart_policy=on-failure, how many times to restart.' },
  privileged: { type: 'bool', description: 'Give the container every capability and every device.' },
  network_mode: { type: 'str', description: "bridge, host, none, container:NAME or a network's name." },
  hostname: { type: 'str', description: "The container's host name." },
  labels: { type: 'dict', description: 'Labels (strings); compared with the image’s labels under them.' },
  detach: { type: 'bool', description: 'false: start the container attached and wait for it to exit (the task fails on a non-zero exit code). Default true.' },
  auto_remove: { type: 'bool', description: 'The daemon removes the container when it exits (--rm).' },
  recreate: { type: 'bool', default: false, description: 'Recreate the container even when its configuration is as wanted.' },
  restart: { type: 'bool', default: false, description: 'Restart a running container whose configuration is as wanted (state=started).' },
  pull: { type: 'raw', choices: ['missing', 'always', 'never', true, false], default: 'missing', description: 'missing (or false): pull only when the image is not on the host; always (or true): pull every time; never: fail when it is not there.' },
  comparisons: { type: 'dict', description: "Per key: strict, ignore or allow_more_present (sets and dicts only); '*' sets strict or ignore for every key. Defaults as community.docker: values and lists strict, sets and dicts allow_more_present." },
  healthcheck: { type: 'dict', description: "test (a shell string, or a list: ['CMD-SHELL', ...], ['CMD', ...], ['NONE']), interval, timeout, start_period (durations such as 30s), retries." },
  log_driver: { type: 'str', description: 'The logging driver (json-file, syslog, journald, none, ...).' },
  log_options: { type: 'dict', aliases: ['log_opt'], description: "The logging driver's options (strings)." },
  memory: { type: 'str', description: "The memory limit: a number with an optional unit b, k, m, g (e.g. '512m'); '0' is no limit." },
  stop_timeout: { type: 'int', description: 'Seconds docker waits after the stop signal before killing the container (docker stop --time), also its configured default; not compared, as in community.docker.' },
  container_default_behavior: { type: 'str', choices: ['compatibility', 'no_defaults'], default: 'no_defaults', description: 'compatibility: auto_remove, privileged (false), memory (0) and detach (true) get their old defaults and are compared; no_defaults: only what the task sets is compared.' },
} as const

/** The arguments as the decisions take them: `pull` booleans as their words. */
export function containerArgs(raw: ArgValues<typeof CONTAINER_ARGS>): ContainerArgs {
  const pull = raw.pull === true || String(raw.pull) === 'true' ? 'always' : raw.pull === false || String(raw.pull) === 'false' ? 'missing' : raw.pull
  return { ...raw, pull }
}

const MOUNT_TYPES = ['bind', 'volume', 'tmpfs']
const PROPAGATIONS = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']
const MOUNT_KEYS = new Set(['target', 'source', 'type', 'read_only', 'propagation'])

/** What the schema cannot say about mounts and ports, checked when the playbook loads (values holding a template are checked once rendered). */
export function checkContainerArgs(a: Readonly<Record<string, unknown>>): string | undefined {
  const ports = a['published_ports']
  if (Array.isArray(ports) && ports.includes('all')) return 'Specifying "all" in published_ports is no longer allowed. Set publish_all_ports to "true" instead'
  const mounts = a['mounts']
  if (!Array.isArray(mounts)) return undefined
  for (const [i, m] of mounts.entries()) {
    if (typeof m !== 'object' || m === null) continue
    const mount = m as Record<string, unknown>
    const unknown = Object.keys(mount).find((k) => !MOUNT_KEYS.has(k))
    if (unknown !== undefined) return `mounts[${String(i)}]: unknown key '${unknown}'; tsplay takes ${[...MOUNT_KEYS].join(', ')}`
    const type = mount['type'] ?? 'volume'
    if (typeof type === 'string' && !type.includes('{{') && !MOUNT_TYPES.includes(type)) return `mounts[${String(i)}].type must be one of: ${MOUNT_TYPES.join(', ')}; got '${type}'`
    const propagation = mount['propagation']
    if (propagation !== undefined && type !== 'bind') return `mounts[${String(i)}].propagation can only be used with type bind`
    if (typeof propagation === 'string' && !propagation.includes('{{') && !PROPAGATIONS.includes(propagation)) return `mounts[${String(i)}].propagation must be one of: ${PROPAGATIONS.join(', ')}; got '${propagation}'`
    if (mount['target'] === undefined) return `mounts[${String(i)}]: target is required`
  }
  return undefined
}
