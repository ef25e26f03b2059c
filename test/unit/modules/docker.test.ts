/**
 * docker_container and docker_image: the wanted configuration compared with `docker inspect` as
 * captured from a lab host (test/fixtures/modules/docker/captured/: docker 20.10's output for a
 * busybox httpd container made by `docker create` with the options of WEB below, running and then
 * stopped, and for its image, made by `docker import` with a Cmd, PATH and a label),
 * community.docker's comparisons, the steps decided, the environment kept off every command line
 * and out of the output, and nothing run in check mode.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { MASK, resetSecretsForTests, scrub } from '../../../engine/secrets.js'
import { checkContainerArgs } from '../../../modules/docker/container-args.js'
import { createWords } from '../../../modules/docker/container-commands.js'
import { decideContainer, differences } from '../../../modules/docker/container-decide.js'
import { comparisonsOf, DEFAULT_COMPARISON, durationNanos, memoryBytes, parsePort, wantedOf, type ContainerArgs } from '../../../modules/docker/container-wanted.js'
import { decideImage, imageRef, type ImageArgs } from '../../../modules/docker/image-decide.js'
import type { InspectedContainer, InspectedImage } from '../../../modules/docker/inspect.js'
import { FakeHost, runTask, runTasks, type Reply } from '../../helpers/fake-host.js'

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'modules', 'docker')
const text = (name: string): string => readFileSync(join(DIR, name), 'utf8')
const one = <T>(name: string): T => (JSON.parse(text(`captured/${name}.out`)) as T[])[0] as T
const running = one<InspectedContainer>('inspect-web-running')
const stopped = one<InspectedContainer>('inspect-web-stopped')
const image = one<InspectedImage>('image-inspect-bb1')

/** The task whose options made the captured container. */
const WEB: Record<string, unknown> = {
  name: 'web',
  image: 'tsplay-bb:1',
  env: { APP_MODE: 'lab', DB_PASSWORD: 's3cret-Lab#pw' },
  published_ports: ['8080:80', '127.0.0.1:8443:443/tcp'],
  volumes: ['/srv/data:/data:ro'],
  mounts: [{ type: 'bind', source: '/srv', target: '/srv', propagation: 'rslave' }],
  restart_policy: 'unless-stopped',
  hostname: 'web1',
  labels: { app: 'web' },
  log_driver: 'json-file',
  log_options: { 'max-size': '10m' },
  memory: '64m',
  healthcheck: { test: 'busybox wget -q -O- http://127.0.0.1/ || exit 1', interval: '30s' },
}
const args = (a: Record<string, unknown> = {}): ContainerArgs => ({ state: 'started', recreate: false, restart: false, pull: 'missing', container_default_behavior: 'no_defaults', ...WEB, ...a }) as ContainerArgs

function diffKeys(a: Record<string, unknown>, container = running, comparisons: Record<string, unknown> | undefined = undefined): string[] {
  const wanted = wantedOf(args(a), undefined, image)
  if (typeof wanted === 'string') throw new Error(wanted)
  const modes = comparisonsOf(comparisons)
  if (typeof modes === 'string') throw new Error(modes)
  return differences(wanted, container, image.Id, modes).map((d) => d.key)
}

afterEach(() => resetSecretsForTests())

describe('docker_container compares as community.docker does', () => {
  it('finds nothing to change in the container the same task made', () => {
    expect(diffKeys({})).toEqual([])
  })

  it.each([
    ['an env value', { env: { APP_MODE: 'prod', DB_PASSWORD: 's3cret-Lab#pw' } }, ['env']],
    ['a new env variable', { env: { ...(WEB['env'] as object), EXTRA: '1' } }, ['env']],
    ['a host port', { published_ports: ['8081:80', '127.0.0.1:8443:443/tcp'] }, ['published_ports']],
    ['a bind mode', { volumes: ['/srv/data:/data'] }, ['volumes']],
    ['a mount propagation', { mounts: [{ type: 'bind', source: '/srv', target: '/srv', propagation: 'rshared' }] }, ['mounts']],
    ['the restart policy', { restart_policy: 'always' }, ['restart_policy']],
    ['the command', { command: '/bin/busybox httpd -f -p 81 -h /www' }, ['command']],
    ['the image name (same ID, another tag)', { image: 'tsplay-bb:latest' }, ['image']],
    ['the memory limit', { memory: '128m' }, ['memory']],
    ['a label value', { labels: { app: 'api' } }, ['labels']],
    ['the healthcheck interval', { healthcheck: { interval: '10s' } }, ['healthcheck']],
    ['privileged', { privileged: true }, ['privileged']],
  ])('sees %s differ', (_what, change, keys) => {
    expect(diffKeys(change)).toEqual(keys)
  })

  it('takes env as a set with the image’s own variables under it, allowing more by default', () => {
    // The container has PATH=/bin from the image and both wanted variables: a subset is as wanted.
    expect(diffKeys({ env: { APP_MODE: 'lab' } })).toEqual([])
    expect(diffKeys({ env: { APP_MODE: 'lab' } }, running, { env: 'strict' })).toEqual(['env'])
    expect(diffKeys({ env: { ...(WEB['env'] as object), PATH: '/bin' } }, running, { env: 'strict' })).toEqual([])
  })

  it('allows published ports the task does not name, unless strict; `command: []` is the image’s Cmd', () => {
    expect(diffKeys({ published_ports: ['8080:80'] })).toEqual([])
    expect(diffKeys({ published_ports: ['8080:80'] }, running, { published_ports: 'strict' })).toEqual(['published_ports'])
    expect(diffKeys({ command: [] })).toEqual([])
    expect(diffKeys({ command: ['/bin/busybox', 'httpd', '-f', '-p', '80', '-h', '/www'] })).toEqual([])
  })

  it("compares the image by ID: another image under the wanted name is a difference; comparisons ignore and '*'", () => {
    const wanted = wantedOf(args(), undefined, image)
    if (typeof wanted === 'string') throw new Error(wanted)
    expect(differences(wanted, running, 'sha256:0123', DEFAULT_COMPARISON).map((d) => d.key)).toEqual(['image id'])
    expect(diffKeys({ memory: '128m', restart_policy: 'always' }, running, { memory: 'ignore' })).toEqual(['restart_policy'])
    expect(diffKeys({ memory: '128m', restart_policy: 'always' }, running, { '*': 'ignore' })).toEqual([])
  })

  it('refuses comparisons community.docker refuses', () => {
    expect(comparisonsOf({ memory: 'allow_more_present' })).toMatch(/is a value and not a set\/list\/dict/)
    expect(comparisonsOf({ '*': 'allow_more_present' })).toMatch(/wildcard/)
    expect(comparisonsOf({ nosuch: 'strict' })).toMatch(/Unknown module option 'nosuch'/)
  })

  it('reads sizes, durations and port specs as docker does', () => {
    expect(memoryBytes('64m')).toBe(67108864)
    expect(memoryBytes('1g')).toBe(1024 ** 3)
    expect(durationNanos('1m30s')).toBe(90e9)
    expect(durationNanos('soon')).toBeUndefined()
    expect(parsePort('127.0.0.1:8443:443/udp')).toEqual(['443/udp', { HostIp: '127.0.0.1', HostPort: '8443' }])
    expect(parsePort('80')).toEqual(['80/tcp', { HostIp: '0.0.0.0', HostPort: '' }])
  })
})

describe('docker_container decides its steps', () => {
  const decide = (a: Record<string, unknown>, container: InspectedContainer | null, img: InspectedImage | null = image): string[] => {
    const w = wantedOf(args(a), undefined, img)
    if (typeof w === 'string') throw new Error(w)
    const d = decideContainer(args(a), w, DEFAULT_COMPARISON, container, img)
    return d.failed !== undefined ? [`failed: ${d.failed}`] : d.steps
  }

  it.each([
    ['creates and starts a missing container', {}, null, ['create', 'start']],
    ['leaves a running container as wanted alone', {}, running, []],
    ['recreates a running container whose config differs: stop, remove, create, start', { env: { APP_MODE: 'prod' } }, running, ['stop', 'remove', 'create', 'start']],
    ['starts a stopped one', {}, stopped, ['start']],
    ['stops a running one for state=stopped', { state: 'stopped' }, running, ['stop']],
    ['leaves state=present as it runs or not', { state: 'present' }, stopped, []],
    ['restarts with restart=true', { restart: true }, running, ['restart']],
    ['recreates with recreate=true', { recreate: true }, stopped, ['remove', 'create', 'start']],
    ['removes for state=absent', { state: 'absent' }, running, ['stop', 'remove']],
    ['is ok for state=absent of a missing container', { state: 'absent' }, null, []],
  ])('%s', (_what, a, container, steps) => {
    expect(decide(a, container)).toEqual(steps)
  })

  it('pulls a missing image before removing anything, and fails with pull=never', () => {
    expect(decide({ image: 'tsplay-bb:9' }, running, null)).toEqual(['pull', 'stop', 'remove', 'create', 'start'])
    expect(decide({ image: 'tsplay-bb:9', pull: 'never' }, running, null)).toEqual(['failed: Cannot find image with name tsplay-bb:9, and pull=never'])
  })

  it('builds docker create with every option as one quoted word, the env not among them', () => {
    const w = wantedOf(args(), undefined, image)
    if (typeof w === 'string') throw new Error(w)
    const words = createWords(args(), w)
    expect(words).toEqual([
      '--name', 'web', '--env-file', '/dev/stdin', '--publish', '8080:80/tcp', '--publish', '127.0.0.1:8443:443/tcp', '--volume', '/srv/data:/data:ro',
      '--mount', 'type=bind,source=/srv,target=/srv,bind-propagation=rslave', '--restart', 'unless-stopped', '--hostname', 'web1', '--label', 'app=web',
      '--health-cmd', 'busybox wget -q -O- http://127.0.0.1/ || exit 1', '--health-interval', '30000ms', '--log-driver', 'json-file', '--log-opt', 'max-size=10m',
      '--memory', '67108864b', '--', 'tsplay-bb:1',
    ])
  })
})

function dockerHost(container: InspectedContainer | null, img: InspectedImage | null = image): FakeHost {
  const missing = (what: string): Reply => ({ stdout: '[]\n', stderr: `Error: No such ${what}: x\n`, code: 1 })
  return new FakeHost([
    [/^docker inspect --type container/, container ? { stdout: JSON.stringify([container]) } : missing('container')],
    [/^docker image inspect/, img ? { stdout: JSON.stringify([img]) } : missing('image')],
    [/^docker (create|start|stop|rm|pull|restart) /, { stdout: 'ok\n' }],
  ])
}

describe('docker_container on a scripted host', () => {
  it('predicts a recreation in check mode with the differing keys, and runs nothing', async () => {
    const host = dockerHost(running)
    const r = await runTask(host, 'docker_container', { ...WEB, published_ports: ['8081:80'] }, { check: true })
    expect(r.status).toBe('changed')
    expect(r.actions).toEqual(['stop container web', 'remove container web', 'recreate container web', 'start container web'])
    expect(r.diff[0]?.afterHeader).toBe('after: container web (recreated)')
    expect(r.diff[0]?.after).toContain('published_ports: 0.0.0.0:8081->80/tcp')
    expect(host.sent.map((s) => s.text)).toEqual(['docker inspect --type container -- web', 'docker image inspect -- tsplay-bb:1'])
  })

  it('hands the environment to docker create on stdin and registers a password as a secret', async () => {
    const host = dockerHost(null)
    const r = await runTask(host, 'docker_container', WEB)
    expect(r.status).toBe('changed')
    const [create] = host.ran(/^docker create/)
    expect(create?.text).not.toContain('s3cret')
    expect(create?.stdin).toBe('PATH=/bin\nAPP_MODE=lab\nDB_PASSWORD=s3cret-Lab#pw\n')
    expect(scrub('the password is s3cret-Lab#pw')).toBe(`the password is ${MASK}`)
    expect(host.ran(/^docker start -- web$/)).toHaveLength(1)
  })

  it('fails on a missing image that cannot be pulled with the daemon’s words, before removing the container', async () => {
    const host = dockerHost(running, null).on(/^docker pull/, { stderr: 'Error response from daemon: pull access denied for tsplay-bb\n', code: 1 })
    const r = await runTask(host, 'docker_container', { ...WEB, image: 'tsplay-bb:9' })
    expect(r.status).toBe('failed')
    expect(r.msg).toBe('Error response from daemon: pull access denied for tsplay-bb')
    expect(host.ran(/^docker (stop|rm|create)/)).toEqual([])
  })
})

describe('docker_container with pull, detach and an image a task makes', () => {
  it('pull: always with the image here: check mode cannot know (skipped); a real run pulls and, the ID unchanged, changes nothing', async () => {
    const check = await runTask(dockerHost(running), 'docker_container', { ...WEB, pull: 'always' }, { check: true })
    expect(check.status).toBe('skipped')
    const host = dockerHost(running)
    const real = await runTask(host, 'docker_container', { ...WEB, pull: true })
    expect(real.status).toBe('ok')
    expect(host.ran(/^docker pull -- tsplay-bb:1$/)).toHaveLength(1)
    expect(host.ran(/^docker (stop|rm|create)/)).toEqual([])
  })

  it('detach: false starts the container attached, so that its exit code is the task’s', async () => {
    const host = dockerHost(null)
    expect((await runTask(host, 'docker_container', { ...WEB, detach: false })).status).toBe('changed')
    expect(host.ran(/^docker start/).map((s) => s.text)).toEqual(['docker start --attach -- web'])
  })

  it('stops with stop_timeout as the grace period', async () => {
    const host = dockerHost(running)
    expect((await runTask(host, 'docker_container', { ...WEB, state: 'stopped', stop_timeout: 1 })).status).toBe('changed')
    expect(host.ran(/^docker stop/).map((s) => s.text)).toEqual(['docker stop --time 1 -- web'])
  })

  it('plans in check mode against the image a docker_image before it would build: no pull predicted', async () => {
    const host = dockerHost(null, null)
    const [built, container] = await runTasks(host, [
      ['docker_image', { name: 'tsplay-bb', tag: '1', source: 'build', build: { path: '/srv/build' } }],
      ['docker_container', { name: 'web', image: 'tsplay-bb:1', pull: 'never' }],
    ], { check: true })
    expect(built?.status).toBe('changed')
    expect(container?.status).toBe('changed')
    expect(container?.actions).toEqual(['create container web', 'start container web'])
    expect(host.sent.map((s) => s.text)).toEqual(['docker image inspect -- tsplay-bb:1', 'docker inspect --type container -- web'])
  })
})

describe('docker_image', () => {
  const img = (a: Partial<ImageArgs>): ImageArgs => ({ name: 'tsplay-bb', tag: '1', state: 'present', force_source: false, force_absent: false, ...a })

  it('is as wanted when name:tag exists; loads, builds or removes otherwise', () => {
    expect(imageRef(img({}))).toBe('tsplay-bb:1')
    expect(imageRef(img({ name: 'rancher/server:v1.6.13' }))).toBe('rancher/server:v1.6.13')
    expect(decideImage(img({ source: 'load', load_path: '/tmp/bb.tar' }), image).commands).toEqual([])
    expect(decideImage(img({ source: 'load', load_path: '/tmp/bb.tar' }), null).commands.map(String)).toEqual(['docker load --input /tmp/bb.tar'])
    expect(decideImage(img({ source: 'build', build: { path: '/srv/img dir', args: { V: '1' } } }), null).commands.map(String)).toEqual(["docker build '--tag' tsplay-bb:1 '--build-arg' V=1 -- '/srv/img dir'"])
    expect(decideImage(img({ state: 'absent' }), image).commands.map(String)).toEqual(['docker image rm -- tsplay-bb:1'])
    expect(decideImage(img({ state: 'absent' }), null).commands).toEqual([])
  })

  it('makes an existing image again with force_source, its change known only after', () => {
    expect(decideImage(img({ source: 'build', build: { path: '/srv/img' }, force_source: true }), image)).toMatchObject({ remake: true })
    expect(decideImage(img({}), null).failed).toMatch(/no source is given/)
  })
})

describe('docker_container arguments', () => {
  it('refuses at load what community.docker refuses: a mount type or propagation it does not know, propagation on a volume', () => {
    expect(checkContainerArgs({ mounts: [{ target: '/x', type: 'bind', propagation: 'rslave' }] })).toBeUndefined()
    expect(checkContainerArgs({ mounts: [{ target: '/x', type: 'nfs' }] })).toMatch(/type must be one of: bind, volume, tmpfs/)
    expect(checkContainerArgs({ mounts: [{ target: '/x', propagation: 'rslave' }] })).toMatch(/only be used with type bind/)
    expect(checkContainerArgs({ mounts: [{ target: '/x', type: 'bind', propagation: 'sideways' }] })).toMatch(/propagation must be one of/)
    expect(checkContainerArgs({ published_ports: ['all'] })).toMatch(/publish_all_ports/)
  })
})
